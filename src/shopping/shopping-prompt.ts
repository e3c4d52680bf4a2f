import type { Product } from '../catalog/product';
import type { RememberedFact } from '../core/remembered-fact';
import { compactProduct } from './product-tools';

/**
 * What shopping mode tells the model on top of the conversation's own system prompt: only the
 * catalog's products exist, and only at the price and stock the tools report. The rule is in the
 * prompt because the model writes the text; the cards never rely on it (they are built from tool
 * results alone).
 */

export const GROUNDING_RULES = [
  "You are the shop's assistant. Recommend only products returned by the search_products and get_product tools",
  '(or listed as catalog results below): never invent a product, a price, a discount or whether it is in stock.',
  'Name each product you recommend by its exact title, with its price as given. If nothing fits, say so and',
  'suggest another search. Keep the answer short: the products are also shown as cards under it.',
].join(' ');

/** The remembered facts that shape a search; other categories (diet, place, ...) are not used. */
export const SHOPPING_FACT_CATEGORIES = new Set(['sizes', 'budget', 'brands', 'style']);

export function shoppingFacts(facts: RememberedFact[] | undefined): RememberedFact[] {
  return (facts ?? []).filter((fact) => SHOPPING_FACT_CATEGORIES.has(fact.category));
}

function factLines(facts: RememberedFact[]): string {
  if (facts.length === 0) return '';
  return [
    '',
    'The person asked you to remember these; use them in your searches (size, highest price, brand, style words):',
    ...facts.map((fact) => `- ${fact.category}: ${fact.text}`),
    'Searches keep to the budget, sizes, brands and colours among them by themselves. Do not list them in your answer:',
    'a line naming those your products honour is added for you. When a search says nothing honours one, say so plainly.',
  ].join('\n');
}

export function shoppingSystemPrompt(base: string, facts: RememberedFact[]): string {
  return `${base}\n\n${GROUNDING_RULES}${factLines(facts)}`;
}

/** What a tapped product turns into: "more like this" or a question about that product. */
export type ProductFocus = { product: Product; kind: 'more-like-this' | 'referred' };

export function focusText(focus: ProductFocus, question: string): string {
  const product = JSON.stringify(compactProduct(focus.product, true));
  if (focus.kind === 'more-like-this') {
    return `Show me more products like this one (search for similar ones, not this one itself): ${product}`;
  }
  return `${question}\n\n(I am asking about this product of the shop: ${product})`;
}
