import { readFileSync } from "node:fs";
import path from "node:path";
import * as fflate from "fflate";
import { SheetScanner, columnOf, parseSharedStrings, readXlsx, unescapeXml } from "../../src/io/xlsx";

// Worksheet XML as Excel writes it (ECMA-376 18.3.1.4): shared strings, inline strings, numbers, booleans, gaps.
const SHEET = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="inlineStr"><is><t>Qty &amp; units</t></is></c></row>
<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>45292</v></c><c r="C2"><v>12.5</v></c><c r="E2" t="b"><v>1</v></c></row>
<row r="4"><c r="A4" t="str"><f>A2</f><v>P-1</v></c><c r="C4" s="3"/><c r="D4" t="e"><v>#N/A</v></c></row>
</sheetData></worksheet>`;

function scan(chunkSize: number) {
  const rows: { r: number; cells: unknown[] }[] = [];
  const s = new SheetScanner((cells, r) => rows.push({ r, cells: cells.map((c) => (typeof c === "object" ? `s${(c as { index: number }).index}` : c)) }));
  for (let i = 0; i < SHEET.length; i += chunkSize) s.feed(SHEET.slice(i, i + chunkSize));
  return rows;
}

describe("xlsx sheet scanner", () => {
  const expected = [
    { r: 1, cells: ["s0", "s1", "Qty & units"] },
    { r: 2, cells: ["s2", 45292, 12.5, "", true] },
    { r: 4, cells: ["P-1", "", "", "#N/A"] },
  ];
  test("whole text", () => expect(scan(SHEET.length)).toEqual(expected));
  test.each([1, 7, 13, 64])("fed in chunks of %d characters", (n) => expect(scan(n)).toEqual(expected));
  test("shared strings, rich text, entities, column letters", () => {
    expect(parseSharedStrings(`<sst><si><t>SKU</t></si><si><r><t>Posting</t></r><r><t xml:space="preserve"> date</t></r></si><si><t>A&lt;1&#233;</t></si></sst>`)).toEqual(["SKU", "Posting date", "A<1é"]);
    expect([columnOf("A1"), columnOf("Z9"), columnOf("AA3"), columnOf("AB12")]).toEqual([0, 25, 26, 27]);
    expect(unescapeXml("&quot;x&quot; &#x41;")).toBe('"x" A');
  });
});

// ---- the real fflate (streaming Unzip + UnzipInflate) under readXlsx


async function* chunksOf(bytes: Uint8Array, size: number): AsyncIterable<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

describe("readXlsx with fflate", () => {
  // written by openpyxl (test/fixtures/gen_extract_xlsx.py): inline strings, dates as serials, booleans, gaps, a second sheet
  const file = new Uint8Array(readFileSync(path.join(__dirname, "../fixtures/extract.xlsx")));
  const expected = JSON.parse(readFileSync(path.join(__dirname, "../fixtures/extract_xlsx.json"), "utf8")) as { rows: unknown[][] };

  test.each([977, 65_536, file.length])("an openpyxl workbook, fed in chunks of %d bytes, reads as openpyxl reads it", async (size) => {
    const seen: number[] = [];
    const r = await readXlsx(fflate, chunksOf(file, size), { size: file.length, onProgress: (d) => seen.push(d) });
    expect(r.sheet).toBe("xl/worksheets/sheet1.xml");
    expect(r.rows).toHaveLength(3001);
    expect(r.rows).toEqual(expected.rows);
    expect(seen[seen.length - 1]).toBe(file.length);
  });

  test("shared strings stored after the sheet in the zip are resolved; a non-xlsx zip is named", async () => {
    const zip = fflate.zipSync({
      "[Content_Types].xml": fflate.strToU8("<Types/>"),
      "xl/worksheets/sheet1.xml": fflate.strToU8(SHEET),
      "xl/sharedStrings.xml": fflate.strToU8(`<sst><si><t>SKU</t></si><si><r><t>Posting</t></r><r><t xml:space="preserve"> date</t></r></si><si><t>P&amp;1</t></si></sst>`),
    });
    const r = await readXlsx(fflate, chunksOf(zip, 100));
    expect(r.rows).toEqual([["SKU", "Posting date", "Qty & units"], ["P&1", 45292, 12.5, "", true], [], ["P-1", "", "", "#N/A"]]);
    const notXlsx = fflate.zipSync({ "readme.txt": fflate.strToU8("hello") });
    await expect(readXlsx(fflate, chunksOf(notXlsx, 64))).rejects.toThrow("no worksheet found: is this an .xlsx file?");
    await expect(readXlsx(fflate, chunksOf(zip, 100), { signal: { aborted: true } })).rejects.toThrow("the import was cancelled; nothing was changed");
  });
});
