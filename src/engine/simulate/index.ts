/** Inventory policy simulation, scenario comparison and the interval helpers they use. */
export {
  DEMAND_DISTRIBUTIONS,
  MAX_LEAD_TIME,
  POLICY_KINDS,
  SHORTAGE_MODES,
  SIM_METRICS,
  simulatePolicies,
  simulateScenarioRuns,
  type DemandDistribution,
  type DemandSource,
  type Interval,
  type LeadTimeCrossing,
  type MetricColumns,
  type PolicyColumns,
  type PolicyKind,
  type ScenarioRun,
  type SegmentSimulation,
  type ShortageMode,
  type SimMetric,
  type SimulationInput,
  type SimulationOptions,
  type SimulationResult,
} from "./simulate";
export { COMPARED_METRICS, MAX_SCENARIOS, compareScenarios, policyColumnsFromSkuPolicies, type ComparedMetric, type Scenario, type ScenarioComparison, type ScenarioRow } from "./scenarios";
export { meanInterval, studentTQuantile, tCritical95 } from "./confidence";
