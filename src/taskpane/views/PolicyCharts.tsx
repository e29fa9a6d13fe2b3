/**
 * The pictures of the policy preview: the expected fill rate per segment beside its target (or,
 * under a budget, beside what the service targets would give), and each DC's room needed against
 * its capacity. Presentation only: every figure comes from the preview (src/app/policyPreview.ts).
 */
import { GroupedVerticalBarChart, type GroupedVerticalBarChartData } from "../charts";
import { makeStyles, ProgressBar, Subtitle2, Text, tokens } from "@fluentui/react-components";
import type { CapacityOutlook, PolicyPreview } from "../../app/policyPreview";
import { count, fixed, pct } from "../format";
import { navigatorLocale, useWidth } from "./PreviewCharts";

const useStyles = makeStyles({
  chart: { width: "100%", minWidth: 0, overflow: "hidden" },
  list: { margin: 0, paddingLeft: 0, listStyleType: "none", display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalS },
  item: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalXXS, minWidth: 0, overflowWrap: "anywhere" },
});

const PLANNED = "#0f6cbd";
const REFERENCE = "#8a8886";

/** Fill rate per segment: planned against target, or under the budget against the targets' policy. */
export function SegmentFillChart({ preview }: { preview: PolicyPreview }) {
  const styles = useStyles();
  const [ref, width] = useWidth();
  const budget = preview.budget;
  const data: GroupedVerticalBarChartData[] = budget
    ? budget.segments.map((s) => ({
        name: s.segment,
        series: [
          { key: "budget", data: Math.round(s.fillRate * 1000) / 10, legend: "Under the budget", color: PLANNED, yAxisCalloutData: pct(s.fillRate) },
          { key: "targets", data: Math.round(s.targetFillRate * 1000) / 10, legend: "At the service targets", color: REFERENCE, yAxisCalloutData: pct(s.targetFillRate) },
        ],
      }))
    : preview.bySegment.map((s) => ({
        name: s.segment,
        series: [
          { key: "planned", data: Math.round(s.fillRate * 1000) / 10, legend: "Expected fill rate", color: PLANNED, yAxisCalloutData: pct(s.fillRate) },
          { key: "target", data: Math.round(s.fillRateTarget * 1000) / 10, legend: "Fill rate target", color: REFERENCE, yAxisCalloutData: pct(s.fillRateTarget) },
        ],
      }));
  const values = data.flatMap((d) => d.series.map((x) => x.data)).filter((x) => Number.isFinite(x));
  const low = values.length ? Math.max(0, Math.floor(Math.min(...values) / 5) * 5 - 5) : 0;
  return (
    <section aria-labelledby="seg-policy-fill-title" className={styles.chart} ref={ref}>
      <Subtitle2 id="seg-policy-fill-title" as="h3">
        {budget ? "Fill rate under the budget" : "Expected fill rate per segment"}
      </Subtitle2>
      <Text size={200} block>
        {budget
          ? "Per segment, the fill rate the budget buys beside the one the service targets would give."
          : "Per segment, the fill rate of the planned (rounded) levels beside the segment's fill-rate target."}
      </Text>
      {data.length > 0 && (
        <GroupedVerticalBarChart data={data} width={width} height={200} yAxisTitle="Fill rate (%)" yMinValue={low} yMaxValue={100} hideLabels barWidth="auto" culture={navigatorLocale()} />
      )}
    </section>
  );
}

/** Each DC's room: needed before the cuts, after them, against the capacity. */
export function CapacityList({ locations, basis }: { locations: CapacityOutlook[]; basis: "units" | "volume" }) {
  const styles = useStyles();
  const unit = basis === "volume" ? "volume" : "units";
  return (
    <section aria-labelledby="seg-policy-capacity-title">
      <Subtitle2 id="seg-policy-capacity-title" as="h3">
        DC capacity
      </Subtitle2>
      <ul className={styles.list} aria-label="Capacity per location">
        {locations.map((l) => (
          <li key={l.location} className={styles.item}>
            <Text weight="semibold">{l.location || "(no location)"}</Text>
            <ProgressBar value={Math.min(1, l.after / l.capacity)} max={1} color={l.feasible ? (l.unitsCut > 0 ? "warning" : "brand") : "error"} aria-label={`${l.location}: ${pct(l.after / l.capacity, 0)} of the capacity used`} />
            <Text size={200}>
              Needs {fixed(l.required, 0)} {unit} at the max levels, holds {fixed(l.capacity, 0)}.{" "}
              {l.unitsCut > 0
                ? `Cut ${fixed(l.unitsCut, 0)} units from ${count(l.skusCut)} SKUs (${l.tiersCut.join(", then ")}); fill rate ${pct(l.fillRateBefore)} → ${pct(l.fillRateAfter)}.`
                : "Nothing cut."}
              {!l.feasible && " Does not fit even at the lowest levels."}
            </Text>
          </li>
        ))}
      </ul>
    </section>
  );
}
