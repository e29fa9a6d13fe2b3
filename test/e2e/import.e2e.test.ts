/**
 * Importing a transaction extract end to end in a real browser: Debian chromium (playwright-core)
 * loads the production build (dist/taskpane.html) with the fake Excel host (test/fake-excel) and an
 * empty Data sheet. Through the UI only, at 320 and 350 px: open a transaction CSV with the file
 * input (read in the pane, nothing uploaded), check the proposed mapping and the preview, untick
 * an order type, bucket into ISO weeks in the Web Worker, classify without a sheet range, write
 * with the Demand history sheet, and check the Segments (Family, Decided by) and History tables in the
 * fake workbook; the layout is checked at every stage. Run alone:
 * `npx webpack --mode production && npx jest test/e2e/import`.
 */
import path from "node:path";
import type { Page } from "playwright-core";
import { byHeader, fakeTable, OUT, usePaneHarness, type OpenedPane } from "./harness";
import { expectGoodLayout, openTab } from "./layout";

jest.setTimeout(240_000);

const pane = usePaneHarness();

/**
 * 30 SKUs, 26 ISO weeks from Monday 2024-01-01, one sale per SKU and week (quantity 1 + (s·7 + w) mod 13),
 * every fifth SKU's week-3 line as order type ZFOC (unticked in the test), families F1..F3.
 */
function extract(): { text: string; rows: number; weekTotals: Map<string, number[]> } {
  const lines = ["Material,Posting Date,Qty,Movement Type,Document,Product family,Unit cost"];
  const totals = new Map<string, number[]>();
  const day0 = Date.UTC(2024, 0, 1);
  let doc = 0;
  for (let s = 0; s < 30; s++) {
    const sku = `M-${String(s + 1).padStart(3, "0")}`;
    const weeks = new Array<number>(26).fill(0);
    for (let w = 0; w < 26; w++) {
      const q = 1 + ((s * 7 + w) % 13);
      const date = new Date(day0 + (w * 7 + (s % 5)) * 86_400_000).toISOString().slice(0, 10);
      const type = s % 5 === 0 && w === 3 ? "ZFOC" : "601";
      lines.push(`${sku},${date},${q},${type},D${++doc},F${(s % 3) + 1},${(2 + (s % 4)).toFixed(2)}`);
      if (type === "601") weeks[w] += q;
    }
    totals.set(sku, weeks);
  }
  return { text: lines.join("\n"), rows: lines.length - 1, weekTotals: totals };
}

async function openPane(width: number): Promise<OpenedPane> {
  return pane.open({ width, seed: `
    (function () {
      var fake = window.FakeExcel.createFakeExcel({ sheets: ["Data"] });
      fake.workbook.select("Data!A1");
      fake.install(window);
      window.__fake = fake;
    })();` });
}

const table = fakeTable;

const selected = (page: Page, label: string) => page.getByLabel(label, { exact: true }).evaluate((e) => (e as HTMLSelectElement).selectedOptions[0].textContent);

test.each([320, 350])("at %i px: open a transaction CSV, map, bucket, classify, write with the Demand history sheet", async (width) => {
  const { page, errors, workers } = await openPane(width);
  const data = extract();
  await openTab(page, "Classify");
  await page.getByRole("button", { name: "Open a file…" }).waitFor();
  await expectGoodLayout(page, `import start at ${width}`);

  await page.getByLabel("Transaction extract file").setInputFiles({ name: "erp-sales.csv", mimeType: "text/csv", buffer: Buffer.from(data.text) });
  await page.getByText(new RegExp(`^erp-sales\\.csv: ${data.rows} rows × 7 columns`)).waitFor();
  await expect(selected(page, "SKU")).resolves.toBe("Material");
  await expect(selected(page, "Date")).resolves.toBe("Posting Date");
  await expect(selected(page, "Quantity")).resolves.toBe("Qty");
  await expect(selected(page, "Order type (optional)")).resolves.toBe("Movement Type");
  await expect(selected(page, "Family (optional)")).resolves.toBe("Product family");
  await page.getByRole("table", { name: "First rows of the file" }).getByRole("cell", { name: "M-001" }).first().waitFor();
  await page.getByLabel(/^ZFOC: 6 rows/).uncheck();
  await page.getByLabel("Source system").fill("ERP");
  await page.getByLabel("Also write the history as the Demand history sheet").check();
  await expectGoodLayout(page, `import mapping at ${width}`);

  await page.getByRole("button", { name: "Bucket into periods" }).click();
  await page.getByText(/^30 histories × 26 periods \(2024-W01 … 2024-W26\)/).waitFor();
  await page.getByText(/^Source: erp-sales\.csv, 30 histories × 26 periods of ISO weeks/).waitFor();
  await expectGoodLayout(page, `bucketed at ${width}`);
  await page.screenshot({ path: path.join(OUT, `import-${width}-bucketed.png`), fullPage: true });

  await page.getByRole("button", { name: "Classify", exact: true }).click();
  await page.getByRole("table", { name: /SKUs and value share by Segment/ }).waitFor();
  await page.getByText("Data quality of this run").waitFor();
  await expectGoodLayout(page, `classified at ${width}`);

  await openTab(page, "Write");
  await page.getByRole("button", { name: "Write sheets" }).click();
  await page.getByRole("table", { name: "Last write" }).waitFor({ timeout: 20_000 }).catch(async (e) => {
    console.log("pane text when the write did not finish:", await page.locator("body").innerText());
    throw e;
  });
  await expectGoodLayout(page, `write at ${width}`);

  const seg = (await table(page, "SegSegments"))!;
  expect(seg.headers).toEqual(["SKU", "Value", "Cumulative share", "ABC", "CV", "XYZ", "Pattern", "Segment", "Status", "Family", "Category", "Decided by", "Data flag", "Override", "Override reason", "Model version", "Previous class", "Churn control", "ABC runs", "XYZ runs", "Promotion periods excluded", "Rule", "Why this segment"]);
  // an imported extract goes through the same churn control and rules as a range (issue 11)
  const rows = byHeader(seg);
  expect(rows).toHaveLength(30);
  const m1 = rows.find((r) => r.SKU === "M-001")!;
  expect(m1).toMatchObject({ Family: "F1", "Decided by": "ERP" });
  // value = mean weekly demand × 52 × unit cost (M-001: unit cost 2.00, its week-4 ZFOC line left out)
  const w1 = data.weekTotals.get("M-001")!;
  expect(m1.Value).toBeCloseTo((w1.reduce((a, b) => a + b, 0) / 26) * 52 * 2, 9);
  const hist = (await table(page, "SegHistory"))!;
  expect(hist.headers.slice(0, 4)).toEqual(["SKU", "Location", "2024-W01", "2024-W02"]);
  expect(hist.headers).toHaveLength(28);
  const h1 = byHeader(hist).find((r) => r.SKU === "M-001")!;
  expect(hist.headers.slice(2).map((h) => h1[h])).toEqual(w1);
  expect(workers.length).toBeGreaterThan(0);
  expect(errors).toEqual([]);
});
