import { ArgumentError } from "../../../src/engine/errors";
import { allocateBudget, BudgetInput } from "../../../src/engine/policy/budget";
import { intervalDemandColumns } from "../../../src/engine/policy/levels";
import type { DistributionChoice } from "../../../src/engine/distributions";
import brute from "../../fixtures/budget_brute_force.json";

type Sku = (typeof brute.skus)[number] & { reviewPeriod?: number; orderQty?: number; floor?: number };
const skus = brute.skus as Sku[];

function input(over: Partial<BudgetInput> = {}): BudgetInput {
  const rows = skus.length;
  const col = (f: (s: Sku) => number | undefined) => Float64Array.from(skus, (s) => f(s) ?? Number.NaN);
  return {
    rows,
    demand: intervalDemandColumns({
      rows,
      demandMean: col((s) => s.demandMean),
      demandSd: col((s) => s.demandSd),
      leadTime: col((s) => s.leadTime),
      reviewPeriod: col((s) => s.reviewPeriod ?? 0),
      distribution: skus.map((s) => s.distribution as DistributionChoice),
    }),
    orderQty: col((s) => s.orderQty),
    unitCost: col((s) => s.unitCost),
    segment: skus.map((s) => s.segment),
    floor: col((s) => s.floor),
    ...over,
  };
}

/** Best value with cost <= B on the exhaustive frontier (gen_budget_brute_force.py). */
function optimum(B: number): number {
  let best = Number.NEGATIVE_INFINITY;
  for (const f of brute.frontier) if (f.cost <= B + 1e-9) best = Math.max(best, f.filled);
  return best;
}
const filledOf = (levels: Float64Array) =>
  skus.reduce((sum, _s, i) => sum + brute.perSku[i].find((o) => o.level === levels[i])!.filled, 0);

describe("allocateBudget against the exhaustive frontier (Fox 1966: greedy in ratio order is optimal for what it spends)", () => {
  const budgets = [42.5, 50, 60, 75, 90, 120, 150, 175, 200];
  it.each(budgets)("budget %d", (B) => {
    const r = allocateBudget(input(), B);
    const spent = r.pools[0].spent;
    expect(spent).toBeLessThanOrEqual(B + 1e-9);
    const value = filledOf(r.reorderPoint);
    expect(value).toBeLessThanOrEqual(optimum(B) + 1e-10); // nothing beats the optimum
    // optimal for what it spent in ratio order (Fox 1966); the rest of the budget only adds to it
    expect(r.pools[0].optimalUpTo).toBeLessThanOrEqual(spent + 1e-9);
    expect(value).toBeGreaterThanOrEqual(optimum(r.pools[0].optimalUpTo) - 1e-10);
    expect(r.nonConcaveSteps).toBe(0);
    // the units filled the engine reports are the scipy ones
    const reported = skus.reduce((sum, s, i) => sum + s.demandMean * r.fillRate[i], 0);
    expect(reported).toBeCloseTo(value, 10);
  });
  it("the marginal value of budget is the best step not bought, and shrinks as the budget grows", () => {
    const small = allocateBudget(input(), 60).pools[0].marginalUnitsPerMoney;
    const large = allocateBudget(input(), 200).pools[0].marginalUnitsPerMoney;
    expect(small).toBeGreaterThan(large);
    expect(large).toBeGreaterThan(0);
    // one more step at that value would have raised the frontier by about that much per unit of money
    const r = allocateBudget(input(), 200);
    expect(optimum(200 + 25) - filledOf(r.reorderPoint)).toBeGreaterThan(0);
  });
});

describe("budgets per segment, floors, protected SKUs", () => {
  it("each segment spends its own budget and reports its fill rate", () => {
    const r = allocateBudget(input(), { AX: 40, CZ: 100 });
    const ax = r.pools.find((p) => p.pool === "AX")!;
    const cz = r.pools.find((p) => p.pool === "CZ")!;
    expect(ax.spent).toBeLessThanOrEqual(40 + 1e-9);
    expect(cz.spent).toBeLessThanOrEqual(100 + 1e-9);
    expect(r.segments.map((s) => s.pool).sort()).toEqual(["AX", "CZ"]);
    expect(ax.fillRate).toBeGreaterThan(0);
    expect(ax.fillRate).toBeLessThan(1);
  });
  it("a budget below the floors is a clear error naming what is needed", () => {
    expect(() => allocateBudget(input(), 40)).toThrow(ArgumentError);
    expect(() => allocateBudget(input(), 40)).toThrow("budget: the budget (40) is below the floors: the floors, the protected SKUs and whole-unit base levels need 42.5");
    expect(() => allocateBudget(input(), { AX: 40, CZ: 30 })).toThrow(/the budget of segment CZ \(30\) is below the floors/);
    expect(() => allocateBudget(input(), { AX: 40 })).toThrow(/no budget given for segment CZ/);
  });
  it("protected SKUs keep their target level and are paid first; floors are never cut", () => {
    const r = allocateBudget(input({ protectedSku: [0, 0, 0, 1], targetLevel: [Number.NaN, Number.NaN, Number.NaN, 6] }), 200);
    expect(r.reorderPoint[3]).toBe(6);
    const floorOnly = allocateBudget(input(), 42.5);
    expect(floorOnly.safetyStock[3]).toBeGreaterThanOrEqual(1);
  });
  it("row errors for bad unit costs; other rows are allocated", () => {
    const r = allocateBudget(input({ unitCost: [10, 0, 7, 25] }), 100);
    expect(r.errors.get(1)?.message).toBe("unitCost must be a number > 0, got 0");
    expect(r.reorderPoint[0]).toBeGreaterThan(0);
  });
  it("can be cancelled", () => {
    const big = 5_000;
    const d = intervalDemandColumns({ rows: big, demandMean: new Float64Array(big).fill(3), demandSd: new Float64Array(big).fill(2), leadTime: new Float64Array(big).fill(2), distribution: "poisson" });
    const args: BudgetInput = { rows: big, demand: d, orderQty: new Float64Array(big).fill(10), unitCost: new Float64Array(big).fill(1), segment: new Array(big).fill("AX") };
    expect(() => allocateBudget(args, 1e7, { signal: { aborted: true } })).toThrow(/cancelled/);
  });
});
