/**
 * The one place that counts round trips and payload sizes. Every context.sync the gateway makes
 * goes through IoMeter.sync, and every cell array it sends or receives is measured here, so the
 * IoReport numbers are the real ones of the operation that produced them.
 */
import type { IoReport } from "../app/ports";
import { jsonBytes } from "./payload";

interface Syncable {
  sync(): Promise<unknown>;
}

export class IoMeter {
  private syncCount = 0;
  private cellCount = 0;
  private largest = 0;
  private pendingRequest = 0;
  private readonly started = now();

  /** Queues `range.values = values` and counts its bytes toward the next sync's request. */
  setValues(range: { values: unknown }, values: unknown[][], bytes = jsonBytes(values)): void {
    this.pendingRequest += bytes;
    this.cellCount += values.length * (values[0]?.length ?? 0);
    range.values = values;
  }

  /** Queues `range.numberFormat = formats` and counts its bytes. */
  setNumberFormat(range: { numberFormat: unknown }, formats: unknown[][], bytes = jsonBytes(formats)): void {
    this.pendingRequest += bytes;
    range.numberFormat = formats;
  }

  /** Bytes of a queued request that is not a cell array (kept for completeness; names, addresses). */
  addRequestBytes(bytes: number): void {
    this.pendingRequest += bytes;
  }

  /** Bytes queued since the last sync. */
  get pendingRequestBytes(): number {
    return this.pendingRequest;
  }

  async sync(context: Syncable): Promise<void> {
    const request = this.pendingRequest;
    this.pendingRequest = 0;
    this.syncCount++;
    this.largest = Math.max(this.largest, request);
    await context.sync();
  }

  /** Records what one sync brought back (the JSON size of the loaded cell arrays). */
  noteResponse(bytes: number, cells: number): void {
    this.largest = Math.max(this.largest, bytes);
    this.cellCount += cells;
  }

  report(): IoReport {
    return { syncs: this.syncCount, largestPayloadBytes: this.largest, cells: this.cellCount, ms: Math.round(now() - this.started) };
  }
}

function now(): number {
  return globalThis.performance ? globalThis.performance.now() : Date.now();
}
