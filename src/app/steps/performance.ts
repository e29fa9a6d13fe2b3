/**
 * The Performance step ("does the policy work?"): the planner selects a range of actuals (one row
 * per SKU and period: on hand at period end and/or a stockout flag, sales, backorders), maps its
 * columns (remembered per workbook), and checks the realised cycle service level, fill rate,
 * stockout frequency and inventory turns per segment against the Policy grid's targets, in the
 * worker (src/app/jobs/performance.ts). Once checked, every Write adds the Policy performance
 * sheet (src/app/performanceSheet.ts) with native charts and the SKUs furthest below target.
 * SKUs take the segment they are planned with (overrides included); SKUs of the actuals that are
 * not in the classification are left out and counted.
 */
import { targetsFromGrid, type PerformanceResult } from "../../engine/policy/performance";
import { actualsMappingProblems, parseActuals, proposeActualsMapping, type ActualsField, type ActualsMapping, type ActualsRejection } from "../actuals";
import { mappingKey, headersOf } from "../mapping";
import { performancePlan } from "../performanceSheet";
import { effectiveSegments } from "../plans";
import type { RangeSnapshot } from "../ports";
import { PERFORMANCE_SHEET, SETTINGS } from "../sheets";
import { defineStep } from "../step";

export interface PerformanceSummary {
  source: string;
  skus: number;
  periods: number;
  rowsUsed: number;
  unclassified: number;
  result: PerformanceResult;
}

export interface PerformanceState {
  /** The actuals range read ("Actuals!A1:F5201"), its headers and the mapping. */
  source: { address: string; rows: number; columns: number; firstColumn: number } | null;
  headers: string[];
  mapping: ActualsMapping | null;
  mappingProblems: string[];
  rejected: ActualsRejection[];
  rejectedCount: number;
  summary: PerformanceSummary | null;
}

export interface PerformanceActions {
  readSource(kind: "selection" | "region"): Promise<void>;
  setMappingField(field: ActualsField, column: number | null): void;
  /** Parses the actuals and measures them against the grid's targets. */
  check(): Promise<void>;
}

declare module "../store" {
  interface StepStates {
    performance: PerformanceState;
  }
  interface StepActions {
    performance: PerformanceActions;
  }
}

export const performanceStep = defineStep({
  key: "performance",
  create(ctx) {
    const settings = ctx.gateway.settings;
    let snapshot: RangeSnapshot | null = null;
    const initial: PerformanceState = { source: null, headers: [], mapping: null, mappingProblems: [], rejected: [], rejectedCount: 0, summary: null };

    const remembered = (snap: RangeSnapshot, headerRow: number) => settings.get<Record<string, ActualsMapping>>(SETTINGS.actualsMappings)?.[mappingKey(snap.sheetName, headersOf(snap, headerRow))];

    const actions: PerformanceActions = {
      async readSource(kind) {
        await ctx.task(kind === "selection" ? "Reading the actuals" : "Reading the actuals around the selection", async ({ progress }) => {
          const read = { onProgress: progress };
          const snap = kind === "selection" ? await ctx.gateway.readSelection(read) : await ctx.gateway.readCurrentRegion(read);
          if (snap.values.length < 2) throw new Error(`${snap.address} has ${snap.values.length} row(s): select the header row and the rows of actuals.`);
          snapshot = snap;
          const proposed = proposeActualsMapping(snap);
          const saved = remembered(snap, proposed.headerRow);
          const mapping = saved && actualsMappingProblems(saved, snap.values[0]?.length ?? 0).length === 0 ? saved : proposed;
          const headers = headersOf(snap, mapping.headerRow);
          ctx.set({
            source: { address: snap.address, rows: snap.values.length, columns: snap.values[0]?.length ?? 0, firstColumn: snap.firstColumn },
            headers,
            mapping,
            mappingProblems: actualsMappingProblems(mapping, headers.length),
            summary: null,
            rejected: [],
            rejectedCount: 0,
          });
          ctx.store.notice(`Read ${snap.address} (${(snap.values.length - 1).toLocaleString()} rows of actuals). Check the columns, then "Check the policy".`);
        });
      },
      setMappingField(field, column) {
        const m = ctx.state().mapping;
        if (!m) return;
        const next = { ...m, columns: { ...m.columns, [field]: column } };
        ctx.set({ mapping: next, mappingProblems: actualsMappingProblems(next, ctx.state().headers.length), summary: null });
      },
      async check() {
        await ctx.task(
          "Checking the policy against the actuals",
          async ({ signal, progress }) => {
            const s = ctx.state();
            const run = ctx.peek("classify")?.run;
            if (!run) throw new Error("Classify first (Classify tab): the segments and their targets come from it.");
            if (!snapshot || !s.mapping) throw new Error('Read the actuals first: select them and click "Read actuals".');
            if (s.mappingProblems.length) throw new Error(s.mappingProblems[0]);
            const grid = ctx.peek("policy")?.grid ?? [];
            progress({ phase: "Reading the actuals", done: 0, total: 1 });
            const a = parseActuals(snapshot, s.mapping);
            if (a.skus.length === 0) throw new Error(a.rejected[0] ? `No usable rows of actuals: every row was rejected (first: ${a.rejected[0].message}).` : "No rows of actuals below the header row.");
            const eff = effectiveSegments(run.parsed, run.result, ctx.overrides.all());
            const index = new Map<string, number>();
            run.parsed.sku.forEach((sku, i) => index.set(sku, i));
            let unclassified = 0;
            const segment = a.skus.map((sku) => {
              const i = index.get(sku);
              if (i === undefined) unclassified++;
              return i === undefined ? "" : eff.segment[i];
            });
            const unitCost = Float64Array.from(a.skus, (sku) => {
              const i = index.get(sku);
              if (i === undefined) return Number.NaN;
              const c = run.parsed.unitCost[i];
              const m = run.result.demandMean[i];
              return c === c ? c : m > 0 ? run.parsed.value[i] / (m * run.options.periodsPerYear) : Number.NaN;
            });
            const result = await ctx.runner.run(
              "performance",
              {
                rows: a.skus.length,
                periods: a.periods,
                sku: a.skus,
                segment,
                onHand: a.onHand,
                stockout: a.stockout,
                sales: a.sales,
                backorders: a.backorders,
                unitCost,
                targets: [...targetsFromGrid(grid)],
                periodsPerYear: run.options.periodsPerYear,
                top: 20,
              },
              { signal, onProgress: progress },
            );
            const all = settings.get<Record<string, ActualsMapping>>(SETTINGS.actualsMappings) ?? {};
            all[mappingKey(snapshot.sheetName, s.headers)] = s.mapping;
            await settings.set(SETTINGS.actualsMappings, all);
            ctx.set({
              summary: { source: snapshot.address, skus: a.skus.length, periods: a.periods, rowsUsed: a.rowsUsed, unclassified, result },
              rejected: a.rejected,
              rejectedCount: a.rejectedCount,
            });
            const below = result.segments.filter((x) => x.fillRateGap < 0 || x.cycleServiceLevelGap < 0).map((x) => x.segment);
            ctx.store.notice(
              `Checked ${a.skus.length.toLocaleString()} SKUs over ${a.periods} periods${a.rejectedCount ? `; ${a.rejectedCount.toLocaleString()} rows rejected (listed)` : ""}. ${below.length ? `Below target: ${below.join(", ")}.` : "Every segment meets its targets."} The next Write adds the ${PERFORMANCE_SHEET} sheet.`,
            );
          },
          { cancellable: true, cancelledNotice: "Check cancelled: nothing changed." },
        );
      },
    };

    ctx.store.on("classified", () => ctx.set({ summary: null }));

    ctx.contribute({
      key: "performance",
      // named in the rerun warning only when this Write replaces it
      get sheets() {
        return ctx.state().summary ? [PERFORMANCE_SHEET] : [];
      },
      contribute: (inputs) => {
        const s = ctx.state().summary;
        if (!s) return { plans: [] };
        return {
          plans: [performancePlan(s.result, { source: s.source, skus: s.skus, periods: s.periods, unclassified: s.unclassified, rejected: ctx.state().rejectedCount, modelVersion: inputs.modelVersion })],
          summary: [`${PERFORMANCE_SHEET}: ${s.skus.toLocaleString()} SKUs over ${s.periods} periods against the targets.`],
        };
      },
    });

    return { initial, actions };
  },
});

