import "../helpers/customFunctionsShim";
import fc from "fast-check";
import { excelCell, excelMatrix, isExcelValueOrError } from "../helpers/excelArbitraries";
import { forecastAccuracyCells, forecastCells } from "../../src/functions/forecast";
import { METHOD_CHOICES } from "../../src/engine/forecast";

/**
 * Random Excel input for SEG.FORECAST and SEG.FORECAST_ACCURACY: histories mixing Excel's odd cells
 * with plausible demand (counts, zeros), every option as a valid value, a wrong value or omitted.
 * The properties: the function never throws; when every option is valid the spill has one row per
 * history row and the width the output asks for; otherwise it is that shape or a single #VALUE!;
 * every cell is a value Excel can show or an Excel error.
 */
const demand = () =>
  fc.oneof(
    { weight: 3, arbitrary: excelCell() },
    { weight: 4, arbitrary: fc.integer({ min: 0, max: 50 }) },
    { weight: 2, arbitrary: fc.constant(0) },
  );
const history = fc
  .tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 30 }))
  .chain(([r, c]) => fc.array(fc.array(demand(), { minLength: c, maxLength: c }), { minLength: r, maxLength: r }));

type Opt<T> = { arg: unknown; valid: boolean; value?: T };
const valid = <T,>(value: T, arg: unknown = [[value]]): Opt<T> => ({ arg, valid: true, value });
const omitted = <T,>(): Opt<T> => ({ arg: null, valid: true });

const methodArg = fc.oneof(
  fc.constantFrom(...METHOD_CHOICES).map((m) => valid(m)),
  fc.constant(omitted<string>()),
  fc.constantFrom("arima", 3, true).map((x) => ({ arg: [[x]], valid: false }) as Opt<string>),
);
const horizonArg = fc.oneof(
  fc.integer({ min: 1, max: 24 }).map((h) => valid(h)),
  fc.constant(omitted<number>()),
  fc.constantFrom(-1, 2.5, "x", 1e9).map((x) => ({ arg: [[x]], valid: false }) as Opt<number>),
);
const outputArg = fc.oneof(
  fc.constantFrom("forecast", "fitted", "params").map((o) => valid(o)),
  fc.constant(omitted<string>()),
  fc.constant({ arg: [["both"]], valid: false } as Opt<string>),
);
/** Parameters and season length: anything (a cell, a column, a matrix, omitted); validity not predicted. */
const anyArg = fc.oneof(
  { weight: 3, arbitrary: fc.constant(null) },
  { weight: 2, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }).map((x) => [[x]]) },
  { weight: 1, arbitrary: fc.integer({ min: 2, max: 12 }).map((x) => [[x]]) },
  { weight: 1, arbitrary: excelMatrix({ maxRows: 6, maxCols: 2 }) },
);

function expectExcelCells(out: unknown[][]): void {
  expect(Array.isArray(out)).toBe(true);
  for (const row of out) {
    expect(Array.isArray(row)).toBe(true);
    for (const c of row) expect(isExcelValueOrError(c)).toBe(true);
  }
}

const isSingleError = (out: unknown[][]) => out.length === 1 && out[0].length === 1 && typeof out[0][0] === "object" && out[0][0] !== null;

describe("SEG.FORECAST on random Excel input", () => {
  it("never throws; one row per history row of the asked width (or one #VALUE!); every cell a value or an Excel error", () => {
    fc.assert(
      fc.property(history, methodArg, horizonArg, anyArg, anyArg, anyArg, anyArg, anyArg, outputArg, (h, method, horizon, alpha, beta, gamma, phi, season, output) => {
        const out = forecastCells(h, method.arg, horizon.arg, alpha, beta, gamma, phi, season, output.arg);
        expectExcelCells(out);
        const width = output.value === "fitted" ? h[0].length : output.value === "params" ? 6 : (horizon.value ?? 12);
        const shaped = out.length === h.length && out.every((r) => r.length === width);
        if (!(method.valid && horizon.valid && output.valid)) expect(isSingleError(out)).toBe(true);
        else expect(shaped || isSingleError(out)).toBe(true);
        // with nothing but the history, every option is valid and the shape is exact
      }),
      { numRuns: 300 },
    );
  });

  it("with only the history and valid options the shape is exact", () => {
    fc.assert(
      fc.property(history, methodArg.filter((m) => m.valid && m.value !== "snaive" && m.value !== "hw_add" && m.value !== "hw_mul"), outputArg.filter((o) => o.valid), (h, method, output) => {
        const out = forecastCells(h, method.arg, null, null, null, null, null, null, output.arg);
        const width = output.value === "fitted" ? h[0].length : output.value === "params" ? 6 : 12;
        expect(out).toHaveLength(h.length);
        for (const r of out) expect(r).toHaveLength(width);
        expectExcelCells(out);
      }),
      { numRuns: 200 },
    );
  });
});

describe("SEG.FORECAST_ACCURACY on random Excel input", () => {
  const pair = fc
    .tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 12 }))
    .chain(([r, c]) =>
      fc.tuple(
        fc.array(fc.array(demand(), { minLength: c, maxLength: c }), { minLength: r, maxLength: r }),
        fc.oneof(
          { weight: 4, arbitrary: fc.array(fc.array(demand(), { minLength: c, maxLength: c }), { minLength: r, maxLength: r }) },
          { weight: 1, arbitrary: excelMatrix({ maxRows: 6, maxCols: 12 }) },
        ),
        fc.oneof(fc.constant(null), fc.array(fc.array(demand(), { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: r }), excelMatrix({ maxRows: 3, maxCols: 4 })),
      ),
    );
  const metric = fc.oneof(fc.constant(null), fc.constantFrom("me", "mae", "rmse", "mape", "wape", "smape", "mase", "ts", "bias").map((m) => [[m]]));

  it("never throws; one value per row (or one #VALUE!); every cell a value or an Excel error", () => {
    fc.assert(
      fc.property(pair, metric, anyArg, ([a, f, t], m, season) => {
        const out = forecastAccuracyCells(a, f, m, t, season);
        expectExcelCells(out);
        const shaped = out.length === a.length && out.every((r) => r.length === 1);
        expect(shaped || isSingleError(out)).toBe(true);
        const sameShape = f.length === a.length && f.every((r) => r.length === a[0].length);
        // a training range of the wrong shape is an argument error whatever the metric
        if (sameShape && t === null && m !== null && (m[0][0] as string) !== "mase" && (m[0][0] as string) !== "bias" && season === null) expect(shaped).toBe(true);
      }),
      { numRuns: 400 },
    );
  });
});
