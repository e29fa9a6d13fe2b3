/**
 * Column mapping of a finance sheet (inventory valuation, GL extract) for the reconciliation:
 * the same approach as mapping.ts (header row detection, header synonyms scored exact > contained,
 * specific fields assigned first, exclusions), with the finance vocabulary, including SAP field
 * names (MATNR, BUKRS, WERKS, BKLAS, WAERS, SALK3, LBKUM). Remembered per workbook under
 * financeMappingKey(sheet, headers), like the classification mapping.
 */
import { detectHeaderRow, headersOf, mappingKey } from "./mapping";
import type { RangeSnapshot } from "./ports";

export const FINANCE_FIELDS = ["sku", "category", "bookValue", "quantity", "currency", "entity"] as const;
export type FinanceField = (typeof FINANCE_FIELDS)[number];

export const FINANCE_FIELD_LABELS: Record<FinanceField, string> = {
  sku: "SKU / material",
  category: "Finance category / product line / GL account",
  bookValue: "Book value",
  quantity: "Quantity",
  currency: "Currency",
  entity: "Entity / company code",
};

export interface FinanceMapping {
  /** Row of the snapshot (0-based) holding the headers; data starts on the next row. */
  headerRow: number;
  columns: Record<FinanceField, number | null>;
}

export function emptyFinanceMapping(headerRow = 0): FinanceMapping {
  const columns = {} as Record<FinanceField, number | null>;
  for (const f of FINANCE_FIELDS) columns[f] = null;
  return { headerRow, columns };
}

function norm(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]/g, "");
}

/** Header synonyms, normalised (lower case, letters and digits only); earlier entries score higher. */
const SYNONYMS: Record<FinanceField, string[]> = {
  sku: ["sku", "skuid", "material", "materialnumber", "materialno", "matnr", "item", "itemno", "itemnumber", "itemcode", "partnumber", "partno", "part", "article", "articleno", "productcode", "productid", "product", "code"],
  category: ["financecategory", "category", "productline", "productgroup", "materialgroup", "valuationclass", "bklas", "glaccount", "glaccountno", "glaccountnumber", "gl", "account", "accountno", "accountnumber", "inventorycategory", "costcategory", "stocktype", "class"],
  bookValue: ["bookvalue", "netbookvalue", "nbv", "inventoryvalue", "stockvalue", "valuation", "carryingvalue", "carryingamount", "totalvalue", "salk3", "extendedcost", "extendedvalue", "value", "amount", "amountlc", "amountinlocalcurrency", "balance", "totalcost"],
  quantity: ["quantity", "qty", "onhand", "onhandqty", "onhandquantity", "stockqty", "stockquantity", "totalstock", "lbkum", "unrestricted", "unrestrictedstock", "units", "balanceqty"],
  currency: ["currency", "currencycode", "curr", "crcy", "ccy", "waers", "localcurrency", "doccurrency"],
  entity: ["entity", "legalentity", "companycode", "company", "cocd", "bukrs", "plant", "werks", "businessunit", "site"],
};

/** Specific fields first, so that "Currency" is not taken as a category or "Quantity on hand" as a value. */
const ASSIGN_ORDER: FinanceField[] = ["sku", "currency", "quantity", "bookValue", "entity", "category"];

/** Words that rule a header out for a field even when a synonym is inside it. */
const EXCLUDE: Partial<Record<FinanceField, string[]>> = {
  bookValue: ["qty", "quantity", "units", "currency", "curr", "price", "unitcost", "perunit", "account", "class", "group", "line", "category"],
  quantity: ["value", "amount", "cost", "price", "balance"],
  sku: ["name", "description", "group", "class", "line", "category", "text"],
  category: ["description", "text", "name", "currency"],
  entity: ["name"],
};

function score(field: FinanceField, header: string): number {
  const h = norm(header);
  if (!h) return 0;
  const syns = SYNONYMS[field];
  if (EXCLUDE[field]?.some((x) => h.includes(x)) && !syns.includes(h)) return 0;
  const exact = syns.indexOf(h);
  if (exact >= 0) return 100 - exact;
  let best = 0;
  for (let i = 0; i < syns.length; i++) {
    const s = syns[i];
    if (s.length >= 4 && h.includes(s)) best = Math.max(best, 50 - i);
  }
  return best;
}

/** Proposes a finance mapping; fields without a convincing header stay null. */
export function proposeFinanceMapping(snapshot: RangeSnapshot, headerRow?: number | null): FinanceMapping {
  const hr = headerRow ?? detectHeaderRow(snapshot.values) ?? 0;
  const headers = headersOf(snapshot, hr);
  const mapping = emptyFinanceMapping(hr);
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

/** Settings key of a remembered finance mapping (distinct from the classification mappings). */
export function financeMappingKey(sheetName: string, headers: readonly string[]): string {
  return `finance|${mappingKey(sheetName, headers)}`;
}

/** What is wrong with a finance mapping, in words that say what to fix; empty when it can be used. */
export function financeMappingProblems(m: FinanceMapping, columnCount: number): string[] {
  const out: string[] = [];
  const c = m.columns;
  if (c.sku === null) out.push("Choose the column that holds the SKU (material number).");
  if (c.bookValue === null) out.push("Choose the column that holds the book value.");
  const used = new Map<number, FinanceField>();
  for (const f of FINANCE_FIELDS) {
    const col = c[f];
    if (col === null) continue;
    if (col < 0 || col >= columnCount) out.push(`${FINANCE_FIELD_LABELS[f]} points outside the selected range.`);
    const other = used.get(col);
    if (other) out.push(`${FINANCE_FIELD_LABELS[f]} and ${FINANCE_FIELD_LABELS[other]} use the same column: pick a different one for one of them.`);
    used.set(col, f);
  }
  return out;
}
