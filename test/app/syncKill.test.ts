/**
 * The server process (src/server/main.ts, SQLite, plain http) killed with SIGKILL while a batch is
 * on its way, twice, and restarted on the same port and data directory. The sync's retry loop
 * finishes on its own; afterwards the server holds every entry of the sheet exactly once, in
 * order, and its chain verifies.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { SegApiClient, type StoredAuditEntry } from "../../src/client";
import { MemoryKeyValueStorage, ServerSettingsStore } from "../../src/app/serverSettings";
import { SyncService } from "../../src/app/syncService";
import { issueToken } from "../../src/server/auth";
import { SqliteStorage } from "../../src/server/storage/sqlite";
import { MemoryGateway } from "../helpers/memoryGateway";
import { freePort, spawnServer, type ServerChild } from "../client/helpers/process";
import { appendPending, waitFor } from "../client/helpers/rows";
import { sleep } from "../client/helpers/server";

const WB = "kill-test-workbook";

describe("the server killed with SIGKILL in the middle of a batch [sqlite, child process]", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "seg-sync-kill-"));
  let server: ServerChild | null = null;
  afterAll(async () => {
    if (server && server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill("SIGKILL");
      await server.exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  test("the retry loop finishes; every entry is stored exactly once and the chain verifies", async () => {
    const file = path.join(dir, "seg.sqlite");
    const setup = new SqliteStorage({ file });
    await setup.migrate();
    const planner = (await issueToken(setup, "alice", "planner")).token;
    const controller = (await issueToken(setup, "carol", "controller")).token;
    await setup.close();

    const port = await freePort();
    server = await spawnServer(port, dir);
    const gw = new MemoryGateway();
    await appendPending(gw, WB, 5000);

    // Kill the server while it works on the 3rd and the 7th batch: a quarter of the quickest
    // round trip so far after the request left (reading, hashing or inserting the 500 entries).
    // A timer can fire late on a loaded machine, after the batch was answered, so the server is
    // first stopped (SIGSTOP) and given 20 ms to deliver anything it already sent: if the batch
    // was answered, the server goes on (SIGCONT) and the next batch is the target instead; else
    // it is killed. Restart it 200 ms later on the same port.
    // Only requests sent while a server is up count (retries while it is down do not).
    const killAt = new Set([3, 7]);
    let posts = 0;
    let down = false;
    const kills: Promise<void>[] = [];
    /** The batches whose request was in flight when the server was killed. */
    const killed: number[] = [];
    const unanswered: number[] = [];
    let quickest = Infinity;
    const killing: typeof fetch = (input, init) => {
      const sentAt = Date.now();
      const pending = fetch(input, init);
      if (init?.method === "POST" && !down) {
        const n = ++posts;
        let answered = false;
        pending.then(
          () => {
            answered = true;
            quickest = Math.min(quickest, Date.now() - sentAt);
          },
          () => undefined,
        );
        if (killAt.has(n)) {
          const wait = Number.isFinite(quickest) ? Math.max(3, Math.floor(quickest / 4)) : 5;
          const victim = server!;
          pending.then(
            () => undefined,
            () => unanswered.push(n),
          );
          kills.push(
            (async () => {
              await sleep(wait);
              victim.child.kill("SIGSTOP");
              await sleep(20);
              if (answered) {
                victim.child.kill("SIGCONT");
                let next = posts + 1;
                while (killAt.has(next)) next++;
                killAt.add(next);
                return;
              }
              killed.push(n);
              down = true;
              victim.child.kill("SIGKILL");
              const { signal } = await victim.exited;
              expect(signal).toBe("SIGKILL");
              await sleep(200);
              server = await spawnServer(port, dir);
              down = false;
            })(),
          );
        }
      }
      return pending;
    };

    const store = new ServerSettingsStore(new MemoryKeyValueStorage());
    await store.save({ url: `http://127.0.0.1:${port}`, token: planner });
    const sync = new SyncService({ gateway: gw, settings: store, fetch: killing, batchSize: 500, timeoutMs: 20_000, backoff: { baseMs: 50, maxMs: 400 } });
    const errors: string[] = [];
    sync.subscribe(() => {
      const s = sync.status();
      if (s.kind === "error") errors.push(s.message);
    });
    try {
      await sync.start();
      await waitFor(() => sync.status().kind === "synced", "the sync to finish after the kills", 90_000);
    } finally {
      sync.dispose();
    }
    await Promise.all(kills);
    expect(killed).toHaveLength(2);
    expect(killed[0]).toBeGreaterThanOrEqual(3);
    expect(killed[1]).toBeGreaterThanOrEqual(7);
    // both killed requests went unanswered, and the sync said it could not reach the server
    expect(unanswered.sort((a, b) => a - b)).toEqual(killed);
    expect(errors.some((m) => m.startsWith(`Cannot reach the server at http://127.0.0.1:${port}`))).toBe(true);
    expect(gw.auditRows.every((r) => r.syncState === "synced")).toBe(true);

    const c = new SegApiClient({ baseUrl: server!.base, token: controller });
    const trail: StoredAuditEntry[] = [];
    let cursor: string | null = null;
    do {
      const page = await c.listAudit(WB, { limit: "5000", ...(cursor ? { cursor } : {}) });
      trail.push(...page.entries);
      cursor = page.nextCursor;
    } while (cursor);
    expect(trail.map((e) => e.entryId)).toEqual(gw.auditRows.map((r) => r.entryId));
    expect(trail.map((e) => e.seq)).toEqual(gw.auditRows.map((_, i) => i + 1));
    expect(await c.verifyAudit(WB)).toEqual({ ok: true, count: 5000, lastHash: gw.auditRows[4999].entryHash });

    // stop cleanly, then look at the file itself: each id once, nothing else
    server!.child.kill("SIGTERM");
    expect(await server!.exited).toEqual({ code: 0, signal: null });
    const check = new SqliteStorage({ file });
    try {
      const row = check.db.prepare("SELECT COUNT(*) AS n, COUNT(DISTINCT entry_id) AS d FROM audit_entries").get() as { n: number; d: number };
      expect(row).toEqual({ n: 5000, d: 5000 });
      expect(check.db.pragma("integrity_check", { simple: true })).toBe("ok");
    } finally {
      await check.close();
    }
  }, 120_000);
});
