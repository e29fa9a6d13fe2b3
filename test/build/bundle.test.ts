/**
 * The size of what the pane downloads (dist/ from the production build npm test runs first),
 * gzip-compressed as a web server sends it. The pane opens in Excel's task pane on every start, so
 * what it starts with has a budget: taskpane.js. Everything else loads when first used and is
 * reported: the charts (when a chart is first drawn), the steps' views and jobs that are split
 * off, the engine worker; functions.js is the custom functions' own entry.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

const dist = path.resolve(__dirname, "../../dist");
const gz = (f: string) => gzipSync(readFileSync(path.join(dist, f)), { level: 9 }).length;
const kb = (n: number) => `${Math.round(n / 1024)} KB`;

describe("the pane's code size", () => {
  it("starts with under 350 KB gzip; the charts and the split-off steps load on first use", () => {
    expect(existsSync(path.join(dist, "taskpane.js"))).toBe(true);
    const files = readdirSync(dist).filter((f) => f.endsWith(".js"));
    const start = gz("taskpane.js");
    const charts = files.includes("charts.js") ? gz("charts.js") : 0;
    const later = files.filter((f) => !["taskpane.js", "charts.js", "functions.js"].includes(f)).reduce((n, f) => n + gz(f), 0);
    console.log(`pane code, gzip: ${kb(start)} at start; on first use: charts ${kb(charts)}, other chunks ${kb(later)}; custom functions ${kb(gz("functions.js"))}`);
    expect(charts).toBeGreaterThan(0); // the charts are a chunk of their own
    expect(start).toBeLessThan(350 * 1024);
  });

  it("sends the code the pane and the functions share once: taskpane.js depends on functions.js, loaded before it", () => {
    const html = readFileSync(path.join(dist, "taskpane.html"), "utf8");
    const order = [...html.matchAll(/<script[^>]*src=["']?([^"' >]+)/g)].map((m) => m[1]);
    expect(order.indexOf("functions.js")).toBeGreaterThanOrEqual(0);
    expect(order.indexOf("functions.js")).toBeLessThan(order.indexOf("taskpane.js"));
    // what the page downloads before the pane can draw: both entries (office.js aside)
    const page = gz("taskpane.js") + gz("functions.js");
    console.log(`page start, gzip: ${kb(page)} (taskpane.js + functions.js)`);
    expect(page).toBeLessThan(400 * 1024);
  });
});
