/* The pane's Stability step at scale: 100,000 SKUs x 104 weekly periods x 200 runs through the
   "stability" engine job (src/app/jobs/stability.ts), as the Web Worker runs it: progress after
   every run, 1 % of the SKUs inactive (skipped, as the Classify step hands them), one error CV
   for all. Target (issue 11): <= 20 s in the worker, with progress and cancel.
   Also measured: the structured clone of the job's input and output (what postMessage copies
   each way) and how long an in-line cancel takes (the flag is read between runs: one run's time;
   the worker runner ends the worker instead, at once).
   Inputs: bench/stability.bench.ts's generator (same LCG, same seed). Wall and CPU time; on the
   shared machine CPU time is the fairer figure. SEG_BENCH_STABILITY_RUNS=20 runs a shorter
   simulation and projects 200. `npm run bench -- stabilityJob`. */
import os from "node:os";
import { computeStability, type StabilityJob } from "../src/app/jobs/stability";
import { gc } from "./lib";

const SKUS = 100_000;
const PERIODS = 104;
const RUNS = Math.max(1, Math.min(200, Number(process.env.SEG_BENCH_STABILITY_RUNS ?? 200) || 200));
const TARGET_S = 20;

let seed = 20261125;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const gaussian = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
const history = new Float64Array(SKUS * PERIODS);
const values = new Float64Array(SKUS);
for (let r = 0; r < SKUS; r++) {
  const kind = r % 10;
  const level = 5 + 200 * rand();
  let total = 0;
  for (let j = 0; j < PERIODS; j++) {
    let x: number;
    if (kind < 4) x = level * (1 + 0.2 * gaussian());
    else if (kind < 6) x = level * (1 + 0.5 * Math.sin((2 * Math.PI * j) / 52) + 0.15 * gaussian());
    else if (kind < 8) x = level * Math.exp(gaussian());
    else if (kind < 9) x = rand() < 0.2 ? level * rand() : 0;
    else x = 0;
    if (kind < 6 && rand() < 0.02) x *= 5;
    const v = Math.max(0, Math.round(x));
    history[r * PERIODS + j] = v;
    total += v;
  }
  values[r] = total * Math.exp(1.5 * gaussian());
}
const skip = Uint8Array.from({ length: SKUS }, (_, i) => (i % 100 === 99 ? 1 : 0));

function job(runs: number): StabilityJob {
  return { rows: SKUS, periods: PERIODS, values, history, skip, errorCv: 0.25, runs, seed: 1, threshold: 0.8, cutoffs: [0.8, 0.95], xMax: 0.5, yMax: 1, sdType: "population" };
}

function timed<T>(f: () => T): { out: T; wall: number; cpu: number } {
  gc?.();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const out = f();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { out, wall, cpu: (c.user + c.system) / 1000 };
}

function main() {
  console.log(`stability job bench: ${SKUS.toLocaleString("en-US")} SKUs x ${PERIODS} periods x ${RUNS} runs, ${os.cpus().length} cores, node ${process.version}`);
  const input = job(RUNS);
  const clonedIn = timed(() => structuredClone(input));
  let progress = 0;
  const run = timed(() => computeStability(input, { progress: () => progress++, aborted: false }));
  const clonedOut = timed(() => structuredClone(run.out));
  // setup (the reference classification, copying the kept periods) once, then the runs
  const setup = timed(() => computeStability(job(1), { progress() {}, aborted: false }));
  const perRun = Math.max(0, run.wall - setup.wall) / Math.max(1, RUNS - 1);
  const perRunCpu = Math.max(0, run.cpu - setup.cpu) / Math.max(1, RUNS - 1);
  console.log(`one run with setup ${setup.wall.toFixed(0)} ms wall, ${setup.cpu.toFixed(0)} ms cpu; each further run ${perRun.toFixed(0)} ms wall, ${perRunCpu.toFixed(0)} ms cpu; 200 runs projected ${((setup.cpu + 199 * perRunCpu) / 1000).toFixed(1)} s cpu`);
  const projected = RUNS < 200 ? (setup.wall + perRun * 199) / 1000 : run.wall / 1000;
  console.log(`input clone ${clonedIn.wall.toFixed(0)} ms; output clone ${clonedOut.wall.toFixed(0)} ms`);
  console.log(
    `job ${(run.wall / 1000).toFixed(1)} s wall, ${(run.cpu / 1000).toFixed(1)} s cpu (${progress} progress reports)` +
      (RUNS < 200 ? `; 200 runs projected ${projected.toFixed(1)} s` : "") +
      ` (target <= ${TARGET_S} s: ${projected <= TARGET_S ? "ok" : "MISSED"}); ${run.out.flagged.reduce((a, x) => a + x, 0).toLocaleString("en-US")} SKUs below 0.8`,
  );
  const ctx = { aborted: false, progress: (done: number) => (ctx.aborted = done >= 2) };
  const a0 = performance.now();
  try {
    computeStability(job(RUNS), ctx);
    console.log("cancel: not honoured");
  } catch (e) {
    console.log(`cancel after 2 runs: stopped in ${((performance.now() - a0) / 1000).toFixed(2)} s (${(e as Error).name})`);
  }
  const load = os.loadavg()[0];
  if (load > os.cpus().length) console.log(`note: load average ${load.toFixed(1)} on ${os.cpus().length} cores while measuring`);
}

main();
