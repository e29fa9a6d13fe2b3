/* Audit trail: append (planner), read (the owner, controllers, admins) and verify (controller, admin). */
import { AUDIT_ACTIONS, type AuditEntry as EngineAuditEntry } from "../engine/audit";
import { AUTH_ERRORS, Type, WorkbookParams, bearer, digits, hash, problems, ref, stringEnum, text, workbookId, type Static } from "./common";
import { BatchReceipt } from "./proofs";
import { DEFAULT_AUDIT_PAGE, MAX_AUDIT_PAGE, MAX_BATCH, NO_NUL, TIMESTAMP_PATTERN, UUID_PATTERN } from "./limits";

const auditEntryProperties = {
  entryId: Type.String({ pattern: UUID_PATTERN, description: "UUID of the entry; the idempotency key." }),
  timestamp: Type.String({ pattern: TIMESTAMP_PATTERN, description: "When the action happened, ISO 8601 UTC (client clock)." }),
  user: text(256, "Excel user who acted."),
  workbookId: workbookId(),
  action: stringEnum(AUDIT_ACTIONS),
  sku: text(256, "SKU concerned (may be empty for workbook-wide actions)."),
  field: text(128, "Field changed, e.g. segment."),
  oldValue: text(8192, "Value before."),
  newValue: text(8192, "Value after."),
  reason: text(8192, "Reason given by the user."),
  modelVersion: text(128, "Model version the action belongs to."),
  prevHash: hash("entryHash of the previous entry of the workbook (64 zeros for the first)."),
  entryHash: hash("SHA-256 of the canonical text of the entry (src/engine/audit.ts, seg-audit-v1)."),
};

export const AuditEntry = Type.Object(auditEntryProperties, { $id: "AuditEntry", additionalProperties: false });
export type AuditEntry = Static<typeof AuditEntry>;

export const StoredAuditEntry = Type.Object(
  {
    seq: Type.Integer({ description: "Position in the workbook's chain, from 1." }),
    ...auditEntryProperties,
    receivedAt: Type.String({ description: "Server time the batch was committed." }),
    receivedBy: Type.String({ description: "Name of the token that sent it." }),
  },
  { $id: "StoredAuditEntry", additionalProperties: false },
);
export type StoredAuditEntry = Static<typeof StoredAuditEntry>;

export const AppendAuditBody = Type.Object(
  { entries: Type.Array(ref(AuditEntry), { minItems: 1, maxItems: MAX_BATCH }) },
  { additionalProperties: false },
);
export type AppendAuditBody = Static<typeof AppendAuditBody>;

export const AppendAuditResponse = Type.Object(
  {
    stored: Type.Array(Type.String()),
    alreadyStored: Type.Array(Type.String()),
    entryCount: Type.Integer({ description: "Entries in the workbook's trail after this batch." }),
    lastHash: Type.String(),
    receipt: Type.Optional(ref(BatchReceipt)),
  },
  { additionalProperties: false, description: "201 when at least one entry was stored, 200 when all were already stored." },
);
export type AppendAuditResponse = Static<typeof AppendAuditResponse>;

export const appendAudit = {
  tags: ["audit"],
  summary: "Append a batch of audit entries to a workbook's chain (planner, owner of the workbook).",
  description:
    "The batch is one contiguous run of the chain in chain order. Idempotent by entryId: entries already stored " +
    "with the same content are reported in alreadyStored. All-or-nothing: on any error nothing is stored.",
  security: bearer,
  params: WorkbookParams,
  body: AppendAuditBody,
  response: { "2xx": AppendAuditResponse, ...problems(...AUTH_ERRORS, 404, 409, 413, 415) },
};

export const AuditQuery = Type.Object(
  {
    sku: Type.Optional(Type.String({ maxLength: 256, pattern: NO_NUL })),
    user: Type.Optional(Type.String({ maxLength: 256, pattern: NO_NUL })),
    action: Type.Optional(stringEnum(AUDIT_ACTIONS)),
    from: Type.Optional(Type.String({ pattern: TIMESTAMP_PATTERN, description: "Entry timestamp >= from (ISO 8601 UTC)." })),
    to: Type.Optional(Type.String({ pattern: TIMESTAMP_PATTERN, description: "Entry timestamp < to (ISO 8601 UTC)." })),
    cursor: Type.Optional(digits(15, "nextCursor of the previous page.")),
    limit: Type.Optional(digits(5, `Page size, 1..${MAX_AUDIT_PAGE} (default ${DEFAULT_AUDIT_PAGE}).`)),
  },
  { additionalProperties: false },
);
export type AuditQuery = Static<typeof AuditQuery>;

export const AuditPage = Type.Object(
  {
    entries: Type.Array(ref(StoredAuditEntry)),
    nextCursor: Type.Union([Type.String(), Type.Null()], { description: "Pass as cursor for the next page; null on the last page." }),
  },
  { additionalProperties: false },
);
export type AuditPage = Static<typeof AuditPage>;

export const listAudit = {
  tags: ["audit"],
  summary: "Read a workbook's audit trail in chain order, filtered and paginated.",
  security: bearer,
  params: WorkbookParams,
  querystring: AuditQuery,
  response: { 200: AuditPage, ...problems(...AUTH_ERRORS, 404) },
};

export const VerifyResponse = Type.Object(
  {
    ok: Type.Boolean(),
    count: Type.Integer({ description: "Entries checked (all of them when ok)." }),
    lastHash: Type.Optional(Type.String()),
    seq: Type.Optional(Type.Integer({ description: "Chain position (1-based) of the first broken entry." })),
    index: Type.Optional(Type.Integer({ description: "Its 0-based index in the trail: always seq - 1." })),
    entryId: Type.Optional(Type.String()),
    reason: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
export type VerifyResult =
  | { ok: true; count: number; lastHash: string }
  | { ok: false; count: number; index: number; seq: number; entryId: string; reason: string };

export const verifyAudit = {
  tags: ["audit"],
  summary: "Verify a workbook's whole chain on the server (controller, admin).",
  security: bearer,
  params: WorkbookParams,
  response: { 200: VerifyResponse, ...problems(...AUTH_ERRORS, 404) },
};

// The schema and the engine describe the same entry: a change to either is a compile error here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameEntry: Same<AuditEntry, EngineAuditEntry> = true;
void sameEntry;
