import { cutText, moreLikeThisPayload, priceLine, type ProductCard } from '../../core/product-card';
import { translatorFor, type Translator } from '../../i18n/translator';

/**
 * The generic template carousel Messenger and Instagram show products in, as the `message` of a
 * Send API body: at most 10 elements, title and subtitle at most 80 characters, a square image,
 * tapping the card opens the product, and two buttons (of the 3 allowed): "View" (`web_url`) and
 * "More like this" (a postback the next turn turns into a search from that product).
 */

export const CAROUSEL_LIMITS = {
  elements: 10,
  titleChars: 80,
  subtitleChars: 80,
  buttons: 3,
  buttonTitleChars: 20,
  payloadChars: 1000,
} as const;

function subtitle(card: ProductCard, t: Translator): string {
  const parts = [priceLine(card, t), card.inStock ? undefined : t('card.outOfStock'), card.brand];
  return cutText(parts.filter(Boolean).join(' · '), CAROUSEL_LIMITS.subtitleChars);
}

function element(card: ProductCard, t: Translator): Record<string, unknown> {
  const button = (title: string) => cutText(title, CAROUSEL_LIMITS.buttonTitleChars);
  return {
    title: cutText(card.title, CAROUSEL_LIMITS.titleChars),
    subtitle: subtitle(card, t),
    image_url: card.imageUrl,
    default_action: { type: 'web_url', url: card.link },
    buttons: [
      { type: 'web_url', url: card.link, title: button(t('card.view')) },
      {
        type: 'postback',
        title: button(t('card.moreLikeThis')),
        payload: moreLikeThisPayload(card.id).slice(0, CAROUSEL_LIMITS.payloadChars),
      },
    ].slice(0, CAROUSEL_LIMITS.buttons),
  };
}

/** The `message` of a Send API body, its buttons titled in `t`'s language; null when there is nothing to show. */
export function productCarouselMessage(
  cards: ProductCard[],
  t: Translator = translatorFor('en'),
): Record<string, unknown> | null {
  if (cards.length === 0) return null;
  return {
    attachment: {
      type: 'template',
      payload: {
        template_type: 'generic',
        image_aspect_ratio: 'square',
        elements: cards.slice(0, CAROUSEL_LIMITS.elements).map((card) => element(card, t)),
      },
    },
  };
}

/** A whole Send API body for `POST /{version}/me/messages` (or `/{page-or-ig-id}/messages`). */
export function productCarouselBody(
  recipientId: string,
  cards: ProductCard[],
  t?: Translator,
): Record<string, unknown> | null {
  const message = productCarouselMessage(cards, t);
  return message ? { recipient: { id: recipientId }, messaging_type: 'RESPONSE', message } : null;
}
