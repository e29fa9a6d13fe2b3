import fc from "fast-check";
import { readFileSync } from "node:fs";
import path from "node:path";
import { classifyAbc } from "../../../src/engine/abc";
import { classifyCriterion, marginValues, normaliseWeights, twoAxisAbc, weightedScore } from "../../../src/engine/criteria";
import { ArgumentError } from "../../../src/engine/errors";

const ref = JSON.parse(readFileSync(path.join(__dirname, "../../fixtures/dimensions_reference.json"), "utf8"));
const labelsOf = (r: { abc: Int32Array; labels: readonly string[] }) => Array.from(r.abc, (k) => (k >= 0 ? r.labels[k] : "!"));

describe("margin criterion", () => {
  it("margin = revenue − cost, a bad revenue or cost spoils only its row", () => {
    const { margin, issues } = marginValues([100, 50, 80, NaN], [60, 70, -1, 3]);
    expect(margin[0]).toBe(40);
    expect(margin[1]).toBe(-20);
    expect(Number.isNaN(margin[2])).toBe(true);
    expect(issues.get(2)?.message).toBe("cost -1 is negative");
    expect(issues.get(3)?.message).toBe("revenue NaN is not a finite number");
  });

  it("puts loss-making rows in the loss class, outside the total (hand-checked)", () => {
    // margins 50, 30, -10, 10, 5, -2, 5: positive total 100 → cumShares .5 .8 .9 .95 1.0 → A A B B C
    const r = classifyCriterion([50, 30, -10, 10, 5, -2, 5], { negative: "loss" });
    expect(labelsOf(r)).toEqual(["A", "A", "L", "B", "B", "L", "C"]);
    expect(r.total).toBe(100);
    expect(r.lossRows).toBe(2);
    expect(r.labels).toEqual(["A", "B", "C", "L"]);
    expect(r.issues.size).toBe(0);
  });

  it("rejects negatives by default, and a loss label that clashes with a class label", () => {
    const r = classifyCriterion([80, 20, -1]);
    expect(labelsOf(r)).toEqual(["A", "C", "!"]);
    expect(r.issues.get(2)?.message).toBe("value -1 is negative");
    expect(() => classifyCriterion([1], { negative: "loss", lossLabel: "A" })).toThrow(ArgumentError);
  });
});

describe("weighted multi-criteria score", () => {
  it("share of total: hand-checked 2-criterion example", () => {
    // value 60/30/10 (shares .6 .3 .1), lines 1/1/2 (shares .25 .25 .5); weights 3 and 1 → .75/.25
    const r = weightedScore([
      { name: "value", values: [60, 30, 10], weight: 3 },
      { name: "lines", values: [1, 1, 2], weight: 1 },
    ]);
    expect(r.weights).toEqual([0.75, 0.25]);
    expect(r.score[0]).toBeCloseTo(0.75 * 0.6 + 0.25 * 0.25, 14);
    expect(r.score[1]).toBeCloseTo(0.75 * 0.3 + 0.25 * 0.25, 14);
    expect(r.score[2]).toBeCloseTo(0.75 * 0.1 + 0.25 * 0.5, 14);
    expect(r.notes[0]).toBe("weights sum to 4, not 1: each was divided by 4 (value 0.75, lines 0.25)");
  });

  it("min-max: hand-checked, a constant criterion adds nothing and says so", () => {
    const r = weightedScore(
      [
        { name: "margin", values: [-10, 0, 30], weight: 0.5 },
        { name: "units", values: [5, 5, 5], weight: 0.5 },
      ],
      { normalisation: "minMax" },
    );
    expect(Array.from(r.score)).toEqual([0, 0.5 * 0.25, 0.5]);
    expect(r.notes).toEqual(["units is the same on every row: it adds nothing to the score"]);
  });

  it("refuses a negative weight naming the criterion, and all-zero weights", () => {
    expect(() => normaliseWeights([{ name: "value", weight: 1 }, { name: "margin", weight: -0.2 }])).toThrow("weights: weight of margin is -0.2: weights must be 0 or more");
    expect(() => normaliseWeights([{ name: "value", weight: 0 }])).toThrow("all weights are 0");
    expect(() => normaliseWeights([{ name: "value", weight: NaN }])).toThrow("weight of value must be a finite number");
  });

  it("share normalisation rejects a negative row (naming the criterion), the rest is scored", () => {
    const r = weightedScore([
      { name: "value", values: [10, 10], weight: 1 },
      { name: "margin", values: [5, -1], weight: 1 },
    ]);
    expect(r.issues.get(1)?.message).toMatch(/^margin -1 is negative/);
    expect(r.score[0]).toBeCloseTo(1, 14);
    expect(Number.isNaN(r.score[1])).toBe(true);
  });

  it("matches the pandas reference (share and min-max) on the product aggregate", () => {
    const prod = ref.aggregate.product;
    for (const norm of ["share", "minMax"] as const) {
      const w = ref.score[norm].weights as Record<string, number>;
      const r = weightedScore(
        Object.entries(w).map(([name, weight]) => ({ name, values: prod[name] as number[], weight })),
        { normalisation: norm },
      );
      (ref.score[norm].score as number[]).forEach((s, i) => expect(r.score[i]).toBeCloseTo(s, 12));
      expect(Array.from(classifyAbc(r.score).abc)).toEqual(ref.score[norm].classes);
    }
  });

  it("property: one criterion of any weight gives the ABC classes of that criterion", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 40 }), fc.double({ min: 0.01, max: 100, noNaN: true }), (xs, w) => {
        fc.pre(xs.some((x) => x > 0));
        const s = weightedScore([{ name: "value", values: xs, weight: w }]);
        expect(Array.from(classifyAbc(s.score).abc)).toEqual(Array.from(classifyAbc(xs).abc));
      }),
    );
  });

  it("property: scaling every weight by the same factor leaves the score unchanged", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 0, max: 500 })), { minLength: 2, maxLength: 30 }),
        fc.double({ min: 0.1, max: 10, noNaN: true }),
        fc.double({ min: 0.1, max: 10, noNaN: true }),
        fc.double({ min: 0.1, max: 50, noNaN: true }),
        (rows, w1, w2, k) => {
          const a = rows.map((r) => r[0]);
          const b = rows.map((r) => r[1]);
          const s1 = weightedScore([{ name: "a", values: a, weight: w1 }, { name: "b", values: b, weight: w2 }], { normalisation: "minMax" });
          const s2 = weightedScore([{ name: "a", values: a, weight: w1 * k }, { name: "b", values: b, weight: w2 * k }], { normalisation: "minMax" });
          s1.score.forEach((x, i) => expect(s2.score[i]).toBeCloseTo(x, 10));
        },
      ),
    );
  });
});

describe("two-axis ABC (value × margin)", () => {
  it("gives each row the cell of its two classes (hand-checked)", () => {
    // value 50,30,10,5,3,2 → A A B B C C; margin 5,1,20,-3,4,10 → positives total 40:
    // 20 (.5) A, 10 (.75) A, 5 (.875) B, 4 (.975) C, 1 (1.0) C, -3 → L
    const r = twoAxisAbc({ name: "value", values: [50, 30, 10, 5, 3, 2] }, { name: "margin", values: [5, 1, 20, -3, 4, 10], options: { negative: "loss" } });
    expect(Array.from(r.cell, (c) => r.labels[c])).toEqual(["AB", "AC", "BA", "BL", "CC", "CA"]);
    const cell = (l: string) => r.grid.find((g) => g.cell === l)!;
    expect(cell("AB").count).toBe(1);
    expect(cell("AB").xShare).toBeCloseTo(0.5, 14);
    expect(cell("AB").yShare).toBeCloseTo(5 / 40, 14);
    expect(cell("BL").yShare).toBe(0);
    expect(r.grid).toHaveLength(3 * 4);
    expect(cell("BB").count).toBe(0);
  });

  it("a row rejected on one axis has no cell and its issue names the axis", () => {
    const r = twoAxisAbc({ name: "value", values: [10, 20] }, { name: "margin", values: [NaN, 5] });
    expect(r.cell[0]).toBe(-1);
    expect(r.issues.get(0)?.message).toBe("margin: value NaN is not a finite number");
  });

  it("property: cell counts add up to the rows with a cell", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 99 }), fc.integer({ min: -20, max: 99 })), { minLength: 1, maxLength: 50 }), (rows) => {
        const r = twoAxisAbc({ name: "value", values: rows.map((x) => x[0]) }, { name: "margin", values: rows.map((x) => x[1]), options: { negative: "loss" } });
        const withCell = Array.from(r.cell).filter((c) => c >= 0).length;
        expect(r.grid.reduce((s, g) => s + g.count, 0)).toBe(withCell);
      }),
    );
  });
});
