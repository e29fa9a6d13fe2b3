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
 * 5. the parameters are fitted on the whole history (warm-started from the backtest's training fit)
 *    unless given, the fitted values and the horizon are produced, and forecasts are clipped at 0
 *    when `clip` is set (fitted values are never clipped; the backtest compares clipped forecasts).
 * Hw_* are undamped unless phi is given, or `dampedSeasonal` asks for phi to be fitted.
 */
import { CellError, ArgumentError, cellError } from "../errors";
import { classifyPattern, PATTERN_LABELS, PatternOptions, type PatternLabel } from "../pattern";
import { historyFromArray } from "../xyz";
import { ACC_SIZE, Metric, maseScale, metricValue } from "./accuracy";
import * as methods from "./methods";
import {
  FORECAST_METHODS,
  ForecastMethod,
  METHOD_CHOICES,
  MethodChoice,
  methodCode,
  ParamName,
  minLength,
  PARAM_NAMES,
  undefinedPrefix,
} from "./methods";
import { SeriesModel } from "./model";
import { sesFixedRows } from "./ses";
import { newRoll, Roll } from "./roll";

// Local copies of the codes (no getter call per access under CommonJS, see model.ts).
const M_AUTO = methods.M_AUTO;
const M_CROSTON = methods.M_CROSTON;
const M_HW_ADD = methods.M_HW_ADD;
const M_HW_MUL = methods.M_HW_MUL;
const M_MA = methods.M_MA;
const M_NAIVE = methods.M_NAIVE;
const M_SNAIVE = methods.M_SNAIVE;
const M_SES = methods.M_SES;
const P_ALPHA = methods.P_ALPHA;
const P_BETA = methods.P_BETA;
const P_GAMMA = methods.P_GAMMA;
const P_PHI = methods.P_PHI;
const P_WINDOW = methods.P_WINDOW;
const PARAM_COUNT = methods.PARAM_COUNT;

export const NO_DEMAND_NOTE = "no demand: forecast 0";
export const DEFAULT_HORIZON = 12;
export const MAX_HORIZON = 10_000;
export const DEFAULT_BACKTEST_PERIODS = 12;
export const DEFAULT_BACKTEST_LAGS = 1;
const CHUNK = 256;

/** Per-call scalar or per-row column; NaN (or undefined) = not given. */
export type PerRow = number | ArrayLike<number>;

export interface BacktestOptions {
  /** Holdout periods k at the end of the history (default 12). */
  periods?: number;
  /** Lags 1..L forecast from each origin (default 1). */
  lags?: number;
}

/** How auto chooses (see auto.ts for the rule). */
export interface AutoOptions {
  /** "pattern" (default): by the Syntetos-Boylan pattern, then by backtest within its candidates. "backtest": best of `candidates`. */
  by?: "pattern" | "backtest";
  smooth?: readonly ForecastMethod[];
  erratic?: readonly ForecastMethod[];
  intermittent?: readonly ForecastMethod[];
  lumpy?: readonly ForecastMethod[];
  /** Candidates for by = "backtest". */
  candidates?: readonly ForecastMethod[];
  /** A fixed method per pattern (the planner's choice); "auto" or missing = the rule. */
  methodByPattern?: Partial<Record<PatternLabel, MethodChoice>>;
  /** Backtest metric the choice minimises: "mae" (default), "rmse" or "mase" (ranks as mae). */
  selectBy?: "mae" | "rmse" | "mase";
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

const DEFAULT_AUTO: Required<Omit<AutoOptions, "methodByPattern" | "by" | "selectBy">> = {
  smooth: ["ses", "holt", "damped", "hw_add", "hw_mul"],
  erratic: ["ses", "damped"],
  intermittent: ["sba"],
  lumpy: ["tsb"],
  candidates: ["naive", "ses", "holt", "damped", "hw_add", "hw_mul", "croston", "sba", "tsb"],
};

function describe(x: unknown): string {
  return typeof x === "string" ? JSON.stringify(x) : String(x);
}

function checkWhole(name: string, v: number | undefined, min: number, max: number): void {
  if (v === undefined) return;
  if (!(Number.isInteger(v) && v >= min && v <= max)) throw new ArgumentError(name, `must be a whole number from ${min} to ${max}, got ${describe(v)}`);
}

/** Range check of a parameter value; returns the problem or undefined. NaN (not given) passes. */
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

function methodList(name: string, list: readonly ForecastMethod[] | undefined, fallback: readonly ForecastMethod[]): Int8Array {
  const l = list ?? fallback;
  const codes = new Int8Array(l.length);
  for (let i = 0; i < l.length; i++) {
    const c = methodCode(l[i]);
    if (c < 0) throw new ArgumentError(name, `${describe(l[i])} is not a method (${FORECAST_METHODS.join(", ")})`);
    codes[i] = c;
  }
  return codes;
}

/** Why `code` cannot run on this row (CellError), or undefined. */
function unfit(code: number, n: number, m: number, window: number, firstNegative: number, firstNonPositive: number, y: ArrayLike<number>, off: number): CellError | undefined {
  const name = FORECAST_METHODS[code];
  if (code >= M_CROSTON && firstNegative >= 0) {
    return cellError(`period ${firstNegative + 1}: demand ${y[off + firstNegative]} is negative; ${name} needs demand >= 0`);
  }
  if (code === M_HW_MUL && firstNonPositive >= 0) {
    return cellError(`hw_mul needs every period > 0 (multiplicative seasonality); period ${firstNonPositive + 1} is ${y[off + firstNonPositive]}`, "na");
  }
  const min = minLength(code, m, window);
  if (n < min) {
    const why = code === M_HW_ADD || code === M_HW_MUL ? ` (two full seasons with season_length ${m})` : code === M_SNAIVE ? ` (one full season)` : code === M_MA ? ` (its window)` : "";
    return cellError(`${name} needs at least ${min} periods${why}, got ${n}`, "na");
  }
  return undefined;
}

/** Everything one call needs, resolved and validated once. */
class Batch {
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
  readonly autoBy: "pattern" | "backtest";
  readonly byPattern: Int8Array[];
  readonly candidates: Int8Array;
  readonly fixedByPattern: Int16Array;
  readonly methods: Int8Array | null;
  readonly method: number;
  /** Some parameter is a per-row column (checked row by row). */
  readonly perRowParams: boolean;

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
    this.backtestAll = typeof bt === "object" && bt !== null;
    this.backtestAuto = bt !== false;
    const k = (typeof bt === "object" && bt !== null ? bt.periods : undefined) ?? DEFAULT_BACKTEST_PERIODS;
    const lags = (typeof bt === "object" && bt !== null ? bt.lags : undefined) ?? DEFAULT_BACKTEST_LAGS;
    checkWhole("backtest periods", k, 1, 1_000_000);
    checkWhole("backtest lags", lags, 1, 1_000_000);
    this.k = k;
    this.lags = lags;
    const a = o.auto ?? {};
    const sel = a.selectBy ?? "mae";
    if (sel !== "mae" && sel !== "rmse" && sel !== "mase") throw new ArgumentError("selectBy", `must be "mae", "rmse" or "mase", got ${describe(sel)}`);
    this.selectBy = sel === "mase" ? "mae" : sel;
    const by = a.by ?? "pattern";
    if (by !== "pattern" && by !== "backtest") throw new ArgumentError("auto", `by must be "pattern" or "backtest", got ${describe(by)}`);
    this.autoBy = by;
    this.byPattern = [
      methodList("smooth", a.smooth, DEFAULT_AUTO.smooth),
      methodList("erratic", a.erratic, DEFAULT_AUTO.erratic),
      methodList("intermittent", a.intermittent, DEFAULT_AUTO.intermittent),
      methodList("lumpy", a.lumpy, DEFAULT_AUTO.lumpy),
    ];
    this.candidates = methodList("candidates", a.candidates, DEFAULT_AUTO.candidates);
    this.fixedByPattern = new Int16Array(PATTERN_LABELS.length).fill(M_AUTO);
    for (const [label, choice] of Object.entries(a.methodByPattern ?? {})) {
      const pi = (PATTERN_LABELS as readonly string[]).indexOf(label);
      if (pi < 0) throw new ArgumentError("methodByPattern", `${describe(label)} is not a pattern (${PATTERN_LABELS.join(", ")})`);
      const c = methodCode(String(choice));
      if (c < M_AUTO || (c === M_AUTO && choice !== "auto")) throw new ArgumentError("methodByPattern", `${describe(choice)} is not a method (${METHOD_CHOICES.join(", ")})`);
      this.fixedByPattern[pi] = c;
    }
    const method = o.method ?? "auto";
    if (typeof method === "string") {
      const c = methodCode(method);
      if (c < M_AUTO || (c === M_AUTO && method !== "auto")) throw new ArgumentError("method", `must be one of ${METHOD_CHOICES.join(", ")}, got ${describe(method)}`);
      if ((c === M_SNAIVE || c === M_HW_ADD || c === M_HW_MUL) && this.m === 0) throw new ArgumentError("season_length", `is required for method ${method}`);
      this.method = c;
      this.methods = null;
    } else {
      if (method.length !== rows) throw new ArgumentError("method", `expected one method per row (${rows}), got ${method.length}`);
      this.method = M_AUTO;
      this.methods = new Int8Array(rows);
      for (let r = 0; r < rows; r++) {
        const c = methodCode(String(method[r]));
        this.methods[r] = c < M_AUTO || (c === M_AUTO && method[r] !== "auto") ? -2 : c;
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

  /**
   * Backtest of `code` on the current series (length n, training length T): fits on T (free
   * parameters), rolls through the holdout. Leaves the accumulators in this.roll and the training
   * parameters in this.trainParams. Returns the selection metric (NaN when undefined).
   */
  backtest(code: number, n: number, T: number, dampedSeasonal: boolean, quick: boolean): number {
    const model = this.model;
    model.setLength(T);
    model.fit(code, this.given, dampedSeasonal, this.trainParams, null, quick);
    model.setLength(n);
    const roll = this.roll;
    roll.from = T;
    roll.clip = this.clip;
    roll.acc.fill(0);
    model.run(code, this.trainParams, null, 0, roll);
    return metricValue(this.pool(roll.acc), 0, this.selectBy);
  }
}

function allocResult(b: Batch, wantPattern: boolean): ForecastBatchResult {
  const { rows, periods, h } = b;
  const nan = (len: number) => new Float64Array(len).fill(Number.NaN);
  const anyBacktest = b.backtestAll || (b.backtestAuto && (b.method === M_AUTO || b.methods !== null));
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
 * not ordinary (a non-finite period, or no demand) goes through forecastRow instead, which reports it.
 * The numbers are the same as forecastRow's.
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
  // 1. validate; gather what the method checks need
  let bad = -1;
  let nonZero = 0;
  let firstNegative = -1;
  let firstNonPositive = -1;
  for (let j = 0; j < n; j++) {
    const v = data[off + j];
    if (v - v !== 0) {
      bad = j;
      break;
    }
    if (v !== 0) {
      nonZero++;
      if (v < 0 && firstNegative < 0) firstNegative = j;
    }
    if (v <= 0 && firstNonPositive < 0) firstNonPositive = j;
  }
  if (bad >= 0) {
    res.errors.set(r, cellError(`period ${bad + 1}: ${data[off + bad]} is not a finite number`));
    return;
  }
  let code = b.methods === null ? b.method : b.methods[r];
  if (code === -2) {
    res.errors.set(r, cellError(`method must be one of ${METHOD_CHOICES.join(", ")}`));
    return;
  }
  const pat = pattern === null ? -1 : pattern[r];
  if (code === M_AUTO && pat >= 0 && b.fixedByPattern[pat] !== M_AUTO) code = b.fixedByPattern[pat];
  if ((code === M_SNAIVE || code === M_HW_ADD || code === M_HW_MUL) && m === 0) {
    res.errors.set(r, cellError(`season_length is required for method ${FORECAST_METHODS[code]}`));
    return;
  }
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
  const dampedSeasonal = b.dampedSeasonal || given[P_PHI] === given[P_PHI];
  const window = given[P_WINDOW];
  model.setSeries(data, off, n, Math.max(1, m));

  // 2. no demand
  if (nonZero === 0) {
    const c = code === M_AUTO ? M_NAIVE : code;
    const problem = unfit(c, n, m, window === window ? window : 1, -1, -1, data, off);
    if (problem) {
      res.errors.set(r, problem);
      return;
    }
    res.method[r] = c;
    res.forecast.fill(0, r * h, r * h + h);
    if (res.fitted) {
      const u = Math.min(n, undefinedPrefix(c, m, window === window ? window : 1));
      res.fitted.fill(0, r * n + u, r * n + n);
    }
    res.fittedRmse[r] = 0;
    res.notes.set(r, NO_DEMAND_NOTE);
    if (res.backtest && (b.backtestAll || code === M_AUTO)) {
      const kEff = Math.min(b.k, n - 2);
      if (kEff >= 1) {
        b.backtest(M_NAIVE, n, n - kEff, false, false);
        storeBacktest(b, res, r, b.roll.acc, Number.NaN, n - kEff);
      }
    }
    return;
  }

  // 3. method
  const kEff = Math.min(b.k, n - 2);
  const T = n - kEff;
  let haveBacktest = false;
  if (code === M_AUTO) {
    const list = b.autoBy === "backtest" ? b.candidates : b.byPattern[pat >= 0 && pat < 4 ? pat : 0];
    if (pat < 0 && b.autoBy === "pattern") res.notes.set(r, "pattern undefined (negative demand): auto treats the row as smooth");
    let best = -1;
    let bestValue = Infinity;
    let firstOk = -1;
    for (let i = 0; i < list.length; i++) {
      const c = list[i];
      if ((c === M_SNAIVE || c === M_HW_ADD || c === M_HW_MUL) && m === 0) continue;
      if (unfit(c, n, m, window === window ? window : 1, firstNegative, firstNonPositive, data, off)) continue;
      if (firstOk < 0) firstOk = c;
      if (!b.backtestAuto || kEff < 1) continue;
      if (T < minLength(c, m, window === window ? window : 1)) continue;
      const v = b.backtest(c, n, T, dampedSeasonal, list.length > 1);
      if (v < bestValue) {
        bestValue = v;
        best = c;
        b.bestAcc.set(b.roll.acc);
        b.bestTrain.set(b.trainParams);
      }
    }
    if (best < 0) {
      if (firstOk < 0) {
        res.errors.set(r, cellError(`no auto candidate can forecast this row (${list.length} tried)`, "na"));
        return;
      }
      best = firstOk;
      if (b.backtestAuto && list.length > 1) res.notes.set(r, `too short for a backtest: auto took ${FORECAST_METHODS[best]}, the first candidate that fits the history`);
    } else haveBacktest = true;
    code = best;
  } else {
    const problem = unfit(code, n, m, window === window ? window : 1, firstNegative, firstNonPositive, data, off);
    if (problem) {
      res.errors.set(r, problem);
      return;
    }
    if (b.backtestAll && kEff >= 1 && T >= minLength(code, m, window === window ? window : 1)) {
      b.backtest(code, n, T, dampedSeasonal, false);
      b.bestAcc.set(b.roll.acc);
      b.bestTrain.set(b.trainParams);
      haveBacktest = true;
    }
  }

  // 4. backtest columns
  if (haveBacktest && res.backtest) storeBacktest(b, res, r, b.bestAcc, maseScale(data, off, T, m > 0 ? m : 1), T);

  // 5. final fit, fitted values, horizon
  model.setLength(n);
  const params = b.params;
  model.fit(code, given, dampedSeasonal, params, haveBacktest ? b.bestTrain : null);
  const fitted = res.fitted;
  const sse = model.run(code, params, fitted, r * n, null);
  model.forecast(code, params, h, res.forecast, r * h);
  if (b.clip) for (let j = r * h, e = j + h; j < e; j++) if (res.forecast[j] < 0) res.forecast[j] = 0;
  res.method[r] = code;
  res.alpha[r] = params[P_ALPHA];
  res.beta[r] = params[P_BETA];
  res.gamma[r] = params[P_GAMMA];
  res.phi[r] = params[P_PHI];
  res.window[r] = params[P_WINDOW];
  const count = n - Math.min(n, undefinedPrefix(code, m, params[P_WINDOW] === params[P_WINDOW] ? params[P_WINDOW] : 1));
  res.fittedRmse[r] = count > 0 ? Math.sqrt(sse / count) : Number.NaN;
}

function storeBacktest(b: Batch, res: ForecastBatchResult, r: number, acc: Float64Array, scale: number, T: number): void {
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
  // naive baseline over the same pairs
  const nr = b.naiveRoll;
  nr.from = T;
  nr.clip = b.clip;
  nr.acc.fill(0);
  b.model.setLength(b.periods);
  b.model.run(M_NAIVE, b.params, null, 0, nr);
  const naive = metricValue(b.pool(nr.acc), 0, b.selectBy);
  bt.naive[r] = naive;
  bt.valueAdded[r] = naive > 0 ? (naive - method) / naive : Number.NaN;
}

/** Name of a method code (for adapters). */
export function methodName(code: number): ForecastMethod | undefined {
  return code >= 0 && code < FORECAST_METHODS.length ? FORECAST_METHODS[code] : undefined;
}
