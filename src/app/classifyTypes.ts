/**
 * Shapes exchanged between the pane's services and the classification job (which may run in a
 * Web Worker, so everything here survives structured cloning: plain objects, arrays, typed arrays).
 */
import type { ColumnMapping } from "./mapping";
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
  /**
   * Periods at the end of the history over which CV, pattern, demand mean and sd (and a value from
   * history × unit cost) are taken; null = the whole history.
   */
  demandWindow: number | null;
  /** A SKU without demand in this many last periods is inactive; null = one year of periods. */
  inactiveAfter: number | null;
}

/** Periods of history the statistics use under these options. */
export function windowPeriods(options: ClassifyOptions, periods: number): number {
  return options.demandWindow === null ? periods : Math.max(2, Math.min(periods, Math.floor(options.demandWindow)));
}

/** Periods without demand after which a SKU counts as inactive. */
export function inactivePeriods(options: ClassifyOptions): number {
  return options.inactiveAfter ?? options.periodsPerYear;
}

export function defaultClassifyOptions(): ClassifyOptions {
  return {
    abcCutoffs: [0.8, 0.95],
    xyzCutoffs: [0.5, 1.0],
    sdType: "population",
    outliers: { enabled: false, halfWidth: 3, threshold: 3 },
    pattern: { adi: 1.32, cv2: 0.49 },
    periodsPerYear: 52,
    demandWindow: null,
    inactiveAfter: null,
  };
}

export interface ClassifyJob {
  parsed: ParsedTable;
  options: ClassifyOptions;
  /** 1 = leave the SKU out of the ranking as if inactive (stale or missing data with the fallback "exclude"). */
  excludeSku?: Uint8Array;
  /** Why, per SKU (shown as its inactive reason). */
  excludeSkuReason?: string[];
  /** Promotion periods left out of the baseline statistics: n × periods flags, row-major (src/engine/promotions.ts); omitted = none. */
  exclude?: Uint8Array;
}

/** Per-SKU results, index-aligned with ParsedTable (accepted rows, sheet order). */
export interface ClassificationResult {
  n: number;
  /** Rank order of the ranked (active) SKUs: order[0] is the SKU with the largest value. */
  order: Int32Array;
  /** Every SKU in sheet order: the ranked ones as in `order`, then the unranked (inactive) ones in input order. */
  rowOrder: Int32Array;
  total: number;
  share: Float64Array;
  cumShare: Float64Array;
  /** 1 = inactive (no recent demand, or the history ended): not ranked, no reorder point unless pinned. */
  inactive: Uint8Array;
  /** Why a SKU is inactive ("" when active). */
  inactiveReason: string[];
  /** Periods of history the statistics were taken over (the last ones). */
  windowPeriods: number;
  /** ABC class after strategic pins ("" for an inactive SKU that is not pinned). */
  abc: string[];
  /** ABC class from the value ranking alone. */
  abcComputed: string[];
  /** NaN where the CV is undefined (mean demand 0). */
  cv: Float64Array;
  /** "X" | "Y" | "Z" | "N" (N: no demand, CV undefined). */
  xyz: string[];
  /** Syntetos–Boylan pattern: "smooth" | "erratic" | "intermittent" | "lumpy" | "no demand". */
  pattern: string[];
  /** Average demand interval and squared CV of the non-zero sizes (NaN when undefined). */
  adi: Float64Array;
  cv2: Float64Array;
  /** ABC + XYZ, e.g. "AX"; "AN".."CN" for SKUs without demand in the window; "" for an inactive SKU that is not pinned. */
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

/** One classification: where it came from and what came out. */
export interface RunInput {
  sourceAddress: string;
  mapping: ColumnMapping;
  options: ClassifyOptions;
  parsed: ParsedTable;
  result: ClassificationResult;
  /** Where each SKU's family and category came from and its data flag (src/app/sourceFacts.ts); absent: none known. */
  facts?: import("./sourceFacts").SourceFacts;
  /** Churn control, rules and the segmentation model id the run used (src/app/churnStage.ts): part of the model version's parameters. */
  modelParameters?: Record<string, unknown>;
  /** Service levels and policies the business rules decided (src/app/rulesApply.ts); absent: no rules. The Policy step plans with them (src/app/rulePolicy.ts). */
  ruleDecisions?: import("./rulesApply").RuleDecisions;
}

/** The last written run, kept in the workbook settings. */
export interface LastRun {
  modelVersion: string;
  timestamp: string;
  skus: number;
  rejected: number;
  source: string;
}

/** A share as the pane shows it (0.8 → "80 %"). */
function pctText(x: number): string {
  return Number.isFinite(x) ? `${Math.round(x * 1e6) / 1e4} %` : String(x);
}

/**
 * What is wrong with the options, in the units the pane shows them in (cut-offs on value share in
 * percent), each saying what to type; empty when they can be used. policyOptionProblems
 * (src/engine/policy.ts) is its twin for the policy options.
 */
export function classifyOptionProblems(o: ClassifyOptions): string[] {
  const out: string[] = [];
  const c = o.abcCutoffs;
  if (!(Array.isArray(c) && c.length >= 1)) out.push("ABC cut-offs: give at least one cumulative share (e.g. 80 % and 95 %).");
  else {
    c.forEach((x, i) => {
      const name = i === 0 ? "A up to cumulative share" : i === 1 ? "B up to cumulative share" : `Cut-off ${i + 1}`;
      if (!(Number.isFinite(x) && x > 0 && x <= 1)) out.push(`${name} must be above 0 % and at most 100 %; got ${pctText(x)}.`);
      else if (i > 0 && !(x > c[i - 1])) out.push(`${name} (${pctText(x)}) must be above the one before it (${pctText(c[i - 1])}).`);
    });
  }
  const [x, y] = o.xyzCutoffs;
  if (!(o.xyzCutoffs.length === 2 && x > 0 && y > x && Number.isFinite(y))) {
    out.push(`XYZ cut-offs: give two CV limits above 0, the second larger (e.g. 0.5 and 1.0); got ${o.xyzCutoffs.join(" and ")}.`);
  }
  if (o.sdType !== "population" && o.sdType !== "sample") out.push('Standard deviation type must be "population" or "sample".');
  if (o.outliers.enabled) {
    if (!(Number.isInteger(o.outliers.halfWidth) && o.outliers.halfWidth >= 1 && o.outliers.halfWidth <= 1000)) out.push(`Outlier half-width must be a whole number of periods from 1 to 1000; got ${o.outliers.halfWidth}.`);
    if (!(o.outliers.threshold > 0)) out.push(`Outlier threshold must be above 0 (3 is usual); got ${o.outliers.threshold}.`);
  }
  if (!(o.pattern.adi > 1)) out.push(`Pattern ADI cut-off must be above 1 (1.32 is usual); got ${o.pattern.adi}.`);
  if (!(o.pattern.cv2 > 0)) out.push(`Pattern CV² cut-off must be above 0 (0.49 is usual); got ${o.pattern.cv2}.`);
  if (!(Number.isInteger(o.periodsPerYear) && o.periodsPerYear > 0)) out.push(`Periods per year must be a whole number (52 weekly, 12 monthly); got ${o.periodsPerYear}.`);
  if (o.demandWindow !== null && !(Number.isInteger(o.demandWindow) && o.demandWindow >= 2)) out.push(`Demand window must be a whole number of periods, at least 2 (or blank for the whole history); got ${o.demandWindow}.`);
  if (o.inactiveAfter !== null && !(Number.isInteger(o.inactiveAfter) && o.inactiveAfter >= 1)) out.push(`"Inactive after" must be a whole number of periods, at least 1 (or blank for one year); got ${o.inactiveAfter}.`);
  return out;
}
