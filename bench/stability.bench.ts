/* Class stability under forecast error (src/engine/stability.ts): 100,000 SKUs x 104 weekly
   periods x 200 Monte Carlo runs, the ABC×XYZ segment, one error CV for all SKUs. Target: <= 20 s
   in the pane's worker (wall clock here, with progress). Prints the setup time, the time per run
   (wall and CPU), the total, and checks that an abort after a few runs returns at once with the
   runs done. Inputs: the deterministic generator of classify.bench.ts (same LCG, same seed), the
   value of each SKU = its total demand x a unit cost.
   SEG_BENCH_STABILITY_RUNS=20 runs a shorter simulation (the per-run figures stay comparable). */
import os from "node:os";
import { StabilitySimulation, classStability } from "../src/engine/stability";
import { historyFromArray } from "../src/engine/xyz";

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

function main() {
  console.log(`stability bench: ${SKUS.toLocaleString("en-US")} SKUs x ${PERIODS} periods x ${RUNS} runs, ${os.cpus().length} cores, node ${process.version}`);
  const h = historyFromArray(history, SKUS, PERIODS);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const sim = new StabilitySimulation(values, h, { runs: RUNS, seed: 1, errorCv: 0.25 });
  const setup = performance.now() - t0;
  let lastReport = t0;
  while (!sim.finished) {
    sim.step(1);
    const now = performance.now();
    if (now - lastReport > 2000) {
      console.log(`  ${sim.runsDone}/${RUNS} runs, ${((now - t0) / 1000).toFixed(1)} s`);
      lastReport = now;
    }
  }
  const res = sim.result();
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const cpu = (c.user + c.system) / 1e6;
  const flagged = res.flagged.reduce((s, x) => s + x, 0);
  console.log(`setup ${setup.toFixed(0)} ms; ${((wall * 1000 - setup) / RUNS).toFixed(1)} ms wall per run`);
  const projected = (wall * 1000 - setup) / RUNS * 200 / 1000 + setup / 1000;
  console.log(
    `total ${wall.toFixed(1)} s wall, ${cpu.toFixed(1)} s cpu` +
      (RUNS < 200 ? `; 200 runs projected ${projected.toFixed(1)} s` : "") +
      ` (target <= ${TARGET_S} s: ${(RUNS < 200 ? projected : wall) <= TARGET_S ? "ok" : "MISSED"}); ${flagged.toLocaleString("en-US")} SKUs below ${res.threshold}`,
  );
  // Abort: the signal is read between runs, so the call returns within one run's time.
  const signal = { aborted: false };
  const a0 = performance.now();
  const part = classStability(values, h, { runs: RUNS, seed: 1, signal, onProgress: (done) => (signal.aborted = done >= 3) });
  console.log(`abort after 3 runs: returned in ${((performance.now() - a0) / 1000).toFixed(2)} s with ${part.runs} runs, aborted=${part.aborted}`);
  const load = os.loadavg()[0];
  if (load > os.cpus().length) console.log(`note: load average ${load.toFixed(1)} on ${os.cpus().length} cores while measuring`);
}

main();
