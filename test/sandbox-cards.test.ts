import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { loadFeed } from '../src/catalog/feed-source';
import { readGraphCatalog } from '../src/catalog/graph-catalog';
import { currentPrice } from '../src/catalog/product';
import { createGraphClient } from '../src/platforms/graph-client';
import type { Product } from '../src/catalog/product';
import type { ProductCard } from '../src/core/product-card';
import { isValidSignature } from '../src/platforms/signature';
import { productCarouselBody } from '../src/platforms/pages/page-product-carousel';
import { whatsAppProductLinks, whatsAppProductMessages } from '../src/platforms/whatsapp/product-messages';
import { productCard } from '../src/shopping/product-cards';
import { citationButtonsBody } from '../src/platforms/pages/page-citations';
import { whatsAppCitationMessages } from '../src/platforms/whatsapp/citation-messages';
import type { Citation } from '../src/core/citation';
import { translatorFor } from '../src/i18n/translator';
import { demoEmulatorCatalog } from '../sandbox/catalog/demo-shop';
import { sandboxIds } from '../sandbox/emulator/ids';
import { MetaEmulator } from '../sandbox/emulator/meta-emulator';
import { defined, firstOf } from './helpers/present';

/**
 * The emulator's Send API for product messages: the bodies Threadline's card builders make are
 * accepted and drawn; bodies that break one of Meta's limits get the error Graph would answer and
 * draw nothing; a tapped "More like this" comes back as Meta's postback webhook.
 */

const tokens = { whatsapp: 'wa-token', messenger: 'page-token', instagram: 'ig-token' };
const APP_SECRET = 'cards-secret';
const wa = sandboxIds.whatsapp;

interface Received {
  body: string;
  signature: string | undefined;
}

describe('sandbox emulator: product messages', () => {
  let emulator: MetaEmulator;
  let hooks: http.Server;
  const received: Received[] = [];
  let products: Product[];
  let cards: ProductCard[];

  beforeAll(async () => {
    hooks = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({
          body: Buffer.concat(chunks).toString('utf8'),
          signature: req.headers['x-hub-signature-256'] as string,
        });
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
    emulator = await new MetaEmulator({
      appSecret: APP_SECRET,
      verifyToken: 'v',
      tokens,
      webhookBaseUrl: `http://127.0.0.1:${(hooks.address() as AddressInfo).port}`,
      readAfterMs: 50,
      retryDelaysMs: [0],
      catalog: demoEmulatorCatalog('http://127.0.0.1:3999'),
    }).start();
    products = (await loadFeed(path.join(__dirname, '../sandbox/catalog/demo-feed.csv'))).products;
    cards = products.slice(0, 12).map((p) => productCard(p));
  });
  afterAll(async () => {
    await emulator?.stop();
    hooks?.closeAllConnections();
    await new Promise((resolve) => hooks?.close(resolve));
  });

  const post = async (platform: keyof typeof tokens, body: unknown) => {
    const node = platform === 'whatsapp' ? wa.phoneNumberId : 'me';
    const response = await fetch(`${emulator.url}/v25.0/${node}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[platform]}` },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as { error?: { code: number; message: string } } };
  };
  const lastCard = (platform: keyof typeof tokens) => emulator.log.botItems(platform).at(-1)?.card;

  test('WhatsApp CTA messages from the feed-only builder are accepted and read back as the app shows them', async () => {
    const bodies = whatsAppProductLinks(wa.userWaId, cards.slice(0, 3));
    for (const [n, body] of bodies.entries()) {
      const answer = await post('whatsapp', body);
      expect(answer.status).toBe(200);
      expect(lastCard('whatsapp')).toMatchObject({
        type: 'cta_url',
        headerImageUrl: defined(cards[n]).imageUrl,
        button: { title: 'View', url: defined(cards[n]).link },
      });
      expect(lastCard('whatsapp')).toHaveProperty('body', expect.stringContaining(defined(cards[n]).title));
    }
  });

  test('WhatsApp single-product and product-list messages name catalog items, looked up as WhatsApp does', async () => {
    const [single] = whatsAppProductMessages(
      wa.userWaId,
      { cards: cards.slice(0, 1), catalogId: wa.catalogId, heading: 'Picks' },
      'One for you',
    );
    expect((await post('whatsapp', single)).status).toBe(200);
    expect(lastCard('whatsapp')).toMatchObject({
      type: 'product',
      body: 'One for you',
      product: { id: firstOf(cards).id, title: firstOf(cards).title },
    });
    const [list] = whatsAppProductMessages(
      wa.userWaId,
      { cards, catalogId: wa.catalogId, heading: 'Rain jackets' },
      'Twelve picks',
    );
    expect((await post('whatsapp', list)).status).toBe(200);
    const card = lastCard('whatsapp');
    expect(card).toMatchObject({ type: 'product_list', header: 'Rain jackets', body: 'Twelve picks' });
    expect(card?.type === 'product_list' && firstOf(card.sections).products.map((p) => p.id)).toEqual(
      cards.map((c) => c.id),
    );
  });

  test.each(['messenger', 'instagram'] as const)(
    'a %s generic template carousel is accepted and echoed',
    async (platform) => {
      const recipient = platform === 'messenger' ? sandboxIds.messenger.psid : sandboxIds.instagram.igsid;
      expect((await post(platform, productCarouselBody(recipient, cards.slice(0, 10)))).status).toBe(200);
      const card = lastCard(platform);
      expect(card?.type).toBe('carousel');
      if (card?.type !== 'carousel') return;
      expect(card.elements).toHaveLength(10);
      expect(card.elements[0]).toMatchObject({
        title: firstOf(cards).title,
        imageUrl: firstOf(cards).imageUrl,
        defaultUrl: firstOf(cards).link,
        buttons: [
          { type: 'web_url', title: 'View', url: firstOf(cards).link },
          { type: 'postback', title: 'More like this', payload: `shop:more-like:${firstOf(cards).id}` },
        ],
      });
      await emulator.drain();
      const echo = received.map((r) => r.body).find((b) => b.includes('"is_echo":true') && b.includes('"template"'));
      expect(echo).toBeDefined();
    },
  );

  // Bodies are built inside each test (thunks): the catalog loads in beforeAll.
  const ctaBody = (change: (interactive: Record<string, unknown>) => void) => () => {
    const body = firstOf(whatsAppProductLinks(wa.userWaId, cards.slice(0, 1)));
    change(body.interactive as Record<string, unknown>);
    return body;
  };
  const listBody =
    (sections: () => Array<{ title?: string; ids: string[] }>, header: unknown = { type: 'text', text: 'Picks' }) =>
    () => ({
      messaging_product: 'whatsapp',
      to: wa.userWaId,
      type: 'interactive',
      interactive: {
        type: 'product_list',
        header,
        body: { text: 'Some picks' },
        action: {
          catalog_id: wa.catalogId,
          sections: sections().map((s) => ({
            title: s.title,
            product_items: s.ids.map((id) => ({ product_retailer_id: id })),
          })),
        },
      },
    });
  const ids = (n: number) => products.slice(0, n).map((p) => p.id);

  test.each([
    [
      'a CTA body over 1024 characters',
      ctaBody((i) => (i.body = { text: 'x'.repeat(1025) })),
      100,
      /body\]\[text\] must be at most 1024/,
    ],
    [
      'a CTA button text over 20 characters',
      ctaBody(
        (i) =>
          ((i.action as { parameters: { display_text: string } }).parameters.display_text = 'View this product now!'),
      ),
      100,
      /display_text\] must be at most 20/,
    ],
    [
      'a CTA footer over 60 characters',
      ctaBody((i) => (i.footer = { text: 'f'.repeat(61) })),
      100,
      /footer\]\[text\] must be at most 60/,
    ],
    [
      'a CTA image header without a link',
      ctaBody((i) => (i.header = { type: 'image', image: {} })),
      100,
      /header\]\[image\]\[link\]/,
    ],
    [
      'a product list of 31 products',
      listBody(() => [
        { title: 'A', ids: ids(16) },
        { title: 'B', ids: ids(31).slice(16) },
      ]),
      100,
      /at most 30 products/,
    ],
    [
      'a product list of 11 sections',
      listBody(() => Array.from({ length: 11 }, (_, n) => ({ title: `S${n}`, ids: ids(1) }))),
      100,
      /1 to 10 sections/,
    ],
    [
      'a product list with an image header',
      listBody(() => [{ ids: ids(2) }], { type: 'image', image: { link: 'https://x.example/a.png' } }),
      100,
      /header\] of type text is required/,
    ],
    [
      'a section title over 24 characters',
      listBody(() => [
        { title: 'A much too long section title', ids: ids(1) },
        { title: 'B', ids: ids(1) },
      ]),
      100,
      /sections\[0\]\[title\] must be at most 24/,
    ],
    [
      'an untitled section among several',
      listBody(() => [{ ids: ids(1) }, { title: 'B', ids: ids(1) }]),
      100,
      /sections\[0\]\[title\] is required/,
    ],
    ['a product not in the catalog', listBody(() => [{ ids: ['NOPE-1'] }]), 131009, /product NOPE-1 is not in catalog/],
    [
      'a single product with a header',
      () => ({
        messaging_product: 'whatsapp',
        to: wa.userWaId,
        type: 'interactive',
        interactive: {
          type: 'product',
          header: { type: 'text', text: 'h' },
          action: { catalog_id: wa.catalogId, product_retailer_id: ids(1)[0] },
        },
      }),
      100,
      /header\] is not allowed/,
    ],
  ])('WhatsApp refuses %s as Graph does, and nothing is drawn', async (_what, body, code, message) => {
    const before = emulator.log.botItems('whatsapp').length;
    const answer = await post('whatsapp', body());
    expect(answer.status).toBe(400);
    expect(answer.body.error?.code).toBe(code);
    expect(answer.body.error?.message).toMatch(message);
    expect(answer.body.error?.message).toMatch(new RegExp(`^\\(#${code}\\) `));
    expect(emulator.log.botItems('whatsapp')).toHaveLength(before);
  });

  const carousel =
    (platform: 'messenger' | 'instagram', change: (elements: Array<Record<string, unknown>>) => void) => () => {
      const recipient = platform === 'messenger' ? sandboxIds.messenger.psid : sandboxIds.instagram.igsid;
      const body = defined(productCarouselBody(recipient, cards.slice(0, 10)));
      const payload = (body.message as { attachment: { payload: { elements: Array<Record<string, unknown>> } } })
        .attachment.payload;
      change(payload.elements);
      return body;
    };
  const button = (extra: Record<string, unknown>) => (e: Array<Record<string, unknown>>) =>
    (firstOf(e).buttons as unknown[]).push(extra);

  test.each([
    [
      'messenger',
      '11 elements',
      carousel('messenger', (e) => e.push({ ...firstOf(e) })),
      /elements\] must have 1 to 10/,
    ],
    [
      'messenger',
      'a title over 80 characters',
      carousel('messenger', (e) => (firstOf(e).title = 't'.repeat(81))),
      /\[elements\]\[0\]\[title\] must be at most 80/,
    ],
    [
      'instagram',
      'a subtitle over 80 characters',
      carousel('instagram', (e) => (defined(e[1]).subtitle = 's'.repeat(81))),
      /\[elements\]\[1\]\[subtitle\] must be at most 80/,
    ],
    [
      'messenger',
      'four buttons',
      carousel(
        'messenger',
        (e) => (firstOf(e).buttons = [1, 2, 3, 4].map(() => ({ type: 'postback', title: 'b', payload: 'p' }))),
      ),
      /buttons\] must have at most 3/,
    ],
    [
      'instagram',
      'a button title over 20 characters',
      carousel('instagram', (e) => (firstOf(firstOf(e).buttons as Array<{ title: string }>).title = 'b'.repeat(21))),
      /\[title\] must be at most 20/,
    ],
    [
      'messenger',
      'a postback payload over 1000 characters',
      carousel(
        'messenger',
        (e) => (defined((firstOf(e).buttons as Array<{ payload?: string }>)[1]).payload = 'p'.repeat(1001)),
      ),
      /\[payload\] must be at most 1000/,
    ],
    [
      'instagram',
      'a phone_number button',
      carousel('instagram', button({ type: 'phone_number', title: 'Call', payload: '+15550000000' })),
      /must be web_url or postback on Instagram/,
    ],
    [
      'messenger',
      'an empty title',
      carousel('messenger', (e) => (defined(e[2]).title = '')),
      /\[elements\]\[2\]\[title\] must be a non-empty/,
    ],
  ] as const)('%s refuses %s as Graph does', async (platform, _what, body, message) => {
    const before = emulator.log.botItems(platform).length;
    const answer = await post(platform, body());
    expect(answer.status).toBe(400);
    expect(answer.body.error?.code).toBe(100);
    expect(answer.body.error?.message).toMatch(message);
    expect(emulator.log.botItems(platform)).toHaveLength(before);
  });

  test.each(['messenger', 'instagram'] as const)(
    'a tapped "More like this" on %s is delivered as a signed postback webhook',
    async (platform) => {
      const payload = `shop:more-like:${firstOf(cards).id}`;
      const item = emulator.postback(platform, 'More like this', payload);
      await emulator.drain();
      // Ids share a time-based stem, so one may start another: match the whole quoted mid.
      const delivery = defined(
        received.find((r) => r.body.includes(`"mid":"${item.id}"`) && r.body.includes('"postback"')),
      );
      expect(isValidSignature(Buffer.from(delivery.body), delivery.signature, APP_SECRET)).toBe(true);
      const body = JSON.parse(delivery.body) as {
        object: string;
        entry: Array<{ messaging: Array<Record<string, unknown>> }>;
      };
      expect(body.object).toBe(platform === 'messenger' ? 'page' : 'instagram');
      // The emulator may batch the tap with other events, as Meta does: find the tap's own event.
      const event = defined(
        body.entry
          .flatMap((entry) => entry.messaging)
          .find((e) => (e.postback as { mid?: string } | undefined)?.mid === item.id),
      );
      expect(event.postback).toEqual({ title: 'More like this', payload, mid: item.id });
      expect(event).toHaveProperty(
        'sender.id',
        platform === 'messenger' ? sandboxIds.messenger.psid : sandboxIds.instagram.igsid,
      );
      expect(event).not.toHaveProperty('message');
    },
  );

  test("an answer's sources are accepted and drawn: WhatsApp CTA URL messages, Messenger and Instagram button templates", async () => {
    const sources: Citation[] = [
      {
        label: 'Returns: 30 days, unworn',
        source: 'Shipping & returns',
        url: 'https://shop.example/returns',
        web: false,
      },
      { label: 'Sunny, 24 °C', source: 'Lisbon weather today', url: 'https://weather.example/lisbon', web: true },
    ];
    for (const [n, body] of whatsAppCitationMessages(wa.userWaId, sources, translatorFor('en')).entries()) {
      expect(await post('whatsapp', body)).toMatchObject({ status: 200 });
      expect(lastCard('whatsapp')).toMatchObject({
        type: 'cta_url',
        button: { title: 'Open source', url: defined(sources[n]).url },
      });
    }
    expect(lastCard('whatsapp')).toHaveProperty('body', 'From the web: Sunny, 24 °C — Lisbon weather today');
    for (const platform of ['messenger', 'instagram'] as const) {
      const recipient = platform === 'messenger' ? sandboxIds.messenger.psid : sandboxIds.instagram.igsid;
      expect((await post(platform, citationButtonsBody(recipient, sources, translatorFor('en')))).status).toBe(200);
      expect(lastCard(platform)).toEqual({
        type: 'buttons',
        text: '1. Returns: 30 days, unworn — Shipping & returns\n2. From the web: Sunny, 24 °C — Lisbon weather today',
        buttons: [
          { type: 'web_url', title: '1. Shipping & retur…', url: 'https://shop.example/returns' },
          { type: 'web_url', title: '2. Lisbon weather t…', url: 'https://weather.example/lisbon' },
        ],
      });
    }
    const tooMany = citationButtonsBody(sandboxIds.messenger.psid, sources, translatorFor('en')) as {
      message: { attachment: { payload: { buttons: unknown[] } } };
    };
    const buttons = tooMany.message.attachment.payload.buttons;
    buttons.push(buttons[0], buttons[1]);
    const refused = await post('messenger', tooMany);
    expect(refused.body.error?.code).toBe(100);
    expect(refused.body.error?.message).toMatch(/buttons\] must have 1 to 3/);
  });

  test("the emulator serves the demo shop as Commerce Manager's catalog edge, which Threadline's sync reads whole", async () => {
    const graph = createGraphClient({
      baseUrl: emulator.url,
      version: 'v25.0',
      accessToken: tokens.whatsapp,
      timeoutMs: 5000,
    });
    const read = await readGraphCatalog(graph, wa.catalogId, undefined, { pageSize: 60 });
    expect(read.report).toMatchObject({ expected: 200, read: 200, repeated: 0, passes: 1, rejected: {} });
    const fromGraph = new Map(read.products.map((p) => [p.id, p]));
    for (const product of products) {
      const same = fromGraph.get(product.id);
      expect(same?.title).toBe(product.title);
      expect(same && currentPrice(same)).toEqual(currentPrice(product));
      expect(same?.availability).toBe(product.availability);
    }
    const stranger = createGraphClient({
      baseUrl: emulator.url,
      version: 'v25.0',
      accessToken: 'nope',
      timeoutMs: 5000,
    });
    await expect(readGraphCatalog(stranger, wa.catalogId, undefined)).rejects.toThrow();
  });

  const buttonsBody = (buttons: Array<{ id: string; title: string }>) => ({
    messaging_product: 'whatsapp',
    to: wa.userWaId,
    type: 'interactive',
    interactive: {
      type: 'button',
      body: { text: 'Which mode?' },
      action: { buttons: buttons.map((reply) => ({ type: 'reply', reply })) },
    },
  });

  test('WhatsApp reply buttons are drawn under their text; a tap comes back as an interactive button_reply', async () => {
    expect(
      (
        await post(
          'whatsapp',
          buttonsBody([
            { id: '/fast', title: 'Fast' },
            { id: '/shop', title: 'Shop' },
          ]),
        )
      ).status,
    ).toBe(200);
    const item = defined(emulator.log.botItems('whatsapp').at(-1));
    expect(item).toMatchObject({
      kind: 'text',
      text: 'Which mode?',
      quickReplies: [
        { title: 'Fast', payload: '/fast' },
        { title: 'Shop', payload: '/shop' },
      ],
    });
    const tap = emulator.send('whatsapp', { kind: 'text', text: 'Shop', quickReplyPayload: '/shop' });
    await emulator.drain();
    const delivery = defined(received.find((r) => r.body.includes(tap.id)));
    const body = JSON.parse(delivery.body) as {
      entry: Array<{ changes: Array<{ value: { messages?: Array<{ id: string }> } }> }>;
    };
    // Statuses of the buttons message may share the POST: the tap is the change that carries it.
    const message = firstOf(body.entry)
      .changes.flatMap((c) => c.value.messages ?? [])
      .find((m) => m.id === tap.id);
    expect(message).toMatchObject({
      id: tap.id,
      type: 'interactive',
      interactive: { type: 'button_reply', button_reply: { id: '/shop', title: 'Shop' } },
    });
  });

  test.each([
    ['four buttons', [1, 2, 3, 4].map((n) => ({ id: `b${n}`, title: `B${n}` })), /1 to 3 buttons/],
    ['a title over 20 characters', [{ id: 'a', title: 'A title far too long!' }], /\[reply\]\[title\] must be 1 to 20/],
    [
      'two buttons with one id',
      [
        { id: 'a', title: 'A' },
        { id: 'a', title: 'B' },
      ],
      /\[reply\]\[id\] must be unique/,
    ],
  ])('WhatsApp refuses reply buttons with %s', async (_what, buttons, message) => {
    const answer = await post('whatsapp', buttonsBody(buttons));
    expect(answer.status).toBe(400);
    expect(answer.body.error?.code).toBe(100);
    expect(answer.body.error?.message).toMatch(message);
  });
});
