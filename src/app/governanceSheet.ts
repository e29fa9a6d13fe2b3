/**
 * The Governance sheet (pure): the dashboard of src/engine/governance.ts from what the workbook
 * keeps (runs and their data-quality verdicts, the diffs between consecutive Writes, overrides,
 * the policy as it was on the sheets, reconciliations and their approvals), refreshed on every
 * Write and every recorded reconciliation. Tables with native Excel charts over the small ones:
 * stability per segment (columns), churn per run (line), open overrides by age per segment
 * (stacked columns), rejected rows per run (line).
 */
import { governanceFigures, type GovernanceFigures, type GovernanceInput, type OverrideInput, type PolicyInput, type ReconciliationRecord, type RunRecord } from "../engine/governance";
import type { VersionDiff } from "../engine/versions";
import type { OverrideMap } from "./overrides";
import type { CellValue, SheetPlan, TableData } from "./ports";

export const GOVERNANCE_SHEET = "Governance";
export const GOV_SUMMARY_TABLE = "SegGovSummary";
export const GOV_STABILITY_TABLE = "SegGovStability";
export const GOV_CHURN_TABLE = "SegGovChurn";
export const GOV_OVERRIDES_TABLE = "SegGovOverrides";
export const GOV_EXCEPTIONS_TABLE = "SegGovExceptions";
export const GOV_RECON_TABLE = "SegGovReconciliations";
export const GOV_STABILITY_CHART = "SegGovStabilityChart";
export const GOV_CHURN_CHART = "SegGovChurnChart";
export const GOV_OVERRIDES_CHART = "SegGovOverridesChart";
export const GOV_EXCEPTIONS_CHART = "SegGovExceptionsChart";

/** Kept per Write (settings): the diff against the Write before, without the movers list. */
export type CompactDiff = Omit<VersionDiff, "movers"> & { movers: [] };
export const GOVERNANCE_SETTINGS = { diffs: "seg.runDiffs", figures: "seg.governanceFigures" } as const;
export const DIFFS_KEPT = 24;

export function compactDiff(d: VersionDiff): CompactDiff {
  return { ...d, movers: [] };
}

export function overrideInputs(overrides: OverrideMap): OverrideInput[] {
  return Object.values(overrides).map((o) => ({ sku: o.sku, segment: o.segment, computedAtSet: o.computedAtSet, setAt: o.timestamp }));
}

/** The policy as it is on the sheets (grid and SKU policy tables), with hand edits of the grid counted against `writtenGrid`. */
export function policyInputOf(grid: TableData | null, skuPolicy: TableData | null, handEdits: number): PolicyInput | undefined {
  if (!grid || !skuPolicy) return undefined;
  const g = (name: string) => grid.headers.indexOf(name);
  const p = (name: string) => skuPolicy.headers.indexOf(name);
  const [gs, gl, gm, gr] = ["Segment", "Service level", "Method", "Review period"].map(g);
  const [ps, pl, pm, pr] = ["Segment", "Service level", "Method", "Review period"].map(p);
  if ([gs, gl, gm, gr, ps, pl, pm, pr].some((c) => c < 0)) return undefined;
  const num = (x: unknown) => (typeof x === "number" ? x : Number.NaN);
  return {
    grid: grid.rows.map((r) => ({ segment: String(r[gs] ?? ""), serviceLevel: num(r[gl]), method: String(r[gm] ?? ""), reviewPeriod: num(r[gr]) })),
    gridCells: grid.rows.length * (grid.headers.length - 1),
    handEdits,
    segment: skuPolicy.rows.map((r) => String(r[ps] ?? "")),
    serviceLevel: Float64Array.from(skuPolicy.rows, (r) => num(r[pl])),
    method: skuPolicy.rows.map((r) => String(r[pm] ?? "")),
    reviewPeriod: Float64Array.from(skuPolicy.rows, (r) => num(r[pr])),
  };
}

export interface GovernanceSources {
  now: string;
  runs: readonly RunRecord[];
  diffs: readonly CompactDiff[];
  latest: { sku: readonly string[]; computedSegment: readonly string[] };
  overrides: readonly OverrideInput[];
  policy?: PolicyInput;
  reconciliations: readonly ReconciliationRecord[];
}

export function governanceOf(s: GovernanceSources): GovernanceFigures {
  const input: GovernanceInput = { now: s.now, runs: s.runs, diffs: s.diffs, latest: s.latest, overrides: s.overrides, policy: s.policy, reconciliations: s.reconciliations };
  return governanceFigures(input);
}

const n = (x: number | null | undefined): CellValue => (x === null || x === undefined || !Number.isFinite(x) ? null : x);

export function governanceSummary(f: GovernanceFigures): CellValue[][] {
  const r = f.reconciliation;
  return [
    ["Runs with a diff", f.stability.runs.length],
    ["Average churn", n(f.stability.averageChurn)],
    ["SKUs with an override", f.overrides.total.open],
    ["Override rate", n(f.overrides.total.rate)],
    ["Oldest open override (days)", n(f.overrides.total.oldestDays)],
    ["Policy adherence", n(f.policy?.adherence)],
    ["SKUs off the grid", f.policy ? f.policy.offGrid : null],
    ["Hand edits of the grid", f.policy ? f.policy.handEdits : null],
    ["Runs", f.exceptions.runs],
    ["Rejected rows share", n(f.exceptions.rejectedRowShare)],
    ["Suspended runs", f.exceptions.suspended],
    ["Written despite a suspension", f.exceptions.forcedThrough],
    ["Latest reconciliation", r.latest ? `${r.latest.status} (${r.latest.modelVersion})` : "none"],
    ["Runs reconciled", r.reconciledRuns],
    ["Runs approved", r.approvedRuns],
    ["Awaiting approval", r.awaitingApproval],
    ["Days since the last approval", n(r.daysSinceLastApproval)],
  ];
}

export function governancePlan(f: GovernanceFigures, stamp: Date): SheetPlan {
  const summary: CellValue[][] = [["Refreshed (UTC)", stamp.toISOString()], ...governanceSummary(f)];
  const stability: CellValue[][] = f.stability.perSegment.map((s) => [s.segment, s.stayed, s.total, n(s.stability)]);
  const churn: CellValue[][] = f.stability.runs.map((r) => [r.to, r.from, n(r.churn), n(r.valueChurn), r.moved, r.common]);
  const buckets = f.overrides.ageBuckets;
  const overrides: CellValue[][] = f.overrides.perSegment.map((s) => [s.segment, s.skus, s.open, n(s.rate), ...s.byAge, n(s.oldestDays)]);
  const exceptions: CellValue[][] = f.exceptions.perRun.map((r) => [r.modelVersion, r.timestamp, n(r.rejectedShare), r.suspended ? "yes" : "no", r.forcedThrough ? "yes" : "no"]);
  const recon: CellValue[][] = [["Latest", f.reconciliation.latest?.modelVersion ?? null, f.reconciliation.latest?.status ?? null, f.reconciliation.latest?.approvedBy ?? null, f.reconciliation.latest?.approvedAt ?? null]];
  let row = 1;
  const next = (rows: number) => {
    const a = `A${row}`;
    row += Math.max(1, rows) + 3;
    return a;
  };
  const blocks: SheetPlan["blocks"] = [
    { kind: "table", tableName: GOV_SUMMARY_TABLE, anchor: next(summary.length), headers: ["Item", "Value"], rows: summary },
    { kind: "table", tableName: GOV_STABILITY_TABLE, anchor: next(stability.length), headers: ["Segment", "Stayed", "SKUs in both runs", "Stability"], rows: stability, numberFormats: { Stability: "0.0%" } },
    { kind: "table", tableName: GOV_CHURN_TABLE, anchor: next(churn.length), headers: ["Run", "Against", "Churn", "Value churn", "Moved", "SKUs in both runs"], rows: churn, numberFormats: { Churn: "0.0%", "Value churn": "0.0%" } },
    { kind: "table", tableName: GOV_OVERRIDES_TABLE, anchor: next(overrides.length), headers: ["Segment", "SKUs", "Open overrides", "Override rate", ...buckets, "Oldest (days)"], rows: overrides, numberFormats: { "Override rate": "0.0%" } },
    { kind: "table", tableName: GOV_EXCEPTIONS_TABLE, anchor: next(exceptions.length), headers: ["Model version", "Time (UTC)", "Rejected rows share", "Suspended", "Written despite"], rows: exceptions, numberFormats: { "Rejected rows share": "0.0%" } },
    { kind: "table", tableName: GOV_RECON_TABLE, anchor: next(recon.length), headers: ["Reconciliation", "Model version", "Status", "Approved by", "Approved at"], rows: recon },
  ];
  if (stability.length) blocks.push({ kind: "chart", name: GOV_STABILITY_CHART, chartType: "ColumnClustered", title: "Segment stability over the runs", sourceTable: GOV_STABILITY_TABLE, categoryHeader: "Segment", series: [{ header: "Stability", axisFormat: "0%", axisMin: 0, axisMax: 1 }], anchor: "J1" });
  if (churn.length) blocks.push({ kind: "chart", name: GOV_CHURN_CHART, chartType: "Line", title: "Churn per run", sourceTable: GOV_CHURN_TABLE, categoryHeader: "Run", series: [{ header: "Churn", type: "line" }, { header: "Value churn", type: "line" }], anchor: "J22" });
  if (overrides.length) blocks.push({ kind: "chart", name: GOV_OVERRIDES_CHART, chartType: "ColumnStacked", title: "Open overrides by age", sourceTable: GOV_OVERRIDES_TABLE, categoryHeader: "Segment", series: buckets.map((b) => ({ header: b })), anchor: "V1" });
  if (exceptions.length) blocks.push({ kind: "chart", name: GOV_EXCEPTIONS_CHART, chartType: "Line", title: "Rejected rows per run", sourceTable: GOV_EXCEPTIONS_TABLE, categoryHeader: "Model version", series: [{ header: "Rejected rows share", type: "line" }], anchor: "V22" });
  return { sheetName: GOVERNANCE_SHEET, blocks };
}

/** Grid cells on the sheet that differ from the grid as the add-in last wrote it (service level, method, review period). */
export function gridHandEdits(policy: PolicyInput | undefined, written: readonly { segment: string; serviceLevel: number; method: string; reviewPeriod: number }[] | undefined): number {
  if (!policy || !written) return 0;
  let edits = 0;
  for (const g of policy.grid) {
    const w = written.find((x) => x.segment === g.segment);
    if (!w) continue;
    if (Math.abs(w.serviceLevel - g.serviceLevel) > 1e-12) edits++;
    if (w.method !== g.method) edits++;
    if (Math.abs(w.reviewPeriod - g.reviewPeriod) > 1e-12) edits++;
  }
  return edits;
}

/** The saved figures with the reconciliation part computed afresh (a Reconcile refreshes the sheet without the run data). */
export function withReconciliations(saved: GovernanceFigures | null, runs: readonly RunRecord[], reconciliations: readonly ReconciliationRecord[], now: string): GovernanceFigures {
  const fresh = governanceOf({ now, runs, diffs: [], latest: { sku: [], computedSegment: [] }, overrides: [], reconciliations });
  return saved ? { ...saved, reconciliation: fresh.reconciliation } : fresh;
}
