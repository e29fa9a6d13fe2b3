/* Snapshot content identity (for idempotent publishing) and the diff between two versions. */
import { createHash } from "node:crypto";
import { LEGACY_ITEM_FIELDS, type SnapshotItem, type SnapshotItemInput } from "../api";
import { HttpProblem } from "./problem";
import type { SnapshotItem as StoredItem } from "./storage/types";

/**
 * An item under the current names: each deprecated name (meanDemand, sdDemand, orderQuantity) is
 * moved to its new one (demandMean, demandSd, orderQty). Both names with different values is a 400
 * naming the field (`where` is e.g. "body.items[3]"); with `where` null (stored rows) the new name wins.
 */
export function normalizeItem(item: SnapshotItemInput, where: string | null): SnapshotItem {
  let out: Record<string, unknown> | null = null;
  for (const [legacy, current] of Object.entries(LEGACY_ITEM_FIELDS)) {
    if (!(legacy in item)) continue;
    out ??= { ...item };
    const old = out[legacy];
    delete out[legacy];
    if (current in out && out[current] !== old) {
      if (where !== null) {
        throw new HttpProblem("validation", `${where}.${legacy} (deprecated name of ${current}) differs from ${where}.${current}: send only ${current}`, {
          field: `${where}.${legacy}`,
        });
      }
      continue;
    }
    out[current] = old;
  }
  return (out ?? item) as SnapshotItem;
}

/**
 * JSON with object keys sorted at every level, so equal content gives equal text. Written with
 * loops rather than map/filter/join (a 64 MiB publication hashes 160,000 items: issue 8 defect 15);
 * the text is the same as `[${a.map(canonicalJson).join(",")}]` and
 * `{${sortedDefinedKeys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(",")}}`.
 */
export function canonicalJson(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "null";
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ",";
      // A hole or an element JSON cannot write (undefined, a function) is empty text, as join() makes it.
      const c = canonicalJson(value[i]) as string | undefined;
      if (c !== undefined) out += c;
    }
    return `${out}]`;
  }
  if (value !== null && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    keys.sort();
    let out = "{";
    let first = true;
    for (const k of keys) {
      const v = obj[k];
      if (v === undefined) continue;
      if (!first) out += ",";
      first = false;
      out += `${keyJson(k)}:${canonicalJson(v)}`;
    }
    return `${out}}`;
  }
  return JSON.stringify(value);
}

/** JSON.stringify of an object key, remembered for the few hundred names items repeat. */
const KEY_JSON = new Map<string, string>();
function keyJson(k: string): string {
  let j = KEY_JSON.get(k);
  if (j === undefined) {
    j = JSON.stringify(k);
    if (KEY_JSON.size < 4096) KEY_JSON.set(k, j);
  }
  return j;
}

/** SHA-256 hex of the canonical JSON of { parameters, items } (items in the order given). */
export function snapshotContentHash(parameters: Record<string, unknown>, items: readonly StoredItem[]): string {
  return createHash("sha256").update(canonicalJson({ parameters, items }), "utf8").digest("hex");
}

export interface SnapshotDiff {
  added: { sku: string; segment: string | null }[];
  removed: { sku: string; segment: string | null }[];
  segmentChanged: { sku: string; from: string | null; to: string | null }[];
  otherChanged: { sku: string; fields: string[] }[];
  unchanged: number;
}

/** Compares two item lists by SKU; every list in the result is sorted by SKU. */
export function diffItems(from: readonly StoredItem[], to: readonly StoredItem[]): SnapshotDiff {
  const before = new Map(from.map((i) => [i.sku, i]));
  const after = new Map(to.map((i) => [i.sku, i]));
  const diff: SnapshotDiff = { added: [], removed: [], segmentChanged: [], otherChanged: [], unchanged: 0 };
  for (const [sku, b] of before) {
    if (!after.has(sku)) diff.removed.push({ sku, segment: b.segment ?? null });
  }
  for (const [sku, a] of after) {
    const b = before.get(sku);
    if (!b) {
      diff.added.push({ sku, segment: a.segment ?? null });
      continue;
    }
    const segFrom = b.segment ?? null;
    const segTo = a.segment ?? null;
    if (segFrom !== segTo) diff.segmentChanged.push({ sku, from: segFrom, to: segTo });
    const fields = new Set([...Object.keys(a), ...Object.keys(b)]);
    const changed = [...fields]
      .filter((f) => f !== "sku" && f !== "segment")
      .filter((f) => canonicalJson((a as unknown as Record<string, unknown>)[f] ?? null) !== canonicalJson((b as unknown as Record<string, unknown>)[f] ?? null))
      .sort();
    if (changed.length > 0) diff.otherChanged.push({ sku, fields: changed });
    if (segFrom === segTo && changed.length === 0) diff.unchanged += 1;
  }
  const bySku = (x: { sku: string }, y: { sku: string }) => (x.sku < y.sku ? -1 : x.sku > y.sku ? 1 : 0);
  diff.added.sort(bySku);
  diff.removed.sort(bySku);
  diff.segmentChanged.sort(bySku);
  diff.otherChanged.sort(bySku);
  return diff;
}
