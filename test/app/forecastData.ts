/**
 * A SKU sheet for the forecast tests: 8 SKUs × 24 periods whose segments can be worked out by hand
 * (ABC cut-offs 80 % / 95 % on the annual value, XYZ cut-offs 0.5 / 1.0 on the population CV):
 *
 *   SKU  value   cumShare  ABC | history                         CV      XYZ | segment  pattern      family
 *   A1   50000   0.50      A   | 100 + small noise                0.02    X   | AX       smooth       F1
 *   A2   30000   0.80      A   | 20, 80, 50, 10, 90, 40, ...      0.55    Y   | AY       smooth
 *   B1   10000   0.90      B   | 40 + small noise                 0.05    X   | BX       smooth       F1
 *   B2    5000   0.95      B   | 0 0 12 0 0 0 9 ... (8 demands)   1.7     Z   | BZ       intermittent
 *   C1    2000   0.97      C   | 20 + noise / 2                   0.05    X   | CX       smooth       F2
 *   C2    1500   0.985     C   | 10 + noise / 4                   0.04    X   | CX       smooth       F2
 *   C3    1000   0.995     C   | 0 0 30 0 0 0 2 ... (8 demands)   2.6     Z   | CZ       lumpy
 *   C4     500   1.000     C   | 5, 5, 6, 5, 4, ...               0.11    X   | CX       smooth
 *
 * Columns: A SKU, B Description, C Annual value, D Unit cost, E Lead time, F Family, G.. P01..P24.
 */
import type { CellValue } from "../../src/app/ports";

export const PERIODS = 24;
const NOISE = [3, -2, 4, -1, 0, 2, -3, 1, -2, 3, 0, -1, 2, -2, 1, 3, -3, 0, 2, -1, 1, -2, 3, 0];

export const HISTORY: Record<string, number[]> = {
  A1: NOISE.map((e) => 100 + e),
  A2: [20, 80, 50, 10, 90, 40, 70, 30, 60, 20, 80, 50, 10, 90, 40, 70, 30, 60, 20, 80, 50, 10, 90, 40],
  B1: NOISE.map((e) => 40 + e),
  B2: [0, 0, 12, 0, 0, 0, 9, 0, 0, 11, 0, 0, 0, 10, 0, 0, 12, 0, 0, 0, 8, 0, 0, 10],
  C1: NOISE.map((e) => 20 + e / 2),
  C2: NOISE.map((e) => 10 + e / 4),
  C3: [0, 0, 30, 0, 0, 0, 2, 0, 0, 45, 0, 0, 0, 5, 0, 0, 60, 0, 0, 0, 1, 0, 0, 25],
  C4: [5, 5, 6, 5, 4, 5, 6, 5, 5, 4, 6, 5, 5, 5, 6, 4, 5, 5, 6, 5, 4, 5, 6, 5],
};

export const VALUES: Record<string, number> = { A1: 50000, A2: 30000, B1: 10000, B2: 5000, C1: 2000, C2: 1500, C3: 1000, C4: 500 };
export const FAMILY: Record<string, string> = { A1: "F1", B1: "F1", C1: "F2", C2: "F2" };
export const SEGMENT: Record<string, string> = { A1: "AX", A2: "AY", B1: "BX", B2: "BZ", C1: "CX", C2: "CX", C3: "CZ", C4: "CX" };
export const LEAD_TIME = 2;

export const HEADERS: CellValue[] = ["SKU", "Description", "Annual value", "Unit cost", "Lead time", "Family", ...Array.from({ length: PERIODS }, (_, j) => `P${String(j + 1).padStart(2, "0")}`)];

export function forecastSheet(): CellValue[][] {
  return [HEADERS, ...Object.keys(HISTORY).map((sku) => [sku, `Item ${sku}`, VALUES[sku], 2, LEAD_TIME, FAMILY[sku] ?? "", ...HISTORY[sku]])];
}

/** Independent one-step naive backtest over the last k periods (error = forecast − actual). */
export function naiveBacktest(y: number[], k: number): { count: number; me: number; mae: number; wape: number; ts: number; rmse: number } {
  const errors: number[] = [];
  let actual = 0;
  for (let t = y.length - k; t < y.length; t++) {
    errors.push(y[t - 1] - y[t]);
    actual += Math.abs(y[t]);
  }
  const sum = errors.reduce((a, b) => a + b, 0);
  const abs = errors.reduce((a, b) => a + Math.abs(b), 0);
  const mae = abs / errors.length;
  return { count: errors.length, me: sum / errors.length, mae, wape: abs / actual, ts: sum / mae, rmse: Math.sqrt(errors.reduce((a, b) => a + b * b, 0) / errors.length) };
}

/** Root mean square of the naive one-step errors over the whole history (periods 2..n). */
export function naiveInSampleRmse(y: number[]): number {
  let s = 0;
  for (let t = 1; t < y.length; t++) s += (y[t - 1] - y[t]) ** 2;
  return Math.sqrt(s / (y.length - 1));
}
