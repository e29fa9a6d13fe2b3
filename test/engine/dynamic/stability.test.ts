import { readFileSync } from "node:fs";
import path from "node:path";
import { classifyAbc } from "../../../src/engine/abc";
import { ArgumentError } from "../../../src/engine/errors";
import { RandomStream, seedStream } from "../../../src/engine/random";
import { classStability, StabilityPart, StabilitySimulation, zigguratNormal } from "../../../src/engine/stability";
import { rollingWindow, windowHistory } from "../../../src/engine/window";
import { stabilityKernel } from "../../../src/engine/kernels/stabilityRun";
import { STABILITYRUN_WASM } from "../../../src/engine/kernels/stabilityRunWasm";
import { historyFromArray } from "../../../src/engine/xyz";

interface Fixture {
  seed: number;
  runs: number;
  cutoffs: number[];
  periods: number;
  values: number[];
  history: number[];
  errorCv: number[];
  reference: number[];
  stay: number[];
  stream0Uint32: number[];
  stream1Normals: number[];
}
const fx = JSON.parse(readFileSync(path.join(__dirname, "../../fixtures/stability_reference.json"), "utf8")) as Fixture;
const n = fx.values.length;
const history = historyFromArray(Float64Array.from(fx.history), n, fx.periods);

describe("classStability against the independent Python simulation (test/fixtures/gen_stability.py)", () => {
  it("draws the same numbers from the same seed scheme", () => {
    const r = new RandomStream(fx.seed, 0);
    expect(Array.from({ length: 8 }, () => r.uint32())).toEqual(fx.stream0Uint32);
    const state = new Uint32Array(4);
    seedStream(fx.seed, 1, state);
    const z = Array.from({ length: fx.stream1Normals.length }, () => zigguratNormal(state));
    z.forEach((x, i) => expect(Math.abs(x - fx.stream1Normals[i])).toBeLessThanOrEqual(1e-15 * Math.max(1, Math.abs(x))));
    // the sample is long enough to have gone through the ziggurat's slow paths, tails included
    expect(fx.stream1Normals.some((x) => Math.abs(x) > 3.442619855899)).toBe(true);
  });

  it("gives the same reference segments and stay probabilities", () => {
    const res = classStability(Float64Array.from(fx.values), history, { seed: fx.seed, runs: fx.runs, errorCv: fx.errorCv, cutoffs: fx.cutoffs });
    expect(Array.from(res.reference)).toEqual(fx.reference);
    // Exactly equal: same draws, and no perturbed statistic of this data lands within rounding of
    // a cut-off (the run's CV is a one-pass form here, numpy's two-pass std there).
    expect(Array.from(res.stay)).toEqual(fx.stay);
    expect(res.runs).toBe(200);
    expect(res.aborted).toBe(false);
    // the data was built to have unstable SKUs near the boundaries, and stable ones
    expect(res.stay.filter((s) => s < 0.8).length).toBe(fx.stay.filter((s) => s < 0.8).length);
    expect(Math.min(...fx.stay)).toBeLessThan(0.5);
    expect(fx.stay.filter((s) => s === 1).length).toBeGreaterThan(50);
  });
});

describe("classStability", () => {
  const values = Float64Array.from(fx.values);

  it("reports per class the expected churn, the flagged SKUs and where the SKUs go", () => {
    const res = classStability(values, history, { seed: fx.seed, runs: 50, errorCv: fx.errorCv, cutoffs: fx.cutoffs, threshold: 0.9 });
    for (const c of res.byClass) {
      const members = Array.from(res.reference).map((r, i) => (res.labels[r] === c.label ? i : -1)).filter((i) => i >= 0);
      expect(c.skus).toBe(members.length);
      const meanLeave = members.reduce((s, i) => s + (1 - res.stay[i]), 0) / members.length;
      expect(c.expectedChurn).toBeCloseTo(meanLeave, 12);
      expect(c.flagged).toBe(members.filter((i) => res.stay[i] < 0.9).length);
      const stayShare = c.movesTo[res.labels.indexOf(c.label)];
      expect(stayShare).toBeCloseTo(1 - c.expectedChurn, 12);
      expect(c.movesTo.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    }
    expect(Array.from(res.flagged)).toEqual(Array.from(res.stay).map((s) => (s < 0.9 ? 1 : 0)));
  });

  it("keeps every class with no forecast error", () => {
    const res = classStability(values, history, { seed: 3, runs: 5, errorCv: 0 });
    for (let i = 0; i < n; i++) if (res.reference[i] >= 0) expect(res.stay[i]).toBe(1);
  });

  it("gives each SKU the same draws however the runs are chunked, and reports progress and abort", () => {
    const opts = { seed: 99, runs: 12, errorCv: 0.3 };
    const whole = classStability(values, history, opts);
    const sim = new StabilitySimulation(values, history, opts);
    while (!sim.step(5));
    expect(Array.from(sim.result().stay)).toEqual(Array.from(whole.stay));
    const progress: [number, number][] = [];
    const signal = { aborted: false };
    const part = classStability(values, history, {
      ...opts,
      signal,
      onProgress: (done, total) => {
        progress.push([done, total]);
        if (done === 4) signal.aborted = true;
      },
    });
    expect(progress).toEqual([
      [0, 12],
      [1, 12],
      [2, 12],
      [3, 12],
      [4, 12],
    ]);
    expect(part.aborted).toBe(true);
    expect(part.runs).toBe(4);
    const first4 = classStability(values, history, { ...opts, runs: 4 });
    expect(Array.from(part.stay)).toEqual(Array.from(first4.stay));
  });

  it("classifies ABC or XYZ alone on request", () => {
    const abc = classStability(values, history, { seed: 5, runs: 20, classify: "abc" });
    expect(abc.labels).toEqual(["A", "B", "C"]);
    expect(Array.from(abc.reference)).toEqual(Array.from(classifyAbc(values).abc));
    const xyz = classStability(values, history, { seed: 5, runs: 20, classify: "xyz" });
    expect(xyz.labels).toEqual(["X", "Y", "Z", "N"]);
    // the SKUs without demand keep N in every run
    fx.reference.forEach((r, i) => {
      if (r % 4 === 3) expect(xyz.stay[i]).toBe(1);
    });
  });

  it("rejects bad arguments by name and bad rows by row", () => {
    expect(() => classStability(values, history, { runs: 0 })).toThrow(ArgumentError);
    expect(() => classStability(values, history, { runs: 2.5 })).toThrow(/^runs: must be a whole number from 1 to 100000, got 2.5/);
    expect(() => classStability(values, history, { errorCv: -0.1 })).toThrow(/^error_cv: must be a number >= 0/);
    expect(() => classStability(values, history, { seed: -1 })).toThrow(/^seed:/);
    expect(() => classStability(values.subarray(1), history)).toThrow(/^history: has 240 rows but values has 239/);
    expect(() => classStability(values, history, { errorCv: [0.1] })).toThrow(/^error_cv: has 1 rows/);
    const e = Array.from(fx.errorCv);
    e[3] = -1;
    const v = Float64Array.from(values);
    v[4] = -5;
    const res = classStability(v, history, { runs: 3, errorCv: e });
    expect(res.issues.get(3)?.message).toBe("error_cv must be a number >= 0, got -1");
    expect(res.issues.get(4)?.message).toBe("value -5 is negative");
    expect(Number.isNaN(res.stay[3]) && Number.isNaN(res.stay[4])).toBe(true);
  });
});

describe("ziggurat normals", () => {
  it("have mean 0, variance 1 and normal tails", () => {
    const state = new Uint32Array(4);
    seedStream(7, 0, state);
    const N = 400_000;
    let s = 0;
    let s2 = 0;
    let s4 = 0;
    let beyond2 = 0;
    let beyond3 = 0;
    for (let i = 0; i < N; i++) {
      const z = zigguratNormal(state);
      s += z;
      s2 += z * z;
      s4 += z ** 4;
      if (Math.abs(z) > 1.959964) beyond2++;
      if (Math.abs(z) > 3.290527) beyond3++;
    }
    expect(Math.abs(s / N)).toBeLessThan(0.008);
    expect(Math.abs(s2 / N - 1)).toBeLessThan(0.01);
    expect(Math.abs(s4 / N - 3)).toBeLessThan(0.08); // kurtosis of the normal
    expect(Math.abs(beyond2 / N - 0.05)).toBeLessThan(0.002);
    expect(Math.abs(beyond3 / N - 0.001)).toBeLessThan(0.0003);
  });
});

describe("classStability with a promotion mask or a window", () => {
  it("equals the simulation on the history without the excluded (or outside) periods", () => {
    const p = fx.periods;
    const keep = (j: number) => j % 5 !== 2; // exclude every fifth period, the same in every row
    const keptCols = Array.from({ length: p }, (_, j) => j).filter(keep);
    const flags = new Uint8Array(n * p);
    for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) flags[i * p + j] = keep(j) ? 0 : 1;
    const removed = Float64Array.from({ length: n * keptCols.length }, (_, k) => fx.history[Math.floor(k / keptCols.length) * p + keptCols[k % keptCols.length]]);
    const opts = { seed: 11, runs: 30, errorCv: fx.errorCv };
    const masked = classStability(Float64Array.from(fx.values), history, { ...opts, exclude: { rows: n, periods: p, flags } });
    const plain = classStability(Float64Array.from(fx.values), historyFromArray(removed, n, keptCols.length), opts);
    expect(Array.from(masked.reference)).toEqual(Array.from(plain.reference));
    expect(Array.from(masked.stay)).toEqual(Array.from(plain.stay));
    // a window (a view over the same storage) against a copy of its periods
    const w = rollingWindow(p, { length: 13 });
    const sliced = Float64Array.from({ length: n * w.length }, (_, k) => fx.history[Math.floor(k / w.length) * p + w.start + (k % w.length)]);
    const viaWindow = classStability(Float64Array.from(fx.values), windowHistory(history, w), opts);
    const viaCopy = classStability(Float64Array.from(fx.values), historyFromArray(sliced, n, w.length), opts);
    expect(Array.from(viaWindow.stay)).toEqual(Array.from(viaCopy.stay));
  });
});

/**
 * The fixture's SKUs plus dead, intermittent and huge ones; truncation at 0 and the ziggurat's
 * slow paths and tails are exercised by the large error CVs.
 */
function mixedCase() {
  let seed = 5;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const p = fx.periods;
  const extra = 60;
  const rows = n + extra;
  const h = new Float64Array(rows * p);
  h.set(fx.history);
  const v = new Float64Array(rows);
  v.set(fx.values);
  for (let r = n; r < rows; r++) {
    const kind = r % 3;
    for (let j = 0; j < p; j++) h[r * p + j] = kind === 0 ? 0 : kind === 1 ? (rand() < 0.3 ? Math.round(50 * rand()) : 0) : 1e9 * (1 + rand());
    v[r] = kind === 0 ? 0 : 1000 * rand();
  }
  const errorCv = Float64Array.from({ length: rows }, (_, i) => (i % 17 === 0 ? 1.5 : i % 23 === 0 ? -1 : 0.1 + 0.8 * rand()));
  const exclude = Uint8Array.from({ length: rows * p }, () => (rand() < 0.05 ? 1 : 0));
  const hist = historyFromArray(h, rows, p);
  return { v, hist, rows, p, errorCv, exclude };
}

describe("the simulation's two kernels", () => {
  it("runs the WebAssembly kernel here, so the Python reference above checks it", () => {
    expect(stabilityKernel).toBeDefined();
  });

  it("give the same runs: WebAssembly (kernels/stabilityRun.wat) and TypeScript (perturbRun)", () => {
    const { v, hist, rows, p, errorCv, exclude } = mixedCase();
    for (const options of [
      { seed: 11, runs: 30, errorCv },
      { seed: 12, runs: 20, errorCv: 2, sdType: "sample" as const, classify: "xyz" as const },
      { seed: 13, runs: 20, errorCv: 0.4, classify: "abc" as const, exclude: { rows, periods: p, flags: exclude } },
    ]) {
      const a = new StabilitySimulation(v, hist, options);
      const b = new StabilitySimulation(v, hist, options, null);
      a.step(options.runs);
      b.step(options.runs);
      const ra = a.result();
      const rb = b.result();
      expect(Array.from(ra.stay)).toEqual(Array.from(rb.stay));
      expect(ra.byClass).toEqual(rb.byClass);
      expect(ra.issues).toEqual(rb.issues);
      expect(ra.stay.some((s) => s > 0 && s < 1)).toBe(true); // the runs did move some SKUs
    }
  });

  it("decides the ziggurat's acceptance test on an exp within 1e-13 of Math.exp (the kernel allows 1e-9)", () => {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(STABILITYRUN_WASM), { math: { exp: Math.exp, log: Math.log } });
    const expNear = instance.exports.expNear as (v: number) => number;
    let worst = 0;
    for (let i = 0; i <= 200_000; i++) {
      const x = -6 * (i / 200_000) ** 0.7;
      worst = Math.max(worst, Math.abs(expNear(x) - Math.exp(x)) / Math.exp(x));
    }
    expect(worst).toBeLessThan(1e-13);
    expect(worst).toBeGreaterThan(0); // it is an approximation, so the margin is needed
  });
});

describe("a simulation split into parts (StabilitySimulation.split, StabilityPart: the job's second worker)", () => {
  const { v, hist, rows, p, errorCv, exclude } = mixedCase();
  const cases = [
    { seed: 21, runs: 12, errorCv },
    { seed: 22, runs: 8, errorCv: 2, sdType: "sample" as const, classify: "xyz" as const },
    { seed: 23, runs: 8, errorCv: 0.4, classify: "abc" as const, exclude: { rows, periods: p, flags: exclude } },
  ];
  for (const [kernelName, kernel] of [["WebAssembly", stabilityKernel ?? null], ["TypeScript", null]] as const) {
    it.each(cases.map((c, k) => [k, c] as const))(`gives the whole simulation's result, bit for bit (%i, ${kernelName})`, (_k, options) => {
      const whole = new StabilitySimulation(v, hist, options, kernel);
      whole.step(options.runs);
      for (const [parts, share] of [[1, 0.4], [3, 0.25], [2, 0]] as const) {
        const sim = new StabilitySimulation(v, hist, options, kernel);
        // the blocks cross a structured clone, as postMessage copies them
        const blocks = structuredClone(sim.split(parts, share));
        expect(blocks.map((b) => b.start)[0]).toBe(Math.round(rows * share));
        expect(blocks.reduce((t, b) => t + b.rows, 0)).toBe(rows - Math.round(rows * share));
        const workers = blocks.map((b) => new StabilityPart(b, kernel));
        while (!sim.finished) {
          sim.perturbOwn();
          // parts finish in any order; their views are copied as a worker's message would be
          sim.finishRun(workers.map((w) => structuredClone(w.run())).reverse());
        }
        expect(workers.every((w) => w.finished)).toBe(true);
        const a = sim.result();
        const b = whole.result();
        expect(Array.from(a.stay)).toEqual(Array.from(b.stay));
        expect(a.byClass).toEqual(b.byClass);
        expect(a.issues).toEqual(b.issues);
      }
    });
  }

  it("refuses a run whose parts do not cover the rows handed out, and step() once split", () => {
    const sim = new StabilitySimulation(v, hist, { runs: 3 });
    const [block] = sim.split(1, 0.5);
    expect(() => sim.step(1)).toThrow(/handed out as parts/);
    const part = new StabilityPart(block);
    sim.perturbOwn();
    expect(() => sim.perturbOwn()).toThrow(/finish the run first/);
    expect(() => sim.finishRun([])).toThrow(/cover 0 of the/);
    const run = part.run();
    expect(() => sim.finishRun([{ ...run, start: run.start - 1 }])).toThrow(/does not fit/);
    sim.finishRun([run]);
    expect(sim.runsDone).toBe(1);
    expect(() => sim.split(1, 0.5)).toThrow(/only once, before the first run/);
    expect(() => new StabilityPart({ ...block, kept: block.kept.subarray(1) })).toThrow(/kept has/);
    expect(() => new StabilityPart({ ...block, data: block.data.subarray(1) })).toThrow(/row \d+'s periods .* are outside its/);
  });
});
