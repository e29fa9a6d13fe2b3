/**
 * Incremental inputs (issue 14): demand and master-data changes per SKU and period, applied under
 * the rules of src/engine/cdc.ts (idempotent by change id, the greatest (watermark, changeId) wins
 * per cell, replays after compaction ignored). A batch is applied to the part of the state it
 * touches: the backends load the batch's change ids and cells inside their transaction (loadKeys),
 * the engine's applyChanges decides (planBatch), and the backends write what it changed.
 */
import { applyChanges, type ApplyResult, type CdcCell, type CdcState, type Change } from "../../engine/cdc";
import type { Row } from "./rows";

export type { ApplyResult, Change };

export interface CellKey {
  sku: string;
  kind: "demand" | "attribute";
  name: string;
}

/** The engine's cell key (src/engine/cdc.ts cellKey: trimmed SKU, kind, trimmed period or field). */
const keyOf = (k: CellKey) => `${k.sku}\u0001${k.kind}\u0001${k.name}`;

/** What a batch touches: its change ids and its cells (valid changes only; the engine rejects the rest). */
export function loadKeys(changes: readonly Change[]): { ids: string[]; cells: CellKey[] } {
  const ids = new Set<string>();
  const cells = new Map<string, CellKey>();
  for (const c of changes) {
    if (typeof c.changeId === "string") ids.add(c.changeId);
    const name = c.kind === "demand" ? c.period : c.field;
    if (typeof c.sku !== "string" || typeof name !== "string") continue;
    const k: CellKey = { sku: c.sku.trim(), kind: c.kind, name: name.trim() };
    cells.set(keyOf(k), k);
  }
  return { ids: [...ids], cells: [...cells.values()] };
}

export interface Loaded {
  version: number;
  compactedThrough: number | null;
  /** input_changes rows of the batch's ids. */
  changes: Row[];
  /** input_cells rows of the batch's cells. */
  cells: Row[];
}

export interface Plan {
  result: ApplyResult;
  /** New change ids with their watermark and the engine's fingerprint. */
  newChanges: { changeId: string; watermark: number; fingerprint: string }[];
  /** Cells to insert or replace. */
  cells: CdcCell[];
}

const decode = (v: unknown): number | string | null => (v == null ? null : (JSON.parse(String(v)) as number | string));
export const encodeValue = (v: number | string | null): string | null => (v === null ? null : JSON.stringify(v));

export function rowToCell(r: Row): CdcCell {
  return {
    sku: String(r.sku),
    kind: String(r.kind) as CdcCell["kind"],
    name: String(r.name),
    value: decode(r.value),
    watermark: Number(r.watermark),
    changeId: String(r.change_id),
    version: Number(r.version),
  };
}

/** Runs the engine over the loaded part of the state and lists what to write. */
export function planBatch(loaded: Loaded, changes: readonly Change[]): Plan {
  const state: CdcState = {
    version: loaded.version,
    compactedThrough: loaded.compactedThrough ?? Number.NEGATIVE_INFINITY,
    applied: new Map(loaded.changes.map((r) => [String(r.change_id), { watermark: Number(r.watermark), fingerprint: String(r.content_hash) }])),
    cells: new Map(),
    skuVersion: new Map(),
  };
  const before = new Map<string, string>();
  for (const r of loaded.cells) {
    const cell = rowToCell(r);
    const k = keyOf(cell);
    state.cells.set(k, cell);
    before.set(k, JSON.stringify(cell));
  }
  const known = new Set(state.applied.keys());
  const result = applyChanges(state, changes);
  const newChanges = [...state.applied].filter(([id]) => !known.has(id)).map(([changeId, a]) => ({ changeId, watermark: a.watermark, fingerprint: a.fingerprint }));
  const cells = [...state.cells].filter(([k, c]) => before.get(k) !== JSON.stringify(c)).map(([, c]) => c);
  return { result, newChanges, cells };
}
