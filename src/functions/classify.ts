/**
 * Bodies of the classification custom functions (SEGMENT_ABC, XYZ_CV, DEMAND_PATTERN, ABC_XYZ):
 * argument shaping and result mapping around src/engine. functions.ts holds the JSDoc'd entry
 * points that Excel registers and calls these.
 * Row errors: an input problem becomes #VALUE! whose message names the row within the range
 * ("row 7: text "abc" is not a number"); an undefined result (no demand, total 0) becomes #N/A
 * with the reason. Whole-argument problems become a single #VALUE! naming the argument.
 */
import { classifyAbc, consumptionValues, type AbcResult } from "../engine/abc";
import { readNumber } from "../engine/cells";
import { ArgumentError, CellError, cellError, isCellError } from "../engine/errors";
import { classifyPattern, PATTERN_LABELS } from "../engine/pattern";
import { combineSegments } from "../engine/segments";
import { classifyXyz, historyFromCells, SD_TYPES, XYZ_LABELS, type DemandHistory, type XyzResult } from "../engine/xyz";
import { asMatrix, asVector, ExcelCell, ExcelMatrix, guard, isOmitted, readChoice, toExcelError } from "./excel";

// ---------------------------------------------------------------- argument readers

/** A row's problem as an Excel error; input problems (kind "value") get the row number in front. */
export function rowError(row: number, e: CellError): CustomFunctions.Error {
  return toExcelError(e.kind === "value" ? cellError(`row ${row + 1}: ${e.message}`, e.kind) : e);
}

/**
 * rowError for one spill. An "na" error carries no row number, and the engine shares one CellError
 * between all rows it applies to (every no-demand row, say), so its Excel error is built once:
 * constructing an Error captures a stack trace, and 10,000 of them cost more than the CVs.
 */
function rowErrors(): (row: number, e: CellError) => CustomFunctions.Error {
  const shared = new Map<CellError, CustomFunctions.Error>();
  return (row, e) => {
    if (e.kind === "value") return rowError(row, e);
    let x = shared.get(e);
    if (x === undefined) shared.set(e, (x = toExcelError(e)));
    return x;
  };
}

/** Excel on the web passes an empty referenced cell as "" (desktop as 0, which cannot be told apart). */
const isBlankCell = (v: unknown[]) => v.length === 1 && (v[0] === "" || v[0] === null || v[0] === undefined);
/** Omitted, or a single blank cell: the option takes its default. */
const useDefault = (arg: unknown) => isOmitted(arg) || (Array.isArray(arg) && arg.length === 1 && isBlankCell(asMatrix(arg)[0]));

/** readChoice, with a blank cell also meaning the default. */
function readOption<T extends string>(arg: unknown, name: string, choices: readonly T[], fallback: T): T {
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

/**
 * The values argument: one column of annual consumption values, or two columns (quantity, unit
 * cost) whose product is the value. Returns the values (NaN where a row is unusable) and the
 * rejected rows. Blank cells count as 0 (Excel desktop passes them as 0 anyway).
 */
export function readValues(arg: unknown): { values: Float64Array; issues: Map<number, CellError> } {
  const m = Array.isArray(arg) ? (arg as unknown[]) : [[arg]];
  const n = m.length;
  const first = m[0];
  const width = Array.isArray(first) ? first.length : 1;
  if (n === 0 || width === 0) throw new ArgumentError("values", "the range is empty");
  if (width > 2) {
    throw new ArgumentError("values", `expected one column of values or two columns (quantity, unit cost), got ${width} columns`);
  }
  const issues = new Map<number, CellError>();
  const read = (col: number, what: string): Float64Array => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const row = m[i];
      const c = Array.isArray(row) ? row[col] : col === 0 ? row : undefined;
      if (typeof c === "number" && c >= 0 && c < Infinity) {
        out[i] = c;
        continue;
      }
      const x = readNumber(c, "zero");
      if (isCellError(x)) {
        out[i] = NaN;
        if (!issues.has(i)) issues.set(i, what ? cellError(`${what}: ${x.message}`) : x);
      } else out[i] = x; // blank (0) or a number the engine will reject with its own message
    }
    return out;
  };
  if (width === 1) return { values: read(0, ""), issues };
  const quantity = read(0, "quantity");
  const unitCost = read(1, "unit cost");
  return consumptionValues(quantity, unitCost, issues);
}

function readHistory(arg: unknown): DemandHistory {
  return historyFromCells(asMatrix(arg), "zero");
}

function readAbc(values: unknown, cutoffs: unknown, labels: unknown): AbcResult {
  const c = readNumberList(cutoffs, "cutoffs");
  const l = readLabelList(labels, "labels");
  const { values: v, issues } = readValues(values);
  return classifyAbc(v, { cutoffs: c, labels: l, issues, classesOnly: true });
}

function readXyz(history: DemandHistory, xMax: unknown, yMax: unknown, sdType: unknown, excludeOutliers: unknown): XyzResult {
  return classifyXyz(history, {
    xMax: readOptionalNumber(xMax, "x_max", 0.5),
    yMax: readOptionalNumber(yMax, "y_max", 1.0),
    sdType: readOption(sdType, "sd_type", SD_TYPES, "population"),
    excludeOutliers: readOptionalBoolean(excludeOutliers, "exclude_outliers", false),
  });
}

// ---------------------------------------------------------------- function bodies

/**
 * One shared one-cell row per label. The result is only read (Excel copies it out), and a million
 * fresh one-element arrays cost more in garbage collection than the classification itself.
 */
function labelRows(labels: readonly string[]): ExcelCell[][] {
  return labels.map((l) => [l]);
}

export function segmentAbcCells(values: unknown, cutoffs: unknown, labels: unknown): ExcelMatrix {
  return guard(() => {
    const r = readAbc(values, cutoffs, labels);
    const n = r.abc.length;
    const out: ExcelMatrix = new Array(n);
    const rowOf = labelRows(r.labels);
    const err = rowErrors();
    for (let i = 0; i < n; i++) {
      const k = r.abc[i];
      out[i] = k >= 0 ? rowOf[k] : [err(i, r.issues.get(i)!)];
    }
    return out;
  });
}

export const XYZ_OUTPUTS = ["cv", "class", "both"] as const;

export function xyzCvCells(history: unknown, xMax: unknown, yMax: unknown, output: unknown, sdType: unknown, excludeOutliers: unknown): ExcelMatrix {
  return guard(() => {
    const what = readOption(output, "output", XYZ_OUTPUTS, "cv");
    const r = readXyz(readHistory(history), xMax, yMax, sdType, excludeOutliers);
    const out: ExcelMatrix = new Array(r.rows);
    const err = rowErrors();
    const undefinedCv = cellError("CV undefined", "na");
    for (let i = 0; i < r.rows; i++) {
      const cv = r.cv[i];
      const issue = r.issues.get(i);
      const cvCell: ExcelCell = issue !== undefined || !Number.isFinite(cv) ? err(i, issue ?? undefinedCv) : cv;
      const k = r.xyz[i];
      const classCell: ExcelCell = k >= 0 ? XYZ_LABELS[k] : cvCell;
      out[i] = what === "cv" ? [cvCell] : what === "class" ? [classCell] : [cvCell, classCell];
    }
    return out;
  });
}

export const PATTERN_OUTPUTS = ["class", "all"] as const;

export function demandPatternCells(history: unknown, adiCutoff: unknown, cv2Cutoff: unknown, output: unknown): ExcelMatrix {
  return guard(() => {
    const what = readOption(output, "output", PATTERN_OUTPUTS, "class");
    const r = classifyPattern(readHistory(history), {
      adiCutoff: readOptionalNumber(adiCutoff, "adi_cutoff", 1.32),
      cv2Cutoff: readOptionalNumber(cv2Cutoff, "cv2_cutoff", 0.49),
    });
    const rows = r.pattern.length;
    const out: ExcelMatrix = new Array(rows);
    const toError = rowErrors();
    const undefinedStat = cellError("ADI and CV² undefined", "na");
    for (let i = 0; i < rows; i++) {
      const k = r.pattern[i];
      const issue = r.issues.get(i);
      const err = issue !== undefined ? toError(i, issue) : undefined;
      const label: ExcelCell = k >= 0 ? PATTERN_LABELS[k] : err!;
      if (what === "class") out[i] = [label];
      else {
        const adi = r.adi[i];
        const cv2 = r.cv2[i];
        const missing = () => err ?? toError(i, undefinedStat);
        out[i] = [label, Number.isFinite(adi) ? adi : missing(), Number.isFinite(cv2) ? cv2 : missing()];
      }
    }
    return out;
  });
}

export function abcXyzCells(
  values: unknown,
  history: unknown,
  cutoffs: unknown,
  labels: unknown,
  xMax: unknown,
  yMax: unknown,
  sdType: unknown,
  excludeOutliers: unknown,
): ExcelMatrix {
  return guard(() => {
    const abc = readAbc(values, cutoffs, labels);
    const hist = readHistory(history);
    if (hist.rows !== abc.abc.length) {
      throw new ArgumentError("history", `has ${hist.rows} rows but values has ${abc.abc.length}; give one history row per value row`);
    }
    const xyz = readXyz(hist, xMax, yMax, sdType, excludeOutliers);
    const seg = combineSegments(abc, xyz);
    const out: ExcelMatrix = new Array(seg.segment.length);
    const rowOf = labelRows(seg.labels);
    const err = rowErrors();
    for (let i = 0; i < seg.segment.length; i++) {
      const s = seg.segment[i];
      out[i] = s >= 0 ? rowOf[s] : [err(i, seg.issues.get(i)!)];
    }
    return out;
  });
}
