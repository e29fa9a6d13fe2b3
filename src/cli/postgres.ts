/**
 * The aggregation on PostgreSQL (src/cli/sql.ts text, unchanged), read through a server-side
 * cursor in chunks so that millions of keys stream. Used by `seg classify --engine postgres` for
 * data that already lives in PostgreSQL, and by the DuckDB-vs-PostgreSQL test.
 */
import pg from "pg";
import type { AggregateChunk, AggregateSource, AggNumeric } from "./classify";
import { AGG_NUMERIC } from "./classify";
import { aggregateSql, periodRangeSql } from "./sql";

export const CHUNK_ROWS = 50_000;

function toChunk(rows: Record<string, unknown>[]): AggregateChunk {
  const n = rows.length;
  const num = {} as Record<AggNumeric, Float64Array>;
  for (const c of AGG_NUMERIC) num[c] = new Float64Array(n);
  const part = new Array<string>(n);
  const sku = new Array<string>(n);
  const location = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    part[i] = String(r.part ?? "");
    sku[i] = String(r.sku ?? "");
    location[i] = String(r.location ?? "");
    for (const c of AGG_NUMERIC) {
      const v = r[c];
      num[c][i] = v === null || v === undefined ? Number.NaN : Number(v);
    }
  }
  return { rows: n, part, sku, location, num };
}

/** Aggregates of `relation` (a table or view in the period shape) on a PostgreSQL connection. */
export async function postgresAggregates(client: pg.ClientBase, relation: string): Promise<AggregateSource> {
  const range = (await client.query(periodRangeSql(relation))).rows[0] as { first_period: number | null; last_period: number | null };
  if (range.first_period === null || range.last_period === null) throw new Error(`${relation} has no rows`);
  const periods = range.last_period - range.first_period + 1;
  return {
    periods,
    periodRange: `${range.first_period}..${range.last_period}`,
    async *chunks() {
      const cursor = `seg_agg_${Date.now().toString(36)}`;
      await client.query("BEGIN");
      try {
        await client.query(`DECLARE ${cursor} NO SCROLL CURSOR FOR ${aggregateSql(relation)}`);
        for (;;) {
          const r = await client.query(`FETCH ${CHUNK_ROWS} FROM ${cursor}`);
          if (r.rows.length === 0) break;
          yield toChunk(r.rows);
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
