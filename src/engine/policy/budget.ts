/**
 * Cost-constrained safety stocks: given an inventory budget (in total, or per segment), allocate
 * safety stock across SKUs to maximise the expected units filled, by greedy marginal analysis on
 * each SKU's fill-rate curve with a max-heap (Fox 1966, "Discrete optimization via marginal
 * analysis"; Silver, Pyke & Thomas 2017 ch. 6 on exchange curves, where the same trade-off of
 * safety-stock value against service is drawn for a whole population of items).
 *
 * Model (per SKU, the same forms as src/engine/policy/levels.ts):
 * - the level x is the reorder point s ((s, Q)) or order-up-to level S ((R, S)); its safety stock
 *   is x - m (m the mean demand over the protection interval) and costs unitCost x (x - m);
 * - expected units short per period: (s, Q): (d / Q) (n(x) - n(x + Q)); (R, S):
 *   (n_{R+L}(x) - n_L(x)) / R. Units filled per period = d - short; fill rate = 1 - short / d.
 * - x starts at the base level: the whole unit at or above m + max(floor, 0) (no negative safety
 *   stock; floors for critical spares and regulatory stock count first), and rises in steps of
 *   `step` units (default 1 for the Poisson and negative binomial; for the normal and gamma
 *   max(1, round(sd / 16)), sd over the interval, so a +3 sd safety stock is about 50 steps).
 *   Order quantities of discrete-demand SKUs are taken to whole units.
 * - Protected SKUs (critical spares, regulatory stock) are excluded from cuts: they are held at
 *   their target level (targetLevel, at least the base) and paid for first.
 * - The budget must cover the base levels and the protected SKUs of its pool; if not, an
 *   ArgumentError("budget") names the pool and the amount needed.
 * Algorithm: every SKU's next step, worth (reduction in units short per period) / (its cost), sits
 * in one max-heap; the best step is bought if its pool's remaining budget covers it (else the SKU
 * drops out of that pool and cheaper steps of other SKUs may still fit), and the SKU's following
 * step goes back in. With non-increasing step gains (concave fill-rate curves) this is optimal
 * for the amount it spends (Fox 1966). From the base up the gains of (s, Q) are non-increasing for
 * every unimodal distribution (the base is above the mode); for (R, S) they almost always are; the
 * result counts the steps where a gain rose (nonConcaveSteps) so the exception is visible.
 * Marginal value of budget: the value of the best step not bought (expected units filled per
 * period per unit of money); 0 when every SKU reached fill rate 1 (to 1e-10).
 * Discrete steps are evaluated with the probability recurrences (O(1) a step, re-anchored on the
 * exact tails every 64 steps); continuous ones with two loss evaluations a step.
 */
import { ArgumentError, CellError, cellError } from "../errors";
import { distributionLoss, distributionMass, distributionTails, isDiscreteFamily, NEGBIN } from "../distributions";
import type { Tails } from "../special";
import { wholeUp, type IntervalDemandColumns } from "./levels";

export interface BudgetInput {
  rows: number;
  /** Demand over the protection interval per SKU (levels.ts intervalDemandColumns). */
  demand: IntervalDemandColumns;
  /** Order quantity Q (units, > 0) for (s, Q) SKUs; not used for (R, S). */
  orderQty: ArrayLike<number>;
  /** Money per unit, > 0. */
  unitCost: ArrayLike<number>;
  segment: ArrayLike<string>;
  /** Minimum safety stock (units); NaN = 0. */
  floor?: ArrayLike<number>;
  /** 1 = protected (held at targetLevel, never cut). */
  protectedSku?: ArrayLike<number>;
  /** The policy's level for protected SKUs (units); NaN = the base level. */
  targetLevel?: ArrayLike<number>;
  /** Units per step; NaN = the default. */
  step?: ArrayLike<number>;
}

export interface BudgetOptions {
  onProgress?: (done: number, total: number) => void;
  signal?: { aborted: boolean };
}

export interface PoolResult {
  /** The segment, or "" for the one total pool. */
  pool: string;
  budget: number;
  spent: number;
  skus: number;
  /** Demand-weighted fill rate of the pool's SKUs: sum d fill / sum d. */
  fillRate: number;
  unitsShortPerPeriod: number;
  /**
   * The spend up to the first step skipped for lack of budget (all of it when none was): the
   * allocation is provably optimal for this amount (Fox 1966); what follows fills the rest of the
   * budget with cheaper steps (a knapsack tail, good but not provably optimal).
   */
  optimalUpTo: number;
  /** Expected units filled per period that one more unit of money would buy, and the same in fill-rate points of the pool. */
  marginalUnitsPerMoney: number;
  marginalFillRatePerMoney: number;
}

export interface BudgetResult {
  /** Level (reorder point or order-up-to level) per SKU; NaN for failed rows. */
  reorderPoint: Float64Array;
  safetyStock: Float64Array;
  investment: Float64Array;
  fillRate: Float64Array;
  /** Per segment (always), and per budget pool. */
  segments: PoolResult[];
  pools: PoolResult[];
  steps: number;
  nonConcaveSteps: number;
  errors: Map<number, CellError>;
}

function abortError(): Error {
  const e = new Error("The budget allocation was cancelled.");
  e.name = "AbortError";
  return e;
}

/** Max-heap of SKU indices by priority (one entry per SKU at a time). */
class Heap {
  private readonly items: Int32Array;
  private size = 0;
  constructor(
    capacity: number,
    private readonly key: Float64Array,
  ) {
    this.items = new Int32Array(Math.max(1, capacity));
  }
  get length(): number {
    return this.size;
  }
  push(i: number): void {
    const a = this.items;
    const k = this.key;
    let j = this.size++;
    const ki = k[i];
    while (j > 0) {
      const parent = (j - 1) >> 1;
      if (k[a[parent]] >= ki) break;
      a[j] = a[parent];
      j = parent;
    }
    a[j] = i;
  }
  pop(): number {
    const a = this.items;
    const k = this.key;
    const top = a[0];
    const last = a[--this.size];
    const n = this.size;
    const kl = k[last];
    let j = 0;
    for (;;) {
      let c = 2 * j + 1;
      if (c >= n) break;
      if (c + 1 < n && k[a[c + 1]] > k[a[c]]) c++;
      if (k[a[c]] <= kl) break;
      a[j] = a[c];
      j = c;
    }
    if (n > 0) a[j] = last;
    return top;
  }
}

const tails: Tails = { lower: 0, upper: 0 };

/**
 * Allocates the budget (see the module comment). `budget` is one total, or a budget per segment
 * (every segment present needs an entry).
 */
export function allocateBudget(c: BudgetInput, budget: number | Readonly<Record<string, number>>, options: BudgetOptions = {}): BudgetResult {
  const n = c.rows;
  const d = c.demand;
  const res: BudgetResult = {
    reorderPoint: new Float64Array(n).fill(Number.NaN),
    safetyStock: new Float64Array(n).fill(Number.NaN),
    investment: new Float64Array(n).fill(Number.NaN),
    fillRate: new Float64Array(n).fill(Number.NaN),
    segments: [],
    pools: [],
    steps: 0,
    nonConcaveSteps: 0,
    errors: new Map(),
  };
  // pools
  const perSegment = typeof budget !== "number";
  if (!perSegment && !(budget >= 0 && budget < Infinity)) throw new ArgumentError("budget", `must be a number >= 0, got ${String(budget)}`);
  const poolNames: string[] = [];
  const poolOf = new Int32Array(n).fill(-1);
  const poolIndex = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const name = perSegment ? c.segment[i] : "";
    let p = poolIndex.get(name);
    if (p === undefined) {
      p = poolNames.length;
      poolIndex.set(name, p);
      poolNames.push(name);
    }
    poolOf[i] = p;
  }
  const poolBudget = new Float64Array(poolNames.length);
  for (let p = 0; p < poolNames.length; p++) {
    const b = perSegment ? (budget as Record<string, number>)[poolNames[p]] : (budget as number);
    if (b === undefined) throw new ArgumentError("budget", `no budget given for segment ${poolNames[p]}`);
    if (!(typeof b === "number" && b >= 0 && b < Infinity)) throw new ArgumentError("budget", `the budget of segment ${poolNames[p]} must be a number >= 0, got ${String(b)}`);
    poolBudget[p] = b;
  }
  // per-SKU state
  const level = res.reorderPoint;
  const stepOf = new Float64Array(n);
  const weight = new Float64Array(n); // d / Q or 1 / R
  const offset = new Float64Array(n); // Q for (s, Q), 0 for (R, S)
  const gain = new Float64Array(n);
  const key = new Float64Array(n);
  const cost = new Float64Array(n);
  const committed = new Float64Array(poolNames.length);
  const active = new Uint8Array(n);
  // discrete recurrence state: tails above the level and the masses at level + 1
  const sf1 = new Float64Array(n);
  const f1 = new Float64Array(n);
  const sf2 = new Float64Array(n);
  const f2 = new Float64Array(n);
  const sinceSync = new Int32Array(n);
  const useRecurrence = new Uint8Array(n);

  const m2 = (i: number) => (d.reviewPeriod[i] > 0 ? d.leadMean[i] : d.mean[i]);
  const v2 = (i: number) => (d.reviewPeriod[i] > 0 ? d.leadVariance[i] : d.variance[i]);
  const shortAt = (i: number, x: number) => weight[i] * (distributionLoss(d.code[i], d.mean[i], d.variance[i], x) - distributionLoss(d.code[i], m2(i), v2(i), x + offset[i]));
  const sync = (i: number) => {
    const x = level[i];
    const code = d.code[i];
    sf1[i] = distributionTails(code, d.mean[i], d.variance[i], x, tails).upper;
    f1[i] = distributionMass(code, d.mean[i], d.variance[i], x + 1);
    const y = x + offset[i];
    sf2[i] = distributionTails(code, m2(i), v2(i), y, tails).upper;
    f2[i] = distributionMass(code, m2(i), v2(i), y + 1);
    sinceSync[i] = 0;
  };
  /** f(k + 1) / f(k) for the family of row i, distribution (m, v). */
  const ratio = (i: number, m: number, v: number, k: number) => {
    if (d.code[i] === NEGBIN && v > m * (1 + 1e-12)) {
      const q = (v - m) / v;
      const r = (m * m) / (v - m);
      return ((k + r) * q) / (k + 1);
    }
    return m / (k + 1);
  };
  /** Gain of the next step from the current level (and, for recurrences, state ready at level). */
  const nextGain = (i: number) => {
    if (useRecurrence[i]) return weight[i] * (sf1[i] - sf2[i]);
    const x = level[i];
    return shortAt(i, x) - shortAt(i, x + stepOf[i]);
  };
  /** Moves row i one step up (recurrence state follows). */
  const advance = (i: number) => {
    if (useRecurrence[i]) {
      const x = level[i];
      // P(X > x + 1) = P(X > x) - P(X = x + 1); P(X = x + 2) = P(X = x + 1) * ratio(x + 1)
      sf1[i] -= f1[i];
      f1[i] *= ratio(i, d.mean[i], d.variance[i], x + 1);
      const y = x + offset[i];
      sf2[i] -= f2[i];
      f2[i] *= ratio(i, m2(i), v2(i), y + 1);
      level[i] = x + 1;
      if (++sinceSync[i] >= 64 || sf1[i] < 0 || sf2[i] < 0) sync(i);
    } else level[i] += stepOf[i];
  };

  for (let i = 0; i < n; i++) {
    if (d.code[i] < 0) {
      res.errors.set(i, d.errors.get(i) ?? cellError("no demand distribution for this row"));
      poolOf[i] = -1;
      continue;
    }
    const uc = c.unitCost[i];
    if (!(typeof uc === "number" && uc > 0 && uc < Infinity)) {
      res.errors.set(i, cellError(`unitCost must be a number > 0, got ${String(uc)}`));
      poolOf[i] = -1;
      continue;
    }
    const periodic = d.reviewPeriod[i] > 0;
    const discrete = isDiscreteFamily(d.code[i]);
    let q = c.orderQty[i];
    if (!periodic) {
      if (!(q > 0 && q < Infinity)) {
        res.errors.set(i, cellError(`orderQty must be a number > 0 for continuous review, got ${String(q)}`));
        poolOf[i] = -1;
        continue;
      }
      if (discrete) q = Math.max(1, Math.round(q));
    }
    weight[i] = periodic ? 1 / d.reviewPeriod[i] : d.demandMean[i] / q;
    offset[i] = periodic ? 0 : q;
    const fl = c.floor ? c.floor[i] : Number.NaN;
    if (fl === fl && !(fl >= 0 && fl < Infinity)) {
      res.errors.set(i, cellError(`floor must be a number >= 0, got ${fl}`));
      poolOf[i] = -1;
      continue;
    }
    const base = wholeUp(d.mean[i] + (fl === fl ? fl : 0));
    let x = base;
    const prot = c.protectedSku ? c.protectedSku[i] === 1 : false;
    if (prot) {
      const t = c.targetLevel ? c.targetLevel[i] : Number.NaN;
      if (t === t) x = Math.max(base, wholeUp(t));
    }
    level[i] = x;
    committed[poolOf[i]] += uc * (x - d.mean[i]);
    const st = c.step ? c.step[i] : Number.NaN;
    stepOf[i] = st === st && st > 0 ? st : discrete ? 1 : Math.max(1, Math.round(Math.sqrt(d.variance[i]) / 16));
    cost[i] = uc * stepOf[i];
    active[i] = !prot && d.demandMean[i] > 0 ? 1 : 0;
    useRecurrence[i] = discrete && stepOf[i] === 1 ? 1 : 0;
  }
  for (let p = 0; p < poolNames.length; p++) {
    if (committed[p] > poolBudget[p] * (1 + 1e-12) + 1e-9) {
      const what = perSegment ? `the budget of segment ${poolNames[p]} (${poolBudget[p]})` : `the budget (${poolBudget[p]})`;
      throw new ArgumentError("budget", `${what} is below the floors: the floors, the protected SKUs and whole-unit base levels need ${Math.ceil(committed[p] * 100) / 100}`);
    }
  }
  const remaining = Float64Array.from(poolBudget, (b, p) => b - committed[p]);
  const heap = new Heap(n, key);
  for (let i = 0; i < n; i++) {
    if (!active[i]) continue;
    if (useRecurrence[i]) sync(i);
    const g = nextGain(i);
    gain[i] = g;
    if (!(g > 1e-10 * d.demandMean[i])) continue;
    key[i] = g / cost[i];
    heap.push(i);
  }
  const marginal = new Float64Array(poolNames.length);
  const rejected = new Uint8Array(poolNames.length);
  const spentInOrder = Float64Array.from(committed);
  const totalBudget = poolBudget.reduce((a, b) => a + b, 0);
  let spent = committed.reduce((a, b) => a + b, 0);
  let pops = 0;
  while (heap.length > 0) {
    if ((pops++ & 0x3fff) === 0) {
      if (options.signal?.aborted) throw abortError();
      options.onProgress?.(Math.min(spent, totalBudget), totalBudget);
    }
    const i = heap.pop();
    const p = poolOf[i];
    if (remaining[p] < cost[i] * (1 - 1e-12)) {
      if (!rejected[p]) {
        rejected[p] = 1;
        marginal[p] = key[i];
      }
      continue;
    }
    remaining[p] -= cost[i];
    spent += cost[i];
    if (!rejected[p]) spentInOrder[p] += cost[i];
    const g = gain[i];
    advance(i);
    res.steps++;
    const next = nextGain(i);
    if (next > g * (1 + 1e-9) + 1e-15) res.nonConcaveSteps++;
    gain[i] = next;
    if (!(next > 1e-10 * d.demandMean[i])) continue;
    key[i] = next / cost[i];
    heap.push(i);
  }
  options.onProgress?.(totalBudget, totalBudget);
  // results
  const demandSum = new Float64Array(poolNames.length);
  const filledSum = new Float64Array(poolNames.length);
  const spentPool = new Float64Array(poolNames.length);
  const count = new Int32Array(poolNames.length);
  const segNames: string[] = [];
  const segIndex = new Map<string, number>();
  const segOf = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    if (poolOf[i] < 0) continue;
    let s = segIndex.get(c.segment[i]);
    if (s === undefined) {
      s = segNames.length;
      segIndex.set(c.segment[i], s);
      segNames.push(c.segment[i]);
    }
    segOf[i] = s;
  }
  const segDemand = new Float64Array(segNames.length);
  const segFilled = new Float64Array(segNames.length);
  const segSpent = new Float64Array(segNames.length);
  const segCount = new Int32Array(segNames.length);
  for (let i = 0; i < n; i++) {
    const p = poolOf[i];
    if (p < 0) continue;
    const x = level[i];
    const dm = d.demandMean[i];
    const short = dm > 0 ? Math.max(0, shortAt(i, x)) : 0;
    res.safetyStock[i] = x - d.mean[i];
    res.investment[i] = c.unitCost[i] * (x - d.mean[i]);
    res.fillRate[i] = dm > 0 ? Math.min(1, Math.max(0, 1 - short / dm)) : Number.NaN;
    demandSum[p] += dm;
    filledSum[p] += dm - short;
    spentPool[p] += res.investment[i];
    count[p]++;
    const s = segOf[i];
    segDemand[s] += dm;
    segFilled[s] += dm - short;
    segSpent[s] += res.investment[i];
    segCount[s]++;
  }
  for (let p = 0; p < poolNames.length; p++) {
    res.pools.push({
      pool: poolNames[p],
      budget: poolBudget[p],
      spent: spentPool[p],
      optimalUpTo: spentInOrder[p],
      skus: count[p],
      fillRate: demandSum[p] > 0 ? filledSum[p] / demandSum[p] : Number.NaN,
      unitsShortPerPeriod: demandSum[p] - filledSum[p],
      marginalUnitsPerMoney: marginal[p],
      marginalFillRatePerMoney: demandSum[p] > 0 ? marginal[p] / demandSum[p] : Number.NaN,
    });
  }
  for (let s = 0; s < segNames.length; s++) {
    const p = perSegment ? (poolIndex.get(segNames[s]) as number) : 0;
    res.segments.push({
      pool: segNames[s],
      budget: perSegment ? poolBudget[p] : Number.NaN,
      spent: segSpent[s],
      optimalUpTo: perSegment ? spentInOrder[p] : Number.NaN,
      skus: segCount[s],
      fillRate: segDemand[s] > 0 ? segFilled[s] / segDemand[s] : Number.NaN,
      unitsShortPerPeriod: segDemand[s] - segFilled[s],
      marginalUnitsPerMoney: marginal[p],
      marginalFillRatePerMoney: segDemand[s] > 0 ? marginal[p] / segDemand[s] : Number.NaN,
    });
  }
  return res;
}
