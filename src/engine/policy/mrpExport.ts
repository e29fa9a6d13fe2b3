/**
 * MRP export: the policy per SKU (and location) in the fields a planning system loads, with the
 * field names configurable (a pure mapping: our field -> the target system's column name), and a
 * CSV writer for the API.
 *
 * Conventions:
 * - Fields (MRP_FIELDS) are ours, one name per concept; `headers` renames any of them, `fields`
 *   picks and orders them. Nothing is computed here except the MRP type and the no-replenishment
 *   rule: values are exported as given (round them first, src/engine/rounding.ts).
 * - mrpType: from mrpTypeBySegment[segment] when given, else "reorder point" (continuous review,
 *   reviewPeriod 0) or "periodic review" (reviewPeriod > 0). SAP users map segments to codes such
 *   as "VB" (manual reorder-point planning) or "V1"; SAP_MRP_HEADERS names the MARC fields.
 * - Rows with replenish = 0 (after the last-buy date) export safety stock, reorder point, min, max
 *   and order quantity as 0 and mrpType noReplenishmentMrpType ("no replenishment"; SAP "ND").
 * - Rows whose numbers are missing (NaN: the policy failed for that row) are left out and listed
 *   in `skipped` with the reason, so that a load never carries a blank reorder point.
 * - CSV: RFC 4180 (fields with the separator, a quote, CR or LF are quoted, quotes doubled),
 *   numbers in JavaScript's shortest round-trip form with "." as the decimal point, CRLF lines.
 */
import { ArgumentError } from "../errors";

export const MRP_FIELDS = [
  "sku",
  "location",
  "segment",
  "safetyStock",
  "reorderPoint",
  "min",
  "max",
  "orderQty",
  "roundingValue",
  "moq",
  "mrpType",
  "reviewPeriod",
  "modelVersion",
] as const;
export type MrpField = (typeof MRP_FIELDS)[number];

export const DEFAULT_MRP_HEADERS: Record<MrpField, string> = {
  sku: "SKU",
  location: "Location",
  segment: "Segment",
  safetyStock: "Safety stock",
  reorderPoint: "Reorder point",
  min: "Min",
  max: "Max",
  orderQty: "Order quantity",
  roundingValue: "Rounding value",
  moq: "MOQ",
  mrpType: "MRP type",
  reviewPeriod: "Review period",
  modelVersion: "Model version",
};

/** SAP MARC field names, as an example mapping (load through your own interface / LSMW). */
export const SAP_MRP_HEADERS: Partial<Record<MrpField, string>> = {
  sku: "MATNR",
  location: "WERKS",
  safetyStock: "EISBE",
  reorderPoint: "MINBE",
  max: "MABST",
  orderQty: "BSTFE",
  roundingValue: "BSTRF",
  moq: "BSTMI",
  mrpType: "DISMM",
  reviewPeriod: "LFRHY",
};

/** The default export: the fields a planning run needs. */
export const DEFAULT_MRP_EXPORT_FIELDS: readonly MrpField[] = ["sku", "location", "safetyStock", "reorderPoint", "max", "roundingValue", "mrpType", "reviewPeriod"];

export interface MrpExportColumns {
  rows: number;
  sku: ArrayLike<string>;
  location?: ArrayLike<string>;
  segment: ArrayLike<string>;
  safetyStock: ArrayLike<number>;
  reorderPoint: ArrayLike<number>;
  min: ArrayLike<number>;
  max: ArrayLike<number>;
  orderQty: ArrayLike<number>;
  roundingValue: ArrayLike<number>;
  moq?: ArrayLike<number>;
  reviewPeriod: ArrayLike<number>;
  /** 0 = no replenishment (after the last buy); default all 1. */
  replenish?: ArrayLike<number>;
  modelVersion?: string;
}

export interface MrpExportOptions {
  fields?: readonly MrpField[];
  headers?: Partial<Record<MrpField, string>>;
  mrpTypeBySegment?: Readonly<Record<string, string>>;
  noReplenishmentMrpType?: string;
}

export interface ExportTable {
  headers: string[];
  rows: (string | number)[][];
  /** Rows left out (0-based input row) and why. */
  skipped: { row: number; reason: string }[];
}

const NUMERIC: ReadonlySet<MrpField> = new Set(["safetyStock", "reorderPoint", "min", "max", "orderQty", "roundingValue", "moq", "reviewPeriod"]);

/** Builds the export table (see the module comment). ArgumentError for unknown or duplicate fields / headers. */
export function mrpExportTable(c: MrpExportColumns, options: MrpExportOptions = {}): ExportTable {
  const fields = options.fields ?? DEFAULT_MRP_EXPORT_FIELDS;
  const seen = new Set<string>();
  const headers: string[] = [];
  for (const f of fields) {
    if (!(MRP_FIELDS as readonly string[]).includes(f)) throw new ArgumentError("fields", `unknown field "${f}"; expected one of ${MRP_FIELDS.join(", ")}`);
    const h = options.headers?.[f] ?? DEFAULT_MRP_HEADERS[f];
    if (typeof h !== "string" || h.trim() === "") throw new ArgumentError("headers", `the header for ${f} must be a non-empty text`);
    if (seen.has(h)) throw new ArgumentError("headers", `header "${h}" is used twice`);
    seen.add(h);
    headers.push(h);
  }
  const noRep = options.noReplenishmentMrpType ?? "no replenishment";
  const rows: (string | number)[][] = [];
  const skipped: { row: number; reason: string }[] = [];
  for (let i = 0; i < c.rows; i++) {
    const off = c.replenish !== undefined && c.replenish[i] === 0;
    const row: (string | number)[] = [];
    let missing: string | null = null;
    for (const f of fields) {
      const v = valueOf(c, f, i, off, options.mrpTypeBySegment, noRep);
      if (NUMERIC.has(f) && !(typeof v === "number" && Number.isFinite(v))) {
        missing = f;
        break;
      }
      row.push(v);
    }
    if (missing) skipped.push({ row: i, reason: `${missing} is missing (the policy could not be computed for this row)` });
    else rows.push(row);
  }
  return { headers, rows, skipped };
}

export interface CsvOptions {
  separator?: string;
  newline?: string;
}

/** One exported value (no closure per row: this runs for every row of a 100,000-row export). */
function valueOf(c: MrpExportColumns, f: MrpField, i: number, off: boolean, bySegment: Readonly<Record<string, string>> | undefined, noRep: string): string | number {
  switch (f) {
    case "sku":
      return c.sku[i];
    case "location":
      return c.location?.[i] ?? "";
    case "segment":
      return c.segment[i];
    case "modelVersion":
      return c.modelVersion ?? "";
    case "mrpType":
      if (off) return noRep;
      return bySegment?.[c.segment[i]] ?? (c.reviewPeriod[i] > 0 ? "periodic review" : "reorder point");
    case "moq":
      return off ? 0 : c.moq ? c.moq[i] : 0;
    case "roundingValue":
      return c.roundingValue[i];
    case "reviewPeriod":
      return c.reviewPeriod[i];
    default:
      return off ? 0 : c[f][i];
  }
}

/** RFC 4180 CSV of a table (header line first). */
export function toCsv(table: { headers: readonly string[]; rows: readonly (readonly (string | number)[])[] }, options: CsvOptions = {}): string {
  const sep = options.separator ?? ",";
  const nl = options.newline ?? "\r\n";
  const cell = (v: string | number) => {
    const s = typeof v === "number" ? String(v) : v;
    return s.includes(sep) || s.includes('"') || s.includes("\n") || s.includes("\r") ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [table.headers.map(cell).join(sep)];
  for (const r of table.rows) lines.push(r.map(cell).join(sep));
  return lines.join(nl) + nl;
}
