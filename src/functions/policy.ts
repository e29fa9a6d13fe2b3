/**
 * Bodies of the SEG policy custom functions (SAFETY_STOCK, REORDER_POINT, EOQ, Z_VALUE,
 * FILL_RATE_K, NORMAL_LOSS). functions.ts holds the JSDoc that Excel shows and calls these.
 *
 * Every argument is a single cell or a one-column (or one-row) range; columns are broadcast row by
 * row (broadcastRows) and the result spills down one column, one value per input row. A bad row
 * gets #VALUE! (or #N/A when the result is undefined for valid input) whose message names the row
 * and the argument; a wrong shape (a 2-D range, columns of different lengths) gives one #VALUE!.
 * Blank cells read as 0 (readNumber "zero": Excel desktop passes blanks as 0 anyway).
 */
import { CellError, cellError, isCellError } from "../engine/errors";
import { readNumber } from "../engine/cells";
import { eoq, fillRateK, reorderPoint, safetyStockUnits, SafetyStockMethod, zValue } from "../engine/inventory";
import { normalLoss } from "../engine/stats";
import { broadcastRows, ExcelMatrix, guard, isExcelColumn, toExcelError } from "./excel";

/** Engine field names as the user sees them in the formula builder. */
const ARGUMENT_NAMES: Record<string, string> = {
  serviceLevel: "service_level",
  demandMean: "demand_mean",
  demandSd: "demand_sd",
  leadTimeSd: "lead_time_sd",
  leadTime: "lead_time",
  reviewPeriod: "review_period",
  orderQty: "order_qty",
  safetyStock: "safety_stock",
  annualDemand: "annual_demand",
  orderCost: "order_cost",
  holdingCostPerUnitPerYear: "holding_cost",
  fillRate: "fill_rate",
};
const FIELD_PATTERN = new RegExp(`\\b(${Object.keys(ARGUMENT_NAMES).join("|")})\\b`, "g");

function rowPrefix(rows: number, i: number): string {
  return rows > 1 ? `row ${i + 1}: ` : "";
}

/** An engine CellError re-worded for the sheet: Excel argument names, and the row when there are several. */
function sheetError(e: CellError, rows: number, i: number): CustomFunctions.Error {
  return toExcelError({ kind: e.kind, message: rowPrefix(rows, i) + e.message.replace(FIELD_PATTERN, (f) => ARGUMENT_NAMES[f]) });
}

/** A cell that is not a usable number, reported with its argument name. */
function readError(e: CellError, arg: string, rows: number, i: number): CustomFunctions.Error {
  return toExcelError({ kind: e.kind, message: `${rowPrefix(rows, i)}${arg}: ${e.message}` });
}

/**
 * Broadcasts the arguments, reads each row's numeric cells and maps them through `compute`.
 * `names` lists the Excel argument names of the numeric arguments in the order `compute` receives
 * them in `x`; `other` holds non-numeric arguments, broadcast with the rest and handed to `compute`
 * as raw per-row getters.
 */
function spillRows(
  names: readonly string[],
  values: readonly unknown[],
  compute: (x: number[], i: number, other: Record<string, (i: number) => unknown>) => number | CellError,
  other: Record<string, unknown> = {},
): ExcelMatrix {
  const args: Record<string, unknown> = {};
  names.forEach((n, j) => (args[n] = values[j]));
  Object.assign(args, other);
  const b = broadcastRows(args);
  const rows = b.rows;
  const getters = names.map((n) => b.column(n));
  // Full-length Excel columns are read in place, without a call per cell: this is the hot path
  // for 100,000-row ranges. Everything else goes through the broadcast getters.
  const columns = values.map((v) => (isExcelColumn(v) && v.length === rows ? v : null));
  const otherGetters: Record<string, (i: number) => unknown> = {};
  for (const n of Object.keys(other)) otherGetters[n] = b.column(n);
  const out: ExcelMatrix = new Array(rows);
  const x = new Array<number>(names.length).fill(0);
  for (let i = 0; i < rows; i++) {
    let failed: CustomFunctions.Error | null = null;
    for (let j = 0; j < names.length; j++) {
      const column = columns[j];
      const raw = column !== null ? column[i][0] : getters[j](i);
      if (typeof raw === "number" && raw - raw === 0) {
        x[j] = raw; // fast path: a finite number needs no further reading
        continue;
      }
      const v = readNumber(raw, "zero");
      if (isCellError(v)) {
        failed = readError(v, names[j], rows, i);
        break;
      }
      x[j] = v;
    }
    if (failed) {
      out[i] = [failed];
      continue;
    }
    const r = compute(x, i, otherGetters);
    out[i] = [isCellError(r) ? sheetError(r, rows, i) : r];
  }
  return out;
}

/** Reads the method cell: blank (or 0, Excel desktop's blank) is "csl"; otherwise "csl" or "fill", any case. */
function readMethod(raw: unknown): SafetyStockMethod | CellError {
  if (raw === null || raw === undefined || raw === 0) return "csl";
  if (typeof raw === "string") {
    const s = raw.trim().toLowerCase();
    if (s === "" || s === "csl") return "csl";
    if (s === "fill") return "fill";
  }
  return cellError(`method must be "csl" or "fill", got ${typeof raw === "string" ? `"${raw}"` : String(raw)}`);
}

/** SEG.SAFETY_STOCK: k * sigma per row (see functions.ts for the conventions). */
export function safetyStockCells(
  serviceLevel: unknown,
  demandMean: unknown,
  demandSd: unknown,
  leadTime: unknown,
  leadTimeSd: unknown,
  reviewPeriod: unknown,
  method: unknown,
  orderQty: unknown,
): ExcelMatrix {
  return guard(() =>
    spillRows(
      ["service_level", "demand_mean", "demand_sd", "lead_time", "lead_time_sd", "review_period", "order_qty"],
      [serviceLevel, demandMean, demandSd, leadTime, leadTimeSd, reviewPeriod, orderQty],
      (x, i, other) => {
        const m = readMethod(other.method(i));
        if (isCellError(m)) return m;
        // order_qty 0 or blank means "not given" (Excel desktop cannot tell a blank from 0).
        return safetyStockUnits(x[0], m, x[1], x[2], x[3], x[4], x[5], x[6] === 0 ? undefined : x[6]);
      },
      { method },
    ),
  );
}

/** SEG.REORDER_POINT: d * L + SS (continuous) or d * (R + L) + SS (periodic) per row. */
export function reorderPointCells(demandMean: unknown, leadTime: unknown, safetyStockArg: unknown, reviewPeriod: unknown): ExcelMatrix {
  return guard(() =>
    spillRows(["demand_mean", "lead_time", "safety_stock", "review_period"], [demandMean, leadTime, safetyStockArg, reviewPeriod], (x) =>
      reorderPoint({ demandMean: x[0], leadTime: x[1], safetyStock: x[2], reviewPeriod: x[3] }),
    ),
  );
}

/** SEG.EOQ: sqrt(2 D S / H) per row. */
export function eoqCells(annualDemand: unknown, orderCost: unknown, holdingCost: unknown): ExcelMatrix {
  return guard(() => spillRows(["annual_demand", "order_cost", "holding_cost"], [annualDemand, orderCost, holdingCost], (x) => eoq(x[0], x[1], x[2])));
}

/** SEG.Z_VALUE: inverse standard normal of a cycle service level per row. */
export function zValueCells(serviceLevel: unknown): ExcelMatrix {
  return guard(() => spillRows(["service_level"], [serviceLevel], (x) => zValue(x[0])));
}

/** SEG.FILL_RATE_K: the k with G(k) = Q (1 - fill rate) / sigma per row. */
export function fillRateKCells(fillRate: unknown, orderQty: unknown, sigma: unknown): ExcelMatrix {
  return guard(() =>
    spillRows(["fill_rate", "order_qty", "sigma"], [fillRate, orderQty, sigma], (x) => fillRateK({ fillRate: x[0], orderQty: x[1], sigma: x[2] })),
  );
}

/** SEG.NORMAL_LOSS: G(k) per row (0 once it underflows, past k ~ 38.5). */
export function normalLossCells(k: unknown): ExcelMatrix {
  return guard(() => spillRows(["k"], [k], (x) => normalLoss(x[0])));
}
