/**
 * The Service step: service-level agreements per customer tier (a small table saved with the
 * workbook) set the minimum service level of the segments serving those customers; the conflicts
 * with the policy grid are listed in the tab and asked about before a Write. Customer tiers come
 * from the order lines' mapped tier column, or from contract terms the planner accepted (contract
 * clauses read from a range, terms extracted in the worker, each shown with its text span and
 * confidence to accept, correct or reject; the accepted terms win over the mapped tier).
 * The rules are the engine's (src/engine/sla.ts, src/engine/contracts).
 */
import type { SegmentPolicy } from "../../engine/policy";
import { segmentServiceFloors, slaConflicts, tiersServedBySegment, validateAgreements, type SegmentFloor, type ServiceAgreement, type SlaConflict, type SlaMeasure } from "../../engine/sla";
import { ArgumentError } from "../../engine/errors";
import { clauseCards, clauseMappingProblems, clauseRows, customerTiers, proposeClauseMapping, termKey, type ClauseCard, type ClauseMapping, type CustomerTier, type TermDecision } from "../contractClauses";
import { DIMENSION_SETTINGS } from "../dimensionSheets";
import { headersOf } from "../mapping";
import { effectiveSegments } from "../plans";
import type { RangeSnapshot } from "../ports";
import { defineStep } from "../step";
import { CANCEL_ANSWER } from "../writeContract";
import type { SourceInfo } from "./classify";

export interface ServiceState {
  agreements: ServiceAgreement[];
  agreementProblems: string[];
  /** Tiers served per planned segment (from the order lines); null without order lines with customers. */
  served: Record<string, string[]> | null;
  floors: SegmentFloor[];
  conflicts: SlaConflict[];
  /** Where the customer tiers came from. */
  tierCounts: { mapped: number; fromContracts: number };
  /** Contract clauses read, their mapping, and the extraction cards. */
  clauseSource: SourceInfo | null;
  clauseHeaders: string[];
  clauseMapping: ClauseMapping | null;
  clauseProblems: string[];
  cards: ClauseCard[] | null;
  /** The planner's decisions per term (termKey), saved with the workbook. */
  decisions: Record<string, TermDecision>;
  customerTiers: CustomerTier[];
}

export interface ServiceActions {
  addAgreement(): void;
  updateAgreement(index: number, patch: Partial<ServiceAgreement>): void;
  removeAgreement(index: number): void;
  readClauses(kind: "selection" | "region"): Promise<void>;
  setClauseColumn(field: "clause" | "customer" | "contract", column: number | null): void;
  /** Extracts the terms of every clause (worker). */
  extract(): Promise<void>;
  /** Accepts a term as extracted, or with corrected bounds. */
  accept(cardIndex: number, termIndex: number, correction?: { min: number | null; max: number | null }): void;
  reject(cardIndex: number, termIndex: number): void;
  /** Forgets the decision on a term (back to "to check"). */
  undecide(cardIndex: number, termIndex: number): void;
}

declare module "../store" {
  interface StepStates {
    service: ServiceState;
  }
  interface StepActions {
    service: ServiceActions;
  }
}

export const SLA_QUESTION = "service.slaConflicts";
const MAX_LISTED = 20;

export function defaultAgreements(): ServiceAgreement[] {
  return [];
}

function agreementProblems(list: readonly ServiceAgreement[]): string[] {
  try {
    validateAgreements(list);
    return [];
  } catch (e) {
    // The engine works in shares; the pane shows percent.
    const m = e instanceof ArgumentError ? e.message.replace(/^agreements: /, "") : String(e);
    return [`Service agreements: ${m.replace(/between 0 and 1 \(e\.g\. 0\.95\), got ([-\d.e+]+|NaN)/, (_, x) => `above 0 % and below 100 % (e.g. 95 %), got ${Number.isFinite(Number(x)) ? `${Math.round(Number(x) * 1e6) / 1e4} %` : x}`)}.`];
  }
}

export const serviceStep = defineStep({
  key: "service",
  create(ctx) {
    const store = ctx.gateway.settings;
    const agreements = store.get<ServiceAgreement[]>(DIMENSION_SETTINGS.slaAgreements) ?? defaultAgreements();
    const savedTerms = store.get<{ mapping?: ClauseMapping; decisions?: Record<string, TermDecision> }>(DIMENSION_SETTINGS.contractTerms) ?? {};
    const decisions = savedTerms.decisions ?? {};
    let clauseSnapshot: RangeSnapshot | null = null;
    const initial: ServiceState = {
      agreements,
      agreementProblems: agreementProblems(agreements),
      served: null,
      floors: [],
      conflicts: [],
      tierCounts: { mapped: 0, fromContracts: 0 },
      clauseSource: null,
      clauseHeaders: [],
      clauseMapping: null,
      clauseProblems: [],
      cards: null,
      decisions,
      customerTiers: customerTiers(decisions, agreements),
    };

    /** Tiers served per planned segment: the product run's segments of the order lines' SKUs, the customers' tiers. */
    function computeServed(): { served: Record<string, string[]> | null; tierCounts: ServiceState["tierCounts"] } {
      const run = ctx.peek("classify")?.run;
      const dim = ctx.peek("dimensions")?.run;
      const s = ctx.state();
      if (!run || !dim || dim.customerKeys.length === 0 || dim.skuKeys.length === 0) return { served: null, tierCounts: { mapped: 0, fromContracts: 0 } };
      const eff = effectiveSegments(run.parsed, run.result, ctx.overrides.all());
      const segOf = new Map<string, string>();
      run.parsed.sku.forEach((k, i) => segOf.set(k, eff.segment[i]));
      const labels = [...new Set(eff.segment.filter(Boolean))].sort();
      const index = new Map(labels.map((l, i) => [l, i]));
      const skuSeg = dim.skuKeys.map((k) => index.get(segOf.get(k) ?? "") ?? -1);
      const segmentOfLine = new Int32Array(dim.lineSku.length);
      for (let i = 0; i < segmentOfLine.length; i++) segmentOfLine[i] = dim.lineSku[i] >= 0 ? skuSeg[dim.lineSku[i]] : -1;
      const fromContracts = new Map(s.customerTiers.filter((t) => t.tier).map((t) => [t.customer, t.tier as string]));
      let mapped = 0;
      let contracts = 0;
      const tierOfCustomer = dim.customerKeys.map((c, k) => {
        const t = fromContracts.get(c);
        if (t) {
          contracts++;
          return t;
        }
        if (dim.customerTier[k]) mapped++;
        return dim.customerTier[k];
      });
      const served = tiersServedBySegment(segmentOfLine, labels, dim.lineCustomer, tierOfCustomer);
      return { served: Object.fromEntries(served), tierCounts: { mapped, fromContracts: contracts } };
    }

    let lastGrid: unknown = null;
    function check(): void {
      const s = ctx.state();
      const grid = (ctx.peek("policy")?.grid ?? []) as SegmentPolicy[];
      lastGrid = ctx.peek("policy")?.grid ?? null;
      if (!s.served || s.agreementProblems.length) {
        if (s.floors.length || s.conflicts.length) ctx.set({ floors: [], conflicts: [] });
        return;
      }
      const served = new Map(Object.entries(s.served));
      const floors = segmentServiceFloors(served, s.agreements);
      const conflicts = slaConflicts(grid, served, s.agreements);
      // Only a change re-renders the pane (this runs on every grid edit and before every Write).
      if (JSON.stringify([floors, conflicts]) !== JSON.stringify([s.floors, s.conflicts])) ctx.set({ floors, conflicts });
    }
    function recompute(): void {
      const next = computeServed();
      const s = ctx.state();
      if (JSON.stringify(next) !== JSON.stringify({ served: s.served, tierCounts: s.tierCounts })) ctx.set(next);
      check();
    }
    ctx.store.on("classified", recompute);
    ctx.store.on("dimensionsRun", recompute);
    ctx.store.on("overridesChanged", recompute);
    // The policy grid is another step's state: follow it by reference.
    ctx.store.subscribe(() => {
      const g = ctx.peek("policy")?.grid ?? null;
      if (g !== lastGrid && ctx.state()) check();
    });

    const setAgreements = (next: ServiceAgreement[]) => {
      const s = ctx.state();
      ctx.set({ agreements: next, agreementProblems: agreementProblems(next), customerTiers: customerTiers(s.decisions, next) });
      void store.set(DIMENSION_SETTINGS.slaAgreements, next);
      recompute();
    };
    const setDecisions = (next: Record<string, TermDecision>) => {
      const s = ctx.state();
      ctx.set({ decisions: next, customerTiers: customerTiers(next, s.agreements) });
      void store.set(DIMENSION_SETTINGS.contractTerms, { mapping: s.clauseMapping ?? undefined, decisions: next });
      recompute();
    };
    const termAt = (cardIndex: number, termIndex: number) => {
      const card = ctx.state().cards?.[cardIndex];
      const term = card?.terms[termIndex];
      if (!card || !term) throw new Error("That term is no longer listed: extract the terms again.");
      return { card, term, key: termKey(card.address, term) };
    };

    const actions: ServiceActions = {
      addAgreement() {
        const list = ctx.state().agreements;
        const names = ["gold", "silver", "bronze"];
        const tier = names.find((n) => !list.some((a) => a.tier === n)) ?? `tier ${list.length + 1}`;
        setAgreements([...list, { tier, serviceLevel: 0.95, measure: "fill" as SlaMeasure }]);
      },
      updateAgreement(index, patch) {
        setAgreements(ctx.state().agreements.map((a, i) => (i === index ? { ...a, ...patch } : a)));
      },
      removeAgreement(index) {
        setAgreements(ctx.state().agreements.filter((_, i) => i !== index));
      },
      async readClauses(kind) {
        await ctx.task("Reading the contract clauses", async ({ progress }) => {
          const snap = kind === "selection" ? await ctx.gateway.readSelection({ onProgress: progress }) : await ctx.gateway.readCurrentRegion({ onProgress: progress });
          if (snap.values.length < 2) throw new Error(`${snap.address} has ${snap.values.length} row(s): select the header row and at least one clause.`);
          clauseSnapshot = snap;
          const saved = (store.get<{ mapping?: ClauseMapping }>(DIMENSION_SETTINGS.contractTerms) ?? {}).mapping;
          const proposed = proposeClauseMapping(snap);
          const columns = snap.values[0]?.length ?? 0;
          const mapping = saved && clauseMappingProblems(saved, columns).length === 0 && saved.headerRow === proposed.headerRow ? saved : proposed;
          const source: SourceInfo = { sheetName: snap.sheetName, address: snap.address, firstRow: snap.firstRow, firstColumn: snap.firstColumn, rows: snap.values.length, columns };
          ctx.set({ clauseSource: source, clauseHeaders: headersOf(snap, mapping.headerRow), clauseMapping: mapping, clauseProblems: clauseMappingProblems(mapping, columns), cards: null });
          ctx.store.notice(`Read the clauses ${snap.address} (${(snap.values.length - 1 - mapping.headerRow).toLocaleString()} rows).`);
        });
      },
      setClauseColumn(field, column) {
        const s = ctx.state();
        if (!s.clauseMapping) return;
        const mapping = { ...s.clauseMapping, [field]: column };
        ctx.set({ clauseMapping: mapping, clauseProblems: clauseMappingProblems(mapping, s.clauseHeaders.length), cards: null });
      },
      async extract() {
        await ctx.task(
          "Reading the service terms",
          async ({ signal, progress }) => {
            const s = ctx.state();
            if (!clauseSnapshot || !s.clauseMapping) throw new Error('Read the contract clauses first: select them and click "Read clauses".');
            if (s.clauseProblems.length) throw new Error(s.clauseProblems[0]);
            const rows = clauseRows(clauseSnapshot, s.clauseMapping);
            if (rows.length === 0) throw new Error("No clause text below the header row.");
            const extractions = await ctx.runner.run("contractTerms", { clauses: rows.map((r) => r.text) }, { signal, onProgress: progress });
            const cards = clauseCards(rows, extractions);
            ctx.set({ cards });
            await store.set(DIMENSION_SETTINGS.contractTerms, { mapping: s.clauseMapping, decisions: s.decisions });
            const terms = cards.reduce((n, c) => n + c.terms.length, 0);
            const flagged = cards.filter((c) => c.flagged).length;
            ctx.store.notice(`${terms.toLocaleString()} service term(s) found in ${cards.length.toLocaleString()} clause(s)${flagged ? `; ${flagged} clause(s) flagged (not English: no terms read)` : ""}. Accept, correct or reject each one.`);
          },
          { cancellable: true },
        );
      },
      accept(cardIndex, termIndex, correction) {
        const { card, term, key } = termAt(cardIndex, termIndex);
        const min = correction ? correction.min : term.min;
        const max = correction ? correction.max : term.max;
        if (correction) {
          const bad = [min, max].some((x) => x !== null && !Number.isFinite(x)) || (min !== null && max !== null && min > max);
          if (bad) {
            ctx.store.fail(`${card.address}: the corrected ${term.kind === "fillRate" ? "fill rate" : term.kind} must be numbers with the minimum at most the maximum.`, "correction");
            return;
          }
          if ((term.kind === "fillRate" || term.kind === "otif") && [min, max].some((x) => x !== null && !(x > 0 && x <= 100))) {
            ctx.store.fail(`${card.address}: a fill rate or OTIF is a percentage above 0 and at most 100; got ${[min, max].filter((x) => x !== null).join(" and ")}.`, "correction");
            return;
          }
        }
        if (!card.customer) {
          ctx.store.fail(`${card.address}: the clause has no customer (map the customer column, or fill it in): its terms cannot set a tier.`);
          return;
        }
        const corrected = correction !== undefined && (min !== term.min || max !== term.max);
        setDecisions({ ...ctx.state().decisions, [key]: { status: "accepted", corrected, kind: term.kind, min, max, unit: term.unit, customer: card.customer, text: term.text, address: card.address } });
      },
      reject(cardIndex, termIndex) {
        const { card, term, key } = termAt(cardIndex, termIndex);
        setDecisions({ ...ctx.state().decisions, [key]: { status: "rejected", corrected: false, kind: term.kind, min: term.min, max: term.max, unit: term.unit, customer: card.customer, text: term.text, address: card.address } });
      },
      undecide(cardIndex, termIndex) {
        const { key } = termAt(cardIndex, termIndex);
        const next = { ...ctx.state().decisions };
        delete next[key];
        setDecisions(next);
      },
    };

    ctx.contribute({
      key: "service",
      sheets: [],
      blockers: () => {
        const s = ctx.state();
        return s.agreementProblems.length ? [`Fix the service agreements first (Service tab): ${s.agreementProblems[0]}`] : [];
      },
      parameters: () => (ctx.state().agreements.length ? { slaAgreements: ctx.state().agreements } : {}),
      question: () => {
        check();
        const c = ctx.state().conflicts;
        if (c.length === 0) return null;
        return {
          key: SLA_QUESTION,
          title: `The policy grid does not meet ${c.length} service agreement${c.length > 1 ? "s" : ""}`,
          text: "These segments serve customers whose tier's agreement asks for more than the policy grid gives. Raise them in the Policy tab, or write anyway:",
          items: [...c.slice(0, MAX_LISTED).map((x) => x.message), ...(c.length > MAX_LISTED ? [`… and ${c.length - MAX_LISTED} more.`] : [])],
          footer: "The agreements per tier are in the Service tab.",
          choices: [
            { answer: "write", label: "Write anyway", primary: true },
            { answer: CANCEL_ANSWER, label: "Don't write" },
          ],
        };
      },
      contribute: () => {
        const c = ctx.state().conflicts;
        return { plans: [], summary: c.length ? [`Written with ${c.length} service-agreement conflict(s) (Service tab).`] : [] };
      },
    });

    return { initial, actions };
  },
});
