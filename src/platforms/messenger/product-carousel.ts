import type { ProductCard } from '../../core/product-card';
import type { Translator } from '../../i18n/translator';
import { productCarouselBody } from '../pages/page-product-carousel';

/** Messenger shows an answer's products as a generic template carousel (see page-product-carousel.ts). */
export function messengerProductCarousel(
  recipientId: string,
  cards: ProductCard[],
  t?: Translator,
): Record<string, unknown> | null {
  return productCarouselBody(recipientId, cards, t);
}
