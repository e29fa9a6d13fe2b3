/**
 * Pane entry (bundled with the custom functions into taskpane.html: one shared runtime) and the
 * composition root: Office.onReady, then the Office.js gateway, the backend settings (browser
 * storage), exactly one audit sync, one snapshot publisher and one controllers' backend for the workbook, the session, and
 * the React tree. Outside Office (office.js reports host null) the pane still renders: the gateway
 * then talks to whatever `Excel` global exists, which is how the browser end-to-end test injects
 * its fake host; without one, actions say Excel is missing.
 */
import { createRoot } from "react-dom/client";
import { lazyControllerBackend } from "../app/controllerService";
import { PublishService } from "../app/publishService";
import { ServerSettingsStore } from "../app/serverSettings";
import { PaneSession } from "../app/session";
import { SyncService } from "../app/syncService";
import { TrailWitness } from "../app/trailWitness";
import { createExcelGateway } from "../excel";
import { App } from "./App";
import { stepSlices } from "./steps";
import { ServerSettings } from "./components/ServerSettings";
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
  const gateway = createExcelGateway();
  const serverSettings = new ServerSettingsStore();
  const sync = new SyncService({ gateway, settings: serverSettings, witness: new TrailWitness(gateway.settings) });
  const publisher = new PublishService({ settings: serverSettings });
  const controllers = lazyControllerBackend({ settings: serverSettings, syncTrail: () => sync.syncNow() });
  const session = new PaneSession({ gateway, runner: createWorkerRunner(), identity: officeIdentity, auditSync: sync, publisher, controllers }, stepSlices());
  // sends whatever an earlier session left pending (the SEG_Audit sheet is the queue)
  void sync.start();
  // the pane is closing: stop timers and requests (unconfirmed rows stay pending for next time)
  window.addEventListener("pagehide", (e) => {
    if (e.persisted) return;
    sync.dispose();
    publisher.dispose();
  });
  createRoot(container).render(<App session={session} settingsExtra={<ServerSettings store={serverSettings} />} />);
}

const office = (globalThis as { Office?: { onReady?: (cb?: () => void) => Promise<unknown> } }).Office;
if (office && typeof office.onReady === "function") {
  office.onReady(() => start());
} else {
  start();
}
