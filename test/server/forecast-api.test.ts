/* Issue 9 over the API: snapshot items carry the forecast and its backtest metrics, the version
   carries accuracy per segment; SQLite and PostgreSQL, roles, 400 naming the field, nothing stored on refusal. */
import { randomUUID } from "node:crypto";
import { describeBackends } from "./helpers/backends";
import { startHarness, type Harness } from "./helpers/harness";

const accuracy = { pairs: 12, me: -0.5, mae: 2.25, rmse: 3, wape: 0.18, mase: 0.9, ts: -2.5, valueAdded: 0.12, fittedRmse: 2.8 };
const items = [
  { sku: "A1", segment: "AX", pattern: "smooth", forecastMethod: "ses", forecast: [10, 10, 10.5], forecastAccuracy: accuracy },
  { sku: "L1", segment: "CZ", pattern: "lumpy", forecastMethod: "tsb (family)", forecast: [0.4, 0.4, 0.4], forecastAccuracy: { pairs: 0, me: null, fittedRmse: null } },
  { sku: "R1", segment: "CZ", forecastMethod: null, forecast: null, forecastAccuracy: null },
];
const forecastParams = {
  horizon: 3,
  backtestPeriods: 12,
  bySegment: [
    { segment: "AX", skus: 1, backtested: 1, wape: 0.18, bias: -0.03, exceptions: 0, valueAtRisk: 0, wapeMax: 0.2, tsMax: 4 },
    { segment: "CZ", skus: 2, backtested: 0, wape: null, bias: null, exceptions: 0, valueAtRisk: 0, wapeMax: 0.6, tsMax: 6 },
  ],
};

describeBackends("forecast in snapshots", (backend) => {
  let h: Harness;
  const wb = randomUUID();
  const base = `/api/v1/workbooks/${wb}/snapshots`;
  const ph = (n: number) => (backend.kind === "sqlite" ? "?" : `$${n}`);
  const count = async (id: string) => Number((await h.db.query(`SELECT COUNT(*) AS n FROM snapshots WHERE workbook_id = ${ph(1)}`, [id]))[0].n);

  beforeAll(async () => {
    h = await startHarness(backend);
    expect((await h.call("POST", base, h.tokens.planner, { modelVersion: "f1", parameters: { skus: 3, forecast: forecastParams }, items })).status).toBe(201);
    expect((await h.call("POST", base, h.tokens.planner, { modelVersion: "plain", parameters: {}, items: [{ sku: "A1" }] })).status).toBe(201);
  });
  afterAll(async () => h?.close());

  test("a SKU's forecast, method and backtest metrics read back as published", async () => {
    const r = await h.call("GET", `${base}/f1/skus/A1`, h.tokens.controller);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ modelVersion: "f1", ...items[0] });
    const l = await h.call("GET", `${base}/f1/skus?segment=CZ`, h.tokens.planner);
    expect(l.body.items).toEqual([items[1], items[2]]);
  });

  test("accuracy per segment of a version; 404 for a version published without a forecast", async () => {
    const r = await h.call("GET", `${base}/f1/forecast-accuracy`, h.tokens.controller);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ horizon: 3, backtestPeriods: 12, bySegment: forecastParams.bySegment });
    expect(r.body.snapshot.modelVersion).toBe("f1");
    const none = await h.call("GET", `${base}/latest/forecast-accuracy`, h.tokens.controller);
    expect(none.status).toBe(404);
    expect(none.body.detail).toContain('"plain"');
    expect((await h.call("GET", `${base}/f1/forecast-accuracy`)).status).toBe(401);
    expect((await h.call("GET", `${base}/f1/forecast-accuracy`, h.tokens.planner2)).status).toBe(404);
    expect((await h.call("GET", `${base}/f1/forecast-accuracy`, h.tokens.admin)).status).toBe(200);
  });

  test("a forecast that is not numbers, or accuracy with an unknown metric, is a 400 naming the field; nothing stored", async () => {
    const other = randomUUID();
    const url = `/api/v1/workbooks/${other}/snapshots`;
    const bad = await h.call("POST", url, h.tokens.planner, { modelVersion: "x", parameters: {}, items: [{ sku: "A", forecast: [1, "2"] }] });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe("body.items[0].forecast[1]");
    const metric = await h.call("POST", url, h.tokens.planner, { modelVersion: "x", parameters: {}, items: [{ sku: "A", forecastAccuracy: { pairs: 1, r2: 0.5 } }] });
    expect(metric.status).toBe(400);
    expect(metric.body.field).toBe("body.items[0].forecastAccuracy.r2");
    const long = await h.call("POST", url, h.tokens.planner, { modelVersion: "x", parameters: {}, items: [{ sku: "A", forecast: new Array(521).fill(1) }] });
    expect(long.status).toBe(400);
    expect(await count(other)).toBe(0);
  });
});
