/**
 * Incremental updates (change data capture) as a pure state machine: demand and master-data
 * changes per SKU and period arrive in batches, possibly duplicated, out of order or replayed; the
 * latest inputs are materialised, and the SKUs whose inputs changed since a given version are
 * listed so that only they are reclassified. The backend stores the same state in tables
 * (docs/data-sources.md); this module is the rule book both follow.
 *
 * A change sets ONE cell: (sku, "demand", period) = quantity, or (sku, "attribute", field) = value.
 * value null clears the cell (demand back to 0, attribute unknown).
 *
 * Rules:
 * 1. Idempotent by change id. A change id seen before with the same content is a duplicate and
 *    is ignored; the same id with different content is rejected as a conflict (ids are never reused).
 * 2. Ordered by watermark (a number the source increases with every commit: a log sequence
 *    number or a commit time in ms). Each cell holds the change with the greatest
 *    (watermark, changeId) pair seen (change ids compared as strings break ties). A change older
 *    than the cell's current one is remembered (so a resend is a duplicate) but does not overwrite:
 *    counted as superseded (out of order). Hence the materialised state does not depend on the
 *    order in which changes arrive, within or across batches.
 * 3. Replays after compaction: compact(w) forgets the ids of changes with watermark <= w (the
 *    source promises never to send a NEW change at or below w); afterwards any unknown change at or
 *    below w is a replay and is ignored (counted as replayed).
 * 4. Versions: each applyChanges call that changes at least one cell's value bumps the state's
 *    version by 1; a cell and its SKU remember the version of their last change. A change that
 *    writes the value the cell already has updates the cell's watermark but is no input change and
 *    does not mark the SKU.
 * 5. Bad changes (blank id or SKU, non-finite watermark, a demand without period or with a
 *    negative or non-numeric quantity, an attribute without field) are rejected naming the batch
 *    index and field; the rest of the batch is applied.
 */
import { ArgumentError } from "./errors";

export type ChangeKind = "demand" | "attribute";

export interface Change {
  changeId: string;
  watermark: number;
  sku: string;
  kind: ChangeKind;
  /** Period label (demand), e.g. "2024-W05". */
  period?: string;
  /** Attribute name (attribute), e.g. "family", "unitCost". */
  field?: string;
  value: number | string | null;
}

export interface CdcCell {
  sku: string;
  kind: ChangeKind;
  /** period (demand) or field (attribute) */
  name: string;
  value: number | string | null;
  watermark: number;
  changeId: string;
  /** State version of the last value change. */
  version: number;
}

export interface CdcState {
  version: number;
  /** Changes forgotten at or below this watermark (compaction); -Infinity when never compacted. */
  compactedThrough: number;
  /** changeId → watermark and content fingerprint. */
  applied: Map<string, { watermark: number; fingerprint: string }>;
  /** cell key → cell. */
  cells: Map<string, CdcCell>;
  /** sku → version of its last input change. */
  skuVersion: Map<string, number>;
}

export interface ApplyResult {
  /** State version after the batch. */
  version: number;
  applied: number;
  duplicates: number;
  superseded: number;
  replayed: number;
  unchanged: number;
  rejected: { index: number; changeId: string; message: string }[];
  /** SKUs whose inputs changed in this batch, sorted. */
  changedSkus: string[];
}

export function emptyCdcState(): CdcState {
  return { version: 0, compactedThrough: Number.NEGATIVE_INFINITY, applied: new Map(), cells: new Map(), skuVersion: new Map() };
}

function cellKey(sku: string, kind: ChangeKind, name: string): string {
  return `${sku}\u0001${kind}\u0001${name}`;
}

function fingerprint(c: Change): string {
  return JSON.stringify([c.watermark, c.sku, c.kind, c.kind === "demand" ? c.period : c.field, c.value]);
}

/** Why a change cannot be used, or null. */
export function checkChange(c: Change): string | null {
  if (!c || typeof c !== "object") return "a change is an object";
  if (typeof c.changeId !== "string" || c.changeId.trim() === "") return "changeId: required";
  if (typeof c.watermark !== "number" || !Number.isFinite(c.watermark)) return `watermark: must be a finite number, got ${String(c.watermark)}`;
  if (typeof c.sku !== "string" || c.sku.trim() === "") return "sku: required";
  if (c.kind === "demand") {
    if (typeof c.period !== "string" || c.period.trim() === "") return "period: a demand change needs a period label";
    if (c.value !== null && !(typeof c.value === "number" && c.value >= 0 && c.value < Infinity)) return `value: a demand quantity must be a number >= 0 or null, got ${JSON.stringify(c.value)}`;
  } else if (c.kind === "attribute") {
    if (typeof c.field !== "string" || c.field.trim() === "") return "field: an attribute change needs a field name";
    if (c.value !== null && typeof c.value !== "string" && !(typeof c.value === "number" && Number.isFinite(c.value))) return `value: must be text, a finite number or null, got ${JSON.stringify(c.value)}`;
  } else return `kind: must be "demand" or "attribute", got ${JSON.stringify((c as { kind: unknown }).kind)}`;
  return null;
}

/** Applies a batch to the state (mutating it) under the rules above. */
export function applyChanges(state: CdcState, changes: readonly Change[]): ApplyResult {
  const r: ApplyResult = { version: state.version, applied: 0, duplicates: 0, superseded: 0, replayed: 0, unchanged: 0, rejected: [], changedSkus: [] };
  const next = state.version + 1;
  const changed = new Set<string>();
  for (let i = 0; i < changes.length; i++) {
    const c = changes[i];
    const bad = checkChange(c);
    if (bad) {
      r.rejected.push({ index: i, changeId: typeof c?.changeId === "string" ? c.changeId : "", message: `change ${i}${c?.changeId ? ` (${c.changeId})` : ""}: ${bad}` });
      continue;
    }
    const fp = fingerprint(c);
    const seen = state.applied.get(c.changeId);
    if (seen) {
      if (seen.fingerprint === fp) r.duplicates++;
      else r.rejected.push({ index: i, changeId: c.changeId, message: `change ${i} (${c.changeId}): this change id was already applied with other content; a change id may not be reused` });
      continue;
    }
    if (c.watermark <= state.compactedThrough) {
      r.replayed++;
      continue;
    }
    state.applied.set(c.changeId, { watermark: c.watermark, fingerprint: fp });
    const sku = c.sku.trim();
    const name = (c.kind === "demand" ? c.period! : c.field!).trim();
    const key = cellKey(sku, c.kind, name);
    const cell = state.cells.get(key);
    if (cell && (c.watermark < cell.watermark || (c.watermark === cell.watermark && c.changeId < cell.changeId))) {
      r.superseded++;
      continue;
    }
    r.applied++;
    if (cell && cell.value === c.value) {
      cell.watermark = c.watermark;
      cell.changeId = c.changeId;
      r.unchanged++;
      continue;
    }
    state.cells.set(key, { sku, kind: c.kind, name, value: c.value, watermark: c.watermark, changeId: c.changeId, version: next });
    changed.add(sku);
  }
  if (changed.size > 0) {
    state.version = next;
    for (const s of changed) state.skuVersion.set(s, next);
  }
  r.version = state.version;
  r.changedSkus = [...changed].sort();
  return r;
}

/** SKUs whose inputs changed after `version` (exclusive), sorted. */
export function changedSince(state: CdcState, version: number): string[] {
  const out: string[] = [];
  for (const [s, v] of state.skuVersion) if (v > version) out.push(s);
  return out.sort();
}

/** Forgets change ids at or below `watermark` (rule 3). Returns how many were forgotten. */
export function compact(state: CdcState, watermark: number): number {
  if (!Number.isFinite(watermark)) throw new ArgumentError("watermark", `must be a finite number, got ${watermark}`);
  let k = 0;
  for (const [id, a] of state.applied) {
    if (a.watermark <= watermark) {
      state.applied.delete(id);
      k++;
    }
  }
  if (watermark > state.compactedThrough) state.compactedThrough = watermark;
  return k;
}

export interface MaterialisedInputs {
  sku: string[];
  periods: readonly string[];
  /** Row-major sku × periods; 0 where no demand is held. */
  history: Float64Array;
  /** field → value per SKU (null when not held). */
  attributes: Map<string, (string | number | null)[]>;
  /** Demand cells held for periods not in `periods` (left out). */
  outsidePeriods: number;
}

/**
 * The latest inputs as columns: one history row per SKU (sorted, or the given list) over the
 * given period labels, and each attribute as a column.
 */
export function materialise(state: CdcState, periods: readonly string[], skus?: readonly string[]): MaterialisedInputs {
  const list = skus ? [...skus] : [...new Set([...state.cells.values()].map((c) => c.sku))].sort();
  const row = new Map(list.map((s, i) => [s, i]));
  const col = new Map(periods.map((p, j) => [p, j]));
  const p = periods.length;
  const history = new Float64Array(list.length * p);
  const attributes = new Map<string, (string | number | null)[]>();
  let outside = 0;
  for (const c of state.cells.values()) {
    const i = row.get(c.sku);
    if (i === undefined) continue;
    if (c.kind === "demand") {
      const j = col.get(c.name);
      if (j === undefined) {
        if (c.value !== null) outside++;
        continue;
      }
      history[i * p + j] = c.value === null ? 0 : (c.value as number);
    } else {
      let a = attributes.get(c.name);
      if (!a) attributes.set(c.name, (a = new Array<string | number | null>(list.length).fill(null)));
      a[i] = c.value;
    }
  }
  return { sku: list, periods, history, attributes, outsidePeriods: outside };
}
