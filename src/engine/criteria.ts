/**
 * ABC criteria beyond annual value: margin (revenue − cost), units, order lines (hits), carbon,
 * a weighted multi-criteria score, and two-axis ABC (e.g. value × margin) giving its own 3×3.
 * Every ranking is classifyAbc (abc.ts): same boundary rule, same tie rule, same tolerance.
 *
 * Conventions:
 * - margin = revenue − cost, per row (money per year). A row with a negative margin (loss-making)
 *   is valid data but cannot take part in a cumulative share; it is kept apart in its own class,
 *   the loss label (default "L"), and left out of the total, like the "N" class of XYZ. A zero
 *   margin ranks last among the accepted rows.
 * - units, order lines and carbon must be >= 0 (a negative row is a CellError, as in ABC by value).
 * - Weighted score (after the weighted linear multi-criteria ABC of Ramanathan, 2006, "ABC inventory
 *   classification with multiple-criteria using weighted linear optimization", Computers & OR
 *   33:695-700, with weights given instead of optimised): score_i = sum_j w_j * n_ij, where n_ij is
 *   criterion j of row i normalised to [0, 1] and the weights are divided by their sum.
 *   Normalisation "share" (default): n_ij = x_ij / sum_i x_ij (share of total; needs x >= 0). With a
 *   single criterion of weight 1 the score is the value share and the classes equal ABC by value.
 *   Normalisation "minMax": n_ij = (x_ij − min_j) / (max_j − min_j) (negative values allowed); a
 *   constant criterion has n_ij = 0 for every row (it does not separate rows). The score is then
 *   classified by classifyAbc (cumulative share of the score).
 *   Weights must be finite and >= 0 (a negative weight is refused, naming the criterion); when
 *   they do not sum to 1 they are divided by their sum and a note says so; all zero is refused.
 * - Two-axis ABC: each axis is classified on its own (its own total and cut-offs); the cell label
 *   is the first axis's label followed by the second's ("AB" = A on value, B on margin). A row
 *   rejected on either axis has no cell (the first axis's issue first).
 */
import { AbcResult, DEFAULT_ABC_CUTOFFS, classifyAbc, validateAbcCutoffs, validateAbcLabels } from "./abc";
import { ArgumentError, CellError, cellError } from "./errors";

export const CRITERIA = ["value", "margin", "units", "orderLines", "carbon", "score"] as const;
export type Criterion = (typeof CRITERIA)[number];

export const DEFAULT_LOSS_LABEL = "L";

export interface CriterionOptions {
  cutoffs?: ArrayLike<number>;
  labels?: readonly string[];
  /** Rows the caller already rejected. */
  issues?: ReadonlyMap<number, CellError>;
  /**
   * What a negative value means: "reject" (default: a CellError, as ABC by value) or "loss"
   * (margin: the row goes to the loss class, outside the ranking).
   */
  negative?: "reject" | "loss";
  /** Label of the loss class (negative: "loss"). Default "L". */
  lossLabel?: string;
}

export interface CriterionResult extends AbcResult {
  /** Index of the loss class in labels, or -1 when there is none (negative: "reject"). */
  lossClass: number;
  /** Rows in the loss class. */
  lossRows: number;
}

/** ABC on any non-negative criterion column, with an optional loss class for negative rows. */
export function classifyCriterion(values: ArrayLike<number>, options: CriterionOptions = {}): CriterionResult {
  const negative = options.negative ?? "reject";
  if (negative !== "reject" && negative !== "loss") throw new ArgumentError("negative", `must be "reject" or "loss", got "${String(negative)}"`);
  const cutoffs = validateAbcCutoffs(options.cutoffs ?? DEFAULT_ABC_CUTOFFS);
  const labels = validateAbcLabels(options.labels, cutoffs.length + 1);
  if (negative === "reject") {
    return { ...classifyAbc(values, { cutoffs, labels, issues: options.issues }), lossClass: -1, lossRows: 0 };
  }
  const lossLabel = options.lossLabel ?? DEFAULT_LOSS_LABEL;
  if (typeof lossLabel !== "string" || lossLabel.trim() === "") throw new ArgumentError("lossLabel", "is empty");
  if (labels.includes(lossLabel)) throw new ArgumentError("lossLabel", `"${lossLabel}" is also a class label; pick another`);
  const n = values.length;
  const marked = new Map(options.issues ?? []);
  const loss = new Uint8Array(n);
  const lossIssue = cellError("negative margin: loss class");
  let lossRows = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!marked.has(i) && v < 0 && v > -Infinity) {
      loss[i] = 1;
      lossRows++;
      marked.set(i, lossIssue);
    }
  }
  const r = classifyAbc(values, { cutoffs, labels, issues: marked });
  const lossClass = labels.length;
  if (lossRows > 0) {
    for (let i = 0; i < n; i++) {
      if (loss[i] === 1) {
        r.abc[i] = lossClass;
        r.issues.delete(i);
      }
    }
  }
  return { ...r, labels: [...labels, lossLabel], lossClass, lossRows };
}

/** margin_i = revenue_i − cost_i. A non-finite or negative revenue or cost is a CellError for the row (margin NaN). */
export function marginValues(
  revenue: ArrayLike<number>,
  cost: ArrayLike<number>,
  issues: ReadonlyMap<number, CellError> = new Map(),
): { margin: Float64Array; issues: Map<number, CellError> } {
  if (revenue.length !== cost.length) throw new ArgumentError("cost", `has ${cost.length} rows but revenue has ${revenue.length}`);
  const n = revenue.length;
  const margin = new Float64Array(n);
  const out = new Map(issues);
  for (let i = 0; i < n; i++) {
    if (out.has(i)) {
      margin[i] = NaN;
      continue;
    }
    const r = revenue[i];
    const c = cost[i];
    const bad = !Number.isFinite(r) ? `revenue ${r} is not a finite number` : r < 0 ? `revenue ${r} is negative` : !Number.isFinite(c) ? `cost ${c} is not a finite number` : c < 0 ? `cost ${c} is negative` : "";
    if (bad) {
      out.set(i, cellError(bad));
      margin[i] = NaN;
    } else margin[i] = r - c;
  }
  return { margin, issues: out };
}

// ---- weighted multi-criteria score ----------------------------------------------------------------

export const NORMALISATIONS = ["share", "minMax"] as const;
export type Normalisation = (typeof NORMALISATIONS)[number];

export interface WeightedCriterion {
  /** Name used in messages, e.g. "margin". */
  name: string;
  values: ArrayLike<number>;
  weight: number;
}

export interface WeightedScoreResult {
  /** Score per row in [0, 1]; NaN when the row has an issue. */
  score: Float64Array;
  /** The weights actually used (divided by their sum), in criterion order. */
  weights: number[];
  /** Sum of the weights as given. */
  weightSum: number;
  normalisation: Normalisation;
  /** Plain statements about what was done (weights normalised, a constant criterion). */
  notes: string[];
  issues: Map<number, CellError>;
}

/** Checks the weights: finite, >= 0, not all 0. Returns them divided by their sum, and the notes. */
export function normaliseWeights(criteria: readonly { name: string; weight: number }[]): { weights: number[]; weightSum: number; notes: string[] } {
  if (criteria.length === 0) throw new ArgumentError("weights", "give at least one criterion");
  const seen = new Set<string>();
  let sum = 0;
  for (const c of criteria) {
    if (seen.has(c.name)) throw new ArgumentError("weights", `criterion "${c.name}" appears twice`);
    seen.add(c.name);
    if (!Number.isFinite(c.weight)) throw new ArgumentError("weights", `weight of ${c.name} must be a finite number, got ${c.weight}`);
    if (c.weight < 0) throw new ArgumentError("weights", `weight of ${c.name} is ${c.weight}: weights must be 0 or more`);
    sum += c.weight;
  }
  if (!(sum > 0)) throw new ArgumentError("weights", "all weights are 0: give at least one weight above 0");
  const weights = criteria.map((c) => c.weight / sum);
  const notes: string[] = [];
  if (Math.abs(sum - 1) > 1e-9) {
    notes.push(`weights sum to ${fmt(sum)}, not 1: each was divided by ${fmt(sum)} (${criteria.map((c, j) => `${c.name} ${fmt(weights[j])}`).join(", ")})`);
  }
  return { weights, weightSum: sum, notes };
}

export function weightedScore(criteria: readonly WeightedCriterion[], options: { normalisation?: Normalisation; issues?: ReadonlyMap<number, CellError> } = {}): WeightedScoreResult {
  const normalisation = options.normalisation ?? "share";
  if (!NORMALISATIONS.includes(normalisation)) throw new ArgumentError("normalisation", `must be "share" or "minMax", got "${String(normalisation)}"`);
  const { weights, weightSum, notes } = normaliseWeights(criteria);
  const n = criteria[0].values.length;
  criteria.forEach((c) => {
    if (c.values.length !== n) throw new ArgumentError(c.name, `has ${c.values.length} rows but ${criteria[0].name} has ${n}`);
  });
  const issues = new Map(options.issues ?? []);
  // Row checks, first criterion first: non-finite always; negative for the share of total.
  for (let i = 0; i < n; i++) {
    if (issues.has(i)) continue;
    for (const c of criteria) {
      const v = c.values[i];
      if (!Number.isFinite(v)) {
        issues.set(i, cellError(`${c.name} ${v} is not a finite number`));
        break;
      }
      if (normalisation === "share" && v < 0) {
        issues.set(i, cellError(`${c.name} ${v} is negative: the share-of-total normalisation needs values >= 0 (use minMax)`));
        break;
      }
    }
  }
  const score = new Float64Array(n);
  criteria.forEach((c, j) => {
    const w = weights[j];
    const x = c.values;
    let a = Infinity;
    let b = -Infinity;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      if (issues.has(i)) continue;
      const v = x[i];
      sum += v;
      if (v < a) a = v;
      if (v > b) b = v;
    }
    const range = b - a;
    const constant = normalisation === "share" ? !(sum > 0) : !(range > 0);
    if (constant && a <= b) notes.push(normalisation === "share" ? `${c.name} sums to 0: it adds nothing to the score` : `${c.name} is the same on every row: it adds nothing to the score`);
    if (constant || w === 0) return;
    for (let i = 0; i < n; i++) {
      if (issues.has(i)) continue;
      const v = x[i];
      score[i] += w * (normalisation === "share" ? v / sum : (v - a) / range);
    }
  });
  for (const i of issues.keys()) if (i < n) score[i] = NaN;
  return { score, weights, weightSum, normalisation, notes, issues };
}

// ---- two-axis ABC ------------------------------------------------------------------------------------

export interface AxisInput {
  /** Criterion name for messages and labels, e.g. "value", "margin". */
  name: string;
  values: ArrayLike<number>;
  options?: CriterionOptions;
}

export interface TwoAxisCell {
  /** e.g. "AB": first-axis label then second-axis label. */
  cell: string;
  x: string;
  y: string;
  count: number;
  /** Share of each axis's own total held by the cell's rows (loss rows count 0 on their axis). */
  xShare: number;
  yShare: number;
}

export interface TwoAxisResult {
  x: CriterionResult;
  y: CriterionResult;
  /** Cell labels, index = xClass * y.labels.length + yClass. */
  labels: string[];
  /** Cell index per row; -1 when the row is rejected on an axis. */
  cell: Int32Array;
  /** Every cell of the grid (x labels × y labels, loss classes included when present), count 0 included. */
  grid: TwoAxisCell[];
  issues: Map<number, CellError>;
}

export function twoAxisAbc(xAxis: AxisInput, yAxis: AxisInput): TwoAxisResult {
  const n = xAxis.values.length;
  if (yAxis.values.length !== n) throw new ArgumentError(yAxis.name, `has ${yAxis.values.length} rows but ${xAxis.name} has ${n}`);
  const x = classifyCriterion(xAxis.values, xAxis.options);
  const y = classifyCriterion(yAxis.values, yAxis.options);
  const ky = y.labels.length;
  const labels: string[] = [];
  for (const a of x.labels) for (const b of y.labels) labels.push(a + b);
  const cell = new Int32Array(n);
  const issues = new Map<number, CellError>();
  const count = new Int32Array(labels.length);
  const xs = new Float64Array(labels.length);
  const ys = new Float64Array(labels.length);
  for (let i = 0; i < n; i++) {
    const a = x.abc[i];
    const b = y.abc[i];
    if (a < 0 || b < 0) {
      cell[i] = -1;
      const e = a < 0 ? x.issues.get(i)! : y.issues.get(i)!;
      issues.set(i, cellError(`${a < 0 ? xAxis.name : yAxis.name}: ${e.message}`, e.kind));
      continue;
    }
    const c = a * ky + b;
    cell[i] = c;
    count[c]++;
    if (a !== x.lossClass) xs[c] += x.share[i];
    if (b !== y.lossClass) ys[c] += y.share[i];
  }
  const grid: TwoAxisCell[] = labels.map((l, c) => ({ cell: l, x: x.labels[Math.floor(c / ky)], y: y.labels[c % ky], count: count[c], xShare: xs[c], yShare: ys[c] }));
  return { x, y, labels, cell, grid, issues };
}

function fmt(x: number): string {
  return String(Math.round(x * 1e6) / 1e6);
}
