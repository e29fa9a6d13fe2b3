/**
 * The import step in a pane session (memory workbook, in-line runner): a transaction CSV opened as
 * a File, mapped from its headers, bucketed into ISO weeks (returns left out, an order type
 * unticked, a duplicate id and an impossible date rejected by row and field), classified without a
 * sheet range and written with the Demand history sheet; bad input and a file over the budget leave what
 * was there before. Expected histories are worked out by hand in the comments (2024-01-01 is a
 * Monday: ISO 2024-W01; ISO 8601-1:2019 5.2.4.2).
 */
import * as fflate from "fflate";
import { createInlineRunner } from "../../src/app/engineRunner";
import type { PaneSession } from "../../src/app/session";
import { SEGMENTS_NOTES_TABLE, SEGMENTS_TABLE } from "../../src/app/sheets";
import { HISTORY_TABLE } from "../../src/app/steps/import";
import { MemoryGateway } from "../helpers/memoryGateway";
import { createPane } from "../helpers/pane";
import { sampleSheet } from "./sampleData";

export const EXTRACT = [
  "Material,Posting Date,Qty,Plant,Movement Type,Document,Unit cost",
  "P1,2024-01-01,10,DC1,601,d1,2.5", // line 2: W01
  'P1,2024-01-08,"1,200",DC1,601,d2,2.5', // line 3: W02, thousands separator
  "P1,2024-01-09,-3,DC1,602,d3,2.5", // line 4: a return (left out)
  "P2,2024-01-02,5,DC1,601,d4,1", // line 5: W01
  "P2,2024-01-02,5,DC1,601,d4,1", // line 6: duplicate id d4
  "P3,2024-13-01,4,DC1,601,d6,1", // line 7: month 13
  "P2,2024-01-15,7,DC1,ZFOC,d7,1", // line 8: ZFOC unticked
].join("\n");

export function csvFile(text: string, name = "sales.csv"): File {
  return new File([text], name, { type: "text/csv", lastModified: Date.parse("2024-01-20T06:00:00Z") });
}

function setup(gw = new MemoryGateway().addSheet("Data", sampleSheet()).select("Data", "A1")) {
  let t = Date.parse("2024-01-22T10:00:00.000Z");
  let id = 0;
  const session = createPane({ gateway: gw, runner: createInlineRunner(), now: () => new Date((t += 1000)), uuid: () => `00000000-0000-4000-8000-${String(++id).padStart(12, "0")}` });
  return { gw, session };
}

function rows(gw: MemoryGateway, name: string): Record<string, unknown>[] {
  const t = gw.table(name)!;
  return t.rows.map((r) => Object.fromEntries(t.headers.map((h, i) => [h, r[i]])));
}

async function importExtract(session: PaneSession, text = EXTRACT) {
  await session.step("import").openFile(csvFile(text));
  expect(session.getState().common.error).toBeNull();
}

describe("import a transaction extract", () => {
  it("maps the headers, buckets into ISO weeks with the rules, and names each rejected row", async () => {
    const { session } = setup();
    await importExtract(session);
    const s = session.getState().steps.import;
    expect(s.file).toMatchObject({ name: "sales.csv", rows: 7, kind: "csv" });
    expect(s.mapping).toMatchObject({ sku: 0, date: 1, quantity: 2, location: 3, orderType: 4, transactionId: 5, unitCost: 6, customer: null });
    expect(s.orderTypes).toEqual([
      { type: "601", rows: 5 },
      { type: "602", rows: 1 },
      { type: "ZFOC", rows: 1 },
    ]);
    expect(s.previewRows[1][2]).toBe("1,200");
    session.step("import").setOrderTypeIncluded("ZFOC", false);
    expect(session.getState().steps.import.options.excludeOrderTypes).toEqual(["ZFOC"]);
    await session.step("import").bucket();
    expect(session.getState().common.error).toBeNull();
    const b = session.getState().steps.import.bucketed!;
    expect(b.labels).toEqual(["2024-W01", "2024-W02"]);
    expect(b.sku).toEqual(["P1", "P2"]);
    // P1: 10 in W01, 1,200 in W02 (the -3 return left out); P2: 5 in W01 (the duplicate and ZFOC rows not counted)
    expect([...b.history]).toEqual([10, 1200, 5, 0]);
    expect([...b.unitCost]).toEqual([2.5, 1]);
    expect(b.counts).toMatchObject({ rows: 7, used: 3, rejected: 2, duplicates: 1, returns: 1, excludedOrderType: 1 });
    expect(b.rejected.map((r) => r.message)).toEqual([
      'row 6: transaction id "d4" already appears in row 5 (that row is kept)',
      'row 7: Posting Date "2024-13-01" does not exist (month 13 does not exist)',
    ]);
    // Classify takes the histories as its source, with 52 periods a year from the calendar
    const c = session.getState().steps.classify;
    expect(c.imported).toMatchObject({ fileName: "sales.csv", histories: 2, periods: 2, firstLabel: "2024-W01", lastLabel: "2024-W02", unitCost: true });
    expect(c.options.periodsPerYear).toBe(52);
  });

  it("classifies the imported histories and writes Segments and the Demand history sheet", async () => {
    const { gw, session } = setup();
    await importExtract(session);
    session.step("import").setOptions({ writeHistory: true });
    session.step("import").setOrderTypeIncluded("ZFOC", false);
    await session.step("import").bucket();
    await session.step("classify").classify();
    expect(session.getState().common.error).toBeNull();
    const run = session.getState().steps.classify.run!;
    expect(run.sourceAddress).toBe("sales.csv");
    // value = mean demand × 52 × unit cost: P1 (10 + 1200) / 2 × 52 × 2.5 = 78,650; P2 (5 + 0) / 2 × 52 × 1 = 130
    expect([...run.parsed.value]).toEqual([78650, 130]);
    await session.step("write").write();
    expect(session.getState().common.error).toBeNull();
    const seg = rows(gw, SEGMENTS_TABLE);
    expect(seg.map((r) => r.SKU)).toEqual(["P1", "P2"]);
    expect(seg.map((r) => r.Value)).toEqual([78650, 130]);
    const hist = gw.table(HISTORY_TABLE)!;
    expect(hist.sheetName).toBe("Demand history");
    expect(hist.headers).toEqual(["SKU", "Location", "2024-W01", "2024-W02"]);
    expect(hist.rows).toEqual([
      ["P1", "", 10, 1200],
      ["P2", "", 5, 0],
    ]);
  });

  it("reads decimal commas under the stated locale and nets returns when told to", async () => {
    const { session } = setup();
    const text = ["Item;Date;Quantity", "A;02.01.2024;1.234,5", "A;09.01.2024;2,5", "A;10.01.2024;3-"].join("\n");
    await session.step("import").openFile(csvFile(text, "de.csv"));
    session.step("import").setOptions({ numberLocale: "de", dateFormat: "dmy", negatives: "net" });
    await session.step("import").bucket();
    expect(session.getState().common.error).toBeNull();
    const b = session.getState().steps.import.bucketed!;
    // 1.234,5 = 1234.5 in W01; W02: 2,5 − 3 (SAP's trailing minus) = −0.5, netted below 0 so set to 0
    expect([...b.history]).toEqual([1234.5, 0]);
    expect(b.counts.negativeNetCells).toBe(1);
  });

  it("names a decimal comma under the English locale by row and field", async () => {
    const { session } = setup();
    await session.step("import").openFile(csvFile(['SKU,Date,Qty', 'A,2024-01-01,"1,50"', "A,2024-01-02,4"].join("\n")));
    await session.step("import").bucket();
    const b = session.getState().steps.import.bucketed!;
    expect(b.rejected[0].message).toMatch(/^row 2: Qty "1,50" is not a number in locale en/);
    expect([...b.history]).toEqual([4]);
  });

  it("stops on mixed d/m/y and m/d/y dates naming both rows, and keeps the classification already made", async () => {
    const { session } = setup();
    await session.step("classify").readSource("region");
    await session.step("classify").classify();
    const before = session.getState().steps.classify.run;
    expect(before).not.toBeNull();
    await session.step("import").openFile(csvFile(["SKU,Date,Qty", "A,13/01/2024,1", "A,01/13/2024,2"].join("\n")));
    await session.step("import").bucket();
    expect(session.getState().common.error).toMatch(/mixes d\/m\/y \(row 2: "13\/01\/2024"\) and m\/d\/y \(row 3: "01\/13\/2024"\)/);
    expect(session.getState().steps.import.bucketed).toBeNull();
    expect(session.getState().steps.classify.run).toBe(before);
    expect(session.getState().steps.classify.imported ?? null).toBeNull();
  });

  it("refuses a file over the pane's budget with the exact CLI command, reading nothing", async () => {
    const { session } = setup();
    await importExtract(session);
    session.store.set("import", { budgetBytes: 100 });
    session.step("import").setOptions({ calendar: { kind: "fiscalMonth", startMonth: 4 }, numberLocale: "de", excludeOrderTypes: ["ZFOC"] });
    await session.step("import").openFile(csvFile(EXTRACT, "big sales.csv"));
    const s = session.getState().steps.import;
    expect(s.refused?.command).toBe("npx seg classify --in 'big sales.csv' --out 'big sales-segments.csv' --calendar fiscalMonth:4 --locale de --exclude-order-types ZFOC");
    expect(session.getState().common.error).toContain(s.refused!.command);
    expect(session.getState().common.error).toContain("nothing was read");
    // the file read before is still there
    expect(s.file?.name).toBe("sales.csv");
  });
});

describe("an XLSX extract", () => {
  it("reads date serials and numbers from the first worksheet and buckets them into calendar months", async () => {
    // serial 45292 = 2024-01-01, 45323 = 2024-02-01 (Excel 1900 system); inline and shared strings
    const sheet = `<worksheet><sheetData>
      <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="inlineStr"><is><t>Qty</t></is></c></row>
      <row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>45292</v></c><c r="C2"><v>3.5</v></c></row>
      <row r="3"><c r="A3" t="s"><v>2</v></c><c r="B3"><v>45323</v></c><c r="C3"><v>4</v></c></row>
      <row r="4"><c r="A4" t="s"><v>2</v></c><c r="B4" t="str"><v>2024-02-10</v></c><c r="C4"><v>1</v></c></row>
    </sheetData></worksheet>`;
    const zip = fflate.zipSync({
      "[Content_Types].xml": fflate.strToU8("<Types/>"),
      "xl/sharedStrings.xml": fflate.strToU8("<sst><si><t>SKU</t></si><si><t>Date</t></si><si><t>P-1</t></si></sst>"),
      "xl/worksheets/sheet1.xml": fflate.strToU8(sheet),
    });
    const { session } = setup();
    await session.step("import").openFile(new File([zip], "extract.xlsx"));
    expect(session.getState().common.error).toBeNull();
    expect(session.getState().steps.import.file).toMatchObject({ kind: "xlsx", rows: 3 });
    session.step("import").setOptions({ calendar: { kind: "month" } });
    await session.step("import").bucket();
    const b = session.getState().steps.import.bucketed!;
    // a text date among serials is read in its own (iso) form: January 3.5, February 4 + 1
    expect(b.labels).toEqual(["2024-01", "2024-02"]);
    expect([...b.history]).toEqual([3.5, 5]);
    expect(session.getState().steps.classify.options.periodsPerYear).toBe(12);
  });
});

describe("sources, profiles and freshness in the Classify flow", () => {
  const extract = [
    "SKU,Date,Qty,Family,Unit cost",
    "A,2024-01-01,10,Pumps,1",
    "A,2024-01-08,12,Pumps,1",
    "A,2024-01-15,11,Pumps,1",
    "B,2024-01-01,4,Valves,1", // B's last sale 2024-01-01: 20 days before the 2024-01-21 cycle
    "C,2024-01-02,6,Valves,1",
    "C,2024-01-16,7,Valves,1",
  ].join("\n");
  const master = ["SKU,Product family,Category", "A,Valves,Wet end", "C,,Dry end"].join("\n");

  it("lists family conflicts, decides by the stated priority and says which source decided", async () => {
    const { gw, session } = setup();
    await session.step("import").openFile(csvFile(extract));
    session.step("import").setOptions({ sourceName: "ERP" });
    await session.step("import").addMasterFile(csvFile(master, "pim.csv"), "PIM");
    expect(session.getState().steps.import.priority).toEqual(["ERP", "PIM"]);
    await session.step("import").bucket();
    await session.step("classify").classify();
    let facts = session.getState().steps.classify.run!.facts!;
    // ERP first: A stays Pumps (PIM says Valves: a conflict); categories come from PIM alone
    expect(facts.family).toEqual(["Pumps", "Valves", "Valves"]);
    expect(facts.category).toEqual(["Wet end", "", "Dry end"]);
    expect(facts.decidedBy).toEqual(["family: ERP; category: PIM", "ERP", "family: ERP; category: PIM"]);
    expect(facts.dataQuality).toContain('SKU A family: ERP "Pumps" vs PIM "Valves"; decided by ERP');
    // PIM first: A becomes Valves
    session.step("import").movePriority("PIM", -1);
    await session.step("classify").classify();
    facts = session.getState().steps.classify.run!.facts!;
    expect(facts.family[0]).toBe("Valves");
    expect(facts.decidedBy[0]).toBe("PIM");
    await session.step("write").write();
    expect(session.getState().common.error).toBeNull();
    const seg = Object.fromEntries(rows(gw, SEGMENTS_TABLE).map((r) => [r.SKU, r]));
    expect(seg.A).toMatchObject({ Family: "Valves", Category: "Wet end", "Decided by": "PIM", "Data flag": "" });
    expect(seg.B).toMatchObject({ Family: "Valves", "Decided by": "ERP" });
    const notes = gw.table(SEGMENTS_NOTES_TABLE)!.rows.map((r) => String(r[0]));
    expect(notes).toContain('Family and Category: decided by the source priority PIM > ERP (strongest first); "Decided by" names the source.');
    expect(notes).toContain('Data quality: SKU A family: PIM "Valves" vs ERP "Pumps"; decided by PIM');
  });

  it("flags stale history with its fallback and checks the cycle's latency in the data-quality report", async () => {
    const { gw, session } = setup();
    await session.step("import").openFile(csvFile(extract));
    await session.step("import").bucket();
    // weeks 2024-W01..W03 end 2024-01-21 (Sunday); cycle on Monday 2024-01-29 with 1 day of lag allowed: 8 days late
    session.step("import").setOptions({ maxAgeDays: 14, cycle: { date: "2024-01-29", maxLagDays: 1 }, fallbacks: ["familyPattern", "exclude"] });
    await session.step("classify").classify();
    expect(session.getState().common.error).toBeNull();
    const run = session.getState().steps.classify.run!;
    const f = run.facts!;
    // A: last 2024-01-15 (14 days: fresh); B: 2024-01-01 (28 days: stale, family Valves' pattern from C); C: 2024-01-16 (fresh)
    expect(f.dataFlag[0]).toBe("");
    expect(f.dataFlag[1]).toBe(`stale: last data 2024-01-01 (28 days before 2024-01-29, limit 14); pattern "${run.result.pattern[2]}" of family Valves used`);
    expect(f.dataFlag[2]).toBe("");
    expect(run.result.pattern[1]).toBe(run.result.pattern[2]);
    expect(f.dataOk).toBe(false);
    expect(f.dataQuality).toContain("latency FAILED: data ends 2024-01-21, 8 days before the 2024-01-29 run: the cycle needs data through 2024-01-28 (limit 1 days)");
    expect(f.dataQuality).toContain("SKUs: 2 fresh, 1 stale, 0 missing; fallbacks: 0 previous class, 1 family pattern, 0 excluded");
    // without a family fallback, the stale SKU is excluded: not ranked, no segment
    session.step("import").setOptions({ fallbacks: ["exclude"] });
    await session.step("classify").classify();
    const r2 = session.getState().steps.classify.run!;
    expect(r2.result.inactive[1]).toBe(1);
    expect(r2.result.segment[1]).toBe("");
    expect(r2.result.order).not.toContain(1);
    await session.step("write").write();
    const seg = Object.fromEntries(rows(gw, SEGMENTS_TABLE).map((r) => [r.SKU, r]));
    expect(seg.B["Data flag"]).toBe("stale: last data 2024-01-01 (28 days before 2024-01-29, limit 14); excluded from this run");
    expect(seg.B.Status).toMatch(/^inactive: stale/);
  });

  it("saves the mapping and dictionary as a named profile and applies it to another extract", async () => {
    const { gw, session } = setup();
    await session.step("import").openFile(csvFile(extract));
    session.step("import").setOptions({ sourceName: "SAP S/4HANA", numberLocale: "de" });
    session.step("import").setAttribute({ attribute: "family", system: "SAP S/4HANA", field: "MARA-MATKL", owner: "Master data (J. Chen)", refreshSla: "1 day" });
    await session.step("import").saveProfile("SAP MM extract");
    expect(session.getState().steps.import.profileProblems[0]).toMatch(/^attributes\[0\]\.refreshSla: "1 day" is not an ISO 8601 duration/);
    expect(session.getState().steps.import.profiles).toEqual([]);
    session.step("import").setAttribute({ attribute: "family", system: "SAP S/4HANA", field: "MARA-MATKL", owner: "Master data (J. Chen)", refreshSla: "P1W" });
    await session.step("import").saveProfile("SAP MM extract");
    expect(session.getState().steps.import.profiles).toEqual(["SAP MM extract"]);
    // another session on the same workbook: the profile maps a file with the same headers in another order
    const other = setup(gw).session;
    await other.step("import").openFile(csvFile(["Unit cost,Family,Qty,Date,SKU", "1,Pumps,3,2024-01-01,Z"].join("\n"), "next.csv"));
    other.step("import").setMappingField("quantity", null);
    other.step("import").loadProfile("SAP MM extract");
    const s = other.getState().steps.import;
    expect(s.mapping).toMatchObject({ sku: 4, date: 3, quantity: 2, family: 1, unitCost: 0 });
    expect(s.options).toMatchObject({ sourceName: "SAP S/4HANA", numberLocale: "de" });
    expect(s.attributes).toEqual([{ attribute: "family", system: "SAP S/4HANA", field: "MARA-MATKL", owner: "Master data (J. Chen)", refreshSla: "P1W" }]);
  });
});
