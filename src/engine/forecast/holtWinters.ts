/**
 * Holt-Winters seasonal method, additive and multiplicative, optionally damped (FPP3 §8.3,
 * component form, season length m):
 *   additive        y_{t+h|t} = l_t + phi_h b_t + s_{t+h-m(k+1)}
 *                   l_t = alpha (y_t - s_{t-m}) + (1 - alpha)(l_{t-1} + phi b_{t-1})
 *                   s_t = gamma (y_t - l_{t-1} - phi b_{t-1}) + (1 - gamma) s_{t-m}
 *   multiplicative  y_{t+h|t} = (l_t + phi_h b_t) s_{t+h-m(k+1)}
 *                   l_t = alpha (y_t / s_{t-m}) + (1 - alpha)(l_{t-1} + phi b_{t-1})
 *                   s_t = gamma (y_t / (l_{t-1} + phi b_{t-1})) + (1 - gamma) s_{t-m}
 *   both            b_t = beta (l_t - l_{t-1}) + (1 - beta) phi b_{t-1}
 * with phi_h = phi + ... + phi^h, k = floor((h - 1) / m), phi = 1 when not damped (FPP3 §8.3
 * "Holt-Winters' damped method"). These are R forecast's HoltWintersZZ/zzhw recursions (the seasonal
 * update uses l_{t-1} + phi b_{t-1}, as ETS does, not the classic y_t - l_t).
 * Start: R forecast's initial = "simple": l_0 = mean of the first season, b_0 = (mean of the
 * second season - l_0) / m, s_{j-m} = y_j - l_0 (additive) or y_j / l_0 (multiplicative) for
 * j = 1..m. Needs two full seasons (n >= 2m); multiplicative needs every period > 0 (as R does).
 * The seasonal states live in a ring of m slots: slot (t mod m) holds the latest seasonal value of
 * that phase.
 */
import { Roll, rollPoint } from "./roll";

/** Sets the simple start: state[0] = l_0, state[1] = b_0, season[0 .. m) = the first season's indices. */
function start(y: ArrayLike<number>, off: number, m: number, mul: boolean, state: Float64Array, season: Float64Array): void {
  let s1 = 0;
  let s2 = 0;
  for (let j = 0; j < m; j++) {
    s1 += y[off + j];
    s2 += y[off + m + j];
  }
  const l0 = s1 / m;
  state[0] = l0;
  state[1] = (s2 / m - l0) / m;
  for (let j = 0; j < m; j++) season[j] = mul ? y[off + j] / l0 : y[off + j] - l0;
}

/**
 * Runs the method through y[off .. off + n), n >= 2m. Final (l, b) into state[0..1], the seasonal
 * ring into season[0 .. m) (slot j = phase j, i.e. periods j, j + m, ...). Returns the SSE over all n periods.
 */
export function hwFilter(
  y: ArrayLike<number>,
  off: number,
  n: number,
  m: number,
  mul: boolean,
  alpha: number,
  beta: number,
  gamma: number,
  phi: number,
  fitted: Float64Array | null,
  fOff: number,
  roll: Roll | null,
  state: Float64Array,
  season: Float64Array,
): number {
  start(y, off, m, mul, state, season);
  const a1 = 1 - alpha;
  const b1 = 1 - beta;
  const g1 = 1 - gamma;
  let l = state[0];
  let b = state[1];
  let sse = 0;
  let j = 0;
  for (let i = 0; i < n; i++) {
    const v = y[off + i];
    const ls = season[j];
    const lp = l + phi * b;
    const f = mul ? lp * ls : lp + ls;
    if (roll !== null && i >= roll.from) {
      const last = Math.min(roll.lags, n - i);
      let pw = 1;
      let s = 0;
      for (let h = 1; h <= last; h++) {
        pw *= phi;
        s += pw;
        const base = h === 1 ? lp : l + s * b;
        const sj = season[(i + h - 1) % m];
        rollPoint(roll, h, mul ? base * sj : base + sj, y[off + i + h - 1]);
      }
    }
    if (fitted !== null) fitted[fOff + i] = f;
    const e = v - f;
    sse += e * e;
    let ln: number;
    if (mul) {
      ln = alpha * (v / ls) + a1 * lp;
      season[j] = gamma * (v / lp) + g1 * ls;
    } else {
      ln = alpha * (v - ls) + a1 * lp;
      season[j] = gamma * (v - l - phi * b) + g1 * ls;
    }
    b = beta * (ln - l) + b1 * phi * b;
    l = ln;
    if (++j === m) j = 0;
  }
  state[0] = l;
  state[1] = b;
  return sse;
}

/**
 * SSE only (the fitting objective), with the level and trend updates rearranged as in holt.ts
 * holtSse (u = y_t - s_{t-m}, or y_t / s_{t-m} when multiplicative):
 *   l_t = alpha u + (1 - alpha) l + (1 - alpha) phi b,   b_t = alpha beta (u - l) + phi (1 - alpha beta) b.
 * Leaves the seasonal ring in `season` (as hwFilter would, up to rounding).
 */
export function hwSse(
  y: ArrayLike<number>,
  off: number,
  n: number,
  m: number,
  mul: boolean,
  alpha: number,
  beta: number,
  gamma: number,
  phi: number,
  state: Float64Array,
  season: Float64Array,
): number {
  start(y, off, m, mul, state, season);
  const a1 = 1 - alpha;
  const a1phi = a1 * phi;
  const c1 = alpha * beta;
  const c2 = phi * (1 - alpha * beta);
  const g1 = 1 - gamma;
  let l = state[0];
  let b = state[1];
  let sse = 0;
  let j = 0;
  if (mul) {
    for (let i = off, end = off + n; i < end; i++) {
      const v = y[i];
      const ls = season[j];
      const lp = l + phi * b;
      const e = v - lp * ls;
      sse += e * e;
      const u = v / ls;
      season[j] = gamma * (v / lp) + g1 * ls;
      const ln = alpha * u + a1 * l + a1phi * b;
      b = c1 * (u - l) + c2 * b;
      l = ln;
      if (++j === m) j = 0;
    }
  } else {
    for (let i = off, end = off + n; i < end; i++) {
      const v = y[i];
      const ls = season[j];
      const pb = phi * b;
      const e = v - (l + pb + ls);
      sse += e * e;
      const u = v - ls;
      season[j] = gamma * (v - l - pb) + g1 * ls;
      const ln = alpha * u + a1 * l + a1phi * b;
      b = c1 * (u - l) + c2 * b;
      l = ln;
      if (++j === m) j = 0;
    }
  }
  return sse;
}

/** The horizon from the state hwFilter left (n = the number of periods it ran through). */
export function hwForecast(state: Float64Array, season: Float64Array, n: number, m: number, mul: boolean, phi: number, h: number, out: Float64Array, oOff: number): void {
  const l = state[0];
  const b = state[1];
  let pw = 1;
  let s = 0;
  for (let k = 0; k < h; k++) {
    pw *= phi;
    s += pw;
    const base = l + s * b;
    const sj = season[(n + k) % m];
    out[oOff + k] = mul ? base * sj : base + sj;
  }
}
