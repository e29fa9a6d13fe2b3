import { classifyAbc } from "../../src/engine/abc";
import { combineSegments, summarizeSegments } from "../../src/engine/segments";
import { classifyXyz, historyFromCells } from "../../src/engine/xyz";

// Values 50,30,10,5,3,2 → A,A,B,B,C,C. Histories chosen for known CVs (population sd):
const values = [50, 30, 10, 5, 3, 2, 7];
const history = [
  [10, 10, 10, 10], // cv 0 → X
  [0, 2, 0, 2], // cv 1 → Y
  [1, 3, 1, 3], // cv 0.5 → X
  [0, 0, 0, 4], // cv √3 → Z
  [0, 0, 0, 0], // no demand → N
  [2, "bad", 2, 2], // rejected on the XYZ side
  [1, 1, 1, 1], // value 7 rejected below on the ABC side
];

function run() {
  const abc = classifyAbc(values.map((v, i) => (i === 6 ? -7 : v)));
  const xyz = classifyXyz(historyFromCells(history));
  return { abc, xyz, seg: combineSegments(abc, xyz) };
}

describe("combineSegments", () => {
  it("joins the ABC and XYZ labels, keeps no demand apart as 'N', and carries the issues over", () => {
    const { seg } = run();
    const got = Array.from(seg.segment, (s) => (s >= 0 ? seg.labels[s] : "!"));
    expect(got).toEqual(["AX", "AY", "BX", "BZ", "CN", "!", "!"]);
    expect(seg.labels).toHaveLength(12);
    expect(seg.issues.get(5)?.message).toBe('period 2: text "bad" is not a number');
    expect(seg.issues.get(6)?.message).toBe("value -7 is negative");
  });

  it("refuses results of different lengths, naming the history argument", () => {
    const abc = classifyAbc([1, 2]);
    const xyz = classifyXyz(historyFromCells([[1, 2]]));
    expect(() => combineSegments(abc, xyz)).toThrow(/^history: has 1 rows but values has 2/);
  });
});

describe("summarizeSegments", () => {
  it("counts SKUs, sums value shares and gives CV min/median/max per segment", () => {
    const { abc, xyz, seg } = run();
    const { segments, excludedRows } = summarizeSegments(seg, abc, xyz);
    expect(excludedRows).toBe(2);
    // the full 3x3 grid, then the no-demand segment that has members
    expect(segments.map((s) => s.segment)).toEqual(["AX", "AY", "AZ", "BX", "BY", "BZ", "CX", "CY", "CZ", "CN"]);
    const by = Object.fromEntries(segments.map((s) => [s.segment, s]));
    expect(by.AX).toEqual({ segment: "AX", skuCount: 1, valueShare: 0.5, cvMin: 0, cvMedian: 0, cvMax: 0 });
    expect(by.AZ).toEqual({ segment: "AZ", skuCount: 0, valueShare: 0, cvMin: null, cvMedian: null, cvMax: null });
    expect(by.BZ.cvMax).toBeCloseTo(Math.sqrt(3), 15);
    expect(by.CN).toEqual({ segment: "CN", skuCount: 1, valueShare: 0.03, cvMin: null, cvMedian: null, cvMax: null });
  });

  it("refuses an ABC result computed without shares", () => {
    const abc = classifyAbc([3, 1], { classesOnly: true });
    const xyz = classifyXyz(historyFromCells([[1, 2], [2, 2]]));
    expect(() => summarizeSegments(combineSegments(abc, xyz), abc, xyz)).toThrow(/classesOnly/);
  });

  it("takes the median of an even number of CVs as the mean of the middle two", () => {
    const abc = classifyAbc([1, 1, 1, 1], { cutoffs: [1], labels: ["A", "B"] });
    const xyz = classifyXyz(historyFromCells([[1, 3], [2, 2], [3, 5], [1, 1.5]]));
    const { segments } = summarizeSegments(combineSegments(abc, xyz), abc, xyz);
    const ax = segments.find((s) => s.segment === "AX")!;
    // CVs 0.5, 0, 0.25, 0.2 → sorted 0, 0.2, 0.25, 0.5 → median 0.225
    expect(ax.skuCount).toBe(4);
    expect(ax.cvMedian).toBeCloseTo(0.225, 15);
    expect(ax.valueShare).toBeCloseTo(1, 15);
  });
});
