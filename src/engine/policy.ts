/**
 * Inventory policy per ABC×XYZ segment: the defaults grid, its validation, the table form it
 * takes on the Policy sheet, and the per-SKU policy (one row, skuPolicy; every row at once,
 * skuPolicyColumns). Pure: no Office, no DOM.
 *
 * Default grid (service levels, rows A..C by value, columns X..Z by CV):
 *
 *          X      Y      Z
 *   A    0.98   0.97   0.95
 *   B    0.96   0.95   0.92
 *   C    0.93   0.90   0.85
 *
 * Rationale (in the spirit of the 9-cell grids that planning suites ship): the service target falls
 * with value class (a stock-out on an A item costs the most revenue) and with variability (each
 * point of service on a Z item costs far more safety stock than on an X item, because the buffer
 * scales with the demand sd). So AX is the highest, CZ the lowest, and every row and column is
 * non-increasing; validatePolicyGrid does not enforce that shape (planners may have reasons), it
 * only checks ranges.
 * Method: "csl" (cycle service level: P(no stock-out in a replenishment cycle)) for X and Y items,
 * whose demand is close enough to normal; "fill" (fill rate: share of demand met from stock, via the
 * normal loss function) for Z items, where a CSL target buys a very large buffer against rare peaks
 * while the fill rate sizes the buffer by the units actually short per cycle. "cost" (shortage-cost
 * driven: the critical ratio p / (p + h), src/engine/policy/levels.ts) is there to choose.
 * Distribution (src/engine/distributions.ts): "auto" in the default grid, i.e. by demand pattern:
 * smooth and erratic -> normal, intermittent and lumpy -> negative binomial (Poisson when the
 * variance is not above the mean). A grid saved before the column existed reads as "normal", so
 * its Policy sheet does not change (normalizePolicyGrid).
 * Review period (periods of the history, e.g. weeks): A items 0 = continuous review with an EOQ
 * lot (the valuable items are watched all the time and ordered in economic lots), B items 1, C items 4
 * (periodic review pools the many cheap items into fewer orders; the order is then the demand of one
 * review period). KPI targets are for reporting only (the formulas do not use them):
 * fill-rate target = the service level; inventory-turns target AX 12 ... CZ 3.
 * Shortage cost (method "cost" only): the cost of one unit short for a year as a fraction of the
 * unit cost, the same unit as the holding cost rate of the defaults (PolicyOptions.holdingRate), so
 * the critical ratio shortageCost / (shortageCost + holdingRate) depends on neither the unit cost
 * nor the length of a period. Defaults A 4.75, B 2.25, C 1.0 (ratios 95 %, 90 %, 80 % at a 25 %
 * holding rate).
 * Order multiple (default 1: whole units) and MOQ (default 0: none) apply to the segment's SKUs
 * unless a mapped column gives a SKU its own (src/engine/rounding.ts).
 * Segments with XYZ class "N" (mean demand 0, CV undefined) have no row: no demand, no buffer.
 */
import { DISTRIBUTION_NAMES, NOTE_NEGBIN_TO_POISSON, type DistributionChoice, type DistributionName } from "./distributions";
import { ArgumentError, CellError, cellError, isCellError } from "./errors";
import { eoq, type OrderQtySource, type SafetyStockMethod } from "./inventory";
import { cycleServiceLevelAt, distributionPolicyColumns, fillRateAt, intervalDemandColumns, intervalDemandRow, LEVEL_METHODS, newIntervalDemand, type IntervalDemandColumns, type LevelMethod } from "./policy/levels";
import { isMultipleOf, roundPolicyColumns, roundUpToMultiple } from "./rounding";

export type { SafetyStockMethod };
/** How a segment's level is set: a cycle service level, a fill rate, or a shortage cost. */
export type PolicyMethod = LevelMethod;
export const POLICY_METHODS = LEVEL_METHODS;
/** A family or "auto" (by demand pattern). */
export const DISTRIBUTION_CHOICES: readonly DistributionChoice[] = [...DISTRIBUTION_NAMES, "auto"];

export const ABC_CLASSES = ["A", "B", "C"] as const;
export const XYZ_CLASSES = ["X", "Y", "Z"] as const;
export const SEGMENTS = ABC_CLASSES.flatMap((a) => XYZ_CLASSES.map((x) => `${a}${x}`));

export interface SegmentPolicy {
  segment: string;
  /** Target in (0, 1): a cycle service level for "csl", a fill rate for "fill" (not used by "cost"). */
  serviceLevel: number;
  method: PolicyMethod;
  /** Periods between reviews (same unit as the demand history and lead times), >= 0. */
  reviewPeriod: number;
  /** KPI target, reporting only: share of demand met from stock, in (0, 1]. */
  fillRateTarget: number;
  /** KPI target, reporting only: annual cost of goods / average inventory, > 0. */
  turnsTarget: number;
  /** Lead-time demand distribution, or "auto" by demand pattern. */
  distribution: DistributionChoice;
  /** Method "cost": cost of one unit short for a year, as a fraction of the unit cost (4.75 = 475 %), > 0. */
  shortageCost: number;
  /** Order multiple (pack size, rounding value) in units, > 0; 1 = whole units. */
  orderMultiple: number;
  /** Minimum order quantity in units, >= 0 and a multiple of orderMultiple; 0 = none. */
  moq: number;
}

const SERVICE: Record<string, number> = { AX: 0.98, AY: 0.97, AZ: 0.95, BX: 0.96, BY: 0.95, BZ: 0.92, CX: 0.93, CY: 0.9, CZ: 0.85 };
const TURNS: Record<string, number> = { AX: 12, AY: 10, AZ: 6, BX: 10, BY: 8, BZ: 5, CX: 8, CY: 6, CZ: 3 };
const REVIEW: Record<string, number> = { A: 0, B: 1, C: 4 };
const SHORTAGE: Record<string, number> = { A: 4.75, B: 2.25, C: 1 };

export function defaultPolicyGrid(): SegmentPolicy[] {
  return SEGMENTS.map((segment) => ({
    segment,
    serviceLevel: SERVICE[segment],
    method: segment.endsWith("Z") ? "fill" : "csl",
    reviewPeriod: REVIEW[segment[0]],
    fillRateTarget: SERVICE[segment],
    turnsTarget: TURNS[segment],
    distribution: "auto",
    shortageCost: SHORTAGE[segment[0]],
    orderMultiple: 1,
    moq: 0,
  }));
}

/**
 * A grid as saved by an earlier version (without distribution, shortage cost, order multiple or
 * MOQ) completed with values that keep its results: distribution "normal" (what every SKU had),
 * the default shortage cost, order multiple 1 and MOQ 0. Present fields are kept as they are.
 */
export function normalizePolicyGrid(saved: readonly Partial<SegmentPolicy>[]): SegmentPolicy[] {
  return saved.map((p) => ({
    ...(p as SegmentPolicy),
    distribution: p.distribution ?? "normal",
    shortageCost: p.shortageCost ?? SHORTAGE[(p.segment ?? "C").charAt(0)] ?? 1,
    orderMultiple: p.orderMultiple ?? 1,
    moq: p.moq ?? 0,
  }));
}

/** The grid's columns as headers on the Policy sheet, in order. */
export const SEGMENT_POLICY_HEADERS = [
  "Segment",
  "Service level",
  "Method",
  "Review period",
  "Fill rate target",
  "Inventory turns target",
  "Distribution",
  "Shortage cost",
  "Order multiple",
  "MOQ",
] as const;
export type SegmentPolicyField = Exclude<keyof SegmentPolicy, "segment">;
export const SEGMENT_POLICY_FIELDS: readonly SegmentPolicyField[] = [
  "serviceLevel",
  "method",
  "reviewPeriod",
  "fillRateTarget",
  "turnsTarget",
  "distribution",
  "shortageCost",
  "orderMultiple",
  "moq",
];

export function policyFieldHeader(field: SegmentPolicyField): string {
  return SEGMENT_POLICY_HEADERS[SEGMENT_POLICY_FIELDS.indexOf(field) + 1];
}

const isMethod = (m: unknown): m is PolicyMethod => m === "csl" || m === "fill" || m === "cost";
const isDistribution = (d: unknown): d is DistributionChoice => typeof d === "string" && (DISTRIBUTION_CHOICES as readonly string[]).includes(d);

/** One problem per field, each naming the segment and field and what range is allowed. */
export function policyProblems(p: SegmentPolicy): string[] {
  const out: string[] = [];
  const where = `${p.segment} ${policyFieldHeader("serviceLevel").toLowerCase()}`;
  if (!(p.serviceLevel > 0 && p.serviceLevel < 1)) out.push(`${where} must be between 0 and 1 (e.g. 0.95), got ${p.serviceLevel}`);
  if (!isMethod(p.method)) out.push(`${p.segment} method must be "csl", "fill" or "cost", got "${String(p.method)}"`);
  if (!(p.reviewPeriod >= 0 && Number.isFinite(p.reviewPeriod))) out.push(`${p.segment} review period must be 0 or more periods, got ${p.reviewPeriod}`);
  if (!(p.fillRateTarget > 0 && p.fillRateTarget <= 1)) out.push(`${p.segment} fill rate target must be in (0, 1], got ${p.fillRateTarget}`);
  if (!(p.turnsTarget > 0 && Number.isFinite(p.turnsTarget))) out.push(`${p.segment} inventory turns target must be above 0, got ${p.turnsTarget}`);
  if (!isDistribution(p.distribution)) out.push(`${p.segment} distribution must be one of ${DISTRIBUTION_CHOICES.join(", ")}, got "${String(p.distribution)}"`);
  if (!(p.shortageCost > 0 && Number.isFinite(p.shortageCost))) out.push(`${p.segment} shortage cost must be above 0 (a fraction of the unit cost a year, e.g. 4.75), got ${p.shortageCost}`);
  if (!(p.orderMultiple > 0 && Number.isFinite(p.orderMultiple))) out.push(`${p.segment} order multiple must be above 0, got ${p.orderMultiple}`);
  if (!(p.moq >= 0 && Number.isFinite(p.moq))) out.push(`${p.segment} MOQ must be 0 or more, got ${p.moq}`);
  else if (p.moq > 0 && p.orderMultiple > 0 && !isMultipleOf(p.moq, p.orderMultiple)) out.push(`${p.segment} MOQ ${p.moq} is not a multiple of the order multiple ${p.orderMultiple}`);
  return out;
}

/** Checks a whole grid: one row per segment, each valid. Throws ArgumentError("policy", ...) on the first problem. */
export function validatePolicyGrid(grid: readonly SegmentPolicy[]): SegmentPolicy[] {
  const seen = new Set<string>();
  for (const p of grid) {
    if (!SEGMENTS.includes(p.segment)) throw new ArgumentError("policy", `unknown segment "${p.segment}"; expected one of ${SEGMENTS.join(", ")}`);
    if (seen.has(p.segment)) throw new ArgumentError("policy", `segment ${p.segment} appears twice`);
    seen.add(p.segment);
    const problems = policyProblems(p);
    if (problems.length) throw new ArgumentError("policy", problems[0]);
  }
  const missing = SEGMENTS.filter((s) => !seen.has(s));
  if (missing.length) throw new ArgumentError("policy", `missing segment rows: ${missing.join(", ")}`);
  return SEGMENTS.map((s) => ({ ...grid.find((p) => p.segment === s)! }));
}

/** A grid as Policy-sheet rows (SEGMENT_POLICY_HEADERS order). */
export function policyGridRows(grid: readonly SegmentPolicy[]): (string | number)[][] {
  return grid.map((p) => [p.segment, p.serviceLevel, p.method, p.reviewPeriod, p.fillRateTarget, p.turnsTarget, p.distribution, p.shortageCost, p.orderMultiple, p.moq]);
}

/** Reads one cell of the segment policy table back; undefined when it cannot be read as that field. */
export function parsePolicyCell(field: SegmentPolicyField, cell: unknown): SegmentPolicy[SegmentPolicyField] | undefined {
  if (field === "method") {
    const t = typeof cell === "string" ? cell.trim().toLowerCase() : "";
    return isMethod(t) ? t : undefined;
  }
  if (field === "distribution") {
    const t = typeof cell === "string" ? cell.trim().toLowerCase() : "";
    return isDistribution(t) ? t : undefined;
  }
  if (typeof cell === "number" && Number.isFinite(cell)) return cell;
  return undefined;
}

/** Cells where two grids differ, as (segment, field) pairs in grid order. */
export function diffPolicyGrids(a: readonly SegmentPolicy[], b: readonly SegmentPolicy[]): { segment: string; field: SegmentPolicyField; from: SegmentPolicy[SegmentPolicyField]; to: SegmentPolicy[SegmentPolicyField] }[] {
  const out: { segment: string; field: SegmentPolicyField; from: SegmentPolicy[SegmentPolicyField]; to: SegmentPolicy[SegmentPolicyField] }[] = [];
  for (const pa of a) {
    const pb = b.find((p) => p.segment === pa.segment);
    if (!pb) continue;
    for (const f of SEGMENT_POLICY_FIELDS) if (pa[f] !== pb[f] && pa[f] !== undefined) out.push({ segment: pa.segment, field: f, from: pa[f], to: pb[f] });
  }
  return out;
}

// ---- policy options ------------------------------------------------------------------------------

export type BudgetMode = "none" | "total" | "segment";
export type CapacityBasis = "units" | "volume";

/** Inputs that are not per segment: defaults for missing lead times, the EOQ cost parameters, constraints. */
export interface PolicyOptions {
  /** Lead time (periods) for SKUs whose lead-time cell is blank or not mapped. */
  defaultLeadTime: number;
  /** Lead-time sd (periods) for SKUs without one. */
  defaultLeadTimeSd: number;
  /** Cost per order (money), for the EOQ of continuous-review segments. */
  orderCost: number;
  /** Annual holding cost as a fraction of unit cost (0.25 = 25% a year), for the EOQ and the "cost" method. */
  holdingRate: number;
  /** Periods per year of the demand history (52 weekly, 12 monthly). */
  periodsPerYear: number;
  /**
   * "whole" (default): quantities a planner can order (src/engine/rounding.ts): the lot (EOQ or a
   * given order quantity) is rounded up to the order multiple and raised to the MOQ before the
   * levels are computed, so the fill rate uses the lot that will be ordered; reorder point, min
   * and max are rounded up to whole units, max = min + order quantity; safety stock is rounded up
   * to a whole unit. "none": fractions are kept (bulk goods); only the MOQ still raises the lot.
   */
  rounding: "whole" | "none";
  /** End of life: periods over which demand ramps down to 0 from the phase-out start (src/engine/policy/lifecycle.ts). */
  phaseOutPeriods: number;
  /** DC capacity per location counted in units, or in volume with a mapped unit volume. */
  capacityBasis: CapacityBasis;
  /** Safety-stock budget: none, one total, or one per segment (segmentBudgets). */
  budgetMode: BudgetMode;
  /** Total safety-stock budget (money: unit cost x safety stock), for budgetMode "total". */
  budget: number;
  /** Budget per segment (money), for budgetMode "segment". */
  segmentBudgets: Record<string, number>;
}

export function defaultPolicyOptions(): PolicyOptions {
  return {
    defaultLeadTime: 2,
    defaultLeadTimeSd: 0,
    orderCost: 50,
    holdingRate: 0.25,
    periodsPerYear: 52,
    rounding: "whole",
    phaseOutPeriods: 13,
    capacityBasis: "units",
    budgetMode: "none",
    budget: 0,
    segmentBudgets: {},
  };
}

export function policyOptionProblems(o: PolicyOptions): string[] {
  const out: string[] = [];
  if (!(o.defaultLeadTime >= 0 && Number.isFinite(o.defaultLeadTime))) out.push(`Default lead time must be 0 or more periods, got ${o.defaultLeadTime}`);
  if (!(o.defaultLeadTimeSd >= 0 && Number.isFinite(o.defaultLeadTimeSd))) out.push(`Default lead-time sd must be 0 or more periods, got ${o.defaultLeadTimeSd}`);
  if (!(o.orderCost >= 0 && Number.isFinite(o.orderCost))) out.push(`Cost per order must be 0 or more, got ${o.orderCost}`);
  if (!(o.holdingRate > 0 && Number.isFinite(o.holdingRate))) out.push(`Holding cost rate must be above 0 (e.g. 0.25 for 25% a year), got ${o.holdingRate}`);
  if (!(Number.isInteger(o.periodsPerYear) && o.periodsPerYear > 0)) out.push(`Periods per year must be a whole number above 0 (52 weekly, 12 monthly), got ${o.periodsPerYear}`);
  if (o.rounding !== "whole" && o.rounding !== "none") out.push(`Rounding must be "whole" or "none", got ${JSON.stringify(o.rounding)}`);
  if (!(o.phaseOutPeriods >= 0 && Number.isFinite(o.phaseOutPeriods))) out.push(`Phase-out periods must be 0 or more, got ${o.phaseOutPeriods}`);
  if (o.capacityBasis !== "units" && o.capacityBasis !== "volume") out.push(`Capacity basis must be "units" or "volume", got ${JSON.stringify(o.capacityBasis)}`);
  if (o.budgetMode !== "none" && o.budgetMode !== "total" && o.budgetMode !== "segment") out.push(`Budget must be "none", "total" or "segment", got ${JSON.stringify(o.budgetMode)}`);
  if (o.budgetMode === "total" && !(o.budget > 0 && Number.isFinite(o.budget))) out.push(`Safety-stock budget must be above 0, got ${o.budget}`);
  if (o.budgetMode === "segment") {
    for (const s of SEGMENTS) {
      const b = o.segmentBudgets?.[s];
      if (!(typeof b === "number" && b >= 0 && Number.isFinite(b))) out.push(`Safety-stock budget of segment ${s} must be 0 or more, got ${b === undefined ? "nothing" : b}`);
    }
  }
  return out;
}

// ---- per-SKU policy ---------------------------------------------------------------------------

export interface SkuPolicyInput {
  /** Mean and sd of demand per period (the sd as the XYZ run estimated it). */
  demandMean: number;
  demandSd: number;
  /** NaN or undefined = use the default. */
  leadTime?: number;
  leadTimeSd?: number;
  /** A given order quantity / lot (units); NaN or undefined = none. */
  orderQty?: number;
  /** Unit cost (money / unit); NaN or undefined = unknown (then no EOQ). */
  unitCost?: number;
  /** Demand-pattern code (src/engine/pattern.ts) for distribution "auto"; undefined = unknown. */
  pattern?: number;
  /** The SKU's own order multiple and MOQ; NaN or undefined = the segment's. */
  orderMultiple?: number;
  moq?: number;
  /** Minimum safety stock (critical spares, regulatory stock), units; NaN or undefined = none. */
  floor?: number;
}

export interface SkuPolicy {
  serviceLevel: number;
  method: PolicyMethod;
  leadTime: number;
  reviewPeriod: number;
  safetyStock: number;
  reorderPoint: number;
  min: number;
  max: number;
  orderQty: number;
  orderQtySource: OrderQtySource | "none";
  /** The family used (after "auto" and the negative-binomial fallback). */
  distribution: DistributionName;
  /** Order multiple (the MRP rounding value) and MOQ used. */
  roundingValue: number;
  moq: number;
  /** Service of the final (rounded) levels: P(no stockout in a cycle) and fill rate. */
  cycleServiceLevel: number;
  fillRate: number;
  /** Said when a rule changed the formula's answer (floor at 0, floor, no demand, distribution fallback). */
  note: string;
}

/** Order-quantity sources as codes (SkuPolicyTable.orderQtySource). */
export const ORDER_QTY_SOURCES = ["none", "given", "eoq", "review"] as const;

/** Row flags (SkuPolicyTable.flags), a bit each. */
export const FLAG_NO_DEMAND = 1;
/** The formula's safety stock was negative and was raised to 0. */
export const FLAG_FLOORED_AT_ZERO = 2;
/** A mapped floor raised the safety stock. */
export const FLAG_FLOOR = 4;
/** Levels rounded to whole units / order multiples. */
export const FLAG_WHOLE = 8;
/** Negative binomial asked for, variance <= mean: Poisson used. */
export const FLAG_NEGBIN_TO_POISSON = 16;
/** Protected (has a floor): excluded from budget and capacity cuts. */
export const FLAG_PROTECTED = 32;
/** The level was set by the safety-stock budget (src/engine/policy/deploy.ts). */
export const FLAG_BUDGET = 64;
/** The max was cut to fit the DC capacity (src/engine/policy/deploy.ts). */
export const FLAG_CAPACITY = 128;

/** Every SKU's policy, column by column (skuPolicyColumns). Rows without a policy hold NaN. */
export interface SkuPolicyTable {
  rows: number;
  leadTime: Float64Array;
  leadTimeSd: Float64Array;
  reviewPeriod: Float64Array;
  serviceLevel: Float64Array;
  /** Index into POLICY_METHODS; -1 = no policy. */
  method: Int8Array;
  /** Family code (DISTRIBUTION_NAMES); -1 = none. */
  distribution: Int8Array;
  safetyStock: Float64Array;
  /** The formula's safety stock before the floors and the rounding (level - mean over the interval). */
  safetyStockRaw: Float64Array;
  reorderPoint: Float64Array;
  min: Float64Array;
  max: Float64Array;
  orderQty: Float64Array;
  /** Index into ORDER_QTY_SOURCES. */
  orderQtySource: Int8Array;
  roundingValue: Float64Array;
  moq: Float64Array;
  floor: Float64Array;
  cycleServiceLevel: Float64Array;
  fillRate: Float64Array;
  flags: Uint8Array;
  /** Demand over the protection interval per row (for budgets, capacity, service), code -1 where none. */
  demand: IntervalDemandColumns;
  errors: Map<number, CellError>;
}

export interface SkuPolicyColumnsInput {
  rows: number;
  /** Index into the grid per SKU; -1 = no policy row (left NaN, no error). */
  policy: ArrayLike<number>;
  demandMean: ArrayLike<number>;
  demandSd: ArrayLike<number>;
  /** Pattern codes (src/engine/pattern.ts) for "auto"; -1 or NaN = unknown. */
  pattern?: ArrayLike<number>;
  /** NaN = the default. */
  leadTime?: ArrayLike<number>;
  leadTimeSd?: ArrayLike<number>;
  /** NaN (or <= 0) = none. */
  orderQty?: ArrayLike<number>;
  /** NaN = unknown. */
  unitCost?: ArrayLike<number>;
  /** NaN = the segment's. */
  orderMultiple?: ArrayLike<number>;
  moq?: ArrayLike<number>;
  /** Minimum safety stock, units; NaN or 0 = none. */
  floor?: ArrayLike<number>;
}

const given = (x: number | undefined): x is number => x !== undefined && x === x;
const at = (col: ArrayLike<number> | undefined, i: number): number => (col === undefined ? Number.NaN : col[i]);
/** No -0 on the sheet. */
const clean = (x: number) => (x === 0 ? 0 : x);

/**
 * Every SKU's policy under its segment's grid row, in one pass per stage (no allocation per row):
 * 1. lot: a given order quantity, else under continuous review the EOQ of d x periodsPerYear with
 *    holding cost holdingRate x unitCost (Harris 1913), else under periodic review the demand per
 *    review d R; with rounding "whole" a given or EOQ lot is rounded up to the order multiple and
 *    raised to the MOQ first (so the fill rate uses the lot that will be ordered);
 * 2. level (reorder point s or order-up-to level S) from the segment's distribution and method
 *    (src/engine/policy/levels.ts distributionPolicyColumns; normal "csl"/"fill" is
 *    src/engine/inventory.ts exactly as before); "cost" uses the critical ratio
 *    shortageCost / (shortageCost + holdingRate);
 * 3. floors: a negative safety stock is raised to 0 and a mapped floor raises it further; the
 *    level moves up by the same amount;
 * 4. rounding (src/engine/rounding.ts roundPolicyColumns, one rule for the pane, the sheets and
 *    the MRP export): (s, Q) min = reorder point = s rounded up, max = min + Q'; (R, S) max =
 *    reorder point = S rounded up, min = max - Q' with Q' the demand per review rounded to the
 *    multiple and raised to the MOQ; safety stock rounded up to a whole unit;
 * 5. the service of the final levels (cycle service level and fill rate, exact forms).
 * Rules: mean demand 0 gives zeros (nothing to protect) with a given order quantity kept; a
 * continuous-review SKU without an order quantity needs a unit cost for its EOQ (else a row error).
 */
export function skuPolicyColumns(grid: readonly SegmentPolicy[], c: SkuPolicyColumnsInput, options: PolicyOptions): SkuPolicyTable {
  const n = c.rows;
  const nan = () => new Float64Array(n).fill(Number.NaN);
  const t: SkuPolicyTable = {
    rows: n,
    leadTime: nan(),
    leadTimeSd: nan(),
    reviewPeriod: nan(),
    serviceLevel: nan(),
    method: new Int8Array(n).fill(-1),
    distribution: new Int8Array(n).fill(-1),
    safetyStock: nan(),
    safetyStockRaw: nan(),
    reorderPoint: nan(),
    min: nan(),
    max: nan(),
    orderQty: nan(),
    orderQtySource: new Int8Array(n),
    roundingValue: nan(),
    moq: nan(),
    floor: nan(),
    cycleServiceLevel: nan(),
    fillRate: nan(),
    flags: new Uint8Array(n),
    demand: undefined as unknown as IntervalDemandColumns,
    errors: new Map(),
  };
  const whole = options.rounding !== "none";
  const ppy = options.periodsPerYear;
  // stage 1: per-row inputs of the level computation; rows handled here get dm = NaN there
  const dm = new Float64Array(n);
  const ds = new Float64Array(n);
  const lot = nan();
  const pattern = new Float64Array(n);
  const holding = new Float64Array(n).fill(options.holdingRate);
  const shortage = new Float64Array(n);
  const dist = new Array<DistributionChoice>(n);
  const method = new Array<LevelMethod>(n);
  for (let i = 0; i < n; i++) {
    const g = c.policy[i];
    const p = g >= 0 ? grid[g] : undefined;
    dm[i] = Number.NaN;
    dist[i] = "normal";
    method[i] = "csl";
    if (!p) continue;
    const L0 = at(c.leadTime, i);
    const sdL0 = at(c.leadTimeSd, i);
    const L = given(L0) ? L0 : options.defaultLeadTime;
    const sdL = given(sdL0) ? sdL0 : options.defaultLeadTimeSd;
    const R = p.reviewPeriod;
    t.leadTime[i] = L;
    t.leadTimeSd[i] = sdL;
    t.reviewPeriod[i] = R;
    t.serviceLevel[i] = p.serviceLevel;
    t.method[i] = POLICY_METHODS.indexOf(p.method);
    const m0 = at(c.orderMultiple, i);
    const moq0 = at(c.moq, i);
    const m = given(m0) ? m0 : p.orderMultiple;
    const moq = given(moq0) ? moq0 : p.moq;
    t.roundingValue[i] = m;
    t.moq[i] = moq;
    const fl = at(c.floor, i);
    if (fl > 0) {
      t.floor[i] = fl;
      t.flags[i] |= FLAG_PROTECTED;
    }
    const q0 = at(c.orderQty, i);
    const hasQ = q0 > 0 && q0 < Infinity;
    const mean = c.demandMean[i];
    if (mean === 0) {
      t.safetyStock[i] = t.reorderPoint[i] = t.min[i] = t.max[i] = t.safetyStockRaw[i] = 0;
      t.orderQty[i] = given(q0) ? q0 : 0;
      t.orderQtySource[i] = given(q0) ? 1 : 0;
      t.flags[i] |= FLAG_NO_DEMAND;
      t.distribution[i] = 0;
      continue;
    }
    const orderable = (x: number) => (whole ? Math.max(roundUpToMultiple(x, m > 0 ? m : 1), m > 0 ? m : 1, moq > 0 ? moq : 0) : Math.max(x, moq > 0 ? moq : 0));
    if (hasQ) {
      lot[i] = R > 0 ? q0 : orderable(q0);
      t.orderQtySource[i] = 1;
    } else if (R > 0) {
      t.orderQtySource[i] = 3;
    } else {
      const uc = at(c.unitCost, i);
      if (!(uc > 0)) {
        t.errors.set(i, cellError("unit cost unknown, so no EOQ for this continuous-review segment: map a unit cost or an order quantity column"));
        continue;
      }
      const e = eoq(mean * ppy, options.orderCost, options.holdingRate * uc);
      if (isCellError(e)) {
        t.errors.set(i, e);
        continue;
      }
      if (!(e > 0)) {
        t.errors.set(i, cellError("EOQ is 0 (demandMean or orderCost is 0): give orderQty", "na"));
        continue;
      }
      lot[i] = orderable(e);
      t.orderQtySource[i] = 2;
    }
    dm[i] = mean;
    ds[i] = c.demandSd[i];
    const pat = at(c.pattern, i);
    pattern[i] = given(pat) ? pat : -1;
    dist[i] = p.distribution;
    method[i] = p.method;
    shortage[i] = p.shortageCost;
  }
  // stage 2: the levels
  const levels = distributionPolicyColumns({
    rows: n,
    demandMean: dm,
    demandSd: ds,
    leadTime: t.leadTime,
    leadTimeSd: t.leadTimeSd,
    reviewPeriod: t.reviewPeriod,
    distribution: dist,
    pattern,
    method,
    serviceLevel: t.serviceLevel,
    orderQty: lot,
    holdingCost: holding,
    shortageCost: shortage,
  });
  t.demand = intervalDemandColumns({ rows: n, demandMean: dm, demandSd: ds, leadTime: t.leadTime, leadTimeSd: t.leadTimeSd, reviewPeriod: t.reviewPeriod, distribution: dist, pattern });
  // stage 3: floors, and the inputs of the rounding
  const level = new Float64Array(n);
  const perOrder = new Float64Array(n);
  const computed = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (!(dm[i] === dm[i])) {
      level[i] = Number.NaN;
      continue;
    }
    const bad = levels.errors.get(i);
    if (bad) {
      t.errors.set(i, bad);
      level[i] = Number.NaN;
      continue;
    }
    computed[i] = 1;
    t.distribution[i] = levels.distribution[i];
    if (levels.note[i] === NOTE_NEGBIN_TO_POISSON) t.flags[i] |= FLAG_NEGBIN_TO_POISSON;
    const raw = levels.safetyStock[i];
    t.safetyStockRaw[i] = raw;
    let ss = raw;
    if (ss < 0) {
      ss = 0;
      t.flags[i] |= FLAG_FLOORED_AT_ZERO;
    }
    const fl = t.floor[i];
    if (fl > ss) {
      ss = fl;
      t.flags[i] |= FLAG_FLOOR;
    }
    level[i] = levels.mean[i] + ss;
    t.safetyStock[i] = ss;
    const R = t.reviewPeriod[i];
    perOrder[i] = R > 0 ? dm[i] * R : lot[i];
  }
  // stage 4: rounding
  if (whole) {
    const r = roundPolicyColumns({ rows: n, reorderPoint: level, orderQty: perOrder, reviewPeriod: t.reviewPeriod, orderMultiple: t.roundingValue, moq: t.moq });
    for (let i = 0; i < n; i++) {
      if (!computed[i]) continue;
      const bad = r.errors.get(i);
      if (bad) {
        t.errors.set(i, bad);
        computed[i] = 0;
        t.safetyStock[i] = Number.NaN;
        continue;
      }
      t.flags[i] |= FLAG_WHOLE;
      t.safetyStock[i] = clean(roundUpToMultiple(t.safetyStock[i], 1));
      t.reorderPoint[i] = clean(r.reorderPoint[i]);
      t.min[i] = clean(r.min[i]);
      t.max[i] = clean(r.max[i]);
      const q0 = at(c.orderQty, i);
      // periodic review with a given lot: the lot is what is ordered (rounded like any lot), min uses d R
      t.orderQty[i] = t.reviewPeriod[i] > 0 && t.orderQtySource[i] === 1 ? Math.max(roundUpToMultiple(q0, t.roundingValue[i]), t.roundingValue[i], t.moq[i]) : r.orderQty[i];
    }
  } else {
    for (let i = 0; i < n; i++) {
      if (!computed[i]) continue;
      const R = t.reviewPeriod[i];
      const moq = t.moq[i] > 0 ? t.moq[i] : 0;
      t.reorderPoint[i] = level[i];
      if (R > 0) {
        t.max[i] = level[i];
        t.min[i] = level[i] - Math.max(perOrder[i], moq);
        t.orderQty[i] = t.orderQtySource[i] === 1 ? Math.max(at(c.orderQty, i), moq) : Math.max(perOrder[i], moq);
      } else {
        t.min[i] = level[i];
        t.max[i] = level[i] + perOrder[i];
        t.orderQty[i] = perOrder[i];
      }
    }
  }
  // stage 5: the service of the final levels
  serviceOfLevels(t, computed);
  return t;
}

const scratch = newIntervalDemand();

/** Cycle service level and fill rate of the table's final levels, for the rows marked in `rows` (1). */
export function serviceOfLevels(t: SkuPolicyTable, rows?: Uint8Array, only?: ArrayLike<number>): void {
  const each = (i: number) => {
    if (t.demand.code[i] < 0 || !(t.reorderPoint[i] === t.reorderPoint[i])) return;
    const d = intervalDemandRow(t.demand, i, scratch);
    const periodic = d.reviewPeriod > 0;
    const x = periodic ? t.max[i] : t.reorderPoint[i];
    t.cycleServiceLevel[i] = cycleServiceLevelAt(d, x);
    t.fillRate[i] = d.demandMean > 0 ? fillRateAt(d, x, periodic ? Number.NaN : t.max[i] - t.min[i]) : Number.NaN;
  };
  if (only) for (let k = 0; k < only.length; k++) each(only[k]);
  else for (let i = 0; i < t.rows; i++) if (!rows || rows[i]) each(i);
}

function round(x: number): string {
  return String(Math.round(x * 100) / 100);
}

/** The rules that changed row i's formula answer, in words ("" when none). */
export function skuPolicyNote(t: SkuPolicyTable, i: number): string {
  const f = t.flags[i];
  if (f & FLAG_NO_DEMAND) return "no demand in the history";
  const notes: string[] = [];
  const method = POLICY_METHODS[t.method[i]];
  if (f & FLAG_FLOORED_AT_ZERO) notes.push(`safety stock ${round(t.safetyStockRaw[i])} (${method === "fill" ? "fill rate" : method === "cost" ? "shortage cost below the holding cost" : "service level below 50 %"}) floored at 0`);
  if (f & FLAG_FLOOR) notes.push(`raised to the floor of ${round(t.floor[i])} (critical spare / regulatory stock)`);
  if (f & FLAG_NEGBIN_TO_POISSON) notes.push("variance <= mean over the protection interval, so no negative binomial exists: Poisson used");
  // whole-unit rounding (FLAG_WHOLE) is said once in the Policy sheet's notes, and the multiple
  // and MOQ have their own columns: repeating it on every row would only add bytes to the write
  return notes.join("; ");
}

/**
 * One SKU's policy under its segment's row: row 0 of skuPolicyColumns (the same rules, the same
 * numbers as the Policy sheet).
 */
export function skuPolicy(policy: SegmentPolicy, input: SkuPolicyInput, options: PolicyOptions): SkuPolicy | CellError {
  const p = normalizePolicyGrid([policy])[0];
  const one = (x: number | undefined) => Float64Array.of(given(x) ? x : Number.NaN);
  const t = skuPolicyColumns(
    [p],
    {
      rows: 1,
      policy: [0],
      demandMean: [input.demandMean],
      demandSd: [input.demandSd],
      pattern: [input.pattern ?? -1],
      leadTime: one(input.leadTime),
      leadTimeSd: one(input.leadTimeSd),
      orderQty: one(input.orderQty),
      unitCost: one(input.unitCost),
      orderMultiple: one(input.orderMultiple),
      moq: one(input.moq),
      floor: one(input.floor),
    },
    options,
  );
  const bad = t.errors.get(0);
  if (bad) return bad;
  return {
    serviceLevel: t.serviceLevel[0],
    method: p.method,
    leadTime: t.leadTime[0],
    reviewPeriod: t.reviewPeriod[0],
    safetyStock: t.safetyStock[0],
    reorderPoint: t.reorderPoint[0],
    min: t.min[0],
    max: t.max[0],
    orderQty: t.orderQty[0],
    orderQtySource: ORDER_QTY_SOURCES[t.orderQtySource[0]],
    distribution: DISTRIBUTION_NAMES[Math.max(0, t.distribution[0])],
    roundingValue: t.roundingValue[0],
    moq: t.moq[0],
    cycleServiceLevel: t.cycleServiceLevel[0],
    fillRate: t.fillRate[0],
    note: skuPolicyNote(t, 0),
  };
}

/** Grid index per segment label (-1 where the grid has no row: XYZ class N, unclassified). */
export function policyIndex(grid: readonly SegmentPolicy[], segment: ArrayLike<string>, rows: number): Int32Array {
  const bySegment = new Map<string, number>();
  grid.forEach((p, k) => bySegment.set(p.segment, k));
  const out = new Int32Array(rows);
  for (let i = 0; i < rows; i++) out[i] = bySegment.get(segment[i]) ?? -1;
  return out;
}

