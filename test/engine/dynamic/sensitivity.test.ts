import fc from "fast-check";
import { classifyAbc } from "../../../src/engine/abc";
import { classifyPattern } from "../../../src/engine/pattern";
import { abcSensitivity, patternSensitivity, xyzSensitivity } from "../../../src/engine/sensitivity";
import { classifyXyz, historyFromArray } from "../../../src/engine/xyz";

describe("cut-off sensitivity", () => {
  it("lists what moves for the documented ABC example", () => {
    // 50 30 10 5 3 2: cumShares .50 .80 .90 .95 .98 1 → A A B B C C
    const rows = abcSensitivity([50, 30, 10, 5, 3, 2]);
    const brief = rows.map((r) => [r.boundary, r.to, r.valid, r.fromClass, r.toClass, r.skus, r.value]);
    expect(brief).toEqual([
      ["A|B", 0.8 - 0.05, true, "A", "B", 1, 30], // 0.80 leaves A
      ["A|B", 0.8 + 0.05, true, "B", "A", 0, 0], // nothing in (0.80, 0.85]
      ["B|C", 0.95 - 0.05, true, "B", "C", 1, 5], // 0.95 leaves B (0.90 stays: <= 0.90)
      ["B|C", 0.95 + 0.05, true, "C", "B", 2, 5], // 0.98 and 1 join B: every row is <= 1
    ]);
    expect(rows[0].valueShare).toBeCloseTo(0.3, 15);
  });

  it("marks a shift that would cross the neighbouring cut-off as not valid", () => {
    const rows = abcSensitivity([50, 30, 20], { cutoffs: [0.8, 0.83], shifts: [0.05] });
    expect(rows[0]).toMatchObject({ valid: false, skus: 0 });
    expect(rows[1].valid).toBe(true); // 0.83 + 0.05 stays below the end of the scale
    expect(rows[1].to).toBeCloseTo(0.88, 12);
  });

  it("equals reclassifying with the shifted cut-off (ABC, XYZ, pattern)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 40 }),
        fc.array(fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 6, maxLength: 6 }), { minLength: 1, maxLength: 40 }),
        fc.constantFrom(-0.05, 0.05, -0.1, 0.02),
        (values, hist, shift) => {
          const n = Math.min(values.length, hist.length);
          const v = values.slice(0, n);
          const abc = abcSensitivity(v, { shifts: [shift] });
          [0.8, 0.95].forEach((c, j) => {
            const row = abc[j];
            const cut = [0.8, 0.95];
            cut[j] = c + shift;
            if (!row.valid) return;
            const a = classifyAbc(v).abc;
            const b = classifyAbc(v, { cutoffs: cut }).abc;
            let moved = 0;
            let value = 0;
            a.forEach((k, i) => {
              if (k !== b[i]) {
                moved++;
                value += v[i];
              }
            });
            expect([row.skus, row.value]).toEqual([moved, value]);
          });
          const h = historyFromArray(Float64Array.from(hist.slice(0, n).flat()), n, 6);
          const xyz = classifyXyz(h);
          const xs = xyzSensitivity(xyz, v, [shift]);
          const moved = (p: ArrayLike<number>, q: ArrayLike<number>) => Array.from(p).filter((k, i) => k !== q[i]).length;
          expect(xs[0].skus).toBe(moved(xyz.xyz, classifyXyz(h, { xMax: 0.5 + shift }).xyz));
          expect(xs[1].skus).toBe(moved(xyz.xyz, classifyXyz(h, { yMax: 1 + shift }).xyz));
          const pat = classifyPattern(h);
          const ps = patternSensitivity(pat, v, { adi: [shift], cv2: [shift] });
          expect(ps[0].skus).toBe(moved(pat.pattern, classifyPattern(h, { adiCutoff: 1.32 + shift }).pattern));
          expect(ps[1].skus).toBe(moved(pat.pattern, classifyPattern(h, { cv2Cutoff: 0.49 + shift }).pattern));
        },
      ),
      { numRuns: 300 },
    );
  });
});
