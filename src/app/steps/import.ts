/**
 * The import step (shown inside the Classify tab): open a CSV or XLSX transaction extract from
 * the computer (read in the pane, nothing uploaded), preview it, map its columns (SKU, date,
 * quantity; optionally location, customer, order type, transaction id, unit cost, family,
 * category), state how its text is read (date format, number locale) and bucketed (calendar,
 * returns rule, unticked order types), and bucket it in the worker (the "bucket" job). The
 * histories then feed the classification directly (the "imported" event: Classify takes them as
 * its source) and, when asked, the Write adds them as the Demand history sheet.
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
  emptyImportMapping,
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
import { applyProfile, profileFromJson, profileToJson, validateProfile, type AttributeSource, type MappingProfile, type SegmentationAttribute } from "../../engine/attributes";
import type { CellValue, SheetPlan } from "../ports";
import { defineStep } from "../step";

/** Not "History": Excel reserves that sheet name (change tracking). */
export const HISTORY_SHEET = "Demand history";
export const HISTORY_TABLE = "SegHistory";
export const IMPORT_SETTINGS = {
  /** The last import options and mapping by header signature. */
  options: "seg.importOptions",
  mappings: "seg.importMappings",
  /** Mapping profiles by name (JSON text, src/engine/attributes.ts), reusable for every extract of that source. */
  profiles: "seg.mappingProfiles",
  /** The hierarchy source priority, strongest first. */
  priority: "seg.sourcePriority",
} as const;

/** A master-data file giving families and categories (a hierarchy source). */
export interface MasterSource {
  source: string;
  fileName: string;
  rows: number;
  sku: string[];
  family: string[];
  category: string[];
}
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
  /** Master-data files opened as further hierarchy sources. */
  masters: MasterSource[];
  /** Hierarchy sources, strongest first (the extract's source name, the sheet, master files). */
  priority: string[];
  /** The attribute dictionary of the current source: each attribute's system, field, owner and refresh SLA. */
  attributes: AttributeSource[];
  /** Names of the mapping profiles saved in this workbook. */
  profiles: string[];
  /** The profile last saved or loaded (null: none). */
  profileName: string | null;
  /** Problems of the last profile save (each starts with the JSON path of the field). */
  profileProblems: string[];
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
  /** Opens a master-data file (SKU, family, category) as a hierarchy source named `source` (default: the file's name). */
  addMasterFile(file: ImportFile, source?: string): Promise<void>;
  removeMaster(source: string): void;
  /** Moves a source up (-1) or down (+1) in the priority list. */
  movePriority(source: string, by: -1 | 1): void;
  /** Adds or replaces an attribute's entry in the dictionary. */
  setAttribute(entry: AttributeSource): void;
  removeAttribute(attribute: SegmentationAttribute): void;
  /** Saves the mapping, reading options and dictionary as the named profile (workbook settings). */
  saveProfile(name: string): Promise<void>;
  /** Applies a saved profile to the open file (mapping by header text, options, dictionary). */
  loadProfile(name: string): void;
  deleteProfile(name: string): Promise<void>;
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
      masters: [],
      priority: settings.get<string[]>(IMPORT_SETTINGS.priority) ?? [options.sourceName],
      attributes: [],
      profiles: Object.keys(settings.get<Record<string, string>>(IMPORT_SETTINGS.profiles) ?? {}).sort(),
      profileName: null,
      profileProblems: [],
    };

    function savedProfiles(): Record<string, string> {
      return settings.get<Record<string, string>>(IMPORT_SETTINGS.profiles) ?? {};
    }

    /** The priority list with `names` present (new ones last), others kept in their order. */
    function withSources(priority: readonly string[], names: readonly string[]): string[] {
      const out = priority.filter((p) => names.includes(p));
      for (const n of names) if (!out.includes(n)) out.push(n);
      return out;
    }

    function sourceNames(s: ImportState, sourceName = s.options.sourceName): string[] {
      const sheet = ctx.peek("classify")?.source;
      const names = [sourceName, ...s.masters.map((m) => m.source)];
      if (sheet && !ctx.peek("classify")?.imported) names.push(`sheet ${sheet.sheetName}`);
      return names;
    }

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
        const s = ctx.state();
        const next = { ...s.options, ...patch };
        const rename = patch.sourceName !== undefined && patch.sourceName !== s.options.sourceName;
        const priority = rename ? s.priority.map((p) => (p === s.options.sourceName ? next.sourceName : p)) : s.priority;
        // freshness and the cycle do not change the bucketing
        const keeps = Object.keys(patch).every((k) => k === "maxAgeDays" || k === "cycle" || k === "fallbacks" || k === "writeHistory" || k === "sourceName");
        ctx.set({ options: next, optionProblems: importOptionProblems(next), priority, ...(keeps ? {} : { bucketed: null }) });
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
            // typed-array columns built for this run and moved to the worker, not copied (src/app/columnar.ts)
            const { encodeTransactionColumns } = await import(/* webpackChunkName: "import" */ "../columnar");
            const encoded = encodeTransactionColumns(transactionColumns(t.columns, s.mapping), t.rows);
            const result = await ctx.runner.run(
              "bucket",
              {
                rows: t.rows,
                encoded: encoded.columns,
                headers,
                calendar: o.calendar,
                dateFormat: o.dateFormat,
                numberLocale: o.numberLocale,
                negatives: o.negatives,
                excludeOrderTypes: o.excludeOrderTypes,
                byLocation: o.byLocation,
              },
              { signal, onProgress: progress, transfer: encoded.transfer },
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

      async addMasterFile(file, source) {
        await ctx.task(
          `Reading ${file.name}`,
          async ({ signal, progress }) => {
            const budget = checkPaneBudget({ name: file.name, size: file.size }, {}, ctx.state().budgetBytes);
            if (!budget.ok) throw new Error(budget.message);
            const t = await readImportFile(file, { signal, onProgress: (done, total) => progress({ phase: `Reading ${file.name}`, done, total }) });
            const m = proposeImportMapping(t.headers);
            if (m.sku === null) throw new Error(`${file.name}: no SKU column found (headers: ${t.headers.join(", ")}); a master-data file needs SKU and family or category columns.`);
            if (m.family === null && m.category === null) throw new Error(`${file.name}: no family or category column found (headers: ${t.headers.join(", ")}).`);
            const name = (source ?? file.name.replace(/\.(csv|txt|tsv|xlsx)$/i, "")).trim();
            const s = ctx.state();
            if (name === s.options.sourceName) throw new Error(`"${name}" is already the extract's source name: give the master-data file another name.`);
            const col = (c: number | null) => (c === null ? new Array<string>(t.rows).fill("") : t.columns[c].map(cellText));
            const master: MasterSource = { source: name, fileName: file.name, rows: t.rows, sku: col(m.sku).map((x) => x.trim()), family: col(m.family), category: col(m.category) };
            const masters = [...s.masters.filter((x) => x.source !== name), master];
            const next = { ...s, masters };
            const priority = withSources(s.priority, sourceNames(next));
            ctx.set({ masters, priority });
            await settings.set(IMPORT_SETTINGS.priority, priority);
            ctx.store.notice(`Added ${file.name} as the hierarchy source "${name}" (${t.rows.toLocaleString()} rows); its place in the priority list is ${priority.indexOf(name) + 1} of ${priority.length}.`);
          },
          { cancellable: true, cancelledNotice: "Reading the file was cancelled: nothing changed." },
        );
      },

      removeMaster(source) {
        const s = ctx.state();
        ctx.set({ masters: s.masters.filter((m) => m.source !== source), priority: s.priority.filter((p) => p !== source) });
      },

      movePriority(source, by) {
        const s = ctx.state();
        const priority = withSources(s.priority, sourceNames(s));
        const i = priority.indexOf(source);
        const j = i + by;
        if (i < 0 || j < 0 || j >= priority.length) return;
        [priority[i], priority[j]] = [priority[j], priority[i]];
        ctx.set({ priority });
        void settings.set(IMPORT_SETTINGS.priority, priority);
      },

      setAttribute(entry) {
        const s = ctx.state();
        ctx.set({ attributes: [...s.attributes.filter((a) => a.attribute !== entry.attribute), entry] });
      },

      removeAttribute(attribute) {
        ctx.set({ attributes: ctx.state().attributes.filter((a) => a.attribute !== attribute) });
      },

      async saveProfile(name) {
        const s = ctx.state();
        const columns: MappingProfile["columns"] = {};
        if (s.mapping) for (const f of IMPORT_FIELDS) if (s.mapping[f] !== null && f !== "family" && f !== "category") columns[f] = s.headers[s.mapping[f]!];
        if (s.mapping?.family != null) columns.family = s.headers[s.mapping.family];
        if (s.mapping?.category != null) columns.category = s.headers[s.mapping.category];
        const o = s.options;
        const profile = {
          kind: "seg.mappingProfile",
          schemaVersion: 1,
          name: name.trim(),
          system: o.sourceName,
          layout: "transactions",
          columns,
          dateFormat: o.dateFormat,
          numberLocale: o.numberLocale,
          calendar: o.calendar,
          negatives: o.negatives,
          excludeOrderTypes: o.excludeOrderTypes,
          attributes: s.attributes,
        };
        const check = validateProfile(profile);
        if (!check.profile) {
          ctx.set({ profileProblems: check.problems });
          ctx.store.fail(`The profile was not saved: ${check.problems[0]}${check.problems.length > 1 ? ` (and ${check.problems.length - 1} more)` : ""}.`);
          return;
        }
        const all = { ...savedProfiles(), [check.profile.name]: profileToJson(check.profile) };
        await settings.set(IMPORT_SETTINGS.profiles, all);
        ctx.set({ profiles: Object.keys(all).sort(), profileName: check.profile.name, profileProblems: [] });
        ctx.store.notice(`Saved the mapping profile "${check.profile.name}" in this workbook (${Object.keys(columns).length} columns, ${s.attributes.length} attributes).`);
      },

      loadProfile(name) {
        const text = savedProfiles()[name];
        if (!text) {
          ctx.store.fail(`There is no profile "${name}" in this workbook.`);
          return;
        }
        let p: MappingProfile;
        try {
          p = profileFromJson(text);
        } catch (e) {
          ctx.store.fail(`The profile "${name}" cannot be used: ${(e as Error).message}`);
          return;
        }
        const s = ctx.state();
        const patch: Partial<ImportOptions> = { sourceName: p.system };
        if (p.dateFormat) patch.dateFormat = p.dateFormat;
        if (p.numberLocale) patch.numberLocale = p.numberLocale;
        if (p.calendar) patch.calendar = p.calendar;
        if (p.negatives) patch.negatives = p.negatives;
        if (p.excludeOrderTypes) patch.excludeOrderTypes = p.excludeOrderTypes;
        actions.setOptions(patch);
        ctx.set({ attributes: p.attributes, profileName: p.name, profileProblems: [] });
        if (s.mapping && s.headers.length) {
          const applied = applyProfile(s.headers, p);
          const m = emptyImportMapping();
          for (const f of IMPORT_FIELDS) if (applied.columns[f] !== undefined) m[f] = applied.columns[f]!;
          changeMapping(m);
          if (applied.missing.length) ctx.store.fail(`Profile "${p.name}": this file has no column ${applied.missing.join(", ")}. Map them by hand or pick another profile.`);
          else ctx.store.notice(`Applied the profile "${p.name}" to ${s.file?.name ?? "the file"}.`);
        } else ctx.store.notice(`Loaded the profile "${p.name}": open a file to apply its columns.`);
      },

      async deleteProfile(name) {
        const all = { ...savedProfiles() };
        delete all[name];
        await settings.set(IMPORT_SETTINGS.profiles, all);
        ctx.set({ profiles: Object.keys(all).sort(), profileName: ctx.state().profileName === name ? null : ctx.state().profileName });
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
        // the Demand history sheet only when asked and when the run being written came from this import
        if (!h || !s.options.writeHistory || !run || run.sourceAddress !== s.file?.name) return { plans: [] };
        return { plans: [historyPlan(h)], summary: [`Demand history sheet: ${h.n.toLocaleString()} histories × ${h.periods.toLocaleString()} periods from ${s.file.name}.`] };
      },
    });

    return { initial, actions };
  },
});

/** The Demand history sheet: one row per SKU (or SKU × location), one column per period, oldest first. */
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
