/**
 * The Forecast step in a PaneSession over the in-memory workbook: classify, forecast (the
 * "forecast" job in-line), preview, write the Forecast and Forecast exceptions sheets. Reference
 * values are worked out independently in the test (a naive one-step backtest by hand, shares of
 * family demand from the history sums), not copied from the engine's output.
 */
import { ACCURACY_CHART, ACCURACY_TABLE, EXCEPTIONS_SHEET, EXCEPTIONS_TABLE, FORECAST_NOTES_TABLE, FORECAST_SHEET, FORECAST_TABLE, forecastHeaders } from "../../src/app/forecastPlans";
import { FORECAST_SETTINGS, STALE_SHEETS_QUESTION } from "../../src/app/steps/forecast";
import { computeForecast } from "../../src/app/jobs/forecast";
import { forecastJob, defaultForecastSettings } from "../../src/app/forecastModel";
import { effectiveSegments } from "../../src/app/plans";
import { MemoryGateway } from "../helpers/memoryGateway";
import { bySku, classify, forecast, setup, tableRows, write } from "./forecastPane";
import { FAMILY, forecastSheet, HISTORY, naiveBacktest, naiveInSampleRmse, PERIODS, SEGMENT, VALUES } from "./forecastData";

const close = (a: unknown, b: number, rel = 1e-9) => {
  expect(typeof a).toBe("number");
  expect(Math.abs((a as number) - b)).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(b)));
};

describe("Forecast step", () => {
  it("the classification gives the segments and patterns the data was built for", async () => {
    const { session } = setup();
    await classify(session);
    const run = session.getState().steps.classify.run!;
    expect(Object.fromEntries(run.parsed.sku.map((s, i) => [s, run.result.segment[i]]))).toEqual(SEGMENT);
    expect(run.parsed.family).toEqual(run.parsed.sku.map((s) => FAMILY[s] ?? ""));
    expect(run.mapping.columns.family).toBe(5);
    const pattern = Object.fromEntries(run.parsed.sku.map((s, i) => [s, run.result.pattern[i]]));
    expect(pattern).toMatchObject({ A1: "smooth", A2: "smooth", B2: "intermittent", C3: "lumpy" });
  });

  it("asks to classify first", async () => {
    const { session } = setup();
    await session.step("forecast").run();
    expect(session.getState().common.error).toMatch(/^Classify first/);
  });

  it("forecasts every SKU with auto by pattern, previews accuracy by segment and the method mix, and writes both sheets", async () => {
    const { gw, session } = setup();
    await classify(session);
    await forecast(session);
    const st = session.getState().steps.forecast;
    const p = st.preview!;
    expect(p).toMatchObject({ skus: 8, forecast: 8, rejected: 0, family: 0 });
    expect(p.methodMix.reduce((s, m) => s + m.count, 0)).toBe(8);
    expect(session.getState().common.notice).toMatch(/^Forecast 8 SKUs, 12 periods ahead/);
    await write(session);
    const t = gw.table(FORECAST_TABLE)!;
    expect(t.sheetName).toBe(FORECAST_SHEET);
    expect(t.headers).toEqual(forecastHeaders(12));
    const rows = bySku(gw, FORECAST_TABLE);
    expect(Object.keys(rows).sort()).toEqual(Object.keys(HISTORY).sort());
    // the auto rule by pattern (engine auto.ts): intermittent -> sba, lumpy -> tsb, smooth -> ses/holt/damped
    expect(rows.B2.Method).toBe("sba");
    expect(rows.C3.Method).toBe("tsb");
    expect(["ses", "holt", "damped"]).toContain(rows.A1.Method);
    for (const r of Object.values(rows)) {
      expect(r["Backtest periods"]).toBe(12);
      expect(r.Level).toBe("SKU");
      for (let k = 1; k <= 12; k++) expect(typeof r[`T+${k}`]).toBe("number");
      expect(r["Model version"]).toBe(session.getState().steps.write.lastWrite!.modelVersion);
    }
    expect(rows.A1.Segment).toBe("AX");
    expect(rows.B2.Pattern).toBe("intermittent");
    // tsb has alpha and beta; sba alpha only
    expect(rows.C3.Parameters).toMatch(/^alpha [\d.]+; beta [\d.]+$/);
    expect(rows.B2.Parameters).toMatch(/^alpha [\d.]+$/);
    expect(gw.table(FORECAST_NOTES_TABLE)!.anchorCol).toBe(forecastHeaders(12).length + 1);
    // the exceptions sheet: one summary row per grid segment, a chart over it, the exceptions below
    const acc = tableRows(gw, ACCURACY_TABLE);
    expect(acc.map((r) => r.Segment)).toEqual(["AX", "AY", "AZ", "BX", "BY", "BZ", "CX", "CY", "CZ"]);
    expect(acc.find((r) => r.Segment === "CX")!.SKUs).toBe(3);
    expect(gw.state.charts.get(ACCURACY_CHART)?.sourceTable).toBe(ACCURACY_TABLE);
    expect(gw.table(EXCEPTIONS_TABLE)!.sheetName).toBe(EXCEPTIONS_SHEET);
    expect(gw.table(EXCEPTIONS_TABLE)!.anchorRow).toBe(12);
    // the forecast settings go into the model version's parameters
    expect(JSON.parse(gw.auditRows.find((r) => r.action === "classify-run")!.newValue).forecast.horizon).toBe(12);
    expect(gw.settings.get(FORECAST_SETTINGS.settings)).toMatchObject({ horizon: 12, backtestPeriods: 12 });
  });

  it("a method fixed for a segment and pattern: naive gives the last value, and the backtest metrics match a by-hand naive backtest", async () => {
    const { gw, session } = setup();
    await classify(session);
    session.step("forecast").setSegmentMethod("AX", "smooth", "naive");
    session.step("forecast").setSettings({ horizon: 6, backtestPeriods: 8 });
    await forecast(session);
    await write(session);
    const a1 = bySku(gw, FORECAST_TABLE).A1;
    const y = HISTORY.A1;
    expect(a1.Method).toBe("naive");
    expect(a1.Parameters).toBe("");
    for (let k = 1; k <= 6; k++) expect(a1[`T+${k}`]).toBe(y[PERIODS - 1]);
    expect(a1["T+7"]).toBeUndefined();
    const ref = naiveBacktest(y, 8);
    expect(a1["Backtest periods"]).toBe(8);
    close(a1.MAE, ref.mae);
    close(a1.RMSE, ref.rmse);
    close(a1["Bias (ME)"], ref.me);
    close(a1.WAPE, ref.wape);
    close(a1["Tracking signal"], ref.ts);
    close(a1["In-sample RMSE"], naiveInSampleRmse(y));
    expect(a1["Value added"]).toBe(0); // naive against the naive baseline
    // the AY SKU keeps auto
    expect(bySku(gw, FORECAST_TABLE).A2.Method).not.toBe("naive");
  });

  it("exceptions: outside the segment's WAPE limit, A before B, value at risk = annual value × WAPE", async () => {
    const { gw, session } = setup();
    await classify(session);
    const fc = session.step("forecast");
    fc.setSegment("AY", { wapeMax: 0.05 });
    fc.setSegment("BZ", { wapeMax: 0.1 });
    fc.setSegment("CZ", { wapeMax: 0.1 });
    await forecast(session);
    await write(session);
    const rows = bySku(gw, FORECAST_TABLE);
    const ex = tableRows(gw, EXCEPTIONS_TABLE);
    const skus = ex.map((r) => r.SKU);
    for (const s of ["A2", "B2", "C3"]) expect(skus).toContain(s);
    expect(ex.map((r) => r.Rank)).toEqual(ex.map((_, k) => k + 1));
    // high-value classes first
    const cls = ex.map((r) => String(r.Segment).charAt(0));
    expect([...cls].sort()).toEqual(cls);
    for (const r of ex) {
      const sku = String(r.SKU);
      expect(r.WAPE).toBe(rows[sku].WAPE);
      close(r["Value at risk"], VALUES[sku] * (rows[sku].WAPE as number));
      expect(rows[sku].Exception).toBe(r.Reason);
      expect(String(r.Reason)).toMatch(/WAPE|tracking signal/);
    }
    const a2 = ex.find((r) => r.SKU === "A2")!;
    expect(a2.Reason).toMatch(/^WAPE [\d.]+ % above 5 %/);
    expect(a2["WAPE limit"]).toBe(0.05);
    // within a class, by value at risk
    const c = ex.filter((r) => String(r.Segment).startsWith("C")).map((r) => r["Value at risk"] as number);
    expect([...c].sort((a, b) => b - a)).toEqual(c);
    // the summary per segment adds up
    const acc = Object.fromEntries(tableRows(gw, ACCURACY_TABLE).map((r) => [r.Segment, r]));
    expect(acc.AY.Exceptions).toBe(1);
    close(acc.AY["Value at risk"], a2["Value at risk"] as number);
    // the preview agrees
    const p = session.getState().steps.forecast.preview!;
    expect(p.exceptions).toBe(ex.length);
    expect(p.bySegment.find((r) => r.segment === "AY")!.exceptions).toBe(1);
  });

  it("segment accuracy: WAPE = Σ|e| / Σ actual and bias = Σe / Σ actual over the SKUs' backtests (naive everywhere, by hand)", async () => {
    const { session } = setup();
    await classify(session);
    for (const seg of ["AX", "AY", "BX", "BZ", "CX", "CY", "CZ"]) for (const p of ["smooth", "erratic", "intermittent", "lumpy"] as const) session.step("forecast").setSegmentMethod(seg, p, "naive");
    await forecast(session);
    const cx = session.getState().steps.forecast.preview!.bySegment.find((r) => r.segment === "CX")!;
    let abs = 0;
    let sum = 0;
    let actual = 0;
    for (const s of ["C1", "C2", "C4"]) {
      const b = naiveBacktest(HISTORY[s], 12);
      abs += b.mae * b.count;
      sum += b.me * b.count;
      actual += HISTORY[s].slice(PERIODS - 12).reduce((a, v) => a + v, 0);
    }
    expect(cx.skus).toBe(3);
    close(cx.wape, abs / actual);
    close(cx.bias, sum / actual);
  });

  it("family level: members share the family forecast by their share of its demand", async () => {
    const { gw, session } = setup();
    await classify(session);
    session.step("forecast").setSegment("CX", { familyLevel: true });
    await forecast(session);
    expect(session.getState().steps.forecast.preview!.family).toBe(2); // C1 and C2 (F2); C4 has no family
    await write(session);
    const rows = bySku(gw, FORECAST_TABLE);
    const sum = (s: string) => HISTORY[s].reduce((a, v) => a + v, 0);
    const share = sum("C1") / (sum("C1") + sum("C2"));
    expect(rows.C1.Level).toBe(`family F2 (share ${Math.round(share * 1e4) / 100} %)`);
    expect(rows.C4.Level).toBe("SKU");
    for (let k = 1; k <= 12; k++) {
      const c1 = rows.C1[`T+${k}`] as number;
      const c2 = rows.C2[`T+${k}`] as number;
      close(c1 / (c1 + c2), share, 1e-12);
    }
    expect(rows.C1.Method).toBe(rows.C2.Method);
    expect(rows.C1.Parameters).toBe(rows.C2.Parameters);
    expect(rows.C1["Backtest periods"]).toBe(12);
    expect(typeof rows.C1.WAPE).toBe("number");
    expect(rows.C1["Value added"]).toBeNull();
    expect(rows.C1.Note).toMatch(/^top-down from family F2/);
    // AX is not family level: A1 stays at the SKU level although it has a family
    expect(rows.A1.Level).toBe("SKU");
  });

  it("family level without a mapped family column says what to do", async () => {
    const sheet = forecastSheet().map((r) => [...r.slice(0, 5), ...r.slice(6)]);
    const { session } = setup(new MemoryGateway().addSheet("Data", sheet).select("Data", "A1"));
    await classify(session);
    session.step("forecast").setSegment("BX", { familyLevel: true });
    await session.step("forecast").run();
    expect(session.getState().common.error).toMatch(/Family level is on for BX, but no product family column is mapped/);
  });

  it("settings problems are in the pane's units and stop the run", async () => {
    const { session } = setup();
    await classify(session);
    const fc = session.step("forecast");
    fc.setSettings({ horizon: 0 });
    fc.setSegment("AX", { wapeMax: 0 });
    fc.setSegmentMethod("BX", "smooth", "hw_add");
    const problems = session.getState().steps.forecast.problems;
    expect(problems).toEqual([
      "Horizon must be a whole number of periods from 1 to 104; got 0.",
      "AX: the WAPE limit must be above 0 %; got 0 %.",
      "BX smooth: hw_add needs a season length (set it above, e.g. 12 for monthly data).",
    ]);
    await fc.run();
    expect(session.getState().common.error).toBe(problems[0]);
    expect(session.getState().steps.forecast.run).toBeNull();
  });

  it("cancel leaves the step as it was", async () => {
    const { session } = setup();
    await classify(session);
    const running = session.step("forecast").run();
    session.cancel();
    await running;
    expect(session.getState().common.notice).toBe("Forecast cancelled: nothing changed.");
    expect(session.getState().steps.forecast.run).toBeNull();
  });

  it("a new classification drops the forecast; a Write then asks about the earlier Forecast sheets", async () => {
    const { gw, session } = setup();
    await classify(session);
    await forecast(session);
    await write(session);
    const before = structuredClone(gw.table(FORECAST_TABLE));
    await classify(session);
    expect(session.getState().steps.forecast.run).toBeNull();
    await session.step("write").write();
    expect(session.getState().steps.write.question?.key).toBe(STALE_SHEETS_QUESTION);
    await session.step("write").answer("leave");
    expect(session.getState().common.error).toBeNull();
    expect(gw.table(FORECAST_TABLE)).toEqual(before);
    // the other sheets are of the new run
    expect(bySku(gw, "SegSegments").A1["Model version"]).not.toBe(before!.rows[0][before!.headers.indexOf("Model version")]);
  });

  it("the SKU search lists exceptions first when blank, ids starting with the text first otherwise", async () => {
    const { session } = setup();
    await classify(session);
    // only C3 (CZ) outside its tolerance
    for (const g of session.getState().steps.forecast.settings.segments) session.step("forecast").setSegment(g.segment, { wapeMax: 100, tsMax: 100 });
    session.step("forecast").setSegment("CZ", { wapeMax: 0.01 });
    await forecast(session);
    expect(session.getState().steps.forecast.preview!.exceptions).toBe(1);
    const fc = session.step("forecast");
    fc.findSkus("");
    expect(session.getState().steps.forecast.skuMatches[0]).toBe("C3");
    expect(session.getState().steps.forecast.skuMatches).toHaveLength(8);
    fc.findSkus("c");
    expect(session.getState().steps.forecast.skuMatches).toEqual(["C1", "C2", "C3", "C4"]);
    fc.findSkus("item a");
    expect(session.getState().steps.forecast.skuMatches).toEqual(["A1", "A2"]);
    await fc.selectSku("A1");
    const v = session.getState().steps.forecast.sku!;
    expect(v.actual).toEqual(HISTORY.A1);
    expect(v.forecast).toHaveLength(12);
    expect(v.fitted).toHaveLength(PERIODS);
    expect(v.segment).toBe("AX");
    expect(v.cap).toBe(0.2);
    await fc.selectSku("nope");
    expect(session.getState().common.errorField).toBe("sku");
  });

  it("the job reports progress per chunk and stops when cancelled", async () => {
    const { session } = setup();
    await classify(session);
    const run = session.getState().steps.classify.run!;
    // 600 copies of the 8 SKUs: three engine chunks of 256 rows
    const n = 8 * 75;
    const history = new Float64Array(n * PERIODS);
    for (let r = 0; r < n; r++) history.set(run.parsed.history.subarray((r % 8) * PERIODS, (r % 8 + 1) * PERIODS), r * PERIODS);
    const job = forecastJob(run, effectiveSegments(run.parsed, run.result, {}), defaultForecastSettings());
    const big = { ...job, history, n, methods: Array.from({ length: n }, (_, r) => job.methods[r % 8]), pattern: Int8Array.from({ length: n }, (_, r) => job.pattern[r % 8]), family: new Int32Array(n).fill(-1) };
    const calls: [number, number, string | undefined][] = [];
    const res = computeForecast(big, { progress: (d, t, p) => calls.push([d, t, p]), aborted: false });
    expect(res.n).toBe(n);
    expect(calls.map((c) => c[0])).toEqual([0, 256, 512, 600, 600]);
    expect(calls.every((c) => c[1] === n && c[2]!.startsWith("Forecasting"))).toBe(true);
    let aborted = false;
    expect(() => computeForecast(big, { progress: () => (aborted = true), get aborted() { return aborted; } })).toThrow(expect.objectContaining({ name: "AbortError" }));
  });

  it("the job's family level: unused family names are harmless, a family without demand leaves its SKUs at the SKU level with a note", async () => {
    const { session } = setup();
    await classify(session);
    const run = session.getState().steps.classify.run!;
    const job = forecastJob(run, effectiveSegments(run.parsed, run.result, {}), defaultForecastSettings());
    const i = (sku: string) => run.parsed.sku.indexOf(sku);
    const family = new Int32Array(8).fill(-1);
    family[i("C1")] = 2;
    family[i("C2")] = 2;
    const history = run.parsed.history.slice();
    const zero = i("C4");
    history.fill(0, zero * PERIODS, (zero + 1) * PERIODS);
    family[zero] = 0;
    const res = computeForecast({ ...job, history, family, familyNames: ["Z", "unused", "F2", "unused too"] });
    expect(res.level[i("C1")]).toBe(1);
    expect(res.level[i("C2")]).toBe(1);
    expect(res.notes.get(i("C1"))).toMatch(/^top-down from family F2/);
    expect(res.level[zero]).toBe(0);
    expect(res.notes.get(zero)).toMatch(/family level not used \(Z: family demand over the share window is 0: shares undefined\); forecast at the SKU level/);
    expect(res.errors.has(zero)).toBe(false);
    for (let k = 0; k < 12; k++) expect(res.forecast[zero * 12 + k]).toBe(0);
  });
});
