import fc from "fast-check";
import { classifyAbc } from "../../../src/engine/abc";
import {
  churnFigures,
  classifyAbcStable,
  classifyPatternStable,
  classifyXyzStable,
  controlClasses,
  HELD_BAND,
  HELD_NONE,
  HELD_TENURE,
  migrationMatrix,
  validateBands,
} from "../../../src/engine/churn";
import { ArgumentError } from "../../../src/engine/errors";
import { classifyPattern, PATTERN_LABELS } from "../../../src/engine/pattern";
import { classifyXyz, historyFromArray, XYZ_LABELS } from "../../../src/engine/xyz";

/** Values whose second-ranked SKU ("S", row 1) has cumulative share exactly `share` (60 + s out of 100). */
const valuesWithShare = (share: number) => {
  const s = Math.round(share * 100) - 60;
  const rest = 100 - 60 - s;
  return [60, s, rest / 3, rest / 3, rest / 3];
};

/** Runs an ABC sequence, feeding each run's classes and tenures into the next. */
function abcRuns(shares: number[], band: number, minTenure = 0) {
  let previous: string[] | undefined;
  let tenure: Float64Array | undefined;
  const out: { label: string; held: number; plain: string }[] = [];
  for (const share of shares) {
    const r = classifyAbcStable(valuesWithShare(share), { band, previous, tenure, minTenure });
    const labels = Array.from(r.abc, (k) => r.labels[k]);
    out.push({ label: labels[1], held: r.held[1], plain: r.labels[r.plainAbc[1]] });
    previous = labels;
    tenure = Float64Array.from(r.tenure);
  }
  return out;
}

describe("ABC hysteresis on a SKU oscillating around 80 %", () => {
  it("stays put inside the band and moves outside it (band 0.02)", () => {
    // cumShare of S: 0.79 A, 0.81 (plain B, inside A's band up to 0.82) A, 0.79 A, 0.83 (beyond 0.82) B,
    // 0.79 (plain A, inside B's band down to 0.78) B, 0.81 B, 0.77 (beyond 0.78) A
    const runs = abcRuns([0.79, 0.81, 0.79, 0.83, 0.79, 0.81, 0.77], 0.02);
    expect(runs.map((r) => r.label)).toEqual(["A", "A", "A", "B", "B", "B", "A"]);
    expect(runs.map((r) => r.plain)).toEqual(["A", "B", "A", "B", "A", "B", "A"]);
    expect(runs.map((r) => r.held)).toEqual([HELD_NONE, HELD_BAND, HELD_NONE, HELD_NONE, HELD_BAND, HELD_NONE, HELD_NONE]);
  });

  it("flips every run without a band", () => {
    expect(abcRuns([0.79, 0.81, 0.79, 0.81], 0).map((r) => r.label)).toEqual(["A", "B", "A", "B"]);
  });

  it("treats the band's far edge by the same <= rule: 0.82 is still inside for a previous A", () => {
    expect(abcRuns([0.79, 0.82], 0.02).map((r) => r.label)).toEqual(["A", "A"]);
    // and for a previous B, 0.78 is the lower class's side (<= 0.78 is A)
    expect(abcRuns([0.83, 0.78], 0.02).map((r) => r.label)).toEqual(["B", "A"]);
  });

  it("holds a class for the minimum tenure, then lets it go", () => {
    // T = 3: the first A is held for three runs (0.85 in run 2 would move it), then A (tenure 3) →
    // B at 0.85, outside the band; 0.70 is plainly A, but B has tenure 1, then 2 < 3 → held; at
    // tenure 3 the SKU returns to A.
    const runs = abcRuns([0.79, 0.85, 0.79, 0.85, 0.7, 0.7, 0.7, 0.7], 0.02, 3);
    expect(runs.map((r) => r.plain)).toEqual(["A", "B", "A", "B", "A", "A", "A", "A"]);
    expect(runs.map((r) => r.label)).toEqual(["A", "A", "A", "B", "B", "B", "A", "A"]);
    expect(runs.map((r) => r.held)).toEqual([HELD_NONE, HELD_TENURE, HELD_NONE, HELD_NONE, HELD_TENURE, HELD_TENURE, HELD_NONE, HELD_NONE]);
  });

  it("lets a two-class jump through the band (only adjacent classes are held)", () => {
    // cumShares 0.6, 0.995, 1: rows 2 and 3 jump from A to C; the band of cut-off 1 does not apply
    const r = classifyAbcStable([60, 39.5, 0.5], { previous: ["A", "A", "A"], band: 0.02 });
    expect(Array.from(r.abc, (k) => r.labels[k])).toEqual(["A", "C", "C"]);
    // from B, the band of 0.04 around 0.95 holds B up to 0.99: 0.995 is past it, 0.96 is not
    const fromB = classifyAbcStable([60, 39.5, 0.5], { previous: ["A", "B", "B"], band: 0.04 });
    expect(Array.from(fromB.abc, (k) => fromB.labels[k])).toEqual(["A", "C", "C"]);
    const inside = classifyAbcStable([60, 36, 4], { previous: ["A", "B", "B"], band: 0.04 });
    expect(Array.from(inside.abc, (k) => inside.labels[k])).toEqual(["A", "B", "C"]); // 0.96 ≤ 0.99: held B
  });
});

/** A row of `periods` values alternating m(1-c), m(1+c): population CV exactly c. */
const cvRow = (c: number, periods = 8, m = 100) => Array.from({ length: periods }, (_, j) => (j % 2 ? m * (1 + c) : m * (1 - c)));

describe("XYZ hysteresis", () => {
  it("keeps X while the CV stays within x_max + band, and moves beyond it", () => {
    const cvs = [0.48, 0.53, 0.49, 0.56, 0.47, 0.44];
    let previous: string[] | undefined;
    const got: string[] = [];
    for (const c of cvs) {
      const r = classifyXyzStable(historyFromArray(cvRow(c), 1, 8), { band: 0.05, previous });
      previous = [XYZ_LABELS[r.xyz[0]]];
      got.push(previous[0]);
    }
    // 0.53 ≤ 0.55 held X; 0.56 > 0.55 → Y; 0.47 > 0.45 held Y; 0.44 ≤ 0.45 → X
    expect(got).toEqual(["X", "X", "X", "Y", "Y", "X"]);
  });

  it("never holds across no demand (N)", () => {
    const h = historyFromArray([0, 0, 0, 0, ...cvRow(0.3, 4)], 2, 4);
    const r = classifyXyzStable(h, { previous: ["X", "N"], band: 0.1, minTenure: 5, tenure: [1, 1] });
    expect(Array.from(r.xyz, (k) => XYZ_LABELS[k])).toEqual(["N", "X"]);
    expect(Array.from(r.held)).toEqual([HELD_NONE, HELD_NONE]);
  });
});

describe("pattern hysteresis, one axis at a time", () => {
  it("holds the ADI side within the ADI band and moves the CV² side past its band", () => {
    // previous lumpy; now ADI 1.25 (plain smooth side, but within 1.32 - 0.1) and CV² 0.16 (well below 0.49 - 0.05)
    const row = [0, 0, 0, 0, ...Array.from({ length: 16 }, (_, j) => (j % 2 ? 10 : 6))]; // 20 periods, 16 with demand
    const plain = classifyPattern(historyFromArray(row, 1, row.length));
    expect(plain.adi[0]).toBe(1.25);
    expect(PATTERN_LABELS[plain.pattern[0]]).toBe("smooth");
    const r = classifyPatternStable(historyFromArray(row, 1, row.length), { previous: ["lumpy"], adiBand: 0.1, cv2Band: 0.05 });
    expect(PATTERN_LABELS[r.pattern[0]]).toBe("intermittent");
    expect(r.held[0]).toBe(HELD_BAND);
  });
});

describe("with band 0 and tenure 0 the control is the plain classification", () => {
  const rowsArb = fc.integer({ min: 1, max: 30 });
  it("ABC, XYZ and pattern, for any previous classes and tenures", () => {
    fc.assert(
      fc.property(
        rowsArb.chain((n) =>
          fc.tuple(
            fc.array(fc.double({ min: 0, max: 1e4, noNaN: true }), { minLength: n, maxLength: n }),
            fc.array(fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 6, maxLength: 6 }), { minLength: n, maxLength: n }),
            fc.array(fc.constantFrom("A", "B", "C", "", null), { minLength: n, maxLength: n }),
            fc.array(fc.constantFrom("X", "Y", "Z", "N", ""), { minLength: n, maxLength: n }),
            fc.array(fc.constantFrom(...PATTERN_LABELS, ""), { minLength: n, maxLength: n }),
            fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }),
          ),
        ),
        ([values, rows, prevAbc, prevXyz, prevPat, tenure]) => {
          const n = values.length;
          const plainAbc = classifyAbc(values);
          const a = classifyAbcStable(values, { previous: prevAbc, band: 0, minTenure: 0, tenure });
          expect(Array.from(a.abc)).toEqual(Array.from(plainAbc.abc));
          const h = historyFromArray(Float64Array.from(rows.flat()), n, 6);
          const x = classifyXyzStable(h, { previous: prevXyz, band: 0, minTenure: 0, tenure });
          expect(Array.from(x.xyz)).toEqual(Array.from(classifyXyz(h).xyz));
          const p = classifyPatternStable(h, { previous: prevPat, adiBand: 0, cv2Band: 0, minTenure: 0, tenure });
          expect(Array.from(p.pattern)).toEqual(Array.from(classifyPattern(h).pattern));
          expect(a.churn.controlled).toEqual(a.churn.plain);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("controlClasses against a direct reading of the rule", () => {
  it("keeps the previous class exactly when it is adjacent and the statistic is inside the band", () => {
    const cutoffs = [0.3, 0.6, 0.9];
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: 0, max: 1.2, noNaN: true }), fc.integer({ min: -1, max: 3 })), { minLength: 1, maxLength: 40 }),
        fc.array(fc.double({ min: 0, max: 0.099, noNaN: true }), { minLength: 3, maxLength: 3 }),
        fc.constantFrom("atMostIsLower" as const, "atLeastIsUpper" as const),
        (rows, bands, rule) => {
          const stat = rows.map((r) => r[0]);
          const previous = rows.map((r) => r[1]);
          const classify = (x: number) => cutoffs.filter((c) => (rule === "atMostIsLower" ? x > c : x >= c)).length;
          const plain = stat.map(classify);
          const got = controlClasses({ stat, plain, previous, cutoffs, bands, rule });
          rows.forEach(([x, prev], i) => {
            let want = plain[i];
            if (prev >= 0 && Math.abs(prev - plain[i]) === 1) {
              const j = Math.min(prev, plain[i]);
              const c = cutoffs[j];
              const b = bands[j];
              // inside the band on the plain side of the cut-off, edges by the boundary rule
              const inside =
                rule === "atMostIsLower"
                  ? prev === j
                    ? x > c && x <= c + b
                    : x > c - b && x <= c
                  : prev === j
                    ? x >= c && x < c + b
                    : x >= c - b && x < c;
              if (inside) want = prev;
            }
            expect(got.classes[i]).toBe(want);
            expect(got.held[i]).toBe(want !== plain[i] ? HELD_BAND : HELD_NONE);
          });
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("bad arguments and rows", () => {
  it("rejects bands wider than the gap between cut-offs, naming the argument", () => {
    expect(() => classifyAbcStable([1, 2], { band: 0.1 })).toThrow(ArgumentError);
    expect(() => classifyAbcStable([1, 2], { band: 0.1 })).toThrow(/^band: band 0.1 around cut-off 2 \(0.95\) is not narrower than the gap of 0.05 to the end of the scale \(1\)/);
    expect(() => classifyAbcStable([1, 2], { cutoffs: [0.7, 0.8], band: [0.02, 0.1] })).toThrow(/^band: band 0.1 around cut-off 2 \(0.8\) is not narrower than the gap of 0.1 to cut-off 1 \(0.7\)/);
    expect(() => classifyXyzStable(historyFromArray([1, 2], 1, 2), { band: 0.5 })).toThrow(/^band: band 0.5 around cut-off 1 \(0.5\) is not narrower than the gap of 0.5/);
    expect(() => classifyXyzStable(historyFromArray([1, 2], 1, 2), { band: -0.01 })).toThrow(/^band: band 1 must be a number >= 0, got -0.01/);
    expect(() => classifyPatternStable(historyFromArray([1, 2], 1, 2), { adiBand: 0.4 })).toThrow(/^adiBand: .*start of the scale \(1\)/);
    expect(() => validateBands([0.8, 0.95], [0.01], "band")).toThrow(/one band for every cut-off or one per cut-off \(2\), got 1/);
    expect(validateBands([0.8, 0.95], 0.02, "band")).toEqual([0.02, 0.02]);
  });

  it("rejects a negative or fractional minimum tenure, and reports a bad tenure or previous label on its row", () => {
    expect(() => classifyAbcStable([1, 2], { minTenure: -1 })).toThrow(/^minTenure: must be a whole number of runs >= 0, got -1/);
    expect(() => classifyXyzStable(historyFromArray([1, 2], 1, 2), { minTenure: 1.5 })).toThrow(/^minTenure/);
    const r = classifyAbcStable([50, 30, 20], { previous: ["A", "Q", "c"], tenure: [1, 2, -3], band: 0.02 });
    expect(r.issues.get(1)?.message).toBe('previous class "Q" is not one of A, B, C');
    expect(r.issues.get(2)?.message).toBe("tenure must be a whole number of runs >= 0, got -3");
    expect(Array.from(r.abc)).toEqual([0, -1, -1]);
    expect(() => classifyAbcStable([1, 2], { previous: ["A"] })).toThrow(/^previous: has 1 rows but there are 2/);
  });
});

describe("churn figures", () => {
  it("counts changes among SKUs with both classes, with and without the control", () => {
    // cumShares 0.6, 0.81, 0.873, 0.937, 1: plain A B B B C; controlled A A B B C (S held by the band);
    // the last SKU is new and not compared
    const r = classifyAbcStable(valuesWithShare(0.81), { previous: ["A", "A", "B", "B", ""], band: 0.02 });
    expect(r.churn.plain).toEqual({ compared: 4, changed: 1, churn: 0.25 });
    expect(r.churn.controlled).toEqual({ compared: 4, changed: 0, churn: 0 });
    expect(r.churn.heldByBand).toBe(1);
    expect(r.churn.matrix.from).toEqual(["A", "B", "C", "new"]);
    expect(r.churn.matrix.count[0]).toEqual([2, 0, 0, 0]);
    expect(r.churn.matrix.count[1]).toEqual([0, 2, 0, 0]);
    expect(r.churn.matrix.count[3]).toEqual([0, 0, 1, 0]);
    expect(r.churn.matrix.value[0][0]).toBe(81);
  });

  it("builds the from × to matrix with counts and values, new and none included", () => {
    const m = migrationMatrix([0, 0, 1, -1, 1], [0, 1, 1, 0, -1], ["A", "B"], [10, 5, 2, 7, NaN]);
    expect(m.count).toEqual([
      [1, 1, 0],
      [0, 1, 1],
      [1, 0, 0],
    ]);
    expect(m.value).toEqual([
      [10, 5, 0],
      [0, 2, 0],
      [7, 0, 0],
    ]);
    expect(churnFigures([0, 0, 1, -1], [0, 1, 1, 0])).toEqual({ compared: 3, changed: 1, churn: 1 / 3 });
  });
});
