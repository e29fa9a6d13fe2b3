/**
 * The audit trail as the pane sees it: builds entries (who, when, which workbook), seals them onto
 * the hash chain (src/engine/audit.ts) and appends them to the very hidden SEG_Audit sheet through
 * the gateway; lists them newest first without unhiding anything; verifies the chain and names the
 * first broken row by its sheet row number.
 */
import { AuditAction, GENESIS_HASH, sealEntries, verifyChain, type UnsealedEntry } from "../engine/audit";
import type { AuditRow, AuditTip, WorkbookGateway } from "./ports";
import { AUDIT_SHEET, SETTINGS } from "./sheets";

/** SEG_Audit has its header in row 1, so entry i (0-based, chain order) sits on sheet row i + 2. */
export const AUDIT_FIRST_DATA_ROW = 2;
export { AUDIT_SHEET } from "./sheets";

export interface AuditEvent {
  action: AuditAction;
  sku?: string;
  field?: string;
  oldValue?: string;
  newValue?: string;
  reason?: string;
  modelVersion?: string;
}

export interface AuditFilter {
  sku?: string;
  user?: string;
  action?: AuditAction | "";
}

export type VerifyResult =
  | { ok: true; count: number; message: string }
  | { ok: false; count: number; sheetRow: number; entryId: string; reason: string; message: string };

/** An entry as the Audit tab lists it: with the SEG_Audit row it is on. */
export type ListedAuditRow = AuditRow & { sheetRow: number };

/** Rows in chain order with their sheet rows (a gateway that knows them says so; else entry i is on row i + 2). */
export function withSheetRows(rows: readonly AuditRow[], firstIndex = 0): ListedAuditRow[] {
  return rows.map((r, i) => {
    const known = (r as AuditRow & { sheetRow?: number }).sheetRow;
    return { ...r, sheetRow: typeof known === "number" ? known : firstIndex + i + AUDIT_FIRST_DATA_ROW };
  });
}

/** Newest first, filtered: SKU and user case-insensitively (substring), action exactly. */
export function filterAudit(rows: readonly ListedAuditRow[], filter: AuditFilter): ListedAuditRow[] {
  const sku = filter.sku?.trim().toLowerCase() ?? "";
  const user = filter.user?.trim().toLowerCase() ?? "";
  return rows.filter((r) => (!sku || r.sku.toLowerCase().includes(sku)) && (!user || r.user.toLowerCase().includes(user)) && (!filter.action || r.action === filter.action)).reverse();
}

export interface AuditServiceDeps {
  gateway: WorkbookGateway;
  now?: () => Date;
  uuid?: () => string;
  /** A user identity from Office where the host offers one; the name set in the pane wins. */
  identity?: () => string | undefined;
}

export const UNKNOWN_USER = "(name not set)";

function randomUuid(): string {
  return globalThis.crypto.randomUUID();
}

export class AuditService {
  private readonly gateway: WorkbookGateway;
  private readonly now: () => Date;
  private readonly uuid: () => string;
  private readonly identity: () => string | undefined;
  /** Appends are serialised so two quick actions cannot both link to the same previous hash. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(deps: AuditServiceDeps) {
    this.gateway = deps.gateway;
    this.now = deps.now ?? (() => new Date());
    this.uuid = deps.uuid ?? randomUuid;
    this.identity = deps.identity ?? (() => undefined);
  }

  /** A workbook id made for entries not yet appended (kept once they are). */
  private unsavedId: string | null = null;

  /** The workbook's GUID, created on first use and kept in the workbook settings. */
  async workbookId(): Promise<string> {
    const existing = this.gateway.settings.get<string>(SETTINGS.workbookId);
    if (existing) return existing;
    const id = this.unsavedId ?? this.uuid();
    this.unsavedId = null;
    await this.gateway.settings.set(SETTINGS.workbookId, id);
    return id;
  }

  /** The workbook id without saving a new one (a write that is cancelled must leave the settings as they were). */
  private workbookIdUnsaved(): string {
    return this.gateway.settings.get<string>(SETTINGS.workbookId) ?? (this.unsavedId ??= this.uuid());
  }

  userName(): string {
    const set = this.gateway.settings.get<string>(SETTINGS.userName);
    if (set && set.trim()) return set.trim();
    const id = this.identity();
    return id && id.trim() ? id.trim() : UNKNOWN_USER;
  }

  async setUserName(name: string): Promise<void> {
    const t = name.trim();
    if (!t) throw new Error("Type your name (it is written with every audit entry).");
    if (t.length > 100) throw new Error("Keep the name under 100 characters.");
    await this.gateway.settings.set(SETTINGS.userName, t);
  }

  /** Seals events onto the chain and appends them; returns the rows written. */
  record(events: readonly AuditEvent[]): Promise<AuditRow[]> {
    const run = this.queue.then(() => this.recordNow(events));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The end of the chain as this pane last wrote or read it (null: not known). */
  knownTip(): AuditTip | null {
    return this.gateway.settings.get<AuditTip>(SETTINGS.auditTip) ?? null;
  }

  /** Remembers the end of the chain after rows were appended after `before`. */
  async appended(before: AuditTip, rows: readonly AuditRow[]): Promise<void> {
    if (rows.length === 0) return;
    if (this.unsavedId && rows[0].workbookId === this.unsavedId) await this.workbookId();
    await this.gateway.settings.set(SETTINGS.auditTip, { entries: before.entries + rows.length, lastHash: rows[rows.length - 1].entryHash } satisfies AuditTip);
  }

  /** The events as sealed rows linked to `tip`, without appending them (a Write appends them with its sheets). */
  async seal(events: readonly AuditEvent[], tip: AuditTip): Promise<AuditRow[]> {
    if (events.length === 0) return [];
    return this.sealAfter(events, tip.entries ? tip.lastHash : GENESIS_HASH);
  }

  private async recordNow(events: readonly AuditEvent[]): Promise<AuditRow[]> {
    if (events.length === 0) return [];
    const tip = await this.gateway.audit.tip();
    const rows = await this.sealAfter(events, tip.entries ? tip.lastHash : GENESIS_HASH);
    await this.gateway.audit.append(rows);
    await this.appended(tip, rows);
    return rows;
  }

  private async sealAfter(events: readonly AuditEvent[], prev: string): Promise<AuditRow[]> {
    const workbookId = this.workbookIdUnsaved();
    const user = this.userName();
    const timestamp = this.now().toISOString();
    const unsealed: UnsealedEntry[] = events.map((e) => ({
      entryId: this.uuid(),
      timestamp,
      user,
      workbookId,
      action: e.action,
      sku: e.sku ?? "",
      field: e.field ?? "",
      oldValue: e.oldValue ?? "",
      newValue: e.newValue ?? "",
      reason: e.reason ?? "",
      modelVersion: e.modelVersion ?? "",
    }));
    const sealed = await sealEntries(unsealed, prev);
    return sealed.map((e) => ({ ...e, syncState: "pending" }));
  }

  /** Every entry in chain order with the sheet row it is on. */
  async readAll(): Promise<ListedAuditRow[]> {
    return withSheetRows(await this.gateway.audit.readAll());
  }

  /** Entries newest first; filters match SKU and user case-insensitively (substring), action exactly. */
  async list(filter: AuditFilter = {}): Promise<ListedAuditRow[]> {
    return filterAudit(await this.readAll(), filter);
  }

  async verify(): Promise<VerifyResult> {
    const rows = await this.gateway.audit.readAll();
    const check = await verifyChain(rows);
    if (check.ok) {
      return { ok: true, count: check.count, message: check.count ? `All ${check.count} audit entries are intact.` : "The audit trail is empty." };
    }
    // gateways that know where each row came from say so (sheetRow); otherwise rows are contiguous from row 2
    const found = rows[check.index] as AuditRow & { sheetRow?: number };
    const sheetRow = typeof found.sheetRow === "number" ? found.sheetRow : check.index + AUDIT_FIRST_DATA_ROW;
    return {
      ok: false,
      count: rows.length,
      sheetRow,
      entryId: check.entryId,
      reason: check.reason,
      message: `${AUDIT_SHEET} row ${sheetRow} (entry ${check.entryId}): ${check.reason}.`,
    };
  }
}
