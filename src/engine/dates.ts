/**
 * Reading a column of dates from an extract (CSV text, XLSX cells) into epoch days
 * (src/engine/periods.ts: days since 1970-01-01).
 *
 * Accepted forms, each a "date form":
 * - serial: an Excel 1900-system date serial (a number; 1 = 1900-01-01, 61 = 1900-03-01, 45292 =
 *   2024-01-01); a fraction (time of day) is dropped. Serial 60 is Excel's non-existent 1900-02-29
 *   and is rejected. A JavaScript Date (what XLSX readers give) counts as a serial: its UTC date.
 * - iso: yyyy-mm-dd or yyyy/mm/dd, optionally followed by a time ("T10:00", " 10:00:00", with an
 *   offset or Z: the date as written is used, no time-zone conversion); also the basic form
 *   yyyymmdd (SAP's DATS).
 * - dmy / mdy: d/m/yyyy or m/d/yyyy with "/", "." or "-" between the parts, optionally followed
 *   by a time. Two-digit years are rejected (write four digits).
 * - named: 31-Jan-2024, 31 January 2024 (English month names, any case).
 *
 * Rules:
 * - The column has ONE text form. It is the stated `format` ("iso", "dmy", "mdy", "named") or, with
 *   "auto", the form of the first non-blank text cell; for slash dates "auto" looks at the whole
 *   column: a first part above 12 means d/m/y, a second part above 12 means m/d/y; both seen, or
 *   neither (every date like 03/04/2024), is an ArgumentError asking to state the format.
 * - A text cell in another form is rejected as a mixed format, naming the row and both forms.
 *   Serials may appear among text dates (XLSX cells that Excel recognised), unless
 *   `serials: "reject"`.
 * - A date that does not exist (2023-02-29, 31/04/2024, month 13) is rejected naming the row.
 * - Years outside 1900..9999 are rejected. A blank cell is rejected ("missing date").
 * Messages: "row 17: date "31/04/2024" does not exist (April has 30 days)", with row = index +
 * rowBase (default 2: the first data line of a file whose line 1 is the header).
 */
import { ArgumentError, CellError, cellError } from "./errors";
import { daysFromCivil, daysInMonth } from "./periods";

export const DATE_FORMATS = ["auto", "iso", "dmy", "mdy", "named"] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];
export type DateForm = "serial" | "iso" | "dmy" | "mdy" | "named";

export const FORM_NAMES: Record<DateForm, string> = {
  serial: "an Excel date serial",
  iso: "yyyy-mm-dd",
  dmy: "d/m/yyyy",
  mdy: "m/d/yyyy",
  named: "d-Mon-yyyy",
};

const MONTH_NAMES = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

export interface DateParseOptions {
  format?: DateFormat;
  /** "accept" (default) or "reject" Excel serials / Date objects among text dates. */
  serials?: "accept" | "reject";
  /** Row number of index 0 in messages (default 2). */
  rowBase?: number;
  /** Field name in messages (default "date"). */
  field?: string;
}

export interface DateColumn {
  /** Epoch day per row; 0 where the row has an issue (see issues). */
  day: Int32Array;
  /** The text form the column was read in (null: no text dates). */
  form: Exclude<DateForm, "serial"> | null;
  issues: Map<number, CellError>;
}

const EXCEL_EPOCH_OFFSET = 25569; // serial of 1970-01-01
const SERIAL_MAX = 2958465; // 9999-12-31

/** Excel 1900-system serial (integer part) to epoch day; NaN for 60 and out-of-range serials. */
export function serialToDay(serial: number): number {
  const s = Math.floor(serial);
  if (!(s >= 1 && s <= SERIAL_MAX) || s === 60) return Number.NaN;
  return s > 60 ? s - EXCEL_EPOCH_OFFSET : s - EXCEL_EPOCH_OFFSET + 1;
}

/** Epoch day to Excel serial (days after 1900-02-28 only). */
export function dayToSerial(day: number): number {
  return day + EXCEL_EPOCH_OFFSET;
}

const ISO_RE = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:(?:T|\s+)\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?)?$/i;
const BASIC_RE = /^(\d{4})(\d{2})(\d{2})$/;
const SLASH_RE = /^(\d{1,2})([./-])(\d{1,2})\2(\d{2,4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AP]M)?)?$/i;
const NAMED_RE = /^(\d{1,2})[\s-]+([A-Za-z]{3,9})\.?[\s-]+(\d{2,4})$/;

interface Split {
  form: Exclude<DateForm, "serial">;
  a: number;
  b: number;
  y: number;
  /** named form: month number, or 0 when the name is unknown */
  yearDigits: number;
}

function split(text: string): Split | null {
  let m = ISO_RE.exec(text) ?? BASIC_RE.exec(text);
  if (m) return { form: "iso", y: +m[1], a: +m[2], b: +m[3], yearDigits: 4 };
  m = SLASH_RE.exec(text);
  if (m) return { form: "dmy", a: +m[1], b: +m[3], y: +m[4], yearDigits: m[4].length }; // dmy or mdy: decided later
  m = NAMED_RE.exec(text);
  if (m) {
    const name = m[2].toLowerCase();
    const month = MONTH_NAMES.findIndex((n) => n.startsWith(name) && (name.length >= 3 || n === name)) + 1;
    const exact = month > 0 && (name.length === 3 || MONTH_NAMES[month - 1] === name || (name === "sept" && month === 9));
    return { form: "named", a: +m[1], b: exact ? month : 0, y: +m[3], yearDigits: m[3].length };
  }
  return null;
}

const MONTH_LABEL = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** Epoch day of y-m-d, or a reason it is no date. */
function civil(y: number, m: number, d: number): number | string {
  if (y < 1900 || y > 9999) return `year ${y} is outside 1900-9999`;
  if (m < 1 || m > 12) return `month ${m} does not exist`;
  const dim = daysInMonth(y, m);
  if (d < 1 || d > dim) return `${MONTH_LABEL[m - 1]} ${y} has ${dim} days`;
  return daysFromCivil(y, m, d);
}

export function parseDates(cells: ArrayLike<unknown>, options: DateParseOptions = {}): DateColumn {
  const { rowBase, field, acceptSerials, format } = dateOptions(options);
  const form = columnForm(cells, format, field, (i) => i + rowBase);
  const n = cells.length;
  const day = new Int32Array(n);
  const issues = new Map<number, CellError>();
  for (let i = 0; i < n; i++) {
    const r = readDate(cells[i], form, acceptSerials);
    if (typeof r === "number") day[i] = r;
    else issues.set(i, cellError(`row ${i + rowBase}: ${field} ${r}`));
  }
  return { day, form, issues };
}

/**
 * parseDates of a dictionary-encoded column (src/app/columnar.ts): row i holds entries[codes[i]],
 * and the entries are in order of first appearance. Each distinct entry is read once; the result
 * (days, form, every message and the row it names) is the one parseDates gives for the decoded
 * column: with entries in first-appearance order, the first entry with a property is the value of
 * the first row with it, and that row is the entry's first row.
 */
export function parseDatesCoded(entries: ArrayLike<unknown>, codes: Int32Array, options: DateParseOptions = {}): DateColumn {
  const { rowBase, field, acceptSerials, format } = dateOptions(options);
  const m = entries.length;
  const n = codes.length;
  const firstRow = new Int32Array(m).fill(-1);
  for (let i = 0; i < n; i++) if (firstRow[codes[i]] < 0) firstRow[codes[i]] = i;
  const form = columnForm(entries, format, field, (k) => firstRow[k] + rowBase);
  const entryDay = new Int32Array(m);
  const entryIssue: (string | null)[] = new Array<string | null>(m).fill(null);
  for (let k = 0; k < m; k++) {
    const r = readDate(entries[k], form, acceptSerials);
    if (typeof r === "number") entryDay[k] = r;
    else entryIssue[k] = r;
  }
  const day = new Int32Array(n);
  const issues = new Map<number, CellError>();
  for (let i = 0; i < n; i++) {
    const k = codes[i];
    const bad = entryIssue[k];
    if (bad === null) day[i] = entryDay[k];
    else issues.set(i, cellError(`row ${i + rowBase}: ${field} ${bad}`));
  }
  return { day, form, issues };
}

function dateOptions(options: DateParseOptions) {
  const format = options.format ?? "auto";
  if (!DATE_FORMATS.includes(format)) throw new ArgumentError("dateFormat", `must be one of ${DATE_FORMATS.join(", ")}, got ${String(format)}`);
  return { format, rowBase: options.rowBase ?? 2, field: options.field ?? "date", acceptSerials: (options.serials ?? "accept") === "accept" };
}

/** The column's text form (see the rules above); `row(i)` numbers cell i in messages. */
function columnForm(cells: ArrayLike<unknown>, format: DateFormat, field: string, row: (i: number) => number): Exclude<DateForm, "serial"> | null {
  if (format !== "auto") return format;
  const n = cells.length;
  let firstText: Split | null = null;
  let dmyRow = -1;
  let mdyRow = -1;
  for (let i = 0; i < n; i++) {
    const c = cells[i];
    if (typeof c !== "string") continue;
    const t = c.trim();
    if (t === "") continue;
    const s = split(t);
    if (!s) continue;
    if (firstText === null) firstText = s;
    if (s.form !== "dmy" || firstText.form !== "dmy") continue;
    if (s.a > 12 && s.b <= 12 && dmyRow < 0) dmyRow = i;
    if (s.b > 12 && s.a <= 12 && mdyRow < 0) mdyRow = i;
  }
  if (firstText !== null && firstText.form === "dmy") {
    if (dmyRow >= 0 && mdyRow >= 0) {
      throw new ArgumentError(
        "dateFormat",
        `the ${field} column mixes d/m/y (row ${row(dmyRow)}: "${String(cells[dmyRow]).trim()}") and m/d/y (row ${row(mdyRow)}: "${String(cells[mdyRow]).trim()}"): state the format and fix the other rows`,
      );
    }
    if (dmyRow < 0 && mdyRow < 0) {
      throw new ArgumentError("dateFormat", `every ${field} like "${firstDmyText(cells)}" reads as d/m/y and as m/d/y: state the date format (dmy or mdy)`);
    }
    return dmyRow >= 0 ? "dmy" : "mdy";
  }
  return firstText !== null ? firstText.form : null;
}

/** One cell under the column's form: its epoch day, or why it is none (the message after the field name). */
function readDate(c: unknown, form: Exclude<DateForm, "serial"> | null, acceptSerials: boolean): number | string {
  if (typeof c === "number" || c instanceof Date) {
    if (!acceptSerials) return `${c instanceof Date ? "is a date value" : `${c} is a number`}, but the column holds ${form ? FORM_NAMES[form] : "text"} dates: mixed date formats`;
    const d = c instanceof Date ? Math.floor(c.getTime() / 86400000) : serialToDay(c);
    if (Number.isNaN(d) || !Number.isFinite(d)) {
      return c === 60 ? "serial 60 is 1900-02-29, which does not exist (Excel's 1900 leap-year bug)" : `${String(c)} is not a date serial (1 to ${SERIAL_MAX})`;
    }
    return d;
  }
  if (c === null || c === undefined || (typeof c === "string" && c.trim() === "")) return "is missing (blank)";
  if (typeof c !== "string") return `${String(c)} is not a date`;
  if (form === "iso" && c.length === 10) {
    const fast = isoFast(c);
    if (fast === fast) return fast;
  }
  const t = c.trim();
  const s = split(t);
  if (!s) return `"${t}" is not a date (expected ${form ? FORM_NAMES[form] : "yyyy-mm-dd, d/m/yyyy, m/d/yyyy or d-Mon-yyyy"})`;
  const sForm = s.form === "dmy" && (form === "dmy" || form === "mdy") ? form : s.form;
  if (form !== null && sForm !== form) {
    return `"${t}" is ${sForm === "dmy" ? "a d/m/yyyy or m/d/yyyy date" : FORM_NAMES[sForm]} but the column holds ${FORM_NAMES[form]} dates: mixed date formats`;
  }
  if (s.yearDigits !== 4) return `"${t}" has a ${s.yearDigits}-digit year: write the year with four digits`;
  let mo: number;
  let d: number;
  if (sForm === "iso" || sForm === "mdy") {
    mo = s.a;
    d = s.b;
  } else {
    d = s.a;
    mo = s.b;
    if (sForm === "named" && mo === 0) return `"${t}": unknown month name`;
  }
  const r = civil(s.y, mo, d);
  if (typeof r === "string") return `"${t}" does not exist${form === "dmy" || form === "mdy" ? ` as ${FORM_NAMES[form]}` : ""} (${r})`;
  return r;
}

/** yyyy-mm-dd read by character codes (the common case of large extracts); NaN when not exactly that or not a real date. */
function isoFast(c: string): number {
  if (c.charCodeAt(4) !== 45 || c.charCodeAt(7) !== 45) return Number.NaN;
  let y = 0;
  for (let k = 0; k < 4; k++) {
    const x = c.charCodeAt(k) - 48;
    if (x < 0 || x > 9) return Number.NaN;
    y = 10 * y + x;
  }
  const m1 = c.charCodeAt(5) - 48;
  const m2 = c.charCodeAt(6) - 48;
  const d1 = c.charCodeAt(8) - 48;
  const d2 = c.charCodeAt(9) - 48;
  if (m1 < 0 || m1 > 9 || m2 < 0 || m2 > 9 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return Number.NaN;
  const m = 10 * m1 + m2;
  const d = 10 * d1 + d2;
  if (y < 1900 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return Number.NaN; // the slow path words the reason
  return daysFromCivil(y, m, d);
}

function firstDmyText(cells: ArrayLike<unknown>): string {
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i];
    if (typeof c === "string" && SLASH_RE.test(c.trim())) return c.trim();
  }
  return "";
}
