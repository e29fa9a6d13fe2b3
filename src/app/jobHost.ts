/**
 * The worker's side of the engine runner (src/taskpane/workerClient.ts is the pane's side): takes
 * job requests from its scope, runs them (src/app/jobs, async jobs awaited) and posts progress,
 * the result (its typed arrays transferred) or the error. A job given `helpers` may fork: the fork
 * request goes to the pane with one end of a new MessageChannel, and the pane starts the helper job
 * on a worker of its own with the other end. The pane's engine.worker.ts serves its `self`; the
 * bench serves a node worker thread the same way.
 */
import { resultBuffers } from "./engineRunner";
import { runJob, type JobName } from "./jobs";
import type { JobPort } from "./jobs/types";

export interface JobRequest {
  id: number;
  name: JobName;
  input: unknown;
  /** How many helper jobs this job may fork (0 or absent: none). */
  helpers?: number;
  /** For a helper job: its end of the port to the job that forked it. */
  port?: JobPort;
}

export interface JobReply {
  id: number;
  result?: unknown;
  error?: string;
  progress?: { done: number; total: number; phase?: string };
  /** Job `id` asks for a helper job on another worker, talking to it over `port`. */
  fork?: { name: JobName; input: unknown };
  port?: JobPort;
}

export interface JobHostScope {
  postMessage(message: JobReply, transfer?: Transferable[]): void;
  onmessage: ((e: { data: JobRequest }) => void) | null;
}

export function serveJobs(scope: JobHostScope): void {
  scope.onmessage = (e) => void serve(scope, e.data);
}

async function serve(scope: JobHostScope, { id, name, input, helpers = 0, port }: JobRequest): Promise<void> {
  let last = 0;
  try {
    const result = await runJob(name, input as never, {
      // at most ~20 progress messages a second: each one is a structured clone and a re-render
      progress(done, total, phase) {
        const now = Date.now();
        if (done < total && now - last < 50) return;
        last = now;
        scope.postMessage({ id, progress: { done, total, phase } });
      },
      aborted: false, // a cancelled job's worker is terminated instead
      helpers,
      fork:
        helpers > 0
          ? (forkName, forkInput, transfer = []) => {
              const channel = new MessageChannel();
              scope.postMessage({ id, fork: { name: forkName as JobName, input: forkInput }, port: channel.port2 as unknown as JobPort }, [channel.port2, ...transfer]);
              return channel.port1 as unknown as JobPort;
            }
          : undefined,
      port,
    });
    // the result's typed arrays (histories, ...) move to the pane instead of being copied
    scope.postMessage({ id, result }, resultBuffers(result));
  } catch (err) {
    scope.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
}
