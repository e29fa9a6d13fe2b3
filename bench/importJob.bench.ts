/* The pane's import path at scale: 1,000,000 transaction rows as the file reader hands them (text
   columns: SKU, ISO date, quantity, order type, transaction id) through the "bucket" engine job
   (src/app/jobs/bucket.ts: parseDates, parseQuantities, bucketTransactions into ISO weeks, unit
   costs and families), as the Web Worker runs it. Target (issue 14): <= 2 s in the worker.
   Also measured: the structured clone of the job's input (what postMessage copies to the worker)
   and of its output. 10,000 SKUs over two years, 2 % returns, 1 % an unticked order type.
   `npm run bench -- importJob`. */
import { computeBucket, type BucketJob } from "../src/app/jobs/bucket";
import { measure } from "./lib";

const ROWS = Number(process.env.SEG_BENCH_IMPORT_ROWS ?? 1_000_000) || 1_000_000;
const SKUS = 10_000;
// mulberry32 (T. Ettinger): a small seeded generator with full 32-bit output
let seed = 20261202;
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const sku = new Array<string>(ROWS);
const date = new Array<string>(ROWS);
const qty = new Array<string>(ROWS);
const type = new Array<string>(ROWS);
const id = new Array<string>(ROWS);
const day0 = Date.UTC(2023, 0, 2);
for (let i = 0; i < ROWS; i++) {
  sku[i] = `SKU-${Math.floor(rand() * SKUS)}`;
  date[i] = new Date(day0 + Math.floor(rand() * 728) * 86_400_000).toISOString().slice(0, 10);
  const r = rand();
  qty[i] = r < 0.02 ? `-${1 + Math.floor(rand() * 5)}` : String(1 + Math.floor(rand() * 40));
  type[i] = r > 0.99 ? "ZFOC" : "601";
  id[i] = `D${i}`;
}
const job: BucketJob = {
  rows: ROWS,
  columns: { sku, date, quantity: qty, orderType: type, transactionId: id },
  headers: { sku: "Material", date: "Posting Date", quantity: "Qty" },
  calendar: { kind: "isoWeek" },
  dateFormat: "auto",
  numberLocale: "en",
  negatives: "exclude",
  excludeOrderTypes: ["ZFOC"],
  byLocation: false,
};

async function main() {
  const t = await measure(
    () => computeBucket(job),
    (r) => {
      const b = r as ReturnType<typeof computeBucket>;
      if (b.n !== SKUS || b.periods < 104) throw new Error(`unexpected result ${b.n} × ${b.periods}`);
    },
    3,
  );
  console.log(`bucket job, ${ROWS.toLocaleString("en")} rows -> ${SKUS.toLocaleString("en")} SKUs x ISO weeks: median ${t.wall.toFixed(0)} ms wall (${t.cpu.toFixed(0)} ms CPU), best ${t.best.toFixed(0)} ms; target <= 2,000 ms`);
  const c0 = performance.now();
  structuredClone(job);
  const cin = performance.now() - c0;
  const out = computeBucket(job);
  const c1 = performance.now();
  structuredClone(out);
  console.log(`structured clone: input ${cin.toFixed(0)} ms, output ${(performance.now() - c1).toFixed(0)} ms`);
}
void main();
