/**
 * Reconciliation of a segmentation against a finance sheet (inventory valuation, GL extract), in
 * the manner of datacompy / SAS PROC COMPARE: join on SKU, totals that tie out, row differences,
 * category rules, one status. This module holds the conventions, types, labels and the audit
 * summary; the join itself (reconcile, normalizeSku, matchingRule, financeCurrencies) is in
 * ./reconcileJoin.ts, which only the reconcile job loads.
 *
 * Join (a cascade, most exact rule first; a finance row takes the first rule that matches it):
 *   1. exact         the same cell: same type (number or text) and the same characters;
 *   2. numberText    a number cell is read as its shortest decimal text (1234 -> "1234", 12.5 -> "12.5");
 *   3. trim          leading and trailing white space removed (Unicode spaces, NBSP included);
 *   4. case          upper-cased (locale-independent, String.prototype.toUpperCase);
 *   5. leadingZeros  a key made only of digits 0-9 loses its leading zeros ("001234" -> "1234",
 *                    "000" -> "0"); keys with any other character keep them ("00A12"). This is what
 *                    SAP's ALPHA conversion does to numeric material numbers (stored zero-padded to 18).
 * Rules 2-5 can each be switched off; a later key applies every enabled rule before it. A key that
 * two segmentation SKUs share at some rule (e.g. "ab" and "AB" under `case`) is ambiguous from that
 * rule on: a finance row that reaches it unmatched is listed as "ambiguous SKU", never guessed.
 * Several finance rows can match the same segmentation SKU (e.g. 1234 and "001234"): that SKU is a
 * duplicate on the finance side, listed with every row and never compared as a silent sum (unless
 * `duplicates: "sumAcrossEntities"` and every row is in a different entity: then the rows are summed,
 * and still listed).
 *
 * Sign and units: difference = segmentation - finance, in the segmentation's currency (finance
 * values are converted with the rate table when one is given; quantities are not converted).
 * Tolerance (OR rule, i.e. "the greater of" form used for materiality thresholds; the same shape as
 * Python's math.isclose, PEP 485, with finance as the reference instead of the larger of the two):
 *   within tolerance  <=>  |d| <= abs  OR  |d| <= rel * |finance|   ( <=> |d| <= max(abs, rel*|finance|) )
 *   ties out          <=>  |d| <= 1e-12 * max(1, |segmentation|, |finance|)   (floating-point noise only)
 * The same 1e-12 noise allowance is added to the tolerance, so 100.01 vs 100 with abs 0.01 is within.
 * Statuses: "ties out" / "within tolerance" / "unexplained" per item; an item is one segmentation SKU
 * with its finance rows, or one finance row no segmentation SKU matched. Items partition both sides,
 * so the reasons' differences add up to the total difference (the bridge). The overall status is the
 * worst item status. Category-rule violations are listed apart and do not change the status.
 * Batch layout: columnar inputs, typed-array outputs per row, lists only for the exceptions.
 */

export type SkuCell = string | number;

export const MATCH_RULES = ["exact", "numberText", "trim", "case", "leadingZeros"] as const;
export type MatchRule = (typeof MATCH_RULES)[number];
export type OptionalMatchRule = Exclude<MatchRule, "exact">;

export const RECONCILE_STATUSES = ["ties out", "within tolerance", "unexplained"] as const;
export type ReconcileStatus = (typeof RECONCILE_STATUSES)[number];

/** Why an item has its status; index = code in segReason / financeReason. */
export const RECONCILE_REASONS = [
  "ties out",
  "within tolerance",
  "value difference",
  "quantity difference",
  "value not compared",
  "duplicate in finance",
  "not in finance",
  "not in segmentation",
  "ambiguous SKU",
] as const;
export type ReconcileReason = (typeof RECONCILE_REASONS)[number];

/** Labels of the cross-tab's pseudo rows and columns. */
export const NOT_IN_FINANCE = "(not in finance)";
export const NOT_IN_SEGMENTATION = "(not in segmentation)";
export const SEVERAL_CATEGORIES = "(several categories)";
export const NO_CATEGORY = "(no category)";
export const NO_SEGMENT = "(no segment)";

/** Default row order of the cross-tab; other labels follow alphabetically. */
export const DEFAULT_SEGMENT_ORDER = ["AX", "AY", "AZ", "AN", "BX", "BY", "BZ", "BN", "CX", "CY", "CZ", "CN"];

/** The written segmentation, one row per SKU (index-aligned columns). */
export interface SegmentationRows {
  sku: readonly SkuCell[];
  segment: readonly string[];
  /** Annual consumption value (or whatever value the finance sheet is to be tied to), segmentation currency. */
  value: ArrayLike<number>;
  /** NaN where not known; omitted when there is none. */
  quantity?: ArrayLike<number>;
  /** 1 = strategic pin. */
  pinned?: ArrayLike<number>;
  /** 1 = inactive (e.g. no demand, blocked, phased out). */
  inactive?: ArrayLike<number>;
  /** ABC class per SKU; when omitted, the first character of the segment. */
  abc?: readonly string[];
  /** 1-based sheet row, for messages. */
  sourceRow?: ArrayLike<number>;
  /** Name used in messages, e.g. "Segments". */
  sheetName?: string;
}

/** Finance rows as read from the finance sheet (src/app/financeParse.ts builds them). */
export interface FinanceRows {
  sku: readonly SkuCell[];
  /** Finance category / product line / GL account; "" when blank. */
  category: readonly string[];
  /** Book value in the row's currency; may be negative (reserves, credit balances). */
  bookValue: ArrayLike<number>;
  /** NaN where not given. */
  quantity?: ArrayLike<number>;
  /** ISO currency code per row (upper-case); omitted when the sheet has no currency column. */
  currency?: readonly string[];
  entity?: readonly string[];
  /** 1-based sheet row of each finance row, for messages. */
  sourceRow: ArrayLike<number>;
  /** Sheet name used in messages, e.g. "Finance". */
  sheetName?: string;
}

export interface Tolerance {
  /** Absolute tolerance, in the compared unit (currency or quantity units); >= 0. */
  abs: number;
  /** Relative tolerance, a fraction of |finance| (0.001 = 0.1 %); >= 0. */
  rel: number;
}

/**
 * "finance category -> allowed segments". `category` matches case-insensitively, `*` matches any
 * run of characters ("Obsolet*"). Allowed tokens (case-insensitive):
 *  - a segment label ("AX") or a glob over segment labels ("A*" = AX AY AZ AN, "*Z" = AZ BZ CZ);
 *  - an ABC class ("C"): matches when the SKU's ABC class is C;
 *  - "inactive", "pinned": the SKU's flags; "any" or "*": everything.
 * A SKU satisfies a rule when one of its tokens matches; every rule whose category matches applies.
 */
export interface CategoryRule {
  category: string;
  allowed: readonly string[];
}

export interface ReconcileOptions {
  /** Optional join rules, all on by default. */
  rules?: Partial<Record<OptionalMatchRule, boolean>>;
  /** Default { abs: 1, rel: 0.001 }. */
  valueTolerance?: Tolerance;
  /** Default { abs: 0, rel: 0 }. */
  quantityTolerance?: Tolerance;
  /** Compare values (default true). Off when the two sides measure different things (stock vs flow). */
  compareValue?: boolean;
  /** Compare quantities where both sides have one (default true). */
  compareQuantity?: boolean;
  /** The segmentation's currency (e.g. "EUR"). Needed with `rates`. */
  currency?: string;
  /** Units of `currency` per unit of each finance currency, e.g. { USD: 0.92 } for EUR. */
  rates?: Readonly<Record<string, number>>;
  /** "list" (default): several finance rows for one SKU are a duplicate, not compared. */
  duplicates?: "list" | "sumAcrossEntities";
  categoryRules?: readonly CategoryRule[];
  segmentOrder?: readonly string[];
  /** Examples kept per join rule (default 5). */
  examplesPerRule?: number;
}

export interface RuleReport {
  rule: MatchRule;
  enabled: boolean;
  /** Finance rows matched by this rule (and not by an earlier one). */
  matched: number;
  examples: { segmentationSku: string; financeSku: string; sourceRow: number }[];
}

export interface MatchReport {
  rules: RuleReport[];
  matchedRows: number;
  unmatchedRows: number;
  ambiguousRows: number;
  /** Segmentation SKUs that share a key from a rule on (finance rows reaching it are ambiguous). */
  collisions: { rule: MatchRule; key: string; skus: string[] }[];
}

export interface RowRejection {
  side: "segmentation" | "finance";
  /** 1-based sheet row (or position when the input gave none). */
  sourceRow: number;
  sku: string;
  message: string;
}

export interface Totals {
  segmentationValue: number;
  financeValue: number;
  /** segmentation - finance. */
  difference: number;
  /** difference / |finance|; null when finance is 0. */
  differencePct: number | null;
  segmentationSkus: number;
  financeRows: number;
}

export interface BridgeLine {
  reason: ReconcileReason;
  items: number;
  segmentationValue: number;
  financeValue: number;
  /** Contribution to the total difference; the lines add up to Totals.difference. */
  difference: number;
}

export interface StatusLine {
  status: ReconcileStatus;
  items: number;
  segmentationValue: number;
  financeValue: number;
  difference: number;
}

export interface GroupTotals {
  label: string;
  skus: number;
  financeRows: number;
  segmentationValue: number;
  financeValue: number;
  difference: number;
  differencePct: number | null;
}

/** Segment (rows) x finance category (columns). Every finance row and every SKU lands in one cell. */
export interface CrossTab {
  segments: string[];
  categories: string[];
  /** Book value of the finance rows: row = segment of the matched SKU (or NOT_IN_SEGMENTATION). */
  financeValue: number[][];
  /** Segmentation value: column = the SKU's finance category (NOT_IN_FINANCE, SEVERAL_CATEGORIES). */
  segmentationValue: number[][];
  skus: number[][];
  financeRows: number[][];
  rowTotals: GroupTotals[];
  columnTotals: GroupTotals[];
  grandTotal: GroupTotals;
}

export interface SegmentationOnlyRow {
  sku: string;
  segment: string;
  value: number;
  sourceRow: number;
}

export interface FinanceOnlyRow {
  sku: string;
  sourceRow: number;
  category: string;
  entity: string;
  currency: string;
  /** In the segmentation's currency. */
  bookValue: number;
  reason: "not in segmentation" | "ambiguous SKU";
  /** For ambiguous rows: the segmentation SKUs it could be. */
  candidates: string[];
  /** Normalised key (all enabled rules applied). */
  key: string;
}

export interface DuplicateRow {
  sourceRow: number;
  sku: string;
  category: string;
  entity: string;
  bookValue: number;
}

export interface DuplicateGroup {
  key: string;
  /** The segmentation SKU they match; null when none (then they are also finance-only). */
  sku: string | null;
  segment: string | null;
  rows: DuplicateRow[];
  total: number;
  /** "same entity": a true duplicate; "across entities": one SKU held by several entities; "no entity": no entity column. */
  kind: "same entity" | "across entities" | "no entity";
  /** Summed and compared (duplicates: "sumAcrossEntities" and kind "across entities"). */
  summed: boolean;
}

export interface DifferenceRow {
  sku: string;
  segment: string;
  category: string;
  /** Finance sheet row (the first when summed across entities). */
  sourceRow: number;
  segmentation: number;
  finance: number;
  difference: number;
  /** difference / |finance|; null when finance is 0. */
  differencePct: number | null;
  /** max(abs, rel * |finance|). */
  tolerance: number;
  status: "within tolerance" | "unexplained";
}

export interface CategoryViolation {
  sku: string;
  segment: string;
  category: string;
  sourceRow: number;
  /** Index into options.categoryRules. */
  rule: number;
  allowed: string[];
  message: string;
}

export interface ReconcileResult {
  currency: string | null;
  match: MatchReport;
  totals: Totals;
  bridge: BridgeLine[];
  status: { status: ReconcileStatus; byStatus: StatusLine[] };
  crossTab: CrossTab;
  perSegment: GroupTotals[];
  perCategory: GroupTotals[];
  segmentationOnly: SegmentationOnlyRow[];
  financeOnly: FinanceOnlyRow[];
  duplicates: DuplicateGroup[];
  /** Compared values that do not tie out, largest |difference| first. */
  valueDifferences: DifferenceRow[];
  quantityDifferences: DifferenceRow[];
  categoryViolations: CategoryViolation[];
  /** Rules that match nothing, tokens that name no segment of this segmentation. */
  ruleWarnings: string[];
  rejected: RowRejection[];
  /** Per segmentation row: finance rows matched, status code (RECONCILE_STATUSES), reason code (RECONCILE_REASONS); 255 for rejected rows. */
  segFinanceCount: Int32Array;
  segStatus: Uint8Array;
  segReason: Uint8Array;
  /** Per finance row: matched segmentation row (-1 none), rule index (MATCH_RULES; -1 none), status and reason codes (255 rejected). */
  financeMatch: Int32Array;
  financeRule: Int8Array;
  financeStatus: Uint8Array;
  financeReason: Uint8Array;
}

/** The figures an audit entry of a reconciliation records (small, JSON-safe). */
export interface ReconcileSummary {
  modelVersion: string;
  financeFingerprint: string;
  currency: string | null;
  status: ReconcileStatus;
  totals: Totals;
  items: Record<ReconcileStatus, { items: number; difference: number }>;
  matchedByRule: Record<MatchRule, number>;
  segmentationOnly: number;
  financeOnly: number;
  duplicates: number;
  categoryViolations: number;
  rejected: number;
  tolerance: { value: Tolerance; quantity: Tolerance };
}

export function reconcileSummary(result: ReconcileResult, modelVersion: string, financeFingerprint: string, options: ReconcileOptions = {}): ReconcileSummary {
  const items = {} as ReconcileSummary["items"];
  for (const s of result.status.byStatus) items[s.status] = { items: s.items, difference: s.difference };
  const matchedByRule = {} as Record<MatchRule, number>;
  for (const r of result.match.rules) matchedByRule[r.rule] = r.matched;
  return {
    modelVersion,
    financeFingerprint,
    currency: result.currency,
    status: result.status.status,
    totals: result.totals,
    items,
    matchedByRule,
    segmentationOnly: result.segmentationOnly.length,
    financeOnly: result.financeOnly.length,
    duplicates: result.duplicates.length,
    categoryViolations: result.categoryViolations.length,
    rejected: result.rejected.length,
    tolerance: { value: options.valueTolerance ?? { abs: 1, rel: 0.001 }, quantity: options.quantityTolerance ?? { abs: 0, rel: 0 } },
  };
}
