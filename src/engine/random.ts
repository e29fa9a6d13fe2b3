/**
 * Seeded pseudo-random numbers for every Monte Carlo in the engine: one generator, xoshiro128**
 * (D. Blackman, S. Vigna, "Scrambled linear pseudorandom number generators", ACM TOMS 47(4), 2021;
 * reference C code at prng.di.unimi.it), with two seeding conventions that the committed fixture
 * scripts reproduce:
 * - Random (the simulation, src/engine/simulate/): a stream per (seed, a, b, c) keyed by SplitMix32,
 *   with the samplers the simulation draws demand and lead times from (test/fixtures/gen_random.py);
 * - RandomStream / seedStream (class stability, src/engine/stability.ts): a stream per (seed, SKU),
 *   one uniform per normal by inversion, so draw j of a stream is the j-th output however the work
 *   is chunked (test/fixtures/gen_stability.py).
 * Both step the same generator; the step is written out in each for speed (hot loops keep the four
 * state words in locals). Pure: no Math.random, no clock.
 */

/** 2^-53 and 2^-26 as exact doubles. */
const TWO_M53 = 1 / 9007199254740992;
const TWO_26 = 67108864;

/** SplitMix32 step on a 32-bit value: the next output for state x (x advanced by the caller). */
function mix32(x: number): number {
  let z = x | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** Hashes a seed and up to three integer coordinates into one 32-bit key (order matters). */
export function streamKey(seed: number, a = 0, b = 0, c = 0): number {
  let h = mix32((seed >>> 0) + 0x9e3779b9);
  h = mix32((h ^ (a >>> 0)) + 0x9e3779b9);
  h = mix32((h ^ (b >>> 0)) + 0x7f4a7c15);
  h = mix32((h ^ (c >>> 0)) + 0x632be59b);
  return h;
}

/** xoshiro128** with samplers. Re-seed in place with seed() to avoid allocating in hot loops. */
export class Random {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;

  constructor(seed = 0, a = 0, b = 0, c = 0) {
    this.seed(seed, a, b, c);
  }

  /** Restarts the generator on the stream keyed by (seed, a, b, c). */
  seed(seed: number, a = 0, b = 0, c = 0): void {
    let x = streamKey(seed, a, b, c);
    x = (x + 0x9e3779b9) | 0;
    this.s0 = mix32(x) | 0;
    x = (x + 0x9e3779b9) | 0;
    this.s1 = mix32(x) | 0;
    x = (x + 0x9e3779b9) | 0;
    this.s2 = mix32(x) | 0;
    x = (x + 0x9e3779b9) | 0;
    this.s3 = mix32(x) | 0;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Sets the raw state (for checking against the reference implementation). */
  setState(s0: number, s1: number, s2: number, s3: number): void {
    this.s0 = s0 | 0;
    this.s1 = s1 | 0;
    this.s2 = s2 | 0;
    this.s3 = s3 | 0;
  }

  /** Next 32-bit output as an unsigned integer (xoshiro128** 1.0). */
  nextUint32(): number {
    const s1 = this.s1;
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 = s1 ^ this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return r >>> 0;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * TWO_26 + lo) * TWO_M53;
  }

  /** Uniform double in the open interval (0, 1): never 0, never 1. */
  uniformOpen(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * TWO_26 + lo + 0.5) * TWO_M53;
  }

  /** Uniform integer in 0 .. n - 1 (n >= 1), from uniform() (bias below 2^-53 * n). */
  index(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /**
   * Standard normal by the ziggurat method in J. A. Doornik's form ("An improved ziggurat method to
   * generate normal random samples", 2005; the ZIGNOR variant of G. Marsaglia and W. W. Tsang's
   * ziggurat, J. Stat. Software 5(8), 2000): 128 blocks, tail beyond R = 3.442619855899 by
   * Marsaglia's tail method, the block index from an output of its own (not from the uniform's bits,
   * which Doornik shows correlates them). About 99 % of draws cost two uniforms and a comparison.
   */
  normal(): number {
    for (;;) {
      const u = 2 * this.uniform() - 1;
      const i = this.nextUint32() & 0x7f;
      if (Math.abs(u) < ZIG_R[i]) return u * ZIG_X[i];
      if (i === 0) {
        // bottom block: the tail beyond R
        let x: number;
        let y: number;
        do {
          x = Math.log(this.uniformOpen()) / ZIG_TAIL;
          y = Math.log(this.uniformOpen());
        } while (-2 * y < x * x);
        return u < 0 ? x - ZIG_TAIL : ZIG_TAIL - x;
      }
      // a wedge: accept x with probability (f(x) - f(x_{i+1})) / (f(x_i) - f(x_{i+1}))
      const x = u * ZIG_X[i];
      const f0 = Math.exp(-0.5 * (ZIG_X[i] * ZIG_X[i] - x * x));
      const f1 = Math.exp(-0.5 * (ZIG_X[i + 1] * ZIG_X[i + 1] - x * x));
      if (f1 + this.uniform() * (f0 - f1) < 1) return x;
    }
  }

  /**
   * Poisson(mean) variate, mean >= 0.
   * - mean < 10: inversion by sequential search from 0 (Devroye 1986, "Non-Uniform Random Variate
   *   Generation", §X.3.3): one uniform, about mean + 1 steps.
   * - mean >= 10: PTRS, the transformed rejection method with squeeze of W. Hörmann, "The
   *   transformed rejection method for generating Poisson random variables", Insurance: Mathematics
   *   and Economics 12 (1993) 39–45 (the algorithm numpy uses for lam >= 10); about 1.1 pairs of
   *   uniforms per variate.
   */
  poisson(mean: number): number {
    if (!(mean > 0)) return 0;
    if (mean !== this.pMean) this.poissonSetup(mean);
    if (mean < 10) {
      let p = this.pExp;
      let s = p;
      const u = this.uniform();
      let x = 0;
      // the guard stops the search where the cumulative sum has stopped growing (rounding), ~mean + 40 sd
      while (u > s && x < 1000) {
        x++;
        p *= mean / x;
        s += p;
      }
      return x;
    }
    const { pA: a, pB: b, pLogAlpha: logInvAlpha, pVr: vr, pLogLam: loglam } = this;
    for (;;) {
      const U = this.uniform() - 0.5;
      const V = this.uniform();
      const us = 0.5 - Math.abs(U);
      const k = Math.floor(((2 * a) / us + b) * U + mean + 0.43);
      if (us >= 0.07 && V <= vr) return k;
      if (k < 0 || (us < 0.013 && V > us)) continue;
      if (Math.log(V) + logInvAlpha - Math.log(a / (us * us) + b) <= -mean + k * loglam - logFactorial(k)) return k;
    }
  }

  // Poisson constants for the last mean drawn (demand columns repeat one mean for a whole replication)
  private pMean = Number.NaN;
  private pExp = 0;
  private pA = 0;
  private pB = 0;
  private pLogAlpha = 0;
  private pVr = 0;
  private pLogLam = 0;

  private poissonSetup(mean: number): void {
    this.pMean = mean;
    this.pExp = Math.exp(-mean);
    this.pLogLam = Math.log(mean);
    this.pB = 0.931 + 2.53 * Math.sqrt(mean);
    this.pA = -0.059 + 0.02483 * this.pB;
    this.pLogAlpha = Math.log(1.1239 + 1.1328 / (this.pB - 3.4));
    this.pVr = 0.9277 - 3.6224 / (this.pB - 2);
  }

  /**
   * Gamma(shape, scale) variate (mean shape * scale), shape > 0, scale >= 0: G. Marsaglia,
   * W. W. Tsang, "A simple method for generating gamma variables", ACM TOMS 26(3), 2000, for
   * shape >= 1; for shape < 1 the same with shape + 1, times U^(1/shape) (their §6).
   */
  gamma(shape: number, scale: number): number {
    if (!(shape > 0) || !(scale > 0)) return 0;
    if (shape < 1) {
      const g = this.gamma(shape + 1, scale);
      return g * Math.pow(this.uniformOpen(), 1 / shape);
    }
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.uniformOpen();
      const x2 = x * x;
      if (u < 1 - 0.0331 * x2 * x2) return d * v * scale;
      if (Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) return d * v * scale;
    }
  }

  /**
   * Negative binomial with the given mean and variance (variance > mean), as the gamma–Poisson
   * mixture: lambda ~ Gamma(r, (variance - mean) / mean) with r = mean^2 / (variance - mean), then
   * Poisson(lambda). Its mean is `mean` and its variance `variance` (the number of failures before
   * the r-th success, success probability mean / variance).
   */
  negativeBinomial(mean: number, variance: number): number {
    if (!(mean > 0)) return 0;
    const excess = variance - mean;
    if (!(excess > 0)) return this.poisson(mean);
    return this.poisson(this.gamma((mean * mean) / excess, excess / mean));
  }
}

// Ziggurat tables (Doornik 2005, zigNorInit with C = 128, R = 3.442619855899, V = 9.91256303526217e-3):
// ZIG_X[i] are the block edges (ZIG_X[0] = V / f(R) for the bottom block with its tail), ZIG_R[i] =
// ZIG_X[i + 1] / ZIG_X[i] the share of block i that lies under the curve everywhere.
const ZIG_C = 128;
const ZIG_TAIL = 3.442619855899;
const ZIG_V = 9.91256303526217e-3;
const ZIG_X = new Float64Array(ZIG_C + 1);
const ZIG_R = new Float64Array(ZIG_C);
{
  let f = Math.exp(-0.5 * ZIG_TAIL * ZIG_TAIL);
  ZIG_X[0] = ZIG_V / f;
  ZIG_X[1] = ZIG_TAIL;
  ZIG_X[ZIG_C] = 0;
  for (let i = 2; i < ZIG_C; i++) {
    ZIG_X[i] = Math.sqrt(-2 * Math.log(ZIG_V / ZIG_X[i - 1] + f));
    f = Math.exp(-0.5 * ZIG_X[i] * ZIG_X[i]);
  }
  for (let i = 0; i < ZIG_C; i++) ZIG_R[i] = ZIG_X[i + 1] / ZIG_X[i];
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

// Lanczos approximation (g = 7, n = 9; the coefficients of P. Godfrey), relative error ~1e-15 for x > 0.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
  9.9843695780195716e-6, 1.5056327351493116e-7,
];

const LOG_FACTORIAL = new Float64Array(1024);
for (let k = 2; k < 1024; k++) LOG_FACTORIAL[k] = LOG_FACTORIAL[k - 1] + Math.log(k);

/** ln k! for whole k >= 0 (a table below 1024, Lanczos above). */
export function logFactorial(k: number): number {
  return k < 1024 ? LOG_FACTORIAL[k] : logGamma(k + 1);
}

/** ln Gamma(x) for x > 0 (Lanczos; reflection below 0.5). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const y = x - 1;
  let s = LANCZOS[0];
  for (let i = 1; i < 9; i++) s += LANCZOS[i] / (y + i);
  const t = y + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(s);
}

// ---------------------------------------------------------------- per-SKU streams (class stability)
// Seeding: x = fmix32(seed XOR 0xA5A5A5A5) XOR fmix32(stream + 0x632BE5AB) (mod 2^32); then for
// k = 0..3: x = x + 0x9E3779B9 (mod 2^32), s[k] = fmix32(x). fmix32 is a bijection, so distinct
// streams of one seed get distinct starting words, and the four words are never all zero.
// Uniforms: (x + 0.5) / 2^32; normals by the inverse normal cdf of Acklam (2003), relative error
// < 1.15e-9, one uniform each.

/** MurmurHash3's 32-bit finaliser (Appleby): a bijective avalanche mix of one 32-bit word. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Writes the starting state of stream `stream` of `seed` into state[at .. at+4) (see the module comment). */
export function seedStream(seed: number, stream: number, state: Uint32Array, at = 0): void {
  let x = (fmix32((seed ^ 0xa5a5a5a5) >>> 0) ^ fmix32((stream + 0x632be5ab) >>> 0)) >>> 0;
  for (let k = 0; k < 4; k++) {
    x = (x + 0x9e3779b9) >>> 0;
    state[at + k] = fmix32(x);
  }
}

/**
 * Advances the xoshiro128** state held in state[at .. at+4) by one step and returns its output
 * (an unsigned 32-bit integer). Hot loops inline the same steps on local variables.
 */
export function nextUint32(state: Uint32Array, at = 0): number {
  const s0 = state[at];
  const s1 = state[at + 1];
  let s2 = state[at + 2];
  let s3 = state[at + 3];
  const m = Math.imul(s1, 5);
  const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
  const t = s1 << 9;
  s2 ^= s0;
  s3 ^= s1;
  state[at + 1] = s1 ^ s2;
  state[at] = s0 ^ s3;
  state[at + 2] = s2 ^ t;
  state[at + 3] = (s3 << 11) | (s3 >>> 21);
  return result;
}

const TWO_POW_32 = 4294967296;

/** (x + 0.5) / 2^32: the uniform in (0, 1) of a 32-bit output. */
export function uniformOf(x: number): number {
  return (x + 0.5) / TWO_POW_32;
}

// Acklam's coefficients.
const A1 = -3.969683028665376e1;
const A2 = 2.209460984245205e2;
const A3 = -2.759285104469687e2;
const A4 = 1.38357751867269e2;
const A5 = -3.066479806614716e1;
const A6 = 2.506628277459239;
const B1 = -5.447609879822406e1;
const B2 = 1.615858368580409e2;
const B3 = -1.556989798598866e2;
const B4 = 6.680131188771972e1;
const B5 = -1.328068155288572e1;
const C1 = -7.784894002430293e-3;
const C2 = -3.223964580411365e-1;
const C3 = -2.400758277161838;
const C4 = -2.549732539343734;
const C5 = 4.374664141464968;
const C6 = 2.938163982698783;
const D1 = 7.784695709041462e-3;
const D2 = 3.224671290700398e-1;
const D3 = 2.445134137142996;
const D4 = 3.754408661907416;
const P_LOW = 0.02425;
const P_HIGH = 1 - P_LOW;

/**
 * Standard normal deviate of a uniform u in (0, 1) by Acklam's rational approximations: a central
 * one for P_LOW <= u <= P_HIGH, a tail one in q = sqrt(-2 ln u) below (and, by symmetry, in
 * q = sqrt(-2 ln(1 - u)) above). Evaluated in exactly this order of operations (the Python
 * reference does the same, so both give the same double).
 */
export function normalOfUniform(u: number): number {
  if (u < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(u));
    return (((((C1 * q + C2) * q + C3) * q + C4) * q + C5) * q + C6) / ((((D1 * q + D2) * q + D3) * q + D4) * q + 1);
  }
  if (u <= P_HIGH) {
    const q = u - 0.5;
    const r = q * q;
    return ((((((A1 * r + A2) * r + A3) * r + A4) * r + A5) * r + A6) * q) / (((((B1 * r + B2) * r + B3) * r + B4) * r + B5) * r + 1);
  }
  const q = Math.sqrt(-2 * Math.log(1 - u));
  return -(((((C1 * q + C2) * q + C3) * q + C4) * q + C5) * q + C6) / ((((D1 * q + D2) * q + D3) * q + D4) * q + 1);
}

/** A single seeded stream, for callers that need few numbers (tests, small simulations). */
export class RandomStream {
  private readonly state = new Uint32Array(4);

  constructor(seed: number, stream = 0) {
    seedStream(seed, stream, this.state);
  }

  /** Next unsigned 32-bit output. */
  uint32(): number {
    return nextUint32(this.state);
  }

  /** Next uniform in (0, 1). */
  uniform(): number {
    return uniformOf(nextUint32(this.state));
  }

  /** Next standard normal deviate. */
  normal(): number {
    return normalOfUniform(uniformOf(nextUint32(this.state)));
  }
}

/** Checks a seed argument: a whole number from 0 to 2^32 - 1. */
export function isSeed(x: number): boolean {
  return Number.isInteger(x) && x >= 0 && x <= 0xffffffff;
}
