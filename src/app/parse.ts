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
 * - policy columns (order multiple, MOQ, location and its capacity, unit volume, lifecycle status,
 *   phase-out start and last-buy dates, floor, supplier, analog, family) never reject a row: the
 *   classification does not use them. A bad cell is a PolicyIssue naming the cell (text in a
 *   number column, a capacity or order multiple of 0 or below, an MOQ that is not a multiple of
 *   the row's order multiple, a capacity that differs from the one given for the same location,
 *   a date that is not a date, an unknown lifecycle status), and the Write stops until it is fixed.
 * - a row whose history is all blank is accepted as a new SKU (noHistory) when its lifecycle
 *   status is "new" or it names an analog or a family: its demand comes from them
 *   (src/engine/policy/lifecycle.ts); its value may then be blank (0).
 */
import { readNumber } from "../engine/cells";
import { isCellError } from "../engine/errors";
import { isMultipleOf } from "../engine/rounding";
import { rangeAddress, sheetCell } from "./a1";
import type { ColumnMapping, MappingField } from "./mapping";
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

/** A problem with a policy column's cell: it does not reject the row, it stops the Write. */
export interface PolicyIssue {
  /** 0-based sheet row. */
  row: number;
  /** Sheet cell, e.g. "Data!M17". */
  address: string;
  sku: string;
  field: MappingField;
  /** Full message, starting with the address. */
  message: string;
}

export interface ParsedTable {
  sheetName: string;
  /** 0-based sheet column of the range's first column (mapping columns are relative to it). */
  firstColumn: number;
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
  /** Policy columns; NaN or "" where blank or not mapped. Dates are Excel serials. */
  orderMultiple: Float64Array;
  moq: Float64Array;
  location: string[];
  locationCapacity: Float64Array;
  unitVolume: Float64Array;
  /** "active", "eol", "new" (normalised; "" when blank). */
  lifecycle: string[];
  phaseOutStart: Float64Array;
  lastBuy: Float64Array;
  floor: Float64Array;
  supplier: string[];
  analog: string[];
  family: string[];
  /** 1 = every history cell blank: a new SKU (see the module comment). */
  noHistory: Uint8Array;
  /** Problems of the policy columns, one per bad cell. */
  policyIssues: PolicyIssue[];
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

const LIFECYCLE: Record<string, string> = { active: "active", eol: "eol", "end of life": "eol", "phase-out": "eol", "phase out": "eol", phaseout: "eol", discontinued: "eol", obsolete: "eol", new: "new" };
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** An ISO date text (2026-05-01) as an Excel serial; NaN when it is not one. */
export function isoDateSerial(text: string): number {
  const m = ISO_DATE.exec(text.trim());
  if (!m) return Number.NaN;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const back = new Date(ms);
  if (back.getUTCMonth() !== Number(m[2]) - 1) return Number.NaN;
  return ms / 86400000 + 25569;
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
  const orderMultiple = new Float64Array(cap);
  const moq = new Float64Array(cap);
  const location: string[] = [];
  const locationCapacity = new Float64Array(cap);
  const unitVolume = new Float64Array(cap);
  const lifecycle: string[] = [];
  const phaseOutStart = new Float64Array(cap);
  const lastBuy = new Float64Array(cap);
  const floor = new Float64Array(cap);
  const supplier: string[] = [];
  const analog: string[] = [];
  const family: string[] = [];
  const noHistory = new Uint8Array(cap);
  const policyIssues: PolicyIssue[] = [];
  /** Capacity per location as first given, and where. */
  const capacityOf = new Map<string, { value: number; address: string }>();
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
        if (c == null || isBlank(row[c])) return Number.NaN;
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
      const text = (c: number | null | undefined) => (c == null ? "" : skuText(row[c]));
      const status = text(cols.lifecycle).toLowerCase();
      const isNew = blanks === periods && (LIFECYCLE[status] === "new" || text(cols.analog) !== "" || text(cols.family) !== "");
      if (blanks === periods && !isNew) {
        throw new RowRejected("empty history", rangeAddress(sheetName, firstRow + r, firstColumn + h0, 1, periods), "the demand history is empty (every period is blank)");
      }
      let cost = optional(cols.unitCost);
      let val: number;
      if (isNew && source === "value" && isBlank(row[cols.value as number])) val = 0;
      else if (source === "value") val = required(cols.value as number);
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
      // policy columns: problems are issues, the row stays
      const issue = (field: MappingField, c: number, detail: string) => {
        const address = addr(r, c);
        policyIssues.push({ row: firstRow + r, address, sku: id, field, message: `${address}: ${detail}` });
      };
      const policyNumber = (field: MappingField, positive: boolean, what: string): number => {
        const c = cols[field];
        if (c == null || isBlank(row[c])) return Number.NaN;
        const v = readNumber(row[c], "reject");
        if (isCellError(v)) {
          issue(field, c, `${what}: ${v.message}`);
          return Number.NaN;
        }
        if (positive ? !(v > 0) : !(v >= 0)) {
          issue(field, c, `${what} must be ${positive ? "above 0" : "0 or more"}, got ${v}`);
          return Number.NaN;
        }
        return v;
      };
      const policyDate = (field: MappingField, what: string): number => {
        const c = cols[field];
        if (c == null || isBlank(row[c])) return Number.NaN;
        const cell = row[c];
        const v = typeof cell === "number" && Number.isFinite(cell) ? cell : typeof cell === "string" ? isoDateSerial(cell) : Number.NaN;
        if (!(v > 0)) issue(field, c, `${what} ${JSON.stringify(cell)} is not a date (enter a date, e.g. 2026-05-01)`);
        return v > 0 ? v : Number.NaN;
      };
      orderMultiple[n] = policyNumber("orderMultiple", true, "order multiple");
      moq[n] = policyNumber("moq", false, "MOQ");
      if (moq[n] > 0 && orderMultiple[n] > 0 && !isMultipleOf(moq[n], orderMultiple[n])) {
        issue("moq", cols.moq as number, `MOQ ${moq[n]} is not a multiple of the order multiple ${orderMultiple[n]} (${addr(r, cols.orderMultiple as number)})`);
        moq[n] = Number.NaN;
      }
      const loc = text(cols.location);
      location.push(loc);
      locationCapacity[n] = policyNumber("locationCapacity", true, "capacity");
      if (locationCapacity[n] === locationCapacity[n]) {
        const seenCap = capacityOf.get(loc);
        if (!seenCap) capacityOf.set(loc, { value: locationCapacity[n], address: addr(r, cols.locationCapacity as number) });
        else if (Math.abs(seenCap.value - locationCapacity[n]) > 1e-9 * Math.max(1, seenCap.value)) {
          issue("locationCapacity", cols.locationCapacity as number, `capacity ${locationCapacity[n]} differs from ${seenCap.value} given for location ${loc || "(blank)"} in ${seenCap.address}: give one capacity per location`);
        }
      }
      unitVolume[n] = policyNumber("unitVolume", true, "unit volume");
      const life = status === "" ? "" : LIFECYCLE[status];
      if (life === undefined) issue("lifecycle", cols.lifecycle as number, `lifecycle status must be active, eol or new, got ${JSON.stringify(text(cols.lifecycle))}`);
      lifecycle.push(life ?? "");
      phaseOutStart[n] = policyDate("phaseOutStart", "phase-out start");
      lastBuy[n] = policyDate("lastBuy", "last-buy date");
      floor[n] = policyNumber("floor", false, "floor");
      supplier.push(text(cols.supplier));
      analog.push(text(cols.analog));
      family.push(text(cols.family));
      noHistory[n] = isNew ? 1 : 0;
      n++;
    } catch (e) {
      if (!(e instanceof RowRejected)) throw e;
      rejected.push({ row: firstRow + r, address: e.address, reason: e.reason, message: `${e.address}: ${e.detail}`, sku: id });
    }
  }

  return {
    sheetName,
    firstColumn,
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
    orderMultiple: orderMultiple.slice(0, n),
    moq: moq.slice(0, n),
    location,
    locationCapacity: locationCapacity.slice(0, n),
    unitVolume: unitVolume.slice(0, n),
    lifecycle,
    phaseOutStart: phaseOutStart.slice(0, n),
    lastBuy: lastBuy.slice(0, n),
    floor: floor.slice(0, n),
    supplier,
    analog,
    family,
    noHistory: noHistory.slice(0, n),
    policyIssues,
    rejected,
    rowsRead,
  };
}
