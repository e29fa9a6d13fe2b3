/* Web Worker running the engine jobs (src/app/jobs) off the pane's thread; see workerRunner.ts. */
import { resultBuffers } from "../app/engineRunner";
import { runJob, type JobName } from "../app/jobs";

interface Request {
  id: number;
  name: JobName;
  input: unknown;
}

const scope = self as unknown as { onmessage: ((e: MessageEvent<Request>) => void) | null; postMessage(message: unknown, transfer?: Transferable[]): void };

scope.onmessage = (e) => {
  const { id, name, input } = e.data;
  let last = 0;
  try {
    const result = runJob(name, input as never, {
      // at most ~20 progress messages a second: each one is a structured clone and a re-render
      progress(done, total, phase) {
        const now = Date.now();
        if (done < total && now - last < 50) return;
        last = now;
        scope.postMessage({ id, progress: { done, total, phase } });
      },
      aborted: false, // a cancelled job's worker is terminated instead
    });
    // the result's typed arrays (histories, ...) move to the pane instead of being copied
    scope.postMessage({ id, result }, resultBuffers(result));
  } catch (err) {
    scope.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
};
