/** Data-quality gates: hand-checked figures, boundaries, verdicts and steward lookup. */
import { ArgumentError } from "../../src/engine/errors";
import { defaultDataQualityThresholds, evaluateDataQuality, lastPeriodWithData, staleSkuCount, type DataQualityInput } from "../../src/engine/dataQuality";

const base: DataQualityInput = { rowsRead: 1000, rejectedRows: 50, rejectedByField: { value: 30, history: 20 }, duplicateSkus: 0, skuCount: 950, periods: 52, staleSkus: 95, total: 1_250_000, previousTotal: 1_000_000 };

describe("evaluateDataQuality", () => {
  it("passes on every limit (<= maxima, >= minimum)", () => {
    // 50/1000 = 5 % = limit; 95/950 = 10 % = limit; 52 >= 12; 0 duplicates; |1.25M - 1M| / 1M = 25 % = limit
    const r = evaluateDataQuality(base);
    expect(r.rules.map((x) => [x.rule, x.pass])).toEqual([
      ["rejectedShare", true],
      ["staleShare", true],
      ["historyLength", true],
      ["duplicateSkus", true],
      ["totalChange", true],
    ]);
    expect(r.verdict).toBe("pass");
    expect(r.rules[0].actual).toBe(0.05);
  });

  it("suspends just past a limit and names the stewards", () => {
    const r = evaluateDataQuality({ ...base, rejectedRows: 51, duplicateSkus: 2 }, defaultDataQualityThresholds(), [
      { field: "Value", owner: "Controlling (M. Weber)", contact: "m.weber@example.com" },
      { field: "sku", owner: "Master data" },
    ]);
    expect(r.verdict).toBe("suspend");
    expect(r.failed).toBe(2);
    const rej = r.rules[0];
    expect(rej.message).toBe("5.1 % of the rows were rejected (51 of 1,000); the limit is 5.0 %");
    expect(rej.fields).toEqual(["value", "history"]); // most rejections first
    expect(rej.owners).toEqual([{ field: "Value", owner: "Controlling (M. Weber)", contact: "m.weber@example.com" }, { field: "history", owner: "(no owner)" }]);
    expect(r.rules[3]).toMatchObject({ pass: false, owners: [{ field: "sku", owner: "Master data" }], message: "2 rows repeat a SKU already seen; at most 0 allowed" });
    expect(r.rules[1].owners).toEqual([]); // passed rules carry no owners
  });

  it("warn severity reports without suspending; switched-off rules are not judged", () => {
    const t = { ...defaultDataQualityThresholds(), severity: { totalChange: "warn" as const }, enabled: { historyLength: false } };
    const r = evaluateDataQuality({ ...base, previousTotal: 500_000, periods: 4 }, t);
    expect(r.verdict).toBe("warn");
    expect(r.rules.find((x) => x.rule === "totalChange")).toMatchObject({ pass: false, actual: 1.5 });
    expect(r.rules.find((x) => x.rule === "historyLength")).toMatchObject({ enabled: false, pass: null });
  });

  it("total change and staleness are not applicable without their inputs", () => {
    const r = evaluateDataQuality({ ...base, previousTotal: null, staleSkus: undefined });
    expect(r.rules.find((x) => x.rule === "totalChange")!.pass).toBeNull();
    expect(r.rules.find((x) => x.rule === "staleShare")!.pass).toBeNull();
    expect(r.verdict).toBe("pass");
  });

  it("rejects bad thresholds by name", () => {
    expect(() => evaluateDataQuality(base, { ...defaultDataQualityThresholds(), maxStaleShare: -0.1 })).toThrow(new ArgumentError("maxStaleShare", "must be a share >= 0, got -0.1"));
  });
});

describe("stale history", () => {
  it("counts SKUs without data in the last k periods (blank = no record)", () => {
    const rows = [
      ["S1", 5, 3, 0, 2], // last data in period 3 (0-based)
      ["S2", 5, "", null, " "], // last data in period 0
      ["S3", "", "", "", ""], // none
      ["S4", 1, 2, 0, 0], // zeros are recorded data: period 3
    ];
    const last = lastPeriodWithData(rows, 1, 4);
    expect(Array.from(last)).toEqual([3, 0, -1, 3]);
    expect(Array.from(lastPeriodWithData(rows, 1, 4, true))).toEqual([3, 0, -1, 1]);
    // 4 periods, stale after 2: periods - 1 - last >= 2  ->  S2 (3) and S3 (4)
    expect(staleSkuCount(last, 4, 2)).toBe(2);
    const r = evaluateDataQuality({ ...base, skuCount: 4, lastPeriodWithData: last, periods: 4 }, { ...defaultDataQualityThresholds(), staleAfterPeriods: 2, maxStaleShare: 0.5, minHistoryPeriods: 4 });
    expect(r.rules[1]).toMatchObject({ actual: 0.5, pass: true });
  });
});
