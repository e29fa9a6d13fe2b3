/* Verifiable audit (issue 8, docs/audit-proofs.md), on SQLite and on PostgreSQL:
   1. Append throughput with receipts: 10 clients x 5,000 pre-sealed entries, batches of 500, over
      loopback HTTP to an in-process server, once with receipts (the real server) and once with the
      receipt left out (a Ledger whose receipt() returns nothing): the cost of the Merkle tree and
      the two Ed25519 signatures per batch. Median of SEG_BENCH_RUNS runs (default 3), fresh database each.
   2. Proof serving for a 1,000,000-entry trail: the trail is written straight into the database
      (SQLite: a real sealed chain; PostgreSQL: rows made with generate_series, whose hashes need not
      chain, since the tree is built from the rows as they are), the server loads its tree (timed:
      what a start-up costs), then 400 inclusion proofs (random entry, random tree size) and 400
      consistency proofs (random sizes) are requested one after another over HTTP, each checked with
      the engine, and their latency reported (median, p95, max), beside the in-process ledger call.
   PostgreSQL: SEG_BENCH_DATABASE_URL, else TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test,
   scratch schemas dropped afterwards; skipped with a notice when it does not answer. */
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { AUDIT_ACTIONS, GENESIS_HASH, type AuditEntry } from "../src/engine/audit";
import { checkConsistency } from "../src/engine/ledgerCheck";
import { fromHex, verifyInclusion } from "../src/engine/merkle";
import type { BatchReceipt, SignedTreeHead } from "../src/engine/treeHead";
import { buildServer } from "../src/server/app";
import { issueToken } from "../src/server/auth";
import { hashAuditEntrySync } from "../src/server/hash";
import { ephemeralServerKey } from "../src/server/keys";
import { Ledger, nodeSha256 } from "../src/server/ledger";
import { PostgresStorage } from "../src/server/storage/postgres";
import { AUDIT_COLUMNS, auditValues } from "../src/server/storage/rows";
import { SqliteStorage } from "../src/server/storage/sqlite";
import type { Storage } from "../src/server/storage/types";
import { median } from "./lib";

const CLIENTS = 10;
const PER_CLIENT = 5_000;
const BATCH = 500;
const TOTAL = CLIENTS * PER_CLIENT;
const BIG = 1_000_000;
const PROOFS = 400;
const RUNS = Math.max(1, Math.min(9, Number(process.env.SEG_BENCH_RUNS ?? 3) || 3));
const PG_URL = process.env.SEG_BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";
const WATCHDOG_MS = 20 * 60_000;

const watchdog = setTimeout(() => {
  console.error(`audit-proofs bench: still running after ${WATCHDOG_MS / 60000} min, giving up`);
  process.exit(1);
}, WATCHDOG_MS);
watchdog.unref();

const fmt = (n: number) => n.toLocaleString("en-US");
const ms2 = (x: number) => x.toFixed(2);

function unsealed(workbookId: string, i: number, user = "bench"): Omit<AuditEntry, "prevHash" | "entryHash"> {
  return {
    entryId: randomUUID(),
    timestamp: new Date(Date.UTC(2026, 10, 25) + i * 1000).toISOString(),
    user,
    workbookId,
    action: AUDIT_ACTIONS[i % AUDIT_ACTIONS.length],
    sku: `SKU-${(i * 7919) % 20000}`,
    field: "segment",
    oldValue: "BY",
    newValue: "AX",
    reason: "bench",
    modelVersion: "bench-1",
  };
}

function sealed(workbookId: string, n: number, user = "bench"): AuditEntry[] {
  const out: AuditEntry[] = [];
  let prev = GENESIS_HASH;
  for (let i = 0; i < n; i++) {
    const linked = { ...unsealed(workbookId, i, user), prevHash: prev };
    prev = hashAuditEntrySync(linked);
    out.push({ ...linked, entryHash: prev });
  }
  return out;
}

/** A Ledger that leaves the receipt out (the baseline: appends as before issue 8). */
class NoReceiptLedger extends Ledger {
  override receipt(): Promise<BatchReceipt> {
    return Promise.resolve(undefined as unknown as BatchReceipt);
  }
}

async function appendRun(storage: Storage, workload: { id: string; bodies: string[] }[], receipts: boolean): Promise<number> {
  await storage.migrate();
  const tokens: string[] = [];
  for (let c = 0; c < CLIENTS; c++) tokens.push((await issueToken(storage, `bench-client-${c}`, "planner")).token);
  const key = ephemeralServerKey();
  const ledger = receipts ? new Ledger(storage, key, () => new Date()) : new NoReceiptLedger(storage, key, () => new Date());
  const app = await buildServer({ storage, ledger, rateLimit: false, logger: false });
  try {
    await app.listen({ port: 0, host: "127.0.0.1" });
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/v1/workbooks`;
    const start = performance.now();
    await Promise.all(
      workload.map(async (wb, c) => {
        for (const body of wb.bodies) {
          const res = await fetch(`${url}/${wb.id}/audit`, {
            method: "POST",
            headers: { authorization: `Bearer ${tokens[c]}`, "content-type": "application/json" },
            body,
            signal: AbortSignal.timeout(60_000),
          });
          const text = await res.text();
          if (res.status !== 201) throw new Error(`batch refused: ${res.status} ${text}`);
          if (receipts !== text.includes('"receipt"')) throw new Error("receipt present/absent unexpectedly");
        }
      }),
    );
    const ms = performance.now() - start;
    const stored = (await storage.listWorkbooks()).reduce((s, h) => s + h.entryCount, 0);
    if (stored !== TOTAL) throw new Error(`server stored ${stored} entries, expected ${TOTAL}`);
    return ms;
  } finally {
    await app.close();
  }
}

interface Backend {
  label: string;
  open(): Promise<{ storage: Storage; cleanup(): Promise<void> }>;
}

const sqlite: Backend = {
  label: "SQLite",
  async open() {
    const dir = mkdtempSync(path.join(os.tmpdir(), "seg-bench-proofs-"));
    const storage = new SqliteStorage({ file: path.join(dir, "seg.sqlite") });
    return { storage, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  },
};

const postgres: Backend = {
  label: "PostgreSQL",
  async open() {
    const schema = `seg_bench_${randomBytes(4).toString("hex")}`;
    const storage = new PostgresStorage({ connectionString: PG_URL, schema, poolSize: CLIENTS });
    return {
      storage,
      async cleanup() {
        const c = new pg.Client({ connectionString: PG_URL });
        await c.connect();
        await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await c.end();
      },
    };
  },
};

async function throughput(backends: Backend[]): Promise<void> {
  console.log(`append with receipts: ${fmt(TOTAL)} entries = ${CLIENTS} workbooks x ${fmt(PER_CLIENT)}, batches of ${BATCH}, ${CLIENTS} concurrent clients; median of ${RUNS} run(s)`);
  const workload = Array.from({ length: CLIENTS }, () => {
    const id = randomUUID();
    const entries = sealed(id, PER_CLIENT);
    const bodies: string[] = [];
    for (let i = 0; i < entries.length; i += BATCH) bodies.push(JSON.stringify({ entries: entries.slice(i, i + BATCH) }));
    return { id, bodies };
  });
  for (const b of backends) {
    const withR: number[] = [];
    const without: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      // Alternate the order, so that neither variant always runs on a warmer machine.
      for (const receipts of r % 2 === 0 ? [false, true] : [true, false]) {
        const { storage, cleanup } = await b.open();
        try {
          (receipts ? withR : without).push(await appendRun(storage, workload, receipts));
        } finally {
          await cleanup();
        }
      }
    }
    const rw = TOTAL / (median(withR) / 1000);
    const r0 = TOTAL / (median(without) / 1000);
    console.log(
      `  ${b.label.padEnd(11)} with receipts ${fmt(Math.round(rw)).padStart(7)} entries/s, without ${fmt(Math.round(r0)).padStart(7)} entries/s: ${Math.round((100 * rw) / r0)}%` +
        `  (runs with: ${withR.map((x) => fmt(Math.round(x))).join(", ")} ms; without: ${without.map((x) => fmt(Math.round(x))).join(", ")} ms)`,
    );
  }
}

/** Writes a BIG-entry trail for workbook `wb` straight into the database. */
async function bigTrail(storage: Storage, wb: string): Promise<void> {
  await storage.migrate();
  const now = "2026-11-25T12:00:00.000Z";
  if (storage instanceof SqliteStorage) {
    const db = storage.db;
    db.prepare("INSERT INTO workbooks (id, owner, created_at, entry_count, last_hash) VALUES (?, 'alice', ?, 0, ?)").run(wb, now, GENESIS_HASH);
    const insert = db.prepare(`INSERT INTO audit_entries (${AUDIT_COLUMNS.join(", ")}) VALUES (${AUDIT_COLUMNS.map(() => "?").join(", ")})`);
    const sender = { tokenId: "bench", name: "alice" };
    let prev = GENESIS_HASH;
    const step = 50_000;
    for (let s = 0; s < BIG; s += step) {
      db.transaction(() => {
        for (let k = 0; k < step; k++) {
          const linked = { ...unsealed(wb, s + k, "Alice"), prevHash: prev };
          const entryHash = hashAuditEntrySync(linked);
          insert.run(...auditValues({ ...linked, entryHash }, s + k + 1, now, sender));
          prev = entryHash;
        }
      })();
    }
    db.prepare("UPDATE workbooks SET entry_count = ?, last_hash = ? WHERE id = ?").run(BIG, prev, wb);
  } else if (storage instanceof PostgresStorage) {
    await storage.pool.query("INSERT INTO workbooks (id, owner, created_at, entry_count, last_hash) VALUES ($1, 'alice', $2, $3, $4)", [wb, now, BIG, GENESIS_HASH]);
    // In slices of 100,000 rows: one statement for the whole trail can outlast the pool's statement
    // timeout (defect 4's guard) on a busy machine.
    const slice = 100_000;
    for (let from = 1; from <= BIG; from += slice) {
      await storage.pool.query(
        `INSERT INTO audit_entries (${AUDIT_COLUMNS.join(", ")})
         SELECT $1, g, md5(g::text) || '-' || g, $2, 0, 'Alice', 'override-set', 'SKU-' || (g % 20000), 'segment', 'BY', 'AX', 'bench', 'bench-1',
                md5((g - 1)::text) || md5((g - 1)::text), md5(g::text) || md5(g::text), $2, 'alice', 'bench'
         FROM generate_series($3::bigint, $4::bigint) AS g`,
        [wb, now, from, Math.min(BIG, from + slice - 1)],
      );
    }
  }
}

function stats(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  return `median ${ms2(median(s))} ms, p95 ${ms2(s[Math.floor(0.95 * (s.length - 1))])} ms, max ${ms2(s[s.length - 1])} ms`;
}

async function proofServing(b: Backend): Promise<void> {
  const { storage, cleanup } = await b.open();
  const wb = `bench-${randomBytes(3).toString("hex")}`;
  try {
    let t = performance.now();
    await bigTrail(storage, wb);
    console.log(`  ${b.label}: wrote ${fmt(BIG)} entries (not timed against the target): ${fmt(Math.round(performance.now() - t))} ms`);
    const token = (await issueToken(storage, "carol", "controller")).token;
    const key = ephemeralServerKey();
    const ledger = new Ledger(storage, key, () => new Date());
    const app = await buildServer({ storage, ledger, rateLimit: false, logger: false });
    try {
      await app.listen({ port: 0, host: "127.0.0.1" });
      const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/v1/workbooks/${wb}/audit`;
      const get = async (url: string) => {
        const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
        if (res.status !== 200) throw new Error(`${url}: ${res.status} ${await res.text()}`);
        return res.json();
      };
      t = performance.now();
      await ledger.warmUp();
      console.log(`  ${b.label}: tree of ${fmt(BIG)} leaves built from the database (what a restart costs, in the background): ${fmt(Math.round(performance.now() - t))} ms, heap ${fmt(Math.round(process.memoryUsage().heapUsed / 1e6))} MB, rss ${fmt(Math.round(process.memoryUsage().rss / 1e6))} MB`);
      const head: SignedTreeHead = await get(`${base}/head`);
      if (head.treeSize !== BIG) throw new Error(`head size ${head.treeSize}`);
      // Warm the HTTP path.
      for (let i = 0; i < 20; i++) await get(`${base}/proofs/inclusion?seq=${1 + i}`);
      const rnd = (n: number) => 1 + Math.floor(Math.random() * n);
      const roots = new Map<number, Uint8Array>();
      const rootAt = (size: number) => {
        if (!roots.has(size)) roots.set(size, ledger["trees"].get(wb)!.tree.root(size));
        return roots.get(size)!;
      };
      const inc: number[] = [];
      for (let i = 0; i < PROOFS; i++) {
        const size = i % 2 === 0 ? BIG : rnd(BIG);
        const seq = rnd(size);
        const t0 = performance.now();
        const p = await get(`${base}/proofs/inclusion?seq=${seq}${size === BIG ? "" : `&treeSize=${size}`}`);
        inc.push(performance.now() - t0);
        if (!verifyInclusion(seq - 1, size, fromHex(p.leafHash), p.proof.map(fromHex), size === BIG ? fromHex(head.rootHash) : rootAt(size), nodeSha256)) {
          throw new Error(`inclusion proof of ${seq} in ${size} does not verify`);
        }
      }
      const con: number[] = [];
      for (let i = 0; i < PROOFS; i++) {
        const from = rnd(BIG);
        const t0 = performance.now();
        const p = await get(`${base}/proofs/consistency?from=${from}`);
        con.push(performance.now() - t0);
        const older = { ...head, treeSize: from, rootHash: Buffer.from(rootAt(from)).toString("hex") };
        if (!checkConsistency(older, p.head, p.proof, nodeSha256).ok) throw new Error(`consistency proof ${from} -> ${BIG} does not verify`);
      }
      // The fixed cost of any authenticated request on this machine: GET /me (token lookup, no workbook).
      const me: number[] = [];
      const meUrl = base.replace(/\/workbooks\/.*$/, "/me");
      for (let i = 0; i < PROOFS; i++) {
        const t0 = performance.now();
        await get(meUrl);
        me.push(performance.now() - t0);
      }
      const inProc: number[] = [];
      for (let i = 0; i < PROOFS; i++) {
        const t0 = performance.now();
        await ledger.inclusion(wb, rnd(BIG), undefined, BIG);
        inProc.push(performance.now() - t0);
      }
      console.log(`  ${b.label}: inclusion proof over HTTP (auth, workbook lookup, proof, signed head): ${stats(inc)}`);
      console.log(`  ${b.label}: consistency proof over HTTP:                                      ${stats(con)}`);
      console.log(`  ${b.label}: inclusion proof in process (ledger only):                          ${stats(inProc)}`);
      console.log(`  ${b.label}: GET /me over HTTP (baseline: any authenticated request):           ${stats(me)}`);
    } finally {
      await app.close();
    }
  } finally {
    await cleanup();
  }
}

async function pgReachable(): Promise<string | null> {
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

async function main(): Promise<void> {
  const pgProblem = await pgReachable();
  const backends = pgProblem ? [sqlite] : [sqlite, postgres];
  if (pgProblem) console.log(`PostgreSQL SKIPPED: ${PG_URL} did not answer (${pgProblem})`);
  const only = process.env.SEG_BENCH_PART;
  if (only !== "proofs") await throughput(backends);
  if (only !== "append") {
    console.log(`proofs for a ${fmt(BIG)}-entry trail: ${PROOFS} inclusion and ${PROOFS} consistency proofs, one at a time over loopback HTTP (target: <= 5 ms)`);
    for (const b of backends) await proofServing(b);
  }
}

main().then(
  () => process.exit(0),
  (e: Error) => {
    console.error(`audit-proofs bench failed: ${e.stack ?? e.message}`);
    process.exit(1);
  },
);
