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
 *   SEG_SCALE_DIR=/somewhere/with/space               # where the files go (default: a new temp directory)
 *   SEG_SCALE_KEEP=1                                  # keep the Parquet file (and reuse it when present)
 *   SEG_SCALE_ONLY=generate|run                       # only generate the file, or only run on a kept one
 * Without SEG_SCALE_KEEP the generated Parquet, the output CSV and DuckDB's spill files are
 * deleted at the end. The 10M file is about 1 GiB; the output CSV about 3 GiB.
 * Data: key k = SKU "S<k div 4>" at location "L<k mod 4>"; each key has a zero share of
 * (k mod 60)%, integer quantities 1..(1 + k mod 500), a unit cost and a lead time of its own. Rows
 * are written key by key (all periods of a key together), as an extract sorted by SKU would be.
 */
import { execSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { classifyCommand, parseArgs } from "../src/cli/main";
import { openDuckDb, rows } from "../src/cli/duckdb";
import { rawAggregateSql } from "../src/cli/sql";

const KEYS = Number(process.env.SEG_SCALE_KEYS ?? 10_000_000);
const PERIODS = 104;
const KEEP = process.env.SEG_SCALE_KEEP === "1";
const ONLY = process.env.SEG_SCALE_ONLY ?? "";
const dir = process.env.SEG_SCALE_DIR ?? mkdtempSync(path.join(tmpdir(), "seg-scale-"));
mkdirSync(dir, { recursive: true });
const file = path.join(dir, `demand-${KEYS}x${PERIODS}.parquet`);
const out = path.join(dir, `segments-${KEYS}.csv`);
const spill = path.join(dir, "duck-tmp");

let peakRss = 0;
let peakJs = 0;
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  peakJs = Math.max(peakJs, m.heapUsed + m.arrayBuffers);
}, 100);
const gib = (b: number) => (b / 2 ** 30).toFixed(2);
const load = () => execSync("uptime").toString().trim().replace(/^.*load average/, "load average");
const cpuS = (c: NodeJS.CpuUsage) => ((c.user + c.system) / 1e6).toFixed(0);

/** The bench data (see the header), one key table crossed with the periods, written as zstd Parquet. */
export function generateSql(keys: number, periods: number, target: string): string[] {
  return [
    `CREATE TEMP TABLE bench_keys AS SELECT k, 'S' || CAST(k // 4 AS VARCHAR) AS sku, 'L' || CAST(k % 4 AS VARCHAR) AS location,
       CAST(k % 60 AS INTEGER) AS zero_pct, CAST(1 + k % 500 AS BIGINT) AS top,
       CAST(1 + (k * 7919) % 10000 / 100.0 AS DOUBLE) AS unit_cost, CAST(1 + k % 8 AS DOUBLE) AS lead_time
     FROM range(${keys}) t(k)`,
    `COPY (
       SELECT sku, location, CAST(p AS INTEGER) AS period,
         CAST(CASE WHEN hash(k, p, 1) % 100 < zero_pct THEN 0 ELSE 1 + hash(k, p, 2) % top END AS DOUBLE) AS quantity,
         unit_cost, lead_time
       FROM bench_keys, range(${periods}) u(p)
     ) TO '${target}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 1000000)`,
    "DROP TABLE bench_keys",
  ];
}

async function main() {
  const rowsTotal = KEYS * PERIODS;
  console.log(`scale bench: ${KEYS.toLocaleString("en")} keys x ${PERIODS} periods in ${dir}; ${load()}`);
  const db = await openDuckDb({ memoryLimit: "1500MB", tempDirectory: spill });
  if (!existsSync(file)) {
    if (ONLY === "run") throw new Error(`${file} does not exist: generate it first (SEG_SCALE_ONLY=generate SEG_SCALE_KEEP=1)`);
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    for (const sql of generateSql(KEYS, PERIODS, file)) await db.connection.run(sql);
    console.log(
      `generated ${rowsTotal.toLocaleString("en")} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s (${cpuS(process.cpuUsage(c0))} CPU-s): ${file} (${gib(statSync(file).size)} GiB); ${load()}`,
    );
  } else console.log(`using ${file} (${gib(statSync(file).size)} GiB)`);
  if (ONLY === "generate") {
    db.close();
    clearInterval(sampler);
    return;
  }

  // DuckDB's own raw aggregation on the same file (sum and variance per key, nothing returned to JS)
  const t1 = performance.now();
  const c1 = process.cpuUsage();
  const raw = await rows(db.connection, rawAggregateSql(`read_parquet('${file}')`));
  const rawS = (performance.now() - t1) / 1000;
  db.close();
  console.log(
    `DuckDB raw aggregation: ${Number(raw[0].keys).toLocaleString("en")} keys in ${rawS.toFixed(1)} s (${cpuS(process.cpuUsage(c1))} CPU-s) = ${(rowsTotal / rawS / 1e6).toFixed(1)} M rows/s; ${load()}`,
  );

  peakRss = process.memoryUsage().rss;
  peakJs = 0;
  const t2 = performance.now();
  const c2 = process.cpuUsage();
  const report = await classifyCommand(parseArgs(["classify", "--in", file, "--out", out, "--memory-limit", "1500MB", "--temp-directory", spill]));
  const s = (performance.now() - t2) / 1000;
  clearInterval(sampler);
  const segs = report.partitions[0]?.segments ?? {};
  const t = report.timings;
  console.log(
    `seg classify (ABC x XYZ + policies, CSV out): ${report.rows.toLocaleString("en")} keys in ${s.toFixed(1)} s (${cpuS(process.cpuUsage(c2))} CPU-s) = ${(rowsTotal / s / 1e6).toFixed(2)} M rows/s (${(report.rows / s / 1e3).toFixed(0)} k keys/s); ${(s / rawS).toFixed(2)} x DuckDB raw; ${load()}`,
  );
  console.log(
    `  phases: SQL aggregation until the first aggregate row ${(t.firstRowMs / 1000).toFixed(1)} s, reading the aggregate rows out of DuckDB (2 passes) ${(t.readMs / 1000).toFixed(1)} s, ABC ${(t.abcMs / 1000).toFixed(1)} s, XYZ + pattern + policies ${(t.statsMs / 1000).toFixed(1)} s, CSV ${(t.writeMs / 1000).toFixed(1)} s (of which waiting for the disk ${(report.drainMs / 1000).toFixed(1)} s); output ${gib(statSync(out).size)} GiB`,
  );
  console.log(`peak RSS ${gib(peakRss)} GiB (JS heap + array buffers at most ${gib(peakJs)} GiB; the rest is DuckDB and Node); segments ${JSON.stringify(segs)}`);
  const ok = s <= 600 && peakRss <= 4 * 2 ** 30;
  console.log(`${KEYS === 10_000_000 ? "target (10M keys: <= 600 s, <= 4 GiB)" : `size ${KEYS} keys (target is at 10M)`}: ${ok ? "met" : "NOT met"}`);
}

function cleanup() {
  rmSync(out, { force: true });
  rmSync(spill, { recursive: true, force: true });
  if (KEEP || ONLY === "generate") return;
  rmSync(file, { force: true });
  if (!process.env.SEG_SCALE_DIR) rmSync(dir, { recursive: true, force: true });
}

main()
  .then(cleanup)
  .catch((e) => {
    clearInterval(sampler);
    cleanup();
    console.error(e);
    process.exit(1);
  });
