import { NO_DATA, assessFreshness, checkLatency, dataQualityReport, familyPatterns } from "../../../src/engine/freshness";
import { daysFromCivil } from "../../../src/engine/periods";

const d = (s: string) => {
  const [y, m, dd] = s.split("-").map(Number);
  return daysFromCivil(y, m, dd);
};

describe("assessFreshness", () => {
  const input = {
    sku: ["A", "B", "C", "D", "E", "F"],
    lastDataDay: Int32Array.from([d("2024-02-18"), d("2024-01-07"), NO_DATA, d("2023-12-01"), d("2024-02-20"), d("2024-02-19")]),
    family: ["F1", "F1", "F1", null, "F1", "F2"],
    previousClass: [null, "B", null, null, null, null],
    pattern: ["smooth", "lumpy", null, null, "intermittent", "erratic"],
  };
  test("fresh, stale, missing and the fallback chain", () => {
    const r = assessFreshness(input, { asOf: d("2024-02-21"), maxAgeDays: 14 });
    expect(r.status).toEqual(["fresh", "stale", "missing", "stale", "fresh", "fresh"]);
    expect(r.action).toEqual(["classify", "previousClass", "familyPattern", "exclude", "classify", "classify"]);
    // family F1's fresh SKUs: smooth (A) and intermittent (E), one each: alphabetical tie-break
    expect(r.fallbackValue[2]).toBe("intermittent");
    expect(r.flag[1]).toBe("stale: last data 2024-01-07 (45 days before 2024-02-21, limit 14); previous class B kept");
    expect(r.flag[2]).toBe('missing: no history; pattern "intermittent" of family F1 used');
    expect(r.flag[3]).toContain("excluded from this run");
    expect(r.counts).toMatchObject({ fresh: 3, stale: 2, missing: 1, previousClass: 1, familyPattern: 1, exclude: 1 });
  });
  test("a chain without exclude still ends in exclude; limits are inclusive", () => {
    const r = assessFreshness(input, { asOf: d("2024-02-21"), maxAgeDays: 45, fallbacks: ["familyPattern"] });
    expect(r.status[1]).toBe("fresh"); // exactly 45 days old
    expect(r.action[3]).toBe("exclude");
    expect(() => assessFreshness(input, { asOf: 0, maxAgeDays: -1 })).toThrow("maxAgeDays");
  });
  test("familyPatterns ignores stale SKUs", () => {
    expect(familyPatterns(["F", "F", "F"], ["lumpy", "lumpy", "smooth"], [0, 0, 1]).get("F")).toBe("smooth");
  });
});

describe("latency and the data-quality report", () => {
  test("weekly Monday run needing data through Sunday", () => {
    expect(checkLatency(d("2024-02-18"), d("2024-02-19"), 1).ok).toBe(true);
    const late = checkLatency(d("2024-02-11"), d("2024-02-19"), 1);
    expect(late.ok).toBe(false);
    expect(late.message).toBe("data ends 2024-02-11, 8 days before the 2024-02-19 run: the cycle needs data through 2024-02-18 (limit 1 days)");
  });
  test("stale inputs are named with their owner", () => {
    const now = Date.UTC(2024, 1, 21, 12);
    const r = dataQualityReport(
      now,
      [
        { name: "SAP MM extract", lastRefreshed: Date.UTC(2024, 1, 21, 2), refreshSla: "P1D", owner: "Demand planning" },
        { name: "WMS slots", lastRefreshed: Date.UTC(2024, 1, 21, 2), refreshSla: "PT6H", owner: "Warehouse ops" },
        { name: "CRM tiers", lastRefreshed: Number.NaN, refreshSla: "P1W" },
      ],
      { latency: checkLatency(d("2024-02-11"), d("2024-02-19"), 1), notes: ["2 hierarchy conflicts"] },
    );
    expect(r.ok).toBe(false);
    expect(r.staleInputs.map((s) => s.name)).toEqual(["WMS slots", "CRM tiers"]);
    expect(r.lines[0]).toBe("WMS slots: stale, last refreshed 2024-02-21T02:00:00.000Z (10.0 h ago, SLA PT6H, owner Warehouse ops)");
    expect(r.lines[1]).toBe("CRM tiers: never refreshed (SLA P1W)");
    expect(r.lines[2]).toMatch(/^latency FAILED: /);
    expect(r.lines[3]).toBe("2 hierarchy conflicts");
  });
});
