/**
 * Migrations of the controller records (issue 10) and of incremental inputs and mapping profiles
 * (issue 14). Numbered from 20 so that other branches can add 2, 3, … without a clash; the order
 * of MIGRATIONS (migrations.ts) is the order they run in.
 */
import type { Migration } from "./migrations";

function controls(int: "INTEGER" | "BIGINT"): string {
  return `
CREATE TABLE reconciliations (
  workbook_id TEXT NOT NULL REFERENCES workbooks (id),
  id TEXT NOT NULL,
  seq ${int} NOT NULL,
  model_version TEXT NOT NULL,
  finance_fingerprint TEXT NOT NULL,
  status TEXT NOT NULL,
  totals TEXT NOT NULL,
  summary TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  approved_by TEXT,
  approved_at TEXT,
  approval_comment TEXT,
  PRIMARY KEY (workbook_id, id)
);
CREATE INDEX reconciliations_by_seq ON reconciliations (workbook_id, seq);
CREATE TABLE change_requests (
  workbook_id TEXT NOT NULL REFERENCES workbooks (id),
  id TEXT NOT NULL,
  seq ${int} NOT NULL,
  reason TEXT NOT NULL,
  changes TEXT NOT NULL,
  previous TEXT NOT NULL,
  proposed TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
  requested_at TEXT NOT NULL,
  requested_by TEXT NOT NULL,
  decided_by TEXT,
  decided_at TEXT,
  decision_comment TEXT,
  PRIMARY KEY (workbook_id, id)
);
CREATE INDEX change_requests_by_status ON change_requests (workbook_id, status, seq);
`;
}

function inputs(int: "INTEGER" | "BIGINT", real: "REAL" | "DOUBLE PRECISION"): string {
  return `
CREATE TABLE input_changes (
  workbook_id TEXT NOT NULL REFERENCES workbooks (id),
  change_id TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  watermark ${real} NOT NULL,
  received_at TEXT NOT NULL,
  received_by TEXT NOT NULL,
  PRIMARY KEY (workbook_id, change_id)
);
CREATE TABLE input_cells (
  workbook_id TEXT NOT NULL REFERENCES workbooks (id),
  sku TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('demand', 'attribute')),
  name TEXT NOT NULL,
  value TEXT,
  watermark ${real} NOT NULL,
  change_id TEXT NOT NULL,
  version ${int} NOT NULL,
  PRIMARY KEY (workbook_id, sku, kind, name)
);
CREATE INDEX input_cells_by_version ON input_cells (workbook_id, version);
CREATE TABLE input_state (
  workbook_id TEXT PRIMARY KEY REFERENCES workbooks (id),
  version ${int} NOT NULL,
  compacted_through ${real}
);
CREATE TABLE mapping_profiles (
  id TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  scope TEXT NOT NULL CHECK (scope IN ('user', 'team')),
  team TEXT NOT NULL DEFAULT '',
  name TEXT NOT NULL,
  source TEXT NOT NULL,
  profile TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  revision ${int} NOT NULL
);
CREATE UNIQUE INDEX mapping_profiles_by_name ON mapping_profiles (scope, owner, team, name);
`;
}

/** A token's team (issue 14): team mapping profiles are its members'. NULL = no team. */
const TOKEN_TEAM = "ALTER TABLE tokens ADD COLUMN team TEXT;";

/**
 * Issue 8 defect 15: SQLite stores a large snapshot in several transactions (the event loop free
 * between them) under a row marked pending, which no reader sees until the last one clears it.
 * PostgreSQL writes a snapshot in one transaction and never sets it; the column is there so that
 * the readers' SQL (rows.ts WORKBOOK_SELECT) is the same on both.
 */
const PENDING_SNAPSHOTS = `ALTER TABLE snapshots ADD COLUMN pending INTEGER NOT NULL DEFAULT 0;`;

export const MORE_MIGRATIONS: readonly Migration[] = [
  { version: 20, name: "reconciliations and change requests", sqlite: controls("INTEGER"), postgres: controls("BIGINT") },
  { version: 21, name: "incremental inputs and mapping profiles", sqlite: inputs("INTEGER", "REAL"), postgres: inputs("BIGINT", "DOUBLE PRECISION") },
  { version: 22, name: "token teams", sqlite: TOKEN_TEAM, postgres: TOKEN_TEAM },
  { version: 23, name: "snapshots written in chunks (pending until complete)", sqlite: PENDING_SNAPSHOTS, postgres: PENDING_SNAPSHOTS },
];
