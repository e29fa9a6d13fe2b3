/**
 * Croston's method and its bias-corrected variants for intermittent demand.
 * - croston (Croston 1972, Operational Research Quarterly 23:289-303): exponential smoothing of the
 *   non-zero demand sizes z and of the intervals p between them, updated only in periods with
 *   demand; forecast z / p, flat over the horizon.
 * - sba (Syntetos & Boylan 2005, IJF 21:303-314): (1 - alpha/2) z / p.
 * - sbj (Shale, Boylan & Johnston 2006, JORS 57:588-592): (1 - alpha/(2 - alpha)) z / p.
 * Conventions, as R forecast 8.20's croston() (croston2):
 * - one alpha smooths both sizes and intervals;
 * - the first interval is counted from time 0: a first demand in period t (1-based) has interval t;
 * - sizes and intervals are each smoothed by SES with initial = "simple" (level starts at the
 *   first value and the first update uses that value again); with a single demand so far the
 *   forecast is that size / its interval exactly;
 * - one-step fitted value of period t+1 is the forecast from periods 1..t (R computes it by rerunning
 *   on every prefix; the prefixes are nested, so one pass gives the same numbers); period 1 has none
 *   (NaN); before the first demand the forecast is 0.
 * Demand must be >= 0 (the caller rejects negative periods). An all-zero series forecasts 0.
 */
import { Roll, rollFlat } from "./roll";

/** The bias factor for a variant: 1 (croston), 1 - alpha/2 (sba), 1 - alpha/(2 - alpha) (sbj). */
export function crostonFactor(variant: "croston" | "sba" | "sbj", alpha: number): number {
  if (variant === "sba") return 1 - alpha / 2;
  if (variant === "sbj") return 1 - alpha / (2 - alpha);
  return 1;
}

/**
 * Runs the method through y[off .. off + n): fitted values, the roll, the final forecast into
 * state[0]. Returns the SSE over periods 2..n.
 */
export function crostonFilter(
  y: ArrayLike<number>,
  off: number,
  n: number,
  alpha: number,
  factor: number,
  fitted: Float64Array | null,
  fOff: number,
  roll: Roll | null,
  state: Float64Array,
): number {
  const a1 = 1 - alpha;
  let z = 0;
  let p = 0;
  let firstSize = 0;
  let firstGap = 0;
  let count = 0;
  let q = 0;
  let f = 0;
  let sse = 0;
  for (let i = 0; i < n; i++) {
    const v = y[off + i];
    if (i > 0) {
      if (roll !== null && i >= roll.from) rollFlat(roll, f, y, off, i, n);
      if (fitted !== null) fitted[fOff + i] = f;
      const e = v - f;
      sse += e * e;
    } else if (fitted !== null) fitted[fOff] = Number.NaN;
    q++;
    if (v > 0) {
      if (count === 0) {
        z = firstSize = v;
        p = firstGap = q;
      }
      z = alpha * v + a1 * z;
      p = alpha * q + a1 * p;
      count++;
      q = 0;
      f = (count === 1 ? firstSize / firstGap : z / p) * factor;
    }
  }
  state[0] = f;
  return sse;
}

/**
 * The demand events of y[off .. off + n) for crostonSse: sizes[k], gaps[k] (interval, the first
 * counted from time 0) and the 0-based period pos[k] of demand k. Returns the number of demands.
 */
export function crostonEvents(y: ArrayLike<number>, off: number, n: number, sizes: Float64Array, gaps: Float64Array, pos: Int32Array): number {
  let k = 0;
  let last = -1;
  for (let i = 0; i < n; i++) {
    const v = y[off + i];
    if (v > 0) {
      sizes[k] = v;
      gaps[k] = i - last;
      pos[k] = i;
      last = i;
      k++;
    }
  }
  return k;
}

/**
 * The same SSE as crostonFilter, from the demand events (cost per evaluation proportional to the
 * number of demands, not of periods): between two demands the forecast is constant, so a run of
 * g - 1 zero periods adds (g - 1) f² and the next demand (f - size)².
 */
export function crostonSse(sizes: Float64Array, gaps: Float64Array, pos: Int32Array, k: number, n: number, alpha: number, factor: number): number {
  if (k === 0) return 0;
  const a1 = 1 - alpha;
  const v1 = sizes[0];
  const q1 = gaps[0];
  let sse = pos[0] >= 1 ? v1 * v1 : 0;
  let z = alpha * v1 + a1 * v1;
  let p = alpha * q1 + a1 * q1;
  let f = (v1 / q1) * factor;
  for (let j = 1; j < k; j++) {
    const v = sizes[j];
    const g = gaps[j];
    const e = f - v;
    sse += (g - 1) * f * f + e * e;
    z = alpha * v + a1 * z;
    p = alpha * g + a1 * p;
    f = (z / p) * factor;
  }
  return sse + (n - 1 - pos[k - 1]) * f * f;
}
