/**
 * What the Write puts on the Dimensions sheet (pure SheetPlans; the gateway does the I/O):
 * - one row per key of the chosen dimension (SKU, customer, channel, or a SKU × customer / SKU ×
 *   channel pair), ranked by the criterion, with its figures, class, second axis, carbon tier;
 * - beside it, the notes (how it was made, the decision record, the carbon factors' status), the
 *   cost-to-serve per segment with carbon beside it, a native chart of the shares over that small
 *   table, and the two-axis grid.
 * And on the Execution sheet: the flags per SKU (or SKU × customer), the notes, the rule table used.
 */
import { DIMENSION_INFO } from "../engine/dimensions";
import { columnLetters } from "./a1";
import { CRITERION_LABELS, type DimensionRunResult, type DimensionSettings } from "./dimensionTypes";
import {
  COST_TO_SERVE_CHART,
  COST_TO_SERVE_HEADERS,
  COST_TO_SERVE_TABLE,
  DIMENSION_NOTES_TABLE,
  DIMENSION_TABLE,
  DIMENSIONS_SHEET,
  EXECUTION_HEADERS,
  EXECUTION_NOTES_TABLE,
  EXECUTION_RULES_HEADERS,
  EXECUTION_RULES_TABLE,
  EXECUTION_SHEET,
  EXECUTION_TABLE,
  TWO_AXIS_HEADERS,
  TWO_AXIS_TABLE,
} from "./dimensionSheets";
import { DEFAULT_SLOTTING_CUTOFFS, type ExecutionFlags, type ExecutionRule } from "../engine/execution";
import type { ExecutionRows } from "./executionRows";
import type { CellValue, SheetBlock, SheetPlan } from "./ports";
import { NOTES_HEADERS } from "./sheets";
import { DEFAULT_TRANSPORT_FACTORS } from "../engine/carbon";

function num(x: number): CellValue {
  return Number.isFinite(x) ? x : null;
}

/** Keys in rank order of the first criterion (unranked and loss keys last, in key order). */
export function rankOrder(run: DimensionRunResult): Int32Array {
  const idx = Array.from({ length: run.keys }, (_, k) => k);
  const v = run.cumShare;
  idx.sort((a, b) => {
    const x = v[a];
    const y = v[b];
    const xa = Number.isFinite(x);
    const ya = Number.isFinite(y);
    if (xa && ya) return x - y || a - b;
    if (xa) return -1;
    if (ya) return 1;
    return a - b;
  });
  return Int32Array.from(idx);
}

export function dimensionHeaders(run: DimensionRunResult): string[] {
  const keys = DIMENSION_INFO[run.dimension].keyFields.map((f) => (f === "sku" ? "SKU" : f === "customer" ? "Customer" : "Channel"));
  return [
    ...keys,
    "Lines",
    "Orders",
    "Units",
    "Revenue",
    "Cost",
    "Margin",
    "Criterion value",
    "Cumulative share",
    "Class",
    ...(run.second ? ["Second-axis value", "Second-axis cumulative share", "Second-axis class"] : []),
    ...(run.carbon ? ["Carbon (kg CO2e)", "Carbon tier"] : []),
    "Note",
    "Model version",
  ];
}

export function dimensionRows(run: DimensionRunResult, modelVersion: string): CellValue[][] {
  const fields = DIMENSION_INFO[run.dimension].keyFields;
  const order = rankOrder(run);
  const rows: CellValue[][] = new Array(order.length);
  for (let j = 0; j < order.length; j++) {
    const k = order[j];
    const row: CellValue[] = [];
    for (const f of fields) row.push(f === "sku" ? run.keySku[k] : f === "customer" ? run.keyCustomer[k] : run.keyChannel[k]);
    row.push(run.lines[k], run.orders[k] >= 0 ? run.orders[k] : null, run.units[k], num(run.revenue[k]), num(run.cost[k]), num(run.margin[k]), num(run.criterionValue[k]), num(run.cumShare[k]), run.keyClass[k]);
    if (run.second) row.push(num(run.second.value[k]), num(run.second.cumShare[k]), run.second.keyClass[k]);
    if (run.carbon) row.push(num(run.carbon.emissions[k]), run.carbon.tier[k]);
    row.push(run.keyIssue[k], modelVersion);
    rows[j] = row;
  }
  return rows;
}

/** Is the planner's factor table the indicative default one? */
export function factorsAreDefault(factors: Readonly<Record<string, number>>): boolean {
  const a = Object.keys(factors).sort();
  const b = Object.keys(DEFAULT_TRANSPORT_FACTORS).sort();
  return a.length === b.length && a.every((k, i) => k === b[i] && factors[k] === DEFAULT_TRANSPORT_FACTORS[k]);
}

export const CARBON_FACTOR_NOTE =
  "The default freight factors (kg CO2e per tonne-km: road 0.12631, van 0.5907, rail 0.03159, sea 0.01536, air 1.73499) are indicative only: older Defra averages taken from a secondary source (the FTA Mode Shift Centre). Enter your own factor table (current DESNZ or GLEC values) in the pane before reporting.";

export function dimensionNotes(run: DimensionRunResult, settings: DimensionSettings, source: string, modelVersion: string, decision: readonly string[]): string[] {
  const info = DIMENSION_INFO[run.dimension];
  const crit =
    run.criterion === "twoAxis"
      ? `two-axis ABC: ${CRITERION_LABELS[settings.axes[0]].toLowerCase()} (first letter) × ${CRITERION_LABELS[settings.axes[1]].toLowerCase()} (second)`
      : run.criterion === "score"
        ? `weighted score (${settings.normalisation === "share" ? "each criterion as a share of its total" : "each criterion min–max scaled"})`
        : CRITERION_LABELS[run.criterion].toLowerCase();
  const notes = [
    `Model version ${modelVersion}, from the order lines ${source}: ${run.linesAccepted.toLocaleString("en-US")} of ${run.linesRead.toLocaleString("en-US")} lines used${run.rejectedCount ? ` (${run.rejectedCount.toLocaleString("en-US")} rejected, listed in the pane)` : ""}.`,
    `One row per ${info.label}; ranked by ${crit}; classes by cumulative share including the key (the ABC rule).`,
    ...decision,
    ...run.notes,
  ];
  if (run.costToServe) notes.push(`Cost-to-serve per segment, where the segments are ${run.costToServe.basis}; ${run.costToServe.rule}.`);
  if (run.carbon || run.criterion === "carbon") notes.push(factorsAreDefault(settings.factors) ? CARBON_FACTOR_NOTE : "Freight carbon factors: the planner's own table (see the pane).");
  return notes;
}

/** Excel cell "T1" style address of column c (0-based) and row r (1-based). */
function at(c: number, r: number): string {
  return `${columnLetters(c)}${r}`;
}

export function dimensionsPlan(run: DimensionRunResult, settings: DimensionSettings, source: string, modelVersion: string, decision: readonly string[]): SheetPlan {
  const headers = dimensionHeaders(run);
  const side = headers.length + 1; // one empty column after the key table
  const notes = dimensionNotes(run, settings, source, modelVersion, decision);
  const blocks: SheetBlock[] = [
    {
      kind: "table",
      tableName: DIMENSION_TABLE,
      anchor: "A1",
      headers,
      rows: dimensionRows(run, modelVersion),
      // formats only for the headers this table has (the writer refuses a format for a missing header)
      numberFormats: Object.fromEntries(
        Object.entries({ Revenue: "#,##0.00", Cost: "#,##0.00", Margin: "#,##0.00", "Criterion value": "#,##0.####", "Cumulative share": "0.0%", "Second-axis cumulative share": "0.0%", "Carbon (kg CO2e)": "#,##0.0" }).filter(([h]) => headers.includes(h)),
      ),
    },
    { kind: "table", tableName: DIMENSION_NOTES_TABLE, anchor: at(side, 1), headers: [...NOTES_HEADERS], rows: notes.map((n) => [n]) },
  ];
  let row = notes.length + 4;
  const cts = run.costToServe;
  if (cts) {
    const carbonOf = new Map((cts.carbon ?? []).map((c) => [c.segment, c]));
    blocks.push({
      kind: "table",
      tableName: COST_TO_SERVE_TABLE,
      anchor: at(side, row),
      headers: [...COST_TO_SERVE_HEADERS],
      rows: cts.segments.map((g) => [
        g.segment,
        g.lines,
        num(g.orders),
        g.units,
        g.revenue,
        g.costToServe,
        num(g.ctsPerUnit),
        num(g.ctsPerOrder),
        num(g.marginAfterCts),
        num(g.valueShare),
        num(g.costShare),
        g.ratio === Infinity ? "no revenue" : num(g.ratio),
        g.outOfProportion ? "yes" : "no",
        carbonOf.has(g.segment) ? num(carbonOf.get(g.segment)!.emissions) : null,
        carbonOf.has(g.segment) ? num(carbonOf.get(g.segment)!.share) : null,
      ]),
      numberFormats: {
        Revenue: "#,##0.00",
        "Cost-to-serve": "#,##0.00",
        "Cost-to-serve per unit": "#,##0.00",
        "Cost-to-serve per order": "#,##0.00",
        "Margin after cost-to-serve": "#,##0.00",
        "Revenue share": "0.0%",
        "Cost-to-serve share": "0.0%",
        Ratio: "0.00",
        "Carbon (kg CO2e)": "#,##0.0",
        "Carbon share": "0.0%",
      },
    });
    const tableEnd = row + cts.segments.length;
    const series = [
      { header: "Revenue share", type: "column" as const },
      { header: "Cost-to-serve share", type: "column" as const },
      ...(cts.carbon ? [{ header: "Carbon share", type: "column" as const }] : []),
    ];
    blocks.push({
      kind: "chart",
      name: COST_TO_SERVE_CHART,
      chartType: "ColumnClustered",
      title: `Share of revenue and of cost-to-serve${cts.carbon ? " and of carbon" : ""} per segment`,
      sourceTable: COST_TO_SERVE_TABLE,
      categoryHeader: "Segment",
      series,
      anchor: at(side, tableEnd + 3),
    });
    row = tableEnd + 3 + 22;
  }
  if (run.second) {
    blocks.push({
      kind: "table",
      tableName: TWO_AXIS_TABLE,
      anchor: at(side, row),
      headers: [...TWO_AXIS_HEADERS],
      rows: run.second.grid.map((g) => [g.cell, g.count, num(g.xShare), num(g.yShare)]),
      numberFormats: { "First-axis share": "0.0%", "Second-axis share": "0.0%" },
    });
  }
  return { sheetName: DIMENSIONS_SHEET, blocks };
}

// ---- Execution sheet -------------------------------------------------------------------------------

/** "AX / smooth / customer A" style text of what a rule applies to. */
export function ruleScope(r: ExecutionRule): string {
  const parts = [r.segment === "*" ? "every segment" : `segment ${r.segment}`];
  if (r.pattern && r.pattern !== "*") parts.push(r.pattern);
  if (r.customerClass && r.customerClass !== "*") parts.push(`customer class ${r.customerClass}`);
  return parts.join(", ");
}

/** "priority 1, express, ATP 2 days" style text of what a rule sets. */
export function ruleEffects(r: ExecutionRule): string {
  const out: string[] = [];
  if (r.pickingPriority !== undefined) out.push(`picking priority ${r.pickingPriority}`);
  if (r.transportMode !== undefined) out.push(r.transportMode);
  if (r.atpWindowDays !== undefined) out.push(`ATP window ${r.atpWindowDays} days`);
  if (r.crossDock !== undefined) out.push(r.crossDock ? "cross-dock" : "no cross-dock");
  if (r.crossDockMinVelocity !== undefined) out.push(`velocity ≥ ${r.crossDockMinVelocity}/day`);
  if (r.crossDockMaxLeadTimeDays !== undefined) out.push(`lead time ≤ ${r.crossDockMaxLeadTimeDays} days`);
  if (r.slottingZone !== undefined) out.push(`${r.slottingZone} zone`);
  if (r.sequenceByMargin !== undefined) out.push(r.sequenceByMargin ? "sequence by margin" : "not sequenced");
  return out.join(", ") || "nothing";
}

export function executionTableRows(rows: ExecutionRows, flags: ExecutionFlags, modelVersion: string): CellValue[][] {
  const out: CellValue[][] = new Array(flags.rows);
  const customerClass = rows.input.customerClass;
  for (let i = 0; i < flags.rows; i++) {
    out[i] = [
      rows.sku[i],
      rows.customer[i],
      rows.input.segment[i],
      rows.input.pattern?.[i] ?? "",
      customerClass?.[i] ?? "",
      flags.pickingPriority[i] || null,
      flags.transportMode[i],
      num(flags.atpWindowDays[i]),
      flags.crossDock[i] === 1 ? "yes" : "no",
      flags.crossDockNote[i] || (flags.issues.get(i)?.message ?? ""),
      flags.slottingZone[i],
      flags.sequencePriority[i] || null,
      [...new Set(Object.values(flags.ruleOf[i]))].join(" "),
      modelVersion,
    ];
  }
  return out;
}

export function executionNotes(rows: ExecutionRows, modelVersion: string, slotting: readonly number[]): string[] {
  return [
    `Model version ${modelVersion}. One row per ${rows.customer.some(Boolean) ? "SKU × customer pair" : "SKU"}${rows.skipped ? ` (${rows.skipped} pairs left out: their SKU is not in the classified SKU table)` : ""}.`,
    "Each flag comes from the most specific rule that sets it (fixed characters of the segment, + 1 for a fixed pattern, + 1 for a fixed customer class); Rules lists the rules used. Not set = empty.",
    `Slotting zone by turnover rank unless a rule pins it: golden up to ${Math.round(slotting[0] * 100)} % of cumulative picks, silver up to ${Math.round(slotting[1] * 100)} %, bronze after; ${rows.measure}.`,
    "Cross-dock: the rule allows it, and velocity and lead time meet its thresholds (the note says which failed).",
    "Typed changes to this sheet are compared with the rule table before the next Write and listed; the Write replaces them.",
  ];
}

export function executionPlan(rows: ExecutionRows, flags: ExecutionFlags, rules: readonly ExecutionRule[], modelVersion: string, slotting: readonly number[] = DEFAULT_SLOTTING_CUTOFFS): SheetPlan {
  const notes = executionNotes(rows, modelVersion, slotting);
  const side = EXECUTION_HEADERS.length + 1;
  return {
    sheetName: EXECUTION_SHEET,
    blocks: [
      { kind: "table", tableName: EXECUTION_TABLE, anchor: "A1", headers: [...EXECUTION_HEADERS], rows: executionTableRows(rows, flags, modelVersion), numberFormats: { "ATP window (days)": "0.##" } },
      { kind: "table", tableName: EXECUTION_NOTES_TABLE, anchor: at(side, 1), headers: [...NOTES_HEADERS], rows: notes.map((n) => [n]) },
      { kind: "table", tableName: EXECUTION_RULES_TABLE, anchor: at(side, notes.length + 4), headers: [...EXECUTION_RULES_HEADERS], rows: rules.map((r) => [r.id, ruleScope(r), ruleEffects(r)]) },
    ],
  };
}
