/**
 * The attribute dictionary and mapping profiles: which source system and field each segmentation
 * attribute comes from, who owns it (the data steward) and how fresh it must be (the refresh SLA);
 * and, per source extract ("SAP MM extract", "WMS slots"), how its columns map to our fields and
 * how its text is read (date format, number locale, calendar, returns rule). Profiles are plain
 * JSON (schemaVersion 1) so that the pane can keep them per workbook and the backend can share them.
 *
 * Refresh SLAs are ISO 8601 durations in weeks, days, hours, minutes and seconds only (P1D, PT6H,
 * P1W, P1DT12H): years and months have no fixed length, so they are refused.
 * validateProfile never throws for a bad profile: it lists every problem, each starting with the
 * JSON path of the field ("attributes[2].refreshSla: ...").
 */
import type { NegativeRule } from "./bucket";
import { DATE_FORMATS, type DateFormat } from "./dates";
import { ArgumentError } from "./errors";
import { NUMBER_LOCALES, type NumberLocaleName } from "./numbers";
import { validateCalendar, type Calendar } from "./periods";

/** The attributes segmentation and policies use (names as in docs/architecture.md where they exist). */
export const SEGMENTATION_ATTRIBUTES = [
  "sku",
  "description",
  "value",
  "quantity",
  "unitCost",
  "leadTime",
  "leadTimeSd",
  "orderQty",
  "history",
  "family",
  "category",
  "lifecycle",
  "location",
  "customerTier",
  "currentClass",
  "pin",
] as const;
export type SegmentationAttribute = (typeof SEGMENTATION_ATTRIBUTES)[number];

/** Columns of a transaction extract (the long table that bucketTransactions reads). */
export const TRANSACTION_FIELDS = ["sku", "date", "quantity", "location", "customer", "orderType", "transactionId", "unitCost", "value"] as const;
export type TransactionField = (typeof TRANSACTION_FIELDS)[number];
export const REQUIRED_TRANSACTION_FIELDS: readonly TransactionField[] = ["sku", "date", "quantity"];

export interface AttributeSource {
  attribute: SegmentationAttribute;
  /** Source system, e.g. "SAP S/4HANA", "Manhattan WMS". */
  system: string;
  /** Table and field in that system, e.g. "MARA-MATKL" or "slot.zone". */
  field: string;
  /** Data steward: who answers for the attribute's content. */
  owner: string;
  /** Refresh SLA, ISO 8601 duration (P1D = daily). */
  refreshSla: string;
  unit?: string;
  note?: string;
}

export interface MappingProfile {
  kind: "seg.mappingProfile";
  schemaVersion: 1;
  /** Profile name, unique per workbook / backend, e.g. "SAP MM extract". */
  name: string;
  system: string;
  description?: string;
  /** "transactions": a long table bucketed into periods; "skuTable": one row per SKU. */
  layout: "transactions" | "skuTable";
  /** Our field → the extract's column header (exact text; compared trimmed, case-insensitively). */
  columns: Partial<Record<TransactionField | SegmentationAttribute, string>>;
  dateFormat?: DateFormat;
  numberLocale?: NumberLocaleName;
  calendar?: Calendar;
  negatives?: NegativeRule;
  excludeOrderTypes?: string[];
  attributes: AttributeSource[];
}

const DURATION_RE = /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** ISO 8601 duration (weeks to seconds) in milliseconds; NaN when not of that form. */
export function durationMs(text: string): number {
  const m = DURATION_RE.exec(text);
  if (!m || text === "P" || text.endsWith("T")) return Number.NaN;
  const [w, d, h, mi, s] = m.slice(1).map((x) => (x === undefined ? 0 : Number(x)));
  return ((((w * 7 + d) * 24 + h) * 60 + mi) * 60 + s) * 1000;
}

function isObj(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}
function nonEmpty(x: unknown): x is string {
  return typeof x === "string" && x.trim() !== "";
}

export interface ProfileCheck {
  /** The profile, when there is no problem. */
  profile?: MappingProfile;
  problems: string[];
}

/** Checks a parsed JSON value as a mapping profile; lists every problem by JSON path. */
export function validateProfile(x: unknown): ProfileCheck {
  const p: string[] = [];
  if (!isObj(x)) return { problems: ["(root): a mapping profile is a JSON object"] };
  if (x.kind !== "seg.mappingProfile") p.push(`kind: must be "seg.mappingProfile", got ${JSON.stringify(x.kind)}`);
  if (x.schemaVersion !== 1) p.push(`schemaVersion: must be 1, got ${JSON.stringify(x.schemaVersion)}`);
  if (!nonEmpty(x.name)) p.push("name: give the profile a name, e.g. \"SAP MM extract\"");
  if (!nonEmpty(x.system)) p.push("system: name the source system, e.g. \"SAP S/4HANA\"");
  if (x.layout !== "transactions" && x.layout !== "skuTable") p.push(`layout: must be "transactions" or "skuTable", got ${JSON.stringify(x.layout)}`);
  const known = new Set<string>([...TRANSACTION_FIELDS, ...SEGMENTATION_ATTRIBUTES]);
  if (!isObj(x.columns)) p.push("columns: an object from our field names to the extract's headers");
  else {
    const headers = new Map<string, string>();
    for (const [k, v] of Object.entries(x.columns)) {
      if (!known.has(k)) p.push(`columns.${k}: unknown field (known: ${[...known].join(", ")})`);
      if (!nonEmpty(v)) p.push(`columns.${k}: the header must be a non-empty text`);
      else {
        const h = v.trim().toLowerCase();
        const other = headers.get(h);
        if (other) p.push(`columns.${k}: header "${v}" is already mapped to ${other}`);
        headers.set(h, k);
      }
    }
    if (x.layout === "transactions") for (const f of REQUIRED_TRANSACTION_FIELDS) if (!(f in x.columns)) p.push(`columns.${f}: a transactions profile must map ${f}`);
    if (x.layout === "skuTable" && !("sku" in x.columns)) p.push("columns.sku: a SKU table profile must map sku");
  }
  if (x.dateFormat !== undefined && !DATE_FORMATS.includes(x.dateFormat as DateFormat)) p.push(`dateFormat: must be one of ${DATE_FORMATS.join(", ")}, got ${JSON.stringify(x.dateFormat)}`);
  if (x.numberLocale !== undefined && !(typeof x.numberLocale === "string" && x.numberLocale in NUMBER_LOCALES)) {
    p.push(`numberLocale: must be one of ${Object.keys(NUMBER_LOCALES).join(", ")}, got ${JSON.stringify(x.numberLocale)}`);
  }
  if (x.calendar !== undefined) {
    try {
      validateCalendar(x.calendar as Calendar);
    } catch (e) {
      p.push(e instanceof ArgumentError ? e.message : String(e));
    }
  }
  if (x.negatives !== undefined && !["exclude", "net", "reject"].includes(x.negatives as string)) p.push(`negatives: must be "exclude", "net" or "reject", got ${JSON.stringify(x.negatives)}`);
  if (x.excludeOrderTypes !== undefined && !(Array.isArray(x.excludeOrderTypes) && x.excludeOrderTypes.every(nonEmpty))) p.push("excludeOrderTypes: a list of order-type codes");
  if (!Array.isArray(x.attributes)) p.push("attributes: a list of attribute sources (may be empty)");
  else {
    const seen = new Map<string, number>();
    x.attributes.forEach((a, i) => {
      const at = `attributes[${i}]`;
      if (!isObj(a)) {
        p.push(`${at}: must be an object`);
        return;
      }
      if (!SEGMENTATION_ATTRIBUTES.includes(a.attribute as SegmentationAttribute)) p.push(`${at}.attribute: unknown attribute ${JSON.stringify(a.attribute)} (known: ${SEGMENTATION_ATTRIBUTES.join(", ")})`);
      else {
        const first = seen.get(a.attribute as string);
        if (first !== undefined) p.push(`${at}.attribute: ${a.attribute} is already described in attributes[${first}]`);
        seen.set(a.attribute as string, i);
      }
      for (const f of ["system", "field", "owner"] as const) if (!nonEmpty(a[f])) p.push(`${at}.${f}: required`);
      if (!nonEmpty(a.refreshSla) || Number.isNaN(durationMs(a.refreshSla))) {
        p.push(`${at}.refreshSla: ${JSON.stringify(a.refreshSla)} is not an ISO 8601 duration in weeks/days/hours (e.g. P1D, PT6H, P1W)`);
      }
    });
  }
  return p.length === 0 ? { profile: x as unknown as MappingProfile, problems: [] } : { problems: p };
}

/** JSON text of a profile (2-space indent, fields in a fixed order). */
export function profileToJson(profile: MappingProfile): string {
  const order = ["kind", "schemaVersion", "name", "system", "description", "layout", "columns", "dateFormat", "numberLocale", "calendar", "negatives", "excludeOrderTypes", "attributes"];
  const o: Record<string, unknown> = {};
  for (const k of order) if ((profile as unknown as Record<string, unknown>)[k] !== undefined) o[k] = (profile as unknown as Record<string, unknown>)[k];
  return JSON.stringify(o, null, 2);
}

/** A profile from JSON text; an ArgumentError ("profile") listing every problem otherwise. */
export function profileFromJson(text: string): MappingProfile {
  let x: unknown;
  try {
    x = JSON.parse(text);
  } catch (e) {
    throw new ArgumentError("profile", `is not JSON: ${(e as Error).message}`);
  }
  const r = validateProfile(x);
  if (!r.profile) throw new ArgumentError("profile", r.problems.join("; "));
  return r.profile;
}

/**
 * Column index of each mapped field in an extract's header row (compared trimmed and
 * case-insensitively). `missing` lists mapped headers not found, required ones first.
 */
export function applyProfile(headers: readonly string[], profile: MappingProfile): { columns: Partial<Record<string, number>>; missing: string[] } {
  const index = new Map<string, number>();
  headers.forEach((h, i) => {
    const k = String(h ?? "").trim().toLowerCase();
    if (!index.has(k)) index.set(k, i);
  });
  const columns: Partial<Record<string, number>> = {};
  const missing: string[] = [];
  const required = new Set<string>(profile.layout === "transactions" ? REQUIRED_TRANSACTION_FIELDS : ["sku"]);
  const entries = Object.entries(profile.columns).sort(([a], [b]) => Number(required.has(b)) - Number(required.has(a)));
  for (const [field, header] of entries) {
    const i = index.get(String(header).trim().toLowerCase());
    if (i === undefined) missing.push(`${field} ("${header}"${required.has(field) ? ", required" : ""})`);
    else columns[field] = i;
  }
  return { columns, missing };
}

export interface DictionaryEntry extends AttributeSource {
  profile: string;
}

/** The attribute dictionary over several profiles: each attribute with every source that provides it. */
export function attributeDictionary(profiles: readonly MappingProfile[]): Map<SegmentationAttribute, DictionaryEntry[]> {
  const out = new Map<SegmentationAttribute, DictionaryEntry[]>();
  for (const a of SEGMENTATION_ATTRIBUTES) out.set(a, []);
  for (const p of profiles) for (const a of p.attributes) out.get(a.attribute)?.push({ ...a, profile: p.name });
  return out;
}
