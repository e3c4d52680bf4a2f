import { cutText, moreLikeThisPayload, priceLine, type ProductCard } from '../core/product-card';
import type { GraphClient } from './graph-client';

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

function subtitle(card: ProductCard): string {
  const parts = [priceLine(card), card.inStock ? undefined : 'out of stock', card.brand];
  return cutText(parts.filter(Boolean).join(' · '), CAROUSEL_LIMITS.subtitleChars);
}

function element(card: ProductCard): Record<string, unknown> {
  const button = (title: string) => cutText(title, CAROUSEL_LIMITS.buttonTitleChars);
  return {
    title: cutText(card.title, CAROUSEL_LIMITS.titleChars),
    subtitle: subtitle(card),
    image_url: card.imageUrl,
    default_action: { type: 'web_url', url: card.link },
    buttons: [
      { type: 'web_url', url: card.link, title: button('View') },
      {
        type: 'postback',
        title: button('More like this'),
        payload: moreLikeThisPayload(card.id).slice(0, CAROUSEL_LIMITS.payloadChars),
      },
    ].slice(0, CAROUSEL_LIMITS.buttons),
  };
}

/** The `message` of a Send API body; null when there is nothing to show. */
export function productCarouselMessage(cards: ProductCard[]): Record<string, unknown> | null {
  if (cards.length === 0) return null;
  return {
    attachment: {
      type: 'template',
      payload: {
        template_type: 'generic',
        image_aspect_ratio: 'square',
        elements: cards.slice(0, CAROUSEL_LIMITS.elements).map(element),
      },
    },
  };
}

/** A whole Send API body for `POST /{version}/me/messages` (or `/{page-or-ig-id}/messages`). */
export function productCarouselBody(recipientId: string, cards: ProductCard[]): Record<string, unknown> | null {
  const message = productCarouselMessage(cards);
  return message ? { recipient: { id: recipientId }, messaging_type: 'RESPONSE', message } : null;
}

/** Posts a carousel body as built (its recipient is in it) to the Send API. */
export async function sendPageBody(
  graph: GraphClient,
  body: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<{ messageId: string | undefined }> {
  const response = (await graph.post('/me/messages', body, signal)) as { message_id?: string };
  return { messageId: response?.message_id };
}
