/**
 * Where the classification job runs. The pane uses a Web Worker (src/taskpane/workerRunner.ts) so
 * that the UI stays responsive; tests and hosts without workers run it in-line.
 */
import type { ClassificationResult, ClassifyJob } from "./classifyTypes";
import { computeClassification } from "./classifyJob";

export interface EngineRunner {
  classify(job: ClassifyJob): Promise<ClassificationResult>;
  dispose?(): void;
}

/** Runs the job on the calling thread (after yielding once, so a "working" state can render). */
export function createInlineRunner(): EngineRunner {
  return {
    classify: async (job) => {
      await new Promise((r) => setTimeout(r, 0));
      return computeClassification(job);
    },
  };
}
