import languages from './languages.json';
import type { Language } from './suite';

/**
 * How the checks read an answer: words without case or accents, the language its short common
 * words belong to, and the prices it names. Deterministic on purpose: the same answer always
 * scores the same, whatever model wrote it.
 */

export interface LanguageData {
  words: string[];
  unknown: string[];
  fallback: string;
}

export const LANGUAGE_DATA = languages as unknown as Record<Language, LanguageData>;

/** Lowercase, straight apostrophes, no accents: how mentions and phrases are compared. */
export function folded(text: string): string {
  return text.toLowerCase().replace(/[’`´]/g, "'").normalize('NFD').replace(/\p{M}/gu, '').replace(/ß/g, 'ss');
}

/** Whether `phrase` appears in `text` as whole words (a trailing plural s allowed). */
export function mentions(text: string, phrase: string): boolean {
  const escaped = folded(phrase)
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/\s+/g, '\\s+');
  return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?:s|es)?(?![\\p{L}\\p{N}])`, 'u').test(folded(text));
}

const WORD = /[\p{L}']+/gu;

/**
 * The language whose common words the text uses most, or undefined when it says too little to
 * tell (fewer than three such words, or a tie).
 */
export function languageOf(text: string): Language | undefined {
  const words = (text.toLowerCase().replace(/[’`´]/g, "'").match(WORD) ?? []).map((w) => w.replace(/^'+|'+$/g, ''));
  const scores = (Object.keys(LANGUAGE_DATA) as Language[]).map((language) => {
    const known = new Set(LANGUAGE_DATA[language].words);
    return { language, score: words.filter((word) => known.has(word)).length };
  });
  scores.sort((a, b) => b.score - a.score);
  const [best, second] = scores;
  if (!best || best.score < 3 || best.score === second?.score) return undefined;
  return best.language;
}

/** An amount of money as written: `€89.90`, `89,90 €`, `89.90 EUR`, `$12`, `12 euros`. */
const MONEY =
  /(?:[€$£]\s?(\d{1,6}(?:[.,]\d{1,2})?))|(?:(\d{1,6}(?:[.,]\d{1,2})?)\s?(?:€|eur\b|euros?\b|usd\b|\$|£))/giu;

export interface PriceMention {
  amount: number;
  /** where in the text it starts */
  at: number;
}

export function pricesIn(text: string): PriceMention[] {
  return [...text.matchAll(MONEY)].map((match) => ({
    amount: Number((match[1] ?? match[2] ?? '0').replace(',', '.')),
    at: match.index ?? 0,
  }));
}
