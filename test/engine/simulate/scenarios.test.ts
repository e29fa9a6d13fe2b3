import { ArgumentError, isCellError } from "../../../src/engine/errors";
import { defaultPolicyGrid, defaultPolicyOptions, skuPolicy } from "../../../src/engine/policy";
import { compareScenarios, policyColumnsFromSkuPolicies } from "../../../src/engine/simulate/scenarios";
import { SimulationInput, simulatePolicies } from "../../../src/engine/simulate/simulate";

const rows = 6;
const input: SimulationInput = {
  rows,
  demand: { kind: "distribution", distribution: "poisson", demandMean: [5, 8, 3, 12, 6, 2], demandSd: new Array(rows).fill(0) },
  leadTime: [2, 1, 3, 2, 1, 2],
  holdingCost: 0.2,
  orderCost: 10,
  shortageCost: 3,
  unitCost: [4, 2, 10, 1, 3, 8],
  segment: ["AX", "AX", "BY", "BY", "CZ", "CZ"],
};
const opts = { replications: 40, horizon: 104, warmUp: 26, seed: 11 };
const S = (xs: number[]) => ({ policy: "baseStock" as const, orderUpTo: xs });
const today = S([16, 18, 12, 38, 13, 7]);
const lean = S([14, 16, 10, 34, 11, 6]);

describe("compareScenarios", () => {
  const cmp = compareScenarios(input, [
    { name: "today", policy: today },
    { name: "lean", policy: lean },
    { name: "same as today", policy: today },
  ], opts);

  it("simulates each scenario exactly as on its own (same demand draws)", () => {
    const alone = simulatePolicies(input, lean, opts);
    expect(Array.from(cmp.results[1].sku.totalCostPerPeriod.mean)).toEqual(Array.from(alone.sku.totalCostPerPeriod.mean));
  });
  it("rows per segment in order, plus the total", () => {
    expect(cmp.names).toEqual(["today", "lean", "same as today"]);
    expect(cmp.segments.map((s) => s.segment)).toEqual(["AX", "BY", "CZ"]);
    expect(cmp.total.skus).toEqual([6, 6, 6]);
    expect(cmp.segments[0].value.stockValue[1].mean).toBeCloseTo(cmp.results[1].segments[0].metrics.stockValue.mean, 12);
  });
  it("a scenario identical to the baseline changes nothing, exactly", () => {
    for (const m of ["fillRate", "stockValue", "totalCostPerPeriod"] as const) {
      expect(cmp.total.change[m][2]).toEqual({ mean: 0, halfWidth: 0 });
      expect(cmp.total.change[m][0]).toEqual({ mean: 0, halfWidth: 0 });
    }
  });
  it("lower levels: less stock and a lower fill rate in every segment, with paired intervals", () => {
    for (const seg of cmp.segments) {
      expect(seg.change.stockValue[1].mean).toBeLessThan(0);
      expect(seg.change.fillRate[1].mean).toBeLessThan(0);
    }
    // the paired interval of the total cost change equals the interval of the per-replication differences
    const a = cmp.results[0].total.perReplication.totalCostPerPeriod;
    const b = cmp.results[1].total.perReplication.totalCostPerPeriod;
    let mean = 0;
    for (let r = 0; r < a.length; r++) mean += (b[r] - a[r]) / a.length;
    expect(cmp.total.change.totalCostPerPeriod[1].mean).toBeCloseTo(mean, 12);
    expect(cmp.total.change.totalCostPerPeriod[1].mean).toBeCloseTo(cmp.total.value.totalCostPerPeriod[1].mean - cmp.total.value.totalCostPerPeriod[0].mean, 9);
  });
  it("common random numbers make the change far more precise than the two levels", () => {
    const hwA = cmp.total.value.stockValue[0].halfWidth;
    const hwB = cmp.total.value.stockValue[1].halfWidth;
    expect(cmp.total.change.stockValue[1].halfWidth).toBeLessThan(0.5 * Math.hypot(hwA, hwB));
  });
});

describe("rows and labels that differ between scenarios", () => {
  it("leaves a row out of every scenario when one cannot simulate it", () => {
    const bad = S([14, 16, 10, 34, 11, Number.NaN]);
    const cmp = compareScenarios(input, [
      { name: "today", policy: today },
      { name: "broken", policy: bad },
    ], opts);
    expect(cmp.excluded.get(5)?.message).toBe("left out of every scenario: scenario 2 cannot simulate it (orderUpTo must be a finite number, got NaN)");
    expect(cmp.results[1].errors.get(5)?.message).toBe("orderUpTo must be a finite number, got NaN");
    expect(cmp.total.skus).toEqual([5, 5]);
    expect(cmp.segments.find((s) => s.segment === "CZ")!.skus).toEqual([1, 1]);
  });
  it("compares per segment under each scenario's own labels", () => {
    const cmp = compareScenarios(input, [
      { name: "today", policy: today },
      { name: "new cut-off", policy: today, segment: ["AX", "AX", "AX", "BY", "CZ", "CZ"] },
    ], opts);
    const ax = cmp.segments.find((s) => s.segment === "AX")!;
    expect(ax.skus).toEqual([2, 3]);
    expect(cmp.total.change.totalCostPerPeriod[1]).toEqual({ mean: 0, halfWidth: 0 });
  });
  it("rejects more than four scenarios, and blank or repeated names", () => {
    const sc = { name: "a", policy: today };
    expect(() => compareScenarios(input, [sc, { ...sc, name: "b" }, { ...sc, name: "c" }, { ...sc, name: "d" }, { ...sc, name: "e" }], opts)).toThrow(new ArgumentError("scenarios", "give 1 to 4 scenarios, got 5"));
    expect(() => compareScenarios(input, [sc, sc], opts)).toThrow('two scenarios are called "a"');
    expect(() => compareScenarios(input, [{ ...sc, name: " " }], opts)).toThrow("scenario 1 needs a name");
  });
});

describe("policyColumnsFromSkuPolicies", () => {
  const grid = defaultPolicyGrid();
  const opt = defaultPolicyOptions();
  const seg = (s: string) => grid.find((g) => g.segment === s)!;
  const ax = skuPolicy(seg("AX"), { demandMean: 10, demandSd: 3, leadTime: 2, unitCost: 5 }, opt); // continuous, EOQ
  const by = skuPolicy(seg("BY"), { demandMean: 20, demandSd: 8, leadTime: 3 }, opt); // weekly review
  const none = skuPolicy(seg("CX"), { demandMean: 0, demandSd: 0 }, opt);
  it("maps continuous review to (s, Q) and periodic review to (R, S)", () => {
    if (isCellError(ax) || isCellError(by) || isCellError(none)) throw new Error("policy rows should compute");
    const c = policyColumnsFromSkuPolicies([ax, by, none, null]);
    expect(c.policy).toEqual(["sQ", "RS", "baseStock", null]);
    expect(c.reorderPoint![0]).toBe(ax.min);
    expect(c.orderQty![0]).toBe(ax.orderQty);
    expect(c.orderUpTo![1]).toBe(by.max);
    expect(c.reviewPeriod![1]).toBe(1);
    expect(c.orderUpTo![2]).toBe(0);
    const mm = policyColumnsFromSkuPolicies([ax, by], "minMax");
    expect(mm.policy).toEqual(["sS", "sS"]);
    expect([mm.reorderPoint![1], mm.orderUpTo![1]]).toEqual([by.min, by.max]);
  });
  it("the mapped rows simulate", () => {
    if (isCellError(ax) || isCellError(by)) throw new Error("policy rows should compute");
    const r = simulatePolicies(
      { rows: 2, demand: { kind: "distribution", distribution: "normal", demandMean: [10, 20], demandSd: [3, 8] }, leadTime: [2, 3], holdingCost: 0.02, orderCost: 50, shortageCost: 1 },
      policyColumnsFromSkuPolicies([ax, by]),
      { replications: 20, seed: 3 },
    );
    expect(r.errors.size).toBe(0);
    // a 98 % / 95 % cycle-service-level policy fills well above 90 % of demand
    expect(r.sku.fillRate.mean[0]).toBeGreaterThan(0.9);
    expect(r.sku.fillRate.mean[1]).toBeGreaterThan(0.9);
  });
});
