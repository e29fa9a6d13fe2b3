import { describeConflict, resolveHierarchy } from "../../../src/engine/hierarchy";

describe("resolveHierarchy", () => {
  const sap = { source: "SAP MM", sku: ["P-100", "P-200", "P-300", "P-400", "P-100"], value: ["Pumps", "Valves", null, "Seals", "Motors"] };
  const pim = { source: "PIM", sku: ["P-100", "P-200", "P-300", "P-500"], value: ["Valves", " VALVES ", "Hoses", "Fittings"] };
  test("lists conflicts, decides by priority and records the source", () => {
    const r = resolveHierarchy("family", [pim, sap], ["SAP MM", "PIM"]);
    expect(r.sku).toEqual(["P-100", "P-200", "P-300", "P-400", "P-500"]);
    expect(r.value).toEqual(["Pumps", "Valves", "Hoses", "Seals", "Fittings"]);
    expect(r.decidedBy).toEqual(["SAP MM", "SAP MM", "PIM", "SAP MM", "PIM"]);
    // P-200 "Valves" vs " VALVES " is no conflict; P-300 blank in SAP falls through to PIM
    expect(r.conflicts.map(describeConflict)).toEqual(['SKU P-100 family: SAP MM "Pumps" vs SAP MM (row 5) "Motors" vs PIM "Valves"; decided by SAP MM']);
  });
  test("the other priority decides the other way", () => {
    const r = resolveHierarchy("family", [sap, pim], ["PIM", "SAP MM"]);
    expect(r.value[0]).toBe("Valves");
    expect(r.decidedBy[0]).toBe("PIM");
    expect(r.conflicts[0].chosen).toBe("Valves");
  });
  test("every source must be ranked", () => {
    expect(() => resolveHierarchy("family", [sap, pim], ["SAP MM"])).toThrow('priority: does not rank "PIM": list every source, strongest first');
    expect(() => resolveHierarchy("family", [sap, sap], ["SAP MM"])).toThrow("a source appears twice");
  });
});
