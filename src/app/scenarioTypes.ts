/**
 * Shapes exchanged between the Scenarios step and its engine job (src/app/jobs/simulate.ts), which
 * may run in a Web Worker: plain objects, arrays and typed arrays only. Also the checks of what the
 * planner typed, in the units the pane shows (percent for shares).
 */
import type { PolicyOptions, SegmentPolicy } from "../engine/policy";
import type { ComparedMetric, Interval, ShortageMode } from "../engine/simulate";
import type { ClassificationResult, ClassifyOptions } from "./classifyTypes";
import type { ParsedTable } from "./parse";

export const MAX_SCENARIO_COUNT = 4;

/**
 * What a scenario's per-SKU policies come from:
 * - "today": the grid as last written to the Policy sheet (the defaults when none was written);
 * - "proposed": the grid in the Policy tab now;
 * - "budget": the proposed grid's policies with the safety stock re-allocated under a budget
 *   (src/engine/policy/budget.ts allocateBudget: the most expected units filled for the money);
 * - "cutoff": the proposed grid over another segmentation: the SKUs are classified again (in the
 *   job) with other ABC and XYZ cut-offs; overridden SKUs keep their override.
 */
export type ScenarioKind = "today" | "proposed" | "budget" | "cutoff";
export const SCENARIO_KINDS: readonly ScenarioKind[] = ["today", "proposed", "budget", "cutoff"];

export interface ScenarioDef {
  /** Shown in the pane, the Scenarios sheet (as a column header) and the audit entry. */
  name: string;
  kind: ScenarioKind;
  /** "budget": safety-stock budget as a share of the proposed grid's safety-stock value (0.8 = 80 %). */
  budgetShare: number;
  /** "cutoff": ABC cut-offs on cumulative value share (two, increasing, in (0, 1]). */
  abcCutoffs: number[];
  /** "cutoff": XYZ cut-offs on the CV (two, increasing, above 0). */
  xyzCutoffs: number[];
}

export type ScenarioDemand = "history" | "normal" | "gamma" | "poisson";

export interface SimulationSettings {
  shortage: ShortageMode;
  /** "history": bootstrap of the SKU's own periods (the classification's window); else that distribution with the SKU's mean and sd. */
  demand: ScenarioDemand;
  replications: number;
  /** Measured periods; null = two years of periods (2 × periods per year). */
  horizon: number | null;
  /** Periods before measuring; null = the engine's default (max(horizon / 4, 2 × (longest lead time + review period))). */
  warmUp: number | null;
  seed: number;
  /** Shortage cost per unit as a share of its unit cost: per unit and period on backorder, or per unit lost. */
  shortageCostRate: number;
}

export function defaultSimulationSettings(): SimulationSettings {
  return { shortage: "backorder", demand: "history", replications: 100, horizon: null, warmUp: null, seed: 1, shortageCostRate: 0.2 };
}

export function defaultScenarios(classify?: ClassifyOptions): ScenarioDef[] {
  const xyz = classify?.xyzCutoffs ?? [0.5, 1.0];
  const abc = classify?.abcCutoffs ?? [0.8, 0.95];
  const base = { budgetShare: 0.8, abcCutoffs: [...abc], xyzCutoffs: [...xyz] };
  return [
    { ...base, name: "Today", kind: "today" },
    { ...base, name: "Proposed grid", kind: "proposed" },
    { ...base, name: "Budget 80 %", kind: "budget" },
    { ...base, name: "A up to 70 %", kind: "cutoff", abcCutoffs: [0.7, 0.9] },
  ];
}

export const SCENARIO_KIND_LABELS: Record<ScenarioKind, string> = {
  today: "Today's policy (grid last written)",
  proposed: "Proposed grid (Policy tab)",
  budget: "Proposed grid under a budget",
  cutoff: "Proposed grid, other cut-offs",
};

/** The job's input: the classified run and everything the scenarios are built from. */
export interface ScenarioJob {
  parsed: ParsedTable;
  result: ClassificationResult;
  classifyOptions: ClassifyOptions;
  /** Planned segment per SKU (overrides applied) and whether it is an override (kept under other cut-offs). */
  segment: string[];
  overridden: Uint8Array;
  /** 1 = inactive and not pinned: not planned, not simulated. */
  unplanned: Uint8Array;
  todayGrid: SegmentPolicy[];
  proposedGrid: SegmentPolicy[];
  /** With the run's periods per year. */
  policyOptions: PolicyOptions;
  scenarios: ScenarioDef[];
  settings: SimulationSettings;
}

/** One compared row (a segment or the total), as the engine's ScenarioRow, in plain data. */
export interface ComparedRow {
  segment: string;
  skus: number[];
  value: Record<ComparedMetric, Interval[]>;
  change: Record<ComparedMetric, Interval[]>;
}

export interface ScenarioOutcome {
  names: string[];
  kinds: ScenarioKind[];
  /** What each scenario is, in a sentence (its budget, its cut-offs). */
  descriptions: string[];
  /** The grid "Use this scenario" carries into the Policy step. */
  grids: SegmentPolicy[][];
  /** SKUs simulated in every scenario. */
  skus: number;
  /** SKUs left out, with the reason (the first MAX_EXCLUDED_LISTED). */
  excluded: { sku: string; reason: string }[];
  excludedCount: number;
  segments: ComparedRow[];
  total: ComparedRow;
  replications: number;
  horizon: number;
  warmUp: number;
  seed: number;
  shortage: ShortageMode;
  demand: ScenarioDemand;
  shortageCostRate: number;
  /** Budget scenarios: the amount, the proposed value it is a share of, and what was spent. */
  budgets: ({ amount: number; proposedValue: number; spent: number } | null)[];
  ms: number;
}

export const MAX_EXCLUDED_LISTED = 200;

const pct = (x: number) => `${Math.round(x * 1e6) / 1e4} %`;

/** What is wrong with the scenarios and settings, in the pane's units; empty when they can run. */
export function scenarioProblems(defs: readonly ScenarioDef[], s: SimulationSettings): string[] {
  const out: string[] = [];
  if (defs.length < 1) out.push("Add at least one scenario.");
  if (defs.length > MAX_SCENARIO_COUNT) out.push(`Compare at most ${MAX_SCENARIO_COUNT} scenarios; remove ${defs.length - MAX_SCENARIO_COUNT}.`);
  const seen = new Set<string>();
  defs.forEach((d, k) => {
    const name = d.name.trim();
    const which = name ? `Scenario "${name}"` : `Scenario ${k + 1}`;
    if (!name) out.push(`Scenario ${k + 1} needs a name.`);
    else if (name.length > 40) out.push(`${which}: keep the name to 40 characters (it heads a column on the Scenarios sheet).`);
    else if (["segment", "scenario"].includes(name.toLowerCase())) out.push(`${which}: choose another name ("${name}" heads a column of its own on the Scenarios sheet).`);
    else if (seen.has(name.toLowerCase())) out.push(`Two scenarios are called "${name}": give each its own name.`);
    seen.add(name.toLowerCase());
    if (d.kind === "budget" && !(d.budgetShare > 0 && d.budgetShare <= 10)) out.push(`${which}: the budget must be above 0 % and at most 1000 % of the proposed safety-stock value; got ${pct(d.budgetShare)}.`);
    if (d.kind === "cutoff") {
      const [a, b] = d.abcCutoffs;
      if (!(d.abcCutoffs.length === 2 && a > 0 && a < b && b <= 1)) out.push(`${which}: A and B cut-offs must rise, above 0 % and at most 100 %; got ${pct(a)} and ${pct(b)}.`);
      const [x, y] = d.xyzCutoffs;
      if (!(d.xyzCutoffs.length === 2 && x > 0 && x < y && Number.isFinite(y))) out.push(`${which}: X and Y CV limits must rise, above 0; got ${x} and ${y}.`);
    }
  });
  if (!(s.shortage === "backorder" || s.shortage === "lostSales")) out.push('Unmet demand must be "backorders" or "lost sales".');
  if (!["history", "normal", "gamma", "poisson"].includes(s.demand)) out.push("Choose where demand comes from: history, normal, gamma or Poisson.");
  if (!(Number.isInteger(s.replications) && s.replications >= 2 && s.replications <= 10000)) out.push(`Replications must be a whole number from 2 to 10,000 (100 is usual); got ${s.replications}.`);
  if (s.horizon !== null && !(Number.isInteger(s.horizon) && s.horizon >= 1 && s.horizon <= 100000)) out.push(`Horizon must be a whole number of periods from 1 to 100,000 (or blank for two years); got ${s.horizon}.`);
  if (s.warmUp !== null && !(Number.isInteger(s.warmUp) && s.warmUp >= 0 && s.warmUp <= 100000)) out.push(`Warm-up must be a whole number of periods, 0 or more (or blank for the default); got ${s.warmUp}.`);
  if (!(Number.isInteger(s.seed) && s.seed >= 0 && s.seed <= 0xffffffff)) out.push(`Seed must be a whole number from 0 to 4,294,967,295; got ${s.seed}.`);
  if (!(s.shortageCostRate >= 0 && Number.isFinite(s.shortageCostRate))) out.push(`Shortage cost must be 0 % or more of the unit cost; got ${pct(s.shortageCostRate)}.`);
  return out;
}
