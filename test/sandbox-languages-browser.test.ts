import type { Page } from 'playwright-core';
import { describeWithChromium, openSandboxPage, type OpenPage } from './sandbox/chromium';
import { startTestSandbox } from './sandbox/start-test-sandbox';

/**
 * The person's language as the sandbox page shows it in a real browser: a Spanish first message
 * is answered with the Spanish notice, `/ayuda` brings the Spanish help with Spanish buttons (the
 * sandbox has its demo shop, so the second is Shop), and
 * Arabic comes back right to left. Skips, saying why, when Chromium is missing.
 */
const describeInBrowser = describeWithChromium('sandbox languages browser test');

jest.setTimeout(120_000);

describeInBrowser('languages on the sandbox page', () => {
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  let browser: OpenPage;
  let page: Page;

  beforeAll(async () => {
    sandbox = await startTestSandbox({}, { AI_DISCLOSURE: 'on' });
    browser = await openSandboxPage(`http://127.0.0.1:${sandbox.port}/sandbox`);
    page = browser.page;
  });

  afterAll(async () => {
    await browser?.close();
    await sandbox?.cleanup();
  });

  async function type(platform: string, text: string): Promise<void> {
    await page.fill(`#input-${platform}`, text);
    await page.press(`#input-${platform}`, 'Enter');
  }

  test('WhatsApp: a Spanish first message gets the Spanish notice, and /ayuda the Spanish help and buttons', async () => {
    const chat = page.locator('.chat--whatsapp');
    await type('whatsapp', 'Hola, ¿qué tal? Quiero saber qué puedes hacer');
    await chat.locator('.row--bot .bubble', { hasText: '¡Hola! Estás hablando con un asistente de IA' }).waitFor({
      timeout: 20_000,
    });
    await type('whatsapp', '/ayuda');
    const help = chat.locator('.row--bot', { hasText: 'Soy Threadline, un asistente de IA.' });
    await help.waitFor({ timeout: 20_000 });
    await expect(help.locator('.wa-reply-button').allTextContents()).resolves.toEqual([
      'Pensar',
      'Tienda',
      'Todos los comandos',
    ]);
  });

  test('Messenger: an Arabic message is answered in Arabic, with the commands kept readable', async () => {
    const chat = page.locator('.chat--messenger');
    await type('messenger', 'مرحبا، أريد أن أعرف كيف يعمل هذا المساعد من فضلك');
    const notice = chat.locator('.row--bot .bubble', { hasText: 'أنت تتحدث مع مساعد ذكاء اصطناعي' });
    await notice.waitFor({ timeout: 20_000 });
    await expect(notice.textContent()).resolves.toContain('\u2066/privacy\u2069');
  });
});
