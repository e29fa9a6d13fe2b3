/**
 * The SEG custom functions. Each function's JSDoc is what Excel shows in the formula builder
 * (custom-functions-metadata-plugin turns it into functions.json); bodies only shape arguments
 * and map results, the formulas are in src/engine.
 * Runs in the shared runtime (same page as the task pane).
 */

// ---- classification functions (SEGMENT_ABC, XYZ_CV, DEMAND_PATTERN) ----
// Conventions (see docs/functions-classify.md): one output row per input row, in input order; a bad
// row gives #VALUE! naming the row, an undefined result #N/A with the reason.
import { abcXyzCells, demandPatternCells, segmentAbcCells, xyzCvCells } from "./classify";

/**
 * ABC class per row by annual consumption value, largest first. cumShare includes the row; class = first cut-off with cumShare ≤ cut-off (so 50,30,10,5,3,2 → A,A,B,B,C,C). Ties keep input order. Bad rows are left out of the total.
 * @customfunction SEGMENT_ABC
 * @param values One column of annual values, or two columns (quantity, unit cost) multiplied per row. Values ≥ 0; blank = 0.
 * @param [cutoffs] Cumulative-share cut-offs, strictly increasing in (0, 1], as a range or {0.8,0.95}. Default {0.8,0.95}.
 * @param [labels] One label per class (one more than the cut-offs). Default A, B, C, …
 * @returns {any[][]} One class label per input row.
 */
export function classifySegmentAbc(values: unknown[][], cutoffs?: unknown[][], labels?: unknown[][]): unknown[][] {
  return segmentAbcCells(values, cutoffs, labels);
}

/**
 * Coefficient of variation (sd / mean) of each row's demand history, zero periods included, and its XYZ class: CV ≤ x_max → X, ≤ y_max → Y, else Z. All-zero history: CV #N/A, class "N" (no demand).
 * @customfunction XYZ_CV
 * @param history Demand history: one row per SKU, one column per period. Values ≥ 0; blank = 0.
 * @param [x_max] Largest CV of class X (inclusive). Default 0.5.
 * @param [y_max] Largest CV of class Y (inclusive), greater than x_max. Default 1.0.
 * @param [output] "cv" (default), "class", or "both" (two columns: CV, class).
 * @param [sd_type] "population" (default, divide by n) or "sample" (divide by n − 1).
 * @param [exclude_outliers] TRUE replaces Hampel outliers (beyond 3 scaled MADs of a 7-period window median) by that median before the CV. Default FALSE.
 * @returns {any[][]} CV and/or class per history row.
 */
export function classifyXyzCv(
  history: unknown[][],
  x_max?: unknown[][],
  y_max?: unknown[][],
  output?: unknown[][],
  sd_type?: unknown[][],
  exclude_outliers?: unknown[][],
): unknown[][] {
  return xyzCvCells(history, x_max, y_max, output, sd_type, exclude_outliers);
}

/**
 * Syntetos–Boylan demand pattern per row: ADI = periods / periods with demand; CV² of the non-zero demands (population sd). ADI ≥ 1.32 → intermittent side, CV² ≥ 0.49 → erratic side: smooth, erratic, intermittent, lumpy; "no demand" if all zero.
 * @customfunction DEMAND_PATTERN
 * @param history Demand history: one row per SKU, one column per period. Values ≥ 0; blank = 0.
 * @param [adi_cutoff] ADI cut-off (inclusive on the intermittent side). Default 1.32.
 * @param [cv2_cutoff] CV² cut-off (inclusive on the erratic side). Default 0.49.
 * @param [output] "class" (default) or "all" (three columns: pattern, ADI, CV²).
 * @returns {any[][]} Pattern (and ADI, CV²) per history row.
 */
export function classifyDemandPattern(history: unknown[][], adi_cutoff?: unknown[][], cv2_cutoff?: unknown[][], output?: unknown[][]): unknown[][] {
  return demandPatternCells(history, adi_cutoff, cv2_cutoff, output);
}

/**
 * ABC-XYZ segment per row ("AX" … "CZ"; "AN"/"BN"/"CN" for no demand): SEGMENT_ABC of the values followed by the XYZ class of the history, with the same conventions.
 * @customfunction ABC_XYZ
 * @param values One column of annual values, or two columns (quantity, unit cost).
 * @param history Demand history with one row per value row, one column per period.
 * @param [cutoffs] ABC cumulative-share cut-offs. Default {0.8,0.95}.
 * @param [labels] ABC labels, one more than the cut-offs. Default A, B, C.
 * @param [x_max] Largest CV of class X. Default 0.5.
 * @param [y_max] Largest CV of class Y. Default 1.0.
 * @param [sd_type] "population" (default) or "sample".
 * @param [exclude_outliers] TRUE applies the Hampel outlier filter before the CV. Default FALSE.
 * @returns {any[][]} One segment label per input row.
 */
export function classifyAbcXyz(
  values: unknown[][],
  history: unknown[][],
  cutoffs?: unknown[][],
  labels?: unknown[][],
  x_max?: unknown[][],
  y_max?: unknown[][],
  sd_type?: unknown[][],
  exclude_outliers?: unknown[][],
): unknown[][] {
  return abcXyzCells(values, history, cutoffs, labels, x_max, y_max, sd_type, exclude_outliers);
}

// ---- end classification functions ----

// ---- policy functions (SAFETY_STOCK, REORDER_POINT, EOQ, Z_VALUE, FILL_RATE_K) ----
// Conventions (see docs/functions-policy.md): demand per period, demand_sd = standard deviation of
// demand per period, lead time and review period in the same periods; safety stock is NOT floored
// at 0. Each argument is one cell or a column; columns are matched row by row and results spill down.
import { eoqCells, fillRateKCells, normalLossCells, reorderPointCells, safetyStockCells, zValueCells } from "./policy";

/**
 * Safety stock k×σ in units, one per row; NOT floored at 0 (wrap in MAX(0, …) for a floor). σ = √((lead_time + review_period)·demand_sd² + demand_mean²·lead_time_sd²). "csl": k = NORM.S.INV(service_level). "fill": G(k) = Q·(1 − service_level)/σ.
 * @customfunction SAFETY_STOCK
 * @param service_level Target between 0 and 1 (0.95 = 95%): cycle service level for "csl", fill rate for "fill".
 * @param demand_mean Mean demand per period (units per period), ≥ 0.
 * @param demand_sd Standard deviation of demand per period (units per period), ≥ 0.
 * @param lead_time Mean lead time in periods (same period as the demand), ≥ 0.
 * @param [lead_time_sd] Standard deviation of the lead time in periods, ≥ 0. Default 0 (fixed lead time).
 * @param [review_period] Review period in periods, ≥ 0. Default 0 = continuous review; > 0 = periodic review (protection interval lead_time + review_period).
 * @param [method] "csl" (default: probability of no stockout per cycle) or "fill" (fill rate: share of demand served from stock).
 * @param [order_qty] Order quantity in units, used by "fill". 0 or blank = not given: demand_mean × review_period under periodic review; required under continuous review.
 * @returns {number[][]} Safety stock in units per row (may be negative with "fill").
 */
export function policySafetyStock(
  service_level: unknown[][],
  demand_mean: unknown[][],
  demand_sd: unknown[][],
  lead_time: unknown[][],
  lead_time_sd?: unknown[][],
  review_period?: unknown[][],
  method?: unknown[][],
  order_qty?: unknown[][],
): unknown[][] {
  return safetyStockCells(service_level, demand_mean, demand_sd, lead_time, lead_time_sd, review_period, method, order_qty);
}

/**
 * Reorder point in units, one per row. Continuous review (review_period 0): demand_mean × lead_time + safety_stock. Periodic review: the order-up-to level demand_mean × (review_period + lead_time) + safety_stock.
 * @customfunction REORDER_POINT
 * @param demand_mean Mean demand per period (units per period), ≥ 0.
 * @param lead_time Mean lead time in periods, ≥ 0.
 * @param safety_stock Safety stock in units (e.g. from SEG.SAFETY_STOCK); negative values are used as given.
 * @param [review_period] Review period in periods, ≥ 0. Default 0 = continuous review.
 * @returns {number[][]} Reorder point (continuous) or order-up-to level (periodic) in units per row.
 */
export function policyReorderPoint(demand_mean: unknown[][], lead_time: unknown[][], safety_stock: unknown[][], review_period?: unknown[][]): unknown[][] {
  return reorderPointCells(demand_mean, lead_time, safety_stock, review_period);
}

/**
 * Economic order quantity √(2·D·S/H) (Harris 1913) in units, one per row. All amounts per year.
 * @customfunction EOQ
 * @param annual_demand Demand per year in units, ≥ 0.
 * @param order_cost Fixed cost per order (money), ≥ 0.
 * @param holding_cost Holding cost per unit per year (money), > 0.
 * @returns {number[][]} Order quantity in units per row.
 */
export function policyEoq(annual_demand: unknown[][], order_cost: unknown[][], holding_cost: unknown[][]): unknown[][] {
  return eoqCells(annual_demand, order_cost, holding_cost);
}

/**
 * Service factor z for a cycle service level: the inverse standard normal (like NORM.S.INV), accurate to 1e-12 from 1e-12 to 1 − 1e-12. One per row.
 * @customfunction Z_VALUE
 * @param service_level Cycle service level strictly between 0 and 1 (0.95 = 95%).
 * @returns {number[][]} z per row (z(0.95) = 1.6449).
 */
export function policyZValue(service_level: unknown[][]): unknown[][] {
  return zValueCells(service_level);
}

/**
 * Safety factor k for a fill-rate target: the k with G(k) = order_qty × (1 − fill_rate) / sigma, G the standard normal loss function. k may be negative; safety stock = k × sigma. One per row.
 * @customfunction FILL_RATE_K
 * @param fill_rate Target fill rate strictly between 0 and 1 (share of demand served from stock).
 * @param order_qty Units demanded per replenishment cycle (the order quantity, or demand × review period), > 0.
 * @param sigma Standard deviation of demand over the protection interval in units, > 0 (0 gives #N/A: k is unbounded).
 * @returns {number[][]} k per row.
 */
export function policyFillRateK(fill_rate: unknown[][], order_qty: unknown[][], sigma: unknown[][]): unknown[][] {
  return fillRateKCells(fill_rate, order_qty, sigma);
}

/**
 * Standard normal loss function G(k) = φ(k) − k·(1 − Φ(k)), the expected units short per unit of σ when the safety factor is k. Accurate in the right tail; 0 once it underflows (k > 38.5). One per row.
 * @customfunction NORMAL_LOSS
 * @param k Safety factor, any number.
 * @returns {number[][]} G(k) per row (G(0) = 0.3989).
 */
export function policyNormalLoss(k: unknown[][]): unknown[][] {
  return normalLossCells(k);
}

// ---- end policy functions ----
