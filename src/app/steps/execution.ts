/**
 * The Execution step: an editable rule table per segment (and pattern, and customer class) that
 * sets picking priority, transport mode, ATP window, cross-dock, slotting zone and sequencing
 * (src/engine/execution.ts), saved per workbook; a preview of the flags; and, when turned on, the
 * Execution sheet in every Write with the master-data checks before it (executionRows.ts): segments
 * typed by hand on the Segments sheet are refused (the Write asks, then replaces them), flags typed
 * on the Execution sheet that contradict the rules are flagged (listed, then replaced).
 */
import { checkRuleTable, DEFAULT_SLOTTING_CUTOFFS, defaultRuleUniverse, RULE_FIELDS, type ExecutionFlags, type ExecutionRule, type MasterDataFinding, type RuleProblem, type RuleUniverse } from "../../engine/execution";
import { defaultPolicyOptions, type PolicyOptions } from "../../engine/policy";
import type { RunOptions } from "../engineRunner";
import { DIMENSION_SETTINGS, EXECUTION_SHEET, EXECUTION_TABLE } from "../dimensionSheets";
import { defaultExecutionSettings, exampleRules, executionRows, executionSettingsProblems, typedFlagFindings, typedSegmentFindings, type ExecutionRows, type ExecutionSettings } from "../executionRows";
import { effectiveSegments } from "../plans";
import { SEGMENTS_TABLE } from "../sheets";
import { executionItemFields, type WrittenFields } from "../snapshotFields";
import { defineStep } from "../step";
import { CANCEL_ANSWER, type WriteInputs } from "../writeContract";

export interface ExecutionPreview {
  rows: number;
  byTransportMode: { key: string; count: number }[];
  byZone: { key: string; count: number }[];
  crossDock: number;
  sequenced: number;
  /** Rows with a problem (bad picks, margin...), and the first message. */
  issues: number;
  firstIssue: string | null;
}

export interface ExecutionState {
  rules: ExecutionRule[];
  /** checkRuleTable over the segments, patterns and customer classes of the run (errors and warnings). */
  ruleProblems: RuleProblem[];
  settings: ExecutionSettings;
  settingsProblems: string[];
  preview: ExecutionPreview | null;
  /** Master-data findings of the last check (before a Write or on request); null until checked. */
  findings: MasterDataFinding[] | null;
  /** The per-SKU flags of the last Write, for the published snapshot (null: not written, or rows per SKU × customer). */
  written?: WrittenFields | null;
}

export type RulePatch = { [F in keyof ExecutionRule]?: ExecutionRule[F] | null };

export interface ExecutionActions {
  addRule(): void;
  /** Changes a rule; a field set to null is removed ("not set"). */
  updateRule(id: string, patch: RulePatch): void;
  removeRule(id: string): void;
  resetRules(): void;
  setSettings(patch: Partial<ExecutionSettings>): void;
  /** Evaluates the rules on the current rows (worker) and shows the counts. */
  preview(): Promise<void>;
  /** Reads the Segments and Execution sheets and lists what was typed by hand. */
  checkMasterData(): Promise<void>;
}

declare module "../store" {
  interface StepStates {
    execution: ExecutionState;
  }
  interface StepActions {
    execution: ExecutionActions;
  }
}

export const TYPED_SEGMENTS_QUESTION = "execution.typedSegments";
const MAX_LISTED = 20;

function counts(values: readonly string[]): { key: string; count: number }[] {
  const m = new Map<string, number>();
  for (const v of values) m.set(v || "(not set)", (m.get(v || "(not set)") ?? 0) + 1);
  return [...m].map(([key, count]) => ({ key, count })).sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

function previewOf(flags: ExecutionFlags): ExecutionPreview {
  let crossDock = 0;
  let sequenced = 0;
  for (let i = 0; i < flags.rows; i++) {
    crossDock += flags.crossDock[i];
    if (flags.sequencePriority[i] > 0) sequenced++;
  }
  const first = flags.issues.values().next();
  return { rows: flags.rows, byTransportMode: counts(flags.transportMode), byZone: counts(flags.slottingZone), crossDock, sequenced, issues: flags.issues.size, firstIssue: first.done ? null : first.value.message };
}

export const executionStep = defineStep({
  key: "execution",
  create(ctx) {
    const store = ctx.gateway.settings;
    const rules = store.get<ExecutionRule[]>(DIMENSION_SETTINGS.executionRules) ?? exampleRules();
    const settings: ExecutionSettings = { ...defaultExecutionSettings(), ...(store.get<Partial<ExecutionSettings>>(DIMENSION_SETTINGS.executionOptions) ?? {}) };

    /** The combinations the rules are checked over: the defaults plus what the runs hold. */
    const universe = (): RuleUniverse => {
      const base = defaultRuleUniverse();
      const run = ctx.peek("classify")?.run;
      const dim = ctx.peek("dimensions")?.run;
      return {
        segments: [...new Set([...base.segments, ...(run ? run.result.segment.filter(Boolean) : [])])],
        patterns: base.patterns,
        customerClasses: [...new Set([...base.customerClasses, ...(dim?.customerClass ?? []).filter(Boolean)])],
      };
    };
    const problemsOf = (r: readonly ExecutionRule[]) => checkRuleTable(r, universe());
    const initial: ExecutionState = { rules, ruleProblems: problemsOf(rules), settings, settingsProblems: executionSettingsProblems(settings, null), preview: null, findings: null };

    const setRules = (next: ExecutionRule[]) => {
      ctx.set({ rules: next, ruleProblems: problemsOf(next), preview: null });
      void store.set(DIMENSION_SETTINGS.executionRules, next);
    };
    const refresh = () => {
      const s = ctx.state();
      ctx.set({ ruleProblems: problemsOf(s.rules), settingsProblems: executionSettingsProblems(s.settings, ctx.peek("dimensions")?.run ?? null), preview: null });
    };
    ctx.store.on("classified", refresh);
    ctx.store.on("dimensionsRun", refresh);

    const policyOptions = (): PolicyOptions => (ctx.peek("policy")?.policyOptions as PolicyOptions | undefined) ?? defaultPolicyOptions();

    /** The rows and their flags for a run, evaluated in the worker. */
    async function evaluate(inputs: Pick<WriteInputs, "run" | "effective">, signal?: AbortSignal, onProgress?: RunOptions["onProgress"]): Promise<{ rows: ExecutionRows; flags: ExecutionFlags }> {
      const s = ctx.state();
      const dim = ctx.peek("dimensions")?.run ?? null;
      const rows = executionRows(inputs.run, inputs.effective, dim, s.settings, policyOptions());
      const flags = await ctx.runner.run("execution", { rules: s.rules, input: rows.input }, { signal, onProgress });
      return { rows, flags };
    }

    const nextId = (list: readonly ExecutionRule[]) => {
      let k = list.length + 1;
      while (list.some((r) => r.id === `R${k}`)) k++;
      return `R${k}`;
    };

    const actions: ExecutionActions = {
      addRule() {
        const list = ctx.state().rules;
        setRules([...list, { id: nextId(list), segment: "*" }]);
      },
      updateRule(id, patch) {
        setRules(
          ctx.state().rules.map((r) => {
            if (r.id !== id) return r;
            const next: Record<string, unknown> = { ...r };
            for (const [k, v] of Object.entries(patch)) {
              if (v === null || v === undefined || (typeof v === "number" && Number.isNaN(v))) delete next[k];
              else next[k] = v;
            }
            if (typeof next.id !== "string") next.id = r.id;
            if (typeof next.segment !== "string") next.segment = "*";
            return next as unknown as ExecutionRule;
          }),
        );
      },
      removeRule(id) {
        setRules(ctx.state().rules.filter((r) => r.id !== id));
      },
      resetRules() {
        setRules(exampleRules());
        ctx.store.notice("Execution rules reset to the example table (saved with the workbook).");
      },
      setSettings(patch) {
        const next = { ...ctx.state().settings, ...patch };
        ctx.set({ settings: next, settingsProblems: executionSettingsProblems(next, ctx.peek("dimensions")?.run ?? null), preview: null });
        void store.set(DIMENSION_SETTINGS.executionOptions, next);
      },
      async preview() {
        await ctx.task(
          "Applying the execution rules",
          async ({ signal, progress }) => {
            const run = ctx.peek("classify")?.run;
            if (!run) throw new Error("Classify first (Classify tab): the rules apply to the classified SKUs.");
            const s = ctx.state();
            const error = s.ruleProblems.find((p) => p.severity === "error");
            if (error) throw new Error(`Fix the execution rules first: ${error.message}.`);
            if (s.settingsProblems.length) throw new Error(s.settingsProblems[0]);
            const { flags } = await evaluate({ run, effective: effectiveSegments(run.parsed, run.result, ctx.overrides.all()) }, signal, progress);
            ctx.set({ preview: previewOf(flags) });
            ctx.store.notice(`Execution flags for ${flags.rows.toLocaleString()} rows: see the preview below.`);
          },
          { cancellable: true },
        );
      },
      async checkMasterData() {
        await ctx.task("Checking the master data", async () => {
          const table = await ctx.gateway.readTable(SEGMENTS_TABLE);
          const findings = typedSegmentFindings(table, ctx.overrides.all());
          const run = ctx.peek("classify")?.run;
          const exec = await ctx.gateway.readTable(EXECUTION_TABLE);
          const s = ctx.state();
          if (run && exec && !s.ruleProblems.some((p) => p.severity === "error") && sameRules(store.get(DIMENSION_SETTINGS.executionWritten), s.rules)) {
            const { rows, flags } = await evaluate({ run, effective: effectiveSegments(run.parsed, run.result, ctx.overrides.all()) });
            findings.push(...typedFlagFindings(exec, rows, flags));
          }
          ctx.set({ findings });
          ctx.store.notice(findings.length ? `${findings.length} master-data finding(s): see the list in the Execution tab.` : "No segment or flag typed by hand was found.");
        });
      },
    };

    const enabled = () => ctx.state().settings.enabled;
    ctx.contribute({
      key: "execution",
      get sheets() {
        return enabled() ? [EXECUTION_SHEET] : [];
      },
      get inspect() {
        return enabled() ? [SEGMENTS_TABLE, EXECUTION_TABLE] : [];
      },
      blockers: () => {
        if (!enabled()) return [];
        const s = ctx.state();
        const error = s.ruleProblems.find((p) => p.severity === "error");
        if (error) return [`Fix the execution rules first (Execution tab): ${error.message}.`];
        if (s.settingsProblems.length) return [`Fix the execution options first (Execution tab): ${s.settingsProblems[0]}`];
        return [];
      },
      parameters: () => (enabled() ? { execution: { rules: ctx.state().rules, rows: ctx.state().settings.rows, daysCovered: ctx.state().settings.daysCovered } } : {}),
      question: (inputs) => {
        if (!enabled()) return null;
        const refused = typedSegmentFindings(inputs.tables[SEGMENTS_TABLE] ?? null, inputs.overrides);
        if (refused.length === 0) return null;
        ctx.set({ findings: refused });
        return {
          key: TYPED_SEGMENTS_QUESTION,
          title: "Segments typed by hand on the Segments sheet",
          text: "A segment typed over the computed one is not taken in: it would misclassify the SKU without a reason in the audit trail. Record an override with a reason in the Overrides tab instead. Writing now replaces these cells:",
          items: [...refused.slice(0, MAX_LISTED).map((f) => f.message), ...(refused.length > MAX_LISTED ? [`… and ${refused.length - MAX_LISTED} more.`] : [])],
          choices: [
            { answer: "replace", label: "Replace them and write", primary: true },
            { answer: CANCEL_ANSWER, label: "Don't write" },
          ],
        };
      },
      contribute: async (inputs) => {
        if (!enabled()) return { plans: [] };
        const s = ctx.state();
        const { rows, flags } = await evaluate(inputs);
        const refused = typedSegmentFindings(inputs.tables[SEGMENTS_TABLE] ?? null, inputs.overrides);
        const compare = sameRules(store.get(DIMENSION_SETTINGS.executionWritten), s.rules);
        const flagged = compare ? typedFlagFindings(inputs.tables[EXECUTION_TABLE] ?? null, rows, flags) : [];
        const summary = [`Execution sheet: ${flags.rows.toLocaleString()} rows, ${s.rules.length} rules.`];
        if (refused.length) summary.push(`Replaced ${refused.length} segment(s) typed by hand on the Segments sheet.`);
        if (flagged.length) summary.push(`${flagged.length} flag(s) typed on the Execution sheet contradicted the rules and were replaced (listed in the Execution tab); first: ${flagged[0].message}.`);
        if (!compare && inputs.tables[EXECUTION_TABLE]) summary.push("The rule table changed since the last Write: the Execution sheet's flags were replaced, not compared.");
        const { executionPlan } = await import("../dimensionPlans");
        return {
          plans: [executionPlan(rows, flags, s.rules, inputs.modelVersion, DEFAULT_SLOTTING_CUTOFFS)],
          summary,
          commit: async () => {
            await store.set(DIMENSION_SETTINGS.executionWritten, s.rules);
            const perSku = rows.customer.every((c) => c === "");
            const written = perSku ? { modelVersion: inputs.modelVersion, bySku: executionItemFields(rows.sku, flags) } : null;
            ctx.set({ findings: [...refused, ...flagged], preview: previewOf(flags), written });
          },
        };
      },
    });

    return { initial, actions };
  },
});

/** The same rules field by field (the order of the table counts, the order of a rule's fields does not). */
function sameRules(a: unknown, b: readonly ExecutionRule[]): boolean {
  if (!Array.isArray(a) || a.length !== b.length) return false;
  const norm = (r: ExecutionRule) => JSON.stringify(["id", "segment", "pattern", "customerClass", ...RULE_FIELDS].map((k) => (r as unknown as Record<string, unknown>)[k] ?? null));
  return a.every((r, i) => norm(r as ExecutionRule) === norm(b[i]));
}
