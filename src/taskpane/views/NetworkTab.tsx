/**
 * Network tab: read the Network table (stages and their links), choose the model (tree or serial
 * line) and the service level of customer stages without one, solve, see where the safety stock
 * goes (a bar chart of the stages holding the most and a four-column table), and write the Network
 * policy sheet. Bad cells are listed with their addresses; a network the model cannot take is one
 * message naming the stage.
 */
import type { HorizontalBarChartWithAxisDataPoint } from "../charts";
import { Button, Radio, RadioGroup, Subtitle2, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text } from "@fluentui/react-components";
import { NETWORK_FIELD_LABELS } from "../../app/network";
import type { NetworkSolution } from "../../app/networkSheet";
import { count, fixed } from "../format";
import { useStep } from "../usePane";
import { NumberField, useCommonStyles } from "./common";
import { useWidth } from "./PreviewCharts";
import { HorizontalBarChartWithAxis } from "../charts";

/** Stages shown in the pane's chart and table (the sheet has them all). */
const CHART_STAGES = 20;
const TABLE_STAGES = 60;

export function NetworkTab() {
  const [state, actions, common] = useStep("network");
  const styles = useCommonStyles();
  const busy = common.running !== null;
  const levelProblem = common.errorField === "defaultServiceLevel" ? (common.error ?? undefined) : undefined;
  return (
    <div className={styles.stack}>
      <section aria-labelledby="seg-network" className={styles.stack}>
        <Subtitle2 id="seg-network">Network</Subtitle2>
        <Text>
          Select the Network table: one row per stage with Stage, Downstream stage (blank or &quot;customer&quot; for a stage serving customers), Processing time, Holding cost, and at customer stages
          Demand mean and Demand sd; optionally Inbound service time, Max outbound service time, Segment and Service level.
        </Text>
        <div className={styles.row}>
          <Button appearance="primary" onClick={() => actions.readSource("selection")} disabled={busy}>
            Read selection
          </Button>
          <Button onClick={() => actions.readSource("region")} disabled={busy}>
            Use current region
          </Button>
        </div>
        {state.source && (
          <Text role="status" className={styles.wrap}>
            {state.source.address}: {count(state.source.rows)} rows. Columns: {state.found.map((f) => NETWORK_FIELD_LABELS[f.field]).join(", ") || "none recognised"}.
          </Text>
        )}
      </section>

      <section aria-labelledby="seg-network-options" className={styles.stack}>
        <Subtitle2 id="seg-network-options">Model</Subtitle2>
        <RadioGroup value={state.model} onChange={(_, d) => actions.setModel(d.value as "tree" | "serial")} aria-label="Network model">
          <Radio value="tree" label="Tree (stages may supply several stages or be supplied by several)" />
          <Radio value="serial" label="Serial line (each stage supplies one)" />
        </RadioGroup>
        <div className={styles.grid2}>
          <NumberField
            label="Default service level (%)"
            percent
            value={state.defaultServiceLevel}
            problem={levelProblem}
            hint="For customer stages with no Service level or Segment cell; a Segment takes its level from the policy grid."
            onValue={(v) => actions.setDefaultServiceLevel(v)}
          />
        </div>
        {state.problems.length > 0 && (
          <ul className={styles.list} role="alert" aria-label="Network problems">
            {state.problems.slice(0, 100).map((p) => (
              <li key={p}>{p}</li>
            ))}
            {state.problems.length > 100 && <li>… and {count(state.problems.length - 100)} more.</li>}
          </ul>
        )}
        <div className={styles.row}>
          <Button onClick={() => actions.solve()} disabled={busy || !state.source}>
            Solve
          </Button>
          <Button appearance="primary" onClick={() => actions.write()} disabled={busy || !state.source}>
            Write Network policy sheet
          </Button>
        </div>
      </section>

      {state.solution && <SolutionView solution={state.solution} written={state.written} />}
    </div>
  );
}

function SolutionView({ solution: s, written }: { solution: NetworkSolution; written: boolean }) {
  const styles = useCommonStyles();
  const r = s.result;
  const n = r.stage.length;
  const order = r.stage.map((_, j) => j).sort((a, b) => r.safetyStock[b] - r.safetyStock[a] || a - b);
  const holding = order.filter((j) => r.safetyStock[j] > 1e-12).length;
  const shown = n <= TABLE_STAGES ? r.stage.map((_, j) => j) : order.slice(0, TABLE_STAGES);
  return (
    <section aria-labelledby="seg-network-solution" className={styles.stack}>
      <Subtitle2 id="seg-network-solution">Where the safety stock goes</Subtitle2>
      <Text role="status" className={styles.wrap}>
        {count(n)} stages ({s.model === "serial" ? "serial line" : "tree"}): safety stock at {count(holding)} of them; holding cost {fixed(r.totalHoldingCostPerPeriod, 2)} per period, the least any
        choice of service times gives.{written ? " Written to the Network policy sheet." : ""}
      </Text>
      <SafetyStockChart solution={s} stages={order.slice(0, CHART_STAGES)} />
      <div className={styles.tableWrap}>
        <Table size="small" aria-label="Network policy per stage" className={styles.table}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Stage</TableHeaderCell>
              <TableHeaderCell className={styles.num}>Service time</TableHeaderCell>
              <TableHeaderCell className={styles.num}>Net lead time</TableHeaderCell>
              <TableHeaderCell className={styles.num}>Safety stock</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {shown.map((j) => (
              <TableRow key={r.stage[j]}>
                <TableCell className={styles.wrap}>{r.stage[j]}</TableCell>
                <TableCell className={styles.num}>{count(r.serviceTime[j])}</TableCell>
                <TableCell className={styles.num}>{count(r.netLeadTime[j])}</TableCell>
                <TableCell className={styles.num}>{fixed(r.safetyStock[j], 1)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
      {shown.length < n && <Text className={styles.muted}>The {count(shown.length)} stages with the most safety stock; the sheet lists all {count(n)}.</Text>}
      <Text className={styles.muted}>Times in periods of the Network sheet; service time = what the stage promises downstream.</Text>
    </section>
  );
}

function SafetyStockChart({ solution: s, stages }: { solution: NetworkSolution; stages: number[] }) {
  const [ref, width] = useWidth();
  const r = s.result;
  // the chart draws the first category at the bottom: list the largest last so it is on top
  const data: HorizontalBarChartWithAxisDataPoint[] = [...stages].reverse().map((j) => ({ y: r.stage[j], x: r.safetyStock[j], color: "#0f6cbd", xAxisCalloutData: fixed(r.safetyStock[j], 1) }));
  return (
    <section aria-label="Safety stock by stage" ref={ref} style={{ width: "100%", minWidth: 0, overflow: "hidden" }}>
      <HorizontalBarChartWithAxis data={data} width={width} height={Math.max(140, 26 * stages.length + 60)} chartTitle="Safety stock by stage (units)" hideLegend />
    </section>
  );
}
