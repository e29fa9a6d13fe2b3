/*
 * Incremental inputs (issue 14, docs/data-sources.md): demand and master-data changes per SKU and
 * period, applied under src/engine/cdc.ts's rules; and mapping profiles stored per user or team,
 * reusable across workbooks.
 */
import { AUTH_ERRORS, Type, bearer, digits, problems, stringEnum, workbookId, type Static } from "./common";
import { NO_NUL } from "./limits";

export const MAX_CHANGES_PER_BATCH = 5000;
export const MAX_INPUT_PAGE = 50000;
export const DEFAULT_INPUT_PAGE = 5000;

const label = (description: string) => Type.String({ minLength: 1, maxLength: 256, pattern: NO_NUL, description });

export const InputChange = Type.Object(
  {
    changeId: label("Unique id of the change at the source (never reused)."),
    watermark: Type.Number({ description: "Increases with every commit at the source (log sequence number, or commit time in ms)." }),
    sku: label("SKU."),
    kind: stringEnum(["demand", "attribute"] as const),
    period: Type.Optional(label('Period label of a demand change, e.g. "2026-W05".')),
    field: Type.Optional(label('Attribute of a master-data change, e.g. "family", "unitCost".')),
    value: Type.Unsafe<number | string | null>({ type: ["number", "string", "null"], maxLength: 1024, description: "Demand: a quantity >= 0; attribute: text or a number; null clears the cell." }),
  },
  { additionalProperties: false },
);
export type InputChange = Static<typeof InputChange>;

export const InputChangesBody = Type.Object({ changes: Type.Array(InputChange, { minItems: 1, maxItems: MAX_CHANGES_PER_BATCH }) }, { additionalProperties: false });

export const ApplyChangesResponse = Type.Object(
  {
    version: Type.Integer({ description: "Input version after the batch (+1 when any cell's value changed)." }),
    applied: Type.Integer(),
    duplicates: Type.Integer({ description: "Change ids already applied with the same content (ignored)." }),
    superseded: Type.Integer({ description: "Older than the cell's current change (out of order): remembered, not applied." }),
    replayed: Type.Integer({ description: "At or below the compaction watermark and unknown: ignored." }),
    unchanged: Type.Integer({ description: "Applied but the cell already had that value." }),
    rejected: Type.Array(Type.Object({ index: Type.Integer(), changeId: Type.String(), message: Type.String() }, { additionalProperties: false })),
    changedSkus: Type.Array(Type.String(), { description: "SKUs whose inputs changed in this batch, sorted." }),
  },
  { additionalProperties: false },
);
export type ApplyChangesResponse = Static<typeof ApplyChangesResponse>;

const WbParams = Type.Object({ workbookId: workbookId() }, { additionalProperties: false });

export const applyInputChanges = {
  tags: ["inputs"],
  summary: "Apply a batch of demand and master-data changes (planner, owner of the workbook).",
  description:
    "Idempotent by changeId; each cell keeps the change with the greatest (watermark, changeId), so the result does not depend on arrival order. Bad changes are listed in rejected (index and field); the rest is applied.",
  security: bearer,
  params: WbParams,
  body: InputChangesBody,
  response: { 200: ApplyChangesResponse, ...problems(...AUTH_ERRORS, 413, 415) },
};

export const ChangedSince = Type.Object(
  { version: Type.Integer(), since: Type.Integer(), skus: Type.Array(Type.String()) },
  { additionalProperties: false, description: "SKUs whose inputs changed after input version `since`: the ones to reclassify." },
);
export type ChangedSince = Static<typeof ChangedSince>;

export const getChangedSkus = {
  tags: ["inputs"],
  summary: "SKUs whose inputs changed since an input version.",
  security: bearer,
  params: WbParams,
  querystring: Type.Object({ since: Type.Optional(digits(15, "Input version (default 0: every SKU with inputs).")) }, { additionalProperties: false }),
  response: { 200: ChangedSince, ...problems(...AUTH_ERRORS, 404) },
};

export const InputCell = Type.Object(
  {
    sku: Type.String(),
    kind: stringEnum(["demand", "attribute"] as const),
    name: Type.String({ description: "Period (demand) or field (attribute)." }),
    value: Type.Unsafe<number | string | null>({ type: ["number", "string", "null"] }),
    watermark: Type.Number(),
    changeId: Type.String(),
    version: Type.Integer({ description: "Input version of the cell's last value change." }),
  },
  { additionalProperties: false },
);
export type InputCell = Static<typeof InputCell>;

export const InputsPage = Type.Object(
  {
    version: Type.Integer(),
    cells: Type.Array(InputCell),
    nextOffset: Type.Unsafe<number | null>({ type: ["integer", "null"] }),
  },
  { additionalProperties: false },
);
export type InputsPage = Static<typeof InputsPage>;

export const getInputs = {
  tags: ["inputs"],
  summary: "The latest inputs of a workbook, cell by cell (sorted by SKU, kind, name), paginated.",
  security: bearer,
  params: WbParams,
  querystring: Type.Object(
    {
      sku: Type.Optional(label("Only this SKU.")),
      kind: Type.Optional(stringEnum(["demand", "attribute"] as const)),
      offset: Type.Optional(digits(9, "Cells to skip.")),
      limit: Type.Optional(digits(6, `Cells per page, 1..${MAX_INPUT_PAGE} (default ${DEFAULT_INPUT_PAGE}).`)),
    },
    { additionalProperties: false },
  ),
  response: { 200: InputsPage, ...problems(...AUTH_ERRORS, 404) },
};

export const compactInputs = {
  tags: ["inputs"],
  summary: "Forget change ids at or below a watermark (the source promises no new change there); later replays of them are ignored.",
  security: bearer,
  params: WbParams,
  body: Type.Object({ watermark: Type.Number() }, { additionalProperties: false }),
  response: { 200: Type.Object({ forgotten: Type.Integer(), compactedThrough: Type.Number() }, { additionalProperties: false }), ...problems(...AUTH_ERRORS, 404, 415) },
};

// ---- mapping profiles ------------------------------------------------------------------------------

export const MappingProfileInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200, pattern: NO_NUL, description: 'e.g. "SAP MM extract".' }),
    source: Type.String({ minLength: 1, maxLength: 200, pattern: NO_NUL, description: 'The source system, e.g. "SAP MM", "WMS".' }),
    scope: stringEnum(["user", "team"] as const, { description: "user: only the token's name sees it; team: every token of the team." }),
    team: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: NO_NUL, description: "The team (required for scope team)." })),
    profile: Type.Unsafe<Record<string, unknown>>(
      Type.Object({}, { additionalProperties: true, description: "The attribute dictionary: attribute → source field, data steward, refresh SLA… (stored verbatim)." }),
    ),
  },
  { additionalProperties: false },
);
export type MappingProfileInput = Static<typeof MappingProfileInput>;

export const MappingProfile = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    source: Type.String(),
    scope: stringEnum(["user", "team"] as const),
    owner: Type.String({ description: "Token name of the user (scope user), or of the last writer (scope team)." }),
    team: Type.Unsafe<string | null>({ type: ["string", "null"] }),
    profile: Type.Unsafe<Record<string, unknown>>(Type.Object({}, { additionalProperties: true })),
    createdAt: Type.String(),
    updatedAt: Type.String(),
    revision: Type.Integer({ description: "1 when created, +1 on each save under the same name." }),
  },
  { additionalProperties: false },
);
export type MappingProfile = Static<typeof MappingProfile>;

export const saveMappingProfile = {
  tags: ["inputs"],
  summary: "Save a mapping profile (created, or replaced when the same scope and name exist).",
  security: bearer,
  body: MappingProfileInput,
  response: { "2xx": Type.Object({ created: Type.Boolean(), mappingProfile: MappingProfile }, { additionalProperties: false }), ...problems(...AUTH_ERRORS, 413, 415) },
};

export const listMappingProfiles = {
  tags: ["inputs"],
  summary: "Mapping profiles the caller may use: its own and its team's (a named team: only its members and admins see its profiles).",
  security: bearer,
  querystring: Type.Object(
    {
      source: Type.Optional(Type.String({ maxLength: 200, pattern: NO_NUL })),
      team: Type.Optional(Type.String({ maxLength: 200, pattern: NO_NUL, description: "Include this team's profiles." })),
    },
    { additionalProperties: false },
  ),
  response: { 200: Type.Object({ mappingProfiles: Type.Array(MappingProfile) }, { additionalProperties: false }), ...problems(...AUTH_ERRORS) },
};

const ProfileParams = Type.Object({ profileId: Type.String({ pattern: "^[0-9a-f-]{36}$" }) }, { additionalProperties: false });

export const getMappingProfile = {
  tags: ["inputs"],
  summary: "One mapping profile (own, or a team's).",
  security: bearer,
  params: ProfileParams,
  response: { 200: MappingProfile, ...problems(...AUTH_ERRORS, 404) },
};

export const deleteMappingProfile = {
  tags: ["inputs"],
  summary: "Delete a mapping profile (own, or a team's).",
  security: bearer,
  params: ProfileParams,
  response: { 200: Type.Object({ deleted: Type.Boolean() }, { additionalProperties: false }), ...problems(...AUTH_ERRORS, 404) },
};
