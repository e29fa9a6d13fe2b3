import fc from "fast-check";
import {
  distributionCdf,
  distributionLoss,
  distributionMass,
  distributionQuantile,
  distributionSf,
  GAMMA,
  gammaParams,
  NEGBIN,
  negbinParams,
  NORMAL,
  NOTE_NEGBIN_TO_POISSON,
  parseDistribution,
  POISSON,
  resolveDistribution,
} from "../../../src/engine/distributions";
import { isCellError } from "../../../src/engine/errors";
import { normalLoss } from "../../../src/engine/stats";
import fixture from "../../fixtures/policy_distributions.json";

// Reference values: test/fixtures/policy_distributions.json, written by
// test/fixtures/gen_policy_distributions.py with scipy (losses there are tail sums / numerical
// integrals, not the closed forms used by the engine).

const CODES: Record<string, number> = { poisson: POISSON, negbin: NEGBIN, gamma: GAMMA };
const relErr = (got: number, want: number) => (want === 0 ? Math.abs(got) : Math.abs(got / want - 1));

describe("distributions against scipy", () => {
  for (const d of fixture.distributions) {
    const code = CODES[d.family];
    describe(`${d.family} mean ${d.mean} variance ${d.variance}`, () => {
      it("cdf, sf, mass and loss at each point", () => {
        for (const p of d.points) {
          // the smaller tail is the accurate one; the other is 1 minus it (absolute 1e-15)
          if (p.sf > 1e-300 && p.sf < 0.5) expect(relErr(distributionSf(code, d.mean, d.variance, p.x), p.sf)).toBeLessThan(1e-10);
          if (p.cdf > 1e-300 && p.cdf <= 0.5) expect(relErr(distributionCdf(code, d.mean, d.variance, p.x), p.cdf)).toBeLessThan(1e-10);
          expect(Math.abs(distributionCdf(code, d.mean, d.variance, p.x) - p.cdf)).toBeLessThan(1e-13);
          if (p.mass > 1e-300) expect(relErr(distributionMass(code, d.mean, d.variance, p.x), p.mass)).toBeLessThan(1e-10);
          const loss = distributionLoss(code, d.mean, d.variance, p.x);
          expect(Math.abs(loss - p.loss)).toBeLessThanOrEqual(1e-10 * Math.max(p.loss, 1e-4));
        }
      });
      it("quantiles", () => {
        for (const q of d.quantiles) {
          const got = distributionQuantile(code, d.mean, d.variance, q.p);
          if (code === GAMMA) expect(relErr(got, q.q)).toBeLessThan(1e-10);
          else expect(got).toBe(q.q);
        }
      });
    });
  }
});

// stockpyl's published loss-function values (LarrySnyder/stockpyl, tests/test_loss_functions.py):
// n(x) = E[(X - x)+] and n_bar(x) = E[(x - X)+] = n(x) - (mean - x). stockpyl truncates its sums,
// so it asserts these to 4 decimal places; ours agree to that and better with the scipy fixture.
describe("stockpyl loss-function examples", () => {
  const nBar = (code: number, m: number, v: number, x: number) => distributionLoss(code, m, v, x) - (m - x);
  it("Poisson(200) at 220: n = 0.536005857158494, n_bar = 20.536005857158482", () => {
    expect(distributionLoss(POISSON, 200, 200, 220)).toBeCloseTo(0.536005857158494, 7);
    expect(nBar(POISSON, 200, 200, 220)).toBeCloseTo(20.536005857158482, 7);
  });
  it("Poisson(7) at 5: n = 2.292599516747219, n_bar = 0.292600125697305 (4 places)", () => {
    expect(distributionLoss(POISSON, 7, 7, 5)).toBeCloseTo(2.292599516747219, 4);
    expect(nBar(POISSON, 7, 7, 5)).toBeCloseTo(0.292600125697305, 4);
  });
  it("negative binomial by mean and sd (4 places)", () => {
    const v1 = 8.819171036881968 ** 2;
    expect(distributionLoss(NEGBIN, 23.333333333333336, v1, 14)).toBeCloseTo(9.740089476453932, 4);
    expect(nBar(NEGBIN, 23.333333333333336, v1, 14)).toBeCloseTo(0.406758474515445, 4);
    expect(distributionLoss(NEGBIN, 23.333333333333336, v1, 28)).toBeCloseTo(1.805485505752903, 4);
    expect(nBar(NEGBIN, 23.333333333333336, v1, 28)).toBeCloseTo(6.472154141707762, 4);
    const v2 = 6.123724356957944 ** 2;
    expect(distributionLoss(NEGBIN, 15, v2, 10)).toBeCloseTo(5.533809274622726, 4);
    expect(nBar(NEGBIN, 15, v2, 10)).toBeCloseTo(0.533809274627819, 4);
  });
  it("normal(8, 3) at 11: n = 0.249946411763059 (the existing normal loss, scaled)", () => {
    expect(distributionLoss(NORMAL, 8, 9, 11)).toBeCloseTo(0.249946411763059, 12);
    expect(distributionLoss(NORMAL, 15, 25, 10.5)).toBeCloseTo(5.002155685433356, 12);
  });
});

describe("identities (property tests)", () => {
  const discrete = fc.record({
    code: fc.constantFrom(POISSON, NEGBIN),
    m: fc.double({ min: 0.01, max: 300, noNaN: true }),
    ratio: fc.double({ min: 1.01, max: 20, noNaN: true }),
  });
  it("discrete loss: n(k) - n(k + 1) = P(X > k), n(0) = mean, n decreasing and convex", () => {
    fc.assert(
      fc.property(discrete, fc.integer({ min: 0, max: 400 }), ({ code, m, ratio }, k) => {
        const v = code === POISSON ? m : m * ratio;
        const n0 = distributionLoss(code, m, v, k);
        const n1 = distributionLoss(code, m, v, k + 1);
        const n2 = distributionLoss(code, m, v, k + 2);
        const sf = distributionSf(code, m, v, k);
        expect(Math.abs(n0 - n1 - sf)).toBeLessThanOrEqual(1e-12 * Math.max(1, m));
        expect(n1).toBeLessThanOrEqual(n0);
        expect(n0 - n1).toBeGreaterThanOrEqual(n1 - n2 - 1e-12 * Math.max(1, m));
        expect(distributionLoss(code, m, v, 0)).toBeCloseTo(m, 10);
      }),
    );
  });
  it("quantile: P(X <= q) >= p > P(X <= q - 1)", () => {
    fc.assert(
      fc.property(discrete, fc.double({ min: 0.001, max: 0.9999, noNaN: true }), ({ code, m, ratio }, p) => {
        const v = code === POISSON ? m : m * ratio;
        const q = distributionQuantile(code, m, v, p);
        expect(Number.isInteger(q)).toBe(true);
        expect(distributionCdf(code, m, v, q)).toBeGreaterThanOrEqual(p - 1e-15);
        if (q > 0) expect(distributionCdf(code, m, v, q - 1)).toBeLessThan(p + 1e-15);
      }),
    );
  });
  it("gamma: the loss falls at the rate P(X > x) (numerical derivative)", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.1, max: 200, noNaN: true }), fc.double({ min: 0.05, max: 30, noNaN: true }), fc.double({ min: 0.1, max: 3, noNaN: true }), (m, cv, z) => {
        const v = (m * cv) ** 2 / Math.max(cv, 1); // keeps shapes in a sane range
        const x = m * z;
        const h = 1e-5 * Math.max(1, x);
        const slope = (distributionLoss(GAMMA, m, v, x - h) - distributionLoss(GAMMA, m, v, x + h)) / (2 * h);
        expect(Math.abs(slope - distributionSf(GAMMA, m, v, x))).toBeLessThan(1e-5);
      }),
    );
  });
  it("negative binomial tends to the Poisson as the variance tends to the mean", () => {
    for (const k of [0, 1, 3, 7]) {
      expect(distributionCdf(NEGBIN, 3, 3 * (1 + 1e-7), k)).toBeCloseTo(distributionCdf(POISSON, 3, 3, k), 6);
    }
  });
  it("loss of a real x between integers interpolates linearly (discrete)", () => {
    const a = distributionLoss(POISSON, 2.5, 2.5, 3);
    const b = distributionLoss(POISSON, 2.5, 2.5, 4);
    expect(distributionLoss(POISSON, 2.5, 2.5, 3.25)).toBeCloseTo(0.75 * a + 0.25 * b, 14);
  });
  it("normal family is the existing normal loss", () => {
    expect(distributionLoss(NORMAL, 100, 400, 130)).toBe(20 * normalLoss(1.5));
  });
});

describe("degenerate cases", () => {
  it("no demand: all mass at 0", () => {
    for (const code of [POISSON, NEGBIN, GAMMA]) {
      expect(distributionQuantile(code, 0, 0, 0.99)).toBe(0);
      expect(distributionLoss(code, 0, 0, 0)).toBe(0);
      expect(distributionCdf(code, 0, 0, 0)).toBe(1);
    }
  });
  it("normal and gamma with variance 0: all mass at the mean", () => {
    expect(distributionQuantile(NORMAL, 12, 0, 0.95)).toBe(12);
    expect(distributionQuantile(GAMMA, 12, 0, 0.95)).toBe(12);
    expect(distributionLoss(GAMMA, 12, 0, 10)).toBe(2);
  });
  it("negative levels: loss = mean - x, cdf 0", () => {
    expect(distributionLoss(POISSON, 2, 2, -3)).toBe(5);
    expect(distributionCdf(NEGBIN, 2, 5, -1)).toBe(0);
  });
});

describe("choosing the distribution", () => {
  it("parses names and aliases in any case; blank is normal", () => {
    expect(parseDistribution("Poisson")).toBe("poisson");
    expect(parseDistribution(" NBINOM ")).toBe("negbin");
    expect(parseDistribution("negative binomial")).toBe("negbin");
    expect(parseDistribution("Negative_Binomial")).toBe("negbin");
    expect(parseDistribution("gamma")).toBe("gamma");
    expect(parseDistribution("AUTO")).toBe("auto");
    expect(parseDistribution("")).toBe("normal");
    expect(parseDistribution(null)).toBe("normal");
    const bad = parseDistribution("weibull");
    expect(isCellError(bad) && bad.message).toMatch(/distribution must be one of normal, poisson, negbin, gamma, auto; got "weibull"/);
    expect(isCellError(parseDistribution(3))).toBe(true);
  });
  it("auto by pattern: smooth/erratic normal, intermittent/lumpy negative binomial", () => {
    expect(resolveDistribution("auto", 50, 80, 0).code).toBe(NORMAL);
    expect(resolveDistribution("auto", 50, 80, 1).code).toBe(NORMAL);
    expect(resolveDistribution("auto", 2, 5, 2).code).toBe(NEGBIN);
    expect(resolveDistribution("auto", 2, 5, 3).code).toBe(NEGBIN);
  });
  it("auto without a pattern: discrete below 10 units over the interval", () => {
    expect(resolveDistribution("auto", 9.9, 20).code).toBe(NEGBIN);
    expect(resolveDistribution("auto", 10, 20).code).toBe(NORMAL);
  });
  it("negative binomial with variance <= mean falls back to the Poisson, and says so", () => {
    const r = resolveDistribution("negbin", 2, 1.5);
    expect(r.code).toBe(POISSON);
    expect(r.note).toBe(NOTE_NEGBIN_TO_POISSON);
    const lumpyButUnderdispersed = resolveDistribution("auto", 2, 2, 3);
    expect(lumpyButUnderdispersed.code).toBe(POISSON);
    expect(resolveDistribution("negbin", 0, 0).note).toBe(0); // no demand: nothing to say
  });
  it("moment fits", () => {
    expect(negbinParams(23.333333333333336, 77.77777777777779).r).toBeCloseTo(10, 12);
    expect(negbinParams(23.333333333333336, 77.77777777777779).p).toBeCloseTo(0.3, 14);
    expect(gammaParams(10, 20)).toEqual({ shape: 5, scale: 2 });
  });
});
