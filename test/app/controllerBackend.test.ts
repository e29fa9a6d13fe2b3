/**
 * The controllers' records through the pane and the real backend (buildServer over SQLite on
 * loopback, wired as src/taskpane/index.tsx wires it: one SyncService and one ControllerBackend
 * over one ServerSettingsStore): a recorded reconciliation is stored on the server under its audit
 * entry's id (a retry after a lost answer stores nothing twice), approved by a second person
 * (another token), refused for its recorder (four eyes) and a second time (409) with nothing
 * written in the workbook; with change control at "approval" a change request is stored on the
 * server, the Write is refused until the server says approved, and a rejection is audited.
 * Tokens (test/server/helpers/harness.ts): alice planner, carol controller.
 */
import { SegApiClient } from "../../src/client";
import { ControllerBackend, refusalOf } from "../../src/app/controllerBackend";
import { lazyControllerBackend } from "../../src/app/controllerService";
import { createInlineRunner } from "../../src/app/engineRunner";
import { MemoryKeyValueStorage, ServerSettingsStore } from "../../src/app/serverSettings";
import type { PaneSession } from "../../src/app/session";
import { SEGMENTS_TABLE } from "../../src/app/sheets";
import { RECONCILE_SETTINGS, type RecordedReconciliation } from "../../src/app/steps/reconcile";
import { SyncService } from "../../src/app/syncService";
import { ApiError } from "../../src/client/errors";
import { MemoryGateway } from "../helpers/memoryGateway";
import { createPane, classifyAndWrite } from "../helpers/pane";
import { waitFor } from "../client/helpers/rows";
import { startTestServer, type TestServer } from "../client/helpers/server";
import { financeSheet } from "./reconcileData";
import { sampleSheet } from "./sampleData";

jest.setTimeout(60_000);

let server: TestServer;
let sync: SyncService | null = null;

beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  sync?.dispose();
  sync = null;
  await server.cleanup();
});

interface Wired {
  gw: MemoryGateway;
  session: PaneSession;
  settings: ServerSettingsStore;
  /** Every request the ControllerBackend sent (method and path). */
  calls: string[];
}

/** The pane as index.tsx makes it; `token`: who is signed in (null: no server set). `fetch`: in front of the real one. */
async function wire(token: string | null, fetchFn: typeof fetch = fetch): Promise<Wired> {
  const gw = new MemoryGateway().addSheet("Data", sampleSheet()).addSheet("Finance", financeSheet()).select("Data", "A1");
  const settings = new ServerSettingsStore(new MemoryKeyValueStorage());
  if (token) await settings.save({ url: server.base, token });
  sync = new SyncService({ gateway: gw, settings, backoff: { baseMs: 5, maxMs: 40 }, timeoutMs: 5000 });
  const s = sync;
  const calls: string[] = [];
  const counted = (async (input: string, init?: RequestInit) => {
    calls.push(`${init?.method ?? "GET"} ${new URL(input).pathname.replace(/^\/api\/v1\/workbooks\/[^/]+/, "")}`);
    return fetchFn(input, init);
  }) as unknown as typeof fetch;
  const controllers = lazyControllerBackend({ settings, fetch: counted, syncTrail: () => s.syncNow() }); // as index.tsx makes it
  const session = createPane({ gateway: gw, runner: createInlineRunner(), auditSync: sync, controllers });
  void sync.start();
  return { gw, session, settings, calls };
}


/** Classify, write, reconcile the finance sheet and write the Reconciliation sheet (status: unexplained, reconcileData.ts). */
async function recorded(w: Wired): Promise<RecordedReconciliation> {
  await classifyAndWrite(w.session);
  w.gw.select("Finance", "A1");
  await w.session.step("reconcile").readSource("region");
  await w.session.step("reconcile").run();
  await w.session.step("reconcile").write();
  expect(w.session.getState().common.error).toBeNull();
  return w.session.getState().steps.reconcile.records.at(-1)!;
}

const client = (token: string) => new SegApiClient({ baseUrl: server.base, token });
const actions = (gw: MemoryGateway, action: string) => gw.auditRows.filter((r) => r.action === action);
const notice = (session: PaneSession) => ({ text: session.getState().common.notice, intent: session.getState().common.noticeIntent, error: session.getState().common.error });

describe("reconciliations on the server", () => {
  test("recorded under the entryId of its audit entry, with the totals; a retry after a lost answer stores nothing twice", async () => {
    let dropped = 0;
    // the first POST of a reconciliation reaches the server and is stored, then the answer is lost
    const lossy = (async (input: string, init?: RequestInit) => {
      const res = await fetch(input, init);
      if (init?.method === "POST" && /\/reconciliations$/.test(input) && res.ok && dropped++ === 0) throw new TypeError("fetch failed");
      return res;
    }) as unknown as typeof fetch;
    const w = await wire(server.tokens.planner, lossy);
    const rec = await recorded(w);
    const entry = actions(w.gw, "reconciliation-recorded")[0];
    expect(rec).toMatchObject({ entryId: entry.entryId, server: "unsent" });
    expect(notice(w.session).intent).toBe("warning");
    expect(notice(w.session).text).toMatch(/Not on the server yet \(Refresh sends it again\): Could not store reconciliation .*Cannot reach the server/);
    const workbookId = await w.session.audit.workbookId();
    const onServer = await client(server.tokens.controller).listReconciliations(workbookId);
    expect(onServer).toHaveLength(1); // it was stored before the answer was lost

    await w.session.step("reconcile").refresh();
    expect(w.session.getState().common.error).toBeNull();
    expect(w.session.getState().steps.reconcile.records.at(-1)).toMatchObject({ server: "stored" });
    expect(w.gw.settings.get<RecordedReconciliation[]>(RECONCILE_SETTINGS.records)!.at(-1)!.serverInput).toBeUndefined();
    const after = await client(server.tokens.controller).listReconciliations(workbookId);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ reconciliationId: entry.entryId, modelVersion: entry.modelVersion, status: "unexplained", recordedBy: "alice", approval: null });
    const summary = JSON.parse(entry.newValue);
    expect(after[0].totals).toEqual(summary.totals);
    expect(after[0].financeFingerprint).toBe(entry.oldValue);
    // the same record again: 200, not created
    const again = await new ControllerBackend({ settings: w.settings }).recordReconciliation(workbookId, { reconciliationId: entry.entryId, modelVersion: entry.modelVersion, financeFingerprint: entry.oldValue, status: "unexplained", totals: summary.totals, summary });
    expect(again.created).toBe(false);
    expect(notice(w.session).text).toMatch(/^The server holds 1 reconciliation of this workbook\. Latest: model version \S+, unexplained differences, awaiting approval\.$/);
    expect(notice(w.session).intent).toBe("warning"); // unexplained differences
  });

  test("approved by a second person (the controller's token): on the server first, then the audit entry", async () => {
    const w = await wire(server.tokens.planner);
    const rec = await recorded(w);
    expect(rec.server).toBe("stored");
    expect(w.calls.filter((c) => c === "POST /reconciliations")).toHaveLength(1);
    await w.settings.save({ url: server.base, token: server.tokens.controller }); // carol opens the workbook
    await w.session.step("reconcile").approve("S03 write-down agreed with plant 1000");
    expect(notice(w.session)).toEqual({ text: `The server approved the reconciliation of model version ${rec.modelVersion} (unexplained), by carol.`, intent: "warning", error: null });
    const stored = await client(server.tokens.planner).getReconciliation(await w.session.audit.workbookId(), rec.entryId);
    expect(stored.approval).toMatchObject({ by: "carol", comment: "S03 write-down agreed with plant 1000" });
    const appr = actions(w.gw, "reconciliation-approved");
    expect(appr).toHaveLength(1);
    expect(appr[0]).toMatchObject({ oldValue: rec.entryId, reason: "S03 write-down agreed with plant 1000" });
    expect(JSON.parse(appr[0].newValue)).toMatchObject({ approvedBy: "carol", approvedAt: stored.approval!.at, on: "server" });
    expect(w.session.getState().steps.reconcile.records.at(-1)!.approval).toEqual({ by: "carol", at: stored.approval!.at, comment: "S03 write-down agreed with plant 1000" });
  });

  test("the recorder may not approve (four eyes): a worded notice, nothing in the workbook, nothing on the server", async () => {
    const w = await wire(server.tokens.controller); // carol records it herself
    // the workbook is on the server from alice's trail (a controller cannot send a trail)
    const rec0 = await recorded(w);
    expect(rec0.server).toBe("unsent");
    await sync!.idle(); // (a settings change while a failing pass runs is folded into it)
    await w.settings.save({ url: server.base, token: server.tokens.planner });
    await sync!.idle();
    await sync!.syncNow();
    await waitFor(() => sync!.status().kind === "synced", "alice's trail on the server");
    await w.settings.save({ url: server.base, token: server.tokens.controller });
    await w.session.step("reconcile").refresh();
    expect(w.session.getState().steps.reconcile.records.at(-1)!.server).toBe("stored");
    const before = w.gw.auditRows.length;
    await w.session.step("reconcile").approve("looks right to me");
    const n = notice(w.session);
    expect(n.error).toBeNull();
    expect(n.intent).toBe("warning");
    expect(n.text).toMatch(/^The server refused to approve reconciliation \S+ \(four eyes\): carol recorded reconciliation \S+ and may not approve it; another controller must\. Nothing was recorded in the workbook\.$/);
    expect(w.gw.auditRows.length).toBe(before);
    expect(w.session.getState().steps.reconcile.records.at(-1)!.approval).toBeNull();
    expect((await client(server.tokens.controller).getReconciliation(await w.session.audit.workbookId(), rec0.entryId)).approval).toBeNull();
  });

  test("a second decision is refused (409) with nothing written; Refresh then records the server's approval", async () => {
    const w = await wire(server.tokens.planner);
    const rec = await recorded(w);
    const workbookId = await w.session.audit.workbookId();
    await client(server.tokens.controller).approveReconciliation(workbookId, rec.entryId, "approved over the API");
    await w.settings.save({ url: server.base, token: server.tokens.controller });
    const before = w.gw.auditRows.length;
    await w.session.step("reconcile").approve("me too");
    expect(notice(w.session).intent).toBe("warning");
    expect(notice(w.session).text).toMatch(/^The server refused to approve reconciliation \S+: reconciliation \S+ was already approved by carol at \S+\. Nothing was recorded in the workbook\. Refresh shows the decision\.$/);
    expect(w.gw.auditRows.length).toBe(before);
    expect(w.session.getState().steps.reconcile.records.at(-1)!.approval).toBeNull();

    await w.session.step("reconcile").refresh();
    const appr = actions(w.gw, "reconciliation-approved");
    expect(appr).toHaveLength(1);
    expect(appr[0].reason).toMatch(/^approved on the server by carol at \S+: approved over the API$/);
    expect(w.session.getState().steps.reconcile.records.at(-1)!.approval).toMatchObject({ by: "carol", comment: "approved over the API" });
    expect(notice(w.session).text).toMatch(/1 approval made on the server recorded in the audit trail\. Latest: .*approved by carol\.$/);
    // nothing new the second time
    await w.session.step("reconcile").refresh();
    expect(actions(w.gw, "reconciliation-approved")).toHaveLength(1);
  });

  test("a planner's token may not approve: the role refusal is worded", () => {
    const e = new ApiError({ kind: "http", status: 403, problem: { type: "urn:seg:problem:forbidden", title: "Forbidden", status: 403, detail: "this call needs the controller role" }, message: "x" });
    expect(refusalOf(e, "approve reconciliation r1").message).toBe("The server refused to approve reconciliation r1: this call needs the controller role. Approvals and decisions need a controller token (Settings). Nothing was recorded in the workbook.");
  });
});

describe("change control at approval, through the server", () => {
  async function requested(w: Wired) {
    await w.session.step("control").setMode("approval");
    await classifyAndWrite(w.session);
    w.session.step("policy").setGridCell("CZ", "serviceLevel", 0.8);
    await w.session.step("control").requestChange("CZ parts are critical spares now");
    expect(w.session.getState().common.error).toBeNull();
    const req = w.session.getState().steps.control.request!;
    expect(req).toMatchObject({ status: "pending", server: "stored", entryId: actions(w.gw, "change-requested")[0].entryId });
    expect(notice(w.session).text).toBe("Change request recorded in the workbook and on the server; the Write waits for a controller's approval.");
    return req;
  }
  const writes = (gw: MemoryGateway) => actions(gw, "classify-run").length;

  test("the Write is refused until the server says approved; the approval is audited once and the Write goes through", async () => {
    const w = await wire(server.tokens.planner);
    const req = await requested(w);
    const workbookId = await w.session.audit.workbookId();
    const onServer = await client(server.tokens.controller).getChangeRequest(workbookId, req.entryId);
    expect(onServer).toMatchObject({ status: "pending", requestedBy: "alice", reason: "CZ parts are critical spares now", changes: ["policy grid CZ: changed"] });
    const before = writes(w.gw);
    const segments = JSON.stringify(w.gw.table(SEGMENTS_TABLE)!.rows);
    await w.session.step("write").write();
    expect(w.session.getState().common.error).toMatch(/^Waiting for approval of the change request by \(name not set\) \(.* UTC\): policy grid CZ: changed\. \(asked the server just now\)$/);
    expect(writes(w.gw)).toBe(before);
    expect(JSON.stringify(w.gw.table(SEGMENTS_TABLE)!.rows)).toBe(segments);
    expect(w.calls.filter((c) => c.startsWith("GET /change-requests/"))).toHaveLength(1);
    // the planner's own token cannot approve: refused, nothing local
    const rows = w.gw.auditRows.length;
    await w.session.step("control").approveChange("fine by me");
    expect(notice(w.session)).toMatchObject({ intent: "warning", error: null });
    expect(notice(w.session).text).toMatch(/^The server refused to approve change request \S+: .*Approvals and decisions need a controller token \(Settings\)\. Nothing was recorded in the workbook\.$/);
    expect(w.gw.auditRows.length).toBe(rows);
    expect(w.session.getState().steps.control.request!.status).toBe("pending");
    // carol approves over the API; the Write learns it right before writing
    await client(server.tokens.controller).decideChangeRequest(workbookId, req.entryId, "approve", "agreed in the S&OP review");
    await w.session.step("write").write();
    expect(w.session.getState().common.error).toBeNull();
    expect(writes(w.gw)).toBe(before + 1);
    const appr = actions(w.gw, "change-approved");
    expect(appr).toHaveLength(1);
    expect(appr[0]).toMatchObject({ oldValue: req.entryId });
    expect(appr[0].reason).toMatch(/^approved on the server by carol at \S+: agreed in the S&OP review$/);
    const chain = w.gw.auditRows.map((r) => r.action);
    expect(chain.lastIndexOf("change-approved")).toBeLessThan(chain.lastIndexOf("classify-run"));
    expect(w.session.getState().steps.control.request).toBeNull();
  });

  test("approved in the pane with the controller's token: on the server first", async () => {
    const w = await wire(server.tokens.planner);
    const req = await requested(w);
    await w.settings.save({ url: server.base, token: server.tokens.controller });
    await w.session.step("control").approveChange("agreed in the S&OP review");
    expect(notice(w.session)).toEqual({ text: "The server approved the change request of (name not set) (by carol): the Write can go ahead.", intent: "success", error: null });
    expect((await client(server.tokens.planner).getChangeRequest(await w.session.audit.workbookId(), req.entryId)).decision).toMatchObject({ by: "carol", comment: "agreed in the S&OP review" });
    expect(actions(w.gw, "change-approved")).toHaveLength(1);
    // a second decision: refused by the server, nothing local (the pane's state says approved, so reject is not offered; ask directly)
    const e = await client(server.tokens.controller).decideChangeRequest(await w.session.audit.workbookId(), req.entryId, "reject", "no").catch((x: unknown) => x);
    expect(refusalOf(e, `reject change request ${req.entryId}`).kind).toBe("already-decided");
  });

  test("rejected on the server: the Write is refused, the rejection audited once (change-rejected)", async () => {
    const w = await wire(server.tokens.planner);
    const req = await requested(w);
    const workbookId = await w.session.audit.workbookId();
    await client(server.tokens.controller).decideChangeRequest(workbookId, req.entryId, "reject", "CZ stays at 90 % until the review");
    const before = writes(w.gw);
    await w.session.step("write").write();
    expect(w.session.getState().common.error).toMatch(/^The change request by \(name not set\) \(policy grid CZ: changed\) was rejected by carol at .* UTC: CZ stays at 90 % until the review\. Nothing was written: change the parameters back, or record a new request\.$/);
    expect(writes(w.gw)).toBe(before);
    const rej = actions(w.gw, "change-rejected");
    expect(rej).toHaveLength(1);
    expect(rej[0]).toMatchObject({ oldValue: req.entryId, field: "parameters" });
    expect(rej[0].reason).toMatch(/^rejected on the server by carol at \S+: CZ stays at 90 % until the review$/);
    // again: still refused, the rejection not recorded twice
    await w.session.step("write").write();
    expect(w.session.getState().common.error).toMatch(/was rejected by carol/);
    await w.session.step("control").refresh();
    expect(notice(w.session)).toMatchObject({ intent: "warning" });
    expect(actions(w.gw, "change-rejected")).toHaveLength(1);
    expect(writes(w.gw)).toBe(before);
  });
});

describe("no server set", () => {
  test("the same service, no settings: reconciliations and change requests stay in the workbook as before, no request sent", async () => {
    const w = await wire(null);
    const rec = await recorded(w);
    expect(rec.server).toBeUndefined();
    await w.session.step("reconcile").approve("checked");
    expect(w.session.getState().steps.reconcile.records.at(-1)!.approval).toMatchObject({ by: "(name not set)", comment: "checked" });
    await w.session.step("control").setMode("approval");
    w.session.step("policy").setGridCell("CZ", "serviceLevel", 0.8);
    await w.session.step("control").requestChange("CZ parts are critical spares now");
    expect(w.session.getState().steps.control.request).toMatchObject({ status: "pending" });
    expect(w.session.getState().steps.control.request!.server).toBeUndefined();
    await w.session.step("write").write();
    expect(w.session.getState().common.error).toMatch(/^Waiting for approval of the change request by \(name not set\) \(.* UTC\): policy grid CZ: changed\.$/);
    await w.session.step("reconcile").refresh();
    expect(notice(w.session)).toMatchObject({ intent: "info", text: "No server is set in Settings: the reconciliations and approvals are those recorded in this workbook." });
    expect(w.calls).toEqual([]);
  });
});
