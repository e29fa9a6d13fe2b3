/* Classification at sheet scale, engine and custom-function wrapper, with numpy beside them:
   - SEGMENT_ABC on 1,048,576 rows (a full Excel column) given as [[v], [v], ...]; target < 250 ms
     for the wrapper (read, validate, rank, classify, shape the spill);
   - XYZ_CV on 100,000 SKUs x 104 weekly periods given as rows of cells; target < 300 ms;
   - DEMAND_PATTERN on the same history (no target; figure for reference);
   - XYZ_CV with exclude_outliers=TRUE, and the Hampel filter alone (7-period window) on
     100,000 x 104; target < 150 ms for the filter;
   - ABC with churn control (previous classes and a 0.02 band) on the full column (no target).
   Ratio targets (issue 11), against numpy doing the same work in the same run: XYZ_CV and
   DEMAND_PATTERN engine <= 1.2x, their wrappers <= 2x, SEGMENT_ABC <= 1.2x.
   Inputs are deterministic pseudo-random (LCG, fixed seed). Each figure is the median of RUNS timed
   runs after 2 warm-ups, wall clock and CPU time (CPU counts every thread of the process, GC
   helpers included; on a busy shared machine it is the fairer figure of the two).
   numpy: the same data (written to a temporary binary file) goes to python3 + numpy doing the same
   computation vectorised (stable argsort + cumsum + searchsorted; row mean/std; masked ADI/CV²),
   timed in-process there; numpy's figures exclude any conversion from Excel-shaped input. */
import "../test/helpers/customFunctionsShim"; // the CustomFunctions global exists only inside Excel
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { classifyAbc } from "../src/engine/abc";
import { classifyAbcStable } from "../src/engine/churn";
import { hampelInto, hampelSettings } from "../src/engine/outliers";
import { classifyPattern } from "../src/engine/pattern";
import { classifyXyz, historyFromArray } from "../src/engine/xyz";
import { demandPatternCells, segmentAbcCells, xyzCvCells } from "../src/functions/classify";
import { gc, measure } from "./lib";

const ABC_ROWS = 1_048_576;
const SKUS = 100_000;
const PERIODS = 104;
const RUNS = Math.max(5, Math.min(21, Number(process.env.SEG_BENCH_RUNS ?? 7) || 7));

let seed = 20261125;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const gaussian = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());

// Annual values: log-normal spread over ~5 decades, in cents, with a block of exact ties.
const abcValues = new Float64Array(ABC_ROWS);
for (let i = 0; i < ABC_ROWS; i++) abcValues[i] = i % 50 === 0 ? 1000 : Math.round(Math.exp(6 + 2.2 * gaussian()) * 100) / 100;

// Weekly demand: steady, seasonal, erratic, intermittent and dead SKUs, whole units.
const history = new Float64Array(SKUS * PERIODS);
for (let r = 0; r < SKUS; r++) {
  const kind = r % 10;
  const level = 5 + 200 * rand();
  for (let j = 0; j < PERIODS; j++) {
    let x: number;
    if (kind < 4) x = level * (1 + 0.2 * gaussian());
    else if (kind < 6) x = level * (1 + 0.5 * Math.sin((2 * Math.PI * j) / 52) + 0.15 * gaussian());
    else if (kind < 8) x = level * Math.exp(gaussian());
    else if (kind < 9) x = rand() < 0.2 ? level * rand() : 0;
    else x = 0;
    if (kind < 6 && rand() < 0.02) x *= 5; // occasional promotion
    history[r * PERIODS + j] = Math.max(0, Math.round(x));
  }
}
// Excel-shaped copies are built only for their own section and dropped after it, so that the
// million one-cell rows of the ABC column do not sit in the heap (and in every GC) during the XYZ runs.
const excelColumn = (): number[][] => Array.from(abcValues, (v) => [v]);
const excelRows = (): number[][] => Array.from({ length: SKUS }, (_, r) => Array.from(history.subarray(r * PERIODS, (r + 1) * PERIODS)));


async function time(fn: () => unknown, check: (r: unknown) => void): Promise<{ wall: number; cpu: number }> {
  const { wall, cpu } = await measure(fn, check, RUNS);
  return { wall, cpu };
}

/** Full collections with pauses between, so that background sweeping is done before timing resumes. */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    gc?.();
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function rowsOf(n: number): (r: unknown) => void {
  return (r: unknown) => {
    if (!Array.isArray(r) || r.length !== n) throw new Error(`expected ${n} result rows`);
  };
}
const lengthOf = (n: number, get: (r: never) => ArrayLike<unknown>) => (r: unknown) => {
  if (get(r as never).length !== n) throw new Error(`expected ${n} results`);
};

function numpyFigures(): Record<string, number> | string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "seg-classify-bench-"));
  try {
    writeFileSync(path.join(dir, "abc.f64"), Buffer.from(abcValues.buffer));
    writeFileSync(path.join(dir, "history.f64"), Buffer.from(history.buffer));
    const script = String.raw`
import json, sys, time
import numpy as np
d, skus, periods, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
v = np.fromfile(d + "/abc.f64", dtype=np.float64)
h = np.fromfile(d + "/history.f64", dtype=np.float64).reshape(skus, periods)
limits = np.array([0.8, 0.95]) * (1 + 1e-12)
def abc():
    order = np.argsort(-v, kind="stable")
    cs = np.cumsum(v[order]) / v.sum()
    cls = np.empty(len(v), dtype=np.int32)
    cls[order] = np.searchsorted(limits, cs, side="left")
    return cls
def xyz():
    m = h.mean(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        cv = h.std(axis=1) / m
    return np.select([m == 0, cv <= 0.5, cv <= 1.0], [3, 0, 1], 2)
def pattern():
    nz = h > 0
    k = nz.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        adi = periods / k
        mean = h.sum(axis=1) / k
        var = np.where(nz, (h - mean[:, None]) ** 2, 0.0).sum(axis=1) / k
        cv2 = var / mean ** 2
    return (adi >= 1.32) * 2 + (cv2 >= 0.49)
out = {}
for name, f in [("abc", abc), ("xyz", xyz), ("pattern", pattern)]:
    f()
    ts, cs = [], []
    for _ in range(runs):
        c = time.process_time(); t = time.perf_counter(); f(); ts.append((time.perf_counter() - t) * 1000); cs.append((time.process_time() - c) * 1000)
    out[name] = sorted(ts)[len(ts) // 2]
    out[name + "Cpu"] = sorted(cs)[len(cs) // 2]
print(json.dumps(out))
`;
    // Debian's python3 has numpy (the pyenv python3 first on PATH may not); OpenBLAS tuning
    // variables of the environment are left out so that numpy runs with its defaults.
    const python = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
    const env = { ...process.env };
    delete env.OPENBLAS_CORETYPE;
    delete env.OPENBLAS_L2_SIZE;
    const r = spawnSync(python, ["-c", script, dir, String(SKUS), String(PERIODS), String(RUNS)], { encoding: "utf8", timeout: 300_000, env });
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
  /** Absolute target in ms. */
  target?: number;
  /** numpy figure this row is compared with (wall and CPU), and the largest ratio allowed. */
  numpy?: number;
  numpyCpu?: number;
  maxRatio?: number;
}

async function main() {
  console.log(`classify bench: ${os.cpus().length} cores, node ${process.version}, median of ${RUNS} runs${gc ? "" : " (run with --expose-gc for steadier figures)"}`);
  const rows: Row[] = [];
  const np = numpyFigures();
  const npOf = (k: string) => (typeof np === "object" ? np[k] : undefined);
  const vs = (k: string, maxRatio: number) => ({ numpy: npOf(k), numpyCpu: npOf(`${k}Cpu`), maxRatio });

  const abcHistory = historyFromArray(history, SKUS, PERIODS);
  rows.push({ what: `ABC engine + shares/ranks, ${ABC_ROWS.toLocaleString("en-US")}`, ...(await time(() => classifyAbc(abcValues), lengthOf(ABC_ROWS, (r: { abc: Int32Array }) => r.abc))), ...vs("abc", 1.2) });
  let abcColumn: number[][] | undefined = excelColumn();
  rows.push({ what: `SEGMENT_ABC wrapper, ${ABC_ROWS.toLocaleString("en-US")} rows`, ...(await time(() => segmentAbcCells(abcColumn, null, null), rowsOf(ABC_ROWS))), target: 250, ...vs("abc", 1.2) });
  abcColumn = undefined;
  const labels = ["A", "B", "C"];
  let previous: string[] | undefined = Array.from({ length: ABC_ROWS }, (_, i) => labels[i % 3]);
  rows.push({ what: `ABC with previous + band 0.02, ${ABC_ROWS.toLocaleString("en-US")}`, ...(await time(() => classifyAbcStable(abcValues, { previous: previous!, band: 0.02 }), lengthOf(ABC_ROWS, (r: { abc: Int32Array }) => r.abc))) });
  previous = undefined;
  // The ABC section leaves millions of dead one-cell rows (its Excel-shaped column and the
  // wrapper's results); collect them and let the collector's background sweeping finish, so that
  // it is not billed to (and does not compete with) the first timed runs of the next section.
  await settle();
  // Engines first, while the heap holds only the typed arrays: the Excel-shaped copy of the
  // history (100,000 arrays) is built afterwards for the wrappers.
  rows.push({ what: `XYZ engine, ${SKUS.toLocaleString("en-US")} x ${PERIODS}`, ...(await time(() => classifyXyz(abcHistory), lengthOf(SKUS, (r: { xyz: Int8Array }) => r.xyz))), ...vs("xyz", 1.2) });
  rows.push({ what: `pattern engine, ${SKUS.toLocaleString("en-US")} x ${PERIODS}`, ...(await time(() => classifyPattern(abcHistory), lengthOf(SKUS, (r: { pattern: Int8Array }) => r.pattern))), ...vs("pattern", 1.2) });
  const hampel = hampelSettings();
  const filtered = new Float64Array(PERIODS);
  const work = new Float64Array(7);
  const replacedCount = () => {
    let n = 0;
    for (let r = 0; r < SKUS; r++) n += hampelInto(history, r * PERIODS, PERIODS, filtered, hampel, work);
    return n;
  };
  rows.push({ what: `Hampel filter (7 periods), ${SKUS.toLocaleString("en-US")} x ${PERIODS}`, ...(await time(replacedCount, (n) => { if (!((n as number) > 0)) throw new Error("no outliers found"); })), target: 150 });
  const historyCells = excelRows();
  rows.push({ what: `XYZ_CV wrapper, ${SKUS.toLocaleString("en-US")} x ${PERIODS}`, ...(await time(() => xyzCvCells(historyCells, null, null, null, null, null), rowsOf(SKUS))), target: 300, ...vs("xyz", 2) });
  rows.push({ what: `XYZ_CV wrapper, exclude_outliers=TRUE`, ...(await time(() => xyzCvCells(historyCells, null, null, null, null, [[true]]), rowsOf(SKUS))) });
  rows.push({ what: `DEMAND_PATTERN wrapper, ${SKUS.toLocaleString("en-US")} x ${PERIODS}`, ...(await time(() => demandPatternCells(historyCells, null, null, null), rowsOf(SKUS))), ...vs("pattern", 2) });

  const pad = (s: string, n: number) => s.padEnd(n);
  // The ratio is judged on wall clock (a quiet machine); the CPU ratio (both sides' process CPU
  // time) is printed beside it because on a shared machine it is the fairer comparison.
  console.log(`${pad("", 46)}${pad("wall ms", 10)}${pad("cpu ms", 10)}${pad("numpy ms", 10)}${pad("ratio", 17)}${pad("cpu ratio", 11)}target`);
  for (const r of rows) {
    const ratio = r.numpy === undefined ? "" : `${(r.wall / r.numpy).toFixed(2)}x${r.maxRatio === undefined ? "" : ` ${r.wall / r.numpy <= r.maxRatio ? "ok" : "MISSED"} ≤${r.maxRatio}`}`;
    const cpuRatio = r.numpyCpu === undefined ? "" : `${(r.cpu / r.numpyCpu).toFixed(2)}x`;
    const target = r.target === undefined ? "" : `< ${r.target} ${r.wall < r.target ? "ok" : "MISSED"}`;
    console.log(`${pad(r.what, 46)}${pad(r.wall.toFixed(1), 10)}${pad(r.cpu.toFixed(1), 10)}${pad(r.numpy === undefined ? "" : r.numpy.toFixed(1), 10)}${pad(ratio, 17)}${pad(cpuRatio, 11)}${target}`);
  }
  if (typeof np === "string") console.log(np);
  const load = os.loadavg()[0];
  if (load > os.cpus().length) console.log(`note: load average ${load.toFixed(1)} on ${os.cpus().length} cores while measuring; wall times include waiting for a core`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
