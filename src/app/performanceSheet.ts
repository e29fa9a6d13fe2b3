/**
 * The Policy performance sheet (pure): how the actuals measured against the grid's targets, per
 * segment (a table with two native charts over it: realised fill rate against the target, and the
 * stockout frequency), and the SKUs furthest below their segment's target.
 * Layout: notes at A1, the segment table under them, the SKUs below it; the charts at P1 and P22.
 */
import type { PerformanceResult } from "../engine/policy/performance";
import type { CellValue, SheetPlan } from "./ports";
import {
  BELOW_TARGET_HEADERS,
  BELOW_TARGET_TABLE,
  NOTES_HEADERS,
  PERFORMANCE_CHART,
  PERFORMANCE_HEADERS,
  PERFORMANCE_NOTES_TABLE,
  PERFORMANCE_SHEET,
  PERFORMANCE_TABLE,
  STOCKOUT_CHART,
} from "./sheets";

const num = (x: number): CellValue => (Number.isFinite(x) ? x : null);

export interface PerformanceMeta {
  source: string;
  skus: number;
  periods: number;
  /** SKUs of the actuals that are not in the classification (no segment, no target). */
  unclassified: number;
  rejected: number;
  modelVersion: string;
}

export function performanceNotes(meta: PerformanceMeta): string[] {
  return [
    `Actuals from ${meta.source}: ${meta.skus} SKU(s) over ${meta.periods} period(s)${meta.rejected ? `, ${meta.rejected} row(s) rejected (Performance tab)` : ""}${meta.unclassified ? `; ${meta.unclassified} SKU(s) not in the classification, left out` : ""}. Targets of model version ${meta.modelVersion}.`,
    "Realised CSL = share of periods without a stockout (a stockout flag, else backorders above 0 or nothing on hand at period end); it equals the cycle service level for a one-period review and reads below it for longer cycles. CSL targets apply to CSL segments only.",
    "Fill rate = sales ÷ (sales + backorders); inventory turns = annual sales ÷ average stock on hand, valued at unit cost where it is known. Gaps = realised − target (negative: below target).",
  ];
}

export function performancePlan(result: PerformanceResult, meta: PerformanceMeta): SheetPlan {
  const notes = performanceNotes(meta);
  const segments = result.segments.filter((s) => s.segment !== "");
  const segRows: CellValue[][] = segments.map((s) => [
    s.segment,
    s.skus,
    s.periods,
    num(s.cycleServiceLevel),
    num(s.target?.cycleServiceLevel ?? Number.NaN),
    num(s.stockoutFrequency),
    num(s.fillRate),
    num(s.target?.fillRate ?? Number.NaN),
    num(s.turns),
    num(s.target?.turns ?? Number.NaN),
    num(s.fillRateGap),
    num(s.cycleServiceLevelGap),
    num(s.turnsGap),
  ]);
  const segAnchor = notes.length + 3;
  const belowAnchor = segAnchor + Math.max(1, segRows.length) + 3;
  const below: CellValue[][] = result.furthestBelow.map((b) => [
    b.sku,
    b.segment,
    b.measure === "fillRate" ? "fill rate" : "cycle service level",
    b.realised,
    b.target,
    b.shortfall,
    result.sku.periods[b.row],
    result.sku.stockoutPeriods[b.row],
  ]);
  const pctFormats = { "Realised CSL": "0.0%", "CSL target": "0.0%", "Stockout frequency": "0.0%", "Realised fill rate": "0.0%", "Fill rate target": "0.0%", "Fill rate gap": "0.0%", "CSL gap": "0.0%", "Inventory turns": "0.0", "Turns target": "0.0", "Turns gap": "0.0" };
  return {
    sheetName: PERFORMANCE_SHEET,
    blocks: [
      { kind: "table", tableName: PERFORMANCE_NOTES_TABLE, anchor: "A1", headers: [...NOTES_HEADERS], rows: notes.map((n) => [n]) },
      { kind: "table", tableName: PERFORMANCE_TABLE, anchor: `A${segAnchor}`, headers: [...PERFORMANCE_HEADERS], rows: segRows, numberFormats: pctFormats },
      { kind: "table", tableName: BELOW_TARGET_TABLE, anchor: `A${belowAnchor}`, headers: [...BELOW_TARGET_HEADERS], rows: below, numberFormats: { Realised: "0.0%", Target: "0.0%", Shortfall: "0.0%" } },
      {
        kind: "chart",
        name: PERFORMANCE_CHART,
        chartType: "ColumnClustered",
        title: "Realised fill rate against the target, per segment",
        sourceTable: PERFORMANCE_TABLE,
        categoryHeader: "Segment",
        series: [
          { header: "Realised fill rate", axisMin: 0, axisMax: 1, axisFormat: "0%" },
          { header: "Fill rate target", type: "line" },
        ],
        anchor: "P1",
      },
      {
        kind: "chart",
        name: STOCKOUT_CHART,
        chartType: "ColumnClustered",
        title: "Stockout frequency per segment (share of periods with a stockout)",
        sourceTable: PERFORMANCE_TABLE,
        categoryHeader: "Segment",
        series: [{ header: "Stockout frequency", axisMin: 0, axisFormat: "0%" }],
        anchor: "P22",
      },
    ],
  };
}
