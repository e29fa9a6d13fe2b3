/* Issue 8's defects, each pinned by a test that failed before its fix, on SQLite and PostgreSQL. */
import { randomUUID } from "node:crypto";
import http from "node:http";
import { GENESIS_HASH, hashAuditEntry, sealEntries, type AuditEntry } from "../../src/engine/audit";
import { describeBackends } from "./helpers/backends";
import { chain, unsealed } from "./helpers/chains";
import { startHarness, type Harness } from "./helpers/harness";
import { buildServer } from "../../src/server/app";
import type { Storage } from "../../src/server/storage/types";
import type { AddressInfo } from "node:net";

describeBackends("issue 8 defects", (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(backend);
  });
  afterAll(async () => h?.close());

  const auditUrl = (wb: string) => `/api/v1/workbooks/${wb}/audit`;
  const append = (wb: string, entries: AuditEntry[], token = h.tokens.planner) => h.call("POST", auditUrl(wb), token, { entries });
  const ph = (n: number) => (backend.kind === "sqlite" ? "?" : `$${n}`);
  const count = async (wb: string) => Number((await h.db.query(`SELECT COUNT(*) AS n FROM audit_entries WHERE workbook_id = ${ph(1)}`, [wb]))[0].n);
  const verify = (wb: string) => h.call("GET", `${auditUrl(wb)}/verify`, h.tokens.controller);

  describe("1: lone UTF-16 surrogates", () => {
    test("an entry whose text holds a lone surrogate is refused with a 400 naming the field and the entry; nothing is stored", async () => {
      const wb = randomUUID();
      const [e0, e1] = await chain(wb, 2);
      const bad = { ...e1, reason: "split pair \ud800 here", prevHash: e0.entryHash };
      bad.entryHash = await hashAuditEntry(bad); // hashed as the escaped JSON text, as a careless client would
      const r = await append(wb, [e0, bad]);
      expect(r.status).toBe(400);
      expect(r.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(r.body).toMatchObject({ field: "body.entries[1].reason", index: 1, entryId: bad.entryId });
      expect(r.body.detail).toMatch(/lone UTF-16 surrogate/);
      expect(await count(wb)).toBe(0);
      for (const [field, text] of [["sku", "\udc00"], ["user", "a\ud83d"]] as const) {
        const [one] = await sealEntries([{ ...unsealed(wb, 1)[0] }], GENESIS_HASH);
        const raw = { ...one, [field]: text };
        raw.entryHash = await hashAuditEntry(raw);
        expect((await append(wb, [raw])).body.field).toBe(`body.entries[0].${field}`);
      }
    });

    test("the pane's sealing makes such text well-formed: stored as hashed, read back equal, and verify passes", async () => {
      const wb = randomUUID();
      const entries = await sealEntries(
        unsealed(wb, 3, { override: (i) => (i === 1 ? { reason: "split pair \ud800 here", sku: "\udc00x", newValue: "ok \ud83d\ude00" } : {}) }),
        GENESIS_HASH,
      );
      expect(entries[1].reason).toBe("split pair \ufffd here");
      expect(entries[1].sku).toBe("\ufffdx");
      expect(entries[1].newValue).toBe("ok \ud83d\ude00"); // a whole pair is kept
      expect((await append(wb, entries)).status).toBe(201);
      const page = await h.call("GET", auditUrl(wb), h.tokens.planner);
      expect(page.body.entries.map(({ seq: _s, receivedAt: _a, receivedBy: _b, ...e }: Record<string, unknown>) => e)).toEqual(entries);
      expect((await verify(wb)).body).toEqual({ ok: true, count: 3, lastHash: entries[2].entryHash });
    });

    test("a snapshot SKU or parameter with a lone surrogate is refused naming it", async () => {
      const wb = randomUUID();
      const url = `/api/v1/workbooks/${wb}/snapshots`;
      const a = await h.call("POST", url, h.tokens.planner, { modelVersion: "m1", parameters: {}, items: [{ sku: "ok" }, { sku: "bad \ud800" }] });
      expect([a.status, a.body.field]).toEqual([400, "body.items[1].sku"]);
      const b = await h.call("POST", url, h.tokens.planner, { modelVersion: "m1", parameters: { note: ["x", "\udfff"] }, items: [] });
      expect([b.status, b.body.field]).toEqual([400, "body.parameters.note[1]"]);
    });
  });

  describe("2: failed authentication is rate-limited", () => {
    let limited: Harness;
    beforeAll(async () => {
      limited = await startHarness(backend, { rateLimit: { max: 5, timeWindow: 60_000 }, authFailureLimit: false });
    });
    afterAll(async () => limited?.close());

    test("refused requests count against the request limit (the limiter runs before authentication): 401s, then 429", async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) statuses.push((await limited.call("GET", "/api/v1/workbooks", null)).status);
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    });

    test("made-up tokens (a new one each time) are limited per address too, and the 429 is a problem with Retry-After", async () => {
      const other = await startHarness(backend, { rateLimit: { max: 100, timeWindow: 60_000 }, authFailureLimit: { max: 3, timeWindow: 60_000 } });
      try {
        const replies = [];
        for (let i = 0; i < 6; i++) replies.push(await other.call("GET", "/api/v1/me", `seg_${randomUUID().replace(/-/g, "")}`));
        expect(replies.map((r) => r.status)).toEqual([401, 401, 401, 429, 429, 429]);
        expect(replies[3].headers["content-type"]).toMatch(/^application\/problem\+json/);
        expect(replies[3].body.type).toBe("urn:seg:problem:rate-limited");
        expect(Number(replies[3].headers["retry-after"])).toBeGreaterThan(0);
        // a valid token from the same address is refused as well while the window lasts
        expect((await other.call("GET", "/api/v1/me", other.tokens.planner)).status).toBe(429);
      } finally {
        await other.close();
      }
    });
  });

  describe("6: deeply nested snapshot parameters", () => {
    const nested = (levels: number) => {
      let v: unknown = 1;
      for (let i = 0; i < levels; i++) v = { a: v };
      return v as Record<string, unknown>;
    };

    test("5,000 levels is a 400 naming the field, not a 500; nothing is stored", async () => {
      const wb = randomUUID();
      // 10 KB of JSON, written out by hand (JSON.stringify itself recurses)
      const body = `{"modelVersion":"m1","items":[],"parameters":${'{"a":'.repeat(5000)}1${"}".repeat(5000)}}`;
      const r = await h.call("POST", `/api/v1/workbooks/${wb}/snapshots`, h.tokens.planner, body, { "content-type": "application/json" });
      expect(r.status).toBe(400);
      expect(r.body.type).toBe("urn:seg:problem:validation");
      expect(r.body.field).toMatch(/^body\.parameters(\.a)+$/);
      expect(r.body.detail).toMatch(/nested more than 64 levels/);
      expect((await h.call("GET", `/api/v1/workbooks/${wb}/snapshots`, h.tokens.planner)).status).toBe(404);
    });

    test("60 levels are accepted and read back as sent", async () => {
      const wb = randomUUID();
      const parameters = nested(60);
      expect((await h.call("POST", `/api/v1/workbooks/${wb}/snapshots`, h.tokens.planner, { modelVersion: "m1", parameters, items: [] })).status).toBe(201);
      expect((await h.call("GET", `/api/v1/workbooks/${wb}/snapshots/m1`, h.tokens.planner)).body.parameters).toEqual(parameters);
    });
  });

  describe("7: entry ids are unique per workbook", () => {
    test("a planner storing another's next entry id first does not block the other's sync", async () => {
      const mine = randomUUID();
      const theirs = randomUUID();
      const entries = await chain(mine, 3);
      // bob learns alice's next entry id and stores an entry with it in his own workbook first
      const [squat] = await sealEntries([{ ...unsealed(theirs, 1)[0], entryId: entries[0].entryId }], GENESIS_HASH);
      expect((await append(theirs, [squat], h.tokens.planner2)).status).toBe(201);
      const r = await append(mine, entries);
      expect(r.status).toBe(201);
      expect(r.body.stored).toEqual(entries.map((e) => e.entryId));
      expect((await verify(mine)).body).toMatchObject({ ok: true, count: 3 });
      expect((await verify(theirs)).body).toMatchObject({ ok: true, count: 1 });
      // within one workbook the id is still the idempotency key
      const again = await append(mine, entries);
      expect([again.status, again.body.alreadyStored.length]).toEqual([200, 3]);
    });
  });

  describe("8: impossible dates", () => {
    const at = async (wb: string, timestamp: string) => sealEntries([{ ...unsealed(wb, 1)[0], timestamp }], GENESIS_HASH);

    test.each(["2026-02-31T12:00:00.000Z", "2026-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-25T24:00:00Z", "2026-11-25T10:60:00Z", "2026-11-25T10:00:60Z"])(
      "an entry timestamped %s is a 400 naming it; nothing is stored",
      async (ts) => {
        const wb = randomUUID();
        const r = await append(wb, await at(wb, ts));
        expect(r.status).toBe(400);
        expect(r.body.field).toBe("body.entries[0].timestamp");
        expect(await count(wb)).toBe(0);
      },
    );

    test("real dates, a leap day included, are accepted and indexed on their own day", async () => {
      const wb = randomUUID();
      const [e] = await at(wb, "2028-02-29T23:59:59.999Z");
      expect((await append(wb, [e])).status).toBe(201);
      const q = (from: string, to: string) => h.call("GET", `${auditUrl(wb)}?from=${from}&to=${to}`, h.tokens.planner);
      expect((await q("2028-02-29T00:00:00Z", "2028-03-01T00:00:00Z")).body.entries).toHaveLength(1);
      expect((await q("2028-03-01T00:00:00Z", "2028-03-02T00:00:00Z")).body.entries).toHaveLength(0);
    });

    test("impossible query bounds are a 400 naming the bound", async () => {
      const wb = randomUUID();
      await append(wb, await chain(wb, 1));
      const r = await h.call("GET", `${auditUrl(wb)}?from=2026-02-30T00:00:00Z`, h.tokens.planner);
      expect([r.status, r.body.field]).toEqual([400, "querystring.from"]);
      const r2 = await h.call("GET", `${auditUrl(wb)}?to=2026-06-31T00:00:00Z`, h.tokens.planner);
      expect([r2.status, r2.body.field]).toEqual([400, "querystring.to"]);
    });
  });

  describe("10: another planner's workbook reads as a missing one", () => {
    test.each(["", "/audit", "/snapshots", "/snapshots/latest", "/snapshots/m1/diff?from=m1"])("GET …%s answers the same 404 for both", async (tail) => {
      const wb = randomUUID();
      await append(wb, await chain(wb, 1));
      await h.call("POST", `/api/v1/workbooks/${wb}/snapshots`, h.tokens.planner, { modelVersion: "m1", parameters: {}, items: [] });
      const missing = "wb-never-written";
      const theirs = await h.call("GET", `/api/v1/workbooks/${wb}${tail}`, h.tokens.planner2);
      const none = await h.call("GET", `/api/v1/workbooks/${missing}${tail}`, h.tokens.planner2);
      expect(theirs.status).toBe(404);
      expect(none.status).toBe(404);
      expect({ ...theirs.body, detail: theirs.body.detail.replace(wb, "ID") }).toEqual({ ...none.body, detail: none.body.detail.replace(missing, "ID") });
      expect((await h.call("GET", `/api/v1/workbooks/${wb}${tail}`, h.tokens.planner)).status).toBe(200);
    });
  });

  describe("11: workbook ids follow a stated pattern", () => {
    /** A request with the path exactly as given (fetch would resolve the dots first). */
    const raw = (method: string, rawPath: string, body?: unknown) =>
      new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
        const text = body === undefined ? undefined : JSON.stringify(body);
        const req = http.request(
          `${h.base}${rawPath}`.replace(/^(http:\/\/[^/]+).*$/, "$1"),
          { method, path: rawPath, headers: { authorization: `Bearer ${h.tokens.planner}`, ...(text ? { "content-type": "application/json" } : {}) } },
          (res) => {
            let s = "";
            res.on("data", (d) => (s += d));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, body: s ? JSON.parse(s) : {} }));
          },
        );
        req.on("error", reject);
        req.end(text);
      });

    test.each(["..", ".", "%2e%2e", ".hidden", "-x", "~x"])("/api/v1/workbooks/%s/audit is a 400 naming the workbook id, and creates nothing", async (id) => {
      const entries = await chain("..", 1);
      const r = await raw("POST", `/api/v1/workbooks/${id}/audit`, { entries });
      expect(r.status).toBe(400);
      expect(r.body.field).toBe("params.workbookId");
      const rows = await h.db.query(`SELECT id FROM workbooks WHERE id IN (${ph(1)}, ${ph(2)}, ${ph(3)})`, ["..", ".", decodeURIComponent(id)]);
      expect(rows).toEqual([]);
    });

    test("GUIDs and the other documented ids are accepted", async () => {
      for (const id of [randomUUID(), "WB_2026.11~a-b", "a".repeat(128)]) {
        expect((await append(id, await chain(id, 1))).status).toBe(201);
      }
      expect((await append("a".repeat(129), await chain("a".repeat(129), 1))).status).toBe(400);
    });
  });

  describe("12: snapshot numbers are range-checked", () => {
    const publish = (items: unknown[]) =>
      h.call("POST", `/api/v1/workbooks/${randomUUID()}/snapshots`, h.tokens.planner, { modelVersion: "m1", parameters: {}, items });
    test.each([
      ["leadTime", -1],
      ["orderQty", -5],
      ["orderQuantity", -5],
      ["cumShare", 7],
      ["cumShare", -0.1],
      ["serviceLevel", 1.5],
      ["cv", -0.2],
      ["demandSd", -1],
      ["adi", -1],
      ["cv2", -1],
    ])("%s = %p is a 400 naming the field", async (field, value) => {
      const r = await publish([{ sku: "S1" }, { sku: "S2", [field]: value }]);
      expect(r.status).toBe(400);
      expect(r.body.field).toBe(`body.items[1].${field}`);
    });

    test("values at the edges and nulls are accepted", async () => {
      const r = await publish([
        { sku: "S1", leadTime: 0, orderQty: 0, cumShare: 1, serviceLevel: 1, cv: 0, demandSd: 0, adi: 1, cv2: 0, safetyStock: -3, reorderPoint: -1, value: 0 },
        { sku: "S2", leadTime: null, orderQty: null, cumShare: 1.0000000000000002 },
      ]);
      expect(r.status).toBe(201);
    });
  });

  describe("13: verify names a broken entry one way", () => {
    test("after a middle row is deleted: seq is the missing position and index = seq - 1", async () => {
      const wb = randomUUID();
      const entries = await chain(wb, 20);
      await append(wb, entries);
      await h.db.query(`DELETE FROM audit_entries WHERE workbook_id = ${ph(1)} AND seq = 12`, [wb]);
      const v = (await verify(wb)).body;
      expect(v).toMatchObject({ ok: false, seq: 12, index: 11, count: 11, entryId: entries[12].entryId });
      expect(v.reason).toMatch(/position 12 is missing/);
      // an edited entry and a removed tail follow the same rule
      await h.db.query(`UPDATE audit_entries SET reason = 'x' WHERE workbook_id = ${ph(1)} AND seq = 3`, [wb]);
      expect((await verify(wb)).body).toMatchObject({ seq: 3, index: 2, entryId: entries[2].entryId });
    });
  });

  describe("3: a long verify does not stall other requests", () => {
    test("a readiness check sent while a 20,000-entry verify runs is served before the verify ends", async () => {
      const wb = randomUUID();
      const who = { tokenId: randomUUID(), name: "alice", role: "planner" as const };
      const entries = await chain(wb, 20_000);
      for (let i = 0; i < entries.length; i += 5000) {
        expect((await h.db.storage.appendAudit(wb, who, entries.slice(i, i + 5000), new Date().toISOString())).kind).toBe("ok");
      }
      const events: string[] = [];
      let onPage: (() => void) | null = null;
      const real = h.db.storage;
      const watched = new Proxy(real, {
        get(target, prop) {
          if (prop === "queryAudit") {
            return (...args: Parameters<Storage["queryAudit"]>) => {
              events.push("page");
              onPage?.();
              return target.queryAudit(...args);
            };
          }
          if (prop === "ping") {
            return () => {
              events.push("ping");
              return target.ping();
            };
          }
          if (prop === "close") return async () => undefined; // the harness closes the real one
          const v = Reflect.get(target, prop);
          return typeof v === "function" ? v.bind(target) : v;
        },
      });
      const app = await buildServer({ storage: watched, rateLimit: false });
      await app.listen({ port: 0, host: "127.0.0.1" });
      const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      try {
        let ready: Promise<Response> | null = null;
        onPage = () => {
          if (events.filter((e) => e === "page").length === 2) ready = fetch(`${base}/ready`);
        };
        const v = await fetch(`${base}/api/v1/workbooks/${wb}/audit/verify`, { headers: { authorization: `Bearer ${h.tokens.controller}` } });
        expect(await v.json()).toEqual({ ok: true, count: 20_000, lastHash: entries[19_999].entryHash });
        expect(ready).not.toBeNull();
        expect((await ready!).status).toBe(200);
        const lastPage = events.lastIndexOf("page");
        expect(events.indexOf("ping")).toBeGreaterThan(-1);
        expect(events.indexOf("ping")).toBeLessThan(lastPage);
      } finally {
        await app.close();
      }
    }, 60_000);
  });

  describe("14: the 429 message", () => {
    test("names the window as the window and the time left as the wait", async () => {
      const limited = await startHarness(backend, { rateLimit: { max: 2, timeWindow: 60_000 }, authFailureLimit: false });
      try {
        let r = await limited.call("GET", "/api/v1/me", limited.tokens.planner);
        for (let i = 0; i < 2; i++) r = await limited.call("GET", "/api/v1/me", limited.tokens.planner);
        expect(r.status).toBe(429);
        const m = /^more than 2 requests in 1 min; retry after (\d+) s$/.exec(r.body.detail);
        expect(m).not.toBeNull();
        expect(Number(m![1])).toBeGreaterThan(0);
        expect(Number(m![1])).toBeLessThanOrEqual(60);
        expect(Number(r.headers["retry-after"])).toBe(Number(m![1]));
      } finally {
        await limited.close();
      }
    });
  });

  describe("9: every error is problem+json", () => {
    const rawRequest = (rawPath: string, headers: Record<string, string> = {}) =>
      new Promise<{ status: number; type: string; body: Record<string, unknown> }>((resolve, reject) => {
        const req = http.request(h.base, { method: "GET", path: rawPath, headers }, (res) => {
          let s = "";
          res.on("data", (d) => (s += d));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, type: String(res.headers["content-type"]), body: JSON.parse(s) }));
        });
        req.on("error", reject);
        req.end();
      });

    test("a huge header: 431 problem", async () => {
      const r = await rawRequest("/health", { "x-big": "a".repeat(20_000) });
      expect(r.status).toBe(431);
      expect(r.type).toMatch(/^application\/problem\+json/);
      expect(r.body).toMatchObject({ type: "urn:seg:problem:headers-too-large", status: 431 });
    });

    test("a bad percent-encoding in the path: 400 problem", async () => {
      const r = await rawRequest("/api/v1/workbooks/%E0%A4%A/audit", { authorization: `Bearer ${h.tokens.planner}` });
      expect(r.status).toBe(400);
      expect(r.type).toMatch(/^application\/problem\+json/);
      expect(r.body).toMatchObject({ type: "urn:seg:problem:validation", status: 400, field: "url" });
    });

    test("an over-long path parameter: 414 problem", async () => {
      const r = await rawRequest(`/api/v1/workbooks/${"a".repeat(1300)}`, { authorization: `Bearer ${h.tokens.planner}` });
      expect(r.status).toBe(414);
      expect(r.type).toMatch(/^application\/problem\+json/);
    });
  });
});
