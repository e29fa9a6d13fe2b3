/**
 * Holt's linear trend method and the damped trend method (FPP3 §8.2, component form):
 *   forecast  y_{t+h|t} = l_t + (phi + phi^2 + ... + phi^h) b_t
 *   level     l_t = alpha y_t + (1 - alpha)(l_{t-1} + phi b_{t-1})
 *   trend     b_t = beta (l_t - l_{t-1}) + (1 - beta) phi b_{t-1}
 * with phi = 1 for Holt's linear method ("holt") and phi in [0.8, 0.98] for "damped". beta is
 * FPP3's beta* (the trend smoothing relative to the level change), as in R's HoltWintersZZ.
 * Start: R forecast's initial = "simple", l_0 = y_1 and b_0 = y_2 - y_1, so the first fitted value
 * is l_0 + phi b_0 (= y_2 when undamped). Needs n >= 2. R forecast 8.20's holt(damped = TRUE) always
 * uses the optimal start; this module applies the simple start to the damped method as well
 * (HoltWintersZZ with phi, which is what the fixtures compare with). Arithmetic in zzhw's order.
 */
import { Roll, rollPoint } from "./roll";

/** Runs the method through y[off .. off + n), n >= 2; final (l, b) into state[0..1]. Returns the SSE over all n periods. */
export function holtFilter(
  y: ArrayLike<number>,
  off: number,
  n: number,
  alpha: number,
  beta: number,
  phi: number,
  fitted: Float64Array | null,
  fOff: number,
  roll: Roll | null,
  state: Float64Array,
): number {
  const a1 = 1 - alpha;
  const b1 = 1 - beta;
  let l = y[off];
  let b = y[off + 1] - y[off];
  let sse = 0;
  for (let i = 0; i < n; i++) {
    const v = y[off + i];
    const lp = l + phi * b;
    if (roll !== null && i >= roll.from) {
      const last = Math.min(roll.lags, n - i);
      let pw = 1;
      let s = 0;
      for (let h = 1; h <= last; h++) {
        pw *= phi;
        s += pw;
        rollPoint(roll, h, h === 1 ? lp : l + s * b, y[off + i + h - 1]);
      }
    }
    if (fitted !== null) fitted[fOff + i] = lp;
    const e = v - lp;
    sse += e * e;
    const ln = alpha * v + a1 * lp;
    b = beta * (ln - l) + b1 * phi * b;
    l = ln;
  }
  state[0] = l;
  state[1] = b;
  return sse;
}

/**
 * SSE only (the fitting objective). The same recursion rearranged so that the new level and trend
 * are each one multiply-add of (l, b):
 *   l_t = alpha y_t + (1 - alpha) l + (1 - alpha) phi b
 *   b_t = alpha beta (y_t - l) + phi (1 - alpha beta) b
 * (substitute l_t into the trend equation), which halves the dependency chain per period. The
 * results differ from holtFilter's only by rounding; the fitted values always come from holtFilter.
 */
export function holtSse(y: ArrayLike<number>, off: number, n: number, alpha: number, beta: number, phi: number): number {
  const a1 = 1 - alpha;
  const a1phi = a1 * phi;
  const c1 = alpha * beta;
  const c2 = phi * (1 - alpha * beta);
  let l = y[off];
  let b = y[off + 1] - y[off];
  let sse = 0;
  for (let i = off, end = off + n; i < end; i++) {
    const v = y[i];
    const e = v - (l + phi * b);
    sse += e * e;
    const ln = alpha * v + a1 * l + a1phi * b;
    b = c1 * (v - l) + c2 * b;
    l = ln;
  }
  return sse;
}

export function holtForecast(state: Float64Array, phi: number, h: number, out: Float64Array, oOff: number): void {
  const l = state[0];
  const b = state[1];
  let pw = 1;
  let s = 0;
  for (let j = 0; j < h; j++) {
    pw *= phi;
    s += pw;
    out[oOff + j] = l + s * b;
  }
}
