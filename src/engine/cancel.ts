/**
 * Cancellation of long engine jobs: a job takes `signal?: { aborted: boolean }`, checks it every
 * chunk, and throws this error (name "AbortError", as src/app/writeService.ts's isAbortError expects)
 * when it is set. Nothing partial is returned.
 */
export function cancelled(job: string): Error {
  const e = new Error(`${job} was cancelled`);
  e.name = "AbortError";
  return e;
}
