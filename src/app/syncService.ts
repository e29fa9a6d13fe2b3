/**
 * The audit sync: sends the SEG_Audit rows still marked "pending" to the backend and marks them
 * "synced" once the server has confirmed them. The sheet is the queue, so a pane or Excel restart
 * loses nothing: a new SyncService on the same workbook starts from the first pending row.
 *
 * Rules
 * - Batches are contiguous runs of the chain in sheet (chain) order, starting at the first pending
 *   row, at most `batchSize` entries and about `maxBatchBytes` of JSON. A synced row caught inside
 *   a run is sent again; the server is idempotent by entryId and reports it as already stored.
 * - A row is marked synced only when the server listed its id in `stored` or `alreadyStored`.
 * - One loop at a time per service: a trigger while a loop runs is folded into that loop.
 * - No connection, a timeout, 408, 429 and 5xx are retried after a backoff with full jitter
 *   (src/client/retry.ts), Retry-After honoured. Other answers (401/403 token problems, 409 broken
 *   chain, 400 invalid entry) stop the loop with a message naming the row and the fix; the next
 *   append, "Sync now" or a settings change tries again.
 * - A 409 or 400 about entry k of a batch first sends entries 0..k-1 (they are fine), then stops at k.
 * - A 413 halves the batch and tries again at once.
 * - A 409 saying the first entry does not link to the server's trail, when that trail ends at an
 *   earlier row of the sheet (the server lost its newest entries, e.g. restored from a backup):
 *   the rows after that one are sent again, once per loop. Any other fork stops the loop.
 */
import {
  ApiError,
  DEFAULT_BACKOFF,
  formatSeconds,
  isRetryable,
  MAX_AUDIT_BATCH,
  problemKind,
  retryDelay,
  SegApiClient,
  type AppendResult,
  type AuditEntry,
  type BackoffPolicy,
  type ClientTimers,
  type FetchLike,
} from "../client";
import { AUDIT_HASHED_FIELDS } from "../engine/audit";
import { AUDIT_FIRST_DATA_ROW, AUDIT_SHEET } from "./auditService";
import type { AuditSync, SyncStatus } from "./auditSync";
import type { AuditRow, WorkbookGateway } from "./ports";
import type { TrailWitness } from "./trailWitness";
import type { ServerSettings } from "./serverSettings";

export const DEFAULT_BATCH_SIZE = 500;
export const DEFAULT_MAX_BATCH_BYTES = 1_000_000;
export const DEFAULT_SYNC_TIMEOUT_MS = 30_000;

/** Where the URL and token come from (a ServerSettingsStore in the pane). */
export interface SyncSettingsSource {
  load(): Promise<ServerSettings | null>;
  subscribe?(listener: () => void): () => void;
}

export interface SyncServiceOptions {
  gateway: WorkbookGateway;
  settings: SyncSettingsSource;
  fetch?: FetchLike;
  /** Entries per request (default 500, at most 1000). */
  batchSize?: number;
  /** Approximate JSON size limit per request (default 1 MB; the server refuses above 5 MiB). */
  maxBatchBytes?: number;
  /** Time limit per request, ms (default 30 s). */
  timeoutMs?: number;
  backoff?: BackoffPolicy;
  timers?: ClientTimers;
  /** [0, 1), for the jitter. */
  random?: () => number;
  /** Epoch ms. */
  now?: () => number;
  /** Checks each receipt and keeps the last signed head (trailWitness.ts); none: receipts are not checked. */
  witness?: TrailWitness;
}

export type SyncPhase = "idle" | "sending" | "waiting" | "stopped" | "disposed";

/** More than SyncStatus carries, for a detailed display and for tests. */
export interface SyncDetail {
  phase: SyncPhase;
  pending: number;
  /** Failed attempts in a row (0 after a success). */
  failures: number;
  /** When the next automatic retry runs (epoch ms), while waiting. */
  nextRetryAt: number | null;
  lastSyncedAt: number | null;
  lastError: string | null;
  /** Entries this service confirmed and marked synced. */
  confirmed: number;
  /** Requests sent. */
  requests: number;
}

type Outcome = "done" | "unconfigured" | "retry" | "stopped" | "disposed";

const ENTRY_FIELDS = [...AUDIT_HASHED_FIELDS, "entryHash"] as const;

/** Exactly the fields of an audit entry (the server rejects unknown ones such as syncState or sheetRow). */
export function auditEntryOf(row: AuditRow): AuditEntry {
  const out: Record<string, string> = {};
  const r = row as unknown as Record<string, unknown>;
  for (const f of ENTRY_FIELDS) out[f] = r[f] === null || r[f] === undefined ? "" : String(r[f]);
  return out as unknown as AuditEntry;
}

function isPending(r: AuditRow): boolean {
  return r.syncState !== "synced";
}

function pendingKey(rows: readonly AuditRow[]): string {
  let n = 0;
  let last = "";
  for (const r of rows) {
    if (isPending(r)) {
      n++;
      last = r.entryId;
    }
  }
  return `${n}|${last}`;
}

/** The sheet row of the row at chain index i (gateways that know it say so). */
function sheetRowOf(rows: readonly AuditRow[], i: number): number {
  const r = rows[i] as AuditRow & { sheetRow?: number };
  return typeof r?.sheetRow === "number" ? r.sheetRow : i + AUDIT_FIRST_DATA_ROW;
}

export class SyncService implements AuditSync {
  private readonly gateway: WorkbookGateway;
  private readonly settings: SyncSettingsSource;
  private readonly fetchFn?: FetchLike;
  private readonly batchSize: number;
  private readonly maxBatchBytes: number;
  private readonly timeoutMs: number;
  private readonly backoff: BackoffPolicy;
  private readonly timers: ClientTimers;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly witness: TrailWitness | undefined;

  private current: SyncStatus = { kind: "synced" };
  private info: SyncDetail = { phase: "idle", pending: 0, failures: 0, nextRetryAt: null, lastSyncedAt: null, lastError: null, confirmed: 0, requests: 0 };
  private listeners = new Set<() => void>();
  private running: Promise<void> | null = null;
  private rerun = false;
  /** The settings changed while a pass was running: run again with the new ones, whatever that pass's outcome. */
  private restart = false;
  private retryHandle: unknown = null;
  private abort: AbortController | null = null;
  private disposed = false;
  private configured = false;
  /** The pending rows when the loop stopped on an error that needs a fix; the same rows do not re-trigger it. */
  private stoppedAt: string | null = null;
  private readonly unsubscribeSettings: (() => void) | undefined;

  constructor(options: SyncServiceOptions) {
    this.gateway = options.gateway;
    this.settings = options.settings;
    this.fetchFn = options.fetch;
    this.batchSize = Math.max(1, Math.min(MAX_AUDIT_BATCH, Math.floor(options.batchSize ?? DEFAULT_BATCH_SIZE)));
    this.maxBatchBytes = options.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_SYNC_TIMEOUT_MS;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.timers = options.timers ?? {
      setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
      clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
    };
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.witness = options.witness;
    // New URL or token: whatever stopped the loop may be fixed; start over with no backoff.
    this.unsubscribeSettings = this.settings.subscribe?.(() => {
      this.stoppedAt = null;
      this.info = { ...this.info, failures: 0 };
      // A pass already running read the old settings: it must not end the loop on their error.
      if (this.running) this.restart = true;
      void this.trigger();
    });
  }

  // ---- AuditSync --------------------------------------------------------------------------------

  status(): SyncStatus {
    return this.current;
  }

  detail(): SyncDetail {
    return this.info;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The sheet changed (an append, or the audit list was reloaded): update the count and send. */
  observe(rows: readonly AuditRow[]): void {
    if (this.disposed) return;
    const pending = rows.reduce((n, r) => n + (isPending(r) ? 1 : 0), 0);
    this.setPending(pending);
    if (pending === 0) return;
    if (this.running) {
      this.rerun = true;
      return;
    }
    if (this.retryHandle !== null) return; // the retry timer will pick the new rows up
    if (this.stoppedAt !== null && this.stoppedAt === pendingKey(rows)) return;
    void this.trigger();
  }

  /** Sends now (the "Sync now" button); resolves when this loop has ended (synced, stopped or waiting to retry). */
  syncNow(): Promise<void> {
    this.stoppedAt = null;
    return this.trigger();
  }

  // ---- lifecycle --------------------------------------------------------------------------------

  /** First look at the sheet when the pane opens: sends whatever an earlier session left pending. */
  start(): Promise<void> {
    return this.trigger();
  }

  /** Stops timers and cancels the request in flight (the rows it carried stay pending). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.clearRetry();
    this.abort?.abort();
    this.unsubscribeSettings?.();
    this.update(this.current, { phase: "disposed", nextRetryAt: null });
    this.listeners.clear();
  }

  /** Resolves when no loop is running (tests). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  // ---- the loop ---------------------------------------------------------------------------------

  private trigger(): Promise<void> {
    if (this.disposed) return Promise.resolve();
    if (this.running) {
      this.rerun = true;
      return this.running;
    }
    this.clearRetry();
    const run = (async () => {
      try {
        let outcome: Outcome;
        for (;;) {
          this.rerun = false;
          this.restart = false;
          outcome = await this.pass();
          if (this.disposed) break;
          if (this.restart) {
            // new URL or token during the pass: its failure (stop or backoff) was about the old ones
            this.clearRetry();
            this.stoppedAt = null;
            this.info = { ...this.info, failures: 0 };
            continue;
          }
          if (!(outcome === "done" && this.rerun)) break;
        }
      } finally {
        this.running = null;
      }
    })();
    this.running = run;
    return run;
  }

  private async pass(): Promise<Outcome> {
    let settings: ServerSettings | null;
    let rows: AuditRow[];
    try {
      settings = await this.settings.load();
      rows = await this.gateway.audit.readAll();
    } catch (e) {
      return this.fail(new Error(`Could not read the ${AUDIT_SHEET} sheet: ${(e as Error).message}`), null);
    }
    this.configured = settings !== null;
    let client: SegApiClient | null = null;
    let limit = this.batchSize;
    let reread = false;
    let sent = false;
    /** Set when the server is behind the sheet's "synced" marks (restored from a backup): resend from here. */
    let resendFrom: number | null = null;
    let recovered = false;
    for (;;) {
      if (this.disposed) return "disposed";
      const firstPending = rows.findIndex(isPending);
      if (resendFrom !== null && (firstPending < 0 || resendFrom >= firstPending)) resendFrom = null;
      const first: number = resendFrom ?? firstPending;
      if (first < 0) {
        // Everything read so far is confirmed; look once more for rows appended meanwhile.
        if (!reread && sent) {
          reread = true;
          try {
            rows = await this.gateway.audit.readAll();
          } catch (e) {
            return this.fail(new Error(`Could not read the ${AUDIT_SHEET} sheet: ${(e as Error).message}`), null);
          }
          continue;
        }
        this.update({ kind: "synced" }, { phase: "idle", pending: 0, failures: 0, lastError: null, nextRetryAt: null });
        return "done";
      }
      reread = false;
      const pending = rows.reduce((n, r) => n + (isPending(r) ? 1 : 0), 0);
      if (!settings) {
        this.update({ kind: "pending", pending, configured: false }, { phase: "idle", pending, nextRetryAt: null });
        return "unconfigured";
      }
      if (!client) {
        try {
          client = new SegApiClient({ baseUrl: settings.url, token: settings.token, fetch: this.fetchFn, timeoutMs: this.timeoutMs, timers: this.timers, now: this.now });
        } catch (e) {
          return this.fail(e, rows);
        }
      }

      // One contiguous run of the chain from the first pending row, of one workbook.
      const workbookId = rows[first].workbookId;
      const batch: AuditRow[] = [];
      let bytes = 0;
      for (let i = first; i < rows.length && batch.length < limit && rows[i].workbookId === workbookId; i++) {
        const size = JSON.stringify(auditEntryOf(rows[i])).length + 1;
        if (batch.length > 0 && bytes + size > this.maxBatchBytes) break;
        batch.push(rows[i]);
        bytes += size;
      }
      const entries = batch.map(auditEntryOf);

      this.update(this.current, { phase: "sending", pending, nextRetryAt: null, requests: this.info.requests + 1 });
      let confirmed: Set<string>;
      let receipt: AppendResult["receipt"];
      const abort = new AbortController();
      this.abort = abort;
      try {
        const res = await client.appendAudit(workbookId, entries, abort.signal);
        confirmed = new Set([...res.stored, ...res.alreadyStored]);
        receipt = res.receipt;
      } catch (e) {
        if (this.disposed) return "disposed";
        if (e instanceof ApiError && (e.status === 409 || e.status === 400)) {
          const k = e.problem?.index;
          if (typeof k === "number" && k > 0 && k < entries.length && k < limit) {
            limit = k; // the entries before the refused one are fine: send them on their own first
            continue;
          }
          if (k === 0 && !recovered && problemKind(e.problem) === "broken-chain" && /does not link to/.test(e.problem?.detail ?? "")) {
            recovered = true;
            const from = await this.serverResumePoint(client, workbookId, rows, first);
            if (this.disposed) return "disposed";
            if (from !== null) {
              resendFrom = from;
              continue;
            }
          }
        }
        if (e instanceof ApiError && e.status === 413 && limit > 1) {
          limit = Math.max(1, Math.floor(batch.length / 2));
          continue;
        }
        return this.fail(e, rows, first);
      } finally {
        if (this.abort === abort) this.abort = null;
      }

      const missing = entries.filter((x) => !confirmed.has(x.entryId));
      if (missing.length > 0) {
        return this.fail(new Error(`The server confirmed ${entries.length - missing.length} of ${entries.length} entries (not ${missing[0].entryId}); they stay pending.`), rows, first);
      }
      const ids = batch.filter(isPending).map((r) => r.entryId);
      try {
        await this.gateway.audit.markSynced(ids);
      } catch (e) {
        return this.fail(new Error(`The server has the entries, but marking them synced in ${AUDIT_SHEET} failed: ${(e as Error).message}`), rows, first);
      }
      for (const r of batch) r.syncState = "synced";
      // The server has these entries; now hold it to what it signed before (docs/audit-proofs.md).
      if (this.witness && receipt) {
        let check;
        try {
          check = await this.witness.check(client, workbookId, receipt);
        } catch (e) {
          return this.fail(e, rows, first);
        }
        // Not retryable: the same server would give the same answer; the next change to the sheet checks again.
        if (!check.ok) return this.fail(new ApiError({ kind: "bad-response", message: check.reason }), rows, first);
      }
      if (resendFrom !== null) resendFrom = first + batch.length;
      sent = true;
      limit = this.batchSize;
      const left = pending - ids.length;
      const status: SyncStatus = left > 0 ? { kind: "pending", pending: left, configured: true } : { kind: "synced" };
      this.update(status, {
        phase: left > 0 ? "sending" : "idle",
        pending: left,
        failures: 0,
        lastError: null,
        lastSyncedAt: this.now(),
        confirmed: this.info.confirmed + ids.length,
      });
    }
  }

  /**
   * After "does not link to the stored chain": when the server's trail ends at a row of the sheet
   * before `first` (the server lost its latest entries, e.g. restored from a backup), the index to
   * resend from; null when it ends elsewhere (a fork: a copied workbook, removed rows).
   */
  private async serverResumePoint(client: SegApiClient, workbookId: string, rows: readonly AuditRow[], first: number): Promise<number | null> {
    let head;
    try {
      head = await client.getWorkbook(workbookId);
    } catch {
      return null;
    }
    const start = rows.findIndex((r) => r.workbookId === workbookId);
    if (!head || head.entryCount === 0) return start >= 0 && start < first ? start : null;
    const k = rows.findIndex((r) => r.workbookId === workbookId && r.entryHash === head.lastHash);
    return k >= 0 && k + 1 < first ? k + 1 : null;
  }

  /** Records a failure: schedules a retry when one can help, else stops with the reason. */
  private fail(error: unknown, rows: readonly AuditRow[] | null, batchStart = 0): Outcome {
    if (this.disposed) return "disposed";
    const pending = rows ? rows.reduce((n, r) => n + (isPending(r) ? 1 : 0), 0) : this.info.pending;
    const reason = this.describe(error, rows, batchStart);
    if (isRetryable(error)) {
      const delay = retryDelay(error, this.info.failures, this.backoff, this.random);
      const failures = this.info.failures + 1;
      this.retryHandle = this.timers.setTimeout(() => {
        this.retryHandle = null;
        void this.trigger();
      }, delay);
      const message = `${reason} Trying again in ${formatSeconds(delay)}${failures > 1 ? ` (attempt ${failures + 1})` : ""}.`;
      this.update({ kind: "error", pending, message }, { phase: "waiting", pending, failures, lastError: reason, nextRetryAt: this.now() + delay });
      return "retry";
    }
    this.stoppedAt = rows ? pendingKey(rows) : null;
    this.update({ kind: "error", pending, message: reason }, { phase: "stopped", pending, lastError: reason, nextRetryAt: null, failures: this.info.failures + 1 });
    return "stopped";
  }

  /** The message for the pane: the server's reason, the sheet row it is about, and what to do. */
  private describe(error: unknown, rows: readonly AuditRow[] | null, batchStart: number): string {
    const base = error instanceof Error ? error.message : String(error);
    if (!(error instanceof ApiError) || !rows) return base;
    const p = error.problem;
    let where = "";
    if (p && (typeof p.entryId === "string" || typeof p.index === "number")) {
      let i = typeof p.entryId === "string" ? rows.findIndex((r) => r.entryId === p.entryId) : -1;
      if (i < 0 && typeof p.index === "number") i = batchStart + p.index;
      if (i >= 0 && i < rows.length) where = `${AUDIT_SHEET} row ${sheetRowOf(rows, i)} (entry ${rows[i].entryId}): `;
    }
    const kind = problemKind(p);
    let fix = "";
    if (error.status === 409 && kind === "broken-chain") {
      fix = /does not match its hash|edited/.test(p?.detail ?? "")
        ? " The row was changed after it was written: run Verify integrity on the Audit tab and restore the row from a backup of the workbook. Entries before it are on the server; syncing stops here."
        : " The server's copy of this workbook's trail and the SEG_Audit sheet disagree: rows were removed or reordered, or this workbook is a copy (Save As) of one that already syncs. Entries before it are on the server; syncing stops here.";
    } else if (error.status === 409 && kind === "entry-conflict") {
      fix = " The server holds an entry with this id and different content: the row was changed after it was synced. Syncing stops here.";
    } else if (error.status === 400 && where) {
      fix = " Run Verify integrity on the Audit tab; syncing stops here.";
    }
    return `${where}${base}${fix}`;
  }

  private setPending(pending: number): void {
    const c = this.current;
    let next: SyncStatus;
    if (pending === 0) next = { kind: "synced" };
    else if (c.kind === "error") next = { ...c, pending };
    else next = { kind: "pending", pending, configured: this.configured };
    this.update(next, { pending });
  }

  private update(status: SyncStatus, patch: Partial<SyncDetail>): void {
    const changed = JSON.stringify(status) !== JSON.stringify(this.current);
    const before = this.info;
    this.info = { ...this.info, ...patch };
    if (changed) this.current = status;
    if (changed || before.phase !== this.info.phase || before.pending !== this.info.pending) this.listeners.forEach((l) => l());
  }

  private clearRetry(): void {
    if (this.retryHandle !== null) {
      this.timers.clearTimeout(this.retryHandle);
      this.retryHandle = null;
    }
  }
}
