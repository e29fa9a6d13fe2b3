/**
 * Policy change list: the current policy against the previous version, per SKU (and location) and
 * per supplier, so procurement can plan its supplier commitments.
 *
 * Conventions:
 * - A row is keyed by SKU and location (location "" when not mapped). Status: "new" (only in the
 *   current version), "removed" (only in the previous), "changed" (reorder point, max or
 *   investment moved by more than `tolerance`, default 1e-9 relative), "unchanged".
 * - Inventory investment = unitCost x (max(safetyStock, 0) + orderQty / 2): the value of the
 *   expected average stock, safety stock plus half a lot (Silver, Pyke & Thomas 2017 ch. 6, the
 *   average inventory of an (s, Q) or (R, S) system; for (R, S) the lot is d R). A removed SKU
 *   frees its whole investment; a new one adds it.
 * - Max value change = unitCost x (max after - max before): the peak commitment a supplier sees.
 * - Supplier: the current version's, or the previous one's for a removed SKU; "" when not mapped.
 *   Suppliers are listed by the size of their investment change, largest first.
 */
import { ArgumentError } from "../errors";

export interface PolicyVersionColumns {
  rows: number;
  sku: ArrayLike<string>;
  location?: ArrayLike<string>;
  supplier?: ArrayLike<string>;
  reorderPoint: ArrayLike<number>;
  max: ArrayLike<number>;
  safetyStock: ArrayLike<number>;
  orderQty: ArrayLike<number>;
  unitCost: ArrayLike<number>;
}

export type ChangeStatus = "new" | "removed" | "changed" | "unchanged";

export interface SkuChange {
  sku: string;
  location: string;
  supplier: string;
  status: ChangeStatus;
  reorderPointBefore: number;
  reorderPointAfter: number;
  reorderPointChange: number;
  maxBefore: number;
  maxAfter: number;
  maxChange: number;
  investmentBefore: number;
  investmentAfter: number;
  investmentChange: number;
  maxValueChange: number;
}

export interface SupplierChange {
  supplier: string;
  skus: number;
  newSkus: number;
  removedSkus: number;
  changedSkus: number;
  reorderPointChange: number;
  maxChange: number;
  investmentBefore: number;
  investmentAfter: number;
  investmentChange: number;
  maxValueChange: number;
}

export interface ChangeList {
  skus: SkuChange[];
  suppliers: SupplierChange[];
}

/** Average inventory investment of one row (see the module comment). */
export function inventoryInvestment(unitCost: number, safetyStock: number, orderQty: number): number {
  return unitCost * (Math.max(safetyStock, 0) + orderQty / 2);
}

function index(v: PolicyVersionColumns, which: string): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i < v.rows; i++) {
    const key = `${v.sku[i]}\u0000${v.location?.[i] ?? ""}`;
    if (m.has(key)) throw new ArgumentError(which, `SKU ${v.sku[i]}${v.location ? ` at ${v.location[i]}` : ""} appears twice`);
    m.set(key, i);
  }
  return m;
}

/** The change list (see the module comment); ArgumentError when a version lists a SKU twice. */
export function policyChangeList(previous: PolicyVersionColumns, current: PolicyVersionColumns, tolerance = 1e-9): ChangeList {
  const before = index(previous, "previous");
  const after = index(current, "current");
  const skus: SkuChange[] = [];
  const moved = (a: number, b: number) => Math.abs(a - b) > tolerance * Math.max(1, Math.abs(a), Math.abs(b));
  const add = (p: number | undefined, c: number | undefined) => {
    const src = c !== undefined ? current : previous;
    const i = (c ?? p) as number;
    const rb = p !== undefined ? previous.reorderPoint[p] : 0;
    const ra = c !== undefined ? current.reorderPoint[c] : 0;
    const mb = p !== undefined ? previous.max[p] : 0;
    const ma = c !== undefined ? current.max[c] : 0;
    const ib = p !== undefined ? inventoryInvestment(previous.unitCost[p], previous.safetyStock[p], previous.orderQty[p]) : 0;
    const ia = c !== undefined ? inventoryInvestment(current.unitCost[c], current.safetyStock[c], current.orderQty[c]) : 0;
    const cost = c !== undefined ? current.unitCost[c] : previous.unitCost[p as number];
    const status: ChangeStatus = p === undefined ? "new" : c === undefined ? "removed" : moved(rb, ra) || moved(mb, ma) || moved(ib, ia) ? "changed" : "unchanged";
    skus.push({
      sku: src.sku[i],
      location: src.location?.[i] ?? "",
      supplier: (c !== undefined ? current.supplier?.[c] : previous.supplier?.[p as number]) ?? "",
      status,
      reorderPointBefore: rb,
      reorderPointAfter: ra,
      reorderPointChange: ra - rb,
      maxBefore: mb,
      maxAfter: ma,
      maxChange: ma - mb,
      investmentBefore: ib,
      investmentAfter: ia,
      investmentChange: ia - ib,
      maxValueChange: cost * (ma - mb),
    });
  };
  for (const [key, c] of after) add(before.get(key), c);
  for (const [key, p] of before) if (!after.has(key)) add(p, undefined);
  const bySupplier = new Map<string, SupplierChange>();
  for (const s of skus) {
    let g = bySupplier.get(s.supplier);
    if (!g) {
      g = { supplier: s.supplier, skus: 0, newSkus: 0, removedSkus: 0, changedSkus: 0, reorderPointChange: 0, maxChange: 0, investmentBefore: 0, investmentAfter: 0, investmentChange: 0, maxValueChange: 0 };
      bySupplier.set(s.supplier, g);
    }
    g.skus++;
    if (s.status === "new") g.newSkus++;
    else if (s.status === "removed") g.removedSkus++;
    else if (s.status === "changed") g.changedSkus++;
    g.reorderPointChange += s.reorderPointChange;
    g.maxChange += s.maxChange;
    g.investmentBefore += s.investmentBefore;
    g.investmentAfter += s.investmentAfter;
    g.investmentChange += s.investmentChange;
    g.maxValueChange += s.maxValueChange;
  }
  const suppliers = [...bySupplier.values()].sort((a, b) => Math.abs(b.investmentChange) - Math.abs(a.investmentChange) || (a.supplier < b.supplier ? -1 : 1));
  return { skus, suppliers };
}
