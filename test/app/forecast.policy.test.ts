/**
 * Policy from forecast: for the segments that ask for it, the Policy sheet takes each SKU's demand
 * rate from the forecast (the mean of the horizon, overrides included) and σ from the one-step
 * forecast error (in-sample RMSE), so that safety stock = z × √(L + R) × RMSE with a fixed lead
 * time; the other segments keep the history's mean and sd, and the notes say which was used.
 * References by hand: the naive method's forecast (the last value) and in-sample RMSE, the
 * history's mean and population sd, z from scipy.stats.norm.ppf.
 */
import { POLICY_NOTES_TABLE, SKU_POLICY_TABLE } from "../../src/app/sheets";
import { bySku, classify, forecast, setup, tableRows, write } from "./forecastPane";
import { HISTORY, LEAD_TIME, naiveInSampleRmse, PERIODS } from "./forecastData";

// scipy.stats.norm.ppf(0.98), norm.ppf(0.93), norm.ppf(0.96)
const Z98 = 2.0537489106318225;
const Z93 = 1.475791028179171;
const Z96 = 1.7506860712521692;

const mean = (y: number[]) => y.reduce((a, b) => a + b, 0) / y.length;
const popSd = (y: number[]) => Math.sqrt(y.reduce((a, b) => a + (b - mean(y)) ** 2, 0) / y.length);

async function withNaive(segments: string[]) {
  const ctx = setup();
  await classify(ctx.session);
  const fc = ctx.session.step("forecast");
  for (const seg of ["AX", "BX", "CX"]) fc.setSegmentMethod(seg, "smooth", "naive");
  for (const seg of segments) fc.setSegment(seg, { policyFromForecast: true });
  await forecast(ctx.session);
  return ctx;
}

describe("policy from forecast", () => {
  it("the chosen segments (AX, CX) take demand and σ from the forecast; BX keeps the history's", async () => {
    const { gw, session } = await withNaive(["AX", "CX"]);
    const st = session.getState().steps.forecast;
    expect(st.policyDemand).not.toBeNull();
    expect(st.policyBasis).toMatch(/^Segments AX, CX: demand mean = the mean of the 12-period forecast/);
    await write(session);
    const rows = bySku(gw, SKU_POLICY_TABLE);

    // AX (A1): continuous review, L = 2: SS = z(0.98) × √2 × RMSE, rounded up to a whole unit
    const a1 = HISTORY.A1;
    const rmseA1 = naiveInSampleRmse(a1);
    expect(rows.A1["Demand mean"]).toBe(a1[PERIODS - 1]);
    expect(rows.A1["Demand sd"] as number).toBeCloseTo(rmseA1, 12);
    expect(rows.A1["Safety stock"]).toBe(Math.ceil(Z98 * Math.sqrt(LEAD_TIME) * rmseA1));
    expect(rows.A1["Order quantity source"]).toMatch(/demand from the forecast/);

    // CX (C4): periodic review R = 4: the protection interval is L + R = 6 periods
    const c4 = HISTORY.C4;
    const rmseC4 = naiveInSampleRmse(c4);
    expect(rows.C4["Demand sd"] as number).toBeCloseTo(rmseC4, 12);
    expect(rows.C4["Safety stock"]).toBe(Math.ceil(Z93 * Math.sqrt(LEAD_TIME + 4) * rmseC4));

    // BX (B1) is not chosen: the history's mean and population sd over all 24 periods, review R = 1
    const b1 = HISTORY.B1;
    expect(rows.B1["Demand mean"] as number).toBeCloseTo(mean(b1), 12);
    expect(rows.B1["Demand sd"] as number).toBeCloseTo(popSd(b1), 12);
    expect(rows.B1["Safety stock"]).toBe(Math.ceil(Z96 * Math.sqrt(LEAD_TIME + 1) * popSd(b1)));
    expect(rows.B1["Order quantity source"]).not.toMatch(/forecast/);
    // neither is an intermittent SKU of a segment that did not ask
    expect(rows.B2["Order quantity source"]).not.toMatch(/forecast/);

    const notes = tableRows(gw, POLICY_NOTES_TABLE).map((r) => r.Note as string);
    expect(notes.some((n) => n.startsWith("Segments AX, CX: demand mean = the mean of the 12-period forecast") && n.includes("√(L + R) × RMSE"))).toBe(true);
  });

  it("overrides move the demand rate; turning the choice off brings the history back at the next Write", async () => {
    const { gw, session } = await withNaive(["AX"]);
    await session.step("settings").setUserName("Ana Planner");
    const last = HISTORY.A1[PERIODS - 1];
    await session.step("forecast").setOverride("A1", 1, last + 12, "promotion"); // +12 % of 100: within AX's 20 % cap
    await write(session);
    expect(bySku(gw, SKU_POLICY_TABLE).A1["Demand mean"] as number).toBeCloseTo(last + 1, 12); // (11 × 100 + 112) / 12
    session.step("forecast").setSegment("AX", { policyFromForecast: false });
    expect(session.getState().steps.forecast.policyDemand).toBeNull();
    await write(session);
    const a1 = bySku(gw, SKU_POLICY_TABLE).A1;
    expect(a1["Demand mean"] as number).toBeCloseTo(mean(HISTORY.A1), 12);
    expect(a1["Order quantity source"]).not.toMatch(/forecast/);
    expect(tableRows(gw, POLICY_NOTES_TABLE).some((r) => String(r.Note).includes("from the forecast"))).toBe(false);
  });

  it("without a forecast the Policy sheet is as before", async () => {
    const { gw, session } = setup();
    await classify(session);
    session.step("forecast").setSegment("AX", { policyFromForecast: true });
    await write(session);
    expect(bySku(gw, SKU_POLICY_TABLE).A1["Demand mean"] as number).toBeCloseTo(mean(HISTORY.A1), 12);
    expect(gw.table("SegForecast")).toBeUndefined();
  });
});
