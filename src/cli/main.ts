/**
 * seg: batch segmentation over the same engine as the pane.
 *
 *   seg classify --in sales.parquet|sales.csv --out segments.csv [--by region] [--config model.json]
 *               [--engine duckdb|postgres] [--pg-url URL] [--calendar isoWeek|month|fiscalMonth:4|4-4-5:9:6:last]
 *               [--date-format auto|iso|dmy|mdy|named] [--locale en|de|fr|ch|plain]
 *               [--negatives exclude|net|reject] [--exclude-order-types RE,ZFOC] [--col field=Header ...]
 *               [--threads N] [--memory-limit 2GB] [--temp-directory DIR]
 *               [--publish --server URL --workbook ID] [--quiet]
 *
 * Input layouts (column names compared case-insensitively; --col renames):
 * - period table: sku, period (integer period number), quantity, optional location, value or
 *   unit_cost, lead_time, lead_time_sd, order_qty and the --by column; one row per key and period
 *   (missing periods are 0). Aggregated in SQL (DuckDB on the file, or PostgreSQL on a table:
 *   --engine postgres --in <table>).
 * - transactions: sku, date, quantity, optional location, customer, order_type, transaction_id,
 *   unit_cost or value: read as text, parsed and bucketed by the TypeScript engine
 *   (src/engine/dates.ts, numbers.ts, bucket.ts) with the stated calendar, locale and rules, each
 *   bad row reported by line number.
 * Publish (--publish): the token is read from SEG_TOKEN (never from the command line).
 */
import { readFileSync } from "node:fs";
import { makeModelVersion } from "../app/modelVersion";
import { aggregateHistory } from "../engine/aggregates";
import { bucketTransactions, describeBucketCounts } from "../engine/bucket";
import { parseDates, type DateFormat } from "../engine/dates";
import { ArgumentError, type CellError } from "../engine/errors";
import { parseQuantities, type NumberLocaleName } from "../engine/numbers";
import { periodsPerYear, type Calendar, type FiscalPattern } from "../engine/periods";
import { classifyAggregates, emptyTimings, historyChunk, OUTPUT_COLUMNS, type AggregateSource, type RunTimings } from "./classify";
import { CsvWriter } from "./csvOut";
import { describe as describeRelation, duckAggregates, fileRelation, openDuckDb, type DuckConnection } from "./duckdb";
import { loadModel, type ModelFile } from "./model";
import { MAX_PUBLISH_ITEMS, publishSnapshot, snapshotItems } from "./publish";
import { periodViewSelect, quoteIdent } from "./sql";

export interface CliArgs {
  command: string;
  flags: Map<string, string[]>;
}

export function parseArgs(argv: readonly string[]): CliArgs {
  const [command = "help", ...rest] = argv;
  const flags = new Map<string, string[]>();
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (!a.startsWith("--")) throw new ArgumentError(a, "unexpected argument (flags start with --)");
    const eq = a.indexOf("=");
    const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
    let value: string;
    if (eq > 0) value = a.slice(eq + 1);
    else if (["publish", "quiet", "help"].includes(name)) value = "true";
    else {
      value = rest[++i];
      if (value === undefined) throw new ArgumentError(`--${name}`, "needs a value");
    }
    const list = flags.get(name) ?? [];
    list.push(value);
    flags.set(name, list);
  }
  return { command, flags };
}

export function parseCalendar(text: string): Calendar {
  if (text === "isoWeek" || text === "week") return { kind: "isoWeek" };
  if (text === "month") return { kind: "month" };
  const fm = /^fiscalMonth:(\d{1,2})(?::(end|start))?$/.exec(text);
  if (fm) return { kind: "fiscalMonth", startMonth: Number(fm[1]), yearLabel: (fm[2] as "end" | "start") ?? "end" };
  const fw = /^(4-4-5|4-5-4|5-4-4):(\d{1,2}):(\d):(last|nearest)(?::(end|start))?$/.exec(text);
  if (fw) return { kind: "fiscalWeeks", pattern: fw[1] as FiscalPattern, yearEndMonth: Number(fw[2]), weekEndDay: Number(fw[3]), rule: fw[4] as "last" | "nearest", yearLabel: (fw[5] as "end" | "start") ?? "end" };
  if (text === "nrf") return { kind: "fiscalWeeks", pattern: "4-5-4", yearEndMonth: 1, weekEndDay: 6, rule: "nearest", yearLabel: "start" };
  throw new ArgumentError("--calendar", `"${text}" is not a calendar: isoWeek, month, fiscalMonth:<start month>, <4-4-5|4-5-4|5-4-4>:<year-end month>:<ISO weekday>:<last|nearest>, or nrf`);
}

const FIELDS = ["sku", "location", "period", "date", "quantity", "value", "unit_cost", "lead_time", "lead_time_sd", "order_qty", "order_type", "transaction_id", "customer"] as const;
type Field = (typeof FIELDS)[number];

/** Our field → the input's column name (case-insensitive match, --col field=Header overrides). */
export function matchColumns(names: readonly string[], renames: readonly string[], by?: string): { cols: Partial<Record<Field, string>>; part?: string } {
  const lower = new Map(names.map((n) => [n.toLowerCase(), n]));
  const cols: Partial<Record<Field, string>> = {};
  for (const f of FIELDS) {
    const hit = lower.get(f) ?? lower.get(f.replace(/_/g, ""));
    if (hit) cols[f] = hit;
  }
  for (const r of renames) {
    const eq = r.indexOf("=");
    const f = r.slice(0, eq) as Field;
    if (eq < 1 || !FIELDS.includes(f)) throw new ArgumentError("--col", `"${r}" must be field=Header with field one of ${FIELDS.join(", ")}`);
    const h = lower.get(r.slice(eq + 1).toLowerCase());
    if (!h) throw new ArgumentError("--col", `column "${r.slice(eq + 1)}" is not in the input (columns: ${names.join(", ")})`);
    cols[f] = h;
  }
  let part: string | undefined;
  if (by !== undefined) {
    part = lower.get(by.toLowerCase());
    if (!part) throw new ArgumentError("--by", `column "${by}" is not in the input (columns: ${names.join(", ")})`);
  }
  return { cols, part };
}

function one(args: CliArgs, name: string): string | undefined {
  const v = args.flags.get(name);
  return v ? v[v.length - 1] : undefined;
}

export interface RunReport {
  rows: number;
  modelVersion: string;
  notes: string[];
  partitions: { part: string; skus: number; segments: Record<string, number> }[];
  timings: RunTimings;
  /** Of timings.writeMs, the time spent waiting for the output file to drain. */
  drainMs: number;
}

/** Progress on stderr, at most one line every 2 s. */
function progress(quiet: boolean) {
  const t0 = Date.now();
  let last = 0;
  return (what: string, force = false) => {
    if (quiet) return;
    const now = Date.now();
    if (!force && now - last < 2000) return;
    last = now;
    process.stderr.write(`[seg] ${what} (${((now - t0) / 1000).toFixed(1)} s)\n`);
  };
}

/** Reads a transactions relation as text columns through DuckDB (streamed), in input order. */
async function readTextColumns(connection: DuckConnection, relation: string, cols: string[], say: (s: string) => void): Promise<string[][]> {
  const select = cols.map((c) => `CAST(${quoteIdent(c)} AS VARCHAR)`).join(", ");
  const result = await connection.stream(`SELECT ${select} FROM ${relation}`);
  const out = cols.map(() => [] as string[]);
  for (;;) {
    const ch = await result.fetchChunk();
    if (!ch || ch.rowCount === 0) break;
    for (let c = 0; c < cols.length; c++) {
      const v = ch.getColumnValues(c);
      const o = out[c];
      for (let i = 0; i < ch.rowCount; i++) o.push(v[i] === null || v[i] === undefined ? "" : String(v[i]));
    }
    say(`read ${out[0].length.toLocaleString("en")} transaction rows`);
  }
  return out;
}

export async function classifyCommand(args: CliArgs, now = new Date()): Promise<RunReport> {
  const input = one(args, "in");
  const output = one(args, "out");
  if (!input) throw new ArgumentError("--in", "give the input file (sales.csv or sales.parquet), or a table with --engine postgres");
  if (!output) throw new ArgumentError("--out", "give the output file, e.g. segments.csv");
  const engine = one(args, "engine") ?? "duckdb";
  if (engine !== "duckdb" && engine !== "postgres") throw new ArgumentError("--engine", `must be duckdb or postgres, got ${engine}`);
  const by = one(args, "by");
  const configPath = one(args, "config");
  const quiet = one(args, "quiet") === "true";
  const say = progress(quiet);
  let modelFile: ModelFile | undefined;
  if (configPath) {
    try {
      modelFile = JSON.parse(readFileSync(configPath, "utf8")) as ModelFile;
    } catch (e) {
      throw new ArgumentError("--config", `${configPath}: ${(e as Error).message}`);
    }
  }
  const calendarText = one(args, "calendar");
  const calendar = calendarText ? parseCalendar(calendarText) : undefined;
  const model = loadModel(modelFile, calendar ? periodsPerYear(calendar) : undefined);
  const notes: string[] = [];
  const renames = args.flags.get("col") ?? [];
  const publish = one(args, "publish") === "true";
  const server = one(args, "server");
  const workbook = one(args, "workbook");
  const token = process.env.SEG_TOKEN;
  if (publish && (!server || !workbook || !token)) throw new ArgumentError("--publish", "needs --server URL, --workbook ID and the token in SEG_TOKEN");

  let source: AggregateSource;
  let close: () => Promise<void> | void = () => undefined;
  let inputDesc: Record<string, unknown>;
  try {
    if (engine === "postgres") {
      const url = one(args, "pg-url") ?? process.env.DATABASE_URL;
      if (!url) throw new ArgumentError("--pg-url", "give the PostgreSQL URL (or set DATABASE_URL)");
      const pg = (await import("pg")).default;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      close = () => client.end();
      const table = input.split(".").map(quoteIdent).join(".");
      const described = (await client.query(`SELECT * FROM ${table} LIMIT 0`)).fields.map((f) => f.name);
      const { cols, part } = matchColumns(described, renames, by);
      if (!cols.sku || !cols.period || !cols.quantity) throw new ArgumentError("--in", `table ${input} needs sku, period and quantity columns (has ${described.join(", ")})`);
      const view = `(${periodViewSelect(table, { part, sku: cols.sku, location: cols.location, period: cols.period, quantity: cols.quantity, value: cols.value, unitCost: cols.unit_cost, leadTime: cols.lead_time, leadTimeSd: cols.lead_time_sd, orderQty: cols.order_qty })}) AS seg_periods`;
      const { postgresAggregates } = await import("./postgres");
      const pgSource = await postgresAggregates(client, view);
      source = pgSource;
      close = async () => {
        try {
          await pgSource.drop();
        } finally {
          await client.end();
        }
      };
      inputDesc = { engine, table: input, layout: "periods" };
    } else {
      const db = await openDuckDb({ threads: Number(one(args, "threads") ?? 0) || undefined, memoryLimit: one(args, "memory-limit") ?? "2GB", tempDirectory: one(args, "temp-directory") });
      close = () => db.close();
      const rel = fileRelation(input);
      const described = (await describeRelation(db.connection, rel)).map((c) => c.name);
      const { cols, part } = matchColumns(described, renames, by);
      if (!cols.sku || !cols.quantity || (!cols.period && !cols.date)) {
        throw new ArgumentError("--in", `${input} needs sku, quantity and period (or date) columns; it has ${described.join(", ")} (rename with --col field=Header)`);
      }
      if (cols.period) {
        const view = `(${periodViewSelect(rel, { part, sku: cols.sku, location: cols.location, period: cols.period, quantity: cols.quantity, value: cols.value, unitCost: cols.unit_cost, leadTime: cols.lead_time, leadTimeSd: cols.lead_time_sd, orderQty: cols.order_qty })}) AS seg_periods`;
        say("aggregating in DuckDB", true);
        source = await duckAggregates(db.connection, view, part !== undefined);
        // the temporary aggregate table goes with the in-memory database on close
        inputDesc = { engine, file: input, layout: "periods" };
      } else {
        if (!calendar) throw new ArgumentError("--calendar", "a transactions file (with a date column) needs a calendar, e.g. --calendar isoWeek");
        const wanted = [cols.sku, cols.date!, cols.quantity, cols.location, part, cols.order_type, cols.transaction_id, cols.customer, cols.unit_cost, cols.value].filter((c): c is string => !!c);
        const uniq = [...new Set(wanted)];
        const text = await readTextColumns(db.connection, rel, uniq, say);
        const col = (c: string | undefined) => (c ? text[uniq.indexOf(c)] : undefined);
        const r = bucketTransactionsFile(
          {
            sku: col(cols.sku)!,
            date: col(cols.date)!,
            quantity: col(cols.quantity)!,
            location: col(cols.location),
            part: col(part),
            orderType: col(cols.order_type),
            transactionId: col(cols.transaction_id),
            customer: col(cols.customer),
            unitCost: col(cols.unit_cost),
            value: col(cols.value),
          },
          {
            calendar,
            dateFormat: (one(args, "date-format") ?? "auto") as DateFormat,
            locale: (one(args, "locale") ?? "en") as NumberLocaleName,
            negatives: (one(args, "negatives") ?? "exclude") as "exclude",
            excludeOrderTypes: (one(args, "exclude-order-types") ?? "").split(",").filter(Boolean),
          },
        );
        notes.push(...r.notes);
        source = r.source;
        inputDesc = { engine, file: input, layout: "transactions", calendar };
      }
    }
  } catch (e) {
    await close();
    throw e;
  }

  const parameters = {
    source: inputDesc,
    by: by ?? null,
    options: model.top.options,
    grid: model.top.grid,
    policyOptions: model.top.policyOptions,
    partitions: Object.fromEntries(model.partitions.map((p) => [p, model.resolve(p)])),
  };
  const modelVersion = await makeModelVersion(parameters, now);
  const writer = new CsvWriter(output, OUTPUT_COLUMNS.map((c) => (c === "part" ? (by ?? "part") : c)));
  const items: ReturnType<typeof snapshotItems> = [];
  const timings = emptyTimings();
  let summaries;
  try {
    summaries = await classifyAggregates(source, writer, {
      resolve: model.resolve,
      modelVersion,
      timings,
      onProgress: (k, pass) => say(`${k.toLocaleString("en")} keys ${pass === 1 ? "ranked" : "classified"}`),
      onCounted: (keys) => {
        say(`${keys.toLocaleString("en")} keys; ABC per partition`, true);
        if (publish && keys > MAX_PUBLISH_ITEMS) throw new ArgumentError("--publish", `${keys} items exceed the server's ${MAX_PUBLISH_ITEMS} per snapshot; publish per region (--by) in separate runs or leave --publish off`);
      },
      onRows: publish ? (r) => items.push(...snapshotItems([r])) : undefined,
    });
    await writer.close();
  } catch (e) {
    await writer.close().catch(() => undefined);
    throw e;
  } finally {
    await close();
  }
  for (const s of summaries) if (s.valueBasis === "quantity") notes.push(`${s.part || "all"}: no value or unit_cost column, ABC ranks by annual quantity`);
  say(`${writer.rows.toLocaleString("en")} rows written to ${output}, model version ${modelVersion}`, true);
  if (publish) {
    const res = await publishSnapshot({ baseUrl: server!, token: token! }, workbook!, modelVersion, parameters, items);
    notes.push(`published ${res.items} items as ${workbook} ${modelVersion} (${res.created ? "created" : "already there"})`);
  }
  return { rows: writer.rows, modelVersion, notes, partitions: summaries.map((s) => ({ part: s.part, skus: s.skus, segments: s.segments })), timings, drainMs: writer.drainMs };
}

export interface TransactionText {
  sku: string[];
  date: string[];
  quantity: string[];
  location?: string[];
  part?: string[];
  orderType?: string[];
  transactionId?: string[];
  customer?: string[];
  unitCost?: string[];
  value?: string[];
}

/**
 * The transactions path: parse dates and quantities, bucket per (part, sku, location), aggregate
 * each history; the value is bucketed under the same rules (value column, or quantity × unit cost
 * per row). Rejected rows are listed in the notes by line number (header = line 1).
 */
export function bucketTransactionsFile(
  t: TransactionText,
  o: { calendar: Calendar; dateFormat: DateFormat; locale: NumberLocaleName; negatives: "exclude" | "net" | "reject"; excludeOrderTypes: string[] },
): { source: AggregateSource; notes: string[] } {
  const n = t.sku.length;
  const dates = parseDates(t.date, { format: o.dateFormat });
  const qty = parseQuantities(t.quantity, { locale: o.locale });
  const issues = new Map<number, CellError>([...qty.issues, ...dates.issues]);
  let valueQty: Float64Array | undefined;
  if (t.value || t.unitCost) {
    const v = parseQuantities((t.value ?? t.unitCost)!, { locale: o.locale, field: t.value ? "value" : "unit_cost" });
    for (const [i, e] of v.issues) if (!issues.has(i)) issues.set(i, e);
    valueQty = new Float64Array(n);
    for (let i = 0; i < n; i++) valueQty[i] = t.value ? v.quantity[i] : v.quantity[i] * qty.quantity[i];
  }
  const loc = new Array<string>(n);
  for (let i = 0; i < n; i++) loc[i] = `${t.part ? t.part[i] : ""}\u0002${t.location ? t.location[i] : ""}`;
  const common = { calendar: o.calendar, negatives: o.negatives, excludeOrderTypes: o.excludeOrderTypes };
  const cols = { rows: n, sku: t.sku, day: dates.day, location: loc, orderType: t.orderType, transactionId: t.transactionId, customer: t.customer, issues };
  const b = bucketTransactions({ ...cols, quantity: qty.quantity }, common);
  const notes = [describeBucketCounts(b.counts, b.grid), ...b.rejected.slice(0, 50).map((r) => r.message)];
  if (b.rejected.length > 50) notes.push(`... and ${b.rejected.length - 50} more rejected rows`);
  let valueSum: Float64Array | undefined;
  if (valueQty) {
    const vb = bucketTransactions({ ...cols, quantity: valueQty }, { ...common, from: b.grid?.from, to: b.grid?.to });
    valueSum = new Float64Array(b.n);
    for (let k = 0; k < vb.n; k++) {
      let s = 0;
      for (let j = 0; j < vb.periods; j++) s += vb.history[k * vb.periods + j];
      valueSum[k] = s; // same keys in the same order: both passes see the same rows
    }
  }
  const agg = aggregateHistory(b.history, b.n, b.periods);
  // one chunk per partition, in order of the partition names
  const parts = b.location.map((l) => l.slice(0, l.indexOf("\u0002")));
  const order = Array.from({ length: b.n }, (_, i) => i).sort((x, y) => (parts[x] < parts[y] ? -1 : parts[x] > parts[y] ? 1 : x - y));
  const pick = (a: Float64Array) => Float64Array.from(order, (i) => a[i]);
  const sorted = {
    n: b.n,
    periods: b.periods,
    rows: pick(agg.rows),
    sum: pick(agg.sum),
    varPop: pick(agg.varPop),
    nzCount: pick(agg.nzCount),
    nzSum: pick(agg.nzSum),
    nzVarPop: pick(agg.nzVarPop),
    firstNz: pick(agg.firstNz),
    lastNz: pick(agg.lastNz),
  };
  const chunk = historyChunk(
    "",
    order.map((i) => b.sku[i]),
    order.map((i) => b.location[i].slice(b.location[i].indexOf("\u0002") + 1)),
    sorted,
    valueSum ? { value_sum: pick(valueSum) } : {},
  );
  chunk.part = order.map((i) => parts[i]);
  const range = b.grid ? `${b.grid.labels[0]}..${b.grid.labels[b.grid.count - 1]}` : "";
  return {
    notes,
    source: {
      periods: b.periods,
      periodRange: range,
      // the same in-memory chunk on every pass
      async *chunks() {
        if (chunk.rows > 0) yield chunk;
      },
    },
  };
}

const HELP = `seg classify --in sales.parquet|sales.csv --out segments.csv [--by region] [--config model.json]
  [--engine duckdb|postgres --pg-url URL] [--calendar isoWeek|month|fiscalMonth:4|4-4-5:9:6:last|nrf]
  [--date-format auto|iso|dmy|mdy|named] [--locale en|de|fr|ch|plain] [--negatives exclude|net|reject]
  [--exclude-order-types RE,ZFOC] [--col field=Header] [--threads N] [--memory-limit 2GB] [--temp-directory DIR]
  [--publish --server URL --workbook ID] [--quiet]
See docs/scale.md and docs/data-sources.md.`;

export async function main(argv: readonly string[]): Promise<number> {
  try {
    const args = parseArgs(argv);
    if (args.command === "help" || args.flags.has("help")) {
      process.stdout.write(`${HELP}\n`);
      return 0;
    }
    if (args.command !== "classify") throw new ArgumentError("command", `unknown command "${args.command}" (try: seg classify --help)`);
    const report = await classifyCommand(args);
    for (const n of report.notes) process.stderr.write(`[seg] ${n}\n`);
    for (const p of report.partitions) process.stderr.write(`[seg] ${p.part || "all"}: ${p.skus} keys ${JSON.stringify(p.segments)}\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`seg: ${e instanceof Error ? e.message : String(e)}\n`);
    return e instanceof ArgumentError ? 2 : 1;
  }
}

if (process.argv[1] && /main\.ts$/.test(process.argv[1])) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
