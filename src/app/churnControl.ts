/**
 * Dynamic segmentation in the Classify step (issue 11): the rolling window and as-of period, the
 * "reclassification due" check, churn control (hysteresis bands and a minimum tenure) against the
 * previous class, the churn figures with and without the control, promotion periods left out of
 * the baseline, and the Segments-sheet columns and notes that say what happened. Pure except
 * `loadDynamicInputs`, which reads the previous Segments table and the Promotions table through
 * the gateway. The formulas are the engine's: churn.ts (bands, tenure, churn %, migration matrix),
 * window.ts (window, due), promotions.ts (masks), model.ts (the segmentation model's version).
 *
 * Conventions:
 * - Previous class: "lastWrite" takes ABC, XYZ and the runs held from the Segments table the pane
 *   wrote last (columns ABC, XYZ, ABC runs, XYZ runs); "mapped" takes the mapped "Current class"
 *   column (its first letter A/B/C is the ABC class, a second letter X/Y/Z/N the XYZ class; the
 *   runs held are unknown, i.e. long enough); "none" switches the control off.
 * - The control acts on the computed classes (before pins, overrides and business rules, which
 *   still win afterwards). Churn % = SKUs with both a previous and a current segment whose segment
 *   changed / those SKUs, plain and controlled (churn.ts churnFigures).
 * - Rolling window: when on, the history is cut at the as-of period (a period header; blank =
 *   the newest) and the statistics use the last `length` periods up to it (blank = one year of
 *   periods). When off, the whole history or the Demand window option applies, as before.
 */
import { cellAddress, parseCell } from "./a1";
import type { ClassificationResult, ClassifyOptions } from "./classifyTypes";
import { churnFigures, controlClasses, HELD_BAND, HELD_TENURE, migrationMatrix, validateBands, validateMinTenure, type ChurnFigures, type MigrationMatrix } from "../engine/churn";
import { ArgumentError } from "../engine/errors";
import { PATTERN_LABELS } from "../engine/pattern";
import { dataFingerprint, modelFingerprint, modelVersionId, type SegmentationModel } from "../engine/model";
import { excludedCounts, maskFromPairs, type PeriodMask } from "../engine/promotions";
import { asOfIndex, CADENCES, describeWindow, reclassificationDue, rollingWindow, type Cadence, type DueCheck, type PeriodWindow } from "../engine/window";
import type { ColumnMapping } from "./mapping";
import type { ParsedTable } from "./parse";
import type { CellValue, RangeSnapshot, SheetPlan, TableData, WorkbookGateway } from "./ports";

export const ABC_LABELS = ["A", "B", "C"] as const;
export const XYZ_CLASS_LABELS = ["X", "Y", "Z", "N"] as const;
export const PREVIOUS_SOURCES = ["lastWrite", "mapped", "none"] as const;
export type PreviousSource = (typeof PREVIOUS_SOURCES)[number];

/** The Excel table a Promotions sheet holds: one row per SKU and excluded period. */
export const PROMOTIONS_TABLE = "Promotions";
/** Settings keys of this part of the Classify step. */
export const CHURN_SETTINGS = { settings: "seg.churnControl", lastRun: "seg.churnLastRun" } as const;

/** Columns added at the end of the Segments table. */
export const SEGMENTS_DYNAMIC_HEADERS = ["Previous class", "Churn control", "ABC runs", "XYZ runs", "Promotion periods excluded", "Rule", "Why this segment"] as const;

export interface ChurnSettings {
  /** Hysteresis bands: ABC in cumulative share (0.02 = two points), XYZ in CV (0.05), pattern in ADI (0.1) and CV² (0.05); optional (0). */
  bands: { abc: number; xyz: number; adi?: number; cv2?: number };
  /** Runs a class holds at least (0 = off). */
  minTenure: number;
  previousFrom: PreviousSource;
  cadence: Cadence;
  window: { enabled: boolean; length: number | null; asOf: string | null };
  /** Leave the periods listed in the Promotions table out of the baseline statistics. */
  promotions: boolean;
}

export function defaultChurnSettings(): ChurnSettings {
  return { bands: { abc: 0, xyz: 0 }, minTenure: 0, previousFrom: "lastWrite", cadence: "none", window: { enabled: false, length: null, asOf: null }, promotions: false };
}

/** Problems of the settings against the cut-offs, each naming the field; empty when usable. */
export function churnSettingProblems(s: ChurnSettings, options: ClassifyOptions): string[] {
  const out: string[] = [];
  const check = (field: string, f: () => void) => {
    try {
      f();
    } catch (e) {
      out.push(`${field}: ${e instanceof ArgumentError ? e.message.replace(/^[^:]+: /, "") : String(e)}.`);
    }
  };
  check("ABC band", () => validateBands(options.abcCutoffs, s.bands.abc, "band", 0, 1));
  check("XYZ band", () => validateBands(options.xyzCutoffs, s.bands.xyz, "band", 0, Infinity));
  check("ADI band", () => validateBands([options.pattern.adi], s.bands.adi ?? 0, "band", 1, Infinity));
  check("CV² band", () => validateBands([options.pattern.cv2], s.bands.cv2 ?? 0, "band", 0, Infinity));
  check("Minimum tenure", () => validateMinTenure(s.minTenure, "minTenure"));
  if (!CADENCES.includes(s.cadence)) out.push(`Reclassification cadence must be one of ${CADENCES.join(", ")}.`);
  const len = s.window.length;
  if (s.window.enabled && len !== null && !(Number.isInteger(len) && len >= 2)) out.push(`Window length must be a whole number of periods, at least 2 (blank: one year); got ${len}.`);
  return out;
}

// ---- the window ---------------------------------------------------------------------------------

export interface WindowPlan {
  mapping: ColumnMapping;
  options: ClassifyOptions;
  window: PeriodWindow;
  /** The window in words, for the preview and the Segments notes. */
  text: string;
  /** Period headers of the history as mapped (before the as-of cut). */
  periodLabels: string[];
}

function headerText(c: unknown): string {
  return c === null || c === undefined ? "" : String(c).trim();
}

/**
 * The mapping and options a run uses: with the rolling window on, the history ends at the as-of
 * period and the demand window is its length (one year of periods when blank). Errors name the
 * field ("As-of period ... is not one of the period headers").
 */
export function planWindow(snap: RangeSnapshot, mapping: ColumnMapping, options: ClassifyOptions, s: ChurnSettings): WindowPlan {
  const h = mapping.history!;
  const periodLabels = (snap.values[mapping.headerRow] ?? []).slice(h.first, h.last + 1).map(headerText);
  return planWindowOn(periodLabels, mapping, options, s);
}

/**
 * planWindow over period labels: `mapping.history` (when mapped) is cut at the as-of period; an
 * imported extract (no sheet columns) passes its bucketed periods' labels and cuts its history at
 * `window.end`.
 */
export function planWindowOn(periodLabels: string[], mapping: ColumnMapping, options: ClassifyOptions, s: ChurnSettings): WindowPlan {
  const h = mapping.history ?? { first: 0, last: periodLabels.length - 1 };
  const total = periodLabels.length;
  if (!s.window.enabled) {
    const length = options.demandWindow === null ? total : Math.max(2, Math.min(total, options.demandWindow));
    const window = rollingWindow(total, { length, periodsPerYear: options.periodsPerYear });
    return { mapping, options, window, text: describeWindow(window, periodLabels), periodLabels };
  }
  let asOf = total - 1;
  if (s.window.asOf !== null && s.window.asOf.trim() !== "") {
    try {
      asOf = asOfIndex(periodLabels, s.window.asOf);
    } catch (e) {
      throw new Error(`As-of period: ${e instanceof ArgumentError ? e.message.replace(/^asOf: /, "") : String(e)}.`);
    }
  }
  const window = rollingWindow(total, { asOf, length: s.window.length ?? options.periodsPerYear, periodsPerYear: options.periodsPerYear });
  return {
    mapping: mapping.history ? { ...mapping, history: { first: h.first, last: h.first + asOf } } : mapping,
    options: { ...options, demandWindow: Math.max(2, window.length) },
    window,
    text: describeWindow(window, periodLabels),
    periodLabels,
  };
}

// ---- previous classes and promotions --------------------------------------------------------------

export interface PreviousClasses {
  source: PreviousSource;
  /** Per SKU of the run: ABC and XYZ code (-1 none) and runs held (Infinity = unknown, long enough). */
  abc: Int32Array;
  xyz: Int32Array;
  abcRuns: Float64Array;
  xyzRuns: Float64Array;
  /** Previous demand pattern code (PATTERN_LABELS; -1 none): from the Segments sheet only. */
  pattern?: Int32Array;
  /** SKUs that had a previous class. */
  found: number;
}

function codeOf(labels: readonly string[], x: unknown): number {
  const t = headerText(x).toUpperCase();
  return t === "" ? -1 : labels.indexOf(t);
}

function runsOf(x: unknown): number {
  return typeof x === "number" && Number.isInteger(x) && x >= 1 ? x : Infinity;
}

/** Previous classes from the Segments table last written (null: no table, or it has no SKU/ABC/XYZ column). */
export function previousFromSegments(table: TableData | null, parsed: ParsedTable): PreviousClasses | null {
  if (!table) return null;
  const col = (name: string) => table.headers.findIndex((h) => h.trim().toLowerCase() === name.toLowerCase());
  const [sku, abc, xyz, abcRuns, xyzRuns, pattern] = ["SKU", "ABC", "XYZ", "ABC runs", "XYZ runs", "Pattern"].map(col);
  if (sku < 0 || abc < 0 || xyz < 0) return null;
  const byKey = new Map<string, unknown[]>();
  for (const r of table.rows) byKey.set(headerText(r[sku]), r);
  const n = parsed.n;
  const out: PreviousClasses = { source: "lastWrite", abc: new Int32Array(n).fill(-1), xyz: new Int32Array(n).fill(-1), abcRuns: new Float64Array(n).fill(Infinity), xyzRuns: new Float64Array(n).fill(Infinity), found: 0 };
  for (let i = 0; i < n; i++) {
    const r = byKey.get(parsed.sku[i]);
    if (!r) continue;
    out.abc[i] = codeOf(ABC_LABELS, r[abc]);
    out.xyz[i] = codeOf(XYZ_CLASS_LABELS, r[xyz]);
    if (abcRuns >= 0) out.abcRuns[i] = runsOf(r[abcRuns]);
    if (xyzRuns >= 0) out.xyzRuns[i] = runsOf(r[xyzRuns]);
    if (pattern >= 0) {
      out.pattern ??= new Int32Array(n).fill(-1);
      const t = headerText(r[pattern]).toLowerCase();
      out.pattern[i] = t === "" ? -1 : PATTERN_LABELS.indexOf(t as (typeof PATTERN_LABELS)[number]);
    }
    if (out.abc[i] >= 0 || out.xyz[i] >= 0) out.found++;
  }
  return out;
}

/** Previous classes from the mapped "Current class" column ("AX", "B", ...). */
export function previousFromMapped(parsed: ParsedTable): PreviousClasses {
  const n = parsed.n;
  const out: PreviousClasses = { source: "mapped", abc: new Int32Array(n).fill(-1), xyz: new Int32Array(n).fill(-1), abcRuns: new Float64Array(n).fill(Infinity), xyzRuns: new Float64Array(n).fill(Infinity), found: 0 };
  for (let i = 0; i < n; i++) {
    const c = (parsed.currentClass[i] ?? "").trim().toUpperCase();
    if (c === "") continue;
    out.abc[i] = ABC_LABELS.indexOf(c.charAt(0) as "A");
    out.xyz[i] = c.length > 1 ? XYZ_CLASS_LABELS.indexOf(c.charAt(1) as "X") : -1;
    if (out.abc[i] >= 0 || out.xyz[i] >= 0) out.found++;
  }
  return out;
}

/**
 * The promotion mask of the run's SKUs and its full history (before the window), from the
 * Promotions table (columns SKU and Period); unmatched rows are reported, not fatal.
 */
export function promotionsMask(table: TableData | null, parsed: ParsedTable, periodLabels: readonly string[]): { mask: PeriodMask | null; unmatched: string[] } {
  if (!table) throw new Error(`Promotions: there is no Excel table named "${PROMOTIONS_TABLE}" (columns SKU and Period): add one, or untick "Leave promotion periods out".`);
  const col = (name: string) => table.headers.findIndex((h) => h.trim().toLowerCase() === name.toLowerCase());
  const sku = col("SKU");
  const period = col("Period");
  if (sku < 0 || period < 0) throw new Error(`Promotions: the "${PROMOTIONS_TABLE}" table needs a SKU and a Period column (it has ${table.headers.join(", ")}).`);
  const pairs = table.rows.map((r) => ({ sku: headerText(r[sku]), period: headerText(r[period]) }));
  const { mask, unmatched } = maskFromPairs(parsed.sku, periodLabels, pairs);
  return { mask, unmatched: unmatched.map((u) => `Promotions row ${u.index}: ${u.reason}`) };
}

// ---- the control and its report ---------------------------------------------------------------------

export interface ChurnRunReport {
  previousFrom: PreviousSource;
  /** SKUs with a previous class. */
  withPrevious: number;
  /** Segment churn plain and with the control. */
  plain: ChurnFigures;
  controlled: ChurnFigures;
  heldByBand: number;
  heldByTenure: number;
  /** ABC and XYZ migration (previous × current, controlled), counts and value. */
  abcMatrix: MigrationMatrix;
  xyzMatrix: MigrationMatrix;
}

export interface DynamicOutcome {
  result: ClassificationResult;
  /** null when the control is off or nothing was previous. */
  churn: ChurnRunReport | null;
  perSku: { previous: string[]; held: string[]; abcRuns: Int32Array; xyzRuns: Int32Array; excluded: Int32Array };
}

/**
 * Applies the churn control to a classification (module comment) and reports it. `excluded`
 * holds the promotion periods left out per SKU (in the window).
 */
export function applyChurnControl(parsed: ParsedTable, result: ClassificationResult, options: ClassifyOptions, s: ChurnSettings, prev: PreviousClasses | null, excluded?: Int32Array): DynamicOutcome {
  const n = result.n;
  const abcBands = validateBands(options.abcCutoffs, s.bands.abc, "band", 0, 1);
  const xyzBands = validateBands(options.xyzCutoffs, s.bands.xyz, "band", 0, Infinity);
  validateBands([options.pattern.adi], s.bands.adi ?? 0, "band", 1, Infinity);
  validateBands([options.pattern.cv2], s.bands.cv2 ?? 0, "band", 0, Infinity);
  const minTenure = validateMinTenure(s.minTenure);
  const plainAbc = Int32Array.from(result.abcComputed, (l) => ABC_LABELS.indexOf(l as "A"));
  const plainXyz = Int32Array.from(result.xyz, (l) => XYZ_CLASS_LABELS.indexOf(l as "X"));
  const none = new Int32Array(n).fill(-1);
  const a = controlClasses({ stat: result.cumShare, plain: plainAbc, previous: prev?.abc ?? none, cutoffs: options.abcCutoffs, bands: abcBands, rule: "atMostIsLower", tenure: prev?.abcRuns, minTenure });
  const x = controlClasses({ stat: result.cv, plain: plainXyz, previous: prev?.xyz ?? none, cutoffs: options.xyzCutoffs, bands: xyzBands, rule: "atMostIsLower", tenure: prev?.xyzRuns, minTenure });
  const abcComputed = Array.from(a.classes, (c) => (c >= 0 ? ABC_LABELS[c] : ""));
  const xyz = Array.from(x.classes, (c) => (c >= 0 ? XYZ_CLASS_LABELS[c] : ""));
  const abc = result.abc.map((l, i) => (parsed.pinned[i] ? l : abcComputed[i]));
  // the pattern, one axis at a time (churn.ts classifyPatternStable's rule): ADI side, CV² side
  const pattern = patternControl(result, options, s, prev?.pattern);
  const segment = abc.map((l, i) => (l && xyz[i] ? l + xyz[i] : ""));
  const notes = [...result.notes];
  const held: string[] = new Array<string>(n).fill("");
  const previous: string[] = new Array<string>(n).fill("");
  let heldByBand = 0;
  let heldByTenure = 0;
  for (let i = 0; i < n; i++) {
    const pa = prev && prev.abc[i] >= 0 ? ABC_LABELS[prev.abc[i]] : "";
    const px = prev && prev.xyz[i] >= 0 ? XYZ_CLASS_LABELS[prev.xyz[i]] : "";
    previous[i] = pa + px;
    const why: string[] = [];
    for (const [h, what, from, to] of [
      [a.held[i], "ABC", result.abcComputed[i], abcComputed[i]],
      [x.held[i], "XYZ", result.xyz[i], xyz[i]],
    ] as const) {
      if (h === HELD_BAND) why.push(`${what} held in ${to} by the band (computed ${from})`);
      else if (h === HELD_TENURE) why.push(`${what} held in ${to} by the minimum tenure (computed ${from})`);
    }
    if (a.held[i] === HELD_BAND || x.held[i] === HELD_BAND) heldByBand++;
    else if (a.held[i] === HELD_TENURE || x.held[i] === HELD_TENURE) heldByTenure++;
    held[i] = why.join("; ");
    if (why.length) notes[i] = [notes[i], ...why].filter(Boolean).join("; ");
  }
  for (let i = 0; i < n; i++) {
    if (pattern.held[i] && pattern.labels[i] !== result.pattern[i]) {
      const why = `pattern held ${pattern.labels[i]} by the band (computed ${result.pattern[i]})`;
      held[i] = [held[i], why].filter(Boolean).join("; ");
      notes[i] = [notes[i], why].filter(Boolean).join("; ");
    }
  }
  const out: ClassificationResult = { ...result, abc, abcComputed, xyz, segment, notes, pattern: pattern.labels };
  let churn: ChurnRunReport | null = null;
  if (prev && s.previousFrom !== "none") {
    const labels: string[] = [];
    const code = new Map<string, number>();
    const codeOfSeg = (l: string) => {
      if (l === "") return -1;
      let c = code.get(l);
      if (c === undefined) code.set(l, (c = labels.push(l) - 1));
      return c;
    };
    const prevSeg = Int32Array.from(previous, (l) => (l.length === 2 ? codeOfSeg(l) : -1));
    const plainSeg = Int32Array.from(result.segment, codeOfSeg);
    const ctrlSeg = Int32Array.from(segment, codeOfSeg);
    churn = {
      previousFrom: prev.source,
      withPrevious: prev.found,
      plain: churnFigures(prevSeg, plainSeg),
      controlled: churnFigures(prevSeg, ctrlSeg),
      heldByBand,
      heldByTenure,
      abcMatrix: migrationMatrix(prev.abc, a.classes, ABC_LABELS, parsed.value),
      xyzMatrix: migrationMatrix(prev.xyz, x.classes, XYZ_CLASS_LABELS, parsed.value),
    };
  }
  return { result: out, churn, perSku: { previous, held, abcRuns: a.tenure, xyzRuns: x.tenure, excluded: excluded ?? new Int32Array(n) } };
}

/** The pattern's control: each axis against its cut-off ± band, from the previous side. */
function patternControl(result: ClassificationResult, options: ClassifyOptions, s: ChurnSettings, previous: Int32Array | undefined): { labels: string[]; held: Uint8Array } {
  const n = result.n;
  const adiBand = s.bands.adi ?? 0;
  const cv2Band = s.bands.cv2 ?? 0;
  if (!previous || (adiBand === 0 && cv2Band === 0)) return { labels: result.pattern, held: new Uint8Array(n) };
  const code = Int32Array.from(result.pattern, (l) => PATTERN_LABELS.indexOf(l as (typeof PATTERN_LABELS)[number]));
  const axis = (codes: ArrayLike<number>, bit: number) => Int32Array.from({ length: n }, (_, i) => (codes[i] >= 0 && codes[i] < 4 ? (codes[i] >> bit) & 1 : -1));
  const adi = controlClasses({ stat: result.adi, plain: axis(code, 1), previous: axis(previous, 1), cutoffs: [options.pattern.adi], bands: [adiBand], rule: "atLeastIsUpper" });
  const cv2 = controlClasses({ stat: result.cv2, plain: axis(code, 0), previous: axis(previous, 0), cutoffs: [options.pattern.cv2], bands: [cv2Band], rule: "atLeastIsUpper" });
  const held = new Uint8Array(n);
  const labels = result.pattern.map((l, i) => {
    if (!(code[i] >= 0 && code[i] < 4)) return l;
    const c = adi.classes[i] * 2 + cv2.classes[i];
    if (c !== code[i]) held[i] = 1;
    return PATTERN_LABELS[c];
  });
  return { labels, held };
}

/** Promotion periods per SKU inside the window. */
export function excludedInWindow(mask: PeriodMask, w: PeriodWindow): Int32Array {
  const flags = new Uint8Array(mask.rows * w.length);
  for (let r = 0; r < mask.rows; r++) flags.set(mask.flags.subarray(r * mask.periods + w.start, r * mask.periods + w.end + 1), r * w.length);
  return excludedCounts({ rows: mask.rows, periods: w.length, flags });
}

// ---- reclassification due ---------------------------------------------------------------------------

export interface ChurnLastRun {
  runAt: string;
  periods: number;
  lastPeriod?: string;
}

export function dueCheck(last: ChurnLastRun | undefined, now: Date, periodLabels: readonly string[], cadence: Cadence): DueCheck {
  return reclassificationDue({ lastRun: last ?? null, now, periods: periodLabels.length, lastPeriod: periodLabels[periodLabels.length - 1], cadence });
}

// ---- the segmentation model's version -----------------------------------------------------------------

/** The segmentation model of a run (model.ts): cut-offs, bands, tenure, window, rules, policy grid. */
export function segmentationModel(options: ClassifyOptions, s: ChurnSettings, rules: SegmentationModel["rules"], policyGrid: unknown): SegmentationModel {
  return {
    abc: { cutoffs: options.abcCutoffs, labels: [...ABC_LABELS], band: s.bands.abc },
    xyz: {
      xMax: options.xyzCutoffs[0],
      yMax: options.xyzCutoffs[1],
      sdType: options.sdType,
      excludeOutliers: options.outliers.enabled ? { halfWidth: options.outliers.halfWidth, threshold: options.outliers.threshold } : false,
      band: s.bands.xyz,
    },
    pattern: { adiCutoff: options.pattern.adi, cv2Cutoff: options.pattern.cv2, adiBand: s.bands.adi ?? 0, cv2Band: s.bands.cv2 ?? 0 },
    churn: { minTenure: s.minTenure },
    window: { length: options.demandWindow ?? undefined, periodsPerYear: options.periodsPerYear, asOf: s.window.enabled ? (s.window.asOf ?? "last") : "last" },
    rules,
    policyGrid,
  };
}

/** "m<8 hex>-d<8 hex>": the same model and data give the same id, a changed band or rule a new one. */
export function segmentationModelId(model: SegmentationModel, parsed: ParsedTable): string {
  return modelVersionId(modelFingerprint(model), dataFingerprint({ sku: parsed.sku, value: parsed.value, history: parsed.history }));
}

// ---- the Segments sheet -----------------------------------------------------------------------------

export interface SegmentsExtras {
  outcome: DynamicOutcome;
  /** Per SKU: the deciding rule's label and the "why" text ("" / "computed" when none). */
  rule: string[];
  why: string[];
  notes: string[];
}

/**
 * Adds the dynamic columns (SEGMENTS_DYNAMIC_HEADERS) to the Segments table of `plan` (rows in
 * `rowOrder`) and the notes to its notes table.
 */
export function extendSegmentsPlan(plan: SheetPlan, rowOrder: Int32Array, extras: SegmentsExtras, tableName: string, notesTable: string): SheetPlan {
  const { perSku } = extras.outcome;
  const added = SEGMENTS_DYNAMIC_HEADERS.length;
  // everything beside the table (notes, the Pareto chart and its bins) moves right by the added columns
  const shift = (anchor: string) => {
    const { row, column } = parseCell(anchor);
    return cellAddress(row, column + added);
  };
  const blocks = plan.blocks.map((b0) => {
    const b = b0.kind === "table" && b0.tableName === tableName ? b0 : { ...b0, anchor: shift(b0.anchor) };
    if (b.kind !== "table") return b;
    if (b.tableName === tableName) {
      const rows = b.rows.map((r, k): CellValue[] => {
        const i = rowOrder[k];
        return [...r, perSku.previous[i], perSku.held[i], perSku.abcRuns[i] || null, perSku.xyzRuns[i] || null, perSku.excluded[i], extras.rule[i], extras.why[i]];
      });
      return { ...b, headers: [...b.headers, ...SEGMENTS_DYNAMIC_HEADERS], rows };
    }
    if (b.tableName === notesTable) return { ...b, rows: [...b.rows, ...extras.notes.map((n) => [n])] };
    return b;
  });
  return { ...plan, blocks };
}

/** The churn figures in words. */
export function churnSentence(c: ChurnRunReport): string {
  const p = (x: number) => `${(Math.round(x * 1000) / 10).toLocaleString("en-US")} %`;
  return `Churn against the previous classes (${c.previousFrom === "lastWrite" ? "the last written Segments sheet" : "the mapped current class"}): ${p(c.controlled.churn)} with churn control, ${p(c.plain.churn)} without (${c.controlled.changed.toLocaleString("en-US")} vs ${c.plain.changed.toLocaleString("en-US")} of ${c.controlled.compared.toLocaleString("en-US")} SKUs); ${c.heldByBand.toLocaleString("en-US")} held by a band, ${c.heldByTenure.toLocaleString("en-US")} by the minimum tenure.`;
}

/** Reads what the run needs from the workbook: the last Segments table and the Promotions table. */
export async function loadDynamicInputs(gateway: WorkbookGateway, s: ChurnSettings, segmentsTable: string): Promise<{ segments: TableData | null; promotions: TableData | null }> {
  const segments = s.previousFrom === "lastWrite" ? await gateway.readTable(segmentsTable) : null;
  const promotions = s.promotions ? await gateway.readTable(PROMOTIONS_TABLE) : null;
  return { segments, promotions };
}
