/**
 * The pane's steps, listed once: this list drives the tab bar, the rendering and the store (each
 * `slice` makes one part of the state and its actions; see src/app/step.ts). Adding a step is one
 * view file, one slice file and one line here (docs/adding-a-step.md).
 */
import { lazy, type ComponentType } from "react";
import { auditStep } from "../app/steps/audit";
import { classifyStep } from "../app/steps/classify";
import { controlStep } from "../app/steps/control";
import { networkStep } from "../app/steps/network";
import { forecastStep } from "../app/steps/forecast";
import { dimensionsStep } from "../app/steps/dimensions";
import { executionStep } from "../app/steps/execution";
import { serviceStep } from "../app/steps/service";
import { overridesStep } from "../app/steps/overrides";
import { performanceStep } from "../app/steps/performance";
import { policyStep } from "../app/steps/policy";
import { reconcileStep } from "../app/steps/reconcile";
import { scenariosStep } from "../app/steps/scenarios";
import { rulesStep } from "../app/steps/rules";
import { stabilityStep } from "../app/steps/stability";
import { settingsStep } from "../app/steps/settings";
import { versionsStep } from "../app/steps/versions";
import { writeStep } from "../app/steps/write";
import { importStep } from "../app/steps/import";
import type { AnyStepSlice } from "../app/step";
import { ClassifyTab } from "./views/ClassifyTab";
import { LazyForecastTab } from "./views/LazyForecastTab";

// Loaded when first shown, to keep the pane's first bundle small (App renders views in a Suspense).
const DimensionsSection = lazy(() => import("./views/DimensionsSection").then((m) => ({ default: m.DimensionsSection })));
const ServiceTab = lazy(() => import("./views/ServiceTab").then((m) => ({ default: m.ServiceTab })));
const ImportSection = lazy(() => import("./views/ImportSection").then((m) => ({ default: m.ImportSection })));
const StabilityTab = lazy(() => import("./views/StabilityTab").then((m) => ({ default: m.StabilityTab })));
const RulesTab = lazy(() => import("./views/RulesTab").then((m) => ({ default: m.RulesTab })));
const ExecutionTab = lazy(() => import("./views/ExecutionTab").then((m) => ({ default: m.ExecutionTab })));
const VersionsTab = lazy(() => import("./views/VersionsTab").then((m) => ({ default: m.VersionsTab })));
const ControlSection = lazy(() => import("./views/ControlSection").then((m) => ({ default: m.ControlSection })));
const NetworkTab = lazy(() => import("./views/NetworkTab").then((m) => ({ default: m.NetworkTab })));
const PerformanceTab = lazy(() => import("./views/PerformanceTab").then((m) => ({ default: m.PerformanceTab })));
const PolicyTab = lazy(() => import("./views/PolicyTab").then((m) => ({ default: m.PolicyTab })));
const ScenariosTab = lazy(() => import("./views/ScenariosTab").then((m) => ({ default: m.ScenariosTab })));
const OverridesTab = lazy(() => import("./views/OverridesTab").then((m) => ({ default: m.OverridesTab })));
const AuditTab = lazy(() => import("./views/AuditTab").then((m) => ({ default: m.AuditTab })));
const SettingsTab = lazy(() => import("./views/SettingsTab").then((m) => ({ default: m.SettingsTab })));
const WriteTab = lazy(() => import("./views/WriteTab").then((m) => ({ default: m.WriteTab })));
const ReconcileTab = lazy(() => import("./views/ReconcileTab").then((m) => ({ default: m.ReconcileTab })));

export interface PaneStep {
  key: string;
  label: string;
  View: ComponentType;
  slice: AnyStepSlice;
  /** Shown inside another step's tab (that tab's view renders View), not as a tab of its own. */
  inTab?: string;
}

export const STEPS: readonly PaneStep[] = [
  { key: "classify", label: "Classify", View: ClassifyTab, slice: classifyStep },
  { key: "import", label: "Import an extract", View: ImportSection, slice: importStep, inTab: "classify" },
  { key: "rules", label: "Rules", View: RulesTab, slice: rulesStep },
  { key: "forecast", label: "Forecast", View: LazyForecastTab, slice: forecastStep },
  { key: "dimensions", label: "Criterion and dimension", View: DimensionsSection, slice: dimensionsStep, inTab: "classify" },
  { key: "policy", label: "Policy", View: PolicyTab, slice: policyStep },
  { key: "service", label: "Service", View: ServiceTab, slice: serviceStep },
  { key: "execution", label: "Execution", View: ExecutionTab, slice: executionStep },
  { key: "write", label: "Write", View: WriteTab, slice: writeStep },
  { key: "stability", label: "Stability", View: StabilityTab, slice: stabilityStep },
  { key: "scenarios", label: "Scenarios", View: ScenariosTab, slice: scenariosStep },
  { key: "network", label: "Network", View: NetworkTab, slice: networkStep },
  { key: "overrides", label: "Overrides", View: OverridesTab, slice: overridesStep },
  { key: "audit", label: "Audit", View: AuditTab, slice: auditStep },
  { key: "reconcile", label: "Reconcile", View: ReconcileTab, slice: reconcileStep },
  { key: "versions", label: "Versions", View: VersionsTab, slice: versionsStep },
  { key: "control", label: "Change control and data quality", View: ControlSection, slice: controlStep, inTab: "versions" },
  { key: "performance", label: "Performance", View: PerformanceTab, slice: performanceStep },
  { key: "settings", label: "Settings", View: SettingsTab, slice: settingsStep },
];

/** The slices of the registered steps, in order (what a PaneSession is made of). */
export function stepSlices(steps: readonly PaneStep[] = STEPS): AnyStepSlice[] {
  return steps.map((s) => s.slice);
}
