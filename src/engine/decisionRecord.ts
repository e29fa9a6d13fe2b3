/**
 * Decision record: the rationale a planner writes for a run's boundaries and dimension. Pure check:
 * given the previous run's model parameters and the new ones, is a rationale required, and is it
 * there?
 *
 * Rule: a rationale is required when any boundary changes (ABC cut-offs, second-axis cut-offs,
 * XYZ cut-offs, carbon-tier cut-offs), when the dimension or the criterion changes, or when the
 * criterion weights change. Cut-offs are compared with the classification tolerance (1e-12
 * relative, abc.ts CUTOFF_TOLERANCE); weights after normalisation to sum 1 (so 2:2 equals 1:1).
 * A first run (no previous parameters) is compared with the defaults (ABC 0.8/0.95, XYZ 0.5/1.0,
 * product dimension, value criterion).
 * A rationale counts as present when, trimmed, it has at least MIN_RATIONALE_CHARS characters and
 * two words, so "ok" or "." do not pass.
 */
import { CUTOFF_TOLERANCE } from "./abc";

export const MIN_RATIONALE_CHARS = 10;

export interface ModelParameters {
  dimension: string;
  criterion: string;
  abcCutoffs: readonly number[];
  xyzCutoffs?: readonly number[];
  /** Second axis of a two-axis ABC. */
  secondCutoffs?: readonly number[];
  carbonCutoffs?: readonly number[];
  /** Weighted score: criterion name → weight as given. */
  weights?: Readonly<Record<string, number>>;
}

export interface DecisionRecord {
  rationale: string;
  author?: string;
  /** ISO 8601 time the rationale was written. */
  at?: string;
  modelVersion?: string;
  /** The parameters it justifies. */
  parameters: ModelParameters;
}

export const DEFAULT_MODEL_PARAMETERS: ModelParameters = { dimension: "product", criterion: "value", abcCutoffs: [0.8, 0.95], xyzCutoffs: [0.5, 1.0] };

export interface RationaleCheck {
  required: boolean;
  present: boolean;
  /** false only when a rationale is required and missing. */
  ok: boolean;
  /** What changed, one line each, e.g. "ABC cut-offs 0.8, 0.95 → 0.7, 0.9". */
  changes: string[];
  message: string;
}

function sameCutoffs(a: readonly number[] | undefined, b: readonly number[] | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.length !== b.length) return false;
  return a.every((x, i) => Math.abs(x - b[i]) <= Math.max(Math.abs(x), Math.abs(b[i])) * CUTOFF_TOLERANCE);
}

function normalised(w: Readonly<Record<string, number>> | undefined): Map<string, number> {
  const m = new Map<string, number>();
  if (!w) return m;
  const sum = Object.values(w).reduce((s, x) => s + x, 0);
  for (const [k, v] of Object.entries(w)) if (v !== 0) m.set(k, sum > 0 ? v / sum : v);
  return m;
}

const list = (c: readonly number[] | undefined) => (c === undefined ? "none" : c.join(", "));

/** The differences between two parameter sets that need a rationale, in words. */
export function parameterChanges(prev: ModelParameters | null, next: ModelParameters): string[] {
  const p = prev ?? DEFAULT_MODEL_PARAMETERS;
  const out: string[] = [];
  if (p.dimension !== next.dimension) out.push(`dimension ${p.dimension} → ${next.dimension}`);
  if (p.criterion !== next.criterion) out.push(`criterion ${p.criterion} → ${next.criterion}`);
  const cut: [string, keyof ModelParameters][] = [
    ["ABC cut-offs", "abcCutoffs"],
    ["XYZ cut-offs", "xyzCutoffs"],
    ["second-axis cut-offs", "secondCutoffs"],
    ["carbon-tier cut-offs", "carbonCutoffs"],
  ];
  for (const [name, key] of cut) {
    const a = p[key] as readonly number[] | undefined;
    const b = next[key] as readonly number[] | undefined;
    // A boundary not used in one of the runs (undefined) counts as a change only when the new run uses it.
    if (b !== undefined && !sameCutoffs(a, b)) out.push(`${name} ${list(a)} → ${list(b)}`);
  }
  const wa = normalised(p.weights);
  const wb = normalised(next.weights);
  const names = [...new Set([...wa.keys(), ...wb.keys()])].sort();
  const changed = names.filter((k) => Math.abs((wa.get(k) ?? 0) - (wb.get(k) ?? 0)) > 1e-9);
  if (changed.length) out.push(`weights of ${changed.join(", ")} changed`);
  return out;
}

export function rationalePresent(rationale: string | undefined | null): boolean {
  if (typeof rationale !== "string") return false;
  const t = rationale.trim();
  return t.length >= MIN_RATIONALE_CHARS && t.split(/\s+/).length >= 2;
}

/** Is a rationale required for going from prev to next, and does the record give one? */
export function checkRationale(prev: ModelParameters | null, next: ModelParameters, record?: Pick<DecisionRecord, "rationale"> | null): RationaleCheck {
  const changes = parameterChanges(prev, next);
  const required = changes.length > 0;
  const present = rationalePresent(record?.rationale);
  const ok = !required || present;
  const message = !required
    ? "boundaries and dimension unchanged: no rationale needed"
    : present
      ? `rationale given for: ${changes.join("; ")}`
      : `rationale required (at least ${MIN_RATIONALE_CHARS} characters, two words) because ${changes.join("; ")}`;
  return { required, present, ok, changes, message };
}
