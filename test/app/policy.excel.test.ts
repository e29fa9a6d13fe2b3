/**
 * The policy sheets over the real Office.js gateway (src/excel) and the fake Excel host: the MRP
 * export and the change list are written with the Segments and Policy sheets in one Write, the
 * policy version goes to a very hidden sheet that Excel's menus cannot show, and the next Write
 * reads it back (in chunks, outside the write's inspection) for its change list.
 */
import { createInlineRunner } from "../../src/app/engineRunner";
import { createExcelGateway, createSettingsStore, type ExcelHost } from "../../src/excel";
import { createFakeExcel, type Scalar } from "../fake-excel";
import { createPane } from "../helpers/pane";
import { sampleSheet } from "./sampleData";

function rows(fake: ReturnType<typeof createFakeExcel>, table: string): Record<string, unknown>[] {
  const t = fake.workbook.table(table)!;
  return t.rows.map((r) => Object.fromEntries(t.headers.map((h, i) => [h, r[i]])));
}

it("writes the MRP export and the change list, keeps the version very hidden, and compares with it next time", async () => {
  const fake = createFakeExcel({ sheets: ["Data"] });
  fake.workbook.sheet("Data").setValues("A1", sampleSheet() as Scalar[][]);
  fake.workbook.select("Data!C5");
  const gateway = createExcelGateway(fake.host as unknown as ExcelHost, createSettingsStore(fake.settings));
  const session = createPane({ gateway, runner: createInlineRunner() });
  await session.step("classify").readSource("region");
  await session.step("classify").classify();
  await session.step("write").write();
  expect(session.getState().common.error).toBeNull();
  const sheets = fake.workbook.sheets();
  expect(sheets.find((s) => s.name === "SEG_PolicyVersion")?.visibility).toBe("VeryHidden");
  expect(sheets.find((s) => s.name === "MRP export")?.visibility).toBe("Visible");
  expect(rows(fake, "SegMrpExport").map((r) => r.SKU).sort()).toEqual(["S01", "S02", "S03", "S04", "S05", "S06", "S08", "S09", "S10"]);

  session.step("policy").setGridCell("AY", "serviceLevel", 0.999); // S02 (sd 8) moves up
  await session.step("write").write();
  expect(session.getState().common.error).toBeNull();
  const changes = rows(fake, "SegSkuChanges");
  expect(changes.map((r) => [r.SKU, r.Status])).toEqual([["S02", "changed"]]);
  expect((changes[0]["Reorder point after"] as number) >= (changes[0]["Reorder point before"] as number)).toBe(true);
  expect(fake.workbook.sheets().filter((s) => s.name === "SEG_PolicyVersion")).toHaveLength(1);
});
