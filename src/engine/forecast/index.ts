/**
 * Demand forecasting by method family (naive.ts, movingAverage.ts, ses.ts, holt.ts,
 * holtWinters.ts, croston.ts, tsb.ts), fitting (model.ts, optimize.ts), accuracy and backtest
 * (accuracy.ts, roll.ts), the auto rule (auto.ts), the batch over many SKUs (batch.ts), the family
 * level (family.ts) and the calls behind the custom functions (rows.ts). Conventions and sources:
 * each module's comment and docs/functions-forecast.md.
 */
export { accuracy, accuracyColumns, maseScale, METRICS, type AccuracyMetrics, type AccuracyOptions, type Metric } from "./accuracy";
export { AUTO_DEFAULTS, type AutoOptions } from "./auto";
export {
  CHUNK,
  DEFAULT_BACKTEST_LAGS,
  DEFAULT_BACKTEST_PERIODS,
  DEFAULT_HORIZON,
  forecastBatch,
  methodName,
  NEGATIVE_PATTERN_NOTE,
  NO_DEMAND_NOTE,
  type BacktestColumns,
  type BacktestOptions,
  type ForecastBatchResult,
  type ForecastOptions,
  type PerRow,
} from "./batch";
export { forecastFamilies, type FamilyOptions, type FamilyResult } from "./family";
export { FORECAST_METHODS, METHOD_CHOICES, methodCode, PHI_LOWER, PHI_UPPER, type ForecastMethod, type MethodChoice } from "./methods";
export {
  accuracyRows,
  FORECAST_OUTPUTS,
  forecastRows,
  forecastSeries,
  PARAMS_HEADER,
  type AccuracyRowsOptions,
  type ForecastOutput,
  type ForecastRowsOptions,
  type ForecastRowsResult,
  type RowValues,
  type SeriesForecast,
} from "./rows";
