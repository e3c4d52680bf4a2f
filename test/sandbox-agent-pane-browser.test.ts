import type { Page } from 'playwright-core';
import { translatorFor } from '../src/i18n/translator';
import { describeWithChromium, openSandboxPage, type OpenPage } from './sandbox/chromium';
import { startTestSandbox } from './sandbox/start-test-sandbox';

/**
 * The agent pane, in a real browser: the sandbox's helpdesk is Threadline's plain-webhook handoff
 * target. A person writes /human in the WhatsApp chat; the conversation shows in the pane with its
 * transcript; what the person writes next reaches the pane and gets no answer from the assistant;
 * the agent's reply from the pane reaches the chat; Resolve gives the chat back to the assistant,
 * which says so.
 */
const describeInBrowser = describeWithChromium('sandbox agent pane browser test');
const en = translatorFor('en');

jest.setTimeout(120_000);

describeInBrowser('the agent pane in the sandbox page', () => {
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

  const answers = () => page.locator('.chat--whatsapp .row--bot:not(.typing-row) .bubble');
  const transcript = () => page.locator('#agent-pane [data-role="transcript"] li');

  async function type(text: string): Promise<void> {
    await page.fill('#input-whatsapp', text);
    await page.press('#input-whatsapp', 'Enter');
  }

  test('the sandbox hands conversations to its own desk', () => {
    expect(sandbox.productEnv.HANDOFF_TARGET).toBe('webhook');
    expect(sandbox.productEnv.HANDOFF_WEBHOOK_URL).toMatch(/\/helpdesk\/inbox$/);
  });

  test('/human puts the conversation in the pane with its transcript; the person is told honestly', async () => {
    await type('/human');
    await page.getByText(en('handoff.requested.anytime')).waitFor({ timeout: 30_000 });
    await page.locator('#agent-pane [data-role="waiting"] button').first().waitFor({ timeout: 15_000 });
    await expect(page.locator('#agent-pane [data-role="waiting"] button').first().textContent()).resolves.toContain(
      'whatsapp · asked',
    );
    await transcript().filter({ hasText: 'person: /human' }).waitFor({ timeout: 15_000 });
  });

  test('what the person writes next reaches the pane, and the assistant stays silent', async () => {
    const before = await answers().count();
    await type('is anyone there?');
    await transcript().filter({ hasText: 'person: is anyone there?' }).waitFor({ timeout: 15_000 });
    await page.waitForTimeout(1000);
    await expect(answers().count()).resolves.toBe(before);
  });

  test('the agent replies from the pane and the person sees it in the chat', async () => {
    await page.fill('#agent-pane [data-role="reply"]', 'Hi, Ana from the team here.');
    await page.click('#agent-pane [data-role="send"]');
    await page
      .locator('.chat--whatsapp .bubble', { hasText: 'Hi, Ana from the team here.' })
      .waitFor({ timeout: 15_000 });
    await transcript().filter({ hasText: 'agent: Hi, Ana from the team here.' }).waitFor({ timeout: 15_000 });
  });

  test('Resolve gives the chat back: the person is told, and the assistant answers again', async () => {
    await page.click('#agent-pane [data-role="resolve"]');
    await page.getByText(en('handoff.back')).waitFor({ timeout: 15_000 });
    const before = await answers().count();
    await type('thanks!');
    await answers().nth(before).waitFor({ timeout: 30_000 });
  });

  test('no script errors on the page', () => {
    expect(browser.errors).toEqual([]);
  });
});
