/**
 * An engine job: a pure function from a structured-cloneable input to a structured-cloneable
 * output (or a promise of one), run in the pane's Web Worker (or in-line in tests and where workers
 * are missing). Jobs report progress and look at `aborted` between chunks of work; the worker
 * runner cancels a job by ending the worker, the in-line runner through the same flag.
 *
 * A job may hand part of its work to helper jobs on the machine's other cores (`fork`, where the
 * runner has spare workers): each helper is another engine job on a worker of its own, and the two
 * talk over a port (a MessagePort: the helper's `ctx.port` is the other end). Cancelling the job
 * ends its helpers too. Without `fork` the job does all the work itself, with the same result.
 */
export interface JobContext {
  /** done of total units of work, with the phase in the planner's words ("Demand variability"). */
  progress(done: number, total: number, phase?: string): void;
  /** True once the job was cancelled: stop and throw jobCancelled(). */
  readonly aborted: boolean;
  /** How many helper jobs this job may start (0 or absent: no fork). */
  readonly helpers?: number;
  /** Starts engine job `name` on a helper worker; returns this job's end of the port to it. */
  fork?(name: string, input: unknown, transfer?: Transferable[]): JobPort;
  /** In a helper job: its end of the port to the job that started it. */
  readonly port?: JobPort;
}

/** What a job and its helper talk over: a MessagePort (or anything that posts the same way). */
export interface JobPort {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  onmessage: ((e: { data: unknown }) => void) | null;
  close?(): void;
}

/** A port's messages in arrival order: next() resolves with the oldest one not yet taken. */
export function portQueue(port: JobPort): { next(): Promise<unknown> } {
  const arrived: unknown[] = [];
  const waiting: ((m: unknown) => void)[] = [];
  port.onmessage = (e) => {
    const w = waiting.shift();
    if (w) w(e.data);
    else arrived.push(e.data);
  };
  return {
    next: () => (arrived.length ? Promise.resolve(arrived.shift()) : new Promise((resolve) => waiting.push(resolve))),
  };
}

export type JobFn<I, O> = (input: I, ctx: JobContext) => O | Promise<O>;

export function jobCancelled(): Error {
  const e = new Error("The job was cancelled.");
  e.name = "AbortError";
  return e;
}

/** A context for callers that want neither progress nor cancel. */
export const QUIET_JOB: JobContext = { progress() {}, aborted: false };
