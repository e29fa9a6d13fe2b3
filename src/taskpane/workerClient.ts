/**
 * EngineRunner on a Web Worker, given how to start one (workerRunner.ts starts engine.worker.ts;
 * tests pass a fake). One job at a time per worker; Cancel ends the worker and the next job starts
 * a new one. Falls back to the in-line runner where the worker fails to start. A job whose input
 * buffers were transferred (RunOptions.transfer) cannot be re-run in-line once the worker fails:
 * it is rejected with a message asking to run it again.
 */
import { createInlineRunner, jobProgress, type EngineRunner, type RunOptions } from "../app/engineRunner";
import type { JobInput, JobName, JobOutput } from "../app/jobs";
import { jobCancelled } from "../app/jobs/types";

export interface Reply {
  id: number;
  result?: unknown;
  error?: string;
  progress?: { done: number; total: number; phase?: string };
}

/** What the runner needs of a Worker. */
export interface WorkerLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  terminate(): void;
  onmessage: ((e: MessageEvent<Reply>) => void) | null;
  onerror: ((e: ErrorEvent) => void) | null;
}

interface Pending {
  name: JobName;
  input: unknown;
  options: RunOptions;
  /** Its input buffers were moved to the worker (and are detached here). */
  transferred: boolean;
  resolve: (r: unknown) => void;
  reject: (e: Error) => void;
}

export function createWorkerRunnerWith(makeWorker: () => WorkerLike): EngineRunner {
  const inline = createInlineRunner();
  let worker: WorkerLike | null = null;
  let broken = false;
  let next = 0;
  const pending = new Map<number, Pending>();

  const runInline = (p: Pending) => {
    if (p.transferred) {
      p.reject(new Error("The engine worker stopped before the job finished (its input had moved to the worker): run it again."));
      return Promise.resolve();
    }
    return inline.run(p.name, p.input as never, p.options).then(p.resolve, p.reject);
  };

  function spawn(): WorkerLike | null {
    if (broken) return null;
    if (worker) return worker;
    try {
      worker = makeWorker();
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
        const transfer = options.transfer ?? [];
        pending.set(id, { name, input, options, transferred: transfer.length > 0, resolve: resolve as (r: unknown) => void, reject });
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
        w.postMessage({ id, name, input }, transfer);
      });
    },
    dispose() {
      worker?.terminate();
      worker = null;
    },
  };
}
