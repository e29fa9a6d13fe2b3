/**
 * The calls behind the custom functions, so that the wrappers only shape arguments:
 * - forecastRows: =SEG.FORECAST(history, [method], [horizon], [alpha], [beta], [gamma], [phi],
 *   [season_length], [output]). One result row per history row: `horizon` forecasts, or the fitted
 *   values (one per period, null where undefined), or the parameters (PARAMS_HEADER). A row that
 *   cannot be forecast is a CellError.
 * - accuracyRows: =SEG.FORECAST_ACCURACY(actuals, forecasts, [metric], [training], [season_length]).
 *   One number (or CellError) per row.
 * - forecastSeries: one series (the pane's "actual vs forecast" view, tests).
 * Text options are matched without regard to case or surrounding spaces. Parameters not given are
 * fitted (batch.ts). Everything else follows batch.ts and accuracy.ts.
 */
import { readNumber } from "../cells";
import { ArgumentError, CellError, cellError, isCellError } from "../errors";
import type { DemandHistory } from "../xyz";
import { accuracyColumns, type AccuracyMetrics, METRICS, type Metric } from "./accuracy";
import { forecastBatch, type ForecastOptions, type PerRow } from "./batch";
import { FORECAST_METHODS, type ForecastMethod, METHOD_CHOICES, type MethodChoice } from "./methods";

export const FORECAST_OUTPUTS = ["forecast", "fitted", "params"] as const;
export type ForecastOutput = (typeof FORECAST_OUTPUTS)[number];
/** Columns of output "params" (null where the method does not use the parameter). */
export const PARAMS_HEADER = ["method", "alpha", "beta", "gamma", "phi", "window"] as const;

export interface ForecastRowsOptions {
  /** Method name (default "auto"). */
  method?: string;
  /** Default 12. */
  horizon?: number;
  /** Fixed parameters (NaN / undefined = fit); a column gives one per row. */
  alpha?: PerRow;
  beta?: PerRow;
  gamma?: PerRow;
  phi?: PerRow;
  /** ma's window (SEG.FORECAST has no argument for it: the window is fitted there). */
  window?: PerRow;
  seasonLength?: number;
  /** "forecast" (default), "fitted" or "params". */
  output?: string;
  /** Clip negative forecasts at 0 (default false). */
  clip?: boolean;
}

export type RowValues = (number | string | null)[];

export interface ForecastRowsResult {
  output: ForecastOutput;
  /** Values per result row (horizon, periods or PARAMS_HEADER.length of them). */
  width: number;
  /** One entry per history row. */
  values: (RowValues | CellError)[];
  /** Per row: what the engine noted (no demand, auto's fallbacks). */
  notes: Map<number, string>;
}

function choice<T extends string>(name: string, v: string | undefined, allowed: readonly T[], fallback: T): T {
  if (v === undefined) return fallback;
  const s = String(v).trim().toLowerCase();
  if (s === "") return fallback;
  if (!(allowed as readonly string[]).includes(s)) throw new ArgumentError(name, `must be one of ${allowed.join(", ")}, got ${JSON.stringify(v)}`);
  return s as T;
}

/** Reads every row of the history; rows that cannot be read get their CellError and NaN periods. */
function readAll(history: DemandHistory): { data: Float64Array; readErrors: Map<number, CellError> } {
  const { rows, periods } = history;
  const data = new Float64Array(rows * periods);
  const row = new Float64Array(periods);
  const readErrors = new Map<number, CellError>();
  for (let r = 0; r < rows; r++) {
    const e = history.readRow(r, row);
    if (e) {
      readErrors.set(r, e);
      data.fill(Number.NaN, r * periods, (r + 1) * periods);
    } else data.set(row, r * periods);
  }
  return { data, readErrors };
}

/** =SEG.FORECAST's engine call. Throws ArgumentError for a bad argument. */
export function forecastRows(history: DemandHistory, options: ForecastRowsOptions = {}): ForecastRowsResult {
  const method = choice<MethodChoice>("method", options.method, METHOD_CHOICES, "auto");
  const output = choice<ForecastOutput>("output", options.output, FORECAST_OUTPUTS, "forecast");
  const { rows, periods } = history;
  const { data, readErrors } = readAll(history);
  const batchOptions: ForecastOptions = {
    method,
    horizon: options.horizon,
    alpha: options.alpha,
    beta: options.beta,
    gamma: options.gamma,
    phi: options.phi,
    window: options.window,
    seasonLength: options.seasonLength,
    clip: options.clip,
    fitted: output === "fitted",
  };
  const res = forecastBatch(data, rows, periods, batchOptions);
  const width = output === "forecast" ? res.horizon : output === "fitted" ? periods : PARAMS_HEADER.length;
  const values: (RowValues | CellError)[] = new Array(rows);
  const num = (x: number) => (x === x ? x : null);
  for (let r = 0; r < rows; r++) {
    const e = readErrors.get(r) ?? res.errors.get(r);
    if (e) {
      values[r] = e;
      continue;
    }
    if (output === "params") {
      values[r] = [FORECAST_METHODS[res.method[r]], num(res.alpha[r]), num(res.beta[r]), num(res.gamma[r]), num(res.phi[r]), num(res.window[r])];
    } else {
      const src = output === "forecast" ? res.forecast : res.fitted!;
      const row: RowValues = new Array(width);
      for (let j = 0; j < width; j++) row[j] = num(src[r * width + j]);
      values[r] = row;
    }
  }
  return { output, width, values, notes: res.notes };
}

export interface AccuracyRowsOptions {
  /** "mase" (default), "me", "mae", "rmse", "mape", "wape", "smape" or "ts". */
  metric?: string;
  /** In-sample history per row (or one row for all) for MASE's scale. */
  training?: readonly (readonly unknown[])[];
  /** MASE's lag m (default 1). */
  seasonLength?: number;
}

/**
 * Cells as numbers: a number is taken as is, a blank (null, undefined, "") is missing (NaN: the
 * pair is skipped), text, TRUE/FALSE or a non-finite number spoils its row.
 */
function readMatrix(cells: readonly (readonly unknown[])[], name: string, cols: number, errors: Map<number, CellError>): Float64Array {
  const rows = cells.length;
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const row = cells[r];
    for (let j = 0; j < cols; j++) {
      const c = row[j];
      if (typeof c === "number" && Number.isFinite(c)) out[r * cols + j] = c;
      else if (c === null || c === undefined || c === "") out[r * cols + j] = Number.NaN;
      else {
        const x = readNumber(c, "reject");
        if (!errors.has(r)) errors.set(r, cellError(`${name} period ${j + 1}: ${isCellError(x) ? x.message : "not a number"}`));
        out[r * cols + j] = Number.NaN;
      }
    }
  }
  return out;
}

/** =SEG.FORECAST_ACCURACY's engine call: one value per row. Throws ArgumentError for a bad argument. */
export function accuracyRows(actuals: readonly (readonly unknown[])[], forecasts: readonly (readonly unknown[])[], options: AccuracyRowsOptions = {}): (number | CellError)[] {
  const metric = choice<Metric>("metric", options.metric, METRICS, "mase");
  const rows = actuals.length;
  const cols = rows > 0 ? actuals[0].length : 0;
  if (rows === 0 || cols === 0) throw new ArgumentError("actuals", "the range is empty");
  if (forecasts.length !== rows || forecasts.some((r) => r.length !== cols) || actuals.some((r) => r.length !== cols)) {
    throw new ArgumentError("forecasts", `must have the shape of actuals (${rows} x ${cols}), got ${forecasts.length} x ${forecasts[0]?.length ?? 0}`);
  }
  const m = options.seasonLength ?? 1;
  if (!(Number.isInteger(m) && m >= 1)) throw new ArgumentError("season_length", `must be a whole number >= 1, got ${m}`);
  const training = options.training;
  if (metric === "mase" && (training === undefined || training.length === 0)) throw new ArgumentError("training", "is required for metric mase (its scale is the in-sample naive error)");
  const errors = new Map<number, CellError>();
  const a = readMatrix(actuals, "actuals", cols, errors);
  const f = readMatrix(forecasts, "forecasts", cols, errors);
  let tr: { data: Float64Array; rows: number; cols: number } | undefined;
  if (training && training.length > 0) {
    const tRows = training.length;
    const tCols = training[0].length;
    if (!(tRows === rows || tRows === 1) || training.some((r) => r.length !== tCols)) {
      throw new ArgumentError("training", `must have one row per actuals row (${rows}) or a single row, got ${tRows}`);
    }
    const trainErrors = new Map<number, CellError>();
    tr = { data: readMatrix(training, "training", tCols, trainErrors), rows: tRows, cols: tCols };
    for (const [r, e] of trainErrors) {
      if (tRows === 1) for (let i = 0; i < rows; i++) errors.set(i, errors.get(i) ?? e);
      else errors.set(r, errors.get(r) ?? e);
    }
  }
  const { value, errors: metricErrors } = accuracyColumns(a, f, rows, cols, metric, tr, m);
  const out: (number | CellError)[] = new Array(rows);
  for (let r = 0; r < rows; r++) out[r] = errors.get(r) ?? metricErrors.get(r) ?? value[r];
  return out;
}

export interface SeriesForecast {
  method: ForecastMethod;
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
  window: number;
  forecast: Float64Array;
  /** One-step fitted values, aligned with the history (NaN where undefined). */
  fitted: Float64Array;
  fittedRmse: number;
  /** Backtest metrics (when a backtest ran) and the naive baseline's MAE. */
  backtest?: AccuracyMetrics & { naive: number; valueAdded: number; maeByLag: Float64Array };
  note?: string;
}

/** One series, everything at once (a thin view of forecastBatch with one row). */
export function forecastSeries(y: ArrayLike<number>, options: ForecastOptions = {}): SeriesForecast | CellError {
  const n = y.length;
  if (n === 0) throw new ArgumentError("history", "is empty");
  const res = forecastBatch(Float64Array.from(y), 1, n, { ...options, fitted: true, onProgress: undefined, signal: undefined });
  const e = res.errors.get(0);
  if (e) return e;
  const out: SeriesForecast = {
    method: FORECAST_METHODS[res.method[0]],
    alpha: res.alpha[0],
    beta: res.beta[0],
    gamma: res.gamma[0],
    phi: res.phi[0],
    window: res.window[0],
    forecast: res.forecast,
    fitted: res.fitted!,
    fittedRmse: res.fittedRmse[0],
  };
  const bt = res.backtest;
  if (bt && bt.count[0] > 0) {
    out.backtest = {
      count: bt.count[0],
      me: bt.me[0],
      mae: bt.mae[0],
      rmse: bt.rmse[0],
      mape: bt.mape[0],
      wape: bt.wape[0],
      smape: bt.smape[0],
      mase: bt.mase[0],
      ts: bt.ts[0],
      naive: bt.naive[0],
      valueAdded: bt.valueAdded[0],
      maeByLag: bt.maeByLag.slice(0, bt.lags),
    };
  }
  const note = res.notes.get(0);
  if (note) out.note = note;
  return out;
}
