import { checkPaneBudget, cliCommand } from "../../src/io/budget";
import { readCsvColumns, type PapaLike } from "../../src/io/csv";

describe("pane memory budget", () => {
  test("a small file is read in the pane", () => {
    expect(checkPaneBudget({ name: "sales.csv", size: 10 * 1048576 }).ok).toBe(true);
  });
  test("a large file is refused with the exact CLI command", () => {
    const r = checkPaneBudget({ name: "ERP extract 2024.csv", size: 400 * 1048576 }, { calendar: "isoWeek", dateFormat: "dmy", locale: "de", excludeOrderTypes: ["RE", "ZFOC"], by: "region" });
    expect(r.ok).toBe(false);
    expect(r.command).toBe("npx seg classify --in 'ERP extract 2024.csv' --out 'ERP extract 2024-segments.csv' --calendar isoWeek --date-format dmy --locale de --exclude-order-types RE,ZFOC --by region");
    expect(r.message).toBe(`ERP extract 2024.csv (400 MB) needs about 1200 MB in the pane, over its 256 MB budget; nothing was read and nothing already saved has changed. Run it outside Excel instead: ${r.command}`);
    const x = checkPaneBudget({ name: "big.xlsx", size: 30 * 1048576 });
    expect(x.message).toContain("Save the sheet as CSV first (big.csv), then run: npx seg classify --in big.csv --out big-segments.csv");
    expect(cliCommand("it's.csv")).toBe("npx seg classify --in 'it'\\''s.csv' --out 'it'\\''s-segments.csv'");
  });
});

/** A stand-in with papaparse's chunk protocol (comma split, no quoting): enough for the column logic. */
const fakePapa = (chunkRows: number): PapaLike => ({
  parse(input, config) {
    const lines = String(input).split("\n").filter((l) => l.trim() !== "");
    let cursor = 0;
    let aborted = false;
    for (let i = 0; i < lines.length && !aborted; i += chunkRows) {
      const part = lines.slice(i, i + chunkRows);
      cursor += part.join("\n").length + 1;
      config.chunk({ data: part.map((l) => l.split(",")), errors: [], meta: { cursor, delimiter: "," } }, { abort: () => (aborted = true) });
    }
    if (!aborted) config.complete();
  },
});

describe("readCsvColumns", () => {
  test("columns from chunks, ragged rows named by line, progress", async () => {
    const seen: number[] = [];
    const r = await readCsvColumns(fakePapa(2), "sku,date,qty\nA,2024-01-01,5\nB,2024-01-02\nC,2024-01-03,7\n", { onProgress: (d) => seen.push(d) });
    expect(r.headers).toEqual(["sku", "date", "qty"]);
    expect(r.columns[2]).toEqual(["5", "", "7"]);
    expect(r.problems).toEqual(["line 3: 2 cells, the header has 3"]);
    expect(seen.length).toBe(2);
  });
  test("over the row budget, and cancelled", async () => {
    await expect(readCsvColumns(fakePapa(1), "a\n1\n2\n3\n", { maxRows: 2 })).rejects.toThrow("more than 2 rows");
    await expect(readCsvColumns(fakePapa(1), "a\n1\n", { signal: { aborted: true } })).rejects.toThrow("cancelled");
  });
});
