import type { Product } from '../catalog/product';
import type { ProductSearch } from '../catalog/product-search';
import type { ToolCall, ToolChatMessage } from '../inference/tool-chat';
import { describeSearch, MAX_QUERY_LENGTH, SEARCH_PRODUCTS, searchResultContent } from './product-tools';

/**
 * "More like this": the search a tapped product stands for, built from the product's own fields
 * (its colour, what its title says it is without the brand, and its kind), so it never depends on
 * a model turning a product record into a query, and always fits the tool's query cap. It is run
 * before the model is called, as the conversation's first tool call: the model (or the sandbox's
 * demo responder) answers from its results and may search again.
 */

export interface SimilarSearch {
  /** the search_products arguments, as the model sees them in the call */
  args: { query: string; category?: string; limit: number };
  /** the products found, the tapped one left out */
  products: Product[];
}

const wordsOf = (text: string | undefined): string[] => text?.split(/[\s,/|]+/).filter(Boolean) ?? [];

/** The most specific step of a category path: `Apparel & Accessories > Shoes` → `Shoes`. */
export function kindOf(product: Pick<Product, 'productType' | 'category'>): string | undefined {
  const path = product.productType ?? product.category;
  const leaf = path?.split('>').at(-1)?.trim();
  return leaf || undefined;
}

/** Its colour, the words of its title without the brand's, and its kind; each once, under the cap. */
export function similarQuery(product: Product): string {
  const brand = new Set(wordsOf(product.brand).map((word) => word.toLowerCase()));
  const title = wordsOf(product.title).filter((word) => !brand.has(word.toLowerCase()));
  const words = [...wordsOf(product.color), ...title, ...wordsOf(kindOf(product))];
  const seen = new Set<string>();
  let query = '';
  for (const word of words) {
    const key = word.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
    if (!key || seen.has(key)) continue;
    const next = query ? `${query} ${word}` : word;
    if (next.length > MAX_QUERY_LENGTH) break;
    seen.add(key);
    query = next;
  }
  return query;
}

/**
 * Products like `product`, most alike first: a search for all its words finds only itself, so the
 * leading words (colour, style, material) are let go one at a time, keeping the last ones (what
 * it is: the title's noun and the kind), until there are enough; of its kind when the catalog has
 * others of that kind.
 */
export function similarProducts(search: ProductSearch, product: Product, limit = 5): SimilarSearch {
  const query = similarQuery(product);
  const kind = kindOf(product);
  const words = query.split(' ');
  for (const category of kind ? [kind, undefined] : [undefined]) {
    const found = new Map<string, Product>();
    for (let from = 0; from < words.length && found.size < limit; from += 1) {
      for (const hit of search.search(words.slice(from).join(' '), { category }, limit + 1)) {
        if (hit.product.id !== product.id && found.size < limit) found.set(hit.product.id, hit.product);
      }
    }
    if (found.size > 0)
      return { args: { query, ...(category ? { category } : {}), limit }, products: [...found.values()] };
  }
  return { args: { query, limit }, products: [] };
}

/** The similar search as the first tool call of the conversation and its result, with /why's words for it. */
export function similarSearchOpening(
  search: ProductSearch,
  product: Product,
): { messages: ToolChatMessage[]; products: Product[]; described: string } {
  const similar = similarProducts(search, product);
  const call: ToolCall = { id: 'call_more_like_this', name: SEARCH_PRODUCTS, arguments: JSON.stringify(similar.args) };
  return {
    messages: [
      { role: 'assistant', content: null, toolCalls: [call] },
      { role: 'tool', toolCallId: call.id, content: searchResultContent(similar.products) },
    ],
    products: similar.products,
    described: describeSearch(similar.args.query, { category: similar.args.category }),
  };
}
