import { formatMoney } from '../catalog/product';
import type { ProductSearch } from '../catalog/product-search';
import type { Order } from '../core/inbound';
import { translatorFor, type Translator } from '../i18n/translator';

/**
 * What the person is told when they send a WhatsApp cart: each line, the total (per currency,
 * should a cart mix them) and the next step: the checkout link with the cart in it when the
 * business has one (ORDER_CHECKOUT_URL), else that a person will follow up. The summary and the
 * order are kept in the conversation's history, so a later question about it has its context.
 */

export interface OrderSummary {
  /** what the person receives */
  text: string;
  /** the order as the history keeps it (the person's side of the exchange) */
  historyText: string;
}

/** `cart=SKU-1:2,SKU-2:1`: what a checkout page needs to rebuild the cart. */
export function checkoutLink(checkoutUrl: string, order: Order): string {
  const url = new URL(checkoutUrl);
  url.searchParams.set('cart', order.items.map((item) => `${item.productRetailerId}:${item.quantity}`).join(','));
  if (order.catalogId) url.searchParams.set('catalog_id', order.catalogId);
  return url.toString();
}

function totals(order: Order, locale: string): string {
  const byCurrency = new Map<string, number>();
  for (const item of order.items) {
    byCurrency.set(item.currency, (byCurrency.get(item.currency) ?? 0) + item.itemPrice * item.quantity);
  }
  return [...byCurrency]
    .map(([currency, amount]) => formatMoney({ amount: Math.round(amount * 100) / 100, currency }, locale))
    .join(' + ');
}

/** The summary in `t`'s language (English when not given), prices formatted for it. */
export function summariseOrder(
  order: Order,
  checkoutUrl: string | undefined,
  search?: ProductSearch,
  t: Translator = translatorFor('en'),
): OrderSummary {
  const lines = order.items.map((item) => {
    const title = search?.get(item.productRetailerId)?.title ?? item.productRetailerId;
    const price = formatMoney({ amount: item.itemPrice, currency: item.currency }, t.language);
    return t('order.line', { quantity: item.quantity, title, price });
  });
  const next = checkoutUrl ? t('order.checkout', { link: checkoutLink(checkoutUrl, order) }) : t('order.followUp');
  const count = order.items.reduce((sum, item) => sum + item.quantity, 0);
  const text = [
    t('order.thanks', { count }),
    ...lines,
    t('order.total', { total: totals(order, t.language) }),
    '',
    next,
  ].join('\n');
  const historyText = [`[sent an order] ${order.text ?? ''}`.trim(), ...lines].join('\n');
  return { text, historyText };
}
