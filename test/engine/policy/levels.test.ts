import fc from "fast-check";
import { CellError, isCellError } from "../../../src/engine/errors";
import { safetyStock } from "../../../src/engine/inventory";
import {
  distributionPolicy,
  DistributionPolicyInput,
  distributionPolicyColumns,
  DistributionPolicyResult,
  fillRateOfPolicy,
  fillRateOfPolicyColumns,
  reorderPointByDistribution,
  reorderPointByDistributionColumns,
  safetyStockByDistribution,
  wholeUp,
} from "../../../src/engine/policy/levels";
import type { DistributionChoice } from "../../../src/engine/distributions";
import fixture from "../../fixtures/policy_distributions.json";

function ok<T>(x: T | CellError): T {
  if (isCellError(x)) throw new Error(`unexpected CellError: ${x.message}`);
  return x;
}
function err(x: unknown): CellError {
  if (!isCellError(x)) throw new Error(`expected a CellError, got ${JSON.stringify(x)}`);
  return x;
}
const relErr = (got: number, want: number) => (want === 0 ? Math.abs(got) : Math.abs(got / want - 1));

// Reference: test/fixtures/policy_distributions.json (gen_policy_distributions.py, scipy brute force).
describe("levels against scipy brute force", () => {
  for (const c of fixture.levels) {
    it(c.name, () => {
      const input = c as unknown as DistributionPolicyInput & { used: string };
      const r = ok(distributionPolicy({ ...input, distribution: c.distribution as DistributionChoice }));
      expect(r.distribution).toBe(c.used);
      if (c.used === "gamma") expect(relErr(r.reorderPoint, c.reorderPoint)).toBeLessThan(c.method === "cost" ? 1e-6 : 1e-9);
      else expect(r.reorderPoint).toBe(c.reorderPoint);
      expect(r.safetyStock).toBeCloseTo(c.safetyStock, 6);
      // the gamma cost reference is a numerical minimisation (xatol 1e-10): looser there
      const tol = c.used === "gamma" && c.method === "cost" ? 1e-7 : 1e-9;
      expect(Math.abs(r.cycleServiceLevel - c.cycleServiceLevel)).toBeLessThan(tol);
      if (c.fillRate !== undefined) {
        expect(Math.abs(r.fillRate - c.fillRate)).toBeLessThan(tol);
        expect(Math.abs(r.unitsShortPerCycle - (c.unitsShortPerCycle as number))).toBeLessThan(tol);
      }
    });
  }
});

describe("fill rate of a given policy (=SEG.FILL_RATE) against scipy", () => {
  for (const c of fixture.fillRates) {
    it(`${c.distribution} level ${c.reorderPoint}${c.reviewPeriod ? ` R=${c.reviewPeriod}` : ` Q=${c.orderQty}`}`, () => {
      const r = ok(fillRateOfPolicy({ ...c, distribution: c.distribution as DistributionChoice }));
      expect(Math.abs(r.fillRate - c.fillRate)).toBeLessThan(1e-10);
      expect(Math.abs(r.unitsShortPerCycle - c.unitsShortPerCycle)).toBeLessThan(1e-10);
      expect(Math.abs(r.cycleServiceLevel - c.cycleServiceLevel)).toBeLessThan(1e-12);
      // for the Poisson (unit demand) the fill rate is the ready rate (Axsäter), computed independently
      if (c.readyRate !== undefined) expect(Math.abs(r.fillRate - c.readyRate)).toBeLessThan(1e-10);
    });
  }
  it("Chopra & Meindl ch. 12: ss = 1,000, Q = 10,000, sigma_L = 707: fill rate 0.9975", () => {
    const r = ok(fillRateOfPolicy({ reorderPoint: 5000 + 1000, demandMean: 2500, demandSd: 500, leadTime: 2, orderQty: 10000 }));
    expect(r.fillRate).toBeCloseTo(0.9975, 4);
    expect(r.unitsShortPerCycle).toBeCloseTo(25.13, 2);
  });
});

// Snyder & Shen, Fundamentals of Supply Chain Theory (2019), as tested by stockpyl
// (LarrySnyder/stockpyl tests/test_newsvendor.py).
describe("shortage-cost method (critical ratio) against stockpyl's published newsvendor values", () => {
  it("Example 4.4: h 0.18, p 0.70, demand N(50, 8) per period, L = 4 (base stock over L + 1): S = 264.7668943741548", () => {
    const r = ok(distributionPolicy({ demandMean: 50, demandSd: 8, leadTime: 4, reviewPeriod: 1, method: "cost", holdingCost: 0.18, shortageCost: 0.7 }));
    expect(r.reorderPoint).toBeCloseTo(264.7668943741548, 9);
    expect(r.cycleServiceLevel).toBeCloseTo(0.7 / 0.88, 12);
  });
  it("Example 4.7 without fixed cost: h 1, p 4, Poisson(6): S = 8", () => {
    expect(ok(distributionPolicy({ demandMean: 6, demandSd: 0, leadTime: 0, reviewPeriod: 1, distribution: "poisson", method: "cost", holdingCost: 1, shortageCost: 4 })).reorderPoint).toBe(8);
  });
  it("Problem 4.8(a): h 200, p 270, Poisson(18): S = 19", () => {
    expect(ok(distributionPolicy({ demandMean: 18, demandSd: 0, leadTime: 0, reviewPeriod: 1, distribution: "poisson", method: "cost", holdingCost: 200, shortageCost: 270 })).reorderPoint).toBe(19);
  });
});

describe("normal family is the existing safety-stock formula, unchanged", () => {
  const cases = [
    { serviceLevel: 0.95, demandMean: 100, demandSd: 20, leadTime: 4 },
    { serviceLevel: 0.95, demandMean: 100, demandSd: 20, leadTime: 4, leadTimeSd: 1, reviewPeriod: 2 },
    { serviceLevel: 0.975, demandMean: 2500, demandSd: 500, leadTime: 2, method: "fill" as const, orderQty: 10000 },
    { serviceLevel: 0.98, demandMean: 100, demandSd: 20, leadTime: 4, reviewPeriod: 2, method: "fill" as const },
  ];
  it.each(cases)("%o", (c) => {
    const before = ok(safetyStock(c));
    for (const distribution of [undefined, "normal" as const]) {
      const now = ok(safetyStockByDistribution({ ...c, distribution }));
      expect(now.safetyStock).toBeCloseTo(before.safetyStock, 10);
      expect(now.distribution).toBe("normal");
    }
  });
  it("the single-term fill-rate approximation errs on the safe side: the exact fill rate is at or above the target", () => {
    const r = ok(safetyStockByDistribution({ serviceLevel: 0.9, demandMean: 10, demandSd: 8, leadTime: 2, method: "fill", orderQty: 15 }));
    expect(r.fillRate).toBeGreaterThanOrEqual(0.9);
  });
});

describe("reorder points and safety stock with a distribution", () => {
  it("discrete families give whole-unit levels; safety stock = level - mean demand over the interval", () => {
    const r = ok(safetyStockByDistribution({ serviceLevel: 0.95, demandMean: 0.4, demandSd: 0.7, leadTime: 3, distribution: "poisson" }));
    expect(r.reorderPoint).toBe(3);
    expect(r.safetyStock).toBeCloseTo(3 - 1.2, 14);
    expect(ok(reorderPointByDistribution({ demandMean: 0.4, leadTime: 3, safetyStock: r.safetyStock, distribution: "poisson" }))).toBe(3);
  });
  it("REORDER_POINT rounds a discrete level up to a whole unit, ignores floating-point dust", () => {
    expect(ok(reorderPointByDistribution({ demandMean: 0.4, leadTime: 3, safetyStock: 1.3, distribution: "negbin" }))).toBe(3);
    expect(ok(reorderPointByDistribution({ demandMean: 0.4, leadTime: 3, safetyStock: 1.8 + 1e-12, distribution: "negbin" }))).toBe(3);
    expect(ok(reorderPointByDistribution({ demandMean: 0.4, leadTime: 3, safetyStock: 1.3, distribution: "gamma" }))).toBeCloseTo(2.5, 14);
    expect(ok(reorderPointByDistribution({ demandMean: 100, leadTime: 4, safetyStock: 65.79 }))).toBeCloseTo(465.79, 12);
    expect(ok(reorderPointByDistribution({ demandMean: 2, leadTime: 2, safetyStock: 1.5, distribution: "auto" }))).toBe(6); // mean 4 < 10: discrete
    expect(ok(reorderPointByDistribution({ demandMean: 20, leadTime: 2, safetyStock: 1.5, distribution: "auto" }))).toBe(41.5);
    expect(wholeUp(12.000000000003)).toBe(12);
    expect(wholeUp(12.01)).toBe(13);
  });
  it("negative binomial asked with variance below the mean: Poisson, with a note", () => {
    const r = ok(distributionPolicy({ demandMean: 0.5, demandSd: 0.3, leadTime: 3, distribution: "negbin", serviceLevel: 0.95 }));
    expect(r.distribution).toBe("poisson");
    expect(r.note).toMatch(/Poisson used/);
  });
  it("auto follows the pattern code", () => {
    const lumpy = ok(distributionPolicy({ demandMean: 0.5, demandSd: 1.2, leadTime: 3, distribution: "auto", pattern: 3, serviceLevel: 0.95 }));
    expect(lumpy.distribution).toBe("negbin");
    const smooth = ok(distributionPolicy({ demandMean: 0.5, demandSd: 1.2, leadTime: 3, distribution: "auto", pattern: 0, serviceLevel: 0.95 }));
    expect(smooth.distribution).toBe("normal");
  });
  it("no demand: level 0", () => {
    const r = ok(distributionPolicy({ demandMean: 0, demandSd: 0, leadTime: 3, distribution: "poisson", serviceLevel: 0.95 }));
    expect(r.reorderPoint).toBe(0);
    expect(r.cycleServiceLevel).toBe(1);
  });
  it("fill-rate levels are the smallest that reach the target", () => {
    const input = { demandMean: 1.2, demandSd: 1.1, leadTime: 2.5, orderQty: 5, distribution: "poisson" as const };
    const r = ok(distributionPolicy({ ...input, method: "fill", serviceLevel: 0.98 }));
    const below = ok(fillRateOfPolicy({ ...input, reorderPoint: r.reorderPoint - 1 }));
    expect(r.fillRate).toBeGreaterThanOrEqual(0.98);
    expect(below.fillRate).toBeLessThan(0.98);
  });
});

describe("bad input", () => {
  const base = { demandMean: 2, demandSd: 1, leadTime: 2, distribution: "poisson" as const, serviceLevel: 0.95 };
  it("names the field", () => {
    expect(err(distributionPolicy({ ...base, demandSd: -3 })).message).toBe("demandSd must be a number >= 0, got -3");
    expect(err(distributionPolicy({ ...base, serviceLevel: 95 })).message).toMatch(/^serviceLevel must be strictly between 0 and 1/);
    expect(err(distributionPolicy({ ...base, method: "fill" })).message).toMatch(/orderQty is required for method "fill"/);
    expect(err(distributionPolicy({ ...base, method: "cost", orderQty: 4 })).message).toMatch(/^holdingCost must be a number > 0/);
    expect(err(distributionPolicy({ ...base, method: "cost", holdingCost: 1, shortageCost: 4 })).message).toMatch(/orderQty is required for method "cost"/);
    expect(err(distributionPolicy({ ...base, orderQty: 0 })).message).toMatch(/^orderQty must be a number > 0/);
    expect(err(distributionPolicy({ ...base, distribution: "weibull" as DistributionChoice })).message).toMatch(/^distribution must be one of/);
    expect(err(distributionPolicy({ ...base, method: "max" as "csl" })).message).toMatch(/^method must be "csl", "fill" or "cost"/);
  });
  it("fill rate of a policy needs Q under continuous review and demand", () => {
    expect(err(fillRateOfPolicy({ reorderPoint: 3, demandMean: 1, demandSd: 1, leadTime: 2 })).message).toMatch(/orderQty is required under continuous review/);
    const none = err(fillRateOfPolicy({ reorderPoint: 3, demandMean: 0, demandSd: 0, leadTime: 2, reviewPeriod: 1 }));
    expect(none.kind).toBe("na");
    expect(err(fillRateOfPolicy({ reorderPoint: Number.NaN, demandMean: 1, demandSd: 1, leadTime: 2, orderQty: 3 })).message).toMatch(/^reorderPoint must be a finite number/);
  });
});

describe("columns", () => {
  it("give the same answers as one row at a time, errors per row", () => {
    const rows: DistributionPolicyInput[] = [
      { demandMean: 0.4, demandSd: 0.7, leadTime: 3, distribution: "poisson", method: "csl", serviceLevel: 0.95, orderQty: 2 },
      { demandMean: 0.5, demandSd: 1.2, leadTime: 3, distribution: "negbin", method: "fill", serviceLevel: 0.95, orderQty: 4 },
      { demandMean: 0.5, demandSd: 1.2, leadTime: 3, reviewPeriod: 2, distribution: "gamma", method: "fill", serviceLevel: 0.95 },
      { demandMean: -1, demandSd: 1.2, leadTime: 3, distribution: "gamma", method: "csl", serviceLevel: 0.95 },
      { demandMean: 50, demandSd: 8, leadTime: 4, reviewPeriod: 1, distribution: "normal", method: "cost", holdingCost: 0.18, shortageCost: 0.7 },
      { demandMean: 2, demandSd: 3, leadTime: 1, reviewPeriod: 0, distribution: "auto", pattern: 3, method: "csl", serviceLevel: 0.9 },
    ];
    const col = <K extends keyof DistributionPolicyInput>(k: K, fallback: number) => Float64Array.from(rows, (r) => (r[k] as number | undefined) ?? fallback);
    const out = distributionPolicyColumns({
      rows: rows.length,
      demandMean: col("demandMean", 0),
      demandSd: col("demandSd", 0),
      leadTime: col("leadTime", 0),
      reviewPeriod: col("reviewPeriod", Number.NaN),
      serviceLevel: col("serviceLevel", Number.NaN),
      orderQty: col("orderQty", Number.NaN),
      holdingCost: col("holdingCost", Number.NaN),
      shortageCost: col("shortageCost", Number.NaN),
      pattern: col("pattern", -1),
      distribution: rows.map((r) => r.distribution ?? "normal"),
      method: rows.map((r) => r.method ?? "csl"),
    });
    rows.forEach((r, i) => {
      const one = distributionPolicy(r);
      if (isCellError(one)) {
        expect(out.errors.get(i)).toEqual(one);
        expect(out.reorderPoint[i]).toBeNaN();
        expect(out.distribution[i]).toBe(-1);
        return;
      }
      const o = one as DistributionPolicyResult;
      expect(out.reorderPoint[i]).toBe(o.reorderPoint);
      expect(out.safetyStock[i]).toBe(o.safetyStock);
      expect(Number.isNaN(out.fillRate[i]) ? Number.NaN : out.fillRate[i]).toEqual(o.fillRate);
    });
    expect(out.errors.size).toBe(1);
  });
});

describe("the discrete walk (batch fast path) agrees with direct evaluation", () => {
  it("csl and fill levels are the smallest whole units meeting the target, by the direct formulas", () => {
    fc.assert(
      fc.property(
        fc.constantFrom<DistributionChoice>("poisson", "negbin"),
        fc.double({ min: 0.02, max: 40, noNaN: true }),
        fc.double({ min: 0.3, max: 3, noNaN: true }),
        fc.integer({ min: 0, max: 8 }),
        fc.constantFrom(0, 0, 1, 3),
        fc.double({ min: 0.5, max: 60, noNaN: true }),
        fc.constantFrom<"csl" | "fill">("csl", "fill"),
        fc.double({ min: 0.5, max: 0.995, noNaN: true }),
        (distribution, d, cv, L, R, q, method, target) => {
          const input = { demandMean: d, demandSd: d * cv, leadTime: L, reviewPeriod: R, distribution, orderQty: q };
          const r = distributionPolicy({ ...input, method, serviceLevel: target });
          if (isCellError(r)) return; // e.g. no demand over a zero lead time with continuous review
          const at = (level: number) => ok(fillRateOfPolicy({ ...input, reorderPoint: level }));
          const meets = (level: number) => (method === "csl" ? at(level).cycleServiceLevel >= target - 1e-12 : at(level).fillRate >= target - 1e-12);
          if (r.mean === 0) return;
          expect(Number.isInteger(r.reorderPoint)).toBe(true);
          expect(meets(r.reorderPoint)).toBe(true);
          const lowest = method === "csl" || R > 0 ? 0 : -Math.ceil(q);
          if (r.reorderPoint > lowest) expect(meets(r.reorderPoint - 1)).toBe(false);
          expect(Math.abs(r.fillRate - at(r.reorderPoint).fillRate)).toBeLessThan(1e-11);
          expect(Math.abs(r.cycleServiceLevel - at(r.reorderPoint).cycleServiceLevel)).toBeLessThan(1e-11);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("column forms for the custom functions", () => {
  it("FILL_RATE columns equal the row function, errors per row", () => {
    const rows = fixture.fillRates;
    const col = (f: (r: (typeof rows)[number]) => number | undefined) => Float64Array.from(rows, (r) => f(r) ?? Number.NaN);
    const out = fillRateOfPolicyColumns({
      rows: rows.length + 1,
      reorderPoint: [...col((r) => r.reorderPoint), 3],
      demandMean: [...col((r) => r.demandMean), 1],
      demandSd: [...col((r) => r.demandSd), 1],
      leadTime: [...col((r) => r.leadTime), 2],
      leadTimeSd: [...col((r) => (r as { leadTimeSd?: number }).leadTimeSd), Number.NaN],
      reviewPeriod: [...col((r) => (r as { reviewPeriod?: number }).reviewPeriod), Number.NaN],
      orderQty: [...col((r) => (r as { orderQty?: number }).orderQty), Number.NaN],
      distribution: [...rows.map((r) => r.distribution as DistributionChoice), "poisson"],
    });
    rows.forEach((r, i) => expect(Math.abs(out.fillRate[i] - r.fillRate)).toBeLessThan(1e-10));
    expect(out.errors.get(rows.length)?.message).toMatch(/orderQty is required under continuous review/);
  });
  it("REORDER_POINT columns", () => {
    const out = reorderPointByDistributionColumns({ rows: 2, demandMean: [0.4, 100], leadTime: [3, 4], safetyStock: [1.3, 65.79], distribution: ["negbin", "normal"] });
    expect(out.reorderPoint[0]).toBe(3);
    expect(out.reorderPoint[1]).toBeCloseTo(465.79, 12);
  });
});
