/* The pane's Stability step at scale: 100,000 SKUs x 104 weekly periods x 200 runs through the
   "stability" engine job (src/app/jobs/stability.ts), in a worker as the pane runs it: the pane's
   runner (src/taskpane/workerClient.ts) driving the job host (src/app/jobHost.ts) on node worker
   threads (test/helpers/nodeJobWorker.ts), progress after every run, 1 % of the SKUs inactive
   (skipped, as the Classify step hands them), one error CV for all. Measured twice: on one worker,
   and with a helper worker per further core (the pane's setting, at most 3). Target (issue 11):
   <= 20 s in the worker, with progress and cancel.
   Also measured: the structured clone of the job's input and output (what postMessage copies
   each way) and how long a cancel takes through the runner (it ends the workers).
   Inputs: bench/stability.bench.ts's generator (same LCG, same seed). Wall and CPU time; on the
   shared machine CPU time is the fairer figure. SEG_BENCH_STABILITY_RUNS=20 runs a shorter
   simulation and projects 200. `npm run bench -- stabilityJob`. */
import os from "node:os";
import { computeStability, type StabilityJob } from "../src/app/jobs/stability";
import { createWorkerRunnerWith } from "../src/taskpane/workerClient";
import { startNodeJobWorker } from "../test/helpers/nodeJobWorker";
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

async function timed<T>(f: () => T | Promise<T>): Promise<{ out: T; wall: number; cpu: number }> {
  gc?.();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const out = await f();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { out, wall, cpu: (c.user + c.system) / 1000 };
}

/** The job through the pane's runner on worker threads, `helpers` helper workers allowed. */
async function inWorker(input: StabilityJob, helpers: number, onProgress?: () => void, signal?: AbortSignal) {
  const runner = createWorkerRunnerWith(startNodeJobWorker, { helpers });
  try {
    // the bench keeps its arrays: the runner copies them (no transfer list), as the pane does
    return await runner.run("stability", input, { onProgress, signal });
  } finally {
    runner.dispose?.();
  }
}

async function main() {
  const cores = os.cpus().length;
  const helpers = Math.min(3, cores - 1);
  console.log(`stability job bench: ${SKUS.toLocaleString("en-US")} SKUs x ${PERIODS} periods x ${RUNS} runs, ${cores} cores, node ${process.version}`);
  const input = job(RUNS);
  const clonedIn = await timed(() => structuredClone(input));
  // setup (the reference classification, copying the kept periods) once, in-line
  const setup = await timed(() => computeStability(job(1), { progress() {}, aborted: false }));
  const project = (wall: number) => (RUNS < 200 ? (setup.wall + ((wall - setup.wall) / Math.max(1, RUNS - 1)) * 199) / 1000 : wall / 1000);
  const one = await timed(() => inWorker(input, 0));
  let progress = 0;
  const many = await timed(() => inWorker(input, helpers, () => progress++));
  const clonedOut = await timed(() => structuredClone(many.out));
  const same = one.out.stay.every((s, i) => Object.is(s, many.out.stay[i]));
  console.log(`setup (one run in-line) ${setup.wall.toFixed(0)} ms; input clone ${clonedIn.wall.toFixed(0)} ms; output clone ${clonedOut.wall.toFixed(0)} ms`);
  for (const [label, r] of [["one worker", one], [`${1 + helpers} workers (${helpers} helper${helpers === 1 ? "" : "s"})`, many]] as const) {
    console.log(
      `job, ${label}: ${(r.wall / 1000).toFixed(1)} s wall, ${(r.cpu / 1000).toFixed(1)} s cpu` +
        (RUNS < 200 ? `; 200 runs projected ${project(r.wall).toFixed(1)} s` : "") +
        ` (target <= ${TARGET_S} s: ${project(r.wall) <= TARGET_S ? "ok" : "MISSED"})`,
    );
  }
  console.log(`speed-up ${(one.wall / many.wall).toFixed(2)}x; same result on both: ${same ? "yes" : "NO"}; ${progress} progress reports; ${many.out.flagged.reduce((a, x) => a + x, 0).toLocaleString("en-US")} SKUs below 0.8`);
  const abort = new AbortController();
  let reports = 0;
  const a0 = performance.now();
  let stoppedAt = 0;
  try {
    await inWorker(job(RUNS), helpers, () => {
      if (++reports === 3) {
        stoppedAt = performance.now();
        abort.abort();
      }
    }, abort.signal);
    console.log("cancel: not honoured");
  } catch (e) {
    console.log(`cancel after ${((stoppedAt - a0) / 1000).toFixed(2)} s: rejected in ${(performance.now() - stoppedAt).toFixed(0)} ms (${(e as Error).name})`);
  }
  const load = os.loadavg()[0];
  if (load > cores) console.log(`note: load average ${load.toFixed(1)} on ${cores} cores while measuring`);
}

void main();
