/**
 * End to end in a real browser: Debian chromium (playwright-core) loads the production build
 * (dist/taskpane.html, served over plain http), with the fake Excel host (test/fake-excel) injected
 * before the page scripts run and seeded with a data sheet. Through the UI only: select a range,
 * map a column, classify, write, override two SKUs, check the Segments, Policy and SEG_Audit
 * sheets in the fake, tamper with an audit row and see "verify integrity" name it.
 * The pane is connected to the real backend (buildServer over SQLite in a temp directory, plain
 * http on loopback, CORS allowing the page's origin) through its Settings tab: the audit rows sync
 * to it and its /audit/verify says the chain is intact; the Write and the override are published
 * as snapshots `<mv>` and `<mv>+o1`.
 * `npm test` builds dist first; run alone: `npm run build && npx jest test/e2e`.
 */
import path from "node:path";
import { SegApiClient } from "../../src/client";
import { startTestServer, type TestServer } from "../client/helpers/server";
import { BAD_ROWS, EXPECTED_SEGMENTS, GOOD_ROWS, HEADERS } from "../app/sampleData";
import { byHeader, fakeTable, OUT, usePaneHarness, type OpenedPane } from "./harness";
import { expectGoodLayout, openTab } from "./layout";

jest.setTimeout(180_000);

const pane = usePaneHarness();

// The value column gets a header the mapping does not recognise, so the test has to map it.
const SEED_HEADERS = HEADERS.map((h) => (h === "Annual value" ? "Amount" : h));
const SEED = [SEED_HEADERS, ...GOOD_ROWS, ...BAD_ROWS];

let backend: TestServer;

beforeAll(async () => {
  backend = await startTestServer({ corsOrigins: [pane.url] });
});

afterAll(async () => {
  await backend?.cleanup();
});

async function openPane(colorScheme: "light" | "dark" = "light", width = 350): Promise<OpenedPane> {
  return pane.open({ width, colorScheme, allowed: [`${backend.base}/`], seed: `
    (function () {
      var fake = window.FakeExcel.createFakeExcel({ sheets: ["Data"] });
      fake.workbook.sheet("Data").setValues("A1", ${JSON.stringify(SEED)});
      fake.workbook.select("Data!A1");
      fake.install(window);
      window.__fake = fake;
    })();` });
}

const table = fakeTable;

test("select, map, classify, write, override two SKUs, audit and verify in the built pane", async () => {
  const { page, external, errors, workers } = await openPane();
  const t0 = Date.now();

  // keyboard: Tab from the top reaches the first action
  let reached = false;
  for (let i = 0; i < 8 && !reached; i++) {
    await page.keyboard.press("Tab");
    reached = (await page.evaluate(() => document.activeElement?.textContent)) === "Read selection";
  }
  expect(reached).toBe(true);

  // 0. connect the pane to the backend (Settings tab: URL and a planner token, kept in browser storage)
  await expectGoodLayout(page, "start");
  await openTab(page, "Settings");
  const backendForm = page.getByRole("region", { name: "Backend server" });
  await backendForm.getByLabel("Server URL").fill(backend.base);
  await backendForm.getByLabel("Token").fill(backend.tokens.planner);
  await backendForm.getByRole("button", { name: "Test connection" }).click();
  await backendForm.getByText(`Connected to ${backend.base} as alice (planner).`).waitFor();
  await backendForm.getByRole("button", { name: "Save" }).click();
  await backendForm.getByText(`Saved. The audit trail syncs to ${backend.base}.`).waitFor();
  await expectGoodLayout(page, "settings");
  await page.screenshot({ path: path.join(OUT, "pane-e2e-settings.png"), fullPage: true });
  await openTab(page, "Classify");

  // 1. select the SKU table in the workbook and read it
  await page.evaluate(() => (window as unknown as { __fake: { workbook: { select(a: string): void } } }).__fake.workbook.select("Data!A1:J14"));
  await page.getByRole("button", { name: "Read selection" }).click();
  await page.getByText("Data!A1:J14: 14 rows × 10 columns.").waitFor();
  await expectGoodLayout(page, "classify after the read");

  // 2. map the value column by hand (its header "Amount" is not recognised; without it the value
  //    would be history x unit cost)
  const valueSelect = page.getByLabel("Annual value");
  await expect(valueSelect.evaluate((e) => (e as HTMLSelectElement).selectedOptions[0].textContent)).resolves.toBe("(not mapped)");
  await valueSelect.selectOption({ label: "C: Amount" });
  await expect(page.getByLabel("SKU id").evaluate((e) => (e as HTMLSelectElement).selectedOptions[0].textContent)).resolves.toBe("A: SKU");
  await expect(page.getByRole("alert", { name: "Mapping problems" }).count()).resolves.toBe(0);

  // 3. classify (in the Web Worker) and check the preview
  await page.getByRole("button", { name: "Classify" }).click();
  const preview = page.getByRole("table", { name: /SKUs and value share by Segment/ });
  await preview.waitFor();
  await expect(preview.getByRole("row", { name: /^AX/ }).innerText()).resolves.toMatch(/AX\s+1\s+50\.0%/);
  await page.getByText('Data!C13: text "n/a" is not a number').waitFor();
  expect(workers.length).toBeGreaterThan(0);
  // the pictures are drawn: the 3x3 matrix, and the Pareto and pattern charts as SVG
  await page.getByRole("table", { name: "SKUs and value share per ABC×XYZ segment" }).getByLabel("AX: 1 SKUs, 11.1% of SKUs, 50.0% of value").waitFor();
  // (the chart library loads on first use, in its own chunk)
  await page.getByRole("region", { name: "Pareto curve" }).locator("svg path").first().waitFor({ state: "attached" });
  await page.getByRole("region", { name: "Demand patterns (ADI × CV²)" }).locator("svg").first().waitFor({ state: "attached" });
  await expectGoodLayout(page, "classify preview");
  await page.screenshot({ path: path.join(OUT, "pane-e2e-classify.png"), fullPage: true });

  // 4. write
  await openTab(page, "Write");
  await page.getByRole("button", { name: "Write sheets" }).click();
  const figures = page.getByRole("table", { name: "Last write" });
  await figures.waitFor();
  await expect(figures.getByRole("row", { name: /SKU rows written/ }).innerText()).resolves.toMatch(/10$/);
  await page.getByRole("button", { name: "Details" }).click();
  const details = page.getByRole("table", { name: "Write details" });
  const modelVersion = (await details.getByRole("row", { name: /Model version/ }).innerText()).split(/\s+/).pop()!;
  await expectGoodLayout(page, "write");
  expect(modelVersion).toMatch(/^\d{8}T\d{6}Z-[0-9a-f]{8}$/);
  await page.getByRole("region", { name: "Snapshot on the server" }).getByText(`Published model version ${modelVersion} (10 SKUs)`).waitFor();
  await page.screenshot({ path: path.join(OUT, "pane-e2e-write.png"), fullPage: true });

  const segments = (await table(page, "SegSegments"))!;
  expect(segments.sheetName).toBe("Segments");
  expect(segments.headers).toEqual(["SKU", "Value", "Cumulative share", "ABC", "CV", "XYZ", "Pattern", "Segment", "Status", "Family", "Category", "Decided by", "Data flag", "Override", "Override reason", "Model version", "Previous class", "Churn control", "ABC runs", "XYZ runs", "Promotion periods excluded", "Rule", "Why this segment"]);
  const seg = byHeader(segments);
  expect(Object.fromEntries(seg.map((r) => [r.SKU, r.Segment]))).toEqual(EXPECTED_SEGMENTS);
  expect(seg.every((r) => r["Model version"] === modelVersion)).toBe(true);
  const grid = byHeader((await table(page, "SegPolicyGrid"))!);
  expect(grid.map((r) => [r.Segment, r["Service level"], r.Method])).toEqual([
    ["AX", 0.98, "csl"],
    ["AY", 0.97, "csl"],
    ["AZ", 0.95, "fill"],
    ["BX", 0.96, "csl"],
    ["BY", 0.95, "csl"],
    ["BZ", 0.92, "fill"],
    ["CX", 0.93, "csl"],
    ["CY", 0.9, "csl"],
    ["CZ", 0.85, "fill"],
  ]);
  const skuPolicy = (await table(page, "SegSkuPolicy"))!;
  expect(skuPolicy.sheetName).toBe("Policy");
  const s01 = byHeader(skuPolicy).find((r) => r.SKU === "S01")!;
  expect([s01.Segment, s01["Safety stock"], s01["Reorder point"]]).toEqual(["AX", 0, 20]);
  const charts = await page.evaluate(() => (window as unknown as { __fake: { workbook: { charts(s: string): { name: string }[] } } }).__fake.workbook.charts("Segments"));
  expect(charts.length).toBe(1);

  await openTab(page, "Policy");
  await page.getByLabel("Service level (%)").waitFor();
  await expectGoodLayout(page, "policy");
  await page.screenshot({ path: path.join(OUT, "pane-e2e-policy.png"), fullPage: true });

  // 5. override two SKUs selected on the Segments sheet (S03 and S04 are rows 4 and 5)
  await page.evaluate(() => (window as unknown as { __fake: { workbook: { select(a: string): void } } }).__fake.workbook.select("Segments!A4:L5"));
  await openTab(page, "Overrides");
  await page.getByRole("button", { name: "Read selected rows" }).click();
  const selected = page.getByRole("table", { name: "Selected SKUs" });
  await selected.waitFor();
  await expect(selected.getByRole("row").count()).resolves.toBe(3);
  await page.getByLabel("New segment").selectOption("AX");
  await page.getByRole("button", { name: "Set override" }).click();
  await page.getByText(/Type a reason for the override/).first().waitFor();
  await page.getByRole("textbox", { name: /Reason/ }).fill("Critical spares for line 4");
  await page.getByRole("button", { name: "Set override" }).click();
  await page.getByText("Override to AX set for 2 SKU(s): S03 and S04.").waitFor();
  await expectGoodLayout(page, "overrides");
  // the override changed the planned segments of the written run: published under a derived version
  await page.getByRole("region", { name: "Snapshot on the server" }).getByText(`Published model version ${modelVersion}+o1 (10 SKUs)`).waitFor();
  await page.screenshot({ path: path.join(OUT, "pane-e2e-overrides.png"), fullPage: true });

  const after = byHeader((await table(page, "SegSegments"))!);
  expect(after.filter((r) => r.Override === "AX").map((r) => [r.SKU, r.Segment, r["Override reason"]])).toEqual([
    ["S03", "BX", "Critical spares for line 4"],
    ["S04", "BZ", "Critical spares for line 4"],
  ]);
  const pol = byHeader((await table(page, "SegSkuPolicy"))!).filter((r) => r.SKU === "S03" || r.SKU === "S04");
  expect(pol.map((r) => [r.SKU, r.Segment, r["Segment source"], r["Service level"]])).toEqual([
    ["S03", "AX", "override", 0.98],
    ["S04", "AX", "override", 0.98],
  ]);

  // 6. the audit sheet: very hidden, one row per event, chained, and synced to the backend
  await openTab(page, "Audit");
  const syncStatus = page.getByRole("region", { name: "Audit sync" });
  await syncStatus.getByText("Synced", { exact: true }).waitFor();
  const audit = await page.evaluate(() => {
    const wb = (window as unknown as { __fake: { workbook: { sheets(): { name: string; visibility: string }[]; sheet(n: string): { values(): unknown[][] } } } }).__fake.workbook;
    return { sheets: wb.sheets(), values: wb.sheet("SEG_Audit").values() };
  });
  expect(audit.sheets.find((s) => s.name === "SEG_Audit")?.visibility).toBe("VeryHidden");
  const [head, ...entries] = audit.values as string[][];
  expect(head.slice(0, 5)).toEqual(["entryId", "timestamp", "user", "workbookId", "action"]);
  const col = (name: string) => head.indexOf(name);
  expect(entries.map((e) => [e[col("action")], e[col("sku")], e[col("action")] === "classify-run" ? JSON.parse(e[col("newValue")]).skus : e[col("newValue")], e[col("syncState")]])).toEqual([
    ["classify-run", "", 10, "synced"],
    ["override-set", "S03", "AX", "synced"],
    ["override-set", "S04", "AX", "synced"],
  ]);
  expect(entries[1][col("prevHash")]).toBe(entries[0][col("entryHash")]);
  expect(entries[0][col("modelVersion")]).toBe(modelVersion);

  // the server's copy: the same three entries in order, and its own verification says intact
  const workbookId = entries[0][col("workbookId")];
  const controller = new SegApiClient({ baseUrl: backend.base, token: backend.tokens.controller });
  const trail = await controller.listAudit(workbookId, {});
  expect(trail.entries.map((e) => e.entryId)).toEqual(entries.map((e) => e[col("entryId")]));
  expect(await controller.verifyAudit(workbookId)).toEqual({ ok: true, count: 3, lastHash: entries[2][col("entryHash")] });
  expect((await controller.listSnapshots(workbookId)).map((x) => x.modelVersion)).toEqual([modelVersion, `${modelVersion}+o1`]);
  const published = await controller.getSnapshot(workbookId, `${modelVersion}+o1`, { sku: "S03" });
  expect(published.items[0]).toMatchObject({ sku: "S03", segment: "AX", overridden: true });

  // 7. the Audit tab lists it newest first, with the sync's marks, and verifies it, then catches a tampered row
  const list = page.getByRole("table", { name: "Audit entries" });
  await expect(list.getByRole("row").nth(1).innerText()).resolves.toContain("S04");
  await list.getByRole("row").nth(3).getByText("synced", { exact: true }).waitFor();
  await page.getByRole("button", { name: "Verify integrity" }).click();
  await page.getByText("All 3 audit entries are intact.").waitFor();
  const reasonCell = `${String.fromCharCode(65 + col("reason"))}3`;
  await page.evaluate((addr) => (window as unknown as { __fake: { tamper(s: string, a: string, v: string): void } }).__fake.tamper("SEG_Audit", addr, "Cheaper to stock"), reasonCell);
  await page.getByRole("button", { name: "Verify integrity" }).click();
  await page.getByText(/SEG_Audit row 3 \(entry [0-9a-f-]{36}\): content does not match its hash/).waitFor();
  // the list, read again after Verify, shows that row and its entry id, marked
  const brokenRow = list.locator("[data-broken=true]");
  await expect(brokenRow.innerText()).resolves.toMatch(/Row 3 \(broken\)[\s\S]*Entry [0-9a-f]{8}…/);
  await expectGoodLayout(page, "audit");
  // the server kept what was synced before the tampering
  expect((await controller.verifyAudit(workbookId)).ok).toBe(true);

  await page.screenshot({ path: path.join(OUT, "pane-e2e.png"), fullPage: true });
  console.log(`e2e flow in the browser: ${Date.now() - t0} ms`);

  expect(errors).toEqual([]);
  expect(external).toEqual([]);
  await page.context().close();
});

test("follows a dark system theme outside Office", async () => {
  const { page } = await openPane("dark");
  await expect(page.locator(".fui-FluentProvider").first().getAttribute("data-theme")).resolves.toBe("dark");
  await page.screenshot({ path: path.join(OUT, "pane-e2e-dark.png") });
  await page.context().close();
});

test.each([320, 350, 800])("at %i px every step fits: no sideways scroll, no overlapping controls, readable tabs, a full-pane dialog", async (width) => {
  const { page, errors } = await openPane("light", width);
  await page.evaluate(() => (window as unknown as { __fake: { workbook: { select(a: string): void } } }).__fake.workbook.select("Data!A1:J14"));
  await page.getByRole("button", { name: "Read selection" }).click();
  await page.getByText("Data!A1:J14: 14 rows × 10 columns.").waitFor();
  await page.getByLabel("Annual value").selectOption({ label: "C: Amount" });
  await page.getByRole("button", { name: "Classify" }).click();
  await page.getByRole("table", { name: /SKUs and value share by Segment/ }).waitFor();
  await expectGoodLayout(page, `classify at ${width}`);
  await page.screenshot({ path: path.join(OUT, `pane-${width}-classify.png`), fullPage: true });
  for (const step of ["Policy", "Write", "Overrides", "Audit", "Settings"]) {
    await openTab(page, step);
    if (step === "Write") {
      await page.getByRole("button", { name: "Write sheets" }).click();
      await page.getByRole("table", { name: "Last write" }).waitFor();
      // a second Write replaces the sheets: the pane says what is lost first, in a dialog over the whole pane
      await page.getByRole("button", { name: "Write sheets" }).click();
      const dialog = page.getByRole("alertdialog");
      await dialog.getByText(/notes and comments in their cells/).waitFor();
      const cover = await page.evaluate(() => {
        const d = document.querySelector(".fui-DialogSurface__backdrop")?.getBoundingClientRect();
        return d ? { left: d.left, top: d.top, right: d.right, bottom: d.bottom, w: window.innerWidth, h: window.innerHeight } : null;
      });
      expect(cover).not.toBeNull();
      expect(cover!.left <= 0 && cover!.top <= 0 && cover!.right >= cover!.w && cover!.bottom >= cover!.h).toBe(true);
      await expectGoodLayout(page, `rerun question at ${width}`);
      await page.waitForTimeout(400); // the dialog's fade-in, for the screenshot
      await page.screenshot({ path: path.join(OUT, `pane-${width}-rerun-question.png`) });
      await dialog.getByRole("button", { name: "Don't write" }).click();
      await page.getByText("Nothing was written.").waitFor();
    }
    await expectGoodLayout(page, `${step} at ${width}`);
    await page.screenshot({ path: path.join(OUT, `pane-${width}-${step.toLowerCase()}.png`), fullPage: true });
  }
  expect(errors).toEqual([]);
  await page.context().close();
});
