/**
 * The forecasting custom functions (FORECAST, FORECAST_ACCURACY): their entry points (JSDoc =
 * formula-builder help) at the end, the argument shaping around src/engine/forecast/rows.ts
 * (forecastRows, accuracyRows) above them. The readers and error wording are excel.ts's.
 *
 * Argument rules beyond the shared ones (blank or omitted = default, "row N: " row errors):
 * - method and output are single text cells; 0 (Excel desktop's empty referenced cell) counts as
 *   blank, so the default applies.
 * - alpha, beta, gamma, phi: omitted or a single blank cell = fitted. A single cell applies to every
 *   history row, a column (or row) of one value per history row gives each row its own; a blank in
 *   such a column fits that row's parameter, a text cell spoils its row. Note that Excel desktop
 *   passes an empty referenced cell as 0, which is a valid (fixed) smoothing parameter: leave the
 *   argument out to have it fitted.
 * - horizon: whole number 1..10000, default 12; 0 (desktop's blank) means the default.
 * - season_length: the season length m for snaive, hw_add, hw_mul and auto (lets auto consider
 *   Holt-Winters). For method "ma" it is the moving-average window k instead (a k-period trailing
 *   mean; e.g. 12 averages the last year of a monthly history); left blank, ma's window is fitted
 *   (1..min(24, n − 1), smallest one-step MSE). 0 means blank.
 * - Blank forecast, fitted or parameter values (undefined fitted values, parameters a method does
 *   not use) are returned as empty text so that the cell shows blank.
 */
import { readNumber } from "../engine/cells";
import { ArgumentError, cellError, isCellError, type CellError } from "../engine/errors";
import { accuracyRows, FORECAST_OUTPUTS, forecastRows, METHOD_CHOICES, METRICS, type ForecastOutput, type MethodChoice, type Metric } from "../engine/forecast";
import type { PerRow } from "../engine/forecast";
import { historyFromCells } from "../engine/xyz";
import { asMatrix, asVector, guard, isOmitted, readOption, rowErrors, spillWide, useDefault, type ExcelCell, type ExcelMatrix } from "./excel";

/** Desktop Excel hands an empty referenced cell as 0: for a text option or a count that cannot be 0, that is a blank. */
function blankOrZero(arg: unknown): boolean {
  if (useDefault(arg)) return true;
  const m = asMatrix(arg);
  return m.length === 1 && m[0].length === 1 && m[0][0] === 0;
}

function readText<T extends string>(arg: unknown, name: string, choices: readonly T[], fallback: T): T {
  return blankOrZero(arg) ? fallback : readOption(arg, name, choices, fallback);
}

/** An optional whole-number argument; blank, omitted or 0 is undefined (the engine's default). */
function readCount(arg: unknown, name: string): number | undefined {
  if (blankOrZero(arg)) return undefined;
  const v = asVector(arg, name);
  if (v.length !== 1) throw new ArgumentError(name, `expected a single number, got ${v.length} cells`);
  const x = readNumber(v[0], "reject");
  if (isCellError(x)) throw new ArgumentError(name, x.message);
  return x;
}

/**
 * A smoothing parameter: undefined (fit every row), one number for every row (NaN = fit), or one
 * value per history row (NaN = fit that row). A bad cell of a per-row column spoils its row.
 */
function readParameter(arg: unknown, name: string, rows: number, problems: Map<number, CellError>): PerRow | undefined {
  if (useDefault(arg)) return undefined;
  const v = asVector(arg, name);
  const read = (c: unknown): number | CellError => (c === null || c === undefined || c === "" ? Number.NaN : readNumber(c, "reject"));
  if (v.length === 1) {
    const x = read(v[0]);
    if (isCellError(x)) throw new ArgumentError(name, x.message);
    return x;
  }
  if (v.length !== rows) throw new ArgumentError(name, `has ${v.length} cells but history has ${rows} rows; give one value or one per history row`);
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const x = read(v[i]);
    if (isCellError(x)) {
      out[i] = Number.NaN;
      if (!problems.has(i)) problems.set(i, cellError(`${name}: ${x.message}`));
    } else out[i] = x;
  }
  return out;
}

export function forecastCells(
  history: unknown,
  method: unknown,
  horizon: unknown,
  alpha: unknown,
  beta: unknown,
  gamma: unknown,
  phi: unknown,
  seasonLength: unknown,
  output: unknown,
): ExcelMatrix {
  return guard(() => {
    if (isOmitted(history)) throw new ArgumentError("history", "the range is empty");
    const cells = asMatrix(history);
    const hist = historyFromCells(cells, "zero");
    const rows = hist.rows;
    const m = readText<MethodChoice>(method, "method", METHOD_CHOICES, "auto");
    const out = readText<ForecastOutput>(output, "output", FORECAST_OUTPUTS, "forecast");
    const h = readCount(horizon, "horizon");
    const season = readCount(seasonLength, "season_length");
    const problems = new Map<number, CellError>();
    const params = {
      alpha: readParameter(alpha, "alpha", rows, problems),
      beta: readParameter(beta, "beta", rows, problems),
      gamma: readParameter(gamma, "gamma", rows, problems),
      phi: readParameter(phi, "phi", rows, problems),
    };
    let window: number | undefined;
    let seasonForEngine = season;
    if (m === "ma") {
      // for the moving average, season_length is its window (see the module comment)
      if (season !== undefined && !(Number.isInteger(season) && season >= 1)) {
        throw new ArgumentError("season_length", `for method ma it is the moving-average window: a whole number of periods >= 1, got ${season}`);
      }
      window = season;
      seasonForEngine = undefined;
    }
    const r = forecastRows(hist, { method: m, horizon: h, ...params, window, seasonLength: seasonForEngine, output: out });
    const toError = rowErrors();
    const rowProblem = (i: number): ExcelCell | null => {
      const p = problems.get(i);
      if (p) return toError(i, p);
      const v = r.values[i];
      return isCellError(v) ? toError(i, v) : null;
    };
    return spillWide(rows, r.width, (i, j) => {
      const c = (r.values[i] as (number | string | null)[])[j];
      return c === null ? "" : c;
    }, rowProblem);
  });
}

export function forecastAccuracyCells(actuals: unknown, forecasts: unknown, metric: unknown, training: unknown, seasonLength: unknown): ExcelMatrix {
  return guard(() => {
    if (isOmitted(actuals)) throw new ArgumentError("actuals", "the range is empty");
    if (isOmitted(forecasts)) throw new ArgumentError("forecasts", "the range is empty");
    const what = readText<Metric>(metric, "metric", METRICS, "mase");
    const values = accuracyRows(asMatrix(actuals), asMatrix(forecasts), {
      metric: what,
      training: useDefault(training) ? undefined : asMatrix(training),
      seasonLength: readCount(seasonLength, "season_length"),
    });
    const toError = rowErrors();
    // a metric of subnormal or huge values can overflow (MASE over a scale of 1e-323): #N/A, never Infinity in a cell
    const overflow = cellError("the metric is not a finite number: the values are too small or too large to compare", "na");
    return values.map((v, i) => [isCellError(v) ? toError(i, v) : Number.isFinite(v) ? v : toError(i, overflow)]);
  });
}

// ---------------------------------------------------------------- entry points
// Each function's JSDoc is what Excel shows in the formula builder; bodies call the cell functions above.

// Conventions (see docs/functions-forecast.md): one result row per history row; demand per period,
// oldest period first; error = forecast − actual; start values as R forecast's initial = "simple";
// blank parameters are fitted by minimising the in-sample one-step MSE.

/**
 * Demand forecast per history row: horizon columns (default 12). Blank parameters are fitted (min in-sample one-step MSE). Starts as R forecast "simple": SES l0 = y1; Holt b0 = y2 − y1; Croston from the first demand. auto: by demand pattern (smooth: best of ses/holt/damped/hw by 12-period backtest MAE; erratic: ses or damped; intermittent: sba; lumpy: tsb).
 * @customfunction FORECAST
 * @param history Demand history: one row per SKU, one column per period, oldest first. Blank = 0; text spoils its row.
 * @param [method] naive, snaive, ma, ses, holt, damped, hw_add, hw_mul, croston, sba, sbj, tsb or auto (default auto).
 * @param [horizon] Periods ahead, a whole number from 1 (default 12): the number of columns of output "forecast".
 * @param [alpha] Level smoothing in [0, 1] (tsb: demand size). One cell, or one per row. Blank = fitted.
 * @param [beta] Trend smoothing in [0, 1] (tsb: demand probability). One cell, or one per row. Blank = fitted.
 * @param [gamma] Seasonal smoothing in [0, 1] for hw_add and hw_mul. One cell, or one per row. Blank = fitted.
 * @param [phi] Damping in (0, 1] for damped (and makes hw_* damped). One cell, or one per row. Blank = fitted in [0.8, 0.98].
 * @param [season_length] Season length m (periods), needed by snaive and hw_*; lets auto try Holt-Winters. For ma: the window (blank = fitted).
 * @param [output] "forecast" (default: horizon columns), "fitted" (one-step in-sample values, one per period, blank where undefined) or "params" (method, alpha, beta, gamma, phi, window).
 * @returns {any[][]} Per history row: the forecasts, fitted values or parameters.
 */
export function forecastForecast(
  history: unknown[][],
  method?: unknown[][],
  horizon?: unknown[][],
  alpha?: unknown[][],
  beta?: unknown[][],
  gamma?: unknown[][],
  phi?: unknown[][],
  season_length?: unknown[][],
  output?: unknown[][],
): unknown[][] {
  return forecastCells(history, method, horizon, alpha, beta, gamma, phi, season_length, output);
}

/**
 * Forecast accuracy per row, error = forecast − actual over the periods with both values (a blank skips the period). me (bias), mae, rmse, mape (zero actuals skipped; a fraction), wape (Σ|e|/Σ|a|), smape, mase (MAE / in-sample naive MAE of training), ts (tracking signal Σe / MAE).
 * @customfunction FORECAST_ACCURACY
 * @param actuals Actual demand: one row per SKU, one column per period.
 * @param forecasts Forecasts with the same shape as actuals (e.g. SEG.FORECAST's fitted output).
 * @param [metric] me, mae, rmse, mape, wape, smape, mase or ts (default mase, which needs training).
 * @param [training] In-sample history per row (or one row for all): the scale of mase is its mean absolute naive error.
 * @param [season_length] Lag m of the mase scale (seasonal naive), default 1.
 * @returns {any[][]} One value per row.
 */
export function forecastAccuracy(actuals: unknown[][], forecasts: unknown[][], metric?: unknown[][], training?: unknown[][], season_length?: unknown[][]): unknown[][] {
  return forecastAccuracyCells(actuals, forecasts, metric, training, season_length);
}
