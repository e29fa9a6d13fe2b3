/**
 * Facts about where a classification's inputs came from, per SKU, for the Segments sheet and the
 * data-quality report (pure; the engine rules are src/engine/hierarchy.ts and freshness.ts):
 * - Family and Category decided across sources by the stated priority (first = strongest); the
 *   "Decided by" column names the source ("SAP MM", or "family: SAP MM; category: PIM" when two
 *   sources decided). Conflicts are listed as describeConflict words them.
 * - A data flag for a SKU whose history is stale or missing, with the fallback applied (previous
 *   class kept, the family's pattern used, or excluded from the run).
 * - The data-quality report of the planning cycle: stale inputs against their refresh SLA, the
 *   latency check (the data's last period against the cycle date), the freshness counts, the
 *   bucketing counts and the conflicts.
 */
import { describeConflict, resolveHierarchy, type HierarchyConflict } from "../engine/hierarchy";
import { checkLatency, dataQualityReport, type DataQualityReport, type FreshnessResult, type InputRefresh } from "../engine/freshness";
import type { ClassificationResult } from "./classifyTypes";

export interface HierarchySourceIn {
  /** Source name, as in the priority list. */
  source: string;
  sku: readonly string[];
  family: readonly string[];
  category: readonly string[];
}

export interface SourceFacts {
  /** Per classified row (ParsedTable order). */
  family: string[];
  category: string[];
  decidedBy: string[];
  /** "" when the SKU's data is fresh (or no freshness limit was set). */
  dataFlag: string[];
  /** Sources in priority order (strongest first). */
  priority: string[];
  conflicts: HierarchyConflict[];
  /** Lines of the data-quality report (also in the Segments notes). */
  dataQuality: string[];
  /** False when an input is past its SLA or the latency check failed. */
  dataOk: boolean;
}

/** Family, category and the deciding source per row; `baseSku` is each row's SKU (without location). */
export function decideHierarchy(baseSku: readonly string[], sources: readonly HierarchySourceIn[], priority: readonly string[]) {
  const given = sources.filter((s) => s.family.some(Boolean) || s.category.some(Boolean));
  const ranked = priority.filter((p) => given.some((s) => s.source === p));
  for (const s of given) if (!ranked.includes(s.source)) ranked.push(s.source);
  const fam = resolveHierarchy("family", given.map((s) => ({ source: s.source, sku: s.sku, value: s.family })), ranked);
  const cat = resolveHierarchy("category", given.map((s) => ({ source: s.source, sku: s.sku, value: s.category })), ranked);
  const index = (r: typeof fam) => new Map(r.sku.map((k, i) => [k, i]));
  const fi = index(fam);
  const ci = index(cat);
  const n = baseSku.length;
  const family = new Array<string>(n);
  const category = new Array<string>(n);
  const decidedBy = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const k = baseSku[i];
    const f = fi.get(k);
    const c = ci.get(k);
    family[i] = f === undefined ? "" : fam.value[f];
    category[i] = c === undefined ? "" : cat.value[c];
    const fb = f === undefined ? "" : fam.decidedBy[f];
    const cb = c === undefined ? "" : cat.decidedBy[c];
    decidedBy[i] = fb && cb && fb !== cb ? `family: ${fb}; category: ${cb}` : fb || cb;
  }
  const wanted = new Set(baseSku);
  const conflicts = [...fam.conflicts, ...cat.conflicts].filter((c) => wanted.has(c.sku));
  return { family, category, decidedBy, conflicts, priority: ranked };
}

/**
 * The classification with the fallbacks applied: "previousClass" keeps the SKU's previous segment
 * (its ABC and XYZ letters too), "familyPattern" takes its family's pattern. ("exclude" is applied
 * before, by the job's exclude mask.) The flags go into the SKU's notes.
 */
export function applyFallbacks(result: ClassificationResult, fr: FreshnessResult): ClassificationResult {
  const segment = result.segment.slice();
  const abc = result.abc.slice();
  const xyz = result.xyz.slice();
  const pattern = result.pattern.slice();
  const notes = result.notes.slice();
  for (let i = 0; i < result.n; i++) {
    const a = fr.action[i];
    if (a === "classify") continue;
    if (a === "previousClass") {
      const prev = fr.fallbackValue[i];
      segment[i] = prev;
      if (/^[ABC]/.test(prev)) abc[i] = prev[0];
      if (/^[ABC][XYZN]$/.test(prev)) xyz[i] = prev[1];
    } else if (a === "familyPattern") pattern[i] = fr.fallbackValue[i];
    notes[i] = [notes[i], fr.flag[i]].filter(Boolean).join("; ");
  }
  return { ...result, segment, abc, xyz, pattern, notes };
}

export interface QualityInputs {
  now: number;
  /** Epoch day of the planning cycle's run. */
  cycleDay: number;
  maxLagDays: number;
  /** Epoch day the data's last period ends (null: no dated data). */
  lastPeriodEnd: number | null;
  inputs: readonly InputRefresh[];
  freshness?: FreshnessResult;
  notes: readonly string[];
  conflicts: readonly HierarchyConflict[];
}

/** The data-quality report of the planning cycle, as lines. */
export function qualityReport(q: QualityInputs): DataQualityReport {
  const latency = q.lastPeriodEnd === null ? undefined : checkLatency(q.lastPeriodEnd, q.cycleDay, q.maxLagDays);
  const notes = [...q.notes];
  if (q.conflicts.length) {
    notes.push(`${q.conflicts.length} hierarchy conflict(s), decided by the source priority:`);
    for (const c of q.conflicts.slice(0, 20)) notes.push(describeConflict(c));
    if (q.conflicts.length > 20) notes.push(`… and ${q.conflicts.length - 20} more.`);
  }
  return dataQualityReport(q.now, q.inputs, { latency, freshness: q.freshness, notes });
}
