/**
 * Missing and stale data: which SKUs have a history recent enough to classify, what happens to
 * the others (a stated fallback, flagged), whether the data as a whole is recent enough for the
 * planning cycle, and a data-quality report naming the stale inputs.
 *
 * Conventions (days are epoch days, src/engine/periods.ts; instants are epoch milliseconds):
 * - A SKU's data age = asOf − its last data day (the last day its history covers, or the day of
 *   its last transaction). Fresh when age <= maxAgeDays; stale when older; missing when it has no
 *   history at all (lastDataDay NO_DATA).
 * - Fallbacks are tried in the stated order, the first available applies; "exclude" is always
 *   available and ends every chain:
 *     previousClass: the SKU's class from the previous run, when it had one;
 *     familyPattern: the demand pattern most common among the FRESH SKUs of its family (ties:
 *                    the label first in alphabetical order), when the SKU has a family that has one;
 *     exclude:       left out of this run (listed).
 * - Latency: the data's last period must end no earlier than cycleDate − maxLagDays. A weekly
 *   run on Monday that needs last week's sales has maxLagDays 1 (data through Sunday).
 * - An input (source extract) is stale when now − lastRefreshed exceeds its refresh SLA
 *   (src/engine/attributes.ts, ISO 8601 durations).
 */
import { durationMs } from "./attributes";
import { ArgumentError } from "./errors";
import { isoDate } from "./periods";

export const NO_DATA = -2147483648;
export const FALLBACKS = ["previousClass", "familyPattern", "exclude"] as const;
export type Fallback = (typeof FALLBACKS)[number];
export type Freshness = "fresh" | "stale" | "missing";
/** What the run does with a SKU: classify it, or one of the fallbacks. */
export type FreshnessAction = "classify" | Fallback;

export interface FreshnessInput {
  sku: readonly string[];
  /** Last day covered by each SKU's data; NO_DATA when it has none. */
  lastDataDay: Int32Array;
  family?: readonly (string | null)[];
  previousClass?: readonly (string | null)[];
  /** Pattern per SKU from this run (used to find each family's pattern among the fresh SKUs). */
  pattern?: readonly (string | null)[];
}

export interface FreshnessOptions {
  asOf: number;
  maxAgeDays: number;
  /** Tried in order; default ["previousClass", "familyPattern", "exclude"]. */
  fallbacks?: readonly Fallback[];
}

export interface FreshnessResult {
  status: Freshness[];
  action: FreshnessAction[];
  /** The class or pattern the fallback supplies ("" for classify and exclude). */
  fallbackValue: string[];
  /** Per SKU, "" for fresh ones: e.g. "stale: last data 2024-01-07 (45 days before 2024-02-21); previous class B kept". */
  flag: string[];
  /** Data age in days; NaN when missing. */
  ageDays: Float64Array;
  familyPattern: Map<string, string>;
  counts: Record<Freshness, number> & Record<FreshnessAction, number>;
}

/** Most common pattern among the fresh SKUs of each family (ties: alphabetical). */
export function familyPatterns(family: readonly (string | null)[], pattern: readonly (string | null)[], fresh: ArrayLike<boolean | number>): Map<string, string> {
  const tally = new Map<string, Map<string, number>>();
  for (let i = 0; i < family.length; i++) {
    const f = family[i];
    const p = pattern[i];
    if (!fresh[i] || !f || !p) continue;
    let t = tally.get(f);
    if (!t) tally.set(f, (t = new Map()));
    t.set(p, (t.get(p) ?? 0) + 1);
  }
  const out = new Map<string, string>();
  for (const [f, t] of tally) {
    let best = "";
    let bestN = 0;
    for (const [p, n] of t) if (n > bestN || (n === bestN && p < best)) [best, bestN] = [p, n];
    out.set(f, best);
  }
  return out;
}

export function assessFreshness(input: FreshnessInput, options: FreshnessOptions): FreshnessResult {
  const n = input.sku.length;
  if (input.lastDataDay.length !== n) throw new ArgumentError("lastDataDay", `has ${input.lastDataDay.length} rows, expected ${n}`);
  if (!(Number.isFinite(options.maxAgeDays) && options.maxAgeDays >= 0)) throw new ArgumentError("maxAgeDays", `must be a number of days >= 0, got ${options.maxAgeDays}`);
  const chain = [...(options.fallbacks ?? FALLBACKS)];
  for (const f of chain) if (!FALLBACKS.includes(f)) throw new ArgumentError("fallbacks", `unknown fallback "${String(f)}" (known: ${FALLBACKS.join(", ")})`);
  if (!chain.includes("exclude")) chain.push("exclude");
  const status = new Array<Freshness>(n);
  const ageDays = new Float64Array(n);
  const freshMask = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const d = input.lastDataDay[i];
    if (d === NO_DATA) {
      status[i] = "missing";
      ageDays[i] = Number.NaN;
    } else {
      ageDays[i] = options.asOf - d;
      status[i] = ageDays[i] <= options.maxAgeDays ? "fresh" : "stale";
      freshMask[i] = status[i] === "fresh" ? 1 : 0;
    }
  }
  const famPattern = input.family && input.pattern ? familyPatterns(input.family, input.pattern, freshMask) : new Map<string, string>();
  const action = new Array<FreshnessAction>(n);
  const fallbackValue = new Array<string>(n);
  const flag = new Array<string>(n);
  const counts = { fresh: 0, stale: 0, missing: 0, classify: 0, previousClass: 0, familyPattern: 0, exclude: 0 };
  for (let i = 0; i < n; i++) {
    counts[status[i]]++;
    if (status[i] === "fresh") {
      action[i] = "classify";
      fallbackValue[i] = "";
      flag[i] = "";
      counts.classify++;
      continue;
    }
    const why =
      status[i] === "missing"
        ? "missing: no history"
        : `stale: last data ${isoDate(input.lastDataDay[i])} (${ageDays[i]} days before ${isoDate(options.asOf)}, limit ${options.maxAgeDays})`;
    let done = false;
    for (const f of chain) {
      if (f === "previousClass") {
        const c = input.previousClass?.[i]?.trim();
        if (c) {
          action[i] = f;
          fallbackValue[i] = c;
          flag[i] = `${why}; previous class ${c} kept`;
          done = true;
        }
      } else if (f === "familyPattern") {
        const fam = input.family?.[i]?.trim();
        const p = fam ? famPattern.get(fam) : undefined;
        if (fam && p) {
          action[i] = f;
          fallbackValue[i] = p;
          flag[i] = `${why}; pattern "${p}" of family ${fam} used`;
          done = true;
        }
      } else {
        action[i] = "exclude";
        fallbackValue[i] = "";
        flag[i] = `${why}; excluded from this run`;
        done = true;
      }
      if (done) break;
    }
    counts[action[i]]++;
  }
  return { status, action, fallbackValue, flag, ageDays, familyPattern: famPattern, counts };
}

export interface LatencyCheck {
  ok: boolean;
  /** cycleDate − lastPeriodEnd, days. */
  lagDays: number;
  message: string;
}

/** Is the data's last period recent enough for a planning run on cycleDate? */
export function checkLatency(lastPeriodEnd: number, cycleDate: number, maxLagDays: number): LatencyCheck {
  if (!(Number.isFinite(maxLagDays) && maxLagDays >= 0)) throw new ArgumentError("maxLagDays", `must be a number of days >= 0, got ${maxLagDays}`);
  const lag = cycleDate - lastPeriodEnd;
  const ok = lag <= maxLagDays;
  const message = ok
    ? `data through ${isoDate(lastPeriodEnd)}: ${lag} days before the ${isoDate(cycleDate)} run (limit ${maxLagDays})`
    : `data ends ${isoDate(lastPeriodEnd)}, ${lag} days before the ${isoDate(cycleDate)} run: the cycle needs data through ${isoDate(cycleDate - maxLagDays)} (limit ${maxLagDays} days)`;
  return { ok, lagDays: lag, message };
}

export interface InputRefresh {
  /** Input name, e.g. "SAP MM extract". */
  name: string;
  system?: string;
  /** Last refresh, epoch ms; NaN when never. */
  lastRefreshed: number;
  /** ISO 8601 duration. */
  refreshSla: string;
  owner?: string;
}

export interface DataQualityReport {
  staleInputs: { name: string; owner: string; message: string }[];
  latency?: LatencyCheck;
  lines: string[];
  ok: boolean;
}

/**
 * The data-quality report of one run: stale inputs (over their SLA) by name and owner, the
 * latency check, the freshness counts and any further lines the caller adds (bucketing counts,
 * hierarchy conflicts).
 */
export function dataQualityReport(
  now: number,
  inputs: readonly InputRefresh[],
  extra: { latency?: LatencyCheck; freshness?: FreshnessResult; notes?: readonly string[] } = {},
): DataQualityReport {
  const staleInputs: DataQualityReport["staleInputs"] = [];
  const lines: string[] = [];
  for (const inp of inputs) {
    const sla = durationMs(inp.refreshSla);
    if (Number.isNaN(sla)) throw new ArgumentError(`inputs.${inp.name}.refreshSla`, `"${inp.refreshSla}" is not an ISO 8601 duration (e.g. P1D)`);
    const owner = inp.owner ?? "";
    const ageH = (now - inp.lastRefreshed) / 3_600_000;
    if (Number.isNaN(inp.lastRefreshed)) {
      staleInputs.push({ name: inp.name, owner, message: `${inp.name}: never refreshed (SLA ${inp.refreshSla}${owner ? `, owner ${owner}` : ""})` });
    } else if (now - inp.lastRefreshed > sla) {
      staleInputs.push({
        name: inp.name,
        owner,
        message: `${inp.name}: stale, last refreshed ${new Date(inp.lastRefreshed).toISOString()} (${ageH.toFixed(1)} h ago, SLA ${inp.refreshSla}${owner ? `, owner ${owner}` : ""})`,
      });
    }
  }
  for (const s of staleInputs) lines.push(s.message);
  if (extra.latency) lines.push(`latency ${extra.latency.ok ? "ok" : "FAILED"}: ${extra.latency.message}`);
  if (extra.freshness) {
    const c = extra.freshness.counts;
    lines.push(`SKUs: ${c.fresh} fresh, ${c.stale} stale, ${c.missing} missing; fallbacks: ${c.previousClass} previous class, ${c.familyPattern} family pattern, ${c.exclude} excluded`);
  }
  for (const l of extra.notes ?? []) lines.push(l);
  return { staleInputs, latency: extra.latency, lines, ok: staleInputs.length === 0 && (extra.latency?.ok ?? true) };
}
