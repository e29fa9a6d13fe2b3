/**
 * A finance sheet against the sample segmentation (sampleData.ts), worked out by hand
 * (value tolerance: 1 or 0.1 % of finance, the greater):
 *
 *   row  Material  Valuation class       Stock value   against the segmentation
 *    2   S01       Raw material          500           S01 AX 500: ties out (exact)
 *    3   " s02"    Finished goods        300.2         S02 AY 300: -0.2, within tolerance (trim, then case)
 *    4   S03       Finished goods         70           S03 BX 80: +10, beyond tolerance (value difference)
 *    5   S05       Obsolescence reserve   30           S05 CX 30: ties out; rule "Obsolescence reserve → inactive" violated
 *    6   S06       Finished goods         15           S06 CX 30: two rows, same entity: duplicate (not compared)
 *    7   S06       Finished goods         15
 *    8   S07       Obsolescence reserve    0           S07 (inactive) 0: ties out, the rule holds
 *    9   S08       Raw material            5           ties out
 *   10   S09       Raw material            3           ties out
 *   11   S10       Raw material            2           ties out
 *   12   X99       Spare parts            12           not in the segmentation
 *   13   S11       Raw material    "1,234.50"          rejected: Finance!C13, text is not a number
 *   14   (blank)   Raw material            7           rejected: Finance!A14, the SKU is blank
 *   S04 (BZ, 50) has no finance row: not in finance.
 *
 * Segmentation 1,000 against finance 952.20 (accepted rows): difference +47.80. Items: ties out 6
 * (S01 S05 S07 S08 S09 S10), within tolerance 1 (S02, -0.2), unexplained 4 (S03 +10, S04 +50,
 * S06 0, X99 -12). Join: exact 9 rows, case 1 ("s02" after trim), 1 row unmatched.
 */
import type { CellValue } from "../../src/app/ports";

export const FINANCE_HEADERS: CellValue[] = ["Material", "Valuation class", "Stock value", "Company code"];

export function financeSheet(): CellValue[][] {
  return [
    FINANCE_HEADERS,
    ["S01", "Raw material", 500, "1000"],
    [" s02", "Finished goods", 300.2, "1000"],
    ["S03", "Finished goods", 70, "1000"],
    ["S05", "Obsolescence reserve", 30, "1000"],
    ["S06", "Finished goods", 15, "1000"],
    ["S06", "Finished goods", 15, "1000"],
    ["S07", "Obsolescence reserve", 0, "1000"],
    ["S08", "Raw material", 5, "1000"],
    ["S09", "Raw material", 3, "1000"],
    ["S10", "Raw material", 2, "1000"],
    ["X99", "Spare parts", 12, "1000"],
    ["S11", "Raw material", "1,234.50", "1000"],
    ["", "Raw material", 7, "1000"],
  ];
}
