import { CellError, isCellError } from "../../../src/engine/errors";
import { optimalSS, sSCost } from "../../../src/engine/policy/sS";
import { criticalRatio, newsvendorCost, newsvendorLevel } from "../../../src/engine/policy/newsvendor";
import { NORMAL, POISSON } from "../../../src/engine/distributions";
import brute from "../../fixtures/ss_brute_force.json";

function ok<T>(x: T | CellError): T {
  if (isCellError(x)) throw new Error(`unexpected CellError: ${x.message}`);
  return x;
}

// Published values: stockpyl (LarrySnyder/stockpyl) tests/test_ss.py, which checks
// Snyder & Shen (2019) Example 4.7 and Problem 4.31 and the Zheng & Federgruen (1991) instances.
describe("Zheng & Federgruen (s, S) against stockpyl's published tests", () => {
  it("Example 4.7: h = 1, p = 4, K = 5, Poisson(6) -> s = 4, S = 10, cost 8.034111561471644", () => {
    const r = ok(optimalSS({ holdingCost: 1, shortageCost: 4, fixedCost: 5, demandMean: 6 }));
    expect(r.reorderPoint).toBe(4);
    expect(r.orderUpToLevel).toBe(10);
    expect(r.cost).toBeCloseTo(8.034111561471644, 12);
  });
  it("Example 4.7 cost of given policies: (4, 10) 8.034111561471644, (6, 18) 10.193798671644046", () => {
    const p = { holdingCost: 1, shortageCost: 4, fixedCost: 5, demandMean: 6 };
    expect(ok(sSCost(4, 10, p))).toBeCloseTo(8.034111561471644, 12);
    expect(ok(sSCost(6, 18, p))).toBeCloseTo(10.193798671644046, 12);
  });
  it("Problem 4.31: h = 40, p = 125, K = 150, Poisson(4) -> s = 2, S = 7, cost 223.5748295669688", () => {
    const p = { holdingCost: 40, shortageCost: 125, fixedCost: 150, demandMean: 4 };
    const r = ok(optimalSS(p));
    expect([r.reorderPoint, r.orderUpToLevel]).toEqual([2, 7]);
    expect(r.cost).toBeCloseTo(223.5748295669688, 10);
    expect(ok(sSCost(4, 10, p))).toBeCloseTo(262.2755613772775, 10);
  });
  // Zheng & Federgruen (1991) Table 1, as listed in stockpyl's test_fz_instances: h = 1, p = 9, K = 64.
  const mu = [10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 21, 22, 23, 24, 51, 52, 59, 61, 63, 64];
  const sOpt = [6, 10, 14, 19, 23, 28, 33, 37, 42, 47, 52, 56, 62, 67, 15, 16, 17, 18, 43, 44, 51, 52, 54, 55];
  const SOpt = [40, 49, 62, 56, 66, 77, 87, 97, 108, 118, 129, 75, 81, 86, 65, 68, 52, 54, 110, 112, 126, 131, 73, 74];
  const cOpt = [35.022, 42.698, 49.173, 54.262, 57.819, 61.215, 64.512, 67.776, 70.975, 74.149, 77.306, 78.518, 79.037, 79.554, 50.406, 51.632, 52.757, 53.518, 71.611, 72.246, 76.679, 77.929, 78.287, 78.402];
  it.each(mu.map((m, i) => [m, sOpt[i], SOpt[i], cOpt[i]]))("Zheng & Federgruen instance mu = %d: s = %d, S = %d, cost %d", (m, s, S, c) => {
    const r = ok(optimalSS({ holdingCost: 1, shortageCost: 9, fixedCost: 64, demandMean: m }));
    expect(r.reorderPoint).toBe(s);
    expect(r.orderUpToLevel).toBe(S);
    expect(Math.abs(r.cost - c)).toBeLessThan(5e-4);
  });
});

// Reference: test/fixtures/ss_brute_force.json (gen_ss_brute_force.py: stationary distributions
// of the inventory position with numpy, exhaustive search; neither the renewal formula nor the
// algorithm).
describe("(s, S) against an exhaustive Markov-chain search", () => {
  it.each(brute.cases.map((c) => [c.name, c]))("%s", (_name, c) => {
    const r = ok(optimalSS(c as Parameters<typeof optimalSS>[0]));
    expect(r.reorderPoint).toBe(c.reorderPoint);
    expect(r.orderUpToLevel).toBe(c.orderUpToLevel);
    expect(r.cost).toBeCloseTo(c.cost, 9);
    expect(r.distribution).toBe(c.demandVariance ? "negbin" : "poisson");
  });
});

describe("newsvendor pieces (stockpyl tests/test_newsvendor.py and newsvendor.py doctests)", () => {
  it("Poisson(6), h 1, p 4: S* = 8, cost 3.570106945770946; cost at 5 6.590296024616344", () => {
    expect(newsvendorLevel(POISSON, 6, 6, 1, 4)).toBe(8);
    expect(newsvendorCost(POISSON, 6, 6, 8, 1, 4)).toBeCloseTo(3.570106945770946, 12);
    expect(newsvendorCost(POISSON, 6, 6, 5, 1, 4)).toBeCloseTo(6.590296024616344, 12);
  });
  it("Poisson(50), h 0.18, p 0.70 at 56: 1.797235211809178; Problem 4.8(a) Poisson(18), h 200, p 270: S* = 19, cost 786.0884409351115", () => {
    expect(newsvendorCost(POISSON, 50, 50, 56, 0.18, 0.7)).toBeCloseTo(1.797235211809178, 12);
    expect(newsvendorLevel(POISSON, 18, 18, 200, 270)).toBe(19);
    expect(newsvendorCost(POISSON, 18, 18, 19, 200, 270)).toBeCloseTo(786.0884409351115, 9);
    expect(newsvendorCost(POISSON, 18, 18, 13, 200, 270)).toBeCloseTo(1445.751062891969, 9);
  });
  it("Example 4.3 N(50, 8), h 0.18, p 0.70: S* = 56.603955927433887, cost 1.997605193176645; at 40: 7.356131552870388", () => {
    const S = newsvendorLevel(NORMAL, 50, 64, 0.18, 0.7);
    expect(S).toBeCloseTo(56.603955927433887, 10);
    expect(newsvendorCost(NORMAL, 50, 64, S, 0.18, 0.7)).toBeCloseTo(1.997605193176645, 12);
    expect(newsvendorCost(NORMAL, 50, 64, 40, 0.18, 0.7)).toBeCloseTo(7.356131552870388, 12);
  });
  it("Example 4.4 (L = 4, so 5 periods of N(50, 8)): cost 4.466781004149578; at 180: 49.000164748034095", () => {
    const S = newsvendorLevel(NORMAL, 250, 5 * 64, 0.18, 0.7);
    expect(S).toBeCloseTo(264.7668943741548, 9);
    expect(newsvendorCost(NORMAL, 250, 320, S, 0.18, 0.7)).toBeCloseTo(4.466781004149578, 12);
    expect(newsvendorCost(NORMAL, 250, 320, 180, 0.18, 0.7)).toBeCloseTo(49.000164748034095, 10);
  });
  it("critical ratio p / (p + h), positive costs only", () => {
    expect(criticalRatio(4, 1)).toBe(0.8);
    expect(isCellError(criticalRatio(0, 1))).toBe(true);
  });
});

describe("(s, S) bad input", () => {
  it("names the field", () => {
    const e = optimalSS({ holdingCost: 1, shortageCost: 4, fixedCost: -5, demandMean: 6 });
    expect(isCellError(e) && e.message).toBe("fixedCost must be a number > 0, got -5");
    const l = optimalSS({ holdingCost: 1, shortageCost: 4, fixedCost: 5, demandMean: 6, leadTime: 1.5 });
    expect(isCellError(l) && l.message).toMatch(/^leadTime must be a whole number/);
    const s = sSCost(10, 4, { holdingCost: 1, shortageCost: 4, fixedCost: 5, demandMean: 6 });
    expect(isCellError(s) && s.message).toMatch(/reorderPoint < orderUpToLevel/);
  });
});
