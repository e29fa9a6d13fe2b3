/**
 * The pane's EngineRunner: engine jobs on a Web Worker (webpack 5 bundles engine.worker.ts as its
 * own chunk from the `new URL(..., import.meta.url)` below; the runner itself is workerClient.ts).
 * In-line where workers are not available. Only the pane entry imports this file: jest never sees
 * import.meta.
 */
import { createInlineRunner, type EngineRunner } from "../app/engineRunner";
import { createWorkerRunnerWith, type WorkerLike } from "./workerClient";

export function createWorkerRunner(): EngineRunner {
  if (typeof Worker === "undefined") return createInlineRunner();
  return createWorkerRunnerWith(() => new Worker(new URL("./engine.worker.ts", import.meta.url)) as unknown as WorkerLike);
}
