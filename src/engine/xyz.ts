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

/** A history held as a row-major array of numbers (rows x periods). */
export function historyFromArray(data: ArrayLike<number>, rows: number, periods: number): DemandHistory {
  if (!(Number.isInteger(rows) && rows >= 0 && Number.isInteger(periods) && periods >= 1) || data.length !== rows * periods) {
    throw new ArgumentError("history", `expected ${rows} x ${periods} numbers, got ${data.length}`);
  }
  return {
    rows,
    periods,
    readRow(r, into) {
      const off = r * periods;
      if (data instanceof Float64Array) into.set(data.subarray(off, off + periods));
      else for (let j = 0; j < periods; j++) into[j] = data[off + j];
      return undefined;
    },
  };
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
  return {
    rows,
    periods,
    readRow(r, into) {
      const row = cells[r];
      for (let j = 0; j < periods; j++) {
        const c = row[j];
        if (typeof c === "number" && c >= 0 && c < Infinity) into[j] = c;
        else {
          const x = readNumber(c, blank);
          if (isCellError(x)) return cellError(`period ${j + 1}: ${x.message}`, x.kind);
          into[j] = x;
        }
      }
      return undefined;
    },
  };
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
  /** Per row, sparse: rejected rows (kind "value"), undefined CV (kind "na": no demand, single period). */
  issues: Map<number, CellError>;
}

export const ZERO_MEAN_MESSAGE = "mean demand is 0: CV undefined";

export function demandCv(history: DemandHistory, options: CvOptions = {}): CvResult {
  const sdType = options.sdType ?? "population";
  if (!SD_TYPES.includes(sdType)) throw new ArgumentError("sd_type", `must be "population" or "sample", got "${String(sdType)}"`);
  const { rows, periods: p } = history;
  const hampel: HampelSettings | undefined =
    options.excludeOutliers === undefined || options.excludeOutliers === false
      ? undefined
      : hampelSettings(options.excludeOutliers === true ? {} : options.excludeOutliers);
  const mean = new Float64Array(rows);
  const sd = new Float64Array(rows);
  const cv = new Float64Array(rows);
  const outliers = new Int32Array(rows);
  const issues = new Map<number, CellError>();
  const raw = new Float64Array(p);
  const filtered = hampel ? new Float64Array(p) : raw;
  const work = hampel ? new Float64Array(2 * hampel.halfWidth + 1) : raw;
  const ddof = sdType === "sample" ? 1 : 0;
  const zeroMean = cellError(ZERO_MEAN_MESSAGE, "na");
  const tooShort = cellError("sample sd needs at least 2 periods", "na");

  for (let r = 0; r < rows; r++) {
    const unreadable = history.readRow(r, raw);
    // Validation rides along with the first pass (sum and max); the filter needs it done first.
    let sum = 0;
    let max = 0;
    let valid = unreadable === undefined;
    if (valid && hampel) valid = checkPeriods(raw, p) === undefined;
    if (valid && !hampel) {
      for (let j = 0; j < p; j++) {
        const v = raw[j];
        if (!(v >= 0 && v < Infinity)) valid = false;
        sum += v;
        if (v > max) max = v;
      }
    }
    if (!valid) {
      issues.set(r, unreadable ?? checkPeriods(raw, p)!);
      mean[r] = sd[r] = cv[r] = NaN;
      continue;
    }
    if (hampel) {
      outliers[r] = hampelInto(raw, 0, p, filtered, hampel, work);
      for (let j = 0; j < p; j++) {
        const v = filtered[j];
        sum += v;
        if (v > max) max = v;
      }
    }
    const x = filtered;
    if (max === 0) {
      mean[r] = 0;
      sd[r] = 0;
      cv[r] = NaN;
      issues.set(r, zeroMean);
      continue;
    }
    if (p - ddof < 1) {
      mean[r] = sum / p;
      sd[r] = cv[r] = NaN;
      issues.set(r, tooShort);
      continue;
    }
    // Two-pass variance. Rows near the ends of the double range are divided by their maximum
    // first (CV does not depend on the scale), so neither the sum nor the squares overflow.
    const scale = sum < Infinity && max <= 1e150 && max >= 1e-150 ? 1 : max;
    const m = scale === 1 ? sum / p : scaledSum(x, p, scale) / p;
    let ss = 0;
    if (scale === 1) {
      for (let j = 0; j < p; j++) {
        const d = x[j] - m;
        ss += d * d;
      }
    } else {
      for (let j = 0; j < p; j++) {
        const d = x[j] / scale - m;
        ss += d * d;
      }
    }
    const s = Math.sqrt(ss / (p - ddof));
    mean[r] = m * scale;
    sd[r] = s * scale;
    cv[r] = s / m;
  }
  return { rows, periods: p, sdType, mean, sd, cv, outliers, issues };
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
