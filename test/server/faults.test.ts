/**
 * Faults on the way: the server down then up, 500s from the database, responses that time out,
 * and the server killed with SIGKILL while batches are in flight. In every case a plain resend loop
 * ends with every entry stored exactly once and a chain that verifies.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { buildServer } from "../../src/server/app";
import { issueToken } from "../../src/server/auth";
import { SqliteStorage } from "../../src/server/storage/sqlite";
import type { Storage } from "../../src/server/storage/types";
import { describeBackends } from "./helpers/backends";
import { startServerProcess, type ServerProcess } from "./helpers/child";
import { batches, chain } from "./helpers/chains";
import { startHarness } from "./helpers/harness";
import { newStats, sendUntilStored } from "./helpers/resend";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

async function verify(base: string, token: string, wb: string) {
  const res = await fetch(`${base}/api/v1/workbooks/${wb}/audit/verify`, { headers: { authorization: `Bearer ${token}` } });
  return res.json();
}

describeBackends("faults", (backend) => {
  test("server down, then up: the batches go through once it listens", async () => {
    const db = await backend.open();
    const planner = (await issueToken(db.storage, "alice", "planner")).token;
    const controller = (await issueToken(db.storage, "carol", "controller")).token;
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const wb = randomUUID();
    const entries = await chain(wb, 300);
    const stats = newStats();
    const sending = (async () => {
      for (const b of batches(entries, 100)) await sendUntilStored(() => base, planner, wb, b, stats);
    })();
    await sleep(400);
    const app = await buildServer({ storage: db.storage, rateLimit: false });
    try {
      await app.listen({ port, host: "127.0.0.1" });
      await sending;
      expect(stats.networkErrors).toBeGreaterThan(0);
      expect(await verify(base, controller, wb)).toEqual({ ok: true, count: 300, lastHash: entries[299].entryHash });
    } finally {
      await app.close();
      await db.cleanup();
    }
  });

  test("500s from a failing database: nothing half-stored, and the resend succeeds once it recovers", async () => {
    const h = await startHarness(backend);
    try {
      const wb = randomUUID();
      const entries = await chain(wb, 200);
      // A trigger fails the insert of the 151st entry: the first 150 rows of that batch are already
      // written inside the transaction when the database reports the error.
      if (backend.kind === "sqlite") {
        await h.db.exec(`CREATE TRIGGER fail_insert BEFORE INSERT ON audit_entries WHEN NEW.reason = 'reason 150'
          BEGIN SELECT RAISE(ABORT, 'injected failure'); END`);
      } else {
        await h.db.exec(`CREATE FUNCTION fail_insert() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN IF NEW.reason = 'reason 150' THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$;
          CREATE TRIGGER fail_insert BEFORE INSERT ON audit_entries FOR EACH ROW EXECUTE FUNCTION fail_insert();`);
      }
      const direct = await h.call("POST", `/api/v1/workbooks/${wb}/audit`, h.tokens.planner, { entries });
      expect(direct.status).toBe(500);
      expect(direct.body.type).toBe("urn:seg:problem:internal");
      expect(direct.text).not.toContain("injected");
      expect((await h.call("GET", `/api/v1/workbooks/${wb}`, h.tokens.controller)).status).toBe(404);

      const stats = newStats();
      const sending = sendUntilStored(() => h.base, h.tokens.planner, wb, entries, stats);
      while (stats.serverErrors < 2) await sleep(5);
      await h.db.exec(backend.kind === "sqlite" ? "DROP TRIGGER fail_insert" : "DROP TRIGGER fail_insert ON audit_entries");
      const done = await sending;
      expect(done.stored).toHaveLength(200);
      expect((await h.call("GET", `/api/v1/workbooks/${wb}/audit/verify`, h.tokens.controller)).body).toMatchObject({ ok: true, count: 200 });
    } finally {
      await h.close();
    }
  });

  test("timeouts: the client gives up after the server committed; the resend is reported as already stored", async () => {
    const db = await backend.open();
    const planner = (await issueToken(db.storage, "alice", "planner")).token;
    const controller = (await issueToken(db.storage, "carol", "controller")).token;
    // The first two answers come back only after the client stopped waiting.
    let slowAnswers = 2;
    const slow = new Proxy(db.storage, {
      get(target, prop, receiver) {
        if (prop === "appendAudit") {
          return async (...args: Parameters<Storage["appendAudit"]>) => {
            const r = await target.appendAudit(...args);
            if (slowAnswers-- > 0) await sleep(800);
            return r;
          };
        }
        const v = Reflect.get(target, prop, receiver);
        return typeof v === "function" ? v.bind(target) : v;
      },
    });
    const app = await buildServer({ storage: slow, rateLimit: false });
    try {
      await app.listen({ port: 0, host: "127.0.0.1" });
      const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      const wb = randomUUID();
      const entries = await chain(wb, 120);
      const stats = newStats();
      const first = await sendUntilStored(() => base, planner, wb, entries.slice(0, 60), stats, { timeoutMs: 250 });
      expect(stats.timeouts).toBe(2);
      expect(first).toMatchObject({ status: 200, stored: [] });
      expect(first.alreadyStored).toHaveLength(60);
      await sendUntilStored(() => base, planner, wb, entries.slice(60), stats, { timeoutMs: 250 });
      expect(await verify(base, controller, wb)).toEqual({ ok: true, count: 120, lastHash: entries[119].entryHash });
    } finally {
      await sleep(900); // let the delayed handlers finish before closing
      await app.close();
      await db.cleanup();
    }
  });
});

describe("the server process killed with SIGKILL in the middle of batches [sqlite]", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "seg-kill-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("after restarts and a full resend, every entry is stored exactly once and every chain verifies", async () => {
    const setup = new SqliteStorage({ file: path.join(dir, "seg.sqlite") });
    await setup.migrate();
    const planner = (await issueToken(setup, "alice", "planner")).token;
    const controller = (await issueToken(setup, "carol", "controller")).token;
    await setup.close();

    const env = { SEG_DATA_DIR: dir, SEG_RATE_LIMIT_MAX: "0" };
    const started: ServerProcess[] = [];
    const start = async () => {
      const p = await startServerProcess(env);
      started.push(p);
      return p;
    };
    let server: ServerProcess = await start();
    try {
      const WORKBOOKS = 4;
      const PER_WORKBOOK = 2000;
      const BATCH = 250;
      const chains = await Promise.all(
        Array.from({ length: WORKBOOKS }, () => randomUUID()).map(async (wb) => ({ wb, entries: await chain(wb, PER_WORKBOOK) })),
      );
      const stats = newStats();
      let sent = 0;
      const killAt = [5, 13, 21];
      let restarting: Promise<void> | null = null;
      let kills = 0;

      // Kill right after a request has gone out, while the other clients' requests are in flight;
      // one kill at a time (the next threshold counts from after the restart).
      const onSent = () => {
        sent++;
        if (restarting || kills >= killAt.length || sent < killAt[kills]) return;
        const victim = server;
        restarting = (async () => {
          await sleep(3);
          victim.child.kill("SIGKILL");
          const { signal } = await victim.exited;
          expect(signal).toBe("SIGKILL");
          kills++;
          await sleep(150); // the server stays down for a moment
          server = await start();
          restarting = null;
        })();
      };

      await Promise.all(
        chains.map(async ({ wb, entries }) => {
          for (const b of batches(entries, BATCH)) await sendUntilStored(() => server.base, planner, wb, b, stats, { onSent });
        }),
      );
      await restarting;
      expect(kills).toBe(killAt.length);
      expect(stats.networkErrors).toBeGreaterThan(0);

      // Re-send everything: all of it is already there.
      for (const { wb, entries } of chains) {
        for (const b of batches(entries, 500)) {
          const r = await sendUntilStored(() => server.base, planner, wb, b, newStats());
          expect(r.status).toBe(200);
          expect(r.alreadyStored).toEqual(b.map((e) => e.entryId));
        }
        expect(await verify(server.base, controller, wb)).toEqual({ ok: true, count: PER_WORKBOOK, lastHash: entries[PER_WORKBOOK - 1].entryHash });
      }

      // A clean stop on SIGTERM, then the database file itself: every id once, nothing else.
      server.child.kill("SIGTERM");
      expect(await server.exited).toEqual({ code: 0, signal: null });
      const check = new SqliteStorage({ file: path.join(dir, "seg.sqlite") });
      try {
        const row = check.db.prepare("SELECT COUNT(*) AS n, COUNT(DISTINCT entry_id) AS d FROM audit_entries").get() as { n: number; d: number };
        expect(row).toEqual({ n: WORKBOOKS * PER_WORKBOOK, d: WORKBOOKS * PER_WORKBOOK });
        const expected = new Set(chains.flatMap((c) => c.entries.map((e) => e.entryId)));
        const ids = check.db.prepare("SELECT entry_id FROM audit_entries").pluck().all() as string[];
        expect(ids.every((id) => expected.has(id))).toBe(true);
        expect(check.db.pragma("integrity_check", { simple: true })).toBe("ok");
      } finally {
        await check.close();
      }
    } finally {
      for (const p of started) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGKILL");
    }
  }, 180_000);
});
