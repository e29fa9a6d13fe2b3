/**
 * Business rules: an ordered table of "when <conditions> then <segment / service level / policy>"
 * evaluated per SKU over its mapped attributes, naming the rule that decided each outcome (the
 * Segments sheet's "why this segment").
 *
 * The condition language, kept small on purpose:
 *   condition := field operator value       (a rule's conditions must all hold: AND)
 *   operator  := =  ≠  <  ≤  >  ≥  in  contains      (ASCII spellings: == != <> <= >=)
 * - field: a mapped attribute (column) name, matched trimmed and case-insensitively. A rule that
 *   names a field that is not mapped is rejected as a whole (ArgumentError naming the rule).
 * - = and ≠: a number value matches a cell holding that number (text is never read as a number);
 *   a text value matches the cell's text, trimmed and case-insensitively (numbers as written by
 *   String, TRUE/FALSE, blank as ""). ≠ is the negation of =.
 * - < ≤ > ≥: the value must be a number; a cell that is not a finite number does not match.
 * - in: the value is a list (an array, or text separated by commas or semicolons); matches when
 *   = matches any item.
 * - contains: case-insensitive substring of the cell's text.
 * Outcomes: `segment` (a label, e.g. "NEW", "EOL"), `serviceLevel` (a fraction in (0, 1), e.g.
 * 0.995), `policy` (a name, e.g. "make to order"); a rule sets one or more of them.
 * Deciding: each outcome is decided separately, by the matching rule with the best priority
 * (lowest number) that sets it; a rule's priority defaults to its position in the table (1, 2, ...),
 * so by default the first matching rule wins. Two matching rules with the same priority that set
 * the same outcome to different values contradict each other: ArgumentError naming both rules and
 * the SKU. A SKU no rule decides keeps its computed outcome (reported as null / NaN / -1 here).
 */
import { ArgumentError } from "./errors";

export const RULE_OPERATORS = ["=", "≠", "<", "≤", ">", "≥", "in", "contains"] as const;
export type RuleOperator = (typeof RULE_OPERATORS)[number];
const ALIASES: Record<string, RuleOperator> = { "==": "=", "!=": "≠", "<>": "≠", "<=": "≤", ">=": "≥" };

export interface RuleCondition {
  field: string;
  op: RuleOperator | "==" | "!=" | "<>" | "<=" | ">=";
  value: unknown;
}

export interface RuleOutcome {
  segment?: string;
  serviceLevel?: number;
  policy?: string;
}

export interface BusinessRule {
  /** Shown in messages and in "why" (default: "rule <n>"). */
  name?: string;
  /** Lower decides first; default the rule's 1-based position. */
  priority?: number;
  when: RuleCondition | readonly RuleCondition[];
  then: RuleOutcome;
}

export const RULE_TARGETS = ["segment", "serviceLevel", "policy"] as const;
export type RuleTarget = (typeof RULE_TARGETS)[number];
const TARGET_WORDS: Record<RuleTarget, string> = { segment: "segment", serviceLevel: "service level", policy: "policy" };

interface CompiledCondition {
  /** Column values. */
  column: readonly unknown[];
  field: string;
  op: RuleOperator;
  /** Number for numeric comparisons and numeric =; lower-cased text otherwise. */
  num: number;
  text: string;
  numeric: boolean;
  /** The value as given, for descriptions. */
  shown: string;
  list: { num: number; text: string; numeric: boolean; shown: string }[];
}

export interface CompiledRule {
  index: number;
  name: string;
  /** How messages name it: 'rule 3' or 'rule 3 "EOL items"'. */
  label: string;
  priority: number;
  conditions: CompiledCondition[];
  then: RuleOutcome;
  /** The rule in words, e.g. 'Category = "Critical spares" → service level 99.5%'. */
  text: string;
}

/** "rule 3" or 'rule 3 "EOL items"': how messages name a rule. */
function ruleLabel(index: number, name?: string): string {
  return name !== undefined && name.trim() !== "" ? `rule ${index + 1} "${name.trim()}"` : `rule ${index + 1}`;
}

function normaliseField(f: string): string {
  return f.trim().toLowerCase();
}

function cellText(c: unknown): string {
  if (c === null || c === undefined) return "";
  if (typeof c === "boolean") return c ? "true" : "false";
  return String(c).trim().toLowerCase();
}

function operand(v: unknown, label: string): { num: number; text: string; numeric: boolean; shown: string } {
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new ArgumentError("rules", `${label}: value ${v} is not a finite number`);
    return { num: v, text: String(v), numeric: true, shown: String(v) };
  }
  if (typeof v === "string" || typeof v === "boolean" || v === null || v === undefined) {
    return { num: NaN, text: cellText(v), numeric: false, shown: JSON.stringify(typeof v === "string" ? v.trim() : cellText(v)) };
  }
  throw new ArgumentError("rules", `${label}: value ${JSON.stringify(v)} must be a number or a text`);
}

/**
 * Checks and prepares a rule table against the mapped attribute columns (name → one value per
 * SKU, all of length `rows`). Every problem is an ArgumentError naming the rule.
 */
export function compileRules(rules: readonly BusinessRule[], attributes: Readonly<Record<string, readonly unknown[]>>, rows: number): CompiledRule[] {
  const columns = new Map<string, { name: string; values: readonly unknown[] }>();
  for (const [name, values] of Object.entries(attributes)) {
    if (values.length !== rows) throw new ArgumentError("attributes", `column "${name}" has ${values.length} values but there are ${rows} SKUs`);
    columns.set(normaliseField(name), { name, values });
  }
  const available = [...columns.values()].map((c) => c.name).join(", ") || "none";
  return rules.map((rule, index) => {
    const label = ruleLabel(index, rule.name);
    const priority = rule.priority ?? index + 1;
    if (!Number.isFinite(priority)) throw new ArgumentError("rules", `${label}: priority must be a number, got ${String(rule.priority)}`);
    const when = Array.isArray(rule.when) ? (rule.when as readonly RuleCondition[]) : [rule.when as RuleCondition];
    if (when.length === 0) throw new ArgumentError("rules", `${label}: give at least one condition`);
    const conditions = when.map((c): CompiledCondition => {
      const col = typeof c.field === "string" ? columns.get(normaliseField(c.field)) : undefined;
      if (col === undefined) throw new ArgumentError("rules", `${label}: field ${JSON.stringify(c.field)} is not a mapped column (mapped: ${available})`);
      const op = (RULE_OPERATORS as readonly string[]).includes(c.op) ? (c.op as RuleOperator) : ALIASES[c.op];
      if (op === undefined) throw new ArgumentError("rules", `${label}: operator ${JSON.stringify(c.op)} is not one of ${RULE_OPERATORS.join(" ")}`);
      const base = { column: col.values, field: col.name, op, num: NaN, text: "", numeric: false, shown: "", list: [] as CompiledCondition["list"] };
      if (op === "in") {
        const items = Array.isArray(c.value) ? (c.value as unknown[]) : typeof c.value === "string" ? c.value.split(/[;,]/) : [c.value];
        const list = items.map((v) => operand(typeof v === "string" ? v.trim() : v, label)).filter((o) => o.numeric || o.text !== "");
        if (list.length === 0) throw new ArgumentError("rules", `${label}: "in" needs a list of values, e.g. "EOL, Phase-out"`);
        return { ...base, list };
      }
      const o = operand(c.value, label);
      if ((op === "<" || op === "≤" || op === ">" || op === "≥") && !o.numeric) {
        throw new ArgumentError("rules", `${label}: ${op} needs a number, got ${JSON.stringify(c.value)}`);
      }
      if (op === "contains" && (o.numeric || o.text === "")) throw new ArgumentError("rules", `${label}: contains needs a text, got ${JSON.stringify(c.value)}`);
      return { ...base, ...o };
    });
    const then = rule.then ?? {};
    const sets = RULE_TARGETS.filter((t) => then[t] !== undefined);
    if (sets.length === 0) throw new ArgumentError("rules", `${label}: sets nothing; give a segment, a service level or a policy`);
    if (then.segment !== undefined && !(typeof then.segment === "string" && then.segment.trim() !== "")) throw new ArgumentError("rules", `${label}: segment must be a non-empty text`);
    if (then.policy !== undefined && !(typeof then.policy === "string" && then.policy.trim() !== "")) throw new ArgumentError("rules", `${label}: policy must be a non-empty text`);
    if (then.serviceLevel !== undefined && !(typeof then.serviceLevel === "number" && then.serviceLevel > 0 && then.serviceLevel < 1)) {
      throw new ArgumentError("rules", `${label}: service level must be strictly between 0 and 1 (e.g. 0.995 for 99.5%), got ${String(then.serviceLevel)}`);
    }
    const compiled: CompiledRule = {
      index,
      name: rule.name?.trim() || `rule ${index + 1}`,
      label,
      priority,
      conditions,
      then: { segment: then.segment?.trim(), serviceLevel: then.serviceLevel, policy: then.policy?.trim() },
      text: "",
    };
    compiled.text = describeRule(compiled);
    return compiled;
  });
}

function showValue(c: CompiledCondition): string {
  return c.op === "in" ? `{${c.list.map((o) => o.shown).join(", ")}}` : c.shown;
}

/** A compiled rule in words: 'Category = "Critical spares" → service level 99.5%'. */
export function describeRule(rule: CompiledRule): string {
  const when = rule.conditions.map((c) => `${c.field} ${c.op} ${showValue(c)}`).join(" and ");
  const then: string[] = [];
  if (rule.then.segment !== undefined) then.push(`segment ${rule.then.segment}`);
  if (rule.then.serviceLevel !== undefined) then.push(`service level ${Number((rule.then.serviceLevel * 100).toPrecision(10))}%`);
  if (rule.then.policy !== undefined) then.push(`policy ${rule.then.policy}`);
  return `${when} → ${then.join(", ")}`;
}

function equalsCell(cell: unknown, o: { num: number; text: string; numeric: boolean }): boolean {
  if (o.numeric) return typeof cell === "number" && cell === o.num;
  return cellText(cell) === o.text;
}

/** Which rows satisfy one condition, as 0/1 flags. */
function conditionMask(c: CompiledCondition, rows: number): Uint8Array {
  const out = new Uint8Array(rows);
  const col = c.column;
  for (let i = 0; i < rows; i++) {
    const cell = col[i];
    let hit: boolean;
    switch (c.op) {
      case "=":
        hit = equalsCell(cell, c);
        break;
      case "≠":
        hit = !equalsCell(cell, c);
        break;
      case "<":
        hit = typeof cell === "number" && Number.isFinite(cell) && cell < c.num;
        break;
      case "≤":
        hit = typeof cell === "number" && Number.isFinite(cell) && cell <= c.num;
        break;
      case ">":
        hit = typeof cell === "number" && Number.isFinite(cell) && cell > c.num;
        break;
      case "≥":
        hit = typeof cell === "number" && Number.isFinite(cell) && cell >= c.num;
        break;
      case "in":
        hit = c.list.some((o) => equalsCell(cell, o));
        break;
      case "contains":
        hit = cellText(cell).includes(c.text);
        break;
    }
    out[i] = hit ? 1 : 0;
  }
  return out;
}

export interface RuleEvaluation {
  rules: CompiledRule[];
  /** Rule-decided segment per SKU; null = not decided by a rule (keep the computed one). */
  segment: (string | null)[];
  /** Index of the rule that decided the segment (into rules), -1 when none. */
  segmentRule: Int32Array;
  /** Rule-decided service level; NaN when none. */
  serviceLevel: Float64Array;
  serviceLevelRule: Int32Array;
  /** Rule-decided policy; null when none. */
  policy: (string | null)[];
  policyRule: Int32Array;
  /** SKUs each rule matched (whether or not it decided anything for them). */
  matchedCount: Int32Array;
}

/**
 * Evaluates a rule table per SKU (module comment). `skus`, when given, names SKUs in the
 * contradiction error (otherwise "row <n>", 1-based).
 */
export function evaluateRules(
  rules: readonly BusinessRule[],
  attributes: Readonly<Record<string, readonly unknown[]>>,
  rows: number,
  skus?: readonly unknown[],
): RuleEvaluation {
  const compiled = compileRules(rules, attributes, rows);
  const masks = compiled.map((r) => {
    const m = conditionMask(r.conditions[0], rows);
    for (let k = 1; k < r.conditions.length; k++) {
      const more = conditionMask(r.conditions[k], rows);
      for (let i = 0; i < rows; i++) m[i] &= more[i];
    }
    return m;
  });
  const segment = new Array<string | null>(rows).fill(null);
  const policy = new Array<string | null>(rows).fill(null);
  const serviceLevel = new Float64Array(rows).fill(NaN);
  const segmentRule = new Int32Array(rows).fill(-1);
  const serviceLevelRule = new Int32Array(rows).fill(-1);
  const policyRule = new Int32Array(rows).fill(-1);
  const matchedCount = new Int32Array(compiled.length);
  // Rules in priority order (stable: equal priorities keep table order).
  const order = compiled.map((_, k) => k).sort((a, b) => compiled[a].priority - compiled[b].priority || a - b);
  const decide = (target: RuleTarget, i: number, k: number, ruleOf: Int32Array, set: () => void, same: () => boolean) => {
    const holder = ruleOf[i];
    if (holder < 0) {
      ruleOf[i] = k;
      set();
    } else if (compiled[holder].priority === compiled[k].priority && !same()) {
      const who = skus !== undefined && i < skus.length ? `SKU ${JSON.stringify(String(skus[i]))}` : `row ${i + 1}`;
      const a = compiled[holder];
      const b = compiled[k];
      throw new ArgumentError(
        "rules",
        `${a.label} and ${b.label} have the same priority (${a.priority}) and set the ${TARGET_WORDS[target]} of ${who} differently (${String(a.then[target])} vs ${String(b.then[target])}); give them different priorities`,
      );
    }
  };
  for (const k of order) {
    const r = compiled[k];
    const m = masks[k];
    for (let i = 0; i < rows; i++) {
      if (m[i] === 0) continue;
      matchedCount[k]++;
      if (r.then.segment !== undefined) decide("segment", i, k, segmentRule, () => (segment[i] = r.then.segment!), () => segment[i] === r.then.segment);
      if (r.then.serviceLevel !== undefined) {
        decide("serviceLevel", i, k, serviceLevelRule, () => (serviceLevel[i] = r.then.serviceLevel!), () => serviceLevel[i] === r.then.serviceLevel);
      }
      if (r.then.policy !== undefined) decide("policy", i, k, policyRule, () => (policy[i] = r.then.policy!), () => policy[i] === r.then.policy);
    }
  }
  return { rules: compiled, segment, segmentRule, serviceLevel, serviceLevelRule, policy, policyRule, matchedCount };
}

/**
 * "Why" for one outcome of SKU i: the deciding rule in words, e.g.
 * 'rule 2 "EOL items": Lifecycle = "EOL" → segment EOL', or `computed` when no rule decided it.
 */
export function whyDecided(ev: RuleEvaluation, target: RuleTarget, i: number, computed = "computed"): string {
  const k = (target === "segment" ? ev.segmentRule : target === "serviceLevel" ? ev.serviceLevelRule : ev.policyRule)[i];
  if (k < 0) return computed;
  const r = ev.rules[k];
  return `${r.label}: ${r.text}`;
}

/** whyDecided for the segment: the Segments sheet's "why this segment". */
export function whySegment(ev: RuleEvaluation, i: number, computed = "computed"): string {
  return whyDecided(ev, "segment", i, computed);
}

/**
 * Periods of history per SKU, counted from its first period with demand > 0 to the end of the
 * history (a SKU launched 5 periods ago has 5, however many older empty columns the sheet has;
 * one with no demand at all has 0). For rules such as "History periods < 6 → NEW".
 * `demand` is row-major rows × periods; a NaN cell counts as no demand.
 */
export function historyPeriodsPerSku(demand: ArrayLike<number>, rows: number, periods: number): Int32Array {
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let j = 0;
    while (j < periods && !(demand[r * periods + j] > 0)) j++;
    out[r] = periods - j;
  }
  return out;
}
