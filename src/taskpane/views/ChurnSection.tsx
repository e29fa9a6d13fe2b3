/**
 * The Classify tab's dynamic part (issue 11): reclassification cadence and "due", the rolling
 * window and as-of period, churn control (previous class source, bands, minimum tenure),
 * promotions; after a run the churn with and without the control, the migration matrix and the
 * promotion periods left out. Reads useStep("classify").churn; loaded lazily by ClassifyTab.
 */
import { Checkbox, Field, Select, Subtitle2, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text } from "@fluentui/react-components";
import type { MigrationMatrix } from "../../engine/churn";
import type { Cadence } from "../../engine/window";
import type { PreviousSource } from "../../app/churnControl";
import { count, pct } from "../format";
import { useStep } from "../usePane";
import { NumberField, useCommonStyles } from "./common";

const PREVIOUS_LABEL: Record<PreviousSource, string> = { lastWrite: "Last written Segments sheet", mapped: "Mapped current class column", none: "None (control off)" };

export function ChurnSection() {
  const [state, actions, common] = useStep("classify");
  const styles = useCommonStyles();
  const busy = common.running !== null;
  const c = state.churn;
  const s = c.settings;
  const h = state.mapping?.history;
  const periods = h ? state.headers.slice(h.first, h.last + 1).filter((p) => p.trim() !== "") : [];
  return (
    <section aria-labelledby="seg-churn" className={styles.stack}>
      <Subtitle2 id="seg-churn">Reclassification and churn control</Subtitle2>
      {c.due && (
        <Text role="status" className={styles.wrap} weight={c.due.due ? "semibold" : "regular"}>
          {c.due.due ? `Reclassification due: ${c.due.reasons.join("; ")}.` : `No reclassification due${c.due.nextDue ? ` (next by ${c.due.nextDue.slice(0, 10)})` : ""}.`}
        </Text>
      )}
      <div className={styles.grid2}>
        <Field label="Cadence" className={styles.field}>
          <Select className={styles.control} value={s.cadence} onChange={(_, d) => actions.setChurn({ cadence: d.value as Cadence })} disabled={busy}>
            <option value="none">No fixed cadence</option>
            <option value="monthly">Monthly</option>
            <option value="quarterly">Quarterly</option>
          </Select>
        </Field>
        <Field label="Previous class from" className={styles.field}>
          <Select className={styles.control} value={s.previousFrom} onChange={(_, d) => actions.setChurn({ previousFrom: d.value as PreviousSource })} disabled={busy}>
            {(Object.keys(PREVIOUS_LABEL) as PreviousSource[]).map((k) => (
              <option key={k} value={k}>
                {PREVIOUS_LABEL[k]}
              </option>
            ))}
          </Select>
        </Field>
        <NumberField label="ABC band (share points)" percent step={0.5} value={s.bands.abc} onValue={(v) => actions.setChurn({ bands: { ...s.bands, abc: v } })} hint="e.g. 2 around 80 %" />
        <NumberField label="XYZ band (CV)" step={0.01} value={s.bands.xyz} onValue={(v) => actions.setChurn({ bands: { ...s.bands, xyz: v } })} hint="e.g. 0.05" />
        <NumberField label="ADI band" step={0.01} value={s.bands.adi ?? 0} onValue={(v) => actions.setChurn({ bands: { ...s.bands, adi: v } })} hint="Pattern, e.g. 0.1" />
        <NumberField label="CV² band" step={0.01} value={s.bands.cv2 ?? 0} onValue={(v) => actions.setChurn({ bands: { ...s.bands, cv2: v } })} hint="Pattern, e.g. 0.05" />
        <NumberField label="Minimum tenure (runs)" value={s.minTenure} onValue={(v) => actions.setChurn({ minTenure: v })} hint="0: off" />
      </div>
      <Checkbox label="Rolling window ending at an as-of period" checked={s.window.enabled} onChange={(_, d) => actions.setChurn({ window: { ...s.window, enabled: d.checked === true } })} />
      {s.window.enabled && (
        <div className={styles.grid2}>
          <NumberField
            label="Window (periods)"
            allowBlank
            value={s.window.length ?? Number.NaN}
            onValue={(v) => actions.setChurn({ window: { ...s.window, length: Number.isNaN(v) ? null : v } })}
            hint={`Blank: one year (${state.options.periodsPerYear})`}
          />
          <Field label="As of" className={styles.field}>
            <Select className={styles.control} value={s.window.asOf ?? ""} onChange={(_, d) => actions.setChurn({ window: { ...s.window, asOf: d.value === "" ? null : d.value } })} disabled={busy}>
              <option value="">Newest period</option>
              {periods.map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </Select>
          </Field>
        </div>
      )}
      <Checkbox label='Leave promotion periods out (table "Promotions": SKU, Period)' checked={s.promotions} onChange={(_, d) => actions.setChurn({ promotions: d.checked === true })} />
      {c.problems.length > 0 && (
        <ul className={styles.list} role="alert" aria-label="Churn control problems">
          {c.problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      {state.run && <ChurnReport />}
    </section>
  );
}

function ChurnReport() {
  const [state] = useStep("classify");
  const styles = useCommonStyles();
  const c = state.churn;
  const r = c.report;
  return (
    <div className={styles.stack} aria-label="Churn report">
      {c.windowText && <Text className={styles.wrap}>Window: {c.windowText}.</Text>}
      {r ? (
        <>
          <Text role="status" className={styles.wrap}>
            Churn {pct(r.controlled.churn)} with control, {pct(r.plain.churn)} without ({count(r.controlled.changed)} vs {count(r.plain.changed)} of {count(r.controlled.compared)} SKUs changed segment);{" "}
            {count(r.heldByBand)} held by a band, {count(r.heldByTenure)} by the minimum tenure.
          </Text>
          <Matrix m={r.abcMatrix} label="ABC migration, previous (rows) to now (columns)" />
          <Matrix m={r.xyzMatrix} label="XYZ migration, previous (rows) to now (columns)" />
        </>
      ) : (
        <Text className={styles.muted}>No previous classes: churn is reported from the second written run on.</Text>
      )}
      {c.excluded && (
        <div className={styles.stack}>
          <Text className={styles.wrap}>
            Promotions: {count(c.excluded.total)} periods of {count(c.excluded.skus)} SKUs left out of the baseline statistics.
          </Text>
          {c.excluded.top.length > 0 && (
            <ul className={styles.list} aria-label="Promotion periods excluded per SKU">
              {c.excluded.top.map((t) => (
                <li key={t.sku}>
                  {t.sku}: {count(t.count)} {t.count === 1 ? "period" : "periods"}
                </li>
              ))}
            </ul>
          )}
          {c.excluded.unmatched.length > 0 && (
            <ul className={styles.list} aria-label="Promotion rows not matched">
              {c.excluded.unmatched.map((u) => (
                <li key={u}>{u}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      {c.ruleDecided > 0 && <Text>Business rules decided the segment of {count(c.ruleDecided)} SKUs (Rules tab).</Text>}
      {c.modelId && <Text className={styles.muted}>Segmentation model {c.modelId}</Text>}
    </div>
  );
}

function Matrix({ m, label }: { m: MigrationMatrix; label: string }) {
  const styles = useCommonStyles();
  // rows and columns that hold someone
  const rows = m.from.map((_, f) => f).filter((f) => m.count[f].some((x) => x > 0));
  const cols = m.to.map((_, t) => t).filter((t) => m.count.some((row) => row[t] > 0));
  return (
    <div className={styles.tableWrap}>
      <Table size="small" aria-label={label} className={styles.table}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell>From</TableHeaderCell>
            {cols.map((t) => (
              <TableHeaderCell key={t} className={styles.num}>
                {m.to[t]}
              </TableHeaderCell>
            ))}
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map((f) => (
            <TableRow key={f}>
              <TableCell>{m.from[f]}</TableCell>
              {cols.map((t) => (
                <TableCell key={t} className={styles.num}>
                  {count(m.count[f][t])}
                </TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
