/** The workbook's version store as the pane uses it: what is kept, and that every kept version still decodes cell for cell. */
import { restoreVersion } from "../../src/engine/versionStore";
import type { TableData } from "../../src/app/ports";
import { addToStore, restoredTables, storeIndex, storeRows, storedTexts, STORE_CELL_CHARS, VERSIONS_KEPT } from "../../src/app/versionSnapshots";

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
});
