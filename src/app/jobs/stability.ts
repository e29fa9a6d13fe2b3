/**
 * The class-stability job (issue 11): Monte Carlo stability of each SKU's ABC×XYZ segment under
 * forecast error (src/engine/stability.ts StabilitySimulation), run a chunk of runs at a time so
 * that the worker reports progress after each and stops on cancel between them. Input: the run's
 * values and the windowed history (row-major), one error CV for all SKUs or one per SKU, the
 * cut-offs of the run; rows flagged `skip` (inactive SKUs, left out of the ranking as in the
 * classification) get no result. Output: structured-cloneable arrays and per-segment figures.
 *
 * On more than one core (ctx.fork) the job keeps part of the SKUs and hands the rest, in equal
 * blocks, to "stabilityPart" helpers (StabilitySimulation.split): each run it perturbs its own rows
 * while the helpers perturb theirs, then ranks all of them. The helpers run ahead by at most
 * PART_WINDOW runs (each run's message is acknowledged), which bounds the messages waiting. The
 * result is the one-thread result bit for bit (each SKU draws from its own stream).
 */
import { resultBuffers } from "../engineRunner";
import { cellError, type CellError } from "../../engine/errors";
import { StabilityPart, StabilitySimulation, type ClassStability, type StabilityBlock, type StabilityPartRun } from "../../engine/stability";
import { historyFromArray, type SdType } from "../../engine/xyz";
import { jobCancelled, portQueue, type JobContext, type JobPort } from "./types";

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

/** Below this many SKUs a run takes a few ms and a helper worker would cost more than it saves. */
export const MIN_ROWS_TO_SPLIT = 20_000;
/** At most this many helpers (the ranking of each run stays on the job's own thread). */
export const MAX_PARTS = 3;
/** How many runs a helper may be ahead of the ranking. */
export const PART_WINDOW = 3;

/**
 * The share of the rows the job keeps with `parts` helpers: less than a helper's, since the job
 * also ranks each run (about a seventh of a run's perturbation on the bench's 100,000 x 104).
 */
export function ownShare(parts: number): number {
  const rank = 0.15;
  return Math.max(0.05, (1 - rank * parts) / (1 + parts));
}

/** A helper's message: one run of its rows, or why it stopped. */
type PartMessage = StabilityPartRun | { error: string };

export async function computeStability(job: StabilityJob, ctx: JobContext): Promise<StabilityJobResult> {
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
  const phase = "Simulating demand with forecast error";
  ctx.progress(0, sim.totalRuns, phase);
  const parts = ctx.fork && job.rows >= MIN_ROWS_TO_SPLIT ? Math.min(MAX_PARTS, Math.floor(ctx.helpers ?? 0)) : 0;
  if (parts > 0) await runWithParts(sim, parts, ctx, phase);
  else {
    while (!sim.finished) {
      if (ctx.aborted) throw jobCancelled();
      sim.step(1);
      ctx.progress(sim.runsDone, sim.totalRuns, phase);
    }
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

async function runWithParts(sim: StabilitySimulation, parts: number, ctx: JobContext, phase: string): Promise<void> {
  const ports: JobPort[] = sim.split(parts, ownShare(parts)).map((block) => ctx.fork!("stabilityPart", block, resultBuffers(block)));
  const queues = ports.map(portQueue);
  try {
    while (!sim.finished) {
      if (ctx.aborted) throw jobCancelled();
      sim.perturbOwn();
      const runs = (await Promise.all(queues.map((q) => q.next()))) as PartMessage[];
      for (const m of runs) if ("error" in m) throw new Error(`The stability check's helper worker failed: ${m.error}`);
      sim.finishRun(runs as StabilityPartRun[]);
      for (const port of ports) port.postMessage({ ack: 1 });
      ctx.progress(sim.runsDone, sim.totalRuns, phase);
    }
  } finally {
    for (const port of ports) port.close?.();
  }
}

/**
 * The helper's side: perturbs a block of the SKUs run after run and posts each run's perturbed
 * values and XYZ classes to the job that started it (ctx.port), at most PART_WINDOW runs ahead of
 * its acknowledgements.
 */
export async function computeStabilityPart(block: StabilityBlock, ctx: JobContext): Promise<{ runs: number }> {
  const port = ctx.port;
  if (!port) throw new Error("stabilityPart runs as a helper of the stability job (it needs a port)");
  const acks = portQueue(port);
  try {
    const part = new StabilityPart(block);
    let credit = PART_WINDOW;
    while (!part.finished) {
      while (credit === 0) credit += ((await acks.next()) as { ack: number }).ack;
      const run = part.run();
      const perturbed = run.perturbed.slice();
      const runXyz = run.runXyz.slice();
      port.postMessage({ start: run.start, perturbed, runXyz } satisfies StabilityPartRun, [perturbed.buffer, runXyz.buffer]);
      credit--;
    }
    return { runs: part.runsDone };
  } catch (err) {
    port.postMessage({ error: err instanceof Error ? err.message : String(err) } satisfies PartMessage);
    throw err;
  }
}
