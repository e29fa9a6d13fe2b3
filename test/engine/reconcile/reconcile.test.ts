/**
 * Hand-checked reconciliation cases: every expected figure below is worked out in the comment
 * beside it from the inputs, not copied from the engine's output.
 */
import { ArgumentError } from "../../../src/engine/errors";
import { FinanceRows, NOT_IN_FINANCE, NOT_IN_SEGMENTATION, RECONCILE_REASONS, SEVERAL_CATEGORIES, SegmentationRows, reconcileSummary } from "../../../src/engine/reconcile";
import { matchingRule, normalizeSku, reconcile } from "../../../src/engine/reconcileJoin";

function segRows(rows: [string | number, string, number, number?][], extra: Partial<SegmentationRows> = {}): SegmentationRows {
  return {
    sku: rows.map((r) => r[0]),
    segment: rows.map((r) => r[1]),
    value: Float64Array.from(rows.map((r) => r[2])),
    quantity: Float64Array.from(rows.map((r) => r[3] ?? Number.NaN)),
    ...extra,
  };
}

function finRows(rows: [string | number, string, number, number?, string?, string?][], sheetName = "Finance"): FinanceRows {
  return {
    sku: rows.map((r) => r[0]),
    category: rows.map((r) => r[1]),
    bookValue: Float64Array.from(rows.map((r) => r[2])),
    quantity: Float64Array.from(rows.map((r) => r[3] ?? Number.NaN)),
    currency: rows.some((r) => r[4] !== undefined) ? rows.map((r) => r[4] ?? "") : undefined,
    entity: rows.some((r) => r[5] !== undefined) ? rows.map((r) => r[5] ?? "") : undefined,
    sourceRow: Int32Array.from(rows.map((_, i) => i + 2)),
    sheetName,
  };
}

describe("SKU normalisation rules", () => {
  it("matches each pair by the first rule that makes them equal", () => {
    expect(matchingRule("A-1", "A-1")).toBe("exact");
    expect(matchingRule(1234, 1234)).toBe("exact");
    expect(matchingRule(1234, "1234")).toBe("numberText");
    expect(matchingRule(" 1234 ", 1234)).toBe("trim");
    expect(matchingRule("\u00a0ab-7", "ab-7")).toBe("trim"); // NBSP from a web export
    expect(matchingRule("ab-7", "AB-7")).toBe("case");
    expect(matchingRule(1234, "001234")).toBe("leadingZeros");
    expect(matchingRule("000000000000001234", "1234")).toBe("leadingZeros"); // SAP's 18-digit MATNR
    expect(matchingRule("00A12", "A12")).toBeNull(); // not all digits: zeros are significant
    expect(matchingRule("0", "000")).toBe("leadingZeros"); // one zero is kept
    expect(matchingRule(12.5, "12.5")).toBe("numberText");
    expect(matchingRule(12.5, "12.50")).toBeNull(); // text is not read as a number
  });

  it("can switch rules off", () => {
    expect(matchingRule(1234, "001234", { leadingZeros: false })).toBeNull();
    expect(matchingRule(1234, "1234", { numberText: false })).toBeNull();
    expect(matchingRule("ab", "AB", { case: false })).toBeNull();
    expect(normalizeSku(" 0042 ")).toBe("42");
    expect(normalizeSku(" 0042 ", { trim: false })).toBe(" 0042 ");
    expect(normalizeSku(42)).toBe("42");
  });
});

describe("reconcile: a hand-checked example", () => {
  // Segmentation: 5 SKUs; finance: 6 rows.
  // 1234 (number) vs "001234" text: leadingZeros; AB-7 vs " ab-7": case (trim then upper);
  // X9 ties exactly; Q1 differs by 0.5 (within abs 1); Z5 only in segmentation; "777" only in finance.
  const seg = segRows([
    [1234, "AX", 1000, 10],
    ["AB-7", "BY", 500, 5],
    ["X9", "CZ", 200, 2],
    ["Q1", "CX", 100.5, 1],
    ["Z5", "AY", 300, 3],
  ]);
  const fin = finRows([
    ["001234", "Raw material", 1000, 10],
    [" ab-7", "Finished goods", 480, 5],
    ["X9", "Finished goods", 200, 2],
    ["Q1", "Raw material", 100, 1],
    ["777", "Spare parts", 50],
    ["X9X", "Spare parts", 0],
  ]);
  const r = reconcile(seg, fin, { valueTolerance: { abs: 1, rel: 0 } });

  it("reports what each join rule matched", () => {
    const byRule = Object.fromEntries(r.match.rules.map((x) => [x.rule, x.matched]));
    expect(byRule).toEqual({ exact: 2, numberText: 0, trim: 0, case: 1, leadingZeros: 1 });
    expect(r.match.rules.find((x) => x.rule === "leadingZeros")!.examples).toEqual([{ segmentationSku: "1234", financeSku: "001234", sourceRow: 2 }]);
    expect(r.match.matchedRows).toBe(4);
    expect(r.match.unmatchedRows).toBe(2);
  });

  it("totals: 2100.5 vs 1830, difference 270.5 (14.78 %)", () => {
    // seg 1000 + 500 + 200 + 100.5 + 300 = 2100.5; finance 1000 + 480 + 200 + 100 + 50 + 0 = 1830
    expect(r.totals.segmentationValue).toBeCloseTo(2100.5, 10);
    expect(r.totals.financeValue).toBeCloseTo(1830, 10);
    expect(r.totals.difference).toBeCloseTo(270.5, 10);
    expect(r.totals.differencePct!).toBeCloseTo(270.5 / 1830, 12);
  });

  it("bridge lines add up to the difference, one reason per item", () => {
    const line = (reason: string) => r.bridge.find((b) => b.reason === reason);
    expect(line("ties out")).toMatchObject({ items: 2, difference: 0 }); // 1234, X9
    expect(line("within tolerance")).toMatchObject({ items: 1 }); // Q1 +0.5
    expect(line("within tolerance")!.difference).toBeCloseTo(0.5, 12);
    expect(line("value difference")).toMatchObject({ items: 1, difference: 20 }); // AB-7 500 - 480
    expect(line("not in finance")).toMatchObject({ items: 1, difference: 300 }); // Z5
    expect(line("not in segmentation")).toMatchObject({ items: 2, difference: -50 }); // 777, X9X
    const sum = r.bridge.reduce((a, b) => a + b.difference, 0);
    expect(sum).toBeCloseTo(r.totals.difference, 10);
  });

  it("status: unexplained overall, with counts and value per status", () => {
    expect(r.status.status).toBe("unexplained");
    const [ties, within, unexplained] = r.status.byStatus;
    expect(ties).toMatchObject({ status: "ties out", items: 2, segmentationValue: 1200, financeValue: 1200 });
    expect(within).toMatchObject({ status: "within tolerance", items: 1 });
    expect(unexplained).toMatchObject({ status: "unexplained", items: 4, segmentationValue: 800, financeValue: 530, difference: 270 });
  });

  it("lists one-sided rows and differences", () => {
    expect(r.segmentationOnly).toEqual([{ sku: "Z5", segment: "AY", value: 300, sourceRow: 5 }]);
    expect(r.financeOnly.map((f) => [f.sku, f.sourceRow, f.reason])).toEqual([
      ["777", 6, "not in segmentation"],
      ["X9X", 7, "not in segmentation"],
    ]);
    expect(r.valueDifferences.map((d) => [d.sku, d.difference, d.status])).toEqual([
      ["AB-7", 20, "unexplained"],
      ["Q1", expect.closeTo(0.5, 12), "within tolerance"],
    ]);
    expect(r.valueDifferences[0]).toMatchObject({ sourceRow: 3, category: "Finished goods", tolerance: 1, differencePct: 20 / 480 });
    expect(r.quantityDifferences).toEqual([]); // every compared quantity is equal
  });

  it("cross-tab: segment x category with row and column totals that tie to the sheet totals", () => {
    const ct = r.crossTab;
    expect(ct.segments).toEqual(["AX", "AY", "BY", "CX", "CZ", NOT_IN_SEGMENTATION]);
    expect(ct.categories).toEqual(["Finished goods", "Raw material", "Spare parts", NOT_IN_FINANCE]);
    const fv = (s: string, c: string) => ct.financeValue[ct.segments.indexOf(s)][ct.categories.indexOf(c)];
    const sv = (s: string, c: string) => ct.segmentationValue[ct.segments.indexOf(s)][ct.categories.indexOf(c)];
    expect(fv("AX", "Raw material")).toBe(1000);
    expect(fv("BY", "Finished goods")).toBe(480);
    expect(fv(NOT_IN_SEGMENTATION, "Spare parts")).toBe(50);
    expect(sv("AY", NOT_IN_FINANCE)).toBe(300);
    expect(sv("CX", "Raw material")).toBe(100.5);
    expect(ct.columnTotals.map((c) => [c.label, c.financeValue])).toEqual([
      ["Finished goods", 680],
      ["Raw material", 1100],
      ["Spare parts", 50],
      [NOT_IN_FINANCE, 0],
    ]);
    expect(ct.grandTotal.financeValue).toBeCloseTo(r.totals.financeValue, 10);
    expect(ct.grandTotal.segmentationValue).toBeCloseTo(r.totals.segmentationValue, 10);
    const perSeg = Object.fromEntries(r.perSegment.map((p) => [p.label, [p.segmentationValue, p.financeValue, p.difference]]));
    expect(perSeg.BY).toEqual([500, 480, 20]);
    expect(perSeg.AY).toEqual([300, 0, 300]);
    expect(perSeg[NOT_IN_SEGMENTATION]).toEqual([0, 50, -50]);
  });

  it("per-row codes line up with the inputs", () => {
    expect(Array.from(r.financeMatch)).toEqual([0, 1, 2, 3, -1, -1]);
    expect(Array.from(r.segFinanceCount)).toEqual([1, 1, 1, 1, 0]);
    expect(Array.from(r.segReason, (c) => RECONCILE_REASONS[c])).toEqual(["ties out", "value difference", "ties out", "within tolerance", "not in finance"]);
  });

  it("summary for the audit entry", () => {
    const s = reconcileSummary(r, "20261125T100000Z-3fa9c2d1", "ab".repeat(32));
    expect(s).toMatchObject({ status: "unexplained", segmentationOnly: 1, financeOnly: 2, matchedByRule: { leadingZeros: 1, case: 1 } });
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });
});

describe("tolerance edges (OR rule: |d| <= abs or |d| <= rel * |finance|)", () => {
  const one = (s: number, f: number, abs: number, rel: number) => {
    const r = reconcile(segRows([["A", "AX", s]]), finRows([["A", "Cat", f]]), { valueTolerance: { abs, rel } });
    return r.status.status;
  };
  it("equality is within, one cent more is not", () => {
    expect(one(100.01, 100, 0.01, 0)).toBe("within tolerance"); // |d| = 0.01 = abs (float noise allowed)
    expect(one(100.02, 100, 0.01, 0)).toBe("unexplained");
    expect(one(1001, 1000, 0, 0.001)).toBe("within tolerance"); // 1 = 0.1 % of 1000
    expect(one(1001.01, 1000, 0, 0.001)).toBe("unexplained");
  });
  it("either bound suffices (OR), and the relative one scales with finance", () => {
    expect(one(1005, 1000, 5, 0.001)).toBe("within tolerance"); // abs 5 covers it, rel allows 1
    expect(one(1_000_500, 1_000_000, 5, 0.001)).toBe("within tolerance"); // rel allows 1000
    expect(one(1_002_000, 1_000_000, 5, 0.001)).toBe("unexplained"); // 2000 > max(5, 1000)
  });
  it("relative to |finance| also for negative book values", () => {
    expect(one(-1001, -1000, 0, 0.001)).toBe("within tolerance");
  });
  it("floating-point noise ties out", () => {
    expect(one(0.1 + 0.2, 0.3, 0, 0)).toBe("ties out");
    expect(one(3 * 33.33, 99.99, 0, 0)).toBe("ties out");
  });
  it("quantity tolerance is separate", () => {
    const r = reconcile(segRows([["A", "AX", 10, 5]]), finRows([["A", "Cat", 10, 6]]), { quantityTolerance: { abs: 0, rel: 0 } });
    expect(r.status.status).toBe("unexplained");
    expect(r.bridge.map((b) => b.reason)).toEqual(["quantity difference"]);
    expect(r.quantityDifferences[0]).toMatchObject({ segmentation: 5, finance: 6, difference: -1 });
    const ok = reconcile(segRows([["A", "AX", 10, 5]]), finRows([["A", "Cat", 10, 6]]), { quantityTolerance: { abs: 1, rel: 0 } });
    expect(ok.status.status).toBe("within tolerance");
  });
  it("rejects a negative tolerance by name", () => {
    expect(() => reconcile(segRows([["A", "AX", 1]]), finRows([["A", "C", 1]]), { valueTolerance: { abs: -1, rel: 0 } })).toThrow(new ArgumentError("valueTolerance.abs", "must be a number >= 0, got -1"));
  });
});

describe("ties: everything equal", () => {
  it("is 'ties out' with no lists", () => {
    const r = reconcile(segRows([["A", "AX", 10], ["B", "BX", 20]]), finRows([["A", "C1", 10], ["B", "C2", 20]]));
    expect(r.status.status).toBe("ties out");
    expect(r.totals.difference).toBe(0);
    expect(r.segmentationOnly.length + r.financeOnly.length + r.valueDifferences.length + r.duplicates.length).toBe(0);
    expect(r.crossTab.categories).toEqual(["C1", "C2"]); // no empty pseudo columns
  });
});

describe("duplicates on the finance side", () => {
  it("are listed, not summed: 1234 and '001234' both in finance", () => {
    // finance rows 2 and 3 are the same SKU after leadingZeros; together 600 vs 600 in the
    // segmentation, but the engine must not call that a tie.
    const r = reconcile(segRows([[1234, "AX", 600]]), finRows([[1234, "Raw", 400], ["001234", "Raw", 200]]));
    expect(r.duplicates).toEqual([
      {
        key: "1234",
        sku: "1234",
        segment: "AX",
        rows: [
          { sourceRow: 2, sku: "1234", category: "Raw", entity: "", bookValue: 400 },
          { sourceRow: 3, sku: "001234", category: "Raw", entity: "", bookValue: 200 },
        ],
        total: 600,
        kind: "no entity",
        summed: false,
      },
    ]);
    expect(r.status.status).toBe("unexplained");
    expect(r.bridge).toEqual([{ reason: "duplicate in finance", items: 1, segmentationValue: 600, financeValue: 600, difference: 0 }]);
    expect(r.valueDifferences).toEqual([]);
  });

  it("across entities can be summed on request, and are still listed", () => {
    const fin = finRows([
      ["S1", "Raw", 400, undefined, undefined, "DE01"],
      ["S1", "Raw", 200, undefined, undefined, "US01"],
    ]);
    const listed = reconcile(segRows([["S1", "AX", 600]]), fin);
    expect(listed.duplicates[0]).toMatchObject({ kind: "across entities", summed: false });
    expect(listed.status.status).toBe("unexplained");
    const summed = reconcile(segRows([["S1", "AX", 600]]), fin, { duplicates: "sumAcrossEntities" });
    expect(summed.duplicates[0]).toMatchObject({ kind: "across entities", summed: true, total: 600 });
    expect(summed.status.status).toBe("ties out");
  });

  it("same-entity duplicates are never summed", () => {
    const fin = finRows([
      ["S1", "Raw", 400, undefined, undefined, "DE01"],
      ["S1", "Raw", 200, undefined, undefined, "DE01"],
    ]);
    const r = reconcile(segRows([["S1", "AX", 600]]), fin, { duplicates: "sumAcrossEntities" });
    expect(r.duplicates[0]).toMatchObject({ kind: "same entity", summed: false });
    expect(r.status.status).toBe("unexplained");
  });

  it("finance-only duplicates are grouped by normalised key", () => {
    const r = reconcile(segRows([["A", "AX", 1]]), finRows([["A", "C", 1], ["0099", "C", 5], [99, "C", 7]]));
    expect(r.financeOnly.map((f) => f.key)).toEqual(["99", "99"]);
    expect(r.duplicates).toEqual([expect.objectContaining({ key: "99", sku: null, total: 12 })]);
  });

  it("a SKU in two categories lands in the several-categories column on the segmentation side", () => {
    const r = reconcile(segRows([["A", "AX", 10]]), finRows([["A", "C1", 4], ["A", "C2", 6]]));
    const ct = r.crossTab;
    expect(ct.categories).toEqual(["C1", "C2", SEVERAL_CATEGORIES]);
    expect(ct.segmentationValue[0]).toEqual([0, 0, 10]);
    expect(ct.financeValue[0]).toEqual([4, 6, 0]);
  });
});

describe("number vs text part numbers and collisions", () => {
  it("prefers the more exact match when the segmentation holds both spellings", () => {
    // "ab" and "AB" are different SKUs in the segmentation: finance "ab" matches "ab" exactly,
    // finance "Ab" reaches the case rule where both are candidates: ambiguous, not guessed.
    const r = reconcile(segRows([["ab", "AX", 1], ["AB", "BX", 2]]), finRows([["ab", "C", 1], ["Ab", "C", 2]]));
    expect(Array.from(r.financeMatch)).toEqual([0, -1]);
    expect(r.financeOnly[0]).toMatchObject({ sku: "Ab", reason: "ambiguous SKU", candidates: ["ab", "AB"] });
    expect(r.match.collisions).toEqual([{ rule: "case", key: "AB", skus: ["ab", "AB"] }]);
    expect(r.match.ambiguousRows).toBe(1);
  });

  it("a number cell and zero-padded text meet under leadingZeros", () => {
    const r = reconcile(segRows([["001234", "AX", 5], [42, "BX", 6]]), finRows([[1234, "C", 5], ["0042", "C", 6]]));
    expect(r.match.rules.find((x) => x.rule === "leadingZeros")!.matched).toBe(2);
    expect(r.status.status).toBe("ties out");
  });

  it("with leadingZeros off they stay apart", () => {
    const r = reconcile(segRows([["001234", "AX", 5]]), finRows([[1234, "C", 5]]), { rules: { leadingZeros: false } });
    expect(r.segmentationOnly).toHaveLength(1);
    expect(r.financeOnly).toHaveLength(1);
  });
});

describe("currencies", () => {
  const seg = segRows([["A", "AX", 100], ["B", "BX", 92]]);
  it("refuses mixed currencies without a rate table, naming them", () => {
    const fin = finRows([["A", "C", 100, undefined, "EUR"], ["B", "C", 100, undefined, "usd"]]);
    expect(() => reconcile(seg, fin)).toThrow(ArgumentError);
    expect(() => reconcile(seg, fin)).toThrow(/2 currencies \(EUR: 1 row, USD: 1 row\)/);
  });
  it("refuses a single currency other than the segmentation's", () => {
    const fin = finRows([["A", "C", 100, undefined, "USD"]]);
    expect(() => reconcile(seg, fin, { currency: "EUR" })).toThrow(/in USD but the segmentation is in EUR/);
  });
  it("converts with the rate table; a currency without a rate rejects its row", () => {
    const fin = finRows([
      ["A", "C", 100, undefined, "EUR"],
      ["B", "C", 100, undefined, "USD"],
      ["D", "C", 100, undefined, "CHF"],
      ["E", "C", 100, undefined, ""],
    ]);
    const r = reconcile(seg, fin, { currency: "EUR", rates: { USD: 0.92 } });
    expect(r.currency).toBe("EUR");
    expect(r.status.status).toBe("ties out"); // B: 100 USD x 0.92 = 92 EUR
    expect(r.rejected.map((x) => x.message)).toEqual(["Finance row 4: currency CHF has no rate in the rate table", "Finance row 5: the currency is blank"]);
    expect(r.totals.financeRows).toBe(2);
  });
  it("needs the target currency with rates, and positive rates", () => {
    expect(() => reconcile(seg, finRows([["A", "C", 1, undefined, "USD"]]), { rates: { USD: 0.9 } })).toThrow(/option currency/);
    expect(() => reconcile(seg, finRows([["A", "C", 1, undefined, "USD"]]), { currency: "EUR", rates: { USD: 0 } })).toThrow(new ArgumentError("rates.USD", "must be a number > 0 (units of EUR per USD), got 0"));
  });
});

describe("category rules", () => {
  const seg = segRows([["A", "AX", 1], ["B", "CZ", 1], ["C", "BY", 1], ["D", "AY", 1], ["E", "BZ", 1]], {
    pinned: Uint8Array.from([0, 0, 0, 0, 1]),
    inactive: Uint8Array.from([0, 1, 0, 0, 0]),
  });
  const fin = finRows([
    ["A", "Obsolescence reserve", 1], // AX: neither inactive nor C -> violation
    ["B", "Obsolescence reserve", 1], // CZ and inactive -> ok
    ["C", "Strategic", 1], // BY, not pinned -> violation
    ["D", "strategic", 1], // AY: category matches case-insensitively; A -> ok
    ["E", "Strategic", 1], // BZ pinned -> ok
  ]);
  const r = reconcile(seg, fin, {
    categoryRules: [
      { category: "Obsolescence reserve", allowed: ["inactive", "C"] },
      { category: "Strategic", allowed: ["A", "pinned"] },
      { category: "Service*", allowed: ["*Z", "AQ"] },
    ],
  });
  it("lists the violations with row and rule", () => {
    expect(r.categoryViolations.map((v) => [v.sku, v.rule, v.sourceRow])).toEqual([
      ["A", 0, 2],
      ["C", 1, 4],
    ]);
    expect(r.categoryViolations[0].message).toBe('Finance row 2: SKU "A" is in category "Obsolescence reserve", which allows inactive or C, but its segment is AX');
  });
  it("warns about rules and tokens that match nothing", () => {
    expect(r.ruleWarnings).toEqual(['rule 3: category "Service*" matches no category of the finance sheet', 'rule 3 (Service*): "AQ" matches no segment or ABC class of this segmentation']);
  });
  it("does not change the reconciliation status", () => {
    expect(r.status.status).toBe("ties out");
  });
  it("refuses a rule that allows nothing", () => {
    expect(() => reconcile(seg, fin, { categoryRules: [{ category: "X", allowed: [] }] })).toThrow(/allows nothing/);
  });
});

describe("bad rows and comparisons switched off", () => {
  it("rejects blank SKUs and non-finite values per row, reconciling the rest", () => {
    const r = reconcile(segRows([["A", "AX", 1], ["", "AX", 1], ["B", "AX", Number.NaN]]), finRows([["A", "C", 1], ["  ", "C", 1], ["B", "C", Number.POSITIVE_INFINITY]]));
    expect(r.rejected.map((x) => x.message)).toEqual([
      "segmentation row 2: the SKU is blank",
      'segmentation row 3 (SKU "B"): the value is not a finite number',
      "Finance row 3: the SKU is blank",
      'Finance row 4 (SKU "B"): the book value is not a finite number',
    ]);
    expect(r.status.status).toBe("ties out");
    expect(Array.from(r.segStatus)).toEqual([0, 255, 255]);
  });
  it("compareValue false: matched SKUs are not compared on value", () => {
    const r = reconcile(segRows([["A", "AX", 1000]]), finRows([["A", "C", 50]]), { compareValue: false });
    expect(r.bridge.map((b) => b.reason)).toEqual(["value not compared"]);
    expect(r.status.status).toBe("ties out");
    expect(r.valueDifferences).toEqual([]);
  });
  it("checks column lengths", () => {
    expect(() => reconcile({ sku: ["A"], segment: [], value: [1] }, finRows([]))).toThrow(/segmentation.segment/);
  });
});
