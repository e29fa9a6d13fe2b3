/* Segmentation snapshots: publish (planner, owner), read and diff (everyone who may read the workbook). */
import { AUTH_ERRORS, Type, bearer, digits, nullableEnum, nullableNumber, nullableString, problems, ref, workbookId, type Static } from "./common";
import { DEFAULT_ITEM_PAGE, MAX_ITEM_PAGE, MAX_SNAPSHOT_ITEMS, MODEL_VERSION_PATTERN, NO_NUL } from "./limits";

/** The version name that means "the newest snapshot"; it cannot be published. */
export const LATEST = "latest";

const num = (description: string, range: { minimum?: number; maximum?: number } = {}) => Type.Optional(nullableNumber(description, range));

const itemProperties = {
  sku: Type.String({ minLength: 1, maxLength: 256, pattern: NO_NUL }),
  value: num("Annual consumption value."),
  cumShare: num("Cumulative value share including the item, 0..1 (1e-6 allowed over 1 for rounding).", { minimum: 0, maximum: 1.000001 }),
  abc: Type.Optional(nullableEnum(["A", "B", "C"] as const)),
  cv: num("Coefficient of variation of demand (>= 0).", { minimum: 0 }),
  xyz: Type.Optional(nullableEnum(["X", "Y", "Z"] as const)),
  adi: num("Average inter-demand interval (Syntetos–Boylan), periods (>= 0).", { minimum: 0 }),
  cv2: num("Squared CV of non-zero demand sizes (Syntetos–Boylan, >= 0).", { minimum: 0 }),
  pattern: Type.Optional(nullableEnum(["smooth", "erratic", "intermittent", "lumpy"] as const)),
  segment: Type.Optional(Type.Unsafe<string | null>({ type: ["string", "null"], pattern: "^[ABC][XYZ]$", description: "ABC×XYZ, e.g. AX." })),
  serviceLevel: num("Cycle service level (0..1).", { minimum: 0, maximum: 1 }),
  demandMean: num("Mean demand per period."),
  demandSd: num("Standard deviation of demand per period (>= 0).", { minimum: 0 }),
  leadTime: num("Lead time, in periods (>= 0).", { minimum: 0 }),
  safetyStock: num("Safety stock, in units (negative when the service level is below 50 %)."),
  reorderPoint: num("Reorder point, in units."),
  orderQty: num("Order quantity, in units (>= 0).", { minimum: 0 }),
  overridden: Type.Optional(Type.Boolean({ description: "The segment was set by a planner override." })),
  error: Type.Optional(Type.Unsafe<string | null>({ type: ["string", "null"], maxLength: 1024, description: "Why the row could not be classified." })),
};

/**
 * The names this API used before it followed docs/architecture.md's names table. Accepted on input
 * for one version (mapped to the new names before hashing and storing), never sent.
 */
export const LEGACY_ITEM_FIELDS = { meanDemand: "demandMean", sdDemand: "demandSd", orderQuantity: "orderQty" } as const;

export const SnapshotItem = Type.Object(
  itemProperties,
  {
    $id: "SnapshotItem",
    additionalProperties: false,
    description: "One SKU of a segmentation snapshot. Names as in docs/architecture.md; all but sku optional.",
  },
);
export type SnapshotItem = Static<typeof SnapshotItem>;

/** What a publisher may send for an item: SnapshotItem, plus the legacy names (deprecated). */
export const SnapshotItemInput = Type.Object(
  {
    ...itemProperties,
    meanDemand: num("Deprecated: use demandMean."),
    sdDemand: num("Deprecated: use demandSd.", { minimum: 0 }),
    orderQuantity: num("Deprecated: use orderQty.", { minimum: 0 }),
  },
  { $id: "SnapshotItemInput", additionalProperties: false, description: "SnapshotItem as published; meanDemand, sdDemand, orderQuantity are the deprecated names of demandMean, demandSd, orderQty." },
);
export type SnapshotItemInput = Static<typeof SnapshotItemInput>;

export const SnapshotMeta = Type.Object(
  {
    workbookId: Type.String(),
    modelVersion: Type.String(),
    seq: Type.Integer({ description: "Publication order in the workbook, from 1." }),
    itemCount: Type.Integer(),
    contentHash: Type.String({ description: "SHA-256 of the canonical JSON of parameters and items." }),
    publishedAt: Type.String(),
    publishedBy: Type.String(),
  },
  { $id: "SnapshotMeta", additionalProperties: false },
);
export type SnapshotMeta = Static<typeof SnapshotMeta>;

const Parameters = Type.Object(
  {},
  { additionalProperties: true, description: "The classification parameters (cut-offs, service levels…), stored verbatim as JSON." },
);

export const PublishSnapshotBody = Type.Object(
  {
    modelVersion: Type.String({ pattern: MODEL_VERSION_PATTERN, description: 'Any printable text up to 128 characters except "latest".' }),
    parameters: Type.Unsafe<Record<string, unknown>>(Parameters),
    items: Type.Array(ref(SnapshotItemInput), { maxItems: MAX_SNAPSHOT_ITEMS }),
  },
  { additionalProperties: false },
);
export type PublishSnapshotBody = Static<typeof PublishSnapshotBody>;
/** A snapshot as the client publishes it (new names only). */
export interface SnapshotInput {
  modelVersion: string;
  parameters: Record<string, unknown>;
  items: SnapshotItem[];
}

export const PublishSnapshotResponse = Type.Object(
  { created: Type.Boolean(), snapshot: ref(SnapshotMeta) },
  { additionalProperties: false, description: "201 when stored now, 200 when the same snapshot was already stored." },
);
export type PublishSnapshotResponse = Static<typeof PublishSnapshotResponse>;

const versionParam = (description = 'Model version, or "latest".') => Type.String({ pattern: MODEL_VERSION_PATTERN, description });
export const SnapshotParams = Type.Object({ workbookId: workbookId(), modelVersion: versionParam() }, { additionalProperties: false });

export const publishSnapshot = {
  tags: ["snapshots"],
  summary: "Publish a segmentation snapshot (planner, owner of the workbook).",
  description: 'Idempotent by modelVersion: the same content again answers 200, different content 409. "latest" is reserved.',
  security: bearer,
  params: Type.Object({ workbookId: workbookId() }, { additionalProperties: false }),
  body: PublishSnapshotBody,
  response: { "2xx": PublishSnapshotResponse, ...problems(...AUTH_ERRORS, 409, 413, 415) },
};

export const SnapshotList = Type.Object({ snapshots: Type.Array(ref(SnapshotMeta)) }, { additionalProperties: false });
export const listSnapshots = {
  tags: ["snapshots"],
  summary: "Snapshot versions of a workbook, oldest first.",
  security: bearer,
  params: Type.Object({ workbookId: workbookId() }, { additionalProperties: false }),
  response: { 200: SnapshotList, ...problems(...AUTH_ERRORS, 404) },
};

export const SnapshotQuery = Type.Object(
  {
    sku: Type.Optional(Type.String({ maxLength: 256, pattern: NO_NUL, description: "Only this SKU." })),
    offset: Type.Optional(digits(9, "Items to skip (default 0).")),
    limit: Type.Optional(digits(6, `Items per page, 1..${MAX_ITEM_PAGE} (default ${DEFAULT_ITEM_PAGE}).`)),
  },
  { additionalProperties: false },
);
export type SnapshotQuery = Static<typeof SnapshotQuery>;

export const SnapshotPage = Type.Object(
  {
    snapshot: ref(SnapshotMeta),
    parameters: Type.Unsafe<Record<string, unknown>>(Type.Object({}, { additionalProperties: true })),
    items: Type.Array(ref(SnapshotItem)),
    nextOffset: Type.Unsafe<number | null>({ type: ["integer", "null"], description: "offset of the next page; null on the last page." }),
  },
  { additionalProperties: false },
);
export type SnapshotPage = Static<typeof SnapshotPage>;

export const getSnapshot = {
  tags: ["snapshots"],
  summary: 'A snapshot ("latest" or a model version) with a page of its items.',
  security: bearer,
  params: SnapshotParams,
  querystring: SnapshotQuery,
  response: { 200: SnapshotPage, ...problems(...AUTH_ERRORS, 404) },
};

const skuSegment = Type.Object({ sku: Type.String(), segment: nullableString() }, { additionalProperties: false });
export const SnapshotDiff = Type.Object(
  {
    from: ref(SnapshotMeta),
    to: ref(SnapshotMeta),
    added: Type.Array(skuSegment),
    removed: Type.Array(skuSegment),
    segmentChanged: Type.Array(Type.Object({ sku: Type.String(), from: nullableString(), to: nullableString() }, { additionalProperties: false })),
    otherChanged: Type.Array(Type.Object({ sku: Type.String(), fields: Type.Array(Type.String()) }, { additionalProperties: false }), {
      description: "SKUs in both whose other fields changed, with the names of those fields.",
    }),
    unchanged: Type.Integer(),
  },
  { additionalProperties: false },
);
export type SnapshotDiff = Static<typeof SnapshotDiff>;

export const diffSnapshots = {
  tags: ["snapshots"],
  summary: "What changed from one snapshot version to another.",
  security: bearer,
  params: SnapshotParams,
  querystring: Type.Object({ from: versionParam("The older version to compare against.") }, { additionalProperties: false }),
  response: { 200: SnapshotDiff, ...problems(...AUTH_ERRORS, 404) },
};
