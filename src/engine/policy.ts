/**
 * Inventory policy per ABC×XYZ segment: the defaults grid, its validation, and the table form it
 * takes on the Policy sheet. Pure: no Office, no DOM.
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
 * while the fill rate sizes the buffer by the units actually short per cycle.
 * Review period (periods of the history, e.g. weeks): A items 0 = continuous review with an EOQ
 * lot (the valuable items are watched all the time and ordered in economic lots), B items 1, C items 4
 * (periodic review pools the many cheap items into fewer orders; the order is then the demand of one
 * review period). KPI targets are for reporting only (the formulas do not use them):
 * fill-rate target = the service level; inventory-turns target AX 12 ... CZ 3.
 * Segments with XYZ class "N" (mean demand 0, CV undefined) have no row: no demand, no buffer.
 */
import { ArgumentError, CellError, cellError, isCellError } from "./errors";
import { eoq, inventoryPolicy, type OrderQtySource, type SafetyStockMethod } from "./inventory";

export type { SafetyStockMethod };

export const ABC_CLASSES = ["A", "B", "C"] as const;
export const XYZ_CLASSES = ["X", "Y", "Z"] as const;
export const SEGMENTS = ABC_CLASSES.flatMap((a) => XYZ_CLASSES.map((x) => `${a}${x}`));

export interface SegmentPolicy {
  segment: string;
  /** Target in (0, 1): a cycle service level for "csl", a fill rate for "fill". */
  serviceLevel: number;
  method: SafetyStockMethod;
  /** Periods between reviews (same unit as the demand history and lead times), >= 0. */
  reviewPeriod: number;
  /** KPI target, reporting only: share of demand met from stock, in (0, 1]. */
  fillRateTarget: number;
  /** KPI target, reporting only: annual cost of goods / average inventory, > 0. */
  turnsTarget: number;
}

const SERVICE: Record<string, number> = { AX: 0.98, AY: 0.97, AZ: 0.95, BX: 0.96, BY: 0.95, BZ: 0.92, CX: 0.93, CY: 0.9, CZ: 0.85 };
const TURNS: Record<string, number> = { AX: 12, AY: 10, AZ: 6, BX: 10, BY: 8, BZ: 5, CX: 8, CY: 6, CZ: 3 };
const REVIEW: Record<string, number> = { A: 0, B: 1, C: 4 };

export function defaultPolicyGrid(): SegmentPolicy[] {
  return SEGMENTS.map((segment) => ({
    segment,
    serviceLevel: SERVICE[segment],
    method: segment.endsWith("Z") ? "fill" : "csl",
    reviewPeriod: REVIEW[segment[0]],
    fillRateTarget: SERVICE[segment],
    turnsTarget: TURNS[segment],
  }));
}

/** The grid's columns as headers on the Policy sheet, in order. */
export const SEGMENT_POLICY_HEADERS = ["Segment", "Service level", "Method", "Review period", "Fill rate target", "Inventory turns target"] as const;
export type SegmentPolicyField = Exclude<keyof SegmentPolicy, "segment">;
export const SEGMENT_POLICY_FIELDS: readonly SegmentPolicyField[] = ["serviceLevel", "method", "reviewPeriod", "fillRateTarget", "turnsTarget"];

export function policyFieldHeader(field: SegmentPolicyField): string {
  return SEGMENT_POLICY_HEADERS[SEGMENT_POLICY_FIELDS.indexOf(field) + 1];
}

/** One problem per field, each naming the segment and field and what range is allowed. */
export function policyProblems(p: SegmentPolicy): string[] {
  const out: string[] = [];
  const where = `${p.segment} ${policyFieldHeader("serviceLevel").toLowerCase()}`;
  if (!(p.serviceLevel > 0 && p.serviceLevel < 1)) out.push(`${where} must be between 0 and 1 (e.g. 0.95), got ${p.serviceLevel}`);
  if (p.method !== "csl" && p.method !== "fill") out.push(`${p.segment} method must be "csl" or "fill", got "${String(p.method)}"`);
  if (!(p.reviewPeriod >= 0 && Number.isFinite(p.reviewPeriod))) out.push(`${p.segment} review period must be 0 or more periods, got ${p.reviewPeriod}`);
  if (!(p.fillRateTarget > 0 && p.fillRateTarget <= 1)) out.push(`${p.segment} fill rate target must be in (0, 1], got ${p.fillRateTarget}`);
  if (!(p.turnsTarget > 0 && Number.isFinite(p.turnsTarget))) out.push(`${p.segment} inventory turns target must be above 0, got ${p.turnsTarget}`);
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
  return grid.map((p) => [p.segment, p.serviceLevel, p.method, p.reviewPeriod, p.fillRateTarget, p.turnsTarget]);
}

/** Reads one cell of the segment policy table back; undefined when it cannot be read as that field. */
export function parsePolicyCell(field: SegmentPolicyField, cell: unknown): SegmentPolicy[SegmentPolicyField] | undefined {
  if (field === "method") {
    const t = typeof cell === "string" ? cell.trim().toLowerCase() : "";
    return t === "csl" || t === "fill" ? t : undefined;
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
    for (const f of SEGMENT_POLICY_FIELDS) if (pa[f] !== pb[f]) out.push({ segment: pa.segment, field: f, from: pa[f], to: pb[f] });
  }
  return out;
}

// ---- per-SKU policy ---------------------------------------------------------------------------

/** Inputs that are not per segment: defaults for missing lead times and the EOQ cost parameters. */
export interface PolicyOptions {
  /** Lead time (periods) for SKUs whose lead-time cell is blank or not mapped. */
  defaultLeadTime: number;
  /** Lead-time sd (periods) for SKUs without one. */
  defaultLeadTimeSd: number;
  /** Cost per order (money), for the EOQ of continuous-review segments. */
  orderCost: number;
  /** Annual holding cost as a fraction of unit cost (0.25 = 25% a year), for the EOQ. */
  holdingRate: number;
  /** Periods per year of the demand history (52 weekly, 12 monthly). */
  periodsPerYear: number;
  /**
   * "whole": an EOQ is rounded up to a whole unit before the levels are computed, and safety stock,
   * reorder point, min and max are rounded up to whole units (what an MRP system can load);
   * "none": fractions are kept (bulk goods). A given order quantity is used as given either way.
   */
  rounding: "whole" | "none";
}

export function defaultPolicyOptions(): PolicyOptions {
  return { defaultLeadTime: 2, defaultLeadTimeSd: 0, orderCost: 50, holdingRate: 0.25, periodsPerYear: 52, rounding: "whole" };
}

export function policyOptionProblems(o: PolicyOptions): string[] {
  const out: string[] = [];
  if (!(o.defaultLeadTime >= 0 && Number.isFinite(o.defaultLeadTime))) out.push(`Default lead time must be 0 or more periods, got ${o.defaultLeadTime}`);
  if (!(o.defaultLeadTimeSd >= 0 && Number.isFinite(o.defaultLeadTimeSd))) out.push(`Default lead-time sd must be 0 or more periods, got ${o.defaultLeadTimeSd}`);
  if (!(o.orderCost >= 0 && Number.isFinite(o.orderCost))) out.push(`Cost per order must be 0 or more, got ${o.orderCost}`);
  if (!(o.holdingRate > 0 && Number.isFinite(o.holdingRate))) out.push(`Holding cost rate must be above 0 (e.g. 0.25 for 25% a year), got ${o.holdingRate}`);
  if (!(Number.isInteger(o.periodsPerYear) && o.periodsPerYear > 0)) out.push(`Periods per year must be a whole number above 0 (52 weekly, 12 monthly), got ${o.periodsPerYear}`);
  if (o.rounding !== "whole" && o.rounding !== "none") out.push(`Rounding must be "whole" or "none", got ${JSON.stringify(o.rounding)}`);
  return out;
}

export interface SkuPolicyInput {
  /** Mean and sd of demand per period (the sd as the XYZ run estimated it). */
  demandMean: number;
  demandSd: number;
  /** NaN or undefined = use the default. */
  leadTime?: number;
  leadTimeSd?: number;
  /** A given order quantity / multiple (units); NaN or undefined = none. */
  orderQty?: number;
  /** Unit cost (money / unit); NaN or undefined = unknown (then no EOQ). */
  unitCost?: number;
}

export interface SkuPolicy {
  serviceLevel: number;
  method: SafetyStockMethod;
  leadTime: number;
  reviewPeriod: number;
  safetyStock: number;
  reorderPoint: number;
  min: number;
  max: number;
  orderQty: number;
  orderQtySource: OrderQtySource | "none";
  /** Said when a rule changed the formula's answer (floor at 0, no demand). */
  note: string;
}

const given = (x: number | undefined): x is number => x !== undefined && !Number.isNaN(x);

/**
 * One SKU's policy under its segment's row, via inventoryPolicy (src/engine/inventory.ts).
 * Rules on top of the formula:
 * - no demand in the history (mean 0): every level is 0, nothing to protect;
 * - the fill-rate formula can give a negative safety stock (large lots already meet the target);
 *   it is floored at 0 and reorder point, min and max move up by the same amount, so the sheet
 *   never plans to run short on purpose;
 * - EOQ (continuous review without a given order quantity) needs the unit cost for the holding
 *   cost (holdingRate x unitCost per unit per year);
 * - with rounding "whole" (the default) an EOQ is rounded up to a whole unit first (so the
 *   fill-rate safety factor uses the lot that will be ordered), then safety stock, reorder point,
 *   min and max are each rounded up to a whole unit (never below what the formula asks for); a
 *   given order quantity is used as given.
 */
export function skuPolicy(policy: SegmentPolicy, input: SkuPolicyInput, options: PolicyOptions): SkuPolicy | CellError {
  const leadTime = given(input.leadTime) ? input.leadTime : options.defaultLeadTime;
  const leadTimeSd = given(input.leadTimeSd) ? input.leadTimeSd : options.defaultLeadTimeSd;
  const base = { serviceLevel: policy.serviceLevel, method: policy.method, leadTime, reviewPeriod: policy.reviewPeriod };
  if (input.demandMean === 0) {
    const q = given(input.orderQty) ? input.orderQty : 0;
    return { ...base, safetyStock: 0, reorderPoint: 0, min: 0, max: 0, orderQty: q, orderQtySource: given(input.orderQty) ? "given" : "none", note: "no demand in the history" };
  }
  const orderQty = given(input.orderQty) && input.orderQty > 0 ? input.orderQty : undefined;
  const unitCost = given(input.unitCost) ? input.unitCost : undefined;
  if (policy.reviewPeriod === 0 && orderQty === undefined && !(unitCost !== undefined && unitCost > 0)) {
    return cellError("unit cost unknown, so no EOQ for this continuous-review segment: map a unit cost or an order quantity column");
  }
  const whole = options.rounding !== "none";
  const holding = unitCost !== undefined ? options.holdingRate * unitCost : undefined;
  let lot = orderQty;
  let eoqRounded = false;
  if (whole && lot === undefined && policy.reviewPeriod === 0 && holding !== undefined) {
    const e = eoq(input.demandMean * options.periodsPerYear, options.orderCost, holding);
    if (typeof e === "number" && e > 0) {
      lot = Math.max(1, Math.ceil(e - 1e-9));
      eoqRounded = true;
    }
  }
  const r = inventoryPolicy({
    demandMean: input.demandMean,
    demandSd: input.demandSd,
    leadTime,
    leadTimeSd,
    reviewPeriod: policy.reviewPeriod,
    serviceLevel: policy.serviceLevel,
    method: policy.method,
    orderQty: lot,
    orderCost: options.orderCost,
    holdingCostPerUnitPerYear: holding,
    periodsPerYear: options.periodsPerYear,
  });
  if (isCellError(r)) return r;
  const lift = r.safetyStock < 0 ? -r.safetyStock : 0;
  const up = (x: number) => (whole ? Math.ceil(x - 1e-9) || 0 : x); // || 0: no -0 on the sheet
  const notes: string[] = [];
  if (lift > 0) notes.push(`safety stock ${round(r.safetyStock)} (${policy.method === "fill" ? "fill rate" : "service level below 50 %"}) floored at 0`);
  // the rounding itself is said once, in the Policy sheet's notes, not on every row
  return {
    ...base,
    safetyStock: up(r.safetyStock + lift),
    reorderPoint: up(r.reorderPoint + lift),
    min: up(r.min + lift),
    max: up(r.max + lift),
    orderQty: whole && r.orderQtySource === "review" ? up(r.orderQty) : r.orderQty,
    orderQtySource: eoqRounded ? "eoq" : r.orderQtySource,
    note: notes.join("; "),
  };
}

function round(x: number): string {
  return String(Math.round(x * 100) / 100);
}
