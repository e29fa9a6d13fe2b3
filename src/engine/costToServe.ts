/**
 * Cost-to-serve per segment from order lines: the activity costs of getting the goods to the
 * customer (handling, transport, order processing), allocated to order lines and summed per
 * segment, then compared with the segment's value. Activity-based costing as in Braithwaite &
 * Samakh (1998, "The cost-to-serve method", Int. J. Logistics Management 9(1):69-84) and Kaplan &
 * Narayanan (2001, "Measuring and managing customer profitability", J. Cost Management 15(5)).
 *
 * Cost of one line = handlingCost_i + transportCost_i (per-line columns, money)
 *                  + perLine + perUnit × quantity_i (rates)
 *                  + perOrder / (lines of the line's order)               (the order's fixed cost,
 *                    split equally over its lines, so an order that spans two segments charges both)
 *                  + shipmentCost_s × quantity_i / (units of shipment s)  (a shipment's cost split
 *                    over its lines by quantity; equally by line when the shipment has 0 units)
 *                  + perShipment likewise, as a flat cost per shipment.
 * Per segment: costToServe = sum over its lines; ctsPerUnit = costToServe / units; ctsPerOrder =
 * costToServe / orders (distinct orders with a line in the segment); grossMargin = revenue − cost
 * of goods; marginAfterCts = grossMargin − costToServe.
 * Out of proportion (the flag): costShare / valueShare > threshold (default 1.5), where costShare
 * = the segment's share of all cost-to-serve and valueShare = its share of all revenue. A segment
 * with cost but no revenue has ratio +Infinity (flagged); with no cost-to-serve at all nothing is
 * flagged (ratio NaN).
 * Lines with segment -1 are left out (e.g. rejected rows). Non-finite or negative amounts on a
 * line reject that line (CellError); a bad shipment cost rejects every line of the shipment.
 */
import { ArgumentError, CellError, cellError } from "./errors";
import { PairIndex } from "./keys";

export const DEFAULT_DISPROPORTION_THRESHOLD = 1.5;

export interface CostRates {
  /** Money per order, split equally over the order's lines. */
  perOrder?: number;
  /** Money per order line. */
  perLine?: number;
  /** Money per unit shipped. */
  perUnit?: number;
  /** Money per shipment, split over its lines by quantity. */
  perShipment?: number;
}

export interface CostToServeInput {
  rows: number;
  /** Segment index per line into segmentLabels; -1 = not counted. */
  segmentOfLine: Int32Array;
  segmentLabels: readonly string[];
  quantity: Float64Array;
  revenue: Float64Array;
  /** Cost of goods per line (money); without it the margins are NaN. */
  cost?: Float64Array;
  /** Order code per line (>= 0); needed for perOrder and ctsPerOrder. */
  orderId?: Int32Array;
  /** Shipment code per line (>= 0, or -1 = not shipped yet); with shipmentCost (indexed by code) or rates.perShipment. */
  shipmentId?: Int32Array;
  shipmentCost?: Float64Array;
  handlingCost?: Float64Array;
  transportCost?: Float64Array;
  rates?: CostRates;
  /** costShare / valueShare above this flags the segment. Default 1.5. */
  threshold?: number;
}

export interface SegmentCostToServe {
  segment: string;
  lines: number;
  /** Distinct orders; NaN without an order column. */
  orders: number;
  units: number;
  revenue: number;
  costToServe: number;
  ctsPerUnit: number;
  ctsPerOrder: number;
  grossMargin: number;
  marginAfterCts: number;
  valueShare: number;
  costShare: number;
  /** costShare / valueShare. */
  ratio: number;
  outOfProportion: boolean;
}

export interface CostToServeResult {
  segments: SegmentCostToServe[];
  /** Cost-to-serve allocated to each line (NaN for rejected or uncounted lines). */
  lineCost: Float64Array;
  threshold: number;
  /** The rule in words, for the pane and the sheet note. */
  rule: string;
  issues: Map<number, CellError>;
}

function rate(name: string, x: number | undefined): number {
  if (x === undefined) return 0;
  if (!(Number.isFinite(x) && x >= 0)) throw new ArgumentError(`rates.${name}`, `must be a finite amount >= 0, got ${x}`);
  return x;
}

export function costToServe(input: CostToServeInput): CostToServeResult {
  const n = input.rows;
  for (const [name, col] of Object.entries({ segmentOfLine: input.segmentOfLine, quantity: input.quantity, revenue: input.revenue, cost: input.cost, orderId: input.orderId, shipmentId: input.shipmentId, handlingCost: input.handlingCost, transportCost: input.transportCost })) {
    if (col !== undefined && col.length !== n) throw new ArgumentError(name, `has ${col.length} rows but the order lines have ${n}`);
  }
  const threshold = input.threshold ?? DEFAULT_DISPROPORTION_THRESHOLD;
  if (!(Number.isFinite(threshold) && threshold > 0)) throw new ArgumentError("threshold", `must be a number above 0 (e.g. 1.5), got ${threshold}`);
  const perOrder = rate("perOrder", input.rates?.perOrder);
  const perLine = rate("perLine", input.rates?.perLine);
  const perUnit = rate("perUnit", input.rates?.perUnit);
  const perShipment = rate("perShipment", input.rates?.perShipment);
  const { segmentOfLine: seg, quantity: qty, revenue: rev, cost, orderId, shipmentId, shipmentCost, handlingCost, transportCost } = input;
  if (perOrder > 0 && orderId === undefined) throw new ArgumentError("orderId", "a cost per order needs the Order id column: map it");
  if ((shipmentCost !== undefined || perShipment > 0) && shipmentId === undefined) throw new ArgumentError("shipmentId", "shipment costs need the Shipment id column: map it");
  const k = input.segmentLabels.length;

  const issues = new Map<number, CellError>();
  const ok = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const s = seg[i];
    if (s < 0) continue;
    if (s >= k) throw new ArgumentError("segmentOfLine", `line ${i + 1} has segment ${s} but there are ${k} labels`);
    const bad =
      amount("quantity", qty[i]) ??
      amount("revenue", rev[i]) ??
      (cost ? amount("cost", cost[i]) : undefined) ??
      (handlingCost ? amount("handlingCost", handlingCost[i]) : undefined) ??
      (transportCost ? amount("transportCost", transportCost[i]) : undefined) ??
      (orderId && !(orderId[i] >= 0) ? "order id is blank" : undefined);
    if (bad) issues.set(i, cellError(`line ${i + 1}: ${bad}`));
    else ok[i] = 1;
  }
  // A bad shipment cost rejects the shipment's lines; then lines and units per order and shipment.
  if (shipmentId && shipmentCost !== undefined) {
    for (let i = 0; i < n; i++) {
      const s = shipmentId[i];
      if (ok[i] !== 1 || s < 0) continue;
      const bad = s >= shipmentCost.length ? `shipment ${s} has no cost` : amount("shipment cost", shipmentCost[s]);
      if (bad) {
        ok[i] = 0;
        issues.set(i, cellError(`line ${i + 1}: ${bad}`));
      }
    }
  }
  const orderLines = orderId ? countBy(orderId, ok, n) : undefined;
  let shipUnits: Float64Array | undefined;
  let shipLines: Int32Array | undefined;
  if (shipmentId) {
    shipLines = countBy(shipmentId, ok, n);
    shipUnits = new Float64Array(shipLines.length);
    for (let i = 0; i < n; i++) if (ok[i] === 1 && shipmentId[i] >= 0) shipUnits[shipmentId[i]] += qty[i];
  }

  const lineCost = new Float64Array(n).fill(NaN);
  const lines = new Float64Array(k);
  const units = new Float64Array(k);
  const revenue = new Float64Array(k);
  const cogs = new Float64Array(k);
  const cts = new Float64Array(k);
  const orders = new Float64Array(k);
  const seen = orderId ? new PairIndex(1024) : undefined;
  for (let i = 0; i < n; i++) {
    if (ok[i] !== 1) continue;
    const s = seg[i];
    const q = qty[i];
    let c = perLine + perUnit * q;
    if (handlingCost) c += handlingCost[i];
    if (transportCost) c += transportCost[i];
    if (orderId && perOrder > 0) c += perOrder / orderLines![orderId[i]];
    if (shipmentId && shipmentId[i] >= 0) {
      const sh = shipmentId[i];
      const part = shipUnits![sh] > 0 ? q / shipUnits![sh] : 1 / shipLines![sh];
      if (shipmentCost) c += shipmentCost[sh] * part;
      c += perShipment * part;
    }
    lineCost[i] = c;
    lines[s]++;
    units[s] += q;
    revenue[s] += rev[i];
    if (cost) cogs[s] += cost[i];
    cts[s] += c;
    if (seen) {
      const before = seen.size;
      seen.code(s, orderId![i]);
      if (seen.size > before) orders[s]++;
    }
  }
  let totalRevenue = 0;
  let totalCts = 0;
  for (let s = 0; s < k; s++) {
    totalRevenue += revenue[s];
    totalCts += cts[s];
  }
  const segments: SegmentCostToServe[] = [];
  for (let s = 0; s < k; s++) {
    const valueShare = totalRevenue > 0 ? revenue[s] / totalRevenue : NaN;
    const costShare = totalCts > 0 ? cts[s] / totalCts : NaN;
    const ratio = totalCts > 0 ? (valueShare > 0 ? costShare / valueShare : cts[s] > 0 ? Infinity : 0) : NaN;
    const grossMargin = cost ? revenue[s] - cogs[s] : NaN;
    segments.push({
      segment: input.segmentLabels[s],
      lines: lines[s],
      orders: orderId ? orders[s] : NaN,
      units: units[s],
      revenue: revenue[s],
      costToServe: cts[s],
      ctsPerUnit: units[s] > 0 ? cts[s] / units[s] : NaN,
      ctsPerOrder: orderId && orders[s] > 0 ? cts[s] / orders[s] : NaN,
      grossMargin,
      marginAfterCts: grossMargin - cts[s],
      valueShare,
      costShare,
      ratio,
      outOfProportion: ratio > threshold,
    });
  }
  const rule = `a segment is out of proportion when its share of cost-to-serve divided by its share of revenue is above ${threshold}`;
  return { segments, lineCost, threshold, rule, issues };
}

function amount(name: string, x: number): string | undefined {
  if (!Number.isFinite(x)) return `${name} ${x} is not a finite number`;
  if (x < 0) return `${name} ${x} is negative`;
  return undefined;
}

function countBy(codes: Int32Array, ok: Uint8Array, n: number): Int32Array {
  let max = -1;
  for (let i = 0; i < n; i++) if (ok[i] === 1 && codes[i] > max) max = codes[i];
  const out = new Int32Array(max + 1);
  for (let i = 0; i < n; i++) if (ok[i] === 1 && codes[i] >= 0) out[codes[i]]++;
  return out;
}
