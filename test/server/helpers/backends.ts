/**
 * The storage backends every shared suite runs against: a real SQLite file in a temp directory and
 * a real PostgreSQL server (TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test),
 * each test file in its own schema, dropped afterwards.
 * PostgreSQL missing: the suites FAIL when CI is set, and are skipped with a loud warning otherwise.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { PostgresStorage } from "../../../src/server/storage/postgres";
import { SqliteStorage } from "../../../src/server/storage/sqlite";
import type { Storage } from "../../../src/server/storage/types";

export const PG_URL = process.env.TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";
const REPO = path.resolve(__dirname, "../../..");

/** Synchronous probe (jest collects suites synchronously): can we connect and run a query? */
function probePostgres(): { ok: boolean; error: string } {
  const script = `const pg=require("pg");const c=new pg.Client({connectionString:process.argv[1],connectionTimeoutMillis:3000});
c.connect().then(()=>c.query("select 1")).then(()=>c.end()).then(()=>process.exit(0),(e)=>{console.error(e.message);process.exit(1)})`;
  const r = spawnSync(process.execPath, ["-e", script, PG_URL], { cwd: REPO, encoding: "utf8", timeout: 8000 });
  return { ok: r.status === 0, error: (r.stderr || r.error?.message || `exit ${r.status}`).trim() };
}

export const postgres = probePostgres();

export type Row = Record<string, unknown>;

export interface TestDb {
  storage: Storage;
  /** Raw SQL on the same database (tests only: tampering, fault injection, inspection). */
  exec(sql: string): Promise<void>;
  query(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Closes the storage and removes the file or schema. */
  cleanup(): Promise<void>;
}

export interface BackendSpec {
  kind: "sqlite" | "postgres";
  open(): Promise<TestDb>;
}

export const sqliteBackend: BackendSpec = {
  kind: "sqlite",
  async open() {
    const dir = mkdtempSync(path.join(os.tmpdir(), "seg-test-"));
    const storage = new SqliteStorage({ file: path.join(dir, "seg.sqlite") });
    await storage.migrate();
    return {
      storage,
      async exec(sql) {
        storage.db.exec(sql);
      },
      async query(sql, params = []) {
        const stmt = storage.db.prepare(sql);
        return stmt.reader ? (stmt.all(...params) as Row[]) : (stmt.run(...params), []);
      },
      async cleanup() {
        await storage.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

export const postgresBackend: BackendSpec = {
  kind: "postgres",
  async open() {
    const schema = `seg_test_${process.pid}_${randomBytes(4).toString("hex")}`;
    const storage = new PostgresStorage({ connectionString: PG_URL, schema });
    await storage.migrate();
    return {
      storage,
      async exec(sql) {
        await storage.pool.query(sql);
      },
      async query(sql, params = []) {
        return (await storage.pool.query(sql, params)).rows;
      },
      async cleanup() {
        await storage.close();
        const c = new pg.Client({ connectionString: PG_URL });
        await c.connect();
        try {
          await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        } finally {
          await c.end();
        }
      },
    };
  },
};

let warned = false;
function warnPostgresMissing(): void {
  if (warned) return;
  warned = true;
  const line = "!".repeat(78);
  console.warn(
    `${line}\n!! PostgreSQL NOT TESTED: ${PG_URL} did not answer (${postgres.error}).\n` +
      `!! The PostgreSQL suites are SKIPPED. With CI set they fail instead.\n${line}`,
  );
}

/** Declares `suite` once per backend. */
export function describeBackends(title: string, suite: (backend: BackendSpec) => void): void {
  describe(`${title} [sqlite]`, () => suite(sqliteBackend));
  if (postgres.ok) {
    describe(`${title} [postgres]`, () => suite(postgresBackend));
  } else if (process.env.CI) {
    describe(`${title} [postgres]`, () => {
      test("PostgreSQL must answer when CI is set", () => {
        throw new Error(`PostgreSQL at ${PG_URL} did not answer: ${postgres.error}`);
      });
    });
  } else {
    warnPostgresMissing();
    describe.skip(`${title} [postgres: NOT RUN, PostgreSQL unreachable]`, () => suite(postgresBackend));
  }
}
