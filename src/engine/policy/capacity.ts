/**
 * DC capacity: when the max levels of the SKUs stocked at a location need more room than the
 * location has, cut them down by segment priority and report what was cut and what it costs in
 * fill rate.
 *
 * Conventions:
 * - Room is counted at the max level (the peak the policy plans to hold): units, or volume with a
 *   unit volume per SKU (basis "volume"). Capacity per location must be > 0; zero, negative or
 *   missing-volume locations are reported as location errors and left uncut.
 * - Cut order by the segment's ABC letter: C first, then B, A last (cutOrder, default
 *   ["C", "B", "A"]); segments whose first letter is not listed are cut before all of them (an
 *   unclassified SKU is not protected). Protected SKUs (critical spares, regulatory stock) are
 *   never cut.
 * - Within a tier every SKU gives up the same fraction of its cuttable room (proportional scaling),
 *   rounded so that the new max is on the SKU's order-multiple grid above its lower bound, rounded
 *   down (the location then ends at or just under capacity, never above).
 * - Lower bound of a max: continuous review (s, Q): min + one order multiple (an order still fits,
 *   the order quantity shrinks to max - min); periodic review (R, S): the order quantity (so that
 *   min = max - Q stays >= 0; the order-up-to level S = max shrinks). Never below a given floor.
 * - Fill-rate loss: the fill rate of each cut SKU before and after (src/engine/policy/levels.ts,
 *   exact forms, the SKU's own distribution), and per location the demand-weighted loss
 *   sum d_i (before_i - after_i) / sum d_i, with the units of demand per period it leaves short.
 * - If cutting every SKU to its lower bound is still too much, the location is infeasible: the
 *   cuts to the lower bounds are returned and the location is reported.
 */
import { CellError, cellError } from "../errors";
import { fillRateAt, intervalDemandRow, newIntervalDemand, type IntervalDemandColumns } from "./levels";

export type CapacityBasis = "units" | "volume";

export interface CapacityInput {
  rows: number;
  location: ArrayLike<string>;
  segment: ArrayLike<string>;
  /** Current max level (units), and min: (s, Q) the reorder point, (R, S) max - Q. */
  max: ArrayLike<number>;
  min: ArrayLike<number>;
  /** Order quantity (units). */
  orderQty: ArrayLike<number>;
  /** Order multiple (units); NaN = 1. */
  orderMultiple?: ArrayLike<number>;
  /** Volume per unit (basis "volume"). */
  unitVolume?: ArrayLike<number>;
  /** 1 = never cut (critical spare, regulatory stock). */
  protectedSku?: ArrayLike<number>;
  /** A level the max may not go below (units); NaN = none. */
  floor?: ArrayLike<number>;
  /** Demand over the protection interval, for the fill rates (levels.ts intervalDemandColumns). */
  demand: IntervalDemandColumns;
}

export interface CapacityOptions {
  basis?: CapacityBasis;
  /** ABC letters in the order they are cut; default ["C", "B", "A"]. */
  cutOrder?: readonly string[];
}

export interface LocationCut {
  location: string;
  capacity: number;
  /** Room needed before and after the cuts (units or volume). */
  required: number;
  after: number;
  /** Units and room taken off. */
  unitsCut: number;
  roomCut: number;
  /** The tiers cut (letters, "other" for unlisted), in order. */
  tiersCut: string[];
  skusCut: number;
  /** Demand-weighted fill rate of the location's SKUs before and after, and the units short per period it adds. */
  fillRateBefore: number;
  fillRateAfter: number;
  unitsShortPerPeriodAdded: number;
  feasible: boolean;
}

export interface CapacityResult {
  /** New max, min and order quantity per SKU (unchanged where not cut). */
  max: Float64Array;
  min: Float64Array;
  orderQty: Float64Array;
  /** Units cut from the max. */
  cut: Float64Array;
  /** Fill rate before and after per SKU (NaN where not computable). */
  fillRateBefore: Float64Array;
  fillRateAfter: Float64Array;
  locations: LocationCut[];
  errors: Map<number, CellError>;
  locationErrors: Map<string, CellError>;
}

const scratch = newIntervalDemand();

function fillOf(d: IntervalDemandColumns, i: number, max: number, min: number, q: number): number {
  if (d.code[i] < 0) return Number.NaN;
  const t = intervalDemandRow(d, i, scratch);
  return t.reviewPeriod > 0 ? fillRateAt(t, max, q) : fillRateAt(t, min, max - min);
}

/**
 * Cuts max levels to the capacities (see the module comment). `capacity` maps a location to its
 * room (units or volume); locations without an entry are not constrained.
 */
export function applyCapacity(c: CapacityInput, capacity: ReadonlyMap<string, number> | Record<string, number>, options: CapacityOptions = {}): CapacityResult {
  const n = c.rows;
  const basis = options.basis ?? "units";
  const order = options.cutOrder ?? ["C", "B", "A"];
  const caps = capacity instanceof Map ? capacity : new Map(Object.entries(capacity));
  const res: CapacityResult = {
    max: Float64Array.from({ length: n }, (_, i) => c.max[i]),
    min: Float64Array.from({ length: n }, (_, i) => c.min[i]),
    orderQty: Float64Array.from({ length: n }, (_, i) => c.orderQty[i]),
    cut: new Float64Array(n),
    fillRateBefore: new Float64Array(n).fill(Number.NaN),
    fillRateAfter: new Float64Array(n).fill(Number.NaN),
    locations: [],
    errors: new Map(),
    locationErrors: new Map(),
  };
  // group rows by location
  const byLocation = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const loc = c.location[i];
    let list = byLocation.get(loc);
    if (!list) byLocation.set(loc, (list = []));
    list.push(i);
  }
  for (const [loc, cap] of caps) {
    if (!(typeof cap === "number" && cap > 0 && cap < Infinity)) {
      res.locationErrors.set(loc, cellError(`capacity of location ${loc} must be a number > 0, got ${String(cap)}`));
    }
  }
  for (const [loc, rows] of byLocation) {
    const cap = caps.get(loc);
    if (cap === undefined || res.locationErrors.has(loc)) continue;
    // per-row checks and room
    const vol = new Float64Array(rows.length);
    const lb = new Float64Array(rows.length);
    const step = new Float64Array(rows.length);
    let required = 0;
    let badRows = 0;
    for (let k = 0; k < rows.length; k++) {
      const i = rows[k];
      const max = c.max[i];
      const min = c.min[i];
      const q = c.orderQty[i];
      const v = basis === "volume" ? (c.unitVolume ? c.unitVolume[i] : Number.NaN) : 1;
      const m = c.orderMultiple ? c.orderMultiple[i] : 1;
      let bad: CellError | null = null;
      if (!(Number.isFinite(max) && Number.isFinite(min) && max >= min)) bad = cellError(`max must be a finite number >= min, got max ${max}, min ${min}`);
      else if (!(q >= 0 && q < Infinity)) bad = cellError(`orderQty must be a number >= 0, got ${q}`);
      else if (!(v > 0 && v < Infinity)) bad = cellError(`unitVolume must be a number > 0 for a capacity in volume, got ${String(v)}`);
      if (bad) {
        res.errors.set(i, bad);
        badRows++;
        continue;
      }
      vol[k] = v;
      step[k] = m === m && m > 0 ? m : 1;
      const periodic = (c.demand.reviewPeriod[i] ?? 0) > 0;
      const floor = c.floor ? c.floor[i] : Number.NaN;
      let bound = periodic ? q : min + step[k];
      if (floor === floor && floor > bound) bound = floor;
      if (c.protectedSku && c.protectedSku[i] === 1) bound = max;
      lb[k] = Math.min(bound, max);
      required += max * v;
    }
    if (badRows > 0) {
      res.locationErrors.set(loc, cellError(`location ${loc}: ${badRows} SKU row(s) cannot be measured (see their row errors), so its capacity cannot be checked`));
      continue;
    }
    let excess = required - cap;
    const tiersCut: string[] = [];
    let skusCut = 0;
    let unitsCut = 0;
    let roomCut = 0;
    if (excess > 0) {
      const tierOf = (seg: string) => {
        const letter = (seg ?? "").charAt(0).toUpperCase();
        const t = order.indexOf(letter);
        return t < 0 ? -1 : t;
      };
      for (let tier = -1; tier < order.length && excess > 1e-9 * Math.max(1, cap); tier++) {
        let reducible = 0;
        for (let k = 0; k < rows.length; k++) if (tierOf(c.segment[rows[k]]) === tier) reducible += (res.max[rows[k]] - lb[k]) * vol[k];
        if (!(reducible > 0)) continue;
        tiersCut.push(tier < 0 ? "other" : order[tier]);
        const f = Math.min(1, excess / reducible);
        let taken = 0;
        for (let k = 0; k < rows.length; k++) {
          const i = rows[k];
          if (tierOf(c.segment[i]) !== tier) continue;
          const room = res.max[i] - lb[k];
          if (!(room > 0)) continue;
          // keep (1 - f) of the room, on the order-multiple grid above the lower bound, rounded down
          const keep = f >= 1 ? 0 : Math.floor(((1 - f) * room) / step[k] + 1e-9) * step[k];
          const newMax = lb[k] + Math.min(keep, room);
          const cut = res.max[i] - newMax;
          if (cut <= 0) continue;
          res.max[i] = newMax;
          res.cut[i] = cut;
          taken += cut * vol[k];
          unitsCut += cut;
          skusCut++;
        }
        roomCut += taken;
        excess -= taken;
      }
    }
    // new min / order quantity, fill rates
    let demandSum = 0;
    let before = 0;
    let after = 0;
    let shortAdded = 0;
    for (const i of rows) {
      const periodic = c.demand.reviewPeriod[i] > 0;
      if (res.cut[i] > 0) {
        if (periodic) res.min[i] = res.max[i] - c.orderQty[i];
        else res.orderQty[i] = res.max[i] - res.min[i];
      }
      const fb = fillOf(c.demand, i, c.max[i], c.min[i], c.orderQty[i]);
      const fa = res.cut[i] > 0 ? fillOf(c.demand, i, res.max[i], res.min[i], res.orderQty[i]) : fb;
      res.fillRateBefore[i] = fb;
      res.fillRateAfter[i] = fa;
      const d = c.demand.demandMean[i];
      if (fb === fb && fa === fa && d > 0) {
        demandSum += d;
        before += d * fb;
        after += d * fa;
        shortAdded += d * (fb - fa);
      }
    }
    const feasible = !(excess > 1e-9 * Math.max(1, cap));
    if (!feasible) {
      res.locationErrors.set(
        loc,
        cellError(`location ${loc}: capacity ${cap} cannot be met; with every max at its lower bound the SKUs still need ${round(required - roomCut)} (${basis})`),
      );
    }
    res.locations.push({
      location: loc,
      capacity: cap,
      required,
      after: required - roomCut,
      unitsCut,
      roomCut,
      tiersCut,
      skusCut,
      fillRateBefore: demandSum > 0 ? before / demandSum : Number.NaN,
      fillRateAfter: demandSum > 0 ? after / demandSum : Number.NaN,
      unitsShortPerPeriodAdded: shortAdded,
      feasible,
    });
  }
  return res;
}

function round(x: number): string {
  return String(Math.round(x * 1000) / 1000);
}
