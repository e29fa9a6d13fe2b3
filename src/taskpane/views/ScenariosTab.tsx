/**
 * Scenarios tab: up to four scenarios as cards (name, what it is, its budget or cut-offs), the
 * simulation options, then the comparison: one card per scenario with its totals and the paired
 * change against the first, a grouped bar chart per segment (fill rate, stock value or cost), the
 * figures of one chosen segment in a four-column table, the SKUs left out, and the actions "Use
 * this scenario" and "Write Scenarios sheet". Shares in percent; money without decimals where large.
 */
import type { GroupedVerticalBarChartData } from "../charts";
import {
  Accordion,
  AccordionHeader,
  AccordionItem,
  AccordionPanel,
  Button,
  Field,
  Input,
  makeStyles,
  mergeClasses,
  Select,
  Subtitle2,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  tokens,
} from "@fluentui/react-components";
import { useState } from "react";
import { orderedSegments } from "../../app/scenarioSheet";
import { MAX_SCENARIO_COUNT, SCENARIO_KIND_LABELS, SCENARIO_KINDS, type ScenarioDef, type ScenarioDemand, type ScenarioKind, type ScenarioOutcome } from "../../app/scenarioTypes";
import type { ComparedMetric, Interval } from "../../engine/simulate";
import { amount, count, fixed, pct, plural } from "../format";
import { usePeek, useStep } from "../usePane";
import { NumberField, useCommonStyles } from "./common";
import { useWidth } from "./PreviewCharts";
import { GroupedVerticalBarChart } from "../charts";

const useStyles = makeStyles({
  card: {
    display: "flex",
    flexDirection: "column",
    rowGap: tokens.spacingVerticalS,
    padding: tokens.spacingHorizontalS,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    minWidth: 0,
  },
  chosen: { border: `2px solid ${tokens.colorBrandStroke1}` },
  head: { display: "flex", justifyContent: "space-between", alignItems: "center", columnGap: tokens.spacingHorizontalS, minWidth: 0, flexWrap: "wrap" },
  figures: { display: "grid", gridTemplateColumns: "minmax(0, 1fr) minmax(0, 1fr)", columnGap: tokens.spacingHorizontalS, rowGap: tokens.spacingVerticalXXS, fontSize: tokens.fontSizeBase200 },
  chart: { width: "100%", minWidth: 0, overflow: "hidden" },
  nameColumn: { width: "38%" },
});

const COLOURS = ["#0f6cbd", "#ca5010", "#107c10", "#8764b8"];
const METRIC_LABEL: Record<ComparedMetric, string> = { fillRate: "Fill rate", stockValue: "Stock value", totalCostPerPeriod: "Cost per period" };

const show = (m: ComparedMetric, x: number) => (m === "fillRate" ? pct(x) : m === "stockValue" ? amount(x) : fixed(x, 2));
const showChange = (m: ComparedMetric, iv: Interval) => {
  if (!Number.isFinite(iv.mean)) return "–";
  const sign = iv.mean > 0 ? "+" : "";
  const size = m === "fillRate" ? `${fixed(iv.mean * 100, 1)} pts` : show(m, iv.mean);
  const hw = m === "fillRate" ? `${fixed(iv.halfWidth * 100, 1)} pts` : show(m, iv.halfWidth);
  return `${sign}${size} ± ${hw}`;
};

export function ScenariosTab() {
  const [state, actions, common] = useStep("scenarios");
  const classify = usePeek("classify");
  const styles = useCommonStyles();
  const [newKind, setNewKind] = useState<ScenarioKind>("budget");
  const busy = common.running !== null;
  const run = classify?.run ?? null;
  const s = state.settings;
  const ppy = run?.options.periodsPerYear ?? classify?.options.periodsPerYear ?? 52;
  return (
    <div className={styles.stack}>
      <section aria-labelledby="seg-scenarios" className={styles.stack}>
        <Subtitle2 id="seg-scenarios">Scenarios</Subtitle2>
        <Text>
          Up to {MAX_SCENARIO_COUNT} policies, simulated on the same demand and compared per segment. The first is the baseline the changes are measured against.
        </Text>
        {state.scenarios.map((d, k) => (
          <ScenarioCard key={k} index={k} def={d} busy={busy} onChange={(patch) => actions.setScenario(k, patch)} onRemove={() => actions.removeScenario(k)} />
        ))}
        <div className={styles.row}>
          <Field label="New scenario" className={styles.field}>
            <Select className={styles.control} value={newKind} onChange={(_, d) => setNewKind(d.value as ScenarioKind)}>
              {SCENARIO_KINDS.map((kind) => (
                <option key={kind} value={kind}>
                  {SCENARIO_KIND_LABELS[kind]}
                </option>
              ))}
            </Select>
          </Field>
          <Button onClick={() => actions.addScenario(newKind)} disabled={busy || state.scenarios.length >= MAX_SCENARIO_COUNT}>
            Add
          </Button>
        </div>
      </section>

      <section aria-labelledby="seg-sim-options" className={styles.stack}>
        <Subtitle2 id="seg-sim-options">Simulation</Subtitle2>
        <div className={styles.grid2}>
          <Field label="Unmet demand" className={styles.field}>
            <Select className={styles.control} value={s.shortage} onChange={(_, d) => actions.setSettings({ shortage: d.value as "backorder" | "lostSales" })}>
              <option value="backorder">Backordered</option>
              <option value="lostSales">Lost</option>
            </Select>
          </Field>
          <Field label="Demand from" className={styles.field}>
            <Select className={styles.control} value={s.demand} onChange={(_, d) => actions.setSettings({ demand: d.value as ScenarioDemand })}>
              <option value="history">History (resampled)</option>
              <option value="normal">Normal</option>
              <option value="gamma">Gamma</option>
              <option value="poisson">Poisson</option>
            </Select>
          </Field>
          <NumberField label="Replications" value={s.replications} onValue={(v) => actions.setSettings({ replications: v })} />
          <NumberField label="Horizon (periods)" value={s.horizon ?? Number.NaN} allowBlank hint={`Blank: two years (${2 * ppy})`} onValue={(v) => actions.setSettings({ horizon: Number.isNaN(v) ? null : v })} />
          <NumberField label="Warm-up (periods)" value={s.warmUp ?? Number.NaN} allowBlank hint="Blank: automatic" onValue={(v) => actions.setSettings({ warmUp: Number.isNaN(v) ? null : v })} />
          <NumberField label="Seed" value={s.seed} onValue={(v) => actions.setSettings({ seed: v })} />
          <NumberField label="Shortage cost (% of unit cost)" percent value={s.shortageCostRate} hint={s.shortage === "backorder" ? "Per unit and period on backorder" : "Per unit lost"} onValue={(v) => actions.setSettings({ shortageCostRate: v })} />
        </div>
        <Text className={styles.muted}>Holding cost, cost per order and lead-time defaults come from the Policy tab.</Text>
        {state.problems.length > 0 && (
          <ul className={styles.list} role="alert" aria-label="Scenario problems">
            {state.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        )}
        {run ? (
          <Text role="status" className={styles.wrap}>
            Ready: {plural(run.parsed.n, "SKU")} classified.
          </Text>
        ) : (
          <Text role="status">Classify first (Classify tab): the scenarios simulate the classified SKUs.</Text>
        )}
        <div className={styles.row}>
          <Button appearance="primary" onClick={() => actions.run()} disabled={busy || !run || state.problems.length > 0}>
            Simulate
          </Button>
        </div>
      </section>

      {state.outcome && <Comparison outcome={state.outcome} chosen={state.chosen} written={state.sheetWritten} busy={busy} onUse={(k) => actions.useScenario(k)} onWrite={() => actions.writeSheet()} />}
    </div>
  );
}

function ScenarioCard({ index, def, busy, onChange, onRemove }: { index: number; def: ScenarioDef; busy: boolean; onChange: (p: Partial<ScenarioDef>) => void; onRemove: () => void }) {
  const styles = useCommonStyles();
  const own = useStyles();
  const label = def.name.trim() || `Scenario ${index + 1}`;
  return (
    <section className={own.card} aria-label={`Scenario ${index + 1}: ${label}`}>
      <div className={styles.grid2}>
        <Field label={`Name${index === 0 ? " (baseline)" : ""}`} className={styles.field}>
          <Input className={styles.control} input={{ className: styles.control }} value={def.name} onChange={(_, d) => onChange({ name: d.value })} />
        </Field>
        <Field label="Policy" className={styles.field}>
          <Select className={styles.control} value={def.kind} onChange={(_, d) => onChange({ kind: d.value as ScenarioKind })}>
            {SCENARIO_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {SCENARIO_KIND_LABELS[kind]}
              </option>
            ))}
          </Select>
        </Field>
        {def.kind === "budget" && <NumberField label="Budget (% of proposed safety-stock value)" percent value={def.budgetShare} onValue={(v) => onChange({ budgetShare: v })} />}
        {def.kind === "cutoff" && (
          <>
            <NumberField label="A up to cumulative share (%)" percent value={def.abcCutoffs[0]} onValue={(v) => onChange({ abcCutoffs: [v, def.abcCutoffs[1]] })} />
            <NumberField label="B up to cumulative share (%)" percent value={def.abcCutoffs[1]} onValue={(v) => onChange({ abcCutoffs: [def.abcCutoffs[0], v] })} />
            <NumberField label="X up to CV" step={0.05} value={def.xyzCutoffs[0]} onValue={(v) => onChange({ xyzCutoffs: [v, def.xyzCutoffs[1]] })} />
            <NumberField label="Y up to CV" step={0.05} value={def.xyzCutoffs[1]} onValue={(v) => onChange({ xyzCutoffs: [def.xyzCutoffs[0], v] })} />
          </>
        )}
      </div>
      <div className={styles.row}>
        <Button size="small" onClick={onRemove} disabled={busy} aria-label={`Remove scenario ${label}`}>
          Remove
        </Button>
      </div>
    </section>
  );
}

function Comparison({ outcome: o, chosen, written, busy, onUse, onWrite }: { outcome: ScenarioOutcome; chosen: string | null; written: boolean; busy: boolean; onUse: (k: number) => void; onWrite: () => void }) {
  const styles = useCommonStyles();
  const own = useStyles();
  const segs = orderedSegments(o);
  const [metric, setMetric] = useState<ComparedMetric>("fillRate");
  const [segment, setSegment] = useState<string>(segs[0]?.segment ?? "");
  const row = segs.find((r) => r.segment === segment) ?? segs[0];
  return (
    <section aria-labelledby="seg-comparison" className={styles.stack}>
      <Subtitle2 id="seg-comparison">Comparison</Subtitle2>
      <Text role="status" className={styles.wrap}>
        {plural(o.skus, "SKU")}, {count(o.replications)} replications of {count(o.horizon)} periods (warm-up {count(o.warmUp)}), seed {o.seed}, {o.shortage === "backorder" ? "backorders" : "lost sales"}. Changes are paired against &quot;{o.names[0]}&quot; on the same demand (± 95 %).
      </Text>
      {o.names.map((name, k) => (
        <section key={name} className={mergeClasses(own.card, chosen === name && own.chosen)} aria-label={`Totals of ${name}`}>
          <div className={own.head}>
            <Text weight="semibold" className={styles.wrap}>
              {name}
              {k === 0 ? " (baseline)" : ""}
              {chosen === name ? " – chosen" : ""}
            </Text>
            <Button size="small" appearance={k === 0 ? "secondary" : "primary"} onClick={() => onUse(k)} disabled={busy} aria-label={`Use this scenario: ${name}`}>
              Use this scenario
            </Button>
          </div>
          <Text size={200} className={mergeClasses(styles.muted, styles.wrap)}>
            {o.descriptions[k]}
          </Text>
          <div className={own.figures}>
            {(["fillRate", "stockValue", "totalCostPerPeriod"] as const).map((m) => (
              <Figure key={m} label={METRIC_LABEL[m]} value={`${show(m, o.total.value[m][k].mean)} ± ${show(m, o.total.value[m][k].halfWidth)}`} />
            ))}
            {k > 0 && <Figure label="Cost change" value={`${showChange("totalCostPerPeriod", o.total.change.totalCostPerPeriod[k])} a period`} />}
            {o.budgets[k] && <Figure label="Budget" value={`${amount(o.budgets[k]!.amount)} (spent ${amount(o.budgets[k]!.spent)})`} />}
          </div>
        </section>
      ))}
      <Field label="Chart" className={styles.field}>
        <Select className={styles.control} value={metric} onChange={(_, d) => setMetric(d.value as ComparedMetric)}>
          {(Object.keys(METRIC_LABEL) as ComparedMetric[]).map((m) => (
            <option key={m} value={m}>
              {METRIC_LABEL[m]} by segment
            </option>
          ))}
        </Select>
      </Field>
      <SegmentChart outcome={o} metric={metric} />
      <Field label="Segment" className={styles.field}>
        <Select className={styles.control} value={row?.segment ?? ""} onChange={(_, d) => setSegment(d.value)}>
          {segs.map((r) => (
            <option key={r.segment} value={r.segment}>
              {r.segment || "(none)"}
            </option>
          ))}
        </Select>
      </Field>
      {row && (
        <div className={styles.tableWrap}>
          <Table size="small" aria-label={`Scenarios in segment ${row.segment}`} className={styles.table}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell className={own.nameColumn}>Scenario</TableHeaderCell>
                <TableHeaderCell className={styles.num}>Fill rate</TableHeaderCell>
                <TableHeaderCell className={styles.num}>Stock value</TableHeaderCell>
                <TableHeaderCell className={styles.num}>Cost / period</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {o.names.map((name, k) => (
                <TableRow key={name}>
                  <TableCell className={styles.wrap}>
                    {name} ({count(row.skus[k])})
                  </TableCell>
                  <TableCell className={styles.num}>{show("fillRate", row.value.fillRate[k].mean)}</TableCell>
                  <TableCell className={styles.num}>{show("stockValue", row.value.stockValue[k].mean)}</TableCell>
                  <TableCell className={styles.num}>{show("totalCostPerPeriod", row.value.totalCostPerPeriod[k].mean)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
      {o.excludedCount > 0 && (
        <Accordion collapsible>
          <AccordionItem value="excluded">
            <AccordionHeader size="small">{plural(o.excludedCount, "SKU")} left out</AccordionHeader>
            <AccordionPanel>
              <ul className={styles.list} aria-label="SKUs left out">
                {o.excluded.map((e) => (
                  <li key={e.sku}>
                    {e.sku}: {e.reason}
                  </li>
                ))}
              </ul>
              {o.excludedCount > o.excluded.length && <Text className={styles.muted}>… and {count(o.excludedCount - o.excluded.length)} more.</Text>}
            </AccordionPanel>
          </AccordionItem>
        </Accordion>
      )}
      <div className={styles.row}>
        <Button onClick={onWrite} disabled={busy}>
          Write Scenarios sheet
        </Button>
      </div>
      <Text className={styles.muted}>
        {written ? "The Scenarios sheet holds this comparison." : "Writes the Scenarios sheet (tables and charts; it replaces an earlier one) and an audit entry."} &quot;Use this scenario&quot; does both and puts its grid in
        the Policy tab.
      </Text>
    </section>
  );
}

function Figure({ label, value }: { label: string; value: string }) {
  const styles = useCommonStyles();
  return (
    <>
      <span className={styles.muted}>{label}</span>
      <span className={mergeClasses(styles.num, styles.wrap)}>{value}</span>
    </>
  );
}

function SegmentChart({ outcome: o, metric }: { outcome: ScenarioOutcome; metric: ComparedMetric }) {
  const own = useStyles();
  const [ref, width] = useWidth();
  const segs = orderedSegments(o);
  const scale = metric === "fillRate" ? 100 : 1;
  const data: GroupedVerticalBarChartData[] = segs.map((r) => ({
    name: r.segment || "(none)",
    series: o.names.map((name, k) => ({
      key: `${r.segment}-${k}`,
      legend: name,
      data: Number.isFinite(r.value[metric][k].mean) ? r.value[metric][k].mean * scale : 0,
      color: COLOURS[k % COLOURS.length],
      yAxisCalloutData: show(metric, r.value[metric][k].mean),
    })),
  }));
  return (
    <section aria-label={`${METRIC_LABEL[metric]} by segment and scenario`} className={own.chart} ref={ref}>
      <GroupedVerticalBarChart
        data={data}
        width={width}
        height={220}
        chartTitle={`${METRIC_LABEL[metric]} by segment`}
        yAxisTitle={metric === "fillRate" ? "%" : undefined}
        culture={typeof navigator !== "undefined" ? navigator.language : undefined}
      />
    </section>
  );
}
