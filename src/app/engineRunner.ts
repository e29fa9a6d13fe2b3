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
    async run(name, input, options = {}) {
      // Loaded on first use: the pane's bundle does not carry the jobs (its worker has them).
      const { runJob } = await import("./jobs");
      await new Promise((r) => setTimeout(r, 0));
      const signal = options.signal;
      if (signal?.aborted) throw jobCancelled();
      return runJob(name, input, {
        progress: (done, total, phase) => options.onProgress?.(jobProgress(done, total, phase, name)),
        get aborted() {
          return signal?.aborted === true;
        },
      });
    },
  };
}
