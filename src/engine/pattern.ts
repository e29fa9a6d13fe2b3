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
import { DemandHistory, checkPeriods } from "./xyz";

/** Pattern labels by code. */
export const PATTERN_LABELS = ["smooth", "erratic", "intermittent", "lumpy", "no demand"] as const;
export type PatternLabel = (typeof PATTERN_LABELS)[number];
export const PATTERN_NO_DEMAND = 4;

export const DEFAULT_ADI_CUTOFF = 1.32;
export const DEFAULT_CV2_CUTOFF = 0.49;

export interface PatternOptions {
  adiCutoff?: number;
  cv2Cutoff?: number;
}

export interface PatternResult {
  adiCutoff: number;
  cv2Cutoff: number;
  /** Code into PATTERN_LABELS per row; -1 when the row is rejected. */
  pattern: Int8Array;
  /** NaN when undefined (see issues). */
  adi: Float64Array;
  cv2: Float64Array;
  /** Rejected rows (kind "value") and rows without demand (kind "na", pattern "no demand"). */
  issues: Map<number, CellError>;
}

export const NO_DEMAND_MESSAGE = "no demand: ADI and CV² undefined";

export function validatePatternCutoffs(adiCutoff: number, cv2Cutoff: number): void {
  if (!(Number.isFinite(adiCutoff) && adiCutoff > 0)) throw new ArgumentError("adi_cutoff", `must be a positive number, got ${adiCutoff}`);
  if (!(Number.isFinite(cv2Cutoff) && cv2Cutoff > 0)) throw new ArgumentError("cv2_cutoff", `must be a positive number, got ${cv2Cutoff}`);
}

export function classifyPattern(history: DemandHistory, options: PatternOptions = {}): PatternResult {
  const adiCutoff = options.adiCutoff ?? DEFAULT_ADI_CUTOFF;
  const cv2Cutoff = options.cv2Cutoff ?? DEFAULT_CV2_CUTOFF;
  validatePatternCutoffs(adiCutoff, cv2Cutoff);
  const { rows, periods: p } = history;
  const pattern = new Int8Array(rows);
  const adi = new Float64Array(rows);
  const cv2 = new Float64Array(rows);
  const issues = new Map<number, CellError>();
  const x = new Float64Array(p);
  const noDemand = cellError(NO_DEMAND_MESSAGE, "na");

  for (let r = 0; r < rows; r++) {
    const unreadable = history.readRow(r, x);
    // One pass validates the row and gathers the count, sum and maximum of the non-zero periods.
    let valid = unreadable === undefined;
    let k = 0;
    let sum = 0;
    let max = 0;
    if (valid) {
      for (let j = 0; j < p; j++) {
        const v = x[j];
        if (!(v >= 0 && v < Infinity)) valid = false;
        if (v > 0) k++;
        sum += v; // zeros add nothing: this is the sum of the non-zero sizes
        if (v > max) max = v;
      }
    }
    if (!valid) {
      issues.set(r, unreadable ?? checkPeriods(x, p)!);
      pattern[r] = -1;
      adi[r] = cv2[r] = NaN;
      continue;
    }
    if (k === 0) {
      issues.set(r, noDemand);
      pattern[r] = PATTERN_NO_DEMAND;
      adi[r] = cv2[r] = NaN;
      continue;
    }
    // Sizes near the ends of the double range are divided by their maximum (CV² is scale-free).
    const scale = sum < Infinity && max <= 1e150 && max >= 1e-150 ? 1 : max;
    let s = sum;
    if (scale !== 1) {
      s = 0;
      for (let j = 0; j < p; j++) s += x[j] / scale;
    }
    const m = s / k;
    let ss = 0;
    for (let j = 0; j < p; j++) {
      const v = x[j];
      if (v > 0) {
        const d = (scale === 1 ? v : v / scale) - m;
        ss += d * d;
      }
    }
    const a = p / k;
    const c2 = ss / k / (m * m);
    adi[r] = a;
    cv2[r] = c2;
    pattern[r] = (atLeast(a, adiCutoff) ? 2 : 0) + (atLeast(c2, cv2Cutoff) ? 1 : 0);
  }
  return { adiCutoff, cv2Cutoff, pattern, adi, cv2, issues };
}
