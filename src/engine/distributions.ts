/**
 * Demand distributions over a protection interval (lead time L, or review period plus lead time
 * R + L): normal, Poisson, negative binomial and gamma, each fitted to a mean and a variance, and
 * what the policies need from them: both tails of the distribution function, the probability
 * mass, quantiles (reorder points) and the loss function E[(X - x)+] (expected units short).
 *
 * Conventions:
 * - A distribution is (family code, mean m, variance v) in units over the interval. The moments
 *   come from the per-period demand as in src/engine/inventory.ts demandSdOverProtection:
 *   m = d (L + R), v = (L + R) sd_d^2 + d^2 sd_L^2.
 * - Fitting is by moments (as inventorize's reorderpoint_leadtime_variability does; Silver, Pyke &
 *   Thomas 2017 ch. 6 on choosing a lead-time demand distribution, Axsäter 2015 ch. 5):
 *   normal N(m, v); Poisson with mean m (its variance is m: the given sd is not used);
 *   negative binomial with p = m / v and r = m^2 / (v - m) (scipy's nbinom(r, p): failures before
 *   the r-th success, mean r(1 - p)/p = m, variance m/p = v), which needs v > m; gamma with shape
 *   m^2 / v and scale v / m.
 * - Negative binomial with v <= m does not exist: the Poisson (v = m, its limit as r grows) is used
 *   instead and said (NOTE_NEGBIN_TO_POISSON). inventorize instead inflates the sd to 1.05 sqrt(m)
 *   silently; we do not.
 * - Degenerate cases: m = 0 is all mass at 0 (every family); v = 0 with the normal or gamma is all
 *   mass at m.
 * - Discrete families live on the integers 0, 1, 2, ...: P(X <= x) = P(X <= floor(x)); the loss at
 *   a real x interpolates linearly between integers (exact: E[(X - x)+] is piecewise linear).
 * - Quantile: the smallest x with P(X <= x) >= p (an integer for the discrete families), the same
 *   rule as scipy's ppf and R's qpois/qnbinom.
 * Accuracy (checked against scipy, test/fixtures/gen_policy_distributions.py): tails, masses and
 * losses to a relative 1e-10 or better, quantiles exact.
 */
import { isCellError, type CellError, cellError } from "./errors";
import { normalCdf, normalLoss, normalPdf, normalQuantile, normalUpperTail, zFromServiceLevel } from "./stats";
import { binomialDensity, incompleteBeta, incompleteGamma, incompleteGammaInverse, poissonDensity, type Tails } from "./special";

export const DISTRIBUTION_NAMES = ["normal", "poisson", "negbin", "gamma"] as const;
export type DistributionName = (typeof DISTRIBUTION_NAMES)[number];
/** A family, or "auto": chosen from the demand pattern (or, without one, from the mean). */
export type DistributionChoice = DistributionName | "auto";

/** Family codes for the columnar paths (index into DISTRIBUTION_NAMES). */
export const NORMAL = 0;
export const POISSON = 1;
export const NEGBIN = 2;
export const GAMMA = 3;

/** Note codes (per row in the columnar paths); 0 = nothing to say. */
export const NOTE_NONE = 0;
export const NOTE_NEGBIN_TO_POISSON = 1;
export const NOTE_MESSAGES = ["", "variance <= mean over the protection interval, so no negative binomial exists: Poisson used"] as const;

/**
 * "auto" without a demand pattern: a discrete distribution when the mean demand over the
 * protection interval is below this many units, the normal otherwise. Our rule of thumb, not a
 * standard: below about 10 units the normal misplaces reorder points by whole units and puts
 * weight on negative demand (Silver, Pyke & Thomas 2017 ch. 7 use the Poisson for such slow
 * movers).
 */
export const AUTO_DISCRETE_BELOW = 10;

/** Pattern codes as in src/engine/pattern.ts PATTERN_LABELS. */
const SMOOTH = 0;
const ERRATIC = 1;

const NAME_ALIASES: Record<string, DistributionChoice> = {
  normal: "normal",
  norm: "normal",
  poisson: "poisson",
  pois: "poisson",
  negbin: "negbin",
  nbinom: "negbin",
  nb: "negbin",
  "negative binomial": "negbin",
  negativebinomial: "negbin",
  "neg binomial": "negbin",
  gamma: "gamma",
  auto: "auto",
};

/**
 * Reads a distribution argument (a cell): a name in any case ("normal", "poisson", "negbin" or
 * "nbinom" or "negative binomial", "gamma", "auto"); blank means "normal" (the behaviour before
 * the argument existed).
 */
export function parseDistribution(cell: unknown): DistributionChoice | CellError {
  if (cell === null || cell === undefined || cell === "") return "normal";
  if (typeof cell !== "string") return cellError(`distribution must be one of normal, poisson, negbin, gamma, auto; got ${String(cell)}`);
  const key = cell.trim().toLowerCase().replace(/[\s_-]+/g, " ");
  const found = NAME_ALIASES[key] ?? NAME_ALIASES[key.replace(/ /g, "")];
  if (found) return found;
  return cellError(`distribution must be one of normal, poisson, negbin, gamma, auto; got "${cell}"`);
}

export function distributionCode(name: DistributionName): number {
  return DISTRIBUTION_NAMES.indexOf(name);
}

/** The family a choice resolves to, and the note code (see NOTE_MESSAGES). */
export interface ResolvedDistribution {
  code: number;
  note: number;
}

/**
 * Resolves a choice for one row. `pattern` is a src/engine/pattern.ts code (0 smooth, 1 erratic,
 * 2 intermittent, 3 lumpy, 4 no demand) or -1 when unknown.
 * "auto": smooth and erratic -> normal; intermittent, lumpy and no demand -> negative binomial
 * (Poisson when v <= m); unknown pattern -> negative binomial/Poisson when m < AUTO_DISCRETE_BELOW,
 * normal otherwise.
 */
export function resolveDistribution(choice: DistributionChoice, mean: number, variance: number, pattern = -1, out: ResolvedDistribution = { code: 0, note: 0 }): ResolvedDistribution {
  let name: DistributionName;
  if (choice === "auto") {
    if (pattern >= 0) name = pattern === SMOOTH || pattern === ERRATIC ? "normal" : "negbin";
    else name = mean < AUTO_DISCRETE_BELOW ? "negbin" : "normal";
  } else name = choice;
  out.note = NOTE_NONE;
  if (name === "negbin" && !(variance > mean * (1 + 1e-12))) {
    out.code = POISSON;
    // Only worth saying when negbin was asked for or chosen with demand present (m = 0 is a point
    // mass either way).
    if (mean > 0) out.note = NOTE_NEGBIN_TO_POISSON;
    return out;
  }
  out.code = distributionCode(name);
  return out;
}

/** Negative binomial parameters (scipy nbinom(r, p)) from a mean and a variance v > m > 0. */
export function negbinParams(mean: number, variance: number): { r: number; p: number } {
  return { r: (mean * mean) / (variance - mean), p: mean / variance };
}

/** Gamma parameters (shape, scale) from a mean and a variance, both > 0. */
export function gammaParams(mean: number, variance: number): { shape: number; scale: number } {
  return { shape: (mean * mean) / variance, scale: variance / mean };
}

const isNegbin = (code: number, m: number, v: number) => code === NEGBIN && v > m * (1 + 1e-12);
const isDiscrete = (code: number) => code === POISSON || code === NEGBIN;

/**
 * P(X <= x) (lower) and P(X > x) (upper) for the distribution (code, m, v), written into `out`.
 * The smaller tail keeps its relative accuracy.
 */
export function distributionTails(code: number, m: number, v: number, x: number, out: Tails = { lower: 0, upper: 0 }): Tails {
  if (x !== x || m !== m || v !== v) {
    out.lower = out.upper = Number.NaN;
    return out;
  }
  if (code === NORMAL) {
    if (v === 0) return point(m, x, out);
    const sd = Math.sqrt(v);
    const z = (x - m) / sd;
    out.lower = normalCdf(z);
    out.upper = normalUpperTail(z);
    return out;
  }
  if (code === GAMMA) {
    if (m === 0 || v === 0) return point(m, x, out);
    if (x <= 0) {
      out.lower = 0;
      out.upper = 1;
      return out;
    }
    return incompleteGamma((m * m) / v, (x * m) / v, out);
  }
  // discrete
  if (m === 0) return point(0, x, out);
  const k = Math.floor(x);
  if (k < 0) {
    out.lower = 0;
    out.upper = 1;
    return out;
  }
  if (isNegbin(code, m, v)) {
    // F(k) = I_p(r, k + 1), p = m / v, q = (v - m) / v
    const p = m / v;
    const q = (v - m) / v;
    return incompleteBeta((m * p) / q, k + 1, p, q, out);
  }
  // Poisson: F(k) = Q(k + 1, m)
  incompleteGamma(k + 1, m, out);
  const lower = out.upper;
  out.upper = out.lower;
  out.lower = lower;
  return out;
}

function point(at: number, x: number, out: Tails): Tails {
  out.lower = x >= at ? 1 : 0;
  out.upper = 1 - out.lower;
  return out;
}

const scratch: Tails = { lower: 0, upper: 0 };

/** P(X <= x). */
export function distributionCdf(code: number, m: number, v: number, x: number): number {
  return distributionTails(code, m, v, x, scratch).lower;
}

/** P(X > x), accurate in the right tail. */
export function distributionSf(code: number, m: number, v: number, x: number): number {
  return distributionTails(code, m, v, x, scratch).upper;
}

/** P(X = k) for the discrete families (0 for a non-integer k); the density for normal and gamma. */
export function distributionMass(code: number, m: number, v: number, k: number): number {
  if (code === NORMAL) return v === 0 ? (k === m ? Number.POSITIVE_INFINITY : 0) : normalPdf(k, m, Math.sqrt(v));
  if (code === GAMMA) {
    if (m === 0 || v === 0) return k === m ? Number.POSITIVE_INFINITY : 0;
    if (!(k > 0)) return 0;
    const shape = (m * m) / v;
    const y = (k * m) / v;
    return (poissonDensity(shape, y) * shape) / k; // y^(a-1) e^-y / (Gamma(a) scale)
  }
  if (!(k >= 0) || k !== Math.floor(k)) return 0;
  if (m === 0) return k === 0 ? 1 : 0;
  if (isNegbin(code, m, v)) {
    const p = m / v;
    const q = (v - m) / v;
    const r = (m * p) / q;
    return (r / (r + k)) * binomialDensity(r, r + k, p, q); // Loader / R dnbinom
  }
  return poissonDensity(k, m);
}

/**
 * Loss function E[(X - x)+], the expected units by which demand over the interval exceeds x.
 * - normal: sd G((x - m)/sd), G the standard normal loss (src/engine/stats.ts);
 * - Poisson: (m - k) P(X > k) + m P(X = k) at an integer k (Axsäter 2015 ch. 5; stockpyl
 *   poisson_loss), from sum_{j>k} j P(X = j) = m P(X >= k);
 * - negative binomial: (m - k) P(X > k) + (k + r)(q / p) P(X = k), from
 *   j P(X = j; r) = (r q / p) P(X = j - 1; r + 1);
 * - gamma: (m - x) Q(a, x / scale) + m x'^a e^-x' / Gamma(a + 1), from Q(a + 1, y) = Q(a, y) +
 *   y^a e^-y / Gamma(a + 1) (A&S 6.5.21);
 * - discrete at a real x: E[(X - k)+] - (x - k) P(X > k), k = floor(x); x < 0 gives m - x.
 */
export function distributionLoss(code: number, m: number, v: number, x: number): number {
  if (x !== x || m !== m || v !== v) return Number.NaN;
  if (code === NORMAL) {
    if (v === 0) return Math.max(m - x, 0);
    const sd = Math.sqrt(v);
    return sd * normalLoss((x - m) / sd);
  }
  if (code === GAMMA) {
    if (m === 0 || v === 0) return Math.max(m - x, 0);
    if (x <= 0) return m - x;
    const shape = (m * m) / v;
    const y = (x * m) / v;
    const t = incompleteGamma(shape, y, scratch);
    return Math.max(0, (m - x) * t.upper + m * poissonDensity(shape, y));
  }
  if (m === 0) return Math.max(-x, 0);
  if (x < 0) return m - x;
  const k = Math.floor(x);
  const sf = distributionTails(code, m, v, k, scratch).upper;
  const f = distributionMass(code, m, v, k);
  let c = m;
  if (isNegbin(code, m, v)) {
    const p = m / v;
    const q = (v - m) / v;
    c = (k + (m * p) / q) * (q / p);
  }
  const atK = Math.max(0, (m - k) * sf + c * f);
  return x === k ? atK : Math.max(0, atK - (x - k) * sf);
}

/**
 * Quantile: the smallest x with P(X <= x) >= p, 0 < p < 1 (p = 0 gives the bottom of the support,
 * p = 1 Infinity). Normal: m + sd z(p). Gamma: scale * P^-1(a, p). Discrete: an integer, found from
 * a Cornish-Fisher start (normal quantile with the skewness correction) by doubling steps and
 * bisection on the exact tails; for p > 1/2 the test is P(X > x) <= 1 - p, so service levels near
 * 1 are decided on the accurate tail.
 */
export function distributionQuantile(code: number, m: number, v: number, p: number): number {
  if (!(p >= 0 && p <= 1) || m !== m || v !== v) return Number.NaN;
  if (code === NORMAL) return v === 0 ? m : normalQuantile(p, m, Math.sqrt(v));
  if (code === GAMMA) {
    if (m === 0 || v === 0) return m;
    return (v / m) * incompleteGammaInverse((m * m) / v, p);
  }
  if (m === 0) return 0;
  if (p === 0) return 0;
  if (p === 1) return Number.POSITIVE_INFINITY;
  const start = discreteQuantileStart(code, m, v, p);
  quantileTest.code = code;
  quantileTest.m = m;
  quantileTest.v = v;
  quantileTest.p = p;
  return smallestInteger(start, quantileTest);
}

/**
 * Start for a discrete quantile search: the Cornish-Fisher quantile m + sd (z + skew (z^2 - 1) / 6)
 * rounded, skewness 1/sqrt(m) (Poisson) or (2v - m)/(v sd) (negative binomial, (2 - p)/sqrt(r q)).
 */
export function discreteQuantileStart(code: number, m: number, v: number, p: number): number {
  const negbin = isNegbin(code, m, v);
  const vv = negbin ? v : m;
  const sd = Math.sqrt(vv);
  const skew = negbin ? (2 * vv - m) / (vv * sd) : 1 / sd;
  const z = zFromServiceLevel(p);
  const start = Math.round(m + sd * (z + (skew * (z * z - 1)) / 6));
  return start > 0 ? start : 0;
}

/** A monotone test on the integers (false ... false true ... true), as an object so that batch loops reuse one. */
export interface IntegerTest {
  ok(k: number): boolean;
}

/** P(X <= k) >= p, decided on the smaller tail. */
class QuantileTest implements IntegerTest {
  code = 0;
  m = 0;
  v = 0;
  p = 0;
  ok(k: number): boolean {
    const t = distributionTails(this.code, this.m, this.v, k, scratch);
    return this.p > 0.5 ? t.upper <= 1 - this.p : t.lower >= this.p;
  }
}
const quantileTest = new QuantileTest();

/**
 * The smallest integer k >= lowest with test.ok(k), for a monotone test, starting the search at
 * `start`. Doubling steps away from the start, then bisection. ok must be
 * true for some finite k.
 */
export function smallestInteger(start: number, test: IntegerTest, lowest = 0): number {
  const k = Math.max(lowest, start);
  if (test.ok(k)) {
    let hi = k;
    for (let step = 1; ; step *= 2) {
      const lo = hi - step;
      if (lo < lowest) return test.ok(lowest) ? lowest : bisect(lowest, hi, test);
      if (!test.ok(lo)) return bisect(lo, hi, test);
      hi = lo;
    }
  }
  let lo = k;
  for (let step = 1; lo < 9e15; step *= 2) {
    const hi = lo + step;
    if (test.ok(hi)) return bisect(lo, hi, test);
    lo = hi;
  }
  return Number.NaN;
}

/** lo fails, hi passes: the smallest passing integer in (lo, hi]. */
function bisect(lo: number, hi: number, test: IntegerTest): number {
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (test.ok(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** True for the Poisson and negative binomial (levels are whole units). */
export function isDiscreteFamily(code: number): boolean {
  return isDiscrete(code);
}

/** Reads a list of choices given as cells (one per row or one for all); first error wins per row. */
export function parseDistributions(cells: readonly unknown[]): { choices: DistributionChoice[]; errors: Map<number, CellError> } {
  const choices = new Array<DistributionChoice>(cells.length);
  const errors = new Map<number, CellError>();
  for (let i = 0; i < cells.length; i++) {
    const c = parseDistribution(cells[i]);
    if (isCellError(c)) {
      errors.set(i, c);
      choices[i] = "normal";
    } else choices[i] = c;
  }
  return { choices, errors };
}
