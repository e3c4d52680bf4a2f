/**
 * A fact a person asked the assistant to remember about them ("I'm vegetarian", "shoe size 42").
 * Only the person's own words are kept, each in one category; the special categories (the kinds of
 * personal data privacy law protects most: GDPR Art. 9, and criminal records, Art. 10) are kept
 * only after a second, explicit yes.
 */
export const FACT_CATEGORIES = ['sizes', 'budget', 'brands', 'style', 'diet', 'place', 'language', 'other'] as const;
export const SPECIAL_FACT_CATEGORIES = [
  'health',
  'religion',
  'politics',
  'sexuality',
  'ethnicity',
  'union membership',
  'biometric',
  'criminal record',
] as const;

export type FactCategory = (typeof FACT_CATEGORIES)[number] | (typeof SPECIAL_FACT_CATEGORIES)[number];

export interface RememberedFact {
  /** the person's words, at most 200 characters */
  text: string;
  category: FactCategory;
}
