/**
 * The per-SKU aggregation, as ONE SQL text that runs unchanged on DuckDB and PostgreSQL (and on
 * PostgreSQL-compatible distributed engines, docs/scale.md). It reads a relation with one row per
 * key and period:
 *
 *   part text, sku text, location text, period integer, quantity float8,
 *   value float8 (null: quantity × unit_cost), unit_cost float8, lead_time float8,
 *   lead_time_sd float8, order_qty float8
 *
 * and returns one row per (part, sku, location) with the columns src/engine/aggregates.ts reads:
 * present period rows, sum and population variance of the quantities, the same over the non-zero
 * periods, the first and last non-zero period, negative rows, the value sum and the largest unit
 * cost / lead time / lead-time sd / order quantity given on the key's rows.
 * Portable subset only: COUNT/SUM/MIN/MAX/VAR_POP with FILTER (WHERE ...), CAST(... AS FLOAT8),
 * COALESCE, GROUP BY, ORDER BY. Counts are cast to FLOAT8 so both drivers hand back plain numbers.
 * With `ordered`, rows come ordered by part (so each partition arrives in one run); the order
 * within a partition follows the engine's text collation and does not matter.
 */

/** Columns of the relation the aggregation reads, in order. */
export const PERIOD_COLUMNS = ["part", "sku", "location", "period", "quantity", "value", "unit_cost", "lead_time", "lead_time_sd", "order_qty"] as const;

/** Columns of the aggregate rows, in order (as src/cli/classify.ts reads them). */
export const AGGREGATE_COLUMNS = [
  "part",
  "sku",
  "location",
  "n_rows",
  "qty_sum",
  "qty_var",
  "nz_count",
  "nz_sum",
  "nz_var",
  "first_nz",
  "last_nz",
  "neg_rows",
  "value_sum",
  "unit_cost",
  "lead_time",
  "lead_time_sd",
  "order_qty",
] as const;

/** ordered: ORDER BY part (needed with partitions, so that each arrives in one run; skipped without). */
export function aggregateSql(relation: string, ordered = true): string {
  return `SELECT part, sku, location,
  CAST(COUNT(*) AS FLOAT8) AS n_rows,
  COALESCE(SUM(quantity), 0) AS qty_sum,
  COALESCE(VAR_POP(quantity), 0) AS qty_var,
  CAST(COUNT(*) FILTER (WHERE quantity > 0) AS FLOAT8) AS nz_count,
  COALESCE(SUM(quantity) FILTER (WHERE quantity > 0), 0) AS nz_sum,
  COALESCE(VAR_POP(quantity) FILTER (WHERE quantity > 0), 0) AS nz_var,
  CAST(MIN(period) FILTER (WHERE quantity > 0) AS FLOAT8) AS first_nz,
  CAST(MAX(period) FILTER (WHERE quantity > 0) AS FLOAT8) AS last_nz,
  CAST(COUNT(*) FILTER (WHERE quantity < 0) AS FLOAT8) AS neg_rows,
  SUM(COALESCE(value, quantity * unit_cost)) AS value_sum,
  MAX(unit_cost) AS unit_cost,
  MAX(lead_time) AS lead_time,
  MAX(lead_time_sd) AS lead_time_sd,
  MAX(order_qty) AS order_qty
FROM ${relation}
GROUP BY part, sku, location${ordered ? "\nORDER BY part" : ""}`;
}

/** First and last period and the row count of the relation (the grid is first..last). */
export function periodRangeSql(relation: string): string {
  return `SELECT CAST(MIN(period) AS FLOAT8) AS first_period, CAST(MAX(period) AS FLOAT8) AS last_period, CAST(COUNT(*) AS FLOAT8) AS n FROM ${relation}`;
}

/** DuckDB's own raw aggregation over the same relation (the bench's yardstick): sums and variances per key, nothing else. */
export function rawAggregateSql(relation: string): string {
  return `SELECT COUNT(*) AS keys, SUM(s) AS total FROM (SELECT sku, location, SUM(quantity) AS s, VAR_POP(quantity) AS v FROM ${relation} GROUP BY sku, location) t`;
}

/** A SQL identifier quoted for both engines ("name", with " doubled). */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A SQL string literal for both engines ('text', with ' doubled). */
export function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/**
 * The SELECT that shapes an input relation into the period relation: the source columns picked
 * by name (absent optional ones become NULL / ''), cast to the portable types.
 */
export function periodViewSelect(from: string, cols: { part?: string; sku: string; location?: string; period: string; quantity: string; value?: string; unitCost?: string; leadTime?: string; leadTimeSd?: string; orderQty?: string }): string {
  const text = (c: string | undefined) => (c ? `CAST(${quoteIdent(c)} AS VARCHAR)` : "''");
  const num = (c: string | undefined) => (c ? `CAST(${quoteIdent(c)} AS FLOAT8)` : "CAST(NULL AS FLOAT8)");
  return `SELECT ${cols.part ? `COALESCE(${text(cols.part)}, '')` : "''"} AS part, ${text(cols.sku)} AS sku, ${cols.location ? `COALESCE(${text(cols.location)}, '')` : "''"} AS location,
  CAST(${quoteIdent(cols.period)} AS INTEGER) AS period, ${num(cols.quantity)} AS quantity, ${num(cols.value)} AS value, ${num(cols.unitCost)} AS unit_cost,
  ${num(cols.leadTime)} AS lead_time, ${num(cols.leadTimeSd)} AS lead_time_sd, ${num(cols.orderQty)} AS order_qty
FROM ${from}`;
}
