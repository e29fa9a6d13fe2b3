import { encodeTransactionColumns } from "../../src/app/columnar";
import { resultBuffers } from "../../src/app/engineRunner";
import { runJob, type JobName } from "../../src/app/jobs";
import { computeBucket, type BucketJob } from "../../src/app/jobs/bucket";
import type { TransactionColumnsIn } from "../../src/app/importSource";
import { createWorkerRunnerWith, type Reply, type WorkerLike } from "../../src/taskpane/workerClient";

/**
 * A worker on this thread that crosses the boundary the way postMessage does: a structured clone
 * with the transfer list (node's structuredClone detaches transferred buffers like a real post).
 * It answers as src/taskpane/engine.worker.ts does, transferring the result's typed arrays.
 */
class FakeWorker implements WorkerLike {
  onmessage: ((e: MessageEvent<Reply>) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  posted: { transfer: Transferable[] }[] = [];
  sentResultBuffers: ArrayBuffer[] = [];
  constructor(private readonly failing = false) {}
  postMessage(message: unknown, transfer: Transferable[] = []) {
    const received = structuredClone(message, { transfer }) as { id: number; name: JobName; input: never };
    this.posted.push({ transfer });
    setTimeout(() => {
      if (this.failing) {
        this.onerror?.({ preventDefault() {} } as ErrorEvent);
        return;
      }
      const result = runJob(received.name, received.input, { progress() {}, aborted: false });
      const buffers = resultBuffers(result);
      const reply = structuredClone({ id: received.id, result }, { transfer: buffers });
      this.sentResultBuffers.push(...buffers);
      this.onmessage?.({ data: reply } as MessageEvent<Reply>);
    }, 0);
  }
  terminate() {}
}

const columns: TransactionColumnsIn = {
  sku: ["A", "B", "A", "", "B", "A"],
  date: ["2024-01-01", "2024-01-02", "2024-01-09", "2024-01-09", "x", 45300],
  quantity: ["3", 4, "five", "1", "2", "-1"],
  transactionId: ["t1", "t2", "t3", "t4", "t1", ""],
};
const job = (encoded: BucketJob["encoded"]): BucketJob => ({
  rows: 6,
  encoded,
  headers: { quantity: "Qty" },
  calendar: { kind: "isoWeek" },
  dateFormat: "auto",
  numberLocale: "en",
  negatives: "exclude",
  excludeOrderTypes: [],
  byLocation: false,
});

describe("worker runner: transferred input", () => {
  test("the encoded columns move to the worker (detached here) and the result matches the in-line job", async () => {
    const fake = new FakeWorker();
    const runner = createWorkerRunnerWith(() => fake);
    const enc = encodeTransactionColumns(columns, 6);
    expect(enc.transfer.length).toBeGreaterThan(0);
    const sizes = enc.transfer.map((b) => b.byteLength);
    expect(sizes.every((s) => s > 0)).toBe(true);
    const pending = runner.run("bucket", job(enc.columns), { transfer: enc.transfer });
    // moved, not copied: the pane's copies are detached as soon as the job is posted
    for (const b of enc.transfer) expect(b.byteLength).toBe(0);
    expect(fake.posted[0].transfer).toEqual(enc.transfer);
    const result = await pending;
    expect(result).toEqual(computeBucket({ ...job(undefined), columns }));
    expect(result.rejected.map((r) => r.message)).toEqual([
      expect.stringContaining('row 4: Qty "five" is not a number'),
      'row 5: sku is blank',
      'row 6: transaction id "t1" already appears in row 2 (that row is kept)',
    ]);
    // and the reply's histories were transferred back, not copied
    expect(fake.sentResultBuffers.length).toBeGreaterThan(0);
    for (const b of fake.sentResultBuffers) expect(b.byteLength).toBe(0);
    expect(result.history.length).toBe(result.n * result.periods);
  });

  test("without a transfer list nothing is detached", async () => {
    const runner = createWorkerRunnerWith(() => new FakeWorker());
    const enc = encodeTransactionColumns(columns, 6);
    await runner.run("bucket", job(enc.columns));
    for (const b of enc.transfer) expect(b.byteLength).toBeGreaterThan(0);
  });

  test("a worker that fails: a transferred job is rejected with a message, a copied one finishes in-line", async () => {
    const runner = createWorkerRunnerWith(() => new FakeWorker(true));
    const enc = encodeTransactionColumns(columns, 6);
    await expect(runner.run("bucket", job(enc.columns), { transfer: enc.transfer })).rejects.toThrow(/engine worker stopped.*run it again/);
    const again = encodeTransactionColumns(columns, 6);
    // the runner no longer uses the broken worker: this one runs in-line
    const r = await runner.run("bucket", job(again.columns), { transfer: again.transfer });
    expect(r.n).toBe(2);
  });
});
