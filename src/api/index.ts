/**
 * The API contract, shared by the server (src/server/routes) and the client (src/client): paths,
 * limits, and one schema module per resource; the static types are derived from the schemas.
 * OPERATIONS pairs every method + path with its schema; the server registers each route with
 * exactly that schema, so the OpenAPI document (GET /api/v1/openapi.json) is generated from it.
 * The pane imports types from here and values only from ./paths and ./limits (no TypeBox in its bundle).
 */
import * as audit from "./audit";
import * as controls from "./controls";
import { Problem } from "./common";
import * as health from "./health";
import * as inputs from "./inputs";
import { PATHS, type Method } from "./paths";
import * as proofs from "./proofs";
import * as snapshots from "./snapshots";
import * as tokens from "./tokens";
import * as workbooks from "./workbooks";

export * from "./audit";
export * from "./common";
export * from "./controls";
export * from "./health";
export * from "./inputs";
export * from "./limits";
export * from "./paths";
export * from "./proofs";
export * from "./snapshots";
export * from "./tokens";
export * from "./workbooks";

/** Shared schemas by $id, registered once by the server and referenced by the routes' schemas. */
export const SHARED_SCHEMAS = [
  Problem,
  audit.AuditEntry,
  audit.StoredAuditEntry,
  snapshots.SnapshotItem,
  snapshots.SnapshotItemInput,
  snapshots.SnapshotMeta,
  workbooks.WorkbookHead,
  tokens.TokenRecord,
  proofs.SignedTreeHead,
  proofs.BatchReceipt,
];

export interface Operation {
  method: Method;
  path: string;
  schema: Record<string, unknown>;
}

const op = <S extends Record<string, unknown>>(method: Method, path: string, schema: S) => ({ method, path, schema }) as const;

/** Every route of the API: method, path and schema. */
export const OPERATIONS = {
  health: op("GET", PATHS.health, health.health),
  ready: op("GET", PATHS.ready, health.ready),
  me: op("GET", PATHS.me, tokens.me),
  appendAudit: op("POST", PATHS.audit, audit.appendAudit),
  listAudit: op("GET", PATHS.audit, audit.listAudit),
  verifyAudit: op("GET", PATHS.auditVerify, audit.verifyAudit),
  serverKey: op("GET", PATHS.serverKey, proofs.serverKey),
  treeHead: op("GET", PATHS.auditHead, proofs.treeHead),
  inclusionProof: op("GET", PATHS.inclusionProof, proofs.inclusionProof),
  consistencyProof: op("GET", PATHS.consistencyProof, proofs.consistencyProof),
  listWorkbooks: op("GET", PATHS.workbooks, workbooks.listWorkbooks),
  getWorkbook: op("GET", PATHS.workbook, workbooks.getWorkbook),
  publishSnapshot: op("POST", PATHS.snapshots, snapshots.publishSnapshot),
  listSnapshots: op("GET", PATHS.snapshots, snapshots.listSnapshots),
  getSnapshot: op("GET", PATHS.snapshot, snapshots.getSnapshot),
  diffSnapshots: op("GET", PATHS.snapshotDiff, snapshots.diffSnapshots),
  getSnapshotSku: op("GET", PATHS.snapshotSku, snapshots.getSnapshotSku),
  listSnapshotSkus: op("GET", PATHS.snapshotSkus, snapshots.listSnapshotSkus),
  exportExecutionCsv: op("GET", PATHS.executionCsv, snapshots.exportExecutionCsv),
  getForecastAccuracy: op("GET", PATHS.forecastAccuracy, snapshots.getForecastAccuracy),
  exportMrpCsv: op("GET", PATHS.mrpCsv, snapshots.exportMrpCsv),
  recordReconciliation: op("POST", PATHS.reconciliations, controls.recordReconciliation),
  listReconciliations: op("GET", PATHS.reconciliations, controls.listReconciliations),
  getReconciliation: op("GET", PATHS.reconciliation, controls.getReconciliation),
  approveReconciliation: op("POST", PATHS.reconciliationApproval, controls.approveReconciliation),
  createChangeRequest: op("POST", PATHS.changeRequests, controls.createChangeRequest),
  listChangeRequests: op("GET", PATHS.changeRequests, controls.listChangeRequests),
  getChangeRequest: op("GET", PATHS.changeRequest, controls.getChangeRequest),
  decideChangeRequest: op("POST", PATHS.changeRequestDecision, controls.decideChangeRequest),
  applyInputChanges: op("POST", PATHS.inputChanges, inputs.applyInputChanges),
  getChangedSkus: op("GET", PATHS.inputsChanged, inputs.getChangedSkus),
  getInputs: op("GET", PATHS.inputs, inputs.getInputs),
  compactInputs: op("POST", PATHS.inputsCompact, inputs.compactInputs),
  saveMappingProfile: op("POST", PATHS.mappingProfiles, inputs.saveMappingProfile),
  listMappingProfiles: op("GET", PATHS.mappingProfiles, inputs.listMappingProfiles),
  getMappingProfile: op("GET", PATHS.mappingProfile, inputs.getMappingProfile),
  deleteMappingProfile: op("DELETE", PATHS.mappingProfile, inputs.deleteMappingProfile),
  createToken: op("POST", PATHS.tokens, tokens.createToken),
  listTokens: op("GET", PATHS.tokens, tokens.listTokens),
  revokeToken: op("DELETE", PATHS.token, tokens.revokeToken),
} satisfies Record<string, Operation>;

export type OperationName = keyof typeof OPERATIONS;
