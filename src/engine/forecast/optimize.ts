/**
 * Derivative-free minimisers for fitting the smoothing parameters (objective: in-sample one-step
 * MSE, see model.ts). Both work on a box lo <= x <= hi and allocate nothing per call.
 *
 * - One parameter: a grid of GRID_POINTS evenly spaced values including both bounds, then
 *   golden-section search (Kiefer 1953; Press et al., Numerical Recipes, 3rd ed., §10.2) on the
 *   bracket around the best grid point, down to a width of GOLDEN_TOL; the better of the golden
 *   result and the best grid point is returned (so a minimum on a bound is found exactly). The grid
 *   guards against a second, worse local minimum capturing a plain golden search.
 * - Two to four parameters: Nelder-Mead (Nelder & Mead 1965, Computer Journal 7:308-313; the
 *   standard coefficients 1, 2, 1/2, 1/2 of Lagarias et al. 1998, SIAM J. Optim. 9:112-147) with
 *   bounds by projection: every trial point is clamped into the box. A run stops when the simplex
 *   is within xtol in every coordinate or its values agree to NM_FTOL relative. model.ts screens a
 *   few starting points with coarse runs and polishes the best one (polish: a fresh run down to
 *   NM_XTOL, which also restarts a simplex that collapsed, the usual way Nelder-Mead stalls, then
 *   each coordinate that ended within SNAP of a bound tried on the bound itself).
 * Ties keep the earlier point (the smaller grid value), so results are deterministic.
 */

export interface Objective {
  /** The objective at x (only the first `dims` entries are read). */
  value(x: Float64Array): number;
}

export const GRID_POINTS = 11;
export const GOLDEN_TOL = 1e-6;
export const NM_XTOL = 1e-6;
export const NM_FTOL = 1e-11;
export const SNAP = 1e-3;
const INV_PHI = 0.6180339887498949;
const MAX_DIMS = 4;

export class Minimizer {
  /** Objective evaluations since the counter was last reset (for tests and the bench). */
  evaluations = 0;
  private readonly simplex = new Float64Array((MAX_DIMS + 1) * MAX_DIMS);
  private readonly fv = new Float64Array(MAX_DIMS + 1);
  private readonly order = new Int32Array(MAX_DIMS + 1);
  private readonly centroid = new Float64Array(MAX_DIMS);
  private readonly xr = new Float64Array(MAX_DIMS);
  private readonly xe = new Float64Array(MAX_DIMS);
  private readonly xc = new Float64Array(MAX_DIMS);
  private readonly xv = new Float64Array(MAX_DIMS);
  private readonly steps = new Float64Array(MAX_DIMS);

  private eval(obj: Objective, x: Float64Array): number {
    this.evaluations++;
    const f = obj.value(x);
    return f === f ? f : Infinity;
  }

  /** Minimises over x[0] in [lo, hi]; leaves the minimiser in x[0] and returns the minimum. */
  golden(obj: Objective, x: Float64Array, lo: number, hi: number): number {
    const w = hi - lo;
    let bi = 0;
    let bf = Infinity;
    for (let i = 0; i < GRID_POINTS; i++) {
      x[0] = i === GRID_POINTS - 1 ? hi : lo + (w * i) / (GRID_POINTS - 1);
      const f = this.eval(obj, x);
      if (f < bf) {
        bf = f;
        bi = i;
      }
    }
    const best = bi === GRID_POINTS - 1 ? hi : lo + (w * bi) / (GRID_POINTS - 1);
    if (!(w > 0)) {
      x[0] = best;
      return bf;
    }
    let a = lo + (w * Math.max(bi - 1, 0)) / (GRID_POINTS - 1);
    let b = bi + 1 >= GRID_POINTS - 1 ? hi : lo + (w * (bi + 1)) / (GRID_POINTS - 1);
    let c = b - INV_PHI * (b - a);
    let d = a + INV_PHI * (b - a);
    x[0] = c;
    let fc = this.eval(obj, x);
    x[0] = d;
    let fd = this.eval(obj, x);
    const tol = GOLDEN_TOL * w;
    while (b - a > tol) {
      if (fc <= fd) {
        b = d;
        d = c;
        fd = fc;
        c = b - INV_PHI * (b - a);
        x[0] = c;
        fc = this.eval(obj, x);
      } else {
        a = c;
        c = d;
        fc = fd;
        d = a + INV_PHI * (b - a);
        x[0] = d;
        fd = this.eval(obj, x);
      }
    }
    const xm = fc <= fd ? c : d;
    const fm = fc <= fd ? fc : fd;
    if (fm < bf) {
      x[0] = xm;
      return fm;
    }
    x[0] = best;
    return bf;
  }

  /**
   * One Nelder-Mead run over x[0 .. dims) in the box [lo, hi], starting from x (inside the box) with
   * first simplex steps step[k], until the simplex is within xtol in every coordinate, its values
   * agree to NM_FTOL relative, or maxEval evaluations. Leaves the best vertex in x, returns its value.
   */
  nelderMead(obj: Objective, x: Float64Array, dims: number, lo: Float64Array, hi: Float64Array, step: Float64Array, maxEval: number, xtol = NM_XTOL): number {
    return this.run(obj, x, dims, lo, hi, step, maxEval, xtol);
  }

  /**
   * Polishes a point: a Nelder-Mead run with fresh steps (restarting a run that may have collapsed),
   * then each coordinate that ended within SNAP of a bound tried on the bound. x in and out.
   */
  polish(obj: Objective, x: Float64Array, dims: number, lo: Float64Array, hi: Float64Array, step: Float64Array, maxEval: number, f: number): number {
    const f2 = this.run(obj, x, dims, lo, hi, step, maxEval, NM_XTOL);
    if (f2 < f) f = f2;
    for (let k = 0; k < dims; k++) {
      const v = x[k];
      const span = hi[k] - lo[k];
      const target = v - lo[k] <= SNAP * span ? lo[k] : hi[k] - v <= SNAP * span ? hi[k] : v;
      if (target !== v) {
        x[k] = target;
        const ft = this.eval(obj, x);
        if (ft <= f) f = ft;
        else x[k] = v;
      }
    }
    return f;
  }

  private run(obj: Objective, x: Float64Array, d: number, lo: Float64Array, hi: Float64Array, step: Float64Array, maxEval: number, xtol: number): number {
    const S = this.simplex;
    const fv = this.fv;
    const ord = this.order;
    const cen = this.centroid;
    const xr = this.xr;
    const xe = this.xe;
    const xc = this.xc;
    const steps = this.steps;
    for (let k = 0; k < d; k++) steps[k] = step[k];
    const n1 = d + 1;
    // vertex 0 = x; vertex k+1 = x moved along coordinate k (inwards when that would leave the box)
    for (let v = 0; v < n1; v++) {
      for (let k = 0; k < d; k++) S[v * d + k] = x[k];
      if (v > 0) {
        const k = v - 1;
        const up = x[k] + steps[k];
        S[v * d + k] = up <= hi[k] ? up : Math.max(lo[k], x[k] - steps[k]);
      }
    }
    let used = 0;
    for (let v = 0; v < n1; v++) {
      fv[v] = this.vertexValue(obj, v, d);
      used++;
    }
    for (;;) {
      // order vertices by value (insertion sort of at most 5 indices; ties keep the lower index)
      for (let v = 0; v < n1; v++) ord[v] = v;
      for (let a = 1; a < n1; a++) {
        const t = ord[a];
        let b = a - 1;
        while (b >= 0 && fv[ord[b]] > fv[t]) {
          ord[b + 1] = ord[b];
          b--;
        }
        ord[b + 1] = t;
      }
      const best = ord[0];
      const worst = ord[d];
      const second = ord[d - 1];
      const fb = fv[best];
      // convergence
      let size = 0;
      for (let v = 0; v < n1; v++) {
        if (v === best) continue;
        for (let k = 0; k < d; k++) {
          const diff = Math.abs(S[v * d + k] - S[best * d + k]);
          if (diff > size) size = diff;
        }
      }
      const spread = fv[worst] - fb;
      if (size <= xtol || spread <= NM_FTOL * Math.abs(fb) || used >= maxEval) break;
      // centroid of all but the worst
      for (let k = 0; k < d; k++) cen[k] = 0;
      for (let v = 0; v < n1; v++) {
        if (v === worst) continue;
        for (let k = 0; k < d; k++) cen[k] += S[v * d + k];
      }
      for (let k = 0; k < d; k++) cen[k] /= d;
      const wOff = worst * d;
      for (let k = 0; k < d; k++) xr[k] = clamp(2 * cen[k] - S[wOff + k], lo[k], hi[k]);
      const fr = this.eval(obj, xr);
      used++;
      if (fr < fb) {
        for (let k = 0; k < d; k++) xe[k] = clamp(3 * cen[k] - 2 * S[wOff + k], lo[k], hi[k]);
        const fe = this.eval(obj, xe);
        used++;
        if (fe < fr) this.replace(worst, xe, fe, d);
        else this.replace(worst, xr, fr, d);
        continue;
      }
      if (fr < fv[second]) {
        this.replace(worst, xr, fr, d);
        continue;
      }
      const outside = fr < fv[worst];
      for (let k = 0; k < d; k++) xc[k] = outside ? cen[k] + 0.5 * (xr[k] - cen[k]) : cen[k] + 0.5 * (S[wOff + k] - cen[k]);
      const fc = this.eval(obj, xc);
      used++;
      if (outside ? fc <= fr : fc < fv[worst]) {
        this.replace(worst, xc, fc, d);
        continue;
      }
      // shrink towards the best vertex
      const bOff = best * d;
      for (let v = 0; v < n1; v++) {
        if (v === best) continue;
        for (let k = 0; k < d; k++) S[v * d + k] = S[bOff + k] + 0.5 * (S[v * d + k] - S[bOff + k]);
        fv[v] = this.vertexValue(obj, v, d);
        used++;
      }
    }
    let best = 0;
    for (let v = 1; v < n1; v++) if (fv[v] < fv[best]) best = v;
    for (let k = 0; k < d; k++) x[k] = S[best * d + k];
    return fv[best];
  }

  private vertexValue(obj: Objective, v: number, d: number): number {
    for (let k = 0; k < d; k++) this.xv[k] = this.simplex[v * d + k];
    return this.eval(obj, this.xv);
  }

  private replace(v: number, p: Float64Array, f: number, d: number): void {
    for (let k = 0; k < d; k++) this.simplex[v * d + k] = p[k];
    this.fv[v] = f;
  }
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}
