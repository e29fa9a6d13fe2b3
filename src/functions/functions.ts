/**
 * The SEG custom functions. Each function's JSDoc is what Excel shows in the formula builder
 * (custom-functions-metadata-plugin turns it into functions.json); bodies only shape arguments
 * and map results, the formulas are in src/engine.
 * Runs in the shared runtime (same page as the task pane).
 */

// ---- classification functions (SEGMENT_ABC, XYZ_CV, DEMAND_PATTERN) ----

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
