/**
 * Merkle tree hashing of RFC 6962 §2.1 (= RFC 9162 §2.1), the tree of Certificate Transparency:
 *   MTH({})       = SHA-256()                         (empty tree)
 *   MTH({d0})     = SHA-256(0x00 || d0)               (leaf hash, prefix 0x00)
 *   MTH(D[n])     = SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n])), k the largest power of 2 < n
 * with proof generation (RFC 6962 §2.1.1 PATH, §2.1.2 PROOF/SUBPROOF) for the server and proof
 * verification (RFC 9162 §2.1.3.2 inclusion, §2.1.4.2 consistency) for every client: the pane,
 * the verify CLI and a controller's own script. Pure: SHA-256 comes from ./sha256 (or a faster
 * function passed in, e.g. Node's crypto on the server; both are FIPS 180-4 SHA-256).
 *
 * Sizes and indices are JavaScript numbers (exact up to 2^53); shifts are done by division, not
 * with the 32-bit bitwise operators.
 */
import { Sha256 } from "./sha256";

/** SHA-256 of one byte string. */
export type HashFn = (data: Uint8Array) => Uint8Array;

export const HASH_SIZE = 32;
export const LEAF_PREFIX = 0x00;
export const NODE_PREFIX = 0x01;

export const sha256: HashFn = (data) => new Sha256().update(data).digest();

/** MTH({}) = SHA-256 of the empty string. */
export function emptyRoot(hash: HashFn = sha256): Uint8Array {
  return hash(new Uint8Array(0));
}

/** MTH({d}) = SHA-256(0x00 || d). */
export function leafHash(data: Uint8Array, hash: HashFn = sha256): Uint8Array {
  const buf = new Uint8Array(data.length + 1);
  buf[0] = LEAF_PREFIX;
  buf.set(data, 1);
  return hash(buf);
}

/** SHA-256(0x01 || left || right). */
export function nodeHash(left: Uint8Array, right: Uint8Array, hash: HashFn = sha256): Uint8Array {
  const buf = new Uint8Array(1 + left.length + right.length);
  buf[0] = NODE_PREFIX;
  buf.set(left, 1);
  buf.set(right, 1 + left.length);
  return hash(buf);
}

/** The largest power of 2 strictly less than n (n >= 2). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function isPowerOfTwo(n: number): boolean {
  if (n < 1 || !Number.isInteger(n)) return false;
  while (n > 1) {
    if (n % 2 !== 0) return false;
    n /= 2;
  }
  return true;
}

const lsb = (x: number) => x % 2 === 1;
const half = (x: number) => Math.floor(x / 2);

function checkSize(name: string, n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${name} must be a non-negative integer, got ${n}`);
}

/**
 * An append-only Merkle tree over leaf hashes that keeps every complete aligned subtree hash
 * (level k, entry j = MTH(D[j·2^k : (j+1)·2^k])), so a root or a proof for any size needs only
 * O(log² n) lookups and hashes, whatever the size. Memory: about 2 hashes (64 bytes) per leaf.
 */
export class MerkleTree {
  private readonly levels: Uint8Array[] = [];
  private readonly counts: number[] = [];
  private readonly hash: HashFn;

  constructor(hash: HashFn = sha256) {
    this.hash = hash;
  }

  /** Number of leaves. */
  get size(): number {
    return this.counts[0] ?? 0;
  }

  /** Appends a leaf by its leaf hash (already MTH({d}), see leafHash). Returns its index. */
  appendLeafHash(h: Uint8Array): number {
    if (h.length !== HASH_SIZE) throw new RangeError(`a leaf hash has ${HASH_SIZE} bytes, got ${h.length}`);
    const index = this.size;
    let level = 0;
    let node = h;
    for (;;) {
      this.push(level, node);
      const count = this.counts[level];
      if (count % 2 !== 0) break;
      node = nodeHash(this.at(level, count - 2), node, this.hash);
      level += 1;
    }
    return index;
  }

  /** Appends a leaf by its data (hashed with the 0x00 prefix). Returns its index. */
  appendData(data: Uint8Array): number {
    return this.appendLeafHash(leafHash(data, this.hash));
  }

  /** The leaf hash at `index` (0-based). */
  leaf(index: number): Uint8Array {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.size) throw new RangeError(`leaf ${index} is outside the tree (size ${this.size})`);
    return this.at(0, index);
  }

  /** MTH of the first `size` leaves (default: all). */
  root(size: number = this.size): Uint8Array {
    this.checkWithin("size", size);
    return this.rangeHash(0, size);
  }

  /** RFC 6962 §2.1.1 PATH(m, D[n]): the audit path of leaf m in the tree of the first n leaves. */
  inclusionProof(index: number, size: number = this.size): Uint8Array[] {
    this.checkWithin("size", size);
    if (!Number.isSafeInteger(index) || index < 0 || index >= size) throw new RangeError(`leaf index ${index} is not in a tree of size ${size}`);
    const path: Uint8Array[] = [];
    // PATH(m, D[start:end]) iteratively; siblings are collected top-down, the proof lists them bottom-up.
    let start = 0;
    let end = size;
    let m = index;
    while (end - start > 1) {
      const k = splitPoint(end - start);
      if (m < k) {
        path.push(this.rangeHash(start + k, end));
        end = start + k;
      } else {
        path.push(this.rangeHash(start, start + k));
        start += k;
        m -= k;
      }
    }
    return path.reverse();
  }

  /** RFC 6962 §2.1.2 PROOF(m, D[n]) = SUBPROOF(m, D[n], true), for 0 <= m <= n; empty when m is 0 or n. */
  consistencyProof(oldSize: number, newSize: number = this.size): Uint8Array[] {
    this.checkWithin("newSize", newSize);
    checkSize("oldSize", oldSize);
    if (oldSize > newSize) throw new RangeError(`old size ${oldSize} is larger than new size ${newSize}`);
    if (oldSize === 0 || oldSize === newSize) return [];
    const proof: Uint8Array[] = [];
    // SUBPROOF(m, D[start:end], b) iteratively, collecting the right-hand terms top-down.
    let start = 0;
    let end = newSize;
    let m = oldSize;
    let complete = true;
    while (m !== end - start) {
      const n = end - start;
      const k = splitPoint(n);
      if (m <= k) {
        proof.push(this.rangeHash(start + k, end));
        end = start + k;
      } else {
        proof.push(this.rangeHash(start, start + k));
        start += k;
        m -= k;
        complete = false;
      }
    }
    // SUBPROOF(m, D[m], true) = {}; SUBPROOF(m, D[m], false) = {MTH(D[m])}.
    if (!complete) proof.push(this.rangeHash(start, end));
    return proof.reverse();
  }

  /** MTH(D[start:end]), from stored complete subtrees where they line up. */
  rangeHash(start: number, end: number): Uint8Array {
    const n = end - start;
    if (n === 0) return emptyRoot(this.hash);
    if (isPowerOfTwo(n) && start % n === 0) {
      let level = 0;
      for (let s = n; s > 1; s /= 2) level++;
      return this.at(level, start / n);
    }
    const k = splitPoint(n);
    return nodeHash(this.rangeHash(start, start + k), this.rangeHash(start + k, end), this.hash);
  }

  private checkWithin(name: string, size: number): void {
    checkSize(name, size);
    if (size > this.size) throw new RangeError(`${name} ${size} is larger than the tree (${this.size} leaves)`);
  }

  private at(level: number, index: number): Uint8Array {
    return this.levels[level].subarray(index * HASH_SIZE, (index + 1) * HASH_SIZE);
  }

  private push(level: number, h: Uint8Array): void {
    if (this.levels.length <= level) {
      this.levels.push(new Uint8Array(HASH_SIZE * 64));
      this.counts.push(0);
    }
    const count = this.counts[level];
    let buf = this.levels[level];
    if ((count + 1) * HASH_SIZE > buf.length) {
      const bigger = new Uint8Array(buf.length * 2);
      bigger.set(buf);
      buf = bigger;
      this.levels[level] = buf;
    }
    buf.set(h, count * HASH_SIZE);
    this.counts[level] = count + 1;
  }
}

/** MTH of a list of leaf hashes. */
export function rootOf(leafHashes: readonly Uint8Array[], hash: HashFn = sha256): Uint8Array {
  const tree = new MerkleTree(hash);
  for (const h of leafHashes) tree.appendLeafHash(h);
  return tree.root();
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

/**
 * RFC 9162 §2.1.3.2: the root hash an inclusion proof leads to, or null when the proof cannot
 * be a proof for this index and size (wrong length, index outside the tree).
 */
export function rootFromInclusionProof(
  index: number,
  size: number,
  leaf: Uint8Array,
  proof: readonly Uint8Array[],
  hash: HashFn = sha256,
): Uint8Array | null {
  // 1. leaf_index >= tree_size fails.
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return null;
  if (leaf.length !== HASH_SIZE || proof.some((p) => p.length !== HASH_SIZE)) return null;
  // 2. fn = leaf_index, sn = tree_size - 1; 3. r = hash.
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  // 4. For each p in the path:
  for (const p of proof) {
    // a. sn = 0 fails.
    if (sn === 0) return null;
    // b. LSB(fn) set, or fn = sn: r = HASH(0x01 || p || r), then shift while LSB(fn) unset and fn != 0.
    if (lsb(fn) || fn === sn) {
      r = nodeHash(p, r, hash);
      if (!lsb(fn)) {
        while (!lsb(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      // otherwise r = HASH(0x01 || r || p).
      r = nodeHash(r, p, hash);
    }
    // c. shift once.
    fn = half(fn);
    sn = half(sn);
  }
  // 5. sn must be 0.
  return sn === 0 ? r : null;
}

/** RFC 9162 §2.1.3.2: does `proof` show that `leaf` is leaf `index` of the tree (size, root)? */
export function verifyInclusion(
  index: number,
  size: number,
  leaf: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
  hash: HashFn = sha256,
): boolean {
  const r = rootFromInclusionProof(index, size, leaf, proof, hash);
  return r !== null && bytesEqual(r, root);
}

/**
 * RFC 9162 §2.1.4.2: does `proof` show that the tree (size1, root1) is a prefix of the tree
 * (size2, root2)? Edge cases as in RFC 9162 and Trillian / transparency-dev: size1 = size2 needs an
 * empty proof and equal roots; size1 = 0 is consistent with anything (empty proof); size1 > size2 fails.
 */
export function verifyConsistency(
  size1: number,
  size2: number,
  root1: Uint8Array,
  root2: Uint8Array,
  proof: readonly Uint8Array[],
  hash: HashFn = sha256,
): boolean {
  if (!Number.isSafeInteger(size1) || !Number.isSafeInteger(size2) || size1 < 0 || size2 < size1) return false;
  if (size1 === size2) return proof.length === 0 && bytesEqual(root1, root2);
  if (size1 === 0) return proof.length === 0;
  if (proof.some((p) => p.length !== HASH_SIZE) || root1.length !== HASH_SIZE || root2.length !== HASH_SIZE) return false;
  // 1. An empty path fails.
  if (proof.length === 0) return false;
  // 2. first an exact power of 2: prepend first_hash.
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : [...proof];
  // 3. fn = first - 1, sn = second - 1.
  let fn = size1 - 1;
  let sn = size2 - 1;
  // 4. While LSB(fn) is set, shift both.
  while (lsb(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  // 5. fr = sr = first value of the path.
  let fr = path[0];
  let sr = path[0];
  // 6. For each subsequent value c:
  for (let i = 1; i < path.length; i++) {
    const c = path[i];
    // a. sn = 0 fails.
    if (sn === 0) return false;
    // b. LSB(fn) set or fn = sn: fr = HASH(0x01 || c || fr), sr = HASH(0x01 || c || sr), then shift while LSB(fn) unset and fn != 0.
    if (lsb(fn) || fn === sn) {
      fr = nodeHash(c, fr, hash);
      sr = nodeHash(c, sr, hash);
      if (!lsb(fn)) {
        while (!lsb(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      // otherwise sr = HASH(0x01 || sr || c).
      sr = nodeHash(sr, c, hash);
    }
    // c. shift once.
    fn = half(fn);
    sn = half(sn);
  }
  // 7. fr = first_hash, sr = second_hash, sn = 0.
  return sn === 0 && bytesEqual(fr, root1) && bytesEqual(sr, root2);
}

export function toHex(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += bytes[i].toString(16).padStart(2, "0");
  return s;
}

/** Bytes of a hex string (even length, 0-9a-f either case); throws naming what is wrong. */
export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new Error(`"${hex.slice(0, 20)}${hex.length > 20 ? "…" : ""}" is not hex`);
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}
