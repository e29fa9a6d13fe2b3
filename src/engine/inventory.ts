/**
 * Inventory policy formulas: demand variability over the protection interval, safety stock for a
 * cycle service level or a fill rate, reorder point / order-up-to level, EOQ, and a per-SKU policy
 * (min / max / order quantity) for the task pane's Policy sheet.
 *
 * Units (the same throughout, and in every name):
 * - demand is per period (units / period); demandSd is the standard deviation of demand per period,
 *   taken as given (whatever estimator produced it, sample or population; this module does not
 *   re-estimate it). Demand in different periods is assumed independent, and independent of the
 *   lead time.
 * - leadTime, leadTimeSd and reviewPeriod are in the same periods as the demand.
 * - orderQty and every result quantity are in units.
 * - EOQ is annual: annual demand (units / year), cost per order, holding cost per unit per year.
 *   inventoryPolicy converts with periodsPerYear.
 * - Service levels and fill rates are fractions strictly between 0 and 1 (0.95, not 95).
 *
 * Safety stock is k * sigma and is NOT floored at 0: with a fill-rate target and a large order
 * quantity k is negative, and so is the safety stock. Callers who want a floor apply it themselves
 * (in a sheet, MAX(0, ...)).
 *
 * Errors: bad data gives a CellError whose message starts with the field name (e.g. "demandSd must
 * be >= 0, got -3"); nothing here throws for data.
 */
import { CellError, cellError } from "./errors";
import { normalLossInverse, zFromServiceLevel } from "./stats";

/** How the safety factor k is found: from a cycle service level ("csl") or a fill rate ("fill"). */
export type SafetyStockMethod = "csl" | "fill";
export const SAFETY_STOCK_METHODS: readonly SafetyStockMethod[] = ["csl", "fill"];

// ---- validation helpers (each returns null when the value is acceptable) ------------------------

function describe(x: unknown): string {
  if (x === undefined) return "nothing";
  return typeof x === "string" ? JSON.stringify(x) : String(x);
}

function nonNegative(field: string, x: number): CellError | null {
  if (typeof x === "number" && x >= 0 && x < Infinity) return null;
  return cellError(`${field} must be a number >= 0, got ${describe(x)}`);
}

function positive(field: string, x: number): CellError | null {
  if (typeof x === "number" && x > 0 && x < Infinity) return null;
  return cellError(`${field} must be a number > 0, got ${describe(x)}`);
}

function finite(field: string, x: number): CellError | null {
  if (typeof x === "number" && Number.isFinite(x)) return null;
  return cellError(`${field} must be a finite number, got ${describe(x)}`);
}

function fraction(field: string, x: number): CellError | null {
  if (typeof x === "number" && x > 0 && x < 1) return null;
  return cellError(`${field} must be strictly between 0 and 1 (e.g. 0.95 for 95%), got ${describe(x)}`);
}

// ---- protection-interval variability -----------------------------------------------------------

export interface ProtectionInput {
  /** Mean demand per period (units / period), >= 0. */
  demandMean: number;
  /** Standard deviation of demand per period (units / period), >= 0. */
  demandSd: number;
  /** Mean replenishment lead time (periods), >= 0. */
  leadTime: number;
  /** Standard deviation of the lead time (periods), >= 0; default 0 (fixed lead time). */
  leadTimeSd?: number;
  /** Review period (periods), >= 0; 0 (default) means continuous review. */
  reviewPeriod?: number;
}

function checkProtection(p: ProtectionInput): CellError | null {
  return (
    nonNegative("demandMean", p.demandMean) ??
    nonNegative("demandSd", p.demandSd) ??
    nonNegative("leadTime", p.leadTime) ??
    nonNegative("leadTimeSd", p.leadTimeSd ?? 0) ??
    nonNegative("reviewPeriod", p.reviewPeriod ?? 0)
  );
}

function sigmaOf(d: number, sd: number, L: number, sdL: number, R: number): number {
  // sqrt((L + R) sd^2 + d^2 sdL^2); outside the safe range of the squares, as a hypot so that
  // they cannot overflow or underflow on their own
  const v = (L + R) * sd * sd + d * d * sdL * sdL;
  if (v > 1e-290 && v < 1e290) return Math.sqrt(v);
  return Math.hypot(Math.sqrt(L + R) * sd, d * sdL);
}

/** A computed quantity that overflowed is reported, never returned as Infinity or NaN. */
function tooLarge(what: string): CellError {
  return cellError(`${what} is too large to represent; check the magnitudes of the inputs`);
}

/**
 * Standard deviation of demand over the protection interval (units):
 *   sigma = sqrt((L + R) * sd_d^2 + d^2 * sd_L^2)
 * with L the lead time, R the review period (0 for continuous review), d and sd_d the per-period
 * demand mean and sd, sd_L the lead-time sd. The interval is L + R periods of independent demand,
 * of which only L is random: the review period is a fixed calendar interval, so the lead-time
 * variance term uses sd_L alone (Silver, Pyke & Thomas 2017, ch. 6; Chopra & Meindl ch. 12).
 */
export function demandSdOverProtection(p: ProtectionInput): number | CellError {
  const bad = checkProtection(p);
  if (bad) return bad;
  const sigma = sigmaOf(p.demandMean, p.demandSd, p.leadTime, p.leadTimeSd ?? 0, p.reviewPeriod ?? 0);
  return Number.isFinite(sigma) ? sigma : tooLarge("sigma");
}

// ---- service factors ----------------------------------------------------------------------------

/** Service factor for a cycle service level (probability of no stockout per cycle): k = z(p). */
export function zValue(serviceLevel: number): number | CellError {
  return fraction("serviceLevel", serviceLevel) ?? zFromServiceLevel(serviceLevel);
}

export interface FillRateKInput {
  /** Target fill rate beta (fraction of demand served from stock), strictly between 0 and 1. */
  fillRate: number;
  /** Units of demand per replenishment cycle: the order quantity Q (> 0). */
  orderQty: number;
  /** Standard deviation of demand over the protection interval (units), > 0. */
  sigma: number;
}

/**
 * Safety factor for a fill-rate target: the k with G(k) = Q (1 - beta) / sigma, G the standard
 * normal loss function (expected shortage per cycle sigma*G(k) equals (1 - beta) of the Q units
 * demanded per cycle; Silver, Pyke & Thomas 2017, ch. 6, the usual approximation that ignores
 * the second loss term). k may be negative. sigma = 0 has no finite k: "na" error.
 */
export function fillRateK(p: FillRateKInput): number | CellError {
  const bad = fraction("fillRate", p.fillRate) ?? positive("orderQty", p.orderQty) ?? nonNegative("sigma", p.sigma);
  if (bad) return bad;
  if (p.sigma === 0) {
    return cellError("sigma is 0, so k is unbounded (-infinity); the safety stock is then -orderQty * (1 - fillRate)", "na");
  }
  const g = (p.orderQty * (1 - p.fillRate)) / p.sigma;
  if (!(g > 0)) return cellError("orderQty * (1 - fillRate) is negligible next to sigma: k is unbounded (+infinity)", "na");
  if (!(g < Infinity)) return cellError("sigma is negligible next to orderQty * (1 - fillRate): k is unbounded (-infinity)", "na");
  return normalLossInverse(g);
}

// ---- safety stock -------------------------------------------------------------------------------

export interface SafetyStockInput extends ProtectionInput {
  /** Target: cycle service level (method "csl") or fill rate (method "fill"), strictly between 0 and 1. */
  serviceLevel: number;
  /** "csl" (default): P(no stockout in a cycle). "fill": fraction of demand served from stock (beta). */
  method?: SafetyStockMethod;
  /**
   * Order quantity in units (> 0), used by the fill-rate method only. When omitted with a review
   * period R > 0, the demand per review cycle d * R is used; omitted with R = 0 is an error.
   */
  orderQty?: number;
}

export interface SafetyStockResult {
  /**
   * Safety factor. Finite, except for the fill-rate method with sigma = 0, where the equation has
   * no finite solution and k is -Infinity (never write it to a cell as a number).
   */
  k: number;
  /** Standard deviation of demand over the protection interval, units. */
  sigma: number;
  /** k * sigma in units; may be negative (not floored). */
  safetyStock: number;
}

/**
 * Safety stock = k * sigma, sigma from demandSdOverProtection.
 * - csl:  k = z(serviceLevel).
 * - fill: k solves G(k) = Q (1 - beta) / sigma, Q = orderQty or d * R (see SafetyStockInput).
 * sigma = 0 (no demand or lead-time variability): csl gives 0; fill gives -Q (1 - beta), the limit
 * of k * sigma as sigma -> 0 (with certain demand, a shortfall of (1 - beta) Q per cycle is exactly
 * what the fill rate allows), with k = -Infinity.
 * Not floored at 0.
 */
export function safetyStock(p: SafetyStockInput): SafetyStockResult | CellError {
  const out: SafetyStockResult = { k: 0, sigma: 0, safetyStock: 0 };
  const bad = computeSafetyStock(
    p.serviceLevel,
    p.method ?? "csl",
    p.demandMean,
    p.demandSd,
    p.leadTime,
    p.leadTimeSd ?? 0,
    p.reviewPeriod ?? 0,
    p.orderQty ?? undefined,
    out,
  );
  return bad ?? out;
}

// Service levels repeat down a column (one per segment), interleaved in SKU order: z is kept in
// a small direct-mapped cache keyed by the level's bits (same value in, same z out; a miss costs
// one hash over computing z anyway, ~5 % of the quantile itself).
const Z_CACHE_SIZE = 256;
const Z_PROBE_ROWS = 1024;
const zCacheLevel = new Float64Array(Z_CACHE_SIZE).fill(Number.NaN);
const zCacheZ = new Float64Array(Z_CACHE_SIZE);
const levelBits = new Float64Array(1);
const levelWords = new Uint32Array(levelBits.buffer);

/** The cache slot of a level. */
function zCacheSlot(level: number): number {
  levelBits[0] = level;
  return (Math.imul(levelWords[0] ^ Math.imul(levelWords[1], 0x9e3779b1), 0x85ebca6b) >>> 24) & (Z_CACHE_SIZE - 1);
}

/** zFromServiceLevel through the cache (for a level strictly inside (0, 1)). */
function cachedZ(level: number): number {
  const slot = zCacheSlot(level);
  if (zCacheLevel[slot] === level) return zCacheZ[slot];
  const z = zFromServiceLevel(level);
  zCacheLevel[slot] = level;
  zCacheZ[slot] = z;
  return z;
}

/** The shared body: fills `out` and returns null, or returns the first problem found. */
function computeSafetyStock(
  serviceLevel: number,
  method: SafetyStockMethod,
  d: number,
  sd: number,
  L: number,
  sdL: number,
  R: number,
  orderQty: number | undefined,
  out: SafetyStockResult,
): CellError | null {
  // One combined test for the common all-valid row; the named checks only run when it fails.
  const valid =
    (method === "csl" || method === "fill") &&
    typeof serviceLevel === "number" &&
    typeof d === "number" &&
    typeof sd === "number" &&
    typeof L === "number" &&
    typeof sdL === "number" &&
    typeof R === "number" &&
    serviceLevel > 0 &&
    serviceLevel < 1 &&
    d >= 0 &&
    d < Infinity &&
    sd >= 0 &&
    sd < Infinity &&
    L >= 0 &&
    L < Infinity &&
    sdL >= 0 &&
    sdL < Infinity &&
    R >= 0 &&
    R < Infinity;
  if (!valid) {
    if (method !== "csl" && method !== "fill") return cellError(`method must be "csl" or "fill", got ${describe(method)}`);
    const bad =
      fraction("serviceLevel", serviceLevel) ??
      checkProtection({ demandMean: d, demandSd: sd, leadTime: L, leadTimeSd: sdL, reviewPeriod: R });
    if (bad) return bad;
  }
  const sigma = sigmaOf(d, sd, L, sdL, R);
  if (!Number.isFinite(sigma)) return tooLarge("sigma");
  let k: number;
  let ss: number;
  if (method === "csl") {
    k = cachedZ(serviceLevel);
    ss = k * sigma;
  } else {
    let q: number;
    if (orderQty !== undefined) {
      const badQ = positive("orderQty", orderQty);
      if (badQ) return badQ;
      q = orderQty;
    } else if (R > 0) {
      q = d * R;
      if (!(q > 0)) return cellError("orderQty is missing and demandMean * reviewPeriod is 0: the fill rate is undefined without demand", "na");
    } else {
      return cellError('orderQty is required for method "fill" with continuous review (reviewPeriod 0)');
    }
    const shortage = q * (1 - serviceLevel); // allowed units short per cycle
    const g = shortage / sigma;
    if (!(g < Infinity)) {
      out.k = Number.NEGATIVE_INFINITY;
      out.sigma = sigma;
      out.safetyStock = -shortage;
      return null;
    }
    if (!(g > 0)) return cellError("orderQty * (1 - serviceLevel) is negligible next to sigma: the fill rate needs an unbounded safety stock", "na");
    k = normalLossInverse(g);
    ss = k * sigma;
  }
  if (!Number.isFinite(ss)) return tooLarge("safetyStock");
  out.k = k;
  out.sigma = sigma;
  out.safetyStock = ss;
  return null;
}

/** Column form of the safetyStock inputs, for batch callers (Float64Array columns read fastest). */
export interface SafetyStockColumns {
  rows: number;
  serviceLevel: ArrayLike<number>;
  demandMean: ArrayLike<number>;
  demandSd: ArrayLike<number>;
  leadTime: ArrayLike<number>;
  leadTimeSd: ArrayLike<number>;
  reviewPeriod: ArrayLike<number>;
  /** Order quantity per row; NaN means "not given". */
  orderQty: ArrayLike<number>;
  /** One method for every row, or one per row. */
  method: SafetyStockMethod | ArrayLike<SafetyStockMethod>;
}

/**
 * safetyStock over columns: one tight loop with no allocation per row (the custom function's
 * path for 100,000-row ranges). Rows that fail get NaN in `safetyStock` and their CellError in
 * `errors` (keyed by row index); same rules and messages as safetyStock. `into`, when it has
 * `rows` elements, receives the results instead of a new array.
 */
export function safetyStockColumns(c: SafetyStockColumns, into?: Float64Array): { safetyStock: Float64Array; errors: Map<number, CellError> } {
  const n = c.rows;
  const out = into && into.length === n ? into : new Float64Array(n);
  const errors = new Map<number, CellError>();
  const perRow = typeof c.method === "string" ? null : c.method;
  const fixed = typeof c.method === "string" ? c.method : "csl";
  const part: SafetyStockResult = { k: 0, sigma: 0, safetyStock: 0 };
  if (perRow === null && fixed === "csl") {
    // One method, "csl" (the common call): the whole computation of computeSafetyStock for a valid
    // row inline, with its combined validity test; any other row (bad input, or sigma^2 outside
    // the range where the plain square root is used) goes through computeSafetyStock, which gives
    // its error or its hypot branch. Same operations in the same order, so the same results.
    const sl = c.serviceLevel;
    const dm = c.demandMean;
    const ds = c.demandSd;
    const lt = c.leadTime;
    const lts = c.leadTimeSd;
    const rp = c.reviewPeriod;
    let lastLevel = Number.NaN;
    let lastZ = Number.NaN;
    // The cache pays when levels repeat (one per segment); with a level of its own on every row it
    // only costs (the hash is a third of the quantile). After the first Z_PROBE_ROWS rows it is
    // dropped if it found under a quarter of them. Either way each z is zFromServiceLevel's.
    let useCache = true;
    let hits = 0;
    for (let i = 0; i < n; i++) {
      if (i === Z_PROBE_ROWS && hits < Z_PROBE_ROWS / 4) useCache = false;
      const p = sl[i];
      const d = dm[i];
      const sd = ds[i];
      const L = lt[i];
      const sdL = lts[i];
      const R = rp[i];
      if (
        typeof p === "number" && typeof d === "number" && typeof sd === "number" &&
        typeof L === "number" && typeof sdL === "number" && typeof R === "number" &&
        p > 0 && p < 1 && d >= 0 && d < Infinity && sd >= 0 && sd < Infinity &&
        L >= 0 && L < Infinity && sdL >= 0 && sdL < Infinity && R >= 0 && R < Infinity
      ) {
        const v = (L + R) * sd * sd + d * d * sdL * sdL; // sigmaOf's plain branch
        if (v > 1e-290 && v < 1e290) {
          if (p !== lastLevel) {
            lastLevel = p;
            if (useCache) {
              const slot = zCacheSlot(p);
              if (zCacheLevel[slot] === p) {
                lastZ = zCacheZ[slot];
                hits++;
              } else {
                lastZ = zFromServiceLevel(p);
                zCacheLevel[slot] = p;
                zCacheZ[slot] = lastZ;
              }
            } else {
              lastZ = zFromServiceLevel(p);
            }
          } else {
            hits++;
          }
          const ss = lastZ * Math.sqrt(v);
          if (ss - ss === 0) {
            out[i] = ss;
            continue;
          }
        }
      }
      const bad = computeSafetyStock(p, "csl", d, sd, L, sdL, R, undefined, part);
      if (bad === null) {
        out[i] = part.safetyStock;
      } else {
        out[i] = Number.NaN;
        errors.set(i, bad);
      }
    }
    return { safetyStock: out, errors };
  }
  for (let i = 0; i < n; i++) {
    const q = c.orderQty[i];
    const bad = computeSafetyStock(
      c.serviceLevel[i],
      perRow === null ? fixed : perRow[i],
      c.demandMean[i],
      c.demandSd[i],
      c.leadTime[i],
      c.leadTimeSd[i],
      c.reviewPeriod[i],
      q === q ? q : undefined,
      part,
    );
    if (bad === null) {
      out[i] = part.safetyStock;
    } else {
      out[i] = Number.NaN;
      errors.set(i, bad);
    }
  }
  return { safetyStock: out, errors };
}

/** Batch form of safetyStock (one result per input, same order). */
export function safetyStockMany(inputs: readonly SafetyStockInput[]): (SafetyStockResult | CellError)[] {
  const out = new Array<SafetyStockResult | CellError>(inputs.length);
  for (let i = 0; i < inputs.length; i++) out[i] = safetyStock(inputs[i]);
  return out;
}

// ---- reorder point, EOQ -------------------------------------------------------------------------

export interface ReorderPointInput {
  /** Mean demand per period (units / period), >= 0. */
  demandMean: number;
  /** Mean lead time (periods), >= 0. */
  leadTime: number;
  /** Safety stock (units), any finite value (negative allowed, see safetyStock). */
  safetyStock: number;
  /** Review period (periods), >= 0; 0 (default) = continuous review. */
  reviewPeriod?: number;
}

/**
 * Continuous review (R = 0): reorder point s = d * L + SS.
 * Periodic review (R > 0): order-up-to level S = d * (R + L) + SS.
 * (Silver, Pyke & Thomas 2017, ch. 6: (s, Q) and (R, S) systems.)
 */
export function reorderPoint(p: ReorderPointInput): number | CellError {
  const bad =
    nonNegative("demandMean", p.demandMean) ??
    nonNegative("leadTime", p.leadTime) ??
    finite("safetyStock", p.safetyStock) ??
    nonNegative("reviewPeriod", p.reviewPeriod ?? 0);
  if (bad) return bad;
  const level = p.demandMean * (p.leadTime + (p.reviewPeriod ?? 0)) + p.safetyStock;
  return Number.isFinite(level) ? level : tooLarge("reorderPoint");
}

/**
 * Economic order quantity sqrt(2 D S / H) (Harris 1913): D annual demand (units / year), S cost per
 * order (money), H holding cost per unit per year (money / unit / year). D = 0 gives 0.
 */
export function eoq(annualDemand: number, orderCost: number, holdingCostPerUnitPerYear: number): number | CellError {
  const bad =
    nonNegative("annualDemand", annualDemand) ?? nonNegative("orderCost", orderCost) ?? positive("holdingCostPerUnitPerYear", holdingCostPerUnitPerYear);
  if (bad) return bad;
  const q = Math.sqrt((2 * annualDemand) / holdingCostPerUnitPerYear) * Math.sqrt(orderCost);
  return Number.isFinite(q) ? q : tooLarge("EOQ");
}

// ---- per-SKU policy -----------------------------------------------------------------------------

export interface PolicyInput extends SafetyStockInput {
  /** Cost per order (money), used for EOQ when orderQty is not given (continuous review). */
  orderCost?: number;
  /** Holding cost per unit per year (money / unit / year), used for EOQ. */
  holdingCostPerUnitPerYear?: number;
  /** Periods per year (52 for weekly data, 12 for monthly...), used to annualise demand for EOQ. */
  periodsPerYear?: number;
}

export type OrderQtySource = "given" | "eoq" | "review";

export interface PolicyResult extends SafetyStockResult {
  /** Continuous review: reorder point s. Periodic review: order-up-to level S. Units. */
  reorderPoint: number;
  /** Continuous: s. Periodic: S - d * R (= d * L + SS, the level that triggers an order at a review). */
  min: number;
  /** Continuous: s + Q. Periodic: S. */
  max: number;
  /** Units per order: given, EOQ, or d * R (mean order size under periodic review). */
  orderQty: number;
  orderQtySource: OrderQtySource;
}

/**
 * The Policy sheet row for one SKU.
 * Order quantity Q:
 * - a given orderQty (> 0) is used as is (an order multiple / lot size);
 * - else, continuous review (R = 0) needs orderCost, holdingCostPerUnitPerYear and periodsPerYear:
 *   Q = EOQ(d * periodsPerYear, orderCost, holdingCostPerUnitPerYear);
 * - else, periodic review (R > 0): Q = d * R, the mean order per review (costs are not used).
 * Levels:
 * - continuous (s, Q): reorderPoint = min = s = d L + SS, max = s + Q.
 * - periodic (R, S):   reorderPoint = max = S = d (R + L) + SS, min = S - d R.
 * The fill-rate method uses this same Q.
 */
export function inventoryPolicy(p: PolicyInput): PolicyResult | CellError {
  const bad = checkProtection(p);
  if (bad) return bad;
  const R = p.reviewPeriod ?? 0;
  let q: number;
  let source: OrderQtySource;
  if (p.orderQty !== undefined && p.orderQty !== null) {
    const badQ = positive("orderQty", p.orderQty);
    if (badQ) return badQ;
    q = p.orderQty;
    source = "given";
  } else if (R > 0) {
    q = p.demandMean * R;
    source = "review";
  } else {
    if (p.orderCost === undefined || p.holdingCostPerUnitPerYear === undefined || p.periodsPerYear === undefined) {
      return cellError("orderQty is required for continuous review (reviewPeriod 0) unless orderCost, holdingCostPerUnitPerYear and periodsPerYear are given for an EOQ");
    }
    const badP = positive("periodsPerYear", p.periodsPerYear);
    if (badP) return badP;
    const e = eoq(p.demandMean * p.periodsPerYear, p.orderCost, p.holdingCostPerUnitPerYear);
    if (typeof e !== "number") return e;
    if (!(e > 0)) return cellError("EOQ is 0 (demandMean or orderCost is 0): give orderQty", "na");
    q = e;
    source = "eoq";
  }
  // Explicit objects, not spreads of the caller's object: the spreads cost about 10 µs a row here
  // (100,000 SKUs in bench/policy.bench.ts: 1,200 ms with them, 244 ms without).
  const ss: SafetyStockResult = { k: 0, sigma: 0, safetyStock: 0 };
  const badSs = computeSafetyStock(p.serviceLevel, p.method ?? "csl", p.demandMean, p.demandSd, p.leadTime, p.leadTimeSd ?? 0, R, source === "review" ? undefined : q, ss);
  if (badSs) return badSs;
  const level = p.demandMean * (p.leadTime + R) + ss.safetyStock;
  if (!Number.isFinite(level + q)) return tooLarge("reorderPoint");
  const periodic = R > 0;
  return {
    k: ss.k,
    sigma: ss.sigma,
    safetyStock: ss.safetyStock,
    reorderPoint: level,
    min: periodic ? level - p.demandMean * R : level,
    max: periodic ? level : level + q,
    orderQty: q,
    orderQtySource: source,
  };
}
