import { GENESIS_HASH, verifyChain } from "../../src/engine/audit";
import { defaultPolicyGrid } from "../../src/engine/policy";
import { createInlineRunner } from "../../src/app/engineRunner";
import { createPane, classifyAndWrite } from "../helpers/pane";
import { PARETO_TABLE, POLICY_NOTES_TABLE, POLICY_SHEET, SEGMENT_POLICY_TABLE, SEGMENTS_HEADERS, SEGMENTS_NOTES_TABLE, SEGMENTS_TABLE, SETTINGS, SKU_POLICY_HEADERS, SKU_POLICY_TABLE } from "../../src/app/sheets";
import { MemoryGateway } from "../helpers/memoryGateway";
import { SEGMENTS_DYNAMIC_HEADERS } from "../../src/app/churnControl";
import { EXPECTED_SEGMENTS, sampleSheet, SHEET_ORDER } from "./sampleData";

function setup(gw = new MemoryGateway().addSheet("Data", sampleSheet()).select("Data", "A1")) {
  let t = Date.parse("2026-11-25T10:00:00.000Z");
  let id = 0;
  const session = createPane({
    gateway: gw,
    runner: createInlineRunner(),
    now: () => new Date((t += 1000)),
    uuid: () => `00000000-0000-4000-8000-${String(++id).padStart(12, "0")}`,
  });
  return { gw, session };
}


function tableRows(gw: MemoryGateway, name: string): Record<string, unknown>[] {
  const t = gw.table(name)!;
  return t.rows.map((r) => Object.fromEntries(t.headers.map((h, i) => [h, r[i]])));
}

describe("classify", () => {
  it("reads the current region, proposes the mapping and previews the nine segments", async () => {
    const { session } = setup();
    await session.step("classify").readSource("region");
    const s0 = session.getState().steps.classify;
    expect(s0.source?.address).toBe("Data!A1:J14");
    expect(s0.mapping?.columns.sku).toBe(0);
    expect(s0.mapping?.columns.value).toBe(2);
    expect(s0.mapping?.columns.pin).toBe(5);
    expect(s0.mapping?.history).toEqual({ first: 6, last: 9 });
    await session.step("classify").classify();
    const p = session.getState().steps.classify.preview!;
    expect(p.skus).toBe(10);
    expect(p).toMatchObject({ active: 9, inactive: 1, inactivePinned: 0 });
    const seg = Object.fromEntries(p.bySegment.map((g) => [g.key, g.count]));
    expect(seg).toEqual({ AX: 1, AY: 1, AZ: 0, BX: 1, BY: 0, BZ: 1, CX: 3, CY: 1, CZ: 1 });
    const share = Object.fromEntries(p.bySegment.map((g) => [g.key, g.valueShare]));
    expect(share.AX).toBeCloseTo(0.5, 12);
    expect(share.CX).toBeCloseTo(0.062, 12);
    // the 3x3 matrix: counts, share of SKUs and of value per cell
    expect(p.matrix.map((row) => row.map((c) => c.count))).toEqual([
      [1, 1, 0],
      [1, 0, 1],
      [3, 1, 1],
    ]);
    expect(p.matrix[2][0].skuShare).toBeCloseTo(3 / 9, 12);
    expect(p.matrix[2][0].valueShare).toBeCloseTo(0.062, 12);
    // the Pareto curve starts at the origin and ends at (100 %, 100 %), through A's boundary
    expect(p.pareto[0]).toEqual({ skuShare: 0, valueShare: 0 });
    expect(p.pareto[2].skuShare).toBeCloseTo(2 / 9, 12);
    expect(p.pareto[2].valueShare).toBeCloseTo(0.8, 12);
    expect(p.pareto[p.pareto.length - 1]).toEqual({ skuShare: 1, valueShare: 1 });
    // S04 (0 0 0 40) and S09 (0 8 0 0): ADI 4, one size so CV² 0: intermittent; S02, S08: CV² 0.64: erratic
    expect(Object.fromEntries(p.patterns.quadrants.map((q) => [q.pattern, q.count]))).toEqual({ smooth: 5, erratic: 2, intermittent: 2, lumpy: 0 });
    expect(p.cvUndefined).toBe(0);
    expect(p.cv.all?.max).toBeCloseTo(Math.sqrt(3), 12);
    expect(p.rejected.map((r) => r.message)).toEqual([
      'Data!A12: SKU "S01" already appears in row 2 (that row is kept)',
      'Data!C13: text "n/a" is not a number',
      "Data!A14: the SKU id is blank",
    ]);
  });

  it("remembers the user's mapping for the same sheet and headers", async () => {
    const { gw, session } = setup();
    await session.step("classify").readSource("region");
    session.step("classify").setMappingField("description", null);
    await session.step("classify").classify();
    const again = setup(gw).session;
    await again.step("classify").readSource("region");
    expect(again.getState().steps.classify.mappingRemembered).toBe(true);
    expect(again.getState().steps.classify.mapping?.columns.description).toBeNull();
  });

  it("keeps a pinned SKU in its current class", async () => {
    const sheet = sampleSheet();
    sheet[0].push("Class");
    sheet.slice(1).forEach((r) => r.push(""));
    sheet[10][5] = "Y"; // S10 (computed CX) pinned ...
    sheet[10][10] = "B"; // ... with current class B
    const gw = new MemoryGateway().addSheet("Data", sheet).select("Data", "A1");
    const { session } = setup(gw);
    await session.step("classify").readSource("region");
    expect(session.getState().steps.classify.mapping?.columns.currentClass).toBe(10);
    await session.step("classify").classify();
    const run = session.getState().steps.classify.run!;
    const i = run.parsed.sku.indexOf("S10");
    expect(run.result.abc[i]).toBe("B");
    expect(run.result.abcComputed[i]).toBe("C");
    expect(run.result.segment[i]).toBe("BX");
    expect(session.getState().steps.classify.preview?.pinned).toBe(1);
  });

  it("says what to fix when the mapping has no value", async () => {
    const { session } = setup();
    await session.step("classify").readSource("region");
    session.step("classify").setMappingField("value", null);
    session.step("classify").setMappingField("unitCost", null);
    await session.step("classify").classify();
    expect(session.getState().common.error).toMatch(/Map an annual value column/);
  });
});

describe("write", () => {
  it("writes the Segments and Policy sheets with a model version and logs a classify-run entry", async () => {
    const { gw, session } = setup();
    await classifyAndWrite(session);
    const mv = session.getState().steps.write.lastWrite!.modelVersion;
    expect(mv).toMatch(/^\d{8}T\d{6}Z-[0-9a-f]{8}$/);
    expect(gw.table(SEGMENTS_TABLE)!.headers).toEqual([...SEGMENTS_HEADERS, ...SEGMENTS_DYNAMIC_HEADERS]);
    const seg = tableRows(gw, SEGMENTS_TABLE);
    expect(seg.map((r) => r.SKU)).toEqual(SHEET_ORDER);
    expect(Object.fromEntries(seg.map((r) => [r.SKU, r.Segment]))).toEqual(EXPECTED_SEGMENTS);
    expect(seg[1]["Cumulative share"]).toBeCloseTo(0.8, 12);
    // S07 sold nothing: inactive, last, not ranked, and the sheet says why
    expect(seg[9]).toMatchObject({ SKU: "S07", "Cumulative share": null, ABC: "", CV: null, Segment: "", Status: "inactive: no demand in the history" });
    expect(seg.filter((r) => r.Status === "active")).toHaveLength(9);
    expect(seg.every((r) => r["Model version"] === mv)).toBe(true);
    // the Pareto chart plots a binned table of every ranked SKU (here one bin per SKU)
    expect(gw.state.charts.get("SegPareto")?.sourceTable).toBe(PARETO_TABLE);
    expect(tableRows(gw, PARETO_TABLE).map((r) => r.SKUs)).toEqual(SHEET_ORDER.slice(0, 9));
    expect(tableRows(gw, PARETO_TABLE)[8]["Cumulative share"]).toBe(1);
    expect(tableRows(gw, SEGMENTS_NOTES_TABLE).map((r) => r.Note).join(" ")).toMatch(/1 SKU\(s\) inactive/);

    const grid = tableRows(gw, SEGMENT_POLICY_TABLE);
    expect(grid.map((r) => r.Segment)).toEqual(["AX", "AY", "AZ", "BX", "BY", "BZ", "CX", "CY", "CZ"]);
    expect(gw.table(SEGMENT_POLICY_TABLE)!.sheetName).toBe(POLICY_SHEET);
    const sku = tableRows(gw, SKU_POLICY_TABLE);
    expect(gw.table(SKU_POLICY_TABLE)!.headers).toEqual([...SKU_POLICY_HEADERS]);
    const s01 = sku.find((r) => r.SKU === "S01")!;
    // AX: csl 0.98, continuous review, lead time 2, sd 0 => safety stock 0, ROP = 10 * 2
    expect(s01["Safety stock"]).toBe(0);
    expect(s01["Reorder point"]).toBe(20);
    // EOQ = sqrt(2 * 520 * 50 / (0.25 * 5)) = 203.96, rounded up to a whole unit
    expect(s01["Order quantity"]).toBe(Math.ceil(Math.sqrt((2 * 520 * 50) / 1.25)));
    expect(s01["Order quantity source"]).toBe("EOQ");
    expect(s01.Max).toBe(20 + 204);
    const s07 = sku.find((r) => r.SKU === "S07")!;
    expect(s07["Segment source"]).toBe("inactive");
    expect(s07["Reorder point"]).toBe(0);
    expect(s07["Order quantity source"]).toMatch(/^inactive: no demand in the history; no reorder point/);

    expect(gw.auditRows.map((r) => r.action)).toEqual(["classify-run"]);
    expect(gw.auditRows[0].modelVersion).toBe(mv);
    expect(gw.auditRows[0].prevHash).toBe(GENESIS_HASH);
    expect(gw.auditRows[0].syncState).toBe("pending");
    expect(gw.settings.get(SETTINGS.workbookId)).toBe(gw.auditRows[0].workbookId);
  });

  it("updates in place on a rerun: same tables, new model version", async () => {
    const { gw, session } = setup();
    await classifyAndWrite(session);
    const first = session.getState().steps.write.lastWrite!.modelVersion;
    await session.step("classify").classify();
    await session.step("write").write();
    const second = session.getState().steps.write.lastWrite!.modelVersion;
    expect(second).not.toBe(first);
    expect(tableRows(gw, SEGMENTS_TABLE)).toHaveLength(10);
    expect([...gw.state.tables.keys()].sort()).toEqual(
      [SEGMENT_POLICY_TABLE, POLICY_NOTES_TABLE, SEGMENTS_TABLE, SKU_POLICY_TABLE, PARETO_TABLE, SEGMENTS_NOTES_TABLE, "SegMrpExport", "SegChangeNotes", "SegSupplierChanges", "SegSkuChanges", "SegPolicyVersion", "SegVersionStore", "SegGovSummary", "SegGovStability", "SegGovChurn", "SegGovOverrides", "SegGovExceptions", "SegGovReconciliations"].sort(),
    );
    expect(gw.auditRows.map((r) => r.action)).toEqual(["classify-run", "classify-run"]);
    expect(gw.auditRows[1].oldValue).toBe(first);
  });

  it("cancel leaves nothing: no sheets, no audit entry, no settings written", async () => {
    const gw = new MemoryGateway().addSheet("Data", sampleSheet()).select("Data", "A1");
    gw.blockRows = 2;
    const { session } = setup(gw);
    await session.step("classify").readSource("region");
    await session.step("classify").classify();
    const settingsBefore = new Map(gw.settingsStore);
    const writing = session.step("write").write();
    // cancel as soon as the first block has gone out
    await new Promise<void>((resolve) => {
      const off = session.subscribe(() => {
        if (session.getState().common.progress?.phase.startsWith("Writing")) {
          off();
          session.cancel();
          resolve();
        }
      });
    });
    await writing;
    expect(session.getState().common.notice).toMatch(/cancelled/);
    expect(gw.sheet("Segments")).toBeUndefined();
    expect(gw.sheet("Policy")).toBeUndefined();
    expect(gw.state.tables.size).toBe(0);
    expect(gw.auditRows).toHaveLength(0);
    expect(gw.settingsStore).toEqual(settingsBefore);
  });

  it("a failed write reports the error and keeps the previous sheets", async () => {
    const { gw, session } = setup();
    await classifyAndWrite(session);
    const before = structuredClone(gw.table(SEGMENTS_TABLE));
    gw.failAfterBlocks = 1;
    await session.step("write").write();
    expect(session.getState().common.error).toMatch(/simulated failure/);
    expect(gw.table(SEGMENTS_TABLE)).toEqual(before);
    expect(gw.auditRows).toHaveLength(1);
  });
});

describe("policy grid hand edits", () => {
  it("asks before overwriting a hand edit; the default keeps theirs and audits it", async () => {
    const { gw, session } = setup();
    await classifyAndWrite(session);
    // planner edits AX's service level on the sheet, and changes BY in the pane
    gw.editTableCell(SEGMENT_POLICY_TABLE, 0, "Service level", 0.99);
    session.step("policy").setGridCell("BY", "serviceLevel", 0.94);
    await session.step("write").write();
    const s = session.getState();
    expect(s.steps.write.question?.key).toBe("policy.handEdits");
    // in the units the pane and the sheet show: percent
    expect(s.steps.write.question?.items).toEqual(["Policy!B2 (AX service level) was changed on the sheet to 99 %; the pane has 98 %."]);
    expect(gw.auditRows).toHaveLength(1); // nothing written yet
    await session.step("write").answer("keep");
    const grid = tableRows(gw, SEGMENT_POLICY_TABLE);
    expect(grid[0]["Service level"]).toBe(0.99);
    expect(grid.find((r) => r.Segment === "BY")!["Service level"]).toBe(0.94);
    expect(session.getState().steps.policy.grid[0].serviceLevel).toBe(0.99);
    const changes = gw.auditRows.filter((r) => r.action === "policy-changed");
    expect(changes.map((r) => [r.field, r.oldValue, r.newValue, r.reason])).toEqual([
      ["AX Service level", "98 %", "99 %", "edited on the Policy sheet (kept)"],
      ["BY Service level", "95 %", "94 %", "changed in the pane"],
    ]);
    // the SKU policy uses the kept value
    expect(tableRows(gw, SKU_POLICY_TABLE).find((r) => r.SKU === "S01")!["Service level"]).toBe(0.99);
  });

  it("'use new' writes the pane's value over the hand edit", async () => {
    const { gw, session } = setup();
    await classifyAndWrite(session);
    gw.editTableCell(SEGMENT_POLICY_TABLE, 0, "Method", "fill");
    await session.step("write").write();
    expect(session.getState().steps.write.question?.items).toHaveLength(1);
    await session.step("write").answer("new");
    expect(tableRows(gw, SEGMENT_POLICY_TABLE)[0].Method).toBe("csl");
  });

  it("an invalid hand edit is listed and not kept", async () => {
    const { gw, session } = setup();
    await classifyAndWrite(session);
    gw.editTableCell(SEGMENT_POLICY_TABLE, 2, "Service level", 1.5);
    await session.step("write").write();
    const q = session.getState().steps.write.question!;
    expect(q.items).toEqual(["Policy!B4 (AZ service level) service level must be above 0 % and below 100 % (e.g. 95 %), got 150 %: the pane's value 95 % will be written."]);
    await session.step("write").answer("keep");
    expect(tableRows(gw, SEGMENT_POLICY_TABLE)[2]["Service level"]).toBe(0.95);
  });

  it("no question when the sheet still holds what the add-in wrote", async () => {
    const { session } = setup();
    await classifyAndWrite(session);
    session.step("policy").setGridCell("CZ", "serviceLevel", 0.8);
    await session.step("write").write();
    expect(session.getState().steps.write.question).toBeNull();
    expect(session.getState().steps.write.lastWrite?.grid.find((p) => p.segment === "CZ")?.serviceLevel).toBe(0.8);
  });
});

describe("overrides", () => {
  it("needs a reason", async () => {
    const { gw, session } = setup();
    await classifyAndWrite(session);
    gw.selectTableRows(SEGMENTS_TABLE, 2);
    await session.step("overrides").loadSelection();
    await session.step("overrides").setOverride("AX", "   ");
    expect(session.getState().common.error).toMatch(/Type a reason/);
    expect(gw.auditRows.filter((r) => r.action === "override-set")).toHaveLength(0);
    expect(tableRows(gw, SEGMENTS_TABLE)[2].Override).toBe("");
  });

  it("shows in the table, is audited, survives reclassification and is flagged when the computed segment moves", async () => {
    const { gw, session } = setup();
    await classifyAndWrite(session);
    gw.selectTableRows(SEGMENTS_TABLE, 2, 3); // S03 (BX), S04 (BZ)
    await session.step("overrides").loadSelection();
    expect(session.getState().steps.overrides.selection?.map((s) => s.sku)).toEqual(["S03", "S04"]);
    await session.step("overrides").setOverride("AX", "Critical spare for line 4");
    expect(session.getState().common.error).toBeNull();
    let seg = tableRows(gw, SEGMENTS_TABLE);
    expect(seg[2].Override).toBe("AX");
    expect(seg[2]["Override reason"]).toBe("Critical spare for line 4");
    expect(seg[3].Override).toBe("AX");
    const sets = gw.auditRows.filter((r) => r.action === "override-set");
    expect(sets.map((r) => [r.sku, r.oldValue, r.newValue, r.reason])).toEqual([
      ["S03", "BX", "AX", "Critical spare for line 4"],
      ["S04", "BZ", "AX", "Critical spare for line 4"],
    ]);
    // the per-SKU policy follows the override straight away
    const s03 = tableRows(gw, SKU_POLICY_TABLE).find((r) => r.SKU === "S03")!;
    expect(s03.Segment).toBe("AX");
    expect(s03["Segment source"]).toBe("override");
    expect(s03["Service level"]).toBe(0.98);

    // S03's value drops: computed becomes CX; S04 unchanged
    gw.sheet("Data")!.cells[3][2] = 1;
    gw.select("Data", "B5");
    await session.step("classify").readSource("region");
    await session.step("classify").classify();
    await session.step("write").write();
    seg = tableRows(gw, SEGMENTS_TABLE);
    const s03row = seg.find((r) => r.SKU === "S03")!;
    expect(s03row.Segment).toBe("CX");
    expect(s03row.Override).toBe("AX");
    expect(s03row["Override reason"]).toBe("Override (computed changed BX→CX): Critical spare for line 4");
    const s04row = seg.find((r) => r.SKU === "S04")!;
    expect(s04row["Override reason"]).toBe("Critical spare for line 4");
    expect(session.getState().steps.write.lastWrite?.flagged).toBe(1);
    const pol = tableRows(gw, SKU_POLICY_TABLE).find((r) => r.SKU === "S03")!;
    expect(pol.Segment).toBe("AX");
    expect(pol["Segment source"]).toBe("Override (computed changed BX→CX)");
  });

  it("clearing an override is audited and removes it from the table and from later runs", async () => {
    const { gw, session } = setup();
    await classifyAndWrite(session);
    gw.selectTableRows(SEGMENTS_TABLE, 0);
    await session.step("overrides").setOverride("cz", "phase-out");
    gw.selectTableRows(SEGMENTS_TABLE, 0);
    await session.step("overrides").loadSelection();
    await session.step("overrides").clearOverride("back to normal");
    expect(session.getState().common.error).toBeNull();
    expect(tableRows(gw, SEGMENTS_TABLE)[0].Override).toBe("");
    const cleared = gw.auditRows.filter((r) => r.action === "override-cleared");
    expect(cleared.map((r) => [r.sku, r.oldValue, r.newValue, r.reason])).toEqual([["S01", "CZ", "AX", "back to normal"]]);
    await session.step("write").write();
    expect(tableRows(gw, SEGMENTS_TABLE)[0].Override).toBe("");
  });

  it("refuses a selection outside the Segments table", async () => {
    const { gw, session } = setup();
    await classifyAndWrite(session);
    gw.select("Data", "A2:A3");
    await session.step("overrides").loadSelection();
    expect(session.getState().common.error).toMatch(/Select one or more rows of the table on the Segments sheet/);
  });
});

describe("audit", () => {
  it("lists newest first, filters, and verify names the tampered sheet row", async () => {
    const { gw, session } = setup();
    await classifyAndWrite(session);
    gw.selectTableRows(SEGMENTS_TABLE, 1);
    await session.step("overrides").setOverride("AZ", "promo");
    gw.selectTableRows(SEGMENTS_TABLE, 4);
    await session.step("overrides").setOverride("BX", "new contract");
    await session.step("audit").load({});
    const rows = session.getState().steps.audit.rows;
    expect(rows.map((r) => r.action)).toEqual(["override-set", "override-set", "classify-run"]);
    expect(rows[0].sku).toBe("S05");
    await session.step("audit").load({ sku: "s02" });
    expect(session.getState().steps.audit.rows.map((r) => r.sku)).toEqual(["S02"]);
    await session.step("audit").load({ action: "classify-run" });
    expect(session.getState().steps.audit.rows).toHaveLength(1);
    await session.step("audit").load({ user: "nobody" });
    expect(session.getState().steps.audit.rows).toHaveLength(0);

    expect((await verifyChain(gw.auditRows)).ok).toBe(true);
    await session.step("audit").verify();
    expect(session.getState().steps.audit.verify).toMatchObject({ ok: true, count: 3 });

    gw.auditRows[1].reason = "promo (approved)";
    await session.step("audit").verify();
    expect(session.getState().steps.audit.verify).toMatchObject({ ok: false, sheetRow: 3 });
    expect(session.getState().steps.audit.verify!.message).toMatch(/^SEG_Audit row 3 .*edited/);
  });

  it("a deleted row breaks the link of the row after it", async () => {
    const { gw, session } = setup();
    await classifyAndWrite(session);
    await session.step("classify").classify();
    await session.step("write").write();
    await session.step("classify").classify();
    await session.step("write").write();
    gw.auditRows.splice(1, 1);
    await session.step("audit").verify();
    expect(session.getState().steps.audit.verify).toMatchObject({ ok: false, sheetRow: 3 });
    expect(session.getState().steps.audit.verify!.message).toMatch(/removed, inserted or reordered/);
  });

  it("signs entries with the user name set in the pane", async () => {
    const { gw, session } = setup();
    await session.step("settings").setUserName("  ");
    expect(session.getState().common.error).toMatch(/Type your name/);
    await session.step("settings").setUserName("Ana Planner");
    await classifyAndWrite(session);
    expect(gw.auditRows[0].user).toBe("Ana Planner");
  });

  it("policy-changed entries are not written for a default grid", async () => {
    const { gw, session } = setup();
    expect(session.getState().steps.policy.grid).toEqual(defaultPolicyGrid());
    await classifyAndWrite(session);
    expect(gw.auditRows.some((r) => r.action === "policy-changed")).toBe(false);
  });
});
