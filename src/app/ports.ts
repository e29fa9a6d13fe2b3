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

/** A native Pareto-style chart (columns of value by SKU, line of cumulative share) over a table. */
export interface ParetoChartBlock {
  kind: "paretoChart";
  name: string;
  sourceTable: string;
  categoryHeader: string;
  valueHeader: string;
  cumulativeHeader: string;
  /** Top-left cell where the chart is placed. */
  anchor: string;
  /** Chart at most this many leading rows (a chart of 100,000 columns helps nobody). */
  maxPoints: number;
}

export type SheetBlock = TableBlock | ParetoChartBlock;

export interface SheetPlan {
  sheetName: string;
  blocks: SheetBlock[];
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

/** Figures from a bulk operation, reported in the pane and in the benchmark. */
export interface IoReport {
  syncs: number;
  largestPayloadBytes: number;
  cells: number;
  ms: number;
}

export type AuditRow = AuditEntry & { syncState: SyncState };

export interface WorkbookGateway {
  readSelection(): Promise<RangeSnapshot>;
  readCurrentRegion(): Promise<RangeSnapshot>;
  /** null when no table of that name exists. */
  readTable(tableName: string): Promise<TableData | null>;
  /**
   * Writes every plan, all or nothing: if it fails or `signal` aborts, the workbook is left as it was
   * before the call (sheets that existed keep their content, new sheets are removed).
   * Calculation and screen updating are suspended while it runs.
   */
  writeSheets(plans: SheetPlan[], options?: WriteOptions): Promise<IoReport>;
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
    markSynced(entryIds: string[]): Promise<void>;
  };
}
