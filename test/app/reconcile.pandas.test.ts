/**
 * The Reconcile step end to end through the pane (classification of a Data sheet, the finance
 * sheet read and parsed, the reconcile job) against an independent pandas computation of the
 * segments and of the reconciliation (test/fixtures/gen_reconcile_pane.py ->
 * test/fixtures/reconcile_pane_reference.json): 300 SKUs, 308 finance rows with trim/case and
 * leading-zero spellings, duplicates, one-sided rows, differences within and beyond tolerance, a
 * text value and a blank SKU.
 */
import fixture from "../fixtures/reconcile_pane_reference.json";
import { createInlineRunner } from "../../src/app/engineRunner";
import type { CellValue } from "../../src/app/ports";
import { MemoryGateway } from "../helpers/memoryGateway";
import { createPane } from "../helpers/pane";

const e = fixture.expected;
const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThan(1e-6 * Math.max(1, Math.abs(b)));

async function reconciled() {
  const gw = new MemoryGateway()
    .addSheet("Data", [fixture.dataHeaders, ...fixture.dataRows] as CellValue[][])
    .addSheet("Finance", [fixture.financeHeaders, ...fixture.financeRows] as CellValue[][])
    .select("Data", "A1");
  const session = createPane({ gateway: gw, runner: createInlineRunner() });
  await session.step("classify").readSource("region");
  await session.step("classify").classify();
  expect(session.getState().common.error).toBeNull();
  gw.select("Finance", "A1");
  await session.step("reconcile").readSource("region");
  await session.step("reconcile").run();
  expect(session.getState().common.error).toBeNull();
  return session;
}

describe("Reconcile step against pandas (gen_reconcile_pane.py)", () => {
  it("classifies the SKUs into the segments pandas computes", async () => {
    const session = await reconciled();
    const run = session.getState().steps.classify.run!;
    expect(Object.fromEntries(run.parsed.sku.map((s, i) => [s, run.result.segment[i]]))).toEqual(e.segments);
  });

  it("gives pandas' totals, statuses, one-sided counts, duplicates, rejected rows and per-segment values", async () => {
    const p = (await reconciled()).getState().steps.reconcile.preview!;
    close(p.totals.segmentationValue, e.segmentationValue);
    close(p.totals.financeValue, e.financeValue);
    close(p.totals.difference, e.segmentationValue - e.financeValue);
    expect(p.totals.financeRows).toBe(e.financeRows);
    for (const b of p.byStatus) {
      const x = (e.byStatus as Record<string, { items: number; difference: number }>)[b.status] ?? { items: 0, difference: 0 };
      expect([b.status, b.items]).toEqual([b.status, x.items]);
      close(b.difference, x.difference);
    }
    expect([p.counts.segmentationOnly, p.counts.financeOnly, p.counts.duplicates]).toEqual([e.notInFinance, e.notInSegmentation, e.duplicates]);
    expect(p.rejected.map((r) => Number(/^Finance![A-Z]+(\d+):/.exec(r)![1]))).toEqual(e.rejectedRows);
    const fin = Object.fromEntries(p.crossTab.segments.map((s, i) => [s, p.crossTab.rowTotals[i].financeValue]));
    expect(Object.keys(fin).sort()).toEqual(Object.keys(e.perSegmentFinance).sort());
    for (const [s, v] of Object.entries(e.perSegmentFinance)) close(fin[s], v);
    const segv = Object.fromEntries(p.perSegment.map((g) => [g.label, g.segmentationValue]));
    for (const [s, v] of Object.entries(e.perSegmentSegmentation)) close(segv[s], v);
    close(p.crossTab.grandTotal.financeValue, e.financeValue);
  });
});
