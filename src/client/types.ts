/**
 * Shapes of the backend API as the pane sees them: the types are derived from the schemas in
 * src/api (imported as types only, so no schema code reaches the pane's bundle); paths and limits
 * are plain constants from src/api/paths.ts and src/api/limits.ts.
 */
import type {
  MappingProfile,
  MappingProfileInput,
  ApprovalBody,
  ChangeRequest,
  ChangeRequestInput,
  CreateChangeRequestResponse,
  DecisionBody,
  Reconciliation,
  ReconciliationInput,
  RecordReconciliationResponse,
  AppendAuditResponse,
  AuditEntry,
  AuditPage,
  Me,
  Problem,
  Role,
  SnapshotInput,
  SnapshotItem,
  SnapshotMeta,
  SnapshotPage,
  ServerKeys,
  StoredAuditEntry,
  TokenRecord,
  VerifyResult,
  WorkbookHead,
} from "../api";
import { MAX_BATCH } from "../api/limits";
import { API_PREFIX } from "../api/paths";

export type { MappingProfile, MappingProfileInput };
export type { ApprovalBody, ChangeRequest, ChangeRequestInput, CreateChangeRequestResponse, DecisionBody, Reconciliation, ReconciliationInput, RecordReconciliationResponse };
export type { AuditEntry, AuditPage, Me, Problem, Role, SnapshotInput, SnapshotItem, SnapshotMeta, SnapshotPage, ServerKeys, StoredAuditEntry, TokenRecord, VerifyResult, WorkbookHead };

/** The API lives under this path of the server URL. */
export const API_PATH = API_PREFIX;

/** Most entries the server accepts in one append. */
export const MAX_AUDIT_BATCH = MAX_BATCH;

/** POST /api/v1/workbooks/{id}/audit: 201 when something was stored now, 200 when all of it already was. */
export interface AppendResult extends AppendAuditResponse {
  status: number;
}

/** POST /api/v1/workbooks/{id}/snapshots: 201 created, 200 the same content was already published. */
export interface PublishResult {
  status: number;
  created: boolean;
  snapshot: SnapshotMeta;
}
