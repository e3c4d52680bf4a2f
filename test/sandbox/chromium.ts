import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/**
 * Debian's Chromium driven by playwright-core for the sandbox's browser tests; the tests skip,
 * saying why, when it is missing (.ci/run installs it).
 */
export const CHROMIUM = '/usr/bin/chromium';
export const haveChromium = existsSync(CHROMIUM);

export function describeWithChromium(what: string): jest.Describe {
  if (haveChromium) return describe;
  process.stderr.write(`${what} SKIPPED: no Chromium at ${CHROMIUM} (install it: apt-get install -y chromium)\n`);
  return describe.skip;
}

export interface OpenPage {
  page: Page;
  context: BrowserContext;
  /** script errors the page raised */
  errors: string[];
  close(): Promise<void>;
}

/** A headless Chromium with a fresh profile, on `url`, once the page's live stream is connected. */
export async function openSandboxPage(url: string): Promise<OpenPage> {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'sbx-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // a synthetic microphone, allowed without a prompt, for the MediaRecorder voice-note test
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
    ],
    viewport: { width: 1400, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url);
  await page.locator('#conn-label', { hasText: 'live' }).waitFor();
  return {
    page,
    context,
    errors,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
