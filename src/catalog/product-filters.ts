import { currentPrice, isInStock, type Product } from './product';

/**
 * The filters a catalog search takes (all optional, all must hold): the fields the model's
 * search tool names, and `where`, a further test every result passes (the person's remembered
 * budget, sizes, brands and colours, src/shopping/remembered-wishes.ts).
 */
export interface ProductFilters {
  minPrice?: number;
  maxPrice?: number;
  brand?: string;
  category?: string;
  color?: string;
  size?: string;
  inStock?: boolean;
  where?: (product: Product) => boolean;
}

const lower = (value: string | undefined) => value?.toLowerCase() ?? '';

/** "Navy blue" matches the colour filter "blue"; "M/L" matches the size "m". */
export function hasWord(value: string | undefined, wanted: string): boolean {
  const text = lower(value);
  const target = wanted.toLowerCase().trim();
  // The substring test rules most products out before the costlier split (filters run per match).
  if (!text.includes(target)) return false;
  return text === target || valueWords(text).includes(target);
}

/** The words of a colour or size ("navy blue", "M/L", "10.5"), lower case. */
export function valueWords(value: string | undefined): string[] {
  return lower(value)
    .split(/[^\p{L}\p{N}.]+/u)
    .filter((word) => word !== '');
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
  return !filters.where || filters.where(product);
}
