/**
 * Data quality that can stop a run: configurable thresholds evaluated into a report with pass/fail
 * per rule and one verdict ("pass", "warn", "suspend"). A failed rule of severity "suspend" (the
 * default) suspends the run: the pane shows the report instead of writing, and going ahead anyway
 * needs a reason (audited by the pane). A failed "warn" rule is reported only.
 *
 * Rules (each passes when the actual figure is on the limit: <= for maxima, >= for the minimum):
 *   rejectedShare  rejected rows / data rows read                       <= maxRejectedShare (5 %)
 *   staleShare     stale SKUs / accepted SKUs                            <= maxStaleShare (10 %)
 *                  stale = no data in the last staleAfterPeriods periods (default 13: a quarter of
 *                  weeks): periods - 1 - lastPeriodWithData >= staleAfterPeriods; a SKU with no data
 *                  at all is stale. "No data" is a blank cell (no record); a 0 is a recorded zero,
 *                  unless zeroIsNoData (see lastPeriodWithData).
 *   historyLength  history periods                                       >= minHistoryPeriods (12)
 *   duplicateSkus  rows rejected as duplicate SKUs                       <= maxDuplicateSkus (0)
 *   totalChange    |total - previous total| / |previous total|           <= maxTotalChange (25 %);
 *                  not applicable (pass null) without a previous run or when it was 0.
 * The data-steward table (field -> owner) is attached to every failed rule through the fields the
 * rule concerns (rejections by field, "history", "sku", "value").
 */
import { ArgumentError } from "./errors";

export const DQ_RULES = ["rejectedShare", "staleShare", "historyLength", "duplicateSkus", "totalChange"] as const;
export type DqRule = (typeof DQ_RULES)[number];
export type DqSeverity = "suspend" | "warn";

export const DQ_RULE_LABELS: Record<DqRule, string> = {
  rejectedShare: "Share of rejected rows",
  staleShare: "Share of SKUs with stale history",
  historyLength: "Minimum history length",
  duplicateSkus: "Duplicate SKUs",
  totalChange: "Total moved from the last run",
};

export interface DataQualityInput {
  /** Data rows looked at (blank rows excluded). */
  rowsRead: number;
  rejectedRows: number;
  /** Rejected rows per field (e.g. { value: 12, history: 3 }), for the steward lookup. */
  rejectedByField?: Readonly<Record<string, number>>;
  /** Rows rejected as a duplicate SKU. */
  duplicateSkus: number;
  /** Accepted SKUs. */
  skuCount: number;
  /** Periods of the demand history. */
  periods: number;
  /** Per accepted SKU: 0-based index of the last period with data, -1 when none (see lastPeriodWithData). */
  lastPeriodWithData?: ArrayLike<number>;
  /** Stale SKUs counted by the caller, when lastPeriodWithData is not given. */
  staleSkus?: number;
  /** Value total of this run. */
  total: number;
  /** Value total of the last written run; null or omitted on a first run. */
  previousTotal?: number | null;
}

export interface DataQualityThresholds {
  maxRejectedShare: number;
  maxStaleShare: number;
  staleAfterPeriods: number;
  minHistoryPeriods: number;
  maxDuplicateSkus: number;
  maxTotalChange: number;
  /** Rules switched off (all on by default). */
  enabled?: Partial<Record<DqRule, boolean>>;
  /** "suspend" by default. */
  severity?: Partial<Record<DqRule, DqSeverity>>;
}

export function defaultDataQualityThresholds(): DataQualityThresholds {
  return { maxRejectedShare: 0.05, maxStaleShare: 0.1, staleAfterPeriods: 13, minHistoryPeriods: 12, maxDuplicateSkus: 0, maxTotalChange: 0.25 };
}

export interface StewardEntry {
  field: string;
  owner: string;
  contact?: string;
}

export interface DqRuleResult {
  rule: DqRule;
  label: string;
  enabled: boolean;
  severity: DqSeverity;
  /** The measured figure (a share as a fraction, or a count); null when not applicable. */
  actual: number | null;
  threshold: number;
  /** null: not applicable or switched off. */
  pass: boolean | null;
  message: string;
  fields: string[];
  /** Stewards of those fields; owner "(no owner)" when the table has none. Only for failed rules. */
  owners: StewardEntry[];
}

export interface DataQualityReport {
  verdict: "pass" | "warn" | "suspend";
  rules: DqRuleResult[];
  failed: number;
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const count = (x: number) => x.toLocaleString("en-US");

/** Stale SKUs: no data in the last `staleAfterPeriods` of `periods` periods. */
export function staleSkuCount(lastPeriodWithData: ArrayLike<number>, periods: number, staleAfterPeriods: number): number {
  let n = 0;
  for (let i = 0; i < lastPeriodWithData.length; i++) if (periods - 1 - lastPeriodWithData[i] >= staleAfterPeriods) n++;
  return n;
}

/**
 * Per row of cells, the 0-based index (within `first`..`first+count-1`) of the last period with data;
 * -1 when none. Blank = null, undefined or a text of spaces; with zeroIsNoData a 0 counts as blank too.
 */
export function lastPeriodWithData(rows: readonly (readonly unknown[])[], first: number, count: number, zeroIsNoData = false): Int32Array {
  const out = new Int32Array(rows.length).fill(-1);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    for (let p = count - 1; p >= 0; p--) {
      const c = row[first + p];
      if (c === null || c === undefined || (typeof c === "string" && c.trim() === "") || (zeroIsNoData && c === 0)) continue;
      out[r] = p;
      break;
    }
  }
  return out;
}

function checkThresholds(t: DataQualityThresholds): void {
  for (const k of ["maxRejectedShare", "maxStaleShare", "maxTotalChange"] as const) {
    if (!(Number.isFinite(t[k]) && t[k] >= 0)) throw new ArgumentError(k, `must be a share >= 0, got ${String(t[k])}`);
  }
  for (const k of ["staleAfterPeriods", "minHistoryPeriods", "maxDuplicateSkus"] as const) {
    if (!(Number.isInteger(t[k]) && t[k] >= 0)) throw new ArgumentError(k, `must be a whole number >= 0, got ${String(t[k])}`);
  }
}

export function evaluateDataQuality(input: DataQualityInput, thresholds: DataQualityThresholds = defaultDataQualityThresholds(), stewards: readonly StewardEntry[] = []): DataQualityReport {
  const t = thresholds;
  checkThresholds(t);
  const owners = (fields: string[]): StewardEntry[] =>
    fields.map((f) => stewards.find((s) => s.field.trim().toLowerCase() === f.toLowerCase()) ?? { field: f, owner: "(no owner)" });
  const rules: DqRuleResult[] = [];
  const add = (rule: DqRule, actual: number | null, threshold: number, pass: boolean | null, message: string, fields: string[]) => {
    const enabled = t.enabled?.[rule] !== false;
    const p = enabled ? pass : null;
    rules.push({ rule, label: DQ_RULE_LABELS[rule], enabled, severity: t.severity?.[rule] ?? "suspend", actual, threshold, pass: p, message: enabled ? message : `${DQ_RULE_LABELS[rule]}: switched off`, fields, owners: p === false ? owners(fields) : [] });
  };

  const read = input.rowsRead;
  const rejShare = read > 0 ? input.rejectedRows / read : 0;
  const rejFields = Object.entries(input.rejectedByField ?? {})
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([f]) => f);
  add(
    "rejectedShare",
    rejShare,
    t.maxRejectedShare,
    rejShare <= t.maxRejectedShare,
    `${pct(rejShare)} of the rows were rejected (${count(input.rejectedRows)} of ${count(read)}); the limit is ${pct(t.maxRejectedShare)}`,
    rejFields.length > 0 ? rejFields : ["rows"],
  );

  const stale = input.lastPeriodWithData ? staleSkuCount(input.lastPeriodWithData, input.periods, t.staleAfterPeriods) : input.staleSkus;
  if (stale === undefined) add("staleShare", null, t.maxStaleShare, null, "stale history not measured (no per-SKU last period given)", ["history"]);
  else {
    const share = input.skuCount > 0 ? stale / input.skuCount : 0;
    add(
      "staleShare",
      share,
      t.maxStaleShare,
      share <= t.maxStaleShare,
      `${pct(share)} of the SKUs have no data in the last ${t.staleAfterPeriods} periods (${count(stale)} of ${count(input.skuCount)}); the limit is ${pct(t.maxStaleShare)}`,
      ["history"],
    );
  }

  add("historyLength", input.periods, t.minHistoryPeriods, input.periods >= t.minHistoryPeriods, `the history has ${input.periods} periods; at least ${t.minHistoryPeriods} are needed`, ["history"]);

  add("duplicateSkus", input.duplicateSkus, t.maxDuplicateSkus, input.duplicateSkus <= t.maxDuplicateSkus, `${count(input.duplicateSkus)} rows repeat a SKU already seen; at most ${t.maxDuplicateSkus} allowed`, ["sku"]);

  const prev = input.previousTotal;
  if (prev === null || prev === undefined || prev === 0 || !Number.isFinite(prev)) add("totalChange", null, t.maxTotalChange, null, "no previous run to compare the total with", ["value"]);
  else {
    const change = Math.abs(input.total - prev) / Math.abs(prev);
    add(
      "totalChange",
      change,
      t.maxTotalChange,
      change <= t.maxTotalChange,
      `the total moved ${pct(change)} from the last run (${input.total.toFixed(2)} against ${prev.toFixed(2)}); the limit is ${pct(t.maxTotalChange)}`,
      ["value"],
    );
  }

  const failedRules = rules.filter((r) => r.pass === false);
  const verdict = failedRules.some((r) => r.severity === "suspend") ? "suspend" : failedRules.length > 0 ? "warn" : "pass";
  return { verdict, rules, failed: failedRules.length };
}
