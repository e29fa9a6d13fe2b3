/**
 * Promotion (and other planner-flagged) periods left out of the baseline statistics.
 *
 * A PeriodMask holds one flag per SKU and period, row-major like the history (rows = SKUs,
 * columns = periods): flag 1 = the period is excluded, 0 = kept. The classification statistics
 * (mean, sd, CV in xyz.ts; ADI and CV² in pattern.ts) are then taken over the kept periods only,
 * exactly as if the excluded columns were not in that SKU's history: the number of periods n in
 * mean = sum / n, in the sd's divisor and in ADI = n / (periods with demand) is the number of kept
 * periods. This is the usual "clean the history before classifying" step (e.g. Silver, Pyke &
 * Thomas 2017, ch. 4, adjusting demand history for known special events before estimating its
 * variability); excluding rather than replacing keeps the baseline free of any assumed
 * promotion-free value.
 * The Hampel filter (outliers.ts), when on, runs after the exclusion, on the kept periods in order.
 * A SKU whose periods are all excluded has no baseline: its statistics are the CellError kind "na"
 * EVERY_PERIOD_EXCLUDED_MESSAGE.
 */
import { ArgumentError } from "./errors";

export interface PeriodMask {
  rows: number;
  periods: number;
  /** rows × periods flags, row-major; non-zero = excluded. */
  flags: Uint8Array;
}

export const EVERY_PERIOD_EXCLUDED_MESSAGE = "every period is excluded (promotions): no baseline left";

/** A mask of the given shape with no period excluded. */
export function emptyMask(rows: number, periods: number): PeriodMask {
  return { rows, periods, flags: new Uint8Array(rows * periods) };
}

/** Checks that a mask fits a history of rows × periods; `argument` names it in the error. */
export function checkMask(mask: PeriodMask, rows: number, periods: number, argument = "promotions"): void {
  if (mask.rows !== rows || mask.periods !== periods || mask.flags.length !== rows * periods) {
    throw new ArgumentError(
      argument,
      `has ${mask.rows} x ${mask.periods} flags (${mask.flags.length} values) but the history is ${rows} x ${periods}; give one flag per SKU and period`,
    );
  }
}

/**
 * Copies row r's kept periods of `x` (length periods) to the front of `into`, in order, and returns
 * how many were kept. `into` may be `x` itself.
 */
export function keptPeriods(mask: PeriodMask, r: number, x: Float64Array, into: Float64Array): number {
  const p = mask.periods;
  const f = mask.flags;
  const off = r * p;
  let n = 0;
  for (let j = 0; j < p; j++) if (f[off + j] === 0) into[n++] = x[j];
  return n;
}

/** Excluded periods per row. */
export function excludedCounts(mask: PeriodMask): Int32Array {
  const out = new Int32Array(mask.rows);
  const p = mask.periods;
  for (let r = 0; r < mask.rows; r++) {
    let c = 0;
    for (let j = 0; j < p; j++) if (mask.flags[r * p + j] !== 0) c++;
    out[r] = c;
  }
  return out;
}

/**
 * A mask from a parallel block of flag cells (the layout of the history: one row per SKU, one
 * column per period). TRUE, 1 and the texts "y", "yes", "x", "promo", "true" (any case) exclude
 * the period; FALSE, 0, blank and "n"/"no"/"false" keep it. Anything else is reported in
 * `problems` (row and period, 1-based) and the period is kept.
 */
export function maskFromFlagCells(
  cells: readonly (readonly unknown[])[],
  rows: number,
  periods: number,
): { mask: PeriodMask; problems: { row: number; period: number; message: string }[] } {
  if (cells.length !== rows) throw new ArgumentError("promotions", `has ${cells.length} rows but the history has ${rows}`);
  const flags = new Uint8Array(rows * periods);
  const problems: { row: number; period: number; message: string }[] = [];
  for (let r = 0; r < rows; r++) {
    const row = cells[r];
    if (row.length > periods) throw new ArgumentError("promotions", `row ${r + 1} has ${row.length} columns but the history has ${periods} periods`);
    for (let j = 0; j < row.length; j++) {
      const f = readFlag(row[j]);
      if (f === undefined) problems.push({ row: r + 1, period: j + 1, message: `flag ${JSON.stringify(row[j])} is not TRUE/FALSE, 1/0 or yes/no` });
      else flags[r * periods + j] = f;
    }
  }
  return { mask: { rows, periods, flags }, problems };
}

const YES = new Set(["y", "yes", "x", "promo", "promotion", "true", "1"]);
const NO = new Set(["", "n", "no", "false", "0"]);

function readFlag(c: unknown): 0 | 1 | undefined {
  if (c === null || c === undefined || c === false || c === 0) return 0;
  if (c === true || c === 1) return 1;
  if (typeof c === "string") {
    const s = c.trim().toLowerCase();
    if (YES.has(s)) return 1;
    if (NO.has(s)) return 0;
  }
  return undefined;
}

/**
 * A mask from a list of (sku, period) pairs, e.g. a Promotions sheet with an SKU and a period
 * column. `skus` are the history's SKU ids in row order, `periodLabels` its period headers; both
 * are matched as trimmed text (numbers and dates as their text; give the same form as the
 * headers). Pairs whose SKU or period is not in the history come back in `unmatched` (1-based
 * position in `pairs`) and exclude nothing.
 */
export function maskFromPairs(
  skus: readonly unknown[],
  periodLabels: readonly unknown[],
  pairs: readonly { sku: unknown; period: unknown }[],
): { mask: PeriodMask; unmatched: { index: number; reason: string }[] } {
  const rows = skus.length;
  const periods = periodLabels.length;
  const rowOf = new Map<string, number>();
  skus.forEach((s, i) => {
    const key = keyOf(s);
    if (!rowOf.has(key)) rowOf.set(key, i);
  });
  const colOf = new Map<string, number>();
  periodLabels.forEach((p, j) => {
    const key = keyOf(p);
    if (!colOf.has(key)) colOf.set(key, j);
  });
  const flags = new Uint8Array(rows * periods);
  const unmatched: { index: number; reason: string }[] = [];
  pairs.forEach((pair, k) => {
    const r = rowOf.get(keyOf(pair.sku));
    const j = colOf.get(keyOf(pair.period));
    if (r === undefined) unmatched.push({ index: k + 1, reason: `SKU ${JSON.stringify(pair.sku)} is not in the history` });
    else if (j === undefined) unmatched.push({ index: k + 1, reason: `period ${JSON.stringify(pair.period)} is not a period column of the history` });
    else flags[r * periods + j] = 1;
  });
  return { mask: { rows, periods, flags }, unmatched };
}

function keyOf(x: unknown): string {
  return x instanceof Date ? x.toISOString() : String(x ?? "").trim();
}
