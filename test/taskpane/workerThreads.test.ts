/**
 * The pane's worker runner (src/taskpane/workerClient.ts) on real threads: node worker threads
 * serving the same job host as the pane's Web Worker (test/helpers/nodeJobWorker.ts). The
 * stability job forks a helper on a second thread; checked: the result equals the in-line job's
 * bit for bit, the runner starts and ends the helper with the job (also on cancel), and a helper
 * that cannot start leaves the job to run in-line, with the same result, and no forks after.
 * (The browser's Web Workers run the same path in test/e2e/dynamic.e2e.test.ts.)
 */
import { createInlineRunner } from "../../src/app/engineRunner";
import { MIN_ROWS_TO_SPLIT, type StabilityJob, type StabilityJobResult } from "../../src/app/jobs/stability";
import { createWorkerRunnerWith, type WorkerLike } from "../../src/taskpane/workerClient";
import { startNodeJobWorker } from "../helpers/nodeJobWorker";

const ROWS = MIN_ROWS_TO_SPLIT + 5_000;
const PERIODS = 26;

function makeJob(runs: number): StabilityJob {
  let seed = 11;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const history = Float64Array.from({ length: ROWS * PERIODS }, () => (rand() < 0.1 ? 0 : Math.round(50 * rand() + 10)));
  const values = Float64Array.from({ length: ROWS }, () => 100 * Math.exp(2 * rand()));
  return { rows: ROWS, periods: PERIODS, values, history, skip: new Uint8Array(ROWS), errorCv: 0.3, runs, seed: 2, threshold: 0.8, cutoffs: [0.8, 0.95], xMax: 0.5, yMax: 1, sdType: "population" };
}

/** Starts node job workers, counting them and their terminations; `failFrom`: the n-th start throws. */
function workers(failFrom = Infinity) {
  const w = { started: 0, ended: 0, start: (): WorkerLike => {
    if (++w.started >= failFrom) throw new Error("no more workers");
    const worker = startNodeJobWorker();
    const terminate = worker.terminate.bind(worker);
    worker.terminate = () => {
      w.ended++;
      terminate();
    };
    return worker;
  } };
  return w;
}

jest.setTimeout(60_000);

describe("the stability job on two threads", () => {
  const job = makeJob(8);
  let inline: StabilityJobResult;
  beforeAll(async () => {
    inline = await createInlineRunner().run("stability", job);
  });

  test("forks a helper thread and gives the in-line result bit for bit", async () => {
    const w = workers();
    const runner = createWorkerRunnerWith(w.start, { helpers: 1 });
    const progress: number[] = [];
    const out = await runner.run("stability", job, { onProgress: (p) => progress.push(p.done) });
    expect(w.started).toBe(2); // the job's worker and its helper
    expect(w.ended).toBe(1); // the helper ends with the job; the job's worker stays for the next
    expect(Array.from(out.stay)).toEqual(Array.from(inline.stay));
    expect(out.byClass).toEqual(inline.byClass);
    expect(progress[progress.length - 1]).toBe(job.runs);
    runner.dispose?.();
    expect(w.ended).toBe(2);
  });

  test("a cancel ends the job's worker and its helper", async () => {
    const w = workers();
    const runner = createWorkerRunnerWith(w.start, { helpers: 1 });
    const abort = new AbortController();
    const run = runner.run("stability", makeJob(400), { signal: abort.signal, onProgress: (p) => p.done >= 1 && abort.abort() });
    await expect(run).rejects.toMatchObject({ name: "AbortError" });
    expect(w.started).toBe(2);
    expect(w.ended).toBe(2);
    runner.dispose?.();
  });

  test("a helper that cannot start: the job runs in-line with the same result, and later jobs do not fork", async () => {
    const w = workers(2);
    const runner = createWorkerRunnerWith(w.start, { helpers: 1 });
    const out = await runner.run("stability", job);
    expect(Array.from(out.stay)).toEqual(Array.from(inline.stay));
    expect(w.started).toBe(2);
    expect(w.ended).toBe(1); // the job's worker, ended with the failed fork
    const again = await runner.run("stability", job);
    expect(Array.from(again.stay)).toEqual(Array.from(inline.stay));
    expect(w.started).toBe(3); // a new job worker, no helper
    runner.dispose?.();
  });
});
