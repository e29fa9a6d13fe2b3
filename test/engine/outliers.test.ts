import { readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { hampel7Wasm } from "../../src/engine/kernels/hampel7";
import { hampel, hampel7Ts, hampelInto, hampelSettings, hampelSorted } from "../../src/engine/outliers";

const fixture = JSON.parse(readFileSync(path.join(__dirname, "../fixtures/classify_reference.json"), "utf8")) as {
  hampel: { series: number[]; filtered: number[]; filteredK2T2: number[] }[];
};

describe("hampel", () => {
  it("replaces a promotional spike in a steady series by the window median", () => {
    const x = [40, 42, 38, 41, 240, 39, 40, 43, 41];
    const { filtered, outlier } = hampel(x);
    // window of period 5: 42 38 41 240 39 40 43 → median 41, MAD 2 → limit 3·1.4826·2 ≈ 8.9
    expect(filtered[4]).toBe(41);
    expect(Array.from(outlier)).toEqual([0, 0, 0, 0, 1, 0, 0, 0, 0]);
    expect(Array.from(filtered).filter((_, i) => i !== 4)).toEqual(x.filter((_, i) => i !== 4));
  });

  it("leaves intermittent demand alone: a window whose median is 0 flags nothing", () => {
    const x = [0, 0, 5, 0, 0, 0, 9, 0, 0, 12, 0];
    expect(Array.from(hampel(x).filtered)).toEqual(x);
  });

  it("flags any deviation in a perfectly flat stretch (MAD 0, median > 0), as the plain rule does", () => {
    const x = [10, 10, 10, 10, 30, 10, 10, 10];
    expect(Array.from(hampel(x).filtered)).toEqual([10, 10, 10, 10, 10, 10, 10, 10]);
  });

  it("uses windows cut short at the ends (period 1 sees periods 1..4)", () => {
    // period 1's window is 100,10,11,12 → median 11.5, MAD median(88.5,1.5,.5,.5) = 1 → flagged.
    expect(hampel([100, 10, 11, 12, 10, 11, 12]).filtered[0]).toBe(11.5);
    expect(Array.from(hampel([7]).filtered)).toEqual([7]);
    expect(Array.from(hampel([]).filtered)).toEqual([]);
  });

  it("filters a row inside a larger array and counts the replacements", () => {
    const src = [1, 2, 3, 40, 42, 38, 41, 240, 39, 40, 9];
    const dst = new Float64Array(7);
    expect(hampelInto(src, 3, 7, dst, hampelSettings())).toBe(1);
    // 240's window is cut at the row's end: 42 38 41 240 39 40 → median 40.5 (the 9 after the row is not read)
    expect(Array.from(dst)).toEqual([40, 42, 38, 41, 40.5, 39, 40]);
  });

  it("validates its settings", () => {
    expect(() => hampelSettings({ halfWidth: 0 })).toThrow(/halfWidth/);
    expect(() => hampelSettings({ halfWidth: 2.5 })).toThrow(/halfWidth/);
    expect(() => hampelSettings({ threshold: 0 })).toThrow(/threshold/);
  });

  it("matches the per-window numpy reference (test/fixtures/classify_reference.py)", () => {
    let changed = 0;
    // Medians of even windows may differ from numpy's (a+b)/2 in the last bit: compare to 1e-12.
    const close = (got: Float64Array, want: number[]) => {
      expect(got.length).toBe(want.length);
      want.forEach((w, i) => expect(Math.abs(got[i] - w)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(w))));
    };
    for (const s of fixture.hampel) {
      close(hampel(s.series).filtered, s.filtered);
      close(hampel(s.series, { halfWidth: 2, threshold: 2 }).filtered, s.filteredK2T2);
      if (s.filtered.some((v, i) => v !== s.series[i])) changed++;
    }
    expect(changed).toBeGreaterThan(10); // the fixture does contain outliers
  });
});

describe("hampel, 7-period kernels", () => {
  it("runs the WebAssembly kernel here (Node 20 has WebAssembly SIMD), so the tests below test it", () => {
    expect(hampel7Wasm).toBeDefined();
  });

  const kernels = [
    ["WebAssembly", hampel7Wasm!],
    ["TypeScript", hampel7Ts],
  ] as const;

  it.each(kernels)("%s: gives exactly the sorted-window filter's result (ties, zeros, flat stretches, any length)", (_, kernel) => {
    const value = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 1000 }), fc.double({ min: 0, max: 1e6, noNaN: true }));
    fc.assert(
      fc.property(fc.array(value, { maxLength: 40 }), fc.constantFrom(0.5, 1, 2, 3, 5), fc.integer({ min: 0, max: 3 }), (xs, threshold, pad) => {
        const src = Float64Array.from([...Array(pad).fill(7), ...xs, ...Array(pad).fill(9)]);
        const s = hampelSettings({ threshold });
        const a = new Float64Array(xs.length);
        const b = new Float64Array(xs.length);
        const na = hampelInto(src, pad, xs.length, a, s, undefined, kernel);
        const nb = hampelSorted(src, pad, xs.length, b, s);
        expect(Array.from(a)).toEqual(Array.from(b));
        expect(na).toBe(nb);
      }),
      { numRuns: 2000 },
    );
  });

  it.each(kernels)("%s: agrees with the sorted-window filter on every order of seven distinct values in the centre window", (_, kernel) => {
    // Squares make the gaps between order statistics all different, so a wrong median or MAD
    // (a comparator missing from the sorting network) changes some decision at one of the thresholds.
    const values = [1, 4, 9, 16, 25, 36, 49];
    const perms: number[][] = [];
    const permute = (rest: number[], done: number[]) => {
      if (rest.length === 0) perms.push(done);
      rest.forEach((v, i) => permute([...rest.slice(0, i), ...rest.slice(i + 1)], [...done, v]));
    };
    permute(values, []);
    expect(perms.length).toBe(5040);
    let flagged = 0;
    const differing: string[] = [];
    for (const threshold of [0.05, 0.2, 0.5, 1]) {
      const s = hampelSettings({ threshold });
      for (const p of perms) {
        // 7 values (one whole window) and 8 (two, the second also whole after a shift)
        for (const xs of [p, [...p, p[0]]]) {
          const src = Float64Array.from(xs);
          const a = new Float64Array(xs.length);
          const b = new Float64Array(xs.length);
          const na = hampelInto(src, 0, xs.length, a, s, undefined, kernel);
          const nb = hampelSorted(src, 0, xs.length, b, s);
          if (na !== nb || a.some((v, i) => v !== b[i])) differing.push(`${xs} at threshold ${threshold}`);
          if (a[3] !== src[3]) flagged++;
        }
      }
    }
    expect(differing.slice(0, 5)).toEqual([]);
    expect(flagged).toBeGreaterThan(1000); // the centre period is replaced in many of them
  });

  it("WebAssembly: a long row (memory grows) and rows of changing length give the TypeScript kernel's results", () => {
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const s = hampelSettings();
    for (const n of [20_000, 9, 104, 7, 105, 104]) {
      const src = Float64Array.from({ length: n + 5 }, () => (rand() < 0.1 ? 0 : Math.round(100 * rand() * (rand() < 0.05 ? 8 : 1))));
      const a = new Float64Array(n);
      const b = new Float64Array(n);
      expect(hampelInto(src, 5, n, a, s, undefined, hampel7Wasm!)).toBe(hampelInto(src, 5, n, b, s, undefined, hampel7Ts));
      expect(a).toEqual(b);
    }
  });
});
