/**
 * Forecasting many SKUs at once: the columnar batch API that the pane's worker, the family level and
 * the custom functions all go through.
 *
 * Input: a row-major Float64Array of rows x periods (as src/engine/xyz.ts historyFromArray), oldest
 * period first. Output: typed columns (method code, parameters, forecasts rows x horizon, optional
 * fitted values rows x periods, in-sample RMSE, backtest metrics), per-row CellErrors and notes.
 * One SeriesModel is reused for every row; nothing is allocated per row except an error or a note.
 *
 * Per row, in this order:
 * 1. a period that is not a finite number rejects the row (CellError "value", naming the period);
 * 2. an all-zero row forecasts 0 for every method (fitted values 0 where the method defines
 *    them, parameters blank) with the note NO_DEMAND_NOTE; "auto" reports "naive" there;
 * 3. the method (the row's, the call's, or for "auto" the one auto.ts picks) is checked against
 *    the row: croston, sba, sbj and tsb reject a negative period (CellError "value"); hw_mul needs
 *    every period > 0 ("na"); a history shorter than the method's minimum (methods.ts minLength:
 *    holt/damped 2, snaive one season, hw_* two full seasons, ma its window) is "na" with the reason;
 * 4. backtest (when asked, and always for "auto"): k' = min(k, n - 2) holdout periods; parameters are
 *    fitted on the first n - k' periods only, then a rolling origin runs through the holdout with
 *    those parameters (roll.ts) at lags 1..L; a method that cannot start from n - k' periods has no
 *    backtest (NaN metrics). The naive method is run over the same pairs as the FVA baseline:
 *    valueAdded = (naive metric - method metric) / naive metric for the selection metric (MAE unless
 *    auto.selectBy says otherwise): > 0 means the method beats naive.
 *    MASE in the backtest is scaled by the naive (lag 1, or the season length when given) in-sample
 *    MAE of the training part;
 * 5. the parameters are fitted on the whole history unless given (model.ts: the full search, or
 *    after a backtest a refit that starts from the training fit), the fitted values and the horizon
 *    are produced, and forecasts are clipped at 0 when `clip` is set (fitted values are never clipped;
 *    the backtest compares clipped forecasts).
 * Hw_* are undamped unless phi is given, or `dampedSeasonal` asks for phi to be fitted.
 * Plain fixed-alpha SES (no fitted values, no backtest) runs four rows at a time (ses.ts
 * sesFixedRows) with the same numbers.
 * Progress: onProgress(done, total) after every CHUNK rows; signal.aborted is checked before each
 * chunk, and an aborted call returns what it has with aborted = true (rows from `done` on untouched).
 */
import { CellError, ArgumentError, cellError } from "../errors";
import { classifyPattern, PatternOptions } from "../pattern";
import { historyFromArray } from "../xyz";
import { ACC_SIZE, Metric, maseScale, metricValue } from "./accuracy";
import { AutoOptions, AutoSettings, autoSettings, CandidateRunner, candidatesFor, chooseAuto } from "./auto";
import * as methods from "./methods";
import { FORECAST_METHODS, ForecastMethod, METHOD_CHOICES, MethodChoice, methodCode, ParamName, minLength, PARAM_NAMES, undefinedPrefix } from "./methods";
import { SeriesModel } from "./model";
import { newRoll, Roll } from "./roll";
import { sesFixedRows } from "./ses";

export type { AutoOptions } from "./auto";

// Local copies of the codes (no getter call per access under CommonJS, see model.ts).
const M_AUTO = methods.M_AUTO;
const M_CROSTON = methods.M_CROSTON;
const M_HW_ADD = methods.M_HW_ADD;
const M_HW_MUL = methods.M_HW_MUL;
const M_MA = methods.M_MA;
const M_NAIVE = methods.M_NAIVE;
const M_SES = methods.M_SES;
const M_SNAIVE = methods.M_SNAIVE;
const P_ALPHA = methods.P_ALPHA;
const P_BETA = methods.P_BETA;
const P_GAMMA = methods.P_GAMMA;
const P_PHI = methods.P_PHI;
const P_WINDOW = methods.P_WINDOW;
const PARAM_COUNT = methods.PARAM_COUNT;

export const NO_DEMAND_NOTE = "no demand: forecast 0";
export const NEGATIVE_PATTERN_NOTE = "pattern undefined (negative demand): auto treats the row as smooth";
export const DEFAULT_HORIZON = 12;
export const MAX_HORIZON = 10_000;
export const DEFAULT_BACKTEST_PERIODS = 12;
export const DEFAULT_BACKTEST_LAGS = 1;
/** Rows between progress reports and abort checks. */
export const CHUNK = 256;

/** Per-call scalar or per-row column; NaN (or undefined) = not given. */
export type PerRow = number | ArrayLike<number>;

export interface BacktestOptions {
  /** Holdout periods k at the end of the history (default 12). */
  periods?: number;
  /** Lags 1..L forecast from each origin (default 1). */
  lags?: number;
}

export interface ForecastOptions {
  /** One method for every row or one per row (default "auto"). */
  method?: MethodChoice | readonly MethodChoice[];
  /** Periods ahead (default 12). */
  horizon?: number;
  alpha?: PerRow;
  beta?: PerRow;
  gamma?: PerRow;
  phi?: PerRow;
  /** ma's window (periods). */
  window?: PerRow;
  /** Season length m (whole number >= 2): needed by snaive and hw_*, lets auto consider hw_*. */
  seasonLength?: number;
  /** hw_*: fit phi (damped) when it is not given. Default false: undamped unless phi is given. */
  dampedSeasonal?: boolean;
  /** Clip negative forecasts at 0 (default false). */
  clip?: boolean;
  /** Also return the one-step fitted values (rows x periods). Default false. */
  fitted?: boolean;
  /** Backtest metrics for every row (object), none (false), or by default only where auto needs them. */
  backtest?: BacktestOptions | false;
  auto?: AutoOptions;
  /** Pattern code per row (index into PATTERN_LABELS, -1 unknown), e.g. from the Classify step. Computed when missing. */
  pattern?: ArrayLike<number>;
  /** Cut-offs used when the pattern is computed here. */
  patternOptions?: PatternOptions;
  onProgress?: (done: number, total: number) => void;
  signal?: { aborted: boolean };
}

export interface BacktestColumns {
  /** Holdout periods asked for (k) and lags (L). */
  periods: number;
  lags: number;
  /** Pairs compared per row (0 = no backtest for the row). */
  count: Float64Array;
  me: Float64Array;
  mae: Float64Array;
  rmse: Float64Array;
  mape: Float64Array;
  wape: Float64Array;
  smape: Float64Array;
  mase: Float64Array;
  ts: Float64Array;
  /** The naive baseline's selection metric over the same pairs. */
  naive: Float64Array;
  /** (naive - method) / naive for the selection metric. */
  valueAdded: Float64Array;
  /** Per row x lag MAE (rows x lags), for lag profiles. */
  maeByLag: Float64Array;
}

export interface ForecastBatchResult {
  rows: number;
  periods: number;
  horizon: number;
  /** Method code per row (index into FORECAST_METHODS); -1 for a rejected row. */
  method: Int8Array;
  alpha: Float64Array;
  beta: Float64Array;
  gamma: Float64Array;
  phi: Float64Array;
  window: Float64Array;
  /** rows x horizon. */
  forecast: Float64Array;
  /** rows x periods, NaN where undefined; null unless asked for. */
  fitted: Float64Array | null;
  /** In-sample one-step RMSE over the periods with a fitted value (NaN when there is none). */
  fittedRmse: Float64Array;
  /** Pattern code per row when auto was used or the pattern was given (else null). */
  pattern: Int8Array | null;
  backtest: BacktestColumns | null;
  errors: Map<number, CellError>;
  notes: Map<number, string>;
  /** True when the signal stopped the run; rows from `done` on are not computed. */
  aborted: boolean;
  done: number;
}

function describe(x: unknown): string {
  return typeof x === "string" ? JSON.stringify(x) : String(x);
}

function checkWhole(name: string, v: number | undefined, min: number, max: number): void {
  if (v === undefined) return;
  if (!(Number.isInteger(v) && v >= min && v <= max)) throw new ArgumentError(name, `must be a whole number from ${min} to ${max}, got ${describe(v)}`);
}

/** Range check of a given parameter value; the problem, or undefined. NaN (not given) passes. */
export function paramProblem(name: ParamName, v: number): string | undefined {
  if (v !== v) return undefined;
  if (name === "window") return Number.isInteger(v) && v >= 1 ? undefined : `window must be a whole number of periods >= 1, got ${describe(v)}`;
  if (name === "phi") return v > 0 && v <= 1 ? undefined : `phi must be in (0, 1], got ${describe(v)}`;
  return v >= 0 && v <= 1 ? undefined : `${name} must be in [0, 1], got ${describe(v)}`;
}

function checkPerRow(name: ParamName, v: PerRow | undefined, rows: number): void {
  if (v === undefined) return;
  if (typeof v === "number") {
    const p = paramProblem(name, v);
    if (p) throw new ArgumentError(name, p.slice(name.length + 1));
  } else if (v.length !== rows) throw new ArgumentError(name, `expected one value per row (${rows}), got ${v.length}`);
}

const at = (v: PerRow | undefined, r: number): number => (v === undefined ? Number.NaN : typeof v === "number" ? v : v[r]);
const needsSeason = (code: number) => code === M_SNAIVE || code === M_HW_ADD || code === M_HW_MUL;

/** Name of a method code (for adapters); undefined for -1. */
export function methodName(code: number): ForecastMethod | undefined {
  return code >= 0 && code < FORECAST_METHODS.length ? FORECAST_METHODS[code] : undefined;
}

/** Everything one call needs, resolved and validated once, plus the current row's facts (for auto). */
class Batch implements CandidateRunner {
  readonly model: SeriesModel;
  readonly given = new Float64Array(PARAM_COUNT);
  readonly trainParams = new Float64Array(PARAM_COUNT);
  readonly bestTrain = new Float64Array(PARAM_COUNT);
  readonly params = new Float64Array(PARAM_COUNT);
  readonly roll: Roll;
  readonly naiveRoll: Roll;
  readonly bestAcc: Float64Array;
  readonly pooled = new Float64Array(ACC_SIZE);
  readonly h: number;
  readonly m: number;
  readonly clip: boolean;
  readonly dampedSeasonal: boolean;
  readonly k: number;
  readonly lags: number;
  readonly backtestAll: boolean;
  readonly backtestAuto: boolean;
  readonly selectBy: Metric;
  readonly auto: AutoSettings;
  readonly methods: Int8Array | null;
  readonly method: number;
  /** Some parameter is a per-row column (checked row by row). */
  readonly perRowParams: boolean;
  // the current row
  off = 0;
  kEff = 0;
  T = 0;
  window = 1;
  rowDamped = false;
  firstNegative = -1;
  firstNonPositive = -1;

  constructor(
    readonly data: Float64Array,
    readonly rows: number,
    readonly periods: number,
    readonly o: ForecastOptions,
  ) {
    const h = o.horizon ?? DEFAULT_HORIZON;
    checkWhole("horizon", h, 1, MAX_HORIZON);
    this.h = h;
    checkWhole("season_length", o.seasonLength, 2, 1_000_000);
    this.m = o.seasonLength ?? 0;
    for (const p of PARAM_NAMES) checkPerRow(p, o[p], rows);
    this.perRowParams = PARAM_NAMES.some((p) => o[p] !== undefined && typeof o[p] !== "number");
    this.clip = o.clip === true;
    this.dampedSeasonal = o.dampedSeasonal === true;
    const bt = o.backtest;
    const bto = typeof bt === "object" && bt !== null ? bt : undefined;
    this.backtestAll = bto !== undefined;
    this.backtestAuto = bt !== false;
    const k = bto?.periods ?? DEFAULT_BACKTEST_PERIODS;
    const lags = bto?.lags ?? DEFAULT_BACKTEST_LAGS;
    checkWhole("backtest periods", k, 1, 1_000_000);
    checkWhole("backtest lags", lags, 1, 1_000_000);
    this.k = k;
    this.lags = lags;
    this.auto = autoSettings(o.auto);
    this.selectBy = this.auto.selectBy;
    const method = o.method ?? "auto";
    if (typeof method === "string") {
      const c = methodCode(method);
      if (c < M_AUTO) throw new ArgumentError("method", `must be one of ${METHOD_CHOICES.join(", ")}, got ${describe(method)}`);
      if (needsSeason(c) && this.m === 0) throw new ArgumentError("season_length", `is required for method ${method}`);
      this.method = c;
      this.methods = null;
    } else {
      if (method.length !== rows) throw new ArgumentError("method", `expected one method per row (${rows}), got ${method.length}`);
      this.method = M_AUTO;
      this.methods = new Int8Array(rows);
      for (let r = 0; r < rows; r++) {
        const c = methodCode(String(method[r]));
        this.methods[r] = c; // -2 (unknown) is reported on the row
      }
    }
    this.model = new SeriesModel(periods, Math.max(1, this.m));
    this.roll = newRoll(lags);
    this.naiveRoll = newRoll(lags);
    this.bestAcc = new Float64Array(lags * ACC_SIZE);
  }

  /** Pools acc (lags x ACC_SIZE) into this.pooled. */
  pool(acc: Float64Array): Float64Array {
    const p = this.pooled;
    p.fill(0);
    for (let h = 0; h < this.lags; h++) for (let s = 0; s < ACC_SIZE; s++) p[s] += acc[h * ACC_SIZE + s];
    return p;
  }

  /** Whether `code` can forecast the current row (no allocation; whyNot gives the message). */
  usable(code: number): boolean {
    if (needsSeason(code) && this.m === 0) return false;
    if (code >= M_CROSTON && this.firstNegative >= 0) return false;
    if (code === M_HW_MUL && this.firstNonPositive >= 0) return false;
    return this.periods >= minLength(code, this.m, this.window);
  }

  /** Why `code` cannot forecast the current row. */
  whyNot(code: number): CellError {
    const name = FORECAST_METHODS[code];
    const { data, off } = this;
    if (needsSeason(code) && this.m === 0) return cellError(`season_length is required for method ${name}`);
    if (code >= M_CROSTON && this.firstNegative >= 0) {
      return cellError(`period ${this.firstNegative + 1}: demand ${data[off + this.firstNegative]} is negative; ${name} needs demand >= 0`);
    }
    if (code === M_HW_MUL && this.firstNonPositive >= 0) {
      return cellError(`hw_mul needs every period > 0 (multiplicative seasonality); period ${this.firstNonPositive + 1} is ${data[off + this.firstNonPositive]}`, "na");
    }
    const min = minLength(code, this.m, this.window);
    const why = code === M_HW_ADD || code === M_HW_MUL ? ` (two full seasons with season_length ${this.m})` : code === M_SNAIVE ? ` (one full season)` : code === M_MA ? ` (its window)` : "";
    return cellError(`${name} needs at least ${min} periods${why}, got ${this.periods}`, "na");
  }

  testable(code: number): boolean {
    return this.backtestAuto && this.kEff >= 1 && this.T >= minLength(code, this.m, this.window);
  }

  /**
   * Backtest of `code` on the current row: fits on the first T periods (free parameters only),
   * then rolls through the holdout. Leaves the accumulators in this.roll and the training
   * parameters in this.trainParams. Returns the selection metric (NaN when undefined).
   */
  backtest(code: number, quick: boolean): number {
    const model = this.model;
    model.setLength(this.T);
    model.fit(code, this.given, this.rowDamped, this.trainParams, null, quick);
    model.setLength(this.periods);
    const roll = this.roll;
    roll.from = this.T;
    roll.clip = this.clip;
    roll.acc.fill(0);
    model.run(code, this.trainParams, null, 0, roll);
    return metricValue(this.pool(roll.acc), 0, this.selectBy);
  }

  keep(): void {
    this.bestAcc.set(this.roll.acc);
    this.bestTrain.set(this.trainParams);
  }
}

function allocResult(b: Batch, wantPattern: boolean): ForecastBatchResult {
  const { rows, periods, h } = b;
  const nan = (len: number) => new Float64Array(len).fill(Number.NaN);
  const anyAuto = b.method === M_AUTO || (b.methods !== null && b.methods.some((c) => c === M_AUTO));
  const anyBacktest = b.backtestAll || (b.backtestAuto && anyAuto);
  return {
    rows,
    periods,
    horizon: h,
    method: new Int8Array(rows).fill(-1),
    alpha: nan(rows),
    beta: nan(rows),
    gamma: nan(rows),
    phi: nan(rows),
    window: nan(rows),
    forecast: nan(rows * h),
    fitted: b.o.fitted ? nan(rows * periods) : null,
    fittedRmse: nan(rows),
    pattern: wantPattern ? new Int8Array(rows).fill(-1) : null,
    backtest: anyBacktest
      ? {
          periods: b.k,
          lags: b.lags,
          count: new Float64Array(rows),
          me: nan(rows),
          mae: nan(rows),
          rmse: nan(rows),
          mape: nan(rows),
          wape: nan(rows),
          smape: nan(rows),
          mase: nan(rows),
          ts: nan(rows),
          naive: nan(rows),
          valueAdded: nan(rows),
          maeByLag: nan(rows * b.lags),
        }
      : null,
    errors: new Map(),
    notes: new Map(),
    aborted: false,
    done: 0,
  };
}

/**
 * Forecasts every row of a rows x periods history (row-major, oldest period first).
 * Throws ArgumentError for a bad option (naming it); bad rows get a CellError in `errors`.
 */
export function forecastBatch(data: Float64Array, rows: number, periods: number, options: ForecastOptions = {}): ForecastBatchResult {
  if (!(Number.isInteger(rows) && rows >= 0 && Number.isInteger(periods) && periods >= 1) || data.length !== rows * periods) {
    throw new ArgumentError("history", `expected ${rows} x ${periods} numbers, got ${data.length}`);
  }
  const b = new Batch(data, rows, periods, options);
  const needsAuto = b.method === M_AUTO || (b.methods !== null && b.methods.some((c) => c === M_AUTO));
  let pattern: ArrayLike<number> | null = null;
  if (options.pattern) {
    if (options.pattern.length !== rows) throw new ArgumentError("pattern", `expected one pattern code per row (${rows}), got ${options.pattern.length}`);
    pattern = options.pattern;
  } else if (needsAuto) pattern = classifyPattern(historyFromArray(data, rows, periods), options.patternOptions).pattern;
  const res = allocResult(b, pattern !== null);
  if (res.pattern && pattern) for (let r = 0; r < rows; r++) res.pattern[r] = pattern[r];
  const { signal, onProgress } = options;
  const fast = fastSes(b, res) ? new FastSes(CHUNK) : null;
  for (let start = 0; start < rows; start += CHUNK) {
    if (signal?.aborted) {
      res.aborted = true;
      res.done = start;
      return res;
    }
    const end = Math.min(rows, start + CHUNK);
    if (fast) fast.rows(b, res, start, end, pattern);
    else for (let r = start; r < end; r++) forecastRow(b, res, r, pattern);
    res.done = end;
    onProgress?.(end, rows);
  }
  return res;
}

/** Whether the call is plain fixed-alpha SES (no fitted values, no backtest): the four-row path. */
function fastSes(b: Batch, res: ForecastBatchResult): boolean {
  return b.methods === null && b.method === M_SES && typeof b.o.alpha === "number" && !Number.isNaN(b.o.alpha) && res.fitted === null && res.backtest === null;
}

/**
 * Fixed-alpha SES over a chunk of rows with ses.ts sesFixedRows; a row whose check sum says it is
 * not ordinary (a non-finite period, or no demand) goes through forecastRow instead, which reports
 * it. The numbers are forecastRow's.
 */
class FastSes {
  private readonly level: Float64Array;
  private readonly sse: Float64Array;
  private readonly abs: Float64Array;
  constructor(chunk: number) {
    this.level = new Float64Array(chunk);
    this.sse = new Float64Array(chunk);
    this.abs = new Float64Array(chunk);
  }
  rows(b: Batch, res: ForecastBatchResult, start: number, end: number, pattern: ArrayLike<number> | null): void {
    const { h, periods: n } = b;
    const alpha = b.o.alpha as number;
    sesFixedRows(b.data, n, start, end, alpha, this.level, this.sse, this.abs);
    const fc = res.forecast;
    for (let r = start; r < end; r++) {
      const i = r - start;
      const c = this.abs[i];
      if (!(c > 0 && c < Infinity)) {
        forecastRow(b, res, r, pattern);
        continue;
      }
      let f = this.level[i];
      if (b.clip && f < 0) f = 0;
      fc.fill(f, r * h, r * h + h);
      res.method[r] = M_SES;
      res.alpha[r] = alpha;
      res.fittedRmse[r] = Math.sqrt(this.sse[i] / n);
    }
  }
}

function forecastRow(b: Batch, res: ForecastBatchResult, r: number, pattern: ArrayLike<number> | null): void {
  const { data, periods: n, h, m, model } = b;
  const off = r * n;
  // 1. validate: one branch-free pass for sum |y| (NaN or Infinity when a period is not finite,
  // 0 when there is no demand) and the smallest value; the periods are located only when needed.
  let absSum = 0;
  let min = Infinity;
  for (let j = off, e = off + n; j < e; j++) {
    const v = data[j];
    absSum += Math.abs(v);
    min = Math.min(min, v);
  }
  if (!(absSum < Infinity)) {
    for (let j = 0; j < n; j++) {
      const v = data[off + j];
      if (v - v !== 0) {
        res.errors.set(r, cellError(`period ${j + 1}: ${v} is not a finite number`));
        return;
      }
    }
    // every period is finite; only the sum overflowed (values near the double range): carry on
  }
  let firstNonPositive = -1;
  let firstNegative = -1;
  if (min <= 0) {
    firstNonPositive = 0;
    while (data[off + firstNonPositive] > 0) firstNonPositive++;
  }
  if (min < 0) {
    firstNegative = firstNonPositive;
    while (data[off + firstNegative] >= 0) firstNegative++;
  }
  let code = b.methods === null ? b.method : b.methods[r];
  if (code === -2) {
    res.errors.set(r, cellError(`method must be one of ${METHOD_CHOICES.join(", ")}`));
    return;
  }
  const pat = pattern === null ? -1 : pattern[r];
  if (code === M_AUTO && pat >= 0 && b.auto.fixedByPattern[pat] !== M_AUTO) code = b.auto.fixedByPattern[pat];
  const given = b.given;
  given[P_ALPHA] = at(b.o.alpha, r);
  given[P_BETA] = at(b.o.beta, r);
  given[P_GAMMA] = at(b.o.gamma, r);
  given[P_PHI] = at(b.o.phi, r);
  given[P_WINDOW] = at(b.o.window, r);
  if (b.perRowParams) {
    for (let s = 0; s < PARAM_COUNT; s++) {
      const p = paramProblem(PARAM_NAMES[s], given[s]);
      if (p) {
        res.errors.set(r, cellError(p));
        return;
      }
    }
  }
  const window = given[P_WINDOW];
  b.off = off;
  b.window = window === window ? window : 1;
  b.rowDamped = b.dampedSeasonal || given[P_PHI] === given[P_PHI];
  b.firstNegative = firstNegative;
  b.firstNonPositive = firstNonPositive;
  b.kEff = Math.min(b.k, n - 2);
  b.T = n - b.kEff;
  model.setSeries(data, off, n, Math.max(1, m));

  // 2. no demand
  if (absSum === 0) {
    const c = code === M_AUTO ? M_NAIVE : code;
    b.firstNonPositive = -1; // hw_mul's positivity does not matter when every forecast is 0
    if (!b.usable(c)) {
      res.errors.set(r, b.whyNot(c));
      return;
    }
    res.method[r] = c;
    res.forecast.fill(0, r * h, r * h + h);
    if (res.fitted) res.fitted.fill(0, r * n + Math.min(n, undefinedPrefix(c, m, b.window)), r * n + n);
    res.fittedRmse[r] = 0;
    res.notes.set(r, NO_DEMAND_NOTE);
    if (res.backtest && (b.backtestAll || code === M_AUTO) && b.kEff >= 1) {
      b.backtest(M_NAIVE, false);
      storeBacktest(b, res, r, b.roll.acc, Number.NaN);
    }
    return;
  }

  // 3. method, 4. backtest
  let backtested = false;
  if (code === M_AUTO) {
    if (pat < 0 && b.auto.by === "pattern") res.notes.set(r, NEGATIVE_PATTERN_NOTE);
    const list = candidatesFor(b.auto, pat);
    const chosen = chooseAuto(list, b);
    if (chosen === -1) {
      res.errors.set(r, cellError(`no auto candidate can forecast this row (${list.length} tried: ${Array.from(list, (c) => FORECAST_METHODS[c]).join(", ")})`, "na"));
      return;
    }
    if (chosen >= 0) {
      code = chosen;
      backtested = true;
    } else {
      code = -2 - chosen;
      if (b.backtestAuto && list.length > 1) res.notes.set(r, `too short for a backtest: auto took ${FORECAST_METHODS[code]}, the first candidate that fits the history`);
    }
  } else {
    if (!b.usable(code)) {
      res.errors.set(r, b.whyNot(code));
      return;
    }
    if (b.backtestAll && b.testable(code)) {
      b.backtest(code, false);
      b.keep();
      backtested = true;
    }
  }
  if (backtested && res.backtest) storeBacktest(b, res, r, b.bestAcc, maseScale(data, off, b.T, m > 0 ? m : 1));

  // 5. final fit, fitted values, horizon
  model.setLength(n);
  const params = b.params;
  model.fit(code, given, b.rowDamped, params, backtested ? b.bestTrain : null);
  const sse = model.run(code, params, res.fitted, r * n, null);
  model.forecast(code, params, h, res.forecast, r * h);
  let finite = true;
  for (let j = r * h, e = j + h; j < e; j++) {
    const f = res.forecast[j];
    if (f - f !== 0) finite = false;
    else if (b.clip && f < 0) res.forecast[j] = 0;
  }
  if (!finite) {
    // values near the ends of the double range: report instead of returning Infinity or NaN
    res.forecast.fill(Number.NaN, r * h, r * h + h);
    if (res.fitted) res.fitted.fill(Number.NaN, r * n, r * n + n);
    res.errors.set(r, cellError(`the ${FORECAST_METHODS[code]} forecast is not a finite number: the history's values are too large to extrapolate`, "na"));
    return;
  }
  res.method[r] = code;
  res.alpha[r] = params[P_ALPHA];
  res.beta[r] = params[P_BETA];
  res.gamma[r] = params[P_GAMMA];
  res.phi[r] = params[P_PHI];
  res.window[r] = params[P_WINDOW];
  const w = params[P_WINDOW];
  const count = n - Math.min(n, undefinedPrefix(code, m, w === w ? w : 1));
  res.fittedRmse[r] = count > 0 ? Math.sqrt(sse / count) : Number.NaN;
}

/** Writes the backtest metrics of the current row from acc (lags x ACC_SIZE) and its naive baseline. */
function storeBacktest(b: Batch, res: ForecastBatchResult, r: number, acc: Float64Array, scale: number): void {
  const bt = res.backtest!;
  const p = b.pool(acc);
  bt.count[r] = p[0];
  bt.me[r] = metricValue(p, 0, "me");
  bt.mae[r] = metricValue(p, 0, "mae");
  bt.rmse[r] = metricValue(p, 0, "rmse");
  bt.mape[r] = metricValue(p, 0, "mape");
  bt.wape[r] = metricValue(p, 0, "wape");
  bt.smape[r] = metricValue(p, 0, "smape");
  bt.mase[r] = metricValue(p, 0, "mase", scale);
  bt.ts[r] = metricValue(p, 0, "ts");
  for (let lag = 0; lag < b.lags; lag++) bt.maeByLag[r * b.lags + lag] = metricValue(acc, lag * ACC_SIZE, "mae");
  const method = metricValue(p, 0, b.selectBy);
  const nr = b.naiveRoll;
  nr.from = b.T;
  nr.clip = b.clip;
  nr.acc.fill(0);
  b.model.setLength(b.periods);
  b.model.run(M_NAIVE, b.params, null, 0, nr);
  const naive = metricValue(b.pool(nr.acc), 0, b.selectBy);
  bt.naive[r] = naive;
  bt.valueAdded[r] = naive > 0 ? (naive - method) / naive : Number.NaN;
}
