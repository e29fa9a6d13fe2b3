/* The pane's Forecast step at scale: 100,000 SKUs x 104 periods through the "forecast" engine job
   (src/app/jobs/forecast.ts), as the Web Worker runs it: auto by pattern (pattern codes as the
   Classify step hands them), 12-period one-step backtest, horizon 12, season length 12, progress
   reported per engine chunk. Target (issue 9): <= 30 s, with progress and cancel.
   Also measured:
   - the structured clone of the job's input and output (what the worker's postMessage copies each
     way; the pane pays the output's clone on its thread);
   - the same job with 10 % of the SKUs (the CX-like segments) at the family level, 500 families;
   - how long a cancel can take in-line (the flag is checked before every chunk of 256 SKUs: one
     chunk's time; the worker runner ends the worker instead, at once).
   The history is bench/forecast.bench.ts's generator with the same seed (30 % steady, 10 % trend,
   20 % seasonal, 10 % erratic, 20 % intermittent, 9 % lumpy, 1 % dead; whole units). One timed run
   per section after a warm-up on 2,000 SKUs; wall and CPU time (on a busy shared machine the CPU
   time is the fairer figure). `npm run bench -- forecastJob`. */
import os from "node:os";
import { computeForecast } from "../src/app/jobs/forecast";
import type { ForecastJob, ForecastJobResult } from "../src/app/forecastModel";
import { CHUNK } from "../src/engine/forecast/batch";
import { FORECAST_METHODS } from "../src/engine/forecast/methods";
import { classifyPattern } from "../src/engine/pattern";
import { historyFromArray } from "../src/engine/xyz";
import { gc } from "./lib";

const SKUS = Number(process.env.SEG_BENCH_FORECAST_SKUS ?? 100_000) || 100_000;
const PERIODS = 104;
const H = 12;

let seed = 20261201;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const gaussian = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());

const history = new Float64Array(SKUS * PERIODS);
for (let r = 0; r < SKUS; r++) {
  const kind = r % 100;
  const level = 5 + 200 * rand();
  const slope = (rand() - 0.3) * level * 0.01;
  for (let j = 0; j < PERIODS; j++) {
    let x: number;
    if (kind < 30) x = level * (1 + 0.2 * gaussian());
    else if (kind < 40) x = level + slope * j + 0.15 * level * gaussian();
    else if (kind < 60) x = level * (1 + 0.4 * Math.sin((2 * Math.PI * j) / 12) + 0.1 * gaussian());
    else if (kind < 70) x = level * Math.exp(0.8 * gaussian());
    else if (kind < 90) x = rand() < 0.3 ? level * (0.5 + rand()) : 0;
    else if (kind < 99) x = rand() < 0.15 ? level * Math.exp(gaussian()) : 0;
    else x = 0;
    history[r * PERIODS + j] = Math.max(0, Math.round(x));
  }
}
const pattern = classifyPattern(historyFromArray(history, SKUS, PERIODS)).pattern;

const cpuNow = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};

function job(n: number, families = 0): ForecastJob {
  const family = new Int32Array(n).fill(-1);
  // every 10th SKU in a family of about 20 (500 families at 100,000 SKUs)
  if (families > 0) for (let r = 0; r < n; r += 10) family[r] = Math.floor(r / 10) % families;
  return {
    history: n === SKUS ? history : history.subarray(0, n * PERIODS),
    n,
    periods: PERIODS,
    methods: new Array(n).fill("auto"),
    pattern: pattern.subarray(0, n),
    family,
    familyNames: Array.from({ length: families }, (_, f) => `F${f + 1}`),
    horizon: H,
    backtestPeriods: 12,
    seasonLength: 12,
  };
}

function timed(input: ForecastJob): { wall: number; cpu: number; result: ForecastJobResult; progress: number } {
  computeForecast(job(Math.min(2000, SKUS), input.familyNames.length ? 20 : 0));
  gc?.();
  let progress = 0;
  const c0 = cpuNow();
  const t0 = performance.now();
  const result = computeForecast(input, { progress: () => progress++, aborted: false });
  return { wall: performance.now() - t0, cpu: cpuNow() - c0, result, progress };
}

function mix(r: ForecastJobResult): string {
  const counts = new Map<string, number>();
  for (let i = 0; i < r.n; i++) {
    const c = r.method[i];
    const k = r.errors.has(i) || c < 0 ? "error" : `${FORECAST_METHODS[c]}${r.level[i] ? " (family)" : ""}`;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${((100 * v) / r.n).toFixed(0)}%`).join(", ");
}

function main() {
  const skus = SKUS.toLocaleString("en-US");
  const load0 = os.loadavg()[0];
  console.log(`forecast job bench: ${skus} SKUs x ${PERIODS} periods, horizon ${H}; ${os.cpus().length} cores, node ${process.version}, load average ${load0.toFixed(1)}`);
  const pad = (s: string, n: number) => s.padEnd(n);
  const line = (what: string, wall: number, cpu: number, note = "") => console.log(`${pad(what, 52)}${pad(wall.toFixed(0), 10)}${pad(cpu.toFixed(0), 10)}${note}`);
  console.log(`${pad("", 52)}${pad("wall ms", 10)}${pad("cpu ms", 10)}`);

  const input = job(SKUS);
  const auto = timed(input);
  line(`"forecast" job, auto, 12-period backtest, ${skus}`, auto.wall, auto.cpu, `target <= 30 s ${auto.wall <= 30_000 ? "ok" : "MISSED"}; ${auto.progress} progress calls; ${mix(auto.result)}`);

  // what postMessage copies each way
  gc?.();
  let c0 = cpuNow();
  let t0 = performance.now();
  const inCopy = structuredClone(input);
  line("structured clone of the job input", performance.now() - t0, cpuNow() - c0, `${(inCopy.history.byteLength / 1e6).toFixed(0)} MB of history`);
  c0 = cpuNow();
  t0 = performance.now();
  structuredClone(auto.result);
  line("structured clone of the job output", performance.now() - t0, cpuNow() - c0);

  const fam = timed(job(SKUS, 500));
  line(`same with 10 % at the family level (500 families)`, fam.wall, fam.cpu, mix(fam.result));

  // cancel: the in-line job looks at the flag before every chunk of CHUNK SKUs, so it stops within one chunk's time
  const perChunk = auto.wall / Math.ceil(SKUS / CHUNK);
  line(`cancel in-line: at most one chunk (${CHUNK} SKUs)`, perChunk, auto.cpu / Math.ceil(SKUS / CHUNK), "the worker runner ends the worker at once");
  const load = os.loadavg()[0];
  if (load > os.cpus().length) console.log(`note: load average ${load.toFixed(1)} on ${os.cpus().length} cores while measuring; wall times include waiting for a core`);
}

main();
