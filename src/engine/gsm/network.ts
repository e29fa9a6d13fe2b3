/**
 * The guaranteed-service model (GSM) network: stages, their links, and the checks that make it a
 * problem the dynamic programs in tree.ts and serial.ts can solve. Model and notation as in
 * S. C. Graves, S. P. Willems, "Optimizing strategic safety stock placement in supply chains",
 * MSOM 2(1), 2000, pp. 68–83 (and its erratum, MSOM 5(2), 2003), and L. V. Snyder, Z.-J. M. Shen,
 * "Fundamentals of Supply Chain Theory", 2nd ed., 2019, §6.3:
 *
 * - each stage j takes processingTime T_j periods once all its inputs are in; it quotes its
 *   downstream stages (or customers) a committed service time S_j and is quoted an inbound service
 *   time SI_j >= S_i by each upstream stage i (and >= supplierServiceTime, the external supplier's
 *   quote, at any stage); it holds a base stock that covers the demand bound over its net lead time
 *   NLT_j = SI_j + T_j - S_j >= 0;
 * - safety stock at j = z_j · sigma_j · sqrt(NLT_j), where sigma_j is the standard deviation of the
 *   stage's net demand per period: its own customers' demand plus that of every stage downstream,
 *   independent, so the variances add (sigma_j^2 = own sd^2 + sum over downstream stages); the mean
 *   adds likewise; base-stock level = mean_j · NLT_j + safety stock (Snyder & Shen eq. 6.31–6.33);
 * - customer-facing stages promise at most maxServiceTime (default 0: customers are served from stock);
 * - the objective is total holding cost of safety stock, sum of holdingCost_j · safety stock_j, with
 *   holdingCost in money per unit per period (the pipeline stock mean_j · T_j costs the same whatever
 *   the service times, so it is left out, as in both sources).
 * All times are whole periods: the dynamic programs enumerate service times 0, 1, 2, ...
 *
 * A network that breaks a rule is rejected whole, with one ArgumentError (argument "network") that
 * names the stage and what is wrong; nothing is solved.
 */
import { ArgumentError } from "../errors";

export interface GsmStage {
  /** Stage id, unique (e.g. "DC", "Store 12"). */
  stage: string;
  /** The stage(s) this stage supplies; none (empty, null, "") = it serves customers only. */
  downstream?: readonly string[] | string | null;
  /** Processing time T: whole periods >= 0 from having all inputs to having the product ready. */
  processingTime: number;
  /** Holding cost per unit per period of stock at this stage (money), >= 0. */
  holdingCost: number;
  /**
   * Mean demand per period of this stage's own customers (units), >= 0. Blank = the stage has no
   * customers of its own; a stage without downstream stages must have it (0 is allowed: no stock).
   */
  demandMean?: number | null;
  /** Standard deviation of that demand per period (units), >= 0; blank exactly when demandMean is. */
  demandSd?: number | null;
  /**
   * Safety factor z of the demand bound (e.g. z of the segment's service level). Required at stages
   * without a downstream stage; elsewhere blank = the largest z of the customer-facing stages it serves.
   */
  z?: number | null;
  /** Service time quoted by the external supplier (whole periods >= 0); blank = 0. */
  supplierServiceTime?: number | null;
  /**
   * Longest service time this stage may promise (whole periods >= 0). Blank = 0 at stages that serve
   * customers only (served from stock), unbounded elsewhere.
   */
  maxServiceTime?: number | null;
}

/** Longest replenishment path (periods) the dynamic programs accept. */
export const MAX_REPLENISHMENT_TIME = 5000;

/** A validated network with numeric indices (input order). */
export interface GsmNetwork {
  n: number;
  id: string[];
  T: Int32Array;
  h: Float64Array;
  /** External supplier service time. */
  si: Int32Array;
  /** Max outbound service time; a large number when unbounded. */
  sMax: Int32Array;
  /** Net demand per period at each stage (own + all downstream). */
  mean: Float64Array;
  sd: Float64Array;
  z: Float64Array;
  up: number[][];
  down: number[][];
  /** Longest replenishment time M_j = max(si_j, max over upstream M_i) + T_j. */
  M: Int32Array;
  /** Stages, upstream before downstream. */
  topo: Int32Array;
}

const UNBOUNDED = 1 << 30;

function bad(stage: string, message: string): ArgumentError {
  return new ArgumentError("network", `stage "${stage}": ${message}`);
}

const blank = (x: unknown) => x === undefined || x === null || (typeof x === "number" && Number.isNaN(x)) || x === "";
const describe = (x: unknown) => (typeof x === "string" ? JSON.stringify(x) : String(x));

function wholeTime(stage: string, field: string, x: unknown): number {
  if (typeof x === "number" && Number.isInteger(x) && x >= 0 && x <= MAX_REPLENISHMENT_TIME) return x;
  if (typeof x === "number" && x >= 0 && x < Infinity && !Number.isInteger(x)) {
    throw bad(stage, `${field} must be a whole number of periods, got ${x}; express the times in a shorter period (e.g. days)`);
  }
  throw bad(stage, `${field} must be a whole number of periods >= 0, got ${describe(x)}`);
}

function nonNegative(stage: string, field: string, x: unknown): number {
  if (typeof x === "number" && x >= 0 && x < Infinity) return x;
  throw bad(stage, `${field} must be a number >= 0, got ${describe(x)}`);
}

function downstreamList(d: GsmStage["downstream"]): string[] {
  if (d === undefined || d === null) return [];
  const list = typeof d === "string" ? [d] : Array.from(d);
  const out: string[] = [];
  for (const x of list) {
    const t = typeof x === "string" ? x.trim() : x === null || x === undefined ? "" : String(x);
    if (t !== "" && !out.includes(t)) out.push(t);
  }
  return out;
}

/**
 * Checks the stages and builds the network. `shape` "tree": the links must form a tree (or several
 * unconnected trees), i.e. between two stages there is at most one path; "serial": every stage has at
 * most one upstream and one downstream stage.
 */
export function buildNetwork(stages: readonly GsmStage[], shape: "tree" | "serial"): GsmNetwork {
  const n = stages.length;
  if (n === 0) throw new ArgumentError("network", "there are no stages");
  const id: string[] = [];
  const index = new Map<string, number>();
  stages.forEach((s, j) => {
    const name = typeof s.stage === "string" ? s.stage.trim() : typeof s.stage === "number" ? String(s.stage) : "";
    if (!name) throw new ArgumentError("network", `stage ${j + 1} in the list has no id`);
    if (index.has(name)) throw bad(name, "appears twice; give each stage one row with all its downstream stages");
    index.set(name, j);
    id.push(name);
  });
  const T = new Int32Array(n);
  const h = new Float64Array(n);
  const si = new Int32Array(n);
  const sMax = new Int32Array(n);
  const ownMean = new Float64Array(n);
  const ownSd = new Float64Array(n);
  const zIn = new Float64Array(n).fill(Number.NaN);
  const down: number[][] = [];
  const up: number[][] = Array.from({ length: n }, () => []);
  const hasDemand = new Uint8Array(n);
  stages.forEach((s, j) => {
    const name = id[j];
    T[j] = wholeTime(name, "processingTime", s.processingTime);
    h[j] = nonNegative(name, "holdingCost", s.holdingCost);
    si[j] = blank(s.supplierServiceTime) ? 0 : wholeTime(name, "supplierServiceTime", s.supplierServiceTime);
    const m = blank(s.demandMean);
    const d = blank(s.demandSd);
    if (m !== d) throw bad(name, m ? "demandMean is missing (its demandSd is given)" : "demandSd is missing (its demandMean is given)");
    if (!m) {
      ownMean[j] = nonNegative(name, "demandMean", s.demandMean);
      ownSd[j] = nonNegative(name, "demandSd", s.demandSd);
      hasDemand[j] = 1;
    }
    if (!blank(s.z)) {
      const z = s.z;
      if (!(typeof z === "number" && z >= 0 && z < Infinity)) throw bad(name, `z must be a number >= 0, got ${describe(z)}`);
      zIn[j] = z;
    }
    const list = downstreamList(s.downstream);
    const targets: number[] = [];
    for (const t of list) {
      const k = index.get(t);
      if (k === undefined) throw bad(name, `downstream stage "${t}" is not in the network`);
      if (k === j) throw bad(name, "lists itself as its downstream stage");
      targets.push(k);
      up[k].push(j);
    }
    down.push(targets);
    sMax[j] = blank(s.maxServiceTime) ? (targets.length === 0 ? 0 : UNBOUNDED) : wholeTime(name, "maxServiceTime", s.maxServiceTime);
  });

  if (shape === "serial") {
    for (let j = 0; j < n; j++) {
      if (down[j].length > 1) throw bad(id[j], `has ${down[j].length} downstream stages (${down[j].map((k) => `"${id[k]}"`).join(", ")}); the serial model needs a chain, use the tree model`);
      if (up[j].length > 1) throw bad(id[j], `has ${up[j].length} upstream stages (${up[j].map((k) => `"${id[k]}"`).join(", ")}); the serial model needs a chain, use the tree model`);
    }
  }
  const topo = topologicalOrder(n, id, up, down);
  checkTree(n, id, down);
  if (shape === "serial") {
    const sinks = down.filter((d) => d.length === 0).length;
    if (sinks > 1) throw new ArgumentError("network", `the serial model needs one chain, but ${sinks} stages serve customers only`);
  }

  // net demand, sinks first
  const mean = new Float64Array(ownMean);
  const variance = new Float64Array(n);
  for (let j = 0; j < n; j++) variance[j] = ownSd[j] * ownSd[j];
  for (let q = n - 1; q >= 0; q--) {
    const j = topo[q];
    for (const k of down[j]) {
      mean[j] += mean[k];
      variance[j] += variance[k];
    }
  }
  const sd = new Float64Array(n);
  for (let j = 0; j < n; j++) sd[j] = Math.sqrt(variance[j]);
  // customer-facing stages need demand and z; others take the largest z they serve
  const z = new Float64Array(n);
  const zServed = new Float64Array(n).fill(-1);
  for (let q = n - 1; q >= 0; q--) {
    const j = topo[q];
    if (down[j].length === 0) {
      if (!hasDemand[j]) throw bad(id[j], "has no downstream stage and no customer demand: give its demandMean and demandSd (0 for none), or link it to the stage it supplies");
      if (!(zIn[j] >= 0)) throw bad(id[j], "z is missing: a stage that serves customers needs the safety factor of their service level");
    }
    let zm = zIn[j] >= 0 && hasDemand[j] ? zIn[j] : -1;
    for (const k of down[j]) if (zServed[k] > zm) zm = zServed[k];
    zServed[j] = zm;
    z[j] = zIn[j] >= 0 ? zIn[j] : zm;
  }
  // longest replenishment times, sources first
  const M = new Int32Array(n);
  for (let q = 0; q < n; q++) {
    const j = topo[q];
    let m = si[j];
    for (const i of up[j]) if (M[i] > m) m = M[i];
    M[j] = m + T[j];
    if (M[j] > MAX_REPLENISHMENT_TIME) {
      throw bad(id[j], `the longest replenishment path to this stage is ${M[j]} periods; at most ${MAX_REPLENISHMENT_TIME} can be solved (use a longer period)`);
    }
  }
  return { n, id, T, h, si, sMax, mean, sd, z, up, down, M, topo };
}

/** Kahn's algorithm; a directed cycle is reported with its stages in order. */
function topologicalOrder(n: number, id: string[], up: number[][], down: number[][]): Int32Array {
  const indeg = new Int32Array(n);
  for (let j = 0; j < n; j++) indeg[j] = up[j].length;
  const order = new Int32Array(n);
  let head = 0;
  let tail = 0;
  for (let j = 0; j < n; j++) if (indeg[j] === 0) order[tail++] = j;
  while (head < tail) {
    const j = order[head++];
    for (const k of down[j]) if (--indeg[k] === 0) order[tail++] = k;
  }
  if (tail === n) return order;
  // a cycle exists among the stages left: walk downstream links inside them until one repeats
  const left = new Uint8Array(n);
  for (let j = 0; j < n; j++) left[j] = indeg[j] > 0 ? 1 : 0;
  let j = left.indexOf(1);
  const seen = new Map<number, number>();
  const path: number[] = [];
  while (!seen.has(j)) {
    seen.set(j, path.length);
    path.push(j);
    j = down[j].find((k) => left[k])!;
  }
  const cycle = path.slice(seen.get(j)!).concat([j]);
  throw new ArgumentError("network", `stages ${cycle.map((k) => `"${id[k]}"`).join(" → ")} form a cycle; a stage cannot be (indirectly) its own supplier`);
}

/**
 * The links must not close an undirected loop (two paths between the same two stages). When one does,
 * the message names a stage whose flow splits on the loop and the stage where it meets again.
 */
function checkTree(n: number, id: string[], down: number[][]): void {
  const root = new Int32Array(n);
  for (let j = 0; j < n; j++) root[j] = j;
  const find = (j: number): number => {
    while (root[j] !== j) j = root[j] = root[root[j]];
    return j;
  };
  const forest: number[][] = Array.from({ length: n }, () => []);
  for (let a = 0; a < n; a++) {
    for (const b of down[a]) {
      const ra = find(a);
      const rb = find(b);
      if (ra === rb) throw loopError(id, down, forestPath(forest, a, b));
      root[ra] = rb;
      forest[a].push(b);
      forest[b].push(a);
    }
  }
}

/** The path a .. b in the forest (they are connected). */
function forestPath(forest: number[][], a: number, b: number): number[] {
  const from = new Map<number, number>([[a, -1]]);
  const queue = [a];
  for (let q = 0; q < queue.length && !from.has(b); q++) {
    for (const k of forest[queue[q]]) {
      if (!from.has(k)) {
        from.set(k, queue[q]);
        queue.push(k);
      }
    }
  }
  const path: number[] = [];
  for (let x = b; x !== -1; x = from.get(x)!) path.push(x);
  return path.reverse();
}

/** `loop` lists the stages of a loop in order (the last is linked back to the first). */
function loopError(id: string[], down: number[][], loop: number[]): ArgumentError {
  const L = loop.length;
  const isDown = (from: number, to: number) => down[from].includes(to);
  let split = -1;
  let meet = -1;
  for (let q = 0; q < L; q++) {
    const prev = loop[(q - 1 + L) % L];
    const cur = loop[q];
    const next = loop[(q + 1) % L];
    if (split < 0 && isDown(cur, prev) && isDown(cur, next)) split = q;
    if (meet < 0 && isDown(prev, cur) && isDown(next, cur)) meet = q;
  }
  // the network has no directed cycle (checked before), so a loop always has both
  const s = loop[split];
  const [v1, v2] = [loop[(split - 1 + L) % L], loop[(split + 1) % L]].sort((a, b) => a - b); // input order
  return new ArgumentError(
    "network",
    `stage "${id[s]}" supplies "${id[v1]}" and "${id[v2]}", whose flows meet again at stage "${id[loop[meet]]}": the network must be a tree (one path between any two stages)`,
  );
}
