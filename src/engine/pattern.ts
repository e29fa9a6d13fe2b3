/**
 * Demand-pattern classification of Syntetos, Boylan & Croston (2005, "On the categorization of
 * demand patterns", JORS 56:495-503): two statistics of each SKU's demand history and the
 * cut-offs they derived, ADI = 1.32 and CV² = 0.49.
 *
 * Conventions:
 * - ADI (average inter-demand interval) = number of periods / number of periods with demand > 0.
 *   Leading and trailing zero periods count (a history 0,0,5,0 has ADI 4). Some tools measure only
 *   the gaps between demands; over a long history the two agree closely.
 * - CV² = (sd / mean)² of the NON-ZERO demand sizes, population sd (divide by the number of
 *   non-zero periods), the same sd type as the XYZ default. A single non-zero period has CV² = 0.
 * - Boundaries are inclusive on the upper side: ADI >= 1.32 is the intermittent side and
 *   CV² >= 0.49 the erratic side (a value within 1e-12 relative of a cut-off counts as on it), so
 *   smooth:       ADI <  1.32, CV² <  0.49     erratic: ADI <  1.32, CV² >= 0.49
 *   intermittent: ADI >= 1.32, CV² <  0.49     lumpy:   ADI >= 1.32, CV² >= 0.49
 * - A history with no demand at all gets the distinct pattern "no demand"; its ADI and CV² are
 *   the CellError kind "na" "no demand: ADI and CV² undefined".
 * - A row with a negative, non-finite or unreadable period is rejected (CellError naming the period).
 */
import { atLeast } from "./abc";
import { ArgumentError, CellError, cellError } from "./errors";
import { checkMask, EVERY_PERIOD_EXCLUDED_MESSAGE, excludedCounts, keptPeriods, PeriodMask } from "./promotions";
import { checkPeriods, DemandHistory, HistoryStorage, historyStorage, pairStats, scanCellsPair } from "./xyz";

/** Pattern labels by code. */
export const PATTERN_LABELS = ["smooth", "erratic", "intermittent", "lumpy", "no demand"] as const;
export type PatternLabel = (typeof PATTERN_LABELS)[number];
export const PATTERN_NO_DEMAND = 4;

export const DEFAULT_ADI_CUTOFF = 1.32;
export const DEFAULT_CV2_CUTOFF = 0.49;

export interface PatternOptions {
  adiCutoff?: number;
  cv2Cutoff?: number;
  /**
   * Periods to leave out (promotions), one flag per SKU and period (promotions.ts): ADI and CV²
   * are then taken over the kept periods only (ADI = kept periods / kept periods with demand).
   */
  exclude?: PeriodMask;
}

export interface PatternResult {
  adiCutoff: number;
  cv2Cutoff: number;
  /** Code into PATTERN_LABELS per row; -1 when the row is rejected. */
  pattern: Int8Array;
  /** NaN when undefined (see issues). */
  adi: Float64Array;
  cv2: Float64Array;
  /** Periods left out by `exclude` (promotions), per row (all 0 without a mask). */
  excluded: Int32Array;
  /** Rejected rows (kind "value") and rows without demand (kind "na", pattern "no demand"). */
  issues: Map<number, CellError>;
}

export const NO_DEMAND_MESSAGE = "no demand: ADI and CV² undefined";

export function validatePatternCutoffs(adiCutoff: number, cv2Cutoff: number): void {
  if (!(Number.isFinite(adiCutoff) && adiCutoff > 0)) throw new ArgumentError("adi_cutoff", `must be a positive number, got ${adiCutoff}`);
  if (!(Number.isFinite(cv2Cutoff) && cv2Cutoff > 0)) throw new ArgumentError("cv2_cutoff", `must be a positive number, got ${cv2Cutoff}`);
}

/** The per-row outputs of classifyPattern, shared by its row routines. */
interface PatternColumns {
  adiCutoff: number;
  cv2Cutoff: number;
  pattern: Int8Array;
  adi: Float64Array;
  cv2: Float64Array;
  issues: Map<number, CellError>;
  noDemand: CellError;
}

/**
 * ADI, CV² and pattern of row r from its n values x[0 .. n) (validated), with k = the number of
 * non-zero values, their sum and maximum. Sizes near the ends of the double range are divided by
 * their maximum (CV² is scale-free).
 */
function finishPatternRow(x: Float64Array, n: number, k: number, sum: number, max: number, r: number, o: PatternColumns): void {
  if (k === 0) {
    o.issues.set(r, o.noDemand);
    o.pattern[r] = PATTERN_NO_DEMAND;
    o.adi[r] = o.cv2[r] = NaN;
    return;
  }
  const scale = sum < Infinity && max <= 1e150 && max >= 1e-150 ? 1 : max;
  let s = sum;
  if (scale !== 1) {
    s = 0;
    for (let j = 0; j < n; j++) s += x[j] / scale;
  }
  const m = s / k;
  let ss = 0;
  for (let j = 0; j < n; j++) {
    const v = x[j];
    if (v > 0) {
      const d = (scale === 1 ? v : v / scale) - m;
      ss += d * d;
    }
  }
  setPattern(r, n / k, ss / k / (m * m), o);
}

function setPattern(r: number, a: number, c2: number, o: PatternColumns): void {
  o.adi[r] = a;
  o.cv2[r] = c2;
  o.pattern[r] = (atLeast(a, o.adiCutoff) ? 2 : 0) + (atLeast(c2, o.cv2Cutoff) ? 1 : 0);
}

export function classifyPattern(history: DemandHistory, options: PatternOptions = {}): PatternResult {
  const adiCutoff = options.adiCutoff ?? DEFAULT_ADI_CUTOFF;
  const cv2Cutoff = options.cv2Cutoff ?? DEFAULT_CV2_CUTOFF;
  validatePatternCutoffs(adiCutoff, cv2Cutoff);
  const { rows, periods: p } = history;
  const mask = options.exclude;
  if (mask !== undefined) checkMask(mask, rows, p, "exclude");
  const o: PatternColumns = {
    adiCutoff,
    cv2Cutoff,
    pattern: new Int8Array(rows),
    adi: new Float64Array(rows),
    cv2: new Float64Array(rows),
    issues: new Map<number, CellError>(),
    noDemand: cellError(NO_DEMAND_MESSAGE, "na"),
  };
  const excluded = mask === undefined ? new Int32Array(rows) : excludedCounts(mask);
  const result = (): PatternResult => ({ adiCutoff, cv2Cutoff, pattern: o.pattern, adi: o.adi, cv2: o.cv2, excluded, issues: o.issues });
  const source = historyStorage(history);
  if (mask === undefined && source !== undefined) {
    plainPatternRows(history, source, o);
    return result();
  }
  const x = new Float64Array(p);
  const allExcluded = cellError(EVERY_PERIOD_EXCLUDED_MESSAGE, "na");
  for (let r = 0; r < rows; r++) {
    const unreadable = history.readRow(r, x);
    const bad = unreadable ?? checkPeriods(x, p);
    if (bad !== undefined) {
      o.issues.set(r, bad);
      o.pattern[r] = -1;
      o.adi[r] = o.cv2[r] = NaN;
      continue;
    }
    const n = mask === undefined ? p : keptPeriods(mask, r, x, x);
    if (n === 0) {
      o.issues.set(r, allExcluded);
      o.pattern[r] = -1;
      o.adi[r] = o.cv2[r] = NaN;
      continue;
    }
    // One pass gathers the count, sum and maximum of the non-zero periods.
    let k = 0;
    let sum = 0;
    let max = 0;
    for (let j = 0; j < n; j++) {
      const v = x[j];
      if (v > 0) k++;
      sum += v; // zeros add nothing: this is the sum of the non-zero sizes
      if (v > max) max = v;
    }
    finishPatternRow(x, n, k, sum, max, r, o);
  }
  return result();
}

/**
 * classifyPattern without a mask over a storage-backed history, two rows at a time (see
 * plainCvRows in xyz.ts: the same sums in the same order, as two overlapping chains). The
 * non-zero test in the second pass is a multiplication by 0 or 1 rather than a branch, which
 * intermittent rows would mispredict; adding d² · 0 = 0 leaves the sum unchanged, so the result
 * is the same as finishPatternRow's.
 */
function plainPatternRows(history: DemandHistory, source: HistoryStorage, o: PatternColumns): void {
  const { rows, periods: p } = history;
  const inPlace = source.kind === "array" ? source.data : undefined;
  const stride = source.kind === "array" ? source.stride : 0;
  const start = source.kind === "array" ? source.start : 0;
  const bufA = new Float64Array(p);
  const bufB = new Float64Array(p);
  for (let r = 0; r < rows; r += 2) {
    const b = r + 1 < rows ? r + 1 : r;
    let xa: Float64Array;
    let xb: Float64Array;
    let offA = 0;
    let offB = 0;
    let okA = true;
    let okB = true;
    if (inPlace !== undefined) {
      xa = xb = inPlace;
      offA = r * stride + start;
      offB = b * stride + start;
    } else {
      xa = bufA;
      xb = bufB;
      okA = okB = false;
    }
    let kA = 0;
    let kB = 0;
    let sumA = 0;
    let sumB = 0;
    let maxA = 0;
    let maxB = 0;
    if (inPlace !== undefined) {
      let badA = false;
      let badB = false;
      for (let j = 0; j < p; j++) {
        const va = xa[offA + j];
        const vb = xb[offB + j];
        if (!(va >= 0 && va < Infinity)) badA = true;
        if (!(vb >= 0 && vb < Infinity)) badB = true;
        kA += +(va > 0);
        kB += +(vb > 0);
        sumA += va;
        sumB += vb;
        if (va > maxA) maxA = va;
        if (vb > maxB) maxB = vb;
      }
      okA = !badA;
      okB = !badB;
    } else if (source.kind === "cells") {
      const ok = scanCellsPair(source.cells[r], source.cells[b], source.start, p, bufA, bufB);
      okA = (ok & 1) !== 0;
      okB = (ok & 2) !== 0;
      sumA = pairStats[0];
      sumB = pairStats[1];
      maxA = pairStats[2];
      maxB = pairStats[3];
      kA = pairStats[4];
      kB = pairStats[5];
    }
    const plainA = okA && kA > 0 && sumA < Infinity && maxA <= 1e150 && maxA >= 1e-150;
    const plainB = okB && kB > 0 && sumB < Infinity && maxB <= 1e150 && maxB >= 1e-150;
    if (plainA && plainB) {
      const mA = sumA / kA;
      const mB = sumB / kB;
      let ssA = 0;
      let ssB = 0;
      for (let j = 0; j < p; j++) {
        const va = xa[offA + j];
        const vb = xb[offB + j];
        const da = va - mA;
        const db = vb - mB;
        ssA += da * da * +(va > 0);
        ssB += db * db * +(vb > 0);
      }
      setPattern(r, p / kA, ssA / kA / (mA * mA), o);
      if (b !== r) setPattern(b, p / kB, ssB / kB / (mB * mB), o);
      continue;
    }
    slowPatternRow(history, r, okA, xa, offA, kA, sumA, maxA, o, bufA);
    if (b !== r) slowPatternRow(history, b, okB, xb, offB, kB, sumB, maxB, o, bufB);
  }
}

/** One row of plainPatternRows that could not take the paired path (or whose partner could not). */
function slowPatternRow(
  history: DemandHistory,
  r: number,
  ok: boolean,
  x: Float64Array,
  off: number,
  k: number,
  sum: number,
  max: number,
  o: PatternColumns,
  buf: Float64Array,
): void {
  const p = history.periods;
  if (!ok) {
    const unreadable = history.readRow(r, buf);
    const bad = unreadable ?? checkPeriods(buf, p);
    if (bad !== undefined) {
      o.issues.set(r, bad);
      o.pattern[r] = -1;
      o.adi[r] = o.cv2[r] = NaN;
      return;
    }
    k = 0;
    sum = 0;
    max = 0;
    for (let j = 0; j < p; j++) {
      const v = buf[j];
      if (v > 0) k++;
      sum += v;
      if (v > max) max = v;
    }
    finishPatternRow(buf, p, k, sum, max, r, o);
    return;
  }
  if (x !== buf) for (let j = 0; j < p; j++) buf[j] = x[off + j];
  finishPatternRow(buf, p, k, sum, max, r, o);
}
