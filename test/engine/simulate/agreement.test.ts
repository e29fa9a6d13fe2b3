import { studentTQuantile } from "../../../src/engine/simulate/confidence";
import { PolicyColumns, PolicyKind, SIM_METRICS, SimulationInput, simulatePolicies, type DemandDistribution, type SimMetric } from "../../../src/engine/simulate/simulate";
import { historyFromArray } from "../../../src/engine/xyz";
import fixture from "../../fixtures/sim_analytic.json";

// Agreement of the simulation with exact steady-state values. The analytic values are computed
// independently by test/fixtures/gen_sim_analytic.py (scipy; formulas and sources in its docstring).
// The (s, S) case also carries stockpyl's published cost: LarrySnyder/stockpyl, tests/test_ss.py,
// TestsSCost.test_example_4_7, s_s_cost_discrete(4, 10, h=1, p=4, K=5, Poisson(6)) = 8.034111561471644
// (Snyder & Shen, Fundamentals of Supply Chain Theory, Example 4.7).
//
// Levels, fixed before the first run: with fixed seeds every check is deterministic, but each one is
// a statistical statement. The checks the issue names (fill rate and cost for Poisson and normal
// demand with a fixed lead time, and the stockpyl (s, S) cost) must fall inside the reported 95 %
// interval. Every other measure of every case (about 100 checks) must fall inside the 99.9 %
// interval, so that the family as a whole is not expected to fail by chance.

type Case = (typeof fixture.cases)[number];
const SEED = 1;
const REPS = 200;
// 1200 and 96 are multiples of every review period used (1, 3), so each replication measures whole
// review cycles and the order counts carry no edge effect.
const HORIZON = 1200;
const WARMUP = 96;

function run(c: Case) {
  const d = c.demand as { distribution?: string; demandMean?: number; demandSd?: number; history?: number[] };
  const input: SimulationInput = {
    rows: 1,
    demand: d.history
      ? { kind: "history", history: historyFromArray(d.history, 1, d.history.length) }
      : { kind: "distribution", distribution: d.distribution as DemandDistribution, demandMean: [d.demandMean!], demandSd: [d.demandSd!] },
    leadTime: c.leadTime,
    leadTimeSd: "leadTimeSd" in c ? (c as { leadTimeSd: number }).leadTimeSd : undefined,
    leadTimeSamples: "leadTimeSamples" in c ? [(c as { leadTimeSamples: number[] }).leadTimeSamples] : undefined,
    holdingCost: c.costs.holdingCost,
    orderCost: c.costs.orderCost,
    shortageCost: c.costs.shortageCost,
    unitCost: c.costs.unitCost,
  };
  const p = c.policy as { policy: PolicyKind; reorderPoint?: number; orderQty?: number; orderUpTo?: number; reviewPeriod?: number };
  const policy: PolicyColumns = {
    policy: p.policy,
    reorderPoint: [p.reorderPoint ?? Number.NaN],
    orderQty: [p.orderQty ?? Number.NaN],
    orderUpTo: [p.orderUpTo ?? Number.NaN],
    reviewPeriod: [p.reviewPeriod ?? 0],
  };
  const shortage = "shortage" in c ? (c as { shortage: "lostSales" }).shortage : "backorder";
  return simulatePolicies(input, policy, { seed: SEED, replications: REPS, horizon: HORIZON, warmUp: WARMUP, shortage });
}

const results = new Map<string, ReturnType<typeof run>>();
const resultOf = (c: Case) => {
  let r = results.get(c.name);
  if (!r) {
    r = run(c);
    results.set(c.name, r);
  }
  return r;
};
const widen999 = studentTQuantile(0.9995, REPS - 1) / studentTQuantile(0.975, REPS - 1);

const primary: [string, SimMetric][] = [
  ["Poisson(10) base stock S=36, L=2, backorders", "fillRate"],
  ["Poisson(10) base stock S=36, L=2, backorders", "totalCostPerPeriod"],
  ["Normal(100, 20) base stock S=240, L=1, backorders", "fillRate"],
  ["Normal(100, 20) base stock S=240, L=1, backorders", "totalCostPerPeriod"],
  [fixture.cases.find((c) => c.name.startsWith("Poisson(6) (s=4, S=10)"))!.name, "totalCostPerPeriod"],
];

describe("simulation converges to the analytic values (95 % interval)", () => {
  it.each(primary)("%s: %s", (name, metric) => {
    const c = fixture.cases.find((x) => x.name === name)!;
    const r = resultOf(c);
    const want = (c.expected as Record<string, number>)[metric];
    const mean = r.sku[metric].mean[0];
    const hw = r.sku[metric].halfWidth[0];
    expect(hw).toBeGreaterThan(0);
    expect(Math.abs(mean - want)).toBeLessThanOrEqual(hw);
  });
  it("the (s, S) analytic cost is stockpyl's published 8.034111561471644", () => {
    const c = fixture.cases.find((x) => x.name.startsWith("Poisson(6) (s=4, S=10)"))! as Case & { published: { totalCostPerPeriod: number } };
    expect(c.published.totalCostPerPeriod).toBe(8.034111561471644);
    expect(c.expected.totalCostPerPeriod).toBeCloseTo(8.034111561471644, 10);
  });
});

describe("every measure of every case agrees within the 99.9 % interval", () => {
  const rows: [string, SimMetric, number][] = [];
  for (const c of fixture.cases) {
    for (const m of SIM_METRICS) {
      const v = (c.expected as Record<string, number>)[m];
      if (typeof v === "number") rows.push([c.name, m, v]);
    }
  }
  it.each(rows)("%s: %s = %p", (name, metric, want) => {
    const r = resultOf(fixture.cases.find((x) => x.name === name)!);
    const mean = r.sku[metric].mean[0];
    const hw = r.sku[metric].halfWidth[0];
    if (hw === 0) {
      // A measure that was the same in every replication: one that cannot vary (lost sales under
      // backorders) or varies with a probability below 1e-4 per replication (an order every review
      // when a period without demand has probability e^-12).
      expect(Math.abs(mean - want)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(want)));
    } else {
      expect(Math.abs(mean - want)).toBeLessThanOrEqual(hw * widen999);
    }
  });
});

describe("the 95 % interval covers the true value about 95 % of the time", () => {
  it("Poisson base stock cost: coverage over 300 independent seeds within binomial limits", () => {
    const c = fixture.cases.find((x) => x.name.startsWith("Poisson(10) base stock"))!;
    const want = c.expected.totalCostPerPeriod;
    let covered = 0;
    const trials = 300;
    for (let seed = 1000; seed < 1000 + trials; seed++) {
      const r = simulatePolicies(
        { rows: 1, demand: { kind: "distribution", distribution: "poisson", demandMean: [10], demandSd: [0] }, leadTime: 2, holdingCost: 1, orderCost: 2, shortageCost: 9 },
        { policy: "baseStock", orderUpTo: [36] },
        { seed, replications: 10, horizon: 100, warmUp: 10 },
      );
      if (Math.abs(r.sku.totalCostPerPeriod.mean[0] - want) <= r.sku.totalCostPerPeriod.halfWidth[0]) covered++;
    }
    // Binomial(300, 0.95): mean 285, sd 3.8; accept 270 .. 297 (about 4 sd below, 3 above)
    expect(covered).toBeGreaterThanOrEqual(270);
    expect(covered).toBeLessThanOrEqual(297);
  });
});
