/**
 * The reconciliation job: the written segmentation against the finance rows
 * (src/engine/reconcile.ts), off the UI thread. Pure and synchronous; the input and the result
 * (plain objects, arrays and typed arrays) survive structured cloning.
 */
import type { FinanceRows, ReconcileOptions, ReconcileResult, SegmentationRows } from "../../engine/reconcile";
import { reconcile } from "../../engine/reconcileJoin";
import { jobCancelled, QUIET_JOB, type JobContext } from "./types";

export interface ReconcileJob {
  segmentation: SegmentationRows;
  finance: FinanceRows;
  options: ReconcileOptions;
}

export function computeReconciliation(job: ReconcileJob, ctx: JobContext = QUIET_JOB): ReconcileResult {
  if (ctx.aborted) throw jobCancelled();
  ctx.progress(0, 1, "Reconciling with the finance sheet");
  const r = reconcile(job.segmentation, job.finance, job.options);
  ctx.progress(1, 1, "Reconciling with the finance sheet");
  return r;
}
