/**
 * Hierarchy conflicts: two or more sources give one SKU a family (or category, or any text
 * attribute), and they may disagree. Conflicts are listed, and each SKU's value is decided by a
 * stated source priority; the deciding source is recorded per SKU (the Segments sheet shows it).
 *
 * Rules:
 * - Values are compared trimmed, with runs of white space as one space, case-insensitively
 *   ("Pumps " = "PUMPS"); the chosen value is written as the deciding source spells it (trimmed).
 * - A blank value (null, "", white space) is no value: it neither conflicts nor decides, so the
 *   next source in priority decides.
 * - Within one source, the first row for a SKU counts; a later row with a different value is
 *   listed as a conflict of that source with itself (source "ERP (row 7)").
 * - Every source must appear in `priority` (first = strongest): an ArgumentError names those that
 *   do not.
 * - SKUs come out in order of first appearance over the sources, in priority order.
 */
import { ArgumentError } from "./errors";

export interface HierarchySource {
  /** Source name, e.g. "SAP MM", "PIM". */
  source: string;
  sku: ArrayLike<string>;
  value: ArrayLike<string | null | undefined>;
}

export interface HierarchyConflict {
  sku: string;
  attribute: string;
  /** Every non-blank value given, in priority order. */
  values: { source: string; value: string }[];
  chosen: string;
  decidedBy: string;
}

export interface HierarchyResult {
  attribute: string;
  sku: string[];
  /** Decided value per SKU; "" when no source has one. */
  value: string[];
  /** Deciding source per SKU; "" when no source has a value. */
  decidedBy: string[];
  conflicts: HierarchyConflict[];
}

function norm(v: string): string {
  return v.trim().replace(/\s+/g, " ").toLowerCase();
}

export function resolveHierarchy(attribute: string, sources: readonly HierarchySource[], priority: readonly string[]): HierarchyResult {
  const rank = new Map(priority.map((s, i) => [s, i]));
  const unknown = sources.filter((s) => !rank.has(s.source)).map((s) => s.source);
  if (unknown.length) throw new ArgumentError("priority", `does not rank ${unknown.map((s) => `"${s}"`).join(", ")}: list every source, strongest first`);
  if (new Set(sources.map((s) => s.source)).size !== sources.length) throw new ArgumentError("sources", "a source appears twice: give each source once");
  const ordered = [...sources].sort((a, b) => rank.get(a.source)! - rank.get(b.source)!);
  const index = new Map<string, number>();
  const skus: string[] = [];
  // per SKU: the values in priority order (source, value, row)
  const given: { source: string; value: string; row: number }[][] = [];
  for (const src of ordered) {
    if (src.sku.length !== src.value.length) throw new ArgumentError(`sources.${src.source}`, `has ${src.sku.length} SKUs but ${src.value.length} values`);
    for (let i = 0; i < src.sku.length; i++) {
      const sku = String(src.sku[i] ?? "").trim();
      if (sku === "") continue;
      let k = index.get(sku);
      if (k === undefined) {
        k = skus.length;
        index.set(sku, k);
        skus.push(sku);
        given.push([]);
      }
      const raw = src.value[i];
      const v = typeof raw === "string" ? raw.trim() : "";
      if (v === "") continue;
      given[k].push({ source: src.source, value: v, row: i });
    }
  }
  const value = new Array<string>(skus.length);
  const decidedBy = new Array<string>(skus.length);
  const conflicts: HierarchyConflict[] = [];
  for (let k = 0; k < skus.length; k++) {
    const g = given[k];
    if (g.length === 0) {
      value[k] = "";
      decidedBy[k] = "";
      continue;
    }
    value[k] = g[0].value;
    decidedBy[k] = g[0].source;
    const first = norm(g[0].value);
    if (g.some((x) => norm(x.value) !== first)) {
      const firstRowOf = new Map<string, number>();
      const values = g.map((x) => {
        const r = firstRowOf.get(x.source);
        if (r === undefined) {
          firstRowOf.set(x.source, x.row);
          return { source: x.source, value: x.value };
        }
        return { source: `${x.source} (row ${x.row + 1})`, value: x.value };
      });
      conflicts.push({ sku: skus[k], attribute, values, chosen: value[k], decidedBy: decidedBy[k] });
    }
  }
  return { attribute, sku: skus, value, decidedBy, conflicts };
}

/** "SKU P-100 family: SAP MM "Pumps" vs PIM "Valves"; decided by SAP MM" */
export function describeConflict(c: HierarchyConflict): string {
  return `SKU ${c.sku} ${c.attribute}: ${c.values.map((v) => `${v.source} "${v.value}"`).join(" vs ")}; decided by ${c.decidedBy}`;
}
