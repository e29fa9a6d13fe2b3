/* Forecasting at pane scale: 100,000 SKUs x 104 periods, horizon 12 (src/engine/forecast).
   - SES (alpha 0.3) and Croston (alpha 0.1) with the parameter fixed, beside numpy doing the same
     vectorised work in the same run (one time loop over the periods, vectorised over the SKUs, on
     the transposed, contiguous history; Croston with R forecast's conventions). Target: engine
     <= 2x numpy. The engine also validates every period and computes each row's in-sample RMSE;
     numpy does neither. Both results are cross-checked (sum of the forecasts, 1e-9 relative).
   - Fitted parameters (minimum in-sample MSE) for SES, Holt, Croston and TSB. Target <= 10 s each.
   - auto (pattern rule + 12-period backtest at lag 1, season length 12), with progress callbacks as
     the pane's worker gets them. Target <= 30 s.
   The history is deterministic pseudo-random (LCG, fixed seed): 30 % steady, 10 % trend, 20 %
   seasonal (12 periods), 10 % erratic, 20 % intermittent, 9 % lumpy, 1 % dead; whole units.
   Fast sections: median of RUNS timed runs after 2 warm-ups (bench/lib.ts measure). Slow sections:
   one timed run after a warm-up on 2,000 rows. Wall and CPU time are both printed (on a busy
   shared machine the CPU time is the fairer figure). */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { forecastBatch, type ForecastBatchResult, type ForecastOptions } from "../src/engine/forecast/batch";
import { FORECAST_METHODS } from "../src/engine/forecast/methods";
import { gc, measure } from "./lib";

const SKUS = Number(process.env.SEG_BENCH_FORECAST_SKUS ?? 100_000) || 100_000;
const PERIODS = 104;
const H = 12;
const RUNS = Math.max(5, Math.min(21, Number(process.env.SEG_BENCH_RUNS ?? 7) || 7));

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

const cpuNow = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};

function sumForecasts(r: ForecastBatchResult): number {
  let s = 0;
  for (let i = 0; i < r.forecast.length; i++) if (r.forecast[i] === r.forecast[i]) s += r.forecast[i];
  return s;
}

function numpyFigures(): Record<string, number> | string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "seg-forecast-bench-"));
  try {
    writeFileSync(path.join(dir, "history.f64"), Buffer.from(history.buffer, history.byteOffset, history.byteLength));
    const script = String.raw`
import json, sys, time
import numpy as np
d, skus, periods, runs, H = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), 12
h = np.fromfile(d + "/history.f64", dtype=np.float64).reshape(skus, periods)
def ses(a=0.3):
    ht = np.ascontiguousarray(h.T)
    l = ht[0].copy()
    for t in range(periods):
        l = a * ht[t] + (1 - a) * l
    return np.repeat(l[:, None], H, axis=1)
def croston(a=0.1):
    ht = np.ascontiguousarray(h.T)
    n = ht.shape[1]
    z = np.zeros(n); p = np.zeros(n); q = np.zeros(n); z1 = np.zeros(n); p1 = np.zeros(n)
    cnt = np.zeros(n, dtype=np.int64)
    for t in range(periods):
        v = ht[t]
        q += 1
        dem = v > 0
        first = dem & (cnt == 0)
        z1 = np.where(first, v, z1); p1 = np.where(first, q, p1)
        z = np.where(first, v, z); p = np.where(first, q, p)
        z = np.where(dem, a * v + (1 - a) * z, z)
        p = np.where(dem, a * q + (1 - a) * p, p)
        cnt += dem
        q = np.where(dem, 0.0, q)
    with np.errstate(divide="ignore", invalid="ignore"):
        f = np.where(cnt == 0, 0.0, np.where(cnt == 1, z1 / p1, z / p))
    return np.repeat(f[:, None], H, axis=1)
out = {}
for name, f in [("ses", ses), ("croston", croston)]:
    r = f(); f()
    ts = []
    for _ in range(runs):
        t = time.perf_counter(); f(); ts.append((time.perf_counter() - t) * 1000)
    out[name] = sorted(ts)[len(ts) // 2]
    out[name + "_sum"] = float(r.sum())
print(json.dumps(out))
`;
    const r = spawnSync("/usr/bin/python3", ["-c", script, dir, String(SKUS), String(PERIODS), String(RUNS)], { encoding: "utf8", timeout: 600_000 });
    if (r.status !== 0) return `numpy comparison skipped: ${(r.stderr || r.error?.message || "python3 failed").trim().split("\n").pop()}`;
    return JSON.parse(r.stdout) as Record<string, number>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Row {
  what: string;
  wall: number;
  cpu: number;
  target?: string;
  ok?: boolean;
  numpy?: number;
  note?: string;
}

/** One timed run of a slow section, after a warm-up on the first 2,000 rows. */
function once(options: ForecastOptions): { wall: number; cpu: number; result: ForecastBatchResult } {
  const warm = Math.min(2000, SKUS);
  forecastBatch(history.subarray(0, warm * PERIODS), warm, PERIODS, options);
  gc?.();
  const c0 = cpuNow();
  const t0 = performance.now();
  const result = forecastBatch(history, SKUS, PERIODS, options);
  return { wall: performance.now() - t0, cpu: cpuNow() - c0, result };
}

function mix(r: ForecastBatchResult): string {
  const counts = new Map<string, number>();
  for (const c of r.method) {
    const k = c >= 0 ? FORECAST_METHODS[c] : "error";
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${((100 * v) / r.rows).toFixed(0)}%`).join(", ");
}

async function main() {
  console.log(`forecast bench: ${SKUS.toLocaleString("en-US")} SKUs x ${PERIODS} periods, horizon ${H}; ${os.cpus().length} cores, node ${process.version}, median of ${RUNS} runs for the fast sections${gc ? "" : " (run with --expose-gc for steadier figures)"}`);
  const np = numpyFigures();
  const rows: Row[] = [];
  const skus = SKUS.toLocaleString("en-US");

  for (const [name, options] of [
    ["ses", { method: "ses", alpha: 0.3, horizon: H }],
    ["croston", { method: "croston", alpha: 0.1, horizon: H }],
  ] as [string, ForecastOptions][]) {
    let last: ForecastBatchResult | undefined;
    const t = await measure(
      () => (last = forecastBatch(history, SKUS, PERIODS, options)),
      (r) => {
        if ((r as ForecastBatchResult).forecast.length !== SKUS * H) throw new Error("wrong result size");
      },
      RUNS,
    );
    const numpy = typeof np === "object" ? np[name] : undefined;
    let note: string | undefined;
    if (typeof np === "object" && last) {
      const ours = sumForecasts(last);
      const theirs = np[`${name}_sum`];
      note = Math.abs(ours - theirs) <= 1e-9 * Math.abs(theirs) ? "sums agree" : `SUMS DIFFER ${ours} vs ${theirs}`;
    }
    const ratio = numpy ? t.wall / numpy : undefined;
    rows.push({ what: `${name}, alpha fixed, ${skus}`, wall: t.wall, cpu: t.cpu, numpy, target: "<= 2x numpy", ok: ratio === undefined ? undefined : ratio <= 2, note: `${ratio === undefined ? "" : `ratio ${ratio.toFixed(2)}; `}${note ?? ""}` });
  }

  for (const method of ["ses", "holt", "croston", "tsb"] as const) {
    const t = once({ method, horizon: H });
    rows.push({ what: `${method}, fitted parameters, ${skus}`, wall: t.wall, cpu: t.cpu, target: "<= 10 s", ok: t.wall <= 10_000 });
  }

  let progressCalls = 0;
  const auto = once({ method: "auto", horizon: H, seasonLength: 12, backtest: { periods: 12, lags: 1 }, onProgress: () => progressCalls++ });
  rows.push({ what: `auto, 12-period backtest, ${skus}`, wall: auto.wall, cpu: auto.cpu, target: "<= 30 s", ok: auto.wall <= 30_000, note: `${progressCalls} progress calls; ${mix(auto.result)}` });

  const pad = (s: string, n: number) => s.padEnd(n);
  console.log(`${pad("", 40)}${pad("wall ms", 11)}${pad("cpu ms", 11)}${pad("numpy ms", 10)}${pad("target", 16)}`);
  for (const r of rows) {
    const target = r.target ? `${r.target} ${r.ok === undefined ? "" : r.ok ? "ok" : "MISSED"}` : "";
    console.log(`${pad(r.what, 40)}${pad(r.wall.toFixed(1), 11)}${pad(r.cpu.toFixed(1), 11)}${pad(r.numpy === undefined ? "" : r.numpy.toFixed(1), 10)}${pad(target, 16)}${r.note ?? ""}`);
  }
  if (typeof np === "string") console.log(np);
  const load = os.loadavg()[0];
  if (load > os.cpus().length) console.log(`note: load average ${load.toFixed(1)} on ${os.cpus().length} cores while measuring; wall times include waiting for a core`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
