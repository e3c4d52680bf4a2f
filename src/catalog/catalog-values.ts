import type { Product } from './product';
import { valueWords } from './product-filters';

/**
 * The sizes a product comes in: "M/L" is two, "18 L" and "one size" one each, "EU 43" is 43.
 * Whole values, not words, so a bag of "18 L" never counts as size L.
 */
export function sizeValues(size: string | undefined): string[] {
  return (size ?? '')
    .toLowerCase()
    .split(/\s*[/,;|]\s*/)
    .map((value) => value.replace(/^(?:eu|uk|us|size)\s+/, '').trim())
    .filter((value) => value !== '');
}
import type { ProductSearch } from './product-search';

/**
 * Which brands, colour words and sizes the catalog has, in all and per category. A remembered
 * "shoe size 43" or "I like Alder & Oak" can only be checked where the catalog knows such a
 * value, and applies only to the categories that have it: size 43 narrows shoes, never jackets
 * sized S to XL. Read once per index (an index never changes after it is built).
 */
export interface ValueSets {
  /** lower-case brand → the brand as the catalog writes it */
  brands: Map<string, string>;
  colours: Set<string>;
  sizes: Set<string>;
}

export interface CatalogValues {
  all: ValueSets;
  byCategory: Map<string, ValueSets>;
}

export const emptyValueSets = (): ValueSets => ({ brands: new Map(), colours: new Set(), sizes: new Set() });

/** The category a value is scoped to: Meta's taxonomy, else the shop's own type. */
export const categoryKey = (product: Product): string =>
  (product.category ?? product.productType ?? '').trim().toLowerCase();

function add(sets: ValueSets, product: Product): void {
  if (product.brand) sets.brands.set(product.brand.trim().toLowerCase(), product.brand.trim());
  for (const word of valueWords(product.color)) sets.colours.add(word);
  for (const value of sizeValues(product.size)) sets.sizes.add(value);
}

const cache = new WeakMap<ProductSearch, CatalogValues>();

export function catalogValues(search: ProductSearch): CatalogValues {
  const known = cache.get(search);
  if (known) return known;
  const values: CatalogValues = { all: emptyValueSets(), byCategory: new Map() };
  for (const product of search.all()) {
    add(values.all, product);
    const key = categoryKey(product);
    let sets = values.byCategory.get(key);
    if (!sets) values.byCategory.set(key, (sets = emptyValueSets()));
    add(sets, product);
  }
  cache.set(search, values);
  return values;
}
