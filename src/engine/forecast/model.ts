/**
 * One place that runs any method on one series: dispatch to the method modules, parameter fitting,
 * the backtest roll and the horizon. A SeriesModel is made once per batch (its scratch arrays are
 * sized for the batch's periods and season length) and reused for every series: nothing is
 * allocated per series.
 *
 * Fitting (parameters not given): minimise the in-sample one-step SSE (equivalently the MSE: the
 * number of periods with a fitted value is fixed for a series and method) over the free parameters
 * within the bounds of methods.ts:
 * - one free parameter: grid + golden-section search (optimize.ts);
 * - two to four: Nelder-Mead with bounds by projection (optimize.ts). Full search: coarse runs
 *   from the START_RUNS best points of the START_LEVELS grid, the best one polished. After a
 *   backtest: one coarse run from the training fit (warm start), polished. auto's screening of
 *   competing candidates: the small QUICK_LEVELS grid and one coarse run (see fitSimplex);
 * - ma's window: exhaustive search over the whole numbers (movingAverage.ts).
 * The objective is the same recursion that produces the fitted values, run once over the series
 * per evaluation (holtSse / hwSse rearrange the updates to shorten the dependency chain: equal up
 * to rounding); fitted values come from one run with the final parameters, never from refitting
 * on each prefix. Croston-type methods evaluate the objective from their demand events
 * (croston.ts crostonSse), one step per demand instead of one per period.
 * The SSE counts the periods with a defined fitted value: all for ses, holt, damped, hw_* and tsb
 * (the first has error 0 for ses and tsb), periods 2..n for naive and croston-type, after the first
 * season for snaive and after the window for ma.
 */
import { crostonEvents, crostonFactor, crostonFilter, crostonSse } from "./croston";
import { holtFilter, holtForecast, holtSse } from "./holt";
import { hwFilter, hwForecast, hwSse } from "./holtWinters";
import * as methods from "./methods";
import { usedParams } from "./methods";
import { maFilter, maFitWindow, maForecast } from "./movingAverage";
import { naiveFilter, naiveForecast, snaiveFilter, snaiveForecast } from "./naive";
import { Minimizer, Objective } from "./optimize";
import { Roll } from "./roll";
import { sesFilter, sesForecast, sesSse } from "./ses";
import { firstDemand, tsbFilter, tsbForecast, tsbSse } from "./tsb";

// Local copies of the method and slot codes: read through a module namespace (as the CommonJS
// output of tsx and ts-jest does) every access would be a getter call inside the hot loops.
const M_CROSTON = methods.M_CROSTON;
const M_DAMPED = methods.M_DAMPED;
const M_HOLT = methods.M_HOLT;
const M_HW_ADD = methods.M_HW_ADD;
const M_HW_MUL = methods.M_HW_MUL;
const M_MA = methods.M_MA;
const M_NAIVE = methods.M_NAIVE;
const M_SBA = methods.M_SBA;
const M_SBJ = methods.M_SBJ;
const M_SES = methods.M_SES;
const M_SNAIVE = methods.M_SNAIVE;
const M_TSB = methods.M_TSB;
const P_ALPHA = methods.P_ALPHA;
const P_BETA = methods.P_BETA;
const P_GAMMA = methods.P_GAMMA;
const P_PHI = methods.P_PHI;
const P_WINDOW = methods.P_WINDOW;
const PARAM_COUNT = methods.PARAM_COUNT;
const PHI_LOWER = methods.PHI_LOWER;
const PHI_UPPER = methods.PHI_UPPER;
const SMOOTHING_LOWER = methods.SMOOTHING_LOWER;
const SMOOTHING_UPPER = methods.SMOOTHING_UPPER;

const START_LEVELS: readonly (readonly number[])[] = [
  [0.02, 0.1, 0.3, 0.6, 0.95, 1], // alpha (the upper bound too: a series whose best level weight is 1 sits in a different basin from the small ones)
  [0, 0.05, 0.3, 1], // beta
  [0.05, 0.3, 0.7, 0.95], // gamma
  [0.85, 0.95], // phi
];
/** The smaller grid of the quick fit (auto's candidate screening). */
const QUICK_LEVELS: readonly (readonly number[])[] = [
  [0.1, 0.5], // alpha
  [0, 0.2], // beta
  [0.1, 0.6], // gamma
  [0.9], // phi
];
const FIRST_STEP = [0.1, 0.1, 0.1, 0.05];
/** Coarse Nelder-Mead runs, from the best grid points (see fitSimplex). */
const START_RUNS = 3;
/** Simplex size at which a coarse run stops. */
const SCREEN_XTOL = 1e-2;

function variant(code: number): "croston" | "sba" | "sbj" {
  return code === M_SBA ? "sba" : code === M_SBJ ? "sbj" : "croston";
}

export class SeriesModel implements Objective {
  readonly minimizer = new Minimizer();
  /** Final state of the last run (level, trend / probability, size ...). */
  readonly state = new Float64Array(4);
  private readonly season: Float64Array;
  private readonly sizes: Float64Array;
  private readonly gaps: Float64Array;
  private readonly pos: Int32Array;
  private readonly prefix: Float64Array;
  private readonly params = new Float64Array(PARAM_COUNT);
  private readonly free = new Int32Array(4);
  private readonly x = new Float64Array(4);
  private readonly lo = new Float64Array(4);
  private readonly hi = new Float64Array(4);
  private readonly step = new Float64Array(4);
  private readonly trial = new Float64Array(4);
  private readonly starts = new Float64Array(4 * START_RUNS);
  private readonly startValues = new Float64Array(START_RUNS);
  private readonly polishStep = new Float64Array(4);

  private y: ArrayLike<number> = new Float64Array(0);
  private off = 0;
  /** Periods of the series in use (the full series, or the backtest's training part). */
  private len = 0;
  private m = 1;
  private code = M_SES;
  private dims = 0;
  private events = 0;
  private eventsFor = -1;
  private z0 = 0;

  constructor(periods: number, seasonLength: number) {
    this.season = new Float64Array(Math.max(1, seasonLength));
    this.sizes = new Float64Array(periods);
    this.gaps = new Float64Array(periods);
    this.pos = new Int32Array(periods);
    this.prefix = new Float64Array(periods + 1);
  }

  /** Selects the series y[off .. off + n) and its season length (for snaive and hw_*). */
  setSeries(y: ArrayLike<number>, off: number, n: number, m: number): void {
    this.y = y;
    this.off = off;
    this.len = n;
    this.m = m;
    this.eventsFor = -1;
  }

  /** Uses only the first len periods of the series (len <= the series length) from now on. */
  setLength(len: number): void {
    if (len !== this.len) {
      this.len = len;
      this.eventsFor = -1;
    }
  }

  /** What the objective of `code` needs besides the series: Croston's demand events, TSB's z_0. */
  private prepare(code: number, forObjective: boolean): void {
    if (forObjective && (code === M_CROSTON || code === M_SBA || code === M_SBJ) && this.eventsFor !== this.len) {
      this.events = crostonEvents(this.y, this.off, this.len, this.sizes, this.gaps, this.pos);
      this.eventsFor = this.len;
    }
    if (code === M_TSB) this.z0 = firstDemand(this.y, this.off, this.len);
  }

  /** SSE of the one-step errors of `code` with parameters p over the current length (the objective). */
  sse(code: number, p: Float64Array): number {
    const { y, off, len: n } = this;
    switch (code) {
      case M_SES:
        return sesSse(y, off, n, p[P_ALPHA]);
      case M_HOLT:
        return holtSse(y, off, n, p[P_ALPHA], p[P_BETA], 1);
      case M_DAMPED:
        return holtSse(y, off, n, p[P_ALPHA], p[P_BETA], p[P_PHI]);
      case M_HW_ADD:
      case M_HW_MUL: {
        const phi = p[P_PHI];
        return hwSse(y, off, n, this.m, code === M_HW_MUL, p[P_ALPHA], p[P_BETA], p[P_GAMMA], phi === phi ? phi : 1, this.state, this.season);
      }
      case M_CROSTON:
      case M_SBA:
      case M_SBJ: {
        const a = p[P_ALPHA];
        return crostonSse(this.sizes, this.gaps, this.pos, this.events, n, a, crostonFactor(variant(code), a));
      }
      case M_TSB:
        return tsbSse(y, off, n, p[P_ALPHA], p[P_BETA], this.z0);
      default:
        return this.run(code, p, null, 0, null);
    }
  }

  /** Objective for the minimiser: x holds the free parameters in slot order. */
  value(x: Float64Array): number {
    for (let k = 0; k < this.dims; k++) this.params[this.free[k]] = x[k];
    return this.sse(this.code, this.params);
  }

  /**
   * Runs `code` with parameters p over the current length: fitted values (fitted[fOff ..]), the
   * roll, and the final state for forecast(). Returns the SSE.
   */
  run(code: number, p: Float64Array, fitted: Float64Array | null, fOff: number, roll: Roll | null): number {
    const { y, off, len: n, state } = this;
    this.prepare(code, false);
    switch (code) {
      case M_NAIVE:
        return naiveFilter(y, off, n, fitted, fOff, roll);
      case M_SNAIVE:
        return snaiveFilter(y, off, n, this.m, fitted, fOff, roll);
      case M_MA:
        return maFilter(y, off, n, p[P_WINDOW], fitted, fOff, roll);
      case M_SES:
        return sesFilter(y, off, n, p[P_ALPHA], fitted, fOff, roll, state);
      case M_HOLT:
        return holtFilter(y, off, n, p[P_ALPHA], p[P_BETA], 1, fitted, fOff, roll, state);
      case M_DAMPED:
        return holtFilter(y, off, n, p[P_ALPHA], p[P_BETA], p[P_PHI], fitted, fOff, roll, state);
      case M_HW_ADD:
      case M_HW_MUL: {
        const phi = p[P_PHI];
        return hwFilter(y, off, n, this.m, code === M_HW_MUL, p[P_ALPHA], p[P_BETA], p[P_GAMMA], phi === phi ? phi : 1, fitted, fOff, roll, state, this.season);
      }
      case M_CROSTON:
      case M_SBA:
      case M_SBJ: {
        const a = p[P_ALPHA];
        return crostonFilter(y, off, n, a, crostonFactor(variant(code), a), fitted, fOff, roll, state);
      }
      case M_TSB:
        return tsbFilter(y, off, n, p[P_ALPHA], p[P_BETA], this.z0, fitted, fOff, roll, state);
      default:
        return Number.NaN;
    }
  }

  /** The horizon of `code` after run() over the current length with the same parameters. */
  forecast(code: number, p: Float64Array, h: number, out: Float64Array, oOff: number): void {
    const { y, off, len: n, state } = this;
    switch (code) {
      case M_NAIVE:
        return naiveForecast(y, off, n, h, out, oOff);
      case M_SNAIVE:
        return snaiveForecast(y, off, n, this.m, h, out, oOff);
      case M_MA:
        return maForecast(y, off, n, p[P_WINDOW], h, out, oOff);
      case M_SES:
      case M_CROSTON:
      case M_SBA:
      case M_SBJ:
        return sesForecast(state, h, out, oOff); // the flat value left in state[0]
      case M_HOLT:
        return holtForecast(state, 1, h, out, oOff);
      case M_DAMPED:
        return holtForecast(state, p[P_PHI], h, out, oOff);
      case M_HW_ADD:
      case M_HW_MUL: {
        const phi = p[P_PHI];
        return hwForecast(state, this.season, n, this.m, code === M_HW_MUL, phi === phi ? phi : 1, h, out, oOff);
      }
      case M_TSB:
        return tsbForecast(state, h, out, oOff);
    }
  }

  /**
   * Fits the free parameters of `code` over the current length. `given` holds fixed values (NaN =
   * free) for the slots the method uses; `out` receives the full parameter vector (NaN in slots the
   * method does not use). `warm`, when given, is a starting point for the free slots; `quick` asks
   * for the cheaper search of fitSimplex. Returns the SSE at the result (NaN when nothing was free).
   */
  fit(code: number, given: Float64Array, dampedSeasonal: boolean, out: Float64Array, warm: Float64Array | null, quick = false): number {
    const used = usedParams(code, dampedSeasonal);
    const p = this.params;
    let dims = 0;
    for (let s = 0; s < PARAM_COUNT; s++) {
      if ((used & (1 << s)) === 0) p[s] = Number.NaN;
      else {
        const g = given[s];
        p[s] = g;
        if (g !== g && s !== P_WINDOW) this.free[dims++] = s;
      }
    }
    if (dims > 0) this.prepare(code, true);
    if (code === M_MA && p[P_WINDOW] !== p[P_WINDOW]) p[P_WINDOW] = maFitWindow(this.y, this.off, this.len, this.prefix);
    this.code = code;
    this.dims = dims;
    let f: number;
    if (dims === 0) f = Number.NaN; // nothing to fit (run() gives the SSE)
    else {
      for (let k = 0; k < dims; k++) {
        const s = this.free[k];
        this.lo[k] = s === P_PHI ? PHI_LOWER : SMOOTHING_LOWER;
        this.hi[k] = s === P_PHI ? PHI_UPPER : SMOOTHING_UPPER;
        this.step[k] = FIRST_STEP[s];
      }
      if (dims === 1) f = this.minimizer.golden(this, this.x, this.lo[0], this.hi[0]);
      else f = this.fitSimplex(warm, quick);
      for (let k = 0; k < dims; k++) p[this.free[k]] = this.x[k];
    }
    for (let s = 0; s < PARAM_COUNT; s++) out[s] = p[s];
    return f;
  }

  /**
   * Two to four free parameters. Full search: coarse runs from the best START_RUNS points of the
   * START_LEVELS grid (no two that differ only in phi), the best result polished. Warm start (a
   * refit on the whole history after the backtest's training fit): one coarse run from `warm`, then
   * the polish. Quick search (auto's candidate screening): one coarse run from the best point of
   * the small QUICK_LEVELS grid, no polish.
   */
  private fitSimplex(warm: Float64Array | null, quick: boolean): number {
    const dims = this.dims;
    const mz = this.minimizer;
    const maxEval = 40 + 40 * dims;
    if (quick) {
      this.bestStarts(QUICK_LEVELS, 1);
      for (let k = 0; k < dims; k++) this.x[k] = this.starts[k];
      return mz.nelderMead(this, this.x, dims, this.lo, this.hi, this.step, maxEval, SCREEN_XTOL);
    }
    let runs: number;
    if (warm !== null) {
      for (let k = 0; k < dims; k++) {
        const w = warm[this.free[k]];
        this.starts[k] = w === w ? Math.min(this.hi[k], Math.max(this.lo[k], w)) : START_LEVELS[this.free[k]][0];
      }
      runs = 1;
    } else runs = this.bestStarts(START_LEVELS, START_RUNS);
    let f = Infinity;
    for (let s = 0; s < runs; s++) {
      for (let k = 0; k < dims; k++) this.trial[k] = this.starts[s * 4 + k];
      const fs = mz.nelderMead(this, this.trial, dims, this.lo, this.hi, this.step, maxEval, SCREEN_XTOL);
      if (fs < f) {
        f = fs;
        for (let k = 0; k < dims; k++) this.x[k] = this.trial[k];
      }
    }
    for (let k = 0; k < dims; k++) this.polishStep[k] = this.step[k] / 8;
    return mz.polish(this, this.x, dims, this.lo, this.hi, this.polishStep, maxEval * 2, f);
  }

  private matchIndex = 0;

  /** Whether a kept start (among the first `keep`) equals this.trial except in phi; sets matchIndex. */
  private onlyPhiDiffers(keep: number): boolean {
    let phiAt = -1;
    for (let k = 0; k < this.dims; k++) if (this.free[k] === P_PHI) phiAt = k;
    if (phiAt < 0) return false;
    for (let q = 0; q < keep; q++) {
      if (this.startValues[q] === Infinity) continue;
      let same = true;
      for (let k = 0; k < this.dims; k++) if (k !== phiAt && this.starts[q * 4 + k] !== this.trial[k]) same = false;
      if (same) {
        this.matchIndex = q;
        return true;
      }
    }
    return false;
  }

  /** Restores best-first order of the kept starts after one value improved (insertion sort). */
  private resort(keep: number): void {
    const sf = this.startValues;
    for (let a = 1; a < keep; a++) {
      let b = a;
      while (b > 0 && sf[b] < sf[b - 1]) {
        const t = sf[b];
        sf[b] = sf[b - 1];
        sf[b - 1] = t;
        for (let k = 0; k < 4; k++) {
          const u = this.starts[b * 4 + k];
          this.starts[b * 4 + k] = this.starts[(b - 1) * 4 + k];
          this.starts[(b - 1) * 4 + k] = u;
        }
        b--;
      }
    }
  }

  /**
   * Evaluates the candidate grid over the free slots and keeps the `runs` best points in
   * this.starts (4 numbers per point, best first). Returns how many were kept.
   */
  private bestStarts(grid: readonly (readonly number[])[], runs: number): number {
    const dims = this.dims;
    const idx = this.free;
    let total = 1;
    for (let k = 0; k < dims; k++) total *= grid[idx[k]].length;
    const keep = Math.min(runs, total);
    const sf = this.startValues.fill(Infinity);
    for (let c = 0; c < total; c++) {
      let r = c;
      for (let k = 0; k < dims; k++) {
        const levels = grid[idx[k]];
        this.trial[k] = levels[r % levels.length];
        r = Math.floor(r / levels.length);
      }
      let f = this.value(this.trial);
      if (f !== f) f = Infinity;
      if (this.onlyPhiDiffers(keep)) {
        // a kept start differs from this one only in phi: keep the better of the two
        const q = this.matchIndex;
        if (f < sf[q]) {
          sf[q] = f;
          for (let k = 0; k < dims; k++) this.starts[q * 4 + k] = this.trial[k];
          this.resort(keep);
        }
        continue;
      }
      // insert into the sorted list of the best `keep` (ties keep the earlier point)
      let pos = keep;
      while (pos > 0 && f < sf[pos - 1]) pos--;
      if (pos < keep) {
        for (let q = keep - 1; q > pos; q--) {
          sf[q] = sf[q - 1];
          for (let k = 0; k < 4; k++) this.starts[q * 4 + k] = this.starts[(q - 1) * 4 + k];
        }
        sf[pos] = f;
        for (let k = 0; k < dims; k++) this.starts[pos * 4 + k] = this.trial[k];
      }
    }
    if (sf[0] === Infinity) {
      // every candidate failed (non-finite SSE): start from the first grid point
      for (let k = 0; k < dims; k++) this.starts[k] = grid[idx[k]][0];
      return 1;
    }
    let kept = 1;
    while (kept < keep && sf[kept] < Infinity) kept++;
    return kept;
  }
}
