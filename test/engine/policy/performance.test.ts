import { defaultPolicyGrid } from "../../../src/engine/policy";
import { policyPerformance, targetsFromGrid } from "../../../src/engine/policy/performance";

// Hand-counted actuals (the measures are definitions, docs/functions-policy.md "Policy performance").
// 3 SKUs x 4 weeks.
const N = Number.NaN;
const actuals = {
  rows: 3,
  periods: 4,
  sku: ["S1", "S2", "S3"],
  segment: ["AX", "AX", "CZ"],
  // S1: on hand 5, 0, 3, 2 -> one stockout week (on hand 0), no flags
  // S2: flags 0, 1, 1, 0 -> two stockout weeks (flag wins over on hand)
  // S3: nothing recorded but sales and backorders -> stockout when backorders > 0
  onHand: Float64Array.from([5, 0, 3, 2, 4, 4, 4, 4, N, N, N, N]),
  stockout: Float64Array.from([N, N, N, N, 0, 1, 1, 0, N, N, N, N]),
  sales: Float64Array.from([10, 12, 8, 10, 5, 3, 2, 6, 1, 0, 2, 1]),
  backorders: Float64Array.from([0, 2, 0, 0, 0, 2, 4, 0, 0, 1, 0, 0]),
  unitCost: [2, 1, 5],
};

describe("policyPerformance", () => {
  const r = policyPerformance(actuals, targetsFromGrid(defaultPolicyGrid()), { periodsPerYear: 52 });
  it("per SKU: stockout periods, realised CSL, fill rate, turns", () => {
    expect(Array.from(r.sku.stockoutPeriods)).toEqual([1, 2, 1]);
    expect(Array.from(r.sku.cycleServiceLevel)).toEqual([0.75, 0.5, 0.75]);
    expect(r.sku.fillRate[0]).toBeCloseTo(40 / 42, 14);
    expect(r.sku.fillRate[1]).toBeCloseTo(16 / 22, 14);
    expect(r.sku.fillRate[2]).toBeCloseTo(4 / 5, 14);
    expect(r.sku.turns[0]).toBeCloseTo((40 / 4) * 52 / (10 / 4), 12); // 208
    expect(r.sku.turns[2]).toBeNaN(); // no on-hand data
  });
  it("per segment: pooled periods and units, value-weighted turns, gaps to the grid's targets", () => {
    const ax = r.segments.find((s) => s.segment === "AX")!;
    expect(ax.periods).toBe(8);
    expect(ax.cycleServiceLevel).toBe(1 - 3 / 8);
    expect(ax.stockoutFrequency).toBe(3 / 8);
    expect(ax.fillRate).toBeCloseTo(56 / 64, 14);
    // turns: (520 units/yr x 2 + 208 x 1) / (2.5 x 2 + 4 x 1)
    expect(ax.turns).toBeCloseTo((520 * 2 + 208 * 1) / (2.5 * 2 + 4), 12);
    expect(ax.fillRateGap).toBeCloseTo(56 / 64 - 0.98, 14);
    expect(ax.cycleServiceLevelGap).toBeCloseTo(1 - 3 / 8 - 0.98, 14); // AX is a csl segment
    const cz = r.segments.find((s) => s.segment === "CZ")!;
    expect(cz.cycleServiceLevelGap).toBeNaN(); // CZ's grid method is fill: no CSL target
  });
  it("lists the SKUs furthest below target", () => {
    expect(r.furthestBelow.map((b) => [b.sku, b.measure])).toEqual([
      ["S2", "fillRate"],
      ["S3", "fillRate"],
      ["S1", "fillRate"],
    ]);
    expect(r.furthestBelow[0].shortfall).toBeCloseTo(0.98 - 16 / 22, 14);
  });
  it("without backorders the fill rate is unknown and the CSL ranks", () => {
    const noBo = policyPerformance({ ...actuals, backorders: undefined }, targetsFromGrid(defaultPolicyGrid()), { periodsPerYear: 52, top: 1 });
    expect(noBo.sku.fillRate[0]).toBeNaN();
    expect(noBo.furthestBelow).toEqual([{ row: 1, sku: "S2", segment: "AX", measure: "cycleServiceLevel", realised: 0.5, target: 0.98, shortfall: 0.48 }]);
    expect(noBo.sku.periods[2]).toBe(0); // S3 has nothing to tell a stockout by
  });
});
