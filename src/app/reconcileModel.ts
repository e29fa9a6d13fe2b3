/**
 * What the Reconcile step hands the engine and what it keeps for the pane (pure, no Office): the
 * written segmentation as `SegmentationRows` (the segment each SKU is planned with, overrides
 * included), the controller's settings (tolerances, join rules, currency, category rules) with
 * their checks, and the preview the Reconcile tab shows (the engine's result with its long lists
 * cut to what a 320 px pane can show; the Reconciliation sheet gets them whole).
 */
import {
  RECONCILE_STATUSES,
  type CategoryRule,
  type CrossTab,
  type DifferenceRow,
  type DuplicateGroup,
  type FinanceOnlyRow,
  type GroupTotals,
  type OptionalMatchRule,
  type ReconcileOptions,
  type ReconcileResult,
  type ReconcileStatus,
  type RuleReport,
  type SegmentationOnlyRow,
  type SegmentationRows,
  type StatusLine,
  type Tolerance,
  type Totals,
  type CategoryViolation,
} from "../engine/reconcile";
import type { RunInput } from "./classifyTypes";
import type { FinanceRejection } from "./financeParse";
import type { OverrideMap } from "./overrides";
import { effectiveSegments } from "./plans";
import { ValidationError } from "./store";

/** One row of the editable "finance category → allowed segments" table (allowed as typed: "inactive, C"). */
export interface CategoryRuleRow {
  category: string;
  allowed: string;
}

export interface ReconcileSettings {
  valueTolerance: Tolerance;
  quantityTolerance: Tolerance;
  compareValue: boolean;
  compareQuantity: boolean;
  /** The segmentation's currency ("" = take the finance values as they are). */
  currency: string;
  /** Units of `currency` per unit of each finance currency, as typed: "USD 0.92; GBP 1.17". */
  rates: string;
  duplicates: "list" | "sumAcrossEntities";
  rules: Record<OptionalMatchRule, boolean>;
  categoryRules: CategoryRuleRow[];
}

export function defaultReconcileSettings(): ReconcileSettings {
  return {
    valueTolerance: { abs: 1, rel: 0.001 },
    quantityTolerance: { abs: 0, rel: 0 },
    compareValue: true,
    compareQuantity: true,
    currency: "",
    rates: "",
    duplicates: "list",
    rules: { numberText: true, trim: true, case: true, leadingZeros: true },
    categoryRules: [],
  };
}

/** "USD 0.92; GBP=1.17" → { USD: 0.92, GBP: 1.17 }; a bad entry is a ValidationError on "rates". */
export function parseRates(text: string): Record<string, number> | undefined {
  const parts = text
    .split(/[;\n]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0) return undefined;
  const out: Record<string, number> = {};
  for (const p of parts) {
    const m = /^([A-Za-z]{3})\s*[=:\s]\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)$/.exec(p);
    if (!m) throw new ValidationError("rates", `Rate "${p}": write a currency code and a rate, e.g. "USD 0.92" (units of the segmentation currency per unit of USD).`);
    const rate = Number(m[2]);
    if (!(rate > 0)) throw new ValidationError("rates", `Rate "${p}": the rate must be above 0.`);
    out[m[1].toUpperCase()] = rate;
  }
  return out;
}

/** The category rules as the engine takes them; rows with a blank category are ignored, a rule that allows nothing is named. */
export function categoryRulesOf(rows: readonly CategoryRuleRow[]): CategoryRule[] {
  const out: CategoryRule[] = [];
  rows.forEach((r, i) => {
    const category = r.category.trim();
    if (!category) return;
    const allowed = r.allowed
      .split(/[,;\s]+/)
      .map((t) => t.trim())
      .filter(Boolean);
    if (allowed.length === 0) throw new ValidationError("categoryRules", `Category rule ${i + 1} ("${category}"): list the segments it allows, e.g. "inactive, C".`);
    out.push({ category, allowed });
  });
  return out;
}

function checkTolerance(t: Tolerance, what: string, field: string): void {
  if (!(Number.isFinite(t.abs) && t.abs >= 0)) throw new ValidationError(field, `${what}: the absolute tolerance must be a number ≥ 0.`);
  if (!(Number.isFinite(t.rel) && t.rel >= 0)) throw new ValidationError(field, `${what}: the relative tolerance must be a percentage ≥ 0.`);
}

/** The engine options of these settings (throws a ValidationError naming the field). */
export function reconcileOptions(s: ReconcileSettings): ReconcileOptions {
  checkTolerance(s.valueTolerance, "Value tolerance", "valueTolerance");
  checkTolerance(s.quantityTolerance, "Quantity tolerance", "quantityTolerance");
  const currency = s.currency.trim().toUpperCase();
  if (currency && !/^[A-Z]{3}$/.test(currency)) throw new ValidationError("currency", `Currency "${s.currency}": write a three-letter code such as EUR.`);
  const rates = parseRates(s.rates);
  if (rates && !currency) throw new ValidationError("currency", "Give the segmentation's currency (e.g. EUR) to use a rate table.");
  return {
    rules: { ...s.rules },
    valueTolerance: { ...s.valueTolerance },
    quantityTolerance: { ...s.quantityTolerance },
    compareValue: s.compareValue,
    compareQuantity: s.compareQuantity,
    currency: currency || undefined,
    rates,
    duplicates: s.duplicates,
    categoryRules: categoryRulesOf(s.categoryRules),
  };
}

/** The segmentation as written: one row per classified SKU, with the segment it is planned with (overrides included). */
export function segmentationRows(run: RunInput, overrides: OverrideMap): SegmentationRows {
  const { parsed, result } = run;
  const eff = effectiveSegments(parsed, result, overrides);
  const sourceRow = new Int32Array(parsed.n);
  for (let i = 0; i < parsed.n; i++) sourceRow[i] = parsed.sheetRow[i] + 1;
  return {
    sku: parsed.skuCell.slice(0, parsed.n),
    segment: eff.segment,
    value: parsed.value,
    pinned: parsed.pinned,
    inactive: result.inactive,
    abc: result.abc.map((a, i) => a || eff.segment[i].charAt(0)),
    sourceRow,
    sheetName: parsed.sheetName,
  };
}

/** Lists in the pane are cut to this many rows; the Reconciliation sheet has them all. */
export const PREVIEW_LIST_ROWS = 50;

export interface ReconcilePreview {
  /** The model version reconciled, or null when the classification is not written yet. */
  modelVersion: string | null;
  source: string;
  financeFingerprint: string;
  currency: string | null;
  status: ReconcileStatus;
  byStatus: StatusLine[];
  totals: Totals;
  matchRules: RuleReport[];
  collisions: number;
  crossTab: CrossTab;
  perSegment: GroupTotals[];
  /** Full counts, then the first PREVIEW_LIST_ROWS of each list. */
  counts: { segmentationOnly: number; financeOnly: number; duplicates: number; valueDifferences: number; quantityDifferences: number; categoryViolations: number; rejected: number };
  segmentationOnly: SegmentationOnlyRow[];
  financeOnly: FinanceOnlyRow[];
  duplicates: DuplicateGroup[];
  valueDifferences: DifferenceRow[];
  quantityDifferences: DifferenceRow[];
  categoryViolations: CategoryViolation[];
  ruleWarnings: string[];
  /** Finance rows rejected (parse: named by cell; engine: currency without a rate, named by row). */
  rejected: string[];
}

export function reconcilePreview(result: ReconcileResult, financeRejected: readonly FinanceRejection[], meta: { modelVersion: string | null; source: string; financeFingerprint: string; sheetName: string }): ReconcilePreview {
  const cut = <T>(xs: readonly T[]) => xs.slice(0, PREVIEW_LIST_ROWS);
  const rejected = [...financeRejected.map((r) => r.message), ...result.rejected.map((r) => (r.side === "finance" ? `${meta.sheetName} row ${r.sourceRow}: ${r.message}` : r.message))];
  return {
    modelVersion: meta.modelVersion,
    source: meta.source,
    financeFingerprint: meta.financeFingerprint,
    currency: result.currency,
    status: result.status.status,
    byStatus: RECONCILE_STATUSES.map((s) => result.status.byStatus.find((b) => b.status === s) ?? { status: s, items: 0, segmentationValue: 0, financeValue: 0, difference: 0 }),
    totals: result.totals,
    matchRules: result.match.rules,
    collisions: result.match.collisions.length,
    crossTab: result.crossTab,
    perSegment: result.perSegment,
    counts: {
      segmentationOnly: result.segmentationOnly.length,
      financeOnly: result.financeOnly.length,
      duplicates: result.duplicates.length,
      valueDifferences: result.valueDifferences.length,
      quantityDifferences: result.quantityDifferences.length,
      categoryViolations: result.categoryViolations.length,
      rejected: rejected.length,
    },
    segmentationOnly: cut(result.segmentationOnly),
    financeOnly: cut(result.financeOnly),
    duplicates: cut(result.duplicates),
    valueDifferences: cut(result.valueDifferences),
    quantityDifferences: cut(result.quantityDifferences),
    categoryViolations: cut(result.categoryViolations),
    ruleWarnings: result.ruleWarnings,
    rejected: cut(rejected),
  };
}

/** "ties out" → "Ties out", for headings. */
export function statusLabel(s: ReconcileStatus): string {
  return s === "ties out" ? "Ties out" : s === "within tolerance" ? "Differences within tolerance" : "Unexplained differences";
}

/** How a notice about a reconciliation reads: ties out = success, within tolerance = info, unexplained = warning. */
export function statusIntent(s: ReconcileStatus): "success" | "info" | "warning" {
  return s === "ties out" ? "success" : s === "within tolerance" ? "info" : "warning";
}
