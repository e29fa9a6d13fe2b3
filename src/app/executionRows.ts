/**
 * The rows the execution rules are evaluated on, and the master-data checks before a Write.
 *
 * Rows: one per SKU of the classification (sheet order), or one per SKU × customer pair of a
 * SKU × customer segmentation of the order lines (pairs whose SKU is not in the classified SKU
 * table are left out, and counted). A row's segment is the SKU's planned segment (its override if
 * any), its pattern the SKU's demand pattern, its customer class the customer's one-letter class
 * from the order lines (dimensions job).
 * Measures, per day over the days the order lines cover (daysCovered):
 * - picks (the turnover measure of slotting) = order lines per day; velocity = units per day;
 * - without order lines, both are the SKU's mean demand per period × periods per year / 365
 *   (units per day from the demand history: the best turnover measure there is then);
 * - replenishment lead time in days = lead time (periods; the policy default when blank) × 365 /
 *   periods per year;
 * - margin per unit = (revenue − cost) / units of the row's lines (only with a cost column);
 *   production line and constraint minutes from the order lines' first value for the SKU.
 *
 * Master data (refused / flagged, see docs/execution.md):
 * - Segments sheet: the Segment column holds the computed segment (ABC + XYZ as written beside it);
 *   a Segment cell that differs from its row's ABC and XYZ was typed by hand, and so was an
 *   Override cell that differs from the recorded override. Both are refused: the Write asks first
 *   and replaces them (an override needs a reason, recorded in the Overrides tab).
 * - Execution sheet: a flag that differs from the rule table's evaluation is flagged (the Write
 *   goes ahead and lists it), compared only when the rule table is the one the last Write used and
 *   the row's segment and pattern are unchanged, so that a rule or data change is not taken for a
 *   hand edit.
 */
import { checkMasterData, type ExecutionFlags, type ExecutionInput, type ExecutionRule, type MasterDataFinding, type MasterDataRecord } from "../engine/execution";
import type { PolicyOptions } from "../engine/policy";
import type { RunInput } from "./classifyTypes";
import type { DimensionRunResult } from "./dimensionTypes";
import type { OverrideMap } from "./overrides";
import type { EffectiveSegments } from "./plans";
import type { TableData } from "./ports";

export type ExecutionRowKind = "sku" | "skuCustomer";

export interface ExecutionSettings {
  /** Write the Execution sheet (and check the master data) on every Write. */
  enabled: boolean;
  rows: ExecutionRowKind;
  /** Days the order lines cover (picks and units per day). */
  daysCovered: number;
}

export function defaultExecutionSettings(): ExecutionSettings {
  return { enabled: false, rows: "sku", daysCovered: 365 };
}

export function executionSettingsProblems(s: ExecutionSettings, dim: DimensionRunResult | null): string[] {
  const out: string[] = [];
  if (!(Number.isFinite(s.daysCovered) && s.daysCovered > 0)) out.push(`Days the order lines cover must be above 0 (365 for a year); got ${s.daysCovered}.`);
  if (s.rows === "skuCustomer" && dim?.dimension !== "skuCustomer") out.push("Rows per SKU × customer need a SKU × customer segmentation of the order lines (Classify tab, Dimension): run one, or choose rows per SKU.");
  return out;
}

/** An example rule table: standard service for all, A items first and promised sooner, express for A customers' A items, economy for C items. */
export function exampleRules(): ExecutionRule[] {
  return [
    { id: "R1", segment: "*", pickingPriority: 3, transportMode: "standard", atpWindowDays: 5 },
    { id: "R2", segment: "A*", pickingPriority: 1, atpWindowDays: 2 },
    { id: "R3", segment: "A*", customerClass: "A", transportMode: "express" },
    { id: "R4", segment: "C*", transportMode: "economy", atpWindowDays: 10 },
  ];
}

export interface ExecutionRows {
  input: ExecutionInput;
  sku: (string | number)[];
  /** "" for product rows. */
  customer: string[];
  /** Pairs left out because their SKU is not in the classification. */
  skipped: number;
  /** How picks and velocity were measured, for the notes. */
  measure: string;
}

export function executionRows(run: RunInput, effective: EffectiveSegments, dim: DimensionRunResult | null, s: ExecutionSettings, policy: Pick<PolicyOptions, "defaultLeadTime">): ExecutionRows {
  const { parsed, result, options } = run;
  const ppy = options.periodsPerYear;
  const days = s.daysCovered;
  const ltDays = (i: number) => (Number.isNaN(parsed.leadTime[i]) ? policy.defaultLeadTime : parsed.leadTime[i]) * (365 / ppy);
  const skuCode = new Map<string, number>();
  dim?.skuKeys.forEach((k, c) => skuCode.set(k, c));
  const hasCost = dim !== null && dim.perSku.cost.length > 0 && dim.perSku.cost.some((x) => !Number.isNaN(x));
  const hasLine = dim !== null && dim.perSku.productionLine.some(Boolean);
  const hasMinutes = dim !== null && dim.perSku.constraintTime.some((x) => !Number.isNaN(x));
  const segment: string[] = [];
  const pattern: string[] = [];
  const picks: number[] = [];
  const velocity: number[] = [];
  const leadTimeDays: number[] = [];
  const unitMargin: number[] = [];
  const productionLine: string[] = [];
  const constraintTime: number[] = [];
  const customerClass: string[] = [];
  const sku: (string | number)[] = [];
  const customer: string[] = [];
  let skipped = 0;
  const attributes = (c: number | undefined) => {
    productionLine.push(c === undefined ? "" : dim!.perSku.productionLine[c]);
    constraintTime.push(c === undefined ? Number.NaN : dim!.perSku.constraintTime[c]);
  };
  if (s.rows === "skuCustomer" && dim?.dimension === "skuCustomer") {
    const index = new Map<string, number>();
    parsed.sku.forEach((k, i) => index.set(k, i));
    const custCode = new Map<string, number>();
    dim.customerKeys.forEach((k, c) => custCode.set(k, c));
    for (let k = 0; k < dim.keys; k++) {
      const i = index.get(dim.keySku[k]);
      if (i === undefined) {
        skipped++;
        continue;
      }
      sku.push(parsed.skuCell[i]);
      customer.push(dim.keyCustomer[k]);
      segment.push(effective.segment[i]);
      pattern.push(result.pattern[i]);
      customerClass.push(dim.customerClass?.[custCode.get(dim.keyCustomer[k]) ?? -1] ?? "");
      picks.push(dim.lines[k] / days);
      velocity.push(dim.units[k] / days);
      leadTimeDays.push(ltDays(i));
      unitMargin.push(dim.units[k] > 0 ? dim.margin[k] / dim.units[k] : Number.NaN);
      attributes(skuCode.get(dim.keySku[k]));
    }
  } else {
    for (const i of result.rowOrder) {
      const c = skuCode.get(parsed.sku[i]);
      sku.push(parsed.skuCell[i]);
      customer.push("");
      segment.push(effective.segment[i]);
      pattern.push(result.pattern[i]);
      if (dim) {
        picks.push(c === undefined ? 0 : dim.perSku.lines[c] / days);
        velocity.push(c === undefined ? 0 : dim.perSku.units[c] / days);
        const u = c === undefined ? 0 : dim.perSku.units[c];
        unitMargin.push(c !== undefined && u > 0 ? (dim.perSku.revenue[c] - dim.perSku.cost[c]) / u : Number.NaN);
      } else {
        const perDay = (result.demandMean[i] * ppy) / 365;
        picks.push(Number.isFinite(perDay) ? perDay : 0);
        velocity.push(Number.isFinite(perDay) ? perDay : 0);
        unitMargin.push(Number.NaN);
      }
      leadTimeDays.push(ltDays(i));
      attributes(c);
    }
  }
  const input: ExecutionInput = {
    rows: segment.length,
    segment,
    pattern,
    picks,
    velocity,
    leadTimeDays,
    ...(s.rows === "skuCustomer" && dim?.dimension === "skuCustomer" ? { customerClass } : {}),
    ...(hasLine ? { productionLine } : {}),
    ...(hasLine && hasCost ? { unitMargin } : {}),
    ...(hasLine && hasMinutes ? { constraintTime } : {}),
  };
  const measure = dim
    ? `picks = order lines per day and velocity = units per day over the ${days} days the order lines cover`
    : `no order lines: picks and velocity are the demand per day from the history (mean demand × ${ppy} periods a year / 365)`;
  return { input, sku, customer, skipped, measure };
}

function cellText(c: unknown): string {
  return c === null || c === undefined ? "" : String(c).trim();
}

/** Segments and overrides typed by hand on the Segments sheet (refused). */
export function typedSegmentFindings(table: TableData | null, overrides: OverrideMap): MasterDataFinding[] {
  if (!table) return [];
  const h = (name: string) => table.headers.indexOf(name);
  const [cSku, cAbc, cXyz, cSeg, cOver] = [h("SKU"), h("ABC"), h("XYZ"), h("Segment"), h("Override")];
  if (cSku < 0 || cSeg < 0 || cAbc < 0 || cXyz < 0) return [];
  const records: MasterDataRecord[] = [];
  const out: MasterDataFinding[] = [];
  table.rows.forEach((r, row) => {
    const sku = cellText(r[cSku]);
    const abc = cellText(r[cAbc]);
    const xyz = cellText(r[cXyz]);
    records.push({ row, sku, typedSegment: cellText(r[cSeg]), computedSegment: abc && xyz ? abc + xyz : "" });
    if (cOver >= 0) {
      const typed = cellText(r[cOver]);
      const recorded = overrides[sku]?.segment ?? "";
      if (typed !== recorded) {
        out.push({
          row,
          sku,
          field: "segment",
          typed,
          expected: recorded || null,
          action: "refused",
          message: recorded
            ? `${sku}: override "${typed || "(blank)"}" typed by hand differs from the recorded override "${recorded}"; change overrides in the Overrides tab`
            : `${sku}: override "${typed}" typed by hand has no recorded reason; set it in the Overrides tab instead`,
        });
      }
    }
  });
  return [...checkMasterData(records), ...out].sort((a, b) => a.row - b.row);
}

/** Flags typed on the Execution sheet that contradict the rule table's evaluation (flagged). */
export function typedFlagFindings(table: TableData | null, rows: ExecutionRows, flags: ExecutionFlags): MasterDataFinding[] {
  if (!table) return [];
  const h = (name: string) => table.headers.indexOf(name);
  const c = { sku: h("SKU"), customer: h("Customer"), segment: h("Segment"), pattern: h("Pattern"), priority: h("Picking priority"), mode: h("Transport mode"), atp: h("ATP window (days)"), zone: h("Slotting zone") };
  if (c.sku < 0) return [];
  const index = new Map<string, number>();
  rows.sku.forEach((s, i) => index.set(`${String(s)}\u0000${rows.customer[i]}`, i));
  const records: MasterDataRecord[] = [];
  for (const r of table.rows) {
    const i = index.get(`${cellText(r[c.sku])}\u0000${c.customer >= 0 ? cellText(r[c.customer]) : ""}`);
    if (i === undefined) continue;
    if (cellText(r[c.segment]) !== rows.input.segment[i] || cellText(r[c.pattern]) !== (rows.input.pattern?.[i] ?? "")) continue;
    // An empty cell is "not set" (null), which the evaluation also gives for a field no rule sets.
    const typed: Record<string, unknown> = {};
    const value = (cell: unknown) => (typeof cell === "number" ? cell : cellText(cell) === "" ? null : cellText(cell));
    typed.pickingPriority = value(r[c.priority]);
    typed.transportMode = value(r[c.mode]);
    typed.atpWindowDays = value(r[c.atp]);
    if (flags.ruleOf[i].slottingZone) typed.slottingZone = value(r[c.zone]);
    records.push({ row: i, sku: String(rows.sku[i]) + (rows.customer[i] ? ` × ${rows.customer[i]}` : ""), computedSegment: rows.input.segment[i], typed: typed as MasterDataRecord["typed"] });
  }
  return checkMasterData(records, flags).filter((f) => f.action === "flagged");
}
