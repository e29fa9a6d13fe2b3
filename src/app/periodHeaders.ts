/**
 * Periods per year from the headers of the demand-history columns. Headers that read as dates
 * (Excel date serials, ISO dates "2025-01-06" or months "2025-01", "Jan-25", "January 2025",
 * ISO weeks "2025-W01", quarters "Q1 2025") give their spacing: the median gap between consecutive
 * headers of about a day → 365, a week → 52, a fortnight → 26, a month → 12, a quarter → 4, a
 * year → 1. Plain labels ("M1", "Period 3", "1, 2, 3") say nothing about the calendar: null, and
 * the pane asks.
 */
import { serialToIso } from "./mapping";

export interface PeriodInference {
  periodsPerYear: number;
  /** What was seen, for the pane: "monthly dates (2022-01 … 2026-03)". */
  basis: string;
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const DAY = 86_400_000;
// Excel date serials between 1950-01-01 and 2100-01-01 (as mapping.ts)
const SERIAL_MIN = 18264;
const SERIAL_MAX = 73051;

function year(y: number): number {
  return y < 100 ? 2000 + y : y;
}

/** ms since the epoch (UTC) of a header cell that reads as a date; null otherwise. */
export function headerDate(cell: unknown): number | null {
  if (typeof cell === "number" && Number.isFinite(cell)) {
    if (cell >= SERIAL_MIN && cell <= SERIAL_MAX) return Date.UTC(1899, 11, 30) + Math.floor(cell) * DAY;
    return null;
  }
  if (typeof cell !== "string") return null;
  const t = cell.trim().toLowerCase();
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[t ].*)?$/.exec(t);
  if (m) return Date.UTC(+m[1], +m[2] - 1, +m[3]);
  m = /^(\d{4})-(\d{1,2})$/.exec(t) ?? /^(\d{4})\/(\d{1,2})$/.exec(t);
  if (m && +m[2] >= 1 && +m[2] <= 12) return Date.UTC(+m[1], +m[2] - 1, 1);
  m = /^(\d{4})-?w(\d{1,2})$/.exec(t);
  if (m) {
    // Monday of ISO week w: the week with the year's first Thursday is week 1
    const jan4 = Date.UTC(+m[1], 0, 4);
    const dow = (new Date(jan4).getUTCDay() + 6) % 7;
    return jan4 - dow * DAY + (+m[2] - 1) * 7 * DAY;
  }
  m = /^q([1-4])[\s-]*'?(\d{2,4})$/.exec(t) ?? /^(\d{4})[\s-]*q([1-4])$/.exec(t);
  if (m) {
    const [q, y] = t.startsWith("q") ? [+m[1], year(+m[2])] : [+m[2], +m[1]];
    return Date.UTC(y, (q - 1) * 3, 1);
  }
  m = /^([a-z]{3})[a-z]*[\s\-'.]*(\d{2,4})$/.exec(t);
  if (m && MONTHS.includes(m[1])) return Date.UTC(year(+m[2]), MONTHS.indexOf(m[1]), 1);
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{2,4})$/.exec(t);
  if (m) return Date.UTC(year(+m[3]), +m[1] - 1, +m[2]); // US order, as Excel shows dates in en-US
  return null;
}

const SPACINGS: { days: [number, number]; perYear: number; word: string }[] = [
  { days: [0.5, 1.5], perYear: 365, word: "daily" },
  { days: [6, 8], perYear: 52, word: "weekly" },
  { days: [13, 15], perYear: 26, word: "fortnightly" },
  { days: [27, 32], perYear: 12, word: "monthly" },
  { days: [88, 93], perYear: 4, word: "quarterly" },
  { days: [360, 370], perYear: 1, word: "yearly" },
];

export function inferPeriodsPerYear(headers: readonly unknown[]): PeriodInference | null {
  if (headers.length < 2) return null;
  const dates: number[] = [];
  for (const h of headers) {
    const d = headerDate(h);
    if (d === null) return null;
    dates.push(d);
  }
  const gaps: number[] = [];
  for (let i = 1; i < dates.length; i++) gaps.push((dates[i] - dates[i - 1]) / DAY);
  if (gaps.some((g) => !(g > 0))) return null; // not increasing: not a time axis
  const sorted = [...gaps].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  const hit = SPACINGS.find((s) => median >= s.days[0] && median <= s.days[1]);
  if (!hit) return null;
  const iso = (ms: number) => serialToIso((ms - Date.UTC(1899, 11, 30)) / DAY);
  return { periodsPerYear: hit.perYear, basis: `${hit.word} dates (${iso(dates[0])} … ${iso(dates[dates.length - 1])})` };
}
