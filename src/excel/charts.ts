/**
 * Native Excel charts over a table of the same write (ChartBlock): categories from one column,
 * one series per listed column, each drawn as columns or a line, optionally on a secondary axis.
 * The source table should be a small summary (the Pareto chart bins its SKUs first).
 */
import type { ChartBlock } from "../app/ports";
import { cellAddress, MAX_COLUMNS, MAX_ROWS, parseCell } from "../app/a1";
import type { BlockWriter, StagedTable } from "./blockKinds";
import { errorMessage } from "./host";

/** Most points a chart takes from its table (a larger table is a mistake in the plan). */
export const MAX_CHART_POINTS = 4000;
const DEFAULT_COLUMNS = 12;
const DEFAULT_ROWS = 20;

interface PreparedChart {
  block: ChartBlock;
  table: StagedTable;
  categoryColumn: number;
  seriesColumns: number[];
  anchor: { row: number; column: number };
}

function prepare(block: ChartBlock, sheetName: string, tables: ReadonlyMap<string, StagedTable>): PreparedChart {
  const where = `Sheet "${sheetName}", chart "${block.name}"`;
  if (typeof block.name !== "string" || block.name.trim() === "") throw new Error(`Sheet "${sheetName}": a chart needs a name.`);
  const table = tables.get(String(block.sourceTable).toLowerCase());
  if (!table) throw new Error(`${where}: its source table "${block.sourceTable}" is not written in the same call.`);
  const col = (header: string, role: string) => {
    const i = table.block.headers.findIndex((h) => h.toLowerCase() === String(header).toLowerCase());
    if (i < 0) throw new Error(`${where}: the ${role} column "${header}" is not a header of table "${table.block.tableName}".`);
    return i;
  };
  if (!Array.isArray(block.series) || block.series.length === 0) throw new Error(`${where}: give at least one series.`);
  if (table.rows > MAX_CHART_POINTS) throw new Error(`${where}: table "${table.block.tableName}" has ${table.rows} rows; chart a summary of at most ${MAX_CHART_POINTS}.`);
  let anchor: { row: number; column: number };
  try {
    anchor = parseCell(block.anchor);
  } catch (e) {
    throw new Error(`${where}: anchor ${errorMessage(e)}.`);
  }
  return { block, table, categoryColumn: col(block.categoryHeader, "category"), seriesColumns: block.series.map((s) => col(s.header, "series")), anchor };
}

function place(c: PreparedChart, staging: readonly Excel.Worksheet[], plan: number): void {
  const T = c.table;
  const points = T.rows;
  if (points === 0) return; // nothing to chart
  const source = staging[T.plan];
  const ws = staging[plan];
  const column = (k: number, withHeader: boolean) =>
    withHeader ? source.getRangeByIndexes(T.row, T.column + k, points + 1, 1) : source.getRangeByIndexes(T.row + 1, T.column + k, points, 1);
  const b = c.block;
  const chart = ws.charts.add(b.chartType, column(c.seriesColumns[0], true), "Columns");
  chart.name = b.name;
  chart.title.text = b.title;
  const rows = b.rows ?? DEFAULT_ROWS;
  const columns = b.columns ?? DEFAULT_COLUMNS;
  chart.setPosition(cellAddress(c.anchor.row, c.anchor.column), cellAddress(Math.min(MAX_ROWS - 1, c.anchor.row + rows - 1), Math.min(MAX_COLUMNS - 1, c.anchor.column + columns - 1)));
  const categories = column(c.categoryColumn, false);
  b.series.forEach((s, k) => {
    const series = k === 0 ? chart.series.getItemAt(0) : chart.series.add(s.header);
    if (k > 0) series.setValues(column(c.seriesColumns[k], false));
    series.setXAxisValues(categories);
    if (s.type === "line") series.chartType = "Line";
    else if (s.type === "column") series.chartType = "ColumnClustered";
    if (s.secondaryAxis) {
      series.axisGroup = "Secondary";
      const axis = chart.axes.getItem("Value", "Secondary");
      if (s.axisMin !== undefined) axis.minimum = s.axisMin;
      if (s.axisMax !== undefined) axis.maximum = s.axisMax;
      if (s.axisFormat) axis.numberFormat = s.axisFormat;
    } else if (s.axisFormat || s.axisMin !== undefined || s.axisMax !== undefined) {
      const axis = chart.axes.getItem("Value", "Primary");
      if (s.axisMin !== undefined) axis.minimum = s.axisMin;
      if (s.axisMax !== undefined) axis.maximum = s.axisMax;
      if (s.axisFormat) axis.numberFormat = s.axisFormat;
    }
  });
  chart.legend.position = "Bottom";
}

export const chartWriter: BlockWriter<ChartBlock, PreparedChart> = { prepare, place };
