/**
 * The segmentation model and its fingerprint: cut-offs, bands, tenure, window, rules and policy
 * grid together are the model; the model and the data it ran on are hashed into a version, so
 * two runs with the same model and data get the same version and any change (a rule, a band, a
 * period of data) gives a new one.
 *
 * Canonical form (tag "seg-model-v1"):
 * - normaliseModel fills every default (so leaving out an option and giving its default value
 *   are the same model) and writes rules in one shape (conditions as a list, operators in their
 *   canonical spelling, priorities explicit).
 * - canonicalJson: JSON with object keys sorted and undefined keys left out; non-finite numbers
 *   are null; -0 is written 0 (JSON.stringify's rule). The same rules as src/app/modelVersion.ts.
 * - modelFingerprint = SHA-256 (sha256.ts) of "seg-model-v1|" + canonicalJson(normaliseModel(m)).
 * - dataFingerprint = SHA-256 over the data in a fixed order: for each part a tag, its length,
 *   then its bytes (Float64Array / Uint8Array contents in memory order, little-endian on every
 *   platform the add-in runs on; texts as UTF-8, each followed by a 0 byte).
 * - modelVersionId = "m" + first 8 hex digits of the model fingerprint + "-d" + first 8 of the data's.
 */
import { DEFAULT_ABC_CUTOFFS, defaultAbcLabels } from "./abc";
import { DEFAULT_ADI_CUTOFF, DEFAULT_CV2_CUTOFF } from "./pattern";
import { BusinessRule, RULE_OPERATORS, RuleCondition } from "./rules";
import { Sha256 } from "./sha256";

export interface SegmentationModel {
  abc?: { cutoffs?: readonly number[]; labels?: readonly string[]; band?: number | readonly number[] };
  xyz?: {
    xMax?: number;
    yMax?: number;
    sdType?: "population" | "sample";
    excludeOutliers?: boolean | { halfWidth?: number; threshold?: number };
    band?: number | readonly number[];
  };
  pattern?: { adiCutoff?: number; cv2Cutoff?: number; adiBand?: number; cv2Band?: number };
  churn?: { minTenure?: number };
  window?: { length?: number; periodsPerYear?: number; asOf?: number | string };
  rules?: readonly BusinessRule[];
  /** The policy grid as the pane holds it (any JSON-able value). */
  policyGrid?: unknown;
}

/** JSON with object keys sorted, so equal values give equal text. */
export function canonicalJson(x: unknown): string {
  if (Array.isArray(x)) return `[${x.map(canonicalJson).join(",")}]`;
  if (ArrayBuffer.isView(x) && !(x instanceof DataView)) return canonicalJson(Array.from(x as unknown as ArrayLike<number>));
  if (x && typeof x === "object") {
    const o = x as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(",")}}`;
  }
  if (typeof x === "number" && !Number.isFinite(x)) return "null";
  return JSON.stringify(x) ?? "null";
}

const ALIASES: Record<string, string> = { "==": "=", "!=": "≠", "<>": "≠", "<=": "≤", ">=": "≥" };

function bandList(band: number | readonly number[] | undefined, n: number): number[] {
  if (band === undefined) return new Array<number>(n).fill(0);
  return typeof band === "number" ? new Array<number>(n).fill(band) : [...band];
}

/** The model with every default filled in and rules in one shape (see the module comment). */
export function normaliseModel(m: SegmentationModel): Required<Omit<SegmentationModel, "policyGrid">> & { policyGrid: unknown } {
  const cutoffs = [...(m.abc?.cutoffs ?? DEFAULT_ABC_CUTOFFS)];
  const outliers = m.xyz?.excludeOutliers;
  return {
    abc: { cutoffs, labels: [...(m.abc?.labels ?? defaultAbcLabels(cutoffs.length + 1))], band: bandList(m.abc?.band, cutoffs.length) },
    xyz: {
      xMax: m.xyz?.xMax ?? 0.5,
      yMax: m.xyz?.yMax ?? 1.0,
      sdType: m.xyz?.sdType ?? "population",
      excludeOutliers:
        outliers === undefined || outliers === false ? false : { halfWidth: (outliers === true ? undefined : outliers.halfWidth) ?? 3, threshold: (outliers === true ? undefined : outliers.threshold) ?? 3 },
      band: bandList(m.xyz?.band, 2),
    },
    pattern: {
      adiCutoff: m.pattern?.adiCutoff ?? DEFAULT_ADI_CUTOFF,
      cv2Cutoff: m.pattern?.cv2Cutoff ?? DEFAULT_CV2_CUTOFF,
      adiBand: m.pattern?.adiBand ?? 0,
      cv2Band: m.pattern?.cv2Band ?? 0,
    },
    churn: { minTenure: m.churn?.minTenure ?? 0 },
    window: { length: m.window?.length ?? m.window?.periodsPerYear ?? 52, periodsPerYear: m.window?.periodsPerYear ?? 52, asOf: m.window?.asOf ?? "last" },
    rules: (m.rules ?? []).map((r, i) => ({
      name: r.name?.trim() || `rule ${i + 1}`,
      priority: r.priority ?? i + 1,
      when: (Array.isArray(r.when) ? (r.when as readonly RuleCondition[]) : [r.when as RuleCondition]).map((c) => ({
        field: typeof c.field === "string" ? c.field.trim() : c.field,
        op: (RULE_OPERATORS as readonly string[]).includes(c.op) ? c.op : (ALIASES[c.op] ?? c.op),
        value: typeof c.value === "string" ? c.value.trim() : c.value,
      })) as RuleCondition[],
      then: { segment: r.then?.segment?.trim(), serviceLevel: r.then?.serviceLevel, policy: r.then?.policy?.trim() },
    })),
    policyGrid: m.policyGrid ?? null,
  };
}

const MODEL_TAG = "seg-model-v1";

/** The model's canonical text (what modelFingerprint hashes). */
export function canonicalModelText(m: SegmentationModel): string {
  return `${MODEL_TAG}|${canonicalJson(normaliseModel(m))}`;
}

/** SHA-256 hex of the canonical model. */
export function modelFingerprint(m: SegmentationModel): string {
  return new Sha256().updateText(canonicalModelText(m)).hex();
}

/** One part of the data: numbers (values, a row-major history), flags (a promotion mask) or texts (SKU ids, period headers). */
export type DataPart = Float64Array | Uint8Array | readonly string[];

/**
 * SHA-256 hex of the data a run classified, parts in the given order, each as
 * tag, element count (as a float64), contents (see the module comment).
 */
export function dataFingerprint(parts: Readonly<Record<string, DataPart>>): string {
  const h = new Sha256();
  const count = new Float64Array(1);
  const zero = new Uint8Array(1);
  for (const name of Object.keys(parts)) {
    const part = parts[name];
    h.updateText(name);
    h.update(zero);
    count[0] = part.length;
    h.update(count);
    if (part instanceof Float64Array || part instanceof Uint8Array) h.update(part);
    else
      for (const s of part) {
        h.updateText(String(s));
        h.update(zero);
      }
  }
  return h.hex();
}

/** A short version id from the two fingerprints: "m<8 hex>-d<8 hex>". */
export function modelVersionId(modelFp: string, dataFp: string): string {
  return `m${modelFp.slice(0, 8)}-d${dataFp.slice(0, 8)}`;
}
