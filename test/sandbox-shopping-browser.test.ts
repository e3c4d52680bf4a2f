import type { Page } from 'playwright-core';
import { loadFeed } from '../src/catalog/feed-source';
import type { Product } from '../src/catalog/product';
import { ProductSearch } from '../src/catalog/product-search';
import { COMMAND_WORDS } from '../src/commands/commands';
import { productCarouselBody } from '../src/platforms/pages/page-product-carousel';
import { whatsAppProductLinks, whatsAppProductMessages } from '../src/platforms/whatsapp/product-messages';
import { productCard } from '../src/shopping/product-cards';
import { executeProductTool } from '../src/shopping/product-tools';
import { answerFromToolResult, searchArgumentsFrom } from '../sandbox/demo-shopping';
import { sandboxIds } from '../sandbox/emulator/ids';
import type { Citation } from '../src/core/citation';
import { translatorFor } from '../src/i18n/translator';
import { citationButtonsBody } from '../src/platforms/pages/page-citations';
import { whatsAppCitationMessages } from '../src/platforms/whatsapp/citation-messages';
import { describeWithChromium, openSandboxPage, type OpenPage } from './sandbox/chromium';
import { startTestSandbox, waitUntil } from './sandbox/start-test-sandbox';
import { defined, firstOf } from './helpers/present';

/**
 * The sandbox's shopping side in a real browser. First the emulator's outbound side driven
 * directly: the bodies Threadline's worker sends for a shopping answer (the demo responder's text,
 * then the cards built from the same search) are posted to the Graph emulator, and the page must
 * draw them as the apps do, with the demo shop's pictures served by the sandbox itself, "View"
 * opening the product and "More like this" going back to Threadline as a postback webhook, whose
 * answer (similar products, in text and cards) the page then shows. Then
 * the whole flow from the page (`/shop`, then a request), which needs the shopping mode's
 * command and is skipped, saying so, where the product has no `/shop`.
 */
const describeInBrowser = describeWithChromium('sandbox shopping browser test');
const haveShop = COMMAND_WORDS.includes('/shop');
if (!haveShop) process.stderr.write('sandbox /shop flow SKIPPED: this build has no /shop command (COMMAND_WORDS)\n');
const shopTest = haveShop ? test : test.skip;

jest.setTimeout(120_000);

describeInBrowser('sandbox shopping cards in Chromium', () => {
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  let browser: OpenPage;
  let page: Page;
  let search: ProductSearch;
  let products: Product[];

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    browser = await openSandboxPage(`http://127.0.0.1:${sandbox.port}/sandbox`);
    page = browser.page;
    products = (await loadFeed(defined(sandbox.productEnv.CATALOG_FEED))).products;
    search = await ProductSearch.build('demo', products);
  });
  afterAll(async () => {
    await browser?.close();
    await sandbox?.cleanup();
  });

  const graph = async (platform: 'whatsapp' | 'messenger' | 'instagram', body: unknown) => {
    const env = sandbox.productEnv;
    const [node, token] =
      platform === 'whatsapp'
        ? [sandboxIds.whatsapp.phoneNumberId, defined(env.WHATSAPP_ACCESS_TOKEN)]
        : [
            'me',
            platform === 'messenger' ? defined(env.MESSENGER_PAGE_ACCESS_TOKEN) : defined(env.INSTAGRAM_ACCESS_TOKEN),
          ];
    const response = await fetch(`${sandbox.emulator.url}/v25.0/${node}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
  };

  /** The shopping answer the worker would send: the demo responder's text on a real search, and its cards. */
  function shoppingAnswer(words: string) {
    const args = searchArgumentsFrom(words);
    const outcome = executeProductTool(search, 'search_products', JSON.stringify(args));
    const text = answerFromToolResult(outcome.content, String(args.query));
    return { text, cards: outcome.products.map((p) => productCard(p)) };
  }

  /** Waits until every picture matching `selector` has loaded (a broken link never does). */
  async function picturesLoad(selector: string): Promise<number[]> {
    const widths = () =>
      page
        .locator(selector)
        .evaluateAll((imgs) => imgs.map((img) => (img as unknown as { naturalWidth: number }).naturalWidth));
    const deadline = Date.now() + 10_000;
    for (;;) {
      const found = await widths();
      if ((found.length > 0 && found.every((w) => w > 0)) || Date.now() > deadline) return found;
      await page.waitForTimeout(100);
    }
  }

  test('WhatsApp: the answer, then CTA cards with picture, title, price and a View link', async () => {
    const { text, cards } = shoppingAnswer('jacket under 200 in stock');
    expect(cards.length).toBeGreaterThanOrEqual(3);
    await graph('whatsapp', {
      messaging_product: 'whatsapp',
      to: sandboxIds.whatsapp.userWaId,
      type: 'text',
      text: { body: text },
    });
    for (const body of whatsAppProductLinks(sandboxIds.whatsapp.userWaId, cards)) await graph('whatsapp', body);
    const chat = page.locator('.chat--whatsapp');
    await chat.locator('[data-card="cta_url"]').nth(2).waitFor();
    await chat.locator('.row--bot .bubble', { hasText: 'I searched the catalog for “jacket”' }).waitFor();
    for (const [n, card] of cards.slice(0, 3).entries()) {
      const bubble = chat.locator('[data-card="cta_url"]').nth(n);
      await expect(bubble.locator('.wa-card__body').textContent()).resolves.toContain(card.title);
      await expect(bubble.locator('.wa-card__body').textContent()).resolves.toContain(card.priceText);
      await expect(bubble.locator('a.wa-card__button').getAttribute('href')).resolves.toBe(card.link);
      await expect(bubble.locator('a.wa-card__button').getAttribute('target')).resolves.toBe('_blank');
    }
    const widths = await picturesLoad('.chat--whatsapp .wa-card__header-image');
    expect(widths.length).toBeGreaterThanOrEqual(3);
    expect(Math.min(...widths)).toBeGreaterThan(0);
  });

  test('WhatsApp: a product list from the Commerce Manager catalog opens its items', async () => {
    const { cards } = shoppingAnswer('sneakers');
    const [list] = whatsAppProductMessages(
      sandboxIds.whatsapp.userWaId,
      { cards, catalogId: sandboxIds.whatsapp.catalogId, heading: 'Sneakers' },
      'Five pairs from the demo shop',
    );
    await graph('whatsapp', list);
    const bubble = page.locator('.chat--whatsapp [data-card="product_list"]').last();
    await bubble.waitFor();
    await bubble.locator('button.wa-card__button', { hasText: `View items (${cards.length})` }).click();
    await expect(bubble.locator('.wa-sheet .wa-product').count()).resolves.toBe(cards.length);
    await expect(bubble.locator('.wa-sheet .wa-product__title').allTextContents()).resolves.toEqual(
      cards.map((c) => c.title),
    );
  });

  test.each(['messenger', 'instagram'] as const)(
    '%s: the answer, then a carousel; View opens the product, More like this posts back to Threadline',
    async (platform) => {
      const recipient = platform === 'messenger' ? sandboxIds.messenger.psid : sandboxIds.instagram.igsid;
      const { text, cards } = shoppingAnswer(platform === 'messenger' ? 'table lamp' : 'leather bag under 120');
      expect(cards.length).toBeGreaterThan(1);
      await graph(platform, { recipient: { id: recipient }, messaging_type: 'RESPONSE', message: { text } });
      await graph(platform, productCarouselBody(recipient, cards));
      const carousel = page.locator(`.chat--${platform} .carousel`).last();
      await carousel.waitFor();
      await expect(carousel.locator('.carousel__title').allTextContents()).resolves.toEqual(cards.map((c) => c.title));
      const first = carousel.locator('.carousel__card').first();
      await expect(first.locator('a.carousel__button', { hasText: 'View' }).getAttribute('href')).resolves.toBe(
        firstOf(cards).link,
      );
      const widths = await picturesLoad(`.chat--${platform} .carousel__image`);
      expect(Math.min(...widths)).toBeGreaterThan(0);

      const chat = page.locator(`.chat--${platform}`);
      const botBubbles = chat.locator('.row--bot:not(.typing-row) .bubble');
      const [bubblesBefore, carouselsBefore] = [await botBubbles.count(), await chat.locator('.carousel').count()];
      await first.locator('button.carousel__button', { hasText: 'More like this' }).click();
      await page.locator(`.chat--${platform} .row--user .bubble`, { hasText: 'More like this' }).waitFor();
      // The postback reached Threadline's web process as a signed webhook and was acknowledged.
      const tap = await waitUntil(
        () =>
          sandbox.emulator.log
            .snapshot()
            .items.find(
              (i) =>
                i.platform === platform &&
                i.from === 'user' &&
                i.text === 'More like this' &&
                (i.status === 'delivered' || i.status === 'read'),
            ),
        'the postback webhook to be acknowledged',
      );
      expect(tap.id).toMatch(/^m_/);

      // Threadline's answer on the page: products like the tapped one, found from its own fields, never an error.
      const reply = botBubbles.nth(bubblesBefore);
      await reply.waitFor({ timeout: 30_000 });
      const said = (await reply.textContent()) ?? '';
      expect(said).not.toMatch(/error|invalid arguments/i);
      expect(said).toMatch(/I searched the catalog for “[^”]+” and found [1-9]\d* products?/);
      const similar = chat.locator('.carousel').nth(carouselsBefore);
      await similar.waitFor();
      const titles = await similar.locator('.carousel__title').allTextContents();
      expect(titles.length).toBeGreaterThan(0);
      expect(titles).not.toContain(firstOf(cards).title);
      for (const title of titles) expect(said).toContain(title);
    },
  );

  test("an answer's sources: WhatsApp's Open source button, Messenger and Instagram button templates", async () => {
    const sources: Citation[] = [
      {
        label: 'Returns: 30 days, unworn',
        source: 'Shipping & returns',
        url: 'https://shop.example/returns',
        web: false,
      },
      { label: 'Sunny, 24 °C', source: 'Lisbon weather today', url: 'https://weather.example/lisbon', web: true },
    ];
    const en = translatorFor('en');
    for (const body of whatsAppCitationMessages(sandboxIds.whatsapp.userWaId, sources, en))
      await graph('whatsapp', body);
    const wa = page.locator('.chat--whatsapp [data-card="cta_url"]', { hasText: 'From the web: Sunny, 24 °C' });
    await wa.waitFor();
    await expect(wa.locator('a.wa-card__button').getAttribute('href')).resolves.toBe('https://weather.example/lisbon');
    for (const platform of ['messenger', 'instagram'] as const) {
      const recipient = platform === 'messenger' ? sandboxIds.messenger.psid : sandboxIds.instagram.igsid;
      await graph(platform, citationButtonsBody(recipient, sources, en));
      const template = page.locator(`.chat--${platform} .page-buttons`).last();
      await template.waitFor();
      await expect(template.locator('.page-buttons__text').textContent()).resolves.toBe(
        '1. Returns: 30 days, unworn — Shipping & returns\n2. From the web: Sunny, 24 °C — Lisbon weather today',
      );
      const links = template.locator('a.page-buttons__button');
      await expect(links.nth(0).getAttribute('href')).resolves.toBe('https://shop.example/returns');
      await expect(links.nth(1).getAttribute('href')).resolves.toBe('https://weather.example/lisbon');
    }
  });

  shopTest('from the page: /shop, then a request, answered with text and cards of found products', async () => {
    for (const platform of ['messenger', 'whatsapp'] as const) {
      const before = sandbox.emulator.log.botItems(platform).length;
      await page.fill(`#input-${platform}`, '/shop');
      await page.press(`#input-${platform}`, 'Enter');
      await waitUntil(() => sandbox.emulator.log.botItems(platform).length > before || undefined, `${platform} /shop`);
      await page.fill(`#input-${platform}`, 'rain jacket');
      await page.press(`#input-${platform}`, 'Enter');
      const cardItem = await waitUntil(
        () =>
          sandbox.emulator.log
            .botItems(platform)
            .slice(before)
            .find((i) => i.kind === 'card'),
        `${platform} product cards`,
        30_000,
      );
      const answer = sandbox.emulator.log
        .botItems(platform)
        .slice(before)
        .find((i) => i.text?.includes('I searched the catalog'));
      expect(answer?.text).toContain('Offline demo responder (not an AI model)');
      const card = defined(cardItem.card);
      const titles =
        card.type === 'carousel' ? card.elements.map((e) => e.title) : card.type === 'cta_url' ? [card.body] : [];
      for (const title of titles) expect(answer?.text).toContain(title.split('\n')[0]);
      await page.locator(`.chat--${platform} .bubble--card`).last().waitFor();
    }
  });

  test('no script errors on the page', async () => {
    expect(browser.errors).toEqual([]);
    const shot = process.env.SANDBOX_SHOPPING_SCREENSHOT;
    if (shot) await page.screenshot({ path: shot });
  });
});
