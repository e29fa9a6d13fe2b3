/**
 * The forecast job: every SKU through the engine's batch (src/engine/forecast/batch.ts) with its
 * method (from its segment and pattern, "auto" = the engine's rule), a rolling-origin backtest over
 * the last `backtestPeriods` periods at lag 1, and, for the SKUs of family-level segments, the
 * family forecast split top-down (src/engine/forecast/family.ts). Pure and synchronous (runs in the
 * pane's Web Worker); progress per engine chunk, cancel checked by the engine before each chunk.
 *
 * Family rows (top-down), per SKU r of family f:
 * - forecast = share_r × family forecast (the engine's forecastFamilies: shares over the whole
 *   history); method and parameters are the family's;
 * - in-sample RMSE: of share_r × the family's one-step fitted values against the SKU's history;
 * - backtest (lag 1, the same holdout as the SKU level): the family's method is fitted on the
 *   family's first T = n − k′ periods (k′ = min(k, n − 2)), then run over the whole family series
 *   with those parameters fixed, whose one-step fitted values for t > T are exactly the rolling-origin
 *   forecasts; each SKU's share is taken over the first T periods too, and its forecasts share ×
 *   family forecast are compared with its actuals by the engine's accuracy (accuracy.ts). MASE is
 *   scaled by the SKU's training part. There is no naive baseline for these rows (value added blank).
 * If the family level fails for a family (e.g. no demand in it), its SKUs keep their own forecast
 * with a note.
 */
import { accuracyColumns, FORECAST_METHODS, forecastBatch, forecastFamilies, methodName, type ForecastBatchResult, type MethodChoice, type Metric } from "../../engine/forecast";
import type { ForecastBacktest, ForecastJob, ForecastJobResult } from "../forecastModel";
import { jobCancelled, QUIET_JOB, type JobContext } from "./types";

const FORECAST_METHOD_CODES = new Map<string, number>(FORECAST_METHODS.map((m, i) => [m, i]));

const SKU_PHASE = "Forecasting each SKU (method, backtest, fit)";
const FAMILY_PHASE = "Forecasting the product families";

function nanColumn(n: number): Float64Array {
  return new Float64Array(n).fill(Number.NaN);
}

export function computeForecast(job: ForecastJob, ctx: JobContext = QUIET_JOB): ForecastJobResult {
  const t0 = Date.now();
  const { history, n, periods, horizon } = job;
  const familyRows: number[] = [];
  for (let i = 0; i < n; i++) if (job.family[i] >= 0) familyRows.push(i);
  let families = 0;
  for (const i of familyRows) families = Math.max(families, job.family[i] + 1);
  const familyWork = families * 3;
  const total = n + familyWork;
  ctx.progress(0, total, SKU_PHASE);
  const seasonLength = job.seasonLength ?? undefined;
  const backtest = { periods: job.backtestPeriods, lags: 1 };
  const sku = forecastBatch(history, n, periods, {
    method: job.methods,
    horizon,
    seasonLength,
    backtest,
    pattern: job.pattern,
    onProgress: (done) => ctx.progress(done, total, SKU_PHASE),
    signal: ctx,
  });
  if (sku.aborted || ctx.aborted) throw jobCancelled();
  const bt = sku.backtest!;
  const result: ForecastJobResult = {
    n,
    periods,
    horizon,
    method: sku.method,
    alpha: sku.alpha,
    beta: sku.beta,
    gamma: sku.gamma,
    phi: sku.phi,
    window: sku.window,
    forecast: sku.forecast,
    fittedRmse: sku.fittedRmse,
    backtest: { count: bt.count, me: bt.me, mae: bt.mae, rmse: bt.rmse, wape: bt.wape, mase: bt.mase, ts: bt.ts, valueAdded: bt.valueAdded, sumActual: sumActual(history, n, periods, bt.count) },
    level: new Uint8Array(n),
    share: nanColumn(n),
    errors: sku.errors,
    notes: sku.notes,
    ms: 0,
  };
  if (familyRows.length) topDown(job, result, familyRows, ctx, n, total);
  ctx.progress(total, total, familyRows.length ? FAMILY_PHASE : SKU_PHASE);
  result.ms = Date.now() - t0;
  return result;
}

/** Σ |y| over the last count[r] periods of each row (the one-step backtest's targets). */
function sumActual(history: Float64Array, n: number, periods: number, count: Float64Array): Float64Array {
  const out = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    let s = 0;
    const off = r * periods;
    for (let t = periods - count[r]; t < periods; t++) s += Math.abs(history[off + t]);
    out[r] = s;
  }
  return out;
}

/** The family method names for a per-row method option (a family the batch rejected gets "naive": it is not used). */
function familyMethods(fam: ForecastBatchResult): MethodChoice[] {
  return Array.from(fam.method, (c) => methodName(c) ?? "naive");
}

function topDown(job: ForecastJob, res: ForecastJobResult, rows: number[], ctx: JobContext, done0: number, total: number): void {
  const { history, n, periods, horizon, family } = job;
  const m = job.seasonLength ?? undefined;
  ctx.progress(done0, total, FAMILY_PHASE);
  const fam = forecastFamilies(history, n, periods, family, { method: "auto", horizon, seasonLength: m, backtest: { periods: job.backtestPeriods, lags: 1 }, fitted: true, signal: ctx });
  if (fam.aborted || ctx.aborted) throw jobCancelled();
  const F = fam.families; // the highest family index used + 1
  ctx.progress(done0 + F, total, FAMILY_PHASE);
  const famRes = fam.family;
  const names = familyMethods(famRes);

  // the family's method fitted on the training part only, then run with those parameters over the whole series
  const kEff = Math.min(job.backtestPeriods, periods - 2);
  const T = periods - kEff;
  let rolled: Float64Array | null = null;
  if (kEff >= 1) {
    const train = new Float64Array(F * T);
    for (let f = 0; f < F; f++) train.set(fam.familyHistory.subarray(f * periods, f * periods + T), f * T);
    const fit = forecastBatch(train, F, T, { method: names, horizon: 1, seasonLength: m, backtest: false });
    const roll = forecastBatch(fam.familyHistory, F, periods, { method: names, horizon: 1, seasonLength: m, backtest: false, fitted: true, alpha: fit.alpha, beta: fit.beta, gamma: fit.gamma, phi: fit.phi, window: fit.window });
    rolled = roll.fitted;
    // a family that could not be fitted on its training part has no backtest
    for (let f = 0; f < F; f++) if (fit.errors.has(f) || roll.errors.has(f)) rolled!.fill(Number.NaN, f * periods, (f + 1) * periods);
  }
  if (ctx.aborted) throw jobCancelled();
  ctx.progress(done0 + 2 * F, total, FAMILY_PHASE);

  // training-part shares
  const famTrain = new Float64Array(F);
  for (const i of rows) {
    const f = family[i];
    for (let t = 0; t < T; t++) famTrain[f] += history[i * periods + t];
  }

  const R = rows.length;
  const actualIn = new Float64Array(R * periods);
  const fittedIn = nanColumn(R * periods);
  const actualOut = new Float64Array(R * Math.max(1, kEff));
  const forecastOut = nanColumn(R * Math.max(1, kEff));
  const training = new Float64Array(R * T);
  const ok = new Uint8Array(R);
  rows.forEach((i, k) => {
    const f = family[i];
    const e = fam.errors.get(i);
    if (e || !(fam.share[i] >= 0)) {
      const why = e ? e.message : "no family forecast";
      res.notes.set(i, joinNote(res.notes.get(i), `family level not used (${job.familyNames[f]}: ${why}); forecast at the SKU level`));
      return;
    }
    ok[k] = 1;
    const share = fam.share[i];
    res.level[i] = 1;
    res.share[i] = share;
    res.forecast.set(fam.forecast.subarray(i * horizon, (i + 1) * horizon), i * horizon);
    res.method[i] = famRes.method[f];
    res.alpha[i] = famRes.alpha[f];
    res.beta[i] = famRes.beta[f];
    res.gamma[i] = famRes.gamma[f];
    res.phi[i] = famRes.phi[f];
    res.window[i] = famRes.window[f];
    res.errors.delete(i); // the SKU-level run may have rejected what the family level forecasts
    res.notes.set(i, `top-down from family ${job.familyNames[f]} (share ${Math.round(share * 1e4) / 100} %)`);
    const fitted = famRes.fitted!;
    for (let t = 0; t < periods; t++) {
      actualIn[k * periods + t] = history[i * periods + t];
      fittedIn[k * periods + t] = share * fitted[f * periods + t];
    }
    for (let t = 0; t < T; t++) training[k * T + t] = history[i * periods + t];
    if (rolled && famTrain[f] > 0) {
      let trainSum = 0;
      for (let t = 0; t < T; t++) trainSum += history[i * periods + t];
      const s = trainSum / famTrain[f];
      for (let j = 0; j < kEff; j++) {
        actualOut[k * kEff + j] = history[i * periods + T + j];
        forecastOut[k * kEff + j] = s * rolled[f * periods + T + j];
      }
    }
  });

  const inSample = accuracyColumns(actualIn, fittedIn, R, periods, "rmse").value;
  const metric = (name: Metric) => (kEff >= 1 ? accuracyColumns(actualOut, forecastOut, R, kEff, name, { data: training, rows: R, cols: T }, m ?? 1).value : nanColumn(R));
  const out: Partial<Record<Metric | "count", Float64Array>> = {};
  for (const name of ["me", "mae", "rmse", "wape", "mase", "ts"] as const) out[name] = metric(name);
  const b: ForecastBacktest = res.backtest;
  rows.forEach((i, k) => {
    if (!ok[k]) return;
    res.fittedRmse[i] = inSample[k];
    let count = 0;
    let sum = 0;
    for (let j = 0; j < kEff; j++) {
      const f = forecastOut[k * kEff + j];
      if (f === f) {
        count++;
        sum += Math.abs(actualOut[k * kEff + j]);
      }
    }
    b.count[i] = count;
    b.sumActual[i] = sum;
    b.me[i] = out.me![k];
    b.mae[i] = out.mae![k];
    b.rmse[i] = out.rmse![k];
    b.wape[i] = out.wape![k];
    b.mase[i] = out.mase![k];
    b.ts[i] = out.ts![k];
    b.valueAdded[i] = Number.NaN;
  });
}

function joinNote(a: string | undefined, b: string): string {
  return a ? `${a}; ${b}` : b;
}

/** One SKU's one-step fitted values with its run's method and parameters (the pane's actual-vs-forecast chart). */
export interface ForecastSkuJob {
  history: Float64Array;
  method: string;
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
  window: number;
  seasonLength: number | null;
}

/** NaN where undefined; null when the method cannot run on the series with these parameters. */
export function computeForecastSku(job: ForecastSkuJob): { fitted: Float64Array } | null {
  const n = job.history.length;
  const code = methodName(FORECAST_METHOD_CODES.get(job.method) ?? -1);
  if (n === 0 || !code) return null;
  const r = forecastBatch(job.history, 1, n, {
    method: code,
    horizon: 1,
    alpha: job.alpha,
    beta: job.beta,
    gamma: job.gamma,
    phi: job.phi,
    window: job.window,
    seasonLength: job.seasonLength ?? undefined,
    fitted: true,
    backtest: false,
  });
  return r.errors.has(0) ? null : { fitted: r.fitted! };
}
