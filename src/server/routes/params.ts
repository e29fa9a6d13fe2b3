/* Query-string numbers arrive as digit strings (the schemas check the digits; no type coercion). */
import { HttpProblem } from "../problem";

export function parseCount(value: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new HttpProblem("validation", `querystring.${name} must be an integer from ${min} to ${max}`, { field: `querystring.${name}` });
  }
  return n;
}
