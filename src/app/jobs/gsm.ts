/**
 * The multi-echelon job of the Network step: the guaranteed-service model over the stages read
 * from the Network sheet (src/engine/gsm: Graves & Willems 2000 for trees, Inderfurth 1991 for
 * chains), off the UI thread. The dynamic programs take well under a second for 500 stages, so the
 * job reports two phases (checking the network, placing the safety stock) rather than per-stage
 * progress; cancel ends the worker. A network that breaks a rule throws the engine's ArgumentError,
 * whose message names the stage.
 */
import { solveGsmSerial, solveGsmTree, type GsmResult, type GsmStage } from "../../engine/gsm";
import { jobCancelled, QUIET_JOB, type JobContext } from "./types";

export type NetworkModel = "tree" | "serial";

export interface GsmJob {
  stages: GsmStage[];
  model: NetworkModel;
}

export function solveNetwork(job: GsmJob, ctx: JobContext = QUIET_JOB): GsmResult {
  ctx.progress(0, 1, `Placing safety stock over ${job.stages.length.toLocaleString("en-US")} stages`);
  if (ctx.aborted) throw jobCancelled();
  const r = job.model === "serial" ? solveGsmSerial(job.stages) : solveGsmTree(job.stages);
  if (ctx.aborted) throw jobCancelled();
  ctx.progress(1, 1, `Placing safety stock over ${job.stages.length.toLocaleString("en-US")} stages`);
  return r;
}
