/** Overrides tab: pick rows on the Segments sheet, choose a segment, give a reason. */
import { Button, Field, Select, Subtitle2, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, Textarea } from "@fluentui/react-components";
import { useState } from "react";
import { SEGMENTS } from "../../engine/policy";
import { PublishLine } from "../components/PublishLine";
import { usePane } from "../usePane";
import { useCommonStyles } from "./common";

export function OverridesTab() {
  const [state, session] = usePane();
  const styles = useCommonStyles();
  const [segment, setSegment] = useState("");
  const [reason, setReason] = useState("");
  const busy = state.busy !== null;
  const sel = state.selection;
  const fieldError = (f: string) => (state.errorField === f ? state.error ?? undefined : undefined);
  return (
    <div className={styles.stack}>
      <Subtitle2 as="h2">Override segments</Subtitle2>
      <Text>
        Select one or more rows of the table on the Segments sheet, then read them. The override wins over the computed segment in this and later runs, and every change is written to the
        audit trail.
      </Text>
      <div className={styles.row}>
        <Button onClick={() => session.loadSelection()} disabled={busy}>
          Read selected rows
        </Button>
      </div>
      {sel && sel.length > 0 && (
        <div className={styles.tableWrap}>
          <Table size="small" aria-label="Selected SKUs">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>SKU</TableHeaderCell>
                <TableHeaderCell>Computed</TableHeaderCell>
                <TableHeaderCell>Override</TableHeaderCell>
                <TableHeaderCell>Reason</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {sel.slice(0, 100).map((s) => (
                <TableRow key={s.sku}>
                  <TableCell>{s.sku}</TableCell>
                  <TableCell>{s.segment}</TableCell>
                  <TableCell>{s.override || "–"}</TableCell>
                  <TableCell>{s.overrideReason}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {sel.length > 100 && <Text className={styles.muted}>… and {sel.length - 100} more.</Text>}
        </div>
      )}
      <Field label="New segment" required validationState={fieldError("segment") ? "error" : "none"} validationMessage={fieldError("segment")}>
        <Select value={segment} onChange={(_, d) => setSegment(d.value)}>
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
            await session.setOverride(segment, reason);
            if (!session.getState().error) setReason("");
          }}
        >
          Set override
        </Button>
        <Button
          disabled={busy}
          onClick={async () => {
            await session.clearOverride(reason);
            if (!session.getState().error) setReason("");
          }}
        >
          Remove override
        </Button>
      </div>
      {state.publishStatus && state.publishStatus.kind !== "idle" && <PublishLine status={state.publishStatus} />}
    </div>
  );
}
