/**
 * Guaranteed-service model for a serial system: the dynamic program of K. Inderfurth, "Safety stock
 * optimization in multistage inventory systems", Int. J. Production Economics 24 (1991) 103–113, as
 * in Snyder & Shen, "Fundamentals of Supply Chain Theory", 2nd ed., §6.3.5 (Example 6.3). Model and
 * conventions: network.ts.
 *
 * Stages are numbered from the customer: stage 1 serves the customers, stage N buys from the external
 * supplier (the numbering of Snyder & Shen and of stockpyl). Stage j's inbound service time is the
 * committed service time of stage j + 1 (stage N's is the supplier's); in general SI_j >= S_{j+1} and
 * SI_j >= supplierServiceTime_j. With M_j = max(supplierServiceTime_j, M_{j+1}) + T_j the longest
 * replenishment time at j (M_{N+1} = 0) and F_{N+1} = 0,
 *   f_j(S) = min over SI in [max(si_j, S - T_j), M_j - T_j] of h_j z_j sigma_j sqrt(SI + T_j - S) + F_{j+1}(SI),
 *   F_j(y) = min over S <= min(y, maxServiceTime_j) of f_j(S)   (the best quote to stage j - 1 within y),
 * and the optimum is F_1(M_1) (stage 1's quote capped by its maxServiceTime). With the supplier's time
 * only at stage N this is Inderfurth's recursion f_j(S) = min_SI h_j z sigma sqrt(SI + T_j - S) +
 * f_{j+1}(SI). Ties go to the smaller service time (as in stockpyl). O(N M^2) time.
 *
 * gsmSerial is the engine call behind =SEG.GSM_SERIAL: one row per stage, stage 1 first.
 */
import { ArgumentError } from "../errors";
import { buildNetwork, GsmNetwork, GsmStage, MAX_REPLENISHMENT_TIME } from "./network";
import { GsmResult, resultFromServiceTimes, tightInbound } from "./tree";

const INF = Number.POSITIVE_INFINITY;
const better = (x: number, best: number) => (best === INF ? x < INF : x < best - 1e-12 * Math.abs(best));

/** Service times for a validated chain (network.ts "serial" shape). */
export function solveSerialServiceTimes(net: GsmNetwork): Int32Array {
  const n = net.n;
  // chain order from the customer-facing stage upstream
  const chain: number[] = [];
  let j = net.down.findIndex((d) => d.length === 0);
  while (j >= 0) {
    chain.push(j);
    j = net.up[j].length ? net.up[j][0] : -1;
  }
  const N = chain.length;
  const T = chain.map((k) => net.T[k]);
  const si = chain.map((k) => net.si[k]);
  const M = chain.map((k) => net.M[k]); // max(si_q, M_{q+1}) + T_q
  const coef = chain.map((k) => net.h[k] * net.z[k] * net.sd[k]);
  const sq = new Float64Array(M[0] + 1);
  for (let x = 0; x <= M[0]; x++) sq[x] = Math.sqrt(x);
  // f_q(S), S in 0..M_q; bestIn[q][S] = the inbound service time SI_q that attains it. F[q] and argF[q]
  // are the prefix minima of f_q (stage q - 1 may be quoted any S_q <= its SI).
  const bestIn: Int32Array[] = new Array(N);
  const F: Float64Array[] = new Array(N);
  const argF: Int32Array[] = new Array(N);
  let f0 = new Float64Array(0);
  for (let q = N - 1; q >= 0; q--) {
    const k = chain[q];
    const lim = Math.min(net.sMax[k], M[q]);
    const inMax = M[q] - T[q];
    const val = new Float64Array(M[q] + 1).fill(INF);
    const arg = new Int32Array(M[q] + 1);
    const up = q + 1 < N ? F[q + 1] : null;
    const upLast = up ? up.length - 1 : 0;
    for (let S = 0; S <= lim; S++) {
      let b = INF;
      let bi = 0;
      for (let SI = Math.max(si[q], S - T[q]); SI <= inMax; SI++) {
        const c = coef[q] * sq[SI + T[q] - S] + (up ? up[SI < upLast ? SI : upLast] : 0);
        if (better(c, b)) {
          b = c;
          bi = SI;
        }
      }
      val[S] = b;
      arg[S] = bi;
    }
    bestIn[q] = arg;
    const pm = new Float64Array(M[q] + 1);
    const pa = new Int32Array(M[q] + 1);
    let m = INF;
    let ma = 0;
    for (let S = 0; S <= M[q]; S++) {
      if (better(val[S], m)) {
        m = val[S];
        ma = S;
      }
      pm[S] = m;
      pa[S] = ma;
    }
    F[q] = pm;
    argF[q] = pa;
    if (q === 0) f0 = val;
  }
  let best = INF;
  let cur = 0;
  for (let S = 0; S < f0.length; S++) {
    if (better(f0[S], best)) {
      best = f0[S];
      cur = S;
    }
  }
  const out = new Int32Array(n);
  for (let q = 0; q < N; q++) {
    out[chain[q]] = cur;
    if (q + 1 < N) {
      const SI = bestIn[q][cur];
      const last = argF[q + 1].length - 1;
      cur = argF[q + 1][SI < last ? SI : last];
    }
  }
  return out;
}

/** Optimal service times for a serial network given as stages (each with at most one downstream stage). */
export function solveGsmSerial(stages: readonly GsmStage[]): GsmResult {
  const net = buildNetwork(stages, "serial");
  const S = solveSerialServiceTimes(net);
  return resultFromServiceTimes(net, S, tightInbound(net, S));
}

export interface GsmSerialInput {
  /** Per stage, stage 1 (customer-facing) first: holding cost per unit per period, >= 0. */
  holdingCost: ArrayLike<number>;
  /** Per stage, same order: processing time, whole periods >= 0. */
  processingTime: ArrayLike<number>;
  /** Standard deviation of customer demand per period at stage 1, >= 0. */
  demandSd: number;
  /** Safety factor (e.g. z of the service level), >= 0. */
  z: number;
  /** Service time of the external supplier to stage N (whole periods >= 0); default 0. */
  supplierServiceTime?: number | null;
  /** Longest service time stage 1 may promise its customers (whole periods >= 0); default 0. */
  maxServiceTime?: number | null;
  /** Mean customer demand per period, for the base-stock levels; default 0. */
  demandMean?: number | null;
}

export interface GsmSerialResult extends GsmResult {
  /** Stage numbers "1" .. "N" (stage 1 serves the customers), input order. */
  stage: string[];
}

/**
 * =SEG.GSM_SERIAL(holding_costs, processing_times, demand_sd, z, [inbound_st], [outbound_st]):
 * per stage (input order, stage 1 = customer-facing) the committed service time, net lead time and
 * safety stock (and inbound service time, base-stock level, cost). Bad arguments throw ArgumentError
 * naming the engine field (holdingCost, processingTime, demandSd, z, supplierServiceTime,
 * maxServiceTime, demandMean) and the stage: one stage's bad value spoils the whole chain, since
 * every stage's answer depends on every other.
 */
export function gsmSerial(input: GsmSerialInput): GsmSerialResult {
  const n = input.holdingCost.length;
  if (n === 0) throw new ArgumentError("holdingCost", "give one holding cost per stage");
  if (input.processingTime.length !== n) throw new ArgumentError("processingTime", `has ${input.processingTime.length} stages but holdingCost has ${n}`);
  const scalar = (field: string, x: unknown, whole: boolean, dflt?: number): number => {
    if ((x === undefined || x === null || (typeof x === "number" && Number.isNaN(x))) && dflt !== undefined) return dflt;
    if (typeof x === "number" && x >= 0 && x < Infinity && (!whole || (Number.isInteger(x) && x <= MAX_REPLENISHMENT_TIME))) return x;
    throw new ArgumentError(field, `must be ${whole ? "a whole number of periods" : "a number"} >= 0, got ${x}`);
  };
  const demandSd = scalar("demandSd", input.demandSd, false);
  const z = scalar("z", input.z, false);
  const si = scalar("supplierServiceTime", input.supplierServiceTime, true, 0);
  const sMax = scalar("maxServiceTime", input.maxServiceTime, true, 0);
  const mean = scalar("demandMean", input.demandMean, false, 0);
  const stages: GsmStage[] = [];
  for (let q = 0; q < n; q++) {
    const h = input.holdingCost[q];
    const T = input.processingTime[q];
    if (!(typeof h === "number" && h >= 0 && h < Infinity)) throw new ArgumentError("holdingCost", `stage ${q + 1}: must be a number >= 0, got ${h}`);
    if (!(typeof T === "number" && Number.isInteger(T) && T >= 0 && T <= MAX_REPLENISHMENT_TIME)) {
      throw new ArgumentError("processingTime", `stage ${q + 1}: must be a whole number of periods >= 0, got ${T}`);
    }
    stages.push({
      stage: String(q + 1),
      downstream: q === 0 ? null : String(q),
      processingTime: T,
      holdingCost: h,
      demandMean: q === 0 ? mean : null,
      demandSd: q === 0 ? demandSd : null,
      z,
      supplierServiceTime: q === n - 1 ? si : null,
      maxServiceTime: q === 0 ? sMax : null,
    });
  }
  const net = buildNetwork(stages, "serial");
  const S = solveSerialServiceTimes(net);
  return resultFromServiceTimes(net, S, tightInbound(net, S));
}
