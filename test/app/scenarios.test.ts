/**
 * The Scenarios step through a PaneSession over the in-memory gateway, with the engine job in-line:
 * scenarios built from the classified run, simulated on the same demand, compared, written to the
 * Scenarios sheet with an audit entry, and "Use this scenario" carrying its grid into the Policy
 * step (audited when the Policy sheet is written).
 *
 * Hand-worked figures (constant demand, so every replication is the same and the ± is 0):
 * K1 has demand 10 every period, lead time 1, order quantity 40, unit cost 4, no sd. In segment AX
 * under the default grid (continuous review): s = 10 × 1 + 0 = 10, Q = 40. The review that finds
 * IP = 10 orders 40 for the next period, so periods end with 0, 30, 20, 10, 0, …: on hand 15, one
 * order every 4 periods, nothing short. With AX's review period set to 2, (R, S) with S = 10 × (2 + 1)
 * = 30: each review orders 20 for the next period; periods end 0, 10: on hand 5, one order every
 * 2 periods. Costs: holding 0.25 × 4 / 52 per unit and period; 50 per order.
 */
import { createInlineRunner } from "../../src/app/engineRunner";
import type { CellValue } from "../../src/app/ports";
import { SCENARIO_CHARTS, SCENARIO_FILL_TABLE, SCENARIO_SEGMENTS_TABLE, SCENARIO_TOTALS_TABLE, SCENARIOS_SHEET } from "../../src/app/scenarioSheet";
import { defaultScenarios, type ScenarioDef } from "../../src/app/scenarioTypes";
import { PaneSession } from "../../src/app/session";
import { SEGMENT_POLICY_TABLE } from "../../src/app/sheets";
import { verifyChain } from "../../src/engine/audit";
import { defaultPolicyGrid } from "../../src/engine/policy";
import { createPane } from "../helpers/pane";
import { MemoryGateway } from "../helpers/memoryGateway";
import { sampleSheet } from "./sampleData";

const HEADERS: CellValue[] = ["SKU", "Annual value", "Unit cost", "Lead time", "Order quantity", "W1", "W2", "W3", "W4", "W5", "W6", "W7", "W8"];
const flat = (x: number) => Array.from({ length: 8 }, () => x);
/** K1 AX, K2 BX, K3 CX: values 800, 150, 50 (cumulative 0.8, 0.95, 1), all CV 0. */
function constantSheet(): CellValue[][] {
  return [HEADERS, ["K1", 800, 4, 1, 40, ...flat(10)], ["K2", 150, 1, 1, 10, ...flat(10)], ["K3", 50, 1, 1, 40, ...flat(10)]];
}

function setup(sheet: CellValue[][] = sampleSheet()) {
  const gw = new MemoryGateway().addSheet("Data", sheet).select("Data", "A1");
  let t = Date.parse("2026-11-25T10:00:00.000Z");
  let id = 0;
  const session = createPane({ gateway: gw, runner: createInlineRunner(), now: () => new Date((t += 1000)), uuid: () => `00000000-0000-4000-8000-${String(++id).padStart(12, "0")}` });
  return { gw, session };
}

async function classified(sheet?: CellValue[][]) {
  const ctx = setup(sheet);
  await ctx.session.step("classify").readSource("region");
  await ctx.session.step("classify").classify();
  expect(ctx.session.getState().common.error).toBeNull();
  return ctx;
}

const sc = (session: PaneSession) => session.getState().steps.scenarios;
const err = (session: PaneSession) => session.getState().common.error;

function only(session: PaneSession, defs: Partial<ScenarioDef>[]) {
  const a = session.step("scenarios");
  while (sc(session).scenarios.length) a.removeScenario(0);
  const template = defaultScenarios()[1];
  for (const d of defs) {
    a.addScenario(d.kind ?? "proposed");
    a.setScenario(sc(session).scenarios.length - 1, { ...template, ...d });
  }
}

function tableRows(gw: MemoryGateway, name: string): Record<string, unknown>[] {
  const t = gw.table(name)!;
  return t.rows.map((r) => Object.fromEntries(t.headers.map((h, i) => [h, r[i]])));
}

describe("scenarios: the comparison", () => {
  it("hand-worked (s, Q) and (R, S) traces: today's policy against a proposed review period, exact and paired", async () => {
    const { session } = await classified(constantSheet());
    session.step("policy").setGridCell("AX", "reviewPeriod", 2);
    only(session, [
      { name: "Today", kind: "today" },
      { name: "Review every 2", kind: "proposed" },
    ]);
    session.step("scenarios").setSettings({ replications: 5, horizon: 104 });
    await session.step("scenarios").run();
    expect(err(session)).toBeNull();
    const o = sc(session).outcome!;
    expect(o.names).toEqual(["Today", "Review every 2"]);
    expect(o.skus).toBe(3);
    const ax = o.segments.find((r) => r.segment === "AX")!;
    const h = (0.25 * 4) / 52;
    expect(ax.value.fillRate.map((x) => x.mean)).toEqual([1, 1]);
    expect(ax.value.stockValue[0].mean).toBeCloseTo(15 * 4, 9);
    expect(ax.value.stockValue[1].mean).toBeCloseTo(5 * 4, 9);
    expect(ax.value.totalCostPerPeriod[0].mean).toBeCloseTo(h * 15 + 50 / 4, 9);
    expect(ax.value.totalCostPerPeriod[1].mean).toBeCloseTo(h * 5 + 50 / 2, 9);
    // the paired change: exact, no noise (every replication is the same)
    expect(ax.change.totalCostPerPeriod[1].mean).toBeCloseTo(h * (5 - 15) + 25 - 12.5, 9);
    expect(ax.change.totalCostPerPeriod[1].halfWidth).toBeCloseTo(0, 12);
    expect(ax.change.totalCostPerPeriod[0]).toEqual({ mean: 0, halfWidth: 0 });
    // BX and CX are the same in both: the total change is AX's
    expect(o.total.change.totalCostPerPeriod[1].mean).toBeCloseTo(ax.change.totalCostPerPeriod[1].mean, 9);
    expect(o.grids[0]).toEqual(defaultPolicyGrid());
    expect(o.grids[1].find((p) => p.segment === "AX")!.reviewPeriod).toBe(2);
    expect(session.getState().common.notice).toMatch(/^Simulated 3 SKUs under 2 scenarios on the same demand in [\d.]+ s\. Total cost of "Review every 2" against "Today": \+/);
  });

  it("common random numbers: two names for the same policy differ by exactly 0 on random demand", async () => {
    const { session } = await classified();
    only(session, [
      { name: "A", kind: "proposed" },
      { name: "B", kind: "proposed" },
    ]);
    session.step("scenarios").setSettings({ replications: 20, horizon: 52 });
    await session.step("scenarios").run();
    const o = sc(session).outcome!;
    expect(o.total.value.totalCostPerPeriod[0].halfWidth).toBeGreaterThan(0); // the demand is random
    for (const m of ["fillRate", "stockValue", "totalCostPerPeriod"] as const) expect(o.total.change[m][1]).toEqual({ mean: 0, halfWidth: 0 });
  });

  it("the default four: today, proposed, a budget variant within its budget, and another cut-off reclassified in the job", async () => {
    const { session } = await classified();
    session.step("policy").setGridCell("CY", "serviceLevel", 0.97);
    session.step("scenarios").setSettings({ replications: 20, horizon: 52 });
    await session.step("scenarios").run();
    expect(err(session)).toBeNull();
    const o = sc(session).outcome!;
    expect(o.names).toEqual(["Today", "Proposed grid", "Budget 80 %", "A up to 70 %"]);
    expect(o.kinds).toEqual(["today", "proposed", "budget", "cutoff"]);
    // S07 is inactive (not planned): the other nine are simulated
    expect(o.skus).toBe(9);
    expect(o.excludedCount).toBe(0);
    // the budget: 80 % of the proposed safety-stock value, not overspent; less stock than the proposal
    const b = o.budgets[2]!;
    expect(b.amount).toBeCloseTo(0.8 * b.proposedValue, 9);
    expect(b.proposedValue).toBeGreaterThan(0);
    expect(b.spent).toBeLessThanOrEqual(b.amount + 1e-9);
    expect(o.total.change.stockValue[2].mean).toBeLessThan(o.total.change.stockValue[1].mean);
    // its grid: the proposed one with each segment's simulated fill rate as a fill-rate target
    const fillAx = o.segments.find((r) => r.segment === "AX")!.value.fillRate[2].mean;
    expect(o.grids[2].find((p) => p.segment === "AX")).toMatchObject({ method: "fill", serviceLevel: Math.min(0.999, Math.max(0.5, Math.round(fillAx * 1000) / 1000)) });
    // the cut-off variant: A up to 70 %, B up to 90 %: S02 (cumulative 0.8) becomes BY, S04 (0.93) CZ
    expect(o.descriptions[3]).toMatch(/\(2 SKUs change segment; overrides kept\)/);
    const count = (seg: string, k: number) => o.segments.find((r) => r.segment === seg)?.skus[k] ?? 0;
    expect([count("AY", 0), count("AY", 3), count("BY", 3), count("CZ", 0), count("CZ", 3)]).toEqual([1, 0, 1, 1, 2]);
    expect(o.total.skus).toEqual([9, 9, 9, 9]);
  });

  it("lost sales, a distribution, the options as given", async () => {
    const { session } = await classified();
    only(session, [{ name: "Proposed", kind: "proposed" }]);
    session.step("scenarios").setSettings({ shortage: "lostSales", demand: "gamma", replications: 7, horizon: 30, warmUp: 5, seed: 42 });
    await session.step("scenarios").run();
    const o = sc(session).outcome!;
    expect([o.shortage, o.demand, o.replications, o.horizon, o.warmUp, o.seed]).toEqual(["lostSales", "gamma", 7, 30, 5, 42]);
    // the default horizon is two years of the run's periods
    session.step("scenarios").setSettings({ horizon: null, warmUp: null });
    await session.step("scenarios").run();
    expect(sc(session).outcome!.horizon).toBe(104);
  });
});

describe("scenarios: what the planner is told", () => {
  it("says what to fix before it runs", async () => {
    const { session } = setup();
    const a = session.step("scenarios");
    await a.run();
    expect(err(session)).toBe("Classify first (Classify tab): the scenarios simulate the classified SKUs.");
    a.setScenario(1, { name: "Today" });
    expect(sc(session).problems).toContain('Two scenarios are called "Today": give each its own name.');
    a.setScenario(1, { name: "Segment" });
    expect(sc(session).problems[0]).toMatch(/choose another name \("Segment" heads a column of its own/);
    a.setScenario(1, { name: "Proposed" });
    a.setScenario(3, { abcCutoffs: [0.9, 0.8] });
    expect(sc(session).problems).toEqual(['Scenario "A up to 70 %": A and B cut-offs must rise, above 0 % and at most 100 %; got 90 % and 80 %.']);
    a.setScenario(3, { abcCutoffs: [0.7, 0.9] });
    a.setSettings({ replications: 1 });
    expect(sc(session).problems).toEqual(["Replications must be a whole number from 2 to 10,000 (100 is usual); got 1."]);
    a.setSettings({ replications: 100 });
    a.addScenario("budget");
    expect(err(session)).toBe("At most 4 scenarios can be compared: remove one first.");
    a.removeScenario(0);
    a.addScenario("today");
    expect(sc(session).scenarios.map((d) => d.name)).toEqual(["Proposed", "Budget 80 %", "A up to 70 %", "Today"]);
  });

  it("a budget below what whole-unit base levels need is one message naming the scenario", async () => {
    // mean demand 1.5 over a lead time of 1: the base level is 2 units, 0.5 above the mean, before any safety stock
    const rows: CellValue[][] = [["SKU", "Annual value", "Unit cost", "Lead time", "W1", "W2", "W3", "W4"], ["F1", 100, 2, 1, 1, 2, 1, 2], ["F2", 50, 2, 1, 0, 3, 1, 2]];
    const { session } = await classified(rows);
    only(session, [{ name: "Tight", kind: "budget", budgetShare: 1e-9 }]);
    session.step("scenarios").setSettings({ replications: 5, horizon: 20 });
    await session.step("scenarios").run();
    expect(err(session)).toMatch(/^Scenario "Tight": its budget, 0 % of the proposed safety-stock value [\d,.]+ = 0, does not cover the whole-unit base levels, which need 2 before any safety stock\. Raise the budget \(at least [\d.]+ % of it\)\.$/);
    expect(sc(session).outcome).toBeNull();
  });

  it("Cancel stops the simulation between chunks and changes nothing", async () => {
    const rows: CellValue[][] = [["SKU", "Annual value", "Unit cost", "Lead time", "W1", "W2", "W3", "W4"]];
    for (let i = 0; i < 200; i++) rows.push([`P${i}`, 1000 - i, 2, 2, 5 + (i % 7), 9, 4 + (i % 3), 7]);
    const { session, gw } = await classified(rows);
    let cancelled = false;
    const off = session.store.subscribe(() => {
      const p = session.getState().common.progress;
      if (!cancelled && p && p.phase.startsWith("Simulating") && p.done > 0) {
        cancelled = true;
        session.cancel();
      }
    });
    await session.step("scenarios").run();
    off();
    expect(cancelled).toBe(true);
    expect(session.getState().common.notice).toBe("Simulation cancelled: nothing changed.");
    expect(sc(session).outcome).toBeNull();
    expect(gw.calls.filter((c) => c.startsWith("writeSheets"))).toEqual([]);
  });

  it("a new classification drops the comparison (it described other SKUs)", async () => {
    const { session } = await classified();
    only(session, [{ name: "P", kind: "proposed" }]);
    session.step("scenarios").setSettings({ replications: 3, horizon: 10 });
    await session.step("scenarios").run();
    expect(sc(session).outcome).not.toBeNull();
    await session.step("classify").classify();
    expect(sc(session).outcome).toBeNull();
  });
});

describe("scenarios: the sheet, the audit entry and Use this scenario", () => {
  async function simulatedFour() {
    const ctx = await classified();
    ctx.session.step("policy").setGridCell("CY", "serviceLevel", 0.97);
    ctx.session.step("scenarios").setSettings({ replications: 10, horizon: 52 });
    await ctx.session.step("scenarios").run();
    expect(err(ctx.session)).toBeNull();
    return ctx;
  }

  it("writes the Scenarios sheet: totals, per segment and scenario, notes, charts over small tables; one audit entry", async () => {
    const { session, gw } = await simulatedFour();
    await session.step("scenarios").writeSheet();
    expect(err(session)).toBeNull();
    const o = sc(session).outcome!;
    const totals = tableRows(gw, SCENARIO_TOTALS_TABLE);
    expect(totals.map((r) => [r.Scenario, r.SKUs, r.Chosen])).toEqual(o.names.map((n) => [n, 9, ""]));
    expect(totals[1]["Fill rate"]).toBe(o.total.value.fillRate[1].mean);
    expect(totals[3]["Cost change per period"]).toBe(o.total.change.totalCostPerPeriod[3].mean);
    const perSegment = tableRows(gw, SCENARIO_SEGMENTS_TABLE);
    expect(perSegment.length).toBe(o.segments.length * 4);
    expect(perSegment.slice(0, 4).map((r) => [r.Segment, r.Scenario])).toEqual(o.names.map((n) => ["AX", n]));
    const fill = gw.table(SCENARIO_FILL_TABLE)!;
    expect(fill.headers).toEqual(["Segment", ...o.names]);
    const charts = [...gw.state.charts.values()].filter((c) => c.sheetName === SCENARIOS_SHEET);
    expect(charts.map((c) => c.name).sort()).toEqual(Object.values(SCENARIO_CHARTS).sort());
    expect(charts.find((c) => c.name === SCENARIO_CHARTS.fill)!.series.map((s) => s.header)).toEqual(o.names);
    const entry = gw.auditRows.at(-1)!;
    expect(entry).toMatchObject({ action: "scenarios-compared", field: "scenarios", newValue: "Today; Proposed grid; Budget 80 %; A up to 70 %" });
    expect(entry.reason).toMatch(/^none chosen yet; 9 SKUs, 10 replications × 52 periods \(warm-up \d+\), seed 1, backorders, demand from history$/);
    expect((await verifyChain(gw.auditRows)).ok).toBe(true);
    expect(sc(session).sheetWritten).toBe(true);
  });

  it("Use this scenario: the choice is on the sheet and in the audit trail, the Policy tab holds its grid, and the next Write audits the changes as coming from it", async () => {
    const { session, gw } = await simulatedFour();
    await session.step("write").write();
    expect(err(session)).toBeNull();
    const mv = session.getState().steps.write.lastWrite!.modelVersion;
    // the Policy tab moves on from the proposal; choosing the budget variant brings its grid back
    session.step("policy").resetGrid();
    await session.step("scenarios").useScenario(2);
    expect(err(session)).toBeNull();
    const o = sc(session).outcome!;
    expect(sc(session).chosen).toBe("Budget 80 %");
    expect(session.getState().steps.policy.grid).toEqual(o.grids[2]);
    expect(session.getState().common.notice).toMatch(/^Chose "Budget 80 %": its grid is in the Policy tab now .* The budget placed safety stock SKU by SKU/);
    const totals = tableRows(gw, SCENARIO_TOTALS_TABLE);
    expect(totals.filter((r) => r.Chosen === "yes").map((r) => r.Scenario)).toEqual(["Budget 80 %"]);
    const entry = gw.auditRows.at(-1)!;
    expect(entry.action).toBe("scenarios-compared");
    expect(entry.reason).toMatch(/^chose "Budget 80 %": total cost [+-][\d,.]+ ± [\d,.]+ a period against "Today"; 9 SKUs/);
    // simulated from the run on the sheets: the entry carries its model version
    expect(entry.modelVersion).toBe(mv);

    await session.step("write").write();
    expect(err(session)).toBeNull();
    const changes = gw.auditRows.filter((r) => r.action === "policy-changed" && r.modelVersion !== mv);
    expect(changes.length).toBeGreaterThan(0);
    expect(new Set(changes.map((r) => r.reason))).toEqual(new Set(['from scenario "Budget 80 %" (Scenarios tab)']));
    const written = tableRows(gw, SEGMENT_POLICY_TABLE);
    expect(written.map((r) => [r.Segment, r["Service level"], r.Method])).toEqual(o.grids[2].map((p) => [p.segment, p.serviceLevel, p.method]));
    // a later edit in the pane is audited as such
    session.step("policy").setGridCell("AX", "turnsTarget", 20);
    await session.step("write").write();
    expect(gw.auditRows.filter((r) => r.action === "policy-changed").at(-1)).toMatchObject({ field: "AX Inventory turns target", reason: "changed in the pane" });
  });

  it("the cut-off variant says how to carry its cut-offs into Classify", async () => {
    const { session } = await simulatedFour();
    await session.step("scenarios").useScenario(3);
    expect(session.getState().common.notice).toMatch(/Its cut-offs are a Classify option: set A up to 70 %, B up to 90 %, X up to 0\.5 and Y up to 1 in the Classify tab/);
  });

  it("a failed write leaves no sheet and no audit entry, and does not touch the Policy tab", async () => {
    const { session, gw } = await simulatedFour();
    const before = session.getState().steps.policy.grid;
    const audit = gw.auditRows.length;
    gw.failAuditAppend = true;
    await session.step("scenarios").useScenario(1);
    expect(err(session)).toBe("simulated failure while appending the audit rows");
    expect(gw.sheet(SCENARIOS_SHEET)).toBeUndefined();
    expect(gw.auditRows.length).toBe(audit);
    expect(session.getState().steps.policy.grid).toBe(before);
    expect(sc(session).chosen).toBeNull();
  });

  it("keeps the scenarios and options in the workbook for the next pane", async () => {
    const { session, gw } = await classified();
    only(session, [{ name: "Mine", kind: "proposed" }]);
    session.step("scenarios").setSettings({ replications: 4, horizon: 12, seed: 9 });
    await session.step("scenarios").run();
    const again = createPane({ gateway: gw, runner: createInlineRunner() });
    expect(again.getState().steps.scenarios.scenarios.map((d) => d.name)).toEqual(["Mine"]);
    expect(again.getState().steps.scenarios.settings).toMatchObject({ replications: 4, horizon: 12, seed: 9 });
  });
});
