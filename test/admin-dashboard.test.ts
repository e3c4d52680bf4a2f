import { whatsAppText } from './helpers/payloads';
import { loadConfig } from '../config';
import { createPseudonyms } from '../src/crypto/pseudonyms';
import { redactJobData } from '../src/queues/redacted-job';
import { startSystem, testEnv, type TestSystem } from './helpers/system';
import { defined, firstOf } from './helpers/present';

/**
 * The queue dashboard's HTTP contract (the browser test, admin-dashboard-browser.test.ts, signs
 * in through the page): off without ADMIN_TOKEN, 401 without the token, Basic auth for scripts,
 * read-only unless ADMIN_READ_ONLY=false, and job data redacted unless LOG_MESSAGE_CONTENT=true.
 */
const ADMIN_TOKEN = 'admin-token-0123456789abcdef';
const USER = '16505550177';
const TEXT = 'my order number is 4471-secret';
const basic = (password: string) => ({ authorization: `Basic ${Buffer.from(`ops:${password}`).toString('base64')}` });
const waitingInbound = '/admin/queues/api/queues?activeQueue=inbound&status=waiting&page=1&jobsPerPage=10';

/** Signs in through the login form, as the browser does; returns the Cookie header to send. */
async function signIn(on: TestSystem): Promise<string> {
  const res = await fetch(`${on.baseUrl}/admin/queues/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: ADMIN_TOKEN }).toString(),
    redirect: 'manual',
  });
  expect(res.status).toBe(303);
  return firstOf(firstOf(res.headers.getSetCookie()).split(';'));
}

/** What Chromium sends with a fetch made by the dashboard's own page. */
const fromDashboard = (on: TestSystem) => ({ origin: on.baseUrl, 'sec-fetch-site': 'same-origin' });

async function waitingInboundCount(on: TestSystem): Promise<number> {
  const res = await fetch(`${on.baseUrl}${waitingInbound}`, { headers: basic(ADMIN_TOKEN) });
  const body = (await res.json()) as { queues: Array<{ name: string; counts: Record<string, number> }> };
  return defined(body.queues.find((q) => q.name === 'inbound')?.counts.waiting);
}

async function systemWithWaitingMessage(env: Record<string, string> = {}): Promise<TestSystem> {
  // No workers: the message stays in the inbound queue for the dashboard to show.
  const system = await startSystem({ workers: false, env: { ADMIN_TOKEN, ...env } });
  expect((await system.deliver('whatsapp', whatsAppText(USER, TEXT))).status).toBe(200);
  return system;
}

describe('queue dashboard at /admin/queues', () => {
  let system: TestSystem;
  afterEach(async () => system?.stop());

  it('does not exist without ADMIN_TOKEN', async () => {
    system = await startSystem({ workers: false });
    for (const path of ['/admin/queues', '/admin/queues/', '/admin/queues/login', '/admin/queues/api/queues']) {
      expect((await fetch(`${system.baseUrl}${path}`, { headers: basic('anything') })).status).toBe(404);
    }
  });

  it('answers 401 and no job data without the token, or with a wrong one', async () => {
    system = await systemWithWaitingMessage();
    const attempts: Array<Record<string, string>> = [
      {},
      basic('wrong-token-0123456789'),
      { cookie: 'threadline_admin=99999999999.forged' },
    ];
    for (const headers of attempts) {
      const api = await fetch(`${system.baseUrl}${waitingInbound}`, { headers });
      const body = await api.text();
      expect(api.status).toBe(401);
      expect(body).not.toContain('inbound');
      expect(body).not.toContain(USER);
      const page = await fetch(`${system.baseUrl}/admin/queues/`, { headers: { ...headers, accept: 'text/html' } });
      const html = await page.text();
      expect(page.status).toBe(401);
      expect(html).toContain('name="token"');
      expect(html).not.toContain(TEXT);
    }
  });

  it('shows both queues to Basic auth, with the message text and the user id hidden', async () => {
    system = await systemWithWaitingMessage();
    const res = await fetch(`${system.baseUrl}${waitingInbound}`, { headers: basic(ADMIN_TOKEN) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      queues: Array<{ name: string; jobs: Array<{ data: Record<string, unknown> }> }>;
    };
    expect(body.queues.map((q) => q.name).sort()).toEqual(['inbound', 'outbound']);
    const job = firstOf(defined(body.queues.find((q) => q.name === 'inbound')).jobs);
    expect(job.data).toMatchObject({ platform: 'whatsapp', text: `‹hidden: ${TEXT.length} characters›` });
    expect(job.data.userId).toMatch(/^u_/);
    expect(JSON.stringify(body)).not.toContain(TEXT);
    expect(JSON.stringify(body)).not.toContain(USER);
  });

  it('is read-only by default and refuses changes; ADMIN_READ_ONLY=false lets the signed-in page make them', async () => {
    const readOnly = await systemWithWaitingMessage();
    try {
      const cookie = await signIn(readOnly);
      const pause = await fetch(`${readOnly.baseUrl}/admin/queues/api/queues/inbound/pause`, {
        method: 'PUT',
        headers: { cookie, ...fromDashboard(readOnly) },
      });
      expect(pause.status).toBe(403);
    } finally {
      await readOnly.stop();
    }
    system = await systemWithWaitingMessage({ ADMIN_READ_ONLY: 'false' });
    const cookie = await signIn(system);
    const pause = (headers: Record<string, string>) =>
      fetch(`${system.baseUrl}/admin/queues/api/queues/inbound/pause`, {
        method: 'PUT',
        headers: { cookie, ...headers },
      });
    expect((await pause({ 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    expect((await pause({ origin: system.baseUrl })).status).toBe(200);
  });

  it('with ADMIN_READ_ONLY=false, adds no job for a cross-site form, Basic auth, or a request from no page', async () => {
    system = await systemWithWaitingMessage({ ADMIN_READ_ONLY: 'false' });
    const cookie = await signIn(system);
    const add = (headers: Record<string, string>) =>
      fetch(`${system.baseUrl}/admin/queues/api/queues/inbound/add`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', ...headers },
        body: '{"name":"planted","data":{"text":"from another site"}}',
      });
    const crossSite = { origin: 'https://attacker.example', 'sec-fetch-site': 'cross-site' };
    const attempts: Array<[string, Record<string, string>]> = [
      ['a cross-site form with remembered Basic credentials', { ...basic(ADMIN_TOKEN), ...crossSite }],
      ['Basic auth from the dashboard’s own origin', { ...basic(ADMIN_TOKEN), ...fromDashboard(system) }],
      ['the cookie on a cross-site request', { cookie, ...crossSite }],
      ['the cookie on a same-site (other subdomain) request', { cookie, 'sec-fetch-site': 'same-site' }],
      ['the cookie with a foreign Origin and no Sec-Fetch-Site', { cookie, origin: 'https://attacker.example' }],
      ['the cookie from no page at all', { cookie }],
    ];
    for (const [what, headers] of attempts) {
      expect({ what, status: (await add(headers)).status }).toEqual({ what, status: 403 });
    }
    expect(await waitingInboundCount(system)).toBe(1);

    // The dashboard's own page may.
    expect((await add({ cookie, ...fromDashboard(system), 'content-type': 'application/json' })).status).toBe(200);
    expect(await waitingInboundCount(system)).toBe(2);
  });

  it('shows job data as stored when LOG_MESSAGE_CONTENT=true', async () => {
    system = await systemWithWaitingMessage({ LOG_MESSAGE_CONTENT: 'true' });
    const res = await fetch(`${system.baseUrl}${waitingInbound}`, { headers: basic(ADMIN_TOKEN) });
    expect(await res.text()).toContain(TEXT);
  });
});

describe('ADMIN_TOKEN', () => {
  it('is refused at start when shorter than 16 characters', () => {
    expect(() => loadConfig(testEnv({ ADMIN_TOKEN: 'short' }))).toThrow(/ADMIN_TOKEN: must be at least 16/);
  });
});

describe('job data as the dashboard shows it', () => {
  const pseudonyms = createPseudonyms(Buffer.alloc(32, 7));

  it('hides an answer’s parts and ids, and any field it does not know', () => {
    const shown = redactJobData(
      {
        platform: 'whatsapp',
        channelId: '106540352242922',
        userId: USER,
        conversation: `whatsapp:106540352242922:${USER}`,
        answeringMessageKey: 'whatsapp-wamid.HBgLMTY1MDU1NTAxNzc',
        parts: ['Your order 4471 ships Monday.', 'Anything else?'],
        choices: [{ id: 'mode:fast', title: 'Fast' }],
        answeringAt: 1_700_000_000_000,
        somethingNew: 'a field added later',
      },
      pseudonyms,
    );
    expect(shown).toEqual({
      platform: 'whatsapp',
      channelId: '106540352242922',
      userId: pseudonyms.user(USER),
      conversation: `whatsapp:106540352242922:${pseudonyms.user(USER)}`,
      answeringMessageKey: pseudonyms.job('whatsapp-wamid.HBgLMTY1MDU1NTAxNzc'),
      parts: ['‹hidden: 29 characters›', '‹hidden: 14 characters›'],
      choices: '‹choices: 1›',
      answeringAt: 1_700_000_000_000,
      somethingNew: '‹hidden: 19 characters›',
    });
  });
});
