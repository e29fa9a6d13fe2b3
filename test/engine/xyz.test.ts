import { readFileSync } from "node:fs";
import path from "node:path";
import { ArgumentError } from "../../src/engine/errors";
import { classifyXyz, demandCv, historyFromArray, historyFromCells, XYZ_LABELS } from "../../src/engine/xyz";

interface CvRow {
  history: number[];
  cvPopulation: number | null;
  cvSample: number | null;
  xyzPopulation: string | null;
  hampelReplaced: number;
  cvPopulationHampel: number | null;
}
const fixture = JSON.parse(readFileSync(path.join(__dirname, "../fixtures/classify_reference.json"), "utf8")) as { cv: CvRow[] };

const fromRows = (rows: number[][]) => historyFromArray(rows.flat(), rows.length, rows[0].length);
const labels = (r: ReturnType<typeof classifyXyz>) => Array.from(r.xyz, (k) => (k >= 0 ? XYZ_LABELS[k] : "!"));
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

describe("demandCv / classifyXyz", () => {
  it("uses the population sd by default and the sample sd on request", () => {
    // 1,3: mean 2, population sd 1 → CV 0.5 (exactly on x_max: X); sample sd √2 → CV 0.7071 (Y)
    const h = fromRows([[1, 3]]);
    const pop = classifyXyz(h);
    expect(pop.cv[0]).toBe(0.5);
    expect(pop.mean[0]).toBe(2);
    expect(pop.sd[0]).toBe(1);
    expect(labels(pop)).toEqual(["X"]);
    const sample = classifyXyz(h, { sdType: "sample" });
    expect(sample.cv[0]).toBeCloseTo(Math.SQRT2 / 2, 15);
    expect(labels(sample)).toEqual(["Y"]);
  });

  it("puts cv <= x_max in X, cv <= y_max in Y and the rest in Z (boundaries inclusive)", () => {
    // CVs: 0 (flat), 0.5 (1,3), 1 (0,2: mean 1, sd 1), √3 (0,0,0,4: mean 1, variance 3)
    const rows = [
      [5, 5, 5, 5],
      [1, 3, 1, 3],
      [0, 2, 0, 2],
      [0, 0, 0, 4],
    ];
    const r = classifyXyz(fromRows(rows));
    expect(Array.from(r.cv)).toEqual([0, 0.5, 1, Math.sqrt(3)]);
    expect(labels(r)).toEqual(["X", "X", "Y", "Z"]);
    expect(labels(classifyXyz(fromRows(rows), { xMax: 0.25, yMax: 0.75 }))).toEqual(["X", "Y", "Z", "Z"]);
  });

  it("gives a row without demand the 'na' CV error and the distinct class N", () => {
    const r = classifyXyz(fromRows([[0, 0, 0], [1, 2, 3]]));
    expect(labels(r)).toEqual(["N", "X"]);
    expect(Number.isNaN(r.cv[0])).toBe(true);
    expect(r.mean[0]).toBe(0);
    expect(r.issues.get(0)).toEqual({ kind: "na", message: "mean demand is 0: CV undefined" });
    expect(r.issues.has(1)).toBe(false);
  });

  it("makes a single period with the sample sd an 'na' error, but not with the population sd", () => {
    const h = fromRows([[4], [0]]);
    const s = classifyXyz(h, { sdType: "sample" });
    expect(labels(s)).toEqual(["!", "N"]);
    expect(s.issues.get(0)).toEqual({ kind: "na", message: "sample sd needs at least 2 periods" });
    const p = classifyXyz(h);
    expect(Array.from(p.cv)).toEqual([0, NaN]);
    expect(labels(p)).toEqual(["X", "N"]);
  });

  it("rejects a row with a negative, non-finite or unreadable period, naming the period", () => {
    const cells = [
      [1, 2, 3],
      [1, -2, 3],
      [1, 2, "abc"],
      [null, "", 3],
      [1, Infinity, 3],
      [true, 1, 1],
    ];
    const r = classifyXyz(historyFromCells(cells));
    expect(labels(r)).toEqual(["X", "!", "!", "Z", "!", "!"]);
    expect(r.issues.get(1)).toEqual({ kind: "value", message: "period 2: demand -2 is negative" });
    expect(r.issues.get(2)?.message).toBe('period 3: text "abc" is not a number');
    expect(r.issues.get(4)?.message).toBe("period 2: Infinity is not a finite number");
    expect(r.issues.get(5)?.message).toBe("period 1: TRUE is not a number");
    // blanks are 0 demand: 0,0,3 → mean 1, sd √2
    expect(r.cv[3]).toBeCloseTo(Math.SQRT2, 15);
    expect(classifyXyz(historyFromCells([[null, 2]], "reject")).issues.get(0)?.message).toBe("period 1: blank cell");
    // a NaN that reached a numeric history is caught by the engine's own check
    expect(classifyXyz(fromRows([[1, NaN]])).issues.get(0)?.message).toBe("period 2: NaN is not a finite number");
  });

  it("validates the thresholds and the sd type", () => {
    const h = fromRows([[1, 2]]);
    expect(() => classifyXyz(h, { xMax: 1, yMax: 1 })).toThrow(ArgumentError);
    expect(() => classifyXyz(h, { xMax: 1, yMax: 1 })).toThrow(/^y_max: must be greater than x_max \(1\)/);
    expect(() => classifyXyz(h, { xMax: -0.1 })).toThrow(/^x_max/);
    expect(() => classifyXyz(h, { yMax: NaN })).toThrow(/^y_max/);
    expect(() => demandCv(h, { sdType: "both" as never })).toThrow(/^sd_type/);
    expect(() => historyFromArray([1, 2, 3], 2, 2)).toThrow(/^history/);
    expect(() => historyFromCells([])).toThrow(/^history: the range is empty/);
  });

  it("is scale-free at the ends of the double range", () => {
    const base = [1, 3, 0, 4, 2];
    const want = classifyXyz(fromRows([base])).cv[0];
    for (const f of [1e300, 1e-300, 5e-324]) {
      const r = classifyXyz(fromRows([base.map((x) => x * f)]));
      if (f === 5e-324) expect(r.cv[0]).toBeCloseTo(want, 12); // 5e-324 times integers is exact
      else expect(rel(r.cv[0], want)).toBeLessThan(1e-12);
      expect(Number.isFinite(r.mean[0])).toBe(true);
    }
    expect(Number.isFinite(classifyXyz(fromRows([[1.7e308, 1.7e308, 0]])).cv[0])).toBe(true);
  });

  describe("matches numpy (test/fixtures/classify_reference.py)", () => {
    const rows = fixture.cv.map((r) => r.history);
    const h = fromRows(rows);

    it("population CV and class", () => {
      const r = classifyXyz(h);
      fixture.cv.forEach((ref, i) => {
        if (ref.cvPopulation === null) expect(Number.isNaN(r.cv[i])).toBe(true);
        else expect(rel(r.cv[i], ref.cvPopulation)).toBeLessThan(1e-12);
        expect(labels(r)[i]).toBe(ref.xyzPopulation);
      });
      expect(new Set(labels(r))).toEqual(new Set(["X", "Y", "Z", "N"]));
    });

    it("sample CV", () => {
      const r = demandCv(h, { sdType: "sample" });
      fixture.cv.forEach((ref, i) => {
        if (ref.cvSample === null) expect(Number.isNaN(r.cv[i])).toBe(true);
        else expect(rel(r.cv[i], ref.cvSample)).toBeLessThan(1e-12);
      });
    });

    it("population CV after the Hampel filter", () => {
      const r = demandCv(h, { excludeOutliers: true });
      let lowered = 0;
      fixture.cv.forEach((ref, i) => {
        expect(r.outliers[i]).toBe(ref.hampelReplaced);
        if (ref.cvPopulationHampel === null) expect(Number.isNaN(r.cv[i])).toBe(true);
        else expect(rel(r.cv[i], ref.cvPopulationHampel)).toBeLessThan(1e-12);
        if (ref.cvPopulation !== null && r.cv[i] < ref.cvPopulation - 1e-9) lowered++;
      });
      expect(lowered).toBeGreaterThan(5);
      expect(Array.from(demandCv(h).outliers).every((x) => x === 0)).toBe(true);
    });
  });
});
