import fixture from "../fixtures/sku_policy.json";
import { isCellError } from "../../src/engine/errors";
import {
  defaultPolicyGrid,
  diffPolicyGrids,
  parsePolicyCell,
  policyGridRows,
  SEGMENTS,
  skuPolicy,
  validatePolicyGrid,
  type PolicyOptions,
  type SegmentPolicy,
  type SkuPolicy,
} from "../../src/engine/policy";

describe("default policy grid", () => {
  const grid = defaultPolicyGrid();
  const sl = (s: string) => grid.find((p) => p.segment === s)!.serviceLevel;

  it("has one valid row per segment, AX highest and CZ lowest", () => {
    expect(grid.map((p) => p.segment)).toEqual(SEGMENTS);
    expect(() => validatePolicyGrid(grid)).not.toThrow();
    expect(Math.max(...grid.map((p) => p.serviceLevel))).toBe(sl("AX"));
    expect(Math.min(...grid.map((p) => p.serviceLevel))).toBe(sl("CZ"));
  });

  it("never rises from A to C or from X to Z", () => {
    for (const a of ["A", "B", "C"]) expect(sl(`${a}X`) >= sl(`${a}Y`) && sl(`${a}Y`) >= sl(`${a}Z`)).toBe(true);
    for (const x of ["X", "Y", "Z"]) expect(sl(`A${x}`) >= sl(`B${x}`) && sl(`B${x}`) >= sl(`C${x}`)).toBe(true);
  });

  it("round-trips through sheet rows", () => {
    const rows = policyGridRows(grid);
    expect(rows[0]).toEqual(["AX", 0.98, "csl", 0, 0.98, 12, "auto", 4.75, 1, 0]);
    expect(parsePolicyCell("method", " Fill ")).toBe("fill");
    expect(parsePolicyCell("serviceLevel", "95%")).toBeUndefined();
  });
});

describe("validatePolicyGrid", () => {
  const grid = defaultPolicyGrid();
  it.each([
    [{ serviceLevel: 1 }, /AX service level must be between 0 and 1/],
    [{ serviceLevel: 0 }, /between 0 and 1/],
    [{ method: "max" }, /method must be "csl", "fill" or "cost"/],
    [{ reviewPeriod: -1 }, /review period must be 0 or more/],
    [{ turnsTarget: 0 }, /turns target must be above 0/],
  ])("rejects %p", (patch, msg) => {
    const bad = grid.map((p, i) => (i === 0 ? ({ ...p, ...patch } as SegmentPolicy) : p));
    expect(() => validatePolicyGrid(bad)).toThrow(msg);
  });

  it("names a missing segment", () => {
    expect(() => validatePolicyGrid(grid.slice(1))).toThrow(/missing segment rows: AX/);
  });
});

describe("diffPolicyGrids", () => {
  it("lists changed cells in grid order", () => {
    const a = defaultPolicyGrid();
    const b = a.map((p) => (p.segment === "BY" ? { ...p, serviceLevel: 0.9, reviewPeriod: 2 } : p));
    expect(diffPolicyGrids(a, b)).toEqual([
      { segment: "BY", field: "serviceLevel", from: 0.95, to: 0.9 },
      { segment: "BY", field: "reviewPeriod", from: 1, to: 2 },
    ]);
  });
});

describe("skuPolicy against scipy (test/fixtures/gen_sku_policy.py)", () => {
  const options = { ...fixture.options, rounding: "whole" } as PolicyOptions;
  const fractions = { ...options, rounding: "none" } as PolicyOptions;
  it.each(fixture.cases.map((c) => [c.name, c] as const))("%s, fractions kept", (_name, c) => {
    const r = skuPolicy(c.policy as SegmentPolicy, c.input, fractions);
    expect(isCellError(r)).toBe(false);
    const p = r as SkuPolicy;
    for (const k of ["safetyStock", "reorderPoint", "min", "max", "orderQty", "leadTime"] as const) {
      expect(p[k]).toBeCloseTo(c.expected[k], 8);
    }
  });

  it.each(fixture.cases.map((c) => [c.name, c] as const))("%s, whole units (the default)", (_name, c) => {
    const p = skuPolicy(c.policy as SegmentPolicy, c.input, options) as SkuPolicy;
    for (const k of ["safetyStock", "reorderPoint", "min", "max", "orderQty"] as const) {
      expect(p[k]).toBeCloseTo(c.expectedWhole[k], 8);
    }
    expect(Number.isInteger(p.reorderPoint) && Number.isInteger(p.max) && Number.isInteger(p.min) && Number.isInteger(p.safetyStock)).toBe(true);
    expect(p.note).not.toMatch(/rounded/); // said once, in the Policy notes
  });

  it("floors a negative fill-rate safety stock and says so", () => {
    const c = fixture.cases.find((x) => x.name.includes("floored"))!;
    const p = skuPolicy(c.policy as SegmentPolicy, c.input, options) as SkuPolicy;
    expect(p.safetyStock).toBe(0);
    expect(p.note).toMatch(/floored at 0/);
  });

  it("gives zeros for a SKU without demand", () => {
    const p = skuPolicy(defaultPolicyGrid()[0], { demandMean: 0, demandSd: 0 }, options) as SkuPolicy;
    expect([p.safetyStock, p.reorderPoint, p.min, p.max]).toEqual([0, 0, 0, 0]);
    expect(p.note).toBe("no demand in the history");
  });

  it("asks for a unit cost or order quantity when an EOQ is needed", () => {
    const r = skuPolicy(defaultPolicyGrid()[0], { demandMean: 5, demandSd: 1 }, options);
    expect(isCellError(r) && r.message).toMatch(/map a unit cost or an order quantity/);
  });
});
