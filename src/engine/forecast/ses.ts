/**
 * Simple exponential smoothing (FPP3 §8.1, component form: forecast y_{t+1|t} = l_t,
 * level l_t = alpha y_t + (1 - alpha) l_{t-1}).
 * Start: R forecast's initial = "simple", l_0 = y_1 (ses(y, initial = "simple"), HoltWintersZZ),
 * so the first fitted value is y_1 and the first update, with y_1 itself, leaves the level there.
 * Every forecast of the horizon is the last level. Arithmetic in the order R's zzhw uses
 * (alpha * y + (1 - alpha) * l), so the results match R forecast 8.20 to the last bits.
 */
import { Roll, rollFlat } from "./roll";

/**
 * Runs SES through y[off .. off + n) (n >= 1): fitted values into fitted[fOff ..] when asked, the
 * backtest roll when given, the final level into state[0]. Returns the SSE of the one-step errors
 * over all n periods (the first is 0 by construction).
 */
export function sesFilter(
  y: ArrayLike<number>,
  off: number,
  n: number,
  alpha: number,
  fitted: Float64Array | null,
  fOff: number,
  roll: Roll | null,
  state: Float64Array,
): number {
  const a1 = 1 - alpha;
  let l = y[off];
  let sse = 0;
  for (let i = 0; i < n; i++) {
    const v = y[off + i];
    if (roll !== null && i >= roll.from) rollFlat(roll, l, y, off, i, n);
    if (fitted !== null) fitted[fOff + i] = l;
    const e = v - l;
    sse += e * e;
    l = alpha * v + a1 * l;
  }
  state[0] = l;
  return sse;
}

/** SSE only (the fitting objective): the same recursion without the optional outputs. */
export function sesSse(y: ArrayLike<number>, off: number, n: number, alpha: number): number {
  const a1 = 1 - alpha;
  let l = y[off];
  let sse = 0;
  for (let i = off, end = off + n; i < end; i++) {
    const v = y[i];
    const e = v - l;
    sse += e * e;
    l = alpha * v + a1 * l;
  }
  return sse;
}

export function sesForecast(state: Float64Array, h: number, out: Float64Array, oOff: number): void {
  const l = state[0];
  for (let j = 0; j < h; j++) out[oOff + j] = l;
}
