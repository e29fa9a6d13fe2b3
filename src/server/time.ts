/* ISO 8601 UTC timestamps as the API takes them (TIMESTAMP_PATTERN), checked to name a real instant. */

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z$/;

/**
 * Epoch ms of `text`, or null when it is not of the form 2026-11-25T10:00:00.000Z or names no real
 * time: month 1-12, a day that exists in that month (2026-02-31 does not; leap years count),
 * hour 0-23, minute and second 0-59. Date.parse would roll 2026-02-31 over to 3 March.
 */
export function parseUtcTimestamp(text: string): number | null {
  const m = TIMESTAMP.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, "0")) : 0;
  const t = new Date(0);
  t.setUTCFullYear(year, month - 1, day);
  t.setUTCHours(hour, minute, second, ms);
  if (t.getUTCFullYear() !== year || t.getUTCMonth() !== month - 1 || t.getUTCDate() !== day) return null;
  return t.getTime();
}
