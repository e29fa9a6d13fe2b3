/**
 * How PaneSession drives the audit sync and the snapshot publisher, with fakes for both (the real
 * ones against a real server are in session.backend.test.ts):
 * - "Sync now" runs beside the pane's steps, not as one of them;
 * - the Audit list is re-read when the sync turns "synced" (its syncState column), also when that
 *   happens during another step;
 * - a Write hands its run to the publisher without waiting for it; overrides of the written run
 *   are published under `<modelVersion>+o<n>`, with the Policy sheet's values.
 */
import { createInlineRunner } from "../../src/app/engineRunner";
import type { AuditSync } from "../../src/app/auditSync";
import { snapshotOfWrite } from "../../src/app/publishService";
import type { SnapshotPublisher } from "../../src/app/publishing";
import { createPane, classifyAndWrite } from "../helpers/pane";
import { SEGMENTS_TABLE, SKU_POLICY_TABLE } from "../../src/app/sheets";
import { MemoryGateway } from "../helpers/memoryGateway";
import { FakePublisher, FakeSync } from "./paneFakes";
import { sampleSheet } from "./sampleData";

function setup(opts: { gw?: MemoryGateway; sync?: AuditSync; publisher?: SnapshotPublisher } = {}) {
  const gw = opts.gw ?? new MemoryGateway().addSheet("Data", sampleSheet()).select("Data", "A1");
  let t = Date.parse("2026-11-25T10:00:00.000Z");
  let id = 0;
  const session = createPane({
    gateway: gw,
    runner: createInlineRunner(),
    auditSync: opts.sync,
    publisher: opts.publisher,
    now: () => new Date((t += 1000)),
    uuid: () => `00000000-0000-4000-8000-${String(++id).padStart(12, "0")}`,
  });
  return { gw, session };
}


const tick = () => new Promise((r) => setTimeout(r, 0));

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await tick();
  }
  throw new Error(`timed out waiting for ${what}`);
}

function byHeader(gw: MemoryGateway, table: string): Map<string, Record<string, unknown>> {
  const t = gw.table(table)!;
  return new Map(t.rows.map((r) => [String(r[0]), Object.fromEntries(t.headers.map((h, i) => [h, r[i]]))]));
}

describe("Sync now", () => {
  it("does not make the pane busy: other steps run while it is in progress", async () => {
    const sync = new FakeSync();
    const { session, gw } = setup({ sync });
    await classifyAndWrite(session);
    let done = false;
    const p = session.step("audit").syncNow().then(() => (done = true));
    await tick();
    expect(session.getState().common.running).toBeNull();
    // another step meanwhile: it runs instead of "wait until the current step has finished"
    await session.step("audit").verify();
    expect(session.getState().common.error).toBeNull();
    expect(session.getState().steps.audit.verify?.ok).toBe(true);
    expect(done).toBe(false);
    // the sync confirms the rows; when its loop ends the list is read again with the marks
    await gw.audit.markSynced(gw.auditRows.map((r) => r.entryId));
    sync.release();
    await p;
    expect(session.getState().steps.audit.rows.map((r) => r.syncState)).toEqual(["synced"]);
  });
});

describe("Audit list and the sync's marks", () => {
  it("re-reads the list when the sync turns synced, and not on other changes", async () => {
    const sync = new FakeSync();
    const { session, gw } = setup({ sync });
    await classifyAndWrite(session);
    await session.step("audit").load();
    expect(session.getState().steps.audit.rows.map((r) => r.syncState)).toEqual(["pending"]);
    const reads = sync.observed.length;
    sync.set({ kind: "pending", pending: 1, configured: true });
    await tick();
    expect(sync.observed.length).toBe(reads); // no re-read for a pending count
    await gw.audit.markSynced(gw.auditRows.map((r) => r.entryId));
    sync.set({ kind: "synced" });
    await until(() => session.getState().steps.audit.rows[0]?.syncState === "synced", "the list to show synced");
    expect(session.getState().steps.audit.syncStatus).toEqual({ kind: "synced" });
  });

  it("turning synced during another step re-reads the list when that step ends", async () => {
    const sync = new FakeSync();
    const { session, gw } = setup({ sync });
    await classifyAndWrite(session);
    await session.step("audit").load();
    sync.set({ kind: "pending", pending: 1, configured: true });
    // an override step is running (its selection read is held) when the sync finishes
    gw.selectTableRows(SEGMENTS_TABLE, 2);
    let releaseRead!: () => void;
    const held = new Promise<void>((r) => (releaseRead = r));
    const readSelected = gw.readSelectedTableRows.bind(gw);
    gw.readSelectedTableRows = async (name: string) => {
      await held;
      return readSelected(name);
    };
    const step = session.step("overrides").loadSelection();
    await tick();
    expect(session.getState().common.running?.step).toBe("overrides");
    await gw.audit.markSynced(gw.auditRows.map((r) => r.entryId));
    sync.set({ kind: "synced" });
    await tick();
    expect(session.getState().steps.audit.rows[0].syncState).toBe("pending"); // not read during the step
    releaseRead();
    await step;
    await until(() => session.getState().steps.audit.rows[0]?.syncState === "synced", "the list to show synced after the step");
  });

  it("turning synced while the Audit tab's first load is reading re-reads after that load", async () => {
    const sync = new FakeSync();
    const { session, gw } = setup({ sync });
    await classifyAndWrite(session);
    sync.set({ kind: "pending", pending: 1, configured: true });
    const readAll = gw.audit.readAll.bind(gw.audit);
    let reads = 0;
    gw.audit.readAll = async () => {
      const rows = (await readAll()).map((r) => ({ ...r })); // the rows as they are at this read
      if (++reads === 1) {
        // the load's list read (the Write appends without reading the trail back) has the rows
        // still pending; the sync finishes right after it
        await gw.audit.markSynced(gw.auditRows.map((r) => r.entryId));
        sync.set({ kind: "synced" });
      }
      return rows;
    };
    await session.step("audit").load();
    await until(() => session.getState().steps.audit.rows[0]?.syncState === "synced", "the list to show synced after the first load");
  });
});

describe("publishing", () => {
  it("a Write hands its run to the publisher without waiting; the status follows the publisher", async () => {
    const publisher = new FakePublisher();
    const { session, gw } = setup({ publisher });
    expect(session.getState().steps.write.publishStatus).toEqual({ kind: "idle" });
    await classifyAndWrite(session); // resolves although publishWrite never settles
    expect(session.getState().common.running).toBeNull();
    const mv = session.getState().steps.write.lastWrite!.modelVersion;
    expect(publisher.calls).toHaveLength(1);
    const call = publisher.calls[0];
    expect(call.workbookId).toBe(gw.settings.get("seg.workbookId"));
    expect(call.modelVersion).toBeUndefined();
    expect(call.outcome.modelVersion).toBe(mv);
    expect(call.run.parsed.n).toBe(10);
    expect(call.overrides).toEqual({});
    expect(session.getState().steps.write.publishStatus).toEqual({ kind: "publishing", modelVersion: mv, attempt: 1 });
    publisher.set({ kind: "published", modelVersion: mv, created: true, seq: 1, items: 10 });
    expect(session.getState().steps.write.publishStatus).toMatchObject({ kind: "published", modelVersion: mv });
  });

  it("no publisher: no publish status", () => {
    const { session } = setup();
    expect(session.getState().steps.write.publishStatus).toBeNull();
  });

  it("an override of the written run is published as <mv>+o1, then +o2, with the Policy sheet's values", async () => {
    const publisher = new FakePublisher();
    const { session, gw } = setup({ publisher });
    await classifyAndWrite(session);
    const mv = session.getState().steps.write.lastWrite!.modelVersion;
    gw.selectTableRows(SEGMENTS_TABLE, 2); // S03, computed BX
    await session.step("overrides").setOverride("AX", "Critical spares");
    expect(session.getState().common.error).toBeNull();
    expect(publisher.calls.map((c) => c.modelVersion)).toEqual([undefined, `${mv}+o1`]);
    const snap = snapshotOfWrite(publisher.calls[1]);
    expect(snap.modelVersion).toBe(`${mv}+o1`);
    // the snapshot holds what the Policy sheet now shows for every SKU (the override row followed it)
    const sheet = byHeader(gw, SKU_POLICY_TABLE);
    expect(sheet.get("S03")).toMatchObject({ Segment: "AX", "Segment source": "override" });
    for (const item of snap.items) {
      const row = sheet.get(item.sku)!;
      expect([item.segment ?? row.Segment, item.safetyStock, item.reorderPoint, item.orderQty]).toEqual([row.Segment, row["Safety stock"], row["Reorder point"], row["Order quantity"]]);
    }
    expect(snap.items.find((i) => i.sku === "S03")).toMatchObject({ segment: "AX", overridden: true });

    gw.selectTableRows(SEGMENTS_TABLE, 2);
    await session.step("overrides").clearOverride("back to computed");
    expect(publisher.calls.map((c) => c.modelVersion)).toEqual([undefined, `${mv}+o1`, `${mv}+o2`]);
    expect(snapshotOfWrite(publisher.calls[2]).items.find((i) => i.sku === "S03")).toMatchObject({ segment: "BX", overridden: false });

    // a new Write starts again from its own model version
    await session.step("write").write();
    const mv2 = session.getState().steps.write.lastWrite!.modelVersion;
    expect(mv2).not.toBe(mv);
    expect(publisher.calls.at(-1)!.modelVersion).toBeUndefined();
    expect(publisher.calls.at(-1)!.outcome.modelVersion).toBe(mv2);
  });

  it("an override after the pane was reopened is not published; the notice says the next Write takes it in", async () => {
    const { session: first, gw } = setup({ publisher: new FakePublisher() });
    await classifyAndWrite(first);
    const publisher = new FakePublisher();
    const { session } = setup({ gw, publisher });
    gw.selectTableRows(SEGMENTS_TABLE, 2);
    await session.step("overrides").setOverride("AX", "Critical spares");
    expect(session.getState().common.error).toBeNull();
    expect(publisher.calls).toEqual([]);
    expect(session.getState().common.notice).toBe("Override to AX set for 1 SKU(s): S03. The Policy sheet and the server's snapshot take it in at the next Write.");
  });

  it("an override follows the policy options the run was written with, not ones changed since", async () => {
    const publisher = new FakePublisher();
    const { session, gw } = setup({ publisher });
    await classifyAndWrite(session);
    session.step("policy").setPolicyOptions({ orderCost: 5000 }); // not written
    gw.selectTableRows(SEGMENTS_TABLE, 2);
    await session.step("overrides").setOverride("AX", "Critical spares");
    // S03 as AX: continuous review, EOQ = sqrt(2 D S / (h c)) with D = 10 x 52, S = 50 (written), h = 0.25, c = 1,
    // rounded up to a whole unit (456.07 -> 457); with S = 5000 it would be 4,561
    const eoq = Math.ceil(Math.sqrt((2 * 520 * 50) / 0.25));
    expect(byHeader(gw, SKU_POLICY_TABLE).get("S03")!["Order quantity"]).toBe(eoq);
    expect(snapshotOfWrite(publisher.calls[1]).items.find((i) => i.sku === "S03")!.orderQty).toBe(eoq);
  });
});
