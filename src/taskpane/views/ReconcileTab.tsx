/**
 * Reconcile tab (controllers): read a finance sheet, map its columns, set the tolerances, join
 * rules and category rules, reconcile with the written segmentation, read the status, totals,
 * cross-tab and mismatch lists, write the Reconciliation sheet and approve it with a comment; with
 * a server set, whether the latest is on the server, and Refresh to read the server's approvals.
 * Loaded lazily (steps.ts). Presentation only: the rules are in src/app/steps/reconcile.ts.
 */
import { Button, Checkbox, Field, Input, Select, Subtitle2, Text, Textarea, makeStyles, tokens } from "@fluentui/react-components";
import { useState } from "react";
import { FINANCE_FIELDS, FINANCE_FIELD_LABELS, type FinanceField } from "../../app/financeMapping";
import { statusLabel } from "../../app/reconcileModel";
import { MATCH_RULES, type DifferenceRow, type OptionalMatchRule } from "../../engine/reconcile";
import { amount, count, fixed, pct, plural } from "../format";
import { SheetSource } from "../components/SheetSource";
import { useStep } from "../usePane";
import { NumberField, useCommonStyles } from "./common";

const useStyles = makeStyles({
  cards: { margin: 0, paddingLeft: 0, listStyleType: "none", display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalS },
  card: { display: "flex", flexDirection: "column", minWidth: 0, overflowWrap: "anywhere" },
  status: { fontWeight: tokens.fontWeightSemibold, overflowWrap: "anywhere" },
  rule: { display: "grid", gridTemplateColumns: "minmax(0, 1fr) minmax(0, 1fr) auto", columnGap: tokens.spacingHorizontalS, alignItems: "end", minWidth: 0 },
});

const money = (x: number) => fixed(x, 2);
const pctOrDash = (x: number | null) => (x === null ? "–" : pct(x, 2));

function DifferenceList({ label, rows, total }: { label: string; rows: DifferenceRow[]; total: number }) {
  const styles = useCommonStyles();
  if (total === 0) return null;
  return (
    <section className={styles.stack} aria-label={label}>
      <Text weight="semibold">
        {label} ({count(total)}
        {total > rows.length ? `, first ${count(rows.length)} shown` : ""})
      </Text>
      <ul className={styles.list}>
        {rows.map((d) => (
          <li key={`${d.sku}-${d.sourceRow}`}>
            {d.sku} ({d.segment}, finance row {d.sourceRow}): {money(d.segmentation)} against {money(d.finance)}, difference {money(d.difference)} ({pctOrDash(d.differencePct)}), tolerance {money(d.tolerance)} — {d.status}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function ReconcileTab() {
  const [state, actions, common] = useStep("reconcile");
  const styles = useCommonStyles();
  const own = useStyles();
  const [comment, setComment] = useState("");
  const busy = common.running !== null;
  const m = state.mapping;
  const s = state.settings;
  const p = state.preview;
  const q = state.question;
  const latest = state.records[state.records.length - 1];
  const fieldError = (f: string) => (common.errorField === f ? (common.error ?? undefined) : undefined);
  return (
    <div className={styles.stack}>
      <section aria-labelledby="seg-finance" className={styles.stack}>
        <Subtitle2 id="seg-finance" as="h2">
          Finance sheet
        </Subtitle2>
        <Text>Select the inventory valuation or GL extract (SKU, finance category, book value; quantity, currency, entity if there are).</Text>
        <SheetSource
          readLabel="Read finance sheet"
          busy={busy}
          onRead={(kind) => actions.readSource(kind)}
          source={state.source}
          headers={state.headers}
          fields={FINANCE_FIELDS}
          labels={FINANCE_FIELD_LABELS}
          columns={m ? m.columns : null}
          onField={(f: FinanceField, c) => actions.setMappingField(f, c)}
          problems={state.mappingProblems}
          problemsLabel="Finance mapping problems"
        />
      </section>

      <section aria-labelledby="seg-recon-settings" className={styles.stack}>
        <Subtitle2 id="seg-recon-settings" as="h2">
          Tolerances and rules
        </Subtitle2>
        <Text size={200}>A difference is within tolerance when it is at most the absolute amount or the percentage of the finance figure, whichever is greater.</Text>
        <div className={styles.grid2}>
          <NumberField label="Value tolerance (amount)" value={s.valueTolerance.abs} min={0} onValue={(v) => actions.setSettings({ valueTolerance: { ...s.valueTolerance, abs: v } })} disabled={busy} problem={fieldError("valueTolerance")} />
          <NumberField label="Value tolerance (%)" percent value={s.valueTolerance.rel} min={0} onValue={(v) => actions.setSettings({ valueTolerance: { ...s.valueTolerance, rel: v } })} disabled={busy} />
          <NumberField label="Quantity tolerance (units)" value={s.quantityTolerance.abs} min={0} onValue={(v) => actions.setSettings({ quantityTolerance: { ...s.quantityTolerance, abs: v } })} disabled={busy} problem={fieldError("quantityTolerance")} />
          <NumberField label="Quantity tolerance (%)" percent value={s.quantityTolerance.rel} min={0} onValue={(v) => actions.setSettings({ quantityTolerance: { ...s.quantityTolerance, rel: v } })} disabled={busy} />
          <Field label="Segmentation currency" className={styles.field} validationState={fieldError("currency") ? "error" : "none"} validationMessage={fieldError("currency")}>
            <Input className={styles.control} value={s.currency} placeholder="e.g. EUR" onChange={(_, d) => actions.setSettings({ currency: d.value })} disabled={busy} />
          </Field>
          <Field label="Rates into it" hint='e.g. "USD 0.92; GBP 1.17"' className={styles.field} validationState={fieldError("rates") ? "error" : "none"} validationMessage={fieldError("rates")}>
            <Input className={styles.control} value={s.rates} onChange={(_, d) => actions.setSettings({ rates: d.value })} disabled={busy} />
          </Field>
          <Field label="Several rows for one SKU" className={styles.field}>
            <Select className={styles.control} value={s.duplicates} onChange={(_, d) => actions.setSettings({ duplicates: d.value as "list" | "sumAcrossEntities" })} disabled={busy}>
              <option value="list">list them (not compared)</option>
              <option value="sumAcrossEntities">sum across entities</option>
            </Select>
          </Field>
        </div>
        <Checkbox label="Compare values (off when the segmentation value is a flow and finance a stock)" checked={s.compareValue} onChange={(_, d) => actions.setSettings({ compareValue: d.checked === true })} disabled={busy} />
        <Checkbox label="Compare quantities" checked={s.compareQuantity} onChange={(_, d) => actions.setSettings({ compareQuantity: d.checked === true })} disabled={busy} />
        <fieldset className={styles.stack} style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
          <legend>SKU join rules (after an exact match)</legend>
          <div className={styles.grid2}>
            {MATCH_RULES.filter((r): r is OptionalMatchRule => r !== "exact").map((r) => (
              <Checkbox key={r} label={r} checked={s.rules[r]} onChange={(_, d) => actions.setSettings({ rules: { ...s.rules, [r]: d.checked === true } })} disabled={busy} />
            ))}
          </div>
        </fieldset>
        <section aria-labelledby="seg-category-rules" className={styles.stack}>
          <Text id="seg-category-rules" weight="semibold">
            Category rules: finance category → allowed segments
          </Text>
          <Text size={200}>Segments (AX), globs (A*, *Z), ABC classes (C), inactive, pinned, any. Example: Obsolescence reserve → inactive, C.</Text>
          {s.categoryRules.map((r, i) => (
            <div key={i} className={own.rule}>
              <Field label={`Category ${i + 1}`} className={styles.field}>
                <Input className={styles.control} value={r.category} onChange={(_, d) => actions.setCategoryRule(i, { category: d.value })} disabled={busy} />
              </Field>
              <Field label="Allowed" className={styles.field}>
                <Input className={styles.control} value={r.allowed} onChange={(_, d) => actions.setCategoryRule(i, { allowed: d.value })} disabled={busy} />
              </Field>
              <Button aria-label={`Remove category rule ${i + 1}`} onClick={() => actions.removeCategoryRule(i)} disabled={busy}>
                ✕
              </Button>
            </div>
          ))}
          {fieldError("categoryRules") && (
            <Text role="alert" className={styles.wrap}>
              {fieldError("categoryRules")}
            </Text>
          )}
          <div className={styles.row}>
            <Button onClick={() => actions.addCategoryRule()} disabled={busy}>
              Add a rule
            </Button>
          </div>
        </section>
        <div className={styles.row}>
          <Button appearance="primary" onClick={() => actions.run()} disabled={busy || !m}>
            Reconcile
          </Button>
        </div>
      </section>

      {p && (
        <section aria-labelledby="seg-recon-result" className={styles.stack}>
          <Subtitle2 id="seg-recon-result" as="h2">
            Result
          </Subtitle2>
          <Text role="status" className={own.status}>
            {statusLabel(p.status)}
          </Text>
          <Text className={styles.wrap}>
            Segmentation {money(p.totals.segmentationValue)} ({plural(p.totals.segmentationSkus, "SKU")}) against finance {money(p.totals.financeValue)} ({plural(p.totals.financeRows, "row")}): difference {money(p.totals.difference)} ({pctOrDash(p.totals.differencePct)})
            {p.currency ? `, in ${p.currency}` : ""}. Model version {p.modelVersion ?? "(not written yet)"}.
          </Text>
          <ul className={own.cards} aria-label="Items per status">
            {p.byStatus.map((b) => (
              <li key={b.status} className={own.card}>
                <Text size={200}>
                  {b.status}: {plural(b.items, "item")}, segmentation {amount(b.segmentationValue)}, finance {amount(b.financeValue)}, difference {money(b.difference)}
                </Text>
              </li>
            ))}
          </ul>
          <Text size={200} className={styles.wrap}>
            Join: {p.matchRules.map((r) => `${r.rule} ${r.enabled ? count(r.matched) : "off"}`).join(", ")}
            {p.collisions ? `; ${plural(p.collisions, "collision")} of segmentation SKUs` : ""}.
          </Text>
          <section aria-label="Per segment" className={styles.stack}>
            <Text weight="semibold">Per segment</Text>
            <ul className={styles.list}>
              {p.perSegment.map((g) => (
                <li key={g.label}>
                  {g.label}: {money(g.segmentationValue)} against {money(g.financeValue)}, difference {money(g.difference)} ({pctOrDash(g.differencePct)})
                </li>
              ))}
            </ul>
          </section>
          <section aria-label="Segment by finance category" className={styles.stack}>
            <Text weight="semibold">Book value by segment and finance category</Text>
            <ul className={own.cards}>
              {p.crossTab.segments.map((seg, i) => (
                <li key={seg} className={own.card}>
                  <Text size={200}>
                    <b>{seg}</b>:{" "}
                    {p.crossTab.categories
                      .map((c, j) => [c, p.crossTab.financeValue[i][j]] as const)
                      .filter(([, v]) => v !== 0)
                      .map(([c, v]) => `${c} ${amount(v)}`)
                      .join("; ") || "nothing in finance"}
                    ; total {amount(p.crossTab.rowTotals[i].financeValue)}
                  </Text>
                </li>
              ))}
              <li className={own.card}>
                <Text size={200}>
                  <b>Total</b>: {p.crossTab.columnTotals.map((c) => `${c.label} ${amount(c.financeValue)}`).join("; ")}; {amount(p.crossTab.grandTotal.financeValue)}
                </Text>
              </li>
            </ul>
          </section>
          {p.counts.segmentationOnly > 0 && (
            <section aria-label="Not in finance" className={styles.stack}>
              <Text weight="semibold">Not in finance ({count(p.counts.segmentationOnly)})</Text>
              <ul className={styles.list}>
                {p.segmentationOnly.map((r) => (
                  <li key={r.sku}>
                    {r.sku} ({r.segment}): {money(r.value)}
                  </li>
                ))}
              </ul>
            </section>
          )}
          {p.counts.financeOnly > 0 && (
            <section aria-label="Not in the segmentation" className={styles.stack}>
              <Text weight="semibold">Not in the segmentation ({count(p.counts.financeOnly)})</Text>
              <ul className={styles.list}>
                {p.financeOnly.map((r) => (
                  <li key={`${r.sourceRow}`}>
                    Row {r.sourceRow}: {r.sku} ({r.category || "no category"}) {money(r.bookValue)} — {r.reason}
                    {r.candidates.length ? ` (could be ${r.candidates.join(", ")})` : ""}
                  </li>
                ))}
              </ul>
            </section>
          )}
          {p.counts.duplicates > 0 && (
            <section aria-label="Duplicates in finance" className={styles.stack}>
              <Text weight="semibold">Duplicates in finance ({count(p.counts.duplicates)})</Text>
              <ul className={styles.list}>
                {p.duplicates.map((d) => (
                  <li key={d.key}>
                    {d.sku ?? d.key} ({d.kind}{d.summed ? ", summed" : ""}): rows {d.rows.map((r) => `${r.sourceRow} ${money(r.bookValue)}${r.entity ? ` ${r.entity}` : ""}`).join(", ")}
                  </li>
                ))}
              </ul>
            </section>
          )}
          <DifferenceList label="Value differences" rows={p.valueDifferences} total={p.counts.valueDifferences} />
          <DifferenceList label="Quantity differences" rows={p.quantityDifferences} total={p.counts.quantityDifferences} />
          {p.counts.categoryViolations > 0 && (
            <section aria-label="Category-rule violations" className={styles.stack}>
              <Text weight="semibold">Category-rule violations ({count(p.counts.categoryViolations)})</Text>
              <ul className={styles.list}>
                {p.categoryViolations.map((v) => (
                  <li key={`${v.sourceRow}-${v.rule}`}>{v.message}</li>
                ))}
              </ul>
            </section>
          )}
          {p.ruleWarnings.length > 0 && (
            <ul className={styles.list} aria-label="Rule warnings">
              {p.ruleWarnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          )}
          {p.counts.rejected > 0 && (
            <section aria-label="Rejected finance rows" className={styles.stack}>
              <Text weight="semibold">Rejected finance rows ({count(p.counts.rejected)})</Text>
              <ul className={styles.list}>
                {p.rejected.map((r) => (
                  <li key={r}>{r}</li>
                ))}
              </ul>
            </section>
          )}
          <div className={styles.row}>
            <Button appearance="primary" onClick={() => actions.write()} disabled={busy || !p.modelVersion}>
              Write the Reconciliation sheet
            </Button>
          </div>
          {!p.modelVersion && <Text size={200}>Write the segmentation first (Write tab): a reconciliation names the model version it ties out.</Text>}
        </section>
      )}

      {q && (
        <section aria-labelledby="seg-recon-question" className={styles.stack} role="alertdialog">
          <Subtitle2 id="seg-recon-question" as="h2">
            {q.title}
          </Subtitle2>
          <Text className={styles.wrap}>{q.text}</Text>
          <div className={styles.row}>
            {q.choices.map((c) => (
              <Button key={c.answer} appearance={c.primary ? "primary" : "secondary"} onClick={() => actions.answer(c.answer)} disabled={busy}>
                {c.label}
              </Button>
            ))}
          </div>
        </section>
      )}

      {latest && (
        <section aria-labelledby="seg-recon-approve" className={styles.stack}>
          <Subtitle2 id="seg-recon-approve" as="h2">
            Approval
          </Subtitle2>
          <Text className={styles.wrap}>
            Latest: model version {latest.modelVersion}, {latest.status}, difference {money(latest.difference)}, recorded by {latest.by} at {latest.at.slice(0, 16).replace("T", " ")} UTC.
          </Text>
          {latest.server && (
            <Text size={200} className={styles.wrap}>
              {latest.server === "stored" ? "On the server: the approval is given there (a controller other than the one who recorded it)." : `Not on the server yet: ${latest.serverProblem ?? ""}`}
            </Text>
          )}
          {latest.approval ? (
            <Text role="status" className={styles.wrap}>
              Approved by {latest.approval.by} at {latest.approval.at.slice(0, 16).replace("T", " ")} UTC: “{latest.approval.comment}”
            </Text>
          ) : (
            <>
              <Field label="Approval comment" className={styles.field} validationState={fieldError("approvalComment") ? "error" : "none"} validationMessage={fieldError("approvalComment")}>
                <Textarea className={styles.control} value={comment} onChange={(_, d) => setComment(d.value)} disabled={busy} />
              </Field>
              <div className={styles.row}>
                <Button appearance="primary" onClick={() => actions.approve(comment)} disabled={busy}>
                  Approve
                </Button>
              </div>
            </>
          )}
          <div className={styles.row}>
            <Button onClick={() => actions.refresh()} disabled={busy}>
              Refresh from the server
            </Button>
          </div>
          {state.records.length > 1 && (
            <ul className={styles.list} aria-label="Earlier reconciliations">
              {state.records
                .slice(0, -1)
                .reverse()
                .slice(0, 10)
                .map((r) => (
                  <li key={r.entryId}>
                    {r.at.slice(0, 10)} {r.modelVersion}: {r.status}
                    {r.approval ? `, approved by ${r.approval.by}` : ", not approved"}
                  </li>
                ))}
            </ul>
          )}
        </section>
      )}
    </div>
  );
}
