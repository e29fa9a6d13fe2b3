/**
 * The stability job on more than one core (src/app/jobs/stability.ts): the job forks
 * "stabilityPart" helpers, which here run on this thread over a real MessageChannel (the worker
 * threads themselves: test/taskpane/workerThreads.test.ts). Checked: the result equals the job
 * without helpers bit for bit, whatever the number of helpers; the helpers stay within their
 * window of runs; a failing helper fails the job with its message; a cancel stops it.
 */
import { runJob } from "../../src/app/jobs";
import { computeStability, computeStabilityPart, MIN_ROWS_TO_SPLIT, ownShare, PART_WINDOW, type StabilityJob } from "../../src/app/jobs/stability";
import type { JobContext, JobPort } from "../../src/app/jobs/types";
import type { StabilityBlock } from "../../src/engine/stability";

const ROWS = MIN_ROWS_TO_SPLIT;
const PERIODS = 12;

function makeJob(runs: number): StabilityJob {
  let seed = 3;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const history = new Float64Array(ROWS * PERIODS);
  for (let i = 0; i < history.length; i++) history[i] = rand() < 0.15 ? 0 : Math.round(100 * rand() * (1 + ((i / PERIODS) % 7)));
  const values = Float64Array.from({ length: ROWS }, () => 1000 * Math.exp(2 * rand()));
  const skip = Uint8Array.from({ length: ROWS }, (_, i) => (i % 97 === 0 ? 1 : 0));
  const errorCv = Float64Array.from({ length: ROWS }, (_, i) => (i % 5 === 0 ? 0.6 : 0.2));
  return { rows: ROWS, periods: PERIODS, values, history, skip, errorCv, runs, seed: 7, threshold: 0.8, cutoffs: [0.8, 0.95], xMax: 0.5, yMax: 1, sdType: "population" };
}

interface Forks {
  ctx: JobContext;
  /** Per helper: the most runs it was ahead of the job's acknowledgements. */
  ahead: number[];
  helpers: Promise<unknown>[];
  closed: number;
}

/** A context whose fork runs the helper job on this thread, on the far end of a MessageChannel. */
function forkingContext(helpers: number, extra: Partial<JobContext> = {}, breakBlock?: (b: StabilityBlock) => StabilityBlock): Forks {
  const forks: Forks = { ahead: [], helpers: [], closed: 0, ctx: undefined as unknown as JobContext };
  const base: JobContext = {
    progress() {},
    aborted: false,
    helpers,
    fork(name, input) {
      expect(name).toBe("stabilityPart");
      const { port1, port2 } = new MessageChannel();
      const k = forks.ahead.push(0) - 1;
      let posted = 0;
      let acked = 0;
      const helperEnd: JobPort = {
        postMessage(m, transfer) {
          posted++;
          forks.ahead[k] = Math.max(forks.ahead[k], posted - acked);
          port2.postMessage(m, transfer as never);
        },
        set onmessage(f: JobPort["onmessage"]) {
          port2.onmessage = f && ((e) => ((acked += (e.data as { ack: number }).ack), f(e)));
        },
        get onmessage() {
          return null;
        },
        close: () => port2.close(),
      };
      const block = structuredClone(input) as StabilityBlock;
      const helper = runJob("stabilityPart", breakBlock ? breakBlock(block) : block, { progress() {}, aborted: false, port: helperEnd }) as Promise<unknown>;
      helper.catch(() => {}); // looked at by the test, not left unhandled meanwhile
      forks.helpers.push(helper);
      const jobEnd = port1 as unknown as JobPort;
      const close = port1.close.bind(port1);
      jobEnd.close = () => {
        forks.closed++;
        close();
      };
      return jobEnd;
    },
  };
  // the extra properties as they are (a getter stays a getter)
  forks.ctx = Object.defineProperties(base, Object.getOwnPropertyDescriptors(extra));
  return forks;
}

describe("the stability job with helper jobs", () => {
  const job = makeJob(6);
  let alone: Awaited<ReturnType<typeof computeStability>>;
  beforeAll(async () => {
    alone = await computeStability(job, { progress() {}, aborted: false });
  });

  test.each([1, 2, 3])("gives the one-thread result bit for bit with %i helper(s), each within its window", async (helpers) => {
    const forks = forkingContext(helpers);
    const shared = await computeStability(job, forks.ctx);
    expect(forks.helpers).toHaveLength(helpers);
    expect(await Promise.all(forks.helpers)).toEqual(Array(helpers).fill({ runs: job.runs }));
    expect(Array.from(shared.stay)).toEqual(Array.from(alone.stay));
    expect(Array.from(shared.flagged)).toEqual(Array.from(alone.flagged));
    expect(shared.byClass).toEqual(alone.byClass);
    expect(shared.issues).toEqual(alone.issues);
    expect(shared.stay.some((s) => s > 0 && s < 1)).toBe(true);
    for (const a of forks.ahead) expect(a).toBeLessThanOrEqual(PART_WINDOW);
    expect(Math.max(...forks.ahead)).toBeGreaterThan(1); // they did run ahead
    expect(forks.closed).toBe(helpers);
  });

  test("forks nothing for a small job or without helpers", async () => {
    const small: StabilityJob = { ...job, rows: 100, values: job.values.slice(0, 100), history: job.history.slice(0, 100 * PERIODS), skip: job.skip.slice(0, 100), errorCv: 0.2 };
    const forks = forkingContext(2);
    await computeStability(small, forks.ctx);
    expect(forks.helpers).toHaveLength(0);
    const none = forkingContext(0);
    await computeStability(job, none.ctx);
    expect(none.helpers).toHaveLength(0);
  });

  test("fails with the helper's message when a helper fails", async () => {
    const forks = forkingContext(1, {}, (b) => ({ ...b, kept: b.kept.subarray(1) }));
    await expect(computeStability(job, forks.ctx)).rejects.toThrow(/helper worker failed: .*kept has/);
    await expect(forks.helpers[0]).rejects.toThrow(/kept has/);
  });

  test("stops on cancel between runs and closes its ports", async () => {
    let runs = 0;
    const ctx = { aborted: false };
    const forks = forkingContext(1, {
      progress(done) {
        runs = done;
        ctx.aborted = done >= 2;
      },
      get aborted() {
        return ctx.aborted;
      },
    });
    await expect(computeStability(job, forks.ctx)).rejects.toMatchObject({ name: "AbortError" });
    expect(runs).toBe(2);
    expect(forks.closed).toBe(1);
  });

  test("the helper needs a port, and the job keeps less than a helper's share", async () => {
    await expect(computeStabilityPart({} as StabilityBlock, { progress() {}, aborted: false })).rejects.toThrow(/needs a port/);
    for (const k of [1, 2, 3]) {
      expect(ownShare(k)).toBeGreaterThan(0);
      expect(ownShare(k)).toBeLessThan((1 - ownShare(k)) / k);
    }
  });
});
