/*
 * Verifiable audit (docs/audit-proofs.md): the server key, signed tree heads, inclusion and
 * consistency proofs. Clients check all of it with src/engine (merkle.ts, treeHead.ts, ledgerCheck.ts).
 *   GET /api/v1/server-key                                            public
 *   GET /api/v1/workbooks/:id/audit/head                              readers of the workbook
 *   GET /api/v1/workbooks/:id/audit/proofs/inclusion?seq=&treeSize=   readers of the workbook
 *   GET /api/v1/workbooks/:id/audit/proofs/consistency?from=&to=      readers of the workbook
 */
import { PATHS, consistencyProof, inclusionProof, serverKey, treeHead } from "../../api";
import { identity, readableWorkbook, READERS, type Api, type RouteContext } from "../context";
import { parseCount } from "./params";

export function proofRoutes(api: Api, ctx: RouteContext): void {
  const { storage, ledger } = ctx;

  api.get(PATHS.serverKey, { schema: serverKey, config: { access: "public" } }, async () => ({
    current: ledger.key.current,
    retired: [...ledger.key.retired],
  }));

  api.get(PATHS.auditHead, { schema: treeHead, config: { access: READERS } }, async (req) => {
    const wb = await readableWorkbook(storage, identity(req), req.params.workbookId);
    return ledger.head(wb.workbookId, wb.entryCount);
  });

  api.get(PATHS.inclusionProof, { schema: inclusionProof, config: { access: READERS } }, async (req) => {
    const wb = await readableWorkbook(storage, identity(req), req.params.workbookId);
    const seq = parseCount(req.query.seq, "seq", 1, 1, Number.MAX_SAFE_INTEGER);
    const size = req.query.treeSize === undefined ? undefined : parseCount(req.query.treeSize, "treeSize", 0, 1, Number.MAX_SAFE_INTEGER);
    return ledger.inclusion(wb.workbookId, seq, size, wb.entryCount);
  });

  api.get(PATHS.consistencyProof, { schema: consistencyProof, config: { access: READERS } }, async (req) => {
    const wb = await readableWorkbook(storage, identity(req), req.params.workbookId);
    const from = parseCount(req.query.from, "from", 0, 0, Number.MAX_SAFE_INTEGER);
    const to = req.query.to === undefined ? undefined : parseCount(req.query.to, "to", 0, 0, Number.MAX_SAFE_INTEGER);
    return ledger.consistency(wb.workbookId, from, to, wb.entryCount);
  });
}
