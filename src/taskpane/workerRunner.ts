/**
 * The pane's EngineRunner: engine jobs on a Web Worker (webpack 5 bundles engine.worker.ts as its
 * own chunk from the `new URL(..., import.meta.url)` below; the runner itself is workerClient.ts).
 * A job that can use more cores (the stability check) may fork up to one helper worker per spare
 * core, at most three. In-line where workers are not available. Only the pane entry imports this
 * file: jest never sees import.meta.
 */
import { createInlineRunner, type EngineRunner } from "../app/engineRunner";
import { createWorkerRunnerWith, type WorkerLike } from "./workerClient";

export function createWorkerRunner(): EngineRunner {
  if (typeof Worker === "undefined") return createInlineRunner();
  const cores = typeof navigator === "object" && navigator.hardwareConcurrency > 0 ? navigator.hardwareConcurrency : 1;
  // a named chunk (dist/engine-worker.js), which the browser test of the workers loads directly
  const start = () => new Worker(/* webpackChunkName: "engine-worker" */ new URL("./engine.worker.ts", import.meta.url)) as unknown as WorkerLike;
  return createWorkerRunnerWith(start, { helpers: Math.min(3, cores - 1) });
}
