/**
 * The forecasting methods by name and code, their parameters and the bounds the fitting searches.
 *
 * Codes index FORECAST_METHODS (an Int8Array of codes is how the batch reports the method per
 * row). Parameters travel as one Float64Array of PARAM_COUNT slots (P_ALPHA ... P_WINDOW); NaN in a
 * slot means "not given: fit it" on the way in and "not used by this method" on the way out.
 *
 * Meaning of the parameters per method (the same letters as R forecast and FPP3):
 * - alpha: level smoothing (ses, holt, damped, hw_*); demand-size smoothing (croston, sba, sbj,
 *   tsb). Croston-type methods smooth the size and the interval with the same alpha, as R does.
 * - beta: trend smoothing beta* of FPP3 §8.2 (b = beta (l_t - l_{t-1}) + (1 - beta) phi b_{t-1});
 *   for tsb the smoothing of the demand probability.
 * - gamma: seasonal smoothing (hw_*).
 * - phi: damping (damped; hw_* when given, or fitted with the batch option dampedSeasonal).
 * - window: number of periods averaged (ma).
 * Bounds of the fitting: alpha, beta, gamma in [0, 1] (R forecast's HoltWintersZZ bounds, also used
 * for croston and tsb), phi in [0.8, 0.98] (FPP3 §8.2: "phi is restricted to 0.8..0.98"), window a
 * whole number in 1..min(MA_MAX_WINDOW, n).
 */
export const FORECAST_METHODS = ["naive", "snaive", "ma", "ses", "holt", "damped", "hw_add", "hw_mul", "croston", "sba", "sbj", "tsb"] as const;
export type ForecastMethod = (typeof FORECAST_METHODS)[number];
/** A method, or "auto": chosen per row from its demand pattern and a backtest (auto.ts). */
export type MethodChoice = ForecastMethod | "auto";
export const METHOD_CHOICES: readonly MethodChoice[] = [...FORECAST_METHODS, "auto"];

export const M_NAIVE = 0;
export const M_SNAIVE = 1;
export const M_MA = 2;
export const M_SES = 3;
export const M_HOLT = 4;
export const M_DAMPED = 5;
export const M_HW_ADD = 6;
export const M_HW_MUL = 7;
export const M_CROSTON = 8;
export const M_SBA = 9;
export const M_SBJ = 10;
export const M_TSB = 11;
/** The code of "auto" where a per-row method code is asked for. */
export const M_AUTO = -1;

export const P_ALPHA = 0;
export const P_BETA = 1;
export const P_GAMMA = 2;
export const P_PHI = 3;
export const P_WINDOW = 4;
export const PARAM_COUNT = 5;
export const PARAM_NAMES = ["alpha", "beta", "gamma", "phi", "window"] as const;
export type ParamName = (typeof PARAM_NAMES)[number];

export const SMOOTHING_LOWER = 0;
export const SMOOTHING_UPPER = 1;
export const PHI_LOWER = 0.8;
export const PHI_UPPER = 0.98;
/** Largest window the ma fitting tries. */
export const MA_MAX_WINDOW = 24;

/** The code of a method name, M_AUTO (-1) for "auto", -2 for anything else. */
export function methodCode(name: string): number {
  if (name === "auto") return M_AUTO;
  const i = (FORECAST_METHODS as readonly string[]).indexOf(name);
  return i >= 0 ? i : -2;
}

export function isSeasonal(code: number): boolean {
  return code === M_SNAIVE || code === M_HW_ADD || code === M_HW_MUL;
}

export function isIntermittentMethod(code: number): boolean {
  return code >= M_CROSTON;
}

/**
 * Which parameter slots a method uses (bit i = slot i). hw_* use phi only when damped.
 */
export function usedParams(code: number, dampedSeasonal: boolean): number {
  switch (code) {
    case M_MA:
      return 1 << P_WINDOW;
    case M_SES:
    case M_CROSTON:
    case M_SBA:
    case M_SBJ:
      return 1 << P_ALPHA;
    case M_HOLT:
    case M_TSB:
      return (1 << P_ALPHA) | (1 << P_BETA);
    case M_DAMPED:
      return (1 << P_ALPHA) | (1 << P_BETA) | (1 << P_PHI);
    case M_HW_ADD:
    case M_HW_MUL:
      return (1 << P_ALPHA) | (1 << P_BETA) | (1 << P_GAMMA) | (dampedSeasonal ? 1 << P_PHI : 0);
    default:
      return 0;
  }
}

/**
 * Shortest history a method can start from (periods): naive, ses, croston-type and tsb 1; holt and
 * damped 2 (b0 = y2 - y1); snaive one full season; hw_* two full seasons (b0 compares the means of
 * the first two seasons); ma its window.
 */
export function minLength(code: number, seasonLength: number, window: number): number {
  switch (code) {
    case M_HOLT:
    case M_DAMPED:
      return 2;
    case M_SNAIVE:
      return seasonLength;
    case M_HW_ADD:
    case M_HW_MUL:
      return 2 * seasonLength;
    case M_MA:
      return window > 0 ? window : 1;
    default:
      return 1;
  }
}

/**
 * Leading periods with no one-step fitted value: naive 1, snaive m, ma its window, croston-type 1
 * (R forecast leaves the first fitted value NA). ses, holt, damped, hw_* and tsb start from initial
 * states at time 0, so their first fitted value is defined (ses: y1).
 */
export function undefinedPrefix(code: number, seasonLength: number, window: number): number {
  switch (code) {
    case M_NAIVE:
    case M_CROSTON:
    case M_SBA:
    case M_SBJ:
      return 1;
    case M_SNAIVE:
      return seasonLength;
    case M_MA:
      return window;
    default:
      return 0;
  }
}
