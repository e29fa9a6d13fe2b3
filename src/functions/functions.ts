/**
 * The SEG custom functions. Each function's JSDoc is what Excel shows in the formula builder
 * (custom-functions-metadata-plugin turns it into functions.json); bodies only shape arguments
 * and map results, the formulas are in src/engine.
 * Runs in the shared runtime (same page as the task pane).
 */

// ---- classification functions (SEGMENT_ABC, XYZ_CV, DEMAND_PATTERN) ----

// ---- end classification functions ----

// ---- policy functions (SAFETY_STOCK, REORDER_POINT, EOQ, Z_VALUE, FILL_RATE_K) ----

// ---- end policy functions ----
