/**
 * "Does the policy work?": actuals read from a range the planner selects, parsed with each bad
 * cell named, measured per segment against the grid's targets, and written as the Policy
 * performance sheet with native charts and the SKUs furthest below target. Expected figures are
 * worked out by hand from the definitions in src/engine/policy/performance.ts.
 */
import { parseActuals, proposeActualsMapping } from "../../src/app/actuals";
import { createInlineRunner } from "../../src/app/engineRunner";
import { BELOW_TARGET_TABLE, PERFORMANCE_SHEET, PERFORMANCE_TABLE } from "../../src/app/sheets";
import type { CellValue, RangeSnapshot } from "../../src/app/ports";
import { createPane } from "../helpers/pane";
import { MemoryGateway } from "../helpers/memoryGateway";
import { sampleSheet } from "./sampleData";

const ACTUALS: CellValue[][] = [
  ["Item", "Week", "On hand", "Sales", "Backorders"],
  // S01 (AX): a stockout in week 3 (2 units short, nothing on hand)
  ["S01", 1, 5, 10, 0],
  ["S01", 2, 3, 10, 0],
  ["S01", 3, 0, 10, 2],
  ["S01", 4, 4, 10, 0],
  // S02 (AY): never short
  ["S02", 1, 2, 5, 0],
  ["S02", 2, 2, 5, 0],
  ["S02", 3, 2, 5, 0],
  ["S02", 4, 2, 5, 0],
  // bad rows: text in sales, a duplicate week, a SKU not in the classification
  ["S02", 5, 2, "five", 0],
  ["S01", 4, 1, 1, 0],
  ["X99", 1, 0, 1, 1],
];

const snap = (values: CellValue[][]): RangeSnapshot => ({ sheetName: "Actuals", address: "Actuals!A1:E13", firstRow: 0, firstColumn: 0, values });

describe("actuals", () => {
  it("proposes the columns and parses SKUs x periods, naming each bad cell", () => {
    const m = proposeActualsMapping(snap(ACTUALS));
    expect(m.columns).toEqual({ sku: 0, period: 1, onHand: 2, stockout: null, sales: 3, backorders: 4 });
    const a = parseActuals(snap(ACTUALS), m);
    expect(a.skus).toEqual(["S01", "S02", "X99"]);
    expect(a.periodLabels).toEqual([1, 2, 3, 4]);
    expect(Array.from(a.sales.subarray(0, 4))).toEqual([10, 10, 10, 10]);
    expect(a.backorders![2]).toBe(2);
    expect(a.rejected.map((r) => r.message)).toEqual(['Actuals!D10: sales (units served): text "five" is not a number', "Actuals!A11: SKU S01 already has a row for period 4 (the first is kept)"]);
  });

  it("reads stockout flags in the usual spellings and rejects others", () => {
    const v: CellValue[][] = [["SKU", "Period", "Sales", "Stockout"], ["A", "W1", 3, "yes"], ["A", "W2", 3, 0], ["A", "W3", 3, "maybe"]];
    const a = parseActuals(snap(v), proposeActualsMapping(snap(v)));
    expect(Array.from(a.stockout!)).toEqual([1, 0]);
    expect(a.rejected[0].message).toBe('Actuals!D4: stockout flag must be 1 or 0 (yes / no), got "maybe"');
  });
});

test("checks the policy against the actuals and writes the Policy performance sheet", async () => {
  const gw = new MemoryGateway().addSheet("Data", sampleSheet()).addSheet("Actuals", ACTUALS).select("Data", "A1");
  const session = createPane({ gateway: gw, runner: createInlineRunner() });
  await session.step("classify").readSource("region");
  await session.step("classify").classify();
  gw.select("Actuals", "A1");
  await session.step("performance").readSource("region");
  await session.step("performance").check();
  expect(session.getState().common.error).toBeNull();
  const s = session.getState().steps.performance.summary!;
  expect(s.unclassified).toBe(1);
  const ax = s.result.segments.find((x) => x.segment === "AX")!;
  expect(ax.cycleServiceLevel).toBeCloseTo(3 / 4, 12);
  expect(ax.fillRate).toBeCloseTo(40 / 42, 12);
  expect(ax.fillRateGap).toBeCloseTo(40 / 42 - 0.98, 12);
  expect(ax.turns).toBeCloseTo((10 * 52) / 3, 9); // annual sales / average on hand (5 + 3 + 0 + 4) / 4
  expect(s.result.furthestBelow.map((b) => b.sku)).toEqual(["S01"]);

  await session.step("write").write();
  expect(session.getState().common.error).toBeNull();
  const t = gw.table(PERFORMANCE_TABLE)!;
  expect(t.sheetName).toBe(PERFORMANCE_SHEET);
  const rows = Object.fromEntries(t.rows.map((r) => [String(r[0]), Object.fromEntries(t.headers.map((h, i) => [h, r[i]]))]));
  expect(rows.AX["Realised fill rate"]).toBeCloseTo(40 / 42, 12);
  expect(rows.AX["Fill rate target"]).toBe(0.98);
  expect(rows.AY["Stockout frequency"]).toBe(0);
  expect(gw.table(BELOW_TARGET_TABLE)!.rows.map((r) => r[0])).toEqual(["S01"]);
  expect([...gw.state.charts.values()].filter((c) => c.sheetName === PERFORMANCE_SHEET).map((c) => c.sourceTable)).toEqual([PERFORMANCE_TABLE, PERFORMANCE_TABLE]);
  // the mapping is remembered for this sheet
  const again = createPane({ gateway: gw, runner: createInlineRunner() });
  gw.select("Actuals", "A1");
  await again.step("performance").readSource("region");
  expect(again.getState().steps.performance.mapping?.columns.backorders).toBe(4);
});
