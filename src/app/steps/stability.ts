/**
 * The Stability step (issue 11): how stable is each SKU's segment under forecast error? Monte
 * Carlo in the worker (src/app/jobs/stability.ts, progress and cancel), per-segment expected
 * churn, the SKUs below the threshold, and the threshold-tuning table (cut-offs ±5 points: SKUs
 * and value that move, src/engine/sensitivity.ts). Each SKU's demand is perturbed by its own
 * forecast error (src/app/stabilityError.ts: the forecast's backtest RMSE / mean, else its in-sample
 * RMSE / mean, else the planner's CV). After a check every Write adds the Stability sheet
 * (src/app/stabilitySheet.ts).
 */
import { cutoffSensitivity, type SensitivityRow } from "../../engine/sensitivity";
import type { ClassStability } from "../../engine/stability";
import type { RunInput } from "../classifyTypes";
import type { StabilityJobResult } from "../jobs/stability";
import { defineStep } from "../step";
import type { ErrorSource, StabilityErrors } from "../stabilityError";
import { defaultStabilitySettings, STABILITY_SHEET, stabilityOrder, stabilityPlan, stabilitySettingProblems, type StabilitySettings } from "../stabilitySheet";

export const STABILITY_SETTING = "seg.stability";
/** SKUs below the threshold listed in the pane (the sheet has them all). */
export const BELOW_SHOWN = 50;

export interface StabilitySummary {
  runs: number;
  skus: number;
  flagged: number;
  bySegment: ClassStability[];
  /** Least stable SKUs below the threshold, at most BELOW_SHOWN. */
  below: { sku: string; segment: string; stay: number; errorCv: number; errorSource: ErrorSource }[];
  /** SKUs whose error CV came from the forecast's backtest, its in-sample fit, or the setting (src/app/stabilityError.ts). */
  errorSources: Record<ErrorSource, number>;
  /** A forecast exists but of another classification: not used (forecast again). */
  forecastStale: boolean;
  ms: number;
}

export interface StabilityState {
  settings: StabilitySettings;
  problems: string[];
  summary: StabilitySummary | null;
  /** Cut-off sensitivity of the current run (null before Classify). */
  sensitivity: SensitivityRow[] | null;
}

export interface StabilityActions {
  setSettings(patch: Partial<StabilitySettings>): void;
  /** Runs the simulation on the current classification. */
  check(): Promise<void>;
}

declare module "../store" {
  interface StepStates {
    stability: StabilityState;
  }
  interface StepActions {
    stability: StabilityActions;
  }
}

const ABC = ["A", "B", "C"];
const XYZ = ["X", "Y", "Z"];

/** ABC and XYZ cut-offs moved by ±0.05: the SKUs (and value) that change class. */
export function runSensitivity(run: RunInput): SensitivityRow[] {
  const r = run.result;
  const abc = Int32Array.from(r.abcComputed, (l) => ABC.indexOf(l));
  const xyz = Int32Array.from(r.xyz, (l) => XYZ.indexOf(l));
  const values = Float64Array.from(run.parsed.value, (v, i) => (r.inactive[i] ? Number.NaN : v));
  return [
    ...cutoffSensitivity({ stat: r.cumShare, classes: abc, labels: ABC, cutoffs: run.options.abcCutoffs, rule: "atMostIsLower", values, scaleMin: 0, scaleMax: 1 }).map((x) => ({ ...x, boundary: `ABC ${x.boundary}` })),
    ...cutoffSensitivity({ stat: r.cv, classes: xyz, labels: XYZ, cutoffs: run.options.xyzCutoffs, rule: "atMostIsLower", values }).map((x) => ({ ...x, boundary: `XYZ ${x.boundary}`, cutoff: x.cutoff + run.options.abcCutoffs.length })),
  ];
}

/** The last `w` periods of the run's history, row-major (the window the statistics used). */
function windowed(run: RunInput): Float64Array {
  const { parsed } = run;
  const p = parsed.periods;
  const w = run.result.windowPeriods;
  if (w === p) return parsed.history;
  const out = new Float64Array(parsed.n * w);
  for (let i = 0; i < parsed.n; i++) out.set(parsed.history.subarray(i * p + p - w, (i + 1) * p), i * w);
  return out;
}

export const stabilityStep = defineStep({
  key: "stability",
  create(ctx) {
    const store = ctx.gateway.settings;
    const settings: StabilitySettings = { ...defaultStabilitySettings(), ...(store.get<Partial<StabilitySettings>>(STABILITY_SETTING) ?? {}) };
    /** The full result of the last check, and the run it belongs to. */
    let last: { result: StabilityJobResult; run: RunInput; errors: StabilityErrors } | null = null;

    const actions: StabilityActions = {
      setSettings(patch) {
        const next = { ...ctx.state().settings, ...patch };
        ctx.set({ settings: next, problems: stabilitySettingProblems(next) });
        void store.set(STABILITY_SETTING, next);
      },
      check: () =>
        ctx.task(
          "Checking class stability",
          async ({ signal, progress }) => {
            const run = ctx.peek("classify")?.run;
            if (!run) throw new Error("Classify first (Classify tab): the stability check reclassifies that run's data.");
            const s = ctx.state();
            if (s.problems.length) throw new Error(s.problems[0]);
            const o = run.options;
            const { stabilityErrors } = await import("../stabilityError");
            const errors = stabilityErrors(run, ctx.peek("forecast")?.run, s.settings.errorCv);
            const result = await ctx.runner.run(
              "stability",
              {
                rows: run.parsed.n,
                periods: run.result.windowPeriods,
                values: run.parsed.value,
                history: windowed(run),
                skip: run.result.inactive,
                errorCv: errors.cv,
                runs: s.settings.runs,
                seed: s.settings.seed,
                threshold: s.settings.threshold,
                cutoffs: o.abcCutoffs,
                xMax: o.xyzCutoffs[0],
                yMax: o.xyzCutoffs[1],
                sdType: o.sdType,
              },
              { signal, onProgress: progress },
            );
            last = { result, run, errors };
            const below = stabilityOrder(result)
              .filter((i) => result.flagged[i])
              .slice(0, BELOW_SHOWN)
              .map((i) => ({ sku: run.parsed.sku[i], segment: result.labels[result.reference[i]], stay: result.stay[i], errorCv: errors.cv[i], errorSource: errors.source[i] }));
            const flagged = result.flagged.reduce((a, x) => a + x, 0);
            const skus = result.byClass.reduce((a, c) => a + c.skus, 0);
            ctx.set({ summary: { runs: result.runs, skus, flagged, bySegment: result.byClass, below, errorSources: errors.counts, forecastStale: errors.forecastStale, ms: result.ms } });
            ctx.store.notice(
              `Checked ${skus.toLocaleString()} SKUs over ${result.runs.toLocaleString()} runs: ${flagged.toLocaleString()} below ${Math.round(s.settings.threshold * 100)} %. The next Write adds the ${STABILITY_SHEET} sheet.`,
            );
          },
          { cancellable: true, cancelledNotice: "Stability check cancelled: nothing changed." },
        ),
    };

    ctx.store.on("classified", () => {
      last = null;
      const run = ctx.peek("classify")?.run;
      ctx.set({ summary: null, sensitivity: run ? runSensitivity(run) : null });
    });

    ctx.contribute({
      key: "stability",
      get sheets() {
        return ctx.state().summary ? [STABILITY_SHEET] : [];
      },
      contribute: (inputs) => {
        if (!last || last.run !== inputs.run || !ctx.state().summary) return { plans: [] };
        return {
          plans: [stabilityPlan(last.result, inputs.run.parsed, last.errors, ctx.state().sensitivity ?? runSensitivity(inputs.run), ctx.state().settings, inputs.modelVersion)],
          summary: [`${STABILITY_SHEET}: ${ctx.state().summary!.skus.toLocaleString()} SKUs, ${ctx.state().summary!.flagged.toLocaleString()} below the threshold.`],
        };
      },
    });

    return { initial: { settings, problems: stabilitySettingProblems(settings), summary: null, sensitivity: null }, actions };
  },
});
