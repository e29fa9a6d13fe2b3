/**
 * writeSheets: all-or-nothing replacement of whole sheets, in as few round trips as the payload
 * allows (each context.sync costs Excel on the web 100 ms or more).
 *
 * 1. inspect (1 sync): existing sheets, tables, the active sheet and the calculation mode; when the
 *    caller asked for tables or there is an audit sheet, one more sync reads those tables, the
 *    SEG_Audit header and its last row (a third only when the caller's idea of the audit tip was
 *    wrong). The caller's prepare() then turns what was found into the plans (or declines: nothing
 *    has changed yet).
 * 2. stage: every plan is written into a new hidden sheet "~seg-stage-<token>-<n>" in row blocks
 *    packed into syncs of at most `budgetBytes`; calculation is switched to manual for the whole
 *    write and screen updating is suspended for the syncs that change what is visible. A column
 *    whose cells share one number format gets it in one 1 x 1 assignment (Office.js applies a
 *    single value to every cell of a range), so only mixed columns pay per cell.
 * 3. finish and swap (1 sync): Excel tables over the staged blocks, the other blocks (charts),
 *    the audit rows appended to SEG_Audit, then the old sheets and their clashing tables renamed
 *    away, the staging sheets and tables take the final names and the old sheets' positions, and
 *    the old sheets are deleted.
 * Abort (checked before every sync up to the last) or failure: a separate Excel.run deletes the
 * staging sheets, clears audit rows this write appended, and, if the swap was interrupted, puts
 * the old sheets and table names back, so the workbook is as it was. Limits are in
 * docs/excel-layer.md (formulas pointing at a replaced sheet become #REF!, anything else a user
 * put on a replaced sheet goes with it).
 */
import type { AuditTip, CellValue, IoReport, Progress, SheetPlan, TableBlock, TableData, WriteFindings, WriteOptions, WriteRequest } from "../app/ports";
import { cellAddress, MAX_COLUMNS, MAX_ROWS, parseCell } from "../app/a1";
import { GENESIS_HASH } from "../engine/audit";
import { addAuditSheet, AUDIT_HASH_COLUMN, AUDIT_ID_COLUMN, AUDIT_SHEET_NAME, AUDIT_WIDTH, auditRowsBytes, checkAuditHeader, queueAuditRows } from "./auditSheet";
import { blockWriter, type StagedTable } from "./blockKinds";
import { ChunkLimits, nextWriteSync } from "./blocks";
import { abortError, errorMessage, ExcelHost } from "./host";
import { IoMeter } from "./meter";
import { sheetNameProblem, tableNameProblem } from "./names";
import { jsonBytes, utf8Length } from "./payload";
import { loadedNumber, loadedString } from "./reader";

export const STAGE_PREFIX = "~seg-stage-";
export const BACKUP_PREFIX = "~seg-old-";
/** Cells a table read during the inspection may have (they are small: grids, not SKU tables). */
const MAX_INSPECT_CELLS = 200_000;

interface PreparedTable extends StagedTable {
  /** JSON bytes each data row adds to a request (values plus per-cell number formats). */
  rowBytes: number[];
  headerBytes: number;
  /** Bytes of the column-wide formats sent with each row block. */
  blockFormatBytes: number;
  /** Per column: one format for every cell (a string), per-cell formats (a function), or none. */
  formatOf: (string | ((v: CellValue) => string) | null)[];
  tempName: string;
}

interface PreparedBlock {
  plan: number;
  kind: string;
  prepared: unknown;
}

interface PreparedPlan {
  plan: SheetPlan;
  stagingName: string;
  backupName: string;
  tables: PreparedTable[];
  blocks: PreparedBlock[];
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
  /** Ids of the sheets that existed before this write (anything else is this write's). */
  existingIds: Set<string>;
  touched: boolean;
  stagingIds: (string | null)[];
  old: OldSheet[];
  calculationMode: string | null;
  swapStarted: boolean;
  /** Audit rows queued by this write: where they start (0-based sheet row) and their ids. */
  audit: { firstRow: number; ids: string[]; createdSheet: boolean } | null;
}

/** Names reserved by the gateway itself (the audit sheet): writeSheets refuses them. */
export interface WriteRules {
  reservedSheetNames: string[];
}

export async function writeSheets(host: ExcelHost, request: SheetPlan[] | WriteRequest, options: WriteOptions, limits: ChunkLimits, rules: WriteRules, meter: IoMeter): Promise<IoReport> {
  const { signal, onProgress } = options;
  const req: WriteRequest = Array.isArray(request) ? { prepare: async () => ({ plans: request }) } : request;
  // plans given directly are checked before the first request, as before
  if (Array.isArray(request)) prepare(request, "check", rules, limits);
  const token = randomToken();
  let prepared: PreparedPlan[] = [];
  let totalRows = 0;
  let finishing = 1;
  const progress = (phase: string, done: number) => onProgress?.({ phase, done, total: totalRows + finishing } satisfies Progress);
  const checkAbort = () => {
    if (signal?.aborted) throw abortError();
  };
  const state: WriteState = { token, existingIds: new Set(), touched: false, stagingIds: [], old: [], calculationMode: null, swapStarted: false, audit: null };
  onProgress?.({ phase: "Checking the workbook", done: 0, total: 1 });
  checkAbort();
  let declined = false;

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
      const tableList = tables.items.map((t) => ({ name: loadedString(t.name, "table.name"), sheetName: loadedString(t.worksheet.name, "table.worksheet.name") }));
      state.existingIds = new Set(existing.map((s) => s.id));
      const findings = await findAll(ctx, meter, req, existing.map((s) => s.name), tableList);
      checkAbort();
      const planned = await req.prepare(findings);
      if (planned === null) {
        declined = true;
        return;
      }
      checkAbort();
      prepared = prepare(planned.plans, token, rules, limits);
      const auditRows = planned.auditRows ?? [];
      const flat = prepared.flatMap((p) => p.tables);
      totalRows = flat.reduce((n, t) => n + t.rows, 0);
      finishing = Math.max(1, Math.ceil(totalRows * 0.05));
      state.stagingIds = prepared.map(() => null);
      progress("Checking the workbook", 0);
      if (prepared.length === 0 && auditRows.length === 0) return;

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
      for (const t of tableList) {
        const clash = newTableNames.get(t.name.toLowerCase());
        if (!clash) continue;
        const plan = replaced.get(t.sheetName.toLowerCase());
        if (plan === undefined) {
          throw new Error(`A table named "${t.name}" already exists on sheet "${t.sheetName}". Rename or delete that table, then write again.`);
        }
        state.old.find((o) => o.plan === plan)!.tableRenames.push([t.name, `SEG_OLD_${token}_${++backupTables}`]);
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
        let phase = "";
        while (t < flat.length) {
          const T = flat[t];
          const ws = staging[T.plan];
          // a very hidden sheet is the add-in's own record, not a sheet the planner knows by name
          phase = prepared[T.plan].plan.visibility === "veryHidden" ? "Writing the add-in's records" : `Writing the ${prepared[T.plan].plan.sheetName} sheet`;
          if (r === -1) {
            if (spentBytes > 0 && spentBytes + T.headerBytes > limits.budgetBytes) break;
            const header = ws.getRangeByIndexes(T.row, T.column, 1, T.columns);
            meter.setNumberFormat(header, [["@"]]);
            meter.setValues(header, [T.block.headers.slice()]);
            spentBytes += T.headerBytes;
            spentCells += T.columns;
            r = 0;
          }
          const blocks = nextWriteSync(r, T.rowBytes, T.columns, limits, spentBytes + T.blockFormatBytes, spentCells);
          for (const b of blocks) {
            queueBlock(ws, T, b.start, b.rows, meter);
            for (let i = b.start; i < b.start + b.rows; i++) spentBytes += T.rowBytes[i];
            spentBytes += T.blockFormatBytes;
            spentCells += b.rows * T.columns;
            r = b.start + b.rows;
            rowsDone += b.rows;
          }
          if (r < T.rows) break; // this sync is full
          t++;
          r = -1;
        }
        if (t >= flat.length && meter.pendingRequestBytes + auditRowsBytes(auditRows) + 50_000 < limits.budgetBytes) break; // the rest rides with the finish
        await meter.sync(ctx);
        if (first) {
          state.stagingIds = staging.map((ws) => loadedString(ws.id, "staging worksheet id"));
          first = false;
        }
        progress(phase, rowsDone);
      }

      // 3. finish and swap: tables, other blocks and audit rows, then the renames.
      checkAbort();
      progress("Finishing: tables, charts and the audit trail", totalRows);
      const tableProxies = flat.map((T) => {
        const ws = staging[T.plan];
        const table = ws.tables.add(ws.getRangeByIndexes(T.row, T.column, Math.max(T.rows, 0) + 1, T.columns), true);
        table.name = T.tempName;
        return table;
      });
      prepared.forEach((p, i) => {
        for (const b of p.blocks) blockWriter(b.kind, p.plan.sheetName).place(b.prepared, staging, i);
      });
      if (auditRows.length) {
        const tip = findings.audit;
        const created = tip.entries === 0 && !existing.some((s) => s.name === AUDIT_SHEET_NAME);
        const sheet = created ? addAuditSheet(ctx) : sheets.getItem(AUDIT_SHEET_NAME);
        // re-applied on every append: someone may have made the sheet visible with a macro
        if (!created) sheet.visibility = "VeryHidden";
        const nextRow = created ? 0 : tip.entries + 1;
        queueAuditRows(sheet, nextRow, auditRows, meter);
        state.audit = { firstRow: tip.entries + 1, ids: auditRows.map((x) => x.entryId), createdSheet: created };
      }
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
        ws.visibility = prepared[i].plan.visibility === "veryHidden" ? "VeryHidden" : "Visible";
        if (old) ws.position = old.position + placed++;
      }
      if (activeOld) staging[activeOld.plan].activate();
      for (const o of state.old) sheets.getItem(o.id).delete();
      if (state.calculationMode !== "Manual") app.calculationMode = state.calculationMode as Excel.CalculationMode;
      await meter.sync(ctx);
      if (first) state.stagingIds = staging.map((ws) => loadedString(ws.id, "staging worksheet id"));
      progress("Done", totalRows + finishing);
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
  const report = meter.report();
  return declined ? { ...report, declined: true } : report;
}

/** The tables the request asked for and the audit tip, in one sync (two when the tip was not known). */
async function findAll(
  ctx: Excel.RequestContext,
  meter: IoMeter,
  req: WriteRequest,
  sheetNames: string[],
  tableList: { name: string; sheetName: string }[],
): Promise<WriteFindings> {
  const wanted = (req.readTables ?? []).map((name) => ({ name, found: tableList.find((t) => t.name.toLowerCase() === name.toLowerCase()) }));
  const auditSheet = sheetNames.includes(AUDIT_SHEET_NAME) ? ctx.workbook.worksheets.getItem(AUDIT_SHEET_NAME) : null;
  const out: WriteFindings = { sheets: sheetNames, tables: {}, audit: { entries: 0, lastHash: GENESIS_HASH } };
  for (const w of wanted) out.tables[w.name] = null;
  const present = wanted.filter((w) => w.found);
  if (present.length === 0 && !auditSheet) return out;
  const ranges = present.map((w) => {
    const range = ctx.workbook.tables.getItem(w.found!.name).getRange();
    range.load("values,rowCount,columnCount");
    return range;
  });
  const known = req.knownAuditTip;
  let used: Excel.Range | null = null;
  let header: Excel.Range | null = null;
  let guess: Excel.Range | null = null;
  if (auditSheet) {
    used = auditSheet.getUsedRangeOrNullObject(true);
    used.load("rowIndex,rowCount");
    header = auditSheet.getRangeByIndexes(0, 0, 1, AUDIT_WIDTH);
    header.load("values");
    if (known && known.entries > 0) {
      guess = auditSheet.getRangeByIndexes(known.entries, AUDIT_HASH_COLUMN, 1, 1);
      guess.load("values");
    }
  }
  await meter.sync(ctx);
  present.forEach((w, k) => {
    const values = ranges[k].values as unknown[][] | undefined;
    if (!Array.isArray(values) || !Array.isArray(values[0])) throw new Error(`Excel returned ${JSON.stringify(values)?.slice(0, 60)} for table "${w.name}" (was it read before context.sync?)`);
    if (values.length * values[0].length > MAX_INSPECT_CELLS) throw new Error(`Table "${w.name}" is too large to check before a write (${values.length} rows).`);
    meter.noteResponse(jsonBytes(values), values.length * values[0].length);
    const rows = values.slice(1);
    const placeholder = rows.length === 1 && rows[0].every((v) => v === "" || v === null);
    out.tables[w.name] = { sheetName: w.found!.sheetName, tableName: w.found!.name, headers: values[0].map((h) => String(h)), rows: placeholder ? [] : rows } satisfies TableData;
  });
  if (auditSheet && used && header) {
    if (used.isNullObject) return out;
    const nextRow = loadedNumber(used.rowIndex, "audit used range rowIndex") + loadedNumber(used.rowCount, "audit used range rowCount");
    checkAuditHeader(header.values);
    const entries = Math.max(0, nextRow - 1);
    let lastHash = GENESIS_HASH;
    if (entries > 0) {
      if (guess && known && known.entries === entries) {
        lastHash = String((guess.values as unknown[][])[0][0] ?? "");
      } else {
        const last = auditSheet.getRangeByIndexes(entries, AUDIT_HASH_COLUMN, 1, 1);
        last.load("values");
        await meter.sync(ctx);
        lastHash = String((last.values as unknown[][])[0][0] ?? "");
      }
    }
    out.audit = { entries, lastHash } satisfies AuditTip;
  }
  return out;
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
    // This write's sheets: the ones that did not exist before it (the staging sheets, whatever name
    // the interrupted batch left them with), except an audit sheet it created (removeAuditRows).
    const ours = sheets.items.filter((s) => !state.existingIds.has(s.id) && s.name !== AUDIT_SHEET_NAME);
    const finalName = (p: PreparedPlan) => p.plan.sheetName.toLowerCase();
    // If every plan's sheet already carries its final name, the swap's renames all happened and
    // only deleting the old sheets failed: finish the job rather than undo it.
    const swapped = state.swapStarted && prepared.every((p) => ours.some((s) => s.name.toLowerCase() === finalName(p)));
    if (swapped) {
      for (const s of sheets.items) if (s.name.startsWith(backupPrefix)) s.delete();
    } else {
      for (const s of ours) if (s.name.startsWith(stagePrefix) || prepared.some((p) => finalName(p) === s.name.toLowerCase())) s.delete();
      const tableNames = new Set(tables.items.map((t) => t.name));
      for (const o of state.old) {
        if (!byId.has(o.id)) continue;
        if (byId.get(o.id) !== o.name) sheets.getItem(o.id).name = o.name;
        for (const [original, backup] of o.tableRenames) if (tableNames.has(backup)) ctx.workbook.tables.getItem(backup).name = original;
      }
      await removeAuditRows(ctx, meter, state, [...byId.values()]);
    }
    if (state.calculationMode !== null && state.calculationMode !== "Manual") ctx.workbook.application.calculationMode = state.calculationMode as Excel.CalculationMode;
    await meter.sync(ctx);
  });
}

/** Clears the audit rows a failed write appended (only if they are there and are ours). */
async function removeAuditRows(ctx: Excel.RequestContext, meter: IoMeter, state: WriteState, sheetNames: string[]): Promise<void> {
  const a = state.audit;
  if (!a || !sheetNames.includes(AUDIT_SHEET_NAME)) return;
  const sheet = ctx.workbook.worksheets.getItem(AUDIT_SHEET_NAME);
  const ids = sheet.getRangeByIndexes(a.firstRow, AUDIT_ID_COLUMN, a.ids.length, 1);
  ids.load("values");
  await meter.sync(ctx);
  const found = (ids.values as unknown[][]).map((r) => String(r[0] ?? ""));
  if (!found.every((id, i) => id === a.ids[i])) return; // not ours: leave the sheet alone
  if (a.createdSheet) sheet.delete();
  else sheet.getRangeByIndexes(a.firstRow, 0, a.ids.length, AUDIT_WIDTH).clear();
}

function queueBlock(ws: Excel.Worksheet, T: PreparedTable, start: number, rows: number, meter: IoMeter): void {
  const top = T.row + 1 + start;
  const source = T.block.rows;
  // Number formats go first so that text lands in "@" cells and is kept as typed.
  T.formatOf.forEach((fmt, c) => {
    if (fmt === null) return;
    const range = ws.getRangeByIndexes(top, T.column + c, rows, 1);
    if (typeof fmt === "string") {
      meter.setNumberFormat(range, [[fmt]]);
      return;
    }
    const formats: string[][] = new Array(rows);
    for (let i = 0; i < rows; i++) formats[i] = [fmt(source[start + i][c])];
    meter.setNumberFormat(range, formats);
  });
  const values: CellValue[][] = new Array(rows);
  for (let i = 0; i < rows; i++) values[i] = source[start + i].map((v) => (v === null || v === undefined ? "" : v));
  meter.setValues(ws.getRangeByIndexes(top, T.column, rows, T.columns), values);
}

// ---------------------------------------------------------------------------------------------
// Validation and preparation (no Excel involved): everything wrong with the plans is reported
// before the first request.

function prepare(plans: SheetPlan[], token: string, rules: WriteRules, limits: ChunkLimits): PreparedPlan[] {
  if (!Array.isArray(plans)) throw new Error("The plans to write must be a list of sheets.");
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
    return { plan, stagingName: `${STAGE_PREFIX}${token}-${p + 1}`, backupName: `${BACKUP_PREFIX}${token}-${p + 1}`, tables, blocks: [] };
  });
  prepared.forEach((pp, p) => {
    for (const block of pp.plan.blocks) {
      if (block.kind === "table") continue;
      const kind = (block as { kind: string }).kind;
      pp.blocks.push({ plan: p, kind, prepared: blockWriter(kind, pp.plan.sheetName).prepare(block, pp.plan.sheetName, tableNames) });
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

  // Per column: which kinds of cell it holds, to send one number format for the whole column
  // when its cells agree ("@" for text, so Excel keeps it as typed) and one per cell otherwise.
  const hasText = new Array<boolean>(columns).fill(false);
  const hasOther = new Array<boolean>(columns).fill(false);
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
        if (v !== "") hasText[c] = true;
        bytes += utf8Length(JSON.stringify(v)) + 1;
      } else if (typeof v === "number") {
        if (!Number.isFinite(v)) throw new Error(`${where}: cell ${cellAddress(anchor.row + 1 + i, anchor.column + c)} (${headers[c]}) is ${v}, which Excel cannot store.`);
        hasOther[c] = true;
        bytes += String(v).length + 1;
      } else if (typeof v === "boolean") {
        hasOther[c] = true;
        bytes += v ? 5 : 6;
      } else if (v === null || v === undefined) {
        bytes += 3; // written as ""
      } else {
        throw new Error(`${where}: cell ${cellAddress(anchor.row + 1 + i, anchor.column + c)} (${headers[c]}) is not text, a number or a boolean.`);
      }
    }
    rowBytes[i] = bytes;
  }
  let blockFormatBytes = 0;
  const formatOf = headers.map((h, c): string | ((v: CellValue) => string) | null => {
    const explicit = Object.entries(formats).find(([k]) => k.toLowerCase() === h.toLowerCase())?.[1];
    if (hasText[c] && hasOther[c]) {
      const other = explicit ?? "General";
      return (v: CellValue) => (typeof v === "string" && v !== "" ? "@" : other);
    }
    const whole = hasText[c] ? "@" : (explicit ?? null);
    if (whole !== null) blockFormatBytes += utf8Length(JSON.stringify([[whole]])) + 1;
    return whole;
  });
  // Each per-cell format adds ["fmt"], to the request.
  const perCell = formatOf.map((f, c) => [f, c] as const).filter((x): x is readonly [(v: CellValue) => string, number] => typeof x[0] === "function");
  if (perCell.length > 0) {
    const sizeOf = new Map<string, number>();
    for (let i = 0; i < rows; i++) {
      const row = block.rows[i];
      for (const [f, c] of perCell) {
        const fmt = f(row[c]);
        let size = sizeOf.get(fmt);
        if (size === undefined) sizeOf.set(fmt, (size = utf8Length(JSON.stringify(fmt)) + 3));
        rowBytes[i] += size;
      }
    }
  }
  const headerBytes = utf8Length(JSON.stringify([headers])) + 8;
  return { block, plan, row: anchor.row, column: anchor.column, columns, rows, rowBytes, headerBytes, blockFormatBytes, formatOf, tempName };
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
