/* The published snapshot carries what other steps wrote for the model version: the execution flags
   per SKU (issue 15) and the forecast with its accuracy (issue 9), exactly as their sheets show them. */
import { createInlineRunner } from "../../src/app/engineRunner";
import { EXECUTION_TABLE } from "../../src/app/dimensionSheets";
import { snapshotOfWrite } from "../../src/app/publishService";
import type { PublishStatus, SnapshotPublisher, WrittenRun } from "../../src/app/publishing";
import { MemoryGateway } from "../helpers/memoryGateway";
import { createPane } from "../helpers/pane";
import { ACCURACY_TABLE, FORECAST_TABLE } from "../../src/app/forecastPlans";
import { forecastSheet } from "./forecastData";
import { sampleSheet } from "./sampleData";

class CapturingPublisher implements SnapshotPublisher {
  runs: WrittenRun[] = [];
  async publishWrite(w: WrittenRun): Promise<PublishStatus> {
    this.runs.push(w);
    return { kind: "idle" };
  }
  status(): PublishStatus {
    return { kind: "idle" };
  }
  subscribe(): () => void {
    return () => undefined;
  }
}

function setup() {
  const gw = new MemoryGateway().addSheet("Data", sampleSheet()).select("Data", "A1");
  let t = Date.parse("2026-12-02T10:00:00.000Z");
  let id = 0;
  const publisher = new CapturingPublisher();
  const session = createPane({ gateway: gw, runner: createInlineRunner(), publisher, now: () => new Date((t += 1000)), uuid: () => `00000000-0000-4000-8000-${String(++id).padStart(12, "0")}` });
  return { gw, session, publisher };
}

async function classifyAndWrite(gw: MemoryGateway, session: ReturnType<typeof setup>["session"]) {
  await session.step("classify").readSource("region");
  await session.step("classify").classify();
  await session.step("write").write();
  expect(session.getState().common.error).toBeNull();
}

describe("execution flags in the published snapshot", () => {
  test("every SKU's item carries the flags of its Execution sheet row", async () => {
    const { gw, session, publisher } = setup();
    session.step("execution").setSettings({ enabled: true });
    await classifyAndWrite(gw, session);
    expect(publisher.runs).toHaveLength(1);
    const snap = snapshotOfWrite(publisher.runs[0]);
    const t = gw.table(EXECUTION_TABLE)!;
    const col = (h: string) => t.headers.indexOf(h);
    expect(t.rows).toHaveLength(snap.items.length);
    for (const r of t.rows) {
      const item = snap.items.find((i) => i.sku === r[col("SKU")])!;
      expect(item).toBeDefined();
      expect(item.segment ?? "").toBe(String(r[col("Segment")]).replace(/^.N$/, ""));
      expect(item.pickingPriority ?? null).toBe(r[col("Picking priority")] || null);
      expect(item.transportMode ?? "").toBe(r[col("Transport mode")]);
      expect(item.atpWindowDays ?? null).toBe(r[col("ATP window (days)")] ?? null);
      expect(item.crossDock).toBe(r[col("Cross-dock")] === "yes");
      expect(item.slottingZone ?? "").toBe(r[col("Slotting zone")]);
      expect(item.sequencePriority ?? null).toBe(r[col("Sequence priority")] || null);
      expect(item.executionRules ?? "").toBe(r[col("Rules")]);
    }
    // Worked values of the example rules (docs/execution.md): AX gets R2's priority 1 and ATP 2, R1's standard mode.
    expect(snap.items.find((i) => i.sku === "S01")).toMatchObject({ segment: "AX", pickingPriority: 1, transportMode: "standard", atpWindowDays: 2, executionRules: "R2 R1" });
  });

  test("without the Execution sheet the items have no execution fields; an override revision keeps them", async () => {
    const off = setup();
    await classifyAndWrite(off.gw, off.session);
    const plain = snapshotOfWrite(off.publisher.runs[0]);
    expect(plain.items.every((i) => i.transportMode === undefined && i.executionRules === undefined)).toBe(true);

    const on = setup();
    on.session.step("execution").setSettings({ enabled: true });
    await classifyAndWrite(on.gw, on.session);
    const w = on.publisher.runs[0];
    const revision = snapshotOfWrite({ ...w, modelVersion: `${w.outcome.modelVersion}+o1` });
    expect(revision.items.find((i) => i.sku === "S01")?.transportMode).toBe("standard");
    // Fields written under another model version are not mixed in.
    const stale = snapshotOfWrite({ ...w, fields: { execution: { ...w.fields!.execution, modelVersion: "older" } } });
    expect(stale.items.every((i) => i.transportMode === undefined)).toBe(true);
  });
});

describe("forecast and accuracy in the published snapshot (issue 9)", () => {
  test("each SKU's method, horizon values and backtest metrics are the Forecast sheet's; accuracy per segment as on the exceptions sheet", async () => {
    const gw = new MemoryGateway().addSheet("Data", forecastSheet()).select("Data", "A1");
    let t = Date.parse("2026-12-02T10:00:00.000Z");
    let id = 0;
    const publisher = new CapturingPublisher();
    const session = createPane({ gateway: gw, runner: createInlineRunner(), publisher, now: () => new Date((t += 1000)), uuid: () => `00000000-0000-4000-8000-${String(++id).padStart(12, "0")}` });
    await session.step("classify").readSource("region");
    await session.step("classify").classify();
    await session.step("forecast").run();
    await session.step("write").write();
    expect(session.getState().common.error).toBeNull();
    const snap = snapshotOfWrite(publisher.runs.at(-1)!);
    const t1 = gw.table(FORECAST_TABLE)!;
    const col = (h: string) => t1.headers.indexOf(h);
    const horizon = t1.headers.filter((h) => /^T\+\d+$/.test(h)).length;
    expect(horizon).toBeGreaterThan(0);
    const num = (v: unknown) => (typeof v === "number" ? v : null);
    let compared = 0;
    for (const r of t1.rows) {
      const item = snap.items.find((i) => i.sku === r[col("SKU")])!;
      const method = String(r[col("Method")]);
      if (item.forecastMethod === null) {
        expect(item.forecast).toBeNull();
        continue;
      }
      compared++;
      expect(method).toContain(item.forecastMethod!.replace(" (family)", ""));
      for (let k = 1; k <= horizon; k++) expect(item.forecast![k - 1]).toBeCloseTo(Number(r[col(`T+${k}`)]), 9);
      const acc = item.forecastAccuracy!;
      expect(acc.pairs).toBe(num(r[col("Backtest periods")]) ?? 0);
      if (acc.pairs > 0) {
        expect(acc.mae).toBeCloseTo(Number(r[col("MAE")]), 9);
        expect(acc.rmse).toBeCloseTo(Number(r[col("RMSE")]), 9);
        expect(acc.me).toBeCloseTo(Number(r[col("Bias (ME)")]), 9);
      }
    }
    expect(compared).toBeGreaterThan(0);
    const accuracy = snap.parameters.forecast as { horizon: number; bySegment: { segment: string; skus: number; wape: number | null }[] };
    expect(accuracy.horizon).toBe(horizon);
    const sheet = gw.table(ACCURACY_TABLE)!;
    const scol = (h: string) => sheet.headers.indexOf(h);
    expect(accuracy.bySegment.map((s) => s.segment)).toEqual(sheet.rows.map((r) => r[scol("Segment")]));
    for (const [k, r] of sheet.rows.entries()) {
      expect(accuracy.bySegment[k].skus).toBe(r[scol("SKUs")]);
      const w = r[scol("WAPE")];
      if (typeof w === "number") expect(accuracy.bySegment[k].wape).toBeCloseTo(w, 9);
      else expect(accuracy.bySegment[k].wape).toBeNull();
    }
  });
});
