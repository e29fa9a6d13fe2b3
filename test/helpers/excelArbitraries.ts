/**
 * fast-check generators for what Excel can hand a custom function: numbers of every size and sign,
 * NaN-like values, text (including numeric-looking text), booleans, and the three ways a blank
 * arrives (0 on desktop, null or "" on the web).
 */
import fc from "fast-check";

export const excelCell = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true }) },
    { weight: 2, arbitrary: fc.integer({ min: 0, max: 1000 }) },
    { weight: 1, arbitrary: fc.constantFrom(0, -0, 1e308, -1e308, 5e-324, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY) },
    { weight: 1, arbitrary: fc.constantFrom(null, "", " ", "12", "abc", "#N/A", true, false, undefined) },
    { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
  );

/** A rows x cols matrix of mixed cells. */
export const excelMatrix = (opts: { minRows?: number; maxRows?: number; minCols?: number; maxCols?: number } = {}) =>
  fc
    .tuple(fc.integer({ min: opts.minRows ?? 1, max: opts.maxRows ?? 30 }), fc.integer({ min: opts.minCols ?? 1, max: opts.maxCols ?? 8 }))
    .chain(([r, c]) => fc.array(fc.array(excelCell(), { minLength: c, maxLength: c }), { minLength: r, maxLength: r }));

/** A one-column range of n mixed cells, or a single cell when n is 1. */
export const excelColumn = (rows: number) => fc.array(fc.tuple(excelCell()).map((t) => [t[0]]), { minLength: rows, maxLength: rows });

/** True when a spilled result cell is something Excel can show: a value or a custom-function error. */
export function isExcelValueOrError(x: unknown): boolean {
  if (typeof x === "number") return Number.isFinite(x);
  if (typeof x === "string" || typeof x === "boolean") return true;
  return typeof x === "object" && x !== null && "code" in x && typeof (x as { code: unknown }).code === "string";
}
