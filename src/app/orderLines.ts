/**
 * The order-lines range the planner selects for customer, channel and hybrid segmentation,
 * cost-to-serve, carbon and execution: its column mapping (proposed from header synonyms, changed
 * by the planner, remembered per workbook like the SKU table's) and the extraction of the mapped
 * columns for the dimensions job. Pure functions over a RangeSnapshot.
 *
 * The fields are the engine's order-line fields (src/engine/dimensions.ts ORDER_LINE_FIELDS) and,
 * after them, the pane's own: carbon per unit or the freight data it is computed from
 * (src/engine/carbon.ts), and the production line and constraint time for sequencing by margin
 * (src/engine/execution.ts). A SKU attribute given on order lines (production line, constraint
 * time) is read from the first line of the SKU that has it.
 */
import { DIMENSION_INFO, ORDER_LINE_FIELD_LABELS, ORDER_LINE_FIELDS, dimensionRequirements, type Dimension, type OrderLineField } from "../engine/dimensions";
import { detectHeaderRow, headersOf } from "./mapping";
import type { RangeSnapshot } from "./ports";

export const ORDER_LINE_EXTRA_FIELDS = ["carbonPerUnit", "weightKg", "distanceKm", "freightMode", "productionLine", "constraintTime"] as const;
export type OrderLineExtraField = (typeof ORDER_LINE_EXTRA_FIELDS)[number];
export const ORDER_LINE_COLUMNS = [...ORDER_LINE_FIELDS, ...ORDER_LINE_EXTRA_FIELDS] as const;
export type OrderLineColumn = OrderLineField | OrderLineExtraField;

export const ORDER_LINE_COLUMN_LABELS: Record<OrderLineColumn, string> = {
  ...ORDER_LINE_FIELD_LABELS,
  carbonPerUnit: "Carbon per unit (kg CO2e)",
  weightKg: "Weight per unit (kg)",
  distanceKm: "Freight distance (km)",
  freightMode: "Freight mode (road, rail…)",
  productionLine: "Production line",
  constraintTime: "Constraint minutes per unit",
};

/** Columns read as numbers (the rest are keys or text). */
export const NUMERIC_COLUMNS: readonly OrderLineColumn[] = ["quantity", "revenue", "cost", "shipmentCost", "handlingCost", "transportCost", "carbonPerUnit", "weightKg", "distanceKm", "constraintTime"];

export interface OrderLineMapping {
  /** Row of the snapshot (0-based) that holds the headers. */
  headerRow: number;
  columns: Record<OrderLineColumn, number | null>;
}

export function emptyOrderLineMapping(headerRow = 0): OrderLineMapping {
  const columns = {} as Record<OrderLineColumn, number | null>;
  for (const f of ORDER_LINE_COLUMNS) columns[f] = null;
  return { headerRow, columns };
}

function norm(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]/g, "");
}

/** Header synonyms, normalised; the first ones are the strongest. */
const SYNONYMS: Record<OrderLineColumn, string[]> = {
  sku: ["sku", "skuid", "skucode", "item", "itemid", "itemno", "itemnumber", "itemcode", "material", "materialno", "materialnumber", "article", "articleno", "partno", "partnumber", "product", "productid", "productcode"],
  customer: ["customer", "customerid", "customerno", "customernumber", "customercode", "client", "clientid", "account", "accountid", "accountno", "soldto", "soldtoparty", "shipto", "buyer"],
  channel: ["channel", "saleschannel", "distributionchannel", "channelid", "ordertype", "route", "routetomarket"],
  orderId: ["orderid", "orderno", "ordernumber", "order", "salesorder", "salesorderno", "salesordernumber", "sono", "ordernr", "document", "documentno"],
  quantity: ["quantity", "qty", "units", "orderqty", "orderquantity", "orderedqty", "shippedqty", "shippedquantity", "quantityshipped", "volume", "pieces"],
  revenue: ["revenue", "sales", "salesvalue", "netsales", "netrevenue", "amount", "linevalue", "netvalue", "value", "turnover", "salesamount", "invoicevalue"],
  cost: ["cost", "cogs", "costofgoods", "costofgoodssold", "standardcost", "linecost", "productcost", "materialcost"],
  shipmentId: ["shipmentid", "shipment", "shipmentno", "shipmentnumber", "delivery", "deliveryno", "deliverynumber", "load", "loadid", "consignment", "consignmentno"],
  shipmentCost: ["shipmentcost", "freightcost", "freight", "deliverycost", "loadcost", "shippingcost"],
  handlingCost: ["handlingcost", "handling", "pickcost", "pickingcost", "warehousecost", "warehousingcost"],
  transportCost: ["transportcost", "transport", "linetransportcost", "carriagecost", "carriage"],
  customerTier: ["customertier", "tier", "servicetier", "slatier", "servicelevelclass", "serviceclass", "customerclass"],
  carbonPerUnit: ["carbonperunit", "co2perunit", "kgco2eperunit", "co2eperunit", "co2e", "carbon", "emissionfactor", "carbonfactor"],
  weightKg: ["weightkg", "weight", "unitweight", "grossweight", "weightperunit", "kgperunit"],
  distanceKm: ["distancekm", "distance", "km", "freightdistance", "transportdistance"],
  freightMode: ["freightmode", "transportmode", "mode", "shippingmode", "modeoftransport", "shipmode"],
  productionLine: ["productionline", "workcentre", "workcenter", "productionresource", "resource", "plantline"],
  constraintTime: ["constrainttime", "constraintminutes", "minutesperunit", "cycletime", "runtime", "constraintminutesperunit"],
};

/** Assignment order: specific fields first ("Shipment cost" is no shipment id, "Customer tier" no customer). */
const ASSIGN_ORDER: OrderLineColumn[] = [
  "shipmentCost",
  "handlingCost",
  "transportCost",
  "customerTier",
  "carbonPerUnit",
  "constraintTime",
  "productionLine",
  "freightMode",
  "weightKg",
  "distanceKm",
  "sku",
  "customer",
  "channel",
  "orderId",
  "shipmentId",
  "quantity",
  "revenue",
  "cost",
];

const EXCLUDE: Partial<Record<OrderLineColumn, string[]>> = {
  customer: ["tier", "class", "name"],
  shipmentId: ["cost"],
  orderId: ["qty", "quantity", "type", "date", "line"],
  quantity: ["value", "cost", "price", "revenue"],
  revenue: ["cost", "qty", "quantity"],
  cost: ["shipment", "freight", "handling", "transport", "pick"],
  transportCost: ["mode", "distance", "km"],
  shipmentCost: ["mode", "distance"],
  sku: ["name", "description"],
};

function score(field: OrderLineColumn, header: string): number {
  const h = norm(header);
  if (!h) return 0;
  const syns = SYNONYMS[field];
  if (EXCLUDE[field]?.some((x) => h.includes(x)) && !syns.includes(h)) return 0;
  const exact = syns.indexOf(h);
  if (exact >= 0) return 100 - exact;
  let best = 0;
  for (let i = 0; i < syns.length; i++) if (syns[i].length >= 5 && h.includes(syns[i])) best = Math.max(best, 50 - i);
  return best;
}

/** Proposes a mapping of an order-lines range; fields without a convincing header stay null. */
export function proposeOrderLineMapping(snapshot: RangeSnapshot, headerRow?: number | null): OrderLineMapping {
  const hr = headerRow ?? detectHeaderRow(snapshot.values) ?? 0;
  const headers = headersOf(snapshot, hr);
  const mapping = emptyOrderLineMapping(hr);
  const taken = new Set<number>();
  for (const field of ASSIGN_ORDER) {
    let best = -1;
    let bestScore = 0;
    headers.forEach((h, c) => {
      if (taken.has(c)) return;
      const s = score(field, h);
      if (s > bestScore) {
        bestScore = s;
        best = c;
      }
    });
    if (best >= 0) {
      mapping.columns[field] = best;
      taken.add(best);
    }
  }
  return mapping;
}

/** The fields mapped (not null). */
export function mappedOrderLineFields(m: OrderLineMapping): OrderLineColumn[] {
  return ORDER_LINE_COLUMNS.filter((f) => m.columns[f] !== null);
}

/** What is wrong with an order-lines mapping for a dimension, in words that say what to fix. */
export function orderLineMappingProblems(m: OrderLineMapping, columnCount: number, dimension: Dimension): string[] {
  const out = dimensionRequirements(dimension, mappedOrderLineFields(m).filter((f): f is OrderLineField => (ORDER_LINE_FIELDS as readonly string[]).includes(f))).missing.map((s) => `${s.charAt(0).toUpperCase()}${s.slice(1)}.`);
  const used = new Map<number, OrderLineColumn>();
  for (const f of ORDER_LINE_COLUMNS) {
    const col = m.columns[f];
    if (col === null) continue;
    if (col < 0 || col >= columnCount) out.push(`${ORDER_LINE_COLUMN_LABELS[f]} points outside the selected range.`);
    const other = used.get(col);
    if (other) out.push(`${ORDER_LINE_COLUMN_LABELS[f]} and ${ORDER_LINE_COLUMN_LABELS[other]} use the same column: pick a different one for one of them.`);
    used.set(col, f);
  }
  return out;
}

/** The mapped columns of the data rows below the header, fully blank rows (in the mapped columns) left out. */
export interface OrderLineColumns {
  sheetName: string;
  /** 0-based sheet row of each line. */
  sheetRow: Int32Array;
  /** 0-based sheet column of each mapped field. */
  columnOf: Partial<Record<OrderLineColumn, number>>;
  columns: Partial<Record<OrderLineColumn, unknown[]>>;
  /** Data rows looked at (fully blank ones excluded). */
  rows: number;
}

function isBlank(c: unknown): boolean {
  return c === null || c === undefined || (typeof c === "string" && c.trim() === "");
}

export function extractOrderLineColumns(snapshot: RangeSnapshot, m: OrderLineMapping): OrderLineColumns {
  const fields = mappedOrderLineFields(m);
  const cols = fields.map((f) => m.columns[f] as number);
  const values = snapshot.values;
  const keep: number[] = [];
  for (let r = m.headerRow + 1; r < values.length; r++) {
    const row = values[r];
    if (row && cols.some((c) => !isBlank(row[c]))) keep.push(r);
  }
  const columns: Partial<Record<OrderLineColumn, unknown[]>> = {};
  const columnOf: Partial<Record<OrderLineColumn, number>> = {};
  fields.forEach((f, k) => {
    const c = cols[k];
    const out = new Array<unknown>(keep.length);
    for (let i = 0; i < keep.length; i++) out[i] = values[keep[i]][c];
    columns[f] = out;
    columnOf[f] = snapshot.firstColumn + c;
  });
  const sheetRow = new Int32Array(keep.length);
  keep.forEach((r, i) => (sheetRow[i] = snapshot.firstRow + r));
  return { sheetName: snapshot.sheetName, sheetRow, columnOf, columns, rows: keep.length };
}

/** The dimension's label (for messages). */
export function dimensionLabel(d: Dimension): string {
  return DIMENSION_INFO[d].label;
}
