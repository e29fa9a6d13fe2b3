/** Shared set-up for the gateway suites: a FakeExcel host, the gateway over it, test data. */
import type { AuditRow } from "../../src/app/ports";
import { GENESIS_HASH } from "../../src/engine/audit";
import { createExcelGateway, createSettingsStore, ExcelGateway, ExcelGatewayOptions, ExcelHost } from "../../src/excel";
import { FakeExcel, FakeExcelOptions, Scalar } from "../fake-excel";

export function setup(options: FakeExcelOptions = {}, gatewayOptions: ExcelGatewayOptions = {}): { fake: FakeExcel; gateway: ExcelGateway } {
  const fake = new FakeExcel({ sheets: ["Data"], ...options });
  const gateway = createExcelGateway(fake.host as unknown as ExcelHost, createSettingsStore(fake.settings), gatewayOptions);
  return { fake, gateway };
}

/** Deterministic pseudo-random numbers (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A SKU sheet: header row + `rows` rows of SKU, description, value, qty, cost, lead time and
 * `history` demand columns (`history` + 6 columns in all).
 */
export function skuSheet(rows: number, history: number, seed = 1): Scalar[][] {
  const rand = rng(seed);
  const header: Scalar[] = ["SKU", "Description", "Value", "Qty", "Unit cost", "Lead time", ...Array.from({ length: history }, (_, k) => `M${k + 1}`)];
  const out: Scalar[][] = [header];
  for (let i = 0; i < rows; i++) {
    const row: Scalar[] = [`SKU-${String(i + 1).padStart(6, "0")}`, `Item ${i + 1} ${rand() < 0.5 ? "bolt" : "bracket, steel"}`, Math.round(rand() * 1e8) / 100, Math.floor(rand() * 5000), Math.round(rand() * 1e4) / 100, 1 + Math.floor(rand() * 12)];
    for (let k = 0; k < history; k++) row.push(rand() < 0.2 ? 0 : Math.floor(rand() * 400));
    out.push(row);
  }
  return out;
}

let counter = 0;
export function auditRow(overrides: Partial<AuditRow> = {}): AuditRow {
  counter++;
  return {
    entryId: `00000000-0000-4000-8000-${String(counter).padStart(12, "0")}`,
    timestamp: "2026-11-25T10:00:00.000Z",
    user: "Planner",
    workbookId: "{5F0C1B7E-0000-4000-8000-000000000001}",
    action: "override-set",
    sku: "00123",
    field: "segment",
    oldValue: "AX",
    newValue: "BY",
    reason: "=SUM(A1) promo",
    modelVersion: "mv-1",
    prevHash: GENESIS_HASH,
    entryHash: "1234e5",
    syncState: "pending",
    ...overrides,
  };
}
