/** The calls behind SEG.FORECAST and SEG.FORECAST_ACCURACY: argument shaping and per-row errors. */
import { ArgumentError } from "../../../src/engine/errors";
import { accuracyRows, forecastRows, PARAMS_HEADER } from "../../../src/engine/forecast/rows";
import { historyFromCells } from "../../../src/engine/xyz";

const argumentOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    if (e instanceof ArgumentError) return e.argument;
    throw e;
  }
  return undefined;
};

describe("forecastRows", () => {
  const cells = [
    [4, 6, 5, 7],
    [1, "abc", 2, 3],
    [0, 0, 0, 0],
    [0, 3, 0, 1],
  ];
  const h = historyFromCells(cells);

  it("gives horizon values per row, a CellError for an unreadable row, notes for no demand", () => {
    const r = forecastRows(h, { method: "SES ", alpha: 0.5, horizon: 2 });
    expect(r.output).toBe("forecast");
    expect(r.width).toBe(2);
    expect(r.values[0]).toEqual([6, 6]); // l: 4, 4, 5, 5, 6
    expect(r.values[1]).toEqual({ kind: "value", message: 'period 2: text "abc" is not a number' });
    expect(r.values[2]).toEqual([0, 0]);
    expect(r.notes.get(2)).toBe("no demand: forecast 0");
  });

  it("gives the fitted values with null where undefined", () => {
    const r = forecastRows(h, { method: "croston", alpha: 0.5, output: "Fitted" });
    expect(r.width).toBe(4);
    expect(r.values[3]).toEqual([null, 0, 1.5, 1.5]); // first demand 3 in period 2: 3 / 2
  });

  it("gives method and parameters for output params", () => {
    const r = forecastRows(h, { method: "ses", alpha: 0.25, output: "params" });
    expect(PARAMS_HEADER).toEqual(["method", "alpha", "beta", "gamma", "phi", "window"]);
    expect(r.values[0]).toEqual(["ses", 0.25, null, null, null, null]);
    const fitted = forecastRows(h, { method: "holt", output: "params" });
    const row = fitted.values[0] as (number | string | null)[];
    expect(row[0]).toBe("holt");
    expect(typeof row[1]).toBe("number");
    expect(typeof row[2]).toBe("number");
    expect(row.slice(3)).toEqual([null, null, null]);
  });

  it("rejects a bad argument as a whole, naming it", () => {
    expect(argumentOf(() => forecastRows(h, { method: "arima" }))).toBe("method");
    expect(argumentOf(() => forecastRows(h, { output: "all" }))).toBe("output");
    expect(argumentOf(() => forecastRows(h, { horizon: -1 }))).toBe("horizon");
    expect(argumentOf(() => forecastRows(h, { method: "hw_add" }))).toBe("season_length");
  });
});

describe("accuracyRows", () => {
  it("gives one value per row; blanks are skipped pairs, text spoils the row", () => {
    const actuals = [
      [10, 0, 5, 20],
      [1, "x", 1, 1],
      [3, "", 3, null],
    ];
    const forecasts = [
      [12, 1, 5, 15],
      [1, 1, 1, 1],
      [4, 9, 2, ""],
    ];
    const r = accuracyRows(actuals, forecasts, { metric: "MAE" });
    expect(r[0]).toBe(2);
    expect(r[1]).toEqual({ kind: "value", message: 'actuals period 2: text "x" is not a number' });
    expect(r[2]).toBe(1); // pairs (3, 4) and (3, 2)
  });

  it("needs training for MASE (the default) and broadcasts a single training row", () => {
    const a = [
      [10, 0, 5, 20],
      [10, 0, 5, 20],
    ];
    const f = [
      [12, 1, 5, 15],
      [12, 1, 5, 15],
    ];
    expect(argumentOf(() => accuracyRows(a, f))).toBe("training");
    const r = accuracyRows(a, f, { training: [[3, 5, 4, 8]] });
    expect(r[0]).toBeCloseTo(6 / 7, 15);
    expect(r[1]).toBeCloseTo(6 / 7, 15);
    expect(accuracyRows(a, f, { training: [[3, 5, 4, 8]], seasonLength: 2 })[0]).toBe(1);
  });

  it("says why a metric is undefined for a row", () => {
    expect(accuracyRows([[0, 0]], [[1, 2]], { metric: "mape" })[0]).toEqual({ kind: "na", message: "every actual is 0: MAPE undefined (zero actuals are skipped)" });
    expect(accuracyRows([[0, 0]], [[1, 2]], { metric: "ts" })[0]).toBe(2);
  });

  it("rejects shapes and options as a whole", () => {
    expect(argumentOf(() => accuracyRows([[1, 2]], [[1]], { metric: "mae" }))).toBe("forecasts");
    expect(argumentOf(() => accuracyRows([[1, 2]], [[1, 2]], { metric: "r2" }))).toBe("metric");
    expect(argumentOf(() => accuracyRows([[1, 2]], [[1, 2]], { metric: "mase", training: [[1, 2], [3, 4]] }))).toBe("training");
    expect(argumentOf(() => accuracyRows([[1, 2]], [[1, 2]], { metric: "mae", seasonLength: 0 }))).toBe("season_length");
  });
});
