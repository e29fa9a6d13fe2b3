/**
 * Names of the sheets, tables, columns and settings of the segmentation beyond the SKU (issue 15):
 * the Dimensions sheet (one row per key of the chosen dimension, cost-to-serve per segment), the
 * Execution sheet (flags per SKU or SKU × customer), and the workbook settings the steps keep.
 * Kept apart from sheets.ts so that the two lists grow without touching each other.
 */

export const DIMENSIONS_SHEET = "Dimensions";
export const DIMENSION_TABLE = "SegDimension";
export const DIMENSION_NOTES_TABLE = "SegDimensionNotes";
export const COST_TO_SERVE_TABLE = "SegCostToServe";
export const COST_TO_SERVE_CHART = "SegCostToServeChart";
export const TWO_AXIS_TABLE = "SegTwoAxis";

export const COST_TO_SERVE_HEADERS = [
  "Segment",
  "Lines",
  "Orders",
  "Units",
  "Revenue",
  "Cost-to-serve",
  "Cost-to-serve per unit",
  "Cost-to-serve per order",
  "Margin after cost-to-serve",
  "Revenue share",
  "Cost-to-serve share",
  "Ratio",
  "Out of proportion",
  "Carbon (kg CO2e)",
  "Carbon share",
] as const;

export const TWO_AXIS_HEADERS = ["Cell", "Keys", "First-axis share", "Second-axis share"] as const;

export const EXECUTION_SHEET = "Execution";
export const EXECUTION_TABLE = "SegExecution";
export const EXECUTION_RULES_TABLE = "SegExecutionRules";
export const EXECUTION_NOTES_TABLE = "SegExecutionNotes";
export const EXECUTION_HEADERS = [
  "SKU",
  "Customer",
  "Segment",
  "Pattern",
  "Customer class",
  "Picking priority",
  "Transport mode",
  "ATP window (days)",
  "Cross-dock",
  "Cross-dock note",
  "Slotting zone",
  "Sequence priority",
  "Rules",
  "Model version",
] as const;
export const EXECUTION_RULES_HEADERS = ["Rule", "Applies to", "Sets"] as const;

/** Workbook settings (via the gateway), next to sheets.ts SETTINGS. */
export const DIMENSION_SETTINGS = {
  /** Remembered order-line column mappings, by sheet name and header signature. */
  orderLineMappings: "seg.orderLineMappings",
  /** Criterion, dimension, weights, carbon factors, cost rates. */
  dimensionSettings: "seg.dimensionSettings",
  /** The decision record of the last Write (rationale and the parameters it justified). */
  decisionRecord: "seg.decisionRecord",
  /** Service-level agreements per customer tier. */
  slaAgreements: "seg.slaAgreements",
  /** Contract clause mapping and the accepted / corrected terms. */
  contractTerms: "seg.contractTerms",
  /** The execution rule table and its options. */
  executionRules: "seg.executionRules",
  executionOptions: "seg.executionOptions",
  /** The rule table as the last Write used it (to tell a hand edit on the sheet from a rule change). */
  executionWritten: "seg.executionWritten",
} as const;
