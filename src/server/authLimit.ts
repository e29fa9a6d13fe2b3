/**
 * Failed authentication per client address: after `max` 401s in a fixed window, that address
 * gets 429 until the window ends, whatever token it tries (each made-up token would otherwise be a
 * new rate-limit key). In memory, per process; expired windows are pruned as it grows.
 */
export interface FailureLimit {
  max: number;
  timeWindow: number;
}

export class AuthFailureLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  constructor(
    readonly limit: FailureLimit,
    private readonly now: () => number = Date.now,
  ) {}

  /** Ms until `address` may try again, or 0 when it may try now. */
  blockedFor(address: string): number {
    const w = this.windows.get(address);
    if (!w) return 0;
    const t = this.now();
    if (t >= w.resetAt) {
      this.windows.delete(address);
      return 0;
    }
    return w.count >= this.limit.max ? w.resetAt - t : 0;
  }

  /** Counts one failed authentication from `address`. */
  record(address: string): void {
    const t = this.now();
    let w = this.windows.get(address);
    if (!w || t >= w.resetAt) {
      if (this.windows.size >= 10_000) this.prune(t);
      w = { count: 0, resetAt: t + this.limit.timeWindow };
      this.windows.set(address, w);
    }
    w.count += 1;
  }

  private prune(t: number): void {
    for (const [k, w] of this.windows) if (t >= w.resetAt) this.windows.delete(k);
  }
}
