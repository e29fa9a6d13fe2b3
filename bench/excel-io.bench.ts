/* Workbook I/O at the scale, through the real gateway (src/excel) against the fake Excel
   host (test/fake-excel) in node:
   - readCurrentRegion of 100,000 SKU rows x 110 columns (SKU, description, value, qty, unit cost,
     lead time and 104 weeks of demand) plus the header row;
   - writeSheets of a Segments table (100,000 x 11, with the Pareto chart) and a Policy sheet
     (a 9-row segment grid and a per-SKU table of 100,000 x 10), first into a new workbook, then
     again over the existing sheets (the rerun path);
   - updateTableCells for 1,000 overrides (segment and reason: 2,000 cells);
   - audit.append of 1,000 override rows, then audit.readAll of the 1,001 rows.
   For each: syncs, the largest request or response payload as the gateway measures it (JSON of the
   cell arrays of one sync), what the fake host measured (whole request incl. operation overhead),
   cells moved and wall-clock ms. Syncs and bytes are the same on every run; ms is the median of
   RUNS runs. The fake applies writes in memory, so ms is the gateway's own cost plus the fake's,
   not Excel's: in Excel each sync is also a round trip (on the web, to the server). */
import { performance } from "node:perf_hooks";
import type { AuditRow, IoReport, SheetPlan } from "../src/app/ports";
import { GENESIS_HASH } from "../src/engine/audit";
import { createExcelGateway, createSettingsStore, ExcelGateway, ExcelHost } from "../src/excel";
import { FakeExcel, Scalar } from "../test/fake-excel";
import { median } from "./lib";

const SKUS = 100_000;
const HISTORY = 104;
const OVERRIDES = 1_000;
const RUNS = Math.max(3, Math.min(9, Number(process.env.SEG_BENCH_RUNS ?? 3) || 3));

let seed = 20261125;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;

function skuRows(): Scalar[][] {
  const header: Scalar[] = ["SKU", "Description", "Annual value", "Qty", "Unit cost", "Lead time", ...Array.from({ length: HISTORY }, (_, k) => `W${k + 1}`)];
  const rows: Scalar[][] = [header];
  for (let i = 0; i < SKUS; i++) {
    const cost = Math.round(rand() * 50_000) / 100;
    const row: Scalar[] = [`SKU-${String(i + 1).padStart(6, "0")}`, `Part ${i + 1}, ${rand() < 0.5 ? "bracket" : "steel bolt M8"}`, 0, 0, cost, 1 + Math.floor(rand() * 12)];
    let qty = 0;
    const level = Math.floor(rand() * 200);
    for (let k = 0; k < HISTORY; k++) {
      const d = rand() < 0.15 ? 0 : Math.floor(level * (0.5 + rand()));
      qty += d;
      row.push(d);
    }
    row[2] = Math.round(qty * cost * 100) / 100;
    row[3] = qty;
    rows.push(row);
  }
  return rows;
}

const SEGMENT_HEADERS = ["SKU", "Value", "Cumulative share", "ABC", "CV", "XYZ", "Pattern", "Segment", "Override", "Override reason", "Model version"];
const SKU_POLICY_HEADERS = ["SKU", "Segment", "Service level", "Method", "Demand mean", "Demand sd", "Lead time", "Safety stock", "Reorder point", "Order quantity"];
const SEGMENTS = ["AX", "AY", "AZ", "BX", "BY", "BZ", "CX", "CY", "CZ"];

function plans(data: Scalar[][], version: string): SheetPlan[] {
  const body = data.slice(1);
  const order = body.map((_, i) => i).sort((a, b) => (body[b][2] as number) - (body[a][2] as number));
  const total = body.reduce((s, r) => s + (r[2] as number), 0);
  let cum = 0;
  const segments = order.map((i, rank) => {
    const r = body[i];
    cum += r[2] as number;
    const abc = rank < SKUS * 0.2 ? "A" : rank < SKUS * 0.5 ? "B" : "C";
    const xyz = "XYZ"[i % 3];
    return [r[0], r[2], cum / total, abc, Math.round(rand() * 2000) / 1000, xyz, i % 7 === 0 ? "intermittent" : "smooth", abc + xyz, "", "", version] as Scalar[];
  });
  const skuPolicy = segments.map((s) => {
    const mean = Math.round(rand() * 2000) / 10;
    return [s[0], s[7], 0.95, "csl", mean, Math.round(mean * 30) / 100, 4, Math.round(mean * 90) / 10, Math.round(mean * 490) / 10, Math.round(mean * 12)] as Scalar[];
  });
  return [
    {
      sheetName: "Segments",
      blocks: [
        { kind: "table", tableName: "Segments", anchor: "A1", headers: SEGMENT_HEADERS, rows: segments, numberFormats: { Value: "#,##0.00", "Cumulative share": "0.0%", CV: "0.000" } },
        {
          kind: "table",
          tableName: "ParetoBins",
          anchor: "N32",
          headers: ["SKUs", "Value", "Cumulative share"],
          rows: Array.from({ length: 100 }, (_, k) => [`${k * (SKUS / 100) + 1}–${(k + 1) * (SKUS / 100)}`, 1000 - k, (k + 1) / 100]),
        },
        {
          kind: "chart",
          name: "Pareto",
          chartType: "ColumnClustered",
          title: "Value by rank group",
          sourceTable: "ParetoBins",
          categoryHeader: "SKUs",
          series: [
            { header: "Value", type: "column" },
            { header: "Cumulative share", type: "line", secondaryAxis: true, axisMin: 0, axisMax: 1, axisFormat: "0%" },
          ],
          anchor: "N10",
        },
      ],
    },
    {
      sheetName: "Policy",
      blocks: [
        {
          kind: "table",
          tableName: "SegmentPolicy",
          anchor: "A1",
          headers: ["Segment", "Service level", "Method", "Review period"],
          rows: SEGMENTS.map((s, k) => [s, 0.99 - k * 0.02, k < 3 ? "fill" : "csl", 1 + (k % 3)]),
          numberFormats: { "Service level": "0.0%" },
        },
        { kind: "table", tableName: "SkuPolicy", anchor: "A13", headers: SKU_POLICY_HEADERS, rows: skuPolicy, numberFormats: { "Service level": "0.0%", "Safety stock": "#,##0.0" } },
      ],
    },
  ];
}

function auditRows(n: number): AuditRow[] {
  return Array.from({ length: n }, (_, i) => ({
    entryId: `6f1c2a3b-0000-4000-8000-${String(i).padStart(12, "0")}`,
    timestamp: new Date(Date.UTC(2026, 10, 25, 10, 0, i % 60)).toISOString(),
    user: "S&OP planner",
    workbookId: "{7d3f6c2e-8a41-4b7e-9f0a-1c2d3e4f5a6b}",
    action: "override-set",
    sku: `SKU-${String(i + 1).padStart(6, "0")}`,
    field: "segment",
    oldValue: "CZ",
    newValue: "BY",
    reason: "promotion planned for Q1, supplier allocation",
    modelVersion: "mv-20261125T100000Z-3f9a",
    prevHash: i === 0 ? GENESIS_HASH : "a".repeat(64),
    entryHash: "b".repeat(64),
    syncState: "pending",
  }));
}

interface Row {
  operation: string;
  report: IoReport;
  hostRequest: number;
  hostResponse: number;
  ms: number[];
}

const results = new Map<string, Row>();

function record(operation: string, report: IoReport, fake: FakeExcel): void {
  const row = results.get(operation) ?? { operation, report, hostRequest: 0, hostResponse: 0, ms: [] };
  if (row.report.syncs !== report.syncs) throw new Error(`${operation}: ${row.report.syncs} syncs on one run, ${report.syncs} on another`);
  row.report = report;
  row.hostRequest = fake.stats.maxRequestBytes;
  row.hostResponse = fake.stats.maxResponseBytes;
  row.ms.push(report.ms);
  results.set(operation, row);
}

async function step(fake: FakeExcel, gateway: ExcelGateway, operation: string, work: () => Promise<unknown>): Promise<void> {
  (globalThis as { gc?: () => void }).gc?.();
  fake.resetStats();
  const t0 = performance.now();
  await work();
  const report = { ...gateway.lastReport!, ms: Math.round(performance.now() - t0) };
  if (report.syncs !== fake.stats.syncs) throw new Error(`${operation}: the gateway counted ${report.syncs} syncs, the host ${fake.stats.syncs}`);
  if (fake.stats.failedSyncs) throw new Error(`${operation}: ${fake.stats.failedSyncs} syncs failed`);
  record(operation, report, fake);
}

async function main(): Promise<void> {
  const data = skuRows();
  for (let run = 0; run < RUNS; run++) {
    const fake = new FakeExcel({ sheets: ["Data"] });
    fake.workbook.sheet("Data").setValues("A1", data);
    fake.workbook.select("Data!B2");
    const gateway = createExcelGateway(fake.host as unknown as ExcelHost, createSettingsStore(fake.settings));

    let read: Scalar[][] = [];
    await step(fake, gateway, `readCurrentRegion ${SKUS.toLocaleString("en")} x ${data[0].length}`, async () => {
      read = (await gateway.readCurrentRegion()).values as Scalar[][];
    });
    if (read.length !== SKUS + 1 || read[SKUS][HISTORY + 5] !== data[SKUS][HISTORY + 5]) throw new Error("the read did not return the sheet");
    const firstPlans = plans(read, "mv-1");
    read = [];
    await step(fake, gateway, "writeSheets Segments + Policy (new)", () => gateway.writeSheets(firstPlans));
    const rerun = plans(data, "mv-2");
    await step(fake, gateway, "writeSheets Segments + Policy (rerun)", () => gateway.writeSheets(rerun));
    const updates = Array.from({ length: OVERRIDES }, (_, k) => (rerun[0].blocks[0] as { rows: Scalar[][] }).rows[k * 97][0] as string).flatMap((sku) => [
      { key: sku, header: "Override", value: "BY" },
      { key: sku, header: "Override reason", value: "promotion planned for Q1" },
    ]);
    await step(fake, gateway, `updateTableCells ${OVERRIDES.toLocaleString("en")} overrides`, () => gateway.updateTableCells("Segments", "SKU", updates));
    await gateway.audit.append(auditRows(1));
    await step(fake, gateway, `audit.append ${OVERRIDES.toLocaleString("en")} rows`, () => gateway.audit.append(auditRows(OVERRIDES)));
    await step(fake, gateway, `audit.readAll ${(OVERRIDES + 1).toLocaleString("en")} rows`, () => gateway.audit.readAll());
  }

  const n = (x: number) => x.toLocaleString("en");
  console.log(`fake Excel host, payload limit 5,000,000 bytes; gateway budget 4,000,000 bytes per sync; median of ${RUNS} runs`);
  const table = [...results.values()].map((r) => ({
    operation: r.operation,
    syncs: n(r.report.syncs),
    "largest payload (gateway, B)": n(r.report.largestPayloadBytes),
    "largest request (host, B)": n(r.hostRequest),
    "largest response (host, B)": n(r.hostResponse),
    cells: n(r.report.cells),
    "median ms": n(median(r.ms)),
  }));
  console.table(table);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
