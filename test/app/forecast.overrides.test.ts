/**
 * Forecast overrides: a reason is required, every change is an audit entry, a segment's cap sends
 * larger changes to a second named approver (their own audit entry), overrides survive
 * re-forecasting and reopening (workbook settings), stay on their calendar period when the history
 * grows, and reach the Forecast sheet (at once when it shows the current forecast).
 */
import { verifyChain } from "../../src/engine/audit";
import { FORECAST_TABLE } from "../../src/app/forecastPlans";
import { FORECAST_SETTINGS } from "../../src/app/steps/forecast";
import type { ForecastOverrideMap } from "../../src/app/forecastModel";
import { MemoryGateway } from "../helpers/memoryGateway";
import { bySku, classify, forecast, setup, write } from "./forecastPane";
import { forecastSheet, HISTORY, PERIODS } from "./forecastData";

async function ready(name: string | null = "Ana Planner") {
  const ctx = setup();
  if (name) await ctx.session.step("settings").setUserName(name);
  await classify(ctx.session);
  await forecast(ctx.session);
  return ctx;
}

function base(session: Awaited<ReturnType<typeof ready>>["session"], sku: string, k: number): number {
  const run = session.getState().steps.forecast.run!;
  const i = run.source.parsed.sku.indexOf(sku);
  return run.result.forecast[i * run.result.horizon + k - 1];
}

describe("forecast overrides", () => {
  it("within the cap: recorded in the audit trail and the settings, applied on the Forecast sheet", async () => {
    const { gw, session } = await ready();
    const b = base(session, "A1", 3);
    const value = Math.round(b * 1.1);
    await session.step("forecast").setOverride("A1", 3, value, " promotion week ");
    expect(session.getState().common.error).toBeNull();
    const row = gw.auditRows.at(-1)!;
    expect(row).toMatchObject({ action: "forecast-override-set", sku: "A1", field: "forecast T+3", newValue: String(value), reason: "promotion week", user: "Ana Planner" });
    expect(Number(row.oldValue)).toBeCloseTo(b, 3);
    const saved = gw.settings.get<ForecastOverrideMap>(FORECAST_SETTINGS.overrides)!;
    expect(saved.A1).toHaveLength(1);
    expect(saved.A1[0]).toMatchObject({ period: PERIODS + 3, value, reason: "promotion week", user: "Ana Planner" });
    expect(saved.A1[0].approvedBy).toBeUndefined();
    expect(session.getState().steps.forecast.preview!.overridesApplied).toBe(1);
    await write(session);
    const a1 = bySku(gw, FORECAST_TABLE).A1;
    expect(a1["T+3"]).toBe(value);
    expect(a1["T+2"]).toBe(base(session, "A1", 2));
    expect(a1.Overrides).toMatch(new RegExp(`^T\\+3: ${value} \\(was [\\d.]+; promotion week\\)$`));
    expect((await verifyChain(gw.auditRows)).ok).toBe(true);
  });

  it("needs a reason, a quantity of 0 or more, a period in the horizon and a SKU of the run", async () => {
    const { gw, session } = await ready();
    const fc = session.step("forecast");
    const n = gw.auditRows.length;
    await fc.setOverride("A1", 1, 100, "  ");
    expect(session.getState().common.errorField).toBe("reason");
    await fc.setOverride("A1", 1, -1, "x");
    expect(session.getState().common.errorField).toBe("value");
    await fc.setOverride("A1", 13, 100, "x");
    expect(session.getState().common).toMatchObject({ errorField: "period", error: "Choose a period from T+1 to T+12." });
    await fc.setOverride("ZZ", 1, 100, "x");
    expect(session.getState().common.errorField).toBe("sku");
    expect(gw.auditRows).toHaveLength(n);
  });

  it("beyond the cap: waits for a second person, who must differ from the planner and give a reason; two audit entries", async () => {
    const { gw, session } = await ready();
    const fc = session.step("forecast");
    const b = base(session, "A1", 1);
    const n = gw.auditRows.length;
    await fc.setOverride("A1", 1, Math.round(b * 2), "big promotion");
    const p = session.getState().steps.forecast.pendingApproval!;
    expect(p).toMatchObject({ sku: "A1", k: 1, cap: 0.2, segment: "AX", reason: "big promotion", user: "Ana Planner" });
    expect(p.change).toBeCloseTo(Math.round(b * 2) / b - 1, 12);
    expect(gw.auditRows).toHaveLength(n); // nothing recorded yet
    expect(gw.settings.get(FORECAST_SETTINGS.overrides)).toBeUndefined();
    expect(session.getState().common.notice).toMatch(/beyond AX's cap of ±20 %: a second person must approve it/);
    // the Write waits for the decision
    await session.step("write").write();
    expect(session.getState().common.error).toMatch(/waits for a second person's approval/);
    await fc.approve(" ana planner ", "ok");
    expect(session.getState().common).toMatchObject({ errorField: "approver" });
    expect(session.getState().common.error).toMatch(/second person, not from Ana Planner/);
    await fc.approve("Bo Approver", " ");
    expect(session.getState().common.errorField).toBe("approvalReason");
    await fc.approve("Bo Approver", "promotion confirmed with sales");
    expect(session.getState().common.error).toBeNull();
    expect(session.getState().steps.forecast.pendingApproval).toBeNull();
    const [set, approved] = gw.auditRows.slice(n);
    expect(gw.auditRows).toHaveLength(n + 2);
    expect(set).toMatchObject({ action: "forecast-override-set", sku: "A1", field: "forecast T+1", reason: "big promotion", user: "Ana Planner" });
    expect(approved).toMatchObject({ action: "forecast-override-approved", sku: "A1", field: "forecast T+1", newValue: String(Math.round(b * 2)) });
    expect(approved.reason).toMatch(/^approved by Bo Approver \(second person; AX cap ±20 %, change [\d.]+ %\): promotion confirmed with sales$/);
    expect(gw.settings.get<ForecastOverrideMap>(FORECAST_SETTINGS.overrides)!.A1[0]).toMatchObject({ approvedBy: "Bo Approver", approvalReason: "promotion confirmed with sales" });
    await write(session);
    expect(bySku(gw, FORECAST_TABLE).A1.Overrides).toMatch(/approved by Bo Approver/);
    expect((await verifyChain(gw.auditRows)).ok).toBe(true);
  });

  it("the planner's name must be known before a second person can approve", async () => {
    const { session } = await ready(null);
    const fc = session.step("forecast");
    await fc.setOverride("A1", 1, base(session, "A1", 1) * 3, "promo");
    await fc.approve("Bo Approver", "fine");
    expect(session.getState().common.error).toMatch(/^Set your own name first/);
  });

  it("cancelling the approval records nothing", async () => {
    const { gw, session } = await ready();
    const n = gw.auditRows.length;
    await session.step("forecast").setOverride("A1", 1, base(session, "A1", 1) * 3, "promo");
    session.step("forecast").cancelApproval();
    expect(session.getState().steps.forecast.pendingApproval).toBeNull();
    expect(gw.auditRows).toHaveLength(n);
    expect(session.getState().steps.forecast.overrides).toEqual({});
  });

  it("the cap is the segment's: C items change up to ±50 % without approval; no cap means none is needed", async () => {
    const { session } = await ready();
    const fc = session.step("forecast");
    const b = base(session, "C4", 2);
    await fc.setOverride("C4", 2, b * 1.4, "event");
    expect(session.getState().steps.forecast.pendingApproval).toBeNull();
    expect(session.getState().steps.forecast.overrides.C4).toHaveLength(1);
    await fc.setOverride("C4", 3, base(session, "C4", 3) * 1.6, "event");
    expect(session.getState().steps.forecast.pendingApproval?.cap).toBe(0.5);
    fc.cancelApproval();
    fc.setSegment("CX", { overrideCap: null });
    await fc.setOverride("C4", 3, base(session, "C4", 3) * 5, "event");
    expect(session.getState().steps.forecast.pendingApproval).toBeNull();
    expect(session.getState().steps.forecast.overrides.C4).toHaveLength(2);
  });

  it("survive re-forecasting and reopening the workbook, and stay on their calendar period when the history grows", async () => {
    const { gw, session } = await ready();
    await session.step("forecast").setOverride("A1", 3, 111, "trade fair");
    await forecast(session);
    expect(session.getState().steps.forecast.preview!.overridesApplied).toBe(1);
    // reopened: a new pane over the same workbook reads the overrides from its settings
    const again = setup(gw).session;
    expect(again.getState().steps.forecast.overrides.A1[0].value).toBe(111);
    await classify(again);
    await forecast(again);
    await write(again);
    expect(bySku(gw, FORECAST_TABLE).A1["T+3"]).toBe(111);
    // one more period of history: the override's period is now T+2
    const longer = forecastSheet().map((r, i) => [...r, i === 0 ? "P25" : HISTORY[String(r[0])]?.[PERIODS - 1] ?? 0]);
    const gw2 = new MemoryGateway().addSheet("Data", longer).select("Data", "A1");
    gw2.settingsStore = new Map(gw.settingsStore);
    const grown = setup(gw2).session;
    await classify(grown);
    await forecast(grown);
    await write(grown);
    const a1 = bySku(gw2, FORECAST_TABLE).A1;
    expect(a1["T+2"]).toBe(111);
    expect(a1["T+3"]).not.toBe(111);
    expect(a1.Overrides).toMatch(/^T\+2: 111 /);
  });

  it("an override of the written forecast updates the Forecast sheet at once; removing it puts the statistical value back", async () => {
    const { gw, session } = await ready();
    await write(session);
    const fc = session.step("forecast");
    await fc.setOverride("B1", 4, 44, "customer order");
    expect(bySku(gw, FORECAST_TABLE).B1["T+4"]).toBe(44);
    expect(bySku(gw, FORECAST_TABLE).B1.Overrides).toMatch(/^T\+4: 44 /);
    expect(session.getState().common.notice).toMatch(/The Forecast sheet shows it now/);
    await fc.clearOverride("B1", 4, "order cancelled");
    const row = gw.auditRows.at(-1)!;
    expect(row).toMatchObject({ action: "forecast-override-cleared", sku: "B1", field: "forecast T+4", oldValue: "44", reason: "order cancelled" });
    expect(bySku(gw, FORECAST_TABLE).B1["T+4"]).toBe(base(session, "B1", 4));
    expect(bySku(gw, FORECAST_TABLE).B1.Overrides).toBe("");
    expect(session.getState().steps.forecast.overrides).toEqual({});
    await fc.clearOverride("B1", 4, "again");
    expect(session.getState().common.errorField).toBe("period");
  });

  it("a failed audit append changes nothing", async () => {
    const { gw, session } = await ready();
    const append = gw.audit.append.bind(gw.audit);
    gw.audit.append = async () => {
      throw new Error("simulated audit failure");
    };
    await session.step("forecast").setOverride("A1", 1, base(session, "A1", 1), "same");
    expect(session.getState().common.error).toMatch(/simulated audit failure/);
    expect(session.getState().steps.forecast.overrides).toEqual({});
    expect(gw.settings.get(FORECAST_SETTINGS.overrides)).toBeUndefined();
    gw.audit.append = append;
  });
});
