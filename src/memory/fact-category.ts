import { FACT_CATEGORIES, SPECIAL_FACT_CATEGORIES, type FactCategory } from '../core/remembered-fact';

/**
 * The category of a fact, from its words. The special categories are looked for first and win
 * over anything a model claimed: a fact that may be health or religion data must get the second,
 * explicit yes, so a false alarm (one more question) is preferred to a miss. Colours and cuts that
 * are also words for people ("black", "straight") count only in "I am ..." phrasing.
 */
const SPECIAL_WORDS: Array<[FactCategory, RegExp]> = [
  [
    'health',
    /\b(diabet\w*|allerg\w*|asthma|pregnan\w*|disabilit\w*|disabled|depress\w*|anxiety|adhd|autis\w*|cancer|hiv|epilep\w*|medication|illness|c[eo]eliac|intoleran\w*|wheelchair|bipolar|therapy|blind|deaf)\b/iu,
  ],
  [
    'religion',
    /\b(muslim|islam\w*|christian\w*|catholic|protestant|jewish|judaism|hindu\w*|buddhis\w*|sikh|atheist|religio\w*|halal|kosher|church|mosque|synagogue|temple)\b/iu,
  ],
  ['politics', /\b(democrats?|republicans?|socialist|communist|political|politics|vote[sd]?|voting|party member)\b/iu],
  [
    'sexuality',
    /\b(gay|lesbian|bisexual|queer|homosexual|asexual|pansexual|lgbt\w*|sexual orientation|i'?m straight|i am straight)\b/iu,
  ],
  ['ethnicity', /\b(ethnic\w*|racial|hispanic|latin[oa]|(i'?m|i am) (black|white|asian|arab|indigenous|roma))\b/iu],
  ['union membership', /\b(trade union|labou?r union|union member\w*|unioni[sz]ed|member of a union)\b/iu],
];

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

/** The category of `text`; `claimed` (a model's guess) is taken unless the words say special. */
export function categoryOf(text: string, claimed?: string): FactCategory {
  const special = SPECIAL_WORDS.find(([, words]) => words.test(text));
  if (special) return special[0];
  const named = claimed?.trim().toLowerCase();
  if (named && KNOWN.has(named)) return named as FactCategory;
  return ORDINARY_WORDS.find(([, words]) => words.test(text))?.[0] ?? 'other';
}
