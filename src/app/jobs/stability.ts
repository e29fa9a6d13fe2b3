/**
 * The class-stability job (issue 11): Monte Carlo stability of each SKU's ABC×XYZ segment under
 * forecast error (src/engine/stability.ts StabilitySimulation), run a chunk of runs at a time so
 * that the worker reports progress after each and stops on cancel between them. Input: the run's
 * values and the windowed history (row-major), one error CV for all SKUs or one per SKU, the
 * cut-offs of the run; rows flagged `skip` (inactive SKUs, left out of the ranking as in the
 * classification) get no result. Output: structured-cloneable arrays and per-segment figures.
 */
import { cellError, type CellError } from "../../engine/errors";
import { StabilitySimulation, type ClassStability } from "../../engine/stability";
import { historyFromArray, type SdType } from "../../engine/xyz";
import { jobCancelled, type JobContext } from "./types";

export interface StabilityJob {
  rows: number;
  periods: number;
  values: Float64Array;
  /** rows × periods, oldest first. */
  history: Float64Array;
  /** 1 = leave out (inactive): no ranking, no result. */
  skip: Uint8Array;
  errorCv: number | Float64Array;
  runs: number;
  seed: number;
  threshold: number;
  cutoffs: number[];
  xMax: number;
  yMax: number;
  sdType: SdType;
}

export interface StabilityJobResult {
  runs: number;
  labels: string[];
  /** Reference segment code per row (-1: none). */
  reference: Int32Array;
  /** Probability of keeping the segment; NaN without one. */
  stay: Float64Array;
  flagged: Uint8Array;
  threshold: number;
  byClass: ClassStability[];
  /** Rows without a result: [row, reason]. */
  issues: [number, string][];
  ms: number;
}

const SKIPPED = cellError("inactive: left out of the ranking", "na");

export function computeStability(job: StabilityJob, ctx: JobContext): StabilityJobResult {
  const t0 = Date.now();
  const issues = new Map<number, CellError>();
  for (let i = 0; i < job.rows; i++) if (job.skip[i]) issues.set(i, SKIPPED);
  const values = Float64Array.from(job.values, (v, i) => (job.skip[i] ? Number.NaN : v));
  const sim = new StabilitySimulation(values, historyFromArray(job.history, job.rows, job.periods), {
    runs: job.runs,
    seed: job.seed,
    errorCv: job.errorCv,
    threshold: job.threshold,
    cutoffs: job.cutoffs,
    xMax: job.xMax,
    yMax: job.yMax,
    sdType: job.sdType,
    issues,
  });
  ctx.progress(0, sim.totalRuns, "Simulating demand with forecast error");
  while (!sim.finished) {
    if (ctx.aborted) throw jobCancelled();
    sim.step(1);
    ctx.progress(sim.runsDone, sim.totalRuns, "Simulating demand with forecast error");
  }
  const r = sim.result(false);
  return {
    runs: r.runs,
    labels: r.labels,
    reference: r.reference,
    stay: r.stay,
    flagged: r.flagged,
    threshold: r.threshold,
    byClass: r.byClass,
    issues: [...r.issues].map(([i, e]) => [i, e.message]),
    ms: Date.now() - t0,
  };
}
