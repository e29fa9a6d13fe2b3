/** Family level: forecast the family's summed demand, split by each SKU's share. */
import { ArgumentError } from "../../../src/engine/errors";
import { forecastBatch } from "../../../src/engine/forecast/batch";
import { forecastFamilies } from "../../../src/engine/forecast/family";

describe("forecastFamilies", () => {
  // family 0: rows 0, 1, 3; family 1: row 2 (no demand); row 4 outside any family; row 5 rejected
  const periods = 6;
  const rows = [
    [4, 0, 6, 2, 5, 3],
    [1, 3, 0, 2, 1, 1],
    [0, 0, 0, 0, 0, 0],
    [5, 5, 4, 6, 5, 5],
    [9, 9, 9, 9, 9, 9],
    [1, NaN, 1, 1, 1, 1],
  ];
  const data = Float64Array.from(rows.flat());
  const family = [0, 0, 1, 0, -1, 0];

  it("forecasts the summed series and splits it by share of family demand", () => {
    const r = forecastFamilies(data, rows.length, periods, family, { method: "ses", alpha: 0.4, horizon: 3 });
    expect(r.families).toBe(2);
    const sum = [10, 8, 10, 10, 11, 9];
    expect(Array.from(r.familyHistory.subarray(0, periods))).toEqual(sum);
    const direct = forecastBatch(Float64Array.from(sum), 1, periods, { method: "ses", alpha: 0.4, horizon: 3 });
    expect(Array.from(r.family.forecast.subarray(0, 3))).toEqual(Array.from(direct.forecast));
    // shares: 20/58, 8/58, 30/58
    expect(r.share[0]).toBeCloseTo(20 / 58, 15);
    expect(r.share[1]).toBeCloseTo(8 / 58, 15);
    expect(r.share[3]).toBeCloseTo(30 / 58, 15);
    expect(r.share[0] + r.share[1] + r.share[3]).toBeCloseTo(1, 15);
    for (let k = 0; k < 3; k++) {
      expect(r.forecast[0 * 3 + k] + r.forecast[1 * 3 + k] + r.forecast[3 * 3 + k]).toBeCloseTo(direct.forecast[k], 12);
    }
    // outside a family: nothing; rejected member: its own error, not in the sum
    expect(Number.isNaN(r.forecast[4 * 3]) && Number.isNaN(r.share[4])).toBe(true);
    expect(r.inFamily[4]).toBe(0);
    expect(r.errors.get(5)).toEqual({ kind: "value", message: "period 2: NaN is not a finite number" });
    // a family without demand: shares undefined
    expect(r.errors.get(2)).toEqual({ kind: "na", message: "family demand over the share window is 0: shares undefined" });
  });

  it("takes shares over the last shareWindow periods", () => {
    const r = forecastFamilies(data, rows.length, periods, family, { method: "naive", shareWindow: 2 });
    // last two periods: row 0: 8, row 1: 2, row 3: 10
    expect(r.share[0]).toBeCloseTo(8 / 20, 15);
    expect(r.forecast[0]).toBeCloseTo((8 / 20) * 9, 13);
  });

  it("passes a family-level error to the members", () => {
    const neg = Float64Array.from([3, -5, 2, 1, 2, 1]);
    const r = forecastFamilies(neg, 2, 3, [0, 0], { method: "tsb" });
    expect(r.errors.get(0)).toEqual({ kind: "value", message: "family 0: period 2: demand -3 is negative; tsb needs demand >= 0" });
  });

  it("validates the family column", () => {
    expect(() => forecastFamilies(data, rows.length, periods, [0, 1], {})).toThrow(ArgumentError);
    expect(() => forecastFamilies(data, rows.length, periods, [0, 0, 0.5, 0, 0, 0], {})).toThrow(ArgumentError);
    expect(() => forecastFamilies(data, rows.length, periods, family, { shareWindow: 7 })).toThrow(ArgumentError);
  });
});
