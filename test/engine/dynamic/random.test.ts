import { fmix32, nextUint32, normalOfUniform, RandomStream, seedStream, uniformOf } from "../../../src/engine/random";
import { zFromServiceLevel } from "../../../src/engine/stats";

describe("xoshiro128**", () => {
  it("matches the reference C implementation's outputs and states", () => {
    // Test data generated with the reference implementation (prng.di.unimi.it/xoshiro128starstar.c),
    // as published in github.com/edorfaus/xoshiro-6502, test-rom/testdata.asm: seed words, then the
    // first four ** outputs and the state after each step.
    const state = Uint32Array.from([0x964d4a0c, 0xd40ab895, 0xad7fdecb, 0x3006f0f0]);
    const outputs = [0xf1391922, 0x6fe53806, 0xa5be2840, 0xf510ee70];
    const states = [
      [0x72410269, 0xef382c52, 0x2e43bec7, 0x62432f20],
      [0xff3a011b, 0xb33a90fc, 0x2c5a18ae, 0xd81b946b],
      [0x941b058c, 0x605a8949, 0xa641e1b5, 0x0824bb59],
      [0xfc65379c, 0x52006d70, 0x87487639, 0xf1908343],
    ];
    outputs.forEach((want, i) => {
      expect(nextUint32(state)).toBe(want);
      expect(Array.from(state)).toEqual(states[i]);
    });
  });

  it("seeds one distinct stream per (seed, stream) and repeats it exactly", () => {
    const a = new RandomStream(42, 7);
    const b = new RandomStream(42, 7);
    const xs = Array.from({ length: 5 }, () => a.uint32());
    expect(Array.from({ length: 5 }, () => b.uint32())).toEqual(xs);
    expect(new RandomStream(42, 8).uint32()).not.toBe(xs[0]);
    expect(new RandomStream(43, 7).uint32()).not.toBe(xs[0]);
    const s = new Uint32Array(4);
    seedStream(0, 0, s);
    expect(Array.from(s).some((w) => w !== 0)).toBe(true);
  });

  it("fmix32 is MurmurHash3's finaliser: 0 stays 0, and it is a bijection on a sample", () => {
    expect(fmix32(0)).toBe(0);
    const seen = new Set<number>();
    for (let i = 0; i < 1 << 16; i++) seen.add(fmix32(i * 65537));
    expect(seen.size).toBe(1 << 16);
  });

  it("gives uniforms strictly inside (0, 1) with the right mean and variance", () => {
    expect(uniformOf(0)).toBe(0.5 / 2 ** 32);
    expect(uniformOf(0xffffffff)).toBe(1 - 0.5 / 2 ** 32);
    const r = new RandomStream(1);
    let s = 0;
    let s2 = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const u = r.uniform();
      s += u;
      s2 += u * u;
    }
    // mean 1/2 (sd of the estimate 0.00065), variance 1/12
    expect(Math.abs(s / n - 0.5)).toBeLessThan(0.003);
    expect(Math.abs(s2 / n - (s / n) ** 2 - 1 / 12)).toBeLessThan(0.002);
  });
});

describe("Acklam's inverse normal", () => {
  it("is within 1.15e-9 relative of the exact quantile over (0, 1), tails included", () => {
    const ps = [1e-10, 1e-6, 0.001, 0.02, 0.02425, 0.0243, 0.1, 0.3, 0.5 + 1e-9, 0.7, 0.9, 0.975, 0.97575, 0.999, 1 - 1e-7];
    for (const p of ps) {
      const z = zFromServiceLevel(p);
      expect(Math.abs(normalOfUniform(p) - z)).toBeLessThanOrEqual(1.2e-9 * Math.max(Math.abs(z), 1e-3));
    }
    expect(normalOfUniform(0.5)).toBe(0);
    // symmetric: z(1 - u) = -z(u) for the uniforms the generator makes (1 - u is exact for them)
    for (const x of [0, 1000, 0x40000000, 0x7fffffff, 123456789]) expect(normalOfUniform(1 - uniformOf(x))).toBe(-normalOfUniform(uniformOf(x)));
  });

  it("gives standard normal draws (mean 0, sd 1, tail share)", () => {
    const r = new RandomStream(2026);
    const n = 200_000;
    let s = 0;
    let s2 = 0;
    let beyond = 0;
    for (let i = 0; i < n; i++) {
      const z = r.normal();
      s += z;
      s2 += z * z;
      if (Math.abs(z) > 1.959964) beyond++;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.01); // sd of the estimate 0.0022
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.015); // sd 0.0032
    expect(Math.abs(beyond / n - 0.05)).toBeLessThan(0.003); // sd 0.00049
  });
});
