/**
 * What the server signs about a workbook's audit trail, and how any client checks it.
 *
 * - Audit leaf (seg-audit-leaf-v1): one per stored entry, in chain order. Its data is the UTF-8
 *   text JSON.stringify(["seg-audit-leaf-v1", workbookId, seq, entryId, entryHash, receivedBy,
 *   receivedAt]); its hash is the RFC 6962 leaf hash SHA-256(0x00 || data) (./merkle.ts). The
 *   entryHash covers the entry's content (./audit.ts), so the leaf covers content, position,
 *   sender and receive time. A verifier recomputes entryHash from the content, never trusts it.
 * - Tree head (seg-tree-head-v1): workbook id, tree size, root hash (hex MTH of the first
 *   `treeSize` leaves), time (ISO 8601 UTC) and the id of the signing key; signed with Ed25519
 *   over JSON.stringify(["seg-tree-head-v1", keyId, workbookId, treeSize, rootHash, timestamp]).
 * - Batch receipt (seg-receipt-v1): the head right after an accepted batch and, for each entry the
 *   batch stored, its seq, entryId, entryHash, sender and receive time; signed over
 *   JSON.stringify(["seg-receipt-v1", <head array as above>, [[seq, entryId, entryHash,
 *   receivedBy, receivedAt], …]]). Who sent an entry and when is therefore signed twice: in the
 *   leaf under every later head, and in the receipt.
 * JSON.stringify of arrays of strings and safe integers is deterministic (ECMA-262 §25.5.2), and
 * escapes lone surrogates (well-formed JSON.stringify, ES2019), so the text is the same everywhere.
 * Key id = lowercase hex SHA-256 of the key's DER SubjectPublicKeyInfo (the log id of RFC 6962 §3.2).
 * Signatures are checked with Web Crypto's Ed25519 (RFC 8032), available in Node 20 and in current
 * Chromium (WebView2), Safari and Firefox; where it is missing, verifySignature throws
 * SignatureUnsupportedError and the proofs (pure SHA-256) can still be checked.
 */
import type { AuditEntry } from "./audit";
import { fromHex, leafHash, sha256, toHex, type HashFn } from "./merkle";

export const AUDIT_LEAF_VERSION = "seg-audit-leaf-v1";
export const TREE_HEAD_VERSION = "seg-tree-head-v1";
export const RECEIPT_VERSION = "seg-receipt-v1";
export const SIGNATURE_ALGORITHM = "Ed25519";

/** An audit entry as the server holds it: the entry plus its position, sender and receive time. */
export interface LedgerEntry extends AuditEntry {
  /** Position in the workbook's chain, 1-based (leaf index + 1). */
  seq: number;
  /** Server time (ISO 8601 UTC) its batch was committed. */
  receivedAt: string;
  /** Name of the token that sent it. */
  receivedBy: string;
}

/** What a leaf covers. */
export type LeafFields = Pick<LedgerEntry, "workbookId" | "seq" | "entryId" | "entryHash" | "receivedBy" | "receivedAt">;

export interface TreeHead {
  workbookId: string;
  treeSize: number;
  /** Lowercase hex MTH of the first treeSize leaves. */
  rootHash: string;
  /** When the server signed it, ISO 8601 UTC. */
  timestamp: string;
  /** Which server key signed it (see keyIdOf). */
  keyId: string;
}

export interface SignedTreeHead extends TreeHead {
  /** Ed25519 signature of treeHeadBytes, base64. */
  signature: string;
}

export interface ReceiptEntry {
  seq: number;
  entryId: string;
  entryHash: string;
  receivedBy: string;
  receivedAt: string;
}

export interface BatchReceipt {
  /** The tree head right after the batch (treeSize = entries in the trail after it). */
  head: SignedTreeHead;
  /** The entries this batch stored (not those already stored), in chain order. */
  entries: ReceiptEntry[];
  /** Ed25519 signature of receiptBytes, base64. */
  signature: string;
}

/** A server signing key as published (GET /api/v1/server-key). */
export interface ServerPublicKey {
  keyId: string;
  algorithm: typeof SIGNATURE_ALGORITHM;
  /** The 32-byte Ed25519 public key, base64. */
  publicKey: string;
}

const utf8 = (s: string) => new TextEncoder().encode(s);

export function auditLeafText(e: LeafFields): string {
  return JSON.stringify([AUDIT_LEAF_VERSION, e.workbookId, e.seq, e.entryId, e.entryHash, e.receivedBy, e.receivedAt]);
}

/** The RFC 6962 leaf hash of a stored entry. */
export function auditLeafHash(e: LeafFields, hash: HashFn = sha256): Uint8Array {
  return leafHash(utf8(auditLeafText(e)), hash);
}

function headArray(h: TreeHead): (string | number)[] {
  return [TREE_HEAD_VERSION, h.keyId, h.workbookId, h.treeSize, h.rootHash, h.timestamp];
}

/** The bytes a tree head's signature covers. */
export function treeHeadBytes(h: TreeHead): Uint8Array {
  return utf8(JSON.stringify(headArray(h)));
}

/** The bytes a receipt's signature covers. */
export function receiptBytes(head: TreeHead, entries: readonly ReceiptEntry[]): Uint8Array {
  return utf8(
    JSON.stringify([RECEIPT_VERSION, headArray(head), entries.map((e) => [e.seq, e.entryId, e.entryHash, e.receivedBy, e.receivedAt])]),
  );
}

/** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410 §4): SEQUENCE { AlgorithmIdentifier 1.3.101.112, BIT STRING }. */
const ED25519_SPKI_PREFIX = fromHex("302a300506032b6570032100");

export function ed25519Spki(raw: Uint8Array): Uint8Array {
  if (raw.length !== 32) throw new Error(`an Ed25519 public key has 32 bytes, got ${raw.length}`);
  const out = new Uint8Array(ED25519_SPKI_PREFIX.length + 32);
  out.set(ED25519_SPKI_PREFIX);
  out.set(raw, ED25519_SPKI_PREFIX.length);
  return out;
}

/** Key id: lowercase hex SHA-256 of the DER SubjectPublicKeyInfo (as RFC 6962 §3.2 names a log). */
export function keyIdOf(rawPublicKey: Uint8Array): string {
  return toHex(sha256(ed25519Spki(rawPublicKey)));
}

export function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return btoa(s);
}

export function fromBase64(b64: string): Uint8Array {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

export class SignatureUnsupportedError extends Error {
  constructor(cause: string) {
    super(`this environment cannot check Ed25519 signatures (Web Crypto: ${cause}); the Merkle proofs can still be checked`);
    this.name = "SignatureUnsupportedError";
  }
}

/** Ed25519 (RFC 8032) verification with Web Crypto. Throws SignatureUnsupportedError when unavailable. */
export async function verifySignature(rawPublicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): Promise<boolean> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw new SignatureUnsupportedError("crypto.subtle is missing");
  let key: CryptoKey;
  try {
    key = await subtle.importKey("raw", rawPublicKey as BufferSource, { name: SIGNATURE_ALGORITHM }, false, ["verify"]);
  } catch (e) {
    if (rawPublicKey.length !== 32) return false;
    throw new SignatureUnsupportedError((e as Error).message);
  }
  if (signature.length !== 64) return false;
  return subtle.verify({ name: SIGNATURE_ALGORITHM }, key, signature as BufferSource, message as BufferSource);
}

export type Check = { ok: true } | { ok: false; reason: string };

const HEX64 = /^[0-9a-f]{64}$/;

function keyFor(keyId: string, keys: readonly ServerPublicKey[]): ServerPublicKey | undefined {
  return keys.find((k) => k.keyId === keyId);
}

async function checkSigned(what: string, keyId: string, keys: readonly ServerPublicKey[], message: Uint8Array, signature: string): Promise<Check> {
  const key = keyFor(keyId, keys);
  if (!key) return { ok: false, reason: `${what} is signed by key ${keyId.slice(0, 16)}…, which is not among the server keys you trust` };
  let raw: Uint8Array;
  let sig: Uint8Array;
  try {
    raw = fromBase64(key.publicKey);
    sig = fromBase64(signature);
  } catch {
    return { ok: false, reason: `${what}: the key or signature is not base64` };
  }
  if (keyIdOf(raw) !== key.keyId) return { ok: false, reason: `server key ${key.keyId.slice(0, 16)}…: its id does not match the key` };
  return (await verifySignature(raw, message, sig)) ? { ok: true } : { ok: false, reason: `${what}: the signature does not verify (altered, or not signed by the server)` };
}

/** The head is well formed and signed by one of `keys`. */
export async function verifyTreeHead(head: SignedTreeHead, keys: readonly ServerPublicKey[]): Promise<Check> {
  if (!Number.isSafeInteger(head.treeSize) || head.treeSize < 0) return { ok: false, reason: `tree head: size ${head.treeSize} is not a count` };
  if (!HEX64.test(head.rootHash)) return { ok: false, reason: "tree head: rootHash is not 64 hex digits" };
  return checkSigned(`tree head of "${head.workbookId}" at size ${head.treeSize}`, head.keyId, keys, treeHeadBytes(head), head.signature);
}

/** The receipt and its head are signed by one of `keys`, and its entries end at the head's size. */
export async function verifyReceipt(receipt: BatchReceipt, keys: readonly ServerPublicKey[]): Promise<Check> {
  const head = await verifyTreeHead(receipt.head, keys);
  if (!head.ok) return head;
  const n = receipt.entries.length;
  for (let i = 0; i < n; i++) {
    if (receipt.entries[i].seq !== receipt.head.treeSize - n + 1 + i) {
      return { ok: false, reason: `receipt: entry ${receipt.entries[i].entryId} has seq ${receipt.entries[i].seq}, not its place before the head's size ${receipt.head.treeSize}` };
    }
  }
  return checkSigned("receipt", receipt.head.keyId, keys, receiptBytes(receipt.head, receipt.entries), receipt.signature);
}
