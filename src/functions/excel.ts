/**
 * Argument shaping and result mapping for the custom functions: the only place that knows how
 * Excel hands ranges to a function and how errors go back. No formulas here; they live in src/engine.
 */
import { ArgumentError, CellError, isCellError } from "../engine/errors";

/** What a custom function returns: a spilled matrix of numbers, text or Excel errors. */
export type ExcelCell = number | string | boolean | CustomFunctions.Error;
export type ExcelMatrix = ExcelCell[][];

/** Optional parameters arrive as null or undefined (never as TypeScript defaults). */
export function isOmitted(arg: unknown): boolean {
  if (arg === null || arg === undefined) return true;
  if (Array.isArray(arg)) return arg.length === 0 || (arg.length === 1 && Array.isArray(arg[0]) && arg[0].length === 1 && isOmitted(arg[0][0]));
  return false;
}

/** A range argument as a matrix (a scalar becomes 1x1). */
export function asMatrix(arg: unknown): unknown[][] {
  if (Array.isArray(arg)) return (arg as unknown[]).map((row) => (Array.isArray(row) ? row : [row]));
  return [[arg]];
}

/** A single-column or single-row range (or scalar) as a flat list; anything wider is an ArgumentError. */
export function asVector(arg: unknown, name: string): unknown[] {
  const m = asMatrix(arg);
  if (m.length === 1) return m[0];
  if (m.every((row) => row.length === 1)) return m.map((row) => row[0]);
  throw new ArgumentError(name, `expected one column or one row, got ${m.length} x ${m[0]?.length ?? 0}`);
}

/**
 * Broadcasts per-row arguments: each is a scalar or a column of n cells; scalars repeat.
 * Columns of different lengths (other than 1) are an ArgumentError naming the argument.
 */
export function broadcastRows(args: Record<string, unknown>): { rows: number; column: (name: string) => (i: number) => unknown } {
  const vectors: Record<string, { length: number; get: (i: number) => unknown }> = {};
  let rows = 1;
  let longest = "";
  for (const [name, value] of Object.entries(args)) {
    const v = isOmitted(value) ? { length: 1, get: () => null } : vectorAccess(value, name);
    vectors[name] = v;
    if (v.length > 1) {
      if (rows > 1 && v.length !== rows) {
        throw new ArgumentError(name, `has ${v.length} rows but ${longest} has ${rows}; give one value or a column of ${rows}`);
      }
      rows = v.length;
      longest = name;
    }
  }
  return {
    rows,
    column: (name) => {
      const v = vectors[name];
      if (v.length === 1) {
        const only = v.get(0);
        return () => only;
      }
      return v.get;
    },
  };
}

/**
 * True for the usual way Excel hands a one-column range of two or more cells: [[a], [b], ...].
 * Such an argument can be read in place as arg[i][0] (asVector would give the same values).
 */
export function isExcelColumn(arg: unknown): arg is unknown[][] {
  if (!Array.isArray(arg) || arg.length < 2) return false;
  for (let i = 0; i < arg.length; i++) {
    const row: unknown = arg[i];
    if (!Array.isArray(row) || row.length !== 1) return false;
  }
  return true;
}

/**
 * asVector's reading of an argument, without copying the usual Excel column: big ranges are read
 * in place (copying 100,000-row columns cost more than the formulas). Any other shape goes through
 * asVector itself, so the rules and messages are the same.
 */
function vectorAccess(arg: unknown, name: string): { length: number; get: (i: number) => unknown } {
  if (isExcelColumn(arg)) return { length: arg.length, get: (i) => arg[i][0] };
  const v = asVector(arg, name);
  return { length: v.length, get: (i) => v[i] };
}

export function toExcelError(e: CellError): CustomFunctions.Error {
  const code = e.kind === "na" ? CustomFunctions.ErrorCode.notAvailable : CustomFunctions.ErrorCode.invalidValue;
  return new CustomFunctions.Error(code, e.message);
}

export function toExcelCell(x: number | string | boolean | CellError): ExcelCell {
  return isCellError(x) ? toExcelError(x) : x;
}

/**
 * Runs a custom function body so that it never throws: an ArgumentError becomes one #VALUE! with
 * its message, any other failure one #VALUE! that says so.
 */
export function guard(body: () => ExcelMatrix): ExcelMatrix {
  try {
    return body();
  } catch (e) {
    const message = e instanceof ArgumentError ? e.message : `unexpected error: ${e instanceof Error ? e.message : String(e)}`;
    return [[new CustomFunctions.Error(CustomFunctions.ErrorCode.invalidValue, message)]];
  }
}

/** Reads an optional text option (case-insensitive) from a fixed list. */
export function readChoice<T extends string>(arg: unknown, name: string, choices: readonly T[], fallback: T): T {
  if (isOmitted(arg)) return fallback;
  const v = asVector(arg, name);
  const s = typeof v[0] === "string" ? v[0].trim().toLowerCase() : v[0];
  const hit = choices.find((c) => c === s);
  if (!hit) throw new ArgumentError(name, `must be one of ${choices.map((c) => `"${c}"`).join(", ")}`);
  return hit;
}
