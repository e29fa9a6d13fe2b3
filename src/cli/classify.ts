/**
 * The batch classification job behind `seg classify`: aggregate rows (from DuckDB, PostgreSQL or
 * the TypeScript bucketing of a transactions file) are read twice, in the same order, in chunks.
 *
 * Pass 1 reads only what ABC needs (partition, value sum, quantity sum and the counts that make a
 * key invalid) and keeps one value per key; ABC runs per partition (its own ranking and total).
 * Pass 2 reads every column again, chunk by chunk: XYZ and pattern from the aggregates, segment
 * from the ABC class of pass 1 and the XYZ class, the per-SKU policy with the partition's grid,
 * and the CSV rows, after which the chunk is dropped. So memory holds about 13 bytes per key
 * (value, then ABC class and cumulative share) and one chunk, never the keys' names or all their
 * columns: 10,000,000 keys fit next to DuckDB in a few hundred MB (docs/scale.md).
 * The source must give the rows in the same order on both passes (DuckDB: one temporary table
 * read in insertion order; PostgreSQL: ORDER BY part, sku, location); a change between the passes
 * is detected (per-partition counts) and stops the run. Partitions may come in any order; in
 * runs (ORDER BY part) the per-run engine calls are longest.
 *
 * Conventions are the pane's: ABC on annual value (value per period × periodsPerYear), cut-offs
 * and tolerance of src/engine/abc.ts; XYZ population sd over all P periods (zeros included);
 * Syntetos–Boylan ADI/CV²; policy rules of skuPolicy (src/engine/policy.ts). Without a value or
 * unit cost column, ABC ranks by annual quantity (said in the run notes).
 */
import { classifyAbc } from "../engine/abc";
import { aggregateProblem, aggregateStats, type AggregateStats, type DemandAggregates } from "../engine/aggregates";
import { ORDER_QTY_SOURCES, skuPolicyColumns, skuPolicyNote } from "../engine/policy";
import { cellError, type CellError } from "../engine/errors";
import { PATTERN_LABELS } from "../engine/pattern";
import { SEGMENTS } from "../engine/policy";
import { XYZ_LABELS } from "../engine/xyz";
import type { ResolvedModel } from "./model";

/** Float columns of an aggregate chunk (names of src/cli/sql.ts AGGREGATE_COLUMNS). */
export const AGG_NUMERIC = ["n_rows", "qty_sum", "qty_var", "nz_count", "nz_sum", "nz_var", "first_nz", "last_nz", "neg_rows", "value_sum", "unit_cost", "lead_time", "lead_time_sd", "order_qty"] as const;
export type AggNumeric = (typeof AGG_NUMERIC)[number];
export type AggColumn = "part" | "sku" | "location" | AggNumeric;

/** What pass 1 reads. */
export const PASS1_COLUMNS: readonly AggColumn[] = ["part", "n_rows", "qty_sum", "qty_var", "nz_count", "last_nz", "neg_rows", "value_sum"];
/** What pass 2 reads (everything). */
export const ALL_COLUMNS: readonly AggColumn[] = ["part", "sku", "location", ...AGG_NUMERIC];

export interface AggregateChunk {
  rows: number;
  /** Text columns; a column not asked for may be absent. */
  part: string[];
  sku?: string[];
  location?: string[];
  /** NULL is NaN; a column not asked for may be absent. */
  num: Partial<Record<AggNumeric, Float64Array>>;
}

export interface AggregateSource {
  /** Periods in the grid (P), the same for every key. */
  periods: number;
  /** Label of the first and last period (for the output notes). */
  periodRange: string;
  /**
   * The aggregate rows in chunks. Called once per pass; every call must give the same rows in the
   * same order. `columns` says what the pass reads (a source may give more). A chunk's arrays are
   * read before the next chunk is asked for and never kept.
   */
  chunks(columns: readonly AggColumn[]): AsyncIterable<AggregateChunk>;
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

/** Where the time went (ms): see docs/scale.md. */
export interface RunTimings {
  /** From the start until the first aggregate chunk (the SQL aggregation, materialised). */
  firstRowMs: number;
  /** Waiting for the further chunks, both passes (reading them out of the engine). */
  readMs: number;
  /** ABC per partition (after pass 1). */
  abcMs: number;
  /** XYZ, pattern, segment and policy columns (pass 2). */
  statsMs: number;
  /** Formatting and writing the rows. */
  writeMs: number;
}

export interface ClassifyRunOptions {
  resolve(part: string): ResolvedModel;
  modelVersion: string;
  onProgress?: (keys: number, pass: 1 | 2) => void;
  signal?: { aborted: boolean };
  /** After pass 1, with the number of keys, before any row is written (may throw to stop the run). */
  onCounted?: (keys: number) => void;
  /** Called with every finished run of rows (one partition's consecutive keys; used by --publish). The arrays are reused afterwards: copy what is kept. */
  onRows?: (rows: FinishedRows) => void;
  /** Filled in as the run goes. */
  timings?: RunTimings;
}

/** Consecutive finished keys of one partition (the arrays are views, valid during the callback). */
export interface FinishedRows {
  part: string;
  rows: number;
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
  /** The grid's safety-stock method per row ("csl", "fill"; "" without a policy row). */
  method: string[];
  leadTime: Float64Array;
  safetyStock: Float64Array;
  reorderPoint: Float64Array;
  orderQty: Float64Array;
  /** Notes by index into these rows. */
  notes: Map<number, string>;
}

export const emptyTimings = (): RunTimings => ({ firstRowMs: 0, readMs: 0, abcMs: 0, statsMs: 0, writeMs: 0 });

/** A Float64Array that grows by half its size. */
class Grow64 {
  data = new Float64Array(1024);
  n = 0;
  push(x: number) {
    if (this.n === this.data.length) {
      const next = new Float64Array(Math.ceil(this.data.length * 1.5));
      next.set(this.data);
      this.data = next;
    }
    this.data[this.n++] = x;
  }
  view(): Float64Array {
    return this.data.subarray(0, this.n);
  }
}

/** One partition across the two passes. */
class Partition {
  n = 0;
  valueSum = new Grow64();
  /** Quantity sums, kept only until the first key with a value (then ABC ranks by value). */
  qtySum: Grow64 | null = new Grow64();
  anyValue = false;
  /** Keys that cannot be ranked, by index in the partition (pass 1). */
  issues = new Map<number, CellError>();
  model: ResolvedModel;
  perYear = 0;
  abc: Int32Array = new Int32Array(0);
  cumShare: Float64Array = new Float64Array(0);
  abcIssues = new Map<number, CellError>();
  abcLabels: readonly string[] = [];
  /** Pass 2: keys seen so far. */
  seen = 0;
  segments: Record<string, number> = {};
  invalid = 0;
  /** Keys without recent demand (not ranked, no policy; not counted as invalid). */
  inactive = 0;
  constructor(
    readonly name: string,
    readonly index: number,
    model: ResolvedModel,
  ) {
    this.model = model;
  }
}

const fmt = (x: number) => (x === x ? x : "");
const negativeNote = (k: number) => `${k} period rows with a negative quantity: net returns into their periods first (or classify the transactions file)`;
const NO_VALUE = "no value: the key has no value or unit_cost on its rows";
const NAN = new Float64Array(0);

function column(c: AggregateChunk, name: AggNumeric): Float64Array {
  const a = c.num[name];
  if (!a) throw new Error(`the aggregate source gave no ${name} column`);
  return a;
}

function aborted(signal?: { aborted: boolean }) {
  if (signal?.aborted) {
    const e = new Error("classification was cancelled");
    e.name = "AbortError";
    throw e;
  }
}

/** Runs the job over a source, writing one row per key. Returns a summary per partition (in order of first appearance). */
export async function classifyAggregates(source: AggregateSource, sink: RowSink, run: ClassifyRunOptions): Promise<PartitionSummary[]> {
  const t = run.timings ?? emptyTimings();
  const t0 = performance.now();
  const P = source.periods;
  const parts = new Map<string, Partition>();
  const list: Partition[] = [];
  const partition = (name: string) => {
    let p = parts.get(name);
    if (!p) {
      p = new Partition(name, list.length, run.resolve(name));
      p.perYear = p.model.options.periodsPerYear / P;
      parts.set(name, p);
      list.push(p);
    }
    return p;
  };

  // ---- pass 1: values and the keys that cannot be ranked
  let keys = 0;
  let first = true;
  let waitFrom = performance.now();
  for await (const c of source.chunks(PASS1_COLUMNS)) {
    const now = performance.now();
    if (first) t.firstRowMs += now - t0;
    else t.readMs += now - waitFrom;
    first = false;
    aborted(run.signal);
    const rows = column(c, "n_rows");
    const qty = column(c, "qty_sum");
    const qvar = column(c, "qty_var");
    const nz = column(c, "nz_count");
    const neg = column(c, "neg_rows");
    const val = column(c, "value_sum");
    const lastNz = column(c, "last_nz");
    let p: Partition | null = null;
    for (let i = 0; i < c.rows; i++) {
      if (p === null || c.part[i] !== p.name) p = partition(c.part[i]);
      const k = p.n++;
      const v = val[i];
      p.valueSum.push(v);
      if (!p.anyValue) {
        if (v === v) {
          p.anyValue = true;
          p.qtySum = null;
        } else p.qtySum!.push(qty[i]);
      }
      const problem = aggregateProblem(rows[i], qty[i], nz[i], qvar[i], P) ?? (neg[i] > 0 ? negativeNote(neg[i]) : null);
      if (problem !== null) p.issues.set(k, cellError(problem));
      else {
        // inactive, as in the pane (src/engine/activity.ts): no demand in the last `recent` periods;
        // left out of the ranking, so no class, no segment and no policy
        const recent = Math.max(1, Math.min(P, Math.floor(p.model.options.inactiveAfter ?? p.model.options.periodsPerYear)));
        const last = lastNz[i];
        if (!(last >= P - recent)) {
          p.issues.set(k, cellError(last === last ? `inactive: no demand in the last ${recent} periods (last demand in period ${last + 1} of ${P})` : "inactive: no demand in the history", "na"));
          p.inactive++;
        }
      }
    }
    keys += c.rows;
    run.onProgress?.(keys, 1);
    waitFrom = performance.now();
  }
  if (first) t.firstRowMs += performance.now() - t0;
  run.onCounted?.(keys);

  // ---- ABC per partition
  const ta = performance.now();
  for (const p of list) {
    const n = p.n;
    const value = new Float64Array(n);
    const src = p.anyValue ? p.valueSum.view() : p.qtySum!.view();
    for (let i = 0; i < n; i++) {
      const v = src[i];
      value[i] = v === v ? v * p.perYear : Number.NaN;
      if (v !== v && !p.issues.has(i)) p.issues.set(i, cellError(NO_VALUE));
    }
    p.valueSum = new Grow64();
    p.qtySum = null;
    const abc = classifyAbc(value, { cutoffs: p.model.options.abcCutoffs, labels: ["A", "B", "C"], issues: p.issues });
    p.abc = abc.abc;
    p.cumShare = abc.cumShare;
    p.abcIssues = abc.issues;
    p.abcLabels = abc.labels;
    p.invalid = p.issues.size - p.inactive;
    p.issues = new Map();
  }
  t.abcMs += performance.now() - ta;

  // ---- pass 2: everything else, chunk by chunk
  keys = 0;
  let scratch: Scratch | null = null;
  waitFrom = performance.now();
  for await (const c of source.chunks(ALL_COLUMNS)) {
    t.readMs += performance.now() - waitFrom;
    aborted(run.signal);
    if (scratch === null || scratch.size < c.rows) scratch = new Scratch(Math.max(c.rows, 2048), P);
    const agg = scratch.aggregates(c);
    let i = 0;
    while (i < c.rows) {
      const p = parts.get(c.part[i]);
      if (!p) throw new Error(`partition "${c.part[i]}" appeared only in the second pass over the aggregates: the source changed during the run`);
      let j = i + 1;
      while (j < c.rows && c.part[j] === p.name) j++;
      if (p.seen + (j - i) > p.n) throw new Error(`partition "${p.name}" has more keys in the second pass than in the first: the source changed during the run`);
      await finishRun(c, agg, i, j, p, scratch, sink, run, t);
      p.seen += j - i;
      i = j;
    }
    keys += c.rows;
    run.onProgress?.(keys, 2);
    waitFrom = performance.now();
  }
  for (const p of list) if (p.seen !== p.n) throw new Error(`partition "${p.name}" has ${p.n} keys in the first pass and ${p.seen} in the second: the source changed during the run`);
  return list.map((p) => ({ part: p.name, skus: p.n, segments: p.segments, invalid: p.invalid, valueBasis: p.anyValue ? "value" : "quantity" }));
}

/** Per-chunk working columns, reused from chunk to chunk. */
class Scratch {
  stats: AggregateStats;
  segIndex: Int32Array;
  value: Float64Array;
  cumShare: Float64Array;
  serviceLevel: Float64Array;
  leadTime: Float64Array;
  abc: string[];
  xyz: string[];
  pattern: string[];
  segment: string[];
  row: (string | number)[] = new Array(OUTPUT_COLUMNS.length);
  constructor(
    readonly size: number,
    readonly periods: number,
  ) {
    const f = () => new Float64Array(size);
    this.stats = {
      demandMean: f(),
      demandSd: f(),
      cv: f(),
      xyz: new Int8Array(size),
      adi: f(),
      cv2: f(),
      pattern: new Int8Array(size),
      demandInterval: f(),
      invalid: new Map(),
    };
    this.segIndex = new Int32Array(size);
    this.value = f();
    this.cumShare = f();
    this.serviceLevel = f();
    this.leadTime = f();
    this.abc = new Array<string>(size).fill("");
    this.xyz = new Array<string>(size).fill("");
    this.pattern = new Array<string>(size).fill("");
    this.segment = new Array<string>(size).fill("");
  }
  aggregates(c: AggregateChunk): DemandAggregates {
    this.stats.invalid.clear();
    return {
      n: c.rows,
      periods: this.periods,
      rows: column(c, "n_rows"),
      sum: column(c, "qty_sum"),
      varPop: column(c, "qty_var"),
      nzCount: column(c, "nz_count"),
      nzSum: column(c, "nz_sum"),
      nzVarPop: column(c, "nz_var"),
      firstNz: column(c, "first_nz"),
      lastNz: column(c, "last_nz"),
    };
  }
}

/** Finishes the chunk's rows [from, to), all of partition p, and writes them. */
async function finishRun(c: AggregateChunk, agg: DemandAggregates, from: number, to: number, p: Partition, s: Scratch, sink: RowSink, run: ClassifyRunOptions, t: RunTimings): Promise<void> {
  const t1 = performance.now();
  const o = p.model.options;
  const stats = aggregateStats(agg, { sdType: o.sdType, xMax: o.xyzCutoffs[0], yMax: o.xyzCutoffs[1], adiCutoff: o.pattern.adi, cv2Cutoff: o.pattern.cv2 }, s.stats, from, to);
  const neg = column(c, "neg_rows");
  const valueSum = p.anyValue ? column(c, "value_sum") : column(c, "qty_sum");
  const unitCost = c.num.unit_cost ?? NAN;
  const leadTime = column(c, "lead_time");
  const leadTimeSd = column(c, "lead_time_sd");
  const orderQty = column(c, "order_qty");
  const m = to - from;
  const base = p.seen;
  for (let i = from; i < to; i++) {
    const k = base + i - from;
    const v = valueSum[i];
    s.value[i] = v === v ? v * p.perYear : Number.NaN;
    s.cumShare[i] = p.cumShare[k];
    const ai = p.abc[k];
    const a = ai >= 0 ? p.abcLabels[ai] : "";
    // an invalid key has no ABC class (pass 1), hence no segment and no policy
    const x = stats.xyz[i] >= 0 ? XYZ_LABELS[stats.xyz[i]] : "";
    s.abc[i] = a;
    s.xyz[i] = x;
    s.pattern[i] = stats.pattern[i] >= 0 ? PATTERN_LABELS[stats.pattern[i]] : "";
    const seg = a && x ? a + x : "";
    s.segment[i] = seg;
    s.segIndex[i] = seg ? SEGMENTS.indexOf(seg) : -1;
    p.segments[seg || "(none)"] = (p.segments[seg || "(none)"] ?? 0) + 1;
  }
  const sub = (x: Float64Array) => x.subarray(from, to);
  // the one policy rule (src/engine/policy.ts skuPolicyColumns), as the pane's Policy sheet uses it
  const pol = skuPolicyColumns(
    p.model.grid,
    {
      rows: m,
      policy: s.segIndex.subarray(from, to),
      demandMean: sub(stats.demandMean),
      demandSd: sub(stats.demandSd),
      pattern: stats.pattern.subarray(from, to),
      leadTime: sub(leadTime),
      leadTimeSd: sub(leadTimeSd),
      orderQty: sub(orderQty),
      unitCost: unitCost.length ? sub(unitCost) : new Float64Array(m).fill(Number.NaN),
    },
    p.model.policyOptions,
  );
  const polNoteOf = (r: number): string | undefined => {
    const e = pol.errors.get(r);
    if (e) return e.message;
    if (pol.method[r] < 0) return undefined;
    return skuPolicyNote(pol, r) || undefined;
  };
  const grid = p.model.grid;
  const defaultLeadTime = p.model.policyOptions.defaultLeadTime;
  for (let i = from; i < to; i++) {
    const g = s.segIndex[i] >= 0 ? grid[s.segIndex[i]] : null;
    s.serviceLevel[i] = g ? g.serviceLevel : Number.NaN;
    s.leadTime[i] = g ? (leadTime[i] === leadTime[i] ? leadTime[i] : defaultLeadTime) : Number.NaN;
  }
  const t2 = performance.now();
  t.statsMs += t2 - t1;
  const row = s.row;
  const sku = c.sku!;
  const location = c.location!;
  for (let i = from; i < to; i++) {
    const r = i - from;
    const k = base + r;
    const g = s.segIndex[i] >= 0 ? grid[s.segIndex[i]] : null;
    const bad = stats.invalid.has(i) || neg[i] > 0;
    const abcNote = p.abcIssues.get(k)?.message;
    const polNote = bad ? undefined : polNoteOf(r);
    row[0] = p.name;
    row[1] = sku[i];
    row[2] = location[i];
    row[3] = fmt(s.value[i]);
    row[4] = fmt(s.cumShare[i]);
    row[5] = s.abc[i];
    row[6] = fmt(stats.demandMean[i]);
    row[7] = fmt(stats.demandSd[i]);
    row[8] = fmt(stats.cv[i]);
    row[9] = s.xyz[i];
    row[10] = fmt(stats.adi[i]);
    row[11] = fmt(stats.cv2[i]);
    row[12] = fmt(stats.demandInterval[i]);
    row[13] = s.pattern[i];
    row[14] = s.segment[i];
    row[15] = g ? g.serviceLevel : "";
    row[16] = g ? g.method : "";
    row[17] = fmt(s.leadTime[i]);
    row[18] = fmt(pol.safetyStock[r]);
    row[19] = fmt(pol.reorderPoint[r]);
    row[20] = fmt(pol.min[r]);
    row[21] = fmt(pol.max[r]);
    row[22] = fmt(pol.orderQty[r]);
    row[23] = pol.method[r] >= 0 && !pol.errors.has(r) ? ORDER_QTY_SOURCES[pol.orderQtySource[r]] : "";
    row[24] = abcNote && polNote ? `${abcNote}; ${polNote}` : (abcNote ?? polNote ?? "");
    row[25] = run.modelVersion;
    const w = sink.write(row);
    if (w) await w;
  }
  t.writeMs += performance.now() - t2;
  if (run.onRows) {
    const notes = new Map<number, string>();
    for (let r = 0; r < m; r++) {
      const n = polNoteOf(r);
      if (n) notes.set(r, n);
    }
    run.onRows({
      part: p.name,
      rows: m,
      sku: sku.slice(from, to),
      location: location.slice(from, to),
      value: sub(s.value),
      cumShare: sub(s.cumShare),
      abc: s.abc.slice(from, to),
      xyz: s.xyz.slice(from, to),
      pattern: s.pattern.slice(from, to),
      segment: s.segment.slice(from, to),
      cv: sub(stats.cv),
      adi: sub(stats.adi),
      cv2: sub(stats.cv2),
      demandMean: sub(stats.demandMean),
      demandSd: sub(stats.demandSd),
      serviceLevel: sub(s.serviceLevel),
      method: Array.from({ length: m }, (_, r) => (s.segIndex[from + r] >= 0 ? grid[s.segIndex[from + r]].method : "")),
      leadTime: sub(s.leadTime),
      safetyStock: pol.safetyStock,
      reorderPoint: pol.reorderPoint,
      orderQty: pol.orderQty,
      notes,
    });
  }
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
