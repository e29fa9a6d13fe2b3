/**
 * SQLite backend (better-sqlite3): one file, WAL journal, synchronous=FULL so that a confirmed
 * batch survives a crash or power loss (the client forgets what the server has confirmed).
 * better-sqlite3 is synchronous: a transaction runs start to end without yielding to the event
 * loop, so appends to the same workbook are serialised by construction; BEGIN IMMEDIATE also
 * serialises them against other processes (the token CLI) using the same file.
 */
import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { GENESIS_HASH, type AuditEntry } from "../../engine/audit";
import { planAppend, type KnownEntry } from "../ingest";
import type { SqlRunner } from "./controls";
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

/** Items of a publication are read only once it is complete (bound: workbook id, model version). */
const COMPLETE_SNAPSHOT = "EXISTS (SELECT 1 FROM snapshots s WHERE s.workbook_id = ? AND s.model_version = ? AND s.pending = 0)";
/** Publications of at most this many items are stored in one transaction. */
const SINGLE_TX_ROWS = 2000;
/** Longest a transaction of a larger publication's items runs before the event loop gets a turn, ms. */
const SLICE_MS = 12;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Thrown inside a transaction to roll it back and hand a result out. */
class Rollback<T> {
  constructor(public readonly result: T) {}
}

export interface SqliteOptions {
  /** Path of the database file (its directory is created if missing). */
  file: string;
  /** How long a write waits for another process's lock before failing (503), ms. Default 5000. */
  busyTimeoutMs?: number;
}

export class SqliteStorage implements Storage {
  readonly kind = "sqlite" as const;
  readonly location: string;
  /** The open connection; exposed for tests and the benchmark. */
  readonly db: Database.Database;
  /** The last publication queued per workbook (publishSnapshot runs them one at a time). */
  private readonly publishing = new Map<string, Promise<void>>();

  constructor(options: SqliteOptions) {
    this.location = path.resolve(options.file);
    mkdirSync(path.dirname(this.location), { recursive: true });
    this.db = new Database(this.location);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = FULL");
    this.db.pragma("foreign_keys = ON");
    this.db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
  }

  async migrate(): Promise<number[]> {
    const db = this.db;
    const run = db.transaction(() => {
      db.exec(MIGRATIONS_TABLE_SQL);
      const done = new Set(
        (db.prepare("SELECT version FROM schema_migrations").all() as Row[]).map((r) => Number(r.version)),
      );
      const applied: number[] = [];
      for (const m of MIGRATIONS) {
        if (done.has(m.version)) continue;
        db.exec(m.sqlite);
        db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)").run(
          m.version,
          m.name,
          new Date().toISOString(),
        );
        applied.push(m.version);
      }
      return applied;
    });
    return run.immediate();
  }

  async ping(): Promise<void> {
    this.db.prepare("SELECT 1").get();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  async createToken(t: NewToken): Promise<void> {
    this.db
      .prepare("INSERT INTO tokens (id, name, role, team, token_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)")
      .run(t.id, t.name, t.role, t.team, t.tokenHash, t.createdAt);
  }

  async findTokenByHash(tokenHash: string): Promise<(TokenRecord & { tokenHash: string }) | null> {
    const r = this.db.prepare("SELECT * FROM tokens WHERE token_hash = ?").get(tokenHash) as Row | undefined;
    return r ? { ...rowToToken(r), tokenHash: String(r.token_hash) } : null;
  }

  async listTokens(): Promise<TokenRecord[]> {
    return (this.db.prepare("SELECT * FROM tokens ORDER BY created_at, id").all() as Row[]).map(rowToToken);
  }

  async revokeToken(id: string, at: string): Promise<TokenRecord[]> {
    const rows = this.db
      .prepare("UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL RETURNING *")
      .all(at, id) as Row[];
    return rows.map(rowToToken);
  }

  async revokeTokensByName(name: string, at: string): Promise<TokenRecord[]> {
    const rows = this.db
      .prepare("UPDATE tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL RETURNING *")
      .all(at, name) as Row[];
    return rows.map(rowToToken);
  }

  /** Creates the workbook row for a first writer and returns its owner and head. */
  private claimWorkbook(workbookId: string, owner: string, at: string): Row {
    this.db
      .prepare("INSERT INTO workbooks (id, owner, created_at, entry_count, last_hash) VALUES (?, ?, ?, 0, ?) ON CONFLICT (id) DO NOTHING")
      .run(workbookId, owner, at, GENESIS_HASH);
    return this.db.prepare("SELECT owner, entry_count, last_hash FROM workbooks WHERE id = ?").get(workbookId) as Row;
  }

  async appendAudit(workbookId: string, sender: Identity, entries: readonly AuditEntry[], receivedAt: string): Promise<AppendOutcome> {
    const db = this.db;
    const findEntry = db.prepare("SELECT workbook_id, entry_hash FROM audit_entries WHERE workbook_id = ? AND entry_id = ?");
    const insert = db.prepare(
      `INSERT INTO audit_entries (${AUDIT_COLUMNS.join(", ")}) VALUES (${AUDIT_COLUMNS.map(() => "?").join(", ")})`,
    );
    const tx = db.transaction((): AppendOutcome => {
      const head = this.claimWorkbook(workbookId, sender.name, receivedAt);
      if (head.owner !== sender.name) throw new Rollback<AppendOutcome>({ kind: "forbidden", workbookId });
      const known = new Map<string, KnownEntry>();
      for (const e of entries) {
        const r = findEntry.get(workbookId, e.entryId) as Row | undefined;
        if (r) known.set(e.entryId, { workbookId: String(r.workbook_id), entryHash: String(r.entry_hash) });
      }
      const plan = planAppend(workbookId, { entryCount: Number(head.entry_count), lastHash: String(head.last_hash) }, known, entries);
      if (plan.outcome.kind !== "ok") throw new Rollback(plan.outcome);
      for (const { entry, seq } of plan.insert) insert.run(...auditValues(entry, seq, receivedAt, sender));
      if (plan.insert.length > 0) {
        const last = plan.insert[plan.insert.length - 1];
        db.prepare("UPDATE workbooks SET entry_count = ?, last_hash = ?, last_entry_id = ? WHERE id = ?").run(
          last.seq,
          last.entry.entryHash,
          last.entry.entryId,
          workbookId,
        );
      }
      return plan.outcome;
    });
    try {
      return tx.immediate();
    } catch (e) {
      if (e instanceof Rollback) return e.result as AppendOutcome;
      throw e;
    }
  }

  async getWorkbook(workbookId: string): Promise<WorkbookHead | null> {
    const r = this.db.prepare(`${WORKBOOK_SELECT} WHERE w.id = ?`).get(workbookId) as Row | undefined;
    return r ? rowToWorkbook(r) : null;
  }

  async listWorkbooks(owner?: string): Promise<WorkbookHead[]> {
    const rows =
      owner === undefined
        ? (this.db.prepare(`${WORKBOOK_SELECT} ORDER BY w.created_at, w.id`).all() as Row[])
        : (this.db.prepare(`${WORKBOOK_SELECT} WHERE w.owner = ? ORDER BY w.created_at, w.id`).all(owner) as Row[]);
    return rows.map(rowToWorkbook);
  }

  async queryAudit(workbookId: string, q: AuditQuery): Promise<StoredAuditEntry[]> {
    const { where, params } = auditWhere(workbookId, q, () => "?");
    const rows = this.db
      .prepare(`SELECT * FROM audit_entries WHERE ${where} ORDER BY seq LIMIT ?`)
      .all(...params, q.limit) as Row[];
    return rows.map(rowToStoredEntry);
  }

  async auditLeafRows(workbookId: string, afterSeq: number, limit: number): Promise<AuditLeafRow[]> {
    const rows = this.db
      .prepare("SELECT seq, entry_id, entry_hash, received_by, received_at FROM audit_entries WHERE workbook_id = ? AND seq > ? ORDER BY seq LIMIT ?")
      .raw()
      .all(workbookId, afterSeq, limit) as unknown[][];
    return rows.map((r) => ({ workbookId, seq: Number(r[0]), entryId: String(r[1]), entryHash: String(r[2]), receivedBy: String(r[3]), receivedAt: String(r[4]) }));
  }

  /**
   * Issue 8 defect 15: better-sqlite3 is synchronous, so one transaction of 300,000 item rows
   * held the event loop for seconds. A publication of more than SINGLE_TX_ROWS items is written
   * under a snapshot row marked pending (seen by no reader), its items in transactions of about
   * SLICE_MS each with the event loop free between them; the last transaction takes the next
   * sequence number and clears the mark. Publications of one workbook run one at a time
   * (this.publishing), so two never interleave; on failure the pending rows are removed, and a
   * crash leaves rows that discardUnfinishedPublications removes at the next start.
   */
  async publishSnapshot(workbookId: string, sender: Identity, snap: PreparedSnapshot, publishedAt: string): Promise<PublishOutcome> {
    const prev = this.publishing.get(workbookId) ?? Promise.resolve();
    const run = prev.then(() => this.publishNow(workbookId, sender, snap, publishedAt));
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.publishing.set(workbookId, tail);
    try {
      return await run;
    } finally {
      if (this.publishing.get(workbookId) === tail) this.publishing.delete(workbookId);
    }
  }

  private async publishNow(workbookId: string, sender: Identity, snap: PreparedSnapshot, publishedAt: string): Promise<PublishOutcome> {
    const db = this.db;
    const rows = snap.rows;
    const chunked = rows.length > SINGLE_TX_ROWS;
    const ins = db.prepare("INSERT INTO snapshot_items (workbook_id, model_version, idx, sku, segment, item) VALUES (?, ?, ?, ?, ?, ?)");
    const begin = db.transaction((): PublishOutcome => {
      const head = this.claimWorkbook(workbookId, sender.name, publishedAt);
      if (head.owner !== sender.name) throw new Rollback<PublishOutcome>({ kind: "forbidden", workbookId });
      const existing = db
        .prepare("SELECT * FROM snapshots WHERE workbook_id = ? AND model_version = ?")
        .get(workbookId, snap.modelVersion) as Row | undefined;
      if (existing) {
        // Pending here: another process (sharing the file) is storing this version right now.
        if (Number(existing.pending) !== 0) throw new Rollback<PublishOutcome>({ kind: "busy", modelVersion: snap.modelVersion });
        const meta = rowToSnapshotMeta(existing);
        return { kind: meta.contentHash === snap.contentHash ? "exists" : "conflict", meta };
      }
      // A pending row holds a placeholder sequence number below every real one (UNIQUE (workbook_id, seq)).
      const seq = chunked
        ? Number((db.prepare("SELECT MIN(0, COALESCE(MIN(seq), 0)) - 1 AS n FROM snapshots WHERE workbook_id = ?").get(workbookId) as Row).n)
        : this.nextSnapshotSeq(workbookId);
      const meta: SnapshotMeta = {
        workbookId,
        modelVersion: snap.modelVersion,
        seq,
        itemCount: rows.length,
        contentHash: snap.contentHash,
        publishedAt,
        publishedBy: sender.name,
      };
      db.prepare(
        `INSERT INTO snapshots (workbook_id, model_version, seq, parameters, item_count, content_hash, published_at, published_by, pending)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(workbookId, meta.modelVersion, seq, snap.parametersJson, meta.itemCount, snap.contentHash, publishedAt, sender.name, chunked ? 1 : 0);
      if (!chunked) rows.forEach((r, i) => ins.run(workbookId, meta.modelVersion, i, r.sku, r.segment, r.item));
      return { kind: "created", meta };
    });
    let started: PublishOutcome;
    try {
      started = begin.immediate();
    } catch (e) {
      if (e instanceof Rollback) return e.result as PublishOutcome;
      throw e;
    }
    if (!chunked || started.kind !== "created") return started;

    const mv = snap.modelVersion;
    const slice = db.transaction((from: number): number => {
      const t0 = performance.now();
      let i = from;
      while (i < rows.length) {
        const r = rows[i];
        ins.run(workbookId, mv, i, r.sku, r.segment, r.item);
        i++;
        if ((i & 255) === 0 && performance.now() - t0 >= SLICE_MS) break;
      }
      return i;
    });
    const finish = db.transaction((): number => {
      const seq = this.nextSnapshotSeq(workbookId);
      const done = db
        .prepare("UPDATE snapshots SET pending = 0, seq = ? WHERE workbook_id = ? AND model_version = ? AND pending = 1")
        .run(seq, workbookId, mv);
      if (done.changes !== 1) throw new Error(`snapshot "${mv}" of workbook "${workbookId}" vanished while it was being stored`);
      return seq;
    });
    try {
      let i = 0;
      while (i < rows.length) {
        await yieldToEventLoop();
        i = slice.immediate(i);
      }
      await yieldToEventLoop();
      return { kind: "created", meta: { ...started.meta, seq: finish.immediate() } };
    } catch (e) {
      await this.discardPending(workbookId, mv).catch(() => undefined);
      throw e;
    }
  }

  private nextSnapshotSeq(workbookId: string): number {
    return Number((this.db.prepare("SELECT COALESCE(MAX(seq), 0) + 1 AS n FROM snapshots WHERE workbook_id = ? AND pending = 0").get(workbookId) as Row).n);
  }

  /** Removes a pending snapshot's rows, a few thousand at a time. */
  private async discardPending(workbookId: string, modelVersion: string): Promise<void> {
    const del = this.db.prepare(
      "DELETE FROM snapshot_items WHERE rowid IN (SELECT i.rowid FROM snapshot_items i WHERE i.workbook_id = ? AND i.model_version = ? LIMIT 5000)" +
        " AND EXISTS (SELECT 1 FROM snapshots s WHERE s.workbook_id = ? AND s.model_version = ? AND s.pending = 1)",
    );
    while (del.run(workbookId, modelVersion, workbookId, modelVersion).changes > 0) await yieldToEventLoop();
    this.db.prepare("DELETE FROM snapshots WHERE workbook_id = ? AND model_version = ? AND pending = 1").run(workbookId, modelVersion);
  }

  async discardUnfinishedPublications(): Promise<number> {
    const db = this.db;
    const tx = db.transaction((): number => {
      db.prepare(
        "DELETE FROM snapshot_items WHERE (workbook_id, model_version) IN (SELECT workbook_id, model_version FROM snapshots WHERE pending = 1)",
      ).run();
      return db.prepare("DELETE FROM snapshots WHERE pending = 1").run().changes;
    });
    return tx.immediate();
  }

  async listSnapshots(workbookId: string): Promise<SnapshotMeta[]> {
    const rows = this.db.prepare("SELECT * FROM snapshots WHERE workbook_id = ? AND pending = 0 ORDER BY seq").all(workbookId) as Row[];
    return rows.map(rowToSnapshotMeta);
  }

  async getSnapshot(
    workbookId: string,
    modelVersion: string | null,
  ): Promise<(SnapshotMeta & { parameters: Record<string, unknown> }) | null> {
    const r = (
      modelVersion === null
        ? this.db.prepare("SELECT * FROM snapshots WHERE workbook_id = ? AND pending = 0 ORDER BY seq DESC LIMIT 1").get(workbookId)
        : this.db.prepare("SELECT * FROM snapshots WHERE workbook_id = ? AND model_version = ? AND pending = 0").get(workbookId, modelVersion)
    ) as Row | undefined;
    return r ? { ...rowToSnapshotMeta(r), parameters: JSON.parse(String(r.parameters)) as Record<string, unknown> } : null;
  }

  async getSnapshotItems(workbookId: string, modelVersion: string, page?: ItemPage): Promise<SnapshotItem[]> {
    const base = `SELECT item FROM snapshot_items WHERE workbook_id = ? AND model_version = ? AND ${COMPLETE_SNAPSHOT}`;
    const key = [workbookId, modelVersion, workbookId, modelVersion];
    let rows: Row[];
    if (!page) rows = this.db.prepare(`${base} ORDER BY idx`).all(...key) as Row[];
    else if (page.sku !== undefined)
      rows = this.db.prepare(`${base} AND sku = ? ORDER BY idx LIMIT ? OFFSET ?`).all(...key, page.sku, page.limit, page.offset) as Row[];
    else rows = this.db.prepare(`${base} ORDER BY idx LIMIT ? OFFSET ?`).all(...key, page.limit, page.offset) as Row[];
    return rows.map(rowToItem);
  }

  // ---- issue 15: per-SKU reads for other systems ----

  async querySnapshotItems(workbookId: string, modelVersion: string, filter: ItemFilter, offset: number, limit: number): Promise<SnapshotItem[]> {
    const { where, params } = itemFilterWhere("sqlite", workbookId, modelVersion, filter, () => "?");
    const rows = this.db
      .prepare(`SELECT item FROM snapshot_items WHERE ${where} AND ${COMPLETE_SNAPSHOT} ORDER BY idx LIMIT ? OFFSET ?`)
      .all(...params, workbookId, modelVersion, limit, offset) as Row[];
    return rows.map(rowToItem);
  }

  // ---- issues 10 and 14: shared SQL ----

  sql(): SqlRunner {
    return {
      query: async (sql, params) => {
        const st = this.db.prepare(sql);
        return st.reader ? (st.all(...params) as Row[]) : (st.run(...params), []);
      },
    };
  }

  // ---- issue 14: incremental inputs ----

  async applyInputChanges(workbookId: string, sender: Identity, changes: readonly Change[], at: string): Promise<{ kind: "forbidden" } | { kind: "ok"; result: ApplyResult }> {
    const db = this.db;
    const tx = db.transaction((): { kind: "ok"; result: ApplyResult } => {
      const head = this.claimWorkbook(workbookId, sender.name, at);
      if (head.owner !== sender.name) throw new Rollback<{ kind: "forbidden" }>({ kind: "forbidden" });
      const st = db.prepare("SELECT version, compacted_through FROM input_state WHERE workbook_id = ?").get(workbookId) as Row | undefined;
      const keys = loadKeys(changes);
      const known = db
        .prepare("SELECT change_id, watermark, content_hash FROM input_changes WHERE workbook_id = ? AND change_id IN (SELECT value FROM json_each(?))")
        .all(workbookId, JSON.stringify(keys.ids)) as Row[];
      const getCell = db.prepare("SELECT * FROM input_cells WHERE workbook_id = ? AND sku = ? AND kind = ? AND name = ?");
      const cells: Row[] = [];
      for (const k of keys.cells) {
        const r = getCell.get(workbookId, k.sku, k.kind, k.name) as Row | undefined;
        if (r) cells.push(r);
      }
      const plan = planBatch({ version: st ? Number(st.version) : 0, compactedThrough: st?.compacted_through == null ? null : Number(st.compacted_through), changes: known, cells }, changes);
      const addChange = db.prepare("INSERT INTO input_changes (workbook_id, change_id, content_hash, watermark, received_at, received_by) VALUES (?, ?, ?, ?, ?, ?)");
      for (const c of plan.newChanges) addChange.run(workbookId, c.changeId, c.fingerprint, c.watermark, at, sender.name);
      const putCell = db.prepare(
        `INSERT INTO input_cells (workbook_id, sku, kind, name, value, watermark, change_id, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (workbook_id, sku, kind, name) DO UPDATE SET value = excluded.value, watermark = excluded.watermark, change_id = excluded.change_id, version = excluded.version`,
      );
      for (const c of plan.cells) putCell.run(workbookId, c.sku, c.kind, c.name, encodeValue(c.value), c.watermark, c.changeId, c.version);
      db.prepare("INSERT INTO input_state (workbook_id, version) VALUES (?, ?) ON CONFLICT (workbook_id) DO UPDATE SET version = excluded.version").run(workbookId, plan.result.version);
      return { kind: "ok", result: plan.result };
    });
    try {
      return tx.immediate();
    } catch (e) {
      if (e instanceof Rollback) return e.result as { kind: "forbidden" };
      throw e;
    }
  }
}
