/**
 * WorkbookGateway over Office.js. Every operation is one Excel.run (plus a clean-up run when a write
 * fails), its syncs and payloads measured by an IoMeter; the figures of the last operation are in
 * `lastReport` and passed to `onIo`. Operations are queued one after another, so two audit appends
 * started together cannot both pick the same "next free row".
 */
import type { CellValue, IoReport, RangeSnapshot, ReadOptions, SheetPlan, TableData, WorkbookGateway, WriteOptions, WriteRequest } from "../app/ports";
import { rangeAddress } from "../app/a1";
import { appendAuditRows, AUDIT_SHEET_NAME, AuditSheetRow, markAuditRowsSynced, readAuditRows, readAuditTip } from "./auditSheet";
import { ChunkLimits, DEFAULT_LIMITS } from "./blocks";
import { ExcelHost, officeExcelHost } from "./host";
import { IoMeter } from "./meter";
import { utf8Length } from "./payload";
import { intersectRects, loadedString, readRect, Rect, rectOf } from "./reader";
import { createSettingsStore, SettingsStore } from "./settings";
import { writeSheets } from "./writer";

export interface ExcelGatewayOptions {
  /** Payload and block limits; the defaults keep every sync under Excel on the web's 5 MB. */
  limits?: Partial<ChunkLimits>;
  /** Called after every operation with its figures. */
  onIo?: (operation: string, report: IoReport) => void;
  /** Cell updates per sync in updateTableCells (each is a couple of small requests). */
  maxCellUpdatesPerSync?: number;
}

export interface ExcelGateway extends WorkbookGateway {
  /** Figures of the most recent operation (null before the first). */
  readonly lastReport: IoReport | null;
  /** readAll also tells each row's sheet row (entry i is on row i + 2). */
  audit: Omit<WorkbookGateway["audit"], "readAll"> & { readAll(): Promise<AuditSheetRow[]> };
}

export function createExcelGateway(host: ExcelHost = officeExcelHost, settings: SettingsStore = createSettingsStore(), options: ExcelGatewayOptions = {}): ExcelGateway {
  const limits: ChunkLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const maxUpdates = options.maxCellUpdatesPerSync ?? 1000;
  let lastReport: IoReport | null = null;
  let queue: Promise<unknown> = Promise.resolve();

  /** Runs `work` after the previous operation has settled, with a fresh meter. */
  function op<T>(name: string, work: (meter: IoMeter) => Promise<T>): Promise<T> {
    const run = async () => {
      const meter = new IoMeter();
      try {
        return await work(meter);
      } finally {
        lastReport = meter.report();
        options.onIo?.(name, lastReport);
      }
    };
    const result = queue.then(run, run);
    queue = result.catch(() => undefined);
    return result;
  }

  function inRun<T>(name: string, body: (ctx: Excel.RequestContext, meter: IoMeter) => Promise<T>): Promise<T> {
    return op(name, (meter) => host.run((ctx) => body(ctx, meter)));
  }

  async function readArea(ctx: Excel.RequestContext, meter: IoMeter, sheet: Excel.Worksheet, sheetName: string, rect: Rect | null, fallback: Rect, options: ReadOptions): Promise<RangeSnapshot> {
    const r = rect ?? fallback;
    const phase = `Reading ${rangeAddress(sheetName, r.row, r.column, r.rowCount, r.columnCount)}`;
    options.onProgress?.({ phase, done: 0, total: Math.max(1, r.rowCount) });
    const values = rect ? await readRect(ctx, meter, sheet, rect, limits, (done, total) => options.onProgress?.({ phase, done, total })) : [];
    return { sheetName, address: rangeAddress(sheetName, r.row, r.column, r.rowCount, r.columnCount), firstRow: r.row, firstColumn: r.column, values };
  }

  /** The table, its sheet, header and data body position; null when there is no such table. */
  async function openTable(ctx: Excel.RequestContext, meter: IoMeter, tableName: string) {
    const table = ctx.workbook.tables.getItemOrNullObject(tableName);
    table.load("name");
    await meter.sync(ctx);
    if (table.isNullObject) return null;
    const sheet = table.worksheet;
    sheet.load("name");
    const header = table.getHeaderRowRange();
    header.load("values");
    const body = table.getDataBodyRange();
    body.load("rowIndex,columnIndex,rowCount,columnCount");
    await meter.sync(ctx);
    const headers = (header.values as unknown[][] | undefined)?.[0];
    if (!Array.isArray(headers)) throw new Error(`Excel returned ${JSON.stringify(headers)} for the headers of table "${tableName}" (was it read before context.sync?)`);
    meter.noteResponse(utf8Length(JSON.stringify(header.values)), headers.length);
    return {
      name: loadedString(table.name, "table.name"),
      sheet,
      sheetName: loadedString(sheet.name, "table worksheet name"),
      headers: headers.map((h) => String(h)),
      body: rectOf(body, "table data body"),
    };
  }

  /** Excel refuses getSelectedRange for several areas or a selected chart or shape: say what to do. */
  function explainSelection<T>(work: Promise<T>): Promise<T> {
    return work.catch((e: unknown) => {
      if ((e as { code?: string } | null)?.code === "InvalidSelection") {
        throw new Error("Select one block of cells (not several areas, a chart or a shape), then try again.");
      }
      throw e;
    });
  }

  /** Excel keeps one empty data row in a table that has no data; report it as no rows. */
  function dropPlaceholder(rows: unknown[][]): unknown[][] {
    return rows.length === 1 && rows[0].every((v) => v === "" || v === null) ? [] : rows;
  }

  const gateway: ExcelGateway = {
    get lastReport() {
      return lastReport;
    },

    readSelection(readOptions: ReadOptions = {}) {
      return explainSelection(inRun("readSelection", async (ctx, meter) => {
        const selection = ctx.workbook.getSelectedRange();
        selection.load("rowIndex,columnIndex,rowCount,columnCount");
        const sheet = selection.worksheet;
        sheet.load("name");
        const used = sheet.getUsedRangeOrNullObject(true);
        used.load("rowIndex,columnIndex,rowCount,columnCount");
        await meter.sync(ctx);
        const sel = rectOf(selection, "selection");
        // Whole-column selections (A:DH) would read a million blank rows: keep to the used cells.
        const rect = used.isNullObject ? null : intersectRects(sel, rectOf(used, "used range"));
        return readArea(ctx, meter, sheet, loadedString(sheet.name, "worksheet name"), rect, sel, readOptions);
      }));
    },

    readCurrentRegion(readOptions: ReadOptions = {}) {
      return explainSelection(inRun("readCurrentRegion", async (ctx, meter) => {
        const selection = ctx.workbook.getSelectedRange();
        const region = selection.getSurroundingRegion();
        region.load("rowIndex,columnIndex,rowCount,columnCount");
        const sheet = selection.worksheet;
        sheet.load("name");
        await meter.sync(ctx);
        const rect = rectOf(region, "current region");
        return readArea(ctx, meter, sheet, loadedString(sheet.name, "worksheet name"), rect, rect, readOptions);
      }));
    },

    readTable(tableName: string) {
      return inRun("readTable", async (ctx, meter): Promise<TableData | null> => {
        const t = await openTable(ctx, meter, tableName);
        if (!t) return null;
        const rows = await readRect(ctx, meter, t.sheet, t.body, limits);
        return { sheetName: t.sheetName, tableName: t.name, headers: t.headers, rows: dropPlaceholder(rows) };
      });
    },

    readSelectedTableRows(tableName: string) {
      return inRun("readSelectedTableRows", async (ctx, meter): Promise<TableData | null> => {
        const t = await openTable(ctx, meter, tableName);
        if (!t) return null;
        const selection = ctx.workbook.getSelectedRanges();
        selection.load("areaCount");
        const selSheet = selection.worksheet;
        selSheet.load("name");
        await meter.sync(ctx);
        const result: TableData = { sheetName: t.sheetName, tableName: t.name, headers: t.headers, rows: [] };
        if (loadedString(selSheet.name, "selection worksheet name") !== t.sheetName) return result;
        // Loading `areas` hangs Excel when the whole sheet is selected (OfficeDev/office-js#5758),
        // so a single area is read through getSelectedRange.
        let areas: Rect[];
        if (selection.areaCount === 1) {
          const one = ctx.workbook.getSelectedRange();
          one.load("rowIndex,columnIndex,rowCount,columnCount");
          await meter.sync(ctx);
          areas = [rectOf(one, "selection")];
        } else {
          selection.areas.load("items/rowIndex,items/columnIndex,items/rowCount,items/columnCount");
          await meter.sync(ctx);
          areas = selection.areas.items.map((a) => rectOf(a, "selected area"));
        }
        // Table rows (0-based within the body) touched by any selected area.
        const picked = new Set<number>();
        for (const area of areas) {
          const hit = intersectRects(area, t.body);
          if (!hit) continue;
          for (let r = hit.row; r < hit.row + hit.rowCount; r++) picked.add(r - t.body.row);
        }
        const sorted = [...picked].sort((a, b) => a - b);
        for (let i = 0; i < sorted.length; ) {
          let j = i;
          while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
          const rows = await readRect(ctx, meter, t.sheet, { row: t.body.row + sorted[i], column: t.body.column, rowCount: j - i + 1, columnCount: t.body.columnCount }, limits);
          result.rows.push(...rows);
          i = j + 1;
        }
        result.rows = dropPlaceholder(result.rows);
        return result;
      });
    },

    writeSheets(plans: SheetPlan[] | WriteRequest, writeOptions: WriteOptions = {}) {
      return op("writeSheets", (meter) => writeSheets(host, plans, writeOptions, limits, { reservedSheetNames: [AUDIT_SHEET_NAME] }, meter));
    },

    updateTableCells(tableName: string, keyHeader: string, updates: { key: string; header: string; value: CellValue }[]) {
      return inRun("updateTableCells", async (ctx, meter) => {
        if (updates.length === 0) return;
        const t = await openTable(ctx, meter, tableName);
        if (!t) throw new Error(`There is no table named "${tableName}" in this workbook.`);
        const col = (header: string) => {
          const exact = t.headers.indexOf(header);
          const i = exact >= 0 ? exact : t.headers.findIndex((h) => h.toLowerCase() === String(header).toLowerCase());
          if (i < 0) throw new Error(`Table "${t.name}" has no column "${header}" (its columns are ${t.headers.join(", ")}).`);
          return i;
        };
        const keyCol = col(keyHeader);
        const targets = updates.map((u) => {
          const v = u.value;
          if (typeof v === "number" && !Number.isFinite(v)) throw new Error(`Table "${t.name}", ${keyHeader} ${u.key}, ${u.header}: ${v} cannot be stored in a cell.`);
          if (v !== null && !["string", "number", "boolean"].includes(typeof v)) throw new Error(`Table "${t.name}", ${keyHeader} ${u.key}, ${u.header}: the value is not text, a number or a boolean.`);
          return { u, column: col(u.header) };
        });
        const keys = await readRect(ctx, meter, t.sheet, { row: t.body.row, column: t.body.column + keyCol, rowCount: t.body.rowCount, columnCount: 1 }, limits);
        const rowOf = new Map<string, number>();
        const duplicates = new Map<string, number[]>();
        keys.forEach((k, i) => {
          const key = String(k[0] ?? "");
          if (key === "") return;
          if (rowOf.has(key)) duplicates.set(key, [...(duplicates.get(key) ?? [rowOf.get(key)!]), i]);
          else rowOf.set(key, i);
        });
        const cells = targets.map(({ u, column }) => {
          const key = String(u.key);
          const dup = duplicates.get(key);
          if (dup) throw new Error(`Table "${t.name}": ${keyHeader} "${key}" appears on ${dup.length} rows (sheet rows ${dup.map((i) => t.body.row + i + 1).join(", ")}); cannot tell which to update.`);
          const row = rowOf.get(key);
          if (row === undefined) throw new Error(`Table "${t.name}" has no row with ${keyHeader} "${key}".`);
          return { row: t.body.row + row, column: t.body.column + column, value: u.value };
        });
        let queued = 0;
        for (const cell of cells) {
          const range = t.sheet.getRangeByIndexes(cell.row, cell.column, 1, 1);
          if (typeof cell.value === "string") meter.setNumberFormat(range, [["@"]]);
          meter.setValues(range, [[cell.value === null ? "" : cell.value]]);
          if (++queued >= maxUpdates || meter.pendingRequestBytes >= limits.budgetBytes) {
            await meter.sync(ctx);
            queued = 0;
          }
        }
        if (queued > 0) await meter.sync(ctx);
      });
    },

    settings,

    audit: {
      append(rows) {
        return inRun("audit.append", (ctx, meter) => appendAuditRows(ctx, meter, rows, limits));
      },
      readAll() {
        return inRun("audit.readAll", (ctx, meter) => readAuditRows(ctx, meter, limits));
      },
      tip() {
        return inRun("audit.tip", (ctx, meter) => readAuditTip(ctx, meter));
      },
      markSynced(entryIds: string[]) {
        return inRun("audit.markSynced", (ctx, meter) => markAuditRowsSynced(ctx, meter, entryIds, limits));
      },
    },
  };
  return gateway;
}
