/**
 * The one storage interface of the backend. Two implementations: SQLite (better-sqlite3, the
 * default) and PostgreSQL (pg, when DATABASE_URL is set). The chain and ownership rules live in
 * ../ingest.ts and are shared; a backend only supplies the transaction and the SQL around them.
 */
import type { Role, SnapshotItem, SnapshotMeta, StoredAuditEntry, TokenRecord, WorkbookHead } from "../../api";
import type { AuditAction, AuditEntry } from "../../engine/audit";
import type { SqlRunner } from "./controls";
import type { ApplyResult, Change } from "./inputs";
import type { ItemFilter } from "./itemFilter";

export { ROLES } from "../../api";
export type { ItemFilter, SqlRunner };
export type { Role, SnapshotItem, SnapshotMeta, StoredAuditEntry, TokenRecord, WorkbookHead };

/** Who sent a request: the token's id, its name (the person or system), its role and its team (null: none). */
export interface Identity {
  tokenId: string;
  name: string;
  role: Role;
  /** Absent or null: no team. */
  team?: string | null;
}

export interface NewToken {
  id: string;
  name: string;
  role: Role;
  /** The team whose mapping profiles the token shares (null: none). */
  team: string | null;
  tokenHash: string;
  createdAt: string;
}

/** The stored fields an audit leaf covers (src/engine/treeHead.ts LeafFields). */
export interface AuditLeafRow {
  workbookId: string;
  seq: number;
  entryId: string;
  entryHash: string;
  receivedBy: string;
  receivedAt: string;
}

export interface AuditQuery {
  sku?: string;
  user?: string;
  action?: AuditAction;
  /** Entry timestamp lower bound (inclusive), epoch ms. */
  fromMs?: number;
  /** Entry timestamp upper bound (exclusive), epoch ms. */
  toMs?: number;
  /** Only entries with seq greater than this (cursor). */
  afterSeq: number;
  limit: number;
}

export type AppendOutcome =
  | { kind: "ok"; stored: string[]; alreadyStored: string[]; entryCount: number; lastHash: string }
  | { kind: "forbidden"; workbookId: string }
  | { kind: "conflict"; index: number; entryId: string; reason: string };

export interface SnapshotInput {
  modelVersion: string;
  parameters: Record<string, unknown>;
  items: SnapshotItem[];
}

/** One item as stored: its SKU and segment (indexed columns) and its JSON (publishPrepare.ts). */
export interface PreparedItemRow {
  sku: string;
  segment: string | null;
  item: string;
}

/** A publication checked and hashed by publishPrepare.ts, ready to store. */
export interface PreparedSnapshot {
  modelVersion: string;
  /** JSON of the parameters, stored verbatim. */
  parametersJson: string;
  /** snapshotContentHash of the parameters and the normalised items. */
  contentHash: string;
  itemCount: number;
  /** The items in publication order (itemCount of them). */
  rows: readonly PreparedItemRow[];
}

export type PublishOutcome =
  | { kind: "created"; meta: SnapshotMeta }
  | { kind: "exists"; meta: SnapshotMeta }
  | { kind: "conflict"; meta: SnapshotMeta }
  | { kind: "forbidden"; workbookId: string }
  /** Another process sharing the SQLite file is storing this modelVersion right now. */
  | { kind: "busy"; modelVersion: string };

export interface ItemPage {
  offset: number;
  limit: number;
  sku?: string;
}

export interface Storage {
  readonly kind: "sqlite" | "postgres";
  /** Where the data lives, without secrets (file path, or host/port/database). */
  readonly location: string;
  /** Applies pending migrations; returns the versions applied now. */
  migrate(): Promise<number[]>;
  /** Throws when the database does not answer. */
  ping(): Promise<void>;
  close(): Promise<void>;

  createToken(token: NewToken): Promise<void>;
  /** The token with this hash, revoked or not, or null. */
  findTokenByHash(tokenHash: string): Promise<(TokenRecord & { tokenHash: string }) | null>;
  listTokens(): Promise<TokenRecord[]>;
  /** Revokes active tokens by id; returns the records revoked (empty when none matched). */
  revokeToken(id: string, at: string): Promise<TokenRecord[]>;
  /** Revokes every active token with this name. */
  revokeTokensByName(name: string, at: string): Promise<TokenRecord[]>;

  /**
   * Appends a run of entries, already checked to be a well-formed chain run (hashes and internal
   * links) for this workbook, in one transaction serialised per workbook.
   */
  appendAudit(workbookId: string, sender: Identity, entries: readonly AuditEntry[], receivedAt: string): Promise<AppendOutcome>;
  getWorkbook(workbookId: string): Promise<WorkbookHead | null>;
  /** All workbooks, or those owned by `owner`. */
  listWorkbooks(owner?: string): Promise<WorkbookHead[]>;
  queryAudit(workbookId: string, query: AuditQuery): Promise<StoredAuditEntry[]>;
  /** What the audit Merkle tree covers of entries after `afterSeq`, in seq order (../ledger.ts loads trees with it). */
  auditLeafRows?(workbookId: string, afterSeq: number, limit: number): Promise<AuditLeafRow[]>;

  /**
   * Stores a prepared publication, or answers "exists"/"conflict" for a modelVersion already
   * published. Publications of one workbook are serialised; readers never see one half stored
   * (SQLite writes a large one in chunks under a pending row, see sqlite.ts).
   */
  publishSnapshot(workbookId: string, sender: Identity, snapshot: PreparedSnapshot, publishedAt: string): Promise<PublishOutcome>;
  /** Removes what a publication interrupted by a crash left (SQLite pending rows); the server calls it at start-up. */
  discardUnfinishedPublications?(): Promise<number>;
  listSnapshots(workbookId: string): Promise<SnapshotMeta[]>;
  /** A given version, or the latest when modelVersion is null. */
  getSnapshot(workbookId: string, modelVersion: string | null): Promise<(SnapshotMeta & { parameters: Record<string, unknown> }) | null>;
  /** Items in publication order; all of them when page is omitted. */
  getSnapshotItems(workbookId: string, modelVersion: string, page?: ItemPage): Promise<SnapshotItem[]>;

  // ---- issue 15: per-SKU reads for other systems ----
  /** Items of a version matching the filter, in publication order, `limit` of them after skipping `offset`. */
  querySnapshotItems(workbookId: string, modelVersion: string, filter: ItemFilter, offset: number, limit: number): Promise<SnapshotItem[]>;

  // ---- issues 10 and 14: records whose SQL is shared by both backends (storage/controls.ts, storage/inputs.ts) ----
  /** One statement at a time, "?" placeholders (numbered for PostgreSQL); each call is atomic on its own. */
  sql(): SqlRunner;

  /**
   * Applies a batch of incremental input changes (issue 14) under src/engine/cdc.ts's rules, in one
   * transaction serialised per workbook; the first sender claims a new workbook like an audit batch.
   */
  applyInputChanges(workbookId: string, sender: Identity, changes: readonly Change[], at: string): Promise<{ kind: "forbidden" } | { kind: "ok"; result: ApplyResult }>;
}
