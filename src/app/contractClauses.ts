/**
 * The contract clauses the planner selects (one cell per clause or per contract, with a customer
 * column and optionally a contract id), the terms extracted from them (src/engine/contracts), the
 * planner's decisions on each term (accept, correct, reject), and the service tier those decisions
 * give each customer (src/engine/sla.ts tierForRequirement over the fill-rate / OTIF agreements).
 */
import { serviceRequirement, type ClauseExtraction, type ExtractedTerm, type TermKind } from "../engine/contracts/terms";
import { tierForRequirement, type ServiceAgreement } from "../engine/sla";
import { sheetCell } from "./a1";
import { detectHeaderRow, headersOf } from "./mapping";
import type { RangeSnapshot } from "./ports";

export interface ClauseMapping {
  headerRow: number;
  clause: number | null;
  customer: number | null;
  contract: number | null;
}

const SYNONYMS = {
  clause: ["clause", "clausetext", "text", "contracttext", "wording", "term", "terms", "servicelevelclause", "provision", "content"],
  customer: ["customer", "customerid", "customerno", "customername", "client", "account", "accountid", "soldto", "buyer"],
  contract: ["contract", "contractid", "contractno", "contractnumber", "agreement", "agreementid", "reference", "ref"],
} as const;

const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");

/** Proposes the columns: the header row as for the SKU table, else the first row (clause tables often hold no numbers). */
export function proposeClauseMapping(snapshot: RangeSnapshot): ClauseMapping {
  const headerRow = detectHeaderRow(snapshot.values) ?? 0;
  const headers = headersOf(snapshot, headerRow).map(norm);
  const pick = (list: readonly string[], taken: Set<number>) => {
    let best = -1;
    let bestScore = 0;
    headers.forEach((h, c) => {
      if (taken.has(c)) return;
      const i = list.indexOf(h);
      const s = i >= 0 ? 100 - i : list.some((x) => x.length >= 5 && h.includes(x)) ? 10 : 0;
      if (s > bestScore) {
        bestScore = s;
        best = c;
      }
    });
    if (best >= 0) taken.add(best);
    return best >= 0 ? best : null;
  };
  const taken = new Set<number>();
  const customer = pick(SYNONYMS.customer, taken);
  const contract = pick(SYNONYMS.contract, taken);
  let clause = pick(SYNONYMS.clause, taken);
  if (clause === null) {
    // the column with the longest text
    let longest = 0;
    headers.forEach((_, c) => {
      if (taken.has(c)) return;
      const len = snapshot.values.slice(headerRow + 1, headerRow + 21).reduce((s, r) => s + String(r[c] ?? "").length, 0);
      if (len > longest) {
        longest = len;
        clause = c;
      }
    });
  }
  return { headerRow, clause, customer, contract };
}

export function clauseMappingProblems(m: ClauseMapping, columns: number): string[] {
  const out: string[] = [];
  if (m.clause === null) out.push("Choose the column that holds the clause text.");
  if (m.customer === null) out.push("Choose the column that holds the customer id (the accepted terms set that customer's tier).");
  const cols = [m.clause, m.customer, m.contract].filter((c): c is number => c !== null);
  if (new Set(cols).size !== cols.length) out.push("Clause, customer and contract must be different columns.");
  if (cols.some((c) => c < 0 || c >= columns)) out.push("A mapped column points outside the selected range.");
  return out;
}

export interface ClauseRow {
  address: string;
  customer: string;
  contract: string;
  text: string;
}

/** The clause rows below the header (rows without clause text left out). */
export function clauseRows(snapshot: RangeSnapshot, m: ClauseMapping): ClauseRow[] {
  const out: ClauseRow[] = [];
  if (m.clause === null) return out;
  for (let r = m.headerRow + 1; r < snapshot.values.length; r++) {
    const row = snapshot.values[r];
    const text = row[m.clause];
    if (text === null || text === undefined || String(text).trim() === "") continue;
    out.push({
      address: sheetCell(snapshot.sheetName, snapshot.firstRow + r, snapshot.firstColumn + m.clause),
      customer: m.customer === null ? "" : String(row[m.customer] ?? "").trim(),
      contract: m.contract === null ? "" : String(row[m.contract] ?? "").trim(),
      text: String(text),
    });
  }
  return out;
}

export interface ClauseCard extends ClauseRow {
  terms: ExtractedTerm[];
  flagged: string | null;
  language: string;
}

export function clauseCards(rows: readonly ClauseRow[], extractions: readonly ClauseExtraction[]): ClauseCard[] {
  return rows.map((r, i) => ({ ...r, terms: extractions[i].terms, flagged: extractions[i].flagged, language: extractions[i].language.language }));
}

export interface TermDecision {
  status: "accepted" | "rejected";
  /** The planner changed the values before accepting. */
  corrected: boolean;
  kind: TermKind;
  min: number | null;
  max: number | null;
  unit: string | null;
  customer: string;
  /** The clause text span it came from. */
  text: string;
  address: string;
}

/** A term's key: the clause cell, its span and kind (stable across re-reads of the same clauses). */
export function termKey(address: string, t: Pick<ExtractedTerm, "start" | "end" | "kind">): string {
  return `${address}|${t.start}|${t.end}|${t.kind}`;
}

export interface CustomerTier {
  customer: string;
  /** Highest accepted fill-rate / OTIF minimum, as a share; null when none accepted. */
  requirement: number | null;
  tier: string | null;
  accepted: number;
  /** Why there is no tier, when there is none. */
  note: string;
}

/** Tier per customer from the accepted terms: the least demanding fill-rate / OTIF tier that meets the customer's highest requirement. */
export function customerTiers(decisions: Readonly<Record<string, TermDecision>>, agreements: readonly ServiceAgreement[]): CustomerTier[] {
  const byCustomer = new Map<string, TermDecision[]>();
  for (const d of Object.values(decisions)) {
    if (d.status !== "accepted" || !d.customer) continue;
    const list = byCustomer.get(d.customer);
    if (list) list.push(d);
    else byCustomer.set(d.customer, [d]);
  }
  const levels = new Map<string, number>();
  for (const a of agreements) if (a.measure !== "csl") levels.set(a.tier, Math.max(levels.get(a.tier) ?? 0, a.serviceLevel));
  const tiers = [...levels].map(([tier, serviceLevel]) => ({ tier, serviceLevel }));
  const out: CustomerTier[] = [];
  for (const [customer, list] of [...byCustomer].sort((a, b) => a[0].localeCompare(b[0]))) {
    const requirement = serviceRequirement(list.map((d) => ({ kind: d.kind, min: d.min })));
    const tier = tierForRequirement(requirement, tiers);
    const pctText = requirement === null ? "" : `${Math.round(requirement * 10000) / 100} %`;
    out.push({
      customer,
      requirement,
      tier,
      accepted: list.length,
      note: requirement === null ? "no fill-rate or OTIF term accepted" : tier ? "" : tiers.length ? `no fill-rate / OTIF tier reaches ${pctText}: add one` : "no fill-rate / OTIF agreement per tier yet: add one",
    });
  }
  return out;
}

const KIND_LABELS: Record<TermKind, string> = { fillRate: "Fill rate", otif: "OTIF", leadTime: "Lead time", penalty: "Penalty", cutoffTime: "Order cut-off" };

function clock(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = Math.round(minutes % 60);
  return `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`;
}

/** A term in words: "Fill rate at least 97.5 %", "Lead time within 3–5 working days", "Order cut-off 14:00 CET". */
export function describeTerm(t: Pick<ExtractedTerm, "kind" | "min" | "max" | "unit" | "per" | "timeZone">): string {
  const unit = t.unit === "%" ? " %" : t.unit ? ` ${t.unit}` : "";
  const money = t.unit === "EUR" || t.unit === "USD" || t.unit === "GBP";
  const value = (x: number) => (money ? `${t.unit} ${x}` : `${x}${unit}`);
  const label = KIND_LABELS[t.kind];
  if (t.kind === "cutoffTime") return t.min === null ? label : `${label} ${clock(t.min)}${t.timeZone ? ` ${t.timeZone}` : ""}`;
  if (t.kind === "penalty") {
    if (t.min === null) return "Penalty (no amount stated)";
    return `${label} ${value(t.min)}${t.per ? ` per ${t.per}` : ""}`;
  }
  if (t.min !== null && t.max !== null) return t.min === t.max ? `${label} ${value(t.min)}` : `${label} ${t.min}–${money ? value(t.max) : `${t.max}${unit}`}`;
  if (t.min !== null) return `${label} at least ${value(t.min)}`;
  if (t.max !== null) return `${label} within ${value(t.max)}`;
  return label;
}

/** The clause split into plain and highlighted parts (the terms' spans, overlaps merged). */
export function highlightParts(text: string, spans: readonly { start: number; end: number }[]): { text: string; mark: boolean }[] {
  const sorted = [...spans].filter((s) => s.end > s.start).sort((a, b) => a.start - b.start);
  const merged: { start: number; end: number }[] = [];
  for (const s of sorted) {
    const last = merged[merged.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else merged.push({ ...s });
  }
  const out: { text: string; mark: boolean }[] = [];
  let at = 0;
  for (const m of merged) {
    if (m.start > at) out.push({ text: text.slice(at, m.start), mark: false });
    out.push({ text: text.slice(m.start, m.end), mark: true });
    at = m.end;
  }
  if (at < text.length) out.push({ text: text.slice(at), mark: false });
  return out;
}
