/**
 * Naive and seasonal naive forecasts (FPP3 §5.2 "Some simple forecasting methods").
 * - naive: every forecast is the last observation, y_{T+h|T} = y_T. One-step fitted value of
 *   period t is y_{t-1}; period 1 has none (NaN).
 * - snaive (season length m): y_{T+h|T} = y_{T+h-m(k+1)}, k = floor((h-1)/m), the value of the
 *   same season one cycle back. Fitted value of period t is y_{t-m}; the first m periods have none.
 *   Needs at least one full season (n >= m).
 * Both are the baselines of the forecast value added (FVA) in the backtest. R forecast naive() and
 * snaive() give the same point forecasts.
 */
import { Roll, rollFlat, rollPoint } from "./roll";

/** Runs naive through y[off .. off + n): fitted values (when asked) and the backtest roll. Returns the SSE. */
export function naiveFilter(y: ArrayLike<number>, off: number, n: number, fitted: Float64Array | null, fOff: number, roll: Roll | null): number {
  let sse = 0;
  if (fitted) fitted[fOff] = Number.NaN;
  for (let i = 1; i < n; i++) {
    const f = y[off + i - 1];
    if (roll && i >= roll.from) rollFlat(roll, f, y, off, i, n);
    if (fitted) fitted[fOff + i] = f;
    const e = y[off + i] - f;
    sse += e * e;
  }
  return sse;
}

export function naiveForecast(y: ArrayLike<number>, off: number, n: number, h: number, out: Float64Array, oOff: number): void {
  const f = y[off + n - 1];
  for (let j = 0; j < h; j++) out[oOff + j] = f;
}

export function snaiveFilter(y: ArrayLike<number>, off: number, n: number, m: number, fitted: Float64Array | null, fOff: number, roll: Roll | null): number {
  let sse = 0;
  if (fitted) for (let i = 0; i < m && i < n; i++) fitted[fOff + i] = Number.NaN;
  for (let i = m; i < n; i++) {
    if (roll && i >= roll.from) {
      const last = Math.min(roll.lags, n - i);
      for (let h = 1; h <= last; h++) rollPoint(roll, h, y[off + i - m + ((h - 1) % m)], y[off + i + h - 1]);
    }
    const f = y[off + i - m];
    if (fitted) fitted[fOff + i] = f;
    const e = y[off + i] - f;
    sse += e * e;
  }
  return sse;
}

export function snaiveForecast(y: ArrayLike<number>, off: number, n: number, m: number, h: number, out: Float64Array, oOff: number): void {
  for (let j = 0; j < h; j++) out[oOff + j] = y[off + n - m + (j % m)];
}
