import "../helpers/customFunctionsShim";
import fc from "fast-check";
import { excelCell, excelMatrix, isExcelValueOrError } from "../helpers/excelArbitraries";
import {
  eoqCells,
  fillRateCells,
  fillRateKCells,
  normalLossCells,
  reorderPointCells,
  safetyStockCells,
  zValueCells,
} from "../../src/functions/policy";

/**
 * Random argument lists for every policy function: each argument is a single cell, a column of the
 * common length n, a row, an arbitrary (often wrongly shaped) matrix, or omitted when optional.
 * Cells mix Excel's odd values with plausible ones (fractions, "csl"/"fill") so that valid rows
 * and every error path both get exercised.
 */
const cell = () =>
  fc.oneof(
    { weight: 4, arbitrary: excelCell() },
    { weight: 3, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }) },
    { weight: 2, arbitrary: fc.double({ min: 0, max: 5000, noNaN: true }) },
    { weight: 1, arbitrary: fc.constantFrom("csl", "fill", " Fill ", "poisson", "NegBin", "gamma", "auto", "normal", "csl", "short") },
  );

const arg = (n: number, optional: boolean) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.array(cell().map((c) => [c]), { minLength: n, maxLength: n }) },
    { weight: 3, arbitrary: cell().map((c) => [[c]]) },
    { weight: 1, arbitrary: fc.array(cell(), { minLength: n, maxLength: n }).map((r) => [r]) },
    { weight: 1, arbitrary: excelMatrix({ maxRows: 5, maxCols: 3 }) },
    { weight: optional ? 2 : 0, arbitrary: fc.constantFrom(null, undefined) },
  );

/**
 * The spill the broadcast should produce, worked out from the shapes alone (independently of
 * broadcastRows): a scalar/omitted argument counts 1, a single row counts its width, a single
 * column its height; anything wider, or two different lengths above 1, is one error cell. The
 * result lies along a row when every argument longer than one cell is a single row.
 */
function expectedRows(args: unknown[]): { rows: number; shapeError: boolean; alongRow: boolean } {
  let rows = 1;
  let anyRow = false;
  let anyColumn = false;
  for (const a of args) {
    if (a === null || a === undefined) continue;
    const m = a as unknown[][];
    let len: number;
    if (m.length === 1) len = m[0].length;
    else if (m.every((r) => r.length === 1)) len = m.length;
    else return { rows: 1, shapeError: true, alongRow: false };
    if (len > 1) {
      if (m.length === 1) anyRow = true;
      else anyColumn = true;
      if (rows > 1 && len !== rows) return { rows: 1, shapeError: true, alongRow: false };
      rows = len;
    }
  }
  return { rows, shapeError: false, alongRow: anyRow && !anyColumn };
}

const functions: [string, (...a: unknown[]) => unknown[][], number, number, number?][] = [
  // name, body, required args, optional args (the last `options` of them one choice for the call)
  ["SAFETY_STOCK", safetyStockCells as (...a: unknown[]) => unknown[][], 4, 5],
  ["REORDER_POINT", reorderPointCells as (...a: unknown[]) => unknown[][], 3, 2],
  ["FILL_RATE", fillRateCells as (...a: unknown[]) => unknown[][], 4, 5, 1],
  ["EOQ", eoqCells as (...a: unknown[]) => unknown[][], 3, 0],
  ["Z_VALUE", zValueCells as (...a: unknown[]) => unknown[][], 1, 0],
  ["FILL_RATE_K", fillRateKCells as (...a: unknown[]) => unknown[][], 3, 0],
  ["NORMAL_LOSS", normalLossCells as (...a: unknown[]) => unknown[][], 1, 0],
];

const option = fc.constantFrom(null, [["fill"]], [["CSL"]], [["short"]], [[""]]);

describe.each(functions)("SEG.%s on random Excel input", (_name, body, required, optional, options = 0) => {
  const args = fc
    .integer({ min: 1, max: 25 })
    .chain((n) => fc.tuple(...Array.from({ length: required + optional }, (_, j) => (j >= required + optional - options ? option : arg(n, j >= required)))));

  it("never throws, spills one cell per broadcast row, every cell a value or an Excel error", () => {
    fc.assert(
      fc.property(args, (a) => {
        const out = body(...a);
        const { rows, shapeError, alongRow } = expectedRows(a);
        const cells = alongRow && rows > 1 ? out[0] : out.map((r) => r[0]);
        if (alongRow && rows > 1) expect(out).toHaveLength(1);
        else for (const row of out) expect(row).toHaveLength(1);
        expect(cells).toHaveLength(rows);
        for (const c of cells) expect(isExcelValueOrError(c)).toBe(true);
        if (shapeError) expect(isExcelValueOrError(out[0][0]) && typeof out[0][0] === "object").toBe(true);
      }),
      { numRuns: 400 },
    );
  });
});

describe("[distribution] left blank or \"normal\" changes nothing", () => {
  const numbers = (n: number) => fc.array(fc.double({ min: 0, max: 500, noNaN: true }).map((x) => [x]), { minLength: n, maxLength: n });
  const levels = (n: number) => fc.array(fc.double({ min: 0.01, max: 0.99, noNaN: true }).map((x) => [x]), { minLength: n, maxLength: n });
  it("SAFETY_STOCK and REORDER_POINT give the same cells as without the argument", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }).chain((n) =>
          fc.tuple(levels(n), numbers(n), numbers(n), numbers(n), numbers(n), fc.constantFrom([["csl"]], [["fill"]]), numbers(n), fc.constantFrom(null, [[""]], [[0]], [["Normal"]])),
        ),
        ([sl, d, sd, L, R, method, q, dist]) => {
          const plain = safetyStockCells(sl, d, sd, L, null, R, method, q);
          expect(safetyStockCells(sl, d, sd, L, null, R, method, q, dist)).toEqual(plain);
          const ss = plain.map((r) => [typeof r[0] === "number" ? r[0] : 0]);
          expect(reorderPointCells(d, L, ss, R, dist)).toEqual(reorderPointCells(d, L, ss, R));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("FILL_RATE stays within [0, 1] for every distribution, and more stock never lowers it", () => {
    fc.assert(
      fc.property(
        fc.record({
          d: fc.double({ min: 0.05, max: 50, noNaN: true }),
          cv: fc.double({ min: 0.2, max: 3, noNaN: true }),
          L: fc.integer({ min: 0, max: 6 }),
          R: fc.constantFrom(0, 1, 3),
          q: fc.double({ min: 1, max: 200, noNaN: true }),
          s: fc.integer({ min: -5, max: 60 }),
          dist: fc.constantFrom("normal", "poisson", "negbin", "gamma", "auto"),
        }),
        (x) => {
          const at = (s: number) => fillRateCells([[s]], [[x.d]], [[x.d * x.cv]], [[x.L]], null, [[x.R]], [[x.q]], [[x.dist]], null)[0][0];
          const a = at(x.s);
          const b = at(x.s + 3);
          if (typeof a !== "number" || typeof b !== "number") return; // e.g. no demand over L + R = 0
          expect(a).toBeGreaterThanOrEqual(0);
          expect(b).toBeLessThanOrEqual(1);
          expect(b).toBeGreaterThanOrEqual(a - 1e-12);
        },
      ),
      { numRuns: 300 },
    );
  });
});
