/**
 * Property test of the join cascade against a brute-force statement of the rule: a finance row
 * matches at the first level where exactly one segmentation SKU has the same key; where several
 * do, it is ambiguous; where none does at any level, it is unmatched. Keys per level are computed
 * here from the documented transforms, independently of the engine's incremental map.
 */
import fc from "fast-check";
import { MATCH_RULES, type SkuCell } from "../../../src/engine/reconcile";
import { reconcile } from "../../../src/engine/reconcileJoin";

const TAG = "\u0000#";
function keyAt(cell: SkuCell, level: number): string {
  let k = typeof cell === "number" ? TAG + String(cell) : cell;
  if (level >= 1 && k.startsWith(TAG)) k = k.slice(TAG.length);
  if (level >= 2) k = k.trim();
  if (level >= 3) k = k.toUpperCase();
  if (level >= 4 && /^[0-9]+$/.test(k)) k = k.replace(/^0+(?=[0-9])/, "");
  return k;
}

const skuCell = fc.oneof(
  fc.integer({ min: 0, max: 30 }),
  fc
    .tuple(fc.constantFrom("", " ", "\u00a0"), fc.constantFrom("", "0", "00"), fc.constantFrom("7", "12", "a", "A", "ab", "Ab", "x1"), fc.constantFrom("", " "))
    .map(([a, z, b, c]) => a + z + b + c),
);

describe("join cascade (fast-check, seed fixed)", () => {
  it("matches the brute-force rule on random SKU spellings", () => {
    fc.assert(
      fc.property(fc.array(skuCell, { minLength: 1, maxLength: 12 }), fc.array(skuCell, { minLength: 1, maxLength: 12 }), (segSkus, finSkus) => {
        const valid = (c: SkuCell) => (typeof c === "number" ? true : c.trim() !== "");
        const seg = segSkus.filter(valid);
        const fin = finSkus.filter(valid);
        const r = reconcile({ sku: seg, segment: seg.map(() => "AX"), value: seg.map(() => 1) }, { sku: fin, category: fin.map(() => "C"), bookValue: fin.map(() => 1), sourceRow: fin.map((_, j) => j + 2) });
        fin.forEach((f, j) => {
          let want: { seg: number; rule: number } | "ambiguous" | null = null;
          for (let level = 0; level < MATCH_RULES.length && want === null; level++) {
            const cands = seg.map((s, i) => (keyAt(s, level) === keyAt(f, level) ? i : -1)).filter((i) => i >= 0);
            if (cands.length === 1) want = { seg: cands[0], rule: level };
            else if (cands.length > 1) want = "ambiguous";
          }
          if (want === null) expect([r.financeMatch[j], r.financeRule[j]]).toEqual([-1, -1]);
          else if (want === "ambiguous") expect(r.financeOnly.find((x) => x.sourceRow === j + 2)?.reason).toBe("ambiguous SKU");
          else expect([r.financeMatch[j], r.financeRule[j]]).toEqual([want.seg, want.rule]);
        });
      }),
      { seed: 20261125, numRuns: 500 },
    );
  });
});
