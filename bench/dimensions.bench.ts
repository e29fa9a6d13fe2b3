/* Order-line aggregation by dimension (src/engine/dimensions.ts) at 1,000,000 lines; target ≤ 1 s
   per aggregation, wall clock, including the distinct-order count:
   - product (one row per SKU; 50,000 SKUs), customer (5,000), SKU × customer (hash of pairs);
   - cost-to-serve per segment on the same lines (rates, shipment costs; no target);
   - numpy/pandas: the same grouped sums with pandas groupby(sort=False) + nunique on the same data,
     timed inside python (no conversion counted), for the ratio.
   Keys come already coded (encodeKeys runs once when the sheet is read, not per aggregation).
   Inputs are deterministic pseudo-random (LCG, fixed seed), Zipf-like SKU popularity. Figures are
   the median of RUNS runs after 2 warm-ups (bench/lib.ts measure). */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { costToServe } from "../src/engine/costToServe";
import { aggregateOrderLines, type Dimension, type OrderLines } from "../src/engine/dimensions";
import { gc, measure } from "./lib";

const LINES = 1_000_000;
const SKUS = 50_000;
const CUSTOMERS = 5_000;
const ORDERS = 250_000;
const SHIPMENTS = 100_000;
const RUNS = Math.max(3, Math.min(15, Number(process.env.SEG_BENCH_RUNS ?? 5) || 5));
const TARGET_MS = 1000;

let seed = 20261201;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;

const sku = new Int32Array(LINES);
const customer = new Int32Array(LINES);
const orderId = new Int32Array(LINES);
const shipmentId = new Int32Array(LINES);
const quantity = new Float64Array(LINES);
const revenue = new Float64Array(LINES);
const cost = new Float64Array(LINES);
for (let i = 0; i < LINES; i++) {
  // Zipf-like popularity: the square of a uniform pulls the codes towards 0.
  sku[i] = Math.floor(SKUS * rand() ** 2);
  customer[i] = Math.floor(CUSTOMERS * rand() ** 1.5);
  orderId[i] = Math.floor((i / LINES) * ORDERS + rand() * 3) % ORDERS;
  shipmentId[i] = Math.floor(orderId[i] / 2.5);
  quantity[i] = 1 + Math.floor(20 * rand());
  revenue[i] = Math.round(quantity[i] * (2 + 50 * rand()) * 100) / 100;
  cost[i] = Math.round(revenue[i] * (0.4 + 0.5 * rand()) * 100) / 100;
}
const keys = (n: number, p: string) => Array.from({ length: n }, (_, k) => `${p}${k}`);
const lines: OrderLines = { rows: LINES, sku, skuKeys: keys(SKUS, "S"), customer, customerKeys: keys(CUSTOMERS, "C"), orderId, quantity, revenue, cost };

function pandasFigures(): Record<string, number> | string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "seg-dimensions-bench-"));
  try {
    for (const [name, a] of Object.entries({ sku, customer, orderId, quantity, revenue, cost })) writeFileSync(path.join(dir, `${name}.bin`), Buffer.from(a.buffer));
    const script = String.raw`
import json, sys, time
import numpy as np, pandas as pd
d, runs = sys.argv[1], int(sys.argv[2])
df = pd.DataFrame({
  "sku": np.fromfile(d + "/sku.bin", dtype=np.int32), "customer": np.fromfile(d + "/customer.bin", dtype=np.int32),
  "order": np.fromfile(d + "/orderId.bin", dtype=np.int32), "quantity": np.fromfile(d + "/quantity.bin"),
  "revenue": np.fromfile(d + "/revenue.bin"), "cost": np.fromfile(d + "/cost.bin")})
def agg(keys):
    g = df.groupby(keys, sort=False)
    return g.agg(lines=("quantity", "size"), units=("quantity", "sum"), revenue=("revenue", "sum"), cost=("cost", "sum"), orders=("order", "nunique"))
out = {}
for name, keys in [("product", ["sku"]), ("customer", ["customer"]), ("skuCustomer", ["sku", "customer"])]:
    agg(keys)
    ts = []
    for _ in range(runs):
        t = time.perf_counter(); agg(keys); ts.append((time.perf_counter() - t) * 1000)
    out[name] = sorted(ts)[len(ts) // 2]
print(json.dumps(out))
`;
    const env = { ...process.env };
    delete env.OPENBLAS_CORETYPE;
    delete env.OPENBLAS_L2_SIZE;
    const r = spawnSync("/usr/bin/python3", ["-c", script, dir, String(RUNS)], { encoding: "utf8", timeout: 600_000, env });
    if (r.status !== 0) return `pandas comparison skipped: ${(r.stderr || r.error?.message || "python3 failed").trim().split("\n").pop()}`;
    return JSON.parse(r.stdout) as Record<string, number>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  console.log(`dimensions bench: ${LINES.toLocaleString("en-US")} order lines, ${SKUS.toLocaleString("en-US")} SKUs, ${CUSTOMERS.toLocaleString("en-US")} customers, ${os.cpus().length} cores, node ${process.version}, median of ${RUNS} runs${gc ? "" : " (run with --expose-gc for steadier figures)"}`);
  const pd = pandasFigures();
  const rows: { what: string; wall: number; cpu: number; target?: number; ref?: number }[] = [];
  for (const dim of ["product", "customer", "skuCustomer"] as Dimension[]) {
    const t = await measure(
      () => aggregateOrderLines(lines, dim),
      (r) => {
        const a = r as ReturnType<typeof aggregateOrderLines>;
        if (a.issues.size !== 0 || a.keys === 0) throw new Error(`${dim}: unexpected result`);
      },
      RUNS,
    );
    rows.push({ what: `aggregate ${dim} + distinct orders`, wall: t.wall, cpu: t.cpu, target: TARGET_MS, ref: typeof pd === "object" ? pd[dim] : undefined });
  }
  const product = aggregateOrderLines(lines, "product");
  // Segment of a line: 3 classes by SKU code band (a stand-in for the ABC class of the SKU).
  const segmentOfLine = Int32Array.from(product.lineKey, (_, i) => (sku[i] < 2000 ? 0 : sku[i] < 10000 ? 1 : 2));
  const shipmentCost = Float64Array.from({ length: SHIPMENTS }, () => 20 + 80 * rand());
  const t = await measure(
    () => costToServe({ rows: LINES, segmentOfLine, segmentLabels: ["A", "B", "C"], quantity, revenue, cost, orderId, shipmentId, shipmentCost, rates: { perOrder: 4, perLine: 0.8, perUnit: 0.02 } }),
    (r) => {
      if ((r as ReturnType<typeof costToServe>).segments.length !== 3) throw new Error("cost-to-serve: expected 3 segments");
    },
    RUNS,
  );
  rows.push({ what: "cost-to-serve, 3 segments", wall: t.wall, cpu: t.cpu });

  const pad = (s: string, n: number) => s.padEnd(n);
  console.log(`${pad("", 46)}${pad("wall ms", 10)}${pad("cpu ms", 10)}${pad("target", 14)}${pad("pandas ms", 11)}ratio`);
  for (const r of rows) {
    const target = r.target === undefined ? "" : `≤ ${r.target} ${r.wall <= r.target ? "ok" : "MISSED"}`;
    console.log(`${pad(r.what, 46)}${pad(r.wall.toFixed(1), 10)}${pad(r.cpu.toFixed(1), 10)}${pad(target, 14)}${pad(r.ref === undefined ? "" : r.ref.toFixed(1), 11)}${r.ref === undefined ? "" : (r.wall / r.ref).toFixed(2)}`);
  }
  if (typeof pd === "string") console.log(pd);
  const load = os.loadavg()[0];
  if (load > os.cpus().length) console.log(`note: load average ${load.toFixed(1)} on ${os.cpus().length} cores while measuring; wall times include waiting for a core`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
