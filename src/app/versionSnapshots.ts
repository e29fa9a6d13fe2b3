/**
 * Earlier versions of the Segments and Policy sheets, kept in the workbook for rollback without a
 * backend (pure). Each Write reads the Segments and SKU policy tables (and the policy grid) as they
 * are just before it replaces them, and stores them in the compact version store
 * (src/engine/versionStore.ts: front-coded text, dictionaries, decimal-scaled numbers, deltas
 * against the previous version, CRC) on the very hidden SEG_Versions sheet, one row per cell-sized
 * piece of text. So the store holds exactly the cells that were on the sheets (hand edits
 * included), and a rollback writes them back as they were: the "Model version" column names the
 * version restored, a notes table says when, by whom and why.
 *
 * (last VERSIONS_KEPT versions, at most VERSIONS_MAX_CHARS characters)
 *
 * Table layout: one row per SKU (the Segments table's order); columns "seg:<header>" for the
 * Segments table, "pol:<header>" for the SKU policy table (matched by SKU), "skuNumber" (1 when the
 * SKU cell was a number). Numbers-or-blank columns are stored as numbers (blank = NaN), others as
 * text (blank = ""). The policy grid and the headers go into the version's meta.
 */
import { appendVersion, chunkText, encodeVersion, readVersionHeader, restoreVersion, type StoredColumn, type VersionHeader, type VersionMeta, type VersionTable } from "../engine/versionStore";
import type { SegmentationVersion, VersionParameters } from "../engine/versions";
import { cellAddress, parseCell } from "./a1";
import { POLICY_NOTES_ANCHOR, SEGMENT_POLICY_ANCHOR, SEGMENTS_ANCHOR, SEGMENTS_NOTES_ANCHOR, SKU_POLICY_ANCHOR } from "./plans";
import type { CellValue, SheetPlan, TableData } from "./ports";
import { NOTES_HEADERS, POLICY_NOTES_TABLE, POLICY_SHEET, SEGMENT_POLICY_TABLE, SEGMENTS_NOTES_TABLE, SEGMENTS_SHEET, SEGMENTS_TABLE, SKU_POLICY_TABLE, VERSIONS_HEADERS, VERSIONS_SHEET, VERSIONS_TABLE } from "./sheets";

export { VERSIONS_HEADERS, VERSIONS_SHEET, VERSIONS_TABLE } from "./sheets";
/**
 * Characters per cell of the store. Excel holds 32,767, but small pieces keep every row far below
 * any request budget the writer is given (a row is never split across requests).
 */
export const STORE_CELL_CHARS = 400;
/** Versions kept in the workbook (older ones are dropped from the oldest full copy on; the backend keeps the rest). */
export const VERSIONS_KEPT = 12;
/**
 * And at most this many characters (every Write rewrites the store: at 100,000 SKUs a full copy is
 * about 8.9 M characters and a rerun's delta 5.7 M, so about three versions; small workbooks keep 12).
 */
export const VERSIONS_MAX_CHARS = 24_000_000;

export interface StoredSheets {
  modelVersion: string;
  segments: TableData;
  skuPolicy: TableData | null;
  grid: TableData | null;
}

const isBlank = (c: unknown) => c === null || c === undefined || c === "";
const cellKey = (c: unknown) => (typeof c === "number" ? String(c) : String(c ?? ""));

function column(name: string, cells: readonly unknown[]): StoredColumn {
  if (cells.every((c) => isBlank(c) || typeof c === "number")) return { name, type: "number", values: Float64Array.from(cells, (c) => (typeof c === "number" ? c : Number.NaN)) };
  return { name, type: "text", values: cells.map((c) => (isBlank(c) ? "" : typeof c === "boolean" ? (c ? "TRUE" : "FALSE") : String(c))) };
}

/** The model version a Segments table names (its "Model version" column), or null. */
export function sheetModelVersion(segments: TableData | null): string | null {
  if (!segments) return null;
  const c = segments.headers.indexOf("Model version");
  const v = c >= 0 ? segments.rows[0]?.[c] : null;
  return typeof v === "string" && v ? v : null;
}

/** The sheets as a version table (one row per SKU of the Segments table). */
export function sheetsTable(s: StoredSheets): VersionTable {
  const seg = s.segments;
  const skuCol = seg.headers.indexOf("SKU");
  if (skuCol < 0) throw new Error(`The ${SEGMENTS_TABLE} table has no SKU column: it cannot be stored as a version.`);
  const keys = seg.rows.map((r) => cellKey(r[skuCol]));
  const seen = new Set<string>();
  for (const k of keys) {
    if (seen.has(k)) throw new Error(`The ${SEGMENTS_SHEET} sheet lists SKU "${k}" twice: it cannot be stored as a version.`);
    seen.add(k);
  }
  const columns: StoredColumn[] = [{ name: "sku", type: "text", values: keys }, { name: "skuNumber", type: "flag", values: Uint8Array.from(seg.rows, (r) => (typeof r[skuCol] === "number" ? 1 : 0)) }];
  seg.headers.forEach((h, c) => {
    if (c !== skuCol) columns.push(column(`seg:${h}`, seg.rows.map((r) => r[c])));
  });
  const pol = s.skuPolicy;
  if (pol) {
    const pSku = pol.headers.indexOf("SKU");
    const byKey = new Map<string, unknown[]>();
    if (pSku >= 0) for (const r of pol.rows) byKey.set(cellKey(r[pSku]), r);
    pol.headers.forEach((h, c) => {
      if (c !== pSku) columns.push(column(`pol:${h}`, keys.map((k) => byKey.get(k)?.[c] ?? null)));
    });
  }
  return { rows: keys.length, columns };
}

export interface VersionExtra {
  createdAt: string;
  user: string;
  parameters?: VersionParameters;
}

export function sheetsMeta(s: StoredSheets, extra: VersionExtra): VersionMeta {
  return {
    modelVersion: s.modelVersion,
    createdAt: extra.createdAt,
    user: extra.user,
    parameters: extra.parameters,
    segmentsHeaders: s.segments.headers,
    policyHeaders: s.skuPolicy?.headers ?? null,
    grid: s.grid ? { headers: s.grid.headers, rows: s.grid.rows } : null,
  };
}

/** The store's texts (oldest first) from the SEG_Versions table rows. */
export function storedTexts(table: TableData | null): string[] {
  if (!table) return [];
  const parts = new Map<string, string[]>();
  const order: string[] = [];
  for (const r of table.rows) {
    const v = String(r[0] ?? "");
    if (!v) continue;
    if (!parts.has(v)) {
      parts.set(v, []);
      order.push(v);
    }
    parts.get(v)![Number(r[1])] = String(r[2] ?? "");
  }
  return order.map((v) => parts.get(v)!.join(""));
}

export function storeRows(texts: readonly string[]): CellValue[][] {
  const rows: CellValue[][] = [];
  for (const t of texts) {
    const v = readVersionHeader(t).modelVersion;
    chunkText(t, STORE_CELL_CHARS).forEach((piece, i) => rows.push([v, i, piece]));
  }
  return rows;
}

export function storePlan(texts: readonly string[]): SheetPlan {
  return { sheetName: VERSIONS_SHEET, visibility: "veryHidden", blocks: [{ kind: "table", tableName: VERSIONS_TABLE, anchor: "A1", headers: [...VERSIONS_HEADERS], rows: storeRows(texts) }] };
}

/**
 * The store with `sheets` added (unless that version is in it already), keeping the last
 * VERSIONS_KEPT versions and at most VERSIONS_MAX_CHARS characters: older ones are dropped up to a
 * full copy, so every kept delta can still be decoded (when no later full copy exists, the newest
 * is kept alone as a full copy).
 */
export function addToStore(texts: readonly string[], sheets: StoredSheets, extra: VersionExtra): readonly string[] {
  const headers = texts.map(readVersionHeader);
  // stored already: the same array (nothing to write)
  if (headers.some((h) => h.modelVersion === sheets.modelVersion)) return texts;
  const latest = headers.length ? restoreVersion(texts, headers[headers.length - 1].modelVersion).table : null;
  const table = sheetsTable(sheets);
  const meta = sheetsMeta(sheets, extra);
  const { text } = appendVersion(texts, table, meta, latest);
  let out = [...texts, text];
  const size = (xs: readonly string[]) => xs.reduce((a, t) => a + t.length, 0);
  while (out.length > VERSIONS_KEPT || (out.length > 1 && size(out) > VERSIONS_MAX_CHARS)) {
    const hs = out.map(readVersionHeader);
    // drop the oldest, then anything that depended only on it, until the first kept is a full copy
    let k = 1;
    while (k < hs.length && hs[k].kind === "delta") k++;
    if (k >= hs.length) {
      // no later full copy to start from: keep the newest alone, as a full copy
      out = [encodeVersion(table, meta)];
      break;
    }
    out = out.slice(k);
  }
  return out;
}

export interface StoredVersionInfo {
  modelVersion: string;
  kind: "full" | "delta";
  rows: number;
  createdAt: string;
  user: string;
  characters: number;
}

export function storeIndex(texts: readonly string[]): StoredVersionInfo[] {
  return texts.map((t) => {
    const h: VersionHeader = readVersionHeader(t);
    return { modelVersion: h.modelVersion, kind: h.kind, rows: h.rows, createdAt: String(h.meta.createdAt ?? ""), user: String(h.meta.user ?? ""), characters: t.length };
  });
}

function col(table: VersionTable, name: string): StoredColumn | undefined {
  return table.columns.find((c) => c.name === name);
}

function cellOf(c: StoredColumn, i: number): CellValue {
  if (c.type === "number") {
    const v = c.values[i];
    return Number.isNaN(v) ? null : v;
  }
  if (c.type === "flag") return c.values[i];
  // a blank text cell comes back as "" (Excel reads "" and an empty cell alike)
  return c.values[i];
}

/** The tables of a stored version, cells as they were written. */
export function restoredTables(header: VersionHeader, table: VersionTable): { segments: { headers: string[]; rows: CellValue[][] }; skuPolicy: { headers: string[]; rows: CellValue[][] } | null; grid: { headers: string[]; rows: CellValue[][] } | null } {
  const meta = header.meta as VersionMeta & { segmentsHeaders: string[]; policyHeaders: string[] | null; grid: { headers: string[]; rows: CellValue[][] } | null };
  const keys = col(table, "sku")!.values as string[];
  const isNum = col(table, "skuNumber")?.values as Uint8Array | undefined;
  const sku = (i: number): CellValue => (isNum && isNum[i] ? Number(keys[i]) : keys[i]);
  const build = (prefix: string, headers: string[]) => {
    const cols = headers.map((h) => (h === "SKU" ? null : col(table, `${prefix}${h}`)));
    const rows: CellValue[][] = new Array(table.rows);
    for (let i = 0; i < table.rows; i++) rows[i] = cols.map((c) => (c === null ? sku(i) : c ? cellOf(c, i) : null));
    return { headers: [...headers], rows };
  };
  return { segments: build("seg:", meta.segmentsHeaders), skuPolicy: meta.policyHeaders ? build("pol:", meta.policyHeaders) : null, grid: meta.grid };
}

/**
 * Where the restored Segments sheet's notes go: one column clear of the table, which may be wider
 * than today's default layout (a version written with more columns, e.g. churn control's), and
 * never left of the usual place.
 */
function notesBeside(columns: number): string {
  const table = parseCell(SEGMENTS_ANCHOR);
  const usual = parseCell(SEGMENTS_NOTES_ANCHOR);
  return cellAddress(usual.row, Math.max(usual.column, table.column + columns + 1));
}

/** The Segments and Policy sheets of a stored version, with a notes table naming the version restored and why. */
export function rollbackPlans(header: VersionHeader, table: VersionTable, note: { at: string; user: string; reason: string; replaced: string | null }): SheetPlan[] {
  const t = restoredTables(header, table);
  const lines = [
    `Restored model version ${header.modelVersion} (written ${String(header.meta.createdAt ?? "").slice(0, 16).replace("T", " ")} UTC by ${String(header.meta.user ?? "?")}) on ${note.at.slice(0, 16).replace("T", " ")} UTC by ${note.user}${note.replaced ? `, replacing ${note.replaced}` : ""}.`,
    `Reason: ${note.reason}`,
    "The cells are those written for that version (from the version store on the very hidden SEG_Versions sheet). The pane's classification is unchanged: a Write writes it again.",
  ];
  const plans: SheetPlan[] = [
    {
      sheetName: SEGMENTS_SHEET,
      blocks: [
        { kind: "table", tableName: SEGMENTS_TABLE, anchor: SEGMENTS_ANCHOR, headers: t.segments.headers, rows: t.segments.rows, numberFormats: { Value: "#,##0.00", "Cumulative share": "0.0%", CV: "0.000" } },
        { kind: "table", tableName: SEGMENTS_NOTES_TABLE, anchor: notesBeside(t.segments.headers.length), headers: [...NOTES_HEADERS], rows: lines.map((l) => [l]) },
      ],
    },
  ];
  if (t.skuPolicy) {
    const blocks: SheetPlan["blocks"] = [];
    if (t.grid) blocks.push({ kind: "table", tableName: SEGMENT_POLICY_TABLE, anchor: SEGMENT_POLICY_ANCHOR, headers: t.grid.headers, rows: t.grid.rows, numberFormats: { "Service level": "0.0%", "Fill rate target": "0.0%" } });
    blocks.push({ kind: "table", tableName: POLICY_NOTES_TABLE, anchor: POLICY_NOTES_ANCHOR, headers: [...NOTES_HEADERS], rows: lines.map((l) => [l]) });
    blocks.push({ kind: "table", tableName: SKU_POLICY_TABLE, anchor: SKU_POLICY_ANCHOR, headers: t.skuPolicy.headers, rows: t.skuPolicy.rows, numberFormats: { "Service level": "0.0%", "Expected fill rate": "0.0%" } });
    plans.push({ sheetName: POLICY_SHEET, blocks });
  }
  return plans;
}

/** A Segments table (written or restored) as the engine's SegmentationVersion. */
export function segmentationVersionOf(modelVersion: string, segments: { headers: readonly string[]; rows: readonly (readonly unknown[])[] }, parameters: VersionParameters): SegmentationVersion {
  const h = (name: string) => segments.headers.indexOf(name);
  const [cSku, cVal, cCum, cCv, cSeg, cStatus, cOv] = ["SKU", "Value", "Cumulative share", "CV", "Segment", "Status", "Override"].map(h);
  const n = segments.rows.length;
  const numAt = (r: readonly unknown[], c: number) => (c >= 0 && typeof r[c] === "number" ? (r[c] as number) : Number.NaN);
  const text = (r: readonly unknown[], c: number) => (c >= 0 && r[c] !== null && r[c] !== undefined ? String(r[c]) : "");
  const sku: string[] = new Array(n);
  const segment: string[] = new Array(n);
  const computed: string[] = new Array(n);
  const value = new Float64Array(n);
  const cumShare = new Float64Array(n);
  const cv = new Float64Array(n);
  const inactive = new Uint8Array(n);
  const pinned = new Uint8Array(n);
  segments.rows.forEach((r, i) => {
    sku[i] = cellKey(r[cSku]);
    computed[i] = text(r, cSeg);
    segment[i] = text(r, cOv) || computed[i];
    value[i] = numAt(r, cVal);
    cumShare[i] = numAt(r, cCum);
    cv[i] = numAt(r, cCv);
    const st = text(r, cStatus);
    inactive[i] = st.startsWith("inactive") ? 1 : 0;
    pinned[i] = st.includes("pinned") ? 1 : 0;
  });
  return { modelVersion, parameters, sku, segment, computedSegment: computed, value, cumShare, cv, pinned, inactive };
}
