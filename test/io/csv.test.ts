/**
 * readCsvColumns (src/io/csv.ts) over the real papaparse, on extracts written by Python's csv
 * module and compared with what that module reads back (test/fixtures/gen_extract_csv.py): quoted
 * commas, doubled quotes and line breaks inside fields (also across papaparse's chunk boundaries),
 * CRLF, a blank line, a ragged row named by line, the delimiter sniffed, a UTF-8 BOM; from a
 * string (the pane's File text) and from a Node read stream.
 */
import { createReadStream, readFileSync } from "node:fs";
import path from "node:path";
import Papa from "papaparse";
import { readCsvColumns, type PapaLike } from "../../src/io/csv";

const fixture = (name: string) => path.join(__dirname, "../fixtures", name);
const expected = JSON.parse(readFileSync(fixture("extract_csv.json"), "utf8")) as Record<string, { headers: string[]; columns: string[][]; rows: number; ragged: number[] }>;
const papa = Papa as unknown as PapaLike;

describe("readCsvColumns with papaparse", () => {
  test.each([
    ["extract_comma.csv", ","],
    ["extract_semicolon.csv", ";"],
  ])("%s from a string in small chunks: the columns Python's csv reader sees, delimiter sniffed", async (name, delimiter) => {
    const text = readFileSync(fixture(name), "utf8");
    const progress: number[] = [];
    const r = await readCsvColumns(papa, text, { chunkSize: 997, onProgress: (d) => progress.push(d) });
    const e = expected[name];
    expect(r.delimiter).toBe(delimiter);
    expect(r.headers).toEqual(e.headers);
    expect(r.rows).toBe(e.rows);
    expect(r.columns).toEqual(e.columns);
    expect(r.problems).toEqual(e.ragged.map((line) => `line ${line}: ${e.headers.length - 1} cells, the header has ${e.headers.length}`));
    expect(progress.length).toBeGreaterThan(5);
    for (let i = 1; i < progress.length; i++) expect(progress[i]).toBeGreaterThan(progress[i - 1]);
  });

  test("from a Node read stream (64 kB default chunks, 1 kB here), the same columns", async () => {
    const e = expected["extract_comma.csv"];
    const r = await readCsvColumns(papa, createReadStream(fixture("extract_comma.csv"), { encoding: "utf8", highWaterMark: 1024 }), {});
    expect(r.headers).toEqual(e.headers);
    expect(r.columns).toEqual(e.columns);
  });

  test("a stated delimiter, the row budget and cancelling stop with the pane's messages", async () => {
    const text = readFileSync(fixture("extract_semicolon.csv"), "utf8");
    const asComma = await readCsvColumns(papa, text, { delimiter: "," });
    expect(asComma.delimiter).toBe(",");
    expect(asComma.headers).not.toEqual(expected["extract_semicolon.csv"].headers);
    await expect(readCsvColumns(papa, text, { maxRows: 100, chunkSize: 2000 })).rejects.toThrow("more than 100 rows, over the pane's budget: use the command-line tool");
    await expect(readCsvColumns(papa, text, { signal: { aborted: true } })).rejects.toThrow("the import was cancelled; nothing was changed");
    await expect(readCsvColumns(papa, "", {})).rejects.toThrow("the file is empty: no header row");
  });
});
