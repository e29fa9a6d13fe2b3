/**
 * The Reconcile step in a PaneSession over the in-memory workbook: classify and write the sample
 * segmentation, read the finance sheet (reconcileData.ts, every figure worked out by hand there),
 * reconcile, write the Reconciliation sheet with its audit entry, detect a finance sheet changed
 * between preview and write, approve with a comment, and refresh the sheet on the next Write.
 */
import { createInlineRunner } from "../../src/app/engineRunner";
import { fingerprintRange } from "../../src/engine/fingerprint";
import { RECON_CHART, RECON_CROSSTAB_TABLE, RECON_MISMATCH_TABLE, RECON_REJECTED_TABLE, RECON_SEGMENT_TABLE, RECON_SUMMARY_TABLE, RECON_VIOLATION_TABLE, RECONCILIATION_SHEET } from "../../src/app/reconciliationSheet";
import { FINANCE_CHANGED_QUESTION, RECONCILE_AGAIN, RECONCILE_SETTINGS } from "../../src/app/steps/reconcile";
import type { PaneSession } from "../../src/app/session";
import { GOV_SUMMARY_TABLE } from "../../src/app/governanceSheet";
import { MemoryGateway } from "../helpers/memoryGateway";
import { createPane, classifyAndWrite } from "../helpers/pane";
import { financeSheet } from "./reconcileData";
import { sampleSheet } from "./sampleData";

function setup() {
  const gw = new MemoryGateway().addSheet("Data", sampleSheet()).addSheet("Finance", financeSheet()).select("Data", "A1");
  let t = Date.parse("2026-11-25T10:00:00.000Z");
  let id = 0;
  const session = createPane({ gateway: gw, runner: createInlineRunner(), now: () => new Date((t += 1000)), uuid: () => `00000000-0000-4000-8000-${String(++id).padStart(12, "0")}` });
  return { gw, session };
}


async function readFinance(gw: MemoryGateway, session: PaneSession) {
  gw.select("Finance", "A1");
  await session.step("reconcile").readSource("region");
  expect(session.getState().common.error).toBeNull();
  await session.step("reconcile").addCategoryRule();
  await session.step("reconcile").setCategoryRule(0, { category: "Obsolescence reserve", allowed: "inactive" });
}

const rowsOf = (gw: MemoryGateway, name: string) => {
  const t = gw.table(name)!;
  return t.rows.map((r) => Object.fromEntries(t.headers.map((h, i) => [h, r[i]])));
};
const close = (a: unknown, b: number) => expect(Math.abs((a as number) - b)).toBeLessThan(1e-9);

describe("Reconcile step", () => {
  it("maps the finance columns by their headers and remembers a changed mapping per workbook", async () => {
    const { gw, session } = setup();
    await classifyAndWrite(session);
    await readFinance(gw, session);
    const st = session.getState().steps.reconcile;
    expect(st.source!.address).toBe("Finance!A1:D14");
    expect(st.mapping!.columns).toMatchObject({ sku: 0, category: 1, bookValue: 2, entity: 3, quantity: null, currency: null });
    session.step("reconcile").setMappingField("entity", null);
    await session.step("reconcile").run();
    const saved = gw.settings.get<Record<string, { columns: Record<string, number | null> }>>(RECONCILE_SETTINGS.mappings)!;
    expect(Object.values(saved)[0].columns.entity).toBeNull();
    // read again: the remembered mapping wins over the proposal
    await session.step("reconcile").readSource("region");
    expect(session.getState().steps.reconcile.mapping!.columns.entity).toBeNull();
  });

  it("asks for a classification first", async () => {
    const { gw, session } = setup();
    await readFinance(gw, session);
    await session.step("reconcile").run();
    expect(session.getState().common.error).toMatch(/^Classify first/);
  });

  it("reconciles to the hand-checked totals, statuses, lists and rejected cells", async () => {
    const { gw, session } = setup();
    await classifyAndWrite(session);
    await readFinance(gw, session);
    await session.step("reconcile").run();
    expect(session.getState().common.error).toBeNull();
    const p = session.getState().steps.reconcile.preview!;
    expect(p.status).toBe("unexplained");
    close(p.totals.segmentationValue, 1000);
    close(p.totals.financeValue, 952.2);
    close(p.totals.difference, 47.8);
    expect(p.totals.financeRows).toBe(11);
    const by = Object.fromEntries(p.byStatus.map((b) => [b.status, b]));
    expect(by["ties out"].items).toBe(6);
    expect(by["within tolerance"].items).toBe(1);
    close(by["within tolerance"].difference, -0.2);
    expect(by.unexplained.items).toBe(4);
    close(by.unexplained.difference, 48);
    expect(Object.fromEntries(p.matchRules.map((r) => [r.rule, r.matched]))).toEqual({ exact: 9, numberText: 0, trim: 0, case: 1, leadingZeros: 0 });
    expect(p.segmentationOnly.map((r) => r.sku)).toEqual(["S04"]);
    expect(p.financeOnly.map((r) => [r.sku, r.sourceRow])).toEqual([["X99", 12]]);
    expect(p.duplicates.map((d) => [d.sku, d.kind, d.rows.map((r) => r.sourceRow)])).toEqual([["S06", "same entity", [6, 7]]]);
    expect(p.valueDifferences.map((d) => [d.sku, d.difference, d.status])).toEqual([
      ["S03", 10, "unexplained"],
      ["S02", expect.closeTo(-0.2, 9), "within tolerance"],
    ]);
    expect(p.categoryViolations.map((v) => [v.sku, v.sourceRow])).toEqual([["S05", 5]]);
    expect(p.rejected).toEqual(['Finance!C13: book value: text "1,234.50" is not a number', "Finance!A14: the SKU is blank"]);
    // the cross-tab: every finance row once, grand total = the sheet
    close(p.crossTab.grandTotal.financeValue, 952.2);
    const cat = (c: string) => p.crossTab.categories.indexOf(c);
    const seg = (s: string) => p.crossTab.segments.indexOf(s);
    close(p.crossTab.financeValue[seg("AX")][cat("Raw material")], 500);
    close(p.crossTab.financeValue[seg("CX")][cat("Finished goods")], 30);
    expect(p.modelVersion).toBe(session.getState().steps.write.lastWrite!.modelVersion);
    expect(session.getState().common.notice).toMatch(/^Unexplained differences: segmentation 1,000.00, finance 952.20, difference 47.80 \(5.02 %\); 2 finance rows rejected/);
  });

  it("names a bad tolerance and a rule without segments by their fields", async () => {
    const { gw, session } = setup();
    await classifyAndWrite(session);
    await readFinance(gw, session);
    await session.step("reconcile").setSettings({ valueTolerance: { abs: -1, rel: 0 } });
    await session.step("reconcile").run();
    expect(session.getState().common.errorField).toBe("valueTolerance");
    await session.step("reconcile").setSettings({ valueTolerance: { abs: 1, rel: 0.001 } });
    await session.step("reconcile").setCategoryRule(0, { allowed: " " });
    await session.step("reconcile").run();
    expect(session.getState().common.errorField).toBe("categoryRules");
    expect(session.getState().common.error).toMatch(/Category rule 1 \("Obsolescence reserve"\)/);
  });

  it("writes the Reconciliation sheet and its audit entry; a finance sheet changed since the preview asks again; approval needs a comment", async () => {
    const { gw, session } = setup();
    await classifyAndWrite(session);
    await readFinance(gw, session);
    await session.step("reconcile").run();
    const mv = session.getState().steps.write.lastWrite!.modelVersion;
    await session.step("reconcile").write();
    expect(session.getState().common.error).toBeNull();
    expect(gw.table(RECON_SUMMARY_TABLE)!.sheetName).toBe(RECONCILIATION_SHEET);
    const summary = Object.fromEntries(gw.table(RECON_SUMMARY_TABLE)!.rows.map((r) => [r[0], r[1]]));
    expect(summary).toMatchObject({ Status: "Unexplained differences", "Model version reconciled": mv, "Finance range": "Finance!A1:D14", "Finance rows": 11 });
    close(summary["Difference (segmentation − finance)"], 47.8);
    const fp = await fingerprintRange("Finance!A1:D14", financeSheet());
    expect(summary["Finance fingerprint (SHA-256)"]).toBe(fp);
    const segs = rowsOf(gw, RECON_SEGMENT_TABLE);
    close(segs.find((r) => r.Segment === "BZ")!["Segmentation value"], 50);
    close(segs.find((r) => r.Segment === "BZ")!["Finance value"], 0);
    expect(gw.state.charts.get(RECON_CHART)).toMatchObject({ sourceTable: RECON_SEGMENT_TABLE, categoryHeader: "Segment", chartType: "ColumnClustered" });
    const cross = gw.table(RECON_CROSSTAB_TABLE)!;
    expect(cross.headers[0]).toBe("Segment");
    expect(cross.headers[cross.headers.length - 1]).toBe("Total");
    close(cross.rows[cross.rows.length - 1][cross.headers.length - 1], 952.2);
    const kinds = rowsOf(gw, RECON_MISMATCH_TABLE).map((r) => `${r.Kind} ${r.SKU}`);
    expect(kinds).toEqual(["not in finance S04", "not in segmentation X99", "duplicate in finance S06", "duplicate in finance S06", "value difference S03", "value difference S02"]);
    expect(rowsOf(gw, RECON_VIOLATION_TABLE).map((r) => r.SKU)).toEqual(["S05"]);
    expect(rowsOf(gw, RECON_REJECTED_TABLE).map((r) => r["Finance cell"])).toEqual(["Finance!C13", "Finance!A14"]);
    const rec = gw.auditRows.filter((r) => r.action === "reconciliation-recorded");
    expect(rec).toHaveLength(1);
    expect(rec[0].modelVersion).toBe(mv);
    expect(rec[0].oldValue).toBe(fp);
    const json = JSON.parse(rec[0].newValue);
    expect(json).toMatchObject({ modelVersion: mv, financeFingerprint: fp, status: "unexplained", segmentationOnly: 1, financeOnly: 1, duplicates: 1, categoryViolations: 1, rejected: 2, source: "Finance!A1:D14" });
    close(json.totals.financeValue, 952.2);
    // the Governance sheet is refreshed with it
    const gov = Object.fromEntries(gw.table(GOV_SUMMARY_TABLE)!.rows.map((r) => [r[0], r[1]]));
    expect(gov).toMatchObject({ "Latest reconciliation": `unexplained (${mv})`, "Runs reconciled": 1, "Runs approved": 0, "Awaiting approval": 1 });

    // approval: a comment is required, then one entry naming the reconciliation
    await session.step("reconcile").approve("  ");
    expect(session.getState().common.errorField).toBe("approvalComment");
    await session.step("reconcile").approve("S03 write-down agreed with plant 1000");
    const appr = gw.auditRows.filter((r) => r.action === "reconciliation-approved");
    expect(appr).toHaveLength(1);
    expect(appr[0]).toMatchObject({ oldValue: rec[0].entryId, reason: "S03 write-down agreed with plant 1000", modelVersion: mv });
    expect(session.getState().steps.reconcile.records.at(-1)!.approval!.comment).toBe("S03 write-down agreed with plant 1000");
    await session.step("reconcile").approve("again");
    expect(session.getState().common.error).toMatch(/was approved by/);

    // the finance sheet changes after the preview: the write stops and asks
    await session.step("reconcile").run();
    gw.sheet("Finance")!.cells[3][2] = 80; // S03 now ties out
    const auditBefore = gw.auditRows.length;
    await session.step("reconcile").write();
    const q = session.getState().steps.reconcile.question!;
    expect(q.key).toBe(FINANCE_CHANGED_QUESTION);
    expect(q.text).toMatch(/^Finance!A1:D14 is not what was reconciled/);
    expect(gw.auditRows.length).toBe(auditBefore);
    await session.step("reconcile").answer(RECONCILE_AGAIN);
    const p2 = session.getState().steps.reconcile.preview!;
    close(p2.totals.financeValue, 962.2);
    expect(p2.valueDifferences.map((d) => d.sku)).toEqual(["S02"]);
    await session.step("reconcile").write();
    expect(session.getState().common.error).toBeNull();
    expect(gw.auditRows.filter((r) => r.action === "reconciliation-recorded")).toHaveLength(2);
    expect(session.getState().steps.reconcile.records.at(-1)!.approval).toBeNull();
  });

  it("refreshes the Reconciliation sheet on the next Write, under the new model version", async () => {
    const { gw, session } = setup();
    await classifyAndWrite(session);
    await readFinance(gw, session);
    await session.step("reconcile").run();
    await session.step("reconcile").write();
    gw.select("Data", "A1");
    await session.step("classify").readSource("region");
    await session.step("classify").classify();
    await session.step("write").write();
    expect(session.getState().common.error).toBeNull();
    const mv2 = session.getState().steps.write.lastWrite!.modelVersion;
    const rec = gw.auditRows.filter((r) => r.action === "reconciliation-recorded");
    expect(rec).toHaveLength(2);
    expect(rec[1].modelVersion).toBe(mv2);
    const summary = Object.fromEntries(gw.table(RECON_SUMMARY_TABLE)!.rows.map((r) => [r[0], r[1]]));
    expect(summary["Model version reconciled"]).toBe(mv2);
    expect(session.getState().steps.reconcile.records.at(-1)!.modelVersion).toBe(mv2);
  });
});
