/**
 * The deployable policy (src/engine/policy.ts skuPolicyColumns and src/engine/policy/deploy.ts):
 * rounded levels against scipy brute force (test/fixtures/gen_policy_deploy.py), the rounding and
 * floor rules as properties, and the lifecycle, budget and capacity stages on small cases whose
 * answers follow from their definitions.
 */
import fc from "fast-check";
import fixture from "../../fixtures/policy_deploy.json";
import { ArgumentError } from "../../../src/engine/errors";
import { DISTRIBUTION_NAMES, type DistributionChoice } from "../../../src/engine/distributions";
import {
  defaultPolicyGrid,
  defaultPolicyOptions,
  FLAG_FLOOR,
  FLAG_NEGBIN_TO_POISSON,
  FLAG_PROTECTED,
  POLICY_METHODS,
  skuPolicy,
  skuPolicyColumns,
  type PolicyMethod,
  type PolicyOptions,
  type SegmentPolicy,
} from "../../../src/engine/policy";
import { deployPolicy, FLAG_BUDGET, FLAG_CAPACITY, type DeployInput } from "../../../src/engine/policy/deploy";
import { isMultipleOf } from "../../../src/engine/rounding";

const options: PolicyOptions = { ...defaultPolicyOptions(), defaultLeadTime: 2 };

function segmentRow(patch: Partial<SegmentPolicy>): SegmentPolicy {
  return { ...defaultPolicyGrid()[0], ...patch };
}

describe("skuPolicyColumns against scipy (gen_policy_deploy.py)", () => {
  const family: Record<string, DistributionChoice> = { 0: "poisson", 1: "negbin", 2: "negbin", 3: "poisson", 4: "negbin" };
  it.each(fixture.cases.map((c, k) => [c.name, c, k] as const))("%s", (_name, c, k) => {
    const x = c.input;
    const p = segmentRow({ method: x.method as PolicyMethod, serviceLevel: x.serviceLevel, reviewPeriod: x.reviewPeriod, distribution: family[k], orderMultiple: x.orderMultiple, moq: x.moq });
    const r = skuPolicy(p, { demandMean: x.demandMean, demandSd: x.demandSd, leadTime: x.leadTime, orderQty: x.orderQty ?? undefined, floor: x.floor || undefined }, options);
    if ("kind" in r) throw new Error(r.message);
    const e = c.expected;
    expect(r.distribution).toBe(e.distribution);
    expect([r.safetyStock, r.reorderPoint, r.min, r.max, r.orderQty]).toEqual([e.safetyStock, e.reorderPoint, e.min, e.max, e.orderQty]);
    expect(r.fillRate).toBeCloseTo(e.fillRate, 9);
    expect(r.cycleServiceLevel).toBeCloseTo(e.cycleServiceLevel, 9);
    if (x.floor) expect(r.note).toMatch(/raised to the floor of 4 \(critical spare \/ regulatory stock\)/);
    if (k === 4) expect(r.note).toMatch(/no negative binomial exists: Poisson used/);
  });

  it("names the row problem when the MOQ is not a multiple of the order multiple", () => {
    const t = skuPolicyColumns([segmentRow({ reviewPeriod: 1, orderMultiple: 10 })], { rows: 2, policy: [0, 0], demandMean: [5, 5], demandSd: [1, 1], moq: [25, 30] }, options);
    expect(t.errors.get(0)?.message).toBe("moq 25 is not a multiple of orderMultiple 10");
    expect(t.errors.has(1)).toBe(false);
    expect(t.orderQty[1]).toBe(30);
  });
});

describe("rounding and floors, on random SKUs", () => {
  const sku = fc.record({
    d: fc.double({ min: 0.05, max: 200, noNaN: true }),
    cv: fc.double({ min: 0.1, max: 3, noNaN: true }),
    L: fc.integer({ min: 0, max: 8 }),
    R: fc.constantFrom(0, 1, 2, 4),
    method: fc.constantFrom<PolicyMethod>("csl", "fill"),
    target: fc.double({ min: 0.7, max: 0.99, noNaN: true }),
    q: fc.double({ min: 1, max: 500, noNaN: true }),
    multiple: fc.constantFrom(1, 2, 5, 12),
    moqPacks: fc.integer({ min: 0, max: 4 }),
    floor: fc.constantFrom(0, 0, 3, 20),
    dist: fc.constantFrom<DistributionChoice>("normal", "poisson", "negbin", "gamma"),
  });
  it("gives orderable quantities, never goes below a floor, and keeps the target after rounding", () => {
    fc.assert(
      fc.property(fc.array(sku, { minLength: 1, maxLength: 30 }), (rows) => {
        const grid = rows.map((r) => segmentRow({ method: r.method, serviceLevel: r.target, reviewPeriod: r.R, distribution: r.dist, orderMultiple: r.multiple, moq: r.moqPacks * r.multiple }));
        const t = skuPolicyColumns(
          grid,
          {
            rows: rows.length,
            policy: rows.map((_, i) => i),
            demandMean: rows.map((r) => r.d),
            demandSd: rows.map((r) => r.d * r.cv),
            leadTime: Float64Array.from(rows, (r) => r.L),
            orderQty: Float64Array.from(rows, (r) => (r.R === 0 ? r.q : Number.NaN)),
            floor: Float64Array.from(rows, (r) => r.floor),
          },
          options,
        );
        rows.forEach((r, i) => {
          if (t.errors.has(i)) return; // e.g. a fill rate that needs no demand over L = 0 and R = 0
          const Q = t.max[i] - t.min[i];
          expect(Number.isInteger(t.reorderPoint[i]) && Number.isInteger(t.min[i]) && Number.isInteger(t.max[i])).toBe(true);
          expect(isMultipleOf(Q, r.multiple)).toBe(true);
          expect(Q).toBeGreaterThanOrEqual(Math.max(r.multiple, r.moqPacks * r.multiple));
          expect(t.reorderPoint[i]).toBe(r.R > 0 ? t.max[i] : t.min[i]);
          expect(t.safetyStock[i]).toBeGreaterThanOrEqual(r.floor);
          expect(t.safetyStock[i]).toBeGreaterThanOrEqual(0);
          if (r.floor > 0) expect(t.flags[i] & FLAG_PROTECTED).toBeTruthy();
          // rounding only raises levels, so the target is still met (normal "fill" by its safe-side
          // approximation; a continuous lot is at least the given one)
          const measure = r.method === "csl" ? t.cycleServiceLevel[i] : t.fillRate[i];
          if (measure === measure && t.demand.mean[i] > 0) expect(measure).toBeGreaterThanOrEqual(r.target - 1e-9);
        });
      }),
      { numRuns: 150 },
    );
  });
});

/** A small assortment: two DCs, every segment letter, one critical spare. */
function assortment(): DeployInput {
  return {
    rows: 6,
    sku: ["A1", "A2", "B1", "C1", "C2", "SPARE"],
    segment: ["AX", "AX", "BY", "CZ", "CZ", "CZ"],
    planned: [1, 1, 1, 1, 1, 1],
    demandMean: [20, 12, 8, 0.6, 0.4, 0.2],
    demandSd: [5, 4, 4, 1.1, 0.9, 0.5],
    pattern: [0, 0, 1, 3, 2, 2],
    leadTime: Float64Array.from([2, 2, 3, 4, 4, 6]),
    orderQty: Float64Array.from([60, 40, 30, 5, 5, 2]),
    unitCost: Float64Array.from([10, 5, 4, 50, 30, 400]),
    floor: Float64Array.from([Number.NaN, Number.NaN, Number.NaN, Number.NaN, Number.NaN, 3]),
    location: ["DC1", "DC1", "DC1", "DC1", "DC2", "DC1"],
  };
}

const grid = defaultPolicyGrid().map((p) => ({ ...p, reviewPeriod: 0 }));

describe("deployPolicy: budget", () => {
  it("allocates within the budget, holds the protected spare, and reports the marginal value", () => {
    const free = deployPolicy(grid, assortment(), options, { asOf: 0 });
    const spend = (t: typeof free.table, rows: number[]) => rows.reduce((s, i) => s + assortment().unitCost![i] * (t.reorderPoint[i] - t.demand.mean[i]), 0);
    // the spare's stock is paid first; half of what the others hold under the targets on top
    const budget = Math.round(spend(free.table, [5]) + spend(free.table, [0, 1, 2, 3, 4]) / 2);
    const r = deployPolicy(grid, assortment(), options, { asOf: 0, budget });
    const b = r.budget!;
    expect(b.skus).toBe(6);
    expect(b.pools).toHaveLength(1);
    expect(b.pools[0].spent).toBeLessThanOrEqual(budget + 1e-9);
    // the spare is held at its policy level (floor 3), the others are set by the budget
    expect(r.table.reorderPoint[5]).toBe(free.table.reorderPoint[5]);
    expect(r.table.flags[5] & FLAG_BUDGET).toBe(0);
    for (let i = 0; i < 5; i++) expect(r.table.flags[i] & FLAG_BUDGET).toBe(FLAG_BUDGET);
    expect(b.pools[0].marginalUnitsPerMoney).toBeGreaterThan(0);
    // half the money buys less service than the targets
    const seg = b.segments.find((s) => s.pool === "AX")!;
    expect(seg.fillRate).toBeLessThanOrEqual(seg.targetFillRate + 1e-12);
    // max = min + Q still holds for every budget row
    for (let i = 0; i < 5; i++) expect(r.table.max[i] - r.table.min[i]).toBe(free.table.max[i] - free.table.min[i]);
  });

  it("refuses a budget below the floors, naming the amount needed", () => {
    expect(() => deployPolicy(grid, assortment(), options, { asOf: 0, budget: 10 })).toThrow(ArgumentError);
    expect(() => deployPolicy(grid, assortment(), options, { asOf: 0, budget: 10 })).toThrow(/budget: the budget \(10\) is below the floors: .* need [0-9.]+/);
  });

  it("per segment: one pool per segment present", () => {
    const r = deployPolicy(grid, assortment(), options, { asOf: 0, budget: { AX: 500, BY: 100, CZ: 5000 } });
    expect(r.budget!.pools.map((p) => p.pool).sort()).toEqual(["AX", "BY", "CZ"]);
    for (const p of r.budget!.pools) expect(p.spent).toBeLessThanOrEqual(p.budget + 1e-9);
  });
});

describe("deployPolicy: DC capacity", () => {
  it("cuts C before A, never the protected spare, and says what it cost", () => {
    const free = deployPolicy(grid, assortment(), options, { asOf: 0 });
    const dc1 = [0, 1, 2, 3, 5];
    const room = dc1.reduce((s, i) => s + free.table.max[i], 0);
    const r = deployPolicy(grid, assortment(), options, { asOf: 0, capacity: new Map([["DC1", room - 3]]) });
    const loc = r.capacity!.locations.find((l) => l.location === "DC1")!;
    expect(loc.feasible).toBe(true);
    expect(loc.after).toBeLessThanOrEqual(room - 3);
    expect(loc.tiersCut).toEqual(["C"]);
    expect(r.table.flags[3] & FLAG_CAPACITY).toBe(FLAG_CAPACITY);
    for (const i of [0, 1, 2, 5]) expect(r.table.max[i]).toBe(free.table.max[i]);
    expect(loc.fillRateAfter).toBeLessThanOrEqual(loc.fillRateBefore);
    // (s, Q): the cut shortens the order quantity, the reorder point stays
    expect(r.table.reorderPoint[3]).toBe(free.table.reorderPoint[3]);
    expect(r.table.orderQty[3]).toBe(r.table.max[3] - r.table.min[3]);
    // DC2 has no capacity: not constrained
    expect(r.table.max[4]).toBe(free.table.max[4]);
  });

  it("reports a zero capacity as a location error and cuts nothing there", () => {
    const r = deployPolicy(grid, assortment(), options, { asOf: 0, capacity: new Map([["DC2", 0]]) });
    expect(r.capacity!.locationErrors.get("DC2")?.message).toBe("capacity of location DC2 must be a number > 0, got 0");
  });
});

describe("deployPolicy: lifecycle", () => {
  it("ramps an end-of-life SKU down over its protection interval and stops it after the last buy", () => {
    // 8 a week, phase-out from week 20 over 8 weeks, now week 22, lead time 2, continuous review:
    // the ramp falls from 0.75 at week 22 to 0.5 at week 24, average 0.625, so 5 a week
    const input: DeployInput = {
      rows: 2,
      sku: ["EOL", "GONE"],
      segment: ["AX", "AX"],
      planned: [1, 1],
      demandMean: [8, 8],
      demandSd: [2, 2],
      leadTime: Float64Array.from([2, 2]),
      orderQty: Float64Array.from([20, 20]),
      lifecycle: ["eol", "eol"],
      phaseOutStart: Float64Array.from([20, 20]),
      lastBuy: Float64Array.from([24, 21]),
    };
    const r = deployPolicy(grid, input, { ...options, phaseOutPeriods: 8 }, { asOf: 22 });
    expect(r.lifecycleFactor[0]).toBeCloseTo(0.625, 12);
    expect(r.demandMean[0]).toBeCloseTo(5, 12);
    const same = skuPolicy(grid[0], { demandMean: 5, demandSd: 2 * 0.625, leadTime: 2, orderQty: 20 }, options);
    expect(r.table.reorderPoint[0]).toBe((same as { reorderPoint: number }).reorderPoint);
    // what the last buy at week 24 must cover: 8 x the ramp's area from 24 to 28 (0.5 -> 0 over 4 weeks) = 8
    expect(r.demandAfterLastBuy[0]).toBeCloseTo(8, 12);
    expect(r.replenish[1]).toBe(0);
    expect([r.table.reorderPoint[1], r.table.min[1], r.table.max[1], r.table.orderQty[1]]).toEqual([0, 0, 0, 0]);
    expect(r.lifecycleNotes.get(1)).toMatch(/no replenishment after the last-buy date/);
  });

  it("plans a new SKU with its analog's demand and segment, or its family's", () => {
    const input: DeployInput = {
      rows: 4,
      sku: ["OLD", "NEW", "F1", "NEWF"],
      segment: ["BY", "", "CZ", ""],
      planned: [1, 1, 1, 1],
      demandMean: [6, Number.NaN, 2, Number.NaN],
      demandSd: [3, Number.NaN, 1, Number.NaN],
      orderQty: Float64Array.from([10, 10, 10, 10]),
      lifecycle: ["", "new", "", "new"],
      analog: ["", "OLD", "", ""],
      family: ["", "", "pumps", "pumps"],
    };
    const r = deployPolicy(grid, input, options, { asOf: 0 });
    expect(r.segment).toEqual(["BY", "BY", "CZ", "CZ"]);
    expect(r.demandSource[1]).toBe(1);
    expect(r.demandSource[3]).toBe(2);
    expect(r.table.reorderPoint[1]).toBe(r.table.reorderPoint[0]);
    expect(r.table.reorderPoint[3]).toBe(r.table.reorderPoint[2]);
    expect(r.lifecycleNotes.get(1)).toBe("demand from analog OLD");
  });

  it("a new SKU without analog or family is a row error (#N/A), the rest is planned", () => {
    const r = deployPolicy(grid, { rows: 2, sku: ["X", "Y"], segment: ["AX", ""], planned: [1, 1], demandMean: [4, Number.NaN], demandSd: [1, Number.NaN], orderQty: Float64Array.from([9, 9]), lifecycle: ["", "new"] }, options, { asOf: 0 });
    expect(r.table.errors.get(1)).toEqual({ kind: "na", message: "no demand history: no analog or family mapped" });
    expect(r.table.reorderPoint[0]).toBeGreaterThan(0);
  });
});

test("the negative binomial fallback and the floor are flagged per row", () => {
  const t = skuPolicyColumns(
    [segmentRow({ distribution: "negbin", reviewPeriod: 1 })],
    { rows: 2, policy: [0, 0], demandMean: [3, 3], demandSd: [0.5, 4], floor: Float64Array.from([50, Number.NaN]) },
    options,
  );
  expect(t.flags[0] & FLAG_NEGBIN_TO_POISSON).toBe(FLAG_NEGBIN_TO_POISSON);
  expect(DISTRIBUTION_NAMES[t.distribution[0]]).toBe("poisson");
  expect(t.flags[0] & FLAG_FLOOR).toBe(FLAG_FLOOR);
  expect(t.safetyStock[0]).toBe(50);
  expect(DISTRIBUTION_NAMES[t.distribution[1]]).toBe("negbin");
  expect(POLICY_METHODS[t.method[1]]).toBe("csl");
});
