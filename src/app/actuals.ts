/**
 * Actuals for "does the policy work?": a range the planner selects, one row per SKU and period
 * (long form, as planning systems export it): SKU, period, and any of on hand at period end,
 * stockout flag, sales (units served) and backorders (units demanded but not served). Pure:
 * header detection and mapping proposal (like the SKU table's), then parsing into the SKUs x
 * periods matrices src/engine/policy/performance.ts reads.
 *
 * Rules (each rejected row names its cell and says what is wrong):
 * - SKU and period required (blank: "missing"); a second row for the same SKU and period is a
 *   duplicate (the first is kept).
 * - Numbers (on hand, sales, backorders): blank = not recorded (NaN); text is not a number; sales
 *   and backorders below 0 are rejected (on hand may be negative: backorders netted).
 * - Stockout flag: 1 / 0, TRUE / FALSE, yes / no, y / n, x (stockout); blank = not recorded.
 * - Sales must be mapped; at least one of on hand, stockout flag, backorders too (else no
 *   stockout can be seen).
 * - Periods are sorted when they are all numbers (dates are Excel serials), else kept in order of
 *   first appearance.
 */
import { readNumber } from "../engine/cells";
import { isCellError } from "../engine/errors";
import { sheetCell } from "./a1";
import { detectHeaderRow, headersOf } from "./mapping";
import type { RangeSnapshot } from "./ports";

export const ACTUALS_FIELDS = ["sku", "period", "onHand", "stockout", "sales", "backorders"] as const;
export type ActualsField = (typeof ACTUALS_FIELDS)[number];

export const ACTUALS_LABELS: Record<ActualsField, string> = {
  sku: "SKU id",
  period: "Period (date or label)",
  onHand: "On hand at period end",
  stockout: "Stockout flag",
  sales: "Sales (units served)",
  backorders: "Backorders (units not served)",
};

export interface ActualsMapping {
  headerRow: number;
  columns: Record<ActualsField, number | null>;
}

const SYNONYMS: Record<ActualsField, string[]> = {
  sku: ["sku", "skuid", "item", "itemid", "itemno", "part", "partno", "partnumber", "material", "matnr", "article", "product", "code"],
  period: ["period", "week", "month", "date", "perioddate", "periodend", "weekending", "day", "bucket"],
  onHand: ["onhand", "onhandqty", "closingstock", "endingstock", "stockonhand", "inventory", "endinventory", "soh", "stock", "onhandend"],
  stockout: ["stockout", "stockoutflag", "outofstock", "oos", "stockedout", "shortage"],
  sales: ["sales", "salesqty", "unitssold", "shipped", "shipments", "issued", "served", "delivered", "consumption", "usage", "demandserved"],
  backorders: ["backorders", "backorder", "backorderqty", "backordered", "unfilled", "lostsales", "shortqty", "unitsshort", "notserved"],
};

const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");

/** Proposed mapping: the best header per field (exact synonym first, then a contained one). */
export function proposeActualsMapping(snapshot: RangeSnapshot): ActualsMapping {
  const headerRow = detectHeaderRow(snapshot.values) ?? 0;
  const headers = headersOf(snapshot, headerRow).map(norm);
  const columns = Object.fromEntries(ACTUALS_FIELDS.map((f) => [f, null])) as Record<ActualsField, number | null>;
  const taken = new Set<number>();
  for (const f of ["stockout", "backorders", "onHand", "sales", "period", "sku"] as ActualsField[]) {
    let best = -1;
    let bestScore = 0;
    headers.forEach((h, c) => {
      if (taken.has(c) || !h) return;
      const syns = SYNONYMS[f];
      const exact = syns.indexOf(h);
      const score = exact >= 0 ? 100 - exact : Math.max(0, ...syns.map((s, i) => (s.length >= 4 && h.includes(s) ? 50 - i : 0)));
      if (score > bestScore) {
        bestScore = score;
        best = c;
      }
    });
    if (best >= 0) {
      columns[f] = best;
      taken.add(best);
    }
  }
  return { headerRow, columns };
}

/** What is wrong with a mapping, in words that say what to fix. */
export function actualsMappingProblems(m: ActualsMapping, columnCount: number): string[] {
  const out: string[] = [];
  const c = m.columns;
  if (c.sku === null) out.push("Choose the column that holds the SKU id.");
  if (c.period === null) out.push("Choose the column that holds the period (a date or a label).");
  if (c.sales === null) out.push("Choose the sales column (units served).");
  if (c.onHand === null && c.stockout === null && c.backorders === null) out.push("Map on hand at period end, the stockout flag or backorders: without one no stockout can be seen.");
  const used = new Map<number, ActualsField>();
  for (const f of ACTUALS_FIELDS) {
    const col = c[f];
    if (col === null) continue;
    if (col < 0 || col >= columnCount) out.push(`${ACTUALS_LABELS[f]} points outside the selected range.`);
    const other = used.get(col);
    if (other) out.push(`${ACTUALS_LABELS[f]} and ${ACTUALS_LABELS[other]} use the same column: pick a different one for one of them.`);
    used.set(col, f);
  }
  return out;
}

export interface ActualsRejection {
  address: string;
  message: string;
}

export interface ParsedActuals {
  skus: string[];
  periods: number;
  /** Period labels as read (numbers stay numbers), in matrix order. */
  periodLabels: (string | number)[];
  /** Row-major SKUs x periods; NaN = not recorded (or the column is not mapped). */
  onHand: Float64Array | undefined;
  stockout: Float64Array | undefined;
  sales: Float64Array;
  backorders: Float64Array | undefined;
  rowsRead: number;
  rowsUsed: number;
  rejected: ActualsRejection[];
  rejectedCount: number;
}

const MAX_REJECTED = 200;
const FLAG: Record<string, number> = { "1": 1, "0": 0, true: 1, false: 0, yes: 1, no: 0, y: 1, n: 0, x: 1 };

function blank(c: unknown): boolean {
  return c === null || c === undefined || (typeof c === "string" && c.trim() === "");
}

function label(c: unknown): string | number | null {
  if (typeof c === "number" && Number.isFinite(c)) return c;
  if (typeof c === "string" && c.trim() !== "") return c.trim();
  if (c instanceof Date) return c.toISOString().slice(0, 10);
  return null;
}

/** Parses the actuals (see the module comment). */
export function parseActuals(snapshot: RangeSnapshot, m: ActualsMapping): ParsedActuals {
  const c = m.columns;
  if (c.sku === null || c.period === null || c.sales === null) throw new Error("The actuals mapping is incomplete: map the SKU, the period and the sales.");
  const { values, sheetName, firstRow, firstColumn } = snapshot;
  const at = (r: number, col: number) => sheetCell(sheetName, firstRow + r, firstColumn + col);
  const skuIndex = new Map<string, number>();
  const periodIndex = new Map<string | number, number>();
  const skus: string[] = [];
  const labels: (string | number)[] = [];
  type Rec = { s: number; p: number; onHand: number; stockout: number; sales: number; backorders: number };
  const recs: Rec[] = [];
  const seen = new Set<string>();
  const rejected: ActualsRejection[] = [];
  let rejectedCount = 0;
  let rowsRead = 0;
  const reject = (address: string, detail: string) => {
    rejectedCount++;
    if (rejected.length < MAX_REJECTED) rejected.push({ address, message: `${address}: ${detail}` });
  };
  for (let r = m.headerRow + 1; r < values.length; r++) {
    const row = values[r];
    if (!row || row.every(blank)) continue;
    rowsRead++;
    const skuCell = row[c.sku];
    const sku = typeof skuCell === "number" ? String(skuCell) : typeof skuCell === "string" ? skuCell.trim() : "";
    if (!sku) {
      reject(at(r, c.sku), "the SKU id is blank");
      continue;
    }
    const period = label(row[c.period]);
    if (period === null) {
      reject(at(r, c.period), "the period is blank");
      continue;
    }
    const num = (field: "onHand" | "sales" | "backorders", allowNegative: boolean): number | null => {
      const col = c[field];
      if (col === null || blank(row[col])) return Number.NaN;
      const v = readNumber(row[col], "reject");
      if (isCellError(v)) {
        reject(at(r, col), `${ACTUALS_LABELS[field].toLowerCase()}: ${v.message}`);
        return null;
      }
      if (!allowNegative && v < 0) {
        reject(at(r, col), `${ACTUALS_LABELS[field].toLowerCase()} must be 0 or more, got ${v}`);
        return null;
      }
      return v;
    };
    const onHand = num("onHand", true);
    if (onHand === null) continue;
    const sales = num("sales", false);
    if (sales === null) continue;
    const backorders = num("backorders", false);
    if (backorders === null) continue;
    let stockout = Number.NaN;
    if (c.stockout !== null && !blank(row[c.stockout])) {
      const raw = row[c.stockout];
      const f = FLAG[String(raw).trim().toLowerCase()];
      if (f === undefined) {
        reject(at(r, c.stockout), `stockout flag must be 1 or 0 (yes / no), got ${JSON.stringify(raw)}`);
        continue;
      }
      stockout = f;
    }
    const key = `${sku}\u0000${String(period)}`;
    if (seen.has(key)) {
      reject(at(r, c.sku), `SKU ${sku} already has a row for period ${String(period)} (the first is kept)`);
      continue;
    }
    seen.add(key);
    let s = skuIndex.get(sku);
    if (s === undefined) {
      skuIndex.set(sku, (s = skus.length));
      skus.push(sku);
    }
    let p = periodIndex.get(period);
    if (p === undefined) {
      periodIndex.set(period, (p = labels.length));
      labels.push(period);
    }
    recs.push({ s, p, onHand, stockout, sales, backorders });
  }
  // sort the periods when they are all numbers (dates)
  let order = labels.map((_, k) => k);
  if (labels.every((l) => typeof l === "number")) order = order.sort((a, b) => (labels[a] as number) - (labels[b] as number));
  const position = new Int32Array(labels.length);
  order.forEach((k, j) => (position[k] = j));
  const n = skus.length;
  const P = labels.length;
  const fill = () => new Float64Array(n * P).fill(Number.NaN);
  const onHand = c.onHand !== null ? fill() : undefined;
  const stockout = c.stockout !== null ? fill() : undefined;
  const backorders = c.backorders !== null ? fill() : undefined;
  const sales = fill();
  for (const x of recs) {
    const k = x.s * P + position[x.p];
    if (onHand) onHand[k] = x.onHand;
    if (stockout) stockout[k] = x.stockout;
    if (backorders) backorders[k] = x.backorders;
    sales[k] = x.sales;
  }
  return { skus, periods: P, periodLabels: order.map((k) => labels[k]), onHand, stockout, sales, backorders, rowsRead, rowsUsed: recs.length, rejected, rejectedCount };
}
