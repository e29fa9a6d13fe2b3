/**
 * Family level (top-down): forecast a product family's summed demand and split it by each SKU's
 * share of the family's demand: the top-down approach with "proportions of the historical
 * averages" (FPP3 §11.2; Gross & Sohl 1990, J. Forecasting 9:233-254).
 *
 * Conventions:
 * - family[r] is the family index of row r (0, 1, ... F-1, e.g. the pane's codes for a mapped
 *   family column); -1 leaves the row out (no family result; the caller forecasts it on its own).
 * - The family series is the period-by-period sum of its members' histories; a member rejected for
 *   a non-finite period is left out of the sum (and keeps its CellError).
 * - share_r = sum of row r over the last `shareWindow` periods / the same sum over the family
 *   (default window: the whole history). Shares of a family add up to 1.
 * - forecast_r[h] = share_r x family forecast[h]; the family forecast is forecastBatch's with the
 *   same options (method, parameters, auto, clip ...), one row per family.
 * - A family whose demand over the share window is not positive gives its members the "na" error
 *   "family demand over the share window is 0: shares undefined"; a family row the batch rejects
 *   passes its error to its members ("family 3: ...").
 */
import { ArgumentError, CellError, cellError } from "../errors";
import { forecastBatch, type ForecastBatchResult, type ForecastOptions } from "./batch";

export interface FamilyOptions extends ForecastOptions {
  /** Periods at the end of the history over which shares are taken (default: all). */
  shareWindow?: number;
}

export interface FamilyResult {
  /** Number of families F. */
  families: number;
  /** The family-level run: F rows (method, parameters, forecasts, backtest of each family). */
  family: ForecastBatchResult;
  /** The family series, F x periods. */
  familyHistory: Float64Array;
  /** Each row's share of its family's demand (NaN outside a family or when undefined). */
  share: Float64Array;
  /** rows x horizon top-down forecasts (NaN outside a family or for a rejected row). */
  forecast: Float64Array;
  errors: Map<number, CellError>;
  /** Rows from the family level: true when the row's forecast comes from its family. */
  inFamily: Uint8Array;
  aborted: boolean;
}

export function forecastFamilies(data: Float64Array, rows: number, periods: number, family: ArrayLike<number>, options: FamilyOptions = {}): FamilyResult {
  if (!(Number.isInteger(rows) && rows >= 0 && Number.isInteger(periods) && periods >= 1) || data.length !== rows * periods) {
    throw new ArgumentError("history", `expected ${rows} x ${periods} numbers, got ${data.length}`);
  }
  if (family.length !== rows) throw new ArgumentError("family", `expected one family index per row (${rows}), got ${family.length}`);
  const W = options.shareWindow ?? periods;
  if (!(Number.isInteger(W) && W >= 1 && W <= periods)) throw new ArgumentError("shareWindow", `must be a whole number of periods from 1 to ${periods}, got ${W}`);
  let F = 0;
  for (let r = 0; r < rows; r++) {
    const f = family[r];
    if (!(Number.isInteger(f) && f >= -1)) throw new ArgumentError("family", `row ${r + 1}: a family index must be a whole number >= 0 (or -1 for none), got ${f}`);
    if (f + 1 > F) F = f + 1;
  }
  const errors = new Map<number, CellError>();
  const familyHistory = new Float64Array(F * periods);
  const rowWindow = new Float64Array(rows);
  const famWindow = new Float64Array(F);
  const inFamily = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    const f = family[r];
    if (f < 0) continue;
    const off = r * periods;
    let bad = -1;
    for (let j = 0; j < periods; j++) {
      const v = data[off + j];
      if (v - v !== 0) {
        bad = j;
        break;
      }
    }
    if (bad >= 0) {
      errors.set(r, cellError(`period ${bad + 1}: ${data[off + bad]} is not a finite number`));
      continue;
    }
    inFamily[r] = 1;
    const fo = f * periods;
    let w = 0;
    for (let j = 0; j < periods; j++) {
      const v = data[off + j];
      familyHistory[fo + j] += v;
      if (j >= periods - W) w += v;
    }
    rowWindow[r] = w;
    famWindow[f] += w;
  }
  const fam = forecastBatch(familyHistory, F, periods, options);
  const h = fam.horizon;
  const share = new Float64Array(rows).fill(Number.NaN);
  const forecast = new Float64Array(rows * h).fill(Number.NaN);
  const zeroFamily = cellError("family demand over the share window is 0: shares undefined", "na");
  for (let r = 0; r < rows; r++) {
    if (inFamily[r] === 0) continue;
    const f = family[r];
    const fe = fam.errors.get(f);
    if (fe) {
      errors.set(r, cellError(`family ${f}: ${fe.message}`, fe.kind));
      continue;
    }
    if (f >= fam.done) continue; // aborted before this family
    if (!(famWindow[f] > 0)) {
      errors.set(r, zeroFamily);
      continue;
    }
    const s = rowWindow[r] / famWindow[f];
    share[r] = s;
    for (let k = 0; k < h; k++) forecast[r * h + k] = s * fam.forecast[f * h + k];
  }
  return { families: F, family: fam, familyHistory, share, forecast, errors, inFamily, aborted: fam.aborted };
}
