/**
 * Which grid row, service level and method each SKU's policy is planned with, and what decided it
 * (the Policy sheet's last column, "Decided by"). Pure; src/app/policyInput.ts puts the result in
 * the policy job (the extra grid rows and one grid row per SKU, src/engine/policy/deploy.ts gridRow).
 *
 * Precedence (issue 11; strongest first):
 * 1. override: a planner's segment override (Overrides tab) is explicit: the SKU is planned with
 *    its override segment's grid row as it stands, whatever the rules say ("override");
 * 2. rule: a business rule that sets the SKU's service level and/or policy (src/engine/rules.ts:
 *    each outcome by the matching rule of best priority). A policy naming a grid segment ("AX")
 *    plans the SKU with that row; a policy naming a method ("csl", "fill", "cost") keeps the
 *    segment's row with that method; the service level replaces the row's target. The row is the
 *    SKU's segment's, or, when a rule's segment (NEW, CRIT …) has no grid row, the segment the
 *    classification computed before the rule ("rule 3", or 'rule 3 "Spares", rule 4' when two
 *    rules decided the service level and the policy);
 * 3. grid: the SKU's segment's grid row ("grid").
 * SKUs without a policy (inactive and not pinned) are decided by nothing (""). The method "cost"
 * plans from the shortage cost, so a rule's service level does not change its levels there.
 */
import type { SegmentPolicy } from "../engine/policy";
import type { RunInput } from "./classifyTypes";
import type { EffectiveSegments } from "./plans";
import { rulePolicyProblem, rulePolicyTarget } from "./rulesApply";

export const DECIDED_BY_GRID = "grid";
export const DECIDED_BY_OVERRIDE = "override";

export interface PolicyDecisions {
  /** The grid plus one row per distinct rule-adjusted (row, service level, method). */
  grid: SegmentPolicy[];
  /** Grid row per SKU (index into `grid`); -1 = the SKU's segment's row, as without rules. */
  gridRow: Int32Array | null;
  /** Per SKU: "override", "grid", the deciding rule(s), or "" (no policy). */
  decidedBy: string[];
}

/** See the module comment. Throws (naming the rule) on a policy name the grid cannot plan with. */
export function policyDecisions(run: RunInput, effective: EffectiveSegments, grid: readonly SegmentPolicy[], planned: ArrayLike<number>): PolicyDecisions {
  const n = run.parsed.n;
  const rows = grid.map((p) => ({ ...p }));
  const decidedBy = new Array<string>(n).fill("");
  const d = run.ruleDecisions;
  const bySegment = new Map<string, number>();
  grid.forEach((p, k) => bySegment.set(p.segment, k));
  let gridRow: Int32Array | null = null;
  const extra = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    if (!planned[i]) continue;
    const src = effective.source[i];
    if (src !== "computed" && src !== "inactive") {
      decidedBy[i] = DECIDED_BY_OVERRIDE;
      continue;
    }
    const sl = d ? d.serviceLevel[i] : Number.NaN;
    const policy = d ? d.policy[i] : null;
    if (!(sl === sl) && policy === null) {
      decidedBy[i] = DECIDED_BY_GRID;
      continue;
    }
    const target = policy === null ? {} : rulePolicyTarget(policy);
    if (target === null) throw new Error(`Rules: ${rulePolicyProblem(d!.policyRule[i], policy!)} (SKU ${run.parsed.sku[i]}). Nothing was written.`);
    const base = target.segment ?? (bySegment.has(effective.segment[i]) ? effective.segment[i] : d!.computedSegment[i]);
    const k = bySegment.get(base);
    if (k === undefined) {
      // no grid row to adjust (no demand in the window, or no segment at all): planned as before
      decidedBy[i] = DECIDED_BY_GRID;
      continue;
    }
    const row: SegmentPolicy = { ...grid[k], ...(sl === sl ? { serviceLevel: sl } : {}), ...(target.method ? { method: target.method } : {}) };
    const key = `${k}|${row.serviceLevel}|${row.method}`;
    let g = extra.get(key);
    if (g === undefined) {
      g = rows.push({ ...row, segment: `${grid[k].segment} (rule ${extra.size + 1})` }) - 1;
      extra.set(key, g);
    }
    gridRow ??= new Int32Array(n).fill(-1);
    gridRow[i] = g;
    decidedBy[i] = [...new Set([sl === sl ? d!.serviceLevelRule[i] : "", policy !== null ? d!.policyRule[i] : ""].filter(Boolean))].join(", ");
  }
  return { grid: rows, gridRow, decidedBy };
}

/** The Policy notes' line about "Decided by" (none when every SKU is decided by the grid). */
export function decidedByNote(decidedBy: readonly string[]): string[] {
  let byRule = 0;
  let byOverride = 0;
  for (const x of decidedBy) {
    if (x === DECIDED_BY_OVERRIDE) byOverride++;
    else if (x !== "" && x !== DECIDED_BY_GRID) byRule++;
  }
  if (!byRule && !byOverride) return [];
  return [
    `Decided by (last column): a planner's override first, then a business rule's service level or policy (Rules tab), then the segment's grid row; ${byRule.toLocaleString("en-US")} SKU(s) by a rule, ${byOverride.toLocaleString("en-US")} by an override.`,
  ];
}
