import { halfWidth95, incompleteBeta, meanInterval, studentTCdf, studentTQuantile, tCritical95 } from "../../../src/engine/simulate/confidence";
import ref from "../../fixtures/random_reference.json";

// Student t reference values: mpmath at 40 digits, test/fixtures/gen_random.py.

describe("Student t", () => {
  it("quantiles match mpmath: relative 1e-12 for df 1 .. 10^4, 1e-11 at df 10^6", () => {
    for (const c of ref.studentT) {
      const got = studentTQuantile(c.p, c.df);
      const err = Math.abs(got - c.t) / Math.abs(c.t);
      expect(err).toBeLessThan(c.df <= 10000 ? 1e-12 : 1e-11);
    }
  });
  it("cdf matches mpmath (1e-14 absolute)", () => {
    for (const c of ref.studentTCdf) expect(Math.abs(studentTCdf(c.t, c.df) - c.cdf)).toBeLessThan(1e-14);
  });
  it("has the closed forms for df 1 and 2", () => {
    for (const p of [0.6, 0.9, 0.975, 0.999]) {
      expect(studentTQuantile(p, 1)).toBeCloseTo(Math.tan(Math.PI * (p - 0.5)), 9);
      expect(studentTQuantile(p, 2)).toBeCloseTo((2 * p - 1) / Math.sqrt(2 * p * (1 - p)), 11);
    }
  });
  it("tCritical95(n) is t(0.975, n - 1)", () => {
    const df4 = ref.studentT.find((c) => c.df === 4 && c.p === 0.975)!;
    expect(tCritical95(5)).toBeCloseTo(df4.t, 12);
    expect(tCritical95(1)).toBeNaN();
  });
  it("incomplete beta: I_x(1, 1) = x and I_x(a, b) = 1 - I_(1-x)(b, a)", () => {
    expect(incompleteBeta(0.3, 1, 1)).toBeCloseTo(0.3, 14);
    expect(incompleteBeta(0.2, 2.5, 4) + incompleteBeta(0.8, 4, 2.5)).toBeCloseTo(1, 14);
  });
});

describe("meanInterval", () => {
  it("is mean ± t(0.975, n-1) s / sqrt(n), skipping NaN", () => {
    const iv = meanInterval([1, 2, Number.NaN, 3, 4, 5]);
    expect(iv.n).toBe(5);
    expect(iv.mean).toBe(3);
    const t = ref.studentT.find((c) => c.df === 4 && c.p === 0.975)!.t;
    expect(iv.halfWidth).toBeCloseTo((t * Math.sqrt(2.5)) / Math.sqrt(5), 12);
    expect(halfWidth95(1, 0)).toBeNaN();
    expect(meanInterval([]).mean).toBeNaN();
  });
});
