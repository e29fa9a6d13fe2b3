/** The import's pure helpers: header guesses, the CLI command (checked against the CLI's own parsers), the imported table's value. */
import { parseArgs, parseCalendar } from "../../src/cli/main";
import { defaultClassifyOptions } from "../../src/app/classifyTypes";
import { calendarCliText, defaultImportOptions, importCliCommand, importedTable, importMappingProblems, proposeImportMapping, type BucketedHistory } from "../../src/app/importSource";
import type { Calendar } from "../../src/engine/periods";

describe("proposeImportMapping", () => {
  it("maps an SAP-style header row and uses each column once", () => {
    const h = ["Material", "Plant", "Posting Date", "Movement Type", "Material Document", "Quantity", "Customer", "Material Group", "Category"];
    const m = proposeImportMapping(h);
    expect(m).toEqual({ sku: 0, location: 1, date: 2, orderType: 3, transactionId: 4, quantity: 5, customer: 6, family: 7, category: 8, unitCost: null });
    expect(importMappingProblems(m, h)).toEqual([]);
  });
  it("names the required fields it could not find and a column mapped twice", () => {
    const h = ["Item", "When", "Qty"];
    const m = proposeImportMapping(h);
    expect(importMappingProblems(m, h)).toEqual(["Map the Date column."]);
    expect(importMappingProblems({ ...m, date: 0 }, h)).toEqual(['Date and SKU are both mapped to "Item": a column serves one field.']);
  });
});

describe("importCliCommand", () => {
  const calendars: Calendar[] = [
    { kind: "isoWeek" },
    { kind: "month" },
    { kind: "fiscalMonth", startMonth: 4, yearLabel: "end" },
    { kind: "fiscalMonth", startMonth: 7, yearLabel: "start" },
    { kind: "fiscalWeeks", pattern: "4-4-5", yearEndMonth: 9, weekEndDay: 6, rule: "last", yearLabel: "end" },
  ];
  it.each(calendars)("writes %j as a --calendar text the CLI reads back to the same calendar", (c) => {
    expect(parseCalendar(calendarCliText(c))).toEqual(c);
  });
  it("gives the command with the mapping as --col options, which the CLI's argument parser reads back", () => {
    const headers = ["Material", "Posting Date", "Qty", "Plant", "Movement Type"];
    const o = { ...defaultImportOptions(), numberLocale: "de" as const, dateFormat: "dmy" as const, excludeOrderTypes: ["ZFOC", "RE"] };
    const cmd = importCliCommand("ERP 2024.xlsx", o, proposeImportMapping(headers), headers);
    expect(cmd).toBe(
      "npx seg classify --in 'ERP 2024.csv' --out 'ERP 2024-segments.csv' --calendar isoWeek --date-format dmy --locale de --exclude-order-types ZFOC,RE --col sku=Material --col 'date=Posting Date' --col quantity=Qty --col location=Plant --col 'order_type=Movement Type'",
    );
    // the words as a shell would split them
    const words = [...cmd.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]).slice(2);
    const args = parseArgs(words);
    expect(args.flags.get("col")).toEqual(["sku=Material", "date=Posting Date", "quantity=Qty", "location=Plant", "order_type=Movement Type"]);
    expect(args.flags.get("in")).toEqual(["ERP 2024.csv"]);
  });
});

describe("importedTable", () => {
  it("values each history as mean demand over the window × periods a year × unit cost (1 when none)", () => {
    const h = {
      n: 2,
      periods: 3,
      sku: ["A", "A"],
      location: ["DC1", "DC2"],
      history: new Float64Array([1, 2, 3, 0, 0, 6]),
      unitCost: new Float64Array([2, Number.NaN]),
      family: ["F", "F"],
      counts: { rows: 9 },
    } as unknown as BucketedHistory;
    const t = importedTable(h, { ...defaultClassifyOptions(), periodsPerYear: 12, demandWindow: 2 }, "x.csv");
    expect(t.sku).toEqual(["A @ DC1", "A @ DC2"]);
    // A @ DC1: (2 + 3) / 2 × 12 × 2 = 60; A @ DC2: (0 + 6) / 2 × 12 × 1 = 36
    expect([...t.value]).toEqual([60, 36]);
    expect(t.location).toEqual(["DC1", "DC2"]);
    expect([...t.lastFilled]).toEqual([2, 2]);
  });
});
