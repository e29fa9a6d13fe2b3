/**
 * Lifecycle adjustments to the demand a policy protects: end-of-life SKUs ramp down over their
 * phase-out and are not replenished after the last-buy date; new SKUs without history take their
 * demand from a mapped analog SKU or from their family.
 *
 * Conventions:
 * - Time is a period index on one clock (the same periods as the demand; periodsBetween converts
 *   Excel date serials). asOf is "now".
 * - Phase-out: a linear ramp of the demand from 100 % at phaseOutStart to 0 % at
 *   phaseOutStart + phaseOutPeriods (0 periods: demand stops at phaseOutStart). An "eol" status
 *   without a start date starts the ramp at asOf. Before the start the factor is 1.
 * - The factor applied is the ramp's average over the horizon the policy protects
 *   [asOf, asOf + horizon] (horizon = lead time + review period, the protection interval; 0 = the
 *   factor at asOf). Mean and sd are both multiplied (the coefficient of variation is kept).
 * - Last buy: from the last-buy date on (asOf >= lastBuy) there is no replenishment: the row is
 *   flagged replenish = 0 and its order quantity, reorder point, min and max should be written as
 *   0 (the caller does it; the Policy sheet and MRP export say "no replenishment after last buy").
 *   Before it, demandAfterLastBuy is the expected demand from the last-buy date to the end of the
 *   ramp (what the last buy has to cover), mean demand x the area under the ramp.
 * - New SKUs (status "new", or no history: demandMean NaN): the analog's demand times analogFactor
 *   (default 1); failing an analog with history, the family's average mean and average sd over
 *   its SKUs with history; failing both, a row error ("na"). Analogs are followed one level only
 *   (an analog must have its own history), so chains cannot loop.
 */
import { CellError, cellError } from "../errors";

export type LifecycleStatus = "active" | "eol" | "new";

/** Source of a row's demand: its own history, an analog, its family. */
export const SOURCE_OWN = 0;
export const SOURCE_ANALOG = 1;
export const SOURCE_FAMILY = 2;
export const DEMAND_SOURCES = ["own history", "analog", "family"] as const;

export interface LifecycleColumns {
  rows: number;
  sku: ArrayLike<string>;
  /** "active" (blank), "eol", "new" in any case. */
  status?: ArrayLike<string>;
  /** Per-period demand mean and sd; NaN = no history. */
  demandMean: ArrayLike<number>;
  demandSd: ArrayLike<number>;
  /** Demand-pattern code to carry over from an analog (optional). */
  pattern?: ArrayLike<number>;
  /** Period index where the ramp-down starts; NaN = none (or asOf for "eol"). */
  phaseOutStart?: ArrayLike<number>;
  /** Length of the ramp in periods, >= 0; NaN = 0. */
  phaseOutPeriods?: ArrayLike<number>;
  /** Period index of the last-buy date; NaN = none. */
  lastBuy?: ArrayLike<number>;
  /** Protection interval (periods) over which the ramp is averaged; NaN = 0. */
  horizon?: ArrayLike<number>;
  analog?: ArrayLike<string>;
  family?: ArrayLike<string>;
  /** Scale on the analog's demand; NaN = 1. */
  analogFactor?: ArrayLike<number>;
}

export interface LifecycleResult {
  demandMean: Float64Array;
  demandSd: Float64Array;
  pattern: Int8Array;
  /** Ramp factor applied (1 = none). */
  factor: Float64Array;
  /** 1 = replenish, 0 = after the last-buy date. */
  replenish: Uint8Array;
  /** Expected demand from the last-buy date to the end of the ramp (units); NaN when not applicable. */
  demandAfterLastBuy: Float64Array;
  /** SOURCE_OWN / SOURCE_ANALOG / SOURCE_FAMILY. */
  source: Int8Array;
  /** What was done to the row, in words ("" when nothing). */
  notes: Map<number, string>;
  errors: Map<number, CellError>;
}

/** Periods from one Excel date serial to another (days / daysPerPeriod; 7 for weeks). */
export function periodsBetween(fromSerial: number, toSerial: number, daysPerPeriod: number): number {
  return (toSerial - fromSerial) / daysPerPeriod;
}

/** Integral over [t0, t1] of the ramp that is 1 before a, falls linearly to 0 at a + P, 0 after. */
export function rampIntegral(t0: number, t1: number, a: number, P: number): number {
  if (!(t1 > t0)) return 0;
  let total = Math.max(0, Math.min(t1, a) - t0);
  if (P > 0) {
    const u0 = Math.max(t0, a);
    const u1 = Math.min(t1, a + P);
    if (u1 > u0) total += u1 - u0 - ((u1 - a) ** 2 - (u0 - a) ** 2) / (2 * P);
  }
  return total;
}

/** The ramp's value at t (see rampIntegral). */
export function rampFactor(t: number, a: number, P: number): number {
  if (t <= a) return 1;
  if (!(P > 0)) return 0;
  return Math.max(0, 1 - (t - a) / P);
}

function readStatus(x: string | undefined): LifecycleStatus | null {
  const t = (x ?? "").trim().toLowerCase();
  if (t === "" || t === "active") return "active";
  if (t === "eol" || t === "end of life" || t === "phase-out" || t === "phase out") return "eol";
  if (t === "new") return "new";
  return null;
}

/** Lifecycle-adjusted demand per SKU (see the module comment). */
export function applyLifecycle(c: LifecycleColumns, asOf: number): LifecycleResult {
  const n = c.rows;
  const res: LifecycleResult = {
    demandMean: new Float64Array(n),
    demandSd: new Float64Array(n),
    pattern: new Int8Array(n).fill(-1),
    factor: new Float64Array(n).fill(1),
    replenish: new Uint8Array(n).fill(1),
    demandAfterLastBuy: new Float64Array(n).fill(Number.NaN),
    source: new Int8Array(n),
    notes: new Map(),
    errors: new Map(),
  };
  const at = (col: ArrayLike<number> | undefined, i: number, fallback: number) => {
    if (!col) return fallback;
    const x = col[i];
    return x === x ? x : fallback;
  };
  const hasHistory = (i: number) => {
    const m = c.demandMean[i];
    const s = c.demandSd[i];
    return m === m && s === s && readStatus(c.status?.[i]) !== "new";
  };
  // index of SKUs with their own history, and family averages over them
  const bySku = new Map<string, number>();
  const families = new Map<string, { mean: number; sd: number; count: number }>();
  for (let i = 0; i < n; i++) {
    if (!hasHistory(i)) continue;
    bySku.set(c.sku[i], i);
    const fam = c.family?.[i];
    if (fam) {
      const f = families.get(fam) ?? { mean: 0, sd: 0, count: 0 };
      f.mean += c.demandMean[i];
      f.sd += c.demandSd[i];
      f.count++;
      families.set(fam, f);
    }
  }
  for (let i = 0; i < n; i++) {
    const status = readStatus(c.status?.[i]);
    if (status === null) {
      res.errors.set(i, cellError(`status must be active, eol or new, got "${c.status?.[i]}"`));
      res.demandMean[i] = res.demandSd[i] = Number.NaN;
      continue;
    }
    let mean = c.demandMean[i];
    let sd = c.demandSd[i];
    res.pattern[i] = at(c.pattern, i, -1);
    if (!hasHistory(i)) {
      const analog = c.analog?.[i];
      const j = analog ? bySku.get(analog) : undefined;
      const fam = c.family?.[i];
      const f = fam ? families.get(fam) : undefined;
      if (j !== undefined) {
        const k = at(c.analogFactor, i, 1);
        if (!(k >= 0 && k < Infinity)) {
          res.errors.set(i, cellError(`analogFactor must be a number >= 0, got ${k}`));
          res.demandMean[i] = res.demandSd[i] = Number.NaN;
          continue;
        }
        mean = c.demandMean[j] * k;
        sd = c.demandSd[j] * k;
        res.pattern[i] = at(c.pattern, j, -1);
        res.source[i] = SOURCE_ANALOG;
        res.notes.set(i, `demand from analog ${analog}${k !== 1 ? ` x ${k}` : ""}`);
      } else if (f) {
        mean = f.mean / f.count;
        sd = f.sd / f.count;
        res.source[i] = SOURCE_FAMILY;
        res.notes.set(i, `demand from family ${fam} (average of ${f.count} SKU${f.count === 1 ? "" : "s"})${analog ? `; analog ${analog} has no history` : ""}`);
      } else {
        const why = analog ? `analog ${analog} has no history` : fam ? `family ${fam} has no SKU with history` : "no analog or family mapped";
        res.errors.set(i, cellError(`no demand history: ${why}`, "na"));
        res.demandMean[i] = res.demandSd[i] = Number.NaN;
        continue;
      }
    }
    // phase-out ramp
    const start0 = at(c.phaseOutStart, i, Number.NaN);
    const P = at(c.phaseOutPeriods, i, 0);
    if (!(P >= 0 && P < Infinity)) {
      res.errors.set(i, cellError(`phaseOutPeriods must be a number >= 0, got ${P}`));
      res.demandMean[i] = res.demandSd[i] = Number.NaN;
      continue;
    }
    const start = start0 === start0 ? start0 : status === "eol" ? asOf : Number.NaN;
    const baseMean = mean; // before the ramp
    if (start === start) {
      const H = at(c.horizon, i, 0);
      const factor = H > 0 ? rampIntegral(asOf, asOf + H, start, P) / H : rampFactor(asOf, start, P);
      res.factor[i] = factor;
      mean *= factor;
      sd *= factor;
      if (factor < 1) res.notes.set(i, joinNote(res.notes.get(i), `phase-out: demand at ${Math.round(factor * 1000) / 10} %`));
    }
    const lastBuy = at(c.lastBuy, i, Number.NaN);
    if (lastBuy === lastBuy) {
      if (asOf >= lastBuy) {
        res.replenish[i] = 0;
        res.notes.set(i, joinNote(res.notes.get(i), "no replenishment after the last-buy date"));
      } else if (start === start) {
        res.demandAfterLastBuy[i] = baseMean * rampIntegral(lastBuy, start + P, start, P);
      }
    }
    res.demandMean[i] = mean;
    res.demandSd[i] = sd;
  }
  return res;
}

function joinNote(a: string | undefined, b: string): string {
  return a ? `${a}; ${b}` : b;
}
