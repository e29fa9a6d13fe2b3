/**
 * The Classify tab's "Criterion and dimension" part: choose what one row is and what it is ranked
 * by, see what that needs and whether it is mapped, read and map the order lines, run the
 * segmentation (worker), and see its preview: classes, the two-axis 3×3, cost-to-serve with carbon
 * beside it, rejected lines. Also the decision record. Reads useStep("dimensions") only.
 */
import {
  Accordion,
  AccordionHeader,
  AccordionItem,
  AccordionPanel,
  Button,
  Field,
  Input,
  Select,
  Subtitle2,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Textarea,
  mergeClasses,
} from "@fluentui/react-components";
import { useState } from "react";
import { columnLetters } from "../../app/a1";
import { AXIS_CRITERIA, CRITERION_HINTS, CRITERION_LABELS, PANE_CRITERIA, type AxisCriterion, type PaneCriterion } from "../../app/dimensionTypes";
import { ORDER_LINE_COLUMN_LABELS, ORDER_LINE_COLUMNS, type OrderLineColumn } from "../../app/orderLines";
import { CARBON_FACTOR_NOTE, factorsAreDefault } from "../../app/dimensionPlans";
import { DIMENSION_INFO, DIMENSIONS, type Dimension } from "../../engine/dimensions";
import type { Normalisation } from "../../engine/criteria";
import { count, pct } from "../format";
import { useStep } from "../usePane";
import { NumberField, useCommonStyles } from "./common";
import { CostToServeChart, TwoAxisMatrix } from "./DimensionCharts";

const MAX_REJECTED_SHOWN = 100;

export function DimensionsSection() {
  const [state, actions, common] = useStep("dimensions");
  const styles = useCommonStyles();
  const s = state.settings;
  const busy = common.running !== null;
  const problem = (field: string) => state.settingsProblems.find((p) => p.field === field)?.message;
  const keyLabel = (d: Dimension) => DIMENSION_INFO[d].label;
  return (
    <section aria-labelledby="seg-dimension" className={styles.stack}>
      <Subtitle2 id="seg-dimension">Criterion and dimension</Subtitle2>
      <Text className={styles.wrap}>
        Product by value is the SKU table above and needs nothing more. To rank by margin, units, order lines, carbon or several criteria, or to segment customers, channels or SKU × customer
        pairs, read the order lines.
      </Text>
      <div className={styles.grid2}>
        <Field label="Dimension (one row is…)" className={styles.field}>
          <Select className={styles.control} value={s.dimension} onChange={(_, d) => actions.setSettings({ dimension: d.value as Dimension })} disabled={busy}>
            {DIMENSIONS.map((d) => (
              <option key={d} value={d}>
                {keyLabel(d)}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Criterion (ranked by…)" className={styles.field} validationState={problem("criterion") ? "error" : "none"} validationMessage={problem("criterion")}>
          <Select className={styles.control} value={s.criterion} onChange={(_, d) => actions.setSettings({ criterion: d.value as PaneCriterion })} disabled={busy}>
            {PANE_CRITERIA.map((c) => (
              <option key={c} value={c}>
                {CRITERION_LABELS[c]}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <Text className={mergeClasses(styles.muted, styles.wrap)} aria-label="Criterion">
        {CRITERION_HINTS[s.criterion]}
      </Text>
      <Text className={styles.wrap} aria-label="Trade-off">
        <b>{keyLabel(s.dimension)}</b> (operational complexity {state.complexity}): {state.tradeoff}
      </Text>

      {s.criterion === "score" && <WeightsForm />}
      {s.criterion === "twoAxis" && (
        <div className={styles.grid2}>
          {[0, 1].map((k) => (
            <Field key={k} label={k === 0 ? "First axis" : "Second axis"} className={styles.field} validationState={k === 1 && problem("axes") ? "error" : "none"} validationMessage={k === 1 ? problem("axes") : undefined}>
              <Select
                className={styles.control}
                value={s.axes[k]}
                onChange={(_, d) => actions.setSettings({ axes: (k === 0 ? [d.value, s.axes[1]] : [s.axes[0], d.value]) as [AxisCriterion, AxisCriterion] })}
                disabled={busy}
              >
                {AXIS_CRITERIA.map((c) => (
                  <option key={c} value={c}>
                    {CRITERION_LABELS[c]}
                  </option>
                ))}
              </Select>
            </Field>
          ))}
          <NumberField label="Second axis: A up to (%)" percent value={s.secondCutoffs[0]} problem={problem("secondCutoffs")} onValue={(v) => actions.setSettings({ secondCutoffs: [v, s.secondCutoffs[1]] })} />
          <NumberField label="Second axis: B up to (%)" percent value={s.secondCutoffs[1]} onValue={(v) => actions.setSettings({ secondCutoffs: [s.secondCutoffs[0], v] })} />
        </div>
      )}
      {(s.criterion === "carbon" || (s.criterion === "twoAxis" && s.axes.includes("carbon"))) && (
        <div className={styles.grid2}>
          <NumberField label="Carbon: high up to (%)" percent value={s.carbonCutoffs[0]} problem={problem("carbonCutoffs")} onValue={(v) => actions.setSettings({ carbonCutoffs: [v, s.carbonCutoffs[1]] })} />
          <NumberField label="Carbon: medium up to (%)" percent value={s.carbonCutoffs[1]} onValue={(v) => actions.setSettings({ carbonCutoffs: [s.carbonCutoffs[0], v] })} />
        </div>
      )}

      <DataNeeds />
      <OrderLinesSource />
      <Accordion collapsible multiple>
        <AccordionItem value="cts">
          <AccordionHeader size="small">Cost-to-serve rates</AccordionHeader>
          <AccordionPanel>
            <div className={styles.grid2}>
              <NumberField label="Cost per order" value={s.rates.perOrder} problem={problem("rates.perOrder")} onValue={(v) => actions.setSettings({ rates: { ...s.rates, perOrder: v } })} />
              <NumberField label="Cost per order line" value={s.rates.perLine} problem={problem("rates.perLine")} onValue={(v) => actions.setSettings({ rates: { ...s.rates, perLine: v } })} />
              <NumberField label="Cost per unit" value={s.rates.perUnit} problem={problem("rates.perUnit")} onValue={(v) => actions.setSettings({ rates: { ...s.rates, perUnit: v } })} />
              <NumberField label="Cost per shipment" value={s.rates.perShipment} problem={problem("rates.perShipment")} onValue={(v) => actions.setSettings({ rates: { ...s.rates, perShipment: v } })} />
              <NumberField label="Flag when cost share ÷ revenue share is above" step={0.1} value={s.threshold} problem={problem("threshold")} onValue={(v) => actions.setSettings({ threshold: v })} />
            </div>
            <Text size={200} className={styles.muted}>
              Added to the mapped handling, transport and shipment costs of each line. A cost per order is split over the order&apos;s lines; a shipment&apos;s cost over its lines by
              quantity.
            </Text>
          </AccordionPanel>
        </AccordionItem>
        <AccordionItem value="carbon">
          <AccordionHeader size="small">Carbon factors (kg CO2e per tonne-km)</AccordionHeader>
          <AccordionPanel>
            <CarbonFactors />
          </AccordionPanel>
        </AccordionItem>
      </Accordion>
      {state.settingsProblems.length > 0 && (
        <ul className={styles.list} aria-label="Criterion problems" role="alert">
          {state.settingsProblems.map((p) => (
            <li key={p.field + p.message}>{p.message}</li>
          ))}
        </ul>
      )}
      <div className={styles.row}>
        <Button
          appearance="primary"
          onClick={() => actions.run()}
          disabled={busy || !state.mapping || state.mappingProblems.length > 0 || state.settingsProblems.length > 0 || state.missing.length > 0}
        >
          Segment the order lines
        </Button>
      </div>
      {state.run && <DimensionPreview />}
      <DecisionRecord />
    </section>
  );
}

function WeightsForm() {
  const [state, actions] = useStep("dimensions");
  const styles = useCommonStyles();
  const s = state.settings;
  const problem = state.settingsProblems.find((p) => p.field === "weights")?.message;
  return (
    <fieldset className={styles.stack} style={{ border: "none", margin: 0, padding: 0, minWidth: 0 }}>
      <legend>
        <Text weight="semibold">Weights (stated, then divided by their sum)</Text>
      </legend>
      <div className={styles.grid2}>
        {AXIS_CRITERIA.map((c) => (
          <NumberField key={c} label={`Weight: ${CRITERION_LABELS[c]}`} step={0.05} value={s.weights[c]} onValue={(v) => actions.setWeight(c, v)} />
        ))}
        <Field label="Normalisation" className={styles.field}>
          <Select className={styles.control} value={s.normalisation} onChange={(_, d) => actions.setSettings({ normalisation: d.value as Normalisation })}>
            <option value="share">Share of each total</option>
            <option value="minMax">Min–max (0 to 1)</option>
          </Select>
        </Field>
      </div>
      {problem && (
        <Text role="alert" className={styles.wrap}>
          {problem}
        </Text>
      )}
      {state.weightNotes.map((n) => (
        <Text key={n} role="status" className={mergeClasses(styles.muted, styles.wrap)}>
          Note: {n}.
        </Text>
      ))}
    </fieldset>
  );
}

function DataNeeds() {
  const [state] = useStep("dimensions");
  const styles = useCommonStyles();
  const colOf = (f: OrderLineColumn) => {
    const c = state.mapping?.columns[f];
    return c === null || c === undefined ? null : `${columnLetters((state.source?.firstColumn ?? 0) + c)}: ${state.headers[c] || "(blank)"}`;
  };
  return (
    <div className={styles.stack}>
      <Text weight="semibold" id="seg-needs">
        Data this choice needs (order lines)
      </Text>
      <ul className={styles.list} aria-labelledby="seg-needs">
        {state.needs.map((n) => (
          <li key={n.field} data-mapped={n.mapped}>
            {n.label}: {n.required ? "needed" : "used when mapped"} ({n.use}) — {n.mapped ? `mapped (${colOf(n.field)})` : "not mapped"}
          </li>
        ))}
      </ul>
      {state.missing.length > 0 && (
        <ul className={styles.list} aria-label="Missing data" role="alert">
          {state.missing.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

function OrderLinesSource() {
  const [state, actions, common] = useStep("dimensions");
  const styles = useCommonStyles();
  const busy = common.running !== null;
  const { source, mapping, headers } = state;
  const colLabel = (c: number) => `${columnLetters((source?.firstColumn ?? 0) + c)}: ${headers[c] || "(blank)"}`;
  return (
    <div className={styles.stack}>
      <Text weight="semibold">Order lines</Text>
      <Text className={styles.wrap}>Select the order lines on a sheet (headers and rows: one row per order line), then read them.</Text>
      <div className={styles.row}>
        <Button onClick={() => actions.readOrderLines("selection")} disabled={busy}>
          Read order lines
        </Button>
        <Button onClick={() => actions.readOrderLines("region")} disabled={busy}>
          Order lines: current region
        </Button>
      </div>
      {source && (
        <Text role="status" className={styles.wrap}>
          Order lines {source.address}: {count(source.rows)} rows × {count(source.columns)} columns.
        </Text>
      )}
      {mapping && source && (
        <>
          {state.mappingRemembered && <Text className={styles.muted}>Using the order-line mapping remembered for this sheet.</Text>}
          <Field label="Order lines: header row" className={styles.field}>
            <Select className={styles.control} value={String(mapping.headerRow)} onChange={(_, d) => actions.setHeaderRow(Number(d.value))} disabled={busy}>
              {state.rowPreviews.map((p, r) => (
                <option key={r} value={String(r)}>
                  Row {source.firstRow + r + 1}: {p.length > 40 ? `${p.slice(0, 40)}…` : p}
                </option>
              ))}
            </Select>
          </Field>
          <div className={styles.grid2}>
            {ORDER_LINE_COLUMNS.map((f) => (
              <Field key={f} label={`Line: ${ORDER_LINE_COLUMN_LABELS[f]}`} className={styles.field}>
                <Select
                  className={styles.control}
                  value={mapping.columns[f] === null ? "" : String(mapping.columns[f])}
                  onChange={(_, d) => actions.setMappingField(f, d.value === "" ? null : Number(d.value))}
                  disabled={busy}
                >
                  <option value="">(not mapped)</option>
                  {headers.map((_, c) => (
                    <option key={c} value={String(c)}>
                      {colLabel(c)}
                    </option>
                  ))}
                </Select>
              </Field>
            ))}
          </div>
          {state.mappingProblems.length > 0 && (
            <ul className={styles.list} aria-label="Order-line mapping problems" role="alert">
              {state.mappingProblems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}

function CarbonFactors() {
  const [state, actions] = useStep("dimensions");
  const styles = useCommonStyles();
  const [mode, setMode] = useState("");
  const [factor, setFactor] = useState(Number.NaN);
  const factors = state.settings.factors;
  const problem = state.settingsProblems.find((p) => p.field === "factors")?.message;
  return (
    <div className={styles.stack}>
      <Text size={200} className={styles.wrap} role="note">
        {factorsAreDefault(factors) ? CARBON_FACTOR_NOTE : "Your own factor table is used (saved with the workbook)."} Used for order lines with weight, distance and freight mode but no carbon per unit.
      </Text>
      <div className={styles.grid2}>
        {Object.keys(factors)
          .sort()
          .map((m) => (
            <div key={m} className={styles.stack}>
              <NumberField label={`Factor: ${m}`} step={0.001} value={factors[m]} onValue={(v) => actions.setFactor(m, v)} />
              <Button size="small" onClick={() => actions.removeFactor(m)} aria-label={`Remove the ${m} factor`}>
                Remove
              </Button>
            </div>
          ))}
      </div>
      <div className={styles.grid2}>
        <Field label="New freight mode" className={styles.field}>
          <Input className={styles.control} value={mode} onChange={(_, d) => setMode(d.value)} />
        </Field>
        <NumberField label="Its factor" step={0.001} value={factor} allowBlank onValue={setFactor} />
      </div>
      <div className={styles.row}>
        <Button
          size="small"
          disabled={!mode.trim() || !Number.isFinite(factor)}
          onClick={() => {
            actions.setFactor(mode, factor);
            setMode("");
            setFactor(Number.NaN);
          }}
        >
          Add factor
        </Button>
        <Button size="small" onClick={() => actions.resetFactors()}>
          Default factors
        </Button>
      </div>
      {problem && (
        <Text role="alert" className={styles.wrap}>
          {problem}
        </Text>
      )}
    </div>
  );
}

function DimensionPreview() {
  const [state] = useStep("dimensions");
  const styles = useCommonStyles();
  const run = state.run!;
  const s = state.settings;
  const noun = run.dimension === "product" ? "SKUs" : run.dimension === "customer" ? "customers" : run.dimension === "channel" ? "channels" : "pairs";
  return (
    <section aria-labelledby="seg-dim-preview" className={styles.stack}>
      <Subtitle2 id="seg-dim-preview" as="h3">
        Preview: {DIMENSION_INFO[run.dimension].label} by {CRITERION_LABELS[run.criterion].toLowerCase()}
      </Subtitle2>
      <Text role="status" className={styles.wrap}>
        {count(run.keys)} {noun} from {count(run.linesAccepted)} of {count(run.linesRead)} order lines{run.rejectedCount ? `; ${count(run.rejectedCount)} rejected (listed below)` : "; none rejected"}.
      </Text>
      {run.criterion === "twoAxis" ? (
        <TwoAxisMatrix run={run} xName={CRITERION_LABELS[s.axes[0]]} yName={CRITERION_LABELS[s.axes[1]]} />
      ) : (
        <div className={styles.tableWrap}>
          <Table size="small" aria-label={`${noun} per class`} className={styles.table}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Class</TableHeaderCell>
                <TableHeaderCell className={styles.num}>{noun.charAt(0).toUpperCase() + noun.slice(1)}</TableHeaderCell>
                <TableHeaderCell className={styles.num}>Share</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {run.classes.map((c) => (
                <TableRow key={c.label}>
                  <TableCell>{c.label}</TableCell>
                  <TableCell className={styles.num}>{count(c.keys)}</TableCell>
                  <TableCell className={styles.num}>{Number.isFinite(c.share) ? pct(c.share) : "outside"}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
      <CostToServeChart run={run} />
      {run.notes.length > 0 && (
        <ul className={styles.list} aria-label="Notes on the segmentation">
          {run.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
      {run.rejectedCount > 0 && (
        <div className={styles.stack}>
          <Text weight="semibold" id="seg-lines-rejected">
            Rejected order lines ({count(run.rejectedCount)}): fix them on the sheet and run again.
          </Text>
          <ul className={styles.list} aria-labelledby="seg-lines-rejected">
            {run.rejected.slice(0, MAX_REJECTED_SHOWN).map((r) => (
              <li key={r.message}>{r.message}</li>
            ))}
          </ul>
          {run.rejectedCount > MAX_REJECTED_SHOWN && <Text className={styles.muted}>… and {count(run.rejectedCount - MAX_REJECTED_SHOWN)} more.</Text>}
        </div>
      )}
    </section>
  );
}

function DecisionRecord() {
  const [state, actions] = useStep("dimensions");
  const styles = useCommonStyles();
  const check = state.rationaleCheck;
  const missing = check.required && !check.present;
  return (
    <section aria-labelledby="seg-decision" className={styles.stack}>
      <Subtitle2 id="seg-decision" as="h3">
        Decision record
      </Subtitle2>
      <Field
        label="Rationale for the boundaries and the dimension"
        className={styles.field}
        validationState={missing ? "error" : "none"}
        validationMessage={missing ? `Required: ${check.changes.join("; ")}.` : undefined}
        hint={check.required ? undefined : "Optional now: required when cut-offs, criterion, weights or dimension change."}
      >
        <Textarea className={styles.control} resize="vertical" value={state.rationale} onChange={(_, d) => actions.setRationale(d.value)} />
      </Field>
      <Text role="status" className={mergeClasses(styles.muted, styles.wrap)}>
        {check.message.charAt(0).toUpperCase() + check.message.slice(1)}.
        {state.lastRecord?.rationale ? ` Last written: "${state.lastRecord.rationale}".` : ""}
      </Text>
    </section>
  );
}
