import { z } from 'zod';
import type { InboundMessage } from '../../core/inbound';
import { tolerant } from '../webhook-reading';

/**
 * An inbound WhatsApp order: the cart a person sends from the business's catalog,
 * `order: { catalog_id, text, product_items: [{ product_retailer_id, quantity, item_price, currency }] }`.
 * A cart with a line that cannot be read is refused whole (and answered as unreadable): a partial
 * cart summarised back would state a wrong total.
 */

// Prices arrive as numbers (`item_price: 79.9`); some senders write them as strings.
const amount = z.union([
  z.number(),
  z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?$/)
    .transform(Number),
]);
export const waOrder = z.looseObject({
  catalog_id: tolerant(z.string()),
  text: tolerant(z.string()),
  product_items: z
    .array(
      z.looseObject({
        product_retailer_id: z.string().min(1),
        quantity: z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]).pipe(z.number().int().positive()),
        item_price: amount.pipe(z.number().nonnegative()),
        currency: z.string().min(1),
      }),
    )
    .min(1),
});

export function orderOf(order: z.infer<typeof waOrder>): InboundMessage['order'] {
  return {
    catalogId: order.catalog_id,
    text: order.text || undefined,
    items: order.product_items.map((item) => ({
      productRetailerId: item.product_retailer_id,
      quantity: item.quantity,
      itemPrice: item.item_price,
      currency: item.currency,
    })),
  };
}
