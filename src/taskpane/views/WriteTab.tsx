/**
 * Write tab: write the Segments and Policy sheets with progress and Cancel; ask about hand edits;
 * the state of the snapshot published to the server after the Write.
 */
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  ProgressBar,
  Subtitle2,
  Table,
  TableBody,
  TableCell,
  TableRow,
  Text,
} from "@fluentui/react-components";
import { describeConflict } from "../../app/policyEdits";
import { PublishLine } from "../components/PublishLine";
import { usePane } from "../usePane";
import { bytes, useCommonStyles } from "./common";

export function WriteTab() {
  const [state, session] = usePane();
  const styles = useCommonStyles();
  const run = session.currentRun();
  const writing = state.busy === "writing";
  const p = state.progress;
  const w = state.lastWrite;
  return (
    <div className={styles.stack}>
      <Subtitle2 as="h2">Write to the workbook</Subtitle2>
      <Text>
        Creates or updates the <b>Segments</b> sheet (table and Pareto chart) and the <b>Policy</b> sheet (policy per segment and per SKU). Overrides are kept; hand edits on the Policy
        sheet are not overwritten without asking.
        {state.publishStatus &&
          " With a server set up in Settings, each Write is published there as a snapshot under its model version, and each override made afterwards while the pane stays open under <model version>+o1, +o2, …"}
      </Text>
      {run ? (
        <Text role="status">
          Ready: {run.parsed.n} SKUs from {state.source?.address ?? "the last read"}.
        </Text>
      ) : (
        <Text role="status">Classify first (Classify tab): there is nothing to write yet.</Text>
      )}
      <div className={styles.row}>
        <Button appearance="primary" onClick={() => session.write()} disabled={!run || state.busy !== null}>
          Write sheets
        </Button>
        {writing && (
          <Button onClick={() => session.cancelWrite()} aria-label="Cancel the write">
            Cancel
          </Button>
        )}
      </div>
      {writing && (
        <Field label={p ? `${p.phase}…` : "Starting…"} validationState="none">
          <ProgressBar value={p && p.total > 0 ? p.done / p.total : undefined} max={1} aria-label="Write progress" />
        </Field>
      )}
      {w && (
        <section aria-labelledby="seg-write-result" className={styles.stack}>
          <Subtitle2 id="seg-write-result">Last write</Subtitle2>
          <Table size="small" aria-label="Last write figures">
            <TableBody>
              <TableRow>
                <TableCell>Model version</TableCell>
                <TableCell>{w.modelVersion}</TableCell>
              </TableRow>
              <TableRow>
                <TableCell>SKU rows</TableCell>
                <TableCell>{w.rows}</TableCell>
              </TableRow>
              <TableRow>
                <TableCell>Cells written</TableCell>
                <TableCell>{w.report.cells}</TableCell>
              </TableRow>
              <TableRow>
                <TableCell>Syncs with Excel</TableCell>
                <TableCell>{w.report.syncs}</TableCell>
              </TableRow>
              <TableRow>
                <TableCell>Largest payload</TableCell>
                <TableCell>{bytes(w.report.largestPayloadBytes)}</TableCell>
              </TableRow>
              <TableRow>
                <TableCell>Time</TableCell>
                <TableCell>{(w.ms / 1000).toFixed(2)} s</TableCell>
              </TableRow>
              <TableRow>
                <TableCell>Overrides applied</TableCell>
                <TableCell>
                  {w.overridden}
                  {w.flagged ? ` (${w.flagged} flagged: computed segment changed)` : ""}
                </TableCell>
              </TableRow>
            </TableBody>
          </Table>
          {w.replacedEdits.length > 0 && (
            <ul className={styles.list} aria-label="Hand edits replaced">
              {w.replacedEdits.map((e) => (
                <li key={e.address}>{describeConflict(e)}</li>
              ))}
            </ul>
          )}
        </section>
      )}
      {state.publishStatus && <PublishLine status={state.publishStatus} />}
      <Dialog open={state.conflicts !== null} modalType="alert">
        <DialogSurface aria-describedby="seg-conflicts-text">
          <DialogBody>
            <DialogTitle>The Policy sheet was edited by hand</DialogTitle>
            <DialogContent>
              <Text id="seg-conflicts-text">These cells differ from what the add-in wrote last time. Keep the sheet&apos;s values (recommended), or write the pane&apos;s?</Text>
              <ul className={styles.list}>
                {(state.conflicts ?? []).map((e) => (
                  <li key={e.address}>{describeConflict(e)}</li>
                ))}
              </ul>
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" onClick={() => session.resolveConflicts("keep")}>
                Keep theirs
              </Button>
              <Button onClick={() => session.resolveConflicts("new")}>Use new</Button>
              <Button onClick={() => session.dismissConflicts()}>Don&apos;t write</Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </div>
  );
}
