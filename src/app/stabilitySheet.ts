/**
 * The Stability sheet (issue 11): stability of the classification under forecast error per
 * segment (with a native chart), the SKUs below the threshold first, and the threshold-tuning
 * table (what moves if a cut-off moves ±5 points). Pure: SheetPlans for the Write.
 */
import type { SensitivityRow } from "../engine/sensitivity";
import type { StabilityJobResult } from "./jobs/stability";
import type { ParsedTable } from "./parse";
import type { StabilityErrors } from "./stabilityError";
import type { CellValue, SheetPlan } from "./ports";

export const STABILITY_SHEET = "Stability";
export const STABILITY_SEGMENTS_TABLE = "SegStabilityBySegment";
export const STABILITY_SEGMENTS_HEADERS = ["Segment", "SKUs", "Mean stay probability", "Expected churn", "Below threshold"] as const;
export const STABILITY_SKUS_TABLE = "SegStabilitySkus";
export const STABILITY_SKUS_HEADERS = ["SKU", "Segment", "Stay probability", "Below threshold", "Error CV", "Error source", "Model version"] as const;
export const SENSITIVITY_TABLE = "SegCutoffSensitivity";
export const SENSITIVITY_HEADERS = ["Cut-off", "Boundary", "At", "Moved to", "From class", "To class", "SKUs moving", "Value moving", "Share of value"] as const;
export const STABILITY_NOTES_TABLE = "SegStabilityNotes";
export const STABILITY_CHART = "SegStabilityChart";

export interface StabilitySettings {
  runs: number;
  /** Forecast-error CV of the SKUs without a forecast error of their own (0.25 = 25 %; src/app/stabilityError.ts). */
  errorCv: number;
  seed: number;
  /** Flag SKUs whose stay probability is below this (0.8). */
  threshold: number;
}

export function defaultStabilitySettings(): StabilitySettings {
  return { runs: 200, errorCv: 0.25, seed: 1, threshold: 0.8 };
}

export function stabilitySettingProblems(s: StabilitySettings): string[] {
  const out: string[] = [];
  if (!(Number.isInteger(s.runs) && s.runs >= 1 && s.runs <= 100_000)) out.push(`Runs must be a whole number from 1 to 100,000; got ${s.runs}.`);
  if (!(Number.isFinite(s.errorCv) && s.errorCv >= 0)) out.push(`Forecast error must be 0 % or more (25 % is usual without a forecast); got ${s.errorCv * 100} %.`);
  if (!(Number.isInteger(s.seed) && s.seed >= 0 && s.seed <= 4294967295)) out.push(`Seed must be a whole number from 0 to 4,294,967,295; got ${s.seed}.`);
  if (!(s.threshold >= 0 && s.threshold <= 1)) out.push(`Threshold must be from 0 % to 100 %; got ${s.threshold * 100} %.`);
  return out;
}

/** SKU rows, least stable first (rows without a result left out). */
export function stabilityOrder(r: StabilityJobResult): number[] {
  const rows: number[] = [];
  for (let i = 0; i < r.stay.length; i++) if (r.stay[i] === r.stay[i]) rows.push(i);
  return rows.sort((a, b) => r.stay[a] - r.stay[b] || a - b);
}

export function stabilityPlan(r: StabilityJobResult, parsed: ParsedTable, errors: StabilityErrors, sensitivity: readonly SensitivityRow[], settings: StabilitySettings, modelVersion: string): SheetPlan {
  const order = stabilityOrder(r);
  const pctText = (x: number) => `${Math.round(x * 1000) / 10} %`;
  const skuRows: CellValue[][] = order.map((i) => [parsed.skuCell[i], r.labels[r.reference[i]], r.stay[i], r.flagged[i] ? "yes" : "", errors.cv[i], errors.source[i], modelVersion]);
  const segRows: CellValue[][] = r.byClass.map((c) => [c.label, c.skus, 1 - c.expectedChurn, c.expectedChurn, c.flagged]);
  const sensRows: CellValue[][] = sensitivity.map((s) => [s.cutoff, s.boundary, s.at, s.valid ? s.to : null, s.fromClass, s.toClass, s.valid ? s.skus : null, s.valid ? s.value : null, s.valid ? s.valueShare : null]);
  const flagged = r.flagged.reduce((s, x) => s + x, 0);
  const notes = [
    `Stability under forecast error: each period's demand × max(0, 1 + e × Z), Z standard normal, ${r.runs.toLocaleString("en-US")} runs, seed ${settings.seed}; every run reclassified with the run's cut-offs (SEG.CLASS_STABILITY).`,
    `Error CV e per SKU (columns Error CV, Error source): the forecast's backtest RMSE / mean demand (${errors.counts.backtest.toLocaleString("en-US")} SKUs), else its one-step in-sample RMSE / mean (${errors.counts["in-sample"].toLocaleString("en-US")}), else the setting ${settings.errorCv} (${errors.counts.setting.toLocaleString("en-US")})${errors.forecastStale ? "; the forecast was made from another classification, so it was not used: forecast again" : ""}.`,
    `Stay probability: the share of runs in which the SKU keeps its computed ABC×XYZ segment (before pins, churn control, rules and overrides). ${flagged.toLocaleString("en-US")} SKUs are below ${pctText(settings.threshold)}.`,
    "Cut-off sensitivity: the SKUs and value that change class if one cut-off moves by the shift, everything else fixed; a shift that would cross the next cut-off is left blank.",
    `Model version ${modelVersion}.`,
  ];
  return {
    sheetName: STABILITY_SHEET,
    blocks: [
      {
        kind: "table",
        tableName: STABILITY_SEGMENTS_TABLE,
        anchor: "A1",
        headers: [...STABILITY_SEGMENTS_HEADERS],
        rows: segRows,
        numberFormats: { "Mean stay probability": "0.0%", "Expected churn": "0.0%" },
      },
      { kind: "table", tableName: STABILITY_NOTES_TABLE, anchor: "K1", headers: ["Note"], rows: notes.map((n) => [n]) },
      {
        kind: "chart",
        name: STABILITY_CHART,
        chartType: "ColumnClustered",
        title: "Mean probability of staying in the segment under forecast error",
        sourceTable: STABILITY_SEGMENTS_TABLE,
        categoryHeader: "Segment",
        series: [{ header: "Mean stay probability", axisMin: 0, axisMax: 1, axisFormat: "0%" }],
        anchor: "K8",
      },
      {
        kind: "table",
        tableName: SENSITIVITY_TABLE,
        anchor: `A${segRows.length + 4}`,
        headers: [...SENSITIVITY_HEADERS],
        rows: sensRows,
        numberFormats: { "Value moving": "#,##0", "Share of value": "0.0%" },
      },
      {
        kind: "table",
        tableName: STABILITY_SKUS_TABLE,
        anchor: `A${segRows.length + sensRows.length + 7}`,
        headers: [...STABILITY_SKUS_HEADERS],
        rows: skuRows,
        numberFormats: { "Stay probability": "0.0%", "Error CV": "0.0%" },
      },
    ],
  };
}
