import { ArgumentError } from "../../../src/engine/errors";
import { BusinessRule, compileRules, evaluateRules, historyPeriodsPerSku, whyDecided, whySegment } from "../../../src/engine/rules";

const attributes = {
  SKU: ["P-1", "P-2", "P-3", "P-4", "P-5"],
  Category: ["Critical spares", "Fasteners", "critical SPARES ", "Fasteners", "Filters"],
  Lifecycle: ["Active", "EOL", "Active", "Phase-out", ""],
  "History periods": [52, 52, 4, 30, 5],
  Weight: [1.5, "n/a", 2, null, 0],
};

const table: BusinessRule[] = [
  { name: "EOL items", when: { field: "lifecycle", op: "=", value: "EOL" }, then: { segment: "EOL" } },
  { name: "New items", when: { field: "History periods", op: "<", value: 6 }, then: { segment: "NEW" } },
  { name: "Critical spares", when: { field: "Category", op: "=", value: "Critical spares" }, then: { serviceLevel: 0.995 } },
  { when: { field: "Lifecycle", op: "in", value: "EOL; Phase-out" }, then: { policy: "run down", serviceLevel: 0.9 } },
];

describe("evaluateRules", () => {
  it("decides each outcome by the first matching rule and names it", () => {
    const ev = evaluateRules(table, attributes, 5, attributes.SKU);
    expect(ev.segment).toEqual([null, "EOL", "NEW", null, "NEW"]);
    expect(Array.from(ev.segmentRule)).toEqual([-1, 0, 1, -1, 1]);
    // rule 3 (priority 3) beats rule 4 (priority 4) for the service level; P-3's text differs in case and spaces
    expect(Array.from(ev.serviceLevel)).toEqual([0.995, 0.9, 0.995, 0.9, NaN]);
    expect(ev.policy).toEqual([null, "run down", null, "run down", null]);
    expect(Array.from(ev.matchedCount)).toEqual([1, 2, 2, 2]);
    expect(whySegment(ev, 1)).toBe('rule 1 "EOL items": Lifecycle = "EOL" → segment EOL');
    expect(whySegment(ev, 2)).toBe('rule 2 "New items": History periods < 6 → segment NEW');
    expect(whySegment(ev, 0, "computed: AX")).toBe("computed: AX");
    expect(whyDecided(ev, "serviceLevel", 0)).toBe('rule 3 "Critical spares": Category = "Critical spares" → service level 99.5%');
    expect(whyDecided(ev, "policy", 3)).toBe('rule 4: Lifecycle in {"EOL", "Phase-out"} → service level 90%, policy run down');
  });

  it("lets an explicit priority override the table order", () => {
    const ev = evaluateRules([{ ...table[0], priority: 2 }, { ...table[1], priority: 1 }], { ...attributes, Lifecycle: ["EOL", "EOL", "EOL", "EOL", "EOL"] }, 5);
    expect(ev.segment).toEqual(["EOL", "EOL", "NEW", "EOL", "NEW"]);
  });

  it("supports every operator, AND of conditions, and never reads text as a number", () => {
    const rows = 5;
    const seg = (when: BusinessRule["when"]) => evaluateRules([{ when, then: { segment: "S" } }], attributes, rows).segment.map((s) => (s ? 1 : 0));
    expect(seg({ field: "Weight", op: ">", value: 1 })).toEqual([1, 0, 1, 0, 0]);
    expect(seg({ field: "Weight", op: ">=", value: 2 })).toEqual([0, 0, 1, 0, 0]);
    expect(seg({ field: "Weight", op: "≤", value: 0 })).toEqual([0, 0, 0, 0, 1]);
    expect(seg({ field: "Weight", op: "<=", value: 1.5 })).toEqual([1, 0, 0, 0, 1]);
    expect(seg({ field: "Weight", op: "=", value: "n/a" })).toEqual([0, 1, 0, 0, 0]);
    expect(seg({ field: "Weight", op: "=", value: "" })).toEqual([0, 0, 0, 1, 0]); // blank
    expect(seg({ field: "History periods", op: "=", value: "52" })).toEqual([1, 1, 0, 0, 0]); // text "52" vs the number's text
    expect(seg({ field: "Weight", op: "=", value: 2 })).toEqual([0, 0, 1, 0, 0]);
    expect(seg({ field: "Lifecycle", op: "≠", value: "active" })).toEqual([0, 1, 0, 1, 1]);
    expect(seg({ field: "Lifecycle", op: "<>", value: "active" })).toEqual([0, 1, 0, 1, 1]);
    expect(seg({ field: "Category", op: "contains", value: "spare" })).toEqual([1, 0, 1, 0, 0]);
    expect(seg({ field: "History periods", op: "in", value: [4, 5, 6] })).toEqual([0, 0, 1, 0, 1]);
    expect(
      seg([
        { field: "Category", op: "contains", value: "spares" },
        { field: "History periods", op: "≥", value: 10 },
      ]),
    ).toEqual([1, 0, 0, 0, 0]);
  });

  it("rejects two rules of the same priority that set one SKU's outcome differently, naming both and the SKU", () => {
    const clash: BusinessRule[] = [
      { name: "EOL", priority: 1, when: { field: "Lifecycle", op: "=", value: "EOL" }, then: { segment: "EOL" } },
      { name: "Fasteners", priority: 1, when: { field: "Category", op: "=", value: "Fasteners" }, then: { segment: "C-PARTS" } },
    ];
    expect(() => evaluateRules(clash, attributes, 5, attributes.SKU)).toThrow(ArgumentError);
    expect(() => evaluateRules(clash, attributes, 5, attributes.SKU)).toThrow(
      'rules: rule 1 "EOL" and rule 2 "Fasteners" have the same priority (1) and set the segment of SKU "P-2" differently (EOL vs C-PARTS); give them different priorities',
    );
    // same priority, same outcome: not a contradiction; the first in the table is named
    const agree = evaluateRules([clash[0], { ...clash[1], then: { segment: "EOL" } }], attributes, 5);
    expect(agree.segment[1]).toBe("EOL");
    expect(agree.segmentRule[1]).toBe(0);
    // same priority but different outcomes for different SKUs only: fine
    expect(() => evaluateRules([clash[0], { ...clash[1], when: { field: "Category", op: "=", value: "Filters" } }], attributes, 5)).not.toThrow();
    expect(() => evaluateRules(clash, attributes, 5)).toThrow(/of row 2 differently/);
  });

  it("rejects rules on unmapped columns or with bad parts, naming the rule", () => {
    const one = (rule: BusinessRule) => () => compileRules([table[0], rule], attributes, 5);
    expect(one({ name: "Brand", when: { field: "Brand", op: "=", value: "X" }, then: { segment: "B" } })).toThrow(
      'rules: rule 2 "Brand": field "Brand" is not a mapped column (mapped: SKU, Category, Lifecycle, History periods, Weight)',
    );
    expect(one({ when: { field: "Weight", op: "~" as never, value: 1 }, then: { segment: "B" } })).toThrow(/^rules: rule 2: operator "~" is not one of = ≠ < ≤ > ≥ in contains/);
    expect(one({ when: { field: "Weight", op: "<", value: "heavy" }, then: { segment: "B" } })).toThrow(/rule 2: < needs a number/);
    expect(one({ when: { field: "Weight", op: "in", value: " ; " }, then: { segment: "B" } })).toThrow(/rule 2: "in" needs a list/);
    expect(one({ when: { field: "Weight", op: "=", value: 1 }, then: {} })).toThrow(/rule 2: sets nothing/);
    expect(one({ when: { field: "Weight", op: "=", value: 1 }, then: { serviceLevel: 99.5 } })).toThrow(/rule 2: service level must be strictly between 0 and 1 \(e.g. 0.995 for 99.5%\), got 99.5/);
    expect(one({ when: [], then: { segment: "B" } })).toThrow(/rule 2: give at least one condition/);
    expect(() => compileRules([], { A: [1] }, 2)).toThrow(/^attributes: column "A" has 1 values but there are 2 SKUs/);
  });
});

describe("historyPeriodsPerSku", () => {
  it("counts periods from the first demand to the end", () => {
    const d = [0, 0, 3, 0, 1, /**/ 4, 0, 0, 0, 0, /**/ 0, 0, 0, 0, 0, /**/ 0, 0, 0, 0, 2];
    expect(Array.from(historyPeriodsPerSku(d, 4, 5))).toEqual([3, 5, 0, 1]);
  });
});
