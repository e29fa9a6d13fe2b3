/**
 * What the Write step puts in the workbook, as SheetPlans (pure; the gateway does the I/O):
 * - Segments sheet: one Excel table, SKUs in rank order (largest value first), with the Pareto chart
 *   of its leading rows beside it.
 * - Policy sheet: the segment policy grid (A1), notes on how to read it beside the grid (H1), and
 *   the per-SKU policy table below (A13).
 */
import { isCellError } from "../engine/errors";
import { policyGridRows, skuPolicy, type PolicyOptions, type SegmentPolicy } from "../engine/policy";
import type { ClassificationResult } from "./classifyTypes";
import { overrideFlag, overrideReasonCell, type OverrideMap } from "./overrides";
import type { ParsedTable } from "./parse";
import type { CellValue, SheetPlan } from "./ports";
import {
  PARETO_CHART,
  PARETO_MAX_POINTS,
  POLICY_NOTES,
  POLICY_NOTES_HEADERS,
  POLICY_NOTES_TABLE,
  POLICY_SHEET,
  SEGMENT_POLICY_HEADERS,
  SEGMENT_POLICY_TABLE,
  SEGMENTS_HEADERS,
  SEGMENTS_SHEET,
  SEGMENTS_TABLE,
  SKU_POLICY_HEADERS,
  SKU_POLICY_TABLE,
} from "./sheets";

/** The segment policy table sits at A1; the per-SKU table starts two rows below its last row. */
export const SEGMENT_POLICY_ANCHOR = "A1";
export const SKU_POLICY_ANCHOR = "A13";
/** The notes sit beside the grid (six columns, A:F), one empty column apart. */
export const POLICY_NOTES_ANCHOR = "H1";
export const SEGMENTS_ANCHOR = "A1";
export const PARETO_ANCHOR = "M2";

function num(x: number): CellValue {
  return Number.isFinite(x) ? x : null;
}

export interface EffectiveSegments {
  segment: string[];
  /** "computed", "override", or the override flag text when the computed segment has moved. */
  source: string[];
  overridden: number;
  flagged: number;
}

/** The segment each SKU is planned with: its override if any, else the computed one. */
export function effectiveSegments(parsed: ParsedTable, result: ClassificationResult, overrides: OverrideMap): EffectiveSegments {
  const segment = new Array<string>(result.n);
  const source = new Array<string>(result.n);
  let overridden = 0;
  let flagged = 0;
  for (let i = 0; i < result.n; i++) {
    const rec = overrides[parsed.sku[i]];
    if (rec) {
      overridden++;
      segment[i] = rec.segment;
      const flag = overrideFlag(rec, result.segment[i]);
      if (flag) flagged++;
      source[i] = flag ?? "override";
    } else {
      segment[i] = result.segment[i];
      source[i] = "computed";
    }
  }
  return { segment, source, overridden, flagged };
}

export function segmentsRows(parsed: ParsedTable, result: ClassificationResult, overrides: OverrideMap, modelVersion: string): CellValue[][] {
  const rows: CellValue[][] = new Array(result.order.length);
  for (let k = 0; k < result.order.length; k++) {
    const i = result.order[k];
    const rec = overrides[parsed.sku[i]];
    rows[k] = [
      parsed.sku[i],
      parsed.value[i],
      num(result.cumShare[i]),
      result.abc[i],
      num(result.cv[i]),
      result.xyz[i],
      result.pattern[i],
      result.segment[i],
      rec ? rec.segment : "",
      rec ? overrideReasonCell(rec, result.segment[i]) : "",
      modelVersion,
    ];
  }
  return rows;
}

export function segmentsPlan(parsed: ParsedTable, result: ClassificationResult, overrides: OverrideMap, modelVersion: string): SheetPlan {
  return {
    sheetName: SEGMENTS_SHEET,
    blocks: [
      {
        kind: "table",
        tableName: SEGMENTS_TABLE,
        anchor: SEGMENTS_ANCHOR,
        headers: [...SEGMENTS_HEADERS],
        rows: segmentsRows(parsed, result, overrides, modelVersion),
        numberFormats: { Value: "#,##0.00", "Cumulative share": "0.0%", CV: "0.000" },
      },
      {
        kind: "paretoChart",
        name: PARETO_CHART,
        sourceTable: SEGMENTS_TABLE,
        categoryHeader: "SKU",
        valueHeader: "Value",
        cumulativeHeader: "Cumulative share",
        anchor: PARETO_ANCHOR,
        maxPoints: PARETO_MAX_POINTS,
      },
    ],
  };
}

/** One row of the per-SKU policy table (SKU_POLICY_HEADERS order) for SKU i. */
export function skuPolicyRow(
  i: number,
  parsed: ParsedTable,
  result: ClassificationResult,
  segment: string,
  source: string,
  grid: readonly SegmentPolicy[],
  options: PolicyOptions,
  modelVersion: string,
): CellValue[] {
  const policy = grid.find((p) => p.segment === segment);
  const mean = result.demandMean[i];
  const sd = result.demandSd[i];
  const head: CellValue[] = [parsed.sku[i], segment, source];
  if (!policy) {
    // XYZ class N (no demand): no grid row, nothing to stock
    const lt = Number.isNaN(parsed.leadTime[i]) ? options.defaultLeadTime : parsed.leadTime[i];
    return [...head, null, "", num(mean), num(sd), lt, null, 0, 0, 0, 0, num(parsed.orderQty[i]) ?? 0, "no demand", modelVersion];
  }
  let unitCost = parsed.unitCost[i];
  if (Number.isNaN(unitCost) && mean > 0) unitCost = parsed.value[i] / (mean * options.periodsPerYear);
  const p = skuPolicy(policy, { demandMean: mean, demandSd: sd, leadTime: parsed.leadTime[i], leadTimeSd: parsed.leadTimeSd[i], orderQty: parsed.orderQty[i], unitCost }, options);
  if (isCellError(p)) {
    const lt = Number.isNaN(parsed.leadTime[i]) ? options.defaultLeadTime : parsed.leadTime[i];
    return [...head, policy.serviceLevel, policy.method, num(mean), num(sd), lt, policy.reviewPeriod, null, null, null, null, null, `not computed: ${p.message}`, modelVersion];
  }
  const qSource = p.orderQtySource === "given" ? "order multiple" : p.orderQtySource === "eoq" ? "EOQ" : p.orderQtySource === "review" ? "demand per review" : "none";
  return [
    ...head,
    p.serviceLevel,
    p.method,
    num(mean),
    num(sd),
    p.leadTime,
    p.reviewPeriod,
    p.safetyStock,
    p.reorderPoint,
    p.min,
    p.max,
    p.orderQty,
    p.note ? `${qSource}; ${p.note}` : qSource,
    modelVersion,
  ];
}

export function skuPolicyRows(
  parsed: ParsedTable,
  result: ClassificationResult,
  effective: EffectiveSegments,
  grid: readonly SegmentPolicy[],
  options: PolicyOptions,
  modelVersion: string,
): CellValue[][] {
  const rows: CellValue[][] = new Array(result.order.length);
  for (let k = 0; k < result.order.length; k++) {
    const i = result.order[k];
    rows[k] = skuPolicyRow(i, parsed, result, effective.segment[i], effective.source[i], grid, options, modelVersion);
  }
  return rows;
}

export function policyPlan(grid: readonly SegmentPolicy[], skuRows: CellValue[][]): SheetPlan {
  return {
    sheetName: POLICY_SHEET,
    blocks: [
      {
        kind: "table",
        tableName: SEGMENT_POLICY_TABLE,
        anchor: SEGMENT_POLICY_ANCHOR,
        headers: [...SEGMENT_POLICY_HEADERS],
        rows: policyGridRows(grid),
        numberFormats: { "Service level": "0.0%", "Fill rate target": "0.0%" },
      },
      {
        kind: "table",
        tableName: POLICY_NOTES_TABLE,
        anchor: POLICY_NOTES_ANCHOR,
        headers: [...POLICY_NOTES_HEADERS],
        rows: POLICY_NOTES.map((n) => [n]),
      },
      {
        kind: "table",
        tableName: SKU_POLICY_TABLE,
        anchor: SKU_POLICY_ANCHOR,
        headers: [...SKU_POLICY_HEADERS],
        rows: skuRows,
        numberFormats: {
          "Service level": "0.0%",
          "Demand mean": "#,##0.00",
          "Demand sd": "#,##0.00",
          "Safety stock": "#,##0.0",
          "Reorder point": "#,##0.0",
          Min: "#,##0.0",
          Max: "#,##0.0",
          "Order quantity": "#,##0.0",
        },
      },
    ],
  };
}
