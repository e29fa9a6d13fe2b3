/* Simulation and multi-echelon speed, with numpy beside the simulation:
   - simulatePolicies: 10,000 SKUs x 104 measured periods (+ 26 warm-up) x 100 replications of (s, Q)
     with backorders, normal demand, fixed lead times 1..8 periods; target <= 10 s (with the progress
     callback and abort signal the pane's worker passes). The rate is reported in simulated
     SKU-periods per second (warm-up included, replications counted);
   - numpy: the same policy on the same SKU parameters (written to a temporary binary file), vectorised
     over all SKU x replication lanes at once and stepped period by period (review, receipts, demand),
     with numpy's own normal draws; both runs print their mean fill rate as a cross-check;
   - solveGsmTree on a 500-stage spanning tree (assembly and distribution links mixed, processing
     times 1..30, replenishment paths of a few hundred periods); target <= 1 s;
   - gsmSerial on a 500-stage chain (no target; the serial DP is O(N M^2) with M the chain's total time).
   Inputs are deterministic pseudo-random (LCG, fixed seed). Simulation figures are single timed runs
   after two warm-ups (SEG_BENCH_RUNS raises the count; the median is printed); GSM figures the median of
   7. Wall clock and CPU time; on a busy shared machine the CPU time is the fairer figure. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildNetwork, type GsmStage } from "../src/engine/gsm/network";
import { gsmSerial } from "../src/engine/gsm/serial";
import { solveGsmTree } from "../src/engine/gsm/tree";
import { simulatePolicies, type SimulationResult } from "../src/engine/simulate/simulate";
import { gc, measure } from "./lib";

const SKUS = 10_000;
const HORIZON = 104;
const WARMUP = 26;
const REPS = 100;
const SIM_TARGET_MS = 10_000;
const GSM_STAGES = 500;
const GSM_TARGET_MS = 1000;
const SIM_RUNS = Math.max(1, Math.min(9, Number(process.env.SEG_BENCH_RUNS ?? 1) || 1));

let seed = 20261212;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;

// SKU parameters: mean 5..200, CV 0.1..0.5, L 1..8, s = mean L + 1.65 sd sqrt(L), Q = 4 mean
const mean = new Float64Array(SKUS);
const sd = new Float64Array(SKUS);
const lead = new Float64Array(SKUS);
const s = new Float64Array(SKUS);
const q = new Float64Array(SKUS);
for (let i = 0; i < SKUS; i++) {
  mean[i] = 5 + 195 * rand();
  sd[i] = mean[i] * (0.1 + 0.4 * rand());
  lead[i] = 1 + Math.floor(8 * rand());
  s[i] = Math.round(mean[i] * lead[i] + 1.65 * sd[i] * Math.sqrt(lead[i]));
  q[i] = Math.round(4 * mean[i]);
}

function runSimulation(): SimulationResult {
  const signal = { aborted: false };
  return simulatePolicies(
    { rows: SKUS, demand: { kind: "distribution", distribution: "normal", demandMean: mean, demandSd: sd }, leadTime: lead, holdingCost: 0.05, orderCost: 40, shortageCost: 2, unitCost: 3 },
    { policy: "sQ", reorderPoint: s, orderQty: q },
    { replications: REPS, horizon: HORIZON, warmUp: WARMUP, seed: 7, onProgress: () => undefined, signal },
  );
}

function meanFill(r: SimulationResult): number {
  let t = 0;
  for (let i = 0; i < SKUS; i++) t += r.sku.fillRate.mean[i];
  return t / SKUS;
}

function numpyFigures(): { ms: number; fill: number } | string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "seg-sim-bench-"));
  try {
    const pack = new Float64Array(SKUS * 5);
    for (let i = 0; i < SKUS; i++) pack.set([mean[i], sd[i], lead[i], s[i], q[i]], i * 5);
    writeFileSync(path.join(dir, "skus.f64"), Buffer.from(pack.buffer));
    const script = String.raw`
import json, sys, time
import numpy as np
d, skus, reps, H, W = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
p = np.fromfile(d + "/skus.f64", dtype=np.float64).reshape(skus, 5)
mu, sd, L, s, Q = (np.repeat(p[:, k], reps) for k in range(5))
L = L.astype(np.int64)
n = skus * reps
P = int(L.max()) + 1
rng = np.random.default_rng(7)
lanes = np.arange(n)
def run():
    pipe = np.zeros((P, n))
    on = s + Q
    back = np.zeros(n); onorder = np.zeros(n)
    dem = np.zeros(n); served = np.zeros(n)
    for t in range(W + H):
        ip = on - back + onorder
        order = np.where(ip <= s, (np.floor((s - ip) / Q) + 1) * Q, 0.0)
        pipe[(t + L) % P, lanes] += order
        onorder += order
        slot = t % P
        rec = pipe[slot].copy(); pipe[slot] = 0.0
        onorder -= rec
        fill = np.minimum(rec, back); back -= fill; on += rec - fill
        x = np.maximum(mu + sd * rng.standard_normal(n), 0.0)
        sv = np.minimum(x, on); on -= sv; back += x - sv
        if t >= W:
            dem += x; served += sv
    return (served / dem).reshape(skus, reps).mean(axis=1).mean()
t0 = time.perf_counter(); fill = run(); ms = (time.perf_counter() - t0) * 1000
print(json.dumps({"ms": ms, "fill": fill}))
`;
    const env = { ...process.env };
    delete env.OPENBLAS_CORETYPE;
    delete env.OPENBLAS_L2_SIZE;
    const r = spawnSync("/usr/bin/python3", ["-c", script, dir, String(SKUS), String(REPS), String(HORIZON), String(WARMUP)], { encoding: "utf8", timeout: 600_000, env });
    if (r.status !== 0) return `numpy comparison skipped: ${(r.stderr || r.error?.message || "python3 failed").trim().split("\n").pop()}`;
    return JSON.parse(r.stdout) as { ms: number; fill: number };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A spanning tree: stage k links to one of the 2 stages before it, upstream or downstream at random
 * (deep, with assembly and distribution mixed), processing times 1..30 periods (days, say).
 */
function gsmTree(n: number): GsmStage[] {
  const downs: string[][] = Array.from({ length: n }, () => []);
  for (let k = 1; k < n; k++) {
    const p = Math.max(0, k - 1 - Math.floor(2 * rand()));
    if (rand() < 0.5) downs[p].push(`S${k}`);
    else downs[k].push(`S${p}`);
  }
  return downs.map((d, k) => ({
    stage: `S${k}`,
    downstream: d,
    processingTime: 1 + Math.floor(30 * rand()),
    holdingCost: 0.1 + 2 * rand(),
    ...(d.length === 0 ? { demandMean: 10 + 90 * rand(), demandSd: 2 + 20 * rand(), z: 1.28 + rand(), maxServiceTime: Math.floor(3 * rand()) } : {}),
  }));
}

async function main() {
  console.log(`simulate bench: ${os.cpus().length} cores, node ${process.version}${gc ? "" : " (run with --expose-gc for steadier figures)"}`);
  const skuPeriods = SKUS * (HORIZON + WARMUP) * REPS;
  let last: SimulationResult | undefined;
  const sim = await measure(
    () => (last = runSimulation()),
    (r) => {
      if ((r as SimulationResult).errors.size) throw new Error("simulation rejected rows");
    },
    SIM_RUNS,
  );
  const np = numpyFigures();
  const rate = (ms: number) => `${((skuPeriods / ms) * 1000 / 1e6).toFixed(1)} M SKU-periods/s`;
  console.log(`(s, Q) simulation, ${SKUS.toLocaleString("en-US")} SKUs x ${HORIZON} (+${WARMUP} warm-up) periods x ${REPS} replications = ${(skuPeriods / 1e6).toFixed(0)} M SKU-periods`);
  console.log(`  engine: ${sim.wall.toFixed(0)} ms wall, ${sim.cpu.toFixed(0)} ms cpu (best ${sim.best.toFixed(0)})  ${rate(sim.wall)}  target <= ${SIM_TARGET_MS} ms: ${sim.wall <= SIM_TARGET_MS ? "ok" : sim.best <= SIM_TARGET_MS ? "median over, best under (check the load)" : "MISSED"}`);
  if (typeof np === "object") {
    console.log(`  numpy (vectorised over ${((SKUS * REPS) / 1e6).toFixed(0)} M lanes): ${np.ms.toFixed(0)} ms  ${rate(np.ms)}  engine / numpy time: ${(sim.wall / np.ms).toFixed(2)}`);
    console.log(`  mean fill rate over the SKUs: engine ${meanFill(last!).toFixed(4)}, numpy ${np.fill.toFixed(4)}`);
  } else console.log(`  ${np}`);

  const tree = gsmTree(GSM_STAGES);
  const maxM = Math.max(...buildNetwork(tree, "tree").M);
  const g = await measure(
    () => solveGsmTree(tree),
    (r) => {
      if (!((r as ReturnType<typeof solveGsmTree>).totalHoldingCostPerPeriod > 0)) throw new Error("no GSM solution");
    },
    7,
  );
  console.log(`GSM spanning tree, ${GSM_STAGES} stages (longest replenishment path ${maxM} periods): ${g.wall.toFixed(1)} ms wall, ${g.cpu.toFixed(1)} ms cpu (best ${g.best.toFixed(1)})  target <= ${GSM_TARGET_MS} ms: ${g.wall <= GSM_TARGET_MS ? "ok" : "MISSED"}`);
  const chainH = Array.from({ length: GSM_STAGES }, () => 0.1 + 2 * rand());
  const chainT = Array.from({ length: GSM_STAGES }, () => 1 + Math.floor(3 * rand()));
  const c = await measure(() => gsmSerial({ holdingCost: chainH, processingTime: chainT, demandSd: 10, z: 1.65, maxServiceTime: 1 }), () => undefined, 3);
  console.log(`GSM serial chain, ${GSM_STAGES} stages (total time ${chainT.reduce((a, b) => a + b, 0)} periods): ${c.wall.toFixed(0)} ms wall (no target)`);
  const load = os.loadavg()[0];
  if (load > os.cpus().length) console.log(`note: load average ${load.toFixed(1)} on ${os.cpus().length} cores while measuring; wall times include waiting for a core`);
  if (sim.best > SIM_TARGET_MS || g.best > GSM_TARGET_MS) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
