/**
 * The aggregation on embedded DuckDB (@duckdb/node-api): the input file (Parquet or CSV) becomes
 * a view in the period shape (src/cli/sql.ts periodViewSelect), the portable aggregation runs over
 * it into a temporary table, and both passes of the job (src/cli/classify.ts) read that table back
 * in DuckDB's data chunks (2,048 rows each).
 *
 * DuckDB is loaded with a dynamic import of a computed name, so that neither TypeScript nor
 * webpack pulls the native module into the pane: it is a CLI/server-side dependency only.
 */
import type { AggColumn, AggregateChunk, AggregateSource, AggNumeric } from "./classify";
import { AGGREGATE_COLUMNS, aggregateSql, periodRangeSql, quoteLiteral } from "./sql";

/** The small part of @duckdb/node-api used here. */
interface DuckValue {
  toString(): string;
}
interface DuckChunk {
  rowCount: number;
  getColumnValues(i: number): unknown[];
  getColumnVector(i: number): unknown;
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
  config.preserve_insertion_order = "true"; // both passes read the aggregate table in the same order
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

/**
 * The parts of @duckdb/node-api's vectors read directly (DuckDBDoubleVector.items, the validity
 * bitmap, DuckDBVarCharVector.dataView): per-item getItem() builds a BigInt per validity check and a
 * TextDecoder call per string, which dominated the read-out of 10 M aggregate rows. Anything of
 * another shape goes through getItem().
 */
interface RawVector {
  items?: unknown;
  dataView?: DataView;
  validity?: { data: BigUint64Array | null; offset: number };
  getItem(i: number): unknown;
}

/** Validity as 32-bit words (little-endian bit order of DuckDB's uint64 masks), or null when all rows are valid. */
function validWords(v: RawVector): { words: Uint32Array; offset: number } | null {
  const d = v.validity?.data;
  if (!d) return null;
  return { words: new Uint32Array(d.buffer, d.byteOffset, d.length * 2), offset: v.validity!.offset };
}

/** Copies a DOUBLE vector into out[at..at+n), NULL as NaN. */
export function readDoubles(v: RawVector, n: number, out: Float64Array, at: number): void {
  if (v.items instanceof Float64Array && v.items.length >= n) {
    out.set(v.items.subarray(0, n), at);
    const w = validWords(v);
    if (w) {
      for (let i = 0; i < n; i++) {
        const b = w.offset + i;
        if (((w.words[b >>> 5] >>> (b & 31)) & 1) === 0) out[at + i] = Number.NaN;
      }
    }
    return;
  }
  for (let i = 0; i < n; i++) out[at + i] = num(v.getItem(i));
}

/**
 * Reads a VARCHAR vector into out[at..at+n) (NULL as ""). DuckDB stores a string of up to 12 bytes
 * inline in its 16-byte slot (length, then the bytes); such ASCII strings are built here without a
 * TextDecoder, and those of up to 6 bytes are shared through `cache` (a partition or location column
 * repeats a few values millions of times). Longer or non-ASCII strings go through getItem().
 */
export function readStrings(v: RawVector, n: number, out: string[], at: number, cache: Map<number, string>): void {
  const dv = v.dataView;
  if (!(dv instanceof DataView) || dv.byteLength < n * 16) {
    for (let i = 0; i < n; i++) {
      const x = v.getItem(i);
      out[at + i] = x === null || x === undefined ? "" : String(x);
    }
    return;
  }
  const bytes = new Uint8Array(dv.buffer, dv.byteOffset, n * 16);
  const w = validWords(v);
  for (let i = 0; i < n; i++) {
    if (w) {
      const b = w.offset + i;
      if (((w.words[b >>> 5] >>> (b & 31)) & 1) === 0) {
        out[at + i] = "";
        continue;
      }
    }
    const off = i * 16;
    const len = dv.getUint32(off, true);
    if (len > 12) {
      out[at + i] = String(v.getItem(i));
      continue;
    }
    let key = 0;
    let ascii = true;
    for (let j = 0; j < len; j++) {
      const c = bytes[off + 4 + j];
      if (c > 127) ascii = false;
      if (j < 6) key = key * 256 + c;
    }
    if (!ascii) {
      out[at + i] = String(v.getItem(i));
      continue;
    }
    key = key * 8 + len;
    if (len <= 6) {
      const hit = cache.get(key);
      if (hit !== undefined) {
        out[at + i] = hit;
        continue;
      }
    }
    let s = "";
    for (let j = 0; j < len; j++) s += String.fromCharCode(bytes[off + 4 + j]);
    if (len <= 6 && cache.size < 65_536) cache.set(key, s);
    out[at + i] = s;
  }
}

const TEXT_COLUMNS = new Set(["part", "sku", "location"]);

/**
 * Aggregates of `relation` (period shape). The aggregation runs once, into a temporary table
 * (ORDERed BY part when there are partitions, so that each partition comes in one run); every pass
 * then reads that table in insertion order, which DuckDB keeps for a plain scan
 * (preserve_insertion_order, on by default), so both passes see the rows in the same order.
 * Rows come out in DuckDB's data chunks (2,048 rows each), read column by column.
 */
export async function duckAggregates(connection: DuckConnection, relation: string, ordered = true): Promise<AggregateSource & { drop(): Promise<void> }> {
  const range = (await rows(connection, periodRangeSql(relation)))[0];
  const first = num(range.first_period);
  const last = num(range.last_period);
  if (!(first === first && last === last)) throw new Error("the input has no rows");
  const table = `seg_agg_${process.pid}_${Date.now().toString(36)}`;
  let made = false;
  return {
    periods: last - first + 1,
    periodRange: `${first}..${last}`,
    async drop() {
      if (made) await connection.run(`DROP TABLE IF EXISTS ${table}`);
    },
    async *chunks(columns: readonly AggColumn[]) {
      if (!made) {
        await connection.run(`CREATE TEMP TABLE ${table} AS ${aggregateSql(relation, ordered)}`);
        made = true;
      }
      const wanted = AGGREGATE_COLUMNS.filter((c) => columns.includes(c as AggColumn));
      const result = await connection.stream(`SELECT ${wanted.join(", ")} FROM ${table}`);
      const caches = wanted.map(() => new Map<number, string>());
      for (;;) {
        const ch = await result.fetchChunk();
        if (!ch || ch.rowCount === 0) break;
        const n = ch.rowCount;
        const chunk: AggregateChunk = { rows: n, part: [], num: {} };
        for (let c = 0; c < wanted.length; c++) {
          const name = wanted[c];
          const vec = ch.getColumnVector(c) as unknown as RawVector;
          if (TEXT_COLUMNS.has(name)) {
            const out = new Array<string>(n);
            readStrings(vec, n, out, 0, caches[c]);
            if (name === "part") chunk.part = out;
            else if (name === "sku") chunk.sku = out;
            else chunk.location = out;
          } else {
            const out = new Float64Array(n);
            readDoubles(vec, n, out, 0);
            chunk.num[name as AggNumeric] = out;
          }
        }
        yield chunk;
      }
    },
  };
}
