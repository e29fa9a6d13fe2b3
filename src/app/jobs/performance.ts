/**
 * The policy-performance job: realised cycle service level, fill rate, stockout frequency and
 * inventory turns per SKU and per segment from actuals (src/engine/policy/performance.ts), with
 * the SKUs furthest below their segment's target. Pure and synchronous (one pass over the
 * SKUs x periods matrices).
 */
import { policyPerformance, type PerformanceResult, type PerformanceTargets } from "../../engine/policy/performance";
import { jobCancelled, QUIET_JOB, type JobContext } from "./types";

export interface PerformanceJob {
  rows: number;
  periods: number;
  sku: string[];
  segment: string[];
  onHand?: Float64Array;
  stockout?: Float64Array;
  sales: Float64Array;
  backorders?: Float64Array;
  unitCost?: Float64Array;
  targets: [string, PerformanceTargets][];
  periodsPerYear: number;
  top: number;
}

export function computePerformance(job: PerformanceJob, ctx: JobContext = QUIET_JOB): PerformanceResult {
  if (ctx.aborted) throw jobCancelled();
  ctx.progress(0, 1, "Measuring the realised service");
  const r = policyPerformance(
    { rows: job.rows, periods: job.periods, sku: job.sku, segment: job.segment, onHand: job.onHand, stockout: job.stockout, sales: job.sales, backorders: job.backorders, unitCost: job.unitCost },
    new Map(job.targets),
    { periodsPerYear: job.periodsPerYear, top: job.top },
  );
  ctx.progress(1, 1, "Measuring the realised service");
  return r;
}
