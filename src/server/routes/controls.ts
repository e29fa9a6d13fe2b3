/*
 * Controllers' records (issue 10): reconciliations stored with their approval, and change
 * requests a controller approves or rejects. Four eyes: nobody decides on what they recorded
 * (by token name). A refused call writes nothing.
 */
import {
  PATHS,
  approveReconciliation,
  createChangeRequest,
  decideChangeRequest,
  getChangeRequest,
  getReconciliation,
  listChangeRequests,
  listReconciliations,
  recordReconciliation,
} from "../../api";
import { identity, readableWorkbook, READERS, type Api, type RouteContext } from "../context";
import { HttpProblem } from "../problem";
import * as records from "../storage/controls";

export function controlRoutes(api: Api, ctx: RouteContext): void {
  const { storage } = ctx;

  api.post(PATHS.reconciliations, { schema: recordReconciliation, config: { access: ["planner", "controller"] } }, async (req, reply) => {
    const { workbookId } = req.params;
    const who = identity(req);
    await readableWorkbook(storage, who, workbookId);
    const out = await records.recordReconciliation(storage.sql(), workbookId, req.body, who.name, ctx.now().toISOString());
    if (out.kind === "conflict") {
      throw new HttpProblem("record-conflict", `reconciliation ${req.body.reconciliationId} was already stored with other content (at ${out.record.recordedAt}); nothing was changed`);
    }
    return reply.code(out.kind === "created" ? 201 : 200).send({ created: out.kind === "created", reconciliation: out.record });
  });

  api.get(PATHS.reconciliations, { schema: listReconciliations, config: { access: READERS } }, async (req) => {
    const { workbookId } = req.params;
    await readableWorkbook(storage, identity(req), workbookId);
    const approved = req.query.approved === undefined ? undefined : req.query.approved === "true";
    return { reconciliations: await records.listReconciliations(storage.sql(), workbookId, { modelVersion: req.query.modelVersion, approved }) };
  });

  api.get(PATHS.reconciliation, { schema: getReconciliation, config: { access: READERS } }, async (req) => {
    const { workbookId, reconciliationId } = req.params;
    await readableWorkbook(storage, identity(req), workbookId);
    const r = await records.getReconciliation(storage.sql(), workbookId, reconciliationId);
    if (!r) throw new HttpProblem("not-found", `workbook "${workbookId}" has no reconciliation ${reconciliationId}`);
    return r;
  });

  api.post(PATHS.reconciliationApproval, { schema: approveReconciliation, config: { access: ["controller"] } }, async (req) => {
    const { workbookId, reconciliationId } = req.params;
    const who = identity(req);
    await readableWorkbook(storage, who, workbookId);
    const out = await records.approveReconciliation(storage.sql(), workbookId, reconciliationId, who.name, ctx.now().toISOString(), req.body.comment);
    switch (out.kind) {
      case "missing":
        throw new HttpProblem("not-found", `workbook "${workbookId}" has no reconciliation ${reconciliationId}`);
      case "decided":
        throw new HttpProblem("already-decided", `reconciliation ${reconciliationId} was already approved by ${out.record.approval!.by} at ${out.record.approval!.at}`);
      case "own":
        throw new HttpProblem("forbidden", `${who.name} recorded reconciliation ${reconciliationId} and may not approve it (four eyes); another controller must`);
      case "ok":
        return out.record;
    }
  });

  api.post(PATHS.changeRequests, { schema: createChangeRequest, config: { access: ["planner"] } }, async (req, reply) => {
    const { workbookId } = req.params;
    const who = identity(req);
    await readableWorkbook(storage, who, workbookId);
    const out = await records.createChangeRequest(storage.sql(), workbookId, req.body, who.name, ctx.now().toISOString());
    if (out.kind === "conflict") {
      throw new HttpProblem("record-conflict", `change request ${req.body.requestId} was already stored with other content (at ${out.record.requestedAt}); nothing was changed`);
    }
    return reply.code(out.kind === "created" ? 201 : 200).send({ created: out.kind === "created", changeRequest: out.record });
  });

  api.get(PATHS.changeRequests, { schema: listChangeRequests, config: { access: READERS } }, async (req) => {
    const { workbookId } = req.params;
    await readableWorkbook(storage, identity(req), workbookId);
    return { changeRequests: await records.listChangeRequests(storage.sql(), workbookId, req.query.status) };
  });

  api.get(PATHS.changeRequest, { schema: getChangeRequest, config: { access: READERS } }, async (req) => {
    const { workbookId, requestId } = req.params;
    await readableWorkbook(storage, identity(req), workbookId);
    const r = await records.getChangeRequest(storage.sql(), workbookId, requestId);
    if (!r) throw new HttpProblem("not-found", `workbook "${workbookId}" has no change request ${requestId}`);
    return r;
  });

  api.post(PATHS.changeRequestDecision, { schema: decideChangeRequest, config: { access: ["controller"] } }, async (req) => {
    const { workbookId, requestId } = req.params;
    const who = identity(req);
    await readableWorkbook(storage, who, workbookId);
    const out = await records.decideChangeRequest(storage.sql(), workbookId, requestId, req.body.decision === "approve", who.name, ctx.now().toISOString(), req.body.comment);
    switch (out.kind) {
      case "missing":
        throw new HttpProblem("not-found", `workbook "${workbookId}" has no change request ${requestId}`);
      case "decided":
        throw new HttpProblem("already-decided", `change request ${requestId} was already ${out.record.status} by ${out.record.decision!.by} at ${out.record.decision!.at}`);
      case "own":
        throw new HttpProblem("forbidden", `${who.name} made change request ${requestId} and may not decide on it (four eyes); another controller must`);
      case "ok":
        return out.record;
    }
  });
}
