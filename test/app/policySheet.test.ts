/**
 * The Policy sheet against SEG.SAFETY_STOCK: the function returns k·σ unfloored (negative for the
 * fill-rate method with a large order quantity, or a cycle service level below 50 %), the sheet
 * floors it at 0 and says so, in a note beside the grid and in the row. Reference values:
 * test/fixtures/gen_policy_floor.py (scipy).
 */
import { isExcelError } from "../helpers/customFunctionsShim";
import { createInlineRunner } from "../../src/app/engineRunner";
import { POLICY_NOTES_HEADERS, POLICY_NOTES_TABLE, POLICY_SHEET, SKU_POLICY_HEADERS, SKU_POLICY_TABLE } from "../../src/app/sheets";
import { PaneSession } from "../../src/app/session";
import { createPane } from "../helpers/pane";
import { safetyStockCells } from "../../src/functions/policy";
import { MemoryGateway } from "../helpers/memoryGateway";
import floors from "../fixtures/policy_floor.json";
import { sampleSheet } from "./sampleData";

const reference = floors.fill;
const csl = floors.csl;

/** The sample sheet with an "Order quantity" column: S04 (BZ, fill rate) orders 2000 at a time. */
function sheetWithLot() {
  const [headers, ...rows] = sampleSheet();
  return [[...headers, "Order quantity"], ...rows.map((r) => [...r, r[0] === reference.sku ? reference.orderQty : null])];
}

async function written(beforeWrite?: (session: PaneSession) => void) {
  const gw = new MemoryGateway().addSheet("Data", sheetWithLot()).select("Data", "A1");
  const session = createPane({ gateway: gw, runner: createInlineRunner() });
  await session.step("classify").readSource("region");
  expect(session.getState().steps.classify.mapping?.columns.orderQty).toBe(10);
  await session.step("classify").classify();
  // the floor is a rule of the normal safety stock: BZ (S04) planned with the normal, as SEG.SAFETY_STOCK
  session.step("policy").setGridCell("BZ", "distribution", "normal");
  beforeWrite?.(session);
  await session.step("write").write();
  expect(session.getState().common.error).toBeNull();
  return gw;
}

test("a negative fill-rate safety stock: SEG.SAFETY_STOCK gives it, the sheet shows MAX(0, it) and says so", async () => {
  const gw = await written();
  const t = gw.table(SKU_POLICY_TABLE)!;
  expect(t.headers).toEqual([...SKU_POLICY_HEADERS]);
  const row = Object.fromEntries(t.headers.map((h, i) => [h, t.rows.find((r) => r[0] === reference.sku)![i]]));
  expect(row).toMatchObject({ Segment: "BZ", Method: "fill", "Service level": reference.fillRate, "Lead time": reference.leadTime, "Review period": reference.reviewPeriod, "Order quantity": reference.orderQty });
  expect(row["Demand sd"]).toBeCloseTo(reference.demandSd, 12);

  // what a planner gets from the function with the same inputs
  const fn = safetyStockCells([[reference.fillRate]], [[reference.demandMean]], [[reference.demandSd]], [[reference.leadTime]], null, [[reference.reviewPeriod]], [["fill"]], [[reference.orderQty]]);
  const unfloored = fn[0][0];
  expect(isExcelError(unfloored)).toBe(false);
  expect(unfloored as number).toBeCloseTo(reference.safetyStockUnfloored, 6);
  expect(unfloored as number).toBeLessThan(0);

  expect(row["Safety stock"]).toBe(Math.max(0, unfloored as number));
  expect(row["Safety stock"]).toBe(reference.safetyStock);
  expect(row["Reorder point"]).toBeCloseTo(reference.reorderPoint, 9);
  expect(row.Max).toBeCloseTo(reference.max, 9);
  expect(row.Min).toBeCloseTo(reference.min, 9);
  expect(row["Order quantity source"]).toMatch(/^given order quantity; safety stock -160 \(fill rate\) floored at 0$/);
});

test("a cycle service level below 50 %: the same floor (SEG.SAFETY_STOCK with csl is negative)", async () => {
  const gw = await written((session) => session.step("policy").setGridCell(csl.segment, "serviceLevel", csl.serviceLevel));
  const t = gw.table(SKU_POLICY_TABLE)!;
  const row = Object.fromEntries(t.headers.map((h, i) => [h, t.rows.find((r) => r[0] === csl.sku)![i]]));
  expect(row).toMatchObject({ Segment: csl.segment, Method: "csl", "Service level": csl.serviceLevel, "Lead time": csl.leadTime, "Review period": csl.reviewPeriod });
  const fn = safetyStockCells([[csl.serviceLevel]], [[csl.demandMean]], [[csl.demandSd]], [[csl.leadTime]], null, [[csl.reviewPeriod]], [["csl"]], null);
  expect(fn[0][0] as number).toBeCloseTo(csl.safetyStockUnfloored, 9);
  expect(row["Safety stock"]).toBe(Math.max(0, fn[0][0] as number));
  expect(row["Reorder point"]).toBeCloseTo(csl.reorderPoint, 9);
  expect(row["Order quantity source"]).toMatch(/safety stock -?[0-9.]+ \(service level below 50 %\) floored at 0$/);
});

test("the Policy sheet carries a note that explains the floor and the units, beside the grid", async () => {
  const gw = await written();
  const notes = gw.table(POLICY_NOTES_TABLE)!;
  expect(notes.sheetName).toBe(POLICY_SHEET);
  expect([notes.anchorRow, notes.anchorCol]).toEqual([0, 11]); // L1, right of the ten grid columns
  expect(notes.headers).toEqual([...POLICY_NOTES_HEADERS]);
  const text = notes.rows.map((r) => String(r[0]));
  expect(text[0]).toMatch(/^Safety stock is k × σ as SEG\.SAFETY_STOCK computes it/);
  expect(text[0]).toContain("MAX(0, SEG.SAFETY_STOCK(…)) matches this sheet");
  expect(text[0]).toContain('"floored at 0" in Order quantity source');
  expect(text[0]).toContain("a cycle service level below 50 %");
  // every column the notes name is a column of the per-SKU table (names of docs/architecture.md)
  for (const h of ["Safety stock", "Reorder point", "Min", "Max", "Order quantity source", "Demand mean", "Demand sd", "Lead time", "Review period", "Order quantity"]) {
    expect(SKU_POLICY_HEADERS).toContain(h);
    expect(text.join(" ")).toContain(h);
  }
});
