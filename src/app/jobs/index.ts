/**
 * The engine jobs the pane runs off its UI thread, by name. A new engine step is one module in
 * this folder and one line here: the worker (src/taskpane/engine.worker.ts) and both runners
 * dispatch through this map, so they need no change.
 */
import { computeClassification } from "./classify";
import { solveNetwork } from "./gsm";
import { runScenarios } from "./simulate";
import { computeForecast, computeForecastSku } from "./forecast";
import { computeDimensions } from "./dimensions";
import { computeExecution } from "./execution";
import { computeContractTerms } from "./contracts";
import { computePerformance } from "./performance";
import { computePolicy } from "./policy";
import { computeBucket } from "./bucket";
import { computeReconciliation } from "./reconcile";
import { computeStability, computeStabilityPart } from "./stability";
import type { JobContext } from "./types";

export const JOBS = {
  classify: computeClassification,
  simulate: runScenarios,
  gsm: solveNetwork,
  forecast: computeForecast,
  forecastSku: computeForecastSku,
  dimensions: computeDimensions,
  execution: computeExecution,
  contractTerms: computeContractTerms,
  policy: computePolicy,
  performance: computePerformance,
  bucket: computeBucket,
  reconcile: computeReconciliation,
  stability: computeStability,
  stabilityPart: computeStabilityPart,
} satisfies Record<string, (input: never, ctx: JobContext) => unknown>;

export type JobName = keyof typeof JOBS;
export type JobInput<K extends JobName> = Parameters<(typeof JOBS)[K]>[0];
/** What the job gives (a job may work asynchronously: the runners wait for its promise). */
export type JobOutput<K extends JobName> = Awaited<ReturnType<(typeof JOBS)[K]>>;

/** Runs job `name` on this thread. */
export function runJob<K extends JobName>(name: K, input: JobInput<K>, ctx: JobContext): JobOutput<K> | Promise<JobOutput<K>> {
  const job = JOBS[name] as unknown as (input: JobInput<K>, ctx: JobContext) => JobOutput<K> | Promise<JobOutput<K>>;
  if (typeof job !== "function") throw new Error(`There is no engine job named "${String(name)}".`);
  return job(input, ctx);
}
