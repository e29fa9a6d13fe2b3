/* Issue 14 over the API: incremental demand and master-data changes (duplicates, out-of-order and
   replayed changes, conflicts, changed SKUs since a version) and mapping profiles per user and
   team; SQLite and PostgreSQL, roles, 401/403, nothing written on refusal. The reference for the
   stored state is the engine's own state machine (src/engine/cdc.ts) run in memory. */
import { randomUUID } from "node:crypto";
import { SegApiClient } from "../../src/client";
import { issueToken } from "../../src/server/auth";
import { applyChanges, emptyCdcState, type Change } from "../../src/engine/cdc";
import { describeBackends } from "./helpers/backends";
import { startHarness, type Harness } from "./helpers/harness";

const d = (changeId: string, watermark: number, sku: string, period: string, value: number | null): Change => ({ changeId, watermark, sku, kind: "demand", period, value });
const a = (changeId: string, watermark: number, sku: string, field: string, value: string | number | null): Change => ({ changeId, watermark, sku, kind: "attribute", field, value });

/** The engine's cells after the batches, as the API lists them (sorted by sku, kind, name). */
function reference(batches: Change[][]) {
  const s = emptyCdcState();
  for (const b of batches) applyChanges(s, b);
  return [...s.cells.values()]
    .map((c) => ({ sku: c.sku, kind: c.kind, name: c.name, value: c.value, watermark: c.watermark, changeId: c.changeId }))
    .sort((x, y) => (x.sku + "\u0001" + x.kind + "\u0001" + x.name < y.sku + "\u0001" + y.kind + "\u0001" + y.name ? -1 : 1));
}

describeBackends("incremental inputs API", (backend) => {
  let h: Harness;
  const ph = (n: number) => (backend.kind === "sqlite" ? "?" : `$${n}`);
  const changesStored = async (wb: string) => Number((await h.db.query(`SELECT COUNT(*) AS n FROM input_changes WHERE workbook_id = ${ph(1)}`, [wb]))[0].n);
  const send = (wb: string, changes: Change[], token = h.tokens.planner) => h.call("POST", `/api/v1/workbooks/${wb}/inputs/changes`, token, { changes });
  const cells = async (wb: string) =>
    ((await h.call("GET", `/api/v1/workbooks/${wb}/inputs`, h.tokens.controller)).body.cells as Record<string, unknown>[]).map(({ version: _v, ...c }) => c);

  beforeAll(async () => {
    h = await startHarness(backend);
  });
  afterAll(async () => h?.close());

  test("duplicates are ignored: the same batch twice changes nothing and reports them", async () => {
    const wb = randomUUID();
    const batch = [d("c1", 1, "S1", "2026-W01", 5), d("c2", 2, "S1", "2026-W02", 7), a("c3", 3, "S2", "family", "bearings")];
    const first = await send(wb, batch);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ version: 1, applied: 3, duplicates: 0, changedSkus: ["S1", "S2"] });
    const again = await send(wb, batch);
    expect(again.body).toMatchObject({ version: 1, applied: 0, duplicates: 3, changedSkus: [] });
    expect(await changesStored(wb)).toBe(3);
    expect(await cells(wb)).toEqual(reference([batch]));
  });

  test("out of order: the greatest (watermark, changeId) wins whatever the arrival order", async () => {
    const batches = [
      [d("x3", 30, "S1", "W1", 3), a("x5", 50, "S1", "family", "B")],
      [d("x1", 10, "S1", "W1", 1), d("x2", 20, "S2", "W1", 2), a("x4", 40, "S1", "family", "A")],
      [d("x0", 30, "S1", "W1", 9), d("x6", 60, "S2", "W1", null)], // same watermark as x3: "x3" > "x0", so x3 stays
    ];
    const expected = reference([batches.flat().sort((p, q) => p.watermark - q.watermark)]);
    for (const order of [[0, 1, 2], [2, 1, 0], [1, 2, 0]]) {
      const wb = randomUUID();
      const outs = [];
      for (const k of order) outs.push((await send(wb, batches[k])).body);
      expect(await cells(wb)).toEqual(expected);
      // Worked by hand: 2,1,0 sends x1 (10) after x0 (30) and x2 (20) after x6 (60); 0,1,2 also x4 after x5 and x0 after x3 (same watermark, "x0" < "x3"); 1,2,0 arrives in watermark order.
      const superseded = outs.reduce((t, o) => t + o.superseded, 0);
      if (order.join() === "2,1,0") expect(superseded).toBe(2);
      if (order.join() === "1,2,0") expect(superseded).toBe(0);
      if (order.join() === "0,1,2") expect(superseded).toBe(3);
    }
    const s1 = expected.find((c) => c.sku === "S1" && c.name === "W1")!;
    expect(s1).toMatchObject({ value: 3, changeId: "x3" });
  });

  test("replays after compaction are ignored, new changes above the watermark are applied", async () => {
    const wb = randomUUID();
    await send(wb, [d("r1", 1, "S1", "W1", 1), d("r2", 2, "S1", "W2", 2), d("r3", 6, "S1", "W3", 3)]);
    const c = await h.call("POST", `/api/v1/workbooks/${wb}/inputs/compact`, h.tokens.planner, { watermark: 5 });
    expect(c.status).toBe(200);
    expect(c.body).toEqual({ forgotten: 2, compactedThrough: 5 });
    expect(await changesStored(wb)).toBe(1);
    const replay = await send(wb, [d("r1", 1, "S1", "W1", 1), d("r2b", 4, "S1", "W1", 99), d("r3", 6, "S1", "W3", 3), d("r4", 7, "S1", "W1", 4)]);
    expect(replay.body).toMatchObject({ replayed: 2, duplicates: 1, applied: 1, changedSkus: ["S1"] });
    expect((await cells(wb)).find((x) => x.name === "W1")).toMatchObject({ value: 4, changeId: "r4" });
    // A lower compaction later does not lower the watermark.
    expect((await h.call("POST", `/api/v1/workbooks/${wb}/inputs/compact`, h.tokens.planner, { watermark: 1 })).body.compactedThrough).toBe(5);
  });

  test("a reused id with other content and a negative quantity are rejected naming them; the rest is applied", async () => {
    const wb = randomUUID();
    await send(wb, [d("k1", 1, "S1", "W1", 1)]);
    const r = await send(wb, [d("k1", 1, "S1", "W1", 2), d("k2", 2, "S2", "W1", -3), d("k3", 3, "S3", "W1", 4)]);
    expect(r.status).toBe(200);
    expect(r.body.rejected.map((x: { index: number }) => x.index)).toEqual([0, 1]);
    expect(r.body.rejected[0].message).toMatch(/k1.*already applied with other content/);
    expect(r.body.rejected[1].message).toMatch(/value/);
    expect(r.body.changedSkus).toEqual(["S3"]);
    const bad = await h.call("POST", `/api/v1/workbooks/${wb}/inputs/changes`, h.tokens.planner, { changes: [{ changeId: "z", watermark: 1, sku: "S", value: 1 }] });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe("body.changes[0].kind");
  });

  test("the SKUs changed since a version are the ones to reclassify", async () => {
    const wb = randomUUID();
    const v1 = (await send(wb, [d("a1", 1, "S1", "W1", 1), d("a2", 2, "S2", "W1", 2), d("a3", 3, "S3", "W1", 3)])).body.version;
    await send(wb, [d("b1", 4, "S2", "W2", 5), d("b2", 5, "S3", "W1", 3)]); // S3: same value, no input change
    const r = await h.call("GET", `/api/v1/workbooks/${wb}/inputs/changed?since=${v1}`, h.tokens.controller);
    expect(r.body).toEqual({ version: v1 + 1, since: v1, skus: ["S2"] });
    expect((await h.call("GET", `/api/v1/workbooks/${wb}/inputs/changed`, h.tokens.planner)).body.skus).toEqual(["S1", "S2", "S3"]);
    const page = await h.call("GET", `/api/v1/workbooks/${wb}/inputs?limit=2`, h.tokens.planner);
    expect(page.body.cells).toHaveLength(2);
    expect(page.body.nextOffset).toBe(2);
    expect((await h.call("GET", `/api/v1/workbooks/${wb}/inputs?sku=S2`, h.tokens.planner)).body.cells.map((c: { name: string }) => c.name)).toEqual(["W1", "W2"]);
  });

  test("roles: 401 without a token, 403 for another planner or a controller sending (404 for another planner's reads and compaction); nothing applied", async () => {
    const wb = randomUUID();
    await send(wb, [d("o1", 1, "S1", "W1", 1)]);
    expect((await send(wb, [d("o2", 2, "S1", "W1", 2)], null as unknown as string)).status).toBe(401);
    expect((await send(wb, [d("o2", 2, "S1", "W1", 2)], h.tokens.revoked)).status).toBe(401);
    expect((await send(wb, [d("o2", 2, "S1", "W1", 2)], h.tokens.planner2)).status).toBe(403);
    expect((await send(wb, [d("o2", 2, "S1", "W1", 2)], h.tokens.controller)).status).toBe(403);
    expect((await h.call("POST", `/api/v1/workbooks/${wb}/inputs/compact`, h.tokens.planner2, { watermark: 9 })).status).toBe(404);
    expect(await changesStored(wb)).toBe(1);
    expect((await h.call("GET", `/api/v1/workbooks/${wb}/inputs`, h.tokens.planner2)).status).toBe(404);
    expect((await h.call("GET", `/api/v1/workbooks/${wb}/inputs`, h.tokens.admin)).status).toBe(200);
  });

  test("mapping profiles: per user (private) and per team, saved again under the same name as a new revision", async () => {
    const mine = { name: "SAP MM extract", source: "SAP MM", scope: "user", profile: { value: { field: "VERPR", steward: "Finance", refreshSla: "daily" } } };
    const made = await h.call("POST", "/api/v1/mapping-profiles", h.tokens.planner, mine);
    expect(made.status).toBe(201);
    expect(made.body.mappingProfile).toMatchObject({ name: "SAP MM extract", owner: "alice", team: null, revision: 1 });
    const again = await h.call("POST", "/api/v1/mapping-profiles", h.tokens.planner, { ...mine, profile: { value: { field: "STPRS" } } });
    expect(again.status).toBe(200);
    expect(again.body.mappingProfile).toMatchObject({ id: made.body.mappingProfile.id, revision: 2, profile: { value: { field: "STPRS" } } });
    const id = made.body.mappingProfile.id;
    expect((await h.call("GET", `/api/v1/mapping-profiles/${id}`, h.tokens.planner2)).status).toBe(404);
    expect((await h.call("DELETE", `/api/v1/mapping-profiles/${id}`, h.tokens.planner2)).status).toBe(404);
    const eu1 = (await issueToken(h.db.storage, "erin", "planner", new Date(), "EU planning")).token;
    const eu2 = (await issueToken(h.db.storage, "frank", "controller", new Date(), "EU planning")).token;
    const team = await h.call("POST", "/api/v1/mapping-profiles", eu1, { name: "WMS slots", source: "WMS", scope: "team", team: "EU planning", profile: { location: { field: "LGPLA" } } });
    expect(team.status).toBe(201);
    const franks = await h.call("GET", `/api/v1/mapping-profiles?team=${encodeURIComponent("EU planning")}`, eu2);
    expect(franks.body.mappingProfiles.map((p: { name: string }) => p.name)).toEqual(["WMS slots"]);
    // a member's list has the team's profiles without naming the team
    expect((await h.call("GET", "/api/v1/mapping-profiles", eu2)).body.mappingProfiles.map((p: { name: string }) => p.name)).toEqual(["WMS slots"]);
    const alices = await h.call("GET", "/api/v1/mapping-profiles?source=SAP%20MM", h.tokens.planner);
    expect(alices.body.mappingProfiles.map((p: { name: string }) => p.name)).toEqual(["SAP MM extract"]);
    const profiles = async () => Number((await h.db.query("SELECT COUNT(*) AS n FROM mapping_profiles"))[0].n);
    const before = await profiles();
    expect((await h.call("POST", "/api/v1/mapping-profiles", h.tokens.planner, { ...mine, scope: "team" })).body.field).toBe("body.team");
    expect((await h.call("POST", "/api/v1/mapping-profiles", h.tokens.planner, { ...mine, name: "Other", team: "EU planning" })).body.field).toBe("body.team");
    expect((await h.call("POST", "/api/v1/mapping-profiles", null, mine)).status).toBe(401);
    expect((await h.call("POST", "/api/v1/mapping-profiles", h.tokens.revoked, { ...mine, name: "Revoked" })).status).toBe(401);
    expect(await profiles()).toBe(before);
    expect((await h.call("DELETE", `/api/v1/mapping-profiles/${id}`, h.tokens.planner)).body).toEqual({ deleted: true });
    expect((await h.call("GET", `/api/v1/mapping-profiles/${id}`, h.tokens.planner)).status).toBe(404);
  });

  test("team profiles are the team's members': non-members get 404 on read and delete (as for a missing one), 403 on save; admins read and delete, save only as members", async () => {
    const tok = async (name: string, role: "planner" | "controller" | "admin", team: string | null) => (await issueToken(h.db.storage, name, role, new Date(), team)).token;
    const ops = await tok("olga", "planner", "Ops Nordics");
    const ops2 = await tok("otto", "controller", "Ops Nordics");
    const other = await tok("uma", "planner", "Ops US");
    const teamless = h.tokens.planner2;
    const root = h.tokens.admin;
    const rootInTeam = await tok("root2", "admin", "Ops Nordics");
    const body = { name: "TMS lanes", source: "TMS", scope: "team", team: "Ops Nordics", profile: { lane: { field: "ROUTE" } } };
    const saved = await h.call("POST", "/api/v1/mapping-profiles", ops, body);
    expect(saved.status).toBe(201);
    expect(saved.body.mappingProfile).toMatchObject({ team: "Ops Nordics", owner: "olga", revision: 1 });
    const id = saved.body.mappingProfile.id as string;
    const missing = await h.call("GET", `/api/v1/mapping-profiles/${randomUUID()}`, other);
    const count = async () => Number((await h.db.query("SELECT COUNT(*) AS n FROM mapping_profiles WHERE team = 'Ops Nordics'"))[0].n);
    const revision = async () => Number((await h.db.query(`SELECT revision FROM mapping_profiles WHERE id = ${ph(1)}`, [id]))[0].revision);

    // members read, list and save a new revision
    expect((await h.call("GET", `/api/v1/mapping-profiles/${id}`, ops2)).body).toMatchObject({ id, name: "TMS lanes" });
    expect((await h.call("POST", "/api/v1/mapping-profiles", ops2, { ...body, profile: { lane: { field: "ROUTE2" } } })).body.mappingProfile).toMatchObject({ revision: 2, owner: "otto" });

    // non-members (another team, no team): 404 exactly as a missing profile, not listed even when they name the team
    for (const t of [other, teamless]) {
      const r = await h.call("GET", `/api/v1/mapping-profiles/${id}`, t);
      expect(r.status).toBe(404);
      expect(r.body.detail.replace(id, "X")).toBe(missing.body.detail.replace(/[0-9a-f-]{36}/, "X"));
      expect((await h.call("DELETE", `/api/v1/mapping-profiles/${id}`, t)).status).toBe(404);
      expect((await h.call("GET", `/api/v1/mapping-profiles?team=${encodeURIComponent("Ops Nordics")}`, t)).body.mappingProfiles).toEqual([]);
      // and may not write into the team: 403, nothing saved
      const w = await h.call("POST", "/api/v1/mapping-profiles", t, { ...body, profile: { lane: { field: "HIJACK" } } });
      expect(w.status).toBe(403);
      expect(w.body.detail).toContain('not in team "Ops Nordics"');
      const n = await h.call("POST", "/api/v1/mapping-profiles", t, { ...body, name: "Planted" });
      expect(n.status).toBe(403);
    }
    expect(await count()).toBe(1);
    expect(await revision()).toBe(2);

    // admins: read and list any team's, save only as members
    expect((await h.call("GET", `/api/v1/mapping-profiles/${id}`, root)).status).toBe(200);
    expect((await h.call("GET", `/api/v1/mapping-profiles?team=${encodeURIComponent("Ops Nordics")}`, root)).body.mappingProfiles.map((p: { id: string }) => p.id)).toEqual([id]);
    expect((await h.call("POST", "/api/v1/mapping-profiles", root, { ...body, profile: {} })).status).toBe(403);
    expect(await revision()).toBe(2);
    expect((await h.call("POST", "/api/v1/mapping-profiles", rootInTeam, { ...body, profile: {} })).body.mappingProfile).toMatchObject({ revision: 3 });
    expect((await h.call("DELETE", `/api/v1/mapping-profiles/${id}`, root)).body).toEqual({ deleted: true });
    expect(await count()).toBe(0);

    // the token's team is on /me and in the token list
    expect((await h.call("GET", "/api/v1/me", ops)).body).toMatchObject({ name: "olga", team: "Ops Nordics" });
    expect((await h.call("GET", "/api/v1/me", teamless)).body).toMatchObject({ name: "bob", team: null });
    const created = await h.call("POST", "/api/v1/tokens", root, { name: "feed", role: "planner", team: "Ops US" });
    expect(created.body.record).toMatchObject({ name: "feed", team: "Ops US" });
    const listed = (await h.call("GET", "/api/v1/tokens", root)).body.tokens as { name: string; team: string | null }[];
    expect(listed.find((t) => t.name === "olga")?.team).toBe("Ops Nordics");
    expect(listed.find((t) => t.name === "bob")?.team).toBeNull();
  });

  test("the client's profile methods: save twice, list by source, delete", async () => {
    const c = new SegApiClient({ baseUrl: h.base, token: h.tokens.planner2 });
    const first = await c.saveMappingProfile({ name: "CRM tiers", source: "CRM", scope: "user", profile: { customerTier: { field: "TIER" } } });
    expect(first.created).toBe(true);
    const second = await c.saveMappingProfile({ name: "CRM tiers", source: "CRM", scope: "user", profile: { customerTier: { field: "TIER2" } } });
    expect(second).toMatchObject({ created: false, mappingProfile: { revision: 2 } });
    expect((await c.listMappingProfiles({ source: "CRM" })).map((p) => p.profile)).toEqual([{ customerTier: { field: "TIER2" } }]);
    await c.deleteMappingProfile(first.mappingProfile.id);
    expect(await c.listMappingProfiles({ source: "CRM" })).toEqual([]);
  });
});
