/**
 * Classification from per-SKU aggregates instead of full histories: the heavy aggregation (sums,
 * variances, non-zero counts) runs in SQL (DuckDB or PostgreSQL, src/cli/sql.ts) over a long table
 * with one row per SKU and period, and this module finishes XYZ and the Syntetos–Boylan pattern on
 * the aggregated rows, columnar (the policy is src/engine/policy.ts skuPolicyColumns, as in the pane).
 *
 * Input per key (SKU or SKU × location), over a grid of P periods that is the same for every key:
 *   rows     periods present in the long table (0..P; missing periods are 0 demand)
 *   sum      sum of the present quantities
 *   varPop   population variance of the present quantities (0 when rows <= 1)
 *   nzCount, nzSum, nzVarPop   the same over the periods with quantity > 0
 *   firstNz, lastNz            first and last period index with quantity > 0 (NaN when none)
 * Combining the present rows with the P − rows zero periods is the pairwise update of Chan, Golub
 * & LeVeque (1979, "Updating formulae and a pairwise algorithm for computing sample variances",
 * eq. 2.1): for two groups of sizes a and b, means ma, mb and sums of squared deviations Sa, Sb,
 *   S = Sa + Sb + a·b/(a+b)·(ma − mb)².
 * With the zero group (mb = 0, Sb = 0, b = P − rows) that is S = rows·varPop + rows·(P − rows)/P·ma².
 * Then the conventions are those of src/engine/xyz.ts and src/engine/pattern.ts exactly:
 *   demandMean = sum / P, demandSd = sqrt(S / (P − ddof)) (population ddof 0 by default),
 *   cv = sd / mean (undefined when mean 0: class N), XYZ cut-offs inclusive with CUTOFF_TOLERANCE;
 *   ADI = P / nzCount, CV² = nzVarPop / (nzSum / nzCount)², pattern boundaries inclusive upward.
 * demandInterval = (lastNz − firstNz) / (nzCount − 1), the mean gap between demands (NaN below
 * 2 demands): reported beside the ADI, which counts leading and trailing zero periods.
 * The Hampel outlier filter needs the full history and is not available on aggregates.
 */
import { atLeast, atMost } from "./abc";
import { ArgumentError } from "./errors";
import { PATTERN_NO_DEMAND } from "./pattern";
import { NO_DEMAND } from "./xyz";

export interface DemandAggregates {
  n: number;
  /** Periods in the grid (P). */
  periods: number;
  rows: Float64Array;
  sum: Float64Array;
  varPop: Float64Array;
  nzCount: Float64Array;
  nzSum: Float64Array;
  nzVarPop: Float64Array;
  firstNz: Float64Array;
  lastNz: Float64Array;
}

export function allocAggregates(n: number, periods: number): DemandAggregates {
  const f = () => new Float64Array(n);
  return { n, periods, rows: f(), sum: f(), varPop: f(), nzCount: f(), nzSum: f(), nzVarPop: f(), firstNz: f(), lastNz: f() };
}

/** The aggregates of a dense row-major history (n × P), as the SQL computes them (two-pass variances). */
export function aggregateHistory(history: ArrayLike<number>, n: number, periods: number): DemandAggregates {
  if (history.length !== n * periods) throw new ArgumentError("history", `expected ${n} x ${periods} numbers, got ${history.length}`);
  const a = allocAggregates(n, periods);
  for (let i = 0; i < n; i++) {
    const off = i * periods;
    let s = 0;
    let k = 0;
    let nzs = 0;
    let first = Number.NaN;
    let last = Number.NaN;
    for (let j = 0; j < periods; j++) {
      const v = history[off + j];
      s += v;
      if (v > 0) {
        k++;
        nzs += v;
        if (first !== first) first = j;
        last = j;
      }
    }
    const m = s / periods;
    const mk = k > 0 ? nzs / k : 0;
    let ss = 0;
    let nss = 0;
    for (let j = 0; j < periods; j++) {
      const v = history[off + j];
      ss += (v - m) * (v - m);
      if (v > 0) nss += (v - mk) * (v - mk);
    }
    a.rows[i] = periods;
    a.sum[i] = s;
    a.varPop[i] = ss / periods;
    a.nzCount[i] = k;
    a.nzSum[i] = nzs;
    a.nzVarPop[i] = k > 0 ? nss / k : 0;
    a.firstNz[i] = first;
    a.lastNz[i] = last;
  }
  return a;
}

export interface AggregateStatsOptions {
  sdType?: "population" | "sample";
  xMax?: number;
  yMax?: number;
  adiCutoff?: number;
  cv2Cutoff?: number;
}

export interface AggregateStats {
  demandMean: Float64Array;
  demandSd: Float64Array;
  /** NaN when the mean is 0 (class N) or the sd undefined. */
  cv: Float64Array;
  /** 0 X, 1 Y, 2 Z, 3 N (no demand), -1 invalid row. */
  xyz: Int8Array;
  adi: Float64Array;
  cv2: Float64Array;
  /** Code into PATTERN_LABELS; 4 = no demand; -1 invalid row. */
  pattern: Int8Array;
  demandInterval: Float64Array;
  /** Rows whose aggregates cannot be (rows > periods, negative sums...), by index, with the reason. */
  invalid: Map<number, string>;
}

/**
 * Why one key's aggregates cannot be classified, or null when they can: more rows than periods
 * (duplicate rows per key and period), a negative sum or variance, more non-zero periods than rows.
 * rows = present period rows, sum = their quantity sum, nzCount = non-zero periods, varPop = their
 * population variance, periods = P. (The tolerance on varPop absorbs rounding of a zero variance.)
 */
export function aggregateProblem(rows: number, sum: number, nzCount: number, varPop: number, periods: number): string | null {
  if (rows >= 0 && rows <= periods && sum >= 0 && nzCount >= 0 && nzCount <= rows && varPop >= -1e-9 * (sum * sum + 1)) return null;
  return rows > periods ? `${rows} period rows for ${periods} periods: the table has more than one row per key and period` : "aggregates out of range (negative quantities?)";
}

/** XYZ and pattern from aggregates; rows [from, to) only when given (chunked callers). */
export function aggregateStats(a: DemandAggregates, options: AggregateStatsOptions = {}, into?: AggregateStats, from = 0, to = a.n): AggregateStats {
  const xMax = options.xMax ?? 0.5;
  const yMax = options.yMax ?? 1.0;
  const adiCut = options.adiCutoff ?? 1.32;
  const cv2Cut = options.cv2Cutoff ?? 0.49;
  const ddof = options.sdType === "sample" ? 1 : 0;
  const n = a.n;
  const P = a.periods;
  const out: AggregateStats = into ?? {
    demandMean: new Float64Array(n),
    demandSd: new Float64Array(n),
    cv: new Float64Array(n),
    xyz: new Int8Array(n),
    adi: new Float64Array(n),
    cv2: new Float64Array(n),
    pattern: new Int8Array(n),
    demandInterval: new Float64Array(n),
    invalid: new Map(),
  };
  for (let i = from; i < to; i++) {
    const r = a.rows[i];
    const s = a.sum[i];
    const k = a.nzCount[i];
    const problem = aggregateProblem(r, s, k, a.varPop[i], P);
    if (problem !== null) {
      out.invalid.set(i, problem);
      out.demandMean[i] = out.demandSd[i] = out.cv[i] = out.adi[i] = out.cv2[i] = out.demandInterval[i] = Number.NaN;
      out.xyz[i] = -1;
      out.pattern[i] = -1;
      continue;
    }
    const mean = s / P;
    const mr = r > 0 ? s / r : 0;
    const S = Math.max(0, r * a.varPop[i]) + (r * (P - r) * mr * mr) / P;
    const sd = P - ddof >= 1 ? Math.sqrt(S / (P - ddof)) : Number.NaN;
    out.demandMean[i] = mean;
    out.demandSd[i] = sd;
    if (k === 0) {
      out.cv[i] = Number.NaN;
      out.xyz[i] = NO_DEMAND;
      out.adi[i] = out.cv2[i] = out.demandInterval[i] = Number.NaN;
      out.pattern[i] = PATTERN_NO_DEMAND;
      continue;
    }
    const cv = sd / mean;
    out.cv[i] = cv;
    out.xyz[i] = cv !== cv ? -1 : atMost(cv, xMax) ? 0 : atMost(cv, yMax) ? 1 : 2;
    const adi = P / k;
    const mk = a.nzSum[i] / k;
    const cv2 = Math.max(0, a.nzVarPop[i]) / (mk * mk);
    out.adi[i] = adi;
    out.cv2[i] = cv2;
    out.pattern[i] = (atLeast(adi, adiCut) ? 2 : 0) + (atLeast(cv2, cv2Cut) ? 1 : 0);
    out.demandInterval[i] = k >= 2 ? (a.lastNz[i] - a.firstNz[i]) / (k - 1) : Number.NaN;
  }
  return out;
}
