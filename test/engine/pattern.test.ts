import { readFileSync } from "node:fs";
import path from "node:path";
import { ArgumentError } from "../../src/engine/errors";
import { classifyPattern, PATTERN_LABELS } from "../../src/engine/pattern";
import { historyFromArray, historyFromCells } from "../../src/engine/xyz";

interface PatternRow {
  history: number[];
  pattern: string;
  adi: number | null;
  cv2: number | null;
}
const fixture = JSON.parse(readFileSync(path.join(__dirname, "../fixtures/classify_reference.json"), "utf8")) as { pattern: PatternRow[] };

const one = (row: number[], options = {}) => classifyPattern(historyFromArray(row, 1, row.length), options);
const label = (r: ReturnType<typeof classifyPattern>, i = 0) => (r.pattern[i] >= 0 ? PATTERN_LABELS[r.pattern[i]] : "!");

describe("classifyPattern (Syntetos, Boylan & Croston 2005)", () => {
  it("computes ADI as periods / periods with demand and CV² of the non-zero sizes (population sd)", () => {
    // 0,4,0,0,8,0: 6 periods, 2 with demand → ADI 3; sizes 4, 8: mean 6, sd 2 → CV² 1/9
    const r = one([0, 4, 0, 0, 8, 0]);
    expect(r.adi[0]).toBe(3);
    expect(r.cv2[0]).toBeCloseTo(1 / 9, 15);
    expect(label(r)).toBe("intermittent");
  });

  it("gives the four quadrants at the published cut-offs 1.32 and 0.49", () => {
    expect(label(one([5, 6, 5, 6, 5, 6]))).toBe("smooth"); // ADI 1, CV² ≈ 0.008
    expect(label(one([1, 9, 1, 9, 1, 9]))).toBe("erratic"); // ADI 1, CV² 0.64
    expect(label(one([0, 5, 0, 6, 0, 5, 0, 6]))).toBe("intermittent"); // ADI 2, CV² ≈ 0.008
    expect(label(one([0, 1, 0, 9, 0, 1, 0, 9]))).toBe("lumpy"); // ADI 2, CV² 0.64
  });

  it("puts a value exactly on a cut-off on the intermittent / erratic side", () => {
    // 33 periods, 25 with demand: ADI = 1.32 exactly
    const adiOn = Array.from({ length: 33 }, (_, i) => (i < 25 ? 5 : 0));
    expect(one(adiOn).adi[0]).toBe(1.32);
    expect(label(one(adiOn))).toBe("intermittent");
    const adiBelow = Array.from({ length: 32 }, (_, i) => (i < 25 ? 5 : 0)); // ADI 1.28
    expect(label(one(adiBelow))).toBe("smooth");
    // sizes 0.3 and 1.7: mean 1, sd 0.7, CV² 0.49 — computed as 0.48999999999999994 in doubles
    const r = one([0.3, 1.7]);
    expect(r.cv2[0]).toBeLessThan(0.49);
    expect(r.cv2[0]).toBeCloseTo(0.49, 15);
    expect(label(r)).toBe("erratic");
    expect(label(one([0.31, 1.69]))).toBe("smooth"); // CV² 0.4761
  });

  it("gives a single non-zero period CV² 0, and no demand its own outcome", () => {
    const single = one([0, 0, 6, 0]);
    expect([single.adi[0], single.cv2[0], label(single)]).toEqual([4, 0, "intermittent"]);
    expect(label(one([6]))).toBe("smooth");
    const none = one([0, 0, 0]);
    expect(label(none)).toBe("no demand");
    expect(Number.isNaN(none.adi[0]) && Number.isNaN(none.cv2[0])).toBe(true);
    expect(none.issues.get(0)).toEqual({ kind: "na", message: "no demand: ADI and CV² undefined" });
  });

  it("accepts other cut-offs and validates them", () => {
    expect(label(one([0, 5, 0, 6], { adiCutoff: 2.5 }))).toBe("smooth");
    expect(label(one([1, 9, 1, 9], { cv2Cutoff: 0.7 }))).toBe("smooth");
    expect(() => one([1], { adiCutoff: 0 })).toThrow(ArgumentError);
    expect(() => one([1], { adiCutoff: 0 })).toThrow(/^adi_cutoff/);
    expect(() => one([1], { cv2Cutoff: -1 })).toThrow(/^cv2_cutoff/);
  });

  it("rejects rows with bad periods, naming the period", () => {
    const r = classifyPattern(historyFromCells([[1, "x", 2], [0, -1, 0], [0, 3, 0]]));
    expect([label(r, 0), label(r, 1), label(r, 2)]).toEqual(["!", "!", "intermittent"]);
    expect(r.issues.get(0)?.message).toBe('period 2: text "x" is not a number');
    expect(r.issues.get(1)?.message).toBe("period 2: demand -1 is negative");
  });

  it("stays finite at the ends of the double range", () => {
    const big = one([1e308, 0, 1.7e308, 0]);
    expect(big.cv2[0]).toBeCloseTo(one([1, 0, 1.7, 0]).cv2[0], 12);
    const tiny = one([5e-324, 0, 1e-323]);
    expect(tiny.cv2[0]).toBeCloseTo(one([1, 0, 2]).cv2[0], 15);
  });

  it("matches numpy on generated histories (test/fixtures/classify_reference.py)", () => {
    const rows = fixture.pattern;
    const seen = new Set<string>();
    for (const ref of rows) {
      const r = one(ref.history);
      expect(label(r)).toBe(ref.pattern);
      seen.add(ref.pattern);
      if (ref.adi === null) continue;
      expect(r.adi[0]).toBeCloseTo(ref.adi, 12);
      expect(Math.abs(r.cv2[0] - ref.cv2!)).toBeLessThanOrEqual(1e-12 * Math.max(1, ref.cv2!));
    }
    expect(seen).toEqual(new Set(["smooth", "erratic", "intermittent", "lumpy", "no demand"]));
  });
});
