import { currentPrice, formatMoney, isInStock, type Product } from '../catalog/product';
import type { ProductCard } from '../core/product-card';

/** Catalog products → the platform-neutral cards the answer shows (src/core/product-card.ts). */
export function productCard(product: Product, locale = 'en'): ProductCard {
  const now = currentPrice(product);
  return {
    id: product.id,
    title: product.title,
    priceText: formatMoney(now, locale),
    regularPriceText: now === product.price ? undefined : formatMoney(product.price, locale),
    inStock: isInStock(product),
    link: product.link,
    imageUrl: product.imageLink,
    brand: product.brand,
  };
}
