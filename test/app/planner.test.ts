/**
 * What a planner hit when the pane was first tried on real data (issue 7's numbered list), each
 * as a test that would have caught it: periods per year from date headers, inactive parts,
 * whole units, numeric part numbers, overrides to the same segment and of many SKUs, the rerun
 * warning, progress in the planner's words.
 */
import { createInlineRunner } from "../../src/app/engineRunner";
import { inferPeriodsPerYear } from "../../src/app/periodHeaders";
import type { CellValue, Progress } from "../../src/app/ports";
import type { PaneSession } from "../../src/app/session";
import { SEGMENTS_TABLE, SETTINGS, SKU_POLICY_TABLE } from "../../src/app/sheets";
import { CONFIRM_ABOVE } from "../../src/app/steps/overrides";
import { RERUN_QUESTION } from "../../src/app/steps/write";
import { createExcelGateway, createSettingsStore, type ExcelHost } from "../../src/excel";
import { createFakeExcel, type Scalar } from "../fake-excel";
import { MemoryGateway } from "../helpers/memoryGateway";
import { createPane } from "../helpers/pane";

const serial = (iso: string) => (Date.parse(`${iso}T00:00:00Z`) - Date.UTC(1899, 11, 30)) / 86_400_000;

function pane(gw: MemoryGateway, rerunWarning = false): PaneSession {
  let t = Date.parse("2026-11-25T10:00:00.000Z");
  let id = 0;
  return createPane({ gateway: gw, runner: createInlineRunner(), now: () => new Date((t += 1000)), uuid: () => `00000000-0000-4000-8000-${String(++id).padStart(12, "0")}` }, { rerunWarning });
}

function rows(gw: MemoryGateway, table: string): Record<string, unknown>[] {
  const t = gw.table(table)!;
  return t.rows.map((r) => Object.fromEntries(t.headers.map((h, i) => [h, r[i]])));
}

async function classifyAndWrite(s: PaneSession): Promise<void> {
  await s.step("classify").readSource("region");
  await s.step("classify").classify();
  await s.step("write").write();
  expect(s.getState().common.error).toBeNull();
}

describe("periods per year from the history headers (item 6)", () => {
  it("reads the spacing of date headers, in every form Excel and extracts use", () => {
    expect(inferPeriodsPerYear([serial("2022-01-01"), serial("2022-02-01"), serial("2022-03-01")])?.periodsPerYear).toBe(12);
    expect(inferPeriodsPerYear(["2025-01", "2025-02", "2025-03"])?.periodsPerYear).toBe(12);
    expect(inferPeriodsPerYear(["Jan-25", "Feb-25", "Mar-25", "Apr-25"])?.periodsPerYear).toBe(12);
    expect(inferPeriodsPerYear(["2025-W01", "2025-W02", "2025-W03"])?.periodsPerYear).toBe(52);
    expect(inferPeriodsPerYear([serial("2025-01-06"), serial("2025-01-13"), serial("2025-01-20")])?.periodsPerYear).toBe(52);
    expect(inferPeriodsPerYear(["2025-01-01", "2025-01-02", "2025-01-03"])?.periodsPerYear).toBe(365);
    expect(inferPeriodsPerYear(["Q1 2025", "Q2 2025", "Q3 2025"])?.periodsPerYear).toBe(4);
    expect(inferPeriodsPerYear(["2025-01", "2025-02"])?.basis).toBe("monthly dates (2025-01-01 … 2025-02-01)");
  });

  it("says nothing for labels without a calendar, or dates out of order", () => {
    expect(inferPeriodsPerYear(["W01", "W02", "W03"])).toBeNull();
    expect(inferPeriodsPerYear(["Period 1", "Period 2"])).toBeNull();
    expect(inferPeriodsPerYear([1, 2, 3])).toBeNull();
    expect(inferPeriodsPerYear(["2025-03", "2025-02", "2025-01"])).toBeNull();
  });

  it("the pane adopts it (and the demand-based value follows), unless the planner typed a number", async () => {
    const months = ["2025-01", "2025-02", "2025-03", "2025-04"];
    const gw = new MemoryGateway()
      .addSheet("Data", [
        ["SKU", "Unit cost", ...months],
        ["P1", 2, 10, 10, 10, 10],
        ["P2", 1, 5, 0, 5, 0],
      ])
      .select("Data", "A1");
    const s = pane(gw);
    await s.step("classify").readSource("region");
    const c = s.getState().steps.classify;
    expect(c.options.periodsPerYear).toBe(12);
    expect(c.periodsInferred?.basis).toMatch(/^monthly dates/);
    await s.step("classify").classify();
    // value = mean per period x 12 x unit cost
    expect(s.getState().steps.classify.run!.parsed.value[0]).toBeCloseTo(10 * 12 * 2, 12);
    s.step("classify").setOptions({ periodsPerYear: 13 });
    s.step("classify").setHeaderRow(0);
    expect(s.getState().steps.classify.options.periodsPerYear).toBe(13);
  });
});

describe("inactive parts (item 7)", () => {
  // 16 monthly periods: P1 sells throughout; P2 stopped selling 13 periods ago; P3's history ends in
  // blank cells; P4 is like P2 but pinned (a critical spare)
  const headers = ["SKU", "Annual value", "Unit cost", "Strategic", ...Array.from({ length: 16 }, (_, j) => `M${j + 1}`)];
  const sells = Array.from({ length: 16 }, () => 5);
  const stopped = [4, 4, 4, ...Array.from({ length: 13 }, () => 0)];
  const ended: CellValue[] = [3, 3, 3, 3, 3, 3, 3, 3, 3, 3, "", "", "", "", "", ""];
  const sheet: CellValue[][] = [headers, ["P1", 600, 10, "", ...sells], ["P2", 300, 10, "", ...stopped], ["P3", 100, 10, "", ...ended], ["P4", 50, 10, "yes", ...stopped]];

  it("are counted apart, left out of the value shares, last on the sheet with the reason, and get no reorder point unless pinned", async () => {
    const gw = new MemoryGateway().addSheet("Data", sheet).select("Data", "A1");
    const s = pane(gw);
    s.step("classify").setOptions({ periodsPerYear: 12 });
    await classifyAndWrite(s);
    const p = s.getState().steps.classify.preview!;
    expect([p.active, p.inactive, p.inactivePinned]).toEqual([1, 3, 1]);
    const seg = rows(gw, SEGMENTS_TABLE);
    expect(seg.map((r) => r.SKU)).toEqual(["P1", "P2", "P3", "P4"]);
    // P1 alone is ranked: its cumulative share (including itself) is 100 %, above the B cut-off: C
    expect(seg[0]).toMatchObject({ ABC: "C", "Cumulative share": 1, Status: "active" });
    expect(seg[1].Status).toBe("inactive: no demand in the last 12 periods (last demand in period 3 of 16)");
    expect(seg[2].Status).toBe("inactive: history ends at period 10 of 16 (the later cells are blank)");
    expect(seg[3].Status).toMatch(/^inactive: .*\(pinned: still planned\)$/);
    expect(seg[1].Segment).toBe("");
    const pol = Object.fromEntries(rows(gw, SKU_POLICY_TABLE).map((r) => [r.SKU, r]));
    expect(pol.P2["Reorder point"]).toBe(0);
    expect(pol.P2["Segment source"]).toBe("inactive");
    // the pinned spare keeps class A and, planned on its whole history, a reorder point above 0
    expect(pol.P4.Segment).toMatch(/^A/);
    expect(pol.P4["Reorder point"] as number).toBeGreaterThan(0);
  });

  it("the window of 'inactive after' is the planner's to set", async () => {
    const gw = new MemoryGateway().addSheet("Data", sheet).select("Data", "A1");
    const s = pane(gw);
    s.step("classify").setOptions({ periodsPerYear: 12, inactiveAfter: 14 });
    await s.step("classify").readSource("region");
    await s.step("classify").classify();
    // no demand in the last 13 periods is still active with a 14-period rule
    expect(s.getState().steps.classify.preview!.inactive).toBe(1);
  });
});

describe("numeric part numbers (item 12)", () => {
  it("are written back as numbers, so lookups from numeric data match", async () => {
    const gw = new MemoryGateway()
      .addSheet("Data", [
        ["Part number", "Annual value", "W1", "W2", "W3"],
        [10042, 500, 5, 5, 5],
        ["A-17", 100, 1, 2, 3],
      ])
      .select("Data", "A1");
    const s = pane(gw);
    await classifyAndWrite(s);
    expect(rows(gw, SEGMENTS_TABLE).map((r) => r.SKU)).toEqual([10042, "A-17"]);
    expect(rows(gw, SKU_POLICY_TABLE).map((r) => r.SKU)).toEqual([10042, "A-17"]);
  });
});

describe("overrides (item 9)", () => {
  function many(n: number): CellValue[][] {
    return [["SKU", "Annual value", "W1", "W2"], ...Array.from({ length: n }, (_, i) => [`S${String(i + 1).padStart(3, "0")}`, 1000 - i, 5, 5])];
  }

  it("refuses an override to the segment the SKU already has, and leaves such SKUs alone in a mixed selection", async () => {
    const gw = new MemoryGateway().addSheet("Data", many(3)).select("Data", "A1");
    const s = pane(gw);
    await classifyAndWrite(s);
    gw.selectTableRows(SEGMENTS_TABLE, 0);
    const seg = rows(gw, SEGMENTS_TABLE)[0].Segment as string;
    await s.step("overrides").setOverride(seg, "no change really");
    expect(s.getState().common.error).toBe(`S001 is already in ${seg}: choose another segment (nothing was changed).`);
    expect(s.getState().common.errorField).toBe("segment");
    expect(gw.auditRows.filter((r) => r.action === "override-set")).toHaveLength(0);
    // S001 overridden to CX; a second override of S001 and S002 to CX changes S002 only
    await s.step("overrides").setOverride("CX", "phase-out");
    gw.selectTableRows(SEGMENTS_TABLE, 0, 1);
    await s.step("overrides").setOverride("CX", "phase-out");
    expect(s.getState().common.notice).toMatch(/^Override to CX set for 1 SKU\(s\): S002\. 1 already in CX left as they were\./);
  });

  it(`asks before overriding more than ${CONFIRM_ABOVE} SKUs at once, and summarises by count`, async () => {
    const gw = new MemoryGateway().addSheet("Data", many(250)).select("Data", "A1");
    const s = pane(gw);
    await classifyAndWrite(s);
    gw.selectTableRows(SEGMENTS_TABLE, 0, 249);
    await s.step("overrides").setOverride("CZ", "range clean-up");
    const q = s.getState().steps.overrides.confirm!;
    expect(q.text).toBe("Override 250 SKUs (S001, S002, S003 and 247 more) to CZ?");
    expect(gw.auditRows.filter((r) => r.action === "override-set")).toHaveLength(0);
    await s.step("overrides").confirm(true);
    expect(s.getState().common.notice).toBe("Override to CZ set for 250 SKU(s): S001, S002, S003 and 247 more.");
    expect(gw.auditRows.filter((r) => r.action === "override-set")).toHaveLength(250);
    // and "no" changes nothing
    gw.selectTableRows(SEGMENTS_TABLE, 0, 29);
    await s.step("overrides").clearOverride("undo");
    await s.step("overrides").confirm(false);
    expect(s.getState().common.notice).toBe("Nothing was changed.");
    expect(gw.auditRows.filter((r) => r.action === "override-cleared")).toHaveLength(0);
  });
});

describe("the rerun warning (item 13)", () => {
  it("says what a rerun replaces before replacing it; 'don't ask again' is kept per workbook", async () => {
    const gw = new MemoryGateway().addSheet("Data", [["SKU", "Annual value", "W1", "W2"], ["S1", 10, 1, 2]]).select("Data", "A1");
    const s = pane(gw, true);
    await classifyAndWrite(s); // first write: nothing to replace, no question
    expect(s.getState().steps.write.question).toBeNull();
    await s.step("write").write();
    const q = s.getState().steps.write.question!;
    expect(q.key).toBe(RERUN_QUESTION);
    expect(q.title).toBe("Replace the Segments, Policy, MRP export and Policy change list sheets?");
    expect(q.items.join(" ")).toMatch(/notes and comments.*column widths.*your own charts.*#REF!/);
    expect(gw.auditRows.filter((r) => r.action === "classify-run")).toHaveLength(1);
    await s.step("write").answer("cancel");
    expect(s.getState().common.notice).toBe("Nothing was written.");
    await s.step("write").write();
    await s.step("write").answer("replace-always");
    expect(gw.auditRows.filter((r) => r.action === "classify-run")).toHaveLength(2);
    expect(gw.settings.get(SETTINGS.rerunWarningSeen)).toBe(true);
    await s.step("write").write();
    expect(s.getState().steps.write.question).toBeNull();
    expect(gw.auditRows.filter((r) => r.action === "classify-run")).toHaveLength(3);
  });
});

describe("progress in the planner's words (item 5)", () => {
  it("reading and writing through Office.js report named phases whose share only grows", async () => {
    const n = 3000;
    const data: Scalar[][] = [["SKU", "Annual value", ...Array.from({ length: 12 }, (_, j) => `M${j + 1}`)]];
    for (let i = 0; i < n; i++) data.push([`S${i}`, 1 + (i % 97), ...Array.from({ length: 12 }, (_, j) => (i + j) % 7)]);
    const fake = createFakeExcel({ sheets: ["Data"] });
    fake.workbook.sheet("Data").setValues("A1", data);
    fake.workbook.select("Data!A1");
    // a small request budget so that the read and the write take several syncs
    const gateway = createExcelGateway(fake.host as unknown as ExcelHost, createSettingsStore(fake.settings), { limits: { budgetBytes: 60_000 } });
    const s = createPane({ gateway, runner: createInlineRunner() });
    const seen: Progress[] = [];
    s.subscribe(() => {
      const p = s.getState().common.progress;
      if (p && seen[seen.length - 1] !== p) seen.push(p);
    });
    await s.step("classify").readSource("region");
    const read = seen.filter((p) => p.phase.startsWith("Reading "));
    expect(read.length).toBeGreaterThan(3);
    expect(read[read.length - 1].done).toBe(read[read.length - 1].total);
    await s.step("classify").classify();
    expect(seen.some((p) => p.phase === "Measuring demand variability and pattern")).toBe(true);
    seen.length = 0;
    await s.step("write").write();
    expect(s.getState().common.error).toBeNull();
    const phases = [...new Set(seen.map((p) => p.phase))];
    // the steps' preparation (the policy plan) is the first part of the bar, its job's own "Done" is not
    // shown, then the writer's phases; other steps may add phases between these
    const expected = ["Planning the policy", "Computing the reorder points", "Checking the workbook", "Writing the Segments sheet", "Writing the Policy sheet", "Finishing: tables, charts and the audit trail", "Done"];
    expect(phases.filter((p) => expected.includes(p))).toEqual(expected);
    expect(phases.indexOf("Done")).toBe(phases.length - 1);
    expect(phases.filter((p) => /SEG_/.test(p))).toEqual([]);
    const shares = seen.map((p) => p.done / p.total);
    for (let i = 1; i < shares.length; i++) expect(shares[i]).toBeGreaterThanOrEqual(shares[i - 1]);
    expect(shares[shares.length - 1]).toBe(1);
  });
});
