import fc from "fast-check";
import { readFileSync } from "node:fs";
import path from "node:path";
import { costToServe } from "../../../src/engine/costToServe";
import { encodeKeys } from "../../../src/engine/keys";

const ref = JSON.parse(readFileSync(path.join(__dirname, "../../fixtures/dimensions_reference.json"), "utf8"));

describe("costToServe", () => {
  it("allocates order, line, unit and shipment costs (hand-checked)", () => {
    // Two segments A (0), C (1). Order O1 has 2 lines (A, C), O2 one line (C).
    // Shipment H1 carries lines 0 and 1 (units 8 + 2 = 10), cost 50; line 2 ships in H2, cost 20.
    // Rates: per order 10, per line 1, per unit 0.5.
    const r = costToServe({
      rows: 3,
      segmentOfLine: Int32Array.from([0, 1, 1]),
      segmentLabels: ["A", "C"],
      quantity: Float64Array.from([8, 2, 4]),
      revenue: Float64Array.from([400, 20, 40]),
      cost: Float64Array.from([200, 12, 30]),
      orderId: Int32Array.from([0, 0, 1]),
      shipmentId: Int32Array.from([0, 0, 1]),
      shipmentCost: Float64Array.from([50, 20]),
      rates: { perOrder: 10, perLine: 1, perUnit: 0.5 },
    });
    // line 0: 1 + 4 + 10/2 + 50*0.8 = 50;  line 1: 1 + 1 + 5 + 50*0.2 = 17;  line 2: 1 + 2 + 10 + 20 = 33
    expect(Array.from(r.lineCost)).toEqual([50, 17, 33]);
    const [a, c] = r.segments;
    expect(a.costToServe).toBe(50);
    expect(c.costToServe).toBe(50);
    expect(c.orders).toBe(2);
    expect(c.ctsPerOrder).toBe(25);
    expect(c.ctsPerUnit).toBeCloseTo(50 / 6, 14);
    expect(a.marginAfterCts).toBe(400 - 200 - 50);
    expect(c.marginAfterCts).toBe(60 - 42 - 50);
    // shares: revenue A 400/460, C 60/460; cost 50/100 each → C ratio 0.5 / (60/460) = 3.83 > 1.5
    expect(c.ratio).toBeCloseTo(0.5 / (60 / 460), 12);
    expect(c.outOfProportion).toBe(true);
    expect(a.outOfProportion).toBe(false);
    expect(r.rule).toBe("a segment is out of proportion when its share of cost-to-serve divided by its share of revenue is above 1.5");
  });

  it("a segment with cost and no revenue has ratio Infinity; no cost at all flags nothing", () => {
    const base = { rows: 2, segmentOfLine: Int32Array.from([0, 1]), segmentLabels: ["A", "B"], quantity: Float64Array.from([1, 1]), revenue: Float64Array.from([10, 0]) };
    const r = costToServe({ ...base, handlingCost: Float64Array.from([1, 1]) });
    expect(r.segments[1].ratio).toBe(Infinity);
    expect(r.segments[1].outOfProportion).toBe(true);
    expect(Number.isNaN(r.segments[0].grossMargin)).toBe(true);
    const none = costToServe(base);
    expect(none.segments.map((s) => s.outOfProportion)).toEqual([false, false]);
    expect(Number.isNaN(none.segments[0].ratio)).toBe(true);
  });

  it("rejects a bad line and the lines of a shipment with a bad cost, and refuses rates without their column", () => {
    const r = costToServe({
      rows: 3,
      segmentOfLine: Int32Array.from([0, 0, 0]),
      segmentLabels: ["A"],
      quantity: Float64Array.from([1, -1, 1]),
      revenue: Float64Array.from([1, 1, 1]),
      shipmentId: Int32Array.from([0, 0, 1]),
      shipmentCost: Float64Array.from([5, NaN]),
    });
    expect(r.issues.get(1)?.message).toBe("line 2: quantity -1 is negative");
    expect(r.issues.get(2)?.message).toBe("line 3: shipment cost NaN is not a finite number");
    expect(r.segments[0].lines).toBe(1);
    expect(r.segments[0].costToServe).toBe(5);
    expect(() => costToServe({ rows: 0, segmentOfLine: new Int32Array(0), segmentLabels: [], quantity: new Float64Array(0), revenue: new Float64Array(0), rates: { perOrder: 5 } })).toThrow(/^orderId: /);
    expect(() => costToServe({ rows: 0, segmentOfLine: new Int32Array(0), segmentLabels: [], quantity: new Float64Array(0), revenue: new Float64Array(0), rates: { perLine: -1 } })).toThrow(/^rates.perLine: /);
  });

  it("matches the pandas reference", () => {
    const L = ref.lines;
    const seg = ref.costToServe.segmentOfSku as Record<string, string>;
    const labels = ["A", "B", "C"];
    const ship = encodeKeys(L.shipment, "shipment");
    const r = costToServe({
      rows: L.sku.length,
      segmentOfLine: Int32Array.from(L.sku as string[], (s) => labels.indexOf(seg[s])),
      segmentLabels: labels,
      quantity: Float64Array.from(L.quantity),
      revenue: Float64Array.from(L.revenue),
      cost: Float64Array.from(L.cost),
      orderId: encodeKeys(L.order, "order").codes,
      shipmentId: ship.codes,
      shipmentCost: Float64Array.from(ship.keys, (k) => ref.shipmentCost[k]),
      handlingCost: Float64Array.from(L.handling),
      rates: ref.costToServe.rates,
    });
    for (const s of r.segments) {
      const e = ref.costToServe.segments[s.segment];
      expect(s.lines).toBe(e.lines);
      expect(s.orders).toBe(e.orders);
      expect(s.costToServe).toBeCloseTo(e.cts, 8);
      expect(s.ctsPerUnit).toBeCloseTo(e.ctsPerUnit, 10);
      expect(s.ctsPerOrder).toBeCloseTo(e.ctsPerOrder, 10);
      expect(s.marginAfterCts).toBeCloseTo(e.marginAfterCts, 7);
      expect(s.ratio).toBeCloseTo(e.ratio, 10);
    }
  });

  it("property: allocation conserves cost (every order, shipment and line cost lands on exactly one segment)", () => {
    const line = fc.record({ seg: fc.integer({ min: 0, max: 2 }), q: fc.integer({ min: 0, max: 30 }), order: fc.integer({ min: 0, max: 5 }), ship: fc.integer({ min: 0, max: 3 }), h: fc.integer({ min: 0, max: 500 }) });
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 60 }), (ls) => {
        const shipCost = [11, 23, 37, 51];
        const r = costToServe({
          rows: ls.length,
          segmentOfLine: Int32Array.from(ls, (l) => l.seg),
          segmentLabels: ["A", "B", "C"],
          quantity: Float64Array.from(ls, (l) => l.q),
          revenue: Float64Array.from(ls, (l) => l.q * 3),
          orderId: Int32Array.from(ls, (l) => l.order),
          shipmentId: Int32Array.from(ls, (l) => l.ship),
          shipmentCost: Float64Array.from(shipCost),
          handlingCost: Float64Array.from(ls, (l) => l.h / 100),
          rates: { perOrder: 7, perLine: 0.5, perUnit: 0.25, perShipment: 2 },
        });
        const orders = new Set(ls.map((l) => l.order)).size;
        const ships = [...new Set(ls.map((l) => l.ship))];
        const expected = ls.reduce((s, l) => s + l.h / 100 + 0.5 + 0.25 * l.q, 0) + 7 * orders + ships.reduce((s, k) => s + shipCost[k] + 2, 0);
        expect(r.segments.reduce((s, x) => s + x.costToServe, 0)).toBeCloseTo(expected, 8);
        expect(r.segments.reduce((s, x) => s + x.lines, 0)).toBe(ls.length);
      }),
    );
  });
});
