/**
 * Names of the sheets, tables and columns the pane writes. Headers follow the one-name-per-concept
 * table in docs/architecture.md.
 */
import { SEGMENT_POLICY_HEADERS } from "../engine/policy";

/** Header of every notes table the add-in writes beside its tables. */
export const NOTES_HEADERS = ["Note"] as const;

export const SEGMENTS_SHEET = "Segments";
export const SEGMENTS_TABLE = "SegSegments";
export const SEGMENTS_HEADERS = [
  "SKU",
  "Value",
  "Cumulative share",
  "ABC",
  "CV",
  "XYZ",
  "Pattern",
  "Segment",
  "Status",
  "Family",
  "Category",
  "Decided by",
  "Data flag",
  "Override",
  "Override reason",
  "Model version",
] as const;

export const POLICY_SHEET = "Policy";
export const SEGMENT_POLICY_TABLE = "SegPolicyGrid";
export { SEGMENT_POLICY_HEADERS };
export const SKU_POLICY_TABLE = "SegSkuPolicy";
export const SKU_POLICY_HEADERS = [
  "SKU",
  "Segment",
  "Segment source",
  "Service level",
  "Method",
  "Demand mean",
  "Demand sd",
  "Lead time",
  "Review period",
  "Safety stock",
  "Reorder point",
  "Min",
  "Max",
  "Order quantity",
  "Order quantity source",
  "Distribution",
  "Order multiple",
  "MOQ",
  "Expected fill rate",
  "Location",
  "Supplier",
  "Floor",
  "Flags",
  "Model version",
  "Decided by",
] as const;

/**
 * A small table of notes beside the policy grid (H1), so that a planner reading the Policy sheet
 * sees how its figures relate to the SEG functions without opening the docs.
 */
export const POLICY_NOTES_TABLE = "SegPolicyNotes";
export const POLICY_NOTES_HEADERS = NOTES_HEADERS;
export const POLICY_NOTES: readonly string[] = [
  "Safety stock is k × σ as SEG.SAFETY_STOCK computes it, with one difference: where the formula gives a negative safety stock (the fill-rate method with an order quantity that alone meets the fill rate, or a cycle service level below 50 %), this sheet shows 0 and computes Reorder point, Min and Max from that 0. SEG.SAFETY_STOCK returns the negative value; MAX(0, SEG.SAFETY_STOCK(…)) matches this sheet. Such rows say \"floored at 0\" in Order quantity source.",
  "Demand mean, Demand sd, Lead time and Review period are per period of the demand history; Safety stock, Reorder point, Min, Max and Order quantity are in units.",
];
export const ROUNDING_NOTE_WHOLE =
  "Quantities a planner can order: the lot (an EOQ or a mapped order quantity) is rounded up to the order multiple and raised to the MOQ before the levels are computed; Safety stock, Reorder point, Min and Max are then rounded up to whole units, and Max = Min + Order quantity (periodic review: Min = Max − the demand per review, rounded the same way). Choose \"keep fractions\" in the pane for bulk goods.";
export const ROUNDING_NOTE_NONE = "Fractions kept: the levels and order quantities are not rounded (bulk goods); only the MOQ still raises the order quantity.";
export const DISTRIBUTION_NOTE =
  "Distribution: the lead-time demand model of the segment (normal, Poisson, negative binomial, gamma, or auto by demand pattern: intermittent and lumpy SKUs get a negative binomial, Poisson when the variance is not above the mean). Discrete distributions give whole-unit reorder points; Expected fill rate is the fill rate of the written levels.";
export const EXCEPTIONS_NOTE =
  "Floor: a minimum safety stock (critical spares, regulatory stock). Such SKUs are flagged \"protected\", never go below it, and are left out of budget and capacity cuts. Flags also name lifecycle rules (phase-out ramp, no replenishment after the last-buy date, demand from an analog or family) and budget or capacity changes.";

/** The MRP export sheet: the policy in the fields a planning system loads (names configurable). */
export const MRP_EXPORT_SHEET = "MRP export";
export const MRP_EXPORT_TABLE = "SegMrpExport";

/** The change list against the previous written version, per supplier and per SKU. */
export const CHANGE_LIST_SHEET = "Policy change list";
export const CHANGE_NOTES_TABLE = "SegChangeNotes";
export const SUPPLIER_CHANGES_TABLE = "SegSupplierChanges";
export const SUPPLIER_CHANGES_HEADERS = [
  "Supplier",
  "SKUs",
  "New",
  "Removed",
  "Changed",
  "Reorder point change",
  "Max change",
  "Investment before",
  "Investment after",
  "Investment change",
  "Max value change",
] as const;
export const SKU_CHANGES_TABLE = "SegSkuChanges";
export const SKU_CHANGES_HEADERS = [
  "SKU",
  "Location",
  "Supplier",
  "Status",
  "Reorder point before",
  "Reorder point after",
  "Reorder point change",
  "Max before",
  "Max after",
  "Max change",
  "Investment before",
  "Investment after",
  "Investment change",
  "Max value change",
] as const;

/**
 * The previous written version's per-SKU policy, packed (JSON chunks of rows, one cell each) on a
 * very hidden sheet: written in the same all-or-nothing Write as the sheets it describes.
 */
export const POLICY_VERSION_SHEET = "SEG_PolicyVersion";
export const POLICY_VERSION_TABLE = "SegPolicyVersion";

/** Realised service and turns from actuals against the grid's targets. */
export const PERFORMANCE_SHEET = "Policy performance";
export const PERFORMANCE_NOTES_TABLE = "SegPerformanceNotes";
export const PERFORMANCE_TABLE = "SegPerformance";
export const PERFORMANCE_HEADERS = [
  "Segment",
  "SKUs",
  "Periods",
  "Realised CSL",
  "CSL target",
  "Stockout frequency",
  "Realised fill rate",
  "Fill rate target",
  "Inventory turns",
  "Turns target",
  "Fill rate gap",
  "CSL gap",
  "Turns gap",
] as const;
export const PERFORMANCE_CHART = "SegPerformanceFill";
export const STOCKOUT_CHART = "SegPerformanceStockouts";
export const BELOW_TARGET_TABLE = "SegBelowTarget";
export const BELOW_TARGET_HEADERS = ["SKU", "Segment", "Measure", "Realised", "Target", "Shortfall", "Periods", "Stockout periods"] as const;

/** Notes on how the Segments sheet was made (window, value source, inactive rule), beside the table. */
export const SEGMENTS_NOTES_TABLE = "SegSegmentsNotes";

/** The Pareto chart plots a binned copy of the ranking (every SKU, at most this many points). */
export const PARETO_CHART = "SegPareto";
export const PARETO_TABLE = "SegParetoBins";
export const PARETO_MAX_BINS = 100;
export const PARETO_HEADERS = ["SKUs", "Share of SKUs", "Value", "Cumulative share"] as const;

/** Earlier versions of the Segments and Policy sheets, for rollback (src/app/versionSnapshots.ts). */
export const VERSIONS_SHEET = "SEG_Versions";
export const VERSIONS_TABLE = "SegVersionStore";
export const VERSIONS_HEADERS = ["Model version", "Part", "Text"] as const;

/** The very hidden sheet holding the workbook's audit hash chain. */
export const AUDIT_SHEET = "SEG_Audit";

/** Settings keys (workbook settings, via the gateway). */
export const SETTINGS = {
  workbookId: "seg.workbookId",
  userName: "seg.userName",
  mappings: "seg.mappings",
  options: "seg.classifyOptions",
  policyGrid: "seg.policyGrid",
  policyOptions: "seg.policyOptions",
  /** The end of the audit chain as this pane last wrote it (saves a read before each write). */
  auditTip: "seg.auditTip",
  /** The planner has read the warning that a rerun replaces the Segments and Policy sheets. */
  rerunWarningSeen: "seg.rerunWarningSeen",
  /** The segment policy grid exactly as the add-in last wrote it (to spot hand edits). */
  policyWritten: "seg.policyWritten",
  overrides: "seg.overrides",
  lastRun: "seg.lastRun",
  /** MRP export field choice and names, per workbook. */
  mrpExport: "seg.mrpExport",
  /** Column mappings of actuals ranges (Performance tab), by sheet and header signature. */
  actualsMappings: "seg.actualsMappings",
} as const;
