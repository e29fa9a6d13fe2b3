/**
 * Reading quantities written as text under a stated number locale (CSV extracts). Numbers pass
 * through; text is read with the locale's decimal mark and thousands separator, never guessed.
 *
 * Locales (decimal mark, thousands separator):
 *   "en" . ,    "de" , .    "fr" , space (also no-break space U+00A0 and U+202F)
 *   "ch" . '  (also U+2019)    "plain" . (no separator)
 * Rules:
 * - optional sign: a leading "+" or "-", a trailing "-" (SAP writes 1.234,50-), or parentheses
 *   (accounting: (12) is -12). An exponent (1e3, 2.5E-2) is accepted when there is no separator.
 * - thousands separators are only allowed between groups of exactly three digits in the integer
 *   part (1,234,567): "1,50" under "en" is rejected (a decimal comma under an English locale), and
 *   so is "1.234,5" under "en" (the marks are swapped: state locale "de").
 * - a blank cell is rejected ("missing quantity"); anything else that does not match is rejected.
 * Messages: "row 9: quantity "1,50" is not a number in locale en (decimal '.', thousands ','): ...".
 */
import { ArgumentError, CellError, cellError } from "./errors";

export interface NumberLocale {
  decimal: "." | ",";
  /** Thousands separators accepted (the first is the canonical one); empty = none. */
  group: readonly string[];
}

export const NUMBER_LOCALES = {
  en: { decimal: ".", group: [","] },
  de: { decimal: ",", group: ["."] },
  fr: { decimal: ",", group: [" ", "\u00a0", "\u202f"] },
  ch: { decimal: ".", group: ["'", "\u2019"] },
  plain: { decimal: ".", group: [] },
} as const satisfies Record<string, NumberLocale>;
export type NumberLocaleName = keyof typeof NUMBER_LOCALES;

export function numberLocale(name: NumberLocaleName | NumberLocale): NumberLocale {
  if (typeof name === "object") {
    if (name.decimal !== "." && name.decimal !== ",") throw new ArgumentError("numberLocale.decimal", `must be "." or ",", got ${String(name.decimal)}`);
    if (name.group.includes(name.decimal)) throw new ArgumentError("numberLocale.group", "the thousands separator cannot be the decimal mark");
    return name;
  }
  const l = (NUMBER_LOCALES as Record<string, NumberLocale>)[name];
  if (!l) throw new ArgumentError("numberLocale", `must be one of ${Object.keys(NUMBER_LOCALES).join(", ")}, got ${String(name)}`);
  return l;
}

function describeLocale(l: NumberLocale, name: string): string {
  const g = l.group.length === 0 ? "none" : `'${l.group[0] === " " ? "space" : l.group[0]}'`;
  return `locale ${name} (decimal '${l.decimal}', thousands ${g})`;
}

/**
 * One text as a number under a locale, or the reason it is none (a string). Exported for the
 * column reader and for tests.
 */
export function parseNumberText(raw: string, l: NumberLocale): number | string {
  let t = raw.trim();
  if (t === "") return "is missing (blank)";
  let negative = false;
  if (t.startsWith("(") && t.endsWith(")")) {
    negative = true;
    t = t.slice(1, -1).trim();
  } else if (t.endsWith("-") && t.length > 1) {
    negative = true;
    t = t.slice(0, -1).trim();
  }
  if (t.startsWith("-") || t.startsWith("+")) {
    if (negative) return "has two signs";
    negative = t[0] === "-";
    t = t.slice(1);
  }
  if (t === "") return "has no digits";
  let exp = "";
  const e = /\d[eE][+-]?\d+$/.exec(t);
  if (e) {
    exp = e[0].slice(1);
    t = t.slice(0, -exp.length);
  }
  // split off the fraction at the (single) decimal mark
  const dec = t.indexOf(l.decimal);
  if (dec >= 0 && t.indexOf(l.decimal, dec + 1) >= 0) return `has the decimal mark '${l.decimal}' twice`;
  const intText = dec >= 0 ? t.slice(0, dec) : t;
  const frac = dec >= 0 ? t.slice(dec + 1) : "";
  const other = l.decimal === "." ? "," : ".";
  if (!/^\d*$/.test(frac)) {
    if (frac.includes(other) || l.group.some((g) => frac.includes(g))) return "has a separator after the decimal mark: the marks look swapped (state the other locale)";
    return "is not a number";
  }
  let digits = intText;
  const sep = l.group.find((g) => intText.includes(g));
  if (sep !== undefined) {
    if (exp) return "mixes an exponent with thousands separators";
    const groups = intText.split(sep);
    if (!/^\d{1,3}$/.test(groups[0]) || groups.slice(1).some((g) => !/^\d{3}$/.test(g))) {
      const hint = groups.length === 2 && dec < 0 ? `; if '${sep}' is the decimal mark here, state a locale with decimal '${sep}'` : "";
      return `has a misplaced thousands separator '${sep === " " ? "space" : sep}' (groups of three digits only)${hint}`;
    }
    digits = groups.join("");
  }
  if (!/^\d*$/.test(digits)) {
    if (digits.includes(other)) return `has '${other}', which is neither the decimal mark nor the thousands separator here`;
    return "is not a number";
  }
  if (digits === "" && frac === "") return "has no digits";
  const v = Number(`${digits || "0"}.${frac || "0"}${exp}`);
  if (!Number.isFinite(v)) return "is too large";
  return negative ? -v : v;
}

export interface QuantityParseOptions {
  locale?: NumberLocaleName | NumberLocale;
  rowBase?: number;
  field?: string;
}

/** A column of quantities (numbers or text) as a Float64Array; NaN and an issue where unreadable. */
export function parseQuantities(cells: ArrayLike<unknown>, options: QuantityParseOptions = {}): { quantity: Float64Array; issues: Map<number, CellError> } {
  const o = quantityOptions(options);
  const n = cells.length;
  const quantity = new Float64Array(n);
  const issues = new Map<number, CellError>();
  for (let i = 0; i < n; i++) {
    const v = readQuantity(cells[i], o);
    if (typeof v === "number") quantity[i] = v;
    else {
      quantity[i] = Number.NaN;
      issues.set(i, cellError(`row ${i + o.rowBase}: ${o.field} ${v}`));
    }
  }
  return { quantity, issues };
}

/**
 * parseQuantities of a dictionary-encoded column (src/app/columnar.ts): row i holds
 * entries[codes[i]]. Each distinct entry is read once; quantities and messages are those of
 * parseQuantities on the decoded column.
 */
export function parseQuantitiesCoded(entries: ArrayLike<unknown>, codes: Int32Array, options: QuantityParseOptions = {}): { quantity: Float64Array; issues: Map<number, CellError> } {
  const o = quantityOptions(options);
  const m = entries.length;
  const entryValue = new Float64Array(m);
  const entryIssue: (string | null)[] = new Array<string | null>(m).fill(null);
  for (let k = 0; k < m; k++) {
    const v = readQuantity(entries[k], o);
    if (typeof v === "number") entryValue[k] = v;
    else {
      entryValue[k] = Number.NaN;
      entryIssue[k] = v;
    }
  }
  const n = codes.length;
  const quantity = new Float64Array(n);
  const issues = new Map<number, CellError>();
  for (let i = 0; i < n; i++) {
    const k = codes[i];
    quantity[i] = entryValue[k];
    const bad = entryIssue[k];
    if (bad !== null) issues.set(i, cellError(`row ${i + o.rowBase}: ${o.field} ${bad}`));
  }
  return { quantity, issues };
}

interface QuantityReading {
  l: NumberLocale;
  name: string;
  plainDot: boolean;
  rowBase: number;
  field: string;
}

function quantityOptions(options: QuantityParseOptions): QuantityReading {
  const name = typeof options.locale === "string" ? options.locale : options.locale ? "(custom)" : "en";
  const l = numberLocale(options.locale ?? "en");
  return { l, name, plainDot: l.decimal === ".", rowBase: options.rowBase ?? 2, field: options.field ?? "quantity" };
}

/** One cell: its number, or why it is none (the message after the field name). */
function readQuantity(c: unknown, o: QuantityReading): number | string {
  let v: number | string;
  if (typeof c === "number") v = Number.isFinite(c) ? c : `${c} is not a finite number`;
  else if (typeof c === "string") {
    // fast path: plain digits with an optional leading minus and a '.' fraction
    const fast = o.plainDot && /^-?\d+(\.\d+)?$/.test(c) ? Number(c) : Number.NaN;
    v = fast === fast ? fast : parseNumberText(c, o.l);
  } else if (c === null || c === undefined) v = "is missing (blank)";
  else v = `${typeof c === "boolean" ? (c ? "TRUE" : "FALSE") : String(c)} is not a number`;
  if (typeof v === "number") return v;
  const shown = typeof c === "string" ? `"${c.trim().slice(0, 24)}" ` : "";
  return `${shown}${typeof c === "string" && !v.startsWith("is missing") ? `is not a number in ${describeLocale(o.l, o.name)}: it ${v}` : v}`;
}
