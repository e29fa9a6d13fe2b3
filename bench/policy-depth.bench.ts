/* Policy depth at 100,000 SKUs (issue 12): distribution-based levels with rounding, budget
   allocation, and the FILL_RATE engine call, with scipy beside the parts it can do vectorised.
   - policy rows, demand patterns mixed (40 % smooth, 20 % erratic -> normal; 25 % intermittent,
     15 % lumpy -> negative binomial / Poisson, by "auto"), half csl / half fill, half (s, Q) /
     half (R, S), then rounding: target <= 1,000 ms;
   - the same with every row discrete (negbin, Poisson where the variance is below the mean):
     target <= 1,000 ms;
   - budget allocation over the mixed rows (greedy marginal analysis): target <= 5,000 ms;
   - the pane's path (the "policy" engine job the Policy step runs in the worker: lifecycle,
     levels per segment with "auto" distributions, floors, order multiples and MOQs, rounding,
     expected service of the rounded levels), without and with a total safety-stock budget;
     targets 1,000 ms and 5,000 ms;
   - csl quantiles only (all discrete) and FILL_RATE of given levels (all discrete), against
     scipy.stats poisson/nbinom ppf and the closed-form losses with sf/pmf, vectorised (no
     validation, no fill-rate search: scipy has no vectorised "smallest level with fill >= beta").
   Inputs: deterministic LCG, written to a temporary file for python. Figures: median of RUNS
   timed runs after 2 warm-ups (bench/lib.ts measure), wall and CPU. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { computePolicy } from "../src/app/jobs/policy";
import type { PolicyJob } from "../src/app/policyInput";
import { defaultPolicyGrid, defaultPolicyOptions } from "../src/engine/policy";
import { allocateBudget } from "../src/engine/policy/budget";
import { distributionPolicyColumns, fillRateOfPolicyColumns, intervalDemandColumns } from "../src/engine/policy/levels";
import { roundPolicyColumns } from "../src/engine/rounding";
import { gc, measure } from "./lib";

const N = 100_000;
const RUNS = Math.max(3, Math.min(21, Number(process.env.SEG_BENCH_RUNS ?? 7) || 7));

let seed = 20260412;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const d = new Float64Array(N);
const sd = new Float64Array(N);
const L = new Float64Array(N);
const R = new Float64Array(N);
const sl = new Float64Array(N);
const q = new Float64Array(N);
const pattern = new Float64Array(N);
const cost = new Float64Array(N);
const multiple = new Float64Array(N);
const method: ("csl" | "fill")[] = new Array(N);
const segment: string[] = new Array(N);
for (let i = 0; i < N; i++) {
  const k = i % 20;
  pattern[i] = k < 8 ? 0 : k < 12 ? 1 : k < 17 ? 2 : 3;
  const slow = pattern[i] >= 2;
  d[i] = slow ? 0.05 + 3 * rand() : 5 + 200 * rand();
  sd[i] = d[i] * (slow ? 0.8 + 2 * rand() : 0.2 + 0.8 * rand());
  L[i] = 1 + Math.floor(8 * rand());
  R[i] = rand() < 0.5 ? 0 : 1 + Math.floor(4 * rand());
  sl[i] = 0.85 + 0.14 * rand();
  q[i] = Math.max(1, d[i] * (2 + 6 * rand()));
  method[i] = rand() < 0.5 ? "csl" : "fill";
  cost[i] = 1 + 100 * rand();
  multiple[i] = slow ? 1 : [1, 5, 10, 12][Math.floor(4 * rand())];
  segment[i] = "ABC"[i % 3] + "XYZZ"[pattern[i]];
}

function policyRows(distribution: "auto" | "negbin") {
  const r = distributionPolicyColumns({ rows: N, demandMean: d, demandSd: sd, leadTime: L, reviewPeriod: R, distribution, pattern, method, serviceLevel: sl, orderQty: q });
  const orderQty = Float64Array.from(R, (r0, i) => (r0 > 0 ? d[i] * r0 : q[i]));
  const rounded = roundPolicyColumns({ rows: N, reorderPoint: r.reorderPoint, orderQty, reviewPeriod: R, orderMultiple: multiple });
  return { r, rounded };
}
const noErrors = (x: unknown) => {
  const { r, rounded } = x as ReturnType<typeof policyRows>;
  if (r.errors.size || rounded.errors.size) throw new Error(`unexpected row errors: ${r.errors.size + rounded.errors.size}`);
};

function scipyFigures(levels: Float64Array, dist: Int8Array): Record<string, number> | string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "seg-policy-depth-"));
  try {
    for (const [name, arr] of Object.entries({ d, sd, L, R, sl, q, levels })) writeFileSync(path.join(dir, `${name}.f64`), Buffer.from((arr as Float64Array).buffer));
    writeFileSync(path.join(dir, "dist.i8"), Buffer.from(dist.buffer));
    const script = String.raw`
import json, sys, time, warnings
import numpy as np
from scipy.stats import nbinom, poisson
warnings.filterwarnings("ignore")
d_, runs = sys.argv[1], int(sys.argv[2])
ld = lambda n: np.fromfile(f"{d_}/{n}.f64", dtype=np.float64)
d, sd, L, R, sl, q, lev = (ld(n) for n in ["d", "sd", "L", "R", "sl", "q", "levels"])
dist = np.fromfile(f"{d_}/dist.i8", dtype=np.int8)
m = d * (L + R); v = (L + R) * sd * sd
mL = d * L; vL = L * sd * sd
nb = dist == 2
def quantiles():
    out = poisson.ppf(sl, m)
    p = m[nb] / v[nb]; r = m[nb] ** 2 / (v[nb] - m[nb])
    out[nb] = nbinom.ppf(sl[nb], r, p)
    return out
def loss(x, mm, vv):
    # closed forms: (m - x) sf(x) + c pmf(x), c = m (Poisson) or (x + r) q / p (negbin)
    out = (mm - x) * poisson.sf(x, mm) + mm * poisson.pmf(x, mm)
    k = nb & (mm > 0)
    p = mm[k] / vv[k]; r = mm[k] ** 2 / (vv[k] - mm[k])
    out[k] = (mm[k] - x[k]) * nbinom.sf(x[k], r, p) + (x[k] + r) * (1 - p) / p * nbinom.pmf(x[k], r, p)
    return np.where(mm > 0, out, np.maximum(-x, 0))
def fill():
    per = np.where(R > 0, d * R, q)
    short = np.where(R > 0, loss(lev, m, v) - loss(lev, mL, vL), loss(lev, m, v) - loss(lev + np.floor(q), m, v))
    return 1 - short / per
out = {}
for name, f in [("quantiles", quantiles), ("fill", fill)]:
    f(); ts = []
    for _ in range(runs):
        t = time.perf_counter(); f(); ts.append((time.perf_counter() - t) * 1000)
    out[name] = sorted(ts)[len(ts) // 2]
print(json.dumps(out))
`;
    const env = { ...process.env };
    delete env.OPENBLAS_CORETYPE;
    delete env.OPENBLAS_L2_SIZE;
    const r = spawnSync("/usr/bin/python3", ["-c", script, dir, String(RUNS)], { encoding: "utf8", timeout: 600_000, env });
    if (r.status !== 0) return `scipy comparison skipped: ${(r.stderr || r.error?.message || "python3 failed").trim().split("\n").pop()}`;
    return JSON.parse(r.stdout) as Record<string, number>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  console.log(`policy-depth bench: ${N.toLocaleString("en-US")} SKUs, ${os.cpus().length} cores, node ${process.version}, median of ${RUNS} runs${gc ? "" : " (run with --expose-gc for steadier figures)"}`);
  const rows: { what: string; wall: number; cpu: number; target?: number; scipy?: number }[] = [];
  const time = (fn: () => unknown, check: (r: unknown) => void) => measure(fn, check, RUNS);

  rows.push({ what: "policy rows, auto (mixed) + rounding", ...(await time(() => policyRows("auto"), noErrors)), target: 1000 });
  rows.push({ what: "policy rows, all discrete + rounding", ...(await time(() => policyRows("negbin"), noErrors)), target: 1000 });

  const cslOnly = () => distributionPolicyColumns({ rows: N, demandMean: d, demandSd: sd, leadTime: L, reviewPeriod: R, distribution: "negbin", method: "csl", serviceLevel: sl, orderQty: q });
  const csl = cslOnly();
  // FILL_RATE of the csl levels, continuous review with Q taken to whole units as in scipy's script
  const qWhole = Float64Array.from(q, (x) => Math.floor(x));
  const fillRates = () => fillRateOfPolicyColumns({ rows: N, reorderPoint: csl.reorderPoint, demandMean: d, demandSd: sd, leadTime: L, reviewPeriod: R, orderQty: qWhole, distribution: "negbin" });
  const sp = scipyFigures(csl.reorderPoint, csl.distribution);
  rows.push({ what: "csl quantiles only, all discrete", ...(await time(cslOnly, () => undefined)), scipy: typeof sp === "object" ? sp.quantiles : undefined });
  rows.push({ what: "FILL_RATE engine call, all discrete", ...(await time(fillRates, () => undefined)), scipy: typeof sp === "object" ? sp.fill : undefined });

  const demand = intervalDemandColumns({ rows: N, demandMean: d, demandSd: sd, leadTime: L, reviewPeriod: R, distribution: "auto", pattern });
  let steps = 0;
  let fill = 0;
  const budget = () => {
    const b = allocateBudget({ rows: N, demand, orderQty: q, unitCost: cost, segment }, 4e7);
    steps = b.steps;
    fill = b.pools[0].fillRate;
    return b;
  };
  rows.push({ what: "budget allocation (4e7 over the mixed rows)", ...(await time(budget, () => undefined)), target: 5000 });

  // the pane's path: the policy job on columns as src/app/policyInput.ts builds them
  const grid = defaultPolicyGrid();
  const nan = () => new Float64Array(N).fill(Number.NaN);
  const job = (withBudget: boolean): PolicyJob => ({
    grid,
    options: { ...defaultPolicyOptions(), budgetMode: withBudget ? "total" : "none", budget: withBudget ? 4e7 : 0 },
    rows: N,
    sku: Array.from({ length: N }, (_, i) => `SKU${i}`),
    segment,
    gridRow: null,
    decidedBy: new Array<string>(N).fill("grid"),
    planned: new Uint8Array(N).fill(1),
    demandMean: d,
    demandSd: sd,
    demandFromForecast: null,
    pattern,
    leadTime: L,
    leadTimeSd: nan(),
    orderQty: q, // used as the lot under continuous review (A segments), ignored by periodic review
    unitCost: cost,
    orderMultiple: multiple,
    moq: nan(),
    floor: Float64Array.from({ length: N }, (_, i) => (i % 50 === 0 ? 2 : Number.NaN)),
    unitVolume: nan(),
    location: null,
    lifecycle: null,
    phaseOutStart: null,
    lastBuy: null,
    analog: null,
    family: null,
    asOf: 0,
    capacity: [],
    budget: withBudget ? 4e7 : null,
  });
  const plain = job(false);
  const budgeted = job(true);
  let jobErrors = 0;
  rows.push({ what: "pane: policy job (auto, floors, rounding)", ...(await time(() => computePolicy(plain), (r) => (jobErrors = (r as ReturnType<typeof computePolicy>).table.errors.size))), target: 1000 });
  rows.push({ what: "pane: policy job with a total budget", ...(await time(() => computePolicy(budgeted), () => undefined)), target: 5000 });

  const pad = (s: string, n: number) => s.padEnd(n);
  console.log(`${pad("", 46)}${pad("wall ms", 10)}${pad("cpu ms", 10)}${pad("target", 14)}scipy ms`);
  for (const r of rows) {
    const target = r.target === undefined ? "" : `<= ${r.target} ${r.wall <= r.target ? "ok" : "MISSED"}`;
    console.log(`${pad(r.what, 46)}${pad(r.wall.toFixed(1), 10)}${pad(r.cpu.toFixed(1), 10)}${pad(target, 14)}${r.scipy === undefined ? "" : r.scipy.toFixed(1)}`);
  }
  console.log(`budget allocation: ${steps.toLocaleString("en-US")} steps bought, pooled fill rate ${fill.toFixed(4)}`);
  console.log(`policy job: ${jobErrors.toLocaleString("en-US")} row errors (continuous review without an order quantity or unit cost)`);
  if (typeof sp === "string") console.log(sp);
  const load = os.loadavg()[0];
  if (load > os.cpus().length) console.log(`note: load average ${load.toFixed(1)} on ${os.cpus().length} cores while measuring; wall times include waiting for a core`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
