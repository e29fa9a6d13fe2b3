/**
 * Turns the data rows of a snapshot into columnar arrays for the engine, rejecting rows that cannot
 * be used. Every rejection names the sheet cell (e.g. Data!C17) and says what is wrong with it.
 * Rules (src/engine/cells.ts readNumber, no text coercion):
 * - value, quantity, unit cost: blank -> "missing value"; text/boolean -> "non-numeric value";
 *   below 0 -> "negative value".
 * - history cells: blank -> 0 (no sale in that period); text -> "non-numeric value"; below 0 ->
 *   "negative value" (returns should be netted before segmenting); every cell blank -> "empty history".
 * - lead time, lead-time sd, order quantity: blank -> not given (the policy defaults apply);
 *   text or negative -> rejected as above.
 * - SKU id: blank -> "missing id"; the second and later rows with an id already seen -> "duplicate SKU"
 *   (the first row is kept). Fully blank rows are skipped without a message.
 */
import { readNumber } from "../engine/cells";
import { isCellError } from "../engine/errors";
import { rangeAddress, sheetCell } from "./a1";
import type { ColumnMapping } from "./mapping";
import { valueSource, type ValueSource } from "./mapping";
import type { RangeSnapshot } from "./ports";

export type RejectReason = "missing id" | "duplicate SKU" | "non-numeric value" | "negative value" | "missing value" | "empty history";

export interface Rejection {
  /** 0-based sheet row. */
  row: number;
  /** Sheet cell or range, e.g. "Data!C17". */
  address: string;
  reason: RejectReason;
  /** Full message, starting with the address: 'Data!C17: text "n/a" is not a number'. */
  message: string;
  sku: string;
}

export interface ParsedTable {
  sheetName: string;
  valueSource: ValueSource;
  /** Accepted rows. */
  n: number;
  periods: number;
  sku: string[];
  /** The SKU cell as it was read (a number stays a number), for writing it back with its type. */
  skuCell: (string | number)[];
  description: string[];
  /** 0-based sheet row of each accepted SKU. */
  sheetRow: Int32Array;
  value: Float64Array;
  /** NaN where not known (no unit cost column and no way to derive one). */
  unitCost: Float64Array;
  /** Row-major n x periods, oldest period first. */
  history: Float64Array;
  /** Per SKU, the index of its last non-blank history cell (periods - 1 when the row runs to the end). */
  lastFilled: Int32Array;
  /** NaN where blank or not mapped. */
  leadTime: Float64Array;
  leadTimeSd: Float64Array;
  orderQty: Float64Array;
  currentClass: (string | null)[];
  pinned: Uint8Array;
  /** Product family per SKU ("" when blank or not mapped): the forecast's family level groups by it. */
  family: string[];
  rejected: Rejection[];
  /** Data rows looked at (blank rows excluded). */
  rowsRead: number;
}

export interface ParseOptions {
  /** Periods per year of the history columns (52 weekly, 12 monthly); used for the history x cost value. */
  periodsPerYear: number;
  /** The history x cost value uses the mean of the last this many periods (null or absent: all). */
  demandWindow?: number | null;
}

const PIN_TRUE = new Set(["y", "yes", "x", "true", "1", "pin", "pinned", "strategic", "keep", "locked"]);

export function isPinned(cell: unknown): boolean {
  if (cell === true) return true;
  if (typeof cell === "number") return cell === 1;
  if (typeof cell === "string") return PIN_TRUE.has(cell.trim().toLowerCase());
  return false;
}

function isBlank(c: unknown): boolean {
  return c === null || c === undefined || (typeof c === "string" && c.trim() === "");
}

function skuText(c: unknown): string {
  if (typeof c === "number") return String(c);
  if (typeof c === "string") return c.trim();
  if (typeof c === "boolean") return c ? "TRUE" : "FALSE";
  return "";
}

class RowRejected extends Error {
  constructor(
    public readonly reason: RejectReason,
    public readonly address: string,
    public readonly detail: string,
  ) {
    super(detail);
  }
}

export function parseRows(snapshot: RangeSnapshot, mapping: ColumnMapping, options: ParseOptions): ParsedTable {
  const source = valueSource(mapping);
  if (!source || mapping.columns.sku === null || !mapping.history) {
    throw new Error("The column mapping is incomplete: map the SKU id, the demand history and a value (see the mapping editor).");
  }
  const { values, sheetName, firstRow, firstColumn } = snapshot;
  const cols = mapping.columns;
  const skuCol = cols.sku as number; // checked above
  const h0 = mapping.history.first;
  const periods = mapping.history.last - mapping.history.first + 1;
  const window = options.demandWindow ? Math.max(2, Math.min(periods, Math.floor(options.demandWindow))) : periods;
  const cap = Math.max(0, values.length - mapping.headerRow - 1);

  const sku: string[] = [];
  const skuCell: (string | number)[] = [];
  const description: string[] = [];
  const sheetRow = new Int32Array(cap);
  const value = new Float64Array(cap);
  const unitCost = new Float64Array(cap);
  const history = new Float64Array(cap * periods);
  const lastFilled = new Int32Array(cap);
  const leadTime = new Float64Array(cap);
  const leadTimeSd = new Float64Array(cap);
  const orderQty = new Float64Array(cap);
  const currentClass: (string | null)[] = [];
  const pinned = new Uint8Array(cap);
  const family: string[] = [];
  const rejected: Rejection[] = [];
  const seen = new Map<string, number>();
  let rowsRead = 0;
  let n = 0;

  const addr = (r: number, c: number) => sheetCell(sheetName, firstRow + r, firstColumn + c);

  for (let r = mapping.headerRow + 1; r < values.length; r++) {
    const row = values[r];
    if (!row || row.every(isBlank)) continue;
    rowsRead++;
    const id = skuText(row[skuCol]);
    try {
      if (id === "") throw new RowRejected("missing id", addr(r, skuCol), "the SKU id is blank");
      const first = seen.get(id);
      if (first !== undefined) {
        throw new RowRejected("duplicate SKU", addr(r, skuCol), `SKU "${id}" already appears in row ${firstRow + first + 1} (that row is kept)`);
      }
      const required = (c: number): number => {
        const v = readNumber(row[c], "reject");
        if (isCellError(v)) {
          if (isBlank(row[c])) throw new RowRejected("missing value", addr(r, c), "missing value (the cell is blank)");
          throw new RowRejected("non-numeric value", addr(r, c), v.message);
        }
        if (v < 0) throw new RowRejected("negative value", addr(r, c), `negative value ${v}`);
        return v;
      };
      const optional = (c: number | null): number => {
        if (c === null || isBlank(row[c])) return Number.NaN;
        return required(c);
      };
      // history first: its sum may be needed for the value
      const base = n * periods;
      let blanks = 0;
      let sum = 0;
      let filled = -1;
      for (let p = 0; p < periods; p++) {
        const cell = row[h0 + p];
        if (isBlank(cell)) {
          blanks++;
          history[base + p] = 0;
          continue;
        }
        filled = p;
        const v = readNumber(cell, "zero");
        if (isCellError(v)) throw new RowRejected("non-numeric value", addr(r, h0 + p), v.message);
        if (v < 0) throw new RowRejected("negative value", addr(r, h0 + p), `negative value ${v}`);
        history[base + p] = v;
        if (p >= periods - window) sum += v;
      }
      if (blanks === periods) {
        throw new RowRejected("empty history", rangeAddress(sheetName, firstRow + r, firstColumn + h0, 1, periods), "the demand history is empty (every period is blank)");
      }
      let cost = optional(cols.unitCost);
      let val: number;
      if (source === "value") val = required(cols.value as number);
      else if (source === "quantityCost") {
        const q = required(cols.quantity as number);
        cost = required(cols.unitCost as number);
        val = q * cost;
      } else {
        cost = required(cols.unitCost as number);
        val = (sum / window) * options.periodsPerYear * cost;
      }
      const lt = optional(cols.leadTime);
      const ltSd = optional(cols.leadTimeSd);
      const oq = optional(cols.orderQty);

      seen.set(id, r);
      sku.push(id);
      skuCell.push(typeof row[skuCol] === "number" ? (row[skuCol] as number) : id);
      lastFilled[n] = filled;
      description.push(cols.description === null ? "" : skuText(row[cols.description]));
      sheetRow[n] = firstRow + r;
      value[n] = val;
      unitCost[n] = cost;
      leadTime[n] = lt;
      leadTimeSd[n] = ltSd;
      orderQty[n] = oq;
      const cc = cols.currentClass === null ? "" : skuText(row[cols.currentClass]).toUpperCase();
      currentClass.push(cc === "" ? null : cc);
      pinned[n] = cols.pin !== null && isPinned(row[cols.pin]) ? 1 : 0;
      // a mapping remembered before the family field existed has no entry for it
      const fc = cols.family ?? null;
      family.push(fc === null ? "" : skuText(row[fc]));
      n++;
    } catch (e) {
      if (!(e instanceof RowRejected)) throw e;
      rejected.push({ row: firstRow + r, address: e.address, reason: e.reason, message: `${e.address}: ${e.detail}`, sku: id });
    }
  }

  return {
    sheetName,
    valueSource: source,
    n,
    periods,
    sku,
    skuCell,
    description,
    sheetRow: sheetRow.slice(0, n),
    value: value.slice(0, n),
    unitCost: unitCost.slice(0, n),
    history: history.slice(0, n * periods),
    lastFilled: lastFilled.slice(0, n),
    leadTime: leadTime.slice(0, n),
    leadTimeSd: leadTimeSd.slice(0, n),
    orderQty: orderQty.slice(0, n),
    currentClass,
    pinned: pinned.slice(0, n),
    family,
    rejected,
    rowsRead,
  };
}
