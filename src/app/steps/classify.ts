/**
 * The Classify step: read the SKU table, propose and remember the column mapping, set the options,
 * run the classification job off the UI thread, and preview the result. It also contributes the
 * Segments sheet to every Write.
 */
import { decisionNotes } from "../decisionRecord";
import { classifyOptionProblems, defaultClassifyOptions, type ClassifyOptions, type RunInput } from "../classifyTypes";
import { detectHeaderRow, emptyMapping, headersOf, mappingKey, mappingProblems, proposeMapping, type ColumnMapping, type MappingField } from "../mapping";
import { parseRows } from "../parse";
import { inferPeriodsPerYear, type PeriodInference } from "../periodHeaders";
import { segmentsPlan } from "../plans";
import type { RangeSnapshot } from "../ports";
import { buildPreview, type Preview } from "../preview";
import { SEGMENTS_SHEET, SETTINGS } from "../sheets";
import { defineStep } from "../step";
import { importedSourceState, importedRun, sourceFacts, type ImportedSource } from "./classifyImport";
import { churnStage, initialChurnState, type ChurnPaneState } from "../churnStage";
import type { ChurnSettings } from "../churnControl";

export interface SourceInfo {
  sheetName: string;
  address: string;
  /** 0-based sheet row and column of the range's top-left cell. */
  firstRow: number;
  firstColumn: number;
  rows: number;
  columns: number;
}

export interface ClassifyState {
  source: SourceInfo | null;
  headers: string[];
  /** The first rows of the source (up to 30), a few cells each, to pick the header row from. */
  rowPreviews: string[];
  /** Header row detected automatically (null: none found, the user must pick). */
  detectedHeaderRow: number | null;
  mapping: ColumnMapping | null;
  mappingProblems: string[];
  /** The mapping came from this workbook's memory for this sheet and header row. */
  mappingRemembered: boolean;
  options: ClassifyOptions;
  optionProblems: string[];
  /** Periods per year read from the history headers; null when they carry no calendar. */
  periodsInferred: PeriodInference | null;
  /** The planner typed periods per year: inference no longer changes it. */
  periodsSetByHand: boolean;
  preview: Preview | null;
  /** The classification the Write uses (null until Classify has run on the current read). */
  run: RunInput | null;
  /** The source is an imported extract (import step), not a sheet range; null for a sheet range. */
  imported?: ImportedSource | null;
  /** Rolling window, churn control, promotions, reclassification due (src/app/churnStage.ts). */
  churn: ChurnPaneState;
}

export interface ClassifyActions {
  /** Reads the selected range ("selection") or the region around it ("region") and proposes a mapping. */
  readSource(kind: "selection" | "region"): Promise<void>;
  setHeaderRow(row: number): void;
  setMappingField(field: MappingField, column: number | null): void;
  setHistory(first: number | null, last: number | null): void;
  /** The block of promotion flag columns ("Promo W01" …; null = none). */
  setPromotionFlags(first: number | null, last: number | null): void;
  setOptions(patch: Partial<ClassifyOptions>): void;
  /** Parses the rows, runs the engine off the UI thread and builds the preview. */
  classify(): Promise<void>;
  /** Changes the churn-control, window, cadence or promotion settings. */
  setChurn(patch: Partial<ChurnSettings>): void;
}

declare module "../store" {
  interface StepStates {
    classify: ClassifyState;
  }
  interface StepActions {
    classify: ClassifyActions;
  }
}

function cellText(c: unknown): string {
  return c === null || c === undefined ? "" : String(c);
}

export const classifyStep = defineStep({
  key: "classify",
  create(ctx) {
    const settings = ctx.gateway.settings;
    let snapshot: RangeSnapshot | null = null;
    const options: ClassifyOptions = { ...defaultClassifyOptions(), ...(settings.get<ClassifyOptions>(SETTINGS.options) ?? {}) };
    const dynamic = churnStage(ctx, () => snapshot);

    const initial: ClassifyState = {
      source: null,
      headers: [],
      rowPreviews: [],
      detectedHeaderRow: null,
      mapping: null,
      mappingProblems: [],
      mappingRemembered: false,
      options,
      optionProblems: classifyOptionProblems(options),
      periodsInferred: null,
      periodsSetByHand: false,
      preview: null,
      run: null,
      churn: initialChurnState(settings, options),
    };

    /** Re-reads the calendar from the history headers and, unless typed by hand, adopts it. */
    function inferPeriods(mapping: ColumnMapping | null): Partial<ClassifyState> {
      if (!snapshot || !mapping?.history) return { periodsInferred: null };
      const cells = (snapshot.values[mapping.headerRow] ?? []).slice(mapping.history.first, mapping.history.last + 1);
      const inferred = inferPeriodsPerYear(cells);
      const s = ctx.state();
      if (!inferred || s.periodsSetByHand || inferred.periodsPerYear === s.options.periodsPerYear) return { periodsInferred: inferred };
      const next = { ...s.options, periodsPerYear: inferred.periodsPerYear };
      return { periodsInferred: inferred, options: next, optionProblems: classifyOptionProblems(next) };
    }

    function applyHeaderRow(headerRow: number, detected: number | null): void {
      const snap = snapshot!;
      const headers = headersOf(snap, headerRow);
      const saved = settings.get<Record<string, ColumnMapping>>(SETTINGS.mappings)?.[mappingKey(snap.sheetName, headers)];
      // a mapping saved before fields were added has no entry for them: not mapped
      const remembered = saved ? { ...saved, columns: { ...emptyMapping(headerRow).columns, ...saved.columns } } : undefined;
      let mapping = proposeMapping(snap, headerRow);
      let fromMemory = false;
      if (remembered && remembered.headerRow === headerRow && mappingProblems(remembered, headers.length).length === 0) {
        mapping = remembered;
        fromMemory = true;
      }
      ctx.set({ headers, detectedHeaderRow: detected, mapping, mappingRemembered: fromMemory, mappingProblems: mappingProblems(mapping, headers.length), preview: null, run: null });
      ctx.set(inferPeriods(mapping));
    }

    function changeMapping(mapping: ColumnMapping): void {
      ctx.set({ mapping, mappingRemembered: false, mappingProblems: mappingProblems(mapping, ctx.state().headers.length), preview: null, run: null });
      ctx.set(inferPeriods(mapping));
    }

    const actions: ClassifyActions = {
      async readSource(kind) {
        await ctx.task(kind === "selection" ? "Reading the selection" : "Reading the current region", async ({ progress }) => {
          const read = { onProgress: progress };
          const snap = kind === "selection" ? await ctx.gateway.readSelection(read) : await ctx.gateway.readCurrentRegion(read);
          if (snap.values.length < 2) throw new Error(`${snap.address} has ${snap.values.length} row(s): select the header row and at least one SKU row (or click "Use current region").`);
          snapshot = snap;
          const detected = detectHeaderRow(snap.values);
          const source: SourceInfo = { sheetName: snap.sheetName, address: snap.address, firstRow: snap.firstRow, firstColumn: snap.firstColumn, rows: snap.values.length, columns: snap.values[0]?.length ?? 0 };
          const rowPreviews = snap.values.slice(0, Math.min(30, snap.values.length - 1)).map((row) => row.slice(0, 4).map(cellText).join(" | "));
          ctx.set({ source, rowPreviews, periodsSetByHand: false, imported: null });
          applyHeaderRow(detected ?? 0, detected);
          dynamic.checkDue();
          const rows = (snap.values.length - 1).toLocaleString();
          ctx.store.notice(
            detected === null
              ? `Read ${snap.address} (${rows} rows). No header row was recognised: choose it below.`
              : `Read ${snap.address} (${rows} rows); headers found in row ${snap.firstRow + detected + 1}.`,
          );
        });
      },

      setHeaderRow(row) {
        if (!snapshot) return;
        if (!(Number.isInteger(row) && row >= 0 && row < snapshot.values.length - 1)) {
          ctx.store.fail(`The header row must be one of rows ${snapshot.firstRow + 1} to ${snapshot.firstRow + snapshot.values.length - 1} of the sheet.`);
          return;
        }
        applyHeaderRow(row, ctx.state().detectedHeaderRow);
      },

      setMappingField(field, column) {
        const m = ctx.state().mapping;
        if (m) changeMapping({ ...m, columns: { ...m.columns, [field]: column } });
      },

      setHistory(first, last) {
        const m = ctx.state().mapping;
        if (m) changeMapping({ ...m, history: first === null || last === null ? null : { first, last } });
      },

      setPromotionFlags(first, last) {
        const m = ctx.state().mapping;
        if (m) changeMapping({ ...m, promotionFlags: first === null || last === null ? null : { first, last } });
      },

      setOptions(patch) {
        const next = { ...ctx.state().options, ...patch };
        ctx.set({
          options: next,
          optionProblems: classifyOptionProblems(next),
          preview: null,
          run: null,
          ...(patch.periodsPerYear !== undefined ? { periodsSetByHand: true } : {}),
        });
        dynamic.optionsChanged();
      },

      setChurn: (patch) => dynamic.setSettings(patch),

      async classify() {
        await ctx.task(
          "Classifying",
          async ({ signal, progress }) => {
            const s = ctx.state();
            if (s.imported) {
              // an imported extract: the histories come from the import step (classifyImport.ts)
              const done = await importedRun(ctx, s, { signal, progress }, dynamic);
              if (done) ctx.set({ preview: buildPreview(done.parsed, done.result, ctx.overrides.all(), s.options), run: done });
              if (done) await ctx.store.emit("classified");
              return;
            }
            const snap = snapshot;
            const mapping = s.mapping;
            if (!snap || !mapping) throw new Error('Read the SKU table first: select it and click "Read selection" (or "Use current region").');
            if (s.mappingProblems.length) throw new Error(s.mappingProblems[0]);
            if (s.optionProblems.length) throw new Error(s.optionProblems[0]);
            const options = s.options;
            progress({ phase: "Checking the rows", done: 0, total: 1 });
            const plan = dynamic.planRun(snap, s.mapping!, s.options);
            const parsed = parseRows(snap, plan.mapping, { periodsPerYear: plan.options.periodsPerYear, demandWindow: plan.options.demandWindow });
            if (parsed.n === 0) {
              const first = parsed.rejected[0];
              throw new Error(first ? `No usable SKU rows: every row was rejected (first: ${first.message}).` : "No SKU rows below the header row: select a larger range.");
            }
            const exclude = await dynamic.promotions(parsed, plan);
            const computed = await ctx.runner.run("classify", { parsed, options: plan.options, exclude }, { signal, onProgress: progress });
            const result = await dynamic.control(parsed, computed, plan);
            const run: RunInput = { sourceAddress: snap.address, mapping, options: plan.options, parsed, result, modelParameters: dynamic.parameters(), ruleDecisions: dynamic.ruleDecisions(result), facts: sourceFacts(ctx, parsed, result, s.run).facts };
            // remember the mapping and options for this workbook
            const all = settings.get<Record<string, ColumnMapping>>(SETTINGS.mappings) ?? {};
            all[mappingKey(snap.sheetName, s.headers)] = mapping;
            await settings.set(SETTINGS.mappings, all);
            await settings.set(SETTINGS.options, options);
            const preview = buildPreview(parsed, result, ctx.overrides.all(), options);
            ctx.set({ preview, run, mappingRemembered: true });
            await ctx.store.emit("classified");
            const n = (x: number) => x.toLocaleString();
            ctx.store.notice(
              `Classified ${n(parsed.n)} SKUs${preview.inactive ? ` (${n(preview.inactive)} inactive)` : ""}${parsed.rejected.length ? `; ${n(parsed.rejected.length)} rows rejected (listed below)` : ""}. Check the preview, then write from the Write tab.`,
            );
          },
          { cancellable: true, cancelledNotice: "Classification cancelled: nothing changed." },
        );
      },
    };

    ctx.store.on("imported", () => {
      const patch = importedSourceState(ctx);
      if (!patch) return;
      snapshot = null;
      ctx.set(patch);
    });

    ctx.store.on("overridesChanged", () => {
      const s = ctx.state();
      if (s.run && s.preview) ctx.set({ preview: buildPreview(s.run.parsed, s.run.result, ctx.overrides.all(), s.run.options) });
    });

    ctx.contribute({
      key: "classify",
      sheets: [SEGMENTS_SHEET],
      parameters: () => {
        const run = ctx.state().run;
        return run ? { source: run.sourceAddress, mapping: run.mapping, options: run.options, skus: run.parsed.n, ...run.modelParameters } : {};
      },
      contribute: (inputs) => {
        // The decision record (dimensions step, when in this pane) goes into the Segments notes.
        const d = ctx.peek("dimensions");
        const plan = segmentsPlan(inputs.run, inputs.overrides, inputs.modelVersion, d ? decisionNotes(d.rationale, d.rationaleCheck) : []);
        return { plans: [dynamic.extendPlan(plan, inputs.run)] };
      },
    });

    return { initial, actions };
  },
});
