/**
 * Importing a transaction extract in the pane (no Office, no DOM): the fields of a long
 * transaction table, the proposed mapping from its headers, the import options (calendar, date
 * format, number locale, returns rule, unticked order types, freshness limit, planning cycle),
 * and the conversions around the "bucket" job (src/app/jobs/bucket.ts):
 * - transactionColumns: the mapped columns of the file, for the job;
 * - importedTable: the job's histories as the ParsedTable the classification reads, under the
 *   Classify options of the moment (value = mean demand over the window × periods a year × unit
 *   cost, as parse.ts does for a history-and-cost table; with no unit cost mapped, unit cost 1:
 *   ABC then ranks annual units, and the Segments notes say so);
 * - importCliCommand: the exact `npx seg classify ...` command for a file over the pane's memory
 *   budget (src/io/budget.ts), with the column mapping as --col options.
 * Row numbers: the header is line 1 of the file, the first data row line 2 (as src/io/csv.ts).
 */
import type { NegativeRule } from "../engine/bucket";
import type { DateFormat } from "../engine/dates";
import type { Fallback } from "../engine/freshness";
import type { NumberLocaleName } from "../engine/numbers";
import { periodsPerYear, type Calendar } from "../engine/periods";
import { cliCommand } from "../io/budget";
import { windowPeriods, type ClassifyOptions } from "./classifyTypes";
import type { ParsedTable } from "./parse";

export const IMPORT_FIELDS = ["sku", "date", "quantity", "location", "customer", "orderType", "transactionId", "unitCost", "family", "category"] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];
export const REQUIRED_IMPORT_FIELDS: readonly ImportField[] = ["sku", "date", "quantity"];

export const IMPORT_FIELD_LABELS: Record<ImportField, string> = {
  sku: "SKU",
  date: "Date",
  quantity: "Quantity",
  location: "Location (optional)",
  customer: "Customer (optional)",
  orderType: "Order type (optional)",
  transactionId: "Transaction id (optional)",
  unitCost: "Unit cost (optional)",
  family: "Family (optional)",
  category: "Category (optional)",
};

/** Our field → the file's column (0-based), null when not mapped. */
export type ImportMapping = Record<ImportField, number | null>;

/** Header patterns, tried per field in IMPORT_FIELDS order; a column serves one field. */
const GUESS: Record<ImportField, RegExp> = {
  sku: /^(sku|item|item ?(no|number|code|id)|material( ?(no|number))?|matnr|article|product( ?(code|id|no))?|part ?(no|number)?)$|\bsku\b/i,
  date: /date|posting|\bday\b|datum|budat/i,
  quantity: /qty|quantity|units|menge|volume|amount shipped/i,
  location: /location|plant|site|warehouse|\bdc\b|werks|store|branch/i,
  customer: /customer|client|kunnr|sold.?to|account/i,
  orderType: /order ?type|movement ?type|doc(ument)? ?type|auart|bwart|transaction ?type|^type$/i,
  transactionId: /transaction|document|doc ?(no|number)|line ?id|order ?line|^id$|belnr|mblnr/i,
  unitCost: /unit ?cost|cost|price/i,
  family: /family|product ?group|material ?group|matkl/i,
  category: /category|categ/i,
};

export function emptyImportMapping(): ImportMapping {
  const m = {} as ImportMapping;
  for (const f of IMPORT_FIELDS) m[f] = null;
  return m;
}

/** A mapping proposed from the header texts (each column used once). */
export function proposeImportMapping(headers: readonly string[]): ImportMapping {
  const m = emptyImportMapping();
  const used = new Set<number>();
  for (const f of IMPORT_FIELDS) {
    const i = headers.findIndex((h, c) => !used.has(c) && GUESS[f].test(String(h ?? "").trim()));
    if (i >= 0) {
      m[f] = i;
      used.add(i);
    }
  }
  return m;
}

/** What stops the mapping from being used, each naming the field. */
export function importMappingProblems(m: ImportMapping, headers: readonly string[]): string[] {
  const out: string[] = [];
  for (const f of REQUIRED_IMPORT_FIELDS) if (m[f] === null) out.push(`Map the ${IMPORT_FIELD_LABELS[f]} column.`);
  const seen = new Map<number, ImportField>();
  for (const f of IMPORT_FIELDS) {
    const c = m[f];
    if (c === null) continue;
    if (c < 0 || c >= headers.length) out.push(`${IMPORT_FIELD_LABELS[f]}: column ${c + 1} is not in the file (${headers.length} columns).`);
    const other = seen.get(c);
    if (other) out.push(`${IMPORT_FIELD_LABELS[f]} and ${IMPORT_FIELD_LABELS[other]} are both mapped to "${headers[c]}": a column serves one field.`);
    seen.set(c, f);
  }
  return out;
}

/** The planning cycle the freshness and latency checks use. */
export interface PlanningCycle {
  /** The cycle's run day, yyyy-mm-dd; null = today. */
  date: string | null;
  /** Days between the end of the data's last period and the run that are acceptable (1: a Monday run needs data through Sunday). */
  maxLagDays: number;
}

export interface ImportOptions {
  calendar: Calendar;
  dateFormat: DateFormat;
  numberLocale: NumberLocaleName;
  negatives: NegativeRule;
  /** Order types the planner unticked (compared trimmed, case-insensitively). */
  excludeOrderTypes: string[];
  /** One history per SKU × location when a location column is mapped. */
  byLocation: boolean;
  /** The source system's name (hierarchy priority, Decided by). */
  sourceName: string;
  /** A SKU whose last transaction is older than this many days before the cycle date is stale; null: no limit. */
  maxAgeDays: number | null;
  /** Fallbacks for stale or missing history, tried in order (exclude ends every chain). */
  fallbacks: Fallback[];
  cycle: PlanningCycle;
  /** Also write the bucketed history as the Demand history sheet. */
  writeHistory: boolean;
}

export function defaultImportOptions(): ImportOptions {
  return {
    calendar: { kind: "isoWeek" },
    dateFormat: "auto",
    numberLocale: "en",
    negatives: "exclude",
    excludeOrderTypes: [],
    byLocation: false,
    sourceName: "Transaction extract",
    maxAgeDays: null,
    fallbacks: ["previousClass", "familyPattern", "exclude"],
    cycle: { date: null, maxLagDays: 7 },
    writeHistory: false,
  };
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Problems of the options, in the pane's words (each names the field). */
export function importOptionProblems(o: ImportOptions): string[] {
  const out: string[] = [];
  const c = o.calendar;
  if (c.kind === "fiscalMonth" && !(Number.isInteger(c.startMonth) && c.startMonth >= 1 && c.startMonth <= 12)) out.push(`Fiscal year start month must be 1 to 12; got ${c.startMonth}.`);
  if (o.maxAgeDays !== null && !(Number.isInteger(o.maxAgeDays) && o.maxAgeDays >= 0)) out.push(`Freshness limit must be a whole number of days (0 or more), or blank for none; got ${o.maxAgeDays}.`);
  if (!(Number.isInteger(o.cycle.maxLagDays) && o.cycle.maxLagDays >= 0)) out.push(`Allowed data lag must be a whole number of days (0 or more); got ${o.cycle.maxLagDays}.`);
  if (o.cycle.date !== null && !ISO_DAY.test(o.cycle.date)) out.push(`Cycle date must be yyyy-mm-dd (or blank for today); got "${o.cycle.date}".`);
  if (o.sourceName.trim() === "") out.push("Name the source system (e.g. \"SAP extract\"): the Segments sheet says which source decided a family.");
  return out;
}

/** "ISO weeks (Monday to Sunday)", "fiscal months, year starting in April (FY named by its end year)" … */
export function calendarWords(c: Calendar): string {
  const M = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
  const D = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
  switch (c.kind) {
    case "isoWeek":
      return "ISO weeks (Monday to Sunday, week 1 holds the year's first Thursday)";
    case "month":
      return "calendar months";
    case "fiscalMonth":
      return `fiscal months, year starting in ${M[c.startMonth - 1] ?? c.startMonth} (FY named by the year it ${c.yearLabel === "start" ? "starts" : "ends"} in)`;
    case "fiscalWeeks":
      return `${c.pattern} fiscal months, year ending on the ${c.rule} ${D[c.weekEndDay - 1]} of ${M[c.yearEndMonth - 1]}`;
  }
}

/** The calendar as the CLI's --calendar text (src/cli/main.ts parseCalendar). */
export function calendarCliText(c: Calendar): string {
  switch (c.kind) {
    case "isoWeek":
      return "isoWeek";
    case "month":
      return "month";
    case "fiscalMonth":
      return `fiscalMonth:${c.startMonth}${c.yearLabel === "start" ? ":start" : ""}`;
    case "fiscalWeeks":
      return `${c.pattern}:${c.yearEndMonth}:${c.weekEndDay}:${c.rule}${c.yearLabel === "start" ? ":start" : ""}`;
  }
}

/** The CLI's field names (src/cli/main.ts FIELDS) for our import fields. */
const CLI_FIELD: Partial<Record<ImportField, string>> = {
  sku: "sku",
  date: "date",
  quantity: "quantity",
  location: "location",
  customer: "customer",
  orderType: "order_type",
  transactionId: "transaction_id",
  unitCost: "unit_cost",
};

function shellWord(s: string): string {
  return /^[A-Za-z0-9._,/=:-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}

/** The exact `npx seg classify` command for this file, options and mapping (for a file over the pane's budget). */
export function importCliCommand(fileName: string, o: ImportOptions, mapping?: ImportMapping, headers?: readonly string[]): string {
  const csvName = fileName.replace(/\.xlsx$/i, ".csv");
  let cmd = cliCommand(csvName, {
    calendar: calendarCliText(o.calendar),
    dateFormat: o.dateFormat,
    locale: o.numberLocale,
    negatives: o.negatives,
    excludeOrderTypes: o.excludeOrderTypes,
    by: o.byLocation && mapping?.location != null && headers ? headers[mapping.location] : undefined,
  });
  if (mapping && headers) {
    for (const f of IMPORT_FIELDS) {
      const c = mapping[f];
      const cli = CLI_FIELD[f];
      if (c === null || !cli || headers[c] === undefined) continue;
      if (headers[c].trim().toLowerCase() === cli) continue;
      cmd += ` --col ${shellWord(`${cli}=${headers[c]}`)}`;
    }
  }
  return cmd;
}

/** Text columns of a file as read (CSV: strings; XLSX: strings, numbers for numbers and date serials). */
export type FileCell = string | number | boolean;

/** The mapped columns of the file, for the bucket job. */
export type TransactionColumnsIn = Partial<Record<ImportField, FileCell[]>>;

export function transactionColumns(columns: readonly FileCell[][], m: ImportMapping): TransactionColumnsIn {
  const out: TransactionColumnsIn = {};
  for (const f of IMPORT_FIELDS) {
    const c = m[f];
    if (c !== null && columns[c]) out[f] = columns[c];
  }
  return out;
}

/** Distinct order types of a column with their row counts, most rows first (at most `max`). */
export function orderTypeCounts(column: readonly FileCell[] | undefined, max = 40): { type: string; rows: number }[] {
  if (!column) return [];
  const tally = new Map<string, { type: string; rows: number }>();
  for (const c of column) {
    const t = String(c ?? "").trim();
    const k = t.toLowerCase();
    const e = tally.get(k);
    if (e) e.rows++;
    else tally.set(k, { type: t, rows: 1 });
  }
  return [...tally.values()].sort((a, b) => b.rows - a.rows || a.type.localeCompare(b.type)).slice(0, max);
}

/** What the bucket job hands back (structured-cloneable). */
export interface BucketedHistory {
  /** Histories: SKUs, or SKU × location pairs when bucketed by location. */
  n: number;
  periods: number;
  sku: string[];
  location: string[];
  history: Float64Array;
  labels: string[];
  /** Epoch days of the grid's first period start and last period end. */
  firstPeriodStart: number;
  lastPeriodEnd: number;
  firstPartial: boolean;
  lastPartial: boolean;
  /** Last and first epoch day with a positive quantity used, per history (-2^31 when none). */
  lastDemandDay: Int32Array;
  firstDemandDay: Int32Array;
  /** First readable unit cost of the history's rows; NaN when none (or not mapped). */
  unitCost: Float64Array;
  /** First non-blank family / category text of the SKU's rows in the extract ("" when none). */
  family: string[];
  category: string[];
  /** The date form the column was read in ("yyyy-mm-dd" …) or null. */
  dateForm: string | null;
  counts: import("../engine/bucket").BucketCounts;
  /** describeBucketCounts: one line for the data-quality report. */
  summary: string;
  /** The first rejected rows' messages (each "row N: <field> …"), at most MAX_REJECTED_KEPT. */
  rejected: { row: number; reason: string; message: string }[];
  periodsPerYear: number;
}

export const MAX_REJECTED_KEPT = 500;

/** The SKU key shown on the sheets: "P-1" or "P-1 @ DC1" for a SKU × location history. */
export function historyKey(sku: string, location: string): string {
  return location ? `${sku} @ ${location}` : sku;
}

/**
 * The ParsedTable the classification reads, from bucketed histories, under the options of the
 * moment (window and periods a year decide the value). `sheetName` names the source (the file).
 */
export function importedTable(h: BucketedHistory, options: ClassifyOptions, sourceName: string): ParsedTable {
  const n = h.n;
  const p = h.periods;
  const w = windowPeriods(options, p);
  const value = new Float64Array(n);
  const unitCost = new Float64Array(n);
  const nan = () => new Float64Array(n).fill(Number.NaN);
  const sku = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    sku[i] = historyKey(h.sku[i], h.location[i]);
    let s = 0;
    for (let j = p - w; j < p; j++) s += h.history[i * p + j];
    const cost = Number.isFinite(h.unitCost[i]) ? h.unitCost[i] : 1;
    unitCost[i] = cost;
    value[i] = (s / w) * options.periodsPerYear * cost;
  }
  const sheetRow = new Int32Array(n);
  for (let i = 0; i < n; i++) sheetRow[i] = i + 1;
  return {
    sheetName: sourceName,
    firstColumn: 0,
    valueSource: "historyCost",
    n,
    periods: p,
    sku,
    skuCell: sku.slice(),
    description: new Array<string>(n).fill(""),
    sheetRow,
    value,
    unitCost,
    history: h.history,
    lastFilled: new Int32Array(n).fill(p - 1),
    leadTime: nan(),
    leadTimeSd: nan(),
    orderQty: nan(),
    currentClass: new Array<string | null>(n).fill(null),
    pinned: new Uint8Array(n),
    orderMultiple: nan(),
    moq: nan(),
    location: h.location.slice(),
    locationCapacity: nan(),
    unitVolume: nan(),
    lifecycle: new Array<string>(n).fill(""),
    phaseOutStart: nan(),
    lastBuy: nan(),
    floor: nan(),
    supplier: new Array<string>(n).fill(""),
    analog: new Array<string>(n).fill(""),
    family: h.family.slice(),
    noHistory: new Uint8Array(n),
    policyIssues: [],
    rejected: [],
    rowsRead: h.counts.rows,
  };
}

/** Periods a year of the import's calendar (52 weekly, 12 monthly). */
export function importPeriodsPerYear(o: ImportOptions): number {
  return periodsPerYear(o.calendar);
}

/** Whether any history has a unit cost (otherwise ABC ranks units). */
export function hasUnitCost(h: BucketedHistory): boolean {
  for (let i = 0; i < h.n; i++) if (Number.isFinite(h.unitCost[i])) return true;
  return false;
}
