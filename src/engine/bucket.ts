/**
 * Transactions to periods: a long table of dated movements (sku, date, quantity, optionally
 * location, customer, order type, transaction id) summed into one demand history per SKU (or per
 * SKU × location) over a dense period grid (src/engine/periods.ts), columnar.
 *
 * Rules, applied to each row in this order (the first that applies decides):
 * 1. duplicate: a row whose transaction id was already seen on an earlier row is rejected as a
 *    duplicate (the first row with the id is kept, whatever either row holds). Blank ids are not
 *    compared. The id must name one line (for order lines use order + line number).
 * 2. bad row: a date or quantity the parsers rejected (their message, naming the row), or a blank
 *    SKU, is rejected.
 * 3. excluded order type / customer: a row whose order type (or customer) is in the unticked set
 *    (compared trimmed and case-insensitively) is left out and counted.
 * 4. negative quantity (a return). `negatives`:
 *    - "exclude" (default): left out and counted as a return; demand is what customers asked for,
 *      and a return is not negative demand (the original sale stays in its period).
 *    - "net": subtracted in its own period; a SKU-period whose net is below 0 is set to 0 and
 *      counted (negativeNetCells).
 *    - "reject": rejected as a bad row.
 * 5. outside [from, to]: left out and counted (from/to default to the first and last date used).
 * Zero quantities count as rows used and add nothing.
 * Periods: every period of the calendar touching [from, to], oldest first; a period with no
 * transaction is 0. firstPartial / lastPartial say whether the first / last period is only partly
 * covered by [from, to] (a partial period understates demand: drop it or state from/to).
 * Summation: plain double addition in row order, per SKU-period.
 */
import { ArgumentError, CellError } from "./errors";
import { cancelled } from "./cancel";
import { Calendar, PeriodGrid, isoDate, periodGrid } from "./periods";

export type NegativeRule = "exclude" | "net" | "reject";

export interface TransactionColumns {
  rows: number;
  sku: ArrayLike<string>;
  /** Epoch days (parseDates). */
  day: Int32Array;
  /** Quantities (parseQuantities); NaN where unreadable. */
  quantity: Float64Array;
  location?: ArrayLike<string>;
  customer?: ArrayLike<string>;
  orderType?: ArrayLike<string>;
  transactionId?: ArrayLike<string>;
  /**
   * The transaction ids as codes instead of text (a dictionary-encoded column): equal codes for
   * equal ids, -1 for a blank id; `text(code)` gives an id's text for messages. Used when
   * transactionId is not given; the rules and messages are the same.
   */
  transactionIdCodes?: { codes: Int32Array; text(code: number): string };
  /** Rows the parsers rejected (date, quantity), by index; their messages are passed on. */
  issues?: ReadonlyMap<number, CellError>;
}

export interface BucketOptions {
  calendar: Calendar;
  negatives?: NegativeRule;
  /** Order types the planner unticked (e.g. "RE" returns, "ZFOC" free of charge). */
  excludeOrderTypes?: readonly string[];
  excludeCustomers?: readonly string[];
  /** One history per SKU × location (default true when a location column is given). */
  byLocation?: boolean;
  /** First and last day (epoch days, inclusive) to bucket; default: the data's range. */
  from?: number;
  to?: number;
  /** Row number of index 0 in messages (default 2). */
  rowBase?: number;
  onProgress?: (done: number, total: number) => void;
  signal?: { aborted: boolean };
}

export interface RejectedRow {
  /** 0-based index into the input columns. */
  index: number;
  reason: "duplicate" | "bad row" | "negative";
  message: string;
}

export interface BucketCounts {
  rows: number;
  used: number;
  rejected: number;
  duplicates: number;
  returns: number;
  excludedOrderType: number;
  excludedCustomer: number;
  outsideRange: number;
  zeroQuantity: number;
  negativeNetCells: number;
}

export interface BucketResult {
  /** Number of histories (SKUs, or SKU × location pairs), in order of first appearance. */
  n: number;
  periods: number;
  sku: string[];
  /** "" when there is no location column or byLocation is false. */
  location: string[];
  /** Row-major n × periods, oldest period first. */
  history: Float64Array;
  grid: PeriodGrid | null;
  /** Per history: first and last epoch day with a positive quantity used (-2^31 when none). */
  firstDemandDay: Int32Array;
  lastDemandDay: Int32Array;
  rejected: RejectedRow[];
  counts: BucketCounts;
}

const NONE = -2147483648;
const CHUNK = 65536;

function keySet(values: readonly string[] | undefined): Set<string> | null {
  if (!values || values.length === 0) return null;
  return new Set(values.map((v) => v.trim().toLowerCase()));
}

export function bucketTransactions(t: TransactionColumns, options: BucketOptions): BucketResult {
  const n = t.rows;
  for (const [name, col] of [
    ["sku", t.sku],
    ["day", t.day],
    ["quantity", t.quantity],
    ["location", t.location],
    ["customer", t.customer],
    ["orderType", t.orderType],
    ["transactionId", t.transactionId],
    ["transactionId", t.transactionIdCodes?.codes],
  ] as const) {
    if (col !== undefined && col.length !== n) throw new ArgumentError(name, `has ${col.length} rows, expected ${n}`);
  }
  const negatives = options.negatives ?? "exclude";
  if (negatives !== "exclude" && negatives !== "net" && negatives !== "reject") {
    throw new ArgumentError("negatives", `must be "exclude", "net" or "reject", got ${String(negatives)}`);
  }
  const rowBase = options.rowBase ?? 2;
  const byLocation = t.location !== undefined && options.byLocation !== false;
  const exOrder = keySet(options.excludeOrderTypes);
  const exCustomer = keySet(options.excludeCustomers);
  const parseIssues = t.issues;
  const { sku, day, quantity, location, orderType, customer, transactionId } = t;
  const counts: BucketCounts = {
    rows: n,
    used: 0,
    rejected: 0,
    duplicates: 0,
    returns: 0,
    excludedOrderType: 0,
    excludedCustomer: 0,
    outsideRange: 0,
    zeroQuantity: 0,
    negativeNetCells: 0,
  };
  const rejected: RejectedRow[] = [];
  const reject = (i: number, reason: RejectedRow["reason"], message: string) => {
    rejected.push({ index: i, reason, message });
    counts.rejected++;
  };

  // Pass 1: rules 1-4 and the history key of each kept row (-1 = not used).
  const rowKey = new Int32Array(n);
  const keys = new Map<string, number>();
  const keySku: string[] = [];
  const keyLoc: string[] = [];
  const seenIds = transactionId ? new Map<string, number>() : null;
  const idCodes = !transactionId && t.transactionIdCodes ? t.transactionIdCodes : null;
  let seenCodes: Int32Array | null = null;
  if (idCodes) {
    let top = -1;
    for (let i = 0; i < n; i++) if (idCodes.codes[i] > top) top = idCodes.codes[i];
    seenCodes = new Int32Array(top + 1).fill(-1);
  }
  const fromGiven = options.from;
  const toGiven = options.to;
  let minDay = 2147483647;
  let maxDay = NONE;
  const total = 2 * n;
  for (let i = 0; i < n; i++) {
    if ((i & (CHUNK - 1)) === 0 && i > 0) {
      if (options.signal?.aborted) throw cancelled("bucketing");
      options.onProgress?.(i, total);
    }
    rowKey[i] = -1;
    if (seenIds) {
      const id = transactionId![i];
      if (id !== undefined && id !== null && id !== "") {
        const first = seenIds.get(id);
        if (first !== undefined) {
          counts.duplicates++;
          reject(i, "duplicate", `row ${i + rowBase}: transaction id "${id}" already appears in row ${first + rowBase} (that row is kept)`);
          continue;
        }
        seenIds.set(id, i);
      }
    } else if (seenCodes) {
      const code = idCodes!.codes[i];
      if (code >= 0) {
        const first = seenCodes[code];
        if (first >= 0) {
          counts.duplicates++;
          reject(i, "duplicate", `row ${i + rowBase}: transaction id "${idCodes!.text(code)}" already appears in row ${first + rowBase} (that row is kept)`);
          continue;
        }
        seenCodes[code] = i;
      }
    }
    const pi = parseIssues?.get(i);
    if (pi) {
      reject(i, "bad row", pi.message);
      continue;
    }
    const s = sku[i];
    const id = typeof s === "string" ? s.trim() : "";
    if (id === "") {
      reject(i, "bad row", `row ${i + rowBase}: sku is blank`);
      continue;
    }
    const q = quantity[i];
    if (!(q > -Infinity && q < Infinity)) {
      reject(i, "bad row", `row ${i + rowBase}: quantity ${q} is not a finite number`);
      continue;
    }
    if (exOrder && orderType && exOrder.has(String(orderType[i] ?? "").trim().toLowerCase())) {
      counts.excludedOrderType++;
      continue;
    }
    if (exCustomer && customer && exCustomer.has(String(customer[i] ?? "").trim().toLowerCase())) {
      counts.excludedCustomer++;
      continue;
    }
    if (q < 0) {
      if (negatives === "exclude") {
        counts.returns++;
        continue;
      }
      if (negatives === "reject") {
        reject(i, "negative", `row ${i + rowBase}: quantity ${q} is negative (returns are rejected under negatives "reject")`);
        continue;
      }
    }
    const d = day[i];
    if ((fromGiven !== undefined && d < fromGiven) || (toGiven !== undefined && d > toGiven)) {
      counts.outsideRange++;
      continue;
    }
    if (d < minDay) minDay = d;
    if (d > maxDay) maxDay = d;
    const loc = byLocation ? String(location![i] ?? "").trim() : "";
    const k = byLocation ? `${id}\u0001${loc}` : id;
    let key = keys.get(k);
    if (key === undefined) {
      key = keySku.length;
      keys.set(k, key);
      keySku.push(id);
      keyLoc.push(loc);
    }
    rowKey[i] = key;
  }

  const m = keySku.length;
  const from = fromGiven ?? minDay;
  const to = toGiven ?? maxDay;
  if (m === 0 || maxDay === NONE) {
    return {
      n: 0,
      periods: 0,
      sku: [],
      location: [],
      history: new Float64Array(0),
      grid: null,
      firstDemandDay: new Int32Array(0),
      lastDemandDay: new Int32Array(0),
      rejected,
      counts,
    };
  }
  const grid = periodGrid(options.calendar, from, to);
  const p = grid.count;
  if (m * p > 2 ** 31) throw new ArgumentError("transactions", `${m} histories × ${p} periods is too large for one table: split by location or narrow from/to`);
  const history = new Float64Array(m * p);
  const firstDemandDay = new Int32Array(m).fill(NONE);
  const lastDemandDay = new Int32Array(m).fill(NONE);
  const dayColumn = grid.dayColumn;

  // Pass 2: sum into the grid.
  for (let i = 0; i < n; i++) {
    if ((i & (CHUNK - 1)) === 0 && i > 0) {
      if (options.signal?.aborted) throw cancelled("bucketing");
      options.onProgress?.(n + i, total);
    }
    const key = rowKey[i];
    if (key < 0) continue;
    const q = quantity[i];
    const d = day[i];
    history[key * p + dayColumn[d - from]] += q;
    counts.used++;
    if (q === 0) counts.zeroQuantity++;
    else if (q > 0) {
      if (firstDemandDay[key] === NONE || d < firstDemandDay[key]) firstDemandDay[key] = d;
      if (d > lastDemandDay[key]) lastDemandDay[key] = d;
    }
  }
  if (negatives === "net") {
    for (let j = 0; j < history.length; j++) {
      if (history[j] < 0) {
        history[j] = 0;
        counts.negativeNetCells++;
      }
    }
  }
  options.onProgress?.(total, total);
  return { n: m, periods: p, sku: keySku, location: keyLoc, history, grid, firstDemandDay, lastDemandDay, rejected, counts };
}

/** One line for a data-quality note: what was used, left out and rejected. */
export function describeBucketCounts(c: BucketCounts, grid: PeriodGrid | null): string {
  const parts = [`${c.used} of ${c.rows} rows used`];
  if (grid) parts.push(`${grid.count} periods ${grid.labels[0]}..${grid.labels[grid.count - 1]} (${isoDate(grid.from)} to ${isoDate(grid.to)})`);
  if (c.rejected) parts.push(`${c.rejected} rejected${c.duplicates ? ` (${c.duplicates} duplicate ids)` : ""}`);
  if (c.returns) parts.push(`${c.returns} returns left out`);
  if (c.excludedOrderType) parts.push(`${c.excludedOrderType} rows of unticked order types`);
  if (c.excludedCustomer) parts.push(`${c.excludedCustomer} rows of excluded customers`);
  if (c.outsideRange) parts.push(`${c.outsideRange} outside the date range`);
  if (c.negativeNetCells) parts.push(`${c.negativeNetCells} SKU-periods netted below 0 set to 0`);
  if (grid?.firstPartial) parts.push(`first period ${grid.labels[0]} only partly covered`);
  if (grid?.lastPartial) parts.push(`last period ${grid.labels[grid.count - 1]} only partly covered`);
  return parts.join("; ");
}

