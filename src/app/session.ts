/**
 * The pane's state and the actions behind every button, with no React and no Office.js: views read
 * `getState()` (via useSyncExternalStore) and call these methods. Business rules live in the
 * services and the engine; this class sequences them and turns failures into messages that say
 * what to fix.
 */
import { validateAbcCutoffs } from "../engine/abc";
import { ArgumentError } from "../engine/errors";
import {
  defaultPolicyGrid,
  defaultPolicyOptions,
  policyOptionProblems,
  policyProblems,
  type PolicyOptions,
  type SegmentPolicy,
  type SegmentPolicyField,
} from "../engine/policy";
import { AuditService, type AuditFilter, type VerifyResult } from "./auditService";
import { NoopAuditSync, type AuditSync, type SyncStatus } from "./auditSync";
import { defaultClassifyOptions, type ClassificationResult, type ClassifyOptions } from "./classifyTypes";
import type { EngineRunner } from "./engineRunner";
import {
  detectHeaderRow,
  headersOf,
  mappingKey,
  mappingProblems,
  proposeMapping,
  type ColumnMapping,
  type MappingField,
} from "./mapping";
import { OverrideService, ValidationError, type SelectedSku } from "./overrides";
import { parseRows, type ParsedTable } from "./parse";
import { effectiveSegments, skuPolicyRow } from "./plans";
import type { PolicyEdit, PolicyResolution } from "./policyEdits";
import type { AuditRow, Progress, RangeSnapshot, WorkbookGateway } from "./ports";
import { buildPreview, type Preview } from "./preview";
import { overrideVersion, type PublishStatus, type SnapshotPublisher } from "./publishing";
import { SETTINGS, SKU_POLICY_HEADERS, SKU_POLICY_TABLE } from "./sheets";
import { isAbortError, WriteService, type LastRun, type RunInput, type WriteOutcome } from "./writeService";

export type Busy = null | "reading" | "classifying" | "writing" | "overriding" | "audit";

export interface SourceInfo {
  sheetName: string;
  address: string;
  /** 0-based sheet row and column of the range's top-left cell. */
  firstRow: number;
  firstColumn: number;
  rows: number;
  columns: number;
}

export interface PaneState {
  busy: Busy;
  /** Last failure, phrased as what to do about it. */
  error: string | null;
  /** The form field the last error is about (e.g. "reason"), when it is about one. */
  errorField: string | null;
  /** Last success message. */
  notice: string | null;
  source: SourceInfo | null;
  headers: string[];
  /** The first rows of the source (up to 30), a few cells each, to pick the header row from. */
  rowPreviews: string[];
  /** Header row detected automatically (null: none found, the user must pick). */
  detectedHeaderRow: number | null;
  mapping: ColumnMapping | null;
  mappingProblems: string[];
  /** The mapping came from this workbook's memory for this sheet and header row. */
  mappingRemembered: boolean;
  options: ClassifyOptions;
  optionProblems: string[];
  preview: Preview | null;
  grid: SegmentPolicy[];
  gridProblems: string[];
  policyOptions: PolicyOptions;
  policyOptionProblems: string[];
  /** Hand edits on the Policy sheet waiting for the user's choice (keep theirs / use new). */
  conflicts: PolicyEdit[] | null;
  progress: Progress | null;
  lastWrite: WriteOutcome | null;
  lastRun: LastRun | null;
  selection: SelectedSku[] | null;
  auditRows: AuditRow[];
  auditFilter: AuditFilter;
  verify: VerifyResult | null;
  userName: string;
  syncStatus: SyncStatus;
  /** Snapshot publishing (null when the pane has no publisher, e.g. tests and the default). */
  publishStatus: PublishStatus | null;
}

export interface PaneDeps {
  gateway: WorkbookGateway;
  runner: EngineRunner;
  auditSync?: AuditSync;
  /** Publishes a snapshot after each Write and after overrides of the written run (no HTTP in here). */
  publisher?: SnapshotPublisher;
  now?: () => Date;
  uuid?: () => string;
  identity?: () => string | undefined;
}

function message(e: unknown): string {
  if (e instanceof ArgumentError) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}

export function classifyOptionProblems(o: ClassifyOptions): string[] {
  const out: string[] = [];
  try {
    validateAbcCutoffs(o.abcCutoffs);
  } catch (e) {
    out.push(`ABC ${message(e)}`);
  }
  const [x, y] = o.xyzCutoffs;
  if (!(o.xyzCutoffs.length === 2 && x > 0 && y > x && Number.isFinite(y))) {
    out.push(`XYZ cut-offs: give two CV limits above 0, the second larger (e.g. 0.5 and 1.0); got ${o.xyzCutoffs.join(", ")}.`);
  }
  if (o.sdType !== "population" && o.sdType !== "sample") out.push('Standard deviation type must be "population" or "sample".');
  if (o.outliers.enabled) {
    if (!(Number.isInteger(o.outliers.halfWidth) && o.outliers.halfWidth >= 1 && o.outliers.halfWidth <= 1000)) out.push(`Outlier half-width must be a whole number of periods from 1 to 1000; got ${o.outliers.halfWidth}.`);
    if (!(o.outliers.threshold > 0)) out.push(`Outlier threshold must be above 0 (3 is usual); got ${o.outliers.threshold}.`);
  }
  if (!(o.pattern.adi > 1)) out.push(`Pattern ADI cut-off must be above 1 (1.32 is usual); got ${o.pattern.adi}.`);
  if (!(o.pattern.cv2 > 0)) out.push(`Pattern CV² cut-off must be above 0 (0.49 is usual); got ${o.pattern.cv2}.`);
  if (!(Number.isInteger(o.periodsPerYear) && o.periodsPerYear > 0)) out.push(`Periods per year must be a whole number (52 weekly, 12 monthly); got ${o.periodsPerYear}.`);
  return out;
}

export class PaneSession {
  readonly gateway: WorkbookGateway;
  readonly audit: AuditService;
  readonly overrides: OverrideService;
  readonly writer: WriteService;
  readonly sync: AuditSync;
  private readonly runner: EngineRunner;
  private state: PaneState;
  private listeners = new Set<() => void>();
  private snapshot: RangeSnapshot | null = null;
  private run: RunInput | null = null;
  /**
   * The run whose rows are on the sheets now (the last successful write in this session), with the
   * policy options it was written with and the override changes made to it since (they number the
   * derived snapshot versions `<modelVersion>+o<n>`).
   */
  private written: { run: RunInput; outcome: WriteOutcome; policyOptions: PolicyOptions; overrideRevision: number } | null = null;
  private abort: AbortController | null = null;
  private readonly publisher: SnapshotPublisher | null;
  /** The Audit list has been loaded (so it is worth re-reading when the sync marks rows). */
  private auditListed = false;
  /** A background re-read of the Audit list was wanted while another step was running. */
  private auditReloadWanted = false;

  constructor(deps: PaneDeps) {
    this.gateway = deps.gateway;
    this.runner = deps.runner;
    const now = deps.now ?? (() => new Date());
    this.audit = new AuditService({ gateway: deps.gateway, now, uuid: deps.uuid, identity: deps.identity });
    this.overrides = new OverrideService(deps.gateway, this.audit, now);
    this.writer = new WriteService(deps.gateway, this.audit, now);
    this.sync = deps.auditSync ?? new NoopAuditSync();
    this.publisher = deps.publisher ?? null;
    const s = deps.gateway.settings;
    const grid = s.get<SegmentPolicy[]>(SETTINGS.policyGrid) ?? defaultPolicyGrid();
    const options = { ...defaultClassifyOptions(), ...(s.get<ClassifyOptions>(SETTINGS.options) ?? {}) };
    const policyOptions = { ...defaultPolicyOptions(), ...(s.get<PolicyOptions>(SETTINGS.policyOptions) ?? {}), periodsPerYear: options.periodsPerYear };
    this.state = {
      busy: null,
      error: null,
      errorField: null,
      notice: null,
      source: null,
      headers: [],
      rowPreviews: [],
      detectedHeaderRow: null,
      mapping: null,
      mappingProblems: [],
      mappingRemembered: false,
      options,
      optionProblems: classifyOptionProblems(options),
      preview: null,
      grid,
      gridProblems: grid.flatMap(policyProblems),
      policyOptions,
      policyOptionProblems: policyOptionProblems(policyOptions),
      conflicts: null,
      progress: null,
      lastWrite: null,
      lastRun: s.get<LastRun>(SETTINGS.lastRun) ?? null,
      selection: null,
      auditRows: [],
      auditFilter: {},
      verify: null,
      userName: s.get<string>(SETTINGS.userName) ?? "",
      syncStatus: this.sync.status(),
      publishStatus: this.publisher ? this.publisher.status() : null,
    };
    // The list's syncState column is read with the list: re-read it when the sync has marked rows
    // (it turned "synced", or stopped on an error after sending some).
    let lastKind = this.sync.status().kind;
    this.sync.subscribe(() => {
      const syncStatus = this.sync.status();
      const turned = syncStatus.kind !== lastKind && (syncStatus.kind === "synced" || syncStatus.kind === "error");
      lastKind = syncStatus.kind;
      this.set({ syncStatus });
      if (turned && this.auditListed) void this.reloadAuditQuietly();
    });
    const publisher = this.publisher;
    publisher?.subscribe(() => this.set({ publishStatus: publisher.status() }));
  }

  // ---- store plumbing -------------------------------------------------------------------------

  getState = (): PaneState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private set(patch: Partial<PaneState>): void {
    this.state = { ...this.state, ...patch };
    this.listeners.forEach((l) => l());
  }

  private async task<T>(busy: Busy, body: () => Promise<T>): Promise<T | undefined> {
    if (this.state.busy) {
      this.set({ error: `Wait until the current step (${this.state.busy}) has finished.` });
      return undefined;
    }
    this.set({ busy, error: null, errorField: null, notice: null });
    try {
      return await body();
    } catch (e) {
      this.set({ error: message(e), errorField: e instanceof ValidationError ? e.field : null });
      return undefined;
    } finally {
      this.set({ busy: null, progress: null });
      if (this.auditReloadWanted) {
        this.auditReloadWanted = false;
        void this.reloadAuditQuietly();
      }
    }
  }

  /** The current classification, for views that show per-SKU details. */
  currentRun(): { parsed: ParsedTable; result: ClassificationResult } | null {
    return this.run ? { parsed: this.run.parsed, result: this.run.result } : null;
  }

  dismissMessages(): void {
    this.set({ error: null, errorField: null, notice: null });
  }

  // ---- Classify tab ---------------------------------------------------------------------------

  /** Reads the selected range ("selection") or the region around it ("region") and proposes a mapping. */
  readSource(kind: "selection" | "region"): Promise<void | undefined> {
    return this.task("reading", async () => {
      const snap = kind === "selection" ? await this.gateway.readSelection() : await this.gateway.readCurrentRegion();
      if (snap.values.length < 2) throw new Error(`${snap.address} has ${snap.values.length} row(s): select the header row and at least one SKU row (or click "Use current region").`);
      this.snapshot = snap;
      this.run = null;
      const detected = detectHeaderRow(snap.values);
      this.applyHeaderRow(detected ?? 0, detected);
      const source: SourceInfo = { sheetName: snap.sheetName, address: snap.address, firstRow: snap.firstRow, firstColumn: snap.firstColumn, rows: snap.values.length, columns: snap.values[0]?.length ?? 0 };
      const rowPreviews = snap.values.slice(0, Math.min(30, snap.values.length - 1)).map((row) =>
        row
          .slice(0, 4)
          .map((c) => (c === null || c === undefined ? "" : String(c)))
          .join(" | "),
      );
      this.set({
        source,
        rowPreviews,
        preview: null,
        notice: detected === null ? `Read ${snap.address}. No header row was recognised: choose it below.` : `Read ${snap.address}; headers found in row ${snap.firstRow + detected + 1}.`,
      });
    });
  }

  private applyHeaderRow(headerRow: number, detected: number | null): void {
    const snap = this.snapshot!;
    const headers = headersOf(snap, headerRow);
    const remembered = this.gateway.settings.get<Record<string, ColumnMapping>>(SETTINGS.mappings)?.[mappingKey(snap.sheetName, headers)];
    const columns = headers.length;
    let mapping = proposeMapping(snap, headerRow);
    let fromMemory = false;
    if (remembered && remembered.headerRow === headerRow && mappingProblems(remembered, columns).length === 0) {
      mapping = remembered;
      fromMemory = true;
    }
    this.set({ headers, detectedHeaderRow: detected, mapping, mappingRemembered: fromMemory, mappingProblems: mappingProblems(mapping, columns), preview: null });
  }

  setHeaderRow(row: number): void {
    if (!this.snapshot) return;
    if (!(Number.isInteger(row) && row >= 0 && row < this.snapshot.values.length - 1)) {
      this.set({ error: `The header row must be one of rows ${this.snapshot.firstRow + 1} to ${this.snapshot.firstRow + this.snapshot.values.length - 1} of the sheet.` });
      return;
    }
    this.applyHeaderRow(row, this.state.detectedHeaderRow);
  }

  setMappingField(field: MappingField, column: number | null): void {
    const m = this.state.mapping;
    if (!m) return;
    const mapping: ColumnMapping = { ...m, columns: { ...m.columns, [field]: column } };
    this.set({ mapping, mappingRemembered: false, mappingProblems: mappingProblems(mapping, this.state.headers.length), preview: null });
  }

  setHistory(first: number | null, last: number | null): void {
    const m = this.state.mapping;
    if (!m) return;
    const history = first === null || last === null ? null : { first, last };
    const mapping: ColumnMapping = { ...m, history };
    this.set({ mapping, mappingRemembered: false, mappingProblems: mappingProblems(mapping, this.state.headers.length), preview: null });
  }

  setOptions(patch: Partial<ClassifyOptions>): void {
    const options = { ...this.state.options, ...patch };
    this.set({ options, optionProblems: classifyOptionProblems(options), preview: null });
    // one period length for both the value (history x cost) and the EOQ
    if (patch.periodsPerYear !== undefined) this.setPolicyOptions({ periodsPerYear: patch.periodsPerYear });
  }

  /** Parses the rows, runs the engine (off the UI thread when a worker runner is given) and builds the preview. */
  classify(): Promise<void | undefined> {
    return this.task("classifying", async () => {
      const snap = this.snapshot;
      const mapping = this.state.mapping;
      if (!snap || !mapping) throw new Error('Read the SKU table first: select it and click "Read selection" (or "Use current region").');
      if (this.state.mappingProblems.length) throw new Error(this.state.mappingProblems[0]);
      if (this.state.optionProblems.length) throw new Error(this.state.optionProblems[0]);
      const options = this.state.options;
      const parsed = parseRows(snap, mapping, { periodsPerYear: options.periodsPerYear });
      if (parsed.n === 0) {
        const first = parsed.rejected[0];
        throw new Error(first ? `No usable SKU rows: every row was rejected (first: ${first.message}).` : "No SKU rows below the header row: select a larger range.");
      }
      const result = await this.runner.classify({ parsed, options });
      this.run = { sourceAddress: snap.address, mapping, options, parsed, result };
      // remember the mapping and options for this workbook
      const all = this.gateway.settings.get<Record<string, ColumnMapping>>(SETTINGS.mappings) ?? {};
      all[mappingKey(snap.sheetName, this.state.headers)] = mapping;
      await this.gateway.settings.set(SETTINGS.mappings, all);
      await this.gateway.settings.set(SETTINGS.options, options);
      const preview = buildPreview(parsed, result, this.overrides.all());
      this.set({
        preview,
        mappingRemembered: true,
        notice: `Classified ${parsed.n} SKUs${parsed.rejected.length ? `; ${parsed.rejected.length} rows rejected (listed below)` : ""}. Check the preview, then write from the Write tab.`,
      });
    });
  }

  // ---- Policy tab -----------------------------------------------------------------------------

  setGridCell(segment: string, field: SegmentPolicyField, value: number | string): void {
    const grid = this.state.grid.map((p) => (p.segment === segment ? ({ ...p, [field]: value } as SegmentPolicy) : p));
    this.set({ grid, gridProblems: grid.flatMap(policyProblems) });
  }

  resetGrid(): void {
    const grid = defaultPolicyGrid();
    this.set({ grid, gridProblems: [], notice: "Policy grid reset to the defaults (written at the next Write)." });
  }

  setPolicyOptions(patch: Partial<PolicyOptions>): void {
    const policyOptions = { ...this.state.policyOptions, ...patch };
    this.set({ policyOptions, policyOptionProblems: policyOptionProblems(policyOptions) });
  }

  // ---- Write tab ------------------------------------------------------------------------------

  /** Starts a write; when the Policy sheet has hand edits it stops and asks (state.conflicts). */
  write(): Promise<void | undefined> {
    return this.task("writing", async () => {
      this.checkWritable();
      const conflicts = await this.writer.findConflicts(this.state.grid);
      if (conflicts.length) {
        this.set({ conflicts });
        return;
      }
      await this.doWrite("keep");
    });
  }

  /** Continues a write after the user chose what to do with hand edits ("keep" theirs is the default). */
  resolveConflicts(resolution: PolicyResolution = "keep"): Promise<void | undefined> {
    return this.task("writing", async () => {
      this.checkWritable();
      this.set({ conflicts: null });
      await this.doWrite(resolution);
    });
  }

  dismissConflicts(): void {
    this.set({ conflicts: null, notice: "Nothing was written." });
  }

  cancelWrite(): void {
    this.abort?.abort();
  }

  private checkWritable(): void {
    if (!this.run) throw new Error("Classify first (Classify tab): there is nothing to write yet.");
    if (this.state.gridProblems.length) throw new Error(`Fix the policy grid first: ${this.state.gridProblems[0]}.`);
    if (this.state.policyOptionProblems.length) throw new Error(`Fix the policy options first: ${this.state.policyOptionProblems[0]}.`);
  }

  private async doWrite(resolution: PolicyResolution): Promise<void> {
    const run = this.run!;
    const policyOptions = this.state.policyOptions;
    this.abort = new AbortController();
    try {
      const outcome = await this.writer.write({
        run,
        grid: this.state.grid,
        policyOptions,
        resolution,
        signal: this.abort.signal,
        onProgress: (progress) => this.set({ progress }),
      });
      this.written = { run, outcome, policyOptions, overrideRevision: 0 };
      const kept = outcome.keptEdits.length ? ` Kept ${outcome.keptEdits.length} hand edit(s) from the Policy sheet.` : "";
      this.set({
        lastWrite: outcome,
        lastRun: this.gateway.settings.get<LastRun>(SETTINGS.lastRun) ?? null,
        grid: outcome.grid,
        gridProblems: [],
        notice: `Wrote ${outcome.rows} SKUs to the Segments and Policy sheets (model version ${outcome.modelVersion}).${kept}`,
      });
      await this.refreshAuditRows();
      await this.publishWritten(false);
    } catch (e) {
      if (isAbortError(e) || this.abort.signal.aborted) {
        this.set({ notice: "Write cancelled: the workbook is as it was before." });
        return;
      }
      throw e;
    } finally {
      this.abort = null;
    }
  }

  // ---- Overrides tab --------------------------------------------------------------------------

  loadSelection(): Promise<void | undefined> {
    return this.task("overriding", async () => {
      const selection = await this.overrides.readSelection();
      this.set({ selection, notice: `${selection.length} SKU(s) selected on the Segments sheet.` });
    });
  }

  setOverride(segment: string, reason: string): Promise<void | undefined> {
    return this.task("overriding", async () => {
      const selection = this.state.selection ?? (await this.overrides.readSelection());
      const change = await this.overrides.set(selection, segment, reason, (c) => this.followOverrides(c));
      this.set({ selection: null, notice: `Override to ${segment.toUpperCase()} set for ${change.skus.join(", ")}.${this.laterNote()}` });
      await this.refreshAuditRows();
      this.refreshPreview();
      await this.publishWritten(true);
    });
  }

  clearOverride(reason: string): Promise<void | undefined> {
    return this.task("overriding", async () => {
      const selection = this.state.selection ?? (await this.overrides.readSelection());
      const change = await this.overrides.clear(selection, reason, (c) => this.followOverrides(c));
      this.set({ selection: null, notice: `Override removed for ${change.skus.join(", ")}.${this.laterNote()}` });
      await this.refreshAuditRows();
      this.refreshPreview();
      await this.publishWritten(true);
    });
  }

  private refreshPreview(): void {
    if (this.run && this.state.preview) this.set({ preview: buildPreview(this.run.parsed, this.run.result, this.overrides.all()) });
  }

  /**
   * Keeps the per-SKU policy table in step with an override when the run that wrote it is still in
   * memory (same model version); otherwise the next Write brings it up to date.
   */
  private async followOverrides(changed: { sku: string; segment: string | null }[]): Promise<void> {
    if (!this.written) return;
    const { run, outcome: written, policyOptions } = this.written;
    const index = new Map<string, number>();
    run.parsed.sku.forEach((s, i) => index.set(s, i));
    const eff = effectiveSegments(run.parsed, run.result, this.overrides.all());
    const grid = this.writer.lastWrittenGrid() ?? written.grid;
    const updates: { key: string; header: string; value: string | number | boolean | null }[] = [];
    for (const c of changed) {
      const i = index.get(c.sku);
      if (i === undefined) continue;
      const row = skuPolicyRow(i, run.parsed, run.result, eff.segment[i], eff.source[i], grid, policyOptions, written.modelVersion);
      SKU_POLICY_HEADERS.forEach((h, k) => {
        if (h !== "SKU") updates.push({ key: c.sku, header: h, value: row[k] });
      });
    }
    if (updates.length) await this.gateway.updateTableCells(SKU_POLICY_TABLE, "SKU", updates);
  }

  /** Said after an override when the written run is no longer in the pane (it was reopened). */
  private laterNote(): string {
    if (this.written || !this.state.lastRun) return "";
    return this.publisher
      ? " The Policy sheet and the server's snapshot take it in at the next Write."
      : " The Policy sheet takes it in at the next Write.";
  }

  /**
   * Hands the written run to the publisher without waiting for it (its status shows on the Write
   * tab): after the Write under its model version, after an override change under the derived
   * version `<modelVersion>+o<n>` (see publishing.ts), since the server keeps one content per version.
   */
  private async publishWritten(afterOverride: boolean): Promise<void> {
    const w = this.written;
    const publisher = this.publisher;
    if (!w || !publisher) return;
    let modelVersion: string | undefined;
    if (afterOverride) {
      w.overrideRevision++;
      modelVersion = overrideVersion(w.outcome.modelVersion, w.overrideRevision);
    }
    let workbookId: string;
    try {
      workbookId = await this.audit.workbookId();
    } catch (e) {
      this.set({ error: `The sheets are written, but the snapshot was not published: ${message(e)}` });
      return;
    }
    void publisher.publishWrite({ workbookId, run: w.run, outcome: w.outcome, overrides: this.overrides.all(), policyOptions: w.policyOptions, modelVersion });
  }

  // ---- Audit tab ------------------------------------------------------------------------------

  private async refreshAuditRows(): Promise<void> {
    const all = await this.gateway.audit.readAll();
    this.sync.observe(all);
    const rows = await this.audit.list(this.state.auditFilter);
    this.set({ auditRows: rows });
  }

  loadAudit(filter?: AuditFilter): Promise<void | undefined> {
    return this.task("audit", async () => {
      if (filter) this.set({ auditFilter: filter });
      // set before reading, so that the sync turning "synced" during this read re-reads after it
      this.auditListed = true;
      await this.refreshAuditRows();
    });
  }

  /** Re-reads the Audit list outside any step (after the sync marked rows); waits for a running step. */
  private async reloadAuditQuietly(): Promise<void> {
    if (this.state.busy) {
      this.auditReloadWanted = true;
      return;
    }
    try {
      await this.refreshAuditRows();
    } catch {
      // the list keeps what it showed; the next load of the Audit tab reads the sheet again
    }
  }

  verifyAudit(): Promise<void | undefined> {
    return this.task("audit", async () => {
      const verify = await this.audit.verify();
      this.set({ verify });
    });
  }

  /**
   * "Sync now". Not a pane step: a large backlog (or a server that is down, until the first
   * failure) can take a while, and the pane stays usable meanwhile; SyncStatus shows the progress.
   * Resolves when this sync loop has ended and the Audit list has been re-read.
   */
  async syncNow(): Promise<void> {
    try {
      await this.sync.syncNow();
    } catch (e) {
      this.set({ error: `Sync failed: ${message(e)}` });
      return;
    }
    await this.reloadAuditQuietly();
  }

  // ---- Settings tab ---------------------------------------------------------------------------

  setUserName(name: string): Promise<void | undefined> {
    return this.task(null, async () => {
      await this.audit.setUserName(name);
      this.set({ userName: name.trim(), notice: `Audit entries will be signed "${name.trim()}".` });
    });
  }
}

export { ValidationError };
