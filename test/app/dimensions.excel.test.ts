/**
 * Issue 15 over the real Office.js gateway (src/excel) and the fake Excel host: the order lines read
 * from the selection, the Dimensions sheet with its cost-to-serve chart and the Execution sheet
 * written in the same all-or-nothing Write, the master-data check reading the Segments table in
 * the Write's first syncs, and a cancelled Write leaving the workbook as it was.
 */
import { createInlineRunner } from "../../src/app/engineRunner";
import type { PaneSession } from "../../src/app/session";
import { createExcelGateway, createSettingsStore, type ExcelHost } from "../../src/excel";
import { createFakeExcel, type FakeExcel, type Scalar } from "../fake-excel";
import { createPane } from "../helpers/pane";
import { linesSheet } from "./dimensionsData";
import { sampleSheet } from "./sampleData";

function setup(): { fake: FakeExcel; session: PaneSession } {
  const fake = createFakeExcel({ sheets: ["Data", "Lines"] });
  fake.workbook.sheet("Data").setValues("A1", sampleSheet() as Scalar[][]);
  fake.workbook.sheet("Lines").setValues("A1", linesSheet() as Scalar[][]);
  fake.workbook.select("Data!A1:J14");
  const gateway = createExcelGateway(fake.host as unknown as ExcelHost, createSettingsStore(fake.settings));
  return { fake, session: createPane({ gateway, runner: createInlineRunner() }) };
}

function rows(fake: FakeExcel, table: string): Record<string, unknown>[] {
  const t = fake.workbook.table(table)!;
  return t.rows.map((r) => Object.fromEntries(t.headers.map((h, i) => [h, r[i]])));
}

it("writes the Dimensions and Execution sheets beside Segments and Policy, and checks the Segments sheet first", async () => {
  const { fake, session } = setup();
  await session.step("classify").readSource("selection");
  await session.step("classify").classify();
  fake.workbook.select("Lines!A1:I9");
  await session.step("dimensions").readOrderLines("selection");
  session.step("dimensions").setSettings({ dimension: "customer", criterion: "margin" });
  await session.step("dimensions").run();
  session.step("dimensions").setRationale("Customer margin decides the service tier.");
  session.step("execution").setSettings({ enabled: true });
  await session.step("write").write();
  expect(session.getState().common.error).toBeNull();
  expect(rows(fake, "SegDimension").map((r) => [r.Customer, r.Margin, r.Class])).toEqual([
    ["C1", 280, "A"],
    ["C2", 80, "C"],
    ["C3", -10, "L"],
  ]);
  expect(fake.workbook.charts("Dimensions")).toHaveLength(1);
  expect(rows(fake, "SegExecution")).toHaveLength(10);
  expect(rows(fake, "SegExecutionRules").map((r) => r.Rule)).toEqual(["R1", "R2", "R3", "R4"]);

  // a segment typed over the computed one: the next Write reads the Segments table and asks first
  const seg = fake.workbook.table("SegSegments")!;
  const at = seg.rows.findIndex((r) => r[0] === "S02");
  fake.tamper("Segments", `H${at + 2}`, "CZ");
  await session.step("write").write();
  expect(session.getState().steps.write.question?.items).toEqual(['S02: segment "CZ" typed by hand differs from the computed segment "AY"; record an override with a reason instead']);
  await session.step("write").answer("cancel");
  expect(fake.workbook.table("SegSegments")!.rows[at][7]).toBe("CZ");
});
