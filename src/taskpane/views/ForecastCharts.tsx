/**
 * The Forecast tab's pictures (@fluentui/react-charts, sized to the pane): WAPE and |bias| per
 * segment as grouped columns, and one SKU's actual demand, one-step fitted values and forecast
 * (overrides applied) as lines over the periods. Presentation only.
 */
import { GroupedVerticalBarChart, LineChart, type ChartProps, type GroupedVerticalBarChartData } from "../charts";
import { makeStyles, Subtitle2, Text, tokens } from "@fluentui/react-components";
import type { SegmentAccuracy } from "../../app/forecastModel";
import type { SkuForecastView } from "../../app/steps/forecast";
import { count, pct } from "../format";
import { navigatorLocale, useWidth } from "./PreviewCharts";

const useStyles = makeStyles({
  chart: { width: "100%", minWidth: 0, overflow: "hidden" },
});

const WAPE_COLOUR = "#0f6cbd";
const BIAS_COLOUR = "#ca5010";

export function AccuracyChart({ rows }: { rows: readonly SegmentAccuracy[] }) {
  const styles = useStyles();
  const [ref, width] = useWidth();
  const shown = rows.filter((r) => Number.isFinite(r.wape));
  const data: GroupedVerticalBarChartData[] = shown.map((r) => ({
    name: r.segment,
    series: [
      { key: "wape", data: Math.round(r.wape * 1000) / 10, legend: "WAPE %", color: WAPE_COLOUR, yAxisCalloutData: pct(r.wape) },
      { key: "bias", data: Math.round(Math.abs(r.bias) * 1000) / 10, legend: "|Bias| %", color: BIAS_COLOUR, yAxisCalloutData: pct(r.bias) },
    ],
  }));
  const worst = shown.reduce<SegmentAccuracy | null>((w, r) => (w === null || r.wape / r.wapeMax > w.wape / w.wapeMax ? r : w), null);
  return (
    <section aria-labelledby="seg-fc-accuracy-title" className={styles.chart} ref={ref}>
      <Subtitle2 id="seg-fc-accuracy-title" as="h3">
        WAPE and bias by segment
      </Subtitle2>
      <Text size={200} block>
        {worst ? `${worst.segment} is furthest from its limit: WAPE ${pct(worst.wape)} against ${pct(worst.wapeMax, 0)}.` : "No segment has demand in the backtest periods."}
      </Text>
      {shown.length > 0 && <GroupedVerticalBarChart data={data} width={width} height={200} barWidth="auto" yAxisTitle="% of demand" culture={navigatorLocale()} hideLegend={false} />}
    </section>
  );
}

export function SkuChart({ view }: { view: SkuForecastView }) {
  const styles = useStyles();
  const [ref, width] = useWidth();
  const n = view.periods;
  const lines: ChartProps["lineChartData"] = [
    { legend: "Actual", data: view.actual.map((y, t) => ({ x: t + 1, y })), color: tokens.colorNeutralForeground1 },
    { legend: "Forecast", data: [{ x: n, y: view.actual[n - 1] }, ...view.forecast.map((y, k) => ({ x: n + k + 1, y }))], color: tokens.colorBrandBackground, lineOptions: { strokeDasharray: "5 3" } },
  ];
  if (view.fitted) {
    const pts = view.fitted.flatMap((y, t) => (y === null ? [] : [{ x: t + 1, y }]));
    if (pts.length) lines.splice(1, 0, { legend: "Fitted (one step)", data: pts, color: "#8764b8" });
  }
  const overridden = view.overrides.filter((o) => o !== null).length;
  return (
    <section aria-labelledby="seg-fc-sku-chart-title" className={styles.chart} ref={ref}>
      <Subtitle2 id="seg-fc-sku-chart-title" as="h3">
        Actual and forecast: {view.sku}
      </Subtitle2>
      <Text size={200} block>
        Periods 1–{count(n)} are the history, {count(n + 1)}–{count(n + view.forecast.length)} the forecast{overridden ? ` (${count(overridden)} overridden)` : ""}.
      </Text>
      <LineChart data={{ chartTitle: `Actual and forecast of ${view.sku}`, lineChartData: lines }} width={width} height={220} xAxisTitle="Period" yAxisTitle="Units" culture={navigatorLocale()} />
    </section>
  );
}
