/**
 * The Forecast tab, loaded when it is first opened: its view and charts (a bar chart the other tabs
 * do not use) stay out of the pane's main bundle.
 */
import { Spinner } from "@fluentui/react-components";
import { lazy, Suspense } from "react";

const Tab = lazy(() => import("./ForecastTab").then((m) => ({ default: m.ForecastTab })));

export function LazyForecastTab() {
  return (
    <Suspense fallback={<Spinner size="small" label="Opening the Forecast tab…" />}>
      <Tab />
    </Suspense>
  );
}
