/**
 * The pane's services over the real Office.js gateway (src/excel) and the fake Excel host, in node:
 * the same flows as session.test.ts, but through load/sync, tables, the selection and the very
 * hidden SEG_Audit sheet as Excel would see them.
 */
import { createInlineRunner } from "../../src/app/engineRunner";
import { PaneSession } from "../../src/app/session";
import { createPane } from "../helpers/pane";
import { createExcelGateway, createSettingsStore, type ExcelHost } from "../../src/excel";
import { createFakeExcel, type FakeExcel, type Scalar } from "../fake-excel";
import { EXPECTED_SEGMENTS, sampleSheet } from "./sampleData";

function setup(budgetBytes?: number): { fake: FakeExcel; session: PaneSession } {
  const fake = createFakeExcel({ sheets: ["Data"] });
  fake.workbook.sheet("Data").setValues("A1", sampleSheet() as Scalar[][]); // no nulls in the sample
  fake.workbook.select("Data!C5");
  // a small request budget makes even this sheet take several syncs, so Cancel can land mid-write
  const gateway = createExcelGateway(fake.host as unknown as ExcelHost, createSettingsStore(fake.settings), budgetBytes ? { limits: { budgetBytes } } : {});
  return { fake, session: createPane({ gateway, runner: createInlineRunner() }) };
}

function rows(fake: FakeExcel, table: string): Record<string, unknown>[] {
  const t = fake.workbook.table(table)!;
  return t.rows.map((r) => Object.fromEntries(t.headers.map((h, i) => [h, r[i]])));
}

async function classifyAndWrite(session: PaneSession): Promise<void> {
  await session.step("classify").readSource("region");
  await session.step("classify").classify();
  await session.step("write").write();
  expect(session.getState().common.error).toBeNull();
}

it("writes Segments, Policy and a very hidden SEG_Audit through Office.js semantics", async () => {
  const { fake, session } = setup();
  await classifyAndWrite(session);
  expect(Object.fromEntries(rows(fake, "SegSegments").map((r) => [r.SKU, r.Segment]))).toEqual(EXPECTED_SEGMENTS);
  expect(rows(fake, "SegPolicyGrid")).toHaveLength(9);
  expect(rows(fake, "SegSkuPolicy")).toHaveLength(10);
  expect(fake.workbook.charts("Segments")).toHaveLength(1);
  // click to done: inspect, read the tables asked for, one sync that stages, finishes and swaps
  expect(session.getState().steps.write.lastWrite!.report.syncs).toBeLessThanOrEqual(3);
  expect(fake.workbook.sheets().find((s) => s.name === "SEG_Audit")?.visibility).toBe("VeryHidden");
  // the mapping and the workbook id are in the document settings
  expect(Object.keys(fake.settings.savedValues())).toEqual(expect.arrayContaining(["seg.mappings", "seg.workbookId", "seg.policyWritten"]));
});

it("override of two selected rows survives a rerun; verify names a tampered audit row", async () => {
  const { fake, session } = setup();
  await classifyAndWrite(session);
  fake.workbook.select("Segments!B4:C5"); // S03, S04
  await session.step("overrides").loadSelection();
  await session.step("overrides").setOverride("AX", "Critical spares");
  expect(session.getState().common.error).toBeNull();
  // value of S03 drops: computed BX -> CX
  fake.workbook.sheet("Data").setValues("C4", [[1]]);
  fake.workbook.select("Data!A1");
  await classifyAndWrite(session);
  const s03 = rows(fake, "SegSegments").find((r) => r.SKU === "S03")!;
  expect([s03.Segment, s03.Override, s03["Override reason"]]).toEqual(["CX", "AX", "Override (computed changed BX→CX): Critical spares"]);

  await session.step("audit").verify();
  expect(session.getState().steps.audit.verify).toMatchObject({ ok: true, count: 4 });
  fake.tamper("SEG_Audit", "C3", "Mallory"); // the user of the first override entry
  await session.step("audit").verify();
  expect(session.getState().steps.audit.verify).toMatchObject({ ok: false, sheetRow: 3 });
});

it("cancel during the write leaves the workbook, the trail and the settings as they were", async () => {
  const { fake, session } = setup(600);
  await classifyAndWrite(session);
  const before = fake.workbook.snapshot();
  const settingsBefore = fake.settings.savedValues();
  session.step("policy").setGridCell("CZ", "serviceLevel", 0.8);
  const writing = session.step("write").write();
  await new Promise<void>((resolve) => {
    const off = session.subscribe(() => {
      if (session.getState().common.progress?.phase.startsWith("Writing the")) {
        off();
        session.cancel();
        resolve();
      }
    });
  });
  await writing;
  expect(session.getState().common.notice).toMatch(/cancelled/);
  expect(fake.workbook.snapshot()).toEqual(before);
  expect(fake.settings.savedValues()).toEqual(settingsBefore);
});
