/**
 * Where the API lives: every route's path pattern (Fastify syntax, ":name" for a parameter), shared
 * by the server's routes and the client. No schema library here, so the pane can import it without
 * pulling TypeBox into its bundle.
 */
export const API_PREFIX = "/api/v1";

export const PATHS = {
  health: "/health",
  ready: "/ready",
  openapi: `${API_PREFIX}/openapi.json`,
  me: `${API_PREFIX}/me`,
  workbooks: `${API_PREFIX}/workbooks`,
  workbook: `${API_PREFIX}/workbooks/:workbookId`,
  audit: `${API_PREFIX}/workbooks/:workbookId/audit`,
  auditVerify: `${API_PREFIX}/workbooks/:workbookId/audit/verify`,
  auditHead: `${API_PREFIX}/workbooks/:workbookId/audit/head`,
  inclusionProof: `${API_PREFIX}/workbooks/:workbookId/audit/proofs/inclusion`,
  consistencyProof: `${API_PREFIX}/workbooks/:workbookId/audit/proofs/consistency`,
  serverKey: `${API_PREFIX}/server-key`,
  snapshots: `${API_PREFIX}/workbooks/:workbookId/snapshots`,
  snapshot: `${API_PREFIX}/workbooks/:workbookId/snapshots/:modelVersion`,
  snapshotDiff: `${API_PREFIX}/workbooks/:workbookId/snapshots/:modelVersion/diff`,
  snapshotSkus: `${API_PREFIX}/workbooks/:workbookId/snapshots/:modelVersion/skus`,
  snapshotSku: `${API_PREFIX}/workbooks/:workbookId/snapshots/:modelVersion/skus/:sku`,
  executionCsv: `${API_PREFIX}/workbooks/:workbookId/snapshots/:modelVersion/execution.csv`,
  forecastAccuracy: `${API_PREFIX}/workbooks/:workbookId/snapshots/:modelVersion/forecast-accuracy`,
  mrpCsv: `${API_PREFIX}/workbooks/:workbookId/snapshots/:modelVersion/mrp.csv`,
  reconciliations: `${API_PREFIX}/workbooks/:workbookId/reconciliations`,
  reconciliation: `${API_PREFIX}/workbooks/:workbookId/reconciliations/:reconciliationId`,
  reconciliationApproval: `${API_PREFIX}/workbooks/:workbookId/reconciliations/:reconciliationId/approval`,
  changeRequests: `${API_PREFIX}/workbooks/:workbookId/change-requests`,
  changeRequest: `${API_PREFIX}/workbooks/:workbookId/change-requests/:requestId`,
  changeRequestDecision: `${API_PREFIX}/workbooks/:workbookId/change-requests/:requestId/decision`,
  inputChanges: `${API_PREFIX}/workbooks/:workbookId/inputs/changes`,
  inputsChanged: `${API_PREFIX}/workbooks/:workbookId/inputs/changed`,
  inputs: `${API_PREFIX}/workbooks/:workbookId/inputs`,
  inputsCompact: `${API_PREFIX}/workbooks/:workbookId/inputs/compact`,
  mappingProfiles: `${API_PREFIX}/mapping-profiles`,
  mappingProfile: `${API_PREFIX}/mapping-profiles/:profileId`,
  tokens: `${API_PREFIX}/tokens`,
  token: `${API_PREFIX}/tokens/:tokenId`,
} as const;

export type PathName = keyof typeof PATHS;
export type Method = "GET" | "POST" | "DELETE";

/** A path pattern with its parameters filled in (percent-encoded), e.g. fillPath(PATHS.workbook, { workbookId: "wb-1" }). */
export function fillPath(pattern: string, params: Record<string, string> = {}): string {
  return pattern.replace(/:([A-Za-z]+)/g, (_m, name: string) => {
    const v = params[name];
    if (v === undefined) throw new Error(`fillPath: no value for :${name} in ${pattern}`);
    return encodeURIComponent(v);
  });
}

/** The OpenAPI spelling of a path pattern: ":workbookId" becomes "{workbookId}". */
export function openApiPath(pattern: string): string {
  return pattern.replace(/:([A-Za-z]+)/g, "{$1}");
}
