import type { Product } from '../../src/catalog/product';
import { cutText, parseMoreLikeThisPayload, type ProductCard } from '../../src/core/product-card';
import { createGraphClient } from '../../src/platforms/graph-client';
import { instagramProductCarousel } from '../../src/platforms/instagram/product-carousel';
import { messengerProductCarousel } from '../../src/platforms/messenger/product-carousel';
import { CAROUSEL_LIMITS } from '../../src/platforms/pages/page-product-carousel';
import {
  WHATSAPP_PRODUCT_LIMITS,
  whatsAppProductList,
  whatsAppProductMessages,
} from '../../src/platforms/whatsapp/product-messages';
import { productCard } from '../../src/shopping/product-cards';
import { FakeGraph } from '../helpers/fake-graph';
import { defined, firstOf, only } from '../helpers/present';

/**
 * Product cards on each platform, built from catalog products and checked against Meta's limits:
 * WhatsApp product / product_list (catalog) and cta_url (feed only), the Messenger and Instagram
 * generic template carousel. Texts are cut on grapheme boundaries, never inside an emoji.
 */

interface CarouselElement {
  title: string;
  subtitle: string;
  buttons: Array<{ title: string; payload?: string }>;
}

const graphemes = (text: string) =>
  [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)].map((s) => s.segment);
const family = '👨‍👩‍👧‍👦';

const product = (n: number, fields: Partial<Product> = {}): Product => ({
  id: `sku-${n}`,
  title: `Product ${n}`,
  description: '',
  availability: 'in stock',
  condition: 'new',
  price: { amount: 20 + n, currency: 'EUR' },
  link: `https://shop.example/p/${n}`,
  imageLink: `https://shop.example/i/${n}.jpg`,
  additionalImageLinks: [],
  brand: 'Acme',
  ...fields,
});
const cards = (count: number) => Array.from({ length: count }, (_, i) => productCard(product(i)));
const longTitle = `${'Très bon '.repeat(8)}${family}${family} end`;

describe('product cards', () => {
  it('turns a catalog product into a card with its current and regular price', () => {
    const card = productCard(product(1, { salePrice: { amount: 15, currency: 'EUR' }, availability: 'out of stock' }));
    expect(card).toEqual({
      id: 'sku-1',
      title: 'Product 1',
      priceText: '€15.00',
      regularPriceText: '€21.00',
      inStock: false,
      link: 'https://shop.example/p/1',
      imageUrl: 'https://shop.example/i/1.jpg',
      brand: 'Acme',
    });
  });

  it('cuts text on grapheme boundaries, within the limit', () => {
    const cut = cutText(`${'a'.repeat(75)}${family}${family}`, 80);
    expect(cut.length).toBeLessThanOrEqual(80);
    expect(cut.endsWith('…')).toBe(true);
    for (const g of graphemes(cut)) expect(['a', '…', family]).toContain(g);
    expect(cutText('short', 80)).toBe('short');
  });

  it('WhatsApp with a catalog: one product message, or a product list within every limit', () => {
    const [single] = whatsAppProductMessages(
      '16505550100',
      { cards: cards(1), catalogId: '77', heading: 'Mugs' },
      'One for you',
    );
    expect(single).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '16505550100',
      type: 'interactive',
      interactive: {
        type: 'product',
        body: { text: 'One for you' },
        action: { catalog_id: '77', product_retailer_id: 'sku-0' },
      },
    });

    const sections = Array.from({ length: 12 }, (_, s) => ({ title: `Section ${s} ${longTitle}`, cards: cards(4) }));
    const list = defined(
      whatsAppProductList('1650', '77', `Heading ${longTitle}`, `${'x'.repeat(1020)}${family}`, sections),
    );
    const interactive = list.interactive as {
      header: { text: string };
      body: { text: string };
      action: { sections: Array<{ title: string; product_items: unknown[] }> };
    };
    expect(interactive.header.text.length).toBeLessThanOrEqual(WHATSAPP_PRODUCT_LIMITS.headerChars);
    expect(interactive.body.text.length).toBeLessThanOrEqual(WHATSAPP_PRODUCT_LIMITS.bodyChars);
    expect(interactive.body.text).not.toContain('\uD83D\u200D'); // no half emoji
    expect(interactive.action.sections.length).toBeLessThanOrEqual(10);
    const total = interactive.action.sections.reduce((sum, s) => sum + s.product_items.length, 0);
    expect(total).toBe(30);
    for (const s of interactive.action.sections) expect(s.title.length).toBeLessThanOrEqual(24);

    const many = whatsAppProductMessages('1650', { cards: cards(40), catalogId: '77', heading: 'Shoes' }, 'Here');
    expect(many).toHaveLength(1);
    expect((only(many).interactive as { type: string }).type).toBe('product_list');
  });

  it('WhatsApp with a feed only: at most three cta_url messages with image, title, price and View', () => {
    const feedCards = cards(5);
    feedCards[0] = { ...firstOf(feedCards), title: 'x'.repeat(2000), regularPriceText: '€30.00' };
    const messages = whatsAppProductMessages(
      '1650',
      { cards: feedCards, catalogId: undefined, heading: 'Shoes' },
      'Here',
    );
    expect(messages).toHaveLength(3);
    for (const message of messages) {
      const interactive = message.interactive as {
        type: string;
        header: { type: string; image: { link: string } };
        body: { text: string };
        action: { name: string; parameters: { display_text: string; url: string } };
      };
      expect(interactive.type).toBe('cta_url');
      expect(interactive.header.type).toBe('image');
      expect(interactive.body.text.length).toBeLessThanOrEqual(1024);
      expect(interactive.action).toMatchObject({ name: 'cta_url', parameters: { display_text: 'View' } });
    }
    const first = firstOf(messages).interactive as { body: { text: string } };
    expect(first.body.text.endsWith('\n€20.00 (was €30.00)')).toBe(true);
    expect(defined(messages[1]).interactive).toMatchObject({
      header: { image: { link: 'https://shop.example/i/1.jpg' } },
      body: { text: 'Product 1\n€21.00' },
      action: { parameters: { url: 'https://shop.example/p/1' } },
    });
  });

  it('Messenger and Instagram: a generic template carousel of at most 10 cards within every limit', () => {
    const many: ProductCard[] = cards(14);
    many[0] = { ...firstOf(many), title: longTitle, brand: `Brand ${longTitle}`, inStock: false };
    for (const build of [messengerProductCarousel, instagramProductCarousel]) {
      const body = defined(build('PSID-1', many));
      expect(body).toMatchObject({ recipient: { id: 'PSID-1' }, messaging_type: 'RESPONSE' });
      const payload = (
        body.message as {
          attachment: { type: string; payload: { template_type: string; elements: CarouselElement[] } };
        }
      ).attachment;
      expect(payload.type).toBe('template');
      expect(payload.payload.template_type).toBe('generic');
      const elements = payload.payload.elements;
      expect(elements).toHaveLength(CAROUSEL_LIMITS.elements);
      for (const element of elements) {
        expect(element.title.length).toBeLessThanOrEqual(80);
        expect(element.subtitle.length).toBeLessThanOrEqual(80);
        expect(element.buttons).toHaveLength(2);
        for (const b of element.buttons) expect(b.title.length).toBeLessThanOrEqual(20);
      }
      expect(firstOf(elements).subtitle).toMatch(/^€20\.00 · out of stock · Brand/);
      expect(elements[1]).toEqual({
        title: 'Product 1',
        subtitle: '€21.00 · Acme',
        image_url: 'https://shop.example/i/1.jpg',
        default_action: { type: 'web_url', url: 'https://shop.example/p/1' },
        buttons: [
          { type: 'web_url', url: 'https://shop.example/p/1', title: 'View' },
          { type: 'postback', title: 'More like this', payload: 'shop:more-like:sku-1' },
        ],
      });
      expect(parseMoreLikeThisPayload(defined(elements[1]?.buttons[1]).payload)).toBe('sku-1');
    }
    expect(messengerProductCarousel('PSID-1', [])).toBeNull();
  });

  it('are accepted as Send API calls by the Graph stand-in, exactly as built', async () => {
    const graph = await new FakeGraph().start();
    try {
      const client = createGraphClient({ baseUrl: graph.url, version: 'v25.0', accessToken: 't', timeoutMs: 5000 });
      const wa = whatsAppProductMessages('1650', { cards: cards(3), catalogId: '77', heading: 'Mugs' }, 'Three mugs');
      await client.post('/106540352242922/messages', wa[0]);
      await client.post('/me/messages', messengerProductCarousel('PSID-1', cards(2)));
      expect(graph.requests.map((r) => [r.path, r.answeredWith])).toEqual([
        ['/v25.0/106540352242922/messages', 200],
        ['/v25.0/me/messages', 200],
      ]);
      expect(firstOf(graph.requests).body).toEqual(wa[0]);
    } finally {
      await graph.stop();
    }
  });
});
