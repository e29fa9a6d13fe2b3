/**
 * writeSheets: all-or-nothing replacement of whole sheets.
 *
 * 1. inspect (1 sync): existing sheets, tables, the active sheet and the calculation mode.
 * 2. stage: every plan is written into a new hidden sheet "~seg-stage-<token>-<n>" in row blocks
 *    packed into syncs of at most `budgetBytes` of cell JSON; calculation is switched to manual for
 *    the whole write and screen updating is suspended for the syncs that change what is visible.
 * 3. finish (1 sync): Excel tables over the staged blocks (temporary names) and the charts.
 * 4. swap (1 sync): old sheets and their clashing tables are renamed away, staging sheets and
 *    tables take the final names and the old sheets' positions, then the old sheets are deleted.
 * Abort (checked before every sync up to the swap) or failure: a separate Excel.run deletes the
 * staging sheets, and, if the swap was interrupted, puts the old sheets and table names back, so
 * the workbook is as it was. Limits are in docs/excel-layer.md (formulas pointing at a replaced
 * sheet become #REF!, anything else a user put on a replaced sheet goes with it).
 */
import type { CellValue, IoReport, ParetoChartBlock, Progress, SheetPlan, TableBlock, WriteOptions } from "../app/ports";
import { cellAddress, MAX_COLUMNS, MAX_ROWS, parseCell } from "../app/a1";
import { ChunkLimits, nextWriteSync } from "./blocks";
import { abortError, errorMessage, ExcelHost } from "./host";
import { IoMeter } from "./meter";
import { sheetNameProblem, tableNameProblem } from "./names";
import { utf8Length } from "./payload";
import { loadedNumber, loadedString } from "./reader";

export const STAGE_PREFIX = "~seg-stage-";
export const BACKUP_PREFIX = "~seg-old-";

/** Columns and rows a chart block spans on the sheet (about 20 x 12 default-size cells). */
const CHART_ROWS = 20;
const CHART_COLUMNS = 12;

interface PreparedTable {
  block: TableBlock;
  plan: number;
  row: number;
  column: number;
  columns: number;
  rows: number;
  /** JSON bytes each data row adds to a request (values plus number formats). */
  rowBytes: number[];
  headerBytes: number;
  /** Per column: the number format to send for each cell, or null when the column needs none. */
  formatOf: (((v: CellValue) => string) | null)[];
  tempName: string;
}

interface PreparedChart {
  block: ParetoChartBlock;
  plan: number;
  table: PreparedTable;
  valueColumn: number;
  categoryColumn: number;
  cumulativeColumn: number;
  anchor: { row: number; column: number };
}

interface PreparedPlan {
  plan: SheetPlan;
  stagingName: string;
  backupName: string;
  tables: PreparedTable[];
  charts: PreparedChart[];
}

interface OldSheet {
  plan: number;
  id: string;
  name: string;
  position: number;
  /** Tables on the old sheet whose names the new tables need: [original, backup]. */
  tableRenames: [string, string][];
}

interface WriteState {
  token: string;
  touched: boolean;
  stagingIds: (string | null)[];
  old: OldSheet[];
  calculationMode: string | null;
  swapStarted: boolean;
}

/** Names reserved by the gateway itself (the audit sheet): writeSheets refuses them. */
export interface WriteRules {
  reservedSheetNames: string[];
}

export async function writeSheets(host: ExcelHost, plans: SheetPlan[], options: WriteOptions, limits: ChunkLimits, rules: WriteRules, meter: IoMeter): Promise<IoReport> {
  const { signal, onProgress } = options;
  const token = randomToken();
  const prepared = prepare(plans, token, rules, limits);
  const flat = prepared.flatMap((p) => p.tables);
  const totalRows = flat.reduce((n, t) => n + t.rows, 0);
  const progress = (phase: string, done: number) => onProgress?.({ phase, done, total: totalRows } satisfies Progress);
  const checkAbort = () => {
    if (signal?.aborted) throw abortError();
  };
  const state: WriteState = { token, touched: false, stagingIds: prepared.map(() => null), old: [], calculationMode: null, swapStarted: false };
  progress("prepare", 0);
  checkAbort();
  if (prepared.length === 0) return meter.report();

  try {
    await host.run(async (ctx) => {
      const wb = ctx.workbook;
      const app = wb.application;
      // 1. inspect
      const sheets = wb.worksheets;
      sheets.load("items/name,items/id,items/position");
      const tables = wb.tables;
      tables.load("items/name,items/worksheet/name");
      const active = sheets.getActiveWorksheet();
      active.load("name");
      app.load("calculationMode");
      await meter.sync(ctx);

      const existing = sheets.items.map((s) => ({
        name: loadedString(s.name, "worksheet.name"),
        id: loadedString(s.id, "worksheet.id"),
        position: loadedNumber(s.position, "worksheet.position"),
      }));
      const stale = existing.filter((s) => s.name.startsWith(STAGE_PREFIX));
      const replaced = new Map<string, number>(); // lower-case old sheet name -> plan index
      prepared.forEach((p, i) => {
        const old = existing.find((s) => s.name.toLowerCase() === p.plan.sheetName.toLowerCase());
        if (!old) return;
        const position = old.position - stale.filter((s) => s.position < old.position).length;
        state.old.push({ plan: i, id: old.id, name: old.name, position, tableRenames: [] });
        replaced.set(old.name.toLowerCase(), i);
      });
      const newTableNames = new Map(flat.map((t) => [t.block.tableName.toLowerCase(), t]));
      let backupTables = 0;
      for (const t of tables.items) {
        const name = loadedString(t.name, "table.name");
        const sheetName = loadedString(t.worksheet.name, "table.worksheet.name");
        const clash = newTableNames.get(name.toLowerCase());
        if (!clash) continue;
        const plan = replaced.get(sheetName.toLowerCase());
        if (plan === undefined) {
          throw new Error(`A table named "${name}" already exists on sheet "${sheetName}". Rename or delete that table, then write again.`);
        }
        state.old.find((o) => o.plan === plan)!.tableRenames.push([name, `SEG_OLD_${token}_${++backupTables}`]);
      }
      const activeName = loadedString(active.name, "active worksheet name");
      const activeOld = state.old.find((o) => o.name === activeName);
      state.calculationMode = String(app.calculationMode);
      checkAbort();

      // 2. stage: hidden sheets, then row blocks; the first blocks ride along with the setup.
      state.touched = true;
      app.suspendScreenUpdatingUntilNextSync();
      if (state.calculationMode !== "Manual") app.calculationMode = "Manual";
      for (const s of stale) sheets.getItem(s.id).delete();
      const staging = prepared.map((p) => {
        const ws = sheets.add(p.stagingName);
        ws.visibility = "Hidden";
        ws.load("id");
        return ws;
      });
      let t = 0;
      let r = -1; // -1: the header row of flat[t] is still to be written
      let rowsDone = 0;
      let first = true;
      while (t < flat.length) {
        if (!first) checkAbort();
        let spentBytes = meter.pendingRequestBytes;
        let spentCells = 0;
        while (t < flat.length) {
          const T = flat[t];
          const ws = staging[T.plan];
          if (r === -1) {
            if (spentBytes > 0 && spentBytes + T.headerBytes > limits.budgetBytes) break;
            const header = ws.getRangeByIndexes(T.row, T.column, 1, T.columns);
            meter.setNumberFormat(header, [T.block.headers.map(() => "@")]);
            meter.setValues(header, [T.block.headers.slice()]);
            spentBytes += T.headerBytes;
            spentCells += T.columns;
            r = 0;
          }
          const blocks = nextWriteSync(r, T.rowBytes, T.columns, limits, spentBytes, spentCells);
          for (const b of blocks) {
            queueBlock(ws, T, b.start, b.rows, meter);
            for (let i = b.start; i < b.start + b.rows; i++) spentBytes += T.rowBytes[i];
            spentCells += b.rows * T.columns;
            r = b.start + b.rows;
            rowsDone += b.rows;
          }
          if (r < T.rows) break; // this sync is full
          t++;
          r = -1;
        }
        await meter.sync(ctx);
        if (first) {
          state.stagingIds = staging.map((ws) => loadedString(ws.id, "staging worksheet id"));
          first = false;
        }
        progress("write", rowsDone);
      }
      if (first) {
        // Nothing but empty tables: the setup still has to reach Excel.
        await meter.sync(ctx);
        state.stagingIds = staging.map((ws) => loadedString(ws.id, "staging worksheet id"));
      }

      // 3. finish: tables and charts on the staging sheets.
      checkAbort();
      const tableProxies = flat.map((T) => {
        const ws = staging[T.plan];
        const bodyRows = Math.max(T.rows, 0);
        const table = ws.tables.add(ws.getRangeByIndexes(T.row, T.column, bodyRows + 1, T.columns), true);
        table.name = T.tempName;
        return table;
      });
      for (const p of prepared) for (const c of p.charts) addChart(staging, c);
      await meter.sync(ctx);
      progress("finish", rowsDone);

      // 4. swap: rename old away, new into place, then delete the old sheets.
      checkAbort();
      state.swapStarted = true;
      app.suspendScreenUpdatingUntilNextSync();
      for (const o of state.old) {
        sheets.getItem(o.id).name = prepared[o.plan].backupName;
        for (const [original, backup] of o.tableRenames) wb.tables.getItem(original).name = backup;
      }
      flat.forEach((T, i) => (tableProxies[i].name = T.block.tableName));
      const byPosition = prepared.map((p, i) => ({ i, old: state.old.find((o) => o.plan === i) }));
      byPosition.sort((a, b) => (a.old?.position ?? Infinity) - (b.old?.position ?? Infinity));
      let placed = 0;
      for (const { i, old } of byPosition) {
        const ws = staging[i];
        ws.name = prepared[i].plan.sheetName;
        ws.visibility = "Visible";
        if (old) ws.position = old.position + placed++;
      }
      if (activeOld) staging[activeOld.plan].activate();
      for (const o of state.old) sheets.getItem(o.id).delete();
      if (state.calculationMode !== "Manual") app.calculationMode = state.calculationMode as Excel.CalculationMode;
      await meter.sync(ctx);
      progress("done", rowsDone);
    });
  } catch (e) {
    if (state.touched) {
      try {
        await restore(host, prepared, state, meter);
      } catch (cleanup) {
        const err = new Error(
          `${errorMessage(e)} Putting the workbook back also failed (${errorMessage(cleanup)}): look for hidden sheets named ${STAGE_PREFIX}${token}-... or ${BACKUP_PREFIX}${token}-...`,
        );
        err.name = (e as Error)?.name ?? "Error";
        throw err;
      }
    }
    throw e;
  }
  return meter.report();
}

/** Undo after abort or failure (its own Excel.run: the failed context may be unusable). */
async function restore(host: ExcelHost, prepared: PreparedPlan[], state: WriteState, meter: IoMeter): Promise<void> {
  await host.run(async (ctx) => {
    const sheets = ctx.workbook.worksheets;
    sheets.load("items/name,items/id");
    const tables = ctx.workbook.tables;
    tables.load("items/name");
    await meter.sync(ctx);
    const byId = new Map(sheets.items.map((s) => [s.id, s.name]));
    const stagePrefix = `${STAGE_PREFIX}${state.token}-`;
    const backupPrefix = `${BACKUP_PREFIX}${state.token}-`;
    // If every staging sheet already carries its final name, the swap's renames all happened and
    // only deleting the old sheets failed: finish the job rather than undo it.
    const swapped =
      state.swapStarted && prepared.every((p, i) => state.stagingIds[i] !== null && byId.get(state.stagingIds[i]!)?.toLowerCase() === p.plan.sheetName.toLowerCase());
    if (swapped) {
      for (const s of sheets.items) if (s.name.startsWith(backupPrefix)) s.delete();
    } else {
      const stagingIds = new Set(state.stagingIds.filter((id): id is string => id !== null));
      for (const s of sheets.items) if (stagingIds.has(s.id) || s.name.startsWith(stagePrefix)) s.delete();
      const tableNames = new Set(tables.items.map((t) => t.name));
      for (const o of state.old) {
        if (!byId.has(o.id)) continue;
        if (byId.get(o.id) !== o.name) sheets.getItem(o.id).name = o.name;
        for (const [original, backup] of o.tableRenames) if (tableNames.has(backup)) ctx.workbook.tables.getItem(backup).name = original;
      }
    }
    if (state.calculationMode !== null && state.calculationMode !== "Manual") ctx.workbook.application.calculationMode = state.calculationMode as Excel.CalculationMode;
    await meter.sync(ctx);
  });
}

function queueBlock(ws: Excel.Worksheet, T: PreparedTable, start: number, rows: number, meter: IoMeter): void {
  const top = T.row + 1 + start;
  const source = T.block.rows;
  // Number formats go first so that text lands in "@" cells and is kept as typed.
  T.formatOf.forEach((fmt, c) => {
    if (!fmt) return;
    const formats: string[][] = new Array(rows);
    for (let i = 0; i < rows; i++) formats[i] = [fmt(source[start + i][c])];
    meter.setNumberFormat(ws.getRangeByIndexes(top, T.column + c, rows, 1), formats);
  });
  const values: CellValue[][] = new Array(rows);
  for (let i = 0; i < rows; i++) values[i] = source[start + i].map((v) => (v === null || v === undefined ? "" : v));
  meter.setValues(ws.getRangeByIndexes(top, T.column, rows, T.columns), values);
}

function addChart(staging: Excel.Worksheet[], c: PreparedChart): void {
  const T = c.table;
  const points = Math.min(c.block.maxPoints, T.rows);
  if (points === 0) return; // nothing to chart
  const source = staging[T.plan];
  const ws = staging[c.plan];
  const column = (k: number, withHeader: boolean) =>
    withHeader ? source.getRangeByIndexes(T.row, T.column + k, points + 1, 1) : source.getRangeByIndexes(T.row + 1, T.column + k, points, 1);
  // A clustered column of value with the cumulative share as a line on a secondary axis: Excel's
  // own Pareto chart type sorts and accumulates by itself and cannot take our cumulative column.
  const chart = ws.charts.add("ColumnClustered", column(c.valueColumn, true), "Columns");
  chart.name = c.block.name;
  chart.title.text = `${c.block.valueHeader} by ${c.block.categoryHeader} (first ${points})`;
  chart.setPosition(cellAddress(c.anchor.row, c.anchor.column), cellAddress(Math.min(MAX_ROWS - 1, c.anchor.row + CHART_ROWS - 1), Math.min(MAX_COLUMNS - 1, c.anchor.column + CHART_COLUMNS - 1)));
  const categories = column(c.categoryColumn, false);
  chart.series.getItemAt(0).setXAxisValues(categories);
  const line = chart.series.add(c.block.cumulativeHeader);
  line.setValues(column(c.cumulativeColumn, false));
  line.setXAxisValues(categories);
  line.chartType = "Line";
  line.axisGroup = "Secondary";
  const axis = chart.axes.getItem("Value", "Secondary");
  axis.maximum = 1;
  axis.minimum = 0;
  axis.numberFormat = "0%";
  chart.legend.position = "Bottom";
}

// ---------------------------------------------------------------------------------------------
// Validation and preparation (no Excel involved): everything wrong with the plans is reported
// before the first request.

function prepare(plans: SheetPlan[], token: string, rules: WriteRules, limits: ChunkLimits): PreparedPlan[] {
  const sheetNames = new Set<string>();
  const tableNames = new Map<string, PreparedTable>();
  const reserved = new Set(rules.reservedSheetNames.map((n) => n.toLowerCase()));
  const prepared: PreparedPlan[] = plans.map((plan, p) => {
    const problem = sheetNameProblem(plan.sheetName);
    if (problem) throw new Error(`Cannot write sheet: ${problem}.`);
    const key = plan.sheetName.toLowerCase();
    if (reserved.has(key)) throw new Error(`Sheet "${plan.sheetName}" is reserved by the add-in and cannot be replaced.`);
    if (key.startsWith(STAGE_PREFIX) || key.startsWith(BACKUP_PREFIX)) throw new Error(`Sheet names starting with "~seg-" are used by the add-in itself.`);
    if (sheetNames.has(key)) throw new Error(`Sheet "${plan.sheetName}" appears twice in one write.`);
    sheetNames.add(key);
    const tables: PreparedTable[] = [];
    for (const block of plan.blocks) {
      if (block.kind !== "table") continue;
      const T = prepareTable(block, p, plan.sheetName, `SEG_STAGE_${token}_${tableNames.size + 1}`);
      const huge = T.rowBytes.findIndex((b) => b > limits.budgetBytes);
      if (huge >= 0) {
        throw new Error(`Sheet "${plan.sheetName}", table "${block.tableName}": row ${huge + 1} alone is ${T.rowBytes[huge]} bytes, more than one request to Excel may carry (${limits.budgetBytes}).`);
      }
      const tk = block.tableName.toLowerCase();
      if (tableNames.has(tk)) throw new Error(`Table "${block.tableName}" appears twice in one write.`);
      tableNames.set(tk, T);
      for (const other of tables) {
        if (overlaps(T, other)) throw new Error(`On sheet "${plan.sheetName}", table "${block.tableName}" overlaps table "${other.block.tableName}".`);
      }
      tables.push(T);
    }
    return { plan, stagingName: `${STAGE_PREFIX}${token}-${p + 1}`, backupName: `${BACKUP_PREFIX}${token}-${p + 1}`, tables, charts: [] };
  });
  prepared.forEach((pp, p) => {
    for (const block of pp.plan.blocks) {
      if (block.kind === "table") continue;
      if (block.kind !== "paretoChart") throw new Error(`Sheet "${pp.plan.sheetName}": unknown block kind "${(block as { kind: string }).kind}".`);
      pp.charts.push(prepareChart(block, p, pp.plan.sheetName, tableNames));
    }
  });
  return prepared;
}

function prepareTable(block: TableBlock, plan: number, sheetName: string, tempName: string): PreparedTable {
  const where = `Sheet "${sheetName}", table "${block.tableName}"`;
  const problem = tableNameProblem(block.tableName);
  if (problem) throw new Error(`${where}: ${problem}.`);
  let anchor: { row: number; column: number };
  try {
    anchor = parseCell(block.anchor);
  } catch (e) {
    throw new Error(`${where}: anchor ${errorMessage(e)}.`);
  }
  const headers = block.headers;
  const columns = headers.length;
  if (columns === 0) throw new Error(`${where}: a table needs at least one header.`);
  const seen = new Set<string>();
  headers.forEach((h, c) => {
    if (typeof h !== "string" || h.trim() === "") throw new Error(`${where}: header ${c + 1} is blank.`);
    if (seen.has(h.toLowerCase())) throw new Error(`${where}: header "${h}" appears twice.`);
    seen.add(h.toLowerCase());
  });
  const formats = block.numberFormats ?? {};
  for (const h of Object.keys(formats)) {
    if (!seen.has(h.toLowerCase())) throw new Error(`${where}: a number format is given for "${h}", which is not a header.`);
  }
  const rows = block.rows.length;
  const lastRow = anchor.row + rows + (rows === 0 ? 1 : 0);
  if (lastRow >= MAX_ROWS) throw new Error(`${where}: ${rows} rows from ${block.anchor} do not fit on a sheet (${MAX_ROWS} rows).`);
  if (anchor.column + columns > MAX_COLUMNS) throw new Error(`${where}: ${columns} columns from ${block.anchor} do not fit on a sheet.`);

  // Which columns hold text (those cells get "@" so Excel keeps them as typed) and which have a format.
  const hasText = new Array<boolean>(columns).fill(false);
  const rowBytes = new Array<number>(rows);
  for (let i = 0; i < rows; i++) {
    const row = block.rows[i];
    if (!Array.isArray(row) || row.length !== columns) {
      throw new Error(`${where}: row ${i + 1} has ${Array.isArray(row) ? row.length : 0} cells but there are ${columns} headers.`);
    }
    let bytes = 3; // brackets and comma of the row in the values array
    for (let c = 0; c < columns; c++) {
      const v = row[c];
      if (typeof v === "string") {
        if (v.length > 32767) throw new Error(`${where}: cell ${cellAddress(anchor.row + 1 + i, anchor.column + c)} (${headers[c]}) holds more than 32,767 characters.`);
        hasText[c] = true;
        bytes += utf8Length(JSON.stringify(v)) + 1;
      } else if (typeof v === "number") {
        if (!Number.isFinite(v)) throw new Error(`${where}: cell ${cellAddress(anchor.row + 1 + i, anchor.column + c)} (${headers[c]}) is ${v}, which Excel cannot store.`);
        bytes += String(v).length + 1;
      } else if (typeof v === "boolean") {
        bytes += v ? 5 : 6;
      } else if (v === null || v === undefined) {
        bytes += 3; // written as ""
      } else {
        throw new Error(`${where}: cell ${cellAddress(anchor.row + 1 + i, anchor.column + c)} (${headers[c]}) is not text, a number or a boolean.`);
      }
    }
    rowBytes[i] = bytes;
  }
  const formatOf = headers.map((h, c) => {
    const explicit = Object.entries(formats).find(([k]) => k.toLowerCase() === h.toLowerCase())?.[1];
    if (explicit === undefined && !hasText[c]) return null;
    const other = explicit ?? "General";
    return (v: CellValue) => (typeof v === "string" ? "@" : other);
  });
  // Each formatted cell adds ["fmt"], to the request.
  const formatted = formatOf.map((f, c) => [f, c] as const).filter((x): x is readonly [(v: CellValue) => string, number] => x[0] !== null);
  if (formatted.length > 0) {
    const sizeOf = new Map<string, number>();
    for (let i = 0; i < rows; i++) {
      const row = block.rows[i];
      for (const [f, c] of formatted) {
        const fmt = f(row[c]);
        let size = sizeOf.get(fmt);
        if (size === undefined) sizeOf.set(fmt, (size = utf8Length(JSON.stringify(fmt)) + 3));
        rowBytes[i] += size;
      }
    }
  }
  const headerBytes = utf8Length(JSON.stringify([headers])) + utf8Length(JSON.stringify([headers.map(() => "@")]));
  return { block, plan, row: anchor.row, column: anchor.column, columns, rows, rowBytes, headerBytes, formatOf, tempName };
}

function prepareChart(block: ParetoChartBlock, plan: number, sheetName: string, tables: Map<string, PreparedTable>): PreparedChart {
  const where = `Sheet "${sheetName}", chart "${block.name}"`;
  if (typeof block.name !== "string" || block.name.trim() === "") throw new Error(`Sheet "${sheetName}": a chart needs a name.`);
  const table = tables.get(String(block.sourceTable).toLowerCase());
  if (!table) throw new Error(`${where}: its source table "${block.sourceTable}" is not written in the same call.`);
  const col = (header: string, role: string) => {
    const i = table.block.headers.findIndex((h) => h.toLowerCase() === String(header).toLowerCase());
    if (i < 0) throw new Error(`${where}: the ${role} column "${header}" is not a header of table "${table.block.tableName}".`);
    return i;
  };
  if (!Number.isInteger(block.maxPoints) || block.maxPoints < 1) throw new Error(`${where}: maxPoints must be a whole number of at least 1.`);
  let anchor: { row: number; column: number };
  try {
    anchor = parseCell(block.anchor);
  } catch (e) {
    throw new Error(`${where}: anchor ${errorMessage(e)}.`);
  }
  return {
    block,
    plan,
    table,
    valueColumn: col(block.valueHeader, "value"),
    categoryColumn: col(block.categoryHeader, "category"),
    cumulativeColumn: col(block.cumulativeHeader, "cumulative share"),
    anchor,
  };
}

function overlaps(a: PreparedTable, b: PreparedTable): boolean {
  const aRows = a.rows + 1 + (a.rows === 0 ? 1 : 0);
  const bRows = b.rows + 1 + (b.rows === 0 ? 1 : 0);
  return a.row < b.row + bRows && b.row < a.row + aRows && a.column < b.column + b.columns && b.column < a.column + a.columns;
}

function randomToken(): string {
  return Math.floor(Math.random() * 36 ** 6)
    .toString(36)
    .padStart(6, "0");
}
