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
import { checkedLaneSum, checkPeriods, DemandHistory, HistoryStorage, historyStorage, laneSum, maxOf, plainSum, scanCells, scanned } from "./xyz";

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
  if (k === 0) return noDemandRow(r, o);
  const scale = sum < Infinity && max <= 1e150 && max >= 1e-150 ? 1 : max;
  let s = sum;
  if (scale !== 1) {
    s = 0;
    for (let j = 0; j < n; j++) s += x[j] / scale;
  }
  const m = s / k;
  let ss = 0;
  if (scale === 1) ss = nonZeroSquares(x, 0, n, m);
  else {
    for (let j = 0; j < n; j++) {
      const v = x[j];
      if (v > 0) {
        const d = v / scale - m;
        ss += d * d;
      }
    }
  }
  setPattern(r, n / k, ss / k / (m * m), o);
}

/** A row whose periods are all 0. */
function noDemandRow(r: number, o: PatternColumns): void {
  o.issues.set(r, o.noDemand);
  o.pattern[r] = PATTERN_NO_DEMAND;
  o.adi[r] = o.cv2[r] = NaN;
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
    // zeros add nothing to the sum: it is the sum of the non-zero sizes
    finishPatternRow(x, n, nonZeroCount(x, 0, n), laneSum(x, 0, n), maxOf(x, n), r, o);
  }
  return result();
}

/**
 * classifyPattern without a mask over a storage-backed history: per row, one pass checks the row
 * and takes the sum and the number of non-zero periods (xyz.ts's checkedLaneSum / scanCells,
 * counting), a second the squared deviations of the non-zero sizes (nonZeroSquares), in the lane
 * order of laneSum in xyz.ts, so the results are finishPatternRow's. The non-zero test in the second pass is a
 * multiplication by 0 or 1 rather than a branch, which intermittent rows would mispredict; adding
 * d² · 0 = 0 leaves the sum unchanged. A checked sum of exactly 0 means no demand in any period
 * (finished at once); other rows that are not plain go through slowPatternRow.
 */
function plainPatternRows(history: DemandHistory, source: HistoryStorage, o: PatternColumns): void {
  const { rows, periods: p } = history;
  const buf = new Float64Array(p);
  if (source.kind === "array") {
    const { data, stride, start } = source;
    for (let r = 0; r < rows; r++) {
      const off = r * stride + start;
      const sum = checkedLaneSum(data, off, p, true);
      if (plainSum(sum)) {
        const k = scanned.nonZero;
        const m = sum / k;
        setPattern(r, p / k, nonZeroSquares(data, off, p, m) / k / (m * m), o);
      } else if (sum === 0) noDemandRow(r, o);
      else slowPatternRow(history, r, o, buf);
    }
    return;
  }
  const { cells, start } = source;
  for (let r = 0; r < rows; r++) {
    const row = cells[r];
    const sum = scanCells(row, start, p, true);
    if (plainSum(sum)) {
      const k = scanned.nonZero;
      const m = sum / k;
      setPattern(r, p / k, nonZeroSquaresCells(row, start, p, m) / k / (m * m), o);
    } else if (sum === 0) noDemandRow(r, o);
    else slowPatternRow(history, r, o, buf);
  }
}

/** The number of values > 0 in x[off .. off + n). */
function nonZeroCount(x: Float64Array, off: number, n: number): number {
  let k = 0;
  for (let j = 0; j < n; j++) k += +(x[off + j] > 0);
  return k;
}

/** Σ over the values v > 0 of x[off .. off + n) of (v - m)², in laneSum's order. */
function nonZeroSquares(x: Float64Array, off: number, n: number, m: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j + 3 < n; j += 4) {
    const a = x[off + j];
    const b = x[off + j + 1];
    const c = x[off + j + 2];
    const d = x[off + j + 3];
    s0 += (a - m) * (a - m) * +(a > 0);
    s1 += (b - m) * (b - m) * +(b > 0);
    s2 += (c - m) * (c - m) * +(c > 0);
    s3 += (d - m) * (d - m) * +(d > 0);
  }
  for (let i = j; i < n; i++) {
    const v = x[off + i];
    const q = (v - m) * (v - m) * +(v > 0);
    if (i === j) s0 += q;
    else if (i === j + 1) s1 += q;
    else s2 += q;
  }
  return s0 + s1 + (s2 + s3);
}

/** nonZeroSquares over cells that scanCells has found to be numbers. */
function nonZeroSquaresCells(row: readonly unknown[], start: number, n: number, m: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j + 3 < n; j += 4) {
    const a = row[start + j] as number;
    const b = row[start + j + 1] as number;
    const c = row[start + j + 2] as number;
    const d = row[start + j + 3] as number;
    s0 += (a - m) * (a - m) * +(a > 0);
    s1 += (b - m) * (b - m) * +(b > 0);
    s2 += (c - m) * (c - m) * +(c > 0);
    s3 += (d - m) * (d - m) * +(d > 0);
  }
  for (let i = j; i < n; i++) {
    const v = row[start + i] as number;
    const q = (v - m) * (v - m) * +(v > 0);
    if (i === j) s0 += q;
    else if (i === j + 1) s1 += q;
    else s2 += q;
  }
  return s0 + s1 + (s2 + s3);
}

/** One row of plainPatternRows that could not take the plain path: read again, checked, finished. */
function slowPatternRow(history: DemandHistory, r: number, o: PatternColumns, buf: Float64Array): void {
  const p = history.periods;
  const bad = history.readRow(r, buf) ?? checkPeriods(buf, p);
  if (bad !== undefined) {
    o.issues.set(r, bad);
    o.pattern[r] = -1;
    o.adi[r] = o.cv2[r] = NaN;
    return;
  }
  finishPatternRow(buf, p, nonZeroCount(buf, 0, p), laneSum(buf, 0, p), maxOf(buf, p), r, o);
}
