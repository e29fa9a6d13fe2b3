/**
 * The bucket job: a transaction extract's mapped columns (text as read from the file, or XLSX
 * numbers and date serials) to one demand history per SKU (or SKU × location) over the stated
 * calendar, in the worker. Dates are read by src/engine/dates.ts under the stated format, the
 * quantities and unit costs by src/engine/numbers.ts under the stated locale, and the rows are
 * bucketed by src/engine/bucket.ts (duplicates, unticked order types, the returns rule). A column
 * whose dates mix d/m/y and m/d/y (or cannot tell them apart) stops the job with a message that
 * names two rows; every other bad cell rejects its row only, named by row and field (the file's
 * header text).
 * Unit cost per history: the first readable unit cost of its used rows; family and category: the
 * first non-blank text of the SKU's rows.
 */
import { bucketTransactions, describeBucketCounts } from "../../engine/bucket";
import { FORM_NAMES, parseDates, parseDatesCoded, type DateFormat } from "../../engine/dates";
import type { CellError } from "../../engine/errors";
import { parseQuantities, parseQuantitiesCoded, type NumberLocaleName } from "../../engine/numbers";
import { periodsPerYear, type Calendar } from "../../engine/periods";
import type { NegativeRule } from "../../engine/bucket";
import { historyKey, MAX_REJECTED_KEPT, type BucketedHistory, type ImportField, type TransactionColumnsIn } from "../importSource";
import { jobCancelled, QUIET_JOB, type JobContext } from "./types";
import { entries, idCodes, textColumn, type EncodedColumns } from "../columnar";

export interface BucketJob {
  rows: number;
  /** The mapped columns as read (FileCell arrays)... */
  columns?: TransactionColumnsIn;
  /**
   * ...or the same columns encoded as typed arrays (src/app/columnar.ts), as the pane hands them
   * to the worker (transferred, not copied). Same result, read per distinct entry.
   */
  encoded?: EncodedColumns;
  /** The file's header text per mapped field (used to name the field in messages). */
  headers: Partial<Record<ImportField, string>>;
  calendar: Calendar;
  dateFormat: DateFormat;
  numberLocale: NumberLocaleName;
  negatives: NegativeRule;
  excludeOrderTypes: string[];
  byLocation: boolean;
}

function text(col: readonly unknown[] | undefined, rows: number): string[] | undefined {
  if (!col) return undefined;
  const out = new Array<string>(rows);
  for (let i = 0; i < rows; i++) {
    const c = col[i];
    out[i] = c === null || c === undefined ? "" : typeof c === "string" ? c : String(c);
  }
  return out;
}

/** Reading the job's columns, whichever way they came. */
function reader(job: BucketJob) {
  const n = job.rows;
  const plain = job.columns ?? {};
  const enc = job.encoded;
  return {
    has: (f: ImportField) => (enc ? enc[f] !== undefined : plain[f] !== undefined),
    dates(f: ImportField, options: Parameters<typeof parseDates>[1]) {
      const c = enc?.[f];
      if (!c) return parseDates(plain[f]!, options);
      return c.kind === "number" ? parseDates(c.values, options) : parseDatesCoded(entries(c), c.codes, options);
    },
    quantities(f: ImportField, options: Parameters<typeof parseQuantities>[1]) {
      const c = enc?.[f];
      if (!c) return parseQuantities(plain[f]!, options);
      return c.kind === "number" ? parseQuantities(c.values, options) : parseQuantitiesCoded(entries(c), c.codes, options);
    },
    text(f: ImportField): string[] | undefined {
      if (!enc) return text(plain[f], n);
      const c = enc[f];
      return c ? textColumn(c) : undefined;
    },
    ids() {
      const c = enc?.transactionId;
      return c ? { transactionIdCodes: idCodes(c) } : { transactionId: text(plain.transactionId, n) };
    },
  };
}

export function computeBucket(job: BucketJob, ctx: JobContext = QUIET_JOB): BucketedHistory {
  const n = job.rows;
  const col = reader(job);
  if (!col.has("sku") || !col.has("date") || !col.has("quantity")) throw new Error("Map the SKU, Date and Quantity columns first.");
  const name = (f: ImportField, fallback: string) => job.headers[f] ?? fallback;
  ctx.progress(0, 4, "Reading the dates");
  const dates = col.dates("date", { format: job.dateFormat, field: name("date", "date") });
  if (ctx.aborted) throw jobCancelled();
  ctx.progress(1, 4, "Reading the quantities");
  const qty = col.quantities("quantity", { locale: job.numberLocale, field: name("quantity", "quantity") });
  const issues = new Map<number, CellError>(dates.issues);
  for (const [i, e] of qty.issues) if (!issues.has(i)) issues.set(i, e);
  if (ctx.aborted) throw jobCancelled();
  const sku = col.text("sku")!;
  const location = col.text("location");
  const result = bucketTransactions(
    {
      rows: n,
      sku,
      day: dates.day,
      quantity: qty.quantity,
      location,
      customer: col.text("customer"),
      orderType: col.text("orderType"),
      ...col.ids(),
      issues,
    },
    {
      calendar: job.calendar,
      negatives: job.negatives,
      excludeOrderTypes: job.excludeOrderTypes,
      byLocation: job.byLocation && location !== undefined,
      onProgress: (done, total) => ctx.progress(2 + (2 * done) / total, 4, "Bucketing into periods"),
      signal: {
        get aborted() {
          return ctx.aborted;
        },
      },
    },
  );
  const m = result.n;
  const keyOf = new Map<string, number>();
  for (let k = 0; k < m; k++) keyOf.set(historyKey(result.sku[k], result.location[k]), k);
  const bySku = new Map<string, number[]>();
  for (let k = 0; k < m; k++) {
    const list = bySku.get(result.sku[k]);
    if (list) list.push(k);
    else bySku.set(result.sku[k], [k]);
  }
  // unit cost (first readable of the history's rows), family and category (first non-blank of the SKU's rows)
  const unitCost = new Float64Array(m).fill(Number.NaN);
  const family = new Array<string>(m).fill("");
  const category = new Array<string>(m).fill("");
  const costs = col.has("unitCost") ? col.quantities("unitCost", { locale: job.numberLocale, field: name("unitCost", "unit cost") }).quantity : null;
  const fam = col.text("family");
  const cat = col.text("category");
  if (costs || fam || cat) {
    const byLoc = job.byLocation && location !== undefined;
    for (let i = 0; i < n; i++) {
      const s = sku[i].trim();
      if (s === "") continue;
      if (costs && Number.isFinite(costs[i]) && costs[i] >= 0) {
        const k = keyOf.get(historyKey(s, byLoc ? location![i].trim() : ""));
        if (k !== undefined && Number.isNaN(unitCost[k])) unitCost[k] = costs[i];
      }
      if (fam || cat) {
        const ks = bySku.get(s);
        if (!ks) continue;
        const f = fam?.[i].trim() ?? "";
        const c = cat?.[i].trim() ?? "";
        for (const k of ks) {
          if (f && !family[k]) family[k] = f;
          if (c && !category[k]) category[k] = c;
        }
      }
    }
  }
  const rejected = result.rejected.slice(0, MAX_REJECTED_KEPT).map((r) => ({ row: r.index + 2, reason: r.reason, message: r.message }));
  const grid = result.grid;
  ctx.progress(4, 4, "Bucketing into periods");
  return {
    n: m,
    periods: result.periods,
    sku: result.sku,
    location: result.location,
    history: result.history,
    labels: grid ? grid.labels : [],
    firstPeriodStart: grid ? grid.start[0] : 0,
    lastPeriodEnd: grid ? grid.end[grid.count - 1] : 0,
    firstPartial: grid?.firstPartial ?? false,
    lastPartial: grid?.lastPartial ?? false,
    lastDemandDay: result.lastDemandDay,
    firstDemandDay: result.firstDemandDay,
    unitCost,
    family,
    category,
    dateForm: dates.form ? FORM_NAMES[dates.form] : null,
    counts: result.counts,
    summary: describeBucketCounts(result.counts, grid),
    rejected,
    periodsPerYear: periodsPerYear(job.calendar),
  };
}
