/**
 * The contract-terms job: service terms from contract clauses (src/engine/contracts/terms.ts, the
 * documented English rule grammar; other languages flagged, no terms), in chunks with progress.
 */
import { extractTerms, type ClauseExtraction } from "../../engine/contracts/terms";
import { jobCancelled, QUIET_JOB, type JobContext } from "./types";

const CHUNK = 200;

export function computeContractTerms(job: { clauses: string[] }, ctx: JobContext = QUIET_JOB): ClauseExtraction[] {
  const n = job.clauses.length;
  const out: ClauseExtraction[] = new Array(n);
  for (let start = 0; start < n; start += CHUNK) {
    if (ctx.aborted) throw jobCancelled();
    const end = Math.min(n, start + CHUNK);
    for (let i = start; i < end; i++) out[i] = extractTerms(job.clauses[i]);
    ctx.progress(end, n, "Reading the service terms");
  }
  return out;
}
