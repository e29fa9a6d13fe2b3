/**
 * Segmentation dimensions: what one "row" of a segmentation is. Product (one row per SKU, today's
 * segmentation), customer, channel, or a hybrid SKU × customer / SKU × channel combination.
 * aggregateOrderLines turns order lines (columnar, keys as dense codes from encodeKeys) into one
 * row per key of the chosen dimension, with the totals every criterion needs.
 *
 * Conventions:
 * - One order line = one hit (a pick line). lines = number of accepted order lines of the key;
 *   orders = number of distinct order ids among them (only when an order column is given, else -1).
 * - units = sum of quantity; revenue, cost = sums (money); margin = revenue − cost (NaN when no cost
 *   column is given). Sums are plain left-to-right sums in line order.
 * - A line is rejected (CellError, left out of every total) when a key it needs is blank (code < 0
 *   or beyond the key list), or its quantity, revenue or cost is not a finite number >= 0. Returns
 *   and credit notes are therefore not netted here: give them as their own adjustment, not as
 *   negative order lines.
 * - Keys are numbered in first-seen order of the accepted lines (key 0 = the key of the first
 *   accepted line). For a hybrid key the parts are kept (keySku, keyCustomer / keyChannel); labels
 *   are built on demand (dimensionKeyLabel), "SKU × customer", so 1,000,000 lines do not build
 *   1,000,000 strings.
 * Source for the choice of dimension and its trade-off: customer and channel segmentation as in
 * Fisher (1997, "What is the right supply chain for your product?", HBR 75(2)) and Gattorna
 * (2010, "Dynamic Supply Chains", ch. 2), SKU × customer as in the cost-to-serve literature
 * (Braithwaite & Samakh, 1998, "The cost-to-serve method", Int. J. Logistics Management 9(1)).
 */
import { ArgumentError, CellError, cellError } from "./errors";
import { PairIndex } from "./keys";

export const DIMENSIONS = ["product", "customer", "channel", "skuCustomer", "skuChannel"] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** Order-line columns the pane can map. */
export const ORDER_LINE_FIELDS = ["sku", "customer", "channel", "orderId", "quantity", "revenue", "cost", "shipmentId", "shipmentCost", "handlingCost", "transportCost", "customerTier"] as const;
export type OrderLineField = (typeof ORDER_LINE_FIELDS)[number];

export const ORDER_LINE_FIELD_LABELS: Record<OrderLineField, string> = {
  sku: "SKU id",
  customer: "Customer id",
  channel: "Channel",
  orderId: "Order id",
  quantity: "Quantity (units)",
  revenue: "Revenue (money)",
  cost: "Cost of goods (money)",
  shipmentId: "Shipment id",
  shipmentCost: "Shipment cost (money)",
  handlingCost: "Handling cost per line (money)",
  transportCost: "Transport cost per line (money)",
  customerTier: "Customer service tier",
};

export interface DimensionInfo {
  dimension: Dimension;
  label: string;
  /** Fields whose values make the key. */
  keyFields: OrderLineField[];
  /** Needed to run: the key fields and the quantity. */
  required: OrderLineField[];
  /** Used when mapped: criteria (revenue, cost → margin), orders, cost-to-serve. */
  optional: OrderLineField[];
  /** Operational complexity vs data availability, in plain words for the pane. */
  tradeoff: string;
  complexity: "low" | "medium" | "high";
}

const COMMON_OPTIONAL: OrderLineField[] = ["revenue", "cost", "orderId", "shipmentId", "shipmentCost", "handlingCost", "transportCost"];

export const DIMENSION_INFO: Record<Dimension, DimensionInfo> = {
  product: {
    dimension: "product",
    label: "Product (SKU)",
    keyFields: ["sku"],
    required: ["sku", "quantity"],
    optional: COMMON_OPTIONAL,
    tradeoff: "Needs only item data, which every ERP has. One policy per SKU is simple to run in the warehouse, but it serves every customer the same way whatever the customer is worth.",
    complexity: "low",
  },
  customer: {
    dimension: "customer",
    label: "Customer",
    keyFields: ["customer"],
    required: ["customer", "quantity"],
    optional: [...COMMON_OPTIONAL, "customerTier"],
    tradeoff: "Needs a customer id on every order line. Ranks customers by revenue or margin for service tiers and account plans; it does not say which items to stock, so it is used beside the product segmentation, not instead of it.",
    complexity: "medium",
  },
  channel: {
    dimension: "channel",
    label: "Channel",
    keyFields: ["channel"],
    required: ["channel", "quantity"],
    optional: COMMON_OPTIONAL,
    tradeoff: "Needs a channel on every order line (often derivable from the order type). Few segments, easy to run (one process per channel: e-commerce, retail, wholesale), but coarse: customers within a channel differ.",
    complexity: "low",
  },
  skuCustomer: {
    dimension: "skuCustomer",
    label: "SKU × customer",
    keyFields: ["sku", "customer"],
    required: ["sku", "customer", "quantity"],
    optional: [...COMMON_OPTIONAL, "customerTier"],
    tradeoff: "Needs SKU and customer on every order line and enough history per pair. The finest segmentation (express for A-customers' A items), but many more rows and rules: the warehouse and order promising must apply a policy per pair.",
    complexity: "high",
  },
  skuChannel: {
    dimension: "skuChannel",
    label: "SKU × channel",
    keyFields: ["sku", "channel"],
    required: ["sku", "channel", "quantity"],
    optional: COMMON_OPTIONAL,
    tradeoff: "Needs SKU and channel on every order line. A middle way: a few policies per SKU (one per channel), fewer rows than SKU × customer and usually mapped already.",
    complexity: "medium",
  },
};

export interface FieldRequirement {
  field: OrderLineField;
  label: string;
  required: boolean;
  mapped: boolean;
}

/** What a dimension needs and whether it is mapped, for the pane. `ready` is false when a required field is missing. */
export function dimensionRequirements(dimension: Dimension, mapped: Iterable<OrderLineField>): { info: DimensionInfo; fields: FieldRequirement[]; ready: boolean; missing: string[] } {
  const info = DIMENSION_INFO[dimension];
  if (!info) throw new ArgumentError("dimension", `unknown dimension "${String(dimension)}"; expected one of ${DIMENSIONS.join(", ")}`);
  const have = new Set(mapped);
  const fields: FieldRequirement[] = [
    ...info.required.map((f) => ({ field: f, label: ORDER_LINE_FIELD_LABELS[f], required: true, mapped: have.has(f) })),
    ...info.optional.map((f) => ({ field: f, label: ORDER_LINE_FIELD_LABELS[f], required: false, mapped: have.has(f) })),
  ];
  const missing = fields.filter((f) => f.required && !f.mapped).map((f) => `${info.label} needs the ${f.label} column (${f.field}): map it`);
  return { info, fields, ready: missing.length === 0, missing };
}

/** Order lines, columnar. Key columns are dense codes (encodeKeys) with their key lists. */
export interface OrderLines {
  rows: number;
  sku?: Int32Array;
  skuKeys?: readonly string[];
  customer?: Int32Array;
  customerKeys?: readonly string[];
  channel?: Int32Array;
  channelKeys?: readonly string[];
  /** Any non-negative integer id per line (e.g. codes from encodeKeys); -1 = blank (line rejected when orders are counted). */
  orderId?: Int32Array;
  quantity: Float64Array;
  revenue?: Float64Array;
  cost?: Float64Array;
}

export interface DimensionAggregate {
  dimension: Dimension;
  /** Number of keys (rows of the segmentation). */
  keys: number;
  /** Key parts per key: the SKU, customer or channel code (into the lines' key lists); empty when the dimension does not use it. */
  keySku: Int32Array;
  keyCustomer: Int32Array;
  keyChannel: Int32Array;
  /** Key per order line; -1 for a rejected line. */
  lineKey: Int32Array;
  lines: Int32Array;
  /** Distinct orders per key; all -1 when no order column is given. */
  orders: Int32Array;
  units: Float64Array;
  revenue: Float64Array;
  cost: Float64Array;
  /** revenue − cost; NaN when no cost column is given. */
  margin: Float64Array;
  /** Rejected lines, by line index. */
  issues: Map<number, CellError>;
}

export interface AggregateOptions {
  onProgress?: (done: number, total: number) => void;
  signal?: { aborted: boolean };
}

const CHUNK = 1 << 16;

function keyColumn(lines: OrderLines, field: "sku" | "customer" | "channel", dimension: Dimension): { codes: Int32Array; count: number } {
  const codes = lines[field];
  const keys = lines[`${field}Keys` as "skuKeys" | "customerKeys" | "channelKeys"];
  if (codes === undefined || keys === undefined) {
    throw new ArgumentError(field, `the ${DIMENSION_INFO[dimension].label} dimension needs a ${field} column: map the ${ORDER_LINE_FIELD_LABELS[field]} column`);
  }
  if (codes.length !== lines.rows) throw new ArgumentError(field, `has ${codes.length} rows but the order lines have ${lines.rows}`);
  return { codes, count: keys.length };
}

function sameLength(name: string, x: ArrayLike<number> | undefined, n: number): void {
  if (x !== undefined && x.length !== n) throw new ArgumentError(name, `has ${x.length} rows but the order lines have ${n}`);
}

/** Aggregates order lines into one row per key of the dimension. Throws ArgumentError when a key column the dimension needs is missing. */
export function aggregateOrderLines(lines: OrderLines, dimension: Dimension, options: AggregateOptions = {}): DimensionAggregate {
  if (!DIMENSIONS.includes(dimension)) throw new ArgumentError("dimension", `unknown dimension "${String(dimension)}"; expected one of ${DIMENSIONS.join(", ")}`);
  const n = lines.rows;
  sameLength("quantity", lines.quantity, n);
  sameLength("revenue", lines.revenue, n);
  sameLength("cost", lines.cost, n);
  sameLength("orderId", lines.orderId, n);
  const fields = DIMENSION_INFO[dimension].keyFields as ("sku" | "customer" | "channel")[];
  const first = keyColumn(lines, fields[0], dimension);
  const second = fields.length > 1 ? keyColumn(lines, fields[1], dimension) : undefined;
  const { quantity: qty, revenue: rev, cost, orderId } = lines;

  const lineKey = new Int32Array(n);
  const issues = new Map<number, CellError>();
  // Single key: the code is the key up to renumbering in first-seen order. Pair: PairIndex.
  const remap = second === undefined ? new Int32Array(first.count).fill(-1) : undefined;
  const pairs = second === undefined ? undefined : new PairIndex(Math.min(n, 1 << 20));
  let keyCount = 0;
  let cap = 1024;
  let lineCount = new Int32Array(cap);
  let units = new Float64Array(cap);
  let revenue = new Float64Array(cap);
  let costSum = new Float64Array(cap);
  const grow = () => {
    cap *= 2;
    const l = new Int32Array(cap);
    l.set(lineCount);
    lineCount = l;
    const u = new Float64Array(cap);
    u.set(units);
    units = u;
    const r = new Float64Array(cap);
    r.set(revenue);
    revenue = r;
    const c = new Float64Array(cap);
    c.set(costSum);
    costSum = c;
  };
  const firstName = fields[0];
  const secondName = fields[1];
  for (let start = 0; start < n; start += CHUNK) {
    if (options.signal?.aborted) throw cancelled();
    const end = Math.min(n, start + CHUNK);
    for (let i = start; i < end; i++) {
      const a = first.codes[i];
      const b = second === undefined ? 0 : second.codes[i];
      const q = qty[i];
      const r = rev === undefined ? 0 : rev[i];
      const c = cost === undefined ? 0 : cost[i];
      if (!(a >= 0 && a < first.count) || (second !== undefined && !(b >= 0 && b < second.count)) || !(q >= 0 && q < Infinity) || !(r >= 0 && r < Infinity) || !(c >= 0 && c < Infinity) || (orderId !== undefined && !(orderId[i] >= 0))) {
        lineKey[i] = -1;
        issues.set(i, lineProblem(lines, i, a, first.count, firstName, b, second?.count ?? 0, secondName));
        continue;
      }
      let k: number;
      if (remap !== undefined) {
        k = remap[a];
        if (k < 0) k = remap[a] = keyCount++;
      } else {
        k = pairs!.code(a, b);
        if (k === keyCount) keyCount++;
      }
      if (k >= cap) grow();
      lineKey[i] = k;
      lineCount[k]++;
      units[k] += q;
      revenue[k] += r;
      costSum[k] += c;
    }
    options.onProgress?.(end, n);
  }

  const keySku = new Int32Array(fields.includes("sku") ? keyCount : 0);
  const keyCustomer = new Int32Array(fields.includes("customer") ? keyCount : 0);
  const keyChannel = new Int32Array(fields.includes("channel") ? keyCount : 0);
  const put = (field: "sku" | "customer" | "channel", k: number, code: number) => {
    if (field === "sku") keySku[k] = code;
    else if (field === "customer") keyCustomer[k] = code;
    else keyChannel[k] = code;
  };
  if (remap !== undefined) {
    for (let a = 0; a < remap.length; a++) if (remap[a] >= 0) put(fields[0], remap[a], a);
  } else {
    for (let k = 0; k < keyCount; k++) {
      put(fields[0], k, pairs!.firstOf[k]);
      put(fields[1], k, pairs!.secondOf[k]);
    }
  }

  const orders = new Int32Array(keyCount).fill(-1);
  if (orderId !== undefined) {
    orders.fill(0);
    const seen = new PairIndex(Math.min(n, 1 << 20));
    for (let i = 0; i < n; i++) {
      const k = lineKey[i];
      if (k < 0) continue;
      const before = seen.size;
      seen.code(k, orderId[i]);
      if (seen.size > before) orders[k]++;
    }
  }
  const margin = new Float64Array(keyCount);
  for (let k = 0; k < keyCount; k++) margin[k] = cost === undefined ? NaN : revenue[k] - costSum[k];
  return {
    dimension,
    keys: keyCount,
    keySku,
    keyCustomer,
    keyChannel,
    lineKey,
    lines: lineCount.slice(0, keyCount),
    orders,
    units: units.slice(0, keyCount),
    revenue: revenue.slice(0, keyCount),
    cost: cost === undefined ? new Float64Array(keyCount).fill(NaN) : costSum.slice(0, keyCount),
    margin,
    issues,
  };
}

/** Same shape as the pane's abort errors (name "AbortError"), so isAbortError recognises it. */
function cancelled(): Error {
  const e = new Error("The aggregation was cancelled.");
  e.name = "AbortError";
  return e;
}

function lineProblem(lines: OrderLines, i: number, a: number, na: number, fa: string, b: number, nb: number, fb: string | undefined): CellError {
  if (!(a >= 0 && a < na)) return cellError(`line ${i + 1}: ${fa} is blank or unknown`);
  if (fb !== undefined && !(b >= 0 && b < nb)) return cellError(`line ${i + 1}: ${fb} is blank or unknown`);
  const num = (name: string, x: number | undefined) => (x === undefined ? "" : !Number.isFinite(x) ? `line ${i + 1}: ${name} ${x} is not a finite number` : x < 0 ? `line ${i + 1}: ${name} ${x} is negative` : "");
  const m = num("quantity", lines.quantity[i]) || num("revenue", lines.revenue?.[i]) || num("cost", lines.cost?.[i]);
  if (m) return cellError(m);
  return cellError(`line ${i + 1}: order id is blank`);
}

/** "SKU", "customer", or "SKU × customer" label of key k. */
export function dimensionKeyLabel(agg: DimensionAggregate, lines: OrderLines, k: number): string {
  const parts: string[] = [];
  for (const f of DIMENSION_INFO[agg.dimension].keyFields) {
    if (f === "sku") parts.push(lines.skuKeys![agg.keySku[k]]);
    else if (f === "customer") parts.push(lines.customerKeys![agg.keyCustomer[k]]);
    else parts.push(lines.channelKeys![agg.keyChannel[k]]);
  }
  return parts.join(" × ");
}

/** The criterion column of an aggregate, for classifyCriterion / weightedScore. */
export function aggregateCriterion(agg: DimensionAggregate, criterion: "value" | "revenue" | "margin" | "units" | "orderLines" | "orders"): Float64Array {
  switch (criterion) {
    case "value":
    case "revenue":
      return agg.revenue;
    case "margin":
      if (agg.keys > 0 && Number.isNaN(agg.margin[0])) throw new ArgumentError("cost", "margin needs a cost column: map the Cost of goods column");
      return agg.margin;
    case "units":
      return agg.units;
    case "orderLines":
      return Float64Array.from(agg.lines);
    case "orders":
      if (agg.keys > 0 && agg.orders[0] < 0) throw new ArgumentError("orderId", "orders need an order id column: map the Order id column");
      return Float64Array.from(agg.orders);
    default:
      throw new ArgumentError("criterion", `unknown criterion "${String(criterion)}"`);
  }
}
