/**
 * The DuckDB source read directly from its vectors (src/cli/duckdb.ts readDoubles/readStrings)
 * against the library's own per-item conversion (getColumnValues) on real DuckDB results, and the
 * two-pass contract of classifyAggregates (src/cli/classify.ts): both passes in the same order,
 * partitions in any order, a source that changes between passes stops the run, and the key count
 * is known before any row is written.
 */
import { classifyAggregates, type AggregateChunk, type AggregateSource, type AggColumn, AGG_NUMERIC } from "../../src/cli/classify";
import { duckAggregates, openDuckDb, readDoubles, readStrings, rows as duckRows } from "../../src/cli/duckdb";
import { loadModel } from "../../src/cli/model";

type Db = Awaited<ReturnType<typeof openDuckDb>>;
let db: Db;
beforeAll(async () => {
  db = await openDuckDb({ threads: 2 });
});
afterAll(() => db.close());

describe("reading DuckDB vectors", () => {
  test("doubles and strings equal the library's getColumnValues, NULLs as NaN and empty text", async () => {
    // 5,000 rows: three data chunks; NULLs at chunk and 64-bit-word edges; inline (<= 12 bytes),
    // long and non-ASCII strings; a short column repeating a few values (the cache)
    const sql = `SELECT
        CASE WHEN i IN (0, 31, 32, 63, 64, 2047, 2048, 4999) THEN NULL ELSE i * 0.25 - 100 END::DOUBLE AS x,
        CASE WHEN i % 7 = 3 THEN NULL WHEN i % 5 = 0 THEN 'Müller-' || i WHEN i % 5 = 1 THEN 'SKU-0000000000' || i
             WHEN i % 5 = 2 THEN '' WHEN i % 11 = 0 THEN '日本' ELSE 'S' || i END AS s,
        ['DC1', 'DC2', 'EU', 'L0'][1 + i % 4] AS loc,
        CASE WHEN i % 3 = 0 THEN 'abcdefghijkl' ELSE 'abcdefghijklm' END AS edge
      FROM range(5000) t(i)`;
    const result = await db.connection.stream(sql);
    let seen = 0;
    const cache = new Map<number, string>();
    for (;;) {
      const ch = await result.fetchChunk();
      if (!ch || ch.rowCount === 0) break;
      const n = ch.rowCount;
      const x = new Float64Array(n);
      readDoubles(ch.getColumnVector(0) as never, n, x, 0);
      const ref = ch.getColumnValues(0);
      for (let i = 0; i < n; i++) expect(ref[i] === null ? Number.isNaN(x[i]) : x[i] === ref[i]).toBe(true);
      for (let c = 1; c <= 3; c++) {
        const out = new Array<string>(n);
        readStrings(ch.getColumnVector(c) as never, n, out, 0, cache);
        expect(out).toEqual(ch.getColumnValues(c).map((v) => (v === null ? "" : String(v))));
      }
      seen += n;
    }
    expect(seen).toBe(5000);
    // the cache holds short strings only
    expect([...cache.values()].every((s) => s.length <= 6)).toBe(true);
    expect(cache.size).toBeGreaterThan(4);
  });
});

describe("DuckDB aggregate source", () => {
  test("both passes read the aggregate table in the same order; partitions come in runs; drop() removes it", async () => {
    await db.connection.run(`CREATE OR REPLACE TABLE periods AS SELECT ['EU', 'US', 'APAC'][1 + (k % 3)] AS part, 'S' || k AS sku, 'L' || (k % 2) AS location,
        CAST(p AS INTEGER) AS period, CAST((k * 31 + p * 7) % 13 AS DOUBLE) AS quantity, NULL::DOUBLE AS value, CAST(1 + k % 9 AS DOUBLE) AS unit_cost,
        NULL::DOUBLE AS lead_time, NULL::DOUBLE AS lead_time_sd, NULL::DOUBLE AS order_qty
      FROM range(9000) t(k), range(12) u(p)`);
    const src = await duckAggregates(db.connection, "periods", true);
    expect(src.periods).toBe(12);
    const read = async (cols: readonly AggColumn[]) => {
      const parts: string[] = [];
      const skus: string[] = [];
      for await (const c of src.chunks(cols)) {
        parts.push(...c.part);
        if (c.sku) skus.push(...c.sku);
      }
      return { parts, skus };
    };
    const one = await read(["part", "n_rows"]);
    const two = await read(["part", "sku", "location", ...AGG_NUMERIC]);
    const three = await read(["part", "sku", "location", ...AGG_NUMERIC]);
    expect(one.parts).toHaveLength(9000);
    expect(two.parts).toEqual(one.parts);
    expect(three.skus).toEqual(two.skus);
    const runs = one.parts.filter((p, i) => i === 0 || p !== one.parts[i - 1]);
    expect(runs).toEqual(["APAC", "EU", "US"]);
    const tables = async () => (await duckRows(db.connection, "SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'seg_agg_%'")).length;
    expect(await tables()).toBe(1);
    await src.drop();
    expect(await tables()).toBe(0);
  });
});

/** A fake source over fixed aggregate rows (dense histories of P periods, so every row is present). */
function fakeSource(keys: { part: string; sku: string; h: number[]; cost: number }[], P: number, changeOnPass2 = false): AggregateSource {
  let pass = 0;
  return {
    periods: P,
    periodRange: `1..${P}`,
    async *chunks() {
      pass++;
      const list = changeOnPass2 && pass === 2 ? keys.slice(1) : keys;
      for (let at = 0; at < list.length; at += 7) {
        const ks = list.slice(at, at + 7);
        const n = ks.length;
        const col = (f: (k: (typeof ks)[number]) => number) => Float64Array.from(ks, f);
        const mean = (h: number[]) => h.reduce((a, b) => a + b, 0) / h.length;
        const nz = (h: number[]) => h.filter((v) => v > 0);
        const vp = (h: number[]) => (h.length ? h.reduce((a, v) => a + (v - mean(h)) ** 2, 0) / h.length : 0);
        const chunk: AggregateChunk = {
          rows: n,
          part: ks.map((k) => k.part),
          sku: ks.map((k) => k.sku),
          location: ks.map(() => ""),
          num: {
            n_rows: col(() => P),
            qty_sum: col((k) => k.h.reduce((a, b) => a + b, 0)),
            qty_var: col((k) => vp(k.h)),
            nz_count: col((k) => nz(k.h).length),
            nz_sum: col((k) => nz(k.h).reduce((a, b) => a + b, 0)),
            nz_var: col((k) => vp(nz(k.h))),
            first_nz: col((k) => (nz(k.h).length ? k.h.findIndex((v) => v > 0) : Number.NaN)),
            last_nz: col((k) => (nz(k.h).length ? k.h.length - 1 - [...k.h].reverse().findIndex((v) => v > 0) : Number.NaN)),
            neg_rows: col(() => 0),
            value_sum: col((k) => k.h.reduce((a, b) => a + b, 0) * k.cost),
            unit_cost: col((k) => k.cost),
            lead_time: col(() => 2),
            lead_time_sd: col(() => Number.NaN),
            order_qty: col(() => Number.NaN),
          },
        };
        yield chunk;
      }
    },
  };
}

function lcg(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

describe("classifyAggregates over two passes", () => {
  const r = lcg(99);
  const P = 10;
  const keys = Array.from({ length: 60 }, (_, i) => ({
    part: ["EU", "US", "APAC"][Math.floor(r() * 3)],
    sku: `K${i}`,
    h: Array.from({ length: P }, () => (r() < 0.3 ? 0 : Math.floor(r() * 50))),
    cost: 1 + Math.floor(r() * 20),
  }));
  const model = loadModel({ partitions: { US: { abcCutoffs: [0.6, 0.9] } } });
  const run = async (src: AggregateSource, extra = {}) => {
    const rows: string[] = [];
    const summaries = await classifyAggregates(src, { write: (row) => void rows.push(row.join(",")) }, { resolve: model.resolve, modelVersion: "v1", ...extra });
    return { rows, summaries };
  };

  test("partitions interleaved give the same rows as partitions in runs", async () => {
    const sorted = [...keys].sort((a, b) => (a.part < b.part ? -1 : a.part > b.part ? 1 : 0));
    const mixed = await run(fakeSource(keys, P));
    const runs = await run(fakeSource(sorted, P));
    expect(mixed.rows.length).toBe(60);
    expect([...mixed.rows].sort()).toEqual([...runs.rows].sort());
    expect(runs.summaries.map((s) => s.part)).toEqual(["APAC", "EU", "US"]);
    for (const s of runs.summaries) expect(s.skus).toBe(keys.filter((k) => k.part === s.part).length);
  });

  test("a source that gives other rows on the second pass stops the run", async () => {
    await expect(run(fakeSource(keys, P, true))).rejects.toThrow(/keys in the first pass and \d+ in the second: the source changed during the run/);
  });

  test("the key count is known before any row is written (onCounted may stop the run)", async () => {
    const written: number[] = [];
    const src = fakeSource(keys, P);
    await expect(
      classifyAggregates(src, { write: () => void written.push(1) }, {
        resolve: model.resolve,
        modelVersion: "v1",
        onCounted: (n) => {
          throw new Error(`refused: ${n} keys`);
        },
      }),
    ).rejects.toThrow("refused: 60 keys");
    expect(written).toEqual([]);
  });
});
