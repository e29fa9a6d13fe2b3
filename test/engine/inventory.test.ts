import fc from "fast-check";
import { CellError, isCellError } from "../../src/engine/errors";
import {
  demandSdOverProtection,
  eoq,
  fillRateK,
  inventoryPolicy,
  PolicyResult,
  reorderPoint,
  safetyStock,
  SafetyStockInput,
  safetyStockColumns,
  safetyStockMany,
  SafetyStockResult,
  zValue,
} from "../../src/engine/inventory";
import { normalLoss } from "../../src/engine/stats";

function ok<T>(x: T | CellError): T {
  if (isCellError(x)) throw new Error(`unexpected CellError: ${x.message}`);
  return x;
}
function err(x: unknown): CellError {
  if (!isCellError(x)) throw new Error(`expected a CellError, got ${JSON.stringify(x)}`);
  return x;
}

// Worked examples from Chopra & Meindl, "Supply Chain Management: Strategy, Planning, and
// Operation", ch. 12 (safety inventory); example numbers differ between editions, so the examples
// are named by content. Weekly demand mean 2,500 and sd 500, lead time 2 weeks, lot size 10,000.
// Printed results are rounded as shown.
describe("Chopra & Meindl ch. 12 worked examples", () => {
  const base = { demandMean: 2500, demandSd: 500, leadTime: 2 };
  it("required safety inventory for CSL 90%: 906", () => {
    const r = ok(safetyStock({ ...base, serviceLevel: 0.9 }));
    expect(r.sigma).toBeCloseTo(707, 0);
    expect(Math.round(r.safetyStock)).toBe(906);
  });
  it("fill rate of a policy with ss = 1,000, Q = 10,000: ESC = 25.13, fill rate 0.9975", () => {
    const sigma = ok(demandSdOverProtection(base));
    const esc = sigma * normalLoss(1000 / sigma);
    expect(esc).toBeCloseTo(25.13, 2);
    expect(1 - esc / 10000).toBeCloseTo(0.9975, 4);
  });
  it("required safety inventory for fill rate 97.5%, Q = 10,000: 67", () => {
    const r = ok(safetyStock({ ...base, serviceLevel: 0.975, method: "fill", orderQty: 10000 }));
    expect(Math.round(r.safetyStock)).toBe(67);
    // and the k found really gives the target: sigma G(k) = Q (1 - beta)
    expect(r.sigma * normalLoss(r.k)).toBeCloseTo(10000 * 0.025, 9);
  });
  it("lead-time uncertainty (daily demand 2,500 sd 500, L = 7 days sd 7, CSL 90%): sigma_L 17,550, ss 22,491", () => {
    const p = { demandMean: 2500, demandSd: 500, leadTime: 7, leadTimeSd: 7 };
    expect(Math.round(ok(demandSdOverProtection(p)))).toBe(17550);
    expect(Math.round(ok(safetyStock({ ...p, serviceLevel: 0.9 })).safetyStock)).toBe(22491);
    // same example with the lead-time sd cut to 0: sigma_L 1,323, ss 1,695
    const fixed = ok(safetyStock({ ...p, leadTimeSd: 0, serviceLevel: 0.9 }));
    expect(Math.round(fixed.sigma)).toBe(1323);
    expect(Math.round(fixed.safetyStock)).toBe(1695);
  });
});

// Heizer & Render, "Operations Management", ch. 12 (Managing Inventory), eq. 12-16: constant weekly
// demand 60, lead time 6 weeks with sd 2, 90% service, printed ROP = 360 + 1.28 x 60 x 2 = 513.6
// (z rounded to 1.28 in the book; the exact z = 1.2816 gives 513.79).
it("Heizer & Render: constant demand, variable lead time, ROP 513.6 with z = 1.28", () => {
  const p = { demandMean: 60, demandSd: 0, leadTime: 6, leadTimeSd: 2 };
  const ss = ok(safetyStock({ ...p, serviceLevel: 0.9 }));
  expect(ss.sigma).toBe(120);
  const rop = ok(reorderPoint({ ...p, safetyStock: ss.safetyStock }));
  expect(Math.abs(rop - 513.6)).toBeLessThan(0.2);
  expect(rop).toBeCloseTo(360 + 1.2815515655446004 * 120, 9);
});

describe("demandSdOverProtection", () => {
  it("adds the review period to the demand term only", () => {
    // sqrt((2 + 1) * 10^2 + 100^2 * 0.5^2) = sqrt(300 + 2500) = sqrt(2800)
    expect(ok(demandSdOverProtection({ demandMean: 100, demandSd: 10, leadTime: 2, leadTimeSd: 0.5, reviewPeriod: 1 }))).toBeCloseTo(Math.sqrt(2800), 12);
    expect(ok(demandSdOverProtection({ demandMean: 100, demandSd: 10, leadTime: 4 }))).toBeCloseTo(20, 12);
    expect(ok(demandSdOverProtection({ demandMean: 100, demandSd: 0, leadTime: 0 }))).toBe(0);
  });
  it.each([
    ["demandMean", { demandMean: -1, demandSd: 1, leadTime: 1 }],
    ["demandSd", { demandMean: 1, demandSd: -1, leadTime: 1 }],
    ["leadTime", { demandMean: 1, demandSd: 1, leadTime: Number.NaN }],
    ["leadTimeSd", { demandMean: 1, demandSd: 1, leadTime: 1, leadTimeSd: -0.1 }],
    ["reviewPeriod", { demandMean: 1, demandSd: 1, leadTime: 1, reviewPeriod: Infinity }],
  ])("rejects a bad %s, naming it", (field, input) => {
    const e = err(demandSdOverProtection(input));
    expect(e.kind).toBe("value");
    expect(e.message.startsWith(`${field} must be`)).toBe(true);
  });
});

describe("safetyStock", () => {
  const base: SafetyStockInput = { serviceLevel: 0.95, demandMean: 100, demandSd: 20, leadTime: 4 };

  it("csl: k = z(p), safety stock = k sigma", () => {
    const r = ok(safetyStock(base));
    expect(r.k).toBeCloseTo(1.6448536269514722, 15);
    expect(r.sigma).toBeCloseTo(40, 12);
    expect(r.safetyStock).toBeCloseTo(65.79414507805889, 9);
  });

  it("fill: sigma G(k) equals the allowed shortage Q (1 - beta)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.5, max: 0.9999, noNaN: true }),
        fc.double({ min: 1, max: 1e5, noNaN: true }),
        fc.double({ min: 0.1, max: 1e3, noNaN: true }),
        (beta, q, sd) => {
          const r = ok(safetyStock({ ...base, serviceLevel: beta, method: "fill", orderQty: q, demandSd: sd }));
          expect(Math.abs(r.sigma * normalLoss(r.k) - q * (1 - beta))).toBeLessThanOrEqual(1e-9 * q * (1 - beta));
        },
      ),
    );
  });

  it("fill is not floored: a big order and a modest target give negative safety stock", () => {
    const r = ok(safetyStock({ ...base, serviceLevel: 0.95, method: "fill", orderQty: 1000 }));
    // G(k) = 1000 * 0.05 / 40 = 1.25 > G(0), so k < 0
    expect(r.k).toBeLessThan(0);
    expect(r.safetyStock).toBeLessThan(0);
    expect(r.safetyStock).toBeCloseTo(r.k * 40, 9);
  });

  it("fill under periodic review defaults Q to demandMean * reviewPeriod", () => {
    const implicit = ok(safetyStock({ ...base, method: "fill", reviewPeriod: 2 }));
    const explicit = ok(safetyStock({ ...base, method: "fill", reviewPeriod: 2, orderQty: 200 }));
    expect(implicit).toEqual(explicit);
    expect(implicit.sigma).toBeCloseTo(20 * Math.sqrt(6), 12);
  });

  it("sigma = 0: csl gives 0, fill gives the sigma -> 0 limit -Q (1 - beta)", () => {
    const flat = { ...base, demandSd: 0 };
    expect(ok(safetyStock(flat)).safetyStock).toBe(0);
    const fill = ok(safetyStock({ ...flat, method: "fill", orderQty: 500 }));
    expect(fill.k).toBe(-Infinity);
    expect(fill.safetyStock).toBeCloseTo(-25, 12);
    const almost = ok(safetyStock({ ...base, demandSd: 1e-9, method: "fill", orderQty: 500 }));
    expect(almost.safetyStock).toBeCloseTo(-25, 6);
  });

  it("is monotone in the service level for both methods", () => {
    for (const method of ["csl", "fill"] as const) {
      let prev = -Infinity;
      for (const p of [0.5, 0.8, 0.9, 0.95, 0.99, 0.999]) {
        const s = ok(safetyStock({ ...base, method, serviceLevel: p, orderQty: 100 })).safetyStock;
        expect(s).toBeGreaterThan(prev);
        prev = s;
      }
    }
  });

  it.each<[string, Partial<SafetyStockInput>]>([
    ["serviceLevel", { serviceLevel: 1 }],
    ["serviceLevel", { serviceLevel: 0 }],
    ["serviceLevel", { serviceLevel: 95 }],
    ["demandSd", { demandSd: -3 }],
    ["leadTime", { leadTime: -1 }],
    ["orderQty", { method: "fill", orderQty: -5 }],
    ["orderQty", { method: "fill" }],
    ["method", { method: "beta" as never }],
  ])("names %s in its error", (field, patch) => {
    const e = err(safetyStock({ ...base, ...patch }));
    expect(e.message.startsWith(field)).toBe(true);
  });

  it("describes any odd value in its message without throwing", () => {
    expect(err(safetyStock({ ...base, method: 10n as never })).message).toBe('method must be "csl" or "fill", got 10');
    expect(err(safetyStock({ ...base, serviceLevel: "0.9" as never })).message).toMatch(/got "0.9"$/);
    expect(err(safetyStock({ ...base, demandSd: undefined as never })).message).toBe("demandSd must be a number >= 0, got nothing");
  });

  it("fill with periodic review and no demand is #N/A-type (undefined), not a crash", () => {
    const e = err(safetyStock({ ...base, demandMean: 0, method: "fill", reviewPeriod: 1 }));
    expect(e.kind).toBe("na");
  });

  it("safetyStockColumns (the batch path) agrees with safetyStock row by row, service levels changing or repeating", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            serviceLevel: fc.constantFrom(0.9, 0.95, 0.95, 0.99, 1.2, 1e-20),
            method: fc.constantFrom("csl" as const, "fill" as const),
            demandMean: fc.double({ min: 0, max: 1e4, noNaN: true }),
            demandSd: fc.double({ min: -1, max: 1e3, noNaN: true }),
            leadTime: fc.double({ min: 0, max: 20, noNaN: true }),
            leadTimeSd: fc.double({ min: 0, max: 3, noNaN: true }),
            reviewPeriod: fc.constantFrom(0, 0, 1, 4),
            orderQty: fc.option(fc.double({ min: 1, max: 1e4, noNaN: true }), { nil: undefined }),
          }),
          { maxLength: 30 },
        ),
        (rows) => {
          const col = (f: (r: (typeof rows)[number]) => number | undefined) => Float64Array.from(rows, (r) => f(r) ?? Number.NaN);
          const { safetyStock: ss, errors } = safetyStockColumns({
            rows: rows.length,
            serviceLevel: col((r) => r.serviceLevel),
            demandMean: col((r) => r.demandMean),
            demandSd: col((r) => r.demandSd),
            leadTime: col((r) => r.leadTime),
            leadTimeSd: col((r) => r.leadTimeSd),
            reviewPeriod: col((r) => r.reviewPeriod),
            orderQty: col((r) => r.orderQty),
            method: rows.map((r) => r.method),
          });
          rows.forEach((r, i) => {
            const one = safetyStock(r);
            if (isCellError(one)) expect(errors.get(i)).toEqual(one);
            else expect(ss[i]).toBe(one.safetyStock);
          });
        },
      ),
    );
  });

  it("safetyStockColumns agrees with safetyStock; NaN order quantity means not given; errors by row", () => {
    const rows = [
      { ...base },
      { ...base, serviceLevel: 0.99, method: "fill" as const, orderQty: 300 },
      { ...base, demandSd: -1 },
      { ...base, method: "fill" as const, reviewPeriod: 2 },
      { ...base, method: "fill" as const },
    ];
    const col = (f: (r: SafetyStockInput) => number | undefined) => Float64Array.from(rows, (r) => f(r) ?? Number.NaN);
    const { safetyStock: ss, errors } = safetyStockColumns({
      rows: rows.length,
      serviceLevel: col((r) => r.serviceLevel),
      demandMean: col((r) => r.demandMean),
      demandSd: col((r) => r.demandSd),
      leadTime: col((r) => r.leadTime),
      leadTimeSd: col((r) => r.leadTimeSd ?? 0),
      reviewPeriod: col((r) => r.reviewPeriod ?? 0),
      orderQty: col((r) => r.orderQty),
      method: rows.map((r) => r.method ?? "csl"),
    });
    rows.forEach((r, i) => {
      const one = safetyStock(r);
      if (isCellError(one)) {
        expect(ss[i]).toBeNaN();
        expect(errors.get(i)).toEqual(one);
      } else {
        expect(ss[i]).toBe(one.safetyStock);
        expect(errors.has(i)).toBe(false);
      }
    });
    expect([...errors.keys()]).toEqual([2, 4]);
  });

  it("safetyStockMany keeps order and isolates bad rows", () => {
    const out = safetyStockMany([base, { ...base, demandSd: -1 }, { ...base, serviceLevel: 0.5 }]);
    expect((out[0] as SafetyStockResult).safetyStock).toBeCloseTo(65.794, 3);
    expect(isCellError(out[1])).toBe(true);
    expect((out[2] as SafetyStockResult).safetyStock).toBe(0);
  });
});

describe("zValue and fillRateK", () => {
  it("zValue validates and returns z", () => {
    expect(ok(zValue(0.975))).toBeCloseTo(1.959963984540054, 14);
    expect(err(zValue(1)).message).toMatch(/^serviceLevel/);
    expect(err(zValue(Number.NaN)).message).toMatch(/^serviceLevel/);
  });
  it("fillRateK solves G(k) = Q(1 - beta)/sigma", () => {
    const k = ok(fillRateK({ fillRate: 0.975, orderQty: 10000, sigma: 500 * Math.SQRT2 }));
    expect(normalLoss(k)).toBeCloseTo(250 / (500 * Math.SQRT2), 14);
    expect(k).toBeCloseTo(0.0943, 4); // Chopra & Meindl fill-rate example: ss 67 / sigma 707
  });
  it("fillRateK errors name the field; sigma 0 is na", () => {
    expect(err(fillRateK({ fillRate: 1, orderQty: 1, sigma: 1 })).message).toMatch(/^fillRate/);
    expect(err(fillRateK({ fillRate: 0.9, orderQty: 0, sigma: 1 })).message).toMatch(/^orderQty/);
    expect(err(fillRateK({ fillRate: 0.9, orderQty: 1, sigma: -1 })).message).toMatch(/^sigma/);
    expect(err(fillRateK({ fillRate: 0.9, orderQty: 1, sigma: 0 })).kind).toBe("na");
    expect(err(fillRateK({ fillRate: 0.9, orderQty: 1e-300, sigma: 1e300 })).message).toMatch(/\+infinity/);
    expect(err(fillRateK({ fillRate: 0.9, orderQty: 1e300, sigma: 1e-300 })).message).toMatch(/-infinity/);
  });
});

describe("overflow is reported, never returned as Infinity or NaN", () => {
  it.each<[string, () => unknown]>([
    ["sigma", () => demandSdOverProtection({ demandMean: 1e300, demandSd: 1e300, leadTime: 1e300, leadTimeSd: 1e300 })],
    ["sigma", () => safetyStock({ serviceLevel: 0.9, demandMean: 1, demandSd: 1e200, leadTime: 1e300 })],
    ["safetyStock", () => safetyStock({ serviceLevel: 0.999, demandMean: 1, demandSd: 1.5e308, leadTime: 1 })],
    ["reorderPoint", () => reorderPoint({ demandMean: 1e308, leadTime: 10, safetyStock: 0 })],
    ["EOQ", () => eoq(1e308, 1e308, 1e-308)],
  ])("%s", (what, call) => {
    expect(err(call()).message).toBe(`${what} is too large to represent; check the magnitudes of the inputs`);
  });
  it("squares do not overflow on their own: sigma of huge but representable inputs is exact", () => {
    expect(ok(demandSdOverProtection({ demandMean: 0, demandSd: 1e200, leadTime: 4 }))).toBeCloseTo(2e200, -186);
  });
});

describe("reorderPoint", () => {
  it("continuous: d L + SS; periodic: d (R + L) + SS; negative SS used as given", () => {
    expect(ok(reorderPoint({ demandMean: 100, leadTime: 4, safetyStock: 66 }))).toBe(466);
    expect(ok(reorderPoint({ demandMean: 100, leadTime: 4, safetyStock: 66, reviewPeriod: 2 }))).toBe(666);
    expect(ok(reorderPoint({ demandMean: 100, leadTime: 4, safetyStock: -30 }))).toBe(370);
  });
  it("names bad fields", () => {
    expect(err(reorderPoint({ demandMean: 100, leadTime: -4, safetyStock: 66 })).message).toMatch(/^leadTime/);
    expect(err(reorderPoint({ demandMean: 100, leadTime: 4, safetyStock: Infinity })).message).toMatch(/^safetyStock/);
    expect(err(reorderPoint({ demandMean: 100, leadTime: 4, safetyStock: 0, reviewPeriod: -1 })).message).toMatch(/^reviewPeriod/);
  });
});

describe("eoq", () => {
  // stockpyl, tests/test_eoq.py (Snyder & Shen, Example 3.1 and Problem 3.1).
  it("Snyder & Shen Example 3.1: K = 8, h = 0.225, D = 1300 -> 304.0467800264368", () => {
    expect(ok(eoq(1300, 8, 0.75 * 0.3))).toBeCloseTo(304.0467800264368, 9);
  });
  it("Snyder & Shen Problem 3.1: K = 2250, h = 275, D = 500 * 365 -> 1728.109844993551", () => {
    expect(ok(eoq(500 * 365, 2250, 275))).toBeCloseTo(1728.109844993551, 8);
  });
  it("zero demand gives 0; bad inputs name their field", () => {
    expect(ok(eoq(0, 10, 1))).toBe(0);
    expect(err(eoq(-1, 10, 1)).message).toMatch(/^annualDemand/);
    expect(err(eoq(1, -10, 1)).message).toMatch(/^orderCost/);
    expect(err(eoq(1, 10, 0)).message).toMatch(/^holdingCostPerUnitPerYear/);
  });
});

describe("inventoryPolicy", () => {
  const sku = { serviceLevel: 0.95, demandMean: 100, demandSd: 20, leadTime: 4 };

  it("continuous review with a given Q: min = s, max = s + Q", () => {
    const p = ok(inventoryPolicy({ ...sku, orderQty: 300 }));
    const ss = 1.6448536269514722 * 40;
    expect(p.orderQtySource).toBe("given");
    expect(p.safetyStock).toBeCloseTo(ss, 9);
    expect(p.reorderPoint).toBeCloseTo(400 + ss, 9);
    expect(p.min).toBe(p.reorderPoint);
    expect(p.max).toBeCloseTo(700 + ss, 9);
  });

  it("continuous review without Q uses the EOQ on annualised demand", () => {
    const p = ok(inventoryPolicy({ ...sku, orderCost: 50, holdingCostPerUnitPerYear: 2, periodsPerYear: 52 }));
    expect(p.orderQtySource).toBe("eoq");
    expect(p.orderQty).toBeCloseTo(Math.sqrt((2 * 5200 * 50) / 2), 9); // 509.9
    expect(p.max - p.min).toBeCloseTo(p.orderQty, 9);
  });

  it("fill rate under continuous review uses the same Q as the policy", () => {
    const p = ok(inventoryPolicy({ ...sku, method: "fill", orderCost: 50, holdingCostPerUnitPerYear: 2, periodsPerYear: 52 }));
    expect(p.sigma * normalLoss(p.k)).toBeCloseTo(p.orderQty * 0.05, 9);
  });

  it("periodic review: max = S = d (R + L) + SS, min = S - d R, Q = d R", () => {
    const p: PolicyResult = ok(inventoryPolicy({ ...sku, reviewPeriod: 2 }));
    const ss = 1.6448536269514722 * 20 * Math.sqrt(6);
    expect(p.orderQtySource).toBe("review");
    expect(p.orderQty).toBe(200);
    expect(p.max).toBeCloseTo(600 + ss, 9);
    expect(p.reorderPoint).toBe(p.max);
    expect(p.min).toBeCloseTo(400 + ss, 9);
  });

  it("errors: missing Q and costs under continuous review; bad periodsPerYear; zero EOQ", () => {
    expect(err(inventoryPolicy(sku)).message).toMatch(/^orderQty is required/);
    expect(err(inventoryPolicy({ ...sku, orderCost: 5, holdingCostPerUnitPerYear: 1, periodsPerYear: 0 })).message).toMatch(/^periodsPerYear/);
    expect(err(inventoryPolicy({ ...sku, orderCost: 0, holdingCostPerUnitPerYear: 1, periodsPerYear: 52 })).kind).toBe("na");
    expect(err(inventoryPolicy({ ...sku, orderQty: 0 })).message).toMatch(/^orderQty/);
    expect(err(inventoryPolicy({ ...sku, serviceLevel: 2, orderQty: 10 })).message).toMatch(/^serviceLevel/);
  });
});
