/**
 * Stability of the classification under forecast error, by Monte Carlo: how likely is each SKU to
 * keep its class if its demand turns out different by its forecast error?
 *
 * Model (one run):
 * - Each kept period j of SKU i with demand x_ij > 0 becomes x_ij · max(0, 1 + e_i · Z_ij), Z_ij
 *   independent standard normals and e_i the SKU's forecast-error CV (one planner-set CV for all,
 *   or one per SKU). The error is multiplicative: a period without demand stays without demand
 *   (and draws nothing), so intermittent items keep their zero periods. Truncation at 0 matters
 *   only for large e (P(1 + eZ < 0) = Φ(-1/e): 3e-5 at e = 0.25).
 * - The SKU's value scales with its demand: value' = value · S'_i / S_i, S_i the sum of its kept
 *   periods and S'_i the perturbed sum (value unchanged when S_i = 0).
 * - The run is classified like the real data: ABC on value' over all SKUs (classifyAbc, same
 *   cut-offs), XYZ on the CV of the perturbed periods (same sd type; "N" if they sum to 0), and
 *   the segment ABC×XYZ. The CV in a run uses the one-pass sums of d = x' - m_i with the shift m_i
 *   = the unperturbed mean (the "assumed mean" form of the variance, accurate because x' stays
 *   near m_i); the reference classification uses classifyXyz's two-pass form.
 * - Over N runs (default 200): stay_i = share of runs in which SKU i keeps its reference class;
 *   per reference class, the expected churn = mean of (1 - stay) over its SKUs, and the average
 *   share of its SKUs found in each class. SKUs with stay below the threshold (default 0.8) are
 *   flagged.
 *
 * Random numbers (random.ts): stream i of the seed belongs to SKU i (xoshiro128**, seedStream)
 * and is used in order: run 1's periods, then run 2's, ... so a SKU's draws never depend on
 * chunking, aborting or the other SKUs. Normals by the ziggurat method of Marsaglia & Tsang
 * (2000, "The ziggurat method for generating random variables", J. Statistical Software 5(8)),
 * 128 layers, r = 3.442619855899, v = 9.91256303526217e-3, tables built with 2^24 as in their
 * zigset: a 32-bit output w gives the layer w & 127 and the signed 25-bit value w >> 7 (disjoint
 * bits, which avoids the index/value correlation Doornik (2005) found in the original); the
 * rejection steps take further outputs as uniforms (w + 0.5) / 2^32. The independent reference
 * test/fixtures/gen_stability.py implements the same scheme in Python and numpy.
 *
 * Because a SKU's draws are its own, the perturbation can be split by SKU: split() hands blocks
 * of rows to StabilityPart (on other threads: src/app/jobs/stability.ts), and every run ranks
 * their perturbed values with its own; the result is the same bit for bit.
 */
import { classifyAbc, CUTOFF_TOLERANCE, DEFAULT_ABC_CUTOFFS, validateAbcCutoffs, validateAbcLabels } from "./abc";
import { ArgumentError, CellError, cellError } from "./errors";
import { checkMask, keptPeriods, PeriodMask } from "./promotions";
import { isSeed, nextUint32, seedStream, uniformOf } from "./random";
import { classifyXyz, DemandHistory, historyStorage, NO_DEMAND, SdType, validateXyzThresholds, XYZ_LABELS } from "./xyz";
import { Arena, ArrayAlloc, plainAlloc, RowArrays, RunArrays, StabilityKernel, stabilityKernel } from "./kernels/stabilityRun";

export const DEFAULT_RUNS = 200;
export const DEFAULT_ERROR_CV = 0.25;
export const DEFAULT_STABILITY_THRESHOLD = 0.8;
export const MAX_RUNS = 100_000;

export type StabilityClass = "segment" | "abc" | "xyz";

export interface StabilityOptions {
  /** Monte Carlo runs, 1 .. 100,000 (default 200). */
  runs?: number;
  /** Forecast-error CV: one for every SKU (default 0.25) or one per SKU (>= 0). */
  errorCv?: number | ArrayLike<number>;
  /** Seed, a whole number 0 .. 2^32 - 1 (default 1). */
  seed?: number;
  /** Which class must hold: the ABC×XYZ segment (default), ABC alone or XYZ alone. */
  classify?: StabilityClass;
  cutoffs?: ArrayLike<number>;
  labels?: readonly string[];
  xMax?: number;
  yMax?: number;
  sdType?: SdType;
  /** Promotion periods left out (promotions.ts). */
  exclude?: PeriodMask;
  /** Rows of `values` the caller already rejected. */
  issues?: ReadonlyMap<number, CellError>;
  /** Flag SKUs whose stay probability is below this (default 0.8). */
  threshold?: number;
  onProgress?: (done: number, total: number) => void;
  signal?: { aborted: boolean };
}

export interface ClassStability {
  label: string;
  /** SKUs whose reference class this is. */
  skus: number;
  /** Mean over them of 1 - stay (the expected share leaving per run). */
  expectedChurn: number;
  /** Of them, how many are flagged. */
  flagged: number;
  /** Average share of them found in each class per run (index = class code, as `labels`). */
  movesTo: number[];
}

export interface StabilityResult {
  /** Runs completed (less than asked when aborted). */
  runs: number;
  aborted: boolean;
  classify: StabilityClass;
  /** Class labels (segment labels "AX".. for "segment"). */
  labels: string[];
  /** Reference class per row (code into labels); -1 when the row has none (see issues). */
  reference: Int32Array;
  /** Probability of keeping the reference class, per row; NaN without a class. */
  stay: Float64Array;
  /** 1 where stay < threshold. */
  flagged: Uint8Array;
  threshold: number;
  /** One entry per class with members. */
  byClass: ClassStability[];
  /** Rows without a result and why. */
  issues: Map<number, CellError>;
}

// ---- ziggurat tables (Marsaglia & Tsang 2000, zigset for normals with 2^24) ---------------------

const ZIG_R = 3.442619855899;
const KN = new Int32Array(128);
const WN = new Float64Array(128);
const FN = new Float64Array(128);
(function zigset() {
  const m1 = 16777216;
  const vn = 9.91256303526217e-3;
  let dn = ZIG_R;
  let tn = dn;
  const q = vn / Math.exp(-0.5 * dn * dn);
  KN[0] = Math.floor((dn / q) * m1);
  KN[1] = 0;
  WN[0] = q / m1;
  WN[127] = dn / m1;
  FN[0] = 1;
  FN[127] = Math.exp(-0.5 * dn * dn);
  for (let i = 126; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(vn / dn + Math.exp(-0.5 * dn * dn)));
    KN[i + 1] = Math.floor((dn / tn) * m1);
    tn = dn;
    FN[i] = Math.exp(-0.5 * dn * dn);
    WN[i] = dn / m1;
  }
})();

/**
 * The ziggurat's slow path for an output w that failed the fast test, drawing further outputs
 * from state[at .. at+4) (Marsaglia & Tsang's nfix).
 */
function zigguratSlow(w: number, state: Uint32Array, at: number): number {
  for (;;) {
    const iz = w & 127;
    const hz = w >> 7;
    if (iz === 0) {
      let x: number;
      let y: number;
      do {
        x = -Math.log(uniformOf(nextUint32(state, at))) / ZIG_R;
        y = -Math.log(uniformOf(nextUint32(state, at)));
      } while (y + y < x * x);
      return hz > 0 ? ZIG_R + x : -ZIG_R - x;
    }
    const x = hz * WN[iz];
    if (FN[iz] + uniformOf(nextUint32(state, at)) * (FN[iz - 1] - FN[iz]) < Math.exp(-0.5 * x * x)) return x;
    w = nextUint32(state, at) | 0;
    const jz = w & 127;
    const kz = w >> 7;
    if ((kz < 0 ? -kz : kz) < KN[jz]) return kz * WN[jz];
  }
}

/** The next standard normal of a stream by the ziggurat (the simulation's hot loop inlines the fast path). */
export function zigguratNormal(state: Uint32Array, at = 0): number {
  const w = nextUint32(state, at) | 0;
  const iz = w & 127;
  const hz = w >> 7;
  if ((hz < 0 ? -hz : hz) < KN[iz]) return hz * WN[iz];
  return zigguratSlow(w, state, at);
}

// ---- the simulation -----------------------------------------------------------------------------

/**
 * Rows of a simulation handed out to be perturbed on another thread (StabilitySimulation.split):
 * rows start .. start+rows-1 of the simulation, as plain arrays by the names of perturbRun's
 * parameters (row r's kept periods are data[rowStart[r] .. rowStart[r] + kept[r]); state holds
 * its generator's four words), with the run's XYZ limits. Structured-cloneable.
 */
export interface StabilityBlock extends RowArrays {
  start: number;
  rows: number;
  runs: number;
  xMaxLimit: number;
  yMaxLimit: number;
  ddof: number;
}

/** One run of a block: the perturbed value and XYZ class of its rows, from row `start` on. */
export interface StabilityPartRun {
  start: number;
  perturbed: Float64Array;
  runXyz: Int8Array;
}

/**
 * Bytes of kernel memory for `rows` rows holding `periods` periods in all: the periods, six f64
 * columns (errorCv, values, rowStart, baseSum, baseMean, perturbed), kept, the four state words,
 * simulate and runXyz; then the ziggurat tables.
 */
function arenaBytes(rows: number, periods: number): number {
  return 8 * periods + rows * (8 * 6 + 4 + 16 + 2) + 128 * (4 + 8 + 8);
}

/** The ziggurat tables for a run: copied into the kernel's memory, or this module's own. */
function zigguratTables(arena: Arena | undefined): Pick<RunArrays, "kn" | "wn" | "fn"> {
  if (!arena) return { kn: KN, wn: WN, fn: FN };
  const t = { kn: arena.alloc.i32(128), wn: arena.alloc.f64(128), fn: arena.alloc.f64(128) };
  t.kn.set(KN);
  t.wn.set(WN);
  t.fn.set(FN);
  return t;
}

/** One run over rows 0 .. n-1 of `a`: the kernel's when its arrays live in an arena, else perturbRun. */
function perturbRows(arena: Arena | undefined, a: RunArrays, n: number, xMaxLimit: number, yMaxLimit: number, ddof: number): void {
  if (arena) arena.run(n, a, xMaxLimit, yMaxLimit, ddof);
  else perturbRun(n, a.data, a.rowStart, a.kept, a.simulate, a.baseSum, a.baseMean, a.values, a.errorCv, a.state, a.perturbed, a.runXyz, xMaxLimit, yMaxLimit, ddof);
}

/**
 * Perturbs a block's rows run after run (the other side of StabilitySimulation.split): run() gives
 * the next run's perturbed values and XYZ classes, which the simulation takes in finishRun. Its
 * draws are those the simulation would have made for the rows (each row's own stream, in order).
 */
export class StabilityPart {
  readonly start: number;
  readonly rows: number;
  readonly totalRuns: number;
  private done = 0;
  private readonly arena: Arena | undefined;
  private readonly a: RunArrays;
  private readonly limits: Pick<StabilityBlock, "xMaxLimit" | "yMaxLimit" | "ddof">;

  constructor(block: StabilityBlock, kernel: StabilityKernel | null = stabilityKernel ?? null) {
    const n = block.rows;
    for (const [name, arr, len] of [
      ["rowStart", block.rowStart, n],
      ["kept", block.kept, n],
      ["simulate", block.simulate, n],
      ["baseSum", block.baseSum, n],
      ["baseMean", block.baseMean, n],
      ["values", block.values, n],
      ["errorCv", block.errorCv, n],
      ["state", block.state, 4 * n],
    ] as const) {
      if (arr.length !== len) throw new ArgumentError("block", `${name} has ${arr.length} entries for ${n} rows`);
    }
    for (let r = 0; r < n; r++) {
      const from = block.rowStart[r];
      if (!(Number.isInteger(from) && from >= 0 && from + block.kept[r] <= block.data.length)) {
        throw new ArgumentError("block", `row ${r}'s periods (from ${from}, ${block.kept[r]} of them) are outside its ${block.data.length} periods of data`);
      }
    }
    this.start = block.start;
    this.rows = n;
    this.totalRuns = checkRuns(block.runs);
    this.limits = { xMaxLimit: block.xMaxLimit, yMaxLimit: block.yMaxLimit, ddof: block.ddof };
    const arena = kernel?.arena(arenaBytes(n, block.data.length));
    this.arena = arena;
    const copy = <T extends Float64Array | Int32Array | Uint32Array | Uint8Array | Int8Array>(make: (k: number) => T, from: T): T => {
      if (!arena) return from;
      const to = make(from.length);
      to.set(from as never);
      return to;
    };
    const alloc = arena?.alloc ?? plainAlloc;
    this.a = {
      ...zigguratTables(arena),
      data: copy(alloc.f64, block.data),
      rowStart: copy(alloc.f64, block.rowStart),
      kept: copy(alloc.i32, block.kept),
      simulate: copy(alloc.u8, block.simulate),
      baseSum: copy(alloc.f64, block.baseSum),
      baseMean: copy(alloc.f64, block.baseMean),
      values: copy(alloc.f64, block.values),
      errorCv: copy(alloc.f64, block.errorCv),
      state: copy(alloc.u32, block.state),
      perturbed: alloc.f64(n),
      runXyz: alloc.i8(n),
    };
  }

  get runsDone(): number {
    return this.done;
  }

  get finished(): boolean {
    return this.done >= this.totalRuns;
  }

  /** The next run: views into this part's arrays, valid until the next call (copy to keep). */
  run(): StabilityPartRun {
    if (this.finished) throw new Error("StabilityPart.run: all runs are done");
    perturbRows(this.arena, this.a, this.rows, this.limits.xMaxLimit, this.limits.yMaxLimit, this.limits.ddof);
    this.done++;
    return { start: this.start, perturbed: this.a.perturbed, runXyz: this.a.runXyz };
  }
}

function checkRuns(runs: number): number {
  if (!(Number.isInteger(runs) && runs >= 1 && runs <= MAX_RUNS)) throw new ArgumentError("runs", `must be a whole number from 1 to ${MAX_RUNS}, got ${runs}`);
  return runs;
}

/**
 * The simulation as an object that runs a few Monte Carlo runs at a time (step), so that a Web
 * Worker can hand back control between chunks (to post progress, or to take a cancel message);
 * classStability runs it to the end in one call.
 */
export class StabilitySimulation {
  readonly totalRuns: number;
  private done = 0;
  private readonly n: number;
  private readonly mode: StabilityClass;
  private readonly labels: string[];
  private readonly abcLabels: string[];
  private readonly cutoffs: number[];
  private readonly xMax: number;
  private readonly yMax: number;
  private readonly ddof: number;
  private readonly threshold: number;
  private readonly issues = new Map<number, CellError>();
  /** Kept periods of each row, compacted: row i is data[rowStart[i] .. rowStart[i] + kept[i]). */
  private readonly data: Float64Array;
  private readonly rowStart: Float64Array;
  private readonly kept: Int32Array;
  /** 1 when row i's history takes part (valid, with demand or without). */
  private readonly simulate: Uint8Array;
  private readonly baseSum: Float64Array;
  private readonly baseMean: Float64Array;
  private readonly values: Float64Array;
  private readonly errorCv: Float64Array;
  private readonly state: Uint32Array;
  readonly reference: Int32Array;
  private readonly stays: Int32Array;
  private readonly moves: Float64Array;
  private readonly perturbed: Float64Array;
  private readonly runXyz: Int8Array;
  /** Where the WebAssembly run keeps the arrays above (undefined: the TypeScript loop runs). */
  private readonly arena: Arena | undefined;
  private readonly runArrays: RunArrays;
  /** Rows 0 .. own-1 are perturbed here; the rest were handed out as parts (split). */
  private own: number;
  /** The own rows of the next run are perturbed, the run not yet ranked (perturbOwn .. finishRun). */
  private runOpen = false;

  /**
   * `kernel`: the WebAssembly run (kernels/stabilityRun.wat) where the runtime has it; null runs
   * the TypeScript loop (perturbRun). Both give the same result; tests run both.
   */
  constructor(values: ArrayLike<number>, history: DemandHistory, options: StabilityOptions = {}, kernel: StabilityKernel | null = stabilityKernel ?? null) {
    this.totalRuns = checkRuns(options.runs ?? DEFAULT_RUNS);
    const seed = options.seed ?? 1;
    if (!isSeed(seed)) throw new ArgumentError("seed", `must be a whole number from 0 to 4294967295, got ${seed}`);
    const threshold = options.threshold ?? DEFAULT_STABILITY_THRESHOLD;
    if (!(threshold >= 0 && threshold <= 1)) throw new ArgumentError("threshold", `must be a probability from 0 to 1, got ${threshold}`);
    this.threshold = threshold;
    const mode = options.classify ?? "segment";
    if (!["segment", "abc", "xyz"].includes(mode)) throw new ArgumentError("classify", `must be "segment", "abc" or "xyz", got ${String(mode)}`);
    this.mode = mode;
    const n = values.length;
    this.n = n;
    if (history.rows !== n) throw new ArgumentError("history", `has ${history.rows} rows but values has ${n}; give one history row per value row`);
    this.cutoffs = validateAbcCutoffs(options.cutoffs ?? DEFAULT_ABC_CUTOFFS);
    this.abcLabels = validateAbcLabels(options.labels, this.cutoffs.length + 1);
    this.xMax = options.xMax ?? 0.5;
    this.yMax = options.yMax ?? 1.0;
    validateXyzThresholds(this.xMax, this.yMax);
    const sdType = options.sdType ?? "population";
    this.ddof = sdType === "sample" ? 1 : 0;
    const p = history.periods;
    const mask = options.exclude;
    if (mask !== undefined) checkMask(mask, n, p, "exclude");

    // The arrays a run reads and writes: in the WebAssembly kernel's memory when it runs (its rows
    // compacted there, the history copied once), else plain arrays.
    // Bytes per row: the history's periods, six f64 columns (errorCv, values, rowStart, baseSum,
    // baseMean, perturbed), kept, the four state words, simulate and runXyz; then the tables.
    const arena = kernel?.arena(arenaBytes(n, n * p));
    this.arena = arena;
    const alloc: ArrayAlloc = arena?.alloc ?? plainAlloc;
    const tables = zigguratTables(arena);

    // Error CVs: one for all (an ArgumentError when bad) or one per row (a CellError on the row).
    this.errorCv = alloc.f64(n);
    const e = options.errorCv ?? DEFAULT_ERROR_CV;
    if (typeof e === "number") {
      if (!(Number.isFinite(e) && e >= 0)) throw new ArgumentError("error_cv", `must be a number >= 0 (e.g. 0.25 for 25%), got ${e}`);
      this.errorCv.fill(e);
    } else {
      if (e.length !== n) throw new ArgumentError("error_cv", `has ${e.length} rows but values has ${n}; give one error CV or one per row`);
      for (let i = 0; i < n; i++) {
        const x = e[i];
        this.errorCv[i] = x;
        if (!(Number.isFinite(x) && x >= 0)) {
          // No result for the row; its demand is left unperturbed so that it still ranks as it is.
          this.issues.set(i, cellError(`error_cv must be a number >= 0, got ${x}`));
          this.errorCv[i] = 0;
        }
      }
    }

    // The reference classification (what a run must reproduce to count as "stayed").
    const abc = classifyAbc(values, { cutoffs: this.cutoffs, labels: this.abcLabels, issues: options.issues, classesOnly: true });
    const xyz = classifyXyz(history, { xMax: this.xMax, yMax: this.yMax, sdType, exclude: mask });
    this.values = alloc.f64(n);
    for (let i = 0; i < n; i++) this.values[i] = abc.abc[i] >= 0 ? values[i] : NaN;
    this.labels = mode === "abc" ? [...this.abcLabels] : mode === "xyz" ? [...XYZ_LABELS] : this.abcLabels.flatMap((a) => XYZ_LABELS.map((x) => a + x));
    this.reference = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const a = abc.abc[i];
      const x = xyz.xyz[i];
      const ref = mode === "abc" ? a : mode === "xyz" ? x : a >= 0 && x >= 0 ? a * XYZ_LABELS.length + x : -1;
      if (this.issues.has(i)) this.reference[i] = -1;
      else if (ref < 0) {
        this.reference[i] = -1;
        const why = mode !== "xyz" && a < 0 ? abc.issues.get(i) : xyz.issues.get(i) ?? abc.issues.get(i);
        this.issues.set(i, why ?? cellError("no class", "na"));
      } else this.reference[i] = ref;
    }

    // The kept periods of every usable row, once (in place when the history is a plain array).
    this.simulate = alloc.u8(n);
    this.kept = alloc.i32(n);
    this.rowStart = alloc.f64(n);
    this.baseSum = alloc.f64(n);
    this.baseMean = alloc.f64(n);
    const storage = historyStorage(history);
    const inPlace = mask === undefined && storage?.kind === "array" && !arena ? storage : undefined;
    this.data = inPlace ? inPlace.data : alloc.f64(n * p);
    const row = new Float64Array(p);
    for (let i = 0; i < n; i++) {
      const usable = xyz.xyz[i] >= 0; // a valid history (no demand included)
      if (!usable) continue;
      let k = p;
      if (inPlace) this.rowStart[i] = i * inPlace.stride + inPlace.start;
      else {
        history.readRow(i, row);
        k = mask === undefined ? p : keptPeriods(mask, i, row, row);
        this.rowStart[i] = i * p;
        this.data.set(row.subarray(0, k), i * p);
      }
      let s = 0;
      const off = this.rowStart[i];
      for (let j = 0; j < k; j++) s += this.data[off + j];
      this.kept[i] = k;
      this.baseSum[i] = s;
      this.baseMean[i] = s / k;
      this.simulate[i] = 1;
    }
    this.state = alloc.u32(4 * n);
    for (let i = 0; i < n; i++) seedStream(seed, i, this.state, 4 * i);
    this.stays = new Int32Array(n);
    this.moves = new Float64Array(this.labels.length * this.labels.length);
    this.perturbed = alloc.f64(n);
    this.runXyz = alloc.i8(n);
    const { data, rowStart, kept, simulate, baseSum, baseMean, errorCv, state, perturbed, runXyz } = this;
    this.runArrays = { ...tables, data, rowStart, kept, simulate, baseSum, baseMean, values: this.values, errorCv, state, perturbed, runXyz };
    this.own = n;
  }

  get runsDone(): number {
    return this.done;
  }

  get finished(): boolean {
    return this.done >= this.totalRuns;
  }

  /** Runs up to `maxRuns` more Monte Carlo runs; returns true when all are done. */
  step(maxRuns = 1): boolean {
    if (this.own < this.n) throw new Error("StabilitySimulation.step: rows were handed out as parts; run perturbOwn and finishRun instead");
    const until = Math.min(this.totalRuns, this.done + Math.max(1, Math.floor(maxRuns)));
    while (this.done < until) {
      this.perturbOwn();
      this.finishRun([]);
    }
    return this.finished;
  }

  /**
   * Hands rows out to be perturbed elsewhere (another worker: src/app/jobs/stabilityPart.ts), before
   * the first run: this simulation keeps the first `ownShare` of the rows (0 .. 1) and cuts the rest
   * into `parts` blocks of consecutive rows. Each block carries its rows' kept periods, figures and
   * generator states, so StabilityPart draws exactly what this simulation would have drawn for them:
   * every run is then perturbOwn(), the parts' runs (finishRun), the ranking.
   */
  split(parts: number, ownShare: number): StabilityBlock[] {
    if (this.done > 0 || this.runOpen || this.own < this.n) throw new Error("StabilitySimulation.split: only once, before the first run");
    const n = this.n;
    const own = Math.min(n, Math.max(0, Math.round(n * ownShare)));
    const blocks: StabilityBlock[] = [];
    for (let b = 0; b < parts; b++) {
      const lo = own + Math.floor(((n - own) * b) / parts);
      const hi = own + Math.floor(((n - own) * (b + 1)) / parts);
      if (hi > lo) blocks.push(this.block(lo, hi));
    }
    this.own = own;
    return blocks;
  }

  /** Rows lo .. hi-1 as a block (plain arrays, their periods compacted). */
  private block(lo: number, hi: number): StabilityBlock {
    const rows = hi - lo;
    let periods = 0;
    for (let i = lo; i < hi; i++) periods += this.kept[i];
    const data = new Float64Array(periods);
    const rowStart = new Float64Array(rows);
    let at = 0;
    for (let r = 0; r < rows; r++) {
      const k = this.kept[lo + r];
      const from = this.rowStart[lo + r];
      rowStart[r] = at;
      data.set(this.data.subarray(from, from + k), at);
      at += k;
    }
    return {
      start: lo,
      rows,
      runs: this.totalRuns,
      data,
      rowStart,
      kept: this.kept.slice(lo, hi),
      simulate: this.simulate.slice(lo, hi),
      baseSum: this.baseSum.slice(lo, hi),
      baseMean: this.baseMean.slice(lo, hi),
      values: this.values.slice(lo, hi),
      errorCv: this.errorCv.slice(lo, hi),
      state: this.state.slice(4 * lo, 4 * hi),
      ...this.limits(),
    };
  }

  private limits(): { xMaxLimit: number; yMaxLimit: number; ddof: number } {
    return { xMaxLimit: this.xMax + this.xMax * CUTOFF_TOLERANCE, yMaxLimit: this.yMax + this.yMax * CUTOFF_TOLERANCE, ddof: this.ddof };
  }

  /** The next run's perturbation of the rows kept here (all rows unless split). */
  perturbOwn(): void {
    if (this.finished || this.runOpen) throw new Error("StabilitySimulation.perturbOwn: finish the run first (finishRun)");
    const { xMaxLimit, yMaxLimit, ddof } = this.limits();
    perturbRows(this.arena, this.runArrays, this.own, xMaxLimit, yMaxLimit, ddof);
    this.runOpen = true;
  }

  /**
   * Completes the run perturbOwn started: the parts' rows of the same run (one entry per block of
   * split, any order), then the ranking of all rows and the tally.
   */
  finishRun(parts: readonly StabilityPartRun[]): void {
    if (!this.runOpen) throw new Error("StabilitySimulation.finishRun: perturbOwn first");
    let rows = this.own;
    for (const part of parts) {
      if (part.start < this.own || part.start + part.perturbed.length > this.n || part.runXyz.length !== part.perturbed.length) {
        throw new Error(`StabilitySimulation.finishRun: a part of rows ${part.start}.. does not fit the simulation`);
      }
      this.perturbed.set(part.perturbed, part.start);
      this.runXyz.set(part.runXyz, part.start);
      rows += part.perturbed.length;
    }
    if (rows !== this.n) throw new Error(`StabilitySimulation.finishRun: the parts cover ${rows - this.own} of the ${this.n - this.own} rows handed out`);
    // No `issues` here: every row the reference rejected has a NaN value (constructor), so its
    // perturbed value is NaN too and the run rejects it without looking it up; only the classes
    // are used.
    const abc = this.mode !== "xyz" ? classifyAbc(this.perturbed, { cutoffs: this.cutoffs, labels: this.abcLabels, classesOnly: true }).abc : undefined;
    tallyRun(this.n, this.mode === "abc" ? 0 : this.mode === "xyz" ? 1 : 2, this.reference, abc, this.runXyz, this.stays, this.moves, this.labels.length);
    this.runOpen = false;
    this.done++;
  }

  /** The figures over the runs done so far. */
  result(aborted = false): StabilityResult {
    const n = this.n;
    const runs = this.done;
    const K = this.labels.length;
    const stay = new Float64Array(n);
    const flagged = new Uint8Array(n);
    const members = new Int32Array(K);
    const churn = new Float64Array(K);
    const flags = new Int32Array(K);
    for (let i = 0; i < n; i++) {
      const r0 = this.reference[i];
      if (r0 < 0 || runs === 0) {
        stay[i] = NaN;
        continue;
      }
      const s = this.stays[i] / runs;
      stay[i] = s;
      members[r0]++;
      churn[r0] += 1 - s;
      if (s < this.threshold) {
        flagged[i] = 1;
        flags[r0]++;
      }
    }
    const byClass: ClassStability[] = [];
    for (let c = 0; c < K; c++) {
      if (members[c] === 0) continue;
      const movesTo = Array.from({ length: K }, (_, t) => this.moves[c * K + t] / (members[c] * runs));
      byClass.push({ label: this.labels[c], skus: members[c], expectedChurn: churn[c] / members[c], flagged: flags[c], movesTo });
    }
    return {
      runs,
      aborted,
      classify: this.mode,
      labels: this.labels,
      reference: this.reference,
      stay,
      flagged,
      threshold: this.threshold,
      byClass,
      issues: new Map(this.issues),
    };
  }
}

/**
 * One Monte Carlo run over every row: perturbed value per row into `perturbed` and the XYZ class
 * of the perturbed periods into `runXyz` (-1 for rows not simulated). A free function over typed
 * arrays (not a method) so that the optimiser keeps the generator's four words in registers.
 */
function perturbRun(
  n: number,
  data: Float64Array,
  rowStart: Float64Array,
  kept: Int32Array,
  simulate: Uint8Array,
  baseSum: Float64Array,
  baseMean: Float64Array,
  values: Float64Array,
  errorCv: Float64Array,
  state: Uint32Array,
  perturbed: Float64Array,
  runXyz: Int8Array,
  xMaxLimit: number,
  yMaxLimit: number,
  ddof: number,
): void {
  for (let i = 0; i < n; i++) {
    if (simulate[i] === 0) {
      perturbed[i] = values[i];
      runXyz[i] = -1;
      continue;
    }
    if (baseSum[i] === 0) {
      // No demand in any kept period: nothing is drawn (a zero period stays zero), the perturbed
      // sum is 0 and the class "N", as the loop below would find, without walking the periods.
      perturbed[i] = values[i];
      runXyz[i] = NO_DEMAND;
      continue;
    }
    const e = errorCv[i];
    const m0 = baseMean[i];
    const off = rowStart[i];
    const k = kept[i];
    const at = 4 * i;
    // "| 0": the words as int32, which keeps the whole loop in integer registers (read as
    // uint32 they would be doubles, and the loop several times slower). The generator's steps
    // are random.ts nextUint32 written out.
    let s0 = state[at] | 0;
    let s1 = state[at + 1] | 0;
    let s2 = state[at + 2] | 0;
    let s3 = state[at + 3] | 0;
    let sum = 0;
    let sd = 0;
    let qd = 0;
    for (let j = 0; j < k; j++) {
      const x = data[off + j];
      let y = 0;
      if (x > 0) {
        // xoshiro128** step (random.ts nextUint32), output as a signed 32-bit integer
        const m = Math.imul(s1, 5);
        const w = Math.imul((m << 7) | (m >>> 25), 9);
        const t = s1 << 9;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = (s3 << 11) | (s3 >>> 21);
        // ziggurat fast path (zigguratNormal)
        const iz = w & 127;
        const hz = w >> 7;
        let z: number;
        if (Math.abs(hz) < KN[iz]) z = hz * WN[iz];
        else {
          // The slow path (zigguratSlow), inline on the local words: a call here would cost the
          // loop more than the 2-3 % of draws that take it.
          let jz = iz;
          let kz = hz;
          for (;;) {
            if (jz === 0) {
              let tx: number;
              let ty: number;
              do {
                let mm = Math.imul(s1, 5);
                let ww = Math.imul((mm << 7) | (mm >>> 25), 9) >>> 0;
                let tt = s1 << 9;
                s2 ^= s0;
                s3 ^= s1;
                s1 ^= s2;
                s0 ^= s3;
                s2 ^= tt;
                s3 = (s3 << 11) | (s3 >>> 21);
                tx = -Math.log((ww + 0.5) / 4294967296) / ZIG_R;
                mm = Math.imul(s1, 5);
                ww = Math.imul((mm << 7) | (mm >>> 25), 9) >>> 0;
                tt = s1 << 9;
                s2 ^= s0;
                s3 ^= s1;
                s1 ^= s2;
                s0 ^= s3;
                s2 ^= tt;
                s3 = (s3 << 11) | (s3 >>> 21);
                ty = -Math.log((ww + 0.5) / 4294967296);
              } while (ty + ty < tx * tx);
              z = kz > 0 ? ZIG_R + tx : -ZIG_R - tx;
              break;
            }
            const wx = kz * WN[jz];
            let mm = Math.imul(s1, 5);
            let ww = Math.imul((mm << 7) | (mm >>> 25), 9);
            let tt = s1 << 9;
            s2 ^= s0;
            s3 ^= s1;
            s1 ^= s2;
            s0 ^= s3;
            s2 ^= tt;
            s3 = (s3 << 11) | (s3 >>> 21);
            if (FN[jz] + (((ww >>> 0) + 0.5) / 4294967296) * (FN[jz - 1] - FN[jz]) < Math.exp(-0.5 * wx * wx)) {
              z = wx;
              break;
            }
            mm = Math.imul(s1, 5);
            ww = Math.imul((mm << 7) | (mm >>> 25), 9);
            tt = s1 << 9;
            s2 ^= s0;
            s3 ^= s1;
            s1 ^= s2;
            s0 ^= s3;
            s2 ^= tt;
            s3 = (s3 << 11) | (s3 >>> 21);
            jz = ww & 127;
            kz = ww >> 7;
            if (Math.abs(kz) < KN[jz]) {
              z = kz * WN[jz];
              break;
            }
          }
        }
        const f = 1 + e * z;
        y = f > 0 ? x * f : 0;
      }
      sum += y;
      const d = y - m0;
      sd += d;
      qd += d * d;
    }
    state[at] = s0;
    state[at + 1] = s1;
    state[at + 2] = s2;
    state[at + 3] = s3;
    const s = baseSum[i];
    perturbed[i] = s > 0 ? values[i] * (sum / s) : values[i];
    if (!(sum > 0)) runXyz[i] = NO_DEMAND;
    else {
      let v = (qd - (sd * sd) / k) / (k - ddof);
      if (v < 0) v = 0;
      const cv = Math.sqrt(v) / (sum / k);
      runXyz[i] = cv <= xMaxLimit ? 0 : cv <= yMaxLimit ? 1 : 2;
    }
  }
}

/** Counts, per row, whether the run kept the reference class, and the class it went to (mode 0 abc, 1 xyz, 2 segment). */
function tallyRun(
  n: number,
  mode: number,
  reference: Int32Array,
  abc: Int32Array | undefined,
  runXyz: Int8Array,
  stays: Int32Array,
  moves: Float64Array,
  K: number,
): void {
  const xyzCount = XYZ_LABELS.length;
  for (let i = 0; i < n; i++) {
    const r0 = reference[i];
    if (r0 < 0) continue;
    let c: number;
    if (mode === 0) c = abc![i];
    else if (mode === 1) c = runXyz[i];
    else c = abc![i] >= 0 && runXyz[i] >= 0 ? abc![i] * xyzCount + runXyz[i] : -1;
    if (c === r0) stays[i]++;
    if (c >= 0) moves[r0 * K + c]++;
  }
}

/**
 * Runs the whole simulation (see the module comment), reporting progress after every run and
 * stopping early when signal.aborted turns true (the result then covers the runs done, with
 * aborted = true). For `=SEG.CLASS_STABILITY(values, history, [runs], [error_cv], [seed])` the
 * wrapper passes the values (NaN plus issues for rejected cells) and the history, and writes
 * `stay` (or the row's issue) per row.
 */
export function classStability(values: ArrayLike<number>, history: DemandHistory, options: StabilityOptions = {}): StabilityResult {
  const sim = new StabilitySimulation(values, history, options);
  const { onProgress, signal } = options;
  onProgress?.(0, sim.totalRuns);
  while (!sim.finished) {
    if (signal?.aborted) return sim.result(true);
    sim.step(1);
    onProgress?.(sim.runsDone, sim.totalRuns);
  }
  return sim.result(false);
}
