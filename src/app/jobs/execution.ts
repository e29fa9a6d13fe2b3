/**
 * The execution job: the rule table evaluated on every row (SKU or SKU × customer), as
 * src/engine/execution.ts evaluateExecution does it (most specific rule per field; a table with a
 * contradiction is refused, naming both rules). Run in the worker so that 100,000 rows and more do
 * not hold up the pane.
 */
import { evaluateExecution, type ExecutionFlags, type ExecutionInput, type ExecutionOptions, type ExecutionRule } from "../../engine/execution";
import { jobCancelled, QUIET_JOB, type JobContext } from "./types";

export interface ExecutionJob {
  rules: ExecutionRule[];
  input: ExecutionInput;
  options?: ExecutionOptions;
}

export function computeExecution(job: ExecutionJob, ctx: JobContext = QUIET_JOB): ExecutionFlags {
  ctx.progress(0, 1, "Applying the execution rules");
  if (ctx.aborted) throw jobCancelled();
  const flags = evaluateExecution(job.rules, job.input, job.options ?? {});
  ctx.progress(1, 1, "Applying the execution rules");
  return flags;
}
