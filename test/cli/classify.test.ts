/**
 * seg classify end to end on small inputs: the output CSV must agree with the pane's own
 * classification (src/app/jobs/classify.ts computeClassification over the dense histories) and with
 * skuPolicy per SKU, per partition with the partition's cut-offs and grid from the model file.
 * On PostgreSQL and on DuckDB (CSV and Parquet files, the Parquet written by DuckDB in the test),
 * in-process and through the real `seg` launcher (a child process), and --publish against the
 * real backend started in-process (test/client/helpers/server.ts).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { computeClassification } from "../../src/app/jobs/classify";
import { defaultClassifyOptions } from "../../src/app/classifyTypes";
import type { ParsedTable } from "../../src/app/parse";
import { classifyCommand, parseArgs, parseCalendar } from "../../src/cli/main";
import { loadModel, type ModelFile } from "../../src/cli/model";
import { isCellError } from "../../src/engine/errors";
import { PATTERN_LABELS } from "../../src/engine/pattern";
import { skuPolicy } from "../../src/engine/policy";
import { SegApiClient } from "../../src/client/api";
import { startTestServer } from "../client/helpers/server";

const PG_URL = process.env.TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";

function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const P = 20;
const regions = ["EU", "US"];
interface Key {
  region: string;
  sku: string;
  cost: number;
  leadTime: number;
  h: Float64Array;
}
const rnd = lcg(77);
const keys: Key[] = [];
for (let k = 0; k < 120; k++) {
  const h = new Float64Array(P);
  const z = rnd() * 0.8;
  const scale = 1 + Math.floor(rnd() * 300);
  for (let j = 0; j < P; j++) h[j] = rnd() < z ? 0 : 1 + Math.floor(rnd() * scale);
  if (k === 5) h.fill(0);
  keys.push({ region: regions[k % 2], sku: `P${k}`, cost: 1 + Math.floor(rnd() * 5000) / 100, leadTime: 1 + Math.floor(rnd() * 6), h });
}
const periodRows = keys.flatMap((k) => Array.from(k.h, (q, j) => ({ region: k.region, sku: k.sku, period: 1 + j, quantity: q, unit_cost: k.cost, lead_time: k.leadTime })).filter((r) => r.quantity > 0 || r.period === 1 || r.period === P));

const model: ModelFile = {
  periodsPerYear: 52,
  partitions: {
    EU: { abcCutoffs: [0.7, 0.9], xyzCutoffs: [0.4, 0.9], grid: [{ segment: "AX", serviceLevel: 0.995 }] },
  },
};

const dir = mkdtempSync(path.join(tmpdir(), "seg-cli-"));
const modelPath = path.join(dir, "model.json");
writeFileSync(modelPath, JSON.stringify(model));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const csvPath = path.join(dir, "sales.csv");
writeFileSync(csvPath, "region,sku,period,quantity,unit_cost,lead_time\n" + periodRows.map((r) => [r.region, r.sku, r.period, r.quantity, r.unit_cost, r.lead_time].join(",")).join("\n") + "\n");
const FIXED_NOW = new Date("2024-03-01T12:00:00Z");
/**
 * Where outputs must agree to the last bit: DuckDB's parallel aggregation adds partial sums in a
 * varying order, so with several threads sums and variances may differ in their last bits from run
 * to run (docs/scale.md); one thread makes a run reproducible.
 */
const ONE_THREAD = ["--threads", "1"];

/** The output rows without the model version (which covers the source's description, so it differs between inputs). */
const withoutVersion = (rows: Record<string, string>[]) => rows.map(({ modelVersion: _mv, ...r }) => JSON.stringify(r)).sort();

/** Runs the real launcher (src/cli/seg.mjs) as `npx seg` would. */
function segProcess(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(__dirname, "../../src/cli/seg.mjs"), ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, stderr }));
  });
}

function readCsv(file: string): Record<string, string>[] {
  const lines = readFileSync(file, "utf8").trim().split("\n");
  const head = lines[0].split(",");
  return lines.slice(1).map((l) => {
    const cells: string[] = [];
    let cur = "";
    let q = false;
    for (let i = 0; i < l.length; i++) {
      const ch = l[i];
      if (q) {
        if (ch === '"' && l[i + 1] === '"') {
          cur += '"';
          i++;
        } else if (ch === '"') q = false;
        else cur += ch;
      } else if (ch === '"') q = true;
      else if (ch === ",") {
        cells.push(cur);
        cur = "";
      }
      else cur += ch;
    }
    cells.push(cur);
    return Object.fromEntries(head.map((h, i) => [h, cells[i]]));
  });
}

/** The pane's classification of one region's keys, with the region's model layer. */
function reference(region: string) {
  const ks = keys.filter((k) => k.region === region);
  const m = loadModel(model).resolve(region);
  const n = ks.length;
  const history = new Float64Array(n * P);
  ks.forEach((k, i) => history.set(k.h, i * P));
  const value = Float64Array.from(ks, (k) => (k.h.reduce((a, b) => a + b, 0) * k.cost * 52) / P);
  const parsed = {
    n,
    periods: P,
    sku: ks.map((k) => k.sku),
    value,
    history,
    pinned: new Uint8Array(n),
    currentClass: new Array(n).fill(null),
  } as unknown as ParsedTable;
  const res = computeClassification({ parsed, options: { ...defaultClassifyOptions(), ...m.options } });
  return { ks, res, m, value };
}

function check(out: Record<string, string>[], versionAt = "20240301T120000Z") {
  expect(out.length).toBe(keys.length);
  const byKey = new Map(out.map((r) => [`${r.region}|${r.sku}`, r]));
  let policies = 0;
  for (const region of regions) {
    const { ks, res, m, value } = reference(region);
    ks.forEach((k, i) => {
      const row = byKey.get(`${region}|${k.sku}`)!;
      expect(row.abc).toBe(res.abc[i]);
      expect(row.xyz).toBe(res.xyz[i]);
      expect(row.pattern).toBe(res.pattern[i]);
      expect(row.segment).toBe(res.segment[i]);
      // an inactive key is not ranked (no share), but its value is still written
      expect(Number(row.value)).toBeCloseTo(res.inactive[i] ? value[i] : res.share[i] * res.total, 6);
      if (res.cv[i] === res.cv[i]) expect(Number(row.cv)).toBeCloseTo(res.cv[i], 10);
      const g = m.grid.find((x) => x.segment === res.segment[i]);
      if (!g) return;
      // the pattern picks the demand distribution of an "auto" grid row, as in the pane's Policy step
      const pattern = PATTERN_LABELS.indexOf(res.pattern[i] as (typeof PATTERN_LABELS)[number]);
      const ref = skuPolicy(g, { demandMean: res.demandMean[i], demandSd: res.demandSd[i], pattern, leadTime: k.leadTime, orderQty: NaN, unitCost: k.cost }, m.policyOptions);
      if (isCellError(ref)) return;
      policies++;
      expect(Number(row.serviceLevel)).toBe(ref.serviceLevel);
      expect(Number(row.safetyStock)).toBeCloseTo(ref.safetyStock, 8);
      expect(Number(row.reorderPoint)).toBeCloseTo(ref.reorderPoint, 8);
      expect(Number(row.orderQty)).toBeCloseTo(ref.orderQty, 8);
    });
  }
  expect(policies).toBeGreaterThan(80);
  // the EU grid override is used for EU AX keys only
  const euAx = out.filter((r) => r.segment === "AX");
  for (const r of euAx) expect(Number(r.serviceLevel)).toBe(r.region === "EU" ? 0.995 : 0.98);
  expect(new Set(out.map((r) => r.modelVersion)).size).toBe(1);
  expect(out[0].modelVersion).toMatch(new RegExp(`^${versionAt}-[0-9a-f]{8}$`));
}

describe("seg classify", () => {
  test("PostgreSQL engine, regional cut-offs and grids in one run", async () => {
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    const schema = `seg_cli_${process.pid}_${Date.now().toString(36)}`;
    try {
      await client.query(`CREATE SCHEMA ${schema}`);
      await client.query(`CREATE TABLE ${schema}.sales (region text, sku text, period integer, quantity float8, unit_cost float8, lead_time float8)`);
      const col = <K extends keyof (typeof periodRows)[number]>(k: K) => periodRows.map((r) => r[k]);
      await client.query(`INSERT INTO ${schema}.sales SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::float8[], $5::float8[], $6::float8[])`, [
        col("region"),
        col("sku"),
        col("period"),
        col("quantity"),
        col("unit_cost"),
        col("lead_time"),
      ]);
      const out = path.join(dir, "pg.csv");
      const rep = await classifyCommand(parseArgs(["classify", "--engine", "postgres", "--pg-url", PG_URL, "--in", `${schema}.sales`, "--out", out, "--by", "region", "--config", modelPath, "--quiet"]), FIXED_NOW);
      expect(rep.partitions.map((p) => p.part)).toEqual(["EU", "US"]);
      const pgOut = readCsv(out);
      check(pgOut);
      // the temporary aggregate table is gone with the session; nothing else was left in the schema
      const left = await client.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1`, [schema]);
      expect(left.rows.map((r) => r.table_name)).toEqual(["sales"]);

      // DuckDB on the same rows (as a CSV file): the same classes, segments and policies
      const duckPath = path.join(dir, "duck-same.csv");
      await classifyCommand(parseArgs(["classify", "--in", csvPath, "--out", duckPath, "--by", "region", "--config", modelPath, "--quiet"]), FIXED_NOW);
      const duckOut = new Map(readCsv(duckPath).map((r) => [`${r.region}|${r.sku}`, r]));
      for (const p of pgOut) {
        const d = duckOut.get(`${p.region}|${p.sku}`)!;
        for (const [k, v] of Object.entries(p)) {
          if (k === "modelVersion") continue;
          const a = Number(v);
          if (v !== "" && a === a && Number.isFinite(a)) expect(Math.abs(Number(d[k]) - a)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(a)));
          else expect(`${k}=${d[k]}`).toBe(`${k}=${v}`);
        }
      }
    } finally {
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    }
  });

  test("DuckDB on a CSV and on a Parquet file give the same output", async () => {
    const outCsv = path.join(dir, "duck-csv.csv");
    await classifyCommand(parseArgs(["classify", "--in", csvPath, "--out", outCsv, "--by", "region", "--config", modelPath, "--quiet", ...ONE_THREAD]), FIXED_NOW);
    check(readCsv(outCsv));
    const { openDuckDb } = await import("../../src/cli/duckdb");
    const db = await openDuckDb();
    const parquet = path.join(dir, "sales.parquet");
    await db.connection.run(`COPY (SELECT * FROM read_csv('${csvPath}', header = true)) TO '${parquet}' (FORMAT parquet)`);
    db.close();
    const outPq = path.join(dir, "duck-pq.csv");
    await classifyCommand(parseArgs(["classify", "--in", parquet, "--out", outPq, "--by", "region", "--config", modelPath, "--quiet", ...ONE_THREAD]), FIXED_NOW);
    const pq = readCsv(outPq);
    check(pq);
    expect(withoutVersion(pq)).toEqual(withoutVersion(readCsv(outCsv)));
  });

  test("the seg launcher end to end on a small CSV and a small Parquet file (written by DuckDB in the test)", async () => {
    const { openDuckDb } = await import("../../src/cli/duckdb");
    const db = await openDuckDb();
    const parquet = path.join(dir, "launcher.parquet");
    // a Parquet of its own, with the period table typed as a real extract would be (INTEGER period, BIGINT quantity)
    await db.connection.run(
      `COPY (SELECT region, sku, CAST(period AS INTEGER) AS period, CAST(quantity AS BIGINT) AS quantity, unit_cost, lead_time FROM read_csv('${csvPath}', header = true)) TO '${parquet}' (FORMAT parquet, COMPRESSION zstd)`,
    );
    db.close();
    const inProcess = path.join(dir, "launcher-ref.csv");
    await classifyCommand(parseArgs(["classify", "--in", csvPath, "--out", inProcess, "--by", "region", "--config", modelPath, "--quiet", ...ONE_THREAD]), FIXED_NOW);
    for (const input of [csvPath, parquet]) {
      const out = path.join(dir, `launcher-${path.extname(input).slice(1)}.csv`);
      const r = await segProcess(["classify", "--in", input, "--out", out, "--by", "region", "--config", modelPath, ...ONE_THREAD]);
      expect(r.stderr).toContain("[seg] EU: 60 keys");
      expect(r.code).toBe(0);
      const rows = readCsv(out);
      check(rows, "\\d{8}T\\d{6}Z");
      expect(withoutVersion(rows)).toEqual(withoutVersion(readCsv(inProcess)));
    }
    const bad = await segProcess(["classify", "--in", csvPath]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("seg: --out: give the output file");
  }, 60_000);

  test("--publish sends one snapshot to the real backend, readable back with the CSV's values", async () => {
    const server = await startTestServer();
    try {
      const out = path.join(dir, "published.csv");
      const args = ["classify", "--in", csvPath, "--out", out, "--by", "region", "--config", modelPath, "--quiet", ...ONE_THREAD, "--publish", "--server", server.base, "--workbook", "wb-cli-1"];
      await expect(classifyCommand(parseArgs(args), FIXED_NOW)).rejects.toThrow("--publish: needs --server URL, --workbook ID and the token in SEG_TOKEN");
      process.env.SEG_TOKEN = server.tokens.planner;
      const rep = await classifyCommand(parseArgs(args), FIXED_NOW);
      expect(rep.notes).toContain(`published 120 items as wb-cli-1 ${rep.modelVersion} (created)`);
      const again = await classifyCommand(parseArgs(args), FIXED_NOW);
      expect(again.notes).toContain(`published 120 items as wb-cli-1 ${rep.modelVersion} (already there)`);
      const reader = new SegApiClient({ baseUrl: server.base, token: server.tokens.controller });
      const snap = await reader.getSnapshot("wb-cli-1", "latest", { limit: 500 });
      expect(snap.snapshot).toMatchObject({ modelVersion: rep.modelVersion, itemCount: 120, publishedBy: "alice" });
      expect(snap.parameters).toMatchObject({ by: "region" });
      const csv = new Map(readCsv(out).map((r) => [`${r.region}/${r.sku}`, r]));
      expect(snap.items).toHaveLength(120);
      expect(snap.items.filter((i) => i.segment === null).length).toBeGreaterThan(0);
      for (const it of snap.items) {
        const r = csv.get(it.sku)!;
        expect(r).toBeDefined();
        // the pane's conventions: no segment or xyz for keys without demand ("CN"), service level only for csl segments
        expect(it.segment ?? "").toBe(r.xyz === "N" ? "" : r.segment);
        expect(it.xyz ?? "").toBe(r.xyz === "N" ? "" : r.xyz);
        expect(it.abc ?? "").toBe(r.abc);
        expect(it.serviceLevel ?? "").toBe(r.method === "csl" ? Number(r.serviceLevel) : "");
        expect(it.safetyStock ?? "").toBe(r.safetyStock === "" ? "" : Number(r.safetyStock));
        expect(it.reorderPoint ?? "").toBe(r.reorderPoint === "" ? "" : Number(r.reorderPoint));
        expect(it.demandMean).toBe(Number(r.demandMean));
      }
    } finally {
      delete process.env.SEG_TOKEN;
      await server.cleanup();
    }
  });

  test("transactions CSV in a German locale with d.m.y dates, a duplicate and a return", async () => {
    const csv = path.join(dir, "tx.csv");
    writeFileSync(
      csv,
      [
        "Material;Posting Date;Quantity;Doc",
        "A;31.12.2020;1.000,5;d1",
        "A;03.01.2021;2;d2",
        "A;04.01.2021;3;d3",
        "A;04.01.2021;3;d3",
        "B;05.01.2021;-4;d4",
        "B;05.01.2021;7;d5",
        "B;30.02.2021;7;d6",
      ].join("\n"),
    );
    const out = path.join(dir, "tx-out.csv");
    const rep = await classifyCommand(
      parseArgs(["classify", "--in", csv, "--out", out, "--calendar", "isoWeek", "--date-format", "dmy", "--locale", "de", "--col", "sku=Material", "--col", "date=Posting Date", "--col", "transaction_id=Doc", "--quiet"]),
    );
    expect(rep.notes.join("\n")).toContain('row 5: transaction id "d3" already appears in row 4');
    expect(rep.notes.join("\n")).toContain('row 8: date "30.02.2021" does not exist as d/m/yyyy');
    const rows = readCsv(out);
    const a = rows.find((r) => r.sku === "A")!;
    expect(Number(a.demandMean)).toBeCloseTo((1000.5 + 2 + 3) / 2, 9); // 2020-W53 and 2021-W01
  });

  test("bad arguments name the flag", async () => {
    await expect(classifyCommand(parseArgs(["classify", "--out", "x.csv"]))).rejects.toThrow("--in: give the input file");
    expect(() => parseCalendar("weekly-ish")).toThrow('--calendar: "weekly-ish" is not a calendar');
    expect(parseCalendar("4-4-5:9:6:last")).toEqual({ kind: "fiscalWeeks", pattern: "4-4-5", yearEndMonth: 9, weekEndDay: 6, rule: "last", yearLabel: "end" });
    expect(() => loadModel({ partitions: { EU: { abcCutoffs: [0.9, 0.8] } } })).toThrow("partitions.EU.cutoffs");
  });
});
