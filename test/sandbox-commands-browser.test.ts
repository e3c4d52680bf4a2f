import type { Page } from 'playwright-core';
import { SANDBOX_LIMITS } from '../sandbox/sandbox-limits';
import { describeWithChromium, openSandboxPage, type OpenPage } from './sandbox/chromium';
import { startTestSandbox } from './sandbox/start-test-sandbox';

/**
 * A curious developer exploring the commands in the sandbox page, in a real browser: a dozen
 * commands typed as fast as they can are every one answered on the page (the sandbox runs with
 * roomy limits, and its launcher says so), and a mode command with a question is answered at
 * once, in that mode, in one reply.
 */
const describeInBrowser = describeWithChromium('sandbox commands browser test');

jest.setTimeout(120_000);

describeInBrowser('exploring commands in the sandbox page', () => {
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  let browser: OpenPage;
  let page: Page;
  const said: string[] = [];

  beforeAll(async () => {
    sandbox = await startTestSandbox({}, {}, (line) => said.push(line));
    browser = await openSandboxPage(`http://127.0.0.1:${sandbox.port}/sandbox`);
    page = browser.page;
  });
  afterAll(async () => {
    await browser?.close();
    await sandbox?.cleanup();
  });

  const answersIn = (platform: string) => page.locator(`.chat--${platform} .row--bot:not(.typing-row) .bubble`);

  async function type(platform: string, text: string): Promise<void> {
    await page.fill(`#input-${platform}`, text);
    await page.press(`#input-${platform}`, 'Enter');
  }

  test('the launcher says the sandbox runs with its own roomy limits, and web and worker get them', () => {
    expect(said.find((line) => line.startsWith('limits'))).toMatch(/the sandbox's roomy ones.*burst 60\/1m/);
    for (const [name, value] of Object.entries(SANDBOX_LIMITS)) expect(sandbox.productEnv[name]).toBe(value);
  });

  test('a dozen commands typed in a row are every one answered on the page, none refused', async () => {
    const commands = ['/help', '/limits', '/privacy', '/why', '/memory', '/think', '/fast', '/contemplate'];
    commands.push('/fast', '/help', '/limits', '/reset');
    const before = await answersIn('whatsapp').count();
    for (const command of commands) await type('whatsapp', command);
    await answersIn('whatsapp')
      .nth(before + commands.length - 1)
      .waitFor({ timeout: 30_000 });
    const texts = (await answersIn('whatsapp').allTextContents()).slice(before);
    expect(texts).toHaveLength(commands.length);
    for (const text of texts) expect(text).not.toMatch(/faster than I answer|a lot of messages|reached the limit/i);
    expect(texts.at(-1)).toMatch(/forgotten our conversation/);
  });

  test('/think with a question: one answer to the question, in thinking mode, which stays on', async () => {
    const before = await answersIn('messenger').count();
    await type('messenger', '/think why is the sky blue?');
    const answer = answersIn('messenger').nth(before);
    await answer.waitFor({ timeout: 30_000 });
    const text = (await answer.textContent()) ?? '';
    expect(text).toContain('why is the sky blue?');
    expect(text).not.toContain('/think why');
    expect(text).toMatch(/You're in thinking mode now, for your next messages too\. Send \/auto to switch back\./);
    await page.waitForTimeout(500);
    await expect(answersIn('messenger').count()).resolves.toBe(before + 1);
  });

  test('/shop with a request: the products found, as text and cards, in one go', async () => {
    const before = await answersIn('instagram').count();
    await type('instagram', '/shop rain jacket');
    await page.locator('.chat--instagram .bubble--card').last().waitFor({ timeout: 30_000 });
    const text = (await answersIn('instagram').nth(before).textContent()) ?? '';
    expect(text).toMatch(/I searched the catalog for “rain jacket” and found [1-9]\d* products?/);
    expect(text).toMatch(/You're in shopping mode now/);
  });

  test('no script errors on the page', () => {
    expect(browser.errors).toEqual([]);
  });
});
