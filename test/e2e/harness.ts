/**
 * What every browser test shares: the production build (dist/) served over plain http on
 * loopback, Debian's chromium driven by playwright-core, and the fake Excel host
 * (test/fake-excel) injected before the page's scripts run. `usePaneHarness()` registers the
 * beforeAll/afterAll pair; `open()` gives a fresh page at the width asked, seeded by the test's
 * script, with the page errors, worker starts and any request that leaves the machine recorded.
 * `npm test` builds dist first; run alone: `npm run build && npx jest test/e2e`.
 */
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { buildFakeExcelBundle } from "../fake-excel/bundle";
import { serveDirectory, type StaticServer } from "./staticServer";

export const ROOT = path.resolve(__dirname, "../..");
export const DIST = path.join(ROOT, "dist");
/** Screenshots go here. */
export const OUT = path.join(ROOT, "test-output");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"];

/** A table of the fake workbook, as its test hook returns it. */
export interface TableInfo {
  name: string;
  sheetName: string;
  headers: string[];
  rows: unknown[][];
}

export interface OpenedPane {
  page: Page;
  /** Uncaught errors of the page. */
  errors: string[];
  /** Requests to anywhere but the static server (and the allowed prefixes): the pane makes none. */
  external: string[];
  /** One entry per Web Worker the page started. */
  workers: number[];
}

export interface OpenOptions {
  width: number;
  colorScheme?: "light" | "dark";
  /** Script run before the page's own: creates the fake host, seeds it and installs it (window.__fake). */
  seed: string;
  /** More URL prefixes the page may call (e.g. a test backend). */
  allowed?: readonly string[];
}

export interface PaneHarness {
  /** Base URL of the served dist/ (available after beforeAll). */
  readonly url: string;
  open(options: OpenOptions): Promise<OpenedPane>;
}

export function usePaneHarness(): PaneHarness {
  let server: StaticServer;
  let browser: Browser;
  let fakeBundle: string;

  beforeAll(async () => {
    if (!existsSync(path.join(DIST, "taskpane.html"))) throw new Error("dist/taskpane.html is missing: run `npm run build` first (npm test does).");
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run does).`);
    mkdirSync(OUT, { recursive: true });
    server = await serveDirectory(DIST);
    fakeBundle = await buildFakeExcelBundle();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  return {
    get url() {
      return server.url;
    },
    async open({ width, colorScheme = "light", seed, allowed = [] }) {
      const context = await browser.newContext({ colorScheme, viewport: { width, height: 900 } });
      const page = await context.newPage();
      const errors: string[] = [];
      const external: string[] = [];
      const workers: number[] = [];
      const local = [server.url, "data:", "blob:", ...allowed];
      page.on("request", (r) => {
        const url = r.url();
        if (!local.some((p) => url.startsWith(p))) external.push(url);
      });
      page.on("pageerror", (e) => errors.push(e.message));
      page.on("worker", () => workers.push(1));
      await page.addInitScript({ content: `${fakeBundle}\n${seed}` });
      await page.goto(`${server.url}/taskpane.html`);
      await page.getByRole("tab", { name: "Classify" }).waitFor();
      return { page, errors, external, workers };
    },
  };
}

/** A table of the fake workbook by name, or null. */
export function fakeTable(page: Page, name: string): Promise<TableInfo | null> {
  return page.evaluate((n) => (window as unknown as { __fake: { workbook: { table(n: string): TableInfo | null } } }).__fake.workbook.table(n), name);
}

/** A table's rows as objects keyed by header. */
export function byHeader(t: TableInfo): Record<string, unknown>[] {
  return t.rows.map((r) => Object.fromEntries(t.headers.map((h, i) => [h, r[i]])));
}
