/**
 * demandCv and classifyPattern read histories made by historyFromArray / historyFromCells in place,
 * two rows at a time; any other DemandHistory goes through readRow one row at a time. The two
 * paths must give the same numbers to the last bit (and the same errors), whatever the cells hold.
 */
import fc from "fast-check";
import { excelCell } from "../../helpers/excelArbitraries";
import { classifyPattern } from "../../../src/engine/pattern";
import { classifyXyz, DemandHistory, historyFromArray, historyFromCells } from "../../../src/engine/xyz";

/** The same history without the storage behind it: only readRow. */
const viaReadRow = (h: DemandHistory): DemandHistory => ({ rows: h.rows, periods: h.periods, readRow: (r, into) => h.readRow(r, into) });

const demandCell = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 40 }) },
  { weight: 2, arbitrary: fc.constant(0) },
  { weight: 1, arbitrary: fc.constantFrom(1e300, 1.7e308, 1e-300, 5e-324, 1e151, 2.5) },
  { weight: 1, arbitrary: excelCell() },
);
const cellsArb = fc
  .tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 10 }))
  .chain(([r, c]) => fc.array(fc.array(demandCell, { minLength: c, maxLength: c }), { minLength: r, maxLength: r }));

function expectSame(a: ArrayLike<number>, b: ArrayLike<number>) {
  expect(Array.from(a).map((x) => (Object.is(x, -0) ? "-0" : x))).toEqual(Array.from(b).map((x) => (Object.is(x, -0) ? "-0" : x)));
}

function compare(h: DemandHistory) {
  for (const sdType of ["population", "sample"] as const) {
    const fast = classifyXyz(h, { sdType });
    const slow = classifyXyz(viaReadRow(h), { sdType });
    expectSame(fast.cv, slow.cv);
    expectSame(fast.mean, slow.mean);
    expectSame(fast.sd, slow.sd);
    expectSame(fast.xyz, slow.xyz);
    expect([...fast.issues]).toEqual([...slow.issues]);
  }
  const fp = classifyPattern(h);
  const sp = classifyPattern(viaReadRow(h));
  expectSame(fp.adi, sp.adi);
  expectSame(fp.cv2, sp.cv2);
  expectSame(fp.pattern, sp.pattern);
  expect([...fp.issues]).toEqual([...sp.issues]);
}

describe("in-place batch paths equal the row-by-row path", () => {
  it("on cells of every kind (blanks, text, negatives, extremes, short rows)", () => {
    fc.assert(
      fc.property(cellsArb, fc.boolean(), (cells, shorten) => {
        if (shorten && cells.length > 1) cells[cells.length - 1] = cells[cells.length - 1].slice(0, -1);
        compare(historyFromCells(cells));
        compare(historyFromCells(cells, "reject"));
      }),
      { numRuns: 400 },
    );
  });

  it("on Float64Array histories, odd and even row counts", () => {
    fc.assert(
      fc.property(cellsArb, (cells) => {
        const p = cells[0].length;
        const data = new Float64Array(cells.length * p);
        cells.forEach((row, r) => row.forEach((c, j) => (data[r * p + j] = typeof c === "number" ? c : 0)));
        compare(historyFromArray(data, cells.length, p));
      }),
      { numRuns: 400 },
    );
  });
});
