/**
 * The pure helpers behind the issue-15 pane: the order-line mapping from header synonyms, what a
 * choice needs, a term in words, the highlighted spans of a clause, and the decision parameters.
 */
import { describeTerm, highlightParts, proposeClauseMapping } from "../../src/app/contractClauses";
import { modelParameters } from "../../src/app/decisionRecord";
import { dataNeeds, defaultDimensionSettings, dimensionSettingsProblems } from "../../src/app/dimensionTypes";
import { orderLineMappingProblems, proposeOrderLineMapping } from "../../src/app/orderLines";
import type { RangeSnapshot } from "../../src/app/ports";

const snap = (values: unknown[][], sheetName = "Lines"): RangeSnapshot => ({ sheetName, address: `${sheetName}!A1`, firstRow: 0, firstColumn: 0, values });

describe("order-line mapping", () => {
  it("tells shipment cost from shipment id, customer tier from customer, handling cost from cost", () => {
    const m = proposeOrderLineMapping(
      snap([
        ["Sales order", "Sold-to", "Material", "Shipped qty", "Net value", "COGS", "Delivery no", "Freight cost", "Handling cost", "Service tier", "Channel", "Transport mode", "Weight (kg)", "Distance km"],
        ["SO1", "C1", "M1", 3, 30, 20, "D1", 12, 1, "gold", "web", "road", 2.5, 300],
      ]),
    );
    expect(m.columns).toMatchObject({
      orderId: 0,
      customer: 1,
      sku: 2,
      quantity: 3,
      revenue: 4,
      cost: 5,
      shipmentId: 6,
      shipmentCost: 7,
      handlingCost: 8,
      customerTier: 9,
      channel: 10,
      freightMode: 11,
      weightKg: 12,
      distanceKm: 13,
    });
    expect(orderLineMappingProblems(m, 14, "skuCustomer")).toEqual([]);
    expect(orderLineMappingProblems({ ...m, columns: { ...m.columns, channel: 1 } }, 14, "skuChannel")).toEqual(["Channel and Customer id use the same column: pick a different one for one of them."]);
  });

  it("lists what the carbon criterion needs, and accepts freight data instead of a factor per unit", () => {
    const s = { ...defaultDimensionSettings(), criterion: "carbon" as const };
    expect(dataNeeds(s, ["sku", "quantity"]).missing).toEqual(["Carbon (kg CO2e) needs the Carbon per unit column, or Weight, Freight distance and Freight mode: map it."]);
    expect(dataNeeds(s, ["sku", "quantity", "weightKg", "distanceKm", "freightMode"]).missing).toEqual([]);
    expect(dimensionSettingsProblems({ ...s, factors: { road: -1 } })).toEqual([{ field: "factors", message: "Carbon factors: factor for road must be kg CO2e per tonne-km >= 0, got -1." }]);
    expect(dimensionSettingsProblems({ ...s, carbonCutoffs: [0.9, 0.8] })[0]).toEqual({
      field: "carbonCutoffs",
      message: "Carbon-tier cut-offs: give increasing cumulative shares above 0 % and at most 100 % (e.g. 80 % and 95 %); got 90 % and 80 %.",
    });
  });
});

describe("decision parameters", () => {
  it("records second-axis and carbon cut-offs only when they are used, and weights only for a score", () => {
    const o = { abcCutoffs: [0.8, 0.95], xyzCutoffs: [0.5, 1] };
    expect(modelParameters(o, null)).toEqual({ dimension: "product", criterion: "value", abcCutoffs: [0.8, 0.95], xyzCutoffs: [0.5, 1] });
    const two = modelParameters(o, { ...defaultDimensionSettings(), dimension: "customer", criterion: "twoAxis", axes: ["value", "carbon"] });
    expect(two).toMatchObject({ criterion: "twoAxis(value × carbon)", secondCutoffs: [0.8, 0.95], carbonCutoffs: [0.8, 0.95] });
    expect(two.weights).toBeUndefined();
    const score = modelParameters(o, { ...defaultDimensionSettings(), criterion: "score" });
    expect(score.weights).toEqual({ value: 0.5, margin: 0.3, orderLines: 0.2 });
  });
});

describe("contract terms in the pane", () => {
  it("says a term in words", () => {
    expect(describeTerm({ kind: "fillRate", min: 97.5, max: null, unit: "%" })).toBe("Fill rate at least 97.5 %");
    expect(describeTerm({ kind: "otif", min: 92, max: 96, unit: "%" })).toBe("OTIF 92–96 %");
    expect(describeTerm({ kind: "leadTime", min: null, max: 48, unit: "hours" })).toBe("Lead time within 48 hours");
    expect(describeTerm({ kind: "leadTime", min: 3, max: 5, unit: "working days" })).toBe("Lead time 3–5 working days");
    expect(describeTerm({ kind: "penalty", min: 500, max: 500, unit: "EUR", per: "late shipment" })).toBe("Penalty EUR 500 per late shipment");
    expect(describeTerm({ kind: "penalty", min: null, max: null, unit: null, per: null })).toBe("Penalty (no amount stated)");
    expect(describeTerm({ kind: "cutoffTime", min: 840, max: 840, unit: "minutes", timeZone: "CET" })).toBe("Order cut-off 14:00 CET");
  });

  it("splits a clause into plain and highlighted parts, merging overlapping spans", () => {
    const text = "Orders received by 14:00 CET will be shipped the same day.";
    expect(highlightParts(text, [{ start: 0, end: 28 }, { start: 37, end: 57 }, { start: 40, end: 50 }])).toEqual([
      { text: "Orders received by 14:00 CET", mark: true },
      { text: " will be ", mark: false },
      { text: "shipped the same day", mark: true },
      { text: ".", mark: false },
    ]);
    expect(highlightParts("no terms", [])).toEqual([{ text: "no terms", mark: false }]);
  });

  it("finds the clause, customer and contract columns, or takes the longest text as the clause", () => {
    expect(proposeClauseMapping(snap([["Client", "Agreement", "Wording"], ["C1", "K1", "Deliveries within 48 hours."]]))).toEqual({ headerRow: 0, clause: 2, customer: 0, contract: 1 });
    expect(proposeClauseMapping(snap([["Customer", "Notes"], ["C1", "The Supplier shall maintain a fill rate of at least 98%."]]))).toEqual({ headerRow: 0, clause: 1, customer: 0, contract: null });
  });
});
