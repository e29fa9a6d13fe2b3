/**
 * The audit sync against the real backend (buildServer over a SQLite file, plain http on loopback)
 * with the in-memory gateway as the SEG_Audit sheet. Short backoff so that the fault cases finish
 * quickly; every case ends by reading the server's copy back and verifying its chain there.
 */
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { SegApiClient, type StoredAuditEntry } from "../../src/client";
import type { SyncStatus } from "../../src/app/auditSync";
import type { AuditRow } from "../../src/app/ports";
import { MemoryKeyValueStorage, ServerSettingsStore } from "../../src/app/serverSettings";
import { SyncService, type SyncServiceOptions } from "../../src/app/syncService";
import { MemoryGateway } from "../helpers/memoryGateway";
import { startTestServer, sleep, type TestServer } from "../client/helpers/server";
import { appendPending, waitFor } from "../client/helpers/rows";

const WB = "3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b";
const FAST = { baseMs: 5, maxMs: 40 };

let server: TestServer;
const services: SyncService[] = [];

beforeEach(async () => {
  server = await startTestServer();
});

afterEach(async () => {
  services.splice(0).forEach((s) => s.dispose());
  await server.cleanup();
});

async function settingsFor(token: string | null, url = server.base): Promise<ServerSettingsStore> {
  const store = new ServerSettingsStore(new MemoryKeyValueStorage());
  if (token !== null) await store.save({ url, token });
  return store;
}

function newSync(gw: MemoryGateway, settings: ServerSettingsStore, extra: Partial<SyncServiceOptions> = {}): SyncService {
  const s = new SyncService({ gateway: gw, settings, backoff: FAST, timeoutMs: 5000, ...extra });
  services.push(s);
  return s;
}

/** Every status the service reports, in order. */
function record(sync: SyncService): SyncStatus[] {
  const seen: SyncStatus[] = [];
  sync.subscribe(() => seen.push(sync.status()));
  return seen;
}

/** The server's whole trail for the workbook (controller token), in chain order. */
async function serverTrail(workbookId = WB): Promise<StoredAuditEntry[]> {
  const c = new SegApiClient({ baseUrl: server.base, token: server.tokens.controller });
  const out: StoredAuditEntry[] = [];
  let cursor: string | null = null;
  do {
    const page = await c.listAudit(workbookId, { limit: "5000", ...(cursor ? { cursor } : {}) });
    out.push(...page.entries);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

async function serverVerify(workbookId = WB) {
  return new SegApiClient({ baseUrl: server.base, token: server.tokens.controller }).verifyAudit(workbookId);
}

/** The server holds exactly the sheet's entries, once each, in sheet order, and its chain verifies. */
async function expectServerHoldsSheet(gw: MemoryGateway): Promise<void> {
  const trail = await serverTrail();
  expect(trail.map((e) => e.entryId)).toEqual(gw.auditRows.map((r) => r.entryId));
  expect(trail.map((e) => e.entryHash)).toEqual(gw.auditRows.map((r) => r.entryHash));
  const last = gw.auditRows[gw.auditRows.length - 1];
  expect(await serverVerify()).toEqual({ ok: true, count: gw.auditRows.length, lastHash: last.entryHash });
}

/** Counts how often each entry id was passed to markSynced. */
function countMarks(gw: MemoryGateway): Map<string, number> {
  const marks = new Map<string, number>();
  const original = gw.audit.markSynced;
  gw.audit.markSynced = async (ids: string[]) => {
    for (const id of ids) marks.set(id, (marks.get(id) ?? 0) + 1);
    return original(ids);
  };
  return marks;
}

const pendingIn = (rows: AuditRow[]) => rows.filter((r) => r.syncState === "pending").length;

describe("happy path", () => {
  test("sends pending rows in chain order in batches of 500, marks them synced, and keeps the token out of the workbook", async () => {
    const gw = new MemoryGateway();
    await appendPending(gw, WB, 1234);
    const sync = newSync(gw, await settingsFor(server.tokens.planner));
    sync.observe(await gw.audit.readAll());
    expect(sync.status()).toEqual({ kind: "pending", pending: 1234, configured: false });
    await sync.start();
    expect(sync.status()).toEqual({ kind: "synced" });
    expect(pendingIn(gw.auditRows)).toBe(0);
    expect(server.appends.map((a) => a.ids.length)).toEqual([500, 500, 234]);
    expect(server.appends.flatMap((a) => a.ids)).toEqual(gw.auditRows.map((r) => r.entryId));
    expect(server.appends.map((a) => a.status)).toEqual([201, 201, 201]);
    expect(sync.detail()).toMatchObject({ phase: "idle", confirmed: 1234, requests: 3, failures: 0 });
    await expectServerHoldsSheet(gw);
    // the credential lives in the settings store only
    const workbookText = JSON.stringify([...gw.settingsStore.entries()]) + JSON.stringify(gw.auditRows) + JSON.stringify([...gw.state.sheets.values()]);
    expect(workbookText).not.toContain(server.tokens.planner);
  });

  test("an append is sent by observe() without a click; the server records who sent it", async () => {
    const gw = new MemoryGateway();
    const sync = newSync(gw, await settingsFor(server.tokens.planner));
    await sync.start();
    expect(sync.status()).toEqual({ kind: "synced" });
    expect(server.appends).toHaveLength(0);
    await appendPending(gw, WB, 3);
    sync.observe(await gw.audit.readAll());
    await waitFor(() => sync.status().kind === "synced" && pendingIn(gw.auditRows) === 0, "the 3 new rows to sync");
    await appendPending(gw, WB, 2);
    sync.observe(await gw.audit.readAll());
    await waitFor(() => pendingIn(gw.auditRows) === 0, "the 2 newer rows to sync");
    expect(server.appends.map((a) => a.ids.length)).toEqual([3, 2]);
    const trail = await serverTrail();
    expect(trail.every((e) => e.receivedBy === "alice")).toBe(true);
    await expectServerHoldsSheet(gw);
  });

  test("without a URL and token nothing is sent; saving settings starts the sync", async () => {
    const gw = new MemoryGateway();
    await appendPending(gw, WB, 7);
    const store = await settingsFor(null);
    const sync = newSync(gw, store);
    await sync.start();
    expect(sync.status()).toEqual({ kind: "pending", pending: 7, configured: false });
    expect(server.appends).toHaveLength(0);
    await store.save({ url: `${server.base}/api/v1/`, token: ` ${server.tokens.planner} ` });
    await waitFor(() => sync.status().kind === "synced", "sync after the settings were saved");
    await expectServerHoldsSheet(gw);
  });
});

describe("faults on the way", () => {
  test("server down, then up: rows stay pending with an error, then sync once it listens again on the same port and data", async () => {
    const gw = new MemoryGateway();
    await appendPending(gw, WB, 40);
    const sync = newSync(gw, await settingsFor(server.tokens.planner), { batchSize: 25 });
    await sync.start();
    expect(sync.status()).toEqual({ kind: "synced" });
    await server.stop();
    await appendPending(gw, WB, 60);
    sync.observe(await gw.audit.readAll());
    await waitFor(() => sync.detail().failures >= 3, "several failed attempts while the server is down");
    const s = sync.status();
    expect(s.kind).toBe("error");
    if (s.kind === "error") {
      expect(s.pending).toBe(60);
      expect(s.message).toMatch(/^Cannot reach the server at http:\/\/127\.0\.0\.1:\d+/);
      expect(s.message).toMatch(/Trying again in/);
    }
    expect(["waiting", "sending"]).toContain(sync.detail().phase); // between retries, or in one
    expect(pendingIn(gw.auditRows)).toBe(60);
    await server.restart();
    await waitFor(() => sync.status().kind === "synced", "sync after the restart");
    expect(pendingIn(gw.auditRows)).toBe(0);
    await expectServerHoldsSheet(gw);
  });

  test("500s: retried until the server stores the batch; nothing half-stored", async () => {
    const gw = new MemoryGateway();
    await appendPending(gw, WB, 120);
    const sync = newSync(gw, await settingsFor(server.tokens.planner), { batchSize: 50 });
    const seen = record(sync);
    server.faults.fail500 = 3;
    await sync.start();
    await waitFor(() => sync.status().kind === "synced", "sync after the 500s");
    const errors = seen.filter((s) => s.kind === "error").map((s) => (s.kind === "error" ? s.message : ""));
    expect(errors.length).toBeGreaterThanOrEqual(1);
    expect(errors[0]).toMatch(/^The server failed \(500 Internal server error\): unexpected server error/);
    expect(server.faults.fail500).toBe(0);
    expect(server.appends.map((a) => a.ids.length)).toEqual([50, 50, 20]);
    await expectServerHoldsSheet(gw);
  });

  test("timeouts after the server committed: the resend is reported already stored and each row is marked once", async () => {
    const gw = new MemoryGateway();
    await appendPending(gw, WB, 80);
    const marks = countMarks(gw);
    const sync = newSync(gw, await settingsFor(server.tokens.planner), { batchSize: 40, timeoutMs: 250 });
    const seen = record(sync);
    server.faults.delayAfterCommit = 2;
    server.faults.delayMs = 700;
    await sync.start();
    await waitFor(() => sync.status().kind === "synced", "sync after the timeouts");
    const errors = seen.filter((s) => s.kind === "error").map((s) => (s.kind === "error" ? s.message : ""));
    expect(errors.some((m) => /did not answer within 0\.3 s/.test(m))).toBe(true);
    // first batch: stored on the first try (answer lost), already stored on the second (answer lost
    // again) and on the third (answered); more tries only if the machine is slow
    const first = gw.auditRows.slice(0, 40).map((r) => r.entryId);
    expect(server.appends.filter((a) => a.ids[0] === first[0]).length).toBeGreaterThanOrEqual(3);
    expect([...marks.values()].every((n) => n === 1)).toBe(true);
    expect(marks.size).toBe(80);
    await sleep(800); // let the delayed answers drain before the server closes
    await expectServerHoldsSheet(gw);
  });

  test("the same batch delivered twice: the answer is lost after the commit, the resend is already stored", async () => {
    const gw = new MemoryGateway();
    await appendPending(gw, WB, 30);
    const marks = countMarks(gw);
    const sync = newSync(gw, await settingsFor(server.tokens.planner));
    server.faults.dropAfterCommit = 1;
    await sync.start();
    await waitFor(() => sync.status().kind === "synced", "sync after the dropped answer");
    expect(server.appends.map((a) => [a.ids.length, a.status])).toEqual([
      [30, 201],
      [30, 200],
    ]);
    expect(server.appends[0].ids).toEqual(server.appends[1].ids);
    expect(marks.size).toBe(30);
    expect([...marks.values()].every((n) => n === 1)).toBe(true);
    await expectServerHoldsSheet(gw);
  });

  test("the workbook closed without saving after a sync (rows pending again): a new sync resends, the server reports them already stored", async () => {
    const gw = new MemoryGateway();
    await appendPending(gw, WB, 25);
    await newSync(gw, await settingsFor(server.tokens.planner)).start();
    expect(pendingIn(gw.auditRows)).toBe(0);
    // Excel closed without saving: the syncState column is back to what was saved (pending)
    for (const r of gw.auditRows) r.syncState = "pending";
    await appendPending(gw, WB, 5);
    const marks = countMarks(gw);
    const again = newSync(gw, await settingsFor(server.tokens.planner));
    await again.start();
    expect(again.status()).toEqual({ kind: "synced" });
    expect(server.appends.map((a) => [a.ids.length, a.status])).toEqual([
      [25, 201],
      [30, 201],
    ]);
    expect(marks.size).toBe(30);
    await expectServerHoldsSheet(gw);
  });

  test("the pane restarts mid-way: a new SyncService resumes at the first pending row", async () => {
    const gw = new MemoryGateway();
    await appendPending(gw, WB, 2000);
    const store = await settingsFor(server.tokens.planner);
    let answered = 0;
    let first: SyncService | null = null;
    const fetchThenClose: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (++answered === 3) {
        // the third answer is in; the pane closes while the fourth batch is on its way
        setTimeout(() => first!.dispose(), 2);
      }
      return res;
    };
    first = newSync(gw, store, { batchSize: 250, fetch: fetchThenClose });
    await first.start();
    expect(first.detail().phase).toBe("disposed");
    const syncedBefore = new Set(gw.auditRows.filter((r) => r.syncState === "synced").map((r) => r.entryId));
    expect(syncedBefore.size).toBeGreaterThanOrEqual(750);
    expect(syncedBefore.size).toBeLessThan(2000);
    const before = server.appends.length;

    const second = newSync(gw, store, { batchSize: 250 });
    await second.start();
    expect(second.status()).toEqual({ kind: "synced" });
    const resent = server.appends.slice(before).flatMap((a) => a.ids);
    expect(resent.filter((id) => syncedBefore.has(id))).toEqual([]);
    expect(resent[0]).toBe(gw.auditRows[syncedBefore.size].entryId);
    await expectServerHoldsSheet(gw);
  });

  test("429 with Retry-After: the next attempt waits at least that long", async () => {
    await server.cleanup();
    server = await startTestServer({ rateLimit: { max: 2, timeWindow: 2500 } });
    const gw = new MemoryGateway();
    await appendPending(gw, WB, 30);
    const sync = newSync(gw, await settingsFor(server.tokens.planner), { batchSize: 10, random: () => 0 });
    const waits: number[] = [];
    const messages: string[] = [];
    sync.subscribe(() => {
      const d = sync.detail();
      const s = sync.status();
      if (d.phase === "waiting" && d.nextRetryAt !== null) waits.push(d.nextRetryAt - Date.now());
      if (s.kind === "error") messages.push(s.message);
    });
    await sync.start();
    expect(sync.status().kind).toBe("error");
    expect(messages[0]).toMatch(/^The server is limiting requests \(429\): more than 2 requests/);
    // with random() = 0 the jittered backoff is 0: any wait comes from Retry-After (whole seconds)
    expect(waits.length).toBeGreaterThan(0);
    expect(waits[0]).toBeGreaterThanOrEqual(900);
    await waitFor(() => sync.status().kind === "synced", "sync after the rate-limit window", 10_000);
    await expectServerHoldsSheet(gw);
  });
});

describe("the server's trail and the sheet disagree", () => {
  const files = (dir: string) => readdirSync(dir).filter((f) => f.startsWith("seg.sqlite"));

  test("the server restored from an older backup: the rows it lost are sent again from where its trail ends", async () => {
    const gw = new MemoryGateway();
    await appendPending(gw, WB, 30);
    const sync = newSync(gw, await settingsFor(server.tokens.planner));
    await sync.start();
    // back up the server's data (stopped, so the file is complete)
    await server.stop();
    const backup = mkdtempSync(path.join(os.tmpdir(), "seg-backup-"));
    for (const f of files(server.dir)) copyFileSync(path.join(server.dir, f), path.join(backup, f));
    await server.restart();
    await appendPending(gw, WB, 20);
    await sync.syncNow();
    expect(pendingIn(gw.auditRows)).toBe(0);
    // the server is restored from that backup: it lost the last 20 entries the sheet calls synced
    await server.stop();
    for (const f of files(server.dir)) rmSync(path.join(server.dir, f));
    for (const f of files(backup)) copyFileSync(path.join(backup, f), path.join(server.dir, f));
    rmSync(backup, { recursive: true, force: true });
    await server.restart();
    expect((await serverTrail()).length).toBe(30);

    await appendPending(gw, WB, 5);
    const before = server.appends.length;
    await sync.syncNow();
    expect(sync.status()).toEqual({ kind: "synced" });
    // the 5 new rows are refused (they do not link to entry #30), then rows 31..55 go again
    expect(server.appends.slice(before).map((a) => [a.ids[0], a.ids.length, a.status])).toEqual([
      [gw.auditRows[50].entryId, 5, 409],
      [gw.auditRows[30].entryId, 25, 201],
    ]);
    await expectServerHoldsSheet(gw);
  });

  test("a copy of the workbook (Save As keeps its id) that appends its own rows: stops with a message, the shared part is confirmed", async () => {
    const original = new MemoryGateway();
    await appendPending(original, WB, 10);
    const copy = new MemoryGateway();
    copy.auditRows = structuredClone(original.auditRows.slice(0, 6));
    await appendPending(copy, WB, 3);
    await newSync(original, await settingsFor(server.tokens.planner)).start();
    expect(pendingIn(original.auditRows)).toBe(0);

    const sync = newSync(copy, await settingsFor(server.tokens.planner));
    await sync.start();
    const s = sync.status();
    expect(s.kind).toBe("error");
    expect(s.kind === "error" && s.message).toMatch(
      new RegExp(`^SEG_Audit row 8 \\(entry ${copy.auditRows[6].entryId}\\): The server refused it: .*does not link to stored entry #10 .*or this workbook is a copy \\(Save As\\) of one that already syncs`),
    );
    expect(copy.auditRows.map((r) => r.syncState)).toEqual([...Array(6).fill("synced"), "pending", "pending", "pending"]);
    expect(sync.detail().phase).toBe("stopped");
    expect((await serverTrail()).map((e) => e.entryId)).toEqual(original.auditRows.map((r) => r.entryId));
  });
});

describe("errors that need a fix stop the retries", () => {
  test("a tampered pending row: the rows before it are sent, then a 409 names the row and the entry, and nothing is retried", async () => {
    const gw = new MemoryGateway();
    await appendPending(gw, WB, 30);
    const tampered = gw.auditRows[12];
    tampered.reason = "changed by hand";
    const sync = newSync(gw, await settingsFor(server.tokens.planner));
    await sync.start();
    const s = sync.status();
    expect(s.kind).toBe("error");
    if (s.kind !== "error") return;
    expect(s.pending).toBe(18);
    expect(s.message).toContain(`SEG_Audit row 14 (entry ${tampered.entryId}): The server refused it: entry ${tampered.entryId} (entries[0]): content does not match its hash`);
    expect(s.message).toContain("restore the row from a backup");
    expect(gw.auditRows.slice(0, 12).every((r) => r.syncState === "synced")).toBe(true);
    expect(gw.auditRows.slice(12).every((r) => r.syncState === "pending")).toBe(true);
    expect(sync.detail().phase).toBe("stopped");
    const requests = sync.detail().requests;
    expect(requests).toBe(3); // 30 refused at index 12, the 12 before it, then the tampered run again
    await sleep(300);
    sync.observe(await gw.audit.readAll()); // reloading the audit list does not resend the same rows
    await sleep(50);
    expect(sync.detail().requests).toBe(requests);
    const trail = await serverTrail();
    expect(trail.map((e) => e.entryId)).toEqual(gw.auditRows.slice(0, 12).map((r) => r.entryId));
    await sync.syncNow(); // the button tries again, and fails the same way
    expect(sync.detail().requests).toBe(requests + 1);
    expect(sync.status().kind).toBe("error");
  });

  test("wrong token: an error that says so and how to get one; nothing stored, no retries", async () => {
    const gw = new MemoryGateway();
    await appendPending(gw, WB, 5);
    const sync = newSync(gw, await settingsFor("seg_not-a-real-token"));
    await sync.start();
    const s = sync.status();
    expect(s).toEqual({
      kind: "error",
      pending: 5,
      message: `The server at ${server.base} does not accept the token: the bearer token is not recognised. Paste a valid token in Settings (an admin creates one with: npm run token -- create --role planner --name <your name>).`,
    });
    await sleep(200);
    expect(sync.detail().requests).toBe(1);
    expect(sync.detail().phase).toBe("stopped");
    expect(await new SegApiClient({ baseUrl: server.base, token: server.tokens.controller }).getWorkbook(WB)).toBeNull();
  });

  test("revoked token and a controller token: 401 and 403 with the server's reason", async () => {
    const gw = new MemoryGateway();
    await appendPending(gw, WB, 5);
    const revoked = newSync(gw, await settingsFor(server.tokens.revoked));
    await revoked.start();
    const r = revoked.status();
    expect(r.kind === "error" && r.message).toMatch(/does not accept the token: the bearer token was revoked at \d{4}-/);
    const controller = newSync(gw, await settingsFor(server.tokens.controller));
    await controller.start();
    const c = controller.status();
    expect(c.kind === "error" && c.message).toBe(
      'The token may not do this: role "controller" may not call POST /api/v1/workbooks/:workbookId/audit; allowed: planner. Syncing and publishing need a planner token, and a workbook belongs to the planner who first sent it.',
    );
    expect(pendingIn(gw.auditRows)).toBe(5);
  });

  test("a fixed token in Settings restarts the stopped sync", async () => {
    const gw = new MemoryGateway();
    await appendPending(gw, WB, 4);
    const store = await settingsFor("seg_wrong");
    const sync = newSync(gw, store);
    await sync.start();
    expect(sync.status().kind).toBe("error");
    await store.save({ url: server.base, token: server.tokens.planner });
    await waitFor(() => sync.status().kind === "synced", "sync after the token was fixed");
    await expectServerHoldsSheet(gw);
  });
  test("a token fixed in Settings while the failing request is under way is not lost: the loop runs again with it", async () => {
    const gw = new MemoryGateway();
    await appendPending(gw, WB, 3);
    const store = await settingsFor("seg_wrong");
    const sync = newSync(gw, store);
    // the pass has loaded the wrong token; the planner saves the right one before its request fails
    const readAll = gw.audit.readAll.bind(gw.audit);
    let saved = false;
    gw.audit.readAll = async () => {
      if (!saved) {
        saved = true;
        await store.save({ url: server.base, token: server.tokens.planner });
      }
      return readAll();
    };
    await sync.start();
    await waitFor(() => sync.status().kind === "synced", "sync with the token saved during the failing pass");
    expect(sync.detail().requests).toBe(2); // the refused one with the old token, then the new token
    await expectServerHoldsSheet(gw);
  });
});

describe("one loop at a time", () => {
  test("start, Sync now and appends at once never put two batches in flight", async () => {
    const gw = new MemoryGateway();
    await appendPending(gw, WB, 900);
    let inFlight = 0;
    let maxInFlight = 0;
    const counting: typeof fetch = async (input, init) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        return await fetch(input, init);
      } finally {
        inFlight--;
      }
    };
    const sync = newSync(gw, await settingsFor(server.tokens.planner), { batchSize: 100, fetch: counting });
    const calls: Promise<void>[] = [sync.start(), sync.syncNow()];
    for (let k = 0; k < 5; k++) {
      await appendPending(gw, WB, 20);
      sync.observe(await gw.audit.readAll());
      calls.push(sync.syncNow());
      await sleep(3);
    }
    await Promise.all(calls);
    await sync.idle();
    await waitFor(() => sync.status().kind === "synced", "everything synced");
    expect(maxInFlight).toBe(1);
    expect(gw.auditRows).toHaveLength(1000);
    await expectServerHoldsSheet(gw);
  });
});
