/**
 * The Stability step through a PaneSession: the job in the runner with progress, cancel with
 * nothing changed, the per-segment figures equal to the engine's classStability on the same data
 * (an independent path: the cell function's reading of the sheet), the sensitivity table (by
 * hand on the sample sheet), and the Stability sheet in the Write.
 */
import { classStabilityCells } from "../../src/functions/classify";
import { createInlineRunner } from "../../src/app/engineRunner";
import { SENSITIVITY_TABLE, STABILITY_SEGMENTS_TABLE, STABILITY_SHEET, STABILITY_SKUS_TABLE } from "../../src/app/stabilitySheet";
import { createPane } from "../helpers/pane";
import { MemoryGateway } from "../helpers/memoryGateway";
import { generatedSheet, sampleSheet } from "./sampleData";

function setup(rows = sampleSheet()) {
  const gw = new MemoryGateway().addSheet("Data", rows).select("Data", "A1");
  const session = createPane({ gateway: gw, runner: createInlineRunner(), now: () => new Date("2026-11-25T10:00:00Z") });
  return { gw, session };
}

function rowsOf(gw: MemoryGateway, name: string): Record<string, unknown>[] {
  const t = gw.table(name)!;
  return t.rows.map((r) => Object.fromEntries(t.headers.map((h, i) => [h, r[i]])));
}

describe("stability step", () => {
  it("refuses before Classify and with bad settings", async () => {
    const { session } = setup();
    await session.step("stability").check();
    expect(session.getState().common.error).toMatch(/^Classify first/);
    session.step("stability").setSettings({ runs: 0 });
    expect(session.getState().steps.stability.problems).toEqual(["Runs must be a whole number from 1 to 100,000; got 0."]);
  });

  it("gives the cell function's probabilities, reports progress, and writes the Stability sheet", async () => {
    const rows = generatedSheet(60, 26, 5);
    const { gw, session } = setup(rows);
    await session.step("classify").readSource("region");
    await session.step("classify").classify();
    expect(session.getState().common.error).toBeNull();
    session.step("stability").setSettings({ runs: 40, errorCv: 0.3, seed: 7 });
    const phases: number[] = [];
    const unsubscribe = session.subscribe(() => {
      const p = session.getState().common.progress;
      if (p && p.total === 40) phases.push(p.done);
    });
    await session.step("stability").check();
    unsubscribe();
    expect(session.getState().common.error).toBeNull();
    expect(phases[phases.length - 1]).toBe(40);
    const sum = session.getState().steps.stability.summary!;
    expect(sum.runs).toBe(40);
    // the same data through SEG.CLASS_STABILITY: value column C, history from column E on
    const run = session.getState().steps.classify.run!;
    const values = run.parsed.sku.map((_, i) => [run.parsed.value[i]]);
    const hist = run.parsed.sku.map((_, i) => Array.from(run.parsed.history.subarray(i * 26, (i + 1) * 26)));
    const cells = classStabilityCells(values, hist, [[40]], [[0.3]], [[7]]).map((r) => r[0]);
    await session.step("write").write();
    expect(session.getState().common.error).toBeNull();
    const skus = rowsOf(gw, STABILITY_SKUS_TABLE);
    expect(skus.length).toBe(sum.skus);
    for (const r of skus) {
      const i = run.parsed.sku.indexOf(String(r.SKU));
      expect(r["Stay probability"]).toBe(cells[i]);
    }
    // least stable first
    const p = skus.map((r) => r["Stay probability"] as number);
    expect([...p].sort((a, b) => a - b)).toEqual(p);
    const seg = rowsOf(gw, STABILITY_SEGMENTS_TABLE);
    expect(seg.reduce((a, r) => a + (r.SKUs as number), 0)).toBe(sum.skus);
    expect(seg.map((r) => r["Below threshold"])).toEqual(sum.bySegment.map((c) => c.flagged));
    expect(gw.sheet(STABILITY_SHEET)).toBeDefined();
    // two ABC and two XYZ cut-offs, each moved down and up
    expect(rowsOf(gw, SENSITIVITY_TABLE).map((r) => r.Boundary)).toEqual(["ABC A|B", "ABC A|B", "ABC B|C", "ABC B|C", "XYZ X|Y", "XYZ X|Y", "XYZ Y|Z", "XYZ Y|Z"]);
  });

  it("cancel leaves the previous summary as it was", async () => {
    const { session } = setup(generatedSheet(40, 20, 2));
    await session.step("classify").readSource("region");
    await session.step("classify").classify();
    session.step("stability").setSettings({ runs: 500 });
    const unsubscribe = session.subscribe(() => {
      const p = session.getState().common.progress;
      if (p && p.done >= 3) session.cancel();
    });
    await session.step("stability").check();
    unsubscribe();
    expect(session.getState().steps.stability.summary).toBeNull();
    expect(session.getState().common.notice).toBe("Stability check cancelled: nothing changed.");
  });

  it("tables what moves if a cut-off moves 5 points (sample sheet, by hand)", async () => {
    const { session } = setup();
    await session.step("classify").readSource("region");
    await session.step("classify").classify();
    const rows = session.getState().steps.stability.sensitivity!;
    const at = (b: string, shift: number) => rows.find((r) => r.boundary === b && Math.abs(r.shift - shift) < 1e-12)!;
    // A|B at 0.80: to 0.75 moves S02 (0.80) from A to B, value 300 of 1000; to 0.85 nothing (S03 at 0.88)
    expect(at("ABC A|B", -0.05)).toMatchObject({ skus: 1, value: 300, fromClass: "A", toClass: "B" });
    expect(at("ABC A|B", -0.05).valueShare).toBeCloseTo(0.3, 12);
    expect(at("ABC A|B", 0.05)).toMatchObject({ skus: 0, value: 0 });
    // B|C at 0.95: to 0.90 moves S04 (0.93) to C; to 1.00 moves every C (S05 0.96, S06 0.99, S08, S09, S10 at 1.00) to B
    expect(at("ABC B|C", -0.05)).toMatchObject({ skus: 1, value: 50 });
    expect(at("ABC B|C", 0.05)).toMatchObject({ skus: 5, value: 70, valid: true });
    // X|Y at 0.5: to 0.45 moves S03 and S06 (CV exactly 0.5) to Y
    expect(at("XYZ X|Y", -0.05)).toMatchObject({ skus: 2, value: 110, fromClass: "X", toClass: "Y" });
  });
});
