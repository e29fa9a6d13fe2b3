/* Issue 15, the API for other systems: one SKU per call, a filtered and paginated SKU list and the
   execution flags as CSV, over SQLite and PostgreSQL, with roles, 401/403 and nothing stored on refusal. */
import { randomUUID } from "node:crypto";
import { describeBackends } from "./helpers/backends";
import { startHarness, type Harness } from "./helpers/harness";

const items = [
  { sku: "S1", segment: "AX", abc: "A", xyz: "X", pattern: "smooth", safetyStock: 12.5, reorderPoint: 40, pickingPriority: 1, transportMode: "express", atpWindowDays: 2, crossDock: true, slottingZone: "golden", executionRules: "R2 R3" },
  { sku: "S,5", segment: "AY", abc: "A", xyz: "Y", pattern: "erratic", pickingPriority: 1, transportMode: "standard", atpWindowDays: 2, crossDock: false, slottingZone: "silver", executionRules: "R1 R2" },
  { sku: "B/7 x", segment: "BY", abc: "B", xyz: "Y", pattern: "intermittent", pickingPriority: 3, transportMode: "standard", atpWindowDays: 5.5, slottingZone: "bronze", sequencePriority: 2, executionRules: "R1 R6", overridden: true },
  { sku: "C1", segment: "CZ", abc: "C", xyz: "Z", pattern: "lumpy", pickingPriority: 3, transportMode: "economy", atpWindowDays: 5, slottingZone: "bronze", executionRules: "R1 R4" },
  { sku: "N1", segment: null, abc: "C", xyz: null, pattern: null },
];

describeBackends("execution API", (backend) => {
  let h: Harness;
  const wb = randomUUID();
  const base = `/api/v1/workbooks/${wb}/snapshots`;
  const ph = (n: number) => (backend.kind === "sqlite" ? "?" : `$${n}`);
  const snapshotCount = async (id: string) => Number((await h.db.query(`SELECT COUNT(*) AS n FROM snapshots WHERE workbook_id = ${ph(1)}`, [id]))[0].n);

  beforeAll(async () => {
    h = await startHarness(backend);
    const r = await h.call("POST", base, h.tokens.planner, { modelVersion: "v1", parameters: {}, items });
    expect(r.status).toBe(201);
    const r2 = await h.call("POST", base, h.tokens.planner, { modelVersion: "v2", parameters: {}, items: [{ ...items[0], segment: "BX", abc: "B" }] });
    expect(r2.status).toBe(201);
  });
  afterAll(async () => h?.close());

  test("one SKU in one call: segment, pattern, policy and execution flags, by version or latest", async () => {
    const r = await h.call("GET", `${base}/v1/skus/S1`, h.tokens.planner);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ modelVersion: "v1", ...items[0] });
    const latest = await h.call("GET", `${base}/latest/skus/S1`, h.tokens.controller);
    expect(latest.status).toBe(200);
    expect(latest.body).toMatchObject({ modelVersion: "v2", segment: "BX", transportMode: "express" });
    const enc = await h.call("GET", `${base}/v1/skus/${encodeURIComponent("B/7 x")}`, h.tokens.admin);
    expect(enc.status).toBe(200);
    expect(enc.body).toMatchObject({ sku: "B/7 x", sequencePriority: 2, atpWindowDays: 5.5, overridden: true });
  });

  test("an unknown SKU or version is a 404 naming it", async () => {
    const r = await h.call("GET", `${base}/v1/skus/NOPE`, h.tokens.planner);
    expect(r.status).toBe(404);
    expect(r.body.detail).toContain('"NOPE"');
    const v = await h.call("GET", `${base}/v9/skus/S1`, h.tokens.planner);
    expect(v.status).toBe(404);
    expect(v.body.detail).toContain('"v9"');
  });

  test("no token or a revoked one is 401, another planner's workbook reads as missing (404), on all three routes", async () => {
    for (const url of [`${base}/v1/skus/S1`, `${base}/v1/skus`, `${base}/v1/execution.csv`]) {
      expect((await h.call("GET", url)).status).toBe(401);
      expect((await h.call("GET", url, h.tokens.revoked)).status).toBe(401);
      const other = await h.call("GET", url, h.tokens.planner2);
      expect(other.status).toBe(404);
      expect(other.text).not.toContain("S1,");
      expect((await h.call("GET", url, h.tokens.controller)).status).toBe(200);
    }
  });

  test("the list filters by segment (with wildcards), pattern, flags, and paginates", async () => {
    const skus = async (q: string) => {
      const r = await h.call("GET", `${base}/v1/skus?${q}`, h.tokens.controller);
      expect(r.status).toBe(200);
      return r.body;
    };
    expect((await skus("segment=A*")).items.map((i: { sku: string }) => i.sku)).toEqual(["S1", "S,5"]);
    expect((await skus("segment=*Y")).items.map((i: { sku: string }) => i.sku)).toEqual(["S,5", "B/7 x"]);
    expect((await skus("segment=*")).items).toHaveLength(5);
    expect((await skus("segment=CZ&transportMode=economy")).items.map((i: { sku: string }) => i.sku)).toEqual(["C1"]);
    expect((await skus("crossDock=true")).items.map((i: { sku: string }) => i.sku)).toEqual(["S1"]);
    expect((await skus("crossDock=false")).items.map((i: { sku: string }) => i.sku)).toEqual(["S,5"]);
    expect((await skus("overridden=true")).items.map((i: { sku: string }) => i.sku)).toEqual(["B/7 x"]);
    expect((await skus("pattern=lumpy&slottingZone=bronze")).items.map((i: { sku: string }) => i.sku)).toEqual(["C1"]);
    expect((await skus("abc=C")).items.map((i: { sku: string }) => i.sku)).toEqual(["C1", "N1"]);
    const p1 = await skus("limit=2");
    expect(p1.items.map((i: { sku: string }) => i.sku)).toEqual(["S1", "S,5"]);
    expect(p1.nextOffset).toBe(2);
    expect(p1.snapshot).toMatchObject({ modelVersion: "v1", itemCount: 5 });
    const p3 = await skus("limit=2&offset=4");
    expect(p3.items.map((i: { sku: string }) => i.sku)).toEqual(["N1"]);
    expect(p3.nextOffset).toBeNull();
    const exact = await skus("limit=5");
    expect(exact.nextOffset).toBeNull();
    const f2 = await skus("pattern=smooth&limit=1");
    expect(f2.nextOffset).toBeNull();
  });

  test("bad filters are a 400 naming the field", async () => {
    const r = await h.call("GET", `${base}/v1/skus?segment=DX`, h.tokens.controller);
    expect(r.status).toBe(400);
    expect(r.body.field).toBe("querystring.segment");
    const t = await h.call("GET", `${base}/v1/skus?transportMode=air`, h.tokens.controller);
    expect(t.status).toBe(400);
    expect(t.body.field).toBe("querystring.transportMode");
    const l = await h.call("GET", `${base}/v1/skus?limit=0`, h.tokens.controller);
    expect(l.status).toBe(400);
  });

  test("the CSV export: header, one RFC 4180 record per SKU, Y/N, empty when not set, filters", async () => {
    const r = await h.call("GET", `${base}/v1/execution.csv`, h.tokens.controller);
    expect(r.status).toBe(200);
    expect(r.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(r.headers["content-disposition"]).toBe('attachment; filename="execution-v1.csv"');
    expect(r.text).toBe(
      [
        "sku,customer,segment,pattern,pickingPriority,transportMode,atpWindowDays,crossDock,slottingZone,sequencePriority,rules",
        "S1,,AX,smooth,1,express,2,Y,golden,,R2 R3",
        '"S,5",,AY,erratic,1,standard,2,N,silver,,R1 R2',
        "B/7 x,,BY,intermittent,3,standard,5.5,,bronze,2,R1 R6",
        "C1,,CZ,lumpy,3,economy,5,,bronze,,R1 R4",
        "N1,,,,,,,,,,",
        "",
      ].join("\r\n"),
    );
    const f = await h.call("GET", `${base}/v1/execution.csv?segment=C*`, h.tokens.planner);
    expect(f.text.split("\r\n")).toHaveLength(3);
  });

  test("a publication with a bad execution flag is a 400 naming it, and nothing is stored", async () => {
    const other = randomUUID();
    const r = await h.call("POST", `/api/v1/workbooks/${other}/snapshots`, h.tokens.planner, {
      modelVersion: "v1",
      parameters: {},
      items: [{ sku: "X", transportMode: "air" }],
    });
    expect(r.status).toBe(400);
    expect(r.body.field).toBe("body.items[0].transportMode");
    const p = await h.call("POST", `/api/v1/workbooks/${other}/snapshots`, h.tokens.planner, { modelVersion: "v1", parameters: {}, items: [{ sku: "X", pickingPriority: 0 }] });
    expect(p.status).toBe(400);
    expect(await snapshotCount(other)).toBe(0);
    // Another planner cannot publish into alice's workbook.
    const f = await h.call("POST", base, h.tokens.planner2, { modelVersion: "v3", parameters: {}, items });
    expect(f.status).toBe(403);
    expect(await snapshotCount(wb)).toBe(2);
  });
});
