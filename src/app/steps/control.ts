/**
 * Change control and data quality for the Write (shown in the Versions tab).
 *
 * Change requests: with change control at "reason" or "approval" (a workbook setting, off by
 * default so that a workbook behaves as before until a controller switches it on), a Write whose
 * parameters differ from the last written ones (ABC and XYZ cut-offs, the classification rules,
 * the policy grid) waits for a change request: the planner gives the reason, and the request is
 * recorded in the audit trail at once ("change-requested": the changes, the old and proposed
 * parameters, the reason), before the write. At "approval" the Write waits until someone other
 * than the requester approves it ("change-approved", four eyes); the pane shows the pending
 * request. The backend has no change-request route yet, so the request and its approval are audit
 * entries (synced to the server with the rest of the trail) and the approval is given in the pane.
 *
 * Data quality: with the checks on (off by default), src/engine/dataQuality.ts judges each Write
 * before anything is written (share of rejected rows, stale SKUs, history length, duplicate SKUs,
 * total moved from the last run). A "suspend" verdict stops the Write with the report and the data
 * steward of each failed rule; going ahead needs a reason ("data-quality-overridden").
 */
import { defaultDataQualityThresholds, evaluateDataQuality, type DataQualityReport, type DataQualityThresholds, type StewardEntry } from "../../engine/dataQuality";
import type { RunRecord } from "../../engine/governance";
import type { RunInput } from "../classifyTypes";
import { canonicalJson } from "../modelVersion";
import { defineStep } from "../step";
import { ValidationError } from "../store";

export const CONTROL_SETTINGS = {
  mode: "seg.changeControl",
  written: "seg.changeControl.written",
  request: "seg.changeControl.request",
  dq: "seg.dataQuality",
  runs: "seg.runRecords",
} as const;

export type ChangeControlMode = "off" | "reason" | "approval";

/** What a change request is about: the parameters a Write puts on the sheets. */
export interface ControlledParameters {
  abcCutoffs: number[];
  xyzCutoffs: number[];
  rules: Record<string, unknown>;
  grid: unknown;
}

export interface ChangeRequest {
  entryId: string;
  /** canonicalJson of the proposed parameters (the request covers exactly these). */
  proposed: string;
  changes: string[];
  reason: string;
  by: string;
  at: string;
  status: "pending" | "approved";
  approvedBy?: string;
  approvedAt?: string;
  approvalComment?: string;
}

export interface DataQualitySettings {
  enabled: boolean;
  thresholds: DataQualityThresholds;
  stewards: StewardEntry[];
}

export interface ControlState {
  mode: ChangeControlMode;
  /** Changes since the last Write (empty when none, or nothing written yet). */
  changes: string[];
  request: ChangeRequest | null;
  dq: DataQualitySettings;
  /** The last data-quality report (of the run on the pane). */
  report: DataQualityReport | null;
  /** Going ahead despite a suspension was approved for this run, with this reason. */
  forcedReason: string | null;
}

export interface ControlActions {
  setMode(mode: ChangeControlMode): Promise<void>;
  /** Records a change request for the changes on the pane now (audited at once). */
  requestChange(reason: string): Promise<void>;
  approveChange(comment: string): Promise<void>;
  setDataQuality(patch: Partial<DataQualitySettings>): Promise<void>;
  setThreshold(key: keyof Omit<DataQualityThresholds, "enabled" | "severity">, value: number): Promise<void>;
  setStewards(rows: StewardEntry[]): Promise<void>;
  /** Judges the run on the pane now (also done by every Write). */
  check(): void;
  /** Writes despite a suspension: the reason is audited. */
  proceedAnyway(reason: string): Promise<void>;
}

declare module "../store" {
  interface StepStates {
    control: ControlState;
  }
  interface StepActions {
    control: ControlActions;
  }
}

const show = (x: unknown) => (x === undefined ? "(none)" : typeof x === "string" ? x : JSON.stringify(x));

/** Every difference between two parameter sets, in words ("abcCutoffs: [0.8,0.95] → [0.7,0.95]"). */
export function parameterDifferences(a: ControlledParameters, b: ControlledParameters): string[] {
  const out: string[] = [];
  if (canonicalJson(a.abcCutoffs) !== canonicalJson(b.abcCutoffs)) out.push(`ABC cut-offs: ${show(a.abcCutoffs)} → ${show(b.abcCutoffs)}`);
  if (canonicalJson(a.xyzCutoffs) !== canonicalJson(b.xyzCutoffs)) out.push(`XYZ cut-offs: ${show(a.xyzCutoffs)} → ${show(b.xyzCutoffs)}`);
  const keys = [...new Set([...Object.keys(a.rules), ...Object.keys(b.rules)])].sort();
  for (const k of keys) if (canonicalJson(a.rules[k]) !== canonicalJson(b.rules[k])) out.push(`rule ${k}: ${show(a.rules[k])} → ${show(b.rules[k])}`);
  const ga = (Array.isArray(a.grid) ? a.grid : []) as { segment?: string }[];
  const gb = (Array.isArray(b.grid) ? b.grid : []) as { segment?: string }[];
  const segs = [...new Set([...ga, ...gb].map((r) => String(r.segment ?? "")))];
  for (const s of segs) {
    const ra = ga.find((r) => r.segment === s);
    const rb = gb.find((r) => r.segment === s);
    if (canonicalJson(ra ?? null) !== canonicalJson(rb ?? null)) out.push(`policy grid ${s}: ${ra ? "changed" : "added"}${rb ? "" : " (removed)"}`);
  }
  return out;
}

export function controlledParameters(run: RunInput, grid: unknown): ControlledParameters {
  const o = run.options;
  return {
    abcCutoffs: [...o.abcCutoffs],
    xyzCutoffs: [...o.xyzCutoffs],
    rules: { sdType: o.sdType, outliers: o.outliers, pattern: o.pattern, periodsPerYear: o.periodsPerYear, demandWindow: o.demandWindow, inactiveAfter: o.inactiveAfter },
    grid: grid ?? null,
  };
}

const fieldOfReason = (reason: string) => (reason === "missing id" || reason === "duplicate SKU" ? "sku" : reason === "empty history" ? "history" : "value");

/** The data-quality report of a classification run (previousTotal: the last written run's value total). */
export function runReport(run: RunInput, previousTotal: number | null, dq: DataQualitySettings): DataQualityReport {
  const p = run.parsed;
  const byField: Record<string, number> = {};
  for (const r of p.rejected) byField[fieldOfReason(r.reason)] = (byField[fieldOfReason(r.reason)] ?? 0) + 1;
  let total = 0;
  for (let i = 0; i < p.n; i++) if (Number.isFinite(p.value[i])) total += p.value[i];
  return evaluateDataQuality(
    {
      rowsRead: p.rowsRead,
      rejectedRows: p.rejected.length,
      rejectedByField: byField,
      duplicateSkus: p.rejected.filter((r) => r.reason === "duplicate SKU").length,
      skuCount: p.n,
      periods: p.periods,
      lastPeriodWithData: p.lastFilled,
      total,
      previousTotal,
    },
    dq.thresholds,
    dq.stewards,
  );
}

export const controlStep = defineStep({
  key: "control",
  create(ctx) {
    const settings = ctx.gateway.settings;
    const dqSaved = settings.get<Partial<DataQualitySettings>>(CONTROL_SETTINGS.dq);
    const initial: ControlState = {
      mode: settings.get<ChangeControlMode>(CONTROL_SETTINGS.mode) ?? "off",
      changes: [],
      request: settings.get<ChangeRequest>(CONTROL_SETTINGS.request) ?? null,
      dq: { enabled: dqSaved?.enabled ?? false, thresholds: { ...defaultDataQualityThresholds(), ...(dqSaved?.thresholds ?? {}) }, stewards: dqSaved?.stewards ?? [] },
      report: null,
      forcedReason: null,
    };
    /** The run a "go ahead anyway" was given for. */
    let forcedRun: unknown = null;

    const written = () => settings.get<ControlledParameters>(CONTROL_SETTINGS.written) ?? null;
    const proposal = (): ControlledParameters | null => {
      const run = ctx.peek("classify")?.run;
      return run ? controlledParameters(run, ctx.peek("policy")?.grid ?? null) : null;
    };
    const currentChanges = (): string[] => {
      const p = proposal();
      const w = written();
      return p && w ? parameterDifferences(w, p) : [];
    };
    const previousTotal = (): number | null => {
      const runs = settings.get<(RunRecord & { total?: number })[]>(CONTROL_SETTINGS.runs) ?? [];
      for (let k = runs.length - 1; k >= 0; k--) if (!runs[k].suspended || runs[k].forcedThrough) return runs[k].total ?? null;
      return null;
    };
    const report = (): DataQualityReport | null => {
      const run = ctx.peek("classify")?.run;
      return run ? runReport(run, previousTotal(), ctx.state().dq) : null;
    };
    const saveDq = async (dq: DataQualitySettings) => {
      ctx.set({ dq, report: null });
      await settings.set(CONTROL_SETTINGS.dq, dq);
    };
    async function recordRun(run: RunInput, modelVersion: string, suspended: boolean, forced: boolean): Promise<void> {
      const runs = settings.get<(RunRecord & { total?: number })[]>(CONTROL_SETTINGS.runs) ?? [];
      let total = 0;
      for (let i = 0; i < run.parsed.n; i++) if (Number.isFinite(run.parsed.value[i])) total += run.parsed.value[i];
      runs.push({ modelVersion, timestamp: ctx.now().toISOString(), skuCount: run.parsed.n, rowsRead: run.parsed.rowsRead, rejectedRows: run.parsed.rejected.length, suspended, forcedThrough: forced, total });
      await settings.set(CONTROL_SETTINGS.runs, runs.slice(-100));
    }

    const actions: ControlActions = {
      async setMode(mode) {
        ctx.set({ mode });
        await settings.set(CONTROL_SETTINGS.mode, mode);
      },
      async requestChange(reason) {
        await ctx.task("Recording the change request", async () => {
          const why = reason.trim();
          const p = proposal();
          const w = written();
          const changes = p && w ? parameterDifferences(w, p) : [];
          ctx.set({ changes });
          if (!p || changes.length === 0) throw new Error("Nothing to request: the parameters on the pane are those last written.");
          if (why.length < 10) throw new ValidationError("changeReason", "Give the reason for the change (at least 10 characters): it is recorded before the write.");
          const [row] = await ctx.audit.record([{ action: "change-requested", field: "parameters", oldValue: canonicalJson(w), newValue: canonicalJson(p), reason: `${why} (${changes.join("; ")})` }]);
          const request: ChangeRequest = { entryId: row.entryId, proposed: canonicalJson(p), changes, reason: why, by: row.user, at: row.timestamp, status: ctx.state().mode === "approval" ? "pending" : "approved" };
          ctx.set({ request });
          await settings.set(CONTROL_SETTINGS.request, request);
          await ctx.store.emit("auditAppended", [row]);
          ctx.store.notice(request.status === "pending" ? `Change request recorded; the Write waits for a controller's approval.` : "Change request recorded: the Write can go ahead.");
        });
      },
      async approveChange(comment) {
        await ctx.task("Approving the change request", async () => {
          const r = ctx.state().request;
          if (!r || r.status !== "pending") throw new Error("There is no pending change request.");
          const me = ctx.audit.userName();
          if (me === r.by) throw new Error(`The change was requested by ${r.by}: another person must approve it (set your name in Settings).`);
          const text = comment.trim();
          if (!text) throw new ValidationError("approvalComment", "Write a comment with the approval.");
          const [row] = await ctx.audit.record([{ action: "change-approved", field: "parameters", oldValue: r.entryId, newValue: r.proposed, reason: text }]);
          const next: ChangeRequest = { ...r, status: "approved", approvedBy: row.user, approvedAt: row.timestamp, approvalComment: text };
          ctx.set({ request: next });
          await settings.set(CONTROL_SETTINGS.request, next);
          await ctx.store.emit("auditAppended", [row]);
          ctx.store.notice(`Approved the change request of ${r.by}: the Write can go ahead.`);
        });
      },
      setDataQuality: (patch) => saveDq({ ...ctx.state().dq, ...patch }),
      setThreshold(key, value) {
        if (!(Number.isFinite(value) && value >= 0)) {
          ctx.store.fail(`${key}: type a number ≥ 0.`, `dq.${key}`);
          return Promise.resolve();
        }
        return saveDq({ ...ctx.state().dq, thresholds: { ...ctx.state().dq.thresholds, [key]: value } });
      },
      setStewards: (rows) => saveDq({ ...ctx.state().dq, stewards: rows.filter((r) => r.field.trim() || r.owner.trim()) }),
      check() {
        ctx.set({ report: report(), changes: currentChanges() });
      },
      async proceedAnyway(reason) {
        await ctx.task("Recording the decision to go ahead", async () => {
          const run = ctx.peek("classify")?.run;
          const r = report();
          if (!run || !r) throw new Error("Classify first: there is no run to judge.");
          if (r.verdict !== "suspend") throw new Error("The run is not suspended: the Write can go ahead.");
          const why = reason.trim();
          if (why.length < 10) throw new ValidationError("forceReason", "Give the reason for writing a suspended run (at least 10 characters): it goes into the audit trail.");
          const failed = r.rules.filter((x) => x.pass === false);
          const [row] = await ctx.audit.record([{ action: "data-quality-overridden", field: failed.map((x) => x.rule).join(", "), oldValue: "suspend", newValue: canonicalJson(failed.map((x) => ({ rule: x.rule, actual: x.actual, threshold: x.threshold }))), reason: why }]);
          forcedRun = run;
          ctx.set({ forcedReason: why, report: r });
          await ctx.store.emit("auditAppended", [row]);
          ctx.store.notice("Recorded: the next Write goes ahead despite the data-quality suspension.");
        });
      },
    };

    ctx.store.on("classified", () => {
      forcedRun = null;
      ctx.set({ forcedReason: null, report: null, changes: currentChanges() });
    });

    let suspendedNow = false;
    ctx.contribute({
      key: "control",
      sheets: [],
      blockers() {
        const s = ctx.state();
        const out: string[] = [];
        const run = ctx.peek("classify")?.run;
        suspendedNow = false;
        if (s.dq.enabled && run) {
          const r = report();
          ctx.set({ report: r });
          if (r && r.verdict === "suspend" && forcedRun !== run) {
            suspendedNow = true;
            const first = r.rules.find((x) => x.pass === false && x.severity === "suspend")!;
            void recordRun(run, "(suspended)", true, false);
            out.push(`Data quality suspended this run: ${first.message}${r.failed > 1 ? ` (and ${r.failed - 1} more rule(s))` : ""}. See Versions → Data quality: fix the data, or go ahead with a reason.`);
          }
        }
        if (s.mode !== "off") {
          const changes = currentChanges();
          ctx.set({ changes });
          if (changes.length) {
            const p = canonicalJson(proposal());
            const req = s.request;
            if (!req || req.proposed !== p) out.push(`This Write changes ${changes.join("; ")}: record a change request with its reason first (Versions → Change control).`);
            else if (s.mode === "approval" && req.status !== "approved") out.push(`Waiting for approval of the change request by ${req.by} (${req.at.slice(0, 16).replace("T", " ")} UTC): ${req.changes.join("; ")}.`);
          }
        }
        return out;
      },
      contribute(inputs) {
        const params = controlledParameters(inputs.run, ctx.peek("policy")?.grid ?? null);
        const forced = forcedRun === inputs.run && !suspendedNow;
        return {
          plans: [],
          summary: forced ? [`Written despite the data-quality suspension: ${ctx.state().forcedReason}`] : [],
          commit: async () => {
            await settings.set(CONTROL_SETTINGS.written, params);
            await recordRun(inputs.run, inputs.modelVersion, forced, forced);
            const req = ctx.state().request;
            if (req && req.proposed === canonicalJson(params)) {
              await settings.set(CONTROL_SETTINGS.request, null);
              ctx.set({ request: null });
            }
            ctx.set({ changes: [] });
          },
        };
      },
    });

    return { initial, actions };
  },
});
