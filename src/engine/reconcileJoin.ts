/**
 * The reconciliation itself (the join of the segmentation with a finance extract, totals, lists
 * and status): the conventions, sources and types are in ./reconcile.ts, which the pane thread
 * uses for labels and the audit summary; this module is the heavy part, run by the "reconcile"
 * job (src/app/jobs/reconcile.ts), so it stays out of the pane's start-up bundle.
 */
import { ArgumentError } from "./errors";
import { type CategoryViolation, type CrossTab, DEFAULT_SEGMENT_ORDER, type DifferenceRow, type DuplicateGroup, type DuplicateRow, type FinanceOnlyRow, type FinanceRows, type GroupTotals, MATCH_RULES, type MatchReport, type MatchRule, NOT_IN_FINANCE, NOT_IN_SEGMENTATION, NO_CATEGORY, NO_SEGMENT, type OptionalMatchRule, RECONCILE_REASONS, RECONCILE_STATUSES, type ReconcileOptions, type ReconcileResult, type RowRejection, type RuleReport, SEVERAL_CATEGORIES, type SegmentationOnlyRow, type SegmentationRows, type SkuCell, type StatusLine, type Tolerance } from "./reconcile";

/** Reason codes (index into RECONCILE_REASONS) and the status each implies. */
const R_TIE = 0;
const R_WITHIN = 1;
const R_VALUE = 2;
const R_QTY = 3;
const R_NOT_COMPARED = 4;
const R_DUP = 5;
const R_NOT_IN_FIN = 6;
const R_NOT_IN_SEG = 7;
const R_AMBIG = 8;
const REASON_STATUS = [0, 1, 2, 2, 0, 2, 2, 2, 2];

const NUMBER_TAG = "\u0000#";
const NOISE = 1e-12;
const REJECTED = 255;

function cellText(c: SkuCell): string {
  return typeof c === "number" ? String(c) : c;
}

function exactKey(c: SkuCell): string {
  return typeof c === "number" ? NUMBER_TAG + String(c) : c;
}

const DIGITS = /^[0-9]+$/;
const LEADING_ZEROS = /^0+(?=[0-9])/;

type Transform = (k: string) => string;
/** True when a code unit may be white space for String.prototype.trim (ASCII controls and space, or non-ASCII). */
const maybeSpace = (c: number) => c <= 32 || c >= 127;
/** True when toUpperCase may change the key (ASCII a-z, or any non-ASCII character). */
function maybeLower(k: string): boolean {
  for (let i = 0; i < k.length; i++) {
    const c = k.charCodeAt(i);
    if ((c >= 97 && c <= 122) || c >= 128) return true;
  }
  return false;
}
// Each transform returns the same string when it changes nothing (the cascade relies on identity).
const TRANSFORMS: Record<OptionalMatchRule, Transform> = {
  numberText: (k) => (k.startsWith(NUMBER_TAG) ? k.slice(NUMBER_TAG.length) : k),
  trim: (k) => {
    if (k.length === 0 || (!maybeSpace(k.charCodeAt(0)) && !maybeSpace(k.charCodeAt(k.length - 1)))) return k;
    const t = k.trim();
    return t === k ? k : t;
  },
  case: (k) => {
    if (!maybeLower(k)) return k;
    const u = k.toUpperCase();
    return u === k ? k : u;
  },
  leadingZeros: (k) => (k.charCodeAt(0) === 48 && DIGITS.test(k) ? k.replace(LEADING_ZEROS, "") : k),
};

function enabledRules(options: ReconcileOptions): OptionalMatchRule[] {
  const out: OptionalMatchRule[] = [];
  for (const r of MATCH_RULES) if (r !== "exact" && options.rules?.[r] !== false) out.push(r);
  return out;
}

/** The join key of a SKU cell after every enabled rule (what the finance-only list shows as `key`). */
export function normalizeSku(cell: SkuCell, rules: ReconcileOptions["rules"] = {}): string {
  let k = exactKey(cell);
  for (const r of enabledRules({ rules })) k = TRANSFORMS[r](k);
  return k.startsWith(NUMBER_TAG) ? k.slice(NUMBER_TAG.length) : k;
}

/** The first rule under which two SKU cells are the same key, or null when none does. */
export function matchingRule(a: SkuCell, b: SkuCell, rules: ReconcileOptions["rules"] = {}): MatchRule | null {
  let ka = exactKey(a);
  let kb = exactKey(b);
  if (ka === kb) return "exact";
  for (const r of enabledRules({ rules })) {
    ka = TRANSFORMS[r](ka);
    kb = TRANSFORMS[r](kb);
    if (ka === kb) return r;
  }
  return null;
}

function checkTolerance(name: string, t: Tolerance | undefined, fallback: Tolerance): Tolerance {
  if (t === undefined) return fallback;
  for (const f of ["abs", "rel"] as const) {
    const x = t[f];
    if (typeof x !== "number" || !Number.isFinite(x) || x < 0) throw new ArgumentError(`${name}.${f}`, `must be a number >= 0, got ${String(x)}`);
  }
  return { abs: t.abs, rel: t.rel };
}

/** 0 ties out, 1 within tolerance, 2 beyond. */
function compareAmounts(s: number, f: number, tol: Tolerance): 0 | 1 | 2 {
  const d = Math.abs(s - f);
  const noise = NOISE * Math.max(1, Math.abs(s), Math.abs(f));
  if (d <= noise) return 0;
  return d <= Math.max(tol.abs, tol.rel * Math.abs(f)) + noise ? 1 : 2;
}

export interface CurrencyLine {
  currency: string;
  rows: number;
  bookValue: number;
}

/** Rows and book value per currency ("" = blank), largest row count first; for the pane to show before a run. */
export function financeCurrencies(finance: FinanceRows): CurrencyLine[] {
  const m = new Map<string, CurrencyLine>();
  const cur = finance.currency;
  const n = finance.sku.length;
  for (let j = 0; j < n; j++) {
    const c = cur ? (cur[j] ?? "").trim().toUpperCase() : "";
    let line = m.get(c);
    if (!line) m.set(c, (line = { currency: c, rows: 0, bookValue: 0 }));
    line.rows++;
    const v = finance.bookValue[j];
    if (Number.isFinite(v)) line.bookValue += v;
  }
  return [...m.values()].sort((a, b) => b.rows - a.rows || (a.currency < b.currency ? -1 : 1));
}

function rowsText(lines: CurrencyLine[]): string {
  return lines.map((l) => `${l.currency || "(blank)"}: ${l.rows} row${l.rows === 1 ? "" : "s"}`).join(", ");
}

/** Per finance row conversion factor into the segmentation currency (NaN = rejected row), and the currency used. */
function conversion(finance: FinanceRows, options: ReconcileOptions, reject: (j: number, msg: string) => void): { factor: Float64Array; currency: string | null } {
  const n = finance.sku.length;
  const factor = new Float64Array(n).fill(1);
  const target = options.currency?.trim().toUpperCase() || null;
  const cur = finance.currency;
  if (options.rates !== undefined) {
    if (!target) throw new ArgumentError("rates", "give the segmentation's currency (option currency) that the rates convert into");
    for (const [k, r] of Object.entries(options.rates)) {
      if (typeof r !== "number" || !Number.isFinite(r) || r <= 0) throw new ArgumentError(`rates.${k}`, `must be a number > 0 (units of ${target} per ${k}), got ${String(r)}`);
    }
  }
  if (!cur) return { factor, currency: target };
  const rates = new Map<string, number>();
  if (options.rates) for (const [k, r] of Object.entries(options.rates)) rates.set(k.trim().toUpperCase(), r);
  if (target) rates.set(target, 1);
  const lines = financeCurrencies(finance).filter((l) => l.currency !== "");
  if (options.rates === undefined) {
    if (lines.length > 1) {
      throw new ArgumentError("currency", `the finance rows are in ${lines.length} currencies (${rowsText(lines)}): give a rate table into ${target ?? "one currency"}, or reconcile one currency at a time`);
    }
    if (target && lines.length === 1 && lines[0].currency !== target) {
      throw new ArgumentError("currency", `the finance rows are in ${lines[0].currency} but the segmentation is in ${target}: give a rate table (units of ${target} per ${lines[0].currency})`);
    }
  }
  const sheet = finance.sheetName ?? "finance";
  for (let j = 0; j < n; j++) {
    const c = (cur[j] ?? "").trim().toUpperCase();
    if (c === "") {
      factor[j] = Number.NaN;
      reject(j, `${sheet} row ${finance.sourceRow[j]}: the currency is blank`);
    } else if (options.rates !== undefined) {
      const r = rates.get(c);
      if (r === undefined) {
        factor[j] = Number.NaN;
        reject(j, `${sheet} row ${finance.sourceRow[j]}: currency ${c} has no rate in the rate table`);
      } else factor[j] = r;
    }
  }
  return { factor, currency: target ?? (lines.length === 1 ? lines[0].currency : null) };
}

function globToRegExp(pattern: string): RegExp {
  const esc = pattern.trim().replace(/[.+^${}()|[\]\\?]/g, "\\$&").replace(/\*/g, ".*");
  return new RegExp(`^${esc}$`, "i");
}

interface CompiledToken {
  text: string;
  test: (segment: string, abc: string, pinned: boolean, inactive: boolean) => boolean;
  flag: boolean;
}

function compileToken(raw: string): CompiledToken {
  const t = raw.trim();
  const lower = t.toLowerCase();
  if (lower === "inactive") return { text: t, flag: true, test: (_s, _a, _p, i) => i };
  if (lower === "pinned") return { text: t, flag: true, test: (_s, _a, p) => p };
  if (lower === "any" || t === "*") return { text: t, flag: true, test: () => true };
  const up = t.toUpperCase();
  if (t.includes("*")) {
    const re = globToRegExp(up);
    return { text: t, flag: false, test: (s) => re.test(s) };
  }
  return { text: t, flag: false, test: (s, a) => s.toUpperCase() === up || a.toUpperCase() === up };
}

function sortLabels(labels: Iterable<string>, order: readonly string[]): string[] {
  const rank = new Map(order.map((s, i) => [s, i]));
  return [...labels].sort((a, b) => {
    const ra = rank.get(a);
    const rb = rank.get(b);
    if (ra !== undefined || rb !== undefined) return (ra ?? Infinity) - (rb ?? Infinity);
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

function pct(d: number, f: number): number | null {
  return f === 0 ? null : d / Math.abs(f);
}

/**
 * Reconciles `seg` with `finance`. Throws ArgumentError only for a whole-argument problem (mixed
 * currencies without rates, a bad tolerance or rule table, columns of different lengths); a bad row
 * is listed in `rejected` and the rest is reconciled.
 */
export function reconcile(seg: SegmentationRows, finance: FinanceRows, options: ReconcileOptions = {}): ReconcileResult {
  const ns = seg.sku.length;
  const nf = finance.sku.length;
  const lengthCheck = (name: string, len: number | undefined, n: number) => {
    if (len !== undefined && len !== n) throw new ArgumentError(name, `has ${len} rows but sku has ${n}`);
  };
  lengthCheck("segmentation.segment", seg.segment.length, ns);
  lengthCheck("segmentation.value", seg.value.length, ns);
  lengthCheck("segmentation.quantity", seg.quantity?.length, ns);
  lengthCheck("segmentation.pinned", seg.pinned?.length, ns);
  lengthCheck("segmentation.inactive", seg.inactive?.length, ns);
  lengthCheck("segmentation.abc", seg.abc?.length, ns);
  lengthCheck("segmentation.sourceRow", seg.sourceRow?.length, ns);
  lengthCheck("finance.category", finance.category.length, nf);
  lengthCheck("finance.bookValue", finance.bookValue.length, nf);
  lengthCheck("finance.quantity", finance.quantity?.length, nf);
  lengthCheck("finance.currency", finance.currency?.length, nf);
  lengthCheck("finance.entity", finance.entity?.length, nf);
  lengthCheck("finance.sourceRow", finance.sourceRow.length, nf);

  const valueTol = checkTolerance("valueTolerance", options.valueTolerance, { abs: 1, rel: 0.001 });
  const qtyTol = checkTolerance("quantityTolerance", options.quantityTolerance, { abs: 0, rel: 0 });
  const compareValue = options.compareValue !== false;
  const compareQuantity = options.compareQuantity !== false;
  const sumAcross = options.duplicates === "sumAcrossEntities";
  const examplesPerRule = options.examplesPerRule ?? 5;
  const rules = (options.categoryRules ?? []).map((r, i) => {
    if (!r || typeof r.category !== "string" || r.category.trim() === "") throw new ArgumentError("categoryRules", `rule ${i + 1} has no category`);
    const tokens = (r.allowed ?? []).filter((t) => typeof t === "string" && t.trim() !== "");
    if (tokens.length === 0) throw new ArgumentError("categoryRules", `rule ${i + 1} (${r.category}) allows nothing: list at least one segment, ABC class or token`);
    return { index: i, category: r.category.trim(), re: globToRegExp(r.category), tokens: tokens.map(compileToken), allowed: tokens.map((t) => t.trim()) };
  });

  const rejected: RowRejection[] = [];
  const segSheet = seg.sheetName ?? "segmentation";
  const finSheet = finance.sheetName ?? "finance";
  const segRow = (i: number) => (seg.sourceRow ? seg.sourceRow[i] : i + 1);

  // ---- rows that cannot take part
  const segValid = new Uint8Array(ns);
  for (let i = 0; i < ns; i++) {
    const s = seg.sku[i];
    const text = typeof s === "number" ? (Number.isFinite(s) ? String(s) : "") : typeof s === "string" ? s.trim() : "";
    if (text === "") rejected.push({ side: "segmentation", sourceRow: segRow(i), sku: "", message: `${segSheet} row ${segRow(i)}: the SKU is blank` });
    else if (!Number.isFinite(seg.value[i])) rejected.push({ side: "segmentation", sourceRow: segRow(i), sku: text, message: `${segSheet} row ${segRow(i)} (SKU "${text}"): the value is not a finite number` });
    else segValid[i] = 1;
  }
  const finValid = new Uint8Array(nf).fill(1);
  const rejectFin = (j: number, message: string) => {
    if (!finValid[j]) return;
    finValid[j] = 0;
    rejected.push({ side: "finance", sourceRow: finance.sourceRow[j], sku: cellText(finance.sku[j] ?? ""), message });
  };
  for (let j = 0; j < nf; j++) {
    const s = finance.sku[j];
    const text = typeof s === "number" ? (Number.isFinite(s) ? String(s) : "") : typeof s === "string" ? s.trim() : "";
    if (text === "") rejectFin(j, `${finSheet} row ${finance.sourceRow[j]}: the SKU is blank`);
    else if (!Number.isFinite(finance.bookValue[j])) rejectFin(j, `${finSheet} row ${finance.sourceRow[j]} (SKU "${text}"): the book value is not a finite number`);
  }
  const { factor, currency } = conversion(finance, options, rejectFin);
  const finValue = new Float64Array(nf);
  for (let j = 0; j < nf; j++) finValue[j] = finValid[j] ? finance.bookValue[j] * factor[j] : 0;

  // ---- the join cascade
  const segKey: string[] = new Array(ns);
  for (let i = 0; i < ns; i++) segKey[i] = segValid[i] ? exactKey(seg.sku[i]) : "";
  const finKey: string[] = new Array(nf);
  for (let j = 0; j < nf; j++) finKey[j] = finValid[j] ? exactKey(finance.sku[j]) : "";
  const financeMatch = new Int32Array(nf).fill(-1);
  const financeRule = new Int8Array(nf).fill(-1);
  const ambiguous = new Map<number, number[]>();
  const pending: number[] = [];
  for (let j = 0; j < nf; j++) if (finValid[j]) pending.push(j);
  const optional = enabledRules(options);
  const ruleReports: RuleReport[] = MATCH_RULES.map((rule) => ({ rule, enabled: rule === "exact" || optional.includes(rule as OptionalMatchRule), matched: 0, examples: [] }));
  const collisions: MatchReport["collisions"] = [];
  const reportedGroups = new Set<string>();
  const shownKey = (k: string) => (k.startsWith(NUMBER_TAG) ? k.slice(NUMBER_TAG.length) : k);

  // Segmentation keys live in one map, updated in place as the rules change them: owner = the SKU's
  // index, or -1 when several SKUs share the key (their indexes are in `groups`). A rule changes a
  // key for every SKU or none the same way, so shared keys stay shared at every later rule.
  const owner = new Map<string, number>();
  const groups = new Map<string, number[]>();
  const pendingCollisions = new Map<string, number[]>();
  let level: MatchRule = "exact";
  const addKey = (i: number, k: string) => {
    const prev = owner.get(k);
    if (prev === undefined) {
      owner.set(k, i);
      return;
    }
    let g = groups.get(k);
    if (!g) groups.set(k, (g = [prev]));
    g.push(i);
    g.sort((x, y) => x - y);
    owner.set(k, -1);
    const sig = g.join(",");
    if (!reportedGroups.has(sig)) {
      reportedGroups.add(sig);
      pendingCollisions.set(k, g);
    }
  };
  const removeKey = (i: number, k: string) => {
    const g = groups.get(k);
    if (!g) {
      owner.delete(k);
      return;
    }
    const rest = g.filter((x) => x !== i);
    if (rest.length === 1) {
      groups.delete(k);
      owner.set(k, rest[0]);
    } else groups.set(k, rest);
  };
  const flushCollisions = () => {
    for (const [k, g] of pendingCollisions) collisions.push({ rule: level, key: shownKey(k), skus: g.map((i) => cellText(seg.sku[i])) });
    pendingCollisions.clear();
  };
  for (let i = 0; i < ns; i++) if (segValid[i]) addKey(i, segKey[i]);
  flushCollisions();

  let todo = pending;
  let segMoved = true;
  const finChanged = new Int8Array(nf).fill(-1);
  const levels: MatchRule[] = ["exact", ...optional];
  for (let li = 0; li < levels.length && todo.length > 0; li++) {
    const rule = levels[li];
    level = rule;
    let changed = li === 0;
    if (li > 0) {
      const t = TRANSFORMS[rule as OptionalMatchRule];
      const moved: number[] = [];
      for (let i = 0; i < ns; i++) {
        if (!segValid[i]) continue;
        const k = t(segKey[i]);
        if (k !== segKey[i]) {
          removeKey(i, segKey[i]);
          segKey[i] = k;
          moved.push(i);
        }
      }
      for (const i of moved) addKey(i, segKey[i]);
      flushCollisions();
      segMoved = moved.length > 0;
      changed = segMoved;
      for (const j of todo) {
        const k = t(finKey[j]);
        if (k !== finKey[j]) {
          finKey[j] = k;
          finChanged[j] = li;
          changed = true;
        }
      }
    }
    if (!changed) continue;
    const report = ruleReports[MATCH_RULES.indexOf(rule)];
    const ruleCode = MATCH_RULES.indexOf(rule);
    const next: number[] = [];
    for (const j of todo) {
      // with the segmentation keys as they were, a finance key that did not change cannot match now
      const m = segMoved || finChanged[j] === li ? owner.get(finKey[j]) : undefined;
      if (m === undefined) next.push(j);
      else if (m === -1) ambiguous.set(j, groups.get(finKey[j])!.slice());
      else {
        financeMatch[j] = m;
        financeRule[j] = ruleCode;
        report.matched++;
        if (report.examples.length < examplesPerRule) report.examples.push({ segmentationSku: cellText(seg.sku[m]), financeSku: cellText(finance.sku[j]), sourceRow: finance.sourceRow[j] });
      }
    }
    todo = next;
  }
  // keys of unmatched rows after every enabled rule (ambiguous rows may have stopped earlier)
  const fullKey = (j: number) => normalizeSku(finance.sku[j], options.rules);

  // ---- finance rows per segmentation SKU (CSR)
  const segFinanceCount = new Int32Array(ns);
  for (let j = 0; j < nf; j++) if (financeMatch[j] >= 0) segFinanceCount[financeMatch[j]]++;
  const start = new Int32Array(ns + 1);
  for (let i = 0; i < ns; i++) start[i + 1] = start[i] + segFinanceCount[i];
  const fill = start.slice(0, ns);
  const rowsOf = new Int32Array(start[ns]);
  for (let j = 0; j < nf; j++) {
    const m = financeMatch[j];
    if (m >= 0) rowsOf[fill[m]++] = j;
  }

  // ---- labels
  const segLabel = (i: number) => (seg.segment[i] ?? "").trim() || NO_SEGMENT;
  const catLabel = (j: number) => (finance.category[j] ?? "").trim() || NO_CATEGORY;
  const segIndex = new Map<string, number>();
  const catIndex = new Map<string, number>();
  const segOf = new Int32Array(ns).fill(-1);
  const catOf = new Int32Array(nf).fill(-1);
  for (let i = 0; i < ns; i++) {
    if (!segValid[i]) continue;
    const l = segLabel(i);
    let x = segIndex.get(l);
    if (x === undefined) segIndex.set(l, (x = segIndex.size));
    segOf[i] = x;
  }
  for (let j = 0; j < nf; j++) {
    if (!finValid[j]) continue;
    const l = catLabel(j);
    let x = catIndex.get(l);
    if (x === undefined) catIndex.set(l, (x = catIndex.size));
    catOf[j] = x;
  }
  const nSegLabels = segIndex.size;
  const nCatLabels = catIndex.size;
  const ROW_NOT_IN_SEG = nSegLabels;
  const COL_NOT_IN_FIN = nCatLabels;
  const COL_SEVERAL = nCatLabels + 1;
  const R = nSegLabels + 1;
  const C = nCatLabels + 2;
  const xFin = new Float64Array(R * C);
  const xSeg = new Float64Array(R * C);
  const xSkus = new Int32Array(R * C);
  const xRows = new Int32Array(R * C);

  // ---- items, statuses, lists
  const segStatus = new Uint8Array(ns).fill(REJECTED);
  const segReason = new Uint8Array(ns).fill(REJECTED);
  const financeStatus = new Uint8Array(nf).fill(REJECTED);
  const financeReason = new Uint8Array(nf).fill(REJECTED);
  const bridge = RECONCILE_REASONS.map((reason) => ({ reason, items: 0, segmentationValue: 0, financeValue: 0, difference: 0 }));
  const segmentationOnly: SegmentationOnlyRow[] = [];
  const duplicates: DuplicateGroup[] = [];
  const valueDifferences: DifferenceRow[] = [];
  const quantityDifferences: DifferenceRow[] = [];
  const segQty = seg.quantity;
  const finQty = finance.quantity;
  const entity = finance.entity;
  let segTotal = 0;
  let finTotal = 0;
  let segCount = 0;
  let finCount = 0;

  const dupRows = (i: number): DuplicateRow[] => {
    const out: DuplicateRow[] = [];
    for (let p = start[i]; p < start[i + 1]; p++) {
      const j = rowsOf[p];
      out.push({ sourceRow: finance.sourceRow[j], sku: cellText(finance.sku[j]), category: (finance.category[j] ?? "").trim(), entity: entity ? (entity[j] ?? "").trim() : "", bookValue: finValue[j] });
    }
    return out;
  };
  const dupKind = (rows: DuplicateRow[]): DuplicateGroup["kind"] => {
    if (!entity) return "no entity";
    const seen = new Set<string>();
    for (const r of rows) {
      if (r.entity === "" || seen.has(r.entity)) return "same entity";
      seen.add(r.entity);
    }
    return "across entities";
  };

  const differenceRow = (i: number, col: number, sv: number, fv: number, tol: Tolerance, st: 0 | 1 | 2): DifferenceRow => {
    const j0 = rowsOf[start[i]];
    return {
      sku: cellText(seg.sku[i]),
      segment: segLabel(i),
      category: col === COL_SEVERAL ? SEVERAL_CATEGORIES : catLabel(j0),
      sourceRow: finance.sourceRow[j0],
      segmentation: sv,
      finance: fv,
      difference: sv - fv,
      differencePct: pct(sv - fv, fv),
      tolerance: Math.max(tol.abs, tol.rel * Math.abs(fv)),
      status: st === 1 ? "within tolerance" : "unexplained",
    };
  };

  for (let i = 0; i < ns; i++) {
    if (!segValid[i]) continue;
    segCount++;
    const v = seg.value[i];
    segTotal += v;
    const k = segFinanceCount[i];
    let reason: number;
    let fv = 0;
    let col: number;
    if (k === 0) {
      reason = R_NOT_IN_FIN;
      col = COL_NOT_IN_FIN;
      segmentationOnly.push({ sku: cellText(seg.sku[i]), segment: segLabel(i), value: v, sourceRow: segRow(i) });
    } else {
      let fq = 0;
      let fqKnown = true;
      col = catOf[rowsOf[start[i]]];
      for (let p = start[i]; p < start[i + 1]; p++) {
        const j = rowsOf[p];
        fv += finValue[j];
        const q = finQty ? finQty[j] : Number.NaN;
        if (Number.isFinite(q)) fq += q;
        else fqKnown = false;
        if (catOf[j] !== col) col = COL_SEVERAL;
      }
      let compared = k === 1;
      if (k > 1) {
        const rows = dupRows(i);
        const kind = dupKind(rows);
        const summed = sumAcross && kind === "across entities";
        duplicates.push({ key: normalizeSku(seg.sku[i], options.rules), sku: cellText(seg.sku[i]), segment: segLabel(i), rows, total: fv, kind, summed });
        compared = summed;
      }
      if (!compared) reason = R_DUP;
      else {
        let vs: 0 | 1 | 2 = 0;
        if (compareValue) {
          vs = compareAmounts(v, fv, valueTol);
          if (vs > 0) valueDifferences.push(differenceRow(i, col, v, fv, valueTol, vs));
        }
        let qs: 0 | 1 | 2 = 0;
        const sq = segQty ? segQty[i] : Number.NaN;
        if (compareQuantity && fqKnown && finQty && Number.isFinite(sq)) {
          qs = compareAmounts(sq, fq, qtyTol);
          if (qs > 0) quantityDifferences.push(differenceRow(i, col, sq, fq, qtyTol, qs));
        }
        if (vs === 2) reason = R_VALUE;
        else if (qs === 2) reason = R_QTY;
        else if (vs === 1 || qs === 1) reason = R_WITHIN;
        else reason = compareValue ? R_TIE : R_NOT_COMPARED;
      }
    }
    segReason[i] = reason;
    segStatus[i] = REASON_STATUS[reason];
    const line = bridge[reason];
    line.items++;
    line.segmentationValue += v;
    line.financeValue += fv;
    line.difference += v - fv;
    const cell = segOf[i] * C + col;
    xSeg[cell] += v;
    xSkus[cell]++;
  }

  const financeOnly: FinanceOnlyRow[] = [];
  const onlyByKey = new Map<string, number[]>();
  for (let j = 0; j < nf; j++) {
    if (!finValid[j]) continue;
    finCount++;
    finTotal += finValue[j];
    const m = financeMatch[j];
    const cell = (m >= 0 ? segOf[m] : ROW_NOT_IN_SEG) * C + catOf[j];
    xFin[cell] += finValue[j];
    xRows[cell]++;
    if (m >= 0) {
      financeStatus[j] = segStatus[m];
      financeReason[j] = segReason[m];
      continue;
    }
    const cands = ambiguous.get(j);
    const reason = cands ? R_AMBIG : R_NOT_IN_SEG;
    financeReason[j] = reason;
    financeStatus[j] = REASON_STATUS[reason];
    const line = bridge[reason];
    line.items++;
    line.financeValue += finValue[j];
    line.difference -= finValue[j];
    const key = fullKey(j);
    financeOnly.push({
      sku: cellText(finance.sku[j]),
      sourceRow: finance.sourceRow[j],
      category: (finance.category[j] ?? "").trim(),
      entity: entity ? (entity[j] ?? "").trim() : "",
      currency: finance.currency ? (finance.currency[j] ?? "").trim().toUpperCase() : (currency ?? ""),
      bookValue: finValue[j],
      reason: cands ? "ambiguous SKU" : "not in segmentation",
      candidates: cands ? cands.map((i) => cellText(seg.sku[i])) : [],
      key,
    });
    let g = onlyByKey.get(key);
    if (!g) onlyByKey.set(key, (g = []));
    g.push(j);
  }
  for (const [key, g] of onlyByKey) {
    if (g.length < 2) continue;
    const rows = g.map((j) => ({ sourceRow: finance.sourceRow[j], sku: cellText(finance.sku[j]), category: (finance.category[j] ?? "").trim(), entity: entity ? (entity[j] ?? "").trim() : "", bookValue: finValue[j] }));
    duplicates.push({ key, sku: null, segment: null, rows, total: rows.reduce((a, r) => a + r.bookValue, 0), kind: dupKind(rows), summed: false });
  }

  // ---- category rules
  const categoryViolations: CategoryViolation[] = [];
  const ruleWarnings: string[] = [];
  if (rules.length > 0) {
    const catLabels = [...catIndex.keys()];
    const rulesOfCat: number[][] = catLabels.map((label) => rules.filter((r) => r.re.test(label === NO_CATEGORY ? "" : label)).map((r) => r.index));
    for (const r of rules) {
      if (!rulesOfCat.some((list) => list.includes(r.index))) ruleWarnings.push(`rule ${r.index + 1}: category "${r.category}" matches no category of the finance sheet`);
      const known = [...segIndex.keys()];
      for (const t of r.tokens) {
        if (t.flag) continue;
        if (!known.some((s) => t.test(s, s.charAt(0), false, false))) ruleWarnings.push(`rule ${r.index + 1} (${r.category}): "${t.text}" matches no segment or ABC class of this segmentation`);
      }
    }
    const abcOf = (i: number) => (seg.abc ? (seg.abc[i] ?? "") : segLabel(i).charAt(0));
    for (let j = 0; j < nf; j++) {
      const m = financeMatch[j];
      if (m < 0 || !finValid[j]) continue;
      const list = rulesOfCat[catOf[j]];
      if (list.length === 0) continue;
      const s = segLabel(m);
      const a = abcOf(m);
      const pinned = seg.pinned ? seg.pinned[m] === 1 : false;
      const inactive = seg.inactive ? seg.inactive[m] === 1 : false;
      for (const ri of list) {
        const r = rules[ri];
        if (r.tokens.some((t) => t.test(s, a, pinned, inactive))) continue;
        const flags = [pinned ? "pinned" : "", inactive ? "inactive" : ""].filter(Boolean).join(", ");
        categoryViolations.push({
          sku: cellText(seg.sku[m]),
          segment: s,
          category: catLabel(j),
          sourceRow: finance.sourceRow[j],
          rule: ri,
          allowed: r.allowed,
          message: `${finSheet} row ${finance.sourceRow[j]}: SKU "${cellText(seg.sku[m])}" is in category "${catLabel(j)}", which allows ${r.allowed.join(" or ")}, but its segment is ${s}${flags ? ` (${flags})` : ""}`,
        });
      }
    }
  }

  // ---- cross-tab, totals
  const order = options.segmentOrder ?? DEFAULT_SEGMENT_ORDER;
  const segLabels = [...segIndex.keys()];
  const catLabelsAll = [...catIndex.keys()];
  const rowOrder = sortLabels(segLabels, order).map((l) => segIndex.get(l)!);
  rowOrder.push(ROW_NOT_IN_SEG);
  const colOrder = sortLabels(catLabelsAll.filter((l) => l !== NO_CATEGORY), []).map((l) => catIndex.get(l)!);
  if (catIndex.has(NO_CATEGORY)) colOrder.push(catIndex.get(NO_CATEGORY)!);
  colOrder.push(COL_NOT_IN_FIN, COL_SEVERAL);
  const rowName = (r: number) => (r === ROW_NOT_IN_SEG ? NOT_IN_SEGMENTATION : segLabels[r]);
  const colName = (c: number) => (c === COL_NOT_IN_FIN ? NOT_IN_FINANCE : c === COL_SEVERAL ? SEVERAL_CATEGORIES : catLabelsAll[c]);
  // pseudo rows/columns are shown only when something is in them
  const usedRow = (r: number) => r !== ROW_NOT_IN_SEG || colOrder.some((c) => xRows[r * C + c] > 0);
  const usedCol = (c: number) => (c !== COL_NOT_IN_FIN && c !== COL_SEVERAL) || rowOrder.some((r) => xSkus[r * C + c] > 0);
  const rowsShown = rowOrder.filter(usedRow);
  const colsShown = colOrder.filter(usedCol);
  const matrix = (src: Float64Array | Int32Array) => rowsShown.map((r) => colsShown.map((c) => src[r * C + c]));
  const totals = (label: string, cells: number[]): GroupTotals => {
    let skus = 0;
    let rows = 0;
    let sv = 0;
    let fv = 0;
    for (const x of cells) {
      skus += xSkus[x];
      rows += xRows[x];
      sv += xSeg[x];
      fv += xFin[x];
    }
    return { label, skus, financeRows: rows, segmentationValue: sv, financeValue: fv, difference: sv - fv, differencePct: pct(sv - fv, fv) };
  };
  const rowTotals = rowsShown.map((r) => totals(rowName(r), colOrder.map((c) => r * C + c)));
  const columnTotals = colsShown.map((c) => totals(colName(c), rowOrder.map((r) => r * C + c)));
  const all: number[] = [];
  for (const r of rowOrder) for (const c of colOrder) all.push(r * C + c);
  const crossTab: CrossTab = {
    segments: rowsShown.map(rowName),
    categories: colsShown.map(colName),
    financeValue: matrix(xFin),
    segmentationValue: matrix(xSeg),
    skus: matrix(xSkus),
    financeRows: matrix(xRows),
    rowTotals,
    columnTotals,
    grandTotal: totals("Total", all),
  };

  const byStatus: StatusLine[] = RECONCILE_STATUSES.map((status) => ({ status, items: 0, segmentationValue: 0, financeValue: 0, difference: 0 }));
  for (let r = 0; r < bridge.length; r++) {
    const b = bridge[r];
    const s = byStatus[REASON_STATUS[r]];
    s.items += b.items;
    s.segmentationValue += b.segmentationValue;
    s.financeValue += b.financeValue;
    s.difference += b.difference;
  }
  const worst = byStatus[2].items > 0 ? 2 : byStatus[1].items > 0 ? 1 : 0;
  const byAbs = (a: DifferenceRow, b: DifferenceRow) => Math.abs(b.difference) - Math.abs(a.difference) || (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0);
  valueDifferences.sort(byAbs);
  quantityDifferences.sort(byAbs);
  duplicates.sort((a, b) => a.rows[0].sourceRow - b.rows[0].sourceRow);

  return {
    currency,
    match: {
      rules: ruleReports,
      matchedRows: ruleReports.reduce((a, r) => a + r.matched, 0),
      unmatchedRows: financeOnly.length - ambiguous.size,
      ambiguousRows: ambiguous.size,
      collisions,
    },
    totals: { segmentationValue: segTotal, financeValue: finTotal, difference: segTotal - finTotal, differencePct: pct(segTotal - finTotal, finTotal), segmentationSkus: segCount, financeRows: finCount },
    bridge: bridge.filter((b) => b.items > 0),
    status: { status: RECONCILE_STATUSES[worst], byStatus },
    crossTab,
    perSegment: rowTotals,
    perCategory: columnTotals,
    segmentationOnly,
    financeOnly,
    duplicates,
    valueDifferences,
    quantityDifferences,
    categoryViolations,
    ruleWarnings,
    rejected,
    segFinanceCount,
    segStatus,
    segReason,
    financeMatch,
    financeRule,
    financeStatus,
    financeReason,
  };
}

