/**
 * An in-memory WorkbookGateway for the service and component tests: sheets of cells, Excel tables,
 * charts, a selection, workbook settings and the audit rows. It keeps the contract of
 * src/app/ports.ts (all-or-nothing writeSheets with abort, tables addressed by key) without any
 * Office.js, and counts what a real workbook would see (writes in blocks, "syncs", payload bytes).
 */
import { cellAddress, parseRange, quoteSheetName } from "../../src/app/a1";
import { GENESIS_HASH } from "../../src/engine/audit";
import type {
  AuditRow,
  AuditTip,
  CellValue,
  ChartBlock,
  IoReport,
  RangeSnapshot,
  SheetPlan,
  TableData,
  WorkbookGateway,
  WriteOptions,
  WriteRequest,
} from "../../src/app/ports";

export interface MemoryTable {
  sheetName: string;
  tableName: string;
  anchorRow: number;
  anchorCol: number;
  headers: string[];
  rows: CellValue[][];
  numberFormats?: Record<string, string>;
}

export interface MemorySheet {
  name: string;
  cells: CellValue[][];
  visibility: "visible" | "hidden" | "veryHidden";
}

interface State {
  sheets: Map<string, MemorySheet>;
  tables: Map<string, MemoryTable>;
  charts: Map<string, ChartBlock & { sheetName: string }>;
}

/** Deep copy of plain data, Maps and arrays (structuredClone is missing from jest's jsdom). */
function clone<T>(x: T): T {
  if (Array.isArray(x)) return x.map(clone) as T;
  if (x instanceof Map) return new Map([...x].map(([k, v]) => [k, clone(v)])) as T;
  if (x && typeof x === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) out[k] = clone(v);
    return out as T;
  }
  return x;
}

export function abortError(): Error {
  const e = new Error("The write was cancelled; the workbook is as it was before.");
  e.name = "AbortError";
  return e;
}

export class MemoryGateway implements WorkbookGateway {
  state: State = { sheets: new Map(), tables: new Map(), charts: new Map() };
  selection: { sheetName: string; address: string } | null = null;
  settingsStore = new Map<string, unknown>();
  auditRows: AuditRow[] = [];
  /** Rows per write block (a "sync" each). */
  blockRows = 5000;
  /** Throw after this many blocks of the next writeSheets (failure injection). */
  failAfterBlocks: number | null = null;
  /** Fail the next write when it appends its audit rows (after the sheets). */
  failAuditAppend = false;
  /** Calls made, for assertions. */
  calls: string[] = [];
  lastReport: IoReport | null = null;

  /** Adds a sheet with values starting at A1. */
  addSheet(name: string, rows: CellValue[][]): this {
    this.state.sheets.set(name, { name, cells: rows.map((r) => [...r]), visibility: "visible" });
    return this;
  }

  select(sheetName: string, address: string): this {
    this.selection = { sheetName, address };
    return this;
  }

  /** Selects table rows (0-based data row indexes, inclusive) of a table, all columns. */
  selectTableRows(tableName: string, firstRow: number, lastRow = firstRow): this {
    const t = this.mustTable(tableName);
    const r1 = t.anchorRow + 1 + firstRow;
    const r2 = t.anchorRow + 1 + lastRow;
    return this.select(t.sheetName, `${cellAddress(r1, t.anchorCol)}:${cellAddress(r2, t.anchorCol + t.headers.length - 1)}`);
  }

  table(name: string): MemoryTable | undefined {
    return this.state.tables.get(name);
  }

  /** Simulates a user typing into a table cell. */
  editTableCell(tableName: string, rowIndex: number, header: string, value: CellValue): void {
    const t = this.mustTable(tableName);
    const c = t.headers.indexOf(header);
    if (c < 0) throw new Error(`no column ${header} in ${tableName}`);
    t.rows[rowIndex][c] = value;
    this.renderTable(t);
  }

  sheet(name: string): MemorySheet | undefined {
    return this.state.sheets.get(name);
  }

  private mustTable(name: string): MemoryTable {
    const t = this.state.tables.get(name);
    if (!t) throw new Error(`no table named ${name}`);
    return t;
  }

  private snapshotOf(sheetName: string, r1: number, c1: number, r2: number, c2: number): RangeSnapshot {
    const sheet = this.state.sheets.get(sheetName);
    if (!sheet) throw new Error(`no sheet named ${sheetName}`);
    const values: unknown[][] = [];
    for (let r = r1; r <= r2; r++) {
      const row = sheet.cells[r] ?? [];
      const out: unknown[] = [];
      for (let c = c1; c <= c2; c++) out.push(row[c] ?? "");
      values.push(out);
    }
    const address = `${quoteSheetName(sheetName)}!${cellAddress(r1, c1)}:${cellAddress(r2, c2)}`;
    return { sheetName, address, firstRow: r1, firstColumn: c1, values };
  }

  async readSelection(): Promise<RangeSnapshot> {
    this.calls.push("readSelection");
    if (!this.selection) throw new Error("Nothing is selected.");
    const p = parseRange(this.selection.address);
    return this.snapshotOf(this.selection.sheetName, p.row1, p.col1, p.row2, p.col2);
  }

  async readCurrentRegion(): Promise<RangeSnapshot> {
    this.calls.push("readCurrentRegion");
    if (!this.selection) throw new Error("Nothing is selected.");
    const sheet = this.state.sheets.get(this.selection.sheetName);
    if (!sheet) throw new Error(`no sheet named ${this.selection.sheetName}`);
    const p = parseRange(this.selection.address);
    const filled = (r: number, c: number) => {
      const v = sheet.cells[r]?.[c];
      return v !== null && v !== undefined && v !== "";
    };
    let { row1: r1, col1: c1, row2: r2, col2: c2 } = p;
    // grow the rectangle while a neighbouring row or column (diagonals included) holds a value
    for (let grown = true; grown; ) {
      grown = false;
      const rowHas = (r: number) => r >= 0 && Array.from({ length: c2 - c1 + 3 }, (_, i) => c1 - 1 + i).some((c) => c >= 0 && filled(r, c));
      const colHas = (c: number) => c >= 0 && Array.from({ length: r2 - r1 + 3 }, (_, i) => r1 - 1 + i).some((r) => r >= 0 && filled(r, c));
      if (rowHas(r1 - 1)) {
        r1--;
        grown = true;
      }
      if (rowHas(r2 + 1)) {
        r2++;
        grown = true;
      }
      if (colHas(c1 - 1)) {
        c1--;
        grown = true;
      }
      if (colHas(c2 + 1)) {
        c2++;
        grown = true;
      }
    }
    return this.snapshotOf(this.selection.sheetName, r1, c1, r2, c2);
  }

  async readTable(tableName: string): Promise<TableData | null> {
    this.calls.push(`readTable:${tableName}`);
    return this.readTableQuietly(tableName);
  }

  private async readTableQuietly(tableName: string): Promise<TableData | null> {
    const t = this.state.tables.get(tableName);
    if (!t) return null;
    return { sheetName: t.sheetName, tableName, headers: [...t.headers], rows: clone(t.rows) };
  }

  /** The end of the audit chain, as the gateway would read it from the sheet. */
  private auditTip(): AuditTip {
    const n = this.auditRows.length;
    return { entries: n, lastHash: n ? this.auditRows[n - 1].entryHash : GENESIS_HASH };
  }

  async writeSheets(request: SheetPlan[] | WriteRequest, options: WriteOptions = {}): Promise<IoReport> {
    const start = Date.now();
    let plans: SheetPlan[];
    let auditRows: AuditRow[] = [];
    if (Array.isArray(request)) plans = request;
    else {
      const tables: Record<string, TableData | null> = {};
      for (const name of request.readTables ?? []) tables[name] = await this.readTableQuietly(name);
      const prepared = await request.prepare({ sheets: [...this.state.sheets.keys()], tables, audit: this.auditTip() });
      if (prepared === null) {
        this.calls.push("writeSheets:declined");
        this.lastReport = { syncs: 1, largestPayloadBytes: 0, cells: 0, ms: Date.now() - start, declined: true };
        return this.lastReport;
      }
      plans = prepared.plans;
      auditRows = prepared.auditRows ?? [];
    }
    this.calls.push(`writeSheets:${plans.map((p) => p.sheetName).join(",")}`);
    const before = clone(this.state);
    const auditBefore = this.auditRows.length;
    let syncs = 0;
    let largest = 0;
    let cells = 0;
    const total = plans.reduce((s, p) => s + p.blocks.reduce((b, x) => b + (x.kind === "table" ? x.rows.length + 1 : 1), 0), 0);
    let done = 0;
    const fail = this.failAfterBlocks;
    this.failAfterBlocks = null;
    try {
      for (const plan of plans) {
        // rewrite the sheet in place: its old tables and charts go, its cells are cleared
        for (const [name, t] of this.state.tables) if (t.sheetName === plan.sheetName) this.state.tables.delete(name);
        for (const [name, c] of this.state.charts) if (c.sheetName === plan.sheetName) this.state.charts.delete(name);
        const existing = this.state.sheets.get(plan.sheetName);
        this.state.sheets.set(plan.sheetName, { name: plan.sheetName, cells: [], visibility: plan.visibility ?? existing?.visibility ?? "visible" });
        for (const block of plan.blocks) {
          if (block.kind === "chart") {
            this.state.charts.set(block.name, { ...clone(block), sheetName: plan.sheetName });
            done++;
            continue;
          }
          for (const other of this.state.tables.values()) {
            if (other.tableName === block.tableName) throw new Error(`table name ${block.tableName} is already used on sheet ${other.sheetName}`);
          }
          const a = parseRange(block.anchor);
          const table: MemoryTable = {
            sheetName: plan.sheetName,
            tableName: block.tableName,
            anchorRow: a.row1,
            anchorCol: a.col1,
            headers: [...block.headers],
            rows: [],
            numberFormats: block.numberFormats ? { ...block.numberFormats } : undefined,
          };
          this.state.tables.set(block.tableName, table);
          for (let i = 0; i < block.rows.length || i === 0; i += this.blockRows) {
            if (options.signal?.aborted) throw abortError();
            if (fail !== null && syncs >= fail) throw new Error("simulated failure while writing");
            const chunk = block.rows.slice(i, i + this.blockRows);
            for (const row of chunk) {
              if (row.length !== block.headers.length) throw new Error(`table ${block.tableName}: a row has ${row.length} cells for ${block.headers.length} headers`);
              table.rows.push([...row]);
            }
            cells += chunk.length * block.headers.length;
            largest = Math.max(largest, JSON.stringify(chunk).length);
            syncs++;
            done += chunk.length + (i === 0 ? 1 : 0);
            options.onProgress?.({ phase: `Writing ${plan.sheetName}`, done: Math.min(done, total), total });
            await new Promise((r) => setTimeout(r, 0));
          }
          this.renderTable(table);
        }
      }
      if (options.signal?.aborted) throw abortError();
      if (auditRows.length) {
        if (this.failAuditAppend) {
          this.failAuditAppend = false;
          throw new Error("simulated failure while appending the audit rows");
        }
        if (!this.state.sheets.has("SEG_Audit")) this.state.sheets.set("SEG_Audit", { name: "SEG_Audit", cells: [], visibility: "veryHidden" });
        this.auditRows.push(...clone(auditRows));
      }
    } catch (e) {
      this.state = before;
      this.auditRows.length = auditBefore;
      throw e;
    }
    this.lastReport = { syncs, largestPayloadBytes: largest, cells, ms: Date.now() - start };
    return this.lastReport;
  }

  private renderTable(t: MemoryTable): void {
    const sheet = this.state.sheets.get(t.sheetName)!;
    const put = (r: number, c: number, v: CellValue) => {
      while (sheet.cells.length <= r) sheet.cells.push([]);
      sheet.cells[r][c] = v;
    };
    t.headers.forEach((h, c) => put(t.anchorRow, t.anchorCol + c, h));
    t.rows.forEach((row, i) => row.forEach((v, c) => put(t.anchorRow + 1 + i, t.anchorCol + c, v)));
  }

  async updateTableCells(tableName: string, keyHeader: string, updates: { key: string; header: string; value: CellValue }[]): Promise<void> {
    this.calls.push(`updateTableCells:${tableName}`);
    const t = this.mustTable(tableName);
    const k = t.headers.indexOf(keyHeader);
    if (k < 0) throw new Error(`table ${tableName} has no column ${keyHeader}`);
    const index = new Map<string, number>();
    t.rows.forEach((r, i) => index.set(String(r[k]), i));
    // check everything first: all or nothing
    const resolved = updates.map((u) => {
      const i = index.get(u.key);
      if (i === undefined) throw new Error(`table ${tableName} has no row with ${keyHeader} ${u.key}`);
      const c = t.headers.indexOf(u.header);
      if (c < 0) throw new Error(`table ${tableName} has no column ${u.header}`);
      return { i, c, value: u.value };
    });
    for (const u of resolved) t.rows[u.i][u.c] = u.value;
    this.renderTable(t);
  }

  async readSelectedTableRows(tableName: string): Promise<TableData | null> {
    this.calls.push(`readSelectedTableRows:${tableName}`);
    const t = this.state.tables.get(tableName);
    if (!t || !this.selection || this.selection.sheetName !== t.sheetName) return null;
    const p = parseRange(this.selection.address);
    const first = Math.max(p.row1, t.anchorRow + 1) - (t.anchorRow + 1);
    const last = Math.min(p.row2, t.anchorRow + t.rows.length) - (t.anchorRow + 1);
    const colsHit = p.col2 >= t.anchorCol && p.col1 <= t.anchorCol + t.headers.length - 1;
    if (last < first || !colsHit) return null;
    return { sheetName: t.sheetName, tableName, headers: [...t.headers], rows: clone(t.rows.slice(first, last + 1)) };
  }

  settings = {
    get: <T>(key: string): T | undefined => {
      const v = this.settingsStore.get(key);
      return v === undefined ? undefined : (clone(v) as T);
    },
    set: async (key: string, value: unknown): Promise<void> => {
      this.settingsStore.set(key, clone(value));
    },
  };

  audit = {
    append: async (rows: AuditRow[]): Promise<void> => {
      this.calls.push("audit.append");
      if (!this.state.sheets.has("SEG_Audit")) this.state.sheets.set("SEG_Audit", { name: "SEG_Audit", cells: [], visibility: "veryHidden" });
      this.auditRows.push(...clone(rows));
    },
    readAll: async (): Promise<AuditRow[]> => clone(this.auditRows),
    tip: async (): Promise<AuditTip> => this.auditTip(),
    markSynced: async (entryIds: string[]): Promise<void> => {
      const ids = new Set(entryIds);
      for (const r of this.auditRows) if (ids.has(r.entryId)) r.syncState = "synced";
    },
  };
}
