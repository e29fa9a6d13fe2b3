/**
 * The rules for appending audit entries, shared by both storage backends.
 * checkBatch runs before any database work (pure, async hashing); planAppend runs inside the
 * backend's per-workbook transaction, against the stored head and the entries already known.
 */
import { GENESIS_HASH, verifyChain, type AuditEntry } from "../engine/audit";
import { hashAuditEntrySync } from "./hash";
import type { AppendOutcome } from "./storage/types";

export type BatchCheck =
  | { ok: true }
  | { ok: false; status: 400 | 409; index: number; entryId: string; reason: string };

/**
 * A batch must be one contiguous run of a single workbook's chain, in chain order: every entry
 * belongs to the workbook in the URL, its hash matches its content and it links to the entry
 * before it in the batch. The first entry's link to the stored trail is checked in planAppend.
 */
export async function checkBatch(workbookId: string, entries: readonly AuditEntry[]): Promise<BatchCheck> {
  for (let i = 0; i < entries.length; i++) {
    if (entries[i].workbookId !== workbookId) {
      return {
        ok: false,
        status: 400,
        index: i,
        entryId: entries[i].entryId,
        reason: `workbookId "${entries[i].workbookId}" differs from the workbook in the URL ("${workbookId}")`,
      };
    }
  }
  const check = await verifyChain(entries, entries[0].prevHash, hashAuditEntrySync);
  if (!check.ok) return { ok: false, status: 409, index: check.index, entryId: check.entryId, reason: check.reason };
  return { ok: true };
}

/** What the database already knows about an entry id in this workbook (ids are unique per workbook). */
export interface KnownEntry {
  workbookId: string;
  entryHash: string;
}

export interface AppendPlan {
  insert: { entry: AuditEntry; seq: number }[];
  outcome: AppendOutcome;
}

/**
 * Decides what to store. Entries already stored with the same hash (hence the same content) are
 * reported as already stored; they can only form a prefix of a contiguous batch. Every other entry
 * must link to the current end of the stored chain.
 */
export function planAppend(
  workbookId: string,
  head: { entryCount: number; lastHash: string },
  known: ReadonlyMap<string, KnownEntry>,
  entries: readonly AuditEntry[],
): AppendPlan {
  const insert: AppendPlan["insert"] = [];
  const stored: string[] = [];
  const alreadyStored: string[] = [];
  let count = head.entryCount;
  let tail = head.lastHash || GENESIS_HASH;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    const k = known.get(e.entryId);
    if (k) {
      if (k.workbookId !== workbookId || k.entryHash !== e.entryHash) {
        return conflict(i, e.entryId, "an entry with this entryId is already stored with different content");
      }
      if (insert.length > 0) {
        return conflict(i, e.entryId, "already stored, but follows entries that are not: the batch is out of order");
      }
      alreadyStored.push(e.entryId);
      continue;
    }
    if (e.prevHash !== tail) {
      const after = count === 0 && insert.length === 0 ? "the start of the trail (genesis)" : `stored entry #${count} (hash ${tail.slice(0, 12)}…)`;
      return conflict(
        i,
        e.entryId,
        `prevHash ${e.prevHash.slice(0, 12)}… does not link to ${after}: an earlier entry is missing or the chain forked`,
      );
    }
    count += 1;
    insert.push({ entry: e, seq: count });
    stored.push(e.entryId);
    tail = e.entryHash;
  }
  return { insert, outcome: { kind: "ok", stored, alreadyStored, entryCount: count, lastHash: tail } };
}

function conflict(index: number, entryId: string, reason: string): AppendPlan {
  return { insert: [], outcome: { kind: "conflict", index, entryId, reason } };
}
