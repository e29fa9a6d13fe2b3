/**
 * The Scenarios step: up to four scenarios (today's policy, the proposed grid, a budget-constrained
 * variant, another segmentation cut-off), simulated in the worker on the same seeded demand
 * (src/app/jobs/simulate.ts), compared per segment and in total. It writes the Scenarios sheet
 * with an audit entry naming the scenarios and the chosen one, and "Use this scenario" hands the
 * chosen grid to the Policy step through the policyGridProposed event.
 *
 * The Scenarios sheet is written outside the Write, in one gateway.writeSheets call that carries
 * its audit row: the gateway swaps the sheet and appends the row together or not at all (a failure
 * or Cancel leaves the workbook as it was), so the sheet and its audit entry cannot part.
 */
import { defaultPolicyGrid, type SegmentPolicy } from "../../engine/policy";
import type { AuditEvent } from "../auditService";
import type { RunInput } from "../classifyTypes";
import { effectiveSegments } from "../plans";
import type { AuditRow, AuditTip } from "../ports";
import { gridProblems } from "../policyEdits";
import { SCENARIOS_SHEET, scenariosPlan } from "../scenarioSheet";
import {
  defaultScenarios,
  defaultSimulationSettings,
  MAX_SCENARIO_COUNT,
  scenarioProblems,
  type ScenarioDef,
  type ScenarioJob,
  type ScenarioKind,
  type ScenarioOutcome,
  type SimulationSettings,
} from "../scenarioTypes";
import { SETTINGS } from "../sheets";
import { defineStep } from "../step";
import type { TaskContext } from "../store";

/** Workbook settings of this step (the scenario list and the simulation options, kept per workbook). */
export const SCENARIO_SETTINGS = { scenarios: "seg.scenarios", simulation: "seg.simulationSettings" } as const;

export interface ScenariosState {
  scenarios: ScenarioDef[];
  settings: SimulationSettings;
  problems: string[];
  outcome: ScenarioOutcome | null;
  /** Name of the scenario chosen with "Use this scenario" (null: none yet). */
  chosen: string | null;
  /** The Scenarios sheet holds the outcome shown (written since the last run). */
  sheetWritten: boolean;
}

export interface ScenariosActions {
  setScenario(index: number, patch: Partial<ScenarioDef>): void;
  addScenario(kind: ScenarioKind): void;
  removeScenario(index: number): void;
  setSettings(patch: Partial<SimulationSettings>): void;
  /** Simulates every scenario on the same demand (in the worker; progress and Cancel). */
  run(): Promise<void>;
  /** Writes the Scenarios sheet and its audit entry (the chosen scenario, if any). */
  writeSheet(): Promise<void>;
  /** Records the choice (Scenarios sheet + audit entry) and carries its grid into the Policy tab. */
  useScenario(index: number): Promise<void>;
}

declare module "../store" {
  interface StepStates {
    scenarios: ScenariosState;
  }
  interface StepActions {
    scenarios: ScenariosActions;
  }
}

const NEW_NAMES: Record<ScenarioKind, string> = { today: "Today", proposed: "Proposed grid", budget: "Budget", cutoff: "Other cut-offs" };

/** A name not yet used: "Budget", "Budget 2", … */
function freshName(kind: ScenarioKind, taken: readonly ScenarioDef[]): string {
  const base = NEW_NAMES[kind];
  const used = new Set(taken.map((d) => d.name.trim().toLowerCase()));
  if (!used.has(base.toLowerCase())) return base;
  for (let k = 2; ; k++) if (!used.has(`${base} ${k}`.toLowerCase())) return `${base} ${k}`;
}

const money = (x: number) => (Number.isFinite(x) ? (Math.round(x * 100) / 100).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 }) : "–");
const signed = (x: number) => (x > 0 ? `+${money(x)}` : money(x));
const pct = (x: number) => `${Math.round(x * 1e4) / 100} %`;

export const scenariosStep = defineStep({
  key: "scenarios",
  create(ctx) {
    const settings = ctx.gateway.settings;
    const scenarios = settings.get<ScenarioDef[]>(SCENARIO_SETTINGS.scenarios) ?? defaultScenarios(ctx.peek("classify")?.options);
    const sim: SimulationSettings = { ...defaultSimulationSettings(), ...(settings.get<SimulationSettings>(SCENARIO_SETTINGS.simulation) ?? {}) };
    const initial: ScenariosState = { scenarios, settings: sim, problems: scenarioProblems(scenarios, sim), outcome: null, chosen: null, sheetWritten: false };
    /** The run the outcome was simulated from (its model version goes into the sheet and the audit entry). */
    let simulated: RunInput | null = null;

    const update = (patch: Partial<Pick<ScenariosState, "scenarios" | "settings">>) => {
      const s = { ...ctx.state(), ...patch };
      ctx.set({ ...patch, problems: scenarioProblems(s.scenarios, s.settings) });
    };

    /** The model version of the run simulated, when that run is the one on the sheets. */
    const modelVersion = () => {
      const w = ctx.peek("write")?.written;
      return w && simulated && w.run === simulated ? w.outcome.modelVersion : "";
    };

    function auditEvent(o: ScenarioOutcome, chosen: string | null): AuditEvent {
      const k = chosen === null ? -1 : o.names.indexOf(chosen);
      const how = `${o.skus.toLocaleString("en-US")} SKUs, ${o.replications} replications × ${o.horizon} periods (warm-up ${o.warmUp}), seed ${o.seed}, ${o.shortage === "backorder" ? "backorders" : "lost sales"}, demand from ${o.demand === "history" ? "history" : o.demand}`;
      const choice =
        k < 0
          ? "none chosen yet"
          : k === 0
            ? `chose "${chosen}", the baseline`
            : `chose "${chosen}": total cost ${signed(o.total.change.totalCostPerPeriod[k].mean)} ± ${money(o.total.change.totalCostPerPeriod[k].halfWidth)} a period against "${o.names[0]}"`;
      return { action: "scenarios-compared", field: "scenarios", newValue: o.names.join("; "), reason: `${choice}; ${how}`, modelVersion: modelVersion() };
    }

    /** The Scenarios sheet and its audit entry in one all-or-nothing write. */
    async function writeScenarios(o: ScenarioOutcome, chosen: string | null, task: TaskContext): Promise<AuditRow[]> {
      let rows: AuditRow[] = [];
      let tip: AuditTip | null = null;
      const stamp = ctx.now();
      const mv = modelVersion();
      const report = await ctx.gateway.writeSheets(
        {
          knownAuditTip: ctx.audit.knownTip(),
          prepare: async (found) => {
            tip = found.audit;
            rows = await ctx.audit.seal([auditEvent(o, chosen)], found.audit);
            return { plans: [scenariosPlan(o, chosen, stamp, mv)], auditRows: rows };
          },
        },
        { signal: task.signal, onProgress: task.progress },
      );
      if (report.declined) return [];
      if (tip) await ctx.audit.appended(tip, rows);
      ctx.set({ sheetWritten: true, chosen });
      await ctx.store.emit("auditAppended", rows);
      return rows;
    }

    const actions: ScenariosActions = {
      setScenario(index, patch) {
        const list = ctx.state().scenarios.map((d, k) => (k === index ? { ...d, ...patch } : d));
        update({ scenarios: list });
      },
      addScenario(kind) {
        const list = ctx.state().scenarios;
        if (list.length >= MAX_SCENARIO_COUNT) {
          ctx.store.fail(`At most ${MAX_SCENARIO_COUNT} scenarios can be compared: remove one first.`);
          return;
        }
        const template = defaultScenarios(ctx.peek("classify")?.run?.options ?? ctx.peek("classify")?.options).find((d) => d.kind === kind)!;
        update({ scenarios: [...list, { ...template, name: freshName(kind, list) }] });
      },
      removeScenario(index) {
        update({ scenarios: ctx.state().scenarios.filter((_, k) => k !== index) });
      },
      setSettings(patch) {
        update({ settings: { ...ctx.state().settings, ...patch } });
      },

      async run() {
        await ctx.task(
          "Simulating the scenarios",
          async ({ signal, progress }) => {
            const s = ctx.state();
            const run = ctx.peek("classify")?.run;
            if (!run) throw new Error("Classify first (Classify tab): the scenarios simulate the classified SKUs.");
            if (s.problems.length) throw new Error(s.problems[0]);
            const policy = ctx.peek("policy");
            if (!policy) throw new Error("This pane has no Policy step: the scenarios need its grid.");
            if (policy.gridProblems.length) throw new Error(`Fix the policy grid first (Policy tab): ${policy.gridProblems[0]}.`);
            if (policy.policyOptionProblems.length) throw new Error(`Fix the policy defaults first (Policy tab): ${policy.policyOptionProblems[0]}.`);
            progress({ phase: "Building each scenario's policies", done: 0, total: 1 });
            const overrides = ctx.overrides.all();
            const eff = effectiveSegments(run.parsed, run.result, overrides);
            const job: ScenarioJob = {
              parsed: run.parsed,
              result: run.result,
              classifyOptions: run.options,
              segment: eff.segment,
              overridden: Uint8Array.from(run.parsed.sku, (sku) => (overrides[sku] ? 1 : 0)),
              unplanned: Uint8Array.from(eff.source, (x) => (x === "inactive" ? 1 : 0)),
              todayGrid: settings.get<SegmentPolicy[]>(SETTINGS.policyWritten) ?? defaultPolicyGrid(),
              proposedGrid: policy.grid,
              policyOptions: { ...policy.policyOptions, periodsPerYear: run.options.periodsPerYear },
              scenarios: s.scenarios.map((d) => ({ ...d, name: d.name.trim() })),
              settings: s.settings,
            };
            const outcome = await ctx.runner.run("simulate", job, { signal, onProgress: progress });
            simulated = run;
            await settings.set(SCENARIO_SETTINGS.scenarios, s.scenarios);
            await settings.set(SCENARIO_SETTINGS.simulation, s.settings);
            ctx.set({ outcome, chosen: null, sheetWritten: false });
            const K = outcome.names.length;
            const last = K > 1 ? ` Total cost of "${outcome.names[K - 1]}" against "${outcome.names[0]}": ${signed(outcome.total.change.totalCostPerPeriod[K - 1].mean)} ± ${money(outcome.total.change.totalCostPerPeriod[K - 1].halfWidth)} a period.` : "";
            const left = outcome.excludedCount ? ` ${outcome.excludedCount.toLocaleString("en-US")} SKU(s) left out (listed below).` : "";
            ctx.store.notice(`Simulated ${outcome.skus.toLocaleString("en-US")} SKUs under ${K} scenario${K > 1 ? "s" : ""} on the same demand in ${(outcome.ms / 1000).toFixed(1)} s.${last}${left}`);
          },
          { cancellable: true, cancelledNotice: "Simulation cancelled: nothing changed." },
        );
      },

      async writeSheet() {
        await ctx.task(
          "Writing the Scenarios sheet",
          async (task) => {
            const s = ctx.state();
            if (!s.outcome) throw new Error('Simulate the scenarios first ("Simulate").');
            const rows = await writeScenarios(s.outcome, s.chosen, task);
            if (rows.length) ctx.store.notice(`Wrote the ${SCENARIOS_SHEET} sheet (${s.outcome.names.length} scenarios, tables and charts) and its audit entry.`);
          },
          { cancellable: true, cancelledNotice: "Write cancelled: the workbook is as it was before." },
        );
      },

      async useScenario(index) {
        await ctx.task(
          "Using the scenario",
          async (task) => {
            const s = ctx.state();
            const o = s.outcome;
            if (!o) throw new Error('Simulate the scenarios first ("Simulate").');
            const name = o.names[index];
            const grid = o.grids[index];
            if (name === undefined || !grid) throw new Error(`There is no scenario ${index + 1} in the last simulation.`);
            const bad = gridProblems(grid);
            if (bad.length) throw new Error(`Scenario "${name}" has a grid the Policy step cannot use: ${bad[0]}.`);
            const rows = await writeScenarios(o, name, task);
            if (!rows.length) return;
            await ctx.store.emit("policyGridProposed", { grid, source: name });
            const def = s.scenarios.find((d) => d.name.trim() === name);
            const kind = o.kinds[index];
            const extra =
              kind === "cutoff" && def
                ? ` Its cut-offs are a Classify option: set A up to ${pct(def.abcCutoffs[0])}, B up to ${pct(def.abcCutoffs[1])}, X up to ${def.xyzCutoffs[0]} and Y up to ${def.xyzCutoffs[1]} in the Classify tab and classify again to use them.`
                : kind === "budget"
                  ? " The budget placed safety stock SKU by SKU; the grid carries, per segment, the fill rate it reached (method Fill)."
                  : "";
            ctx.store.notice(`Chose "${name}": its grid is in the Policy tab now and goes to the Policy sheet at the next Write (its changes are audited then). The ${SCENARIOS_SHEET} sheet and the audit trail record the choice.${extra}`);
          },
          { cancellable: true, cancelledNotice: "Nothing was changed." },
        );
      },
    };

    ctx.store.on("classified", () => {
      simulated = null;
      ctx.set({ outcome: null, chosen: null, sheetWritten: false });
    });

    return { initial, actions };
  },
});
