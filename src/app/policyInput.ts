/**
 * What the policy job needs from a classification run, the planned segments and the pane's
 * settings, as plain columns (structured-cloneable, no history: the worker gets only these).
 * Pure; the Policy step builds it and src/app/jobs/policy.ts runs src/engine/policy/deploy.ts on it.
 *
 * Conventions:
 * - Demand: the classification's per-period mean and sd, or the forecast's where the Forecast
 *   step offers it (policyDemand, the one place that decides); a new SKU without history has NaN
 *   (its demand comes from its analog or family).
 * - Planned: SKUs with a segment source other than "inactive" (active, pinned, overridden), and
 *   new SKUs (noHistory).
 * - Unit cost: the mapped one, else value / (history mean x periods per year), as the Policy sheet
 *   always did (the value came from the history, even where the demand is the forecast's).
 * - Dates (Excel serials) become period indexes on one clock: serial / days per period, with
 *   365.25 / periodsPerYear days per period (7.02 for weeks, 30.44 for months); "now" is the
 *   write's time stamp on the same clock.
 * - Capacity per location: the mapped capacity column (one value per location, checked by the
 *   parser); budget from the policy options.
 * - Grid row: the segment's, or a rule-adjusted copy where a business rule decided the SKU's
 *   service level or policy and no override did (src/app/rulePolicy.ts, the precedence).
 */
import type { PolicyOptions, SegmentPolicy } from "../engine/policy";
import { PATTERN_LABELS } from "../engine/pattern";
import type { ClassificationResult, RunInput } from "./classifyTypes";
import type { ParsedTable } from "./parse";
import type { EffectiveSegments, PolicyDemand } from "./plans";
import type { policyDecisions } from "./rulePolicy";

export interface PolicyJob {
  grid: SegmentPolicy[];
  options: PolicyOptions;
  rows: number;
  sku: string[];
  segment: string[];
  /** Grid row per SKU where a business rule decided its service level or policy (-1: its segment's row); null: none did (src/app/rulePolicy.ts). */
  gridRow: Int32Array | null;
  /** Per SKU: what decided its policy, "override", a rule, "grid" or "" (the Policy sheet's "Decided by"). */
  decidedBy: string[];
  planned: Uint8Array;
  demandMean: Float64Array;
  demandSd: Float64Array;
  /** 1 where the demand is the forecast's (null: none is). */
  demandFromForecast: Uint8Array | null;
  pattern: Float64Array;
  leadTime: Float64Array;
  leadTimeSd: Float64Array;
  orderQty: Float64Array;
  unitCost: Float64Array;
  orderMultiple: Float64Array;
  moq: Float64Array;
  floor: Float64Array;
  unitVolume: Float64Array;
  location: string[] | null;
  lifecycle: string[] | null;
  phaseOutStart: Float64Array | null;
  lastBuy: Float64Array | null;
  analog: string[] | null;
  family: string[] | null;
  /** "Now" as a period index. */
  asOf: number;
  capacity: [string, number][];
  budget: number | Record<string, number> | null;
}

/**
 * Per-period demand mean and sd the policy protects: the classification's per SKU, or the
 * forecast's where `forecast.use` is 1 (index-aligned with the run; ignored if it is not).
 */
export function policyDemand(
  parsed: ParsedTable,
  result: ClassificationResult,
  forecast: PolicyDemand | null = null,
): { demandMean: Float64Array; demandSd: Float64Array; demandFromForecast: Uint8Array | null } {
  const f = forecast && forecast.use.length === result.n ? forecast : null;
  const fromForecast = (i: number) => f !== null && f.use[i] === 1;
  const demandMean = Float64Array.from(result.demandMean, (m, i) => (fromForecast(i) ? f!.mean[i] : parsed.noHistory?.[i] ? Number.NaN : m));
  const demandSd = Float64Array.from(result.demandSd, (s, i) => (fromForecast(i) ? f!.sd[i] : parsed.noHistory?.[i] ? Number.NaN : s));
  return { demandMean, demandSd, demandFromForecast: f ? Uint8Array.from(f.use) : null };
}

/** Days per period of a history with this many periods a year. */
export function daysPerPeriod(periodsPerYear: number): number {
  return 365.25 / periodsPerYear;
}

/** A JavaScript date as an Excel serial (1900 date system, days since 1899-12-30, UTC). */
export function excelSerial(d: Date): number {
  return d.getTime() / 86400000 + 25569;
}

const anyText = (xs: readonly string[] | undefined) => !!xs && xs.some((x) => x !== "");
const anyNumber = (xs: Float64Array | undefined) => !!xs && xs.some((x) => x === x);

/** The job for a run under a grid and options (see the module comment). */
export function policyJobInput(
  run: RunInput,
  effective: EffectiveSegments,
  grid: readonly SegmentPolicy[],
  options: PolicyOptions,
  now: Date,
  forecast: PolicyDemand | null,
  /** src/app/rulePolicy.ts policyDecisions (passed in: that module loads with the first plan, not at start-up). */
  decide: typeof policyDecisions,
): PolicyJob {
  const { parsed, result } = run;
  const n = parsed.n;
  const ppy = options.periodsPerYear;
  const { demandMean, demandSd, demandFromForecast } = policyDemand(parsed, result, forecast);
  const planned = Uint8Array.from({ length: n }, (_, i) => (effective.source[i] !== "inactive" || parsed.noHistory?.[i] ? 1 : 0));
  const unitCost = Float64Array.from(parsed.unitCost, (c, i) => {
    if (c === c) return c;
    const m = result.demandMean[i];
    return m > 0 ? parsed.value[i] / (m * ppy) : Number.NaN;
  });
  const dpp = daysPerPeriod(ppy);
  const toPeriod = (col: Float64Array | undefined) => (anyNumber(col) ? Float64Array.from(col!, (x) => (x === x ? x / dpp : Number.NaN)) : null);
  const capacity = new Map<string, number>();
  if (parsed.locationCapacity) {
    for (let i = 0; i < n; i++) {
      const c = parsed.locationCapacity[i];
      if (c === c && !capacity.has(parsed.location[i])) capacity.set(parsed.location[i], c);
    }
  }
  const budget = options.budgetMode === "total" ? options.budget : options.budgetMode === "segment" ? { ...options.segmentBudgets } : null;
  const nan = () => new Float64Array(n).fill(Number.NaN);
  const decided = decide(run, effective, grid, planned);
  return {
    grid: decided.grid,
    gridRow: decided.gridRow,
    decidedBy: decided.decidedBy,
    options: { ...options },
    rows: n,
    sku: parsed.sku,
    segment: effective.segment,
    planned,
    demandMean,
    demandSd,
    demandFromForecast,
    pattern: Float64Array.from(result.pattern, (p) => PATTERN_LABELS.indexOf(p as (typeof PATTERN_LABELS)[number])),
    leadTime: parsed.leadTime,
    leadTimeSd: parsed.leadTimeSd,
    orderQty: parsed.orderQty,
    unitCost,
    orderMultiple: parsed.orderMultiple ?? nan(),
    moq: parsed.moq ?? nan(),
    floor: parsed.floor ?? nan(),
    unitVolume: parsed.unitVolume ?? nan(),
    location: anyText(parsed.location) ? parsed.location : null,
    lifecycle: anyText(parsed.lifecycle) ? parsed.lifecycle : null,
    phaseOutStart: toPeriod(parsed.phaseOutStart),
    lastBuy: toPeriod(parsed.lastBuy),
    analog: anyText(parsed.analog) ? parsed.analog : null,
    family: anyText(parsed.family) ? parsed.family : null,
    asOf: excelSerial(now) / dpp,
    capacity: [...capacity],
    budget,
  };
}
