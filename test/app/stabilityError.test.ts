/**
 * Issue 11: the stability check perturbs each SKU's demand by its own forecast error
 * (src/app/stabilityError.ts). Reference values computed independently of the forecast engine: a
 * naive one-step backtest by hand (test/app/forecastData.ts naiveBacktest: RMSE over the last 8
 * periods of e = y[t-1] - y[t]) divided by the mean of the 24 periods; the stay probabilities
 * through SEG.CLASS_STABILITY with that per-row error column (another reading of the same data).
 */
import { classStabilityCells } from "../../src/functions/classify";
import type { RunInput } from "../../src/app/classifyTypes";
import { stabilityErrors, type ForecastErrors } from "../../src/app/stabilityError";
import { STABILITY_NOTES_TABLE, STABILITY_SKUS_HEADERS, STABILITY_SKUS_TABLE } from "../../src/app/stabilitySheet";
import { bySku, classify, forecast, setup, tableRows, write } from "./forecastPane";
import { HISTORY, naiveBacktest, PERIODS, VALUES } from "./forecastData";

const mean = (y: number[]) => y.reduce((a, b) => a + b, 0) / y.length;

describe("stability with each SKU's forecast error", () => {
  it("uses the naive backtest's RMSE / mean demand per SKU, writes Error CV and Error source before Model version", async () => {
    const { gw, session } = setup();
    await classify(session);
    for (const seg of ["AX", "AY", "AZ", "BX", "BY", "BZ", "CX", "CY", "CZ"]) for (const p of ["smooth", "erratic", "intermittent", "lumpy"] as const) session.step("forecast").setSegmentMethod(seg, p, "naive");
    session.step("forecast").setSettings({ backtestPeriods: 8 });
    await forecast(session);
    session.step("stability").setSettings({ runs: 60, errorCv: 0.25, seed: 3 });
    await session.step("stability").check();
    expect(session.getState().common.error).toBeNull();
    const sum = session.getState().steps.stability.summary!;
    expect(sum.errorSources).toEqual({ backtest: 8, "in-sample": 0, setting: 0 });
    expect(sum.forecastStale).toBe(false);
    await write(session);

    const t = gw.table(STABILITY_SKUS_TABLE)!;
    expect(t.headers).toEqual([...STABILITY_SKUS_HEADERS]);
    expect(t.headers.slice(-3)).toEqual(["Error CV", "Error source", "Model version"]);
    const rows = bySku(gw, STABILITY_SKUS_TABLE);
    const expected: Record<string, number> = {};
    for (const [sku, y] of Object.entries(HISTORY)) {
      expected[sku] = naiveBacktest(y, 8).rmse / mean(y);
      expect(rows[sku]["Error source"]).toBe("backtest");
      expect(Math.abs((rows[sku]["Error CV"] as number) - expected[sku])).toBeLessThan(1e-12);
    }
    // e.g. A2, periods 17..24 after 70: errors 40, −30, 40, −60, 30, 40, −80, 50 → RMSE √(19,100 / 8); mean 1,190 / 24
    expect(expected.A2).toBeCloseTo(Math.sqrt(19100 / 8) / (1190 / 24), 12);

    // the same SKUs through SEG.CLASS_STABILITY with one error CV per row
    const skus = Object.keys(HISTORY);
    const cells = classStabilityCells(
      skus.map((s) => [VALUES[s]]),
      skus.map((s) => HISTORY[s]),
      [[60]],
      skus.map((s) => [expected[s]]),
      [[3]],
    );
    skus.forEach((s, k) => expect(rows[s]["Stay probability"]).toBeCloseTo(cells[k][0] as number, 12));
    expect(tableRows(gw, STABILITY_NOTES_TABLE).some((n) => /^Error CV e per SKU .*backtest RMSE \/ mean demand \(8 SKUs\)/.test(String(n.Note)))).toBe(true);
    expect(PERIODS).toBe(24);
  });

  it("without a forecast every SKU takes the setting; a new classification drops the forecast, so the setting again", async () => {
    const { session } = setup();
    await classify(session);
    session.step("stability").setSettings({ runs: 10, errorCv: 0.4 });
    await session.step("stability").check();
    expect(session.getState().steps.stability.summary!.errorSources).toEqual({ backtest: 0, "in-sample": 0, setting: 8 });
    await forecast(session);
    await session.step("stability").check();
    expect(session.getState().steps.stability.summary!.errorSources.setting).toBe(0);
    await classify(session); // a new run: the Forecast step drops its forecast of the previous one
    expect(session.getState().steps.forecast.run).toBeNull();
    await session.step("stability").check();
    const sum = session.getState().steps.stability.summary!;
    expect(sum.errorSources.setting).toBe(8);
    expect(sum.forecastStale).toBe(false);
  });
});

describe("stabilityErrors (pure)", () => {
  // three SKUs with mean demand 10, 4 and 0
  const run = { parsed: { n: 3 }, result: { demandMean: Float64Array.from([10, 4, 0]) } } as unknown as RunInput;
  const fc = (count: number[], rmse: number[], fitted: number[]): ForecastErrors => ({ source: run, result: { backtest: { count, rmse }, fittedRmse: fitted } });

  it("backtest first, then the in-sample RMSE, then the setting (also for no demand)", () => {
    const e = stabilityErrors(run, fc([6, 0, 6], [3, 9, 1], [2, 1, 1]), 0.25);
    // 3 / 10; no backtest pairs: 1 / 4; mean 0: the setting
    expect([...e.cv]).toEqual([0.3, 0.25, 0.25]);
    expect(e.source).toEqual(["backtest", "in-sample", "setting"]);
    expect(e.counts).toEqual({ backtest: 1, "in-sample": 1, setting: 1 });
  });

  it("a SKU the forecast rejected (RMSE undefined) takes the setting", () => {
    const e = stabilityErrors(run, fc([0, 0, 0], [NaN, NaN, NaN], [NaN, 2, NaN]), 0.1);
    expect([...e.cv]).toEqual([0.1, 0.5, 0.1]);
    expect(e.source).toEqual(["setting", "in-sample", "setting"]);
  });

  it("a forecast of another run is not used", () => {
    const other = { ...fc([6, 6, 6], [1, 1, 1], [1, 1, 1]), source: { ...run } as RunInput };
    const e = stabilityErrors(run, other, 0.2);
    expect(e.source).toEqual(["setting", "setting", "setting"]);
    expect(e.forecastStale).toBe(true);
  });
});
