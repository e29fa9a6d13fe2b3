/**
 * The forecast error each SKU's demand is perturbed by in the stability check (issue 11), as a CV
 * (a fraction of the mean demand per period). Pure. Per SKU, the first that is defined:
 * 1. "backtest": the forecast's backtest RMSE (one-step, rolling origin over the backtest periods;
 *    src/engine/forecast/accuracy.ts: RMSE = √mean(e²)) / the SKU's mean demand per period;
 * 2. "in-sample": the forecast's one-step in-sample RMSE (fittedRmse) / the mean demand, for a SKU
 *    the backtest has no pairs for (a short history, or a family-level forecast without them);
 * 3. "setting": the planner's Forecast error CV (no forecast of this classification, a SKU the
 *    forecast rejected, or no demand: mean 0).
 * The forecast counts only when it was made from this very classification (the Forecast step's
 * run of the same RunInput); after a reclassification every SKU uses the setting until the
 * forecast is run again. The mean demand is the classification's (over the window the statistics
 * used, promotion periods and outliers left out), the level the stability check perturbs.
 */
import type { RunInput } from "./classifyTypes";

export const ERROR_SOURCES = ["backtest", "in-sample", "setting"] as const;
export type ErrorSource = (typeof ERROR_SOURCES)[number];

/** What the stability check needs of a forecast run (the Forecast step's ForecastRun). */
export interface ForecastErrors {
  source: RunInput;
  result: { backtest: { count: ArrayLike<number>; rmse: ArrayLike<number> }; fittedRmse: ArrayLike<number> };
}

export interface StabilityErrors {
  cv: Float64Array;
  source: ErrorSource[];
  /** SKUs per source. */
  counts: Record<ErrorSource, number>;
  /** A forecast exists but was made from another classification (so it was not used). */
  forecastStale: boolean;
}

export function stabilityErrors(run: RunInput, forecast: ForecastErrors | null | undefined, settingCv: number): StabilityErrors {
  const n = run.parsed.n;
  const cv = new Float64Array(n).fill(settingCv);
  const source = new Array<ErrorSource>(n).fill("setting");
  const counts: Record<ErrorSource, number> = { backtest: 0, "in-sample": 0, setting: 0 };
  const f = forecast && forecast.source === run ? forecast.result : null;
  for (let i = 0; i < n; i++) {
    const mean = run.result.demandMean[i];
    if (f && mean > 0) {
      const bt = f.backtest.rmse[i];
      const fit = f.fittedRmse[i];
      if (f.backtest.count[i] > 0 && Number.isFinite(bt) && bt >= 0) {
        cv[i] = bt / mean;
        source[i] = "backtest";
      } else if (Number.isFinite(fit) && fit >= 0) {
        cv[i] = fit / mean;
        source[i] = "in-sample";
      }
    }
    counts[source[i]]++;
  }
  return { cv, source, counts, forecastStale: !!forecast && !f };
}
