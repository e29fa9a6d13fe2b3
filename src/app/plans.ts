/**
 * What the Write puts in the workbook for the classification and the policies, as SheetPlans
 * (pure; the gateway does the I/O):
 * - Segments sheet: one Excel table, ranked SKUs by value then the inactive ones, with notes on how
 *   it was made and a Pareto chart of every SKU (binned to at most PARETO_MAX_BINS points) beside it.
 * - Policy sheet: the segment policy grid (A1), notes on how to read it beside the grid (H1), and
 *   the per-SKU policy table below (A13).
 */
import { isCellError } from "../engine/errors";
import { paretoBins } from "../engine/pareto";
import { PATTERN_LABELS } from "../engine/pattern";
import { policyGridRows, skuPolicy, type PolicyOptions, type SegmentPolicy } from "../engine/policy";
import type { ClassificationResult, RunInput } from "./classifyTypes";
import { overrideFlag, overrideReasonCell, type OverrideMap } from "./overrides";
import type { ParsedTable } from "./parse";
import type { SourceFacts } from "./sourceFacts";
import type { CellValue, SheetPlan } from "./ports";
import {
  DISTRIBUTION_NOTE,
  EXCEPTIONS_NOTE,
  NOTES_HEADERS,
  PARETO_CHART,
  PARETO_HEADERS,
  PARETO_MAX_BINS,
  PARETO_TABLE,
  POLICY_NOTES,
  POLICY_NOTES_TABLE,
  POLICY_SHEET,
  ROUNDING_NOTE_NONE,
  ROUNDING_NOTE_WHOLE,
  SEGMENT_POLICY_HEADERS,
  SEGMENT_POLICY_TABLE,
  SEGMENTS_HEADERS,
  SEGMENTS_NOTES_TABLE,
  SEGMENTS_SHEET,
  SEGMENTS_TABLE,
  SKU_POLICY_HEADERS,
  SKU_POLICY_TABLE,
} from "./sheets";

/** The segment policy table sits at A1; the per-SKU table starts two rows below its last row. */
export const SEGMENT_POLICY_ANCHOR = "A1";
export const SKU_POLICY_ANCHOR = "A13";
/** The notes sit beside the grid (ten columns, A:J), one empty column apart. */
export const POLICY_NOTES_ANCHOR = "L1";
export const SEGMENTS_ANCHOR = "A1";
/** Beside the Segments table (16 columns, A:P): notes, the chart below them, its bins below that. */
export const SEGMENTS_NOTES_ANCHOR = "R1";
export const PARETO_ANCHOR = "R10";
export const PARETO_TABLE_ANCHOR = "R32";

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
      source[i] = result.inactive[i] && !parsed.pinned[i] ? "inactive" : "computed";
    }
  }
  return { segment, source, overridden, flagged };
}

/** "active", or "inactive: <why>" (and ", pinned" when a pin keeps it planned). */
export function statusCell(result: ClassificationResult, parsed: ParsedTable, i: number): string {
  if (!result.inactive[i]) return "active";
  return `inactive: ${result.inactiveReason[i]}${parsed.pinned[i] ? " (pinned: still planned)" : ""}`;
}

export function segmentsRows(parsed: ParsedTable, result: ClassificationResult, overrides: OverrideMap, modelVersion: string, facts?: SourceFacts): CellValue[][] {
  const order = result.rowOrder;
  const rows: CellValue[][] = new Array(order.length);
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    const rec = overrides[parsed.sku[i]];
    const ranked = !result.inactive[i];
    rows[k] = [
      parsed.skuCell[i],
      parsed.value[i],
      ranked ? num(result.cumShare[i]) : null,
      result.abc[i],
      num(result.cv[i]),
      result.xyz[i],
      result.pattern[i],
      result.segment[i],
      statusCell(result, parsed, i),
      facts ? facts.family[i] : parsed.family[i] || "",
      facts ? facts.category[i] : "",
      facts ? facts.decidedBy[i] : parsed.family[i] ? `sheet ${parsed.sheetName}` : "",
      facts ? facts.dataFlag[i] : "",
      rec ? rec.segment : "",
      rec ? overrideReasonCell(rec, result.segment[i]) : "",
      modelVersion,
    ];
  }
  return rows;
}

/** How the Segments sheet was made, in sentences for the notes table. */
export function segmentsNotes(run: RunInput, modelVersion: string): string[] {
  const { parsed, result, options } = run;
  const periods = parsed.periods;
  const window = result.windowPeriods === periods ? `all ${periods} periods of the history` : `the last ${result.windowPeriods} of ${periods} periods`;
  const value =
    parsed.valueSource === "value"
      ? "the mapped annual value column"
      : parsed.valueSource === "quantityCost"
        ? "annual quantity × unit cost"
        : `mean demand over ${window} × ${options.periodsPerYear} periods a year × unit cost`;
  const inactive = result.inactive.reduce((s, x) => s + x, 0);
  const after = options.inactiveAfter ?? options.periodsPerYear;
  return [
    `Model version ${modelVersion}, from ${run.sourceAddress}.`,
    `ABC ranks ${result.order.length} active SKUs by value = ${value}.`,
    `CV, XYZ class, pattern, demand mean and sd: over ${window} (${options.periodsPerYear} periods a year).`,
    `${inactive} SKU(s) inactive (no demand in the last ${after} periods, or their history ended): left out of the ranking and the value shares, no reorder point unless pinned.`,
    ...(run.facts?.priority.length ? [`Family and Category: decided by the source priority ${run.facts.priority.join(" > ")} (strongest first); "Decided by" names the source.`] : []),
    ...(run.facts?.dataQuality.map((l) => `Data quality: ${l}`) ?? []),
  ];
}

export function segmentsPlan(run: RunInput, overrides: OverrideMap, modelVersion: string, extraNotes: readonly string[] = []): SheetPlan {
  const { parsed, result } = run;
  const bins = paretoBins(result.order, parsed.value, result.cumShare, PARETO_MAX_BINS);
  const perSku = bins.length === result.order.length;
  const binRows: CellValue[][] = bins.map((b) => [
    perSku ? parsed.skuCell[result.order[b.firstRank - 1]] : `${b.firstRank.toLocaleString("en-US")}–${b.lastRank.toLocaleString("en-US")}`,
    b.itemShare,
    b.value,
    b.cumShare,
  ]);
  return {
    sheetName: SEGMENTS_SHEET,
    blocks: [
      {
        kind: "table",
        tableName: SEGMENTS_TABLE,
        anchor: SEGMENTS_ANCHOR,
        headers: [...SEGMENTS_HEADERS],
        rows: segmentsRows(parsed, result, overrides, modelVersion, run.facts),
        numberFormats: { Value: "#,##0.00", "Cumulative share": "0.0%", CV: "0.000" },
      },
      {
        kind: "table",
        tableName: SEGMENTS_NOTES_TABLE,
        anchor: SEGMENTS_NOTES_ANCHOR,
        headers: [...NOTES_HEADERS],
        rows: [...segmentsNotes(run, modelVersion), ...extraNotes].map((n) => [n]),
      },
      {
        kind: "table",
        tableName: PARETO_TABLE,
        anchor: PARETO_TABLE_ANCHOR,
        headers: [...PARETO_HEADERS],
        rows: binRows,
        numberFormats: { "Share of SKUs": "0.0%", Value: "#,##0", "Cumulative share": "0.0%" },
      },
      {
        kind: "chart",
        name: PARETO_CHART,
        chartType: "ColumnClustered",
        title: perSku ? "Value by SKU and cumulative share" : `Value by rank group (${bins.length} groups of ${result.order.length.toLocaleString("en-US")} SKUs) and cumulative share`,
        sourceTable: PARETO_TABLE,
        categoryHeader: "SKUs",
        series: [
          { header: "Value", type: "column" },
          { header: "Cumulative share", type: "line", secondaryAxis: true, axisMin: 0, axisMax: 1, axisFormat: "0%" },
        ],
        anchor: PARETO_ANCHOR,
      },
    ],
  };
}

/**
 * Demand the Policy may take from the forecast instead of the history (the Forecast step's
 * policyDemand, src/app/forecastModel.ts): per SKU, index-aligned with the classification run.
 */
export interface PolicyDemand {
  mean: Float64Array;
  sd: Float64Array;
  /** 1 where the row takes mean and sd from here. */
  use: Uint8Array;
}

export const FORECAST_DEMAND_NOTE = "demand from the forecast";

/** The label of an order quantity's source on the Policy sheet. */
export function orderQtySourceLabel(source: string): string {
  return source === "given" ? "given order quantity" : source === "eoq" ? "EOQ" : source === "review" ? "demand per review" : "none";
}

/**
 * One row of the per-SKU policy table (SKU_POLICY_HEADERS order) for SKU i, computed on its own
 * (skuPolicy: no lifecycle, budget or capacity; the Write uses src/app/policySheets.ts, which has
 * them). The demand is the classification's, or the forecast's where `demand` says so.
 */
export function skuPolicyRow(
  i: number,
  parsed: ParsedTable,
  result: ClassificationResult,
  segment: string,
  source: string,
  grid: readonly SegmentPolicy[],
  options: PolicyOptions,
  modelVersion: string,
  demand: PolicyDemand | null = null,
): CellValue[] {
  const row = skuPolicyCells(i, parsed, result, segment, source, grid, options, modelVersion, demand);
  // Decided by: no business rules here (the Write's rows, src/app/policySheets.ts, have them)
  row.push(source === "inactive" ? "" : source === "computed" ? "grid" : "override");
  return row;
}

function skuPolicyCells(
  i: number,
  parsed: ParsedTable,
  result: ClassificationResult,
  segment: string,
  source: string,
  grid: readonly SegmentPolicy[],
  options: PolicyOptions,
  modelVersion: string,
  demand: PolicyDemand | null = null,
): CellValue[] {
  const fromForecast = demand !== null && demand.use.length === result.n && demand.use[i] === 1;
  const mean = fromForecast ? demand.mean[i] : result.demandMean[i];
  const sd = fromForecast ? demand.sd[i] : result.demandSd[i];
  const head: CellValue[] = [parsed.skuCell[i], segment, source];
  const lt = Number.isNaN(parsed.leadTime[i]) ? options.defaultLeadTime : parsed.leadTime[i];
  const where: CellValue[] = [parsed.location?.[i] ?? "", parsed.supplier?.[i] ?? "", num(parsed.floor?.[i] ?? Number.NaN)];
  if (source === "inactive") {
    return [...head, null, "", num(mean), num(sd), lt, null, 0, 0, 0, 0, 0, `inactive: ${result.inactiveReason[i]}; no reorder point (pin the SKU to plan it)`, "", null, null, null, ...where, "", modelVersion];
  }
  const policy = grid.find((p) => p.segment === segment);
  if (!policy) {
    // XYZ class N (no demand in the window): no grid row, nothing to stock
    return [...head, null, "", num(mean), num(sd), lt, null, 0, 0, 0, 0, num(parsed.orderQty[i]) ?? 0, "no demand", "", null, null, null, ...where, "", modelVersion];
  }
  let unitCost = parsed.unitCost[i];
  // the value was derived from the history's demand, so is the unit cost
  const historyMean = result.demandMean[i];
  if (Number.isNaN(unitCost) && historyMean > 0) unitCost = parsed.value[i] / (historyMean * options.periodsPerYear);
  const pattern = PATTERN_LABELS.indexOf(result.pattern[i] as (typeof PATTERN_LABELS)[number]);
  const p = skuPolicy(
    policy,
    {
      demandMean: mean,
      demandSd: sd,
      leadTime: parsed.leadTime[i],
      leadTimeSd: parsed.leadTimeSd[i],
      orderQty: parsed.orderQty[i],
      unitCost,
      pattern,
      orderMultiple: parsed.orderMultiple?.[i],
      moq: parsed.moq?.[i],
      floor: parsed.floor?.[i],
    },
    options,
  );
  if (isCellError(p)) {
    return [...head, policy.serviceLevel, policy.method, num(mean), num(sd), lt, policy.reviewPeriod, null, null, null, null, null, `not computed: ${p.message}`, "", null, null, null, ...where, "", modelVersion];
  }
  const qSource0 = orderQtySourceLabel(p.orderQtySource);
  const qSource = fromForecast ? `${qSource0}; ${FORECAST_DEMAND_NOTE}` : qSource0;
  const protectedSku = (parsed.floor?.[i] ?? 0) > 0;
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
    p.distribution,
    num(p.roundingValue),
    num(p.moq),
    num(p.fillRate),
    ...where,
    protectedSku ? "protected (floor)" : "",
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
  demand: PolicyDemand | null = null,
): CellValue[][] {
  const order = result.rowOrder;
  const rows: CellValue[][] = new Array(order.length);
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    rows[k] = skuPolicyRow(i, parsed, result, effective.segment[i], effective.source[i], grid, options, modelVersion, demand);
  }
  return rows;
}

/** The Policy sheet's notes: the fixed ones, the rounding rule, the demand window used, and (when given) which segments take demand from the forecast. */
export function policyNotes(options: PolicyOptions, run: RunInput | null, forecastBasis: string | null = null): string[] {
  const notes = [...POLICY_NOTES, options.rounding === "none" ? ROUNDING_NOTE_NONE : ROUNDING_NOTE_WHOLE, DISTRIBUTION_NOTE, EXCEPTIONS_NOTE];
  if (run) {
    const w = run.result.windowPeriods;
    const periods = run.parsed.periods;
    notes.push(
      `Demand mean and sd: over ${w === periods ? `all ${periods} periods` : `the last ${w} of ${periods} periods`} of the history; ABC value: ${run.parsed.valueSource === "value" ? "the mapped annual value column" : run.parsed.valueSource === "quantityCost" ? "annual quantity × unit cost" : "the same window × unit cost"}.`,
      "Inactive SKUs (see the Segments sheet's Status) get no reorder point unless they are pinned.",
    );
  }
  if (forecastBasis) notes.push(forecastBasis);
  return notes;
}

export function policyPlan(grid: readonly SegmentPolicy[], skuRows: CellValue[][], notes: readonly string[] = POLICY_NOTES): SheetPlan {
  const levelFormat = skuRows.length && skuRows.every((r) => r[9] === null || Number.isInteger(r[9])) ? "#,##0" : "#,##0.0";
  return {
    sheetName: POLICY_SHEET,
    blocks: [
      {
        kind: "table",
        tableName: SEGMENT_POLICY_TABLE,
        anchor: SEGMENT_POLICY_ANCHOR,
        headers: [...SEGMENT_POLICY_HEADERS],
        rows: policyGridRows(grid),
        numberFormats: { "Service level": "0.0%", "Fill rate target": "0.0%", "Shortage cost": "0%" },
      },
      {
        kind: "table",
        tableName: POLICY_NOTES_TABLE,
        anchor: POLICY_NOTES_ANCHOR,
        headers: [...NOTES_HEADERS],
        rows: notes.map((n) => [n]),
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
          "Safety stock": levelFormat,
          "Reorder point": levelFormat,
          Min: levelFormat,
          Max: levelFormat,
          "Order quantity": levelFormat,
          "Expected fill rate": "0.0%",
        },
      },
    ],
  };
}
