/**
 * SEG.SEGMENT_ABC and SEG.XYZ_CV with the churn-control arguments [previous] and [band], and
 * SEG.CLASS_STABILITY. Reference values: the worked example of docs/functions-classify.md (by
 * hand), the engine's own churn rule run on random data (band 0 = plain), and the independent
 * Python simulation test/fixtures/gen_stability.py (stability_reference.json).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { isExcelError } from "../helpers/customFunctionsShim";
import { classStabilityCells, segmentAbcCells, xyzCvCells } from "../../src/functions/classify";
import * as functions from "../../src/functions/classify";

const col = (...xs: unknown[]) => xs.map((x) => [x]);
const show = (m: unknown[][]) => m.map((r) => r.map((c) => (isExcelError(c) ? `${c.code} ${c.message}` : c)));

/** A small deterministic generator (LCG) for the property checks. */
function lcg(seed: number) {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

describe("SEG.SEGMENT_ABC [previous] [band]", () => {
  const values = col(60, 21, 6.33, 6.33, 6.33);
  const previous = col("A", "A", "B", "B", "C");

  it("gives the documented example: a previous A at cumulative share 0.81 stays A inside a 0.02 band", () => {
    expect(segmentAbcCells(values, null, null)).toEqual(col("A", "B", "B", "B", "C"));
    expect(segmentAbcCells(values, null, null, previous, [[0.02]])).toEqual(col("A", "A", "B", "B", "C"));
    // later its share reaches 0.83: past the band, it moves to B
    expect(segmentAbcCells(col(60, 23, 5.67, 5.67, 5.66), null, null, previous, [[0.02]])[1]).toEqual(["B"]);
  });

  it("keeps every existing call's result: omitted or blank [previous] and [band] are the plain classification", () => {
    const rnd = lcg(7);
    for (let t = 0; t < 20; t++) {
      const v = col(...Array.from({ length: 40 }, () => Math.round(rnd() * 1000) / 10));
      const plain = segmentAbcCells(v, null, null);
      expect(segmentAbcCells(v, null, null, null, null)).toEqual(plain);
      expect(segmentAbcCells(v, null, null, [[""]], [[null]])).toEqual(plain);
      expect(functions.classifySegmentAbc(v as unknown[][])).toEqual(plain);
      // band 0 with any previous classes changes nothing either
      const prev = col(...Array.from({ length: 40 }, () => ["A", "B", "C", ""][Math.floor(rnd() * 4)]));
      expect(segmentAbcCells(v, null, null, prev, [[0]])).toEqual(plain);
    }
  });

  it("reports a previous label that is not a class on its row, and a bad band once naming it", () => {
    const out = show(segmentAbcCells(values, null, null, col("A", "Q", "B", "B", "C"), [[0.02]]));
    expect(out[1]).toEqual(['#VALUE! row 2: previous class "Q" is not one of A, B, C']);
    expect(out[0]).toEqual(["A"]);
    expect(show(segmentAbcCells(values, null, null, previous, [[0.1]]))).toEqual([
      ["#VALUE! band: band 0.1 around cut-off 2 (0.95) is not narrower than the gap of 0.05 to the end of the scale (1)"],
    ]);
    expect(show(segmentAbcCells(values, null, null, col("A", "B"), [[0.02]]))[0][0]).toMatch(/^#VALUE! previous: has 2 rows but there are 5/);
    expect(show(segmentAbcCells(values, null, null, previous, [[-0.01]]))[0][0]).toMatch(/^#VALUE! band: band 1 must be a number >= 0/);
  });

  it("takes one band per cut-off", () => {
    // band 0.02 around 0.8 holds the second row; band 0 around 0.95 holds nothing
    expect(segmentAbcCells(values, null, null, previous, [[0.02, 0]])).toEqual(col("A", "A", "B", "B", "C"));
  });
});

describe("SEG.XYZ_CV [previous] [band]", () => {
  // CVs: row 1 0.52 (just above x_max 0.5), row 2 0.98 (just below y_max 1.0), row 3 all zero (N)
  const h = [
    [10, 10, 10, 10, 22.6, 0, 10, 10],
    [0, 0, 0, 0, 0, 0, 0, 4],
    [0, 0, 0, 0, 0, 0, 0, 0],
  ];

  it("holds a previous X inside the band and classifies plainly without a previous class", () => {
    const plain = show(xyzCvCells(h, null, null, "class", null, null));
    const cv = xyzCvCells(h, null, null, "cv", null, null).map((r) => r[0] as number);
    expect(cv[0]).toBeGreaterThan(0.5);
    expect(cv[0]).toBeLessThan(0.55);
    expect(plain.map((r) => r[0])).toEqual(["Y", "Z", "N"]);
    expect(show(xyzCvCells(h, null, null, "class", null, null, col("X", "", "X"), [[0.05]])).map((r) => r[0])).toEqual(["X", "Z", "N"]);
    // CV unchanged by the control; "both" gives the held class beside it
    const both = xyzCvCells(h, null, null, "both", null, null, col("X", "Y", "Y"), [[0.05]]);
    expect(both[0]).toEqual([cv[0], "X"]);
    expect(both[2][1]).toBe("N");
  });

  it("keeps existing calls' results", () => {
    const rnd = lcg(11);
    for (let t = 0; t < 10; t++) {
      const hist = Array.from({ length: 30 }, () => Array.from({ length: 12 }, () => (rnd() < 0.2 ? 0 : Math.round(rnd() * 100))));
      const plain = xyzCvCells(hist, null, null, "both", null, null);
      expect(xyzCvCells(hist, null, null, "both", null, null, null, null)).toEqual(plain);
      const prev = col(...hist.map(() => ["X", "Y", "Z", "N", ""][Math.floor(rnd() * 5)]));
      expect(xyzCvCells(hist, null, null, "both", null, null, prev, [[0]])).toEqual(plain);
    }
  });

  it("rejects a band as wide as x_max", () => {
    expect(show(xyzCvCells(h, null, null, "class", null, null, col("X", "Y", "Y"), [[0.5]]))[0][0]).toMatch(/^#VALUE! band: band 0.5 around cut-off 1 \(0.5\) is not narrower/);
  });
});

interface Fixture {
  seed: number;
  runs: number;
  cutoffs: number[];
  periods: number;
  values: number[];
  history: number[];
  errorCv: number[];
  stay: number[];
}

describe("SEG.CLASS_STABILITY", () => {
  const fx = JSON.parse(readFileSync(path.join(__dirname, "../fixtures/stability_reference.json"), "utf8")) as Fixture;
  const n = fx.values.length;
  const values = col(...fx.values);
  const history = Array.from({ length: n }, (_, i) => fx.history.slice(i * fx.periods, (i + 1) * fx.periods));

  it("gives the independent Python simulation's probabilities (gen_stability.py, per-row error CVs)", () => {
    expect(fx.cutoffs).toEqual([0.8, 0.95]); // the function's default cut-offs
    const out = classStabilityCells(values, history, [[fx.runs]], col(...fx.errorCv), [[fx.seed]]);
    expect(out).toHaveLength(n);
    out.forEach((r, i) => {
      if (Number.isNaN(fx.stay[i]) || fx.stay[i] === null) expect(isExcelError(r[0])).toBe(true);
      else expect(r[0]).toBe(fx.stay[i]);
    });
  });

  it("is reproducible with the same seed and changes with another", () => {
    const a = classStabilityCells(values, history, [[50]], [[0.3]], [[9]]);
    expect(classStabilityCells(values, history, [[50]], [[0.3]], [[9]])).toEqual(a);
    expect(classStabilityCells(values, history, [[50]], [[0.3]], [[10]])).not.toEqual(a);
    // defaults (200 runs, 0.25, seed 1) through the entry point
    expect(functions.classifyClassStability(values, history)).toEqual(classStabilityCells(values, history, [[200]], [[0.25]], [[1]]));
  });

  it("with error_cv 0 every row with a segment stays for sure", () => {
    const out = classStabilityCells(values, history, [[5]], [[0]], null);
    for (const r of out) if (!isExcelError(r[0])) expect(r[0]).toBe(1);
  });

  it("names a bad argument once and a bad row on its row", () => {
    expect(show(classStabilityCells(values, history, [[2.5]], null, null))).toEqual([["#VALUE! runs: must be a whole number from 1 to 100000, got 2.5"]]);
    expect(show(classStabilityCells(values, history, null, [[-1]], null))[0][0]).toMatch(/^#VALUE! error_cv: must be a number >= 0/);
    expect(show(classStabilityCells(values, history, null, null, [[-3]]))[0][0]).toMatch(/^#VALUE! seed: /);
    expect(show(classStabilityCells(col(1, 2), history, null, null, null))[0][0]).toMatch(/^#VALUE! history: has \d+ rows but values has 2/);
    const small = classStabilityCells(col(50, 30, 20), [[1, 2, 3], [2, 2, 2], [3, 1, 3]], [[10]], col(0.2, -1, 0.2), null);
    expect(show(small)[1][0]).toBe("#VALUE! row 2: error_cv must be a number >= 0, got -1");
    expect(typeof small[0][0]).toBe("number");
    const bad = show(classStabilityCells(col(50, "x", 20), [[1, 2, 3], [2, 2, 2], [3, 1, 3]], [[10]], null, null));
    expect(bad[1][0]).toBe('#VALUE! row 2: text "x" is not a number');
  });
});
