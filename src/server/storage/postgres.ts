/**
 * PostgreSQL backend (pg). Appends to one workbook are serialised by a row lock on the workbook's
 * row (SELECT … FOR UPDATE) held until commit; migrations by a transaction-scoped advisory lock.
 * The optional `schema` puts every table in that schema (tests and the benchmark use a fresh one).
 */
import pg from "pg";
import { GENESIS_HASH, type AuditEntry } from "../../engine/audit";
import { planAppend, type KnownEntry } from "../ingest";
import { numbered, type SqlRunner } from "./controls";
import { encodeValue, loadKeys, planBatch, type ApplyResult, type Change } from "./inputs";
import { itemFilterWhere, type ItemFilter } from "./itemFilter";
import { MIGRATIONS, MIGRATIONS_TABLE_SQL } from "./migrations";
import {
  AUDIT_COLUMNS,
  WORKBOOK_SELECT,
  auditValues,
  auditWhere,
  rowToItem,
  rowToSnapshotMeta,
  rowToStoredEntry,
  rowToToken,
  rowToWorkbook,
  type Row,
} from "./rows";
import type {
  AppendOutcome,
  AuditLeafRow,
  AuditQuery,
  Identity,
  ItemPage,
  NewToken,
  PublishOutcome,
  PreparedSnapshot,
  SnapshotItem,
  SnapshotMeta,
  Storage,
  StoredAuditEntry,
  TokenRecord,
  WorkbookHead,
} from "./types";

/** Arbitrary constant key for the migration advisory lock ("SEG1"). */
const MIGRATION_LOCK_KEY = 0x53454731;
/** Types of AUDIT_COLUMNS for the unnest() bulk insert. */
const AUDIT_COLUMN_TYPES: Record<(typeof AUDIT_COLUMNS)[number], string> = {
  workbook_id: "text",
  seq: "bigint",
  entry_id: "text",
  ts: "text",
  ts_ms: "bigint",
  user_name: "text",
  action: "text",
  sku: "text",
  field: "text",
  old_value: "text",
  new_value: "text",
  reason: "text",
  model_version: "text",
  prev_hash: "text",
  entry_hash: "text",
  received_at: "text",
  received_by: "text",
  received_token: "text",
};
const INSERT_AUDIT = `INSERT INTO audit_entries (${AUDIT_COLUMNS.join(", ")})
SELECT * FROM unnest(${AUDIT_COLUMNS.map((c, i) => `$${i + 1}::${AUDIT_COLUMN_TYPES[c]}[]`).join(", ")})`;
/** Snapshot items per INSERT: pg encodes each chunk's arrays on the event loop (5000 items of about 400 bytes held it 100-200 ms). */
const ITEM_CHUNK = 1000;

class Rollback<T> {
  constructor(public readonly result: T) {}
}

export interface PostgresOptions {
  connectionString: string;
  /** Schema holding the tables (created if missing). Letters, digits and _ only. */
  schema?: string;
  poolSize?: number;
  /** Longest wait for a connection (TCP, TLS and start-up), ms. Default 3000. */
  connectTimeoutMs?: number;
  /** Longest a statement may run on the server, and (plus 2 s) the longest wait for any answer, ms. Default 30000. */
  statementTimeoutMs?: number;
}

export const DEFAULT_PG_CONNECT_TIMEOUT_MS = 3000;
export const DEFAULT_PG_STATEMENT_TIMEOUT_MS = 30_000;

export class PostgresStorage implements Storage {
  readonly kind = "postgres" as const;
  readonly location: string;
  /** The connection pool; exposed for tests and the benchmark. */
  readonly pool: pg.Pool;
  readonly schema: string | undefined;
  private readonly pingTimeoutMs: number;

  constructor(options: PostgresOptions) {
    if (options.schema !== undefined && !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(options.schema)) {
      throw new Error(`invalid PostgreSQL schema name "${options.schema}" (letters, digits and _ only)`);
    }
    this.schema = options.schema;
    this.pingTimeoutMs = options.connectTimeoutMs ?? DEFAULT_PG_CONNECT_TIMEOUT_MS;
    this.location = describePg(options.connectionString) + (options.schema ? ` schema ${options.schema}` : "");
    const statementTimeout = options.statementTimeoutMs ?? DEFAULT_PG_STATEMENT_TIMEOUT_MS;
    this.pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.poolSize ?? 10,
      // A database that accepts connections but never answers must not hang requests: every wait is bounded.
      connectionTimeoutMillis: options.connectTimeoutMs ?? DEFAULT_PG_CONNECT_TIMEOUT_MS,
      statement_timeout: statementTimeout,
      query_timeout: statementTimeout + 2000,
      idle_in_transaction_session_timeout: statementTimeout + 5000,
      // The schema name was checked above: it is an identifier, which cannot be a bound parameter.
      options: options.schema ? `-c search_path=${options.schema}` : undefined,
    });
    // An idle client losing its connection must not crash the process; the pool replaces it.
    this.pool.on("error", () => undefined);
  }

  private async tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const c = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await c.query("BEGIN");
      const r = await fn(c);
      await c.query("COMMIT");
      return r;
    } catch (e) {
      try {
        await c.query("ROLLBACK");
      } catch (rollbackError) {
        broken = rollbackError as Error;
      }
      if (e instanceof Rollback) return e.result as T;
      throw e;
    } finally {
      c.release(broken);
    }
  }

  async migrate(): Promise<number[]> {
    return this.tx(async (c) => {
      await c.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK_KEY]);
      if (this.schema) await c.query(`CREATE SCHEMA IF NOT EXISTS "${this.schema}"`);
      await c.query(MIGRATIONS_TABLE_SQL);
      const done = new Set((await c.query("SELECT version FROM schema_migrations")).rows.map((r: Row) => Number(r.version)));
      const applied: number[] = [];
      for (const m of MIGRATIONS) {
        if (done.has(m.version)) continue;
        await c.query(m.postgres);
        await c.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)", [
          m.version,
          m.name,
          new Date().toISOString(),
        ]);
        applied.push(m.version);
      }
      return applied;
    });
  }

  async ping(): Promise<void> {
    // query_timeout per query is supported by pg (client.js) but missing from its QueryConfig type.
    await this.pool.query({ text: "SELECT 1", query_timeout: this.pingTimeoutMs } as pg.QueryConfig);
  }

  async close(): Promise<void> {
    if (!this.pool.ended) await this.pool.end();
  }

  async createToken(t: NewToken): Promise<void> {
    await this.pool.query("INSERT INTO tokens (id, name, role, team, token_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)", [
      t.id,
      t.name,
      t.role,
      t.team,
      t.tokenHash,
      t.createdAt,
    ]);
  }

  async findTokenByHash(tokenHash: string): Promise<(TokenRecord & { tokenHash: string }) | null> {
    const { rows } = await this.pool.query("SELECT * FROM tokens WHERE token_hash = $1", [tokenHash]);
    return rows[0] ? { ...rowToToken(rows[0]), tokenHash: String(rows[0].token_hash) } : null;
  }

  async listTokens(): Promise<TokenRecord[]> {
    return (await this.pool.query("SELECT * FROM tokens ORDER BY created_at, id")).rows.map(rowToToken);
  }

  async revokeToken(id: string, at: string): Promise<TokenRecord[]> {
    const { rows } = await this.pool.query(
      "UPDATE tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL RETURNING *",
      [at, id],
    );
    return rows.map(rowToToken);
  }

  async revokeTokensByName(name: string, at: string): Promise<TokenRecord[]> {
    const { rows } = await this.pool.query(
      "UPDATE tokens SET revoked_at = $1 WHERE name = $2 AND revoked_at IS NULL RETURNING *",
      [at, name],
    );
    return rows.map(rowToToken);
  }

  /** Creates the workbook row for a first writer, then locks it until the transaction ends. */
  private async claimWorkbook(c: pg.PoolClient, workbookId: string, owner: string, at: string): Promise<Row> {
    await c.query(
      "INSERT INTO workbooks (id, owner, created_at, entry_count, last_hash) VALUES ($1, $2, $3, 0, $4) ON CONFLICT (id) DO NOTHING",
      [workbookId, owner, at, GENESIS_HASH],
    );
    const { rows } = await c.query("SELECT owner, entry_count, last_hash FROM workbooks WHERE id = $1 FOR UPDATE", [workbookId]);
    return rows[0] as Row;
  }

  async appendAudit(workbookId: string, sender: Identity, entries: readonly AuditEntry[], receivedAt: string): Promise<AppendOutcome> {
    return this.tx(async (c): Promise<AppendOutcome> => {
      const head = await this.claimWorkbook(c, workbookId, sender.name, receivedAt);
      if (head.owner !== sender.name) throw new Rollback<AppendOutcome>({ kind: "forbidden", workbookId });
      const { rows } = await c.query(
        "SELECT entry_id, workbook_id, entry_hash FROM audit_entries WHERE workbook_id = $1 AND entry_id = ANY($2::text[])",
        [workbookId, entries.map((e) => e.entryId)],
      );
      const known = new Map<string, KnownEntry>(
        rows.map((r: Row) => [String(r.entry_id), { workbookId: String(r.workbook_id), entryHash: String(r.entry_hash) }]),
      );
      const plan = planAppend(workbookId, { entryCount: Number(head.entry_count), lastHash: String(head.last_hash) }, known, entries);
      if (plan.outcome.kind !== "ok") throw new Rollback(plan.outcome);
      if (plan.insert.length > 0) {
        const columns: unknown[][] = AUDIT_COLUMNS.map(() => []);
        for (const { entry, seq } of plan.insert) {
          auditValues(entry, seq, receivedAt, sender).forEach((v, i) => columns[i].push(v));
        }
        await c.query(INSERT_AUDIT, columns);
        const last = plan.insert[plan.insert.length - 1];
        await c.query("UPDATE workbooks SET entry_count = $1, last_hash = $2, last_entry_id = $3 WHERE id = $4", [
          last.seq,
          last.entry.entryHash,
          last.entry.entryId,
          workbookId,
        ]);
      }
      return plan.outcome;
    });
  }

  async getWorkbook(workbookId: string): Promise<WorkbookHead | null> {
    const { rows } = await this.pool.query(`${WORKBOOK_SELECT} WHERE w.id = $1`, [workbookId]);
    return rows[0] ? rowToWorkbook(rows[0]) : null;
  }

  async listWorkbooks(owner?: string): Promise<WorkbookHead[]> {
    const { rows } =
      owner === undefined
        ? await this.pool.query(`${WORKBOOK_SELECT} ORDER BY w.created_at, w.id`)
        : await this.pool.query(`${WORKBOOK_SELECT} WHERE w.owner = $1 ORDER BY w.created_at, w.id`, [owner]);
    return rows.map(rowToWorkbook);
  }

  async queryAudit(workbookId: string, q: AuditQuery): Promise<StoredAuditEntry[]> {
    const { where, params } = auditWhere(workbookId, q, (n) => `$${n}`);
    const { rows } = await this.pool.query(
      `SELECT * FROM audit_entries WHERE ${where} ORDER BY seq LIMIT $${params.length + 1}`,
      [...params, q.limit],
    );
    return rows.map(rowToStoredEntry);
  }

  async auditLeafRows(workbookId: string, afterSeq: number, limit: number): Promise<AuditLeafRow[]> {
    const { rows } = await this.pool.query({
      text: "SELECT seq, entry_id, entry_hash, received_by, received_at FROM audit_entries WHERE workbook_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
      values: [workbookId, afterSeq, limit],
      rowMode: "array",
    });
    return (rows as unknown[][]).map((r) => ({ workbookId, seq: Number(r[0]), entryId: String(r[1]), entryHash: String(r[2]), receivedBy: String(r[3]), receivedAt: String(r[4]) }));
  }

  async publishSnapshot(workbookId: string, sender: Identity, snap: PreparedSnapshot, publishedAt: string): Promise<PublishOutcome> {
    // One transaction; the workbook's row lock (claimWorkbook) serialises publications of a
    // workbook, and the items go in ITEM_CHUNK at a time, the event loop free between chunks.
    return this.tx(async (c): Promise<PublishOutcome> => {
      const head = await this.claimWorkbook(c, workbookId, sender.name, publishedAt);
      if (head.owner !== sender.name) throw new Rollback<PublishOutcome>({ kind: "forbidden", workbookId });
      const existing = await c.query("SELECT * FROM snapshots WHERE workbook_id = $1 AND model_version = $2", [
        workbookId,
        snap.modelVersion,
      ]);
      if (existing.rows[0]) {
        const meta = rowToSnapshotMeta(existing.rows[0]);
        return { kind: meta.contentHash === snap.contentHash ? "exists" : "conflict", meta };
      }
      const next = await c.query("SELECT COALESCE(MAX(seq), 0) + 1 AS n FROM snapshots WHERE workbook_id = $1", [workbookId]);
      const meta: SnapshotMeta = {
        workbookId,
        modelVersion: snap.modelVersion,
        seq: Number(next.rows[0].n),
        itemCount: snap.rows.length,
        contentHash: snap.contentHash,
        publishedAt,
        publishedBy: sender.name,
      };
      await c.query(
        `INSERT INTO snapshots (workbook_id, model_version, seq, parameters, item_count, content_hash, published_at, published_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [workbookId, meta.modelVersion, meta.seq, snap.parametersJson, meta.itemCount, snap.contentHash, publishedAt, sender.name],
      );
      for (let start = 0; start < snap.rows.length; start += ITEM_CHUNK) {
        const chunk = snap.rows.slice(start, start + ITEM_CHUNK);
        await c.query(
          `INSERT INTO snapshot_items (workbook_id, model_version, idx, sku, segment, item)
           SELECT $1, $2, * FROM unnest($3::bigint[], $4::text[], $5::text[], $6::text[])`,
          [
            workbookId,
            meta.modelVersion,
            chunk.map((_, i) => start + i),
            chunk.map((r) => r.sku),
            chunk.map((r) => r.segment),
            chunk.map((r) => r.item),
          ],
        );
      }
      return { kind: "created", meta };
    });
  }

  async listSnapshots(workbookId: string): Promise<SnapshotMeta[]> {
    const { rows } = await this.pool.query("SELECT * FROM snapshots WHERE workbook_id = $1 ORDER BY seq", [workbookId]);
    return rows.map(rowToSnapshotMeta);
  }

  async getSnapshot(
    workbookId: string,
    modelVersion: string | null,
  ): Promise<(SnapshotMeta & { parameters: Record<string, unknown> }) | null> {
    const { rows } =
      modelVersion === null
        ? await this.pool.query("SELECT * FROM snapshots WHERE workbook_id = $1 ORDER BY seq DESC LIMIT 1", [workbookId])
        : await this.pool.query("SELECT * FROM snapshots WHERE workbook_id = $1 AND model_version = $2", [workbookId, modelVersion]);
    const r = rows[0] as Row | undefined;
    return r ? { ...rowToSnapshotMeta(r), parameters: JSON.parse(String(r.parameters)) as Record<string, unknown> } : null;
  }

  async getSnapshotItems(workbookId: string, modelVersion: string, page?: ItemPage): Promise<SnapshotItem[]> {
    const base = "SELECT item FROM snapshot_items WHERE workbook_id = $1 AND model_version = $2";
    let rows: Row[];
    if (!page) rows = (await this.pool.query(`${base} ORDER BY idx`, [workbookId, modelVersion])).rows;
    else if (page.sku !== undefined)
      rows = (
        await this.pool.query(`${base} AND sku = $3 ORDER BY idx LIMIT $4 OFFSET $5`, [
          workbookId,
          modelVersion,
          page.sku,
          page.limit,
          page.offset,
        ])
      ).rows;
    else
      rows = (await this.pool.query(`${base} ORDER BY idx LIMIT $3 OFFSET $4`, [workbookId, modelVersion, page.limit, page.offset])).rows;
    return rows.map(rowToItem);
  }

  // ---- issue 15: per-SKU reads for other systems ----

  async querySnapshotItems(workbookId: string, modelVersion: string, filter: ItemFilter, offset: number, limit: number): Promise<SnapshotItem[]> {
    const { where, params } = itemFilterWhere("postgres", workbookId, modelVersion, filter, (n) => `$${n}`);
    const n = params.length;
    const { rows } = await this.pool.query(`SELECT item FROM snapshot_items WHERE ${where} ORDER BY idx LIMIT $${n + 1} OFFSET $${n + 2}`, [...params, limit, offset]);
    return rows.map(rowToItem);
  }

  // ---- issues 10 and 14: shared SQL ----

  sql(): SqlRunner {
    return { query: async (sql, params) => (await this.pool.query(numbered(sql), params)).rows as Row[] };
  }

  // ---- issue 14: incremental inputs ----

  async applyInputChanges(workbookId: string, sender: Identity, changes: readonly Change[], at: string): Promise<{ kind: "forbidden" } | { kind: "ok"; result: ApplyResult }> {
    return this.tx(async (c): Promise<{ kind: "forbidden" } | { kind: "ok"; result: ApplyResult }> => {
      const head = await this.claimWorkbook(c, workbookId, sender.name, at); // row lock: one batch per workbook at a time
      if (head.owner !== sender.name) throw new Rollback<{ kind: "forbidden" }>({ kind: "forbidden" });
      const st = (await c.query("SELECT version, compacted_through FROM input_state WHERE workbook_id = $1", [workbookId])).rows[0] as Row | undefined;
      const keys = loadKeys(changes);
      const known = (await c.query("SELECT change_id, watermark, content_hash FROM input_changes WHERE workbook_id = $1 AND change_id = ANY($2::text[])", [workbookId, keys.ids])).rows as Row[];
      const cells = (
        await c.query(
          "SELECT i.* FROM input_cells i JOIN unnest($2::text[], $3::text[], $4::text[]) AS k(sku, kind, name) ON i.sku = k.sku AND i.kind = k.kind AND i.name = k.name WHERE i.workbook_id = $1",
          [workbookId, keys.cells.map((k) => k.sku), keys.cells.map((k) => k.kind), keys.cells.map((k) => k.name)],
        )
      ).rows as Row[];
      const plan = planBatch({ version: st ? Number(st.version) : 0, compactedThrough: st?.compacted_through == null ? null : Number(st.compacted_through), changes: known, cells }, changes);
      if (plan.newChanges.length) {
        await c.query(
          `INSERT INTO input_changes (workbook_id, change_id, content_hash, watermark, received_at, received_by)
           SELECT $1, *, $5, $6 FROM unnest($2::text[], $3::text[], $4::double precision[])`,
          [workbookId, plan.newChanges.map((x) => x.changeId), plan.newChanges.map((x) => x.fingerprint), plan.newChanges.map((x) => x.watermark), at, sender.name],
        );
      }
      if (plan.cells.length) {
        const p = plan.cells;
        await c.query(
          `INSERT INTO input_cells (workbook_id, sku, kind, name, value, watermark, change_id, version)
           SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::double precision[], $7::text[], $8::bigint[])
           ON CONFLICT (workbook_id, sku, kind, name) DO UPDATE SET value = excluded.value, watermark = excluded.watermark, change_id = excluded.change_id, version = excluded.version`,
          [workbookId, p.map((x) => x.sku), p.map((x) => x.kind), p.map((x) => x.name), p.map((x) => encodeValue(x.value)), p.map((x) => x.watermark), p.map((x) => x.changeId), p.map((x) => x.version)],
        );
      }
      await c.query("INSERT INTO input_state (workbook_id, version) VALUES ($1, $2) ON CONFLICT (workbook_id) DO UPDATE SET version = excluded.version", [workbookId, plan.result.version]);
      return { kind: "ok", result: plan.result };
    });
  }
}

/** "postgres://user@host:port/db" without the password, for logs and the start-up line. */
export function describePg(connectionString: string): string {
  try {
    const u = new URL(connectionString);
    return `postgres://${u.username ? `${decodeURIComponent(u.username)}@` : ""}${u.hostname}${u.port ? `:${u.port}` : ""}${u.pathname}`;
  } catch {
    return "postgres (unparsable DATABASE_URL)";
  }
}
