/**
 * The audit trail: one hash chain per workbook, shared by the task pane (SEG_Audit sheet) and the
 * backend (which re-checks every entry it stores).
 * Canonical serialisation (version "seg-audit-v1"): JSON.stringify of an array holding the tag and
 * the hashed fields in AUDIT_HASHED_FIELDS order, every field a string ("" when absent).
 * entryHash = lowercase hex SHA-256 (FIPS 180-4, via Web Crypto) of that UTF-8 text.
 * The first entry of a workbook links to GENESIS_HASH. syncState is not hashed: it changes.
 * Text is well-formed UTF-16 (no lone surrogate, which UTF-8 storage cannot hold): sealEntries
 * replaces a lone surrogate with U+FFFD before hashing, and the backend refuses one with a 400, so
 * what is hashed is exactly what is stored on both ends.
 */
export const AUDIT_ACTIONS = ["classify-run", "override-set", "override-cleared", "policy-changed", "scenarios-compared", "network-policy-written", "forecast-override-set", "forecast-override-approved", "forecast-override-cleared", "decision-recorded", "reconciliation-recorded", "reconciliation-approved", "version-rolled-back", "change-requested", "change-approved", "data-quality-overridden", "change-rejected"] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const SYNC_STATES = ["pending", "synced"] as const;
export type SyncState = (typeof SYNC_STATES)[number];

export interface AuditEntry {
  entryId: string; // UUID v4
  timestamp: string; // ISO 8601 UTC, e.g. 2026-11-25T10:00:00.000Z
  user: string;
  workbookId: string; // GUID kept in the workbook's settings
  action: AuditAction;
  sku: string;
  field: string;
  oldValue: string;
  newValue: string;
  reason: string;
  modelVersion: string;
  prevHash: string;
  entryHash: string;
}

/** Fields covered by the hash, in canonical order. */
export const AUDIT_HASHED_FIELDS = [
  "entryId",
  "timestamp",
  "user",
  "workbookId",
  "action",
  "sku",
  "field",
  "oldValue",
  "newValue",
  "reason",
  "modelVersion",
  "prevHash",
] as const satisfies readonly (keyof AuditEntry)[];

export const GENESIS_HASH = "0".repeat(64);
const CANONICAL_TAG = "seg-audit-v1";

export type UnsealedEntry = Omit<AuditEntry, "prevHash" | "entryHash">;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, "g");

/** Index of the first lone UTF-16 surrogate (half of a pair) in `text`, or -1. */
export function loneSurrogateAt(text: string): number {
  const m = LONE_SURROGATE.exec(text);
  return m ? m.index : -1;
}

/** `text` with every lone surrogate replaced by U+FFFD (what a UTF-8 encoder stores instead). */
export function wellFormedText(text: string): string {
  return loneSurrogateAt(text) < 0 ? text : text.replace(LONE_SURROGATES, "\uFFFD");
}

/** Text fields of an entry (those a user's cell can fill). */
const AUDIT_TEXT_FIELDS = ["user", "sku", "field", "oldValue", "newValue", "reason", "modelVersion"] as const satisfies readonly (keyof UnsealedEntry)[];

export function canonicalAuditText(entry: Omit<AuditEntry, "entryHash">): string {
  return JSON.stringify([CANONICAL_TAG, ...AUDIT_HASHED_FIELDS.map((f) => String(entry[f] ?? ""))]);
}

export async function sha256Hex(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  const bytes = new Uint8Array(digest);
  let hex = "";
  for (let i = 0; i < bytes.length; i++) hex += bytes[i].toString(16).padStart(2, "0");
  return hex;
}

export async function hashAuditEntry(entry: Omit<AuditEntry, "entryHash">): Promise<string> {
  return sha256Hex(canonicalAuditText(entry));
}

/**
 * Links entries to the chain after `prevHash`, in order, and computes their hashes. Text fields
 * are made well-formed first (wellFormedText), so the sealed entry is what the backend stores.
 */
export async function sealEntries(entries: readonly UnsealedEntry[], prevHash: string): Promise<AuditEntry[]> {
  const sealed: AuditEntry[] = [];
  let prev = prevHash;
  for (const e of entries) {
    const linked = { ...e, prevHash: prev };
    for (const f of AUDIT_TEXT_FIELDS) linked[f] = wellFormedText(linked[f]);
    const entryHash = await hashAuditEntry(linked);
    sealed.push({ ...linked, entryHash });
    prev = entryHash;
  }
  return sealed;
}

export type ChainCheck =
  | { ok: true; count: number; lastHash: string }
  | { ok: false; index: number; entryId: string; reason: string };

/**
 * Checks a run of entries in chain order. `prevHash` is the hash the first entry must link to
 * (GENESIS_HASH for a whole trail). Names the first entry that is altered or out of place.
 * `hash` computes an entry's hash; the backend passes the same canonical text through Node's
 * synchronous SHA-256, which is much faster than one Web Crypto call per entry.
 */
export async function verifyChain(
  entries: readonly AuditEntry[],
  prevHash: string = GENESIS_HASH,
  hash: (entry: Omit<AuditEntry, "entryHash">) => Promise<string> | string = hashAuditEntry,
): Promise<ChainCheck> {
  let prev = prevHash;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    if (e.prevHash !== prev) {
      return {
        ok: false,
        index: i,
        entryId: e.entryId,
        reason:
          i === 0 && prevHash === GENESIS_HASH
            ? "first entry does not start the chain (an earlier entry is missing)"
            : "does not link to the entry before it (an entry was removed, inserted or reordered)",
      };
    }
    const expected = await hash(e);
    if (expected !== e.entryHash) {
      return { ok: false, index: i, entryId: e.entryId, reason: "content does not match its hash (the entry was edited)" };
    }
    prev = e.entryHash;
  }
  return { ok: true, count: entries.length, lastHash: prev };
}
