/**
 * Storage of reconciliations and change requests (issue 10), the same SQL for both backends
 * through a minimal runner ("?" placeholders; the PostgreSQL runner numbers them). Every write is
 * one statement, so it is atomic on its own: the create is INSERT … ON CONFLICT DO NOTHING, and a
 * decision is an UPDATE whose WHERE says "still undecided, and not by its author", so two
 * controllers deciding at once cannot both win.
 */
import type { ChangeRequest, ChangeRequestInput, Reconciliation, ReconciliationInput } from "../../api";
import { canonicalJson } from "../snapshots";
import { createHash } from "node:crypto";
import type { Row } from "./rows";

export interface SqlRunner {
  /** Runs one statement with "?" placeholders; rows for SELECT / RETURNING, [] otherwise. */
  query(sql: string, params: unknown[]): Promise<Row[]>;
}

export type CreateOutcome<T> = { kind: "created" | "exists" | "conflict"; record: T };
export type DecideOutcome<T> = { kind: "ok"; record: T } | { kind: "missing" } | { kind: "decided"; record: T } | { kind: "own"; record: T };

const sha = (v: unknown) => createHash("sha256").update(canonicalJson(v), "utf8").digest("hex");

function rowToReconciliation(r: Row): Reconciliation {
  return {
    workbookId: String(r.workbook_id),
    reconciliationId: String(r.id),
    modelVersion: String(r.model_version),
    financeFingerprint: String(r.finance_fingerprint),
    status: String(r.status) as Reconciliation["status"],
    totals: JSON.parse(String(r.totals)) as Reconciliation["totals"],
    summary: JSON.parse(String(r.summary)) as Record<string, unknown>,
    recordedAt: String(r.recorded_at),
    recordedBy: String(r.recorded_by),
    approval: r.approved_at == null ? null : { by: String(r.approved_by), at: String(r.approved_at), comment: String(r.approval_comment) },
  };
}

function rowToChangeRequest(r: Row): ChangeRequest {
  return {
    workbookId: String(r.workbook_id),
    requestId: String(r.id),
    reason: String(r.reason),
    changes: JSON.parse(String(r.changes)) as string[],
    previous: JSON.parse(String(r.previous)) as Record<string, unknown>,
    proposed: JSON.parse(String(r.proposed)) as Record<string, unknown>,
    status: String(r.status) as ChangeRequest["status"],
    requestedAt: String(r.requested_at),
    requestedBy: String(r.requested_by),
    decision: r.decided_at == null ? null : { by: String(r.decided_by), at: String(r.decided_at), comment: String(r.decision_comment) },
  };
}

const nextSeq = (table: string) => `(SELECT COALESCE(MAX(seq), 0) + 1 FROM ${table} WHERE workbook_id = ?)`;

export async function recordReconciliation(db: SqlRunner, workbookId: string, input: ReconciliationInput, by: string, at: string): Promise<CreateOutcome<Reconciliation>> {
  const summary = input.summary ?? {};
  const content = sha({ modelVersion: input.modelVersion, financeFingerprint: input.financeFingerprint, status: input.status, totals: input.totals, summary });
  const inserted = await db.query(
    `INSERT INTO reconciliations (workbook_id, id, seq, model_version, finance_fingerprint, status, totals, summary, content_hash, recorded_at, recorded_by)
     VALUES (?, ?, ${nextSeq("reconciliations")}, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (workbook_id, id) DO NOTHING RETURNING *`,
    [workbookId, input.reconciliationId, workbookId, input.modelVersion, input.financeFingerprint, input.status, JSON.stringify(input.totals), JSON.stringify(summary), content, at, by],
  );
  if (inserted[0]) return { kind: "created", record: rowToReconciliation(inserted[0]) };
  const [existing] = await db.query("SELECT * FROM reconciliations WHERE workbook_id = ? AND id = ?", [workbookId, input.reconciliationId]);
  return { kind: String(existing.content_hash) === content ? "exists" : "conflict", record: rowToReconciliation(existing) };
}

export async function listReconciliations(db: SqlRunner, workbookId: string, q: { modelVersion?: string; approved?: boolean }): Promise<Reconciliation[]> {
  let sql = "SELECT * FROM reconciliations WHERE workbook_id = ?";
  const params: unknown[] = [workbookId];
  if (q.modelVersion !== undefined) {
    sql += " AND model_version = ?";
    params.push(q.modelVersion);
  }
  if (q.approved !== undefined) sql += q.approved ? " AND approved_at IS NOT NULL" : " AND approved_at IS NULL";
  return (await db.query(`${sql} ORDER BY seq`, params)).map(rowToReconciliation);
}

export async function getReconciliation(db: SqlRunner, workbookId: string, id: string): Promise<Reconciliation | null> {
  const [r] = await db.query("SELECT * FROM reconciliations WHERE workbook_id = ? AND id = ?", [workbookId, id]);
  return r ? rowToReconciliation(r) : null;
}

export async function approveReconciliation(db: SqlRunner, workbookId: string, id: string, by: string, at: string, comment: string): Promise<DecideOutcome<Reconciliation>> {
  const [r] = await db.query(
    "UPDATE reconciliations SET approved_by = ?, approved_at = ?, approval_comment = ? WHERE workbook_id = ? AND id = ? AND approved_at IS NULL AND recorded_by <> ? RETURNING *",
    [by, at, comment, workbookId, id, by],
  );
  if (r) return { kind: "ok", record: rowToReconciliation(r) };
  const current = await getReconciliation(db, workbookId, id);
  if (!current) return { kind: "missing" };
  return current.approval ? { kind: "decided", record: current } : { kind: "own", record: current };
}

export async function createChangeRequest(db: SqlRunner, workbookId: string, input: ChangeRequestInput, by: string, at: string): Promise<CreateOutcome<ChangeRequest>> {
  const content = sha({ reason: input.reason, changes: input.changes, previous: input.previous, proposed: input.proposed });
  const inserted = await db.query(
    `INSERT INTO change_requests (workbook_id, id, seq, reason, changes, previous, proposed, content_hash, status, requested_at, requested_by)
     VALUES (?, ?, ${nextSeq("change_requests")}, ?, ?, ?, ?, ?, 'pending', ?, ?) ON CONFLICT (workbook_id, id) DO NOTHING RETURNING *`,
    [workbookId, input.requestId, workbookId, input.reason, JSON.stringify(input.changes), JSON.stringify(input.previous), JSON.stringify(input.proposed), content, at, by],
  );
  if (inserted[0]) return { kind: "created", record: rowToChangeRequest(inserted[0]) };
  const [existing] = await db.query("SELECT * FROM change_requests WHERE workbook_id = ? AND id = ?", [workbookId, input.requestId]);
  return { kind: String(existing.content_hash) === content ? "exists" : "conflict", record: rowToChangeRequest(existing) };
}

export async function listChangeRequests(db: SqlRunner, workbookId: string, status?: string): Promise<ChangeRequest[]> {
  const rows =
    status === undefined
      ? await db.query("SELECT * FROM change_requests WHERE workbook_id = ? ORDER BY seq", [workbookId])
      : await db.query("SELECT * FROM change_requests WHERE workbook_id = ? AND status = ? ORDER BY seq", [workbookId, status]);
  return rows.map(rowToChangeRequest);
}

export async function getChangeRequest(db: SqlRunner, workbookId: string, id: string): Promise<ChangeRequest | null> {
  const [r] = await db.query("SELECT * FROM change_requests WHERE workbook_id = ? AND id = ?", [workbookId, id]);
  return r ? rowToChangeRequest(r) : null;
}

export async function decideChangeRequest(db: SqlRunner, workbookId: string, id: string, approve: boolean, by: string, at: string, comment: string): Promise<DecideOutcome<ChangeRequest>> {
  const [r] = await db.query(
    "UPDATE change_requests SET status = ?, decided_by = ?, decided_at = ?, decision_comment = ? WHERE workbook_id = ? AND id = ? AND status = 'pending' AND requested_by <> ? RETURNING *",
    [approve ? "approved" : "rejected", by, at, comment, workbookId, id, by],
  );
  if (r) return { kind: "ok", record: rowToChangeRequest(r) };
  const current = await getChangeRequest(db, workbookId, id);
  if (!current) return { kind: "missing" };
  return current.status !== "pending" ? { kind: "decided", record: current } : { kind: "own", record: current };
}

/** "?" placeholders numbered for PostgreSQL ($1, $2, …); the statements here hold no literal "?". */
export function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}
