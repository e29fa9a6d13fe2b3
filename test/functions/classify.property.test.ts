import "../helpers/customFunctionsShim";
import fc from "fast-check";
import { excelCell, excelColumn, excelMatrix, isExcelValueOrError } from "../helpers/excelArbitraries";
import { abcXyzCells, demandPatternCells, segmentAbcCells, xyzCvCells } from "../../src/functions/classify";

/**
 * Random mixed matrices (numbers of every size, NaN/Infinity, text, booleans, the three kinds of
 * blank) for every classification function. Data arguments have a shape the function accepts, so
 * the result must have exactly one row per input row; options are omitted or valid, except in the
 * last property, where they are random too and only "never throws, every cell displayable" holds.
 */
const omitted = fc.constantFrom(null, undefined, [[null]]);

const abcOptions = fc.oneof(
  omitted.map(() => ({ cutoffs: null as unknown, labels: null as unknown })),
  fc.constant({ cutoffs: [[0.7, 0.9]] as unknown, labels: [["x", "y", "z"]] as unknown }),
  fc.constant({ cutoffs: [[0.5], [0.8], [1]] as unknown, labels: null as unknown }),
);

const valuesArg = (rows: number) =>
  fc.oneof(
    excelColumn(rows),
    fc.array(fc.tuple(excelCell(), excelCell()).map(([a, b]) => [a, b]), { minLength: rows, maxLength: rows }),
    fc.array(fc.double({ min: 0, max: 1e9, noNaN: true }).map((x) => [x]), { minLength: rows, maxLength: rows }),
  );

const historyArg = (rows: number) =>
  fc.integer({ min: 1, max: 12 }).chain((cols) =>
    fc.oneof(
      excelMatrix({ minRows: rows, maxRows: rows, minCols: cols, maxCols: cols }),
      fc.array(fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 50 })), { minLength: cols, maxLength: cols }), { minLength: rows, maxLength: rows }),
    ),
  );

function allDisplayable(out: unknown[][]): boolean {
  return out.every((row) => Array.isArray(row) && row.length > 0 && row.every(isExcelValueOrError));
}

const rowsArb = fc.integer({ min: 1, max: 25 });

describe("classification functions on random Excel input", () => {
  it("SEGMENT_ABC: one displayable cell per input row", () => {
    fc.assert(
      fc.property(
        rowsArb.chain((n) => fc.tuple(fc.constant(n), valuesArg(n), abcOptions)),
        ([n, values, opts]) => {
          const out = segmentAbcCells(values, opts.cutoffs, opts.labels);
          return out.length === n && out.every((r) => r.length === 1) && allDisplayable(out);
        },
      ),
      { numRuns: 400 },
    );
  });

  it("XYZ_CV: one displayable row per history row, of the requested width", () => {
    fc.assert(
      fc.property(
        rowsArb.chain((n) => fc.tuple(fc.constant(n), historyArg(n))),
        fc.constantFrom(null, "cv", "class", "both"),
        fc.constantFrom(null, "population", "sample"),
        fc.constantFrom(null, true, false),
        fc.constantFrom([null, null], [0.2, 0.6], [0, 1e9]),
        ([n, history], output, sdType, outliers, [xMax, yMax]) => {
          const out = xyzCvCells(history, xMax === null ? null : [[xMax]], yMax === null ? null : [[yMax]], output && [[output]], sdType && [[sdType]], outliers === null ? null : [[outliers]]);
          const width = output === "both" ? 2 : 1;
          return out.length === n && out.every((r) => r.length === width) && allDisplayable(out);
        },
      ),
      { numRuns: 400 },
    );
  });

  it("DEMAND_PATTERN: one displayable row per history row", () => {
    fc.assert(
      fc.property(
        rowsArb.chain((n) => fc.tuple(fc.constant(n), historyArg(n))),
        fc.constantFrom(null, "class", "all"),
        fc.constantFrom([null, null], [1.25, 0.3], [1e-9, 1e9]),
        ([n, history], output, [adi, cv2]) => {
          const out = demandPatternCells(history, adi === null ? null : [[adi]], cv2 === null ? null : [[cv2]], output && [[output]]);
          const width = output === "all" ? 3 : 1;
          return out.length === n && out.every((r) => r.length === width) && allDisplayable(out);
        },
      ),
      { numRuns: 400 },
    );
  });

  it("ABC_XYZ: one displayable cell per input row", () => {
    fc.assert(
      fc.property(
        rowsArb.chain((n) => fc.tuple(fc.constant(n), valuesArg(n), historyArg(n), abcOptions)),
        fc.constantFrom(null, true),
        ([n, values, history, opts], outliers) => {
          const out = abcXyzCells(values, history, opts.cutoffs, opts.labels, null, null, null, outliers === null ? null : [[outliers]]);
          return out.length === n && out.every((r) => r.length === 1) && allDisplayable(out);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("every function, any arguments at all: never throws, every cell displayable", () => {
    const anyArg = fc.oneof(excelMatrix({ maxRows: 6, maxCols: 4 }), excelCell(), omitted);
    fc.assert(
      fc.property(fc.array(anyArg, { minLength: 8, maxLength: 8 }), (a) => {
        const outs = [
          segmentAbcCells(a[0], a[1], a[2]),
          xyzCvCells(a[0], a[1], a[2], a[3], a[4], a[5]),
          demandPatternCells(a[0], a[1], a[2], a[3]),
          abcXyzCells(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]),
        ];
        return outs.every((o) => o.length >= 1 && allDisplayable(o));
      }),
      { numRuns: 500 },
    );
  });
});
