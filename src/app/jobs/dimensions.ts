/**
 * The dimensions job: order lines (the mapped columns of the range the planner selected) → one row
 * per key of the chosen dimension, ranked by the chosen criterion, with carbon, cost-to-serve per
 * segment, the customers' classes and the per-SKU figures the execution rules need. Pure and
 * synchronous (it runs in the pane's Web Worker); progress and cancel between chunks.
 *
 * Reading the lines (the pane's rule, like the SKU table's): a line is rejected, with its cell named,
 * when a key the dimension needs is blank, the order id is blank (when mapped), the quantity is
 * blank, text or negative, or a mapped revenue / cost is blank, text or negative. A blank shipment,
 * handling or transport cost is 0. Carbon cells: blank = not given (the key's carbon is then
 * undefined unless the freight data gives it); text or negative rejects the line. Attribute
 * columns (production line, constraint minutes) never reject a line: the first readable value of
 * each SKU is used.
 * Every formula is the engine's: aggregateOrderLines, classifyCriterion, weightedScore,
 * twoAxisAbc, carbonColumns / classifyCarbon, costToServe (src/engine).
 */
import { CARBON_TIERS, carbonColumns } from "../../engine/carbon";
import { costToServe, type CostToServeInput } from "../../engine/costToServe";
import { classifyCriterion, twoAxisAbc, weightedScore, type AxisInput, type CriterionOptions, type CriterionResult } from "../../engine/criteria";
import { aggregateOrderLines, DIMENSION_INFO, type DimensionAggregate, type OrderLines } from "../../engine/dimensions";
import { ArgumentError, isCellError } from "../../engine/errors";
import { encodeKeys } from "../../engine/keys";
import { readNumber } from "../../engine/cells";
import { SEGMENTS } from "../../engine/policy";
import { sheetCell } from "../a1";
import {
  CRITERION_LABELS,
  criteriaUsed,
  isDefaultPath,
  MAX_REJECTIONS,
  type AxisCriterion,
  type ClassSummary,
  type DimensionJob,
  type DimensionRunResult,
  type DimensionSettings,
  type LineRejection,
  type SegmentCarbon,
} from "../dimensionTypes";
import { ORDER_LINE_COLUMN_LABELS, type OrderLineColumn } from "../orderLines";
import { jobCancelled, QUIET_JOB, type JobContext } from "./types";

const CHUNK = 1 << 16;
const BLANK_KEY = { sku: "the SKU id is blank", customer: "the customer id is blank", channel: "the channel is blank" } as const;

function isBlank(c: unknown): boolean {
  return c === null || c === undefined || (typeof c === "string" && c.trim() === "");
}

function text(c: unknown): string {
  return typeof c === "string" ? c.trim() : c === null || c === undefined ? "" : String(c);
}

/** Sum of a per-line value per key (NaN when a line of the key has NaN). */
function sumByKey(lineKey: Int32Array, values: Float64Array, keys: number): Float64Array {
  const out = new Float64Array(keys);
  for (let i = 0; i < lineKey.length; i++) {
    const k = lineKey[i];
    if (k >= 0) out[k] += values[i];
  }
  return out;
}

interface Ranked {
  keyClass: string[];
  keyIssue: string[];
  value: Float64Array;
  cumShare: Float64Array;
  classes: ClassSummary[];
  second: DimensionRunResult["second"];
  notes: string[];
}

function axisColumn(agg: DimensionAggregate, c: AxisCriterion, emissions: Float64Array | null): Float64Array {
  switch (c) {
    case "value":
      return agg.revenue;
    case "margin":
      return agg.margin;
    case "units":
      return agg.units;
    case "orderLines":
      return Float64Array.from(agg.lines);
    case "carbon":
      if (!emissions) throw new ArgumentError("carbonPerUnit", "carbon needs a Carbon per unit column, or Weight, Freight distance and Freight mode: map them");
      return emissions;
  }
}

function axisOptions(c: AxisCriterion, cutoffs: readonly number[]): CriterionOptions {
  if (c === "carbon") return { cutoffs, labels: [...CARBON_TIERS] };
  if (c === "margin") return { cutoffs, negative: "loss" };
  return { cutoffs };
}

function summarise(r: CriterionResult, keys: number): ClassSummary[] {
  const count = new Array<number>(r.labels.length).fill(0);
  const share = new Array<number>(r.labels.length).fill(0);
  for (let k = 0; k < keys; k++) {
    const c = r.abc[k];
    if (c < 0) continue;
    count[c]++;
    if (c !== r.lossClass) share[c] += r.share[k];
  }
  return r.labels.map((label, c) => ({ label, keys: count[c], share: c === r.lossClass ? Number.NaN : share[c] }));
}

function fromResult(r: CriterionResult, value: Float64Array, keys: number, what: string): Pick<Ranked, "keyClass" | "keyIssue" | "value" | "cumShare" | "classes"> {
  const keyClass = new Array<string>(keys);
  const keyIssue = new Array<string>(keys).fill("");
  for (let k = 0; k < keys; k++) {
    const c = r.abc[k];
    keyClass[k] = c >= 0 ? r.labels[c] : "";
    if (c < 0) keyIssue[k] = `${what}: ${r.issues.get(k)?.message ?? "not ranked"}`;
  }
  return { keyClass, keyIssue, value, cumShare: r.cumShare, classes: summarise(r, keys) };
}

/** Ranks the keys of an aggregate by the chosen criterion. */
function rankKeys(agg: DimensionAggregate, emissions: Float64Array | null, s: DimensionSettings, abcCutoffs: readonly number[]): Ranked {
  const keys = agg.keys;
  if (s.criterion === "score") {
    const used = criteriaUsed(s);
    const w = weightedScore(
      used.map((c) => ({ name: c, values: axisColumn(agg, c, emissions), weight: s.weights[c] })),
      { normalisation: s.normalisation },
    );
    const r = classifyCriterion(w.score, { cutoffs: abcCutoffs, issues: w.issues });
    return { ...fromResult(r, w.score, keys, "score"), second: null, notes: w.notes };
  }
  if (s.criterion === "twoAxis") {
    const [a, b] = s.axes;
    const x: AxisInput = { name: a, values: axisColumn(agg, a, emissions), options: axisOptions(a, abcCutoffs) };
    const y: AxisInput = { name: b, values: axisColumn(agg, b, emissions), options: axisOptions(b, s.secondCutoffs) };
    const t = twoAxisAbc(x, y);
    const first = fromResult(t.x, x.values as Float64Array, keys, a);
    const secondRanked = fromResult(t.y, y.values as Float64Array, keys, b);
    const keyClass = new Array<string>(keys);
    const keyIssue = new Array<string>(keys).fill("");
    for (let k = 0; k < keys; k++) {
      const c = t.cell[k];
      keyClass[k] = c >= 0 ? t.labels[c] : "";
      if (c < 0) keyIssue[k] = t.issues.get(k)?.message ?? "not ranked";
    }
    const classes = t.grid.map((g) => ({ label: g.cell, keys: g.count, share: g.xShare }));
    return {
      keyClass,
      keyIssue,
      value: first.value,
      cumShare: first.cumShare,
      classes,
      second: { criterion: b, value: secondRanked.value, cumShare: secondRanked.cumShare, keyClass: secondRanked.keyClass, grid: t.grid, xLabels: [...t.x.labels], yLabels: [...t.y.labels] },
      notes: [],
    };
  }
  const c = s.criterion;
  const value = axisColumn(agg, c, emissions);
  const r = classifyCriterion(value, axisOptions(c, c === "carbon" ? s.carbonCutoffs : abcCutoffs));
  const notes = r.lossRows ? [`${r.lossRows} loss-making key(s) (margin below 0) are in class L, outside the ranking and its total.`] : [];
  return { ...fromResult(r, value, keys, CRITERION_LABELS[c].toLowerCase()), second: null, notes };
}

export function computeDimensions(job: DimensionJob, ctx: JobContext = QUIET_JOB): DimensionRunResult {
  const t0 = Date.now();
  const { lines: L, settings: s } = job;
  const n = L.rows;
  const info = DIMENSION_INFO[s.dimension];
  const col = L.columns;
  const has = (f: OrderLineColumn) => col[f] !== undefined;
  for (const f of info.required) {
    if (!has(f)) throw new ArgumentError(f, `the ${info.label} dimension needs the ${ORDER_LINE_COLUMN_LABELS[f]} column: map it`);
  }
  for (const c of criteriaUsed(s)) {
    const need = c === "value" ? ["revenue"] : c === "margin" ? ["revenue", "cost"] : [];
    for (const f of need as OrderLineColumn[]) if (!has(f)) throw new ArgumentError(f, `${CRITERION_LABELS[c]} needs the ${ORDER_LINE_COLUMN_LABELS[f]} column: map it`);
  }
  const addr = (i: number, f: OrderLineColumn) => sheetCell(L.sheetName, L.sheetRow[i], L.columnOf[f] ?? 0);
  const rejected: LineRejection[] = [];
  let rejectedCount = 0;
  const bad = new Uint8Array(n);
  const reject = (i: number, f: OrderLineColumn, message: string) => {
    if (bad[i]) return;
    bad[i] = 1;
    rejectedCount++;
    if (rejected.length < MAX_REJECTIONS) rejected.push({ row: L.sheetRow[i], message: `${addr(i, f)}: ${message}` });
  };
  const total = n * 3 + 1;
  ctx.progress(0, total, "Reading the order lines");

  // Keys as codes; numbers as columns.
  const keyFields = ["sku", "customer", "channel", "orderId", "shipmentId", "freightMode"] as const;
  const codes: Partial<Record<(typeof keyFields)[number], ReturnType<typeof encodeKeys>>> = {};
  for (const f of keyFields) if (has(f)) codes[f] = encodeKeys(col[f]!, f);
  const numbers: Partial<Record<OrderLineColumn, Float64Array>> = {};
  const mustHave = new Set<OrderLineColumn>(["quantity", "revenue", "cost"]);
  const zeroWhenBlank = new Set<OrderLineColumn>(["shipmentCost", "handlingCost", "transportCost"]);
  const lenient = new Set<OrderLineColumn>(["constraintTime"]);
  const numeric = (["quantity", "revenue", "cost", "shipmentCost", "handlingCost", "transportCost", "carbonPerUnit", "weightKg", "distanceKm", "constraintTime"] as const).filter(has);
  for (const f of numeric) numbers[f] = new Float64Array(n);
  const required = info.keyFields as ("sku" | "customer" | "channel")[];
  for (let start = 0; start < n; start += CHUNK) {
    if (ctx.aborted) throw jobCancelled();
    const end = Math.min(n, start + CHUNK);
    for (let i = start; i < end; i++) {
      for (const f of required) {
        if (codes[f]!.codes[i] < 0) reject(i, f, BLANK_KEY[f]);
      }
      if (codes.orderId && codes.orderId.codes[i] < 0) reject(i, "orderId", "the order id is blank");
      for (const f of numeric) {
        const cell = col[f]![i];
        const out = numbers[f]!;
        if (isBlank(cell)) {
          if (mustHave.has(f)) reject(i, f, `${ORDER_LINE_COLUMN_LABELS[f].replace(/ \(.*\)$/, "").toLowerCase()} is blank`);
          out[i] = zeroWhenBlank.has(f) ? 0 : Number.NaN;
          continue;
        }
        const v = readNumber(cell, "reject");
        if (isCellError(v) || v < 0) {
          out[i] = Number.NaN;
          if (!lenient.has(f)) reject(i, f, isCellError(v) ? v.message : `negative value ${v}`);
          continue;
        }
        out[i] = v;
      }
    }
    ctx.progress(end, total, "Reading the order lines");
  }

  const quantity = numbers.quantity!;
  const q = Float64Array.from(quantity);
  for (let i = 0; i < n; i++) if (bad[i]) q[i] = Number.NaN;
  const engineLines: OrderLines = {
    rows: n,
    quantity: q,
    revenue: numbers.revenue,
    cost: numbers.cost,
    sku: codes.sku?.codes,
    skuKeys: codes.sku?.keys,
    customer: codes.customer?.codes,
    customerKeys: codes.customer?.keys,
    channel: codes.channel?.codes,
    channelKeys: codes.channel?.keys,
    orderId: codes.orderId?.codes,
  };
  const agg = aggregateOrderLines(engineLines, s.dimension, {
    signal: ctx,
    onProgress: (done) => ctx.progress(n + done, total, `Adding up per ${info.label.toLowerCase()}`),
  });
  for (const [i, e] of agg.issues) {
    if (bad[i]) continue;
    bad[i] = 1;
    rejectedCount++;
    if (rejected.length < MAX_REJECTIONS) rejected.push({ row: L.sheetRow[i], message: `${L.sheetName} row ${L.sheetRow[i] + 1}: ${e.message.replace(/^line \d+: /, "")}` });
  }
  rejected.sort((a, b) => a.row - b.row);
  if (ctx.aborted) throw jobCancelled();
  ctx.progress(2 * n, total, "Ranking");

  // Carbon per line, then per key.
  const notes: string[] = [];
  const transport = has("weightKg") && has("distanceKm") && has("freightMode");
  let lineEmissions: Float64Array | null = null;
  if (has("carbonPerUnit") || transport) {
    const c = carbonColumns({
      units: q.map((x) => (Number.isNaN(x) ? 0 : x)),
      carbonPerUnit: numbers.carbonPerUnit ?? new Float64Array(n).fill(Number.NaN),
      weightKg: numbers.weightKg,
      distanceKm: numbers.distanceKm,
      mode: transport ? col.freightMode!.map(text) : undefined,
      factors: s.factors,
    });
    lineEmissions = c.emissions;
    let missing = 0;
    for (const [i] of c.issues) if (!bad[i]) missing++;
    if (missing) notes.push(`${missing} order line(s) have no usable carbon data (first: ${sheetCell(L.sheetName, L.sheetRow[[...c.issues.keys()].find((i) => !bad[i])!], L.columnOf.carbonPerUnit ?? L.columnOf.freightMode ?? 0)}: ${[...c.issues].find(([i]) => !bad[i])![1].message}); the carbon of their keys is undefined.`);
  }
  const emissions = lineEmissions ? sumByKey(agg.lineKey, lineEmissions, agg.keys) : null;

  const ranked = rankKeys(agg, emissions, s, job.abcCutoffs);
  notes.push(...ranked.notes);
  const unranked = ranked.keyIssue.filter(Boolean).length;
  if (unranked) notes.push(`${unranked} key(s) could not be ranked (first: ${ranked.keyIssue.find(Boolean)}).`);

  let carbon: DimensionRunResult["carbon"] = null;
  if (emissions) {
    const r = classifyCriterion(emissions, { cutoffs: s.carbonCutoffs, labels: [...CARBON_TIERS] });
    carbon = { emissions, tier: Array.from(r.abc, (c) => (c >= 0 ? r.labels[c] : "")), issues: r.issues.size };
  }

  // Key labels.
  const skuKeys = codes.sku?.keys ?? [];
  const custKeys = codes.customer?.keys ?? [];
  const chanKeys = codes.channel?.keys ?? [];
  const fields = info.keyFields;
  const keySku = fields.includes("sku") ? Array.from(agg.keySku, (c) => skuKeys[c]) : new Array<string>(agg.keys).fill("");
  const keyCustomer = fields.includes("customer") ? Array.from(agg.keyCustomer, (c) => custKeys[c]) : new Array<string>(agg.keys).fill("");
  const keyChannel = fields.includes("channel") ? Array.from(agg.keyChannel, (c) => chanKeys[c]) : new Array<string>(agg.keys).fill("");

  // Per SKU (execution inputs), indexed by SKU code.
  const m = skuKeys.length;
  const perSku = { lines: new Int32Array(m), units: new Float64Array(m), revenue: new Float64Array(m).fill(Number.NaN), cost: new Float64Array(m).fill(Number.NaN), productionLine: new Array<string>(m).fill(""), constraintTime: new Float64Array(m).fill(Number.NaN) };
  if (codes.sku) {
    const bySku = s.dimension === "product" ? agg : aggregateOrderLines(engineLines, "product", { signal: ctx });
    for (let k = 0; k < bySku.keys; k++) {
      const c = bySku.keySku[k];
      perSku.lines[c] = bySku.lines[k];
      perSku.units[c] = bySku.units[k];
      if (numbers.revenue) perSku.revenue[c] = bySku.revenue[k];
      if (numbers.cost) perSku.cost[c] = bySku.cost[k];
    }
    const lineCells = has("productionLine") ? col.productionLine! : null;
    const minutes = numbers.constraintTime;
    if (lineCells || minutes) {
      const sc = codes.sku.codes;
      for (let i = 0; i < n; i++) {
        const c = sc[i];
        if (c < 0) continue;
        if (lineCells && perSku.productionLine[c] === "") perSku.productionLine[c] = text(lineCells[i]);
        if (minutes && Number.isNaN(perSku.constraintTime[c]) && minutes[i] > 0) perSku.constraintTime[c] = minutes[i];
      }
    }
  }

  // Customers: class (one letter, for execution rules) and tier.
  let customerClass: string[] | null = null;
  const customerTier = new Array<string>(custKeys.length).fill("");
  if (codes.customer) {
    const byCustomer = s.dimension === "customer" ? agg : aggregateOrderLines(engineLines, "customer", { signal: ctx });
    const custEmissions = lineEmissions ? sumByKey(byCustomer.lineKey, lineEmissions, byCustomer.keys) : null;
    // Carbon tiers are not a customer class: customers are then ranked by revenue (or units without revenue).
    const classSettings: DimensionSettings =
      s.criterion === "carbon" || (s.criterion === "twoAxis" && s.axes[0] === "carbon") ? { ...s, criterion: numbers.revenue ? "value" : "units" } : s.criterion === "twoAxis" ? { ...s, criterion: s.axes[0] } : s;
    const r = byCustomer === agg && classSettings === s && s.criterion !== "twoAxis" ? ranked : rankKeys(byCustomer, custEmissions, classSettings, job.abcCutoffs);
    customerClass = new Array<string>(custKeys.length).fill("");
    for (let k = 0; k < byCustomer.keys; k++) customerClass[byCustomer.keyCustomer[k]] = r.keyClass[k].charAt(0);
    if (has("customerTier")) {
      const tiers = col.customerTier!;
      const cc = codes.customer.codes;
      for (let i = 0; i < n; i++) {
        const c = cc[i];
        if (c >= 0 && !bad[i] && customerTier[c] === "") customerTier[c] = text(tiers[i]);
      }
    }
  }

  // Per line: SKU and customer codes of the accepted lines.
  const lineSku = new Int32Array(n).fill(-1);
  const lineCustomer = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    if (bad[i]) continue;
    if (codes.sku) lineSku[i] = codes.sku.codes[i];
    if (codes.customer) lineCustomer[i] = codes.customer.codes[i];
  }

  const costToServeResult = computeCostToServe(job, agg, ranked.keyClass, numbers, codes, bad, lineEmissions, notes);
  if (job.product && codes.sku) {
    const known = new Set(job.product.sku);
    let unknown = 0;
    for (const k of skuKeys) if (!known.has(k)) unknown++;
    if (unknown) notes.push(`${unknown} SKU(s) on the order lines are not in the classified SKU table: they have no product segment (no SLA floor, no execution row).`);
  }
  ctx.progress(total, total, "Ranking");
  return {
    dimension: s.dimension,
    criterion: s.criterion,
    linesRead: n,
    linesAccepted: n - rejectedCount,
    rejected,
    rejectedCount,
    keys: agg.keys,
    keySku,
    keyCustomer,
    keyChannel,
    lines: agg.lines,
    orders: agg.orders,
    units: agg.units,
    revenue: numbers.revenue ? agg.revenue : new Float64Array(agg.keys).fill(Number.NaN),
    cost: agg.cost,
    margin: agg.margin,
    criterionValue: ranked.value,
    cumShare: ranked.cumShare,
    keyClass: ranked.keyClass,
    keyIssue: ranked.keyIssue,
    second: ranked.second,
    classes: ranked.classes,
    carbon,
    costToServe: costToServeResult,
    customerClass,
    customerKeys: custKeys,
    customerTier,
    lineSku,
    lineCustomer,
    skuKeys,
    perSku,
    notes,
    ms: Date.now() - t0,
  };
}

/** Sorted segment labels: the nine ABC×XYZ first, then the others in text order. */
function segmentOrder(labels: Iterable<string>): string[] {
  const all = [...new Set(labels)].filter(Boolean);
  const nine = SEGMENTS.filter((x) => all.includes(x));
  return [...nine, ...all.filter((x) => !SEGMENTS.includes(x)).sort()];
}

function computeCostToServe(
  job: DimensionJob,
  agg: DimensionAggregate,
  keyClass: string[],
  numbers: Partial<Record<OrderLineColumn, Float64Array>>,
  codes: Partial<Record<string, { codes: Int32Array; keys: string[] }>>,
  bad: Uint8Array,
  lineEmissions: Float64Array | null,
  notes: string[],
): DimensionRunResult["costToServe"] {
  const s = job.settings;
  const n = job.lines.rows;
  const rates = s.rates;
  const anyCost = numbers.shipmentCost !== undefined || numbers.handlingCost !== undefined || numbers.transportCost !== undefined || rates.perLine > 0 || rates.perOrder > 0 || rates.perUnit > 0 || rates.perShipment > 0;
  if (!anyCost) return null;
  if (!numbers.revenue) {
    notes.push("Cost-to-serve needs the Revenue column to compare each segment's cost with its value: map it.");
    return null;
  }
  // Segments: the product run's planned segments (product by value), else the classes of this run.
  const byProduct = isDefaultPath(s) && job.product !== null && codes.sku !== undefined;
  const segmentOfLine = new Int32Array(n).fill(-1);
  let labels: string[];
  let basis: string;
  if (byProduct) {
    const segOf = new Map<string, string>();
    job.product!.sku.forEach((k, i) => segOf.set(k, job.product!.segment[i]));
    const skuSeg = codes.sku!.keys.map((k) => segOf.get(k) ?? "");
    labels = segmentOrder(skuSeg);
    const index = new Map(labels.map((l, i) => [l, i]));
    const sc = codes.sku!.codes;
    for (let i = 0; i < n; i++) if (!bad[i] && sc[i] >= 0) segmentOfLine[i] = index.get(skuSeg[sc[i]]) ?? -1;
    basis = "the planned segments (ABC × XYZ) of the classified SKU table";
  } else {
    labels = segmentOrder(keyClass);
    const index = new Map(labels.map((l, i) => [l, i]));
    const keySeg = keyClass.map((c) => index.get(c) ?? -1);
    for (let i = 0; i < n; i++) {
      const k = agg.lineKey[i];
      if (k >= 0) segmentOfLine[i] = keySeg[k];
    }
    basis = `the classes of the ${DIMENSION_INFO[s.dimension].label} segmentation by ${CRITERION_LABELS[s.criterion].toLowerCase()}`;
  }
  // A shipment's cost is the first value given on its lines.
  let shipmentCost: Float64Array | undefined;
  const ship = codes.shipmentId;
  if (numbers.shipmentCost && ship) {
    shipmentCost = new Float64Array(ship.keys.length).fill(Number.NaN);
    let disagree = 0;
    for (let i = 0; i < n; i++) {
      const c = ship.codes[i];
      if (c < 0 || bad[i]) continue;
      const v = numbers.shipmentCost[i];
      if (Number.isNaN(shipmentCost[c])) shipmentCost[c] = v;
      else if (v !== 0 && v !== shipmentCost[c]) disagree++;
    }
    for (let c = 0; c < shipmentCost.length; c++) if (Number.isNaN(shipmentCost[c])) shipmentCost[c] = 0;
    if (disagree) notes.push(`${disagree} order line(s) give a shipment cost that differs from the first line of the same shipment; the first line's cost was used.`);
  } else if (numbers.shipmentCost && !ship) {
    throw new ArgumentError("shipmentId", "shipment costs need the Shipment id column: map it");
  }
  const input: CostToServeInput = {
    rows: n,
    segmentOfLine,
    segmentLabels: labels,
    quantity: numbers.quantity!,
    revenue: numbers.revenue,
    cost: numbers.cost,
    orderId: codes.orderId?.codes,
    shipmentId: ship?.codes,
    shipmentCost,
    handlingCost: numbers.handlingCost,
    transportCost: numbers.transportCost,
    rates,
    threshold: s.threshold,
  };
  const result = costToServe(input);
  let carbon: SegmentCarbon[] | null = null;
  if (lineEmissions) {
    const e = new Float64Array(labels.length);
    let totalE = 0;
    for (let i = 0; i < n; i++) {
      const k = segmentOfLine[i];
      const v = lineEmissions[i];
      if (k >= 0 && Number.isFinite(v)) {
        e[k] += v;
        totalE += v;
      }
    }
    carbon = labels.map((segment, k) => ({ segment, emissions: e[k], share: totalE > 0 ? e[k] / totalE : Number.NaN }));
  }
  return { segments: result.segments, rule: result.rule, threshold: result.threshold, basis, carbon };
}
