/**
 * What the application services need from the workbook. src/excel implements it with Office.js
 * (chunked reads and writes, batched context.sync); tests and the component tests use an
 * in-memory implementation. Services and React views never touch Office.js directly.
 */
import type { AuditEntry, SyncState } from "../engine/audit";

/** A block of cells read from a sheet. firstRow/firstColumn are 0-based sheet coordinates. */
export interface RangeSnapshot {
  sheetName: string;
  address: string; // e.g. "Data!A1:DH100001"
  firstRow: number;
  firstColumn: number;
  values: unknown[][];
}

export interface TableData {
  sheetName: string;
  tableName: string;
  headers: string[];
  rows: unknown[][];
}

export type CellValue = string | number | boolean | null;

/** One Excel table to (re)create on a sheet, top-left at `anchor` (e.g. "A1"). */
export interface TableBlock {
  kind: "table";
  tableName: string;
  anchor: string;
  headers: string[];
  rows: CellValue[][];
  /** Excel number formats per header, e.g. { "Cumulative share": "0.0%" }. */
  numberFormats?: Record<string, string>;
}

/** One series of a chart: a column of the source table. */
export interface ChartSeries {
  header: string;
  /** Drawn as columns (default: the chart's type) or as a line. */
  type?: "column" | "line";
  /** Plotted against a second value axis on the right. */
  secondaryAxis?: boolean;
  /** Number format of that axis, e.g. "0%". */
  axisFormat?: string;
  /** Axis bounds (e.g. 0 and 1 for a share). */
  axisMin?: number;
  axisMax?: number;
}

/**
 * A native Excel chart over a table written in the same call: categories from one column, one
 * series per listed column. The table should be small (a chart of 100,000 points helps nobody):
 * bin big data into a summary table first, as the Pareto chart does.
 */
export interface ChartBlock {
  kind: "chart";
  name: string;
  chartType: "ColumnClustered" | "Line" | "BarClustered" | "XYScatter" | "ColumnStacked";
  title: string;
  sourceTable: string;
  categoryHeader: string;
  series: ChartSeries[];
  /** Top-left cell where the chart is placed. */
  anchor: string;
  /** Size in default-width cells (default 12 x 20). */
  columns?: number;
  rows?: number;
}

/** Every block a sheet can hold. A new kind needs a BlockWriter in src/excel/blocks/ (see index.ts there). */
export type SheetBlock = TableBlock | ChartBlock;

export interface SheetPlan {
  sheetName: string;
  blocks: SheetBlock[];
  /** "veryHidden": the sheet cannot be unhidden from Excel's menus (data the add-in keeps for itself). */
  visibility?: "veryHidden";
}

export interface Progress {
  phase: string;
  done: number;
  total: number;
}

export interface WriteOptions {
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
}

export interface ReadOptions {
  onProgress?: (p: Progress) => void;
}

/** Where the audit chain ends: entries on the SEG_Audit sheet and the last entry's hash. */
export interface AuditTip {
  entries: number;
  lastHash: string;
}

/** What the first syncs of a write found. */
export interface WriteFindings {
  /** Sheets in the workbook (names as they are). */
  sheets: string[];
  /** The tables asked for, null where absent. */
  tables: Record<string, TableData | null>;
  /** The end of the audit chain on the sheet. */
  audit: AuditTip;
}

export interface PreparedWrite {
  plans: SheetPlan[];
  /** Appended to SEG_Audit in the same request as the swap, so the sheets and their audit entries land together. */
  auditRows?: AuditRow[];
}

/**
 * A write in one go: the gateway reads what `prepare` needs (the tables listed, the audit tip) in
 * its first syncs, calls prepare, and writes what it returns; prepare returning null ends the
 * call before anything changed (the pane has a question for the planner).
 */
export interface WriteRequest {
  readTables?: readonly string[];
  /** The audit tip the caller believes in (saves a read when the sheet agrees). */
  knownAuditTip?: AuditTip | null;
  prepare(found: WriteFindings): Promise<PreparedWrite | null>;
}

/** Figures from a bulk operation, reported in the pane and in the benchmark. */
export interface IoReport {
  syncs: number;
  largestPayloadBytes: number;
  cells: number;
  ms: number;
  /** A WriteRequest whose prepare returned null: nothing was written. */
  declined?: boolean;
}

export type AuditRow = AuditEntry & { syncState: SyncState };

export interface WorkbookGateway {
  readSelection(options?: ReadOptions): Promise<RangeSnapshot>;
  readCurrentRegion(options?: ReadOptions): Promise<RangeSnapshot>;
  /** null when no table of that name exists. */
  readTable(tableName: string): Promise<TableData | null>;
  /**
   * Writes every plan, all or nothing: if it fails or `signal` aborts, the workbook is left as it was
   * before the call (sheets that existed keep their content, new sheets are removed).
   * Calculation and screen updating are suspended while it runs.
   */
  writeSheets(plans: SheetPlan[] | WriteRequest, options?: WriteOptions): Promise<IoReport>;
  /** Sets cells of an existing table, addressed by the value in the `keyHeader` column. */
  updateTableCells(tableName: string, keyHeader: string, updates: { key: string; header: string; value: CellValue }[]): Promise<void>;
  /** Rows of `tableName` that intersect the current selection, as table rows (headers included in result). */
  readSelectedTableRows(tableName: string): Promise<TableData | null>;
  settings: {
    get<T>(key: string): T | undefined;
    set(key: string, value: unknown): Promise<void>;
  };
  audit: {
    /** Appends rows at the end of the very hidden SEG_Audit sheet (created on first use). */
    append(rows: AuditRow[]): Promise<void>;
    /** Every row in sheet order (the chain order). */
    readAll(): Promise<AuditRow[]>;
    /** Entries on the sheet and the last one's hash, reading only the last row. */
    tip(): Promise<AuditTip>;
    markSynced(entryIds: string[]): Promise<void>;
  };
}
