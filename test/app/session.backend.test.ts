/**
 * The pane's session wired as in src/taskpane/index.tsx (one SyncService and one PublishService
 * over one ServerSettingsStore) against the real backend (buildServer over SQLite, plain http on
 * loopback), with the in-memory gateway as the workbook: a Write and an override end up on the
 * server as an intact audit trail and two snapshots, and the Audit list shows the rows synced.
 */
import { SegApiClient } from "../../src/client";
import { createInlineRunner } from "../../src/app/engineRunner";
import { PublishService } from "../../src/app/publishService";
import { MemoryKeyValueStorage, ServerSettingsStore } from "../../src/app/serverSettings";
import { PaneSession } from "../../src/app/session";
import { createPane } from "../helpers/pane";
import { SEGMENTS_TABLE } from "../../src/app/sheets";
import { SyncService } from "../../src/app/syncService";
import { MemoryGateway } from "../helpers/memoryGateway";
import { startTestServer, type TestServer } from "../client/helpers/server";
import { waitFor } from "../client/helpers/rows";
import { sampleSheet } from "./sampleData";

let server: TestServer;
let sync: SyncService | null = null;
let publisher: PublishService | null = null;

beforeEach(async () => {
  server = await startTestServer();
});

afterEach(async () => {
  sync?.dispose();
  publisher?.dispose();
  await server.cleanup();
});

/** The model version the publisher last reported as published, if any. */
function published(session: PaneSession): string | null {
  const s = session.getState().steps.write.publishStatus;
  return s?.kind === "published" ? s.modelVersion : null;
}

function wire(gw: MemoryGateway, settings: ServerSettingsStore): PaneSession {
  sync = new SyncService({ gateway: gw, settings, backoff: { baseMs: 5, maxMs: 40 }, timeoutMs: 5000 });
  publisher = new PublishService({ settings, backoff: { baseMs: 5, maxMs: 40 } });
  const session = createPane({ gateway: gw, runner: createInlineRunner(), auditSync: sync, publisher });
  void sync.start();
  return session;
}

test("write, set the server, override, write again: the server holds the trail (verified) and the snapshots <mv>+o1 and the second Write's", async () => {
  const gw = new MemoryGateway().addSheet("Data", sampleSheet()).select("Data", "A1");
  const settings = new ServerSettingsStore(new MemoryKeyValueStorage());
  const session = wire(gw, settings);

  await session.step("classify").readSource("region");
  await session.step("classify").classify();
  await session.step("write").write();
  await session.step("audit").load();
  expect(session.getState().common.error).toBeNull();
  const mv = session.getState().steps.write.lastWrite!.modelVersion;
  // no server yet: the rows wait in the sheet, the snapshot is not published
  expect(session.getState().steps.audit.syncStatus).toEqual({ kind: "pending", pending: 1, configured: false });
  await waitFor(() => session.getState().steps.write.publishStatus?.kind === "not-configured", "publish: not configured");

  // settings saved (the Settings tab): the sync starts by itself and the list shows the marks
  await settings.save({ url: server.base, token: server.tokens.planner });
  await waitFor(() => session.getState().steps.audit.syncStatus.kind === "synced", "sync: synced");
  await waitFor(() => session.getState().steps.audit.rows.every((r) => r.syncState === "synced"), "the Audit list to show synced");

  // an override of the written run: appended, synced, published as mv+o1
  gw.selectTableRows(SEGMENTS_TABLE, 2);
  await session.step("overrides").setOverride("AX", "Critical spares");
  expect(session.getState().common.error).toBeNull();
  await waitFor(() => published(session) === `${mv}+o1`, "publish: mv+o1");
  await waitFor(() => session.getState().steps.audit.rows.length === 2 && session.getState().steps.audit.rows.every((r) => r.syncState === "synced"), "the override synced in the list");

  const controller = new SegApiClient({ baseUrl: server.base, token: server.tokens.controller });
  const workbookId = await session.audit.workbookId();
  const last = gw.auditRows[gw.auditRows.length - 1];
  expect(await controller.verifyAudit(workbookId)).toEqual({ ok: true, count: 2, lastHash: last.entryHash });
  // the Write's snapshot was not published (no server then); the override's is
  expect((await controller.listSnapshots(workbookId)).map((s) => s.modelVersion)).toEqual([`${mv}+o1`]);

  // "Sync now" with nothing pending, and a Write now that the server is set: published under its own version
  await session.step("audit").syncNow();
  expect(session.getState().common.running).toBeNull();
  await session.step("write").write();
  const mv2 = session.getState().steps.write.lastWrite!.modelVersion;
  await waitFor(() => published(session) === mv2, "publish: mv2");
  await waitFor(() => session.getState().steps.audit.syncStatus.kind === "synced", "sync after the second write");
  expect((await controller.listSnapshots(workbookId)).map((s) => s.modelVersion)).toEqual([`${mv}+o1`, mv2]);
  expect((await controller.verifyAudit(workbookId)).ok).toBe(true);
});
