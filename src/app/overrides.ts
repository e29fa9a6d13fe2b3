/**
 * Planner overrides of a SKU's segment. The record of truth is the workbook setting
 * "seg.overrides" (every change goes through here and is audited); the Segments table shows it in
 * its Override and Override reason columns and is rewritten from it on every run, so an override
 * survives reclassification. Each record remembers the computed segment at the time it was set:
 * when a later run computes something else the override still wins, and its reason cell is
 * prefixed "Override (computed changed AX→BX): " until the planner sets or clears it again.
 */
import { SEGMENTS } from "../engine/policy";
import type { AuditEvent, AuditService } from "./auditService";
import type { AuditRow, CellValue, TableData, WorkbookGateway } from "./ports";
import { SEGMENTS_TABLE, SETTINGS } from "./sheets";
import { ValidationError } from "./store";

export { ValidationError };

export interface OverrideRecord {
  sku: string;
  segment: string;
  reason: string;
  /** The computed segment when the override was set. */
  computedAtSet: string;
  user: string;
  timestamp: string;
}

export type OverrideMap = Record<string, OverrideRecord>;

/** "Override (computed changed AX→BX)" when the computed segment moved since the override was set. */
export function overrideFlag(rec: OverrideRecord, computedNow: string): string | null {
  return computedNow && rec.computedAtSet && computedNow !== rec.computedAtSet ? `Override (computed changed ${rec.computedAtSet}→${computedNow})` : null;
}

/** Text of the Override reason cell. */
export function overrideReasonCell(rec: OverrideRecord, computedNow: string): string {
  const flag = overrideFlag(rec, computedNow);
  return flag ? `${flag}: ${rec.reason}` : rec.reason;
}

export interface SelectedSku {
  sku: string;
  /** Computed segment (the Segment column). */
  segment: string;
  override: string;
  overrideReason: string;
  modelVersion: string;
}

function text(x: unknown): string {
  return x === null || x === undefined ? "" : String(x).trim();
}

export function selectedSkus(table: TableData): SelectedSku[] {
  const col = (h: string) => {
    const i = table.headers.indexOf(h);
    if (i < 0) throw new Error(`The ${table.tableName} table has no "${h}" column: write the Segments sheet again from the Write tab.`);
    return i;
  };
  const [s, g, o, r, m] = ["SKU", "Segment", "Override", "Override reason", "Model version"].map(col);
  return table.rows.map((row) => ({ sku: text(row[s]), segment: text(row[g]), override: text(row[o]), overrideReason: text(row[r]), modelVersion: text(row[m]) })).filter((x) => x.sku);
}

export interface OverrideChange {
  skus: string[];
  entries: AuditEvent[];
  /** The audit rows appended. */
  rows: AuditRow[];
  /** Selected SKUs left alone because they already are in the chosen segment. */
  unchanged: string[];
}

/** The segment a selected SKU is planned with now: its override, else the computed one. */
export function currentSegment(r: SelectedSku): string {
  return (r.override || r.segment).toUpperCase();
}

/** "S01, S02 and S03" or "S01, S02, S03 and 247 more". */
export function skuList(skus: readonly string[], shown = 3): string {
  if (skus.length <= shown) return skus.length <= 1 ? (skus[0] ?? "") : `${skus.slice(0, -1).join(", ")} and ${skus[skus.length - 1]}`;
  return `${skus.slice(0, shown).join(", ")} and ${(skus.length - shown).toLocaleString()} more`;
}

/**
 * Hooks the session gives the override service so that other tables (the per-SKU policy) follow
 * an override; optional.
 */
export type AfterOverride = (changed: { sku: string; segment: string | null }[]) => Promise<void>;

export class OverrideService {
  constructor(
    private readonly gateway: WorkbookGateway,
    private readonly audit: AuditService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  all(): OverrideMap {
    return this.gateway.settings.get<OverrideMap>(SETTINGS.overrides) ?? {};
  }

  /** The rows of the Segments table under the current selection. */
  async readSelection(): Promise<SelectedSku[]> {
    const existing = await this.gateway.readTable(SEGMENTS_TABLE);
    if (!existing) throw new ValidationError("selection", "There is no Segments table yet: classify and write first (Write tab), then select rows on the Segments sheet.");
    const t = await this.gateway.readSelectedTableRows(SEGMENTS_TABLE);
    const rows = t ? selectedSkus(t) : [];
    if (rows.length === 0) throw new ValidationError("selection", "Select one or more rows of the table on the Segments sheet, then try again.");
    return rows;
  }

  /** Overrides the selected SKUs' segment. An empty reason is a ValidationError. */
  async set(selected: readonly SelectedSku[], segment: string, reason: string, after?: AfterOverride): Promise<OverrideChange> {
    let rows = selected;
    const seg = segment.trim().toUpperCase();
    if (!SEGMENTS.includes(seg)) throw new ValidationError("segment", `Choose the new segment (one of ${SEGMENTS.join(", ")}).`);
    const why = reason.trim();
    if (!why) throw new ValidationError("reason", "Type a reason for the override: it is written to the Segments sheet and the audit trail.");
    if (rows.length === 0) throw new ValidationError("selection", "Select one or more rows of the table on the Segments sheet, then try again.");
    const unchanged = rows.filter((r) => currentSegment(r) === seg).map((r) => r.sku);
    const todo = rows.filter((r) => currentSegment(r) !== seg);
    if (todo.length === 0) {
      throw new ValidationError(
        "segment",
        rows.length === 1 ? `${rows[0].sku} is already in ${seg}: choose another segment (nothing was changed).` : `All ${rows.length} selected SKUs are already in ${seg}: choose another segment (nothing was changed).`,
      );
    }
    rows = todo;
    const map = this.all();
    const user = this.audit.userName();
    const timestamp = this.now().toISOString();
    const updates: { key: string; header: string; value: CellValue }[] = [];
    const undo: { key: string; header: string; value: CellValue }[] = [];
    const entries: AuditEvent[] = [];
    const next: OverrideMap = { ...map };
    for (const r of rows) {
      const old = map[r.sku];
      const rec: OverrideRecord = { sku: r.sku, segment: seg, reason: why, computedAtSet: r.segment, user, timestamp };
      next[r.sku] = rec;
      updates.push({ key: r.sku, header: "Override", value: seg }, { key: r.sku, header: "Override reason", value: overrideReasonCell(rec, r.segment) });
      undo.push({ key: r.sku, header: "Override", value: r.override }, { key: r.sku, header: "Override reason", value: r.overrideReason });
      entries.push({ action: "override-set", sku: r.sku, field: "segment", oldValue: old ? old.segment : r.segment, newValue: seg, reason: why, modelVersion: r.modelVersion });
    }
    const written = await this.apply(updates, undo, entries, next, after, rows.map((r) => ({ sku: r.sku, segment: seg })));
    return { skus: rows.map((r) => r.sku), entries, rows: written, unchanged };
  }

  /** Removes the overrides of the selected SKUs (rows without one are skipped). */
  async clear(rows: readonly SelectedSku[], reason = "", after?: AfterOverride): Promise<OverrideChange> {
    const map = this.all();
    const hit = rows.filter((r) => map[r.sku] || r.override);
    if (hit.length === 0) throw new ValidationError("selection", "None of the selected SKUs has an override.");
    const updates: { key: string; header: string; value: CellValue }[] = [];
    const undo: { key: string; header: string; value: CellValue }[] = [];
    const entries: AuditEvent[] = [];
    const next: OverrideMap = { ...map };
    for (const r of hit) {
      const old = map[r.sku];
      delete next[r.sku];
      updates.push({ key: r.sku, header: "Override", value: "" }, { key: r.sku, header: "Override reason", value: "" });
      undo.push({ key: r.sku, header: "Override", value: r.override }, { key: r.sku, header: "Override reason", value: r.overrideReason });
      entries.push({ action: "override-cleared", sku: r.sku, field: "segment", oldValue: old?.segment ?? r.override, newValue: r.segment, reason: reason.trim(), modelVersion: r.modelVersion });
    }
    const written = await this.apply(updates, undo, entries, next, after, hit.map((r) => ({ sku: r.sku, segment: null })));
    return { skus: hit.map((r) => r.sku), entries, rows: written, unchanged: rows.filter((r) => !hit.includes(r)).map((r) => r.sku) };
  }

  /**
   * Table first, then the audit entry, then the setting. If the audit append fails the table cells
   * are put back, so the sheet never shows an override the trail does not have.
   */
  private async apply(
    updates: { key: string; header: string; value: CellValue }[],
    undo: { key: string; header: string; value: CellValue }[],
    entries: AuditEvent[],
    next: OverrideMap,
    after: AfterOverride | undefined,
    changed: { sku: string; segment: string | null }[],
  ): Promise<AuditRow[]> {
    await this.gateway.updateTableCells(SEGMENTS_TABLE, "SKU", updates);
    let rows: AuditRow[];
    try {
      rows = await this.audit.record(entries);
    } catch (e) {
      await this.gateway.updateTableCells(SEGMENTS_TABLE, "SKU", undo).catch(() => undefined);
      throw e;
    }
    await this.gateway.settings.set(SETTINGS.overrides, next);
    if (after) await after(changed);
    return rows;
  }
}
