/**
 * A1-style addresses for messages and plans. Rows and columns are 0-based here and 1-based in the
 * text, as Excel shows them. Sheet names that are not plain words are quoted the way Excel quotes
 * them ('My data'!A1, with ' doubled).
 */

export function columnLetters(col: number): string {
  let n = col + 1;
  let s = "";
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

export function columnIndex(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

export function quoteSheet(sheetName: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.]*$/.test(sheetName) ? sheetName : `'${sheetName.replace(/'/g, "''")}'`;
}

export function cellAddress(row: number, col: number): string {
  return `${columnLetters(col)}${row + 1}`;
}

/** "Data!C17" for row 16, column 2. */
export function sheetCell(sheetName: string, row: number, col: number): string {
  return `${quoteSheet(sheetName)}!${cellAddress(row, col)}`;
}

/** "Data!D17:BA17" (or a single cell when the range is one cell). */
export function sheetRange(sheetName: string, row1: number, col1: number, row2: number, col2: number): string {
  const a = cellAddress(row1, col1);
  const b = cellAddress(row2, col2);
  return `${quoteSheet(sheetName)}!${a === b ? a : `${a}:${b}`}`;
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
