/**
 * Shapes exchanged between the pane's services and the classification job (which may run in a
 * Web Worker, so everything here survives structured cloning: plain objects, arrays, typed arrays).
 */
import type { ParsedTable } from "./parse";

export type SdType = "population" | "sample";

export interface ClassifyOptions {
  /** ABC cut-offs on cumulative value share, strictly increasing in (0, 1]. */
  abcCutoffs: number[];
  /** XYZ cut-offs on the CV: X when CV <= first, Y when <= second, else Z. */
  xyzCutoffs: number[];
  sdType: SdType;
  /** Hampel filter (src/engine/outliers.ts): a period more than `threshold` scaled MADs from the median of the 2·halfWidth+1 periods around it is replaced by that median before the CV is taken. */
  outliers: { enabled: boolean; halfWidth: number; threshold: number };
  /** Syntetos–Boylan cut-offs: average demand interval and squared CV of non-zero demand sizes. */
  pattern: { adi: number; cv2: number };
  /** Periods per year of the history (52 weekly, 12 monthly). */
  periodsPerYear: number;
}

export function defaultClassifyOptions(): ClassifyOptions {
  return {
    abcCutoffs: [0.8, 0.95],
    xyzCutoffs: [0.5, 1.0],
    sdType: "population",
    outliers: { enabled: false, halfWidth: 3, threshold: 3 },
    pattern: { adi: 1.32, cv2: 0.49 },
    periodsPerYear: 52,
  };
}

export interface ClassifyJob {
  parsed: ParsedTable;
  options: ClassifyOptions;
}

/** Per-SKU results, index-aligned with ParsedTable (accepted rows, sheet order). */
export interface ClassificationResult {
  n: number;
  /** Rank order: order[0] is the SKU with the largest value. */
  order: Int32Array;
  total: number;
  share: Float64Array;
  cumShare: Float64Array;
  /** ABC class after strategic pins. */
  abc: string[];
  /** ABC class from the value ranking alone. */
  abcComputed: string[];
  /** NaN where the CV is undefined (mean demand 0). */
  cv: Float64Array;
  /** "X" | "Y" | "Z" | "N" (N: no demand, CV undefined). */
  xyz: string[];
  /** Syntetos–Boylan pattern: "smooth" | "erratic" | "intermittent" | "lumpy" | "" when undefined. */
  pattern: string[];
  /** ABC + XYZ, e.g. "AX"; "AN".."CN" for SKUs without demand. */
  segment: string[];
  /** Per-period demand mean and sd (over the periods kept after outlier exclusion). */
  demandMean: Float64Array;
  demandSd: Float64Array;
  /** Periods left out as outliers, per SKU. */
  outliers: Int32Array;
  /** Per-SKU remarks from the engine (e.g. why a CV is undefined); "" when none. */
  notes: string[];
  ms: number;
}
