/* The storage layer itself, on both backends: migrations and tokens. */
import { buildServer } from "../../src/server/app";
import { hashToken, issueToken } from "../../src/server/auth";
import { MIGRATIONS } from "../../src/server/storage/migrations";
import { PostgresStorage } from "../../src/server/storage/postgres";
import { describeBackends, postgres, PG_URL } from "./helpers/backends";

describeBackends("storage", (backend) => {
  test("migrations run once and are recorded", async () => {
    const db = await backend.open();
    try {
      expect(await db.storage.migrate()).toEqual([]);
      const rows = await db.query("SELECT version, name FROM schema_migrations ORDER BY version");
      expect(rows.map((r) => Number(r.version))).toEqual(MIGRATIONS.map((m) => m.version));
    } finally {
      await db.cleanup();
    }
  });

  test("tokens: found by hash only, revoked by id or by name", async () => {
    const db = await backend.open();
    const s = db.storage;
    try {
      const a = await issueToken(s, "alice", "planner");
      const a2 = await issueToken(s, "alice", "planner");
      const b = await issueToken(s, "bob", "controller");
      expect(a.token).not.toBe(a2.token);
      expect(Buffer.from(a.token.slice(4), "base64url")).toHaveLength(32);
      expect(await s.findTokenByHash(hashToken(a.token))).toMatchObject({ id: a.record.id, name: "alice", role: "planner", revokedAt: null });
      expect(await s.findTokenByHash(a.token)).toBeNull();
      const at = new Date().toISOString();
      expect((await s.revokeToken(b.record.id, at)).map((t) => t.id)).toEqual([b.record.id]);
      expect(await s.revokeToken(b.record.id, at)).toEqual([]);
      expect((await s.revokeTokensByName("alice", at)).map((t) => t.id).sort()).toEqual([a.record.id, a2.record.id].sort());
      expect((await s.listTokens()).every((t) => t.revokedAt === at)).toBe(true);
    } finally {
      await db.cleanup();
    }
  });
});

(postgres.ok ? describe : describe.skip)("PostgreSQL specifics", () => {
  test("two servers migrating the same schema at once: one applies, the other waits and finds it done", async () => {
    const schema = `seg_test_mig_${process.pid}`;
    const a = new PostgresStorage({ connectionString: PG_URL, schema });
    const b = new PostgresStorage({ connectionString: PG_URL, schema });
    try {
      const [ra, rb] = await Promise.all([a.migrate(), b.migrate()]);
      expect([ra, rb].map((r) => r.length).sort()).toEqual([0, MIGRATIONS.length]);
    } finally {
      await a.pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await a.close();
      await b.close();
    }
  });
});

test("a PostgreSQL location never shows the password", async () => {
  const s = new PostgresStorage({ connectionString: "postgres://u:secret@db.example:5433/seg" });
  expect(s.location).toBe("postgres://u@db.example:5433/seg");
  await s.close();
});

test("/ready answers 503 when the database does not", async () => {
  const dead = new PostgresStorage({ connectionString: "postgres://postgres@127.0.0.1:1/none" });
  const app = await buildServer({ storage: dead, rateLimit: false });
  try {
    await app.listen({ port: 0, host: "127.0.0.1" });
    const port = (app.server.address() as { port: number }).port;
    const r = await fetch(`http://127.0.0.1:${port}/ready`);
    expect(r.status).toBe(503);
    expect(r.headers.get("content-type")).toMatch(/problem\+json/);
    expect((await r.json()).detail).toMatch(/postgres database does not answer/);
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
  } finally {
    await app.close();
  }
});
