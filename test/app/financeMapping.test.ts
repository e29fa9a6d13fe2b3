/** Finance sheet column mapping and row parsing (src/app/financeMapping.ts, financeParse.ts). */
import { FINANCE_FIELDS, financeMappingKey, financeMappingProblems, proposeFinanceMapping, type FinanceMapping } from "../../src/app/financeMapping";
import { parseFinanceRows } from "../../src/app/financeParse";
import type { RangeSnapshot } from "../../src/app/ports";
import { reconcile } from "../../src/engine/reconcileJoin";

const snap = (values: unknown[][], sheetName = "Finance", firstRow = 0, firstColumn = 0): RangeSnapshot => ({ sheetName, address: `${sheetName}!A1`, firstRow, firstColumn, values });
const mapped = (m: FinanceMapping) => Object.fromEntries(FINANCE_FIELDS.map((f) => [f, m.columns[f]]));

describe("proposeFinanceMapping", () => {
  it("maps an SAP stock valuation export (MB52 / MBEW style headers)", () => {
    const m = proposeFinanceMapping(snap([["Material", "Material description", "Plant", "Valuation class", "Unrestricted", "Value Unrestricted", "Crcy"], ["100234", "Bolt M8", "DE01", "3000", 40, 812.5, "EUR"]]));
    expect(mapped(m)).toEqual({ sku: 0, category: 3, bookValue: 5, quantity: 4, currency: 6, entity: 2 });
  });
  it("maps a GL extract", () => {
    const m = proposeFinanceMapping(snap([["Company Code", "GL Account", "Item", "Amount in LC", "Currency", "Quantity"], ["1000", 140000, "A-1", -25.3, "EUR", 2]]));
    expect(mapped(m)).toEqual({ sku: 2, category: 1, bookValue: 3, quantity: 5, currency: 4, entity: 0 });
  });
  it("maps plain English headers below a title block", () => {
    const m = proposeFinanceMapping(snap([["Inventory valuation Q3", null], [], ["SKU", "Product line", "Book value", "Qty on hand", "Currency", "Entity"], ["S1", "Pumps", 10, 1, "EUR", "DE01"]]));
    expect(m.headerRow).toBe(2);
    expect(mapped(m)).toEqual({ sku: 0, category: 1, bookValue: 2, quantity: 3, currency: 4, entity: 5 });
  });
  it("leaves unknown headers unmapped and says what is missing", () => {
    const m = proposeFinanceMapping(snap([["Foo", "Bar"], ["x", 1]]));
    expect(financeMappingProblems(m, 2)).toEqual(["Choose the column that holds the SKU (material number).", "Choose the column that holds the book value."]);
    const clash: FinanceMapping = { headerRow: 0, columns: { sku: 0, category: null, bookValue: 0, quantity: null, currency: null, entity: 3 } };
    expect(financeMappingProblems(clash, 2)).toEqual(["Book value and SKU / material use the same column: pick a different one for one of them.", "Entity / company code points outside the selected range."]);
  });
  it("remembers finance mappings under their own key", () => {
    expect(financeMappingKey("Finance", ["SKU", "Book value"])).toMatch(/^finance\|Finance\|2-[0-9a-f]{8}$/);
  });
});

describe("parseFinanceRows", () => {
  const values = [
    ["SKU", "Category", "Book value", "Qty", "Currency", "Entity"],
    [1234, "Raw", 100, 5, "eur ", "DE01"],
    [" ab-7", 140000, -20, "", "EUR", ""],
    ["", "Raw", 5, 1, "EUR", "DE01"],
    ["X1", "Raw", "1,234.50", 1, "EUR", "DE01"],
    [null, null, null, null, null, null],
    ["X2", "Raw", null, 1, "EUR", "DE01"],
    ["X3", "Raw", 7, "n/a", "EUR", "DE01"],
    ["X4", "Raw", 7, 1, "  ", "DE01"],
  ];
  const m = proposeFinanceMapping(snap(values));
  // the range starts at B3 of the sheet: row 0 of the snapshot is sheet row 3
  const t = parseFinanceRows(snap(values, "Finance", 2, 1), m);

  it("keeps SKU cells as they are and reads the rest", () => {
    expect(t.sku).toEqual([1234, " ab-7"]);
    expect(t.category).toEqual(["Raw", "140000"]);
    expect(Array.from(t.bookValue)).toEqual([100, -20]);
    expect(Array.from(t.quantity!)).toEqual([5, Number.NaN]);
    expect(t.currency).toEqual(["EUR", "EUR"]);
    expect(t.entity).toEqual(["DE01", ""]);
    expect(Array.from(t.sourceRow)).toEqual([4, 5]);
    expect(t.rowsRead).toBe(7);
  });

  it("rejects each bad row with its cell and reason", () => {
    expect(t.rejected.map((r) => [r.reason, r.message])).toEqual([
      ["missing id", "Finance!B6: the SKU is blank"],
      ["non-numeric value", 'Finance!D7: book value: text "1,234.50" is not a number'],
      ["missing value", "Finance!D9: the book value is blank"],
      ["non-numeric value", 'Finance!E10: quantity: text "n/a" is not a number'],
      ["missing currency", "Finance!F11: the currency is blank"],
    ]);
    expect(t.rejected.map((r) => r.row)).toEqual([6, 7, 9, 10, 11]);
  });

  it("feeds the reconciliation, whose messages name the sheet rows", () => {
    const r = reconcile({ sku: ["1234", "AB-7", "Z9"], segment: ["AX", "BX", "CX"], value: [100, -20, 3] }, t, { currency: "EUR" });
    expect(r.match.rules.filter((x) => x.matched > 0).map((x) => [x.rule, x.matched])).toEqual([
      ["numberText", 1],
      ["case", 1],
    ]);
    expect(r.segmentationOnly.map((x) => x.sku)).toEqual(["Z9"]);
    expect(r.valueDifferences).toEqual([]);
  });
});
