/** The chunking rule on its own: blocks cover every row once and no sync goes over its budget. */
import fc from "fast-check";
import { ChunkLimits, nextReadSync, nextWriteSync, RowBlock } from "../../src/excel/blocks";
import { columnIndex, columnLetters, parseCell, quoteSheetName, rangeAddress } from "../../src/app/a1";
import { jsonBytes, utf8Length } from "../../src/excel/payload";

function drainReads(total: number, columns: number, bytesPerRow: number, limits: ChunkLimits): RowBlock[][] {
  const syncs: RowBlock[][] = [];
  let from = 0;
  while (from < total) {
    const blocks = nextReadSync(from, total, columns, bytesPerRow, limits);
    syncs.push(blocks);
    from = blocks[blocks.length - 1].start + blocks[blocks.length - 1].rows;
  }
  return syncs;
}

function drainWrites(rowBytes: number[], columns: number, limits: ChunkLimits): RowBlock[][] {
  const syncs: RowBlock[][] = [];
  let from = 0;
  while (from < rowBytes.length) {
    const blocks = nextWriteSync(from, rowBytes, columns, limits);
    syncs.push(blocks);
    from = blocks[blocks.length - 1].start + blocks[blocks.length - 1].rows;
  }
  return syncs;
}

/** True when the blocks, in order, are exactly rows 0..total-1. */
function coversInOrder(syncs: RowBlock[][], total: number): boolean {
  let next = 0;
  for (const b of syncs.flat()) {
    if (b.start !== next || b.rows < 1) return false;
    next += b.rows;
  }
  return next === total;
}

const limitsArb = fc.record({
  budgetBytes: fc.integer({ min: 1_000, max: 5_000_000 }),
  maxCellsPerRead: fc.integer({ min: 1_000, max: 5_000_000 }),
  maxBlockRows: fc.integer({ min: 1, max: 20_000 }).map((n) => (n < 50 ? n * 40 : n)),
});

describe("read chunking", () => {
  it("covers every row exactly once, in order, within bytes, cells and block size", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5_000 }), fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 5_000 }), limitsArb, (total, columns, bytesPerRow, limits) => {
        fc.pre(columns <= limits.maxCellsPerRead);
        const syncs = drainReads(total, columns, bytesPerRow, limits);
        expect(coversInOrder(syncs, total)).toBe(true);
        const bad = syncs.find((blocks) => {
          const rows = blocks.reduce((n, b) => n + b.rows, 0);
          // one row always goes, even when it alone is over the budget
          const overBudget = rows > 1 && rows * bytesPerRow > limits.budgetBytes;
          const overCells = rows * columns > Math.max(columns, limits.maxCellsPerRead);
          return overBudget || overCells || blocks.some((b) => b.rows > limits.maxBlockRows);
        });
        expect(bad).toBeUndefined();
      }),
      { numRuns: 200 },
    );
  });

  it("reads 100,000 x 110 numeric rows (about 1.3 kB each) in 4 MB syncs", () => {
    const limits = { budgetBytes: 4_000_000, maxCellsPerRead: 5_000_000, maxBlockRows: 20_000 };
    const syncs = drainReads(100_000, 110, 1_300, limits);
    // 4,000,000 / 1,300 = 3,076 rows per sync -> ceil(100,000 / 3,076) = 33 syncs
    expect(syncs).toHaveLength(33);
  });

  it("puts several blocks in one sync when rows are narrow", () => {
    const limits = { budgetBytes: 4_000_000, maxCellsPerRead: 5_000_000, maxBlockRows: 20_000 };
    const [first] = drainReads(100_000, 2, 20, limits);
    expect(first.length).toBe(5); // 100,000 rows fit the budget; blocks of 20,000
  });
});

describe("write chunking", () => {
  it("packs rows of known sizes without going over the budget", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 900 }), { minLength: 1, maxLength: 1_000 }), fc.integer({ min: 1, max: 50 }), limitsArb, (rowBytes, columns, limits) => {
        fc.pre(limits.budgetBytes >= 900 && columns <= limits.maxCellsPerRead);
        const syncs = drainWrites(rowBytes, columns, limits);
        expect(coversInOrder(syncs, rowBytes.length)).toBe(true);
        const bytesOf = (blocks: RowBlock[]) => blocks.reduce((n, b) => n + rowBytes.slice(b.start, b.start + b.rows).reduce((a, x) => a + x, 0), 0);
        expect(syncs.every((blocks) => bytesOf(blocks) <= limits.budgetBytes && blocks.every((b) => b.rows <= limits.maxBlockRows))).toBe(true);
        // Greedy: the first row of each sync would not have fitted in the sync before it.
        for (let s = 0; s + 1 < syncs.length; s++) {
          const cells = syncs[s].reduce((n, b) => n + b.rows * columns, 0);
          const next = syncs[s + 1][0].start;
          expect(bytesOf(syncs[s]) + rowBytes[next] > limits.budgetBytes || cells + columns > limits.maxCellsPerRead).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("names the row that is too big for any request", () => {
    expect(() => nextWriteSync(0, [10, 5_000, 10], 3, { budgetBytes: 1_000, maxCellsPerRead: 5_000_000, maxBlockRows: 100 })).not.toThrow();
    expect(() => nextWriteSync(1, [10, 5_000, 10], 3, { budgetBytes: 1_000, maxCellsPerRead: 5_000_000, maxBlockRows: 100 })).toThrow(/row 2 alone needs 5000 bytes/);
  });

  it("leaves room for what the sync already carries", () => {
    const blocks = nextWriteSync(0, [400, 400, 400], 1, { budgetBytes: 1_000, maxCellsPerRead: 5_000_000, maxBlockRows: 100 }, 300);
    expect(blocks).toEqual([{ start: 0, rows: 1 }]);
  });
});

describe("addresses and sizes", () => {
  it("converts column letters both ways (Excel's bijective base 26)", () => {
    expect([0, 25, 26, 51, 52, 701, 702, 16_383].map(columnLetters)).toEqual(["A", "Z", "AA", "AZ", "BA", "ZZ", "AAA", "XFD"]);
    fc.assert(fc.property(fc.integer({ min: 0, max: 16_383 }), (i) => columnIndex(columnLetters(i)) === i));
    expect(() => columnLetters(16_384)).toThrow();
  });

  it("quotes sheet names the way Excel writes them in addresses", () => {
    expect(rangeAddress("Data", 0, 0, 100_001, 112)).toBe("Data!A1:DH100001");
    expect(rangeAddress("My data", 2, 1, 1, 1)).toBe("'My data'!B3");
    expect(quoteSheetName("O'Brien")).toBe("'O''Brien'");
    expect(quoteSheetName("AB12")).toBe("'AB12'");
    expect(quoteSheetName("R1C1")).toBe("'R1C1'");
    expect(parseCell("$M$2")).toEqual({ row: 1, column: 12 });
    expect(() => parseCell("A0")).toThrow();
  });

  it("measures JSON in UTF-8 bytes", () => {
    fc.assert(fc.property(fc.string({ unit: "grapheme" }), (s) => utf8Length(s) === Buffer.byteLength(s, "utf8")));
    expect(jsonBytes([["é", 1]])).toBe(Buffer.byteLength('[["é",1]]', "utf8"));
  });
});
