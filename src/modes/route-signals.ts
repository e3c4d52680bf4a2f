import de from './route-signals/de.json';
import en from './route-signals/en.json';
import es from './route-signals/es.json';
import fr from './route-signals/fr.json';
import it from './route-signals/it.json';
import pt from './route-signals/pt.json';

/**
 * The cheap half of auto mode: what a message's own words and shape say about how much thought
 * it needs. The words live in data files, one per language (route-signals/*.json), so adding a
 * language or a word is an edit to a list, not to code. Every language's words are looked for in
 * every message: people mix languages, and a short message says too little to tell its language.
 * Words that mean something harmless in another language (Portuguese "legal" is "cool") are left
 * out of the lists for that reason.
 */

/** Why a message needs reasoning, as /why and the metrics name it. */
export const thinkingSignals = [
  'health',
  'legal',
  'financial',
  'policy',
  'maths',
  'planning',
  'multi-step',
  'long',
] as const;
export type ThinkingSignal = (typeof thinkingSignals)[number];
/** Why a quick answer will do: small talk, nothing that asks for reasoning, or no words at all. */
export type FastSignal = 'casual' | 'simple' | 'no-text';

export type SignalVerdict = { mode: 'thinking'; signal: ThinkingSignal } | { mode: 'fast'; signal: FastSignal };

interface SignalList {
  thinking: Partial<Record<ThinkingSignal, string[]>>;
  fast: { casual?: string[] };
}

const LISTS: SignalList[] = [en, es, pt, fr, de, it];

/** Longer than this, a message is a problem laid out, not a quick question. */
const LONG_MESSAGE_CHARS = 350;

/** Lowercase, without accents (and ß as ss), so the lists need one spelling of each word. */
export function normalised(text: string): string {
  return text.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '').replace(/ß/g, 'ss').replace(/[’`´]/g, "'");
}

/** A word of a list as a pattern: special characters literal, any run of spaces between words. */
const escape = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ +/g, '\\s+');

const LETTERS = '[\\p{L}\\p{N}]*';

/** One pattern for a list: whole words and phrases, `word*` as any word starting so, `*word` ending so. */
function patternOf(words: string[]): RegExp | undefined {
  if (words.length === 0) return undefined;
  const alternatives = words.map((word) => {
    if (word.endsWith('*')) return `${escape(word.slice(0, -1))}${LETTERS}`;
    if (word.startsWith('*')) return `${LETTERS}${escape(word.slice(1))}`;
    return escape(word);
  });
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}])`, 'u');
}

function merged(pick: (list: SignalList) => string[] | undefined): RegExp | undefined {
  return patternOf(LISTS.flatMap((list) => (pick(list) ?? []).map(normalised)));
}

const THINKING_PATTERNS = thinkingSignals.flatMap((signal) => {
  const pattern = merged((list) => list.thinking[signal]);
  return pattern ? [{ signal, pattern }] : [];
});
const CASUAL_PATTERN = merged((list) => list.fast.casual);

/** Arithmetic written out (`12 * 7`, `x^2`, `15%`, `3 / 4`), not dates or ranges. */
const ARITHMETIC = /\d\s*[+*×÷^=]\s*[\d(x]|\d\s+\/\s+\d|\d\s*%|[²³√∑∫]|\b[xy]\s*\^\s*\d/u;
/** Two questions or more, or a list of points: a problem in several steps. */
const SEVERAL_QUESTIONS = /[?？][\s\S]*[?？]/u;
const LISTED_POINTS = /(?:^|\n)\s*(?:\d+[.)]|[-•*])\s+\S[\s\S]*\n\s*(?:\d+[.)]|[-•*])\s+\S/u;

/** Numbers, times, dates, ranges and amounts as written (`14:10`, `12/05`, `3-4`, `1,250.50`), each counted once. */
const NUMBER = /\d+(?:[.,:/-]\d+)*/g;
/** A message with this many numbers in it is a problem to work out (a journey, a loan, a recipe scaled). */
const MANY_NUMBERS = 3;

function shapeSignal(text: string): ThinkingSignal | undefined {
  if (ARITHMETIC.test(text) || (text.match(NUMBER)?.length ?? 0) >= MANY_NUMBERS) return 'maths';
  if (SEVERAL_QUESTIONS.test(text) || LISTED_POINTS.test(text)) return 'multi-step';
  if (text.length > LONG_MESSAGE_CHARS) return 'long';
  return undefined;
}

/** What the message's words and shape say: the first reasoning signal found wins over small talk. */
export function signalVerdict(text: string | undefined): SignalVerdict {
  const trimmed = text?.trim() ?? '';
  if (trimmed === '') return { mode: 'fast', signal: 'no-text' };
  const words = normalised(trimmed);
  const found = THINKING_PATTERNS.find(({ pattern }) => pattern.test(words));
  if (found) return { mode: 'thinking', signal: found.signal };
  const shape = shapeSignal(trimmed);
  if (shape) return { mode: 'thinking', signal: shape };
  return { mode: 'fast', signal: CASUAL_PATTERN?.test(words) ? 'casual' : 'simple' };
}
