/**
 * Hand edits to the segment policy table on the Policy sheet. The add-in keeps the grid it last
 * wrote (settings "seg.policyWritten"); a cell on the sheet that differs from it was edited by a
 * person. Before a rewrite, edits that also differ from the pane's grid are conflicts: the user
 * chooses "keep theirs" (the default: the sheet's value wins and is copied into the pane's grid)
 * or "use new" (the pane's value is written). Nothing is overwritten silently.
 */
import { criticalRatio } from "../engine/policy/newsvendor";
import { isMultipleOf } from "../engine/rounding";
import {
  DISTRIBUTION_CHOICES,
  SEGMENT_POLICY_FIELDS,
  SEGMENTS,
  parsePolicyCell,
  policyFieldHeader,
  policyOptionProblems,
  type PolicyOptions,
  type SegmentPolicy,
  type SegmentPolicyField,
} from "../engine/policy";
import { sheetCell } from "./a1";
import { parseRange } from "./a1";
import type { TableData } from "./ports";
import { POLICY_SHEET } from "./sheets";

export type PolicyValue = SegmentPolicy[SegmentPolicyField];

export interface PolicyEdit {
  segment: string;
  field: SegmentPolicyField;
  /** Sheet cell of the edit, e.g. "Policy!B3". */
  address: string;
  /** What the add-in wrote last (undefined when it does not know: no record kept). */
  written: PolicyValue | undefined;
  /** The cell as it is now, and its reading as the field (undefined when it cannot be read). */
  sheetCell: unknown;
  sheetValue: PolicyValue | undefined;
  /** The pane's value for the cell. */
  paneValue: PolicyValue;
  /** The sheet value is usable as the field (e.g. a service level in (0,1)). */
  valid: boolean;
  /** Why not, when not valid. */
  problem?: string;
}

export type PolicyResolution = "keep" | "new";

function same(a: unknown, b: unknown): boolean {
  if (typeof a === "number" && typeof b === "number") return Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a), Math.abs(b));
  return a === b;
}

/**
 * Cells of the sheet table that a person changed and that the pane would now write differently.
 * `anchorRow`/`anchorCol` locate the table's header (for the addresses in messages).
 */
export function findPolicyConflicts(table: TableData | null, lastWritten: readonly SegmentPolicy[] | undefined, pane: readonly SegmentPolicy[], anchor = "A1"): PolicyEdit[] {
  if (!table) return [];
  const a = parseRange(anchor);
  const segCol = table.headers.indexOf("Segment");
  if (segCol < 0) return [];
  const out: PolicyEdit[] = [];
  table.rows.forEach((row, r) => {
    const segment = String(row[segCol] ?? "").trim().toUpperCase();
    if (!SEGMENTS.includes(segment)) return;
    const paneRow = pane.find((p) => p.segment === segment);
    const writtenRow = lastWritten?.find((p) => p.segment === segment);
    if (!paneRow) return;
    for (const field of SEGMENT_POLICY_FIELDS) {
      const c = table.headers.indexOf(policyFieldHeader(field));
      if (c < 0) continue;
      const cell = row[c];
      const value = parsePolicyCell(field, cell);
      const written = writtenRow?.[field];
      const edited = written === undefined ? !same(value, paneRow[field]) : !same(value, written);
      if (!edited || same(value, paneRow[field])) continue;
      let problem: string | undefined;
      if (value === undefined) problem = `holds ${JSON.stringify(cell)}, which is not a valid ${policyFieldHeader(field).toLowerCase()}`;
      else {
        const probe = { ...paneRow, [field]: value } as SegmentPolicy;
        problem = gridRowProblems(probe).find((p) => p.field === field)?.message.slice(segment.length + 1);
      }
      out.push({
        segment,
        field,
        address: sheetCell(POLICY_SHEET, a.row1 + 1 + r, a.col1 + c),
        written,
        sheetCell: cell,
        sheetValue: value,
        paneValue: paneRow[field],
        valid: problem === undefined,
        problem,
      });
    }
  });
  return out;
}

/** The grid to write: the pane's, with the sheet's valid edits kept when the user chose "keep". */
export function resolvePolicyGrid(pane: readonly SegmentPolicy[], conflicts: readonly PolicyEdit[], resolution: PolicyResolution): SegmentPolicy[] {
  const grid = pane.map((p) => ({ ...p }));
  if (resolution === "new") return grid;
  for (const e of conflicts) {
    if (!e.valid || e.sheetValue === undefined) continue;
    const row = grid.find((p) => p.segment === e.segment)!;
    (row as unknown as Record<string, PolicyValue>)[e.field] = e.sheetValue;
  }
  return grid;
}

/** Fields the pane and the sheet show as percentages. */
export const PERCENT_FIELDS: readonly SegmentPolicyField[] = ["serviceLevel", "fillRateTarget", "shortageCost"];

/** A grid value in the unit the pane and the sheet show it in (0.995 → "99.5 %"). */
export function showPolicyValue(field: SegmentPolicyField, v: unknown): string {
  if (typeof v === "number" && PERCENT_FIELDS.includes(field)) return `${Math.round(v * 1e6) / 1e4} %`;
  if (typeof v === "number") return String(Math.round(v * 1e6) / 1e6);
  return v === undefined || v === null ? "(blank)" : String(v);
}

/**
 * Problems of one grid row in the pane's units: service level and fill rate target in percent.
 * Each names the segment and the field, for the field's error message.
 */
export function gridRowProblems(p: SegmentPolicy): { field: SegmentPolicyField; message: string }[] {
  const out: { field: SegmentPolicyField; message: string }[] = [];
  const pct = (x: number) => showPolicyValue("serviceLevel", x);
  if (!(p.serviceLevel > 0 && p.serviceLevel < 1)) out.push({ field: "serviceLevel", message: `${p.segment} service level must be above 0 % and below 100 % (e.g. 95 %), got ${pct(p.serviceLevel)}` });
  if (p.method !== "csl" && p.method !== "fill" && p.method !== "cost") out.push({ field: "method", message: `${p.segment} method must be CSL, Fill or Cost, got "${String(p.method)}"` });
  if (!(p.reviewPeriod >= 0 && Number.isFinite(p.reviewPeriod))) out.push({ field: "reviewPeriod", message: `${p.segment} review period must be 0 or more periods, got ${p.reviewPeriod}` });
  if (!(p.fillRateTarget > 0 && p.fillRateTarget <= 1)) out.push({ field: "fillRateTarget", message: `${p.segment} fill rate target must be above 0 % and at most 100 %, got ${pct(p.fillRateTarget)}` });
  if (!(p.turnsTarget > 0 && Number.isFinite(p.turnsTarget))) out.push({ field: "turnsTarget", message: `${p.segment} inventory turns target must be above 0, got ${p.turnsTarget}` });
  if (!(DISTRIBUTION_CHOICES as readonly unknown[]).includes(p.distribution)) out.push({ field: "distribution", message: `${p.segment} distribution must be one of ${DISTRIBUTION_CHOICES.join(", ")}, got "${String(p.distribution)}"` });
  if (!(p.shortageCost > 0 && Number.isFinite(p.shortageCost))) out.push({ field: "shortageCost", message: `${p.segment} shortage cost must be above 0 % of the unit cost a year (e.g. 475 %), got ${pct(p.shortageCost)}` });
  if (!(p.orderMultiple > 0 && Number.isFinite(p.orderMultiple))) out.push({ field: "orderMultiple", message: `${p.segment} order multiple must be above 0 units, got ${p.orderMultiple}` });
  if (!(p.moq >= 0 && Number.isFinite(p.moq))) out.push({ field: "moq", message: `${p.segment} MOQ must be 0 or more units, got ${p.moq}` });
  else if (p.moq > 0 && p.orderMultiple > 0 && !isMultipleOf(p.moq, p.orderMultiple)) out.push({ field: "moq", message: `${p.segment} MOQ ${p.moq} is not a multiple of the order multiple ${p.orderMultiple}` });
  return out;
}

export function gridProblems(grid: readonly SegmentPolicy[]): string[] {
  return grid.flatMap((p) => gridRowProblems(p).map((x) => x.message));
}

export function describeConflict(e: PolicyEdit): string {
  const label = `${e.segment} ${policyFieldHeader(e.field).toLowerCase()}`;
  if (!e.valid) return `${e.address} (${label}) ${e.problem ?? "is not valid"}: the pane's value ${showPolicyValue(e.field, e.paneValue)} will be written.`;
  return `${e.address} (${label}) was changed on the sheet to ${showPolicyValue(e.field, e.sheetValue)}; the pane has ${showPolicyValue(e.field, e.paneValue)}.`;
}

/** policyOptionProblems (src/engine/policy.ts) in the pane's units: the holding cost rate in percent. */
export function policyOptionPaneProblems(o: PolicyOptions): string[] {
  return policyOptionProblems(o).map((m) =>
    m.startsWith("Holding cost rate") ? `Holding cost per year must be above 0 % of the unit cost (e.g. 25 %), got ${Math.round(o.holdingRate * 1e6) / 1e4} %` : m,
  );
}

/** A "cost" segment's critical ratio p / (p + h) with the defaults' holding rate (NaN when not defined). */
export function segmentCriticalRatio(p: SegmentPolicy, o: PolicyOptions): number {
  const r = criticalRatio(p.shortageCost, o.holdingRate);
  return typeof r === "number" ? r : Number.NaN;
}

/** The field of the pane a policy option problem belongs to (for the message beside it). */
export function policyOptionField(message: string): string | null {
  if (message.startsWith("Safety-stock budget of segment")) return "segmentBudget";
  if (message.startsWith("Safety-stock budget")) return "budget";
  if (message.startsWith("Phase-out")) return "phaseOutPeriods";
  return null;
}
