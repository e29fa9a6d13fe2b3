import { ArgumentError, isCellError } from "../../../src/engine/errors";
import { PolicyColumns, SimulationInput, simulatePolicies } from "../../../src/engine/simulate/simulate";
import { historyFromArray } from "../../../src/engine/xyz";

// Behaviour of the simulation that can be worked out by hand: constant demand (a history of one
// period, so every bootstrap draw is that period) makes every replication identical and the
// inventory trace periodic. The traces are spelled out in docs/simulation.md.

const constant = (values: number[]): SimulationInput["demand"] => ({ kind: "history", history: historyFromArray(values, values.length, 1) });

function input(rows: number, over: Partial<SimulationInput> = {}): SimulationInput {
  return { rows, demand: constant(new Array(rows).fill(10)), leadTime: 1, holdingCost: 0.1, orderCost: 20, shortageCost: 2, unitCost: 5, ...over };
}
const opts = { replications: 5, horizon: 40, warmUp: 8 };

describe("hand-worked traces with constant demand 10 per period", () => {
  it("(s, Q) = (20, 40), L = 1: on hand 40, 30, 20, 10 repeating, one order every 4 periods, no stockout", () => {
    const r = simulatePolicies(input(1), { policy: "sQ", reorderPoint: [20], orderQty: [40] }, opts);
    expect(r.errors.size).toBe(0);
    expect(r.sku.onHand.mean[0]).toBeCloseTo(25, 12);
    expect(r.sku.stockValue.mean[0]).toBeCloseTo(125, 12);
    expect(r.sku.ordersPerPeriod.mean[0]).toBeCloseTo(0.25, 12);
    expect(r.sku.fillRate.mean[0]).toBe(1);
    expect(r.sku.cycleServiceLevel.mean[0]).toBe(1);
    expect(r.sku.stockoutFrequency.mean[0]).toBe(0);
    expect(r.sku.backorders.mean[0]).toBe(0);
    expect(r.sku.holdingCostPerPeriod.mean[0]).toBeCloseTo(2.5, 12);
    expect(r.sku.orderingCostPerPeriod.mean[0]).toBeCloseTo(5, 12);
    expect(r.sku.totalCostPerPeriod.mean[0]).toBeCloseTo(7.5, 12);
    expect(r.sku.totalCostPerPeriod.halfWidth[0]).toBe(0); // identical replications
  });
  it("base stock S = 15, L = 1: half of each period's demand is short, 5 units always on backorder", () => {
    const r = simulatePolicies(input(1), { policy: "baseStock", orderUpTo: [15] }, opts);
    expect(r.sku.fillRate.mean[0]).toBeCloseTo(0.5, 12);
    expect(r.sku.backorders.mean[0]).toBeCloseTo(5, 12);
    expect(r.sku.onHand.mean[0]).toBe(0);
    expect(r.sku.stockoutFrequency.mean[0]).toBe(1);
    expect(r.sku.cycleServiceLevel.mean[0]).toBe(0);
    expect(r.sku.shortageCostPerPeriod.mean[0]).toBeCloseTo(10, 12);
    expect(r.sku.ordersPerPeriod.mean[0]).toBe(1);
  });
  it("the same under lost sales: stock after receipt alternates 10, 5, so 15 of every 20 units are served", () => {
    // y = stock after receipt; the order placed in a period is S - y (IP = y), so y' = (y - 10)^+ + 15 - y:
    // 10 -> 5 -> 10 ... Each period ends empty; every other period loses 5 units.
    const r = simulatePolicies(input(1), { policy: "baseStock", orderUpTo: [15] }, { ...opts, shortage: "lostSales" });
    expect(r.sku.backorders.mean[0]).toBe(0);
    expect(r.sku.fillRate.mean[0]).toBeCloseTo(0.75, 12);
    expect(r.sku.lostSales.mean[0]).toBeCloseTo(2.5, 12);
    expect(r.sku.onHand.mean[0]).toBe(0);
    expect(r.sku.stockoutFrequency.mean[0]).toBeCloseTo(0.5, 12);
    expect(r.sku.shortageCostPerPeriod.mean[0]).toBeCloseTo(5, 12); // 2 per unit lost
  });
  it("(R, S) = (4, 60), L = 2: an order of 40 every 4 periods", () => {
    const r = simulatePolicies(input(1, { leadTime: 2 }), { policy: "RS", orderUpTo: [60], reviewPeriod: [4] }, opts);
    // after warm-up the level after each receipt is 60 - 10 * 2 = 40 → ends 30, 20, 10, 0 → mean 15
    expect(r.sku.onHand.mean[0]).toBeCloseTo(15, 12);
    expect(r.sku.ordersPerPeriod.mean[0]).toBeCloseTo(0.25, 12);
    expect(r.sku.fillRate.mean[0]).toBe(1);
  });
  it("(s, S) = (15, 50), L = 0: order up to 50 when IP <= 15, on hand 40, 30, 20 (then 10 <= 15 triggers)", () => {
    const r = simulatePolicies(input(1, { leadTime: 0 }), { policy: "sS", reorderPoint: [15], orderUpTo: [50] }, opts);
    // review sees 10 -> orders 40, receives at once: 50 -> 40; then 30, 20, 10 -> mean of 40, 30, 20, 10 = 25
    expect(r.sku.onHand.mean[0]).toBeCloseTo(25, 12);
    expect(r.sku.ordersPerPeriod.mean[0]).toBeCloseTo(0.25, 12);
  });
  it("(s, nQ): an undershoot is covered by multiples of Q", () => {
    // demand 10, s = 20, Q = 4: each review finds IP 10 below... orders 12 (3 x 4) to lift IP above 20
    const r = simulatePolicies(input(1, { leadTime: 0 }), { policy: "sQ", reorderPoint: [20], orderQty: [4] }, opts);
    expect(r.sku.ordersPerPeriod.mean[0]).toBe(1);
    expect(r.sku.fillRate.mean[0]).toBe(1);
  });
});

describe("bad rows spoil only themselves", () => {
  it("reports each bad row with a message naming the field, simulates the rest", () => {
    const n = 6;
    const policy: PolicyColumns = {
      policy: ["sQ", "sQ", "sS", "RS", "baseStock", "sQ"],
      reorderPoint: [5, 5, 30, 0, 0, 5],
      orderQty: [10, 0, 0, 0, 0, 10],
      orderUpTo: [0, 0, 20, Number.NaN, 50, 0],
      reviewPeriod: [0, 0, 0, 2, 3, 0],
    };
    const r = simulatePolicies(input(n, { holdingCost: [0.1, 0.1, 0.1, 0.1, 0.1, -1] }), policy, opts);
    expect(r.errors.has(0)).toBe(false);
    expect(r.errors.get(1)?.message).toBe("orderQty must be a number > 0, got 0");
    expect(r.errors.get(2)?.message).toBe("orderUpTo (20) must be above reorderPoint (30) for an (s, S) policy");
    expect(r.errors.get(3)?.message).toBe("orderUpTo must be a finite number, got NaN");
    expect(r.errors.get(4)?.message).toMatch(/^reviewPeriod must be 0 or 1 for a base-stock policy/);
    expect(r.errors.get(5)?.message).toBe("holdingCost must be a number >= 0, got -1");
    expect(r.sku.fillRate.mean[1]).toBeNaN();
    // row 0, (s, Q) = (5, 10) against demand 10 with L = 1: each order arrives after a period in
    // which only 5 units were on hand, so half of the demand waits (traced in docs/simulation.md)
    expect(r.sku.fillRate.mean[0]).toBeCloseTo(0.5, 12);
    expect(r.total.skus).toBe(1);
  });
  it("checks demand and lead-time inputs", () => {
    const d: SimulationInput["demand"] = { kind: "distribution", distribution: ["negativeBinomial", "normal", "poisson", "gamma"], demandMean: [5, -1, 3, 4], demandSd: [2, 1, 0, Number.NaN] };
    const r = simulatePolicies(input(4, { demand: d, leadTime: [1, 1, -2, 1] }), { policy: "baseStock", orderUpTo: [10, 10, 10, 10] }, opts);
    expect(r.errors.get(0)?.message).toMatch(/^demandSd\^2 must exceed demandMean for the negative binomial/);
    expect(r.errors.get(1)?.message).toBe("demandMean must be a number >= 0, got -1");
    expect(r.errors.get(2)?.message).toBe("leadTime must be a number >= 0, got -2");
    expect(r.errors.get(3)?.message).toBe("demandSd must be a number >= 0, got NaN");
  });
  it("names a history period that is not a demand", () => {
    const r = simulatePolicies(input(2, { demand: { kind: "history", history: historyFromArray([1, 2, 3, -4], 2, 2) } }), { policy: "baseStock", orderUpTo: [5, 5] }, opts);
    expect(r.errors.get(1)?.message).toBe("history period 2: demand -4 is negative");
    expect(isCellError(r.errors.get(1))).toBe(true);
    expect(r.errors.has(0)).toBe(false);
  });
  it("a missing policy and empirical lead times out of range", () => {
    const r = simulatePolicies(
      input(3, { leadTimeSamples: [null, [1, -1], [2000]] }),
      { policy: [null, "baseStock", "baseStock"], orderUpTo: [5, 5, 5] },
      opts,
    );
    expect(r.errors.get(0)?.message).toBe("policy is missing for this SKU");
    expect(r.errors.get(1)?.message).toBe("leadTimeSamples value 2 must be a number >= 0, got -1");
    expect(r.errors.get(2)?.message).toMatch(/^leadTime too long/);
  });
  it("rejects whole arguments with an ArgumentError naming them", () => {
    expect(() => simulatePolicies(input(2, { holdingCost: [1] }), { policy: "RS", orderUpTo: [1, 1] }, opts)).toThrow(new ArgumentError("holdingCost", "has 1 rows, expected 2"));
    expect(() => simulatePolicies(input(1), { policy: "RS", orderUpTo: [1] }, { replications: 1 })).toThrow(ArgumentError);
    expect(() => simulatePolicies(input(1), { policy: "xyz" as never, orderUpTo: [1] }, opts)).toThrow(/policy: must be one of "sQ", "sS", "RS", "baseStock"/);
    expect(() => simulatePolicies(input(1), { policy: "RS", orderUpTo: [1] }, { shortage: "wait" as never })).toThrow(/shortage/);
  });
});

describe("random streams", () => {
  const poisson = (rows: number): SimulationInput =>
    input(rows, { demand: { kind: "distribution", distribution: "poisson", demandMean: new Array(rows).fill(6), demandSd: new Array(rows).fill(0) }, leadTime: 2 });
  const bs = (rows: number, S: number): PolicyColumns => ({ policy: "baseStock", orderUpTo: new Array(rows).fill(S) });
  it("the same seed gives the same figures; another seed others", () => {
    const a = simulatePolicies(poisson(2), bs(2, 20), { ...opts, seed: 9 });
    const b = simulatePolicies(poisson(2), bs(2, 20), { ...opts, seed: 9 });
    const c = simulatePolicies(poisson(2), bs(2, 20), { ...opts, seed: 10 });
    expect(Array.from(b.sku.totalCostPerPeriod.mean)).toEqual(Array.from(a.sku.totalCostPerPeriod.mean));
    expect(c.sku.totalCostPerPeriod.mean[0]).not.toBe(a.sku.totalCostPerPeriod.mean[0]);
  });
  it("a SKU's figures do not depend on the rows after it", () => {
    const one = simulatePolicies(poisson(1), bs(1, 20), opts);
    const many = simulatePolicies(poisson(70), bs(70, 20), opts);
    expect(many.sku.fillRate.mean[0]).toBe(one.sku.fillRate.mean[0]);
  });
  it("common random numbers: a higher base-stock level never serves less in any replication", () => {
    const lo = simulatePolicies(poisson(1), bs(1, 18), opts);
    const hi = simulatePolicies(poisson(1), bs(1, 22), opts);
    for (let r = 0; r < opts.replications; r++) {
      expect(hi.total.perReplication.fillRate[r]).toBeGreaterThanOrEqual(lo.total.perReplication.fillRate[r]);
      expect(hi.total.perReplication.onHand[r]).toBeGreaterThan(lo.total.perReplication.onHand[r]);
    }
  });
  it("preventing crossing changes nothing with fixed lead times, and lowers the fill rate with random ones", () => {
    const a = simulatePolicies(poisson(1), bs(1, 20), opts);
    const b = simulatePolicies(poisson(1), bs(1, 20), { ...opts, leadTimeCrossing: "prevent" });
    expect(b.sku.totalCostPerPeriod.mean[0]).toBe(a.sku.totalCostPerPeriod.mean[0]);
    const big = { replications: 100, horizon: 500, warmUp: 50 };
    const random = poisson(1);
    random.leadTimeSamples = [[0, 1, 5]];
    const allow = simulatePolicies(random, bs(1, 20), big);
    const prevent = simulatePolicies(random, bs(1, 20), { ...big, leadTimeCrossing: "prevent" });
    const gap = allow.sku.fillRate.mean[0] - prevent.sku.fillRate.mean[0];
    expect(gap).toBeGreaterThan(allow.sku.fillRate.halfWidth[0] + prevent.sku.fillRate.halfWidth[0]);
  });
});

describe("segments", () => {
  it("segment fill rate is demand-weighted; costs and stock add up; the total covers every SKU", () => {
    // SKU 0: demand 10, fill 1. SKU 1: demand 30, base stock 45 with L = 1 -> serves 15 of 30.
    // SKU 2 in segment B: demand 10, fill 1.
    const r = simulatePolicies(
      input(3, { demand: constant([10, 30, 10]), segment: ["A", "A", "B"] }),
      { policy: "baseStock", orderUpTo: [40, 45, 40] },
      opts,
    );
    const [a, b] = r.segments;
    expect(a.segment).toBe("A");
    expect(a.skus).toBe(2);
    expect(a.metrics.fillRate.mean).toBeCloseTo((10 + 15) / 40, 12);
    expect(b.metrics.fillRate.mean).toBe(1);
    expect(r.total.skus).toBe(3);
    expect(r.total.metrics.fillRate.mean).toBeCloseTo((10 + 15 + 10) / 50, 12);
    const sum = r.sku.totalCostPerPeriod.mean.reduce((x, y) => x + y, 0);
    expect(r.total.metrics.totalCostPerPeriod.mean).toBeCloseTo(sum, 9);
    expect(a.metrics.stockValue.mean).toBeCloseTo(r.sku.stockValue.mean[0] + r.sku.stockValue.mean[1], 9);
    expect(a.metrics.stockoutFrequency.mean).toBeCloseTo(0.5, 12); // SKU 1 short every period, SKU 0 never
  });
});

describe("progress and cancel", () => {
  it("reports progress in chunks up to the total", () => {
    const calls: [number, number][] = [];
    simulatePolicies(input(100), { policy: "baseStock", orderUpTo: new Array(100).fill(30) }, { ...opts, onProgress: (d, t) => calls.push([d, t]) });
    expect(calls.length).toBeGreaterThan(2);
    expect(calls[calls.length - 1]).toEqual([100, 100]);
    for (let i = 1; i < calls.length; i++) expect(calls[i][0]).toBeGreaterThan(calls[i - 1][0]);
  });
  it("stops when the signal is set and says so", () => {
    const signal = { aborted: false };
    const r = simulatePolicies(input(100), { policy: "baseStock", orderUpTo: new Array(100).fill(30) }, { ...opts, signal, onProgress: () => (signal.aborted = true) });
    expect(r.aborted).toBe(true);
    expect(r.sku.fillRate.mean[99]).toBeNaN();
  });
});

describe("the total without a segment column", () => {
  it("counts each SKU once (its stockout frequency is per SKU-period)", () => {
    const r = simulatePolicies(input(2), { policy: "baseStock", orderUpTo: [15, 40] }, opts);
    expect(r.segments).toEqual([]);
    expect(r.total.skus).toBe(2);
    expect(r.total.metrics.stockoutFrequency.mean).toBeCloseTo(0.5, 12); // SKU 0 short every period, SKU 1 never
  });
});
