import { FACT_CATEGORIES, SPECIAL_FACT_CATEGORIES, type FactCategory } from '../core/remembered-fact';
import { fold, wordsMatcher, type WordList } from './word-lists';
import biometric from './word-lists/biometric.json';
import criminalRecord from './word-lists/criminal-record.json';
import ethnicity from './word-lists/ethnicity.json';
import health from './word-lists/health.json';
import politics from './word-lists/politics.json';
import religion from './word-lists/religion.json';
import sexuality from './word-lists/sexuality.json';
import unionMembership from './word-lists/union-membership.json';

/**
 * The category of a fact. Two readers, and the stricter wins: the words, against broad lists of
 * each special category in six languages (health conditions and medicines, religion, politics,
 * sexuality, ethnicity, union membership, biometrics, criminal records; word-lists/), and the
 * category a model claimed. Either finding a special category is enough, so a fact that may be
 * health or religion data always gets the second, explicit yes: a false alarm (one more question)
 * is preferred to a miss. Colours that are also words for people ("black") count only in "I am
 * ..." phrasing.
 */
const SPECIAL_LISTS: Array<[FactCategory, WordList]> = [
  ['health', health],
  ['religion', religion],
  ['politics', politics],
  ['sexuality', sexuality],
  ['ethnicity', ethnicity],
  ['union membership', unionMembership],
  ['biometric', biometric],
  ['criminal record', criminalRecord],
];

const SPECIAL_WORDS: Array<[FactCategory, RegExp]> = SPECIAL_LISTS.map(([category, list]) => [
  category,
  wordsMatcher(list),
]);

const ORDINARY_WORDS: Array<[FactCategory, RegExp]> = [
  ['sizes', /\b(size|sizes|waist|inseam|xs|xl|xxl|eu \d+|uk \d+|us \d+|cm tall|tall|shoe)\b/iu],
  ['budget', /([$€£¥]|\b(budget|afford|spend|cheap|under \d+|\d+\s?(usd|eur|gbp|dollars?|euros?|pounds?))\b)/iu],
  ['diet', /\b(vegetarian|vegan|pescatarian|gluten|lactose|dairy|keto|paleo|don'?t eat|do not eat|no meat)\b/iu],
  ['language', /\b(speak|language|english|spanish|french|german|portuguese|italian|arabic|hindi|chinese)\b/iu],
  ['place', /\b(live in|living in|based in|i'?m from|i am from|moved to|my city|my town|near me)\b/iu],
  ['brands', /\b(brand|brands)\b/iu],
  [
    'style',
    /\b(style|colou?rs?|prefer|wear|wearing|minimalist|casual|formal|fit|loose|slim|black|white|grey|gray|navy|red|blue|green|beige|pastel)\b/iu,
  ],
];

const KNOWN = new Set<string>([...FACT_CATEGORIES, ...SPECIAL_FACT_CATEGORIES]);

export function isSpecialCategory(category: FactCategory): boolean {
  return (SPECIAL_FACT_CATEGORIES as readonly string[]).includes(category);
}

/** The special category `text` looks like, by its words; undefined when none. */
export function specialCategoryIn(text: string): FactCategory | undefined {
  const folded = fold(text);
  return SPECIAL_WORDS.find(([, words]) => words.test(folded))?.[0];
}

/** The category of `text`; `claimed` (a model's guess) is taken unless the words say special. */
export function categoryOf(text: string, claimed?: string): FactCategory {
  const special = specialCategoryIn(text);
  if (special) return special;
  const named = claimed?.trim().toLowerCase();
  if (named && KNOWN.has(named)) return named as FactCategory;
  return ORDINARY_WORDS.find(([, words]) => words.test(text))?.[0] ?? 'other';
}
