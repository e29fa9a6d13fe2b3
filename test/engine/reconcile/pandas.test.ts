/**
 * The reconciliation against an independent pandas computation of the same rules
 * (test/fixtures/gen_reconcile.py -> test/fixtures/reconcile_reference.json): 1,200 SKUs, 1,235
 * finance rows with every spelling difference, two currencies, duplicates and one-sided rows.
 */
import fixture from "../../fixtures/reconcile_reference.json";
import { NOT_IN_SEGMENTATION, type CategoryRule } from "../../../src/engine/reconcile";
import { reconcile } from "../../../src/engine/reconcileJoin";

const num = (xs: (number | null)[]) => Float64Array.from(xs, (x) => (x === null ? Number.NaN : x));
const s = fixture.segmentation;
const f = fixture.finance;
const e = fixture.expected;
const result = reconcile(
  { sku: s.sku as (string | number)[], segment: s.segment, value: num(s.value), quantity: num(s.quantity), pinned: Uint8Array.from(s.pinned), inactive: Uint8Array.from(s.inactive) },
  {
    sku: f.sku as (string | number)[],
    category: f.category,
    bookValue: num(f.bookValue),
    quantity: num(f.quantity),
    currency: f.currency,
    entity: f.entity,
    sourceRow: Int32Array.from(f.sourceRow),
    sheetName: "Finance",
  },
  {
    valueTolerance: fixture.options.valueTolerance,
    quantityTolerance: fixture.options.quantityTolerance,
    currency: fixture.options.currency,
    rates: fixture.options.rates,
    categoryRules: fixture.options.categoryRules as CategoryRule[],
  },
);
const close = (a: number, b: number) => expect(a).toBeCloseTo(b, 6);

describe("reconcile vs pandas (gen_reconcile.py)", () => {
  it("matches the same rows by the same rules", () => {
    const byRule = Object.fromEntries(result.match.rules.map((r) => [r.rule, r.matched]));
    expect(byRule).toEqual(e.ruleCounts);
    expect(result.match.ambiguousRows).toBe(0);
  });

  it("totals", () => {
    close(result.totals.segmentationValue, e.totals.segmentationValue);
    close(result.totals.financeValue, e.totals.financeValue);
    close(result.totals.difference, e.totals.segmentationValue - e.totals.financeValue);
    expect(result.totals.segmentationSkus).toBe(e.totals.segmentationSkus);
    expect(result.totals.financeRows).toBe(e.totals.financeRows);
    expect(result.rejected).toEqual([]);
  });

  it("bridge by reason and status lines", () => {
    const bridge = Object.fromEntries(result.bridge.map((b) => [b.reason, b]));
    expect(Object.keys(bridge).sort()).toEqual(Object.keys(e.bridge).sort());
    for (const [reason, x] of Object.entries(e.bridge)) {
      expect([reason, bridge[reason].items]).toEqual([reason, x.items]);
      close(bridge[reason].segmentationValue, x.segmentationValue);
      close(bridge[reason].financeValue, x.financeValue);
      close(bridge[reason].difference, x.difference);
    }
    for (const line of result.status.byStatus) {
      const x = (e.byStatus as Record<string, { items: number; segmentationValue: number; financeValue: number; difference: number }>)[line.status];
      expect(line.items).toBe(x.items);
      close(line.segmentationValue, x.segmentationValue);
      close(line.financeValue, x.financeValue);
      close(line.difference, x.difference);
    }
    expect(result.status.status).toBe("unexplained");
  });

  it("cross-tab of book value and of segmentation value, with margins", () => {
    const ct = result.crossTab;
    const check = (matrix: number[][], ref: Record<string, Record<string, number>>, rowTotal: (i: number) => number, colTotal: (j: number) => number, grand: number) => {
      for (let i = 0; i < ct.segments.length; i++) {
        for (let j = 0; j < ct.categories.length; j++) {
          const want = ref[ct.segments[i]]?.[ct.categories[j]] ?? 0;
          close(matrix[i][j], want);
        }
        close(rowTotal(i), ref[ct.segments[i]]?.Total ?? 0);
      }
      for (let j = 0; j < ct.categories.length; j++) close(colTotal(j), ref.Total[ct.categories[j]] ?? 0);
      close(grand, ref.Total.Total);
    };
    check(ct.financeValue, e.crossTabFinance, (i) => ct.rowTotals[i].financeValue, (j) => ct.columnTotals[j].financeValue, ct.grandTotal.financeValue);
    check(ct.segmentationValue, e.crossTabSegmentation, (i) => ct.rowTotals[i].segmentationValue, (j) => ct.columnTotals[j].segmentationValue, ct.grandTotal.segmentationValue);
    // every pandas row/column appears
    expect(new Set(ct.segments)).toEqual(new Set(Object.keys(e.crossTabFinance).filter((k) => k !== "Total")));
  });

  it("per-segment totals", () => {
    for (const p of result.perSegment) {
      const x = (e.perSegment as Record<string, { skus: number; segmentationValue: number; financeValue: number; difference: number }>)[p.label];
      if (p.label !== NOT_IN_SEGMENTATION) expect(p.skus).toBe(x.skus);
      close(p.segmentationValue, x.segmentationValue);
      close(p.financeValue, x.financeValue);
      close(p.difference, x.difference);
    }
  });

  it("one-sided rows, duplicates, differences and rule violations", () => {
    expect(result.segmentationOnly.map((r) => r.sku).sort()).toEqual(e.segmentationOnly);
    expect(result.financeOnly.map((r) => r.sourceRow).sort((a, b) => a - b)).toEqual(e.financeOnlyRows);
    expect(result.duplicates.filter((d) => d.sku !== null).map((d) => d.sku).sort()).toEqual(e.duplicateSkus);
    expect(result.duplicates.filter((d) => d.sku === null).map((d) => d.key).sort()).toEqual(e.duplicateFinanceOnlyKeys);
    const count = (rows: { status: string }[], st: string) => rows.filter((r) => r.status === st).length;
    expect(count(result.valueDifferences, "within tolerance")).toBe(e.valueDifferences["within tolerance"]);
    expect(count(result.valueDifferences, "unexplained")).toBe(e.valueDifferences.unexplained);
    expect(count(result.quantityDifferences, "unexplained")).toBe(e.quantityDifferences.unexplained);
    expect(result.categoryViolations.map((v) => [v.sku, v.rule, v.sourceRow]).sort((a, b) => (a[2] as number) - (b[2] as number))).toEqual(e.categoryViolations);
  });
});
