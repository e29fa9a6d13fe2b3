/* Web Worker running the classification job off the pane's thread (see workerRunner.ts). */
import { computeClassification } from "../app/classifyJob";
import type { ClassifyJob } from "../app/classifyTypes";

interface Request {
  id: number;
  job: ClassifyJob;
}

const scope = self as unknown as { onmessage: ((e: MessageEvent<Request>) => void) | null; postMessage(message: unknown): void };

scope.onmessage = (e) => {
  const { id, job } = e.data;
  try {
    scope.postMessage({ id, result: computeClassification(job) });
  } catch (err) {
    scope.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
};
