/**
 * Worker thread of one snapshot publication (publishPrepare.ts): receives the raw body, runs
 * prepareSnapshot on it, and sends the rows back in batches, then the hash and metadata, or the
 * problem to answer. One worker per large publication; it ends when the body is done.
 */
import { parentPort } from "node:worker_threads";
import { HttpProblem } from "./problem";
import { prepareSnapshot, type WorkerMessage } from "./publishPrepare";

const port = parentPort;
if (!port) throw new Error("publishWorker.ts runs as a worker thread (see publishPrepare.ts)");
const send = (m: WorkerMessage) => port.postMessage(m);

port.once("message", (m: { bytes: Uint8Array | null }) => {
  try {
    const meta = prepareSnapshot(m, { rows: (rows) => send({ t: "rows", rows }), reset: () => send({ t: "reset" }) });
    send({ t: "done", meta });
  } catch (e) {
    if (e instanceof HttpProblem) send({ t: "problem", body: e.toBody() });
    else send({ t: "error", message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
});
send({ t: "ready" });
