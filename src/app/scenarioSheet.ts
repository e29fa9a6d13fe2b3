/**
 * The Scenarios sheet (pure; the gateway writes it): the compared scenarios in total (A1), per
 * segment and scenario below, notes on how they were simulated beside them, and native charts of
 * fill rate, stock value and cost per period by segment (one series per scenario) and of the total
 * cost per scenario, each over a small table of the same write. Figures are means over the
 * replications with the half-width of their 95 % interval ("±"); changes are paired against the
 * first scenario (the baseline) on the same demand.
 */
import type { CellValue, SheetPlan, TableBlock } from "./ports";
import type { ComparedRow, ScenarioOutcome } from "./scenarioTypes";
import { NOTES_HEADERS } from "./sheets";

export const SCENARIOS_SHEET = "Scenarios";
export const SCENARIO_TOTALS_TABLE = "SegScenarioTotals";
export const SCENARIO_SEGMENTS_TABLE = "SegScenarioSegments";
export const SCENARIO_NOTES_TABLE = "SegScenarioNotes";
export const SCENARIO_FILL_TABLE = "SegScenarioFillBySegment";
export const SCENARIO_VALUE_TABLE = "SegScenarioValueBySegment";
export const SCENARIO_COST_TABLE = "SegScenarioCostBySegment";
export const SCENARIO_CHARTS = { fill: "SegScenarioFill", value: "SegScenarioValue", cost: "SegScenarioCost", total: "SegScenarioTotalCost" } as const;

export const SCENARIO_TOTALS_HEADERS = [
  "Scenario",
  "What it is",
  "SKUs",
  "Fill rate",
  "Fill rate ±",
  "Stock value",
  "Stock value ±",
  "Cost per period",
  "Cost per period ±",
  "Cost change per period",
  "Cost change ±",
  "Chosen",
] as const;

export const SCENARIO_SEGMENTS_HEADERS = [
  "Segment",
  "Scenario",
  "SKUs",
  "Fill rate",
  "Fill rate ±",
  "Stock value",
  "Stock value ±",
  "Cost per period",
  "Cost per period ±",
  "Fill rate change",
  "Fill rate change ±",
  "Stock value change",
  "Stock value change ±",
  "Cost change",
  "Cost change ±",
] as const;

const num = (x: number): CellValue => (Number.isFinite(x) ? x : null);
const pct = (x: number) => `${Math.round(x * 1e4) / 100} %`;

/** The sentences of the notes table. */
export function scenarioNotes(o: ScenarioOutcome, stamp: Date, modelVersion: string): string[] {
  const shortage = o.shortage === "backorder" ? "backorders (unmet demand waits)" : "lost sales (unmet demand is lost)";
  const demand = o.demand === "history" ? "each SKU's own history, resampled period by period (bootstrap over the classification's window)" : `a ${o.demand === "poisson" ? "Poisson" : o.demand} distribution with each SKU's mean and sd per period`;
  const lines = [
    `Simulated ${stamp.toISOString()}${modelVersion ? ` from the run with model version ${modelVersion}` : " from the classification in the pane (not yet written)"}.`,
    `${o.skus.toLocaleString("en-US")} SKUs, ${o.replications} replications of ${o.horizon} measured periods after a warm-up of ${o.warmUp}; seed ${o.seed}; ${shortage}.`,
    `Demand: ${demand}. Every scenario sees the same demand and lead-time draws (common random numbers), so the changes compare like with like.`,
    "Fill rate: units served from stock when demanded ÷ units demanded. Stock value: mean on hand × unit cost. Cost per period: holding + ordering + shortage.",
    `Holding cost per unit and period: the Policy tab's holding rate × unit cost ÷ periods per year; cost per order from the Policy tab; shortage cost ${pct(o.shortageCostRate)} of unit cost per unit ${o.shortage === "backorder" ? "and period on backorder" : "lost"}.`,
    "± is the half-width of the 95 % confidence interval over the replications. A change is the paired difference to the first scenario (the baseline), with its own interval: a change whose ± is smaller than its size is real, not noise.",
  ];
  o.descriptions.forEach((d, k) => lines.push(`${o.names[k]}: ${d}`));
  if (o.excludedCount) {
    const first = o.excluded.slice(0, 3).map((e) => `${e.sku} (${e.reason})`).join("; ");
    lines.push(`${o.excludedCount.toLocaleString("en-US")} planned SKU(s) left out of every scenario, e.g. ${first}.`);
  }
  return lines;
}

function metricCells(r: ComparedRow, k: number, withChanges: "cost" | "all"): CellValue[] {
  const v = r.value;
  const c = r.change;
  const base = [num(v.fillRate[k].mean), num(v.fillRate[k].halfWidth), num(v.stockValue[k].mean), num(v.stockValue[k].halfWidth), num(v.totalCostPerPeriod[k].mean), num(v.totalCostPerPeriod[k].halfWidth)];
  if (withChanges === "cost") return [...base, num(c.totalCostPerPeriod[k].mean), num(c.totalCostPerPeriod[k].halfWidth)];
  return [
    ...base,
    num(c.fillRate[k].mean),
    num(c.fillRate[k].halfWidth),
    num(c.stockValue[k].mean),
    num(c.stockValue[k].halfWidth),
    num(c.totalCostPerPeriod[k].mean),
    num(c.totalCostPerPeriod[k].halfWidth),
  ];
}

/** Segment rows of a comparison, in grid order (AX … CZ) then the others as met. */
export function orderedSegments(o: ScenarioOutcome): ComparedRow[] {
  const rank = (s: string) => {
    const m = /^([ABC])([XYZ])$/.exec(s);
    return m ? "ABC".indexOf(m[1]) * 3 + "XYZ".indexOf(m[2]) : 100;
  };
  return [...o.segments].sort((a, b) => rank(a.segment) - rank(b.segment));
}

export function scenariosPlan(o: ScenarioOutcome, chosen: string | null, stamp: Date, modelVersion: string): SheetPlan {
  const K = o.names.length;
  const segs = orderedSegments(o);
  const totals: CellValue[][] = o.names.map((name, k) => [name, o.descriptions[k], o.total.skus[k], ...metricCells(o.total, k, "cost"), chosen === name ? "yes" : ""]);
  const perSegment: CellValue[][] = [];
  for (const r of segs) for (let k = 0; k < K; k++) perSegment.push([r.segment || "(none)", o.names[k], r.skus[k], ...metricCells(r, k, "all")]);
  const notes = scenarioNotes(o, stamp, modelVersion);
  const wide = (name: string, pick: (r: ComparedRow, k: number) => number): TableBlock => ({
    kind: "table",
    tableName: name,
    anchor: "A1", // placed below
    headers: ["Segment", ...o.names],
    rows: segs.map((r) => [r.segment || "(none)", ...o.names.map((_, k) => num(pick(r, k)))]),
  });
  const fill = wide(SCENARIO_FILL_TABLE, (r, k) => r.value.fillRate[k].mean);
  const value = wide(SCENARIO_VALUE_TABLE, (r, k) => r.value.stockValue[k].mean);
  const cost = wide(SCENARIO_COST_TABLE, (r, k) => r.value.totalCostPerPeriod[k].mean);
  // layout: totals at A1, per segment two rows below them (A:O); notes at Q1; the charts' tables
  // under the notes; the charts at Y, 21 rows apart
  const segRow = K + 3;
  let row = notes.length + 3;
  for (const t of [fill, value, cost]) {
    t.anchor = `Q${row}`;
    row += t.rows.length + 3;
  }
  fill.numberFormats = Object.fromEntries(o.names.map((n) => [n, "0.0%"]));
  value.numberFormats = Object.fromEntries(o.names.map((n) => [n, "#,##0"]));
  cost.numberFormats = Object.fromEntries(o.names.map((n) => [n, "#,##0.00"]));
  const series = o.names.map((header) => ({ header }));
  return {
    sheetName: SCENARIOS_SHEET,
    blocks: [
      {
        kind: "table",
        tableName: SCENARIO_TOTALS_TABLE,
        anchor: "A1",
        headers: [...SCENARIO_TOTALS_HEADERS],
        rows: totals,
        numberFormats: { "Fill rate": "0.0%", "Fill rate ±": "0.0%", "Stock value": "#,##0", "Stock value ±": "#,##0", "Cost per period": "#,##0.00", "Cost per period ±": "#,##0.00", "Cost change per period": "+#,##0.00;-#,##0.00;0", "Cost change ±": "#,##0.00" },
      },
      {
        kind: "table",
        tableName: SCENARIO_SEGMENTS_TABLE,
        anchor: `A${segRow + 1}`,
        headers: [...SCENARIO_SEGMENTS_HEADERS],
        rows: perSegment,
        numberFormats: {
          "Fill rate": "0.0%",
          "Fill rate ±": "0.0%",
          "Stock value": "#,##0",
          "Stock value ±": "#,##0",
          "Cost per period": "#,##0.00",
          "Cost per period ±": "#,##0.00",
          "Fill rate change": "+0.0%;-0.0%;0.0%",
          "Fill rate change ±": "0.0%",
          "Stock value change": "+#,##0;-#,##0;0",
          "Stock value change ±": "#,##0",
          "Cost change": "+#,##0.00;-#,##0.00;0",
          "Cost change ±": "#,##0.00",
        },
      },
      { kind: "table", tableName: SCENARIO_NOTES_TABLE, anchor: "Q1", headers: [...NOTES_HEADERS], rows: notes.map((n) => [n]) },
      fill,
      value,
      cost,
      { kind: "chart", name: SCENARIO_CHARTS.fill, chartType: "ColumnClustered", title: "Fill rate by segment", sourceTable: SCENARIO_FILL_TABLE, categoryHeader: "Segment", series: series.map((s, k) => (k === 0 ? { ...s, axisFormat: "0%" } : s)), anchor: "Y1" },
      { kind: "chart", name: SCENARIO_CHARTS.value, chartType: "ColumnClustered", title: "Stock value by segment", sourceTable: SCENARIO_VALUE_TABLE, categoryHeader: "Segment", series, anchor: "Y22" },
      { kind: "chart", name: SCENARIO_CHARTS.cost, chartType: "ColumnClustered", title: "Cost per period by segment", sourceTable: SCENARIO_COST_TABLE, categoryHeader: "Segment", series, anchor: "Y43" },
      {
        kind: "chart",
        name: SCENARIO_CHARTS.total,
        chartType: "ColumnClustered",
        title: "Total cost per period by scenario",
        sourceTable: SCENARIO_TOTALS_TABLE,
        categoryHeader: "Scenario",
        series: [{ header: "Cost per period" }],
        anchor: "Y64",
      },
    ],
  };
}
