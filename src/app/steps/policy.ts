/**
 * The Policy step: the per-segment grid (service level, method, review period, KPI targets) and
 * the defaults for every SKU. It contributes the Policy sheet to every Write, and before writing
 * asks what to do with hand edits found on that sheet's grid.
 */
import { defaultPolicyGrid, defaultPolicyOptions, diffPolicyGrids, policyFieldHeader, validatePolicyGrid, type PolicyOptions, type SegmentPolicy, type SegmentPolicyField } from "../../engine/policy";
import type { AuditEvent } from "../auditService";
import { effectiveSegments, policyNotes, policyPlan, SEGMENT_POLICY_ANCHOR, skuPolicyRow, skuPolicyRows, type PolicyDemand } from "../plans";
import type { CellValue } from "../ports";
import { describeConflict, findPolicyConflicts, gridProblems, policyOptionPaneProblems, resolvePolicyGrid, showPolicyValue, type PolicyResolution } from "../policyEdits";
import { POLICY_SHEET, SEGMENT_POLICY_TABLE, SETTINGS, SKU_POLICY_HEADERS, SKU_POLICY_TABLE } from "../sheets";
import { defineStep } from "../step";
import { CANCEL_ANSWER, type WriteInputs } from "../writeContract";

export interface PolicyState {
  grid: SegmentPolicy[];
  gridProblems: string[];
  /** Defaults for every SKU; periodsPerYear follows the classification's. */
  policyOptions: PolicyOptions;
  policyOptionProblems: string[];
}

export interface PolicyActions {
  setGridCell(segment: string, field: SegmentPolicyField, value: number | string): void;
  resetGrid(): void;
  setPolicyOptions(patch: Partial<PolicyOptions>): void;
}

declare module "../store" {
  interface StepStates {
    policy: PolicyState;
  }
  interface StepActions {
    policy: PolicyActions;
  }
}

export const HAND_EDITS_QUESTION = "policy.handEdits";

export const policyStep = defineStep({
  key: "policy",
  create(ctx) {
    const settings = ctx.gateway.settings;
    const grid = settings.get<SegmentPolicy[]>(SETTINGS.policyGrid) ?? defaultPolicyGrid();
    const policyOptions: PolicyOptions = { ...defaultPolicyOptions(), ...(settings.get<PolicyOptions>(SETTINGS.policyOptions) ?? {}) };
    const initial: PolicyState = { grid, gridProblems: gridProblems(grid), policyOptions, policyOptionProblems: policyOptionPaneProblems(policyOptions) };
    const lastWritten = () => settings.get<SegmentPolicy[]>(SETTINGS.policyWritten);
    /** What this pane wrote last: the per-SKU rows follow overrides while it is the run on the sheets. */
    let written: { inputs: WriteInputs; grid: SegmentPolicy[]; options: PolicyOptions; demand: PolicyDemand | null } | null = null;
    /** Demand from the Forecast step for the segments that ask for it (null: none, or no forecast). */
    const forecastDemand = (): { demand: PolicyDemand | null; basis: string | null } => {
      const f = ctx.peek("forecast");
      return { demand: f?.policyDemand ?? null, basis: f?.policyDemand ? f.policyBasis : null };
    };

    ctx.store.on("overridesChanged", async (changed) => {
      const w = written;
      if (!w || ctx.peek("write")?.written?.outcome.modelVersion !== w.inputs.modelVersion) return;
      const { run } = w.inputs;
      const index = new Map<string, number>();
      run.parsed.sku.forEach((s, i) => index.set(s, i));
      const eff = effectiveSegments(run.parsed, run.result, ctx.overrides.all());
      const updates: { key: string; header: string; value: CellValue }[] = [];
      for (const c of changed) {
        const i = index.get(c.sku);
        if (i === undefined) continue;
        const row = skuPolicyRow(i, run.parsed, run.result, eff.segment[i], eff.source[i], w.grid, w.options, w.inputs.modelVersion, w.demand);
        SKU_POLICY_HEADERS.forEach((h, k) => {
          if (h !== "SKU") updates.push({ key: c.sku, header: h, value: row[k] });
        });
      }
      if (updates.length) await ctx.gateway.updateTableCells(SKU_POLICY_TABLE, "SKU", updates);
    });

    /** A grid adopted from another step (Scenarios' "Use this scenario"): its cells are audited as coming from it when written. */
    let adopted: { grid: SegmentPolicy[]; source: string } | null = null;
    ctx.store.on("policyGridProposed", ({ grid, source }) => {
      const next = grid.map((p) => ({ ...p }));
      adopted = { grid: next, source };
      ctx.set({ grid: next, gridProblems: gridProblems(next) });
    });
    const fromAdopted = (segment: string, field: SegmentPolicyField, value: unknown) => adopted?.grid.find((p) => p.segment === segment)?.[field] === value;

    /** The options a write uses: the pane's, with the run's periods per year. */
    const writeOptions = (inputs: WriteInputs): PolicyOptions => ({ ...ctx.state().policyOptions, periodsPerYear: inputs.run.options.periodsPerYear });
    const conflictsOf = (inputs: WriteInputs) => findPolicyConflicts(inputs.tables[SEGMENT_POLICY_TABLE] ?? null, lastWritten(), ctx.state().grid, SEGMENT_POLICY_ANCHOR);

    const actions: PolicyActions = {
      setGridCell(segment, field, value) {
        const next = ctx.state().grid.map((p) => (p.segment === segment ? ({ ...p, [field]: value } as SegmentPolicy) : p));
        ctx.set({ grid: next, gridProblems: gridProblems(next) });
      },
      resetGrid() {
        const next = defaultPolicyGrid();
        ctx.set({ grid: next, gridProblems: [] });
        ctx.store.notice("Policy grid reset to the defaults (written at the next Write).");
      },
      setPolicyOptions(patch) {
        const next = { ...ctx.state().policyOptions, ...patch };
        ctx.set({ policyOptions: next, policyOptionProblems: policyOptionPaneProblems(next) });
      },
    };

    ctx.contribute({
      key: "policy",
      sheets: [POLICY_SHEET],
      inspect: [SEGMENT_POLICY_TABLE],
      blockers: () => {
        const s = ctx.state();
        if (s.gridProblems.length) return [`Fix the policy grid first (Policy tab): ${s.gridProblems[0]}.`];
        if (s.policyOptionProblems.length) return [`Fix the policy defaults first (Policy tab): ${s.policyOptionProblems[0]}.`];
        return [];
      },
      parameters: () => ({ grid: ctx.state().grid, policyOptions: ctx.state().policyOptions }),
      question: (inputs) => {
        const conflicts = conflictsOf(inputs);
        if (conflicts.length === 0) return null;
        return {
          key: HAND_EDITS_QUESTION,
          title: "The Policy sheet was edited by hand",
          text: "These cells differ from what the add-in wrote last time. Keep the sheet's values (recommended), or write the pane's?",
          items: conflicts.map(describeConflict),
          choices: [
            { answer: "keep", label: "Keep theirs", primary: true },
            { answer: "new", label: "Use new" },
            { answer: CANCEL_ANSWER, label: "Don't write" },
          ],
        };
      },
      contribute: (inputs) => {
        const resolution = (inputs.answers[HAND_EDITS_QUESTION] ?? "keep") as PolicyResolution;
        const conflicts = conflictsOf(inputs);
        const pane = ctx.state().grid;
        validatePolicyGrid(pane);
        const grid = validatePolicyGrid(resolvePolicyGrid(pane, conflicts, resolution));
        const kept = resolution === "keep" ? conflicts.filter((c) => c.valid) : [];
        const keptKeys = new Set(kept.map((e) => `${e.segment}|${e.field}`));
        const options = writeOptions(inputs);
        const fd = forecastDemand();
        const rows = skuPolicyRows(inputs.run.parsed, inputs.run.result, inputs.effective, grid, options, inputs.modelVersion, fd.demand);
        const before = lastWritten() ?? defaultPolicyGrid();
        const events: AuditEvent[] = diffPolicyGrids(before, grid).map((d) => ({
          action: "policy-changed",
          sku: "",
          field: `${d.segment} ${policyFieldHeader(d.field)}`,
          oldValue: showPolicyValue(d.field, d.from),
          newValue: showPolicyValue(d.field, d.to),
          reason: keptKeys.has(`${d.segment}|${d.field}`) ? "edited on the Policy sheet (kept)" : fromAdopted(d.segment, d.field, d.to) ? `from scenario "${adopted!.source}" (Scenarios tab)` : "changed in the pane",
          modelVersion: inputs.modelVersion,
        }));
        const replaced = conflicts.filter((c) => !kept.includes(c));
        return {
          plans: [policyPlan(grid, rows, policyNotes(options, inputs.run, fd.basis))],
          events,
          summary: [
            ...(kept.length ? [`Kept ${kept.length} hand edit(s) from the Policy sheet.`] : []),
            ...replaced.map((e) => `Replaced: ${describeConflict(e)}`),
            ...(events.length ? [`${events.length} policy grid change(s) recorded in the audit trail.`] : []),
          ],
          commit: async () => {
            written = { inputs, grid, options, demand: fd.demand };
            adopted = null;
            await settings.set(SETTINGS.policyWritten, grid);
            await settings.set(SETTINGS.policyGrid, grid);
            await settings.set(SETTINGS.policyOptions, options);
            ctx.set({ grid, gridProblems: [] });
          },
        };
      },
    });

    return { initial, actions };
  },
});
