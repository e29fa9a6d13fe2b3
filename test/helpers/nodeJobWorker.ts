/**
 * The engine worker on a node worker thread, for tests and the bench: the same job host the pane's
 * engine.worker.ts runs (src/app/jobHost.ts), on `parentPort` instead of a Web Worker's `self`.
 * startNodeJobWorker() gives the WorkerLike the pane's runner (src/taskpane/workerClient.ts) drives.
 */
import path from "node:path";
import { isMainThread, parentPort, Worker } from "node:worker_threads";
import { serveJobs, type JobHostScope, type JobRequest } from "../../src/app/jobHost";
import type { Reply, WorkerLike } from "../../src/taskpane/workerClient";

if (!isMainThread && parentPort) {
  const port = parentPort;
  const scope: JobHostScope = {
    postMessage: (message, transfer) => port.postMessage(message, transfer as never),
    onmessage: null,
  };
  port.on("message", (data: JobRequest) => scope.onmessage?.({ data }));
  serveJobs(scope);
}

/**
 * A node worker thread running this file, as a WorkerLike. The thread loads the TypeScript through
 * tsx's require hook (the --import flag is not passed on to worker threads).
 */
export function startNodeJobWorker(): WorkerLike {
  const entry = JSON.stringify(path.join(__dirname, "nodeJobWorker.ts"));
  const w = new Worker(`require("tsx/cjs"); require(${entry});`, { eval: true });
  const like: WorkerLike = {
    postMessage: (message, transfer) => w.postMessage(message, transfer as never),
    terminate: () => void w.terminate(),
    onmessage: null,
    onerror: null,
  };
  w.on("message", (data: Reply) => like.onmessage?.({ data } as MessageEvent<Reply>));
  w.on("error", (err) => like.onerror?.({ message: err.message, preventDefault() {} } as ErrorEvent));
  return like;
}
