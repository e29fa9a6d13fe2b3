/**
 * The Audit step: the SEG_Audit entries (newest first, filtered, each with its sheet row and entry
 * id) without unhiding the sheet, the integrity check, and the backend sync's status ("Sync now"
 * runs beside the pane's steps, not as one).
 */
import { filterAudit, withSheetRows, type AuditFilter, type ListedAuditRow, type VerifyResult } from "../auditService";
import type { SyncStatus } from "../auditSync";
import { defineStep } from "../step";
import { errorText } from "../store";

export interface AuditState {
  /** Filtered, newest first. */
  rows: ListedAuditRow[];
  /** Entries on the sheet (before filtering). */
  total: number;
  filter: AuditFilter;
  verify: VerifyResult | null;
  syncStatus: SyncStatus;
  /** The list was read at least once (so appended rows can be added to it). */
  listed: boolean;
}

export interface AuditActions {
  load(filter?: AuditFilter): Promise<void>;
  /** Checks the chain and re-reads the list, so what it names can be found in the list. */
  verify(): Promise<void>;
  /** "Sync now": resolves when this sync loop has ended and the list has been re-read. */
  syncNow(): Promise<void>;
}

declare module "../store" {
  interface StepStates {
    audit: AuditState;
  }
  interface StepActions {
    audit: AuditActions;
  }
}

export const auditStep = defineStep({
  key: "audit",
  create(ctx) {
    let all: ListedAuditRow[] = [];
    const initial: AuditState = { rows: [], total: 0, filter: {}, verify: null, syncStatus: ctx.sync.status(), listed: false };

    function show(rows: ListedAuditRow[]): void {
      all = rows;
      ctx.set({ rows: filterAudit(all, ctx.state().filter), total: all.length, listed: true });
    }

    async function reread(): Promise<void> {
      const rows = await ctx.audit.readAll();
      ctx.sync.observe(rows);
      show(rows);
    }

    /** Re-reads outside any step (after the sync marked rows); waits for a running step. */
    function rereadQuietly(): void {
      ctx.store.whenIdle(() => {
        reread().catch(() => undefined); // the list keeps what it showed; the next load reads again
      });
    }

    // The list's syncState column is read with the list: re-read it when the sync has marked rows
    // (it turned "synced", or stopped on an error after sending some).
    let lastKind = ctx.sync.status().kind;
    ctx.sync.subscribe(() => {
      const syncStatus = ctx.sync.status();
      const turned = syncStatus.kind !== lastKind && (syncStatus.kind === "synced" || syncStatus.kind === "error");
      lastKind = syncStatus.kind;
      ctx.set({ syncStatus });
      if (turned && ctx.state().listed) rereadQuietly();
    });

    ctx.store.on("auditAppended", (rows) => {
      if (rows.length === 0) return;
      if (ctx.state().listed) {
        const merged = [...all, ...withSheetRows(rows, all.length)];
        ctx.sync.observe(merged);
        show(merged);
      } else {
        ctx.sync.observe(rows);
      }
    });

    const actions: AuditActions = {
      async load(filter) {
        await ctx.task("Reading the audit trail", async () => {
          if (filter) ctx.set({ filter });
          // marked before reading, so that the sync turning "synced" during this read re-reads after it
          ctx.set({ listed: true });
          await reread();
        });
      },
      async verify() {
        await ctx.task("Checking the audit trail", async () => {
          const verify = await ctx.audit.verify();
          ctx.set({ verify });
          await reread();
        });
      },
      async syncNow() {
        try {
          await ctx.sync.syncNow();
        } catch (e) {
          ctx.store.fail(`Sync failed: ${errorText(e)}`);
          return;
        }
        if (ctx.state().listed) rereadQuietly();
      },
    };
    return { initial, actions };
  },
});
