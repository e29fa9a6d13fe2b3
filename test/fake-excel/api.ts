/**
 * The fake Excel JavaScript API: proxy objects that queue operations and a RequestContext whose
 * sync() applies them in order, like Office.js:
 * - a method that returns an object (getRange, getItem...) queues its resolution; the object is
 *   bound when the sync reaches that point, and keeps pointing at the same sheet or cells;
 * - setting a property queues the change; nothing happens to the workbook before sync;
 * - load() queues a read; the values become readable only after the sync has succeeded, and
 *   reading a property that was not loaded throws PropertyNotLoaded (as the real API does);
 * - sync() measures the request (JSON of every queued operation, cell arrays included) and the
 *   response (JSON of everything loaded) and rejects either when it is over the payload limit.
 */
import { inSheet, intersect, jsonSize, parseLocal, Rect, rectAddress, SHEET_COLUMNS, SHEET_ROWS, splitSheet } from "./a1";
import { ChartModel, fail, FakeOfficeError, Scalar, SeriesModel, SheetModel, TableModel, WorkbookModel } from "./model";

export interface FakeLimits {
  /** Request and response limit in bytes (Excel on the web: 5 MB). */
  payloadLimitBytes: number;
  /** Largest number of cells one load of values/numberFormat may return. */
  maxCellsPerRead: number;
  /** Simulated round-trip time of a sync, in ms (0 = next microtask). */
  latencyMs: number;
}

export interface OpInfo {
  /** e.g. "Range.values=", "Worksheet.delete", "WorksheetCollection.add", "load". */
  kind: string;
  args: unknown[];
}

export interface SyncRecord {
  index: number;
  requestBytes: number;
  responseBytes: number;
  ops: number;
  cellsWritten: number;
  cellsRead: number;
  error?: string;
}

export interface FakeStats {
  runs: number;
  syncs: number;
  /** Syncs that failed (payload limit, bad operation, injected fault). */
  failedSyncs: number;
  maxRequestBytes: number;
  maxResponseBytes: number;
  cellsWritten: number;
  cellsRead: number;
  screenUpdatingSuspensions: number;
  apiCalculationSuspensions: number;
  calculationModeChanges: string[];
  history: SyncRecord[];
}

export function emptyStats(): FakeStats {
  return {
    runs: 0,
    syncs: 0,
    failedSyncs: 0,
    maxRequestBytes: 0,
    maxResponseBytes: 0,
    cellsWritten: 0,
    cellsRead: 0,
    screenUpdatingSuspensions: 0,
    apiCalculationSuspensions: 0,
    calculationModeChanges: [],
    history: [],
  };
}

export interface Fault {
  when: (op: OpInfo) => boolean;
  error: FakeOfficeError;
}

/** What every context of one fake host shares. */
export interface Engine {
  model: WorkbookModel;
  limits: FakeLimits;
  stats: FakeStats;
  faults: Fault[];
}

interface Commit {
  bytes: number;
  cells: number;
  apply(): void;
}

interface Op {
  info: OpInfo;
  bytes: number;
  cellsWritten: number;
  apply(commits: Commit[]): void;
}

function notLoaded(type: string, prop: string): FakeOfficeError {
  return new FakeOfficeError(
    "PropertyNotLoaded",
    `The property '${prop}' is not available on ${type}. Before reading the property's value, call the load method on the containing object and call "context.sync()" on the associated request context.`,
  );
}

export class FakeRequestContext {
  readonly workbook: FakeWorkbook;
  readonly trackedObjects = { add: () => undefined, remove: () => undefined };
  /** @internal */ _ops: Op[] = [];
  /** @internal */ _closed = false;
  constructor(readonly _engine: Engine) {
    this.workbook = new FakeWorkbook(this);
  }

  get application(): FakeApplication {
    return this.workbook.application;
  }

  /** @internal */
  _queue(kind: string, args: unknown[], apply: (commits: Commit[]) => void, cellsWritten = 0): void {
    if (this._closed) throw new FakeOfficeError("InvalidObjectPath", `${kind}: this object belongs to an Excel.run that has finished.`);
    const info = { kind, args };
    this._ops.push({ info, bytes: jsonSize(info), cellsWritten, apply });
  }

  async sync(): Promise<void> {
    if (this._closed) throw new FakeOfficeError("InvalidObjectPath", "context.sync() was called after its Excel.run finished.");
    const { stats, limits, faults } = this._engine;
    const ops = this._ops;
    this._ops = [];
    const record: SyncRecord = { index: stats.syncs, requestBytes: 0, responseBytes: 0, ops: ops.length, cellsWritten: 0, cellsRead: 0 };
    for (const op of ops) {
      record.requestBytes += op.bytes;
      record.cellsWritten += op.cellsWritten;
    }
    stats.syncs++;
    stats.history.push(record);
    stats.maxRequestBytes = Math.max(stats.maxRequestBytes, record.requestBytes);
    if (limits.latencyMs > 0) await new Promise((r) => setTimeout(r, limits.latencyMs));
    else await Promise.resolve();
    const failWith = (e: unknown) => {
      stats.failedSyncs++;
      record.error = e instanceof Error ? `${(e as FakeOfficeError).code ?? e.name}: ${e.message}` : String(e);
      throw e;
    };
    if (record.requestBytes > limits.payloadLimitBytes) {
      failWith(new FakeOfficeError("RequestPayloadSizeLimitExceeded", `The request payload size (${record.requestBytes} bytes) has exceeded the limit (${limits.payloadLimitBytes}).`));
    }
    const commits: Commit[] = [];
    try {
      for (const op of ops) {
        const fault = faults.findIndex((f) => f.when(op.info));
        if (fault >= 0) {
          const [f] = faults.splice(fault, 1);
          throw f.error;
        }
        try {
          op.apply(commits);
        } catch (e) {
          if (e instanceof FakeOfficeError && !e.debugInfo.errorLocation) e.debugInfo.errorLocation = op.info.kind;
          throw e;
        }
      }
    } catch (e) {
      failWith(e);
    }
    for (const c of commits) {
      record.responseBytes += c.bytes;
      record.cellsRead += c.cells;
    }
    stats.maxResponseBytes = Math.max(stats.maxResponseBytes, record.responseBytes);
    if (record.responseBytes > limits.payloadLimitBytes) {
      failWith(new FakeOfficeError("ResponsePayloadSizeLimitExceeded", `The response payload size (${record.responseBytes} bytes) has exceeded the limit (${limits.payloadLimitBytes}).`));
    }
    stats.cellsWritten += record.cellsWritten;
    stats.cellsRead += record.cellsRead;
    for (const c of commits) c.apply();
  }
}

type LoadSpec = string | string[] | Record<string, unknown> | undefined;

function parseLoad(spec: LoadSpec): string[] | "*" {
  if (spec === undefined || spec === null) return "*";
  if (typeof spec === "string") return spec.split(",").map((s) => s.trim()).filter(Boolean);
  if (Array.isArray(spec)) return spec.flatMap((s) => String(s).split(",")).map((s) => s.trim()).filter(Boolean);
  if (typeof spec === "object") {
    if (typeof spec.select === "string") return parseLoad(spec.select);
    const out: string[] = [];
    for (const [k, v] of Object.entries(spec)) {
      if (v === true) out.push(k);
      else if (v && typeof v === "object") {
        const inner = parseLoad(v as LoadSpec);
        if (inner === "*") out.push(k);
        else out.push(...inner.map((p) => `${k}/${p}`));
      }
    }
    return out;
  }
  return "*";
}

/** Base of every proxy. T is the model object it is bound to. */
export abstract class ClientObject<T> {
  /** @internal */ readonly _ctx: FakeRequestContext;
  private _resolver: (() => T | null) | null;
  private _target: T | null = null;
  private _loaded: Map<string, unknown> | null = null;
  private _isNull: boolean | undefined;
  private _navCache = new Map<string, ClientObject<unknown>>();
  protected abstract readonly _type: string;

  constructor(ctx: FakeRequestContext, resolver: (() => T | null) | { bound: T }, queueAs?: { kind: string; args: unknown[] }) {
    this._ctx = ctx;
    if (typeof resolver === "function") this._resolver = resolver;
    else {
      this._resolver = null;
      this._target = resolver.bound;
    }
    if (queueAs) ctx._queue(queueAs.kind, queueAs.args, () => void this._tOrNull());
  }

  /** @internal The bound model object, or null for a null object. Only valid while a sync applies. */
  _tOrNull(): T | null {
    if (this._resolver) {
      const r = this._resolver;
      this._resolver = null;
      this._target = r();
    }
    return this._target;
  }

  /** @internal */
  _t(): T {
    const t = this._tOrNull();
    if (t === null) fail("ItemNotFound", `The ${this._type} does not exist (it is a null object).`);
    this._check(t);
    return t;
  }

  /** Subclasses reject operations on deleted things. */
  protected _check(_t: T): void {}

  /** Loadable scalar properties. */
  protected abstract _scalars(): Record<string, (t: T) => unknown>;

  /** Navigation properties usable in load paths ("worksheet/name"). */
  protected _nav(_name: string): ClientObject<unknown> | null {
    return null;
  }

  /** @internal A navigation property proxy, created once and bound lazily through this one. */
  protected _navProp<U>(name: string, make: () => ClientObject<U>): ClientObject<U> {
    let p = this._navCache.get(name);
    if (!p) {
      p = make() as ClientObject<unknown>;
      this._navCache.set(name, p);
    }
    return p as ClientObject<U>;
  }

  load(spec?: LoadSpec): this {
    const paths = parseLoad(spec);
    this._ctx._queue("load", [this._type, paths], (commits) => this._fulfil(paths, commits));
    return this;
  }

  /** @internal Snapshot the requested properties now; they become readable when the sync succeeds. */
  _fulfil(paths: string[] | "*", commits: Commit[]): void {
    const t = this._tOrNull();
    if (t === null) {
      commits.push({ bytes: 22, cells: 0, apply: () => ((this._isNull = true), (this._loaded ??= new Map())) });
      return;
    }
    this._check(t);
    const scalars = this._scalars();
    const snapshot = new Map<string, unknown>();
    let cells = 0;
    for (const p of paths === "*" ? Object.keys(scalars).filter((k) => !this._heavy(k)) : paths) {
      const slash = p.indexOf("/");
      if (slash > 0) {
        const nav = this._nav(p.slice(0, slash));
        if (!nav) fail("InvalidArgument", `${this._type} has no navigation property "${p.slice(0, slash)}".`);
        nav._fulfil([p.slice(slash + 1)], commits);
        continue;
      }
      const getter = scalars[p];
      if (getter) {
        const v = getter(t);
        snapshot.set(p, v);
        if ((p === "values" || p === "numberFormat" || p === "formulas" || p === "text" || p === "valueTypes") && Array.isArray(v)) cells += v.length * ((v[0] as unknown[])?.length ?? 0);
        continue;
      }
      const nav = this._nav(p);
      if (nav) {
        nav._fulfil("*", commits);
        continue;
      }
      fail("InvalidArgument", `The fake ${this._type} has no property "${p}".`);
    }
    const bytes = jsonSize(Object.fromEntries(snapshot));
    commits.push({
      bytes,
      cells,
      apply: () => {
        this._isNull = false;
        this._loaded ??= new Map();
        for (const [k, v] of snapshot) this._loaded.set(k, v);
      },
    });
  }

  /** Properties a bare load() skips (none by default). */
  protected _heavy(_name: string): boolean {
    return false;
  }

  /** @internal Binds a proxy created while a sync applies (collection items). */
  _markLoadedEmpty(): void {
    this._loaded ??= new Map();
    this._isNull = false;
  }

  protected _get<V = unknown>(name: string): V {
    if (!this._loaded || !this._loaded.has(name)) throw notLoaded(this._type, name);
    return this._loaded.get(name) as V;
  }

  get isNullObject(): boolean {
    if (this._isNull === undefined) throw notLoaded(this._type, "isNullObject");
    return this._isNull;
  }

  protected _set(name: string, value: unknown, apply: (t: T) => void, cellsWritten = 0): void {
    this._ctx._queue(`${this._type}.${name}=`, [value], () => apply(this._t()), cellsWritten);
  }

  protected _call(name: string, args: unknown[], apply: (t: T) => void): void {
    this._ctx._queue(`${this._type}.${name}`, args, () => apply(this._t()));
  }

  toJSON(): Record<string, unknown> {
    return this._loaded ? Object.fromEntries(this._loaded) : {};
  }
}

/** A value computed by a method (e.g. getCount()); readable after sync. */
export class ClientResult<V> {
  private _has = false;
  private _v: V | undefined;
  /** @internal */
  _set(v: V): void {
    this._has = true;
    this._v = v;
  }
  get value(): V {
    if (!this._has) throw notLoaded("ClientResult", "value");
    return this._v as V;
  }
}

function result<T, V>(owner: ClientObject<T>, name: string, compute: (t: T) => V): ClientResult<V> {
  const r = new ClientResult<V>();
  owner._ctx._queue(name, [], (commits) => {
    const v = compute(owner._t());
    commits.push({ bytes: jsonSize(v), cells: 0, apply: () => r._set(v) });
  });
  return r;
}

/** A collection: `items` and `count` after load; load paths apply to the items. */
abstract class Collection<T, I, P extends ClientObject<I>> extends ClientObject<T> {
  private _items: P[] | null = null;
  private _count: number | null = null;
  protected abstract _list(t: T): I[];
  protected abstract _item(target: I): P;

  protected _scalars(): Record<string, (t: T) => unknown> {
    return {};
  }

  override _fulfil(paths: string[] | "*", commits: Commit[]): void {
    const t = this._t();
    const targets = this._list(t);
    // load() or load("items") = every item property; load("count") = no items; "items/x" or "x" = x of each item.
    let itemPaths: string[] | "*" | null;
    if (paths === "*") itemPaths = "*";
    else {
      const list = paths.filter((p) => p !== "count");
      if (list.length === 0) itemPaths = paths.length > 0 ? null : "*";
      else if (list.some((p) => p === "items" || p === "items/*")) itemPaths = "*";
      else itemPaths = list.map((p) => (p.startsWith("items/") ? p.slice(6) : p));
    }
    const items = targets.map((target) => this._item(target));
    if (itemPaths !== null) for (const item of items) item._fulfil(itemPaths, commits);
    commits.push({
      bytes: 12,
      cells: 0,
      apply: () => {
        this._count = targets.length;
        if (itemPaths !== null) {
          for (const item of items) item._markLoadedEmpty();
          this._items = items;
        }
      },
    });
  }

  get items(): P[] {
    if (!this._items) throw notLoaded(this._type, "items");
    return this._items;
  }

  get count(): number {
    if (this._count === null) throw notLoaded(this._type, "count");
    return this._count;
  }

  getCount(): ClientResult<number> {
    return result(this, `${this._type}.getCount`, (t) => this._list(t).length);
  }
}

// ======================================================================== workbook & application

export class FakeWorkbook extends ClientObject<WorkbookModel> {
  protected readonly _type = "Workbook";
  readonly worksheets: FakeWorksheetCollection;
  readonly tables: FakeTableCollection;
  readonly application: FakeApplication;

  constructor(ctx: FakeRequestContext) {
    super(ctx, { bound: ctx._engine.model });
    this.worksheets = new FakeWorksheetCollection(ctx, { bound: ctx._engine.model });
    this.tables = new FakeTableCollection(ctx, { bound: { model: ctx._engine.model, sheet: null } });
    this.application = new FakeApplication(ctx, { bound: ctx._engine.model });
  }

  protected _scalars() {
    return { name: () => "Book1.xlsx" };
  }

  get name(): string {
    return this._get("name");
  }

  getSelectedRange(): FakeRange {
    const model = this._ctx._engine.model;
    return new FakeRange(
      this._ctx,
      () => {
        void model.activeSheet; // repairs a selection left on a deleted sheet
        const sel = model.selection!;
        if (sel.areas.length !== 1) fail("InvalidSelection", "getSelectedRange does not support a selection of several areas; use getSelectedRanges.");
        return { sheet: sel.sheet, rect: sel.areas[0] };
      },
      { kind: "Workbook.getSelectedRange", args: [] },
    );
  }

  getSelectedRanges(): FakeRangeAreas {
    const model = this._ctx._engine.model;
    return new FakeRangeAreas(
      this._ctx,
      () => {
        void model.activeSheet;
        const sel = model.selection!;
        return { sheet: sel.sheet, areas: sel.areas.slice() };
      },
      { kind: "Workbook.getSelectedRanges", args: [] },
    );
  }

  getActiveCell(): FakeRange {
    const model = this._ctx._engine.model;
    return new FakeRange(
      this._ctx,
      () => {
        void model.activeSheet;
        const a = model.selection!.areas[0];
        return { sheet: model.selection!.sheet, rect: { r: a.r, c: a.c, rows: 1, cols: 1 } };
      },
      { kind: "Workbook.getActiveCell", args: [] },
    );
  }
}

const CALC_MODES = ["Automatic", "AutomaticExceptTables", "Manual"];

export class FakeApplication extends ClientObject<WorkbookModel> {
  protected readonly _type = "Application";
  protected _scalars() {
    return { calculationMode: (m: WorkbookModel) => m.calculationMode };
  }
  get calculationMode(): string {
    return this._get("calculationMode");
  }
  set calculationMode(v: string) {
    this._set("calculationMode", v, (m) => {
      if (!CALC_MODES.includes(v)) fail("InvalidArgument", `"${v}" is not a calculation mode.`);
      m.calculationMode = v;
      this._ctx._engine.stats.calculationModeChanges.push(v);
    });
  }
  suspendApiCalculationUntilNextSync(): void {
    this._call("suspendApiCalculationUntilNextSync", [], () => this._ctx._engine.stats.apiCalculationSuspensions++);
  }
  suspendScreenUpdatingUntilNextSync(): void {
    this._call("suspendScreenUpdatingUntilNextSync", [], () => this._ctx._engine.stats.screenUpdatingSuspensions++);
  }
  calculate(_type?: string): void {
    this._call("calculate", [_type], () => undefined);
  }
}

// ======================================================================== worksheets

export class FakeWorksheetCollection extends Collection<WorkbookModel, SheetModel, FakeWorksheet> {
  protected readonly _type = "WorksheetCollection";
  protected _list(m: WorkbookModel) {
    return m.sheets.slice();
  }
  protected _item(s: SheetModel) {
    return new FakeWorksheet(this._ctx, { bound: s });
  }

  getItem(key: string): FakeWorksheet {
    return new FakeWorksheet(this._ctx, () => this._t().sheetByKey(key) ?? fail("ItemNotFound", `There is no worksheet "${key}".`), {
      kind: "WorksheetCollection.getItem",
      args: [key],
    });
  }

  getItemOrNullObject(key: string): FakeWorksheet {
    return new FakeWorksheet(this._ctx, () => this._t().sheetByKey(key) ?? null, { kind: "WorksheetCollection.getItemOrNullObject", args: [key] });
  }

  add(name?: string): FakeWorksheet {
    let created: SheetModel | null = null;
    this._call("add", [name], (m) => (created = m.addSheet(name)));
    return new FakeWorksheet(this._ctx, () => created ?? fail("GeneralException", "The worksheet was not created."));
  }

  getActiveWorksheet(): FakeWorksheet {
    return new FakeWorksheet(this._ctx, () => this._t().activeSheet, { kind: "WorksheetCollection.getActiveWorksheet", args: [] });
  }

  getFirst(visibleOnly = false): FakeWorksheet {
    return new FakeWorksheet(this._ctx, () => this._t().sheets.find((s) => !visibleOnly || s.visibility === "Visible") ?? fail("ItemNotFound", "No worksheet."), {
      kind: "WorksheetCollection.getFirst",
      args: [visibleOnly],
    });
  }

  getLast(visibleOnly = false): FakeWorksheet {
    return new FakeWorksheet(
      this._ctx,
      () =>
        this._t()
          .sheets.slice()
          .reverse()
          .find((s) => !visibleOnly || s.visibility === "Visible") ?? fail("ItemNotFound", "No worksheet."),
      { kind: "WorksheetCollection.getLast", args: [visibleOnly] },
    );
  }
}

export interface RangeTarget {
  sheet: SheetModel;
  rect: Rect;
}

function rangeFromAddress(model: WorkbookModel, defaultSheet: SheetModel | null, address: string): RangeTarget {
  const { sheet: sheetName, local } = splitSheet(address);
  const sheet = sheetName !== null ? (model.sheetNamed(sheetName) ?? fail("ItemNotFound", `There is no worksheet "${sheetName}".`)) : (defaultSheet ?? model.activeSheet);
  if (defaultSheet && sheet !== defaultSheet) fail("InvalidArgument", `"${address}" is not on sheet "${defaultSheet.name}".`);
  const rect = parseLocal(local) ?? fail("InvalidArgument", `"${address}" is not a valid range address.`);
  return { sheet, rect };
}

export class FakeWorksheet extends ClientObject<SheetModel> {
  protected readonly _type = "Worksheet";
  protected override _check(s: SheetModel) {
    if (s.deleted) fail("ItemNotFound", `Worksheet "${s.name}" was deleted.`);
  }
  protected _scalars() {
    const model = this._ctx._engine.model;
    return {
      name: (s: SheetModel) => s.name,
      id: (s: SheetModel) => s.id,
      position: (s: SheetModel) => model.sheets.indexOf(s),
      visibility: (s: SheetModel) => s.visibility,
    };
  }
  get name(): string {
    return this._get("name");
  }
  set name(v: string) {
    this._set("name", v, (s) => this._ctx._engine.model.renameSheet(s, v));
  }
  get id(): string {
    return this._get("id");
  }
  get position(): number {
    return this._get("position");
  }
  set position(v: number) {
    this._set("position", v, (s) => this._ctx._engine.model.moveSheet(s, v));
  }
  get visibility(): string {
    return this._get("visibility");
  }
  set visibility(v: string) {
    this._set("visibility", v, (s) => this._ctx._engine.model.setVisibility(s, v));
  }

  get tables(): FakeTableCollection {
    return this._navProp("tables", () => new FakeTableCollection(this._ctx, () => ({ model: this._ctx._engine.model, sheet: this._t() }))) as FakeTableCollection;
  }
  get charts(): FakeChartCollection {
    return this._navProp("charts", () => new FakeChartCollection(this._ctx, () => this._t())) as FakeChartCollection;
  }

  getRange(address?: string): FakeRange {
    return new FakeRange(
      this._ctx,
      () => {
        const s = this._t();
        if (address === undefined || address === "") return { sheet: s, rect: { r: 0, c: 0, rows: SHEET_ROWS, cols: SHEET_COLUMNS } };
        return rangeFromAddress(this._ctx._engine.model, s, address);
      },
      { kind: "Worksheet.getRange", args: [address] },
    );
  }

  getRangeByIndexes(startRow: number, startColumn: number, rowCount: number, columnCount: number): FakeRange {
    return new FakeRange(
      this._ctx,
      () => {
        const rect = { r: startRow, c: startColumn, rows: rowCount, cols: columnCount };
        if (![startRow, startColumn, rowCount, columnCount].every(Number.isInteger) || !inSheet(rect)) {
          fail("InvalidArgument", `getRangeByIndexes(${startRow}, ${startColumn}, ${rowCount}, ${columnCount}) is outside the sheet.`);
        }
        return { sheet: this._t(), rect };
      },
      { kind: "Worksheet.getRangeByIndexes", args: [startRow, startColumn, rowCount, columnCount] },
    );
  }

  getCell(row: number, column: number): FakeRange {
    return this.getRangeByIndexes(row, column, 1, 1);
  }

  getUsedRange(valuesOnly = false): FakeRange {
    return new FakeRange(
      this._ctx,
      () => {
        const s = this._t();
        return { sheet: s, rect: s.usedRect(valuesOnly) ?? { r: 0, c: 0, rows: 1, cols: 1 } };
      },
      { kind: "Worksheet.getUsedRange", args: [valuesOnly] },
    );
  }

  getUsedRangeOrNullObject(valuesOnly = false): FakeRange {
    return new FakeRange(
      this._ctx,
      () => {
        const s = this._t();
        const rect = s.usedRect(valuesOnly);
        return rect ? { sheet: s, rect } : null;
      },
      { kind: "Worksheet.getUsedRangeOrNullObject", args: [valuesOnly] },
    );
  }

  activate(): void {
    this._call("activate", [], (s) => {
      if (s.visibility !== "Visible") fail("InvalidOperation", `Worksheet "${s.name}" is hidden and cannot be activated.`);
      this._ctx._engine.model.selection = { sheet: s, areas: [{ r: 0, c: 0, rows: 1, cols: 1 }] };
    });
  }

  delete(): void {
    this._call("delete", [], (s) => this._ctx._engine.model.deleteSheet(s));
  }
}

// ======================================================================== ranges

function grid<V>(t: RangeTarget, cell: (r: number, c: number) => V): V[][] {
  const { sheet, rect } = t;
  void sheet;
  const out: V[][] = new Array(rect.rows);
  for (let i = 0; i < rect.rows; i++) {
    const row: V[] = new Array(rect.cols);
    for (let k = 0; k < rect.cols; k++) row[k] = cell(rect.r + i, rect.c + k);
    out[i] = row;
  }
  return out;
}

function checkShape(t: RangeTarget, v: unknown, what: string): unknown[][] {
  if (!Array.isArray(v) || v.length !== t.rect.rows || v.some((row) => !Array.isArray(row) || row.length !== t.rect.cols)) {
    fail(
      "InvalidArgument",
      `The number of rows or columns in the input array doesn't match the size or dimensions of the range (${what} of ${rectAddress(t.rect)} needs ${t.rect.rows} x ${t.rect.cols}; the fake accepts only 2-D arrays).`,
    );
  }
  return v as unknown[][];
}

export class FakeRange extends ClientObject<RangeTarget> {
  protected readonly _type = "Range";
  protected override _check(t: RangeTarget) {
    if (t.sheet.deleted) fail("ItemNotFound", `The range's worksheet "${t.sheet.name}" was deleted.`);
  }
  private _cellsCap(t: RangeTarget): void {
    const cells = t.rect.rows * t.rect.cols;
    if (cells > this._ctx._engine.limits.maxCellsPerRead) {
      fail("RangeExceedsLimit", `Reading ${cells} cells from ${rectAddress(t.rect, t.sheet.name)} is over the limit of ${this._ctx._engine.limits.maxCellsPerRead} cells per read.`);
    }
  }
  protected override _heavy(name: string) {
    return name === "formulas" || name === "text" || name === "valueTypes";
  }
  protected _scalars(): Record<string, (t: RangeTarget) => unknown> {
    return {
      address: (t) => rectAddress(t.rect, t.sheet.name),
      addressLocal: (t) => rectAddress(t.rect, t.sheet.name),
      rowIndex: (t) => t.rect.r,
      columnIndex: (t) => t.rect.c,
      rowCount: (t) => t.rect.rows,
      columnCount: (t) => t.rect.cols,
      cellCount: (t) => t.rect.rows * t.rect.cols,
      isEntireColumn: (t) => t.rect.r === 0 && t.rect.rows === SHEET_ROWS,
      isEntireRow: (t) => t.rect.c === 0 && t.rect.cols === SHEET_COLUMNS,
      values: (t) => (this._cellsCap(t), grid(t, (r, c) => t.sheet.get(r, c))),
      numberFormat: (t) => (this._cellsCap(t), grid(t, (r, c) => t.sheet.format(r, c))),
      formulas: (t) => (this._cellsCap(t), grid(t, (r, c) => t.sheet.formulas.get(`${r},${c}`) ?? t.sheet.get(r, c))),
      text: (t) => (this._cellsCap(t), grid(t, (r, c) => String(t.sheet.get(r, c)))),
      valueTypes: (t) =>
        (this._cellsCap(t),
        grid(t, (r, c) => {
          const v = t.sheet.get(r, c);
          return v === "" ? "Empty" : typeof v === "number" ? "Double" : typeof v === "boolean" ? "Boolean" : String(v).startsWith("#") ? "Error" : "String";
        })),
    };
  }
  protected override _nav(name: string) {
    return name === "worksheet" ? (this.worksheet as ClientObject<unknown>) : null;
  }

  get address(): string {
    return this._get("address");
  }
  get addressLocal(): string {
    return this._get("addressLocal");
  }
  get rowIndex(): number {
    return this._get("rowIndex");
  }
  get columnIndex(): number {
    return this._get("columnIndex");
  }
  get rowCount(): number {
    return this._get("rowCount");
  }
  get columnCount(): number {
    return this._get("columnCount");
  }
  get cellCount(): number {
    return this._get("cellCount");
  }
  get isEntireColumn(): boolean {
    return this._get("isEntireColumn");
  }
  get isEntireRow(): boolean {
    return this._get("isEntireRow");
  }
  get text(): string[][] {
    return this._get("text");
  }
  get valueTypes(): string[][] {
    return this._get("valueTypes");
  }

  get values(): Scalar[][] {
    return this._get("values");
  }
  set values(v: Scalar[][]) {
    this._ctx._queue(
      "Range.values=",
      [v],
      () => {
        const t = this._t();
        const rows = checkShape(t, v, "values");
        const model = this._ctx._engine.model;
        rows.forEach((row, i) => row.forEach((cell, k) => model.writeCell(t.sheet, t.rect.r + i, t.rect.c + k, cell)));
      },
      Array.isArray(v) ? v.length * (Array.isArray(v[0]) ? v[0].length : 0) : 0,
    );
  }

  get numberFormat(): string[][] {
    return this._get("numberFormat");
  }
  set numberFormat(v: string[][]) {
    this._set("numberFormat", v, (t) => {
      const model = this._ctx._engine.model;
      // Office.js applies a single value (or a 1 x 1 array) to every cell of a bounded range
      // (Excel.Range.numberFormat docs; OfficeDev/office-js-docs-pr#5400).
      if (Array.isArray(v) && v.length === 1 && Array.isArray(v[0]) && v[0].length === 1 && t.rect.rows * t.rect.cols > 1) {
        const f = v[0][0];
        for (let i = 0; i < t.rect.rows; i++) for (let k = 0; k < t.rect.cols; k++) model.writeFormat(t.sheet, t.rect.r + i, t.rect.c + k, f);
        return;
      }
      const rows = checkShape(t!, v, "numberFormat");
      rows.forEach((row, i) => row.forEach((f, k) => model.writeFormat(t.sheet, t.rect.r + i, t.rect.c + k, f)));
    });
  }

  get formulas(): unknown[][] {
    return this._get("formulas");
  }
  set formulas(v: unknown[][]) {
    this._set("formulas", v, (t) => {
      const rows = checkShape(t!, v, "formulas");
      const model = this._ctx._engine.model;
      rows.forEach((row, i) =>
        row.forEach((f, k) => {
          if (typeof f === "string" && f.startsWith("=")) {
            t.sheet.set(t.rect.r + i, t.rect.c + k, "#NAME?");
            t.sheet.formulas.set(`${t.rect.r + i},${t.rect.c + k}`, f);
          } else model.writeCell(t.sheet, t.rect.r + i, t.rect.c + k, f);
        }),
      );
    });
  }

  get worksheet(): FakeWorksheet {
    return this._navProp("worksheet", () => new FakeWorksheet(this._ctx, () => this._t().sheet)) as FakeWorksheet;
  }

  get format(): FakeRangeFormat {
    return this._navProp("format", () => new FakeRangeFormat(this._ctx, () => this._t())) as FakeRangeFormat;
  }

  /** A range derived from this one (resolved when the sync reaches it). */
  private _derive(kind: string, args: unknown[], f: (t: RangeTarget) => RangeTarget | null, orNull = false): FakeRange {
    return new FakeRange(
      this._ctx,
      () => {
        const t = this._t();
        const out = f(t);
        if (out === null) return orNull ? null : fail("ItemNotFound", `${kind}: there is no such range.`);
        if (!inSheet(out.rect)) fail("InvalidArgument", `${kind}(${args.join(", ")}) goes outside the sheet.`);
        return out;
      },
      { kind: `Range.${kind}`, args },
    );
  }

  getCell(row: number, column: number): FakeRange {
    return this._derive("getCell", [row, column], (t) => ({ sheet: t.sheet, rect: { r: t.rect.r + row, c: t.rect.c + column, rows: 1, cols: 1 } }));
  }
  getOffsetRange(rowOffset: number, columnOffset: number): FakeRange {
    return this._derive("getOffsetRange", [rowOffset, columnOffset], (t) => ({ sheet: t.sheet, rect: { ...t.rect, r: t.rect.r + rowOffset, c: t.rect.c + columnOffset } }));
  }
  getResizedRange(deltaRows: number, deltaColumns: number): FakeRange {
    return this._derive("getResizedRange", [deltaRows, deltaColumns], (t) => ({ sheet: t.sheet, rect: { ...t.rect, rows: t.rect.rows + deltaRows, cols: t.rect.cols + deltaColumns } }));
  }
  getAbsoluteResizedRange(numRows: number, numColumns: number): FakeRange {
    return this._derive("getAbsoluteResizedRange", [numRows, numColumns], (t) => ({ sheet: t.sheet, rect: { ...t.rect, rows: numRows, cols: numColumns } }));
  }
  getRow(row: number): FakeRange {
    return this._derive("getRow", [row], (t) => {
      if (row < 0 || row >= t.rect.rows) fail("InvalidArgument", `Row ${row} is outside the range.`);
      return { sheet: t.sheet, rect: { ...t.rect, r: t.rect.r + row, rows: 1 } };
    });
  }
  getColumn(column: number): FakeRange {
    return this._derive("getColumn", [column], (t) => {
      if (column < 0 || column >= t.rect.cols) fail("InvalidArgument", `Column ${column} is outside the range.`);
      return { sheet: t.sheet, rect: { ...t.rect, c: t.rect.c + column, cols: 1 } };
    });
  }
  getRowsAbove(count = 1): FakeRange {
    return this._derive("getRowsAbove", [count], (t) => ({ sheet: t.sheet, rect: { ...t.rect, r: t.rect.r - count, rows: count } }));
  }
  getRowsBelow(count = 1): FakeRange {
    return this._derive("getRowsBelow", [count], (t) => ({ sheet: t.sheet, rect: { ...t.rect, r: t.rect.r + t.rect.rows, rows: count } }));
  }
  getColumnsBefore(count = 1): FakeRange {
    return this._derive("getColumnsBefore", [count], (t) => ({ sheet: t.sheet, rect: { ...t.rect, c: t.rect.c - count, cols: count } }));
  }
  getColumnsAfter(count = 1): FakeRange {
    return this._derive("getColumnsAfter", [count], (t) => ({ sheet: t.sheet, rect: { ...t.rect, c: t.rect.c + t.rect.cols, cols: count } }));
  }
  getLastRow(): FakeRange {
    return this._derive("getLastRow", [], (t) => ({ sheet: t.sheet, rect: { ...t.rect, r: t.rect.r + t.rect.rows - 1, rows: 1 } }));
  }
  getLastColumn(): FakeRange {
    return this._derive("getLastColumn", [], (t) => ({ sheet: t.sheet, rect: { ...t.rect, c: t.rect.c + t.rect.cols - 1, cols: 1 } }));
  }
  getLastCell(): FakeRange {
    return this._derive("getLastCell", [], (t) => ({ sheet: t.sheet, rect: { r: t.rect.r + t.rect.rows - 1, c: t.rect.c + t.rect.cols - 1, rows: 1, cols: 1 } }));
  }
  getEntireRow(): FakeRange {
    return this._derive("getEntireRow", [], (t) => ({ sheet: t.sheet, rect: { r: t.rect.r, c: 0, rows: t.rect.rows, cols: SHEET_COLUMNS } }));
  }
  getEntireColumn(): FakeRange {
    return this._derive("getEntireColumn", [], (t) => ({ sheet: t.sheet, rect: { r: 0, c: t.rect.c, rows: SHEET_ROWS, cols: t.rect.cols } }));
  }
  /** Excel's CurrentRegion around the top-left cell of this range. */
  getSurroundingRegion(): FakeRange {
    return this._derive("getSurroundingRegion", [], (t) => ({ sheet: t.sheet, rect: t.sheet.surroundingRegion(t.rect.r, t.rect.c) }));
  }
  getUsedRange(valuesOnly = false): FakeRange {
    return this._derive("getUsedRange", [valuesOnly], (t) => {
      const used = t.sheet.usedRect(valuesOnly);
      const hit = used && intersect(used, t.rect);
      return hit ? { sheet: t.sheet, rect: hit } : fail("ItemNotFound", "The range has no used cells.");
    });
  }
  getUsedRangeOrNullObject(valuesOnly = false): FakeRange {
    return this._derive(
      "getUsedRangeOrNullObject",
      [valuesOnly],
      (t) => {
        const used = t.sheet.usedRect(valuesOnly);
        const hit = used && intersect(used, t.rect);
        return hit ? { sheet: t.sheet, rect: hit } : null;
      },
      true,
    );
  }
  private _other(other: FakeRange | string, t: RangeTarget): RangeTarget {
    if (typeof other === "string") return rangeFromAddress(this._ctx._engine.model, t.sheet, other);
    const o = other._t();
    if (o.sheet !== t.sheet) fail("InvalidArgument", "The ranges are on different sheets.");
    return o;
  }
  getIntersection(other: FakeRange | string): FakeRange {
    return this._derive("getIntersection", [typeof other === "string" ? other : "<range>"], (t) => {
      const hit = intersect(t.rect, this._other(other, t).rect);
      return hit ? { sheet: t.sheet, rect: hit } : fail("ItemNotFound", "The ranges do not intersect.");
    });
  }
  getIntersectionOrNullObject(other: FakeRange | string): FakeRange {
    return this._derive(
      "getIntersectionOrNullObject",
      [typeof other === "string" ? other : "<range>"],
      (t) => {
        const hit = intersect(t.rect, this._other(other, t).rect);
        return hit ? { sheet: t.sheet, rect: hit } : null;
      },
      true,
    );
  }
  getBoundingRect(other: FakeRange | string): FakeRange {
    return this._derive("getBoundingRect", [typeof other === "string" ? other : "<range>"], (t) => {
      const o = this._other(other, t).rect;
      const r = Math.min(t.rect.r, o.r);
      const c = Math.min(t.rect.c, o.c);
      return { sheet: t.sheet, rect: { r, c, rows: Math.max(t.rect.r + t.rect.rows, o.r + o.rows) - r, cols: Math.max(t.rect.c + t.rect.cols, o.c + o.cols) - c } };
    });
  }

  select(): void {
    this._call("select", [], (t) => {
      if (t.sheet.visibility !== "Visible") fail("InvalidOperation", "A range on a hidden sheet cannot be selected.");
      this._ctx._engine.model.selection = { sheet: t.sheet, areas: [{ ...t.rect }] };
    });
  }

  clear(applyTo: string = "All"): void {
    this._call("clear", [applyTo], (t) => {
      const { sheet, rect } = t!;
      const last = Math.min(rect.r + rect.rows, Math.max(sheet.rows.length, sheet.formats.length));
      for (let r = rect.r; r < last; r++) {
        for (let c = rect.c; c < rect.c + rect.cols && c < SHEET_COLUMNS; c++) {
          if (applyTo === "All" || applyTo === "Contents") sheet.set(r, c, "");
          if (applyTo === "All" || applyTo === "Formats") sheet.setFormat(r, c, "General");
        }
      }
    });
  }

  insert(shift: string): FakeRange {
    this._call("insert", [shift], (t) => {
      const { sheet, rect } = t!;
      const model = this._ctx._engine.model;
      if (shift === "Down") {
        model.shiftTables(sheet, rect.r, rect.rows, rect.c, rect.cols);
        sheet.shiftRows(rect.r, rect.rows, rect.c, rect.cols);
      } else if (shift === "Right") {
        for (const tb of model.tablesOn(sheet)) if (intersect({ ...tb.rect, cols: SHEET_COLUMNS - tb.c }, { ...rect, cols: SHEET_COLUMNS - rect.c })) fail("InsertDeleteConflict", `Inserting cells would move table "${tb.name}" (not supported by the fake).`);
        sheet.shiftColumns(rect.c, rect.cols, rect.r, rect.rows);
      } else fail("InvalidArgument", `"${shift}" is not an insert direction.`);
    });
    return new FakeRange(this._ctx, () => this._t());
  }

  delete(shift: string): void {
    this._call("delete", [shift], (t) => {
      const { sheet, rect } = t!;
      const model = this._ctx._engine.model;
      for (const tb of model.tablesOn(sheet)) if (intersect(tb.rect, rect)) fail("InsertDeleteConflict", `Deleting ${rectAddress(rect)} would cut table "${tb.name}" (use the table's rows).`);
      for (let r = rect.r; r < Math.min(rect.r + rect.rows, sheet.rows.length); r++) for (let c = rect.c; c < rect.c + rect.cols; c++) {
          sheet.set(r, c, "");
          sheet.setFormat(r, c, "General");
        }
      if (shift === "Up") {
        model.shiftTables(sheet, rect.r + rect.rows, -rect.rows, rect.c, rect.cols);
        sheet.shiftRows(rect.r + rect.rows, -rect.rows, rect.c, rect.cols);
      } else if (shift === "Left") {
        for (const tb of model.tablesOn(sheet)) if (tb.c >= rect.c + rect.cols && intersect({ ...tb.rect, c: 0, cols: SHEET_COLUMNS }, rect)) fail("InsertDeleteConflict", `Deleting cells would move table "${tb.name}" (not supported by the fake).`);
        sheet.shiftColumns(rect.c + rect.cols, -rect.cols, rect.r, rect.rows);
      } else fail("InvalidArgument", `"${shift}" is not a delete direction.`);
    });
  }
}

/** Range.format: autofit and a few settable properties, accepted and otherwise ignored. */
export class FakeRangeFormat extends ClientObject<RangeTarget> {
  protected readonly _type = "RangeFormat";
  protected _scalars() {
    return {};
  }
  autofitColumns(): void {
    this._call("autofitColumns", [], () => undefined);
  }
  autofitRows(): void {
    this._call("autofitRows", [], () => undefined);
  }
  set columnWidth(v: number) {
    this._set("columnWidth", v, () => undefined);
  }
  set wrapText(v: boolean) {
    this._set("wrapText", v, () => undefined);
  }
  set horizontalAlignment(v: string) {
    this._set("horizontalAlignment", v, () => undefined);
  }
}

export interface AreasTarget {
  sheet: SheetModel;
  areas: Rect[];
}

export class FakeRangeAreas extends ClientObject<AreasTarget> {
  protected readonly _type = "RangeAreas";
  protected _scalars() {
    return {
      address: (t: AreasTarget) => t.areas.map((a) => rectAddress(a, t.sheet.name)).join(","),
      areaCount: (t: AreasTarget) => t.areas.length,
    };
  }
  protected override _nav(name: string) {
    if (name === "areas") return this.areas as ClientObject<unknown>;
    if (name === "worksheet") return this.worksheet as ClientObject<unknown>;
    return null;
  }
  get address(): string {
    return this._get("address");
  }
  get areaCount(): number {
    return this._get("areaCount");
  }
  get areas(): FakeRangeCollection {
    return this._navProp("areas", () => new FakeRangeCollection(this._ctx, () => this._t())) as FakeRangeCollection;
  }
  get worksheet(): FakeWorksheet {
    return this._navProp("worksheet", () => new FakeWorksheet(this._ctx, () => this._t().sheet)) as FakeWorksheet;
  }
}

export class FakeRangeCollection extends Collection<AreasTarget, RangeTarget, FakeRange> {
  protected readonly _type = "RangeCollection";
  protected _list(t: AreasTarget) {
    if (t.areas.some((a) => a.rows === SHEET_ROWS && a.cols === SHEET_COLUMNS)) {
      // Excel hangs here (OfficeDev/office-js#5758); the fake fails instead of hanging.
      fail("GeneralException", "Loading the areas of a whole-sheet selection hangs Excel.");
    }
    return t.areas.map((rect) => ({ sheet: t.sheet, rect }));
  }
  protected _item(target: RangeTarget) {
    return new FakeRange(this._ctx, { bound: target });
  }
}

// ======================================================================== tables

interface TableScope {
  model: WorkbookModel;
  sheet: SheetModel | null;
}

export class FakeTableCollection extends Collection<TableScope, TableModel, FakeTable> {
  protected readonly _type = "TableCollection";
  protected _list(t: TableScope) {
    return t.sheet ? t.model.tablesOn(t.sheet) : t.model.tables.slice();
  }
  protected _item(target: TableModel) {
    return new FakeTable(this._ctx, { bound: target });
  }

  add(address: FakeRange | string, hasHeaders: boolean): FakeTable {
    let created: TableModel | null = null;
    this._call("add", [typeof address === "string" ? address : "<range>", hasHeaders], (scope) => {
      const target = typeof address === "string" ? rangeFromAddress(scope.model, scope.sheet, address) : address._t();
      if (scope.sheet && target.sheet !== scope.sheet) fail("InvalidArgument", "The range is not on this worksheet.");
      created = scope.model.addTable(target.sheet, target.rect, hasHeaders);
    });
    return new FakeTable(this._ctx, () => created ?? fail("GeneralException", "The table was not created."));
  }

  getItem(key: string): FakeTable {
    return new FakeTable(this._ctx, () => this._find(key) ?? fail("ItemNotFound", `There is no table "${key}".`), { kind: "TableCollection.getItem", args: [key] });
  }

  getItemOrNullObject(key: string): FakeTable {
    return new FakeTable(this._ctx, () => this._find(key) ?? null, { kind: "TableCollection.getItemOrNullObject", args: [key] });
  }

  getItemAt(index: number): FakeTable {
    return new FakeTable(this._ctx, () => this._list(this._t())[index] ?? fail("ItemNotFound", `There is no table at ${index}.`), { kind: "TableCollection.getItemAt", args: [index] });
  }

  private _find(key: string): TableModel | undefined {
    const list = this._list(this._t());
    return list.find((t) => t.id === key) ?? list.find((t) => t.name.toLowerCase() === String(key).toLowerCase());
  }
}

export class FakeTable extends ClientObject<TableModel> {
  protected readonly _type = "Table";
  protected override _check(t: TableModel) {
    if (t.deleted) fail("ItemNotFound", `Table "${t.name}" was deleted.`);
  }
  protected _scalars() {
    return {
      name: (t: TableModel) => t.name,
      id: (t: TableModel) => t.id,
      style: (t: TableModel) => t.style,
      showHeaders: () => true,
      showTotals: () => false,
    };
  }
  protected override _nav(name: string) {
    if (name === "worksheet") return this.worksheet as ClientObject<unknown>;
    if (name === "rows") return this.rows as ClientObject<unknown>;
    if (name === "columns") return this.columns as ClientObject<unknown>;
    return null;
  }
  get name(): string {
    return this._get("name");
  }
  set name(v: string) {
    this._set("name", v, (t) => {
      this._ctx._engine.model.checkTableName(v, t);
      t.name = v;
    });
  }
  get id(): string {
    return this._get("id");
  }
  get style(): string {
    return this._get("style");
  }
  set style(v: string) {
    this._set("style", v, (t) => (t.style = v));
  }
  get showHeaders(): boolean {
    return this._get("showHeaders");
  }
  get showTotals(): boolean {
    return this._get("showTotals");
  }
  get worksheet(): FakeWorksheet {
    return this._navProp("worksheet", () => new FakeWorksheet(this._ctx, () => this._t().sheet)) as FakeWorksheet;
  }
  get rows(): FakeTableRowCollection {
    return this._navProp("rows", () => new FakeTableRowCollection(this._ctx, () => this._t())) as FakeTableRowCollection;
  }
  get columns(): FakeTableColumnCollection {
    return this._navProp("columns", () => new FakeTableColumnCollection(this._ctx, () => this._t())) as FakeTableColumnCollection;
  }
  private _part(kind: string, rect: (t: TableModel) => Rect): FakeRange {
    return new FakeRange(
      this._ctx,
      () => {
        const t = this._t();
        return { sheet: t.sheet, rect: rect(t) };
      },
      { kind: `Table.${kind}`, args: [] },
    );
  }
  getHeaderRowRange(): FakeRange {
    return this._part("getHeaderRowRange", (t) => t.headerRect);
  }
  getDataBodyRange(): FakeRange {
    return this._part("getDataBodyRange", (t) => t.bodyRect);
  }
  getRange(): FakeRange {
    return this._part("getRange", (t) => t.rect);
  }
  clearFilters(): void {
    this._call("clearFilters", [], () => undefined);
  }
  convertToRange(): FakeRange {
    const range = this.getRange();
    this._call("convertToRange", [], (t) => {
      const m = this._ctx._engine.model;
      t.deleted = true;
      m.tables = m.tables.filter((x) => x !== t);
    });
    return range;
  }
  delete(): void {
    this._call("delete", [], (t) => {
      const m = this._ctx._engine.model;
      for (let r = t.r; r < t.r + t.rows; r++) for (let c = t.c; c < t.c + t.cols; c++) {
          t.sheet.set(r, c, "");
          t.sheet.setFormat(r, c, "General");
        }
      t.deleted = true;
      m.tables = m.tables.filter((x) => x !== t);
    });
  }
}

interface RowTarget {
  table: TableModel;
  index: number;
}

export class FakeTableRowCollection extends Collection<TableModel, RowTarget, FakeTableRow> {
  protected readonly _type = "TableRowCollection";
  protected _list(t: TableModel) {
    return Array.from({ length: t.rows - 1 }, (_, index) => ({ table: t, index }));
  }
  protected _item(target: RowTarget) {
    return new FakeTableRow(this._ctx, { bound: target });
  }
  add(index?: number | null, values?: Scalar[][] | Scalar[], _alwaysInsert?: boolean): FakeTableRow {
    let at = 0;
    const rows = values === undefined ? null : Array.isArray(values[0]) ? (values as Scalar[][]) : [values as Scalar[]];
    this._ctx._queue(
      "TableRowCollection.add",
      [index ?? null, values ?? null],
      () => {
        const t = this._t();
        const vals = rows ?? [Array.from({ length: t.cols }, () => "" as Scalar)];
        at = index === null || index === undefined ? (t.placeholder ? 0 : t.rows - 1) : index;
        this._ctx._engine.model.addTableRows(t, index ?? null, vals);
      },
      rows ? rows.length * (rows[0]?.length ?? 0) : 0,
    );
    return new FakeTableRow(this._ctx, () => ({ table: this._t(), index: at }));
  }
  getItemAt(index: number): FakeTableRow {
    return new FakeTableRow(
      this._ctx,
      () => {
        const t = this._t();
        if (index < 0 || index >= t.rows - 1) fail("ItemNotFound", `Table "${t.name}" has no row ${index}.`);
        return { table: t, index };
      },
      { kind: "TableRowCollection.getItemAt", args: [index] },
    );
  }
}

export class FakeTableRow extends ClientObject<RowTarget> {
  protected readonly _type = "TableRow";
  protected _scalars() {
    return {
      index: (t: RowTarget) => t.index,
      values: (t: RowTarget) => [Array.from({ length: t.table.cols }, (_, k) => t.table.sheet.get(t.table.r + 1 + t.index, t.table.c + k))],
    };
  }
  get index(): number {
    return this._get("index");
  }
  get values(): Scalar[][] {
    return this._get("values");
  }
  set values(v: Scalar[][]) {
    this._set(
      "values",
      v,
      (t) => {
        if (!Array.isArray(v) || v.length !== 1 || !Array.isArray(v[0]) || v[0].length !== t.table.cols) fail("InvalidArgument", `A table row takes 1 x ${t.table.cols} values.`);
        v[0].forEach((cell, k) => this._ctx._engine.model.writeCell(t.table.sheet, t.table.r + 1 + t.index, t.table.c + k, cell));
      },
      Array.isArray(v) && Array.isArray(v[0]) ? v[0].length : 0,
    );
  }
  getRange(): FakeRange {
    return new FakeRange(
      this._ctx,
      () => {
        const t = this._t();
        return { sheet: t.table.sheet, rect: { r: t.table.r + 1 + t.index, c: t.table.c, rows: 1, cols: t.table.cols } };
      },
      { kind: "TableRow.getRange", args: [] },
    );
  }
  delete(): void {
    this._call("delete", [], (t) => this._ctx._engine.model.deleteTableRow(t.table, t.index));
  }
}

interface ColumnTarget {
  table: TableModel;
  index: number;
}

export class FakeTableColumnCollection extends Collection<TableModel, ColumnTarget, FakeTableColumn> {
  protected readonly _type = "TableColumnCollection";
  protected _list(t: TableModel) {
    return Array.from({ length: t.cols }, (_, index) => ({ table: t, index }));
  }
  protected _item(target: ColumnTarget) {
    return new FakeTableColumn(this._ctx, { bound: target });
  }
  private _find(t: TableModel, key: string | number): ColumnTarget | null {
    const headers = t.headers();
    const i = typeof key === "number" ? key - 1 : headers.findIndex((h) => h.toLowerCase() === String(key).toLowerCase());
    return i >= 0 && i < t.cols ? { table: t, index: i } : null;
  }
  getItem(key: string | number): FakeTableColumn {
    return new FakeTableColumn(this._ctx, () => this._find(this._t(), key) ?? fail("ItemNotFound", `There is no column "${key}".`), { kind: "TableColumnCollection.getItem", args: [key] });
  }
  getItemOrNullObject(key: string | number): FakeTableColumn {
    return new FakeTableColumn(this._ctx, () => this._find(this._t(), key), { kind: "TableColumnCollection.getItemOrNullObject", args: [key] });
  }
  getItemAt(index: number): FakeTableColumn {
    return new FakeTableColumn(
      this._ctx,
      () => {
        const t = this._t();
        if (index < 0 || index >= t.cols) fail("ItemNotFound", `Table "${t.name}" has no column ${index}.`);
        return { table: t, index };
      },
      { kind: "TableColumnCollection.getItemAt", args: [index] },
    );
  }
}

export class FakeTableColumn extends ClientObject<ColumnTarget> {
  protected readonly _type = "TableColumn";
  protected _scalars() {
    return {
      name: (t: ColumnTarget) => String(t.table.sheet.get(t.table.r, t.table.c + t.index)),
      index: (t: ColumnTarget) => t.index,
      id: (t: ColumnTarget) => t.index + 1,
      values: (t: ColumnTarget) => Array.from({ length: t.table.rows }, (_, i) => [t.table.sheet.get(t.table.r + i, t.table.c + t.index)]),
    };
  }
  get name(): string {
    return this._get("name");
  }
  get index(): number {
    return this._get("index");
  }
  get values(): Scalar[][] {
    return this._get("values");
  }
  private _part(kind: string, rows: (t: TableModel) => [number, number]): FakeRange {
    return new FakeRange(
      this._ctx,
      () => {
        const t = this._t();
        const [r, n] = rows(t.table);
        return { sheet: t.table.sheet, rect: { r, c: t.table.c + t.index, rows: n, cols: 1 } };
      },
      { kind: `TableColumn.${kind}`, args: [] },
    );
  }
  getDataBodyRange(): FakeRange {
    return this._part("getDataBodyRange", (t) => [t.r + 1, t.rows - 1]);
  }
  getHeaderRowRange(): FakeRange {
    return this._part("getHeaderRowRange", (t) => [t.r, 1]);
  }
  getRange(): FakeRange {
    return this._part("getRange", (t) => [t.r, t.rows]);
  }
}

// ======================================================================== charts (recorded only)

export class FakeChartCollection extends Collection<SheetModel, ChartModel, FakeChart> {
  protected readonly _type = "ChartCollection";
  protected _list(s: SheetModel) {
    return this._ctx._engine.model.charts.filter((c) => c.sheet === s);
  }
  protected _item(target: ChartModel) {
    return new FakeChart(this._ctx, { bound: target });
  }
  add(type: string, sourceData: FakeRange | string, seriesBy: string = "Auto"): FakeChart {
    let created: ChartModel | null = null;
    this._call("add", [type, typeof sourceData === "string" ? sourceData : "<range>", seriesBy], (sheet) => {
      const model = this._ctx._engine.model;
      const src = typeof sourceData === "string" ? rangeFromAddress(model, null, sourceData) : sourceData._t();
      const chart: ChartModel = {
        id: model.newId("chart"),
        name: `Chart ${model.charts.length + 1}`,
        chartType: type,
        sheet,
        source: { sheet: src.sheet, rect: src.rect },
        seriesBy,
        series: seriesFromSource(src, seriesBy),
        position: null,
        title: null,
        legend: {},
        axes: {},
        deleted: false,
      };
      model.charts.push(chart);
      created = chart;
    });
    return new FakeChart(this._ctx, () => created ?? fail("GeneralException", "The chart was not created."));
  }
  getItem(name: string): FakeChart {
    return new FakeChart(this._ctx, () => this._list(this._t()).find((c) => c.name === name) ?? fail("ItemNotFound", `There is no chart "${name}".`), {
      kind: "ChartCollection.getItem",
      args: [name],
    });
  }
  getItemOrNullObject(name: string): FakeChart {
    return new FakeChart(this._ctx, () => this._list(this._t()).find((c) => c.name === name) ?? null, { kind: "ChartCollection.getItemOrNullObject", args: [name] });
  }
  getItemAt(index: number): FakeChart {
    return new FakeChart(this._ctx, () => this._list(this._t())[index] ?? fail("ItemNotFound", `There is no chart at ${index}.`), { kind: "ChartCollection.getItemAt", args: [index] });
  }
}

/** Series of a new chart: one per column (or row); a text first row/column gives names/categories. */
function seriesFromSource(src: RangeTarget, seriesBy: string): SeriesModel[] {
  const { sheet, rect } = src;
  const byColumns = seriesBy === "Columns" || (seriesBy !== "Rows" && rect.rows >= rect.cols);
  const isText = (r: number, c: number) => typeof sheet.get(r, c) === "string" && sheet.get(r, c) !== "";
  const out: SeriesModel[] = [];
  if (byColumns) {
    const header = rect.rows > 1 && Array.from({ length: rect.cols }, (_, k) => k).every((k) => isText(rect.r, rect.c + k));
    const categories = rect.cols > 1 && Array.from({ length: rect.rows - (header ? 1 : 0) }, (_, i) => i).every((i) => isText(rect.r + i + (header ? 1 : 0), rect.c));
    const first = header ? 1 : 0;
    for (let k = categories ? 1 : 0; k < rect.cols; k++) {
      out.push({
        name: header ? String(sheet.get(rect.r, rect.c + k)) : `Series${out.length + 1}`,
        chartType: null,
        axisGroup: "Primary",
        values: { sheet, rect: { r: rect.r + first, c: rect.c + k, rows: rect.rows - first, cols: 1 } },
        xValues: categories ? { sheet, rect: { r: rect.r + first, c: rect.c, rows: rect.rows - first, cols: 1 } } : null,
      });
    }
  } else {
    for (let i = 0; i < rect.rows; i++) {
      out.push({ name: `Series${i + 1}`, chartType: null, axisGroup: "Primary", values: { sheet, rect: { r: rect.r + i, c: rect.c, rows: 1, cols: rect.cols } }, xValues: null });
    }
  }
  return out;
}

export class FakeChart extends ClientObject<ChartModel> {
  protected readonly _type = "Chart";
  protected override _check(c: ChartModel) {
    if (c.deleted) fail("ItemNotFound", `Chart "${c.name}" was deleted.`);
  }
  protected _scalars() {
    return { name: (c: ChartModel) => c.name, id: (c: ChartModel) => c.id, chartType: (c: ChartModel) => c.chartType };
  }
  get name(): string {
    return this._get("name");
  }
  set name(v: string) {
    this._set("name", v, (c) => (c.name = v));
  }
  get id(): string {
    return this._get("id");
  }
  get chartType(): string {
    return this._get("chartType");
  }
  set chartType(v: string) {
    this._set("chartType", v, (c) => (c.chartType = v));
  }
  setPosition(startCell: FakeRange | string, endCell?: FakeRange | string): void {
    const addr = (x: FakeRange | string | undefined) => (x === undefined ? null : typeof x === "string" ? x : rectAddress(x._t().rect));
    this._call("setPosition", [typeof startCell === "string" ? startCell : "<range>", typeof endCell === "string" ? endCell : endCell ? "<range>" : null], (c) => {
      const start = addr(startCell)!;
      if (!parseLocal(splitSheet(start).local)) fail("InvalidArgument", `"${start}" is not a cell.`);
      c.position = { start, end: addr(endCell) };
    });
  }
  delete(): void {
    this._call("delete", [], (c) => {
      const m = this._ctx._engine.model;
      c.deleted = true;
      m.charts = m.charts.filter((x) => x !== c);
    });
  }
  get title(): FakeRecorder {
    return this._navProp("title", () => new FakeRecorder(this._ctx, "ChartTitle", (v) => (this._t().title = String(v.text ?? "")), ["text", "visible"])) as FakeRecorder;
  }
  get legend(): FakeRecorder {
    return this._navProp("legend", () => new FakeRecorder(this._ctx, "ChartLegend", (v) => Object.assign(this._t().legend, v), ["position", "visible"])) as FakeRecorder;
  }
  get series(): FakeChartSeriesCollection {
    return this._navProp("series", () => new FakeChartSeriesCollection(this._ctx, () => this._t())) as FakeChartSeriesCollection;
  }
  get axes(): FakeChartAxes {
    return this._navProp("axes", () => new FakeChartAxes(this._ctx, () => this._t())) as FakeChartAxes;
  }
}

/** A chart part whose settable properties are just recorded into the chart model. */
export class FakeRecorder extends ClientObject<null> {
  protected readonly _type: string;
  constructor(ctx: FakeRequestContext, type: string, store: (v: Record<string, unknown>) => void, props: string[]) {
    super(ctx, { bound: null });
    this._type = type;
    for (const p of props) {
      Object.defineProperty(this, p, {
        set: (v: unknown) => this._ctx._queue(`${type}.${p}=`, [v], () => store({ [p]: v })),
        enumerable: true,
      });
    }
  }
  protected _scalars() {
    return {};
  }
  [prop: string]: unknown;
}

export class FakeChartAxes extends ClientObject<ChartModel> {
  protected readonly _type = "ChartAxes";
  protected _scalars() {
    return {};
  }
  getItem(type: string, group: string = "Primary"): FakeRecorder {
    return new FakeRecorder(
      this._ctx,
      "ChartAxis",
      (v) => {
        const c = this._t();
        Object.assign((c.axes[`${type}/${group}`] ??= {}), v);
      },
      ["numberFormat", "maximum", "minimum", "visible", "displayUnit", "majorUnit"],
    );
  }
  get valueAxis(): FakeRecorder {
    return this.getItem("Value", "Primary");
  }
  get categoryAxis(): FakeRecorder {
    return this.getItem("Category", "Primary");
  }
}

export class FakeChartSeriesCollection extends Collection<ChartModel, SeriesModel, FakeChartSeries> {
  protected readonly _type = "ChartSeriesCollection";
  protected _list(c: ChartModel) {
    return c.series.slice();
  }
  protected _item(target: SeriesModel) {
    return new FakeChartSeries(this._ctx, { bound: target });
  }
  getItemAt(index: number): FakeChartSeries {
    return new FakeChartSeries(this._ctx, () => this._t().series[index] ?? fail("ItemNotFound", `The chart has no series ${index}.`), { kind: "ChartSeriesCollection.getItemAt", args: [index] });
  }
  add(name?: string, index?: number): FakeChartSeries {
    let created: SeriesModel | null = null;
    this._call("add", [name, index], (c) => {
      const s: SeriesModel = { name: name ?? `Series${c.series.length + 1}`, chartType: null, axisGroup: "Primary", values: null, xValues: null };
      if (index === undefined) c.series.push(s);
      else c.series.splice(index, 0, s);
      created = s;
    });
    return new FakeChartSeries(this._ctx, () => created ?? fail("GeneralException", "The series was not created."));
  }
}

export class FakeChartSeries extends ClientObject<SeriesModel> {
  protected readonly _type = "ChartSeries";
  protected _scalars() {
    return { name: (s: SeriesModel) => s.name, chartType: (s: SeriesModel) => s.chartType, axisGroup: (s: SeriesModel) => s.axisGroup };
  }
  get name(): string {
    return this._get("name");
  }
  set name(v: string) {
    this._set("name", v, (s) => (s.name = v));
  }
  get chartType(): string {
    return this._get("chartType");
  }
  set chartType(v: string) {
    this._set("chartType", v, (s) => (s.chartType = v));
  }
  get axisGroup(): string {
    return this._get("axisGroup");
  }
  set axisGroup(v: string) {
    this._set("axisGroup", v, (s) => {
      if (v !== "Primary" && v !== "Secondary") fail("InvalidArgument", `"${v}" is not an axis group.`);
      s.axisGroup = v;
    });
  }
  setValues(source: FakeRange): void {
    this._call("setValues", ["<range>"], (s) => {
      const t = source._t();
      s.values = { sheet: t.sheet, rect: t.rect };
    });
  }
  setXAxisValues(source: FakeRange): void {
    this._call("setXAxisValues", ["<range>"], (s) => {
      const t = source._t();
      s.xValues = { sheet: t.sheet, rect: t.rect };
    });
  }
}
