/*
 * Controllers (issue 10, docs/controllers.md): reconciliations of a model version against finance,
 * stored with their approval, and change requests that a controller approves or rejects when
 * change control is on. Each record is created once by id (the pane uses the entryId of its audit
 * entry), so a retry is harmless; a decision is taken once, by someone other than its author.
 */
import { AUTH_ERRORS, Type, bearer, hash, nullableNumber, problems, stringEnum, workbookId, type Static } from "./common";
import { MODEL_VERSION_PATTERN, NO_NUL, UUID_PATTERN } from "./limits";

export const RECONCILIATION_STATUSES = ["ties out", "within tolerance", "unexplained"] as const;
export const CHANGE_REQUEST_STATUSES = ["pending", "approved", "rejected"] as const;

const uuid = (description: string) => Type.String({ pattern: UUID_PATTERN, description });
const freeObject = (description: string) => Type.Unsafe<Record<string, unknown>>(Type.Object({}, { additionalProperties: true, description }));


export const ReconciliationTotals = Type.Object(
  {
    segmentationValue: Type.Number(),
    financeValue: Type.Number(),
    difference: Type.Number({ description: "segmentation − finance." }),
    differencePct: nullableNumber("difference / |finance|; null when finance is 0."),
    segmentationSkus: Type.Integer({ minimum: 0 }),
    financeRows: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);

export const ReconciliationInput = Type.Object(
  {
    reconciliationId: uuid("Id of the reconciliation (the pane sends the entryId of its reconciliation-recorded audit entry)."),
    modelVersion: Type.String({ pattern: MODEL_VERSION_PATTERN, description: "The model version reconciled." }),
    financeFingerprint: hash("SHA-256 of the finance range (src/engine/fingerprint.ts)."),
    status: stringEnum(RECONCILIATION_STATUSES),
    totals: ReconciliationTotals,
    summary: Type.Optional(freeObject("The reconciliation summary (reconcileSummary), stored verbatim.")),
  },
  { additionalProperties: false },
);
export type ReconciliationInput = Static<typeof ReconciliationInput>;

const Approval = Type.Unsafe<{ by: string; at: string; comment: string } | null>({
  type: ["object", "null"],
  additionalProperties: false,
  required: ["by", "at", "comment"],
  properties: { by: { type: "string" }, at: { type: "string" }, comment: { type: "string" } },
  description: "The controller's approval; null while awaiting it.",
});

export const Reconciliation = Type.Object(
  {
    workbookId: Type.String(),
    ...ReconciliationInput.properties,
    summary: freeObject("As recorded ({} when none was sent)."),
    recordedAt: Type.String(),
    recordedBy: Type.String({ description: "Token name of the sender." }),
    approval: Approval,
  },
  { additionalProperties: false },
);
export type Reconciliation = Static<typeof Reconciliation>;

export const ReconciliationParams = Type.Object({ workbookId: workbookId(), reconciliationId: uuid("Reconciliation id.") }, { additionalProperties: false });
const WbParams = Type.Object({ workbookId: workbookId() }, { additionalProperties: false });

export const RecordReconciliationResponse = Type.Object(
  { created: Type.Boolean(), reconciliation: Reconciliation },
  { additionalProperties: false, description: "201 when stored now, 200 when the same reconciliation was already stored." },
);
export type RecordReconciliationResponse = Static<typeof RecordReconciliationResponse>;

export const recordReconciliation = {
  tags: ["controllers"],
  summary: "Store a reconciliation of a model version against finance (planner owner, or a controller).",
  description: "Idempotent by reconciliationId: the same content again answers 200, different content 409.",
  security: bearer,
  params: WbParams,
  body: ReconciliationInput,
  response: { "2xx": RecordReconciliationResponse, ...problems(...AUTH_ERRORS, 404, 409, 413, 415) },
};

export const ReconciliationListQuery = Type.Object(
  {
    modelVersion: Type.Optional(Type.String({ pattern: MODEL_VERSION_PATTERN })),
    approved: Type.Optional(stringEnum(["true", "false"] as const, { description: "Only approved (true) or awaiting approval (false)." })),
  },
  { additionalProperties: false },
);
export type ReconciliationListQuery = Static<typeof ReconciliationListQuery>;

export const ReconciliationList = Type.Object({ reconciliations: Type.Array(Reconciliation) }, { additionalProperties: false });
export type ReconciliationList = Static<typeof ReconciliationList>;

export const listReconciliations = {
  tags: ["controllers"],
  summary: "Reconciliations of a workbook, oldest first.",
  security: bearer,
  params: WbParams,
  querystring: ReconciliationListQuery,
  response: { 200: ReconciliationList, ...problems(...AUTH_ERRORS, 404) },
};

export const getReconciliation = {
  tags: ["controllers"],
  summary: "One reconciliation with its approval.",
  security: bearer,
  params: ReconciliationParams,
  response: { 200: Reconciliation, ...problems(...AUTH_ERRORS, 404) },
};

export const ApprovalBody = Type.Object({ comment: Type.String({ minLength: 1, maxLength: 8192, pattern: NO_NUL, description: "The approver's comment (required)." }) }, { additionalProperties: false });
export type ApprovalBody = Static<typeof ApprovalBody>;

export const approveReconciliation = {
  tags: ["controllers"],
  summary: "Approve a reconciliation with a comment (a controller other than the one who recorded it).",
  security: bearer,
  params: ReconciliationParams,
  body: ApprovalBody,
  response: { 200: Reconciliation, ...problems(...AUTH_ERRORS, 404, 409, 415) },
};

// ---- change requests ------------------------------------------------------------------------------

export const ChangeRequestInput = Type.Object(
  {
    requestId: uuid("Id of the request (the pane sends the entryId of its change-requested audit entry)."),
    reason: Type.String({ minLength: 10, maxLength: 8192, pattern: NO_NUL, description: "Why the parameters change (at least 10 characters)." }),
    changes: Type.Array(Type.String({ minLength: 1, maxLength: 1024, pattern: NO_NUL }), { minItems: 1, maxItems: 200, description: "What changes, one line each (e.g. \"ABC cut-offs 80/95 → 75/95\")." }),
    previous: freeObject("The parameters last written."),
    proposed: freeObject("The parameters proposed."),
  },
  { additionalProperties: false },
);
export type ChangeRequestInput = Static<typeof ChangeRequestInput>;

const Decision = Type.Unsafe<{ by: string; at: string; comment: string } | null>({
  type: ["object", "null"],
  additionalProperties: false,
  required: ["by", "at", "comment"],
  properties: { by: { type: "string" }, at: { type: "string" }, comment: { type: "string" } },
  description: "Who approved or rejected it; null while pending.",
});

export const ChangeRequest = Type.Object(
  {
    workbookId: Type.String(),
    ...ChangeRequestInput.properties,
    status: stringEnum(CHANGE_REQUEST_STATUSES),
    requestedAt: Type.String(),
    requestedBy: Type.String(),
    decision: Decision,
  },
  { additionalProperties: false },
);
export type ChangeRequest = Static<typeof ChangeRequest>;

export const ChangeRequestParams = Type.Object({ workbookId: workbookId(), requestId: uuid("Change request id.") }, { additionalProperties: false });

export const CreateChangeRequestResponse = Type.Object(
  { created: Type.Boolean(), changeRequest: ChangeRequest },
  { additionalProperties: false, description: "201 when stored now, 200 when the same request was already stored." },
);
export type CreateChangeRequestResponse = Static<typeof CreateChangeRequestResponse>;

export const createChangeRequest = {
  tags: ["controllers"],
  summary: "Record a change request before the Write (planner, owner of the workbook).",
  description: "Idempotent by requestId: the same content again answers 200, different content 409.",
  security: bearer,
  params: WbParams,
  body: ChangeRequestInput,
  response: { "2xx": CreateChangeRequestResponse, ...problems(...AUTH_ERRORS, 404, 409, 413, 415) },
};

export const ChangeRequestListQuery = Type.Object({ status: Type.Optional(stringEnum(CHANGE_REQUEST_STATUSES)) }, { additionalProperties: false });
export type ChangeRequestListQuery = Static<typeof ChangeRequestListQuery>;
export const ChangeRequestList = Type.Object({ changeRequests: Type.Array(ChangeRequest) }, { additionalProperties: false });
export type ChangeRequestList = Static<typeof ChangeRequestList>;

export const listChangeRequests = {
  tags: ["controllers"],
  summary: "Change requests of a workbook, oldest first (status=pending: those waiting for a controller).",
  security: bearer,
  params: WbParams,
  querystring: ChangeRequestListQuery,
  response: { 200: ChangeRequestList, ...problems(...AUTH_ERRORS, 404) },
};

export const getChangeRequest = {
  tags: ["controllers"],
  summary: "One change request with its decision.",
  security: bearer,
  params: ChangeRequestParams,
  response: { 200: ChangeRequest, ...problems(...AUTH_ERRORS, 404) },
};

export const DecisionBody = Type.Object(
  { decision: stringEnum(["approve", "reject"] as const), comment: Type.String({ minLength: 1, maxLength: 8192, pattern: NO_NUL, description: "The controller's comment (required)." }) },
  { additionalProperties: false },
);
export type DecisionBody = Static<typeof DecisionBody>;

export const decideChangeRequest = {
  tags: ["controllers"],
  summary: "Approve or reject a pending change request (a controller other than the requester).",
  security: bearer,
  params: ChangeRequestParams,
  body: DecisionBody,
  response: { 200: ChangeRequest, ...problems(...AUTH_ERRORS, 404, 409, 415) },
};

