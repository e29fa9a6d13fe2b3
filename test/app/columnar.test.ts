import { decodeColumn, encodeColumn, HIGH_CARDINALITY_PROBE, encodeTransactionColumns, idCodes, textColumn, type Cell } from "../../src/app/columnar";
import { computeBucket, type BucketJob } from "../../src/app/jobs/bucket";
import type { FileCell, TransactionColumnsIn } from "../../src/app/importSource";

// mulberry32 (T. Ettinger), seeded: the same random extracts every run
function generator(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A messy extract: blanks, text in the quantity column, serials among text dates, numeric SKUs, duplicate ids. */
function extract(seed: number, rows: number, dateForm: "iso" | "dmy" = "iso"): TransactionColumnsIn {
  const rand = generator(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const col = () => new Array<FileCell>(rows);
  const c = { sku: col(), date: col(), quantity: col(), location: col(), orderType: col(), transactionId: col(), unitCost: col(), family: col(), customer: col() };
  const day0 = Date.UTC(2024, 0, 1);
  for (let i = 0; i < rows; i++) {
    const r = rand();
    c.sku[i] = r < 0.02 ? "" : r < 0.04 ? " " : r < 0.08 ? 1000 + Math.floor(rand() * 3) : pick(["A-1", "A-2", " A-1 ", "B\u00e9", "C\ud83d\ude00", "lone\ud800"]);
    const d = new Date(day0 + Math.floor(rand() * 200) * 86_400_000);
    const iso = d.toISOString().slice(0, 10);
    const txt = dateForm === "iso" ? iso : `${d.getUTCDate()}/${d.getUTCMonth() + 1}/${d.getUTCFullYear()}`;
    const dr = rand();
    c.date[i] = dr < 0.02 ? "" : dr < 0.03 ? "2024-02-30" : dr < 0.04 ? "soon" : dr < 0.07 ? 45292 + Math.floor(rand() * 200) : dr < 0.08 ? 60 : txt;
    const qr = rand();
    c.quantity[i] =
      qr < 0.02 ? "" : qr < 0.04 ? "n/a" : qr < 0.05 ? "1,50" : qr < 0.06 ? true : qr < 0.1 ? -Math.floor(rand() * 3) : qr < 0.12 ? -0 : qr < 0.2 ? Math.floor(rand() * 9) : String(Math.floor(rand() * 50));
    c.location[i] = pick(["DC1", "DC2", "", 7]);
    c.orderType[i] = pick(["601", "601", "ZFOC", " zfoc", 601]);
    const ir = rand();
    c.transactionId[i] = ir < 0.05 ? "" : ir < 0.1 ? `T${Math.floor(rand() * 20)}` : ir < 0.13 ? Math.floor(rand() * 20) : `T${i + 100}`;
    c.unitCost[i] = pick(["", "2.5", 3, "x", "-1"]);
    c.family[i] = pick(["", "F1", "F2", false]);
    c.customer[i] = pick(["K1", "K2"]);
  }
  return c;
}

function job(columns: TransactionColumnsIn, rows: number, extra: Partial<BucketJob> = {}): BucketJob {
  return {
    rows,
    columns,
    headers: { sku: "Material", date: "Posting Date", quantity: "Qty", unitCost: "Price" },
    calendar: { kind: "isoWeek" },
    dateFormat: "auto",
    numberLocale: "en",
    negatives: "exclude",
    excludeOrderTypes: ["ZFOC"],
    byLocation: false,
    ...extra,
  };
}

/** The job as the pane hands it to the worker: encoded, then moved (not copied) by a structured clone. */
function viaTransfer(j: BucketJob): BucketJob {
  const { columns, transfer } = encodeTransactionColumns(j.columns!, j.rows);
  const sent = structuredClone({ ...j, columns: undefined, encoded: columns }, { transfer });
  expect(transfer.length).toBeGreaterThan(3);
  for (const b of transfer) expect(b.byteLength).toBe(0);
  return sent;
}

describe("columnar encoding", () => {
  test("decoding gives every cell back (blank as null, -0 as -0, lone surrogates kept)", () => {
    const cells: Cell[] = ["a", "", " a ", 1, -0, 0, Number.NaN, true, false, undefined, null, "a", 1, "\ud800x", "1", "x".repeat(20000)];
    const back = decodeColumn(encodeColumn(cells));
    expect(back).toHaveLength(cells.length);
    cells.forEach((c, i) => expect(Object.is(back[i], c ?? null)).toBe(true));
  });

  test("an all-number column is a Float64Array; a column with any text is a dictionary in order of first appearance", () => {
    const n = encodeColumn([1, 2.5, -0]);
    expect(n.kind).toBe("number");
    const d = encodeColumn(["b", "a", "b", 3, "a"]);
    expect(d.kind).toBe("dict");
    if (d.kind !== "dict") return;
    expect(Array.from(d.codes)).toEqual([0, 1, 0, 2, 1]);
    expect(textColumn(d)).toEqual(["b", "a", "b", "3", "a"]);
  });

  test("transaction id codes: equal text, equal code (5 and \"5\" too); blank -1; texts for messages", () => {
    const ids = idCodes(encodeColumn(["5", 5, "", "x", "5", null, " "]));
    expect(Array.from(ids.codes)).toEqual([0, 0, -1, 3, 0, -1, 5]);
    expect(ids.text(3)).toBe("x");
  });

  test.each([
    ["iso text, auto", 11, "iso", {}],
    ["d/m/y text, auto", 12, "dmy", {}],
    ["by location, net returns, fiscal months", 13, "iso", { byLocation: true, negatives: "net", calendar: { kind: "fiscalMonth", startMonth: 4 } }],
    ["reject returns, German locale", 14, "iso", { negatives: "reject", numberLocale: "de" }],
  ] as const)("random extract (%s): the transferred columns bucket exactly as the arrays", (_name, seed, form, extra) => {
    const rows = 3000;
    const j = job(extract(seed, rows, form), rows, extra as Partial<BucketJob>);
    const expected = computeBucket(j);
    const got = computeBucket(viaTransfer(j));
    expect(got).toEqual(expected);
    // the messy cells did reach the rules: rows rejected, each named by its row and field
    expect(expected.counts.rejected).toBeGreaterThan(50);
    expect(got.rejected.some((r) => /^row \d+: Qty "n\/a" is not a number/.test(r.message))).toBe(true);
    expect(got.rejected.some((r) => /^row \d+: transaction id "T\d+" already appears in row \d+/.test(r.message))).toBe(true);
    expect(got.rejected.some((r) => /^row \d+: Posting Date is missing/.test(r.message))).toBe(true);
  });

  test.each([
    ["text ids", (i: number, r: number) => (r < 0.03 ? `T${Math.floor(r * 1000)}` : r < 0.05 ? "" : `T${i + 100}`)],
    ["ids mixing numbers and text", (i: number, r: number) => (r < 0.03 ? Math.floor(r * 1000) : r < 0.05 ? `${Math.floor((r - 0.03) * 1000)}` : `T${i + 100}`)],
  ] as const)("mostly distinct %s (every row its own entry): duplicates found as with the arrays", (_name, id) => {
    const rows = 2 * HIGH_CARDINALITY_PROBE + 5000;
    const c = extract(15, rows);
    const rand = generator(99);
    c.transactionId = Array.from({ length: rows }, (_, i) => id(i, rand()));
    const enc = encodeColumn(c.transactionId, rows);
    expect(enc.kind === "dict" && !enc.unique).toBe(true);
    expect(decodeColumn(enc)).toEqual(c.transactionId);
    const j = job(c, rows);
    const expected = computeBucket(j);
    expect(expected.counts.duplicates).toBeGreaterThan(1000);
    expect(computeBucket(viaTransfer(j))).toEqual(expected);
  });

  test("text in a number column: the same message naming the row", () => {
    const columns: TransactionColumnsIn = { sku: ["A", "A", "B"], date: [45292, 45293, 45294], quantity: [3, "three", 4] };
    const expected = computeBucket(job(columns, 3));
    const got = computeBucket(viaTransfer(job(columns, 3)));
    expect(got).toEqual(expected);
    expect(got.rejected).toEqual([{ row: 3, reason: "bad row", message: expect.stringContaining('row 3: Qty "three" is not a number') }]);
  });

  test("a date column mixing d/m/y and m/d/y stops with the same message naming the same two rows", () => {
    const columns: TransactionColumnsIn = { sku: ["A", "A", "A", "A"], date: ["01/02/2024", "01/02/2024", "25/02/2024", "02/25/2024"], quantity: [1, 1, 1, 1] };
    const message = (() => {
      try {
        computeBucket(job(columns, 4));
      } catch (e) {
        return (e as Error).message;
      }
      return "";
    })();
    expect(message).toContain("row 4");
    expect(message).toContain("row 5");
    expect(() => computeBucket(viaTransfer(job(columns, 4)))).toThrow(message);
  });
});
