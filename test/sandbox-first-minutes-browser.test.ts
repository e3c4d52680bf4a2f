import type { Locator, Page } from 'playwright-core';
import { describeWithChromium, openSandboxPage, type OpenPage } from './sandbox/chromium';
import { makePng, startTestSandbox } from './sandbox/start-test-sandbox';
import { defined } from './helpers/present';

/**
 * What a developer meets in the sandbox's first minutes, asserted on what the page shows: /export
 * arrives as a file to download on WhatsApp and Messenger, and on Instagram as a summary and a
 * link that hands the file over once; the demo responder answers under one label and shows
 * contemplating's drafts briefly; a photo and a voice note in shop mode search for something
 * sensible; at a phone's width (390 px) the composer and the latest message are in view, the
 * developer log opens without covering a composer, and "View" opens the sandbox's own product page.
 */
const describeInBrowser = describeWithChromium('sandbox first-minutes browser test');

jest.setTimeout(180_000);

describeInBrowser('the sandbox page, first minutes', () => {
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  let browser: OpenPage;
  let page: Page;

  beforeAll(async () => {
    // Many messages on one app within a minute: the burst limit is not what these tests are about.
    sandbox = await startTestSandbox({}, { LIMIT_BURST: '200/1m' });
    browser = await openSandboxPage(`http://127.0.0.1:${sandbox.port}/sandbox`);
    page = browser.page;
  });

  afterAll(async () => {
    await browser?.close();
    await sandbox?.cleanup();
  });

  const chat = (platform: string, on: Page = page) => on.locator(`.chat--${platform}`);
  const botBubble = (platform: string, text: string | RegExp, on: Page = page) =>
    chat(platform, on).locator('.row--bot .bubble', { hasText: text });

  async function type(platform: string, text: string): Promise<void> {
    await page.fill(`#input-${platform}`, text);
    await page.press(`#input-${platform}`, 'Enter');
  }

  /** Clicks `link` and answers the file it downloads, as text. */
  async function downloaded(link: Locator, on: Page = page): Promise<{ name: string; text: string }> {
    const [download] = await Promise.all([on.waitForEvent('download'), link.click()]);
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return { name: download.suggestedFilename(), text: Buffer.concat(chunks).toString('utf8') };
  }

  test.each(['whatsapp', 'messenger'])(
    '/export on %s shows the file in the chat, and it downloads as the JSON of what is kept',
    async (platform) => {
      await type(platform, `remember the green gate ${platform}`);
      await botBubble(platform, `remember the green gate ${platform}`).waitFor({ timeout: 20_000 });
      await type(platform, '/export');
      const link = chat(platform).locator('.row--bot .file-link', { hasText: /export-\d{4}-\d{2}-\d{2}\.json/ });
      await link.waitFor({ timeout: 20_000 });
      await expect(link.locator('.file-link__meta').textContent()).resolves.toMatch(
        /^JSON · [\d.]+ (B|KB) · Download$/,
      );
      await botBubble(platform, /^I sent you export-\d{4}-\d{2}-\d{2}\.json/).waitFor();
      const file = await downloaded(link);
      expect(file.name).toMatch(/^export-\d{4}-\d{2}-\d{2}\.json$/);
      const exported = JSON.parse(file.text) as { accounts: Array<{ app: string }>; conversations: unknown[] };
      expect(exported.accounts.map((a) => a.app)).toEqual([platform]);
      expect(file.text).toContain(`remember the green gate ${platform}`);
    },
  );

  test('/export on Instagram is a short summary and a link that hands the file over once', async () => {
    await type('instagram', 'the parcel goes to the blue door');
    await botBubble('instagram', 'the parcel goes to the blue door').waitFor({ timeout: 20_000 });
    await type('instagram', '/export');
    const summary = botBubble('instagram', /^What I keep about you:/);
    await summary.waitFor({ timeout: 20_000 });
    await expect(summary.textContent()).resolves.toMatch(/• 1 conversation, 2 messages \(Instagram\)/);
    // One message, not the JSON in pieces.
    await expect(chat('instagram').locator('.row--bot .bubble', { hasText: '"exported_at"' }).count()).resolves.toBe(0);
    const link = summary.locator('a.text-link');
    const [tab] = await Promise.all([page.context().waitForEvent('page'), link.click()]);
    await tab.locator('h1', { hasText: 'Your data export' }).waitFor();
    await expect(tab.locator('body').textContent()).resolves.toMatch(/can be downloaded once, until/);
    const file = await downloaded(tab.locator('button', { hasText: 'Download' }), tab);
    expect(file.text).toContain('the parcel goes to the blue door');
    await tab.reload();
    await tab.locator('p', { hasText: 'expired or was already used' }).waitFor();
    await tab.close();
  });

  test('the demo responder answers under one label, and contemplating shows its drafts briefly', async () => {
    await type('whatsapp', 'what is a good first houseplant?');
    const answer = botBubble('whatsapp', 'Threadline passed me: “what is a good first houseplant?”');
    await answer.waitFor({ timeout: 20_000 });
    const text = (await answer.evaluate((node) => (node as unknown as { innerText: string }).innerText)).trim();
    expect(text.match(/Offline demo responder/g)).toHaveLength(1);
    expect(text).not.toMatch(/Real answers|History sent along|LLM_BASE_URL/);

    await type('whatsapp', '/contemplate');
    await botBubble('whatsapp', /Switched to contemplating/).waitFor({ timeout: 20_000 });
    await type('whatsapp', 'how do I keep basil alive?');
    const merged = botBubble(
      'whatsapp',
      'Contemplating “how do I keep basil alive?”: 3 drafts, merged into this answer.',
    );
    await merged.waitFor({ timeout: 30_000 });
    const mergedText = await merged.evaluate((node) => (node as unknown as { innerText: string }).innerText);
    expect(mergedText).toMatch(/1\. Answer directly and practically/);
    expect(mergedText).toMatch(/3\. Reason from first principles/);
    expect(mergedText).not.toMatch(/Write the final answer|---|Draft 1:/);
    await type('whatsapp', '/fast');
    await botBubble('whatsapp', /Switched to fast/).waitFor({ timeout: 20_000 });
  });

  test('in shop mode a photo is searched by its colour and a voice note shows what is in stock, each saying why', async () => {
    await type('whatsapp', '/shop');
    await botBubble('whatsapp', /Switched to shopping mode/).waitFor({ timeout: 20_000 });
    await chat('whatsapp')
      .locator('input[type=file]')
      .setInputFiles({ name: 'green.png', mimeType: 'image/png', buffer: makePng(64, 48, [47, 93, 58]) });
    const photo = botBubble('whatsapp', 'its main colour is forest green, so I searched for that');
    await photo.waitFor({ timeout: 30_000 });
    await expect(photo.textContent()).resolves.toMatch(
      /I searched the catalog for “forest green” and found \d+ product/,
    );
    await chat('whatsapp').locator('.row--bot .bubble--card').last().waitFor();

    await chat('whatsapp').locator('[data-role="action"]').click(); // the microphone, the input being empty
    await chat('whatsapp').locator('.record-pill').waitFor();
    await page.waitForTimeout(1200);
    await chat('whatsapp').locator('[data-role="action"]').click();
    const voice = botBubble('whatsapp', 'could not hear the voice note; here is what is in stock');
    await voice.waitFor({ timeout: 40_000 });
    await expect(voice.textContent()).resolves.toMatch(/found 3 products/);
    await type('whatsapp', '/fast');
    await botBubble('whatsapp', /Switched to fast/)
      .last()
      .waitFor({ timeout: 20_000 });
  });

  test('"View" on a demo product opens the product page the sandbox serves', async () => {
    await type('messenger', '/shop');
    await botBubble('messenger', /Switched to shopping mode/).waitFor({ timeout: 20_000 });
    await type('messenger', 'a canvas backpack');
    const card = chat('messenger').locator('.carousel__card').first();
    await card.waitFor({ timeout: 30_000 });
    const title = defined(await card.locator('.carousel__title').textContent()).trim();
    const view = card.locator('.carousel__button', { hasText: 'View' });
    const href = defined(await view.getAttribute('href'));
    expect(href.startsWith(`http://127.0.0.1:${sandbox.port}/sandbox/shop/p/demo-`)).toBe(true);
    const [tab] = await Promise.all([page.context().waitForEvent('page'), view.click()]);
    await tab.locator('h1', { hasText: title }).waitFor();
    await expect(tab.locator('.stock').textContent()).resolves.toMatch(/^(In stock|Out of stock)$/);
    await expect(
      tab.locator('img').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
    ).resolves.toBe(600);
    await tab.close();
  });

  test('at 390 px: composer and latest message in view on every tab, and the log opens without covering a composer', async () => {
    const phone = await page.context().newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(`http://127.0.0.1:${sandbox.port}/sandbox/`);
    await phone.locator('#conn-label', { hasText: 'live' }).waitFor();
    const inView = async (locator: Locator) => {
      const box = await locator.boundingBox();
      return (
        box !== null && box.y >= 0 && box.y + box.height <= 844 + 0.5 && box.x >= 0 && box.x + box.width <= 390 + 0.5
      );
    };
    const lastRowVisible = async (platform: string) => {
      const messages = chat(platform, phone).locator('[data-role="messages"]');
      const last = messages.locator('.row').last();
      await last.waitFor();
      // Pictures load after their rows; the chat follows them to the end.
      await phone.waitForTimeout(400);
      const [box, row] = [await messages.boundingBox(), await last.boundingBox()];
      return box !== null && row !== null && row.y + row.height <= box.y + box.height + 1 && row.y + row.height > box.y;
    };
    for (const platform of ['whatsapp', 'messenger', 'instagram']) {
      await phone.click(`.tab--${platform}`);
      await expect(inView(phone.locator(`#input-${platform}`))).resolves.toBe(true);
      await expect(lastRowVisible(platform)).resolves.toBe(true);
    }
    await phone.screenshot({ path: '/tmp/sandbox-390-instagram.png' });

    await phone.click('#log-toggle'); // fails if anything covers the button
    const log = phone.locator('#devlog');
    await log.waitFor();
    await expect(inView(log)).resolves.toBe(true);
    const composer = defined(await chat('instagram', phone).locator('[data-role="composer"]').boundingBox());
    const logBox = defined(await log.boundingBox());
    expect(composer.y + composer.height).toBeLessThanOrEqual(logBox.y + 0.5);
    await expect(inView(phone.locator('#input-instagram'))).resolves.toBe(true);
    await expect(lastRowVisible('instagram')).resolves.toBe(true);
    await phone.screenshot({ path: '/tmp/sandbox-390-log.png' });
    await phone.close();
  });

  test('no script errors on the page', () => {
    expect(browser.errors).toEqual([]);
  });
});
