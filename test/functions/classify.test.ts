import { isExcelError } from "../helpers/customFunctionsShim";
import {
  abcXyzCells,
  demandPatternCells,
  readValues,
  segmentAbcCells,
  xyzCvCells,
} from "../../src/functions/classify";
import * as functions from "../../src/functions/classify";
import { readOptionalBoolean } from "../../src/functions/excel";

/** Excel hands a one-column range as [[a], [b], ...] and an array constant {a,b} as [[a, b]]. */
const col = (...xs: unknown[]) => xs.map((x) => [x]);
const one = (x: unknown) => [[x]];

/** Cells as text: labels as they are, errors as "CODE message". */
const show = (m: unknown[][]) => m.map((r) => r.map((c) => (isExcelError(c) ? `${c.code} ${c.message}` : c)));

describe("SEG.SEGMENT_ABC", () => {
  it("spills the documented example A,A,B,B,C,C with omitted (null) options", () => {
    expect(segmentAbcCells(col(50, 30, 10, 5, 3, 2), null, null)).toEqual(col("A", "A", "B", "B", "C", "C"));
  });

  it("keeps the input order whatever it is", () => {
    expect(segmentAbcCells(col(2, 10, 50, 3, 30, 5), null, null)).toEqual(col("C", "B", "A", "C", "A", "B"));
  });

  it("reads cut-offs and labels as an array constant, a row or a column", () => {
    const v = col(40, 25, 20, 10, 5);
    const want = col("top", "top", "mid", "low", "low");
    expect(segmentAbcCells(v, [[0.7, 0.9]], [["top", "mid", "low"]])).toEqual(want);
    expect(segmentAbcCells(v, col(0.7, 0.9), col("top", "mid", "low"))).toEqual(want);
    // more cut-offs, default labels
    expect(segmentAbcCells(v, [[0.4, 0.65, 0.85]], null)).toEqual(col("A", "B", "C", "D", "D"));
    // a single omitted cell ([[null]]) is treated as omitted
    expect(segmentAbcCells(v, [[null]], [[null]])).toEqual(col("A", "A", "B", "B", "C"));
  });

  it("multiplies quantity by unit cost when given two columns", () => {
    const qc = [
      [10, 5], // 50
      [3, 10], // 30
      [5, 2], // 10
      [1, 5], // 5
      [3, 1], // 3
      [1, 2], // 2
    ];
    expect(segmentAbcCells(qc, null, null)).toEqual(col("A", "A", "B", "B", "C", "C"));
  });

  it("reports a bad row as #VALUE! naming the row, and leaves it out of the total", () => {
    const out = show(segmentAbcCells(col(50, 30, 10, 5, 3, 2, "abc", -1, null, ""), null, null));
    expect(out).toEqual([
      ["A"],
      ["A"],
      ["B"],
      ["B"],
      ["C"],
      ["C"],
      ['#VALUE! row 7: text "abc" is not a number'],
      ["#VALUE! row 8: value -1 is negative"],
      ["C"], // blank = 0 value: last in rank, cumShare 1
      ["C"],
    ]);
    const qc = show(segmentAbcCells([[1, 2], [true, 3], [4, "x"], [-1, 2]], null, null));
    expect(qc.slice(1)).toEqual([["#VALUE! row 2: quantity: TRUE is not a number"], ['#VALUE! row 3: unit cost: text "x" is not a number'], ["#VALUE! row 4: quantity -1 is negative"]]);
  });

  it("gives #N/A on every row when the total is 0", () => {
    expect(show(segmentAbcCells(col(0, 0), null, null))).toEqual([["#N/A total value is 0: value shares are undefined"], ["#N/A total value is 0: value shares are undefined"]]);
  });

  it("returns one #VALUE! naming the argument when an argument is wrong", () => {
    expect(show(segmentAbcCells(col(1, 2), [[0.9, 0.8]], null))[0][0]).toMatch(/^#VALUE! cutoffs: must be strictly increasing/);
    expect(show(segmentAbcCells(col(1, 2), [[0.8, "x"]], null))[0][0]).toBe('#VALUE! cutoffs: item 2: text "x" is not a number');
    expect(show(segmentAbcCells(col(1, 2), null, [["A", "B"]]))[0][0]).toMatch(/^#VALUE! labels: expected 3 labels/);
    expect(show(segmentAbcCells(col(1, 2), null, [["A", true, "C"]]))[0][0]).toBe("#VALUE! labels: item 2 must be a non-empty text label");
    expect(show(segmentAbcCells([[1, 2, 3]], null, null))[0][0]).toMatch(/^#VALUE! values: expected one column of values or two columns/);
    expect(show(segmentAbcCells(col(1, 2), [[0.5, 0.6], [0.7, 0.8]], null))[0][0]).toMatch(/^#VALUE! cutoffs: expected one column or one row/);
  });

  it("accepts a single cell (a lone row holds 100% of the value, so it is in the last class)", () => {
    expect(segmentAbcCells(7, null, null)).toEqual([["C"]]);
    expect(readValues([[3], [4]]).values).toEqual(new Float64Array([3, 4]));
  });
});

describe("SEG.XYZ_CV", () => {
  const history = [
    [1, 3, 1, 3], // cv 0.5 → X (inclusive)
    [0, 2, 0, 2], // cv 1 → Y
    [0, 0, 0, 4], // cv √3 → Z
    [0, 0, 0, 0], // no demand
    [1, "x", 1, 1],
  ];

  it("returns the CV by default, #N/A for no demand and #VALUE! naming row and period", () => {
    const out = show(xyzCvCells(history, null, null, null, null, null));
    expect(out.slice(0, 2)).toEqual([[0.5], [1]]);
    expect(out[2][0]).toBeCloseTo(Math.sqrt(3), 15);
    expect(out[3]).toEqual(["#N/A mean demand is 0: CV undefined"]);
    expect(out[4]).toEqual(['#VALUE! row 5: period 2: text "x" is not a number']);
  });

  it("returns the class, or both columns", () => {
    expect(show(xyzCvCells(history, null, null, one("class"), null, null))).toEqual([["X"], ["Y"], ["Z"], ["N"], ['#VALUE! row 5: period 2: text "x" is not a number']]);
    const both = show(xyzCvCells(history, one(0.4), one(2), one(" Both "), null, null));
    expect(both[0]).toEqual([0.5, "Y"]);
    expect(both[2][1]).toBe("Y");
    expect(both[3]).toEqual(["#N/A mean demand is 0: CV undefined", "N"]);
  });

  it("uses the sample sd on request", () => {
    expect(xyzCvCells([[1, 3]], null, null, null, one("sample"), null)[0][0]).toBeCloseTo(Math.SQRT1_2, 15);
    expect(show(xyzCvCells([[4]], null, null, one("both"), one("sample"), null))).toEqual([["#N/A sample sd needs at least 2 periods", "#N/A sample sd needs at least 2 periods"]]);
  });

  it("excludes outliers on request", () => {
    const spiky = [[40, 42, 38, 41, 240, 39, 40, 43, 41]];
    const plain = xyzCvCells(spiky, null, null, one("both"), null, one(false))[0];
    const filtered = xyzCvCells(spiky, null, null, one("both"), null, one(true))[0];
    expect(plain[1]).toBe("Z"); // mean 62.7, sd 62.7: the one spike makes a steady item look erratic
    expect(filtered[1]).toBe("X");
    expect(filtered[0] as number).toBeLessThan(0.05);
  });

  it("rejects bad options with one #VALUE! naming the argument", () => {
    expect(show(xyzCvCells(history, one(1), one(0.5), null, null, null))[0][0]).toMatch(/^#VALUE! y_max: must be greater than x_max/);
    expect(show(xyzCvCells(history, one("a"), null, null, null, null))[0][0]).toBe('#VALUE! x_max: text "a" is not a number');
    expect(show(xyzCvCells(history, null, null, one("cv2"), null, null))[0][0]).toBe('#VALUE! output: must be one of "cv", "class", "both"');
    expect(show(xyzCvCells(history, null, null, null, one("pop"), null))[0][0]).toMatch(/^#VALUE! sd_type/);
    expect(show(xyzCvCells(history, null, null, null, null, one("maybe")))[0][0]).toBe("#VALUE! exclude_outliers: must be TRUE or FALSE");
    expect(readOptionalBoolean(one("TRUE"), "b", false)).toBe(true);
    expect(readOptionalBoolean(one(0), "b", true)).toBe(false);
    // an empty referenced cell arrives as "" on the web: it means "use the default"
    expect(readOptionalBoolean(one(""), "b", true)).toBe(true);
    expect(xyzCvCells([[1, 3]], one(""), one(""), one("class"), one(""), one(""))).toEqual([["X"]]);
    expect(xyzCvCells([[1, 3]], null, null, one(""), null, null)).toEqual([[0.5]]);
    expect(segmentAbcCells(col(50, 30, 20), one(""), one(""))).toEqual(col("A", "A", "C"));
    expect(demandPatternCells([[0, 5, 0, 6]], one(""), one(""), one(""))).toEqual([["intermittent"]]);
  });
});

describe("SEG.DEMAND_PATTERN", () => {
  const history = [
    [5, 6, 5, 6, 5, 6],
    [1, 9, 1, 9, 1, 9],
    [0, 5, 0, 6, 0, 5],
    [0, 1, 0, 9, 0, 1],
    [0, 0, 0, 0, 0, 0],
    [0, 0, -3, 0, 0, 0],
  ];

  it("returns the pattern per row", () => {
    expect(show(demandPatternCells(history, null, null, null))).toEqual([
      ["smooth"],
      ["erratic"],
      ["intermittent"],
      ["lumpy"],
      ["no demand"],
      ["#VALUE! row 6: period 3: demand -3 is negative"],
    ]);
  });

  it('returns pattern, ADI and CV² with output "all"', () => {
    const out = show(demandPatternCells(history, null, null, one("all")));
    expect(out[1]).toEqual(["erratic", 1, 0.64]);
    expect(out[2][1]).toBe(2);
    expect(out[4]).toEqual(["no demand", "#N/A no demand: ADI and CV² undefined", "#N/A no demand: ADI and CV² undefined"]);
    expect(out[5]).toHaveLength(3);
  });

  it("accepts other cut-offs and rejects bad ones", () => {
    expect(demandPatternCells(history.slice(2, 3), one(2.5), one(0.7), null)).toEqual([["smooth"]]);
    expect(show(demandPatternCells(history, one(0), null, null))[0][0]).toMatch(/^#VALUE! adi_cutoff/);
    expect(show(demandPatternCells(history, null, null, one("both")))[0][0]).toBe('#VALUE! output: must be one of "class", "all"');
  });
});

describe("SEG.ABC_XYZ", () => {
  it("gives the segment per row", () => {
    const values = col(50, 30, 10, 5, 3, 2);
    const history = [
      [10, 10, 10, 10],
      [0, 2, 0, 2],
      [1, 3, 1, 3],
      [0, 0, 0, 4],
      [0, 0, 0, 0],
      [2, "bad", 2, 2],
    ];
    expect(show(abcXyzCells(values, history, null, null, null, null, null, null))).toEqual([
      ["AX"],
      ["AY"],
      ["BX"],
      ["BZ"],
      ["CN"],
      ['#VALUE! row 6: period 2: text "bad" is not a number'],
    ]);
  });

  it("refuses a history with a different number of rows", () => {
    expect(show(abcXyzCells(col(1, 2), [[1, 2]], null, null, null, null, null, null))[0][0]).toMatch(/^#VALUE! history: has 1 rows but values has 2/);
  });
});

describe("functions.ts entry points", () => {
  it("pass their arguments through to the bodies", () => {
    expect(functions.classifySegmentAbc(col(50, 30, 10, 5, 3, 2), undefined, undefined)).toEqual(col("A", "A", "B", "B", "C", "C"));
    expect(functions.classifyXyzCv([[1, 3]], undefined, undefined, one("class"))).toEqual([["X"]]);
    expect(functions.classifyDemandPattern([[0, 5, 0, 6]])).toEqual([["intermittent"]]);
    expect(functions.classifyAbcXyz(col(1), [[1, 1]])).toEqual([["CX"]]);
  });
});
