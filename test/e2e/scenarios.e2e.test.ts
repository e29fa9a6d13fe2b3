/**
 * End to end in Debian chromium over the production build (dist/taskpane.html) with the fake Excel
 * host injected, through the UI only: classify, write, simulate the four default scenarios in the
 * Web Worker, use the budget variant and see its grid in the Policy tab and, after a Write, on the
 * Policy sheet; then read a Network sheet (Snyder & Shen Example 6.5, stockpyl's
 * tests/test_gsm_tree.py), solve it and write the Network policy sheet. Layout at 320 and 350 px:
 * no sideways scroll, no overlapping controls (expectGoodLayout and openTab as in pane.e2e.test.ts).
 * Run alone: `npx webpack --mode production && npx jest test/e2e/scenarios`.
 */
import path from "node:path";
import type { Page } from "playwright-core";
import { BAD_ROWS, GOOD_ROWS, HEADERS } from "../app/sampleData";
import ref from "../fixtures/gsm_reference.json";
import { byHeader, fakeTable, OUT, usePaneHarness, type OpenedPane } from "./harness";
import { expectGoodLayout, openTab } from "./layout";

jest.setTimeout(300_000);

const pane = usePaneHarness();

const DATA = [HEADERS, ...GOOD_ROWS, ...BAD_ROWS];
/** Φ(1): the service level whose z is 1, as in the published example. */
const PHI1 = 0.8413447460685429;
const EX65 = ref.published.find((p) => p.name === "example_6_5")!;
const NETWORK = [
  ["Stage", "Downstream stage", "Processing time", "Holding cost", "Demand mean", "Demand sd", "Inbound service time", "Max outbound service time", "Service level"],
  ...(EX65.stages as unknown as { stage: string; downstream: string[]; processingTime: number; holdingCost: number; demandMean: number | null; demandSd: number | null; supplierServiceTime: number | null; maxServiceTime: number | null }[]).map(
    (s) => [s.stage, s.downstream.length ? s.downstream.join(", ") : "customer", s.processingTime, s.holdingCost, s.demandMean ?? "", s.demandSd ?? "", s.supplierServiceTime ?? "", s.maxServiceTime ?? "", s.demandMean === null ? "" : PHI1],
  ),
];

async function openPane(width: number): Promise<OpenedPane> {
  return pane.open({ width, seed: `
    (function () {
      var fake = window.FakeExcel.createFakeExcel({ sheets: ["Data", "Network"] });
      fake.workbook.sheet("Data").setValues("A1", ${JSON.stringify(DATA)});
      fake.workbook.sheet("Network").setValues("A1", ${JSON.stringify(NETWORK)});
      fake.workbook.select("Data!A1");
      fake.install(window);
      window.__fake = fake;
    })();` });
}

const table = fakeTable;
const charts = (page: Page, sheet: string) =>
  page.evaluate((s) => (window as unknown as { __fake: { workbook: { charts(s: string): { name: string; chartType: string; series: { name: string }[] }[] } } }).__fake.workbook.charts(s), sheet);
const select = (page: Page, address: string) => page.evaluate((a) => (window as unknown as { __fake: { workbook: { select(a: string): void } } }).__fake.workbook.select(a), address);
const auditActions = (page: Page) =>
  page.evaluate(() => {
    const v = (window as unknown as { __fake: { workbook: { sheet(n: string): { values(): unknown[][] } } } }).__fake.workbook.sheet("SEG_Audit").values() as string[][];
    const a = v[0].indexOf("action");
    const r = v[0].indexOf("reason");
    return v.slice(1).map((row) => [row[a], row[r]]);
  });

async function classify(page: Page): Promise<void> {
  await select(page, "Data!A1:J14");
  await page.getByRole("button", { name: "Read selection" }).click();
  await page.getByText("Data!A1:J14: 14 rows × 10 columns.").waitFor();
  await page.getByRole("button", { name: "Classify" }).click();
  await page.getByRole("table", { name: /SKUs and value share by Segment/ }).waitFor();
}

async function simulate(page: Page, replications: string, horizon: string): Promise<void> {
  await openTab(page, "Scenarios");
  await page.getByLabel("Replications").fill(replications);
  await page.getByLabel("Horizon (periods)").fill(horizon);
  await page.getByRole("button", { name: "Simulate" }).click();
  await page.getByRole("region", { name: "Totals of A up to 70 %" }).waitFor({ timeout: 120_000 });
}

test("classify, write, simulate four scenarios in the worker, use one: the Policy tab and the Policy sheet hold its grid; then the Network sheet", async () => {
  const { page, errors, external, workers } = await openPane(350);
  await classify(page);
  await openTab(page, "Write");
  await page.getByRole("button", { name: "Write sheets" }).click();
  await page.getByRole("table", { name: "Last write" }).waitFor();

  // the Policy tab before: AX on a cycle service level of 98 %
  await openTab(page, "Policy");
  await page.getByRole("button", { name: "AX: 98.0% cycle service level" }).waitFor();

  await simulate(page, "20", "52");
  expect(workers.length).toBeGreaterThan(0);
  for (const name of ["Today", "Proposed grid", "Budget 80 %"]) await page.getByRole("region", { name: `Totals of ${name}` }).waitFor();
  // the grouped bar chart is drawn: one bar per scenario and segment
  const bars = page.getByRole("region", { name: "Fill rate by segment and scenario" }).locator("svg rect");
  await bars.nth(4 * 7 - 1).waitFor(); // seven segments with SKUs, four scenarios (the chart code loads on first use)
  await page.getByRole("table", { name: "Scenarios in segment AX" }).waitFor();
  await expectGoodLayout(page, "scenarios compared at 350");
  await page.screenshot({ path: path.join(OUT, "scenarios-e2e-compared.png"), fullPage: true });

  await page.getByRole("button", { name: "Use this scenario: Budget 80 %" }).click();
  await page.getByText(/^Chose "Budget 80 %": its grid is in the Policy tab now/).waitFor();
  const totals = byHeader((await table(page, "SegScenarioTotals"))!);
  expect(totals.map((r) => [r.Scenario, r.Chosen])).toEqual([
    ["Today", ""],
    ["Proposed grid", ""],
    ["Budget 80 %", "yes"],
    ["A up to 70 %", ""],
  ]);
  const sheetCharts = await charts(page, "Scenarios");
  expect(sheetCharts.map((c) => c.name).sort()).toEqual(["SegScenarioCost", "SegScenarioFill", "SegScenarioTotalCost", "SegScenarioValue"]);
  expect(sheetCharts.find((c) => c.name === "SegScenarioFill")!.series.map((s) => s.name)).toEqual(["Today", "Proposed grid", "Budget 80 %", "A up to 70 %"]);

  // the Policy tab now shows the budget variant's grid: fill-rate targets where the budget placed stock
  await openTab(page, "Policy");
  const ax = page.getByRole("group", { name: "Segments" }).getByRole("button", { name: /^AX: / });
  await expect(ax.getAttribute("aria-label")).resolves.toMatch(/^AX: \d+\.\d% fill rate, auto distribution$/);
  const axLevel = Number(/^AX: (\d+\.\d)%/.exec((await ax.getAttribute("aria-label"))!)![1]) / 100;
  await expectGoodLayout(page, "policy with the scenario's grid");
  // and the next Write puts it on the Policy sheet, audited as coming from the scenario
  await openTab(page, "Write");
  await page.getByRole("button", { name: "Write sheets" }).click();
  // the sheets exist now: the pane says what a rerun replaces first
  await page.getByRole("alertdialog").getByRole("button", { name: "Replace", exact: true }).click();
  await page.getByText(/^Wrote 10 SKUs/).waitFor();
  const grid = byHeader((await table(page, "SegPolicyGrid"))!);
  const axRow = grid.find((r) => r.Segment === "AX")!;
  expect(axRow.Method).toBe("fill");
  expect(axRow["Service level"]).toBeCloseTo(axLevel, 3);
  const audit = await auditActions(page);
  expect(audit.filter(([a]) => a === "scenarios-compared").map(([, r]) => r.split(":")[0])).toEqual(['chose "Budget 80 %"']);
  expect(audit.filter(([a, r]) => a === "policy-changed" && r === 'from scenario "Budget 80 %" (Scenarios tab)').length).toBeGreaterThan(0);

  // the Network sheet: Example 6.5, solved in the worker, written with its chart
  await select(page, "Network!A1:I5");
  await openTab(page, "Network");
  await page.getByRole("button", { name: "Read selection" }).click();
  await page.getByText(/^Network!A1:I5: 5 rows\. Columns: Stage, Downstream stage/).waitFor();
  await page.getByRole("button", { name: "Solve" }).click();
  const perStage = page.getByRole("table", { name: "Network policy per stage" });
  await perStage.waitFor();
  await expect(perStage.getByRole("row").nth(4).innerText()).resolves.toMatch(/^4\s+1\s+0\s+0\.0$/);
  await page.getByRole("region", { name: "Safety stock by stage" }).locator("svg rect").first().waitFor();
  await expectGoodLayout(page, "network solved at 350");
  await page.getByRole("button", { name: "Write Network policy sheet" }).click();
  await page.getByText(/^Wrote the Network policy sheet: 4 stages; safety stock at 3 of them/).waitFor();
  const net = byHeader((await table(page, "SegNetworkPolicy"))!);
  expect(Object.fromEntries(net.map((r) => [r.Stage, r["Committed service time"]]))).toEqual(EX65.serviceTime);
  const cost = net.reduce((s, r) => s + (r["Holding cost per period"] as number), 0);
  expect(Math.abs(cost - EX65.cost) / EX65.cost).toBeLessThan(1e-9);
  expect((await charts(page, "Network policy")).map((c) => [c.name, c.chartType])).toEqual([["SegNetworkSafetyStock", "BarClustered"]]);
  expect((await auditActions(page)).at(-1)![0]).toBe("network-policy-written");
  await page.screenshot({ path: path.join(OUT, "scenarios-e2e-network.png"), fullPage: true });

  expect(errors).toEqual([]);
  expect(external).toEqual([]);
  await page.context().close();
});

test.each([320, 350])("at %i px the Scenarios and Network tabs fit: no sideways scroll, no overlapping controls", async (width) => {
  const { page, errors } = await openPane(width);
  await classify(page);
  await openTab(page, "Scenarios");
  await expectGoodLayout(page, `scenarios defined at ${width}`);
  await simulate(page, "5", "26");
  await expectGoodLayout(page, `scenarios compared at ${width}`);
  await page.getByLabel("Chart", { exact: true }).selectOption("totalCostPerPeriod");
  await page.getByRole("region", { name: "Cost per period by segment and scenario" }).waitFor();
  await expectGoodLayout(page, `cost chart at ${width}`);
  await page.screenshot({ path: path.join(OUT, `scenarios-${width}.png`), fullPage: true });
  await select(page, "Network!A1");
  await openTab(page, "Network");
  await expectGoodLayout(page, `network empty at ${width}`);
  await page.getByRole("button", { name: "Use current region" }).click();
  await page.getByText(/^Network!A1:I5: 5 rows/).waitFor();
  await page.getByRole("button", { name: "Solve" }).click();
  await page.getByRole("table", { name: "Network policy per stage" }).waitFor();
  await expectGoodLayout(page, `network solved at ${width}`);
  await page.screenshot({ path: path.join(OUT, `network-${width}.png`), fullPage: true });
  expect(errors).toEqual([]);
  await page.context().close();
});
