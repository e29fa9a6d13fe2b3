/* Audit trail: append (planner), read and verify (controller, admin; a planner reads its own). */
import { DEFAULT_AUDIT_PAGE, MAX_AUDIT_PAGE, PATHS, appendAudit, listAudit, verifyAudit, type VerifyResult } from "../../api";
import { GENESIS_HASH, verifyChain } from "../../engine/audit";
import { identity, readableWorkbook, READERS, type Api, type RouteContext } from "../context";
import { hashAuditEntrySync } from "../hash";
import { checkBatch } from "../ingest";
import { HttpProblem } from "../problem";
import { parseUtcTimestamp } from "../time";
import type { Storage, WorkbookHead } from "../storage/types";
import { parseCount, parseTime } from "./params";

/** Entries checked per step of a verify; the server yields to other requests between steps. */
const VERIFY_PAGE = 1000;

export function auditRoutes(api: Api, ctx: RouteContext): void {
  const { storage } = ctx;

  api.post(
    PATHS.audit,
    { schema: appendAudit, config: { access: ["planner"] } },
    async (req, reply) => {
      const { workbookId } = req.params;
      const entries = req.body.entries;
      for (let i = 0; i < entries.length; i++) {
        if (parseUtcTimestamp(entries[i].timestamp) === null) {
          throw new HttpProblem("validation", `body.entries[${i}].timestamp "${entries[i].timestamp}" is not a real date and time (entry ${entries[i].entryId})`, {
            field: `body.entries[${i}].timestamp`,
            index: i,
            entryId: entries[i].entryId,
          });
        }
      }
      const check = await checkBatch(workbookId, entries);
      if (!check.ok) {
        throw new HttpProblem(
          check.status === 400 ? "validation" : "broken-chain",
          `entry ${check.entryId} (entries[${check.index}]): ${check.reason}`,
          { entryId: check.entryId, index: check.index },
        );
      }
      const receivedAt = ctx.now().toISOString();
      const outcome = await storage.appendAudit(workbookId, identity(req), entries, receivedAt);
      if (outcome.kind === "forbidden") {
        throw new HttpProblem("forbidden", `workbook "${workbookId}" belongs to another planner; nothing was stored`);
      }
      if (outcome.kind === "conflict") {
        const kind = outcome.reason.startsWith("an entry with this entryId") ? "entry-conflict" : "broken-chain";
        throw new HttpProblem(kind, `entry ${outcome.entryId} (entries[${outcome.index}]): ${outcome.reason}; nothing was stored`, {
          entryId: outcome.entryId,
          index: outcome.index,
        });
      }
      return reply.code(outcome.stored.length > 0 ? 201 : 200).send({
        stored: outcome.stored,
        alreadyStored: outcome.alreadyStored,
        entryCount: outcome.entryCount,
        lastHash: outcome.lastHash,
        receipt: await ctx.ledger.receipt(workbookId, identity(req), entries, outcome, receivedAt),
      });
    },
  );

  api.get(
    PATHS.audit,
    { schema: listAudit, config: { access: READERS } },
    async (req) => {
      const { workbookId } = req.params;
      const q = req.query;
      await readableWorkbook(storage, identity(req), workbookId);
      const limit = parseCount(q.limit, "limit", DEFAULT_AUDIT_PAGE, 1, MAX_AUDIT_PAGE);
      const afterSeq = parseCount(q.cursor, "cursor", 0, 0, Number.MAX_SAFE_INTEGER);
      const fromMs = parseTime(q.from, "from");
      const toMs = parseTime(q.to, "to");
      const rows = await storage.queryAudit(workbookId, {
        sku: q.sku,
        user: q.user,
        action: q.action,
        fromMs,
        toMs,
        afterSeq,
        limit: limit + 1,
      });
      const more = rows.length > limit;
      const entries = more ? rows.slice(0, limit) : rows;
      return { entries, nextCursor: more ? String(entries[entries.length - 1].seq) : null };
    },
  );

  api.get(
    PATHS.auditVerify,
    { schema: verifyAudit, config: { access: ["controller", "admin"] } },
    async (req) => {
      const { workbookId } = req.params;
      const head = await readableWorkbook(storage, identity(req), workbookId);
      return verifyStoredChain(storage, head);
    },
  );
}

/**
 * Re-checks the stored trail page by page with the engine's verifyChain: every hash, every link,
 * positions without gaps, and that the trail ends where the workbook's head says it does.
 * A broken entry is always named the same way: `seq` is its chain position (1-based), `index`
 * = seq - 1, `entryId` the entry stored at (or, for a missing position, next after) that place.
 * Between pages it yields to the event loop, so a long verify does not stall other requests.
 */
export async function verifyStoredChain(storage: Storage, head: WorkbookHead): Promise<VerifyResult> {
  let prev = GENESIS_HASH;
  let count = 0;
  let lastEntryId = "";
  const broken = (index: number, entryId: string, reason: string): VerifyResult => ({ ok: false, count: index, index, seq: index + 1, entryId, reason });
  for (;;) {
    if (count > 0) await yieldToEventLoop();
    const page = await storage.queryAudit(head.workbookId, { afterSeq: count, limit: VERIFY_PAGE });
    if (page.length === 0) break;
    let gap = 0;
    while (gap < page.length && page[gap].seq === count + gap + 1) gap++;
    // The entries before a missing position are checked first: the earliest fault is the one named.
    const check = await verifyChain(gap < page.length ? page.slice(0, gap) : page, prev, hashAuditEntrySync);
    if (!check.ok) return broken(count + check.index, check.entryId, check.reason);
    if (gap < page.length) {
      return broken(count + gap, page[gap].entryId, `chain position ${count + gap + 1} is missing (the next stored entry is at position ${page[gap].seq}): an entry was removed`);
    }
    prev = check.lastHash;
    count += page.length;
    lastEntryId = page[page.length - 1].entryId;
    if (page.length < VERIFY_PAGE) break;
  }
  if (count !== head.entryCount || prev !== head.lastHash) {
    return broken(
      count,
      head.lastEntryId ?? lastEntryId,
      `the trail holds ${count} entries ending in hash ${prev.slice(0, 12)}…, but the workbook records ${head.entryCount} ending in ${head.lastHash.slice(0, 12)}… (entries were removed)`,
    );
  }
  return { ok: true, count, lastHash: prev };
}

/** Lets pending I/O (other requests) run before the next chunk of work. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
