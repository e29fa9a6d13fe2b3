/**
 * Reorder points and safety stocks for any lead-time demand distribution of
 * src/engine/distributions.ts (normal, Poisson, negative binomial, gamma), and the service a given
 * policy delivers: cycle service level, fill rate, expected units short per cycle.
 *
 * Review systems (Silver, Pyke & Thomas 2017 ch. 6; Axsäter 2015 ch. 5):
 * - continuous review (s, Q), reviewPeriod R = 0: an order of Q is placed when the inventory
 *   position drops to s; the protection interval is the lead time L. The level is the reorder
 *   point s.
 * - periodic review (R, S), R > 0: every R periods the position is raised to S; the protection
 *   interval is R + L. The level is the order-up-to level S.
 * Demand over the interval is fitted by its mean m and variance v (distributions.ts), the same
 * moments as src/engine/inventory.ts: m = d (L + R), v = (L + R) sd^2 + d^2 sd_L^2.
 *
 * Service measures of a level x (n(.) the loss function E[(X - .)+] of the interval's demand):
 * - cycle service level P(no stockout in a cycle) = P(X <= x) (a discrete X <= x: a demand of
 *   exactly x units is still served).
 * - units short per cycle (ESPRC): (s, Q): n(s) - n(s + Q) (SPT 2017 ch. 6: sigma [G(k) -
 *   G(k + Q/sigma)] for the normal; exact for unit-sized demand, where the position is uniform on
 *   s+1..s+Q, Axsäter 2015 ch. 5; an approximation for the negative binomial, whose demand comes
 *   in batches). (R, S): n_{R+L}(S) - n_L(S), the backorders at the end of the cycle less those
 *   already there when it started (Hadley & Whitin 1963; SPT 2017 ch. 6 discuss the second term).
 * - fill rate = 1 - ESPRC / (demand per cycle), the demand per cycle being Q for (s, Q) and d R
 *   for (R, S) (an orderQty given under periodic review is not used here).
 * These are the exact forms; src/engine/inventory.ts's fill-rate safety factor drops the second
 * term, which errs on the safe side (its fill rate evaluated here is at or above its target).
 *
 * Methods for the level:
 * - "csl": the serviceLevel quantile of the interval's demand (an integer for discrete families).
 * - "fill": the smallest level whose fill rate is >= serviceLevel (an integer for discrete
 *   families).
 * - "cost": shortage-cost driven, holding cost h and backorder (shortage) cost p per unit per
 *   period. Periodic review: the critical-ratio quantile p/(p + h) of the R + L demand (the
 *   newsvendor / base-stock optimum, exact for R = 1: Snyder & Shen 2019 §4.3, Example 4.4;
 *   SPT 2017 ch. 6 B3-type costs). Continuous review with a given Q: the s that minimises
 *   expected holding and backorder cost per period, i.e. the (1/Q) sum (or integral) of
 *   G(y) = h (y - m) + (h + p) n(y) over the position's range: for a continuous X the s with
 *   1 - (n(s) - n(s + Q))/Q = p/(p + h); for a discrete X the smallest s with
 *   G(s + Q + 1) >= G(s + 1) (Axsäter 2015 ch. 6, (R, Q) with backorder costs). With Q -> 1 both
 *   reduce to the newsvendor quantile.
 * safetyStock = level - m, not floored (the Policy sheet floors it; src/engine/inventory.ts does
 * the same).
 *
 * The normal family with "csl" or "fill" is computed by src/engine/inventory.ts safetyStock
 * itself, so a formula given distribution "normal" returns exactly what it returned before the
 * argument existed.
 *
 * Errors: CellErrors per row, messages start with the field name ("demandSd must be a number >= 0,
 * got -3"); nothing here throws for data.
 */
import { CellError, cellError, isCellError } from "../errors";
import { demandSdOverProtection, safetyStock as normalSafetyStock, type ProtectionInput } from "../inventory";
import { normalLossInverse } from "../stats";
import {
  AUTO_DISCRETE_BELOW,
  discreteQuantileStart,
  DISTRIBUTION_NAMES,
  type DistributionChoice,
  type DistributionName,
  distributionLoss,
  distributionQuantile,
  distributionTails,
  isDiscreteFamily,
  NORMAL,
  NOTE_MESSAGES,
  resolveDistribution,
  type ResolvedDistribution,
} from "../distributions";
import type { Tails } from "../special";
import { criticalRatio } from "./newsvendor";
import { DiscreteWalker } from "./discreteSearch";

export type LevelMethod = "csl" | "fill" | "cost";
export const LEVEL_METHODS: readonly LevelMethod[] = ["csl", "fill", "cost"];

// ---- validation ---------------------------------------------------------------------------------

function describe(x: unknown): string {
  if (x === undefined) return "nothing";
  return typeof x === "string" ? JSON.stringify(x) : String(x);
}
function nonNegative(field: string, x: number): CellError | null {
  return typeof x === "number" && x >= 0 && x < Infinity ? null : cellError(`${field} must be a number >= 0, got ${describe(x)}`);
}
function positive(field: string, x: number): CellError | null {
  return typeof x === "number" && x > 0 && x < Infinity ? null : cellError(`${field} must be a number > 0, got ${describe(x)}`);
}
function fraction(field: string, x: number): CellError | null {
  return typeof x === "number" && x > 0 && x < 1 ? null : cellError(`${field} must be strictly between 0 and 1 (e.g. 0.95 for 95%), got ${describe(x)}`);
}
function finite(field: string, x: number): CellError | null {
  return typeof x === "number" && Number.isFinite(x) ? null : cellError(`${field} must be a finite number, got ${describe(x)}`);
}

// ---- the interval's demand ----------------------------------------------------------------------

/** Demand over the protection interval and over the lead time alone (for (R, S)'s second term). */
export interface IntervalDemand {
  code: number;
  note: number;
  /** Per-period demand d. */
  demandMean: number;
  reviewPeriod: number;
  /** Mean and variance over L + R. */
  mean: number;
  variance: number;
  /** Mean and variance over L (equal to the above when R = 0). */
  leadMean: number;
  leadVariance: number;
}

const protection: ProtectionInput = { demandMean: 0, demandSd: 0, leadTime: 0, leadTimeSd: 0, reviewPeriod: 0 };
const resolved: ResolvedDistribution = { code: 0, note: 0 };

/**
 * Fills `out` with the interval demand of one row and resolves its distribution; returns the
 * first input problem instead. Moments from src/engine/inventory.ts demandSdOverProtection.
 */
export function intervalDemand(
  demandMean: number,
  demandSd: number,
  leadTime: number,
  leadTimeSd: number,
  reviewPeriod: number,
  choice: DistributionChoice,
  pattern: number,
  out: IntervalDemand,
): CellError | null {
  protection.demandMean = demandMean;
  protection.demandSd = demandSd;
  protection.leadTime = leadTime;
  protection.leadTimeSd = leadTimeSd;
  protection.reviewPeriod = reviewPeriod;
  const sigma = demandSdOverProtection(protection);
  if (typeof sigma !== "number") return sigma;
  const mean = demandMean * (leadTime + reviewPeriod);
  const variance = sigma * sigma;
  if (!Number.isFinite(mean) || !Number.isFinite(variance)) return cellError("mean demand over the protection interval is too large to represent; check the magnitudes of the inputs");
  if (choice !== "normal" && choice !== "poisson" && choice !== "negbin" && choice !== "gamma" && choice !== "auto") {
    return cellError(`distribution must be one of normal, poisson, negbin, gamma, auto; got ${describe(choice)}`);
  }
  resolveDistribution(choice, mean, variance, pattern, resolved);
  out.code = resolved.code;
  out.note = resolved.note;
  out.demandMean = demandMean;
  out.reviewPeriod = reviewPeriod;
  out.mean = mean;
  out.variance = variance;
  if (reviewPeriod > 0) {
    protection.reviewPeriod = 0;
    const sL = demandSdOverProtection(protection) as number;
    out.leadMean = demandMean * leadTime;
    out.leadVariance = sL * sL;
  } else {
    out.leadMean = mean;
    out.leadVariance = variance;
  }
  return null;
}

// ---- service of a level -------------------------------------------------------------------------

const tails: Tails = { lower: 0, upper: 0 };

/**
 * Expected units short per replenishment cycle at level x: (s, Q) n(x) - n(x + Q); (R, S)
 * n_{R+L}(x) - n_L(x). `cycleQty` is Q for (s, Q) (unused for (R, S)).
 */
export function unitsShortPerCycle(t: IntervalDemand, x: number, cycleQty: number): number {
  if (t.reviewPeriod > 0) return Math.max(0, distributionLoss(t.code, t.mean, t.variance, x) - distributionLoss(t.code, t.leadMean, t.leadVariance, x));
  return Math.max(0, distributionLoss(t.code, t.mean, t.variance, x) - distributionLoss(t.code, t.mean, t.variance, x + cycleQty));
}

/** Demand per cycle: Q for (s, Q), d R for (R, S); NaN when (s, Q) has no Q. */
export function demandPerCycle(t: IntervalDemand, orderQty: number): number {
  return t.reviewPeriod > 0 ? t.demandMean * t.reviewPeriod : orderQty > 0 ? orderQty : Number.NaN;
}

/** Fill rate at level x: 1 - ESPRC / demand per cycle, in [0, 1]; NaN without demand per cycle. */
export function fillRateAt(t: IntervalDemand, x: number, orderQty: number): number {
  const q = demandPerCycle(t, orderQty);
  if (!(q > 0)) return Number.NaN;
  const f = 1 - unitsShortPerCycle(t, x, q) / q;
  return f < 0 ? 0 : f > 1 ? 1 : f;
}

/** Cycle service level at level x: P(demand over the protection interval <= x). */
export function cycleServiceLevelAt(t: IntervalDemand, x: number): number {
  return distributionTails(t.code, t.mean, t.variance, x, tails).lower;
}

// ---- solving for the level ----------------------------------------------------------------------

const walker = new DiscreteWalker();

/** Walks the discrete level for (mode, target) from its start; the walker is left at the answer. */
function walkDiscrete(t: IntervalDemand, orderQty: number, mode: number, target: number): number {
  walker.init(t.code, t.mean, t.variance, t.leadMean, t.leadVariance, t.reviewPeriod, t.demandMean, orderQty);
  walker.mode = mode;
  walker.target = target;
  if (mode === 0) return walker.solve(discreteQuantileStart(t.code, t.mean, t.variance, target), 0);
  const q = demandPerCycle(t, orderQty);
  const lowest = t.reviewPeriod > 0 ? 0 : -Math.ceil(q);
  return walker.solve(Math.round(fillStart(t, q, target)), lowest);
}

/**
 * The real x with fillRateAt(x) = target (continuous families): bracket by doubling steps from a
 * start, then Illinois false position. fillRateAt is continuous and non-decreasing.
 */
function solveFillContinuous(t: IntervalDemand, q: number, target: number, start: number, scale: number): number {
  let a = start;
  let fa = fillRateAt(t, a, q) - target;
  let step = Math.max(scale, 1e-9 * Math.max(1, Math.abs(start)));
  let b = a;
  let fb = fa;
  if (fa >= 0) {
    for (let i = 0; i < 200 && fb >= 0; i++) {
      a = b;
      fa = fb;
      b -= step;
      step *= 2;
      fb = fillRateAt(t, b, q) - target;
    }
    // now f(b) < 0 <= f(a): swap so that a < b with f(a) < 0 <= f(b)
    const x = a;
    a = b;
    b = x;
    const fx = fa;
    fa = fb;
    fb = fx;
  } else {
    for (let i = 0; i < 200 && fb < 0; i++) {
      a = b;
      fa = fb;
      b += step;
      step *= 2;
      fb = fillRateAt(t, b, q) - target;
    }
  }
  let side = 0;
  for (let i = 0; i < 200; i++) {
    const c = fb - fa !== 0 ? b - (fb * (b - a)) / (fb - fa) : 0.5 * (a + b);
    const x = c > a && c < b ? c : 0.5 * (a + b);
    const fx = fillRateAt(t, x, q) - target;
    if (fx >= 0) {
      b = x;
      fb = fx;
      if (side === 1) fa /= 2;
      side = 1;
    } else {
      a = x;
      fa = fx;
      if (side === -1) fb /= 2;
      side = -1;
    }
    if (b - a <= 1e-12 * Math.max(1, Math.abs(b)) || fx === 0) break;
  }
  return b;
}

/** Normal-approximation start for a fill-rate level (the single-term G(k) = Q (1 - beta) / sigma). */
function fillStart(t: IntervalDemand, q: number, target: number): number {
  const sd = Math.sqrt(t.variance);
  if (!(sd > 0)) return t.mean;
  const k = normalLossInverse((q * (1 - target)) / sd);
  return Number.isFinite(k) ? t.mean + k * sd : t.mean;
}

/**
 * The smallest level whose fill rate reaches `target` (an integer for discrete families). Levels
 * below -Q ((s, Q)) or 0 ((R, S)) have fill rate 0, so the search starts above them.
 */
export function levelForFillRate(t: IntervalDemand, orderQty: number, target: number): number {
  if (isDiscreteFamily(t.code)) return walkDiscrete(t, orderQty, 1, target);
  const q = demandPerCycle(t, orderQty);
  const start = fillStart(t, q, target);
  return solveFillContinuous(t, q, target, start, Math.max(Math.sqrt(t.variance), 1e-6 * Math.max(1, t.mean)));
}

/** Shortage-cost level (see the module comment), critical ratio p / (p + h). */
export function levelForCost(t: IntervalDemand, orderQty: number, holdingCost: number, shortageCost: number): number {
  const ratio = criticalRatio(shortageCost, holdingCost) as number; // validated by the caller
  if (t.reviewPeriod > 0) return distributionQuantile(t.code, t.mean, t.variance, ratio);
  if (isDiscreteFamily(t.code)) {
    // smallest s with G(s + Q + 1) >= G(s + 1), i.e. fillRateAt(s + 1) >= ratio
    return levelForFillRate(t, orderQty, ratio) - 1;
  }
  return levelForFillRate(t, orderQty, ratio);
}

// ---- one row ------------------------------------------------------------------------------------

export interface DistributionPolicyInput {
  /** Mean demand per period (units / period), >= 0. */
  demandMean: number;
  /** Standard deviation of demand per period, >= 0 (not used by the Poisson). */
  demandSd: number;
  /** Mean lead time (periods), >= 0. */
  leadTime: number;
  /** Lead-time standard deviation (periods), >= 0; default 0. */
  leadTimeSd?: number;
  /** Review period (periods), >= 0; 0 (default) = continuous review (s, Q). */
  reviewPeriod?: number;
  /** Family or "auto"; default "normal". */
  distribution?: DistributionChoice;
  /** Demand-pattern code (src/engine/pattern.ts) for "auto"; -1 or omitted = unknown. */
  pattern?: number;
  /** "csl" (default), "fill" or "cost". */
  method?: LevelMethod;
  /** Target for "csl" (cycle service level) and "fill" (fill rate), strictly between 0 and 1. */
  serviceLevel?: number;
  /** Order quantity Q (units, > 0): needed by "fill" and "cost" under continuous review. */
  orderQty?: number;
  /** "cost": holding cost per unit per period (money), > 0. */
  holdingCost?: number;
  /** "cost": shortage (backorder) cost per unit short per period (money), > 0. */
  shortageCost?: number;
}

export interface DistributionPolicyResult {
  /** The family used (after "auto" and the negative-binomial fallback). */
  distribution: DistributionName;
  /** "" or a stated fallback. */
  note: string;
  /** Mean and sd of demand over the protection interval (units). */
  mean: number;
  sd: number;
  /** (s, Q): reorder point s. (R, S): order-up-to level S. Units; whole units for discrete families. */
  reorderPoint: number;
  /** reorderPoint - mean; may be negative. */
  safetyStock: number;
  /** P(no stockout in a cycle) at the level. */
  cycleServiceLevel: number;
  /** Fill rate at the level; NaN under continuous review without an order quantity. */
  fillRate: number;
  /** Expected units short per cycle; NaN when the fill rate is. */
  unitsShortPerCycle: number;
}

const rowDemand: IntervalDemand = { code: 0, note: 0, demandMean: 0, reviewPeriod: 0, mean: 0, variance: 0, leadMean: 0, leadVariance: 0 };

/** Row results of the shared body (no allocation per row in the batch path). */
interface LevelOut {
  level: number;
  csl: number;
  fill: number;
  short: number;
}
const levelOut: LevelOut = { level: 0, csl: 0, fill: 0, short: 0 };

/** The shared body: fills `out` from the (already built) interval demand `t`, or returns the problem. */
function computeLevel(
  t: IntervalDemand,
  method: LevelMethod,
  serviceLevel: number,
  orderQty: number,
  holdingCost: number,
  shortageCost: number,
  demandSd: number,
  leadTime: number,
  leadTimeSd: number,
  out: LevelOut,
): CellError | null {
  const given = orderQty === orderQty; // not NaN
  if (given) {
    const badQ = positive("orderQty", orderQty);
    if (badQ) return badQ;
  }
  let level: number;
  if (method === "csl" || method === "fill") {
    const bad = fraction("serviceLevel", serviceLevel);
    if (bad) return bad;
    if (method === "fill" && t.reviewPeriod === 0 && !given) return cellError('orderQty is required for method "fill" with continuous review (reviewPeriod 0)');
    if (method === "fill" && t.reviewPeriod > 0 && !(t.demandMean > 0)) return cellError("demandMean is 0: the fill rate is undefined without demand", "na");
    if (isDiscreteFamily(t.code) && t.mean > 0) {
      // the batch fast path: the walker ends at the level with its service measures ready
      out.level = walkDiscrete(t, orderQty, method === "csl" ? 0 : 1, serviceLevel);
      return discreteOut(out);
    }
    if (t.code === NORMAL) {
      const r = normalSafetyStock({
        serviceLevel,
        method,
        demandMean: t.demandMean,
        demandSd,
        leadTime,
        leadTimeSd,
        reviewPeriod: t.reviewPeriod,
        orderQty: given ? orderQty : undefined,
      });
      if (isCellError(r)) return r;
      level = t.mean + r.safetyStock;
    } else if (method === "csl") {
      level = distributionQuantile(t.code, t.mean, t.variance, serviceLevel);
    } else {
      if (!(t.mean > 0)) level = 0;
      else level = levelForFillRate(t, orderQty, serviceLevel);
    }
  } else if (method === "cost") {
    const bad = positive("holdingCost", holdingCost) ?? positive("shortageCost", shortageCost);
    if (bad) return bad;
    if (t.reviewPeriod === 0 && !given) return cellError('orderQty is required for method "cost" with continuous review (reviewPeriod 0)');
    if (isDiscreteFamily(t.code) && t.mean > 0) {
      const ratio = criticalRatio(shortageCost, holdingCost) as number;
      if (t.reviewPeriod > 0) out.level = walkDiscrete(t, orderQty, 0, ratio);
      else {
        // smallest s with G(s + Q + 1) >= G(s + 1): one below the smallest level whose fill rate reaches the ratio
        out.level = walkDiscrete(t, orderQty, 1, ratio) - 1;
        walker.down();
      }
      return discreteOut(out);
    }
    level = t.mean > 0 || t.variance > 0 ? levelForCost(t, orderQty, holdingCost, shortageCost) : 0;
  } else {
    return cellError(`method must be "csl", "fill" or "cost", got ${describe(method)}`);
  }
  if (!Number.isFinite(level)) return cellError("reorderPoint is too large to represent; check the magnitudes of the inputs");
  out.level = level;
  out.csl = cycleServiceLevelAt(t, level);
  const q = demandPerCycle(t, orderQty);
  if (q > 0) {
    out.short = unitsShortPerCycle(t, level, q);
    out.fill = Math.min(1, Math.max(0, 1 - out.short / q));
  } else {
    out.short = Number.NaN;
    out.fill = Number.NaN;
  }
  return null;
}

/** Service measures from the walker (left at out.level). */
function discreteOut(out: LevelOut): null {
  out.csl = walker.csl();
  const q = walker.perCycle;
  if (q > 0) {
    out.short = walker.short();
    out.fill = walker.fill();
  } else {
    out.short = Number.NaN;
    out.fill = Number.NaN;
  }
  return null;
}

const num = (x: number | undefined, fallback: number) => (x === undefined || x === null ? fallback : x);

/** Reorder point / order-up-to level, safety stock and service for one SKU (see the module comment). */
export function distributionPolicy(p: DistributionPolicyInput): DistributionPolicyResult | CellError {
  const leadTimeSd = num(p.leadTimeSd, 0);
  const bad = intervalDemand(p.demandMean, p.demandSd, p.leadTime, leadTimeSd, num(p.reviewPeriod, 0), p.distribution ?? "normal", num(p.pattern, -1), rowDemand);
  if (bad) return bad;
  const badLevel = computeLevel(
    rowDemand,
    p.method ?? "csl",
    num(p.serviceLevel, Number.NaN),
    num(p.orderQty, Number.NaN),
    num(p.holdingCost, Number.NaN),
    num(p.shortageCost, Number.NaN),
    p.demandSd,
    p.leadTime,
    leadTimeSd,
    levelOut,
  );
  if (badLevel) return badLevel;
  return {
    distribution: DISTRIBUTION_NAMES[rowDemand.code],
    note: NOTE_MESSAGES[rowDemand.note] ?? "",
    mean: rowDemand.mean,
    sd: Math.sqrt(rowDemand.variance),
    reorderPoint: levelOut.level,
    safetyStock: levelOut.level - rowDemand.mean,
    cycleServiceLevel: levelOut.csl,
    fillRate: levelOut.fill,
    unitsShortPerCycle: levelOut.short,
  };
}

// ---- columns ------------------------------------------------------------------------------------

/** Column form of DistributionPolicyInput; NaN in an optional column means "not given". */
export interface DistributionPolicyColumns {
  rows: number;
  demandMean: ArrayLike<number>;
  demandSd: ArrayLike<number>;
  leadTime: ArrayLike<number>;
  /** NaN = 0. */
  leadTimeSd?: ArrayLike<number>;
  /** NaN = 0. */
  reviewPeriod?: ArrayLike<number>;
  /** One choice for all rows or one per row; default "normal". */
  distribution?: DistributionChoice | ArrayLike<DistributionChoice>;
  /** Pattern codes for "auto" (-1 unknown). */
  pattern?: ArrayLike<number>;
  method?: LevelMethod | ArrayLike<LevelMethod>;
  serviceLevel?: ArrayLike<number>;
  orderQty?: ArrayLike<number>;
  holdingCost?: ArrayLike<number>;
  shortageCost?: ArrayLike<number>;
}

export interface DistributionPolicyColumnsResult {
  /** Level per row (NaN for a failed row). */
  reorderPoint: Float64Array;
  safetyStock: Float64Array;
  cycleServiceLevel: Float64Array;
  fillRate: Float64Array;
  unitsShortPerCycle: Float64Array;
  /** Mean and sd over the protection interval. */
  mean: Float64Array;
  sd: Float64Array;
  /** Family code used per row (index into DISTRIBUTION_NAMES), -1 for a failed row. */
  distribution: Int8Array;
  /** Note code per row (index into NOTE_MESSAGES). */
  note: Int8Array;
  errors: Map<number, CellError>;
}

/**
 * distributionPolicy over columns: one loop, no allocation per row. The batch path of the Policy
 * pane step (with pattern codes for "auto") and of the custom functions.
 */
export function distributionPolicyColumns(c: DistributionPolicyColumns): DistributionPolicyColumnsResult {
  const n = c.rows;
  const out: DistributionPolicyColumnsResult = {
    reorderPoint: new Float64Array(n),
    safetyStock: new Float64Array(n),
    cycleServiceLevel: new Float64Array(n),
    fillRate: new Float64Array(n),
    unitsShortPerCycle: new Float64Array(n),
    mean: new Float64Array(n),
    sd: new Float64Array(n),
    distribution: new Int8Array(n),
    note: new Int8Array(n),
    errors: new Map(),
  };
  const fixedDist = typeof c.distribution === "string" || c.distribution === undefined ? (c.distribution ?? "normal") : null;
  const distCol = fixedDist === null ? (c.distribution as ArrayLike<DistributionChoice>) : null;
  const fixedMethod = typeof c.method === "string" || c.method === undefined ? (c.method ?? "csl") : null;
  const methodCol = fixedMethod === null ? (c.method as ArrayLike<LevelMethod>) : null;
  const at = (col: ArrayLike<number> | undefined, i: number, fallback: number) => {
    if (col === undefined) return fallback;
    const x = col[i];
    return x === x ? x : fallback;
  };
  for (let i = 0; i < n; i++) {
    const sdL = at(c.leadTimeSd, i, 0);
    let bad = intervalDemand(
      c.demandMean[i],
      c.demandSd[i],
      c.leadTime[i],
      sdL,
      at(c.reviewPeriod, i, 0),
      distCol === null ? (fixedDist as DistributionChoice) : distCol[i],
      at(c.pattern, i, -1),
      rowDemand,
    );
    if (!bad) {
      bad = computeLevel(
        rowDemand,
        methodCol === null ? (fixedMethod as LevelMethod) : methodCol[i],
        at(c.serviceLevel, i, Number.NaN),
        at(c.orderQty, i, Number.NaN),
        at(c.holdingCost, i, Number.NaN),
        at(c.shortageCost, i, Number.NaN),
        c.demandSd[i],
        c.leadTime[i],
        sdL,
        levelOut,
      );
    }
    if (bad) {
      out.errors.set(i, bad);
      out.reorderPoint[i] = out.safetyStock[i] = out.cycleServiceLevel[i] = out.fillRate[i] = out.unitsShortPerCycle[i] = Number.NaN;
      out.mean[i] = out.sd[i] = Number.NaN;
      out.distribution[i] = -1;
      continue;
    }
    out.reorderPoint[i] = levelOut.level;
    out.safetyStock[i] = levelOut.level - rowDemand.mean;
    out.cycleServiceLevel[i] = levelOut.csl;
    out.fillRate[i] = levelOut.fill;
    out.unitsShortPerCycle[i] = levelOut.short;
    out.mean[i] = rowDemand.mean;
    out.sd[i] = Math.sqrt(rowDemand.variance);
    out.distribution[i] = rowDemand.code;
    out.note[i] = rowDemand.note;
  }
  return out;
}

// ---- the custom functions' engine calls -------------------------------------------------------

export interface FillRateOfPolicyInput {
  /** (s, Q): reorder point s. (R, S): order-up-to level S. Units, finite. */
  reorderPoint: number;
  demandMean: number;
  demandSd: number;
  leadTime: number;
  leadTimeSd?: number;
  reviewPeriod?: number;
  /** Q (units, > 0): required under continuous review; not used under periodic review. */
  orderQty?: number;
  distribution?: DistributionChoice;
  pattern?: number;
}

export interface FillRateOfPolicyResult {
  fillRate: number;
  cycleServiceLevel: number;
  unitsShortPerCycle: number;
  distribution: DistributionName;
  note: string;
}

/**
 * The service a given level delivers (for =SEG.FILL_RATE): fill rate, cycle service level and
 * expected units short per cycle, with the exact forms of the module comment for every family.
 * Continuous review needs orderQty; periodic review needs demandMean > 0.
 */
export function fillRateOfPolicy(p: FillRateOfPolicyInput): FillRateOfPolicyResult | CellError {
  const bad = finite("reorderPoint", p.reorderPoint);
  if (bad) return bad;
  const R = num(p.reviewPeriod, 0);
  const badT = intervalDemand(p.demandMean, p.demandSd, p.leadTime, num(p.leadTimeSd, 0), R, p.distribution ?? "normal", num(p.pattern, -1), rowDemand);
  if (badT) return badT;
  const q = num(p.orderQty, Number.NaN);
  if (q === q) {
    const badQ = positive("orderQty", q);
    if (badQ) return badQ;
  }
  if (R === 0 && q !== q) return cellError("orderQty is required under continuous review (reviewPeriod 0): the fill rate depends on the order quantity");
  if (R > 0 && !(p.demandMean > 0)) return cellError("demandMean is 0: the fill rate is undefined without demand", "na");
  if (R === 0 && !(p.demandMean > 0)) return cellError("demandMean is 0: the fill rate is undefined without demand", "na");
  const perCycle = demandPerCycle(rowDemand, q);
  const short = unitsShortPerCycle(rowDemand, p.reorderPoint, perCycle);
  return {
    fillRate: Math.min(1, Math.max(0, 1 - short / perCycle)),
    cycleServiceLevel: cycleServiceLevelAt(rowDemand, p.reorderPoint),
    unitsShortPerCycle: short,
    distribution: DISTRIBUTION_NAMES[rowDemand.code],
    note: NOTE_MESSAGES[rowDemand.note] ?? "",
  };
}

export interface SafetyStockByDistributionInput {
  serviceLevel: number;
  demandMean: number;
  demandSd: number;
  leadTime: number;
  leadTimeSd?: number;
  reviewPeriod?: number;
  /** "csl" (default) or "fill". */
  method?: "csl" | "fill";
  orderQty?: number;
  distribution?: DistributionChoice;
}

/**
 * =SEG.SAFETY_STOCK with [distribution]: the level's safety stock (level - mean demand over the
 * protection interval). "normal" (and blank) is src/engine/inventory.ts safetyStock unchanged.
 */
export function safetyStockByDistribution(p: SafetyStockByDistributionInput): DistributionPolicyResult | CellError {
  return distributionPolicy({ ...p, method: p.method ?? "csl" });
}

export interface ReorderPointByDistributionInput {
  demandMean: number;
  leadTime: number;
  safetyStock: number;
  reviewPeriod?: number;
  distribution?: DistributionChoice;
}

/**
 * =SEG.REORDER_POINT with [distribution]: d (L + R) + SS as before; for the discrete families
 * (Poisson, negative binomial, and "auto" when it picks one: mean over the interval below
 * AUTO_DISCRETE_BELOW) the level is rounded up to a whole unit, as a discrete reorder point must
 * be (a level of d (L + R) + SS from SAFETY_STOCK with the same distribution is already whole; the
 * rounding only removes floating-point dust, within 1e-9).
 */
export function reorderPointByDistribution(p: ReorderPointByDistributionInput): number | CellError {
  const R = num(p.reviewPeriod, 0);
  const bad = nonNegative("demandMean", p.demandMean) ?? nonNegative("leadTime", p.leadTime) ?? finite("safetyStock", p.safetyStock) ?? nonNegative("reviewPeriod", R);
  if (bad) return bad;
  const choice = p.distribution ?? "normal";
  if (choice !== "normal" && choice !== "poisson" && choice !== "negbin" && choice !== "gamma" && choice !== "auto") {
    return cellError(`distribution must be one of normal, poisson, negbin, gamma, auto; got ${describe(choice)}`);
  }
  const mean = p.demandMean * (p.leadTime + R);
  const level = mean + p.safetyStock;
  if (!Number.isFinite(level)) return cellError("reorderPoint is too large to represent; check the magnitudes of the inputs");
  const discrete = choice === "poisson" || choice === "negbin" || (choice === "auto" && mean < AUTO_DISCRETE_BELOW);
  return discrete ? wholeUp(level) : level;
}

/** ceil with a relative tolerance of 1e-9 (so 12.000000000003 is 12, not 13). */
export function wholeUp(x: number): number {
  const r = Math.round(x);
  return Math.abs(x - r) <= 1e-9 * Math.max(1, Math.abs(x)) ? r : Math.ceil(x);
}


// ---- interval demand as columns (for capacity cuts and budget allocation) -------------------------

/** Interval demand of many SKUs: the columns of IntervalDemand, plus per-row input errors. */
export interface IntervalDemandColumns {
  rows: number;
  code: Int8Array;
  note: Int8Array;
  demandMean: Float64Array;
  reviewPeriod: Float64Array;
  mean: Float64Array;
  variance: Float64Array;
  leadMean: Float64Array;
  leadVariance: Float64Array;
  errors: Map<number, CellError>;
}

/** Builds IntervalDemandColumns from the per-period inputs (NaN lead-time sd or review period = 0). */
export function intervalDemandColumns(c: {
  rows: number;
  demandMean: ArrayLike<number>;
  demandSd: ArrayLike<number>;
  leadTime: ArrayLike<number>;
  leadTimeSd?: ArrayLike<number>;
  reviewPeriod?: ArrayLike<number>;
  distribution?: DistributionChoice | ArrayLike<DistributionChoice>;
  pattern?: ArrayLike<number>;
}): IntervalDemandColumns {
  const n = c.rows;
  const out: IntervalDemandColumns = {
    rows: n,
    code: new Int8Array(n),
    note: new Int8Array(n),
    demandMean: new Float64Array(n),
    reviewPeriod: new Float64Array(n),
    mean: new Float64Array(n),
    variance: new Float64Array(n),
    leadMean: new Float64Array(n),
    leadVariance: new Float64Array(n),
    errors: new Map(),
  };
  const fixed = typeof c.distribution === "string" || c.distribution === undefined ? (c.distribution ?? "normal") : null;
  const col = fixed === null ? (c.distribution as ArrayLike<DistributionChoice>) : null;
  for (let i = 0; i < n; i++) {
    const sdL = c.leadTimeSd ? c.leadTimeSd[i] : 0;
    const R = c.reviewPeriod ? c.reviewPeriod[i] : 0;
    const pat = c.pattern ? c.pattern[i] : -1;
    const bad = intervalDemand(c.demandMean[i], c.demandSd[i], c.leadTime[i], sdL === sdL ? sdL : 0, R === R ? R : 0, col === null ? (fixed as DistributionChoice) : col[i], pat === pat ? pat : -1, rowDemand);
    if (bad) {
      out.errors.set(i, bad);
      out.code[i] = -1;
      out.mean[i] = out.variance[i] = out.leadMean[i] = out.leadVariance[i] = out.demandMean[i] = out.reviewPeriod[i] = Number.NaN;
      continue;
    }
    out.code[i] = rowDemand.code;
    out.note[i] = rowDemand.note;
    out.demandMean[i] = rowDemand.demandMean;
    out.reviewPeriod[i] = rowDemand.reviewPeriod;
    out.mean[i] = rowDemand.mean;
    out.variance[i] = rowDemand.variance;
    out.leadMean[i] = rowDemand.leadMean;
    out.leadVariance[i] = rowDemand.leadVariance;
  }
  return out;
}

/** Copies row i of the columns into `into` (a reusable IntervalDemand) and returns it. */
export function intervalDemandRow(c: IntervalDemandColumns, i: number, into: IntervalDemand): IntervalDemand {
  into.code = c.code[i];
  into.note = c.note[i];
  into.demandMean = c.demandMean[i];
  into.reviewPeriod = c.reviewPeriod[i];
  into.mean = c.mean[i];
  into.variance = c.variance[i];
  into.leadMean = c.leadMean[i];
  into.leadVariance = c.leadVariance[i];
  return into;
}

/** A fresh IntervalDemand to reuse with intervalDemandRow. */
export function newIntervalDemand(): IntervalDemand {
  return { code: 0, note: 0, demandMean: 0, reviewPeriod: 0, mean: 0, variance: 0, leadMean: 0, leadVariance: 0 };
}

// ---- column forms of the custom functions' engine calls -------------------------------------------

export interface FillRateOfPolicyColumns {
  rows: number;
  reorderPoint: ArrayLike<number>;
  demandMean: ArrayLike<number>;
  demandSd: ArrayLike<number>;
  leadTime: ArrayLike<number>;
  /** NaN = 0. */
  leadTimeSd?: ArrayLike<number>;
  /** NaN = 0. */
  reviewPeriod?: ArrayLike<number>;
  /** NaN = not given. */
  orderQty?: ArrayLike<number>;
  distribution?: DistributionChoice | ArrayLike<DistributionChoice>;
}

/** fillRateOfPolicy over columns (=SEG.FILL_RATE): failed rows get NaN and their CellError. */
export function fillRateOfPolicyColumns(c: FillRateOfPolicyColumns): {
  fillRate: Float64Array;
  cycleServiceLevel: Float64Array;
  unitsShortPerCycle: Float64Array;
  distribution: Int8Array;
  errors: Map<number, CellError>;
} {
  const n = c.rows;
  const out = {
    fillRate: new Float64Array(n),
    cycleServiceLevel: new Float64Array(n),
    unitsShortPerCycle: new Float64Array(n),
    distribution: new Int8Array(n),
    errors: new Map<number, CellError>(),
  };
  const fixed = typeof c.distribution === "string" || c.distribution === undefined ? (c.distribution ?? "normal") : null;
  const col = fixed === null ? (c.distribution as ArrayLike<DistributionChoice>) : null;
  const input: FillRateOfPolicyInput = { reorderPoint: 0, demandMean: 0, demandSd: 0, leadTime: 0 };
  for (let i = 0; i < n; i++) {
    const sdL = c.leadTimeSd ? c.leadTimeSd[i] : 0;
    const R = c.reviewPeriod ? c.reviewPeriod[i] : 0;
    const q = c.orderQty ? c.orderQty[i] : Number.NaN;
    input.reorderPoint = c.reorderPoint[i];
    input.demandMean = c.demandMean[i];
    input.demandSd = c.demandSd[i];
    input.leadTime = c.leadTime[i];
    input.leadTimeSd = sdL === sdL ? sdL : 0;
    input.reviewPeriod = R === R ? R : 0;
    input.orderQty = q;
    input.distribution = col === null ? (fixed as DistributionChoice) : col[i];
    const r = fillRateOfPolicy(input);
    if (isCellError(r)) {
      out.errors.set(i, r);
      out.fillRate[i] = out.cycleServiceLevel[i] = out.unitsShortPerCycle[i] = Number.NaN;
      out.distribution[i] = -1;
      continue;
    }
    out.fillRate[i] = r.fillRate;
    out.cycleServiceLevel[i] = r.cycleServiceLevel;
    out.unitsShortPerCycle[i] = r.unitsShortPerCycle;
    out.distribution[i] = rowDemand.code;
  }
  return out;
}

/** reorderPointByDistribution over columns (=SEG.REORDER_POINT with [distribution]). */
export function reorderPointByDistributionColumns(c: {
  rows: number;
  demandMean: ArrayLike<number>;
  leadTime: ArrayLike<number>;
  safetyStock: ArrayLike<number>;
  reviewPeriod?: ArrayLike<number>;
  distribution?: DistributionChoice | ArrayLike<DistributionChoice>;
}): { reorderPoint: Float64Array; errors: Map<number, CellError> } {
  const n = c.rows;
  const out = { reorderPoint: new Float64Array(n), errors: new Map<number, CellError>() };
  const fixed = typeof c.distribution === "string" || c.distribution === undefined ? (c.distribution ?? "normal") : null;
  const col = fixed === null ? (c.distribution as ArrayLike<DistributionChoice>) : null;
  const input: ReorderPointByDistributionInput = { demandMean: 0, leadTime: 0, safetyStock: 0 };
  for (let i = 0; i < n; i++) {
    const R = c.reviewPeriod ? c.reviewPeriod[i] : 0;
    input.demandMean = c.demandMean[i];
    input.leadTime = c.leadTime[i];
    input.safetyStock = c.safetyStock[i];
    input.reviewPeriod = R === R ? R : 0;
    input.distribution = col === null ? (fixed as DistributionChoice) : col[i];
    const r = reorderPointByDistribution(input);
    if (isCellError(r)) {
      out.errors.set(i, r);
      out.reorderPoint[i] = Number.NaN;
    } else out.reorderPoint[i] = r;
  }
  return out;
}
