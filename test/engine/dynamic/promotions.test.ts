import fc from "fast-check";
import { ArgumentError } from "../../../src/engine/errors";
import { classifyPattern, PATTERN_LABELS } from "../../../src/engine/pattern";
import { emptyMask, excludedCounts, maskFromFlagCells, maskFromPairs, PeriodMask } from "../../../src/engine/promotions";
import { classifyXyz, demandCv, historyFromArray, XYZ_LABELS } from "../../../src/engine/xyz";

const fromRows = (rows: number[][]) => historyFromArray(Float64Array.from(rows.flat()), rows.length, rows[0].length);
const maskOf = (flags: number[][]): PeriodMask => ({ rows: flags.length, periods: flags[0].length, flags: Uint8Array.from(flags.flat()) });

describe("promotion mask in the baseline statistics", () => {
  it("takes mean, sd and CV over the kept periods only and counts the excluded ones", () => {
    // 10 10 50 10 with the 50 flagged: kept 10 10 10 → mean 10, sd 0, CV 0 → X (without: CV 0.866 → Y)
    const h = fromRows([[10, 10, 50, 10], [4, 0, 4, 0]]);
    const mask = maskOf([[0, 0, 1, 0], [0, 1, 0, 1]]);
    const plain = classifyXyz(h);
    expect(XYZ_LABELS[plain.xyz[0]]).toBe("Y");
    const r = classifyXyz(h, { exclude: mask });
    expect([r.mean[0], r.sd[0], r.cv[0]]).toEqual([10, 0, 0]);
    expect(XYZ_LABELS[r.xyz[0]]).toBe("X");
    // second row keeps 4, 4 → CV 0
    expect(r.cv[1]).toBe(0);
    expect(Array.from(r.excluded)).toEqual([1, 2]);
    expect(Array.from(plain.excluded)).toEqual([0, 0]);
  });

  it("takes ADI over the kept periods and CV² over the kept non-zero sizes", () => {
    // 0 5 0 40 0 5 with the 40 flagged: kept 0 5 0 0 5 → ADI 5/2 = 2.5, sizes 5, 5 → CV² 0
    const h = fromRows([[0, 5, 0, 40, 0, 5]]);
    const r = classifyPattern(h, { exclude: maskOf([[0, 0, 0, 1, 0, 0]]) });
    expect([r.adi[0], r.cv2[0], PATTERN_LABELS[r.pattern[0]]]).toEqual([2.5, 0, "intermittent"]);
    expect(Array.from(r.excluded)).toEqual([1]);
  });

  it("equals classifying the history with the flagged periods deleted (any mask, both sd types)", () => {
    const arb = fc
      .tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 9 }))
      .chain(([rows, p]) =>
        fc.tuple(
          fc.array(fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 60 }), fc.double({ min: 0, max: 1e6, noNaN: true })), { minLength: p, maxLength: p }), { minLength: rows, maxLength: rows }),
          fc.array(fc.array(fc.integer({ min: 0, max: 1 }), { minLength: p, maxLength: p }), { minLength: rows, maxLength: rows }),
        ),
      );
    fc.assert(
      fc.property(arb, fc.constantFrom("population" as const, "sample" as const), ([rows, flags], sdType) => {
        const masked = demandCv(fromRows(rows), { exclude: maskOf(flags), sdType });
        const pat = classifyPattern(fromRows(rows), { exclude: maskOf(flags) });
        rows.forEach((row, r) => {
          const kept = row.filter((_, j) => flags[r][j] === 0);
          if (kept.length === 0) {
            expect(masked.issues.get(r)?.message).toBe("every period is excluded (promotions): no baseline left");
            expect(pat.pattern[r]).toBe(-1);
            return;
          }
          const alone = demandCv(fromRows([kept]), { sdType });
          expect(Object.is(masked.cv[r], alone.cv[0]) || (Number.isNaN(masked.cv[r]) && Number.isNaN(alone.cv[0]))).toBe(true);
          expect(masked.mean[r]).toBe(alone.mean[0]);
          expect(masked.issues.get(r)).toEqual(alone.issues.get(0));
          const p1 = classifyPattern(fromRows([kept]));
          expect([pat.pattern[r], pat.adi[r], pat.cv2[r]]).toEqual([p1.pattern[0], p1.adi[0], p1.cv2[0]]);
          expect(masked.excluded[r]).toBe(row.length - kept.length);
        });
      }),
      { numRuns: 300 },
    );
  });

  it("runs the Hampel filter after the exclusion, on the kept periods", () => {
    // 40 42 38 [500 flagged] 41 240 39 40 43: kept series 40 42 38 41 240 39 40 43 → 240 replaced
    const row = [40, 42, 38, 500, 41, 240, 39, 40, 43];
    const flags = row.map((_, j) => (j === 3 ? 1 : 0));
    const r = demandCv(fromRows([row]), { exclude: maskOf([flags]), excludeOutliers: true });
    expect(r.outliers[0]).toBe(1);
    expect(r.excluded[0]).toBe(1);
    const kept = demandCv(fromRows([row.filter((_, j) => j !== 3)]), { excludeOutliers: true });
    expect(r.cv[0]).toBe(kept.cv[0]);
  });

  it("rejects a mask of the wrong shape, naming the argument", () => {
    const h = fromRows([[1, 2, 3]]);
    expect(() => demandCv(h, { exclude: emptyMask(1, 2) })).toThrow(ArgumentError);
    expect(() => demandCv(h, { exclude: emptyMask(1, 2) })).toThrow(/^exclude: has 1 x 2 flags/);
    expect(() => classifyPattern(h, { exclude: emptyMask(2, 3) })).toThrow(/^exclude:/);
  });

  it("builds masks from flag cells and from (SKU, period) pairs", () => {
    const { mask, problems } = maskFromFlagCells([[true, 0, "yes"], [null, "promo", "maybe"]], 2, 3);
    expect(Array.from(mask.flags)).toEqual([1, 0, 1, 0, 1, 0]);
    expect(problems).toEqual([{ row: 2, period: 3, message: 'flag "maybe" is not TRUE/FALSE, 1/0 or yes/no' }]);
    expect(Array.from(excludedCounts(mask))).toEqual([2, 1]);
    const pairs = maskFromPairs(["A1", "B2"], ["2026-01", "2026-02"], [
      { sku: "B2", period: "2026-02" },
      { sku: " A1 ", period: "2026-01" },
      { sku: "C3", period: "2026-01" },
      { sku: "A1", period: "2025-12" },
    ]);
    expect(Array.from(pairs.mask.flags)).toEqual([1, 0, 0, 1]);
    expect(pairs.unmatched).toEqual([
      { index: 3, reason: 'SKU "C3" is not in the history' },
      { index: 4, reason: 'period "2025-12" is not a period column of the history' },
    ]);
    expect(() => maskFromFlagCells([[1]], 2, 1)).toThrow(/^promotions: has 1 rows/);
  });
});
