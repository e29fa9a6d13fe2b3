/**
 * EngineRunner on a Web Worker, given how to start one (workerRunner.ts starts engine.worker.ts;
 * tests pass a fake). One job at a time per worker; Cancel ends the worker and the next job starts
 * a new one. Falls back to the in-line runner where the worker fails to start. A job whose input
 * buffers were transferred (RunOptions.transfer) cannot be re-run in-line once the worker fails:
 * it is rejected with a message asking to run it again.
 *
 * With `helpers` > 0 a job may fork helper jobs (src/app/jobHost.ts): each starts on a worker of
 * its own, given the port the job sent, and ends with the job (result, error or cancel). A helper
 * that fails ends its job's worker too, and the job runs again in-line (without helpers from then).
 */
import { createInlineRunner, jobProgress, resultBuffers, type EngineRunner, type RunOptions } from "../app/engineRunner";
import type { JobReply } from "../app/jobHost";
import type { JobInput, JobName, JobOutput } from "../app/jobs";
import { jobCancelled } from "../app/jobs/types";

export type Reply = JobReply;

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
  /** The helper workers it forked. */
  helpers: WorkerLike[];
}

export interface WorkerRunnerOptions {
  /** How many helper workers one job may fork (default 0: none). */
  helpers?: number;
}

export function createWorkerRunnerWith(makeWorker: () => WorkerLike, runnerOptions: WorkerRunnerOptions = {}): EngineRunner {
  const helpersPerJob = Math.max(0, Math.floor(runnerOptions.helpers ?? 0));
  const inline = createInlineRunner();
  let worker: WorkerLike | null = null;
  let broken = false;
  /** A helper failed once: jobs no longer fork. */
  let noHelpers = false;
  let next = 0;
  const pending = new Map<number, Pending>();

  const endHelpers = (p: Pending) => {
    for (const h of p.helpers) h.terminate();
    p.helpers.length = 0;
  };

  /** Ends the worker and its jobs' helpers; the waiting jobs run in-line. */
  const dropWorker = () => {
    worker?.terminate();
    worker = null;
    for (const [id, p] of pending) {
      pending.delete(id);
      endHelpers(p);
      void runInline(p);
    }
  };

  const startHelper = (p: Pending, reply: Reply) => {
    const fail = () => {
      noHelpers = true;
      // only while its job is still running here (not after it ended, or ran in-line already)
      if ([...pending.values()].includes(p)) dropWorker();
    };
    let helper: WorkerLike;
    try {
      helper = makeWorker();
    } catch {
      fail();
      return;
    }
    p.helpers.push(helper);
    helper.onmessage = (e: MessageEvent<Reply>) => {
      if (e.data.error !== undefined) fail();
    };
    helper.onerror = (e) => {
      e.preventDefault();
      fail();
    };
    const input = reply.fork!.input;
    helper.postMessage({ id: 1, name: reply.fork!.name, input, port: reply.port }, [reply.port as unknown as Transferable, ...resultBuffers(input)]);
  };

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
      if (e.data.fork) {
        startHelper(p, e.data);
        return;
      }
      if (e.data.progress) {
        const { done, total, phase } = e.data.progress;
        p.options.onProgress?.(jobProgress(done, total, phase, p.name));
        return;
      }
      pending.delete(e.data.id);
      endHelpers(p);
      if (e.data.error !== undefined) p.reject(new Error(e.data.error));
      else p.resolve(e.data.result);
    };
    worker.onerror = (e) => {
      // the worker could not load or crashed: finish the waiting jobs in-line and stop using it
      e.preventDefault();
      broken = true;
      dropWorker();
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
        pending.set(id, { name, input, options, transferred: transfer.length > 0, resolve: resolve as (r: unknown) => void, reject, helpers: [] });
        options.signal?.addEventListener(
          "abort",
          () => {
            const p = pending.get(id);
            if (!p) return;
            pending.delete(id);
            endHelpers(p);
            // the job cannot be interrupted inside the worker: end the worker, start afresh next time
            dropWorker();
            reject(jobCancelled());
          },
          { once: true },
        );
        const helpers = noHelpers ? 0 : helpersPerJob;
        w.postMessage({ id, name, input, helpers }, transfer);
      });
    },
    dispose() {
      for (const p of pending.values()) endHelpers(p);
      worker?.terminate();
      worker = null;
    },
  };
}
