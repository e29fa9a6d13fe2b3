/**
 * Audit tab: the backend sync's status ("Sync now" runs beside the pane's steps, not as one), the
 * SEG_Audit entries (newest first, filtered) without unhiding the sheet, and the integrity check.
 */
import {
  Button,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Select,
  Subtitle2,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
} from "@fluentui/react-components";
import { useEffect, useState } from "react";
import { AUDIT_ACTIONS, type AuditAction } from "../../engine/audit";
import { SyncStatus } from "../components/SyncStatus";
import { usePane } from "../usePane";
import { useCommonStyles } from "./common";

const MAX_SHOWN = 300;

export function AuditTab() {
  const [state, session] = usePane();
  const styles = useCommonStyles();
  const [sku, setSku] = useState(state.auditFilter.sku ?? "");
  const [user, setUser] = useState(state.auditFilter.user ?? "");
  const [action, setAction] = useState<AuditAction | "">(state.auditFilter.action ?? "");
  const busy = state.busy !== null;
  useEffect(() => {
    void session.loadAudit();
  }, [session]);
  const rows = state.auditRows;
  const v = state.verify;
  return (
    <div className={styles.stack}>
      <Subtitle2 as="h2">Audit trail</Subtitle2>
      <SyncStatus sync={session.sync} onSyncNow={() => session.syncNow()} />
      <form
        className={styles.row}
        aria-label="Audit filters"
        onSubmit={(e) => {
          e.preventDefault();
          void session.loadAudit({ sku, user, action });
        }}
      >
        <Field label="SKU contains">
          <Input value={sku} onChange={(_, d) => setSku(d.value)} />
        </Field>
        <Field label="User contains">
          <Input value={user} onChange={(_, d) => setUser(d.value)} />
        </Field>
        <Field label="Action">
          <Select value={action} onChange={(_, d) => setAction(d.value as AuditAction | "")}>
            <option value="">Any</option>
            {AUDIT_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </Select>
        </Field>
        <Button type="submit" disabled={busy}>
          Apply filters
        </Button>
      </form>
      <div className={styles.row}>
        <Button appearance="primary" onClick={() => session.verifyAudit()} disabled={busy}>
          Verify integrity
        </Button>
      </div>
      {v && (
        <MessageBar layout="multiline" intent={v.ok ? "success" : "error"} role={v.ok ? "status" : "alert"}>
          <MessageBarBody>
            <MessageBarTitle>{v.ok ? "Intact" : "Broken"}</MessageBarTitle>
            {v.message}
            {!v.ok && " Rows from there on cannot be trusted; compare them with the server copy."}
          </MessageBarBody>
        </MessageBar>
      )}
      <Text role="status">
        {rows.length} entr{rows.length === 1 ? "y" : "ies"}
        {rows.length > MAX_SHOWN ? ` (newest ${MAX_SHOWN} shown)` : ""}, newest first.
      </Text>
      <div className={styles.tableWrap}>
        <Table size="small" aria-label="Audit entries">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>When, who</TableHeaderCell>
              <TableHeaderCell>Event</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.slice(0, MAX_SHOWN).map((r) => (
              <TableRow key={r.entryId}>
                <TableCell className={styles.cellTop}>
                  <div>{r.timestamp.replace("T", " ").slice(0, 19)} UTC</div>
                  <div>{r.user}</div>
                  <div className={styles.muted}>{r.syncState}</div>
                </TableCell>
                <TableCell className={styles.cellTop}>
                  <div>
                    <b>{r.action}</b>
                    {r.sku ? ` ${r.sku}` : ""}
                  </div>
                  <div>{r.action === "classify-run" ? r.reason : `${r.field}: ${r.oldValue} → ${r.newValue}`}</div>
                  {r.action !== "classify-run" && r.reason && <div>Reason: {r.reason}</div>}
                  <div className={styles.muted}>Model version {r.modelVersion || "–"}</div>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
    </div>
  );
}
