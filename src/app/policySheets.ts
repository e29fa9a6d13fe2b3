/**
 * The sheets of a deployed policy (src/engine/policy/deploy.ts result), as SheetPlans (pure):
 * - the per-SKU rows of the Policy sheet (SKU_POLICY_HEADERS), with lifecycle, floors, budget and
 *   capacity said in Flags;
 * - MRP export: the policy in the fields a planning system loads, names configurable
 *   (src/engine/policy/mrpExport.ts), one row per SKU with a policy;
 * - Policy change list: against the previous written version, per supplier and per changed SKU
 *   (src/engine/policy/changeList.ts);
 * - the very hidden SEG_PolicyVersion sheet that keeps this version for the next change list
 *   (src/app/policyVersion.ts).
 */
import { DISTRIBUTION_NAMES } from "../engine/distributions";
import { FLAG_BUDGET, FLAG_CAPACITY, ORDER_QTY_SOURCES, POLICY_METHODS, skuPolicyNote, type PolicyOptions, type SegmentPolicy } from "../engine/policy";
import { inventoryInvestment, policyChangeList, type PolicyVersionColumns } from "../engine/policy/changeList";
import type { DeployResult } from "../engine/policy/deploy";
import { SOURCE_ANALOG, SOURCE_FAMILY } from "../engine/policy/lifecycle";
import { DEFAULT_MRP_EXPORT_FIELDS, DEFAULT_MRP_HEADERS, MRP_FIELDS, mrpExportTable, SAP_MRP_HEADERS, type MrpField } from "../engine/policy/mrpExport";
import { ArgumentError } from "../engine/errors";
import type { RunInput } from "./classifyTypes";
import { FORECAST_DEMAND_NOTE, orderQtySourceLabel, type EffectiveSegments } from "./plans";
import type { PolicyJob } from "./policyInput";
import { encodePolicyVersion, type PolicyVersion } from "./policyVersion";
import type { CellValue, SheetPlan } from "./ports";
import {
  CHANGE_LIST_SHEET,
  CHANGE_NOTES_TABLE,
  MRP_EXPORT_SHEET,
  MRP_EXPORT_TABLE,
  NOTES_HEADERS,
  POLICY_VERSION_SHEET,
  POLICY_VERSION_TABLE,
  SKU_CHANGES_HEADERS,
  SKU_CHANGES_TABLE,
  SUPPLIER_CHANGES_HEADERS,
  SUPPLIER_CHANGES_TABLE,
} from "./sheets";

/** A computed policy with what it was computed from. */
export interface DeployedRun {
  run: RunInput;
  effective: EffectiveSegments;
  grid: readonly SegmentPolicy[];
  options: PolicyOptions;
  job: PolicyJob;
  result: DeployResult;
}

const num = (x: number): CellValue => (Number.isFinite(x) ? x : null);
const round = (x: number) => Math.round(x * 100) / 100;

/** What rules changed row i beyond the formula (Flags column). */
export function flagsOf(d: DeployedRun, i: number): string {
  const r = d.result;
  const t = r.table;
  const out: string[] = [];
  const floor = t.floor[i];
  if (floor > 0 || (d.job.floor[i] ?? 0) > 0) out.push(`protected (floor ${round(floor > 0 ? floor : d.job.floor[i])})`);
  const life = r.lifecycleNotes.get(i);
  if (life) out.push(life);
  const last = r.demandAfterLastBuy[i];
  if (last === last && r.replenish[i]) out.push(`last buy must cover ${round(last)} units`);
  if (t.flags[i] & FLAG_BUDGET) out.push("level set by the safety-stock budget");
  if (t.flags[i] & FLAG_CAPACITY) out.push(`max cut by ${round(r.capacity?.cut[i] ?? 0)} for the capacity of ${d.job.location?.[i] || "its location"}`);
  return out.join("; ");
}

/** The segment source column: the override or computed state, or where a new SKU's demand came from. */
function sourceOf(d: DeployedRun, i: number): string {
  const s = d.result.demandSource[i];
  if (s === SOURCE_ANALOG) return `new: analog ${d.job.analog?.[i] ?? ""}`;
  if (s === SOURCE_FAMILY) return `new: family ${d.job.family?.[i] ?? ""}`;
  return d.effective.source[i];
}

/** One row of the per-SKU policy table (SKU_POLICY_HEADERS order) for SKU i. */
export function deployedPolicyRow(d: DeployedRun, i: number, modelVersion: string): CellValue[] {
  const row = policyRowCells(d, i, modelVersion);
  row.push(d.job.decidedBy?.[i] ?? "");
  return row;
}

function policyRowCells(d: DeployedRun, i: number, modelVersion: string): CellValue[] {
  const { parsed, result: cls } = d.run;
  const r = d.result;
  const t = r.table;
  const head: CellValue[] = [parsed.skuCell[i], r.segment[i] || d.effective.segment[i], sourceOf(d, i)];
  const lt = t.leadTime[i] === t.leadTime[i] ? t.leadTime[i] : Number.isNaN(parsed.leadTime[i]) ? d.options.defaultLeadTime : parsed.leadTime[i];
  const where: CellValue[] = [parsed.location?.[i] ?? "", parsed.supplier?.[i] ?? "", num(parsed.floor?.[i] ?? Number.NaN)];
  const mean = num(r.demandMean[i]);
  const sd = num(r.demandSd[i]);
  if (!d.job.planned[i]) {
    return [...head, null, "", mean, sd, lt, null, 0, 0, 0, 0, 0, `inactive: ${cls.inactiveReason[i]}; no reorder point (pin the SKU to plan it)`, "", null, null, null, ...where, "", modelVersion];
  }
  const method = t.method[i] >= 0 ? POLICY_METHODS[t.method[i]] : "";
  const bad = t.errors.get(i);
  if (bad) {
    return [...head, num(t.serviceLevel[i]), method, mean, sd, lt, num(t.reviewPeriod[i]), null, null, null, null, null, `not computed: ${bad.message}`, "", null, null, null, ...where, flagsOf(d, i), modelVersion];
  }
  if (t.method[i] < 0) {
    // XYZ class N (no demand in the window): no grid row, nothing to stock
    return [...head, null, "", mean, sd, lt, null, 0, 0, 0, 0, num(parsed.orderQty[i]) ?? 0, "no demand", "", null, null, null, ...where, flagsOf(d, i), modelVersion];
  }
  const replenish = r.replenish[i] === 1;
  const qSource0 = replenish ? orderQtySourceLabel(ORDER_QTY_SOURCES[t.orderQtySource[i]]) : "none";
  const qSource = d.job.demandFromForecast?.[i] ? `${qSource0}; ${FORECAST_DEMAND_NOTE}` : qSource0;
  const note = replenish ? skuPolicyNote(t, i) : "";
  return [
    ...head,
    t.serviceLevel[i],
    method,
    mean,
    sd,
    lt,
    t.reviewPeriod[i],
    t.safetyStock[i],
    t.reorderPoint[i],
    t.min[i],
    t.max[i],
    t.orderQty[i],
    note ? `${qSource}; ${note}` : qSource,
    t.distribution[i] >= 0 && replenish ? DISTRIBUTION_NAMES[t.distribution[i]] : "",
    num(t.roundingValue[i]),
    num(t.moq[i]),
    replenish ? num(t.fillRate[i]) : null,
    ...where,
    flagsOf(d, i),
    modelVersion,
  ];
}

/** Every SKU's row, in the Segments sheet's order. */
export function deployedPolicyRows(d: DeployedRun, modelVersion: string): CellValue[][] {
  const order = d.run.result.rowOrder;
  const rows: CellValue[][] = new Array(order.length);
  for (let k = 0; k < order.length; k++) rows[k] = deployedPolicyRow(d, order[k], modelVersion);
  return rows;
}

/** Rows with a policy (a grid row and no error), in sheet order. */
function withPolicy(d: DeployedRun): number[] {
  const t = d.result.table;
  const out: number[] = [];
  for (const i of d.run.result.rowOrder) if (d.job.planned[i] && t.method[i] >= 0 && t.reorderPoint[i] === t.reorderPoint[i]) out.push(i);
  return out;
}

/** This version's per-SKU policy for the next change list. */
export function currentVersion(d: DeployedRun, modelVersion: string): PolicyVersion {
  const rows = withPolicy(d);
  const t = d.result.table;
  const pick = (col: ArrayLike<number>) => Float64Array.from(rows, (i) => col[i]);
  return {
    modelVersion,
    rows: rows.length,
    sku: rows.map((i) => d.run.parsed.sku[i]),
    location: rows.map((i) => d.run.parsed.location?.[i] ?? ""),
    supplier: rows.map((i) => d.run.parsed.supplier?.[i] ?? ""),
    reorderPoint: pick(t.reorderPoint),
    max: pick(t.max),
    safetyStock: pick(t.safetyStock),
    orderQty: pick(t.orderQty),
    unitCost: pick(d.job.unitCost),
  };
}

/** Investment of the written policy (unit cost x (safety stock + Q / 2), SPT ch. 6), per SKU. */
export function investmentOf(d: DeployedRun, i: number): number {
  const t = d.result.table;
  return inventoryInvestment(d.job.unitCost[i], t.safetyStock[i], t.orderQty[i]);
}

// ---- MRP export ----------------------------------------------------------------------------------

/** The export's field choice and names, kept per workbook. */
export interface MrpExportSettings {
  fields: MrpField[];
  /** Our field -> the planning system's column name; missing = DEFAULT_MRP_HEADERS. */
  headers: Partial<Record<MrpField, string>>;
  /** MRP type per segment (e.g. SAP "VB"); missing = "reorder point" / "periodic review". */
  mrpTypeBySegment: Record<string, string>;
  noReplenishmentMrpType: string;
}

export function defaultMrpExportSettings(): MrpExportSettings {
  return { fields: [...DEFAULT_MRP_EXPORT_FIELDS], headers: {}, mrpTypeBySegment: {}, noReplenishmentMrpType: "no replenishment" };
}

/** SAP MARC names for the fields SAP has (a starting point the planner edits). */
export function sapMrpExportSettings(): MrpExportSettings {
  return { fields: MRP_FIELDS.filter((f) => SAP_MRP_HEADERS[f] !== undefined), headers: { ...SAP_MRP_HEADERS }, mrpTypeBySegment: {}, noReplenishmentMrpType: "ND" };
}

export { DEFAULT_MRP_HEADERS, MRP_FIELDS, type MrpField };

/** What stops the export (an unknown field, a blank or repeated name), in the pane's words. */
export function mrpExportProblems(s: MrpExportSettings): string[] {
  if (!s.fields.length) return ["MRP export: choose at least one field."];
  try {
    mrpExportTable({ rows: 0, sku: [], segment: [], safetyStock: [], reorderPoint: [], min: [], max: [], orderQty: [], roundingValue: [], reviewPeriod: [] }, { fields: s.fields, headers: s.headers });
  } catch (e) {
    if (e instanceof ArgumentError) return [`MRP export: ${e.message.replace(/^headers: |^fields: /, "")}.`];
    throw e;
  }
  return [];
}

export interface MrpExportOutcome {
  plan: SheetPlan;
  rows: number;
  /** SKUs left out (their policy could not be computed) and why. */
  skipped: { sku: string; reason: string }[];
}

/** The MRP export table of every SKU with a policy (rows with a row error are listed in `skipped`). */
export function mrpExportRows(d: DeployedRun, settings: MrpExportSettings, modelVersion: string): { headers: string[]; rows: (string | number)[][]; skipped: { sku: string; reason: string }[] } {
  const t = d.result.table;
  const rows: number[] = [];
  for (const i of d.run.result.rowOrder) if (d.job.planned[i] && (t.method[i] >= 0 || t.errors.has(i))) rows.push(i);
  const pick = (col: ArrayLike<number>) => Float64Array.from(rows, (i) => col[i]);
  const table = mrpExportTable(
    {
      rows: rows.length,
      sku: rows.map((i) => d.run.parsed.sku[i]),
      location: rows.map((i) => d.run.parsed.location?.[i] ?? ""),
      segment: rows.map((i) => d.result.segment[i]),
      safetyStock: pick(t.safetyStock),
      reorderPoint: pick(t.reorderPoint),
      min: pick(t.min),
      max: pick(t.max),
      orderQty: pick(t.orderQty),
      roundingValue: pick(t.roundingValue),
      moq: Float64Array.from(rows, (i) => (t.moq[i] === t.moq[i] ? t.moq[i] : 0)),
      reviewPeriod: pick(t.reviewPeriod),
      replenish: Uint8Array.from(rows, (i) => d.result.replenish[i]),
      modelVersion,
    },
    { fields: settings.fields, headers: settings.headers, mrpTypeBySegment: settings.mrpTypeBySegment, noReplenishmentMrpType: settings.noReplenishmentMrpType },
  );
  return {
    headers: table.headers,
    rows: table.rows,
    skipped: table.skipped.map((s) => ({ sku: d.run.parsed.sku[rows[s.row]], reason: t.errors.get(rows[s.row])?.message ?? s.reason })),
  };
}

export function mrpExportPlan(d: DeployedRun, settings: MrpExportSettings, modelVersion: string): MrpExportOutcome {
  const x = mrpExportRows(d, settings, modelVersion);
  return {
    plan: { sheetName: MRP_EXPORT_SHEET, blocks: [{ kind: "table", tableName: MRP_EXPORT_TABLE, anchor: "A1", headers: x.headers, rows: x.rows }] },
    rows: x.rows.length,
    skipped: x.skipped,
  };
}

// ---- change list -----------------------------------------------------------------------------------

const EMPTY_VERSION: PolicyVersionColumns = { rows: 0, sku: [], location: [], supplier: [], reorderPoint: [], max: [], safetyStock: [], orderQty: [], unitCost: [] };

export interface ChangeListOutcome {
  plan: SheetPlan;
  summary: string[];
  changed: number;
  suppliers: number;
}

/** Notes (A1), per supplier (A7), per SKU that is not unchanged (the right of them). */
export function changeListPlan(previous: PolicyVersion | null, current: PolicyVersion): ChangeListOutcome {
  const list = policyChangeList(previous ?? EMPTY_VERSION, current);
  const moved = list.skus.filter((s) => s.status !== "unchanged");
  const order: Record<string, number> = { changed: 0, new: 1, removed: 2 };
  moved.sort((a, b) => order[a.status] - order[b.status] || Math.abs(b.investmentChange) - Math.abs(a.investmentChange) || (a.sku < b.sku ? -1 : 1));
  const unchanged = list.skus.length - moved.length;
  const skuRows: CellValue[][] = previous
    ? moved.map((s) => [s.sku, s.location, s.supplier, s.status, s.reorderPointBefore, s.reorderPointAfter, s.reorderPointChange, s.maxBefore, s.maxAfter, s.maxChange, num(s.investmentBefore), num(s.investmentAfter), num(s.investmentChange), num(s.maxValueChange)])
    : [];
  const supplierRows: CellValue[][] = list.suppliers.map((s) => [s.supplier || "(none)", s.skus, s.newSkus, s.removedSkus, s.changedSkus, s.reorderPointChange, s.maxChange, num(s.investmentBefore), num(s.investmentAfter), num(s.investmentChange), num(s.maxValueChange)]);
  const notes = previous
    ? [
        `Version ${current.modelVersion} against ${previous.modelVersion}: ${moved.filter((s) => s.status === "changed").length} SKU(s) changed, ${moved.filter((s) => s.status === "new").length} new, ${moved.filter((s) => s.status === "removed").length} removed, ${unchanged} unchanged (not listed).`,
        "Investment = unit cost × (safety stock + order quantity / 2), the value of the average stock; Max value change = unit cost × the change in max, the peak a supplier has to cover.",
        "Suppliers are listed by the size of their investment change, largest first. Changes in reorder point and max are in units.",
      ]
    : [
        `Version ${current.modelVersion} is the first one written with a change list: the next Write lists what changed against it.`,
        "Per supplier: the investment of this version (unit cost × (safety stock + order quantity / 2)).",
        "",
      ];
  const supplierAnchorRow = notes.length + 3;
  const plan: SheetPlan = {
    sheetName: CHANGE_LIST_SHEET,
    blocks: [
      { kind: "table", tableName: CHANGE_NOTES_TABLE, anchor: "A1", headers: [...NOTES_HEADERS], rows: notes.map((n) => [n]) },
      {
        kind: "table",
        tableName: SUPPLIER_CHANGES_TABLE,
        anchor: `A${supplierAnchorRow}`,
        headers: [...SUPPLIER_CHANGES_HEADERS],
        rows: supplierRows,
        numberFormats: { "Investment before": "#,##0", "Investment after": "#,##0", "Investment change": "#,##0", "Max value change": "#,##0" },
      },
      {
        kind: "table",
        tableName: SKU_CHANGES_TABLE,
        anchor: "M1",
        headers: [...SKU_CHANGES_HEADERS],
        rows: skuRows,
        numberFormats: { "Investment before": "#,##0.00", "Investment after": "#,##0.00", "Investment change": "#,##0.00", "Max value change": "#,##0.00" },
      },
    ],
  };
  const summary = previous
    ? [`Policy change list: ${moved.length} SKU(s) changed, new or removed against version ${previous.modelVersion}, ${list.suppliers.length} supplier(s).`]
    : ["Policy change list: first version kept; the next Write lists the changes."];
  return { plan, summary, changed: moved.length, suppliers: list.suppliers.length };
}

/** The very hidden sheet keeping this version. */
export function policyVersionPlan(v: PolicyVersion): SheetPlan {
  return {
    sheetName: POLICY_VERSION_SHEET,
    visibility: "veryHidden",
    blocks: [{ kind: "table", tableName: POLICY_VERSION_TABLE, anchor: "A1", headers: ["Chunk"], rows: encodePolicyVersion(v).map((c) => [c]), numberFormats: { Chunk: "@" } }],
  };
}

/** The packed cells of the version table as read back. */
export function versionCells(rows: readonly unknown[][] | undefined): unknown[] {
  return (rows ?? []).map((r) => r[0]);
}


