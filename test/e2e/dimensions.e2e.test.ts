/**
 * Issue 15 end to end in a real browser: Debian chromium (playwright-core) loads the production
 * build (dist/taskpane.html) with the fake Excel host injected and seeded with the SKU sheet, the
 * order lines and the contract clauses of test/app. Through the UI only, at 320 and 350 px: classify
 * the SKU table, choose the customer dimension, read and segment the order lines (in the Web
 * Worker), see the classes and cost-to-serve, write the decision record, accept a contract term
 * in the Service tab, turn the Execution sheet on, write, and check the Dimensions, Execution and
 * Segments sheets and the audit trail in the fake. At each stage: no sideways scroll, no
 * overlapping controls, readable tabs (expectGoodLayout, as in pane.e2e.test.ts).
 * `npm test` builds dist first; run alone: `npm run build && npx jest test/e2e/dimensions`.
 */
import path from "node:path";
import type { Page } from "playwright-core";
import { clausesSheet, linesSheet } from "../app/dimensionsData";
import { sampleSheet } from "../app/sampleData";
import { byHeader, fakeTable, OUT, usePaneHarness, type OpenedPane } from "./harness";
import { expectGoodLayout, openTab } from "./layout";

jest.setTimeout(240_000);

const pane = usePaneHarness();

async function openPane(width: number): Promise<OpenedPane> {
  return pane.open({ width, seed: `
    (function () {
      var fake = window.FakeExcel.createFakeExcel({ sheets: ["Data", "Lines", "Contracts"] });
      fake.workbook.sheet("Data").setValues("A1", ${JSON.stringify(sampleSheet())});
      fake.workbook.sheet("Lines").setValues("A1", ${JSON.stringify(linesSheet())});
      fake.workbook.sheet("Contracts").setValues("A1", ${JSON.stringify(clausesSheet())});
      fake.workbook.select("Data!A1");
      fake.install(window);
      window.__fake = fake;
    })();` });
}

// ------------------------------------------------------------------------------------------------

const select = (page: Page, address: string) => page.evaluate((a) => (window as unknown as { __fake: { workbook: { select(a: string): void } } }).__fake.workbook.select(a), address);
const table = fakeTable;

test.each([320, 350])("at %i px: customer dimension from order lines → preview → write with the Execution sheet; a contract term accepted", async (width) => {
  const { page, errors, external, workers } = await openPane(width);
  const shot = (name: string) => page.screenshot({ path: path.join(OUT, `dimensions-${width}-${name}.png`), fullPage: true });

  // 1. the SKU table, as before
  await select(page, "Data!A1:J14");
  await page.getByRole("button", { name: "Read selection" }).click();
  await page.getByText("Data!A1:J14: 14 rows × 10 columns.").waitFor();
  await page.getByRole("button", { name: "Classify", exact: true }).click();
  await page.getByRole("table", { name: /SKUs and value share by Segment/ }).waitFor();

  // 2. customer dimension: what it needs, then the order lines
  await page.getByLabel("Dimension (one row is…)").selectOption("customer");
  await page.getByLabel("Trade-off").getByText(/Needs a customer id on every order line/).waitFor();
  await expect(page.getByRole("list", { name: /Data this choice needs/ }).innerText()).resolves.toMatch(/Customer id: needed \(key\) — not mapped/);
  await select(page, "Lines!A1:I9");
  await page.getByRole("button", { name: "Read order lines" }).click();
  await page.getByText("Order lines Lines!A1:I9: 9 rows × 9 columns.").waitFor();
  await expect(page.getByLabel("Line: Customer id", { exact: true }).evaluate((e) => (e as HTMLSelectElement).selectedOptions[0].textContent)).resolves.toBe("B: Customer");
  await expectGoodLayout(page, `order lines mapped at ${width}`);

  // 3. segment them (in the worker) and look at the preview
  const before = workers.length;
  await page.getByRole("button", { name: "Segment the order lines" }).click();
  const classes = page.getByRole("table", { name: "customers per class" });
  await classes.waitFor();
  await expect(classes.getByRole("row", { name: /^A/ }).innerText()).resolves.toMatch(/A\s+1\s+70\.0%/);
  expect(workers.length).toBeGreaterThanOrEqual(Math.max(1, before));
  await page.getByText("Lines!B8: the customer id is blank").waitFor();
  const cts = page.getByRole("region", { name: "Cost-to-serve per segment" });
  await cts.getByText("Out of proportion: C (4.44 ×).").waitFor();
  await cts.locator("svg rect").first().waitFor({ state: "attached" }); // the chart module loads after the table
  await page.getByLabel("Rationale for the boundaries and the dimension").fill("Service tiers per customer from 2027: rank customers by revenue.");
  await page.getByText(/^Rationale given for: dimension product → customer\./).waitFor();
  await expectGoodLayout(page, `dimension preview at ${width}`);
  await shot("classify");

  // 4. a contract term, accepted in its card
  await openTab(page, "Service");
  await select(page, "Contracts!A1:C5");
  await page.getByRole("button", { name: "Read clauses" }).click();
  await page.getByText("Clauses Contracts!A1:C5: 5 rows.").waitFor();
  await page.getByRole("button", { name: "Extract terms" }).click();
  const card = page.getByRole("listitem", { name: "Clause Contracts!C2" });
  await expect(card.locator("mark").innerText()).resolves.toBe("fill rate of at least 98.5%");
  await card.getByRole("button", { name: "Accept: Fill rate at least 98.5 %" }).click();
  await card.getByRole("group", { name: "Fill rate at least 98.5 % (accepted)" }).waitFor();
  await page.getByRole("listitem", { name: "Clause Contracts!C4" }).getByText("Flagged: not English (fr): no terms read.").waitFor();
  await page.getByRole("button", { name: "Add a tier" }).click();
  await expectGoodLayout(page, `service cards at ${width}`);
  await shot("service");

  // 5. the Execution sheet on, one rule opened
  await openTab(page, "Execution");
  await page.getByLabel(/Write the Execution sheet with every Write/).check();
  await page.getByRole("button", { name: /^R2 · segment A\*/ }).click();
  await page.getByLabel("R2: transport mode").waitFor();
  await expectGoodLayout(page, `execution rules at ${width}`);
  await shot("execution");

  // 6. write, and read the sheets back from the fake
  await openTab(page, "Write");
  await page.getByRole("button", { name: "Write sheets" }).click();
  await page.getByRole("table", { name: "Last write" }).waitFor();
  await expectGoodLayout(page, `write at ${width}`);
  const dim = byHeader((await table(page, "SegDimension"))!);
  expect(dim.map((r) => [r.Customer, r.Revenue, r.Class, r["Carbon tier"]])).toEqual([
    ["C1", 700, "A", "high"],
    ["C2", 200, "B", "medium"],
    ["C3", 100, "C", "low"],
  ]);
  const exec = byHeader((await table(page, "SegExecution"))!);
  expect(exec).toHaveLength(10);
  expect(exec.find((r) => r.SKU === "S01")).toMatchObject({ Segment: "AX", "Picking priority": 1, "Transport mode": "standard" });
  const notes = (await table(page, "SegSegmentsNotes"))!.rows.map((r) => r[0]);
  expect(notes).toContain("Decision record: Service tiers per customer from 2027: rank customers by revenue.");
  const audit = await page.evaluate(() => (window as unknown as { __fake: { workbook: { sheet(n: string): { values(): unknown[][] } } } }).__fake.workbook.sheet("SEG_Audit").values());
  const action = (audit[0] as string[]).indexOf("action");
  expect(audit.slice(1).map((r) => r[action])).toEqual(["decision-recorded", "classify-run"]);
  await shot("write");

  expect(errors).toEqual([]);
  expect(external).toEqual([]);
  await page.context().close();
});
