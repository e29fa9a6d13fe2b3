import { aggregateHistory, aggregateStats, allocAggregates } from "../../../src/engine/aggregates";
import { classifyPattern } from "../../../src/engine/pattern";
import { classifyXyz, historyFromArray } from "../../../src/engine/xyz";

function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function randomHistory(n: number, P: number, seed: number): Float64Array {
  const r = lcg(seed);
  const h = new Float64Array(n * P);
  for (let i = 0; i < n; i++) {
    const p0 = r(); // share of zero periods
    const scale = 1 + 100 * r();
    for (let j = 0; j < P; j++) h[i * P + j] = r() < p0 ? 0 : Math.round(scale * r() * 10) / 10;
  }
  for (let j = 0; j < P; j++) h[3 * P + j] = 0; // one SKU without demand
  h[5 * P + 2] = 7; // one with a single demand
  return h;
}

describe("aggregate statistics = the full-history engine", () => {
  const n = 400;
  const P = 52;
  const h = randomHistory(n, P, 99);
  test.each(["population", "sample"] as const)("dense aggregates, sd %s", (sdType) => {
    const stats = aggregateStats(aggregateHistory(h, n, P), { sdType });
    const xyz = classifyXyz(historyFromArray(h, n, P), { sdType });
    const pat = classifyPattern(historyFromArray(h, n, P));
    for (let i = 0; i < n; i++) {
      expect(stats.demandMean[i]).toBeCloseTo(xyz.mean[i], 10);
      expect(stats.demandSd[i]).toBeCloseTo(xyz.sd[i], 9);
      expect(stats.xyz[i]).toBe(xyz.xyz[i]);
      expect(stats.pattern[i]).toBe(pat.pattern[i]);
      if (Number.isNaN(pat.adi[i])) expect(stats.adi[i]).toBeNaN();
      else {
        expect(stats.adi[i]).toBeCloseTo(pat.adi[i], 12);
        expect(stats.cv2[i]).toBeCloseTo(pat.cv2[i], 9);
      }
    }
    expect(stats.invalid.size).toBe(0);
  });
  test("sparse aggregates (zero periods absent from the table) give the same result", () => {
    // what SQL sees when zero rows are left out: only the non-zero periods are rows
    const a = allocAggregates(n, P);
    for (let i = 0; i < n; i++) {
      const xs: number[] = [];
      let first = NaN;
      let last = NaN;
      for (let j = 0; j < P; j++) {
        const v = h[i * P + j];
        if (v > 0) {
          xs.push(v);
          if (Number.isNaN(first)) first = j;
          last = j;
        }
      }
      const s = xs.reduce((x, y) => x + y, 0);
      const m = xs.length ? s / xs.length : 0;
      const v = xs.length ? xs.reduce((acc, x) => acc + (x - m) ** 2, 0) / xs.length : 0;
      a.rows[i] = xs.length;
      a.sum[i] = s;
      a.varPop[i] = v;
      a.nzCount[i] = xs.length;
      a.nzSum[i] = s;
      a.nzVarPop[i] = v;
      a.firstNz[i] = first;
      a.lastNz[i] = last;
    }
    const sparse = aggregateStats(a);
    const xyz = classifyXyz(historyFromArray(h, n, P));
    for (let i = 0; i < n; i++) {
      expect(sparse.demandSd[i]).toBeCloseTo(xyz.sd[i], 9);
      expect(sparse.xyz[i]).toBe(xyz.xyz[i]);
    }
  });
  test("demand interval and invalid rows", () => {
    const a = aggregateHistory(Float64Array.from([0, 4, 0, 0, 4, 0, 4, 0]), 1, 8);
    const s = aggregateStats(a);
    expect(s.adi[0]).toBeCloseTo(8 / 3, 12); // counts the leading and trailing zeros
    expect(s.demandInterval[0]).toBe(2.5); // periods 1, 4, 6: gaps 3 and 2
    a.rows[0] = 9;
    expect(aggregateStats(a).invalid.get(0)).toBe("9 period rows for 8 periods: the table has more than one row per key and period");
  });
});

