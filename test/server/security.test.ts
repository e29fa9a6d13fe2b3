/* Who may do what, and what the server refuses: the same suite over SQLite and PostgreSQL. */
import { randomUUID } from "node:crypto";
import { GENESIS_HASH, sealEntries, type AuditEntry } from "../../src/engine/audit";
import { describeBackends } from "./helpers/backends";
import { chain, unsealed } from "./helpers/chains";
import { startHarness, type Harness } from "./helpers/harness";

const INJECTIONS = [
  "'; DROP TABLE audit_entries; --",
  "Robert'); DROP TABLE workbooks;--",
  "x' OR '1'='1",
  '" OR 1=1 --',
  "1; DELETE FROM tokens WHERE 1=1",
  "' UNION SELECT token_hash, 1 FROM tokens --",
  "$1 $$ \\ ` ; /* */ %s %d",
];
const TEXT_FIELDS = ["user", "sku", "field", "oldValue", "newValue", "reason", "modelVersion"] as const;

describeBackends("security", (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(backend, { bodyLimit: 64 * 1024, snapshotBodyLimit: 256 * 1024 });
  });
  afterAll(async () => h?.close());

  const ph = (n: number) => (backend.kind === "sqlite" ? "?" : `$${n}`);
  const stored = async (wb: string) => ({
    entries: Number((await h.db.query(`SELECT COUNT(*) AS n FROM audit_entries WHERE workbook_id = ${ph(1)}`, [wb]))[0].n),
    workbooks: Number((await h.db.query(`SELECT COUNT(*) AS n FROM workbooks WHERE id = ${ph(1)}`, [wb]))[0].n),
    snapshots: Number((await h.db.query(`SELECT COUNT(*) AS n FROM snapshots WHERE workbook_id = ${ph(1)}`, [wb]))[0].n),
  });
  const nothing = { entries: 0, workbooks: 0, snapshots: 0 };
  const auditUrl = (wb: string) => `/api/v1/workbooks/${wb}/audit`;

  test.each([
    ["no Authorization header", null, undefined],
    ["a Basic header", null, "Basic YWxpY2U6c2VjcmV0"],
    ["an unknown token", "seg_" + "A".repeat(43), undefined],
    ["an empty bearer", null, "Bearer "],
  ])("401 with %s, and nothing written", async (_what, token, header) => {
    const wb = randomUUID();
    const r = await h.call("POST", auditUrl(wb), token, { entries: await chain(wb, 3) }, header ? { authorization: header } : {});
    expect(r.status).toBe(401);
    expect(r.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(r.headers["www-authenticate"]).toMatch(/^Bearer/);
    expect(r.body.type).toBe("urn:seg:problem:unauthorized");
    expect(await stored(wb)).toEqual(nothing);
  });

  test("a revoked token is refused with 401 saying so, for writes and reads", async () => {
    const wb = randomUUID();
    const r = await h.call("POST", auditUrl(wb), h.tokens.revoked, { entries: await chain(wb, 3) });
    expect(r.status).toBe(401);
    expect(r.body.detail).toMatch(/revoked/);
    expect(await stored(wb)).toEqual(nothing);
    expect((await h.call("GET", "/api/v1/workbooks", h.tokens.revoked)).status).toBe(401);
  });

  test("wrong role: 403 naming the allowed roles, and nothing written", async () => {
    const wb = randomUUID();
    const entries = await chain(wb, 3);
    for (const token of [h.tokens.controller, h.tokens.admin]) {
      const r = await h.call("POST", auditUrl(wb), token, { entries });
      expect(r.status).toBe(403);
      expect(r.body.detail).toMatch(/allowed: planner/);
      const s = await h.call("POST", `/api/v1/workbooks/${wb}/snapshots`, token, { modelVersion: "m", parameters: {}, items: [] });
      expect(s.status).toBe(403);
    }
    expect(await stored(wb)).toEqual(nothing);
    const tokensBefore = (await h.db.query("SELECT COUNT(*) AS n FROM tokens"))[0].n;
    for (const token of [h.tokens.planner, h.tokens.controller]) {
      expect((await h.call("POST", "/api/v1/tokens", token, { name: "mallory", role: "admin" })).status).toBe(403);
      expect((await h.call("GET", "/api/v1/tokens", token)).status).toBe(403);
    }
    expect((await h.db.query("SELECT COUNT(*) AS n FROM tokens"))[0].n).toBe(tokensBefore);
    await h.call("POST", auditUrl(wb), h.tokens.planner, { entries });
    expect((await h.call("GET", `${auditUrl(wb)}/verify`, h.tokens.planner)).status).toBe(403);
    expect((await h.call("GET", `${auditUrl(wb)}/verify`, h.tokens.controller)).status).toBe(200);
  });

  test("an oversized body is a 413 problem and stores nothing", async () => {
    const wb = randomUUID();
    const big = await chain(wb, 3, GENESIS_HASH, { override: () => ({ reason: "x".repeat(8000) }) });
    const entries = [...big, ...(await chain(wb, 10, big[2].entryHash, { override: () => ({ reason: "y".repeat(8000) }) }))];
    expect(JSON.stringify({ entries }).length).toBeGreaterThan(64 * 1024);
    const r = await h.call("POST", auditUrl(wb), h.tokens.planner, { entries });
    expect(r.status).toBe(413);
    expect(r.body.type).toBe("urn:seg:problem:body-too-large");
    expect(r.body.detail).toContain(String(64 * 1024));
    expect(await stored(wb)).toEqual(nothing);
    // Without a token the answer is 401 before the body is even read.
    expect((await h.call("POST", auditUrl(wb), null, { entries })).status).toBe(401);
  });

  test("snapshots have their own, larger limit", async () => {
    const wb = randomUUID();
    const items = (n: number) => Array.from({ length: n }, (_, i) => ({ sku: `SKU-${i}`, segment: "AX", value: i, cumShare: i / n }));
    const mid = { modelVersion: "m1", parameters: {}, items: items(1500) };
    const size = JSON.stringify(mid).length;
    expect(size).toBeGreaterThan(64 * 1024);
    expect(size).toBeLessThan(256 * 1024);
    expect((await h.call("POST", `/api/v1/workbooks/${wb}/snapshots`, h.tokens.planner, mid)).status).toBe(201);
    const big = await h.call("POST", `/api/v1/workbooks/${wb}/snapshots`, h.tokens.planner, { ...mid, modelVersion: "m2", items: items(6000) });
    expect(big.status).toBe(413);
    expect(big.body.detail).toContain(String(256 * 1024));
    expect(await stored(wb)).toEqual({ entries: 0, workbooks: 1, snapshots: 1 });
  });

  test("malformed JSON, an empty body and a non-JSON content type are refused with problems", async () => {
    const wb = randomUUID();
    const json = { "content-type": "application/json" };
    const bad = await h.call("POST", auditUrl(wb), h.tokens.planner, '{"entries": [', json);
    expect(bad.status).toBe(400);
    expect(bad.body.type).toBe("urn:seg:problem:malformed-json");
    const empty = await h.call("POST", auditUrl(wb), h.tokens.planner, "", json);
    expect(empty.status).toBe(400);
    expect(empty.headers["content-type"]).toMatch(/problem\+json/);
    const text = await h.call("POST", auditUrl(wb), h.tokens.planner, "entries", { "content-type": "text/plain" });
    expect(text.status).toBe(415);
    expect(text.body.type).toBe("urn:seg:problem:unsupported-media-type");
    const proto = await h.call("POST", auditUrl(wb), h.tokens.planner, '{"entries": [], "__proto__": {"x": 1}}', json);
    expect(proto.status).toBe(400);
    expect(await stored(wb)).toEqual(nothing);
  });

  test("unknown fields and wrong types are 400s naming the field (and the entry)", async () => {
    const wb = randomUUID();
    const [e] = await chain(wb, 1);
    const cases: [unknown, string][] = [
      [{ entries: [e], sender: "me" }, "body.sender"],
      [{ entries: [{ ...e, syncState: "pending" }] }, "body.entries[0].syncState"],
      [{ entries: [{ ...e, action: "delete-all" }] }, "body.entries[0].action"],
      [{ entries: [{ ...e, entryId: "not-a-uuid" }] }, "body.entries[0].entryId"],
      [{ entries: [{ ...e, prevHash: GENESIS_HASH.toUpperCase().replace(/0/g, "A") }] }, "body.entries[0].prevHash"],
      [{ entries: [{ ...e, timestamp: "25/11/2026 10:00" }] }, "body.entries[0].timestamp"],
      [{ entries: [{ ...e, timestamp: "2026-13-45T10:00:00.000Z" }] }, "body.entries[0].timestamp"],
      [{ entries: [{ ...e, sku: 42 }] }, "body.entries[0].sku"],
      [{ entries: [{ ...e, reason: "nul\u0000byte" }] }, "body.entries[0].reason"],
      [{ entries: [] }, "body.entries"],
    ];
    for (const [body, field] of cases) {
      const r = await h.call("POST", auditUrl(wb), h.tokens.planner, body);
      expect([field, r.status, r.body.field]).toEqual([field, 400, field]);
      expect(r.body.detail).toContain(field);
      if (field.startsWith("body.entries[0]")) expect(r.body.index).toBe(0);
    }
    const missing = await h.call("POST", auditUrl(wb), h.tokens.planner, { entries: [{ ...e, user: undefined }] });
    expect(missing.body).toMatchObject({ status: 400, field: "body.entries[0].user", entryId: e.entryId });
    expect(await stored(wb)).toEqual(nothing);
  });

  test("SQL-injection text in every field is stored verbatim and the tables are intact", async () => {
    const wb = randomUUID();
    const base = unsealed(wb, INJECTIONS.length * TEXT_FIELDS.length);
    let k = 0;
    for (const text of INJECTIONS) for (const f of TEXT_FIELDS) base[k++][f] = text;
    const entries: AuditEntry[] = await sealEntries(base, GENESIS_HASH);
    const r = await h.call("POST", auditUrl(wb), h.tokens.planner, { entries });
    expect(r.status).toBe(201);
    const back = (await h.call("GET", `${auditUrl(wb)}?limit=1000`, h.tokens.controller)).body.entries;
    expect(back.map(({ seq: _s, receivedAt: _r, receivedBy: _b, ...e }: Record<string, unknown>) => e)).toEqual(entries);
    // Filters bind the text as a value: it matches exactly the entries holding it, not every row.
    for (const text of INJECTIONS) {
      const bySku = (await h.call("GET", `${auditUrl(wb)}?sku=${encodeURIComponent(text)}`, h.tokens.controller)).body.entries;
      expect(bySku.map((x: AuditEntry) => x.entryId)).toEqual(entries.filter((x) => x.sku === text).map((x) => x.entryId));
      const byUser = (await h.call("GET", `${auditUrl(wb)}?user=${encodeURIComponent(text)}`, h.tokens.controller)).body.entries;
      expect(byUser.length).toBe(entries.filter((x) => x.user === text).length);
    }
    // Snapshot text fields and parameters, and a token name.
    const items = INJECTIONS.map((t) => ({ sku: t, error: t, segment: "AX" }));
    const snap = await h.call("POST", `/api/v1/workbooks/${wb}/snapshots`, h.tokens.planner, {
      modelVersion: INJECTIONS[0],
      parameters: Object.fromEntries(INJECTIONS.map((t) => [t, t])),
      items,
    });
    expect(snap.status).toBe(201);
    const got = await h.call("GET", `/api/v1/workbooks/${wb}/snapshots/${encodeURIComponent(INJECTIONS[0])}`, h.tokens.controller);
    expect(got.body.items).toEqual(items);
    expect(got.body.parameters).toEqual(Object.fromEntries(INJECTIONS.map((t) => [t, t])));
    const one = await h.call("GET", `/api/v1/workbooks/${wb}/snapshots/latest?sku=${encodeURIComponent(INJECTIONS[2])}`, h.tokens.controller);
    expect(one.body.items).toEqual([items[2]]);
    const tok = await h.call("POST", "/api/v1/tokens", h.tokens.admin, { name: INJECTIONS[4], role: "controller" });
    expect(tok.status).toBe(201);
    expect((await h.call("GET", "/api/v1/me", tok.body.token)).body.name).toBe(INJECTIONS[4]);
    // In the path: refused by the pattern, never reaching SQL.
    const path = await h.call("GET", `/api/v1/workbooks/${encodeURIComponent(INJECTIONS[1])}/audit`, h.tokens.controller);
    expect(path.status).toBe(400);

    for (const table of ["tokens", "workbooks", "audit_entries", "snapshots", "snapshot_items", "schema_migrations"]) {
      expect((await h.db.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n).toBeDefined();
    }
    expect(await stored(wb)).toEqual({ entries: entries.length, workbooks: 1, snapshots: 1 });
    expect((await h.call("GET", "/api/v1/me", h.tokens.planner)).status).toBe(200);
    expect((await h.call("GET", `${auditUrl(wb)}/verify`, h.tokens.controller)).body).toMatchObject({ ok: true, count: entries.length });
  });

  test("CORS answers only the configured origin", async () => {
    const pre = (origin: string) =>
      fetch(`${h.base}${auditUrl("wb")}`, {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "authorization,content-type" },
      });
    const ok = await pre("https://localhost:3000");
    expect(ok.headers.get("access-control-allow-origin")).toBe("https://localhost:3000");
    expect(ok.headers.get("access-control-allow-headers")).toMatch(/Authorization/i);
    const evil = await pre("https://evil.example");
    expect(evil.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("rate limit", () => {
  test("per token: the 6th request in the window is a 429 problem, other tokens and /health go on", async () => {
    const { sqliteBackend } = await import("./helpers/backends");
    const h = await startHarness(sqliteBackend, { rateLimit: { max: 5, timeWindow: 60_000 } });
    try {
      for (let i = 0; i < 5; i++) expect((await h.call("GET", "/api/v1/me", h.tokens.controller)).status).toBe(200);
      const r = await h.call("GET", "/api/v1/me", h.tokens.controller);
      expect(r.status).toBe(429);
      expect(r.headers["content-type"]).toMatch(/problem\+json/);
      expect(r.body.type).toBe("urn:seg:problem:rate-limited");
      expect(Number(r.headers["retry-after"])).toBeGreaterThan(0);
      expect((await h.call("GET", "/api/v1/me", h.tokens.planner)).status).toBe(200);
      for (let i = 0; i < 8; i++) expect((await h.call("GET", "/health")).status).toBe(200);
    } finally {
      await h.close();
    }
  });
});
