/**
 * Newsvendor (single-period, or base-stock with per-period costs) building blocks, for any
 * demand distribution of src/engine/distributions.ts.
 *
 * Conventions: holdingCost h and shortageCost p are per unit per period, charged on the stock left
 * over (h) and on the demand short (p) at the end of the period; both > 0. Demand X over the
 * relevant interval (one period for the newsvendor; lead time + 1 period for a base-stock policy
 * reviewed every period).
 * - critical ratio p / (p + h) (Snyder & Shen 2019, Fundamentals of Supply Chain Theory, eq.
 *   (4.27) for a continuous X, the smallest S with F(S) >= p / (p + h) for a discrete one, as in
 *   stockpyl's newsvendor module; inventorize's CriticalRatio is the same ratio with price and
 *   salvage folded into h and p).
 * - expected cost g(S) = h E[(S - X)+] + p E[(X - S)+] = h (S - m) + (h + p) n(S), n the loss
 *   function (E[(S - X)+] = S - m + n(S); Snyder & Shen eq. (4.24)).
 * - optimal level: distributionQuantile at the critical ratio.
 */
import { CellError, cellError } from "../errors";
import { distributionLoss, distributionQuantile } from "../distributions";

function positiveCost(field: string, x: number): CellError | null {
  return typeof x === "number" && x > 0 && x < Infinity ? null : cellError(`${field} must be a number > 0, got ${String(x)}`);
}

/** p / (p + h): the service level that balances holding and shortage costs. */
export function criticalRatio(shortageCost: number, holdingCost: number): number | CellError {
  const bad = positiveCost("shortageCost", shortageCost) ?? positiveCost("holdingCost", holdingCost);
  if (bad) return bad;
  return shortageCost / (shortageCost + holdingCost);
}

/** Expected holding + shortage cost per period at level S (see the module comment). */
export function newsvendorCost(code: number, mean: number, variance: number, level: number, holdingCost: number, shortageCost: number): number {
  return holdingCost * (level - mean) + (holdingCost + shortageCost) * distributionLoss(code, mean, variance, level);
}

/** The cost-minimising level: the critical-ratio quantile. */
export function newsvendorLevel(code: number, mean: number, variance: number, holdingCost: number, shortageCost: number): number {
  return distributionQuantile(code, mean, variance, shortageCost / (shortageCost + holdingCost));
}
