import { detectHeaderRow, emptyMapping, headerSignature, headersOf, isPeriodHeader, mappingKey, mappingProblems, proposeMapping, serialToIso } from "../../src/app/mapping";
import type { RangeSnapshot } from "../../src/app/ports";

function snap(values: unknown[][]): RangeSnapshot {
  return { sheetName: "Data", address: "Data!A1", firstRow: 0, firstColumn: 0, values };
}

const months = Array.from({ length: 12 }, (_, i) => `2025-${String(i + 1).padStart(2, "0")}`);

describe("detectHeaderRow", () => {
  it("skips a title and a blank row above the headers", () => {
    const v = [
      ["Demand report FY25", "", "", ""],
      ["", "", "", ""],
      ["SKU", "Description", "W01", "W02"],
      ["A-1", "Bolt", 4, 5],
    ];
    expect(detectHeaderRow(v)).toBe(2);
  });

  it("recognises date headers stored as Excel serials", () => {
    const v = [
      ["SKU", "Unit cost", 45658, 45665, 45672, 45679],
      ["A-1", 2.5, 4, 5, 6, 7],
    ];
    expect(detectHeaderRow(v)).toBe(0);
    expect(headersOf(snap(v), 0).slice(2, 4)).toEqual(["2025-01-01", "2025-01-08"]);
  });

  it("does not take a data row whose numbers happen to rise as a header", () => {
    const v = [
      ["A-1", "Bolt", 1, 2, 3, 4],
      ["A-2", "Nut", 5, 6, 7, 8],
    ];
    expect(detectHeaderRow(v)).toBeNull();
  });

  it("needs numbers below the header: a block of text only has no header", () => {
    expect(detectHeaderRow([["a", "b"], ["c", "d"], ["e", "f"]])).toBeNull();
  });

  it("uses the lower of two text rows when only the second is followed by numbers", () => {
    const v = [
      ["Item data", "", "Weekly demand", ""],
      ["Item", "Cost", "W1", "W2"],
      ["X", 3, 1, 2],
    ];
    expect(detectHeaderRow(v)).toBe(1);
  });
});

describe("serialToIso", () => {
  it("converts Excel 1900-system serials (45658 is 2025-01-01, 60 days after 1900-01-01 is the 1900 leap-day bug)", () => {
    expect(serialToIso(45658)).toBe("2025-01-01");
    expect(serialToIso(61)).toBe("1900-03-01");
  });
});

describe("isPeriodHeader", () => {
  it.each(["2025-01", "2025-01-06", "2025-W07", "W01", "Wk 3", "Period 12", "M3", "Jan-25", "January 2025", "Feb", "1", "12"])("%s is a period", (h) => {
    expect(isPeriodHeader(h)).toBe(true);
  });
  it.each(["SKU", "Margin", "Unit cost", "Lead time", "Description", "Marketing", "2025 total"])("%s is not a period", (h) => {
    expect(isPeriodHeader(h)).toBe(false);
  });
});

describe("proposeMapping", () => {
  it("maps every field by its usual header names and finds the history block", () => {
    const headers = ["Item No", "Description", "Annual value", "Unit cost", "Lead time", "Lead time sd", "MOQ", "Class", "Strategic", ...months];
    const row = ["A-1", "Bolt", 1200, 2, 3, 0.5, 100, "A", "", ...months.map((_, i) => i)];
    const m = proposeMapping(snap([headers, row]));
    expect(m.headerRow).toBe(0);
    expect(m.columns).toEqual({
      ...emptyMapping().columns,
      sku: 0,
      description: 1,
      value: 2,
      quantity: null,
      unitCost: 3,
      leadTime: 4,
      leadTimeSd: 5,
      moq: 6, // an MOQ column is the minimum order quantity since the policy columns exist
      currentClass: 7,
      pin: 8,
      family: null,
    });
    expect(m.history).toEqual({ first: 9, last: 20 });
    expect(mappingProblems(m, headers.length)).toEqual([]);
  });

  it("maps a product family column by its usual names (the forecast's family level)", () => {
    for (const h of ["Family", "Product family", "Product group", "Item group", "Material group", "Product line"]) {
      const m = proposeMapping(snap([["SKU", h, "Annual value", "W01", "W02", "W03"], ["X", "F1", 10, 1, 2, 3]]));
      expect([h, m.columns.family]).toEqual([h, 1]);
      expect(m.columns.description).toBeNull();
    }
  });

  it("a mapping remembered before the family field existed has no problems", () => {
    const m = proposeMapping(snap([["SKU", "Annual value", "W01", "W02", "W03"], ["X", 10, 1, 2, 3]]));
    const old = { ...m, columns: { ...m.columns } } as typeof m;
    delete (old.columns as Partial<typeof old.columns>).family;
    expect(mappingProblems(old, 5)).toEqual([]);
  });

  it("takes quantity x cost when there is no value column, and does not read 'Sales qty' as a value", () => {
    const headers = ["SKU", "Sales qty", "Std cost", "W01", "W02", "W03"];
    const m = proposeMapping(snap([headers, ["X", 10, 2, 1, 2, 3]]));
    expect(m.columns.value).toBeNull();
    expect(m.columns.quantity).toBe(1);
    expect(m.columns.unitCost).toBe(2);
    expect(m.history).toEqual({ first: 3, last: 5 });
  });

  it("reads 'Order quantity' and 'Lot size' as the order quantity, 'Pack size' as the order multiple, 'Min order qty' as the MOQ, none as the annual quantity", () => {
    const expected: Record<string, string> = { "Order quantity": "orderQty", "Lot size": "orderQty", "Min order qty": "moq", "Pack size": "orderMultiple", "Order multiple": "orderMultiple", "Rounding value": "orderMultiple" };
    for (const [h, field] of Object.entries(expected)) {
      const headers = ["SKU", "Annual value", h, "W01", "W02", "W03"];
      const m = proposeMapping(snap([headers, ["X", 100, 24, 1, 2, 3]]));
      const mapped = Object.entries(m.columns).filter(([, c]) => c === 2).map(([f]) => f);
      expect([h, m.columns.quantity, mapped]).toEqual([h, null, [field]]);
    }
    const both = proposeMapping(snap([["SKU", "Quantity", "Order quantity", "Cost", "W01", "W02"], ["X", 500, 24, 2, 1, 2]]));
    expect([both.columns.quantity, both.columns.orderQty]).toEqual([1, 2]);
  });

  it("falls back to the longest run of numeric columns when headers are not period-like", () => {
    const headers = ["Part number", "Price", "alpha", "beta", "gamma", "delta", "Notes"];
    const m = proposeMapping(snap([headers, ["P1", 2, 1, 2, 3, 4, "x"], ["P2", 3, 0, 1, 0, 2, "y"]]));
    expect(m.columns.sku).toBe(0);
    expect(m.columns.unitCost).toBe(1);
    expect(m.history).toEqual({ first: 2, last: 5 });
  });

  it("uses the detected header row below a title", () => {
    const v = [["Report"], ["SKU", "Value", "M1", "M2"], ["A", 5, 1, 2]];
    const m = proposeMapping(snap(v));
    expect(m.headerRow).toBe(1);
    expect(m.columns.sku).toBe(0);
    expect(m.columns.value).toBe(1);
  });
});

describe("mappingProblems", () => {
  it("says what to map when the SKU, history or value is missing", () => {
    const m = proposeMapping(snap([["Foo", "Bar"], ["x", "y"]]));
    const p = mappingProblems(m, 2);
    expect(p.some((x) => x.includes("SKU id"))).toBe(true);
    expect(p.some((x) => x.includes("demand history"))).toBe(true);
    expect(p.some((x) => x.includes("annual value"))).toBe(true);
  });

  it("reports a field mapped into the history block and a column used twice", () => {
    const m = proposeMapping(snap([["SKU", "Value", "W1", "W2", "W3"], ["a", 1, 1, 2, 3]]));
    const bad = { ...m, columns: { ...m.columns, leadTime: 3, unitCost: 1 } };
    const p = mappingProblems(bad, 5);
    expect(p.some((x) => x.includes("inside the demand history"))).toBe(true);
    expect(p.some((x) => x.includes("same column"))).toBe(true);
  });
});

describe("mapping memory key", () => {
  it("depends on the sheet and every header text", () => {
    const h = ["SKU", "Value", "W1"];
    expect(mappingKey("Data", h)).toBe(mappingKey("Data", [...h]));
    expect(mappingKey("Data", h)).not.toBe(mappingKey("Other", h));
    expect(headerSignature(h)).not.toBe(headerSignature(["SKU", "Value", "W2"]));
  });
});
