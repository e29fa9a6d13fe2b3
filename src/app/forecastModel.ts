/**
 * The Forecast step's rules, pure (no Office, no React): the settings per segment and their
 * defaults, the job input built from a classification, the exceptions (tolerance per segment, value
 * at risk), the preview, the forecast overrides (caps and approval) and the demand the Policy step
 * may take from the forecast. The formulas are the engine's (src/engine/forecast); this module only
 * decides which engine call gets which rows and how the results are read.
 *
 * Conventions (docs/taskpane.md, "Forecast"):
 * - Method per segment and pattern: "auto" (the engine's rule, src/engine/forecast/auto.ts) unless
 *   the planner fixes one; the pattern is the Classify step's Syntetos–Boylan pattern.
 * - Backtest: the engine's rolling origin over the last `backtestPeriods` periods at lag 1 (one-step).
 * - Error = forecast − actual. Bias per segment = Σ error / Σ actual over the backtest pairs
 *   (> 0: over-forecast). WAPE per segment = Σ |error| / Σ actual over the same pairs.
 * - Tolerance per segment: a SKU is an exception when its backtest WAPE is above the segment's
 *   limit, or |tracking signal| (Σ error / MAE, the engine's ts) is above the segment's limit.
 *   A SKU without backtest pairs, or without demand in the backtest periods and no tracking signal,
 *   is not judged. Defaults by ABC class: A WAPE ≤ 20 % and |ts| ≤ 4, B ≤ 30 % and ≤ 5, C ≤ 50 % and ≤ 6.
 * - Value at risk = annual value × backtest WAPE: the money value of a year's demand that the
 *   forecast misses (over or under) if the backtest's error rate holds. Where the WAPE is undefined
 *   (no demand in the backtest periods) the whole annual value counts.
 * - Exceptions are listed high-value classes first (A, then B, then C), within a class by value at
 *   risk, largest first.
 * - Overrides: a planner sets a forecast quantity for one SKU and one future period, with a reason.
 *   A segment may cap overrides: a change of more than the cap (|new − statistical| / statistical)
 *   needs a second person's approval (a statistical forecast of 0 makes any change exceed the cap).
 *   Overrides are kept by SKU and absolute period (history length at the time + k for T+k), so that
 *   they stay on their calendar period when the history grows; one whose period has moved out of
 *   the horizon is kept but not applied.
 * - Policy from forecast: for the segments that ask for it, demand mean = the mean of the horizon
 *   forecast (overrides included), demand sd = the one-step in-sample RMSE of the forecast
 *   (engine's fittedRmse). The Policy step's safety stock then has σ = √((L + R)·RMSE² + d²·σL²), i.e.
 *   √(L + R) × RMSE over the protection interval when the lead time is fixed (one-step errors
 *   taken as independent from period to period).
 */
import { FORECAST_METHODS, METHOD_CHOICES, type MethodChoice } from "../engine/forecast/methods";
import { PATTERN_LABELS } from "../engine/pattern";
import { SEGMENTS } from "../engine/policy";
import type { CellError } from "../engine/errors";
import type { RunInput } from "./classifyTypes";
import type { EffectiveSegments, PolicyDemand } from "./plans";

/** The four patterns a method can be fixed for (no-demand SKUs always forecast 0). */
export const FORECAST_PATTERNS = ["smooth", "erratic", "intermittent", "lumpy"] as const;
export type ForecastPattern = (typeof FORECAST_PATTERNS)[number];

export interface SegmentForecastSettings {
  segment: string;
  /** Method per pattern; "auto" = the engine's rule. */
  methods: Record<ForecastPattern, MethodChoice>;
  /** Largest acceptable backtest WAPE (a fraction: 0.2 = 20 %). */
  wapeMax: number;
  /** Largest acceptable |tracking signal|. */
  tsMax: number;
  /** Forecast the SKU's product family and split it top-down (needs a mapped family column). */
  familyLevel: boolean;
  /** Overrides changing the statistical forecast by more than this share need a second approval; null = no cap. */
  overrideCap: number | null;
  /** The Policy step takes demand mean and sd from the forecast for this segment. */
  policyFromForecast: boolean;
}

export interface ForecastSettings {
  /** Periods ahead (1..MAX_HORIZON). */
  horizon: number;
  /** Holdout periods of the rolling-origin backtest (1..MAX_BACKTEST). */
  backtestPeriods: number;
  /** Season length m for snaive and Holt-Winters (auto then also tries Holt-Winters); null = none. */
  seasonLength: number | null;
  segments: SegmentForecastSettings[];
}

export const MAX_HORIZON = 104;
export const MAX_BACKTEST = 52;
export const SEASONAL_METHODS: readonly MethodChoice[] = ["snaive", "hw_add", "hw_mul"];

/** Tolerance and override cap by ABC class (the first letter of the segment). */
const CLASS_DEFAULTS: Record<string, { wapeMax: number; tsMax: number; overrideCap: number }> = {
  A: { wapeMax: 0.2, tsMax: 4, overrideCap: 0.2 },
  B: { wapeMax: 0.3, tsMax: 5, overrideCap: 0.3 },
  C: { wapeMax: 0.5, tsMax: 6, overrideCap: 0.5 },
};

export function defaultSegmentForecast(segment: string): SegmentForecastSettings {
  const d = CLASS_DEFAULTS[segment.charAt(0)] ?? CLASS_DEFAULTS.C;
  return {
    segment,
    methods: { smooth: "auto", erratic: "auto", intermittent: "auto", lumpy: "auto" },
    wapeMax: d.wapeMax,
    tsMax: d.tsMax,
    familyLevel: false,
    overrideCap: d.overrideCap,
    policyFromForecast: false,
  };
}

export function defaultForecastSettings(): ForecastSettings {
  return { horizon: 12, backtestPeriods: 12, seasonLength: null, segments: SEGMENTS.map(defaultSegmentForecast) };
}

/** Settings read back from the workbook, completed with the defaults where a field is missing. */
export function completeForecastSettings(saved: Partial<ForecastSettings> | undefined): ForecastSettings {
  const d = defaultForecastSettings();
  if (!saved) return d;
  const bySegment = new Map((saved.segments ?? []).map((s) => [s.segment, s]));
  return {
    horizon: saved.horizon ?? d.horizon,
    backtestPeriods: saved.backtestPeriods ?? d.backtestPeriods,
    seasonLength: saved.seasonLength === undefined ? d.seasonLength : saved.seasonLength,
    segments: d.segments.map((s) => {
      const x = bySegment.get(s.segment);
      return x ? { ...s, ...x, methods: { ...s.methods, ...(x.methods ?? {}) } } : s;
    }),
  };
}

const pctText = (x: number) => `${Math.round(x * 1e6) / 1e4} %`;

/** What is wrong with the settings, in the pane's units (percent), each saying what to type; empty when usable. */
export function forecastSettingsProblems(s: ForecastSettings): string[] {
  const out: string[] = [];
  if (!(Number.isInteger(s.horizon) && s.horizon >= 1 && s.horizon <= MAX_HORIZON)) out.push(`Horizon must be a whole number of periods from 1 to ${MAX_HORIZON}; got ${s.horizon}.`);
  if (!(Number.isInteger(s.backtestPeriods) && s.backtestPeriods >= 1 && s.backtestPeriods <= MAX_BACKTEST)) {
    out.push(`Backtest length must be a whole number of periods from 1 to ${MAX_BACKTEST}; got ${s.backtestPeriods}.`);
  }
  if (s.seasonLength !== null && !(Number.isInteger(s.seasonLength) && s.seasonLength >= 2 && s.seasonLength <= 1000)) {
    out.push(`Season length must be a whole number of periods, at least 2 (12 for monthly data), or blank for none; got ${s.seasonLength}.`);
  }
  for (const g of s.segments) {
    if (!(Number.isFinite(g.wapeMax) && g.wapeMax > 0)) out.push(`${g.segment}: the WAPE limit must be above 0 %; got ${pctText(g.wapeMax)}.`);
    if (!(Number.isFinite(g.tsMax) && g.tsMax > 0)) out.push(`${g.segment}: the tracking-signal limit must be above 0 (4 is usual); got ${g.tsMax}.`);
    if (g.overrideCap !== null && !(Number.isFinite(g.overrideCap) && g.overrideCap > 0)) out.push(`${g.segment}: the override cap must be above 0 %, or blank for no cap; got ${pctText(g.overrideCap)}.`);
    for (const p of FORECAST_PATTERNS) {
      const m = g.methods[p];
      if (!METHOD_CHOICES.includes(m)) out.push(`${g.segment} ${p}: unknown method "${m}".`);
      else if (s.seasonLength === null && SEASONAL_METHODS.includes(m)) out.push(`${g.segment} ${p}: ${m} needs a season length (set it above, e.g. 12 for monthly data).`);
    }
  }
  return out;
}

/** Whether two settings make different forecasts (methods, horizon, backtest, season length, family level); tolerances, caps and the policy choice only judge or use them. */
export function forecastMadeDifferently(a: ForecastSettings, b: ForecastSettings): boolean {
  if (a.horizon !== b.horizon || a.backtestPeriods !== b.backtestPeriods || a.seasonLength !== b.seasonLength) return true;
  const bs = new Map(b.segments.map((g) => [g.segment, g]));
  return a.segments.some((g) => {
    const h = bs.get(g.segment);
    return !h || h.familyLevel !== g.familyLevel || FORECAST_PATTERNS.some((p) => h.methods[p] !== g.methods[p]);
  });
}

// ---------------------------------------------------------------- the job

export interface ForecastJob {
  /** Row-major n × periods, as ParsedTable.history. */
  history: Float64Array;
  n: number;
  periods: number;
  /** Method per SKU ("auto" = the engine's rule by pattern). */
  methods: MethodChoice[];
  /** Pattern code per SKU (index into PATTERN_LABELS, -1 unknown). */
  pattern: Int8Array;
  /** Family index per SKU for the top-down rows, -1 for the SKU level. */
  family: Int32Array;
  /** Family names by index (for notes). */
  familyNames: string[];
  horizon: number;
  backtestPeriods: number;
  seasonLength: number | null;
}

/** Backtest figures per SKU (the engine's, or the top-down backtest for family rows). */
export interface ForecastBacktest {
  /** Pairs compared (0: no backtest). */
  count: Float64Array;
  me: Float64Array;
  mae: Float64Array;
  rmse: Float64Array;
  wape: Float64Array;
  mase: Float64Array;
  ts: Float64Array;
  valueAdded: Float64Array;
  /** Σ |actual| over the backtest pairs (for the per-segment WAPE and bias). */
  sumActual: Float64Array;
}

export interface ForecastJobResult {
  n: number;
  periods: number;
  horizon: number;
  /** Method code per SKU (FORECAST_METHODS; for family rows the family's method), -1 when rejected. */
  method: Int8Array;
  alpha: Float64Array;
  beta: Float64Array;
  gamma: Float64Array;
  phi: Float64Array;
  window: Float64Array;
  /** n × horizon statistical forecasts (before overrides). */
  forecast: Float64Array;
  /** One-step in-sample RMSE per SKU. */
  fittedRmse: Float64Array;
  backtest: ForecastBacktest;
  /** 1: the SKU's forecast is its family's, split top-down. */
  level: Uint8Array;
  /** The SKU's share of its family's demand (NaN at the SKU level). */
  share: Float64Array;
  errors: Map<number, CellError>;
  notes: Map<number, string>;
  ms: number;
}

const PATTERN_CODE = new Map<string, number>(PATTERN_LABELS.map((p, i) => [p, i]));

/** The job for a classification: methods from each SKU's (effective) segment and pattern, families for the top-down segments. */
export function forecastJob(run: RunInput, effective: EffectiveSegments, settings: ForecastSettings): ForecastJob {
  const { parsed, result } = run;
  const n = result.n;
  const bySegment = new Map(settings.segments.map((s) => [s.segment, s]));
  const methods = new Array<MethodChoice>(n);
  const pattern = new Int8Array(n);
  const family = new Int32Array(n).fill(-1);
  const familyIndex = new Map<string, number>();
  const familyNames: string[] = [];
  for (let i = 0; i < n; i++) {
    const p = result.pattern[i];
    pattern[i] = PATTERN_CODE.get(p) ?? -1;
    const seg = bySegment.get(effective.segment[i]);
    methods[i] = seg && (FORECAST_PATTERNS as readonly string[]).includes(p) ? seg.methods[p as ForecastPattern] : "auto";
    const name = parsed.family?.[i] ?? "";
    if (seg?.familyLevel && name !== "") {
      let f = familyIndex.get(name);
      if (f === undefined) {
        f = familyNames.length;
        familyIndex.set(name, f);
        familyNames.push(name);
      }
      family[i] = f;
    }
  }
  return {
    history: parsed.history,
    n,
    periods: parsed.periods,
    methods,
    pattern,
    family,
    familyNames,
    horizon: settings.horizon,
    backtestPeriods: settings.backtestPeriods,
    seasonLength: settings.seasonLength,
  };
}

/** Why the job cannot run with these settings (e.g. family level without a family column); empty when it can. */
export function forecastRunProblems(run: RunInput, settings: ForecastSettings): string[] {
  const out = forecastSettingsProblems(settings);
  const family = settings.segments.filter((s) => s.familyLevel).map((s) => s.segment);
  if (family.length && run.mapping.columns.family == null) {
    out.push(`Family level is on for ${family.join(", ")}, but no product family column is mapped: map one on the Classify tab (Product family) and classify again, or turn family level off.`);
  }
  return out;
}

// ---------------------------------------------------------------- overrides

export interface ForecastOverride {
  sku: string;
  /** Absolute period: the history's length when it was set + k (for T+k). */
  period: number;
  /** The forecast quantity that replaces the statistical one. */
  value: number;
  /** The statistical forecast of that period when the override was set. */
  base: number;
  reason: string;
  user: string;
  timestamp: string;
  /** The second person who approved a change beyond the segment's cap. */
  approvedBy?: string;
  approvalReason?: string;
}

/** By SKU, sorted by period. */
export type ForecastOverrideMap = Record<string, ForecastOverride[]>;

/** |value − base| / base; Infinity when base is 0 and value is not. */
export function overrideChange(base: number, value: number): number {
  if (base === value) return 0;
  return base === 0 ? Number.POSITIVE_INFINITY : Math.abs(value - base) / Math.abs(base);
}

/** Whether a change needs a second approval under the cap (null: never). */
export function needsApproval(cap: number | null, base: number, value: number): boolean {
  return cap !== null && overrideChange(base, value) > cap + 1e-12;
}

/**
 * The forecasts with the overrides applied (a copy), and per SKU how many overrides were applied
 * and which are out of the horizon now.
 */
export function applyOverrides(
  forecast: Float64Array,
  n: number,
  horizon: number,
  periods: number,
  sku: readonly string[],
  overrides: ForecastOverrideMap,
): { forecast: Float64Array; applied: Uint16Array; stale: number; appliedTotal: number } {
  const out = forecast.slice();
  const applied = new Uint16Array(n);
  let stale = 0;
  let appliedTotal = 0;
  if (Object.keys(overrides).length === 0) return { forecast: out, applied, stale, appliedTotal };
  for (let i = 0; i < n; i++) {
    const list = overrides[sku[i]];
    if (!list) continue;
    for (const o of list) {
      const k = o.period - periods;
      if (k >= 1 && k <= horizon && Number.isFinite(out[i * horizon + k - 1])) {
        out[i * horizon + k - 1] = o.value;
        applied[i]++;
        appliedTotal++;
      } else stale++;
    }
  }
  return { forecast: out, applied, stale, appliedTotal };
}

/** "T+3: 180 (was 120; promotion)" per applied override of a SKU, for the sheet. */
export function overridesText(list: readonly ForecastOverride[] | undefined, periods: number, horizon: number): string {
  if (!list) return "";
  return list
    .filter((o) => o.period - periods >= 1 && o.period - periods <= horizon)
    .map((o) => `T+${o.period - periods}: ${round(o.value)} (was ${round(o.base)}; ${o.reason}${o.approvedBy ? `; approved by ${o.approvedBy}` : ""})`)
    .join("; ");
}

function round(x: number): string {
  return String(Math.round(x * 1000) / 1000);
}

// ---------------------------------------------------------------- accuracy, exceptions, preview

export interface SegmentAccuracy {
  segment: string;
  skus: number;
  /** SKUs with backtest pairs. */
  backtested: number;
  /** Σ|e| / Σ actual (NaN when no demand in the backtest periods). */
  wape: number;
  /** Σe / Σ actual (> 0 over-forecast). */
  bias: number;
  exceptions: number;
  valueAtRisk: number;
  wapeMax: number;
  tsMax: number;
}

export interface ForecastException {
  i: number;
  valueAtRisk: number;
  reason: string;
}

const CLASS_RANK: Record<string, number> = { A: 0, B: 1, C: 2 };

/** The exception of SKU i under its segment's tolerance, or null. */
export function exceptionOf(i: number, res: ForecastJobResult, seg: SegmentForecastSettings | undefined, value: number): ForecastException | null {
  if (!seg || res.errors.has(i)) return null;
  const bt = res.backtest;
  if (!(bt.count[i] > 0)) return null;
  const wape = bt.wape[i];
  const ts = bt.ts[i];
  const reasons: string[] = [];
  if (wape > seg.wapeMax) reasons.push(`WAPE ${pctText(round4(wape))} above ${pctText(seg.wapeMax)}`);
  if (Math.abs(ts) > seg.tsMax) reasons.push(`tracking signal ${ts > 0 ? "+" : ""}${round2(ts)} outside ±${seg.tsMax} (${ts > 0 ? "over" : "under"}-forecasting)`);
  if (reasons.length === 0) return null;
  const v = Number.isFinite(value) ? value : 0;
  return { i, valueAtRisk: Number.isFinite(wape) ? v * wape : v, reason: reasons.join("; ") };
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

/** Every exception, high-value classes first (A, B, C), then by value at risk (largest first), then by SKU. */
export function forecastExceptions(run: RunInput, effective: EffectiveSegments, res: ForecastJobResult, settings: ForecastSettings): ForecastException[] {
  const bySegment = new Map(settings.segments.map((s) => [s.segment, s]));
  const out: ForecastException[] = [];
  for (let i = 0; i < res.n; i++) {
    const e = exceptionOf(i, res, bySegment.get(effective.segment[i]), run.parsed.value[i]);
    if (e) out.push(e);
  }
  const rank = (i: number) => CLASS_RANK[effective.segment[i].charAt(0)] ?? 3;
  const sku = run.parsed.sku;
  out.sort((a, b) => rank(a.i) - rank(b.i) || b.valueAtRisk - a.valueAtRisk || (sku[a.i] < sku[b.i] ? -1 : sku[a.i] > sku[b.i] ? 1 : 0));
  return out;
}

/** Accuracy, bias, exceptions and value at risk per grid segment (grid order). */
export function segmentAccuracy(effective: EffectiveSegments, res: ForecastJobResult, settings: ForecastSettings, exceptions: readonly ForecastException[]): SegmentAccuracy[] {
  const index = new Map(settings.segments.map((s, k) => [s.segment, k]));
  const rows: SegmentAccuracy[] = settings.segments.map((s) => ({ segment: s.segment, skus: 0, backtested: 0, wape: Number.NaN, bias: Number.NaN, exceptions: 0, valueAtRisk: 0, wapeMax: s.wapeMax, tsMax: s.tsMax }));
  const absErr = new Float64Array(rows.length);
  const err = new Float64Array(rows.length);
  const actual = new Float64Array(rows.length);
  const bt = res.backtest;
  for (let i = 0; i < res.n; i++) {
    const k = index.get(effective.segment[i]);
    if (k === undefined) continue;
    rows[k].skus++;
    if (res.errors.has(i) || !(bt.count[i] > 0)) continue;
    rows[k].backtested++;
    absErr[k] += bt.mae[i] * bt.count[i];
    err[k] += bt.me[i] * bt.count[i];
    actual[k] += bt.sumActual[i];
  }
  for (let k = 0; k < rows.length; k++) {
    if (actual[k] > 0) {
      rows[k].wape = absErr[k] / actual[k];
      rows[k].bias = err[k] / actual[k];
    }
  }
  for (const e of exceptions) {
    const k = index.get(effective.segment[e.i]);
    if (k === undefined) continue;
    rows[k].exceptions++;
    rows[k].valueAtRisk += e.valueAtRisk;
  }
  return rows;
}

export interface MethodShare {
  method: string;
  count: number;
  share: number;
}

/** SKUs per method (family rows as "<method> (family)"), most used first; rejected rows as "not forecast". */
export function methodMix(res: ForecastJobResult): MethodShare[] {
  const counts = new Map<string, number>();
  for (let i = 0; i < res.n; i++) {
    const c = res.method[i];
    const name = res.errors.has(i) || c < 0 ? "not forecast" : `${FORECAST_METHODS[c]}${res.level[i] ? " (family)" : ""}`;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts].map(([method, count]) => ({ method, count, share: res.n ? count / res.n : 0 })).sort((a, b) => b.count - a.count || (a.method < b.method ? -1 : 1));
}

export interface ForecastPreview {
  skus: number;
  forecast: number;
  rejected: number;
  family: number;
  exceptions: number;
  valueAtRisk: number;
  bySegment: SegmentAccuracy[];
  methodMix: MethodShare[];
  overridesApplied: number;
  overridesStale: number;
  /** The first rejected SKUs with the reason. */
  problems: { sku: string; message: string }[];
  ms: number;
}

export function buildForecastPreview(run: RunInput, effective: EffectiveSegments, res: ForecastJobResult, settings: ForecastSettings, overrides: { appliedTotal: number; stale: number }): ForecastPreview {
  const exceptions = forecastExceptions(run, effective, res, settings);
  let family = 0;
  for (let i = 0; i < res.n; i++) if (res.level[i]) family++;
  const problems: { sku: string; message: string }[] = [];
  for (const [i, e] of res.errors) {
    if (problems.length >= 20) break;
    problems.push({ sku: run.parsed.sku[i], message: e.message });
  }
  return {
    skus: res.n,
    forecast: res.n - res.errors.size,
    rejected: res.errors.size,
    family,
    exceptions: exceptions.length,
    valueAtRisk: exceptions.reduce((s, e) => s + e.valueAtRisk, 0),
    bySegment: segmentAccuracy(effective, res, settings, exceptions),
    methodMix: methodMix(res),
    overridesApplied: overrides.appliedTotal,
    overridesStale: overrides.stale,
    problems,
    ms: res.ms,
  };
}

// ---------------------------------------------------------------- policy from forecast

/** What the Policy step reads (index-aligned with the classification run): plans.ts's PolicyDemand. */
export type { PolicyDemand };

/** The demand for the Policy step and the sentence for the Policy notes; null when no segment asks for it. */
export function policyDemand(
  effective: EffectiveSegments,
  res: ForecastJobResult,
  forecast: Float64Array,
  settings: ForecastSettings,
): { demand: PolicyDemand; basis: string } | null {
  const chosen = new Set(settings.segments.filter((s) => s.policyFromForecast).map((s) => s.segment));
  if (chosen.size === 0) return null;
  const { n, horizon: h } = res;
  const mean = new Float64Array(n).fill(Number.NaN);
  const sd = new Float64Array(n).fill(Number.NaN);
  const use = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (res.errors.has(i)) continue;
    let s = 0;
    for (let k = 0; k < h; k++) s += forecast[i * h + k];
    mean[i] = s / h;
    sd[i] = res.fittedRmse[i];
    if (chosen.has(effective.segment[i]) && Number.isFinite(mean[i]) && mean[i] >= 0 && Number.isFinite(sd[i])) use[i] = 1;
  }
  const segs = settings.segments.filter((s) => chosen.has(s.segment)).map((s) => s.segment).join(", ");
  const basis =
    `Segments ${segs}: demand mean = the mean of the ${h}-period forecast (overrides included) and demand sd = the forecast's one-step in-sample RMSE, ` +
    `so that σ over the protection interval is √(L + R) × RMSE (plus the lead-time term d²·σL²); rows say "demand from the forecast". ` +
    `Other segments, and SKUs without a usable forecast (not forecast, or a negative mean): the history's demand mean and sd.`;
  return { demand: { mean, sd, use }, basis };
}
