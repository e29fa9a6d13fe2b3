/**
 * "auto": the method per SKU.
 *
 * The rule (by = "pattern", the default):
 * 1. The row's Syntetos-Boylan pattern (src/engine/pattern.ts: ADI cut-off 1.32, CV² cut-off 0.49,
 *    or the caller's cut-offs, or pattern codes the caller passes in, e.g. from the Classify step)
 *    gives the candidates:
 *      smooth       -> ses, holt, damped, hw_add, hw_mul   (hw_* only with a season length)
 *      erratic      -> ses, damped
 *      intermittent -> sba
 *      lumpy        -> tsb
 *    A row whose pattern is undefined (a negative period: returns in the history) is treated as
 *    smooth, with a note. A row with no demand forecasts 0 ("naive", with the no-demand note).
 * 2. A candidate that cannot forecast the row is dropped: hw_* without a season length or with
 *    fewer than two full seasons, hw_mul with a period <= 0, croston-type or tsb with a negative
 *    period, anything longer than its minimum (methods.ts minLength).
 * 3. Among the rest, the one with the smallest backtest error wins (MAE by default, or RMSE:
 *    AutoOptions.selectBy; MASE ranks as MAE within a row). The backtest is batch.ts's: the last
 *    k' = min(k, n - 2) periods held out (k = 12 unless backtest.periods says otherwise), the
 *    candidate's parameters fitted on the periods before them, one-step (or lags 1..L) forecasts
 *    from every origin in the holdout. Ties go to the earlier candidate in the list (the simpler
 *    method). When several candidates compete, each is fitted on the training part with the quick
 *    search (model.ts fitSimplex: a small start grid and one coarse Nelder-Mead run); the winner
 *    is then refitted on the whole history starting from its training fit (a coarse run and the
 *    polish). With a single candidate the training fit is the full search.
 * 4. If no candidate can be backtested (a history of 2 periods or fewer, or backtest: false), the
 *    first usable candidate in the list is taken, with a note.
 * by = "backtest": the same, with one list for every row (`candidates`, default naive, ses, holt,
 * damped, hw_add, hw_mul, croston, sba, tsb), regardless of the pattern.
 * The planner's choices: `methodByPattern` fixes the method for a pattern (e.g. lumpy -> croston),
 * and a per-row method (batch option `method` as an array, e.g. built from the segment) fixes it
 * for a row; "auto" in either place means this rule. The candidate lists can be replaced too.
 */
import { ArgumentError } from "../errors";
import { PATTERN_LABELS, type PatternLabel } from "../pattern";
import { FORECAST_METHODS, type ForecastMethod, M_AUTO, METHOD_CHOICES, type MethodChoice, methodCode } from "./methods";

export interface AutoOptions {
  /** "pattern" (default): candidates by the demand pattern. "backtest": the best of `candidates` for every row. */
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

export const AUTO_DEFAULTS = {
  smooth: ["ses", "holt", "damped", "hw_add", "hw_mul"],
  erratic: ["ses", "damped"],
  intermittent: ["sba"],
  lumpy: ["tsb"],
  candidates: ["naive", "ses", "holt", "damped", "hw_add", "hw_mul", "croston", "sba", "tsb"],
} as const satisfies Record<string, readonly ForecastMethod[]>;

/** AutoOptions resolved to method codes. */
export interface AutoSettings {
  by: "pattern" | "backtest";
  /** Candidates per pattern code 0..3 (smooth, erratic, intermittent, lumpy). */
  byPattern: readonly Int8Array[];
  candidates: Int8Array;
  /** Fixed method code per pattern code, M_AUTO where the rule applies. */
  fixedByPattern: Int16Array;
  selectBy: "mae" | "rmse";
}

function describe(x: unknown): string {
  return typeof x === "string" ? JSON.stringify(x) : String(x);
}

function codes(name: string, list: readonly ForecastMethod[] | undefined, fallback: readonly ForecastMethod[]): Int8Array {
  const l = list ?? fallback;
  if (l.length === 0) throw new ArgumentError(name, "needs at least one method");
  const out = new Int8Array(l.length);
  for (let i = 0; i < l.length; i++) {
    const c = methodCode(l[i]);
    if (c < 0) throw new ArgumentError(name, `${describe(l[i])} is not a method (${FORECAST_METHODS.join(", ")})`);
    out[i] = c;
  }
  return out;
}

/** Validates and resolves the options (ArgumentError naming the bad one). */
export function autoSettings(a: AutoOptions = {}): AutoSettings {
  const sel = a.selectBy ?? "mae";
  if (sel !== "mae" && sel !== "rmse" && sel !== "mase") throw new ArgumentError("selectBy", `must be "mae", "rmse" or "mase", got ${describe(sel)}`);
  const by = a.by ?? "pattern";
  if (by !== "pattern" && by !== "backtest") throw new ArgumentError("auto", `by must be "pattern" or "backtest", got ${describe(by)}`);
  const fixedByPattern = new Int16Array(PATTERN_LABELS.length).fill(M_AUTO);
  for (const [label, choice] of Object.entries(a.methodByPattern ?? {})) {
    const pi = (PATTERN_LABELS as readonly string[]).indexOf(label);
    if (pi < 0) throw new ArgumentError("methodByPattern", `${describe(label)} is not a pattern (${PATTERN_LABELS.join(", ")})`);
    const c = methodCode(String(choice));
    if (c < M_AUTO) throw new ArgumentError("methodByPattern", `${describe(choice)} is not a method (${METHOD_CHOICES.join(", ")})`);
    fixedByPattern[pi] = c;
  }
  return {
    by,
    byPattern: [
      codes("smooth", a.smooth, AUTO_DEFAULTS.smooth),
      codes("erratic", a.erratic, AUTO_DEFAULTS.erratic),
      codes("intermittent", a.intermittent, AUTO_DEFAULTS.intermittent),
      codes("lumpy", a.lumpy, AUTO_DEFAULTS.lumpy),
    ],
    candidates: codes("candidates", a.candidates, AUTO_DEFAULTS.candidates),
    fixedByPattern,
    selectBy: sel === "mase" ? "mae" : sel,
  };
}

/** The candidate list for a row with pattern code `pattern` (-1 unknown: the smooth list). */
export function candidatesFor(s: AutoSettings, pattern: number): Int8Array {
  if (s.by === "backtest") return s.candidates;
  return s.byPattern[pattern >= 0 && pattern < 4 ? pattern : 0];
}

/** What auto needs from the batch for the current row. */
export interface CandidateRunner {
  /** Whether the method can forecast the row at all (step 2 of the rule). */
  usable(code: number): boolean;
  /** Whether the method can be backtested on the row (enough training periods, backtest enabled). */
  testable(code: number): boolean;
  /** Backtests the method (quick fit when several compete); the selection metric, NaN when undefined. */
  backtest(code: number, quick: boolean): number;
  /** Remembers the last backtest as the best so far. */
  keep(): void;
}

/**
 * Steps 2-4 of the rule over `list`. Returns the chosen code (>= 0) when a backtest decided (its
 * backtest kept by runner.keep()), -2 - code when the first usable candidate was taken without a
 * backtest, or -1 when no candidate can forecast the row.
 */
export function chooseAuto(list: Int8Array, runner: CandidateRunner): number {
  let best = -1;
  let bestValue = Infinity;
  let firstUsable = -1;
  const quick = list.length > 1;
  for (let i = 0; i < list.length; i++) {
    const c = list[i];
    if (!runner.usable(c)) continue;
    if (firstUsable < 0) firstUsable = c;
    if (!runner.testable(c)) continue;
    const v = runner.backtest(c, quick);
    if (v < bestValue) {
      bestValue = v;
      best = c;
      runner.keep();
    }
  }
  if (best >= 0) return best;
  return firstUsable < 0 ? -1 : -2 - firstUsable;
}
