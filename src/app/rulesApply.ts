/**
 * Business rules in the pane (issue 11): the Rules step's editable table as engine rules
 * (src/engine/rules.ts), the attributes a rule may test (every column of the read SKU table
 * outside the history block, by its header, and "History periods" = periods from the first
 * demand to the end of the history), validation that names the rule, and the outcome the
 * Classify step applies after churn control (a rule's segment replaces the computed one; its
 * service level and policy are recorded on the Segments sheet and handed to the Policy step as
 * RuleDecisions, src/app/rulePolicy.ts).
 */
import { ArgumentError } from "../engine/errors";
import { compileRules, describeRule, evaluateRules, historyPeriodsPerSku, RULE_OPERATORS, whyDecided, type BusinessRule, type RuleEvaluation, type RuleOperator, type RuleTarget } from "../engine/rules";
import { POLICY_METHODS, SEGMENTS, type PolicyMethod } from "../engine/policy";
import type { ClassificationResult } from "./classifyTypes";
import type { ColumnMapping } from "./mapping";
import type { ParsedTable } from "./parse";
import type { RangeSnapshot } from "./ports";

export const HISTORY_PERIODS_ATTRIBUTE = "History periods";
export const RULE_TARGET_LABELS: Record<RuleTarget, string> = { segment: "Segment", serviceLevel: "Service level (%)", policy: "Policy" };

/** One row of the pane's rule table: one condition and one outcome. */
export interface RuleRow {
  name: string;
  /** Blank = the row's position (1, 2, ...). */
  priority: number | null;
  field: string;
  op: RuleOperator;
  value: string;
  target: RuleTarget;
  /** Segment label, service level in percent (99.5), or policy name, as typed. */
  outcome: string;
}

export function emptyRuleRow(): RuleRow {
  return { name: "", priority: null, field: "", op: "=", value: "", target: "segment", outcome: "" };
}

/** A typed value as a rule operand: a number when it reads as one (for < ≤ > ≥ and numeric =), else the text. */
function operand(v: string, op: RuleOperator): unknown {
  const t = v.trim();
  if (op === "in" || op === "contains") return t;
  const x = Number(t.replace(/,/g, ""));
  return t !== "" && Number.isFinite(x) ? x : t;
}

/** The pane's rows as engine rules; a service level typed in percent becomes a fraction. Errors name the rule. */
export function toBusinessRules(rows: readonly RuleRow[]): BusinessRule[] {
  return rows.map((r, i) => {
    const label = r.name.trim() ? `rule ${i + 1} "${r.name.trim()}"` : `rule ${i + 1}`;
    if (!(RULE_OPERATORS as readonly string[]).includes(r.op)) throw new ArgumentError("rules", `${label}: operator ${JSON.stringify(r.op)} is not one of ${RULE_OPERATORS.join(" ")}`);
    if (r.priority !== null && !(Number.isInteger(r.priority) && r.priority >= 1)) throw new ArgumentError("rules", `${label}: priority must be a whole number from 1, got ${r.priority}`);
    const then: BusinessRule["then"] = {};
    const out = r.outcome.trim();
    if (out === "") throw new ArgumentError("rules", `${label}: give the ${RULE_TARGET_LABELS[r.target].toLowerCase()} it sets`);
    if (r.target === "serviceLevel") {
      const pct = Number(out.replace(/%$/, "").trim());
      if (!(Number.isFinite(pct) && pct > 0 && pct < 100)) throw new ArgumentError("rules", `${label}: service level must be a percentage above 0 and below 100 (e.g. 99.5), got ${JSON.stringify(out)}`);
      then.serviceLevel = pct / 100;
    } else if (r.target === "segment") then.segment = out;
    else then.policy = out;
    return { name: r.name.trim() || undefined, priority: r.priority ?? undefined, when: { field: r.field.trim(), op: r.op, value: operand(r.value, r.op) }, then };
  });
}

/** The attribute columns rules may test, by header, one value per SKU of the run. */
export function ruleAttributes(snap: RangeSnapshot, mapping: ColumnMapping, parsed: ParsedTable): Record<string, unknown[]> {
  const headerRow = snap.values[mapping.headerRow] ?? [];
  const out: Record<string, unknown[]> = {};
  const h = mapping.history;
  headerRow.forEach((hc, c) => {
    if (h && c >= h.first && c <= h.last) return;
    const pf = mapping.promotionFlags;
    if (pf && c >= pf.first && c <= pf.last) return;
    const name = hc === null || hc === undefined ? "" : String(hc).trim();
    if (name === "" || out[name] !== undefined) return;
    out[name] = Array.from(parsed.sheetRow, (row) => snap.values[row - snap.firstRow]?.[c] ?? null);
  });
  out[HISTORY_PERIODS_ATTRIBUTE] = Array.from(historyPeriodsPerSku(parsed.history, parsed.n, parsed.periods));
  return out;
}

/** The attributes rules may test on an imported extract (no sheet columns): SKU, Location, Family, Category and History periods. */
export const IMPORTED_RULE_FIELDS = ["SKU", "Location", "Family", "Category", HISTORY_PERIODS_ATTRIBUTE] as const;

/**
 * The attribute columns of an imported extract's run: the SKU and location of each history, the
 * family and category as decided over the import's sources (src/app/sourceFacts.ts), and History
 * periods (of the history as classified, i.e. after the as-of cut).
 */
export function importedRuleAttributes(
  h: { sku: readonly string[]; location: readonly string[] },
  parsed: ParsedTable,
  facts: { family: readonly string[]; category: readonly string[] },
): Record<string, unknown[]> {
  return {
    SKU: [...h.sku],
    Location: [...h.location],
    Family: [...facts.family],
    Category: [...facts.category],
    [HISTORY_PERIODS_ATTRIBUTE]: Array.from(historyPeriodsPerSku(parsed.history, parsed.n, parsed.periods)),
  };
}

/** Attribute names a rule may use, given the read headers (before a run: no values needed). */
export function ruleFieldNames(headers: readonly string[], mapping: ColumnMapping | null): string[] {
  const h = mapping?.history;
  const pf = mapping?.promotionFlags;
  const names = headers.filter((name, c) => name.trim() !== "" && !(h && c >= h.first && c <= h.last) && !(pf && c >= pf.first && c <= pf.last)).map((n) => n.trim());
  return [...new Set([...names, HISTORY_PERIODS_ATTRIBUTE])];
}

/**
 * Problems of a rule table against the attribute names (no SKU values needed): each names the
 * rule (unmapped field, operator and value, outcome). Contradictions need the SKUs and show at
 * Classify.
 */
export function ruleTableProblems(rows: readonly RuleRow[], fields: readonly string[]): string[] {
  if (rows.length === 0) return [];
  try {
    const rules = toBusinessRules(rows);
    const attrs = Object.fromEntries(fields.map((f) => [f, [] as unknown[]]));
    const compiled = compileRules(rules, attrs, 0);
    for (const r of compiled) {
      const p = r.then.policy !== undefined ? rulePolicyProblem(r.label, r.then.policy) : null;
      if (p) return [p];
    }
    return [];
  } catch (e) {
    return [e instanceof Error ? e.message.replace(/^rules: /, "") : String(e)];
  }
}

/**
 * What the rules decided per SKU beyond the segment, for the Policy step (index-aligned with the
 * run; structured-cloneable): the service level (NaN = none) and the policy (null = none), each
 * with the deciding rule's label ("" = none), and the segment before a rule replaced it.
 */
export interface RuleDecisions {
  serviceLevel: Float64Array;
  serviceLevelRule: string[];
  policy: (string | null)[];
  policyRule: string[];
  /** The segment after churn control, before a rule's segment (the grid row a rule's service level adjusts when the rule's segment has none). */
  computedSegment: string[];
}

/**
 * What a rule's policy name means to the Policy step: a segment of the policy grid ("AX": plan
 * with that row) or a method ("csl", "fill", "cost": the segment's row with that method); case
 * and spaces ignored. null when it is neither.
 */
export function rulePolicyTarget(policy: string): { segment?: string; method?: PolicyMethod } | null {
  const t = policy.trim();
  const seg = t.toUpperCase();
  if ((SEGMENTS as readonly string[]).includes(seg)) return { segment: seg };
  const m = t.toLowerCase();
  if ((POLICY_METHODS as readonly string[]).includes(m)) return { method: m as PolicyMethod };
  return null;
}

/** The problem of a rule's policy name the Policy step cannot use, naming the rule; null when usable. */
export function rulePolicyProblem(label: string, policy: string): string | null {
  return rulePolicyTarget(policy)
    ? null
    : `${label}: policy ${JSON.stringify(policy.trim())} is neither a segment of the policy grid (${SEGMENTS.join(", ")}) nor a method (${POLICY_METHODS.join(", ")})`;
}

export interface RuleOutcome {
  evaluation: RuleEvaluation;
  /** Service level and policy per SKU for the Policy step. */
  decisions: RuleDecisions;
  result: ClassificationResult;
  /** Per SKU: the rule that decided the segment ("" when none) and the "why this segment" text. */
  rule: string[];
  why: string[];
  /** Rules in words, in table order. */
  texts: string[];
  /** SKUs whose segment a rule decided. */
  decided: number;
}

/**
 * Evaluates the rules for a run and applies the segment outcomes. Throws (naming the rules and the
 * SKU) on a contradiction; nothing is changed then.
 */
export function applyRules(rows: readonly RuleRow[], attributes: Record<string, unknown[]>, parsed: ParsedTable, result: ClassificationResult): RuleOutcome {
  const ev = evaluateRules(toBusinessRules(rows), attributes, parsed.n, parsed.sku);
  const segment = [...result.segment];
  const notes = [...result.notes];
  const rule = new Array<string>(parsed.n).fill("");
  const why = new Array<string>(parsed.n);
  let decided = 0;
  for (let i = 0; i < parsed.n; i++) {
    const k = ev.segmentRule[i];
    why[i] = whyDecided(ev, "segment", i, "computed");
    if (k >= 0) {
      decided++;
      rule[i] = ev.rules[k].label;
      if (segment[i] !== ev.segment[i]) notes[i] = [notes[i], `segment ${ev.segment[i]} by ${ev.rules[k].label} (computed ${segment[i] || "none"})`].filter(Boolean).join("; ");
      segment[i] = ev.segment[i]!;
    }
    const extra = (["serviceLevel", "policy"] as const).filter((t) => (t === "serviceLevel" ? ev.serviceLevelRule : ev.policyRule)[i] >= 0).map((t) => whyDecided(ev, t, i));
    if (extra.length) {
      if (k < 0) rule[i] = extra.map((x) => x.split(":")[0]).join(", ");
      why[i] = [k >= 0 ? why[i] : "segment computed", ...extra].join("; ");
    }
  }
  const label = (k: number) => (k >= 0 ? ev.rules[k].label : "");
  const decisions: RuleDecisions = {
    serviceLevel: Float64Array.from(ev.serviceLevel),
    serviceLevelRule: Array.from(ev.serviceLevelRule, label),
    policy: [...ev.policy],
    policyRule: Array.from(ev.policyRule, label),
    computedSegment: [...result.segment],
  };
  return { evaluation: ev, decisions, result: { ...result, segment, notes }, rule, why, texts: ev.rules.map((r) => `${r.label}: ${describeRule(r)}`), decided };
}
