import "../helpers/customFunctionsShim";
import fc from "fast-check";
import { excelCell, excelMatrix, isExcelValueOrError } from "../helpers/excelArbitraries";
import {
  eoqCells,
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
    { weight: 1, arbitrary: fc.constantFrom("csl", "fill", " Fill ") },
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

const functions: [string, (...a: unknown[]) => unknown[][], number, number][] = [
  // name, body, required args, optional args
  ["SAFETY_STOCK", safetyStockCells as (...a: unknown[]) => unknown[][], 4, 4],
  ["REORDER_POINT", reorderPointCells as (...a: unknown[]) => unknown[][], 3, 1],
  ["EOQ", eoqCells as (...a: unknown[]) => unknown[][], 3, 0],
  ["Z_VALUE", zValueCells as (...a: unknown[]) => unknown[][], 1, 0],
  ["FILL_RATE_K", fillRateKCells as (...a: unknown[]) => unknown[][], 3, 0],
  ["NORMAL_LOSS", normalLossCells as (...a: unknown[]) => unknown[][], 1, 0],
];

describe.each(functions)("SEG.%s on random Excel input", (_name, body, required, optional) => {
  const args = fc
    .integer({ min: 1, max: 25 })
    .chain((n) => fc.tuple(...Array.from({ length: required + optional }, (_, j) => arg(n, j >= required))));

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
