/* Audit trail: append (planner), read and verify (controller, admin; a planner reads its own). */
import type { FastifyInstance } from "fastify";
import { GENESIS_HASH, verifyChain, type AuditAction, type AuditEntry } from "../../engine/audit";
import type { RouteContext } from "../app";
import { hashAuditEntrySync } from "../hash";
import { checkBatch } from "../ingest";
import { HttpProblem } from "../problem";
import { DEFAULT_AUDIT_PAGE, MAX_AUDIT_PAGE, routeSchemas } from "../schemas";
import type { Identity, Storage, WorkbookHead } from "../storage/types";
import { parseCount } from "./params";

const VERIFY_PAGE = 5000;

/** The workbook, if this identity may read it: controllers and admins read all, planners their own. */
export async function readableWorkbook(storage: Storage, who: Identity, workbookId: string): Promise<WorkbookHead> {
  const head = await storage.getWorkbook(workbookId);
  if (!head) throw new HttpProblem("not-found", `workbook "${workbookId}" has no audit entries or snapshots on this server`);
  if (who.role === "planner" && head.owner !== who.name) {
    throw new HttpProblem("forbidden", `workbook "${workbookId}" belongs to another planner`);
  }
  return head;
}

export function auditRoutes(api: FastifyInstance, ctx: RouteContext): void {
  const { storage } = ctx;

  api.post<{ Params: { workbookId: string }; Body: { entries: AuditEntry[] } }>(
    "/workbooks/:workbookId/audit",
    { schema: routeSchemas.appendAudit, config: { access: ["planner"] } },
    async (req, reply) => {
      const { workbookId } = req.params;
      const entries = req.body.entries;
      for (let i = 0; i < entries.length; i++) {
        if (!Number.isFinite(Date.parse(entries[i].timestamp))) {
          throw new HttpProblem("validation", `body.entries[${i}].timestamp "${entries[i].timestamp}" is not a valid date (entry ${entries[i].entryId})`, {
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
      const outcome = await storage.appendAudit(workbookId, req.identity!, entries, receivedAt);
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
        receipt: await ctx.ledger.receipt(workbookId, req.identity!, entries, outcome, receivedAt),
      });
    },
  );

  api.get<{
    Params: { workbookId: string };
    Querystring: { sku?: string; user?: string; action?: AuditAction; from?: string; to?: string; cursor?: string; limit?: string };
  }>(
    "/workbooks/:workbookId/audit",
    { schema: routeSchemas.listAudit, config: { access: ["planner", "controller", "admin"] } },
    async (req) => {
      const { workbookId } = req.params;
      const q = req.query;
      await readableWorkbook(storage, req.identity!, workbookId);
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

  api.get<{ Params: { workbookId: string } }>(
    "/workbooks/:workbookId/audit/verify",
    { schema: routeSchemas.verifyAudit, config: { access: ["controller", "admin"] } },
    async (req) => {
      const { workbookId } = req.params;
      const head = await readableWorkbook(storage, req.identity!, workbookId);
      return verifyStoredChain(storage, head);
    },
  );
}

export type VerifyResult =
  | { ok: true; count: number; lastHash: string }
  | { ok: false; count: number; index: number; seq: number; entryId: string; reason: string };

/**
 * Re-checks the stored trail page by page with the engine's verifyChain: every hash, every link,
 * positions without gaps, and that the trail ends where the workbook's head says it does.
 */
export async function verifyStoredChain(storage: Storage, head: WorkbookHead): Promise<VerifyResult> {
  let prev = GENESIS_HASH;
  let count = 0;
  let lastEntryId = "";
  for (;;) {
    const page = await storage.queryAudit(head.workbookId, { afterSeq: count, limit: VERIFY_PAGE });
    if (page.length === 0) break;
    for (let i = 0; i < page.length; i++) {
      if (page[i].seq !== count + i + 1) {
        return {
          ok: false,
          count: count + i,
          index: count + i,
          seq: page[i].seq,
          entryId: page[i].entryId,
          reason: `chain position ${count + i + 1} is missing (next stored position is ${page[i].seq})`,
        };
      }
    }
    const check = await verifyChain(page, prev, hashAuditEntrySync);
    if (!check.ok) {
      const index = count + check.index;
      return { ok: false, count: index, index, seq: index + 1, entryId: check.entryId, reason: check.reason };
    }
    prev = check.lastHash;
    count += page.length;
    lastEntryId = page[page.length - 1].entryId;
    if (page.length < VERIFY_PAGE) break;
  }
  if (count !== head.entryCount || prev !== head.lastHash) {
    return {
      ok: false,
      count,
      index: count,
      seq: count + 1,
      entryId: head.lastEntryId ?? lastEntryId,
      reason: `the trail holds ${count} entries ending in hash ${prev.slice(0, 12)}…, but the workbook records ${head.entryCount} ending in ${head.lastHash.slice(0, 12)}… (entries were removed)`,
    };
  }
  return { ok: true, count, lastHash: prev };
}

function parseTime(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) throw new HttpProblem("validation", `querystring.${name} "${value}" is not a valid date`, { field: `querystring.${name}` });
  return ms;
}
