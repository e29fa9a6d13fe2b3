/* Segmentation snapshots: publish (planner, owner), read and diff (everyone who may read the workbook). */
import { AUTH_ERRORS, Type, bearer, digits, nullableEnum, nullableNumber, nullableString, problems, ref, stringEnum, workbookId, type Static } from "./common";
import { DEFAULT_ITEM_PAGE, MAX_ITEM_PAGE, MAX_SNAPSHOT_ITEMS, MODEL_VERSION_PATTERN, NO_NUL, SEGMENT_FILTER_PATTERN } from "./limits";

/** Longest forecast horizon a snapshot item carries. */
export const MAX_FORECAST_HORIZON = 520;

export interface ForecastAccuracy {
  pairs: number;
  me?: number | null;
  mae?: number | null;
  rmse?: number | null;
  wape?: number | null;
  mase?: number | null;
  ts?: number | null;
  valueAdded?: number | null;
  fittedRmse?: number | null;
}

export const TRANSPORT_MODES = ["express", "standard", "economy"] as const;
export const SLOTTING_ZONES = ["golden", "silver", "bronze"] as const;
export const DEMAND_PATTERNS = ["smooth", "erratic", "intermittent", "lumpy"] as const;

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
  pattern: Type.Optional(nullableEnum(DEMAND_PATTERNS)),
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
  // Execution flags (issue 15, docs/execution.md): null or absent when the Execution sheet was not written.
  pickingPriority: Type.Optional(Type.Unsafe<number | null>({ type: ["integer", "null"], minimum: 1, description: "Picking priority, 1 first." })),
  transportMode: Type.Optional(nullableEnum(TRANSPORT_MODES, { description: "Transport mode from the execution rules." })),
  atpWindowDays: num("Days ahead available-to-promise is quoted.", { minimum: 0 }),
  crossDock: Type.Optional(Type.Unsafe<boolean | null>({ type: ["boolean", "null"], description: "Eligible for cross-docking (rule and thresholds)." })),
  slottingZone: Type.Optional(nullableEnum(SLOTTING_ZONES, { description: "Slotting zone (rule, else turnover rank)." })),
  sequencePriority: Type.Optional(Type.Unsafe<number | null>({ type: ["integer", "null"], minimum: 1, description: "Rank on its production line by margin, 1 first." })),
  // Forecast and accuracy (issue 9, docs/functions-forecast.md): absent when no forecast was written with the version.
  forecastMethod: Type.Optional(Type.Unsafe<string | null>({ type: ["string", "null"], maxLength: 64, description: 'Forecast method (naive, ses, holt, damped, hw_add, hw_mul, croston, sba, sbj, tsb, …; " (family)" when split top-down), null when the SKU could not be forecast.' })),
  forecast: Type.Optional(
    Type.Unsafe<(number | null)[] | null>({
      type: ["array", "null"],
      items: { type: ["number", "null"] },
      maxItems: MAX_FORECAST_HORIZON,
      description: "Forecast per future period T+1…T+h, overrides applied, in units per period.",
    }),
  ),
  forecastAccuracy: Type.Optional(
    Type.Unsafe<ForecastAccuracy | null>({
      type: ["object", "null"],
      additionalProperties: false,
      required: ["pairs"],
      properties: {
        pairs: { type: "integer", minimum: 0, description: "Backtest pairs compared (rolling origin)." },
        me: { type: ["number", "null"], description: "Mean error (bias), forecast − actual." },
        mae: { type: ["number", "null"] },
        rmse: { type: ["number", "null"] },
        wape: { type: ["number", "null"], description: "Σ|e| / Σ actual." },
        mase: { type: ["number", "null"] },
        ts: { type: ["number", "null"], description: "Σe / MAD." },
        valueAdded: { type: ["number", "null"], description: "Error improvement over the naive baseline." },
        fittedRmse: { type: ["number", "null"], description: "One-step in-sample RMSE." },
      },
      description: "Backtest metrics of the SKU's forecast.",
    }),
  ),
  // MRP export fields (issue 12, docs/functions-policy.md "MRP export"): as the MRP export sheet has them; absent for SKUs it leaves out.
  location: Type.Optional(Type.Unsafe<string | null>({ type: ["string", "null"], maxLength: 256, pattern: NO_NUL, description: "Location (plant / DC) of the policy row." })),
  min: num("Min level, in units."),
  max: num("Max level, in units."),
  orderMultiple: num("Order multiple the quantities are rounded to (the MRP rounding value)."),
  moq: num("Minimum order quantity."),
  mrpType: Type.Optional(Type.Unsafe<string | null>({ type: ["string", "null"], maxLength: 64, pattern: NO_NUL, description: "MRP type (reorder point, periodic review, no replenishment, or the segment's configured code)." })),
  reviewPeriod: num("Review period in periods (0 = continuous review)."),
  executionRules: Type.Optional(Type.Unsafe<string | null>({ type: ["string", "null"], maxLength: 1024, pattern: NO_NUL, description: "Ids of the execution rules that set the flags, space separated." })),
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

// ---- Per-SKU reads for other systems (issue 15: order routing, ML, partner systems) ----------------

export const SkuParams = Type.Object(
  { workbookId: workbookId(), modelVersion: versionParam(), sku: Type.String({ minLength: 1, maxLength: 256, pattern: NO_NUL, description: "The SKU (URL-encoded)." }) },
  { additionalProperties: false },
);

export const SkuRecord = Type.Object(
  { modelVersion: Type.String({ description: "The version the item was read from (the resolved one for \"latest\")." }), ...itemProperties },
  { additionalProperties: false, description: "One SKU of a published version: segment, pattern, policy, forecast and execution flags." },
);
export type SkuRecord = Static<typeof SkuRecord>;

export const getSnapshotSku = {
  tags: ["snapshots"],
  summary: "One SKU of a snapshot version in one call (segment, pattern, policy, forecast, execution flags).",
  description: 'For order routing and decision engines: an indexed lookup by (workbook, version, SKU). "latest" is the newest version.',
  security: bearer,
  params: SkuParams,
  response: { 200: SkuRecord, ...problems(...AUTH_ERRORS, 404) },
};

/** Filters of the SKU list and the CSV export; every one an exact match, segment also with * wildcards. */
const itemFilters = {
  segment: Type.Optional(Type.String({ pattern: SEGMENT_FILTER_PATTERN, description: "Segment, exact or with * per character (A*, *Z) or *." })),
  abc: Type.Optional(stringEnum(["A", "B", "C"] as const)),
  xyz: Type.Optional(stringEnum(["X", "Y", "Z"] as const)),
  pattern: Type.Optional(stringEnum(DEMAND_PATTERNS)),
  transportMode: Type.Optional(stringEnum(TRANSPORT_MODES)),
  slottingZone: Type.Optional(stringEnum(SLOTTING_ZONES)),
  crossDock: Type.Optional(stringEnum(["true", "false"] as const, { description: "Cross-dock eligible (true) or not (false)." })),
  overridden: Type.Optional(stringEnum(["true", "false"] as const, { description: "The segment was set by a planner override." })),
};
export const SkuFilterQuery = Type.Object(itemFilters, { additionalProperties: false });
export type SkuFilterQuery = Static<typeof SkuFilterQuery>;

export const SkuListQuery = Type.Object(
  {
    ...itemFilters,
    offset: Type.Optional(digits(9, "Matching items to skip (default 0).")),
    limit: Type.Optional(digits(6, `Items per page, 1..${MAX_ITEM_PAGE} (default ${DEFAULT_ITEM_PAGE}).`)),
  },
  { additionalProperties: false },
);
export type SkuListQuery = Static<typeof SkuListQuery>;

export const SkuList = Type.Object(
  {
    snapshot: ref(SnapshotMeta),
    items: Type.Array(ref(SnapshotItem)),
    nextOffset: Type.Unsafe<number | null>({ type: ["integer", "null"], description: "offset of the next page of matching items; null on the last page." }),
  },
  { additionalProperties: false },
);
export type SkuList = Static<typeof SkuList>;

export const listSnapshotSkus = {
  tags: ["snapshots"],
  summary: "The SKUs of a snapshot version, filtered and paginated, in publication order.",
  security: bearer,
  params: SnapshotParams,
  querystring: SkuListQuery,
  response: { 200: SkuList, ...problems(...AUTH_ERRORS, 404) },
};

/** A text/csv response (documented under its media type; the body is sent as is). */
export const csvResponse = (description: string) => ({
  description,
  content: { "text/csv": { schema: Type.String({ description: "RFC 4180, CRLF after every record, UTF-8." }) } },
});

export const exportExecutionCsv = {
  tags: ["snapshots"],
  summary: "The execution flags of a snapshot version as a flat CSV for partner systems.",
  description:
    "Header sku,customer,segment,pattern,pickingPriority,transportMode,atpWindowDays,crossDock,slottingZone,sequencePriority,rules; RFC 4180 (CRLF, quoted when needed), booleans Y/N, not set = empty; same filters as the SKU list.",
  security: bearer,
  params: SnapshotParams,
  querystring: SkuFilterQuery,
  response: { 200: csvResponse("The CSV (text/csv; charset=utf-8), as an attachment."), ...problems(...AUTH_ERRORS, 404) },
};

// ---- Forecast accuracy per segment (issue 9) --------------------------------------------------------

const nn = { type: ["number", "null"] };
export const SegmentForecastAccuracy = Type.Unsafe<{
  segment: string;
  skus: number;
  backtested: number;
  wape: number | null;
  bias: number | null;
  exceptions: number;
  valueAtRisk: number | null;
  wapeMax: number | null;
  tsMax: number | null;
}>({
  type: "object",
  additionalProperties: false,
  required: ["segment", "skus", "backtested", "wape", "bias", "exceptions", "valueAtRisk", "wapeMax", "tsMax"],
  properties: {
    segment: { type: "string" },
    skus: { type: "integer" },
    backtested: { type: "integer", description: "SKUs with backtest pairs." },
    wape: { ...nn, description: "Σ|e| / Σ actual over the segment's backtest pairs." },
    bias: { ...nn, description: "Σe / Σ actual (> 0: over-forecast)." },
    exceptions: { type: "integer", description: "SKUs outside the segment's tolerance." },
    valueAtRisk: nn,
    wapeMax: { ...nn, description: "The segment's WAPE tolerance." },
    tsMax: { ...nn, description: "The segment's |tracking signal| tolerance." },
  },
});

export const ForecastAccuracyReport = Type.Object(
  {
    snapshot: ref(SnapshotMeta),
    horizon: Type.Integer(),
    backtestPeriods: Type.Unsafe<number | null>({ type: ["integer", "null"] }),
    bySegment: Type.Array(SegmentForecastAccuracy),
  },
  { additionalProperties: false },
);
export type ForecastAccuracyReport = Static<typeof ForecastAccuracyReport>;

export const getForecastAccuracy = {
  tags: ["snapshots"],
  summary: "Forecast accuracy and bias per segment of a snapshot version (when a forecast was written with it).",
  security: bearer,
  params: SnapshotParams,
  response: { 200: ForecastAccuracyReport, ...problems(...AUTH_ERRORS, 404) },
};

// ---- MRP export as CSV (issue 12) --------------------------------------------------------------------

export const MrpCsvQuery = Type.Object(
  {
    names: Type.Optional(stringEnum(["published", "default"] as const, { description: "Column names: the ones configured in the pane and published with the version (default), or the add-in's own." })),
  },
  { additionalProperties: false },
);

export const exportMrpCsv = {
  tags: ["snapshots"],
  summary: "The MRP export of a snapshot version as CSV, with the field names configured in the pane.",
  description:
    "The fields and column names of the pane's MRP export sheet (published in parameters.mrpExport); RFC 4180, CRLF, numbers with \".\". SKUs whose policy could not be computed are left out (the X-Seg-Skipped header counts them).",
  security: bearer,
  params: SnapshotParams,
  querystring: MrpCsvQuery,
  response: { 200: csvResponse("The CSV (text/csv; charset=utf-8), as an attachment."), ...problems(...AUTH_ERRORS, 404) },
};
