/**
 * Properties every method must have, on random series (fast-check):
 * - SES and the intermittent methods stay within the range of the data (convex combinations);
 * - fixed-parameter forecasts scale with the data (all methods are scale-equivariant);
 * - fitted parameters are at least as good (in-sample SSE) as every point of a 0.05 grid.
 */
import fc from "fast-check";
import { forecastBatch, ForecastOptions } from "../../../src/engine/forecast/batch";
import { FORECAST_METHODS, ForecastMethod } from "../../../src/engine/forecast/methods";

const demand = (min: number, max: number) => fc.array(fc.integer({ min: 0, max: 500 }), { minLength: min, maxLength: max });
const intermittent = (min: number, max: number) => fc.array(fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 1, max: 80 })), { minLength: min, maxLength: max });

function run(y: number[], o: ForecastOptions) {
  return forecastBatch(Float64Array.from(y), 1, y.length, { horizon: 4, fitted: true, ...o });
}

function sse(y: number[], fitted: Float64Array): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) if (!Number.isNaN(fitted[i])) s += (y[i] - fitted[i]) ** 2;
  return s;
}

describe("range", () => {
  it("ses and the intermittent methods forecast within [min, max] of the history", () => {
    fc.assert(
      fc.property(intermittent(1, 40), fc.constantFrom<ForecastMethod>("ses", "croston", "sba", "sbj", "tsb"), (y, method) => {
        const r = run(y, { method });
        const lo = Math.min(...y);
        const hi = Math.max(...y);
        const f = r.forecast[0];
        expect(f).toBeGreaterThanOrEqual(Math.min(lo, 0) - 1e-9);
        expect(f).toBeLessThanOrEqual(hi * (1 + 1e-12) + 1e-12);
      }),
      { numRuns: 200 },
    );
  });
});

describe("scale equivariance with fixed parameters", () => {
  it("forecast(c y) = c forecast(y) for every method", () => {
    fc.assert(
      fc.property(demand(8, 30), fc.constantFrom(...FORECAST_METHODS), fc.integer({ min: 1, max: 1000 }), (raw, method, k) => {
        const y = raw.map((v) => v + 1); // strictly positive, so hw_mul applies
        const c = k / 7;
        const o: ForecastOptions = { method, alpha: 0.3, beta: 0.2, gamma: 0.1, phi: 0.9, window: 3, seasonLength: 4 };
        const a = run(y, o);
        const b = run(
          y.map((v) => v * c),
          o,
        );
        expect(a.errors.size).toBe(0);
        for (let j = 0; j < 4; j++) expect(Math.abs(b.forecast[j] - c * a.forecast[j])).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(c * a.forecast[j])));
      }),
      { numRuns: 150 },
    );
  });
});

describe("fitted parameters beat a 0.05 grid", () => {
  const grid = Array.from({ length: 21 }, (_, i) => i / 20);
  it("ses, croston, sba (one parameter)", () => {
    fc.assert(
      fc.property(intermittent(3, 40), fc.constantFrom<ForecastMethod>("ses", "croston", "sba"), (y, method) => {
        if (y.every((v) => v === 0)) return;
        const ours = sse(y, run(y, { method }).fitted!);
        for (const alpha of grid) expect(ours).toBeLessThanOrEqual(sse(y, run(y, { method, alpha }).fitted!) * (1 + 1e-9) + 1e-9);
      }),
      { numRuns: 40 },
    );
  });

  it("holt and tsb (two parameters)", () => {
    const coarse = grid.filter((_, i) => i % 2 === 0);
    fc.assert(
      fc.property(intermittent(4, 30), fc.constantFrom<ForecastMethod>("holt", "tsb"), (y, method) => {
        if (y.every((v) => v === 0)) return;
        const ours = sse(y, run(y, { method }).fitted!);
        for (const alpha of coarse) for (const beta of coarse) expect(ours).toBeLessThanOrEqual(sse(y, run(y, { method, alpha, beta }).fitted!) * (1 + 1e-9) + 1e-9);
      }),
      { numRuns: 25 },
    );
  });
});
