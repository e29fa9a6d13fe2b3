/**
 * Quantities a planner can order: order quantity, reorder point, min and max rounded to whole
 * units or to an order multiple (pack size, rounding value), with a minimum order quantity (MOQ).
 *
 * Conventions (one rule each, the same in the pane, the sheets and the MRP export):
 * - orderMultiple m > 0 (default 1: whole units; fractional multiples such as 0.5 kg are allowed).
 *   moq >= 0 (default 0: none) must itself be a multiple of m, else the row is rejected
 *   ("moq 25 is not a multiple of orderMultiple 10").
 * - A value within 1e-9 (relative) of a multiple counts as that multiple, so floating-point dust
 *   (12.000000000003) never adds a pack.
 * - Order quantity: rounded to a multiple of m, up by default (orderQtyRounding "up": never order
 *   less than the computed lot) or to the nearest (ties up; "nearest": the cost curve of the EOQ is
 *   flat near its minimum, SPT 2017 ch. 4); then raised to the MOQ; a positive quantity is at least
 *   one multiple. A quantity of 0 (no demand) stays 0.
 * - Levels are rounded UP, never down (rounding down would remove protection): to whole units
 *   (levelUnit "unit", default) or to multiples of m (levelUnit "multiple", when stock is counted in
 *   packs). A negative level (a fill-rate policy with large lots) rounds up too: -2.3 -> -2.
 * - Continuous review (s, Q), reviewPeriod 0: min = reorderPoint = rounded s; max = min + Q'
 *   (the rounded order quantity) unless a max is given (then the given max rounded up; it may not
 *   fall below min).
 * - Periodic review (R, S), reviewPeriod > 0: max = reorderPoint = rounded S; min = max - Q'
 *   (with Q = d R the mean order, min is the level that triggers an order at a review, as in
 *   src/engine/inventory.ts inventoryPolicy). A given max replaces S.
 * So max = min + order quantity always holds unless a max is given.
 * The rounding value written to MRP is m.
 */
import { CellError, cellError } from "./errors";

export type OrderQtyRounding = "up" | "nearest";
export type LevelUnit = "unit" | "multiple";

export interface RoundingOptions {
  /** "up" (default) or "nearest" for the order quantity. */
  orderQtyRounding?: OrderQtyRounding;
  /** "unit" (default): levels to whole units; "multiple": levels to the order multiple. */
  levelUnit?: LevelUnit;
}

const TOL = 1e-9;

/** k * m without binary dust for decimal multiples (3 * 0.1 = 0.3, not 0.30000000000000004). */
function times(k: number, m: number): number {
  const x = k * m;
  return Number.isInteger(m) ? x : Number.parseFloat(x.toPrecision(15));
}

/** x / m within TOL of an integer counts as that integer. */
function ratio(x: number, m: number): { r: number; near: number; exact: boolean } {
  const r = x / m;
  const near = Math.round(r);
  return { r, near, exact: Math.abs(r - near) <= TOL * Math.max(1, Math.abs(r)) };
}

/** The smallest multiple of m that is >= x (within the tolerance). */
export function roundUpToMultiple(x: number, m = 1): number {
  const q = ratio(x, m);
  return times(q.exact ? q.near : Math.ceil(q.r), m);
}

/** The multiple of m nearest to x (ties up). */
export function roundNearestToMultiple(x: number, m = 1): number {
  return times(Math.floor(x / m + 0.5 + TOL), m);
}

/** True when x is a multiple of m (within the tolerance). */
export function isMultipleOf(x: number, m: number): boolean {
  return ratio(x, m).exact;
}

export interface RoundPolicyInput {
  /** (s, Q): reorder point s. (R, S): order-up-to level S. Units, finite. */
  reorderPoint: number;
  /** Order quantity Q, units >= 0. */
  orderQty: number;
  /** 0 (default) = continuous review; > 0 = periodic review. */
  reviewPeriod?: number;
  /** Order multiple (pack size, rounding value), > 0; default 1. */
  orderMultiple?: number;
  /** Minimum order quantity, >= 0 and a multiple of orderMultiple; default 0. */
  moq?: number;
  /** A stated max that replaces min + Q (continuous) or S (periodic); default none. */
  max?: number;
}

export interface RoundedPolicy {
  reorderPoint: number;
  min: number;
  max: number;
  orderQty: number;
  /** The order multiple used (the MRP "rounding value"). */
  roundingValue: number;
}

function given(x: number | undefined): x is number {
  return x !== undefined && x === x;
}

/** The shared body; `out` is filled on success. */
function roundInto(
  level: number,
  q: number,
  R: number,
  m: number,
  moq: number,
  max: number,
  qtyRounding: OrderQtyRounding,
  levelUnit: LevelUnit,
  out: RoundedPolicy,
): CellError | null {
  if (!(typeof m === "number" && m > 0 && m < Infinity)) return cellError(`orderMultiple must be a number > 0, got ${String(m)}`);
  if (!(typeof moq === "number" && moq >= 0 && moq < Infinity)) return cellError(`moq must be a number >= 0, got ${String(moq)}`);
  if (moq > 0 && !isMultipleOf(moq, m)) return cellError(`moq ${moq} is not a multiple of orderMultiple ${m}`);
  if (!(typeof level === "number" && Number.isFinite(level))) return cellError(`reorderPoint must be a finite number, got ${String(level)}`);
  if (!(typeof q === "number" && q >= 0 && q < Infinity)) return cellError(`orderQty must be a number >= 0, got ${String(q)}`);
  if (!(typeof R === "number" && R >= 0 && R < Infinity)) return cellError(`reviewPeriod must be a number >= 0, got ${String(R)}`);
  let qty = 0;
  if (q > 0) {
    qty = qtyRounding === "nearest" ? roundNearestToMultiple(q, m) : roundUpToMultiple(q, m);
    if (qty < m) qty = m;
    if (qty < moq) qty = moq;
  }
  const levelStep = levelUnit === "multiple" ? m : 1;
  const hasMax = max === max;
  if (hasMax && !Number.isFinite(max)) return cellError(`max must be a finite number, got ${String(max)}`);
  let lo: number;
  let hi: number;
  if (R > 0) {
    hi = roundUpToMultiple(hasMax ? max : level, levelStep);
    lo = hi - qty;
    out.reorderPoint = hi;
  } else {
    lo = roundUpToMultiple(level, levelStep);
    hi = hasMax ? roundUpToMultiple(max, levelStep) : lo + qty;
    if (hi < lo) return cellError(`max ${max} is below the rounded reorder point ${lo}`);
    out.reorderPoint = lo;
  }
  out.min = Number.isInteger(lo) ? lo : Number.parseFloat(lo.toPrecision(15));
  out.max = Number.isInteger(hi) ? hi : Number.parseFloat(hi.toPrecision(15));
  out.orderQty = qty;
  out.roundingValue = m;
  return null;
}

/** One row (see the module comment). */
export function roundPolicy(p: RoundPolicyInput, options: RoundingOptions = {}): RoundedPolicy | CellError {
  const out: RoundedPolicy = { reorderPoint: 0, min: 0, max: 0, orderQty: 0, roundingValue: 1 };
  const bad = roundInto(
    p.reorderPoint,
    p.orderQty,
    p.reviewPeriod ?? 0,
    given(p.orderMultiple) ? p.orderMultiple : 1,
    given(p.moq) ? p.moq : 0,
    given(p.max) ? p.max : Number.NaN,
    options.orderQtyRounding ?? "up",
    options.levelUnit ?? "unit",
    out,
  );
  return bad ?? out;
}

/** Column form; NaN in orderMultiple / moq / max means "not given". */
export interface RoundPolicyColumns {
  rows: number;
  reorderPoint: ArrayLike<number>;
  orderQty: ArrayLike<number>;
  reviewPeriod?: ArrayLike<number>;
  orderMultiple?: ArrayLike<number>;
  moq?: ArrayLike<number>;
  max?: ArrayLike<number>;
}

export interface RoundedPolicyColumns {
  reorderPoint: Float64Array;
  min: Float64Array;
  max: Float64Array;
  orderQty: Float64Array;
  roundingValue: Float64Array;
  errors: Map<number, CellError>;
}

/** roundPolicy over columns: one loop, no allocation per row; failed rows get NaN and their CellError. */
export function roundPolicyColumns(c: RoundPolicyColumns, options: RoundingOptions = {}): RoundedPolicyColumns {
  const n = c.rows;
  const res: RoundedPolicyColumns = {
    reorderPoint: new Float64Array(n),
    min: new Float64Array(n),
    max: new Float64Array(n),
    orderQty: new Float64Array(n),
    roundingValue: new Float64Array(n),
    errors: new Map(),
  };
  const qtyRounding = options.orderQtyRounding ?? "up";
  const levelUnit = options.levelUnit ?? "unit";
  const out: RoundedPolicy = { reorderPoint: 0, min: 0, max: 0, orderQty: 0, roundingValue: 1 };
  for (let i = 0; i < n; i++) {
    const m = c.orderMultiple ? c.orderMultiple[i] : 1;
    const moq = c.moq ? c.moq[i] : 0;
    const R = c.reviewPeriod ? c.reviewPeriod[i] : 0;
    const bad = roundInto(c.reorderPoint[i], c.orderQty[i], R === R ? R : 0, m === m ? m : 1, moq === moq ? moq : 0, c.max ? c.max[i] : Number.NaN, qtyRounding, levelUnit, out);
    if (bad) {
      res.errors.set(i, bad);
      res.reorderPoint[i] = res.min[i] = res.max[i] = res.orderQty[i] = res.roundingValue[i] = Number.NaN;
      continue;
    }
    res.reorderPoint[i] = out.reorderPoint;
    res.min[i] = out.min;
    res.max[i] = out.max;
    res.orderQty[i] = out.orderQty;
    res.roundingValue[i] = out.roundingValue;
  }
  return res;
}
