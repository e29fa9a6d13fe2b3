/**
 * Audit tab: the backend sync's status ("Sync now" runs beside the pane's steps, not as one), the
 * SEG_Audit entries (newest first, filtered, each with its sheet row and entry id) without
 * unhiding the sheet, and the integrity check, which names the row and entry the list shows.
 */
import { Button, Field, Input, MessageBar, MessageBarBody, MessageBarTitle, Select, Subtitle2, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text } from "@fluentui/react-components";
import { useEffect, useState } from "react";
import { AUDIT_ACTIONS, type AuditAction } from "../../engine/audit";
import { SyncStatus } from "../components/SyncStatus";
import { count } from "../format";
import { useSession, useStep } from "../usePane";
import { useCommonStyles } from "./common";

const MAX_SHOWN = 300;

export function AuditTab() {
  const [state, actions, common] = useStep("audit");
  const session = useSession();
  const styles = useCommonStyles();
  const [sku, setSku] = useState(state.filter.sku ?? "");
  const [user, setUser] = useState(state.filter.user ?? "");
  const [action, setAction] = useState<AuditAction | "">(state.filter.action ?? "");
  const busy = common.running !== null;
  useEffect(() => {
    void actions.load();
  }, [actions]);
  const rows = state.rows;
  const v = state.verify;
  const broken = v && !v.ok ? v.entryId : null;
  return (
    <div className={styles.stack}>
      <Subtitle2 as="h2">Audit trail</Subtitle2>
      <SyncStatus sync={session.sync} onSyncNow={() => actions.syncNow()} />
      <form
        className={styles.grid2}
        aria-label="Audit filters"
        onSubmit={(e) => {
          e.preventDefault();
          void actions.load({ sku, user, action });
        }}
      >
        <Field label="SKU contains" className={styles.field}>
          <Input className={styles.control} value={sku} onChange={(_, d) => setSku(d.value)} />
        </Field>
        <Field label="User contains" className={styles.field}>
          <Input className={styles.control} value={user} onChange={(_, d) => setUser(d.value)} />
        </Field>
        <Field label="Action" className={styles.field}>
          <Select className={styles.control} value={action} onChange={(_, d) => setAction(d.value as AuditAction | "")}>
            <option value="">Any</option>
            {AUDIT_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </Select>
        </Field>
        <div className={styles.row}>
          <Button type="submit" disabled={busy}>
            Apply filters
          </Button>
        </div>
      </form>
      <div className={styles.row}>
        <Button appearance="primary" onClick={() => actions.verify()} disabled={busy}>
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
        {count(rows.length)} entr{rows.length === 1 ? "y" : "ies"}
        {rows.length !== state.total ? ` of ${count(state.total)}` : ""}
        {rows.length > MAX_SHOWN ? ` (newest ${count(MAX_SHOWN)} shown)` : ""}, newest first.
      </Text>
      <div className={styles.tableWrap}>
        <Table size="small" aria-label="Audit entries" className={styles.table}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell style={{ width: "38%" }}>Row, when, who</TableHeaderCell>
              <TableHeaderCell>Event</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.slice(0, MAX_SHOWN).map((r) => (
              <TableRow key={r.entryId} data-broken={r.entryId === broken ? "true" : undefined} aria-current={r.entryId === broken ? "true" : undefined}>
                <TableCell className={styles.cellTop}>
                  <div>
                    <b>Row {count(r.sheetRow)}</b>
                    {r.entryId === broken ? " (broken)" : ""}
                  </div>
                  <div>{r.timestamp.replace("T", " ").slice(0, 16)} UTC</div>
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
                  <div className={styles.muted}>
                    Entry {r.entryId.slice(0, 8)}… · model version {r.modelVersion || "–"}
                  </div>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
    </div>
  );
}
