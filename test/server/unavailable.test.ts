/* Issue 8 defect 4: a database that does not answer makes requests fail fast with a clear 503 (no
   host or port in it), never hang. PostgreSQL: a TCP server that accepts and never answers.
   SQLite: the file locked by another connection. */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import type { FastifyInstance } from "fastify";
import type { AddressInfo } from "node:net";
import { buildServer } from "../../src/server/app";
import { issueToken } from "../../src/server/auth";
import { PostgresStorage } from "../../src/server/storage/postgres";
import { SqliteStorage } from "../../src/server/storage/sqlite";
import { chain } from "./helpers/chains";

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: "127.0.0.1" });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

async function call(base: string, method: string, url: string, token?: string, body?: unknown) {
  const res = await fetch(base + url, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, type: res.headers.get("content-type") ?? "", retryAfter: res.headers.get("retry-after"), body: await res.json() };
}

describe("a PostgreSQL that accepts connections and never answers [postgres]", () => {
  let silent: net.Server;
  const sockets: net.Socket[] = [];
  let app: FastifyInstance;
  let base: string;
  let port: number;
  beforeAll(async () => {
    silent = net.createServer((s) => sockets.push(s)); // accepts, reads, never writes
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", () => r()));
    port = (silent.address() as AddressInfo).port;
    const storage = new PostgresStorage({ connectionString: `postgres://seg@127.0.0.1:${port}/seg`, connectTimeoutMs: 500, statementTimeoutMs: 1000 });
    app = await buildServer({ storage, rateLimit: false });
    base = await listen(app);
  });
  afterAll(async () => {
    await app?.close();
    for (const s of sockets) s.destroy();
    await new Promise((r) => silent.close(r));
  });

  test("/ready answers 503 not-ready, without the database's host or port", async () => {
    const r = await call(base, "GET", "/ready");
    expect(r.status).toBe(503);
    expect(r.type).toMatch(/^application\/problem\+json/);
    expect(r.body.type).toBe("urn:seg:problem:not-ready");
    expect(r.retryAfter).toBe("5");
    expect(JSON.stringify(r.body)).not.toMatch(new RegExp(`127\\.0\\.0\\.1|${port}`));
  });

  test("/me and an append answer 503 storage-unavailable instead of hanging", async () => {
    const token = `seg_${"A".repeat(43)}`;
    const me = await call(base, "GET", "/api/v1/me", token);
    expect([me.status, me.body.type]).toEqual([503, "urn:seg:problem:storage-unavailable"]);
    expect(me.body.detail).toMatch(/did not answer in time.*retry later/);
    expect(JSON.stringify(me.body)).not.toMatch(new RegExp(`127\\.0\\.0\\.1|${port}`));
    const wb = randomUUID();
    const append = await call(base, "POST", `/api/v1/workbooks/${wb}/audit`, token, { entries: await chain(wb, 2) });
    expect(append.status).toBe(503);
    expect(append.retryAfter).toBe("5");
  });
});

describe("a SQLite file locked by another connection [sqlite]", () => {
  let dir: string;
  let storage: SqliteStorage;
  let app: FastifyInstance;
  let base: string;
  let token: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "seg-lock-"));
    storage = new SqliteStorage({ file: path.join(dir, "seg.sqlite"), busyTimeoutMs: 50 });
    await storage.migrate();
    token = (await issueToken(storage, "alice", "planner")).token;
    app = await buildServer({ storage, rateLimit: false });
    base = await listen(app);
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("an append while another process holds the write lock answers 503 storage-unavailable, and works once it is released", async () => {
    const other = new Database(path.join(dir, "seg.sqlite"));
    other.exec("BEGIN IMMEDIATE");
    const wb = randomUUID();
    const entries = await chain(wb, 2);
    try {
      const r = await call(base, "POST", `/api/v1/workbooks/${wb}/audit`, token, { entries });
      expect([r.status, r.body.type]).toEqual([503, "urn:seg:problem:storage-unavailable"]);
    } finally {
      other.exec("ROLLBACK");
      other.close();
    }
    expect((await call(base, "POST", `/api/v1/workbooks/${wb}/audit`, token, { entries })).status).toBe(201);
  });
});
