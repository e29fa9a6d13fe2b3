/**
 * When to try again. Exponential backoff with "full jitter": the n-th retry (n from 0) waits a
 * uniformly random time in [0, min(maxMs, baseMs * 2^n)), so that many clients that failed
 * together do not come back together (M. Brooker, "Exponential Backoff And Jitter", AWS
 * Architecture Blog, 2015). A Retry-After from the server is a lower bound on the wait.
 */
import { ApiError } from "./errors";

export interface BackoffPolicy {
  /** Upper bound of the first wait, ms. */
  baseMs: number;
  /** Largest upper bound, ms. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1000, maxMs: 60_000 };

/** Longest Retry-After honoured, ms (a misconfigured proxy must not park the sync for a day). */
export const MAX_RETRY_AFTER_MS = 15 * 60_000;

/** The wait before retry number `attempt` (0 = first retry); `random` returns [0, 1). */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempt, 52));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.floor(r * ceiling);
}

/** The wait before retrying after `error`, honouring its Retry-After. */
export function retryDelay(error: unknown, attempt: number, policy: BackoffPolicy, random: () => number): number {
  const jittered = backoffDelay(attempt, policy, random);
  const after = error instanceof ApiError && error.retryAfterMs !== null ? Math.min(error.retryAfterMs, MAX_RETRY_AFTER_MS) : 0;
  return Math.max(jittered, after);
}

/** Whether to try again after `error`: ApiErrors say so themselves; anything else (an Excel call that failed) is retried. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof ApiError) return error.retryable;
  return true;
}
