/**
 * A small SKU sheet whose classes can be worked out by hand (cut-offs 0.8/0.95, CV 0.5/1.0,
 * population sd):
 *
 *   SKU  value  cumShare  ABC | history (4 periods)  mean  sd     CV    XYZ | segment
 *   S01   500    0.500    A   | 10 10 10 10           10    0      0     X   | AX
 *   S02   300    0.800    A   | 2 18 2 18             10    8      0.8   Y   | AY
 *   S03    80    0.880    B   | 5 15 5 15             10    5      0.5   X   | BX   (CV on the cut-off: X)
 *   S04    50    0.930    B   | 0 0 0 40              10    17.32  1.73  Z   | BZ
 *   S05    30    0.960    C   | 4 4 4 4               4     0      0     X   | CX
 *   S06    30    0.990    C   | 1 3 1 3               2     1      0.5   X   | CX   (ties S05: input order)
 *   S08     5    0.995    C   | 1 9 1 9               5     4      0.8   Y   | CY
 *   S09     3    0.998    C   | 0 8 0 0               2     3.46   1.73  Z   | CZ
 *   S10     2    1.000    C   | 6 6 6 6               6     0      0     X   | CX
 *   S07     0      –      –   | 0 0 0 0               0     0      –     N   | – inactive (no demand): not ranked, last on the sheet
 *
 * Columns: A SKU, B Description, C Annual value, D Unit cost, E Lead time, F Strategic, G..J W01..W04.
 * Then three bad rows: a duplicate S01 (row 12), text in the value (C13), a blank id (A14).
 */
import type { CellValue } from "../../src/app/ports";

export const HEADERS: CellValue[] = ["SKU", "Description", "Annual value", "Unit cost", "Lead time", "Strategic", "W01", "W02", "W03", "W04"];

export const GOOD_ROWS: CellValue[][] = [
  ["S01", "Bearing", 500, 5, 2, "", 10, 10, 10, 10],
  ["S02", "Belt", 300, 3, 2, "", 2, 18, 2, 18],
  ["S03", "Bolt", 80, 1, 1, "", 5, 15, 5, 15],
  ["S04", "Cable", 50, 2, 3, "", 0, 0, 0, 40],
  ["S05", "Clamp", 30, 1, 2, "", 4, 4, 4, 4],
  ["S06", "Drill", 30, 2, 2, "", 1, 3, 1, 3],
  ["S07", "Filter", 0, 1, 2, "", 0, 0, 0, 0],
  ["S08", "Gasket", 5, 0.5, 2, "", 1, 9, 1, 9],
  ["S09", "Hose", 3, 0.2, 2, "", 0, 8, 0, 0],
  ["S10", "Nut", 2, 0.1, 2, "", 6, 6, 6, 6],
];

export const BAD_ROWS: CellValue[][] = [
  ["S01", "Bearing again", 1, 1, 1, "", 1, 1, 1, 1],
  ["S11", "Pump", "n/a", 1, 1, "", 1, 1, 1, 1],
  ["", "No id", 5, 1, 1, "", 1, 1, 1, 1],
];

export const EXPECTED_SEGMENTS: Record<string, string> = {
  S01: "AX",
  S02: "AY",
  S03: "BX",
  S04: "BZ",
  S05: "CX",
  S06: "CX",
  S07: "",
  S08: "CY",
  S09: "CZ",
  S10: "CX",
};

/** The order of the Segments sheet: ranked SKUs by value, then the inactive S07. */
export const SHEET_ORDER = ["S01", "S02", "S03", "S04", "S05", "S06", "S08", "S09", "S10", "S07"];

export function sampleSheet(): CellValue[][] {
  return [HEADERS, ...GOOD_ROWS.map((r) => [...r]), ...BAD_ROWS.map((r) => [...r])];
}

/** A larger generated sheet (n SKUs x periods weeks), deterministic. */
export function generatedSheet(n: number, periods: number, seed = 1): CellValue[][] {
  let s = seed >>> 0;
  const rnd = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const headers: CellValue[] = ["SKU", "Description", "Unit cost", "Lead time", ...Array.from({ length: periods }, (_, j) => `W${String(j + 1).padStart(3, "0")}`)];
  const rows: CellValue[][] = [headers];
  for (let i = 0; i < n; i++) {
    const base = Math.round(1000 * Math.pow(rnd(), 4));
    const noise = rnd();
    const row: CellValue[] = [`SKU${String(i + 1).padStart(6, "0")}`, `Item ${i + 1}`, Math.round(rnd() * 1000) / 100 + 0.1, 1 + Math.floor(rnd() * 6)];
    for (let j = 0; j < periods; j++) row.push(Math.max(0, Math.round(base * (1 + noise * (rnd() * 2 - 1)))));
    rows.push(row);
  }
  return rows;
}
