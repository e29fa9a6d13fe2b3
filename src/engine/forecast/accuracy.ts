/**
 * Forecast accuracy metrics (Hyndman & Athanasopoulos, FPP3 §5.8 "Evaluating point forecast
 * accuracy"; Hyndman & Koehler 2006, IJF 22:679-688 for sMAPE and MASE).
 *
 * Convention: error e = forecast - actual (positive = over-forecast), so ME > 0 and a positive
 * tracking signal mean the forecast runs high. Over the pairs that have both a forecast and an
 * actual (a NaN on either side skips the pair):
 * - ME    = mean(e)                                     (bias, units)
 * - MAE   = mean(|e|)                                   (units)
 * - RMSE  = sqrt(mean(e²))                              (units)
 * - MAPE  = mean(|e| / |a|) over the pairs with a != 0  (zero actuals are skipped; a fraction, 0.12 = 12 %;
 *           undefined when every actual is 0)
 * - WAPE  = Σ|e| / Σ|a|                                  (a fraction; undefined when Σ|a| = 0)
 * - sMAPE = mean(2 |e| / (|a| + |f|))                    (a fraction in [0, 2]; a pair with a = f = 0 counts
 *           as 0, a perfect forecast of no demand)
 * - MASE  = MAE / scale, scale = mean |y_t - y_{t-m}| over the training (in-sample) series,
 *           t = m+1..T, m = 1 (naive) unless a season length is given (seasonal naive); undefined
 *           when the scale is 0 or the training series has no m+1 periods.
 * - TS    = Σe / MAD with MAD = mean |e| (= MAE), i.e. n·ME/MAE, in [-n, n] (the tracking signal of
 *           Brown 1962 / Trigg; some tools use Σe / Σ|e| instead, which is TS / n). Undefined when
 *           every error is 0.
 * The accumulator layout (ACC_SIZE numbers per group) is shared with the backtest.
 */
import { CellError, cellError } from "../errors";

export const METRICS = ["me", "mae", "rmse", "mape", "wape", "smape", "mase", "ts"] as const;
export type Metric = (typeof METRICS)[number];

// Accumulator slots.
export const A_COUNT = 0;
export const A_SUM_E = 1;
export const A_SUM_ABS_E = 2;
export const A_SUM_SQ_E = 3;
export const A_SUM_ABS_A = 4;
export const A_SUM_APE = 5;
export const A_COUNT_APE = 6;
export const A_SUM_SAPE = 7;
export const ACC_SIZE = 8;

/** Adds one (forecast, actual) pair to the accumulator at acc[o .. o + ACC_SIZE). Both must be finite. */
export function accumulate(acc: Float64Array, o: number, f: number, a: number): void {
  const e = f - a;
  const ae = e < 0 ? -e : e;
  const aa = a < 0 ? -a : a;
  acc[o] += 1;
  acc[o + A_SUM_E] += e;
  acc[o + A_SUM_ABS_E] += ae;
  acc[o + A_SUM_SQ_E] += e * e;
  acc[o + A_SUM_ABS_A] += aa;
  if (aa !== 0) {
    acc[o + A_SUM_APE] += ae / aa;
    acc[o + A_COUNT_APE] += 1;
  }
  const d = aa + (f < 0 ? -f : f);
  if (d > 0) acc[o + A_SUM_SAPE] += (2 * ae) / d;
}

/** The metric from an accumulator; NaN when undefined (metricProblem says why). `scale` is for MASE. */
export function metricValue(acc: Float64Array, o: number, metric: Metric, scale = Number.NaN): number {
  const n = acc[o];
  if (!(n > 0)) return Number.NaN;
  switch (metric) {
    case "me":
      return acc[o + A_SUM_E] / n;
    case "mae":
      return acc[o + A_SUM_ABS_E] / n;
    case "rmse":
      return Math.sqrt(acc[o + A_SUM_SQ_E] / n);
    case "mape":
      return acc[o + A_COUNT_APE] > 0 ? acc[o + A_SUM_APE] / acc[o + A_COUNT_APE] : Number.NaN;
    case "wape":
      return acc[o + A_SUM_ABS_A] > 0 ? acc[o + A_SUM_ABS_E] / acc[o + A_SUM_ABS_A] : Number.NaN;
    case "smape":
      return acc[o + A_SUM_SAPE] / n;
    case "mase":
      return scale > 0 ? acc[o + A_SUM_ABS_E] / n / scale : Number.NaN;
    case "ts": {
      const mad = acc[o + A_SUM_ABS_E] / n;
      return mad > 0 ? acc[o + A_SUM_E] / mad : Number.NaN;
    }
  }
}

/** Why metricValue is NaN for this accumulator, as an "na" CellError (undefined when it is not). */
export function metricProblem(acc: Float64Array, o: number, metric: Metric, scale = Number.NaN): CellError | undefined {
  if (!(acc[o] > 0)) return cellError("no period has both an actual and a forecast", "na");
  switch (metric) {
    case "mape":
      return acc[o + A_COUNT_APE] > 0 ? undefined : cellError("every actual is 0: MAPE undefined (zero actuals are skipped)", "na");
    case "wape":
      return acc[o + A_SUM_ABS_A] > 0 ? undefined : cellError("the actuals sum to 0: WAPE undefined", "na");
    case "mase":
      return scale > 0 ? undefined : Number.isNaN(scale) ? cellError("MASE needs a training series longer than the season length", "na") : cellError("the training series has no naive error (it repeats itself): MASE undefined", "na");
    case "ts":
      return acc[o + A_SUM_ABS_E] > 0 ? undefined : cellError("every error is 0: tracking signal undefined", "na");
    default:
      return undefined;
  }
}

/**
 * The MASE scale: mean |y_t - y_{t-m}| over t = m+1..n of y[off .. off + n), NaN where a term is
 * missing (a NaN period skips its terms). NaN when no term is left.
 */
export function maseScale(y: ArrayLike<number>, off: number, n: number, m = 1): number {
  let s = 0;
  let c = 0;
  for (let t = m; t < n; t++) {
    const d = y[off + t] - y[off + t - m];
    if (d === d) {
      s += d < 0 ? -d : d;
      c++;
    }
  }
  return c > 0 ? s / c : Number.NaN;
}

/** All metrics of one series at once. */
export interface AccuracyMetrics {
  /** Pairs used. */
  count: number;
  me: number;
  mae: number;
  rmse: number;
  mape: number;
  wape: number;
  smape: number;
  mase: number;
  ts: number;
}

export function metricsFromAcc(acc: Float64Array, o: number, scale = Number.NaN): AccuracyMetrics {
  return {
    count: acc[o],
    me: metricValue(acc, o, "me"),
    mae: metricValue(acc, o, "mae"),
    rmse: metricValue(acc, o, "rmse"),
    mape: metricValue(acc, o, "mape"),
    wape: metricValue(acc, o, "wape"),
    smape: metricValue(acc, o, "smape"),
    mase: metricValue(acc, o, "mase", scale),
    ts: metricValue(acc, o, "ts"),
  };
}

export interface AccuracyOptions {
  /** In-sample series for the MASE scale. */
  training?: ArrayLike<number>;
  /** Lag m of the MASE scale (seasonal naive); default 1. */
  seasonLength?: number;
}

/**
 * Every metric for one series: forecasts and actuals aligned period by period (NaN on either side
 * skips the period). Lengths must match (the shorter length is used otherwise).
 */
export function accuracy(actual: ArrayLike<number>, forecast: ArrayLike<number>, options: AccuracyOptions = {}): AccuracyMetrics {
  const acc = new Float64Array(ACC_SIZE);
  const n = Math.min(actual.length, forecast.length);
  for (let i = 0; i < n; i++) {
    const a = actual[i];
    const f = forecast[i];
    if (a === a && f === f) accumulate(acc, 0, f, a);
  }
  const scale = options.training ? maseScale(options.training, 0, options.training.length, options.seasonLength ?? 1) : Number.NaN;
  return metricsFromAcc(acc, 0, scale);
}

/**
 * One metric per row of row-major matrices (rows x cols) of actuals and forecasts, NaN = missing.
 * `training` (rows x trainingCols, or one row for all) gives the MASE scale. Rows whose metric is
 * undefined get NaN and an "na" CellError with the reason.
 */
export function accuracyColumns(
  actual: ArrayLike<number>,
  forecast: ArrayLike<number>,
  rows: number,
  cols: number,
  metric: Metric,
  training?: { data: ArrayLike<number>; rows: number; cols: number },
  seasonLength = 1,
): { value: Float64Array; errors: Map<number, CellError> } {
  const value = new Float64Array(rows);
  const errors = new Map<number, CellError>();
  const acc = new Float64Array(ACC_SIZE);
  for (let r = 0; r < rows; r++) {
    acc.fill(0);
    const o = r * cols;
    for (let j = 0; j < cols; j++) {
      const a = actual[o + j];
      const f = forecast[o + j];
      if (a === a && f === f) accumulate(acc, 0, f, a);
    }
    let scale = Number.NaN;
    if (metric === "mase" && training) {
      const tr = training.rows === 1 ? 0 : r;
      scale = maseScale(training.data, tr * training.cols, training.cols, seasonLength);
    }
    const v = metricValue(acc, 0, metric, scale);
    value[r] = v;
    if (Number.isNaN(v)) errors.set(r, metricProblem(acc, 0, metric, scale) ?? cellError("undefined", "na"));
  }
  return { value, errors };
}
