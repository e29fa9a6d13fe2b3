/**
 * A1 addresses, for the workbook layer (src/excel) and for the messages and plans of the
 * services. Rows and columns are 0-based in code, as in Excel's getRangeByIndexes, and 1-based in
 * the text a user sees ("Data!B3:D10"). Sheet names that need it are quoted the way Excel quotes
 * them ('My data'!A1, with ' doubled).
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

/** "Data!C17" for row 16, column 2. */
export function sheetCell(sheetName: string, row: number, column: number): string {
  return rangeAddress(sheetName, row, column, 1, 1);
}

export interface ParsedRange {
  sheetName?: string;
  row1: number;
  col1: number;
  row2: number;
  col2: number;
}

/** Parses "A1", "B2:D10" or "Data!B2:D10" / "'My data'!B2:D10". Throws on anything else. */
export function parseRange(address: string): ParsedRange {
  let sheetName: string | undefined;
  let ref = address;
  const bang = address.lastIndexOf("!");
  if (bang >= 0) {
    sheetName = address.slice(0, bang);
    if (sheetName.startsWith("'") && sheetName.endsWith("'")) sheetName = sheetName.slice(1, -1).replace(/''/g, "'");
    ref = address.slice(bang + 1);
  }
  const m = /^\$?([A-Za-z]{1,3})\$?(\d+)(?::\$?([A-Za-z]{1,3})\$?(\d+))?$/.exec(ref);
  if (!m) throw new Error(`"${address}" is not a cell or range address like A1 or B2:D10`);
  const c1 = columnIndex(m[1]);
  const r1 = Number(m[2]) - 1;
  const c2 = m[3] ? columnIndex(m[3]) : c1;
  const r2 = m[4] ? Number(m[4]) - 1 : r1;
  return { sheetName, row1: Math.min(r1, r2), col1: Math.min(c1, c2), row2: Math.max(r1, r2), col2: Math.max(c1, c2) };
}
