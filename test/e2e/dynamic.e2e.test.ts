/**
 * Issue 11 end to end in a real browser: Debian chromium (playwright-core) loads the production
 * build (dist/taskpane.html) with the fake Excel host (test/fake-excel) seeded with the sample
 * sheet (test/app/sampleData.ts). Through the UI only, at 320 and 350 px: classify and write once,
 * change one value on the sheet (S01 500 → 510, which pushes S02 just past the 80 % cut-off),
 * read again, set a 2-point ABC band and classify: the pane reports churn with and without the
 * control and the migration matrix; add a business rule; check stability in the Web Worker; write
 * again and check the Segments sheet (S02 held in A by the band, the rule named in "Why this
 * segment"), its notes (churn, window, segmentation model) and the Stability sheet. The layout is
 * checked at every stage (test/e2e/layout.ts). Modelled on test/e2e/forecast.e2e.test.ts.
 * Run alone: `npx webpack --mode production && npx jest test/e2e/dynamic`.
 */
import path from "node:path";
import type { Page } from "playwright-core";
import { sampleSheet } from "../app/sampleData";
import { byHeader, fakeTable, OUT, usePaneHarness, type OpenedPane } from "./harness";
import { expectGoodLayout, openTab } from "./layout";

jest.setTimeout(240_000);

const pane = usePaneHarness();

const SEED = sampleSheet();

async function openPane(width: number): Promise<OpenedPane> {
  return pane.open({ width, seed: `
    (function () {
      var fake = window.FakeExcel.createFakeExcel({ sheets: ["Data"] });
      fake.workbook.sheet("Data").setValues("A1", ${JSON.stringify(SEED)});
      fake.workbook.select("Data!A1:J14");
      fake.install(window);
      window.__fake = fake;
    })();` });
}

const table = fakeTable;

async function write(page: Page, again: boolean) {
  await openTab(page, "Write");
  await page.getByRole("button", { name: "Write sheets" }).click();
  if (again) {
    const dialog = page.getByRole("alertdialog");
    await dialog.getByText(/notes and comments in their cells/).waitFor();
    await dialog.getByRole("button", { name: "Replace", exact: true }).click();
    await dialog.waitFor({ state: "detached" });
  }
  await page.getByText(/^Wrote 10 SKUs to the /).waitFor();
}

test.each([320, 350])("at %i px: a second run with churn control, a business rule and the stability check", async (width) => {
  const { page, errors, workers } = await openPane(width);

  // first run: classify and write
  await openTab(page, "Classify");
  await page.getByRole("button", { name: "Read selection" }).click();
  await page.getByText("Data!A1:J14: 14 rows × 10 columns.").waitFor();
  await page.getByRole("button", { name: "Classify" }).click();
  await page.getByRole("table", { name: /SKUs and value share by Segment/ }).waitFor();
  await page.getByText("No previous classes: churn is reported from the second written run on.").waitFor();
  await expectGoodLayout(page, `first run at ${width}`);
  await write(page, false);

  // the data changes: S01's value 500 → 510, so S02's cumulative share is 810/1010 > 80 %
  await page.evaluate(() => (window as unknown as { __fake: { workbook: { sheet(n: string): { setValues(a: string, v: unknown[][]): void } } } }).__fake.workbook.sheet("Data").setValues("C2", [[510]]));
  await openTab(page, "Classify");
  await page.getByRole("button", { name: "Read selection" }).click();
  await page.getByText("Data!A1:J14: 14 rows × 10 columns.").waitFor();
  await page.getByLabel("ABC band (share points)").fill("2");
  await page.getByRole("button", { name: "Classify" }).click();
  const churn = page.getByText(/^Churn 0\.0% with control, 11\.1% without \(0 vs 1 of 9 SKUs changed segment\); 1 held by a band/);
  await churn.waitFor();
  const matrix = page.getByRole("table", { name: /^ABC migration/ });
  await matrix.getByRole("row", { name: /^A 2/ }).waitFor();
  await expectGoodLayout(page, `churn report at ${width}`);
  await page.screenshot({ path: path.join(OUT, `dynamic-${width}-churn.png`), fullPage: true });

  // a business rule: cables are critical
  await openTab(page, "Rules");
  await page.getByRole("button", { name: "Add a rule" }).click();
  await page.getByRole("button", { name: /^1\. rule 1: \?/ }).click();
  await page.getByLabel("Name", { exact: true }).fill("Cables");
  await page.getByLabel("Column").selectOption("Description");
  await page.getByLabel("Value", { exact: true }).fill("Cable");
  await page.getByLabel("Segment", { exact: true }).fill("CRIT");
  await page.getByText("1 rule, no problems: they apply at the next Classify.").waitFor();
  await expectGoodLayout(page, `rules at ${width}`);
  await openTab(page, "Classify");
  await page.getByRole("button", { name: "Classify" }).click();
  await page.getByText("Business rules decided the segment of 1 SKUs (Rules tab).").waitFor();

  // stability in the worker
  await openTab(page, "Stability");
  await page.getByLabel("Runs").fill("50");
  await page.getByRole("button", { name: "Check stability" }).click();
  await page.getByRole("table", { name: "Stability by segment" }).waitFor();
  expect(workers.length).toBeGreaterThan(0);
  // the chart library loads on first use
  await page.getByLabel("Stay probability by segment chart").locator("svg rect").first().waitFor();
  await page.getByRole("table", { name: "Cut-off sensitivity" }).waitFor();
  await expectGoodLayout(page, `stability at ${width}`);
  await page.screenshot({ path: path.join(OUT, `dynamic-${width}-stability.png`), fullPage: true });

  // second write: the sheets
  await write(page, true);
  const seg = Object.fromEntries(byHeader((await table(page, "SegSegments"))!).map((r) => [String(r.SKU), r]));
  expect(seg.S02).toMatchObject({ ABC: "A", Segment: "AY", "Previous class": "AY", "Churn control": "ABC held in A by the band (computed B)", "ABC runs": 2 });
  expect(seg.S04).toMatchObject({ Segment: "CRIT", Rule: 'rule 1 "Cables"', "Why this segment": 'rule 1 "Cables": Description = "Cable" → segment CRIT' });
  const notes = byHeader((await table(page, "SegSegmentsNotes"))!).map((r) => String(r.Note));
  expect(notes.some((n) => n.startsWith("Churn against the previous classes (the last written Segments sheet): 0 % with churn control, 11.1 % without"))).toBe(true);
  expect(notes.some((n) => n.startsWith("Classification window: W01 to W04 (4 periods)"))).toBe(true);
  const stab = (await table(page, "SegStabilityBySegment"))!;
  expect(stab.sheetName).toBe("Stability");
  const charts = await page.evaluate(() => (window as unknown as { __fake: { workbook: { charts(s: string): { name: string }[] } } }).__fake.workbook.charts("Stability"));
  expect(charts.map((c) => c.name)).toEqual(["SegStabilityChart"]);
  await expectGoodLayout(page, `second write at ${width}`);
  expect(errors).toEqual([]);
  await page.context().close();
});
