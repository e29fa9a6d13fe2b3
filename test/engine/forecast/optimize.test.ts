/** The minimisers on functions whose minimum is known in closed form. */
import { Minimizer, Objective } from "../../../src/engine/forecast/optimize";

const obj = (f: (x: Float64Array) => number): Objective => ({ value: f });

describe("golden section with a start grid", () => {
  it("finds an interior minimum to the stated tolerance", () => {
    const m = new Minimizer();
    const x = new Float64Array(1);
    const f = m.golden(obj((p) => (p[0] - 0.3) ** 2 + 1), x, 0, 1);
    expect(Math.abs(x[0] - 0.3)).toBeLessThan(1e-6);
    expect(f).toBeCloseTo(1, 12);
    expect(m.evaluations).toBeLessThan(45);
  });

  it("returns a bound exactly when the minimum is on it", () => {
    const m = new Minimizer();
    const x = new Float64Array(1);
    m.golden(obj((p) => (p[0] + 1) ** 2), x, 0, 1);
    expect(x[0]).toBe(0);
    m.golden(obj((p) => -p[0]), x, 0, 1);
    expect(x[0]).toBe(1);
  });

  it("is not captured by a worse local minimum next to the start of a plain golden search", () => {
    // local minimum near 0.38, global near 0.9 (plain golden on [0, 1] starts at 0.38 / 0.62)
    const f = (t: number) => Math.cos(10 * t) - t;
    const m = new Minimizer();
    const x = new Float64Array(1);
    m.golden(obj((p) => f(p[0])), x, 0, 1);
    let best = 0;
    for (let i = 0; i <= 100000; i++) if (f(i / 100000) < f(best)) best = i / 100000;
    expect(Math.abs(x[0] - best)).toBeLessThan(1e-5);
  });
});

describe("Nelder-Mead with bounds by projection", () => {
  const lo = Float64Array.from([0, 0, 0, 0]);
  const hi = Float64Array.from([1, 1, 1, 1]);
  const step = Float64Array.from([0.1, 0.1, 0.1, 0.1]);

  it("finds an interior minimum", () => {
    const m = new Minimizer();
    const x = Float64Array.from([0.5, 0.5]);
    const f = obj((p) => (p[0] - 0.2) ** 2 + 3 * (p[1] - 0.7) ** 2 + (p[0] - 0.2) * (p[1] - 0.7));
    const v = m.polish(f, x, 2, lo, hi, step, 400, m.nelderMead(f, x, 2, lo, hi, step, 400));
    expect(Math.abs(x[0] - 0.2)).toBeLessThan(1e-5);
    expect(Math.abs(x[1] - 0.7)).toBeLessThan(1e-5);
    expect(v).toBeLessThan(1e-10);
  });

  it("lands exactly on a bound when the minimum is outside the box", () => {
    const m = new Minimizer();
    const x = Float64Array.from([0.5, 0.5, 0.5]);
    const f = obj((p) => (p[0] + 1) ** 2 + (p[1] - 0.4) ** 2 + (p[2] - 2) ** 2);
    m.polish(f, x, 3, lo, hi, step, 600, m.nelderMead(f, x, 3, lo, hi, step, 600));
    expect(x[0]).toBe(0);
    expect(x[2]).toBe(1);
    expect(Math.abs(x[1] - 0.4)).toBeLessThan(1e-5);
  });

  it("follows Rosenbrock's valley to its minimum in a box", () => {
    const m = new Minimizer();
    const x = Float64Array.from([0.1, 0.9]);
    const f = obj((p) => 100 * (p[1] - p[0] * p[0]) ** 2 + (1 - p[0]) ** 2);
    const big = Float64Array.from([2, 2]);
    const neg = Float64Array.from([-2, -2]);
    let v = m.nelderMead(f, x, 2, neg, big, step, 2000);
    v = m.polish(f, x, 2, neg, big, step, 2000, v);
    expect(Math.abs(x[0] - 1)).toBeLessThan(1e-3);
    expect(Math.abs(x[1] - 1)).toBeLessThan(2e-3);
    expect(v).toBeLessThan(1e-6);
  });
});
