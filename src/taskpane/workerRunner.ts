/**
 * EngineRunner on a Web Worker (webpack 5 bundles engine.worker.ts as its own chunk from the
 * `new URL(..., import.meta.url)` below). One job at a time per worker; Cancel ends the worker and
 * the next job starts a new one. Falls back to the in-line runner where workers are not available
 * or the worker fails to start. Only the pane entry imports this file: jest never sees import.meta.
 */
import { createInlineRunner, jobProgress, type EngineRunner, type RunOptions } from "../app/engineRunner";
import type { JobInput, JobName, JobOutput } from "../app/jobs";
import { jobCancelled } from "../app/jobs/types";

interface Reply {
  id: number;
  result?: unknown;
  error?: string;
  progress?: { done: number; total: number; phase?: string };
}

interface Pending {
  name: JobName;
  input: unknown;
  options: RunOptions;
  resolve: (r: unknown) => void;
  reject: (e: Error) => void;
}

export function createWorkerRunner(): EngineRunner {
  const inline = createInlineRunner();
  if (typeof Worker === "undefined") return inline;
  let worker: Worker | null = null;
  let broken = false;
  let next = 0;
  const pending = new Map<number, Pending>();

  const runInline = (p: Pending) => inline.run(p.name, p.input as never, p.options).then(p.resolve, p.reject);

  function spawn(): Worker | null {
    if (broken) return null;
    if (worker) return worker;
    try {
      worker = new Worker(new URL("./engine.worker.ts", import.meta.url));
    } catch {
      broken = true;
      return null;
    }
    worker.onmessage = (e: MessageEvent<Reply>) => {
      const p = pending.get(e.data.id);
      if (!p) return;
      if (e.data.progress) {
        const { done, total, phase } = e.data.progress;
        p.options.onProgress?.(jobProgress(done, total, phase, p.name));
        return;
      }
      pending.delete(e.data.id);
      if (e.data.error !== undefined) p.reject(new Error(e.data.error));
      else p.resolve(e.data.result);
    };
    worker.onerror = (e) => {
      // the worker could not load or crashed: finish the waiting jobs in-line and stop using it
      e.preventDefault();
      worker?.terminate();
      worker = null;
      broken = true;
      for (const [id, p] of pending) {
        pending.delete(id);
        void runInline(p);
      }
    };
    return worker;
  }

  return {
    run<K extends JobName>(name: K, input: JobInput<K>, options: RunOptions = {}): Promise<JobOutput<K>> {
      const w = spawn();
      if (!w) return inline.run(name, input, options);
      if (options.signal?.aborted) return Promise.reject(jobCancelled());
      const id = ++next;
      return new Promise<JobOutput<K>>((resolve, reject) => {
        pending.set(id, { name, input, options, resolve: resolve as (r: unknown) => void, reject });
        options.signal?.addEventListener(
          "abort",
          () => {
            if (!pending.has(id)) return;
            pending.delete(id);
            // the job cannot be interrupted inside the worker: end the worker, start afresh next time
            worker?.terminate();
            worker = null;
            for (const [other, p] of pending) {
              pending.delete(other);
              void runInline(p);
            }
            reject(jobCancelled());
          },
          { once: true },
        );
        w.postMessage({ id, name, input });
      });
    },
    dispose() {
      worker?.terminate();
      worker = null;
    },
  };
}
