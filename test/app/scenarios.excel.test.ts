/**
 * The Scenarios and Network policy sheets over the real Office.js gateway (src/excel) and the fake
 * Excel host: tables with their number formats, native charts with one series per scenario, the
 * audit row appended with the sheet, a sheet name with a space, and a rerun that replaces the sheet.
 */
import { createInlineRunner } from "../../src/app/engineRunner";
import { NETWORK_CHART, NETWORK_POLICY_SHEET, NETWORK_POLICY_TABLE } from "../../src/app/networkSheet";
import { SCENARIO_CHARTS, SCENARIO_TOTALS_TABLE, SCENARIOS_SHEET } from "../../src/app/scenarioSheet";
import { PaneSession } from "../../src/app/session";
import { createExcelGateway, createSettingsStore, type ExcelHost } from "../../src/excel";
import { createFakeExcel, type FakeExcel, type Scalar } from "../fake-excel";
import { createPane } from "../helpers/pane";
import { sampleSheet } from "./sampleData";

function setup(): { fake: FakeExcel; session: PaneSession } {
  const fake = createFakeExcel({ sheets: ["Data", "Network"] });
  fake.workbook.sheet("Data").setValues("A1", sampleSheet() as Scalar[][]);
  fake.workbook.sheet("Network").setValues("A1", [
    ["Stage", "Downstream stage", "Processing time", "Holding cost", "Demand mean", "Demand sd", "Segment"],
    ["Plant", "DC", 4, 1, "", "", ""],
    ["DC", "North, South", 2, 2, "", "", ""],
    ["North", "customer", 1, 4, 40, 12, "AX"],
    ["South", "customer", 1, 4, 25, 10, "BY"],
  ] as Scalar[][]);
  fake.workbook.select("Data!A1");
  const gateway = createExcelGateway(fake.host as unknown as ExcelHost, createSettingsStore(fake.settings));
  return { fake, session: createPane({ gateway, runner: createInlineRunner() }) };
}

const auditActions = (fake: FakeExcel) => {
  const [head, ...rows] = fake.workbook.sheet("SEG_Audit").values() as string[][];
  return rows.map((r) => r[head.indexOf("action")]);
};

it("Scenarios sheet: tables, four charts with a series per scenario, the audit row with it; a rerun replaces it", async () => {
  const { fake, session } = setup();
  await session.step("classify").readSource("region");
  await session.step("classify").classify();
  session.step("scenarios").setSettings({ replications: 8, horizon: 26 });
  await session.step("scenarios").run();
  await session.step("scenarios").useScenario(1);
  expect(session.getState().common.error).toBeNull();
  const totals = fake.workbook.table(SCENARIO_TOTALS_TABLE)!;
  expect(totals.sheetName).toBe(SCENARIOS_SHEET);
  expect(totals.rows.map((r) => [r[0], r[11]])).toEqual([
    ["Today", ""],
    ["Proposed grid", "yes"],
    ["Budget 80 %", ""],
    ["A up to 70 %", ""],
  ]);
  const charts = fake.workbook.charts(SCENARIOS_SHEET);
  expect(charts.map((c) => c.name).sort()).toEqual(Object.values(SCENARIO_CHARTS).sort());
  const fill = charts.find((c) => c.name === SCENARIO_CHARTS.fill)!;
  expect(fill.chartType).toBe("ColumnClustered");
  expect(fill.series.map((s) => s.name)).toEqual(["Today", "Proposed grid", "Budget 80 %", "A up to 70 %"]);
  expect(auditActions(fake)).toEqual(["scenarios-compared"]);

  await session.step("scenarios").writeSheet();
  expect(session.getState().common.error).toBeNull();
  expect(fake.workbook.charts(SCENARIOS_SHEET)).toHaveLength(4);
  expect(fake.workbook.sheets().filter((s) => s.name === SCENARIOS_SHEET)).toHaveLength(1);
  expect(auditActions(fake)).toEqual(["scenarios-compared", "scenarios-compared"]);
});

it("Network policy sheet (a name with a space): the table, the bar chart of safety stock by stage, the audit row", async () => {
  const { fake, session } = setup();
  fake.workbook.select("Network!A1");
  await session.step("network").readSource("region");
  await session.step("network").write();
  expect(session.getState().common.error).toBeNull();
  const t = fake.workbook.table(NETWORK_POLICY_TABLE)!;
  expect(t.sheetName).toBe(NETWORK_POLICY_SHEET);
  expect(t.rows.map((r) => r[0])).toEqual(["Plant", "DC", "North", "South"]);
  const [chart] = fake.workbook.charts(NETWORK_POLICY_SHEET);
  expect(chart).toMatchObject({ name: NETWORK_CHART, chartType: "BarClustered", title: "Safety stock by stage" });
  expect(chart.series.map((s) => s.name)).toEqual(["Safety stock"]);
  expect(auditActions(fake)).toEqual(["network-policy-written"]);
});
