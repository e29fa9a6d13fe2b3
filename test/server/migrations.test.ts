/* Migration 2 (entry ids unique per workbook) keeps a trail stored under migration 1, on both backends. */
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { GENESIS_HASH, sealEntries } from "../../src/engine/audit";
import { verifyStoredChain } from "../../src/server/routes/audit";
import { MIGRATIONS, MIGRATIONS_TABLE_SQL } from "../../src/server/storage/migrations";
import { PostgresStorage } from "../../src/server/storage/postgres";
import { SqliteStorage } from "../../src/server/storage/sqlite";
import type { Storage } from "../../src/server/storage/types";
import { PG_URL, postgres } from "./helpers/backends";
import { chain, unsealed } from "./helpers/chains";

const who = { tokenId: randomUUID(), name: "alice", role: "planner" as const };

async function storeUnderV1ThenUpgrade(storage: Storage, runV1: (sql: string) => Promise<void>): Promise<void> {
  await runV1(`${MIGRATIONS_TABLE_SQL}; ${MIGRATIONS[0][storage.kind]}; INSERT INTO schema_migrations (version, name, applied_at) VALUES (1, 'v1', 'x')`);
  const wb = randomUUID();
  const entries = await chain(wb, 12);
  expect((await storage.appendAudit(wb, who, entries, new Date().toISOString())).kind).toBe("ok");
  expect(await storage.migrate()).toEqual([2, 20, 21, 22, 23]); // 20, 21: controllers' records, inputs and profiles; 22: token teams; 23: pending snapshots (storage/migrationsMore.ts)
  const head = (await storage.getWorkbook(wb))!;
  expect(await verifyStoredChain(storage, head)).toEqual({ ok: true, count: 12, lastHash: entries[11].entryHash });
  // and the upgraded table takes a second workbook reusing an id
  const other = randomUUID();
  const [sealed] = await sealEntries([{ ...unsealed(other, 1)[0], entryId: entries[0].entryId }], GENESIS_HASH);
  expect((await storage.appendAudit(other, who, [sealed], new Date().toISOString())).kind).toBe("ok");
}

test("SQLite: a v1 trail survives migration 2 [sqlite]", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "seg-mig-"));
  const storage = new SqliteStorage({ file: path.join(dir, "seg.sqlite") });
  try {
    await storeUnderV1ThenUpgrade(storage, async (sql) => {
      storage.db.exec(sql);
    });
  } finally {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

(postgres.ok ? test : test.skip)("PostgreSQL: a v1 trail survives migration 2 [postgres]", async () => {
  const schema = `seg_test_mig_${randomBytes(4).toString("hex")}`;
  const storage = new PostgresStorage({ connectionString: PG_URL, schema });
  try {
    await storeUnderV1ThenUpgrade(storage, async (sql) => {
      await storage.pool.query(`CREATE SCHEMA "${schema}"`);
      await storage.pool.query(sql);
    });
  } finally {
    await storage.close();
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await c.end();
  }
});
