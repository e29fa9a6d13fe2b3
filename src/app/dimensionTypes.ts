/**
 * The choices of a segmentation beyond "SKU by annual value" (criterion, dimension, weights, the
 * second axis, carbon factors, cost-to-serve rates) and the shapes exchanged with the dimensions
 * job (structured-cloneable). What each choice needs from the order lines, and what is wrong with
 * the choices, in the pane's units (shares and cut-offs in percent), naming the field.
 */
import { validateAbcCutoffs } from "../engine/abc";
import { DEFAULT_TRANSPORT_FACTORS, validateFactors } from "../engine/carbon";
import { DEFAULT_DISPROPORTION_THRESHOLD, type SegmentCostToServe } from "../engine/costToServe";
import { normaliseWeights, type Normalisation, type TwoAxisCell } from "../engine/criteria";
import { ArgumentError } from "../engine/errors";
import { DIMENSION_INFO, DIMENSIONS, dimensionRequirements, type Dimension, type OrderLineField } from "../engine/dimensions";
import { ORDER_LINE_COLUMN_LABELS, type OrderLineColumn, type OrderLineColumns } from "./orderLines";

/** Criteria the pane offers: one column ranked (value … carbon), a weighted score, or two axes. */
export const PANE_CRITERIA = ["value", "margin", "units", "orderLines", "carbon", "score", "twoAxis"] as const;
export type PaneCriterion = (typeof PANE_CRITERIA)[number];
/** Criteria that are one column per key (usable in a score and as an axis). */
export const AXIS_CRITERIA = ["value", "margin", "units", "orderLines", "carbon"] as const;
export type AxisCriterion = (typeof AXIS_CRITERIA)[number];

export const CRITERION_LABELS: Record<PaneCriterion, string> = {
  value: "Value (revenue)",
  margin: "Margin (revenue − cost)",
  units: "Units",
  orderLines: "Order lines (hits)",
  carbon: "Carbon (kg CO2e)",
  score: "Weighted score",
  twoAxis: "Two-axis ABC",
};

/** What a criterion ranks by and when to choose it, for the pane. */
export const CRITERION_HINTS: Record<PaneCriterion, string> = {
  value: "Revenue per key. The classic ABC: where the money is.",
  margin: "Revenue − cost of goods. Loss-making keys get class L, outside the ranking.",
  units: "Units sold. Favours bulky, cheap items; good for warehouse space and handling.",
  orderLines: "Order lines (picks). The warehouse's view: what is picked most often.",
  carbon: "kg CO2e per year (carbon per unit × units): tiers high / medium / low.",
  score: "Several criteria at once with the weights you state (normalised to a share of each total).",
  twoAxis: "Two rankings side by side (e.g. value × margin): a 3×3 of its own.",
};

export interface CostRates {
  perOrder: number;
  perLine: number;
  perUnit: number;
  perShipment: number;
}

export interface DimensionSettings {
  dimension: Dimension;
  criterion: PaneCriterion;
  /** Weighted score: weight per criterion as typed (the engine divides by their sum). */
  weights: Record<AxisCriterion, number>;
  normalisation: Normalisation;
  /** Two-axis ABC: first and second axis. The first uses the Classify ABC cut-offs. */
  axes: [AxisCriterion, AxisCriterion];
  /** Cut-offs of the second axis (cumulative shares). */
  secondCutoffs: number[];
  /** Carbon tiers: high up to the first cut-off, medium up to the second. */
  carbonCutoffs: number[];
  /** kg CO2e per tonne-km by freight mode (indicative defaults; the planner's table wins). */
  factors: Record<string, number>;
  /** Cost-to-serve rates (money) on top of the mapped per-line and shipment costs. */
  rates: CostRates;
  /** Share of cost-to-serve ÷ share of revenue above this flags a segment. */
  threshold: number;
}

export function defaultDimensionSettings(): DimensionSettings {
  return {
    dimension: "product",
    criterion: "value",
    weights: { value: 0.5, margin: 0.3, units: 0, orderLines: 0.2, carbon: 0 },
    normalisation: "share",
    axes: ["value", "margin"],
    secondCutoffs: [0.8, 0.95],
    carbonCutoffs: [0.8, 0.95],
    factors: { ...DEFAULT_TRANSPORT_FACTORS },
    rates: { perOrder: 0, perLine: 0, perUnit: 0, perShipment: 0 },
    threshold: DEFAULT_DISPROPORTION_THRESHOLD,
  };
}

/** Product by value: the existing SKU-table segmentation, nothing more is needed. */
export function isDefaultPath(s: Pick<DimensionSettings, "dimension" | "criterion">): boolean {
  return s.dimension === "product" && s.criterion === "value";
}

/** The single-column criteria a choice uses. */
export function criteriaUsed(s: DimensionSettings): AxisCriterion[] {
  if (s.criterion === "score") return AXIS_CRITERIA.filter((c) => s.weights[c] !== 0);
  if (s.criterion === "twoAxis") return [...new Set(s.axes)];
  return [s.criterion];
}

/** Order-line columns a criterion needs (carbon: a per-unit factor, or weight, distance and freight mode). */
export function criterionNeeds(c: AxisCriterion, mapped: ReadonlySet<OrderLineColumn>): { fields: OrderLineColumn[]; missing: string | null } {
  switch (c) {
    case "value":
      return { fields: ["revenue"], missing: mapped.has("revenue") ? null : "the Revenue column (revenue)" };
    case "margin": {
      const lack = (["revenue", "cost"] as const).filter((f) => !mapped.has(f));
      return { fields: ["revenue", "cost"], missing: lack.length ? lack.map((f) => `the ${ORDER_LINE_COLUMN_LABELS[f]} column (${f})`).join(" and ") : null };
    }
    case "units":
      return { fields: ["quantity"], missing: mapped.has("quantity") ? null : "the Quantity column (quantity)" };
    case "orderLines":
      return { fields: [], missing: null };
    case "carbon": {
      const transport = mapped.has("weightKg") && mapped.has("distanceKm") && mapped.has("freightMode");
      return {
        fields: mapped.has("carbonPerUnit") || !transport ? ["carbonPerUnit"] : ["weightKg", "distanceKm", "freightMode"],
        missing: mapped.has("carbonPerUnit") || transport ? null : "the Carbon per unit column, or Weight, Freight distance and Freight mode",
      };
    }
  }
}

export interface DataNeed {
  field: OrderLineColumn;
  label: string;
  /** Needed for this choice (else used when mapped). */
  required: boolean;
  mapped: boolean;
  /** Why it is needed: "key", "criterion", "cost-to-serve", "SLA". */
  use: string;
}

/** The data a choice of dimension and criterion needs, whether it is mapped, and what is missing. */
export function dataNeeds(s: DimensionSettings, mappedFields: readonly OrderLineColumn[]): { needs: DataNeed[]; missing: string[]; tradeoff: string; complexity: string } {
  const mapped = new Set(mappedFields);
  const req = dimensionRequirements(s.dimension, mappedFields.filter((f) => f !== "carbonPerUnit" && f !== "weightKg" && f !== "distanceKm" && f !== "freightMode" && f !== "productionLine" && f !== "constraintTime") as OrderLineField[]);
  const needs: DataNeed[] = [];
  const seen = new Set<OrderLineColumn>();
  const add = (field: OrderLineColumn, required: boolean, use: string) => {
    if (seen.has(field)) {
      const n = needs.find((x) => x.field === field)!;
      if (required && !n.required) {
        n.required = true;
        n.use = use;
      }
      return;
    }
    seen.add(field);
    needs.push({ field, label: ORDER_LINE_COLUMN_LABELS[field], required, mapped: mapped.has(field), use });
  };
  for (const f of req.fields) if (f.required) add(f.field, true, DIMENSION_INFO[s.dimension].keyFields.includes(f.field) ? "key" : "units");
  const missing = [...req.missing.map((m) => `${m.charAt(0).toUpperCase()}${m.slice(1)}.`)];
  for (const c of criteriaUsed(s)) {
    const need = criterionNeeds(c, mapped);
    for (const f of need.fields) add(f, true, `criterion ${CRITERION_LABELS[c].toLowerCase()}`);
    if (need.missing) missing.push(`${CRITERION_LABELS[s.criterion === "score" || s.criterion === "twoAxis" ? c : s.criterion]} needs ${need.missing}: map it.`);
  }
  for (const f of ["orderId", "shipmentId", "shipmentCost", "handlingCost", "transportCost"] as const) add(f, false, "cost-to-serve");
  if (s.dimension !== "channel" && s.dimension !== "skuChannel") {
    add("customer", false, "SLA tiers, customer class");
    add("customerTier", false, "SLA tiers");
  }
  return { needs, missing, tradeoff: DIMENSION_INFO[s.dimension].tradeoff, complexity: DIMENSION_INFO[s.dimension].complexity };
}

const pct = (x: number) => (Number.isFinite(x) ? `${Math.round(x * 1e6) / 1e4} %` : String(x));

function cutoffProblem(name: string, c: readonly number[]): string | null {
  try {
    validateAbcCutoffs(c);
    return null;
  } catch (e) {
    return `${name}: give increasing cumulative shares above 0 % and at most 100 % (e.g. 80 % and 95 %); got ${c.map(pct).join(" and ")}${e instanceof ArgumentError ? "" : ""}.`;
  }
}

export interface SettingsProblem {
  field: string;
  message: string;
}

/** What is wrong with the choices, naming the field; empty when they can be used. */
export function dimensionSettingsProblems(s: DimensionSettings): SettingsProblem[] {
  const out: SettingsProblem[] = [];
  if (!DIMENSIONS.includes(s.dimension)) out.push({ field: "dimension", message: `Dimension "${String(s.dimension)}" is not one of ${DIMENSIONS.join(", ")}.` });
  if (!PANE_CRITERIA.includes(s.criterion)) out.push({ field: "criterion", message: `Criterion "${String(s.criterion)}" is not one of ${PANE_CRITERIA.join(", ")}.` });
  if (s.criterion === "score") {
    try {
      normaliseWeights(AXIS_CRITERIA.map((c) => ({ name: c, weight: s.weights[c] })));
    } catch (e) {
      out.push({ field: "weights", message: `Weights: ${e instanceof ArgumentError ? e.message.replace(/^weights: /, "") : String(e)}.` });
    }
  }
  if (s.criterion === "twoAxis" && s.axes[0] === s.axes[1]) out.push({ field: "axes", message: `Two-axis ABC: the second axis must differ from the first (both are ${CRITERION_LABELS[s.axes[0]].toLowerCase()}).` });
  if (s.criterion === "twoAxis") {
    const p = cutoffProblem("Second-axis cut-offs", s.secondCutoffs);
    if (p) out.push({ field: "secondCutoffs", message: p });
  }
  const carbon = cutoffProblem("Carbon-tier cut-offs", s.carbonCutoffs);
  if (carbon) out.push({ field: "carbonCutoffs", message: carbon });
  try {
    validateFactors(s.factors);
  } catch (e) {
    out.push({ field: "factors", message: `Carbon factors: ${e instanceof ArgumentError ? e.message.replace(/^factors: /, "") : String(e)}.` });
  }
  for (const [k, v] of Object.entries(s.rates) as [keyof CostRates, number][]) {
    if (!(Number.isFinite(v) && v >= 0)) out.push({ field: `rates.${k}`, message: `Cost per ${k.replace(/^per/, "").toLowerCase()} must be an amount of 0 or more; got ${v}.` });
  }
  if (!(Number.isFinite(s.threshold) && s.threshold > 0)) out.push({ field: "threshold", message: `The out-of-proportion ratio must be above 0 (1.5 is usual); got ${s.threshold}.` });
  return out;
}

/** The weights as the engine will use them, and its note when they do not sum to 1 (null when they cannot be used). */
export function weightNotes(s: DimensionSettings): string[] {
  if (s.criterion !== "score") return [];
  try {
    return normaliseWeights(criteriaUsed(s).map((c) => ({ name: c, weight: s.weights[c] }))).notes;
  } catch {
    return [];
  }
}

// ---- the job ---------------------------------------------------------------------------------------

export interface DimensionJob {
  lines: OrderLineColumns;
  settings: DimensionSettings;
  /** First-axis cut-offs: the Classify tab's ABC cut-offs. */
  abcCutoffs: number[];
  /** The product run's SKUs and their planned segments (null: no classification yet). */
  product: { sku: string[]; segment: string[] } | null;
}

export interface ClassSummary {
  label: string;
  keys: number;
  /** Share of the criterion's total (of the score for a weighted score). */
  share: number;
}

export interface LineRejection {
  /** 0-based sheet row. */
  row: number;
  message: string;
}

export interface SegmentCarbon {
  segment: string;
  emissions: number;
  share: number;
}

export interface DimensionRunResult {
  dimension: Dimension;
  criterion: PaneCriterion;
  linesRead: number;
  linesAccepted: number;
  /** The first rejected lines (at most MAX_REJECTIONS), each naming its cell. */
  rejected: LineRejection[];
  rejectedCount: number;
  /** Keys of the dimension (rows of the segmentation). */
  keys: number;
  /** Key label parts per key (SKU, customer, channel: "" where the dimension does not use it). */
  keySku: string[];
  keyCustomer: string[];
  keyChannel: string[];
  lines: Int32Array;
  /** Distinct orders; -1 without an order column. */
  orders: Int32Array;
  units: Float64Array;
  /** NaN without the column. */
  revenue: Float64Array;
  cost: Float64Array;
  margin: Float64Array;
  /** The ranked value per key (the score for a weighted score, the first axis for two-axis). */
  criterionValue: Float64Array;
  cumShare: Float64Array;
  /** Class label per key ("" when the key could not be ranked; see keyIssue). */
  keyClass: string[];
  keyIssue: string[];
  /** Two-axis: the second axis's value and class per key, and the grid. */
  second: { criterion: AxisCriterion; value: Float64Array; cumShare: Float64Array; keyClass: string[]; grid: TwoAxisCell[]; xLabels: string[]; yLabels: string[] } | null;
  classes: ClassSummary[];
  /** Carbon per key when carbon data is mapped: kg CO2e per year and tier. */
  carbon: { emissions: Float64Array; tier: string[]; issues: number } | null;
  /** Cost-to-serve per segment (null without any cost data), with the rule and what the segments are. */
  costToServe: { segments: SegmentCostToServe[]; rule: string; threshold: number; basis: string; carbon: SegmentCarbon[] | null } | null;
  /** The customer's class (one letter) per customer code, for execution rules; null without customers. */
  customerClass: string[] | null;
  customerKeys: string[];
  /** Tier per customer code from the mapped tier column ("" when none). */
  customerTier: string[];
  /** Per line (accepted lines; -1 otherwise): SKU and customer codes, for the SLA check. */
  lineSku: Int32Array;
  lineCustomer: Int32Array;
  skuKeys: string[];
  /** Per SKU code: lines, units, revenue, cost, production line, constraint minutes (execution inputs). */
  perSku: { lines: Int32Array; units: Float64Array; revenue: Float64Array; cost: Float64Array; productionLine: string[]; constraintTime: Float64Array };
  /** Plain statements about the run (weights normalised, lines whose SKU is not in the SKU table...). */
  notes: string[];
  ms: number;
}

export const MAX_REJECTIONS = 500;
