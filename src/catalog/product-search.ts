import MiniSearch, { type SearchResult } from 'minisearch';
import { currentPrice, isInStock, type Product } from './product';

/**
 * The in-process product index of one worker, built with MiniSearch: full-text over title, brand,
 * category, colour, size and description, with typo tolerance (fuzzy matching on words of four
 * letters or more) and prefix matching ("sneak" finds "sneakers"); price, stock, brand, category,
 * colour and size are filters over the catalog's own records. An index is immutable once built:
 * a refresh builds a new one beside it and the caller swaps the reference.
 */

export interface ProductFilters {
  minPrice?: number;
  maxPrice?: number;
  brand?: string;
  category?: string;
  color?: string;
  size?: string;
  inStock?: boolean;
}

export interface ProductHit {
  product: Product;
  score: number;
}

interface IndexedFields {
  id: string;
  title: string;
  brand: string;
  category: string;
  color: string;
  size: string;
  description: string;
}

// Words that carry no product meaning in a shopping request; dropping them keeps scores honest.
const STOP_WORDS = new Set(
  'a an and the for with of in on to i me my we you is are am it this that some any under over below above than or from by at as show find want need looking like please'.split(
    ' ',
  ),
);

/** lower case, accents folded ("Café" = "cafe"), stop words dropped */
function processTerm(term: string): string | null {
  const folded = term.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  return folded === '' || STOP_WORDS.has(folded) ? null : folded;
}

const lower = (value: string | undefined) => value?.toLowerCase() ?? '';

/** "Navy blue" matches the colour filter "blue"; "M/L" matches the size "m". */
function hasWord(value: string | undefined, wanted: string): boolean {
  const words = lower(value).split(/[^\p{L}\p{N}.]+/u);
  const target = wanted.toLowerCase().trim();
  return words.includes(target) || lower(value) === target;
}

export function matchesFilters(product: Product, filters: ProductFilters): boolean {
  const price = currentPrice(product).amount;
  if (filters.minPrice !== undefined && price < filters.minPrice) return false;
  if (filters.maxPrice !== undefined && price > filters.maxPrice) return false;
  if (filters.inStock && !isInStock(product)) return false;
  if (filters.brand && lower(product.brand) !== filters.brand.toLowerCase().trim()) return false;
  if (filters.category) {
    const wanted = filters.category.toLowerCase().trim();
    if (!lower(product.category).includes(wanted) && !lower(product.productType).includes(wanted)) return false;
  }
  if (filters.color && !hasWord(product.color, filters.color)) return false;
  if (filters.size && !hasWord(product.size, filters.size)) return false;
  return true;
}

export class ProductSearch {
  private constructor(
    readonly version: string,
    private readonly index: MiniSearch<IndexedFields>,
    private readonly products: Map<string, Product>,
  ) {}

  /**
   * Builds the index in chunks (MiniSearch's addAllAsync yields between them), so a worker keeps
   * answering while a large catalog is indexed.
   */
  static async build(version: string, products: Product[], chunkSize = 500): Promise<ProductSearch> {
    const index = new MiniSearch<IndexedFields>({
      fields: ['title', 'brand', 'category', 'color', 'size', 'description'],
      storeFields: [],
      processTerm,
      searchOptions: {
        boost: { title: 3, brand: 2, category: 1.5, color: 1.5 },
        prefix: (term) => term.length >= 3,
        fuzzy: (term) => (term.length >= 4 ? 0.2 : false),
        maxFuzzy: 2,
      },
    });
    const byId = new Map(products.map((product) => [product.id, product]));
    const documents = products.map((p) => ({
      id: p.id,
      title: p.title,
      brand: p.brand ?? '',
      category: [p.category, p.productType].filter(Boolean).join(' '),
      color: p.color ?? '',
      size: p.size ?? '',
      // The first words say what a product is; indexing whole descriptions costs memory for little.
      description: p.description.slice(0, 300),
    }));
    await index.addAllAsync(documents, { chunkSize });
    return new ProductSearch(version, index, byId);
  }

  get size(): number {
    return this.products.size;
  }

  get(id: string): Product | undefined {
    return this.products.get(id);
  }

  /**
   * Best matches first (products with every word of the query; failing that, with any); with no
   * query words, the first products that pass the filters.
   */
  search(query: string, filters: ProductFilters = {}, limit = 5): ProductHit[] {
    const hasWords = query.split(/\s+/).some((word) => processTerm(word.replace(/[^\p{L}\p{N}]/gu, '')) !== null);
    if (!hasWords) return this.browse(filters, limit);
    const hits: ProductHit[] = [];
    const filter = (result: SearchResult) => matchesFilters(this.products.get(result.id as string)!, filters);
    // Every word first ("hiking boots" means boots for hiking, not anything for hiking); any word
    // only when that finds nothing, so a wordy request still gets its closest products.
    let results = this.index.search(query, { filter, combineWith: 'AND' });
    if (results.length === 0) results = this.index.search(query, { filter, combineWith: 'OR' });
    for (const result of results.slice(0, limit)) {
      hits.push({ product: this.products.get(result.id as string)!, score: result.score });
    }
    return hits;
  }

  private browse(filters: ProductFilters, limit: number): ProductHit[] {
    const hits: ProductHit[] = [];
    for (const product of this.products.values()) {
      if (!matchesFilters(product, filters)) continue;
      hits.push({ product, score: 0 });
      if (hits.length >= limit) break;
    }
    return hits;
  }
}
