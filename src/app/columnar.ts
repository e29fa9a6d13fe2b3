/**
 * A file's mapped columns as typed arrays, for handing them to the engine worker as transferables
 * (postMessage moves an ArrayBuffer instead of copying it; a structured clone of 1,000,000 rows of
 * strings took seconds). Two encodings per column:
 * - "number": every cell a number (XLSX quantities, date serials): the numbers as a Float64Array.
 * - "dict": anything else, dictionary-encoded: per row the code of its entry (Int32Array), and per
 *   entry, in order of first appearance, a tag (text, number, TRUE, FALSE, blank), its number
 *   and its text (UTF-16 code units in one Uint16Array, sliced by offsets), so the string table
 *   is transferable too. A column whose values are mostly distinct (transaction ids) is not worth
 *   a dictionary on the pane's thread: after HIGH_CARDINALITY_PROBE rows with more than half of
 *   them distinct, every row becomes its own entry (`unique` false: entries may repeat) and the
 *   worker finds equal ids by hashing the code units. Decoding gives back every cell exactly (blank = null or undefined, both
 *   read as blank everywhere; -0 stays -0).
 * The worker reads dictionary columns per distinct entry (src/engine/dates.ts parseDatesCoded,
 * src/engine/numbers.ts parseQuantitiesCoded) and compares transaction ids by code.
 */
import { isArrayBuffer } from "./engineRunner";
import type { FileCell, ImportField, TransactionColumnsIn } from "./importSource";

export const TAG_TEXT = 0;
export const TAG_NUMBER = 1;
export const TAG_TRUE = 2;
export const TAG_FALSE = 3;
export const TAG_BLANK = 4;

export interface NumberColumn {
  kind: "number";
  values: Float64Array;
}

export interface DictColumn {
  kind: "dict";
  /** Per row: its entry. */
  codes: Int32Array;
  /** Per entry: TAG_*. */
  tags: Uint8Array;
  /** Per entry: the number (TAG_NUMBER), else 0. */
  numbers: Float64Array;
  /** Per entry + 1: where its text starts in `chars` (entry k is chars[offsets[k]..offsets[k+1])). */
  offsets: Int32Array;
  chars: Uint16Array;
  /** The entries are distinct (a dictionary); false: entry i is row i's cell. */
  unique: boolean;
}

export type EncodedColumn = NumberColumn | DictColumn;
export type EncodedColumns = Partial<Record<ImportField, EncodedColumn>>;

export type Cell = FileCell | null | undefined;

export const HIGH_CARDINALITY_PROBE = 32768;

/** One column (its first `rows` cells) as typed arrays. */
export function encodeColumn(cells: ArrayLike<Cell>, rows = cells.length): EncodedColumn {
  let allNumbers = rows > 0;
  for (let i = 0; i < rows && allNumbers; i++) if (typeof cells[i] !== "number") allNumbers = false;
  if (allNumbers) {
    const values = new Float64Array(rows);
    for (let i = 0; i < rows; i++) values[i] = cells[i] as number;
    return { kind: "number", values };
  }
  return dictionary(cells, rows, rows > 2 * HIGH_CARDINALITY_PROBE) ?? perRow(cells, rows);
}

function tagOf(c: Cell): number {
  return typeof c === "string" ? TAG_TEXT : typeof c === "number" ? TAG_NUMBER : c === true ? TAG_TRUE : c === false ? TAG_FALSE : TAG_BLANK;
}

/** Every row its own entry. */
function perRow(cells: ArrayLike<Cell>, rows: number): DictColumn {
  const codes = new Int32Array(rows);
  const tags = new Uint8Array(rows);
  const numbers = new Float64Array(rows);
  const offsets = new Int32Array(rows + 1);
  let total = 0;
  for (let i = 0; i < rows; i++) {
    const c = cells[i];
    codes[i] = i;
    tags[i] = tagOf(c);
    offsets[i] = total;
    if (typeof c === "string") total += c.length;
    else if (typeof c === "number") numbers[i] = c;
  }
  offsets[rows] = total;
  const chars = new Uint16Array(total);
  for (let i = 0; i < rows; i++) {
    const c = cells[i];
    if (typeof c !== "string") continue;
    const at = offsets[i];
    for (let j = 0; j < c.length; j++) chars[at + j] = c.charCodeAt(j);
  }
  return { kind: "dict", codes, tags, numbers, offsets, chars, unique: false };
}

/** A dictionary in order of first appearance; null when `probe` and the first rows are mostly distinct. */
function dictionary(cells: ArrayLike<Cell>, rows: number, probe: boolean): DictColumn | null {
  const codes = new Int32Array(rows);
  const texts = new Map<string, number>();
  const nums = new Map<number, number>();
  const tags: number[] = [];
  const numbers: number[] = [];
  const strings: string[] = [];
  let negZero = -1;
  let trueCode = -1;
  let falseCode = -1;
  let blankCode = -1;
  const add = (tag: number, num: number, text: string) => {
    tags.push(tag);
    numbers.push(num);
    strings.push(text);
    return tags.length - 1;
  };
  for (let i = 0; i < rows; i++) {
    const c = cells[i];
    let k: number;
    if (typeof c === "string") {
      const known = texts.get(c);
      if (known !== undefined) k = known;
      else texts.set(c, (k = add(TAG_TEXT, 0, c)));
    } else if (typeof c === "number") {
      if (c === 0 && 1 / c < 0) k = negZero < 0 ? (negZero = add(TAG_NUMBER, c, "")) : negZero;
      else {
        const known = nums.get(c);
        if (known !== undefined) k = known;
        else nums.set(c, (k = add(TAG_NUMBER, c, "")));
      }
    } else if (c === true) k = trueCode < 0 ? (trueCode = add(TAG_TRUE, 0, "")) : trueCode;
    else if (c === false) k = falseCode < 0 ? (falseCode = add(TAG_FALSE, 0, "")) : falseCode;
    else k = blankCode < 0 ? (blankCode = add(TAG_BLANK, 0, "")) : blankCode;
    codes[i] = k;
    if (probe && i === HIGH_CARDINALITY_PROBE - 1 && tags.length > HIGH_CARDINALITY_PROBE / 2) return null;
  }
  const m = tags.length;
  const offsets = new Int32Array(m + 1);
  let total = 0;
  for (let k = 0; k < m; k++) {
    offsets[k] = total;
    total += strings[k].length;
  }
  offsets[m] = total;
  const chars = new Uint16Array(total);
  for (let k = 0; k < m; k++) {
    const s = strings[k];
    const at = offsets[k];
    for (let j = 0; j < s.length; j++) chars[at + j] = s.charCodeAt(j);
  }
  return { kind: "dict", codes, tags: Uint8Array.from(tags), numbers: Float64Array.from(numbers), offsets, chars, unique: true };
}

/** The mapped columns, encoded, with the buffers to transfer. */
export function encodeTransactionColumns(columns: TransactionColumnsIn, rows: number): { columns: EncodedColumns; transfer: ArrayBuffer[] } {
  const out: EncodedColumns = {};
  for (const [field, cells] of Object.entries(columns) as [ImportField, FileCell[] | undefined][]) {
    if (cells) out[field] = encodeColumn(cells, rows);
  }
  return { columns: out, transfer: transferList(out) };
}

/** Every buffer of the encoded columns, once each. */
export function transferList(columns: EncodedColumns): ArrayBuffer[] {
  const seen = new Set<ArrayBuffer>();
  for (const c of Object.values(columns)) {
    if (!c) continue;
    const arrays = c.kind === "number" ? [c.values] : [c.codes, c.tags, c.numbers, c.offsets, c.chars];
    for (const a of arrays) if (isArrayBuffer(a.buffer)) seen.add(a.buffer);
  }
  return [...seen];
}

export function columnRows(c: EncodedColumn): number {
  return c.kind === "number" ? c.values.length : c.codes.length;
}

export function entryCount(c: DictColumn): number {
  return c.tags.length;
}

const SLICE = 8192;

/** Entry k's text (TAG_TEXT entries). */
export function entryText(c: DictColumn, k: number): string {
  const a = c.offsets[k];
  const b = c.offsets[k + 1];
  if (b - a <= SLICE) return String.fromCharCode.apply(null, c.chars.subarray(a, b) as unknown as number[]);
  let s = "";
  for (let x = a; x < b; x += SLICE) s += String.fromCharCode.apply(null, c.chars.subarray(x, Math.min(b, x + SLICE)) as unknown as number[]);
  return s;
}

/** Entry k as the cell it was (blank: null). */
export function entryValue(c: DictColumn, k: number): FileCell | null {
  switch (c.tags[k]) {
    case TAG_TEXT:
      return entryText(c, k);
    case TAG_NUMBER:
      return c.numbers[k];
    case TAG_TRUE:
      return true;
    case TAG_FALSE:
      return false;
    default:
      return null;
  }
}

/** Every entry, in order (the dictionary's table). */
export function entries(c: DictColumn): (FileCell | null)[] {
  const m = entryCount(c);
  const out = new Array<FileCell | null>(m);
  for (let k = 0; k < m; k++) out[k] = entryValue(c, k);
  return out;
}

/** The column's cells again (blank: null). */
export function decodeColumn(c: EncodedColumn): (FileCell | null)[] {
  if (c.kind === "number") return Array.from(c.values);
  const table = entries(c);
  const n = c.codes.length;
  const out = new Array<FileCell | null>(n);
  for (let i = 0; i < n; i++) out[i] = table[c.codes[i]];
  return out;
}

/** A cell as text the way the bucket job reads text fields (blank: ""; numbers and booleans: String). */
export function cellText(c: unknown): string {
  return c === null || c === undefined ? "" : typeof c === "string" ? c : String(c);
}

/** The column as text per row (see cellText); a dictionary column converts each entry once. */
export function textColumn(c: EncodedColumn): string[] {
  if (c.kind === "number") {
    const out = new Array<string>(c.values.length);
    for (let i = 0; i < out.length; i++) out[i] = String(c.values[i]);
    return out;
  }
  const m = entryCount(c);
  const table = new Array<string>(m);
  for (let k = 0; k < m; k++) table[k] = cellText(entryValue(c, k));
  const n = c.codes.length;
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) out[i] = table[c.codes[i]];
  return out;
}

/**
 * Transaction ids as codes for src/engine/bucket.ts: equal codes for equal texts (as cellText
 * reads them), -1 where the text is "" (blank ids are not compared).
 */
export function idCodes(c: EncodedColumn): { codes: Int32Array; text(code: number): string } {
  if (c.kind === "number") {
    // numbers as text: equal texts, equal codes (a dictionary over String(value))
    return idCodes(encodeColumn(textColumn(c)));
  }
  const m = entryCount(c);
  const canon = new Int32Array(m);
  let mixed = false;
  for (let k = 0; k < m; k++) {
    const tag = c.tags[k];
    if (tag === TAG_BLANK || (tag === TAG_TEXT && c.offsets[k + 1] === c.offsets[k])) canon[k] = -1;
    else canon[k] = k;
    if (tag !== TAG_TEXT && tag !== TAG_BLANK) mixed = true;
  }
  if (!c.unique && !mixed) return { codes: sameTextCodes(c, canon), text: (code) => cellText(entryValue(c, code)) };
  if (mixed || !c.unique) {
    // texts are distinct entries, but the number 5 and the text "5" read alike: the first one's code
    const byText = new Map<string, number>();
    for (let k = 0; k < m; k++) {
      if (canon[k] < 0) continue;
      const t = cellText(entryValue(c, k));
      const first = byText.get(t);
      if (first === undefined) byText.set(t, k);
      else canon[k] = first;
    }
  }
  const n = c.codes.length;
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) codes[i] = canon[c.codes[i]];
  return { codes, text: (code) => cellText(entryValue(c, code)) };
}

/**
 * Per row of a text column whose entries may repeat: the first entry with the same code units
 * (-1 stays -1), by an open-addressing table over an FNV-1a hash of the code units.
 */
function sameTextCodes(c: DictColumn, canon: Int32Array): Int32Array {
  const m = entryCount(c);
  let size = 1;
  while (size < 2 * m) size <<= 1;
  const table = new Int32Array(size).fill(-1);
  const mask = size - 1;
  const { chars, offsets } = c;
  for (let k = 0; k < m; k++) {
    if (canon[k] < 0) continue;
    const a = offsets[k];
    const b = offsets[k + 1];
    let h = 0x811c9dc5;
    for (let x = a; x < b; x++) h = Math.imul(h ^ chars[x], 0x01000193);
    let slot = h & mask;
    for (;;) {
      const e = table[slot];
      if (e < 0) {
        table[slot] = k;
        break;
      }
      const ea = offsets[e];
      if (offsets[e + 1] - ea === b - a) {
        let same = true;
        for (let x = 0; x < b - a; x++) {
          if (chars[ea + x] !== chars[a + x]) {
            same = false;
            break;
          }
        }
        if (same) {
          canon[k] = e;
          break;
        }
      }
      slot = (slot + 1) & mask;
    }
  }
  const n = c.codes.length;
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) codes[i] = canon[c.codes[i]];
  return codes;
}
