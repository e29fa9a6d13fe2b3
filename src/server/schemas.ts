/**
 * JSON schemas of the API: they validate requests (unknown fields are rejected: every object has
 * additionalProperties: false, except the free-form snapshot `parameters`), shape responses and
 * feed the OpenAPI document. Shared schemas are registered by $id and referenced as "Name#".
 */
import { AUDIT_ACTIONS } from "../engine/audit";
import { TOKEN_NAME_PATTERN } from "./auth";
import { ROLES } from "./storage/types";

/** Text without NUL (PostgreSQL text cannot hold it). */
const NO_NUL = "^[^\\u0000]*$";
const text = (maxLength: number, description: string) => ({ type: "string", maxLength, pattern: NO_NUL, description });

export const WORKBOOK_ID_PATTERN = "^[A-Za-z0-9._~-]{1,128}$";
export const MODEL_VERSION_PATTERN = "^[^\\u0000-\\u001f\\u007f]{1,128}$";
export const HASH_PATTERN = "^[0-9a-f]{64}$";
export const UUID_PATTERN = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";
export const TIMESTAMP_PATTERN = "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z$";
export const MAX_BATCH = 1000;
export const MAX_AUDIT_PAGE = 5000;
export const DEFAULT_AUDIT_PAGE = 500;
export const MAX_ITEM_PAGE = 50000;
export const DEFAULT_ITEM_PAGE = 5000;
export const MAX_SNAPSHOT_ITEMS = 200000;

const hash = (description: string) => ({ type: "string", pattern: HASH_PATTERN, description });
const workbookIdSchema = { type: "string", pattern: WORKBOOK_ID_PATTERN, description: "Workbook id (the GUID kept in the workbook's settings)." };
const nullableNumber = (description: string) => ({ type: ["number", "null"], description });

const auditEntryProperties = {
  entryId: { type: "string", pattern: UUID_PATTERN, description: "UUID of the entry; the idempotency key." },
  timestamp: { type: "string", pattern: TIMESTAMP_PATTERN, description: "When the action happened, ISO 8601 UTC (client clock)." },
  user: text(256, "Excel user who acted."),
  workbookId: workbookIdSchema,
  action: { type: "string", enum: [...AUDIT_ACTIONS] },
  sku: text(256, "SKU concerned (may be empty for workbook-wide actions)."),
  field: text(128, "Field changed, e.g. segment."),
  oldValue: text(8192, "Value before."),
  newValue: text(8192, "Value after."),
  reason: text(8192, "Reason given by the user."),
  modelVersion: text(128, "Model version the action belongs to."),
  prevHash: hash("entryHash of the previous entry of the workbook (64 zeros for the first)."),
  entryHash: hash("SHA-256 of the canonical text of the entry (src/engine/audit.ts, seg-audit-v1)."),
} as const;
const AUDIT_FIELDS = Object.keys(auditEntryProperties);

export const sharedSchemas = [
  {
    $id: "Problem",
    type: "object",
    description: "RFC 9457 problem details.",
    properties: {
      type: { type: "string" },
      title: { type: "string" },
      status: { type: "integer" },
      detail: { type: "string" },
      entryId: { type: "string", description: "The audit entry at fault, when there is one." },
      index: { type: "integer", description: "Its position in the request's entries array." },
      field: { type: "string", description: "The request field at fault (validation errors)." },
    },
    required: ["type", "title", "status", "detail"],
  },
  {
    $id: "AuditEntry",
    type: "object",
    additionalProperties: false,
    properties: auditEntryProperties,
    required: AUDIT_FIELDS,
  },
  {
    $id: "StoredAuditEntry",
    type: "object",
    additionalProperties: false,
    properties: {
      seq: { type: "integer", description: "Position in the workbook's chain, from 1." },
      ...auditEntryProperties,
      receivedAt: { type: "string", description: "Server time the batch was committed." },
      receivedBy: { type: "string", description: "Name of the token that sent it." },
    },
    required: ["seq", ...AUDIT_FIELDS, "receivedAt", "receivedBy"],
  },
  {
    $id: "SnapshotItem",
    type: "object",
    additionalProperties: false,
    description: "One SKU of a segmentation snapshot. Names as in docs/architecture.md; all but sku optional.",
    properties: {
      sku: { type: "string", minLength: 1, maxLength: 256, pattern: NO_NUL },
      value: nullableNumber("Annual consumption value."),
      cumShare: nullableNumber("Cumulative value share including the item (0..1)."),
      abc: { type: ["string", "null"], enum: ["A", "B", "C", null] },
      cv: nullableNumber("Coefficient of variation of demand."),
      xyz: { type: ["string", "null"], enum: ["X", "Y", "Z", null] },
      adi: nullableNumber("Average inter-demand interval (Syntetos–Boylan)."),
      cv2: nullableNumber("Squared CV of non-zero demand sizes (Syntetos–Boylan)."),
      pattern: { type: ["string", "null"], enum: ["smooth", "erratic", "intermittent", "lumpy", null] },
      segment: { type: ["string", "null"], pattern: "^[ABC][XYZ]$", description: "ABC×XYZ, e.g. AX." },
      serviceLevel: { type: ["number", "null"], minimum: 0, maximum: 1, description: "Cycle service level." },
      meanDemand: nullableNumber("Mean demand per period."),
      sdDemand: nullableNumber("Standard deviation of demand per period."),
      leadTime: nullableNumber("Lead time, in periods."),
      safetyStock: nullableNumber("Safety stock, in units."),
      reorderPoint: nullableNumber("Reorder point, in units."),
      orderQuantity: nullableNumber("Order quantity, in units."),
      overridden: { type: "boolean", description: "The segment was set by a planner override." },
      error: { type: ["string", "null"], maxLength: 1024, description: "Why the row could not be classified." },
    },
    required: ["sku"],
  },
  {
    $id: "SnapshotMeta",
    type: "object",
    additionalProperties: false,
    properties: {
      workbookId: { type: "string" },
      modelVersion: { type: "string" },
      seq: { type: "integer", description: "Publication order in the workbook, from 1." },
      itemCount: { type: "integer" },
      contentHash: { type: "string", description: "SHA-256 of the canonical JSON of parameters and items." },
      publishedAt: { type: "string" },
      publishedBy: { type: "string" },
    },
    required: ["workbookId", "modelVersion", "seq", "itemCount", "contentHash", "publishedAt", "publishedBy"],
  },
  {
    $id: "WorkbookHead",
    type: "object",
    additionalProperties: false,
    properties: {
      workbookId: { type: "string" },
      owner: { type: "string", description: "Name of the planner token that first wrote to it." },
      createdAt: { type: "string" },
      entryCount: { type: "integer" },
      lastHash: { type: "string", description: "Hash the next entry must link to." },
      lastEntryId: { type: ["string", "null"] },
      snapshotCount: { type: "integer" },
      latestModelVersion: { type: ["string", "null"] },
    },
    required: ["workbookId", "owner", "createdAt", "entryCount", "lastHash", "lastEntryId", "snapshotCount", "latestModelVersion"],
  },
  {
    $id: "TokenRecord",
    type: "object",
    additionalProperties: false,
    properties: {
      id: { type: "string" },
      name: { type: "string" },
      role: { type: "string", enum: [...ROLES] },
      createdAt: { type: "string" },
      revokedAt: { type: ["string", "null"] },
    },
    required: ["id", "name", "role", "createdAt", "revokedAt"],
  },
];

const ref = (id: string) => ({ $ref: `${id}#` });
const problems = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, { ...ref("Problem"), description: `Problem (${c})` }]));
const AUTH_ERRORS = [400, 401, 403, 429, 500];
const bearer = [{ bearer: [] }];

const workbookParams = {
  type: "object",
  additionalProperties: false,
  properties: { workbookId: workbookIdSchema },
  required: ["workbookId"],
};
const versionParam = { type: "string", pattern: MODEL_VERSION_PATTERN, description: 'Model version, or "latest".' };
const digits = (max: number, description: string) => ({ type: "string", pattern: `^[0-9]{1,${max}}$`, description });

export const routeSchemas = {
  health: {
    tags: ["health"],
    summary: "The process is up.",
    response: {
      200: { type: "object", additionalProperties: false, properties: { status: { type: "string" } }, required: ["status"] },
    },
  },
  ready: {
    tags: ["health"],
    summary: "The database answers.",
    response: {
      200: {
        type: "object",
        additionalProperties: false,
        properties: { status: { type: "string" }, storage: { type: "string" } },
        required: ["status", "storage"],
      },
      ...problems(503),
    },
  },
  me: {
    tags: ["tokens"],
    summary: "Who the token belongs to (any role).",
    security: bearer,
    response: {
      200: {
        type: "object",
        additionalProperties: false,
        properties: { name: { type: "string" }, role: { type: "string" }, tokenId: { type: "string" } },
        required: ["name", "role", "tokenId"],
      },
      ...problems(...AUTH_ERRORS),
    },
  },
  appendAudit: {
    tags: ["audit"],
    summary: "Append a batch of audit entries to a workbook's chain (planner, owner of the workbook).",
    description:
      "The batch is one contiguous run of the chain in chain order. Idempotent by entryId: entries already stored " +
      "with the same content are reported in alreadyStored. All-or-nothing: on any error nothing is stored.",
    security: bearer,
    params: workbookParams,
    body: {
      type: "object",
      additionalProperties: false,
      properties: { entries: { type: "array", minItems: 1, maxItems: MAX_BATCH, items: ref("AuditEntry") } },
      required: ["entries"],
    },
    response: {
      "2xx": {
        type: "object",
        additionalProperties: false,
        description: "201 when at least one entry was stored, 200 when all were already stored.",
        properties: {
          stored: { type: "array", items: { type: "string" } },
          alreadyStored: { type: "array", items: { type: "string" } },
          entryCount: { type: "integer", description: "Entries in the workbook's trail after this batch." },
          lastHash: { type: "string" },
          receipt: { $ref: "BatchReceipt#", description: "Signed receipt: the tree head after the batch, sender and receive time of what it stored (docs/audit-proofs.md)." },
        },
        required: ["stored", "alreadyStored", "entryCount", "lastHash"],
      },
      ...problems(...AUTH_ERRORS, 404, 409, 413, 415),
    },
  },
  listAudit: {
    tags: ["audit"],
    summary: "Read a workbook's audit trail in chain order, filtered and paginated.",
    security: bearer,
    params: workbookParams,
    querystring: {
      type: "object",
      additionalProperties: false,
      properties: {
        sku: { type: "string", maxLength: 256, pattern: NO_NUL },
        user: { type: "string", maxLength: 256, pattern: NO_NUL },
        action: { type: "string", enum: [...AUDIT_ACTIONS] },
        from: { type: "string", pattern: TIMESTAMP_PATTERN, description: "Entry timestamp >= from (ISO 8601 UTC)." },
        to: { type: "string", pattern: TIMESTAMP_PATTERN, description: "Entry timestamp < to (ISO 8601 UTC)." },
        cursor: digits(15, "nextCursor of the previous page."),
        limit: digits(5, `Page size, 1..${MAX_AUDIT_PAGE} (default ${DEFAULT_AUDIT_PAGE}).`),
      },
    },
    response: {
      200: {
        type: "object",
        additionalProperties: false,
        properties: {
          entries: { type: "array", items: ref("StoredAuditEntry") },
          nextCursor: { type: ["string", "null"], description: "Pass as cursor for the next page; null on the last page." },
        },
        required: ["entries", "nextCursor"],
      },
      ...problems(...AUTH_ERRORS, 404),
    },
  },
  verifyAudit: {
    tags: ["audit"],
    summary: "Verify a workbook's whole chain on the server (controller, admin).",
    security: bearer,
    params: workbookParams,
    response: {
      200: {
        type: "object",
        additionalProperties: false,
        properties: {
          ok: { type: "boolean" },
          count: { type: "integer", description: "Entries checked (all of them when ok)." },
          lastHash: { type: "string" },
          seq: { type: "integer", description: "Chain position of the first broken entry." },
          index: { type: "integer", description: "Its 0-based index in the trail." },
          entryId: { type: "string" },
          reason: { type: "string" },
        },
        required: ["ok", "count"],
      },
      ...problems(...AUTH_ERRORS, 404),
    },
  },
  listWorkbooks: {
    tags: ["workbooks"],
    summary: "Workbooks known to the server (a planner sees its own).",
    security: bearer,
    response: {
      200: {
        type: "object",
        additionalProperties: false,
        properties: { workbooks: { type: "array", items: ref("WorkbookHead") } },
        required: ["workbooks"],
      },
      ...problems(...AUTH_ERRORS),
    },
  },
  getWorkbook: {
    tags: ["workbooks"],
    summary: "A workbook's head: owner, entry count, last hash, latest snapshot.",
    security: bearer,
    params: workbookParams,
    response: { 200: ref("WorkbookHead"), ...problems(...AUTH_ERRORS, 404) },
  },
  publishSnapshot: {
    tags: ["snapshots"],
    summary: "Publish a segmentation snapshot (planner, owner of the workbook).",
    description:
      'Idempotent by modelVersion: the same content again answers 200, different content 409. "latest" is reserved.',
    security: bearer,
    params: workbookParams,
    body: {
      type: "object",
      additionalProperties: false,
      properties: {
        modelVersion: { type: "string", pattern: MODEL_VERSION_PATTERN, description: 'Any printable text up to 128 characters except "latest".' },
        parameters: {
          type: "object",
          additionalProperties: true,
          description: "The classification parameters (cut-offs, service levels…), stored verbatim as JSON.",
        },
        items: { type: "array", maxItems: MAX_SNAPSHOT_ITEMS, items: ref("SnapshotItem") },
      },
      required: ["modelVersion", "parameters", "items"],
    },
    response: {
      "2xx": {
        type: "object",
        additionalProperties: false,
        description: "201 when stored now, 200 when the same snapshot was already stored.",
        properties: { created: { type: "boolean" }, snapshot: ref("SnapshotMeta") },
        required: ["created", "snapshot"],
      },
      ...problems(...AUTH_ERRORS, 409, 413, 415),
    },
  },
  listSnapshots: {
    tags: ["snapshots"],
    summary: "Snapshot versions of a workbook, oldest first.",
    security: bearer,
    params: workbookParams,
    response: {
      200: {
        type: "object",
        additionalProperties: false,
        properties: { snapshots: { type: "array", items: ref("SnapshotMeta") } },
        required: ["snapshots"],
      },
      ...problems(...AUTH_ERRORS, 404),
    },
  },
  getSnapshot: {
    tags: ["snapshots"],
    summary: 'A snapshot ("latest" or a model version) with a page of its items.',
    security: bearer,
    params: {
      type: "object",
      additionalProperties: false,
      properties: { workbookId: workbookIdSchema, modelVersion: versionParam },
      required: ["workbookId", "modelVersion"],
    },
    querystring: {
      type: "object",
      additionalProperties: false,
      properties: {
        sku: { type: "string", maxLength: 256, pattern: NO_NUL, description: "Only this SKU." },
        offset: digits(9, "Items to skip (default 0)."),
        limit: digits(6, `Items per page, 1..${MAX_ITEM_PAGE} (default ${DEFAULT_ITEM_PAGE}).`),
      },
    },
    response: {
      200: {
        type: "object",
        additionalProperties: false,
        properties: {
          snapshot: ref("SnapshotMeta"),
          parameters: { type: "object", additionalProperties: true },
          items: { type: "array", items: ref("SnapshotItem") },
          nextOffset: { type: ["integer", "null"], description: "offset of the next page; null on the last page." },
        },
        required: ["snapshot", "parameters", "items", "nextOffset"],
      },
      ...problems(...AUTH_ERRORS, 404),
    },
  },
  diffSnapshots: {
    tags: ["snapshots"],
    summary: "What changed from one snapshot version to another.",
    security: bearer,
    params: {
      type: "object",
      additionalProperties: false,
      properties: { workbookId: workbookIdSchema, modelVersion: versionParam },
      required: ["workbookId", "modelVersion"],
    },
    querystring: {
      type: "object",
      additionalProperties: false,
      properties: { from: { ...versionParam, description: "The older version to compare against." } },
      required: ["from"],
    },
    response: {
      200: {
        type: "object",
        additionalProperties: false,
        properties: {
          from: ref("SnapshotMeta"),
          to: ref("SnapshotMeta"),
          added: {
            type: "array",
            items: {
              type: "object",
              additionalProperties: false,
              properties: { sku: { type: "string" }, segment: { type: ["string", "null"] } },
              required: ["sku", "segment"],
            },
          },
          removed: {
            type: "array",
            items: {
              type: "object",
              additionalProperties: false,
              properties: { sku: { type: "string" }, segment: { type: ["string", "null"] } },
              required: ["sku", "segment"],
            },
          },
          segmentChanged: {
            type: "array",
            items: {
              type: "object",
              additionalProperties: false,
              properties: { sku: { type: "string" }, from: { type: ["string", "null"] }, to: { type: ["string", "null"] } },
              required: ["sku", "from", "to"],
            },
          },
          otherChanged: {
            type: "array",
            description: "SKUs in both whose other fields changed, with the names of those fields.",
            items: {
              type: "object",
              additionalProperties: false,
              properties: { sku: { type: "string" }, fields: { type: "array", items: { type: "string" } } },
              required: ["sku", "fields"],
            },
          },
          unchanged: { type: "integer" },
        },
        required: ["from", "to", "added", "removed", "segmentChanged", "otherChanged", "unchanged"],
      },
      ...problems(...AUTH_ERRORS, 404),
    },
  },
  createToken: {
    tags: ["tokens"],
    summary: "Create a token (admin). The token is in this response only.",
    security: bearer,
    body: {
      type: "object",
      additionalProperties: false,
      properties: {
        name: { type: "string", pattern: TOKEN_NAME_PATTERN, description: "Person or system; planners own workbooks by this name." },
        role: { type: "string", enum: [...ROLES] },
      },
      required: ["name", "role"],
    },
    response: {
      201: {
        type: "object",
        additionalProperties: false,
        properties: { token: { type: "string" }, record: ref("TokenRecord") },
        required: ["token", "record"],
      },
      ...problems(...AUTH_ERRORS, 413, 415),
    },
  },
  listTokens: {
    tags: ["tokens"],
    summary: "All tokens, without secrets (admin).",
    security: bearer,
    response: {
      200: {
        type: "object",
        additionalProperties: false,
        properties: { tokens: { type: "array", items: ref("TokenRecord") } },
        required: ["tokens"],
      },
      ...problems(...AUTH_ERRORS),
    },
  },
  revokeToken: {
    tags: ["tokens"],
    summary: "Revoke a token (admin).",
    security: bearer,
    params: {
      type: "object",
      additionalProperties: false,
      properties: { tokenId: { type: "string", pattern: UUID_PATTERN } },
      required: ["tokenId"],
    },
    response: { 200: ref("TokenRecord"), ...problems(...AUTH_ERRORS, 404) },
  },
};
