/**
 * Issue 11: promotion flag columns beside the history (ColumnMapping.promotionFlags, headers
 * "Promo W01" … or the period headers), 1 / TRUE / yes = promoted (the engine's maskFromFlagCells). Such periods must be treated
 * exactly like Promotions-table periods: the test runs the same flags both ways and compares the
 * whole classification. By hand on the sample sheet (test/app/sampleData.ts): S02 without W02 and
 * W04 is 2, 2 → CV 0 (X); S04 without W04 is 0, 0, 0 → no demand (N).
 */
import { createInlineRunner } from "../../src/app/engineRunner";
import type { PaneSession } from "../../src/app/session";
import type { CellValue } from "../../src/app/ports";
import { SEGMENTS_NOTES_TABLE, SEGMENTS_TABLE } from "../../src/app/sheets";
import { createPane } from "../helpers/pane";
import { MemoryGateway } from "../helpers/memoryGateway";
import { sampleSheet } from "./sampleData";

/** Flags per SKU for W01..W04 (the bad rows below the table get blanks). */
const FLAGS: Record<string, CellValue[]> = { S02: [0, "yes", "", 1], S04: [null, false, "no", true] };

function flaggedSheet(headers: CellValue[] = ["Promo W01", "Promo W02", "Promo W03", "Promo W04"], flags = FLAGS): CellValue[][] {
  const rows = sampleSheet();
  return rows.map((r, k) => [...r, ...(k === 0 ? headers : (flags[String(r[0])] ?? [null, null, null, null]))]);
}

function setup(rows: CellValue[][]) {
  const gw = new MemoryGateway().addSheet("Data", rows).select("Data", "A1");
  const session = createPane({ gateway: gw, runner: createInlineRunner() });
  return { gw, session };
}

async function run(session: PaneSession) {
  await session.step("classify").readSource("region");
  await session.step("classify").classify();
}

function rowsOf(gw: MemoryGateway, name: string): Record<string, Record<string, unknown>> {
  const t = gw.table(name)!;
  return Object.fromEntries(t.rows.map((r) => [String(r[0]), Object.fromEntries(t.headers.map((h, i) => [h, r[i]]))]));
}

describe("promotion flag columns", () => {
  it("are found beside the history, leave the flagged periods out exactly like the Promotions table, and are counted on the Segments sheet", async () => {
    const a = setup(flaggedSheet());
    await run(a.session);
    expect(a.session.getState().common.error).toBeNull();
    const c = a.session.getState().steps.classify;
    expect(c.mapping!.history).toEqual({ first: 6, last: 9 });
    expect(c.mapping!.promotionFlags).toEqual({ first: 10, last: 13 });
    const at = (sku: string) => c.run!.parsed.sku.indexOf(sku);
    expect(c.run!.result.xyz[at("S02")]).toBe("X");
    expect(c.run!.result.cv[at("S02")]).toBe(0);
    expect(c.run!.result.xyz[at("S04")]).toBe("N");
    expect(c.churn.excluded).toMatchObject({ total: 3, skus: 2, top: [{ sku: "S02", count: 2 }, { sku: "S04", count: 1 }], source: "flags" });

    // the same periods as a Promotions table, on the sheet without flag columns
    const b = setup(sampleSheet());
    await b.gw.writeSheets([{ sheetName: "Promotions", blocks: [{ kind: "table", tableName: "Promotions", anchor: "A1", headers: ["SKU", "Period"], rows: [["S02", "W02"], ["S02", "W04"], ["S04", "W04"]] }] }]);
    b.session.step("classify").setChurn({ promotions: true });
    await run(b.session);
    const r = b.session.getState().steps.classify.run!.result;
    const f = c.run!.result;
    expect(b.session.getState().steps.classify.run!.parsed.sku).toEqual(c.run!.parsed.sku);
    for (const k of ["segment", "abc", "xyz", "pattern", "notes"] as const) expect(f[k]).toEqual(r[k]);
    for (const k of ["cv", "demandMean", "demandSd", "cumShare", "adi", "cv2"] as const) expect([...f[k]]).toEqual([...r[k]]);

    await a.session.step("write").write();
    expect(a.session.getState().common.error).toBeNull();
    const seg = rowsOf(a.gw, SEGMENTS_TABLE);
    expect(seg.S02["Promotion periods excluded"]).toBe(2);
    expect(seg.S04["Promotion periods excluded"]).toBe(1);
    expect(seg.S01["Promotion periods excluded"]).toBe(0);
    expect(Object.keys(seg.S01)).not.toContain("Promo W01");
    const notes = Object.keys(rowsOf(a.gw, SEGMENTS_NOTES_TABLE));
    expect(notes.some((n) => n.startsWith("Promotions: 3 periods of 2 SKUs left out of the baseline statistics") && n.endsWith("from the promotion flag columns."))).toBe(true);
  });

  it("headed with the period headers themselves, and together with the Promotions table", async () => {
    const { gw, session } = setup(flaggedSheet(["W01", "W02", "W03", "W04"], { S02: [0, 1, 0, 0] }));
    await session.step("classify").readSource("region");
    // the two W01..W04 blocks read as one history of 8 periods: map them by hand
    session.step("classify").setHistory(6, 9);
    session.step("classify").setPromotionFlags(10, 13);
    expect(session.getState().steps.classify.mappingProblems).toEqual([]);
    await gw.writeSheets([{ sheetName: "Promotions", blocks: [{ kind: "table", tableName: "Promotions", anchor: "A1", headers: ["SKU", "Period"], rows: [["S02", "W04"], ["S02", "W02"]] }] }]);
    session.step("classify").setChurn({ promotions: true });
    await session.step("classify").classify();
    expect(session.getState().common.error).toBeNull();
    const c = session.getState().steps.classify;
    // W02 flagged twice (column and table) counts once; W04 from the table: S02 is 2, 2 again
    expect(c.churn.excluded).toMatchObject({ total: 2, skus: 1, source: "both" });
    expect(c.run!.result.xyz[c.run!.parsed.sku.indexOf("S02")]).toBe("X");
  });

  it("a cell that is not a flag is an error naming the cell, and nothing is classified or written", async () => {
    const { gw, session } = setup(flaggedSheet(undefined, { ...FLAGS, S03: ["maybe", 0, 2, 0] }));
    await run(session);
    // S03 is sheet row 4; Promo W01 is column K
    expect(session.getState().common.error).toBe(
      'Promotion flags: Data!K4 (SKU S03, W01): flag "maybe" is not TRUE/FALSE, 1/0 or yes/no (and 1 more such cell). Nothing was classified.',
    );
    expect(session.getState().steps.classify.run).toBeNull();
    await session.step("write").write();
    expect(gw.table(SEGMENTS_TABLE)).toBeUndefined();
  });

  it("a flag column naming no period is an error naming its header cell", async () => {
    const { session } = setup(flaggedSheet(["Promo W01", "Promo W02", "Promo W03", "Promo W09"]));
    await session.step("classify").readSource("region");
    // the proposal stops before the unknown period; take the whole block by hand
    expect(session.getState().steps.classify.mapping!.promotionFlags).toEqual({ first: 10, last: 12 });
    session.step("classify").setPromotionFlags(10, 13);
    await session.step("classify").classify();
    expect(session.getState().common.error).toMatch(/^Promotion flags: the header "Promo W09" \(Data!N1\) names no period of the history \(W01 … W04\)/);
  });

  it("mapping problems: overlapping the history", async () => {
    const { session } = setup(flaggedSheet());
    await session.step("classify").readSource("region");
    session.step("classify").setPromotionFlags(9, 12);
    expect(session.getState().steps.classify.mappingProblems).toContain(
      "The promotion flag columns overlap the demand history: they are a block of their own (one flag column per period, headed Promo W01 …).",
    );
  });
});
