import { loadConfig } from '../../config';
import type { ProductCard, ProductCards } from '../../src/core/product-card';
import { createPlatformRegistry } from '../../src/platforms/registry';
import { testEnv } from '../helpers/system';
import type { CardBody } from '../helpers/replies';
import { defined, firstOf } from '../helpers/present';

/**
 * The cards each adapter turns an answer into (what record stores as reply parts), checked
 * against Meta's limits: a WhatsApp product list (≤ 30 products, header ≤ 60, body ≤ 1024) or
 * single product with a Commerce Manager catalog, ≤ 3 CTA messages without one, and one
 * Messenger/Instagram carousel of ≤ 10 elements with titles and subtitles ≤ 80.
 */
const adapters = createPlatformRegistry(loadConfig(testEnv()));
const to = { channelId: '106540352242922', userId: '4915100000009' };
const long = 'Très-long 👩‍👩‍👧 title '.repeat(20);

const card = (n: number): ProductCard => ({
  id: `SKU-${n}`,
  title: `${long}${n}`,
  priceText: '€19.90',
  regularPriceText: '€29.90',
  inStock: n % 2 === 0,
  link: `https://shop.example/p/${n}`,
  imageUrl: `https://shop.example/i/${n}.jpg`,
  brand: 'Brand',
});
const cards = (count: number, catalogId?: string): ProductCards => ({
  cards: Array.from({ length: count }, (_, n) => card(n)),
  catalogId,
  heading: long,
});
const messages = (platform: 'whatsapp' | 'messenger' | 'instagram', answer: ProductCards) =>
  defined(adapters.get(platform)?.productMessages)(to, answer, 'Tap a product to see it in the shop.') as CardBody[];

describe('product cards through the adapters', () => {
  it('WhatsApp with a catalog: one product list within its limits, or a single product', () => {
    const [list, ...rest] = messages('whatsapp', cards(40, '123456789'));
    expect(rest).toEqual([]);
    const interactive = defined(list!.interactive);
    expect(interactive.type).toBe('product_list');
    expect(defined(interactive.header?.text).length).toBeLessThanOrEqual(60);
    expect(defined(interactive.body?.text).length).toBeLessThanOrEqual(1024);
    const sections = defined(interactive.action?.sections);
    expect(sections.length).toBeGreaterThanOrEqual(1);
    expect(sections.length).toBeLessThanOrEqual(10);
    for (const section of sections) expect(section.title.length).toBeLessThanOrEqual(24);
    expect(sections.flatMap((s) => s.product_items)).toHaveLength(30);
    expect(defined(interactive.action).catalog_id).toBe('123456789');

    const single = firstOf(messages('whatsapp', cards(1, '123456789')));
    expect(single.interactive).toMatchObject({ type: 'product', action: { product_retailer_id: 'SKU-0' } });
  });

  it('WhatsApp with a feed only: at most three CTA messages with a View button', () => {
    const ctas = messages('whatsapp', cards(7));
    expect(ctas).toHaveLength(3);
    for (const cta of ctas) {
      expect(defined(cta.interactive).type).toBe('cta_url');
      expect(defined(cta.interactive?.body?.text).length).toBeLessThanOrEqual(1024);
      expect(defined(cta.interactive?.footer?.text).length).toBeLessThanOrEqual(60);
      expect(defined(cta.interactive?.action?.parameters).display_text).toBe('View');
      expect(cta.to).toBe(to.userId);
    }
  });

  it.each(['messenger', 'instagram'] as const)('%s: one carousel of at most ten elements', (platform) => {
    const [carousel, ...rest] = messages(platform, cards(14));
    expect(rest).toEqual([]);
    expect(defined(carousel!.recipient).id).toBe(to.userId);
    const elements = defined(carousel!.message?.attachment?.payload?.elements);
    expect(elements).toHaveLength(10);
    for (const element of elements) {
      expect(element.title.length).toBeLessThanOrEqual(80);
      expect(element.subtitle.length).toBeLessThanOrEqual(80);
      expect(element.buttons.map((b) => b.title)).toEqual(['View', 'More like this']);
    }
    expect(messages(platform, cards(0))).toEqual([]);
  });
});
