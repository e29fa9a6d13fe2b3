/**
 * The Write step: resolves hand edits on the Policy sheet, computes the per-SKU policies, writes the
 * Segments and Policy sheets in one all-or-nothing gateway call (progress + Cancel), and only then
 * records the run in the audit trail and the workbook settings. A cancelled or failed write leaves
 * the workbook, the trail and the settings as they were.
 */
import { defaultPolicyGrid, diffPolicyGrids, policyFieldHeader, validatePolicyGrid, type PolicyOptions, type SegmentPolicy } from "../engine/policy";
import type { AuditEvent, AuditService } from "./auditService";
import type { ClassificationResult, ClassifyOptions } from "./classifyTypes";
import type { ColumnMapping } from "./mapping";
import { canonicalJson, makeModelVersion } from "./modelVersion";
import type { OverrideMap } from "./overrides";
import type { ParsedTable } from "./parse";
import { findPolicyConflicts, resolvePolicyGrid, type PolicyEdit, type PolicyResolution } from "./policyEdits";
import { effectiveSegments, policyPlan, SEGMENT_POLICY_ANCHOR, segmentsPlan, skuPolicyRows } from "./plans";
import type { IoReport, Progress, WorkbookGateway } from "./ports";
import { SEGMENT_POLICY_TABLE, SETTINGS } from "./sheets";

export interface RunInput {
  sourceAddress: string;
  mapping: ColumnMapping;
  options: ClassifyOptions;
  parsed: ParsedTable;
  result: ClassificationResult;
}

export interface LastRun {
  modelVersion: string;
  timestamp: string;
  skus: number;
  rejected: number;
  source: string;
}

export interface WriteOutcome {
  modelVersion: string;
  report: IoReport;
  /** Wall time of the whole write (policies, sheets, audit, settings), ms. */
  ms: number;
  rows: number;
  /** The grid that was written (the pane adopts it). */
  grid: SegmentPolicy[];
  keptEdits: PolicyEdit[];
  replacedEdits: PolicyEdit[];
  policyChanges: number;
  overridden: number;
  flagged: number;
}

export interface WriteRequest {
  run: RunInput;
  grid: readonly SegmentPolicy[];
  policyOptions: PolicyOptions;
  resolution: PolicyResolution;
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
}

function show(v: unknown): string {
  return v === undefined || v === null ? "" : String(v);
}

export class WriteService {
  constructor(
    private readonly gateway: WorkbookGateway,
    private readonly audit: AuditService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  lastWrittenGrid(): SegmentPolicy[] | undefined {
    return this.gateway.settings.get<SegmentPolicy[]>(SETTINGS.policyWritten);
  }

  /** Hand edits on the Policy sheet that the pane's grid would overwrite. */
  async findConflicts(grid: readonly SegmentPolicy[]): Promise<PolicyEdit[]> {
    const table = await this.gateway.readTable(SEGMENT_POLICY_TABLE);
    return findPolicyConflicts(table, this.lastWrittenGrid(), grid, SEGMENT_POLICY_ANCHOR);
  }

  async write(req: WriteRequest): Promise<WriteOutcome> {
    const t0 = performance.now();
    validatePolicyGrid(req.grid);
    const conflicts = await this.findConflicts(req.grid);
    const grid = validatePolicyGrid(resolvePolicyGrid(req.grid, conflicts, req.resolution));
    const keptEdits = req.resolution === "keep" ? conflicts.filter((c) => c.valid) : [];
    const replacedEdits = conflicts.filter((c) => !keptEdits.includes(c));
    if (req.signal?.aborted) throw abortError();

    const { run } = req;
    const overrides = this.gateway.settings.get<OverrideMap>(SETTINGS.overrides) ?? {};
    const previous = this.gateway.settings.get<LastRun>(SETTINGS.lastRun);
    const stamp = this.now();
    const parameters = {
      source: run.sourceAddress,
      mapping: run.mapping,
      options: run.options,
      grid,
      policyOptions: req.policyOptions,
      skus: run.parsed.n,
    };
    const modelVersion = await makeModelVersion(parameters, stamp);

    req.onProgress?.({ phase: "Computing policies", done: 0, total: 1 });
    const effective = effectiveSegments(run.parsed, run.result, overrides);
    const skuRows = skuPolicyRows(run.parsed, run.result, effective, grid, req.policyOptions, modelVersion);
    const plans = [segmentsPlan(run.parsed, run.result, overrides, modelVersion), policyPlan(grid, skuRows)];
    if (req.signal?.aborted) throw abortError();

    const report = await this.gateway.writeSheets(plans, { signal: req.signal, onProgress: req.onProgress });

    // The sheets are in; record why they look the way they do.
    const before = this.lastWrittenGrid() ?? defaultPolicyGrid();
    const keptKeys = new Set(keptEdits.map((e) => `${e.segment}|${e.field}`));
    const events: AuditEvent[] = diffPolicyGrids(before, grid).map((d) => ({
      action: "policy-changed",
      sku: "",
      field: `${d.segment} ${policyFieldHeader(d.field)}`,
      oldValue: show(d.from),
      newValue: show(d.to),
      reason: keptKeys.has(`${d.segment}|${d.field}`) ? "edited on the Policy sheet (kept)" : "changed in the pane",
      modelVersion,
    }));
    events.push({
      action: "classify-run",
      field: "parameters",
      oldValue: previous?.modelVersion ?? "",
      newValue: canonicalJson(parameters),
      reason: `${run.parsed.n} SKUs classified, ${run.parsed.rejected.length} rows rejected, from ${run.sourceAddress}`,
      modelVersion,
    });
    req.onProgress?.({ phase: "Recording the audit entries", done: 0, total: 1 });
    await this.audit.record(events);

    const lastRun: LastRun = { modelVersion, timestamp: stamp.toISOString(), skus: run.parsed.n, rejected: run.parsed.rejected.length, source: run.sourceAddress };
    await this.gateway.settings.set(SETTINGS.policyWritten, grid);
    await this.gateway.settings.set(SETTINGS.policyGrid, grid);
    await this.gateway.settings.set(SETTINGS.policyOptions, req.policyOptions);
    await this.gateway.settings.set(SETTINGS.lastRun, lastRun);
    req.onProgress?.({ phase: "Done", done: 1, total: 1 });
    return {
      modelVersion,
      report,
      ms: performance.now() - t0,
      rows: run.parsed.n,
      grid,
      keptEdits,
      replacedEdits,
      policyChanges: events.length - 1,
      overridden: effective.overridden,
      flagged: effective.flagged,
    };
  }
}

export function abortError(): Error {
  const e = new Error("The write was cancelled; the workbook is as it was before.");
  e.name = "AbortError";
  return e;
}

export function isAbortError(e: unknown): boolean {
  return e instanceof Error && e.name === "AbortError";
}
