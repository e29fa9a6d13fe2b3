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
