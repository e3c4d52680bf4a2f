import type { ProductCard } from '../../core/product-card';
import type { Translator } from '../../i18n/translator';
import { productCarouselBody } from '../pages/page-product-carousel';

/**
 * Instagram takes the same generic template as Messenger, with only `web_url` and `postback`
 * buttons (which is all the carousel uses). The apps render it; Instagram on desktop web does not,
 * so the answer's text must stand on its own.
 */
export function instagramProductCarousel(
  recipientId: string,
  cards: ProductCard[],
  t?: Translator,
): Record<string, unknown> | null {
  return productCarouselBody(recipientId, cards, t);
}
