import { currentPrice, type Product } from '../catalog/product';
import type { ProductFilters, ProductSearch } from '../catalog/product-search';
import type { RememberedFact } from '../core/remembered-fact';
import { RememberedWishes, type Wish } from './remembered-wishes';

/**
 * A catalog search that honours what the person asked to be remembered, and the verdict on an
 * answer's products. A search first keeps only products that honour every remembered wish that
 * applies to them; when none does, it returns the closest products instead (fewest wishes broken,
 * then the smallest step over the budget) and says which wishes they miss, so the answer can say
 * "nothing under €50; the closest is …" rather than claim a budget it ignored.
 */

export interface HonouredSearch {
  products: Product[];
  /** wishes the products found miss: nothing honouring them matched the search */
  unmet: Wish[];
}

/** How far a product is from honouring the wishes: wishes broken, then money over the budget. */
function distance(product: Product, wishes: RememberedWishes): [number, number] {
  const broken = wishes.broken(product);
  const over = broken.reduce(
    (sum, wish) => sum + (wish.kind === 'budget' ? currentPrice(product).amount - wish.max! : 0),
    0,
  );
  return [broken.length, over];
}

export function searchHonouring(
  search: ProductSearch,
  query: string,
  filters: ProductFilters,
  limit: number,
  wishes: RememberedWishes,
): HonouredSearch {
  const products = (f: ProductFilters, n: number) => search.search(query, f, n).map((hit) => hit.product);
  if (wishes.size === 0) return { products: products(filters, limit), unmet: [] };
  const honouring = (product: Product) => wishes.passes(product) && (!filters.where || filters.where(product));
  const found = products({ ...filters, where: honouring }, limit);
  if (found.length > 0) return { products: found, unmet: [] };
  const ranked = products(filters, Math.max(limit * 4, 20))
    .map((product) => ({ product, distance: distance(product, wishes) }))
    .sort((a, b) => a.distance[0] - b.distance[0] || a.distance[1] - b.distance[1])
    .slice(0, limit)
    .map(({ product }) => product);
  const unmet = wishes.wishes.filter((wish) => ranked.some((product) => wishes.broken(product).includes(wish)));
  return { products: ranked, unmet };
}

export interface UnmetWish {
  wish: Wish;
  /** the shown product nearest to honouring it (for a budget, the cheapest) */
  closest: Product;
}

/** Which remembered facts an answer's products honour, and which they cannot. */
export interface WishVerdict {
  /** facts every shown product they apply to honours (and that apply to at least one) */
  honoured: RememberedFact[];
  unmet: UnmetWish[];
}

export function verdictOn(shown: Product[], wishes: RememberedWishes): WishVerdict {
  const verdict: WishVerdict = { honoured: [], unmet: [] };
  const facts = [...new Set(wishes.wishes.map((wish) => wish.fact))];
  for (const fact of facts) {
    let applied = false;
    let kept = true;
    for (const wish of wishes.wishes.filter((w) => w.fact === fact)) {
      const concerned = shown.filter((product) => wishes.applies(wish, product));
      const breaking = concerned.filter((product) => !RememberedWishes.holds(wish, product));
      applied ||= concerned.length > 0;
      if (breaking.length === 0) continue;
      kept = false;
      const byPrice = [...breaking].sort((a, b) => currentPrice(a).amount - currentPrice(b).amount);
      verdict.unmet.push({ wish, closest: wish.kind === 'budget' ? byPrice[0]! : breaking[0]! });
    }
    if (applied && kept) verdict.honoured.push(fact);
  }
  return verdict;
}
