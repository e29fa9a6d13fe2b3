/* Row <-> object mapping shared by both backends (same column names in both schemas).
   PostgreSQL returns BIGINT as a string, hence Number() on every integer column. */
import type { AuditAction, AuditEntry } from "../../engine/audit";
import { normalizeItem } from "../snapshots";
import { parseUtcTimestamp } from "../time";
import type { Role, SnapshotItem, SnapshotMeta, StoredAuditEntry, TokenRecord, WorkbookHead } from "./types";

export type Row = Record<string, unknown>;

export const AUDIT_COLUMNS = [
  "workbook_id",
  "seq",
  "entry_id",
  "ts",
  "ts_ms",
  "user_name",
  "action",
  "sku",
  "field",
  "old_value",
  "new_value",
  "reason",
  "model_version",
  "prev_hash",
  "entry_hash",
  "received_at",
  "received_by",
  "received_token",
] as const;

/** Values for AUDIT_COLUMNS, in that order. */
export function auditValues(
  entry: AuditEntry,
  seq: number,
  receivedAt: string,
  sender: { tokenId: string; name: string },
): (string | number)[] {
  return [
    entry.workbookId,
    seq,
    entry.entryId,
    entry.timestamp,
    parseUtcTimestamp(entry.timestamp) ?? Date.parse(entry.timestamp),
    entry.user,
    entry.action,
    entry.sku,
    entry.field,
    entry.oldValue,
    entry.newValue,
    entry.reason,
    entry.modelVersion,
    entry.prevHash,
    entry.entryHash,
    receivedAt,
    sender.name,
    sender.tokenId,
  ];
}

export function rowToStoredEntry(r: Row): StoredAuditEntry {
  return {
    seq: Number(r.seq),
    entryId: String(r.entry_id),
    timestamp: String(r.ts),
    user: String(r.user_name),
    workbookId: String(r.workbook_id),
    action: String(r.action) as AuditAction,
    sku: String(r.sku),
    field: String(r.field),
    oldValue: String(r.old_value),
    newValue: String(r.new_value),
    reason: String(r.reason),
    modelVersion: String(r.model_version),
    prevHash: String(r.prev_hash),
    entryHash: String(r.entry_hash),
    receivedAt: String(r.received_at),
    receivedBy: String(r.received_by),
  };
}

export function rowToToken(r: Row): TokenRecord {
  return {
    id: String(r.id),
    name: String(r.name),
    role: String(r.role) as Role,
    team: r.team == null ? null : String(r.team),
    createdAt: String(r.created_at),
    revokedAt: r.revoked_at == null ? null : String(r.revoked_at),
  };
}

/** Expects the workbook columns plus snapshot_count and latest_model_version. */
export function rowToWorkbook(r: Row): WorkbookHead {
  return {
    workbookId: String(r.id),
    owner: String(r.owner),
    createdAt: String(r.created_at),
    entryCount: Number(r.entry_count),
    lastHash: String(r.last_hash),
    lastEntryId: r.last_entry_id == null ? null : String(r.last_entry_id),
    snapshotCount: Number(r.snapshot_count ?? 0),
    latestModelVersion: r.latest_model_version == null ? null : String(r.latest_model_version),
  };
}

export const WORKBOOK_SELECT = `SELECT w.id, w.owner, w.created_at, w.entry_count, w.last_hash, w.last_entry_id,
  (SELECT COUNT(*) FROM snapshots s WHERE s.workbook_id = w.id AND s.pending = 0) AS snapshot_count,
  (SELECT s.model_version FROM snapshots s WHERE s.workbook_id = w.id AND s.pending = 0 ORDER BY s.seq DESC LIMIT 1) AS latest_model_version
FROM workbooks w`;

export function rowToSnapshotMeta(r: Row): SnapshotMeta {
  return {
    workbookId: String(r.workbook_id),
    modelVersion: String(r.model_version),
    seq: Number(r.seq),
    itemCount: Number(r.item_count),
    contentHash: String(r.content_hash),
    publishedAt: String(r.published_at),
    publishedBy: String(r.published_by),
  };
}

export function rowToItem(r: Row): SnapshotItem {
  // Items stored before the names table was followed carry meanDemand, sdDemand, orderQuantity.
  return normalizeItem(JSON.parse(String(r.item)) as SnapshotItem, null);
}

/**
 * Builds the WHERE clause of an audit query from fixed fragments; every value goes in `params`
 * and is bound by the driver. `ph(n)` renders the n-th placeholder ("?" or "$n").
 */
export function auditWhere(
  workbookId: string,
  q: { sku?: string; user?: string; action?: string; fromMs?: number; toMs?: number; afterSeq: number },
  ph: (n: number) => string,
): { where: string; params: unknown[] } {
  const params: unknown[] = [];
  const conds: string[] = [];
  const add = (fragment: string, value: unknown) => {
    params.push(value);
    conds.push(fragment.replace("§", ph(params.length)));
  };
  add("workbook_id = §", workbookId);
  add("seq > §", q.afterSeq);
  if (q.sku !== undefined) add("sku = §", q.sku);
  if (q.user !== undefined) add("user_name = §", q.user);
  if (q.action !== undefined) add("action = §", q.action);
  if (q.fromMs !== undefined) add("ts_ms >= §", q.fromMs);
  if (q.toMs !== undefined) add("ts_ms < §", q.toMs);
  return { where: conds.join(" AND "), params };
}
