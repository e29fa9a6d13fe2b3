/**
 * Criterion and dimension (shown in the Classify tab): the planner chooses what one row of the
 * segmentation is (product, customer, channel, SKU × customer, SKU × channel) and what it is ranked
 * by (value, margin, units, order lines, a weighted score, two-axis ABC, carbon); the pane says
 * what each choice needs and whether it is mapped. Anything beyond product by value reads an
 * order-lines range (selected like the SKU table, with its own remembered column mapping) and runs
 * the dimensions job in the worker, with progress and Cancel. It also keeps the decision record
 * (the rationale, required when boundaries or the dimension change) and contributes the
 * Dimensions sheet and the decision-recorded audit entry to every Write.
 * Product by value without order lines is the existing Classify path, untouched.
 */
import type { DecisionRecord, RationaleCheck } from "../../engine/decisionRecord";
import type { AuditEvent } from "../auditService";
import { decisionNotes, modelParameters, rationaleCheck } from "../decisionRecord";
import { DIMENSION_SETTINGS, DIMENSIONS_SHEET } from "../dimensionSheets";
import {
  dataNeeds,
  defaultDimensionSettings,
  dimensionSettingsProblems,
  isDefaultPath,
  weightNotes,
  type AxisCriterion,
  type DataNeed,
  type DimensionRunResult,
  type DimensionSettings,
  type SettingsProblem,
} from "../dimensionTypes";
import { headersOf, mappingKey, detectHeaderRow } from "../mapping";
import { extractOrderLineColumns, mappedOrderLineFields, orderLineMappingProblems, proposeOrderLineMapping, type OrderLineColumn, type OrderLineMapping } from "../orderLines";
import { effectiveSegments } from "../plans";
import type { RangeSnapshot } from "../ports";
import { defineStep } from "../step";
import type { SourceInfo } from "./classify";

export interface DimensionsState {
  settings: DimensionSettings;
  settingsProblems: SettingsProblem[];
  /** "weights sum to 4, not 1: each was divided by 4 (…)" for a weighted score. */
  weightNotes: string[];
  /** The data the choice needs, mapped or not, and the trade-off in words. */
  needs: DataNeed[];
  missing: string[];
  tradeoff: string;
  complexity: string;
  /** The order-lines range read (null until read). */
  source: SourceInfo | null;
  headers: string[];
  rowPreviews: string[];
  mapping: OrderLineMapping | null;
  mappingProblems: string[];
  mappingRemembered: boolean;
  /** The segmentation of the order lines the Write uses (null until run on the current read and choices). */
  run: DimensionRunResult | null;
  /** Where the run's lines came from. */
  runSource: string | null;
  rationale: string;
  rationaleCheck: RationaleCheck;
  /** The decision record of the last Write. */
  lastRecord: DecisionRecord | null;
}

export interface DimensionsActions {
  setSettings(patch: Partial<DimensionSettings>): void;
  setWeight(criterion: AxisCriterion, weight: number): void;
  setFactor(mode: string, factor: number): void;
  removeFactor(mode: string): void;
  resetFactors(): void;
  readOrderLines(kind: "selection" | "region"): Promise<void>;
  setHeaderRow(row: number): void;
  setMappingField(field: OrderLineColumn, column: number | null): void;
  /** Runs the dimensions job on the order lines (worker, cancellable). */
  run(): Promise<void>;
  setRationale(text: string): void;
}

declare module "../store" {
  interface StepStates {
    dimensions: DimensionsState;
  }
  interface StepActions {
    dimensions: DimensionsActions;
  }
  interface PaneEvents {
    /** A segmentation of the order lines is in (dimensions step). */
    dimensionsRun: void;
  }
}

function cellText(c: unknown): string {
  return c === null || c === undefined ? "" : String(c);
}

export const dimensionsStep = defineStep({
  key: "dimensions",
  create(ctx) {
    const settingsStore = ctx.gateway.settings;
    let snapshot: RangeSnapshot | null = null;
    const saved = settingsStore.get<Partial<DimensionSettings>>(DIMENSION_SETTINGS.dimensionSettings) ?? {};
    const settings: DimensionSettings = { ...defaultDimensionSettings(), ...saved };
    const lastRecord = settingsStore.get<DecisionRecord>(DIMENSION_SETTINGS.decisionRecord) ?? null;

    const derived = (s: DimensionSettings, mapping: OrderLineMapping | null, columns: number) => {
      const fields = mapping ? mappedOrderLineFields(mapping) : [];
      const needs = dataNeeds(s, fields);
      return {
        settingsProblems: dimensionSettingsProblems(s),
        weightNotes: weightNotes(s),
        needs: needs.needs,
        missing: mapping || !isDefaultPath(s) ? needs.missing : [],
        tradeoff: needs.tradeoff,
        complexity: needs.complexity,
        mappingProblems: mapping ? orderLineMappingProblems(mapping, columns, s.dimension) : [],
      };
    };

    /** The decision check for what a Write would put on the sheets now. */
    const currentCheck = (rationale: string, run: DimensionRunResult | null, s: DimensionSettings): RationaleCheck => {
      const classify = ctx.peek("classify");
      const options = classify?.run?.options ?? classify?.options ?? { abcCutoffs: [0.8, 0.95], xyzCutoffs: [0.5, 1.0] };
      return rationaleCheck(ctx.state()?.lastRecord ?? lastRecord, modelParameters(options, run ? s : null), rationale);
    };

    const initial: DimensionsState = {
      settings,
      ...derived(settings, null, 0),
      source: null,
      headers: [],
      rowPreviews: [],
      mapping: null,
      mappingRemembered: false,
      run: null,
      runSource: null,
      rationale: "",
      rationaleCheck: rationaleCheck(lastRecord, modelParameters({ abcCutoffs: [0.8, 0.95], xyzCutoffs: [0.5, 1.0] }, null), ""),
      lastRecord,
    };

    const refreshCheck = () => {
      const s = ctx.state();
      const check = currentCheck(s.rationale, s.run, s.settings);
      if (JSON.stringify(check) !== JSON.stringify(s.rationaleCheck)) ctx.set({ rationaleCheck: check });
    };
    // The check follows the Classify options and run (another step's state, read only).
    let lastClassify: unknown = undefined;
    ctx.store.subscribe(() => {
      const c = ctx.peek("classify");
      const key = c ? [c.options, c.run] : null;
      if (JSON.stringify(key?.[0]) === JSON.stringify((lastClassify as unknown[] | null)?.[0]) && key?.[1] === (lastClassify as unknown[] | null)?.[1]) return;
      lastClassify = key;
      refreshCheck();
    });

    function changeSettings(next: DimensionSettings): void {
      const s = ctx.state();
      ctx.set({ settings: next, ...derived(next, s.mapping, s.headers.length), run: null, runSource: null });
      refreshCheck();
      void settingsStore.set(DIMENSION_SETTINGS.dimensionSettings, next);
    }

    function applyHeaderRow(headerRow: number): void {
      const snap = snapshot!;
      const headers = headersOf(snap, headerRow);
      const remembered = settingsStore.get<Record<string, OrderLineMapping>>(DIMENSION_SETTINGS.orderLineMappings)?.[mappingKey(snap.sheetName, headers)];
      let mapping = proposeOrderLineMapping(snap, headerRow);
      let fromMemory = false;
      if (remembered && remembered.headerRow === headerRow && orderLineMappingProblems(remembered, headers.length, ctx.state().settings.dimension).every((p) => !/outside|same column/.test(p))) {
        mapping = { headerRow, columns: { ...mapping.columns, ...remembered.columns } };
        fromMemory = true;
      }
      ctx.set({ headers, mapping, mappingRemembered: fromMemory, ...derived(ctx.state().settings, mapping, headers.length), run: null, runSource: null });
    }

    const actions: DimensionsActions = {
      setSettings(patch) {
        changeSettings({ ...ctx.state().settings, ...patch });
      },
      setWeight(criterion, weight) {
        const s = ctx.state().settings;
        changeSettings({ ...s, weights: { ...s.weights, [criterion]: weight } });
      },
      setFactor(mode, factor) {
        const key = mode.trim().toLowerCase();
        if (!key) return;
        const s = ctx.state().settings;
        changeSettings({ ...s, factors: { ...s.factors, [key]: factor } });
      },
      removeFactor(mode) {
        const s = ctx.state().settings;
        const factors = { ...s.factors };
        delete factors[mode];
        changeSettings({ ...s, factors });
      },
      resetFactors() {
        changeSettings({ ...ctx.state().settings, factors: defaultDimensionSettings().factors });
      },

      async readOrderLines(kind) {
        await ctx.task(kind === "selection" ? "Reading the order lines" : "Reading the order lines (current region)", async ({ progress }) => {
          const read = { onProgress: progress };
          const snap = kind === "selection" ? await ctx.gateway.readSelection(read) : await ctx.gateway.readCurrentRegion(read);
          if (snap.values.length < 2) throw new Error(`${snap.address} has ${snap.values.length} row(s): select the header row and at least one order line.`);
          snapshot = snap;
          const detected = detectHeaderRow(snap.values);
          const source: SourceInfo = { sheetName: snap.sheetName, address: snap.address, firstRow: snap.firstRow, firstColumn: snap.firstColumn, rows: snap.values.length, columns: snap.values[0]?.length ?? 0 };
          const rowPreviews = snap.values.slice(0, Math.min(30, snap.values.length - 1)).map((row) => row.slice(0, 4).map(cellText).join(" | "));
          ctx.set({ source, rowPreviews });
          applyHeaderRow(detected ?? 0);
          ctx.store.notice(`Read the order lines ${snap.address} (${(snap.values.length - 1).toLocaleString()} rows).${detected === null ? " No header row was recognised: choose it below." : ""}`);
        });
      },

      setHeaderRow(row) {
        if (!snapshot) return;
        if (!(Number.isInteger(row) && row >= 0 && row < snapshot.values.length - 1)) {
          ctx.store.fail(`The header row must be one of rows ${snapshot.firstRow + 1} to ${snapshot.firstRow + snapshot.values.length - 1} of the sheet.`);
          return;
        }
        applyHeaderRow(row);
      },

      setMappingField(field, column) {
        const s = ctx.state();
        if (!s.mapping) return;
        const mapping = { ...s.mapping, columns: { ...s.mapping.columns, [field]: column } };
        ctx.set({ mapping, mappingRemembered: false, ...derived(s.settings, mapping, s.headers.length), run: null, runSource: null });
      },

      async run() {
        await ctx.task(
          "Segmenting the order lines",
          async ({ signal, progress }) => {
            const s = ctx.state();
            const snap = snapshot;
            if (!snap || !s.mapping) throw new Error('Read the order lines first: select them and click "Read order lines".');
            if (s.settingsProblems.length) throw new Error(s.settingsProblems[0].message);
            if (s.mappingProblems.length) throw new Error(s.mappingProblems[0]);
            if (s.missing.length) throw new Error(s.missing[0]);
            progress({ phase: "Reading the order lines", done: 0, total: 1 });
            const lines = extractOrderLineColumns(snap, s.mapping);
            if (lines.rows === 0) throw new Error("No order lines below the header row: select a larger range.");
            const classify = ctx.peek("classify");
            const productRun = classify?.run ?? null;
            const product = productRun ? { sku: productRun.parsed.sku, segment: effectiveSegments(productRun.parsed, productRun.result, ctx.overrides.all()).segment } : null;
            const abcCutoffs = productRun?.options.abcCutoffs ?? classify?.options.abcCutoffs ?? [0.8, 0.95];
            const run = await ctx.runner.run("dimensions", { lines, settings: s.settings, abcCutoffs, product }, { signal, onProgress: progress });
            const all = settingsStore.get<Record<string, OrderLineMapping>>(DIMENSION_SETTINGS.orderLineMappings) ?? {};
            all[mappingKey(snap.sheetName, s.headers)] = s.mapping;
            await settingsStore.set(DIMENSION_SETTINGS.orderLineMappings, all);
            ctx.set({ run, runSource: snap.address, mappingRemembered: true });
            refreshCheck();
            await ctx.store.emit("dimensionsRun");
            const n = (x: number) => x.toLocaleString();
            ctx.store.notice(
              `Segmented ${n(run.keys)} ${run.dimension === "product" ? "SKUs" : run.dimension === "customer" ? "customers" : run.dimension === "channel" ? "channels" : "pairs"} from ${n(run.linesAccepted)} order lines${run.rejectedCount ? `; ${n(run.rejectedCount)} lines rejected (listed below)` : ""}.`,
            );
          },
          { cancellable: true, cancelledNotice: "Segmentation of the order lines cancelled: nothing changed." },
        );
      },

      setRationale(text) {
        const s = ctx.state();
        ctx.set({ rationale: text, rationaleCheck: currentCheck(text, s.run, s.settings) });
      },
    };

    ctx.contribute({
      key: "dimensions",
      get sheets() {
        return ctx.state().run ? [DIMENSIONS_SHEET] : [];
      },
      blockers: () => {
        const s = ctx.state();
        const check = currentCheck(s.rationale, s.run, s.settings);
        return check.ok ? [] : [`Write the decision record first (Classify tab, "Decision record"): ${check.message}.`];
      },
      parameters: () => {
        const s = ctx.state();
        if (!s.run) return {};
        const p = s.settings;
        return {
          dimension: { dimension: p.dimension, criterion: p.criterion, ...(p.criterion === "score" ? { weights: p.weights, normalisation: p.normalisation } : {}), ...(p.criterion === "twoAxis" ? { axes: p.axes, secondCutoffs: p.secondCutoffs } : {}), carbonCutoffs: p.carbonCutoffs, factors: p.factors, rates: p.rates, threshold: p.threshold, orderLines: s.runSource, lines: s.run.linesAccepted },
        };
      },
      contribute: async (inputs) => {
        const s = ctx.state();
        const check = currentCheck(s.rationale, s.run, s.settings);
        const notes = decisionNotes(s.rationale, check);
        // The sheet plans load with the first Write that has a run (the pane's first bundle stays small).
        const plans = s.run ? [(await import("../dimensionPlans")).dimensionsPlan(s.run, s.settings, s.runSource ?? "", inputs.modelVersion, notes)] : [];
        const events: AuditEvent[] = [];
        const rationale = s.rationale.trim();
        const record: DecisionRecord = { rationale, at: inputs.stamp.toISOString(), modelVersion: inputs.modelVersion, parameters: modelParameters(inputs.run.options, s.run ? s.settings : null) };
        // Recorded when given for a change, or when it was rewritten since the last Write.
        if (rationale && (check.required || rationale !== (s.lastRecord?.rationale ?? ""))) {
          events.push({
            action: "decision-recorded",
            field: "rationale",
            oldValue: s.lastRecord?.rationale ?? "",
            newValue: rationale,
            reason: check.changes.length ? `boundaries and dimension changed: ${check.changes.join("; ")}` : "boundaries and dimension unchanged",
            modelVersion: inputs.modelVersion,
          });
        }
        return {
          plans,
          events,
          summary: events.length ? [`Decision record kept in the audit trail${check.changes.length ? ` for: ${check.changes.join("; ")}` : ""}.`] : [],
          commit: async () => {
            // The parameters written become the reference for the next change; the rationale stays for editing.
            await settingsStore.set(DIMENSION_SETTINGS.decisionRecord, record);
            ctx.set({ lastRecord: record });
            refreshCheck();
          },
        };
      },
    });

    return { initial, actions };
  },
});
