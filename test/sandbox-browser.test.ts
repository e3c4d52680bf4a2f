import type { Page } from 'playwright-core';
import { createGraphClient } from '../src/platforms/graph-client';
import { sendWhatsAppButtons } from '../src/platforms/whatsapp/interactive';
import { sandboxIds, sandboxPlatforms } from '../sandbox/emulator/ids';
import { describeWithChromium, openSandboxPage, type OpenPage } from './sandbox/chromium';
import { makePng, startTestSandbox, waitUntil } from './sandbox/start-test-sandbox';
import { defined } from './helpers/present';

/**
 * The sandbox page in a real browser (Debian's Chromium driven by playwright-core): a person types
 * on each platform and sees Threadline's reply arrive live, and a photo goes from the page through
 * the emulator to the product and back to the page. Skips, saying why, when Chromium is missing;
 * .ci/run installs it.
 */
const describeInBrowser = describeWithChromium('sandbox browser test');

jest.setTimeout(120_000);

describeInBrowser('sandbox chat page in Chromium', () => {
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  let browser: OpenPage;
  let page: Page;

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    browser = await openSandboxPage(`http://127.0.0.1:${sandbox.port}/sandbox`);
    page = browser.page;
  });

  afterAll(async () => {
    await browser?.close();
    await sandbox?.cleanup();
  });

  test('the page says which model source answers: here the offline demo responder, labelled as not a model', async () => {
    await page.locator('#model-label', { hasText: 'Offline demo responder (not a model)' }).waitFor();
    await expect(page.locator('#demo-banner').isVisible()).resolves.toBe(true);
    await expect(page.locator('#demo-hint').textContent()).resolves.toMatch(/LLM_BASE_URL/);
  });

  test.each(sandboxPlatforms)('typing on %s shows the message, then Threadline’s reply, live', async (platform) => {
    const text = `Hello from the ${platform} tab ${Date.now()}`;
    await page.fill(`#input-${platform}`, text);
    await page.press(`#input-${platform}`, 'Enter');
    const chat = page.locator(`.chat--${platform}`);
    await chat.locator('.row--user .bubble', { hasText: text }).waitFor();
    const reply = chat.locator('.row--bot .bubble', { hasText: `Threadline passed me: “${text}”` });
    await reply.waitFor({ timeout: 20_000 });
    await expect(reply.textContent()).resolves.toContain('Offline demo responder (not an AI model)');
    if (platform === 'whatsapp') {
      // The user's bubble carries delivery ticks (✓✓ once the webhook got its 200).
      await chat.locator('.row--user', { hasText: text }).locator('.tick', { hasText: '✓✓' }).waitFor();
    } else {
      await chat.locator('.receipt').waitFor();
    }
    // The product answered exactly once.
    await expect(chat.locator('.row--bot .bubble', { hasText: text }).count()).resolves.toBe(1);
  });

  test('a photo attached on WhatsApp reaches the emulator and the product, and the answer comes back to the page', async () => {
    const chat = page.locator('.chat--whatsapp');
    const repliesBefore = sandbox.emulator.log.botItems('whatsapp').length;
    const png = makePng(64, 48, [37, 211, 102]);
    await page.fill('#input-whatsapp', 'what colour is this?');
    await chat.locator('input[type=file]').setInputFiles({ name: 'green.png', mimeType: 'image/png', buffer: png });

    // The page shows the photo, served back by the emulator's media store.
    const image = chat.locator('.row--user [data-kind="image"] img');
    await image.waitFor();
    await expect(image.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).resolves.toBe(64);

    // The emulator holds the same bytes and delivered a documented image webhook that Threadline accepted.
    const sent = await waitUntil(
      () =>
        sandbox.emulator.log
          .snapshot()
          .items.find(
            (i) => i.platform === 'whatsapp' && i.kind === 'image' && (i.status === 'delivered' || i.status === 'read'),
          ),
      'the photo webhook to be delivered',
    );
    expect(sandbox.emulator.media.get(sent.mediaId ?? '')?.bytes.equals(png)).toBe(true);
    expect(sent.text).toBe('what colour is this?');

    // Threadline answers the photo message (what it says depends on the media pipeline it has).
    await waitUntil(
      () => sandbox.emulator.log.botItems('whatsapp').length > repliesBefore,
      'an answer to the photo',
      20_000,
    );
    await expect(chat.locator('.row--bot').count()).resolves.toBeGreaterThan(repliesBefore);
    // Threadline fetched the photo the documented way (lookup by media id, then download with the
    // token) and handed it to the model, which here is the demo responder describing what it got.
    const summaries = sandbox.emulator.log.snapshot().log.map((l) => (l.type === 'log' ? l.summary : ''));
    expect(summaries.some((s) => s.startsWith(`media lookup ${sent.mediaId}`))).toBe(true);
    expect(summaries.some((s) => s.startsWith(`media download ${sent.mediaId}`))).toBe(true);
    const reply = defined(sandbox.emulator.log.botItems('whatsapp')[repliesBefore]);
    expect(reply.text).toContain('Threadline passed me: “what colour is this?”');
    expect(reply.text).toMatch(/It also passed a photo: image\/\w+, .*64×48 px/);
    await chat.locator('.row--bot .bubble', { hasText: '64×48 px' }).waitFor();
  });

  test('a voice note recorded with the microphone (MediaRecorder) reaches Threadline, whose speech-to-text step says it is not configured', async () => {
    const chat = page.locator('.chat--whatsapp');
    const repliesBefore = sandbox.emulator.log.botItems('whatsapp').length;
    await chat.locator('[data-role="action"]').click(); // the mic button when the input is empty
    await chat.locator('.record-pill').waitFor();
    await page.waitForTimeout(1200);
    await chat.locator('[data-role="action"]').click(); // stop: the note is sent
    const note = await waitUntil(
      () =>
        sandbox.emulator.log
          .snapshot()
          .items.find((i) => i.platform === 'whatsapp' && i.kind === 'audio' && i.voice === true),
      'the voice note to reach the emulator',
    );
    expect(note.mimeType).toMatch(/^audio\/(webm|ogg); codecs=opus$/);
    expect(note.size).toBeGreaterThan(500);
    await chat.locator('.row--user [data-kind="audio"] audio').waitFor();
    const reply = await waitUntil(
      () => sandbox.emulator.log.botItems('whatsapp')[repliesBefore],
      'an answer to the voice note',
      30_000,
    );
    expect(reply.text).toContain('speech-to-text not configured');
  });

  test('a photo on Instagram goes out as a CDN attachment and is answered', async () => {
    const chat = page.locator('.chat--instagram');
    const repliesBefore = sandbox.emulator.log.botItems('instagram').length;
    await chat
      .locator('input[type=file]')
      .setInputFiles({ name: 'blue.png', mimeType: 'image/png', buffer: makePng(20, 20, [55, 151, 240]) });
    await chat.locator('.row--user [data-kind="image"] img').waitFor();
    const reply = await waitUntil(
      () => sandbox.emulator.log.botItems('instagram')[repliesBefore],
      'an answer to the Instagram photo',
      20_000,
    );
    // Threadline downloaded the photo from the CDN URL in the webhook and passed it to the model.
    expect(reply.text).toMatch(/It also passed a photo: image\/\w+, .*20×20 px/);
    await chat.locator('.row--bot').nth(repliesBefore).waitFor();
  });

  test('read receipts and typing indicators sent to the Graph API show on the page live', async () => {
    const graph = (urlPath: string, token: string, body: unknown) =>
      fetch(`${sandbox.emulator.url}${urlPath}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
    const env = sandbox.productEnv;
    // WhatsApp: read + typing indicator in one call, as the Cloud API documents it.
    const last = defined(
      sandbox.emulator.log
        .snapshot()
        .items.filter((i) => i.platform === 'whatsapp' && i.from === 'user')
        .at(-1),
    );
    await graph(`/v25.0/${sandboxIds.whatsapp.phoneNumberId}/messages`, defined(env.WHATSAPP_ACCESS_TOKEN), {
      messaging_product: 'whatsapp',
      status: 'read',
      message_id: last.id,
      typing_indicator: { type: 'text' },
    });
    const wa = page.locator('.chat--whatsapp');
    await wa.locator('[data-role="status"]', { hasText: 'typing…' }).waitFor();
    await wa.locator('.typing-row').waitFor();
    await wa.locator(`.row--user[data-id="${last.id}"] .tick--read`).waitFor();
    // Messenger: sender actions.
    await graph('/v25.0/me/messages', defined(env.MESSENGER_PAGE_ACCESS_TOKEN), {
      recipient: { id: sandboxIds.messenger.psid },
      sender_action: 'mark_seen',
    });
    await graph('/v25.0/me/messages', defined(env.MESSENGER_PAGE_ACCESS_TOKEN), {
      recipient: { id: sandboxIds.messenger.psid },
      sender_action: 'typing_on',
    });
    const ms = page.locator('.chat--messenger');
    await ms.locator('.receipt', { hasText: 'Seen' }).waitFor();
    await ms.locator('.typing-row').waitFor();
    await graph('/v25.0/me/messages', defined(env.MESSENGER_PAGE_ACCESS_TOKEN), {
      recipient: { id: sandboxIds.messenger.psid },
      sender_action: 'typing_off',
    });
    await ms.locator('.typing-row').waitFor({ state: 'detached' });
  });

  test('WhatsApp: reply buttons the product sends hang under their text; a tap reaches Threadline as a button reply', async () => {
    const graphClient = createGraphClient({
      baseUrl: sandbox.emulator.url,
      version: 'v25.0',
      accessToken: defined(sandbox.productEnv.WHATSAPP_ACCESS_TOKEN),
      timeoutMs: 5000,
    });
    const to = { channelId: sandboxIds.whatsapp.phoneNumberId, userId: sandboxIds.whatsapp.userWaId };
    await sendWhatsAppButtons(graphClient, to, 'Need anything else?', [
      { id: '/help', title: 'Help' },
      { id: '/limits', title: 'Limits' },
    ]);
    const chat = page.locator('.chat--whatsapp');
    const row = chat.locator('.row--bot', { hasText: 'Need anything else?' });
    await row.locator('.wa-reply-button', { hasText: 'Limits' }).waitFor();
    const before = sandbox.emulator.log.botItems('whatsapp').length;
    await row.locator('.wa-reply-button', { hasText: 'Help' }).click();
    await chat.locator('.row--user .bubble', { hasText: 'Help' }).waitFor();
    // Threadline read the button_reply's id as the /help command and answered with the help text.
    const answer = await waitUntil(
      () =>
        sandbox.emulator.log
          .botItems('whatsapp')
          .slice(before)
          .find((i) => i.text?.includes('/help all')),
      'the help text',
    );
    expect(answer.text).toContain('/think');
  });

  test('no script errors on the page', () => {
    expect(browser.errors).toEqual([]);
  });
});
