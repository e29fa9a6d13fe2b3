/**
 * Numbers for people, in the planner's locale (the browser's, which Office sets to the display
 * language): thousands separators, percentages, durations and sizes. Presentation only.
 */
function locale(): string | undefined {
  try {
    const g = globalThis as { Office?: { context?: { displayLanguage?: string } }; navigator?: { language?: string } };
    return g.Office?.context?.displayLanguage || g.navigator?.language || undefined;
  } catch {
    return undefined;
  }
}

const cache = new Map<string, Intl.NumberFormat>();
function nf(key: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  let f = cache.get(key);
  if (!f) {
    try {
      f = new Intl.NumberFormat(locale(), options);
    } catch {
      f = new Intl.NumberFormat("en-US", options);
    }
    cache.set(key, f);
  }
  return f;
}

/** 2674 → "2,674". */
export function count(n: number): string {
  return Number.isFinite(n) ? nf("count", { maximumFractionDigits: 0 }).format(n) : "–";
}

/** 0.8123 → "81.2%" (digits after the point). */
export function pct(x: number, digits = 1): string {
  return Number.isFinite(x) ? nf(`pct${digits}`, { style: "percent", minimumFractionDigits: digits, maximumFractionDigits: digits }).format(x) : "–";
}

/** A measured number with `digits` decimals and separators. */
export function fixed(x: number | null | undefined, digits = 2): string {
  return x === null || x === undefined || !Number.isFinite(x) ? "–" : nf(`fixed${digits}`, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(x);
}

/** A money or value amount without decimals: 1234567.8 → "1,234,568". */
export function amount(x: number): string {
  return Number.isFinite(x) ? nf("amount", { maximumFractionDigits: 0 }).format(x) : "–";
}

export function seconds(ms: number): string {
  return `${fixed(ms / 1000, ms < 10_000 ? 2 : 1)} s`;
}

export function bytes(n: number): string {
  if (n >= 1024 * 1024) return `${fixed(n / 1024 / 1024, 2)} MB`;
  if (n >= 1024) return `${fixed(n / 1024, 1)} KB`;
  return `${count(n)} B`;
}

/** "1 SKU", "2,674 SKUs". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}
