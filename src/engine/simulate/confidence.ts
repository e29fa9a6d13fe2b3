/**
 * Confidence intervals for simulation output: the Student t distribution (cdf and quantile) and the
 * replication/deletion interval mean ± t(0.975, n - 1) · s / sqrt(n) over n independent
 * replications (A. M. Law, "Simulation Modeling and Analysis", 5th ed. 2015, §9.4.1 and §9.5.2:
 * each replication's average after the warm-up is one i.i.d. observation; s is the sample standard
 * deviation, divisor n - 1).
 *
 * The t cdf comes from the regularized incomplete beta function,
 *   P(T <= t) = 1 - I_x(df/2, 1/2) / 2 for t >= 0, x = df / (df + t^2)
 * (Abramowitz & Stegun 26.7.1 with 26.5.27), with I_x evaluated by its continued fraction
 * (A&S 26.5.8) in the modified Lentz form (W. H. Press et al., "Numerical Recipes", 3rd ed., §6.4).
 * The quantile inverts the cdf by bisection to full double precision. Accuracy against mpmath at 40
 * digits (test/fixtures/random_reference.json): quantiles to 1e-12 relative for df 1 .. 10^4 (1e-11
 * at df 10^6), the cdf to 1e-14 absolute.
 */
import { logGamma } from "../random";

/**
 * ln Gamma(a + b) - ln Gamma(a) for a >= 10, without subtracting two large logarithms: Stirling's
 * series on both (A&S 6.1.40) with the leading terms combined through log1p.
 */
function logGammaRatio(a: number, b: number): number {
  const tail = (x: number) => {
    const r = 1 / (x * x);
    return (1 / x) * (1 / 12 - r * (1 / 360 - r * (1 / 1260 - r * (1 / 1680 - r * (1 / 1188)))));
  };
  return (a - 0.5) * Math.log1p(b / a) + b * Math.log(a + b) - b + tail(a + b) - tail(a);
}

/** ln B(a, b) = ln Gamma(a) + ln Gamma(b) - ln Gamma(a + b), keeping its digits when one argument is large. */
function logBeta(a: number, b: number): number {
  const big = a > b ? a : b;
  const small = a > b ? b : a;
  if (big >= 10) return logGamma(small) - logGammaRatio(big, small);
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/**
 * Regularized incomplete beta I_x(a, b), 0 <= x <= 1, a, b > 0. `y` = 1 - x, and `lnX`, `lnY` their
 * logarithms, when the caller has them without rounding (a 1 - x close to 0, or ln x multiplied by a
 * large a, would otherwise lose digits).
 */
export function incompleteBeta(x: number, a: number, b: number, y = 1 - x, lnX = Math.log(x), lnY = Math.log(y)): number {
  if (!(x > 0)) return x === 0 ? 0 : Number.NaN;
  if (!(y > 0)) return y === 0 ? 1 : Number.NaN;
  const lnFront = a * lnX + b * lnY - logBeta(a, b);
  // The continued fraction converges fast for x < (a + 1) / (a + b + 2); use the symmetry otherwise.
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(lnFront) * betaFraction(x, a, b)) / a;
  return 1 - (Math.exp(lnFront) * betaFraction(y, b, a)) / b;
}

/** x = df / (df + t^2), y = t^2 / (df + t^2) and their logarithms, each computed directly. */
function tArguments(t: number, df: number): [number, number, number, number] {
  const t2 = t * t;
  const x = df / (df + t2);
  const y = t2 / (df + t2);
  return [x, y, -Math.log1p(t2 / df), Math.log(y)];
}

/** P(T > |t|) for Student t with df degrees of freedom: I_x(df/2, 1/2) / 2. */
function upperTail(t: number, df: number): number {
  const [x, y, lnX, lnY] = tArguments(t, df);
  // Near t = 0, x is close to 1: evaluate the complement I_y(1/2, df/2) directly instead.
  if (y < 0.5) return 0.5 - 0.5 * incompleteBeta(y, 0.5, df / 2, x, lnY, lnX);
  return 0.5 * incompleteBeta(x, df / 2, 0.5, y, lnX, lnY);
}

function betaFraction(x: number, a: number, b: number): number {
  const TINY = 1e-300;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10000; m++) {
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
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return h;
}

/** Student t cumulative distribution P(T <= t) with df > 0 degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return Number.NaN;
  if (t === Infinity) return 1;
  if (t === -Infinity) return 0;
  const tail = upperTail(t, df);
  return t >= 0 ? 1 - tail : tail;
}

/** P(0 < T <= t) for t >= 0: I_y(1/2, df/2) / 2, y = t^2 / (df + t^2) (exact near t = 0). */
function centralMass(t: number, df: number): number {
  const [x, y, lnX, lnY] = tArguments(t, df);
  if (y < 0.5) return 0.5 * incompleteBeta(y, 0.5, df / 2, x, lnY, lnX);
  return 0.5 - 0.5 * incompleteBeta(x, df / 2, 0.5, y, lnX, lnY);
}

/**
 * Student t quantile: the t with P(T <= t) = p, 0 < p < 1, df > 0. Solved on the central mass
 * P(0 < T <= t) = |p - 1/2| (exact in floating point for p in [1/4, 1]) near the median, and on
 * the tail P(T > t) = min(p, 1 - p) beyond, so that neither loses digits to a subtraction.
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1) || !(df > 0)) return p === 0 ? -Infinity : p === 1 ? Infinity : Number.NaN;
  if (p === 0.5) return 0;
  const upper = p > 0.5;
  const central = Math.abs(p - 0.5) < 0.25;
  const target = central ? Math.abs(p - 0.5) : upper ? 1 - p : p;
  // below(t): is t still short of the answer?
  const below = (t: number) => (central ? centralMass(t, df) < target : upperTail(t, df) > target);
  let lo = 0;
  let hi = 1;
  while (below(hi) && hi < 1e300) {
    lo = hi;
    hi *= 2;
  }
  for (let i = 0; i < 2200; i++) {
    const mid = 0.5 * (lo + hi);
    if (mid === lo || mid === hi) break;
    if (below(mid)) lo = mid;
    else hi = mid;
  }
  const t = 0.5 * (lo + hi);
  return upper ? t : -t;
}

const criticalCache = new Map<number, number>();

/** t(0.975, n - 1): the multiplier of s / sqrt(n) for a two-sided 95 % interval from n observations (n >= 2). */
export function tCritical95(n: number): number {
  if (!(n >= 2)) return Number.NaN;
  let t = criticalCache.get(n);
  if (t === undefined) {
    t = studentTQuantile(0.975, n - 1);
    criticalCache.set(n, t);
  }
  return t;
}

/** Mean and 95 % half-width from n observations with mean `mean` and sum of squared deviations `m2` (Welford). */
export function halfWidth95(n: number, m2: number): number {
  if (!(n >= 2)) return Number.NaN;
  const s = Math.sqrt(Math.max(0, m2) / (n - 1));
  return (tCritical95(n) * s) / Math.sqrt(n);
}

/** Mean and 95 % half-width of a set of observations; NaN entries are skipped. */
export function meanInterval(xs: ArrayLike<number>): { mean: number; halfWidth: number; n: number } {
  let n = 0;
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    if (x !== x) continue;
    n++;
    const d = x - mean;
    mean += d / n;
    m2 += d * (x - mean);
  }
  return { mean: n > 0 ? mean : Number.NaN, halfWidth: halfWidth95(n, m2), n };
}
