/**
 * The Write step: one all-or-nothing write of every sheet the steps contribute (writeContract.ts),
 * with the model version, the classify-run audit entry and the contributors' audit entries landing
 * in the same request as the sheets. Progress and Cancel; questions (hand edits, the rerun
 * warning) stop it before anything changes and it starts again with the answer. After the Write
 * it publishes a snapshot, and again after each override change to the written run.
 */
import type { PolicyOptions, SegmentPolicy } from "../../engine/policy";
import type { AuditEvent } from "../auditService";
import type { LastRun } from "../classifyTypes";
import { canonicalJson, makeModelVersion } from "../modelVersion";
import { effectiveSegments } from "../plans";
import type { AuditRow, AuditTip, Progress } from "../ports";
import { overrideVersion, type PublishStatus } from "../publishing";
import { SETTINGS } from "../sheets";
import type { WrittenFields } from "../snapshotFields";
import { defineStep } from "../step";
import { errorText, type TaskContext } from "../store";
import { CANCEL_ANSWER, type Contribution, type WriteInputs, type WriteQuestion } from "../writeContract";
import type { RunInput, WriteOutcome } from "../writeService";

export interface WrittenRecord {
  run: RunInput;
  outcome: WriteOutcome;
  /** Override changes made to this run since it was written (they number the snapshot versions <mv>+o<n>). */
  overrideRevision: number;
}

export interface WriteState {
  lastWrite: WriteOutcome | null;
  lastRun: LastRun | null;
  /** A decision the planner must make before the write goes ahead. */
  question: WriteQuestion | null;
  /** The run on the sheets now, when it was written in this pane session. */
  written: WrittenRecord | null;
  /** Snapshot publishing (null when the pane has no publisher). */
  publishStatus: PublishStatus | null;
}

export interface WriteActions {
  /** Starts a write; it may stop with a question (state.question). */
  write(): Promise<void>;
  /** Answers the question: a choice goes on with the write, "cancel" writes nothing. */
  answer(answer: string): Promise<void>;
}

declare module "../store" {
  interface StepStates {
    write: WriteState;
  }
  interface StepActions {
    write: WriteActions;
  }
}

export const RERUN_QUESTION = "write.rerun";
export const RERUN_ALWAYS = "replace-always";

/** The question asked before sheets that exist are replaced (until the planner says not to ask again). */
/** Share of the Write's progress bar taken by the steps' preparation (beforeWrite). */
const PREPARE_SHARE = 0.1;
/** A phase's own progress placed in the part [from, to] of the bar. */
function share(p: Progress, from: number, to: number): Progress {
  const f = p.total > 0 ? Math.min(1, p.done / p.total) : 0;
  return { phase: p.phase, done: Math.round((from + (to - from) * f) * 1000), total: 1000 };
}

export function rerunQuestion(replaced: readonly string[]): WriteQuestion {
  const names = replaced.length > 1 ? `${replaced.slice(0, -1).join(", ")} and ${replaced[replaced.length - 1]}` : replaced.join("");
  return {
    key: RERUN_QUESTION,
    title: `Replace the ${names} sheet${replaced.length > 1 ? "s" : ""}?`,
    text: `Writing creates ${names} afresh. Anything you added to ${replaced.length > 1 ? "those sheets" : "that sheet"} is lost with ${replaced.length > 1 ? "them" : "it"}:`,
    items: [
      "notes and comments in their cells,",
      "column widths, colours and other formatting you changed,",
      "your own charts, shapes and extra tables on them,",
      "formulas on other sheets that point into them (they turn into #REF!).",
    ],
    footer: "Overrides, hand edits of the policy grid (you are asked about them) and the audit trail are kept.",
    choices: [
      { answer: "replace", label: "Replace", primary: true },
      { answer: RERUN_ALWAYS, label: "Replace, don't ask again" },
      { answer: CANCEL_ANSWER, label: "Don't write" },
    ],
  };
}

export const writeStep = defineStep({
  key: "write",
  create(ctx) {
    const settings = ctx.gateway.settings;
    const initial: WriteState = {
      lastWrite: null,
      lastRun: settings.get<LastRun>(SETTINGS.lastRun) ?? null,
      question: null,
      written: null,
      publishStatus: ctx.publisher ? ctx.publisher.status() : null,
    };
    let answers: Record<string, string> = {};
    const publisher = ctx.publisher;
    publisher?.subscribe(() => ctx.set({ publishStatus: publisher.status() }));

    async function run(t0: number, task: TaskContext): Promise<void> {
      const classify = ctx.peek("classify");
      const run = classify?.run;
      if (!run) throw new Error("Classify first (Classify tab): there is nothing to write yet.");
      const contributors = ctx.contributors();
      const blockers = contributors.flatMap((c) => c.blockers?.() ?? []);
      if (blockers.length) throw new Error(blockers[0]);
      // What the steps prepare (a policy plan in the worker, a table to read) is the first part of one
      // bar, the writer's phases the rest, so the bar never goes back to 0 between them.
      // Each step's preparation counts from its own 0, so the bar holds its place until it moves on.
      let held = 0;
      const prepared: TaskContext = {
        signal: task.signal,
        progress: (p) => {
          if (p.phase === "Done") return;
          const q = share(p, 0, PREPARE_SHARE);
          held = Math.max(held, q.done);
          task.progress({ ...q, done: held });
        },
      };
      for (const c of contributors) await c.beforeWrite?.(prepared);
      // the outside decisions last, right before the transaction (writeContract.ts)
      for (const c of contributors) {
        const refused = (await c.recheck?.(prepared)) ?? [];
        if (refused.length) throw new Error(refused[0]);
      }

      const stamp = ctx.now();
      const parameters: Record<string, unknown> = {};
      for (const c of contributors) Object.assign(parameters, c.parameters?.() ?? {});
      const modelVersion = await makeModelVersion(parameters, stamp);
      const overrides = ctx.overrides.all();
      const effective = effectiveSegments(run.parsed, run.result, overrides);
      const previous = settings.get<LastRun>(SETTINGS.lastRun);
      const readTables = [...new Set(contributors.flatMap((c) => c.inspect ?? []))];
      let contributions: Contribution[] = [];
      let auditRows: AuditRow[] = [];
      let tip: AuditTip | null = null;
      let sheetNames: string[] = [];

      const report = await ctx.gateway.writeSheets(
        {
          readTables,
          knownAuditTip: ctx.audit.knownTip(),
          prepare: async (found) => {
            const inputs: WriteInputs = { run, modelVersion, stamp, overrides, effective, tables: found.tables, existingSheets: found.sheets, answers };
            const replaced = contributors.flatMap((c) => c.sheets).filter((name) => found.sheets.some((s) => s.toLowerCase() === name.toLowerCase()));
            const questions: WriteQuestion[] = [];
            if (replaced.length && settings.get<boolean>(SETTINGS.rerunWarningSeen) !== true) questions.push(rerunQuestion(replaced));
            for (const c of contributors) {
              const q = c.question?.(inputs);
              if (q) questions.push(q);
            }
            const open = questions.find((q) => !(q.key in answers));
            if (open) {
              ctx.set({ question: open });
              return null;
            }
            contributions = [];
            for (const c of contributors) contributions.push(await c.contribute(inputs));
            const events: AuditEvent[] = contributions.flatMap((c) => c.events ?? []);
            events.push({
              action: "classify-run",
              field: "parameters",
              oldValue: previous?.modelVersion ?? "",
              newValue: canonicalJson(parameters),
              reason: `${run.parsed.n} SKUs classified, ${run.parsed.rejected.length} rows rejected, from ${run.sourceAddress}`,
              modelVersion,
            });
            tip = found.audit;
            auditRows = await ctx.audit.seal(events, found.audit);
            const plans = contributions.flatMap((c) => c.plans);
            sheetNames = plans.filter((p) => p.visibility !== "veryHidden").map((p) => p.sheetName);
            return { plans, auditRows };
          },
        },
        { signal: task.signal, onProgress: (p) => task.progress(share(p, PREPARE_SHARE, 1)) },
      );
      if (report.declined) return;
      // The sheets and their audit entries are in; now what the steps keep about them.
      answers = {};
      if (tip) await ctx.audit.appended(tip, auditRows);
      for (const c of contributions) await c.commit?.();
      const lastRun: LastRun = { modelVersion, timestamp: stamp.toISOString(), skus: run.parsed.n, rejected: run.parsed.rejected.length, source: run.sourceAddress };
      await settings.set(SETTINGS.lastRun, lastRun);
      const policy = ctx.peek("policy");
      const outcome: WriteOutcome = {
        modelVersion,
        report,
        ms: performance.now() - t0,
        rows: run.parsed.n,
        grid: (policy?.grid ?? []) as SegmentPolicy[],
        policyOptions: { ...(policy?.policyOptions as PolicyOptions), periodsPerYear: run.options.periodsPerYear },
        sheets: sheetNames,
        summary: contributions.flatMap((c) => c.summary ?? []),
        overridden: effective.overridden,
        flagged: effective.flagged,
      };
      ctx.set({ lastWrite: outcome, lastRun, written: { run, outcome, overrideRevision: 0 }, question: null });
      await ctx.store.emit("auditAppended", auditRows);
      await ctx.store.emit("written");
      const kept = outcome.summary.find((l) => l.startsWith("Kept"));
      ctx.store.notice(`Wrote ${run.parsed.n.toLocaleString()} SKUs to the ${sheetNames.join(" and ")} sheets in ${(outcome.ms / 1000).toFixed(1)} s (model version ${modelVersion}).${kept ? ` ${kept}` : ""}`);
      await publish(false);
    }

    function start(): Promise<void> {
      const t0 = performance.now();
      return ctx
        .task(
          "Writing the sheets",
          (task) => run(t0, task),
          { cancellable: true, cancelledNotice: "Write cancelled: the workbook is as it was before." },
        )
        .then(() => undefined);
    }

    /**
     * Hands the written run to the publisher without waiting for it (its status shows on the Write
     * tab): after the Write under its model version, after an override change under the derived
     * version `<modelVersion>+o<n>` (see publishing.ts), since the server keeps one content per version.
     */
    async function publish(afterOverride: boolean): Promise<void> {
      const w = ctx.state().written;
      if (!w || !publisher) return;
      let modelVersion: string | undefined;
      if (afterOverride) {
        w.overrideRevision++;
        modelVersion = overrideVersion(w.outcome.modelVersion, w.overrideRevision);
      }
      let workbookId: string;
      try {
        workbookId = await ctx.audit.workbookId();
      } catch (e) {
        ctx.store.fail(`The sheets are written, but the snapshot was not published: ${errorText(e)}`);
        return;
      }
      const written = ctx.peek("policy")?.writtenRows;
      const policyRow = written && written.modelVersion === w.outcome.modelVersion ? written.row : undefined;
      const fields: Record<string, WrittenFields> = {};
      const executionFields = ctx.peek("execution")?.written;
      if (executionFields) fields.execution = executionFields;
      const forecastFields = ctx.peek("forecast")?.written;
      if (forecastFields) fields.forecast = forecastFields;
      const mrpFields = ctx.peek("policy")?.mrpWritten;
      if (mrpFields) fields.mrpExport = mrpFields;
      void publisher.publishWrite({ workbookId, run: w.run, outcome: w.outcome, overrides: ctx.overrides.all(), policyOptions: w.outcome.policyOptions, modelVersion, policyRow, fields });
    }

    ctx.store.on("overridesChanged", () => publish(true));

    const actions: WriteActions = {
      write() {
        answers = {};
        return start();
      },
      async answer(answer) {
        const q = ctx.state().question;
        ctx.set({ question: null });
        if (!q) return;
        if (answer === CANCEL_ANSWER) {
          answers = {};
          ctx.store.notice("Nothing was written.");
          return;
        }
        if (q.key === RERUN_QUESTION && answer === RERUN_ALWAYS) await settings.set(SETTINGS.rerunWarningSeen, true);
        answers = { ...answers, [q.key]: answer };
        await start();
      },
    };
    return { initial, actions };
  },
});
