/**
 * A1 addresses for the gateway. Rows and columns are 0-based in code, as in Excel's
 * getRangeByIndexes; addresses are what a user sees ("Data!B3:D10").
 */
export const MAX_ROWS = 1_048_576;
export const MAX_COLUMNS = 16_384;

/** 0 -> "A", 25 -> "Z", 26 -> "AA". */
export function columnLetters(index: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= MAX_COLUMNS) throw new RangeError(`column index ${index} is outside the sheet`);
  let n = index + 1;
  let s = "";
  while (n > 0) {
    const rem = (n - 1) % 26;
    s = String.fromCharCode(65 + rem) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** "A" -> 0, "AA" -> 26. */
export function columnIndex(letters: string): number {
  const up = letters.toUpperCase();
  if (!/^[A-Z]{1,3}$/.test(up)) throw new RangeError(`"${letters}" is not a column`);
  let n = 0;
  for (const ch of up) n = n * 26 + (ch.charCodeAt(0) - 64);
  if (n > MAX_COLUMNS) throw new RangeError(`"${letters}" is outside the sheet`);
  return n - 1;
}

export function cellAddress(row: number, column: number): string {
  return `${columnLetters(column)}${row + 1}`;
}

/** Sheet names with anything but letters, digits and underscores are quoted, quotes doubled. */
export function quoteSheetName(name: string): string {
  const plain = /^[A-Za-z_][A-Za-z0-9_.]*$/.test(name) && !/^[A-Za-z]{1,3}[0-9]+$/.test(name) && !/^[Rr][0-9]*([Cc][0-9]*)?$/.test(name);
  return plain ? name : `'${name.replace(/'/g, "''")}'`;
}

/** "Data!B3" for one cell, "Data!B3:D10" otherwise. */
export function rangeAddress(sheetName: string, row: number, column: number, rowCount: number, columnCount: number): string {
  const first = cellAddress(row, column);
  const last = rowCount === 1 && columnCount === 1 ? "" : `:${cellAddress(row + rowCount - 1, column + columnCount - 1)}`;
  return `${quoteSheetName(sheetName)}!${first}${last}`;
}

/** Parses a single cell reference such as "B3" (no sheet part) into 0-based coordinates. */
export function parseCell(ref: string): { row: number; column: number } {
  const m = /^\$?([A-Za-z]{1,3})\$?([0-9]+)$/.exec(ref.trim());
  if (!m) throw new RangeError(`"${ref}" is not a cell reference like B3`);
  const row = Number(m[2]) - 1;
  if (row < 0 || row >= MAX_ROWS) throw new RangeError(`"${ref}" is outside the sheet`);
  return { row, column: columnIndex(m[1]) };
}
