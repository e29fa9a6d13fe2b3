/**
 * Numbered schema migrations, one SQL text per dialect. Each runs once, in a transaction, and is
 * recorded in schema_migrations. Never edit a released migration: add the next number.
 */
import { MORE_MIGRATIONS } from "./migrationsMore";

export interface Migration {
  version: number;
  name: string;
  sqlite: string;
  postgres: string;
}

/** Column list shared by both dialects; INTEGER in SQLite is 64-bit, BIGINT in PostgreSQL. */
function initial(int: "INTEGER" | "BIGINT"): string {
  return `
CREATE TABLE tokens (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('planner', 'controller', 'admin')),
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  revoked_at TEXT
);
CREATE TABLE workbooks (
  id TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  created_at TEXT NOT NULL,
  entry_count ${int} NOT NULL DEFAULT 0,
  last_hash TEXT NOT NULL,
  last_entry_id TEXT
);
CREATE TABLE audit_entries (
  workbook_id TEXT NOT NULL REFERENCES workbooks (id),
  seq ${int} NOT NULL,
  entry_id TEXT NOT NULL UNIQUE,
  ts TEXT NOT NULL,
  ts_ms ${int} NOT NULL,
  user_name TEXT NOT NULL,
  action TEXT NOT NULL,
  sku TEXT NOT NULL,
  field TEXT NOT NULL,
  old_value TEXT NOT NULL,
  new_value TEXT NOT NULL,
  reason TEXT NOT NULL,
  model_version TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  entry_hash TEXT NOT NULL,
  received_at TEXT NOT NULL,
  received_by TEXT NOT NULL,
  received_token TEXT NOT NULL,
  PRIMARY KEY (workbook_id, seq)
);
CREATE INDEX audit_by_sku ON audit_entries (workbook_id, sku, seq);
CREATE INDEX audit_by_user ON audit_entries (workbook_id, user_name, seq);
CREATE INDEX audit_by_time ON audit_entries (workbook_id, ts_ms);
CREATE TABLE snapshots (
  workbook_id TEXT NOT NULL REFERENCES workbooks (id),
  model_version TEXT NOT NULL,
  seq ${int} NOT NULL,
  parameters TEXT NOT NULL,
  item_count ${int} NOT NULL,
  content_hash TEXT NOT NULL,
  published_at TEXT NOT NULL,
  published_by TEXT NOT NULL,
  PRIMARY KEY (workbook_id, model_version),
  UNIQUE (workbook_id, seq)
);
CREATE TABLE snapshot_items (
  workbook_id TEXT NOT NULL,
  model_version TEXT NOT NULL,
  idx ${int} NOT NULL,
  sku TEXT NOT NULL,
  segment TEXT,
  item TEXT NOT NULL,
  PRIMARY KEY (workbook_id, model_version, idx),
  UNIQUE (workbook_id, model_version, sku),
  FOREIGN KEY (workbook_id, model_version) REFERENCES snapshots (workbook_id, model_version)
);
`;
}

/**
 * Entry ids are unique per workbook, not across all of them: one planner storing another's next
 * entry id first must not block that planner's sync. SQLite cannot drop a constraint, so the table
 * is rebuilt (same columns, same indexes).
 */
const ENTRY_ID_PER_WORKBOOK_SQLITE = `
CREATE TABLE audit_entries_v2 (
  workbook_id TEXT NOT NULL REFERENCES workbooks (id),
  seq INTEGER NOT NULL,
  entry_id TEXT NOT NULL,
  ts TEXT NOT NULL,
  ts_ms INTEGER NOT NULL,
  user_name TEXT NOT NULL,
  action TEXT NOT NULL,
  sku TEXT NOT NULL,
  field TEXT NOT NULL,
  old_value TEXT NOT NULL,
  new_value TEXT NOT NULL,
  reason TEXT NOT NULL,
  model_version TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  entry_hash TEXT NOT NULL,
  received_at TEXT NOT NULL,
  received_by TEXT NOT NULL,
  received_token TEXT NOT NULL,
  PRIMARY KEY (workbook_id, seq),
  UNIQUE (workbook_id, entry_id)
);
INSERT INTO audit_entries_v2 SELECT workbook_id, seq, entry_id, ts, ts_ms, user_name, action, sku, field, old_value, new_value,
  reason, model_version, prev_hash, entry_hash, received_at, received_by, received_token FROM audit_entries;
DROP TABLE audit_entries;
ALTER TABLE audit_entries_v2 RENAME TO audit_entries;
CREATE INDEX audit_by_sku ON audit_entries (workbook_id, sku, seq);
CREATE INDEX audit_by_user ON audit_entries (workbook_id, user_name, seq);
CREATE INDEX audit_by_time ON audit_entries (workbook_id, ts_ms);
`;
const ENTRY_ID_PER_WORKBOOK_POSTGRES = `
ALTER TABLE audit_entries DROP CONSTRAINT audit_entries_entry_id_key;
ALTER TABLE audit_entries ADD CONSTRAINT audit_entries_workbook_entry_key UNIQUE (workbook_id, entry_id);
`;

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: "tokens, workbooks, audit entries, snapshots", sqlite: initial("INTEGER"), postgres: initial("BIGINT") },
  { version: 2, name: "audit entry ids unique per workbook", sqlite: ENTRY_ID_PER_WORKBOOK_SQLITE, postgres: ENTRY_ID_PER_WORKBOOK_POSTGRES },
  ...MORE_MIGRATIONS,
];

export const MIGRATIONS_TABLE_SQL = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at TEXT NOT NULL
)`;
