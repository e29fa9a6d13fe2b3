/**
 * What a Write produces, as other parts of the pane see it (the publisher, the overrides step):
 * the run that was written and the outcome. The Write itself is src/app/steps/write.ts.
 */
import type { PolicyOptions, SegmentPolicy } from "../engine/policy";
import type { IoReport } from "./ports";

export type { LastRun, RunInput } from "./classifyTypes";

export interface WriteOutcome {
  modelVersion: string;
  report: IoReport;
  /** Wall time from the click to done (reading, policies, sheets, audit, settings), ms. */
  ms: number;
  rows: number;
  /** The policy grid and options that were written (the pane adopts them; the publisher uses them). */
  grid: SegmentPolicy[];
  policyOptions: PolicyOptions;
  /** Sheets written, in order. */
  sheets: string[];
  /** Lines the contributors asked to show (kept hand edits, grid changes). */
  summary: string[];
  overridden: number;
  flagged: number;
}
