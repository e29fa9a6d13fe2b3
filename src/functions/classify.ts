/**
 * The classification custom functions (SEGMENT_ABC, XYZ_CV, DEMAND_PATTERN, ABC_XYZ): their entry
 * points (JSDoc = formula-builder help) at the end, the argument shaping and result mapping around
 * src/engine above them. The argument readers and error wording are src/functions/excel.ts's.
 * Row errors: an input problem becomes #VALUE! whose message names the row within the range
 * ("row 7: text "abc" is not a number"); an undefined result (no demand, total 0) becomes #N/A
 * with the reason. Whole-argument problems become a single #VALUE! naming the argument.
 */
import { classifyAbc, consumptionValues, type AbcResult } from "../engine/abc";
import { classifyAbcStable, classifyXyzStable } from "../engine/churn";
import { readNumber } from "../engine/cells";
import { ArgumentError, CellError, cellError, isCellError } from "../engine/errors";
import { classifyPattern, PATTERN_LABELS } from "../engine/pattern";
import { combineSegments } from "../engine/segments";
import { classStability } from "../engine/stability";
import { classifyXyz, historyFromCells, SD_TYPES, XYZ_LABELS, type DemandHistory, type XyzResult } from "../engine/xyz";
import { asMatrix, asVector, ExcelCell, ExcelMatrix, guard, isOmitted, readLabelList, readNumberList, readOption, readOptionalBoolean, readOptionalNumber, rowErrors, useDefault } from "./excel";

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

/**
 * The optional [previous] argument of the churn control (src/engine/churn.ts): one label per row,
 * undefined when omitted or a single blank cell (then the plain classification runs, so existing
 * formulas keep their results). Blank cells read as "" (no previous class: a new SKU).
 */
function readPrevious(arg: unknown): unknown[] | undefined {
  if (useDefault(arg)) return undefined;
  return asVector(arg, "previous").map((c) => (c === null || c === undefined ? "" : c));
}

/** The optional [band]: one number for every cut-off or a list, one per cut-off; undefined = 0. */
function readBand(arg: unknown): number | number[] | undefined {
  const list = readNumberList(arg, "band");
  if (list === undefined) return undefined;
  return list.length === 1 ? list[0] : list;
}

function readAbc(values: unknown, cutoffs: unknown, labels: unknown, previous?: unknown, band?: unknown): AbcResult {
  const c = readNumberList(cutoffs, "cutoffs");
  const l = readLabelList(labels, "labels");
  const prev = readPrevious(previous);
  const b = readBand(band);
  const { values: v, issues } = readValues(values);
  // the control needs the shares; the plain call spares them (classesOnly)
  if (prev !== undefined || b !== undefined) return classifyAbcStable(v, { cutoffs: c, labels: l, issues, previous: prev, band: b });
  return classifyAbc(v, { cutoffs: c, labels: l, issues, classesOnly: true });
}

function readXyz(history: DemandHistory, xMax: unknown, yMax: unknown, sdType: unknown, excludeOutliers: unknown, previous?: unknown, band?: unknown): XyzResult {
  const options = {
    xMax: readOptionalNumber(xMax, "x_max", 0.5),
    yMax: readOptionalNumber(yMax, "y_max", 1.0),
    sdType: readOption(sdType, "sd_type", SD_TYPES, "population"),
    excludeOutliers: readOptionalBoolean(excludeOutliers, "exclude_outliers", false),
  };
  const prev = readPrevious(previous);
  const b = readBand(band);
  if (prev !== undefined || b !== undefined) return classifyXyzStable(history, { ...options, previous: prev, band: b });
  return classifyXyz(history, options);
}

// ---------------------------------------------------------------- function bodies

/**
 * One shared one-cell row per label. The result is only read (Excel copies it out), and a million
 * fresh one-element arrays cost more in garbage collection than the classification itself.
 */
function labelRows(labels: readonly string[]): ExcelCell[][] {
  return labels.map((l) => [l]);
}

export function segmentAbcCells(values: unknown, cutoffs: unknown, labels: unknown, previous?: unknown, band?: unknown): ExcelMatrix {
  return guard(() => {
    const r = readAbc(values, cutoffs, labels, previous, band);
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

export function xyzCvCells(
  history: unknown,
  xMax: unknown,
  yMax: unknown,
  output: unknown,
  sdType: unknown,
  excludeOutliers: unknown,
  previous?: unknown,
  band?: unknown,
): ExcelMatrix {
  return guard(() => {
    const what = readOption(output, "output", XYZ_OUTPUTS, "cv");
    const r = readXyz(readHistory(history), xMax, yMax, sdType, excludeOutliers, previous, band);
    const out: ExcelMatrix = new Array(r.rows);
    const err = rowErrors();
    const undefinedCv = cellError("CV undefined", "na");
    const classRows = labelRows(XYZ_LABELS);
    for (let i = 0; i < r.rows; i++) {
      const cv = r.cv[i];
      const issue = r.issues.get(i);
      const k = r.xyz[i];
      if (issue === undefined && k >= 0 && Number.isFinite(cv)) {
        // Array literals that only ever hold numbers (or one shared row per label): a literal
        // that sometimes holds an error would box every number of every row.
        if (what === "cv") out[i] = [cv];
        else if (what === "class") out[i] = classRows[k];
        else out[i] = [cv, XYZ_LABELS[k]];
        continue;
      }
      const cvCell: ExcelCell = err(i, issue ?? undefinedCv);
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
    const classRows = labelRows(PATTERN_LABELS);
    for (let i = 0; i < rows; i++) {
      const k = r.pattern[i];
      if (what === "class" && k >= 0) {
        out[i] = classRows[k];
        continue;
      }
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

/**
 * The optional [error_cv]: one number for every row, or a column (or row) with one per row; a
 * per-row cell that is not a number becomes NaN, which the engine reports on that row.
 */
function readErrorCv(arg: unknown, rows: number): number | Float64Array | undefined {
  if (useDefault(arg)) return undefined;
  const v = asVector(arg, "error_cv");
  if (v.length === 1) return readOptionalNumber(arg, "error_cv", 0);
  if (v.length !== rows) throw new ArgumentError("error_cv", `has ${v.length} cells but values has ${rows}; give one error CV or one per row`);
  return Float64Array.from(v, (c) => {
    const x = readNumber(c, "reject");
    return isCellError(x) ? NaN : x;
  });
}

/** A whole number option (runs, seed): the engine checks the range and names the argument. */
function readWholeOption(arg: unknown, name: string, fallback: number): number {
  return isOmitted(arg) ? fallback : readOptionalNumber(arg, name, fallback);
}

export function classStabilityCells(values: unknown, history: unknown, runs: unknown, errorCv: unknown, seed: unknown): ExcelMatrix {
  return guard(() => {
    const { values: v, issues } = readValues(values);
    const hist = readHistory(history);
    if (hist.rows !== v.length) throw new ArgumentError("history", `has ${hist.rows} rows but values has ${v.length}; give one history row per value row`);
    const r = classStability(v, hist, {
      runs: readWholeOption(runs, "runs", 200),
      errorCv: readErrorCv(errorCv, v.length),
      seed: readWholeOption(seed, "seed", 1),
      issues,
    });
    const out: ExcelMatrix = new Array(v.length);
    const err = rowErrors();
    const noClass = cellError("no class", "na");
    for (let i = 0; i < v.length; i++) {
      const p = r.stay[i];
      out[i] = [Number.isFinite(p) ? p : err(i, r.issues.get(i) ?? noClass)];
    }
    return out;
  });
}

// ---------------------------------------------------------------- entry points
// Each function's JSDoc is what Excel shows in the formula builder (custom-functions-metadata-plugin
// turns it into functions.json); bodies only call the cell functions above.

// Conventions (see docs/functions-classify.md): one output row per input row, in input order; a bad
// row gives #VALUE! naming the row, an undefined result #N/A with the reason.

/**
 * ABC class per row by annual consumption value, largest first. cumShare includes the row; class = first cut-off with cumShare ≤ cut-off (so 50,30,10,5,3,2 → A,A,B,B,C,C). Ties keep input order. Bad rows are left out of the total.
 * @customfunction SEGMENT_ABC
 * @param values One column of annual values, or two columns (quantity, unit cost) multiplied per row. Values ≥ 0; blank = 0.
 * @param [cutoffs] Cumulative-share cut-offs, strictly increasing in (0, 1], as a range or {0.8,0.95}. Default {0.8,0.95}.
 * @param [labels] One label per class (one more than the cut-offs). Default A, B, C, …
 * @param [previous] Churn control: each row's previous class (one label per row; blank = new SKU). A row whose previous class is adjacent and whose cumShare is inside the band keeps it.
 * @param [band] Hysteresis band around each cut-off in cumulative share (e.g. 0.02): one number or one per cut-off. Default 0 (plain classification).
 * @returns {any[][]} One class label per input row.
 */
export function classifySegmentAbc(values: unknown[][], cutoffs?: unknown[][], labels?: unknown[][], previous?: unknown[][], band?: unknown[][]): unknown[][] {
  return segmentAbcCells(values, cutoffs, labels, previous, band);
}

/**
 * Coefficient of variation (sd / mean) of each row's demand history, zero periods included, and its XYZ class: CV ≤ x_max → X, ≤ y_max → Y, else Z. All-zero history: CV #N/A, class "N" (no demand).
 * @customfunction XYZ_CV
 * @param history Demand history: one row per SKU, one column per period. Values ≥ 0; blank = 0.
 * @param [x_max] Largest CV of class X (inclusive). Default 0.5.
 * @param [y_max] Largest CV of class Y (inclusive), greater than x_max. Default 1.0.
 * @param [output] "cv" (default), "class", or "both" (two columns: CV, class).
 * @param [sd_type] "population" (default, divide by n) or "sample" (divide by n − 1).
 * @param [exclude_outliers] TRUE replaces Hampel outliers (beyond 3 scaled MADs of a 7-period window median) by that median before the CV. Default FALSE.
 * @param [previous] Churn control: each row's previous class X, Y, Z or N (blank = new SKU). A row whose previous class is adjacent and whose CV is inside the band keeps it.
 * @param [band] Hysteresis band around x_max and y_max in CV units (e.g. 0.05): one number or {x band, y band}. Default 0 (plain classification).
 * @returns {any[][]} CV and/or class per history row.
 */
export function classifyXyzCv(
  history: unknown[][],
  x_max?: unknown[][],
  y_max?: unknown[][],
  output?: unknown[][],
  sd_type?: unknown[][],
  exclude_outliers?: unknown[][],
  previous?: unknown[][],
  band?: unknown[][],
): unknown[][] {
  return xyzCvCells(history, x_max, y_max, output, sd_type, exclude_outliers, previous, band);
}

/**
 * Syntetos–Boylan demand pattern per row: ADI = periods / periods with demand; CV² of the non-zero demands (population sd). ADI ≥ 1.32 → intermittent side, CV² ≥ 0.49 → erratic side: smooth, erratic, intermittent, lumpy; "no demand" if all zero.
 * @customfunction DEMAND_PATTERN
 * @param history Demand history: one row per SKU, one column per period. Values ≥ 0; blank = 0.
 * @param [adi_cutoff] ADI cut-off (inclusive on the intermittent side). Default 1.32.
 * @param [cv2_cutoff] CV² cut-off (inclusive on the erratic side). Default 0.49.
 * @param [output] "class" (default) or "all" (three columns: pattern, ADI, CV²).
 * @returns {any[][]} Pattern (and ADI, CV²) per history row.
 */
export function classifyDemandPattern(history: unknown[][], adi_cutoff?: unknown[][], cv2_cutoff?: unknown[][], output?: unknown[][]): unknown[][] {
  return demandPatternCells(history, adi_cutoff, cv2_cutoff, output);
}

/**
 * ABC-XYZ segment per row ("AX" … "CZ"; "AN"/"BN"/"CN" for no demand): SEGMENT_ABC of the values followed by the XYZ class of the history, with the same conventions.
 * @customfunction ABC_XYZ
 * @param values One column of annual values, or two columns (quantity, unit cost).
 * @param history Demand history with one row per value row, one column per period.
 * @param [cutoffs] ABC cumulative-share cut-offs. Default {0.8,0.95}.
 * @param [labels] ABC labels, one more than the cut-offs. Default A, B, C.
 * @param [x_max] Largest CV of class X. Default 0.5.
 * @param [y_max] Largest CV of class Y. Default 1.0.
 * @param [sd_type] "population" (default) or "sample".
 * @param [exclude_outliers] TRUE applies the Hampel outlier filter before the CV. Default FALSE.
 * @returns {any[][]} One segment label per input row.
 */
export function classifyAbcXyz(
  values: unknown[][],
  history: unknown[][],
  cutoffs?: unknown[][],
  labels?: unknown[][],
  x_max?: unknown[][],
  y_max?: unknown[][],
  sd_type?: unknown[][],
  exclude_outliers?: unknown[][],
): unknown[][] {
  return abcXyzCells(values, history, cutoffs, labels, x_max, y_max, sd_type, exclude_outliers);
}

/**
 * Probability per row of keeping its ABC×XYZ segment under forecast error (Monte Carlo): each period with demand is multiplied by max(0, 1 + error_cv·Z), the value scales with the total demand, and every run is reclassified with the default cut-offs. Seeded: the same data and seed give the same result.
 * @customfunction CLASS_STABILITY
 * @param values One column of annual values, or two columns (quantity, unit cost).
 * @param history Demand history with one row per value row, one column per period.
 * @param [runs] Monte Carlo runs, 1 to 100,000. Default 200.
 * @param [error_cv] Forecast-error CV: one number for every row or one per row (≥ 0). Default 0.25.
 * @param [seed] Seed, a whole number 0 to 4,294,967,295. Default 1.
 * @returns {any[][]} Probability (0 to 1) of staying in class, per input row.
 */
export function classifyClassStability(values: unknown[][], history: unknown[][], runs?: unknown[][], error_cv?: unknown[][], seed?: unknown[][]): unknown[][] {
  return classStabilityCells(values, history, runs, error_cv, seed);
}
