/**
 * The engine's Web Workers in chromium, from the production build (dist/engine-worker.js): the
 * stability job on one worker, and on two (it forks a "stabilityPart" helper, whose port the page
 * hands to a second worker as the pane's runner does, src/taskpane/workerClient.ts). Checked: the
 * fork happens, both results equal the job in-line in node bit for bit (same WebAssembly kernel,
 * same streams), and the two workers take less time than one (reported, not asserted).
 */
import { createInlineRunner } from "../../src/app/engineRunner";
import { MIN_ROWS_TO_SPLIT, type StabilityJob } from "../../src/app/jobs/stability";
import { usePaneHarness } from "./harness";

jest.setTimeout(240_000);

const pane = usePaneHarness();
const ROWS = MIN_ROWS_TO_SPLIT + 2_000;
const PERIODS = 13;

function makeJob(): StabilityJob {
  let seed = 17;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const history = Float64Array.from({ length: ROWS * PERIODS }, () => (rand() < 0.2 ? 0 : Math.round(80 * rand() + 5)));
  const values = Float64Array.from({ length: ROWS }, () => 50 * Math.exp(2.5 * rand()));
  const skip = Uint8Array.from({ length: ROWS }, (_, i) => (i % 50 === 0 ? 1 : 0));
  return { rows: ROWS, periods: PERIODS, values, history, skip, errorCv: 0.25, runs: 20, seed: 4, threshold: 0.8, cutoffs: [0.8, 0.95], xMax: 0.5, yMax: 1, sdType: "population" };
}

interface PageRun {
  stay: number[];
  forks: number;
  ms: number;
}

test("the stability job forks a helper worker in the browser and gives node's in-line result", async () => {
  const job = makeJob();
  const inline = await createInlineRunner().run("stability", job);
  // any page of the build will do: the pane's, with an empty workbook
  const seed = `(function () { var fake = window.FakeExcel.createFakeExcel({ sheets: ["Data"] }); fake.install(window); window.__fake = fake; })();`;
  const { page, errors } = await pane.open({ width: 350, seed });
  const plain = { ...job, values: Array.from(job.values), history: Array.from(job.history), skip: Array.from(job.skip) };
  const runs = await page.evaluate(
    async ({ input, url }) => {
      const typed = { ...input, values: Float64Array.from(input.values), history: Float64Array.from(input.history), skip: Uint8Array.from(input.skip) };
      // the main thread's side of the fork protocol, as workerClient.ts speaks it
      const run = (helpers: number) =>
        new Promise<{ stay: number[]; forks: number; ms: number }>((resolve, reject) => {
          const started: Worker[] = [];
          const end = () => started.forEach((w) => w.terminate());
          const job = new Worker(url);
          started.push(job);
          let forks = 0;
          const t0 = performance.now();
          job.onmessage = (e: MessageEvent) => {
            const m = e.data;
            if (m.fork) {
              forks++;
              const helper = new Worker(url);
              started.push(helper);
              helper.postMessage({ id: 1, name: m.fork.name, input: m.fork.input, port: m.port }, [m.port]);
            } else if (m.result) {
              end();
              resolve({ stay: Array.from(m.result.stay as Float64Array), forks, ms: performance.now() - t0 });
            } else if (m.error !== undefined) {
              end();
              reject(new Error(m.error));
            }
          };
          job.onerror = (e) => {
            end();
            reject(new Error(e.message));
          };
          job.postMessage({ id: 1, name: "stability", input: typed, helpers });
        });
      return [await run(0), await run(1)];
    },
    { input: plain, url: `${pane.url}/engine-worker.js` },
  );
  const [one, two] = runs as PageRun[];
  expect(one.forks).toBe(0);
  expect(two.forks).toBe(1);
  const expected = Array.from(inline.stay, (s) => (Number.isNaN(s) ? null : s)); // NaN crosses evaluate as null
  expect(one.stay.map((s) => (Number.isNaN(s) ? null : s))).toEqual(expected);
  expect(two.stay.map((s) => (Number.isNaN(s) ? null : s))).toEqual(expected);
  expect(errors).toEqual([]);
  console.log(`stability in chromium, ${ROWS.toLocaleString("en-US")} SKUs x ${PERIODS} x ${job.runs} runs: one worker ${one.ms.toFixed(0)} ms, two ${two.ms.toFixed(0)} ms`);
});
