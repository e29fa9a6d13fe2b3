import { readFileSync } from "node:fs";
import path from "node:path";
import { atLeast, atMost, classifyAbc, consumptionValues, defaultAbcLabels } from "../../src/engine/abc";
import { ArgumentError, cellError } from "../../src/engine/errors";

interface AbcCase {
  name: string;
  values: (number | null)[];
  cutoffs: string[];
  classes: number[];
  cumShare: (number | null)[];
  rank: number[];
  total: number;
  boundaryHits: number;
}
const fixture = JSON.parse(readFileSync(path.join(__dirname, "../fixtures/classify_reference.json"), "utf8")) as { abc: AbcCase[] };

const labelsOf = (r: ReturnType<typeof classifyAbc>) => Array.from(r.abc, (k) => (k >= 0 ? r.labels[k] : "!"));

describe("classifyAbc", () => {
  it("classifies the documented example 50,30,10,5,3,2 as A,A,B,B,C,C (cumShare includes the row)", () => {
    const r = classifyAbc([50, 30, 10, 5, 3, 2]);
    expect(labelsOf(r)).toEqual(["A", "A", "B", "B", "C", "C"]);
    expect(Array.from(r.cumShare)).toEqual([0.5, 0.8, 0.9, 0.95, 0.98, 1]);
    expect(Array.from(r.share)).toEqual([0.5, 0.3, 0.1, 0.05, 0.03, 0.02]);
    expect(r.total).toBe(100);
  });

  it("keeps the output aligned with the input order", () => {
    const r = classifyAbc([3, 50, 2, 10, 30, 5]);
    expect(labelsOf(r)).toEqual(["C", "A", "C", "B", "A", "B"]);
    expect(Array.from(r.rank)).toEqual([5, 1, 6, 3, 2, 4]);
    expect(Array.from(r.order)).toEqual([1, 4, 3, 5, 0, 2]);
  });

  it("ranks tied values in input order, so a tie can straddle a cut-off", () => {
    const r = classifyAbc([10, 40, 10, 10, 30], { cutoffs: [0.75, 0.95], labels: ["A", "B", "C"] });
    // 40 (.4) 30 (.7) then the three 10s in input order: .8, .9, 1.0
    expect(Array.from(r.rank)).toEqual([3, 1, 4, 5, 2]);
    expect(labelsOf(r)).toEqual(["B", "A", "B", "C", "A"]);
  });

  it("gives more classes for more cut-offs, with default labels A, B, C, D", () => {
    const r = classifyAbc([35, 25, 15, 10, 8, 4, 2, 1], { cutoffs: [0.5, 0.75, 0.9] });
    expect(r.labels).toEqual(["A", "B", "C", "D"]);
    expect(labelsOf(r)).toEqual(["A", "B", "B", "C", "D", "D", "D", "D"]);
    expect(defaultAbcLabels(28).slice(24)).toEqual(["Y", "Z", "C27", "C28"]);
  });

  it("uses custom labels", () => {
    const r = classifyAbc([50, 30, 20], { cutoffs: [0.6], labels: ["top", "rest"] });
    expect(labelsOf(r)).toEqual(["top", "rest", "rest"]);
  });

  it("leaves rejected rows out of the total and gives them an issue", () => {
    const marked = new Map([[1, cellError('text "abc" is not a number')]]);
    const r = classifyAbc([50, 999, 30, -4, 10, NaN, 5, Infinity, 3, 2], { issues: marked });
    expect(r.total).toBe(100);
    expect(labelsOf(r)).toEqual(["A", "!", "A", "!", "B", "!", "B", "!", "C", "C"]);
    expect(r.issues.get(1)?.message).toBe('text "abc" is not a number');
    expect(r.issues.get(3)?.message).toBe("value -4 is negative");
    expect(r.issues.get(5)?.message).toMatch(/NaN is not a finite number/);
    expect(r.issues.get(7)?.message).toMatch(/Infinity is not a finite number/);
    expect(r.issues.get(1)?.kind).toBe("value");
    expect(Number.isNaN(r.cumShare[3])).toBe(true);
    expect(r.rank[3]).toBe(0);
    expect(r.order.length).toBe(6);
  });

  it("turns a zero total into an 'na' issue on every accepted row", () => {
    const r = classifyAbc([0, 0, -1]);
    expect(Array.from(r.abc)).toEqual([-1, -1, -1]);
    expect(r.issues.get(0)).toEqual({ kind: "na", message: "total value is 0: value shares are undefined" });
    expect(r.issues.get(2)?.kind).toBe("value");
    expect(classifyAbc([]).abc.length).toBe(0);
  });

  it("puts an item exactly on a cut-off in the lower class despite rounding in the running sum", () => {
    // 5.73 + 2.47 is exactly 80% of 10.25, but the plain double ratio comes out above 0.8.
    expect((5.73 + 2.47) / (5.73 + 2.47 + 2.05)).toBeGreaterThan(0.8);
    const r = classifyAbc([5.73, 2.47, 2.05], { cutoffs: [0.8], labels: ["A", "B"] });
    expect(labelsOf(r)).toEqual(["A", "A", "B"]);
    expect(Math.abs(r.cumShare[1] - 0.8)).toBeLessThan(1e-15);
    // ...but a share measurably above the cut-off is not pulled down.
    const s = classifyAbc([0.7, 0.1000001, 0.0999999, 0.1]);
    expect(labelsOf(s)).toEqual(["A", "B", "C", "B"]); // 0.8000001 is B; 0.0999999 ranks last
    expect(atMost(0.8 + 1e-13, 0.8)).toBe(true);
    expect(atMost(0.8 + 1e-9, 0.8)).toBe(false);
    expect(atLeast(0.49 - 1e-13, 0.49)).toBe(true);
    expect(atLeast(0.49 - 1e-9, 0.49)).toBe(false);
  });

  it("handles values near the top of the double range without overflowing the total", () => {
    const r = classifyAbc([1e308, 1e308, 5e307, 5e307]);
    expect(labelsOf(r)).toEqual(["A", "A", "B", "C"]);
    expect(r.cumShare[1]).toBeCloseTo(2 / 3, 12);
    expect(Number.isFinite(r.share[0])).toBe(true);
  });

  it("gives the same classes, order and total with classesOnly, without the per-row detail", () => {
    const values = [5, NaN, 40, 5, 0, 12.5, 30, -1, 7.5];
    const full = classifyAbc(values, { cutoffs: [0.5, 0.9] });
    const lean = classifyAbc(values, { cutoffs: [0.5, 0.9], classesOnly: true });
    expect(Array.from(lean.abc)).toEqual(Array.from(full.abc));
    expect(Array.from(lean.order)).toEqual(Array.from(full.order));
    expect(lean.total).toBe(full.total);
    expect(lean.issues).toEqual(full.issues);
    expect([lean.share.length, lean.cumShare.length, lean.rank.length]).toEqual([0, 0, 0]);
    expect(Array.from(full.abc)).toEqual([2, -1, 0, 2, 2, 1, 1, -1, 1]);
  });

  it("treats -0 as 0 and sorts it with the zeros", () => {
    const r = classifyAbc([-0, 5, 0], { cutoffs: [0.5], labels: ["A", "B"] });
    expect(Array.from(r.rank)).toEqual([2, 1, 3]);
  });

  it("rejects bad cut-offs and labels with an ArgumentError naming the argument", () => {
    expect(() => classifyAbc([1], { cutoffs: [0.9, 0.8] })).toThrow(ArgumentError);
    expect(() => classifyAbc([1], { cutoffs: [0.9, 0.8] })).toThrow(/^cutoffs: must be strictly increasing/);
    expect(() => classifyAbc([1], { cutoffs: [0.8, 0.8] })).toThrow(/^cutoffs/);
    expect(() => classifyAbc([1], { cutoffs: [0, 0.8] })).toThrow(/^cutoffs: cut-off 1/);
    expect(() => classifyAbc([1], { cutoffs: [0.8, 1.2] })).toThrow(/^cutoffs: cut-off 2/);
    expect(() => classifyAbc([1], { cutoffs: [NaN] })).toThrow(/^cutoffs/);
    expect(() => classifyAbc([1], { cutoffs: [] })).toThrow(/^cutoffs/);
    expect(() => classifyAbc([1], { labels: ["A", "B"] })).toThrow(/^labels: expected 3 labels/);
    expect(() => classifyAbc([1], { cutoffs: [0.5], labels: ["A", "A"] })).toThrow(/^labels: label "A" appears twice/);
    expect(() => classifyAbc([1], { cutoffs: [0.5], labels: ["A", " "] })).toThrow(/^labels: label 2 is empty/);
    // a last cut-off of 1 is allowed: the last class then only holds rows above 100% (none)
    expect(labelsOf(classifyAbc([3, 1], { cutoffs: [0.5, 1] }))).toEqual(["B", "B"]);
  });

  describe("matches the exact-arithmetic reference (test/fixtures/classify_reference.py)", () => {
    it("exercises rows that sit exactly on a cut-off", () => {
      expect(fixture.abc.reduce((s, c) => s + c.boundaryHits, 0)).toBeGreaterThan(5);
    });
    for (const c of fixture.abc) {
      it(c.name, () => {
        const values = c.values.map((v) => (v === null ? NaN : v));
        const r = classifyAbc(values, { cutoffs: c.cutoffs.map(Number) });
        expect(Array.from(r.abc)).toEqual(c.classes);
        expect(Array.from(r.rank)).toEqual(c.rank);
        if (c.total > 0) expect(r.total).toBe(c.total);
        c.cumShare.forEach((x, i) => {
          if (x === null) expect(Number.isNaN(r.cumShare[i])).toBe(true);
          else expect(Math.abs(r.cumShare[i] - x)).toBeLessThan(1e-13);
        });
      });
    }
  });

  it("sorts large inputs like a plain stable comparison sort, including long runs of near-equal values", () => {
    // Values engineered to share the high 32 bits of their IEEE pattern (1 + tiny offsets) so the
    // low-word run sort is used for long runs, mixed with ties and ordinary values.
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const n = 20000;
    const values = Array.from({ length: n }, (_, i) => {
      const u = rnd();
      if (i % 3 === 0) return 1 + Math.floor(rnd() * 4000) * 2 ** -45;
      if (u < 0.3) return Math.floor(rnd() * 50);
      return Math.exp(rnd() * 12);
    });
    const r = classifyAbc(values);
    const expected = values.map((v, i) => i).sort((a, b) => values[b] - values[a] || a - b);
    expect(Array.from(r.order)).toEqual(expected);
    expected.forEach((row, k) => expect(r.rank[row]).toBe(k + 1));
  });
});

describe("consumptionValues", () => {
  it("multiplies quantity by unit cost and rejects negative, non-finite or overflowing rows", () => {
    const { values, issues } = consumptionValues([10, 2, -1, 5, 1e200, 3], [2.5, 4, 3, -2, 1e200, NaN], new Map([[5, cellError("marked")]]));
    expect(Array.from(values.slice(0, 2))).toEqual([25, 8]);
    expect(issues.get(2)?.message).toBe("quantity -1 is negative");
    expect(issues.get(3)?.message).toBe("unit cost -2 is negative");
    expect(issues.get(4)?.message).toMatch(/too large/);
    expect(issues.get(5)?.message).toBe("marked");
    expect(() => consumptionValues([1, 2], [1])).toThrow(/^values: quantity has 2 rows but unit cost has 1/);
  });
});
