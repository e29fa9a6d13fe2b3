/**
 * Turns the data rows of a finance snapshot into the engine's FinanceRows (src/engine/reconcile.ts),
 * rejecting rows that cannot be used. Every rejection names the sheet cell and says what is wrong.
 * Rules (src/engine/cells.ts readNumber: text is never read as a number):
 * - SKU: blank -> "missing id". Kept as the cell holds it (a number stays a number, text keeps its
 *   spaces and case): the reconciliation's join rules decide what matches, and report it.
 *   TRUE/FALSE are read as the text "TRUE"/"FALSE".
 * - book value: blank -> "missing value"; text/boolean -> "non-numeric value". Negative values are
 *   valid (reserves, credit balances).
 * - quantity: blank -> not given; text -> "non-numeric value"; negative valid (negative stock).
 * - currency (when mapped): blank -> "missing currency"; otherwise trimmed and upper-cased.
 * - category, entity: text trimmed, numbers as their digits (GL account 140000); blank -> "".
 * - Several rows with the same SKU are NOT rejected here: the reconciliation lists them as duplicates.
 * Fully blank rows are skipped without a message.
 */
import { readNumber } from "../engine/cells";
import { isCellError } from "../engine/errors";
import type { FinanceRows, SkuCell } from "../engine/reconcile";
import { sheetCell } from "./a1";
import type { FinanceMapping } from "./financeMapping";
import type { RangeSnapshot } from "./ports";

export type FinanceRejectReason = "missing id" | "missing value" | "non-numeric value" | "missing currency";

export interface FinanceRejection {
  /** 1-based sheet row. */
  row: number;
  /** Sheet cell, e.g. "Finance!C17". */
  address: string;
  reason: FinanceRejectReason;
  /** Starts with the address: 'Finance!C17: text "1,234.50" is not a number'. */
  message: string;
  sku: string;
}

export interface FinanceTable extends FinanceRows {
  sheetName: string;
  rejected: FinanceRejection[];
  /** Data rows looked at (blank rows excluded). */
  rowsRead: number;
}

function isBlank(c: unknown): boolean {
  return c === null || c === undefined || (typeof c === "string" && c.trim() === "");
}

function text(c: unknown): string {
  if (typeof c === "number") return String(c);
  if (typeof c === "string") return c.trim();
  if (typeof c === "boolean") return c ? "TRUE" : "FALSE";
  return "";
}

export function parseFinanceRows(snapshot: RangeSnapshot, mapping: FinanceMapping): FinanceTable {
  const c = mapping.columns;
  if (c.sku === null || c.bookValue === null) throw new Error("The finance mapping is incomplete: map the SKU and the book value (see the mapping editor).");
  const skuCol = c.sku;
  const valueCol = c.bookValue;
  const { values, sheetName, firstRow, firstColumn } = snapshot;
  const cap = Math.max(0, values.length - mapping.headerRow - 1);
  const sku: SkuCell[] = [];
  const category: string[] = [];
  const currency: string[] = [];
  const entity: string[] = [];
  const bookValue = new Float64Array(cap);
  const quantity = new Float64Array(cap);
  const sourceRow = new Int32Array(cap);
  const rejected: FinanceRejection[] = [];
  let n = 0;
  let rowsRead = 0;
  const addr = (r: number, col: number) => sheetCell(sheetName, firstRow + r, firstColumn + col);

  for (let r = mapping.headerRow + 1; r < values.length; r++) {
    const row = values[r];
    if (!row || row.every(isBlank)) continue;
    rowsRead++;
    const id = row[skuCol];
    const reject = (reason: FinanceRejectReason, col: number, detail: string) => {
      const address = addr(r, col);
      rejected.push({ row: firstRow + r + 1, address, reason, message: `${address}: ${detail}`, sku: text(id) });
    };
    if (isBlank(id)) {
      reject("missing id", skuCol, "the SKU is blank");
      continue;
    }
    const v = readNumber(row[valueCol], "reject");
    if (isCellError(v)) {
      if (isBlank(row[valueCol])) reject("missing value", valueCol, "the book value is blank");
      else reject("non-numeric value", valueCol, `book value: ${v.message}`);
      continue;
    }
    let q = Number.NaN;
    if (c.quantity !== null && !isBlank(row[c.quantity])) {
      const x = readNumber(row[c.quantity], "reject");
      if (isCellError(x)) {
        reject("non-numeric value", c.quantity, `quantity: ${x.message}`);
        continue;
      }
      q = x;
    }
    let cur = "";
    if (c.currency !== null) {
      cur = text(row[c.currency]).toUpperCase();
      if (cur === "") {
        reject("missing currency", c.currency, "the currency is blank");
        continue;
      }
    }
    sku.push(typeof id === "number" ? id : typeof id === "boolean" ? (id ? "TRUE" : "FALSE") : String(id));
    category.push(c.category === null ? "" : text(row[c.category]));
    currency.push(cur);
    entity.push(c.entity === null ? "" : text(row[c.entity]));
    bookValue[n] = v;
    quantity[n] = q;
    sourceRow[n] = firstRow + r + 1;
    n++;
  }
  return {
    sheetName,
    sku,
    category,
    bookValue: bookValue.slice(0, n),
    quantity: c.quantity === null ? undefined : quantity.slice(0, n),
    currency: c.currency === null ? undefined : currency,
    entity: c.entity === null ? undefined : entity,
    sourceRow: sourceRow.slice(0, n),
    rejected,
    rowsRead,
  };
}
