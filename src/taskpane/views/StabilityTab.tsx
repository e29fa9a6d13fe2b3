/**
 * Stability tab: Monte Carlo stability of the segments under forecast error (runs, error CV,
 * seed, threshold), per-segment expected churn with a chart, the SKUs below the threshold, and
 * the cut-off sensitivity table. Reads useStep("stability") only; loaded lazily.
 */
import { Button, Subtitle2, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text } from "@fluentui/react-components";
import type { SensitivityRow } from "../../engine/sensitivity";
import type { StabilitySummary } from "../../app/steps/stability";
import { HorizontalBarChartWithAxis, type HorizontalBarChartWithAxisDataPoint } from "../charts";
import { amount, count, pct, seconds } from "../format";
import { useStep } from "../usePane";
import { NumberField, useCommonStyles } from "./common";
import { useWidth } from "./PreviewCharts";

export function StabilityTab() {
  const [state, actions, common] = useStep("stability");
  const styles = useCommonStyles();
  const busy = common.running !== null;
  const s = state.settings;
  // the step computes the sensitivity for every classification
  const classified = state.sensitivity !== null;
  return (
    <div className={styles.stack}>
      <section aria-labelledby="seg-stability" className={styles.stack}>
        <Subtitle2 id="seg-stability">Stability under forecast error</Subtitle2>
        <Text className={styles.wrap}>
          Each period&apos;s demand is perturbed by the forecast error and the SKUs are reclassified, many times: a SKU that often lands in another segment has a class that depends on noise.
        </Text>
        <div className={styles.grid2}>
          <NumberField label="Runs" value={s.runs} onValue={(v) => actions.setSettings({ runs: v })} hint="200 is usual" />
          <NumberField label="Forecast error (CV)" percent value={s.errorCv} onValue={(v) => actions.setSettings({ errorCv: v })} hint="For SKUs without a forecast: 25 %" />
          <NumberField label="Seed" value={s.seed} onValue={(v) => actions.setSettings({ seed: v })} />
          <NumberField label="Flag below" percent value={s.threshold} onValue={(v) => actions.setSettings({ threshold: v })} />
        </div>
        {state.problems.length > 0 && (
          <ul className={styles.list} role="alert" aria-label="Stability option problems">
            {state.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        )}
        <div className={styles.row}>
          <Button appearance="primary" onClick={() => void actions.check()} disabled={busy || !classified || state.problems.length > 0}>
            Check stability
          </Button>
        </div>
        {!classified && <Text className={styles.muted}>Classify first (Classify tab).</Text>}
      </section>
      {state.summary && <Summary summary={state.summary} threshold={s.threshold} />}
      {state.sensitivity && <Sensitivity rows={state.sensitivity} />}
    </div>
  );
}

function Summary({ summary, threshold }: { summary: StabilitySummary; threshold: number }) {
  const styles = useCommonStyles();
  const [ref, width] = useWidth();
  // the chart draws the first category at the bottom: reverse so the first segment is on top
  const data: HorizontalBarChartWithAxisDataPoint[] = [...summary.bySegment].reverse().map((c) => ({ y: c.label, x: Math.round((1 - c.expectedChurn) * 1000) / 10, color: "#0f6cbd", xAxisCalloutData: pct(1 - c.expectedChurn) }));
  return (
    <section aria-labelledby="seg-stability-result" className={styles.stack}>
      <Subtitle2 id="seg-stability-result">Stability by segment</Subtitle2>
      <Text role="status" className={styles.wrap}>
        {count(summary.skus)} SKUs, {count(summary.runs)} runs in {seconds(summary.ms)}: {count(summary.flagged)} below {pct(threshold, 0)}.
      </Text>
      <Text className={styles.wrap}>
        Forecast error from the backtest for {count(summary.errorSources.backtest)}, the in-sample fit for {count(summary.errorSources["in-sample"])}, the setting for {count(summary.errorSources.setting)} SKUs
        {summary.forecastStale ? " (the forecast is of an earlier classification: forecast again to use it)" : ""}.
      </Text>
      <div ref={ref} style={{ width: "100%", minWidth: 0, overflow: "hidden" }} aria-label="Stay probability by segment chart">
        <HorizontalBarChartWithAxis data={data} width={width} height={Math.max(140, 26 * data.length + 60)} chartTitle="Mean stay probability by segment (%)" hideLegend />
      </div>
      <div className={styles.tableWrap}>
        <Table size="small" aria-label="Stability by segment" className={styles.table}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Segment</TableHeaderCell>
              <TableHeaderCell className={styles.num}>SKUs</TableHeaderCell>
              <TableHeaderCell className={styles.num}>Expected churn</TableHeaderCell>
              <TableHeaderCell className={styles.num}>Flagged</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {summary.bySegment.map((c) => (
              <TableRow key={c.label}>
                <TableCell>{c.label}</TableCell>
                <TableCell className={styles.num}>{count(c.skus)}</TableCell>
                <TableCell className={styles.num}>{pct(c.expectedChurn)}</TableCell>
                <TableCell className={styles.num}>{count(c.flagged)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
      {summary.below.length > 0 && (
        <>
          <Text weight="semibold" id="seg-stability-below">
            Least stable SKUs below {pct(threshold, 0)}
          </Text>
          <ul className={styles.list} aria-labelledby="seg-stability-below">
            {summary.below.map((b) => (
              <li key={b.sku}>
                {b.sku} ({b.segment}): {pct(b.stay)}, error {pct(b.errorCv)} ({b.errorSource})
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function Sensitivity({ rows }: { rows: SensitivityRow[] }) {
  const styles = useCommonStyles();
  return (
    <section aria-labelledby="seg-sensitivity" className={styles.stack}>
      <Subtitle2 id="seg-sensitivity">If a cut-off moves</Subtitle2>
      <Text className={styles.wrap}>SKUs and value that change class when one cut-off moves by 5 points (ABC: cumulative share; XYZ: CV 0.05), everything else fixed.</Text>
      <div className={styles.tableWrap}>
        <Table size="small" aria-label="Cut-off sensitivity" className={styles.table}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Cut-off</TableHeaderCell>
              <TableHeaderCell>Move</TableHeaderCell>
              <TableHeaderCell className={styles.num}>SKUs</TableHeaderCell>
              <TableHeaderCell className={styles.num}>Value</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map((r) => (
              <TableRow key={`${r.boundary}${r.shift}`}>
                <TableCell className={styles.wrap}>
                  {r.boundary} {r.boundary.startsWith("ABC") ? pct(r.at, 0) : r.at} → {r.boundary.startsWith("ABC") ? pct(r.to, 0) : Math.round(r.to * 1000) / 1000}
                </TableCell>
                <TableCell className={styles.wrap}>{r.valid ? `${r.fromClass} → ${r.toClass}` : "not valid"}</TableCell>
                <TableCell className={styles.num}>{r.valid ? count(r.skus) : "–"}</TableCell>
                <TableCell className={styles.num}>{r.valid ? `${amount(r.value)} (${pct(r.valueShare)})` : "–"}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
    </section>
  );
}
