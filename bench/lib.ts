/* Timing helpers shared by the bench/*.bench.ts scripts (this file is not a benchmark itself). */

/** The median; for an even count, the mean of the two middle values. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** node --expose-gc gives global gc(); bench/run.ts passes that flag. */
export const gc = (globalThis as { gc?: () => void }).gc;

export interface Timing {
  /** Median wall-clock ms. */
  wall: number;
  /** Median CPU ms of this process (all threads, GC helpers too) over the same runs. */
  cpu: number;
  /** Fastest wall-clock run. */
  best: number;
}

/**
 * Runs `fn` twice to warm up, then `runs` timed times, checking every result with `check`.
 * On a shared machine the wall time includes waiting for a core; the CPU time is what the work costs.
 */
export async function measure(fn: () => unknown, check: (r: unknown) => void, runs: number): Promise<Timing> {
  for (let i = 0; i < 2; i++) check(fn());
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    // Collect the previous run's garbage, then let the collector's background threads finish
    // (their sweeping would otherwise be billed to, and compete with, the timed run).
    gc?.();
    await new Promise((resolve) => setTimeout(resolve, 30));
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const r = fn();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    check(r);
  }
  return { wall: median(wall), cpu: median(cpu), best: Math.min(...wall) };
}
