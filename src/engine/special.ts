/**
 * Special functions behind the discrete and gamma lead-time demand distributions
 * (src/engine/distributions.ts): log-gamma, the saddle-point Poisson and binomial densities, the
 * regularized incomplete gamma and beta functions, and the inverse of the incomplete gamma.
 *
 * These are numeric primitives like src/engine/stats.ts: plain numbers in and out, NaN outside the
 * domain, no CellError; callers validate user input first.
 *
 * Algorithms (all standard, none copied):
 * - lgamma: Lanczos approximation, g = 7, 9 coefficients (Lanczos 1964; coefficients as published
 *   by Godfrey), relative error of Gamma about 1e-15 for x >= 0.5; reflection below.
 * - Densities: C. Loader (2000), "Fast and accurate computation of binomial probabilities": the
 *   Stirling remainder stirlerr(n) = ln n! - ln(sqrt(2 pi n) (n/e)^n) and the deviance term
 *   bd0(x, np) = x ln(x / np) + np - x evaluated without cancellation. Poisson and binomial
 *   probabilities are then exp(-stirlerr - bd0) / sqrt(2 pi x) (times the binomial correction),
 *   accurate to a few ulps where the naive exp(x ln m - m - lgamma(x + 1)) loses digits (large
 *   means). The same method as R's dpois/dbinom.
 * - Incomplete gamma P(a, x) and Q(a, x) = 1 - P: the power series for x < a + 1 and the Legendre
 *   continued fraction (modified Lentz) otherwise (Abramowitz & Stegun 6.5.29 and 6.5.31; Press et
 *   al., Numerical Recipes, 3rd ed., section 6.2). The prefactor x^a e^-x / Gamma(a + 1) is the
 *   Poisson density at a (Loader), so no digits are lost to exp(a ln x - x - lgamma).
 * - Incomplete beta I_x(a, b): the continued fraction of A&S 26.5.8 (Numerical Recipes 6.4),
 *   evaluated on the side where it converges, with the binomial density as prefactor.
 * Both tails are returned: the tail computed directly is accurate to a relative ~1e-14 even when
 * it is tiny; the other is 1 minus it. Each function picks the direct side so that the smaller
 * tail (the one that matters for service levels near 1) is the accurate one.
 * Cost: the series and fractions need O(1 + sqrt(a)) terms near the centre of the distribution,
 * a handful in the tails.
 */

import { zFromServiceLevel } from "./stats";

const LN_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const TWO_PI = 2 * Math.PI;
const EPS = 1e-16;
const TINY = 1e-300;
const MAX_TERMS = 1_000_000;

const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Gamma(x) for x > 0 (NaN for x <= 0 or NaN; Infinity for x = Infinity). */
export function lgamma(x: number): number {
  if (!(x > 0)) return Number.NaN;
  if (x === Number.POSITIVE_INFINITY) return x;
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lgamma(1 - x);
  const y = x - 1;
  let a = LANCZOS[0];
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (y + i);
  const t = y + LANCZOS_G + 0.5;
  return LN_SQRT_2PI + (y + 0.5) * Math.log(t) - t + Math.log(a);
}

const S0 = 1 / 12;
const S1 = 1 / 360;
const S2 = 1 / 1260;
const S3 = 1 / 1680;
const S4 = 1 / 1188;

/** Stirling remainder ln Gamma(n + 1) - (n + 1/2) ln n + n - ln sqrt(2 pi), n > 0 (Loader 2000). */
export function stirlerr(n: number): number {
  if (n <= 15) return lgamma(n + 1) - (n + 0.5) * Math.log(n) + n - LN_SQRT_2PI;
  const nn = n * n;
  if (n > 500) return (S0 - S1 / nn) / n;
  if (n > 80) return (S0 - (S1 - S2 / nn) / nn) / n;
  if (n > 35) return (S0 - (S1 - (S2 - S3 / nn) / nn) / nn) / n;
  return (S0 - (S1 - (S2 - (S3 - S4 / nn) / nn) / nn) / nn) / n;
}

/** Deviance term x ln(x / m) + m - x >= 0, without cancellation when x is close to m (Loader 2000). */
export function bd0(x: number, m: number): number {
  if (Math.abs(x - m) < 0.1 * (x + m)) {
    let v = (x - m) / (x + m);
    let s = (x - m) * v;
    let ej = 2 * x * v;
    v *= v;
    for (let j = 1; j < 1000; j++) {
      ej *= v;
      const s1 = s + ej / (2 * j + 1);
      if (s1 === s) return s1;
      s = s1;
    }
    return s;
  }
  return x * Math.log(x / m) + m - x;
}

/** e^-m m^x / Gamma(x + 1) for real x >= 0, m >= 0 (the Poisson density extended to real x). */
export function poissonDensity(x: number, m: number): number {
  if (!(x >= 0) || !(m >= 0)) return Number.NaN;
  if (m === 0) return x === 0 ? 1 : 0;
  if (x === 0) return Math.exp(-m);
  if (!Number.isFinite(m) || !Number.isFinite(x)) return 0;
  if (x <= m * 1e-300) return Math.exp(-m);
  if (m < x * 1e-300) return Math.exp(-m + x * Math.log(m) - lgamma(x + 1));
  return Math.exp(-stirlerr(x) - bd0(x, m)) / Math.sqrt(TWO_PI * x);
}

/**
 * Binomial density Gamma(n + 1) / (Gamma(x + 1) Gamma(n - x + 1)) p^x q^(n - x) for real
 * 0 <= x <= n, with q = 1 - p given separately (so that a q close to 0 keeps its digits).
 */
export function binomialDensity(x: number, n: number, p: number, q: number): number {
  if (p === 0) return x === 0 ? 1 : 0;
  if (q === 0) return x === n ? 1 : 0;
  if (x === 0) {
    if (n === 0) return 1;
    return Math.exp(p < 0.1 ? -bd0(n, n * q) - n * p : n * Math.log(q));
  }
  if (x === n) return Math.exp(q < 0.1 ? -bd0(n, n * p) - n * q : n * Math.log(p));
  if (x < 0 || x > n) return 0;
  const lc = stirlerr(n) - stirlerr(x) - stirlerr(n - x) - bd0(x, n * p) - bd0(n - x, n * q);
  const lf = Math.log(TWO_PI) + Math.log(x) + Math.log1p(-x / n);
  return Math.exp(lc - 0.5 * lf);
}

/** Both tails of a distribution function at one point: lower = P(X <= x), upper = 1 - lower. */
export interface Tails {
  lower: number;
  upper: number;
}

/**
 * Regularized incomplete gamma P(a, x) (lower) and Q(a, x) (upper), a > 0, x >= 0.
 * Writes into `out` (to avoid an allocation per call in batch loops) and returns it.
 */
export function incompleteGamma(a: number, x: number, out: Tails = { lower: 0, upper: 0 }): Tails {
  if (!(a > 0) || !(x >= 0)) {
    out.lower = out.upper = Number.NaN;
    return out;
  }
  if (x === 0) {
    out.lower = 0;
    out.upper = 1;
    return out;
  }
  if (x === Number.POSITIVE_INFINITY) {
    out.lower = 1;
    out.upper = 0;
    return out;
  }
  const front = poissonDensity(a, x); // x^a e^-x / Gamma(a + 1)
  if (x < a + 1) {
    // P(a, x) = front * sum_{n>=0} x^n / ((a + 1)...(a + n))
    let sum = 1;
    let term = 1;
    for (let n = 1; n < MAX_TERMS; n++) {
      term *= x / (a + n);
      sum += term;
      if (term < sum * EPS) break;
    }
    const p = Math.min(1, front * sum);
    out.lower = p;
    out.upper = 1 - p;
    return out;
  }
  // Q(a, x) = a * front * 1/(x + 1 - a - 1(1 - a)/(x + 3 - a - 2(2 - a)/(x + 5 - a - ...)))
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_TERMS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  const q = Math.min(1, a * front * h);
  out.upper = q;
  out.lower = 1 - q;
  return out;
}

/** Continued fraction for I_x(a, b) (Numerical Recipes betacf, modified Lentz); y = 1 - x. */
function betaFraction(a: number, b: number, x: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < MAX_TERMS; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return h;
}

/**
 * Regularized incomplete beta I_x(a, b) (lower) and 1 - I_x(a, b) = I_y(b, a) (upper), with
 * y = 1 - x passed separately so that an x close to 1 keeps its digits; a, b > 0.
 */
export function incompleteBeta(a: number, b: number, x: number, y: number, out: Tails = { lower: 0, upper: 0 }): Tails {
  if (!(a > 0) || !(b > 0) || !(x >= 0) || !(y >= 0)) {
    out.lower = out.upper = Number.NaN;
    return out;
  }
  if (x === 0) {
    out.lower = 0;
    out.upper = 1;
    return out;
  }
  if (y === 0) {
    out.lower = 1;
    out.upper = 0;
    return out;
  }
  // x^a y^b / (a B(a, b)) = binomialDensity(a, a + b, x, y) * b / (a + b)
  if (x < (a + 1) / (a + b + 2)) {
    const lower = Math.min(1, ((binomialDensity(a, a + b, x, y) * b) / (a + b)) * betaFraction(a, b, x));
    out.lower = lower;
    out.upper = 1 - lower;
  } else {
    const upper = Math.min(1, ((binomialDensity(b, a + b, y, x) * a) / (a + b)) * betaFraction(b, a, y));
    out.upper = upper;
    out.lower = 1 - upper;
  }
  return out;
}

/**
 * Inverse of the regularized incomplete gamma: the x >= 0 with P(a, x) = p, a > 0, 0 <= p <= 1.
 * Newton steps on the tail that is smaller at the answer (Q(a, x) = 1 - p when p > 1/2, so a p
 * close to 1 keeps its digits), kept inside a bracket that shrinks every step, bisection when a
 * step would leave it. Start: Wilson-Hilferty (A&S 26.4.17) for a >= 1, the small-x series
 * (p Gamma(a + 1))^(1/a) below. Relative accuracy about 1e-13.
 */
export function incompleteGammaInverse(a: number, p: number): number {
  if (!(a > 0) || !(p >= 0 && p <= 1)) return Number.NaN;
  if (p === 0) return 0;
  if (p === 1) return Number.POSITIVE_INFINITY;
  const upperSide = p > 0.5;
  const target = upperSide ? 1 - p : p;
  let x: number;
  if (a >= 1) {
    const t = 1 / (9 * a);
    x = a * Math.pow(Math.max(1 - t + zFromServiceLevel(p) * Math.sqrt(t), 1e-3), 3);
  } else {
    x = Math.pow(p * Math.exp(lgamma(a + 1)), 1 / a);
    if (!(x > 0) || !Number.isFinite(x)) x = a;
  }
  let lo = 0;
  let hi = Number.POSITIVE_INFINITY;
  const t: Tails = { lower: 0, upper: 0 };
  for (let i = 0; i < 200; i++) {
    incompleteGamma(a, x, t);
    const f = (upperSide ? t.upper : t.lower) - target; // upper tail decreasing, lower increasing in x
    const below = upperSide ? f > 0 : f < 0; // x is left of the root
    if (below) lo = x;
    else hi = x;
    if (f === 0) return x;
    const dens = (poissonDensity(a, x) * a) / x; // d P / dx = x^(a-1) e^-x / Gamma(a)
    let next = upperSide ? x + f / dens : x - f / dens;
    if (!(next > lo && next < hi) || !Number.isFinite(next)) next = hi === Number.POSITIVE_INFINITY ? Math.max(2 * x, x + 1) : 0.5 * (lo + hi);
    if (Math.abs(next - x) <= 1e-15 * x) return next;
    if (hi < Number.POSITIVE_INFINITY && hi - lo <= 1e-15 * hi) return 0.5 * (lo + hi);
    x = next;
  }
  return x;
}
