/**
 * SLA alignment: service-level agreements per customer tier set the minimum service level of the
 * segments that serve those customers; the policy grid (policy.ts SegmentPolicy) is checked against
 * those minimums.
 *
 * Conventions:
 * - An agreement is per tier: { tier, serviceLevel in (0, 1), measure }. measure "fill" or "otif"
 *   is a share of demand (or of order lines) delivered; "csl" a cycle service level.
 * - A segment serves a tier when at least one order line of a customer of that tier falls in the
 *   segment (tiersServedBySegment). Its floor is the highest agreement among the tiers it serves
 *   (the strictest customer sets the minimum, since one stock serves them all).
 * - Conflicts (slaConflicts): for every tier served, the policy row must meet the agreement:
 *   measure "csl": the row's serviceLevel when its method is "csl"; when the method is "fill" the
 *   row has no CSL to compare and that is listed as a conflict of measure.
 *   measure "fill" / "otif": the row's fillRateTarget (the reporting target of the share met from
 *   stock), and also its serviceLevel when the method is "fill". OTIF is at most the fill rate (an
 *   on-time-in-full line is also filled), so a fill-rate target below the OTIF agreement cannot
 *   meet it: that is why the same comparison is used.
 * - A segment that serves tiers but has no policy row (e.g. "AN", no demand) is listed too.
 */
import { atLeast } from "./abc";
import { ArgumentError } from "./errors";
import type { SegmentPolicy } from "./policy";

export const SLA_MEASURES = ["csl", "fill", "otif"] as const;
export type SlaMeasure = (typeof SLA_MEASURES)[number];

export interface ServiceAgreement {
  tier: string;
  serviceLevel: number;
  measure: SlaMeasure;
  /** Where it came from (contract id, "mapped"), for messages. */
  source?: string;
}

export function validateAgreements(agreements: readonly ServiceAgreement[]): ServiceAgreement[] {
  const seen = new Set<string>();
  for (const a of agreements) {
    if (typeof a.tier !== "string" || a.tier.trim() === "") throw new ArgumentError("agreements", "a tier name is empty");
    const key = `${a.tier}\u0000${a.measure}`;
    if (seen.has(key)) throw new ArgumentError("agreements", `tier ${a.tier} has two ${a.measure} agreements; keep one`);
    seen.add(key);
    if (!SLA_MEASURES.includes(a.measure)) throw new ArgumentError("agreements", `tier ${a.tier}: measure must be "csl", "fill" or "otif", got "${String(a.measure)}"`);
    if (!(a.serviceLevel > 0 && a.serviceLevel < 1)) throw new ArgumentError("agreements", `tier ${a.tier} service level must be between 0 and 1 (e.g. 0.95), got ${a.serviceLevel}`);
  }
  return agreements.map((a) => ({ ...a }));
}

/**
 * Tiers served by each segment, from order lines: segmentOfLine (index into segmentLabels, -1 =
 * none), customerOfLine (code, -1 = none) and the tier of each customer code ("" = no tier).
 * Tiers are listed in sorted order.
 */
export function tiersServedBySegment(segmentOfLine: Int32Array, segmentLabels: readonly string[], customerOfLine: Int32Array, tierOfCustomer: readonly string[]): Map<string, string[]> {
  if (customerOfLine.length !== segmentOfLine.length) throw new ArgumentError("customer", `has ${customerOfLine.length} rows but the segments have ${segmentOfLine.length}`);
  const sets = segmentLabels.map(() => new Set<string>());
  for (let i = 0; i < segmentOfLine.length; i++) {
    const s = segmentOfLine[i];
    const c = customerOfLine[i];
    if (s < 0 || c < 0) continue;
    const t = tierOfCustomer[c];
    if (t) sets[s].add(t);
  }
  const out = new Map<string, string[]>();
  segmentLabels.forEach((l, s) => {
    if (sets[s].size) out.set(l, [...sets[s]].sort());
  });
  return out;
}

export interface SegmentFloor {
  segment: string;
  measure: SlaMeasure;
  /** Highest agreement among the tiers served with this measure. */
  minServiceLevel: number;
  /** The tier that sets it (first in tier order on a tie). */
  tier: string;
}

/** The minimum service level per segment and measure, from the tiers it serves. */
export function segmentServiceFloors(served: ReadonlyMap<string, readonly string[]>, agreements: readonly ServiceAgreement[]): SegmentFloor[] {
  const list = validateAgreements(agreements);
  const out: SegmentFloor[] = [];
  for (const [segment, tiers] of served) {
    for (const measure of SLA_MEASURES) {
      let best: ServiceAgreement | undefined;
      for (const t of tiers) {
        const a = list.find((x) => x.tier === t && x.measure === measure);
        if (a && (best === undefined || a.serviceLevel > best.serviceLevel)) best = a;
      }
      if (best) out.push({ segment, measure, minServiceLevel: best.serviceLevel, tier: best.tier });
    }
  }
  return out;
}

export interface SlaConflict {
  segment: string;
  tier: string;
  measure: SlaMeasure;
  /** Policy field compared: "serviceLevel", "fillRateTarget", "method" or "segment" (no row). */
  field: "serviceLevel" | "fillRateTarget" | "method" | "segment";
  required: number;
  actual: number | string | null;
  message: string;
}

/** Every tier served whose agreement the policy grid does not meet, one line per (segment, tier, measure, field). */
export function slaConflicts(grid: readonly SegmentPolicy[], served: ReadonlyMap<string, readonly string[]>, agreements: readonly ServiceAgreement[]): SlaConflict[] {
  const list = validateAgreements(agreements);
  const out: SlaConflict[] = [];
  const pct = (x: number) => `${Math.round(x * 10000) / 100} %`;
  for (const [segment, tiers] of served) {
    const row = grid.find((p) => p.segment === segment);
    for (const tier of tiers) {
      for (const a of list.filter((x) => x.tier === tier)) {
        const base = { segment, tier, measure: a.measure, required: a.serviceLevel };
        const who = `tier ${tier} (${a.measure} ${pct(a.serviceLevel)}${a.source ? `, ${a.source}` : ""})`;
        if (!row) {
          out.push({ ...base, field: "segment", actual: null, message: `${segment} serves ${who} but has no policy row` });
          continue;
        }
        if (a.measure === "csl") {
          if (row.method !== "csl") out.push({ ...base, field: "method", actual: row.method, message: `${segment} serves ${who} but its method is "${row.method}": no cycle service level to compare` });
          else if (!atLeast(row.serviceLevel, a.serviceLevel)) out.push({ ...base, field: "serviceLevel", actual: row.serviceLevel, message: `${segment} service level ${pct(row.serviceLevel)} is below ${who}` });
        } else {
          if (!atLeast(row.fillRateTarget, a.serviceLevel)) out.push({ ...base, field: "fillRateTarget", actual: row.fillRateTarget, message: `${segment} fill rate target ${pct(row.fillRateTarget)} is below ${who}` });
          if (row.method === "fill" && !atLeast(row.serviceLevel, a.serviceLevel)) out.push({ ...base, field: "serviceLevel", actual: row.serviceLevel, message: `${segment} service level (fill rate) ${pct(row.serviceLevel)} is below ${who}` });
        }
      }
    }
  }
  return out;
}

/**
 * The tier a customer's accepted contract terms put it in: tiers sorted by serviceLevel, highest
 * first; the customer's requirement is its highest fill-rate / OTIF minimum (a share in (0, 1));
 * the tier is the least demanding one whose serviceLevel still meets the requirement. null when no
 * tier meets it (the planner must add one) or there is no requirement.
 */
export function tierForRequirement(requirement: number | null, tiers: readonly { tier: string; serviceLevel: number }[]): string | null {
  if (requirement === null || !(requirement > 0)) return null;
  const sorted = [...tiers].sort((a, b) => a.serviceLevel - b.serviceLevel);
  const t = sorted.find((x) => atLeast(x.serviceLevel, requirement));
  return t ? t.tier : null;
}
