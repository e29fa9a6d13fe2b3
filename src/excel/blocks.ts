/**
 * How a big range is cut into row blocks and blocks into syncs. Pure functions, so the rule can be
 * tested without Excel:
 * - one block is at most `maxBlockRows` rows and at most `maxCellsPerRead` cells;
 * - one sync carries consecutive blocks until the next would push its estimated payload over
 *   `budgetBytes` (or its cells over `maxCellsPerRead`); a sync always carries at least one row.
 */
import { DEFAULT_MAX_BLOCK_ROWS, DEFAULT_SYNC_BUDGET_BYTES, MAX_CELLS_PER_READ } from "./payload";

export interface ChunkLimits {
  budgetBytes: number;
  maxCellsPerRead: number;
  maxBlockRows: number;
}

export const DEFAULT_LIMITS: ChunkLimits = {
  budgetBytes: DEFAULT_SYNC_BUDGET_BYTES,
  maxCellsPerRead: MAX_CELLS_PER_READ,
  maxBlockRows: DEFAULT_MAX_BLOCK_ROWS,
};

/** Rows [start, start + rows) relative to the range being read or written. */
export interface RowBlock {
  start: number;
  rows: number;
}

/**
 * The blocks of the next sync of a read, from row `from` of `total`, when one row is estimated to
 * cost `bytesPerRow` bytes of JSON.
 */
export function nextReadSync(from: number, total: number, columns: number, bytesPerRow: number, limits: ChunkLimits): RowBlock[] {
  const remaining = total - from;
  if (remaining <= 0) return [];
  const byBytes = Math.floor(limits.budgetBytes / Math.max(1, bytesPerRow));
  const byCells = Math.floor(limits.maxCellsPerRead / Math.max(1, columns));
  const syncRows = Math.max(1, Math.min(remaining, byBytes, byCells));
  const blockRows = Math.max(1, Math.min(limits.maxBlockRows, byCells));
  const blocks: RowBlock[] = [];
  for (let start = from; start < from + syncRows; start += blockRows) {
    blocks.push({ start, rows: Math.min(blockRows, from + syncRows - start) });
  }
  return blocks;
}

/**
 * The blocks of the next sync of a write whose rows have known sizes (`rowBytes[i]` = JSON bytes
 * of row i's values and formats). Throws when a single row is over the budget.
 */
export function nextWriteSync(from: number, rowBytes: readonly number[], columns: number, limits: ChunkLimits, spentBytes = 0, spentCells = 0): RowBlock[] {
  const total = rowBytes.length;
  const blocks: RowBlock[] = [];
  let bytes = spentBytes;
  let cells = spentCells;
  let i = from;
  let blockStart = from;
  while (i < total) {
    const b = rowBytes[i];
    if (b > limits.budgetBytes) {
      if (i > from) break; // it starts the next sync, and fails there
      throw new RangeError(`row ${i + 1} alone needs ${b} bytes, more than the ${limits.budgetBytes}-byte request budget`);
    }
    if (bytes + b > limits.budgetBytes || cells + columns > limits.maxCellsPerRead) break;
    bytes += b;
    cells += columns;
    i++;
    if (i - blockStart === limits.maxBlockRows) {
      blocks.push({ start: blockStart, rows: i - blockStart });
      blockStart = i;
    }
  }
  if (i > blockStart) blocks.push({ start: blockStart, rows: i - blockStart });
  return blocks;
}
