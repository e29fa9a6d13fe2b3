/**
 * The MRP export of a published snapshot as CSV (issue 12): the fields and column names the pane's
 * MRP export sheet was written with (snapshot parameters.mrpExport), values from the items' MRP
 * fields (the export's roundingValue is the item's orderMultiple, as in the names table), RFC 4180 through the engine's writer (src/engine/policy/mrpExport.ts). Items missing a
 * numeric field of the export are left out and counted, as the sheet leaves them out.
 */
import { DEFAULT_MRP_EXPORT_FIELDS, DEFAULT_MRP_HEADERS, MRP_FIELDS, mrpExportTable, toCsv, type MrpField } from "../engine/policy/mrpExport";
import type { SnapshotItem } from "./storage/types";

export interface MrpCsvSettings {
  fields: MrpField[];
  headers: Partial<Record<MrpField, string>>;
}

const NUMERIC: ReadonlySet<MrpField> = new Set(["safetyStock", "reorderPoint", "min", "max", "orderQty", "roundingValue", "moq", "reviewPeriod"]);

/** parameters.mrpExport as published, checked with the engine's rules; null when the version has none; throws an Error saying what is wrong. */
export function mrpSettingsOf(parameters: Record<string, unknown>): MrpCsvSettings | null {
  const m = parameters.mrpExport as { fields?: unknown; headers?: unknown } | undefined;
  if (!m || typeof m !== "object") return null;
  const fields = Array.isArray(m.fields) ? (m.fields as MrpField[]) : [...DEFAULT_MRP_EXPORT_FIELDS];
  const headers = m.headers && typeof m.headers === "object" ? (m.headers as Partial<Record<MrpField, string>>) : {};
  for (const f of fields) if (!(MRP_FIELDS as readonly unknown[]).includes(f)) throw new Error(`parameters.mrpExport.fields: unknown field "${String(f)}"`);
  // The engine's own checks of fields and headers (unknown, duplicate, blank), on an empty table.
  mrpExportTable({ rows: 0, sku: [], segment: [], safetyStock: [], reorderPoint: [], min: [], max: [], orderQty: [], roundingValue: [], reviewPeriod: [] }, { fields, headers });
  return { fields, headers };
}

export function mrpCsv(items: readonly SnapshotItem[], settings: MrpCsvSettings, modelVersion: string, names: "published" | "default"): { csv: string; rows: number; skipped: number } {
  const headers = settings.fields.map((f) => (names === "published" ? settings.headers[f] : undefined) ?? DEFAULT_MRP_HEADERS[f]);
  const rows: (string | number)[][] = [];
  let skipped = 0;
  for (const it of items) {
    const row: (string | number)[] = [];
    let ok = true;
    for (const f of settings.fields) {
      const v = f === "modelVersion" ? modelVersion : (it as Record<string, unknown>)[f === "roundingValue" ? "orderMultiple" : f];
      if (NUMERIC.has(f)) {
        if (typeof v !== "number" || !Number.isFinite(v)) {
          ok = false;
          break;
        }
        row.push(v);
      } else row.push(typeof v === "string" ? v : "");
    }
    if (ok) rows.push(row);
    else skipped++;
  }
  return { csv: toCsv({ headers, rows }), rows: rows.length, skipped };
}
