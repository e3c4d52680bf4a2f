import type { Product } from '../catalog/product';
import type { ProductFilters, ProductSearch } from '../catalog/product-search';
import { searchHonouring } from './honoured-search';
import { compactProduct } from './product-tools';
import { RememberedWishes, type Wish } from './remembered-wishes';

/**
 * The tool-less path: when the model server rejects tools, the person's own message is the
 * search. Price bounds written in it ("under 100", "between 20 and 50 €", "over $30") and "in
 * stock" become filters; the rest is the query, and the person's remembered wishes narrow it as
 * they narrow the tools' searches. The results go into the prompt as JSON lines, so the model
 * still answers only from the catalog.
 */

export interface MessageSearch {
  query: string;
  filters: ProductFilters;
  products: Product[];
  /** remembered wishes no matching product honours (the products are the closest instead) */
  unmet: Wish[];
  /** the catalog results as the prompt gives them to the model */
  promptText: string;
}

const NUMBER = String.raw`[$€£¥]?\s*(\d+(?:[.,]\d{1,2})?)\s*(?:[$€£¥]|euros?|eur|usd|dollars?|gbp|pounds?)?`;
const PRICE_PATTERNS: Array<{ pattern: RegExp; apply: (filters: ProductFilters, a: number, b?: number) => void }> = [
  {
    pattern: new RegExp(String.raw`\bbetween\s+${NUMBER}\s+and\s+${NUMBER}`, 'i'),
    apply: (f, a, b) => Object.assign(f, { minPrice: Math.min(a, b!), maxPrice: Math.max(a, b!) }),
  },
  {
    pattern: new RegExp(
      String.raw`\b(?:under|below|less than|cheaper than|max(?:imum)?|up to|at most)\s+${NUMBER}`,
      'i',
    ),
    apply: (f, a) => (f.maxPrice = a),
  },
  {
    pattern: new RegExp(String.raw`\b(?:over|above|more than|at least|min(?:imum)?)\s+${NUMBER}`, 'i'),
    apply: (f, a) => (f.minPrice = a),
  },
];

const toNumber = (text: string | undefined) => (text === undefined ? NaN : Number(text.replace(',', '.')));

export function filtersFromMessage(message: string): { query: string; filters: ProductFilters } {
  const filters: ProductFilters = {};
  let query = message;
  for (const { pattern, apply } of PRICE_PATTERNS) {
    const match = pattern.exec(query);
    if (!match) continue;
    const a = toNumber(match[1]);
    const b = toNumber(match[2]);
    if (Number.isNaN(a)) continue;
    apply(filters, a, Number.isNaN(b) ? undefined : b);
    query = query.replace(match[0], ' ');
  }
  if (/\bin[\s-]stock\b|\bavailable now\b/i.test(query)) {
    filters.inStock = true;
    query = query.replace(/\bin[\s-]stock\b|\bavailable now\b/gi, ' ');
  }
  return { query: query.replace(/\s+/g, ' ').trim(), filters };
}

export function searchWithMessage(
  search: ProductSearch,
  message: string,
  limit = 5,
  wishes = RememberedWishes.none,
): MessageSearch {
  const { query, filters } = filtersFromMessage(message);
  const { products, unmet } = searchHonouring(search, query, filters, limit, wishes);
  const missed = [...new Set(unmet.map((wish) => `"${wish.fact.text}"`))].join(', ');
  const promptText =
    products.length === 0
      ? 'Catalog search found no matching product.'
      : [
          'Catalog search results (the only products that exist for this answer):',
          ...products.map((p) => JSON.stringify(compactProduct(p))),
          ...(missed ? [`None of them honours ${missed}: they are the closest. Say so plainly.`] : []),
        ].join('\n');
  return { query, filters, products, unmet, promptText };
}
