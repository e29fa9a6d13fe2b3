/**
 * Periodic-review discrete-event simulation of single-SKU inventory policies, many SKUs at once,
 * N independent replications each, with 95 % confidence intervals per SKU and per segment.
 * The assumptions are written out with worked examples in docs/simulation.md; in short:
 *
 * Time: whole periods t = 0, 1, ..., warmUp + horizon - 1 (the same period as the demand history;
 * lead times and review periods in those periods). Statistics count periods t >= warmUp only.
 *
 * Event order within period t:
 *   1. review (policies reviewed every R periods review at t = 0, R, 2R, ...): the inventory position
 *      IP = on hand - backorders + on order is compared with the policy and an order of q > 0 units is
 *      placed; it is due at the start of period t + L (L drawn per order, see lead times below);
 *   2. receipts: everything due in period t arrives (an order with L = 0 arrives in the period it was
 *      placed, before demand); receipts clear backorders first, the rest goes on hand;
 *   3. demand d_t: served from on hand up to what is there; the rest is backordered (mode
 *      "backorder") or lost (mode "lostSales");
 *   4. end of period: on hand, backorders and costs are recorded.
 * So an order placed at t covers demand over the L + R periods t .. t + L + R - 1, which is the
 * protection interval of src/engine/inventory.ts (sigma over L + R periods).
 *
 * Policies (parameters in units; s, S may be any finite number):
 *   - "sQ"  (s, Q), or (R, s, nQ) with a review period: if IP <= s, order the smallest multiple of Q
 *           that lifts IP above s (with Q no smaller than the undershoot this is one Q);
 *   - "sS"  (s, S) / min-max: if IP <= s, order S - IP (s = min, S = max; S > s);
 *   - "RS"  (R, S) order-up-to: every R periods, order S - IP when IP < S;
 *   - "baseStock": order-up-to S every period (R = 1).
 *   reviewPeriod 0 (or blank) and 1 both mean "review every period"; a review period R > 1 also
 *   applies to sQ and sS (reviews at t = 0, R, 2R, ...).
 *
 * Lead times, per order, in whole periods (a fractional value is rounded at random to one of its two
 * neighbours with the probability that keeps its mean, e.g. 2.3 → 2 with prob. 0.7, 3 with 0.3):
 *   - fixed (leadTimeSd 0 or blank): L = leadTime;
 *   - normal: L = max(0, leadTime + leadTimeSd · Z), then rounded as above; capped at
 *     leadTime + 8 leadTimeSd (a 6e-16 tail);
 *   - empirical: leadTimeSamples[i] given → each order draws one of the listed values, equally likely.
 *   Independent lead times let orders cross (a later order can arrive first); the simulation receives
 *   each order when it is due, and every outstanding order counts in IP. leadTimeCrossing "prevent"
 *   instead delivers in order: an order is never due before the order placed before it (due period
 *   = max(own, previous)), which lengthens the effective lead time.
 *
 * Demand per period: the SKU's own history, resampled (i.i.d. bootstrap of its periods, each period
 * equally likely), or a distribution with the SKU's demandMean and demandSd:
 *   - "normal": max(0, mean + sd · Z) (the truncation adds sd · G(mean / sd) to the mean, 3e-7 · sd at
 *     CV 0.2; use another distribution for CV above ~0.5);
 *   - "poisson": Poisson(mean) (sd is not used);
 *   - "negativeBinomial": mean and variance sd^2 > mean (gamma–Poisson mixture);
 *   - "gamma": shape (mean / sd)^2, scale sd^2 / mean (sd 0: every period = mean).
 *   demandMean 0 means no demand.
 *
 * Measures per replication (periods t >= warmUp; H = horizon):
 *   - fillRate: units served from stock in the period they were demanded / units demanded (undefined
 *     without demand; such replications are left out of that SKU's fill-rate interval);
 *   - cycleServiceLevel: share of replenishment cycles without a stockout. A cycle runs from one
 *     receipt to the period before the next receipt (both receipts at or after warmUp; the cycle still
 *     open at the end is not counted); it has a stockout if any of its periods ends with unmet demand
 *     (backorders outstanding, or sales lost in the period). A review that orders nothing starts no
 *     cycle, so an order-up-to policy with periods of no demand has fewer, longer cycles;
 *   - stockoutFrequency: share of periods ending with unmet demand (as above);
 *   - onHand: mean units on hand at period end; stockValue = onHand · unitCost;
 *   - backorders: mean units on backorder at period end (0 under lost sales);
 *   - lostSales: mean units lost per period (0 under backorders);
 *   - ordersPerPeriod: orders placed per period;
 *   - costs per period: holding = holdingCost · on hand at period end; ordering = orderCost per
 *     order; shortage = shortageCost per unit backordered at period end per period (backorders) or per
 *     unit lost (lost sales); total = their sum.
 * Intervals: mean ± t(0.975, n - 1) · s / sqrt(n) over the n replications (confidence.ts).
 * Segment figures are per replication: ratios of sums for fillRate, cycleServiceLevel and
 * stockoutFrequency (demand-, cycle- and period-weighted), sums over the segment's SKUs for the rest,
 * then the same interval across replications.
 *
 * Random numbers: src/engine/random.ts. SKU i's replication r draws its demand from the stream
 * (seed, i, r, 1) and its lead times from (seed, i, r, 2): results do not depend on how the SKUs are
 * chunked, and two policies simulated with the same seed see exactly the same demand, and the k-th
 * order of a replication the same lead-time draw (common random numbers).
 *
 * Bad rows: a CellError per SKU (kept in `errors`, its figures NaN); the rest is simulated.
 */
import { CellError, cellError, ArgumentError } from "../errors";
import { Random } from "../random";
import type { DemandHistory } from "../xyz";
import { checkPeriods } from "../xyz";
import { halfWidth95, meanInterval } from "./confidence";

export const POLICY_KINDS = ["sQ", "sS", "RS", "baseStock"] as const;
export type PolicyKind = (typeof POLICY_KINDS)[number];
export const DEMAND_DISTRIBUTIONS = ["normal", "poisson", "negativeBinomial", "gamma"] as const;
export type DemandDistribution = (typeof DEMAND_DISTRIBUTIONS)[number];
export const SHORTAGE_MODES = ["backorder", "lostSales"] as const;
export type ShortageMode = (typeof SHORTAGE_MODES)[number];
export type LeadTimeCrossing = "allow" | "prevent";

/** Every measure reported, per SKU and per segment, in this order. */
export const SIM_METRICS = [
  "fillRate",
  "cycleServiceLevel",
  "stockoutFrequency",
  "onHand",
  "stockValue",
  "backorders",
  "lostSales",
  "ordersPerPeriod",
  "holdingCostPerPeriod",
  "orderingCostPerPeriod",
  "shortageCostPerPeriod",
  "totalCostPerPeriod",
] as const;
export type SimMetric = (typeof SIM_METRICS)[number];

/** Longest lead time (periods) the simulation accepts. */
export const MAX_LEAD_TIME = 1000;

/** Per-SKU policy parameters, one entry per SKU (row). Parameters a policy does not use are ignored. */
export interface PolicyColumns {
  /** One policy for every SKU, or one per SKU (null = no policy: the row is reported, not simulated). */
  policy: PolicyKind | ArrayLike<PolicyKind | null>;
  /** s (units): sQ and sS. */
  reorderPoint?: ArrayLike<number>;
  /** Q (units, > 0): sQ. */
  orderQty?: ArrayLike<number>;
  /** S (units): sS (S > s), RS, baseStock. */
  orderUpTo?: ArrayLike<number>;
  /** R (whole periods): 0, 1 or blank = every period. baseStock allows only 0 or 1. */
  reviewPeriod?: ArrayLike<number>;
}

export type DemandSource =
  | { kind: "history"; history: DemandHistory }
  | {
      kind: "distribution";
      distribution: DemandDistribution | ArrayLike<DemandDistribution>;
      /** Mean demand per period (units), >= 0. */
      demandMean: ArrayLike<number>;
      /** Standard deviation of demand per period (units), >= 0 (not used by "poisson"). */
      demandSd: ArrayLike<number>;
    };

/** What does not change between scenarios: demand, lead times, costs, segments. */
export interface SimulationInput {
  rows: number;
  demand: DemandSource;
  /** Mean lead time (periods), >= 0. */
  leadTime: ArrayLike<number> | number;
  /** Lead-time sd (periods), >= 0; blank/NaN = 0 (fixed lead time). */
  leadTimeSd?: ArrayLike<number> | number;
  /** Empirical lead times per SKU (periods); where given (non-empty) they replace leadTime/leadTimeSd. */
  leadTimeSamples?: ArrayLike<ArrayLike<number> | null | undefined>;
  /** Holding cost, money per unit per period (on hand at period end), >= 0. */
  holdingCost: ArrayLike<number> | number;
  /** Cost per order placed (money), >= 0. */
  orderCost: ArrayLike<number> | number;
  /** Backorders: money per unit backordered per period. Lost sales: money per unit lost. >= 0. */
  shortageCost: ArrayLike<number> | number;
  /** Value per unit (money) for stockValue; NaN = unknown (stockValue NaN). */
  unitCost?: ArrayLike<number> | number;
  /** Segment label per SKU (e.g. "AX"); omitted = no segment breakdown, only the total. */
  segment?: ArrayLike<string>;
  /** Inventory level at the start (units); NaN/omitted = the policy's top level (s + Q, or S). */
  initialOnHand?: ArrayLike<number>;
}

export interface SimulationOptions {
  /** Independent replications, >= 2; default 100. */
  replications?: number;
  /** Measured periods per replication; default 2 years = 2 · periodsPerYear. */
  horizon?: number;
  /** Periods per year, for the default horizon; default 52. */
  periodsPerYear?: number;
  /**
   * Periods simulated before measuring; default max(ceil(horizon / 4), 2 · (longest lead time +
   * longest review period)) over the SKUs.
   */
  warmUp?: number;
  /** Seed of every random stream; default 1. */
  seed?: number;
  /** Unmet demand waits ("backorder", default) or is lost ("lostSales"). */
  shortage?: ShortageMode;
  /** Orders with independent lead times may overtake each other ("allow", default) or not ("prevent"). */
  leadTimeCrossing?: LeadTimeCrossing;
  /** Called after every chunk of SKUs with (SKUs done, SKUs in all). */
  onProgress?: (done: number, total: number) => void;
  /** Checked after every chunk; when it turns true the run stops and the result says aborted. */
  signal?: { aborted: boolean };
}

export interface Interval {
  mean: number;
  /** Half-width of the 95 % confidence interval (NaN with fewer than 2 usable replications). */
  halfWidth: number;
}

export interface MetricColumns {
  mean: Float64Array;
  halfWidth: Float64Array;
}

export interface SegmentSimulation {
  /** Segment label ("" for SKUs without one); the total uses "all". */
  segment: string;
  /** SKUs simulated in it (rows with errors left out). */
  skus: number;
  metrics: Record<SimMetric, Interval>;
  /** The segment's figure in each replication (for paired comparisons between scenarios). */
  perReplication: Record<SimMetric, Float64Array>;
}

export interface SimulationResult {
  rows: number;
  replications: number;
  horizon: number;
  warmUp: number;
  shortage: ShortageMode;
  /** Per SKU: mean and 95 % half-width of each measure (NaN for rows in `errors`). */
  sku: Record<SimMetric, MetricColumns>;
  /** Rows not simulated, with the reason. */
  errors: Map<number, CellError>;
  /** Per segment, in order of first appearance; empty when no segment column is given. */
  segments: SegmentSimulation[];
  /** All simulated SKUs together. */
  total: SegmentSimulation;
  /** True when the signal stopped the run; the figures are then incomplete and must not be used. */
  aborted: boolean;
}

// ---- compiled per-SKU parameters ----------------------------------------------------------------

const SQ = 0;
const SS = 1;
const RS = 2;
const BASE = 3;

const LT_FIXED = 0; // whole periods
const LT_FRACTION = 1; // fixed mean, random rounding
const LT_NORMAL = 2;
const LT_EMPIRICAL = 3;

const D_HISTORY = -1;
const D_NORMAL = 0;
const D_POISSON = 1;
const D_NEGBIN = 2;
const D_GAMMA = 3;
const D_NONE = 4;

/** Raw sums of one replication (measured periods). */
const R_DEMAND = 0;
const R_SERVED = 1;
const R_ONHAND = 2;
const R_BACK = 3;
const R_LOST = 4;
const R_STOCKOUT = 5;
const R_CYCLES = 6;
const R_OKCYCLES = 7;
const R_ORDERS = 8;
const RAW = 9;

/** Segment accumulators per replication: the raw sums plus value and the three costs. */
const A_VALUE = 9;
const A_HOLD = 10;
const A_ORDER = 11;
const A_SHORT = 12;
const ACC = 13;

const NM = SIM_METRICS.length;

interface SkuPolicyArrays {
  kind: Int8Array;
  s: Float64Array;
  q: Float64Array;
  S: Float64Array;
  R: Int32Array;
  il0: Float64Array;
  errors: Map<number, CellError>;
}

interface SkuInputArrays {
  demandCode: Int8Array;
  demandMean: Float64Array;
  demandSd: Float64Array;
  ltCode: Int8Array;
  ltMean: Float64Array;
  ltSd: Float64Array;
  ltMax: Int32Array;
  ltOffset: Int32Array;
  ltCount: Int32Array;
  ltValues: Float64Array;
  hold: Float64Array;
  order: Float64Array;
  short: Float64Array;
  unitCost: Float64Array;
  initial: Float64Array;
  errors: Map<number, CellError>;
}

function describe(x: unknown): string {
  if (x === undefined) return "nothing";
  if (x === null) return "blank";
  return typeof x === "string" ? JSON.stringify(x) : String(x);
}

function at(c: ArrayLike<number> | number | undefined, i: number, dflt: number): number {
  if (c === undefined) return dflt;
  if (typeof c === "number") return c;
  const v = c[i];
  return v === undefined || v === null ? dflt : v;
}

const finiteNonNeg = (x: number) => typeof x === "number" && x >= 0 && x < Infinity;

function checkColumnLength(name: string, c: ArrayLike<unknown> | number | string | undefined, rows: number): void {
  if (c === undefined || typeof c === "number" || typeof c === "string") return;
  if (c.length !== rows) throw new ArgumentError(name, `has ${c.length} rows, expected ${rows}`);
}

function compileInputs(input: SimulationInput): SkuInputArrays {
  const n = input.rows;
  if (!(Number.isInteger(n) && n >= 0)) throw new ArgumentError("rows", `must be a whole number >= 0, got ${describe(n)}`);
  for (const [name, c] of [
    ["leadTime", input.leadTime],
    ["leadTimeSd", input.leadTimeSd],
    ["leadTimeSamples", input.leadTimeSamples],
    ["holdingCost", input.holdingCost],
    ["orderCost", input.orderCost],
    ["shortageCost", input.shortageCost],
    ["unitCost", input.unitCost],
    ["segment", input.segment],
    ["initialOnHand", input.initialOnHand],
  ] as const) {
    checkColumnLength(name, c, n);
  }
  const d = input.demand;
  if (d.kind === "history") {
    if (d.history.rows !== n) throw new ArgumentError("history", `has ${d.history.rows} rows, expected ${n}`);
  } else {
    checkColumnLength("demandMean", d.demandMean, n);
    checkColumnLength("demandSd", d.demandSd, n);
    checkColumnLength("distribution", d.distribution, n);
  }
  const out: SkuInputArrays = {
    demandCode: new Int8Array(n),
    demandMean: new Float64Array(n),
    demandSd: new Float64Array(n),
    ltCode: new Int8Array(n),
    ltMean: new Float64Array(n),
    ltSd: new Float64Array(n),
    ltMax: new Int32Array(n),
    ltOffset: new Int32Array(n),
    ltCount: new Int32Array(n),
    ltValues: new Float64Array(0),
    hold: new Float64Array(n),
    order: new Float64Array(n),
    short: new Float64Array(n),
    unitCost: new Float64Array(n),
    initial: new Float64Array(n),
    errors: new Map(),
  };
  const samples: number[] = [];
  const historyRow = d.kind === "history" ? new Float64Array(d.history.periods) : undefined;
  for (let i = 0; i < n; i++) {
    const bad = compileRow(input, i, out, samples, historyRow);
    if (bad) out.errors.set(i, bad);
  }
  out.ltValues = Float64Array.from(samples);
  return out;
}

function compileRow(input: SimulationInput, i: number, out: SkuInputArrays, samples: number[], historyRow: Float64Array | undefined): CellError | null {
  // demand
  const d = input.demand;
  if (d.kind === "history") {
    const h = d.history;
    const bad = h.readRow(i, historyRow!) ?? checkPeriods(historyRow!, h.periods);
    if (bad) return cellError(`history ${bad.message}`, bad.kind);
    out.demandCode[i] = D_HISTORY;
  } else {
    const dist = typeof d.distribution === "string" ? d.distribution : d.distribution[i];
    const code = DEMAND_DISTRIBUTIONS.indexOf(dist as DemandDistribution);
    if (code < 0) return cellError(`distribution must be one of ${DEMAND_DISTRIBUTIONS.map((x) => `"${x}"`).join(", ")}, got ${describe(dist)}`);
    const mean = d.demandMean[i];
    const sd = code === D_POISSON ? 0 : d.demandSd[i];
    if (!finiteNonNeg(mean)) return cellError(`demandMean must be a number >= 0, got ${describe(mean)}`);
    if (!finiteNonNeg(sd)) return cellError(`demandSd must be a number >= 0, got ${describe(sd)}`);
    if (code === D_NEGBIN && mean > 0 && !(sd * sd > mean)) {
      return cellError(`demandSd^2 must exceed demandMean for the negative binomial (got sd ${sd}, mean ${mean}); use "poisson" when the variance equals the mean`);
    }
    out.demandCode[i] = mean === 0 ? D_NONE : code;
    out.demandMean[i] = mean;
    out.demandSd[i] = sd;
  }
  // lead time
  const list = input.leadTimeSamples?.[i];
  if (list !== undefined && list !== null && list.length > 0) {
    let max = 0;
    out.ltOffset[i] = samples.length;
    out.ltCount[i] = list.length;
    for (let k = 0; k < list.length; k++) {
      const v = list[k];
      if (!finiteNonNeg(v)) return cellError(`leadTimeSamples value ${k + 1} must be a number >= 0, got ${describe(v)}`);
      samples.push(v);
      if (Math.ceil(v) > max) max = Math.ceil(v);
    }
    out.ltCode[i] = LT_EMPIRICAL;
    out.ltMax[i] = max;
  } else {
    const L = at(input.leadTime, i, Number.NaN);
    const rawSd = at(input.leadTimeSd, i, 0);
    const sd = rawSd !== rawSd ? 0 : rawSd;
    if (!finiteNonNeg(L)) return cellError(`leadTime must be a number >= 0, got ${describe(L)}`);
    if (!finiteNonNeg(sd)) return cellError(`leadTimeSd must be a number >= 0, got ${describe(sd)}`);
    out.ltMean[i] = L;
    out.ltSd[i] = sd;
    if (sd > 0) {
      out.ltCode[i] = LT_NORMAL;
      out.ltMax[i] = Math.ceil(L + 8 * sd);
    } else {
      out.ltCode[i] = Number.isInteger(L) ? LT_FIXED : LT_FRACTION;
      out.ltMax[i] = Math.ceil(L);
    }
  }
  if (out.ltMax[i] > MAX_LEAD_TIME) return cellError(`leadTime too long: lead times up to ${MAX_LEAD_TIME} periods can be simulated, this one reaches ${out.ltMax[i]}`);
  // costs
  const hold = at(input.holdingCost, i, Number.NaN);
  const order = at(input.orderCost, i, Number.NaN);
  const short = at(input.shortageCost, i, Number.NaN);
  const unit = at(input.unitCost, i, Number.NaN);
  if (!finiteNonNeg(hold)) return cellError(`holdingCost must be a number >= 0, got ${describe(hold)}`);
  if (!finiteNonNeg(order)) return cellError(`orderCost must be a number >= 0, got ${describe(order)}`);
  if (!finiteNonNeg(short)) return cellError(`shortageCost must be a number >= 0, got ${describe(short)}`);
  if (unit === unit && !finiteNonNeg(unit)) return cellError(`unitCost must be a number >= 0 (or blank), got ${describe(unit)}`);
  out.hold[i] = hold;
  out.order[i] = order;
  out.short[i] = short;
  out.unitCost[i] = unit;
  const init = input.initialOnHand ? input.initialOnHand[i] : Number.NaN;
  if (init === init && !(typeof init === "number" && Number.isFinite(init))) return cellError(`initialOnHand must be a finite number (or blank), got ${describe(init)}`);
  out.initial[i] = init;
  return null;
}

function compilePolicies(p: PolicyColumns, rows: number, initial: Float64Array): SkuPolicyArrays {
  if (typeof p.policy !== "string") checkColumnLength("policy", p.policy, rows);
  else if (!POLICY_KINDS.includes(p.policy)) throw new ArgumentError("policy", `must be one of ${POLICY_KINDS.map((x) => `"${x}"`).join(", ")}, got ${describe(p.policy)}`);
  checkColumnLength("reorderPoint", p.reorderPoint, rows);
  checkColumnLength("orderQty", p.orderQty, rows);
  checkColumnLength("orderUpTo", p.orderUpTo, rows);
  checkColumnLength("reviewPeriod", p.reviewPeriod, rows);
  const out: SkuPolicyArrays = {
    kind: new Int8Array(rows),
    s: new Float64Array(rows),
    q: new Float64Array(rows),
    S: new Float64Array(rows),
    R: new Int32Array(rows),
    il0: new Float64Array(rows),
    errors: new Map(),
  };
  for (let i = 0; i < rows; i++) {
    const bad = compilePolicyRow(p, i, out, initial[i]);
    if (bad) out.errors.set(i, bad);
  }
  return out;
}

function compilePolicyRow(p: PolicyColumns, i: number, out: SkuPolicyArrays, initial: number): CellError | null {
  const name = typeof p.policy === "string" ? p.policy : p.policy[i];
  if (name === null || name === undefined) return cellError("policy is missing for this SKU");
  const kind = POLICY_KINDS.indexOf(name);
  if (kind < 0) return cellError(`policy must be one of ${POLICY_KINDS.map((x) => `"${x}"`).join(", ")}, got ${describe(name)}`);
  const rawR = p.reviewPeriod ? p.reviewPeriod[i] : 0;
  const R = rawR !== rawR || rawR === null || rawR === undefined ? 0 : rawR;
  if (!(Number.isInteger(R) && R >= 0 && R <= 10000)) return cellError(`reviewPeriod must be a whole number of periods >= 0, got ${describe(rawR)}`);
  if (kind === BASE && R > 1) return cellError(`reviewPeriod must be 0 or 1 for a base-stock policy (reviewed every period), got ${R}; use "RS" for a longer review period`);
  const s = p.reorderPoint ? p.reorderPoint[i] : Number.NaN;
  const q = p.orderQty ? p.orderQty[i] : Number.NaN;
  const S = p.orderUpTo ? p.orderUpTo[i] : Number.NaN;
  const finite = (x: number) => typeof x === "number" && Number.isFinite(x);
  if (kind === SQ || kind === SS) {
    if (!finite(s)) return cellError(`reorderPoint must be a finite number, got ${describe(s)}`);
  }
  if (kind === SQ) {
    if (!(typeof q === "number" && q > 0 && q < Infinity)) return cellError(`orderQty must be a number > 0, got ${describe(q)}`);
  } else if (!finite(S)) {
    return cellError(`orderUpTo must be a finite number, got ${describe(S)}`);
  }
  if (kind === SS && !(S > s)) return cellError(`orderUpTo (${S}) must be above reorderPoint (${s}) for an (s, S) policy`);
  out.kind[i] = kind;
  out.s[i] = s;
  out.q[i] = q;
  out.S[i] = S;
  out.R[i] = R < 1 ? 1 : R;
  out.il0[i] = initial === initial ? initial : kind === SQ ? s + q : S;
  return null;
}

// ---- the per-SKU, per-replication simulation ----------------------------------------------------

/** Lead time of one order (whole periods). */
function drawLeadTime(code: number, mean: number, sd: number, max: number, values: Float64Array, offset: number, count: number, rng: Random): number {
  let x: number;
  if (code === LT_NORMAL) {
    x = mean + sd * rng.normal();
    if (x < 0) x = 0;
  } else if (code === LT_EMPIRICAL) {
    x = values[offset + rng.index(count)];
  } else {
    x = mean;
  }
  const f = Math.floor(x);
  let L = f;
  if (x > f && rng.uniform() < x - f) L = f + 1;
  return L > max ? max : L;
}

function fillDemand(code: number, mean: number, sd: number, history: Float64Array, periods: number, rng: Random, buf: Float64Array, T: number): void {
  switch (code) {
    case D_HISTORY:
      for (let t = 0; t < T; t++) buf[t] = history[rng.index(periods)];
      break;
    case D_NORMAL:
      for (let t = 0; t < T; t++) {
        const x = mean + sd * rng.normal();
        buf[t] = x > 0 ? x : 0;
      }
      break;
    case D_POISSON:
      for (let t = 0; t < T; t++) buf[t] = rng.poisson(mean);
      break;
    case D_NEGBIN: {
      const v = sd * sd;
      for (let t = 0; t < T; t++) buf[t] = rng.negativeBinomial(mean, v);
      break;
    }
    case D_GAMMA: {
      if (sd === 0) {
        buf.fill(mean, 0, T);
        break;
      }
      const shape = (mean / sd) * (mean / sd);
      const scale = (sd * sd) / mean;
      for (let t = 0; t < T; t++) buf[t] = rng.gamma(shape, scale);
      break;
    }
    default:
      buf.fill(0, 0, T);
  }
}

/**
 * One replication of one SKU under one policy. Writes the raw sums of the measured periods into
 * `raw` (R_* indices). `pipe` is scratch of at least maxLead + 1 slots.
 */
function simulateOne(
  kind: number,
  s: number,
  Q: number,
  S: number,
  R: number,
  il0: number,
  demand: Float64Array,
  T: number,
  warmUp: number,
  lost: boolean,
  preventCrossing: boolean,
  ltCode: number,
  ltMean: number,
  ltSd: number,
  ltMax: number,
  ltValues: Float64Array,
  ltOffset: number,
  ltCount: number,
  ltRng: Random,
  pipe: Float64Array,
  raw: Float64Array,
): void {
  const P = ltMax + 1;
  pipe.fill(0, 0, P);
  let onHand = il0 > 0 ? il0 : 0;
  let back = !lost && il0 < 0 ? -il0 : 0;
  let onOrder = 0;
  let lastDue = -1;
  let slot = 0;
  let nextReview = 0;
  let demandSum = 0;
  let servedSum = 0;
  let onHandSum = 0;
  let backSum = 0;
  let lostSum = 0;
  let stockouts = 0;
  let cycles = 0;
  let okCycles = 0;
  let orders = 0;
  let cycleOpen = false;
  let cycleShort = false;
  const fixedL = ltCode === LT_FIXED ? ltMean : -1;
  for (let t = 0; t < T; t++) {
    // 1. review
    if (t === nextReview) {
      nextReview += R;
      const ip = onHand - back + onOrder;
      let q = 0;
      if (kind === SQ) {
        if (ip <= s) q = (Math.floor((s - ip) / Q) + 1) * Q;
      } else if (kind === SS) {
        if (ip <= s) q = S - ip;
      } else if ((kind === RS || kind === BASE) && ip < S) {
        q = S - ip;
      }
      if (q > 0) {
        const L = fixedL >= 0 ? fixedL : drawLeadTime(ltCode, ltMean, ltSd, ltMax, ltValues, ltOffset, ltCount, ltRng);
        let due = t + L;
        if (preventCrossing) {
          if (due < lastDue) due = lastDue;
          lastDue = due;
        }
        let k = slot + (due - t);
        if (k >= P) k -= P;
        pipe[k] += q;
        onOrder += q;
        if (t >= warmUp) orders++;
      }
    }
    // 2. receipts
    const rec = pipe[slot];
    let receipt = false;
    if (rec > 0) {
      pipe[slot] = 0;
      onOrder -= rec;
      receipt = true;
      if (back > 0) {
        if (rec >= back) {
          onHand += rec - back;
          back = 0;
        } else {
          back -= rec;
        }
      } else {
        onHand += rec;
      }
    }
    // 3. demand
    const dt = demand[t];
    const served = dt <= onHand ? dt : onHand;
    onHand -= served;
    const shortNow = dt - served;
    let lostNow = 0;
    if (shortNow > 0) {
      if (lost) lostNow = shortNow;
      else back += shortNow;
    }
    // 4. record
    if (t >= warmUp) {
      demandSum += dt;
      servedSum += served;
      onHandSum += onHand;
      backSum += back;
      lostSum += lostNow;
      const out = back > 0 || lostNow > 0;
      if (out) stockouts++;
      if (receipt) {
        if (cycleOpen) {
          cycles++;
          if (!cycleShort) okCycles++;
        }
        cycleOpen = true;
        cycleShort = false;
      }
      if (out) cycleShort = true;
    } else if (receipt) {
      cycleOpen = false;
    }
    slot++;
    if (slot === P) slot = 0;
  }
  raw[R_DEMAND] = demandSum;
  raw[R_SERVED] = servedSum;
  raw[R_ONHAND] = onHandSum;
  raw[R_BACK] = backSum;
  raw[R_LOST] = lostSum;
  raw[R_STOCKOUT] = stockouts;
  raw[R_CYCLES] = cycles;
  raw[R_OKCYCLES] = okCycles;
  raw[R_ORDERS] = orders;
}

// ---- the run ------------------------------------------------------------------------------------

export interface ScenarioRun {
  policy: PolicyColumns;
  /** Segment labels for this scenario; default: the input's. */
  segment?: ArrayLike<string>;
}

interface ResolvedOptions {
  replications: number;
  horizon: number;
  warmUp: number;
  seed: number;
  lost: boolean;
  preventCrossing: boolean;
}

function resolveOptions(o: SimulationOptions, longest: number): ResolvedOptions {
  const replications = o.replications ?? 100;
  if (!(Number.isInteger(replications) && replications >= 2 && replications <= 100000)) {
    throw new ArgumentError("replications", `must be a whole number from 2 to 100000, got ${describe(replications)}`);
  }
  const ppy = o.periodsPerYear ?? 52;
  if (!(Number.isInteger(ppy) && ppy >= 1)) throw new ArgumentError("periodsPerYear", `must be a whole number >= 1, got ${describe(ppy)}`);
  const horizon = o.horizon ?? 2 * ppy;
  if (!(Number.isInteger(horizon) && horizon >= 1 && horizon <= 1e6)) throw new ArgumentError("horizon", `must be a whole number of periods from 1 to 1000000, got ${describe(horizon)}`);
  const warmUp = o.warmUp ?? Math.max(Math.ceil(horizon / 4), 2 * longest);
  if (!(Number.isInteger(warmUp) && warmUp >= 0 && warmUp <= 1e6)) throw new ArgumentError("warmUp", `must be a whole number of periods >= 0, got ${describe(warmUp)}`);
  const seed = o.seed ?? 1;
  if (!(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff)) throw new ArgumentError("seed", `must be a whole number from 0 to 4294967295, got ${describe(seed)}`);
  const shortage = o.shortage ?? "backorder";
  if (!SHORTAGE_MODES.includes(shortage)) throw new ArgumentError("shortage", `must be "backorder" or "lostSales", got ${describe(shortage)}`);
  const crossing = o.leadTimeCrossing ?? "allow";
  if (crossing !== "allow" && crossing !== "prevent") throw new ArgumentError("leadTimeCrossing", `must be "allow" or "prevent", got ${describe(crossing)}`);
  return { replications, horizon, warmUp, seed, lost: shortage === "lostSales", preventCrossing: crossing === "prevent" };
}

/** Index of each row's segment in `names` (order of first appearance). */
function segmentIndex(labels: ArrayLike<string> | undefined, rows: number): { index: Int32Array; names: string[] } {
  const index = new Int32Array(rows);
  const names: string[] = [];
  if (!labels) return { index, names };
  const seen = new Map<string, number>();
  for (let i = 0; i < rows; i++) {
    const raw = labels[i];
    const l = raw === undefined || raw === null ? "" : String(raw);
    let k = seen.get(l);
    if (k === undefined) {
      k = names.length;
      names.push(l);
      seen.set(l, k);
    }
    index[i] = k;
  }
  return { index, names };
}

/** The per-replication value of each measure, from raw sums (SKU) or accumulators (segment). */
function metricsFromSums(a: Float64Array, off: number, H: number, periods: number, out: Float64Array): void {
  const demand = a[off + R_DEMAND];
  const cycles = a[off + R_CYCLES];
  out[0] = demand > 0 ? a[off + R_SERVED] / demand : Number.NaN;
  out[1] = cycles > 0 ? a[off + R_OKCYCLES] / cycles : Number.NaN;
  out[2] = a[off + R_STOCKOUT] / periods;
  out[3] = a[off + R_ONHAND] / H;
  out[4] = a[off + A_VALUE] / H;
  out[5] = a[off + R_BACK] / H;
  out[6] = a[off + R_LOST] / H;
  out[7] = a[off + R_ORDERS] / H;
  out[8] = a[off + A_HOLD] / H;
  out[9] = a[off + A_ORDER] / H;
  out[10] = a[off + A_SHORT] / H;
  out[11] = (a[off + A_HOLD] + a[off + A_ORDER] + a[off + A_SHORT]) / H;
}

function emptySku(rows: number): Record<SimMetric, MetricColumns> {
  const out = {} as Record<SimMetric, MetricColumns>;
  for (const m of SIM_METRICS) out[m] = { mean: new Float64Array(rows).fill(Number.NaN), halfWidth: new Float64Array(rows).fill(Number.NaN) };
  return out;
}

const CHUNK = 32;

/**
 * Simulates every scenario on the same demand and lead-time draws (common random numbers). The
 * building block of simulatePolicies and compareScenarios; each scenario gets its own result.
 * A row with an input error is left out of every scenario; a row whose policy is bad in one
 * scenario is left out of that scenario only, or of all of them when `together` is set.
 */
export function simulateScenarioRuns(input: SimulationInput, runs: readonly ScenarioRun[], options: SimulationOptions = {}, together = false): SimulationResult[] {
  const rows = input.rows;
  const inp = compileInputs(input);
  const pols = runs.map((r) => compilePolicies(r.policy, rows, inp.initial));
  if (together) {
    // a row that one scenario cannot simulate is left out of all of them, so that they compare like with like
    for (let i = 0; i < rows; i++) {
      if (inp.errors.has(i)) continue;
      const k = pols.findIndex((p) => p.errors.has(i));
      if (k < 0) continue;
      const why = pols[k].errors.get(i)!;
      for (let j = 0; j < pols.length; j++) {
        if (j !== k && !pols[j].errors.has(i)) pols[j].errors.set(i, cellError(`left out of every scenario: scenario ${k + 1} cannot simulate it (${why.message})`, why.kind));
      }
    }
  }
  let longest = 0;
  for (let i = 0; i < rows; i++) {
    if (inp.errors.has(i)) continue;
    let rMax = 0;
    for (const p of pols) if (!p.errors.has(i) && p.R[i] > rMax) rMax = p.R[i];
    if (inp.ltMax[i] + rMax > longest) longest = inp.ltMax[i] + rMax;
  }
  const o = resolveOptions(options, longest);
  const { replications: N, horizon: H, warmUp } = o;
  const T = warmUp + H;

  const segs = runs.map((r) => segmentIndex(r.segment ?? input.segment, rows));
  const errorsOf = runs.map((_, k) => {
    const errors = new Map<number, CellError>();
    for (let i = 0; i < rows; i++) {
      const e = inp.errors.get(i) ?? pols[k].errors.get(i);
      if (e) errors.set(i, e);
    }
    return errors;
  });
  const skuOf = runs.map(() => emptySku(rows));
  // accumulators[k]: (segments + 1 for the total) x N x ACC
  const acc = runs.map((_, k) => new Float64Array((segs[k].names.length + 1) * N * ACC));
  const segSkus = runs.map((_, k) => new Int32Array(segs[k].names.length + 1));

  const demandRng = new Random();
  const ltRng = new Random();
  const demandBuf = new Float64Array(T);
  let maxLead = 0;
  for (let i = 0; i < rows; i++) if (inp.ltMax[i] > maxLead) maxLead = inp.ltMax[i];
  const pipe = new Float64Array(maxLead + 1);
  const raw = new Float64Array(RAW);
  const perRep = new Float64Array(NM);
  // Welford state (mean, M2, count) per scenario and measure, for the SKU in hand
  const welford = new Float64Array(runs.length * 3 * NM);
  const history = input.demand.kind === "history" ? input.demand.history : undefined;
  const histRow = new Float64Array(history ? history.periods : 0);
  const K = runs.length;
  const active = new Uint8Array(K);

  let aborted = false;
  for (let i = 0; i < rows; i++) {
    if (i % CHUNK === 0 && i > 0) {
      options.onProgress?.(i, rows);
      if (options.signal?.aborted) {
        aborted = true;
        break;
      }
    }
    if (inp.errors.has(i)) continue;
    let any = false;
    for (let k = 0; k < K; k++) {
      active[k] = errorsOf[k].has(i) ? 0 : 1;
      if (active[k]) any = true;
    }
    if (!any) continue;
    if (history) history.readRow(i, histRow);
    const dCode = inp.demandCode[i];
    const unit = inp.unitCost[i];
    const h = inp.hold[i];
    const kc = inp.order[i];
    const pc = inp.short[i];
    for (let k = 0; k < K; k++) {
      if (!active[k]) continue;
      const nSeg = segs[k].names.length;
      if (nSeg > 0) segSkus[k][segs[k].index[i]]++;
      segSkus[k][nSeg]++;
    }
    welford.fill(0);
    for (let r = 0; r < N; r++) {
      demandRng.seed(o.seed, i, r, 1);
      fillDemand(dCode, inp.demandMean[i], inp.demandSd[i], histRow, histRow.length, demandRng, demandBuf, T);
      for (let k = 0; k < K; k++) {
        if (!active[k]) continue;
        const p = pols[k];
        ltRng.seed(o.seed, i, r, 2);
        simulateOne(
          p.kind[i],
          p.s[i],
          p.q[i],
          p.S[i],
          p.R[i],
          p.il0[i],
          demandBuf,
          T,
          warmUp,
          o.lost,
          o.preventCrossing,
          inp.ltCode[i],
          inp.ltMean[i],
          inp.ltSd[i],
          inp.ltMax[i],
          inp.ltValues,
          inp.ltOffset[i],
          inp.ltCount[i],
          ltRng,
          pipe,
          raw,
        );
        // segment and total accumulators
        const hold = h * raw[R_ONHAND];
        const ord = kc * raw[R_ORDERS];
        const sh = pc * (o.lost ? raw[R_LOST] : raw[R_BACK]);
        const value = unit * raw[R_ONHAND];
        const nSeg = segs[k].names.length;
        if (nSeg > 0) accumulate(acc[k], (segs[k].index[i] * N + r) * ACC, raw, value, hold, ord, sh);
        accumulate(acc[k], (nSeg * N + r) * ACC, raw, value, hold, ord, sh);
        // SKU measures of this replication -> Welford
        const one = skuScratch;
        for (let j = 0; j < RAW; j++) one[j] = raw[j];
        one[A_VALUE] = value;
        one[A_HOLD] = hold;
        one[A_ORDER] = ord;
        one[A_SHORT] = sh;
        metricsFromSums(one, 0, H, H, perRep);
        const w = k * 3 * NM;
        for (let m = 0; m < NM; m++) {
          const x = perRep[m];
          if (x !== x) continue;
          const n = ++welford[w + 2 * NM + m];
          const dlt = x - welford[w + m];
          welford[w + m] += dlt / n;
          welford[w + NM + m] += dlt * (x - welford[w + m]);
        }
      }
    }
    for (let k = 0; k < K; k++) {
      if (!active[k]) continue;
      const w = k * 3 * NM;
      const sku = skuOf[k];
      for (let m = 0; m < NM; m++) {
        const n = welford[w + 2 * NM + m];
        const col = sku[SIM_METRICS[m]];
        col.mean[i] = n > 0 ? welford[w + m] : Number.NaN;
        col.halfWidth[i] = halfWidth95(n, welford[w + NM + m]);
      }
    }
  }
  if (!aborted) options.onProgress?.(rows, rows);

  return runs.map((_, k): SimulationResult => {
    const names = segs[k].names;
    const build = (g: number, label: string): SegmentSimulation => {
      const per = {} as Record<SimMetric, Float64Array>;
      for (const m of SIM_METRICS) per[m] = new Float64Array(N);
      const skus = segSkus[k][g];
      for (let r = 0; r < N; r++) {
        metricsFromSums(acc[k], (g * N + r) * ACC, H, skus * H, perRep);
        for (let m = 0; m < NM; m++) per[SIM_METRICS[m]][r] = skus > 0 ? perRep[m] : Number.NaN;
      }
      const metrics = {} as Record<SimMetric, Interval>;
      for (const m of SIM_METRICS) {
        const iv = meanInterval(per[m]);
        metrics[m] = { mean: iv.mean, halfWidth: iv.halfWidth };
      }
      return { segment: label, skus, metrics, perReplication: per };
    };
    return {
      rows,
      replications: N,
      horizon: H,
      warmUp,
      shortage: o.lost ? "lostSales" : "backorder",
      sku: skuOf[k],
      errors: errorsOf[k],
      segments: names.map((nm, g) => build(g, nm)),
      total: build(names.length, "all"),
      aborted,
    };
  });
}

const skuScratch = new Float64Array(ACC);

function accumulate(a: Float64Array, off: number, raw: Float64Array, value: number, hold: number, ord: number, sh: number): void {
  for (let j = 0; j < RAW; j++) a[off + j] += raw[j];
  a[off + A_VALUE] += value;
  a[off + A_HOLD] += hold;
  a[off + A_ORDER] += ord;
  a[off + A_SHORT] += sh;
}

/** Simulates one set of per-SKU policies. See the module comment for the model. */
export function simulatePolicies(input: SimulationInput, policy: PolicyColumns, options: SimulationOptions = {}): SimulationResult {
  return simulateScenarioRuns(input, [{ policy }], options)[0];
}
