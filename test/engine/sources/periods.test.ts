import { ArgumentError } from "../../../src/engine/errors";
import {
  NRF_CALENDAR,
  civilFromDays,
  daysFromCivil,
  fiscalYearEnd,
  isoDate,
  isoWeek,
  isoWeekLabel,
  isoWeekday,
  periodCoder,
  periodGrid,
  validateCalendar,
  type Calendar,
} from "../../../src/engine/periods";

const day = (s: string) => {
  const [y, m, d] = s.split("-").map(Number);
  return daysFromCivil(y, m, d);
};

describe("civil dates", () => {
  test("epoch and known weekdays", () => {
    expect(day("1970-01-01")).toBe(0);
    expect(day("1969-12-31")).toBe(-1);
    expect(day("2000-03-01")).toBe(11017); // 30 years incl. 8 leap days (1972..2000) + Jan and Feb 2000
    expect(isoWeekday(day("1970-01-01"))).toBe(4); // Thursday
    expect(isoWeekday(day("2024-02-29"))).toBe(4); // Thursday
    expect(isoWeekday(day("1900-01-01"))).toBe(1); // Monday
  });
  test("round trip over 1899..2101", () => {
    const c = new Int32Array(3);
    for (let z = day("1899-01-01"); z <= day("2101-12-31"); z++) {
      civilFromDays(z, c);
      expect(daysFromCivil(c[0], c[1], c[2])).toBe(z);
    }
    expect(isoDate(day("1900-02-28") + 1)).toBe("1900-03-01"); // 1900 is not a leap year
  });
});

describe("ISO 8601 weeks", () => {
  test.each([
    ["2020-12-31", "2020-W53"],
    ["2021-01-03", "2020-W53"],
    ["2021-01-04", "2021-W01"],
    ["2018-12-31", "2019-W01"], // Monday of the week with 2019's first Thursday
    ["2016-01-03", "2015-W53"],
    ["2026-12-31", "2026-W53"],
    ["2027-01-01", "2026-W53"],
    ["2008-12-29", "2009-W01"], // ISO 8601 examples: 2008-12-29 is 2009-W01-1
    ["2010-01-03", "2009-W53"], // and 2010-01-03 is 2009-W53-7
  ])("%s is %s", (d, label) => {
    expect(isoWeekLabel(day(d))).toBe(label);
  });
  test("week numbers agree with a Thursday count", () => {
    // every year: the week of its first Thursday is week 1
    for (let y = 1990; y <= 2040; y++) {
      let z = day(`${y}-01-01`);
      while (isoWeekday(z) !== 4) z++;
      expect(isoWeek(z)).toEqual({ year: y, week: 1 });
    }
  });
});

describe("fiscal calendars", () => {
  test("NRF 4-5-4: year ends (published NRF calendar)", () => {
    const cal = NRF_CALENDAR as Extract<Calendar, { kind: "fiscalWeeks" }>;
    expect(isoDate(fiscalYearEnd(cal, 2023))).toBe("2023-01-28"); // fiscal 2022
    expect(isoDate(fiscalYearEnd(cal, 2024))).toBe("2024-02-03"); // fiscal 2023, 53 weeks
    expect(isoDate(fiscalYearEnd(cal, 2025))).toBe("2025-02-01"); // fiscal 2024
  });
  test("NRF 4-5-4: months of fiscal 2023 and the 53rd week in January", () => {
    const c = periodCoder(NRF_CALENDAR);
    const at = (d: string) => {
      const p = c.periodOf(day(d));
      const b = c.bounds(p);
      return `${c.label(p)} ${isoDate(b.start)}..${isoDate(b.end)}`;
    };
    expect(at("2023-01-28")).toBe("FY2022-P12 2023-01-01..2023-01-28");
    expect(at("2023-01-29")).toBe("FY2023-P01 2023-01-29..2023-02-25"); // February: 4 weeks
    expect(at("2023-02-26")).toBe("FY2023-P02 2023-02-26..2023-04-01"); // March: 5 weeks
    expect(at("2023-04-02")).toBe("FY2023-P03 2023-04-02..2023-04-29"); // April: 4 weeks
    expect(at("2024-02-03")).toBe("FY2023-P12 2023-12-31..2024-02-03"); // January: 4 + 1 weeks
    expect(at("2024-02-04")).toBe("FY2024-P01 2024-02-04..2024-03-02");
  });
  test.each([
    ["4-4-5", [4, 4, 5, 4, 4, 5, 4, 4, 5, 4, 4, 5]],
    ["4-5-4", [4, 5, 4, 4, 5, 4, 4, 5, 4, 4, 5, 4]],
    ["5-4-4", [5, 4, 4, 5, 4, 4, 5, 4, 4, 5, 4, 4]],
  ] as const)("%s month lengths in a 52-week year", (pattern, weeks) => {
    const cal: Calendar = { kind: "fiscalWeeks", pattern, yearEndMonth: 12, weekEndDay: 7, rule: "last" };
    const c = periodCoder(cal);
    // fiscal 2022 ends Sunday 2022-12-25, starts Monday 2021-12-27: 52 weeks
    const p0 = c.periodOf(day("2021-12-27"));
    expect(c.label(p0)).toBe("FY2022-P01");
    const lengths = weeks.map((_, k) => {
      const b = c.bounds(p0 + k);
      return (b.end - b.start + 1) / 7;
    });
    expect(lengths).toEqual([...weeks]);
    expect(isoDate(c.bounds(p0 + 11).end)).toBe("2022-12-25");
  });
  test("'last' vs 'nearest' year ends", () => {
    // 2022-12-31 is a Saturday; 2023-12-31 a Sunday; 2021-12-31 a Friday
    const last: Extract<Calendar, { kind: "fiscalWeeks" }> = { kind: "fiscalWeeks", pattern: "4-4-5", yearEndMonth: 12, weekEndDay: 6, rule: "last" };
    const nearest = { ...last, rule: "nearest" as const };
    expect(isoDate(fiscalYearEnd(last, 2022))).toBe("2022-12-31");
    expect(isoDate(fiscalYearEnd(last, 2023))).toBe("2023-12-30");
    expect(isoDate(fiscalYearEnd(last, 2021))).toBe("2021-12-25");
    expect(isoDate(fiscalYearEnd(nearest, 2021))).toBe("2022-01-01"); // 1 day after beats 6 days before
  });
  test("fiscal months starting in April, both year labels", () => {
    const end = periodCoder({ kind: "fiscalMonth", startMonth: 4 });
    const start = periodCoder({ kind: "fiscalMonth", startMonth: 4, yearLabel: "start" });
    expect(end.label(end.periodOf(day("2024-04-01")))).toBe("FY2025-P01");
    expect(end.label(end.periodOf(day("2025-03-31")))).toBe("FY2025-P12");
    expect(start.label(start.periodOf(day("2025-03-31")))).toBe("FY2024-P12");
    const b = end.bounds(end.periodOf(day("2024-02-10")));
    expect([isoDate(b.start), isoDate(b.end)]).toEqual(["2024-02-01", "2024-02-29"]);
    const jan = periodCoder({ kind: "fiscalMonth", startMonth: 1 });
    expect(jan.label(jan.periodOf(day("2024-12-31")))).toBe("FY2024-P12");
  });
  test("every day belongs to exactly the period whose bounds hold it (all calendars)", () => {
    const cals: Calendar[] = [
      { kind: "isoWeek" },
      { kind: "month" },
      { kind: "fiscalMonth", startMonth: 7 },
      NRF_CALENDAR,
      { kind: "fiscalWeeks", pattern: "5-4-4", yearEndMonth: 6, weekEndDay: 5, rule: "last" },
    ];
    for (const cal of cals) {
      const c = periodCoder(cal);
      let prev = c.periodOf(day("2015-01-01"));
      for (let z = day("2015-01-01"); z <= day("2030-12-31"); z++) {
        const p = c.periodOf(z);
        if (p !== prev && p !== prev + 1) throw new Error(`${JSON.stringify(cal)}: period jumps at ${isoDate(z)}`);
        const b = c.bounds(p);
        if (!(b.start <= z && z <= b.end)) throw new Error(`${JSON.stringify(cal)}: ${isoDate(z)} outside ${c.label(p)}`);
        prev = p;
      }
    }
  });
  test("bad calendars name the field", () => {
    expect(() => validateCalendar({ kind: "fiscalMonth", startMonth: 13 })).toThrow("calendar.startMonth: must be a month number 1-12, got 13");
    expect(() => validateCalendar({ kind: "fiscalWeeks", pattern: "4-4-4" as "4-4-5", yearEndMonth: 1, weekEndDay: 6, rule: "last" })).toThrow(ArgumentError);
    expect(() => validateCalendar({ kind: "fiscalWeeks", pattern: "4-4-5", yearEndMonth: 1, weekEndDay: 0, rule: "last" })).toThrow("calendar.weekEndDay");
  });
});

describe("periodGrid", () => {
  test("partial first and last periods, day lookup", () => {
    const g = periodGrid({ kind: "isoWeek" }, day("2020-12-30"), day("2021-01-05"));
    expect(g.labels).toEqual(["2020-W53", "2021-W01"]);
    expect(g.firstPartial).toBe(true);
    expect(g.lastPartial).toBe(true);
    expect(g.dayColumn[day("2021-01-03") - g.from]).toBe(0);
    expect(g.dayColumn[day("2021-01-04") - g.from]).toBe(1);
    const full = periodGrid({ kind: "month" }, day("2024-01-01"), day("2024-02-29"));
    expect([full.firstPartial, full.lastPartial, full.count]).toEqual([false, false, 2]);
  });
  test("a stray date is refused, not allocated", () => {
    expect(() => periodGrid({ kind: "month" }, day("1900-01-01"), day("2999-01-01"))).toThrow("spans more than 200 years");
  });
});
