/**
 * XYZ classification by the variability of demand: coefficient of variation per SKU over its
 * demand history (rows = SKUs, columns = periods).
 *
 * Convention: CV = sd / mean over all periods of the row, zero-demand periods included.
 * sd type "population" (divide by n, the default) or "sample" (divide by n - 1).
 * Classes: cv <= xMax → X, cv <= yMax → Y, otherwise Z (a cv within 1e-12 relative of a cut-off
 * counts as on it, see CUTOFF_TOLERANCE). Defaults xMax 0.5 and yMax 1.0: a common practitioner
 * convention, not a standard (other sources use 0.1/0.25 or 0.25/0.5 on weekly data); pick
 * thresholds that suit the period length.
 * No demand: a row whose periods are all 0 has mean 0 and no defined CV. Its CV is the CellError
 * kind "na" "mean demand is 0: CV undefined" and its class is the distinct label "N" (no demand),
 * so it is not mistaken for a very stable item (X) or a very erratic one (Z).
 * A row with a negative, non-finite or unreadable period is rejected (CellError naming the period).
 * Sample sd with a single period: CellError kind "na" (the sd is undefined).
 * Optional outlier screening: Hampel filter (src/engine/outliers.ts) before the CV is taken.
 */
import { atMost } from "./abc";
import { BlankRule, readNumber } from "./cells";
import { ArgumentError, CellError, cellError, isCellError } from "./errors";
import { HampelOptions, HampelSettings, hampelInto, hampelSettings } from "./outliers";
import { checkMask, EVERY_PERIOD_EXCLUDED_MESSAGE, excludedCounts, keptPeriods, PeriodMask } from "./promotions";

export const SD_TYPES = ["population", "sample"] as const;
export type SdType = (typeof SD_TYPES)[number];

/** Class labels by code: 0 X, 1 Y, 2 Z, 3 N (no demand). */
export const XYZ_LABELS = ["X", "Y", "Z", "N"] as const;
export type XyzLabel = (typeof XYZ_LABELS)[number];
export const NO_DEMAND = 3;

/**
 * A demand history read one row at a time, so that a 100,000 x 104 sheet range never has to be
 * copied into one big array.
 */
export interface DemandHistory {
  rows: number;
  periods: number;
  /**
   * Writes row r's periods into `into` (length `periods`). Returns a CellError when a cell cannot
   * be read as a number; its message starts with "period <j>" (1-based).
   */
  readRow(r: number, into: Float64Array): CellError | undefined;
}

/**
 * Direct access to the storage behind historyFromArray and historyFromCells, for the batch loops
 * (demandCv, classifyPattern, the stability simulation): they read a Float64Array in place, and
 * a row of cells without first copying it, instead of calling readRow per row. Any other
 * DemandHistory is read through readRow. Internal to the engine; the results are the same either way.
 */
export type HistoryStorage =
  /** Period j of row r is data[r * stride + start + j]. */
  | { kind: "array"; data: Float64Array; start: number; stride: number }
  /** Period j of row r is cells[r][start + j]. */
  | { kind: "cells"; cells: readonly (readonly unknown[])[]; start: number; blank: BlankRule };
const storage = new WeakMap<DemandHistory, HistoryStorage>();

/** The storage behind a history made by historyFromArray / historyFromCells, if any. */
export function historyStorage(history: DemandHistory): HistoryStorage | undefined {
  return storage.get(history);
}

/** A history held as a row-major array of numbers (rows x periods). */
export function historyFromArray(data: ArrayLike<number>, rows: number, periods: number): DemandHistory {
  if (!(Number.isInteger(rows) && rows >= 0 && Number.isInteger(periods) && periods >= 1) || data.length !== rows * periods) {
    throw new ArgumentError("history", `expected ${rows} x ${periods} numbers, got ${data.length}`);
  }
  const h: DemandHistory = {
    rows,
    periods,
    readRow(r, into) {
      // A plain loop: data.subarray would allocate a view per row, and the batch loops call
      // this for every row off their fast path (10 % of a typical sheet: the dead SKUs).
      const off = r * periods;
      for (let j = 0; j < periods; j++) into[j] = data[off + j];
      return undefined;
    },
  };
  if (data instanceof Float64Array) storage.set(h, { kind: "array", data, start: 0, stride: periods });
  return h;
}

/**
 * A history held as spreadsheet cells (rows of a range). Cells are read with readNumber: text is
 * never coerced; blanks follow `blank` ("zero" by default: Excel desktop passes blanks as 0 anyway).
 * Rows shorter than the first row are padded with blanks.
 */
export function historyFromCells(cells: readonly (readonly unknown[])[], blank: BlankRule = "zero"): DemandHistory {
  const rows = cells.length;
  const periods = rows > 0 ? cells[0].length : 0;
  if (rows === 0 || periods === 0) throw new ArgumentError("history", "the range is empty");
  const h: DemandHistory = { rows, periods, readRow: (r, into) => readCells(cells[r], 0, periods, blank, into) };
  storage.set(h, { kind: "cells", cells, start: 0, blank });
  return h;
}

/** Cells row[start .. start + periods) into `into` by readNumber's rules; the first bad cell as a CellError. */
function readCells(row: readonly unknown[], start: number, periods: number, blank: BlankRule, into: Float64Array): CellError | undefined {
  for (let j = 0; j < periods; j++) {
    const c = row[start + j];
    if (typeof c === "number" && c >= 0 && c < Infinity) into[j] = c;
    else {
      const x = readNumber(c, blank);
      if (isCellError(x)) return cellError(`period ${j + 1}: ${x.message}`, x.kind);
      into[j] = x;
    }
  }
  return undefined;
}

/**
 * Copies row r of the history into `into` when every one of its cells is a finite number >= 0
 * (the common case, read without readNumber), and returns true; false means the row needs
 * readRow (a blank, text, a negative or non-finite number, or a short row). Storage-backed
 * histories only; `into` has `periods` slots.
 */
export function copyPlainRow(s: HistoryStorage, r: number, periods: number, into: Float64Array): boolean {
  if (s.kind === "array") {
    const off = r * s.stride + s.start;
    const d = s.data;
    let ok = true;
    for (let j = 0; j < periods; j++) {
      const v = d[off + j];
      if (!(v >= 0 && v < Infinity)) ok = false;
      into[j] = v;
    }
    return ok;
  }
  const row = s.cells[r];
  const start = s.start;
  if (row.length < start + periods) return false;
  for (let j = 0; j < periods; j++) {
    const c = row[start + j];
    if (typeof c === "number" && c >= 0 && c < Infinity) into[j] = c;
    else return false;
  }
  return true;
}

/** First period that is not a finite non-negative number, as a CellError; undefined when all are fine. */
export function checkPeriods(x: Float64Array, n: number): CellError | undefined {
  for (let j = 0; j < n; j++) {
    const v = x[j];
    if (!(v >= 0 && v < Infinity)) {
      return cellError(Number.isNaN(v) || !Number.isFinite(v) ? `period ${j + 1}: ${v} is not a finite number` : `period ${j + 1}: demand ${v} is negative`);
    }
  }
  return undefined;
}

export interface CvOptions {
  sdType?: SdType;
  /** true for the default Hampel filter (half-width 3, t = 3), or its settings. Default false. */
  excludeOutliers?: boolean | HampelOptions;
  /**
   * Periods to leave out of the statistics (promotions), one flag per SKU and period
   * (promotions.ts). The mean, sd and CV are then taken over the kept periods only.
   */
  exclude?: PeriodMask;
}

export interface CvResult {
  rows: number;
  periods: number;
  sdType: SdType;
  /** Mean demand per period; NaN for rejected rows. */
  mean: Float64Array;
  /** Standard deviation of demand (of the chosen type); NaN when undefined. */
  sd: Float64Array;
  /** sd / mean; NaN when undefined (see issues). */
  cv: Float64Array;
  /** Periods replaced by the outlier filter, per row (all 0 when the filter is off). */
  outliers: Int32Array;
  /** Periods left out by `exclude` (promotions), per row (all 0 without a mask). */
  excluded: Int32Array;
  /** Per row, sparse: rejected rows (kind "value"), undefined CV (kind "na": no demand, single period). */
  issues: Map<number, CellError>;
}

export const ZERO_MEAN_MESSAGE = "mean demand is 0: CV undefined";
export const SAMPLE_SD_MESSAGE = "sample sd needs at least 2 periods";

/** The per-row outputs of demandCv, shared by its row routines. */
interface CvColumns {
  mean: Float64Array;
  sd: Float64Array;
  cv: Float64Array;
  issues: Map<number, CellError>;
  ddof: number;
  zeroMean: CellError;
  tooShort: CellError;
}

/**
 * The statistics of row r from its n values x[0 .. n) (already validated), their sum and maximum.
 * Two-pass variance, sums in laneSum's order. Rows near the ends of the double range are divided by their maximum first
 * (CV does not depend on the scale), so neither the sum nor the squares overflow.
 */
function finishCvRow(x: Float64Array, n: number, sum: number, max: number, r: number, o: CvColumns): void {
  if (max === 0) return zeroDemandRow(r, o);
  if (n - o.ddof < 1) {
    o.mean[r] = sum / n;
    o.sd[r] = o.cv[r] = NaN;
    o.issues.set(r, o.tooShort);
    return;
  }
  const scale = sum < Infinity && max <= 1e150 && max >= 1e-150 ? 1 : max;
  const m = scale === 1 ? sum / n : scaledSum(x, n, scale) / n;
  let ss = 0;
  if (scale === 1) {
    ss = laneSquares(x, 0, n, m);
  } else {
    for (let j = 0; j < n; j++) {
      const d = x[j] / scale - m;
      ss += d * d;
    }
  }
  const s = Math.sqrt(ss / (n - o.ddof));
  o.mean[r] = m * scale;
  o.sd[r] = s * scale;
  o.cv[r] = s / m;
}

/** A row without demand: mean 0, sd 0, CV undefined. */
function zeroDemandRow(r: number, o: CvColumns): void {
  o.mean[r] = 0;
  o.sd[r] = 0;
  o.cv[r] = NaN;
  o.issues.set(r, o.zeroMean);
}

export function demandCv(history: DemandHistory, options: CvOptions = {}): CvResult {
  const sdType = options.sdType ?? "population";
  if (!SD_TYPES.includes(sdType)) throw new ArgumentError("sd_type", `must be "population" or "sample", got "${String(sdType)}"`);
  const { rows, periods: p } = history;
  const hampel: HampelSettings | undefined =
    options.excludeOutliers === undefined || options.excludeOutliers === false
      ? undefined
      : hampelSettings(options.excludeOutliers === true ? {} : options.excludeOutliers);
  const mask = options.exclude;
  if (mask !== undefined) checkMask(mask, rows, p, "exclude");
  const o: CvColumns = {
    mean: new Float64Array(rows),
    sd: new Float64Array(rows),
    cv: new Float64Array(rows),
    issues: new Map<number, CellError>(),
    ddof: sdType === "sample" ? 1 : 0,
    zeroMean: cellError(ZERO_MEAN_MESSAGE, "na"),
    tooShort: cellError(SAMPLE_SD_MESSAGE, "na"),
  };
  const outliers = new Int32Array(rows);
  const excluded = mask === undefined ? new Int32Array(rows) : excludedCounts(mask);
  const source = historyStorage(history);
  if (hampel === undefined && mask === undefined && source !== undefined) {
    plainCvRows(history, source, o);
    return { rows, periods: p, sdType, mean: o.mean, sd: o.sd, cv: o.cv, outliers, excluded, issues: o.issues };
  }
  const raw = new Float64Array(p);
  const filtered = hampel ? new Float64Array(p) : raw;
  const work = hampel ? new Float64Array(2 * hampel.halfWidth + 1) : raw;
  const allExcluded = cellError(EVERY_PERIOD_EXCLUDED_MESSAGE, "na");

  for (let r = 0; r < rows; r++) {
    const unreadable = history.readRow(r, raw);
    const bad = unreadable ?? checkPeriods(raw, p);
    if (bad !== undefined) {
      o.issues.set(r, bad);
      o.mean[r] = o.sd[r] = o.cv[r] = NaN;
      continue;
    }
    const n = mask === undefined ? p : keptPeriods(mask, r, raw, raw);
    if (n === 0) {
      o.issues.set(r, allExcluded);
      o.mean[r] = o.sd[r] = o.cv[r] = NaN;
      continue;
    }
    if (hampel) outliers[r] = hampelInto(raw, 0, n, filtered, hampel, work);
    finishCvRow(filtered, n, laneSum(filtered, 0, n), maxOf(filtered, n), r, o);
  }
  return { rows, periods: p, sdType, mean: o.mean, sd: o.sd, cv: o.cv, outliers, excluded, issues: o.issues };
}

/**
 * Summation order shared by every CV and CV² path (so that the array, cell, filtered and masked
 * paths give identical numbers): period j of a row goes to lane j % 4, and the row's total is
 * (lane0 + lane1) + (lane2 + lane3). Four independent chains of additions let the processor
 * overlap them (a single running sum waits on each addition in turn); the rounding error is that
 * of a plain sum over a quarter of the periods, a little smaller than the sequential sum's.
 */
export function laneSum(x: Float64Array, off: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j + 3 < n; j += 4) {
    s0 += x[off + j];
    s1 += x[off + j + 1];
    s2 += x[off + j + 2];
    s3 += x[off + j + 3];
  }
  if (j < n) s0 += x[off + j];
  if (j + 1 < n) s1 += x[off + j + 1];
  if (j + 2 < n) s2 += x[off + j + 2];
  return s0 + s1 + (s2 + s3);
}

/** Σ (x_j - m)² over x[off .. off + n), in laneSum's order. */
export function laneSquares(x: Float64Array, off: number, n: number, m: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j + 3 < n; j += 4) {
    const a = x[off + j] - m;
    const b = x[off + j + 1] - m;
    const c = x[off + j + 2] - m;
    const d = x[off + j + 3] - m;
    s0 += a * a;
    s1 += b * b;
    s2 += c * c;
    s3 += d * d;
  }
  if (j < n) s0 += (x[off + j] - m) * (x[off + j] - m);
  if (j + 1 < n) s1 += (x[off + j + 1] - m) * (x[off + j + 1] - m);
  if (j + 2 < n) s2 += (x[off + j + 2] - m) * (x[off + j + 2] - m);
  return s0 + s1 + (s2 + s3);
}

/** The number of values > 0 found by the last checkedLaneSum or scanCells called with countNonZero. */
export const scanned = { nonZero: 0 };

/**
 * laneSum of x[off .. off + n), or NaN when a value is negative (a NaN value makes the sum NaN
 * and an infinite one makes it infinite); with countNonZero, the number of values > 0 goes to
 * scanned.nonZero (the pattern engine needs it, XYZ does not: counting costs a quarter of the
 * pass, a skipped count almost nothing). The batch loops' first pass: it checks and sums the row
 * in one go; a row whose sum is not plainSum is read again and checked by checkPeriods.
 */
export function checkedLaneSum(x: Float64Array, off: number, n: number, countNonZero: boolean): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let k = 0;
  let bad = false;
  let j = 0;
  for (; j + 3 < n; j += 4) {
    const a = x[off + j];
    const b = x[off + j + 1];
    const c = x[off + j + 2];
    const d = x[off + j + 3];
    if (a < 0 || b < 0 || c < 0 || d < 0) bad = true;
    if (countNonZero) k += +(a > 0) + +(b > 0) + +(c > 0) + +(d > 0);
    s0 += a;
    s1 += b;
    s2 += c;
    s3 += d;
  }
  for (let i = j; i < n; i++) {
    const v = x[off + i];
    if (v < 0) bad = true;
    k += +(v > 0);
    if (i === j) s0 += v;
    else if (i === j + 1) s1 += v;
    else s2 += v;
  }
  if (countNonZero) scanned.nonZero = k;
  return bad ? NaN : s0 + s1 + (s2 + s3);
}

/**
 * Checks cells row[start .. start + p) and, when every one is a number, returns their
 * laneSum (and, with countNonZero, counts the values > 0 into scanned.nonZero). Returns NaN when a cell is not a number
 * (a blank, text), is negative, or the row is short; a NaN cell makes the sum NaN and an infinite
 * one makes it infinite. Any row whose sum is not plainSum goes to readRow and checkPeriods.
 */
export function scanCells(row: readonly unknown[], start: number, p: number, countNonZero: boolean): number {
  if (row.length < start + p) return NaN;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let k = 0;
  let bad = false;
  let j = 0;
  for (; j + 3 < p; j += 4) {
    const a = row[start + j];
    const b = row[start + j + 1];
    const c = row[start + j + 2];
    const d = row[start + j + 3];
    if (typeof a !== "number" || typeof b !== "number" || typeof c !== "number" || typeof d !== "number") return NaN;
    if (a < 0 || b < 0 || c < 0 || d < 0) bad = true; // NaN and infinite values show in the sum
    if (countNonZero) k += +(a > 0) + +(b > 0) + +(c > 0) + +(d > 0);
    s0 += a;
    s1 += b;
    s2 += c;
    s3 += d;
  }
  for (let i = j; i < p; i++) {
    const c = row[start + i];
    if (!(typeof c === "number" && c >= 0)) return NaN;
    k += +(c > 0);
    if (i === j) s0 += c;
    else if (i === j + 1) s1 += c;
    else s2 += c;
  }
  if (countNonZero) scanned.nonZero = k;
  return bad ? NaN : s0 + s1 + (s2 + s3);
}

/** laneSquares over cells row[start .. start + n) that scanCells has found to be numbers. */
export function laneSquaresCells(row: readonly unknown[], start: number, n: number, m: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j + 3 < n; j += 4) {
    const a = (row[start + j] as number) - m;
    const b = (row[start + j + 1] as number) - m;
    const c = (row[start + j + 2] as number) - m;
    const d = (row[start + j + 3] as number) - m;
    s0 += a * a;
    s1 += b * b;
    s2 += c * c;
    s3 += d * d;
  }
  for (let i = j; i < n; i++) {
    const d = (row[start + i] as number) - m;
    if (i === j) s0 += d * d;
    else if (i === j + 1) s1 += d * d;
    else s2 += d * d;
  }
  return s0 + s1 + (s2 + s3);
}

/**
 * True when a checked row sum lets the plain formulas run unscaled: a finite sum in
 * [1e-100, 1e150] bounds every value by 1e150 (so no square overflows) and the largest value from
 * below by 1e-100 / periods (so none underflows). finishCvRow would take the same unscaled branch.
 */
export function plainSum(sum: number): boolean {
  return sum >= 1e-100 && sum <= 1e150;
}

/**
 * demandCv without filter or mask over a storage-backed history: per row, one pass checks and
 * sums (checkedLaneSum, or scanCells for cells), a second takes the squared deviations
 * (laneSquares). The sums are finishCvRow's, so the results are identical to the general path.
 * A checked sum of exactly 0 means every period is 0: such a row (a dead item) is finished at once
 * as finishCvRow would finish it. Other rows that are not plain (a bad cell, a single sample
 * period, extreme magnitudes) go through slowCvRow.
 */
function plainCvRows(history: DemandHistory, source: HistoryStorage, o: CvColumns): void {
  const { rows, periods: p } = history;
  const buf = new Float64Array(p);
  const divisor = p - o.ddof;
  const plainLength = divisor >= 1;
  const { mean, sd, cv } = o;
  if (source.kind === "array") {
    const { data, stride, start } = source;
    for (let r = 0; r < rows; r++) {
      const off = r * stride + start;
      const sum = checkedLaneSum(data, off, p, false);
      if (plainLength && plainSum(sum)) {
        const m = sum / p;
        const s = Math.sqrt(laneSquares(data, off, p, m) / divisor);
        mean[r] = m;
        sd[r] = s;
        cv[r] = s / m;
      } else if (sum === 0) zeroDemandRow(r, o);
      else slowCvRow(history, r, o, buf);
    }
    return;
  }
  const { cells, start } = source;
  for (let r = 0; r < rows; r++) {
    const row = cells[r];
    const sum = scanCells(row, start, p, false);
    if (plainLength && plainSum(sum)) {
      const m = sum / p;
      const s = Math.sqrt(laneSquaresCells(row, start, p, m) / divisor);
      mean[r] = m;
      sd[r] = s;
      cv[r] = s / m;
    } else if (sum === 0) zeroDemandRow(r, o);
    else slowCvRow(history, r, o, buf);
  }
}

/**
 * One row of plainCvRows that could not take the plain path: read again (readRow), checked, and
 * finished by finishCvRow. Rare (bad cells, no demand, extreme magnitudes), so kept simple.
 */
function slowCvRow(history: DemandHistory, r: number, o: CvColumns, buf: Float64Array): void {
  const p = history.periods;
  const bad = history.readRow(r, buf) ?? checkPeriods(buf, p);
  if (bad !== undefined) {
    o.issues.set(r, bad);
    o.mean[r] = o.sd[r] = o.cv[r] = NaN;
    return;
  }
  finishCvRow(buf, p, laneSum(buf, 0, p), maxOf(buf, p), r, o);
}

/** The largest of x[0 .. n) (0 when all are 0 or n is 0). */
export function maxOf(x: Float64Array, n: number): number {
  let max = 0;
  for (let j = 0; j < n; j++) if (x[j] > max) max = x[j];
  return max;
}

function scaledSum(x: Float64Array, n: number, scale: number): number {
  let s = 0;
  for (let j = 0; j < n; j++) s += x[j] / scale;
  return s;
}

export interface XyzOptions extends CvOptions {
  /** Upper CV of class X (inclusive). Default 0.5. */
  xMax?: number;
  /** Upper CV of class Y (inclusive). Default 1.0. */
  yMax?: number;
}

export interface XyzResult extends CvResult {
  xMax: number;
  yMax: number;
  /** Class code per row: 0 X, 1 Y, 2 Z, 3 N (no demand); -1 when the row is rejected or the CV undefined. */
  xyz: Int8Array;
}

export function validateXyzThresholds(xMax: number, yMax: number): void {
  if (!(Number.isFinite(xMax) && xMax >= 0)) throw new ArgumentError("x_max", `must be a number >= 0, got ${xMax}`);
  if (!(Number.isFinite(yMax) && yMax >= 0)) throw new ArgumentError("y_max", `must be a number >= 0, got ${yMax}`);
  if (!(xMax < yMax)) throw new ArgumentError("y_max", `must be greater than x_max (${xMax}), got ${yMax}`);
}

export function classifyXyz(history: DemandHistory, options: XyzOptions = {}): XyzResult {
  const xMax = options.xMax ?? 0.5;
  const yMax = options.yMax ?? 1.0;
  validateXyzThresholds(xMax, yMax);
  const res = demandCv(history, options);
  const xyz = new Int8Array(res.rows);
  for (let r = 0; r < res.rows; r++) {
    const c = res.cv[r];
    if (Number.isNaN(c)) xyz[r] = res.mean[r] === 0 ? NO_DEMAND : -1;
    else xyz[r] = atMost(c, xMax) ? 0 : atMost(c, yMax) ? 1 : 2;
  }
  return { ...res, xMax, yMax, xyz };
}

/**
 * Periods start .. start + length - 1 of a history, as a history of `length` periods (a view: no
 * copy; the batch loops read the parent's storage in place). Row r of the view is row r of the
 * parent; a bad cell is reported by its period number within the view. (For a history that is
 * neither array- nor cell-backed, a bad cell anywhere in the parent row is reported.)
 */
export function historyPeriods(history: DemandHistory, start: number, length: number): DemandHistory {
  if (!(Number.isInteger(start) && Number.isInteger(length) && start >= 0 && length >= 1 && start + length <= history.periods)) {
    throw new ArgumentError("window", `periods ${start + 1} to ${start + length} are not within the history's ${history.periods} periods`);
  }
  if (start === 0 && length === history.periods) return history;
  const parent = storage.get(history);
  let view: DemandHistory;
  if (parent?.kind === "cells") {
    const { cells, blank } = parent;
    const from = parent.start + start;
    view = { rows: history.rows, periods: length, readRow: (r, into) => readCells(cells[r], from, length, blank, into) };
    storage.set(view, { ...parent, start: from });
  } else if (parent?.kind === "array") {
    const { data, stride } = parent;
    const from = parent.start + start;
    view = {
      rows: history.rows,
      periods: length,
      readRow(r, into) {
        into.set(data.subarray(r * stride + from, r * stride + from + length));
        return undefined;
      },
    };
    storage.set(view, { ...parent, start: from });
  } else {
    const full = new Float64Array(history.periods);
    view = {
      rows: history.rows,
      periods: length,
      readRow(r, into) {
        const bad = history.readRow(r, full);
        if (bad !== undefined) return bad;
        for (let k = 0; k < length; k++) into[k] = full[start + k];
        return undefined;
      },
    };
  }
  return view;
}
