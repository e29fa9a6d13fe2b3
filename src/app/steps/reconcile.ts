/**
 * The Reconcile step (controller-facing): the controller selects a finance sheet in the workbook
 * (an inventory valuation or GL extract), maps its columns (src/app/financeMapping.ts, remembered
 * per workbook), and reconciles it with the written segmentation in the worker
 * (src/app/jobs/reconcile.ts over src/engine/reconcile.ts): join rules, totals that tie out,
 * the segment × finance-category cross-tab, one-sided rows, duplicates, differences beyond the
 * tolerance, category-rule violations and the status (docs/controllers.md).
 *
 * Writing the Reconciliation sheet (src/app/reconciliationSheet.ts) reads the finance range again
 * and compares its fingerprint (src/engine/fingerprint.ts) with the preview's: a finance sheet
 * that changed in between stops the write with a question (reconcile again with the new figures,
 * or write nothing). The sheet and its "reconciliation-recorded" audit entry (model version,
 * finance fingerprint, totals, status) land in one all-or-nothing request. A controller approves
 * the latest reconciliation with a comment ("reconciliation-approved"). The Reconciliation sheet
 * is also a SheetContributor: once a reconciliation is recorded, every Write reconciles the
 * newly written segmentation against the same finance rows and refreshes the sheet, with its own
 * audit entry under the new model version.
 *
 * With a server set in Settings (src/app/controllerBackend.ts), every recorded reconciliation is
 * also stored on the server under the entryId of its audit entry (a retry stores nothing twice;
 * one the server did not take is kept "unsent" and sent again by Refresh), the approval goes to
 * the server first (four eyes by token: nobody approves what they recorded; a second approval is
 * refused) and only then into the audit trail; a refusal leaves the workbook as it was. Refresh
 * reads the server's approvals and records the ones made elsewhere. Without a server, as before.
 */
import { fingerprintRange } from "../../engine/fingerprint";
import { reconcileSummary, type ReconcileResult } from "../../engine/reconcile";
import type { AuditEvent } from "../auditService";
import { isRefusal, type ReconciliationInput, type ServerReconciliation } from "../controllerService";
import { emptyFinanceMapping, financeMappingKey, financeMappingProblems, proposeFinanceMapping, type FinanceField, type FinanceMapping } from "../financeMapping";
import { parseFinanceRows, type FinanceTable } from "../financeParse";
import { canonicalJson } from "../modelVersion";
import { headersOf } from "../mapping";
import type { AuditRow, AuditTip, RangeSnapshot, SheetPlan } from "../ports";
import { defaultReconcileSettings, reconcileOptions, reconcilePreview, segmentationRows, statusIntent, statusLabel, type CategoryRuleRow, type ReconcilePreview, type ReconcileSettings } from "../reconcileModel";
import { RECONCILIATION_SHEET, reconciliationPlan } from "../reconciliationSheet";
import { GOVERNANCE_SETTINGS, governancePlan, withReconciliations } from "../governanceSheet";
import type { GovernanceFigures, RunRecord } from "../../engine/governance";
import { CONTROL_SETTINGS } from "./control";
import { defineStep, type StepContext } from "../step";
import { ValidationError, type TaskContext } from "../store";
import { CANCEL_ANSWER, type WriteQuestion } from "../writeContract";

export const RECONCILE_SETTINGS = {
  settings: "seg.reconcile",
  mappings: "seg.financeMappings",
  /** The recorded reconciliations and approvals, newest last (small records; the audit trail has the rest). */
  records: "seg.reconciliations",
} as const;

export const FINANCE_CHANGED_QUESTION = "reconcile.financeChanged";
export const RECONCILE_AGAIN = "reconcile-again";

export interface ReconciliationApproval {
  by: string;
  at: string;
  comment: string;
}

/** A reconciliation recorded in the audit trail (what the Governance figures and the pane list). */
export interface RecordedReconciliation {
  entryId: string;
  modelVersion: string;
  financeFingerprint: string;
  source: string;
  status: ReconcileStatusText;
  difference: number;
  at: string;
  by: string;
  approval: ReconciliationApproval | null;
  /**
   * On the server: "stored", or "unsent" (a server was set but did not take it; Refresh sends it
   * again). Absent: recorded with no server set (sent once one is, by Refresh or Approve).
   */
  server?: "stored" | "unsent";
  /** What the server is sent (kept until it is stored). */
  serverInput?: ReconciliationInput;
  /** Why the server did not take it (while unsent). */
  serverProblem?: string;
}
type ReconcileStatusText = ReconcilePreview["status"];

export interface ReconcileSource {
  kind: "selection" | "region";
  address: string;
  sheetName: string;
  rows: number;
  columns: number;
  firstColumn: number;
}

export interface ReconcileState {
  source: ReconcileSource | null;
  headers: string[];
  mapping: FinanceMapping | null;
  mappingProblems: string[];
  settings: ReconcileSettings;
  preview: ReconcilePreview | null;
  /** A decision before the write (the finance sheet changed since the preview). */
  question: WriteQuestion | null;
  /** Recorded reconciliations, newest last. */
  records: RecordedReconciliation[];
}

export interface ReconcileActions {
  readSource(kind: "selection" | "region"): Promise<void>;
  setMappingField(field: FinanceField, column: number | null): void;
  setSettings(patch: Partial<ReconcileSettings>): Promise<void>;
  setCategoryRule(index: number, patch: Partial<CategoryRuleRow>): Promise<void>;
  addCategoryRule(): Promise<void>;
  removeCategoryRule(index: number): Promise<void>;
  /** Parses the finance rows and reconciles them (a preview; nothing is written). */
  run(): Promise<void>;
  /** Checks the finance fingerprint and writes the Reconciliation sheet with its audit entry. */
  write(): Promise<void>;
  answer(answer: string): Promise<void>;
  /** Approves the latest recorded reconciliation; the comment is required. With a server, the server decides first. */
  approve(comment: string): Promise<void>;
  /** Sends what the server did not take yet and reads its approvals (a server set in Settings). */
  refresh(): Promise<void>;
}

declare module "../store" {
  interface StepStates {
    reconcile: ReconcileState;
  }
  interface StepActions {
    reconcile: ReconcileActions;
  }
}

interface Computed {
  snapshot: RangeSnapshot;
  finance: FinanceTable;
  result: ReconcileResult;
  fingerprint: string;
  /** The classification it was computed against (a new one makes it stale). */
  runId: unknown;
}

/** The server's approval of a record, or null while it awaits one. */
function approvalOf(r: ServerReconciliation): ReconciliationApproval | null {
  return r.approval ? { by: r.approval.by, at: r.approval.at, comment: r.approval.comment } : null;
}

const money = (x: number) => x.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** The model version on the sheets when the classification on the pane is the one written; else null. */
export function writtenModelVersion(ctx: StepContext<"reconcile">): string | null {
  const run = ctx.peek("classify")?.run;
  const written = ctx.peek("write")?.written;
  return run && written && written.run === run ? written.outcome.modelVersion : null;
}

export const reconcileStep = defineStep({
  key: "reconcile",
  create(ctx) {
    const settings = ctx.gateway.settings;
    let snapshot: RangeSnapshot | null = null;
    let computed: Computed | null = null;
    /** A re-read that differed from the preview, kept for "Reconcile again". */
    let changed: RangeSnapshot | null = null;
    /** The finance rows of the last recorded reconciliation: each Write reconciles them again. */
    let basis: Computed | null = null;
    const initial: ReconcileState = {
      source: null,
      headers: [],
      mapping: null,
      mappingProblems: [],
      settings: { ...defaultReconcileSettings(), ...(settings.get<Partial<ReconcileSettings>>(RECONCILE_SETTINGS.settings) ?? {}) },
      preview: null,
      question: null,
      records: settings.get<RecordedReconciliation[]>(RECONCILE_SETTINGS.records) ?? [],
    };

    const remembered = (snap: RangeSnapshot, headerRow: number) => settings.get<Record<string, FinanceMapping>>(RECONCILE_SETTINGS.mappings)?.[financeMappingKey(snap.sheetName, headersOf(snap, headerRow))];

    function adopt(snap: RangeSnapshot, kind: "selection" | "region"): void {
      if (snap.values.length < 2) throw new Error(`${snap.address} has ${snap.values.length} row(s): select the finance sheet's header row and its rows.`);
      snapshot = snap;
      computed = null;
      const proposed = proposeFinanceMapping(snap);
      const saved = remembered(snap, proposed.headerRow);
      const width = snap.values[0]?.length ?? 0;
      const mapping = saved && financeMappingProblems(saved, width).length === 0 ? saved : proposed;
      const headers = headersOf(snap, mapping.headerRow);
      ctx.set({
        source: { kind, address: snap.address, sheetName: snap.sheetName, rows: snap.values.length, columns: width, firstColumn: snap.firstColumn },
        headers,
        mapping,
        mappingProblems: financeMappingProblems(mapping, headers.length),
        preview: null,
        question: null,
      });
    }

    async function read(kind: "selection" | "region", progress: TaskContext["progress"]): Promise<RangeSnapshot> {
      const opts = { onProgress: progress };
      return kind === "selection" ? ctx.gateway.readSelection(opts) : ctx.gateway.readCurrentRegion(opts);
    }

    async function saveSettings(next: ReconcileSettings): Promise<void> {
      ctx.set({ settings: next, preview: null });
      computed = null;
      await settings.set(RECONCILE_SETTINGS.settings, next);
    }

    /** Parses and reconciles the snapshot read; sets the preview. */
    async function compute(task: TaskContext): Promise<Computed> {
      const s = ctx.state();
      const run = ctx.peek("classify")?.run;
      if (!run) throw new Error("Classify first (Classify tab): the reconciliation compares the finance sheet with the segmentation.");
      if (!snapshot || !s.mapping) throw new Error('Read the finance sheet first: select it and click "Read finance sheet".');
      if (s.mappingProblems.length) throw new ValidationError("mapping", s.mappingProblems[0]);
      const options = reconcileOptions(s.settings);
      task.progress({ phase: "Reading the finance rows", done: 0, total: 1 });
      const finance = parseFinanceRows(snapshot, s.mapping);
      if (finance.sku.length === 0)
        throw new Error(finance.rejected[0] ? `No usable finance rows: every row was rejected (first: ${finance.rejected[0].message}).` : `No finance rows below the header row of ${snapshot.address}.`);
      const fingerprint = await fingerprintRange(snapshot.address, snapshot.values);
      const result = await ctx.runner.run("reconcile", { segmentation: segmentationRows(run, ctx.overrides.all()), finance, options }, { signal: task.signal, onProgress: task.progress });
      const all = settings.get<Record<string, FinanceMapping>>(RECONCILE_SETTINGS.mappings) ?? {};
      all[financeMappingKey(snapshot.sheetName, s.headers)] = s.mapping;
      await settings.set(RECONCILE_SETTINGS.mappings, all);
      const c: Computed = { snapshot, finance, result, fingerprint, runId: run };
      computed = c;
      ctx.set({ preview: reconcilePreview(result, finance.rejected, { modelVersion: writtenModelVersion(ctx), source: snapshot.address, financeFingerprint: fingerprint, sheetName: snapshot.sheetName }), question: null });
      return c;
    }

    function previewNotice(p: ReconcilePreview): string {
      const t = p.totals;
      return `${statusLabel(p.status)}: segmentation ${money(t.segmentationValue)}, finance ${money(t.financeValue)}, difference ${money(t.difference)}${t.differencePct === null ? "" : ` (${(t.differencePct * 100).toFixed(2)} %)`}${p.counts.rejected ? `; ${p.counts.rejected} finance rows rejected (listed)` : ""}.`;
    }

    /** The audit event of a reconciliation of `modelVersion`. */
    function recordedEvent(c: Computed, modelVersion: string): AuditEvent {
      const opts = reconcileOptions(ctx.state().settings);
      const summary = { ...reconcileSummary(c.result, modelVersion, c.fingerprint, opts), rejected: c.result.rejected.length + c.finance.rejected.length, source: c.snapshot.address };
      const t = c.result.totals;
      return {
        action: "reconciliation-recorded",
        field: "reconciliation",
        oldValue: c.fingerprint,
        newValue: canonicalJson(summary),
        reason: `${c.result.status.status}: segmentation ${money(t.segmentationValue)} against finance ${money(t.financeValue)} from ${c.snapshot.address}, difference ${money(t.difference)}`,
        modelVersion,
      };
    }

    function planOf(c: Computed, modelVersion: string, stamp: Date): SheetPlan {
      const s = ctx.state().settings;
      return reconciliationPlan(c.result, c.finance.rejected, {
        modelVersion,
        source: c.snapshot.address,
        financeFingerprint: c.fingerprint,
        stamp,
        user: ctx.audit.userName(),
        valueTolerance: s.valueTolerance,
        quantityTolerance: s.quantityTolerance,
      });
    }

    async function saveRecords(records: RecordedReconciliation[]): Promise<void> {
      ctx.set({ records });
      await settings.set(RECONCILE_SETTINGS.records, records);
    }

    /** Sends one record to the server; the record as it is afterwards (stored, or unsent with the reason). */
    async function send(rec: RecordedReconciliation): Promise<RecordedReconciliation> {
      const backend = ctx.controllers;
      if (!backend || !rec.serverInput) return rec;
      try {
        await backend.recordReconciliation(await ctx.audit.workbookId(), rec.serverInput);
        return { ...rec, server: "stored", serverInput: undefined, serverProblem: undefined };
      } catch (e) {
        if (!isRefusal(e)) throw e;
        return { ...rec, server: "unsent", serverProblem: e.message };
      }
    }

    async function remember(row: AuditRow, c: Computed): Promise<RecordedReconciliation> {
      basis = c;
      const rec: RecordedReconciliation = {
        entryId: row.entryId,
        modelVersion: row.modelVersion,
        financeFingerprint: c.fingerprint,
        source: c.snapshot.address,
        status: c.result.status.status,
        difference: c.result.totals.difference,
        at: row.timestamp,
        by: row.user,
        approval: null,
      };
      // what the server is sent (now when one is set, else once one is: Refresh, Approve)
      const summary = JSON.parse(row.newValue) as Record<string, unknown>;
      rec.serverInput = { reconciliationId: row.entryId, modelVersion: row.modelVersion, financeFingerprint: c.fingerprint, status: c.result.status.status, totals: JSON.parse(canonicalJson(c.result.totals)) as ReconciliationInput["totals"], summary };
      if (ctx.controllers && (await ctx.controllers.configured())) rec.server = "unsent";
      await saveRecords([...ctx.state().records, rec].slice(-50));
      if (rec.server !== "unsent") return rec;
      const sent = await send(rec);
      await saveRecords(ctx.state().records.map((r) => (r.entryId === sent.entryId ? sent : r)));
      return sent;
    }

    /** " Stored on the server." or why not, for the notices. */
    const serverLine = (r: RecordedReconciliation) => (r.server === "stored" ? " Stored on the server." : r.server === "unsent" ? ` Not on the server yet (Refresh sends it again): ${r.serverProblem ?? ""}` : "");

    async function writeNow(task: TaskContext): Promise<void> {
      const c = computed;
      const s = ctx.state();
      if (!c || !s.source || !s.preview) throw new Error('Reconcile first ("Reconcile"), check the figures, then write.');
      const modelVersion = writtenModelVersion(ctx);
      if (!modelVersion) throw new Error("Write the segmentation first (Write tab): a reconciliation names the model version it ties to the finance sheet.");
      if (c.runId !== ctx.peek("classify")?.run) throw new Error("The classification changed since this reconciliation: reconcile again.");
      task.progress({ phase: "Checking the finance sheet", done: 0, total: 1 });
      const again = await read(s.source.kind, task.progress);
      const fp = await fingerprintRange(again.address, again.values);
      if (fp !== c.fingerprint) {
        changed = again;
        ctx.set({
          question: {
            key: FINANCE_CHANGED_QUESTION,
            title: "The finance sheet changed",
            text:
              again.address === c.snapshot.address
                ? `${again.address} is not what was reconciled: its fingerprint was ${c.fingerprint.slice(0, 12)}…, now ${fp.slice(0, 12)}…. Nothing was written.`
                : `The range is now ${again.address}, not ${c.snapshot.address} as reconciled (select the finance range again, or reconcile what is selected). Nothing was written.`,
            items: [],
            choices: [
              { answer: RECONCILE_AGAIN, label: "Reconcile again", primary: true },
              { answer: CANCEL_ANSWER, label: "Don't write" },
            ],
          },
        });
        return;
      }
      const stamp = ctx.now();
      const event = recordedEvent(c, modelVersion);
      let rows: AuditRow[] = [];
      let tip: AuditTip | null = null;
      const report = await ctx.gateway.writeSheets(
        {
          knownAuditTip: ctx.audit.knownTip(),
          prepare: async (found) => {
            tip = found.audit;
            rows = await ctx.audit.seal([event], found.audit);
            // the Governance sheet, its reconciliation part with this one
            const records = [...ctx.state().records.map((r) => ({ modelVersion: r.modelVersion, timestamp: r.at, status: r.status, approvedBy: r.approval?.by ?? null, approvedAt: r.approval?.at ?? null })), { modelVersion, timestamp: stamp.toISOString(), status: c.result.status.status }];
            const figures = withReconciliations(settings.get<GovernanceFigures>(GOVERNANCE_SETTINGS.figures) ?? null, settings.get<RunRecord[]>(CONTROL_SETTINGS.runs) ?? [], records, stamp.toISOString());
            return { plans: [planOf(c, modelVersion, stamp), governancePlan(figures, stamp)], auditRows: rows };
          },
        },
        { signal: task.signal, onProgress: task.progress },
      );
      if (report.declined) return;
      if (tip) await ctx.audit.appended(tip, rows);
      const rec = rows[0] ? await remember(rows[0], c) : null;
      await ctx.store.emit("auditAppended", rows);
      ctx.store.notice(`Wrote the ${RECONCILIATION_SHEET} sheet for model version ${modelVersion}: ${previewNotice(s.preview)}${rec ? serverLine(rec) : ""}`, rec?.server === "unsent" ? "warning" : statusIntent(c.result.status.status));
    }

    /**
     * The reconciliation-approved entry and the local approval. `approval` is the server's (its
     * approver's token name and time); null: approved in this pane, offline (by the audit row's user).
     */
    async function recordApproval(rec: RecordedReconciliation, approval: ReconciliationApproval | null, reason: string): Promise<AuditRow> {
      const [row] = await ctx.audit.record([
        {
          action: "reconciliation-approved",
          field: "reconciliation",
          oldValue: rec.entryId,
          newValue: canonicalJson({ reconciliation: rec.entryId, status: rec.status, financeFingerprint: rec.financeFingerprint, difference: rec.difference, ...(approval ? { approvedBy: approval.by, approvedAt: approval.at, on: "server" } : {}) }),
          reason,
          modelVersion: rec.modelVersion,
        },
      ]);
      const local = approval ?? { by: row.user, at: row.timestamp, comment: reason };
      await saveRecords(ctx.state().records.map((r) => (r.entryId === rec.entryId ? { ...r, approval: local } : r)));
      await ctx.store.emit("auditAppended", [row]);
      return row;
    }

    const actions: ReconcileActions = {
      async readSource(kind) {
        await ctx.task(kind === "selection" ? "Reading the finance sheet" : "Reading the finance sheet around the selection", async ({ progress }) => {
          const snap = await read(kind, progress);
          adopt(snap, kind);
          ctx.store.notice(`Read ${snap.address} (${(snap.values.length - 1).toLocaleString()} rows). Check the columns, then "Reconcile".`);
        });
      },
      setMappingField(field, column) {
        const m = ctx.state().mapping ?? emptyFinanceMapping();
        const next = { ...m, columns: { ...m.columns, [field]: column } };
        computed = null;
        ctx.set({ mapping: next, mappingProblems: financeMappingProblems(next, ctx.state().headers.length), preview: null });
      },
      setSettings: (patch) => saveSettings({ ...ctx.state().settings, ...patch }),
      setCategoryRule(index, patch) {
        const rows = ctx.state().settings.categoryRules.map((r, i) => (i === index ? { ...r, ...patch } : r));
        return saveSettings({ ...ctx.state().settings, categoryRules: rows });
      },
      addCategoryRule: () => saveSettings({ ...ctx.state().settings, categoryRules: [...ctx.state().settings.categoryRules, { category: "", allowed: "" }] }),
      removeCategoryRule: (index) => saveSettings({ ...ctx.state().settings, categoryRules: ctx.state().settings.categoryRules.filter((_, i) => i !== index) }),
      async run() {
        await ctx.task(
          "Reconciling with the finance sheet",
          async (task) => {
            await compute(task);
            const p = ctx.state().preview!;
            ctx.store.notice(`${previewNotice(p)}${p.modelVersion ? ` Write the ${RECONCILIATION_SHEET} sheet to record it.` : " Write the segmentation (Write tab) before recording it."}`, statusIntent(p.status));
          },
          { cancellable: true, cancelledNotice: "Reconciliation cancelled: nothing changed." },
        );
      },
      async write() {
        await ctx.task(`Writing the ${RECONCILIATION_SHEET} sheet`, (task) => writeNow(task), { cancellable: true, cancelledNotice: "Write cancelled: the workbook is as it was before." });
      },
      async answer(answer) {
        const q = ctx.state().question;
        ctx.set({ question: null });
        if (!q) return;
        if (answer === CANCEL_ANSWER || answer !== RECONCILE_AGAIN) {
          changed = null;
          ctx.store.notice("Nothing was written.");
          return;
        }
        await ctx.task("Reconciling with the finance sheet as it is now", async (task) => {
          const snap = changed;
          changed = null;
          if (!snap) throw new Error("Read the finance sheet again.");
          const mapping = ctx.state().mapping;
          const kind = ctx.state().source?.kind ?? "selection";
          adopt(snap, kind);
          // keep the controller's mapping when it still fits the range read
          if (mapping && financeMappingProblems(mapping, snap.values[0]?.length ?? 0).length === 0) ctx.set({ mapping, headers: headersOf(snap, mapping.headerRow), mappingProblems: [] });
          await compute(task);
          ctx.store.notice(`Reconciled again with the figures as they are now. ${previewNotice(ctx.state().preview!)} Check them, then write.`, statusIntent(ctx.state().preview!.status));
        });
      },
      async approve(comment) {
        await ctx.task("Approving the reconciliation", async () => {
          const text = comment.trim();
          const records = ctx.state().records;
          const latest = records[records.length - 1];
          if (!latest) throw new Error(`Write the ${RECONCILIATION_SHEET} sheet first: only a recorded reconciliation can be approved.`);
          if (latest.approval) throw new Error(`The reconciliation of ${latest.modelVersion} was approved by ${latest.approval.by} on ${latest.approval.at.slice(0, 10)}.`);
          if (!text) throw new ValidationError("approvalComment", "Write a comment with the approval (what was checked, who agreed the differences).");
          const backend = ctx.controllers;
          if (backend && (latest.server || (await backend.configured()))) {
            // the server decides first (four eyes by token, once); a refusal writes nothing here
            let target = latest;
            if (target.server !== "stored") {
              target = await send(target);
              await saveRecords(ctx.state().records.map((r) => (r.entryId === target.entryId ? target : r)));
              if (target.server !== "stored") {
                ctx.store.notice(
                  target.serverInput
                    ? `Not approved: the reconciliation of ${target.modelVersion} is not on the server yet. ${target.serverProblem ?? ""}`
                    : `Not approved: the reconciliation of ${target.modelVersion} cannot be sent to the server (recorded by an earlier version of the add-in); write the ${RECONCILIATION_SHEET} sheet again to record one the server approves.`,
                  "warning",
                );
                return;
              }
            }
            let stored: ServerReconciliation;
            try {
              stored = await backend.approveReconciliation(await ctx.audit.workbookId(), target.entryId, text);
            } catch (e) {
              if (!isRefusal(e)) throw e;
              ctx.store.notice(e.message, "warning");
              return;
            }
            const approval = approvalOf(stored) ?? { by: ctx.audit.userName(), at: ctx.now().toISOString(), comment: text };
            await recordApproval(target, approval, text);
            ctx.store.notice(`The server approved the reconciliation of model version ${target.modelVersion} (${target.status}), by ${approval.by}.`, statusIntent(target.status));
            return;
          }
          await recordApproval(latest, null, text);
          ctx.store.notice(`Approved the reconciliation of model version ${latest.modelVersion} (${latest.status}).`, statusIntent(latest.status));
        });
      },
      async refresh() {
        await ctx.task("Reading the server's decisions", async () => {
          const backend = ctx.controllers;
          if (!backend || !(await backend.configured())) {
            ctx.store.notice("No server is set in Settings: the reconciliations and approvals are those recorded in this workbook.", "info");
            return;
          }
          let records = ctx.state().records;
          let unsent = 0;
          for (const r of records.filter((x) => x.server !== "stored" && x.serverInput)) {
            const sent = await send(r);
            if (sent.server === "unsent") unsent++;
            records = records.map((x) => (x.entryId === sent.entryId ? sent : x));
          }
          await saveRecords(records);
          let server: ServerReconciliation[];
          try {
            server = await backend.reconciliations(await ctx.audit.workbookId());
          } catch (e) {
            if (!isRefusal(e)) throw e;
            ctx.store.notice(e.message, "warning");
            return;
          }
          const byId = new Map(server.map((x) => [x.reconciliationId, x]));
          let adopted = 0;
          for (const r of ctx.state().records) {
            const s = byId.get(r.entryId);
            const approval = s ? approvalOf(s) : null;
            if (!s) continue;
            if (r.server !== "stored") await saveRecords(ctx.state().records.map((x) => (x.entryId === r.entryId ? { ...x, server: "stored", serverInput: undefined, serverProblem: undefined } : x)));
            if (approval && !r.approval) {
              await recordApproval(r, approval, `approved on the server by ${approval.by} at ${approval.at}: ${approval.comment}`);
              adopted++;
            }
          }
          const latest = ctx.state().records[ctx.state().records.length - 1];
          const parts = [`The server holds ${server.length} reconciliation${server.length === 1 ? "" : "s"} of this workbook`];
          if (adopted) parts.push(`${adopted} approval${adopted === 1 ? "" : "s"} made on the server recorded in the audit trail`);
          if (unsent) parts.push(`${unsent} still not sent (${records.find((x) => x.server === "unsent")?.serverProblem ?? ""})`);
          const tail = latest ? ` Latest: model version ${latest.modelVersion}, ${statusLabel(latest.status).toLowerCase()}, ${latest.approval ? `approved by ${latest.approval.by}` : "awaiting approval"}.` : "";
          ctx.store.notice(`${parts.join("; ")}.${tail}`, unsent ? "warning" : latest ? statusIntent(latest.status) : "info");
        });
      },
    };

    ctx.store.on("classified", () => {
      computed = null;
      ctx.set({ preview: null, question: null });
    });

    // The Reconciliation sheet in every Write once one is recorded: the newly written segmentation
    // against the same finance rows (the range as read and fingerprinted at the preview).
    let refreshed: ReconcileResult | null = null;
    /** Recorded by a Write: its audit row arrives with the Write's "auditAppended". */
    let pendingRecord: { modelVersion: string; computed: Computed } | null = null;
    ctx.store.on("auditAppended", async (rows) => {
      const p = pendingRecord;
      if (!p) return;
      const row = rows.find((r) => r.action === "reconciliation-recorded" && r.modelVersion === p.modelVersion);
      if (!row) return;
      pendingRecord = null;
      await remember(row, p.computed);
    });
    ctx.contribute({
      key: "reconcile",
      get sheets() {
        return basis ? [RECONCILIATION_SHEET] : [];
      },
      async beforeWrite(task) {
        refreshed = null;
        const c = basis;
        const run = ctx.peek("classify")?.run;
        if (!c || !run) return;
        refreshed = await ctx.runner.run("reconcile", { segmentation: segmentationRows(run, ctx.overrides.all()), finance: c.finance, options: reconcileOptions(ctx.state().settings) }, { signal: task.signal, onProgress: task.progress });
      },
      contribute(inputs) {
        const c = basis;
        const r = refreshed;
        if (!c || !r) return { plans: [] };
        const next: Computed = { ...c, result: r, runId: inputs.run };
        const event = recordedEvent(next, inputs.modelVersion);
        return {
          plans: [planOf(next, inputs.modelVersion, inputs.stamp)],
          events: [event],
          summary: [`${RECONCILIATION_SHEET}: ${r.status.status} against ${c.snapshot.address}.`],
          commit: async () => {
            computed = next;
            pendingRecord = { modelVersion: inputs.modelVersion, computed: next };
            ctx.set({ preview: reconcilePreview(r, c.finance.rejected, { modelVersion: inputs.modelVersion, source: c.snapshot.address, financeFingerprint: c.fingerprint, sheetName: c.snapshot.sheetName }) });
          },
        };
      },
    });

    return { initial, actions };
  },
});
