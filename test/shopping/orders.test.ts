import { parseWhatsAppWebhook } from '../../src/platforms/whatsapp/webhook';
import { summariseOrder } from '../../src/shopping/order-summary';
import { whatsAppDelivery } from '../helpers/payloads';
import { firstOf } from '../helpers/present';

/**
 * WhatsApp orders and product questions as the webhook delivers them (src/platforms/whatsapp/NOTES.md,
 * "Product and citation messages"):
 * `type: "order"` with its items read into the message, a broken cart refused whole rather than
 * summarised with a wrong total, `context.referred_product` kept; and the order's summary when
 * the business has no checkout link.
 */
const from = '4915100000010';
const orderMessage = (items: unknown[]) => ({
  from,
  id: 'wamid.ORDER',
  timestamp: '1790000000',
  type: 'order',
  order: { catalog_id: '123456789', text: 'gift', product_items: items },
});

describe('WhatsApp orders', () => {
  it('are read with catalog, items, quantities and prices', () => {
    const message = firstOf(
      parseWhatsAppWebhook(
        whatsAppDelivery([
          orderMessage([{ product_retailer_id: 'SKU-1', quantity: 2, item_price: 12.5, currency: 'EUR' }]),
        ]),
      ),
    );
    expect(message.order).toEqual({
      catalogId: '123456789',
      text: 'gift',
      items: [{ productRetailerId: 'SKU-1', quantity: 2, itemPrice: 12.5, currency: 'EUR' }],
    });
    expect(message.unsupported).toBeUndefined();
  });

  it('with a line that cannot be read are answered as unreadable, not summarised with a wrong total', () => {
    const skipped: string[] = [];
    const message = firstOf(
      parseWhatsAppWebhook(
        whatsAppDelivery([orderMessage([{ product_retailer_id: 'SKU-1', quantity: 2, item_price: 12.5 }])]),
        (s) => skipped.push(s.element),
      ),
    );
    expect(message.order).toBeUndefined();
    expect(message.unsupported).toBe('order');
  });

  it('keep a referred product on the text that came with it', () => {
    const message = firstOf(
      parseWhatsAppWebhook(
        whatsAppDelivery([
          {
            from,
            id: 'wamid.Q',
            timestamp: '1790000000',
            type: 'text',
            text: { body: 'Do you have it in blue?' },
            context: {
              from: '15550783881',
              id: 'wamid.P',
              referred_product: { catalog_id: '1', product_retailer_id: 'SKU-9' },
            },
          },
        ]),
      ),
    );
    expect(message.referredProduct).toEqual({ catalogId: '1', productRetailerId: 'SKU-9' });
  });

  it('are summarised with a total per currency and a person to follow up without a checkout link', () => {
    const summary = summariseOrder(
      {
        items: [
          { productRetailerId: 'SKU-1', quantity: 3, itemPrice: 1.1, currency: 'EUR' },
          { productRetailerId: 'SKU-2', quantity: 1, itemPrice: 5, currency: 'USD' },
        ],
      },
      undefined,
    );
    expect(summary.text).toContain('4 items');
    expect(summary.text).toContain('• 3 × SKU-1 (€1.10 each)');
    expect(summary.text).toContain('Total: €3.30 + $5.00');
    expect(summary.text).toMatch(/A person from the business will follow up/);
    expect(summary.historyText).toMatch(/^\[sent an order\]/);
  });
});
