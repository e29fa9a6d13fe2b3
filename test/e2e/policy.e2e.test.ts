/**
 * The policy depth end to end in a real browser: Debian chromium (playwright-core) loads the
 * production build (dist/taskpane.html) with the fake Excel host (test/fake-excel) seeded with a
 * SKU table that has supplier and order-multiple columns. Through the UI only, at 320 and 350 px:
 * classify, give segment CZ a Poisson distribution, set a safety-stock budget, preview (the chart
 * draws), choose SAP names for the MRP export, write; check the MRP export and the change list
 * sheets in the fake; change the budget, write again, and see the change list name what moved.
 * Every screen is checked for sideways scroll and overlapping controls (expectGoodLayout).
 * `npm test` builds dist first; run alone: `npx webpack --mode production && npx jest test/e2e/policy`.
 */
import path from "node:path";
import type { Page } from "playwright-core";
import { GOOD_ROWS, HEADERS } from "../app/sampleData";
import { byHeader, fakeTable, OUT, usePaneHarness, type OpenedPane } from "./harness";
import { expectGoodLayout, openTab } from "./layout";

jest.setTimeout(240_000);

const pane = usePaneHarness();

const SUPPLIER: Record<string, string> = { S01: "Acme", S02: "Acme", S03: "Bolt & Co", S04: "Bolt & Co", S05: "Acme", S06: "Acme", S07: "Acme", S08: "Bolt & Co", S09: "Bolt & Co", S10: "Acme" };
const SEED = [[...HEADERS, "Supplier", "Order multiple"], ...GOOD_ROWS.map((r) => [...r, SUPPLIER[r[0] as string], r[0] === "S01" ? 12 : ""])];

async function openPane(width: number): Promise<OpenedPane> {
  return pane.open({ width, seed: `
    (function () {
      var fake = window.FakeExcel.createFakeExcel({ sheets: ["Data"] });
      fake.workbook.sheet("Data").setValues("A1", ${JSON.stringify(SEED)});
      fake.workbook.select("Data!A1:L11");
      fake.install(window);
      window.__fake = fake;
    })();` });
}

const table = fakeTable;

async function setBudget(page: Page, amount: string): Promise<void> {
  const field = page.getByLabel("Safety-stock budget", { exact: true });
  await field.fill(amount);
}

async function writeAndWait(page: Page, replace: boolean): Promise<void> {
  await openTab(page, "Write");
  await page.getByRole("button", { name: "Write sheets" }).click();
  if (replace) {
    const dialog = page.getByRole("alertdialog");
    await dialog.getByText(/notes and comments in their cells/).waitFor();
    await dialog.getByRole("button", { name: "Replace", exact: true }).click();
  }
  await page.getByText(/^Wrote 10 SKUs to the /).waitFor();
}

test.each([320, 350])("at %i px: a Poisson segment and a budget, previewed, written to the Policy sheet, the MRP export and the change list", async (width) => {
  const { page, external, errors } = await openPane(width);

  // classify the selected table
  await page.getByRole("button", { name: "Read selection" }).click();
  await page.getByText("Data!A1:L11: 11 rows × 12 columns.").waitFor();
  await page.getByRole("button", { name: "Classify" }).click();
  await page.getByRole("table", { name: /SKUs and value share by Segment/ }).waitFor();
  await expectGoodLayout(page, `classify at ${width}`);

  // Policy: segment CZ on a Poisson distribution, a total safety-stock budget
  await openTab(page, "Policy");
  await page.getByRole("group", { name: "Segments" }).getByRole("button", { name: /^CZ:/ }).click();
  await page.getByLabel("Distribution", { exact: true }).selectOption("poisson");
  await page.getByRole("group", { name: "Segments" }).getByRole("button", { name: "CZ: 85.0% fill rate, Poisson distribution" }).waitFor();
  await page.getByRole("radio", { name: "One safety-stock budget for every SKU" }).check();
  await setBudget(page, "60");
  await page.getByRole("button", { name: "Preview the policy" }).click();
  await page.getByRole("heading", { name: "Planned policy" }).waitFor();
  const chart = page.getByRole("region", { name: "Fill rate under the budget" });
  await chart.locator("svg rect").first().waitFor({ state: "attached" });
  await page.getByRole("list", { name: "Budget per segment" }).waitFor();
  await expectGoodLayout(page, `policy preview at ${width}`);
  await page.getByRole("button", { name: "MRP export" }).click();
  await page.getByRole("button", { name: "SAP names (MARC)" }).click();
  await expect(page.getByLabel("Column name for Safety stock").inputValue()).resolves.toBe("EISBE");
  await expectGoodLayout(page, `policy with the MRP export at ${width}`);
  await page.screenshot({ path: path.join(OUT, `policy-${width}-policy.png`), fullPage: true });

  // write: Policy, MRP export, change list (first version)
  await writeAndWait(page, false);
  await expectGoodLayout(page, `write at ${width}`);
  const policy = byHeader((await table(page, "SegSkuPolicy"))!);
  const s09 = policy.find((r) => r.SKU === "S09")!;
  expect([s09.Segment, s09.Distribution]).toEqual(["CZ", "poisson"]);
  expect(policy.filter((r) => String(r.Flags).includes("level set by the safety-stock budget")).length).toBeGreaterThan(0);
  const mrp = (await table(page, "SegMrpExport"))!;
  expect(mrp.sheetName).toBe("MRP export");
  expect(mrp.headers).toEqual(["MATNR", "WERKS", "EISBE", "MINBE", "MABST", "BSTFE", "BSTRF", "BSTMI", "DISMM", "LFRHY"]);
  const exported = Object.fromEntries(byHeader(mrp).map((r) => [String(r.MATNR), r]));
  const s01 = policy.find((r) => r.SKU === "S01")!;
  expect(exported.S01).toMatchObject({ EISBE: s01["Safety stock"], MINBE: s01["Reorder point"], MABST: s01.Max, BSTRF: 12 });
  expect(Object.keys(exported)).not.toContain("S07"); // inactive
  const notes = byHeader((await table(page, "SegChangeNotes"))!);
  expect(String(notes[0].Note)).toMatch(/is the first one written with a change list/);
  const sheets = await page.evaluate(() => (window as unknown as { __fake: { workbook: { sheets(): { name: string; visibility: string }[] } } }).__fake.workbook.sheets());
  expect(sheets.find((s) => s.name === "SEG_PolicyVersion")?.visibility).toBe("VeryHidden");

  // a larger budget, written again: the change list names what moved, per SKU and per supplier
  await openTab(page, "Policy");
  await setBudget(page, "400");
  await writeAndWait(page, true);
  const changes = byHeader((await table(page, "SegSkuChanges"))!);
  expect(changes.length).toBeGreaterThan(0);
  for (const c of changes) {
    expect(c.Status).toBe("changed");
    expect(c["Reorder point change"]).toBe((c["Reorder point after"] as number) - (c["Reorder point before"] as number));
  }
  const suppliers = byHeader((await table(page, "SegSupplierChanges"))!);
  expect(suppliers.map((s) => s.Supplier).sort()).toEqual(["Acme", "Bolt & Co"]);
  expect(suppliers.reduce((n, s) => n + (s.Changed as number), 0)).toBe(changes.length);
  await expectGoodLayout(page, `second write at ${width}`);

  await openTab(page, "Performance");
  await page.getByRole("button", { name: "Read actuals" }).waitFor();
  await expectGoodLayout(page, `performance at ${width}`);
  await page.screenshot({ path: path.join(OUT, `policy-${width}-write.png`), fullPage: true });

  expect(errors).toEqual([]);
  expect(external).toEqual([]);
  await page.context().close();
});
