/* Snapshot field names follow docs/architecture.md (demandMean, demandSd, orderQty); the old API
   names (meanDemand, sdDemand, orderQuantity) are accepted on input for one version. Both backends. */
import { randomUUID } from "node:crypto";
import { describeBackends } from "./helpers/backends";
import { startHarness, type Harness } from "./helpers/harness";

describeBackends("snapshot field names", (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(backend);
  });
  afterAll(async () => h?.close());
  const url = (wb: string) => `/api/v1/workbooks/${wb}/snapshots`;

  test("the old names are stored and answered under the new names, with the same content hash", async () => {
    const wb = randomUUID();
    const old = await h.call("POST", url(wb), h.tokens.planner, {
      modelVersion: "m1",
      parameters: {},
      items: [{ sku: "S1", meanDemand: 10, sdDemand: 2, orderQuantity: 40 }],
    });
    expect(old.status).toBe(201);
    const page = await h.call("GET", `${url(wb)}/m1`, h.tokens.planner);
    expect(page.body.items).toEqual([{ sku: "S1", demandMean: 10, demandSd: 2, orderQty: 40 }]);
    const again = await h.call("POST", url(wb), h.tokens.planner, {
      modelVersion: "m1",
      parameters: {},
      items: [{ sku: "S1", demandMean: 10, demandSd: 2, orderQty: 40 }],
    });
    expect(again.status).toBe(200);
    expect(again.body.snapshot.contentHash).toBe(old.body.snapshot.contentHash);
  });

  test("an old and a new name with different values is a 400 naming the field", async () => {
    const wb = randomUUID();
    const r = await h.call("POST", url(wb), h.tokens.planner, {
      modelVersion: "m1",
      parameters: {},
      items: [{ sku: "S1" }, { sku: "S2", orderQuantity: 40, orderQty: 41 }],
    });
    expect(r.status).toBe(400);
    expect(r.body.field).toBe("body.items[1].orderQuantity");
  });

  test("items stored under the old names (before this version) read back under the new ones", async () => {
    const wb = randomUUID();
    await h.call("POST", url(wb), h.tokens.planner, { modelVersion: "m1", parameters: {}, items: [{ sku: "S1", demandMean: 3 }] });
    const ph = backend.kind === "sqlite" ? "?" : "$1";
    await h.db.query(`UPDATE snapshot_items SET item = '{"sku":"S1","meanDemand":3,"orderQuantity":9}' WHERE workbook_id = ${ph}`, [wb]);
    const page = await h.call("GET", `${url(wb)}/latest`, h.tokens.planner);
    expect(page.body.items).toEqual([{ sku: "S1", demandMean: 3, orderQty: 9 }]);
  });
});
