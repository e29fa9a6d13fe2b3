/**
 * The pane's charts (@fluentui/react-charts), loaded on first use in a chunk of their own: the
 * chart library and d3 are about a third of the pane's code, and most steps open without a chart
 * on screen. Views import charts from here, never from @fluentui/react-charts directly, and a chart
 * type is added here (and to webpackExports) when a view first needs it; each chart keeps its
 * height while its code loads, so nothing jumps.
 */
import type { GroupedVerticalBarChartProps, HorizontalBarChartWithAxisProps, LineChartProps, ScatterChartProps } from "@fluentui/react-charts";
import { Spinner } from "@fluentui/react-components";
import { lazy, Suspense, type ComponentType } from "react";

export type { ChartProps, GroupedVerticalBarChartData, HorizontalBarChartWithAxisDataPoint } from "@fluentui/react-charts";

function deferred<P extends { height?: number }>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  const Lazy = lazy(async () => ({ default: await load() }));
  function Chart(props: P) {
    return (
      <Suspense fallback={<Spinner size="tiny" label="Drawing…" style={{ height: props.height ?? 200 }} />}>
        <Lazy {...(props as P & React.JSX.IntrinsicAttributes)} />
      </Suspense>
    );
  }
  return Chart;
}

// webpackExports keeps the chunk to the charts used (a dynamic import is otherwise not tree-shaken)
const library = () =>
  import(/* webpackChunkName: "charts", webpackExports: ["LineChart", "ScatterChart", "GroupedVerticalBarChart", "HorizontalBarChartWithAxis"] */ "@fluentui/react-charts");

export const LineChart = deferred<LineChartProps>(async () => (await library()).LineChart);
export const ScatterChart = deferred<ScatterChartProps>(async () => (await library()).ScatterChart);
export const GroupedVerticalBarChart = deferred<GroupedVerticalBarChartProps>(async () => (await library()).GroupedVerticalBarChart);
export const HorizontalBarChartWithAxis = deferred<HorizontalBarChartWithAxisProps>(async () => (await library()).HorizontalBarChartWithAxis);
