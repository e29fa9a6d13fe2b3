/**
 * Finding the header row of a pasted/selected SKU table and proposing which column means what.
 * Pure functions over a RangeSnapshot; the pane lets the user change every proposal, and the
 * chosen mapping is remembered per workbook (settings) under the sheet name + header signature.
 */
import type { RangeSnapshot } from "./ports";

/** Single-column fields the user can map. Column indexes are relative to the snapshot (0 = its first column). */
export const MAPPING_FIELDS = [
  "sku",
  "description",
  "value",
  "quantity",
  "unitCost",
  "leadTime",
  "leadTimeSd",
  "orderQty",
  "currentClass",
  "pin",
  "orderMultiple",
  "moq",
  "location",
  "locationCapacity",
  "unitVolume",
  "lifecycle",
  "phaseOutStart",
  "lastBuy",
  "floor",
  "supplier",
  "analog",
  "family",
] as const;
export type MappingField = (typeof MAPPING_FIELDS)[number];

export const FIELD_LABELS: Record<MappingField, string> = {
  sku: "SKU id",
  description: "Description",
  value: "Annual value",
  quantity: "Annual quantity",
  unitCost: "Unit cost",
  leadTime: "Lead time (periods)",
  leadTimeSd: "Lead-time sd (periods)",
  orderQty: "Order quantity / multiple",
  currentClass: "Current class",
  pin: "Strategic pin flag",
  orderMultiple: "Order multiple (pack size)",
  moq: "MOQ (minimum order quantity)",
  location: "Location (DC, plant)",
  locationCapacity: "Capacity of the location",
  unitVolume: "Unit volume",
  lifecycle: "Lifecycle status (active, eol, new)",
  phaseOutStart: "Phase-out start date",
  lastBuy: "Last-buy date",
  floor: "Floor: minimum safety stock",
  supplier: "Supplier",
  analog: "Analog SKU (for new SKUs)",
  family: "Product family",
};

/** The fields the policy uses beyond the classification (shown apart in the Classify tab). */
export const POLICY_MAPPING_FIELDS: readonly MappingField[] = ["orderMultiple", "moq", "location", "locationCapacity", "unitVolume", "lifecycle", "phaseOutStart", "lastBuy", "floor", "supplier", "analog"];

export interface ColumnMapping {
  /** Row of the snapshot (0-based) that holds the headers; data starts on the next row. */
  headerRow: number;
  columns: Record<MappingField, number | null>;
  /** Inclusive column range of the demand history block, oldest period first. */
  history: { first: number; last: number } | null;
  /**
   * Inclusive column range of a block of promotion flags, one column per period, headed "Promo
   * W01" (or the period header itself): 1, TRUE or yes = the SKU's period is a promotion and leaves
   * the baseline statistics, like a Promotions-table row (src/app/promotionFlags.ts
   * promotionFlagsMask). Absent or null: none (mappings saved before it have none).
   */
  promotionFlags?: { first: number; last: number } | null;
}

export function emptyMapping(headerRow = 0): ColumnMapping {
  const columns = {} as Record<MappingField, number | null>;
  for (const f of MAPPING_FIELDS) columns[f] = null;
  return { headerRow, columns, history: null, promotionFlags: null };
}

/**
 * The period a promotion-flag header names: "Promo W01", "Promotion: W01", "promo_2024-03" →
 * "W01", "2024-03" (the prefix Promo / Promotion(s) and any spaces, _ : - after it removed); a
 * header without the prefix is returned trimmed (a flag column headed with the period itself).
 */
export function promotionFlagPeriod(header: string): string {
  return header.trim().replace(/^promo(?:tions?)?(?:[\s_:-]+|(?=\d))/i, "").trim();
}

/** The first run of columns outside the history whose headers are "Promo <a history header>". */
function findPromotionFlags(headers: readonly string[], history: { first: number; last: number }): { first: number; last: number } | null {
  const periods = new Set(headers.slice(history.first, history.last + 1).map((h) => h.trim().toLowerCase()));
  const isFlag = (c: number) => {
    if (c >= history.first && c <= history.last) return false;
    const p = promotionFlagPeriod(headers[c]);
    return p !== headers[c].trim() && periods.has(p.toLowerCase());
  };
  for (let c = 0; c < headers.length; c++) {
    if (!isFlag(c)) continue;
    let last = c;
    while (last + 1 < headers.length && isFlag(last + 1)) last++;
    return { first: c, last };
  }
  return null;
}

// Excel date serials between 1950-01-01 and 2100-01-01: a number header in that range is a period date.
const SERIAL_MIN = 18264;
const SERIAL_MAX = 73051;
const SCAN_ROWS = 30;

function isText(c: unknown): c is string {
  return typeof c === "string" && c.trim() !== "";
}
function isNum(c: unknown): c is number {
  return typeof c === "number" && Number.isFinite(c);
}
function isBlank(c: unknown): boolean {
  return c === null || c === undefined || (typeof c === "string" && c.trim() === "");
}

/** Numbers in a header row read as period headers when they are increasing date serials (3 or more). */
function dateSerialRun(row: readonly unknown[]): boolean {
  const nums = row.filter(isNum);
  if (nums.length < 3) return false;
  for (let i = 0; i < nums.length; i++) {
    const n = nums[i];
    if (!Number.isInteger(n) || n < SERIAL_MIN || n > SERIAL_MAX) return false;
    if (i > 0 && n <= nums[i - 1]) return false;
  }
  return true;
}

function headerLike(row: readonly unknown[]): boolean {
  const nonBlank = row.filter((c) => !isBlank(c));
  if (nonBlank.length < 2) return false;
  const text = nonBlank.filter(isText).length;
  if (text === 0) return false;
  if (text / nonBlank.length >= 0.5) return true;
  return text + row.filter(isNum).length === nonBlank.length && dateSerialRun(row);
}

/** A row reads as data under a header row when some column turns from a text header into a number, or the header's date run is not repeated. */
function dataUnder(header: readonly unknown[], row: readonly unknown[]): boolean {
  for (let c = 0; c < row.length; c++) if (isText(header[c]) && isNum(row[c])) return true;
  return row.some(isNum) && dateSerialRun(header) && !dateSerialRun(row);
}

/**
 * The header row: the first row (within the first 30) that is mostly text (or text plus a run of
 * date serials, which is how Excel stores date headers) and is followed by a data row: one where a
 * column with a text header holds a number.
 * null when no row qualifies: the user then picks it.
 */
export function detectHeaderRow(values: readonly unknown[][]): number | null {
  const limit = Math.min(values.length - 1, SCAN_ROWS);
  for (let r = 0; r < limit; r++) {
    if (!headerLike(values[r])) continue;
    // the next non-blank row must carry numbers
    let n = r + 1;
    while (n < values.length && values[n].every(isBlank)) n++;
    if (n < values.length && dataUnder(values[r], values[n])) return r;
  }
  return null;
}

/** Header text as shown to the user; date-serial headers become ISO dates. */
export function headerText(cell: unknown): string {
  if (isNum(cell)) {
    if (Number.isInteger(cell) && cell >= SERIAL_MIN && cell <= SERIAL_MAX) return serialToIso(cell);
    return String(cell);
  }
  if (cell === null || cell === undefined) return "";
  return String(cell).trim();
}

/** Excel 1900 date system serial (after the 1900 leap-year bug, i.e. serial > 60) to yyyy-mm-dd. */
export function serialToIso(serial: number): string {
  const ms = Date.UTC(1899, 11, 30) + serial * 86400000;
  return new Date(ms).toISOString().slice(0, 10);
}

export function headersOf(snapshot: RangeSnapshot, headerRow: number): string[] {
  const row = snapshot.values[headerRow] ?? [];
  return row.map(headerText);
}

function norm(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]/g, "");
}

/** Header synonyms, normalised (lower case, letters and digits only). First entries are the strongest. */
const SYNONYMS: Record<MappingField, string[]> = {
  sku: ["sku", "skuid", "skucode", "item", "itemid", "itemno", "itemnumber", "itemcode", "part", "partno", "partnumber", "material", "materialno", "materialnumber", "article", "articleno", "productid", "productcode", "product", "code", "id"],
  description: ["description", "desc", "itemdescription", "productdescription", "name", "itemname", "productname", "materialdescription", "title"],
  value: ["annualvalue", "annualconsumptionvalue", "consumptionvalue", "annualusagevalue", "usagevalue", "annualspend", "spend", "annualsales", "salesvalue", "revenue", "turnover", "value", "sales"],
  quantity: ["annualquantity", "annualqty", "salesqty", "salesquantity", "salesunits", "unitssold", "qtysold", "demandqty", "annualdemand", "annualusage", "annualvolume", "quantity", "qty", "usage", "volume", "units", "demand"],
  unitCost: ["unitcost", "cost", "standardcost", "stdcost", "unitprice", "price", "costperunit", "itemcost"],
  leadTime: ["leadtime", "lt", "leadtimeperiods", "leadtimeweeks", "replenishmentleadtime", "leadtimemean", "avgleadtime"],
  leadTimeSd: ["leadtimesd", "ltsd", "leadtimestd", "leadtimestdev", "leadtimestddev", "sdleadtime", "stdleadtime", "leadtimedeviation", "leadtimevariability", "sigmalt"],
  orderQty: ["orderquantity", "orderqty", "lotsize", "batchsize", "lot", "ordersize", "eoq"],
  currentClass: ["currentclass", "class", "abcclass", "abc", "currentsegment", "segment", "category", "classification"],
  pin: ["strategic", "strategicpin", "pin", "pinned", "keepclass", "lockclass", "locked", "lock", "critical"],
  orderMultiple: ["ordermultiple", "packsize", "roundingvalue", "casepack", "casesize", "packqty", "lotmultiple", "innerpack", "multiple", "bstrf"],
  moq: ["moq", "minimumorderquantity", "minorderqty", "minorderquantity", "minimumorderqty", "minimumorder", "minorder", "bstmi"],
  location: ["location", "dc", "warehouse", "plant", "site", "werks", "depot", "distributioncenter", "distributioncentre", "stockinglocation", "branch"],
  locationCapacity: ["locationcapacity", "capacity", "dccapacity", "warehousecapacity", "storagecapacity", "maxcapacity", "capacityunits", "capacityvolume", "sitecapacity"],
  unitVolume: ["unitvolume", "volumeperunit", "cubeperunit", "unitcube", "m3perunit", "cbm", "cube", "volumeunit"],
  lifecycle: ["lifecycle", "lifecyclestatus", "plc", "productlifecycle", "lifecyclephase", "plcstatus", "eolstatus"],
  phaseOutStart: ["phaseoutstart", "phaseout", "phaseoutdate", "rampdownstart", "eolstart", "eoldate", "endoflife", "discontinuedate"],
  lastBuy: ["lastbuy", "lastbuydate", "lasttimebuy", "ltb", "ltbdate", "lastorderdate", "finalbuy", "finalbuydate"],
  floor: ["floor", "minstock", "minimumstock", "safetystockfloor", "minsafetystock", "minimumsafetystock", "regulatorystock", "criticalstock", "stockfloor", "insurancestock"],
  supplier: ["supplier", "vendor", "suppliername", "vendorname", "supplierid", "vendorid", "suppliercode", "vendorcode", "lifnr"],
  analog: ["analog", "analogue", "analogsku", "analogitem", "likesku", "likeitem", "referencesku", "predecessor", "replaces"],
  family: ["family", "productfamily", "itemfamily", "skufamily", "productgroup", "itemgroup", "materialgroup", "productline", "familycode", "familyid", "group"],
};

/** Assignment order: specific fields first so that e.g. "Lead time sd" is not taken as lead time. */
const ASSIGN_ORDER: MappingField[] = [
  "sku",
  "leadTimeSd",
  "leadTime",
  "unitCost",
  "unitVolume",
  "value",
  "quantity",
  "moq",
  "orderMultiple",
  "orderQty",
  "floor",
  "currentClass",
  "pin",
  "description",
  "locationCapacity",
  "location",
  "phaseOutStart",
  "lastBuy",
  "lifecycle",
  "supplier",
  "analog",
  "family",
];

/** Words that rule a header out for a field even when a synonym is inside it ("Sales qty" is no value). */
const EXCLUDE: Partial<Record<MappingField, string[]>> = {
  value: ["qty", "quantity", "units", "volume", "cost", "price"],
  quantity: ["value", "cost", "price", "spend", "revenue", "order", "lot", "batch", "pack", "multiple", "perunit", "unitvol", "cube", "capacity", "moq"],
  sku: ["name", "description"],
  leadTime: ["sd", "std", "dev", "sigma", "variab"],
  location: ["capacity", "volume", "space"],
  unitCost: ["volume"],
  lifecycle: ["phaseout", "date", "lastbuy"],
  family: ["analog"],
};

function score(field: MappingField, header: string): number {
  const h = norm(header);
  if (!h) return 0;
  if (EXCLUDE[field]?.some((x) => h.includes(x)) && !SYNONYMS[field].includes(h)) return 0;
  const syns = SYNONYMS[field];
  const exact = syns.indexOf(h);
  if (exact >= 0) return 100 - exact;
  let best = 0;
  for (let i = 0; i < syns.length; i++) {
    const s = syns[i];
    if (s.length >= 4 && h.includes(s)) best = Math.max(best, 50 - i);
  }
  return best;
}

const MONTHS = "jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sept?(ember)?|oct(ober)?|nov(ember)?|dec(ember)?";
const PERIOD_PATTERNS: RegExp[] = [
  /^\d{4}-\d{2}(-\d{2})?$/, // 2025-01, 2025-01-06
  /^\d{4}-?w\d{1,2}$/i, // 2025-W01, 2025W01
  /^(w|wk|week|m|p|period|month|d|day)\s*-?\s*\d{1,3}$/i, // W01, Wk 1, Period 3, M12
  new RegExp(`^(${MONTHS})[\\s\\-']*\\d{2,4}$`, "i"), // Jan-25, January 2025
  new RegExp(`^(${MONTHS})$`, "i"), // Jan, February
  /^\d{1,2}\/\d{1,2}\/\d{2,4}$/, // 1/6/2025
  /^\d{1,3}$/, // 1, 2, 3 ...
  /^(q|fy)\d{1,2}/i,
];

export function isPeriodHeader(header: string): boolean {
  const h = header.trim();
  return PERIOD_PATTERNS.some((p) => p.test(h));
}

function columnMostlyNumeric(values: readonly unknown[][], headerRow: number, col: number, sample: number): boolean {
  let nums = 0;
  let seen = 0;
  for (let r = headerRow + 1; r < values.length && seen < sample; r++) {
    const c = values[r][col];
    if (isBlank(c)) continue;
    seen++;
    if (isNum(c)) nums++;
  }
  return seen === 0 || nums / seen >= 0.8;
}

/** Longest run of adjacent columns with period-like headers (or, failing that, numeric unmapped columns). */
function findHistoryBlock(headers: string[], values: readonly unknown[][], headerRow: number, taken: Set<number>): { first: number; last: number } | null {
  const longestRun = (ok: (c: number) => boolean, minLen: number) => {
    let best: { first: number; last: number } | null = null;
    let start = -1;
    for (let c = 0; c <= headers.length; c++) {
      if (c < headers.length && ok(c)) {
        if (start < 0) start = c;
      } else if (start >= 0) {
        if (c - start >= minLen && (!best || c - start > best.last - best.first + 1)) best = { first: start, last: c - 1 };
        start = -1;
      }
    }
    return best;
  };
  const byHeader = longestRun((c) => !taken.has(c) && isPeriodHeader(headers[c]) && columnMostlyNumeric(values, headerRow, c, 50), 2);
  if (byHeader) return byHeader;
  return longestRun((c) => !taken.has(c) && columnMostlyNumeric(values, headerRow, c, 50) && values.length > headerRow + 1, 3);
}

/** Proposes a mapping for a snapshot; fields without a convincing header stay null. */
export function proposeMapping(snapshot: RangeSnapshot, headerRow?: number | null): ColumnMapping {
  const hr = headerRow ?? detectHeaderRow(snapshot.values) ?? 0;
  const headers = headersOf(snapshot, hr);
  const mapping = emptyMapping(hr);
  const taken = new Set<number>();
  // the history block first: period headers like "1" or "M3" must not be taken as ids or quantities
  const periodCols = new Set<number>();
  headers.forEach((h, c) => {
    if (isPeriodHeader(h)) periodCols.add(c);
  });
  for (const field of ASSIGN_ORDER) {
    let best = -1;
    let bestScore = 0;
    headers.forEach((h, c) => {
      if (taken.has(c) || periodCols.has(c)) return;
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
  mapping.history = findHistoryBlock(headers, snapshot.values, hr, taken);
  // a quantity column that sits inside the history block was a guess too far
  if (mapping.history) {
    for (const f of MAPPING_FIELDS) {
      const c = mapping.columns[f];
      if (c !== null && c >= mapping.history.first && c <= mapping.history.last) mapping.columns[f] = null;
    }
    mapping.promotionFlags = findPromotionFlags(headers, mapping.history);
    const flags = mapping.promotionFlags;
    if (flags) {
      for (const f of MAPPING_FIELDS) {
        const c = mapping.columns[f];
        if (c !== null && c >= flags.first && c <= flags.last) mapping.columns[f] = null;
      }
    }
  }
  return mapping;
}

/** Short, stable signature of a header row (FNV-1a 32-bit over the header texts). */
export function headerSignature(headers: readonly string[]): string {
  let h = 0x811c9dc5;
  const text = headers.join("\u0001");
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `${headers.length}-${h.toString(16).padStart(8, "0")}`;
}

export function mappingKey(sheetName: string, headers: readonly string[]): string {
  return `${sheetName}|${headerSignature(headers)}`;
}

/** What is wrong with a mapping, in words that say what to fix; empty when it can be used. */
export function mappingProblems(m: ColumnMapping, columnCount: number): string[] {
  const out: string[] = [];
  const c = m.columns;
  if (c.sku === null) out.push("Choose the column that holds the SKU id.");
  if (!m.history) out.push("Choose the first and last column of the demand history (one column per period).");
  else if (m.history.first > m.history.last) out.push("The first history column must come before the last one.");
  else if (m.history.last - m.history.first + 1 < 2) out.push("The demand history needs at least 2 period columns to compute a CV.");
  const hasValue = c.value !== null || (c.quantity !== null && c.unitCost !== null) || (m.history !== null && c.unitCost !== null);
  if (!hasValue) out.push("Map an annual value column, or annual quantity and unit cost (or unit cost with the history), so that ABC has a value to rank.");
  if (c.locationCapacity !== null && c.location === null) out.push("Capacity of the location needs the Location column: map it too (the capacity is per location).");
  const used = new Map<number, MappingField>();
  for (const f of MAPPING_FIELDS) {
    const col = c[f];
    if (col === null || col === undefined) continue; // a mapping remembered before a field existed lacks it
    if (col < 0 || col >= columnCount) out.push(`${FIELD_LABELS[f]} points outside the selected range.`);
    const other = used.get(col);
    if (other) out.push(`${FIELD_LABELS[f]} and ${FIELD_LABELS[other]} use the same column: pick a different one for one of them.`);
    used.set(col, f);
    if (m.history && col >= m.history.first && col <= m.history.last) out.push(`${FIELD_LABELS[f]} is inside the demand history block: move it or shorten the block.`);
    const pf = m.promotionFlags;
    if (pf && col >= pf.first && col <= pf.last) out.push(`${FIELD_LABELS[f]} is inside the promotion flag columns: move it or shorten the block.`);
  }
  const pf = m.promotionFlags;
  if (pf) {
    if (pf.first > pf.last) out.push("The first promotion flag column must come before the last one.");
    else if (pf.first < 0 || pf.last >= columnCount) out.push("The promotion flag columns point outside the selected range.");
    else if (m.history && pf.first <= m.history.last && pf.last >= m.history.first) out.push("The promotion flag columns overlap the demand history: they are a block of their own (one flag column per period, headed Promo W01 …).");
  }
  return out;
}

/** How the annual value is obtained under a mapping. */
export type ValueSource = "value" | "quantityCost" | "historyCost";
export function valueSource(m: ColumnMapping): ValueSource | null {
  if (m.columns.value !== null) return "value";
  if (m.columns.quantity !== null && m.columns.unitCost !== null) return "quantityCost";
  if (m.history && m.columns.unitCost !== null) return "historyCost";
  return null;
}
