import fc from "fast-check";
import { ArgumentError } from "../../../src/engine/errors";
import { classifyPattern } from "../../../src/engine/pattern";
import { addMonths, asOfIndex, describeWindow, reclassificationDue, rollingWindow, windowHistory, windowMask } from "../../../src/engine/window";
import { classifyXyz, demandCv, historyFromArray, historyFromCells } from "../../../src/engine/xyz";

describe("rollingWindow", () => {
  it("defaults to one year of periods ending at the newest", () => {
    expect(rollingWindow(104)).toEqual({ start: 52, end: 103, length: 52, requested: 52, short: false });
    expect(rollingWindow(36, { periodsPerYear: 12 })).toEqual({ start: 24, end: 35, length: 12, requested: 12, short: false });
  });

  it("ends at the as-of period and says when the history is shorter than asked", () => {
    expect(rollingWindow(104, { asOf: 77 })).toEqual({ start: 26, end: 77, length: 52, requested: 52, short: false });
    expect(rollingWindow(40)).toEqual({ start: 0, end: 39, length: 40, requested: 52, short: true });
    expect(rollingWindow(104, { asOf: 9, length: 13 })).toEqual({ start: 0, end: 9, length: 10, requested: 13, short: true });
    expect(describeWindow(rollingWindow(40))).toBe("periods 1–40 (40 periods; 52 asked for, the history is shorter)");
    expect(describeWindow(rollingWindow(4, { length: 2 }), ["W1", "W2", "W3", "W4"])).toBe("W3 to W4 (2 periods)");
  });

  it("rejects an as-of period outside the history and a bad length, naming the argument", () => {
    expect(() => rollingWindow(10, { asOf: 10 })).toThrow(ArgumentError);
    expect(() => rollingWindow(10, { asOf: 10 })).toThrow(/^asOf: period 11 is not one of the history's 10 periods/);
    expect(() => rollingWindow(10, { length: 0 })).toThrow(/^window: must be a whole number of periods >= 1, got 0/);
    expect(() => rollingWindow(10, { periodsPerYear: 0 })).toThrow(/^periodsPerYear/);
    expect(asOfIndex(["2026-01", "2026-02", 202603], "202603")).toBe(2);
    expect(asOfIndex([new Date(Date.UTC(2026, 0, 1))], new Date(Date.UTC(2026, 0, 1)))).toBe(0);
    expect(() => asOfIndex(["2026-01", "2026-02"], "2026-03")).toThrow(/^asOf: "2026-03" is not one of the period headers \(2026-01 … 2026-02\)/);
  });
});

describe("windowHistory", () => {
  it("classifies the window exactly as a history holding only those periods (arrays and cells)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 7 }).chain((rows) =>
          fc.integer({ min: 2, max: 14 }).chain((p) =>
            fc.tuple(
              fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 50 })), { minLength: rows * p, maxLength: rows * p }),
              fc.constant(rows),
              fc.constant(p),
              fc.integer({ min: 0, max: p - 1 }),
              fc.integer({ min: 1, max: p }),
            ),
          ),
        ),
        ([flat, rows, p, asOf, length]) => {
          const w = rollingWindow(p, { asOf, length });
          const sliced = Float64Array.from({ length: rows * w.length }, (_, i) => flat[Math.floor(i / w.length) * p + w.start + (i % w.length)]);
          const alone = historyFromArray(sliced, rows, w.length);
          const cells = Array.from({ length: rows }, (_, r) => flat.slice(r * p, (r + 1) * p));
          for (const h of [windowHistory(historyFromArray(Float64Array.from(flat), rows, p), w), windowHistory(historyFromCells(cells), w)]) {
            expect(h.periods).toBe(w.length);
            expect(Array.from(classifyXyz(h).cv)).toEqual(Array.from(classifyXyz(alone).cv));
            expect(Array.from(classifyPattern(h).cv2)).toEqual(Array.from(classifyPattern(alone).cv2));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("reports a bad cell inside the window by its period in the window, and ignores one outside", () => {
    const h = historyFromCells([
      ["x", 1, 2, 3],
      [1, 2, -4, 3],
    ]);
    const r = demandCv(windowHistory(h, rollingWindow(4, { length: 3 })));
    expect(r.issues.has(0)).toBe(false);
    expect(r.cv[0]).toBeCloseTo(Math.sqrt(2 / 3) / 2, 15);
    expect(r.issues.get(1)?.message).toBe("period 2: demand -4 is negative");
    const reject = demandCv(windowHistory(historyFromCells([[1, null, 2]], "reject"), rollingWindow(3, { length: 2 })));
    expect(reject.issues.get(0)?.message).toBe("period 1: blank cell");
  });

  it("cuts the promotion mask to the same window", () => {
    const mask = { rows: 2, periods: 4, flags: Uint8Array.from([1, 0, 1, 0, 0, 1, 1, 1]) };
    expect(Array.from(windowMask(mask, rollingWindow(4, { asOf: 2, length: 2 })).flags)).toEqual([0, 1, 1, 1]);
  });
});

describe("reclassificationDue", () => {
  const runAt = "2026-01-31T09:00:00.000Z";
  it("is due when the data has new period columns or a new newest period", () => {
    const d = reclassificationDue({ lastRun: { runAt, periods: 104 }, now: new Date("2026-02-01T00:00:00Z"), periods: 106, cadence: "none" });
    expect(d).toEqual({ due: true, reasons: ["2 new periods since the last run (104 → 106)"], newPeriods: 2, nextDue: null });
    const rolled = reclassificationDue({ lastRun: { runAt, periods: 104, lastPeriod: "2026-W04" }, now: new Date(runAt), periods: 104, lastPeriod: "2026-W05", cadence: "none" });
    expect(rolled.reasons).toEqual(["the data now ends at 2026-W05 (last run: 2026-W04)"]);
    const same = reclassificationDue({ lastRun: { runAt, periods: 104, lastPeriod: "2026-W04" }, now: new Date(runAt), periods: 104, lastPeriod: "2026-W04", cadence: "none" });
    expect(same.due).toBe(false);
  });

  it("is due once a calendar month (quarter) has passed, the day clamped to the month's end", () => {
    const at = (now: string, cadence: "monthly" | "quarterly") => reclassificationDue({ lastRun: { runAt, periods: 104 }, now: new Date(now), periods: 104, cadence });
    expect(at("2026-02-28T08:59:59Z", "monthly").due).toBe(false);
    const m = at("2026-02-28T09:00:00Z", "monthly");
    expect(m.due).toBe(true);
    expect(m.nextDue).toBe("2026-02-28T09:00:00.000Z");
    expect(m.reasons).toEqual(["the monthly cadence has passed (last run 2026-01-31, due 2026-02-28)"]);
    expect(at("2026-04-30T08:00:00Z", "quarterly").due).toBe(false);
    expect(at("2026-04-30T09:00:00Z", "quarterly").nextDue).toBe("2026-04-30T09:00:00.000Z");
    expect(addMonths(new Date("2028-01-31T00:00:00Z"), 1).toISOString()).toBe("2028-02-29T00:00:00.000Z");
    expect(addMonths(new Date("2026-11-30T00:00:00Z"), 3).toISOString()).toBe("2027-02-28T00:00:00.000Z");
    expect(addMonths(new Date("2026-03-15T12:00:00Z"), 1).toISOString()).toBe("2026-04-15T12:00:00.000Z");
  });

  it("is due without a previous run, and rejects a bad cadence or date", () => {
    expect(reclassificationDue({ lastRun: null, now: new Date(), periods: 5, cadence: "monthly" }).due).toBe(true);
    expect(() => reclassificationDue({ lastRun: { runAt, periods: 1 }, now: new Date(), periods: 1, cadence: "weekly" as never })).toThrow(/^cadence/);
    expect(() => reclassificationDue({ lastRun: { runAt: "yesterday", periods: 1 }, now: new Date(), periods: 1, cadence: "none" })).toThrow(/^lastRun/);
  });
});
