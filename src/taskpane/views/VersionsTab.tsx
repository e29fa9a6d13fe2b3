/**
 * Versions tab (change control): the run history (who, when, parameters, SKUs, value change per
 * segment), the diff of two versions (migration matrix, churn, movers with the reason) and the
 * rollback of the Segments and Policy sheets with a required reason. Loaded lazily (steps.ts).
 * Presentation only: src/app/steps/versions.ts has the rules.
 */
import { Button, Field, Select, Subtitle2, Text, Textarea, makeStyles, tokens } from "@fluentui/react-components";
import { useEffect, useState } from "react";
import { MOVE_REASONS } from "../../engine/versions";
import { amount, count, pct, plural } from "../format";
import { useStep } from "../usePane";
import { useCommonStyles } from "./common";
import { ControlSection } from "./ControlSection";

const useStyles = makeStyles({
  cards: { margin: 0, paddingLeft: 0, listStyleType: "none", display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalS },
  card: { display: "flex", flexDirection: "column", minWidth: 0, overflowWrap: "anywhere" },
});

const when = (iso: string) => (iso ? `${iso.slice(0, 16).replace("T", " ")} UTC` : "(time not known)");
const signed = (x: number) => `${x > 0 ? "+" : ""}${amount(x)}`;

export function VersionsTab() {
  const [state, actions, common] = useStep("versions");
  const styles = useCommonStyles();
  const own = useStyles();
  const busy = common.running !== null;
  const rows = state.rows;
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [target, setTarget] = useState("");
  const [reason, setReason] = useState("");
  useEffect(() => {
    if (!state.loaded && !busy) void actions.refresh();
  }, [state.loaded]);
  useEffect(() => {
    if (rows.length >= 2) {
      if (!rows.some((r) => r.modelVersion === from)) setFrom(rows[rows.length - 2].modelVersion);
      if (!rows.some((r) => r.modelVersion === to)) setTo(rows[rows.length - 1].modelVersion);
    }
    const restorable = rows.filter((r) => r.stored && !r.current);
    if (restorable.length && !restorable.some((r) => r.modelVersion === target)) setTarget(restorable[restorable.length - 1].modelVersion);
  }, [rows]);
  const d = state.diff;
  const fieldError = (f: string) => (common.errorField === f ? (common.error ?? undefined) : undefined);
  const restorable = rows.filter((r) => r.stored && !r.current);
  return (
    <div className={styles.stack}>
      <section aria-labelledby="seg-history" className={styles.stack}>
        <Subtitle2 id="seg-history" as="h2">
          Run history
        </Subtitle2>
        <div className={styles.row}>
          <Button onClick={() => actions.refresh()} disabled={busy}>
            Refresh
          </Button>
        </div>
        {state.loaded && rows.length === 0 && <Text>No version yet: every Write is a model version.</Text>}
        <ul className={own.cards} aria-label="Model versions">
          {[...rows].reverse().map((r) => (
            <li key={r.modelVersion} className={own.card}>
              <Text weight="semibold">
                {r.modelVersion}
                {r.current ? " (on the sheets)" : r.stored ? " (stored)" : ""}
              </Text>
              <Text size={200}>
                {when(r.at)} by {r.user || "?"}: {plural(r.skus, "SKU")}
                {r.rejected ? `, ${count(r.rejected)} rejected` : ""}; ABC {r.parameters.abcCutoffs.map((c) => pct(c, 0)).join(" / ") || "?"}, XYZ {r.parameters.xyzCutoffs.join(" / ") || "?"}
              </Text>
              {r.valueChange.length > 0 && (
                <Text size={200} className={styles.wrap}>
                  Value change: {r.valueChange.filter((v) => Math.abs(v.change) > 0).map((v) => `${v.segment} ${signed(v.change)}`).join(", ") || "none"}
                </Text>
              )}
            </li>
          ))}
        </ul>
      </section>

      {rows.length >= 2 && (
        <section aria-labelledby="seg-diff" className={styles.stack}>
          <Subtitle2 id="seg-diff" as="h2">
            Compare two versions
          </Subtitle2>
          <div className={styles.grid2}>
            <Field label="Older" className={styles.field}>
              <Select className={styles.control} value={from} onChange={(_, x) => setFrom(x.value)} disabled={busy}>
                {rows.map((r) => (
                  <option key={r.modelVersion} value={r.modelVersion}>
                    {r.modelVersion}
                  </option>
                ))}
              </Select>
            </Field>
            <Field label="Newer" className={styles.field} validationState={fieldError("diff") ? "error" : "none"} validationMessage={fieldError("diff")}>
              <Select className={styles.control} value={to} onChange={(_, x) => setTo(x.value)} disabled={busy}>
                {rows.map((r) => (
                  <option key={r.modelVersion} value={r.modelVersion}>
                    {r.modelVersion}
                  </option>
                ))}
              </Select>
            </Field>
          </div>
          <div className={styles.row}>
            <Button appearance="primary" onClick={() => actions.diff(from, to)} disabled={busy || !from || !to}>
              Compare
            </Button>
          </div>
          {d && (
            <section aria-label="Version comparison" className={styles.stack}>
              <Text role="status" className={styles.wrap}>
                {count(d.moved)} of {count(d.common)} SKUs moved (churn {d.churn === null ? "–" : pct(d.churn)}, value churn {d.valueChurn === null ? "–" : pct(d.valueChurn)}); {count(d.added)} new, {count(d.removed)} removed.
              </Text>
              <Text size={200} className={styles.wrap}>
                Reasons: {MOVE_REASONS.filter((r) => d.reasons[r].count > 0).map((r) => `${r} ${count(d.reasons[r].count)}`).join(", ") || "no movers"}.
              </Text>
              {d.parameterChanges.length > 0 && (
                <ul className={styles.list} aria-label="Parameter changes">
                  {d.parameterChanges.map((p) => (
                    <li key={p.path}>
                      {p.path}: {p.from} → {p.to}
                    </li>
                  ))}
                </ul>
              )}
              <Text weight="semibold">Migration matrix (SKUs, value in the newer version)</Text>
              <ul className={own.cards} aria-label="Migration matrix">
                {d.matrix.from.map((f, i) => {
                  const cells = d.matrix.to.map((t, j) => [t, d.matrix.count[i][j], d.matrix.valueTo[i][j]] as const).filter(([, c]) => c > 0);
                  if (cells.length === 0) return null;
                  return (
                    <li key={f} className={own.card}>
                      <Text size={200}>
                        <b>{f || "(no segment)"}</b> → {cells.map(([t, c, v]) => `${t || "(no segment)"} ${count(c)} (${amount(v)})`).join("; ")}
                      </Text>
                    </li>
                  );
                })}
              </ul>
              {d.moverCount > 0 && (
                <>
                  <Text weight="semibold">
                    Movers ({count(d.moverCount)}
                    {d.moverCount > d.movers.length ? `, first ${count(d.movers.length)}` : ""})
                  </Text>
                  <ul className={styles.list} aria-label="Movers">
                    {d.movers.map((m) => (
                      <li key={m.sku}>
                        {m.sku}: {m.from} → {m.to}, {m.reason}
                        {m.detail ? ` (${m.detail})` : ""}
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </section>
          )}
        </section>
      )}

      <section aria-labelledby="seg-rollback" className={styles.stack}>
        <Subtitle2 id="seg-rollback" as="h2">
          Roll back
        </Subtitle2>
        {restorable.length === 0 ? (
          <Text>No earlier version is stored yet: each Write keeps the sheets it replaces.</Text>
        ) : (
          <>
            <Text size={200}>Writes the Segments and Policy sheets of the chosen version back, cell for cell; the sheets on the workbook now are kept in the store.</Text>
            <Field label="Version to restore" className={styles.field}>
              <Select className={styles.control} value={target} onChange={(_, x) => setTarget(x.value)} disabled={busy}>
                {restorable.map((r) => (
                  <option key={r.modelVersion} value={r.modelVersion}>
                    {r.modelVersion}
                  </option>
                ))}
              </Select>
            </Field>
            <Field label="Reason (required)" className={styles.field} validationState={fieldError("rollbackReason") ? "error" : "none"} validationMessage={fieldError("rollbackReason")}>
              <Textarea className={styles.control} value={reason} onChange={(_, x) => setReason(x.value)} disabled={busy} />
            </Field>
            <div className={styles.row}>
              <Button appearance="primary" onClick={() => actions.rollback(target, reason)} disabled={busy || !target}>
                Roll back
              </Button>
            </div>
          </>
        )}
        {state.rolledBack && (
          <Text role="status" className={styles.wrap}>
            Restored {state.rolledBack.to}
            {state.rolledBack.from ? ` (replacing ${state.rolledBack.from})` : ""}: {state.rolledBack.reason}
          </Text>
        )}
      </section>
      <ControlSection />
    </div>
  );
}
