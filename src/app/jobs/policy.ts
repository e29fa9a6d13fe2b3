/**
 * The policy job: every SKU's deployable policy (src/engine/policy/deploy.ts: lifecycle, levels
 * from the segment's distribution and method, floors, rounding, budget, DC capacity) for the
 * columns src/app/policyInput.ts builds. Pure and synchronous; reports its phases and stops when
 * cancelled (between phases, and inside the budget allocation every few thousand steps).
 */
import { deployPolicy, type DeployResult } from "../../engine/policy/deploy";
import type { PolicyJob } from "../policyInput";
import { jobCancelled, QUIET_JOB, type JobContext } from "./types";

export function computePolicy(job: PolicyJob, ctx: JobContext = QUIET_JOB): DeployResult {
  if (ctx.aborted) throw jobCancelled();
  return deployPolicy(
    job.grid,
    {
      rows: job.rows,
      sku: job.sku,
      segment: job.segment,
      gridRow: job.gridRow ?? undefined,
      planned: job.planned,
      demandMean: job.demandMean,
      demandSd: job.demandSd,
      pattern: job.pattern,
      leadTime: job.leadTime,
      leadTimeSd: job.leadTimeSd,
      orderQty: job.orderQty,
      unitCost: job.unitCost,
      orderMultiple: job.orderMultiple,
      moq: job.moq,
      floor: job.floor,
      unitVolume: job.unitVolume,
      location: job.location ?? undefined,
      lifecycle: job.lifecycle ?? undefined,
      phaseOutStart: job.phaseOutStart ?? undefined,
      lastBuy: job.lastBuy ?? undefined,
      analog: job.analog ?? undefined,
      family: job.family ?? undefined,
    },
    job.options,
    {
      asOf: job.asOf,
      capacity: job.capacity.length ? new Map(job.capacity) : undefined,
      budget: job.budget,
      onProgress: (done, total, phase) => ctx.progress(done, total, phase),
      signal: ctx,
    },
  );
}
