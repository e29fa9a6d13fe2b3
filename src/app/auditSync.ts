/**
 * The seam for sending audit entries to the backend (SyncService in syncService.ts). The pane only
 * shows a status from it and offers "sync now"; the default does nothing but count pending rows.
 * An implementation reads pending rows (syncState "pending"), sends them, then calls
 * gateway.audit.markSynced(ids) and reports its status to subscribers.
 */
import type { AuditRow } from "./ports";

export type SyncStatus =
  | { kind: "synced" }
  | { kind: "pending"; pending: number; configured: boolean }
  | { kind: "error"; pending: number; message: string };

export interface AuditSync {
  status(): SyncStatus;
  subscribe(listener: () => void): () => void;
  /** Tells the sync what the sheet holds now (after a write or a reload of the audit list). */
  observe(rows: readonly AuditRow[]): void;
  /** Sends pending entries; the no-op default resolves without doing anything. */
  syncNow(): Promise<void>;
}

export function describeSyncStatus(s: SyncStatus): string {
  switch (s.kind) {
    case "synced":
      return "Synced with the server";
    case "pending":
      return s.configured ? `${s.pending} pending` : `${s.pending} pending (no server configured)`;
    case "error":
      return `Sync failed: ${s.message} (${s.pending} pending)`;
  }
}

/** Default: no backend. Counts pending rows so the pane can say so; never sends anything. */
export class NoopAuditSync implements AuditSync {
  private current: SyncStatus = { kind: "synced" };
  private listeners = new Set<() => void>();

  status(): SyncStatus {
    return this.current;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  observe(rows: readonly AuditRow[]): void {
    const pending = rows.filter((r) => r.syncState !== "synced").length;
    const next: SyncStatus = pending ? { kind: "pending", pending, configured: false } : { kind: "synced" };
    if (JSON.stringify(next) !== JSON.stringify(this.current)) {
      this.current = next;
      this.listeners.forEach((l) => l());
    }
  }

  async syncNow(): Promise<void> {
    // nothing to send to: the backend sync is configured elsewhere
  }
}
