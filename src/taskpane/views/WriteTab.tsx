/**
 * Write tab: write every sheet the steps contribute, with the progress and Cancel shown above the
 * tabs; answer the questions a write may ask (hand edits, replacing existing sheets); what was
 * written and how long it took from the click, the round trips behind a "Details" disclosure; the
 * snapshot published to the server.
 */
import {
  Accordion,
  AccordionHeader,
  AccordionItem,
  AccordionPanel,
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Subtitle2,
  Table,
  TableBody,
  TableCell,
  TableRow,
  Text,
} from "@fluentui/react-components";
import { bytes, count, plural, seconds } from "../format";
import { PublishLine } from "../components/PublishLine";
import { usePeek, useStep } from "../usePane";
import { useCommonStyles } from "./common";

export function WriteTab() {
  const [state, actions, common] = useStep("write");
  const classify = usePeek("classify");
  const styles = useCommonStyles();
  const run = classify?.run ?? null;
  const w = state.lastWrite;
  const q = state.question;
  return (
    <div className={styles.stack}>
      <Subtitle2 as="h2">Write to the workbook</Subtitle2>
      <Text>
        Creates or updates the <b>Segments</b> sheet (table and Pareto chart) and the <b>Policy</b> sheet (policy per segment and per SKU), all or nothing. Overrides are kept; hand edits on
        the Policy sheet are not overwritten without asking.
        {state.publishStatus && " With a server set up in Settings, each Write is published there as a snapshot under its model version."}
      </Text>
      {run ? (
        <Text role="status" className={styles.wrap}>
          Ready: {plural(run.parsed.n, "SKU")} from {classify?.source?.address ?? "the last read"}.
        </Text>
      ) : (
        <Text role="status">Classify first (Classify tab): there is nothing to write yet.</Text>
      )}
      <div className={styles.row}>
        <Button appearance="primary" onClick={() => actions.write()} disabled={!run || common.running !== null}>
          Write sheets
        </Button>
      </div>
      {w && (
        <section aria-labelledby="seg-write-result" className={styles.stack}>
          <Subtitle2 id="seg-write-result">Last write</Subtitle2>
          <Table size="small" aria-label="Last write" className={styles.table}>
            <TableBody>
              <TableRow>
                <TableCell>SKU rows written</TableCell>
                <TableCell className={styles.num}>{count(w.rows)}</TableCell>
              </TableRow>
              <TableRow>
                <TableCell>Sheets</TableCell>
                <TableCell className={styles.wrap}>{w.sheets.join(", ")}</TableCell>
              </TableRow>
              <TableRow>
                <TableCell>Time, from the click</TableCell>
                <TableCell className={styles.num}>{seconds(w.ms)}</TableCell>
              </TableRow>
              <TableRow>
                <TableCell>Overrides applied</TableCell>
                <TableCell className={styles.num}>
                  {count(w.overridden)}
                  {w.flagged ? ` (${count(w.flagged)} flagged)` : ""}
                </TableCell>
              </TableRow>
            </TableBody>
          </Table>
          {w.summary.length > 0 && (
            <ul className={styles.list} aria-label="What the write kept and changed">
              {w.summary.map((l) => (
                <li key={l}>{l}</li>
              ))}
            </ul>
          )}
          <Accordion collapsible>
            <AccordionItem value="details">
              <AccordionHeader size="small">Details</AccordionHeader>
              <AccordionPanel>
                <Table size="small" aria-label="Write details" className={styles.table}>
                  <TableBody>
                    <TableRow>
                      <TableCell>Model version</TableCell>
                      <TableCell className={styles.wrap}>{w.modelVersion}</TableCell>
                    </TableRow>
                    <TableRow>
                      <TableCell>Cells written</TableCell>
                      <TableCell className={styles.num}>{count(w.report.cells)}</TableCell>
                    </TableRow>
                    <TableRow>
                      <TableCell>Round trips to Excel</TableCell>
                      <TableCell className={styles.num}>{count(w.report.syncs)}</TableCell>
                    </TableRow>
                    <TableRow>
                      <TableCell>Largest request</TableCell>
                      <TableCell className={styles.num}>{bytes(w.report.largestPayloadBytes)}</TableCell>
                    </TableRow>
                  </TableBody>
                </Table>
              </AccordionPanel>
            </AccordionItem>
          </Accordion>
        </section>
      )}
      {state.publishStatus && <PublishLine status={state.publishStatus} />}
      <Dialog open={q !== null} modalType="alert">
        <DialogSurface aria-describedby="seg-question-text">
          <DialogBody>
            <DialogTitle>{q?.title}</DialogTitle>
            <DialogContent>
              <Text id="seg-question-text">{q?.text}</Text>
              <ul className={styles.list}>
                {(q?.items ?? []).map((item) => (
                  <li key={item}>{item}</li>
                ))}
              </ul>
              {q?.footer && <Text block>{q.footer}</Text>}
            </DialogContent>
            <DialogActions fluid>
              {(q?.choices ?? []).map((c) => (
                <Button key={c.answer} appearance={c.primary ? "primary" : "secondary"} onClick={() => actions.answer(c.answer)}>
                  {c.label}
                </Button>
              ))}
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </div>
  );
}
