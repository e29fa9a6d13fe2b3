/**
 * Order lines and contract clauses for the issue-15 pane tests, small enough to work out by hand.
 * The SKUs are those of sampleData.ts (S01 AX, S02 AY, S03 BX, S04 BZ, S05 CX).
 *
 *   row  order customer sku qty revenue cost tier    handling  kg CO2e/unit
 *    2   O1    C1       S01  10   400    240  gold       5        0.5
 *    3   O1    C1       S02   5   100     60  gold       5        2
 *    4   O2    C2       S01   4   150     90  silver     5        0.5
 *    5   O3    C3       S03   2   100    110             20        1
 *    6   O4    C2       S05   1    50     30  silver     5        4
 *    7   O5    C1       S01   6   200    120  gold       5        0.5
 *    8   O6    (blank)  S02   3    90     50             5        1     rejected: B8 customer blank
 *    9   O7    C3       S04  "x"   10      5             5        1     rejected: D9 text quantity
 *
 * Per customer (lines, orders, units, revenue, cost, margin, handling, kg CO2e):
 *   C1: 3, 2, 21, 700, 420, 280, 15, 5 + 10 + 3 = 18
 *   C2: 2, 2,  5, 200, 120,  80, 10, 2 + 4 = 6
 *   C3: 1, 1,  2, 100, 110, -10, 20, 2
 * ABC by value (total 1000): C1 .70 A, C2 .90 B, C3 1.00 C.
 * ABC by margin (positives 360): C1 280/360 = .778 A, C2 1.00 C, C3 loss class L.
 * Cost-to-serve (handling only, total 45) per customer class: A 15 (.333 of cost, .7 of revenue,
 * ratio .476), B 10 (.222, .2, 1.111), C 20 (.444, .1, 4.444: out of proportion at 1.5).
 * Carbon (total 26): C1 .692 high, C2 .923 medium, C3 1.0 low.
 */
import type { CellValue } from "../../src/app/ports";

export const LINE_HEADERS: CellValue[] = ["Order", "Customer", "SKU", "Qty", "Revenue", "Cost", "Tier", "Handling cost", "CO2e per unit"];

export const LINES: CellValue[][] = [
  ["O1", "C1", "S01", 10, 400, 240, "gold", 5, 0.5],
  ["O1", "C1", "S02", 5, 100, 60, "gold", 5, 2],
  ["O2", "C2", "S01", 4, 150, 90, "silver", 5, 0.5],
  ["O3", "C3", "S03", 2, 100, 110, "", 20, 1],
  ["O4", "C2", "S05", 1, 50, 30, "silver", 5, 4],
  ["O5", "C1", "S01", 6, 200, 120, "gold", 5, 0.5],
  ["O6", "", "S02", 3, 90, 50, "", 5, 1],
  ["O7", "C3", "S04", "x", 10, 5, "", 5, 1],
];

export function linesSheet(): CellValue[][] {
  return [LINE_HEADERS, ...LINES.map((r) => [...r])];
}

export const CLAUSE_HEADERS: CellValue[] = ["Customer", "Contract", "Clause"];
export const CLAUSES: CellValue[][] = [
  ["C1", "K-17", "The Supplier shall maintain a fill rate of at least 98.5% for all purchase orders."],
  ["C3", "K-22", "If the order fill rate falls below 96%, the Supplier shall pay a penalty of 2% of the invoice value for each day of delay."],
  ["C2", "K-30", "Le fournisseur garantit un taux de service de 98 % et une livraison sous 48 heures."],
  ["C2", "K-30", "Payment is due within 30 days of the invoice date."],
];

export function clausesSheet(): CellValue[][] {
  return [CLAUSE_HEADERS, ...CLAUSES.map((r) => [...r])];
}
