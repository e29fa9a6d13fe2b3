import { isCellError } from "../../../src/engine/errors";
import { applyCapacity, CapacityInput } from "../../../src/engine/policy/capacity";
import { fillRateOfPolicy, intervalDemandColumns } from "../../../src/engine/policy/levels";

// Hand-worked example (the rules are conventions, docs/functions-policy.md "DC capacity"):
// DC1 holds 100 units; A max 50 (min 30), B max 40 (min 20), C max 30 (min 10), all (s, Q) with
// Q = 20, Poisson demand 2/period, lead time 3. Needed 120, so 20 must go: C first, down to its
// lower bound min + 1 = 11 (19 units), then B gives the last unit (40 -> 39); A is not touched.
function example(over: Partial<CapacityInput> = {}): CapacityInput {
  const rows = 4;
  const demand = intervalDemandColumns({
    rows,
    demandMean: [2, 2, 2, 2],
    demandSd: [1.4, 1.4, 1.4, 1.4],
    leadTime: [3, 3, 3, 3],
    distribution: "poisson",
  });
  return {
    rows,
    location: ["DC1", "DC1", "DC1", "DC2"],
    segment: ["AX", "BY", "CZ", "CZ"],
    max: [50, 40, 30, 30],
    min: [30, 20, 10, 10],
    orderQty: [20, 20, 20, 20],
    demand,
    ...over,
  };
}

describe("applyCapacity", () => {
  it("cuts C first, then B, never A; reports what was cut", () => {
    const r = applyCapacity(example(), { DC1: 100 });
    expect(Array.from(r.max)).toEqual([50, 39, 11, 30]);
    expect(Array.from(r.cut)).toEqual([0, 1, 19, 0]);
    expect(Array.from(r.orderQty)).toEqual([20, 19, 1, 20]); // (s, Q): the order quantity shrinks
    const loc = r.locations.find((l) => l.location === "DC1")!;
    expect(loc).toMatchObject({ required: 120, after: 100, unitsCut: 20, tiersCut: ["C", "B"], skusCut: 2, feasible: true });
    expect(r.locations.some((l) => l.location === "DC2")).toBe(false); // no capacity given: not constrained
  });
  it("fill rates before and after are the policies' own (levels.ts fillRateOfPolicy)", () => {
    const r = applyCapacity(example(), { DC1: 100 });
    const after = fillRateOfPolicy({ reorderPoint: 10, demandMean: 2, demandSd: 1.4, leadTime: 3, orderQty: 1, distribution: "poisson" });
    const before = fillRateOfPolicy({ reorderPoint: 10, demandMean: 2, demandSd: 1.4, leadTime: 3, orderQty: 20, distribution: "poisson" });
    if (isCellError(after) || isCellError(before)) throw new Error("unexpected");
    expect(r.fillRateAfter[2]).toBeCloseTo(after.fillRate, 14);
    expect(r.fillRateBefore[2]).toBeCloseTo(before.fillRate, 14);
    const loc = r.locations[0];
    expect(loc.fillRateAfter).toBeLessThan(loc.fillRateBefore);
    expect(loc.unitsShortPerPeriodAdded).toBeGreaterThan(0);
  });
  it("protected SKUs and floors are never cut below", () => {
    const r = applyCapacity(example({ protectedSku: [0, 0, 1, 0], floor: [Number.NaN, 35, Number.NaN, Number.NaN] }), { DC1: 100 });
    expect(r.max[2]).toBe(30); // protected
    expect(r.max[1]).toBe(35); // floor
    expect(r.max[0]).toBe(35); // A has to give the rest: 120 - 100 = 20 = 5 (B) + 15 (A)
  });
  it("volume basis with unit volumes", () => {
    const r = applyCapacity(example({ unitVolume: [1, 1, 2, 1] }), { DC1: 140 }, { basis: "volume" });
    // needed 50 + 40 + 60 = 150; 10 volume from C = 5 units
    expect(r.max[2]).toBe(25);
    expect(r.locations[0].roomCut).toBe(10);
  });
  it("order multiples: cuts stay on the multiple grid above the lower bound, rounded down", () => {
    const r = applyCapacity(example({ orderMultiple: [5, 5, 5, 5], min: [30, 20, 10, 10] }), { DC1: 110 });
    // C lower bound 15, room 15, must give 10: keep floor(5 / 5) * 5 = 5 -> max 20
    expect(r.max[2]).toBe(20);
    expect(r.locations[0].after).toBeLessThanOrEqual(110);
  });
  it("zero or negative capacity: location error, nothing cut", () => {
    const r = applyCapacity(example(), { DC1: 0 });
    expect(r.locationErrors.get("DC1")?.message).toBe("capacity of location DC1 must be a number > 0, got 0");
    expect(Array.from(r.cut)).toEqual([0, 0, 0, 0]);
    expect(applyCapacity(example(), { DC1: -5 }).locationErrors.has("DC1")).toBe(true);
  });
  it("infeasible: everything at its lower bound and the location is reported", () => {
    const r = applyCapacity(example(), { DC1: 50 });
    expect(Array.from(r.max.slice(0, 3))).toEqual([31, 21, 11]);
    expect(r.locations[0].feasible).toBe(false);
    expect(r.locationErrors.get("DC1")?.message).toMatch(/capacity 50 cannot be met; with every max at its lower bound the SKUs still need 63/);
  });
  it("a missing unit volume blocks the location's check", () => {
    const r = applyCapacity(example({ unitVolume: [1, Number.NaN, 1, 1] }), { DC1: 100 }, { basis: "volume" });
    expect(r.errors.get(1)?.message).toMatch(/^unitVolume must be a number > 0/);
    expect(r.locationErrors.get("DC1")?.message).toMatch(/1 SKU row\(s\) cannot be measured/);
  });
});
