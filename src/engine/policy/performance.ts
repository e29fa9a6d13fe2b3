/**
 * Does the policy work? Realised service and turns from actuals per SKU and period, per segment
 * against the grid's targets, and the SKUs furthest below target ("monitor stockout frequency").
 *
 * Inputs are rows = SKUs x columns = periods (row-major Float64Arrays), NaN = not recorded:
 * on hand at period end, a stockout flag (1/0), sales (units served) and backorders (units
 * demanded but not served in the period, backordered or lost).
 *
 * Conventions:
 * - A period is a stockout period when its flag is 1; without a flag, when backorders > 0 or the
 *   on-hand at period end is <= 0 (whichever is recorded). A flag of 0 is trusted as given.
 * - Realised cycle service level = share of observed periods without a stockout. This is the
 *   per-period reading of "no stockout per replenishment cycle": with period data and no receipt
 *   dates the cycles cannot be told apart (it equals the CSL when a cycle is one period, R = 1,
 *   and runs below it for longer cycles: several periods per cycle, each a chance to stock out).
 *   Stockout frequency = 1 - that.
 * - Fill rate = sum sales / sum (sales + backorders), over the periods where both are recorded;
 *   NaN without backorders.
 * - Inventory turns = annual sales / average on hand, with sales annualised by periodsPerYear
 *   (units, or value when unitCost is given: per segment value-weighted, sum of annual cost of
 *   sales / sum of average inventory value). NaN without on-hand data or with zero average stock.
 * - Segment figures pool the SKUs' periods and units (not an average of SKU ratios).
 * - Gaps = realised - target (negative = below target). Targets per segment: the cycle service
 *   level (the grid's service level when its method is "csl"), the fill-rate target and the turns
 *   target (src/engine/policy.ts SegmentPolicy; targetsFromGrid).
 * - Furthest below target: SKUs ranked by their largest shortfall in fill rate (or, without
 *   backorders, in cycle service level) against their segment's target.
 */
import type { SegmentPolicy } from "../policy";

export interface PerformanceTargets {
  cycleServiceLevel: number;
  fillRate: number;
  turns: number;
}

/** Targets from the Policy grid: CSL target only where the grid's method is "csl". */
export function targetsFromGrid(grid: readonly SegmentPolicy[]): Map<string, PerformanceTargets> {
  const m = new Map<string, PerformanceTargets>();
  for (const g of grid) m.set(g.segment, { cycleServiceLevel: g.method === "csl" ? g.serviceLevel : Number.NaN, fillRate: g.fillRateTarget, turns: g.turnsTarget });
  return m;
}

export interface ActualsColumns {
  rows: number;
  periods: number;
  sku: ArrayLike<string>;
  segment: ArrayLike<string>;
  onHand?: Float64Array;
  stockout?: Float64Array;
  sales: Float64Array;
  backorders?: Float64Array;
  /** Per SKU; NaN = unknown (then that SKU counts in units). */
  unitCost?: ArrayLike<number>;
}

export interface SkuPerformance {
  periods: number;
  stockoutPeriods: number;
  cycleServiceLevel: number;
  fillRate: number;
  turns: number;
}

export interface SegmentPerformance {
  segment: string;
  skus: number;
  periods: number;
  cycleServiceLevel: number;
  stockoutFrequency: number;
  fillRate: number;
  turns: number;
  target: PerformanceTargets | undefined;
  cycleServiceLevelGap: number;
  fillRateGap: number;
  turnsGap: number;
}

export interface BelowTarget {
  row: number;
  sku: string;
  segment: string;
  measure: "fillRate" | "cycleServiceLevel";
  realised: number;
  target: number;
  shortfall: number;
}

export interface PerformanceResult {
  sku: {
    periods: Int32Array;
    stockoutPeriods: Int32Array;
    cycleServiceLevel: Float64Array;
    fillRate: Float64Array;
    turns: Float64Array;
  };
  segments: SegmentPerformance[];
  furthestBelow: BelowTarget[];
}

export interface PerformanceOptions {
  periodsPerYear: number;
  /** How many SKUs to list in furthestBelow; default 20. */
  top?: number;
}

/** Realised performance (see the module comment). */
export function policyPerformance(a: ActualsColumns, targets: ReadonlyMap<string, PerformanceTargets>, options: PerformanceOptions): PerformanceResult {
  const n = a.rows;
  const P = a.periods;
  const ppy = options.periodsPerYear;
  const out: PerformanceResult["sku"] = {
    periods: new Int32Array(n),
    stockoutPeriods: new Int32Array(n),
    cycleServiceLevel: new Float64Array(n),
    fillRate: new Float64Array(n),
    turns: new Float64Array(n),
  };
  interface Acc {
    skus: number;
    periods: number;
    stockouts: number;
    sold: number;
    demanded: number;
    annualValue: number;
    stockValue: number;
  }
  const bySegment = new Map<string, Acc>();
  for (let i = 0; i < n; i++) {
    let periods = 0;
    let stockouts = 0;
    let sold = 0;
    let demanded = 0;
    let salesAll = 0;
    let salesPeriods = 0;
    let onHandSum = 0;
    let onHandN = 0;
    for (let j = 0; j < P; j++) {
      const k = i * P + j;
      const flag = a.stockout ? a.stockout[k] : Number.NaN;
      const bo = a.backorders ? a.backorders[k] : Number.NaN;
      const oh = a.onHand ? a.onHand[k] : Number.NaN;
      const s = a.sales[k];
      let out: number; // 1 stockout, 0 not, NaN unknown
      if (flag === flag) out = flag > 0 ? 1 : 0;
      else if (bo === bo || oh === oh) out = (bo === bo && bo > 0) || (oh === oh && oh <= 0) ? 1 : 0;
      else out = Number.NaN;
      if (out === out) {
        periods++;
        stockouts += out;
      }
      if (s === s) {
        salesAll += s;
        salesPeriods++;
        if (bo === bo) {
          sold += s;
          demanded += s + bo;
        }
      }
      if (oh === oh) {
        onHandSum += Math.max(oh, 0);
        onHandN++;
      }
    }
    out.periods[i] = periods;
    out.stockoutPeriods[i] = stockouts;
    out.cycleServiceLevel[i] = periods > 0 ? 1 - stockouts / periods : Number.NaN;
    out.fillRate[i] = demanded > 0 ? sold / demanded : Number.NaN;
    const annualSales = salesPeriods > 0 ? (salesAll / salesPeriods) * ppy : Number.NaN;
    const avgStock = onHandN > 0 ? onHandSum / onHandN : Number.NaN;
    out.turns[i] = avgStock > 0 ? annualSales / avgStock : Number.NaN;
    const seg = a.segment[i];
    let acc = bySegment.get(seg);
    if (!acc) bySegment.set(seg, (acc = { skus: 0, periods: 0, stockouts: 0, sold: 0, demanded: 0, annualValue: 0, stockValue: 0 }));
    acc.skus++;
    acc.periods += periods;
    acc.stockouts += stockouts;
    acc.sold += sold;
    acc.demanded += demanded;
    if (annualSales === annualSales && avgStock === avgStock) {
      const c = a.unitCost ? a.unitCost[i] : Number.NaN;
      const w = c === c && c > 0 ? c : 1;
      acc.annualValue += annualSales * w;
      acc.stockValue += avgStock * w;
    }
  }
  const segments: SegmentPerformance[] = [];
  for (const [segment, acc] of [...bySegment].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))) {
    const csl = acc.periods > 0 ? 1 - acc.stockouts / acc.periods : Number.NaN;
    const fill = acc.demanded > 0 ? acc.sold / acc.demanded : Number.NaN;
    const turns = acc.stockValue > 0 ? acc.annualValue / acc.stockValue : Number.NaN;
    const target = targets.get(segment);
    segments.push({
      segment,
      skus: acc.skus,
      periods: acc.periods,
      cycleServiceLevel: csl,
      stockoutFrequency: 1 - csl,
      fillRate: fill,
      turns,
      target,
      cycleServiceLevelGap: target ? csl - target.cycleServiceLevel : Number.NaN,
      fillRateGap: target ? fill - target.fillRate : Number.NaN,
      turnsGap: target ? turns - target.turns : Number.NaN,
    });
  }
  // SKUs furthest below target
  const below: BelowTarget[] = [];
  for (let i = 0; i < n; i++) {
    const t = targets.get(a.segment[i]);
    if (!t) continue;
    const f = out.fillRate[i];
    const c = out.cycleServiceLevel[i];
    let item: BelowTarget | null = null;
    if (f === f && t.fillRate === t.fillRate) item = { row: i, sku: a.sku[i], segment: a.segment[i], measure: "fillRate", realised: f, target: t.fillRate, shortfall: t.fillRate - f };
    else if (c === c && t.cycleServiceLevel === t.cycleServiceLevel) item = { row: i, sku: a.sku[i], segment: a.segment[i], measure: "cycleServiceLevel", realised: c, target: t.cycleServiceLevel, shortfall: t.cycleServiceLevel - c };
    if (item && item.shortfall > 0) below.push(item);
  }
  below.sort((x, y) => y.shortfall - x.shortfall || x.row - y.row);
  return { sku: out, segments, furthestBelow: below.slice(0, options.top ?? 20) };
}
