/**
 * The Versions step in a PaneSession over the in-memory workbook: two Writes of the sample
 * segmentation (the second after S03's annual value went from 80 to 600), the run history, the
 * diff (worked out by hand below) and the rollback of the Segments and Policy sheets, cell for
 * cell, from the version store on the very hidden SEG_Versions sheet.
 *
 * Second run by hand (cut-offs 0.8 / 0.95): total 1,520; S03 600 (cum 0.395, A), S01 500 (0.724, A),
 * S02 300 (0.921, B), S04 50 (0.954, C), then C as before. So S03 BX → AX, S02 AY → BY,
 * S04 BZ → CZ: 3 of 10 SKUs moved (churn 30 %), value churn (600 + 300 + 50) / 1,520 = 62.5 %,
 * every move for the data (same cut-offs).
 */
import { createInlineRunner } from "../../src/app/engineRunner";
import type { PaneSession } from "../../src/app/session";
import { SEGMENTS_NOTES_TABLE, SEGMENTS_TABLE, SKU_POLICY_TABLE } from "../../src/app/sheets";
import { VERSIONS_SHEET, VERSIONS_TABLE, storedTexts, storeIndex } from "../../src/app/versionSnapshots";
import { GOV_CHURN_CHART, GOV_CHURN_TABLE, GOV_EXCEPTIONS_CHART, GOV_EXCEPTIONS_TABLE, GOV_STABILITY_CHART, GOV_STABILITY_TABLE, GOV_SUMMARY_TABLE, GOVERNANCE_SHEET } from "../../src/app/governanceSheet";
import { MemoryGateway } from "../helpers/memoryGateway";
import { createPane } from "../helpers/pane";
import { sampleSheet } from "./sampleData";

function setup() {
  const gw = new MemoryGateway().addSheet("Data", sampleSheet()).select("Data", "A1");
  let t = Date.parse("2026-11-25T10:00:00.000Z");
  let id = 0;
  const session = createPane({ gateway: gw, runner: createInlineRunner(), now: () => new Date((t += 1000)), uuid: () => `00000000-0000-4000-8000-${String(++id).padStart(12, "0")}` });
  return { gw, session };
}

async function classifyAndWrite(gw: MemoryGateway, session: PaneSession): Promise<string> {
  gw.select("Data", "A1");
  await session.step("classify").readSource("region");
  await session.step("classify").classify();
  await session.step("write").write();
  expect(session.getState().common.error).toBeNull();
  return session.getState().steps.write.lastWrite!.modelVersion;
}

/** The table's rows with blanks as "" (Excel reads an empty cell and "" alike). */
const copy = (gw: MemoryGateway, name: string) => gw.table(name)!.rows.map((r) => r.map((c) => (c === null ? "" : c)));

async function twoRuns() {
  const { gw, session } = setup();
  const v1 = await classifyAndWrite(gw, session);
  const seg1 = copy(gw, SEGMENTS_TABLE);
  const pol1 = copy(gw, SKU_POLICY_TABLE);
  gw.sheet("Data")!.cells[3][2] = 600; // S03
  const v2 = await classifyAndWrite(gw, session);
  return { gw, session, v1, v2, seg1, pol1, seg2: copy(gw, SEGMENTS_TABLE), pol2: copy(gw, SKU_POLICY_TABLE) };
}

describe("Governance sheet", () => {
  it("is refreshed on each Write: churn per run, stability per segment, rejected rows per run, with native charts", async () => {
    const { gw, v1, v2 } = await twoRuns();
    const rows = (name: string) => {
      const t = gw.table(name)!;
      return t.rows.map((r) => Object.fromEntries(t.headers.map((h, i) => [h, r[i]])));
    };
    const churn = rows(GOV_CHURN_TABLE);
    expect(churn).toHaveLength(1);
    expect(churn[0]).toMatchObject({ Run: v2, Against: v1, Moved: 3, "SKUs in both runs": 10 });
    expect(churn[0].Churn).toBeCloseTo(0.3, 12);
    const stab = Object.fromEntries(rows(GOV_STABILITY_TABLE).map((r) => [r.Segment, [r.Stayed, r["SKUs in both runs"]]]));
    expect(stab).toMatchObject({ AX: [1, 1], AY: [0, 1], BX: [0, 1], BZ: [0, 1], CX: [3, 3], CY: [1, 1], CZ: [1, 1] });
    const exc = rows(GOV_EXCEPTIONS_TABLE);
    expect(exc.map((r) => r["Model version"])).toEqual([v1, v2]);
    expect(exc[1]["Rejected rows share"]).toBeCloseTo(3 / 13, 12);
    expect(gw.table(GOV_SUMMARY_TABLE)!.sheetName).toBe(GOVERNANCE_SHEET);
    for (const c of [GOV_STABILITY_CHART, GOV_CHURN_CHART, GOV_EXCEPTIONS_CHART]) expect(gw.state.charts.get(c)?.sheetName).toBe(GOVERNANCE_SHEET);
  });
});

describe("Versions step", () => {
  it("keeps the replaced sheets in the version store and lists the runs with their value change", async () => {
    const { gw, session, v1, v2 } = await twoRuns();
    expect(gw.sheet(VERSIONS_SHEET)!.visibility).toBe("veryHidden");
    expect(storeIndex(storedTexts(gw.table(VERSIONS_TABLE)!)).map((s) => s.modelVersion)).toEqual([v1]);
    await session.step("versions").refresh();
    const rows = session.getState().steps.versions.rows;
    expect(rows.map((r) => [r.modelVersion, r.stored, r.current])).toEqual([
      [v1, true, false],
      [v2, false, true],
    ]);
    expect(rows[1].skus).toBe(10);
    expect(rows[1].parameters.abcCutoffs).toEqual([0.8, 0.95]);
    const change = Object.fromEntries(rows[1].valueChange.map((c) => [c.segment, c.change]));
    // AX: 500 -> 1,100; AY: 300 -> 0; BX: 80 -> 0; BY: 0 -> 300; BZ: 50 -> 0; CZ: 3 -> 53
    expect(change).toMatchObject({ AX: 600, AY: -300, BX: -80, BY: 300, BZ: -50, CZ: 50 });
  });

  it("compares two versions: churn, value churn, migration matrix and movers with their reason", async () => {
    const { session, v1, v2 } = await twoRuns();
    await session.step("versions").diff(v1, v2);
    expect(session.getState().common.error).toBeNull();
    const d = session.getState().steps.versions.diff!;
    expect([d.common, d.moved, d.added, d.removed]).toEqual([10, 3, 0, 0]);
    expect(d.churn).toBeCloseTo(0.3, 12);
    expect(d.valueChurn).toBeCloseTo(950 / 1520, 12);
    expect(d.movers.map((m) => [m.sku, m.from, m.to, m.reason])).toEqual([
      ["S03", "BX", "AX", "data"],
      ["S02", "AY", "BY", "data"],
      ["S04", "BZ", "CZ", "data"],
    ]);
    const i = d.matrix.from.indexOf("BX");
    const j = d.matrix.to.indexOf("AX");
    expect(d.matrix.count[i][j]).toBe(1);
    expect(d.matrix.valueTo[i][j]).toBe(600);
    expect(d.matrix.valueFrom[i][j]).toBe(80);
    await session.step("versions").diff(v1, v1);
    expect(session.getState().common.errorField).toBe("diff");
  });

  it("rolls the Segments and Policy sheets back cell for cell, with a required reason, and forward again", async () => {
    const { gw, session, v1, v2, seg1, pol1, seg2, pol2 } = await twoRuns();
    const before = gw.auditRows.length;
    await session.step("versions").rollback(v1, "too short");
    expect(session.getState().common.errorField).toBe("rollbackReason");
    expect(gw.auditRows.length).toBe(before);
    await session.step("versions").rollback(v1, "S03 value was a typo in the extract");
    expect(session.getState().common.error).toBeNull();
    expect(copy(gw, SEGMENTS_TABLE)).toEqual(seg1);
    expect(copy(gw, SKU_POLICY_TABLE)).toEqual(pol1);
    expect(String(gw.table(SEGMENTS_NOTES_TABLE)!.rows[0][0])).toMatch(new RegExp(`^Restored model version ${v1} .* replacing ${v2}\\.$`));
    const rb = gw.auditRows.filter((r) => r.action === "version-rolled-back");
    expect(rb).toHaveLength(1);
    expect(rb[0]).toMatchObject({ oldValue: v2, newValue: v1, reason: "S03 value was a typo in the extract", modelVersion: v1 });
    expect(storeIndex(storedTexts(gw.table(VERSIONS_TABLE)!)).map((s) => s.modelVersion)).toEqual([v1, v2]);
    const rows = session.getState().steps.versions.rows;
    expect(rows.find((r) => r.current)!.modelVersion).toBe(v1);
    // and forward again
    await session.step("versions").rollback(v2, "the value was right after all");
    expect(copy(gw, SEGMENTS_TABLE)).toEqual(seg2);
    expect(copy(gw, SKU_POLICY_TABLE)).toEqual(pol2);
  });
});
