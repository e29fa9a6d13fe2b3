/**
 * The pane's services over the real Office.js gateway (src/excel) and the fake Excel host, in node:
 * the same flows as session.test.ts, but through load/sync, tables, the selection and the very
 * hidden SEG_Audit sheet as Excel would see them.
 */
import { createInlineRunner } from "../../src/app/engineRunner";
import { PaneSession } from "../../src/app/session";
import { createExcelGateway, createSettingsStore, type ExcelHost } from "../../src/excel";
import { createFakeExcel, type FakeExcel, type Scalar } from "../fake-excel";
import { EXPECTED_SEGMENTS, sampleSheet } from "./sampleData";

function setup(): { fake: FakeExcel; session: PaneSession } {
  const fake = createFakeExcel({ sheets: ["Data"] });
  fake.workbook.sheet("Data").setValues("A1", sampleSheet() as Scalar[][]); // no nulls in the sample
  fake.workbook.select("Data!C5");
  const gateway = createExcelGateway(fake.host as unknown as ExcelHost, createSettingsStore(fake.settings));
  return { fake, session: new PaneSession({ gateway, runner: createInlineRunner() }) };
}

function rows(fake: FakeExcel, table: string): Record<string, unknown>[] {
  const t = fake.workbook.table(table)!;
  return t.rows.map((r) => Object.fromEntries(t.headers.map((h, i) => [h, r[i]])));
}

async function classifyAndWrite(session: PaneSession): Promise<void> {
  await session.readSource("region");
  await session.classify();
  await session.write();
  expect(session.getState().error).toBeNull();
}

it("writes Segments, Policy and a very hidden SEG_Audit through Office.js semantics", async () => {
  const { fake, session } = setup();
  await classifyAndWrite(session);
  expect(Object.fromEntries(rows(fake, "SegSegments").map((r) => [r.SKU, r.Segment]))).toEqual(EXPECTED_SEGMENTS);
  expect(rows(fake, "SegPolicyGrid")).toHaveLength(9);
  expect(rows(fake, "SegSkuPolicy")).toHaveLength(10);
  expect(fake.workbook.charts("Segments")).toHaveLength(1);
  expect(fake.workbook.sheets().find((s) => s.name === "SEG_Audit")?.visibility).toBe("VeryHidden");
  // the mapping and the workbook id are in the document settings
  expect(Object.keys(fake.settings.savedValues())).toEqual(expect.arrayContaining(["seg.mappings", "seg.workbookId", "seg.policyWritten"]));
});

it("override of two selected rows survives a rerun; verify names a tampered audit row", async () => {
  const { fake, session } = setup();
  await classifyAndWrite(session);
  fake.workbook.select("Segments!B4:C5"); // S03, S04
  await session.loadSelection();
  await session.setOverride("AX", "Critical spares");
  expect(session.getState().error).toBeNull();
  // value of S03 drops: computed BX -> CX
  fake.workbook.sheet("Data").setValues("C4", [[1]]);
  fake.workbook.select("Data!A1");
  await classifyAndWrite(session);
  const s03 = rows(fake, "SegSegments").find((r) => r.SKU === "S03")!;
  expect([s03.Segment, s03.Override, s03["Override reason"]]).toEqual(["CX", "AX", "Override (computed changed BX→CX): Critical spares"]);

  await session.verifyAudit();
  expect(session.getState().verify).toMatchObject({ ok: true, count: 4 });
  fake.tamper("SEG_Audit", "C3", "Mallory"); // the user of the first override entry
  await session.verifyAudit();
  expect(session.getState().verify).toMatchObject({ ok: false, sheetRow: 3 });
});

it("cancel during the write leaves the workbook, the trail and the settings as they were", async () => {
  const { fake, session } = setup();
  await classifyAndWrite(session);
  const before = fake.workbook.snapshot();
  const settingsBefore = fake.settings.savedValues();
  session.setGridCell("CZ", "serviceLevel", 0.8);
  const writing = session.write();
  await new Promise<void>((resolve) => {
    const off = session.subscribe(() => {
      if (session.getState().progress?.phase.startsWith("Writing") || session.getState().progress?.done) {
        off();
        session.cancelWrite();
        resolve();
      }
    });
  });
  await writing;
  expect(session.getState().notice).toMatch(/cancelled/);
  expect(fake.workbook.snapshot()).toEqual(before);
  expect(fake.settings.savedValues()).toEqual(settingsBefore);
});
