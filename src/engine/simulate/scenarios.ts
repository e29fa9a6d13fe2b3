/**
 * Scenario comparison for the pane's Scenarios step: up to four sets of per-SKU policy parameters
 * (e.g. today's policy, the proposed grid, a budget-constrained variant, another segmentation
 * cut-off), simulated on the same seeded demand and lead-time draws (common random numbers, see
 * simulate.ts), compared per segment and in total.
 *
 * Changes are paired: for each replication r the difference scenario(r) - baseline(r) is taken,
 * and the interval is that of the n differences (mean ± t(0.975, n - 1) s_d / sqrt(n); Law 2015,
 * §10.2.1, the paired-t confidence interval). With common random numbers the differences vary far
 * less than either scenario on its own, so a change can be significant even when the two intervals
 * overlap. The baseline is the first scenario.
 *
 * A row that any scenario cannot simulate is left out of every scenario (its reason is kept), so
 * that totals compare the same SKUs. Scenarios may carry their own segment labels (another
 * segmentation cut-off); a segment row then compares the SKUs each scenario puts in it, and the
 * paired change of a segment one scenario lacks is NaN. The total always compares the same SKUs.
 */
import { ArgumentError, CellError } from "../errors";
import type { SkuPolicy } from "../policy";
import { meanInterval } from "./confidence";
import { Interval, PolicyColumns, PolicyKind, SegmentSimulation, SimMetric, SimulationInput, SimulationOptions, SimulationResult, simulateScenarioRuns } from "./simulate";

export const MAX_SCENARIOS = 4;

export interface Scenario {
  /** Shown in the Scenarios sheet and the audit entry; unique, not blank. */
  name: string;
  policy: PolicyColumns;
  /** Segment labels under this scenario; default: the input's. */
  segment?: ArrayLike<string>;
}

/** The measures compared side by side. */
export const COMPARED_METRICS = ["fillRate", "stockValue", "totalCostPerPeriod"] as const satisfies readonly SimMetric[];
export type ComparedMetric = (typeof COMPARED_METRICS)[number];

export interface ScenarioRow {
  segment: string;
  /** SKUs in the segment, per scenario (scenario order). */
  skus: number[];
  /** Per measure, per scenario: mean and 95 % half-width. */
  value: Record<ComparedMetric, Interval[]>;
  /** Per measure, per scenario: paired change against the baseline (the baseline's own is 0 ± 0). */
  change: Record<ComparedMetric, Interval[]>;
}

export interface ScenarioComparison {
  names: string[];
  /** Every scenario's full simulation result (per SKU and per segment), scenario order. */
  results: SimulationResult[];
  /** One row per segment label met in any scenario, in order of first appearance. */
  segments: ScenarioRow[];
  /** All compared SKUs; change.totalCostPerPeriod here is the total supply-chain cost change. */
  total: ScenarioRow;
  /** Rows left out of every scenario, with the reason (the first scenario that failed on it). */
  excluded: Map<number, CellError>;
  aborted: boolean;
}

function validateScenarios(scenarios: readonly Scenario[]): void {
  if (!(scenarios.length >= 1 && scenarios.length <= MAX_SCENARIOS)) {
    throw new ArgumentError("scenarios", `give 1 to ${MAX_SCENARIOS} scenarios, got ${scenarios.length}`);
  }
  const seen = new Set<string>();
  scenarios.forEach((s, k) => {
    const name = typeof s.name === "string" ? s.name.trim() : "";
    if (!name) throw new ArgumentError("scenarios", `scenario ${k + 1} needs a name`);
    if (seen.has(name)) throw new ArgumentError("scenarios", `two scenarios are called "${name}"`);
    seen.add(name);
  });
}

function pairedChange(a: SegmentSimulation | undefined, b: SegmentSimulation | undefined, m: SimMetric): Interval {
  if (!a || !b) return { mean: Number.NaN, halfWidth: Number.NaN };
  const pa = a.perReplication[m];
  const pb = b.perReplication[m];
  const d = new Float64Array(pa.length);
  for (let r = 0; r < d.length; r++) d[r] = pb[r] - pa[r];
  const iv = meanInterval(d);
  return { mean: iv.mean, halfWidth: iv.halfWidth };
}

function row(label: string, per: (SegmentSimulation | undefined)[]): ScenarioRow {
  const value = {} as Record<ComparedMetric, Interval[]>;
  const change = {} as Record<ComparedMetric, Interval[]>;
  for (const m of COMPARED_METRICS) {
    value[m] = per.map((s) => (s ? { ...s.metrics[m] } : { mean: Number.NaN, halfWidth: Number.NaN }));
    change[m] = per.map((s) => pairedChange(per[0], s, m));
  }
  return { segment: label, skus: per.map((s) => s?.skus ?? 0), value, change };
}

/**
 * Simulates each scenario on the same demand and compares them per segment and in total.
 * Options as for simulatePolicies (one seed for all scenarios).
 */
export function compareScenarios(input: SimulationInput, scenarios: readonly Scenario[], options: SimulationOptions = {}): ScenarioComparison {
  validateScenarios(scenarios);
  const results = simulateScenarioRuns(
    input,
    scenarios.map((s) => ({ policy: s.policy, segment: s.segment })),
    options,
    true,
  );
  const labels: string[] = [];
  for (const r of results) for (const s of r.segments) if (!labels.includes(s.segment)) labels.push(s.segment);
  const segments = labels.map((l) => row(l, results.map((r) => r.segments.find((s) => s.segment === l))));
  const total = row("all", results.map((r) => r.total));
  return { names: scenarios.map((s) => s.name.trim()), results, segments, total, excluded: results[0].errors, aborted: results[0].aborted };
}

/**
 * Per-SKU simulation parameters from Policy-sheet rows (src/engine/policy.ts skuPolicy):
 * - style "policy" (default): continuous review (reviewPeriod 0) → (s, Q) with s = min (the reorder
 *   point) and Q = orderQty; periodic review → (R, S) with S = max (the order-up-to level) and R the
 *   review period;
 * - style "minMax": (s, S) with s = min and S = max, reviewed every reviewPeriod periods (every period
 *   when 0).
 * A SKU without demand (every level 0) becomes base stock 0. A row that is a CellError or null has
 * no policy (the simulation reports it).
 */
export function policyColumnsFromSkuPolicies(rows: readonly (SkuPolicy | CellError | null | undefined)[], style: "policy" | "minMax" = "policy"): PolicyColumns {
  const n = rows.length;
  const policy = new Array<PolicyKind | null>(n);
  const reorderPoint = new Float64Array(n).fill(Number.NaN);
  const orderQty = new Float64Array(n).fill(Number.NaN);
  const orderUpTo = new Float64Array(n).fill(Number.NaN);
  const reviewPeriod = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p = rows[i];
    if (!p || !("reviewPeriod" in p)) {
      policy[i] = null;
      continue;
    }
    reviewPeriod[i] = p.reviewPeriod;
    if (p.min === 0 && p.max === 0 && p.reorderPoint === 0) {
      // a SKU without demand in its history: nothing to order (base stock 0)
      policy[i] = "baseStock";
      orderUpTo[i] = 0;
      reviewPeriod[i] = 0;
    } else if (style === "minMax") {
      policy[i] = "sS";
      reorderPoint[i] = p.min;
      orderUpTo[i] = p.max;
    } else if (p.reviewPeriod > 0) {
      policy[i] = "RS";
      orderUpTo[i] = p.max;
    } else {
      policy[i] = "sQ";
      reorderPoint[i] = p.min;
      orderQty[i] = p.orderQty;
    }
  }
  return { policy, reorderPoint, orderQty, orderUpTo, reviewPeriod };
}
