/**
 * seg classify end to end on small inputs: the output CSV must agree with the pane's own
 * classification (src/app/classifyJob.ts computeClassification over the dense histories) and with
 * skuPolicy per SKU, per partition with the partition's cut-offs and grid from the model file.
 * PostgreSQL engine always; DuckDB on CSV and Parquet files when @duckdb/node-api is installed.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { computeClassification } from "../../src/app/classifyJob";
import { defaultClassifyOptions } from "../../src/app/classifyTypes";
import type { ParsedTable } from "../../src/app/parse";
import { classifyCommand, parseArgs, parseCalendar } from "../../src/cli/main";
import { loadModel, type ModelFile } from "../../src/cli/model";
import { isCellError } from "../../src/engine/errors";
import { skuPolicy } from "../../src/engine/policy";

const PG_URL = process.env.TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";
let duckAvailable = true;
try {
  require.resolve("@duckdb/node-api");
} catch {
  duckAvailable = false;
}

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
  return { ks, res, m };
}

function check(out: Record<string, string>[]) {
  expect(out.length).toBe(keys.length);
  const byKey = new Map(out.map((r) => [`${r.region}|${r.sku}`, r]));
  let policies = 0;
  for (const region of regions) {
    const { ks, res, m } = reference(region);
    ks.forEach((k, i) => {
      const row = byKey.get(`${region}|${k.sku}`)!;
      expect(row.abc).toBe(res.abc[i]);
      expect(row.xyz).toBe(res.xyz[i]);
      expect(row.pattern).toBe(res.pattern[i]);
      expect(row.segment).toBe(res.segment[i]);
      expect(Number(row.value)).toBeCloseTo(res.share[i] * res.total, 6);
      if (res.cv[i] === res.cv[i]) expect(Number(row.cv)).toBeCloseTo(res.cv[i], 10);
      const g = m.grid.find((x) => x.segment === res.segment[i]);
      if (!g) return;
      const ref = skuPolicy(g, { demandMean: res.demandMean[i], demandSd: res.demandSd[i], leadTime: k.leadTime, orderQty: NaN, unitCost: k.cost }, m.policyOptions);
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
  expect(out[0].modelVersion).toMatch(/^20240301T120000Z-[0-9a-f]{8}$/);
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
      const rep = await classifyCommand(parseArgs(["classify", "--engine", "postgres", "--pg-url", PG_URL, "--in", `${schema}.sales`, "--out", out, "--by", "region", "--config", modelPath, "--quiet"]), new Date("2024-03-01T12:00:00Z"));
      expect(rep.partitions.map((p) => p.part)).toEqual(["EU", "US"]);
      check(readCsv(out));
    } finally {
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    }
  });

  (duckAvailable ? test : test.skip)("DuckDB on a CSV and on a Parquet file give the same output", async () => {
    const csv = path.join(dir, "sales.csv");
    writeFileSync(csv, "region,sku,period,quantity,unit_cost,lead_time\n" + periodRows.map((r) => [r.region, r.sku, r.period, r.quantity, r.unit_cost, r.lead_time].join(",")).join("\n") + "\n");
    const outCsv = path.join(dir, "duck-csv.csv");
    await classifyCommand(parseArgs(["classify", "--in", csv, "--out", outCsv, "--by", "region", "--config", modelPath, "--quiet"]), new Date("2024-03-01T12:00:00Z"));
    check(readCsv(outCsv));
    const { openDuckDb } = await import("../../src/cli/duckdb");
    const db = await openDuckDb();
    const parquet = path.join(dir, "sales.parquet");
    await db.connection.run(`COPY (SELECT * FROM read_csv('${csv}', header = true)) TO '${parquet}' (FORMAT parquet)`);
    db.close();
    const outPq = path.join(dir, "duck-pq.csv");
    await classifyCommand(parseArgs(["classify", "--in", parquet, "--out", outPq, "--by", "region", "--config", modelPath, "--quiet"]), new Date("2024-03-01T12:00:00Z"));
    const sort = (rows: Record<string, string>[]) => rows.map((r) => JSON.stringify(r)).sort();
    expect(sort(readCsv(outPq))).toEqual(sort(readCsv(outCsv)));
  });

  (duckAvailable ? test : test.skip)("transactions CSV in a German locale with d.m.y dates, a duplicate and a return", async () => {
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
