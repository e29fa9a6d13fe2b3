import { readFileSync } from "node:fs";
import path from "node:path";
import { bucketTransactions, describeBucketCounts, type TransactionColumns } from "../../../src/engine/bucket";
import { parseDates } from "../../../src/engine/dates";
import { parseQuantities } from "../../../src/engine/numbers";
import { daysFromCivil, type Calendar } from "../../../src/engine/periods";

interface Fixture {
  input: { sku: string[]; location: string[]; date: string[]; quantity: number[]; orderType: string[]; transactionId: string[] };
  cases: { calendar: string; negatives: "exclude" | "net"; periods: string[]; cells: [string, string, string, number][]; used: number }[];
  duplicates: number;
  excludedOrderType: number;
}
const fixture = JSON.parse(readFileSync(path.join(__dirname, "../../fixtures/bucket.json"), "utf8")) as Fixture;

const CALENDARS: Record<string, Calendar> = {
  isoWeek: { kind: "isoWeek" },
  month: { kind: "month" },
  fiscal445: { kind: "fiscalWeeks", pattern: "4-4-5", yearEndMonth: 9, weekEndDay: 6, rule: "last" },
  fiscalApril: { kind: "fiscalMonth", startMonth: 4 },
};

function columns(): TransactionColumns {
  const f = fixture.input;
  const dates = parseDates(f.date, { format: "iso" });
  return { rows: f.sku.length, sku: f.sku, location: f.location, day: dates.day, quantity: Float64Array.from(f.quantity), orderType: f.orderType, transactionId: f.transactionId };
}

describe("bucketTransactions against pandas (test/fixtures/gen_bucket.py)", () => {
  test.each(fixture.cases.map((c) => [c.calendar, c.negatives, c] as const))("%s, negatives %s", (_cal, _neg, c) => {
    const r = bucketTransactions(columns(), { calendar: CALENDARS[c.calendar], negatives: c.negatives, excludeOrderTypes: ["re"] });
    expect(r.counts.duplicates).toBe(fixture.duplicates);
    expect(r.counts.excludedOrderType).toBe(fixture.excludedOrderType);
    expect(r.counts.used).toBe(c.used);
    // every pandas period is a column of the grid (the grid may add empty periods in between)
    for (const p of c.periods) expect(r.grid!.labels).toContain(p);
    const col = new Map(r.grid!.labels.map((l, i) => [l, i]));
    const row = new Map(r.sku.map((s, i) => [`${s}|${r.location[i]}`, i]));
    const expected = new Map(c.cells.map(([s, l, p, v]) => [`${row.get(`${s}|${l}`)}:${col.get(p)}`, v]));
    let nonZero = 0;
    for (let i = 0; i < r.n; i++) {
      for (let j = 0; j < r.periods; j++) {
        const v = r.history[i * r.periods + j];
        if (v !== 0) nonZero++;
        expect(v).toBeCloseTo(expected.get(`${i}:${j}`) ?? 0, 9);
      }
    }
    expect(nonZero).toBe(c.cells.length);
  });
});

const d = (s: string) => {
  const [y, m, dd] = s.split("-").map(Number);
  return daysFromCivil(y, m, dd);
};

describe("bucketTransactions rules", () => {
  const base = (over: Partial<TransactionColumns> = {}): TransactionColumns => ({
    rows: 6,
    sku: ["A", "A", "B", "A", " ", "B"],
    day: Int32Array.from(["2020-12-31", "2021-01-03", "2021-01-04", "2021-01-04", "2021-01-04", "2021-01-10"].map(d)),
    quantity: Float64Array.from([5, 2, 7, -3, 1, 4]),
    transactionId: ["t1", "t2", "t3", "t4", "t5", "t1"],
    ...over,
  });
  test("ISO week edges, duplicate id, blank SKU, returns excluded", () => {
    const r = bucketTransactions(base(), { calendar: { kind: "isoWeek" } });
    expect(r.grid!.labels).toEqual(["2020-W53", "2021-W01"]);
    expect(r.sku).toEqual(["A", "B"]);
    expect(Array.from(r.history)).toEqual([7, 0, 0, 7]); // A: 5 + 2 in W53; B: 7 in W01; row 6 is a duplicate
    expect(r.rejected.map((x) => x.message)).toEqual(['row 6: sku is blank', 'row 7: transaction id "t1" already appears in row 2 (that row is kept)']);
    expect(r.counts.returns).toBe(1);
    expect(describeBucketCounts(r.counts, r.grid)).toContain("1 returns left out");
  });
  test("negatives net (floored per SKU-period) and reject", () => {
    const net = bucketTransactions(base({ quantity: Float64Array.from([5, 2, 7, -30, 1, 4]) }), { calendar: { kind: "isoWeek" }, negatives: "net" });
    expect(Array.from(net.history)).toEqual([7, 0, 0, 7]); // A W01: -30 netted to 0
    expect(net.counts.negativeNetCells).toBe(1);
    const rej = bucketTransactions(base(), { calendar: { kind: "isoWeek" }, negatives: "reject" });
    expect(rej.rejected.some((x) => x.message === "row 5: quantity -3 is negative (returns are rejected under negatives \"reject\")")).toBe(true);
  });
  test("parser issues pass through; from/to; order types and customers", () => {
    const dates = parseDates(["2024-01-01", "2024-02-30", "2024-01-15", "2024-03-01"], { format: "iso" });
    const qty = parseQuantities(["1.000", "2", "3", "4"], { locale: "de" });
    const issues = new Map([...dates.issues, ...qty.issues]);
    const r = bucketTransactions(
      { rows: 4, sku: ["A", "A", "A", "A"], day: dates.day, quantity: qty.quantity, customer: ["c1", "c1", "IC", "c1"], orderType: ["ZOR", "ZOR", "ZOR", "zfoc"], issues },
      { calendar: { kind: "month" }, excludeCustomers: ["ic"], excludeOrderTypes: ["ZFOC"], to: d("2024-02-29") },
    );
    expect(r.history[0]).toBe(1000);
    expect(r.rejected[0].message).toBe('row 3: date "2024-02-30" does not exist (February 2024 has 29 days)');
    expect(r.counts.excludedCustomer).toBe(1);
    expect(r.counts.excludedOrderType).toBe(1);
    const narrow = bucketTransactions({ rows: 2, sku: ["A", "A"], day: Int32Array.from([d("2024-01-01"), d("2024-03-01")]), quantity: Float64Array.from([1, 1]) }, { calendar: { kind: "month" }, from: d("2024-01-15") });
    expect(narrow.counts.outsideRange).toBe(1);
    expect(narrow.grid!.firstPartial).toBe(true);
  });
  test("by location, progress and cancellation", () => {
    const cols: TransactionColumns = { rows: 3, sku: ["A", "A", "A"], location: ["L1", "L2", "L1"], day: Int32Array.from([0, 0, 40]), quantity: Float64Array.from([1, 2, 3]) };
    const r = bucketTransactions(cols, { calendar: { kind: "month" } });
    expect(r.location).toEqual(["L1", "L2"]);
    expect(Array.from(r.history)).toEqual([1, 3, 2, 0]);
    expect(bucketTransactions(cols, { calendar: { kind: "month" }, byLocation: false }).n).toBe(1);
    const big = 200_000;
    const calls: number[] = [];
    const many: TransactionColumns = { rows: big, sku: new Array<string>(big).fill("A"), day: new Int32Array(big), quantity: new Float64Array(big).fill(1) };
    bucketTransactions(many, { calendar: { kind: "isoWeek" }, onProgress: (done) => calls.push(done) });
    expect(calls.length).toBeGreaterThan(3);
    expect(() => bucketTransactions(many, { calendar: { kind: "isoWeek" }, signal: { aborted: true } })).toThrow("bucketing was cancelled");
  });
  test("column length mismatch is an argument error", () => {
    expect(() => bucketTransactions({ rows: 2, sku: ["A"], day: new Int32Array(2), quantity: new Float64Array(2) }, { calendar: { kind: "month" } })).toThrow("sku: has 1 rows, expected 2");
  });
});

// The 1,000,000-row speed target is measured by npm run bench (bench/scale.bench.ts and the bucketing
// bench), not by a timed test.
