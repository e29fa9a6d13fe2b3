import fc from "fast-check";
import { CellError, isCellError } from "../../src/engine/errors";
import { isMultipleOf, roundNearestToMultiple, roundPolicy, roundPolicyColumns, roundUpToMultiple } from "../../src/engine/rounding";

function ok<T>(x: T | CellError): T {
  if (isCellError(x)) throw new Error(`unexpected CellError: ${x.message}`);
  return x;
}

// The rules are conventions (docs/functions-policy.md, "Quantities a planner can order"); these
// tests pin each one with hand-checked cases and check the invariants with random inputs.
describe("rounding to multiples", () => {
  it("rounds up, ignoring floating-point dust", () => {
    expect(roundUpToMultiple(12.000000000003)).toBe(12);
    expect(roundUpToMultiple(12.01)).toBe(13);
    expect(roundUpToMultiple(101, 25)).toBe(125);
    expect(roundUpToMultiple(0.25, 0.1)).toBe(0.3);
    expect(roundUpToMultiple(-2.3)).toBe(-2);
    expect(roundNearestToMultiple(112.5, 25)).toBe(125);
    expect(roundNearestToMultiple(112.4, 25)).toBe(100);
    expect(isMultipleOf(0.3, 0.1)).toBe(true);
    expect(isMultipleOf(25, 10)).toBe(false);
  });
});

describe("roundPolicy", () => {
  it("continuous review: min = reorder point rounded up, max = min + rounded order quantity", () => {
    expect(ok(roundPolicy({ reorderPoint: 465.79, orderQty: 304.05 }))).toEqual({ reorderPoint: 466, min: 466, max: 771, orderQty: 305, roundingValue: 1 });
    expect(ok(roundPolicy({ reorderPoint: 465.79, orderQty: 304.05, orderMultiple: 50 }))).toEqual({ reorderPoint: 466, min: 466, max: 816, orderQty: 350, roundingValue: 50 });
    expect(ok(roundPolicy({ reorderPoint: 465.79, orderQty: 304.05, orderMultiple: 50 }, { levelUnit: "multiple" }))).toEqual({ reorderPoint: 500, min: 500, max: 850, orderQty: 350, roundingValue: 50 });
    expect(ok(roundPolicy({ reorderPoint: 465.79, orderQty: 304.05, orderMultiple: 50 }, { orderQtyRounding: "nearest" })).orderQty).toBe(300);
  });
  it("periodic review: max = order-up-to level rounded up, min = max - order quantity", () => {
    expect(ok(roundPolicy({ reorderPoint: 680.58, orderQty: 200, reviewPeriod: 2 }))).toEqual({ reorderPoint: 681, min: 481, max: 681, orderQty: 200, roundingValue: 1 });
  });
  it("MOQ raises the order quantity; a positive quantity is at least one multiple; 0 stays 0", () => {
    expect(ok(roundPolicy({ reorderPoint: 3, orderQty: 2.2, orderMultiple: 6, moq: 24 })).orderQty).toBe(24);
    expect(ok(roundPolicy({ reorderPoint: 3, orderQty: 0.4, orderMultiple: 6 }, { orderQtyRounding: "nearest" })).orderQty).toBe(6);
    expect(ok(roundPolicy({ reorderPoint: 0, orderQty: 0, orderMultiple: 6 })).orderQty).toBe(0);
  });
  it("a stated max replaces min + Q", () => {
    expect(ok(roundPolicy({ reorderPoint: 10.2, orderQty: 20, max: 40.5 }))).toMatchObject({ min: 11, max: 41 });
    const below = roundPolicy({ reorderPoint: 10.2, orderQty: 20, max: 9 });
    expect(isCellError(below) && below.message).toBe("max 9 is below the rounded reorder point 11");
  });
  it("MOQ that is not a multiple of the order multiple: row error", () => {
    const e = roundPolicy({ reorderPoint: 3, orderQty: 20, orderMultiple: 10, moq: 25 });
    expect(isCellError(e) && e.message).toBe("moq 25 is not a multiple of orderMultiple 10");
    const m = roundPolicy({ reorderPoint: 3, orderQty: 20, orderMultiple: 0 });
    expect(isCellError(m) && m.message).toBe("orderMultiple must be a number > 0, got 0");
  });
  it("invariants: levels never go down, whole units or multiples, max = min + Q, Q >= MOQ and a multiple", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -50, max: 1e5, noNaN: true }),
        fc.double({ min: 0.01, max: 1e4, noNaN: true }),
        fc.constantFrom(1, 5, 12, 0.5, 0.25),
        fc.integer({ min: 0, max: 10 }),
        fc.constantFrom(0, 2),
        fc.constantFrom<"up" | "nearest">("up", "nearest"),
        (s, q, m, packs, R, mode) => {
          const r = ok(roundPolicy({ reorderPoint: s, orderQty: q, orderMultiple: m, moq: packs * m, reviewPeriod: R }, { orderQtyRounding: mode }));
          expect(r.reorderPoint).toBeGreaterThanOrEqual(s - 1e-9 * Math.max(1, Math.abs(s)));
          expect(r.reorderPoint - s).toBeLessThan(1);
          expect(Number.isInteger(r.reorderPoint)).toBe(true);
          expect(isMultipleOf(r.orderQty, m)).toBe(true);
          expect(r.orderQty).toBeGreaterThanOrEqual(Math.max(packs * m, m));
          if (mode === "up") expect(r.orderQty).toBeGreaterThanOrEqual(q - 1e-9 * q);
          expect(r.max - r.min).toBeCloseTo(r.orderQty, 9);
        },
      ),
    );
  });
  it("columns equal rows; errors per row", () => {
    const rows = [
      { reorderPoint: 465.79, orderQty: 304.05, orderMultiple: 50, moq: 100, reviewPeriod: 0 },
      { reorderPoint: 680.58, orderQty: 200, orderMultiple: Number.NaN, moq: Number.NaN, reviewPeriod: 2 },
      { reorderPoint: 3, orderQty: 20, orderMultiple: 10, moq: 25, reviewPeriod: 0 },
    ];
    const out = roundPolicyColumns({
      rows: 3,
      reorderPoint: rows.map((r) => r.reorderPoint),
      orderQty: rows.map((r) => r.orderQty),
      orderMultiple: rows.map((r) => r.orderMultiple),
      moq: rows.map((r) => r.moq),
      reviewPeriod: rows.map((r) => r.reviewPeriod),
    });
    const one = ok(roundPolicy(rows[0]));
    expect([out.reorderPoint[0], out.min[0], out.max[0], out.orderQty[0]]).toEqual([one.reorderPoint, one.min, one.max, one.orderQty]);
    expect(out.max[1]).toBe(681);
    expect(out.errors.get(2)?.message).toBe("moq 25 is not a multiple of orderMultiple 10");
    expect(out.max[2]).toBeNaN();
  });
});
