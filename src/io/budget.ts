/**
 * The pane's memory budget for an imported extract. A file is read in the pane only when its
 * estimated in-memory size fits the budget; otherwise it is refused with the exact CLI command that
 * does the same job outside Excel (docs/scale.md).
 *
 * Estimate: the parsed text columns (JS strings) and typed arrays take about 3 × the CSV file's
 * size, and 12 × an XLSX file's (zip-compressed XML is typically 4 × smaller than the same CSV). Default budget 256 MB,
 * below what a Web Worker in Excel on the web can hold next to the workbook.
 */
export const DEFAULT_PANE_BUDGET_BYTES = 256 * 1024 * 1024;
export const CSV_EXPANSION = 3;
export const XLSX_EXPANSION = 12;

export interface BudgetCheck {
  ok: boolean;
  /** Estimated bytes in memory. */
  estimate: number;
  budget: number;
  /** When refused: what to do, with the exact command. */
  message: string;
  command: string;
}

function shellQuote(s: string): string {
  return /^[A-Za-z0-9._,/=:-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}

/**
 * The `seg classify` command for a file, with the options the import dialog had (calendar, date
 * format, locale, returns rule, order types, partition column).
 */
export function cliCommand(fileName: string, o: { calendar?: string; dateFormat?: string; locale?: string; negatives?: string; excludeOrderTypes?: readonly string[]; by?: string } = {}): string {
  const out = fileName.replace(/\.(csv|txt|xlsx|parquet)$/i, "") + "-segments.csv";
  const parts = ["npx seg classify", "--in", shellQuote(fileName), "--out", shellQuote(out)];
  if (o.calendar) parts.push("--calendar", shellQuote(o.calendar));
  if (o.dateFormat && o.dateFormat !== "auto") parts.push("--date-format", o.dateFormat);
  if (o.locale && o.locale !== "en") parts.push("--locale", o.locale);
  if (o.negatives && o.negatives !== "exclude") parts.push("--negatives", o.negatives);
  if (o.excludeOrderTypes && o.excludeOrderTypes.length) parts.push("--exclude-order-types", shellQuote(o.excludeOrderTypes.join(",")));
  if (o.by) parts.push("--by", shellQuote(o.by));
  return parts.join(" ");
}

export function checkPaneBudget(file: { name: string; size: number }, options: Parameters<typeof cliCommand>[1] = {}, budget = DEFAULT_PANE_BUDGET_BYTES): BudgetCheck {
  const xlsx = /\.xlsx$/i.test(file.name);
  const estimate = file.size * (xlsx ? XLSX_EXPANSION : CSV_EXPANSION);
  const command = cliCommand(xlsx ? file.name.replace(/\.xlsx$/i, ".csv") : file.name, options);
  if (estimate <= budget) return { ok: true, estimate, budget, message: "", command };
  const mb = (b: number) => `${Math.round(b / 1048576)} MB`;
  const save = xlsx ? ` Save the sheet as CSV first (${file.name.replace(/\.xlsx$/i, ".csv")}), then run:` : " Run it outside Excel instead:";
  return {
    ok: false,
    estimate,
    budget,
    command,
    message: `${file.name} (${mb(file.size)}) needs about ${mb(estimate)} in the pane, over its ${mb(budget)} budget; nothing was read and nothing already saved has changed.${save} ${command}`,
  };
}
