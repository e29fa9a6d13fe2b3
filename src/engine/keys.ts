/**
 * Keys of order-line tables as dense integer codes, and an index of integer pairs, for the
 * dimension aggregation (dimensions.ts) and cost-to-serve (costToServe.ts). Pure, columnar.
 *
 * encodeKeys: first-seen order (the first distinct key gets code 0). A key is the cell's text,
 * trimmed; a number is written with String(x) (so 1001 and "1001" are the same key). A blank cell
 * (null, undefined, "" or only spaces) gets code -1 and a CellError naming the field.
 *
 * PairIndex: open addressing with linear probing on (a, b) pairs of non-negative int32, capacity a
 * power of two kept at most half full, multiplicative hashing (Knuth, TAOCP vol. 3, 6.4: multiply
 * by a constant near 2^32/phi and keep the high bits). Codes are handed out in first-seen order.
 */
import { CellError, cellError } from "./errors";

export interface EncodedKeys {
  /** Code per row into keys; -1 for a blank cell. */
  codes: Int32Array;
  /** Distinct keys in first-seen order. */
  keys: string[];
  /** Blank rows, by row index. */
  issues: Map<number, CellError>;
}

export function encodeKeys(cells: ArrayLike<unknown>, field: string): EncodedKeys {
  const n = cells.length;
  const codes = new Int32Array(n);
  const keys: string[] = [];
  const index = new Map<string, number>();
  const issues = new Map<number, CellError>();
  const blank = cellError(`${field} is blank`);
  for (let i = 0; i < n; i++) {
    const c = cells[i];
    const s = typeof c === "string" ? c.trim() : typeof c === "number" && Number.isFinite(c) ? String(c) : c === null || c === undefined ? "" : String(c).trim();
    if (s === "") {
      codes[i] = -1;
      issues.set(i, blank);
      continue;
    }
    let k = index.get(s);
    if (k === undefined) {
      k = keys.length;
      keys.push(s);
      index.set(s, k);
    }
    codes[i] = k;
  }
  return { codes, keys, issues };
}

const HASH_A = 0x9e3779b1 | 0;
const HASH_B = 0x85ebca77 | 0;

/** Dense codes for (a, b) pairs of non-negative int32, first-seen order. */
export class PairIndex {
  private bits: number;
  private slotA: Int32Array;
  private slotB: Int32Array;
  private slotCode: Int32Array;
  /** First and second element of each pair, by code (valid up to size). */
  firstOf: Int32Array;
  secondOf: Int32Array;
  size = 0;

  constructor(expected = 1024) {
    let bits = 4;
    while (1 << bits < 2 * expected) bits++;
    this.bits = bits;
    const cap = 1 << bits;
    this.slotA = new Int32Array(cap).fill(-1);
    this.slotB = new Int32Array(cap);
    this.slotCode = new Int32Array(cap);
    this.firstOf = new Int32Array(Math.max(16, expected));
    this.secondOf = new Int32Array(Math.max(16, expected));
  }

  /** The code of (a, b), adding the pair when it is new. a, b >= 0. */
  code(a: number, b: number): number {
    const mask = (1 << this.bits) - 1;
    let h = (Math.imul(a, HASH_A) ^ Math.imul(b + 0x165667b1, HASH_B)) >>> (32 - this.bits);
    const sa = this.slotA;
    for (;;) {
      const x = sa[h];
      if (x === -1) break;
      if (x === a && this.slotB[h] === b) return this.slotCode[h];
      h = (h + 1) & mask;
    }
    const c = this.size++;
    sa[h] = a;
    this.slotB[h] = b;
    this.slotCode[h] = c;
    if (c >= this.firstOf.length) {
      const f = new Int32Array(this.firstOf.length * 2);
      f.set(this.firstOf);
      this.firstOf = f;
      const s = new Int32Array(this.secondOf.length * 2);
      s.set(this.secondOf);
      this.secondOf = s;
    }
    this.firstOf[c] = a;
    this.secondOf[c] = b;
    if (2 * this.size > 1 << this.bits) this.grow();
    return c;
  }

  /** The code of (a, b), or -1 when the pair was never added. */
  find(a: number, b: number): number {
    const mask = (1 << this.bits) - 1;
    let h = (Math.imul(a, HASH_A) ^ Math.imul(b + 0x165667b1, HASH_B)) >>> (32 - this.bits);
    for (;;) {
      const x = this.slotA[h];
      if (x === -1) return -1;
      if (x === a && this.slotB[h] === b) return this.slotCode[h];
      h = (h + 1) & mask;
    }
  }

  private grow(): void {
    const bits = this.bits + 1;
    const cap = 1 << bits;
    const mask = cap - 1;
    const na = new Int32Array(cap).fill(-1);
    const nb = new Int32Array(cap);
    const nc = new Int32Array(cap);
    for (let c = 0; c < this.size; c++) {
      const a = this.firstOf[c];
      const b = this.secondOf[c];
      let h = (Math.imul(a, HASH_A) ^ Math.imul(b + 0x165667b1, HASH_B)) >>> (32 - bits);
      while (na[h] !== -1) h = (h + 1) & mask;
      na[h] = a;
      nb[h] = b;
      nc[h] = c;
    }
    this.bits = bits;
    this.slotA = na;
    this.slotB = nb;
    this.slotCode = nc;
  }
}
