/* Query-string numbers arrive as digit strings (the schemas check the digits; no type coercion). */
import { HttpProblem } from "../problem";
import { parseUtcTimestamp } from "../time";

export function parseCount(value: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new HttpProblem("validation", `querystring.${name} must be an integer from ${min} to ${max}`, { field: `querystring.${name}` });
  }
  return n;
}

/** An ISO 8601 UTC time from the query string as epoch ms. */
export function parseTime(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseUtcTimestamp(value);
  if (ms === null) throw new HttpProblem("validation", `querystring.${name} "${value}" is not a real date and time`, { field: `querystring.${name}` });
  return ms;
}
