/* The HTTP API over a real SQLite file and a real PostgreSQL server (same suite for both). */
import { randomUUID } from "node:crypto";
import { GENESIS_HASH, sealEntries, verifyChain, type AuditEntry } from "../../src/engine/audit";
import { describeBackends } from "./helpers/backends";
import { batches, chain } from "./helpers/chains";
import { startHarness, type Harness } from "./helpers/harness";

const wbUrl = (wb: string) => `/api/v1/workbooks/${wb}`;

describeBackends("audit API", (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(backend);
  });
  afterAll(async () => h?.close());

  const append = (wb: string, entries: AuditEntry[], token = h.tokens.planner) => h.call("POST", `${wbUrl(wb)}/audit`, token, { entries });
  const count = async (wb: string) =>
    Number((await h.db.query(`SELECT COUNT(*) AS n FROM audit_entries WHERE workbook_id = ${backend.kind === "sqlite" ? "?" : "$1"}`, [wb]))[0].n);

  test("stores a chain in batches, reports what it stored and the new head", async () => {
    const wb = randomUUID();
    const entries = await chain(wb, 25);
    const [b1, b2] = batches(entries, 10);
    const r1 = await append(wb, b1);
    expect(r1.status).toBe(201);
    expect(r1.body).toEqual({ stored: b1.map((e) => e.entryId), alreadyStored: [], entryCount: 10, lastHash: b1[9].entryHash, receipt: expect.any(Object) });
    const r2 = await append(wb, b2);
    expect(r2.status).toBe(201);
    expect(r2.body.entryCount).toBe(20);
    const head = await h.call("GET", wbUrl(wb), h.tokens.planner);
    expect(head.status).toBe(200);
    expect(head.body).toMatchObject({ workbookId: wb, owner: "alice", entryCount: 20, lastHash: b2[9].entryHash, lastEntryId: b2[9].entryId });
  });

  test("re-sending a batch changes nothing and reports the entries as already stored", async () => {
    const wb = randomUUID();
    const entries = await chain(wb, 8);
    expect((await append(wb, entries)).status).toBe(201);
    const again = await append(wb, entries);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ stored: [], alreadyStored: entries.map((e) => e.entryId), entryCount: 8, lastHash: entries[7].entryHash, receipt: expect.any(Object) });
    expect(await count(wb)).toBe(8);
  });

  test("a batch overlapping what is stored stores only the new tail", async () => {
    const wb = randomUUID();
    const entries = await chain(wb, 10);
    await append(wb, entries.slice(0, 6));
    const r = await append(wb, entries.slice(3, 10));
    expect(r.status).toBe(201);
    expect(r.body.alreadyStored).toEqual(entries.slice(3, 6).map((e) => e.entryId));
    expect(r.body.stored).toEqual(entries.slice(6).map((e) => e.entryId));
    expect(await count(wb)).toBe(10);
  });

  test("a known entryId with different content is a 409 naming the entry, and nothing is stored", async () => {
    const wb = randomUUID();
    const entries = await chain(wb, 4);
    await append(wb, entries.slice(0, 2));
    // Same id, different reason, correctly re-sealed: a valid chain on its own, but not what is stored.
    const { entryHash: _h, prevHash: _p, ...first } = entries[0];
    const resealed = await sealEntries([{ ...first, reason: "changed later" }], GENESIS_HASH);
    const r = await append(wb, resealed);
    expect(r.status).toBe(409);
    expect(r.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(r.body).toMatchObject({ type: "urn:seg:problem:entry-conflict", status: 409, entryId: entries[0].entryId, index: 0 });
    expect(await count(wb)).toBe(2);
  });

  test("an edited entry (hash does not match) is a 409 naming it; the batch stores nothing", async () => {
    const wb = randomUUID();
    const entries = await chain(wb, 6);
    const tampered = entries.map((e, i) => (i === 3 ? { ...e, newValue: "CZ" } : e));
    const r = await append(wb, tampered);
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ type: "urn:seg:problem:broken-chain", entryId: entries[3].entryId, index: 3 });
    expect(r.body.detail).toContain(entries[3].entryId);
    expect(r.body.detail).toMatch(/hash/);
    expect(await count(wb)).toBe(0);
    expect((await h.call("GET", wbUrl(wb), h.tokens.controller)).status).toBe(404);
  });

  test("entries out of order are rejected, then accepted in order", async () => {
    const wb = randomUUID();
    const entries = await chain(wb, 9);
    const [b1, b2, b3] = batches(entries, 3);
    // A later batch first: its first entry does not link to the (empty) trail.
    const early = await append(wb, b2);
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ type: "urn:seg:problem:broken-chain", entryId: b2[0].entryId, index: 0 });
    expect(early.body.detail).toMatch(/genesis/);
    // Swapped inside a batch.
    const swapped = await append(wb, [b1[0], b1[2], b1[1]]);
    expect(swapped.status).toBe(409);
    expect(swapped.body.entryId).toBe(b1[2].entryId);
    // Skipping a batch.
    expect((await append(wb, b1)).status).toBe(201);
    const skip = await append(wb, b3);
    expect(skip.status).toBe(409);
    expect(skip.body.detail).toMatch(/stored entry #3/);
    expect((await append(wb, b2)).status).toBe(201);
    expect((await append(wb, b3)).status).toBe(201);
    expect(await count(wb)).toBe(9);
  });

  test("a fork (a second chain from the same point) is a 409", async () => {
    const wb = randomUUID();
    const a = await chain(wb, 3);
    const b = await chain(wb, 2, a[0].entryHash);
    await append(wb, a);
    const r = await append(wb, b);
    expect(r.status).toBe(409);
    expect(r.body.entryId).toBe(b[0].entryId);
    expect(r.body.detail).toMatch(/forked|missing/);
  });

  test("an entry of another workbook in the batch is a 400 naming it", async () => {
    const wb = randomUUID();
    const entries = await chain(randomUUID(), 2);
    const r = await append(wb, entries);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ type: "urn:seg:problem:validation", entryId: entries[0].entryId, index: 0 });
  });

  test("the same batch sent concurrently is stored exactly once", async () => {
    const wb = randomUUID();
    const entries = await chain(wb, 50);
    const rs = await Promise.all(Array.from({ length: 6 }, () => append(wb, entries)));
    expect(rs.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    for (const r of rs.filter((x) => x.status === 200)) expect(r.body.alreadyStored).toHaveLength(50);
    expect(await count(wb)).toBe(50);
  });

  test.each([
    ["an empty workbook", 0],
    ["a workbook with entries", 5],
  ])("concurrent forks on %s: exactly one wins, the others get 409 (no 500)", async (_what, before) => {
    const wb = randomUUID();
    const start = await chain(wb, before);
    if (before > 0) expect((await append(wb, start)).status).toBe(201);
    const tail = before > 0 ? start[before - 1].entryHash : GENESIS_HASH;
    const forks = await Promise.all(Array.from({ length: 8 }, () => chain(wb, 20, tail)));
    const rs = await Promise.all(forks.map((f) => append(wb, f)));
    expect(rs.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    expect(await count(wb)).toBe(before + 20);
    const v = await h.call("GET", `${wbUrl(wb)}/audit/verify`, h.tokens.controller);
    expect(v.body.ok).toBe(true);
  });

  test("concurrent in-order batches with retries end as one verified chain", async () => {
    const wb = randomUUID();
    const entries = await chain(wb, 200);
    const parts = batches(entries, 20);
    // Every batch is sent at once and retried until stored: arrival order is up to the server.
    await Promise.all(
      parts.map(async (b) => {
        for (let attempt = 0; attempt < 200; attempt++) {
          const r = await append(wb, b);
          if (r.status === 200 || r.status === 201) return;
          expect(r.status).toBe(409);
          await new Promise((res) => setTimeout(res, 2));
        }
        throw new Error("batch never stored");
      }),
    );
    const v = await h.call("GET", `${wbUrl(wb)}/audit/verify`, h.tokens.controller);
    expect(v.body).toEqual({ ok: true, count: 200, lastHash: entries[199].entryHash });
  });

  test("reads the trail in chain order with filters and a cursor", async () => {
    const wb = randomUUID();
    const entries = await chain(wb, 30);
    await append(wb, entries);
    // All pages of 7 concatenate to the whole chain, in order.
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q: string = cursor ? `?limit=7&cursor=${cursor}` : "?limit=7";
      const r = await h.call("GET", `${wbUrl(wb)}/audit${q}`, h.tokens.controller);
      expect(r.status).toBe(200);
      seen.push(...r.body.entries.map((e: { entryId: string }) => e.entryId));
      cursor = r.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(5);
    expect(seen).toEqual(entries.map((e) => e.entryId));

    const all = (await h.call("GET", `${wbUrl(wb)}/audit?limit=5000`, h.tokens.controller)).body.entries;
    expect(all[0]).toMatchObject({ ...entries[0], seq: 1, receivedBy: "alice" });
    expect(Date.parse(all[0].receivedAt)).toBeGreaterThan(Date.now() - 60_000);
    const expectIds = (pred: (e: AuditEntry) => boolean) => entries.filter(pred).map((e) => e.entryId);
    const ids = async (q: string) =>
      (await h.call("GET", `${wbUrl(wb)}/audit?${q}`, h.tokens.controller)).body.entries.map((e: { entryId: string }) => e.entryId);
    expect(await ids("sku=SKU-3")).toEqual(expectIds((e) => e.sku === "SKU-3"));
    expect(await ids("user=Bob")).toEqual(expectIds((e) => e.user === "Bob"));
    expect(await ids("action=override-set")).toEqual(expectIds((e) => e.action === "override-set"));
    const from = entries[10].timestamp;
    const to = entries[20].timestamp;
    expect(await ids(`from=${from}&to=${to}`)).toEqual(entries.slice(10, 20).map((e) => e.entryId));
    expect(await ids(`sku=SKU-1&user=Alice&from=${from}`)).toEqual(
      expectIds((e) => e.sku === "SKU-1" && e.user === "Alice" && e.timestamp >= from),
    );
  });

  test("rejects bad query parameters with a problem naming them", async () => {
    const wb = randomUUID();
    await append(wb, await chain(wb, 1));
    for (const [q, field] of [
      ["limit=0", "querystring.limit"],
      ["limit=abc", "querystring.limit"],
      ["limit=999999", "querystring.limit"],
      ["from=yesterday", "querystring.from"],
      ["action=delete", "querystring.action"],
      ["page=2", "querystring.page"],
    ]) {
      const r = await h.call("GET", `${wbUrl(wb)}/audit?${q}`, h.tokens.controller);
      expect([q, r.status]).toEqual([q, 400]);
      expect(r.body.field).toBe(field);
    }
  });

  test("verify: ok for an intact trail; names the entry edited or removed in the database", async () => {
    const wb = randomUUID();
    const entries = await chain(wb, 12);
    await append(wb, entries);
    const url = `${wbUrl(wb)}/audit/verify`;
    expect((await h.call("GET", url, h.tokens.controller)).body).toEqual({ ok: true, count: 12, lastHash: entries[11].entryHash });
    const p = (n: number) => (backend.kind === "sqlite" ? "?" : `$${n}`);

    await h.db.query(`UPDATE audit_entries SET new_value = 'CZ' WHERE entry_id = ${p(1)}`, [entries[5].entryId]);
    let v = (await h.call("GET", url, h.tokens.controller)).body;
    expect(v).toMatchObject({ ok: false, index: 5, seq: 6, entryId: entries[5].entryId });
    expect(v.reason).toMatch(/edited/);
    await h.db.query(`UPDATE audit_entries SET new_value = ${p(1)} WHERE entry_id = ${p(2)}`, [entries[5].newValue, entries[5].entryId]);

    await h.db.query(`DELETE FROM audit_entries WHERE entry_id = ${p(1)}`, [entries[11].entryId]);
    v = (await h.call("GET", url, h.tokens.controller)).body;
    expect(v).toMatchObject({ ok: false, count: 11, entryId: entries[11].entryId });
    expect(v.reason).toMatch(/removed/);

    await h.db.query(`DELETE FROM audit_entries WHERE entry_id = ${p(1)}`, [entries[4].entryId]);
    v = (await h.call("GET", url, h.tokens.controller)).body;
    expect(v).toMatchObject({ ok: false, index: 4, entryId: entries[5].entryId });
  });

  test("the server's verdict agrees with the engine's verifyChain on what it returns", async () => {
    const wb = randomUUID();
    const entries = await chain(wb, 40);
    for (const b of batches(entries, 13)) await append(wb, b);
    const stored = (await h.call("GET", `${wbUrl(wb)}/audit?limit=100`, h.tokens.controller)).body.entries as AuditEntry[];
    expect(await verifyChain(stored)).toEqual({ ok: true, count: 40, lastHash: entries[39].entryHash });
  });

  test("ownership: the first planner to write owns the workbook; others get 403 and write nothing, and cannot read it", async () => {
    const wb = randomUUID();
    const entries = await chain(wb, 4);
    await append(wb, entries.slice(0, 2));
    const r = await append(wb, entries.slice(2), h.tokens.planner2);
    expect(r.status).toBe(403);
    expect(r.body.type).toBe("urn:seg:problem:forbidden");
    expect(await count(wb)).toBe(2);
    expect((await h.call("GET", `${wbUrl(wb)}/audit`, h.tokens.planner2)).status).toBe(404); // as if missing (issue 8, defect 10)
    expect((await h.call("GET", `${wbUrl(wb)}/audit`, h.tokens.planner)).status).toBe(200);
    const mine = (await h.call("GET", "/api/v1/workbooks", h.tokens.planner2)).body.workbooks.map((w: { workbookId: string }) => w.workbookId);
    expect(mine).not.toContain(wb);
    const all = (await h.call("GET", "/api/v1/workbooks", h.tokens.controller)).body.workbooks.map((w: { workbookId: string }) => w.workbookId);
    expect(all).toContain(wb);
  });

  test("a rejected first batch does not claim the workbook", async () => {
    const wb = randomUUID();
    const bad = (await chain(wb, 2)).map((e, i) => (i === 1 ? { ...e, sku: "edited" } : e));
    expect((await append(wb, bad, h.tokens.planner2)).status).toBe(409);
    expect((await append(wb, await chain(wb, 1))).status).toBe(201);
    expect((await h.call("GET", wbUrl(wb), h.tokens.controller)).body.owner).toBe("alice");
  });
});

describeBackends("snapshot API", (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(backend);
  });
  afterAll(async () => h?.close());

  const items1 = [
    { sku: "A-1", value: 5000, cumShare: 0.5, abc: "A", cv: 0.2, xyz: "X", pattern: "smooth", segment: "AX", serviceLevel: 0.98, safetyStock: 12.5, reorderPoint: 40 },
    { sku: "B-2", value: 3000, cumShare: 0.8, abc: "B", cv: 0.7, xyz: "Y", pattern: "erratic", segment: "BY", safetyStock: 3 },
    { sku: "C-3", value: 2000, cumShare: 1, abc: "C", cv: 1.4, xyz: "Z", pattern: "lumpy", segment: "CZ" },
    { sku: "D-4", value: null, error: "no demand history" },
  ];
  const items2 = [
    { sku: "A-1", value: 5000, cumShare: 0.5, abc: "A", cv: 0.2, xyz: "X", pattern: "smooth", segment: "AX", serviceLevel: 0.98, safetyStock: 12.5, reorderPoint: 40 },
    { sku: "B-2", value: 3000, cumShare: 0.8, abc: "B", cv: 1.1, xyz: "Z", pattern: "lumpy", segment: "BZ", safetyStock: 3 },
    { sku: "C-3", value: 2000, cumShare: 1, abc: "C", cv: 1.4, xyz: "Z", pattern: "lumpy", segment: "CZ", safetyStock: 2 },
    { sku: "E-5", value: 10, segment: "CX" },
  ];
  const params = { abcCutoffs: [0.8, 0.95], xyzCutoffs: [0.5, 1], serviceLevels: { AX: 0.98 } };

  test("publish, list, read latest and a version, page items, diff", async () => {
    const wb = randomUUID();
    const url = `${wbUrl(wb)}/snapshots`;
    const p1 = await h.call("POST", url, h.tokens.planner, { modelVersion: "2026-11-25 run 1", parameters: params, items: items1 });
    expect(p1.status).toBe(201);
    expect(p1.body.snapshot).toMatchObject({ workbookId: wb, modelVersion: "2026-11-25 run 1", seq: 1, itemCount: 4, publishedBy: "alice" });
    const p2 = await h.call("POST", url, h.tokens.planner, { modelVersion: "v2", parameters: { ...params, abcCutoffs: [0.7, 0.9] }, items: items2 });
    expect(p2.status).toBe(201);
    expect(p2.body.snapshot.seq).toBe(2);

    const list = await h.call("GET", url, h.tokens.controller);
    expect(list.body.snapshots.map((s: { modelVersion: string }) => s.modelVersion)).toEqual(["2026-11-25 run 1", "v2"]);

    const latest = await h.call("GET", `${url}/latest`, h.tokens.controller);
    expect(latest.status).toBe(200);
    expect(latest.body.snapshot.modelVersion).toBe("v2");
    expect(latest.body.parameters).toEqual({ ...params, abcCutoffs: [0.7, 0.9] });
    expect(latest.body.items).toEqual(items2);
    expect(latest.body.nextOffset).toBeNull();

    const v1 = await h.call("GET", `${url}/${encodeURIComponent("2026-11-25 run 1")}`, h.tokens.controller);
    expect(v1.body.items).toEqual(items1);
    const page = await h.call("GET", `${url}/v2?offset=1&limit=2`, h.tokens.controller);
    expect(page.body.items).toEqual(items2.slice(1, 3));
    expect(page.body.nextOffset).toBe(3);
    const one = await h.call("GET", `${url}/v2?sku=E-5`, h.tokens.planner);
    expect(one.body.items).toEqual([items2[3]]);

    const diff = await h.call("GET", `${url}/latest/diff?from=${encodeURIComponent("2026-11-25 run 1")}`, h.tokens.controller);
    expect(diff.status).toBe(200);
    expect(diff.body.from.modelVersion).toBe("2026-11-25 run 1");
    expect(diff.body.to.modelVersion).toBe("v2");
    expect(diff.body.added).toEqual([{ sku: "E-5", segment: "CX" }]);
    expect(diff.body.removed).toEqual([{ sku: "D-4", segment: null }]);
    expect(diff.body.segmentChanged).toEqual([{ sku: "B-2", from: "BY", to: "BZ" }]);
    expect(diff.body.otherChanged).toEqual([
      { sku: "B-2", fields: ["cv", "pattern", "xyz"] },
      { sku: "C-3", fields: ["safetyStock"] },
    ]);
    expect(diff.body.unchanged).toBe(1);
  });

  test("publishing the same version again: same content 200, different content 409, nothing changed", async () => {
    const wb = randomUUID();
    const url = `${wbUrl(wb)}/snapshots`;
    const body = { modelVersion: "m1", parameters: params, items: items1 };
    expect((await h.call("POST", url, h.tokens.planner, body)).status).toBe(201);
    // Same content with keys in another order is the same snapshot.
    const reordered = { items: items1.map((i) => Object.fromEntries(Object.entries(i).reverse())), parameters: params, modelVersion: "m1" };
    const again = await h.call("POST", url, h.tokens.planner, reordered);
    expect(again.status).toBe(200);
    expect(again.body.created).toBe(false);
    const other = await h.call("POST", url, h.tokens.planner, { ...body, items: items2 });
    expect(other.status).toBe(409);
    expect(other.body.type).toBe("urn:seg:problem:snapshot-conflict");
    expect((await h.call("GET", `${url}/m1`, h.tokens.controller)).body.items).toEqual(items1);
  });

  test("rejects duplicate SKUs, the reserved version name, bad classes and unknown item fields", async () => {
    const wb = randomUUID();
    const url = `${wbUrl(wb)}/snapshots`;
    const cases: [unknown, string][] = [
      [{ modelVersion: "x", parameters: {}, items: [{ sku: "A" }, { sku: "A" }] }, "body.items[1].sku"],
      [{ modelVersion: "latest", parameters: {}, items: [] }, "body.modelVersion"],
      [{ modelVersion: "x", parameters: {}, items: [{ sku: "A", abc: "D" }] }, "body.items[0].abc"],
      [{ modelVersion: "x", parameters: {}, items: [{ sku: "A", segment: "AXY" }] }, "body.items[0].segment"],
      [{ modelVersion: "x", parameters: {}, items: [{ sku: "A", safetyStock: "12" }] }, "body.items[0].safetyStock"],
      [{ modelVersion: "x", parameters: {}, items: [{ sku: "A", colour: "red" }] }, "body.items[0].colour"],
      [{ modelVersion: "x", parameters: {}, items: [], extra: 1 }, "body.extra"],
    ];
    for (const [body, field] of cases) {
      const r = await h.call("POST", url, h.tokens.planner, body);
      expect([field, r.status, r.body.field]).toEqual([field, 400, field]);
      expect(r.body.detail).toContain(field);
    }
    expect((await h.call("GET", wbUrl(wb), h.tokens.controller)).status).toBe(404);
  });

  test("404s name what is missing", async () => {
    const wb = randomUUID();
    await h.call("POST", `${wbUrl(wb)}/snapshots`, h.tokens.planner, { modelVersion: "m1", parameters: {}, items: [] });
    const r = await h.call("GET", `${wbUrl(wb)}/snapshots/nope`, h.tokens.controller);
    expect(r.status).toBe(404);
    expect(r.body.detail).toContain('"nope"');
    const d = await h.call("GET", `${wbUrl(wb)}/snapshots/m1/diff?from=nope`, h.tokens.controller);
    expect(d.status).toBe(404);
    const none = await h.call("GET", `${wbUrl(randomUUID())}/snapshots/latest`, h.tokens.controller);
    expect(none.status).toBe(404);
  });

  test("another planner may not publish to or read a workbook it does not own", async () => {
    const wb = randomUUID();
    await h.call("POST", `${wbUrl(wb)}/snapshots`, h.tokens.planner, { modelVersion: "m1", parameters: {}, items: [] });
    const r = await h.call("POST", `${wbUrl(wb)}/snapshots`, h.tokens.planner2, { modelVersion: "m2", parameters: {}, items: [] });
    expect(r.status).toBe(403);
    expect((await h.call("GET", `${wbUrl(wb)}/snapshots/latest`, h.tokens.planner2)).status).toBe(404); // as if missing (issue 8, defect 10)
    expect((await h.call("GET", `${wbUrl(wb)}/snapshots`, h.tokens.controller)).body.snapshots).toHaveLength(1);
  });
});

describeBackends("tokens, health and OpenAPI", (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(backend);
  });
  afterAll(async () => h?.close());

  test("an admin creates, lists and revokes tokens; a created token works once and not after revocation", async () => {
    const c = await h.call("POST", "/api/v1/tokens", h.tokens.admin, { name: "erp-reader", role: "controller" });
    expect(c.status).toBe(201);
    expect(c.body.token).toMatch(/^seg_[A-Za-z0-9_-]{43}$/);
    expect(c.body.record).toMatchObject({ name: "erp-reader", role: "controller", revokedAt: null });
    const me = await h.call("GET", "/api/v1/me", c.body.token);
    expect(me.body).toEqual({ name: "erp-reader", role: "controller", team: null, tokenId: c.body.record.id });
    const list = await h.call("GET", "/api/v1/tokens", h.tokens.admin);
    expect(list.text).not.toContain(c.body.token);
    expect(list.body.tokens.map((t: { id: string }) => t.id)).toContain(c.body.record.id);
    const rev = await h.call("DELETE", `/api/v1/tokens/${c.body.record.id}`, h.tokens.admin);
    expect(rev.status).toBe(200);
    expect(rev.body.revokedAt).not.toBeNull();
    expect((await h.call("GET", "/api/v1/me", c.body.token)).status).toBe(401);
    expect((await h.call("DELETE", `/api/v1/tokens/${c.body.record.id}`, h.tokens.admin)).status).toBe(404);
  });

  test("the database keeps only a hash of each token", async () => {
    const c = await h.call("POST", "/api/v1/tokens", h.tokens.admin, { name: "x", role: "planner" });
    const rows = await h.db.query("SELECT * FROM tokens");
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(c.body.token);
    expect(dump).not.toContain(c.body.token.slice(4));
  });

  test("health and readiness", async () => {
    expect((await h.call("GET", "/health")).body).toEqual({ status: "ok" });
    expect((await h.call("GET", "/ready")).body).toEqual({ status: "ready", storage: backend.kind });
  });

  test("OpenAPI lists every route with its schemas", async () => {
    const r = await h.call("GET", "/api/v1/openapi.json");
    expect(r.status).toBe(200);
    expect(r.body.openapi).toBe("3.1.0");
    const paths = Object.keys(r.body.paths);
    for (const p of [
      "/api/v1/workbooks/{workbookId}/audit",
      "/api/v1/workbooks/{workbookId}/audit/verify",
      "/api/v1/workbooks/{workbookId}/snapshots",
      "/api/v1/workbooks/{workbookId}/snapshots/{modelVersion}",
      "/api/v1/workbooks/{workbookId}/snapshots/{modelVersion}/diff",
      "/api/v1/tokens",
      "/health",
      "/ready",
    ]) {
      expect(paths).toContain(p);
    }
    expect(r.body.components.schemas.AuditEntry.additionalProperties).toBe(false);
    expect(r.body.components.schemas.SnapshotItem.properties).toHaveProperty("reorderPoint");
    expect(r.body.paths["/api/v1/workbooks/{workbookId}/audit"].post.security).toEqual([{ bearer: [] }]);
  });
});
