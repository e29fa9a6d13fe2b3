/**
 * What the pane shows before anything is written: counts and value shares per group, the spread of
 * the CV, and the rejected rows.
 */
import { SEGMENTS } from "../engine/policy";
import type { ClassificationResult } from "./classifyTypes";
import { effectiveSegments } from "./plans";
import type { OverrideMap } from "./overrides";
import type { ParsedTable, Rejection } from "./parse";

export interface GroupRow {
  key: string;
  count: number;
  /** Share of total value, 0..1. */
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

export interface Preview {
  skus: number;
  rowsRead: number;
  rejected: Rejection[];
  totalValue: number;
  bySegment: GroupRow[];
  byAbc: GroupRow[];
  byXyz: GroupRow[];
  byPattern: GroupRow[];
  /** CV spread over SKUs with a defined CV, overall and per XYZ class. */
  cv: { all: Spread | null; byXyz: Record<string, Spread | null> };
  /** SKUs whose CV is undefined (no demand). */
  cvUndefined: number;
  pinned: number;
  /** SKUs whose ABC class differs from the mapped current class (null when no current class is mapped). */
  changedVsCurrent: number | null;
  outlierPeriods: number;
  overrides: { active: number; flagged: number; notInRun: number };
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

function group(keys: readonly string[], value: Float64Array, total: number, order: readonly string[]): GroupRow[] {
  const count = new Map<string, number>();
  const sum = new Map<string, number>();
  keys.forEach((k, i) => {
    count.set(k, (count.get(k) ?? 0) + 1);
    sum.set(k, (sum.get(k) ?? 0) + value[i]);
  });
  const extra = [...count.keys()].filter((k) => !order.includes(k)).sort();
  return [...order, ...extra]
    .filter((k) => count.has(k) || order.includes(k))
    .map((k) => ({ key: k || "(none)", count: count.get(k) ?? 0, valueShare: total > 0 ? (sum.get(k) ?? 0) / total : 0 }));
}

export function buildPreview(parsed: ParsedTable, result: ClassificationResult, overrides: OverrideMap): Preview {
  const total = result.total;
  const cvs: number[] = [];
  const byClass: Record<string, number[]> = { X: [], Y: [], Z: [] };
  let cvUndefined = 0;
  for (let i = 0; i < result.n; i++) {
    const cv = result.cv[i];
    if (Number.isFinite(cv)) {
      cvs.push(cv);
      (byClass[result.xyz[i]] ??= []).push(cv);
    } else cvUndefined++;
  }
  let changed: number | null = null;
  if (parsed.currentClass.some((c) => c !== null)) {
    changed = 0;
    for (let i = 0; i < result.n; i++) {
      const cur = parsed.currentClass[i];
      if (cur !== null && cur[0] !== result.abc[i]) changed++;
    }
  }
  const eff = effectiveSegments(parsed, result, overrides);
  const inRun = new Set(parsed.sku);
  return {
    skus: parsed.n,
    rowsRead: parsed.rowsRead,
    rejected: parsed.rejected,
    totalValue: total,
    bySegment: group(result.segment, parsed.value, total, SEGMENTS),
    byAbc: group(result.abc, parsed.value, total, ["A", "B", "C"]),
    byXyz: group(result.xyz, parsed.value, total, ["X", "Y", "Z"]),
    byPattern: group(result.pattern, parsed.value, total, ["smooth", "erratic", "intermittent", "lumpy"]),
    cv: { all: spreadOf(cvs), byXyz: { X: spreadOf(byClass.X), Y: spreadOf(byClass.Y), Z: spreadOf(byClass.Z) } },
    cvUndefined,
    pinned: parsed.pinned.reduce((s, x) => s + x, 0),
    changedVsCurrent: changed,
    outlierPeriods: result.outliers.reduce((s, x) => s + x, 0),
    overrides: { active: eff.overridden, flagged: eff.flagged, notInRun: Object.keys(overrides).filter((k) => !inRun.has(k)).length },
    ms: result.ms,
  };
}
