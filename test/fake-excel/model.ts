/**
 * The in-memory workbook behind the fake Excel host: sheets of cells with number formats,
 * visibility, tables, recorded charts, the selection and the calculation mode. The API proxies
 * (api.ts) change it only while a context.sync applies queued operations; seeding and inspection
 * helpers (index.ts) change it directly.
 */
import { colName, inSheet, intersect, Rect, rectAddress, SHEET_COLUMNS, SHEET_ROWS } from "./a1";

export type Scalar = string | number | boolean;
export type Visibility = "Visible" | "Hidden" | "VeryHidden";

/** Error shaped like OfficeExtension.Error: name, code, message, debugInfo. */
export class FakeOfficeError extends Error {
  readonly code: string;
  readonly debugInfo: { code: string; message: string; errorLocation?: string };
  constructor(code: string, message: string, errorLocation?: string) {
    super(message);
    this.name = "RichApi.Error";
    this.code = code;
    this.debugInfo = { code, message, errorLocation };
  }
}

export function fail(code: string, message: string): never {
  throw new FakeOfficeError(code, message);
}

export class SheetModel {
  visibility: Visibility = "Visible";
  deleted = false;
  /** rows[r][c]; a hole, undefined or "" is an empty cell. */
  rows: (Scalar[] | undefined)[] = [];
  formats: (string[] | undefined)[] = [];
  formulas = new Map<string, string>();
  constructor(
    readonly id: string,
    public name: string,
  ) {}

  get(r: number, c: number): Scalar {
    const v = this.rows[r]?.[c];
    return v === undefined ? "" : v;
  }

  set(r: number, c: number, v: Scalar): void {
    let row = this.rows[r];
    if (!row) {
      if (v === "") return;
      row = this.rows[r] = [];
    }
    row[c] = v;
    this.formulas.delete(`${r},${c}`);
  }

  format(r: number, c: number): string {
    return this.formats[r]?.[c] ?? "General";
  }

  setFormat(r: number, c: number, f: string): void {
    let row = this.formats[r];
    if (!row) {
      if (f === "General") return;
      row = this.formats[r] = [];
    }
    row[c] = f;
  }

  isEmpty(r: number, c: number): boolean {
    const v = this.rows[r]?.[c];
    return v === undefined || v === "";
  }

  /** Bounding box of non-empty cells (and, unless valuesOnly, cells with a number format). */
  usedRect(valuesOnly: boolean): Rect | null {
    let r1 = -1;
    let r2 = -1;
    let c1 = Infinity;
    let c2 = -1;
    const scan = (grid: (unknown[] | undefined)[], empty: (v: unknown) => boolean) => {
      for (let r = 0; r < grid.length; r++) {
        const row = grid[r];
        if (!row) continue;
        let lo = -1;
        let hi = -1;
        for (let c = 0; c < row.length; c++) {
          if (!empty(row[c])) {
            if (lo < 0) lo = c;
            hi = c;
          }
        }
        if (lo < 0) continue;
        if (r1 < 0 || r < r1) r1 = r;
        if (r > r2) r2 = r;
        if (lo < c1) c1 = lo;
        if (hi > c2) c2 = hi;
      }
    };
    scan(this.rows, (v) => v === undefined || v === "");
    if (!valuesOnly) scan(this.formats, (v) => v === undefined || v === "General");
    return r1 < 0 ? null : { r: r1, c: c1, rows: r2 - r1 + 1, cols: c2 - c1 + 1 };
  }

  /** Excel's current region: grow the box while any cell touching it (diagonals too) is non-empty. */
  surroundingRegion(r: number, c: number): Rect {
    let top = r;
    let bottom = r;
    let left = c;
    let right = c;
    const rowHas = (row: number, from: number, to: number) => {
      if (row < 0 || row >= SHEET_ROWS) return false;
      const cells = this.rows[row];
      if (!cells) return false;
      for (let k = Math.max(0, from); k <= Math.min(to, SHEET_COLUMNS - 1); k++) if (cells[k] !== undefined && cells[k] !== "") return true;
      return false;
    };
    const colHas = (col: number, from: number, to: number) => {
      if (col < 0 || col >= SHEET_COLUMNS) return false;
      for (let k = Math.max(0, from); k <= Math.min(to, SHEET_ROWS - 1); k++) if (!this.isEmpty(k, col)) return true;
      return false;
    };
    for (let changed = true; changed; ) {
      changed = false;
      while (rowHas(top - 1, left - 1, right + 1)) {
        top--;
        changed = true;
      }
      while (rowHas(bottom + 1, left - 1, right + 1)) {
        bottom++;
        changed = true;
      }
      while (colHas(left - 1, top - 1, bottom + 1)) {
        left--;
        changed = true;
      }
      while (colHas(right + 1, top - 1, bottom + 1)) {
        right++;
        changed = true;
      }
    }
    return { r: top, c: left, rows: bottom - top + 1, cols: right - left + 1 };
  }

  /** Moves the cells of columns [c, c+cols) from row `from` on by `by` rows (negative = up). */
  shiftRows(from: number, by: number, c: number, cols: number): void {
    const move = <T>(grid: (T[] | undefined)[], blank: T) => {
      const last = grid.length - 1;
      const order = by > 0 ? range(last, from, -1) : range(from, last, 1);
      for (const r of order) {
        const src = grid[r];
        for (let k = c; k < c + cols; k++) {
          const v = src?.[k];
          if (v === undefined) continue;
          const to = r + by;
          if (to >= 0 && to < SHEET_ROWS) {
            const dst = (grid[to] ??= []);
            dst[k] = v;
          }
          src![k] = blank;
        }
      }
    };
    move(this.rows, "" as Scalar);
    move(this.formats, "General");
  }

  /**
   * Moves the cells of rows [r, r+rows) from column `from` on by `by` columns (negative = left).
   * When moving left the caller has already cleared the cells being deleted.
   */
  shiftColumns(from: number, by: number, r: number, rows: number): void {
    for (const grid of [this.rows, this.formats] as (unknown[] | undefined)[][]) {
      for (let i = r; i < Math.min(r + rows, grid.length); i++) {
        const row = grid[i];
        if (!row || row.length <= from) continue;
        const moved = row.slice(from);
        row.length = from;
        moved.forEach((v, k) => {
          const to = from + k + by;
          if (v !== undefined && to >= 0 && to < SHEET_COLUMNS) row[to] = v;
        });
      }
    }
  }
}

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  if (step > 0) for (let i = from; i <= to; i++) out.push(i);
  else for (let i = from; i >= to; i--) out.push(i);
  return out;
}

export class TableModel {
  style = "TableStyleMedium2";
  deleted = false;
  /** True while the body is the one empty row Excel adds to a header-only table. */
  placeholder = false;
  constructor(
    readonly id: string,
    public name: string,
    public sheet: SheetModel,
    public r: number,
    public c: number,
    /** Rows including the header row. */
    public rows: number,
    public cols: number,
  ) {}

  get rect(): Rect {
    return { r: this.r, c: this.c, rows: this.rows, cols: this.cols };
  }

  get headerRect(): Rect {
    return { r: this.r, c: this.c, rows: 1, cols: this.cols };
  }

  get bodyRect(): Rect {
    return { r: this.r + 1, c: this.c, rows: this.rows - 1, cols: this.cols };
  }

  headers(): string[] {
    return Array.from({ length: this.cols }, (_, k) => String(this.sheet.get(this.r, this.c + k)));
  }
}

export interface SeriesModel {
  name: string;
  chartType: string | null;
  axisGroup: string;
  values: { sheet: SheetModel; rect: Rect } | null;
  xValues: { sheet: SheetModel; rect: Rect } | null;
}

export interface ChartModel {
  id: string;
  name: string;
  chartType: string;
  sheet: SheetModel;
  source: { sheet: SheetModel; rect: Rect };
  seriesBy: string;
  series: SeriesModel[];
  position: { start: string; end: string | null } | null;
  title: string | null;
  legend: Record<string, unknown>;
  axes: Record<string, Record<string, unknown>>;
  deleted: boolean;
}

/** What an ISO date typed into a General cell becomes: Excel's serial day number (1900 system). */
function dateSerial(y: number, m: number, d: number): number {
  return Math.round((Date.UTC(y, m - 1, d) - Date.UTC(1899, 11, 30)) / 86_400_000);
}

/**
 * What Excel stores when `input` is written to a cell with number format `format` through
 * Range.values: text in a Text ("@") cell is kept as typed; elsewhere Excel parses it like typed
 * input (numbers, percentages, TRUE/FALSE, ISO dates, and a leading = + - makes a formula).
 */
export function coerce(input: Scalar, format: string): { value: Scalar; formula?: string; format?: string } {
  if (typeof input !== "string" || input === "" || format === "@") return { value: input };
  const s = input;
  if (s.startsWith("'")) return { value: s.slice(1) };
  const t = s.trim();
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(t)) return { value: Number(t) };
  const pct = /^([+-]?(\d+(\.\d*)?|\.\d+))%$/.exec(t);
  if (pct) return { value: Number(pct[1]) / 100, format: format === "General" ? "0%" : undefined };
  if (/^(true|false)$/i.test(t)) return { value: t.toLowerCase() === "true" };
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  if (iso) return { value: dateSerial(Number(iso[1]), Number(iso[2]), Number(iso[3])), format: format === "General" ? "yyyy-mm-dd" : undefined };
  if (/^[=+-]/.test(s) && s.length > 1) return { value: "#NAME?", formula: s.startsWith("=") ? s : `=${s}` };
  return { value: s };
}

export interface Selection {
  sheet: SheetModel;
  areas: Rect[];
}

export class WorkbookModel {
  sheets: SheetModel[] = [];
  tables: TableModel[] = [];
  charts: ChartModel[] = [];
  calculationMode = "Automatic";
  selection: Selection | null = null;
  private nextId = 1;

  newId(prefix: string): string {
    return `{${prefix}-${String(this.nextId++).padStart(4, "0")}}`;
  }

  sheetNamed(name: string): SheetModel | undefined {
    const key = name.toLowerCase();
    return this.sheets.find((s) => s.name.toLowerCase() === key);
  }

  sheetByKey(key: string): SheetModel | undefined {
    return this.sheets.find((s) => s.id === key) ?? this.sheetNamed(key);
  }

  tableNamed(name: string): TableModel | undefined {
    const key = name.toLowerCase();
    return this.tables.find((t) => t.name.toLowerCase() === key);
  }

  tablesOn(sheet: SheetModel): TableModel[] {
    return this.tables.filter((t) => t.sheet === sheet);
  }

  get activeSheet(): SheetModel {
    if (!this.selection || this.selection.sheet.deleted) this.selectFirstVisible();
    return this.selection!.sheet;
  }

  selectFirstVisible(): void {
    const sheet = this.sheets.find((s) => s.visibility === "Visible") ?? this.sheets[0];
    if (!sheet) fail("InvalidOperation", "The workbook has no sheets.");
    this.selection = { sheet, areas: [{ r: 0, c: 0, rows: 1, cols: 1 }] };
  }

  // ------------------------------------------------------------------ sheets

  checkSheetName(name: string, except?: SheetModel): void {
    if (typeof name !== "string" || name.length === 0 || name.length > 31 || /[\\/?*[\]:]/.test(name) || name.startsWith("'") || name.endsWith("'")) {
      fail("InvalidArgument", `"${name}" is not a valid sheet name.`);
    }
    if (name.toLowerCase() === "history") fail("InvalidArgument", `"History" is reserved.`);
    const clash = this.sheetNamed(name);
    if (clash && clash !== except) fail("ItemAlreadyExists", `A sheet named "${name}" already exists.`);
  }

  addSheet(name?: string): SheetModel {
    let n = name;
    if (n === undefined || n === null || n === "") {
      let k = this.sheets.length + 1;
      while (this.sheetNamed(`Sheet${k}`)) k++;
      n = `Sheet${k}`;
    }
    this.checkSheetName(n);
    const sheet = new SheetModel(this.newId("sheet"), n);
    this.sheets.push(sheet);
    if (!this.selection) this.selection = { sheet, areas: [{ r: 0, c: 0, rows: 1, cols: 1 }] };
    return sheet;
  }

  renameSheet(sheet: SheetModel, name: string): void {
    if (sheet.name === name) return;
    this.checkSheetName(name, sheet);
    sheet.name = name;
  }

  visibleCount(): number {
    return this.sheets.filter((s) => s.visibility === "Visible").length;
  }

  setVisibility(sheet: SheetModel, v: string): void {
    if (v !== "Visible" && v !== "Hidden" && v !== "VeryHidden") fail("InvalidArgument", `"${v}" is not a sheet visibility.`);
    if (v !== "Visible" && sheet.visibility === "Visible" && this.visibleCount() === 1) {
      fail("InvalidOperation", "A workbook must keep at least one visible sheet.");
    }
    sheet.visibility = v;
    if (v !== "Visible" && this.selection?.sheet === sheet) this.selectFirstVisible();
  }

  moveSheet(sheet: SheetModel, position: number): void {
    if (!Number.isInteger(position) || position < 0 || position >= this.sheets.length) fail("InvalidArgument", `Position ${position} is outside 0..${this.sheets.length - 1}.`);
    this.sheets.splice(this.sheets.indexOf(sheet), 1);
    this.sheets.splice(position, 0, sheet);
  }

  deleteSheet(sheet: SheetModel): void {
    if (this.sheets.length === 1) fail("InvalidOperation", "A workbook must keep at least one sheet.");
    if (sheet.visibility === "Visible" && this.visibleCount() === 1) fail("InvalidOperation", "A workbook must keep at least one visible sheet.");
    this.sheets.splice(this.sheets.indexOf(sheet), 1);
    sheet.deleted = true;
    for (const t of this.tablesOn(sheet)) t.deleted = true;
    this.tables = this.tables.filter((t) => !t.deleted);
    for (const ch of this.charts) if (ch.sheet === sheet) ch.deleted = true;
    this.charts = this.charts.filter((ch) => !ch.deleted);
    if (this.selection?.sheet === sheet) this.selectFirstVisible();
  }

  // ------------------------------------------------------------------ tables

  checkTableName(name: string, except?: TableModel): void {
    if (typeof name !== "string" || !/^[A-Za-z_\\][A-Za-z0-9_.\\]*$/.test(name) || name.length > 255 || /^[A-Za-z]{1,3}\d+$/.test(name) || /^[RrCc]\d*([Cc]\d*)?$/.test(name)) {
      fail("InvalidArgument", `"${name}" is not a valid table name.`);
    }
    const clash = this.tableNamed(name);
    if (clash && clash !== except) fail("ItemAlreadyExists", `A table named "${name}" already exists.`);
  }

  addTable(sheet: SheetModel, rect: Rect, hasHeaders: boolean): TableModel {
    if (!inSheet(rect)) fail("InvalidArgument", "The table range is outside the sheet.");
    let r = rect;
    if (!hasHeaders) {
      // Excel puts a header row above the data, pushing the data (in those columns) down one row.
      sheet.shiftRows(rect.r, 1, rect.c, rect.cols);
      this.shiftTables(sheet, rect.r, 1, rect.c, rect.cols);
      for (let k = 0; k < rect.cols; k++) sheet.set(rect.r, rect.c + k, `Column${k + 1}`);
      r = { ...rect, rows: rect.rows + 1 };
    }
    for (const t of this.tablesOn(sheet)) if (intersect(t.rect, r)) fail("InvalidOperation", `The range overlaps table "${t.name}".`);
    let k = 1;
    while (this.tableNamed(`Table${k}`)) k++;
    const table = new TableModel(this.newId("table"), `Table${k}`, sheet, r.r, r.c, r.rows, r.cols);
    // Headers become unique, non-blank text.
    const seen = new Set<string>();
    for (let j = 0; j < r.cols; j++) {
      let h = String(sheet.get(r.r, r.c + j));
      if (h === "") h = `Column${j + 1}`;
      let unique = h;
      for (let n = 2; seen.has(unique.toLowerCase()); n++) unique = `${h}${n}`;
      seen.add(unique.toLowerCase());
      sheet.set(r.r, r.c + j, unique);
    }
    if (r.rows === 1) {
      table.rows = 2;
      table.placeholder = true;
    }
    this.tables.push(table);
    return table;
  }

  /** Keeps tables that sit wholly inside a column band below `from` in step with a row shift. */
  shiftTables(sheet: SheetModel, from: number, by: number, c: number, cols: number, except?: TableModel): void {
    for (const t of this.tablesOn(sheet)) {
      if (t === except) continue;
      const inBand = t.c >= c && t.c + t.cols <= c + cols;
      const overlapsBand = t.c < c + cols && c < t.c + t.cols;
      if (t.r + t.rows <= from || !overlapsBand) continue;
      if (!inBand || t.r < from) fail("InsertDeleteConflict", `The operation would split table "${t.name}".`);
      t.r += by;
    }
  }

  addTableRows(table: TableModel, index: number | null, values: Scalar[][]): void {
    const n = values.length;
    if (n === 0) return;
    if (values.some((row) => !Array.isArray(row) || row.length !== table.cols)) fail("InvalidArgument", `Each new row must have ${table.cols} values.`);
    const body = table.rows - 1;
    let at = index === null || index === undefined ? body : index;
    if (at < 0 || at > body) fail("InvalidArgument", `Row index ${at} is outside the table.`);
    let insert = n;
    if (table.placeholder) {
      insert = n - 1;
      at = 0;
    }
    if (insert > 0) {
      const from = table.r + 1 + at;
      table.sheet.shiftRows(from, insert, table.c, table.cols);
      this.shiftTables(table.sheet, from, insert, table.c, table.cols, table);
      table.rows += insert;
    }
    table.placeholder = false;
    values.forEach((row, i) => row.forEach((v, k) => this.writeCell(table.sheet, table.r + 1 + at + i, table.c + k, v)));
  }

  deleteTableRow(table: TableModel, index: number): void {
    const body = table.rows - 1;
    if (index < 0 || index >= body) fail("InvalidArgument", `Row index ${index} is outside the table.`);
    if (body === 1) {
      for (let k = 0; k < table.cols; k++) table.sheet.set(table.r + 1, table.c + k, "");
      table.placeholder = true;
      return;
    }
    const row = table.r + 1 + index;
    for (let k = 0; k < table.cols; k++) table.sheet.set(row, table.c + k, "");
    table.sheet.shiftRows(row + 1, -1, table.c, table.cols);
    this.shiftTables(table.sheet, row + 1, -1, table.c, table.cols, table);
    table.rows -= 1;
  }

  // ------------------------------------------------------------------ cells

  /** Writes one cell as Range.values would (with Excel's parsing of typed text). null = unchanged. */
  writeCell(sheet: SheetModel, r: number, c: number, v: unknown): void {
    if (v === null) return;
    if (typeof v === "number" && !Number.isFinite(v)) fail("InvalidArgument", `${colName(c)}${r + 1}: ${v} is not a value Excel can store.`);
    if (typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean") fail("InvalidArgument", `${colName(c)}${r + 1}: ${JSON.stringify(v)} is not a cell value.`);
    const fmt = sheet.format(r, c);
    const out = coerce(v, fmt);
    sheet.set(r, c, out.value);
    if (out.formula) sheet.formulas.set(`${r},${c}`, out.formula);
    if (out.format) sheet.setFormat(r, c, out.format);
  }

  writeFormat(sheet: SheetModel, r: number, c: number, f: unknown): void {
    if (f === null) return;
    if (typeof f !== "string") fail("InvalidArgument", `${colName(c)}${r + 1}: number format ${JSON.stringify(f)} is not text.`);
    sheet.setFormat(r, c, f === "" ? "General" : f);
  }

  describe(sheet: SheetModel, rect: Rect): string {
    return rectAddress(rect, sheet.name);
  }
}
