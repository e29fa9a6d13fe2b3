/**
 * The aggregation SQL (src/cli/sql.ts) on PostgreSQL and DuckDB: the same text on the same rows
 * gives the same aggregates (counts and integer sums exactly, variances to 1e-12 relative), and
 * both agree with the TypeScript aggregation of the dense histories (src/engine/aggregates.ts).
 * PostgreSQL: TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), in a schema of
 * its own that is dropped afterwards.
 */
import pg from "pg";
import { aggregateHistory } from "../../src/engine/aggregates";
import { AGG_NUMERIC } from "../../src/cli/classify";
import { openDuckDb, rows as duckRows } from "../../src/cli/duckdb";
import { postgresAggregateRows } from "../../src/cli/postgres";

const PG_URL = process.env.TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";

function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

// 300 keys (3 parts x sku x location) x 26 periods; about half the zero periods are left out of the table
const P = 26;
interface Row {
  part: string;
  sku: string;
  location: string;
  period: number;
  quantity: number;
  unit_cost: number;
}
const r = lcg(4242);
const data: Row[] = [];
const dense = new Map<string, Float64Array>();
for (let k = 0; k < 300; k++) {
  const part = ["EU", "US", "APAC"][k % 3];
  const sku = `S${String(Math.floor(k / 2)).padStart(3, "0")}`;
  const location = k % 2 ? "DC2" : "DC1";
  const h = new Float64Array(P);
  const zeroShare = r();
  const cost = Math.round(r() * 1000) / 100;
  for (let j = 0; j < P; j++) {
    const q = r() < zeroShare ? 0 : 1 + Math.floor(r() * 200);
    h[j] = q;
    if (q > 0 || r() < 0.5) data.push({ part, sku, location, period: 100 + j, quantity: q, unit_cost: cost });
  }
  // the grid is 100..125: make sure both ends are present somewhere
  dense.set(`${part}|${sku}|${location}`, h);
}
data.push({ part: "EU", sku: "Z", location: "", period: 100, quantity: 0, unit_cost: 1 }, { part: "EU", sku: "Z", location: "", period: 125, quantity: 0, unit_cost: 1 });
dense.set("EU|Z|", new Float64Array(P));

const key = (x: Record<string, unknown>) => `${x.part}|${x.sku}|${x.location}`;
const byKey = (rows: Record<string, unknown>[]) => new Map(rows.map((x) => [key(x), x]));

let client: pg.Client;
const schema = `seg_sql_${process.pid}_${Date.now().toString(36)}`;
let pgRows: Record<string, unknown>[] = [];

beforeAll(async () => {
  client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  await client.query(`CREATE SCHEMA ${schema}`);
  await client.query(`CREATE TABLE ${schema}.demand (part text, sku text, location text, period integer, quantity float8, value float8, unit_cost float8, lead_time float8, lead_time_sd float8, order_qty float8)`);
  await client.query(
    `INSERT INTO ${schema}.demand (part, sku, location, period, quantity, unit_cost) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::float8[], $6::float8[])`,
    [data.map((d) => d.part), data.map((d) => d.sku), data.map((d) => d.location), data.map((d) => d.period), data.map((d) => d.quantity), data.map((d) => d.unit_cost)],
  );
  pgRows = await postgresAggregateRows(client, `${schema}.demand`);
});
afterAll(async () => {
  await client.query(`DROP SCHEMA ${schema} CASCADE`);
  await client.end();
});

describe("aggregation SQL", () => {
  test("PostgreSQL = the TypeScript aggregation of the dense histories", () => {
    expect(pgRows.length).toBe(dense.size);
    const m = byKey(pgRows);
    for (const [k, h] of dense) {
      const row = m.get(k)!;
      const a = aggregateHistory(h, 1, P);
      // the SQL sees only the present rows; compare what does not depend on that
      expect(row.qty_sum).toBe(a.sum[0]);
      expect(row.nz_count).toBe(a.nzCount[0]);
      expect(row.nz_sum).toBe(a.nzSum[0]);
      expect(row.nz_var as number).toBeCloseTo(a.nzVarPop[0], 8);
      expect(Number.isNaN(a.firstNz[0]) ? null : a.firstNz[0] + 100).toBe(row.first_nz);
      expect(Number.isNaN(a.lastNz[0]) ? null : a.lastNz[0] + 100).toBe(row.last_nz);
    }
  });
  test("DuckDB gives the same aggregates as PostgreSQL for the same SQL", async () => {
    const db = await openDuckDb({ threads: 1 });
    try {
      await db.connection.run("CREATE TABLE demand (part VARCHAR, sku VARCHAR, location VARCHAR, period INTEGER, quantity DOUBLE, value DOUBLE, unit_cost DOUBLE, lead_time DOUBLE, lead_time_sd DOUBLE, order_qty DOUBLE)");
      const values = data.map((d) => `('${d.part}','${d.sku}','${d.location}',${d.period},${d.quantity},NULL,${d.unit_cost},NULL,NULL,NULL)`);
      for (let i = 0; i < values.length; i += 1000) await db.connection.run(`INSERT INTO demand VALUES ${values.slice(i, i + 1000).join(",")}`);
      const { aggregateSql } = await import("../../src/cli/sql");
      const duck = byKey(await duckRows(db.connection, aggregateSql("demand")));
      expect(duck.size).toBe(pgRows.length);
      for (const p of pgRows) {
        const d = duck.get(key(p))!;
        for (const c of AGG_NUMERIC) {
          const a = p[c] === null ? null : Number(p[c]);
          const b = d[c] === null ? null : Number(d[c]);
          if (c === "qty_var" || c === "nz_var" || c === "value_sum") {
            if (a === null) expect(b).toBeNull();
            else expect(Math.abs((b as number) - a)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(a)));
          } else expect(b).toBe(a);
        }
      }
    } finally {
      db.close();
    }
  });
});
