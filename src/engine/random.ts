/**
 * Seeded pseudo-random numbers for the engine's simulations (one module; every Monte Carlo in the
 * engine draws from here, so a seed means the same numbers everywhere).
 *
 * Generator: xoshiro128** 1.1 (Blackman & Vigna, "Scrambled linear pseudorandom number
 * generators", ACM TOMS 47(4), 2021; reference C code at prng.di.unimi.it/xoshiro128starstar.c):
 * 128-bit state in four 32-bit words, period 2^128 - 1, 32-bit outputs. All arithmetic is on
 * unsigned 32-bit integers (Math.imul, >>>), so any language reproduces the stream exactly.
 *
 * Seeding (our own convention, reproduced by test/fixtures/gen_stability.py): one independent
 * stream per (seed, stream) pair, e.g. per SKU. With fmix32 the MurmurHash3 32-bit finaliser,
 *   x = fmix32(seed XOR 0xA5A5A5A5) XOR fmix32(stream + 0x632BE5AB)   (mod 2^32)
 *   for k = 0..3: x = x + 0x9E3779B9 (mod 2^32); s[k] = fmix32(x)
 * (a splitmix-style Weyl sequence). fmix32 is a bijection, so distinct streams of one seed get
 * distinct starting words, and the four words are never all zero.
 *
 * Uniforms: u = (x + 0.5) / 2^32 for a 32-bit output x, strictly inside (0, 1) and exact.
 * Normals: one uniform each, by the inverse normal cdf of Acklam (2003, "An algorithm for computing
 * the inverse normal cumulative distribution function"; relative error < 1.15e-9, far below any
 * Monte Carlo noise). One uniform per deviate (no rejection) keeps every stream position fixed:
 * draw j of a stream is always the j-th output, however the work is split into chunks.
 */

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
