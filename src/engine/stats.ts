/**
 * Standard normal building blocks for the inventory formulas: cdf, pdf, quantile (service factor z)
 * and the standard normal loss function G(k) with its inverse.
 *
 * These are numeric primitives: they take and return plain numbers and answer NaN outside their
 * domain (no CellError here); src/engine/inventory.ts validates user input before calling them.
 *
 * Accuracy (checked against mpmath at 50 digits, test/fixtures/normal_*.json):
 * - zFromServiceLevel(p): absolute error < 1e-12 for p in [1e-300, 1 - 1e-12] (the z of the double p
 *   as given; above 1 - 1e-12 the double p itself is coarse, so z is exact for that double but says
 *   little about the decimal the user typed). Finite for every p in (0, 1), subnormals included.
 * - normalLoss(k): relative error < 1e-12 for k in [-1e6, 37] (below ~1e-308 the result is subnormal
 *   and then 0); no cancellation in the right tail.
 * - normalLossInverse(g): |error| < 1e-9 * max(1, |k|) for every g > 0 representable as a double,
 *   i.e. absolute 1e-9 when |k| <= 1 and relative 1e-9 beyond (large g means k ~ -g, where a double
 *   cannot hold more than ~16 significant digits anyway). Where g is tiny (k large) the answer is found
 *   in log space, so G(k) reproduces g to a relative 1e-12 even for subnormal g.
 */
import cdf from "@stdlib/stats-base-dists-normal-cdf";
import pdf from "@stdlib/stats-base-dists-normal-pdf";
// The five rational approximations of stdlib's erfinv (Boost.Math's erf_inv_imp coefficients),
// imported from the package itself (src/types/stdlib-erfinv.d.ts): see standardNormalQuantile.
import erfinvR1 from "@stdlib/math-base-special-erfinv/lib/rational_p1q1.js";
import erfinvR2 from "@stdlib/math-base-special-erfinv/lib/rational_p2q2.js";
import erfinvR3 from "@stdlib/math-base-special-erfinv/lib/rational_p3q3.js";
import erfinvR4 from "@stdlib/math-base-special-erfinv/lib/rational_p4q4.js";
import erfinvR5 from "@stdlib/math-base-special-erfinv/lib/rational_p5q5.js";

const SQRT_2PI = Math.sqrt(2 * Math.PI);
const LN_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
/** G(0) = phi(0) = 1/sqrt(2 pi). */
export const NORMAL_LOSS_AT_ZERO = 1 / SQRT_2PI;

/** Normal cumulative distribution function P(X <= x), X ~ N(mean, sd^2). */
export function normalCdf(x: number, mean = 0, sd = 1): number {
  return cdf(x, mean, sd);
}

/** Normal probability density at x, X ~ N(mean, sd^2). */
export function normalPdf(x: number, mean = 0, sd = 1): number {
  return pdf(x, mean, sd);
}

/**
 * Upper tail 1 - Phi(k) of the standard normal, computed as Phi(-k) (an erfc, so it keeps its
 * relative accuracy for large k instead of rounding to 0 as 1 - Phi(k) would past k ~ 8.3).
 */
export function normalUpperTail(k: number): number {
  return cdf(-k, 0, 1);
}

// erfinv's constants Y1..Y5 (@stdlib/math-base-special-erfinv lib/main.js, from Boost.Math).
const ERFINV_Y1 = 8.91314744949340820313e-2;
const ERFINV_Y2 = 2.249481201171875;
const ERFINV_Y3 = 8.07220458984375e-1;
const ERFINV_Y4 = 9.3995571136474609375e-1;
const ERFINV_Y5 = 9.8362827301025390625e-1;
const SQRT2 = Math.sqrt(2);

/**
 * Phi^-1(p) = sqrt(2) erfinv(2p - 1), the value @stdlib/stats-base-dists-normal-quantile gives for
 * (p, 0, 1), bit for bit, at about half its cost. It is stdlib's erfinv (Boost.Math erf_inv_imp:
 * a rational approximation in x on |x| <= 0.5, in 1 - |x| while that is >= 0.25, else in
 * sqrt(-ln(1 - |x|)) on [0, 3), [3, 6), [6, 18)), with the same rational functions (imported
 * above) and the same operations in the same order; only the logarithm is Math.log where stdlib
 * calls its own ln, and both are fdlibm's e_log.c, so they round alike (test/engine/stats.test.ts
 * compares the two quantiles over the whole range). Half of stdlib's time went to that JS ln.
 */
export function standardNormalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return Number.NaN; // NaN, or outside [0, 1]
  const x = 2 * p - 1;
  if (x === 1) return Number.POSITIVE_INFINITY;
  if (x === -1) return Number.NEGATIVE_INFINITY;
  if (x === 0) return 0; // stdlib: 0 + sqrt(2) * (+-0) = 0
  const sign = x < 0 ? -1 : 1;
  const ax = x < 0 ? -x : x;
  let q = 1 - ax;
  let e: number;
  if (ax <= 0.5) {
    const g = ax * (ax + 10);
    e = sign * (g * ERFINV_Y1 + g * erfinvR1(ax));
  } else if (q >= 0.25) {
    const g = Math.sqrt(-2 * Math.log(q));
    q -= 0.25;
    e = sign * (g / (ERFINV_Y2 + erfinvR2(q)));
  } else {
    q = Math.sqrt(-Math.log(q));
    if (q < 3) e = sign * (ERFINV_Y3 * q + erfinvR3(q - 1.125) * q);
    else if (q < 6) e = sign * (ERFINV_Y4 * q + erfinvR4(q - 3) * q);
    else e = sign * (ERFINV_Y5 * q + erfinvR5(q - 6) * q);
  }
  return 0 + SQRT2 * e;
}

/**
 * Service factor z = Phi^-1(p) for a cycle service level p (the inverse standard normal).
 * p = 0 gives -Infinity, p = 1 gives +Infinity, anything outside [0, 1] or NaN gives NaN.
 *
 * stdlib's quantile (standardNormalQuantile) computes erfinv(2p - 1). For p >= 0.5 the subtraction is exact; for small p it
 * throws away the low digits of p (at p = 1e-12 the result is off by 3e-6, and below 2^-54 it is
 * -Infinity). Below 0.5 we therefore polish stdlib's answer (or, when that is infinite, the
 * asymptotic start -sqrt(-2 ln p - ln(-2 ln p) - ln 2 pi)) with Newton steps on ln Phi(z) = ln p,
 * Phi from erfc (accurate relative to p). ln Phi is concave, so the steps converge from either
 * side; from stdlib's start two steps reach double precision.
 */
export function zFromServiceLevel(p: number): number {
  const z = standardNormalQuantile(p);
  if (!(p > 0 && p < 0.5)) return z; // NaN, the infinities, 0 and the exact upper half
  let x = z;
  if (!Number.isFinite(x)) {
    const t = -2 * Math.log(p);
    x = -Math.sqrt(t - Math.log(t) - Math.log(2 * Math.PI));
  }
  for (let i = 0; i < 50; i++) {
    const c = cdf(x, 0, 1);
    if (!(c > 0)) {
      x /= 2; // Phi underflowed: step back towards 0 (only for p near the smallest subnormal)
      continue;
    }
    const step = Math.log(c / p) * (c / pdf(x, 0, 1));
    if (!Number.isFinite(step)) break;
    x -= step;
    if (Math.abs(step) <= 2e-16 * Math.abs(x)) break;
  }
  return x;
}

/** Normal quantile mean + sd * Phi^-1(p), with the same lower-tail care as zFromServiceLevel. */
export function normalQuantile(p: number, mean = 0, sd = 1): number {
  if (Number.isNaN(mean) || Number.isNaN(sd) || sd < 0) return Number.NaN;
  if (sd === 0) return p >= 0 && p <= 1 ? mean : Number.NaN;
  return mean + sd * zFromServiceLevel(p);
}

// ---- standard normal loss function --------------------------------------------------------------
//
// G(k) = E[(Z - k)+] = phi(k) - k (1 - Phi(k))  (Silver, Pyke & Thomas 2017, "Inventory and
// Production Management in Supply Chains", 4th ed., App. II: G_u(k); Brown 1959 tables).
// Three regions:
// - k < 0: G(k) = -k + G(-k) (from phi(-k) = phi(k) and Phi(-k) = 1 - Phi(k)), a sum of positives.
// - 0 <= k < CF_FROM: the definition; the subtraction loses at most a few ulps here (< 5e-15 rel).
// - k >= CF_FROM: with the Laplace continued fraction of the Mills ratio
//   R(k) = (1 - Phi(k)) / phi(k) = 1/(k + 1/(k + 2/(k + 3/(k + ...)))), write R = 1/(k + T) with
//   T = 1/(k + 2/(k + 3/(k + ...))). Then 1 - k R = T/(k + T) and G(k) = phi(k) T / (k + T),
//   which has no subtraction at all. T is evaluated by backward recurrence; the number of terms
//   needed falls with k (about 85 at k = 2.5, 30 at k = 6 for full double precision).

const CF_FROM = 2.5;

/** T(k) = 1/(k + 2/(k + 3/(k + ...))) for k >= CF_FROM. */
function millsTail(k: number): number {
  const terms = 20 + Math.ceil(400 / (k * k));
  let t = 0;
  for (let n = terms; n >= 2; n--) t = n / (k + t);
  return 1 / (k + t);
}

/** Standard normal loss G(k) = E[max(Z - k, 0)], Z ~ N(0, 1). G(-Infinity) = Infinity, G(Infinity) = 0. */
export function normalLoss(k: number): number {
  if (Number.isNaN(k)) return Number.NaN;
  if (k < 0) return -k + normalLoss(-k); // -k + G(-k); k = -Infinity gives Infinity
  if (k === Number.POSITIVE_INFINITY) return 0;
  const phi = Math.exp(-0.5 * k * k) / SQRT_2PI;
  if (k < CF_FROM) return phi - k * normalUpperTail(k);
  const t = millsTail(k);
  return (phi * t) / (k + t);
}

/**
 * The step of one Halley iteration for ln G(k) = target (k_next = k - step), computed without
 * underflow for large k. With f = ln G(k) - target, s = (1 - Phi(k)) / G(k):
 *   f' = -s,  f'' = phi(k) / G(k) - s^2  (<= 0: ln G is concave),
 *   Halley: step = (f / f') / (1 - f f'' / (2 f'^2)); when that denominator is small (far from the
 *   root on the right) the plain Newton step f / f' is used instead.
 * One erfc (or none) per call.
 */
function halleyStep(k: number, target: number): number {
  let logG: number;
  let s: number;
  let phiOverG: number;
  if (k >= CF_FROM) {
    const t = millsTail(k);
    // ln G = ln phi(k) + ln T - ln(k + T); (1 - Phi)/G = R/(1 - kR) = 1/T; phi/G = (k + T)/T.
    logG = -0.5 * k * k - LN_SQRT_2PI + Math.log(t) - Math.log(k + t);
    s = 1 / t;
    phiOverG = (k + t) / t;
  } else {
    const phi = Math.exp(-0.5 * k * k) / SQRT_2PI;
    let g: number;
    let tail: number;
    if (k >= 0) {
      tail = normalUpperTail(k);
      g = phi - k * tail;
    } else if (k > -CF_FROM) {
      const lower = normalUpperTail(-k); // Phi(k)
      g = -k + phi + k * lower; // -k + G(-k)
      tail = 1 - lower;
    } else {
      const t = millsTail(-k);
      g = -k + (phi * t) / (-k + t); // -k + G(-k), G(-k) from the continued fraction
      tail = 1 - phi / (-k + t); // 1 - Phi(k) = 1 - phi R(-k)
    }
    logG = Math.log(g);
    s = tail / g;
    phiOverG = phi / g;
  }
  const f = logG - target;
  const newton = -f / s;
  const denominator = 1 - (f * (phiOverG - s * s)) / (2 * s * s);
  return denominator > 0.5 ? newton / denominator : newton;
}

/**
 * Inverse of the standard normal loss: the k with G(k) = g, for any g > 0 (k is negative when
 * g > G(0) = 0.3989..., and k -> -g as g grows). g <= 0 or NaN gives NaN; g = Infinity gives -Infinity.
 *
 * Halley's method on ln G(k) = ln g (falling back to Newton far right of the root). ln G is concave
 * and decreasing (G is log-concave as the integral of the log-concave normal tail), so Newton
 * converges monotonically once it is to the right of the root, and Halley's correction only
 * shortens the steps from the left. Starting points:
 * - g >= G(0): k0 = -g. G(-g) = g + G(g) >= g, so k0 is at or left of the root; the first step
 *   lands on the right and the rest descend.
 * - g <  G(0): k0 = sqrt(-2 ln(g sqrt(2 pi))), where phi(k0) = g; since G(k) < phi(k) for k > 0,
 *   k0 is right of the root.
 */
export function normalLossInverse(g: number): number {
  if (!(g > 0)) return Number.NaN;
  if (g === Number.POSITIVE_INFINITY) return Number.NEGATIVE_INFINITY;
  const target = Math.log(g);
  let k = g >= NORMAL_LOSS_AT_ZERO ? -g : Math.sqrt(-2 * (target + LN_SQRT_2PI));
  for (let i = 0; i < 60; i++) {
    const step = halleyStep(k, target);
    if (!Number.isFinite(step)) break;
    k -= step;
    if (Math.abs(step) <= 4e-16 * Math.max(1, Math.abs(k))) break;
  }
  return k;
}
