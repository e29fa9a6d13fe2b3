/**
 * The Reconciliation sheet (pure): what a controller files with the month-end pack.
 * Layout: the summary (status, model version, finance range and fingerprint, totals, items per
 * status, join rules, tolerances) at A1; per segment (segmentation value against finance book
 * value, with a native clustered-column chart at J1) under it; the segment × finance-category
 * cross-tab of book value with row and column totals; every mismatch (one-sided SKUs and rows,
 * duplicates, value and quantity differences); category-rule violations; rejected finance rows.
 * Every list is an Excel table (chunked by the writer under the 5 MB request limit).
 */
import { MATCH_RULES, type ReconcileResult, type Tolerance } from "../engine/reconcile";
import type { CellValue, SheetPlan } from "./ports";
import type { FinanceRejection } from "./financeParse";
import { statusLabel } from "./reconcileModel";

export const RECONCILIATION_SHEET = "Reconciliation";
export const RECON_SUMMARY_TABLE = "SegReconSummary";
export const RECON_SEGMENT_TABLE = "SegReconBySegment";
export const RECON_CROSSTAB_TABLE = "SegReconCrossTab";
export const RECON_MISMATCH_TABLE = "SegReconMismatches";
export const RECON_VIOLATION_TABLE = "SegReconViolations";
export const RECON_REJECTED_TABLE = "SegReconRejected";
export const RECON_CHART = "SegReconChart";

export const RECON_SUMMARY_HEADERS = ["Item", "Value"] as const;
export const RECON_SEGMENT_HEADERS = ["Segment", "SKUs", "Finance rows", "Segmentation value", "Finance value", "Difference", "Difference %"] as const;
export const RECON_MISMATCH_HEADERS = ["Kind", "SKU", "Segment", "Finance category", "Finance row", "Segmentation value", "Finance value", "Difference", "Tolerance", "Status", "Detail"] as const;
export const RECON_VIOLATION_HEADERS = ["SKU", "Segment", "Finance category", "Finance row", "Allowed", "Message"] as const;
export const RECON_REJECTED_HEADERS = ["Finance cell", "SKU", "Reason", "Message"] as const;

export interface ReconciliationMeta {
  modelVersion: string;
  source: string;
  financeFingerprint: string;
  stamp: Date;
  user: string;
  valueTolerance: Tolerance;
  quantityTolerance: Tolerance;
}

const num = (x: number | null | undefined): CellValue => (x === null || x === undefined || !Number.isFinite(x) ? null : x);
const MONEY = "#,##0.00";
const PCT = "0.00%";

/** Excel table headers must be unique and non-blank: "Total" and repeats get a suffix. */
function uniqueHeaders(names: readonly string[], taken: readonly string[]): string[] {
  const seen = new Set(taken.map((t) => t.toLowerCase()));
  return names.map((n) => {
    let h = n.trim() || "(blank)";
    let k = 2;
    const base = h;
    while (seen.has(h.toLowerCase())) h = `${base} (${k++})`;
    seen.add(h.toLowerCase());
    return h;
  });
}

export function summaryRows(r: ReconcileResult, meta: ReconciliationMeta): CellValue[][] {
  const t = r.totals;
  const rows: CellValue[][] = [
    ["Status", statusLabel(r.status.status)],
    ["Model version reconciled", meta.modelVersion],
    ["Finance range", meta.source],
    ["Finance fingerprint (SHA-256)", meta.financeFingerprint],
    ["Reconciled at (UTC)", meta.stamp.toISOString()],
    ["Reconciled by", meta.user],
    ["Currency", r.currency ?? "(as in the finance sheet)"],
    ["Segmentation value", t.segmentationValue],
    ["Finance book value", t.financeValue],
    ["Difference (segmentation − finance)", t.difference],
    ["Difference %", num(t.differencePct)],
    ["Segmentation SKUs", t.segmentationSkus],
    ["Finance rows", t.financeRows],
  ];
  for (const s of r.status.byStatus) rows.push([`Items ${s.status}`, s.items], [`Difference ${s.status}`, s.difference]);
  for (const rule of MATCH_RULES) {
    const rep = r.match.rules.find((x) => x.rule === rule);
    rows.push([`Rows matched by ${rule}`, rep ? (rep.enabled ? rep.matched : "off") : 0]);
  }
  rows.push(
    ["Value tolerance", `${meta.valueTolerance.abs} or ${meta.valueTolerance.rel * 100} % of finance, the greater`],
    ["Quantity tolerance", `${meta.quantityTolerance.abs} or ${meta.quantityTolerance.rel * 100} % of finance, the greater`],
  );
  return rows;
}

/** Every mismatch as one table: one-sided SKUs and rows, duplicates (each row), differences. */
export function mismatchRows(r: ReconcileResult): CellValue[][] {
  const out: CellValue[][] = [];
  for (const s of r.segmentationOnly) out.push(["not in finance", s.sku, s.segment, null, null, s.value, null, s.value, null, "unexplained", `segmentation row ${s.sourceRow}`]);
  for (const f of r.financeOnly)
    out.push([f.reason, f.sku, null, f.category, f.sourceRow, null, f.bookValue, -f.bookValue, null, "unexplained", f.candidates.length ? `candidates: ${f.candidates.join(", ")}` : `key ${f.key}`]);
  for (const d of r.duplicates)
    for (const row of d.rows)
      out.push(["duplicate in finance", row.sku, d.segment, row.category, row.sourceRow, null, row.bookValue, null, null, d.summed ? "summed" : "unexplained", `${d.kind}${row.entity ? `, entity ${row.entity}` : ""}; ${d.rows.length} rows, ${d.sku === null ? "no SKU matched" : `SKU ${d.sku}`}`]);
  for (const v of r.valueDifferences) out.push(["value difference", v.sku, v.segment, v.category, v.sourceRow, v.segmentation, v.finance, v.difference, v.tolerance, v.status, v.differencePct === null ? "" : `${(v.differencePct * 100).toFixed(2)} %`]);
  for (const v of r.quantityDifferences) out.push(["quantity difference", v.sku, v.segment, v.category, v.sourceRow, v.segmentation, v.finance, v.difference, v.tolerance, v.status, "units"]);
  return out;
}

export function reconciliationPlan(r: ReconcileResult, financeRejected: readonly FinanceRejection[], meta: ReconciliationMeta): SheetPlan {
  const summary = summaryRows(r, meta);
  const seg: CellValue[][] = r.perSegment.map((g) => [g.label, g.skus, g.financeRows, g.segmentationValue, g.financeValue, g.difference, num(g.differencePct)]);
  const ct = r.crossTab;
  const catHeaders = uniqueHeaders(ct.categories, ["Segment"]);
  const totalHeader = uniqueHeaders(["Total"], ["Segment", ...catHeaders])[0];
  const crossHeaders = ["Segment", ...catHeaders, totalHeader];
  const cross: CellValue[][] = ct.segments.map((s, i) => [s, ...ct.financeValue[i], ct.rowTotals[i].financeValue]);
  cross.push([uniqueHeaders(["Total"], ct.segments)[0], ...ct.columnTotals.map((c) => c.financeValue), ct.grandTotal.financeValue]);
  const mismatches = mismatchRows(r);
  const violations: CellValue[][] = r.categoryViolations.map((v) => [v.sku, v.segment, v.category, v.sourceRow, v.allowed.join(", "), v.message]);
  const rejected: CellValue[][] = [
    ...financeRejected.map((x): CellValue[] => [x.address, x.sku, x.reason, x.message]),
    ...r.rejected.map((x): CellValue[] => [`${x.side} row ${x.sourceRow}`, x.sku, "rejected", x.message]),
  ];
  const moneyFormats = (headers: readonly string[]) => Object.fromEntries(headers.map((h) => [h, MONEY]));

  let row = 1;
  const next = (rows: number) => {
    const anchor = `A${row}`;
    row += Math.max(1, rows) + 3;
    return anchor;
  };
  const summaryAnchor = next(summary.length);
  const segAnchor = next(seg.length);
  const crossAnchor = next(cross.length);
  const mismatchAnchor = next(mismatches.length);
  const violationAnchor = next(violations.length);
  const rejectedAnchor = next(rejected.length);
  return {
    sheetName: RECONCILIATION_SHEET,
    blocks: [
      { kind: "table", tableName: RECON_SUMMARY_TABLE, anchor: summaryAnchor, headers: [...RECON_SUMMARY_HEADERS], rows: summary },
      {
        kind: "table",
        tableName: RECON_SEGMENT_TABLE,
        anchor: segAnchor,
        headers: [...RECON_SEGMENT_HEADERS],
        rows: seg,
        numberFormats: { "Segmentation value": MONEY, "Finance value": MONEY, Difference: MONEY, "Difference %": PCT },
      },
      { kind: "table", tableName: RECON_CROSSTAB_TABLE, anchor: crossAnchor, headers: crossHeaders, rows: cross, numberFormats: moneyFormats([...catHeaders, totalHeader]) },
      {
        kind: "table",
        tableName: RECON_MISMATCH_TABLE,
        anchor: mismatchAnchor,
        headers: [...RECON_MISMATCH_HEADERS],
        rows: mismatches,
        numberFormats: { "Segmentation value": MONEY, "Finance value": MONEY, Difference: MONEY, Tolerance: MONEY },
      },
      { kind: "table", tableName: RECON_VIOLATION_TABLE, anchor: violationAnchor, headers: [...RECON_VIOLATION_HEADERS], rows: violations },
      { kind: "table", tableName: RECON_REJECTED_TABLE, anchor: rejectedAnchor, headers: [...RECON_REJECTED_HEADERS], rows: rejected },
      {
        kind: "chart",
        name: RECON_CHART,
        chartType: "ColumnClustered",
        title: "Value by segment: segmentation against finance",
        sourceTable: RECON_SEGMENT_TABLE,
        categoryHeader: "Segment",
        series: [{ header: "Segmentation value" }, { header: "Finance value" }],
        anchor: "J1",
      },
    ],
  };
}
