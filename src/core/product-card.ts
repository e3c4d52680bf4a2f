import { translatorFor, type Translator } from '../i18n/translator';

/**
 * A product as the answer shows it: the platform-neutral content of one native card (a WhatsApp
 * product or CTA message, a Messenger or Instagram carousel element). Built only from catalog
 * search results, never from the model's words, so a card always names a product that exists,
 * at the price and stock the catalog has. Platform modules turn a list of these into their own
 * payloads, each checking its own limits.
 */
export interface ProductCard {
  /** the retailer id: what WhatsApp product messages name, and what "More like this" searches from */
  id: string;
  title: string;
  /** the price as the person should read it, e.g. "€79.90" */
  priceText: string;
  /** the regular price when the product is on sale below it, e.g. "€89.90" */
  regularPriceText: string | undefined;
  inStock: boolean;
  link: string;
  imageUrl: string;
  brand: string | undefined;
}

/** The cards of one answer, and where they come from. */
export interface ProductCards {
  cards: ProductCard[];
  /** the Commerce Manager catalog they belong to; undefined for a feed-only catalog */
  catalogId: string | undefined;
  /** what the cards answer, for the header of a WhatsApp product list, e.g. "Running shoes" */
  heading: string;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * `text` cut to at most `max` UTF-16 code units (never fewer than what Meta counts) on a grapheme
 * boundary, with an ellipsis when cut: an emoji or an accented letter is never torn apart.
 */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  let kept = '';
  for (const { segment } of graphemes.segment(text)) {
    if (kept.length + segment.length > max - 1) break;
    kept += segment;
  }
  return `${kept.trimEnd()}…`;
}

/** The postback a "More like this" button carries, naming the product to search from. */
const MORE_LIKE_THIS = 'shop:more-like:';

export function moreLikeThisPayload(productId: string): string {
  return `${MORE_LIKE_THIS}${productId}`;
}

/** The product id of a "More like this" tap, or undefined for any other payload. */
export function parseMoreLikeThisPayload(payload: string | undefined): string | undefined {
  return payload?.startsWith(MORE_LIKE_THIS) ? payload.slice(MORE_LIKE_THIS.length) || undefined : undefined;
}

/** "€79.90 (was €89.90)": the price line of a card, in the person's language. */
export function priceLine(card: ProductCard, t: Translator = translatorFor('en')): string {
  return card.regularPriceText
    ? t('card.was', { price: card.priceText, regular: card.regularPriceText })
    : card.priceText;
}
