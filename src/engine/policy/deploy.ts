/**
 * A policy a planner can deploy: every SKU's policy under its segment's grid row, with the
 * lifecycle, the floors, the safety-stock budget and the DC capacity applied, in this order:
 *
 * 1. lifecycle (src/engine/policy/lifecycle.ts applyLifecycle): new SKUs without history take the
 *    demand of their analog (or the average of their family) and plan under the analog's segment
 *    (or the family's most frequent segment); end-of-life SKUs ramp their demand down over the
 *    phase-out, averaged over their protection interval (lead time + review period); from the
 *    last-buy date on a SKU gets no replenishment (every level 0);
 * 2. levels, floors and rounding (src/engine/policy.ts skuPolicyColumns);
 * 3. budget (src/engine/policy/budget.ts allocateBudget), when one is given: the safety stocks of
 *    the SKUs with a unit cost are allocated by greedy marginal analysis instead of the service
 *    targets; protected SKUs (a floor: critical spares, regulatory stock) are held at their
 *    policy level and paid first; the order quantities stay;
 * 4. DC capacity (src/engine/policy/capacity.ts applyCapacity), when capacities are given: max
 *    levels of an over-full location are cut, C segments first, then B, A last; protected SKUs
 *    never.
 * A level changed by 3 or 4 keeps the order quantity: (s, Q) min = reorder point, max = min + Q';
 * (R, S) max = reorder point, min = max - Q' (the cut of an (s, Q) max shortens Q' instead).
 * The service (cycle service level, fill rate) of every changed row is evaluated again.
 * Errors: row problems are CellErrors in table.errors; a budget below the floors is an
 * ArgumentError("budget") (nothing can be planned); a cancelled run throws an AbortError.
 */
import type { CellError } from "../errors";
import { FLAG_BUDGET, FLAG_CAPACITY, FLAG_PROTECTED, POLICY_METHODS, policyIndex, serviceOfLevels, skuPolicyColumns, type PolicyOptions, type SegmentPolicy, type SkuPolicyTable } from "../policy";
import { roundUpToMultiple } from "../rounding";
import { allocateBudget, type PoolResult } from "./budget";
import { applyCapacity, type LocationCut } from "./capacity";
import { applyLifecycle, SOURCE_ANALOG, SOURCE_FAMILY } from "./lifecycle";

export { FLAG_BUDGET, FLAG_CAPACITY };

export interface DeployInput {
  rows: number;
  sku: ArrayLike<string>;
  /** The segment each SKU is planned with ("" = none). */
  segment: ArrayLike<string>;
  /** A grid row (index into the grid) that replaces the segment's row for this SKU, >= 0; -1 = the segment's (a business rule's service level or policy, src/app/rulePolicy.ts). The segment still names the budget pool and the capacity tier. */
  gridRow?: ArrayLike<number>;
  /** 1 = planned (active, pinned, or new with an analog or family); 0 = no policy. */
  planned: ArrayLike<number>;
  /** Per-period demand; NaN mean = no history. */
  demandMean: ArrayLike<number>;
  demandSd: ArrayLike<number>;
  pattern?: ArrayLike<number>;
  leadTime?: ArrayLike<number>;
  leadTimeSd?: ArrayLike<number>;
  orderQty?: ArrayLike<number>;
  /** Money per unit; NaN = unknown (no EOQ, not in the budget). */
  unitCost?: ArrayLike<number>;
  orderMultiple?: ArrayLike<number>;
  moq?: ArrayLike<number>;
  /** Minimum safety stock (units); > 0 makes the SKU protected. */
  floor?: ArrayLike<number>;
  location?: ArrayLike<string>;
  unitVolume?: ArrayLike<number>;
  /** "active" / blank, "eol", "new". */
  lifecycle?: ArrayLike<string>;
  /** Period indexes on the clock of DeployOptions.asOf; NaN = none. */
  phaseOutStart?: ArrayLike<number>;
  lastBuy?: ArrayLike<number>;
  analog?: ArrayLike<string>;
  family?: ArrayLike<string>;
}

export interface DeployOptions {
  /** "Now" as a period index (the same clock as phaseOutStart and lastBuy). */
  asOf: number;
  /** Capacity per location (units or volume, PolicyOptions.capacityBasis). */
  capacity?: ReadonlyMap<string, number>;
  /** One total or one per segment (money: unit cost x safety stock); null = no budget. */
  budget?: number | Readonly<Record<string, number>> | null;
  onProgress?: (done: number, total: number, phase: string) => void;
  signal?: { aborted: boolean };
}

export interface BudgetSegment extends PoolResult {
  /** Safety-stock value and demand-weighted fill rate of the same SKUs under the service targets. */
  targetSpend: number;
  targetFillRate: number;
}

export interface DeployResult {
  table: SkuPolicyTable;
  /** The segment each row was planned with (a new SKU's borrowed one). */
  segment: string[];
  /** Demand after the lifecycle (per period). */
  demandMean: Float64Array;
  demandSd: Float64Array;
  /** lifecycle.ts SOURCE_OWN / SOURCE_ANALOG / SOURCE_FAMILY. */
  demandSource: Int8Array;
  /** Ramp factor applied (1 = none); 0 = no replenishment after the last buy. */
  lifecycleFactor: Float64Array;
  replenish: Uint8Array;
  /** Units the last buy has to cover (NaN when not applicable). */
  demandAfterLastBuy: Float64Array;
  lifecycleNotes: Map<number, string>;
  budget: { pools: PoolResult[]; segments: BudgetSegment[]; steps: number; nonConcaveSteps: number; skus: number } | null;
  capacity: { locations: LocationCut[]; cut: Float64Array; locationErrors: Map<string, CellError> } | null;
}

const NO_LOCATION = "\u0000";

/** The most frequent value (ties: the first seen). */
function mode(values: string[]): string {
  const count = new Map<string, number>();
  let best = "";
  let bestCount = 0;
  for (const v of values) {
    const c = (count.get(v) ?? 0) + 1;
    count.set(v, c);
    if (c > bestCount) {
      best = v;
      bestCount = c;
    }
  }
  return best;
}

function abortError(): Error {
  const e = new Error("Planning the policy was cancelled.");
  e.name = "AbortError";
  return e;
}

/** Sets row i's level (reorder point s or order-up-to S) and keeps its order quantity Q' = max - min. */
function setLevel(t: SkuPolicyTable, i: number, level: number, mean: number, whole: boolean): void {
  const q = t.max[i] - t.min[i];
  const x = whole ? roundUpToMultiple(level, 1) : level;
  t.reorderPoint[i] = x;
  if (t.reviewPeriod[i] > 0) {
    t.max[i] = x;
    t.min[i] = x - q;
  } else {
    t.min[i] = x;
    t.max[i] = x + q;
  }
  const ss = level - mean;
  t.safetyStock[i] = whole ? roundUpToMultiple(ss, 1) || 0 : ss;
}

/** See the module comment. */
export function deployPolicy(grid: readonly SegmentPolicy[], c: DeployInput, options: PolicyOptions, run: DeployOptions): DeployResult {
  const n = c.rows;
  const whole = options.rounding !== "none";
  const progress = (done: number, total: number, phase: string) => run.onProgress?.(done, total, phase);
  const checkAbort = () => {
    if (run.signal?.aborted) throw abortError();
  };
  progress(0, 4, "Applying the lifecycle");
  // 1. segments of new SKUs, then the lifecycle
  const segment = Array.from({ length: n }, (_, i) => String(c.segment[i] ?? ""));
  const hasHistory = (i: number) => c.demandMean[i] === c.demandMean[i] && (c.lifecycle?.[i] ?? "").trim().toLowerCase() !== "new";
  const needsLifecycle = !!(c.lifecycle || c.lastBuy || c.phaseOutStart || c.analog || c.family) || Array.from({ length: n }, (_, i) => !hasHistory(i)).some(Boolean);
  const bySku = new Map<string, number>();
  const familySegments = new Map<string, string[]>();
  for (let i = 0; i < n; i++) {
    if (!hasHistory(i)) continue;
    bySku.set(c.sku[i], i);
    const f = c.family?.[i];
    if (f && segment[i]) {
      let list = familySegments.get(f);
      if (!list) familySegments.set(f, (list = []));
      list.push(segment[i]);
    }
  }
  for (let i = 0; i < n; i++) {
    if (hasHistory(i)) continue;
    const a = c.analog?.[i];
    const j = a ? bySku.get(a) : undefined;
    if (j !== undefined && segment[j]) segment[i] = segment[j];
    else {
      const f = c.family?.[i];
      const list = f ? familySegments.get(f) : undefined;
      if (list?.length) segment[i] = mode(list);
    }
  }
  let index = policyIndex(grid, segment, n);
  if (c.gridRow) for (let i = 0; i < n; i++) if (c.gridRow[i] >= 0 && c.gridRow[i] < grid.length) index[i] = c.gridRow[i];
  for (let i = 0; i < n; i++) if (!c.planned[i]) index[i] = -1;
  const demandMean = Float64Array.from({ length: n }, (_, i) => c.demandMean[i]);
  const demandSd = Float64Array.from({ length: n }, (_, i) => c.demandSd[i]);
  const pattern = c.pattern ? Float64Array.from({ length: n }, (_, i) => c.pattern![i]) : undefined;
  const demandSource = new Int8Array(n);
  const lifecycleFactor = new Float64Array(n).fill(1);
  const replenish = new Uint8Array(n).fill(1);
  let demandAfterLastBuy: Float64Array = new Float64Array(n).fill(Number.NaN);
  const lifecycleNotes = new Map<number, string>();
  const lifecycleErrors = new Map<number, CellError>();
  if (needsLifecycle) {
    const horizon = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const g = index[i];
      const L = c.leadTime?.[i];
      horizon[i] = (L !== undefined && L === L ? L : options.defaultLeadTime) + (g >= 0 ? grid[g].reviewPeriod : 0);
    }
    const lastBuy = c.lastBuy;
    // a last-buy date makes a SKU end-of-life even without a status
    const status = Array.from({ length: n }, (_, i) => {
      const s = String(c.lifecycle?.[i] ?? "").trim();
      const lb = lastBuy?.[i];
      return s === "" && lb !== undefined && lb === lb ? "eol" : s;
    });
    const life = applyLifecycle(
      {
        rows: n,
        sku: c.sku,
        status,
        demandMean: Float64Array.from({ length: n }, (_, i) => (hasHistory(i) ? c.demandMean[i] : Number.NaN)),
        demandSd: Float64Array.from({ length: n }, (_, i) => (hasHistory(i) ? c.demandSd[i] : Number.NaN)),
        pattern,
        phaseOutStart: c.phaseOutStart,
        phaseOutPeriods: new Float64Array(n).fill(options.phaseOutPeriods),
        lastBuy,
        horizon,
        analog: c.analog,
        family: c.family,
      },
      run.asOf,
    );
    for (let i = 0; i < n; i++) {
      const bad = life.errors.get(i);
      if (bad) {
        if (index[i] >= 0 || !hasHistory(i)) lifecycleErrors.set(i, bad);
        index[i] = -1;
        continue;
      }
      demandMean[i] = life.demandMean[i];
      demandSd[i] = life.demandSd[i];
      if (pattern) pattern[i] = life.pattern[i];
      demandSource[i] = life.source[i];
      lifecycleFactor[i] = life.factor[i];
      replenish[i] = life.replenish[i];
    }
    demandAfterLastBuy = life.demandAfterLastBuy;
    for (const [i, note] of life.notes) lifecycleNotes.set(i, note);
  }
  // after the last buy: no policy to compute, every level 0
  const planIndex = index;
  index = Int32Array.from(planIndex, (g, i) => (replenish[i] ? g : -1));
  checkAbort();
  progress(1, 4, "Computing the reorder points");
  // 2. levels, floors, rounding
  const table = skuPolicyColumns(
    grid,
    {
      rows: n,
      policy: index,
      demandMean,
      demandSd,
      pattern,
      leadTime: c.leadTime,
      leadTimeSd: c.leadTimeSd,
      orderQty: c.orderQty,
      unitCost: c.unitCost,
      orderMultiple: c.orderMultiple,
      moq: c.moq,
      floor: c.floor,
    },
    options,
  );
  for (const [i, e] of lifecycleErrors) table.errors.set(i, e);
  for (let i = 0; i < n; i++) {
    const g = planIndex[i];
    if (replenish[i] || g < 0) continue;
    // zeros, with the segment's settings for the sheet
    table.safetyStock[i] = table.safetyStockRaw[i] = table.reorderPoint[i] = table.min[i] = table.max[i] = table.orderQty[i] = 0;
    table.serviceLevel[i] = grid[g].serviceLevel;
    table.method[i] = POLICY_METHODS.indexOf(grid[g].method);
    table.reviewPeriod[i] = grid[g].reviewPeriod;
    const L = c.leadTime?.[i];
    table.leadTime[i] = L !== undefined && L === L ? L : options.defaultLeadTime;
    const m = c.orderMultiple?.[i];
    table.roundingValue[i] = m !== undefined && m === m ? m : grid[g].orderMultiple;
    const moq = c.moq?.[i];
    table.moq[i] = moq !== undefined && moq === moq ? moq : grid[g].moq;
  }
  checkAbort();
  // 3. budget
  let budget: DeployResult["budget"] = null;
  if (run.budget !== null && run.budget !== undefined) {
    progress(2, 4, "Allocating the budget");
    const perSegment = typeof run.budget !== "number";
    const rows: number[] = [];
    for (let i = 0; i < n; i++) {
      const uc = c.unitCost?.[i] ?? Number.NaN;
      if (!(table.reorderPoint[i] === table.reorderPoint[i]) || !replenish[i] || !(demandMean[i] > 0) || !(uc > 0) || table.demand.code[i] < 0) continue;
      if (perSegment && (run.budget as Record<string, number>)[segment[i]] === undefined) continue;
      rows.push(i);
    }
    const k = rows.length;
    const pick = (col: ArrayLike<number>) => Float64Array.from(rows, (i) => col[i]);
    const d = table.demand;
    const sub = {
      rows: k,
      code: Int8Array.from(rows, (i) => d.code[i]),
      note: Int8Array.from(rows, (i) => d.note[i]),
      demandMean: pick(d.demandMean),
      reviewPeriod: pick(d.reviewPeriod),
      mean: pick(d.mean),
      variance: pick(d.variance),
      leadMean: pick(d.leadMean),
      leadVariance: pick(d.leadVariance),
      errors: new Map<number, CellError>(),
    };
    const protectedSku = Uint8Array.from(rows, (i) => (table.flags[i] & FLAG_PROTECTED ? 1 : 0));
    const res = allocateBudget(
      {
        rows: k,
        demand: sub,
        orderQty: Float64Array.from(rows, (i) => table.max[i] - table.min[i]),
        unitCost: Float64Array.from(rows, (i) => c.unitCost![i]),
        segment: rows.map((i) => segment[i]),
        protectedSku,
        targetLevel: Float64Array.from(rows, (i) => table.reorderPoint[i]),
      },
      run.budget,
      { signal: run.signal, onProgress: (done, total) => progress(2 + (total > 0 ? done / total : 1) * 0.9, 4, "Allocating the budget") },
    );
    // what the same SKUs would hold and deliver under the service targets
    const before = new Map<string, { spend: number; demand: number; filled: number }>();
    for (let j = 0; j < k; j++) {
      const i = rows[j];
      const s = segment[i];
      let b = before.get(s);
      if (!b) before.set(s, (b = { spend: 0, demand: 0, filled: 0 }));
      b.spend += c.unitCost![i] * (table.reorderPoint[i] - d.mean[i]);
      const f = table.fillRate[i];
      if (f === f) {
        b.demand += demandMean[i];
        b.filled += demandMean[i] * f;
      }
    }
    const changed: number[] = [];
    for (let j = 0; j < k; j++) {
      const i = rows[j];
      if (protectedSku[j]) continue;
      const level = res.reorderPoint[j];
      if (!(level === level)) continue;
      setLevel(table, i, level, d.mean[i], whole);
      table.flags[i] |= FLAG_BUDGET;
      changed.push(i);
    }
    serviceOfLevels(table, undefined, changed);
    budget = {
      pools: res.pools,
      segments: res.segments.map((s) => {
        const b = before.get(s.pool);
        return { ...s, targetSpend: b ? b.spend : Number.NaN, targetFillRate: b && b.demand > 0 ? b.filled / b.demand : Number.NaN };
      }),
      steps: res.steps,
      nonConcaveSteps: res.nonConcaveSteps,
      skus: k,
    };
  }
  checkAbort();
  // 4. capacity
  let capacity: DeployResult["capacity"] = null;
  if (run.capacity && run.capacity.size > 0 && c.location) {
    progress(3, 4, "Fitting the DC capacity");
    const location = Array.from({ length: n }, (_, i) => (table.max[i] === table.max[i] && table.min[i] === table.min[i] ? String(c.location![i] ?? "") : NO_LOCATION));
    const q = Float64Array.from({ length: n }, (_, i) => table.max[i] - table.min[i]);
    const res = applyCapacity(
      {
        rows: n,
        location,
        segment,
        max: table.max,
        min: table.min,
        orderQty: q,
        orderMultiple: table.roundingValue,
        unitVolume: c.unitVolume,
        protectedSku: Uint8Array.from({ length: n }, (_, i) => (table.flags[i] & FLAG_PROTECTED ? 1 : 0)),
        demand: table.demand,
      },
      run.capacity,
      { basis: options.capacityBasis },
    );
    const changed: number[] = [];
    for (let i = 0; i < n; i++) {
      if (!(res.cut[i] > 0)) continue;
      table.max[i] = res.max[i];
      table.min[i] = res.min[i];
      if (table.reviewPeriod[i] > 0) {
        table.reorderPoint[i] = res.max[i];
        const ss = res.max[i] - table.demand.mean[i];
        table.safetyStock[i] = whole ? roundUpToMultiple(ss, 1) || 0 : ss;
      } else table.orderQty[i] = res.max[i] - res.min[i];
      table.flags[i] |= FLAG_CAPACITY;
      changed.push(i);
    }
    serviceOfLevels(table, undefined, changed);
    capacity = { locations: res.locations, cut: res.cut, locationErrors: res.locationErrors };
    for (const [i, e] of res.errors) table.errors.set(i, e);
  }
  progress(4, 4, "Done");
  return { table, segment, demandMean, demandSd, demandSource, lifecycleFactor, replenish, demandAfterLastBuy, lifecycleNotes, budget, capacity };
}

/** Lifecycle sources, for callers that describe a row ("new: analog S01"). */
export { SOURCE_ANALOG, SOURCE_FAMILY };
