/**
 * TSB method (Teunter, Syntetos & Babai 2011, EJOR 214:606-615) for intermittent demand with
 * obsolescence: the demand probability p is smoothed every period, the demand size z only in
 * periods with demand; forecast p z, flat over the horizon.
 *   demand in period t:  p_t = beta + (1 - beta) p_{t-1},   z_t = alpha y_t + (1 - alpha) z_{t-1}
 *   no demand:           p_t = (1 - beta) p_{t-1},          z_t = z_{t-1}
 * alpha smooths the size, beta the probability (the paper's alpha and beta).
 * Start: p_0 = the first period's 0/1 demand indicator, z_0 = the first non-zero demand (so the
 * first fitted value p_0 z_0 equals y_1, as SES's does). Demand must be >= 0; an all-zero series
 * forecasts 0 (the caller handles it before this module).
 */
import { Roll, rollFlat } from "./roll";

/** The first non-zero value of y[off .. off + n), 0 when there is none. */
export function firstDemand(y: ArrayLike<number>, off: number, n: number): number {
  for (let i = 0; i < n; i++) if (y[off + i] > 0) return y[off + i];
  return 0;
}

/** Runs TSB through y[off .. off + n); final (p, z) into state[0..1]. Returns the SSE over all n periods. */
export function tsbFilter(
  y: ArrayLike<number>,
  off: number,
  n: number,
  alpha: number,
  beta: number,
  z0: number,
  fitted: Float64Array | null,
  fOff: number,
  roll: Roll | null,
  state: Float64Array,
): number {
  const a1 = 1 - alpha;
  const b1 = 1 - beta;
  let p = y[off] > 0 ? 1 : 0;
  let z = z0;
  let sse = 0;
  for (let i = 0; i < n; i++) {
    const v = y[off + i];
    const f = p * z;
    if (roll !== null && i >= roll.from) rollFlat(roll, f, y, off, i, n);
    if (fitted !== null) fitted[fOff + i] = f;
    const e = v - f;
    sse += e * e;
    if (v > 0) {
      p = beta + b1 * p;
      z = alpha * v + a1 * z;
    } else p = b1 * p;
  }
  state[0] = p;
  state[1] = z;
  return sse;
}

/** SSE only (the fitting objective): tsbFilter's recursion without the optional outputs. */
export function tsbSse(y: ArrayLike<number>, off: number, n: number, alpha: number, beta: number, z0: number): number {
  const a1 = 1 - alpha;
  const b1 = 1 - beta;
  let p = y[off] > 0 ? 1 : 0;
  let z = z0;
  let sse = 0;
  for (let i = off, end = off + n; i < end; i++) {
    const v = y[i];
    const e = v - p * z;
    sse += e * e;
    if (v > 0) {
      p = beta + b1 * p;
      z = alpha * v + a1 * z;
    } else p = b1 * p;
  }
  return sse;
}

export function tsbForecast(state: Float64Array, h: number, out: Float64Array, oOff: number): void {
  const f = state[0] * state[1];
  for (let j = 0; j < h; j++) out[oOff + j] = f;
}
