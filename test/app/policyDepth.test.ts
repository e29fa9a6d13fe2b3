/**
 * The Policy step end to end over the in-memory workbook: policy columns mapped from the SKU
 * table, discrete distributions, order multiples and MOQs, the budget and the DC capacity shown
 * before writing, lifecycle rules, the MRP export with its names kept per workbook, the change
 * list against the previous written version, and bad input stopping the Write with nothing
 * written. Figures are checked against the engine's definitions (levels against scipy in
 * test/engine/policy/deploy.test.ts), not against copies of our output.
 */
import { createInlineRunner } from "../../src/app/engineRunner";
import { PaneSession } from "../../src/app/session";
import { CHANGE_LIST_SHEET, MRP_EXPORT_SHEET, MRP_EXPORT_TABLE, POLICY_VERSION_SHEET, SEGMENT_POLICY_TABLE, SETTINGS, SKU_CHANGES_TABLE, SKU_POLICY_TABLE, SUPPLIER_CHANGES_TABLE } from "../../src/app/sheets";
import type { CellValue } from "../../src/app/ports";
import { createPane } from "../helpers/pane";
import { MemoryGateway } from "../helpers/memoryGateway";
import { GOOD_ROWS, HEADERS } from "./sampleData";

/** 2026-11-25 as an Excel serial, and a date in the past. */
const NOW = Date.parse("2026-11-25T10:00:00.000Z");
const serial = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86400000 + 25569;

const EXTRA = ["Order multiple", "MOQ", "Location", "Location capacity", "Supplier", "Floor", "Lifecycle", "Last buy date", "Analog", "Family"];

/**
 * The sample SKUs (test/app/sampleData.ts) with policy columns: S01 packs of 12 with an MOQ of 24,
 * S05 a critical spare with a floor of 6, S10 past its last-buy date, two suppliers, two DCs, and
 * a new SKU S12 without history that takes S01's demand.
 */
function sheet(patch: (rows: CellValue[][]) => void = () => {}): CellValue[][] {
  const extra: Record<string, CellValue[]> = {
    S01: [12, 24, "DC1", 10000, "Acme", null, "", null, "", "bearings"],
    S02: [null, null, "DC1", 10000, "Acme", null, "", null, "", ""],
    S03: [null, null, "DC1", 10000, "Bolt & Co", null, "", null, "", ""],
    S04: [null, null, "DC2", null, "Bolt & Co", null, "", null, "", ""],
    S05: [null, null, "DC2", null, "Acme", 6, "", null, "", ""],
    S06: [null, null, "DC2", null, "Acme", null, "", null, "", ""],
    S07: [null, null, "DC2", null, "Acme", null, "", null, "", ""],
    S08: [null, null, "DC2", null, "Acme", null, "", null, "", ""],
    S09: [null, null, "DC2", null, "Bolt & Co", null, "", null, "", ""],
    S10: [null, null, "DC2", null, "Bolt & Co", null, "eol", serial("2026-01-15"), "", ""],
  };
  const rows: CellValue[][] = [[...HEADERS, ...EXTRA], ...GOOD_ROWS.map((r) => [...r, ...extra[r[0] as string]])];
  rows.push(["S12", "Bearing, new", null, 5, 2, "", null, null, null, null, 12, 24, "DC1", 10000, "Acme", null, "new", null, "S01", ""]);
  patch(rows);
  return rows;
}

function setup(rows = sheet()) {
  const gw = new MemoryGateway().addSheet("Data", rows).select("Data", "A1");
  let t = NOW;
  let id = 0;
  const session = createPane({ gateway: gw, runner: createInlineRunner(), now: () => new Date((t += 1000)), uuid: () => `00000000-0000-4000-8000-${String(++id).padStart(12, "0")}` });
  return { gw, session };
}

async function classify(session: PaneSession) {
  await session.step("classify").readSource("region");
  await session.step("classify").classify();
  expect(session.getState().common.error).toBeNull();
}

function rowsOf(gw: MemoryGateway, table: string): Record<string, unknown>[] {
  const t = gw.table(table)!;
  return t.rows.map((r) => Object.fromEntries(t.headers.map((h, i) => [h, r[i]])));
}

const bySku = (rows: Record<string, unknown>[]) => Object.fromEntries(rows.map((r) => [String(r.SKU), r]));

describe("policy columns and the deployable policy", () => {
  it("maps the policy columns by their headers", async () => {
    const { session } = setup();
    await session.step("classify").readSource("region");
    const c = session.getState().steps.classify.mapping!.columns;
    expect([c.orderMultiple, c.moq, c.location, c.locationCapacity, c.supplier, c.floor, c.lifecycle, c.lastBuy, c.analog, c.family]).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    expect(c.orderQty).toBeNull();
  });

  it("writes whole, orderable levels with the segment's distribution, floors, lifecycle and new SKUs", async () => {
    const { gw, session } = setup();
    await classify(session);
    await session.step("write").write();
    expect(session.getState().common.error).toBeNull();
    const p = bySku(rowsOf(gw, SKU_POLICY_TABLE));
    // S01 (AX, continuous review): EOQ 203.96 rounded up to packs of 12 = 204, at least the MOQ 24
    expect(p.S01["Order quantity"]).toBe(204);
    expect(p.S01.Max).toBe((p.S01.Min as number) + 204);
    expect(p.S01["Order multiple"]).toBe(12);
    expect(p.S01.MOQ).toBe(24);
    // S04 (0 0 0 40) is intermittent: "auto" plans it with a negative binomial, a whole reorder point
    expect(p.S04.Distribution).toBe("negbin");
    expect(Number.isInteger(p.S04["Reorder point"])).toBe(true);
    expect(p.S01.Distribution).toBe("normal");
    // S05, the critical spare: never below its floor of 6, flagged
    expect(p.S05["Safety stock"]).toBeGreaterThanOrEqual(6);
    expect(p.S05.Flags).toMatch(/^protected \(floor 6\)/);
    // S10 is past its last-buy date: no replenishment, every level 0
    expect([p.S10["Reorder point"], p.S10.Min, p.S10.Max, p.S10["Order quantity"]]).toEqual([0, 0, 0, 0]);
    expect(p.S10.Flags).toMatch(/no replenishment after the last-buy date/);
    // S12 has no history: S01's demand and segment
    expect(p.S12["Segment source"]).toBe("new: analog S01");
    expect(p.S12.Segment).toBe("AX");
    expect(p.S12["Demand mean"]).toBe(10);
    expect(p.S12["Reorder point"]).toBe(p.S01["Reorder point"]);
    expect(typeof p.S01["Expected fill rate"]).toBe("number");
  });

  it("MRP export: the fields a planning run needs, names chosen in the pane and kept in the workbook", async () => {
    const { gw, session } = setup();
    await classify(session);
    await session.step("policy").useMrpPreset("sap");
    await session.step("policy").setMrpType("AX", "VB");
    await session.step("write").write();
    expect(session.getState().common.error).toBeNull();
    const t = gw.table(MRP_EXPORT_TABLE)!;
    expect(t.sheetName).toBe(MRP_EXPORT_SHEET);
    expect(t.headers).toEqual(["MATNR", "WERKS", "EISBE", "MINBE", "MABST", "BSTFE", "BSTRF", "BSTMI", "DISMM", "LFRHY"]);
    const x = Object.fromEntries(rowsOf(gw, MRP_EXPORT_TABLE).map((r) => [String(r.MATNR), r]));
    const p = bySku(rowsOf(gw, SKU_POLICY_TABLE));
    expect(x.S01).toMatchObject({ WERKS: "DC1", EISBE: p.S01["Safety stock"], MINBE: p.S01["Reorder point"], MABST: p.S01.Max, BSTRF: 12, BSTMI: 24, DISMM: "VB" });
    expect(x.S10).toMatchObject({ MINBE: 0, MABST: 0, DISMM: "ND" });
    expect(x.S07).toBeUndefined(); // inactive: not planned, not exported
    // kept per workbook: a new pane on the same workbook has the names
    expect(gw.settings.get<{ headers: Record<string, string> }>(SETTINGS.mrpExport)?.headers.sku).toBe("MATNR");
    const again = createPane({ gateway: gw, runner: createInlineRunner() });
    expect(again.getState().steps.policy.mrpExport.mrpTypeBySegment).toEqual({ AX: "VB" });
  });

  it("a repeated MRP header name stops the Write and says which", async () => {
    const { gw, session } = setup();
    await classify(session);
    await session.step("policy").setMrpHeader("max", "Reorder point");
    expect(session.getState().steps.policy.mrpExportProblems).toEqual(['MRP export: header "Reorder point" is used twice.']);
    await session.step("write").write();
    expect(session.getState().common.error).toMatch(/^Fix the MRP export first/);
    expect(gw.sheet(MRP_EXPORT_SHEET)).toBeUndefined();
  });
});

describe("change list against the previous written version", () => {
  it("keeps the version on a very hidden sheet and lists what changed per SKU and per supplier", async () => {
    const { gw, session } = setup();
    await classify(session);
    await session.step("write").write();
    expect(gw.sheet(POLICY_VERSION_SHEET)?.visibility).toBe("veryHidden");
    expect(session.getState().steps.write.lastWrite!.sheets).not.toContain(POLICY_VERSION_SHEET);
    expect(rowsOf(gw, SKU_CHANGES_TABLE)).toEqual([]);
    expect(session.getState().steps.write.lastWrite!.summary).toContain("Policy change list: first version kept; the next Write lists the changes.");
    const first = bySku(rowsOf(gw, SKU_POLICY_TABLE));
    const firstMv = session.getState().steps.write.lastWrite!.modelVersion;

    // raise the CX service level: S05, S06 (and not S10, no replenishment) move up
    session.step("policy").setGridCell("CX", "serviceLevel", 0.995);
    await session.step("write").write();
    expect(session.getState().common.error).toBeNull();
    expect(gw.sheet(CHANGE_LIST_SHEET)).toBeDefined();
    const second = bySku(rowsOf(gw, SKU_POLICY_TABLE));
    const changes = bySku(rowsOf(gw, SKU_CHANGES_TABLE));
    expect(Object.keys(changes).sort()).toEqual(["S06"]);
    expect(changes.S06).toMatchObject({ Status: "changed", Supplier: "Acme", "Reorder point before": first.S06["Reorder point"], "Reorder point after": second.S06["Reorder point"] });
    expect(changes.S06["Reorder point change"]).toBe((second.S06["Reorder point"] as number) - (first.S06["Reorder point"] as number));
    // investment = unit cost x (safety stock + Q / 2): S06 costs 2
    const inv = (r: Record<string, unknown>) => 2 * ((r["Safety stock"] as number) + (r["Order quantity"] as number) / 2);
    expect(changes.S06["Investment change"]).toBeCloseTo(inv(second.S06) - inv(first.S06), 9);
    const suppliers = Object.fromEntries(rowsOf(gw, SUPPLIER_CHANGES_TABLE).map((r) => [String(r.Supplier), r]));
    expect(suppliers.Acme).toMatchObject({ Changed: 1, New: 0, Removed: 0 });
    expect(suppliers.Acme["Investment change"]).toBeCloseTo(inv(second.S06) - inv(first.S06), 9);
    expect(suppliers["Bolt & Co"]).toMatchObject({ Changed: 0, "Investment change": 0 });
    expect(rowsOf(gw, "SegChangeNotes")[0].Note).toMatch(new RegExp(`against ${firstMv}: 1 SKU\\(s\\) changed`));
  });
});

describe("budget and capacity, before writing", () => {
  it("shows the budget per segment with the marginal value, then writes the allocated levels", async () => {
    const { gw, session } = setup();
    await classify(session);
    await session.step("policy").preview();
    const free = session.getState().steps.policy.preview!;
    expect(free.budget).toBeNull();
    session.step("policy").setPolicyOptions({ budgetMode: "total", budget: Math.round(free.safetyStockValue * 0.6) });
    expect(session.getState().steps.policy.preview).toBeNull(); // a change asks for a new preview
    await session.step("policy").preview();
    const p = session.getState().steps.policy.preview!;
    expect(p.budget!.spent).toBeLessThanOrEqual(p.budget!.budget + 1e-9);
    expect(p.budget!.marginalFillRatePerMoney).toBeGreaterThan(0);
    // one total: the segments share it (one may get more than its targets, another less)
    expect(p.budget!.segments.reduce((x, s) => x + s.spent, 0)).toBeCloseTo(p.budget!.spent, 6);
    for (const s of p.budget!.segments) expect(s.fillRate >= 0 && s.fillRate <= 1).toBe(true);
    await session.step("write").write();
    expect(session.getState().common.error).toBeNull();
    const rows = rowsOf(gw, SKU_POLICY_TABLE);
    expect(rows.filter((r) => String(r.Flags).includes("level set by the safety-stock budget")).length).toBeGreaterThan(0);
    expect(bySku(rows).S05.Flags).not.toMatch(/budget/); // the protected spare is held
  });

  it("a budget below the floors stops the Write beside the budget field, nothing written", async () => {
    const { gw, session } = setup();
    await classify(session);
    session.step("policy").setPolicyOptions({ budgetMode: "total", budget: 1 });
    await session.step("write").write();
    const c = session.getState().common;
    expect(c.errorField).toBe("budget");
    expect(c.error).toMatch(/^The safety-stock budget is too small: the budget \(1\) is below the floors: .* need [0-9,]+; raise the budget or lower the floors\.$/);
    expect(gw.sheet("Policy")).toBeUndefined();
    expect(gw.auditRows).toHaveLength(0);
  });

  it("cuts the max levels of a full DC, C segments first, and reports the fill rate lost", async () => {
    const { session } = setup();
    await classify(session);
    await session.step("policy").preview();
    const room = session.getState().steps.policy.preview!.capacity!.find((l) => l.location === "DC1")!.required;
    const { session: tight } = setup(
      sheet((rows) => {
        for (const r of rows.slice(1)) if (r[12] === "DC1") r[13] = Math.floor(room * 0.9);
      }),
    );
    await classify(tight);
    await tight.step("policy").preview();
    const dc1 = tight.getState().steps.policy.preview!.capacity!.find((l) => l.location === "DC1")!;
    expect(dc1.after).toBeLessThanOrEqual(dc1.capacity);
    expect(dc1.unitsCut).toBeGreaterThan(0);
    expect(dc1.fillRateAfter).toBeLessThanOrEqual(dc1.fillRateBefore);
  });
});

describe("bad input: clear messages naming the cell, nothing written", () => {
  it("an MOQ that is not a multiple of the order multiple", async () => {
    const { gw, session } = setup(sheet((rows) => (rows[1][11] = 25)));
    await classify(session);
    expect(session.getState().steps.policy.inputProblems).toEqual(["Data!L2: MOQ 25 is not a multiple of the order multiple 12 (Data!K2)"]);
    await session.step("write").write();
    expect(session.getState().common.error).toBe("Fix the policy columns of the SKU table first: Data!L2: MOQ 25 is not a multiple of the order multiple 12 (Data!K2). Nothing was written.");
    expect(gw.sheet("Policy")).toBeUndefined();
  });

  it("an MOQ that is not a multiple of the segment's order multiple names the MOQ cell", async () => {
    const { gw, session } = setup(sheet((rows) => (rows[3][11] = 5)));
    await classify(session);
    session.step("policy").setGridCell("BX", "orderMultiple", 2);
    await session.step("write").write();
    expect(session.getState().common.error).toMatch(/^Fix the policy input first: Data!L4 \(SKU S03\): MOQ 5 is not a multiple of the order multiple of segment BX 2\. Nothing was written\.$/);
    expect(gw.sheet("Policy")).toBeUndefined();
  });

  it("a zero or negative capacity, and two capacities for one DC", async () => {
    const { session } = setup(
      sheet((rows) => {
        rows[1][13] = 0;
        rows[2][13] = -5;
        rows[3][13] = 900;
      }),
    );
    await classify(session);
    expect(session.getState().steps.policy.inputProblems).toEqual([
      "Data!N2: capacity must be above 0, got 0",
      "Data!N3: capacity must be above 0, got -5",
      "Data!N12: capacity 10000 differs from 900 given for location DC1 in Data!N4: give one capacity per location",
    ]);
  });

  it("a negative binomial where the variance is below the mean: Poisson, and the row says so", async () => {
    const { gw, session } = setup();
    await classify(session);
    // S06 (1 3 1 3: mean 2, sd 1) over BX's... CX, periodic review 4 with lead time 2: v = 6, m = 12
    session.step("policy").setGridCell("CX", "distribution", "negbin");
    await session.step("write").write();
    const p = bySku(rowsOf(gw, SKU_POLICY_TABLE));
    expect(p.S06.Distribution).toBe("poisson");
    expect(p.S06["Order quantity source"]).toMatch(/variance <= mean over the protection interval, so no negative binomial exists: Poisson used/);
    expect(session.getState().steps.policy.preview!.poissonFallbacks).toBeGreaterThan(0);
  });
});

test("hand edits to the new grid columns are found and kept", async () => {
  const { gw, session } = setup();
  await classify(session);
  await session.step("write").write();
  const grid = gw.table(SEGMENT_POLICY_TABLE)!;
  gw.editTableCell(SEGMENT_POLICY_TABLE, 0, "Distribution", "Poisson");
  gw.editTableCell(SEGMENT_POLICY_TABLE, 0, "Order multiple", 6);
  expect(grid.headers).toContain("MOQ");
  await session.step("write").write();
  expect(session.getState().steps.write.question?.items).toEqual([
    "Policy!G2 (AX distribution) was changed on the sheet to poisson; the pane has auto.",
    "Policy!I2 (AX order multiple) was changed on the sheet to 6; the pane has 1.",
  ]);
  await session.step("write").answer("keep");
  expect(session.getState().common.error).toBeNull();
  expect(session.getState().steps.policy.grid[0]).toMatchObject({ distribution: "poisson", orderMultiple: 6 });
});
