/**
 * The edge-series rules of the forecast engine (docs/functions-forecast.md, "Edge series"):
 * every row gets a defined answer or a CellError with the reason, never an exception.
 * Expected values are worked by hand from the method definitions in each test's comment.
 */
import { ArgumentError } from "../../../src/engine/errors";
import { forecastBatch, ForecastOptions, NO_DEMAND_NOTE } from "../../../src/engine/forecast/batch";
import { FORECAST_METHODS, ForecastMethod } from "../../../src/engine/forecast/methods";
import { forecastSeries } from "../../../src/engine/forecast/rows";

const one = (y: number[], o: ForecastOptions) => forecastBatch(Float64Array.from(y), 1, y.length, { horizon: 3, fitted: true, ...o });
const seasonal = (m: ForecastMethod) => m === "snaive" || m === "hw_add" || m === "hw_mul";

describe("all-zero history", () => {
  for (const method of FORECAST_METHODS) {
    it(`${method}: forecast 0 with the no-demand note, fitted 0 where the method defines one`, () => {
      const y = [0, 0, 0, 0, 0, 0, 0, 0];
      const r = one(y, { method, seasonLength: seasonal(method) ? 4 : undefined });
      expect(r.errors.size).toBe(0);
      expect(Array.from(r.forecast)).toEqual([0, 0, 0]);
      expect(r.notes.get(0)).toBe(NO_DEMAND_NOTE);
      const fitted = Array.from(r.fitted!);
      const undefinedFirst = method === "naive" || method === "croston" || method === "sba" || method === "sbj" ? 1 : method === "snaive" ? 4 : method === "ma" ? 1 : 0;
      expect(fitted.slice(0, undefinedFirst).every(Number.isNaN)).toBe(true);
      expect(fitted.slice(undefinedFirst)).toEqual(new Array(8 - undefinedFirst).fill(0));
      expect(r.fittedRmse[0]).toBe(0);
      // nothing was fitted
      expect(Number.isNaN(r.alpha[0])).toBe(true);
    });
  }
  it("auto reports naive for a row without demand", () => {
    const r = one([0, 0, 0, 0], { method: "auto" });
    expect(FORECAST_METHODS[r.method[0]]).toBe("naive");
    expect(r.notes.get(0)).toBe(NO_DEMAND_NOTE);
  });
});

describe("intermittent methods on special histories", () => {
  it("croston with a single demand forecasts size / its position (first interval counted from 0)", () => {
    // one demand of 6 in period 3: z = 6, p = 3 -> 2 per period; sba x (1 - 0.2/2) = 1.8; sbj x (1 - 0.2/1.8)
    for (const [method, factor] of [
      ["croston", 1],
      ["sba", 0.9],
      ["sbj", 1 - 0.2 / 1.8],
    ] as const) {
      const r = one([0, 0, 6, 0, 0], { method, alpha: 0.2 });
      expect(r.forecast[0]).toBeCloseTo(2 * factor, 14);
      // fitted: NaN, then 0 before the demand is seen, then the ratio
      const f = Array.from(r.fitted!);
      expect(Number.isNaN(f[0])).toBe(true);
      expect(f.slice(1, 3)).toEqual([0, 0]);
      expect(f[3]).toBeCloseTo(2 * factor, 14);
    }
  });

  it("croston without zeros is SES of the sizes (every interval is 1)", () => {
    const y = [5, 7, 6, 8, 4, 9];
    const c = one(y, { method: "croston", alpha: 0.3 });
    const s = one(y, { method: "ses", alpha: 0.3 });
    expect(c.forecast[0]).toBeCloseTo(s.forecast[0], 12);
  });

  it("tsb starts at the first period's indicator and the first demand", () => {
    // 0, 4, 0: p0 = 0, z0 = 4 -> fitted 0; then demand: p = b = 0.5, z = 4 -> 2; no demand: p = 0.25 -> 1
    const r = one([0, 4, 0], { method: "tsb", alpha: 0.3, beta: 0.5 });
    expect(Array.from(r.fitted!)).toEqual([0, 0, 2]);
    expect(r.forecast[0]).toBe(1);
  });

  for (const method of ["croston", "sba", "sbj", "tsb"] as const) {
    it(`${method} rejects a negative period with a message naming it`, () => {
      const r = one([3, 0, -2, 5], { method });
      expect(r.errors.get(0)).toEqual({ kind: "value", message: `period 3: demand -2 is negative; ${method} needs demand >= 0` });
      expect(r.method[0]).toBe(-1);
      expect(Array.from(r.forecast).every(Number.isNaN)).toBe(true);
    });
  }

  it("other methods accept negative periods (returns)", () => {
    for (const method of ["naive", "ma", "ses", "holt", "damped"] as const) expect(one([3, 0, -2, 5], { method }).errors.size).toBe(0);
  });
});

describe("short histories", () => {
  it("length 1: naive, ses, ma, croston-type and tsb repeat the value; holt and damped need 2", () => {
    for (const method of ["naive", "ses", "ma", "croston", "sba", "tsb"] as const) {
      const r = one([7], { method });
      expect(r.errors.size).toBe(0);
      // croston: z = 7, p = 1; sba shrinks by the fitted alpha's factor; ses: alpha 7 + (1 - alpha) 7
      if (method !== "sba") expect(r.forecast[0]).toBeCloseTo(7, 13);
    }
    for (const method of ["holt", "damped"] as const) {
      expect(one([7], { method }).errors.get(0)).toEqual({ kind: "na", message: `${method} needs at least 2 periods, got 1` });
    }
  });

  it("length 2: holt extrapolates the first difference when beta is 0", () => {
    // l0 = 3, b0 = 2; alpha 0.5, beta 0: fitted 5, then l1 = 0.5*3 + 0.5*5 = 4, fitted 6,
    // l2 = 0.5*5 + 0.5*6 = 5.5, b = 2: forecasts 7.5, 9.5, 11.5
    const r = one([3, 5], { method: "holt", alpha: 0.5, beta: 0 });
    expect(Array.from(r.fitted!)).toEqual([5, 6]);
    expect(Array.from(r.forecast)).toEqual([7.5, 9.5, 11.5]);
  });

  it("Holt-Winters with fewer than two full seasons is #N/A with the reason", () => {
    const y = [5, 8, 6, 9, 5, 8, 6]; // 7 periods, season length 4
    for (const method of ["hw_add", "hw_mul"] as const) {
      expect(one(y, { method, seasonLength: 4 }).errors.get(0)).toEqual({
        kind: "na",
        message: `${method} needs at least 8 periods (two full seasons with season_length 4), got 7`,
      });
    }
    expect(one(y.slice(0, 3), { method: "snaive", seasonLength: 4 }).errors.get(0)).toEqual({ kind: "na", message: "snaive needs at least 4 periods (one full season), got 3" });
    expect(one([...y, 7], { method: "hw_add", seasonLength: 4 }).errors.size).toBe(0);
  });

  it("hw_mul needs every period > 0", () => {
    expect(one([5, 8, 0, 9, 5, 8, 6, 9], { method: "hw_mul", seasonLength: 4 }).errors.get(0)).toEqual({
      kind: "na",
      message: "hw_mul needs every period > 0 (multiplicative seasonality); period 3 is 0",
    });
  });

  it("ma with a window longer than the history is #N/A", () => {
    expect(one([1, 2], { method: "ma", window: 3 }).errors.get(0)).toEqual({ kind: "na", message: "ma needs at least 3 periods (its window), got 2" });
  });
});

describe("bad input", () => {
  it("a non-finite period rejects only its row", () => {
    const r = forecastBatch(Float64Array.from([1, 2, 3, 4, NaN, 6, 7, 8, 9]), 3, 3, { method: "ses", alpha: 0.5 });
    expect(r.errors.get(1)).toEqual({ kind: "value", message: "period 2: NaN is not a finite number" });
    expect(r.errors.size).toBe(1);
    expect(r.forecast[0]).toBe(0.25 * 1 + 0.25 * 2 + 0.5 * 3);
  });

  it("whole-argument problems throw an ArgumentError naming the argument", () => {
    const y = Float64Array.from([1, 2, 3]);
    const cases: [ForecastOptions, string][] = [
      [{ method: "nope" as ForecastMethod }, "method"],
      [{ horizon: 0 }, "horizon"],
      [{ horizon: 2.5 }, "horizon"],
      [{ alpha: 1.5 }, "alpha"],
      [{ phi: 0 }, "phi"],
      [{ method: "hw_add" }, "season_length"],
      [{ seasonLength: 1 }, "season_length"],
      [{ alpha: [0.1, 0.2] }, "alpha"],
      [{ method: ["ses", "holt"] }, "method"],
      [{ backtest: { periods: 0 } }, "backtest periods"],
    ];
    for (const [o, name] of cases) {
      let caught: unknown;
      try {
        forecastBatch(y, 1, 3, o);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(ArgumentError);
      expect((caught as ArgumentError).argument).toBe(name);
    }
  });

  it("a per-row parameter out of range spoils only its row", () => {
    const r = forecastBatch(Float64Array.from([1, 2, 3, 4, 5, 6]), 2, 3, { method: "ses", alpha: [0.5, 2] });
    expect(r.errors.get(1)).toEqual({ kind: "value", message: "alpha must be in [0, 1], got 2" });
    expect(r.forecast[0]).toBe(2.25);
  });
});

describe("values near the ends of the double range", () => {
  it("give an error instead of Infinity, and never throw", () => {
    const r = one([1e308, -1e308, 1e308], { method: "holt", alpha: 1, beta: 1 });
    expect(r.errors.get(0)).toEqual({ kind: "na", message: "the holt forecast is not a finite number: the history's values are too large to extrapolate" });
    expect(Array.from(r.forecast).every(Number.isNaN)).toBe(true);
    const s = one([1e308, 1e308, 1e308], { method: "ses" });
    expect(s.errors.size).toBe(0);
    expect(s.forecast[0]).toBe(1e308);
    const empty = forecastBatch(new Float64Array(0), 0, 5, {});
    expect(empty.rows).toBe(0);
  });
});

describe("clipping at 0", () => {
  it("is off by default and clips the horizon (not the fitted values) when on", () => {
    // falling trend: 10, 8, 6, 4 with alpha = beta = 1 extrapolates -2 per period: 2, 0, -2
    const y = [10, 8, 6, 4];
    const off = one(y, { method: "holt", alpha: 1, beta: 1 });
    expect(Array.from(off.forecast)).toEqual([2, 0, -2]);
    const on = one(y, { method: "holt", alpha: 1, beta: 1, clip: true });
    expect(Array.from(on.forecast)).toEqual([2, 0, 0]);
    expect(Array.from(on.fitted!)).toEqual(Array.from(off.fitted!));
  });
});

describe("forecastSeries", () => {
  it("returns the CellError of a row that cannot be forecast, and the result otherwise", () => {
    expect(forecastSeries([1, -1, 2], { method: "tsb" })).toEqual({ kind: "value", message: "period 2: demand -1 is negative; tsb needs demand >= 0" });
    const r = forecastSeries([4, 6, 5, 7], { method: "ses", alpha: 0.5, horizon: 2 });
    if ("kind" in r) throw new Error("unexpected error");
    // l: 4, 4, 5, 5, 6 -> fitted 4, 4, 5, 5; forecast 6
    expect(Array.from(r.fitted)).toEqual([4, 4, 5, 5]);
    expect(Array.from(r.forecast)).toEqual([6, 6]);
    expect(r.method).toBe("ses");
    expect(r.fittedRmse).toBeCloseTo(Math.sqrt((0 + 4 + 0 + 4) / 4), 15);
  });
});
