/**
 * Calendars for bucketing dated transactions into planning periods: ISO 8601 weeks, calendar
 * months, fiscal months on calendar-month boundaries, and 52/53-week fiscal years split into
 * 4-4-5 / 4-5-4 / 5-4-4 months.
 *
 * Day numbers: every date is an integer "epoch day", the number of days since 1970-01-01 in the
 * proleptic Gregorian calendar (1970-01-01 = 0, 1969-12-31 = -1). No time zones: a date is the
 * calendar date written in the data. Conversions use H. Hinnant's days_from_civil /
 * civil_from_days ("chrono-Compatible Low-Level Date Algorithms", 2013), valid for any year.
 *
 * ISO week (ISO 8601-1:2019, 5.2.4.2): weeks start on Monday; week 1 of a year is the week that
 * holds that year's first Thursday, so a week belongs to the year of its Thursday.
 * 2020-12-31 (Thu) and 2021-01-03 (Sun) are 2020-W53; 2021-01-04 (Mon) is 2021-W01.
 *
 * 52/53-week fiscal years (the "4-4-5 calendar"; the NRF retail calendar is 4-5-4 with the year
 * ending on the Saturday nearest 31 January): the year ends on a fixed weekday, either the LAST
 * such weekday of the year-end month ("last") or the one NEAREST the month's last day ("nearest",
 * at most 3 days either side). A year is 52 weeks, or 53 when the end dates are 371 days apart;
 * the 53rd week is added to the year's last month (NRF practice). Months follow the pattern per
 * quarter: 4-4-5 means weeks 1-4, 5-8, 9-13, then again for each quarter.
 */
import { ArgumentError } from "./errors";

// ---- civil dates ---------------------------------------------------------------------------------

/** Epoch day of a proleptic Gregorian date (month 1-12, day 1-31; not validated here). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12; // March = 0
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Year, month (1-12) and day of an epoch day, written into `out` (no allocation). */
export function civilFromDays(z: number, out: Int32Array | number[] = new Int32Array(3)): Int32Array | number[] {
  const zz = z + 719468;
  const era = Math.floor(zz / 146097);
  const doe = zz - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  out[0] = yoe + era * 400 + (m <= 2 ? 1 : 0);
  out[1] = m;
  out[2] = d;
  return out;
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
export function daysInMonth(y: number, m: number): number {
  return m === 2 && isLeapYear(y) ? 29 : MONTH_DAYS[m - 1];
}

/** ISO weekday: 1 = Monday ... 7 = Sunday (1970-01-01 was a Thursday). */
export function isoWeekday(z: number): number {
  return ((((z + 3) % 7) + 7) % 7) + 1;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
function year4(y: number): string {
  return y >= 0 && y < 1000 ? String(y).padStart(4, "0") : String(y);
}

/** yyyy-mm-dd of an epoch day. */
export function isoDate(z: number): string {
  const c = civilFromDays(z, scratchCivil);
  return `${year4(c[0])}-${pad2(c[1])}-${pad2(c[2])}`;
}
const scratchCivil = new Int32Array(3);

// ---- ISO weeks -----------------------------------------------------------------------------------

/** Weeks since the Monday 1969-12-29 (week 0): consecutive ISO weeks have consecutive numbers. */
export function isoWeekNumber(z: number): number {
  return Math.floor((z + 3) / 7);
}

/** ISO week-numbering year and week (1-53) of an epoch day. */
export function isoWeek(z: number): { year: number; week: number } {
  const thursday = z - isoWeekday(z) + 4;
  const year = civilFromDays(thursday, scratchCivil)[0];
  const week = Math.floor((thursday - daysFromCivil(year, 1, 1)) / 7) + 1;
  return { year, week };
}

/** "2020-W53" */
export function isoWeekLabel(z: number): string {
  const { year, week } = isoWeek(z);
  return `${year4(year)}-W${pad2(week)}`;
}

// ---- calendars -----------------------------------------------------------------------------------

export const FISCAL_PATTERNS = ["4-4-5", "4-5-4", "5-4-4"] as const;
export type FiscalPattern = (typeof FISCAL_PATTERNS)[number];

/**
 * How dates map to periods.
 * - isoWeek: ISO 8601 weeks, label "2021-W01".
 * - month: calendar months, label "2021-01".
 * - fiscalMonth: calendar months numbered from `startMonth` (4 = the year starts in April), label
 *   "FY2025-P01". `yearLabel` "end" (default) names the fiscal year by the calendar year in which it
 *   ends (April 2024 - March 2025 is FY2025), "start" by the year in which it starts (FY2024).
 * - fiscalWeeks: 52/53-week years ending on `weekEndDay` (ISO 1 = Monday ... 7 = Sunday; 6 =
 *   Saturday) of `yearEndMonth`, "last" or "nearest" (see the module comment), months by `pattern`,
 *   label "FY2023-P01". `yearLabel` "end" (default): the calendar year of the year-end month;
 *   "start": the calendar year of the fiscal year's first month (the NRF convention: the year ending
 *   2024-02-03 is fiscal 2023).
 */
export type Calendar =
  | { kind: "isoWeek" }
  | { kind: "month" }
  | { kind: "fiscalMonth"; startMonth: number; yearLabel?: "end" | "start" }
  | {
      kind: "fiscalWeeks";
      pattern: FiscalPattern;
      yearEndMonth: number;
      weekEndDay: number;
      rule: "last" | "nearest";
      yearLabel?: "end" | "start";
    };

/** The NRF 4-5-4 retail calendar: years end on the Saturday nearest 31 January, named by their start year. */
export const NRF_CALENDAR: Calendar = { kind: "fiscalWeeks", pattern: "4-5-4", yearEndMonth: 1, weekEndDay: 6, rule: "nearest", yearLabel: "start" };

/** Periods per year of a calendar (52 for weeks, 12 for months): the ABC value annualisation factor. */
export function periodsPerYear(cal: Calendar): number {
  return cal.kind === "isoWeek" ? 52 : 12;
}

function checkMonth(name: string, m: unknown): void {
  if (!(typeof m === "number" && Number.isInteger(m) && m >= 1 && m <= 12)) throw new ArgumentError(name, `must be a month number 1-12, got ${String(m)}`);
}

/** Throws an ArgumentError naming the field when a calendar is not usable. */
export function validateCalendar(cal: Calendar): Calendar {
  if (!cal || typeof cal !== "object") throw new ArgumentError("calendar", "give a calendar, e.g. { kind: \"isoWeek\" }");
  switch (cal.kind) {
    case "isoWeek":
    case "month":
      return cal;
    case "fiscalMonth":
      checkMonth("calendar.startMonth", cal.startMonth);
      break;
    case "fiscalWeeks":
      if (!FISCAL_PATTERNS.includes(cal.pattern)) throw new ArgumentError("calendar.pattern", `must be one of ${FISCAL_PATTERNS.join(", ")}, got ${String(cal.pattern)}`);
      checkMonth("calendar.yearEndMonth", cal.yearEndMonth);
      if (!(Number.isInteger(cal.weekEndDay) && cal.weekEndDay >= 1 && cal.weekEndDay <= 7)) {
        throw new ArgumentError("calendar.weekEndDay", `must be an ISO weekday 1 (Monday) to 7 (Sunday), got ${String(cal.weekEndDay)}`);
      }
      if (cal.rule !== "last" && cal.rule !== "nearest") throw new ArgumentError("calendar.rule", `must be "last" or "nearest", got ${String(cal.rule)}`);
      break;
    default:
      throw new ArgumentError("calendar.kind", `must be isoWeek, month, fiscalMonth or fiscalWeeks, got ${String((cal as { kind: unknown }).kind)}`);
  }
  if (cal.yearLabel !== undefined && cal.yearLabel !== "end" && cal.yearLabel !== "start") {
    throw new ArgumentError("calendar.yearLabel", `must be "end" or "start", got ${String(cal.yearLabel)}`);
  }
  return cal;
}

/** Last day (epoch day) of the 52/53-week fiscal year whose year-end month falls in calendar year y. */
export function fiscalYearEnd(cal: Extract<Calendar, { kind: "fiscalWeeks" }>, y: number): number {
  const last = daysFromCivil(y, cal.yearEndMonth, daysInMonth(y, cal.yearEndMonth));
  const back = (isoWeekday(last) - cal.weekEndDay + 7) % 7; // days back to the last such weekday
  const onOrBefore = last - back;
  return cal.rule === "nearest" && back > 3 ? onOrBefore + 7 : onOrBefore;
}

const PATTERN_WEEKS: Record<FiscalPattern, number[]> = { "4-4-5": [4, 4, 5], "4-5-4": [4, 5, 4], "5-4-4": [5, 4, 4] };

/** Cumulative weeks at the end of each fiscal month 1..12 of a 52-week year. */
function monthEndWeeks(pattern: FiscalPattern): Int32Array {
  const w = PATTERN_WEEKS[pattern];
  const out = new Int32Array(12);
  let s = 0;
  for (let m = 0; m < 12; m++) {
    s += w[m % 3];
    out[m] = s;
  }
  return out;
}

/**
 * The period of a day under a calendar: a period number that increases by 1 from one period to the
 * next (so periods can be laid out densely) and its label.
 * isoWeek: isoWeekNumber; month: 12·year + month − 1; fiscal: 12·(fiscal year label) + period − 1.
 */
export interface PeriodCoder {
  readonly calendar: Calendar;
  /** Period number of an epoch day. */
  periodOf(day: number): number;
  /** First and last epoch day of a period number. */
  bounds(period: number): { start: number; end: number };
  label(period: number): string;
}

export function periodCoder(calendar: Calendar): PeriodCoder {
  const cal = validateCalendar(calendar);
  const c = new Int32Array(3);
  switch (cal.kind) {
    case "isoWeek":
      return {
        calendar: cal,
        periodOf: isoWeekNumber,
        bounds: (p) => ({ start: 7 * p - 3, end: 7 * p + 3 }),
        label: (p) => isoWeekLabel(7 * p - 3),
      };
    case "month":
      return {
        calendar: cal,
        periodOf(day) {
          civilFromDays(day, c);
          return 12 * c[0] + c[1] - 1;
        },
        bounds(p) {
          const y = Math.floor(p / 12);
          const m = p - 12 * y + 1;
          return { start: daysFromCivil(y, m, 1), end: daysFromCivil(y, m, daysInMonth(y, m)) };
        },
        label(p) {
          const y = Math.floor(p / 12);
          return `${year4(y)}-${pad2(p - 12 * y + 1)}`;
        },
      };
    case "fiscalMonth": {
      const s = cal.startMonth;
      // label year of a calendar month (y, m): with "end", months from startMonth on belong to y+1 (unless s = 1)
      const shift = cal.yearLabel === "start" || s === 1 ? 0 : 1;
      return {
        calendar: cal,
        periodOf(day) {
          civilFromDays(day, c);
          const y = c[0];
          const m = c[1];
          const fy = m >= s ? y + shift : y + shift - 1;
          return 12 * fy + ((m - s + 12) % 12);
        },
        bounds(p) {
          const fy = Math.floor(p / 12);
          const k = p - 12 * fy; // 0-based fiscal month
          const calMonth0 = s - 1 + k; // months since January of the start year
          const y = fy - shift + (calMonth0 >= 12 ? 1 : 0);
          const m = (calMonth0 % 12) + 1;
          return { start: daysFromCivil(y, m, 1), end: daysFromCivil(y, m, daysInMonth(y, m)) };
        },
        label(p) {
          const fy = Math.floor(p / 12);
          return `FY${year4(fy)}-P${pad2(p - 12 * fy + 1)}`;
        },
      };
    }
    case "fiscalWeeks": {
      const ends = monthEndWeeks(cal.pattern);
      // label = calendar year of the year-end month, minus 1 for "start" when the year does not end in December
      const labelShift = cal.yearLabel === "start" && cal.yearEndMonth !== 12 ? 1 : 0;
      const yearEndCache = new Map<number, number>();
      const yearEnd = (y: number) => {
        let e = yearEndCache.get(y);
        if (e === undefined) {
          e = fiscalYearEnd(cal, y);
          yearEndCache.set(y, e);
        }
        return e;
      };
      return {
        calendar: cal,
        periodOf(day) {
          civilFromDays(day, c);
          // the fiscal year ending in calendar year c[0] or the next one
          let y = c[0];
          if (day > yearEnd(y)) y++;
          else if (day <= yearEnd(y - 1)) y--;
          const start = yearEnd(y - 1) + 1;
          const week = Math.floor((day - start) / 7); // 0-based; 52 in a 53-week year's last week
          let m = 0;
          while (m < 11 && week >= ends[m]) m++;
          return 12 * (y - labelShift) + m;
        },
        bounds(p) {
          const fy = Math.floor(p / 12);
          const k = p - 12 * fy;
          const y = fy + labelShift;
          const start = yearEnd(y - 1) + 1;
          const end = yearEnd(y);
          return { start: start + 7 * (k === 0 ? 0 : ends[k - 1]), end: k === 11 ? end : start + 7 * ends[k] - 1 };
        },
        label(p) {
          const fy = Math.floor(p / 12);
          return `FY${year4(fy)}-P${pad2(p - 12 * fy + 1)}`;
        },
      };
    }
  }
}

/**
 * The dense period grid covering the days [from, to] (inclusive): period numbers first..last, one
 * label, start and end per period, and a day → column lookup table for the bucketing loop.
 * firstPartial / lastPartial say whether the first / last period reaches outside [from, to]
 * (i.e. the data covers only part of it).
 */
export interface PeriodGrid {
  calendar: Calendar;
  from: number;
  to: number;
  /** Period number of column 0. */
  first: number;
  count: number;
  labels: string[];
  start: Int32Array;
  end: Int32Array;
  firstPartial: boolean;
  lastPartial: boolean;
  /** Column (0..count-1) of day from + i. */
  dayColumn: Int32Array;
}

/** Longest span a grid may cover (about 200 years), so that a stray date cannot exhaust memory. */
export const MAX_GRID_DAYS = 73_050;

export function periodGrid(calendar: Calendar, from: number, to: number): PeriodGrid {
  if (!(Number.isInteger(from) && Number.isInteger(to) && from <= to)) throw new ArgumentError("period range", `needs whole days with from <= to, got ${from}..${to}`);
  if (to - from + 1 > MAX_GRID_DAYS) {
    throw new ArgumentError("period range", `${isoDate(from)} to ${isoDate(to)} spans more than 200 years: check for a stray date, or state from/to`);
  }
  const coder = periodCoder(calendar);
  const first = coder.periodOf(from);
  const last = coder.periodOf(to);
  const count = last - first + 1;
  const labels = new Array<string>(count);
  const start = new Int32Array(count);
  const end = new Int32Array(count);
  for (let k = 0; k < count; k++) {
    const b = coder.bounds(first + k);
    labels[k] = coder.label(first + k);
    start[k] = b.start;
    end[k] = b.end;
  }
  const dayColumn = new Int32Array(to - from + 1);
  let col = 0;
  for (let d = from; d <= to; d++) {
    while (d > end[col]) col++;
    dayColumn[d - from] = col;
  }
  return { calendar: coder.calendar, from, to, first, count, labels, start, end, firstPartial: start[0] < from, lastPartial: end[count - 1] > to, dayColumn };
}
