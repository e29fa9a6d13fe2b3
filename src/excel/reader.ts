/**
 * Chunked reading of a rectangle of cells. First a sample block (a few thousand cells) tells how
 * many bytes a row costs; then each sync loads as many row blocks as fit in the budget, using the
 * largest row seen so far as the estimate. If Excel still answers "payload too large" (rows further
 * down can be wider than the sample), the estimate doubles and the same rows are read again.
 */
import { ChunkLimits, nextReadSync } from "./blocks";
import { IoMeter } from "./meter";
import { utf8Length } from "./payload";

export interface Rect {
  row: number;
  column: number;
  rowCount: number;
  columnCount: number;
}

/** Cells in the first (sample) sync of a read. */
export const SAMPLE_CELLS = 20_000;
/** What a cell is assumed to cost before the sample is seen (sizes the sample under small budgets). */
const SAMPLE_BYTES_PER_CELL = 100;
/** Rows not read yet may be wider than those read so far. */
const ROW_HEADROOM = 1.1;

export function intersectRects(a: Rect, b: Rect): Rect | null {
  const row = Math.max(a.row, b.row);
  const column = Math.max(a.column, b.column);
  const rowEnd = Math.min(a.row + a.rowCount, b.row + b.rowCount);
  const columnEnd = Math.min(a.column + a.columnCount, b.column + b.columnCount);
  if (rowEnd <= row || columnEnd <= column) return null;
  return { row, column, rowCount: rowEnd - row, columnCount: columnEnd - column };
}

/** A loaded number from Excel; anything else means a property was read before it was loaded. */
export function loadedNumber(value: unknown, what: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new Error(`Excel returned ${JSON.stringify(value)} for ${what} (was it read before context.sync?)`);
  }
  return value;
}

export function loadedString(value: unknown, what: string): string {
  if (typeof value !== "string") throw new Error(`Excel returned ${JSON.stringify(value)} for ${what} (was it read before context.sync?)`);
  return value;
}

export function rectOf(range: { rowIndex: number; columnIndex: number; rowCount: number; columnCount: number }, what: string): Rect {
  return {
    row: loadedNumber(range.rowIndex, `${what}.rowIndex`),
    column: loadedNumber(range.columnIndex, `${what}.columnIndex`),
    rowCount: loadedNumber(range.rowCount, `${what}.rowCount`),
    columnCount: loadedNumber(range.columnCount, `${what}.columnCount`),
  };
}

export function isPayloadTooLarge(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === "RequestPayloadSizeLimitExceeded" || code === "ResponsePayloadSizeLimitExceeded";
}

interface SyncContext {
  sync(): Promise<unknown>;
}

/**
 * Reads `rect` of `sheet` in blocks; returns the values row by row.
 * Row-size estimate: 1.1 x the larger of the mean row seen so far and the mean row of the last
 * sync. A sync's size is the sum of many rows, so the mean (not the widest row, often the header)
 * is what matters; the recent mean follows data that gets wider further down, and a sync that is
 * still too large is retried with fewer rows.
 */
export async function readRect(
  context: SyncContext,
  meter: IoMeter,
  sheet: Excel.Worksheet,
  rect: Rect,
  limits: ChunkLimits,
  onRows?: (done: number, total: number) => void,
): Promise<unknown[][]> {
  const { rowCount, columnCount } = rect;
  const out: unknown[][] = new Array(rowCount);
  if (rowCount === 0 || columnCount === 0) return [];
  let done = 0;
  let seenRows = 0;
  let seenBytes = 0;
  let recentMean = 0;
  let minimumPerRow = 0; // raised after a "payload too large" answer
  let sampleRows = Math.max(
    1,
    Math.min(rowCount, Math.floor(SAMPLE_CELLS / columnCount), Math.floor(limits.budgetBytes / (columnCount * SAMPLE_BYTES_PER_CELL)), limits.maxBlockRows),
  );
  while (done < rowCount) {
    const perRow = Math.ceil(Math.max(seenRows ? seenBytes / seenRows : 0, recentMean) * ROW_HEADROOM);
    const blocks =
      seenRows === 0 ? [{ start: done, rows: Math.min(sampleRows, rowCount - done) }] : nextReadSync(done, rowCount, columnCount, Math.max(perRow, minimumPerRow), limits);
    const ranges = blocks.map((b) => {
      const range = sheet.getRangeByIndexes(rect.row + b.start, rect.column, b.rows, columnCount);
      range.load("values");
      return range;
    });
    try {
      await meter.sync(context);
    } catch (e) {
      const rows = blocks.reduce((n, b) => n + b.rows, 0);
      if (!isPayloadTooLarge(e) || rows === 1) throw e;
      // The estimate was too low: ask for half as many rows next time.
      if (seenRows === 0) sampleRows = Math.max(1, Math.floor(sampleRows / 2));
      else minimumPerRow = Math.ceil(limits.budgetBytes / Math.max(1, Math.floor(rows / 2)));
      continue;
    }
    let syncBytes = 2;
    let cells = 0;
    let syncRows = 0;
    blocks.forEach((b, k) => {
      const values = ranges[k].values as unknown;
      if (!Array.isArray(values) || values.length !== b.rows || !Array.isArray(values[0]) || values[0].length !== columnCount) {
        throw new Error(`Excel returned ${describeShape(values)} for a ${b.rows} x ${columnCount} block (was it read before context.sync?)`);
      }
      for (let i = 0; i < b.rows; i++) {
        const row = values[i] as unknown[];
        syncBytes += utf8Length(JSON.stringify(row)) + 1;
        out[b.start + i] = row;
      }
      cells += b.rows * columnCount;
      syncRows += b.rows;
      done = Math.max(done, b.start + b.rows);
    });
    seenRows += syncRows;
    seenBytes += syncBytes;
    recentMean = syncBytes / syncRows;
    meter.noteResponse(syncBytes, cells);
    onRows?.(done, rowCount);
  }
  return out;
}

function describeShape(v: unknown): string {
  if (!Array.isArray(v)) return JSON.stringify(v)?.slice(0, 60) ?? String(v);
  return `${v.length} rows`;
}
