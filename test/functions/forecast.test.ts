/**
 * SEG.FORECAST and SEG.FORECAST_ACCURACY as Excel calls them. Reference values: R forecast 8.20
 * (test/fixtures/forecast_r.json, gen_forecast.R) and the independent Python implementations and
 * statsmodels (forecast_py.json, gen_forecast.py); fixed-parameter forecasts and fitted values within
 * 1e-9 relative. The rest checks the Excel contract: blanks, broadcasting, row errors, argument
 * errors, spill shapes.
 */
import { isExcelError } from "../helpers/customFunctionsShim";
import { readFileSync } from "node:fs";
import path from "node:path";
import { forecastAccuracyCells, forecastCells } from "../../src/functions/forecast";

type Num = number | null;
interface Case {
  method: string;
  params: Record<string, number>;
  forecast?: Num[];
  fitted?: Num[];
  error?: string;
  source?: string;
}
interface Series {
  name: string;
  m: number | string;
  y?: number[];
  cases: Case[];
}
const fixtures = path.join(__dirname, "../fixtures");
const R = JSON.parse(readFileSync(path.join(fixtures, "forecast_r.json"), "utf8")) as { horizon: number; series: Series[] };
const PY = JSON.parse(readFileSync(path.join(fixtures, "forecast_py.json"), "utf8")) as {
  series: Series[];
  accuracy: { actual: number[]; forecast: number[]; training: number[]; m: number; metrics: Record<string, Num> }[];
};
const ys = new Map(R.series.map((s) => [s.name, s.y!]));

const one = (x: unknown) => [[x]];
const col = (...xs: unknown[]) => xs.map((x) => [x]);

function errorOf(cell: unknown): { code: string; message: string } {
  if (!isExcelError(cell)) throw new Error(`expected an Excel error, got ${JSON.stringify(cell)}`);
  return cell;
}

function close(actual: unknown, expected: number, rel = 1e-9) {
  expect(typeof actual).toBe("number");
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(expected)));
}

/** The SEG.FORECAST arguments of a fixture case: ma's window goes in season_length. */
function call(y: number[], c: Case, m: number, output: string) {
  const p = c.params;
  const season = c.method === "ma" ? p.window : m > 1 ? m : null;
  return forecastCells([y], one(c.method), one(R.horizon), p.alpha ?? null, p.beta ?? null, p.gamma ?? null, p.phi ?? null, season === null ? null : one(season), one(output));
}

describe("SEG.FORECAST agrees with R forecast and the Python references (fixed parameters)", () => {
  // The documented differences of the references (see test/engine/forecast/agreement.test.ts and
  // docs/functions-forecast.md) are skipped the same way: R's hw_mul gives the mean of the ETS
  // forecast distribution after the first season (and for the damped form throughout);
  // statsmodels 0.13.5 takes the seasonal index of horizons m, 2m, ... one cycle too old; R's
  // croston gives an all-zero series a fitted value in period 1.
  const cases: [string, string, Case, number, number[], string][] = [];
  for (const [src, name] of [[R, "R"], [PY, "py"]] as const) {
    for (const s of src.series) {
      const y = s.y ?? ys.get(s.name)!;
      const m = typeof s.m === "number" ? s.m : Number(s.m);
      for (const c of s.cases) if (!c.error && c.forecast) cases.push([s.name, `${c.method} ${JSON.stringify(c.params)} (${c.source ?? name})`, c, m, y, c.source ?? name]);
    }
  }

  it("has cases from both fixtures", () => {
    expect(cases.length).toBeGreaterThan(100);
    expect(cases.some(([, , c]) => c.method === "ma")).toBe(true);
  });

  it.each(cases)("%s %s: forecasts and fitted values", (_name, _what, c, m, y, source) => {
    const f = call(y, c, m, "forecast");
    expect(f).toHaveLength(1);
    expect(f[0]).toHaveLength(R.horizon);
    if (c.forecast!.every((v) => v === null)) {
      // R returns NA (damped with one period): the function gives #N/A with the reason
      expect(errorOf(f[0][0]).code).toBe("#N/A");
      return;
    }
    const skip = (j: number) =>
      (source === "R" && c.method === "hw_mul" && (c.params.phi !== undefined || j >= m)) || (source === "statsmodels" && c.method.startsWith("hw") && (j + 1) % m === 0);
    c.forecast!.forEach((v, j) => {
      if (skip(j)) return;
      if (v === null) expect(f[0][j]).toBe("");
      else close(f[0][j], v);
    });
    if (c.fitted) {
      const fit = call(y, c, m, "fitted");
      expect(fit[0]).toHaveLength(y.length);
      const from = source === "R" && c.method === "croston" && y.every((v) => v === 0) ? 1 : 0;
      c.fitted.forEach((v, j) => {
        if (j < from) return;
        if (v === null) expect(fit[0][j]).toBe("");
        else close(fit[0][j], v);
      });
    }
  });
});

describe("SEG.FORECAST", () => {
  // the docs' worked examples (FPP3 §8.1 SES recursion and Croston 1972 by hand, see docs/functions-forecast.md)
  it("one spill row per history row, horizon columns; a single cell applies to every row", () => {
    const out = forecastCells([
      [4, 6, 5, 7],
      [0, 3, 0, 0, 6, 0].slice(0, 4),
    ], one("ses"), one(3), one(0.5), null, null, null, null, null);
    expect(out).toHaveLength(2);
    expect(out[0]).toEqual([6, 6, 6]); // levels 4, 4, 5, 5, 6
    // 0, 3, 0, 0 with alpha 0.5: l = 0, 0, 1.5, 0.75, 0.375
    expect(out[1]).toEqual([0.375, 0.375, 0.375]);
  });

  it("a parameter column gives each row its own value; a blank in it fits that row", () => {
    const y = [4, 6, 5, 7];
    const out = forecastCells([y, y, y], one("ses"), one(1), col(0.5, 1, ""), null, null, null, null, one("params"));
    expect(out.map((r) => r[0])).toEqual(["ses", "ses", "ses"]);
    expect(out[0][1]).toBe(0.5);
    expect(out[1][1]).toBe(1);
    expect(typeof out[2][1]).toBe("number"); // fitted
    expect(out[2][1]).not.toBe(0.5);
    expect(out[0].slice(2)).toEqual(["", "", "", ""]); // beta, gamma, phi, window unused
  });

  it("the docs' examples of SES fitted values, SBA and additive Holt-Winters (FPP3 §8.1, §8.3; Syntetos & Boylan 2005)", () => {
    expect(forecastCells([[4, 6, 5, 7]], one("ses"), one(4), one(0.5), null, null, null, null, one("fitted"))[0]).toEqual([4, 4, 5, 5]);
    close(forecastCells([[0, 3, 0, 0, 6, 0]], one("sba"), one(1), one(0.5), null, null, null, null, null)[0][0], 1.8 * 0.75, 1e-12);
    const hw = forecastCells([[10, 20, 30, 20, 12, 22, 32, 22]], one("hw_add"), one(4), one(0.5), one(0.2), one(0.3), null, one(4), null)[0];
    [13.162407, 23.132201, 33.292846, 23.576942].forEach((v, j) => expect(Math.abs((hw[j] as number) - v)).toBeLessThan(5e-7));
  });

  it("croston: the docs' example (sizes and intervals smoothed with the same alpha)", () => {
    const out = forecastCells([[0, 3, 0, 0, 6, 0]], one("croston"), one(2), one(0.5), null, null, null, null, null);
    // z = 0.5*6 + 0.5*3 = 4.5, p = 0.5*3 + 0.5*2 = 2.5 -> 1.8
    close(out[0][0], 1.8, 1e-12);
    const fitted = forecastCells([[0, 3, 0, 0, 6, 0]], one("croston"), null, one(0.5), null, null, null, null, one("fitted"));
    expect(fitted[0][0]).toBe(""); // period 1 has no fitted value
    expect(fitted[0].slice(1)).toEqual([0, 1.5, 1.5, 1.5, 1.8]);
  });

  it("ma: season_length is the window; blank fits it", () => {
    const out = forecastCells([[4, 6, 5, 7]], one("ma"), one(1), null, null, null, null, one(3), null);
    close(out[0][0], 6, 1e-12); // (6 + 5 + 7) / 3
    const params = forecastCells([[4, 6, 5, 7]], one("ma"), null, null, null, null, null, one(3), one("params"));
    expect(params[0][5]).toBe(3);
    const fitted = forecastCells([[4, 6, 5, 7, 6, 5, 7, 6, 5, 7]], one("ma"), null, null, null, null, null, null, one("params"));
    expect(Number.isInteger(fitted[0][5])).toBe(true);
    const bad = forecastCells([[4, 6, 5, 7]], one("ma"), null, null, null, null, null, one(2.5), null);
    expect(errorOf(bad[0][0]).message).toMatch(/^season_length: for method ma it is the moving-average window/);
  });

  it("default horizon 12, default method auto; blank (null, \"\" or desktop 0) text options take the default", () => {
    const y = [12, 10, 11, 13, 9, 11, 12, 10, 12, 11, 10, 12, 11, 13];
    const a = forecastCells([y], null, null, null, null, null, null, null, null);
    const b = forecastCells([y], one(""), one(0), null, null, null, null, one(0), one(0));
    expect(a[0]).toHaveLength(12);
    expect(b).toEqual(a);
    const p = forecastCells([y], null, null, null, null, null, null, null, one("params"));
    expect(["ses", "holt", "damped"]).toContain(p[0][0]); // smooth history: auto picks among these
  });

  it("a bad row is #VALUE! naming the row and period; the other rows are computed", () => {
    const out = forecastCells([[1, 2, 3], [1, "abc", 3], [1, -2, 3], [0, 0, 0]], one("croston"), one(2), one(0.1), null, null, null, null, null);
    expect(typeof out[0][0]).toBe("number");
    expect(errorOf(out[1][0]).message).toBe('row 2: period 2: text "abc" is not a number');
    expect(out[1]).toHaveLength(2);
    expect(errorOf(out[2][1]).message).toBe("row 3: period 2: demand -2 is negative; croston needs demand >= 0");
    expect(out[3]).toEqual([0, 0]); // no demand: forecast 0
  });

  it("an undefined result is #N/A with the reason (Holt-Winters with fewer than two seasons)", () => {
    const out = forecastCells([[1, 2, 3, 4, 5, 6]], one("hw_add"), one(2), null, null, null, null, one(4), null);
    const e = errorOf(out[0][0]);
    expect(e.code).toBe("#N/A");
    expect(e.message).toBe("hw_add needs at least 8 periods (two full seasons with season_length 4), got 6");
  });

  it("a bad text cell in a parameter column spoils only its row", () => {
    const y = [4, 6, 5, 7];
    const out = forecastCells([y, y], one("ses"), one(1), col(0.5, "x"), null, null, null, null, null);
    expect(out[0]).toEqual([6]);
    expect(errorOf(out[1][0]).message).toBe('row 2: alpha: text "x" is not a number');
  });

  it("wrong arguments give one #VALUE! naming the argument", () => {
    const y = [[4, 6, 5, 7]];
    const msg = (out: unknown[][]) => {
      expect(out).toHaveLength(1);
      expect(out[0]).toHaveLength(1);
      return errorOf(out[0][0]).message;
    };
    expect(msg(forecastCells(y, one("arima"), null, null, null, null, null, null, null))).toMatch(/^method: must be one of "naive"/);
    expect(msg(forecastCells(y, one("ses"), one(2.5), null, null, null, null, null, null))).toMatch(/^horizon: must be a whole number from 1/);
    expect(msg(forecastCells(y, one("ses"), null, one(1.5), null, null, null, null, null))).toMatch(/^alpha: must be in \[0, 1\], got 1\.5/);
    expect(msg(forecastCells(y, one("hw_add"), null, null, null, null, null, null, null))).toBe("season_length: is required for method hw_add");
    expect(msg(forecastCells(y, one("ses"), null, col(0.1, 0.2, 0.3), null, null, null, null, null))).toMatch(/^alpha: has 3 cells but history has 1 rows/);
    expect(msg(forecastCells(y, null, null, null, null, null, null, null, one("both")))).toMatch(/^output: must be one of/);
    expect(msg(forecastCells(null, null, null, null, null, null, null, null, null))).toBe("history: the range is empty");
  });
});

describe("SEG.FORECAST_ACCURACY agrees with the independent Python implementation", () => {
  const metrics = ["me", "mae", "rmse", "mape", "wape", "smape", "mase", "ts"];
  it.each(PY.accuracy.map((a, i) => [i, a] as const))("case %i: every metric", (_i, a) => {
    for (const metric of metrics) {
      const expected = a.metrics[metric];
      const out = forecastAccuracyCells([a.actual], [a.forecast], one(metric), [a.training], one(a.m));
      expect(out).toHaveLength(1);
      if (expected === null) expect(isExcelError(out[0][0])).toBe(true);
      else close(out[0][0], expected);
    }
  });

  it("one value per row; a blank skips the pair; the docs' example", () => {
    // actuals 10, 0, 5, 20; forecasts 12, 1, 5, 15: errors 2, 1, 0, -5
    const out = forecastAccuracyCells([[10, 0, 5, 20], [10, 0, 5, 20]], [[12, 1, 5, 15], [12, "", 5, 15]], one("me"), null, null);
    expect(out).toHaveLength(2);
    close(out[0][0], -0.5, 1e-12);
    close(out[1][0], -3 / 3, 1e-12); // period 2 skipped: errors 2, 0, -5
    const mase = forecastAccuracyCells([[10, 0, 5, 20]], [[12, 1, 5, 15]], null, [[3, 5, 4, 8]], null);
    close(mase[0][0], 2 / (7 / 3), 1e-12); // MAE 2 / mean |naive error| of 3, 5, 4, 8
  });

  it("row errors and argument errors", () => {
    const out = forecastAccuracyCells([[1, 2], [0, 0]], [[1, "x"], [1, 1]], one("mape"), null, null);
    expect(errorOf(out[0][0]).message).toBe('row 1: forecasts period 2: text "x" is not a number');
    expect(errorOf(out[1][0]).code).toBe("#N/A"); // every actual 0: MAPE undefined
    const noTraining = forecastAccuracyCells([[1, 2]], [[1, 2]], null, null, null);
    expect(errorOf(noTraining[0][0]).message).toBe("training: is required for metric mase (its scale is the in-sample naive error)");
    const shape = forecastAccuracyCells([[1, 2]], [[1, 2, 3]], one("mae"), null, null);
    expect(errorOf(shape[0][0]).message).toMatch(/^forecasts: must have the shape of actuals/);
  });
});
