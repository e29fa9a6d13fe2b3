/**
 * Pane entry (bundled with the custom functions into taskpane.html: one shared runtime).
 * Office.onReady, then render with the Office.js gateway. Outside Office (office.js reports host
 * null) the pane still renders: the gateway then talks to whatever `Excel` global exists, which is
 * how the browser end-to-end test injects its fake host; without one, actions say Excel is missing.
 */
import { createRoot } from "react-dom/client";
import { PaneSession } from "../app/session";
import { createExcelGateway } from "../excel";
import { App } from "./App";
import { createWorkerRunner } from "./workerRunner";

/** Excel offers add-ins no user identity without SSO; Office.context.userProfile exists in Outlook only. */
function officeIdentity(): string | undefined {
  try {
    const g = globalThis as { Office?: { context?: { userProfile?: { displayName?: string } } } };
    return g.Office?.context?.userProfile?.displayName || undefined;
  } catch {
    return undefined;
  }
}

let started = false;
function start(): void {
  if (started) return;
  started = true;
  const container = document.getElementById("root");
  if (!container) throw new Error("taskpane.html has no #root element");
  const session = new PaneSession({ gateway: createExcelGateway(), runner: createWorkerRunner(), identity: officeIdentity });
  createRoot(container).render(<App session={session} />);
}

const office = (globalThis as { Office?: { onReady?: (cb?: () => void) => Promise<unknown> } }).Office;
if (office && typeof office.onReady === "function") {
  office.onReady(() => start());
} else {
  start();
}
