/**
 * Guaranteed-service model on spanning trees: the dynamic program of S. C. Graves and S. P. Willems,
 * "Optimizing strategic safety stock placement in supply chains", MSOM 2(1), 2000, §5 (with the
 * erratum, MSOM 5(2), 2003), as presented in Snyder & Shen, "Fundamentals of Supply Chain Theory",
 * 2nd ed., §6.3.6. Model and conventions: network.ts.
 *
 * Labelling: stages are peeled like leaves (a stage is labelled once at most one unlabelled stage is
 * adjacent), so every stage k but the last has exactly one adjacent stage p(k) labelled after it.
 * Stage k's subproblem is the subtree N_k hanging off p(k). Processed in label order:
 *   - p(k) downstream of k: f_k(S) = min over SI of c_k(S, SI), the least cost of N_k when k quotes p(k)
 *     the service time S;
 *   - p(k) upstream of k:   g_k(SI) = min over S of c_k(S, SI), the least cost of N_k when k is quoted
 *     the inbound service time SI;
 * with c_k(S, SI) = h_k z_k sigma_k sqrt(SI + T_k - S)
 *                   + sum over upstream neighbours i labelled before k of  min_{x <= SI} f_i(x)
 *                   + sum over downstream neighbours j labelled before k of min_{y >= S} g_j(y),
 * subject to S <= maxServiceTime_k, SI >= supplierServiceTime_k, 0 <= SI + T_k - S. Service times
 * run over whole periods up to the longest replenishment time M_k (inbound up to M_k - T_k), which
 * loses nothing. The last stage minimises over both. Backtracking from it recovers every S and SI.
 *
 * Ties (equal cost within 1e-12 relative) go to the smaller service time, as in stockpyl's
 * implementation (first minimum in increasing order), so that the two agree on the reported solution
 * where the optimum is not unique.
 *
 * Work: O(sum over stages of M_k^2) time, O(sum of M_k) memory; a 500-stage tree with replenishment
 * paths of a few hundred periods takes tens of milliseconds.
 */
import { ArgumentError } from "../errors";
import { buildNetwork, GsmNetwork, GsmStage } from "./network";

/** Per stage, input order. */
export interface GsmResult {
  stage: string[];
  /** Committed (outbound) service time S, periods. */
  serviceTime: Int32Array;
  /** Inbound service time SI the stage plans with: >= its supplier's and every upstream stage's S. */
  inboundServiceTime: Int32Array;
  /** Net lead time SI + T - S, periods (>= 0). */
  netLeadTime: Int32Array;
  /** Net demand per period at the stage (own customers and every stage downstream). */
  netDemandMean: Float64Array;
  netDemandSd: Float64Array;
  /** Safety factor used at the stage. */
  z: Float64Array;
  /** z · netDemandSd · sqrt(netLeadTime), units. */
  safetyStock: Float64Array;
  /** netDemandMean · netLeadTime + safetyStock, units. */
  baseStockLevel: Float64Array;
  /** holdingCost · safetyStock, money per period. */
  holdingCostPerPeriod: Float64Array;
  /** Sum of holdingCostPerPeriod: the minimised objective. */
  totalHoldingCostPerPeriod: number;
}

const INF = Number.POSITIVE_INFINITY;
/** x improves on best (ties within 1e-12 relative keep the earlier, smaller service time). */
const better = (x: number, best: number) => (best === INF ? x < INF : x < best - 1e-12 * Math.abs(best));

/** Fills the result columns from chosen service times (input order). */
export function resultFromServiceTimes(net: GsmNetwork, S: Int32Array, SI: Int32Array): GsmResult {
  const n = net.n;
  const nlt = new Int32Array(n);
  const ss = new Float64Array(n);
  const base = new Float64Array(n);
  const cost = new Float64Array(n);
  let total = 0;
  for (let j = 0; j < n; j++) {
    nlt[j] = SI[j] + net.T[j] - S[j];
    ss[j] = net.z[j] * net.sd[j] * Math.sqrt(nlt[j]);
    base[j] = net.mean[j] * nlt[j] + ss[j];
    cost[j] = net.h[j] * ss[j];
    total += cost[j];
  }
  return {
    stage: net.id.slice(),
    serviceTime: S,
    inboundServiceTime: SI,
    netLeadTime: nlt,
    netDemandMean: new Float64Array(net.mean),
    netDemandSd: new Float64Array(net.sd),
    z: new Float64Array(net.z),
    safetyStock: ss,
    baseStockLevel: base,
    holdingCostPerPeriod: cost,
    totalHoldingCostPerPeriod: total,
  };
}

/**
 * Reports the tightest inbound service times for chosen outbound ones: SI_j = max(supplier's, every
 * upstream S_i, S_j - T_j). The last term only binds where a stage promises more time than its
 * replenishment takes (net lead time 0 either way).
 */
export function tightInbound(net: GsmNetwork, S: Int32Array): Int32Array {
  const SI = new Int32Array(net.n);
  for (let j = 0; j < net.n; j++) {
    let x = net.si[j];
    for (const i of net.up[j]) if (S[i] > x) x = S[i];
    if (S[j] - net.T[j] > x) x = S[j] - net.T[j];
    SI[j] = x;
  }
  return SI;
}

/** Solves a validated network (any forest) by the Graves–Willems DP; returns outbound service times. */
export function solveTreeServiceTimes(net: GsmNetwork): Int32Array {
  const n = net.n;
  const { T, M, si, sMax, up, down } = net;
  const coef = new Float64Array(n);
  for (let j = 0; j < n; j++) coef[j] = net.h[j] * net.z[j] * net.sd[j];
  let maxM = 0;
  for (let j = 0; j < n; j++) if (M[j] > maxM) maxM = M[j];
  const sq = new Float64Array(maxM + 1);
  for (let x = 0; x <= maxM; x++) sq[x] = Math.sqrt(x);

  // labelling by leaf peeling, per connected component
  const neighbours: number[][] = [];
  for (let j = 0; j < n; j++) neighbours.push(up[j].concat(down[j]));
  const labelled = new Uint8Array(n);
  const open = new Int32Array(n); // unlabelled neighbours
  for (let j = 0; j < n; j++) open[j] = neighbours[j].length;
  const order: number[] = [];
  const parent = new Int32Array(n).fill(-1); // p(k); -1 for a component's last stage
  const queue: number[] = [];
  for (let j = 0; j < n; j++) if (open[j] <= 1) queue.push(j);
  for (let q = 0; q < queue.length; q++) {
    const k = queue[q];
    if (labelled[k]) continue;
    labelled[k] = 1;
    order.push(k);
    for (const u of neighbours[k]) {
      if (labelled[u]) continue;
      parent[k] = u;
      if (--open[u] === 1) queue.push(u); // (one that drops to 0 was queued at 1 already)
    }
  }

  // kind: 1 = f (function of S, p(k) downstream), 2 = g (function of SI), roots are g too
  const isF = new Uint8Array(n);
  for (const k of order) if (parent[k] >= 0 && down[k].includes(parent[k])) isF[k] = 1;
  const arg: Int32Array[] = new Array(n); // f: best SI for each S; g: best S for each SI
  const minArr: Float64Array[] = new Array(n); // f: prefix min over S; g: suffix min over SI
  const minArg: Int32Array[] = new Array(n);
  const rootBest: number[] = [];

  for (const k of order) {
    const Mk = M[k];
    const inMax = Mk - T[k];
    // U(SI): upstream children, D(S): downstream children
    const U = new Float64Array(inMax + 1);
    const D = new Float64Array(Mk + 1);
    for (const c of neighbours[k]) {
      if (c === parent[k]) continue;
      if (isF[c]) {
        const F = minArr[c];
        const last = F.length - 1;
        for (let x = 0; x <= inMax; x++) U[x] += F[x < last ? x : last];
      } else {
        const G = minArr[c];
        for (let y = 0; y <= Mk; y++) D[y] += G[y];
      }
    }
    const a = coef[k];
    const Tk = T[k];
    const lim = sMax[k] < Mk ? sMax[k] : Mk;
    if (isF[k]) {
      const val = new Float64Array(Mk + 1).fill(INF);
      const best = new Int32Array(Mk + 1);
      for (let S = 0; S <= lim; S++) {
        let lo = S - Tk;
        if (lo < si[k]) lo = si[k];
        let b = INF;
        let bi = lo;
        for (let SI = lo; SI <= inMax; SI++) {
          const c = a * sq[SI + Tk - S] + U[SI];
          if (better(c, b)) {
            b = c;
            bi = SI;
          }
        }
        val[S] = b + D[S];
        best[S] = bi;
      }
      arg[k] = best;
      // prefix minimum over S (upstream side of p(k) asks for min over x <= SI)
      const pm = new Float64Array(Mk + 1);
      const pa = new Int32Array(Mk + 1);
      let m = INF;
      let ma = 0;
      for (let S = 0; S <= Mk; S++) {
        if (better(val[S], m)) {
          m = val[S];
          ma = S;
        }
        pm[S] = m;
        pa[S] = ma;
      }
      minArr[k] = pm;
      minArg[k] = pa;
    } else {
      const val = new Float64Array(inMax + 1);
      const best = new Int32Array(inMax + 1);
      for (let SI = 0; SI <= inMax; SI++) {
        const SIe = SI < si[k] ? si[k] : SI;
        let hi = SIe + Tk;
        if (hi > lim) hi = lim;
        let b = INF;
        let bs = 0;
        for (let S = 0; S <= hi; S++) {
          const c = a * sq[SIe + Tk - S] + D[S];
          if (better(c, b)) {
            b = c;
            bs = S;
          }
        }
        val[SI] = b + U[SIe];
        best[SI] = bs;
      }
      arg[k] = best;
      if (parent[k] >= 0) {
        // suffix minimum over SI (the downstream side of p(k) asks for min over y >= S); ties to the smaller y
        const sm = new Float64Array(inMax + 1);
        const sa = new Int32Array(inMax + 1);
        let m = INF;
        let ma = inMax;
        for (let SI = inMax; SI >= 0; SI--) {
          if (!better(m, val[SI])) {
            m = val[SI];
            ma = SI;
          }
          sm[SI] = m;
          sa[SI] = ma;
        }
        minArr[k] = sm;
        minArg[k] = sa;
      } else {
        let m = INF;
        let ma = 0;
        for (let SI = 0; SI <= inMax; SI++) {
          if (better(val[SI], m)) {
            m = val[SI];
            ma = SI;
          }
        }
        rootBest[k] = ma;
        if (!(m < INF)) throw new ArgumentError("network", `stage "${net.id[k]}": no feasible service times`);
      }
    }
  }

  // backtrack from each root
  const S = new Int32Array(n);
  const SIs = new Int32Array(n);
  const stack: number[] = [];
  for (let q = order.length - 1; q >= 0; q--) {
    const r = order[q];
    if (parent[r] >= 0) continue;
    const SIraw = rootBest[r];
    SIs[r] = SIraw < si[r] ? si[r] : SIraw;
    S[r] = arg[r][SIraw];
    stack.push(r);
    while (stack.length) {
      const k = stack.pop()!;
      for (const c of neighbours[k]) {
        if (c === parent[k]) continue;
        if (isF[c]) {
          const last = minArg[c].length - 1;
          const x = SIs[k] < last ? SIs[k] : last;
          S[c] = minArg[c][x];
          SIs[c] = arg[c][S[c]];
        } else {
          const raw = minArg[c][S[k]];
          SIs[c] = raw < si[c] ? si[c] : raw;
          S[c] = arg[c][raw];
        }
        stack.push(c);
      }
    }
  }
  return S;
}

/**
 * Optimal committed service times, safety stocks and base-stock levels for a tree (or forest) of
 * stages, minimising the holding cost of safety stock. Throws ArgumentError("network") for a network
 * that is not a valid tree (see network.ts).
 */
export function solveGsmTree(stages: readonly GsmStage[]): GsmResult {
  const net = buildNetwork(stages, "tree");
  const S = solveTreeServiceTimes(net);
  return resultFromServiceTimes(net, S, tightInbound(net, S));
}

/**
 * The same figures for service times chosen by hand (serviceTime per stage, input order): inbound
 * service time = max(supplier's, every upstream stage's), net lead time = SI + T - S. A service time
 * above SI + T, or above the stage's maxServiceTime, is rejected naming the stage.
 */
export function evaluateGsm(stages: readonly GsmStage[], serviceTime: ArrayLike<number>): GsmResult {
  const net = buildNetwork(stages, "tree");
  if (serviceTime.length !== net.n) throw new ArgumentError("serviceTime", `has ${serviceTime.length} values, expected one per stage (${net.n})`);
  const S = new Int32Array(net.n);
  for (let j = 0; j < net.n; j++) {
    const x = serviceTime[j];
    if (!(Number.isInteger(x) && x >= 0)) throw new ArgumentError("serviceTime", `stage "${net.id[j]}": must be a whole number of periods >= 0, got ${x}`);
    if (x > net.sMax[j]) throw new ArgumentError("serviceTime", `stage "${net.id[j]}": ${x} exceeds its maxServiceTime ${net.sMax[j]}`);
    S[j] = x;
  }
  const SI = new Int32Array(net.n);
  for (let j = 0; j < net.n; j++) {
    let x = net.si[j];
    for (const i of net.up[j]) if (S[i] > x) x = S[i];
    if (S[j] > x + net.T[j]) {
      throw new ArgumentError("serviceTime", `stage "${net.id[j]}": service time ${S[j]} is more than its inbound service time ${x} plus processing time ${net.T[j]} (a negative net lead time)`);
    }
    SI[j] = x;
  }
  return resultFromServiceTimes(net, S, SI);
}
