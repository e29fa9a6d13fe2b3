import fc from "fast-check";
import { readFileSync } from "node:fs";
import path from "node:path";
import { aggregateCriterion, aggregateOrderLines, dimensionKeyLabel, dimensionRequirements, DIMENSIONS, type OrderLines } from "../../../src/engine/dimensions";
import { CARBON_TIERS } from "../../../src/engine/carbon";
import { classifyCriterion, twoAxisAbc } from "../../../src/engine/criteria";
import { ArgumentError } from "../../../src/engine/errors";
import { encodeKeys, PairIndex } from "../../../src/engine/keys";

const ref = JSON.parse(readFileSync(path.join(__dirname, "../../fixtures/dimensions_reference.json"), "utf8"));

function linesOf(cols: { sku?: unknown[]; customer?: unknown[]; channel?: unknown[]; order?: unknown[]; quantity: number[]; revenue?: number[]; cost?: number[] }): OrderLines {
  const out: OrderLines = { rows: cols.quantity.length, quantity: Float64Array.from(cols.quantity) };
  if (cols.sku) ({ codes: out.sku, keys: out.skuKeys } = encodeKeys(cols.sku, "sku"));
  if (cols.customer) ({ codes: out.customer, keys: out.customerKeys } = encodeKeys(cols.customer, "customer"));
  if (cols.channel) ({ codes: out.channel, keys: out.channelKeys } = encodeKeys(cols.channel, "channel"));
  if (cols.order) out.orderId = encodeKeys(cols.order, "orderId").codes;
  if (cols.revenue) out.revenue = Float64Array.from(cols.revenue);
  if (cols.cost) out.cost = Float64Array.from(cols.cost);
  return out;
}

describe("encodeKeys and PairIndex", () => {
  it("codes keys in first-seen order, trims text, reads numbers as text, rejects blanks", () => {
    const r = encodeKeys([" S2", "S1", 1001, "1001", "", null, "S2"], "sku");
    expect(Array.from(r.codes)).toEqual([0, 1, 2, 2, -1, -1, 0]);
    expect(r.keys).toEqual(["S2", "S1", "1001"]);
    expect(r.issues.get(4)?.message).toBe("sku is blank");
  });

  it("PairIndex hands out dense codes and survives growth", () => {
    const p = new PairIndex(2);
    const codes: number[] = [];
    for (let a = 0; a < 50; a++) for (let b = 0; b < 40; b++) codes.push(p.code(a, b));
    expect(codes).toEqual(Array.from({ length: 2000 }, (_, i) => i));
    expect(p.code(7, 3)).toBe(7 * 40 + 3);
    expect(p.find(7, 3)).toBe(283);
    expect(p.find(50, 0)).toBe(-1);
    expect(p.firstOf[283]).toBe(7);
    expect(p.secondOf[283]).toBe(3);
  });
});

describe("aggregateOrderLines", () => {
  const small = linesOf({
    sku: ["S1", "S2", "S1", "S3", "S1", "S2"],
    customer: ["C1", "C1", "C2", "C2", "C1", "C2"],
    channel: ["web", "web", "retail", "web", "web", "retail"],
    order: ["O1", "O1", "O2", "O2", "O3", "O4"],
    quantity: [10, 5, 2, 1, 4, 3],
    revenue: [100, 40, 20, 30, 40, 24],
    cost: [60, 30, 12, 35, 24, 18],
  });

  it("product: one row per SKU with lines, distinct orders, units, revenue, margin (hand-checked)", () => {
    const a = aggregateOrderLines(small, "product");
    expect(a.keys).toBe(3);
    expect([0, 1, 2].map((k) => dimensionKeyLabel(a, small, k))).toEqual(["S1", "S2", "S3"]);
    expect(Array.from(a.lines)).toEqual([3, 2, 1]);
    expect(Array.from(a.orders)).toEqual([3, 2, 1]);
    expect(Array.from(a.units)).toEqual([16, 8, 1]);
    expect(Array.from(a.revenue)).toEqual([160, 64, 30]);
    expect(Array.from(a.margin)).toEqual([64, 16, -5]);
    expect(Array.from(a.lineKey)).toEqual([0, 1, 0, 2, 0, 1]);
  });

  it("customer and SKU × customer (hand-checked)", () => {
    const c = aggregateOrderLines(small, "customer");
    expect(Array.from(c.revenue)).toEqual([180, 74]);
    expect(Array.from(c.orders)).toEqual([2, 2]);
    const h = aggregateOrderLines(small, "skuCustomer");
    expect(Array.from({ length: h.keys }, (_, k) => dimensionKeyLabel(h, small, k))).toEqual(["S1 × C1", "S2 × C1", "S1 × C2", "S3 × C2", "S2 × C2"]);
    expect(Array.from(h.lines)).toEqual([2, 1, 1, 1, 1]);
    expect(Array.from(h.units)).toEqual([14, 5, 2, 1, 3]);
    const ch = aggregateOrderLines(small, "skuChannel");
    expect(Array.from({ length: ch.keys }, (_, k) => dimensionKeyLabel(ch, small, k))).toEqual(["S1 × web", "S2 × web", "S1 × retail", "S3 × web", "S2 × retail"]);
  });

  it("a hybrid dimension without a customer column is refused naming the field", () => {
    const noCustomer = linesOf({ sku: ["S1"], quantity: [1] });
    expect(() => aggregateOrderLines(noCustomer, "skuCustomer")).toThrow(ArgumentError);
    expect(() => aggregateOrderLines(noCustomer, "skuCustomer")).toThrow("customer: the SKU × customer dimension needs a customer column: map the Customer id column");
    expect(() => aggregateOrderLines(noCustomer, "channel")).toThrow(/^channel: /);
  });

  it("rejects bad lines, naming the line and field, and keeps the rest", () => {
    const l = linesOf({ sku: ["S1", "", "S1", "S2"], customer: ["C1", "C1", null, "C2"], quantity: [1, 2, 3, -4] });
    const a = aggregateOrderLines(l, "skuCustomer");
    expect(a.keys).toBe(1);
    expect(a.issues.get(1)?.message).toBe("line 2: sku is blank or unknown");
    expect(a.issues.get(2)?.message).toBe("line 3: customer is blank or unknown");
    expect(a.issues.get(3)?.message).toBe("line 4: quantity -4 is negative");
    expect(Array.from(a.orders)).toEqual([-1]);
    expect(Number.isNaN(a.margin[0])).toBe(true);
    expect(() => aggregateCriterion(a, "margin")).toThrow(/^cost: /);
  });

  it("reports progress and can be cancelled", () => {
    const n = 200_000;
    const l: OrderLines = { rows: n, sku: new Int32Array(n), skuKeys: ["S"], quantity: new Float64Array(n).fill(1) };
    const seen: number[] = [];
    aggregateOrderLines(l, "product", { onProgress: (d) => seen.push(d) });
    expect(seen[seen.length - 1]).toBe(n);
    expect(seen.length).toBeGreaterThan(1);
    expect(() => aggregateOrderLines(l, "product", { signal: { aborted: true } })).toThrow(expect.objectContaining({ name: "AbortError" }));
  });

  it("matches the pandas groupby reference for every dimension", () => {
    const L = ref.lines;
    const lines = linesOf({ sku: L.sku, customer: L.customer, channel: L.channel, order: L.order, quantity: L.quantity, revenue: L.revenue, cost: L.cost });
    for (const dim of DIMENSIONS) {
      const a = aggregateOrderLines(lines, dim);
      const e = ref.aggregate[dim];
      expect(Array.from({ length: a.keys }, (_, k) => dimensionKeyLabel(a, lines, k))).toEqual(e.key);
      expect(Array.from(a.lines)).toEqual(e.lines);
      expect(Array.from(a.orders)).toEqual(e.orders);
      (e.units as number[]).forEach((x, k) => expect(a.units[k]).toBeCloseTo(x, 9));
      (e.revenue as number[]).forEach((x, k) => expect(a.revenue[k]).toBeCloseTo(x, 8));
      (e.margin as number[]).forEach((x, k) => expect(a.margin[k]).toBeCloseTo(x, 8));
    }
  });

  it("property: totals are preserved and every accepted line lands in one key", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 50 })), { minLength: 1, maxLength: 200 }), (rows) => {
        const l = linesOf({ sku: rows.map((r) => `S${r[0]}`), customer: rows.map((r) => `C${r[1]}`), quantity: rows.map((r) => r[2]) });
        for (const dim of ["product", "customer", "skuCustomer"] as const) {
          const a = aggregateOrderLines(l, dim);
          expect(Array.from(a.units).reduce((s, x) => s + x, 0)).toBe(rows.reduce((s, r) => s + r[2], 0));
          expect(Array.from(a.lines).reduce((s, x) => s + x, 0)).toBe(rows.length);
          const distinct = new Set(rows.map((r) => (dim === "product" ? `${r[0]}` : dim === "customer" ? `${r[1]}` : `${r[0]}/${r[1]}`)));
          expect(a.keys).toBe(distinct.size);
        }
      }),
    );
  });
});

describe("dimensionRequirements", () => {
  it("lists what a dimension needs, what is mapped, and names a missing field", () => {
    const r = dimensionRequirements("skuCustomer", ["sku", "quantity", "revenue"]);
    expect(r.ready).toBe(false);
    expect(r.missing).toEqual(["SKU × customer needs the Customer id column (customer): map it"]);
    expect(r.fields.filter((f) => f.required).map((f) => [f.field, f.mapped])).toEqual([
      ["sku", true],
      ["customer", false],
      ["quantity", true],
    ]);
    expect(r.info.complexity).toBe("high");
    expect(r.info.tradeoff).toMatch(/policy per pair/);
    expect(dimensionRequirements("product", ["sku", "quantity"]).ready).toBe(true);
    expect(() => dimensionRequirements("region" as never, [])).toThrow(/^dimension: unknown dimension "region"/);
  });
});

describe("dimension → criterion → classes", () => {
  it("customer ABC by margin, with the loss-making customer kept apart (hand-checked)", () => {
    const l = linesOf({
      customer: ["K1", "K2", "K3", "K1", "K4", "K5"],
      quantity: [1, 1, 1, 1, 1, 1],
      revenue: [500, 300, 100, 300, 60, 50],
      cost: [400, 100, 40, 200, 40, 80],
    });
    const a = aggregateOrderLines(l, "customer");
    // margins per customer: K1 (500-400)+(300-200) = 200, K2 200, K3 60, K4 20, K5 -30; positive total 480
    expect(Array.from(aggregateCriterion(a, "margin"))).toEqual([200, 200, 60, 20, -30]);
    // cumShares: K1 .4167 A, K2 .8333 B, K3 .9583 C, K4 1.0 C, K5 loss
    const r = classifyCriterion(aggregateCriterion(a, "margin"), { negative: "loss" });
    expect(Array.from(r.abc, (k) => r.labels[k])).toEqual(["A", "B", "C", "C", "L"]);
  });

  it("value × carbon tier as a two-axis segmentation", () => {
    const r = twoAxisAbc({ name: "value", values: [50, 30, 10, 5, 3, 2] }, { name: "carbon", values: [2, 3, 5, 10, 30, 50], options: { labels: [...CARBON_TIERS] } });
    // carbon 50,30 high; 10,5 medium; 3,2 low, on rows 5,4 / 3,2 / 1,0
    expect(Array.from(r.cell, (c) => r.labels[c])).toEqual(["Alow", "Alow", "Bmedium", "Bmedium", "Chigh", "Chigh"]);
  });
});
