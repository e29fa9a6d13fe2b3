/**
 * ABC x XYZ segments: the ABC label followed by the XYZ label ("AX" ... "CZ" with the default
 * labels). A SKU without demand in its history window gets XYZ "N", so its segment is "AN", "BN"
 * or "CN": kept apart from the nine segments rather than forced into X or Z. A row rejected by
 * either classification has no segment (its issue is carried over, ABC side first).
 * The ABC class depends only on the values; a row rejected on the XYZ side still counts in the
 * ABC total (the two classifications are independent and only combined here).
 */
import type { AbcResult } from "./abc";
import { ArgumentError, CellError } from "./errors";
import { NO_DEMAND, XYZ_LABELS, type XyzResult } from "./xyz";

export interface SegmentResult {
  /** Every possible segment label, index = abc * 4 + xyz (xyz code 0 X, 1 Y, 2 Z, 3 N). */
  labels: string[];
  /** Index into labels per row; -1 when the row has no segment. */
  segment: Int32Array;
  /** Rows without a segment and why. */
  issues: Map<number, CellError>;
}

export function combineSegments(abc: AbcResult, xyz: XyzResult): SegmentResult {
  const n = abc.abc.length;
  if (xyz.xyz.length !== n) throw new ArgumentError("history", `has ${xyz.xyz.length} rows but values has ${n}; give one history row per value`);
  const labels: string[] = [];
  for (const a of abc.labels) for (const x of XYZ_LABELS) labels.push(a + x);
  const segment = new Int32Array(n);
  const issues = new Map<number, CellError>();
  for (let i = 0; i < n; i++) {
    const a = abc.abc[i];
    const x = xyz.xyz[i];
    if (a < 0) {
      segment[i] = -1;
      issues.set(i, abc.issues.get(i)!);
    } else if (x < 0) {
      segment[i] = -1;
      issues.set(i, xyz.issues.get(i)!);
    } else segment[i] = a * XYZ_LABELS.length + x;
  }
  return { labels, segment, issues };
}

export interface SegmentSummary {
  segment: string;
  skuCount: number;
  /** Sum of the members' ABC value shares (of the ABC total). */
  valueShare: number;
  /** CV statistics of the members; null when no member has a CV (e.g. the "N" segments). */
  cvMin: number | null;
  cvMedian: number | null;
  cvMax: number | null;
}

/**
 * One line per segment for the pane's preview: every ABC label with X, Y and Z (count 0 included,
 * so the grid is always complete), then the no-demand segments that have members. Rows without a
 * segment are counted in `excludedRows`. The CV median of an even count is the mean of the two
 * middle values.
 */
export function summarizeSegments(seg: SegmentResult, abc: AbcResult, xyz: XyzResult): { segments: SegmentSummary[]; excludedRows: number } {
  if (abc.share.length !== seg.segment.length) throw new Error("summarizeSegments needs the ABC shares: classify without classesOnly");
  const k = seg.labels.length;
  const count = new Int32Array(k);
  const share = new Float64Array(k);
  for (let i = 0; i < seg.segment.length; i++) {
    const s = seg.segment[i];
    if (s < 0) continue;
    count[s]++;
    share[s] += abc.share[i];
  }
  const cvs: Float64Array[] = Array.from({ length: k }, (_, s) => new Float64Array(count[s]));
  const fill = new Int32Array(k);
  for (let i = 0; i < seg.segment.length; i++) {
    const s = seg.segment[i];
    if (s >= 0 && !Number.isNaN(xyz.cv[i])) cvs[s][fill[s]++] = xyz.cv[i];
  }
  const grid: SegmentSummary[] = [];
  const noDemand: SegmentSummary[] = [];
  for (let s = 0; s < k; s++) {
    const isNoDemand = s % XYZ_LABELS.length === NO_DEMAND;
    if (isNoDemand && count[s] === 0) continue;
    const v = cvs[s].subarray(0, fill[s]).sort();
    const m = v.length;
    (isNoDemand ? noDemand : grid).push({
      segment: seg.labels[s],
      skuCount: count[s],
      valueShare: share[s],
      cvMin: m ? v[0] : null,
      cvMedian: m ? (m % 2 ? v[m >> 1] : (v[m / 2 - 1] + v[m / 2]) / 2) : null,
      cvMax: m ? v[m - 1] : null,
    });
  }
  return { segments: [...grid, ...noDemand], excludedRows: seg.issues.size };
}
