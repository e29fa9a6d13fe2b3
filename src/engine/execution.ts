/**
 * Execution rules: an editable rule table per segment (and demand pattern, and customer class for
 * SKU × customer rows) that turns a segmentation into warehouse, transport and order-promising flags.
 *
 * Rule table. Each rule has an id, what it applies to, and the fields it sets (any subset):
 * - segment: a segment label with "*" as a one-character wildcard ("AX", "A*" = every A, "*Z"),
 *   or "*" alone for every segment; pattern: a Syntetos–Boylan pattern or "*" (default "*");
 *   customerClass: the ABC class of the customer ("A", "B", "C") or "*" (default "*"); a rule with
 *   a customer class applies only to SKU × customer rows of that class.
 * - pickingPriority (integer >= 1, 1 = picked first), transportMode ("express" | "standard" |
 *   "economy"), atpWindowDays (order-promising window: days ahead that available-to-promise is
 *   quoted from, >= 0), crossDock (eligible in principle) with crossDockMinVelocity (units per day)
 *   and crossDockMaxLeadTimeDays (replenishment lead time), slottingZone (pins a zone; otherwise it
 *   comes from the turnover rank), sequenceByMargin (production sequencing by margin).
 * Resolution (per field, like CSS specificity): of the rules that apply to a row and set the field,
 * the most specific wins; specificity = the number of fixed characters in segment (0-2) + 1 for a
 * fixed pattern + 1 for a fixed customer class. Two rules of the same highest specificity that set
 * the field to different values contradict each other: checkRuleTable lists every such pair with
 * a row they both apply to, and evaluateExecution refuses a table with a contradiction.
 *
 * Evaluation per row (SKU, or SKU × customer):
 * - slotting zone by turnover rank: classifyAbc (abc.ts) on the picks per day (order lines, the
 *   pick frequency), labels golden / silver / bronze, default cut-offs 0.5 / 0.8: the fastest movers
 *   that make up the first 50 % of the picks go to the golden zone (waist-to-shoulder height, next
 *   to the dispatch), as in popularity-based slotting (Frazelle, 2002, "World-Class Warehousing and
 *   Material Handling", ch. 4; Bartholdi & Hackman, "Warehouse & Distribution Science", ch. on
 *   slotting, where the fast movers take the most accessible locations).
 * - cross-dock: eligible when the resolved crossDock is true AND velocity >= min velocity AND the
 *   replenishment lead time <= max lead time (fast, quickly replenished items flow through without
 *   storage: Apte & Viswanathan, 2000, "Effective cross docking for improving distribution
 *   efficiencies", Int. J. Logistics Research and Applications 3(3)).
 * - production sequencing: rows whose resolved sequenceByMargin is true and that have a production
 *   line are ranked within their line by margin per unit of the constrained resource (unitMargin /
 *   constraintTime) when constraintTime is given, else by unitMargin; 1 = produced first; ties keep
 *   row order (theory of constraints product-mix rule: throughput per constraint minute, Goldratt &
 *   Cox, "The Goal"; Goldratt 1990, "The Haystack Syndrome").
 * Not set = 0 for the integer fields, "" for text, NaN for the window.
 */
import { classifyAbc } from "./abc";
import { ArgumentError, CellError, cellError } from "./errors";
import { PATTERN_LABELS } from "./pattern";
import { SEGMENTS } from "./policy";

export const TRANSPORT_MODES = ["express", "standard", "economy"] as const;
export type TransportMode = (typeof TRANSPORT_MODES)[number];
export const SLOTTING_ZONES = ["golden", "silver", "bronze"] as const;
export type SlottingZone = (typeof SLOTTING_ZONES)[number];
export const DEFAULT_SLOTTING_CUTOFFS: readonly number[] = [0.5, 0.8];

export const RULE_FIELDS = ["pickingPriority", "transportMode", "atpWindowDays", "crossDock", "crossDockMinVelocity", "crossDockMaxLeadTimeDays", "slottingZone", "sequenceByMargin"] as const;
export type RuleField = (typeof RULE_FIELDS)[number];

export interface ExecutionRule {
  id: string;
  segment: string;
  pattern?: string;
  customerClass?: string;
  pickingPriority?: number;
  transportMode?: TransportMode;
  atpWindowDays?: number;
  crossDock?: boolean;
  crossDockMinVelocity?: number;
  crossDockMaxLeadTimeDays?: number;
  slottingZone?: SlottingZone;
  sequenceByMargin?: boolean;
}

/** The combinations a rule table is checked over. */
export interface RuleUniverse {
  segments: readonly string[];
  patterns: readonly string[];
  /** "" = a product row (no customer). */
  customerClasses: readonly string[];
}

export function defaultRuleUniverse(): RuleUniverse {
  return { segments: [...SEGMENTS, "AN", "BN", "CN"], patterns: [...PATTERN_LABELS], customerClasses: ["", "A", "B", "C"] };
}

export interface RuleProblem {
  severity: "error" | "warning";
  /** Rule ids involved. */
  rules: string[];
  field?: RuleField;
  message: string;
}

const isWild = (x: string | undefined) => x === undefined || x === "*" || x === "";

function segmentMatches(rule: string, segment: string): boolean {
  if (rule === "*") return true;
  if (rule.length !== segment.length) return false;
  for (let i = 0; i < rule.length; i++) if (rule[i] !== "*" && rule[i] !== segment[i]) return false;
  return true;
}

export function ruleApplies(rule: ExecutionRule, segment: string, pattern: string, customerClass: string): boolean {
  return segmentMatches(rule.segment, segment) && (isWild(rule.pattern) || rule.pattern === pattern) && (isWild(rule.customerClass) || rule.customerClass === customerClass);
}

export function ruleSpecificity(rule: ExecutionRule): number {
  const seg = rule.segment === "*" ? 0 : [...rule.segment].filter((c) => c !== "*").length;
  return seg + (isWild(rule.pattern) ? 0 : 1) + (isWild(rule.customerClass) ? 0 : 1);
}

/** One rule on its own: ids, what it applies to, each field's range. */
function ruleFieldProblems(r: ExecutionRule): string[] {
  const out: string[] = [];
  const where = `rule ${r.id}`;
  if (typeof r.segment !== "string" || !/^(\*|[A-Za-z*]{1,4})$/.test(r.segment)) out.push(`${where}: segment "${String(r.segment)}" must be a segment label with * wildcards ("AX", "A*") or "*"`);
  if (!isWild(r.pattern) && !(PATTERN_LABELS as readonly string[]).includes(r.pattern!)) out.push(`${where}: pattern "${r.pattern}" must be one of ${PATTERN_LABELS.join(", ")} or *`);
  if (!isWild(r.customerClass) && !/^[A-Za-z]$/.test(r.customerClass!)) out.push(`${where}: customer class "${r.customerClass}" must be one letter (A, B, C) or *`);
  if (r.pickingPriority !== undefined && !(Number.isInteger(r.pickingPriority) && r.pickingPriority >= 1)) out.push(`${where}: picking priority must be a whole number >= 1 (1 = first), got ${r.pickingPriority}`);
  if (r.transportMode !== undefined && !TRANSPORT_MODES.includes(r.transportMode)) out.push(`${where}: transport mode must be one of ${TRANSPORT_MODES.join(", ")}, got "${String(r.transportMode)}"`);
  if (r.atpWindowDays !== undefined && !(Number.isFinite(r.atpWindowDays) && r.atpWindowDays >= 0)) out.push(`${where}: ATP window must be 0 or more days, got ${r.atpWindowDays}`);
  if (r.crossDockMinVelocity !== undefined && !(Number.isFinite(r.crossDockMinVelocity) && r.crossDockMinVelocity >= 0)) out.push(`${where}: cross-dock minimum velocity must be 0 or more units per day, got ${r.crossDockMinVelocity}`);
  if (r.crossDockMaxLeadTimeDays !== undefined && !(Number.isFinite(r.crossDockMaxLeadTimeDays) && r.crossDockMaxLeadTimeDays >= 0)) out.push(`${where}: cross-dock maximum lead time must be 0 or more days, got ${r.crossDockMaxLeadTimeDays}`);
  if (r.crossDock === false && (r.crossDockMinVelocity !== undefined || r.crossDockMaxLeadTimeDays !== undefined)) out.push(`${where}: cross-dock thresholds are given but crossDock is false`);
  if (r.slottingZone !== undefined && !SLOTTING_ZONES.includes(r.slottingZone)) out.push(`${where}: slotting zone must be one of ${SLOTTING_ZONES.join(", ")}, got "${String(r.slottingZone)}"`);
  return out;
}

interface Resolved {
  values: Partial<Record<RuleField, number | string | boolean>>;
  ruleOf: Partial<Record<RuleField, string>>;
  conflicts: { field: RuleField; a: ExecutionRule; b: ExecutionRule }[];
}

function resolve(rules: readonly ExecutionRule[], segment: string, pattern: string, customerClass: string): Resolved {
  const values: Resolved["values"] = {};
  const ruleOf: Resolved["ruleOf"] = {};
  const conflicts: Resolved["conflicts"] = [];
  const applying = rules.filter((r) => ruleApplies(r, segment, pattern, customerClass));
  for (const f of RULE_FIELDS) {
    let best = -1;
    let winner: ExecutionRule | undefined;
    for (const r of applying) {
      if (r[f] === undefined) continue;
      const s = ruleSpecificity(r);
      if (s > best) {
        best = s;
        winner = r;
      }
    }
    if (!winner) continue;
    values[f] = winner[f];
    ruleOf[f] = winner.id;
    for (const r of applying) if (r !== winner && r[f] !== undefined && ruleSpecificity(r) === best && r[f] !== winner[f]) conflicts.push({ field: f, a: winner, b: r });
  }
  return { values, ruleOf, conflicts };
}

/** Every problem of a rule table over the universe: bad fields, duplicate ids, contradictions (errors); rules that apply to nothing (warnings). */
export function checkRuleTable(rules: readonly ExecutionRule[], universe: RuleUniverse = defaultRuleUniverse()): RuleProblem[] {
  const out: RuleProblem[] = [];
  const ids = new Set<string>();
  for (const r of rules) {
    if (typeof r.id !== "string" || r.id.trim() === "") {
      out.push({ severity: "error", rules: [], message: `a rule for segment "${String(r.segment)}" has no id` });
      continue;
    }
    if (ids.has(r.id)) out.push({ severity: "error", rules: [r.id], message: `rule id ${r.id} appears twice` });
    ids.add(r.id);
    for (const m of ruleFieldProblems(r)) out.push({ severity: "error", rules: [r.id], message: m });
  }
  if (out.length) return out;
  const reported = new Set<string>();
  const used = new Set<string>();
  for (const s of universe.segments) {
    for (const p of universe.patterns) {
      for (const c of universe.customerClasses) {
        for (const r of rules) if (ruleApplies(r, s, p, c)) used.add(r.id);
        for (const x of resolve(rules, s, p, c).conflicts) {
          const [a, b] = [x.a.id, x.b.id].sort();
          const key = `${a}\u0000${b}\u0000${x.field}`;
          if (reported.has(key)) continue;
          reported.add(key);
          const row = `${s} / ${p}${c ? ` / customer ${c}` : ""}`;
          out.push({
            severity: "error",
            rules: [a, b],
            field: x.field,
            message: `rules ${a} and ${b} contradict each other on ${x.field}: both apply to ${row} with the same specificity and set ${String(x.a.id === a ? x.a[x.field] : x.b[x.field])} vs ${String(x.a.id === a ? x.b[x.field] : x.a[x.field])}; make one more specific or give them the same value`,
          });
        }
      }
    }
  }
  for (const r of rules) if (!used.has(r.id)) out.push({ severity: "warning", rules: [r.id], message: `rule ${r.id} applies to no segment, pattern and customer class in this run` });
  return out;
}

export interface ExecutionInput {
  rows: number;
  segment: readonly string[];
  /** Demand pattern per row; "" or missing = unknown (only pattern "*" rules apply). */
  pattern?: readonly string[];
  /** Customer ABC class per row for SKU × customer rows; missing = product rows. */
  customerClass?: readonly string[];
  /** Order lines (picks) per day: the turnover measure for slotting. */
  picks: ArrayLike<number>;
  /** Units per day, for cross-dock. */
  velocity: ArrayLike<number>;
  /** Replenishment lead time in days, for cross-dock. */
  leadTimeDays: ArrayLike<number>;
  /** Margin per unit (money), for production sequencing. */
  unitMargin?: ArrayLike<number>;
  /** Minutes of the constrained resource per unit; when given, sequencing ranks margin per minute. */
  constraintTime?: ArrayLike<number>;
  /** Production line per row; "" = bought in (not sequenced). */
  productionLine?: readonly string[];
}

export interface ExecutionOptions {
  slottingCutoffs?: ArrayLike<number>;
  /** Thresholds for rules with crossDock true that do not give their own. Defaults 0 and Infinity (no threshold). */
  crossDockMinVelocity?: number;
  crossDockMaxLeadTimeDays?: number;
}

export interface ExecutionFlags {
  rows: number;
  /** 0 = not set. */
  pickingPriority: Int32Array;
  /** "" = not set. */
  transportMode: string[];
  /** NaN = not set. */
  atpWindowDays: Float64Array;
  crossDock: Uint8Array;
  /** Why a row with crossDock allowed is not eligible ("velocity 2 < 5 units/day"), "" otherwise. */
  crossDockNote: string[];
  slottingZone: string[];
  /** 1 = first on its production line; 0 = not sequenced. */
  sequencePriority: Int32Array;
  /** Per row, field → the id of the rule that set it. */
  ruleOf: Partial<Record<RuleField, string>>[];
  /** Per-row problems (bad picks, velocity, margin...): the field concerned is left unset. */
  issues: Map<number, CellError>;
}

function col(name: string, x: ArrayLike<unknown> | undefined, n: number): void {
  if (x !== undefined && x.length !== n) throw new ArgumentError(name, `has ${x.length} rows but segment has ${n}`);
}

/** Evaluates the rule table per row. Throws ArgumentError("rules", ...) naming the first error of checkRuleTable. */
export function evaluateExecution(rules: readonly ExecutionRule[], input: ExecutionInput, options: ExecutionOptions = {}): ExecutionFlags {
  const n = input.rows;
  col("segment", input.segment, n);
  col("pattern", input.pattern, n);
  col("customerClass", input.customerClass, n);
  col("picks", input.picks, n);
  col("velocity", input.velocity, n);
  col("leadTimeDays", input.leadTimeDays, n);
  col("unitMargin", input.unitMargin, n);
  col("constraintTime", input.constraintTime, n);
  col("productionLine", input.productionLine, n);
  const base = defaultRuleUniverse();
  const universe: RuleUniverse = {
    segments: [...new Set([...base.segments, ...input.segment])],
    patterns: [...new Set([...base.patterns, ...(input.pattern ?? []), ""])],
    customerClasses: [...new Set([...base.customerClasses, ...(input.customerClass ?? [])])],
  };
  const errors = checkRuleTable(rules, universe).filter((p) => p.severity === "error");
  if (errors.length) throw new ArgumentError("rules", errors[0].message);
  const minVelDefault = options.crossDockMinVelocity ?? 0;
  const maxLtDefault = options.crossDockMaxLeadTimeDays ?? Infinity;

  const cache = new Map<string, Resolved>();
  const pickingPriority = new Int32Array(n);
  const transportMode = new Array<string>(n).fill("");
  const atpWindowDays = new Float64Array(n).fill(NaN);
  const crossDock = new Uint8Array(n);
  const crossDockNote = new Array<string>(n).fill("");
  const slottingZone = new Array<string>(n).fill("");
  const sequencePriority = new Int32Array(n);
  const ruleOf = new Array<Partial<Record<RuleField, string>>>(n);
  const issues = new Map<number, CellError>();
  const addIssue = (i: number, m: string) => {
    const prev = issues.get(i);
    issues.set(i, cellError(prev ? `${prev.message}; ${m}` : m));
  };
  const slotting = classifyAbc(input.picks, { cutoffs: options.slottingCutoffs ?? DEFAULT_SLOTTING_CUTOFFS, labels: [...SLOTTING_ZONES], classesOnly: true });
  const sequenced: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = input.segment[i] ?? "";
    const p = input.pattern?.[i] ?? "";
    const c = input.customerClass?.[i] ?? "";
    const key = `${s}\u0000${p}\u0000${c}`;
    let r = cache.get(key);
    if (r === undefined) {
      r = resolve(rules, s, p, c);
      cache.set(key, r);
    }
    const v = r.values;
    ruleOf[i] = r.ruleOf;
    if (v.pickingPriority !== undefined) pickingPriority[i] = v.pickingPriority as number;
    if (v.transportMode !== undefined) transportMode[i] = v.transportMode as string;
    if (v.atpWindowDays !== undefined) atpWindowDays[i] = v.atpWindowDays as number;
    if (v.slottingZone !== undefined) slottingZone[i] = v.slottingZone as string;
    else if (slotting.abc[i] >= 0) slottingZone[i] = SLOTTING_ZONES[slotting.abc[i]];
    else addIssue(i, `slotting: picks ${slotting.issues.get(i)?.message ?? "undefined"}`);
    if (v.crossDock === true) {
      const minVel = (v.crossDockMinVelocity as number | undefined) ?? minVelDefault;
      const maxLt = (v.crossDockMaxLeadTimeDays as number | undefined) ?? maxLtDefault;
      const vel = input.velocity[i];
      const lt = input.leadTimeDays[i];
      if (!(Number.isFinite(vel) && vel >= 0)) addIssue(i, `cross-dock: velocity ${vel} must be a number >= 0`);
      else if (!(Number.isFinite(lt) && lt >= 0)) addIssue(i, `cross-dock: lead time ${lt} must be a number of days >= 0`);
      else {
        const why = [vel >= minVel ? "" : `velocity ${vel} < ${minVel} units/day`, lt <= maxLt ? "" : `lead time ${lt} > ${maxLt} days`].filter(Boolean).join(", ");
        if (why) crossDockNote[i] = why;
        else crossDock[i] = 1;
      }
    }
    if (v.sequenceByMargin === true && input.productionLine !== undefined && input.productionLine[i]) {
      if (input.unitMargin === undefined) throw new ArgumentError("unitMargin", "sequencing by margin needs a margin per unit column: map it");
      const m = input.unitMargin[i];
      const t = input.constraintTime?.[i];
      if (!Number.isFinite(m)) addIssue(i, `sequencing: margin ${m} is not a finite number`);
      else if (t !== undefined && !(Number.isFinite(t) && t > 0)) addIssue(i, `sequencing: constraint time ${t} must be above 0 minutes per unit`);
      else sequenced.push(i);
    }
  }
  // Rank within each production line by margin (per constraint minute), highest first, ties in row order.
  const key = (i: number) => (input.constraintTime ? input.unitMargin![i] / input.constraintTime[i] : input.unitMargin![i]);
  const byLine = new Map<string, number[]>();
  for (const i of sequenced) {
    const l = input.productionLine![i];
    const list = byLine.get(l);
    if (list) list.push(i);
    else byLine.set(l, [i]);
  }
  for (const list of byLine.values()) {
    list.sort((a, b) => key(b) - key(a) || a - b);
    list.forEach((i, k) => (sequencePriority[i] = k + 1));
  }
  return { rows: n, pickingPriority, transportMode, atpWindowDays, crossDock, crossDockNote, slottingZone, sequencePriority, ruleOf, issues };
}

// ---- master-data checks ---------------------------------------------------------------------------

export interface MasterDataRecord {
  row: number;
  sku: string;
  /** Segment as typed on the sheet (or in the master data); null/undefined = not typed. */
  typedSegment?: string | null;
  computedSegment: string;
  /** A recorded planner override, if any. */
  overrideSegment?: string | null;
  /** Flags as typed; each is compared with the evaluated flag of the same row. */
  typed?: { pickingPriority?: number; transportMode?: string; atpWindowDays?: number; crossDock?: boolean; slottingZone?: string };
}

export interface MasterDataFinding {
  row: number;
  sku: string;
  field: "segment" | "pickingPriority" | "transportMode" | "atpWindowDays" | "crossDock" | "slottingZone";
  typed: string | number | boolean;
  expected: string | number | boolean | null;
  /** "refused": the change would misclassify (segment); "flagged": contradicts the rule table. */
  action: "refused" | "flagged";
  message: string;
}

/**
 * Master-data changes that would misclassify. Segment: the effective segment is the override when
 * one is recorded, else the computed one; a typed segment that differs is refused (record an
 * override instead). Flags: a typed flag that differs from the rule table's evaluation is flagged,
 * naming the rule that sets it. Rows are flags' row indexes (record.row).
 */
export function checkMasterData(records: readonly MasterDataRecord[], flags?: ExecutionFlags): MasterDataFinding[] {
  const out: MasterDataFinding[] = [];
  for (const r of records) {
    const effective = r.overrideSegment ? r.overrideSegment : r.computedSegment;
    const typed = r.typedSegment?.trim();
    if (typed && typed !== effective) {
      out.push({
        row: r.row,
        sku: r.sku,
        field: "segment",
        typed,
        expected: effective,
        action: "refused",
        message: `${r.sku}: segment "${typed}" typed by hand differs from the ${r.overrideSegment ? "override" : "computed segment"} "${effective}"; record an override with a reason instead`,
      });
    }
    if (!r.typed || !flags) continue;
    const i = r.row;
    if (!(i >= 0 && i < flags.rows)) throw new ArgumentError("records", `${r.sku}: row ${i} is outside the evaluated flags (0..${flags.rows - 1})`);
    const expected: Record<string, string | number | boolean | null> = {
      pickingPriority: flags.pickingPriority[i] || null,
      transportMode: flags.transportMode[i] || null,
      atpWindowDays: Number.isNaN(flags.atpWindowDays[i]) ? null : flags.atpWindowDays[i],
      crossDock: flags.crossDock[i] === 1,
      slottingZone: flags.slottingZone[i] || null,
    };
    for (const [field, value] of Object.entries(r.typed) as [MasterDataFinding["field"], string | number | boolean | undefined][]) {
      if (value === undefined || !(field in expected)) continue;
      const e = expected[field];
      if (value === e) continue;
      const rule = flags.ruleOf[i][field as RuleField];
      const by = rule ? `rule ${rule}` : field === "slottingZone" ? "the turnover rank" : field === "crossDock" ? "the cross-dock rule and thresholds" : "no rule (not set)";
      out.push({ row: i, sku: r.sku, field, typed: value, expected: e, action: "flagged", message: `${r.sku}: ${field} ${String(value)} contradicts ${by}, which gives ${e === null ? "nothing" : String(e)}` });
    }
  }
  return out;
}

// ---- flat export (RFC 4180) --------------------------------------------------------------------------

export type CsvValue = string | number | boolean | null | undefined;

/** One field per RFC 4180 section 2: quoted when it holds a comma, a double quote, CR or LF; quotes doubled. Numbers with "." and no exponent for ordinary values; booleans Y / N; null, undefined and NaN empty. */
export function csvField(v: CsvValue): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "boolean") return v ? "Y" : "N";
  if (typeof v === "number") return csvNumber(v);
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function csvNumber(x: number): string {
  if (!Number.isFinite(x)) return "";
  if (Number.isInteger(x) && Math.abs(x) < 1e21) return String(x);
  const s = Math.abs(x) >= 1e-6 && Math.abs(x) < 1e21 ? x.toFixed(10).replace(/0+$/, "").replace(/\.$/, "") : String(x);
  return s === "-0" ? "0" : s;
}

/** Header and records joined with CRLF, every record (the last too) ending in CRLF. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  const lines = [header.map(csvField).join(",")];
  for (const r of rows) {
    if (r.length !== header.length) throw new ArgumentError("rows", `a record has ${r.length} fields but the header has ${header.length}`);
    lines.push(r.map(csvField).join(","));
  }
  return lines.join("\r\n") + "\r\n";
}

export const EXECUTION_CSV_HEADER = ["sku", "customer", "segment", "pattern", "pickingPriority", "transportMode", "atpWindowDays", "crossDock", "slottingZone", "sequencePriority", "rules"] as const;

/** The execution flags as a flat CSV for partner systems, one record per row, EXECUTION_CSV_HEADER columns. */
export function executionCsv(flags: ExecutionFlags, ids: { sku: readonly string[]; customer?: readonly string[]; segment: readonly string[]; pattern?: readonly string[] }): string {
  const rows: CsvValue[][] = [];
  for (let i = 0; i < flags.rows; i++) {
    const rules = [...new Set(Object.values(flags.ruleOf[i]))].join(" ");
    rows.push([
      ids.sku[i],
      ids.customer?.[i] ?? "",
      ids.segment[i],
      ids.pattern?.[i] ?? "",
      flags.pickingPriority[i] || null,
      flags.transportMode[i],
      flags.atpWindowDays[i],
      flags.crossDock[i] === 1,
      flags.slottingZone[i],
      flags.sequencePriority[i] || null,
      rules,
    ]);
  }
  return toCsv(EXECUTION_CSV_HEADER, rows);
}
