/**
 * Scale bench (not a test): generates SKU-locations × 104 weekly periods as Parquet with DuckDB,
 * then classifies ABC × XYZ with policies through `seg classify` (DuckDB aggregation + the
 * TypeScript engine, streamed) and reports time, rows/s and peak RSS next to DuckDB's own raw
 * aggregation speed (per-key sums and variances only) on the same file in the same run.
 * Target (issue 14): 10,000,000 keys × 104 periods (1.04 billion rows) in <= 10 minutes and
 * <= 4 GB RSS on the 2-core machine.
 *
 *   npm run bench scale                               # full size, 10,000,000 keys
 *   SEG_SCALE_KEYS=100000 npm run bench scale         # quick run
 *   SEG_SCALE_DIR=/somewhere/with/space               # where the Parquet and CSV go (default: os tmpdir)
 * The generated file is kept between runs of the same size (delete it to regenerate).
 * Data: key k = SKU "S<k div 4>" at location "L<k mod 4>"; each key has a zero share of
 * (k mod 60)%, integer quantities 1..(1 + k mod 500), a unit cost and a lead time of its own.
 */
import { existsSync, mkdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { classifyCommand, parseArgs } from "../src/cli/main";
import { openDuckDb, rows } from "../src/cli/duckdb";
import { rawAggregateSql } from "../src/cli/sql";

const KEYS = Number(process.env.SEG_SCALE_KEYS ?? 10_000_000);
const PERIODS = 104;
const dir = process.env.SEG_SCALE_DIR ?? path.join(tmpdir(), "seg-scale");
mkdirSync(dir, { recursive: true });
const file = path.join(dir, `demand-${KEYS}x${PERIODS}.parquet`);
const out = path.join(dir, `segments-${KEYS}.csv`);

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 100);
const gib = (b: number) => (b / 2 ** 30).toFixed(2);

async function main() {
  const rowsTotal = KEYS * PERIODS;
  const db = await openDuckDb({ memoryLimit: "1500MB", tempDirectory: path.join(dir, "duck-tmp") });
  if (!existsSync(file)) {
    const t0 = performance.now();
    await db.connection.run(`COPY (
      SELECT 'S' || CAST(k // 4 AS VARCHAR) AS sku, 'L' || CAST(k % 4 AS VARCHAR) AS location, CAST(p AS INTEGER) AS period,
        CAST(CASE WHEN hash(k, p, 1) % 100 < k % 60 THEN 0 ELSE 1 + hash(k, p, 2) % (1 + k % 500) END AS DOUBLE) AS quantity,
        CAST(1 + (k * 7919) % 10000 / 100.0 AS DOUBLE) AS unit_cost,
        CAST(1 + k % 8 AS DOUBLE) AS lead_time
      FROM range(${KEYS}) t(k), range(${PERIODS}) u(p)
    ) TO '${file}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 1000000)`);
    console.log(`generated ${rowsTotal.toLocaleString("en")} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${file} (${gib(statSync(file).size)} GiB)`);
  } else console.log(`using ${file} (${gib(statSync(file).size)} GiB)`);

  // DuckDB's own raw aggregation on the same file (sum and variance per key, nothing returned to JS)
  const t1 = performance.now();
  const raw = await rows(db.connection, rawAggregateSql(`read_parquet('${file}')`));
  const rawS = (performance.now() - t1) / 1000;
  db.close();
  console.log(`DuckDB raw aggregation: ${Number(raw[0].keys).toLocaleString("en")} keys in ${rawS.toFixed(1)} s = ${(rowsTotal / rawS / 1e6).toFixed(1)} M rows/s`);

  peakRss = process.memoryUsage().rss;
  const t2 = performance.now();
  const report = await classifyCommand(parseArgs(["classify", "--in", file, "--out", out, "--memory-limit", "1500MB"]));
  const s = (performance.now() - t2) / 1000;
  clearInterval(sampler);
  const segs = report.partitions[0]?.segments ?? {};
  console.log(`seg classify (ABC x XYZ + policies, CSV out): ${report.rows.toLocaleString("en")} keys in ${s.toFixed(1)} s = ${(rowsTotal / s / 1e6).toFixed(2)} M rows/s (${(report.rows / s / 1e3).toFixed(0)} k keys/s); ratio to DuckDB raw ${(s / rawS).toFixed(2)}x`);
  console.log(`peak RSS ${gib(peakRss)} GiB; segments ${JSON.stringify(segs)}`);
  const ok = s <= 600 && peakRss <= 4 * 2 ** 30;
  console.log(`${KEYS === 10_000_000 ? "target (10M keys: <= 600 s, <= 4 GiB)" : `size ${KEYS} keys (target is at 10M)`}: ${ok ? "met" : "NOT met"}`);
}

main().catch((e) => {
  clearInterval(sampler);
  console.error(e);
  process.exit(1);
});
