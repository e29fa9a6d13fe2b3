import { ArgumentError } from "../../../src/engine/errors";
import { DEFAULT_MRP_HEADERS, mrpExportTable, SAP_MRP_HEADERS, toCsv } from "../../../src/engine/policy/mrpExport";
import { inventoryInvestment, policyChangeList, PolicyVersionColumns } from "../../../src/engine/policy/changeList";

const policy = {
  rows: 3,
  sku: ["P-100", "P-200", 'V "3", red'],
  location: ["DC1", "DC1", "DC2"],
  segment: ["AX", "CZ", "BY"],
  safetyStock: [66, 3, Number.NaN],
  reorderPoint: [466, 5, Number.NaN],
  min: [466, 5, Number.NaN],
  max: [771, 17, Number.NaN],
  orderQty: [305, 12, 10],
  roundingValue: [1, 6, 1],
  moq: [0, 12, 0],
  reviewPeriod: [0, 4, 1],
};

describe("mrpExportTable", () => {
  it("default fields and headers; MRP type from the review system; failed rows skipped with the reason", () => {
    const t = mrpExportTable(policy);
    expect(t.headers).toEqual(["SKU", "Location", "Safety stock", "Reorder point", "Max", "Rounding value", "MRP type", "Review period"]);
    expect(t.rows).toEqual([
      ["P-100", "DC1", 66, 466, 771, 1, "reorder point", 0],
      ["P-200", "DC1", 3, 5, 17, 6, "periodic review", 4],
    ]);
    expect(t.skipped).toEqual([{ row: 2, reason: "safetyStock is missing (the policy could not be computed for this row)" }]);
  });
  it("field names are a pure mapping (SAP MARC names), MRP type per segment, no replenishment after the last buy", () => {
    const t = mrpExportTable(
      { ...policy, replenish: [1, 0, 1] },
      { headers: SAP_MRP_HEADERS, mrpTypeBySegment: { AX: "VB", CZ: "V1" }, noReplenishmentMrpType: "ND", fields: ["sku", "location", "safetyStock", "reorderPoint", "max", "roundingValue", "moq", "mrpType", "reviewPeriod"] },
    );
    expect(t.headers).toEqual(["MATNR", "WERKS", "EISBE", "MINBE", "MABST", "BSTRF", "BSTMI", "DISMM", "LFRHY"]);
    expect(t.rows[0]).toEqual(["P-100", "DC1", 66, 466, 771, 1, 0, "VB", 0]);
    expect(t.rows[1]).toEqual(["P-200", "DC1", 0, 0, 0, 6, 0, "ND", 4]);
  });
  it("rejects unknown fields and duplicate headers", () => {
    expect(() => mrpExportTable(policy, { fields: ["sku", "price" as "sku"] })).toThrow(ArgumentError);
    expect(() => mrpExportTable(policy, { headers: { reorderPoint: "Safety stock" } })).toThrow(/header "Safety stock" is used twice/);
    expect(DEFAULT_MRP_HEADERS.max).toBe("Max");
  });
  it("CSV per RFC 4180: quotes, doubled quotes, CRLF", () => {
    const t = mrpExportTable({ ...policy, safetyStock: [66, 3, 1], reorderPoint: [466, 5, 2], max: [771, 17, 12], min: [466, 5, 2] }, { fields: ["sku", "reorderPoint"] });
    expect(toCsv(t)).toBe('SKU,Reorder point\r\nP-100,466\r\nP-200,5\r\n"V ""3"", red",2\r\n');
    expect(toCsv({ headers: ["a"], rows: [[0.1 + 0.2]] }, { separator: ";", newline: "\n" })).toBe("a\n0.30000000000000004\n");
  });
});

describe("policyChangeList", () => {
  const prev: PolicyVersionColumns = {
    rows: 3,
    sku: ["P-100", "P-200", "P-300"],
    supplier: ["Acme", "Acme", "Bolt"],
    reorderPoint: [400, 5, 9],
    max: [700, 17, 20],
    safetyStock: [40, 3, 2],
    orderQty: [300, 12, 11],
    unitCost: [2, 10, 5],
  };
  const cur: PolicyVersionColumns = {
    rows: 3,
    sku: ["P-100", "P-200", "P-400"],
    supplier: ["Acme", "Acme", "Bolt"],
    reorderPoint: [466, 5, 4],
    max: [771, 17, 10],
    safetyStock: [66, 3, -1],
    orderQty: [305, 12, 6],
    unitCost: [2, 10, 4],
  };
  it("per SKU: status, changes in reorder point, max and investment (SS+ + Q/2 at unit cost)", () => {
    const r = policyChangeList(prev, cur);
    const p100 = r.skus.find((s) => s.sku === "P-100")!;
    expect(p100).toMatchObject({ status: "changed", reorderPointChange: 66, maxChange: 71, investmentBefore: 2 * (40 + 150), investmentAfter: 2 * (66 + 152.5), maxValueChange: 142 });
    expect(p100.investmentChange).toBeCloseTo(2 * (26 + 2.5), 12);
    expect(r.skus.find((s) => s.sku === "P-200")!.status).toBe("unchanged");
    const added = r.skus.find((s) => s.sku === "P-400")!;
    expect(added).toMatchObject({ status: "new", investmentBefore: 0, investmentAfter: 4 * 3 }); // negative SS counts as 0
    expect(r.skus.find((s) => s.sku === "P-300")!).toMatchObject({ status: "removed", supplier: "Bolt", investmentChange: -5 * (2 + 5.5) });
  });
  it("per supplier, largest investment change first", () => {
    const r = policyChangeList(prev, cur);
    expect(r.suppliers.map((s) => s.supplier)).toEqual(["Acme", "Bolt"]);
    expect(r.suppliers[0]).toMatchObject({ skus: 2, changedSkus: 1, newSkus: 0, maxChange: 71 });
    expect(r.suppliers[1]).toMatchObject({ skus: 2, newSkus: 1, removedSkus: 1, investmentChange: 12 - 37.5, maxChange: -10 });
  });
  it("a SKU listed twice is an argument error", () => {
    expect(() => policyChangeList({ ...prev, sku: ["P-100", "P-100", "P-300"] }, cur)).toThrow(/previous: SKU P-100 appears twice/);
    expect(inventoryInvestment(3, 10, 20)).toBe(60);
  });
});
