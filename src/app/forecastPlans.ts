/**
 * What the Write puts in the workbook for the forecast, as SheetPlans (pure):
 * - Forecast sheet: one table of every SKU (Segments sheet order): segment, pattern, method,
 *   parameters, the horizon columns T+1 … T+h (overrides applied), the backtest metrics, the
 *   exception reason and the overrides, with a notes table beside it.
 * - Forecast exceptions sheet: accuracy, bias, exceptions and value at risk per segment (A1), a
 *   native chart of value at risk and WAPE per segment beside it, and the exceptions below (A13),
 *   high-value classes first, by value at risk.
 * Definitions: src/app/forecastModel.ts.
 */
import { FORECAST_METHODS } from "../engine/forecast/methods";
import { columnLetters } from "./a1";
import type { RunInput } from "./classifyTypes";
import { overridesText, type ForecastException, type ForecastJobResult, type ForecastOverrideMap, type ForecastSettings, type SegmentAccuracy } from "./forecastModel";
import type { EffectiveSegments } from "./plans";
import type { CellValue, SheetPlan } from "./ports";
import { NOTES_HEADERS } from "./sheets";

export const FORECAST_SHEET = "Forecast";
export const FORECAST_TABLE = "SegForecast";
export const FORECAST_NOTES_TABLE = "SegForecastNotes";
export const EXCEPTIONS_SHEET = "Forecast exceptions";
export const ACCURACY_TABLE = "SegForecastAccuracy";
export const EXCEPTIONS_TABLE = "SegForecastExceptions";
export const ACCURACY_CHART = "SegForecastValueAtRisk";
export const ACCURACY_ANCHOR = "A1";
export const ACCURACY_CHART_ANCHOR = "K1";
export const EXCEPTIONS_ANCHOR = "A13";

export const horizonHeader = (k: number) => `T+${k}`;

export const FORECAST_HEAD = ["SKU", "Segment", "Pattern", "Method", "Level", "Parameters"] as const;
export const FORECAST_TAIL = [
  "Backtest periods",
  "MAE",
  "RMSE",
  "Bias (ME)",
  "WAPE",
  "MASE",
  "Tracking signal",
  "Value added",
  "In-sample RMSE",
  "Exception",
  "Overrides",
  "Note",
  "Model version",
] as const;

export function forecastHeaders(horizon: number): string[] {
  return [...FORECAST_HEAD, ...Array.from({ length: horizon }, (_, k) => horizonHeader(k + 1)), ...FORECAST_TAIL];
}

export const ACCURACY_HEADERS = ["Segment", "SKUs", "Backtested", "WAPE", "Bias", "WAPE limit", "Tracking signal limit", "Exceptions", "Value at risk"] as const;
export const EXCEPTIONS_HEADERS = ["Rank", "SKU", "Segment", "Pattern", "Method", "Value", "WAPE", "WAPE limit", "Tracking signal", "Tracking signal limit", "Bias (ME)", "Value at risk", "Reason", "Model version"] as const;

function num(x: number): CellValue {
  return Number.isFinite(x) ? x : null;
}

function r4(x: number): string {
  return String(Math.round(x * 1e4) / 1e4);
}

/** "alpha 0.3; beta 0.1" for the parameters the SKU's method uses ("" for none). */
export function parametersText(res: ForecastJobResult, i: number): string {
  const parts: string[] = [];
  const add = (name: string, v: number) => {
    if (Number.isFinite(v)) parts.push(`${name} ${r4(v)}`);
  };
  add("alpha", res.alpha[i]);
  add("beta", res.beta[i]);
  add("gamma", res.gamma[i]);
  add("phi", res.phi[i]);
  add("window", res.window[i]);
  return parts.join("; ");
}

export function methodText(res: ForecastJobResult, i: number): string {
  const c = res.method[i];
  return res.errors.has(i) || c < 0 ? "" : FORECAST_METHODS[c];
}

export function levelText(res: ForecastJobResult, i: number, family: string): string {
  return res.level[i] ? `family ${family} (share ${Math.round(res.share[i] * 1e4) / 100} %)` : "SKU";
}

export interface ForecastSheetInputs {
  run: RunInput;
  effective: EffectiveSegments;
  result: ForecastJobResult;
  /** Forecasts after the overrides (n × horizon). */
  forecast: Float64Array;
  overrides: ForecastOverrideMap;
  exceptions: readonly ForecastException[];
  settings: ForecastSettings;
  modelVersion: string;
}

export function forecastSheetRows(x: ForecastSheetInputs): CellValue[][] {
  const { run, result: res, forecast, effective } = x;
  const { parsed, result } = run;
  const h = res.horizon;
  const reasons = new Map(x.exceptions.map((e) => [e.i, e.reason]));
  const bt = res.backtest;
  const order = result.rowOrder;
  const rows: CellValue[][] = new Array(order.length);
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    const error = res.errors.get(i);
    const row: CellValue[] = [parsed.skuCell[i], effective.segment[i], result.pattern[i], methodText(res, i), levelText(res, i, parsed.family?.[i] ?? ""), error ? "" : parametersText(res, i)];
    for (let j = 0; j < h; j++) row.push(error ? null : num(forecast[i * h + j]));
    const has = !error && bt.count[i] > 0;
    row.push(
      has ? bt.count[i] : 0,
      has ? num(bt.mae[i]) : null,
      has ? num(bt.rmse[i]) : null,
      has ? num(bt.me[i]) : null,
      has ? num(bt.wape[i]) : null,
      has ? num(bt.mase[i]) : null,
      has ? num(bt.ts[i]) : null,
      has ? num(bt.valueAdded[i]) : null,
      error ? null : num(res.fittedRmse[i]),
      reasons.get(i) ?? "",
      error ? "" : overridesText(x.overrides[parsed.sku[i]], parsed.periods, h),
      error ? `not forecast: ${error.message}` : (res.notes.get(i) ?? ""),
      x.modelVersion,
    );
    rows[k] = row;
  }
  return rows;
}

/** How the Forecast sheet was made, for the notes beside it. */
export function forecastNotes(x: ForecastSheetInputs): string[] {
  const s = x.settings;
  const fixed = s.segments.flatMap((g) => Object.entries(g.methods).filter(([, m]) => m !== "auto").map(([p, m]) => `${g.segment} ${p} ${m}`));
  const family = s.segments.filter((g) => g.familyLevel).map((g) => g.segment);
  return [
    `Model version ${x.modelVersion}: ${x.run.parsed.n} SKUs, ${x.run.parsed.periods} periods of history, horizon ${s.horizon} periods (T+1 is the period after the last history column).`,
    `Method: auto by demand pattern (smooth: the best of ses, holt, damped${s.seasonLength ? ", hw_add, hw_mul" : ""} by backtest MAE; erratic: ses or damped; intermittent: sba; lumpy: tsb)${fixed.length ? `, except ${fixed.join(", ")}` : ""}. Parameters fitted by minimising the in-sample one-step MSE.`,
    `Backtest: rolling origin over the last ${s.backtestPeriods} periods, one step ahead, parameters fitted on the periods before them. Error = forecast − actual: Bias (ME) > 0 and a positive tracking signal mean over-forecasting. Tracking signal = Σ error / MAE. WAPE = Σ|error| / Σ actual. Value added = (naive MAE − MAE) / naive MAE.`,
    `In-sample RMSE: one-step errors over the whole history with the final parameters (the σ the Policy sheet uses where it takes demand from the forecast).`,
    family.length ? `Family level (top-down) for ${family.join(", ")}: the product family's demand is forecast and split by each SKU's share of it.` : "No segment is forecast at the family level.",
    `Exception: backtest WAPE above the segment's limit or |tracking signal| above its limit; see the Forecast exceptions sheet. Overrides replace the forecast of their period (with the reason, and the approver beyond the segment's cap).`,
  ];
}

export function forecastPlan(x: ForecastSheetInputs): SheetPlan {
  const headers = forecastHeaders(x.result.horizon);
  const formats: Record<string, string> = { MAE: "#,##0.00", RMSE: "#,##0.00", "Bias (ME)": "#,##0.00", WAPE: "0.0%", MASE: "0.00", "Tracking signal": "0.00", "Value added": "0.0%", "In-sample RMSE": "#,##0.00" };
  for (let k = 1; k <= x.result.horizon; k++) formats[horizonHeader(k)] = "#,##0.00";
  return {
    sheetName: FORECAST_SHEET,
    blocks: [
      { kind: "table", tableName: FORECAST_TABLE, anchor: "A1", headers, rows: forecastSheetRows(x), numberFormats: formats },
      { kind: "table", tableName: FORECAST_NOTES_TABLE, anchor: `${columnLetters(headers.length + 1)}1`, headers: [...NOTES_HEADERS], rows: forecastNotes(x).map((n) => [n]) },
    ],
  };
}

export function accuracySheetRows(bySegment: readonly SegmentAccuracy[]): CellValue[][] {
  return bySegment.map((s) => [s.segment, s.skus, s.backtested, num(s.wape), num(s.bias), s.wapeMax, s.tsMax, s.exceptions, s.valueAtRisk]);
}

export function exceptionRows(x: ForecastSheetInputs): CellValue[][] {
  const { run, result: res, effective, exceptions } = x;
  const bySegment = new Map(x.settings.segments.map((s) => [s.segment, s]));
  const bt = res.backtest;
  return exceptions.map((e, k) => {
    const i = e.i;
    const seg = bySegment.get(effective.segment[i]);
    return [
      k + 1,
      run.parsed.skuCell[i],
      effective.segment[i],
      run.result.pattern[i],
      `${methodText(res, i)}${res.level[i] ? " (family)" : ""}`,
      num(run.parsed.value[i]),
      num(bt.wape[i]),
      seg ? seg.wapeMax : null,
      num(bt.ts[i]),
      seg ? seg.tsMax : null,
      num(bt.me[i]),
      e.valueAtRisk,
      e.reason,
      x.modelVersion,
    ];
  });
}

export function exceptionsPlan(x: ForecastSheetInputs, bySegment: readonly SegmentAccuracy[]): SheetPlan {
  return {
    sheetName: EXCEPTIONS_SHEET,
    blocks: [
      {
        kind: "table",
        tableName: ACCURACY_TABLE,
        anchor: ACCURACY_ANCHOR,
        headers: [...ACCURACY_HEADERS],
        rows: accuracySheetRows(bySegment),
        numberFormats: { WAPE: "0.0%", Bias: "0.0%", "WAPE limit": "0%", "Value at risk": "#,##0" },
      },
      {
        kind: "table",
        tableName: EXCEPTIONS_TABLE,
        anchor: EXCEPTIONS_ANCHOR,
        headers: [...EXCEPTIONS_HEADERS],
        rows: exceptionRows(x),
        numberFormats: { Value: "#,##0.00", WAPE: "0.0%", "WAPE limit": "0%", "Tracking signal": "0.00", "Bias (ME)": "#,##0.00", "Value at risk": "#,##0" },
      },
      {
        kind: "chart",
        name: ACCURACY_CHART,
        chartType: "ColumnClustered",
        title: "Value at risk (columns) and WAPE (line) by segment",
        sourceTable: ACCURACY_TABLE,
        categoryHeader: "Segment",
        series: [
          { header: "Value at risk", type: "column" },
          { header: "WAPE", type: "line", secondaryAxis: true, axisMin: 0, axisFormat: "0%" },
        ],
        anchor: ACCURACY_CHART_ANCHOR,
      },
    ],
  };
}
