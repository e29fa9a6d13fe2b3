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
 * request. Without a server the request and its approval are audit entries and the approval is
 * given in the pane (four eyes by the name in Settings); a controller can also reject it
 * ("change-rejected"), which keeps the Write stopped until the parameters go back or a new request
 * is made.
 *
 * With a server set in Settings (src/app/controllerBackend.ts) the server decides: the request is
 * stored there too under the entryId of its audit entry (idempotent; one the server did not take
 * is sent again by Refresh and by the Write), a controller's approval or rejection goes to the
 * server first (four eyes by token, once) and only then into the audit trail, and the Write asks
 * the server again right before it writes (the contract's recheck()): it goes ahead only when the
 * server says approved, and a rejection learnt there is recorded ("change-rejected"). Refresh
 * reads the server's decision and records one made elsewhere.
 *
 * Data quality: with the checks on (off by default), src/engine/dataQuality.ts judges each Write
 * before anything is written (share of rejected rows, stale SKUs, history length, duplicate SKUs,
 * total moved from the last run). A "suspend" verdict stops the Write with the report and the data
 * steward of each failed rule; going ahead needs a reason ("data-quality-overridden").
 */
import { defaultDataQualityThresholds, evaluateDataQuality, type DataQualityReport, type DataQualityThresholds, type StewardEntry } from "../../engine/dataQuality";
import type { RunRecord } from "../../engine/governance";
import type { RunInput } from "../classifyTypes";
import { isRefusal, type ServerChangeRequest } from "../controllerService";
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
  status: "pending" | "approved" | "rejected";
  approvedBy?: string;
  approvedAt?: string;
  approvalComment?: string;
  rejectedBy?: string;
  rejectedAt?: string;
  rejectionComment?: string;
  /** On the server: "stored", or "unsent" (Refresh and the Write send it again). Absent: recorded with no server set. */
  server?: "stored" | "unsent";
  /** What the server is sent (kept until stored). */
  previous?: unknown;
  /** Why the server did not take it (while unsent). */
  serverProblem?: string;
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
  /** A controller rejects the pending request (comment required); the Write stays stopped. */
  rejectChange(comment: string): Promise<void>;
  /** Sends a request the server did not take yet and reads its decision (a server set in Settings). */
  refresh(): Promise<void>;
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

const stamp = (at: string | undefined) => (at ? `${at.slice(0, 16).replace("T", " ")} UTC` : "");
const waitingText = (req: ChangeRequest) => `Waiting for approval of the change request by ${req.by} (${stamp(req.at)}): ${req.changes.join("; ")}.`;
const rejectedText = (req: ChangeRequest) =>
  `The change request by ${req.by} (${req.changes.join("; ")}) was rejected by ${req.rejectedBy ?? "a controller"}${req.rejectedAt ? ` at ${stamp(req.rejectedAt)}` : ""}${req.rejectionComment ? `: ${req.rejectionComment}` : ""}. Nothing was written: change the parameters back, or record a new request.`;

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

    const configured = async () => !!ctx.controllers && (await ctx.controllers.configured());
    async function saveRequest(request: ChangeRequest | null): Promise<void> {
      ctx.set({ request });
      await settings.set(CONTROL_SETTINGS.request, request);
    }

    /** Stores the request on the server (idempotent by its entryId); the request as it is afterwards. */
    async function send(r: ChangeRequest): Promise<ChangeRequest> {
      const backend = ctx.controllers;
      if (!backend) return r;
      let next: ChangeRequest;
      try {
        await backend.createChangeRequest(await ctx.audit.workbookId(), {
          requestId: r.entryId,
          reason: r.reason,
          changes: r.changes.slice(0, 200).map((c) => c.slice(0, 1024)),
          previous: JSON.parse(canonicalJson(r.previous ?? written() ?? {})) as Record<string, unknown>,
          proposed: JSON.parse(r.proposed) as Record<string, unknown>,
        });
        next = { ...r, server: "stored", previous: undefined, serverProblem: undefined };
      } catch (e) {
        if (!isRefusal(e)) throw e;
        next = { ...r, server: "unsent", serverProblem: e.message };
      }
      if (ctx.state().request?.entryId === r.entryId) await saveRequest(next);
      return next;
    }

    /**
     * Records a decision the pane learnt from the server (or took there): the audit entry, then the
     * request's state. `comment` is the controller's; the entry's user is this pane's user.
     */
    async function adoptDecision(r: ChangeRequest, d: { status: "approved" | "rejected"; by: string; at: string; comment: string }, reason: string): Promise<ChangeRequest> {
      const [row] = await ctx.audit.record([
        { action: d.status === "approved" ? "change-approved" : "change-rejected", field: "parameters", oldValue: r.entryId, newValue: d.status === "approved" ? r.proposed : canonicalJson({ rejectedBy: d.by, rejectedAt: d.at }), reason },
      ]);
      const next: ChangeRequest =
        d.status === "approved" ? { ...r, status: "approved", approvedBy: d.by || row.user, approvedAt: d.at || row.timestamp, approvalComment: d.comment } : { ...r, status: "rejected", rejectedBy: d.by || row.user, rejectedAt: d.at || row.timestamp, rejectionComment: d.comment };
      await saveRequest(next);
      await ctx.store.emit("auditAppended", [row]);
      return next;
    }

    const fromServer = (s: ServerChangeRequest) => ({ status: s.status as "approved" | "rejected", by: s.decision?.by ?? "", at: s.decision?.at ?? "", comment: s.decision?.comment ?? "" });

    /** The server's word on the request: sends it when the server does not hold it, records a new decision. */
    async function serverDecision(r: ChangeRequest): Promise<{ request: ChangeRequest } | { problem: string }> {
      const backend = ctx.controllers!;
      let current = r;
      if (current.server !== "stored") {
        current = await send(current);
        if (current.server !== "stored") return { problem: current.serverProblem ?? `Change request ${r.entryId} is not on the server.` };
      }
      let s: ServerChangeRequest | null;
      try {
        s = await backend.changeRequest(await ctx.audit.workbookId(), r.entryId);
      } catch (e) {
        if (!isRefusal(e)) throw e;
        return { problem: e.message };
      }
      if (!s) {
        // the server lost it (or never had it): send it again, it waits for a decision
        current = await send({ ...current, server: "unsent" });
        return current.server === "stored" ? { request: { ...current, status: "pending" } } : { problem: current.serverProblem ?? "" };
      }
      if (s.status === "pending") {
        if (current.status !== "pending" && ctx.state().mode === "approval") await saveRequest((current = { ...current, status: "pending" }));
        return { request: current };
      }
      if (current.status === s.status) return { request: current };
      const d = fromServer(s);
      const reason = `${s.status} on the server by ${d.by} at ${d.at}: ${d.comment}`;
      return { request: await adoptDecision(current, d, reason) };
    }

    /** Approve or reject the pending request: on the server first when one is set, else in the pane. */
    async function decide(decision: "approve" | "reject", comment: string): Promise<void> {
      const r = ctx.state().request;
      if (!r || r.status !== "pending") throw new Error("There is no pending change request.");
      const text = comment.trim();
      const field = decision === "approve" ? "approvalComment" : "rejectionComment";
      if (!text) throw new ValidationError(field, decision === "approve" ? "Write a comment with the approval." : "Write why the change is rejected.");
      if (r.server || (await configured())) {
        let current = r;
        if (current.server !== "stored") {
          current = await send(current);
          if (current.server !== "stored") {
            ctx.store.notice(`Not ${decision === "approve" ? "approved" : "rejected"}: the change request is not on the server yet. ${current.serverProblem ?? ""}`, "warning");
            return;
          }
        }
        let s: ServerChangeRequest;
        try {
          s = await ctx.controllers!.decideChangeRequest(await ctx.audit.workbookId(), r.entryId, decision, text);
        } catch (e) {
          if (!isRefusal(e)) throw e;
          ctx.store.notice(e.message, "warning");
          return;
        }
        const next = await adoptDecision(current, fromServer(s), text);
        ctx.store.notice(
          next.status === "approved" ? `The server approved the change request of ${r.by} (by ${next.approvedBy}): the Write can go ahead.` : `The server rejected the change request of ${r.by} (by ${next.rejectedBy}): the Write stays stopped.`,
          next.status === "approved" ? "success" : "warning",
        );
        return;
      }
      const me = ctx.audit.userName();
      if (me === r.by) throw new Error(`The change was requested by ${r.by}: another person must ${decision} it (set your name in Settings).`);
      const next = await adoptDecision(r, { status: decision === "approve" ? "approved" : "rejected", by: "", at: "", comment: text }, text);
      if (next.status === "approved") ctx.store.notice(`Approved the change request of ${r.by}: the Write can go ahead.`);
      else ctx.store.notice(`Rejected the change request of ${r.by}: the Write stays stopped.`, "warning");
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
          let request: ChangeRequest = { entryId: row.entryId, proposed: canonicalJson(p), changes, reason: why, by: row.user, at: row.timestamp, status: ctx.state().mode === "approval" ? "pending" : "approved" };
          const online = await configured();
          if (online) request = { ...request, server: "unsent", previous: w };
          await saveRequest(request);
          await ctx.store.emit("auditAppended", [row]);
          if (online) request = await send(request);
          const where = request.server === "stored" ? " and on the server" : request.server === "unsent" ? `; not on the server yet (Refresh sends it again): ${request.serverProblem}` : "";
          ctx.store.notice(
            request.status === "pending" ? `Change request recorded in the workbook${where}; the Write waits for a controller's approval.` : `Change request recorded${where}: the Write can go ahead.`,
            request.server === "unsent" ? "warning" : "success",
          );
        });
      },
      async approveChange(comment) {
        await ctx.task("Approving the change request", async () => {
          await decide("approve", comment);
        });
      },
      async rejectChange(comment) {
        await ctx.task("Rejecting the change request", async () => {
          await decide("reject", comment);
        });
      },
      async refresh() {
        await ctx.task("Reading the server's decision", async () => {
          const r = ctx.state().request;
          if (!(await configured())) {
            ctx.store.notice("No server is set in Settings: change requests are decided in this pane.", "info");
            return;
          }
          if (!r) {
            ctx.store.notice("There is no change request to look up.", "info");
            return;
          }
          const out = await serverDecision(r);
          if ("problem" in out) {
            ctx.store.notice(out.problem, "warning");
            return;
          }
          const now = out.request;
          if (now.status === "approved") ctx.store.notice(`The server says: change request of ${now.by} approved by ${now.approvedBy}${now.approvalComment ? ` (“${now.approvalComment}”)` : ""}. The Write can go ahead.`, "success");
          else if (now.status === "rejected") ctx.store.notice(`The server says: change request of ${now.by} rejected by ${now.rejectedBy}${now.rejectionComment ? ` (“${now.rejectionComment}”)` : ""}. Change the parameters back, or record a new request.`, "warning");
          else ctx.store.notice(`The server says: change request of ${now.by} is waiting for a controller's decision${ctx.state().mode === "approval" ? "" : " (this workbook asks only for a reason: the Write does not wait for it)"}.`, "info");
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
            else if (req.status === "rejected") out.push(rejectedText(req));
            // a request on the server is decided there: recheck() asks right before the write
            else if (s.mode === "approval" && req.status !== "approved" && !req.server) out.push(waitingText(req));
          }
        }
        return out;
      },
      async recheck() {
        const s = ctx.state();
        const req = s.request;
        if (s.mode !== "approval" || !req || currentChanges().length === 0 || req.proposed !== canonicalJson(proposal())) return [];
        if (!(await configured())) {
          // offline: blockers() decided; a request on a server that is no longer set cannot be checked
          return req.server ? [`The change request of ${req.by} is decided on the server, which is not set in Settings now: set it again to check the approval. Nothing was written.`] : [];
        }
        const out = await serverDecision(req);
        if ("problem" in out) return [`The Write needs the server's decision on the change request of ${req.by} and could not get it: ${out.problem}`];
        const now = out.request;
        if (now.status === "approved") return [];
        return [now.status === "rejected" ? rejectedText(now) : `${waitingText(now)} (asked the server just now)`];
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
