/** A PaneSession made of the pane's registered steps (src/taskpane/steps.ts), as the pane makes it. */
import { PaneSession, type PaneDeps } from "../../src/app/session";
import { SETTINGS } from "../../src/app/sheets";
import { stepSlices } from "../../src/taskpane/steps";

export interface TestPaneOptions {
  /** Ask before replacing existing sheets, as a new workbook does (default: off, as after "don't ask again"). */
  rerunWarning?: boolean;
}

export function createPane(deps: PaneDeps, options: TestPaneOptions = {}): PaneSession {
  if (!options.rerunWarning && deps.gateway.settings.get(SETTINGS.rerunWarningSeen) === undefined) void deps.gateway.settings.set(SETTINGS.rerunWarningSeen, true);
  return new PaneSession(deps, stepSlices());
}

/** Reads the selected range, classifies it and writes the sheets, failing the test on a pane error at either step. */
export async function classifyAndWrite(session: PaneSession): Promise<void> {
  await session.step("classify").readSource("region");
  await session.step("classify").classify();
  expect(session.getState().common.error).toBeNull();
  await session.step("write").write();
  expect(session.getState().common.error).toBeNull();
}
