/**
 * The Scenarios and Network tabs' charts (@fluentui/react-charts), loaded on first use in the
 * "charts" chunk, so that the chart code is not part of what the pane starts with. The same
 * pattern as the pane's other lazy charts: each chart keeps its height while its code loads.
 */
import type { GroupedVerticalBarChartProps, HorizontalBarChartWithAxisProps } from "@fluentui/react-charts";
import { Spinner } from "@fluentui/react-components";
import { lazy, Suspense, type ComponentType } from "react";

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
  import(/* webpackChunkName: "charts", webpackExports: ["GroupedVerticalBarChart", "HorizontalBarChartWithAxis"] */ "@fluentui/react-charts");

export const GroupedVerticalBarChart = deferred<GroupedVerticalBarChartProps>(async () => (await library()).GroupedVerticalBarChart);
export const HorizontalBarChartWithAxis = deferred<HorizontalBarChartWithAxisProps>(async () => (await library()).HorizontalBarChartWithAxis);
