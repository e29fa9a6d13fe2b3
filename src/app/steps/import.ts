/**
 * The import step (shown inside the Classify tab): open a CSV or XLSX transaction extract from
 * the computer (read in the pane, nothing uploaded), preview it, map its columns (SKU, date,
 * quantity; optionally location, customer, order type, transaction id, unit cost, family,
 * category), state how its text is read (date format, number locale) and bucketed (calendar,
 * returns rule, unticked order types), and bucket it in the worker (the "bucket" job). The
 * histories then feed the classification directly (the "imported" event: Classify takes them as
 * its source) and, when asked, the Write adds them as the History sheet.
 *
 * A file over the pane's memory budget (src/io/budget.ts) is refused before anything is read, with
 * the exact `npx seg classify` command. A failure (a bad file, mixed date formats, Cancel) leaves
 * everything already read, mapped, classified or saved as it was.
 */
import { checkPaneBudget, DEFAULT_PANE_BUDGET_BYTES } from "../../io/budget";
import { readImportFile, fileKind, type FileTable, type ImportFile } from "../importRead";
import {
  calendarWords,
  defaultImportOptions,
  importCliCommand,
  importMappingProblems,
  importOptionProblems,
  IMPORT_FIELDS,
  orderTypeCounts,
  proposeImportMapping,
  transactionColumns,
  type BucketedHistory,
  type ImportField,
  type ImportMapping,
  type ImportOptions,
} from "../importSource";
import type { CellValue, SheetPlan } from "../ports";
import { defineStep } from "../step";

export const HISTORY_SHEET = "History";
export const HISTORY_TABLE = "SegHistory";
export const IMPORT_SETTINGS = {
  /** The last import options and mapping by header signature. */
  options: "seg.importOptions",
  mappings: "seg.importMappings",
} as const;
const PREVIEW_ROWS = 8;

export interface ImportFileInfo {
  name: string;
  size: number;
  kind: "csv" | "xlsx";
  rows: number;
  /** File.lastModified (epoch ms), NaN when unknown: the extract's refresh time in the data-quality report. */
  lastModified: number;
}

export interface ImportState {
  file: ImportFileInfo | null;
  headers: string[];
  /** The first rows of the file, every column, as text. */
  previewRows: string[][];
  mapping: ImportMapping | null;
  mappingProblems: string[];
  /** The mapping came from this workbook's memory for these headers. */
  mappingRemembered: boolean;
  options: ImportOptions;
  optionProblems: string[];
  /** Distinct order types of the mapped column, most rows first. */
  orderTypes: { type: string; rows: number }[];
  /** Rows whose cell count differs from the header's. */
  readProblems: string[];
  /** A file refused before reading (over the budget): what to run instead. */
  refused: { message: string; command: string } | null;
  /** The bucketed histories (null until bucketed under the current file, mapping and options). */
  bucketed: BucketedHistory | null;
  /** The pane's memory budget for a file, bytes. */
  budgetBytes: number;
}

export interface ImportActions {
  /** Reads a CSV or XLSX file picked by the planner (refused with the CLI command when over budget). */
  openFile(file: ImportFile): Promise<void>;
  setMappingField(field: ImportField, column: number | null): void;
  setOptions(patch: Partial<ImportOptions>): void;
  /** Ticks (included) or unticks (excluded) an order type. */
  setOrderTypeIncluded(type: string, included: boolean): void;
  /** Buckets the mapped columns in the worker and hands the histories to Classify. */
  bucket(): Promise<void>;
  /** Forgets the file (Classify goes back to a sheet range). */
  clear(): void;
}

declare module "../store" {
  interface StepStates {
    import: ImportState;
  }
  interface StepActions {
    import: ImportActions;
  }
  interface PaneEvents {
    /** Bucketed histories from an imported extract are ready (import step); Classify takes them as its source. */
    imported: void;
  }
}

function cellText(c: unknown): string {
  return c === null || c === undefined ? "" : String(c);
}

function signature(headers: readonly string[]): string {
  return headers.map((h) => h.trim().toLowerCase()).join("\u0001");
}

export const importStep = defineStep({
  key: "import",
  create(ctx) {
    const settings = ctx.gateway.settings;
    let table: FileTable | null = null;
    const options: ImportOptions = { ...defaultImportOptions(), ...(settings.get<Partial<ImportOptions>>(IMPORT_SETTINGS.options) ?? {}) };
    const initial: ImportState = {
      file: null,
      headers: [],
      previewRows: [],
      mapping: null,
      mappingProblems: [],
      mappingRemembered: false,
      options,
      optionProblems: importOptionProblems(options),
      orderTypes: [],
      readProblems: [],
      refused: null,
      bucketed: null,
      budgetBytes: DEFAULT_PANE_BUDGET_BYTES,
    };

    function orderTypesOf(mapping: ImportMapping | null): ImportState["orderTypes"] {
      return table && mapping?.orderType != null ? orderTypeCounts(table.columns[mapping.orderType]) : [];
    }

    function changeMapping(mapping: ImportMapping): void {
      const headers = ctx.state().headers;
      ctx.set({ mapping, mappingRemembered: false, mappingProblems: importMappingProblems(mapping, headers), orderTypes: orderTypesOf(mapping), bucketed: null });
    }

    const actions: ImportActions = {
      async openFile(file) {
        const kind = fileKind(file.name);
        if (!kind) {
          ctx.store.fail(`${file.name}: open a .csv or .xlsx extract (other formats: save them as CSV first). Nothing was read.`);
          return;
        }
        const s = ctx.state();
        const budget = checkPaneBudget({ name: file.name, size: file.size }, {}, s.budgetBytes);
        if (!budget.ok) {
          const command = importCliCommand(file.name, s.options);
          ctx.set({ refused: { message: budget.message.replace(budget.command, command), command } });
          ctx.store.fail(budget.message.replace(budget.command, command));
          return;
        }
        await ctx.task(
          `Reading ${file.name}`,
          async ({ signal, progress }) => {
            const t = await readImportFile(file, { signal, onProgress: (done, total) => progress({ phase: `Reading ${file.name}`, done, total }) });
            if (t.headers.length === 0 || t.headers.every((h) => h === "")) throw new Error(`${file.name}: the first row has no headers; the first row must name the columns (SKU, date, quantity …).`);
            if (t.rows === 0) throw new Error(`${file.name} has a header row but no data rows.`);
            table = t;
            const remembered = settings.get<Record<string, ImportMapping>>(IMPORT_SETTINGS.mappings)?.[signature(t.headers)];
            const proposed = proposeImportMapping(t.headers);
            const mapping = remembered && importMappingProblems({ ...proposed, ...remembered }, t.headers).length === 0 ? { ...proposed, ...remembered } : proposed;
            const previewRows: string[][] = [];
            for (let r = 0; r < Math.min(PREVIEW_ROWS, t.rows); r++) previewRows.push(t.columns.map((c) => cellText(c[r])));
            ctx.set({
              file: { name: file.name, size: file.size, kind: t.kind, rows: t.rows, lastModified: typeof file.lastModified === "number" ? file.lastModified : Number.NaN },
              headers: t.headers,
              previewRows,
              mapping,
              mappingRemembered: mapping !== proposed,
              mappingProblems: importMappingProblems(mapping, t.headers),
              readProblems: t.problems,
              refused: null,
              bucketed: null,
            });
            ctx.set({ orderTypes: orderTypesOf(mapping) });
            ctx.store.notice(`Read ${file.name}: ${t.rows.toLocaleString()} rows × ${t.headers.length} columns. Check the columns and how the file is read, then bucket it.`);
          },
          { cancellable: true, cancelledNotice: "Reading the file was cancelled: nothing changed." },
        );
      },

      setMappingField(field, column) {
        const m = ctx.state().mapping;
        if (m) changeMapping({ ...m, [field]: column });
      },

      setOptions(patch) {
        const next = { ...ctx.state().options, ...patch };
        ctx.set({ options: next, optionProblems: importOptionProblems(next), bucketed: null });
      },

      setOrderTypeIncluded(type, included) {
        const o = ctx.state().options;
        const k = type.trim().toLowerCase();
        const rest = o.excludeOrderTypes.filter((t) => t.trim().toLowerCase() !== k);
        actions.setOptions({ excludeOrderTypes: included ? rest : [...rest, type] });
      },

      async bucket() {
        await ctx.task(
          "Bucketing the transactions",
          async ({ signal, progress }) => {
            const s = ctx.state();
            const t = table;
            if (!t || !s.mapping || !s.file) throw new Error("Open a transaction extract first (Open a file).");
            if (s.mappingProblems.length) throw new Error(s.mappingProblems[0]);
            if (s.optionProblems.length) throw new Error(s.optionProblems[0]);
            const o = s.options;
            const headers: Partial<Record<ImportField, string>> = {};
            for (const f of IMPORT_FIELDS) if (s.mapping[f] !== null) headers[f] = t.headers[s.mapping[f]!];
            const result = await ctx.runner.run(
              "bucket",
              {
                rows: t.rows,
                columns: transactionColumns(t.columns, s.mapping),
                headers,
                calendar: o.calendar,
                dateFormat: o.dateFormat,
                numberLocale: o.numberLocale,
                negatives: o.negatives,
                excludeOrderTypes: o.excludeOrderTypes,
                byLocation: o.byLocation,
              },
              { signal, onProgress: progress },
            );
            if (result.n === 0) {
              const first = result.rejected[0];
              throw new Error(`No usable transactions in ${s.file.name}: ${result.summary}${first ? ` (first: ${first.message})` : ""}.`);
            }
            const all = settings.get<Record<string, ImportMapping>>(IMPORT_SETTINGS.mappings) ?? {};
            all[signature(t.headers)] = s.mapping;
            await settings.set(IMPORT_SETTINGS.mappings, all);
            await settings.set(IMPORT_SETTINGS.options, o);
            ctx.set({ bucketed: result, mappingRemembered: true });
            await ctx.store.emit("imported");
            ctx.store.notice(
              `Bucketed ${s.file.name} into ${result.n.toLocaleString()} histories × ${result.periods.toLocaleString()} periods (${calendarWords(o.calendar)}): ${result.summary}. Set the options below and classify.`,
            );
          },
          { cancellable: true, cancelledNotice: "Bucketing cancelled: nothing changed." },
        );
      },

      clear() {
        table = null;
        ctx.set({ file: null, headers: [], previewRows: [], mapping: null, mappingProblems: [], orderTypes: [], readProblems: [], refused: null, bucketed: null });
      },
    };

    ctx.contribute({
      key: "import",
      sheets: [HISTORY_SHEET],
      parameters: () => {
        const s = ctx.state();
        return s.bucketed && s.file ? { importFile: s.file.name, importCalendar: s.options.calendar, importNegatives: s.options.negatives, importExcluded: s.options.excludeOrderTypes } : {};
      },
      contribute: () => {
        const s = ctx.state();
        const h = s.bucketed;
        const run = ctx.peek("classify")?.run;
        // the History sheet only when asked and when the run being written came from this import
        if (!h || !s.options.writeHistory || !run || run.sourceAddress !== s.file?.name) return { plans: [] };
        return { plans: [historyPlan(h)], summary: [`History sheet: ${h.n.toLocaleString()} histories × ${h.periods.toLocaleString()} periods from ${s.file.name}.`] };
      },
    });

    return { initial, actions };
  },
});

/** The History sheet: one row per SKU (or SKU × location), one column per period, oldest first. */
export function historyPlan(h: BucketedHistory): SheetPlan {
  const headers = ["SKU", "Location", ...h.labels];
  const rows: CellValue[][] = new Array(h.n);
  for (let i = 0; i < h.n; i++) {
    const row: CellValue[] = new Array(h.periods + 2);
    row[0] = h.sku[i];
    row[1] = h.location[i];
    for (let j = 0; j < h.periods; j++) row[j + 2] = h.history[i * h.periods + j];
    rows[i] = row;
  }
  return { sheetName: HISTORY_SHEET, blocks: [{ kind: "table", tableName: HISTORY_TABLE, anchor: "A1", headers, rows }] };
}
