import { NO_CATALOG_VALUES, sizeValues, type CatalogValues, type ValueSets } from '../catalog/catalog-values';
import { currentPrice, parseDecimal, type Product } from '../catalog/product';
import { hasWord } from '../catalog/product-filters';
import type { ProductSearch } from '../catalog/product-search';
import type { RememberedFact } from '../core/remembered-fact';

/**
 * What a remembered fact asks of the products, where the catalog can check it: a price ceiling
 * ("my budget is 50 euros"), sizes ("my shoe size is 43"), brands and colours the catalog has.
 * These filter every search, so the products shown honour them; a fact the catalog cannot check
 * ("I like a relaxed fit") still reaches the model, but the code never claims to have used it.
 */
export type WishKind = 'budget' | 'size' | 'brand' | 'colour';

export interface Wish {
  fact: RememberedFact;
  kind: WishKind;
  /** budget: the ceiling, in `currency` when the fact names one */
  max?: number;
  currency?: string;
  /** size, brand, colour: the accepted values, lower case */
  values: string[];
  /** the values as the person reads them: sizes in capitals, brands as the catalog writes them */
  labels: string[];
}

const CURRENCIES: Array<[RegExp, string]> = [
  [/€|\beur(o|os)?\b/i, 'EUR'],
  [/\$|\busd\b|\bdollars?\b/i, 'USD'],
  [/£|\bgbp\b|\bpounds?\b/i, 'GBP'],
  [/¥|\bjpy\b|\byen\b/i, 'JPY'],
];
const FLOOR_ONLY = /\b(at least|over|above|more than|min(imum)?)\b/i;
const CEILING = /\b(under|below|max(imum)?|up to|at most|less than|no more|not more|budget|afford|spend)\b/i;
const NEGATED = /\b(not|no|never|don'?t|doesn'?t|avoid|hate|dislike|except|without)\b/i;
const LETTER_SIZES: Record<string, string> = { small: 's', medium: 'm', large: 'l', 'extra large': 'xl' };
const SIZE_PATTERNS = [
  /\bsizes?\s*(?:is\s*|of\s*)?(?:eu|uk|us)?\s*(\d{1,2}(?:[.,]5)?|x{0,3}[sl]|m)\b/gi,
  /\b(?:eu|uk|us)\s*(\d{1,2}(?:[.,]5)?)\b/gi,
  /\bi(?: wear|'m| am| take)\s+(?:an?\s+|size\s+)?(x{0,3}[sl]|m|small|medium|large|extra large)\b/gi,
];

function budgetWish(fact: RememberedFact): Wish | undefined {
  if (FLOOR_ONLY.test(fact.text) && !CEILING.test(fact.text)) return undefined;
  const amounts = [...fact.text.matchAll(/\d[\d.,]*\d|\d/g)].map((m) => parseDecimal(m[0]));
  const numbers = amounts.filter((n): n is number => n !== undefined && n > 0);
  if (numbers.length === 0) return undefined;
  const currency = CURRENCIES.find(([pattern]) => pattern.test(fact.text))?.[1];
  return { fact, kind: 'budget', max: Math.max(...numbers), currency, values: [], labels: [] };
}

function sizeWish(fact: RememberedFact, known: ValueSets): Wish | undefined {
  const found = SIZE_PATTERNS.flatMap((pattern) => [...fact.text.matchAll(pattern)].map((m) => m[1]!.toLowerCase()));
  const values = [...new Set(found.map((size) => LETTER_SIZES[size] ?? size.replace(',', '.')))];
  const checkable = values.filter((size) => known.sizes.has(size));
  return checkable.length > 0
    ? { fact, kind: 'size', values: checkable, labels: checkable.map((size) => size.toUpperCase()) }
    : undefined;
}

/** Catalog values named in the fact as whole words ("Alder & Oak", "navy"). */
function named(fact: RememberedFact, values: Iterable<string>): string[] {
  const words = fact.text.toLowerCase().replace(/[^\p{L}\p{N}&'.]+/gu, ' ');
  const text = ` ${words.replace(/\.(?=\s|$)/g, ' ')} `;
  return [...values].filter((value) => value.length > 1 && text.includes(` ${value} `));
}

function likings(fact: RememberedFact, known: ValueSets): Wish[] {
  if (NEGATED.test(fact.text) || (fact.category !== 'brands' && fact.category !== 'style')) return [];
  const brands = named(fact, known.brands.keys());
  const colours = named(fact, known.colours);
  return [
    ...(brands.length > 0
      ? [{ fact, kind: 'brand' as const, values: brands, labels: brands.map((b) => known.brands.get(b) ?? b) }]
      : []),
    ...(colours.length > 0 ? [{ fact, kind: 'colour' as const, values: colours, labels: colours }] : []),
  ];
}

export class RememberedWishes {
  private constructor(
    readonly wishes: Wish[],
    private readonly values: CatalogValues,
  ) {}

  static readonly none = new RememberedWishes([], NO_CATALOG_VALUES);

  static from(facts: RememberedFact[], search: ProductSearch): RememberedWishes {
    const { values } = search;
    const wishes = facts.flatMap((fact) => {
      if (fact.category === 'budget') return [budgetWish(fact)].filter((w): w is Wish => w !== undefined);
      if (fact.category === 'sizes') return [sizeWish(fact, values.all)].filter((w): w is Wish => w !== undefined);
      return likings(fact, values.all);
    });
    return new RememberedWishes(wishes, values);
  }

  get size(): number {
    return this.wishes.length;
  }

  /** Whether the wish speaks of this product at all (its currency; a value its category has). */
  applies(wish: Wish, product: Product): boolean {
    if (wish.kind === 'budget') return !wish.currency || wish.currency === currentPrice(product).currency;
    const sets = this.values.of(product);
    if (!sets) return false;
    const known = wish.kind === 'brand' ? sets.brands : wish.kind === 'size' ? sets.sizes : sets.colours;
    return wish.values.some((value) => known.has(value));
  }

  static holds(wish: Wish, product: Product): boolean {
    if (wish.kind === 'budget') return currentPrice(product).amount <= wish.max!;
    if (wish.kind === 'brand') return wish.values.includes(product.brand?.trim().toLowerCase() ?? '');
    if (wish.kind === 'size') return sizeValues(product.size).some((size) => wish.values.includes(size));
    return wish.values.some((value) => hasWord(product.color, value));
  }

  /** Whether the product honours every wish that applies to it (the search filter: stops at the first miss). */
  passes(product: Product): boolean {
    return this.wishes.every((wish) => !this.applies(wish, product) || RememberedWishes.holds(wish, product));
  }

  /** The wishes this product breaks (none: it honours everything remembered that applies to it). */
  broken(product: Product): Wish[] {
    return this.wishes.filter((wish) => this.applies(wish, product) && !RememberedWishes.holds(wish, product));
  }
}
