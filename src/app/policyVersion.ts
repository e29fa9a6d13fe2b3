/**
 * The per-SKU policy of a written version in a compact form, for the change list of the next
 * Write: one row per SKU [sku, location, supplier, reorder point, max, safety stock, order
 * quantity, unit cost], packed as JSON arrays into cells of at most CHUNK_CHARS characters (Excel
 * holds 32,767 per cell), one chunk per row of a one-column table on the very hidden sheet
 * SEG_PolicyVersion. The first cell is a header {format, modelVersion, rows}.
 *
 * Why a very hidden sheet and not the workbook settings: Office keeps every setting of an add-in
 * in one document part that is written back whole on each save (and is limited in size), while a
 * policy of 100,000 SKUs packs to about 6 MB; the sheet is written inside the same all-or-nothing
 * Write as the Policy sheet it describes (so the "previous version" moves exactly when the sheets
 * do), costs about 200 cells instead of 800,000, and cannot be unhidden from Excel's menus.
 */
import type { PolicyVersionColumns } from "../engine/policy/changeList";

export const VERSION_FORMAT = 1;
export const CHUNK_CHARS = 30_000;

export interface PolicyVersion extends PolicyVersionColumns {
  modelVersion: string;
  location: string[];
  supplier: string[];
  sku: string[];
}

type Row = [string, string, string, number | null, number | null, number | null, number | null, number | null];

const numOrNull = (x: number) => (Number.isFinite(x) ? x : null);
const back = (x: unknown) => (typeof x === "number" ? x : Number.NaN);

/** The cells of the packed table (first the header), each at most CHUNK_CHARS long. */
export function encodePolicyVersion(v: PolicyVersion): string[] {
  const cells = [JSON.stringify({ format: VERSION_FORMAT, modelVersion: v.modelVersion, rows: v.rows })];
  let chunk: string[] = [];
  let size = 2;
  for (let i = 0; i < v.rows; i++) {
    const row: Row = [v.sku[i], v.location[i] ?? "", v.supplier[i] ?? "", numOrNull(v.reorderPoint[i]), numOrNull(v.max[i]), numOrNull(v.safetyStock[i]), numOrNull(v.orderQty[i]), numOrNull(v.unitCost[i])];
    const text = JSON.stringify(row);
    if (text.length + 2 > CHUNK_CHARS) throw new Error(`SKU "${v.sku[i].slice(0, 40)}…" is too long to keep in the policy version (${text.length} characters).`);
    if (chunk.length && size + text.length + 1 > CHUNK_CHARS) {
      cells.push(`[${chunk.join(",")}]`);
      chunk = [];
      size = 2;
    }
    chunk.push(text);
    size += text.length + 1;
  }
  if (chunk.length) cells.push(`[${chunk.join(",")}]`);
  return cells;
}

/** The version back from the packed cells; null when there is none or it cannot be read. */
export function decodePolicyVersion(cells: readonly unknown[]): PolicyVersion | null {
  if (cells.length === 0 || typeof cells[0] !== "string") return null;
  let head: { format?: number; modelVersion?: string; rows?: number };
  try {
    head = JSON.parse(cells[0]);
  } catch {
    return null;
  }
  if (head.format !== VERSION_FORMAT || typeof head.rows !== "number") return null;
  const sku: string[] = [];
  const location: string[] = [];
  const supplier: string[] = [];
  const n = head.rows;
  const reorderPoint = new Float64Array(n);
  const max = new Float64Array(n);
  const safetyStock = new Float64Array(n);
  const orderQty = new Float64Array(n);
  const unitCost = new Float64Array(n);
  let i = 0;
  for (let c = 1; c < cells.length; c++) {
    let rows: Row[];
    try {
      rows = JSON.parse(String(cells[c]));
    } catch {
      return null;
    }
    for (const r of rows) {
      if (i >= n) return null;
      sku.push(String(r[0]));
      location.push(String(r[1] ?? ""));
      supplier.push(String(r[2] ?? ""));
      reorderPoint[i] = back(r[3]);
      max[i] = back(r[4]);
      safetyStock[i] = back(r[5]);
      orderQty[i] = back(r[6]);
      unitCost[i] = back(r[7]);
      i++;
    }
  }
  if (i !== n) return null;
  return { modelVersion: String(head.modelVersion ?? ""), rows: n, sku, location, supplier, reorderPoint, max, safetyStock, orderQty, unitCost };
}
