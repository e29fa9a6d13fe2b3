/**
 * Moving-average forecast: every forecast is the mean of the last k observations,
 * y_{T+h|T} = (y_T + ... + y_{T-k+1}) / k: the simple moving average of Silver, Pyke & Thomas
 * (2017) ch. 4, i.e. FPP3 §5.2's average method over a trailing window (not R forecast's ma(), which
 * is a centred smoother, FPP2 §6.2). One-step fitted value of period t is the
 * mean of periods t-k..t-1; the first k periods have none (NaN). Needs n >= k.
 * Window fitting (window not given): the k in 1..K, K = min(MA_MAX_WINDOW, n - 1) (K = 1 when
 * n = 1), with the smallest one-step MSE over the periods every candidate can forecast (t > K, the
 * same periods for each k, so the comparison is fair); ties go to the smaller k.
 * Each window sum is taken afresh (no running add-and-subtract), so no rounding drifts along the series.
 */
import { MA_MAX_WINDOW } from "./methods";
import { Roll, rollFlat } from "./roll";

function windowMean(y: ArrayLike<number>, from: number, k: number): number {
  let s = 0;
  for (let j = 0; j < k; j++) s += y[from + j];
  return s / k;
}

export function maFilter(y: ArrayLike<number>, off: number, n: number, k: number, fitted: Float64Array | null, fOff: number, roll: Roll | null): number {
  let sse = 0;
  if (fitted) for (let i = 0; i < k && i < n; i++) fitted[fOff + i] = Number.NaN;
  for (let i = k; i < n; i++) {
    const f = windowMean(y, off + i - k, k);
    if (roll && i >= roll.from) rollFlat(roll, f, y, off, i, n);
    if (fitted) fitted[fOff + i] = f;
    const e = y[off + i] - f;
    sse += e * e;
  }
  return sse;
}

export function maForecast(y: ArrayLike<number>, off: number, n: number, k: number, h: number, out: Float64Array, oOff: number): void {
  const f = windowMean(y, off + n - k, k);
  for (let j = 0; j < h; j++) out[oOff + j] = f;
}

/** The fitted window for y[off .. off + n) (see the module comment). `prefix` needs n + 1 slots. */
export function maFitWindow(y: ArrayLike<number>, off: number, n: number, prefix: Float64Array): number {
  const K = Math.max(1, Math.min(MA_MAX_WINDOW, n - 1));
  if (n <= 1) return 1;
  prefix[0] = 0;
  for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i] + y[off + i];
  let best = 1;
  let bestSse = Infinity;
  for (let k = 1; k <= K; k++) {
    let sse = 0;
    for (let i = K; i < n; i++) {
      const e = y[off + i] - (prefix[i] - prefix[i - k]) / k;
      sse += e * e;
    }
    if (sse < bestSse) {
      bestSse = sse;
      best = k;
    }
  }
  return best;
}
