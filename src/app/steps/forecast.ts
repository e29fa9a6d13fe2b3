/**
 * The Forecast step (after Classify): method per segment and pattern, horizon, backtest length,
 * tolerance, family level, override cap and "policy from forecast" per segment; runs the "forecast"
 * engine job in the worker (progress, Cancel); previews accuracy and bias by segment, the method mix
 * and any SKU's actual vs forecast; records forecast overrides (with a second person's approval
 * beyond the segment's cap) in the audit trail; contributes the Forecast and Forecast exceptions
 * sheets to every Write; and exposes per SKU the demand the Policy step may use (policyDemand).
 * Rules: src/app/forecastModel.ts; sheets: src/app/forecastPlans.ts.
 *
 * Overrides are kept in the workbook settings (FORECAST_SETTINGS.overrides), so they survive
 * re-forecasting and re-classifying; each change is recorded in the audit trail first and saved
 * after, so a failed audit append changes nothing. When the Forecast sheet on the workbook was
 * written from the current forecast in this pane, the changed cells are updated at once; otherwise
 * the next Write takes the override in.
 * The approval is a second named person typing their name and reason in this pane (their own audit
 * entry, "forecast-override-approved"); a server-side approval can replace it later.
 */
import { FORECAST_METHODS, type MethodChoice } from "../../engine/forecast/methods";
import type { AuditEvent } from "../auditService";
import { UNKNOWN_USER } from "../auditService";
import type { RunInput } from "../classifyTypes";
import {
  applyOverrides,
  buildForecastPreview,
  completeForecastSettings,
  defaultForecastSettings,
  exceptionOf,
  forecastExceptions,
  forecastJob,
  forecastMadeDifferently,
  forecastRunProblems,
  forecastSettingsProblems,
  needsApproval,
  overrideChange,
  overridesText,
  policyDemand,
  segmentAccuracy,
  type ForecastJobResult,
  type ForecastOverride,
  type ForecastOverrideMap,
  type ForecastPattern,
  type ForecastPreview,
  type ForecastSettings,
  type PolicyDemand,
  type SegmentForecastSettings,
} from "../forecastModel";
import { EXCEPTIONS_SHEET, exceptionsPlan, FORECAST_SHEET, FORECAST_TABLE, forecastPlan, horizonHeader, levelText, methodText, parametersText, type ForecastSheetInputs } from "../forecastPlans";
import { effectiveSegments, type EffectiveSegments } from "../plans";
import { forecastItemFields, forecastParameters, type WrittenFields } from "../snapshotFields";
import { defineStep } from "../step";
import { ValidationError } from "../store";
import { CANCEL_ANSWER } from "../writeContract";

/** Asked when the workbook has Forecast sheets but the pane has no forecast of the current classification. */
export const STALE_SHEETS_QUESTION = "forecast.staleSheets";

export const FORECAST_SETTINGS = {
  settings: "seg.forecastSettings",
  overrides: "seg.forecastOverrides",
} as const;

/** How many SKUs the search lists at once. */
export const SKU_MATCHES = 50;

/** A forecast of the current classification. */
export interface ForecastRun {
  /** The classification it was made from (the Write checks it is still the current one). */
  source: RunInput;
  settings: ForecastSettings;
  result: ForecastJobResult;
}

/** What the pane shows for one SKU: actual, one-step fitted and forecast (overrides applied). */
export interface SkuForecastView {
  sku: string;
  index: number;
  description: string;
  segment: string;
  pattern: string;
  method: string;
  level: string;
  parameters: string;
  periods: number;
  actual: number[];
  /** One-step in-sample forecasts (null where undefined, or for a family-level SKU). */
  fitted: (number | null)[] | null;
  /** After overrides. */
  forecast: number[];
  /** Before overrides. */
  statistical: number[];
  /** Per horizon period: the override there, if any. */
  overrides: (ForecastOverride | null)[];
  backtest: { count: number; wape: number; ts: number; me: number; mae: number } | null;
  exception: string | null;
  note: string;
  /** The override cap of its segment (null: none). */
  cap: number | null;
}

/** A change beyond the segment's cap, waiting for a second person. */
export interface PendingApproval {
  sku: string;
  k: number;
  period: number;
  value: number;
  base: number;
  /** |value − base| / base (Infinity from 0). */
  change: number;
  cap: number;
  segment: string;
  reason: string;
  /** Who asked for it. */
  user: string;
}

export interface ForecastState {
  settings: ForecastSettings;
  problems: string[];
  run: ForecastRun | null;
  preview: ForecastPreview | null;
  overrides: ForecastOverrideMap;
  pendingApproval: PendingApproval | null;
  skuQuery: string;
  skuMatches: string[];
  sku: SkuForecastView | null;
  /** Per SKU of the classification run, for the Policy step (null: no segment takes demand from the forecast, or no forecast). */
  policyDemand: PolicyDemand | null;
  /** The sentence for the Policy notes saying which demand was used. */
  policyBasis: string | null;
  /** The classification has a product family column mapped. */
  familyMapped: boolean;
  /** How the forecast is made changed since the shown run (methods, horizon, backtest, season, family level): forecast again. */
  settingsChanged: boolean;
  /** The forecast of the last Write, for the published snapshot. */
  written?: WrittenFields | null;
}

export interface ForecastActions {
  setSettings(patch: Partial<Pick<ForecastSettings, "horizon" | "backtestPeriods" | "seasonLength">>): void;
  setSegment(segment: string, patch: Partial<Omit<SegmentForecastSettings, "segment" | "methods">>): void;
  setSegmentMethod(segment: string, pattern: ForecastPattern, method: MethodChoice): void;
  resetSettings(): void;
  /** Forecasts every SKU of the classification in the worker. */
  run(): Promise<void>;
  /** Lists SKUs whose id or description contains the text (blank: the exceptions first). */
  findSkus(query: string): void;
  /** Shows one SKU (its one-step fitted values follow from the worker). */
  selectSku(sku: string): Promise<void>;
  /** Overrides SKU's forecast of period T+k; beyond the segment's cap it waits for approve(). */
  setOverride(sku: string, k: number, value: number, reason: string): Promise<void>;
  /** A second person approves the pending change with their name and reason. */
  approve(approver: string, reason: string): Promise<void>;
  cancelApproval(): void;
  clearOverride(sku: string, k: number, reason: string): Promise<void>;
}

declare module "../store" {
  interface StepStates {
    forecast: ForecastState;
  }
  interface StepActions {
    forecast: ForecastActions;
  }
}

function sortedInsert(list: readonly ForecastOverride[], rec: ForecastOverride): ForecastOverride[] {
  return [...list.filter((o) => o.period !== rec.period), rec].sort((a, b) => a.period - b.period);
}

function showQty(x: number): string {
  return String(Math.round(x * 1000) / 1000);
}

function showChange(change: number): string {
  return Number.isFinite(change) ? `${Math.round(change * 1000) / 10} %` : "from 0";
}

export const forecastStep = defineStep({
  key: "forecast",
  create(ctx) {
    const settingsStore = ctx.gateway.settings;
    const saved = completeForecastSettings(settingsStore.get<Partial<ForecastSettings>>(FORECAST_SETTINGS.settings));
    const initial: ForecastState = {
      settings: saved,
      problems: forecastSettingsProblems(saved),
      run: null,
      preview: null,
      overrides: settingsStore.get<ForecastOverrideMap>(FORECAST_SETTINGS.overrides) ?? {},
      pendingApproval: null,
      skuQuery: "",
      skuMatches: [],
      sku: null,
      policyDemand: null,
      policyBasis: null,
      familyMapped: false,
      settingsChanged: false,
    };
    /** The forecasts after overrides, for the current run. */
    let adjusted: { forecast: Float64Array; appliedTotal: number; stale: number } | null = null;
    /** The forecast run the Forecast sheet was last written from in this pane. */
    let writtenRun: ForecastRun | null = null;

    const effectiveNow = (run: RunInput): EffectiveSegments => effectiveSegments(run.parsed, run.result, ctx.overrides.all());

    function changeSettings(next: ForecastSettings): void {
      const run = ctx.state().run;
      ctx.set({ settings: next, problems: forecastSettingsProblems(next), settingsChanged: run !== null && forecastMadeDifferently(run.settings, next) });
      refreshPolicy();
    }

    /** Recomputes what follows from the run, the overrides and the current settings' policy and tolerance choices. */
    function refresh(): void {
      const s = ctx.state();
      const run = s.run;
      if (!run) {
        adjusted = null;
        ctx.set({ preview: null, policyDemand: null, policyBasis: null, sku: null });
        return;
      }
      const { result } = run;
      const parsed = run.source.parsed;
      adjusted = applyOverrides(result.forecast, result.n, result.horizon, parsed.periods, parsed.sku, s.overrides);
      const effective = effectiveNow(run.source);
      const preview = buildForecastPreview(run.source, effective, result, tolerances(run), adjusted);
      ctx.set({ preview });
      refreshPolicy();
      if (s.sku) ctx.set({ sku: skuView(s.sku.index) });
    }

    /** The run's methods and family choices with the pane's current tolerance, caps and policy choices. */
    function tolerances(run: ForecastRun): ForecastSettings {
      const current = new Map(ctx.state().settings.segments.map((g) => [g.segment, g]));
      return { ...run.settings, segments: run.settings.segments.map((g) => ({ ...g, ...pickJudging(current.get(g.segment) ?? g) })) };
    }

    function refreshPolicy(): void {
      const s = ctx.state();
      if (!s.run || !adjusted) {
        ctx.set({ policyDemand: null, policyBasis: null });
        return;
      }
      const pd = policyDemand(effectiveNow(s.run.source), s.run.result, adjusted.forecast, s.settings);
      ctx.set({ policyDemand: pd?.demand ?? null, policyBasis: pd?.basis ?? null });
    }

    function indexOf(sku: string): number {
      const run = ctx.state().run;
      if (!run) return -1;
      return run.source.parsed.sku.indexOf(sku);
    }

    function skuView(i: number): SkuForecastView | null {
      const s = ctx.state();
      const run = s.run;
      if (!run || !adjusted || i < 0) return null;
      const { source, result: res } = run;
      const { parsed, result } = source;
      const n = parsed.periods;
      const h = res.horizon;
      const sku = parsed.sku[i];
      const y = Array.from(parsed.history.subarray(i * n, (i + 1) * n));
      const error = res.errors.get(i);
      // the one-step fitted values come from the worker (fittedFor), kept while the same SKU is shown
      const fitted = s.sku && s.sku.index === i && s.sku.sku === sku ? s.sku.fitted : null;
      const effective = effectiveNow(source);
      const seg = s.settings.segments.find((g) => g.segment === effective.segment[i]);
      const list = s.overrides[sku] ?? [];
      const overrides = Array.from({ length: h }, (_, k) => list.find((o) => o.period === n + k + 1) ?? null);
      const bt = res.backtest;
      const judged = tolerances(run).segments.find((g) => g.segment === effective.segment[i]);
      const exception = exceptionOf(i, res, judged, parsed.value[i])?.reason ?? null;
      return {
        sku,
        index: i,
        description: parsed.description[i] ?? "",
        segment: effective.segment[i],
        pattern: result.pattern[i],
        method: error ? "not forecast" : `${methodText(res, i)}${res.level[i] ? " (family)" : ""}`,
        level: levelText(res, i, parsed.family?.[i] ?? ""),
        parameters: error ? "" : parametersText(res, i),
        periods: n,
        actual: y,
        fitted,
        forecast: error ? [] : Array.from(adjusted.forecast.subarray(i * h, (i + 1) * h)),
        statistical: error ? [] : Array.from(res.forecast.subarray(i * h, (i + 1) * h)),
        overrides,
        backtest: !error && bt.count[i] > 0 ? { count: bt.count[i], wape: bt.wape[i], ts: bt.ts[i], me: bt.me[i], mae: bt.mae[i] } : null,
        exception,
        note: error ? `not forecast: ${error.message}` : (res.notes.get(i) ?? ""),
        cap: seg?.overrideCap ?? null,
      };
    }

    /**
     * The SKU's one-step fitted values with its run's method and parameters, from the worker (the
     * engine stays out of the pane's bundle); none for a family-level or rejected SKU.
     */
    async function fittedFor(i: number): Promise<void> {
      const run = ctx.state().run;
      if (!run || run.result.errors.has(i) || run.result.level[i]) return;
      const res = run.result;
      const n = run.source.parsed.periods;
      let out: { fitted: Float64Array } | null = null;
      try {
        out = await ctx.runner.run("forecastSku", {
          history: run.source.parsed.history.slice(i * n, (i + 1) * n),
          method: FORECAST_METHODS[res.method[i]],
          alpha: res.alpha[i],
          beta: res.beta[i],
          gamma: res.gamma[i],
          phi: res.phi[i],
          window: res.window[i],
          seasonLength: run.settings.seasonLength,
        });
      } catch {
        return; // the chart then shows actuals and forecasts only
      }
      const now = ctx.state().sku;
      if (!out || !now || now.index !== i || ctx.state().run !== run) return;
      ctx.set({ sku: { ...now, fitted: Array.from(out.fitted, (v) => (Number.isFinite(v) ? v : null)) } });
    }

    /** Records the events, then saves the overrides, then updates the Forecast sheet when it shows the current run. */
    async function commitOverrides(sku: string, next: ForecastOverrideMap, events: AuditEvent[], k: number): Promise<string> {
      const rows = await ctx.audit.record(events);
      await settingsStore.set(FORECAST_SETTINGS.overrides, next);
      ctx.set({ overrides: next });
      refresh();
      await ctx.store.emit("auditAppended", rows);
      const s = ctx.state();
      const run = s.run;
      if (run && writtenRun === run && adjusted) {
        const i = indexOf(sku);
        const h = run.result.horizon;
        try {
          await ctx.gateway.updateTableCells(FORECAST_TABLE, "SKU", [
            { key: sku, header: horizonHeader(k), value: adjusted.forecast[i * h + k - 1] },
            { key: sku, header: "Overrides", value: overridesText(next[sku], run.source.parsed.periods, h) },
          ]);
          return " The Forecast sheet shows it now; the Policy sheet takes it in at the next Write.";
        } catch {
          return " The Forecast sheet could not be updated now: it shows the override after the next Write.";
        }
      }
      return " The Forecast sheet takes it in at the next Write.";
    }

    function checkOverride(sku: string, k: number, value: number, reason: string): { i: number; period: number; base: number; seg: SegmentForecastSettings | undefined } {
      const s = ctx.state();
      const run = s.run;
      if (!run) throw new Error("Forecast first (Forecast tab): overrides are set on a forecast.");
      const i = indexOf(sku);
      if (i < 0) throw new ValidationError("sku", `There is no SKU "${sku}" in this classification: pick one from the list.`);
      const h = run.result.horizon;
      if (!(Number.isInteger(k) && k >= 1 && k <= h)) throw new ValidationError("period", `Choose a period from T+1 to T+${h}.`);
      if (!(Number.isFinite(value) && value >= 0)) throw new ValidationError("value", "Type the forecast quantity for that period: a number of units, 0 or more.");
      if (!reason.trim()) throw new ValidationError("reason", "Type a reason for the override (a promotion, a known event…): it is written to the audit trail.");
      if (run.result.errors.has(i)) throw new ValidationError("sku", `${sku} has no forecast (${run.result.errors.get(i)!.message}), so there is nothing to override.`);
      const base = run.result.forecast[i * h + k - 1];
      const effective = effectiveNow(run.source);
      const seg = s.settings.segments.find((g) => g.segment === effective.segment[i]);
      return { i, period: run.source.parsed.periods + k, base, seg };
    }

    function overrideEvents(sku: string, k: number, old: ForecastOverride | undefined, base: number, value: number, reason: string, modelVersion: string): AuditEvent {
      return { action: "forecast-override-set", sku, field: `forecast ${horizonHeader(k)}`, oldValue: showQty(old ? old.value : base), newValue: showQty(value), reason: reason.trim(), modelVersion };
    }

    const lastModelVersion = () => ctx.peek("write")?.lastWrite?.modelVersion ?? "";

    const actions: ForecastActions = {
      setSettings(patch) {
        changeSettings({ ...ctx.state().settings, ...patch });
      },
      setSegment(segment, patch) {
        const s = ctx.state().settings;
        changeSettings({ ...s, segments: s.segments.map((g) => (g.segment === segment ? { ...g, ...patch } : g)) });
        if (ctx.state().run) refresh();
      },
      setSegmentMethod(segment, pattern, method) {
        const s = ctx.state().settings;
        changeSettings({ ...s, segments: s.segments.map((g) => (g.segment === segment ? { ...g, methods: { ...g.methods, [pattern]: method } } : g)) });
      },
      resetSettings() {
        changeSettings(defaultForecastSettings());
        if (ctx.state().run) refresh();
        ctx.store.notice("Forecast settings reset to the defaults (used at the next forecast).");
      },

      async run() {
        await ctx.task(
          "Forecasting",
          async ({ signal, progress }) => {
            const source = ctx.peek("classify")?.run;
            if (!source) throw new Error("Classify first (Classify tab): the forecast uses each SKU's segment and demand pattern.");
            const s = ctx.state();
            const problems = forecastRunProblems(source, s.settings);
            if (problems.length) throw new Error(problems[0]);
            progress({ phase: "Preparing the histories", done: 0, total: 1 });
            const settings = s.settings;
            const job = forecastJob(source, effectiveNow(source), settings);
            const result = await ctx.runner.run("forecast", job, { signal, onProgress: progress });
            await settingsStore.set(FORECAST_SETTINGS.settings, settings);
            ctx.set({ run: { source, settings, result }, pendingApproval: null, familyMapped: source.mapping.columns.family != null, settingsChanged: false });
            refresh();
            actions.findSkus(ctx.state().skuQuery);
            const p = ctx.state().preview!;
            const n = (x: number) => x.toLocaleString();
            ctx.store.notice(
              `Forecast ${n(p.forecast)} SKUs, ${settings.horizon} periods ahead, in ${(result.ms / 1000).toFixed(1)} s${p.rejected ? `; ${n(p.rejected)} not forecast (listed below)` : ""}; ${n(p.exceptions)} outside their segment's tolerance. Write from the Write tab to get the Forecast sheets.`,
            );
          },
          { cancellable: true, cancelledNotice: "Forecast cancelled: nothing changed." },
        );
      },

      findSkus(query) {
        const s = ctx.state();
        const run = s.run;
        const q = query.trim().toLowerCase();
        if (!run) {
          ctx.set({ skuQuery: query, skuMatches: [] });
          return;
        }
        const { parsed } = run.source;
        const out: string[] = [];
        if (q === "") {
          // the exceptions first (the SKUs a planner most likely wants to look at), then the sheet order
          const ex = forecastExceptions(run.source, effectiveNow(run.source), run.result, tolerances(run));
          for (const e of ex) {
            if (out.length >= SKU_MATCHES) break;
            out.push(parsed.sku[e.i]);
          }
          const seen = new Set(out);
          for (let k = 0; k < run.source.result.rowOrder.length && out.length < SKU_MATCHES; k++) {
            const sku = parsed.sku[run.source.result.rowOrder[k]];
            if (!seen.has(sku)) out.push(sku);
          }
        } else {
          // ids that start with the text first, then ids or descriptions that contain it
          const later: string[] = [];
          for (let i = 0; i < parsed.n && out.length < SKU_MATCHES; i++) {
            const id = parsed.sku[i].toLowerCase();
            if (id.startsWith(q)) out.push(parsed.sku[i]);
            else if (later.length < SKU_MATCHES && (id.includes(q) || (parsed.description[i] ?? "").toLowerCase().includes(q))) later.push(parsed.sku[i]);
          }
          out.push(...later.slice(0, SKU_MATCHES - out.length));
        }
        ctx.set({ skuQuery: query, skuMatches: out });
      },

      async selectSku(sku) {
        const i = indexOf(sku);
        if (i < 0) {
          ctx.store.fail(`There is no SKU "${sku}" in the forecast: search for it and pick it from the list.`, "sku");
          return;
        }
        ctx.set({ sku: skuView(i) });
        await fittedFor(i);
      },

      async setOverride(sku, k, value, reason) {
        await ctx.task("Recording the forecast override", async () => {
          const { period, base, seg } = checkOverride(sku, k, value, reason);
          const cap = seg?.overrideCap ?? null;
          const user = ctx.audit.userName();
          if (cap !== null && needsApproval(cap, base, value)) {
            ctx.set({ pendingApproval: { sku, k, period, value, base, change: overrideChange(base, value), cap, segment: seg!.segment, reason: reason.trim(), user } });
            ctx.store.notice(
              `${sku} ${horizonHeader(k)}: ${showQty(base)} → ${showQty(value)} changes the forecast by ${showChange(overrideChange(base, value))}, beyond ${seg!.segment}'s cap of ±${Math.round(cap * 100)} %: a second person must approve it (below).`,
            );
            return;
          }
          const s = ctx.state();
          const old = (s.overrides[sku] ?? []).find((o) => o.period === period);
          const rec: ForecastOverride = { sku, period, value, base, reason: reason.trim(), user, timestamp: ctx.now().toISOString() };
          const next = { ...s.overrides, [sku]: sortedInsert(s.overrides[sku] ?? [], rec) };
          const later = await commitOverrides(sku, next, [overrideEvents(sku, k, old, base, value, reason, lastModelVersion())], k);
          ctx.store.notice(`${sku} ${horizonHeader(k)}: forecast ${showQty(base)} → ${showQty(value)} (${showChange(overrideChange(base, value))}), recorded in the audit trail.${later}`);
        });
      },

      async approve(approver, reason) {
        await ctx.task("Recording the approval", async () => {
          const p = ctx.state().pendingApproval;
          if (!p) throw new Error("There is no override waiting for approval.");
          const name = approver.trim();
          const why = reason.trim();
          if (!name) throw new ValidationError("approver", "The approver types their own name.");
          if (p.user === UNKNOWN_USER) throw new ValidationError("approver", "Set your own name first (Settings tab), so that the trail shows two different people.");
          if (name.toLowerCase() === p.user.toLowerCase()) throw new ValidationError("approver", `The approval must come from a second person, not from ${p.user} who set the override.`);
          if (!why) throw new ValidationError("approvalReason", "The approver types a reason for approving the change.");
          const s = ctx.state();
          const old = (s.overrides[p.sku] ?? []).find((o) => o.period === p.period);
          const rec: ForecastOverride = { sku: p.sku, period: p.period, value: p.value, base: p.base, reason: p.reason, user: p.user, timestamp: ctx.now().toISOString(), approvedBy: name, approvalReason: why };
          const next = { ...s.overrides, [p.sku]: sortedInsert(s.overrides[p.sku] ?? [], rec) };
          const mv = lastModelVersion();
          const events: AuditEvent[] = [
            overrideEvents(p.sku, p.k, old, p.base, p.value, p.reason, mv),
            {
              action: "forecast-override-approved",
              sku: p.sku,
              field: `forecast ${horizonHeader(p.k)}`,
              oldValue: showQty(p.base),
              newValue: showQty(p.value),
              reason: `approved by ${name} (second person; ${p.segment} cap ±${Math.round(p.cap * 100)} %, change ${showChange(p.change)}): ${why}`,
              modelVersion: mv,
            },
          ];
          const later = await commitOverrides(p.sku, next, events, p.k);
          ctx.set({ pendingApproval: null });
          ctx.store.notice(`${p.sku} ${horizonHeader(p.k)}: forecast ${showQty(p.base)} → ${showQty(p.value)}, approved by ${name}; both entries are in the audit trail.${later}`);
        });
      },

      cancelApproval() {
        if (!ctx.state().pendingApproval) return;
        ctx.set({ pendingApproval: null });
        ctx.store.notice("The override was not approved: nothing changed.");
      },

      async clearOverride(sku, k, reason) {
        await ctx.task("Removing the forecast override", async () => {
          const s = ctx.state();
          const run = s.run;
          if (!run) throw new Error("Forecast first (Forecast tab).");
          const period = run.source.parsed.periods + k;
          const old = (s.overrides[sku] ?? []).find((o) => o.period === period);
          if (!old) throw new ValidationError("period", `${sku} has no override in ${horizonHeader(k)}.`);
          const rest = (s.overrides[sku] ?? []).filter((o) => o.period !== period);
          const next = { ...s.overrides };
          if (rest.length) next[sku] = rest;
          else delete next[sku];
          const i = indexOf(sku);
          const h = run.result.horizon;
          const base = i >= 0 ? run.result.forecast[i * h + k - 1] : old.base;
          const later = await commitOverrides(
            sku,
            next,
            [{ action: "forecast-override-cleared", sku, field: `forecast ${horizonHeader(k)}`, oldValue: showQty(old.value), newValue: showQty(base), reason: reason.trim(), modelVersion: lastModelVersion() }],
            k,
          );
          ctx.store.notice(`${sku} ${horizonHeader(k)}: override removed (back to ${showQty(base)}).${later}`);
        });
      },
    };

    ctx.store.on("classified", () => {
      const run = ctx.peek("classify")?.run;
      ctx.set({ run: null, pendingApproval: null, skuMatches: [], familyMapped: run?.mapping.columns.family != null, settingsChanged: false });
      refresh();
    });
    ctx.store.on("overridesChanged", () => {
      if (ctx.state().run) refresh();
    });

    const current = (): ForecastRun | null => {
      const run = ctx.state().run;
      return run && run.source === ctx.peek("classify")?.run ? run : null;
    };

    ctx.contribute({
      key: "forecast",
      get sheets() {
        return current() ? [FORECAST_SHEET, EXCEPTIONS_SHEET] : [];
      },
      blockers: () => {
        const s = ctx.state();
        if (s.run && !current()) return ["The forecast is of an earlier classification: forecast again (Forecast tab) before writing."];
        if (s.pendingApproval) return [`An override of ${s.pendingApproval.sku} waits for a second person's approval (Forecast tab): approve or cancel it first.`];
        return [];
      },
      parameters: () => {
        const run = current();
        return run ? { forecast: run.settings } : {};
      },
      question: (inputs) => {
        if (current() || inputs.answers[STALE_SHEETS_QUESTION]) return null;
        if (!inputs.existingSheets.some((name) => name.toLowerCase() === FORECAST_SHEET.toLowerCase())) return null;
        return {
          key: STALE_SHEETS_QUESTION,
          title: "The Forecast sheets are from an earlier forecast",
          text: "There is no forecast of this classification yet, so this Write would leave the Forecast and Forecast exceptions sheets as they are, with the earlier model version:",
          items: ["to update them, choose \"Don't write\", forecast on the Forecast tab, and write again;", "or write the other sheets now and leave the Forecast sheets as they are."],
          choices: [
            { answer: "leave", label: "Write, leave them" },
            { answer: CANCEL_ANSWER, label: "Don't write", primary: true },
          ],
        };
      },
      contribute: (inputs) => {
        const run = current();
        if (!run || !adjusted || run.source !== inputs.run) return { plans: [] };
        const s = ctx.state();
        const settings = tolerances(run);
        const exceptions = forecastExceptions(inputs.run, inputs.effective, run.result, settings);
        const x: ForecastSheetInputs = {
          run: inputs.run,
          effective: inputs.effective,
          result: run.result,
          forecast: adjusted.forecast,
          overrides: s.overrides,
          exceptions,
          settings,
          modelVersion: inputs.modelVersion,
        };
        const bySegment = segmentAccuracy(inputs.effective, run.result, settings, exceptions);
        const written = adjusted.forecast;
        const va = exceptions.reduce((t, e) => t + e.valueAtRisk, 0);
        return {
          plans: [forecastPlan(x), exceptionsPlan(x, bySegment)],
          summary: [
            `Forecast: ${(run.result.n - run.result.errors.size).toLocaleString()} SKUs, ${run.result.horizon} periods; ${exceptions.length.toLocaleString()} exception(s), value at risk ${Math.round(va).toLocaleString()}${adjusted.appliedTotal ? `; ${adjusted.appliedTotal} override(s) applied` : ""}${adjusted.stale ? `; ${adjusted.stale} override(s) for periods outside the horizon not applied` : ""}.`,
          ],
          commit: async () => {
            writtenRun = run;
            const res = run.result;
            const bySku = forecastItemFields({
              sku: inputs.run.parsed.sku,
              n: res.n,
              horizon: res.horizon,
              methodName: (i) => (res.method[i] >= 0 ? `${FORECAST_METHODS[res.method[i]]}${res.level[i] ? " (family)" : ""}` : null),
              forecast: written,
              fittedRmse: res.fittedRmse,
              backtest: res.backtest,
              rejected: (i) => res.errors.has(i) || res.method[i] < 0,
            });
            const parameters = forecastParameters(res.horizon, run.settings.backtestPeriods, bySegment as unknown as Record<string, number | string>[]);
            ctx.set({ written: { modelVersion: inputs.modelVersion, bySku, parameters } });
          },
        };
      },
    });

    return { initial, actions };
  },
});

/** The settings that judge a forecast (not how it was made): tolerance, cap, policy choice. */
function pickJudging(g: SegmentForecastSettings): Pick<SegmentForecastSettings, "wapeMax" | "tsMax" | "overrideCap" | "policyFromForecast"> {
  return { wapeMax: g.wapeMax, tsMax: g.tsMax, overrideCap: g.overrideCap, policyFromForecast: g.policyFromForecast };
}
