/**
 * Promotion flag columns (issue 11): the mapped block of per-period flags
 * (ColumnMapping.promotionFlags) as a promotion mask, the same PeriodMask a Promotions table gives
 * (src/app/churnControl.ts promotionsMask). Pure; the Classify step loads it when flag columns are
 * mapped (src/app/churnStage.ts), so it stays out of the pane's start-up code.
 */
import { sheetCell } from "./a1";
import { maskFromFlagCells, type PeriodMask } from "../engine/promotions";
import { promotionFlagPeriod, type ColumnMapping } from "./mapping";
import type { ParsedTable } from "./parse";
import type { RangeSnapshot } from "./ports";

function headerText(c: unknown): string {
  return c === null || c === undefined ? "" : String(c).trim();
}

/**
 * The promotion mask from the mapped promotion flag columns (ColumnMapping.promotionFlags): one
 * column per period, matched to the history by its header ("Promo W01" or "W01" → period W01,
 * case-insensitive); the cells read by the engine's maskFromFlagCells (promotions.ts: TRUE, 1,
 * yes, y, x, promo = promoted; FALSE, 0, no, n and blank = not). Such periods are treated exactly
 * like Promotions-table rows. A column naming a period after the as-of cut is ignored; one naming
 * no period of the history (or a period another flag column names), or a cell that is not a flag,
 * is an error naming its cell (nothing is classified). null when no flag columns are mapped.
 */
export function promotionFlagsMask(snap: RangeSnapshot, mapping: ColumnMapping, parsed: ParsedTable, periodLabels: readonly string[]): PeriodMask | null {
  const b = mapping.promotionFlags;
  if (!b) return null;
  const headerRow = snap.values[mapping.headerRow] ?? [];
  const p = parsed.periods;
  const index = new Map<string, number>();
  periodLabels.forEach((l, j) => {
    const k = l.trim().toLowerCase();
    if (!index.has(k)) index.set(k, j);
  });
  const at = (row: number, c: number) => sheetCell(snap.sheetName, snap.firstRow + row, snap.firstColumn + c);
  /** Flag column of each period of the run (-1: none). */
  const columnOf = new Int32Array(p).fill(-1);
  for (let c = b.first; c <= b.last; c++) {
    const header = headerText(headerRow[c]);
    const j = index.get(promotionFlagPeriod(header).toLowerCase()) ?? index.get(header.toLowerCase());
    const where = `the header ${JSON.stringify(header)} (${at(mapping.headerRow, c)})`;
    if (j === undefined) {
      throw new Error(`Promotion flags: ${where} names no period of the history (${periodLabels[0] ?? ""} … ${periodLabels[periodLabels.length - 1] ?? ""}); head each flag column "Promo <period>" or with the period header. Nothing was classified.`);
    }
    if (j >= p) continue;
    if (columnOf[j] >= 0) throw new Error(`Promotion flags: ${where} names period ${periodLabels[j]} again (also ${at(mapping.headerRow, columnOf[j])}); give one flag column per period. Nothing was classified.`);
    columnOf[j] = c;
  }
  const cells = Array.from(parsed.sheetRow, (sheetRow) => {
    const row = snap.values[sheetRow - snap.firstRow] ?? [];
    return Array.from(columnOf, (c) => (c >= 0 ? (row[c] ?? null) : null));
  });
  const { mask, problems } = maskFromFlagCells(cells, parsed.n, p);
  if (problems.length) {
    const first = problems[0];
    const i = first.row - 1;
    const j = first.period - 1;
    const more = problems.length - 1;
    throw new Error(
      `Promotion flags: ${at(parsed.sheetRow[i] - snap.firstRow, columnOf[j])} (SKU ${parsed.sku[i]}, ${periodLabels[j]}): ${first.message}${more ? ` (and ${more} more such cell${more > 1 ? "s" : ""})` : ""}. Nothing was classified.`,
    );
  }
  return mask;
}

/** Periods flagged in either mask (same shape), or the one given. */
export function unionMasks(a: PeriodMask | null, b: PeriodMask | null): PeriodMask | null {
  if (!a || !b) return a ?? b;
  const flags = Uint8Array.from(a.flags, (f, k) => (f || b.flags[k] ? 1 : 0));
  return { rows: a.rows, periods: a.periods, flags };
}

