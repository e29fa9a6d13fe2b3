/**
 * The batch API: the four-row SES path against the general path, per-row methods and parameters,
 * progress and abort, the auto rule, and fitted values that come from one run with the final
 * parameters (no refit per prefix).
 */
import { forecastBatch, ForecastOptions, NEGATIVE_PATTERN_NOTE } from "../../../src/engine/forecast/batch";
import { FORECAST_METHODS, ForecastMethod, methodCode } from "../../../src/engine/forecast/methods";
import { sesFilter } from "../../../src/engine/forecast/ses";
import { holtFilter } from "../../../src/engine/forecast/holt";
import { PATTERN_LABELS } from "../../../src/engine/pattern";

/** Deterministic series: LCG, as the benches. */
function lcg(seed: number) {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

function mixed(rows: number, periods: number, seed = 42): Float64Array {
  const rand = lcg(seed);
  const d = new Float64Array(rows * periods);
  for (let r = 0; r < rows; r++) {
    const kind = r % 5;
    const level = 10 + 90 * rand();
    for (let j = 0; j < periods; j++) {
      let x: number;
      if (kind === 0) x = level * (0.8 + 0.4 * rand());
      else if (kind === 1) x = level + j + 5 * rand();
      else if (kind === 2) x = level * (1 + 0.5 * Math.sin((2 * Math.PI * j) / 4)) + 3 * rand();
      else if (kind === 3) x = rand() < 0.3 ? level * rand() : 0;
      else x = rand() < 0.2 ? level * 5 * rand() * rand() : 0;
      d[r * periods + j] = Math.round(x);
    }
  }
  return d;
}

const name = (code: number) => (code >= 0 ? FORECAST_METHODS[code] : "error");

describe("four-row fixed-alpha SES path", () => {
  it("gives the general path's numbers, edge rows included", () => {
    const periods = 9;
    const rows = 11; // not a multiple of 4
    const d = mixed(rows, periods);
    d.fill(0, 2 * periods, 3 * periods); // no demand
    d[5 * periods + 4] = NaN; // rejected
    d[7 * periods + 1] = -3; // a return
    const fast = forecastBatch(d, rows, periods, { method: "ses", alpha: 0.37, horizon: 2 });
    const slow = forecastBatch(d, rows, periods, { method: "ses", alpha: 0.37, horizon: 2, fitted: true });
    expect(Array.from(fast.forecast)).toEqual(Array.from(slow.forecast));
    expect(Array.from(fast.fittedRmse)).toEqual(Array.from(slow.fittedRmse));
    expect(Array.from(fast.method)).toEqual(Array.from(slow.method));
    expect(fast.errors).toEqual(slow.errors);
    expect(fast.notes).toEqual(slow.notes);
    expect(fast.errors.has(5) && fast.notes.has(2)).toBe(true);
    // and both equal the single-series recursion
    const st = new Float64Array(4);
    sesFilter(d, 0, periods, 0.37, null, 0, null, st);
    expect(fast.forecast[0]).toBe(st[0]);
  });

  it("clips in the fast path as in the general one", () => {
    const d = Float64Array.from([5, -10, -20, -30]);
    expect(forecastBatch(d, 1, 4, { method: "ses", alpha: 0.9, horizon: 1, clip: true }).forecast[0]).toBe(0);
  });
});

describe("per-row methods and parameters", () => {
  it("applies each row's method and alpha", () => {
    const d = Float64Array.from([4, 6, 5, 7, 4, 6, 5, 7]);
    const r = forecastBatch(d, 2, 4, { method: ["ses", "naive"], alpha: [0.5, NaN], horizon: 1 });
    expect(Array.from(r.method, name)).toEqual(["ses", "naive"]);
    expect(r.forecast[0]).toBe(6); // l: 4, 4, 5, 5, 6
    expect(r.forecast[1]).toBe(7);
    expect(r.alpha[0]).toBe(0.5);
    expect(Number.isNaN(r.alpha[1])).toBe(true);
  });

  it("reports an unknown per-row method on its row", () => {
    const r = forecastBatch(Float64Array.from([1, 2, 3, 4]), 2, 2, { method: ["ses", "bogus" as ForecastMethod], alpha: 0.5 });
    expect(r.errors.get(1)?.kind).toBe("value");
    expect(r.errors.has(0)).toBe(false);
  });
});

describe("progress and abort", () => {
  it("reports progress per chunk and stops at the next chunk when aborted", () => {
    const rows = 1000;
    const d = mixed(rows, 12);
    const calls: [number, number][] = [];
    const signal = { aborted: false };
    const r = forecastBatch(d, rows, 12, {
      method: "ses",
      onProgress: (done, total) => {
        calls.push([done, total]);
        if (done >= 512) signal.aborted = true;
      },
      signal,
    });
    expect(calls).toEqual([
      [256, 1000],
      [512, 1000],
    ]);
    expect(r.aborted).toBe(true);
    expect(r.done).toBe(512);
    expect(r.method[511]).toBeGreaterThanOrEqual(0);
    expect(r.method[512]).toBe(-1);
    const full = forecastBatch(d, rows, 12, { method: "ses" });
    expect(full.aborted).toBe(false);
    expect(Array.from(r.forecast.subarray(0, 512 * 12))).toEqual(Array.from(full.forecast.subarray(0, 512 * 12)));
  });
});

describe("fitted values come from one run with the final parameters", () => {
  it("ses and holt: the fitted values equal the filter run with the reported parameters", () => {
    const d = mixed(5, 20);
    const r = forecastBatch(d, 5, 20, { method: "ses", fitted: true, horizon: 1 });
    const fitted = new Float64Array(20);
    const st = new Float64Array(4);
    for (let row = 0; row < 5; row++) {
      sesFilter(d, row * 20, 20, r.alpha[row], fitted, 0, null, st);
      expect(Array.from(r.fitted!.subarray(row * 20, row * 20 + 20))).toEqual(Array.from(fitted));
      expect(r.forecast[row]).toBe(st[0]);
    }
    const h = forecastBatch(d, 5, 20, { method: "holt", fitted: true, horizon: 1 });
    for (let row = 0; row < 5; row++) {
      holtFilter(d, row * 20, 20, h.alpha[row], h.beta[row], 1, fitted, 0, null, st);
      expect(Array.from(h.fitted!.subarray(row * 20, row * 20 + 20))).toEqual(Array.from(fitted));
    }
  });
});

describe("auto", () => {
  const periods = 40;
  const rows = 50;
  const d = mixed(rows, periods, 7);

  it("follows the pattern rule: intermittent -> sba, lumpy -> tsb, smooth and erratic -> their candidates", () => {
    const r = forecastBatch(d, rows, periods, { method: "auto", seasonLength: 4 });
    expect(r.pattern).not.toBeNull();
    for (let i = 0; i < rows; i++) {
      const p = PATTERN_LABELS[r.pattern![i]];
      const m = name(r.method[i]);
      if (p === "intermittent") expect(m).toBe("sba");
      else if (p === "lumpy") expect(m).toBe("tsb");
      else if (p === "erratic") expect(["ses", "damped"]).toContain(m);
      else if (p === "smooth") expect(["ses", "holt", "damped", "hw_add", "hw_mul"]).toContain(m);
      // auto always reports its backtest
      expect(r.backtest!.count[i]).toBe(12);
    }
    const kinds = new Set(Array.from(r.pattern!, (p) => PATTERN_LABELS[p]));
    expect(kinds.has("intermittent") || kinds.has("lumpy")).toBe(true);
    expect(kinds.has("smooth")).toBe(true);
  });

  it("picks the candidate with the smallest backtest MAE (parameters fixed, so every fit is exact)", () => {
    const fixed: ForecastOptions = { alpha: 0.3, beta: 0.1, gamma: 0.2, phi: 0.9, seasonLength: 4, backtest: { periods: 10 } };
    const candidates: ForecastMethod[] = ["naive", "ses", "holt", "damped", "hw_add"];
    const r = forecastBatch(d, rows, periods, { ...fixed, method: "auto", auto: { by: "backtest", candidates } });
    const each = candidates.map((m) => forecastBatch(d, rows, periods, { ...fixed, method: m }));
    for (let i = 0; i < rows; i++) {
      let best = -1;
      for (let c = 0; c < candidates.length; c++) if (best < 0 || each[c].backtest!.mae[i] < each[best].backtest!.mae[i]) best = c;
      expect(name(r.method[i])).toBe(candidates[best]);
      expect(r.backtest!.mae[i]).toBe(each[best].backtest!.mae[i]);
      expect(Array.from(r.forecast.subarray(i * 12, i * 12 + 12))).toEqual(Array.from(each[best].forecast.subarray(i * 12, i * 12 + 12)));
    }
  });

  it("lets the planner fix the method per pattern and per row", () => {
    const r = forecastBatch(d, rows, periods, { method: "auto", auto: { methodByPattern: { lumpy: "croston", intermittent: "auto" } } });
    const perRow = Array.from({ length: rows }, (_, i) => (i === 0 ? "naive" : "auto") as ForecastMethod | "auto");
    const s = forecastBatch(d, rows, periods, { method: perRow });
    for (let i = 0; i < rows; i++) {
      const p = PATTERN_LABELS[r.pattern![i]];
      if (p === "lumpy") expect(name(r.method[i])).toBe("croston");
      if (p === "intermittent") expect(name(r.method[i])).toBe("sba");
    }
    expect(name(s.method[0])).toBe("naive");
  });

  it("uses given pattern codes instead of computing them", () => {
    const allLumpy = new Int8Array(rows).fill(PATTERN_LABELS.indexOf("lumpy"));
    const r = forecastBatch(d, rows, periods, { method: "auto", pattern: allLumpy });
    expect(Array.from(r.method, name).every((m) => m === "tsb")).toBe(true);
  });

  it("treats a row with negative periods as smooth, with a note", () => {
    const y = Float64Array.from([5, 6, -1, 7, 6, 5, 8, 6, 7, 5, 6, 7, 6, 5, 7, 6]);
    const r = forecastBatch(y, 1, y.length, { method: "auto" });
    expect(["ses", "holt", "damped"]).toContain(name(r.method[0]));
    expect(r.notes.get(0)).toBe(NEGATIVE_PATTERN_NOTE);
  });

  it("takes the first usable candidate when the history is too short for a backtest", () => {
    const r = forecastBatch(Float64Array.from([5, 6]), 1, 2, { method: "auto" });
    expect(name(r.method[0])).toBe("ses");
    expect(r.notes.get(0)).toBe("too short for a backtest: auto took ses, the first candidate that fits the history");
    expect(r.backtest!.count[0]).toBe(0);
  });

  it("reports the forecast value added against naive over the same pairs", () => {
    const r = forecastBatch(d, rows, periods, { method: "ses", alpha: 0.3, backtest: { periods: 8, lags: 2 } });
    const n = forecastBatch(d, rows, periods, { method: "naive", backtest: { periods: 8, lags: 2 } });
    for (let i = 0; i < rows; i++) {
      if (r.notes.has(i)) continue;
      expect(r.backtest!.naive[i]).toBe(n.backtest!.mae[i]);
      // naive with no error over the holdout leaves the value added undefined
      if (n.backtest!.mae[i] === 0) expect(Number.isNaN(r.backtest!.valueAdded[i])).toBe(true);
      else expect(r.backtest!.valueAdded[i]).toBeCloseTo((n.backtest!.mae[i] - r.backtest!.mae[i]) / n.backtest!.mae[i], 14);
      expect(r.backtest!.count[i]).toBe(8 + 7);
    }
  });
});

it("methodCode and FORECAST_METHODS agree", () => {
  FORECAST_METHODS.forEach((m, i) => expect(methodCode(m)).toBe(i));
  expect(methodCode("auto")).toBe(-1);
  expect(methodCode("x")).toBe(-2);
});
