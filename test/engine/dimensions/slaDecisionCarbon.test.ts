import { carbonColumns, classifyCarbon, DEFAULT_TRANSPORT_FACTORS, transportCarbonPerUnit } from "../../../src/engine/carbon";
import { checkRationale, parameterChanges } from "../../../src/engine/decisionRecord";
import { defaultPolicyGrid } from "../../../src/engine/policy";
import { segmentServiceFloors, slaConflicts, tierForRequirement, tiersServedBySegment, validateAgreements, type ServiceAgreement } from "../../../src/engine/sla";

describe("SLA alignment", () => {
  const agreements: ServiceAgreement[] = [
    { tier: "gold", serviceLevel: 0.985, measure: "fill", source: "contract K-17" },
    { tier: "silver", serviceLevel: 0.95, measure: "fill" },
    { tier: "gold", serviceLevel: 0.97, measure: "csl" },
  ];

  it("finds the tiers each segment serves from order lines", () => {
    // lines: AX←cust0 (gold), AX←cust1 (silver), CZ←cust1, BY←cust2 (no tier)
    const served = tiersServedBySegment(Int32Array.from([0, 0, 2, 1]), ["AX", "BY", "CZ"], Int32Array.from([0, 1, 1, 2]), ["gold", "silver", ""]);
    expect([...served]).toEqual([
      ["AX", ["gold", "silver"]],
      ["CZ", ["silver"]],
    ]);
  });

  it("sets the floor from the strictest tier served and lists conflicts with the default grid (hand-checked)", () => {
    const served = new Map([
      ["AX", ["gold", "silver"]],
      ["CZ", ["silver"]],
      ["AN", ["silver"]],
    ]);
    const floors = segmentServiceFloors(served, agreements);
    expect(floors).toEqual([
      { segment: "AX", measure: "csl", minServiceLevel: 0.97, tier: "gold" },
      { segment: "AX", measure: "fill", minServiceLevel: 0.985, tier: "gold" },
      { segment: "CZ", measure: "fill", minServiceLevel: 0.95, tier: "silver" },
      { segment: "AN", measure: "fill", minServiceLevel: 0.95, tier: "silver" },
    ]);
    // default grid: AX csl 0.98 (fill target 0.98), CZ fill 0.85 (target 0.85), no AN row.
    const c = slaConflicts(defaultPolicyGrid(), served, agreements);
    expect(c.map((x) => [x.segment, x.tier, x.field, x.required, x.actual])).toEqual([
      ["AX", "gold", "fillRateTarget", 0.985, 0.98],
      ["CZ", "silver", "fillRateTarget", 0.95, 0.85],
      ["CZ", "silver", "serviceLevel", 0.95, 0.85],
      ["AN", "silver", "segment", 0.95, null],
    ]);
    expect(c[0].message).toBe("AX fill rate target 98 % is below tier gold (fill 98.5 %, contract K-17)");
    expect(c[3].message).toBe("AN serves tier silver (fill 95 %) but has no policy row");
  });

  it("a csl agreement on a fill-rate segment is a conflict of measure", () => {
    const c = slaConflicts(defaultPolicyGrid(), new Map([["AZ", ["gold"]]]), [{ tier: "gold", serviceLevel: 0.9, measure: "csl" }]);
    expect(c).toHaveLength(1);
    expect(c[0].field).toBe("method");
    expect(c[0].message).toMatch(/its method is "fill"/);
  });

  it("refuses bad agreements naming the tier", () => {
    expect(() => validateAgreements([{ tier: "gold", serviceLevel: 1.2, measure: "fill" }])).toThrow("agreements: tier gold service level must be between 0 and 1 (e.g. 0.95), got 1.2");
    expect(() => validateAgreements([agreements[0], agreements[0]])).toThrow(/tier gold has two fill agreements/);
  });

  it("picks the least demanding tier that meets a contract requirement", () => {
    const tiers = [
      { tier: "bronze", serviceLevel: 0.9 },
      { tier: "gold", serviceLevel: 0.98 },
      { tier: "silver", serviceLevel: 0.95 },
    ];
    expect(tierForRequirement(0.95, tiers)).toBe("silver");
    expect(tierForRequirement(0.96, tiers)).toBe("gold");
    expect(tierForRequirement(0.5, tiers)).toBe("bronze");
    expect(tierForRequirement(0.99, tiers)).toBeNull();
    expect(tierForRequirement(null, tiers)).toBeNull();
  });
});

describe("decision record", () => {
  const base = { dimension: "product", criterion: "value", abcCutoffs: [0.8, 0.95], xyzCutoffs: [0.5, 1.0] };

  it("needs no rationale when nothing changed (first run on defaults too)", () => {
    expect(checkRationale(base, { ...base }).required).toBe(false);
    expect(checkRationale(null, { ...base }).ok).toBe(true);
    // 0.8 computed as 0.1 * 8 is the same cut-off within the tolerance
    expect(checkRationale(base, { ...base, abcCutoffs: [0.1 * 8, 0.95] }).required).toBe(false);
  });

  it("requires one when cut-offs, dimension, criterion or weights change, and names the changes", () => {
    const next = { ...base, dimension: "skuCustomer", abcCutoffs: [0.7, 0.9] };
    const r = checkRationale(base, next, { rationale: "" });
    expect(r).toMatchObject({ required: true, present: false, ok: false });
    expect(r.changes).toEqual(["dimension product → skuCustomer", "ABC cut-offs 0.8, 0.95 → 0.7, 0.9"]);
    expect(r.message).toBe("rationale required (at least 10 characters, two words) because dimension product → skuCustomer; ABC cut-offs 0.8, 0.95 → 0.7, 0.9");
    expect(checkRationale(base, next, { rationale: "ok" }).ok).toBe(false);
    expect(checkRationale(base, next, { rationale: "Key accounts get their own A class from Q3." }).ok).toBe(true);
    expect(parameterChanges({ ...base, weights: { value: 1, margin: 1 } }, { ...base, weights: { value: 2, margin: 2 } })).toEqual([]);
    expect(parameterChanges({ ...base, weights: { value: 1, margin: 1 } }, { ...base, weights: { value: 3, margin: 1 } })).toEqual(["weights of margin, value changed"]);
    expect(parameterChanges(null, { ...base, criterion: "margin" })).toEqual(["criterion value → margin"]);
  });
});

describe("carbon", () => {
  it("kg CO2e per unit from weight × distance × factor (hand-checked)", () => {
    // 12.5 kg over 800 km by road: 0.0125 t × 800 km × 0.12631 = 1.2631 kg CO2e
    expect(transportCarbonPerUnit(12.5, 800, "road")).toBeCloseTo(1.2631, 12);
    expect(transportCarbonPerUnit(2, 1000, " Air ")).toBeCloseTo(0.002 * 1000 * 1.73499, 12);
    expect(transportCarbonPerUnit(1, 1, "teleport")).toEqual({ kind: "value", message: `transport mode "teleport" is not in the factor table (${Object.keys(DEFAULT_TRANSPORT_FACTORS).join(", ")})` });
    expect(transportCarbonPerUnit(1, 100, "barge", { barge: 0.03 })).toBeCloseTo(0.003, 15);
  });

  it("emissions = factor × units, mapped factor first, transport otherwise; tiers by cumulative share", () => {
    const c = carbonColumns({
      units: [1000, 100, 10, 500, 50],
      carbonPerUnit: [0.8, NaN, 2, NaN, -1],
      weightKg: [0, 10, 0, 1, 0],
      distanceKm: [0, 1000, 0, 200, 0],
      mode: ["", "rail", "", "sea", ""],
    });
    expect(c.emissions[0]).toBe(800);
    expect(c.emissions[1]).toBeCloseTo(100 * 0.01 * 1000 * 0.03159, 10); // 31.59
    expect(c.emissions[2]).toBe(20);
    expect(c.emissions[3]).toBeCloseTo(500 * 0.001 * 200 * 0.01536, 10); // 1.536
    expect(c.issues.get(4)?.message).toBe("carbon factor -1 kg CO2e per unit must be a number >= 0");
    // total 853.126: 800 → .938 (above .8, within .95) medium; +31.59 → .975 low; +20 → .998 low; +1.536 → 1 low
    const t = classifyCarbon(c.emissions, { issues: c.issues });
    expect(Array.from(t.abc, (k) => (k >= 0 ? t.labels[k] : "-"))).toEqual(["medium", "low", "low", "low", "-"]);
    const t2 = classifyCarbon([50, 30, 10, 5, 3, 2]);
    expect(Array.from(t2.abc, (k) => t2.labels[k])).toEqual(["high", "high", "medium", "medium", "low", "low"]);
  });
});
