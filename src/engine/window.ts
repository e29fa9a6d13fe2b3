/**
 * Rolling classification window and "reclassification due".
 *
 * Window: classify on the last N periods ending at a chosen as-of period (default: the newest),
 * N defaulting to one year of periods (periodsPerYear: 52 for weekly history, 12 monthly, 13 for
 * 4-weekly, 4 quarterly). Periods are the history's columns, oldest first; indices are 0-based
 * here and 1-based in messages and in `describeWindow`. When the history holds fewer than N
 * periods up to the as-of period, the window is what there is and says so (`short`).
 *
 * Reclassification due when (a) the data has periods the last run did not see (more period
 * columns, or a different newest period label), or (b) the cadence has passed since the last run:
 * monthly = one calendar month after the last run's date, quarterly = three, with the day clamped
 * to the end of a shorter month (31 January + 1 month = 28/29 February), in UTC.
 */
import { ArgumentError } from "./errors";
import { PeriodMask } from "./promotions";
import { DemandHistory, historyPeriods } from "./xyz";

export interface WindowOptions {
  /** 0-based index of the as-of (newest included) period; default the last period. */
  asOf?: number;
  /** Periods in the window; default periodsPerYear. */
  length?: number;
  /** Periods per year of the history (default 52). */
  periodsPerYear?: number;
}

export interface PeriodWindow {
  /** 0-based first and last period of the window (inclusive). */
  start: number;
  end: number;
  /** Periods in the window (end - start + 1). */
  length: number;
  /** Periods asked for. */
  requested: number;
  /** Fewer periods than asked for were available. */
  short: boolean;
}

export function rollingWindow(totalPeriods: number, options: WindowOptions = {}): PeriodWindow {
  if (!(Number.isInteger(totalPeriods) && totalPeriods >= 1)) throw new ArgumentError("history", `needs at least one period, got ${totalPeriods}`);
  const perYear = options.periodsPerYear ?? 52;
  if (!(Number.isInteger(perYear) && perYear >= 1)) throw new ArgumentError("periodsPerYear", `must be a whole number >= 1, got ${perYear}`);
  const requested = options.length ?? perYear;
  if (!(Number.isInteger(requested) && requested >= 1)) throw new ArgumentError("window", `must be a whole number of periods >= 1, got ${requested}`);
  const end = options.asOf ?? totalPeriods - 1;
  if (!(Number.isInteger(end) && end >= 0 && end < totalPeriods)) {
    throw new ArgumentError("asOf", `period ${typeof end === "number" ? end + 1 : String(end)} is not one of the history's ${totalPeriods} periods`);
  }
  const start = Math.max(0, end - requested + 1);
  const length = end - start + 1;
  return { start, end, length, requested, short: length < requested };
}

/**
 * The 0-based index of the as-of period given as a header label (a number, a text such as
 * "2026-W14", or a Date), matched against the period headers as trimmed text (Dates by their
 * ISO form). Not found: ArgumentError naming "asOf".
 */
export function asOfIndex(periodLabels: readonly unknown[], asOf: unknown): number {
  const key = labelKey(asOf);
  for (let j = periodLabels.length - 1; j >= 0; j--) if (labelKey(periodLabels[j]) === key) return j;
  throw new ArgumentError("asOf", `${JSON.stringify(key)} is not one of the period headers (${labelKey(periodLabels[0])} … ${labelKey(periodLabels[periodLabels.length - 1])})`);
}

function labelKey(x: unknown): string {
  return x instanceof Date ? x.toISOString() : String(x ?? "").trim();
}

/** The window's part of a history (a view; see historyPeriods). */
export function windowHistory(history: DemandHistory, w: PeriodWindow): DemandHistory {
  return historyPeriods(history, w.start, w.length);
}

/** The window's part of a promotion mask. */
export function windowMask(mask: PeriodMask, w: PeriodWindow): PeriodMask {
  if (w.end >= mask.periods) throw new ArgumentError("window", `ends at period ${w.end + 1} but the mask has ${mask.periods} periods`);
  const flags = new Uint8Array(mask.rows * w.length);
  for (let r = 0; r < mask.rows; r++) flags.set(mask.flags.subarray(r * mask.periods + w.start, r * mask.periods + w.end + 1), r * w.length);
  return { rows: mask.rows, periods: w.length, flags };
}

/**
 * The window in words for the Segments sheet, e.g. "periods 53–104 (52 periods, as of 2026-W52)"
 * or "periods 1–40 (40 periods; 52 asked for, the history is shorter)". Labels, when given, name
 * the first and last period.
 */
export function describeWindow(w: PeriodWindow, periodLabels?: readonly unknown[]): string {
  const name = (j: number) => (periodLabels !== undefined && j < periodLabels.length ? labelKey(periodLabels[j]) : String(j + 1));
  const span = periodLabels !== undefined ? `${name(w.start)} to ${name(w.end)}` : `periods ${w.start + 1}–${w.end + 1}`;
  return w.short ? `${span} (${w.length} periods; ${w.requested} asked for, the history is shorter)` : `${span} (${w.length} periods)`;
}

// ---- reclassification due -----------------------------------------------------------------------

export const CADENCES = ["none", "monthly", "quarterly"] as const;
export type Cadence = (typeof CADENCES)[number];

export interface LastRun {
  /** When the last classification ran (ISO 8601 text or a Date). */
  runAt: string | Date;
  /** Period columns the last run saw. */
  periods: number;
  /** Header of the newest period the last run saw, when known. */
  lastPeriod?: string;
}

export interface DueCheck {
  due: boolean;
  /** Why, in words (empty when not due). */
  reasons: string[];
  /** Period columns added since the last run (0 when none or fewer). */
  newPeriods: number;
  /** When the cadence makes the next run due (ISO text); null for cadence "none". */
  nextDue: string | null;
}

/** date + months calendar months (UTC), the day clamped to the end of a shorter month. */
export function addMonths(date: Date, months: number): Date {
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth() + months;
  const target = new Date(Date.UTC(y, m, 1, date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds(), date.getUTCMilliseconds()));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date.getUTCDate(), lastDay));
  return target;
}

export function reclassificationDue(input: {
  lastRun: LastRun | null;
  now: Date;
  /** Period columns in the data now. */
  periods: number;
  /** Header of the newest period now, when known. */
  lastPeriod?: string;
  cadence: Cadence;
}): DueCheck {
  if (!CADENCES.includes(input.cadence)) throw new ArgumentError("cadence", `must be one of ${CADENCES.join(", ")}, got ${String(input.cadence)}`);
  const last = input.lastRun;
  if (last === null) return { due: true, reasons: ["no classification has been run yet"], newPeriods: 0, nextDue: null };
  const runAt = last.runAt instanceof Date ? last.runAt : new Date(last.runAt);
  if (Number.isNaN(runAt.getTime())) throw new ArgumentError("lastRun", `runAt ${JSON.stringify(last.runAt)} is not a date`);
  const reasons: string[] = [];
  const newPeriods = Math.max(0, input.periods - last.periods);
  if (newPeriods > 0) reasons.push(`${newPeriods} new period${newPeriods === 1 ? "" : "s"} since the last run (${last.periods} → ${input.periods})`);
  else if (last.lastPeriod !== undefined && input.lastPeriod !== undefined && last.lastPeriod.trim() !== input.lastPeriod.trim()) {
    reasons.push(`the data now ends at ${input.lastPeriod.trim()} (last run: ${last.lastPeriod.trim()})`);
  }
  let nextDue: string | null = null;
  if (input.cadence !== "none") {
    const next = addMonths(runAt, input.cadence === "monthly" ? 1 : 3);
    nextDue = next.toISOString();
    if (input.now.getTime() >= next.getTime()) reasons.push(`the ${input.cadence} cadence has passed (last run ${runAt.toISOString().slice(0, 10)}, due ${nextDue.slice(0, 10)})`);
  }
  return { due: reasons.length > 0, reasons, newPeriods, nextDue };
}
