/**
 * Optimal (s, S) policy for periodic review with a fixed cost per order and discrete demand:
 * Y.-S. Zheng and A. Federgruen (1991), "Finding optimal (s, S) policies is about as simple as
 * evaluating a single policy", Operations Research 39(4):654-665; as presented in Snyder & Shen
 * (2019) §4.6 (eqs. (4.71)-(4.75), Algorithm 4.2) and implemented by stockpyl (ss.py).
 *
 * Model: every period the inventory position x is reviewed; if x <= s an order brings it up to S
 * (fixed cost K per order, no cost per unit). Demand per period is i.i.d. on 0, 1, 2, ... (Poisson
 * or negative binomial, fitted by moments as in src/engine/distributions.ts). Holding cost h and
 * backorder (shortage) cost p per unit per period are charged on the net inventory at the end of a
 * period; with an integer lead time L the order placed now lands after L periods, so the expected
 * cost of a position y is G(y) = h E[(y - D)+] + p E[(D - y)+] with D the demand over L + 1
 * periods (src/engine/policy/newsvendor.ts newsvendorCost).
 * Long-run cost per period of (s, S) (renewal reward):
 *   c(s, S) = (K + sum_{j=0}^{S-s-1} m(j) G(S - j)) / M(S - s),
 *   m(0) = 1 / (1 - f(0)), m(j) = m(0) sum_{l=1}^{j} f(l) m(j - l), M(0) = 0, M(j) = M(j-1) + m(j-1),
 * f the one-period pmf. The algorithm finds the optimum by the bounds of Zheng & Federgruen:
 * s < y* <= S with y* the minimiser of G, and it evaluates c only O(S - s) times.
 * Levels are whole units. stockpyl's published Example 4.7 (h = 1, p = 4, K = 5, Poisson(6)) gives
 * s = 4, S = 10, cost 8.034111561471644, which the tests check, with Problem 4.31 and the
 * Zheng & Federgruen test instances.
 */
import { CellError, cellError } from "../errors";
import { distributionMass, NEGBIN, POISSON } from "../distributions";
import { newsvendorCost, newsvendorLevel } from "./newsvendor";

export interface SSInput {
  /** Holding cost per unit per period (money), > 0. */
  holdingCost: number;
  /** Backorder cost per unit short per period (money), > 0. */
  shortageCost: number;
  /** Fixed cost per order (money), > 0. */
  fixedCost: number;
  /** Mean demand per period (units), > 0. */
  demandMean: number;
  /** Variance of demand per period; above the mean gives the negative binomial, else Poisson. Default: the mean (Poisson). */
  demandVariance?: number;
  /** Whole periods between ordering and receipt, >= 0; default 0. */
  leadTime?: number;
}

export interface SSResult {
  /** Order when the position is at or below s. */
  reorderPoint: number;
  /** Order up to S. */
  orderUpToLevel: number;
  /** Expected cost per period of the policy (money). */
  cost: number;
  /** "poisson" or "negbin": the one-period demand used. */
  distribution: "poisson" | "negbin";
}

const MAX_SPAN = 200_000;

/** The model's cached pieces: one-period pmf f, renewal m and M, and G by position. */
class SSModel {
  private readonly code: number;
  private readonly f: number[] = [];
  private readonly m: number[] = [];
  private readonly bigM: number[] = [0];
  private readonly g = new Map<number, number>();
  private readonly leadMean: number;
  private readonly leadVariance: number;

  constructor(
    private readonly p: Required<SSInput>,
    readonly distribution: "poisson" | "negbin",
  ) {
    this.code = distribution === "negbin" ? NEGBIN : POISSON;
    const periods = p.leadTime + 1; // the sum of L + 1 i.i.d. periods: same family, moments times L + 1
    this.leadMean = p.demandMean * periods;
    this.leadVariance = (distribution === "negbin" ? p.demandVariance : p.demandMean) * periods;
  }

  pmf(j: number): number {
    while (this.f.length <= j) {
      const k = this.f.length;
      this.f.push(distributionMass(this.code, this.p.demandMean, this.distribution === "negbin" ? this.p.demandVariance : this.p.demandMean, k));
    }
    return this.f[j];
  }

  /** m(j), the expected number of periods the position spends j units below S. */
  renewal(j: number): number {
    while (this.m.length <= j) {
      const k = this.m.length;
      const m0 = k === 0 ? 1 / (1 - this.pmf(0)) : this.m[0];
      if (k === 0) this.m.push(m0);
      else {
        let sum = 0;
        for (let l = 1; l <= k; l++) sum += this.pmf(l) * this.m[k - l];
        this.m.push(m0 * sum);
      }
    }
    return this.m[j];
  }

  cumulative(j: number): number {
    while (this.bigM.length <= j) {
      const k = this.bigM.length;
      this.bigM.push(this.bigM[k - 1] + this.renewal(k - 1));
    }
    return this.bigM[j];
  }

  G(y: number): number {
    let v = this.g.get(y);
    if (v === undefined) {
      v = newsvendorCost(this.code, this.leadMean, this.leadVariance, y, this.p.holdingCost, this.p.shortageCost);
      this.g.set(y, v);
    }
    return v;
  }

  /** Minimiser of G: the critical-ratio quantile of the L + 1 period demand. */
  yStar(): number {
    return newsvendorLevel(this.code, this.leadMean, this.leadVariance, this.p.holdingCost, this.p.shortageCost);
  }

  cost(s: number, S: number): number {
    const span = S - s;
    let sum = this.p.fixedCost;
    for (let j = 0; j < span; j++) sum += this.renewal(j) * this.G(S - j);
    return sum / this.cumulative(span);
  }
}

function check(p: SSInput): { input: Required<SSInput>; distribution: "poisson" | "negbin" } | CellError {
  const pos = (field: string, x: number) => (typeof x === "number" && x > 0 && x < Infinity ? null : cellError(`${field} must be a number > 0, got ${String(x)}`));
  const bad = pos("holdingCost", p.holdingCost) ?? pos("shortageCost", p.shortageCost) ?? pos("fixedCost", p.fixedCost) ?? pos("demandMean", p.demandMean);
  if (bad) return bad;
  const variance = p.demandVariance ?? p.demandMean;
  if (!(variance >= 0 && variance < Infinity)) return cellError(`demandVariance must be a number >= 0, got ${String(p.demandVariance)}`);
  const leadTime = p.leadTime ?? 0;
  if (!(Number.isInteger(leadTime) && leadTime >= 0)) return cellError(`leadTime must be a whole number of periods >= 0 for the (s, S) model, got ${String(p.leadTime)}`);
  const distribution = variance > p.demandMean * (1 + 1e-12) ? "negbin" : "poisson";
  return { input: { ...p, demandVariance: variance, leadTime }, distribution };
}

/** Expected cost per period of a given (s, S), s < S whole units (stockpyl s_s_cost_discrete). */
export function sSCost(reorderPoint: number, orderUpToLevel: number, p: SSInput): number | CellError {
  const c = check(p);
  if ("kind" in c) return c;
  if (!(Number.isInteger(reorderPoint) && Number.isInteger(orderUpToLevel) && orderUpToLevel > reorderPoint)) {
    return cellError(`reorderPoint and orderUpToLevel must be whole units with reorderPoint < orderUpToLevel, got ${reorderPoint} and ${orderUpToLevel}`);
  }
  if (orderUpToLevel - reorderPoint > MAX_SPAN) return cellError(`orderUpToLevel - reorderPoint must be at most ${MAX_SPAN} units`);
  return new SSModel(c.input, c.distribution).cost(reorderPoint, orderUpToLevel);
}

/** The optimal (s, S) and its cost (Zheng & Federgruen 1991; see the module comment). */
export function optimalSS(p: SSInput): SSResult | CellError {
  const c = check(p);
  if ("kind" in c) return c;
  const model = new SSModel(c.input, c.distribution);
  if (!(model.pmf(0) < 1)) return cellError("demand per period is almost surely 0: no (s, S) policy is needed", "na");
  const y = model.yStar();
  // 1. s(y*): lower s until the policy (s, y*) costs no more than G(s).
  let S0 = y;
  let s = y;
  for (let guard = 0; ; guard++) {
    if (guard > MAX_SPAN) return cellError("no (s, S) found within the search range; check the cost magnitudes", "na");
    s -= 1;
    if (model.cost(s, S0) <= model.G(s)) break;
  }
  let c0 = model.cost(s, S0);
  // 2. raise S while G(S) <= c0; on each improvement, raise s as far as it still pays.
  for (let S = S0 + 1, guard = 0; model.G(S) <= c0; S++, guard++) {
    if (guard > MAX_SPAN) return cellError("no (s, S) found within the search range; check the cost magnitudes", "na");
    if (model.cost(s, S) < c0) {
      S0 = S;
      while (model.cost(s, S0) <= model.G(s + 1)) s += 1;
      c0 = model.cost(s, S0);
    }
  }
  return { reorderPoint: s, orderUpToLevel: S0, cost: c0, distribution: model.distribution };
}
