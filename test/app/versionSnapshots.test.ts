/** The workbook's version store as the pane uses it: what is kept, and that every kept version still decodes cell for cell. */
import { restoreVersion } from "../../src/engine/versionStore";
import type { TableData } from "../../src/app/ports";
import { parseCell } from "../../src/app/a1";
import { addToStore, restoredTables, rollbackPlans, storeIndex, storeRows, storedTexts, STORE_CELL_CHARS, VERSIONS_KEPT } from "../../src/app/versionSnapshots";

function sheets(k: number) {
  const segments: TableData = {
    sheetName: "Segments",
    tableName: "SegSegments",
    headers: ["SKU", "Value", "Segment", "Override", "Model version"],
    rows: Array.from({ length: 30 }, (_, i) => [i % 3 ? `S${i}` : 1000 + i, i * 10 + k, i < 10 ? "AX" : "CZ", i === k ? "BY" : "", `v${k}`]),
  };
  return { modelVersion: `v${k}`, segments, skuPolicy: null, grid: null };
}

describe("version store in the workbook", () => {
  it(`keeps the last ${VERSIONS_KEPT} versions, each decodable to the cells written (numbers stay numbers, blanks stay blank)`, () => {
    let texts: readonly string[] = [];
    for (let k = 1; k <= 14; k++) texts = addToStore(texts, sheets(k), { createdAt: `2026-12-0${(k % 9) + 1}T00:00:00Z`, user: "u" });
    const kept = storeIndex(texts).map((s) => s.modelVersion);
    expect(kept.length).toBeLessThanOrEqual(VERSIONS_KEPT);
    expect(kept[kept.length - 1]).toBe("v14");
    expect(storeIndex(texts)[0].kind).toBe("full");
    for (const v of kept) {
      const { header, table } = restoreVersion(texts, v);
      expect(restoredTables(header, table).segments.rows).toEqual(sheets(Number(v.slice(1))).segments.rows);
    }
    // stored as cell-sized pieces and read back
    const rows = storeRows(texts);
    expect(rows.every((r) => String(r[2]).length <= STORE_CELL_CHARS)).toBe(true);
    expect(storedTexts({ sheetName: "SEG_Versions", tableName: "SegVersionStore", headers: ["Model version", "Part", "Text"], rows })).toEqual([...texts]);
    // a version stored already is not stored twice
    expect(addToStore(texts, sheets(14), { createdAt: "", user: "" })).toBe(texts);
  });

  it("puts the restored Segments sheet's notes clear of its table, however wide the stored table is", () => {
    for (const extra of [0, 11, 25]) {
      const one = sheets(1);
      const headers = [...one.segments.headers, ...Array.from({ length: extra }, (_, j) => `Extra ${j + 1}`)];
      const segments = { ...one.segments, headers, rows: one.segments.rows.map((r) => [...r, ...Array.from({ length: extra }, () => "x")]) };
      const texts = addToStore([], { ...one, segments }, { createdAt: "2026-12-01T00:00:00Z", user: "u" });
      const { header, table } = restoreVersion(texts, "v1");
      const [plan] = rollbackPlans(header, table, { at: "2026-12-02T00:00:00Z", user: "c", reason: "typo", replaced: "v2" });
      const [tableBlock, notes] = plan.blocks as { anchor: string; headers: string[] }[];
      const lastColumn = parseCell(tableBlock.anchor).column + tableBlock.headers.length - 1;
      expect(parseCell(notes.anchor).column).toBeGreaterThan(lastColumn + 1);
      expect(parseCell(notes.anchor).column).toBeGreaterThanOrEqual(parseCell("R1").column);
    }
  });
});
