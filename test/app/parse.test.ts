import { sheetCell } from "../../src/app/a1";
import { emptyMapping, type ColumnMapping } from "../../src/app/mapping";
import { isPinned, parseRows } from "../../src/app/parse";
import type { RangeSnapshot } from "../../src/app/ports";

/** Columns: A SKU, B Value, C Lead time, D Pin, E..H history (4 periods). The range starts at A1. */
function mapping(): ColumnMapping {
  const m = emptyMapping(0);
  m.columns.sku = 0;
  m.columns.value = 1;
  m.columns.leadTime = 2;
  m.columns.pin = 3;
  m.history = { first: 4, last: 7 };
  return m;
}

function snap(rows: unknown[][], firstRow = 0, firstColumn = 0, sheetName = "Data"): RangeSnapshot {
  return { sheetName, address: `${sheetName}!A1`, firstRow, firstColumn, values: [["SKU", "Value", "Lead time", "Pin", "W1", "W2", "W3", "W4"], ...rows] };
}

const opts = { periodsPerYear: 52 };

describe("parseRows rejections", () => {
  const rows: unknown[][] = [
    ["S1", 100, 2, "", 1, 2, 3, 4], // row 2: fine
    ["", 50, 2, "", 1, 1, 1, 1], // row 3: missing id
    ["S1", 70, 2, "", 1, 1, 1, 1], // row 4: duplicate of row 2
    ["S4", "n/a", 2, "", 1, 1, 1, 1], // row 5: non-numeric value
    ["S5", -3, 2, "", 1, 1, 1, 1], // row 6: negative value
    ["S6", "", 2, "", 1, 1, 1, 1], // row 7: missing value
    ["S7", 10, 2, "", "", "", "", ""], // row 8: empty history
    ["S8", 10, 2, "", 1, "x", 1, 1], // row 9: text in history (F9)
    ["S9", 10, 2, "", 1, 2, -1, 1], // row 10: negative history (G10)
    ["S10", 10, "soon", "", 1, 2, 1, 1], // row 11: lead time text (C11)
    ["", "", "", "", "", "", "", ""], // row 12: blank row, skipped silently
    ["S12", 10, "", "yes", 0, "", 5, 0], // row 13: fine, blanks in history are 0, pinned
  ];
  const parsed = parseRows(snap(rows), mapping(), opts);

  it("keeps the good rows", () => {
    expect(parsed.sku).toEqual(["S1", "S12"]);
    expect(Array.from(parsed.history)).toEqual([1, 2, 3, 4, 0, 0, 5, 0]);
    expect(Array.from(parsed.pinned)).toEqual([0, 1]);
    expect(Number.isNaN(parsed.leadTime[1])).toBe(true);
    expect(Array.from(parsed.sheetRow)).toEqual([1, 12]);
    expect(parsed.rowsRead).toBe(11); // the blank row is not counted
  });

  it("names the cell and the reason of every rejected row", () => {
    expect(parsed.rejected.map((r) => [r.address, r.reason])).toEqual([
      ["Data!A3", "missing id"],
      ["Data!A4", "duplicate SKU"],
      ["Data!B5", "non-numeric value"],
      ["Data!B6", "negative value"],
      ["Data!B7", "missing value"],
      ["Data!E8:H8", "empty history"],
      ["Data!F9", "non-numeric value"],
      ["Data!G10", "negative value"],
      ["Data!C11", "non-numeric value"],
    ]);
    expect(parsed.rejected[3].message).toBe("Data!B6: negative value -3");
    expect(parsed.rejected[2].message).toBe('Data!B5: text "n/a" is not a number');
    expect(parsed.rejected[1].message).toContain("already appears in row 2");
  });

  it("offsets addresses by where the range starts and quotes sheet names with spaces", () => {
    const p = parseRows(snap([["S1", "n/a", 1, "", 1, 1, 1, 1]], 15, 2, "My data"), mapping(), opts);
    // the value column is the range's 2nd column: D when the range starts in C; data row is sheet row 17
    expect(p.rejected[0].message).toBe(`${sheetCell("My data", 16, 3)}: text "n/a" is not a number`);
    expect(p.rejected[0].message.startsWith("'My data'!D17:")).toBe(true);
  });
});

describe("parseRows value sources", () => {
  it("multiplies quantity by unit cost", () => {
    const m = emptyMapping(0);
    m.columns.sku = 0;
    m.columns.quantity = 1;
    m.columns.unitCost = 2;
    m.history = { first: 3, last: 4 };
    const p = parseRows({ sheetName: "D", address: "D!A1", firstRow: 0, firstColumn: 0, values: [["SKU", "Qty", "Cost", "M1", "M2"], ["a", 10, 2.5, 1, 1]] }, m, opts);
    expect(p.value[0]).toBe(25);
    expect(p.unitCost[0]).toBe(2.5);
  });

  it("annualises the history mean times unit cost when only unit cost is mapped", () => {
    const m = emptyMapping(0);
    m.columns.sku = 0;
    m.columns.unitCost = 1;
    m.history = { first: 2, last: 5 };
    const p = parseRows({ sheetName: "D", address: "D!A1", firstRow: 0, firstColumn: 0, values: [["SKU", "Cost", "M1", "M2", "M3", "M4"], ["a", 2, 1, 2, 3, 6]] }, m, { periodsPerYear: 12 });
    // mean 3 per month x 12 months x 2 per unit
    expect(p.value[0]).toBe(72);
  });

  it("refuses an incomplete mapping with a message saying what to map", () => {
    expect(() => parseRows(snap([]), emptyMapping(0), opts)).toThrow(/map the SKU id/);
  });
});

describe("isPinned", () => {
  it.each([[true], [1], ["Y"], ["yes"], [" x "], ["Pinned"], ["TRUE"]])("%p pins", (c) => expect(isPinned(c)).toBe(true));
  it.each([[false], [0], [""], [null], ["no"], ["n"], [2]])("%p does not pin", (c) => expect(isPinned(c)).toBe(false));
});

describe("parseRows family", () => {
  it("carries the mapped family per accepted SKU (text as read, numbers as their text, blank as \"\")", () => {
    const m = mapping();
    m.columns.family = 3; // the pin column holds the family here
    const parsed = parseRows(snap([["S1", 1, 2, " F-1 ", 1, 2, 3, 4], ["S2", 1, 2, 7, 1, 2, 3, 4], ["", 1, 2, "F9", 1, 1, 1, 1], ["S3", 1, 2, "", 1, 1, 1, 1]]), { ...m, columns: { ...m.columns, pin: null } }, opts);
    expect(parsed.sku).toEqual(["S1", "S2", "S3"]);
    expect(parsed.family).toEqual(["F-1", "7", ""]);
  });

  it("is blank for every SKU when no family column is mapped", () => {
    const parsed = parseRows(snap([["S1", 1, 2, "", 1, 2, 3, 4]]), mapping(), opts);
    expect(parsed.family).toEqual([""]);
  });
});
