import { createHmac } from 'node:crypto';
import { signRequest } from '../src/crypto/signed-request';
import { pageText, whatsAppText } from './helpers/payloads';
import { dumpPrefix } from './helpers/redis-dump';
import { startSystem, TEST_APP_SECRET, type TestSystem } from './helpers/system';
import { firstOf, only } from './helpers/present';

/**
 * Meta's Data Deletion Request Callback through real HTTP: `POST /meta/data-deletion` with a form
 * carrying `signed_request`, then the status URL it answers with.
 */

const ASID = '10229000111222333';
const OTHER_PSID = '7384920156378421';

const now = () => Math.floor(Date.now() / 1000);

const payload = (overrides: Record<string, unknown> = {}) => ({
  algorithm: 'HMAC-SHA256',
  expires: Math.floor(Date.now() / 1000) + 3600,
  issued_at: Math.floor(Date.now() / 1000),
  user_id: ASID,
  ...overrides,
});

function postDeletion(system: TestSystem, form: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(`${system.baseUrl}/meta/data-deletion`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
}

async function waitForStatus(url: string, text: string): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const body = await (await fetch(url)).text();
    if (body.includes(text) || Date.now() > deadline) return body;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Keys and values under the prefix that mention `id`. */
async function mentionsOf(system: TestSystem, id: string) {
  const dump = await dumpPrefix(system.redis, system.config.redis.prefix);
  return dump.filter((entry) => entry.key.includes(id) || entry.values.some((v) => v.includes(id)));
}

describe('Meta data deletion callback', () => {
  let system: TestSystem;
  afterEach(async () => system?.stop());

  /** The same number as a Messenger PSID, an Instagram id and a WhatsApp id, plus another person. */
  async function converse() {
    await system.deliver('messenger', pageText('page', ASID, '/think'));
    await system.deliver('messenger', pageText('page', ASID, 'my address is 12 Elm Street'));
    await system.deliver('instagram', pageText('instagram', ASID, 'I wear size 38'));
    await system.deliver('whatsapp', whatsAppText(ASID, 'hello from WhatsApp'));
    await system.deliver('messenger', pageText('page', OTHER_PSID, 'someone else'));
    await system.graph.waitFor(() => system.graph.sentTexts().length === 5);
    // let the sender finish its bookkeeping (ledger marks) after the last Send API call
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  it('answers with a status URL and code, erases what the id matches on Messenger and Instagram, and says so', async () => {
    system = await startSystem();
    await converse();
    const before = await mentionsOf(system, ASID);
    expect(before.some((e) => e.key.includes(':state:history:{messenger:'))).toBe(true);
    expect(before.some((e) => e.key.includes(':state:mode:{messenger:'))).toBe(true);
    expect(before.some((e) => e.key.includes(':state:history:{instagram:'))).toBe(true);

    const res = await postDeletion(system, { signed_request: signRequest(payload(), TEST_APP_SECRET) });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { url: string; confirmation_code: string };
    expect(answer.confirmation_code).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(answer.url).toBe(`${system.baseUrl}/meta/data-deletion/${answer.confirmation_code}`);

    const status = await waitForStatus(answer.url, 'completed');
    expect(status).toContain(`confirmation code ${answer.confirmation_code}`);
    expect(status).toMatch(/Status: completed on \d{4}-\d{2}-\d{2} \(UTC\)\. We erased \d+ stored items/);
    expect(status).toContain('could not be matched');

    // Nothing about the id is left on Messenger or Instagram: no key, no job, no text.
    const after = await mentionsOf(system, ASID);
    for (const entry of after) {
      expect(`${entry.key} ${entry.values.join(' ')}`).toMatch(/whatsapp/);
    }
    const everything = JSON.stringify(await dumpPrefix(system.redis, system.config.redis.prefix));
    expect(everything).not.toContain('12 Elm Street');
    expect(everything).not.toContain('size 38');
    // WhatsApp ids are phone numbers, not app-scoped ids: that conversation is not touched.
    expect(after.some((e) => e.key.includes(':state:history:{whatsapp:'))).toBe(true);
    expect(everything).toContain('hello from WhatsApp');
    // Nor is anyone else's.
    expect((await mentionsOf(system, OTHER_PSID)).some((e) => e.key.includes(':state:history:{messenger:'))).toBe(true);
    // The record of the request holds no id of the person.
    const record = (await dumpPrefix(system.redis, system.config.redis.prefix)).filter((e) =>
      e.key.includes(':state:deletion:'),
    );
    expect(record).toHaveLength(1);
    expect(JSON.stringify(record)).not.toContain(ASID);
    expect(await system.redis.ttl(only(record).key)).toBeGreaterThan(0);
  });

  it('refuses bad or forged requests with 400 and changes nothing', async () => {
    system = await startSystem();
    await converse();
    const before = JSON.stringify(await dumpPrefix(system.redis, system.config.redis.prefix));
    const forgedSignature = (p: Record<string, unknown>) => {
      const encoded = Buffer.from(JSON.stringify(p)).toString('base64url');
      return `${createHmac('sha256', 'not-the-secret').update(encoded).digest('base64url')}.${encoded}`;
    };
    const valid = signRequest(payload(), TEST_APP_SECRET);
    const [validSignature, validPayload] = valid.split('.') as [string, string];
    const tamperedPayload = Buffer.from(JSON.stringify(payload({ user_id: OTHER_PSID }))).toString('base64url');
    const bad: Array<Record<string, string>> = [
      {},
      { signed_request: '' },
      { signed_request: 'no-dot-here' },
      { signed_request: forgedSignature(payload()) },
      { signed_request: `${validSignature}.${tamperedPayload}` },
      { signed_request: `${validSignature.slice(0, -2)}.${validPayload}` },
      { signed_request: signRequest(payload({ algorithm: 'HMAC-SHA1' }), TEST_APP_SECRET) },
      { signed_request: signRequest(payload({ user_id: undefined }), TEST_APP_SECRET) },
      { signed_request: signRequest(payload({ user_id: '12*' }), TEST_APP_SECRET) },
      { signed_request: `${validSignature}.!!!` },
      // Stale, expired, undated or post-dated: a signature valid once is not valid for ever.
      { signed_request: signRequest(payload({ issued_at: now() - 2 * 3600, expires: now() + 3600 }), TEST_APP_SECRET) },
      { signed_request: signRequest(payload({ issued_at: now() - 60, expires: now() - 1 }), TEST_APP_SECRET) },
      { signed_request: signRequest(payload({ issued_at: undefined }), TEST_APP_SECRET) },
      { signed_request: signRequest(payload({ issued_at: now() + 3600 }), TEST_APP_SECRET) },
    ];
    for (const form of bad) {
      const res = await postDeletion(system, form);
      expect({ form, status: res.status }).toEqual({ form, status: 400 });
    }
    const json = await fetch(`${system.baseUrl}/meta/data-deletion`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ signed_request: forgedSignature(payload()) }),
    });
    expect(json.status).toBe(400);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(JSON.stringify(await dumpPrefix(system.redis, system.config.redis.prefix))).toBe(before);

    const unknown = await fetch(`${system.baseUrl}/meta/data-deletion/AAAAAAAAAAAAAAAA`);
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('no deletion request with this confirmation code');
  });

  it('answers 200 copies of one signed request with the same code and URL: one record, one erasure', async () => {
    system = await startSystem();
    await converse();
    const signed = signRequest(payload(), TEST_APP_SECRET);
    const [signature, encoded] = signed.split('.') as [string, string];
    // The same signature spelled with Meta's trailing '=' is the same request.
    const copies = Array.from({ length: 200 }, (_, i) => (i % 2 ? `${signature}=.${encoded}` : signed));
    const answers: Array<{ url: string; confirmation_code: string }> = [];
    for (let i = 0; i < copies.length; i += 20) {
      const batch = await Promise.all(
        copies.slice(i, i + 20).map((copy) => postDeletion(system, { signed_request: copy })),
      );
      for (const res of batch) {
        expect(res.status).toBe(200);
        answers.push((await res.json()) as { url: string; confirmation_code: string });
      }
    }
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(await waitForStatus(firstOf(answers).url, 'completed')).toContain('Status: completed');
    const records = async () =>
      (await dumpPrefix(system.redis, system.config.redis.prefix)).filter((e) => e.key.includes(':state:deletion:'));
    expect(await records()).toHaveLength(1);

    // The person writes again; a later copy of the old request answers the same and erases nothing.
    await system.deliver('messenger', pageText('page', ASID, 'I am back, remember 9 Oak Lane'));
    await system.graph.waitFor(() => system.graph.sentTexts().length === 6);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const replay = await postDeletion(system, { signed_request: signed });
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual(answers[0]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(JSON.stringify(await dumpPrefix(system.redis, system.config.redis.prefix))).toContain('9 Oak Lane');
    expect(await records()).toHaveLength(1);
    // What remembers the signature expires when the request would be refused anyway.
    const held = (await dumpPrefix(system.redis, system.config.redis.prefix)).filter((e) =>
      e.key.includes(':state:deletion-replay:'),
    );
    expect(held).toHaveLength(1);
    expect(await system.redis.ttl(only(held).key)).toBeLessThanOrEqual(3601);
    expect(JSON.stringify(held)).not.toContain(ASID);
  });

  it('builds the status URL from PUBLIC_BASE_URL when set, and answers an id with nothing stored', async () => {
    system = await startSystem({ env: { PUBLIC_BASE_URL: 'https://bot.example.com/' } });
    const res = await postDeletion(system, { signed_request: signRequest(payload(), TEST_APP_SECRET) });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { url: string; confirmation_code: string };
    expect(answer.url).toBe(`https://bot.example.com/meta/data-deletion/${answer.confirmation_code}`);
    const local = `${system.baseUrl}/meta/data-deletion/${answer.confirmation_code}`;
    expect(await waitForStatus(local, 'completed')).toContain(
      'We found no stored data linked to your Facebook account.',
    );
  });
});
