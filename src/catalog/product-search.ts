import MiniSearch, { type SearchResult } from 'minisearch';
import { currentPrice, isInStock, type Product } from './product';

/**
 * The in-process product index of one worker, built with MiniSearch: full-text over title, brand,
 * category, colour and size, with typo tolerance (fuzzy on words of four letters or more) and
 * prefixes ("sneak" finds "sneakers"); price, stock, brand, category, colour and size are filters.
 * An index is immutable once built: a refresh builds a new one beside it and the caller swaps it in.
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

const tokenize = MiniSearch.getDefault('tokenize') as (text: string) => string[];

function queryWords(text: string): string[] {
  return tokenize(text)
    .map(processTerm)
    .filter((word): word is string => word !== null);
}

interface CatalogWords {
  /** every word of the catalog, to tell a typo from a rare word */
  known: Set<string>;
  /** words so frequent (colours, "shirt" in a clothes shop) that they act as filters: word → ids */
  common: Map<string, Set<string>>;
}

/** A word in more than 1% of a large catalog (and more than 300 products) counts as common. */
async function catalogWords(documents: IndexedFields[], chunkSize: number): Promise<CatalogWords> {
  const threshold = Math.max(300, Math.floor(documents.length / 100));
  const postings = new Map<string, string[]>();
  for (let start = 0; start < documents.length; start += chunkSize) {
    for (const doc of documents.slice(start, start + chunkSize)) {
      const words = new Set(queryWords(`${doc.title} ${doc.brand} ${doc.category} ${doc.color} ${doc.size}`));
      for (const word of words) {
        const list = postings.get(word);
        if (list) list.push(doc.id);
        else postings.set(word, [doc.id]);
      }
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  const common = new Map<string, Set<string>>();
  for (const [word, ids] of postings) if (ids.length > threshold) common.set(word, new Set(ids));
  return { known: new Set(postings.keys()), common };
}

/**
 * Edit distance counting a swap of two neighbouring letters as one typo (optimal string
 * alignment), giving up (returning max + 1) once it must exceed `max`.
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, before[j - 2]! + 1);
      current[j] = value;
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > max) return max + 1;
    before = previous;
    previous = current;
  }
  return previous[b.length]!;
}

const lower = (value: string | undefined) => value?.toLowerCase() ?? '';

/** "Navy blue" matches the colour filter "blue"; "M/L" matches the size "m". */
function hasWord(value: string | undefined, wanted: string): boolean {
  const text = lower(value);
  const target = wanted.toLowerCase().trim();
  // The substring test rules most products out before the costlier split (filters run per match).
  if (!text.includes(target)) return false;
  return text === target || text.split(/[^\p{L}\p{N}.]+/u).includes(target);
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
    private readonly words: CatalogWords,
  ) {}

  /**
   * Builds the index in chunks (MiniSearch's addAllAsync yields between them), so a worker keeps
   * answering while a large catalog is indexed.
   */
  static async build(version: string, products: Product[], chunkSize = 200): Promise<ProductSearch> {
    const index = new MiniSearch<IndexedFields>({
      // Descriptions are left out: they double index time and memory and flood common words
      // with weak matches, while title, brand, category, colour and size say what a product is.
      fields: ['title', 'brand', 'category', 'color', 'size'],
      storeFields: [],
      processTerm,
      searchOptions: {
        boost: { title: 3, brand: 2, category: 1.5, color: 1.5 },
        // "sneak" finds sneakers: prefixes for the last word only, as someone still typing it.
        prefix: (term, i, terms) => i === terms.length - 1 && term.length >= 3,
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
    }));
    await index.addAllAsync(documents, { chunkSize });
    return new ProductSearch(version, index, byId, await catalogWords(documents, chunkSize));
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
    const words = [...new Set(queryWords(query))].map((word) => this.corrected(word));
    if (words.length === 0) return this.browse(filters, limit);
    // Scoring costs time per matching product, so a word shared by thousands of products is not
    // scored: it filters the matches of the rarer words (or, alone, is browsed like a filter).
    const common = words.filter((word) => this.words.common.has(word));
    const rare = words.filter((word) => !this.words.common.has(word));
    if (rare.length === 0) return this.browseWords(common, filters, limit);
    const hasCommon = (id: string) => common.every((word) => this.words.common.get(word)!.has(id));
    const filter = (result: SearchResult) =>
      hasCommon(result.id as string) && matchesFilters(this.products.get(result.id as string)!, filters);
    const rareQuery = rare.join(' ');
    // Cheapest and most precise first: every word, as written (the last may be a prefix); typo
    // tolerance only when that finds nothing (fuzzy expansion is the costly part of a search).
    let results = this.index.search(rareQuery, { filter, combineWith: 'AND', fuzzy: false });
    if (results.length === 0) results = this.index.search(rareQuery, { filter, combineWith: 'AND' });
    // Still nothing: keep the common words the person surely meant, or else any word at all.
    if (results.length === 0 && common.length > 0) return this.browseWords(common, filters, limit);
    if (results.length === 0) {
      const anyWord = (result: SearchResult) => matchesFilters(this.products.get(result.id as string)!, filters);
      results = this.index.search(rareQuery, { filter: anyWord, combineWith: 'OR' });
    }
    return results.slice(0, limit).map((result) => ({
      product: this.products.get(result.id as string)!,
      score: result.score,
    }));
  }

  /** A word the catalog does not have, one or two typos away from a common word, is that word. */
  private corrected(word: string): string {
    if (word.length < 4 || this.words.known.has(word)) return word;
    const maxEdits = word.length >= 8 ? 2 : 1;
    let best: { word: string; edits: number } | undefined;
    for (const candidate of this.words.common.keys()) {
      const edits = editDistance(word, candidate, maxEdits);
      if (edits <= maxEdits && (!best || edits < best.edits)) best = { word: candidate, edits };
    }
    return best?.word ?? word;
  }

  /** Products having every one of these common words, from the shortest list of them. */
  private browseWords(words: string[], filters: ProductFilters, limit: number): ProductHit[] {
    const lists = words.map((word) => this.words.common.get(word)!).sort((a, b) => a.size - b.size);
    const hits: ProductHit[] = [];
    for (const id of lists[0]!) {
      if (!lists.every((list) => list.has(id))) continue;
      const product = this.products.get(id)!;
      if (!matchesFilters(product, filters)) continue;
      hits.push({ product, score: 0 });
      if (hits.length >= limit) break;
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
