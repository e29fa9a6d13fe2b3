/**
 * A compact, versioned store of earlier segmentation versions, kept in the workbook (cells of a very
 * hidden sheet) so that a run can be rolled back when no backend is connected.
 *
 * One version = one table: a key column (`sku`, unique text) and any number of typed columns,
 * normally what the Segments and Policy sheets show per SKU (ROLLBACK_COLUMNS). Each version is one
 * text (base64), either a full copy ("full") or a delta of its parent, the version stored before it
 * ("delta"); every `keyframeEvery`-th version, and any version whose delta would not be much smaller
 * than a full copy, is stored full, so a restore decodes at most keyframeEvery texts.
 *
 * Binary layout, format "seg-version-store" v1 (integers are unsigned LEB128 varints; signed ones
 * zigzag-coded first; floats IEEE-754 binary64 little-endian):
 *   "SGV1"                                     magic, 4 bytes
 *   varint n, n bytes UTF-8 JSON header        { f, v, kind, modelVersion, parent, parentRows, rows, columns: [{name, type}], meta }
 *   delta only: row map, per row of the new table: 0 = new row, else zigzag(p - (prev + 1)) + 1 where p is
 *               the row's index in the parent and prev the previous matched row's parent index
 *               (parent rows not referenced are the removed SKUs)
 *   per column: full: the column's values; delta: change set (byte 0 none / 1 all / 2 list:
 *               varint count, varint gaps) then the changed rows' values (new rows always count as changed)
 *   CRC-32 (ISO-HDLC / zlib polynomial 0xEDB88320), 4 bytes little-endian, over everything before it
 * Column codings:
 *   text    front coding: varint shared-prefix length (UTF-16 units) with the previous value, varint byte
 *           length, UTF-8 bytes of the rest (SKU lists share long prefixes);
 *   dict    varint dictionary size, entries (varint length + UTF-8), then one varint code per row
 *           (1 byte per row for up to 128 distinct labels: segments, methods, patterns);
 *   number  decimal-scaled integers when the values are exact decimals: byte d (0-6), byte hasNaN
 *           (+ bitmap), varint count of exceptions (varint index gap + float64 each), then
 *           zigzag(round(v * 10^d)) per remaining row; byte 255 then raw float64 otherwise. Decoding
 *           gives back the same doubles (v === round(v*10^d)/10^d is checked for every scaled value);
 *   flag    bitmap, bit i of byte i>>3.
 * Sizes measured for 100,000 SKUs are in docs/controllers.md (estimateVersionSize gives the estimate).
 */
import { ArgumentError } from "./errors";

export const STORE_FORMAT = "seg-version-store";
export const STORE_FORMAT_VERSION = 1;
/** Excel's limit on the characters of one cell. */
export const CELL_CHAR_LIMIT = 32_767;

export type ColumnType = "text" | "dict" | "number" | "flag";
export type StoredColumn =
  | { name: string; type: "text"; values: string[] }
  | { name: string; type: "dict"; values: string[] }
  | { name: string; type: "number"; values: Float64Array }
  | { name: string; type: "flag"; values: Uint8Array };

/** The first column is the key: text, one unique value per row. */
export interface VersionTable {
  rows: number;
  columns: StoredColumn[];
}

export interface VersionMeta {
  modelVersion: string;
  createdAt?: string;
  user?: string;
  /** The run's parameters (cut-offs, options, policy grid), JSON. */
  parameters?: unknown;
  [key: string]: unknown;
}

export interface VersionHeader {
  f: string;
  v: number;
  kind: "full" | "delta";
  modelVersion: string;
  parent: string | null;
  parentRows: number | null;
  rows: number;
  columns: { name: string; type: ColumnType }[];
  /** Number columns rounded to these decimals before storing (lossy, on request); absent when none. */
  rounded?: Record<string, number>;
  meta: VersionMeta;
}

/**
 * What a rollback of the Segments and Policy sheets needs per SKU, exactly: the Segments sheet's
 * columns and the per-SKU inputs of the policy. The Policy sheet's derived figures (service level,
 * method and review period from the grid; safety stock, reorder point, min, max, order quantity and
 * its source) are recomputed on restore by the engine (policy.ts skuPolicy) from these columns and
 * the grid and policy options kept in meta.parameters; the pane can keep a SHA-256 of the written
 * sheets in meta to prove the rebuilt cells are the ones written. Storing those derived doubles as
 * well would more than double the size (ten more raw float64 columns).
 */
export const ROLLBACK_COLUMNS: readonly { name: string; type: ColumnType }[] = [
  { name: "sku", type: "text" },
  { name: "description", type: "text" },
  { name: "value", type: "number" },
  { name: "cumShare", type: "number" },
  { name: "abc", type: "dict" },
  { name: "cv", type: "number" },
  { name: "xyz", type: "dict" },
  { name: "pattern", type: "dict" },
  { name: "segment", type: "dict" },
  { name: "override", type: "dict" },
  { name: "overrideReason", type: "dict" },
  { name: "demandMean", type: "number" },
  { name: "demandSd", type: "number" },
  { name: "leadTime", type: "number" },
  { name: "leadTimeSd", type: "number" },
  { name: "orderQty", type: "number" },
  { name: "unitCost", type: "number" },
];

// ------------------------------------------------------------------ bytes
class Writer {
  buf = new Uint8Array(1 << 16);
  len = 0;
  private readonly f64 = new DataView(new ArrayBuffer(8));
  private readonly f64Bytes = new Uint8Array(this.f64.buffer);
  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
  byte(b: number): void {
    this.ensure(1);
    this.buf[this.len++] = b;
  }
  /** Unsigned varint, exact for integers up to 2^53. */
  varint(x: number): void {
    this.ensure(8);
    while (x >= 128) {
      this.buf[this.len++] = (x % 128) | 128;
      x = Math.floor(x / 128);
    }
    this.buf[this.len++] = x;
  }
  zigzag(x: number): void {
    this.varint(x >= 0 ? 2 * x : -2 * x - 1);
  }
  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }
  float(x: number): void {
    this.ensure(8);
    this.f64.setFloat64(0, x, true);
    this.buf.set(this.f64Bytes, this.len);
    this.len += 8;
  }
  result(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }
}

class Reader {
  pos = 0;
  private readonly view: DataView;
  constructor(readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  byte(): number {
    if (this.pos >= this.buf.length) throw new ArgumentError("store", "the stored version is truncated");
    return this.buf[this.pos++];
  }
  varint(): number {
    let x = 0;
    let mul = 1;
    for (;;) {
      const b = this.byte();
      x += (b & 127) * mul;
      if (b < 128) return x;
      mul *= 128;
    }
  }
  zigzag(): number {
    const z = this.varint();
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }
  bytes(n: number): Uint8Array {
    if (this.pos + n > this.buf.length) throw new ArgumentError("store", "the stored version is truncated");
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  float(): number {
    if (this.pos + 8 > this.buf.length) throw new ArgumentError("store", "the stored version is truncated");
    const x = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return x;
  }
}

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder("utf-8", { fatal: false });

let crcTable: Uint32Array | null = null;
/** CRC-32 (ISO-HDLC, as zlib.crc32): reflected polynomial 0xEDB88320, init and final xor 0xFFFFFFFF. */
export function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = crcTable[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64_INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < 64; i++) B64_INDEX[B64.charCodeAt(i)] = i;

const B64_CODES = Uint8Array.from(B64, (c) => c.charCodeAt(0));
const ascii = new TextDecoder("utf-8");

/** RFC 4648 base64 with padding. */
export function toBase64(bytes: Uint8Array): string {
  const n = bytes.length;
  const out = new Uint8Array(Math.ceil(n / 3) * 4);
  let o = 0;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const x = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out[o++] = B64_CODES[x >> 18];
    out[o++] = B64_CODES[(x >> 12) & 63];
    out[o++] = B64_CODES[(x >> 6) & 63];
    out[o++] = B64_CODES[x & 63];
  }
  if (i < n) {
    const x = (bytes[i] << 16) | (i + 1 < n ? bytes[i + 1] << 8 : 0);
    out[o++] = B64_CODES[x >> 18];
    out[o++] = B64_CODES[(x >> 12) & 63];
    out[o++] = i + 1 < n ? B64_CODES[(x >> 6) & 63] : 61;
    out[o++] = 61;
  }
  return ascii.decode(out);
}

export function fromBase64(text: string): Uint8Array {
  const s = /\s/.test(text) ? text.replace(/\s+/g, "") : text;
  if (s.length % 4 !== 0) throw new ArgumentError("store", "the stored version is not base64 (length not a multiple of 4)");
  const pad = s.endsWith("==") ? 2 : s.endsWith("=") ? 1 : 0;
  const out = new Uint8Array((s.length / 4) * 3 - pad);
  const value = (i: number): number => {
    const ch = s.charCodeAt(i);
    const v = ch < 128 ? B64_INDEX[ch] : -1;
    if (v >= 0) return v;
    if (ch === 61 && i >= s.length - pad) return 0;
    throw new ArgumentError("store", `the stored version is not base64 (character ${i + 1})`);
  };
  let o = 0;
  for (let i = 0; i < s.length; i += 4) {
    const x = (value(i) << 18) | (value(i + 1) << 12) | (value(i + 2) << 6) | value(i + 3);
    if (o < out.length) out[o++] = (x >> 16) & 255;
    if (o < out.length) out[o++] = (x >> 8) & 255;
    if (o < out.length) out[o++] = x & 255;
  }
  return out;
}

// ------------------------------------------------------------------ column codings
function writeString(w: Writer, s: string): void {
  const b = utf8.encode(s);
  w.varint(b.length);
  w.bytes(b);
}

function readString(r: Reader): string {
  return utf8Decoder.decode(r.bytes(r.varint()));
}

function encodeText(w: Writer, values: readonly string[], rows: ArrayLike<number> | null): void {
  let prev = "";
  const n = rows ? rows.length : values.length;
  for (let k = 0; k < n; k++) {
    const s = values[rows ? rows[k] : k];
    let p = 0;
    const max = Math.min(prev.length, s.length, 65535);
    while (p < max && prev.charCodeAt(p) === s.charCodeAt(p)) p++;
    if (p > 0 && p < s.length) {
      const c = s.charCodeAt(p - 1);
      if (c >= 0xd800 && c <= 0xdbff) p--; // never split a surrogate pair
    }
    w.varint(p);
    writeString(w, s.slice(p));
    prev = s;
  }
}

function decodeText(r: Reader, n: number): string[] {
  const out: string[] = new Array(n);
  let prev = "";
  for (let k = 0; k < n; k++) {
    const p = r.varint();
    const s = prev.slice(0, p) + readString(r);
    out[k] = s;
    prev = s;
  }
  return out;
}

function encodeDict(w: Writer, values: readonly string[], rows: ArrayLike<number> | null): void {
  const n = rows ? rows.length : values.length;
  const dict = new Map<string, number>();
  const codes = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const s = values[rows ? rows[k] : k];
    let c = dict.get(s);
    if (c === undefined) dict.set(s, (c = dict.size));
    codes[k] = c;
  }
  w.varint(dict.size);
  for (const s of dict.keys()) writeString(w, s);
  for (let k = 0; k < n; k++) w.varint(codes[k]);
}

function decodeDict(r: Reader, n: number): string[] {
  const size = r.varint();
  const dict: string[] = [];
  for (let i = 0; i < size; i++) dict.push(readString(r));
  const out: string[] = new Array(n);
  for (let k = 0; k < n; k++) {
    const c = r.varint();
    if (c >= size) throw new ArgumentError("store", "a dictionary code is out of range (the stored version is damaged)");
    out[k] = dict[c];
  }
  return out;
}

const MAX_SCALED = 2 ** 52;
const RAW = 255;

function scaledExact(v: number, p: number): boolean {
  if (Object.is(v, -0)) return false;
  const m = Math.round(v * p);
  return Math.abs(m) <= MAX_SCALED && m / p === v;
}

/** The smallest decimal scale (0-6) at which at least 99 % of the finite values are exact, or RAW. */
function chooseScale(values: Float64Array, rows: ArrayLike<number> | null): number {
  const n = rows ? rows.length : values.length;
  let finite = 0;
  for (let k = 0; k < n; k++) if (!Number.isNaN(values[rows ? rows[k] : k])) finite++;
  if (finite === 0) return 0;
  for (let d = 0; d <= 6; d++) {
    const p = 10 ** d;
    let miss = 0;
    const allowed = Math.floor(finite * 0.01);
    for (let k = 0; k < n && miss <= allowed; k++) {
      const v = values[rows ? rows[k] : k];
      if (!Number.isNaN(v) && !scaledExact(v, p)) miss++;
    }
    if (miss <= allowed) return d;
  }
  return RAW;
}

function encodeNumbers(w: Writer, values: Float64Array, rows: ArrayLike<number> | null): void {
  const n = rows ? rows.length : values.length;
  const d = chooseScale(values, rows);
  w.byte(d);
  if (d === RAW) {
    for (let k = 0; k < n; k++) w.float(values[rows ? rows[k] : k]);
    return;
  }
  const p = 10 ** d;
  let hasNaN = false;
  for (let k = 0; k < n && !hasNaN; k++) hasNaN = Number.isNaN(values[rows ? rows[k] : k]);
  w.byte(hasNaN ? 1 : 0);
  if (hasNaN) {
    const bits = new Uint8Array((n + 7) >> 3);
    for (let k = 0; k < n; k++) if (Number.isNaN(values[rows ? rows[k] : k])) bits[k >> 3] |= 1 << (k & 7);
    w.bytes(bits);
  }
  const exceptions: number[] = [];
  for (let k = 0; k < n; k++) {
    const v = values[rows ? rows[k] : k];
    if (!Number.isNaN(v) && !scaledExact(v, p)) exceptions.push(k);
  }
  w.varint(exceptions.length);
  let last = -1;
  for (const k of exceptions) {
    w.varint(k - last - 1);
    w.float(values[rows ? rows[k] : k]);
    last = k;
  }
  let e = 0;
  for (let k = 0; k < n; k++) {
    const v = values[rows ? rows[k] : k];
    if (Number.isNaN(v)) continue;
    if (e < exceptions.length && exceptions[e] === k) {
      e++;
      continue;
    }
    w.zigzag(Math.round(v * p));
  }
}

function decodeNumbers(r: Reader, n: number): Float64Array {
  const out = new Float64Array(n);
  const d = r.byte();
  if (d === RAW) {
    for (let k = 0; k < n; k++) out[k] = r.float();
    return out;
  }
  if (d > 6) throw new ArgumentError("store", `unknown number coding ${d} (the stored version is damaged)`);
  const p = 10 ** d;
  const skip = new Uint8Array(n);
  if (r.byte() === 1) {
    const bits = r.bytes((n + 7) >> 3);
    for (let k = 0; k < n; k++) {
      if (bits[k >> 3] & (1 << (k & 7))) {
        out[k] = Number.NaN;
        skip[k] = 1;
      }
    }
  }
  const count = r.varint();
  let last = -1;
  for (let i = 0; i < count; i++) {
    const k = last + 1 + r.varint();
    if (k >= n) throw new ArgumentError("store", "an exception index is out of range (the stored version is damaged)");
    out[k] = r.float();
    skip[k] = 1;
    last = k;
  }
  for (let k = 0; k < n; k++) if (!skip[k]) out[k] = r.zigzag() / p;
  return out;
}

function encodeFlags(w: Writer, values: Uint8Array, rows: ArrayLike<number> | null): void {
  const n = rows ? rows.length : values.length;
  const bits = new Uint8Array((n + 7) >> 3);
  for (let k = 0; k < n; k++) if (values[rows ? rows[k] : k]) bits[k >> 3] |= 1 << (k & 7);
  w.bytes(bits);
}

function decodeFlags(r: Reader, n: number): Uint8Array {
  const bits = r.bytes((n + 7) >> 3);
  const out = new Uint8Array(n);
  for (let k = 0; k < n; k++) out[k] = bits[k >> 3] & (1 << (k & 7)) ? 1 : 0;
  return out;
}

function encodeColumn(w: Writer, col: StoredColumn, rows: ArrayLike<number> | null): void {
  if (col.type === "text") encodeText(w, col.values, rows);
  else if (col.type === "dict") encodeDict(w, col.values, rows);
  else if (col.type === "number") encodeNumbers(w, col.values, rows);
  else encodeFlags(w, col.values, rows);
}

function decodeColumn(r: Reader, type: ColumnType, n: number): string[] | Float64Array | Uint8Array {
  if (type === "text") return decodeText(r, n);
  if (type === "dict") return decodeDict(r, n);
  if (type === "number") return decodeNumbers(r, n);
  return decodeFlags(r, n);
}

function same(col: StoredColumn, i: number, parent: StoredColumn, p: number): boolean {
  if (col.type === "number") return Object.is(col.values[i], (parent.values as Float64Array)[p]);
  return col.values[i] === parent.values[p];
}

function validateTable(t: VersionTable, name: string): void {
  if (t.columns.length === 0 || t.columns[0].type !== "text") throw new ArgumentError(name, "the first column must be the text key (sku)");
  const names = new Set<string>();
  for (const c of t.columns) {
    if (c.values.length !== t.rows) throw new ArgumentError(name, `column ${c.name} has ${c.values.length} values for ${t.rows} rows`);
    if (names.has(c.name)) throw new ArgumentError(name, `column ${c.name} appears twice`);
    names.add(c.name);
  }
}

function keyIndex(t: VersionTable, name: string): Map<string, number> {
  const keys = t.columns[0].values as string[];
  const m = new Map<string, number>();
  for (let i = 0; i < keys.length; i++) {
    if (m.has(keys[i])) throw new ArgumentError(name, `key "${keys[i]}" appears twice (rows ${m.get(keys[i])! + 1} and ${i + 1})`);
    m.set(keys[i], i);
  }
  return m;
}

export interface EncodeOptions {
  /** Store as a delta of this table (the decoded parent version). */
  parent?: VersionTable;
  parentVersion?: string;
  /**
   * Round these number columns to so many decimals (0-6) before storing, e.g. { cv: 6 }: lossy but
   * stated in the header; exact decimals then take 2-4 bytes instead of 8.
   */
  round?: Readonly<Record<string, number>>;
}

/** The table with the named number columns rounded to their decimals (half away from zero for positives, as Math.round). */
export function roundColumns(table: VersionTable, round: Readonly<Record<string, number>>): VersionTable {
  for (const [name, d] of Object.entries(round)) {
    const col = table.columns.find((c) => c.name === name);
    if (!col || col.type !== "number") throw new ArgumentError("round", `${name} is not a number column of the table`);
    if (!(Number.isInteger(d) && d >= 0 && d <= 6)) throw new ArgumentError(`round.${name}`, `must be an integer number of decimals in [0, 6], got ${d}`);
  }
  return {
    rows: table.rows,
    columns: table.columns.map((c) => {
      const d = round[c.name];
      if (d === undefined || c.type !== "number") return c;
      const p = 10 ** d;
      return { name: c.name, type: "number", values: c.values.map((v) => (Number.isFinite(v) ? Math.round(v * p) / p : v)) };
    }),
  };
}

/** Encodes one version as base64 text (full, or a delta of `options.parent`). */
export function encodeVersion(input: VersionTable, meta: VersionMeta, options: EncodeOptions = {}): string {
  validateTable(input, "table");
  const table = options.round ? roundColumns(input, options.round) : input;
  const parent = options.parent;
  const w = new Writer();
  w.bytes(utf8.encode("SGV1"));
  let parentRow: Int32Array | null = null;
  if (parent) {
    validateTable(parent, "parent");
    if (!options.parentVersion) throw new ArgumentError("parentVersion", "a delta needs the parent's model version");
    const pc = parent.columns;
    if (pc.length !== table.columns.length || pc.some((c, k) => c.name !== table.columns[k].name || c.type !== table.columns[k].type)) {
      throw new ArgumentError("parent", "has other columns than the table: store a full version instead");
    }
    const idx = keyIndex(parent, "parent");
    keyIndex(table, "table");
    parentRow = new Int32Array(table.rows);
    const keys = table.columns[0].values as string[];
    for (let i = 0; i < table.rows; i++) parentRow[i] = idx.get(keys[i]) ?? -1;
  } else keyIndex(table, "table");
  const header: VersionHeader = {
    f: STORE_FORMAT,
    v: STORE_FORMAT_VERSION,
    kind: parent ? "delta" : "full",
    modelVersion: meta.modelVersion,
    parent: parent ? options.parentVersion! : null,
    parentRows: parent ? parent.rows : null,
    rows: table.rows,
    columns: table.columns.map((c) => ({ name: c.name, type: c.type })),
    ...(options.round && Object.keys(options.round).length > 0 ? { rounded: { ...options.round } } : {}),
    meta,
  };
  writeString(w, JSON.stringify(header));
  if (!parent || !parentRow) {
    for (const c of table.columns) encodeColumn(w, c, null);
  } else {
    let prev = -1;
    for (let i = 0; i < table.rows; i++) {
      const p = parentRow[i];
      if (p < 0) w.varint(0);
      else {
        const z = p - (prev + 1);
        w.varint((z >= 0 ? 2 * z : -2 * z - 1) + 1);
        prev = p;
      }
    }
    for (let k = 1; k < table.columns.length; k++) {
      const col = table.columns[k];
      const pcol = parent.columns[k];
      const changed: number[] = [];
      for (let i = 0; i < table.rows; i++) if (parentRow[i] < 0 || !same(col, i, pcol, parentRow[i])) changed.push(i);
      if (changed.length === 0) w.byte(0);
      else if (changed.length === table.rows) {
        w.byte(1);
        encodeColumn(w, col, null);
      } else {
        w.byte(2);
        w.varint(changed.length);
        let last = -1;
        for (const i of changed) {
          w.varint(i - last - 1);
          last = i;
        }
        encodeColumn(w, col, changed);
      }
    }
    const fresh: number[] = [];
    for (let i = 0; i < table.rows; i++) if (parentRow[i] < 0) fresh.push(i);
    w.varint(fresh.length);
    encodeText(w, table.columns[0].values as string[], fresh);
  }
  const body = w.result();
  const crc = crc32(body);
  w.byte(crc & 255);
  w.byte((crc >>> 8) & 255);
  w.byte((crc >>> 16) & 255);
  w.byte((crc >>> 24) & 255);
  return toBase64(w.result());
}

function openVersion(text: string): { r: Reader; header: VersionHeader } {
  const bytes = fromBase64(text);
  if (bytes.length < 8) throw new ArgumentError("store", "the stored version is truncated");
  const body = bytes.subarray(0, bytes.length - 4);
  const stored = (bytes[bytes.length - 4] | (bytes[bytes.length - 3] << 8) | (bytes[bytes.length - 2] << 16) | (bytes[bytes.length - 1] << 24)) >>> 0;
  if (crc32(body) !== stored) throw new ArgumentError("store", "the stored version is damaged (CRC-32 does not match)");
  const r = new Reader(body);
  if (utf8Decoder.decode(r.bytes(4)) !== "SGV1") throw new ArgumentError("store", "not a stored segmentation version (no SGV1 mark)");
  const header = JSON.parse(readString(r)) as VersionHeader;
  if (header.f !== STORE_FORMAT || header.v !== STORE_FORMAT_VERSION) throw new ArgumentError("store", `format ${header.f} v${header.v} is not ${STORE_FORMAT} v${STORE_FORMAT_VERSION}`);
  return { r, header };
}

/** The header of a stored version (model version, parent, kind, meta) without decoding its rows. */
export function readVersionHeader(text: string): VersionHeader {
  return openVersion(text).header;
}

/** Decodes a stored version; a delta needs its decoded parent. */
export function decodeVersion(text: string, parent?: VersionTable): { header: VersionHeader; table: VersionTable } {
  const { r, header } = openVersion(text);
  const n = header.rows;
  if (header.kind === "full") {
    const columns = header.columns.map((c) => ({ name: c.name, type: c.type, values: decodeColumn(r, c.type, n) }) as StoredColumn);
    return { header, table: { rows: n, columns } };
  }
  if (!parent) throw new ArgumentError("parent", `version ${header.modelVersion} is a delta of ${header.parent}: decode that one first`);
  if (parent.rows !== header.parentRows) throw new ArgumentError("parent", `version ${header.modelVersion} was stored against ${header.parentRows} rows of ${header.parent}, got ${parent.rows}`);
  const parentRow = new Int32Array(n);
  let prev = -1;
  for (let i = 0; i < n; i++) {
    const u = r.varint();
    if (u === 0) parentRow[i] = -1;
    else {
      const z = u - 1;
      const p = prev + 1 + (z % 2 === 0 ? z / 2 : -(z + 1) / 2);
      if (p < 0 || p >= parent.rows) throw new ArgumentError("store", "a row reference is out of range (the stored version is damaged)");
      parentRow[i] = p;
      prev = p;
    }
  }
  const key = parent.columns[0].values as string[];
  const keys: string[] = new Array(n);
  const columns: StoredColumn[] = [];
  for (let k = 0; k < header.columns.length; k++) {
    const { name, type } = header.columns[k];
    const pcol = parent.columns[k];
    if (!pcol || pcol.name !== name || pcol.type !== type) throw new ArgumentError("parent", `column ${k + 1} of the parent is not ${name} (${type})`);
    if (k === 0) {
      columns.push({ name, type: "text", values: keys });
      continue;
    }
    const mode = r.byte();
    let changed: number[] | null = null;
    if (mode === 2) {
      const count = r.varint();
      changed = [];
      let last = -1;
      for (let c = 0; c < count; c++) changed.push((last = last + 1 + r.varint()));
    } else if (mode !== 0 && mode !== 1) throw new ArgumentError("store", `unknown change-set mode ${mode} (the stored version is damaged)`);
    const fresh = mode === 0 ? null : decodeColumn(r, type, mode === 1 ? n : changed!.length);
    const pv = pcol.values;
    if (type === "number") {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = parentRow[i] >= 0 ? (pv as Float64Array)[parentRow[i]] : Number.NaN;
      if (fresh) (mode === 1 ? Array.from({ length: n }, (_, i) => i) : changed!).forEach((i, c) => (out[i] = (fresh as Float64Array)[c]));
      columns.push({ name, type, values: out });
    } else if (type === "flag") {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = parentRow[i] >= 0 ? (pv as Uint8Array)[parentRow[i]] : 0;
      if (fresh) (mode === 1 ? Array.from({ length: n }, (_, i) => i) : changed!).forEach((i, c) => (out[i] = (fresh as Uint8Array)[c]));
      columns.push({ name, type, values: out });
    } else {
      const out: string[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = parentRow[i] >= 0 ? (pv as string[])[parentRow[i]] : "";
      if (fresh) (mode === 1 ? Array.from({ length: n }, (_, i) => i) : changed!).forEach((i, c) => (out[i] = (fresh as string[])[c]));
      columns.push({ name, type, values: out } as StoredColumn);
    }
  }
  // keys: matched rows from the parent, new rows from the list after the columns
  const newKeys = r.varint();
  const fresh = decodeText(r, newKeys);
  let f = 0;
  for (let i = 0; i < n; i++) keys[i] = parentRow[i] >= 0 ? key[parentRow[i]] : fresh[f++];
  if (f !== newKeys) throw new ArgumentError("store", "the new-row keys do not match the row map (the stored version is damaged)");
  return { header, table: { rows: n, columns } };
}

// ------------------------------------------------------------------ the store: a chain of versions
export interface StoreOptions {
  /** Store a full copy at least every this many versions (default 10). */
  keyframeEvery?: number;
  /** Store a full copy when the delta is larger than this share of it (default 0.7). */
  maxDeltaRatio?: number;
}

/**
 * Encodes `table` for the store whose texts are `stored` (oldest first): a delta of the latest stored
 * version (`latest`, its decoded table) unless a full copy is due. Returns the text to append.
 */
export function appendVersion(stored: readonly string[], table: VersionTable, meta: VersionMeta, latest: VersionTable | null, options: StoreOptions = {}): { text: string; kind: "full" | "delta" } {
  const every = options.keyframeEvery ?? 10;
  const ratio = options.maxDeltaRatio ?? 0.7;
  const full = encodeVersion(table, meta);
  if (stored.length === 0 || !latest) return { text: full, kind: "full" };
  const headers = stored.map(readVersionHeader);
  const byVersion = new Map(headers.map((h) => [h.modelVersion, h]));
  let depth = 0;
  for (let h: VersionHeader | undefined = headers[headers.length - 1]; h && h.kind === "delta"; h = h.parent ? byVersion.get(h.parent) : undefined) depth++;
  const last = headers[headers.length - 1];
  const compatible = last.columns.length === table.columns.length && last.columns.every((c, k) => c.name === table.columns[k].name && c.type === table.columns[k].type);
  if (depth + 1 >= every || !compatible || latest.rows !== last.rows) return { text: full, kind: "full" };
  const delta = encodeVersion(table, meta, { parent: latest, parentVersion: last.modelVersion });
  return delta.length <= ratio * full.length ? { text: delta, kind: "delta" } : { text: full, kind: "full" };
}

/** Restores one version from the store's texts (any order): decodes from its nearest full copy forward. */
export function restoreVersion(stored: readonly string[], modelVersion: string): { header: VersionHeader; table: VersionTable } {
  const byVersion = new Map<string, string>();
  const headers = new Map<string, VersionHeader>();
  for (const t of stored) {
    const h = readVersionHeader(t);
    byVersion.set(h.modelVersion, t);
    headers.set(h.modelVersion, h);
  }
  const chain: string[] = [];
  for (let v: string | null = modelVersion; v !== null; ) {
    const h = headers.get(v);
    if (!h) throw new ArgumentError("modelVersion", chain.length === 0 ? `version ${v} is not in the store` : `version ${modelVersion} needs ${v}, which is no longer in the store`);
    if (chain.includes(v)) throw new ArgumentError("store", `the versions form a loop at ${v}`);
    chain.unshift(v);
    v = h.kind === "delta" ? h.parent : null;
  }
  let table: VersionTable | undefined;
  let header: VersionHeader | undefined;
  for (const v of chain) ({ header, table } = decodeVersion(byVersion.get(v)!, table));
  return { header: header!, table: table! };
}

/** Splits a stored text into cell-sized pieces (Excel holds at most 32,767 characters per cell). */
export function chunkText(text: string, size = 32_000): string[] {
  if (!(Number.isInteger(size) && size >= 4 && size <= CELL_CHAR_LIMIT)) throw new ArgumentError("size", `must be an integer in [4, ${CELL_CHAR_LIMIT}], got ${size}`);
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

export interface ColumnEstimate {
  type: ColumnType;
  /** text: average characters a value does not share with the previous one (default 8). */
  avgChars?: number;
  /** dict: distinct values (default 12). */
  distinct?: number;
  /** number: decimals that make the values exact, or null for raw doubles (default 2). */
  decimals?: number | null;
  /** number: typical magnitude (default 10,000). */
  magnitude?: number;
}

const varintBytes = (x: number) => Math.max(1, Math.ceil(Math.log2(x + 1) / 7));

/**
 * Estimated length in characters (base64) of one stored version of `rows` rows: a full copy when
 * changedShare = 1, a delta with that share of cells changed otherwise (new rows count as changed).
 */
export function estimateVersionSize(columns: readonly ColumnEstimate[], rows: number, changedShare = 1): number {
  const full = changedShare >= 1;
  let bytes = 4 + 600 + 4; // magic, header JSON with meta, CRC
  if (!full) bytes += rows; // row map, 1 byte per row when the order is kept
  columns.forEach((c, k) => {
    if (!full && k === 0) return;
    const n = full ? rows : Math.ceil(rows * changedShare);
    if (!full) bytes += 1 + (n < rows ? n * varintBytes(Math.max(1, rows / Math.max(1, n))) : 0);
    if (c.type === "text") bytes += n * (2 + (c.avgChars ?? 8));
    else if (c.type === "dict") bytes += (c.distinct ?? 12) * 8 + n * varintBytes(Math.max(0, (c.distinct ?? 12) - 1));
    else if (c.type === "number") bytes += 2 + n * (c.decimals === null ? 8 : varintBytes(2 * (c.magnitude ?? 10_000) * 10 ** (c.decimals ?? 2)));
    else bytes += Math.ceil(n / 8);
  });
  return Math.ceil(bytes / 3) * 4;
}
