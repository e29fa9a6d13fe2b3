/**
 * The aggregation on PostgreSQL (src/cli/sql.ts text, unchanged): it runs once into a temporary
 * table, and each pass of the job (src/cli/classify.ts) reads that table through a server-side
 * cursor in chunks, ORDER BY part, sku, location, so that both passes see the same order and
 * millions of keys stream. Used by `seg classify --engine postgres` for data that already lives
 * in PostgreSQL, and by the DuckDB-vs-PostgreSQL tests.
 */
import pg from "pg";
import type { AggColumn, AggregateChunk, AggregateSource, AggNumeric } from "./classify";
import { AGGREGATE_COLUMNS, aggregateSql, periodRangeSql } from "./sql";

export const CHUNK_ROWS = 50_000;

const TEXT = new Set(["part", "sku", "location"]);

function toChunk(rows: Record<string, unknown>[], columns: readonly string[]): AggregateChunk {
  const n = rows.length;
  const chunk: AggregateChunk = { rows: n, part: [], num: {} };
  for (const c of columns) {
    if (TEXT.has(c)) {
      const out = new Array<string>(n);
      for (let i = 0; i < n; i++) out[i] = String(rows[i][c] ?? "");
      if (c === "part") chunk.part = out;
      else if (c === "sku") chunk.sku = out;
      else chunk.location = out;
    } else {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const v = rows[i][c];
        out[i] = v === null || v === undefined ? Number.NaN : Number(v);
      }
      chunk.num[c as AggNumeric] = out;
    }
  }
  return chunk;
}

/** Aggregates of `relation` (a table or view in the period shape) on a PostgreSQL connection. */
export async function postgresAggregates(client: pg.ClientBase, relation: string): Promise<AggregateSource & { drop(): Promise<void> }> {
  const range = (await client.query(periodRangeSql(relation))).rows[0] as { first_period: number | null; last_period: number | null };
  if (range.first_period === null || range.last_period === null) throw new Error(`${relation} has no rows`);
  const periods = range.last_period - range.first_period + 1;
  const table = `seg_agg_${process.pid}_${Date.now().toString(36)}`;
  let made = false;
  return {
    periods,
    periodRange: `${range.first_period}..${range.last_period}`,
    async drop() {
      if (made) await client.query(`DROP TABLE IF EXISTS ${table}`);
    },
    async *chunks(columns: readonly AggColumn[]) {
      if (!made) {
        await client.query(`CREATE TEMP TABLE ${table} AS ${aggregateSql(relation, false)}`);
        made = true;
      }
      const wanted = AGGREGATE_COLUMNS.filter((c) => columns.includes(c as AggColumn));
      const cursor = `${table}_c`;
      await client.query("BEGIN");
      try {
        await client.query(`DECLARE ${cursor} NO SCROLL CURSOR FOR SELECT ${wanted.join(", ")} FROM ${table} ORDER BY part, sku, location`);
        for (;;) {
          const r = await client.query(`FETCH ${CHUNK_ROWS} FROM ${cursor}`);
          if (r.rows.length === 0) break;
          yield toChunk(r.rows, wanted);
        }
        await client.query(`CLOSE ${cursor}`);
      } finally {
        await client.query("COMMIT");
      }
    },
  };
}

/** All aggregate rows of `relation` as plain objects (tests). */
export async function postgresAggregateRows(client: pg.ClientBase, relation: string): Promise<Record<string, unknown>[]> {
  return (await client.query(aggregateSql(relation))).rows;
}
