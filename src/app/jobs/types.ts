/**
 * An engine job: a pure, synchronous function from a structured-cloneable input to a
 * structured-cloneable output, run in the pane's Web Worker (or in-line in tests and where workers
 * are missing). Jobs report progress and look at `aborted` between chunks of work; the worker
 * runner cancels a job by ending the worker, the in-line runner through the same flag.
 */
export interface JobContext {
  /** done of total units of work, with the phase in the planner's words ("Demand variability"). */
  progress(done: number, total: number, phase?: string): void;
  /** True once the job was cancelled: stop and throw jobCancelled(). */
  readonly aborted: boolean;
}

export type JobFn<I, O> = (input: I, ctx: JobContext) => O;

export function jobCancelled(): Error {
  const e = new Error("The job was cancelled.");
  e.name = "AbortError";
  return e;
}

/** A context for callers that want neither progress nor cancel. */
export const QUIET_JOB: JobContext = { progress() {}, aborted: false };
