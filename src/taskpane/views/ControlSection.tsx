/**
 * Change control and data quality (inside the Versions tab): the change-control mode, the changes
 * a Write would make, the change request with its reason and its approval; the data-quality
 * checks, their thresholds, the data-steward table, the report with the owners beside each failed
 * rule, and "go ahead anyway" with a reason. With a server set, whether the request is on the
 * server and a Refresh that reads the server's decision. Presentation only: src/app/steps/control.ts.
 */
import { Button, Checkbox, Field, Input, Select, Subtitle2, Text, Textarea, makeStyles, tokens } from "@fluentui/react-components";
import { useState } from "react";
import type { ChangeControlMode } from "../../app/steps/control";
import { useStep } from "../usePane";
import { NumberField, useCommonStyles } from "./common";

const useStyles = makeStyles({
  cards: { margin: 0, paddingLeft: 0, listStyleType: "none", display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalS },
  card: { display: "flex", flexDirection: "column", minWidth: 0, overflowWrap: "anywhere" },
  steward: { display: "grid", gridTemplateColumns: "minmax(0, 1fr) minmax(0, 1fr) auto", columnGap: tokens.spacingHorizontalS, alignItems: "end", minWidth: 0 },
});

export function ControlSection() {
  const [state, actions, common] = useStep("control");
  const styles = useCommonStyles();
  const own = useStyles();
  const busy = common.running !== null;
  const [reason, setReason] = useState("");
  const [approval, setApproval] = useState("");
  const [force, setForce] = useState("");
  const fieldError = (f: string) => (common.errorField === f ? (common.error ?? undefined) : undefined);
  const r = state.request;
  const t = state.dq.thresholds;
  const stewards = state.dq.stewards;
  const report = state.report;
  return (
    <div className={styles.stack}>
      <section aria-labelledby="seg-change-control" className={styles.stack}>
        <Subtitle2 id="seg-change-control" as="h2">
          Change control
        </Subtitle2>
        <Field label="Changes to cut-offs, rules and the policy grid" className={styles.field}>
          <Select className={styles.control} value={state.mode} onChange={(_, d) => actions.setMode(d.value as ChangeControlMode)} disabled={busy}>
            <option value="off">write without a change request</option>
            <option value="reason">need a reason, recorded before the write</option>
            <option value="approval">need a reason and a controller's approval</option>
          </Select>
        </Field>
        <div className={styles.row}>
          <Button onClick={() => actions.check()} disabled={busy}>
            Check the pane against the last Write
          </Button>
        </div>
        {state.changes.length > 0 ? (
          <ul className={styles.list} aria-label="Changes since the last Write">
            {state.changes.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ul>
        ) : (
          <Text size={200}>No change to the cut-offs, rules or grid since the last Write (as last checked).</Text>
        )}
        {r && (
          <Text role="status" className={styles.wrap}>
            {r.status === "pending" ? "Pending" : r.status === "approved" ? "Approved" : "Rejected"} change request by {r.by} ({r.at.slice(0, 16).replace("T", " ")} UTC): {r.reason} — {r.changes.join("; ")}
            {r.approvedBy ? `. Approved by ${r.approvedBy}: ${r.approvalComment}` : ""}
            {r.rejectedBy ? `. Rejected by ${r.rejectedBy}: ${r.rejectionComment}` : ""}
          </Text>
        )}
        {r?.server && (
          <Text size={200} className={styles.wrap}>
            {r.server === "stored" ? "On the server: the server's decision counts, and the Write asks it again right before writing." : `Not on the server yet: ${r.serverProblem ?? ""}`}
          </Text>
        )}
        {r && (
          <div className={styles.row}>
            <Button onClick={() => actions.refresh()} disabled={busy}>
              Refresh from the server
            </Button>
          </div>
        )}
        {state.mode !== "off" && (
          <>
            <Field label="Reason for the change" className={styles.field} validationState={fieldError("changeReason") ? "error" : "none"} validationMessage={fieldError("changeReason")}>
              <Textarea className={styles.control} value={reason} onChange={(_, d) => setReason(d.value)} disabled={busy} />
            </Field>
            <div className={styles.row}>
              <Button appearance="primary" onClick={() => actions.requestChange(reason)} disabled={busy}>
                Record change request
              </Button>
            </div>
          </>
        )}
        {r && r.status === "pending" && (
          <>
            <Field
              label="Approval comment (controller)"
              className={styles.field}
              validationState={fieldError("approvalComment") || fieldError("rejectionComment") ? "error" : "none"}
              validationMessage={fieldError("approvalComment") ?? fieldError("rejectionComment")}
            >
              <Textarea className={styles.control} value={approval} onChange={(_, d) => setApproval(d.value)} disabled={busy} />
            </Field>
            <div className={styles.row}>
              <Button onClick={() => actions.approveChange(approval)} disabled={busy}>
                Approve the change
              </Button>
              <Button onClick={() => actions.rejectChange(approval)} disabled={busy}>
                Reject the change
              </Button>
            </div>
          </>
        )}
      </section>

      <section aria-labelledby="seg-dq" className={styles.stack}>
        <Subtitle2 id="seg-dq" as="h2">
          Data quality
        </Subtitle2>
        <Checkbox label="Suspend a Write whose data fails these checks" checked={state.dq.enabled} onChange={(_, d) => actions.setDataQuality({ enabled: d.checked === true })} disabled={busy} />
        <div className={styles.grid2}>
          <NumberField label="Rejected rows at most (%)" percent value={t.maxRejectedShare} onValue={(v) => actions.setThreshold("maxRejectedShare", v)} disabled={busy} />
          <NumberField label="Stale SKUs at most (%)" percent value={t.maxStaleShare} onValue={(v) => actions.setThreshold("maxStaleShare", v)} disabled={busy} />
          <NumberField label="Stale after (periods)" value={t.staleAfterPeriods} onValue={(v) => actions.setThreshold("staleAfterPeriods", v)} disabled={busy} />
          <NumberField label="History at least (periods)" value={t.minHistoryPeriods} onValue={(v) => actions.setThreshold("minHistoryPeriods", v)} disabled={busy} />
          <NumberField label="Duplicate SKUs at most" value={t.maxDuplicateSkus} onValue={(v) => actions.setThreshold("maxDuplicateSkus", v)} disabled={busy} />
          <NumberField label="Total moved at most (%)" percent value={t.maxTotalChange} onValue={(v) => actions.setThreshold("maxTotalChange", v)} disabled={busy} />
        </div>
        <Text weight="semibold">Data stewards (field → owner)</Text>
        {stewards.map((s, i) => (
          <div key={i} className={own.steward}>
            <Field label={`Field ${i + 1}`} className={styles.field}>
              <Input className={styles.control} value={s.field} onChange={(_, d) => actions.setStewards(stewards.map((x, k) => (k === i ? { ...x, field: d.value } : x)))} disabled={busy} />
            </Field>
            <Field label="Owner" className={styles.field}>
              <Input className={styles.control} value={s.owner} onChange={(_, d) => actions.setStewards(stewards.map((x, k) => (k === i ? { ...x, owner: d.value } : x)))} disabled={busy} />
            </Field>
            <Button aria-label={`Remove steward ${i + 1}`} onClick={() => actions.setStewards(stewards.filter((_, k) => k !== i))} disabled={busy}>
              ✕
            </Button>
          </div>
        ))}
        <div className={styles.row}>
          <Button onClick={() => actions.setStewards([...stewards, { field: "value", owner: "(owner)" }])} disabled={busy}>
            Add a steward
          </Button>
          <Button onClick={() => actions.check()} disabled={busy}>
            Check the data now
          </Button>
        </div>
        {report && (
          <section aria-label="Data-quality report" className={styles.stack}>
            <Text role="status" weight="semibold">
              Verdict: {report.verdict}
              {report.failed ? ` (${report.failed} rule(s) failed)` : ""}
            </Text>
            <ul className={own.cards}>
              {report.rules
                .filter((x) => x.enabled)
                .map((x) => (
                  <li key={x.rule} className={own.card}>
                    <Text size={200}>
                      {x.pass === false ? "✗" : x.pass ? "✓" : "–"} {x.message}
                    </Text>
                    {x.owners.length > 0 && (
                      <Text size={200} className={styles.muted}>
                        Owners: {x.owners.map((o) => `${o.field} → ${o.owner}${o.contact ? ` (${o.contact})` : ""}`).join("; ")}
                      </Text>
                    )}
                  </li>
                ))}
            </ul>
            {report.verdict === "suspend" && (
              <>
                <Field label="Reason to write anyway" className={styles.field} validationState={fieldError("forceReason") ? "error" : "none"} validationMessage={fieldError("forceReason")}>
                  <Textarea className={styles.control} value={force} onChange={(_, d) => setForce(d.value)} disabled={busy} />
                </Field>
                <div className={styles.row}>
                  <Button onClick={() => actions.proceedAnyway(force)} disabled={busy}>
                    Go ahead anyway
                  </Button>
                </div>
              </>
            )}
            {state.forcedReason && <Text size={200}>Going ahead: {state.forcedReason}</Text>}
          </section>
        )}
      </section>
    </div>
  );
}
