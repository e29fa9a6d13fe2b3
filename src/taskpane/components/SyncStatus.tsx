/**
 * The audit sync's state in the pane: "Synced", "N pending" or "Error: reason", with a "Sync now"
 * button. Presentation only: the state comes from an AuditSync (SyncService, or the no-op default).
 */
import { Badge, Button, makeStyles, Spinner, Text, tokens } from "@fluentui/react-components";
import { useCallback, useState, useSyncExternalStore } from "react";
import type { AuditSync, SyncStatus as SyncState } from "../../app/auditSync";

export function syncStatusText(s: SyncState): string {
  switch (s.kind) {
    case "synced":
      return "Synced";
    case "pending":
      return s.configured ? `${s.pending} pending` : `${s.pending} pending (no server configured: see Settings)`;
    case "error":
      return `Error: ${s.message}`;
  }
}

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalXS },
  row: { display: "flex", alignItems: "center", columnGap: tokens.spacingHorizontalS, flexWrap: "wrap" },
  error: { color: tokens.colorPaletteRedForeground1 },
});

export interface SyncStatusProps {
  sync: AuditSync;
  /**
   * What "Sync now" does; by default sync.syncNow(). The pane passes session.syncNow(), which
   * also refreshes its audit list afterwards.
   */
  onSyncNow?: () => Promise<unknown> | void;
}

export function SyncStatus({ sync, onSyncNow }: SyncStatusProps) {
  const styles = useStyles();
  const subscribe = useCallback((l: () => void) => sync.subscribe(l), [sync]);
  const getStatus = useCallback(() => sync.status(), [sync]);
  const status = useSyncExternalStore(subscribe, getStatus, getStatus);
  const [busy, setBusy] = useState(false);

  const click = async () => {
    setBusy(true);
    try {
      await (onSyncNow ? onSyncNow() : sync.syncNow());
    } finally {
      setBusy(false);
    }
  };

  // a coloured dot beside the words; the words carry the meaning
  const color = status.kind === "synced" ? "success" : status.kind === "pending" ? "warning" : "danger";

  return (
    <section className={styles.root} aria-label="Audit sync">
      <div className={styles.row}>
        <Badge size="small" shape="circular" color={color} aria-hidden="true" />
        <Text role={status.kind === "error" ? "alert" : "status"} className={status.kind === "error" ? styles.error : undefined} size={200}>
          {syncStatusText(status)}
        </Text>
        <Button size="small" onClick={() => void click()} disabled={busy} icon={busy ? <Spinner size="extra-tiny" /> : undefined}>
          {busy ? "Syncing…" : "Sync now"}
        </Button>
      </div>
    </section>
  );
}
