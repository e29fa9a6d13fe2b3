/**
 * The Forecast step end to end in a real browser: Debian chromium (playwright-core) loads the
 * production build (dist/taskpane.html) with the fake Excel host (test/fake-excel) seeded with the
 * forecast test sheet (test/app/forecastData.ts). Through the UI only, at 320 and 350 px: read the
 * table, classify, open the Forecast tab, forecast (in the Web Worker), look at the preview and one
 * SKU's chart, set an override within the cap and one that a second person approves, write, and
 * check the Forecast and Forecast exceptions sheets (tables and chart) and the audit entries in the
 * fake workbook; the layout is checked at every stage (no sideways scroll, no overlapping controls,
 * no cut tab labels, nothing past the right edge).
 * Helpers copied from test/e2e/pane.e2e.test.ts (openPane without the backend, openTab,
 * expectGoodLayout). Run alone: `npx webpack --mode production && npx jest test/e2e/forecast`.
 */
import path from "node:path";
import { forecastSheet } from "../app/forecastData";
import { byHeader, fakeTable, OUT, usePaneHarness, type OpenedPane } from "./harness";
import { expectGoodLayout, openTab } from "./layout";

jest.setTimeout(240_000);

const pane = usePaneHarness();

const SEED = forecastSheet();
const LAST = `AD${SEED.length}`;

async function openPane(width: number): Promise<OpenedPane> {
  return pane.open({ width, seed: `
    (function () {
      var fake = window.FakeExcel.createFakeExcel({ sheets: ["Data"] });
      fake.workbook.sheet("Data").setValues("A1", ${JSON.stringify(SEED)});
      fake.workbook.select("Data!A1:${LAST}");
      fake.install(window);
      window.__fake = fake;
    })();` });
}

const table = fakeTable;

test.each([320, 350])("at %i px: classify, forecast, look at a SKU, override with a second approval, write, check the sheets", async (width) => {
  const { page, errors, workers } = await openPane(width);

  // Settings: the planner's name (the second-person rule compares with it)
  await openTab(page, "Settings");
  await page.getByLabel("Your name").fill("Ana Planner");
  await page.getByRole("button", { name: "Save name" }).click();
  await page.getByText('Audit entries will be signed "Ana Planner".').waitFor();

  // classify the seeded table
  await openTab(page, "Classify");
  await page.getByRole("button", { name: "Read selection" }).click();
  await page.getByText(`Data!A1:${LAST}: ${SEED.length} rows × 30 columns.`).waitFor();
  await expect(page.getByLabel("Product family").evaluate((e) => (e as HTMLSelectElement).selectedOptions[0].textContent)).resolves.toBe("F: Family");
  await page.getByRole("button", { name: "Classify" }).click();
  await page.getByRole("table", { name: /SKUs and value share by Segment/ }).waitFor();

  // the Forecast tab before a run, then a segment's form
  await openTab(page, "Forecast");
  await expectGoodLayout(page, `forecast settings at ${width}`);
  await page.getByRole("button", { name: /^CX: WAPE up to/ }).click();
  const cx = page.getByRole("region", { name: "Forecast settings of segment CX" });
  await cx.getByLabel("Forecast at the product family level (top-down)").check();
  await cx.getByLabel("Policy takes demand and σ from the forecast").check();
  await expectGoodLayout(page, `CX form at ${width}`);
  await page.screenshot({ path: path.join(OUT, `forecast-${width}-settings.png`), fullPage: true });

  // forecast in the worker; the preview: table, chart, method mix
  await page.getByRole("button", { name: "Forecast", exact: true }).click();
  const accuracy = page.getByRole("table", { name: "Accuracy and bias by segment" });
  await accuracy.waitFor();
  expect(workers.length).toBeGreaterThan(0);
  await expect(accuracy.getByRole("row").count()).resolves.toBe(7); // header + AX, AY, BX, BZ, CX, CZ
  await page.getByRole("region", { name: "WAPE and bias by segment" }).locator("svg rect").first().waitFor({ state: "attached" }); // the chart module loads after the table
  await page.getByRole("table", { name: "Method mix" }).getByRole("row", { name: /\(family\)/ }).waitFor();
  await expectGoodLayout(page, `forecast preview at ${width}`);

  // one SKU: search, pick, its chart
  await page.getByLabel("Find a SKU").fill("c");
  await page.getByLabel(/^SKU \(4 listed\)/).selectOption("C4");
  const chart = page.getByRole("region", { name: "Actual and forecast: C4" });
  await chart.waitFor();
  await chart.locator("svg path").first().waitFor({ state: "attached" }); // the chart module loads after the table
  await expectGoodLayout(page, `SKU chart at ${width}`);

  // an override within CX's ±50 % cap
  const form = page.getByRole("region", { name: "Overrides of C4" });
  await form.getByLabel("Period").selectOption("2");
  await form.getByLabel("New forecast (units)").fill("6");
  await form.getByRole("textbox", { name: /Reason/ }).fill("trade fair");
  await form.getByRole("button", { name: "Set override" }).click();
  await form.getByRole("list", { name: "Current overrides of C4" }).getByText(/^T\+2: 6\.0/).waitFor();
  // one beyond it: the second person approves in a dialog over the pane
  await form.getByLabel("Period").selectOption("3");
  await form.getByLabel("New forecast (units)").fill("60");
  await form.getByRole("textbox", { name: /Reason/ }).fill("one-off tender");
  await form.getByRole("button", { name: "Set override" }).click();
  const dialog = page.getByRole("alertdialog");
  await dialog.getByText(/Ana Planner asks to change C4 T\+3/).waitFor();
  await dialog.getByLabel("Approver's name").fill("Bo Approver");
  await dialog.getByRole("textbox", { name: /Approver's reason/ }).fill("tender won");
  await page.waitForTimeout(300);
  await expectGoodLayout(page, `approval dialog at ${width}`);
  await page.screenshot({ path: path.join(OUT, `forecast-${width}-approval.png`) });
  await dialog.getByRole("button", { name: "Approve" }).click();
  await dialog.waitFor({ state: "detached" });
  await form.getByRole("list", { name: "Current overrides of C4" }).getByText(/approved by Bo Approver/).waitFor();
  await expectGoodLayout(page, `after the overrides at ${width}`);
  await page.screenshot({ path: path.join(OUT, `forecast-${width}-preview.png`), fullPage: true });

  // write, then the sheets in the workbook
  await openTab(page, "Write");
  await page.getByRole("button", { name: "Write sheets" }).click();
  await page.getByRole("table", { name: "Last write" }).waitFor();
  const fc = (await table(page, "SegForecast"))!;
  expect(fc.sheetName).toBe("Forecast");
  expect(fc.headers.slice(0, 7)).toEqual(["SKU", "Segment", "Pattern", "Method", "Level", "Parameters", "T+1"]);
  const rows = Object.fromEntries(byHeader(fc).map((r) => [String(r.SKU), r]));
  expect(Object.keys(rows).sort()).toEqual(["A1", "A2", "B1", "B2", "C1", "C2", "C3", "C4"]);
  expect(rows.C4["T+2"]).toBe(6);
  expect(rows.C4["T+3"]).toBe(60);
  expect(String(rows.C4.Overrides)).toMatch(/T\+3: 60 \(was [\d.]+; one-off tender; approved by Bo Approver\)/);
  expect(String(rows.C1.Level)).toMatch(/^family F2 \(share/);
  expect(rows.B2.Method).toBe("sba");
  const acc = (await table(page, "SegForecastAccuracy"))!;
  expect(acc.sheetName).toBe("Forecast exceptions");
  expect(byHeader(acc).map((r) => r.Segment)).toEqual(["AX", "AY", "AZ", "BX", "BY", "BZ", "CX", "CY", "CZ"]);
  const ex = (await table(page, "SegForecastExceptions"))!;
  expect(ex.sheetName).toBe("Forecast exceptions");
  const charts = await page.evaluate(() => (window as unknown as { __fake: { workbook: { charts(s: string): { name: string }[] } } }).__fake.workbook.charts("Forecast exceptions"));
  expect(charts.map((c) => c.name)).toEqual(["SegForecastValueAtRisk"]);
  // the Policy sheet takes CX's demand from the forecast
  const policy = Object.fromEntries(byHeader((await table(page, "SegSkuPolicy"))!).map((r) => [String(r.SKU), r]));
  expect(String(policy.C4["Order quantity source"])).toMatch(/demand from the forecast/);
  expect(String(policy.A1["Order quantity source"])).not.toMatch(/forecast/);
  // the audit trail: the override, then the set and approval of the capped one, then the run
  const actions = await page.evaluate(() => {
    const values = (window as unknown as { __fake: { workbook: { sheet(n: string): { values(): unknown[][] } } } }).__fake.workbook.sheet("SEG_Audit").values();
    const col = values[0].indexOf("action");
    return values.slice(1).map((r) => r[col]);
  });
  expect(actions).toEqual(["forecast-override-set", "forecast-override-set", "forecast-override-approved", "classify-run"]);
  await expectGoodLayout(page, `write at ${width}`);
  expect(errors).toEqual([]);
  await page.context().close();
});
