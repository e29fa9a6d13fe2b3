/**
 * Is a contract clause in English? A small function-word vote, enough to keep the English rule
 * grammar (terms.ts) away from text it cannot read. Not a general language identifier.
 *
 * Rule: the clause's words (Unicode letters, lower-cased) are counted against short lists of very
 * frequent function words for English, German, French, Spanish, Italian, Dutch and Portuguese.
 * - more letters outside the Latin script than inside → "non-Latin" (not English);
 * - another language with at least 2 hits and more hits than English → that language;
 * - otherwise English (a clause with no function word at all, e.g. "Target OTIF: 92–96%.", is read
 *   as English: the grammar then finds what it can).
 * A word in several lists (e.g. "de") counts for each. Ties between other languages go to the
 * first in the order above.
 */

const LISTS: Record<string, readonly string[]> = {
  en: ["the", "of", "and", "to", "in", "shall", "be", "for", "a", "an", "is", "are", "will", "with", "by", "within", "on", "at", "or", "any", "all", "per", "each", "not", "than", "least", "from", "this", "that", "must", "may", "as", "which", "after", "before", "its", "their", "has", "have", "been", "than", "our", "we", "you"],
  de: ["der", "die", "das", "und", "ist", "nicht", "mit", "von", "für", "nach", "innerhalb", "werden", "wird", "den", "dem", "des", "eine", "ein", "zu", "auf", "bei", "sich", "im", "oder", "spätestens"],
  fr: ["le", "la", "les", "des", "du", "et", "est", "un", "une", "dans", "pour", "sera", "doit", "sous", "au", "aux", "par", "sur", "avec", "ne", "pas", "de", "délai", "livraison"],
  es: ["el", "la", "los", "las", "y", "de", "en", "para", "por", "con", "un", "una", "será", "debe", "del", "al", "que", "plazo", "entrega"],
  it: ["il", "lo", "gli", "e", "di", "entro", "per", "con", "un", "una", "sarà", "deve", "della", "dei", "che", "consegna", "giorni"],
  nl: ["de", "het", "en", "van", "binnen", "een", "voor", "met", "wordt", "zal", "moet", "niet", "levering", "dagen"],
  pt: ["o", "os", "as", "e", "de", "em", "para", "por", "com", "um", "uma", "será", "deve", "do", "da", "dos", "prazo", "entrega"],
};
const SETS = Object.fromEntries(Object.entries(LISTS).map(([k, v]) => [k, new Set(v)]));

export interface LanguageGuess {
  /** "en", "de", "fr", "es", "it", "nl", "pt" or "non-Latin". */
  language: string;
  english: boolean;
  /** Function-word hits per language (for the pane's explanation). */
  hits: Record<string, number>;
}

export function guessLanguage(text: string): LanguageGuess {
  const latin = (text.match(/\p{Script=Latin}/gu) ?? []).length;
  const letters = (text.match(/\p{L}/gu) ?? []).length;
  const hits: Record<string, number> = {};
  for (const k of Object.keys(LISTS)) hits[k] = 0;
  if (letters - latin > latin) return { language: "non-Latin", english: false, hits };
  const words = text.toLowerCase().match(/\p{L}+/gu) ?? [];
  for (const w of words) for (const k of Object.keys(LISTS)) if (SETS[k].has(w)) hits[k]++;
  let best = "en";
  for (const k of Object.keys(LISTS)) if (k !== "en" && hits[k] >= 2 && hits[k] > hits.en && (best === "en" || hits[k] > hits[best])) best = k;
  return { language: best, english: best === "en", hits };
}
