import { applyLifecycle, periodsBetween, rampFactor, rampIntegral, SOURCE_ANALOG, SOURCE_FAMILY, SOURCE_OWN } from "../../../src/engine/policy/lifecycle";

// The ramp is a convention (linear, docs/functions-policy.md "Lifecycle"); the values below are
// worked by hand from it.
describe("phase-out ramp", () => {
  it("is 1 before the start, linear to 0 over the phase-out, 0 after", () => {
    expect(rampFactor(9, 10, 4)).toBe(1);
    expect(rampFactor(11, 10, 4)).toBe(0.75);
    expect(rampFactor(15, 10, 4)).toBe(0);
    expect(rampFactor(10.5, 10, 0)).toBe(0);
  });
  it("integrates exactly (triangle and rectangle areas)", () => {
    expect(rampIntegral(10, 14, 10, 4)).toBe(2); // the whole triangle
    expect(rampIntegral(8, 12, 10, 4)).toBe(2 + 1.5); // 2 full periods, then 2 - 2^2 / (2 * 4)
    expect(rampIntegral(12, 20, 10, 4)).toBe(0.5);
    expect(rampIntegral(0, 5, 10, 4)).toBe(5);
  });
});

describe("applyLifecycle", () => {
  const base = {
    rows: 5,
    sku: ["A1", "A2", "N1", "N2", "N3"],
    status: ["active", "EOL", "new", "", "new"],
    demandMean: [10, 8, Number.NaN, Number.NaN, Number.NaN],
    demandSd: [4, 2, Number.NaN, Number.NaN, Number.NaN],
    family: ["pumps", "pumps", "pumps", "pumps", "valves"],
    analog: ["", "", "A1", "", "X9"],
    analogFactor: [Number.NaN, Number.NaN, 0.5, Number.NaN, Number.NaN],
    phaseOutStart: [Number.NaN, 20, Number.NaN, Number.NaN, Number.NaN],
    phaseOutPeriods: [Number.NaN, 8, Number.NaN, Number.NaN, Number.NaN],
    lastBuy: [Number.NaN, 24, Number.NaN, Number.NaN, Number.NaN],
  };
  it("new SKUs take the analog's demand (scaled), else the family average; no source is an N/A row", () => {
    const r = applyLifecycle(base, 10);
    expect(r.source[2]).toBe(SOURCE_ANALOG);
    expect([r.demandMean[2], r.demandSd[2]]).toEqual([5, 2]);
    expect(r.notes.get(2)).toBe("demand from analog A1 x 0.5");
    expect(r.source[3]).toBe(SOURCE_FAMILY);
    expect([r.demandMean[3], r.demandSd[3]]).toEqual([9, 3]);
    expect(r.errors.get(4)).toEqual({ kind: "na", message: "no demand history: analog X9 has no history" });
    expect(r.source[0]).toBe(SOURCE_OWN);
    expect(r.demandMean[0]).toBe(10);
  });
  it("EOL ramps down over the phase-out (mean and sd), averaged over the protection horizon", () => {
    const at22 = applyLifecycle(base, 22);
    expect(at22.factor[1]).toBe(0.75);
    expect([at22.demandMean[1], at22.demandSd[1]]).toEqual([6, 1.5]);
    const horizon = applyLifecycle({ ...base, horizon: [0, 4, 0, 0, 0] }, 22); // average of the ramp over [22, 26]: (0.75 + 0.25) / 2
    expect(horizon.factor[1]).toBeCloseTo(0.5, 14);
    // the last buy (period 24) has to cover the demand from 24 to the end of the ramp (28):
    // 8 per period x the triangle from 0.5 down to 0 over 4 periods (area 1)
    expect(at22.demandAfterLastBuy[1]).toBeCloseTo(8, 12);
    expect(at22.replenish[1]).toBe(1);
  });
  it("no replenishment from the last-buy date on", () => {
    const r = applyLifecycle(base, 24);
    expect(r.replenish[1]).toBe(0);
    expect(r.notes.get(1)).toMatch(/no replenishment after the last-buy date/);
  });
  it("an EOL status without a start date starts the ramp now", () => {
    const r = applyLifecycle({ ...base, phaseOutStart: [Number.NaN, Number.NaN, Number.NaN, Number.NaN, Number.NaN] }, 30);
    expect(r.factor[1]).toBe(1); // at asOf the ramp has just started
    const later = applyLifecycle({ ...base, phaseOutStart: [Number.NaN, Number.NaN, Number.NaN, Number.NaN, Number.NaN], horizon: [0, 4, 0, 0, 0] }, 30);
    expect(later.factor[1]).toBeCloseTo(0.75, 14);
  });
  it("bad status is a row error", () => {
    const r = applyLifecycle({ ...base, status: ["retired", "", "", "", ""] }, 0);
    expect(r.errors.get(0)?.message).toBe('status must be active, eol or new, got "retired"');
  });
  it("converts dates to periods", () => {
    expect(periodsBetween(45000, 45014, 7)).toBe(2);
  });
});
