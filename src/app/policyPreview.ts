/**
 * What the Policy tab shows before a Write: a summary of a deployed policy (src/app/policySheets.ts
 * DeployedRun), small enough to render at 320 px: counts by distribution and rule, the expected
 * fill rate per segment against its target, the budget per segment with its marginal value, the
 * capacity per location with the fill rate lost, and the rows that could not be computed, each
 * naming its cell. Pure.
 */
import { DISTRIBUTION_NAMES } from "../engine/distributions";
import type { CellError } from "../engine/errors";
import { FLAG_NEGBIN_TO_POISSON, FLAG_PROTECTED } from "../engine/policy";
import { SOURCE_ANALOG, SOURCE_FAMILY } from "../engine/policy/lifecycle";
import { sheetCell } from "./a1";
import type { MappingField } from "./mapping";
import { investmentOf, type DeployedRun } from "./policySheets";

export interface SegmentOutlook {
  segment: string;
  skus: number;
  /** Demand-weighted expected fill rate of the planned levels, and the segment's fill-rate target. */
  fillRate: number;
  fillRateTarget: number;
  /** Unit cost x safety stock. */
  safetyStockValue: number;
}

export interface BudgetOutlook {
  mode: "total" | "segment";
  budget: number;
  spent: number;
  skus: number;
  /** Per segment: budget (NaN under one total), spend, fill rate under the budget and under the targets. */
  segments: { segment: string; budget: number; spent: number; fillRate: number; targetFillRate: number; targetSpend: number; marginalFillRatePerMoney: number; marginalUnitsPerMoney: number }[];
  /** The pool's marginal value (one total): fill-rate points per unit of money. */
  marginalFillRatePerMoney: number;
  marginalUnitsPerMoney: number;
  /** Spend up to which the allocation is provably optimal (Fox 1966). */
  optimalUpTo: number;
  nonConcaveSteps: number;
}

export interface CapacityOutlook {
  location: string;
  capacity: number;
  required: number;
  after: number;
  skusCut: number;
  unitsCut: number;
  tiersCut: string[];
  fillRateBefore: number;
  fillRateAfter: number;
  feasible: boolean;
}

export interface PolicyPreview {
  /** SKUs planned and computed; the others' problems (first MAX_PROBLEMS) name their cell. */
  planned: number;
  computed: number;
  notComputed: number;
  problems: string[];
  byDistribution: { name: string; count: number }[];
  poissonFallbacks: number;
  protectedSkus: number;
  phasingOut: number;
  noReplenishment: number;
  newFromAnalog: number;
  newFromFamily: number;
  /** Units the last buys must cover. */
  lastBuyUnits: number;
  safetyStockValue: number;
  /** Unit cost x (safety stock + Q / 2). */
  investment: number;
  bySegment: SegmentOutlook[];
  budget: BudgetOutlook | null;
  capacity: CapacityOutlook[] | null;
  capacityBasis: "units" | "volume";
}

export const MAX_PROBLEMS = 200;

/** The sheet cell a row problem is about: the mapped MOQ cell for an MOQ problem, else the SKU cell. */
export function rowProblem(d: DeployedRun, i: number, e: CellError): string {
  const { parsed, mapping } = d.run;
  const sheet = parsed.sheetName;
  const firstCol = parsed.firstColumn ?? 0;
  const cell = (field: MappingField) => {
    const c = mapping.columns[field];
    return c === null || c === undefined ? null : sheetCell(sheet, parsed.sheetRow[i], firstCol + c);
  };
  const isMoq = e.message.startsWith("moq ");
  const at = (isMoq ? cell("moq") : null) ?? cell("sku") ?? `row ${parsed.sheetRow[i] + 1}`;
  const ownMultiple = d.job.orderMultiple[i] === d.job.orderMultiple[i];
  const message = isMoq ? e.message.replace(/^moq /, "MOQ ").replace("orderMultiple", `the order multiple${ownMultiple ? "" : ` of segment ${d.result.segment[i]}`}`) : e.message;
  return `${at} (SKU ${parsed.sku[i]}): ${message}`;
}

/** Rows whose inputs are wrong (not merely undefined): they stop the Write. */
export function blockingProblems(d: DeployedRun): string[] {
  const out: string[] = [];
  for (const [i, e] of d.result.table.errors) if (e.message.startsWith("moq ")) out.push(rowProblem(d, i, e));
  return out;
}

export function summarisePolicy(d: DeployedRun): PolicyPreview {
  const r = d.result;
  const t = r.table;
  const n = t.rows;
  const dist = new Int32Array(DISTRIBUTION_NAMES.length);
  let planned = 0;
  let computed = 0;
  let poisson = 0;
  let protectedSkus = 0;
  let phasingOut = 0;
  let noReplenishment = 0;
  let analog = 0;
  let family = 0;
  let lastBuy = 0;
  let ssValue = 0;
  let investment = 0;
  const seg = new Map<string, { skus: number; demand: number; filled: number; value: number }>();
  for (let i = 0; i < n; i++) {
    if (!d.job.planned[i]) continue;
    planned++;
    if (r.demandSource[i] === SOURCE_ANALOG) analog++;
    if (r.demandSource[i] === SOURCE_FAMILY) family++;
    if (!r.replenish[i]) noReplenishment++;
    else if (r.lifecycleFactor[i] < 1) phasingOut++;
    const last = r.demandAfterLastBuy[i];
    if (last === last && r.replenish[i]) lastBuy += last;
    if (t.errors.has(i) || t.method[i] < 0 || !(t.reorderPoint[i] === t.reorderPoint[i])) continue;
    computed++;
    if (t.flags[i] & FLAG_PROTECTED) protectedSkus++;
    if (t.flags[i] & FLAG_NEGBIN_TO_POISSON) poisson++;
    if (r.replenish[i] && t.distribution[i] >= 0) dist[t.distribution[i]]++;
    const uc = d.job.unitCost[i];
    if (uc > 0) {
      ssValue += uc * t.safetyStock[i];
      investment += investmentOf(d, i);
    }
    const s = r.segment[i];
    let acc = seg.get(s);
    if (!acc) seg.set(s, (acc = { skus: 0, demand: 0, filled: 0, value: 0 }));
    acc.skus++;
    const f = t.fillRate[i];
    const dm = r.demandMean[i];
    if (f === f && dm > 0) {
      acc.demand += dm;
      acc.filled += dm * f;
    }
    if (uc > 0) acc.value += uc * t.safetyStock[i];
  }
  const problems: string[] = [];
  for (const [i, e] of t.errors) {
    if (problems.length >= MAX_PROBLEMS) break;
    problems.push(rowProblem(d, i, e));
  }
  const bySegment: SegmentOutlook[] = d.grid
    .filter((g) => seg.has(g.segment))
    .map((g) => {
      const a = seg.get(g.segment)!;
      return { segment: g.segment, skus: a.skus, fillRate: a.demand > 0 ? a.filled / a.demand : Number.NaN, fillRateTarget: g.fillRateTarget, safetyStockValue: a.value };
    });
  let budget: BudgetOutlook | null = null;
  if (r.budget) {
    const b = r.budget;
    const total = d.options.budgetMode === "total";
    const pool = b.pools[0];
    budget = {
      mode: total ? "total" : "segment",
      budget: b.pools.reduce((s, p) => s + p.budget, 0),
      spent: b.pools.reduce((s, p) => s + p.spent, 0),
      skus: b.skus,
      segments: d.grid
        .map((g) => b.segments.find((s) => s.pool === g.segment))
        .filter((s): s is NonNullable<typeof s> => !!s)
        .map((s) => ({
          segment: s.pool,
          budget: s.budget,
          spent: s.spent,
          fillRate: s.fillRate,
          targetFillRate: s.targetFillRate,
          targetSpend: s.targetSpend,
          marginalFillRatePerMoney: s.marginalFillRatePerMoney,
          marginalUnitsPerMoney: s.marginalUnitsPerMoney,
        })),
      marginalFillRatePerMoney: total && pool ? pool.marginalFillRatePerMoney : Number.NaN,
      marginalUnitsPerMoney: total && pool ? pool.marginalUnitsPerMoney : Number.NaN,
      optimalUpTo: b.pools.reduce((s, p) => s + p.optimalUpTo, 0),
      nonConcaveSteps: b.nonConcaveSteps,
    };
  }
  const capacity = r.capacity
    ? r.capacity.locations.map((l) => ({
        location: l.location,
        capacity: l.capacity,
        required: l.required,
        after: l.after,
        skusCut: l.skusCut,
        unitsCut: l.unitsCut,
        tiersCut: l.tiersCut,
        fillRateBefore: l.fillRateBefore,
        fillRateAfter: l.fillRateAfter,
        feasible: l.feasible,
      }))
    : null;
  return {
    planned,
    computed,
    notComputed: t.errors.size,
    problems,
    byDistribution: DISTRIBUTION_NAMES.map((name, k) => ({ name, count: dist[k] })).filter((x) => x.count > 0),
    poissonFallbacks: poisson,
    protectedSkus,
    phasingOut,
    noReplenishment,
    newFromAnalog: analog,
    newFromFamily: family,
    lastBuyUnits: lastBuy,
    safetyStockValue: ssValue,
    investment,
    bySegment,
    budget,
    capacity,
    capacityBasis: d.options.capacityBasis,
  };
}
