/**
 * Client-side checks of a workbook's audit trail against tree heads the client kept, without
 * trusting the server's own verify: used by the pane (on each sync), `npm run verify` and tests.
 * Everything is recomputed from the entries: each entryHash from the content (./audit.ts), each
 * leaf from entry, position, sender and receive time (./treeHead.ts), the roots (./merkle.ts).
 */
import { GENESIS_HASH, verifyChain, type AuditEntry } from "./audit";
import { MerkleTree, fromHex, sha256, toHex, verifyConsistency, type HashFn } from "./merkle";
import { auditLeafHash, type Check, type LedgerEntry, type TreeHead } from "./treeHead";

/**
 * Is `newer` an extension of `older` (same workbook, not smaller, and the consistency proof of
 * RFC 9162 §2.1.4.2 holds)? `proof` is the list of hex hashes the server served for
 * (older.treeSize, newer.treeSize). The signatures are checked separately (verifyTreeHead).
 */
export function checkConsistency(older: TreeHead, newer: TreeHead, proof: readonly string[], hash: HashFn = sha256): Check {
  if (older.workbookId !== newer.workbookId) return { ok: false, reason: `the heads are of different workbooks ("${older.workbookId}", "${newer.workbookId}")` };
  if (newer.treeSize < older.treeSize) {
    return {
      ok: false,
      reason: `the server's trail shrank from ${older.treeSize} entries (head of ${older.timestamp}) to ${newer.treeSize}: it dropped history`,
    };
  }
  let ok: boolean;
  try {
    ok = verifyConsistency(older.treeSize, newer.treeSize, fromHex(older.rootHash), fromHex(newer.rootHash), proof.map(fromHex), hash);
  } catch {
    ok = false;
  }
  return ok
    ? { ok: true }
    : {
        ok: false,
        reason: `the server's trail of ${newer.treeSize} entries does not extend the one it signed at ${older.timestamp} (${older.treeSize} entries): history was rewritten`,
      };
}

export type TrailCheck =
  | { ok: true; count: number; rootHash: string; tree: MerkleTree }
  | { ok: false; count: number; seq: number; entryId: string | null; reason: string };

export interface TrailOptions {
  /** SHA-256 for the Merkle tree (default: the engine's; the server and CLI may pass Node's). */
  hash?: HashFn;
  /** Entry hash function (default: the engine's Web Crypto one, see verifyChain). */
  hashEntry?: (entry: Omit<AuditEntry, "entryHash">) => Promise<string> | string;
}

/**
 * Checks a whole trail (entries in seq order from 1) of `workbookId`: the hash chain, positions
 * without gaps, and that the first `head.treeSize` leaves hash to each head's root. A changed
 * entry text, sender, receive time or order, or a removed entry, makes one of these fail.
 * Names the entry at fault when the chain shows it; a changed sender or time shows only in the
 * root, since they are not part of the chain (seq then names the head's size).
 */
export async function verifyTrail(
  workbookId: string,
  entries: readonly LedgerEntry[],
  heads: readonly TreeHead[],
  options: TrailOptions = {},
): Promise<TrailCheck> {
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    if (e.workbookId !== workbookId) return { ok: false, count: i, seq: i + 1, entryId: e.entryId, reason: `entry ${e.entryId} belongs to workbook "${e.workbookId}", not "${workbookId}"` };
    if (e.seq !== i + 1) {
      return { ok: false, count: i, seq: i + 1, entryId: e.entryId, reason: `position ${i + 1} is missing or out of order (the trail has seq ${e.seq} there)` };
    }
  }
  const chain = await verifyChain(entries, GENESIS_HASH, options.hashEntry);
  if (!chain.ok) return { ok: false, count: chain.index, seq: chain.index + 1, entryId: chain.entryId, reason: `entry ${chain.entryId} (seq ${chain.index + 1}): ${chain.reason}` };
  const tree = new MerkleTree(options.hash);
  for (const e of entries) tree.appendLeafHash(auditLeafHash(e, options.hash));
  for (const head of heads) {
    if (head.workbookId !== workbookId) return { ok: false, count: entries.length, seq: 0, entryId: null, reason: `a head is of workbook "${head.workbookId}", not "${workbookId}"` };
    if (head.treeSize > entries.length) {
      return {
        ok: false,
        count: entries.length,
        seq: entries.length + 1,
        entryId: null,
        reason: `the trail has ${entries.length} entries, but the server signed ${head.treeSize} at ${head.timestamp}: entries were removed`,
      };
    }
    if (toHex(tree.root(head.treeSize)) !== head.rootHash) {
      return {
        ok: false,
        count: head.treeSize,
        seq: head.treeSize,
        entryId: null,
        reason: `the first ${head.treeSize} entries are not those the server signed at ${head.timestamp}: an entry's text, sender, receive time or order was changed, or an entry was removed`,
      };
    }
  }
  return { ok: true, count: entries.length, rootHash: toHex(tree.root()), tree };
}
