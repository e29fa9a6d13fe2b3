/**
 * The controller's path end to end in a real browser: Debian chromium (playwright-core) loads the
 * production build (dist/taskpane.html) with the fake Excel host (test/fake-excel) seeded with the
 * sample SKU sheet (test/app/sampleData.ts) and a finance sheet (test/app/reconcileData.ts).
 * Through the UI only, at 320 and 350 px: classify and write; reconcile the finance sheet (status,
 * rejected cells), write the Reconciliation sheet and approve it with a comment; a second run
 * after S03's value changed; compare the two versions (churn, movers); roll the Segments sheet
 * back with a reason; check the sheets, charts and audit entries in the fake workbook, and the
 * layout at every stage. Run alone: `npx webpack --mode production && npx jest test/e2e/reconcile`.
 */
import path from "node:path";
import type { Page } from "playwright-core";
import { financeSheet } from "../app/reconcileData";
import { sampleSheet } from "../app/sampleData";
import { byHeader, OUT, usePaneHarness, type OpenedPane, type TableInfo } from "./harness";
import { expectGoodLayout, openTab } from "./layout";

jest.setTimeout(240_000);

const pane = usePaneHarness();

const DATA = sampleSheet();
const FINANCE = financeSheet();

async function openPane(width: number): Promise<OpenedPane> {
  return pane.open({ width, seed: `
    (function () {
      var fake = window.FakeExcel.createFakeExcel({ sheets: ["Data", "Finance"] });
      fake.workbook.sheet("Data").setValues("A1", ${JSON.stringify(DATA)});
      fake.workbook.sheet("Finance").setValues("A1", ${JSON.stringify(FINANCE)});
      fake.workbook.select("Data!A1:J${DATA.length}");
      fake.install(window);
      window.__fake = fake;
    })();` });
}

type Fake = { workbook: { table(n: string): TableInfo | null; select(a: string): void; sheet(n: string): { setValues(a: string, v: unknown[][]): void; values(): unknown[][] }; charts(s: string): { name: string }[] } };
const fake = <T,>(page: Page, f: (w: Fake["workbook"], arg: string) => T, arg = "") => page.evaluate(([src, a]) => new Function("w", "a", `return (${src})(w, a)`)((window as unknown as { __fake: Fake }).__fake.workbook, a) as T, [f.toString(), arg] as const);
const table = (page: Page, name: string) => fake(page, (w, n) => w.table(n), name);

async function classifyAndWrite(page: Page) {
  await openTab(page, "Classify");
  await page.getByRole("button", { name: "Read selection" }).click();
  await page.getByText(`Data!A1:J${DATA.length}: ${DATA.length} rows × 10 columns.`).waitFor();
  await page.getByRole("button", { name: "Classify" }).click();
  await page.getByRole("table", { name: /SKUs and value share by Segment/ }).waitFor();
  await openTab(page, "Write");
  await page.getByRole("button", { name: "Write sheets" }).click();
  const replace = page.getByRole("button", { name: "Replace", exact: true });
  await Promise.race([page.getByRole("table", { name: "Last write" }).waitFor(), replace.waitFor()]);
  if (await replace.isVisible()) await replace.click();
  await page.getByRole("table", { name: "Last write" }).waitFor();
}

test.each([320, 350])("at %i px: reconcile, approve, compare two versions, roll back", async (width) => {
  const { page, errors } = await openPane(width);
  await classifyAndWrite(page);
  const v1 = String(byHeader((await table(page, "SegSegments"))!)[0]["Model version"]);

  // reconcile the finance sheet
  await openTab(page, "Reconcile");
  await fake(page, (w) => w.select("Finance!A1:D14"));
  await page.getByRole("button", { name: "Read finance sheet" }).click();
  await page.getByText("Finance!A1:D14: 14 rows × 4 columns.").waitFor();
  await page.getByRole("button", { name: "Add a rule" }).click();
  await page.getByLabel("Category 1", { exact: true }).fill("Obsolescence reserve");
  await page.getByLabel("Allowed", { exact: true }).fill("inactive");
  await expectGoodLayout(page, `reconcile settings at ${width}`);
  await page.getByRole("button", { name: "Reconcile", exact: true }).click();
  const result = page.getByRole("region", { name: "Result" });
  await result.getByText("Unexplained differences").waitFor();
  await result.getByText(/difference 47\.80/).first().waitFor();
  await page.getByRole("region", { name: "Rejected finance rows" }).getByText("Finance!A14: the SKU is blank").waitFor();
  await expectGoodLayout(page, `reconcile result at ${width}`);
  await page.screenshot({ path: path.join(OUT, `reconcile-${width}-result.png`), fullPage: true });
  await page.getByRole("button", { name: "Write the Reconciliation sheet" }).click();
  await page.getByRole("heading", { name: "Approval" }).waitFor();
  const summary = Object.fromEntries((await table(page, "SegReconSummary"))!.rows.map((r) => [r[0], r[1]]));
  expect(summary).toMatchObject({ Status: "Unexplained differences", "Model version reconciled": v1, "Finance range": "Finance!A1:D14" });
  expect((await fake(page, (w) => w.charts("Reconciliation"))).map((c) => c.name)).toEqual(["SegReconChart"]);
  await page.getByLabel("Approval comment").fill("S03 write-down agreed");
  await page.getByRole("button", { name: "Approve", exact: true }).click();
  await page.getByText(/^Approved by .*: “S03 write-down agreed”$/).waitFor();
  await expectGoodLayout(page, `approval at ${width}`);

  // a second run after S03's value changed
  await fake(page, (w) => {
    w.sheet("Data").setValues("C4", [[600]]);
    w.select("Data!A1:J14");
  });
  await classifyAndWrite(page);
  const v2 = String(byHeader((await table(page, "SegSegments"))!)[0]["Model version"]);
  expect(v2).not.toBe(v1);

  // compare the two versions
  await openTab(page, "Versions");
  const list = page.getByRole("list", { name: "Model versions" });
  await list.getByText(v1, { exact: false }).first().waitFor();
  await page.getByRole("button", { name: "Compare" }).click();
  await page.getByText("3 of 10 SKUs moved (churn 30.0%, value churn 62.5%); 0 new, 0 removed.").waitFor();
  await page.getByRole("list", { name: "Movers" }).getByText(/^S03: BX → AX, data/).waitFor();
  await expectGoodLayout(page, `diff at ${width}`);
  await page.screenshot({ path: path.join(OUT, `reconcile-${width}-diff.png`), fullPage: true });

  // roll back to the first version
  await page.getByLabel("Version to restore").selectOption(v1);
  await page.getByLabel("Reason (required)").fill("S03 value was a typo in the extract");
  await page.getByRole("button", { name: "Roll back" }).click();
  await page.getByText(`Restored ${v1} (replacing ${v2}): S03 value was a typo in the extract`).waitFor();
  const segs = byHeader((await table(page, "SegSegments"))!);
  expect(segs.every((r) => r["Model version"] === v1)).toBe(true);
  expect(segs.find((r) => r.SKU === "S03")!.Value).toBe(80);
  expect(String((await table(page, "SegSegmentsNotes"))!.rows[0][0])).toMatch(new RegExp(`^Restored model version ${v1} `));
  const actions = await fake(page, (w) => {
    const values = w.sheet("SEG_Audit").values();
    const col = values[0].indexOf("action");
    return values.slice(1).map((r) => r[col]);
  });
  // a Write appends its contributors' entries before its classify-run entry
  expect(actions).toEqual(["classify-run", "reconciliation-recorded", "reconciliation-approved", "reconciliation-recorded", "classify-run", "version-rolled-back"]);
  expect((await table(page, "SegGovSummary"))!.sheetName).toBe("Governance");
  await expectGoodLayout(page, `rollback at ${width}`);
  await page.screenshot({ path: path.join(OUT, `reconcile-${width}-rollback.png`), fullPage: true });
  expect(errors).toEqual([]);
  await page.context().close();
});
