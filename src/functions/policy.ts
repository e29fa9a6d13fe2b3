/**
 * The SEG policy custom functions (SAFETY_STOCK, REORDER_POINT, FILL_RATE, EOQ, Z_VALUE,
 * FILL_RATE_K, NORMAL_LOSS): their entry points (JSDoc = formula-builder help) at the end, the
 * argument shaping around src/engine/inventory.ts and src/engine/policy/levels.ts above them.
 * The [distribution] argument (SAFETY_STOCK, REORDER_POINT, FILL_RATE): blank (or Excel
 * desktop's 0) or "normal" keeps the results the functions gave before the argument existed;
 * "poisson", "negbin", "gamma" or "auto" take the levels from that lead-time demand distribution
 * (docs/functions-policy.md).
 *
 * Every argument is a single cell or a one-column (or one-row) range; columns are broadcast row by
 * row (broadcastRows) and the result spills one value per input row, down a column or, for a
 * one-row input, along a row. A bad row
 * gets #VALUE! (or #N/A when the result is undefined for valid input) whose message names the row
 * and the argument; a wrong shape (a 2-D range, columns of different lengths) gives one #VALUE!.
 * Blank cells read as 0 (readNumber "zero": Excel desktop passes blanks as 0 anyway).
 */
import { CellError, cellError, isCellError } from "../engine/errors";
import { readNumber } from "../engine/cells";
import { parseDistribution, type DistributionChoice } from "../engine/distributions";
import { eoq, fillRateK, reorderPoint, safetyStockColumns, SafetyStockMethod, zValue } from "../engine/inventory";
import { distributionPolicyColumns, fillRateOfPolicyColumns, reorderPointByDistributionColumns } from "../engine/policy/levels";
import { normalLoss } from "../engine/stats";
import { asVector, broadcastRows, ExcelMatrix, guard, isExcelColumn, isOmitted, readOption, spillAs, toExcelError } from "./excel";

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
  reorderPoint: "reorder_point",
  distribution: "distribution",
};
const FIELD_PATTERN = new RegExp(`\\b(${Object.keys(ARGUMENT_NAMES).join("|")})\\b`, "g");

/** "row N: " in front of every row's problem, one row or many (the same wording as every SEG function). */
function rowPrefix(_rows: number, i: number): string {
  return `row ${i + 1}: `;
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
  return spillAs(out, b.orientation);
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

/**
 * Scratch columns reused from call to call: allocating eight fresh 100,000-row Float64Arrays per
 * call costs more in garbage collection than the formulas. Kept only up to POOL_MAX_ROWS rows
 * (16 MB for nine columns); bigger calls allocate and let go.
 */
const POOL_MAX_ROWS = 1 << 18;
const pool: Float64Array[] = [];

function scratchColumn(slot: number, rows: number): Float64Array {
  if (rows > POOL_MAX_ROWS) return new Float64Array(rows);
  let buf = pool[slot];
  if (!buf || buf.length < rows) pool[slot] = buf = new Float64Array(Math.max(rows, 1024));
  return buf.subarray(0, rows);
}

/** A single cell or an omitted argument (one value for every row), as opposed to a column or a row. */
function isSingle(value: unknown): boolean {
  if (!Array.isArray(value) || value.length === 0) return true;
  return value.length === 1 && (!Array.isArray(value[0]) || value[0].length <= 1);
}

/**
 * One numeric argument into `buf` (readNumber's rules: blank is 0). A cell that is not a number
 * gets NaN and, unless the row already has one, an error in `problems` naming the argument.
 * Full-length Excel columns are read in place and a single cell is read once.
 */
function readColumn(value: unknown, get: (i: number) => unknown, buf: Float64Array, name: string, problems: Map<number, CustomFunctions.Error>): void {
  const rows = buf.length;
  const slow = (raw: unknown, i: number) => {
    const v = readNumber(raw, "zero");
    if (!isCellError(v)) return v;
    if (!problems.has(i)) problems.set(i, readError(v, name, rows, i));
    return Number.NaN;
  };
  if (isExcelColumn(value) && value.length === rows) {
    for (let i = 0; i < rows; i++) {
      const raw = value[i][0];
      buf[i] = typeof raw === "number" && raw - raw === 0 ? raw : slow(raw, i);
    }
  } else if (isSingle(value) || rows === 1) {
    const first = readNumber(get(0), "zero");
    if (isCellError(first)) for (let i = 0; i < rows; i++) buf[i] = slow(get(i), i);
    else buf.fill(first);
  } else {
    for (let i = 0; i < rows; i++) buf[i] = slow(get(i), i);
  }
}

/**
 * SEG.SAFETY_STOCK: k * sigma per row (see functions.ts for the conventions). Reads each argument
 * into a column, hands the columns to the engine's batch loop, and maps the results back to cells:
 * the shape of the work that keeps 100,000 rows well under the 50 ms target.
 */
export function safetyStockCells(
  serviceLevel: unknown,
  demandMean: unknown,
  demandSd: unknown,
  leadTime: unknown,
  leadTimeSd: unknown,
  reviewPeriod: unknown,
  method: unknown,
  orderQty: unknown,
  distribution: unknown = null,
): ExcelMatrix {
  return guard(() => {
    const fast = safetyStockCslColumns(serviceLevel, demandMean, demandSd, leadTime, leadTimeSd, reviewPeriod, method, orderQty, distribution);
    if (fast !== null) return fast;
    const names = [...SAFETY_STOCK_NAMES, "order_qty"];
    const values = [serviceLevel, demandMean, demandSd, leadTime, leadTimeSd, reviewPeriod, orderQty];
    const args: Record<string, unknown> = {};
    names.forEach((n, j) => (args[n] = values[j]));
    args.method = method;
    args.distribution = distribution;
    const b = broadcastRows(args);
    const rows = b.rows;
    // Problems found while reading, by row; the first argument (in order) with a bad cell wins.
    const problems = new Map<number, CustomFunctions.Error>();
    const [sl, dm, ds, lt, lts, rp, oq] = names.map((n, j) => {
      const buf = scratchColumn(j, rows);
      readColumn(values[j], b.column(n), buf, n, problems);
      return buf;
    });
    // order_qty 0 or blank means "not given" (Excel desktop cannot tell a blank from 0).
    for (let i = 0; i < rows; i++) if (oq[i] === 0) oq[i] = Number.NaN;
    const methods = readMethods(method, b.column("method"), rows, problems);
    const dists = readDistributions(distribution, b.column("distribution"), rows, problems);
    // "normal" everywhere (or blank): exactly the computation of the function before [distribution]
    const { safetyStock, errors } =
      dists === "normal"
        ? safetyStockColumns(
            { rows, serviceLevel: sl, demandMean: dm, demandSd: ds, leadTime: lt, leadTimeSd: lts, reviewPeriod: rp, orderQty: oq, method: methods },
            scratchColumn(names.length, rows),
          )
        : distributionPolicyColumns({ rows, serviceLevel: sl, demandMean: dm, demandSd: ds, leadTime: lt, leadTimeSd: lts, reviewPeriod: rp, orderQty: oq, method: methods, distribution: dists });
    const out: ExcelMatrix = new Array(rows);
    const checkProblems = problems.size > 0;
    for (let i = 0; i < rows; i++) {
      const v = safetyStock[i];
      if (v === v && !(checkProblems && problems.has(i))) {
        out[i] = [v]; // its own array literal, which only ever holds a number (no boxing)
        continue;
      }
      out[i] = [problems.get(i) ?? sheetError(errors.get(i) ?? cellError("no result"), rows, i)];
    }
    return spillAs(out, b.orientation);
  });
}

/** What broadcastRows hands on for a single-cell (isSingle) or omitted argument: its one value. */
function singleValue(value: unknown, name: string): unknown {
  return isOmitted(value) ? null : asVector(value, name)[0];
}

/**
 * safetyStockCells for its common call, and only that: every numeric argument a full-length Excel
 * column ([[x], [x], ...], at least two rows, all of one length) or a single cell (omitted or
 * blank is 0, as readColumn reads it), every column cell a finite number, order_qty omitted, method "csl" (or blank) and distribution "normal" (or blank),
 * each a single cell. There broadcastRows and readColumn would find nothing to report, so the
 * columns are checked and read in one pass each (instead of a shape scan in broadcastRows, another
 * in readColumn, then the read) and go to the same engine call. Anything else (a text or blank
 * cell, another shape, a per-row method) returns null, found at the latest in that pass, and the
 * general path runs from the start: the same results and messages either way.
 */
function safetyStockCslColumns(
  serviceLevel: unknown,
  demandMean: unknown,
  demandSd: unknown,
  leadTime: unknown,
  leadTimeSd: unknown,
  reviewPeriod: unknown,
  method: unknown,
  orderQty: unknown,
  distribution: unknown,
): ExcelMatrix | null {
  if (!isOmitted(orderQty) || !isSingle(method) || !isSingle(distribution)) return null;
  if (readMethod(singleValue(method, "method")) !== "csl" || readDistribution(singleValue(distribution, "distribution")) !== "normal") return null;
  const values = [serviceLevel, demandMean, demandSd, leadTime, leadTimeSd, reviewPeriod];
  let rows = 0;
  for (const v of values) {
    if (isSingle(v)) continue;
    if (!Array.isArray(v) || v.length < 2 || (rows !== 0 && v.length !== rows)) return null;
    rows = v.length;
  }
  if (rows === 0) return null;
  const columns: Float64Array[] = [];
  for (let j = 0; j < values.length; j++) {
    const v = values[j];
    const buf = scratchColumn(j, rows);
    if (isSingle(v)) {
      const x = readNumber(singleValue(v, SAFETY_STOCK_NAMES[j]), "zero"); // readColumn's rule: omitted or blank is 0
      if (isCellError(x)) return null;
      buf.fill(x);
    } else {
      const column = v as unknown[];
      for (let i = 0; i < rows; i++) {
        const row = column[i];
        if (!Array.isArray(row) || row.length !== 1) return null;
        const x: unknown = row[0];
        if (typeof x !== "number" || x - x !== 0) return null;
        buf[i] = x;
      }
    }
    columns.push(buf);
  }
  const [sl, dm, ds, lt, lts, rp] = columns;
  const oq = scratchColumn(6, rows).fill(Number.NaN);
  const { safetyStock, errors } = safetyStockColumns(
    { rows, serviceLevel: sl, demandMean: dm, demandSd: ds, leadTime: lt, leadTimeSd: lts, reviewPeriod: rp, orderQty: oq, method: "csl" },
    scratchColumn(7, rows),
  );
  const out: ExcelMatrix = new Array(rows);
  for (let i = 0; i < rows; i++) {
    const v = safetyStock[i];
    out[i] = v === v ? [v] : [sheetError(errors.get(i) ?? cellError("no result"), rows, i)];
  }
  return out; // a column: every argument longer than one cell is one
}

const SAFETY_STOCK_NAMES = ["service_level", "demand_mean", "demand_sd", "lead_time", "lead_time_sd", "review_period"];

/** The method argument: one method for every row when it is a single cell, else one per row. */
function readMethods(
  value: unknown,
  get: (i: number) => unknown,
  rows: number,
  problems: Map<number, CustomFunctions.Error>,
): SafetyStockMethod | SafetyStockMethod[] {
  if (isSingle(value)) {
    const m = readMethod(get(0));
    if (typeof m === "string") return m;
  }
  const methods = new Array<SafetyStockMethod>(rows);
  let lastRaw: unknown = undefined;
  let last: SafetyStockMethod | CellError = "csl";
  for (let i = 0; i < rows; i++) {
    const raw = get(i);
    if (i === 0 || raw !== lastRaw) {
      lastRaw = raw;
      last = readMethod(raw);
    }
    if (typeof last === "string") {
      methods[i] = last;
    } else {
      methods[i] = "csl";
      if (!problems.has(i)) problems.set(i, sheetError(last, rows, i));
    }
  }
  return methods;
}

/** One distribution cell: blank, Excel desktop's blank (0) or a name (parseDistribution). */
function readDistribution(raw: unknown): DistributionChoice | CellError {
  return raw === 0 ? "normal" : parseDistribution(raw);
}

/**
 * The distribution argument: one choice for every row when it is a single cell (the string
 * "normal" then also says: the function's computation before the argument existed), else one per
 * row; a bad cell spoils its row (its problem in `problems`).
 */
function readDistributions(value: unknown, get: (i: number) => unknown, rows: number, problems: Map<number, CustomFunctions.Error>): DistributionChoice | DistributionChoice[] {
  if (isSingle(value)) {
    const d = readDistribution(get(0));
    if (typeof d === "string") return d;
  }
  const out = new Array<DistributionChoice>(rows);
  let allNormal = true;
  let lastRaw: unknown = undefined;
  let last: DistributionChoice | CellError = "normal";
  for (let i = 0; i < rows; i++) {
    const raw = get(i);
    if (i === 0 || raw !== lastRaw) {
      lastRaw = raw;
      last = readDistribution(raw);
    }
    if (typeof last === "string") out[i] = last;
    else {
      out[i] = "normal";
      if (!problems.has(i)) problems.set(i, sheetError(last, rows, i));
    }
    if (out[i] !== "normal") allNormal = false;
  }
  return allNormal ? "normal" : out;
}

/**
 * SEG.REORDER_POINT: d * L + SS (continuous) or d * (R + L) + SS (periodic) per row; with a
 * discrete distribution the level is rounded up to a whole unit.
 */
export function reorderPointCells(demandMean: unknown, leadTime: unknown, safetyStockArg: unknown, reviewPeriod: unknown, distribution: unknown = null): ExcelMatrix {
  return guard(() => {
    const names = ["demand_mean", "lead_time", "safety_stock", "review_period"];
    const values = [demandMean, leadTime, safetyStockArg, reviewPeriod];
    const args: Record<string, unknown> = { distribution };
    names.forEach((n, j) => (args[n] = values[j]));
    const b = broadcastRows(args);
    const rows = b.rows;
    const problems = new Map<number, CustomFunctions.Error>();
    const dists = readDistributions(distribution, b.column("distribution"), rows, problems);
    if (dists === "normal" && problems.size === 0) {
      return spillRows(names, values, (x) => reorderPoint({ demandMean: x[0], leadTime: x[1], safetyStock: x[2], reviewPeriod: x[3] }), { distribution });
    }
    const [dm, lt, ss, rp] = names.map((n, j) => {
      const buf = scratchColumn(j, rows);
      readColumn(values[j], b.column(n), buf, n, problems);
      return buf;
    });
    const r = reorderPointByDistributionColumns({ rows, demandMean: dm, leadTime: lt, safetyStock: ss, reviewPeriod: rp, distribution: dists });
    return spillAs(mapResults(r.reorderPoint, r.errors, problems, rows), b.orientation);
  });
}

/** Results back to cells: a number, or the row's reading problem, or its engine error. */
function mapResults(values: Float64Array, errors: Map<number, CellError>, problems: Map<number, CustomFunctions.Error>, rows: number): ExcelMatrix {
  const out: ExcelMatrix = new Array(rows);
  for (let i = 0; i < rows; i++) {
    const v = values[i];
    const p = problems.get(i);
    if (p) out[i] = [p];
    else if (v === v) out[i] = [v];
    else out[i] = [sheetError(errors.get(i) ?? cellError("no result"), rows, i)];
  }
  return out;
}

export const FILL_RATE_OUTPUTS = ["fill", "csl", "short"] as const;

/**
 * SEG.FILL_RATE: the service a given level delivers (src/engine/policy/levels.ts
 * fillRateOfPolicyColumns): fill rate, cycle service level ("csl") or units short per cycle
 * ("short"), per row.
 */
export function fillRateCells(
  reorderPointArg: unknown,
  demandMean: unknown,
  demandSd: unknown,
  leadTime: unknown,
  leadTimeSd: unknown,
  reviewPeriod: unknown,
  orderQty: unknown,
  distribution: unknown,
  output: unknown,
): ExcelMatrix {
  return guard(() => {
    const what = readOption(output, "output", FILL_RATE_OUTPUTS, "fill");
    const names = ["reorder_point", "demand_mean", "demand_sd", "lead_time", "lead_time_sd", "review_period", "order_qty"];
    const values = [reorderPointArg, demandMean, demandSd, leadTime, leadTimeSd, reviewPeriod, orderQty];
    const args: Record<string, unknown> = { distribution };
    names.forEach((n, j) => (args[n] = values[j]));
    const b = broadcastRows(args);
    const rows = b.rows;
    const problems = new Map<number, CustomFunctions.Error>();
    const [rop, dm, ds, lt, lts, rp, oq] = names.map((n, j) => {
      const buf = scratchColumn(j, rows);
      readColumn(values[j], b.column(n), buf, n, problems);
      return buf;
    });
    // order_qty 0 or blank means "not given" (Excel desktop cannot tell a blank from 0)
    for (let i = 0; i < rows; i++) if (oq[i] === 0) oq[i] = Number.NaN;
    const dists = readDistributions(distribution, b.column("distribution"), rows, problems);
    const r = fillRateOfPolicyColumns({ rows, reorderPoint: rop, demandMean: dm, demandSd: ds, leadTime: lt, leadTimeSd: lts, reviewPeriod: rp, orderQty: oq, distribution: dists });
    const pick = what === "csl" ? r.cycleServiceLevel : what === "short" ? r.unitsShortPerCycle : r.fillRate;
    return spillAs(mapResults(pick, r.errors, problems, rows), b.orientation);
  });
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

// ---------------------------------------------------------------- entry points
// Each function's JSDoc is what Excel shows in the formula builder; bodies call the cell functions above.

// Conventions (see docs/functions-policy.md): demand per period, demand_sd = standard deviation of
// demand per period, lead time and review period in the same periods; safety stock is NOT floored
// at 0. Each argument is one cell or a column; columns are matched row by row and results spill down.

/**
 * Safety stock k×σ in units, one per row; NOT floored at 0 (wrap in MAX(0, …) for a floor). σ = √((lead_time + review_period)·demand_sd² + demand_mean²·lead_time_sd²). "csl": k = NORM.S.INV(service_level). "fill": G(k) = Q·(1 − service_level)/σ.
 * @customfunction SAFETY_STOCK
 * @param service_level Target between 0 and 1 (0.95 = 95%): cycle service level for "csl", fill rate for "fill".
 * @param demand_mean Mean demand per period (units per period), ≥ 0.
 * @param demand_sd Standard deviation of demand per period (units per period), ≥ 0.
 * @param lead_time Mean lead time in periods (same period as the demand), ≥ 0.
 * @param [lead_time_sd] Standard deviation of the lead time in periods, ≥ 0. Default 0 (fixed lead time).
 * @param [review_period] Review period in periods, ≥ 0. Default 0 = continuous review; > 0 = periodic review (protection interval lead_time + review_period).
 * @param [method] "csl" (default: probability of no stockout per cycle) or "fill" (fill rate: share of demand served from stock).
 * @param [order_qty] Order quantity in units, used by "fill". 0 or blank = not given: demand_mean × review_period under periodic review; required under continuous review.
 * @param [distribution] Lead-time demand: "normal" (default, blank), "poisson", "negbin", "gamma" or "auto" (discrete below 10 units over the protection interval). Not normal: level = distribution quantile, safety stock = level − mean.
 * @returns {number[][]} Safety stock in units per row (may be negative with "fill").
 */
export function policySafetyStock(
  service_level: unknown[][],
  demand_mean: unknown[][],
  demand_sd: unknown[][],
  lead_time: unknown[][],
  lead_time_sd?: unknown[][],
  review_period?: unknown[][],
  method?: unknown[][],
  order_qty?: unknown[][],
  distribution?: unknown[][],
): unknown[][] {
  return safetyStockCells(service_level, demand_mean, demand_sd, lead_time, lead_time_sd, review_period, method, order_qty, distribution);
}

/**
 * Reorder point in units, one per row. Continuous review (review_period 0): demand_mean × lead_time + safety_stock. Periodic review: the order-up-to level demand_mean × (review_period + lead_time) + safety_stock.
 * @customfunction REORDER_POINT
 * @param demand_mean Mean demand per period (units per period), ≥ 0.
 * @param lead_time Mean lead time in periods, ≥ 0.
 * @param safety_stock Safety stock in units (e.g. from SEG.SAFETY_STOCK); negative values are used as given.
 * @param [review_period] Review period in periods, ≥ 0. Default 0 = continuous review.
 * @param [distribution] "normal" (default, blank), "poisson", "negbin", "gamma" or "auto". Poisson and negbin (and "auto" when it picks them) round the level up to a whole unit.
 * @returns {number[][]} Reorder point (continuous) or order-up-to level (periodic) in units per row.
 */
export function policyReorderPoint(demand_mean: unknown[][], lead_time: unknown[][], safety_stock: unknown[][], review_period?: unknown[][], distribution?: unknown[][]): unknown[][] {
  return reorderPointCells(demand_mean, lead_time, safety_stock, review_period, distribution);
}

/**
 * Expected service of a given policy, one per row: the fill rate (default), the cycle service level ("csl") or the units short per cycle ("short"), for the normal, Poisson, negative binomial or gamma lead-time demand.
 * @customfunction FILL_RATE
 * @param reorder_point Continuous review: the reorder point s. Periodic review: the order-up-to level S. Units.
 * @param demand_mean Mean demand per period (units per period), > 0.
 * @param demand_sd Standard deviation of demand per period, ≥ 0 (not used by "poisson").
 * @param lead_time Mean lead time in periods, ≥ 0.
 * @param [lead_time_sd] Standard deviation of the lead time in periods, ≥ 0. Default 0.
 * @param [review_period] Review period in periods, ≥ 0. Default 0 = continuous review.
 * @param [order_qty] Order quantity Q in units: required under continuous review; not used under periodic review (the demand per cycle is demand_mean × review_period).
 * @param [distribution] "normal" (default, blank), "poisson", "negbin", "gamma" or "auto".
 * @param [output] "fill" (default: share of demand served from stock), "csl" (probability of no stockout per cycle) or "short" (expected units short per cycle).
 * @returns {number[][]} The chosen measure per row.
 */
export function policyFillRate(
  reorder_point: unknown[][],
  demand_mean: unknown[][],
  demand_sd: unknown[][],
  lead_time: unknown[][],
  lead_time_sd?: unknown[][],
  review_period?: unknown[][],
  order_qty?: unknown[][],
  distribution?: unknown[][],
  output?: unknown[][],
): unknown[][] {
  return fillRateCells(reorder_point, demand_mean, demand_sd, lead_time, lead_time_sd, review_period, order_qty, distribution, output);
}

/**
 * Economic order quantity √(2·D·S/H) (Harris 1913) in units, one per row. All amounts per year.
 * @customfunction EOQ
 * @param annual_demand Demand per year in units, ≥ 0.
 * @param order_cost Fixed cost per order (money), ≥ 0.
 * @param holding_cost Holding cost per unit per year (money), > 0.
 * @returns {number[][]} Order quantity in units per row.
 */
export function policyEoq(annual_demand: unknown[][], order_cost: unknown[][], holding_cost: unknown[][]): unknown[][] {
  return eoqCells(annual_demand, order_cost, holding_cost);
}

/**
 * Service factor z for a cycle service level: the inverse standard normal (like NORM.S.INV), accurate to 1e-12 from 1e-12 to 1 − 1e-12. One per row.
 * @customfunction Z_VALUE
 * @param service_level Cycle service level strictly between 0 and 1 (0.95 = 95%).
 * @returns {number[][]} z per row (z(0.95) = 1.6449).
 */
export function policyZValue(service_level: unknown[][]): unknown[][] {
  return zValueCells(service_level);
}

/**
 * Safety factor k for a fill-rate target: the k with G(k) = order_qty × (1 − fill_rate) / sigma, G the standard normal loss function. k may be negative; safety stock = k × sigma. One per row.
 * @customfunction FILL_RATE_K
 * @param fill_rate Target fill rate strictly between 0 and 1 (share of demand served from stock).
 * @param order_qty Units demanded per replenishment cycle (the order quantity, or demand × review period), > 0.
 * @param sigma Standard deviation of demand over the protection interval in units, > 0 (0 gives #N/A: k is unbounded).
 * @returns {number[][]} k per row.
 */
export function policyFillRateK(fill_rate: unknown[][], order_qty: unknown[][], sigma: unknown[][]): unknown[][] {
  return fillRateKCells(fill_rate, order_qty, sigma);
}

/**
 * Standard normal loss function G(k) = φ(k) − k·(1 − Φ(k)), the expected units short per unit of σ when the safety factor is k. Accurate in the right tail; 0 once it underflows (k > 38.5). One per row.
 * @customfunction NORMAL_LOSS
 * @param k Safety factor, any number.
 * @returns {number[][]} G(k) per row (G(0) = 0.3989).
 */
export function policyNormalLoss(k: unknown[][]): unknown[][] {
  return normalLossCells(k);
}
