/**
 * The Classify step's dynamic part (issue 11), kept out of steps/classify.ts: its settings and
 * state, the window plan before the parse, the promotion mask before the job, churn control and
 * the business rules (Rules step, when in this pane) after it, the reclassification-due check,
 * the model-version parameters, and the Segments-sheet columns and notes. The rules themselves are
 * src/app/churnControl.ts and src/app/rulesApply.ts over the engine.
 */
import {
  applyChurnControl,
  CHURN_SETTINGS,
  churnSentence,
  churnSettingProblems,
  defaultChurnSettings,
  dueCheck,
  excludedInWindow,
  extendSegmentsPlan,
  loadDynamicInputs,
  planWindow,
  planWindowOn,
  previousFromMapped,
  previousFromSegments,
  promotionsMask,
  segmentationModel,
  segmentationModelId,
  PROMOTIONS_TABLE,
  type ChurnLastRun,
  type ChurnRunReport,
  type ChurnSettings,
  type DynamicOutcome,
  type WindowPlan,
} from "./churnControl";
import type { ClassificationResult, ClassifyOptions, RunInput } from "./classifyTypes";
import type { ColumnMapping } from "./mapping";
import type { ParsedTable } from "./parse";
import type { RangeSnapshot, SheetPlan, WorkbookGateway } from "./ports";
import { applyRules, ruleAttributes, type RuleOutcome } from "./rulesApply";
import { SEGMENTS_NOTES_TABLE, SEGMENTS_TABLE, SETTINGS } from "./sheets";
import type { StepContext } from "./step";
import type { DueCheck } from "../engine/window";

export interface ChurnPaneState {
  settings: ChurnSettings;
  /** Problems of the settings, naming the field (Classify is refused while there are any). */
  problems: string[];
  due: DueCheck | null;
  /** The last run's figures (null before a run, or without previous classes). */
  report: ChurnRunReport | null;
  /** The window the last run used, in words. */
  windowText: string | null;
  /** Promotion periods left out: total, SKUs affected, the SKUs with most (sku, count). */
  excluded: { total: number; skus: number; top: { sku: string; count: number }[]; unmatched: string[]; source?: "table" | "flags" | "both" } | null;
  /** SKUs whose segment a business rule decided. */
  ruleDecided: number;
  /** The segmentation model id of the last run ("m…-d…", model.ts). */
  modelId: string | null;
}

export function initialChurnState(settings: WorkbookGateway["settings"], options: ClassifyOptions): ChurnPaneState {
  const saved = settings.get<Partial<ChurnSettings>>(CHURN_SETTINGS.settings) ?? {};
  const d = defaultChurnSettings();
  const s: ChurnSettings = { ...d, ...saved, bands: { ...d.bands, ...saved.bands }, window: { ...d.window, ...saved.window } };
  return { settings: s, problems: churnSettingProblems(s, options), due: null, report: null, windowText: null, excluded: null, ruleDecided: 0, modelId: null };
}

/** What the last run left for the Write. */
interface RunExtras {
  run: ClassificationResult;
  outcome: DynamicOutcome;
  rules: RuleOutcome | null;
  plan: WindowPlan;
  modelId: string;
  lastRun: ChurnLastRun;
}

export type ChurnStage = ReturnType<typeof churnStage>;

export function churnStage(ctx: StepContext<"classify">, snapshot: () => RangeSnapshot | null) {
  const settings = ctx.gateway.settings;
  let extras: RunExtras | null = null;
  /** Promotion periods left out per SKU of the current run (null: none). */
  let excludedPerSku: Int32Array | null = null;
  const churn = () => ctx.state().churn;
  const setChurn = (patch: Partial<ChurnPaneState>) => ctx.set({ churn: { ...churn(), ...patch } });

  function checkDue(): void {
    const snap = snapshot();
    const s = ctx.state();
    if (!snap || !s.mapping?.history) return;
    const h = s.mapping.history;
    const labels = (snap.values[s.mapping.headerRow] ?? []).slice(h.first, h.last + 1).map((c) => (c === null || c === undefined ? "" : String(c).trim()));
    setChurn({ due: dueCheck(settings.get<ChurnLastRun>(CHURN_SETTINGS.lastRun), ctx.now(), labels, churn().settings.cadence) });
  }

  ctx.store.on("written", async () => {
    if (!extras) return;
    await settings.set(CHURN_SETTINGS.lastRun, { ...extras.lastRun, runAt: ctx.now().toISOString() });
    checkDue();
  });

  return {
    checkDue,

    optionsChanged(): void {
      setChurn({ problems: churnSettingProblems(churn().settings, ctx.state().options) });
    },

    setSettings(patch: Partial<ChurnSettings>): void {
      const next = { ...churn().settings, ...patch };
      setChurn({ settings: next, problems: churnSettingProblems(next, ctx.state().options) });
      ctx.set({ preview: null, run: null });
      void settings.set(CHURN_SETTINGS.settings, next);
      checkDue();
    },

    /** The mapping and options of this run (window, as-of); throws with the field's problem. */
    planRun(snap: RangeSnapshot, mapping: NonNullable<ReturnType<typeof ctx.state>["mapping"]>, options: ClassifyOptions): WindowPlan {
      const c = churn();
      if (c.problems.length) throw new Error(c.problems[0]);
      const rules = ctx.peek("rules");
      if (rules?.problems.length) throw new Error(`Rules: ${rules.problems[0]} Nothing was classified.`);
      if (!mapping.history) throw new Error("Map the demand history columns first.");
      return planWindow(snap, mapping, options, c.settings);
    },

    /** planRun for an imported extract: its bucketed periods' labels, no sheet columns (the history is cut at window.end). */
    planImport(labels: string[], mapping: ColumnMapping, options: ClassifyOptions): WindowPlan {
      const c = churn();
      if (c.problems.length) throw new Error(c.problems[0]);
      const rules = ctx.peek("rules");
      if (rules?.problems.length) throw new Error(`Rules: ${rules.problems[0]} Nothing was classified.`);
      return planWindowOn(labels, mapping, options, c.settings);
    },

    /**
     * The promotion flags for the job (n × parsed periods), or undefined: the Promotions table's
     * periods (when ticked) and the mapped promotion flag columns (a sheet range), together.
     */
    async promotions(parsed: ParsedTable, plan: WindowPlan): Promise<Uint8Array | undefined> {
      const s = churn().settings;
      excludedPerSku = null;
      const snap = snapshot();
      const labels = plan.periodLabels.slice(0, parsed.periods);
      const flagsModule = snap && plan.mapping.promotionFlags ? await import("./promotionFlags") : null;
      const fromFlags = flagsModule ? flagsModule.promotionFlagsMask(snap!, plan.mapping, parsed, plan.periodLabels) : null;
      if (!s.promotions && !fromFlags) {
        setChurn({ excluded: null });
        return undefined;
      }
      let fromTable: ReturnType<typeof promotionsMask> = { mask: null, unmatched: [] };
      if (s.promotions) {
        const { promotions } = await loadDynamicInputs(ctx.gateway, { ...s, previousFrom: "none" }, SEGMENTS_TABLE);
        fromTable = promotionsMask(promotions, parsed, labels);
      }
      const unmatched = fromTable.unmatched;
      const mask = flagsModule ? flagsModule.unionMasks(fromTable.mask, fromFlags) : fromTable.mask;
      if (!mask) return undefined;
      const w = { start: parsed.periods - Math.min(parsed.periods, plan.options.demandWindow ?? parsed.periods), end: parsed.periods - 1, length: 0, requested: 0, short: false };
      w.length = w.end - w.start + 1;
      const counts = excludedInWindow(mask, w);
      excludedPerSku = counts;
      let total = 0;
      let skus = 0;
      const top: { sku: string; count: number }[] = [];
      counts.forEach((c, i) => {
        if (c > 0) {
          total += c;
          skus++;
          top.push({ sku: parsed.sku[i], count: c });
        }
      });
      top.sort((a, b) => b.count - a.count || (a.sku < b.sku ? -1 : 1));
      const source = fromTable.mask && fromFlags ? "both" : fromFlags ? "flags" : "table";
      setChurn({ excluded: { total, skus, top: top.slice(0, 20), unmatched: unmatched.slice(0, 20), source } });
      return mask.flags;
    },

    /**
     * Churn control and business rules on the job's result; what the preview and the Write use.
     * `attributes`: the columns rules test (default: the read sheet's, ruleAttributes); `between`:
     * applied after the churn control and before the rules (an import's data-flag fallbacks).
     */
    async control(
      parsed: ParsedTable,
      computed: ClassificationResult,
      plan: WindowPlan,
      more: { attributes?: () => Record<string, unknown[]>; between?: (r: ClassificationResult) => ClassificationResult } = {},
    ): Promise<ClassificationResult> {
      const s = churn().settings;
      const { segments } = await loadDynamicInputs(ctx.gateway, { ...s, promotions: false }, SEGMENTS_TABLE);
      const prev = s.previousFrom === "lastWrite" ? previousFromSegments(segments, parsed) : s.previousFrom === "mapped" ? previousFromMapped(parsed) : null;
      const outcome = applyChurnControl(parsed, computed, plan.options, s, prev, excludedPerSku ?? undefined);
      const ruleRows = ctx.peek("rules")?.rows ?? [];
      let rules: RuleOutcome | null = null;
      let result = more.between ? more.between(outcome.result) : outcome.result;
      if (ruleRows.length) {
        rules = applyRules(ruleRows, more.attributes ? more.attributes() : ruleAttributes(snapshot()!, plan.mapping, parsed), parsed, result);
        result = rules.result;
      }
      const policyGrid = settings.get<unknown>(SETTINGS.policyGrid) ?? null;
      const modelId = segmentationModelId(segmentationModel(plan.options, s, ruleRows.length ? rules!.evaluation.rules.map((r) => ({ name: r.name, priority: r.priority, when: r.conditions.map((c) => ({ field: c.field, op: c.op, value: c.shown })), then: r.then })) : [], policyGrid), parsed);
      const labels = plan.periodLabels;
      extras = { run: result, outcome, rules, plan, modelId, lastRun: { runAt: "", periods: labels.length, lastPeriod: labels[labels.length - 1] } };
      setChurn({ report: outcome.churn, windowText: plan.text, ruleDecided: rules?.decided ?? 0, modelId });
      return result;
    },

    /** The rules' service levels and policies of the last run, for the Policy step (undefined: no rules). */
    ruleDecisions(result: ClassificationResult) {
      return extras && extras.run === result ? (extras.rules?.decisions ?? undefined) : undefined;
    },

    parameters(): Record<string, unknown> {
      return { churnControl: churn().settings, rules: ctx.peek("rules")?.rows ?? [], segmentationModel: extras?.modelId ?? null };
    },

    /** The Segments plan with the dynamic columns and notes (unchanged when the run is not this step's last). */
    extendPlan(plan: SheetPlan, run: RunInput): SheetPlan {
      if (!extras || extras.run !== run.result) return plan;
      const c = churn();
      const n = run.parsed.n;
      const notes = [
        `Classification window: ${extras.plan.text}${c.settings.window.enabled ? " (rolling window)" : ""}.`,
        `Segmentation model ${extras.modelId} (cut-offs, bands, minimum tenure, window, rules and policy grid, with the data): the same model and data give the same id.`,
        `Churn control: ABC band ${c.settings.bands.abc}, XYZ band ${c.settings.bands.xyz}, minimum tenure ${c.settings.minTenure} runs; previous class from ${c.settings.previousFrom === "lastWrite" ? "the last written Segments sheet" : c.settings.previousFrom === "mapped" ? "the mapped current class" : "nowhere (off)"}.`,
        ...(extras.outcome.churn ? [churnSentence(extras.outcome.churn)] : []),
        ...(c.excluded
          ? [
              `Promotions: ${c.excluded.total.toLocaleString("en-US")} periods of ${c.excluded.skus.toLocaleString("en-US")} SKUs left out of the baseline statistics (column "Promotion periods excluded"), from ${c.excluded.source === "flags" ? "the promotion flag columns" : c.excluded.source === "both" ? `the "${PROMOTIONS_TABLE}" table and the promotion flag columns` : `the "${PROMOTIONS_TABLE}" table`}.`,
            ]
          : []),
        ...(extras.rules ? [`Business rules decided the segment of ${extras.rules.decided.toLocaleString("en-US")} SKUs ("Why this segment"): ${extras.rules.texts.join("; ")}.`] : []),
      ];
      return extendSegmentsPlan(
        plan,
        run.result.rowOrder,
        { outcome: extras.outcome, rule: extras.rules?.rule ?? new Array<string>(n).fill(""), why: extras.rules?.why ?? new Array<string>(n).fill("computed"), notes },
        SEGMENTS_TABLE,
        SEGMENTS_NOTES_TABLE,
      );
    },
  };
}
