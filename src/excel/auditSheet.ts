/**
 * The SEG_Audit sheet: the workbook's copy of the audit hash chain.
 * Layout: row 1 holds the AuditRow field names in AUDIT_COLUMNS order (A = entryId ... N = syncState);
 * one entry per row from row 2, in chain order. The sheet is created on the first append with
 * visibility VeryHidden (it cannot be unhidden from Excel's menus) and every cell is written as
 * text (number format "@") so Excel never turns an id, a timestamp or an all-digit hash into a number.
 * The add-in only ever adds rows below the last used row, and afterwards only changes the
 * syncState column (markSynced).
 */
import type { AuditRow, AuditTip } from "../app/ports";
import { AUDIT_ACTIONS, AUDIT_HASHED_FIELDS, AuditAction, GENESIS_HASH, SYNC_STATES, SyncState } from "../engine/audit";
import { cellAddress, columnLetters, MAX_ROWS } from "../app/a1";
import { AUDIT_SHEET } from "../app/sheets";
import { ChunkLimits, nextWriteSync } from "./blocks";
import { IoMeter } from "./meter";
import { utf8Length } from "./payload";
import { loadedNumber, readRect } from "./reader";

export const AUDIT_SHEET_NAME = AUDIT_SHEET;
export const AUDIT_COLUMNS = [...AUDIT_HASHED_FIELDS, "entryHash", "syncState"] as const;
export type AuditColumn = (typeof AUDIT_COLUMNS)[number];
const WIDTH = AUDIT_COLUMNS.length;
const SYNC_COLUMN = AUDIT_COLUMNS.indexOf("syncState");
const ID_COLUMN = AUDIT_COLUMNS.indexOf("entryId");

/** A read AuditRow carries the 1-based sheet row it came from. */
export type AuditSheetRow = AuditRow & { sheetRow: number };

interface Ctx {
  workbook: Excel.Workbook;
  sync(): Promise<unknown>;
}

interface OpenSheet {
  sheet: Excel.Worksheet;
  /** 0-based index of the first row after the last used one; 0 when the sheet is empty. */
  nextRow: number;
}

/** Finds SEG_Audit and checks its header row. null when the sheet does not exist. */
async function openAuditSheet(ctx: Ctx, meter: IoMeter): Promise<OpenSheet | null> {
  const sheet = ctx.workbook.worksheets.getItemOrNullObject(AUDIT_SHEET_NAME);
  sheet.load("name");
  await meter.sync(ctx);
  if (sheet.isNullObject) return null;
  const used = sheet.getUsedRangeOrNullObject(true);
  used.load("rowIndex,rowCount");
  const header = sheet.getRangeByIndexes(0, 0, 1, WIDTH);
  header.load("values");
  await meter.sync(ctx);
  if (used.isNullObject) return { sheet, nextRow: 0 };
  const nextRow = loadedNumber(used.rowIndex, "audit used range rowIndex") + loadedNumber(used.rowCount, "audit used range rowCount");
  checkAuditHeader(header.values);
  return { sheet, nextRow };
}

/** Queues `rows` at 0-based sheet row `nextRow` (1 = first entry row) of `sheet`, header first when the sheet is empty. No sync. */
export function queueAuditRows(sheet: Excel.Worksheet, nextRow: number, rows: readonly AuditRow[], meter: IoMeter): void {
  const cells = rows.map((r, i) => auditCells(r, i));
  let next = nextRow;
  const queue = (row: number, values: string[][]) => {
    const range = sheet.getRangeByIndexes(row, 0, values.length, WIDTH);
    meter.setNumberFormat(range, [["@"]]);
    meter.setValues(range, values);
  };
  if (next === 0) {
    queue(0, [[...AUDIT_COLUMNS]]);
    next = 1;
  }
  if (next + rows.length > MAX_ROWS) throw new Error(`The ${AUDIT_SHEET_NAME} sheet is full: ${rows.length} more entries do not fit below row ${next}.`);
  if (cells.length) queue(next, cells);
}

/** Creates SEG_Audit (very hidden) in the pending batch. */
export function addAuditSheet(ctx: Ctx): Excel.Worksheet {
  const sheet = ctx.workbook.worksheets.add(AUDIT_SHEET_NAME);
  sheet.visibility = "VeryHidden";
  return sheet;
}

/** JSON bytes rows add to a request (values and their "@" format). */
export function auditRowsBytes(rows: readonly AuditRow[]): number {
  return rows.reduce((n, r, i) => n + utf8Length(JSON.stringify(auditCells(r, i))) + 1, 0) + 16;
}

/** Checks SEG_Audit's header row as loaded; throws naming the first cell that differs. */
export function checkAuditHeader(values: unknown): void {
  const found = (values as unknown[][] | undefined)?.[0];
  if (!Array.isArray(found)) throw new Error(`Excel returned ${JSON.stringify(found)} for the ${AUDIT_SHEET_NAME} header (was it read before context.sync?)`);
  AUDIT_COLUMNS.forEach((name, c) => {
    if (String(found[c] ?? "") !== name) {
      throw new Error(
        `The ${AUDIT_SHEET_NAME} sheet was edited: cell ${columnLetters(c)}1 holds ${JSON.stringify(String(found[c] ?? ""))} instead of "${name}". ` +
          `The audit trail cannot be trusted until the header row is restored.`,
      );
    }
  });
}

export const AUDIT_WIDTH = WIDTH;
export const AUDIT_HASH_COLUMN = AUDIT_COLUMNS.indexOf("entryHash");
export const AUDIT_ID_COLUMN = ID_COLUMN;

/** The chain tip: entries on the sheet and the last one's hash (GENESIS when empty). */
export async function readAuditTip(ctx: Ctx, meter: IoMeter): Promise<AuditTip> {
  const open = await openAuditSheet(ctx, meter);
  if (!open || open.nextRow <= 1) return { entries: 0, lastHash: GENESIS_HASH };
  const last = open.sheet.getRangeByIndexes(open.nextRow - 1, AUDIT_HASH_COLUMN, 1, 1);
  last.load("values");
  await meter.sync(ctx);
  const v = (last.values as unknown[][] | undefined)?.[0]?.[0];
  meter.noteResponse(utf8Length(JSON.stringify(last.values)), 1);
  return { entries: open.nextRow - 1, lastHash: v === null || v === undefined ? "" : String(v) };
}

export async function appendAuditRows(ctx: Ctx, meter: IoMeter, rows: readonly AuditRow[], limits: ChunkLimits): Promise<void> {
  if (rows.length === 0) return;
  const cells = rows.map((r, i) => auditCells(r, i));
  let open = await openAuditSheet(ctx, meter);
  let sheet: Excel.Worksheet;
  const queueRow = (row: number, values: string[][]) => {
    const range = sheet.getRangeByIndexes(row, 0, values.length, WIDTH);
    meter.setNumberFormat(range, [["@"]]);
    meter.setValues(range, values);
  };
  if (!open) {
    sheet = ctx.workbook.worksheets.add(AUDIT_SHEET_NAME);
    open = { sheet, nextRow: 0 };
  } else sheet = open.sheet;
  // Re-applied on every append: someone may have made the sheet visible with a macro.
  sheet.visibility = "VeryHidden";
  let next = open.nextRow;
  if (next === 0) {
    queueRow(0, [[...AUDIT_COLUMNS]]);
    next = 1;
  }
  if (next + rows.length > MAX_ROWS) {
    throw new Error(`The ${AUDIT_SHEET_NAME} sheet is full: ${rows.length} more entries do not fit below row ${next}.`);
  }
  const rowBytes = cells.map((r) => utf8Length(JSON.stringify(r)) + 1);
  let from = 0;
  while (from < cells.length) {
    const blocks = nextWriteSync(from, rowBytes, WIDTH, limits, meter.pendingRequestBytes);
    if (blocks.length === 0) {
      await meter.sync(ctx);
      continue;
    }
    for (const b of blocks) queueRow(next + b.start, cells.slice(b.start, b.start + b.rows));
    from = blocks[blocks.length - 1].start + blocks[blocks.length - 1].rows;
    await meter.sync(ctx);
  }
}

export async function readAuditRows(ctx: Ctx, meter: IoMeter, limits: ChunkLimits): Promise<AuditSheetRow[]> {
  const open = await openAuditSheet(ctx, meter);
  if (!open || open.nextRow <= 1) return [];
  const values = await readRect(ctx, meter, open.sheet, { row: 1, column: 0, rowCount: open.nextRow - 1, columnCount: WIDTH }, limits);
  const out: AuditSheetRow[] = [];
  values.forEach((row, i) => {
    // A cleared row stays in the list (all fields blank) so that entry i is always sheet row i + 2
    // and the chain check names the cleared row itself.
    const get = (c: number) => (row[c] === null || row[c] === undefined ? "" : String(row[c]));
    const entry = Object.fromEntries(AUDIT_COLUMNS.map((name, c) => [name, get(c)])) as Record<AuditColumn, string>;
    out.push({
      ...entry,
      action: entry.action as AuditAction,
      syncState: (SYNC_STATES as readonly string[]).includes(entry.syncState) ? (entry.syncState as SyncState) : "pending",
      sheetRow: i + 2,
    });
  });
  return out;
}

/** Sets syncState = "synced" on the rows of the given entry ids; ids not on the sheet are ignored. */
export async function markAuditRowsSynced(ctx: Ctx, meter: IoMeter, entryIds: readonly string[], limits: ChunkLimits): Promise<void> {
  if (entryIds.length === 0) return;
  const open = await openAuditSheet(ctx, meter);
  if (!open || open.nextRow <= 1) return;
  const ids = await readRect(ctx, meter, open.sheet, { row: 1, column: ID_COLUMN, rowCount: open.nextRow - 1, columnCount: 1 }, limits);
  const wanted = new Set(entryIds);
  const rows: number[] = [];
  ids.forEach((r, i) => {
    if (wanted.has(String(r[0]))) rows.push(i + 1);
  });
  // Consecutive rows become one range; ranges are packed into syncs like any write.
  const runs: { start: number; rows: number }[] = [];
  for (const row of rows) {
    const last = runs[runs.length - 1];
    if (last && last.start + last.rows === row) last.rows++;
    else runs.push({ start: row, rows: 1 });
  }
  const cellBytes = utf8Length(JSON.stringify(["synced"])) + 1;
  let bytes = 0;
  for (const run of runs) {
    const runBytes = run.rows * cellBytes;
    if (bytes > 0 && bytes + runBytes > limits.budgetBytes) {
      await meter.sync(ctx);
      bytes = 0;
    }
    const values = Array.from({ length: run.rows }, () => ["synced"]);
    meter.setValues(open.sheet.getRangeByIndexes(run.start, SYNC_COLUMN, run.rows, 1), values);
    bytes += runBytes;
  }
  if (bytes > 0) await meter.sync(ctx);
}

function auditCells(r: AuditRow, index: number): string[] {
  if (!r || typeof r !== "object") throw new Error(`Audit entry ${index + 1} is not an object.`);
  if (typeof r.entryId !== "string" || r.entryId === "") throw new Error(`Audit entry ${index + 1} has no entryId.`);
  if (!(AUDIT_ACTIONS as readonly string[]).includes(r.action)) throw new Error(`Audit entry ${r.entryId}: action "${r.action}" is not one of ${AUDIT_ACTIONS.join(", ")}.`);
  if (!(SYNC_STATES as readonly string[]).includes(r.syncState)) throw new Error(`Audit entry ${r.entryId}: syncState "${r.syncState}" is not one of ${SYNC_STATES.join(", ")}.`);
  return AUDIT_COLUMNS.map((name) => {
    const v = (r as unknown as Record<string, unknown>)[name];
    const s = v === null || v === undefined ? "" : String(v);
    if (s.length > 32767) throw new Error(`Audit entry ${r.entryId}: ${name} is longer than the 32,767 characters a cell holds.`);
    return s;
  });
}

/** The A1 address of an audit cell, for messages ("SEG_Audit!C5"). */
export function auditCellAddress(sheetRow: number, column: AuditColumn): string {
  return `${AUDIT_SHEET_NAME}!${cellAddress(sheetRow - 1, AUDIT_COLUMNS.indexOf(column))}`;
}
