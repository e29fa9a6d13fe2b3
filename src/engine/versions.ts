/**
 * Change control between two segmentation versions (model versions): the migration matrix
 * (from-segment x to-segment, counts and value, as in SAP's ABC deviation analysis between two
 * classifications and the R package matman's `compare` of two ABC/XYZ analyses), churn, and the
 * movers with the reason they moved.
 *
 * SKUs are matched by exact `sku` text (both versions come from the same workbook's writes).
 * Churn = SKUs in both versions whose planned segment changed / SKUs in both versions (null when
 * none are in both); value churn = the movers' value in the newer version / the common SKUs' value
 * in the newer version. Added and removed SKUs are in the matrix ("(new)" row, "(removed)" column)
 * but not in the churn.
 *
 * Reason of a mover, the first that applies (attribution order, so each mover has exactly one):
 *   1. override   a planner override is in force in either version (set, changed or cleared);
 *   2. rule       the SKU's pin or inactive flag changed, or the rule parameters (`parameters.rules`:
 *                 sd type, outlier filter, value source...) differ between the versions;
 *   3. threshold  the cut-offs (or labels) differ, and the newer inputs classified with the older
 *                 cut-offs give the older computed segment: the data alone would not have moved it;
 *   4. data       otherwise: its inputs (cumulative value share, CV) crossed a cut-off;
 *   5. unknown    the cut-offs differ but the newer version has no per-SKU inputs to tell 3 from 4.
 * Classification used for the check (same conventions as abc.ts and xyz.ts): ABC class = the first
 * cut-off with cumShare <= cut-off (1e-12 relative tolerance), else the last class; XYZ: cv <= first
 * cut-off X, <= second Y, else Z; cv NaN (no demand) -> N. A pinned SKU keeps its ABC part.
 */
import { atMost } from "./abc";
import { ArgumentError } from "./errors";

export interface VersionParameters {
  /** ABC cut-offs on the cumulative value share, increasing. */
  abcCutoffs: readonly number[];
  /** XYZ cut-offs on the CV. */
  xyzCutoffs: readonly number[];
  /** Default A, B, C, ... (one more than the cut-offs). */
  abcLabels?: readonly string[];
  /** Default X, Y, Z (one more than the cut-offs); "N" is no demand. */
  xyzLabels?: readonly string[];
  /** Everything else that decides a segment (sd type, outlier filter, value source...); compared as canonical JSON. */
  rules?: Readonly<Record<string, unknown>>;
}

export interface SegmentationVersion {
  modelVersion: string;
  parameters: VersionParameters;
  sku: readonly string[];
  /** Planned segment (the override when there is one). */
  segment: readonly string[];
  /** Segment before overrides; defaults to `segment`. */
  computedSegment?: readonly string[];
  value: ArrayLike<number>;
  /** Cumulative value share including the SKU (the ABC input). */
  cumShare?: ArrayLike<number>;
  /** Coefficient of variation (the XYZ input); NaN = no demand. */
  cv?: ArrayLike<number>;
  pinned?: ArrayLike<number>;
  inactive?: ArrayLike<number>;
}

export const MOVE_REASONS = ["override", "rule", "threshold", "data", "unknown"] as const;
export type MoveReason = (typeof MOVE_REASONS)[number];

export const NEW_ROW = "(new)";
export const REMOVED_COLUMN = "(removed)";

export interface MigrationMatrix {
  /** Row labels: the older version's segments, then NEW_ROW. */
  from: string[];
  /** Column labels: the newer version's segments, then REMOVED_COLUMN. */
  to: string[];
  count: number[][];
  /** Value in the older version (0 for new SKUs). */
  valueFrom: number[][];
  /** Value in the newer version (0 for removed SKUs). */
  valueTo: number[][];
}

export interface Mover {
  sku: string;
  from: string;
  to: string;
  computedFrom: string;
  computedTo: string;
  valueFrom: number;
  valueTo: number;
  cumShareFrom: number | null;
  cumShareTo: number | null;
  cvFrom: number | null;
  cvTo: number | null;
  reason: MoveReason;
  /** In words, e.g. "cumShare 0.7812 -> 0.8123 crossed A <= 0.8". */
  detail: string;
}

export interface ParameterChange {
  path: string;
  from: string;
  to: string;
}

export interface SegmentChange {
  segment: string;
  skusFrom: number;
  skusTo: number;
  valueFrom: number;
  valueTo: number;
}

export interface VersionDiff {
  fromVersion: string;
  toVersion: string;
  common: number;
  moved: number;
  added: number;
  removed: number;
  churn: number | null;
  valueChurn: number | null;
  matrix: MigrationMatrix;
  /** The same on the ABC part alone (SAP's ABC migration view). */
  abcMatrix: MigrationMatrix;
  /** Movers, largest newer value first (after `filter`). */
  movers: Mover[];
  reasons: Record<MoveReason, { count: number; value: number }>;
  parameterChanges: ParameterChange[];
  perSegment: SegmentChange[];
}

export interface DiffOptions {
  /** matman-style filters on the movers list (counts and matrices are never filtered). */
  filter?: { minValueDiff?: number; minCvDiff?: number; abcChanged?: boolean; xyzChanged?: boolean };
  segmentOrder?: readonly string[];
}

const DEFAULT_ORDER = ["AX", "AY", "AZ", "AN", "BX", "BY", "BZ", "BN", "CX", "CY", "CZ", "CN"];

function labelsOf(p: VersionParameters): { abc: string[]; xyz: string[] } {
  const abc = p.abcLabels ? [...p.abcLabels] : Array.from({ length: p.abcCutoffs.length + 1 }, (_, i) => String.fromCharCode(65 + i));
  const xyz = p.xyzLabels ? [...p.xyzLabels] : ["X", "Y", "Z"].slice(0, p.xyzCutoffs.length + 1);
  return { abc, xyz };
}

/** The ABC part of a segment label (the longest ABC label it starts with), and the rest. */
function split(label: string, abcLabels: readonly string[]): [string, string] {
  let best = "";
  for (const a of abcLabels) if (label.startsWith(a) && a.length > best.length) best = a;
  if (best === "") best = label.charAt(0);
  return [best, label.slice(best.length)];
}

/** ABC class of a cumulative share under cut-offs (abc.ts convention). */
export function abcClassOf(cumShare: number, cutoffs: readonly number[], labels: readonly string[]): string {
  for (let k = 0; k < cutoffs.length; k++) if (atMost(cumShare, cutoffs[k])) return labels[k];
  return labels[Math.min(cutoffs.length, labels.length - 1)];
}

/** XYZ class of a CV under cut-offs (xyz.ts convention); NaN -> "N". */
export function xyzClassOf(cv: number, cutoffs: readonly number[], labels: readonly string[]): string {
  if (Number.isNaN(cv)) return "N";
  for (let k = 0; k < cutoffs.length; k++) if (atMost(cv, cutoffs[k])) return labels[k];
  return labels[Math.min(cutoffs.length, labels.length - 1)];
}

function canonical(x: unknown): string {
  if (Array.isArray(x)) return `[${x.map(canonical).join(",")}]`;
  if (x && typeof x === "object") {
    const o = x as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(x) ?? "null";
}

function flatten(x: unknown, prefix: string, out: Map<string, string>): void {
  if (x && typeof x === "object" && !Array.isArray(x)) {
    for (const k of Object.keys(x as Record<string, unknown>).sort()) flatten((x as Record<string, unknown>)[k], prefix ? `${prefix}.${k}` : k, out);
  } else if (x !== undefined) out.set(prefix, canonical(x));
}

/** Parameter paths whose value differs, e.g. { path: "abcCutoffs", from: "[0.8,0.95]", to: "[0.75,0.95]" }. */
export function parameterChanges(a: VersionParameters, b: VersionParameters): ParameterChange[] {
  const fa = new Map<string, string>();
  const fb = new Map<string, string>();
  flatten(a, "", fa);
  flatten(b, "", fb);
  const paths = [...new Set([...fa.keys(), ...fb.keys()])].sort();
  return paths.filter((p) => fa.get(p) !== fb.get(p)).map((p) => ({ path: p, from: fa.get(p) ?? "", to: fb.get(p) ?? "" }));
}

function sortLabels(labels: Iterable<string>, order: readonly string[]): string[] {
  const rank = new Map(order.map((s, i) => [s, i]));
  return [...labels].sort((a, b) => {
    const ra = rank.get(a);
    const rb = rank.get(b);
    if (ra !== undefined || rb !== undefined) return (ra ?? Infinity) - (rb ?? Infinity);
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

class MatrixBuilder {
  private readonly rows = new Map<string, number>();
  private readonly cols = new Map<string, number>();
  private readonly cells = new Map<number, [number, number, number]>();
  add(from: string, to: string, vFrom: number, vTo: number): void {
    let r = this.rows.get(from);
    if (r === undefined) this.rows.set(from, (r = this.rows.size));
    let c = this.cols.get(to);
    if (c === undefined) this.cols.set(to, (c = this.cols.size));
    const key = r * 65536 + c;
    const cell = this.cells.get(key);
    if (cell) {
      cell[0]++;
      cell[1] += vFrom;
      cell[2] += vTo;
    } else this.cells.set(key, [1, vFrom, vTo]);
  }
  build(order: readonly string[]): MigrationMatrix {
    const from = sortLabels([...this.rows.keys()].filter((l) => l !== NEW_ROW), order);
    if (this.rows.has(NEW_ROW)) from.push(NEW_ROW);
    const to = sortLabels([...this.cols.keys()].filter((l) => l !== REMOVED_COLUMN), order);
    if (this.cols.has(REMOVED_COLUMN)) to.push(REMOVED_COLUMN);
    const grid = (k: 0 | 1 | 2) => from.map((f) => to.map((t) => this.cells.get(this.rows.get(f)! * 65536 + this.cols.get(t)!)?.[k] ?? 0));
    return { from, to, count: grid(0), valueFrom: grid(1), valueTo: grid(2) };
  }
}

const fmt = (x: number) => (Number.isFinite(x) ? String(Math.round(x * 1e4) / 1e4) : "none");

/** Compares version `a` (older) with `b` (newer). */
export function diffVersions(a: SegmentationVersion, b: SegmentationVersion, options: DiffOptions = {}): VersionDiff {
  for (const [name, v] of [["from", a], ["to", b]] as const) {
    const n = v.sku.length;
    if (v.segment.length !== n || v.value.length !== n) throw new ArgumentError(`${name}.segment`, `segment and value need one entry per SKU (${n})`);
    for (const k of ["computedSegment", "cumShare", "cv", "pinned", "inactive"] as const) {
      const col = v[k];
      if (col !== undefined && col.length !== n) throw new ArgumentError(`${name}.${k}`, `has ${col.length} entries but there are ${n} SKUs`);
    }
  }
  const la = labelsOf(a.parameters);
  const lb = labelsOf(b.parameters);
  const thresholdsChanged = canonical([a.parameters.abcCutoffs, a.parameters.xyzCutoffs, la]) !== canonical([b.parameters.abcCutoffs, b.parameters.xyzCutoffs, lb]);
  const rulesChanged = canonical(a.parameters.rules ?? {}) !== canonical(b.parameters.rules ?? {});
  const changedRules = rulesChanged ? parameterChanges({ abcCutoffs: [], xyzCutoffs: [], rules: a.parameters.rules }, { abcCutoffs: [], xyzCutoffs: [], rules: b.parameters.rules }).map((c) => c.path.replace(/^rules\./, "")) : [];
  const order = options.segmentOrder ?? DEFAULT_ORDER;

  const index = new Map<string, number>();
  for (let i = 0; i < a.sku.length; i++) index.set(a.sku[i], i);
  const seenInB = new Uint8Array(a.sku.length);
  const matrix = new MatrixBuilder();
  const abcMatrix = new MatrixBuilder();
  const reasons = Object.fromEntries(MOVE_REASONS.map((r) => [r, { count: 0, value: 0 }])) as VersionDiff["reasons"];
  const movers: Mover[] = [];
  const per = new Map<string, SegmentChange>();
  const perOf = (s: string) => {
    let x = per.get(s);
    if (!x) per.set(s, (x = { segment: s, skusFrom: 0, skusTo: 0, valueFrom: 0, valueTo: 0 }));
    return x;
  };
  let common = 0;
  let moved = 0;
  let added = 0;
  let commonValue = 0;
  let movedValue = 0;
  const compA = a.computedSegment ?? a.segment;
  const compB = b.computedSegment ?? b.segment;
  const num = (col: ArrayLike<number> | undefined, i: number) => (col ? col[i] : Number.NaN);
  const f = options.filter ?? {};

  for (let q = 0; q < b.sku.length; q++) {
    const sku = b.sku[q];
    const to = b.segment[q];
    const vTo = b.value[q];
    perOf(to).skusTo++;
    perOf(to).valueTo += vTo;
    const p = index.get(sku);
    if (p === undefined) {
      added++;
      matrix.add(NEW_ROW, to, 0, vTo);
      abcMatrix.add(NEW_ROW, split(to, lb.abc)[0], 0, vTo);
      continue;
    }
    seenInB[p] = 1;
    common++;
    const from = a.segment[p];
    const vFrom = a.value[p];
    commonValue += vTo;
    matrix.add(from, to, vFrom, vTo);
    abcMatrix.add(split(from, la.abc)[0], split(to, lb.abc)[0], vFrom, vTo);
    if (from === to) continue;
    moved++;
    movedValue += vTo;
    const cf = compA[p];
    const ct = compB[q];
    const csA = num(a.cumShare, p);
    const csB = num(b.cumShare, q);
    const cvA = num(a.cv, p);
    const cvB = num(b.cv, q);
    let reason: MoveReason;
    let detail = "";
    const pinA = a.pinned ? a.pinned[p] === 1 : false;
    const pinB = b.pinned ? b.pinned[q] === 1 : false;
    const inA = a.inactive ? a.inactive[p] === 1 : false;
    const inB = b.inactive ? b.inactive[q] === 1 : false;
    if (from !== cf || to !== ct) {
      reason = "override";
      detail = from !== cf && to !== ct ? `override changed ${from} -> ${to}` : to !== ct ? `override set to ${to} (computed ${ct})` : `override ${from} cleared (computed ${ct})`;
    } else if (pinA !== pinB || inA !== inB) {
      reason = "rule";
      detail = [pinA !== pinB ? (pinB ? "pin set" : "pin removed") : "", inA !== inB ? (inB ? "marked inactive" : "no longer inactive") : ""].filter(Boolean).join(", ");
    } else if (rulesChanged) {
      reason = "rule";
      detail = `rules changed: ${changedRules.join(", ")}`;
    } else {
      const describe = () => {
        const parts: string[] = [];
        const [abcF, xyzF] = split(cf, la.abc);
        const [abcT, xyzT] = split(ct, lb.abc);
        if (abcF !== abcT) parts.push(`cumShare ${fmt(csA)} -> ${fmt(csB)} (${abcF} -> ${abcT})`);
        if (xyzF !== xyzT) parts.push(`cv ${fmt(cvA)} -> ${fmt(cvB)} (${xyzF} -> ${xyzT})`);
        return parts.join(", ");
      };
      if (!thresholdsChanged) {
        reason = "data";
        detail = describe();
      } else if (!b.cumShare || !b.cv) {
        reason = "unknown";
        detail = "cut-offs changed and the newer version has no cumShare/cv to tell threshold from data";
      } else {
        const abcNow = split(ct, lb.abc)[0];
        const abcOld = pinB ? abcNow : abcClassOf(csB, a.parameters.abcCutoffs, la.abc);
        const xyzOld = xyzClassOf(cvB, a.parameters.xyzCutoffs, la.xyz);
        const underOld = abcOld + xyzOld;
        if (underOld === cf) {
          reason = "threshold";
          detail = `with the older cut-offs it would still be ${cf}`;
        } else {
          reason = "data";
          detail = describe();
        }
      }
    }
    reasons[reason].count++;
    reasons[reason].value += vTo;
    const [abcF] = split(from, la.abc);
    const [abcT] = split(to, lb.abc);
    if (f.abcChanged !== undefined && (abcF !== abcT) !== f.abcChanged) continue;
    if (f.xyzChanged !== undefined && (split(from, la.abc)[1] !== split(to, lb.abc)[1]) !== f.xyzChanged) continue;
    if (f.minValueDiff !== undefined && !(Math.abs(vTo - vFrom) > f.minValueDiff)) continue;
    if (f.minCvDiff !== undefined && !(Math.abs(cvB - cvA) > f.minCvDiff)) continue;
    const orNull = (x: number) => (Number.isFinite(x) ? x : null);
    movers.push({ sku, from, to, computedFrom: cf, computedTo: ct, valueFrom: vFrom, valueTo: vTo, cumShareFrom: orNull(csA), cumShareTo: orNull(csB), cvFrom: orNull(cvA), cvTo: orNull(cvB), reason, detail });
  }
  let removed = 0;
  for (let p = 0; p < a.sku.length; p++) {
    const s = a.segment[p];
    perOf(s).skusFrom++;
    perOf(s).valueFrom += a.value[p];
    if (seenInB[p]) continue;
    removed++;
    matrix.add(s, REMOVED_COLUMN, a.value[p], 0);
    abcMatrix.add(split(s, la.abc)[0], REMOVED_COLUMN, a.value[p], 0);
  }
  movers.sort((x, y) => y.valueTo - x.valueTo || (x.sku < y.sku ? -1 : x.sku > y.sku ? 1 : 0));
  const abcOrder = [...new Set([...la.abc, ...lb.abc])];
  return {
    fromVersion: a.modelVersion,
    toVersion: b.modelVersion,
    common,
    moved,
    added,
    removed,
    churn: common === 0 ? null : moved / common,
    valueChurn: commonValue === 0 ? null : movedValue / commonValue,
    matrix: matrix.build(order),
    abcMatrix: abcMatrix.build(abcOrder),
    movers,
    reasons,
    parameterChanges: parameterChanges(a.parameters, b.parameters),
    perSegment: sortLabels(per.keys(), order).map((s) => per.get(s)!),
  };
}
