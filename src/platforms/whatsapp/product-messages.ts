import { cutText, priceLine, type ProductCard, type ProductCards } from '../../core/product-card';
import { translatorFor, type Translator } from '../../i18n/translator';

/**
 * WhatsApp's native product messages, as Send API bodies for `POST /{phone_number_id}/messages`,
 * every limit checked here before anything is sent:
 *
 * - with a Commerce Manager catalog: one product → `interactive.type: "product"` (body, footer, no
 *   header); several → `product_list` (text header ≤ 60, body ≤ 1024, 1–10 sections titled ≤ 24,
 *   at most 30 products in all);
 * - with a feed only (nothing WhatsApp can look up): up to three `cta_url` messages, each with the
 *   product image as header, title and price in the body and a "View" button to the product page.
 */

export const WHATSAPP_PRODUCT_LIMITS = {
  headerChars: 60,
  bodyChars: 1024,
  footerChars: 60,
  sectionTitleChars: 24,
  sections: 10,
  productsInList: 30,
  ctaMessages: 3,
  ctaDisplayTextChars: 20,
} as const;

type WhatsAppBody = Record<string, unknown>;

const envelope = (to: string, interactive: Record<string, unknown>): WhatsAppBody => ({
  messaging_product: 'whatsapp',
  recipient_type: 'individual',
  to,
  type: 'interactive',
  interactive,
});

export function whatsAppSingleProduct(to: string, catalogId: string, card: ProductCard, body: string): WhatsAppBody {
  return envelope(to, {
    type: 'product',
    body: { text: cutText(body, WHATSAPP_PRODUCT_LIMITS.bodyChars) },
    action: { catalog_id: catalogId, product_retailer_id: card.id },
  });
}

export interface ProductSection {
  title: string;
  cards: ProductCard[];
}

export function whatsAppProductList(
  to: string,
  catalogId: string,
  heading: string,
  body: string,
  sections: ProductSection[],
): WhatsAppBody | null {
  const limits = WHATSAPP_PRODUCT_LIMITS;
  let room: number = limits.productsInList;
  const kept: Array<{ title: string; product_items: Array<{ product_retailer_id: string }> }> = [];
  for (const section of sections.slice(0, limits.sections)) {
    const seen = new Set<string>();
    const items = section.cards
      .filter((card) => !seen.has(card.id) && seen.add(card.id))
      .slice(0, room)
      .map((card) => ({ product_retailer_id: card.id }));
    if (items.length === 0) continue;
    room -= items.length;
    kept.push({ title: cutText(section.title, limits.sectionTitleChars), product_items: items });
  }
  if (kept.length === 0) return null;
  return envelope(to, {
    type: 'product_list',
    header: { type: 'text', text: cutText(heading, limits.headerChars) },
    body: { text: cutText(body, limits.bodyChars) },
    action: { catalog_id: catalogId, sections: kept },
  });
}

/** One CTA message per product (at most three): image, title and price, a "View" button. */
export function whatsAppProductLinks(
  to: string,
  cards: ProductCard[],
  t: Translator = translatorFor('en'),
): WhatsAppBody[] {
  const limits = WHATSAPP_PRODUCT_LIMITS;
  return cards.slice(0, limits.ctaMessages).map((card) => {
    const stock = card.inStock ? '' : `\n${t('card.outOfStockLine')}`;
    const priceAndStock = `\n${priceLine(card, t)}${stock}`;
    const title = cutText(card.title, limits.bodyChars - priceAndStock.length);
    return envelope(to, {
      type: 'cta_url',
      header: { type: 'image', image: { link: card.imageUrl } },
      body: { text: `${title}${priceAndStock}` },
      ...(card.brand ? { footer: { text: cutText(card.brand, limits.footerChars) } } : {}),
      action: {
        name: 'cta_url',
        parameters: { display_text: cutText(t('card.view'), limits.ctaDisplayTextChars), url: card.link },
      },
    });
  });
}

/**
 * The messages that show an answer's cards on WhatsApp: native product messages when the cards
 * belong to a Commerce Manager catalog, CTA messages otherwise. `body` is the short line above
 * a product list (the answer's text itself goes out as a text message); `t` titles the buttons.
 */
export function whatsAppProductMessages(
  to: string,
  cards: ProductCards,
  body: string,
  t: Translator = translatorFor('en'),
): WhatsAppBody[] {
  if (cards.cards.length === 0) return [];
  if (!cards.catalogId) return whatsAppProductLinks(to, cards.cards, t);
  if (cards.cards.length === 1) return [whatsAppSingleProduct(to, cards.catalogId, cards.cards[0]!, body)];
  const list = whatsAppProductList(to, cards.catalogId, cards.heading, body, [
    { title: cards.heading, cards: cards.cards },
  ]);
  return list ? [list] : [];
}
