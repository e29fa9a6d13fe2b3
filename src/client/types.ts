/**
 * Shapes of the backend API (src/server/schemas.ts) as the pane sees them. The server's own types
 * are imported as types only (erased at build time), so a change on the server side shows up here
 * as a compile error instead of a silent mismatch; no server code reaches the pane's bundle.
 */
import type { AuditEntry } from "../engine/audit";
import type { BatchReceipt, ServerPublicKey } from "../engine/treeHead";
import type {
  Role,
  SnapshotInput,
  SnapshotItem,
  SnapshotMeta,
  StoredAuditEntry,
  TokenRecord,
  WorkbookHead,
} from "../server/storage/types";

export type { AuditEntry, Role, SnapshotInput, SnapshotItem, SnapshotMeta, StoredAuditEntry, TokenRecord, WorkbookHead };

/** The API lives under this path of the server URL. */
export const API_PATH = "/api/v1";

/** Most entries the server accepts in one append (schemas.ts MAX_BATCH). */
export const MAX_AUDIT_BATCH = 1000;

/** RFC 9457 problem details as the server sends them (application/problem+json). */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** The audit entry at fault, when there is one. */
  entryId?: string;
  /** Its position in the request's entries array. */
  index?: number;
  /** The request field at fault (validation errors). */
  field?: string;
  [extension: string]: unknown;
}

/** GET /api/v1/me */
export interface Me {
  name: string;
  role: Role;
  tokenId: string;
}

/** POST /api/v1/workbooks/{id}/audit: 201 when something was stored now, 200 when all of it already was. */
export interface AppendResult {
  status: number;
  stored: string[];
  alreadyStored: string[];
  entryCount: number;
  lastHash: string;
  /** Signed receipt (docs/audit-proofs.md); absent from servers older than issue 8. */
  receipt?: BatchReceipt;
}

/** GET /api/v1/server-key */
export interface ServerKeys {
  current: ServerPublicKey;
  retired: ServerPublicKey[];
}

/** POST /api/v1/workbooks/{id}/snapshots: 201 created, 200 the same content was already published. */
export interface PublishResult {
  status: number;
  created: boolean;
  snapshot: SnapshotMeta;
}

export interface SnapshotPage {
  snapshot: SnapshotMeta;
  parameters: Record<string, unknown>;
  items: SnapshotItem[];
  nextOffset: number | null;
}

export type VerifyResult =
  | { ok: true; count: number; lastHash: string }
  | { ok: false; count: number; index: number; seq: number; entryId: string; reason: string };

export interface AuditPage {
  entries: StoredAuditEntry[];
  nextCursor: string | null;
}
