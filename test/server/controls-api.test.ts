/* Issue 10 over the API: reconciliations stored with their approval, change requests approved or
   rejected by a controller; SQLite and PostgreSQL, roles, 401/403, four eyes, idempotency, and
   nothing written on refusal. The client's methods are used for one round trip. */
import { randomUUID } from "node:crypto";
import { issueToken } from "../../src/server/auth";
import { SegApiClient } from "../../src/client";
import { describeBackends } from "./helpers/backends";
import { startHarness, type Harness } from "./helpers/harness";

const FP = "a".repeat(64);
const totals = { segmentationValue: 1000.5, financeValue: 1000, difference: 0.5, differencePct: 0.0005, segmentationSkus: 10, financeRows: 11 };
const reconciliation = (id = randomUUID(), status = "within tolerance") => ({ reconciliationId: id, modelVersion: "m1", financeFingerprint: FP, status, totals, summary: { duplicates: 0 } });
const request = (id = randomUUID()) => ({ requestId: id, reason: "raise the A cut-off after the review", changes: ["ABC cut-offs 80/95 → 75/95"], previous: { abc: [0.8, 0.95] }, proposed: { abc: [0.75, 0.95] } });

describeBackends("controllers API", (backend) => {
  let h: Harness;
  let dave: string;
  let aliceController: string;
  const wb = randomUUID();
  const url = `/api/v1/workbooks/${wb}`;
  const ph = (n: number) => (backend.kind === "sqlite" ? "?" : `$${n}`);
  const rows = async (table: string) => Number((await h.db.query(`SELECT COUNT(*) AS n FROM ${table} WHERE workbook_id = ${ph(1)}`, [wb]))[0].n);

  beforeAll(async () => {
    h = await startHarness(backend);
    dave = (await issueToken(h.db.storage, "dave", "controller")).token;
    aliceController = (await issueToken(h.db.storage, "alice", "controller")).token;
    expect((await h.call("POST", `${url}/snapshots`, h.tokens.planner, { modelVersion: "m1", parameters: {}, items: [{ sku: "S1" }] })).status).toBe(201);
  });
  afterAll(async () => h?.close());

  test("a reconciliation is stored once by id: again 200, other content 409 (the stored one unchanged)", async () => {
    const r = reconciliation();
    const a = await h.call("POST", `${url}/reconciliations`, h.tokens.planner, r);
    expect(a.status).toBe(201);
    expect(a.body.reconciliation).toMatchObject({ ...r, workbookId: wb, recordedBy: "alice", approval: null });
    const again = await h.call("POST", `${url}/reconciliations`, h.tokens.planner, r);
    expect(again.status).toBe(200);
    expect(again.body.created).toBe(false);
    const other = await h.call("POST", `${url}/reconciliations`, h.tokens.planner, { ...r, status: "unexplained" });
    expect(other.status).toBe(409);
    expect(other.body.type).toBe("urn:seg:problem:record-conflict");
    expect((await h.call("GET", `${url}/reconciliations/${r.reconciliationId}`, h.tokens.controller)).body.status).toBe("within tolerance");
  });

  test("refusals store nothing: no token 401, an admin 403, another planner's or an unknown workbook 404, a bad field 400", async () => {
    const before = await rows("reconciliations");
    expect((await h.call("POST", `${url}/reconciliations`, null, reconciliation())).status).toBe(401);
    expect((await h.call("POST", `${url}/reconciliations`, h.tokens.revoked, reconciliation())).status).toBe(401);
    expect((await h.call("POST", `${url}/reconciliations`, h.tokens.planner2, reconciliation())).status).toBe(404);
    expect((await h.call("POST", `${url}/reconciliations`, h.tokens.admin, reconciliation())).status).toBe(403);
    expect((await h.call("POST", `/api/v1/workbooks/${randomUUID()}/reconciliations`, h.tokens.controller, reconciliation())).status).toBe(404);
    const bad = await h.call("POST", `${url}/reconciliations`, h.tokens.planner, { ...reconciliation(), status: "fine" });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe("body.status");
    const fp = await h.call("POST", `${url}/reconciliations`, h.tokens.planner, { ...reconciliation(), financeFingerprint: "xyz" });
    expect(fp.body.field).toBe("body.financeFingerprint");
    expect(await rows("reconciliations")).toBe(before);
  });

  test("approval: a controller other than the recorder, once, with a comment; refusals leave it unapproved", async () => {
    const mine = reconciliation();
    expect((await h.call("POST", `${url}/reconciliations`, h.tokens.controller, mine)).status).toBe(201); // recorded by carol
    const own = await h.call("POST", `${url}/reconciliations/${mine.reconciliationId}/approval`, h.tokens.controller, { comment: "ok" });
    expect(own.status).toBe(403);
    expect(own.body.detail).toMatch(/four eyes/);
    expect((await h.call("POST", `${url}/reconciliations/${mine.reconciliationId}/approval`, h.tokens.planner, { comment: "ok" })).status).toBe(403);
    expect((await h.call("POST", `${url}/reconciliations/${mine.reconciliationId}/approval`, h.tokens.admin, { comment: "ok" })).status).toBe(403);
    expect((await h.call("POST", `${url}/reconciliations/${mine.reconciliationId}/approval`, dave, {})).body.field).toBe("body.comment");
    expect((await h.call("GET", `${url}/reconciliations/${mine.reconciliationId}`, h.tokens.controller)).body.approval).toBeNull();
    const ok = await h.call("POST", `${url}/reconciliations/${mine.reconciliationId}/approval`, dave, { comment: "ties to the GL extract of 30 Nov" });
    expect(ok.status).toBe(200);
    expect(ok.body.approval).toMatchObject({ by: "dave", comment: "ties to the GL extract of 30 Nov" });
    const twice = await h.call("POST", `${url}/reconciliations/${mine.reconciliationId}/approval`, aliceController, { comment: "me too" });
    expect(twice.status).toBe(409);
    expect(twice.body.type).toBe("urn:seg:problem:already-decided");
    expect((await h.call("GET", `${url}/reconciliations/${mine.reconciliationId}`, h.tokens.planner)).body.approval.by).toBe("dave");
    expect((await h.call("POST", `${url}/reconciliations/${randomUUID()}/approval`, dave, { comment: "x" })).status).toBe(404);
  });

  test("two controllers approving at once: exactly one wins", async () => {
    const r = reconciliation();
    await h.call("POST", `${url}/reconciliations`, h.tokens.planner, r);
    const both = await Promise.all([dave, h.tokens.controller].map((t) => h.call("POST", `${url}/reconciliations/${r.reconciliationId}/approval`, t, { comment: "approve" })));
    expect(both.map((b) => b.status).sort()).toEqual([200, 409]);
  });

  test("list and read: controllers and admins everything, the owner planner its own, another planner 404 (reads as missing)", async () => {
    const all = await h.call("GET", `${url}/reconciliations`, h.tokens.admin);
    expect(all.status).toBe(200);
    expect(all.body.reconciliations.length).toBeGreaterThanOrEqual(3);
    const pending = await h.call("GET", `${url}/reconciliations?approved=false`, h.tokens.controller);
    expect(pending.body.reconciliations.every((r: { approval: unknown }) => r.approval === null)).toBe(true);
    const approved = await h.call("GET", `${url}/reconciliations?approved=true&modelVersion=m1`, h.tokens.controller);
    expect(approved.body.reconciliations.length).toBeGreaterThanOrEqual(2);
    expect((await h.call("GET", `${url}/reconciliations`, h.tokens.planner)).status).toBe(200);
    expect((await h.call("GET", `${url}/reconciliations`, h.tokens.planner2)).status).toBe(404);
    expect((await h.call("GET", `${url}/reconciliations`)).status).toBe(401);
    expect((await h.call("GET", `${url}/reconciliations/${randomUUID()}`, h.tokens.controller)).status).toBe(404);
  });

  test("change requests: the owner planner asks, a controller approves or rejects once; the requester never decides", async () => {
    const cr = request();
    const made = await h.call("POST", `${url}/change-requests`, h.tokens.planner, cr);
    expect(made.status).toBe(201);
    expect(made.body.changeRequest).toMatchObject({ ...cr, status: "pending", requestedBy: "alice", decision: null });
    expect((await h.call("POST", `${url}/change-requests`, h.tokens.planner, cr)).status).toBe(200);
    expect((await h.call("POST", `${url}/change-requests`, h.tokens.planner, { ...cr, reason: "another reason entirely" })).status).toBe(409);
    const before = await rows("change_requests");
    expect((await h.call("POST", `${url}/change-requests`, h.tokens.controller, request())).status).toBe(403);
    expect((await h.call("POST", `${url}/change-requests`, h.tokens.planner2, request())).status).toBe(404);
    expect((await h.call("POST", `${url}/change-requests`, h.tokens.planner, { ...request(), reason: "short" })).body.field).toBe("body.reason");
    expect(await rows("change_requests")).toBe(before);

    const pending = await h.call("GET", `${url}/change-requests?status=pending`, h.tokens.controller);
    expect(pending.body.changeRequests.map((c: { requestId: string }) => c.requestId)).toContain(cr.requestId);
    const dec = `${url}/change-requests/${cr.requestId}/decision`;
    expect((await h.call("POST", dec, h.tokens.planner, { decision: "approve", comment: "mine" })).status).toBe(403);
    const self = await h.call("POST", dec, aliceController, { decision: "approve", comment: "mine" });
    expect(self.status).toBe(403);
    expect((await h.call("POST", dec, h.tokens.controller, { decision: "maybe", comment: "x" })).body.field).toBe("body.decision");
    expect((await h.call("GET", `${url}/change-requests/${cr.requestId}`, h.tokens.planner)).body.status).toBe("pending");
    const ok = await h.call("POST", dec, h.tokens.controller, { decision: "reject", comment: "cut-off too aggressive for C items" });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: "rejected", decision: { by: "carol", comment: "cut-off too aggressive for C items" } });
    const late = await h.call("POST", dec, dave, { decision: "approve", comment: "x" });
    expect(late.status).toBe(409);
    expect((await h.call("GET", `${url}/change-requests?status=pending`, h.tokens.controller)).body.changeRequests.map((c: { requestId: string }) => c.requestId)).not.toContain(cr.requestId);
    expect((await h.call("GET", `${url}/change-requests`, h.tokens.planner2)).status).toBe(404);
  });

  test("the client's methods: record, list, approve a reconciliation; request and approve a change", async () => {
    const planner = new SegApiClient({ baseUrl: h.base, token: h.tokens.planner });
    const controller = new SegApiClient({ baseUrl: h.base, token: h.tokens.controller });
    const r = reconciliation();
    const made = await planner.recordReconciliation(wb, r as never);
    expect(made).toMatchObject({ status: 201, created: true });
    expect((await controller.listReconciliations(wb, { approved: false })).map((x) => x.reconciliationId)).toContain(r.reconciliationId);
    expect((await controller.approveReconciliation(wb, r.reconciliationId, "checked")).approval?.by).toBe("carol");
    expect((await planner.getReconciliation(wb, r.reconciliationId)).approval?.comment).toBe("checked");
    const cr = request();
    expect((await planner.createChangeRequest(wb, cr)).created).toBe(true);
    expect((await controller.listChangeRequests(wb, "pending")).map((c) => c.requestId)).toContain(cr.requestId);
    expect((await controller.decideChangeRequest(wb, cr.requestId, "approve", "agreed in the S&OP review")).status).toBe("approved");
    expect((await planner.getChangeRequest(wb, cr.requestId)).status).toBe("approved");
  });
});
