import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { whatsAppText } from './helpers/payloads';
import { startSystem, type TestSystem } from './helpers/system';
import { defined } from './helpers/present';

/**
 * The queue dashboard in a real browser (Debian's Chromium driven by playwright-core): the page
 * without a sign-in is a 401 login form with no job data; after signing in with ADMIN_TOKEN the
 * browser holds an HttpOnly cookie and bull-board shows both queues, the waiting message's text
 * hidden. Skips, saying why, when Chromium is missing; .ci/run installs it.
 */
const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  process.stderr.write(`dashboard browser test SKIPPED: no Chromium at ${CHROMIUM} (apt-get install -y chromium)\n`);
}
const describeInBrowser = haveChromium ? describe : describe.skip;

jest.setTimeout(120_000);

const ADMIN_TOKEN = 'browser-admin-token-0123456789';
const TEXT = 'please keep 5521-private out of dashboards';

describeInBrowser('queue dashboard in Chromium', () => {
  let system: TestSystem;
  let context: BrowserContext;
  let profile: string;

  beforeAll(async () => {
    // No workers: the message waits in the inbound queue, where the dashboard can show it.
    system = await startSystem({ workers: false, env: { ADMIN_TOKEN } });
    expect((await system.deliver('whatsapp', whatsAppText('16505550199', TEXT))).status).toBe(200);
    profile = mkdtempSync(path.join(os.tmpdir(), 'admin-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
      viewport: { width: 1400, height: 900 },
    });
  });

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await system?.stop();
  });

  test('signs in with the token and sees both queues, with the message text hidden', async () => {
    const page = context.pages()[0] ?? (await context.newPage());
    const first = await page.goto(`${system.baseUrl}/admin/queues`);
    expect(first?.status()).toBe(401);
    expect(await page.content()).not.toContain(TEXT);
    await page.fill('#token', 'not-the-token-at-all');
    await Promise.all([page.waitForURL('**/admin/queues/login'), page.click('button[type=submit]')]);
    await page.locator('[role=alert]').waitFor();

    await page.fill('#token', ADMIN_TOKEN);
    await Promise.all([page.waitForURL('**/admin/queues/'), page.click('button[type=submit]')]);
    await page.getByText('inbound', { exact: true }).first().waitFor({ timeout: 30_000 });
    await page.getByText('outbound', { exact: true }).first().waitFor();

    const [cookie] = (await context.cookies()).filter((c) => c.name === 'threadline_admin');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/admin/queues' });
    expect(cookie!.value).not.toContain(ADMIN_TOKEN);

    await page.goto(`${system.baseUrl}/admin/queues/queue/inbound?status=waiting`);
    await page
      .getByText(/‹hidden: \d+ characters›/)
      .first()
      .waitFor({ timeout: 30_000 });
    expect(await page.content()).not.toContain(TEXT);
  });

  test('a client without the cookie gets 401 and no job data from the API', async () => {
    const response = await fetch(`${system.baseUrl}/admin/queues/api/queues?activeQueue=inbound&status=waiting`);
    expect(response.status).toBe(401);
    expect(await response.text()).not.toMatch(/inbound|hidden/);
  });
});

describeInBrowser('queue dashboard changes in Chromium (ADMIN_READ_ONLY=false)', () => {
  let system: TestSystem;
  let context: BrowserContext;
  let profile: string;
  let attacker: http.Server;
  let attackerUrl: string;

  const waitingInbound = async () => {
    const res = await fetch(`${system.baseUrl}/admin/queues/api/queues?activeQueue=inbound&status=waiting`, {
      headers: { authorization: `Basic ${Buffer.from(`ops:${ADMIN_TOKEN}`).toString('base64')}` },
    });
    const body = (await res.json()) as { queues: Array<{ name: string; counts: Record<string, number> }> };
    return defined(body.queues.find((q) => q.name === 'inbound')).counts.waiting;
  };

  beforeAll(async () => {
    system = await startSystem({ workers: false, env: { ADMIN_TOKEN, ADMIN_READ_ONLY: 'false' } });
    expect((await system.deliver('whatsapp', whatsAppText('16505550199', TEXT))).status).toBe(200);
    // Another site (localhost is a different site from 127.0.0.1) whose page posts a text/plain
    // form to the dashboard as soon as it loads: the body reads as JSON naming a job.
    const target = `${system.baseUrl}/admin/queues/api/queues/inbound/add`;
    attacker = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!doctype html><form method="post" enctype="text/plain" action="${target}">
<input name='{"name":"planted","data":{"x":"' value='"}}'></form><script>document.forms[0].submit()</script>`);
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    attackerUrl = `http://localhost:${(attacker.address() as AddressInfo).port}/`;
    profile = mkdtempSync(path.join(os.tmpdir(), 'admin-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
      // The operator's browser remembers the Basic credentials it once typed for the dashboard.
      httpCredentials: { username: 'ops', password: ADMIN_TOKEN },
    });
  });

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    attacker?.close();
    await system?.stop();
  });

  test('a cross-site text/plain form adds no job; the signed-in dashboard page can still pause a queue', async () => {
    const page = context.pages()[0] ?? (await context.newPage());
    const response = page.waitForResponse((r) => r.url().endsWith('/inbound/add'));
    await page.goto(attackerUrl);
    expect((await response).status()).toBe(403);
    expect(await waitingInbound()).toBe(1);

    await page.goto(`${system.baseUrl}/admin/queues/login`);
    await page.fill('#token', ADMIN_TOKEN);
    await Promise.all([page.waitForURL('**/admin/queues/'), page.click('button[type=submit]')]);
    const status = await page.evaluate(async () => {
      const res = await fetch('/admin/queues/api/queues/inbound/pause', { method: 'PUT' });
      return res.status;
    });
    expect(status).toBe(200);
  });
});
