/**
 * A1 references for the fake Excel host. Written separately from src/app/a1.ts on purpose:
 * the fake checks the gateway, so it must not share the gateway's helpers (and their bugs).
 */
export const SHEET_ROWS = 1_048_576;
export const SHEET_COLUMNS = 16_384;

export interface Rect {
  r: number;
  c: number;
  rows: number;
  cols: number;
}

export function colName(c: number): string {
  let s = "";
  for (let n = c + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

function colNumber(s: string): number {
  let n = 0;
  for (const ch of s.toUpperCase()) n = n * 26 + ch.charCodeAt(0) - 64;
  return n - 1;
}

export function quoteSheet(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.]*$/.test(name) && !/^[A-Za-z]{1,3}\d+$/.test(name) && !/^[Rr]\d*([Cc]\d*)?$/.test(name) ? name : `'${name.replace(/'/g, "''")}'`;
}

export function rectAddress(rect: Rect, sheet?: string): string {
  const prefix = sheet === undefined ? "" : `${quoteSheet(sheet)}!`;
  const fullCols = rect.r === 0 && rect.rows === SHEET_ROWS;
  const fullRows = rect.c === 0 && rect.cols === SHEET_COLUMNS;
  if (fullCols && !fullRows) return `${prefix}${colName(rect.c)}:${colName(rect.c + rect.cols - 1)}`;
  if (fullRows && !fullCols) return `${prefix}${rect.r + 1}:${rect.r + rect.rows}`;
  const a = `${colName(rect.c)}${rect.r + 1}`;
  if (rect.rows === 1 && rect.cols === 1) return prefix + a;
  return `${prefix}${a}:${colName(rect.c + rect.cols - 1)}${rect.r + rect.rows}`;
}

/** Splits "Sheet1!A1:B2" / "'My sheet'!A1" into sheet name (or null) and the local part. */
export function splitSheet(address: string): { sheet: string | null; local: string } {
  const bang = address.lastIndexOf("!");
  if (bang < 0) return { sheet: null, local: address };
  let sheet = address.slice(0, bang);
  if (sheet.startsWith("'") && sheet.endsWith("'")) sheet = sheet.slice(1, -1).replace(/''/g, "'");
  return { sheet, local: address.slice(bang + 1) };
}

/** Parses a local reference: "B3", "A1:C9", "A:C", "2:5", with optional $ signs. Null if malformed. */
export function parseLocal(ref: string): Rect | null {
  const parts = ref.replace(/\$/g, "").trim().toUpperCase().split(":");
  if (parts.length < 1 || parts.length > 2) return null;
  const cell = /^([A-Z]{1,3})(\d{1,7})$/;
  const col = /^([A-Z]{1,3})$/;
  const row = /^(\d{1,7})$/;
  const [a, b = a] = parts;
  let rect: Rect | null = null;
  if (cell.test(a) && cell.test(b)) {
    const ma = cell.exec(a)!;
    const mb = cell.exec(b)!;
    const r1 = Number(ma[2]) - 1;
    const r2 = Number(mb[2]) - 1;
    const c1 = colNumber(ma[1]);
    const c2 = colNumber(mb[1]);
    rect = { r: Math.min(r1, r2), c: Math.min(c1, c2), rows: Math.abs(r2 - r1) + 1, cols: Math.abs(c2 - c1) + 1 };
  } else if (parts.length === 2 && col.test(a) && col.test(b)) {
    const c1 = colNumber(a);
    const c2 = colNumber(b);
    rect = { r: 0, c: Math.min(c1, c2), rows: SHEET_ROWS, cols: Math.abs(c2 - c1) + 1 };
  } else if (parts.length === 2 && row.test(a) && row.test(b)) {
    const r1 = Number(a) - 1;
    const r2 = Number(b) - 1;
    rect = { r: Math.min(r1, r2), c: 0, rows: Math.abs(r2 - r1) + 1, cols: SHEET_COLUMNS };
  }
  if (!rect || rect.r < 0 || rect.c < 0 || rect.r + rect.rows > SHEET_ROWS || rect.c + rect.cols > SHEET_COLUMNS) return null;
  return rect;
}

export function intersect(a: Rect, b: Rect): Rect | null {
  const r = Math.max(a.r, b.r);
  const c = Math.max(a.c, b.c);
  const r2 = Math.min(a.r + a.rows, b.r + b.rows);
  const c2 = Math.min(a.c + a.cols, b.c + b.cols);
  return r2 > r && c2 > c ? { r, c, rows: r2 - r, cols: c2 - c } : null;
}

export function inSheet(rect: Rect): boolean {
  return rect.r >= 0 && rect.c >= 0 && rect.rows >= 1 && rect.cols >= 1 && rect.r + rect.rows <= SHEET_ROWS && rect.c + rect.cols <= SHEET_COLUMNS;
}

/** Rough UTF-8 size of a JSON text (exact for ASCII, which is what payloads mostly are). */
export function jsonSize(value: unknown): number {
  const s = JSON.stringify(value);
  if (s === undefined) return 0;
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (code >= 0x80) n += code >= 0x800 && (code < 0xd800 || code > 0xdfff) ? 2 : 1;
  }
  return n;
}
