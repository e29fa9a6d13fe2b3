/**
 * Performance tab ("does the policy work?"): read a range of actuals (one row per SKU and period),
 * map its columns, check the realised service against the Policy grid's targets, and see per
 * segment the realised fill rate beside its target (a chart), the stockout frequency and turns,
 * and the SKUs furthest below target. The next Write adds the Policy performance sheet.
 */
import { GroupedVerticalBarChart, type GroupedVerticalBarChartData } from "../charts";
import { Button, makeStyles, Subtitle2, Text, tokens } from "@fluentui/react-components";
import { ACTUALS_FIELDS, ACTUALS_LABELS, type ActualsField } from "../../app/actuals";
import { count, fixed, pct, plural } from "../format";
import { SheetSource } from "../components/SheetSource";
import { useStep } from "../usePane";
import { useCommonStyles } from "./common";
import { navigatorLocale, useWidth } from "./PreviewCharts";

const useStyles = makeStyles({
  cards: { margin: 0, paddingLeft: 0, listStyleType: "none", display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalS },
  card: { display: "flex", flexDirection: "column", minWidth: 0, overflowWrap: "anywhere" },
  chart: { width: "100%", minWidth: 0, overflow: "hidden" },
});

export function PerformanceTab() {
  const [state, actions, common] = useStep("performance");
  const styles = useCommonStyles();
  const own = useStyles();
  const [ref, width] = useWidth();
  const busy = common.running !== null;
  const m = state.mapping;
  const s = state.summary;
  const segments = s ? s.result.segments.filter((x) => x.segment !== "") : [];
  const data: GroupedVerticalBarChartData[] = segments.map((x) => ({
    name: x.segment,
    series: [
      { key: "realised", data: Number.isFinite(x.fillRate) ? Math.round(x.fillRate * 1000) / 10 : 0, legend: "Realised fill rate", color: "#0f6cbd", yAxisCalloutData: pct(x.fillRate) },
      { key: "target", data: x.target ? Math.round(x.target.fillRate * 1000) / 10 : 0, legend: "Fill rate target", color: "#8a8886", yAxisCalloutData: pct(x.target?.fillRate ?? Number.NaN) },
    ],
  }));
  return (
    <div className={styles.stack}>
      <section aria-labelledby="seg-actuals" className={styles.stack}>
        <Subtitle2 id="seg-actuals">Actuals</Subtitle2>
        <Text>Select the actuals on a sheet: one row per SKU and period, with sales and on hand at period end, a stockout flag or backorders.</Text>
        <SheetSource
          readLabel="Read actuals"
          busy={busy}
          onRead={(kind) => actions.readSource(kind)}
          source={state.source}
          headers={state.headers}
          fields={ACTUALS_FIELDS}
          labels={ACTUALS_LABELS}
          columns={m ? m.columns : null}
          onField={(f: ActualsField, c) => actions.setMappingField(f, c)}
          problems={state.mappingProblems}
          problemsLabel="Actuals mapping problems"
        />
        <div className={styles.row}>
          <Button onClick={() => actions.check()} disabled={busy || !m}>
            Check the policy
          </Button>
        </div>
      </section>
      {s && (
        <section aria-labelledby="seg-performance" className={styles.stack}>
          <Subtitle2 id="seg-performance">Realised against target</Subtitle2>
          <Text className={styles.wrap}>
            {plural(s.skus, "SKU")} over {plural(s.periods, "period")}
            {s.unclassified ? `; ${plural(s.unclassified, "SKU")} not in the classification, left out` : ""}. The next Write adds the Policy performance sheet.
          </Text>
          <div className={own.chart} ref={ref} role="img" aria-label="Realised fill rate and target per segment">
            {data.length > 0 && <GroupedVerticalBarChart data={data} width={width} height={200} yAxisTitle="Fill rate (%)" yMaxValue={100} hideLabels barWidth="auto" culture={navigatorLocale()} />}
          </div>
          <ul className={own.cards} aria-label="Performance per segment">
            {segments.map((x) => (
              <li key={x.segment} className={own.card}>
                <Text weight="semibold">
                  {x.segment}
                  {x.fillRateGap < 0 || x.cycleServiceLevelGap < 0 ? " — below target" : ""}
                </Text>
                <Text size={200}>
                  Fill rate {pct(x.fillRate)} (target {pct(x.target?.fillRate ?? Number.NaN)}); CSL {pct(x.cycleServiceLevel)}
                  {x.target && Number.isFinite(x.target.cycleServiceLevel) ? ` (target ${pct(x.target.cycleServiceLevel)})` : ""}; stockouts in {pct(x.stockoutFrequency)} of periods; turns {fixed(x.turns, 1)} (target {fixed(x.target?.turns ?? Number.NaN, 1)}).
                </Text>
              </li>
            ))}
          </ul>
          {s.result.furthestBelow.length > 0 && (
            <section aria-labelledby="seg-below" className={styles.stack}>
              <Subtitle2 id="seg-below" as="h3">
                Furthest below target
              </Subtitle2>
              <ul className={styles.list} aria-label="SKUs furthest below target">
                {s.result.furthestBelow.slice(0, 10).map((b) => (
                  <li key={b.sku}>
                    {b.sku} ({b.segment}): {b.measure === "fillRate" ? "fill rate" : "CSL"} {pct(b.realised)}, target {pct(b.target)}
                  </li>
                ))}
              </ul>
            </section>
          )}
        </section>
      )}
      {state.rejected.length > 0 && (
        <section aria-labelledby="seg-actuals-rejected" className={styles.stack}>
          <Subtitle2 id="seg-actuals-rejected">Rows rejected ({count(state.rejectedCount)})</Subtitle2>
          <ul className={styles.list} aria-label="Rejected rows of actuals">
            {state.rejected.map((r) => (
              <li key={r.message}>{r.message}</li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
