/**
 * The one storage interface of the backend. Two implementations: SQLite (better-sqlite3, the
 * default) and PostgreSQL (pg, when DATABASE_URL is set). The chain and ownership rules live in
 * ../ingest.ts and are shared; a backend only supplies the transaction and the SQL around them.
 */
import type { AuditAction, AuditEntry } from "../../engine/audit";

export const ROLES = ["planner", "controller", "admin"] as const;
export type Role = (typeof ROLES)[number];

/** Who sent a request: the token's id, its name (the person or system) and its role. */
export interface Identity {
  tokenId: string;
  name: string;
  role: Role;
}

export interface TokenRecord {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
  revokedAt: string | null;
}

export interface NewToken {
  id: string;
  name: string;
  role: Role;
  tokenHash: string;
  createdAt: string;
}

export interface WorkbookHead {
  workbookId: string;
  /** Token name of the planner that first wrote to the workbook. */
  owner: string;
  createdAt: string;
  entryCount: number;
  /** Hash the next entry must link to (GENESIS_HASH while the trail is empty). */
  lastHash: string;
  lastEntryId: string | null;
  snapshotCount: number;
  latestModelVersion: string | null;
}

/** An audit entry as the server holds it: the entry itself plus where and when it arrived. */
export interface StoredAuditEntry extends AuditEntry {
  /** Position in the workbook's chain, 1-based. */
  seq: number;
  /** Server time (ISO 8601 UTC) the batch holding it was committed. */
  receivedAt: string;
  /** Name of the token that sent it. */
  receivedBy: string;
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

export interface SnapshotItem {
  sku: string;
  value?: number | null;
  cumShare?: number | null;
  abc?: "A" | "B" | "C" | null;
  cv?: number | null;
  xyz?: "X" | "Y" | "Z" | null;
  adi?: number | null;
  cv2?: number | null;
  pattern?: "smooth" | "erratic" | "intermittent" | "lumpy" | null;
  segment?: string | null;
  serviceLevel?: number | null;
  meanDemand?: number | null;
  sdDemand?: number | null;
  leadTime?: number | null;
  safetyStock?: number | null;
  reorderPoint?: number | null;
  orderQuantity?: number | null;
  overridden?: boolean;
  error?: string | null;
}

export interface SnapshotInput {
  modelVersion: string;
  parameters: Record<string, unknown>;
  items: SnapshotItem[];
}

export interface SnapshotMeta {
  workbookId: string;
  modelVersion: string;
  /** Publication order within the workbook, 1-based; "latest" is the highest. */
  seq: number;
  itemCount: number;
  contentHash: string;
  publishedAt: string;
  publishedBy: string;
}

export type PublishOutcome =
  | { kind: "created"; meta: SnapshotMeta }
  | { kind: "exists"; meta: SnapshotMeta }
  | { kind: "conflict"; meta: SnapshotMeta }
  | { kind: "forbidden"; workbookId: string };

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

  publishSnapshot(
    workbookId: string,
    sender: Identity,
    input: SnapshotInput,
    contentHash: string,
    publishedAt: string,
  ): Promise<PublishOutcome>;
  listSnapshots(workbookId: string): Promise<SnapshotMeta[]>;
  /** A given version, or the latest when modelVersion is null. */
  getSnapshot(workbookId: string, modelVersion: string | null): Promise<(SnapshotMeta & { parameters: Record<string, unknown> }) | null>;
  /** Items in publication order; all of them when page is omitted. */
  getSnapshotItems(workbookId: string, modelVersion: string, page?: ItemPage): Promise<SnapshotItem[]>;
}
