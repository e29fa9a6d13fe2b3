/**
 * The Network step: read the Network sheet the planner selects (stages, their downstream stage or
 * customer, processing times, holding costs, customer demand, service times), solve the
 * guaranteed-service model in the worker (src/app/jobs/gsm.ts: a tree or a serial line), preview
 * where the safety stock goes, and write the Network policy sheet with its chart.
 *
 * z of a stage that serves customers comes from its row's Service level, else its Segment's level
 * in the Policy tab's grid, else the default service level set here (src/app/network.ts).
 *
 * Bad input stops before anything is written: every bad cell is listed with its address, and a
 * network the model cannot take (a cycle, two downstream stages in the serial model, flows that
 * meet again, a stage with no demand downstream) is one message naming the stage. The sheet is
 * written outside the Write, in one gateway.writeSheets call that carries its audit row, so the
 * sheet and its audit entry land together or not at all (Cancel leaves the workbook as it was).
 */
import { defaultPolicyGrid } from "../../engine/policy";
import type { AuditEvent } from "../auditService";
import type { NetworkModel } from "../jobs/gsm";
import { parseNetwork, type NetworkField, type ParsedNetwork } from "../network";
import { NETWORK_POLICY_SHEET, networkPlan, type NetworkSolution } from "../networkSheet";
import type { AuditRow, AuditTip, RangeSnapshot } from "../ports";
import { defineStep } from "../step";
import { ValidationError, type TaskContext } from "../store";

export const NETWORK_SETTINGS = "seg.network";

export interface NetworkState {
  /** The range read (null until a read). */
  source: { address: string; rows: number } | null;
  /** Columns found by their headers. */
  found: { field: NetworkField; header: string; column: number }[];
  /** Bad cells of the last read or solve, each with its address. */
  problems: string[];
  model: NetworkModel;
  /** For customer stages with neither a Service level nor a Segment cell, in (0, 1). */
  defaultServiceLevel: number;
  solution: NetworkSolution | null;
  written: boolean;
}

export interface NetworkActions {
  readSource(kind: "selection" | "region"): Promise<void>;
  setModel(model: NetworkModel): void;
  setDefaultServiceLevel(level: number): void;
  /** Solves and previews (nothing is written). */
  solve(): Promise<void>;
  /** Solves again from the range read and writes the Network policy sheet with its audit entry. */
  write(): Promise<void>;
}

declare module "../store" {
  interface StepStates {
    network: NetworkState;
  }
  interface StepActions {
    network: NetworkActions;
  }
}

const pct = (x: number) => `${Math.round(x * 1e6) / 1e4} %`;

export const networkStep = defineStep({
  key: "network",
  create(ctx) {
    const settings = ctx.gateway.settings;
    const saved = settings.get<{ model?: NetworkModel; defaultServiceLevel?: number }>(NETWORK_SETTINGS) ?? {};
    const initial: NetworkState = {
      source: null,
      found: [],
      problems: [],
      model: saved.model === "serial" ? "serial" : "tree",
      defaultServiceLevel: typeof saved.defaultServiceLevel === "number" ? saved.defaultServiceLevel : 0.95,
      solution: null,
      written: false,
    };
    let snapshot: RangeSnapshot | null = null;

    const parse = (): ParsedNetwork => {
      if (!snapshot) throw new Error('Read the Network table first: select it (with its header row) and click "Read selection" (or "Use current region").');
      const s = ctx.state();
      const level = s.defaultServiceLevel;
      if (!(level > 0 && level < 1)) throw new ValidationError("defaultServiceLevel", `The default service level must be above 0 % and below 100 % (e.g. 95 %), got ${pct(level)}.`);
      const grid = ctx.peek("policy")?.grid ?? defaultPolicyGrid();
      const parsed = parseNetwork(snapshot, { grid, defaultServiceLevel: level });
      ctx.set({ found: parsed.found, problems: parsed.problems });
      if (parsed.problems.length) {
        const more = parsed.problems.length > 1 ? ` (and ${parsed.problems.length - 1} more, listed below)` : "";
        throw new Error(`Fix the Network sheet first: ${parsed.problems[0]}${more}. Nothing was written.`);
      }
      return parsed;
    };

    async function solveNow(task: TaskContext): Promise<NetworkSolution> {
      const parsed = parse();
      const model = ctx.state().model;
      let result;
      try {
        result = await ctx.runner.run("gsm", { stages: parsed.stages, model }, { signal: task.signal, onProgress: task.progress });
      } catch (e) {
        if (e instanceof Error && e.name !== "AbortError") throw new Error(`The network cannot be solved: ${e.message.replace(/^network: /, "")}. Nothing was written.`);
        throw e;
      }
      const solution: NetworkSolution = { model, source: snapshot!.address, parsed, result };
      await settings.set(NETWORK_SETTINGS, { model, defaultServiceLevel: ctx.state().defaultServiceLevel });
      ctx.set({ solution, written: false });
      return solution;
    }

    function summary(s: NetworkSolution): string {
      const r = s.result;
      const holding = r.safetyStock.reduce((t, x) => t + (x > 1e-12 ? 1 : 0), 0);
      return `${r.stage.length} stages; safety stock at ${holding} of them, holding cost ${(Math.round(r.totalHoldingCostPerPeriod * 100) / 100).toLocaleString("en-US")} per period`;
    }

    const actions: NetworkActions = {
      async readSource(kind) {
        await ctx.task(kind === "selection" ? "Reading the Network table" : "Reading the region around the selection", async ({ progress }) => {
          const snap = kind === "selection" ? await ctx.gateway.readSelection({ onProgress: progress }) : await ctx.gateway.readCurrentRegion({ onProgress: progress });
          snapshot = snap;
          ctx.set({ source: { address: snap.address, rows: snap.values.length }, solution: null, written: false, problems: [], found: [] });
          let parsed: ParsedNetwork;
          try {
            parsed = parseNetwork(snap, { grid: ctx.peek("policy")?.grid ?? defaultPolicyGrid(), defaultServiceLevel: Math.min(0.999, Math.max(0.001, ctx.state().defaultServiceLevel || 0.95)) });
          } catch (e) {
            snapshot = null;
            ctx.set({ source: null });
            throw e;
          }
          ctx.set({ found: parsed.found, problems: parsed.problems });
          ctx.store.notice(
            parsed.problems.length
              ? `Read ${snap.address}: ${parsed.stages.length} stages, ${parsed.problems.length} cell(s) to fix (listed below).`
              : `Read ${snap.address}: ${parsed.stages.length} stages. Solve to see where the safety stock goes.`,
          );
        });
      },
      setModel(model) {
        ctx.set({ model, solution: null, written: false });
      },
      setDefaultServiceLevel(level) {
        ctx.set({ defaultServiceLevel: level, solution: null, written: false });
      },
      async solve() {
        await ctx.task(
          "Solving the network",
          async (task) => {
            const s = await solveNow(task);
            ctx.store.notice(`Solved: ${summary(s)}. Write the ${NETWORK_POLICY_SHEET} sheet to keep it.`);
          },
          { cancellable: true, cancelledNotice: "Cancelled: nothing changed." },
        );
      },
      async write() {
        await ctx.task(
          `Writing the ${NETWORK_POLICY_SHEET} sheet`,
          async (task) => {
            const s = await solveNow(task);
            const stamp = ctx.now();
            const levels = [...new Set(s.parsed.zSource.filter(Boolean))];
            const event: AuditEvent = {
              action: "network-policy-written",
              field: "network",
              newValue: `${s.result.stage.length} stages, safety-stock holding cost ${Math.round(s.result.totalHoldingCostPerPeriod * 100) / 100} per period`,
              reason: `solved as a ${s.model === "serial" ? "serial line" : "tree"} from ${s.source}; z from ${levels.length ? levels.slice(0, 6).join(", ") : "no customer stage"}${levels.length > 6 ? ", …" : ""}`,
            };
            let rows: AuditRow[] = [];
            let tip: AuditTip | null = null;
            const report = await ctx.gateway.writeSheets(
              {
                knownAuditTip: ctx.audit.knownTip(),
                prepare: async (found) => {
                  tip = found.audit;
                  rows = await ctx.audit.seal([event], found.audit);
                  return { plans: [networkPlan(s, stamp)], auditRows: rows };
                },
              },
              { signal: task.signal, onProgress: task.progress },
            );
            if (report.declined) return;
            if (tip) await ctx.audit.appended(tip, rows);
            ctx.set({ written: true });
            await ctx.store.emit("auditAppended", rows);
            ctx.store.notice(`Wrote the ${NETWORK_POLICY_SHEET} sheet: ${summary(s)}.`);
          },
          { cancellable: true, cancelledNotice: "Write cancelled: the workbook is as it was before." },
        );
      },
    };
    return { initial, actions };
  },
});
