import { logGamma, Random, streamKey } from "../../src/engine/random";
import ref from "../fixtures/random_reference.json";

// References: test/fixtures/random_reference.json, written by test/fixtures/gen_random.py (an
// independent pure-Python transcription of xoshiro128starstar.c, and scipy.stats for the sampler
// checkpoints).

describe("xoshiro128** 1.0", () => {
  it("gives the reference implementation's outputs from state {1, 2, 3, 4}", () => {
    // The published vector of rust-random/rngs, rand_xoshiro/src/xoshiro128starstar.rs, test
    // `reference` ("produced with the reference implementation (v1.1)").
    const r = new Random();
    r.setState(1, 2, 3, 4);
    const got = Array.from({ length: 10 }, () => r.nextUint32());
    expect(got).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849, 3729100597, 4258142804]);
  });
  it.each(ref.xoshiro128starstar.map((c) => [c.state.join(","), c]))("matches the Python transcription from state %s (64 outputs)", (_, c) => {
    const r = new Random();
    const s = (c as { state: number[] }).state;
    r.setState(s[0], s[1], s[2], s[3]);
    expect(Array.from({ length: 64 }, () => r.nextUint32())).toEqual((c as { outputs: number[] }).outputs);
  });
});

describe("seeding and uniforms", () => {
  it("is reproducible per key and differs between keys", () => {
    const a = new Random(7, 1, 2, 3);
    const b = new Random(7, 1, 2, 3);
    const c = new Random(7, 1, 2, 4);
    const xa = Array.from({ length: 20 }, () => a.nextUint32());
    expect(Array.from({ length: 20 }, () => b.nextUint32())).toEqual(xa);
    expect(Array.from({ length: 20 }, () => c.nextUint32())).not.toEqual(xa);
    a.seed(7, 1, 2, 3);
    expect(a.nextUint32()).toBe(xa[0]);
    expect(streamKey(7, 1, 2, 3)).not.toBe(streamKey(7, 2, 1, 3)); // order matters
  });
  it("uniform() is in [0, 1), uniformOpen() in (0, 1), both with mean 1/2 and variance 1/12", () => {
    const r = new Random(1);
    const n = 200000;
    let s = 0;
    let s2 = 0;
    let min = 1;
    let max = 0;
    for (let i = 0; i < n; i++) {
      const u = i % 2 ? r.uniform() : r.uniformOpen();
      s += u;
      s2 += u * u;
      if (u < min) min = u;
      if (u > max) max = u;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    const mean = s / n;
    expect(Math.abs(mean - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(s2 / n - mean * mean - 1 / 12)).toBeLessThan(0.002);
  });
  it("index(n) covers 0 .. n-1 evenly", () => {
    const r = new Random(3);
    const counts = new Array(7).fill(0);
    const n = 70000;
    for (let i = 0; i < n; i++) counts[r.index(7)]++;
    for (const c of counts) expect(Math.abs(c - n / 7)).toBeLessThan(5 * Math.sqrt((n * (1 / 7) * 6) / 7));
  });
});

describe("samplers against scipy.stats", () => {
  type Case = (typeof ref.samplers)[number];
  const draw = (r: Random, p: Case["params"]): number => {
    switch (p.kind) {
      case "poisson":
        return r.poisson(p.mean!);
      case "negativeBinomial":
        return r.negativeBinomial(p.mean!, p.variance!);
      case "gamma":
        return r.gamma(p.shape!, p.scale!);
      default:
        return r.normal();
    }
  };
  it.each(ref.samplers.map((c) => [c.name, c]))("%s: mean, variance and cdf at the checkpoints", (_, c) => {
    const cs = c as Case;
    const r = new Random(2024, 99);
    const n = 200000;
    const xs = new Float64Array(n);
    for (let i = 0; i < n; i++) xs[i] = draw(r, cs.params);
    let s = 0;
    for (const x of xs) s += x;
    const mean = s / n;
    let v = 0;
    for (const x of xs) v += (x - mean) * (x - mean);
    v /= n - 1;
    // 5 standard errors (a 6e-7 two-sided chance for a correct sampler)
    expect(Math.abs(mean - cs.mean)).toBeLessThan(5 * Math.sqrt(cs.variance / n));
    expect(Math.abs(v / cs.variance - 1)).toBeLessThan(0.05);
    for (const pt of cs.points) {
      let below = 0;
      for (const x of xs) if (x <= pt.x) below++;
      const p = pt.cdf;
      expect(Math.abs(below / n - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n) + 1e-12);
    }
  });
  it("draws nothing random for degenerate parameters", () => {
    const r = new Random(5);
    expect(r.poisson(0)).toBe(0);
    expect(r.gamma(2, 0)).toBe(0);
    expect(r.negativeBinomial(0, 4)).toBe(0);
  });
  it("only uses integers for the discrete samplers", () => {
    const r = new Random(6);
    for (let i = 0; i < 2000; i++) {
      expect(Number.isInteger(r.poisson(i % 2 ? 3.5 : 55))).toBe(true);
      expect(Number.isInteger(r.negativeBinomial(6, 20))).toBe(true);
    }
  });
});

describe("logGamma", () => {
  it.each([
    [1, 0],
    [2, 0],
    [0.5, 0.5 * Math.log(Math.PI)],
    [10, Math.log(362880)],
    [21, Math.log(2432902008176640000)],
    [1.5, Math.log(Math.sqrt(Math.PI) / 2)],
  ])("ln Gamma(%p)", (x, want) => {
    expect(Math.abs(logGamma(x) - want)).toBeLessThan(1e-13 * Math.max(1, Math.abs(want)));
  });
});

describe("ziggurat normal: tails and block edges", () => {
  it("P(Z <= x) at the tail boundary and beyond, 4 million draws", () => {
    const r = new Random(77, 5);
    const n = 4_000_000;
    const pts = ref.normalTail;
    const below = new Array(pts.length).fill(0);
    for (let i = 0; i < n; i++) {
      const z = r.normal();
      for (let k = 0; k < pts.length; k++) if (z <= pts[k].x) below[k]++;
    }
    pts.forEach((pt, k) => {
      const p = pt.cdf;
      expect(Math.abs(below[k] / n - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n) + 1e-12);
    });
  });
});
