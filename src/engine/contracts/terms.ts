/**
 * Service terms from contract clauses (English), by a small documented rule grammar: no NLP
 * library, no model, runs the same in a worker and in a browser. See docs/segmentation-dimensions.md
 * ("Service terms from contracts") for the grammar with examples.
 *
 * 1. Language: guessLanguage (language.ts); a clause not in English gives no terms and is flagged.
 * 2. Sentences: split at ". ", "! ", "? " before a capital letter, and at ";" (not after "a.m"/"p.m").
 *    A figure is only linked to a keyword of its own sentence.
 * 3. Figures (with their text span):
 *    percent   N % | N percent | N per cent | N pct, or a range "between N and N %", "N–N %", "N % to N %";
 *    duration  N hours|hrs|h|days|weeks (weeks read as 7 days), with "business"/"working" days kept as
 *              the unit "working days", ranges as for percent; "same day" = 0 days, "next day" = 1 day,
 *              "next business day" = 1 working day;
 *    time      HH:MM [am|pm], H am|pm, noon, midnight, with an optional zone (CET, GMT, UTC, ...,
 *              "local time"), read as minutes after midnight;
 *    money     EUR|USD|GBP|€|$|£ N, or N EUR|euros|dollars|pounds.
 *    N is digits (1,000.5 style) or a number word one..ninety-nine, "ten (10)" reading the digits.
 *    A comparator before N is part of the figure: at least, no less than, minimum of, ≥ ... (lower
 *    bound) or within, up to, no later than, at most, below, ≤ ... (upper bound).
 * 4. Keywords: fill rate (fill rate, line/order/case fill rate, service level — not "service level
 *    agreement"), OTIF (OTIF, on time in full), lead time (lead time, delivery, deliver, ship,
 *    dispatch, arrive, turnaround), penalty (penalty, liquidated damages, service credit,
 *    chargeback, fine), cut-off (cut-off, cutoff time, "orders received/placed/submitted by|before"),
 *    and distractors for durations (payment, invoice, notice, termination, warranty).
 * 5. Linking: a percent goes to the nearest fill-rate, OTIF or penalty keyword; money to the nearest
 *    penalty keyword; a duration to the nearest lead-time keyword, unless a distractor lies within
 *    the 14-word reach (payment and notice periods name deliveries as their reference point:
 *    "within 30 days of delivery"); a time to the nearest cut-off keyword. Distance = words between them (tokens with a letter or
 *    digit); at most 14; on a tie the keyword before the figure wins. Each figure is one term.
 *    A penalty keyword that no figure went to is a penalty term without an amount.
 * 6. Bounds: fill rate and OTIF figures are minimum targets (min = N, max null; a range gives both);
 *    a lead time is a maximum (max = N) unless its comparator is a lower bound ("at least 2 days");
 *    a penalty amount is exact (min = max = N); a cut-off time has min = max = its minutes.
 * 7. Confidence: 0.9 when at most 4 words lie between keyword and figure, 0.8 up to 8, 0.65 up to 14;
 *    0.1 less for the "service level" keyword (it may mean a cycle service level); a penalty without
 *    an amount 0.6.
 * The span of a term runs from the start of the first of its keyword and figure to the end of the
 * last (clause.slice(start, end) === text).
 */
import { guessLanguage, type LanguageGuess } from "./language";

export const TERM_KINDS = ["fillRate", "otif", "leadTime", "penalty", "cutoffTime"] as const;
export type TermKind = (typeof TERM_KINDS)[number];
export type TermUnit = "%" | "hours" | "days" | "working days" | "minutes" | "EUR" | "USD" | "GBP";

export interface ExtractedTerm {
  kind: TermKind;
  min: number | null;
  max: number | null;
  unit: TermUnit | null;
  /** Penalty basis ("day", "late shipment"), null when not stated; undefined for other kinds. */
  per?: string | null;
  /** Cut-off time zone as written ("CET", "local time"), null when not stated; undefined for other kinds. */
  timeZone?: string | null;
  /** Span in the clause (UTF-16 offsets, end exclusive) and its text. */
  start: number;
  end: number;
  text: string;
  confidence: number;
}

export interface ClauseExtraction {
  terms: ExtractedTerm[];
  language: LanguageGuess;
  /** Why the clause was not read ("not English (fr)"), null when it was. */
  flagged: string | null;
}

const UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"];
const TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];
const WORDNUM = `(?:(?:${TENS.slice(2).join("|")})(?:[- ](?:${UNITS.slice(1, 10).join("|")}))?|${UNITS.slice().reverse().join("|")})`;
const DIGITS = `(?<![\\w.,])\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|(?<![\\w.,])\\d+(?:\\.\\d+)?`;
const NUM = `(?:\\b${WORDNUM}\\s*\\(\\s*\\d+(?:\\.\\d+)?\\s*\\)|${DIGITS}|\\b${WORDNUM}\\b)`;
const CMP_LOWER = ["at\\s+least", "no\\s+less\\s+than", "not\\s+less\\s+than", "a\\s+minimum\\s+of", "minimum\\s+of", "above", "more\\s+than", "over", "≥", ">="];
const CMP_UPPER = ["at\\s+most", "no\\s+more\\s+than", "not\\s+more\\s+than", "no\\s+later\\s+than", "not\\s+later\\s+than", "a\\s+maximum\\s+of", "maximum\\s+of", "up\\s+to", "within", "under", "below", "less\\s+than", "≤", "<="];
const CMP = `(?:(${[...CMP_LOWER, ...CMP_UPPER].join("|")})\\s*)?`;
const PCT = `\\s*(?:%|per\\s?cent\\b|pct\\b)`;
const DUR_UNIT = `(?:-\\s*)?(?:(business|working|calendar)\\s+)?(hours?|hrs?|h|days?|weeks?)\\b`;
const RANGE = (unitOpt: string) => `(?:between\\s+(${NUM})${unitOpt}\\s+and\\s+(${NUM})|(?:from\\s+)?(${NUM})${unitOpt}\\s*(?:-|–|—|to)\\s*(${NUM}))`;

const RE = {
  pctRange: new RegExp(`${RANGE(`(?:${PCT})?`)}${PCT}`, "gi"),
  pct: new RegExp(`${CMP}(${NUM})${PCT}`, "gi"),
  durRange: new RegExp(`${RANGE("(?:\\s*(?:days?|hours?))?")}\\s*${DUR_UNIT}`, "gi"),
  dur: new RegExp(`${CMP}(${NUM})\\s*${DUR_UNIT}`, "gi"),
  dayWord: /\b(same|next)[- ](?:(business|working)[- ])?day\b/gi,
  time: /(?<![\w.:])(?:(\d{1,2})[:.](\d{2})(?!\d)(?:\s*([ap])\.?m\b\.?)?|(\d{1,2})\s*([ap])\.?m\b\.?|\b(noon|midday|midnight)\b)(?!\s*%)/gi,
  zone: /^\s+(CET|CEST|GMT|UTC|BST|EST|EDT|CST|CDT|MST|MDT|PST|PDT|ET|PT|[Ll]ocal\s+time)\b/,
  money: new RegExp(`(?:(EUR|USD|GBP|€|\\$|£)\\s*(${DIGITS})|(${DIGITS})\\s*(EUR|USD|GBP|euros?|dollars?|pounds?)\\b)`, "gi"),
};

type KeywordKind = TermKind | "distractor";
const KEYWORDS: { kind: KeywordKind; re: RegExp; penalty?: number }[] = [
  { kind: "otif", re: /\bOTIF\b|\bon[- ]time,?\s*(?:and\s+)?in[- ]full\b/gi },
  { kind: "fillRate", re: /\b(?:(?:line|order|case|unit|item)\s+)?fill[- ]?rates?\b/gi },
  { kind: "fillRate", re: /\bservice[- ]levels?\b(?!\s+agreements?)/gi, penalty: 0.1 },
  { kind: "leadTime", re: /\b(?:(?:replenishment|delivery|supplier|order)\s+)?lead[- ]?times?\b|\bdeliver(?:y|ies|ed|s)?\b|\bship(?:s|ped|ping|ment|ments)?\b|\bdispatch(?:ed|es)?\b|\barriv(?:e|es|al)\b|\bturnaround\b/gi },
  { kind: "penalty", re: /\bpenalt(?:y|ies)\b|\bliquidated\s+damages\b|\bservice\s+credits?\b|\bchargebacks?\b|\bfines?\b/gi },
  { kind: "cutoffTime", re: /\bcut[- ]?off(?:\s+time)?\b|\borders?\s+(?:(?:must|shall|should|need\s+to)\s+be\s+|are\s+|is\s+)?(?:received|placed|submitted|entered|confirmed|transmitted)\b(?:\s+(?:by|before|until|no\s+later\s+than|prior\s+to)\b)?/gi },
  { kind: "distractor", re: /\bpay(?:ment|able)?\b|\binvoic(?:e|ed|es|ing)\b|\bnotice\b|\bterminat\w*|\bwarrant\w*/gi },
];

type FigureType = "percent" | "duration" | "time" | "money";
interface Figure {
  type: FigureType;
  start: number;
  end: number;
  a: number;
  b: number | null;
  lower: boolean;
  unit: TermUnit;
  zone: string | null;
}
interface Keyword {
  kind: KeywordKind;
  start: number;
  end: number;
  penalty: number;
}

const LINKS: Record<FigureType, KeywordKind[]> = {
  percent: ["otif", "fillRate", "penalty"],
  money: ["penalty"],
  duration: ["leadTime", "distractor"],
  time: ["cutoffTime"],
};
const MAX_GAP = 14;

function wordValue(w: string): number {
  const s = w.toLowerCase().replace(/\s+/g, " ").trim();
  const u = UNITS.indexOf(s);
  if (u >= 0) return u;
  const [t, v] = s.split(/[- ]/);
  return TENS.indexOf(t) * 10 + (v ? UNITS.indexOf(v) : 0);
}

/** The value of one NUM match: "ten (10)" → 10, "1,250.5" → 1250.5, "forty-eight" → 48. */
export function numberValue(s: string): number {
  const paren = /\(\s*(\d+(?:\.\d+)?)\s*\)/.exec(s);
  if (paren) return Number(paren[1]);
  if (/\d/.test(s)) return Number(s.replace(/,/g, ""));
  return wordValue(s);
}

function sentences(text: string): [number, number][] {
  const out: [number, number][] = [];
  const re = /(?<!\b[ap]\.m)[.!?](?=\s+[A-Z(])|;/g;
  let start = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push([start, m.index + 1]);
    start = m.index + 1;
  }
  out.push([start, text.length]);
  return out;
}

function overlaps(list: Figure[], s: number, e: number): boolean {
  return list.some((f) => s < f.end && e > f.start);
}

function durationUnit(word: string, qualifier: string | undefined): { unit: TermUnit; factor: number } {
  const w = word.toLowerCase();
  if (w.startsWith("h")) return { unit: "hours", factor: 1 };
  if (w.startsWith("w")) return { unit: "days", factor: 7 };
  const q = qualifier?.toLowerCase();
  return { unit: q === "business" || q === "working" ? "working days" : "days", factor: 1 };
}

function findFigures(text: string): Figure[] {
  const out: Figure[] = [];
  const add = (f: Figure) => {
    if (!overlaps(out, f.start, f.end)) out.push(f);
  };
  const isLower = (cmp: string | undefined) => cmp !== undefined && CMP_LOWER.some((c) => new RegExp(`^${c}$`, "i").test(cmp.trim()));
  for (const m of text.matchAll(RE.pctRange)) {
    const a = numberValue(m[1] ?? m[3]);
    const b = numberValue(m[2] ?? m[4]);
    add({ type: "percent", start: m.index!, end: m.index! + m[0].length, a, b, lower: false, unit: "%", zone: null });
  }
  for (const m of text.matchAll(RE.pct)) add({ type: "percent", start: m.index!, end: m.index! + m[0].length, a: numberValue(m[2]), b: null, lower: isLower(m[1]), unit: "%", zone: null });
  for (const m of text.matchAll(RE.durRange)) {
    const { unit, factor } = durationUnit(m[6], m[5]);
    add({ type: "duration", start: m.index!, end: m.index! + m[0].length, a: numberValue(m[1] ?? m[3]) * factor, b: numberValue(m[2] ?? m[4]) * factor, lower: false, unit, zone: null });
  }
  for (const m of text.matchAll(RE.dur)) {
    const { unit, factor } = durationUnit(m[4], m[3]);
    add({ type: "duration", start: m.index!, end: m.index! + m[0].length, a: numberValue(m[2]) * factor, b: null, lower: isLower(m[1]), unit, zone: null });
  }
  for (const m of text.matchAll(RE.dayWord)) {
    const next = m[1].toLowerCase() === "next";
    add({ type: "duration", start: m.index!, end: m.index! + m[0].length, a: next ? 1 : 0, b: null, lower: false, unit: m[2] ? "working days" : "days", zone: null });
  }
  for (const m of text.matchAll(RE.money)) {
    const sym = (m[1] ?? m[4]).toLowerCase();
    const unit: TermUnit = sym === "€" || sym.startsWith("eur") ? "EUR" : sym === "$" || sym === "usd" || sym.startsWith("dollar") ? "USD" : "GBP";
    add({ type: "money", start: m.index!, end: m.index! + m[0].length, a: Number((m[2] ?? m[3]).replace(/,/g, "")), b: null, lower: false, unit, zone: null });
  }
  for (const m of text.matchAll(RE.time)) {
    let minutes: number;
    if (m[6]) {
      const w = m[6].toLowerCase();
      minutes = w === "midnight" ? 0 : 720;
    } else {
      let h = Number(m[1] ?? m[4]);
      const min = m[2] !== undefined ? Number(m[2]) : 0;
      const ap = (m[3] ?? m[5])?.toLowerCase();
      if (ap !== undefined) {
        if (h < 1 || h > 12) continue;
        h = (h % 12) + (ap === "p" ? 12 : 0);
      }
      if (h > 23 || min > 59) continue;
      minutes = h * 60 + min;
    }
    let end = m.index! + m[0].length;
    const z = RE.zone.exec(text.slice(end));
    let zone: string | null = null;
    if (z) {
      zone = z[1].replace(/\s+/g, " ");
      end += z[0].length;
    }
    add({ type: "time", start: m.index!, end, a: minutes, b: null, lower: false, unit: "minutes", zone });
  }
  return out.sort((x, y) => x.start - y.start);
}

function findKeywords(text: string): Keyword[] {
  const out: Keyword[] = [];
  for (const k of KEYWORDS) for (const m of text.matchAll(k.re)) out.push({ kind: k.kind, start: m.index!, end: m.index! + m[0].length, penalty: k.penalty ?? 0 });
  return out.sort((x, y) => x.start - y.start);
}

function wordsBetween(text: string, a: number, b: number): number {
  if (b <= a) return 0;
  return (text.slice(a, b).match(/\S*[\p{L}\p{N}]\S*/gu) ?? []).length;
}

function confidenceFor(gap: number, penalty: number): number {
  const base = gap <= 4 ? 0.9 : gap <= 8 ? 0.8 : 0.65;
  return Math.round((base - penalty) * 100) / 100;
}

const PER = /^(?:[^\w]+[\w'-]+){0,6}?[^\w]+(?:per|for\s+each|for\s+every|each)\s+((?:late\s+)?(?:day|week|hour|order|shipment|delivery|line|unit|incident|occurrence|month))s?\b/i;

/** Extracts the service terms of one clause. */
export function extractTerms(clause: string): ClauseExtraction {
  const language = guessLanguage(clause);
  if (!language.english) return { terms: [], language, flagged: language.language === "non-Latin" ? "not English (non-Latin script): no terms read" : `not English (${language.language}): no terms read` };
  const terms: ExtractedTerm[] = [];
  for (const [s0, s1] of sentences(clause)) {
    const text = clause.slice(s0, s1);
    const figures = findFigures(text);
    const keywords = findKeywords(text);
    const usedPenalty = new Set<Keyword>();
    for (const f of figures) {
      let best: Keyword | undefined;
      let bestGap = Infinity;
      let distracted = false;
      for (const k of keywords) {
        if (!LINKS[f.type].includes(k.kind)) continue;
        const gap = k.end <= f.start ? wordsBetween(text, k.end, f.start) : f.end <= k.start ? wordsBetween(text, f.end, k.start) : 0;
        if (k.kind === "distractor" && gap <= MAX_GAP) distracted = true;
        // Strictly nearer wins; keywords come in text order, so on a tie the earlier one (before the figure) stays.
        if (gap < bestGap) {
          best = k;
          bestGap = gap;
        }
      }
      if (!best || bestGap > MAX_GAP || distracted) continue;
      const kind = best.kind as TermKind;
      const start = Math.min(best.start, f.start);
      const end = Math.max(best.end, f.end);
      const term: ExtractedTerm = { kind, min: null, max: null, unit: f.unit, start: s0 + start, end: s0 + end, text: text.slice(start, end), confidence: confidenceFor(bestGap, best.penalty) };
      if (f.b !== null) {
        term.min = Math.min(f.a, f.b);
        term.max = Math.max(f.a, f.b);
      } else if (kind === "fillRate" || kind === "otif") term.min = f.a;
      else if (kind === "leadTime") {
        if (f.lower) term.min = f.a;
        else term.max = f.a;
      } else term.min = term.max = f.a;
      if (kind === "penalty") {
        usedPenalty.add(best);
        const per = PER.exec(text.slice(f.end));
        term.per = per ? per[1].toLowerCase().replace(/\s+/g, " ") : null;
      }
      if (kind === "cutoffTime") term.timeZone = f.zone;
      terms.push(term);
    }
    for (const k of keywords) {
      if (k.kind !== "penalty" || usedPenalty.has(k)) continue;
      terms.push({ kind: "penalty", min: null, max: null, unit: null, per: null, start: s0 + k.start, end: s0 + k.end, text: text.slice(k.start, k.end), confidence: 0.6 });
    }
  }
  terms.sort((a, b) => a.start - b.start || a.end - b.end);
  return { terms, language, flagged: null };
}

/** extractTerms for each clause (one cell per clause or per contract). */
export function extractTermsMany(clauses: readonly string[]): ClauseExtraction[] {
  return clauses.map((c) => (typeof c === "string" ? extractTerms(c) : { terms: [], language: guessLanguage(""), flagged: "not text" }));
}

/**
 * A customer's service requirement from its accepted terms: the highest fill-rate or OTIF minimum,
 * as a share (98 % → 0.98); null when none is accepted. Feed it to sla.ts tierForRequirement.
 */
export function serviceRequirement(accepted: readonly Pick<ExtractedTerm, "kind" | "min">[]): number | null {
  let best: number | null = null;
  for (const t of accepted) if ((t.kind === "fillRate" || t.kind === "otif") && t.min !== null && (best === null || t.min > best)) best = t.min;
  return best === null ? null : best / 100;
}
