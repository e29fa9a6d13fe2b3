/**
 * Threshold tuning: what moves if a cut-off moves. For each cut-off and each shift δ (default
 * ±0.05: five points of cumulative share for ABC, 0.05 of CV for XYZ, of ADI and CV² for the
 * pattern), the SKUs that change class and their value, everything else held fixed.
 *
 * Convention: cut-off j separates class j (below) from class j+1 (above) under the
 * classification's own boundary rule (ABC/XYZ: statistic <= cut-off is the lower class; pattern:
 * statistic >= cut-off is the upper side). Moving it to c + δ moves exactly the SKUs whose
 * statistic lies between c and c + δ (on the side the rule puts them): up a class (e.g. B → A)
 * when δ > 0 under "<=", down when δ < 0. A shift that would reach or pass a neighbouring cut-off
 * or leave the statistic's scale is reported as not valid (nothing moved), since the classes
 * would no longer be in order. Shares of value are of the total value of the SKUs compared.
 */
import { AbcOptions, atLeast, atMost, classifyAbc } from "./abc";
import { BoundaryRule } from "./churn";
import { PATTERN_LABELS, PatternResult } from "./pattern";
import { XYZ_LABELS, XyzResult } from "./xyz";

export const DEFAULT_SHIFTS: readonly number[] = [-0.05, 0.05];

export interface SensitivityRow {
  /** 1-based cut-off number and its boundary, e.g. 1 and "A|B". */
  cutoff: number;
  boundary: string;
  /** The cut-off now, the shift and the cut-off after it. */
  at: number;
  shift: number;
  to: number;
  /** false when the shifted cut-off would cross a neighbour or leave the scale (nothing moved). */
  valid: boolean;
  /** The class the moving SKUs leave and the one they join. */
  fromClass: string;
  toClass: string;
  /** SKUs that change class, their summed value and its share of the total value. */
  skus: number;
  value: number;
  valueShare: number;
}

export interface SensitivityInput {
  /** Statistic per row (NaN = undefined: never moves). */
  stat: ArrayLike<number>;
  /** Class per row (codes into labels; rows off the cut-off scale never move). */
  classes: ArrayLike<number>;
  labels: readonly string[];
  cutoffs: readonly number[];
  rule: BoundaryRule;
  /** Value per row for the value columns (omitted: 0). */
  values?: ArrayLike<number>;
  shifts?: readonly number[];
  scaleMin?: number;
  scaleMax?: number;
}

export function cutoffSensitivity(input: SensitivityInput): SensitivityRow[] {
  const { stat, classes, labels, cutoffs, rule } = input;
  const shifts = input.shifts ?? DEFAULT_SHIFTS;
  const scaleMin = input.scaleMin ?? 0;
  const scaleMax = input.scaleMax ?? Infinity;
  const n = classes.length;
  let total = 0;
  if (input.values) for (let i = 0; i < n; i++) if (classes[i] >= 0 && Number.isFinite(input.values[i])) total += input.values[i];
  const lowerSide = (x: number, c: number) => (rule === "atMostIsLower" ? atMost(x, c) : !atLeast(x, c));
  const rows: SensitivityRow[] = [];
  cutoffs.forEach((c, j) => {
    for (const shift of shifts) {
      const to = c + shift;
      const lo = j === 0 ? scaleMin : cutoffs[j - 1];
      const hi = j === cutoffs.length - 1 ? scaleMax : cutoffs[j + 1];
      // A last ABC cut-off may be the end of the scale itself (1: an empty last class).
      const last = j === cutoffs.length - 1;
      const belowHi = last && rule === "atMostIsLower" ? atMost(to, hi) : to < hi;
      const valid = Number.isFinite(to) && to > lo && belowHi;
      const up = shift > 0 === (rule === "atMostIsLower"); // SKUs join the lower class
      let skus = 0;
      let value = 0;
      if (valid && shift !== 0) {
        for (let i = 0; i < n; i++) {
          const k = classes[i];
          if (k !== j && k !== j + 1) continue;
          const x = stat[i];
          if (x !== x) continue;
          if (lowerSide(x, c) !== lowerSide(x, to)) {
            skus++;
            const v = input.values?.[i];
            if (v !== undefined && Number.isFinite(v)) value += v;
          }
        }
      }
      rows.push({
        cutoff: j + 1,
        boundary: `${labels[j]}|${labels[j + 1]}`,
        at: c,
        shift,
        to,
        valid,
        fromClass: up ? labels[j + 1] : labels[j],
        toClass: up ? labels[j] : labels[j + 1],
        skus,
        value,
        valueShare: total > 0 ? value / total : 0,
      });
    }
  });
  return rows;
}

/** ABC: each cut-off moved by each shift (cumulative share points), SKUs and value moved. */
export function abcSensitivity(values: ArrayLike<number>, options: Omit<AbcOptions, "classesOnly"> & { shifts?: readonly number[] } = {}): SensitivityRow[] {
  const r = classifyAbc(values, options);
  return cutoffSensitivity({ stat: r.cumShare, classes: r.abc, labels: r.labels, cutoffs: r.cutoffs, rule: "atMostIsLower", values, shifts: options.shifts, scaleMin: 0, scaleMax: 1 });
}

/** XYZ: x_max and y_max moved by each shift (CV units); values optional (e.g. the ABC values). */
export function xyzSensitivity(xyz: XyzResult, values?: ArrayLike<number>, shifts?: readonly number[]): SensitivityRow[] {
  return cutoffSensitivity({ stat: xyz.cv, classes: xyz.xyz, labels: XYZ_LABELS.slice(0, 3), cutoffs: [xyz.xMax, xyz.yMax], rule: "atMostIsLower", values, shifts });
}

/**
 * Pattern: the ADI cut-off and the CV² cut-off moved by each shift (their own units). The ADI rows
 * move SKUs between "smooth/erratic" and "intermittent/lumpy", the CV² rows between
 * "smooth/intermittent" and "erratic/lumpy" (boundary "ADI" and "CV²", cut-off 1 and 2).
 */
export function patternSensitivity(
  pat: PatternResult,
  values?: ArrayLike<number>,
  shifts: { adi?: readonly number[]; cv2?: readonly number[] } = {},
): SensitivityRow[] {
  const n = pat.pattern.length;
  const axis = (bit: number) => Int32Array.from({ length: n }, (_, i) => (pat.pattern[i] >= 0 && pat.pattern[i] < 4 ? (pat.pattern[i] >> bit) & 1 : -1));
  const [smooth, erratic, intermittent, lumpy] = PATTERN_LABELS;
  const adi = cutoffSensitivity({
    stat: pat.adi,
    classes: axis(1),
    labels: [`${smooth}/${erratic}`, `${intermittent}/${lumpy}`],
    cutoffs: [pat.adiCutoff],
    rule: "atLeastIsUpper",
    values,
    shifts: shifts.adi,
    scaleMin: 1,
  });
  const cv2 = cutoffSensitivity({
    stat: pat.cv2,
    classes: axis(0),
    labels: [`${smooth}/${intermittent}`, `${erratic}/${lumpy}`],
    cutoffs: [pat.cv2Cutoff],
    rule: "atLeastIsUpper",
    values,
    shifts: shifts.cv2,
  });
  adi.forEach((r) => (r.boundary = "ADI"));
  cv2.forEach((r) => {
    r.boundary = "CV²";
    r.cutoff = 2;
  });
  return [...adi, ...cv2];
}
