/**
 * Sheet blocks other than tables, by kind. The writer (writer.ts) writes tables itself (they carry
 * the data and are chunked); every other kind is placed in the finishing sync by its BlockWriter.
 * A new kind (a line chart of forecasts, a picture) is one entry here and its type in
 * src/app/ports.ts SheetBlock; the writer's core does not change.
 */
import type { ChartBlock, SheetBlock, TableBlock } from "../app/ports";
import { chartWriter } from "./charts";

/** A table of the same write, as the finishing step sees it (already staged). */
export interface StagedTable {
  block: TableBlock;
  /** Index of the plan (and staging sheet) that holds it. */
  plan: number;
  /** 0-based sheet row and column of its header. */
  row: number;
  column: number;
  rows: number;
  columns: number;
}

export interface BlockWriter<B extends SheetBlock, P> {
  /** Checks the block against the tables of the same write; throws an Error naming the sheet and block. */
  prepare(block: B, sheetName: string, tables: ReadonlyMap<string, StagedTable>): P;
  /** Queues the block's operations on the staging sheets (no sync). */
  place(prepared: P, staging: readonly Excel.Worksheet[], plan: number): void;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyWriter = BlockWriter<any, any>;

export const BLOCK_WRITERS: Record<Exclude<SheetBlock["kind"], "table">, AnyWriter> = {
  chart: chartWriter as BlockWriter<ChartBlock, unknown>,
};

export function blockWriter(kind: string, sheetName: string): AnyWriter {
  const w = (BLOCK_WRITERS as Record<string, AnyWriter | undefined>)[kind];
  if (!w) throw new Error(`Sheet "${sheetName}": unknown block kind "${kind}".`);
  return w;
}
