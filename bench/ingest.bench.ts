/* Audit ingest: 100,000 pre-sealed entries (20 workbooks x 5,000, one workbook per client) sent in
   batches of 500 by 20 concurrent clients over loopback HTTP to an in-process server, on SQLite and
   on PostgreSQL; beside it, raw better-sqlite3 inserting the same rows into the same schema with
   one transaction per 500 (no HTTP, no validation, no hashing): the ceiling for the SQLite path.
   Each figure is the median of SEG_BENCH_RUNS runs (default 3), every run on a fresh database.
   The server re-hashes every entry (engine canonical text, Node SHA-256) and checks every link; bodies are
   serialised before timing starts. PostgreSQL: SEG_BENCH_DATABASE_URL, else TEST_DATABASE_URL,
   else postgres://postgres@127.0.0.1:5432/test, in a scratch schema dropped afterwards; skipped
   with a notice when it does not answer. Bounded: 100,000 entries per run, and a watchdog. */
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { AUDIT_ACTIONS, GENESIS_HASH, type AuditEntry } from "../src/engine/audit";
import { buildServer } from "../src/server/app";
import { issueToken } from "../src/server/auth";
import { hashAuditEntrySync } from "../src/server/hash";
import { PostgresStorage } from "../src/server/storage/postgres";
import { AUDIT_COLUMNS, auditValues } from "../src/server/storage/rows";
import { SqliteStorage } from "../src/server/storage/sqlite";
import type { Storage } from "../src/server/storage/types";
import { median } from "./lib";

const CLIENTS = 20;
const PER_CLIENT = 5_000;
const BATCH = 500;
const TOTAL = CLIENTS * PER_CLIENT;
const RUNS = Math.max(1, Math.min(9, Number(process.env.SEG_BENCH_RUNS ?? 3) || 3));
const PG_URL = process.env.SEG_BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";
const WATCHDOG_MS = 15 * 60_000;

const watchdog = setTimeout(() => {
  console.error(`ingest bench: still running after ${WATCHDOG_MS / 60000} min, giving up`);
  process.exit(1);
}, WATCHDOG_MS);
watchdog.unref();

const rate = (ms: number) => Math.round(TOTAL / (ms / 1000));
const fmt = (n: number) => n.toLocaleString("en-US");

interface Workload {
  workbooks: { id: string; entries: AuditEntry[]; bodies: string[] }[];
}

async function makeWorkload(): Promise<Workload> {
  const t0 = Date.UTC(2026, 10, 25);
  const workbooks = [];
  for (let c = 0; c < CLIENTS; c++) {
    const id = randomUUID();
    const unsealed = Array.from({ length: PER_CLIENT }, (_, i) => ({
      entryId: randomUUID(),
      timestamp: new Date(t0 + i * 1000).toISOString(),
      user: `planner ${c}`,
      workbookId: id,
      action: AUDIT_ACTIONS[i % AUDIT_ACTIONS.length],
      sku: `SKU-${(i * 7919) % 20000}`,
      field: "segment",
      oldValue: "BY",
      newValue: "AX",
      reason: "bench",
      modelVersion: "bench-1",
    }));
    // Sealed like the engine's sealEntries, with the synchronous hash (equal: test/server/hash.test.ts).
    const entries: AuditEntry[] = [];
    let prev = GENESIS_HASH;
    for (const u of unsealed) {
      const linked = { ...u, prevHash: prev };
      prev = hashAuditEntrySync(linked);
      entries.push({ ...linked, entryHash: prev });
    }
    const bodies: string[] = [];
    for (let i = 0; i < entries.length; i += BATCH) bodies.push(JSON.stringify({ entries: entries.slice(i, i + BATCH) }));
    workbooks.push({ id, entries, bodies });
  }
  return { workbooks };
}

/** Raw better-sqlite3: the same rows into the same schema, one transaction per 500. */
async function rawSqlite(w: Workload): Promise<number> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "seg-bench-raw-"));
  const storage = new SqliteStorage({ file: path.join(dir, "seg.sqlite") });
  try {
    await storage.migrate();
    const db = storage.db;
    const addWorkbook = db.prepare("INSERT INTO workbooks (id, owner, created_at, entry_count, last_hash) VALUES (?, 'bench', ?, 0, ?)");
    const insert = db.prepare(`INSERT INTO audit_entries (${AUDIT_COLUMNS.join(", ")}) VALUES (${AUDIT_COLUMNS.map(() => "?").join(", ")})`);
    const sender = { tokenId: "raw", name: "bench" };
    const now = new Date().toISOString();
    for (const wb of w.workbooks) addWorkbook.run(wb.id, now, GENESIS_HASH);
    const start = performance.now();
    for (const wb of w.workbooks) {
      for (let i = 0; i < wb.entries.length; i += BATCH) {
        db.transaction(() => {
          for (let k = i; k < Math.min(i + BATCH, wb.entries.length); k++) insert.run(...auditValues(wb.entries[k], k + 1, now, sender));
        })();
      }
    }
    const ms = performance.now() - start;
    const n = (db.prepare("SELECT COUNT(*) AS n FROM audit_entries").get() as { n: number }).n;
    if (n !== TOTAL) throw new Error(`raw insert stored ${n} rows, expected ${TOTAL}`);
    return ms;
  } finally {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The HTTP path: 20 clients, each sending its workbook's batches one after another. */
async function overHttp(w: Workload, storage: Storage): Promise<number> {
  await storage.migrate();
  const tokens: string[] = [];
  for (let c = 0; c < CLIENTS; c++) tokens.push((await issueToken(storage, `bench-client-${c}`, "planner")).token);
  const app = await buildServer({ storage, rateLimit: false, logger: false });
  try {
    await app.listen({ port: 0, host: "127.0.0.1" });
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/v1/workbooks`;
    const start = performance.now();
    await Promise.all(
      w.workbooks.map(async (wb, c) => {
        for (const body of wb.bodies) {
          const res = await fetch(`${url}/${wb.id}/audit`, {
            method: "POST",
            headers: { authorization: `Bearer ${tokens[c]}`, "content-type": "application/json" },
            body,
            signal: AbortSignal.timeout(60_000),
          });
          const text = await res.text();
          if (res.status !== 201) throw new Error(`batch refused: ${res.status} ${text}`);
        }
      }),
    );
    const ms = performance.now() - start;
    const heads = await storage.listWorkbooks();
    const stored = heads.reduce((s, h) => s + h.entryCount, 0);
    if (stored !== TOTAL) throw new Error(`server stored ${stored} entries, expected ${TOTAL}`);
    return ms;
  } finally {
    await app.close(); // also closes the storage
  }
}

async function sqliteServer(w: Workload): Promise<number> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "seg-bench-http-"));
  try {
    return await overHttp(w, new SqliteStorage({ file: path.join(dir, "seg.sqlite") }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function postgresReachable(): Promise<string | null> {
  const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    await c.query("SELECT 1");
    return null;
  } catch (e) {
    return (e as Error).message;
  } finally {
    await c.end().catch(() => undefined);
  }
}

async function postgresServer(w: Workload): Promise<number> {
  const schema = `seg_bench_${randomBytes(4).toString("hex")}`;
  try {
    return await overHttp(w, new PostgresStorage({ connectionString: PG_URL, schema, poolSize: CLIENTS }));
  } finally {
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await c.end();
  }
}

async function main(): Promise<void> {
  console.log(`ingest: ${fmt(TOTAL)} entries = ${CLIENTS} workbooks x ${fmt(PER_CLIENT)}, batches of ${BATCH}, ${CLIENTS} concurrent clients, loopback HTTP; median of ${RUNS} run(s)`);
  let t = performance.now();
  const w = await makeWorkload();
  console.log(`  sealing the chains (not timed): ${fmt(Math.round(performance.now() - t))} ms`);

  const pgProblem = await postgresReachable();
  const results: { label: string; ms: number[] }[] = [
    { label: "raw better-sqlite3 (same rows, 1 tx / 500)", ms: [] },
    { label: "server over HTTP, SQLite", ms: [] },
    { label: "server over HTTP, PostgreSQL", ms: [] },
  ];
  for (let r = 0; r < RUNS; r++) {
    t = performance.now();
    results[0].ms.push(await rawSqlite(w));
    results[1].ms.push(await sqliteServer(w));
    if (!pgProblem) results[2].ms.push(await postgresServer(w));
    console.log(`  run ${r + 1}/${RUNS} done in ${fmt(Math.round(performance.now() - t))} ms`);
  }
  console.log("");
  for (const { label, ms } of results) {
    if (ms.length === 0) {
      console.log(`  ${label.padEnd(44)} SKIPPED: PostgreSQL at ${PG_URL} did not answer (${pgProblem})`);
      continue;
    }
    const m = median(ms);
    console.log(`  ${label.padEnd(44)} ${fmt(rate(m)).padStart(9)} entries/s  (${fmt(Math.round(m))} ms for ${fmt(TOTAL)}; runs: ${ms.map((x) => fmt(Math.round(x))).join(", ")} ms)`);
  }
  if (results[1].ms.length && results[0].ms.length) {
    console.log(`  HTTP + validation + re-hashing + chain checks cost: SQLite server at ${Math.round((100 * median(results[0].ms)) / median(results[1].ms))}% of raw insert speed`);
  }
}

main().then(
  () => process.exit(0),
  (e: Error) => {
    console.error(`ingest bench failed: ${e.stack ?? e.message}`);
    process.exit(1);
  },
);
