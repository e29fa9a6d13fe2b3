/**
 * The Policy step: the per-segment grid (service level, method, distribution, review period,
 * shortage cost, order multiple, MOQ, KPI targets), the defaults for every SKU, the constraints
 * (safety-stock budget, DC capacity basis, phase-out), and the MRP export's fields and names.
 * It plans every SKU's policy as an engine job in the worker (src/app/jobs/policy.ts: lifecycle,
 * levels, floors, rounding, budget, capacity), shows a preview before anything is written, and
 * contributes to every Write: the Policy sheet, the MRP export, the Policy change list against
 * the previous written version, and the very hidden SEG_PolicyVersion sheet that keeps this
 * version for the next change list. Before writing it asks what to do with hand edits found on
 * the Policy sheet's grid.
 *
 * Bad input stops the Write with nothing written: the grid's and the options' problems (each
 * beside its field), a policy column cell the parser flagged (named by its address), an MOQ that
 * is not a multiple of the order multiple (named by its cell), a budget below the floors (beside
 * the budget field). Row results that are undefined for valid input (no unit cost for an EOQ, a
 * new SKU without analog or family) are written as "not computed: …" rows, as before.
 */
import {
  defaultPolicyGrid,
  defaultPolicyOptions,
  diffPolicyGrids,
  normalizePolicyGrid,
  policyFieldHeader,
  validatePolicyGrid,
  type PolicyOptions,
  type SegmentPolicy,
  type SegmentPolicyField,
} from "../../engine/policy";
import type { AuditEvent } from "../auditService";
import type { RunInput } from "../classifyTypes";
import { effectiveSegments, policyNotes, policyPlan, SEGMENT_POLICY_ANCHOR, type EffectiveSegments, type PolicyDemand } from "../plans";
import type { CellValue } from "../ports";
import { describeConflict, findPolicyConflicts, gridProblems, policyOptionPaneProblems, resolvePolicyGrid, showPolicyValue, type PolicyResolution } from "../policyEdits";
import { policyJobInput } from "../policyInput";
/** Rule precedence and the Decided by note (src/app/rulePolicy.ts), loaded with the first plan. */
const rulePolicy = () => import("../rulePolicy");
import { blockingProblems, summarisePolicy, type PolicyPreview } from "../policyPreview";
import {
  changeListPlan,
  currentVersion,
  defaultMrpExportSettings,
  deployedPolicyRow,
  deployedPolicyRows,
  mrpExportPlan,
  mrpExportRows,
  MRP_FIELDS,
  mrpExportProblems,
  policyVersionPlan,
  sapMrpExportSettings,
  versionCells,
  type DeployedRun,
  type MrpExportSettings,
  type MrpField,
} from "../policySheets";
import { decodePolicyVersion, type PolicyVersion } from "../policyVersion";
import { CHANGE_LIST_SHEET, MRP_EXPORT_SHEET, POLICY_SHEET, POLICY_VERSION_TABLE, SEGMENT_POLICY_TABLE, SETTINGS, SKU_POLICY_HEADERS, SKU_POLICY_TABLE } from "../sheets";
import { mrpItemFields, type WrittenFields } from "../snapshotFields";
import { defineStep } from "../step";
import { ValidationError, type TaskContext } from "../store";
import { CANCEL_ANSWER, type WriteInputs } from "../writeContract";
import { amountText } from "../policyWords";

export interface PolicyState {
  grid: SegmentPolicy[];
  gridProblems: string[];
  /** Defaults for every SKU and the constraints; periodsPerYear follows the classification's. */
  policyOptions: PolicyOptions;
  policyOptionProblems: string[];
  /** MRP export field choice and names (kept per workbook). */
  mrpExport: MrpExportSettings;
  mrpExportProblems: string[];
  /** Problems of the policy input (mapped cells, MOQ against the order multiple) that stop the Write. */
  inputProblems: string[];
  /** The last planned policy, summarised (null: not planned since the last change). */
  preview: PolicyPreview | null;
  /** The rows of what this pane wrote last, by SKU index (the snapshot publishes them). */
  writtenRows: { modelVersion: string; row(i: number): CellValue[] } | null;
  /** The MRP export of the last Write per SKU, with its field names, for the published snapshot. */
  mrpWritten?: WrittenFields | null;
}

export interface PolicyActions {
  setGridCell(segment: string, field: SegmentPolicyField, value: number | string): void;
  resetGrid(): void;
  setPolicyOptions(patch: Partial<PolicyOptions>): void;
  setSegmentBudget(segment: string, amount: number): void;
  /** Field choice, names, MRP types; saved in the workbook at once. */
  setMrpExport(patch: Partial<MrpExportSettings>): Promise<void>;
  setMrpHeader(field: MrpField, header: string): Promise<void>;
  setMrpField(field: MrpField, included: boolean): Promise<void>;
  setMrpType(segment: string, mrpType: string): Promise<void>;
  useMrpPreset(preset: "ours" | "sap"): Promise<void>;
  /** Plans every SKU's policy (in the worker) and shows the preview. */
  preview(): Promise<void>;
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

/** "budget: the budget (10) is below …" from the engine, in the pane's words. */
function budgetMessage(message: string): string {
  return message.replace(/^budget: /, "The safety-stock budget is too small: ").replace(/\(([0-9.]+)\)/, (_, x) => `(${amountText(Number(x))})`).replace(/need ([0-9.]+)$/, (_, x) => `need ${amountText(Number(x))}; raise the budget or lower the floors.`);
}

export const policyStep = defineStep({
  key: "policy",
  create(ctx) {
    const settings = ctx.gateway.settings;
    const saved = settings.get<SegmentPolicy[]>(SETTINGS.policyGrid);
    const grid = saved ? normalizePolicyGrid(saved) : defaultPolicyGrid();
    const policyOptions: PolicyOptions = { ...defaultPolicyOptions(), ...(settings.get<PolicyOptions>(SETTINGS.policyOptions) ?? {}) };
    const mrpExport: MrpExportSettings = { ...defaultMrpExportSettings(), ...(settings.get<MrpExportSettings>(SETTINGS.mrpExport) ?? {}) };
    const initial: PolicyState = {
      grid,
      gridProblems: gridProblems(grid),
      policyOptions,
      policyOptionProblems: policyOptionPaneProblems(policyOptions),
      mrpExport,
      mrpExportProblems: mrpExportProblems(mrpExport),
      inputProblems: [],
      preview: null,
      writtenRows: null,
    };
    const lastWritten = () => {
      const g = settings.get<SegmentPolicy[]>(SETTINGS.policyWritten);
      return g ? normalizePolicyGrid(g) : undefined;
    };
    /** What this pane wrote last: the per-SKU rows follow overrides while it is the run on the sheets. */
    let written: { inputs: WriteInputs; deployed: DeployedRun; forecast: PolicyDemand | null } | null = null;
    /** Demand from the Forecast step for the segments that ask for it (null: none, or no forecast). */
    const forecastDemand = (): { demand: PolicyDemand | null; basis: string | null } => {
      const f = ctx.peek("forecast");
      return { demand: f?.policyDemand ?? null, basis: f?.policyDemand ? f.policyBasis : null };
    };
    /** The last planned policy and what it was planned from. */
    let planned: { key: string; deployed: DeployedRun } | null = null;
    /** The previous written version, read before the transaction. */
    let previous: PolicyVersion | null = null;
    let overridesRevision = 0;
    /** Identity of a run or a forecast demand in a plan key (objects are replaced, never mutated). */
    const ids = new WeakMap<object, number>();
    let nextId = 0;
    const idOf = (x: object | null) => {
      if (x === null) return 0;
      let id = ids.get(x);
      if (id === undefined) ids.set(x, (id = ++nextId));
      return id;
    };
    /** The options a plan uses: the pane's, with the run's periods per year. */
    const optionsFor = (run: RunInput): PolicyOptions => ({ ...ctx.state().policyOptions, periodsPerYear: run.options.periodsPerYear });
    const keyOf = (run: RunInput, g: readonly SegmentPolicy[], o: PolicyOptions, f: PolicyDemand | null) =>
      JSON.stringify([idOf(run), idOf(f), overridesRevision, ctx.now().toISOString().slice(0, 10), g, o]);
    const conflictsOf = (inputs: WriteInputs) => findPolicyConflicts(inputs.tables[SEGMENT_POLICY_TABLE] ?? null, lastWritten(), ctx.state().grid, SEGMENT_POLICY_ANCHOR);
    const stale = () => {
      planned = null;
      ctx.set({ preview: null });
    };

    /** Plans the policy (job in the worker); a budget below the floors is a ValidationError on "budget". */
    async function plan(run: RunInput, effective: EffectiveSegments, g: readonly SegmentPolicy[], o: PolicyOptions, task?: TaskContext): Promise<DeployedRun> {
      const forecast = forecastDemand().demand;
      const key = keyOf(run, g, o, forecast);
      if (planned && planned.key === key) return planned.deployed;
      const job = policyJobInput(run, effective, g, o, ctx.now(), forecast, (await rulePolicy()).policyDecisions);
      let result;
      try {
        result = await ctx.runner.run("policy", job, { signal: task?.signal, onProgress: task?.progress });
      } catch (e) {
        if (e instanceof Error && e.message.startsWith("budget: ")) throw new ValidationError("budget", budgetMessage(e.message));
        throw e;
      }
      const deployed: DeployedRun = { run, effective, grid: g, options: o, job, result };
      planned = { key, deployed };
      const problems = [...run.parsed.policyIssues.map((p) => p.message), ...blockingProblems(deployed)];
      ctx.set({ preview: summarisePolicy(deployed), inputProblems: problems });
      return deployed;
    }

    const currentRun = () => {
      const run = ctx.peek("classify")?.run;
      if (!run) throw new Error("Classify first (Classify tab): there is no SKU table to plan yet.");
      return run;
    };

    const saveMrp = async (next: MrpExportSettings) => {
      ctx.set({ mrpExport: next, mrpExportProblems: mrpExportProblems(next) });
      await settings.set(SETTINGS.mrpExport, next);
    };

    ctx.store.on("classified", () => {
      const run = ctx.peek("classify")?.run;
      planned = null;
      ctx.set({ preview: null, inputProblems: run ? run.parsed.policyIssues.map((p) => p.message) : [] });
    });

    ctx.store.on("overridesChanged", async (changed) => {
      overridesRevision++;
      stale();
      const w = written;
      if (!w || ctx.peek("write")?.written?.outcome.modelVersion !== w.inputs.modelVersion) return;
      const { run } = w.inputs;
      const d = w.deployed;
      if (d.result.budget || d.result.capacity) {
        ctx.store.notice("The overrides change the segments of SKUs under a budget or a DC capacity: write again to plan them (the Policy sheet keeps what was written).");
        return;
      }
      // no budget or capacity: each SKU's policy is its own, so only the changed rows move
      const eff = effectiveSegments(run.parsed, run.result, ctx.overrides.all());
      const job = policyJobInput(run, eff, d.grid, d.options, ctx.now(), w.forecast, (await rulePolicy()).policyDecisions);
      const result = await ctx.runner.run("policy", job);
      const next: DeployedRun = { run, effective: eff, grid: d.grid, options: d.options, job, result };
      const index = new Map<string, number>();
      run.parsed.sku.forEach((s, i) => index.set(s, i));
      const updates: { key: string; header: string; value: CellValue }[] = [];
      for (const c of changed) {
        const i = index.get(c.sku);
        if (i === undefined) continue;
        const row = deployedPolicyRow(next, i, w.inputs.modelVersion);
        SKU_POLICY_HEADERS.forEach((h, k) => {
          if (h !== "SKU") updates.push({ key: c.sku, header: h, value: row[k] });
        });
      }
      if (updates.length) await ctx.gateway.updateTableCells(SKU_POLICY_TABLE, "SKU", updates);
      written = { inputs: w.inputs, deployed: next, forecast: w.forecast };
      ctx.set({ writtenRows: { modelVersion: w.inputs.modelVersion, row: (i) => deployedPolicyRow(next, i, w.inputs.modelVersion) } });
    });

    /** A grid adopted from another step (Scenarios' "Use this scenario"): its cells are audited as coming from it when written. */
    let adopted: { grid: SegmentPolicy[]; source: string } | null = null;
    ctx.store.on("policyGridProposed", ({ grid, source }) => {
      const next = grid.map((p) => ({ ...p }));
      adopted = { grid: next, source };
      ctx.set({ grid: next, gridProblems: gridProblems(next) });
      stale();
    });
    const fromAdopted = (segment: string, field: SegmentPolicyField, value: unknown) => adopted?.grid.find((p) => p.segment === segment)?.[field] === value;

    const actions: PolicyActions = {
      setGridCell(segment, field, value) {
        const next = ctx.state().grid.map((p) => (p.segment === segment ? ({ ...p, [field]: value } as SegmentPolicy) : p));
        ctx.set({ grid: next, gridProblems: gridProblems(next) });
        stale();
      },
      resetGrid() {
        const next = defaultPolicyGrid();
        ctx.set({ grid: next, gridProblems: [] });
        stale();
        ctx.store.notice("Policy grid reset to the defaults (written at the next Write).");
      },
      setPolicyOptions(patch) {
        const next = { ...ctx.state().policyOptions, ...patch };
        ctx.set({ policyOptions: next, policyOptionProblems: policyOptionPaneProblems(next) });
        stale();
      },
      setSegmentBudget(segment, amount) {
        const o = ctx.state().policyOptions;
        actions.setPolicyOptions({ segmentBudgets: { ...o.segmentBudgets, [segment]: amount } });
      },
      setMrpExport: (patch) => saveMrp({ ...ctx.state().mrpExport, ...patch }),
      setMrpHeader(field, header) {
        const s = ctx.state().mrpExport;
        return saveMrp({ ...s, headers: { ...s.headers, [field]: header } });
      },
      setMrpField(field, included) {
        const s = ctx.state().mrpExport;
        const fields = included ? [...s.fields.filter((f) => f !== field), field] : s.fields.filter((f) => f !== field);
        return saveMrp({ ...s, fields });
      },
      setMrpType(segment, mrpType) {
        const s = ctx.state().mrpExport;
        const mrpTypeBySegment = { ...s.mrpTypeBySegment };
        if (mrpType.trim() === "") delete mrpTypeBySegment[segment];
        else mrpTypeBySegment[segment] = mrpType.trim();
        return saveMrp({ ...s, mrpTypeBySegment });
      },
      useMrpPreset(preset) {
        const s = ctx.state().mrpExport;
        const base = preset === "sap" ? sapMrpExportSettings() : defaultMrpExportSettings();
        return saveMrp({ ...base, mrpTypeBySegment: s.mrpTypeBySegment });
      },
      async preview() {
        await ctx.task(
          "Planning the policy",
          async (task) => {
            const s = ctx.state();
            if (s.gridProblems.length) throw new Error(`Fix the policy grid first: ${s.gridProblems[0]}.`);
            if (s.policyOptionProblems.length) throw new Error(`Fix the policy defaults first: ${s.policyOptionProblems[0]}.`);
            const run = currentRun();
            const effective = effectiveSegments(run.parsed, run.result, ctx.overrides.all());
            const d = await plan(run, effective, validatePolicyGrid(s.grid), optionsFor(run), task);
            const p = ctx.state().preview!;
            ctx.store.notice(`Planned ${p.computed.toLocaleString()} of ${p.planned.toLocaleString()} SKUs${p.notComputed ? ` (${p.notComputed.toLocaleString()} not computed, listed below)` : ""}. Nothing is written until you Write.`);
            void d;
          },
          { cancellable: true, cancelledNotice: "Planning cancelled: nothing changed." },
        );
      },
    };

    ctx.contribute({
      key: "policy",
      sheets: [POLICY_SHEET, MRP_EXPORT_SHEET, CHANGE_LIST_SHEET],
      inspect: [SEGMENT_POLICY_TABLE],
      blockers: () => {
        const s = ctx.state();
        if (s.gridProblems.length) return [`Fix the policy grid first (Policy tab): ${s.gridProblems[0]}.`];
        if (s.policyOptionProblems.length) return [`Fix the policy defaults first (Policy tab): ${s.policyOptionProblems[0]}.`];
        if (s.mrpExportProblems.length) return [`Fix the MRP export first (Policy tab): ${s.mrpExportProblems[0]}`];
        const issues = ctx.peek("classify")?.run?.parsed.policyIssues ?? [];
        if (issues.length) return [`Fix the policy columns of the SKU table first: ${issues[0].message}${issues.length > 1 ? ` (and ${issues.length - 1} more, listed in the Policy tab)` : ""}. Nothing was written.`];
        return [];
      },
      beforeWrite: async (task) => {
        const run = currentRun();
        const effective = effectiveSegments(run.parsed, run.result, ctx.overrides.all());
        task.progress({ phase: "Planning the policy", done: 0, total: 1 });
        const d = await plan(run, effective, validatePolicyGrid(ctx.state().grid), optionsFor(run), task);
        const blocking = blockingProblems(d);
        if (blocking.length) throw new Error(`Fix the policy input first: ${blocking[0]}${blocking.length > 1 ? ` (and ${blocking.length - 1} more, listed in the Policy tab)` : ""}. Nothing was written.`);
        task.progress({ phase: "Reading the previous policy version", done: 0, total: 1 });
        const t = await ctx.gateway.readTable(POLICY_VERSION_TABLE);
        previous = t ? decodePolicyVersion(versionCells(t.rows)) : null;
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
      contribute: async (inputs) => {
        const resolution = (inputs.answers[HAND_EDITS_QUESTION] ?? "keep") as PolicyResolution;
        const conflicts = conflictsOf(inputs);
        const pane = ctx.state().grid;
        validatePolicyGrid(pane);
        const grid = validatePolicyGrid(resolvePolicyGrid(pane, conflicts, resolution));
        const kept = resolution === "keep" ? conflicts.filter((c) => c.valid) : [];
        const keptKeys = new Set(kept.map((e) => `${e.segment}|${e.field}`));
        const options = optionsFor(inputs.run);
        // the plan of beforeWrite, unless hand edits kept from the sheet changed the grid
        const deployed = await plan(inputs.run, inputs.effective, grid, options);
        const mv = inputs.modelVersion;
        const rows = deployedPolicyRows(deployed, mv);
        const before = lastWritten() ?? defaultPolicyGrid();
        const events: AuditEvent[] = diffPolicyGrids(before, grid).map((d) => ({
          action: "policy-changed",
          sku: "",
          field: `${d.segment} ${policyFieldHeader(d.field)}`,
          oldValue: showPolicyValue(d.field, d.from),
          newValue: showPolicyValue(d.field, d.to),
          reason: keptKeys.has(`${d.segment}|${d.field}`) ? "edited on the Policy sheet (kept)" : fromAdopted(d.segment, d.field, d.to) ? `from scenario "${adopted!.source}" (Scenarios tab)` : "changed in the pane",
          modelVersion: mv,
        }));
        const replaced = conflicts.filter((c) => !kept.includes(c));
        const mrp = mrpExportPlan(deployed, ctx.state().mrpExport, mv);
        const mrpSettings = ctx.state().mrpExport;
        const allMrp = mrpExportRows(deployed, { ...mrpSettings, fields: [...MRP_FIELDS], headers: {} }, mv);
        const mrpWritten: WrittenFields = {
          modelVersion: mv,
          bySku: mrpItemFields(MRP_FIELDS, allMrp.rows),
          parameters: { fields: mrpSettings.fields, headers: mrpSettings.headers, mrpTypeBySegment: mrpSettings.mrpTypeBySegment, noReplenishmentMrpType: mrpSettings.noReplenishmentMrpType },
        };
        const version = currentVersion(deployed, mv);
        const changes = changeListPlan(previous, version);
        const p = summarisePolicy(deployed);
        const constraintLines: string[] = [];
        if (p.budget) constraintLines.push(`Safety-stock budget: ${amountText(p.budget.spent)} of ${amountText(p.budget.budget)} allocated over ${p.budget.skus.toLocaleString()} SKUs.`);
        if (p.capacity) {
          const cut = p.capacity.filter((l) => l.unitsCut > 0);
          constraintLines.push(cut.length ? `DC capacity: max levels cut at ${cut.map((l) => l.location).join(", ")}.` : "DC capacity: every location fits.");
          for (const l of p.capacity.filter((x) => !x.feasible)) constraintLines.push(`DC capacity: ${l.location} cannot fit even at the lowest levels (needs ${amountText(l.after)}, holds ${amountText(l.capacity)}).`);
        }
        const decidedNote = (await rulePolicy()).decidedByNote(deployed.job.decidedBy);
        return {
          plans: [policyPlan(grid, rows, [...policyNotes(options, inputs.run, forecastDemand().basis), ...constraintLines, ...decidedNote]), mrp.plan, changes.plan, policyVersionPlan(version)],
          events,
          summary: [
            ...(kept.length ? [`Kept ${kept.length} hand edit(s) from the Policy sheet.`] : []),
            ...replaced.map((e) => `Replaced: ${describeConflict(e)}`),
            ...(events.length ? [`${events.length} policy grid change(s) recorded in the audit trail.`] : []),
            `MRP export: ${mrp.rows.toLocaleString()} SKU(s)${mrp.skipped.length ? `; ${mrp.skipped.length.toLocaleString()} left out, their policy could not be computed (first: ${mrp.skipped[0].sku}: ${mrp.skipped[0].reason})` : ""}.`,
            ...changes.summary,
            ...constraintLines,
          ],
          commit: async () => {
            written = { inputs, deployed, forecast: deployed.job.demandFromForecast ? forecastDemand().demand : null };
            adopted = null;
            await settings.set(SETTINGS.policyWritten, grid);
            await settings.set(SETTINGS.policyGrid, grid);
            await settings.set(SETTINGS.policyOptions, options);
            ctx.set({ grid, gridProblems: [], writtenRows: { modelVersion: mv, row: (i) => deployedPolicyRow(deployed, i, mv) }, mrpWritten });
          },
        };
      },
    });

    return { initial, actions };
  },
});
