/*
 * Verifiable audit (docs/audit-proofs.md): the server key, signed tree heads, inclusion and
 * consistency proofs. Clients check all of it with src/engine (merkle.ts, treeHead.ts, ledgerCheck.ts).
 *   GET /api/v1/server-key                                            public
 *   GET /api/v1/workbooks/:id/audit/head                              readers of the workbook
 *   GET /api/v1/workbooks/:id/audit/proofs/inclusion?seq=&treeSize=   readers of the workbook
 *   GET /api/v1/workbooks/:id/audit/proofs/consistency?from=&to=      readers of the workbook
 */
import type { FastifyInstance } from "fastify";
import type { RouteContext } from "../app";
import type { Ledger } from "../ledger";
import { proofRouteSchemas } from "../proofSchemas";
import { readableWorkbook } from "./audit";
import { parseCount } from "./params";

const readers = ["planner", "controller", "admin"] as const;

export function proofRoutes(api: FastifyInstance, ctx: RouteContext & { ledger: Ledger }): void {
  const { storage, ledger } = ctx;

  api.get("/server-key", { schema: proofRouteSchemas.serverKey, config: { access: "public" } }, async () => ({
    current: ledger.key.current,
    retired: [...ledger.key.retired],
  }));

  api.get<{ Params: { workbookId: string } }>(
    "/workbooks/:workbookId/audit/head",
    { schema: proofRouteSchemas.treeHead, config: { access: readers } },
    async (req) => {
      const wb = await readableWorkbook(storage, req.identity!, req.params.workbookId);
      return ledger.head(wb.workbookId, wb.entryCount);
    },
  );

  api.get<{ Params: { workbookId: string }; Querystring: { seq: string; treeSize?: string } }>(
    "/workbooks/:workbookId/audit/proofs/inclusion",
    { schema: proofRouteSchemas.inclusionProof, config: { access: readers } },
    async (req) => {
      const wb = await readableWorkbook(storage, req.identity!, req.params.workbookId);
      const seq = parseCount(req.query.seq, "seq", 1, 1, Number.MAX_SAFE_INTEGER);
      const size = req.query.treeSize === undefined ? undefined : parseCount(req.query.treeSize, "treeSize", 0, 1, Number.MAX_SAFE_INTEGER);
      return ledger.inclusion(wb.workbookId, seq, size, wb.entryCount);
    },
  );

  api.get<{ Params: { workbookId: string }; Querystring: { from: string; to?: string } }>(
    "/workbooks/:workbookId/audit/proofs/consistency",
    { schema: proofRouteSchemas.consistencyProof, config: { access: readers } },
    async (req) => {
      const wb = await readableWorkbook(storage, req.identity!, req.params.workbookId);
      const from = parseCount(req.query.from, "from", 0, 0, Number.MAX_SAFE_INTEGER);
      const to = req.query.to === undefined ? undefined : parseCount(req.query.to, "to", 0, 0, Number.MAX_SAFE_INTEGER);
      return ledger.consistency(wb.workbookId, from, to, wb.entryCount);
    },
  );
}
