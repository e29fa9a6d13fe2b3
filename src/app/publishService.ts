/**
 * Publishes a segmentation snapshot (model version, parameters, SKU → segment and policy values) to
 * the backend after a successful Write, for the systems that read it (forecasting, ML, ERP).
 *
 * buildSnapshot is pure: the items are the rows the Write step put on the Policy sheet
 * (skuPolicyRow, in rank order), with the classification figures beside them, so the server holds
 * what the workbook shows. Conventions of the mapping:
 * - segment is the segment the SKU is planned with (its override if any; `overridden` says so);
 *   SKUs without demand (XYZ class N, e.g. "CN") have segment null and xyz null, as the API allows
 *   only A..C × X..Z.
 * - serviceLevel is a cycle service level (the API's meaning): the grid target for "csl" segments,
 *   null for "fill" segments, whose target is a fill rate (it is in parameters.grid).
 * - demandMean, demandSd and leadTime are per period of the history (parameters.options.periodsPerYear).
 * - error carries the policy note when no policy could be computed ("not computed: …").
 * - parameters are the ones the classify-run audit entry records for this model version.
 * The server is idempotent by model version (the same content again answers 200), so a retry
 * after a lost answer is harmless.
 */
import { ApiError, DEFAULT_BACKOFF, isRetryable, retryDelay, SegApiClient, type BackoffPolicy, type ClientTimers, type FetchLike, type SnapshotInput, type SnapshotItem } from "../client";
import type { PolicyOptions, SegmentPolicy } from "../engine/policy";
import type { ClassificationResult } from "./classifyTypes";
import { canonicalJson } from "./modelVersion";
import type { OverrideMap } from "./overrides";
import type { ParsedTable } from "./parse";
import { effectiveSegments, skuPolicyRow } from "./plans";
import type { CellValue } from "./ports";
import { SKU_POLICY_HEADERS } from "./sheets";
import type { SyncSettingsSource } from "./syncService";
import { describePublishStatus, type PublishStatus, type SnapshotPublisher, type WrittenRun } from "./publishing";
import type { WrittenFields } from "./snapshotFields";
import type { RunInput } from "./writeService";

export { describePublishStatus, type PublishStatus, type WrittenRun };

export interface SnapshotSource {
  modelVersion: string;
  parameters: Record<string, unknown>;
  parsed: ParsedTable;
  result: ClassificationResult;
  overrides: OverrideMap;
  /** The grid that was written (WriteOutcome.grid). */
  grid: readonly SegmentPolicy[];
  policyOptions: PolicyOptions;
  /** The written Policy-sheet row of SKU i; absent: skuPolicyRow computes it. */
  policyRow?: (i: number) => CellValue[];
  /** Fields other steps wrote (execution flags, forecast, MRP export), by step key; only those written under this model version are used. */
  fields?: Readonly<Record<string, WrittenFields>>;
}

/** Limits of the API's SnapshotItem (src/api/snapshots.ts). */
const MAX_SKU_LENGTH = 256;
const MAX_ERROR_LENGTH = 1024;
const SEGMENT_PATTERN = /^[ABC][XYZ]$/;
const PATTERNS = new Set(["smooth", "erratic", "intermittent", "lumpy"]);

/**
 * The parameters of a run exactly as WriteService records them in the classify-run audit entry
 * (same fields, through the same canonical JSON, so non-finite numbers read as null).
 */
export function snapshotParameters(run: RunInput, grid: readonly SegmentPolicy[], policyOptions: PolicyOptions): Record<string, unknown> {
  const parameters = { source: run.sourceAddress, mapping: run.mapping, options: run.options, grid, policyOptions, skus: run.parsed.n, ...run.modelParameters };
  return JSON.parse(canonicalJson(parameters)) as Record<string, unknown>;
}

function num(v: CellValue | number | undefined): number | null {
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

const col = (h: (typeof SKU_POLICY_HEADERS)[number]) => SKU_POLICY_HEADERS.indexOf(h);
const C = {
  serviceLevel: col("Service level"),
  method: col("Method"),
  leadTime: col("Lead time"),
  safetyStock: col("Safety stock"),
  reorderPoint: col("Reorder point"),
  orderQuantity: col("Order quantity"),
  note: col("Order quantity source"),
};

/** The snapshot of a written run; throws an Error naming the SKU when one cannot be sent. */
export function buildSnapshot(src: SnapshotSource): SnapshotInput {
  const { parsed, result, overrides, grid, policyOptions, modelVersion } = src;
  const eff = effectiveSegments(parsed, result, overrides);
  // Steps' fields count only when written under the run's model version (an override revision "<mv>+o<n>" keeps them).
  const baseVersion = modelVersion.replace(/\+o\d+$/, "");
  const extra = Object.entries(src.fields ?? {}).filter(([, f]) => f.modelVersion === baseVersion);
  const items: SnapshotItem[] = new Array(result.rowOrder.length);
  for (let k = 0; k < result.rowOrder.length; k++) {
    const i = result.rowOrder[k];
    const sku = parsed.sku[i];
    if (sku.length > MAX_SKU_LENGTH) {
      throw new Error(`SKU "${sku.slice(0, 40)}…" (sheet row ${parsed.sheetRow[i] + 1}) is longer than the ${MAX_SKU_LENGTH} characters the server accepts.`);
    }
    const row = src.policyRow ? src.policyRow(i) : skuPolicyRow(i, parsed, result, eff.segment[i], eff.source[i], grid, policyOptions, modelVersion);
    const abc = result.abc[i];
    const xyz = result.xyz[i];
    const segment = eff.segment[i];
    const note = typeof row[C.note] === "string" ? (row[C.note] as string) : "";
    items[k] = {
      sku,
      value: num(parsed.value[i]),
      cumShare: num(result.cumShare[i]),
      abc: abc === "A" || abc === "B" || abc === "C" ? abc : null,
      cv: num(result.cv[i]),
      xyz: xyz === "X" || xyz === "Y" || xyz === "Z" ? xyz : null,
      pattern: PATTERNS.has(result.pattern[i]) ? (result.pattern[i] as SnapshotItem["pattern"]) : null,
      segment: SEGMENT_PATTERN.test(segment) ? segment : null,
      serviceLevel: row[C.method] === "csl" ? num(row[C.serviceLevel]) : null,
      demandMean: num(result.demandMean[i]),
      demandSd: num(result.demandSd[i]),
      leadTime: num(row[C.leadTime]),
      safetyStock: num(row[C.safetyStock]),
      reorderPoint: num(row[C.reorderPoint]),
      orderQty: num(row[C.orderQuantity]),
      overridden: eff.source[i] !== "computed" && eff.source[i] !== "inactive",
      error: note.startsWith("not computed") ? note.slice(0, MAX_ERROR_LENGTH) : null,
    };
    for (const [, f] of extra) {
      const more = f.bySku.get(sku);
      if (more) Object.assign(items[k], more);
    }
  }
  let parameters = src.parameters;
  for (const [key, f] of extra) if (f.parameters) parameters = { ...parameters, [key]: JSON.parse(canonicalJson(f.parameters)) as unknown };
  return { modelVersion, parameters, items };
}

export function snapshotOfWrite(w: WrittenRun): SnapshotInput {
  return buildSnapshot({
    modelVersion: w.modelVersion ?? w.outcome.modelVersion,
    parameters: snapshotParameters(w.run, w.outcome.grid, w.policyOptions),
    parsed: w.run.parsed,
    result: w.run.result,
    overrides: w.overrides,
    grid: w.outcome.grid,
    policyOptions: w.policyOptions,
    policyRow: w.policyRow,
    fields: w.fields,
  });
}

export interface PublishServiceOptions {
  settings: SyncSettingsSource;
  fetch?: FetchLike;
  /** Time limit per request, ms (default 120 s: a snapshot of 100,000 SKUs is large). */
  timeoutMs?: number;
  backoff?: BackoffPolicy;
  /** Attempts for errors worth retrying (no connection, timeout, 408, 429, 5xx); default 5. */
  maxAttempts?: number;
  timers?: ClientTimers;
  random?: () => number;
  now?: () => number;
}

export class PublishService implements SnapshotPublisher {
  private readonly opts: PublishServiceOptions;
  private readonly timers: ClientTimers;
  private current: PublishStatus = { kind: "idle" };
  private listeners = new Set<() => void>();
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;
  private abort = new AbortController();
  /** A publishWrite that has not started yet (a newer call replaces its job). */
  private waiting: { job: WrittenRun; result: Promise<PublishStatus> } | null = null;

  constructor(options: PublishServiceOptions) {
    this.opts = options;
    this.timers = options.timers ?? {
      setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
      clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
    };
  }

  status(): PublishStatus {
    return this.current;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): void {
    this.disposed = true;
    this.abort.abort();
    this.listeners.clear();
  }

  /**
   * Builds the snapshot of a Write and publishes it; never throws (the outcome is the returned
   * status). Calls are served one after another. An override revision (`w.modelVersion` set)
   * that arrives while an earlier revision of the same Write is still waiting its turn replaces
   * it (both calls resolve with the newer one's outcome): a burst of overrides sends the newest
   * state once, not every step. A Write's own snapshot is never skipped.
   */
  publishWrite(w: WrittenRun): Promise<PublishStatus> {
    const job: WrittenRun = { ...w, overrides: { ...w.overrides } };
    const waiting = this.waiting;
    if (waiting && job.modelVersion !== undefined && waiting.job.modelVersion !== undefined && waiting.job.outcome.modelVersion === job.outcome.modelVersion) {
      waiting.job = job;
      return waiting.result;
    }
    const slot: { job: WrittenRun; result: Promise<PublishStatus> } = { job, result: Promise.resolve(this.current) };
    this.waiting = slot;
    slot.result = this.enqueue(() => {
      if (this.waiting === slot) this.waiting = null;
      return this.publishBuilt(slot.job);
    });
    return slot.result;
  }

  private publishBuilt(w: WrittenRun): Promise<PublishStatus> {
    const modelVersion = w.modelVersion ?? w.outcome.modelVersion;
    let input: SnapshotInput;
    try {
      input = snapshotOfWrite(w);
    } catch (e) {
      return Promise.resolve(this.set({ kind: "error", modelVersion, message: (e as Error).message }));
    }
    return this.publishNow(w.workbookId, input);
  }

  /** Publishes one snapshot, retrying transient failures; calls are served one after another. */
  publish(workbookId: string, input: SnapshotInput): Promise<PublishStatus> {
    return this.enqueue(() => this.publishNow(workbookId, input));
  }

  private enqueue(body: () => Promise<PublishStatus>): Promise<PublishStatus> {
    const run = this.queue.then(body);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async publishNow(workbookId: string, input: SnapshotInput): Promise<PublishStatus> {
    const modelVersion = input.modelVersion;
    const settings = await this.opts.settings.load();
    if (!settings) return this.set({ kind: "not-configured", modelVersion });
    let client: SegApiClient;
    try {
      client = new SegApiClient({ baseUrl: settings.url, token: settings.token, fetch: this.opts.fetch, timeoutMs: this.opts.timeoutMs ?? 120_000, timers: this.timers, now: this.opts.now });
    } catch (e) {
      return this.set({ kind: "error", modelVersion, message: (e as Error).message });
    }
    const maxAttempts = this.opts.maxAttempts ?? 5;
    const random = this.opts.random ?? Math.random;
    for (let attempt = 1; ; attempt++) {
      if (this.disposed) return this.current;
      this.set({ kind: "publishing", modelVersion, attempt });
      try {
        const r = await client.publishSnapshot(workbookId, input, this.abort.signal);
        return this.set({ kind: "published", modelVersion, created: r.created, seq: r.snapshot.seq, items: r.snapshot.itemCount });
      } catch (e) {
        if (this.disposed) return this.current;
        const message = publishErrorMessage(e, input);
        if (!isRetryable(e) || attempt >= maxAttempts) {
          return this.set({ kind: "error", modelVersion, message: attempt > 1 ? `${message} (after ${attempt} attempts)` : message });
        }
        const delay = retryDelay(e, attempt - 1, this.opts.backoff ?? DEFAULT_BACKOFF, random);
        await new Promise<void>((resolve) => {
          const signal = this.abort.signal;
          const onAbort = () => {
            this.timers.clearTimeout(h);
            resolve();
          };
          const h = this.timers.setTimeout(() => {
            signal.removeEventListener("abort", onAbort);
            resolve();
          }, delay);
          signal.addEventListener("abort", onAbort, { once: true });
        });
      }
    }
  }

  private set(s: PublishStatus): PublishStatus {
    this.current = s;
    this.listeners.forEach((l) => l());
    return s;
  }
}

function publishErrorMessage(e: unknown, input: SnapshotInput): string {
  const base = e instanceof Error ? e.message : String(e);
  if (e instanceof ApiError && e.status === 413) {
    const mb = (JSON.stringify(input).length / 1024 / 1024).toFixed(1);
    return `${base} The snapshot of ${input.items.length} SKUs is about ${mb} MB; the server's limit is set by SEG_BODY_LIMIT.`;
  }
  if (e instanceof ApiError && e.status === 409) {
    return `${base} Write again (a new model version) to publish the current state.`;
  }
  return base;
}
