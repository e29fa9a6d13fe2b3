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
  "Model version",
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
  "Whole units: Safety stock, Reorder point, Min and Max are rounded up to the next whole unit, and an EOQ is rounded up to a whole unit before the levels are computed; a mapped order quantity is used as given. Choose \"keep fractions\" in the pane for bulk goods.";
export const ROUNDING_NOTE_NONE = "Fractions kept: the levels and order quantities are not rounded (bulk goods).";

/** Notes on how the Segments sheet was made (window, value source, inactive rule), beside the table. */
export const SEGMENTS_NOTES_TABLE = "SegSegmentsNotes";

/** The Pareto chart plots a binned copy of the ranking (every SKU, at most this many points). */
export const PARETO_CHART = "SegPareto";
export const PARETO_TABLE = "SegParetoBins";
export const PARETO_MAX_BINS = 100;
export const PARETO_HEADERS = ["SKUs", "Share of SKUs", "Value", "Cumulative share"] as const;

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
} as const;
