/**
 * The size of what the pane downloads (dist/ from the production build npm test runs first): the
 * page's own code (taskpane.js and the custom functions, both loaded by taskpane.html) and the chart
 * chunk it loads on first use, gzip-compressed as a web server sends them. The pane is opened in
 * Excel's task pane on every start, so its code has a budget.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

const dist = path.resolve(__dirname, "../../dist");
const gz = (f: string) => gzipSync(readFileSync(path.join(dist, f)), { level: 9 }).length;

describe("the pane's code size", () => {
  it("stays under 350 KB gzip with the charts in", () => {
    expect(existsSync(path.join(dist, "taskpane.js"))).toBe(true);
    const files = readdirSync(dist).filter((f) => f.endsWith(".js"));
    const pane = gz("taskpane.js");
    const charts = files.includes("charts.js") ? gz("charts.js") : 0;
    // the custom functions' entry and the engine worker's chunk are not the pane's UI; reported
    const others = files.filter((f) => f !== "taskpane.js" && f !== "charts.js").map((f) => `${f} ${Math.round(gz(f) / 1024)} KB`);
    console.log(`pane code, gzip: ${Math.round(pane / 1024)} KB at start + charts ${Math.round(charts / 1024)} KB on first use = ${Math.round((pane + charts) / 1024)} KB; also ${others.join(", ")}`);
    expect(charts).toBeGreaterThan(0); // the charts are a chunk of their own, loaded when first drawn
    expect(pane + charts).toBeLessThan(350 * 1024);
  });
});
