/**
 * Churn control for reclassification: hysteresis bands around the cut-offs, a minimum tenure, and
 * the churn figures (churn %, migration matrix) that show what the control did.
 *
 * Convention (one rule for every ordered classification: ABC on cumulative value share, XYZ on CV,
 * and each axis of the Syntetos–Boylan pattern, ADI and CV²):
 * - Hysteresis band. Cut-off c between class j and class j+1 has a band b >= 0, in the units of
 *   the statistic it bounds (share, CV, ADI, CV²). A SKU whose previous class was j is classified
 *   against c + b instead of c, one whose previous class was j+1 against c - b; the boundary rule
 *   stays the same (ABC and XYZ: statistic <= cut-off is the lower class; pattern: statistic >=
 *   cut-off is the upper side), and every other cut-off is used as it is. So a SKU whose previous
 *   class is adjacent and whose statistic lies inside the band keeps its previous class, and one
 *   that moves past the band, or jumps two classes, moves. With every band 0 the result is the
 *   plain classification. This is the Schmitt-trigger (two-threshold) rule of control engineering
 *   applied to class boundaries; the bands play the role of the "dead band" around a set point.
 * - Minimum tenure T (runs): a SKU that has held its previous class for fewer than T consecutive
 *   runs keeps it, whatever its statistic. tenure counts the runs ending with the previous one
 *   (a class just assigned has tenure 1), so T = 0 or 1 never holds anything.
 * - Only classes on the ordered scale take part: a SKU without a previous class (new), with no
 *   statistic now (no demand: XYZ "N", pattern "no demand"; or a rejected row), or whose previous
 *   class was off the scale is classified plainly.
 * - Churn % = SKUs whose class differs from their previous class / SKUs that have both a previous
 *   and a current class (any label, "N" included), reported for the plain and for the controlled
 *   classification of the same run.
 */
import { AbcOptions, AbcResult, atLeast, atMost, classifyAbc, CUTOFF_TOLERANCE } from "./abc";
import { ArgumentError, CellError, cellError } from "./errors";
import { classifyPattern, PATTERN_LABELS, PATTERN_NO_DEMAND, PatternOptions, PatternResult } from "./pattern";
import { classifyXyz, DemandHistory, XYZ_LABELS, XyzOptions, XyzResult } from "./xyz";

/** Which side of a cut-off a statistic exactly on it belongs to. */
export type BoundaryRule = "atMostIsLower" | "atLeastIsUpper";

/** How a SKU got its class this run. */
export const HELD_NONE = 0;
export const HELD_BAND = 1;
export const HELD_TENURE = 2;

/**
 * Bands as given (one number for every cut-off, or one per cut-off) checked against the cut-offs:
 * each finite and >= 0, and each narrower than the gap from its cut-off to the neighbouring
 * cut-offs and to the ends of the statistic's scale [scaleMin, scaleMax] (otherwise a class would
 * become unreachable for SKUs coming from the neighbouring class). `argument` names the argument
 * in the error. Returns one band per cut-off.
 */
export function validateBands(
  cutoffs: readonly number[],
  band: number | ArrayLike<number> | undefined,
  argument: string,
  scaleMin = 0,
  scaleMax = Infinity,
): number[] {
  if (band === undefined) return cutoffs.map(() => 0);
  const bands = typeof band === "number" ? cutoffs.map(() => band) : Array.from(band);
  if (bands.length !== cutoffs.length) {
    throw new ArgumentError(argument, `give one band for every cut-off or one per cut-off (${cutoffs.length}), got ${bands.length}`);
  }
  bands.forEach((b, j) => {
    if (!(Number.isFinite(b) && b >= 0)) throw new ArgumentError(argument, `band ${j + 1} must be a number >= 0, got ${b}`);
    const below = j === 0 ? cutoffs[0] - scaleMin : cutoffs[j] - cutoffs[j - 1];
    const above = j === cutoffs.length - 1 ? scaleMax - cutoffs[j] : cutoffs[j + 1] - cutoffs[j];
    const gap = Math.min(below, above);
    if (b > 0 && !(b < gap * (1 - CUTOFF_TOLERANCE))) {
      const what = gap === below ? (j === 0 ? `the start of the scale (${scaleMin})` : `cut-off ${j} (${cutoffs[j - 1]})`) : j === cutoffs.length - 1 ? `the end of the scale (${scaleMax})` : `cut-off ${j + 2} (${cutoffs[j + 1]})`;
      throw new ArgumentError(argument, `band ${b} around cut-off ${j + 1} (${cutoffs[j]}) is not narrower than the gap of ${round(gap)} to ${what}`);
    }
  });
  return bands;
}

function round(x: number): number {
  return Number(x.toPrecision(12));
}

/** Checks a minimum tenure: a whole number of runs >= 0. */
export function validateMinTenure(minTenure: number | undefined, argument = "minTenure"): number {
  if (minTenure === undefined) return 0;
  if (!(Number.isInteger(minTenure) && minTenure >= 0)) {
    throw new ArgumentError(argument, `must be a whole number of runs >= 0, got ${minTenure}`);
  }
  return minTenure;
}

export interface ControlInput {
  /** The statistic per row (cumShare, CV, ADI, CV²); NaN where undefined. */
  stat: ArrayLike<number>;
  /** Plain class per row: 0 .. cutoffs.length on the scale; anything else (-1, N) is off it. */
  plain: ArrayLike<number>;
  /** Previous class per row on the same scale; -1 (or any off-scale code) = none. */
  previous: ArrayLike<number>;
  cutoffs: readonly number[];
  /** One band per cut-off (validateBands). */
  bands: readonly number[];
  rule: BoundaryRule;
  /** Runs the previous class has been held, per row (>= 1); omitted = long enough. */
  tenure?: ArrayLike<number>;
  minTenure?: number;
}

export interface ControlResult {
  /** Class per row after the control (same codes as plain). */
  classes: Int32Array;
  /** HELD_NONE, HELD_BAND or HELD_TENURE per row. */
  held: Uint8Array;
  /**
   * Runs in the resulting class including this one: previous tenure + 1 when the class stayed
   * (an unknown previous tenure counts as max(minTenure, 1)), 1 after a change or for a new SKU,
   * 0 for a row without a class. Feed it back as the next run's tenure.
   */
  tenure: Int32Array;
}

/**
 * The control on one ordered scale (see the module comment). Columnar, one pass, no allocation
 * per row.
 */
export function controlClasses(c: ControlInput): ControlResult {
  const n = c.plain.length;
  const k = c.cutoffs.length;
  const classes = new Int32Array(n);
  const held = new Uint8Array(n);
  const tenureOut = new Int32Array(n);
  const minTenure = c.minTenure ?? 0;
  const lower = c.rule === "atMostIsLower";
  for (let i = 0; i < n; i++) {
    const plain = c.plain[i];
    const prev = c.previous[i];
    const onScale = plain >= 0 && plain <= k;
    const prevOnScale = prev >= 0 && prev <= k;
    const t = c.tenure === undefined ? Infinity : c.tenure[i];
    let out = plain;
    if (onScale && prevOnScale && plain !== prev) {
      if (t < minTenure) {
        out = prev;
        held[i] = HELD_TENURE;
      } else if (plain === prev + 1 || plain === prev - 1) {
        const j = plain < prev ? plain : prev; // the cut-off between the two classes
        const x = c.stat[i];
        const b = c.bands[j];
        if (b > 0 && x === x) {
          // Previous class below the cut-off: compare with c + b; above it: with c - b.
          const cut = prev === j ? c.cutoffs[j] + b : c.cutoffs[j] - b;
          const upper = lower ? !atMost(x, cut) : atLeast(x, cut);
          const side = upper ? j + 1 : j;
          if (side === prev) {
            out = prev;
            held[i] = HELD_BAND;
          }
        }
      }
    }
    classes[i] = out;
    // An unknown tenure counts as long enough: the output keeps it at least minTenure.
    tenureOut[i] = out < 0 ? 0 : out === prev ? (t === Infinity ? Math.max(minTenure, 1) : t) + 1 : 1;
  }
  return { classes, held, tenure: tenureOut };
}

/**
 * Previous classes given as labels (a mapped "current class" column, or the last written run),
 * as indices into `labels`: trimmed, case-insensitive; blank = no previous class (-1). A label
 * that is not one of `labels` is a CellError for its row (kind "value"), naming it.
 */
export function previousClasses(
  previous: readonly unknown[],
  labels: readonly string[],
  rows: number,
  argument = "previous",
): { previous: Int32Array; issues: Map<number, CellError> } {
  if (previous.length !== rows) throw new ArgumentError(argument, `has ${previous.length} rows but there are ${rows}; give one previous class per row`);
  const byLabel = new Map<string, number>();
  labels.forEach((l, i) => byLabel.set(l.trim().toUpperCase(), i));
  const out = new Int32Array(rows);
  const issues = new Map<number, CellError>();
  for (let i = 0; i < rows; i++) {
    const p = previous[i];
    if (p === null || p === undefined || (typeof p === "string" && p.trim() === "") || p === 0) {
      out[i] = -1;
      continue;
    }
    const idx = typeof p === "string" || typeof p === "number" ? byLabel.get(String(p).trim().toUpperCase()) : undefined;
    if (idx === undefined) {
      out[i] = -1;
      issues.set(i, cellError(`previous class ${JSON.stringify(p)} is not one of ${labels.join(", ")}`));
    } else out[i] = idx;
  }
  return { previous: out, issues };
}

/** Per-row tenures checked: whole numbers >= 1 (runs held); blank/NaN = unknown (long enough). */
export function checkTenures(tenure: ArrayLike<number>, rows: number): { tenure: Float64Array; issues: Map<number, CellError> } {
  if (tenure.length !== rows) throw new ArgumentError("tenure", `has ${tenure.length} rows but there are ${rows}`);
  const out = new Float64Array(rows);
  const issues = new Map<number, CellError>();
  for (let i = 0; i < rows; i++) {
    const t = tenure[i];
    if (Number.isNaN(t)) out[i] = Infinity;
    else if (Number.isInteger(t) && t >= 0) out[i] = t;
    else {
      out[i] = Infinity;
      issues.set(i, cellError(`tenure must be a whole number of runs >= 0, got ${t}`));
    }
  }
  return { tenure: out, issues };
}

// ---- churn figures --------------------------------------------------------------------------

export interface ChurnFigures {
  /** SKUs with both a previous and a current class. */
  compared: number;
  /** Of those, how many changed class. */
  changed: number;
  /** changed / compared (0 when nothing is compared). */
  churn: number;
}

/** Churn of one classification against the previous one (codes: >= 0 a class, < 0 none). */
export function churnFigures(previous: ArrayLike<number>, current: ArrayLike<number>): ChurnFigures {
  let compared = 0;
  let changed = 0;
  for (let i = 0; i < current.length; i++) {
    if (previous[i] < 0 || current[i] < 0) continue;
    compared++;
    if (previous[i] !== current[i]) changed++;
  }
  return { compared, changed, churn: compared > 0 ? changed / compared : 0 };
}

export interface MigrationMatrix {
  /** Row labels: the previous classes, then "new" (no previous class). */
  from: string[];
  /** Column labels: the current classes, then "none" (no class now: rejected row). */
  to: string[];
  /** count[f][t]: SKUs that moved from from[f] to to[t]. */
  count: number[][];
  /** value[f][t]: their summed value (0 when no values are given). */
  value: number[][];
}

/**
 * From × to counts (and values) of one run against the previous one. Codes index `labels`; a
 * negative previous code is "new", a negative current code "none". Rows whose value is not a
 * finite number add to the count only.
 */
export function migrationMatrix(
  previous: ArrayLike<number>,
  current: ArrayLike<number>,
  labels: readonly string[],
  values?: ArrayLike<number>,
): MigrationMatrix {
  const k = labels.length;
  const count = Array.from({ length: k + 1 }, () => new Array<number>(k + 1).fill(0));
  const value = Array.from({ length: k + 1 }, () => new Array<number>(k + 1).fill(0));
  for (let i = 0; i < current.length; i++) {
    const f = previous[i] >= 0 && previous[i] < k ? previous[i] : k;
    const t = current[i] >= 0 && current[i] < k ? current[i] : k;
    count[f][t]++;
    const v = values?.[i];
    if (v !== undefined && Number.isFinite(v)) value[f][t] += v;
  }
  return { from: [...labels, "new"], to: [...labels, "none"], count, value };
}

/** A two-run report: churn plain and controlled, and the migration matrix of the controlled result. */
export interface ChurnReport {
  plain: ChurnFigures;
  controlled: ChurnFigures;
  /** SKUs the band held, and the tenure held. */
  heldByBand: number;
  heldByTenure: number;
  matrix: MigrationMatrix;
}

export function churnReport(
  previous: ArrayLike<number>,
  plain: ArrayLike<number>,
  control: ControlResult,
  labels: readonly string[],
  values?: ArrayLike<number>,
): ChurnReport {
  let band = 0;
  let tenure = 0;
  for (let i = 0; i < control.held.length; i++) {
    if (control.held[i] === HELD_BAND) band++;
    else if (control.held[i] === HELD_TENURE) tenure++;
  }
  return {
    plain: churnFigures(previous, plain),
    controlled: churnFigures(previous, control.classes),
    heldByBand: band,
    heldByTenure: tenure,
    matrix: migrationMatrix(previous, control.classes, labels, values),
  };
}

// ---- the three classifications with churn control ----------------------------------------------

/** What every controlled classification takes besides its own options. */
export interface ChurnOptions {
  /**
   * Previous class per row as labels (blank = none: a new SKU), e.g. a mapped "current class"
   * column or the classes of the last written run. Omitted: no control (the plain result).
   */
  previous?: readonly unknown[];
  /** Runs each previous class has been held (whole numbers >= 0; NaN = unknown, long enough). */
  tenure?: ArrayLike<number>;
  /** Minimum tenure T in runs (default 0: off). */
  minTenure?: number;
}

/** The control's outputs added to a classification result. */
export interface ChurnOutputs {
  /** Previous class per row as a code (-1 = none). */
  previous: Int32Array;
  /** How each row got its class: HELD_NONE, HELD_BAND, HELD_TENURE. */
  held: Uint8Array;
  /** Runs in the resulting class including this one (see ControlResult.tenure). */
  tenure: Int32Array;
  churn: ChurnReport;
}

function readChurnInputs(o: ChurnOptions, labels: readonly string[], rows: number) {
  const minTenure = validateMinTenure(o.minTenure);
  const prev = o.previous === undefined ? { previous: new Int32Array(rows).fill(-1), issues: new Map<number, CellError>() } : previousClasses(o.previous, labels, rows);
  const ten = o.tenure === undefined ? undefined : checkTenures(o.tenure, rows);
  const issues = new Map(prev.issues);
  if (ten) for (const [i, e] of ten.issues) if (!issues.has(i)) issues.set(i, e);
  return { minTenure, previous: prev.previous, tenure: ten?.tenure, issues };
}

export interface AbcStableOptions extends Omit<AbcOptions, "classesOnly">, ChurnOptions {
  /** Band around each ABC cut-off in cumulative share (e.g. 0.02); one number or one per cut-off. */
  band?: number | ArrayLike<number>;
}

export interface AbcStableResult extends AbcResult, ChurnOutputs {
  /** The class without the control (codes as abc). */
  plainAbc: Int32Array;
}

/**
 * ABC with churn control (module comment): the statistic is the cumulative value share, bands in
 * share units, the scale (0, 1]. The ranking and shares are those of classifyAbc. A row whose
 * previous class or tenure is unusable gets that CellError instead of a class (it still counts
 * in the total, as its value is fine).
 */
export function classifyAbcStable(values: ArrayLike<number>, options: AbcStableOptions = {}): AbcStableResult {
  const base = classifyAbc(values, { cutoffs: options.cutoffs, labels: options.labels, issues: options.issues });
  const bands = validateBands(base.cutoffs, options.band, "band", 0, 1);
  const n = base.abc.length;
  const inp = readChurnInputs(options, base.labels, n);
  const control = controlClasses({
    stat: base.cumShare,
    plain: base.abc,
    previous: inp.previous,
    cutoffs: base.cutoffs,
    bands,
    rule: "atMostIsLower",
    tenure: inp.tenure,
    minTenure: inp.minTenure,
  });
  const issues = new Map(base.issues);
  const abc = control.classes;
  for (const [i, e] of inp.issues) {
    if (abc[i] >= 0) {
      abc[i] = -1;
      issues.set(i, e);
      control.held[i] = HELD_NONE;
      control.tenure[i] = 0;
    }
  }
  const churn = churnReport(inp.previous, base.abc, control, base.labels, values);
  return { ...base, abc, issues, plainAbc: base.abc, previous: inp.previous, held: control.held, tenure: control.tenure, churn };
}

export interface XyzStableOptions extends XyzOptions, ChurnOptions {
  /** Band around x_max and y_max in CV units (e.g. 0.05); one number or [x band, y band]. */
  band?: number | ArrayLike<number>;
}

export interface XyzStableResult extends XyzResult, ChurnOutputs {
  plainXyz: Int8Array;
}

/**
 * XYZ with churn control: the statistic is the CV, bands in CV units around x_max and y_max.
 * "N" (no demand) is off the scale: never held, never holding. Previous labels X, Y, Z, N.
 */
export function classifyXyzStable(history: DemandHistory, options: XyzStableOptions = {}): XyzStableResult {
  const base = classifyXyz(history, options);
  const cutoffs = [base.xMax, base.yMax];
  const bands = validateBands(cutoffs, options.band, "band", 0, Infinity);
  const inp = readChurnInputs(options, XYZ_LABELS, base.rows);
  const control = controlClasses({
    stat: base.cv,
    plain: base.xyz,
    previous: inp.previous,
    cutoffs,
    bands,
    rule: "atMostIsLower",
    tenure: inp.tenure,
    minTenure: inp.minTenure,
  });
  const xyz = Int8Array.from(control.classes);
  const issues = new Map(base.issues);
  for (const [i, e] of inp.issues) {
    if (xyz[i] >= 0) {
      xyz[i] = -1;
      issues.set(i, e);
      control.held[i] = HELD_NONE;
      control.tenure[i] = 0;
    }
  }
  const controlled = { ...control, classes: Int32Array.from(xyz) };
  const churn = churnReport(inp.previous, base.xyz, controlled, XYZ_LABELS);
  return { ...base, xyz, issues, plainXyz: base.xyz, previous: inp.previous, held: control.held, tenure: control.tenure, churn };
}

export interface PatternStableOptions extends PatternOptions, ChurnOptions {
  /** Band around the ADI cut-off, in ADI units (periods), e.g. 0.1. */
  adiBand?: number;
  /** Band around the CV² cut-off, in CV² units, e.g. 0.05. */
  cv2Band?: number;
}

export interface PatternStableResult extends PatternResult, ChurnOutputs {
  plainPattern: Int8Array;
}

/**
 * Demand pattern with churn control, one axis at a time: the ADI side (smooth/erratic vs
 * intermittent/lumpy) against adiCutoff ± adiBand and the CV² side against cv2Cutoff ± cv2Band,
 * each from the SKU's previous side; a SKU near both boundaries can hold on one axis and move on
 * the other. Tenure holds the whole pattern. "no demand" is off the scale.
 */
export function classifyPatternStable(history: DemandHistory, options: PatternStableOptions = {}): PatternStableResult {
  const base = classifyPattern(history, options);
  const adiBands = validateBands([base.adiCutoff], options.adiBand, "adiBand", 1, Infinity);
  const cv2Bands = validateBands([base.cv2Cutoff], options.cv2Band, "cv2Band", 0, Infinity);
  const n = base.pattern.length;
  const inp = readChurnInputs(options, PATTERN_LABELS, n);
  const side = (codes: ArrayLike<number>, shift: number, mask: number) =>
    Int32Array.from({ length: n }, (_, i) => (codes[i] >= 0 && codes[i] < PATTERN_NO_DEMAND ? (codes[i] >> shift) & mask : -1));
  const adi = controlClasses({ stat: base.adi, plain: side(base.pattern, 1, 1), previous: side(inp.previous, 1, 1), cutoffs: [base.adiCutoff], bands: adiBands, rule: "atLeastIsUpper" });
  const cv2 = controlClasses({ stat: base.cv2, plain: side(base.pattern, 0, 1), previous: side(inp.previous, 0, 1), cutoffs: [base.cv2Cutoff], bands: cv2Bands, rule: "atLeastIsUpper" });
  const pattern = new Int8Array(n);
  const held = new Uint8Array(n);
  const tenure = new Int32Array(n);
  const issues = new Map(base.issues);
  for (let i = 0; i < n; i++) {
    const plain = base.pattern[i];
    const prev = inp.previous[i];
    const real = plain >= 0 && plain < PATTERN_NO_DEMAND;
    const prevReal = prev >= 0 && prev < PATTERN_NO_DEMAND;
    const t = inp.tenure === undefined ? Infinity : inp.tenure[i];
    let out = plain;
    if (real && prevReal && plain !== prev) {
      if (t < inp.minTenure) {
        out = prev;
        held[i] = HELD_TENURE;
      } else {
        out = adi.classes[i] * 2 + cv2.classes[i];
        if (out !== plain) held[i] = HELD_BAND;
      }
    }
    if (inp.issues.has(i) && out >= 0) {
      issues.set(i, inp.issues.get(i)!);
      out = -1;
      held[i] = HELD_NONE;
    }
    pattern[i] = out;
    tenure[i] = out < 0 ? 0 : out === prev ? (t === Infinity ? Math.max(inp.minTenure, 1) : t) + 1 : 1;
  }
  const churn = churnReport(inp.previous, base.pattern, { classes: Int32Array.from(pattern), held, tenure }, PATTERN_LABELS);
  return { ...base, pattern, issues, plainPattern: base.pattern, previous: inp.previous, held, tenure, churn };
}
