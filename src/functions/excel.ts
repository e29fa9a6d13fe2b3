/**
 * Argument shaping and result mapping for every custom function: the only place that knows how
 * Excel hands ranges to a function and how results and errors go back. No formulas here; they live
 * in src/engine. The rules, the same for every SEG function:
 * - an optional argument that is omitted, or a single blank cell, takes its default (useDefault);
 * - per-row arguments broadcast: a single cell repeats, a column (or a row) gives one value per
 *   row; a one-row input spills one row, a one-column input one column (spillAs);
 * - a problem with one row is an Excel error in that row whose message starts "row N: " (rowError),
 *   an undefined result is #N/A with the reason, a wrong argument shape one #VALUE! naming the
 *   argument (guard);
 * - a function with several results per row (a forecast horizon) spills a row of them per input
 *   row (spillWide).
 */
import { readNumber } from "../engine/cells";
import { ArgumentError, CellError, cellError, isCellError } from "../engine/errors";

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
export type Orientation = "column" | "row";

export function broadcastRows(args: Record<string, unknown>): { rows: number; orientation: Orientation; column: (name: string) => (i: number) => unknown } {
  const vectors: Record<string, { length: number; get: (i: number) => unknown }> = {};
  let rows = 1;
  let longest = "";
  // a result spills as a row only when every argument longer than one cell is a single row
  let anyColumn = false;
  let anyRow = false;
  for (const [name, value] of Object.entries(args)) {
    const v = isOmitted(value) ? { length: 1, get: () => null } : vectorAccess(value, name);
    vectors[name] = v;
    if (v.length > 1) {
      if (isSingleRow(value)) anyRow = true;
      else anyColumn = true;
      if (rows > 1 && v.length !== rows) {
        throw new ArgumentError(name, `has ${v.length} ${isSingleRow(value) ? "cells" : "rows"} but ${longest} has ${rows}; give one value or a range of ${rows}`);
      }
      rows = v.length;
      longest = name;
    }
  }
  return {
    rows,
    orientation: anyRow && !anyColumn ? "row" : "column",
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

/** A range of one row and more than one column (how Excel hands B1:J1). */
export function isSingleRow(arg: unknown): boolean {
  return Array.isArray(arg) && arg.length === 1 && Array.isArray(arg[0]) && arg[0].length > 1;
}

/** A one-value-per-row result as the input was shaped: a column (n x 1) or, for a one-row input, a row (1 x n). */
export function spillAs(out: ExcelMatrix, orientation: Orientation): ExcelMatrix {
  if (orientation === "column" || out.length <= 1) return out;
  return [out.map((row) => row[0])];
}

/**
 * Several results per input row (a forecast horizon, the GSM's per-stage figures): row i holds
 * `width` cells from `cell(i, j)`, or one row error spread over the row when `rowProblem(i)` gives one.
 */
export function spillWide(rows: number, width: number, cell: (i: number, j: number) => ExcelCell, rowProblem?: (i: number) => ExcelCell | null): ExcelMatrix {
  const out: ExcelMatrix = new Array(rows);
  for (let i = 0; i < rows; i++) {
    const bad = rowProblem?.(i) ?? null;
    const r: ExcelCell[] = new Array(width);
    for (let j = 0; j < width; j++) r[j] = bad ?? cell(i, j);
    out[i] = r;
  }
  return out;
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
  if (isSingleRow(arg)) {
    const row = (arg as unknown[][])[0];
    return { length: row.length, get: (i) => row[i] };
  }
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

/** A row's problem as an Excel error; input problems (kind "value") get the row number in front. */
export function rowError(row: number, e: CellError): CustomFunctions.Error {
  return toExcelError(e.kind === "value" ? cellError(`row ${row + 1}: ${e.message}`, e.kind) : e);
}

/**
 * rowError for one spill. An "na" error carries no row number, and the engine shares one CellError
 * between all rows it applies to (every no-demand row, say), so its Excel error is built once:
 * constructing an Error captures a stack trace, and 10,000 of them cost more than the CVs.
 */
export function rowErrors(): (row: number, e: CellError) => CustomFunctions.Error {
  const shared = new Map<CellError, CustomFunctions.Error>();
  return (row, e) => {
    if (e.kind === "value") return rowError(row, e);
    let x = shared.get(e);
    if (x === undefined) shared.set(e, (x = toExcelError(e)));
    return x;
  };
}

/** Excel on the web passes an empty referenced cell as "" (desktop as 0, which cannot be told apart). */
export const isBlankCell = (v: unknown[]) => v.length === 1 && (v[0] === "" || v[0] === null || v[0] === undefined);
/** Omitted, or a single blank cell: the option takes its default. */
export const useDefault = (arg: unknown) => isOmitted(arg) || (Array.isArray(arg) && arg.length === 1 && isBlankCell(asMatrix(arg)[0]));

/** readChoice, with a blank cell also meaning the default. */
export function readOption<T extends string>(arg: unknown, name: string, choices: readonly T[], fallback: T): T {
  return useDefault(arg) ? fallback : readChoice(arg, name, choices, fallback);
}

/** An optional list of numbers given as a row, a column or an array constant ({0.7,0.9}). */
export function readNumberList(arg: unknown, name: string): number[] | undefined {
  if (useDefault(arg)) return undefined;
  return asVector(arg, name).map((cell, i) => {
    const x = readNumber(cell, "reject");
    if (isCellError(x)) throw new ArgumentError(name, `item ${i + 1}: ${x.message}`);
    return x;
  });
}

/** An optional list of labels (text; numbers are taken as their text). */
export function readLabelList(arg: unknown, name: string): string[] | undefined {
  if (useDefault(arg)) return undefined;
  return asVector(arg, name).map((cell, i) => {
    if (typeof cell === "string" && cell.trim() !== "") return cell.trim();
    if (typeof cell === "number" && Number.isFinite(cell)) return String(cell);
    throw new ArgumentError(name, `item ${i + 1} must be a non-empty text label`);
  });
}

/** An optional single number; omitted or a blank cell gives the fallback. */
export function readOptionalNumber(arg: unknown, name: string, fallback: number): number {
  if (isOmitted(arg)) return fallback;
  const v = asVector(arg, name);
  if (isBlankCell(v)) return fallback;
  if (v.length !== 1) throw new ArgumentError(name, `expected a single number, got ${v.length} cells`);
  const x = readNumber(v[0], "reject");
  if (isCellError(x)) throw new ArgumentError(name, x.message);
  return x;
}

/** An optional TRUE/FALSE (also 1/0 and the texts "true"/"false"); omitted or blank gives the fallback. */
export function readOptionalBoolean(arg: unknown, name: string, fallback: boolean): boolean {
  if (isOmitted(arg)) return fallback;
  const v = asVector(arg, name);
  if (isBlankCell(v)) return fallback;
  if (v.length === 1) {
    const c = v[0];
    if (typeof c === "boolean") return c;
    if (c === 0 || c === 1) return c === 1;
    if (typeof c === "string" && ["true", "false"].includes(c.trim().toLowerCase())) return c.trim().toLowerCase() === "true";
  }
  throw new ArgumentError(name, "must be TRUE or FALSE");
}
