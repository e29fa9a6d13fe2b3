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

/**
 * SES with one fixed alpha over rows [start, end) of a row-major rows x n history, four rows at a
 * time (four independent level chains per period instead of one, so the loop is not bound by the
 * latency of a single chain). Per row r, at index r - start: the last level into level, the SSE
 * into sse and sum |y| into absSum (NaN or Infinity there means a period was not finite; 0 means no demand),
 * for the caller to check. Same arithmetic as sesFilter.
 */
export function sesFixedRows(
  y: Float64Array,
  n: number,
  start: number,
  end: number,
  alpha: number,
  level: Float64Array,
  sse: Float64Array,
  absSum: Float64Array,
): void {
  const a1 = 1 - alpha;
  let r = start;
  for (; r + 4 <= end; r += 4) {
    const o0 = r * n;
    const o1 = o0 + n;
    const o2 = o1 + n;
    const o3 = o2 + n;
    let l0 = y[o0];
    let l1 = y[o1];
    let l2 = y[o2];
    let l3 = y[o3];
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let c0 = 0;
    let c1 = 0;
    let c2 = 0;
    let c3 = 0;
    for (let j = 0; j < n; j++) {
      const v0 = y[o0 + j];
      const v1 = y[o1 + j];
      const v2 = y[o2 + j];
      const v3 = y[o3 + j];
      const e0 = v0 - l0;
      const e1 = v1 - l1;
      const e2 = v2 - l2;
      const e3 = v3 - l3;
      s0 += e0 * e0;
      s1 += e1 * e1;
      s2 += e2 * e2;
      s3 += e3 * e3;
      c0 += Math.abs(v0);
      c1 += Math.abs(v1);
      c2 += Math.abs(v2);
      c3 += Math.abs(v3);
      l0 = alpha * v0 + a1 * l0;
      l1 = alpha * v1 + a1 * l1;
      l2 = alpha * v2 + a1 * l2;
      l3 = alpha * v3 + a1 * l3;
    }
    const i = r - start;
    level[i] = l0;
    level[i + 1] = l1;
    level[i + 2] = l2;
    level[i + 3] = l3;
    sse[i] = s0;
    sse[i + 1] = s1;
    sse[i + 2] = s2;
    sse[i + 3] = s3;
    absSum[i] = c0;
    absSum[i + 1] = c1;
    absSum[i + 2] = c2;
    absSum[i + 3] = c3;
  }
  for (; r < end; r++) {
    const o = r * n;
    let l = y[o];
    let s = 0;
    let c = 0;
    for (let j = 0; j < n; j++) {
      const v = y[o + j];
      const e = v - l;
      s += e * e;
      c += Math.abs(v);
      l = alpha * v + a1 * l;
    }
    level[r - start] = l;
    sse[r - start] = s;
    absSum[r - start] = c;
  }
}
