/**
 * The batch classification job behind `seg classify`: aggregate rows (from DuckDB, PostgreSQL or
 * the TypeScript bucketing of a transactions file) are read in chunks, gathered per partition,
 * and each partition is finished by the engine (ABC on value, XYZ and pattern from the aggregates,
 * segment, per-SKU policy) with its own model layer, then written out as CSV rows. Partitions
 * arrive one after the other (the SQL orders by part), so only one partition is held at a time.
 *
 * Conventions are the pane's: ABC on annual value (value per period × periodsPerYear), cut-offs
 * and tolerance of src/engine/abc.ts; XYZ population sd over all P periods (zeros included);
 * Syntetos–Boylan ADI/CV²; policy rules of skuPolicy (src/engine/policy.ts). Without a value or
 * unit cost column, ABC ranks by annual quantity (said in the run notes).
 */
import { classifyAbc } from "../engine/abc";
import { aggregateStats, allocAggregates, ORDER_QTY_SOURCES, skuPolicyColumns, type DemandAggregates } from "../engine/aggregates";
import { cellError, type CellError } from "../engine/errors";
import { PATTERN_LABELS } from "../engine/pattern";
import { SEGMENTS } from "../engine/policy";
import { XYZ_LABELS } from "../engine/xyz";
import type { ResolvedModel } from "./model";

/** Float columns of an aggregate chunk (names of src/cli/sql.ts AGGREGATE_COLUMNS). */
export const AGG_NUMERIC = ["n_rows", "qty_sum", "qty_var", "nz_count", "nz_sum", "nz_var", "first_nz", "last_nz", "neg_rows", "value_sum", "unit_cost", "lead_time", "lead_time_sd", "order_qty"] as const;
export type AggNumeric = (typeof AGG_NUMERIC)[number];

export interface AggregateChunk {
  rows: number;
  part: string[];
  sku: string[];
  location: string[];
  /** NULL is NaN. */
  num: Record<AggNumeric, Float64Array>;
}

export interface AggregateSource {
  /** Periods in the grid (P), the same for every key. */
  periods: number;
  /** Label of the first and last period (for the output notes). */
  periodRange: string;
  chunks(): AsyncIterable<AggregateChunk>;
}

export const OUTPUT_COLUMNS = [
  "part",
  "sku",
  "location",
  "value",
  "cumShare",
  "abc",
  "demandMean",
  "demandSd",
  "cv",
  "xyz",
  "adi",
  "cv2",
  "demandInterval",
  "pattern",
  "segment",
  "serviceLevel",
  "method",
  "leadTime",
  "safetyStock",
  "reorderPoint",
  "min",
  "max",
  "orderQty",
  "orderQtySource",
  "note",
  "modelVersion",
] as const;

export interface RowSink {
  /** One CSV-ready row (OUTPUT_COLUMNS order); may wait for the writer to drain. */
  write(row: (string | number)[]): void | Promise<void>;
}

export interface PartitionSummary {
  part: string;
  skus: number;
  segments: Record<string, number>;
  invalid: number;
  valueBasis: "value" | "quantity";
}

export interface ClassifyRunOptions {
  resolve(part: string): ResolvedModel;
  modelVersion: string;
  onProgress?: (keys: number) => void;
  signal?: { aborted: boolean };
  /** Called per partition with its finished columns (used by --publish). */
  onPartition?: (p: FinishedPartition) => void;
}

export interface FinishedPartition {
  part: string;
  sku: string[];
  location: string[];
  value: Float64Array;
  cumShare: Float64Array;
  abc: string[];
  xyz: string[];
  pattern: string[];
  segment: string[];
  cv: Float64Array;
  adi: Float64Array;
  cv2: Float64Array;
  demandMean: Float64Array;
  demandSd: Float64Array;
  serviceLevel: Float64Array;
  leadTime: Float64Array;
  safetyStock: Float64Array;
  reorderPoint: Float64Array;
  orderQty: Float64Array;
  notes: Map<number, string>;
}

/** One partition's rows, appended into growable columns (×1.5), so that chunks are not kept. */
class PartBuffer {
  part = "";
  sku: string[] = [];
  location: string[] = [];
  n = 0;
  private cap = 0;
  private cols = {} as Record<AggNumeric, Float64Array>;
  add(c: AggregateChunk, from: number, to: number) {
    const m = to - from;
    if (this.n + m > this.cap) {
      const cap = Math.max(this.n + m, Math.ceil(this.cap * 1.5), 1024);
      for (const k of AGG_NUMERIC) {
        const next = new Float64Array(cap);
        if (this.cap) next.set(this.cols[k].subarray(0, this.n));
        this.cols[k] = next;
      }
      this.cap = cap;
    }
    for (const k of AGG_NUMERIC) this.cols[k].set(c.num[k].subarray(from, to), this.n);
    for (let i = from; i < to; i++) {
      this.sku.push(c.sku[i]);
      this.location.push(c.location[i]);
    }
    this.n += m;
  }
  column(name: AggNumeric): Float64Array {
    return this.cols[name].subarray(0, this.n);
  }
}

const fmt = (x: number) => (x === x ? x : "");

/** Runs the job over a source, writing one row per key. Returns a summary per partition. */
export async function classifyAggregates(source: AggregateSource, sink: RowSink, run: ClassifyRunOptions): Promise<PartitionSummary[]> {
  const summaries: PartitionSummary[] = [];
  let buf: PartBuffer | null = null;
  let keys = 0;
  for await (const c of source.chunks()) {
    if (run.signal?.aborted) {
      const e = new Error("classification was cancelled");
      e.name = "AbortError";
      throw e;
    }
    let i = 0;
    while (i < c.rows) {
      if (buf === null) {
        buf = new PartBuffer();
        buf.part = c.part[i];
      }
      let j = i;
      while (j < c.rows && c.part[j] === buf.part) j++;
      buf.add(c, i, j);
      if (j < c.rows) {
        summaries.push(await finishPartition(buf, source.periods, sink, run));
        buf = null;
      }
      i = j;
    }
    keys += c.rows;
    run.onProgress?.(keys);
  }
  if (buf !== null && buf.n > 0) summaries.push(await finishPartition(buf, source.periods, sink, run));
  return summaries;
}

async function finishPartition(buf: PartBuffer, P: number, sink: RowSink, run: ClassifyRunOptions): Promise<PartitionSummary> {
  const model = run.resolve(buf.part);
  const o = model.options;
  const n = buf.n;
  const agg: DemandAggregates = allocAggregates(0, P);
  agg.n = n;
  agg.rows = buf.column("n_rows");
  agg.sum = buf.column("qty_sum");
  agg.varPop = buf.column("qty_var");
  agg.nzCount = buf.column("nz_count");
  agg.nzSum = buf.column("nz_sum");
  agg.nzVarPop = buf.column("nz_var");
  agg.firstNz = buf.column("first_nz");
  agg.lastNz = buf.column("last_nz");
  const neg = buf.column("neg_rows");
  const valueSum = buf.column("value_sum");
  const unitCost = buf.column("unit_cost");
  const leadTime = buf.column("lead_time");
  const leadTimeSd = buf.column("lead_time_sd");
  const orderQty = buf.column("order_qty");
  const stats = aggregateStats(agg, { sdType: o.sdType, xMax: o.xyzCutoffs[0], yMax: o.xyzCutoffs[1], adiCutoff: o.pattern.adi, cv2Cutoff: o.pattern.cv2 });
  for (let i = 0; i < n; i++) if (neg[i] > 0) stats.invalid.set(i, `${neg[i]} period rows with a negative quantity: net returns into their periods first (or classify the transactions file)`);

  // ABC value: annual value, or annual quantity when the file has no value information at all
  let anyValue = false;
  for (let i = 0; i < n && !anyValue; i++) anyValue = valueSum[i] === valueSum[i];
  const valueBasis = anyValue ? "value" : "quantity";
  const perYear = o.periodsPerYear / P;
  const value = new Float64Array(n);
  const issues = new Map<number, CellError>();
  for (let i = 0; i < n; i++) {
    const bad = stats.invalid.get(i);
    if (bad) issues.set(i, cellError(bad));
    const v = anyValue ? valueSum[i] : agg.sum[i];
    value[i] = v === v ? v * perYear : Number.NaN;
    if (v !== v && !bad) issues.set(i, cellError("no value: the key has no value or unit_cost on its rows"));
  }
  const abc = classifyAbc(value, { cutoffs: o.abcCutoffs, labels: ["A", "B", "C"], issues });
  const segIndex = new Int32Array(n);
  const segment = new Array<string>(n);
  const abcL = new Array<string>(n);
  const xyzL = new Array<string>(n);
  const patL = new Array<string>(n);
  const counts: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const a = abc.abc[i] >= 0 ? abc.labels[abc.abc[i]] : "";
    const x = stats.xyz[i] >= 0 ? XYZ_LABELS[stats.xyz[i]] : "";
    abcL[i] = a;
    xyzL[i] = x;
    patL[i] = stats.pattern[i] >= 0 ? PATTERN_LABELS[stats.pattern[i]] : "";
    const s = a && x ? a + x : "";
    segment[i] = s;
    segIndex[i] = s ? SEGMENTS.indexOf(s) : -1;
    counts[s || "(none)"] = (counts[s || "(none)"] ?? 0) + 1;
  }
  const pol = skuPolicyColumns(
    { n, segment: segIndex, demandMean: stats.demandMean, demandSd: stats.demandSd, leadTime, leadTimeSd, orderQty, unitCost },
    model.grid,
    model.policyOptions,
  );
  const serviceLevel = new Float64Array(n);
  const lt = new Float64Array(n);
  const row = new Array<string | number>(OUTPUT_COLUMNS.length);
  for (let i = 0; i < n; i++) {
    const g = segIndex[i] >= 0 ? model.grid[segIndex[i]] : null;
    serviceLevel[i] = g ? g.serviceLevel : Number.NaN;
    lt[i] = g ? (leadTime[i] === leadTime[i] ? leadTime[i] : model.policyOptions.defaultLeadTime) : Number.NaN;
    const note = [abc.issues.get(i)?.message, stats.invalid.has(i) ? undefined : pol.notes.get(i)].filter(Boolean).join("; ");
    row[0] = buf.part;
    row[1] = buf.sku[i];
    row[2] = buf.location[i];
    row[3] = fmt(value[i]);
    row[4] = fmt(abc.cumShare[i]);
    row[5] = abcL[i];
    row[6] = fmt(stats.demandMean[i]);
    row[7] = fmt(stats.demandSd[i]);
    row[8] = fmt(stats.cv[i]);
    row[9] = xyzL[i];
    row[10] = fmt(stats.adi[i]);
    row[11] = fmt(stats.cv2[i]);
    row[12] = fmt(stats.demandInterval[i]);
    row[13] = patL[i];
    row[14] = segment[i];
    row[15] = g ? g.serviceLevel : "";
    row[16] = g ? g.method : "";
    row[17] = fmt(lt[i]);
    row[18] = fmt(pol.safetyStock[i]);
    row[19] = fmt(pol.reorderPoint[i]);
    row[20] = fmt(pol.min[i]);
    row[21] = fmt(pol.max[i]);
    row[22] = fmt(pol.orderQty[i]);
    row[23] = pol.orderQtySource[i] >= 0 ? ORDER_QTY_SOURCES[pol.orderQtySource[i]] : "";
    row[24] = note;
    row[25] = run.modelVersion;
    const w = sink.write(row);
    if (w) await w;
  }
  run.onPartition?.({
    part: buf.part,
    sku: buf.sku,
    location: buf.location,
    value,
    cumShare: abc.cumShare,
    abc: abcL,
    xyz: xyzL,
    pattern: patL,
    segment,
    cv: stats.cv,
    adi: stats.adi,
    cv2: stats.cv2,
    demandMean: stats.demandMean,
    demandSd: stats.demandSd,
    serviceLevel,
    leadTime: lt,
    safetyStock: pol.safetyStock,
    reorderPoint: pol.reorderPoint,
    orderQty: pol.orderQty,
    notes: pol.notes,
  });
  return { part: buf.part, skus: n, segments: counts, invalid: stats.invalid.size, valueBasis };
}

/** Aggregate chunks from a dense history (the transactions path): one chunk per partition. */
export function historyChunk(part: string, sku: string[], location: string[], agg: DemandAggregates, extra: Partial<Record<AggNumeric, Float64Array>> = {}): AggregateChunk {
  const n = agg.n;
  const nan = () => new Float64Array(n).fill(Number.NaN);
  return {
    rows: n,
    part: new Array<string>(n).fill(part),
    sku,
    location,
    num: {
      n_rows: agg.rows,
      qty_sum: agg.sum,
      qty_var: agg.varPop,
      nz_count: agg.nzCount,
      nz_sum: agg.nzSum,
      nz_var: agg.nzVarPop,
      first_nz: agg.firstNz,
      last_nz: agg.lastNz,
      neg_rows: new Float64Array(n),
      value_sum: extra.value_sum ?? nan(),
      unit_cost: extra.unit_cost ?? nan(),
      lead_time: extra.lead_time ?? nan(),
      lead_time_sd: extra.lead_time_sd ?? nan(),
      order_qty: extra.order_qty ?? nan(),
    },
  };
}
