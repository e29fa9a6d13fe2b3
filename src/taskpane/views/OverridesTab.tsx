/** Overrides tab: pick rows on the Segments sheet, choose a segment, give a reason. */
import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Field, Select, Subtitle2, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, Textarea } from "@fluentui/react-components";
import { useState } from "react";
import { SEGMENTS } from "../../engine/policy";
import { PublishLine } from "../components/PublishLine";
import { count } from "../format";
import { usePeek, useSession, useStep } from "../usePane";
import { useCommonStyles } from "./common";

const SHOWN = 100;

export function OverridesTab() {
  const [state, actions, common] = useStep("overrides");
  const session = useSession();
  const write = usePeek("write");
  const styles = useCommonStyles();
  const [segment, setSegment] = useState("");
  const [reason, setReason] = useState("");
  const busy = common.running !== null;
  const sel = state.selection;
  const fieldError = (f: string) => (common.errorField === f ? (common.error ?? undefined) : undefined);
  return (
    <div className={styles.stack}>
      <Subtitle2 as="h2">Override segments</Subtitle2>
      <Text>
        Select one or more rows of the table on the Segments sheet, then read them. The override wins over the computed segment in this and later runs, and every change is written to the
        audit trail.
      </Text>
      <div className={styles.row}>
        <Button onClick={() => actions.loadSelection()} disabled={busy}>
          Read selected rows
        </Button>
      </div>
      {sel && sel.length > 0 && (
        <div className={styles.tableWrap}>
          <Table size="small" aria-label="Selected SKUs" className={styles.table}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell>SKU</TableHeaderCell>
                <TableHeaderCell>Computed</TableHeaderCell>
                <TableHeaderCell>Override</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {sel.slice(0, SHOWN).map((s) => (
                <TableRow key={s.sku}>
                  <TableCell className={styles.wrap}>{s.sku}</TableCell>
                  <TableCell>{s.segment || "–"}</TableCell>
                  <TableCell className={styles.wrap} title={s.overrideReason}>
                    {s.override || "–"}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {sel.length > SHOWN && <Text className={styles.muted}>… and {count(sel.length - SHOWN)} more ({count(sel.length)} selected).</Text>}
        </div>
      )}
      <Field label="New segment" required className={styles.field} validationState={fieldError("segment") ? "error" : "none"} validationMessage={fieldError("segment")}>
        <Select className={styles.control} value={segment} onChange={(_, d) => setSegment(d.value)}>
          <option value="">Choose…</option>
          {SEGMENTS.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </Select>
      </Field>
      <Field
        label="Reason"
        required
        className={styles.field}
        hint="Why the computed segment does not fit (written to the sheet and the audit trail)."
        validationState={fieldError("reason") ? "error" : "none"}
        validationMessage={fieldError("reason")}
      >
        <Textarea value={reason} onChange={(_, d) => setReason(d.value)} resize="vertical" />
      </Field>
      <div className={styles.row}>
        <Button
          appearance="primary"
          disabled={busy}
          onClick={async () => {
            await actions.setOverride(segment, reason);
            if (!session.getState().common.error && !session.getState().steps.overrides.confirm) setReason("");
          }}
        >
          Set override
        </Button>
        <Button disabled={busy} onClick={() => actions.clearOverride(reason)}>
          Remove override
        </Button>
      </div>
      {write?.publishStatus && write.publishStatus.kind !== "idle" && <PublishLine status={write.publishStatus} />}
      <Dialog open={state.confirm !== null} modalType="alert">
        <DialogSurface aria-describedby="seg-confirm-text">
          <DialogBody>
            <DialogTitle>{state.confirm?.kind === "clear" ? "Remove many overrides?" : "Override many SKUs?"}</DialogTitle>
            <DialogContent>
              <Text id="seg-confirm-text">{state.confirm?.text} Each one is recorded in the audit trail with your reason.</Text>
            </DialogContent>
            <DialogActions fluid>
              <Button appearance="primary" onClick={() => actions.confirm(true)}>
                {state.confirm?.kind === "clear" ? `Remove ${count(state.confirm?.count ?? 0)}` : `Override ${count(state.confirm?.count ?? 0)}`}
              </Button>
              <Button onClick={() => actions.confirm(false)}>Cancel</Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </div>
  );
}
