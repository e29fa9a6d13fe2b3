/**
 * The Versions step (change control): the run history (every Write is a model version: who, when,
 * parameters, SKU counts, value per segment and its change from the run before), the diff of two
 * versions (src/engine/versions.ts: migration matrix counts and value, churn, movers with their
 * reason) and the rollback of the Segments and Policy sheets to an earlier version from the
 * compact store kept in the workbook (src/app/versionSnapshots.ts over src/engine/versionStore.ts),
 * with a required reason, audited as "version-rolled-back".
 *
 * The store is filled by a SheetContributor: each Write reads the Segments, SKU policy and grid
 * tables just before it replaces them and stores them (unless that version is stored already) on
 * the very hidden SEG_Versions sheet in the same all-or-nothing request. A rollback first stores
 * the sheets it replaces, so it can itself be rolled back.
 */
import type { MigrationMatrix, Mover, MoveReason, ParameterChange, SegmentationVersion, VersionParameters } from "../../engine/versions";
import type { AuditRow, AuditTip, TableData } from "../ports";
import { SEGMENT_POLICY_TABLE, SEGMENTS_TABLE, SKU_POLICY_TABLE, VERSIONS_TABLE } from "../sheets";
import { defineStep } from "../step";
import { ValidationError } from "../store";
import type { StoredSheets } from "../versionSnapshots";
import { compactDiff, DIFFS_KEPT, GOVERNANCE_SETTINGS, governanceOf, governancePlan, gridHandEdits, overrideInputs, policyInputOf, type CompactDiff } from "../governanceSheet";
import type { GovernanceFigures, RunRecord } from "../../engine/governance";
import type { SegmentPolicy } from "../../engine/policy";
import { CONTROL_SETTINGS } from "./control";
import { SETTINGS } from "../sheets";

/** The store's code (and the engine's versionStore and versions) loads on first use, not with the pane. */
const store = () => import("../versionSnapshots");
const engine = () => import("../../engine/versions");

export const VERSION_HISTORY_SETTING = "seg.versionHistory";
const HISTORY_KEPT = 100;

/** One Write (a model version) as the run history lists it. */
export interface RunHistoryEntry {
  modelVersion: string;
  at: string;
  user: string;
  skus: number;
  rejected: number;
  source: string;
  parameters: VersionParameters;
  perSegment: { segment: string; skus: number; value: number }[];
  /** Set on a rollback entry: the version whose sheets were restored. */
  restoredFrom?: string;
}

export interface VersionRow extends RunHistoryEntry {
  /** In the workbook's version store (can be restored and compared). */
  stored: boolean;
  /** On the Segments sheet now. */
  current: boolean;
  /** Value per segment minus the previous run's. */
  valueChange: { segment: string; change: number }[];
}

export interface VersionDiffView {
  from: string;
  to: string;
  common: number;
  moved: number;
  added: number;
  removed: number;
  churn: number | null;
  valueChurn: number | null;
  matrix: MigrationMatrix;
  reasons: Record<MoveReason, { count: number; value: number }>;
  /** The first 50, largest newer value first. */
  movers: Mover[];
  moverCount: number;
  parameterChanges: ParameterChange[];
}

export interface VersionsState {
  rows: VersionRow[];
  loaded: boolean;
  diff: VersionDiffView | null;
  /** The last rollback in this pane session. */
  rolledBack: { from: string | null; to: string; reason: string } | null;
}

export interface VersionsActions {
  /** Reads the version store and the Segments sheet and lists the versions. */
  refresh(): Promise<void>;
  diff(from: string, to: string): Promise<void>;
  rollback(modelVersion: string, reason: string): Promise<void>;
}

declare module "../store" {
  interface StepStates {
    versions: VersionsState;
  }
  interface StepActions {
    versions: VersionsActions;
  }
}

const MOVERS_SHOWN = 50;

function perSegmentOf(segments: readonly string[], value: ArrayLike<number>): RunHistoryEntry["perSegment"] {
  const m = new Map<string, { skus: number; value: number }>();
  segments.forEach((s, i) => {
    const e = m.get(s) ?? { skus: 0, value: 0 };
    e.skus++;
    const v = value[i];
    if (Number.isFinite(v)) e.value += v;
    m.set(s, e);
  });
  return [...m].map(([segment, e]) => ({ segment, ...e })).sort((a, b) => (a.segment < b.segment ? -1 : a.segment > b.segment ? 1 : 0));
}

export function versionRows(history: readonly RunHistoryEntry[], stored: ReadonlySet<string>, current: string | null): VersionRow[] {
  return history.map((h, k) => {
    const prev = k > 0 ? history[k - 1] : null;
    const segs = new Set([...h.perSegment.map((s) => s.segment), ...(prev?.perSegment.map((s) => s.segment) ?? [])]);
    const valueChange = prev ? [...segs].sort().map((segment) => ({ segment, change: (h.perSegment.find((s) => s.segment === segment)?.value ?? 0) - (prev.perSegment.find((s) => s.segment === segment)?.value ?? 0) })) : [];
    return { ...h, stored: stored.has(h.modelVersion), current: h.modelVersion === current, valueChange };
  });
}

export const versionsStep = defineStep({
  key: "versions",
  create(ctx) {
    const settings = ctx.gateway.settings;
    const history = () => settings.get<RunHistoryEntry[]>(VERSION_HISTORY_SETTING) ?? [];
    const initial: VersionsState = { rows: [], loaded: false, diff: null, rolledBack: null };

    const paramsOf = (mv: string): VersionParameters => history().find((h) => h.modelVersion === mv)?.parameters ?? { abcCutoffs: [], xyzCutoffs: [] };
    const extraOf = (mv: string) => {
      const h = history().find((x) => x.modelVersion === mv);
      return { createdAt: h?.at ?? "", user: h?.user ?? "", parameters: h?.parameters };
    };
    const sheetsOf = async (tables: Readonly<Record<string, TableData | null>>): Promise<StoredSheets | null> => {
      const { sheetModelVersion } = await store();
      const segments = tables[SEGMENTS_TABLE];
      const mv = sheetModelVersion(segments ?? null);
      return segments && mv ? { modelVersion: mv, segments, skuPolicy: tables[SKU_POLICY_TABLE] ?? null, grid: tables[SEGMENT_POLICY_TABLE] ?? null } : null;
    };

    async function list(): Promise<{ texts: readonly string[]; current: TableData | null }> {
      const { storedTexts, storeIndex, sheetModelVersion } = await store();
      const [table, current] = [await ctx.gateway.readTable(VERSIONS_TABLE), await ctx.gateway.readTable(SEGMENTS_TABLE)];
      const texts = storedTexts(table);
      const stored = new Set(storeIndex(texts).map((s) => s.modelVersion));
      const h = history();
      // versions in the store that the history does not know (another pane wrote them) still show
      for (const s of storeIndex(texts)) if (!h.some((x) => x.modelVersion === s.modelVersion)) h.push({ modelVersion: s.modelVersion, at: s.createdAt, user: s.user, skus: s.rows, rejected: 0, source: "", parameters: { abcCutoffs: [], xyzCutoffs: [] }, perSegment: [] });
      h.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
      ctx.set({ rows: versionRows(h, stored, sheetModelVersion(current)), loaded: true });
      return { texts, current };
    }

    async function versionOf(mv: string, texts: readonly string[], current: TableData | null): Promise<SegmentationVersion> {
      const { restoredTables, segmentationVersionOf, sheetModelVersion } = await store();
      const { restoreVersion } = await import("../../engine/versionStore");
      if (current && sheetModelVersion(current) === mv) return segmentationVersionOf(mv, current, paramsOf(mv));
      const { header, table } = restoreVersion(texts, mv);
      return segmentationVersionOf(mv, restoredTables(header, table).segments, paramsOf(mv));
    }

    const actions: VersionsActions = {
      async refresh() {
        await ctx.task("Reading the versions", async () => {
          await list();
        });
      },
      async diff(from, to) {
        await ctx.task("Comparing the versions", async ({ progress }) => {
          if (from === to) throw new ValidationError("diff", "Choose two different versions to compare.");
          progress({ phase: "Reading the versions", done: 0, total: 2 });
          const { texts, current } = await list();
          const a = await versionOf(from, texts, current);
          const b = await versionOf(to, texts, current);
          progress({ phase: "Comparing the versions", done: 1, total: 2 });
          const d = (await engine()).diffVersions(a, b);
          ctx.set({
            diff: { from, to, common: d.common, moved: d.moved, added: d.added, removed: d.removed, churn: d.churn, valueChurn: d.valueChurn, matrix: d.matrix, reasons: d.reasons, movers: d.movers.slice(0, MOVERS_SHOWN), moverCount: d.movers.length, parameterChanges: d.parameterChanges },
          });
          ctx.store.notice(`${from} → ${to}: ${d.moved.toLocaleString()} of ${d.common.toLocaleString()} SKUs moved${d.churn === null ? "" : ` (churn ${(d.churn * 100).toFixed(1)} %)`}, ${d.added.toLocaleString()} new, ${d.removed.toLocaleString()} removed.`);
        });
      },
      async rollback(modelVersion, reason) {
        await ctx.task(
          `Restoring model version ${modelVersion}`,
          async (task) => {
            const why = reason.trim();
            if (why.length < 10) throw new ValidationError("rollbackReason", "Give the reason for the rollback (at least 10 characters): it goes into the audit trail.");
            let rows: AuditRow[] = [];
            let tip: AuditTip | null = null;
            const { addToStore, rollbackPlans, storePlan, storedTexts } = await store();
            const { restoreVersion } = await import("../../engine/versionStore");
            // read before the transaction: these tables are too large for its first syncs
            task.progress({ phase: "Reading the sheets and the version store", done: 0, total: 1 });
            const tables = { [SEGMENTS_TABLE]: await ctx.gateway.readTable(SEGMENTS_TABLE), [SKU_POLICY_TABLE]: await ctx.gateway.readTable(SKU_POLICY_TABLE), [SEGMENT_POLICY_TABLE]: await ctx.gateway.readTable(SEGMENT_POLICY_TABLE) };
            let texts: readonly string[] = storedTexts(await ctx.gateway.readTable(VERSIONS_TABLE));
            const now = await sheetsOf(tables);
            const replaced = now?.modelVersion ?? null;
            if (replaced === modelVersion) throw new Error(`Model version ${modelVersion} is on the Segments sheet already: nothing to restore.`);
            if (now) texts = addToStore(texts, now, extraOf(now.modelVersion));
            const { header, table } = restoreVersion(texts, modelVersion);
            const report = await ctx.gateway.writeSheets(
              {
                knownAuditTip: ctx.audit.knownTip(),
                prepare: async (found) => {
                  const at = ctx.now().toISOString();
                  tip = found.audit;
                  rows = await ctx.audit.seal([{ action: "version-rolled-back", field: "Segments, Policy", oldValue: replaced ?? "", newValue: modelVersion, reason: why, modelVersion }], found.audit);
                  return { plans: [...rollbackPlans(header, table, { at, user: ctx.audit.userName(), reason: why, replaced }), storePlan(texts)], auditRows: rows };
                },
              },
              { signal: task.signal, onProgress: task.progress },
            );
            if (report.declined) return;
            if (tip) await ctx.audit.appended(tip, rows);
            ctx.set({ rolledBack: { from: replaced, to: modelVersion, reason: why } });
            await ctx.store.emit("auditAppended", rows);
            await list();
            ctx.store.notice(`Restored the Segments and Policy sheets of model version ${modelVersion}${replaced ? ` (replacing ${replaced}, kept in the version store)` : ""}. The pane's classification is unchanged: the next Write writes it again.`);
          },
          { cancellable: true, cancelledNotice: "Rollback cancelled: the workbook is as it was before." },
        );
      },
    };

    /** The sheets this Write replaces and the store, read before the transaction (too large for its inspection). */
    let before: { now: StoredSheets | null; texts: readonly string[] } | null = null;
    ctx.contribute({
      key: "versions",
      sheets: [],
      async beforeWrite(task) {
        before = null;
        task.progress({ phase: "Reading the sheets to keep as a version", done: 0, total: 1 });
        const segments = await ctx.gateway.readTable(SEGMENTS_TABLE);
        const { storedTexts } = await store();
        if (!segments) {
          before = { now: null, texts: storedTexts(await ctx.gateway.readTable(VERSIONS_TABLE)) };
          return;
        }
        const tables = { [SEGMENTS_TABLE]: segments, [SKU_POLICY_TABLE]: await ctx.gateway.readTable(SKU_POLICY_TABLE), [SEGMENT_POLICY_TABLE]: await ctx.gateway.readTable(SEGMENT_POLICY_TABLE) };
        before = { now: await sheetsOf(tables), texts: storedTexts(await ctx.gateway.readTable(VERSIONS_TABLE)) };
      },
      async contribute(inputs) {
        const { addToStore, storeIndex, storePlan, segmentationVersionOf } = await store();
        const now = before?.now ?? null;
        const texts = before?.texts ?? [];
        const next = now ? addToStore(texts, now, extraOf(now.modelVersion)) : texts;
        const { run, effective, modelVersion, stamp } = inputs;
        const o = run.options;
        const entry: RunHistoryEntry = {
          modelVersion,
          at: stamp.toISOString(),
          user: ctx.audit.userName(),
          skus: run.parsed.n,
          rejected: run.parsed.rejected.length,
          source: run.sourceAddress,
          parameters: {
            abcCutoffs: [...o.abcCutoffs],
            xyzCutoffs: [...o.xyzCutoffs],
            rules: { sdType: o.sdType, outliers: o.outliers, pattern: o.pattern, periodsPerYear: o.periodsPerYear, demandWindow: o.demandWindow, inactiveAfter: o.inactiveAfter, valueSource: run.parsed.valueSource },
          },
          perSegment: perSegmentOf(effective.segment, run.parsed.value),
        };
        // the Governance sheet: this run's diff against the sheets it replaces, the runs, overrides, policy, reconciliations
        const { parsed, result } = run;
        let diff: CompactDiff | null = null;
        if (now) {
          const prev = segmentationVersionOf(now.modelVersion, now.segments, paramsOf(now.modelVersion));
          const cur: SegmentationVersion = { modelVersion, parameters: entry.parameters, sku: parsed.sku, segment: effective.segment, computedSegment: result.segment, value: parsed.value, cumShare: result.cumShare, cv: result.cv, pinned: parsed.pinned, inactive: result.inactive };
          diff = compactDiff((await engine()).diffVersions(prev, cur));
        }
        const diffs = [...(settings.get<CompactDiff[]>(GOVERNANCE_SETTINGS.diffs) ?? []), ...(diff ? [diff] : [])].slice(-DIFFS_KEPT);
        const forced = ctx.peek("control")?.forcedReason ?? null;
        const runs: RunRecord[] = [
          ...(settings.get<RunRecord[]>(CONTROL_SETTINGS.runs) ?? []),
          { modelVersion, timestamp: stamp.toISOString(), skuCount: parsed.n, rowsRead: parsed.rowsRead, rejectedRows: parsed.rejected.length, suspended: forced !== null, forcedThrough: forced !== null },
        ];
        const policyIn = now ? policyInputOf(now.grid, now.skuPolicy, 0) : undefined;
        if (policyIn) policyIn.handEdits = gridHandEdits(policyIn, settings.get<SegmentPolicy[]>(SETTINGS.policyWritten));
        const reconciliations = (ctx.peek("reconcile")?.records ?? []).map((r) => ({ modelVersion: r.modelVersion, timestamp: r.at, status: r.status, approvedBy: r.approval?.by ?? null, approvedAt: r.approval?.at ?? null }));
        const figures: GovernanceFigures = governanceOf({ now: stamp.toISOString(), runs, diffs, latest: { sku: parsed.sku, computedSegment: result.segment }, overrides: overrideInputs(inputs.overrides), policy: policyIn, reconciliations });
        return {
          plans: [...(next !== texts && next.length ? [storePlan(next)] : []), governancePlan(figures, stamp)],
          summary: now && next.length !== texts.length ? [`Kept model version ${now.modelVersion} in the workbook's version store (for rollback).`] : [],
          commit: async () => {
            before = null;
            await settings.set(GOVERNANCE_SETTINGS.diffs, diffs);
            await settings.set(GOVERNANCE_SETTINGS.figures, figures);
            await settings.set(VERSION_HISTORY_SETTING, [...history().filter((h) => h.modelVersion !== modelVersion), entry].slice(-HISTORY_KEPT));
            if (ctx.state().loaded) {
              const stored = new Set(storeIndex(next).map((s) => s.modelVersion));
              ctx.set({ rows: versionRows(history(), stored, modelVersion) });
            }
          },
        };
      },
    });

    return { initial, actions };
  },
});
