/**
 * Governance dashboard figures, computed from what the pane already has (runs, version diffs,
 * overrides, the policy grid and the per-SKU policy, reconciliations). Pure; the pane writes them
 * to the Governance sheet with native charts.
 *
 * Definitions:
 *  - stability of segment s over the given diffs (consecutive runs) = SKUs in s in the older run and
 *    still in s in the newer / SKUs in s in the older run that are in both runs, pooled over the
 *    diffs (a sum of counts, not a mean of ratios). Churn per run is VersionDiff.churn.
 *  - override rate of segment s = open overrides of SKUs whose computed segment (latest run) is s /
 *    SKUs computed in s. Open = not cleared. Age in whole days from setAt to `now` (floor); buckets
 *    are "<= 30 days", "31-90 days", "91-180 days", "> 180 days" for the default bounds [30, 90, 180].
 *  - policy adherence: a SKU is off-grid when its applied service level (|difference| > 1e-9),
 *    method or review period differs from its segment's grid row; SKUs whose segment has no grid
 *    row (no-demand segments) are counted apart. Adherence = 1 - off-grid / SKUs with a grid row.
 *    Hand edits = policy-grid cells a person changed on the sheet and the last write kept.
 *  - exceptions: rejected rows / rows read pooled over the runs; suspended runs (data-quality
 *    verdict "suspend") and those forced through with a reason.
 *  - reconciliation: the latest per model version; a run counts as reconciled when it has one, as
 *    approved when that one has an approval.
 */
import type { ReconcileStatus } from "./reconcile";
import type { VersionDiff } from "./versions";
import { NEW_ROW, REMOVED_COLUMN } from "./versions";

export interface RunRecord {
  modelVersion: string;
  /** ISO 8601 UTC. */
  timestamp: string;
  skuCount: number;
  rowsRead: number;
  rejectedRows: number;
  /** The data-quality verdict was "suspend". */
  suspended: boolean;
  /** Suspended but written anyway, with a reason. */
  forcedThrough: boolean;
}

export interface OverrideInput {
  sku: string;
  /** The planner's segment. */
  segment: string;
  /** The computed segment when it was set (used when the SKU is not in the latest run). */
  computedAtSet: string;
  setAt: string;
  clearedAt?: string | null;
}

export interface GridRow {
  segment: string;
  serviceLevel: number;
  method: string;
  reviewPeriod: number;
}

export interface PolicyInput {
  grid: readonly GridRow[];
  gridCells: number;
  handEdits: number;
  /** The per-SKU policy as written (index-aligned). */
  segment: readonly string[];
  serviceLevel: ArrayLike<number>;
  method: readonly string[];
  reviewPeriod: ArrayLike<number>;
}

export interface ReconciliationRecord {
  modelVersion: string;
  timestamp: string;
  status: ReconcileStatus;
  approvedBy?: string | null;
  approvedAt?: string | null;
}

export interface GovernanceInput {
  /** ISO 8601 UTC: the moment the figures are for. */
  now: string;
  runs: readonly RunRecord[];
  /** Diffs between consecutive runs, oldest first (diffVersions). */
  diffs: readonly VersionDiff[];
  /** The latest run: computed segment per SKU. */
  latest: { sku: readonly string[]; computedSegment: readonly string[] };
  overrides: readonly OverrideInput[];
  policy?: PolicyInput;
  reconciliations: readonly ReconciliationRecord[];
  /** Upper bounds (days) of the override age buckets; default [30, 90, 180]. */
  ageBounds?: readonly number[];
  segmentOrder?: readonly string[];
}

export interface GovernanceFigures {
  stability: {
    runs: { from: string; to: string; churn: number | null; valueChurn: number | null; moved: number; common: number }[];
    perSegment: { segment: string; stayed: number; total: number; stability: number | null }[];
    averageChurn: number | null;
  };
  overrides: {
    ageBuckets: string[];
    perSegment: { segment: string; skus: number; open: number; rate: number | null; byAge: number[]; oldestDays: number | null }[];
    total: { skus: number; open: number; rate: number | null; byAge: number[]; oldestDays: number | null };
  };
  policy: {
    gridCells: number;
    handEdits: number;
    handEditShare: number | null;
    skus: number;
    withoutGridRow: number;
    offGrid: number;
    adherence: number | null;
    perSegment: { segment: string; skus: number; offGrid: number }[];
  } | null;
  exceptions: {
    runs: number;
    rejectedRowShare: number | null;
    suspended: number;
    suspendedShare: number | null;
    forcedThrough: number;
    perRun: { modelVersion: string; timestamp: string; rejectedShare: number | null; suspended: boolean; forcedThrough: boolean }[];
  };
  reconciliation: {
    latest: ReconciliationRecord | null;
    reconciledRuns: number;
    approvedRuns: number;
    reconciledShare: number | null;
    approvedShare: number | null;
    /** Latest reconciliation per run that has none approved yet. */
    awaitingApproval: number;
    byStatus: Record<ReconcileStatus, number>;
    daysSinceLastApproval: number | null;
  };
}

const DAY = 86_400_000;
const DEFAULT_ORDER = ["AX", "AY", "AZ", "AN", "BX", "BY", "BZ", "BN", "CX", "CY", "CZ", "CN"];
const ratio = (a: number, b: number) => (b === 0 ? null : a / b);

function sortLabels(labels: Iterable<string>, order: readonly string[]): string[] {
  const rank = new Map(order.map((s, i) => [s, i]));
  return [...labels].sort((a, b) => {
    const ra = rank.get(a);
    const rb = rank.get(b);
    if (ra !== undefined || rb !== undefined) return (ra ?? Infinity) - (rb ?? Infinity);
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

function bucketLabels(bounds: readonly number[]): string[] {
  const out: string[] = [];
  let lo = 0;
  for (const b of bounds) {
    out.push(lo === 0 ? `<= ${b} days` : `${lo}-${b} days`);
    lo = b + 1;
  }
  out.push(`> ${bounds[bounds.length - 1]} days`);
  return out;
}

export function governanceFigures(input: GovernanceInput): GovernanceFigures {
  const now = Date.parse(input.now);
  const order = input.segmentOrder ?? DEFAULT_ORDER;
  const bounds = input.ageBounds ?? [30, 90, 180];

  // ---- stability
  const stayed = new Map<string, number>();
  const total = new Map<string, number>();
  const runs = input.diffs.map((d) => {
    const m = d.matrix;
    m.from.forEach((s, r) => {
      if (s === NEW_ROW) return;
      m.to.forEach((t, c) => {
        if (t === REMOVED_COLUMN) return;
        const n = m.count[r][c];
        total.set(s, (total.get(s) ?? 0) + n);
        if (s === t) stayed.set(s, (stayed.get(s) ?? 0) + n);
      });
    });
    return { from: d.fromVersion, to: d.toVersion, churn: d.churn, valueChurn: d.valueChurn, moved: d.moved, common: d.common };
  });
  const churns = runs.map((r) => r.churn).filter((c): c is number => c !== null);
  const stability = {
    runs,
    perSegment: sortLabels(total.keys(), order).map((s) => ({ segment: s, stayed: stayed.get(s) ?? 0, total: total.get(s)!, stability: ratio(stayed.get(s) ?? 0, total.get(s)!) })),
    averageChurn: churns.length === 0 ? null : churns.reduce((a, b) => a + b, 0) / churns.length,
  };

  // ---- overrides
  const computed = new Map<string, string>();
  const skusPer = new Map<string, number>();
  input.latest.sku.forEach((sku, i) => {
    const s = input.latest.computedSegment[i];
    computed.set(sku, s);
    skusPer.set(s, (skusPer.get(s) ?? 0) + 1);
  });
  const empty = () => ({ open: 0, byAge: new Array<number>(bounds.length + 1).fill(0), oldest: -1 });
  const per = new Map<string, ReturnType<typeof empty>>();
  const all = empty();
  for (const o of input.overrides) {
    if (o.clearedAt) continue;
    const s = computed.get(o.sku) ?? o.computedAtSet;
    const age = Math.max(0, Math.floor((now - Date.parse(o.setAt)) / DAY));
    let b = bounds.findIndex((x) => age <= x);
    if (b < 0) b = bounds.length;
    let x = per.get(s);
    if (!x) per.set(s, (x = empty()));
    for (const t of [x, all]) {
      t.open++;
      t.byAge[b]++;
      t.oldest = Math.max(t.oldest, age);
    }
  }
  const segs = sortLabels(new Set([...skusPer.keys(), ...per.keys()]), order);
  const overrides = {
    ageBuckets: bucketLabels(bounds),
    perSegment: segs.map((s) => {
      const x = per.get(s) ?? empty();
      const n = skusPer.get(s) ?? 0;
      return { segment: s, skus: n, open: x.open, rate: ratio(x.open, n), byAge: x.byAge, oldestDays: x.oldest < 0 ? null : x.oldest };
    }),
    total: { skus: input.latest.sku.length, open: all.open, rate: ratio(all.open, input.latest.sku.length), byAge: all.byAge, oldestDays: all.oldest < 0 ? null : all.oldest },
  };

  // ---- policy adherence
  let policy: GovernanceFigures["policy"] = null;
  if (input.policy) {
    const p = input.policy;
    const grid = new Map(p.grid.map((g) => [g.segment, g]));
    const seg = new Map<string, { skus: number; offGrid: number }>();
    let without = 0;
    let off = 0;
    for (let i = 0; i < p.segment.length; i++) {
      const g = grid.get(p.segment[i]);
      if (!g) {
        without++;
        continue;
      }
      let x = seg.get(g.segment);
      if (!x) seg.set(g.segment, (x = { skus: 0, offGrid: 0 }));
      x.skus++;
      if (Math.abs(p.serviceLevel[i] - g.serviceLevel) > 1e-9 || p.method[i] !== g.method || p.reviewPeriod[i] !== g.reviewPeriod) {
        x.offGrid++;
        off++;
      }
    }
    const withGrid = p.segment.length - without;
    policy = {
      gridCells: p.gridCells,
      handEdits: p.handEdits,
      handEditShare: ratio(p.handEdits, p.gridCells),
      skus: p.segment.length,
      withoutGridRow: without,
      offGrid: off,
      adherence: withGrid === 0 ? null : 1 - off / withGrid,
      perSegment: sortLabels(seg.keys(), order).map((s) => ({ segment: s, ...seg.get(s)! })),
    };
  }

  // ---- exceptions
  let read = 0;
  let rejected = 0;
  for (const r of input.runs) {
    read += r.rowsRead;
    rejected += r.rejectedRows;
  }
  const suspended = input.runs.filter((r) => r.suspended).length;
  const exceptions = {
    runs: input.runs.length,
    rejectedRowShare: ratio(rejected, read),
    suspended,
    suspendedShare: ratio(suspended, input.runs.length),
    forcedThrough: input.runs.filter((r) => r.forcedThrough).length,
    perRun: input.runs.map((r) => ({ modelVersion: r.modelVersion, timestamp: r.timestamp, rejectedShare: ratio(r.rejectedRows, r.rowsRead), suspended: r.suspended, forcedThrough: r.forcedThrough })),
  };

  // ---- reconciliation
  const latestPer = new Map<string, ReconciliationRecord>();
  const approvedPer = new Set<string>();
  let latest: ReconciliationRecord | null = null;
  let lastApproval = -Infinity;
  for (const r of input.reconciliations) {
    const prev = latestPer.get(r.modelVersion);
    if (!prev || Date.parse(r.timestamp) >= Date.parse(prev.timestamp)) latestPer.set(r.modelVersion, r);
    if (!latest || Date.parse(r.timestamp) >= Date.parse(latest.timestamp)) latest = r;
    if (r.approvedAt) {
      approvedPer.add(r.modelVersion);
      lastApproval = Math.max(lastApproval, Date.parse(r.approvedAt));
    }
  }
  const runVersions = new Set(input.runs.map((r) => r.modelVersion));
  const reconciledRuns = [...latestPer.keys()].filter((v) => runVersions.has(v)).length;
  const approvedRuns = [...approvedPer].filter((v) => runVersions.has(v)).length;
  const byStatus: Record<ReconcileStatus, number> = { "ties out": 0, "within tolerance": 0, unexplained: 0 };
  for (const r of latestPer.values()) byStatus[r.status]++;
  const reconciliation = {
    latest,
    reconciledRuns,
    approvedRuns,
    reconciledShare: ratio(reconciledRuns, input.runs.length),
    approvedShare: ratio(approvedRuns, input.runs.length),
    awaitingApproval: [...latestPer.keys()].filter((v) => !approvedPer.has(v)).length,
    byStatus,
    daysSinceLastApproval: lastApproval === -Infinity ? null : Math.max(0, Math.floor((now - lastApproval) / DAY)),
  };

  return { stability, overrides, policy, exceptions, reconciliation };
}
