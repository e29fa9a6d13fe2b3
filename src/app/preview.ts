/**
 * What the pane shows before anything is written: counts and value shares per group, the 3×3
 * ABC×XYZ matrix, the Pareto curve of every SKU (binned), the demand-pattern quadrant, the spread
 * of the CV, inactive SKUs and the rejected rows.
 */
import { paretoBins } from "../engine/pareto";
import { ABC_CLASSES, SEGMENTS, XYZ_CLASSES } from "../engine/policy";
import type { ClassificationResult, ClassifyOptions } from "./classifyTypes";
import { effectiveSegments } from "./plans";
import type { OverrideMap } from "./overrides";
import type { ParsedTable, Rejection } from "./parse";

export interface GroupRow {
  key: string;
  count: number;
  /** Share of the ranked (active) value, 0..1. */
  valueShare: number;
}

export interface Spread {
  count: number;
  min: number;
  p25: number;
  median: number;
  p75: number;
  max: number;
}

export interface MatrixCell {
  segment: string;
  count: number;
  /** Share of the active SKUs and of their value, 0..1. */
  skuShare: number;
  valueShare: number;
}

export interface PatternQuadrant {
  pattern: "smooth" | "erratic" | "intermittent" | "lumpy";
  count: number;
}

export interface Preview {
  skus: number;
  rowsRead: number;
  rejected: Rejection[];
  /** Value of the ranked (active) SKUs. */
  totalValue: number;
  /** Active SKUs (ranked) and inactive ones (counted apart). */
  active: number;
  inactive: number;
  /** Inactive SKUs kept planned by a pin. */
  inactivePinned: number;
  bySegment: GroupRow[];
  byAbc: GroupRow[];
  byXyz: GroupRow[];
  byPattern: GroupRow[];
  /** Rows A, B, C × columns X, Y, Z of the active SKUs. */
  matrix: MatrixCell[][];
  /** The Pareto curve: cumulative share of SKUs (x) against cumulative share of value (y), at most 100 points. */
  pareto: { skuShare: number; valueShare: number }[];
  /** Syntetos–Boylan quadrants of the SKUs with demand, and up to 400 (ADI, CV²) points for the scatter. */
  patterns: { quadrants: PatternQuadrant[]; points: { adi: number; cv2: number; pattern: string }[]; adiCutoff: number; cv2Cutoff: number };
  /** CV spread over SKUs with a defined CV, overall and per XYZ class. */
  cv: { all: Spread | null; byXyz: Record<string, Spread | null> };
  /** SKUs whose CV is undefined (no demand in the window). */
  cvUndefined: number;
  pinned: number;
  /** SKUs whose ABC class differs from the mapped current class (null when no current class is mapped). */
  changedVsCurrent: number | null;
  outlierPeriods: number;
  overrides: { active: number; flagged: number; notInRun: number };
  /** Periods of history the statistics use, and the history's length. */
  windowPeriods: number;
  periods: number;
  ms: number;
}

/** Quantile by linear interpolation between order statistics (type 7, as Excel's PERCENTILE.INC). */
function quantile(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

export function spreadOf(values: number[]): Spread | null {
  if (values.length === 0) return null;
  const s = Float64Array.from(values).sort();
  return { count: s.length, min: s[0], p25: quantile(s, 0.25), median: quantile(s, 0.5), p75: quantile(s, 0.75), max: s[s.length - 1] };
}

function group(keys: readonly string[], value: Float64Array, total: number, order: readonly string[], include: (i: number) => boolean): GroupRow[] {
  const count = new Map<string, number>();
  const sum = new Map<string, number>();
  keys.forEach((k, i) => {
    if (!include(i)) return;
    count.set(k, (count.get(k) ?? 0) + 1);
    sum.set(k, (sum.get(k) ?? 0) + value[i]);
  });
  const extra = [...count.keys()].filter((k) => !order.includes(k)).sort();
  return [...order, ...extra]
    .filter((k) => count.has(k) || order.includes(k))
    .map((k) => ({ key: k || "(none)", count: count.get(k) ?? 0, valueShare: total > 0 ? (sum.get(k) ?? 0) / total : 0 }));
}

const QUADRANTS = ["smooth", "erratic", "intermittent", "lumpy"] as const;
const MAX_POINTS = 400;

export function buildPreview(parsed: ParsedTable, result: ClassificationResult, overrides: OverrideMap, options?: Pick<ClassifyOptions, "pattern">): Preview {
  const total = result.total;
  const n = result.n;
  const isActive = (i: number) => !result.inactive[i];
  const cvs: number[] = [];
  const byClass: Record<string, number[]> = { X: [], Y: [], Z: [] };
  let cvUndefined = 0;
  let inactive = 0;
  let inactivePinned = 0;
  for (let i = 0; i < n; i++) {
    if (result.inactive[i]) {
      inactive++;
      if (parsed.pinned[i]) inactivePinned++;
      continue;
    }
    const cv = result.cv[i];
    if (Number.isFinite(cv)) {
      cvs.push(cv);
      (byClass[result.xyz[i]] ??= []).push(cv);
    } else cvUndefined++;
  }
  const active = n - inactive;
  let changed: number | null = null;
  if (parsed.currentClass.some((c) => c !== null)) {
    changed = 0;
    for (let i = 0; i < n; i++) {
      const cur = parsed.currentClass[i];
      if (cur !== null && result.abc[i] && cur[0] !== result.abc[i]) changed++;
    }
  }
  // the 3x3 matrix of the active SKUs
  const cells = new Map<string, { count: number; value: number }>();
  for (let i = 0; i < n; i++) {
    if (!isActive(i)) continue;
    const c = cells.get(result.segment[i]) ?? { count: 0, value: 0 };
    c.count++;
    c.value += parsed.value[i];
    cells.set(result.segment[i], c);
  }
  const matrix = ABC_CLASSES.map((a) =>
    XYZ_CLASSES.map((x) => {
      const c = cells.get(a + x) ?? { count: 0, value: 0 };
      return { segment: a + x, count: c.count, skuShare: active > 0 ? c.count / active : 0, valueShare: total > 0 ? c.value / total : 0 };
    }),
  );
  const pareto = [{ skuShare: 0, valueShare: 0 }, ...paretoBins(result.order, parsed.value, result.cumShare, 100).map((b) => ({ skuShare: b.itemShare, valueShare: b.cumShare }))];
  // pattern quadrants and a thinned scatter (every k-th SKU with demand, in input order)
  const quadrants = QUADRANTS.map((p) => ({ pattern: p, count: 0 }));
  const withDemand: number[] = [];
  for (let i = 0; i < n; i++) {
    if (!isActive(i)) continue;
    const q = QUADRANTS.indexOf(result.pattern[i] as (typeof QUADRANTS)[number]);
    if (q < 0) continue;
    quadrants[q].count++;
    if (Number.isFinite(result.adi[i]) && Number.isFinite(result.cv2[i])) withDemand.push(i);
  }
  const step = Math.max(1, Math.ceil(withDemand.length / MAX_POINTS));
  const points: { adi: number; cv2: number; pattern: string }[] = [];
  for (let k = 0; k < withDemand.length; k += step) {
    const i = withDemand[k];
    points.push({ adi: result.adi[i], cv2: result.cv2[i], pattern: result.pattern[i] });
  }
  const eff = effectiveSegments(parsed, result, overrides);
  const inRun = new Set(parsed.sku);
  return {
    skus: parsed.n,
    rowsRead: parsed.rowsRead,
    rejected: parsed.rejected,
    totalValue: total,
    active,
    inactive,
    inactivePinned,
    bySegment: group(result.segment, parsed.value, total, SEGMENTS, isActive),
    byAbc: group(result.abc, parsed.value, total, ["A", "B", "C"], isActive),
    byXyz: group(result.xyz, parsed.value, total, ["X", "Y", "Z"], isActive),
    byPattern: group(result.pattern, parsed.value, total, ["smooth", "erratic", "intermittent", "lumpy"], isActive),
    matrix,
    pareto,
    patterns: { quadrants, points, adiCutoff: options?.pattern.adi ?? 1.32, cv2Cutoff: options?.pattern.cv2 ?? 0.49 },
    cv: { all: spreadOf(cvs), byXyz: { X: spreadOf(byClass.X), Y: spreadOf(byClass.Y), Z: spreadOf(byClass.Z) } },
    cvUndefined,
    pinned: parsed.pinned.reduce((s, x) => s + x, 0),
    changedVsCurrent: changed,
    outlierPeriods: result.outliers.reduce((s, x) => s + x, 0),
    overrides: { active: eff.overridden, flagged: eff.flagged, notInRun: Object.keys(overrides).filter((k) => !inRun.has(k)).length },
    windowPeriods: result.windowPeriods,
    periods: parsed.periods,
    ms: result.ms,
  };
}
