/**
 * The aggregation on embedded DuckDB (@duckdb/node-api): the input file (Parquet or CSV) becomes
 * a view in the period shape (src/cli/sql.ts periodViewSelect), the portable aggregation runs over
 * it, and the result streams back in DuckDB's data chunks (2,048 rows each), gathered into larger
 * chunks for the engine.
 *
 * DuckDB is loaded with a dynamic import of a computed name, so that neither TypeScript nor
 * webpack pulls the native module into the pane: it is a CLI/server-side dependency only.
 */
import { AGG_NUMERIC, type AggregateChunk, type AggregateSource, type AggNumeric } from "./classify";
import { AGGREGATE_COLUMNS, aggregateSql, periodRangeSql, quoteLiteral } from "./sql";

/** The small part of @duckdb/node-api used here. */
interface DuckValue {
  toString(): string;
}
interface DuckChunk {
  rowCount: number;
  getColumnValues(i: number): unknown[];
}
interface DuckResult {
  fetchChunk(): Promise<DuckChunk | null>;
  columnNames(): string[];
}
interface DuckReader {
  getRowObjectsJS(): Record<string, unknown>[];
}
export interface DuckConnection {
  run(sql: string): Promise<unknown>;
  stream(sql: string): Promise<DuckResult>;
  runAndReadAll(sql: string): Promise<DuckReader>;
  closeSync(): void;
}
interface DuckInstance {
  connect(): Promise<DuckConnection>;
  closeSync(): void;
}
interface DuckModule {
  DuckDBInstance: { create(path?: string, options?: Record<string, string>): Promise<DuckInstance> };
}

const MODULE = "@duckdb/node-api";

export async function openDuckDb(options: { threads?: number; memoryLimit?: string; tempDirectory?: string } = {}): Promise<{ connection: DuckConnection; close(): void }> {
  let mod: DuckModule;
  try {
    mod = (await import(MODULE)) as DuckModule;
  } catch (e) {
    throw new Error(`DuckDB is not installed (npm install ${MODULE}): ${(e as Error).message}`);
  }
  const config: Record<string, string> = {};
  if (options.threads) config.threads = String(options.threads);
  if (options.memoryLimit) config.memory_limit = options.memoryLimit;
  if (options.tempDirectory) config.temp_directory = options.tempDirectory;
  const instance = await mod.DuckDBInstance.create(":memory:", config);
  const connection = await instance.connect();
  return {
    connection,
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** DuckDB's reader for a file: read_parquet for .parquet, read_csv (header, auto types) otherwise. */
export function fileRelation(path: string): string {
  return /\.parquet$/i.test(path) ? `read_parquet(${quoteLiteral(path)})` : `read_csv(${quoteLiteral(path)}, header = true)`;
}

/** Column names and types of a relation. */
export async function describe(connection: DuckConnection, relation: string): Promise<{ name: string; type: string }[]> {
  const rows = (await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${relation}`)).getRowObjectsJS();
  return rows.map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
}

export async function rows(connection: DuckConnection, sql: string): Promise<Record<string, unknown>[]> {
  return (await connection.runAndReadAll(sql)).getRowObjectsJS();
}

function num(v: unknown): number {
  if (v === null || v === undefined) return Number.NaN;
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  return Number((v as DuckValue).toString());
}

/** Aggregates of `relation` (period shape) streamed in chunks of about chunkRows keys. */
export async function duckAggregates(connection: DuckConnection, relation: string, ordered = true, chunkRows = 65_536): Promise<AggregateSource> {
  const range = (await rows(connection, periodRangeSql(relation)))[0];
  const first = num(range.first_period);
  const last = num(range.last_period);
  if (!(first === first && last === last)) throw new Error("the input has no rows");
  return {
    periods: last - first + 1,
    periodRange: `${first}..${last}`,
    async *chunks() {
      const result = await connection.stream(aggregateSql(relation, ordered));
      const names = result.columnNames();
      const index = AGGREGATE_COLUMNS.map((c) => names.indexOf(c));
      let pending: DuckChunk[] = [];
      let count = 0;
      const build = (): AggregateChunk => {
        const n = count;
        const numCols = {} as Record<AggNumeric, Float64Array>;
        for (const c of AGG_NUMERIC) numCols[c] = new Float64Array(n);
        const part = new Array<string>(n);
        const sku = new Array<string>(n);
        const location = new Array<string>(n);
        let k = 0;
        for (const ch of pending) {
          const m = ch.rowCount;
          const p = ch.getColumnValues(index[0]);
          const s = ch.getColumnValues(index[1]);
          const l = ch.getColumnValues(index[2]);
          for (let i = 0; i < m; i++) {
            part[k + i] = String(p[i] ?? "");
            sku[k + i] = String(s[i] ?? "");
            location[k + i] = String(l[i] ?? "");
          }
          for (let c = 0; c < AGG_NUMERIC.length; c++) {
            const v = ch.getColumnValues(index[3 + c]);
            const out = numCols[AGG_NUMERIC[c]];
            for (let i = 0; i < m; i++) out[k + i] = num(v[i]);
          }
          k += m;
        }
        pending = [];
        count = 0;
        return { rows: n, part, sku, location, num: numCols };
      };
      for (;;) {
        const ch = await result.fetchChunk();
        if (!ch || ch.rowCount === 0) break;
        pending.push(ch);
        count += ch.rowCount;
        if (count >= chunkRows) yield build();
      }
      if (count > 0) yield build();
    },
  };
}
