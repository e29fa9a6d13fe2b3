/**
 * Level searches for the discrete families (Poisson, negative binomial) by walking the integers
 * with the probability recurrences, O(1) a step, from a good start (the batch path: most rows
 * need 0 to 3 steps).
 *
 * At an integer j a probe holds sf = P(X > j), f = P(X = j) and the loss n = E[(X - j)+]; moving
 * one unit uses f(j + 1) = f(j) rho(j), rho the mass ratio (Poisson m / (j + 1); negative binomial
 * (j + r) q / (j + 1)), sf(j + 1) = sf(j) - f(j + 1), n(j + 1) = n(j) - sf(j), and the same
 * backwards. The start is evaluated on the exact tails (src/engine/distributions.ts); walks are
 * short, so the recurrences add no more than a few ulps; a walk longer than MAX_WALK falls back to
 * the exact doubling-and-bisection search.
 * The service measures are those of src/engine/policy/levels.ts (same formulas, same answers).
 */
import { distributionMass, distributionTails, type IntegerTest, NEGBIN, smallestInteger } from "../distributions";
import type { Tails } from "../special";

const MAX_WALK = 256;
const tails: Tails = { lower: 0, upper: 0 };

/** One distribution, walked along the integers. */
export class DiscreteProbe {
  code = 0;
  m = 0;
  v = 0;
  private negbin = false;
  private r = 0;
  private q = 0;
  j = 0;
  sf = 1;
  f = 0;
  n = 0;

  init(code: number, m: number, v: number): void {
    this.code = code;
    this.m = m;
    this.v = v;
    this.negbin = code === NEGBIN && v > m * (1 + 1e-12);
    if (this.negbin) {
      this.q = (v - m) / v;
      this.r = (m * m) / (v - m);
    }
  }

  /** f(j + 1) / f(j). */
  private rho(j: number): number {
    return this.negbin ? ((j + this.r) * this.q) / (j + 1) : this.m / (j + 1);
  }

  /** Exact state at j. */
  setAt(j: number): void {
    this.j = j;
    if (j < 0 || this.m === 0) {
      this.sf = j < 0 ? 1 : 0;
      this.f = j === 0 ? 1 : 0;
      this.n = Math.max(this.m - j, 0);
      return;
    }
    this.sf = distributionTails(this.code, this.m, this.v, j, tails).upper;
    this.f = distributionMass(this.code, this.m, this.v, j);
    const c = this.negbin ? (j + this.r) * (this.q / (1 - this.q)) : this.m; // (j + r) q / p, or m
    this.n = Math.max(0, (this.m - j) * this.sf + c * this.f);
  }

  up(): void {
    const j = this.j;
    if (j < 0 || this.m === 0) {
      this.setAt(j + 1);
      return;
    }
    this.n -= this.sf;
    this.f *= this.rho(j);
    this.sf -= this.f;
    this.j = j + 1;
    if (this.sf < 0 || this.n < 0) this.setAt(j + 1);
  }

  down(): void {
    const j = this.j;
    if (j <= 0 || this.m === 0) {
      this.setAt(j - 1);
      return;
    }
    this.sf += this.f;
    const rho = this.rho(j - 1);
    this.f = rho > 0 ? this.f / rho : 0;
    this.j = j - 1;
    this.n += this.sf;
    if (!Number.isFinite(this.f) || this.sf > 1) this.setAt(j - 1);
  }

  /** E[(X - (j + phi))+] for 0 <= phi < 1 (the loss is linear between integers). */
  lossAt(phi: number): number {
    return phi === 0 ? this.n : Math.max(0, this.n - phi * this.sf);
  }
}

/** The level k with both probes: the interval demand at k, and (s, Q) the same at k + Q or (R, S) the lead time's at k. */
export class DiscreteWalker implements IntegerTest {
  readonly a = new DiscreteProbe();
  readonly b = new DiscreteProbe();
  private periodic = false;
  private orderQty = 0;
  private phi = 0;
  /** Demand per cycle (Q, or d R). */
  perCycle = 0;
  k = 0;
  /** What ok() tests: 0 quantile (P(X <= k) >= target), 1 fill rate >= target. */
  mode = 0;
  target = 0;

  init(code: number, mean: number, variance: number, leadMean: number, leadVariance: number, reviewPeriod: number, demandMean: number, orderQty: number): void {
    this.periodic = reviewPeriod > 0;
    this.a.init(code, mean, variance);
    if (this.periodic) {
      this.b.init(code, leadMean, leadVariance);
      this.perCycle = demandMean * reviewPeriod;
      this.orderQty = 0;
      this.phi = 0;
    } else {
      this.b.init(code, mean, variance);
      this.perCycle = orderQty > 0 ? orderQty : Number.NaN;
      this.orderQty = orderQty > 0 ? orderQty : 0;
      this.phi = this.orderQty - Math.floor(this.orderQty);
    }
  }

  setAt(k: number): void {
    this.k = k;
    this.a.setAt(k);
    this.b.setAt(this.periodic ? k : k + Math.floor(this.orderQty));
  }

  up(): void {
    this.k++;
    this.a.up();
    this.b.up();
  }

  down(): void {
    this.k--;
    this.a.down();
    this.b.down();
  }

  /** Expected units short per cycle at the current level. */
  short(): number {
    return Math.max(0, this.a.n - (this.periodic ? this.b.n : this.b.lossAt(this.phi)));
  }

  fill(): number {
    const q = this.perCycle;
    if (!(q > 0)) return Number.NaN;
    const f = 1 - this.short() / q;
    return f < 0 ? 0 : f > 1 ? 1 : f;
  }

  /** P(X <= k). */
  csl(): number {
    return 1 - this.a.sf;
  }

  /** The current level passes the test (mode, target). */
  here(): boolean {
    if (this.mode === 0) return this.target > 0.5 ? this.a.sf <= 1 - this.target : 1 - this.a.sf >= this.target;
    return this.fill() >= this.target;
  }

  /** IntegerTest for the exact fallback: evaluates at k directly. */
  ok(k: number): boolean {
    this.setAt(k);
    return this.here();
  }

  /**
   * Moves to the smallest level >= lowest that passes the test, walking from `start`; leaves the
   * walker there (so csl(), fill() and short() describe the answer) and returns it.
   */
  solve(start: number, lowest: number): number {
    let k = Math.max(lowest, start);
    this.setAt(k);
    let steps = 0;
    if (this.here()) {
      while (k > lowest && steps < MAX_WALK) {
        this.down();
        k--;
        steps++;
        if (!this.here()) {
          this.up();
          return k + 1;
        }
      }
      if (k === lowest) return k;
    } else {
      while (steps < MAX_WALK) {
        this.up();
        k++;
        steps++;
        if (this.here()) return k;
      }
    }
    // long walk: the exact search, then the state at its answer
    const found = smallestInteger(k, this, lowest);
    this.setAt(found);
    return found;
  }
}

