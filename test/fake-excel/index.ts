/**
 * FakeExcel: an in-memory Excel host that honours Office.js load/sync semantics, for jest, the
 * benchmarks and (bundled by bundle.ts) a browser page. No node imports here.
 *
 *   const fake = new FakeExcel();
 *   fake.workbook.addSheet("Data").setValues("A1", rows);
 *   fake.workbook.select("Data!B2");
 *   const gateway = createExcelGateway(fake.host, createSettingsStore(fake.settings));
 *   ... fake.stats.syncs, fake.stats.maxRequestBytes, fake.workbook.table("Segments") ...
 *
 * Seeding and inspection (fake.workbook, fake.tamper) act on the workbook directly: they are
 * what a user typing in Excel would do, not API calls, so they are neither queued nor counted.
 */
import { parseLocal, Rect, rectAddress, splitSheet } from "./a1";
import { emptyStats, Engine, FakeLimits, FakeRequestContext, FakeStats, OpInfo } from "./api";
import { FakeOfficeError, Scalar, SheetModel, Visibility, WorkbookModel } from "./model";

export { FakeOfficeError } from "./model";
export type { Scalar, Visibility } from "./model";
export type { FakeLimits, FakeStats, OpInfo, SyncRecord } from "./api";
export { FakeRequestContext } from "./api";

export interface FakeExcelOptions extends Partial<FakeLimits> {
  /** Sheets the workbook starts with (default ["Sheet1"]). */
  sheets?: string[];
}

/** The enum objects Office.js code reads from the Excel namespace. */
export const EXCEL_ENUMS = {
  SheetVisibility: { visible: "Visible", hidden: "Hidden", veryHidden: "VeryHidden" },
  CalculationMode: { automatic: "Automatic", automaticExceptTables: "AutomaticExceptTables", manual: "Manual" },
  CalculationType: { recalculate: "Recalculate", full: "Full", fullRebuild: "FullRebuild" },
  ChartType: { columnClustered: "ColumnClustered", line: "Line", pareto: "Pareto", barClustered: "BarClustered", pie: "Pie", xyscatter: "XYScatter" },
  ChartSeriesBy: { auto: "Auto", columns: "Columns", rows: "Rows" },
  ChartAxisGroup: { primary: "Primary", secondary: "Secondary" },
  ChartAxisType: { category: "Category", value: "Value", series: "Series" },
  ChartLegendPosition: { top: "Top", bottom: "Bottom", left: "Left", right: "Right", corner: "Corner", custom: "Custom", invalid: "Invalid" },
  InsertShiftDirection: { down: "Down", right: "Right" },
  DeleteShiftDirection: { up: "Up", left: "Left" },
  ClearApplyTo: { all: "All", formats: "Formats", contents: "Contents" },
  ErrorCodes: {
    invalidArgument: "InvalidArgument",
    itemNotFound: "ItemNotFound",
    itemAlreadyExists: "ItemAlreadyExists",
    invalidOperation: "InvalidOperation",
    generalException: "GeneralException",
    responsePayloadSizeLimitExceeded: "ResponsePayloadSizeLimitExceeded",
    requestPayloadSizeLimitExceeded: "RequestPayloadSizeLimitExceeded",
    propertyNotLoaded: "PropertyNotLoaded",
  },
} as const;

type Batch<T> = (context: FakeRequestContext) => Promise<T>;

/** Office.context.document.settings, kept with the workbook. Values go through JSON like Office's. */
export class FakeSettings {
  private readonly data = new Map<string, string>();
  private saved = new Map<string, string>();
  saves = 0;
  get(name: string): unknown {
    const raw = this.data.get(name);
    return raw === undefined ? null : JSON.parse(raw);
  }
  set(name: string, value: unknown): void {
    const raw = JSON.stringify(value);
    if (raw === undefined) throw new Error(`Setting "${name}": value cannot be serialised.`);
    this.data.set(name, raw);
  }
  remove(name: string): void {
    this.data.delete(name);
  }
  saveAsync(options?: unknown, callback?: (r: { status: string; error: null; value: undefined }) => void): void {
    const cb = typeof options === "function" ? (options as typeof callback) : callback;
    this.saved = new Map(this.data);
    this.saves++;
    setTimeout(() => cb?.({ status: "succeeded", error: null, value: undefined }), 0);
  }
  refreshAsync(callback?: (r: { status: string; value: FakeSettings }) => void): void {
    setTimeout(() => callback?.({ status: "succeeded", value: this }), 0);
  }
  /** What a reopened workbook would hold (saved values only). */
  savedValues(): Record<string, unknown> {
    return Object.fromEntries([...this.saved].map(([k, v]) => [k, JSON.parse(v)]));
  }
}

export interface TableInfo {
  name: string;
  sheetName: string;
  address: string;
  headers: string[];
  rows: Scalar[][];
}

export interface ChartInfo {
  name: string;
  sheetName: string;
  chartType: string;
  source: string;
  position: { start: string; end: string | null } | null;
  title: string | null;
  legend: Record<string, unknown>;
  axes: Record<string, Record<string, unknown>>;
  series: { name: string; chartType: string | null; axisGroup: string; values: string | null; xValues: string | null }[];
}

/** Direct access to one sheet for seeding and checking. */
export class SheetHandle {
  constructor(
    private readonly model: WorkbookModel,
    private readonly sheet: SheetModel,
  ) {}

  get name(): string {
    return this.sheet.name;
  }
  get visibility(): Visibility {
    return this.sheet.visibility;
  }
  setVisibility(v: Visibility): this {
    this.sheet.visibility = v;
    return this;
  }
  get position(): number {
    return this.model.sheets.indexOf(this.sheet);
  }

  private rect(address: string, rows = 1, cols = 1): Rect {
    const { sheet, local } = splitSheet(address);
    if (sheet !== null && sheet.toLowerCase() !== this.sheet.name.toLowerCase()) throw new Error(`${address} is not on sheet ${this.sheet.name}`);
    const rect = parseLocal(local);
    if (!rect) throw new Error(`"${address}" is not a range address`);
    // A single cell anchors a block of the given size.
    return rect.rows === 1 && rect.cols === 1 ? { ...rect, rows, cols } : rect;
  }

  /** Seeds cells as they are (no parsing of text), top-left at `anchor` ("A1") or filling a range. */
  setValues(anchor: string, rows: Scalar[][]): this {
    const width = rows.reduce((w, r) => Math.max(w, r.length), 0);
    const rect = this.rect(anchor, rows.length, width);
    rows.forEach((row, i) => row.forEach((v, k) => this.sheet.set(rect.r + i, rect.c + k, v)));
    return this;
  }

  setNumberFormats(anchor: string, formats: string[][]): this {
    const rect = this.rect(anchor, formats.length, formats[0]?.length ?? 1);
    formats.forEach((row, i) => row.forEach((f, k) => this.sheet.setFormat(rect.r + i, rect.c + k, f)));
    return this;
  }

  /** Values of `address`, or of the used range (values only) when omitted; [] for an empty sheet. */
  values(address?: string): Scalar[][] {
    const rect = address ? this.rect(address) : this.sheet.usedRect(true);
    if (!rect) return [];
    return Array.from({ length: rect.rows }, (_, i) => Array.from({ length: rect.cols }, (_, k) => this.sheet.get(rect.r + i, rect.c + k)));
  }

  numberFormats(address?: string): string[][] {
    const rect = address ? this.rect(address) : this.sheet.usedRect(true);
    if (!rect) return [];
    return Array.from({ length: rect.rows }, (_, i) => Array.from({ length: rect.cols }, (_, k) => this.sheet.format(rect.r + i, rect.c + k)));
  }

  cell(address: string): Scalar {
    const rect = this.rect(address);
    return this.sheet.get(rect.r, rect.c);
  }

  formula(address: string): string | undefined {
    const rect = this.rect(address);
    return this.sheet.formulas.get(`${rect.r},${rect.c}`);
  }

  /** "A1:N12" of the used cells (values only), or null. */
  usedAddress(): string | null {
    const rect = this.sheet.usedRect(true);
    return rect ? rectAddress(rect) : null;
  }
}

/** Seeding and inspection of the fake workbook. */
export class WorkbookInspector {
  constructor(private readonly model: WorkbookModel) {}

  addSheet(name: string, options: { visibility?: Visibility } = {}): SheetHandle {
    const sheet = this.model.addSheet(name);
    if (options.visibility) sheet.visibility = options.visibility;
    return new SheetHandle(this.model, sheet);
  }

  sheet(name: string): SheetHandle {
    const sheet = this.model.sheetNamed(name);
    if (!sheet) throw new Error(`The fake workbook has no sheet "${name}" (it has ${this.sheetNames().join(", ")})`);
    return new SheetHandle(this.model, sheet);
  }

  hasSheet(name: string): boolean {
    return this.model.sheetNamed(name) !== undefined;
  }

  /** Sheet names in tab order (hidden ones included). */
  sheetNames(): string[] {
    return this.model.sheets.map((s) => s.name);
  }

  sheets(): { name: string; visibility: Visibility; position: number }[] {
    return this.model.sheets.map((s, position) => ({ name: s.name, visibility: s.visibility, position }));
  }

  /** Selects "Sheet!A1:B5" (several areas: pass an array, same sheet) and activates that sheet. */
  select(address: string | string[]): void {
    const list = Array.isArray(address) ? address : [address];
    let sheet: SheetModel | undefined;
    const areas = list.map((a) => {
      const { sheet: name, local } = splitSheet(a);
      const s = name === null ? (sheet ?? this.model.activeSheet) : this.model.sheetNamed(name);
      if (!s) throw new Error(`No sheet for "${a}"`);
      if (sheet && s !== sheet) throw new Error("All selected areas must be on one sheet");
      sheet = s;
      const rect = parseLocal(local);
      if (!rect) throw new Error(`"${a}" is not a range address`);
      return rect;
    });
    this.model.selection = { sheet: sheet!, areas };
  }

  selection(): string {
    const sel = this.model.selection;
    if (!sel) return "";
    return sel.areas.map((a) => rectAddress(a, sel.sheet.name)).join(",");
  }

  activeSheetName(): string {
    return this.model.activeSheet.name;
  }

  get calculationMode(): string {
    return this.model.calculationMode;
  }
  set calculationMode(v: string) {
    this.model.calculationMode = v;
  }

  table(name: string): TableInfo | null {
    const t = this.model.tableNamed(name);
    if (!t) return null;
    const rows = Array.from({ length: t.rows - 1 }, (_, i) => Array.from({ length: t.cols }, (_, k) => t.sheet.get(t.r + 1 + i, t.c + k)));
    return { name: t.name, sheetName: t.sheet.name, address: rectAddress(t.rect, t.sheet.name), headers: t.headers(), rows: t.placeholder ? [] : rows };
  }

  tables(): TableInfo[] {
    return this.model.tables.map((t) => this.table(t.name)!);
  }

  /** Seeds an Excel table over existing cells (first row = headers). */
  addTable(address: string, name?: string): TableInfo {
    const { sheet: sheetName, local } = splitSheet(address);
    const sheet = sheetName === null ? this.model.activeSheet : this.model.sheetNamed(sheetName);
    const rect = parseLocal(local);
    if (!sheet || !rect) throw new Error(`"${address}" is not a range address`);
    const t = this.model.addTable(sheet, rect, true);
    if (name) {
      this.model.checkTableName(name, t);
      t.name = name;
    }
    return this.table(t.name)!;
  }

  charts(sheetName?: string): ChartInfo[] {
    const at = (x: { sheet: SheetModel; rect: Rect } | null) => (x ? rectAddress(x.rect, x.sheet.name) : null);
    return this.model.charts
      .filter((c) => sheetName === undefined || c.sheet.name.toLowerCase() === sheetName.toLowerCase())
      .map((c) => ({
        name: c.name,
        sheetName: c.sheet.name,
        chartType: c.chartType,
        source: at(c.source)!,
        position: c.position,
        title: c.title,
        legend: { ...c.legend },
        axes: JSON.parse(JSON.stringify(c.axes)),
        series: c.series.map((s) => ({ name: s.name, chartType: s.chartType, axisGroup: s.axisGroup, values: at(s.values), xValues: at(s.xValues) })),
      }));
  }

  /** Everything in the workbook as plain data, for before/after comparisons. */
  snapshot(): unknown {
    return {
      sheets: this.model.sheets.map((s) => ({
        name: s.name,
        visibility: s.visibility,
        values: new SheetHandle(this.model, s).values(),
        used: new SheetHandle(this.model, s).usedAddress(),
        formats: s.formats.map((row, r) => (row ? row.map((f, c) => (f && f !== "General" ? `${r},${c}:${f}` : null)).filter(Boolean) : [])).flat(),
      })),
      tables: this.tables(),
      charts: this.charts(),
      calculationMode: this.model.calculationMode,
    };
  }
}

export class FakeExcel {
  readonly model = new WorkbookModel();
  readonly limits: FakeLimits;
  readonly settings = new FakeSettings();
  readonly workbook: WorkbookInspector;
  private readonly engine: Engine;

  constructor(options: FakeExcelOptions = {}) {
    this.limits = {
      payloadLimitBytes: options.payloadLimitBytes ?? 5_000_000,
      maxCellsPerRead: options.maxCellsPerRead ?? 5_000_000,
      latencyMs: options.latencyMs ?? 0,
    };
    for (const name of options.sheets ?? ["Sheet1"]) this.model.addSheet(name);
    this.engine = { model: this.model, limits: this.limits, stats: emptyStats(), faults: [] };
    this.workbook = new WorkbookInspector(this.model);
    this.run = this.run.bind(this);
  }

  /** Counters since construction or the last resetStats(). */
  get stats(): FakeStats {
    return this.engine.stats;
  }

  resetStats(): void {
    this.engine.stats = emptyStats();
  }

  /** Excel.run: run(batch) or run(options, batch). Pending operations are synced when the batch ends. */
  run<T>(batch: Batch<T>): Promise<T>;
  run<T>(options: unknown, batch: Batch<T>): Promise<T>;
  async run<T>(a: unknown, b?: Batch<T>): Promise<T> {
    const batch = (typeof a === "function" ? a : b) as Batch<T>;
    if (typeof batch !== "function") throw new TypeError("Excel.run needs a batch function");
    const ctx = new FakeRequestContext(this.engine);
    this.engine.stats.runs++;
    try {
      const out = await batch(ctx);
      if (ctx._ops.length > 0) await ctx.sync();
      return out;
    } finally {
      ctx._closed = true;
    }
  }

  /** What createExcelGateway takes as its host. */
  get host(): { run: <T>(batch: Batch<T>) => Promise<T> } {
    return { run: (batch) => this.run(batch) };
  }

  /** An object to put in place of the global `Excel`: run plus the enums. */
  get excel(): Record<string, unknown> {
    return { ...EXCEL_ENUMS, run: this.run, RequestContext: FakeRequestContext };
  }

  /** A minimal `Office` global: context.document.settings, onReady, AsyncResultStatus. */
  get office(): Record<string, unknown> {
    const settings = this.settings;
    return {
      context: { document: { settings }, host: "Excel", platform: "OfficeOnline" },
      AsyncResultStatus: { Succeeded: "succeeded", Failed: "failed" },
      HostType: { Excel: "Excel" },
      onReady: (cb?: (info: { host: string; platform: string }) => void) => {
        const info = { host: "Excel", platform: "OfficeOnline" };
        cb?.(info);
        return Promise.resolve(info);
      },
    };
  }

  /** Sets globalThis.Excel (and Office, when asked) to this fake. */
  install(target: Record<string, unknown> = globalThis as unknown as Record<string, unknown>, options: { office?: boolean } = {}): void {
    target.Excel = this.excel;
    if (options.office) target.Office = this.office;
  }

  /** Edits a cell behind the add-in's back (e.g. of the very hidden audit sheet). */
  tamper(sheetName: string, address: string, value: Scalar): void {
    this.workbook.sheet(sheetName).setValues(address, [[value]]);
  }

  /** Makes the next operation that matches `when` fail during its sync (once). */
  failOn(when: (op: OpInfo) => boolean, code = "GeneralException", message = "Injected failure"): void {
    this.engine.faults.push({ when, error: new FakeOfficeError(code, message) });
  }
}

export function createFakeExcel(options?: FakeExcelOptions): FakeExcel {
  return new FakeExcel(options);
}
