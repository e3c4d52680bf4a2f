import type { Product } from './product';
import { valueWords } from './product-filters';

/**
 * Which brands, colour words and sizes the catalog has, in all and per category. A remembered
 * "shoe size 43" or "I like Alder & Oak" can only be checked where the catalog knows such a
 * value, and applies only to the categories that have it: size 43 narrows shoes, never jackets
 * sized S to XL. Read with the index (in chunks, like it), since an index never changes once built.
 */
export interface ValueSets {
  /** lower-case brand → the brand as the catalog writes it */
  brands: Map<string, string>;
  colours: Set<string>;
  sizes: Set<string>;
}

export interface CatalogValues {
  all: ValueSets;
  /** the values of the product's category */
  of(product: Product): ValueSets | undefined;
}

export const emptyValueSets = (): ValueSets => ({ brands: new Map(), colours: new Set(), sizes: new Set() });

export const NO_CATALOG_VALUES: CatalogValues = { all: emptyValueSets(), of: () => undefined };

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

/** The category a value is scoped to: Meta's taxonomy, else the shop's own type. */
const categoryKey = (product: Product): string => (product.category ?? product.productType ?? '').trim().toLowerCase();

function add(sets: ValueSets, product: Product): void {
  if (product.brand) sets.brands.set(product.brand.trim().toLowerCase(), product.brand.trim());
  for (const word of valueWords(product.color)) sets.colours.add(word);
  for (const value of sizeValues(product.size)) sets.sizes.add(value);
}

export async function readCatalogValues(products: Product[], chunkSize: number): Promise<CatalogValues> {
  const all = emptyValueSets();
  const byCategory = new Map<string, ValueSets>();
  // Each product points at its category's sets, so a search filtering by them looks nothing up.
  const byProduct = new WeakMap<Product, ValueSets>();
  for (let start = 0; start < products.length; start += chunkSize) {
    for (const product of products.slice(start, start + chunkSize)) {
      const key = categoryKey(product);
      let sets = byCategory.get(key);
      if (!sets) byCategory.set(key, (sets = emptyValueSets()));
      add(all, product);
      add(sets, product);
      byProduct.set(product, sets);
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { all, of: (product) => byProduct.get(product) ?? byCategory.get(categoryKey(product)) };
}
