/**
 * Where engine jobs run (src/app/jobs). The pane uses a Web Worker (src/taskpane/workerRunner.ts)
 * so that the UI stays responsive; tests and hosts without workers run them in-line.
 */
import type { JobInput, JobName, JobOutput } from "./jobs";
import { jobCancelled } from "./jobs/types";
import type { Progress } from "./ports";

export interface RunOptions {
  onProgress?: (p: Progress) => void;
  /** Aborting rejects the run with an AbortError (the worker runner ends the job's worker). */
  signal?: AbortSignal;
  /**
   * Buffers in the input to move to the worker instead of copying them (postMessage's transfer
   * list): after run() they are detached here (byteLength 0), so pass only buffers built for this
   * job (src/app/columnar.ts). The in-line runner ignores it.
   */
  transfer?: ArrayBuffer[];
}

export interface EngineRunner {
  run<K extends JobName>(name: K, input: JobInput<K>, options?: RunOptions): Promise<JobOutput<K>>;
  dispose?(): void;
}

/** A Progress from a job's report. */
export function jobProgress(done: number, total: number, phase: string | undefined, fallback: string): Progress {
  return { phase: phase ?? fallback, done, total };
}

/** Runs jobs on the calling thread (after yielding once, so a "working" state can render). */
export function createInlineRunner(): EngineRunner {
  return {
    async run<K extends JobName>(name: K, input: JobInput<K>, options: RunOptions = {}): Promise<JobOutput<K>> {
      await new Promise((r) => setTimeout(r, 0));
      const signal = options.signal;
      if (signal?.aborted) throw jobCancelled();
      // loaded on first use: in the pane the jobs run in the worker's own chunk, so this fallback
      // (tests, hosts without workers) keeps the engine out of the code the pane starts with
      const { runJob } = await import(/* webpackChunkName: "jobs" */ "./jobs");
      if (signal?.aborted) throw jobCancelled();
      return (await runJob(name, input, {
        progress: (done, total, phase) => options.onProgress?.(jobProgress(done, total, phase, name)),
        get aborted() {
          return signal?.aborted === true;
        },
      })) as JobOutput<K>;
    },
  };
}

/**
 * The buffers of the typed arrays among a job result's own properties (each once), for the worker
 * to transfer its reply instead of copying it; the worker drops the result after posting.
 */
export function resultBuffers(result: unknown): ArrayBuffer[] {
  if (typeof result !== "object" || result === null) return [];
  const seen = new Set<ArrayBuffer>();
  for (const v of Object.values(result)) {
    if (ArrayBuffer.isView(v) && isArrayBuffer(v.buffer) && v.buffer.byteLength > 0) seen.add(v.buffer);
  }
  return [...seen];
}

/** An ArrayBuffer (not a SharedArrayBuffer, which cannot be transferred), from any realm. */
export function isArrayBuffer(b: unknown): b is ArrayBuffer {
  return Object.prototype.toString.call(b) === "[object ArrayBuffer]";
}
