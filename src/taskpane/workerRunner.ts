/**
 * EngineRunner on a Web Worker (webpack 5 bundles classify.worker.ts as its own chunk from the
 * `new URL(..., import.meta.url)` below). Falls back to the in-line runner where workers are not
 * available or the worker fails to start. Only the pane entry imports this file: jest never sees
 * import.meta.
 */
import { createInlineRunner, type EngineRunner } from "../app/engineRunner";
import type { ClassificationResult, ClassifyJob } from "../app/classifyTypes";

interface Reply {
  id: number;
  result?: ClassificationResult;
  error?: string;
}

export function createWorkerRunner(): EngineRunner {
  const inline = createInlineRunner();
  if (typeof Worker === "undefined") return inline;
  let worker: Worker | null;
  try {
    worker = new Worker(new URL("./classify.worker.ts", import.meta.url));
  } catch {
    return inline;
  }
  let next = 0;
  const pending = new Map<number, { resolve: (r: ClassificationResult) => void; reject: (e: Error) => void; job: ClassifyJob }>();
  worker.onmessage = (e: MessageEvent<Reply>) => {
    const p = pending.get(e.data.id);
    if (!p) return;
    pending.delete(e.data.id);
    if (e.data.error !== undefined) p.reject(new Error(e.data.error));
    else p.resolve(e.data.result!);
  };
  worker.onerror = (e) => {
    // the worker could not load or crashed: finish the waiting jobs in-line and stop using it
    e.preventDefault();
    worker?.terminate();
    worker = null;
    for (const [id, p] of pending) {
      pending.delete(id);
      inline.classify(p.job).then(p.resolve, p.reject);
    }
  };
  return {
    classify(job) {
      if (!worker) return inline.classify(job);
      const id = ++next;
      return new Promise<ClassificationResult>((resolve, reject) => {
        pending.set(id, { resolve, reject, job });
        worker!.postMessage({ id, job });
      });
    },
    dispose() {
      worker?.terminate();
      worker = null;
    },
  };
}
