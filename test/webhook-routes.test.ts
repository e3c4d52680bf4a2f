import { loadConfig } from '../config';
import { createLogger } from '../src/logging';
import { queuePrefix } from '../src/redis/keys';
import { startWeb } from '../webhooks/web';
import { pageText, whatsAppText } from './helpers/payloads';
import { TEST_VERIFY_TOKEN, startSystem, testEnv, type TestSystem } from './helpers/system';
import { firstOf } from './helpers/present';

/** The outside contract of `web`: routes, status codes, and nothing enqueued on a bad request. */
describe('webhook routes', () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startSystem({ workers: false });
  });
  afterAll(async () => system.stop());

  const inboundJobs = () => system.redis.keys(`${queuePrefix(system.config.redis.prefix)}:inbound:*-*`);

  describe('verification handshake', () => {
    it.each(['whatsapp', 'messenger', 'instagram'])('echoes hub.challenge as plain text on %s', async (platform) => {
      const res = await fetch(
        `${system.baseUrl}/webhooks/${platform}?hub.mode=subscribe&hub.verify_token=${TEST_VERIFY_TOKEN}&hub.challenge=1158201444`,
      );
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await res.text()).toBe('1158201444');
    });

    it('refuses a wrong token or mode with 403', async () => {
      const wrongToken = await fetch(
        `${system.baseUrl}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`,
      );
      const wrongMode = await fetch(
        `${system.baseUrl}/webhooks/whatsapp?hub.mode=unsubscribe&hub.verify_token=${TEST_VERIFY_TOKEN}&hub.challenge=1`,
      );
      expect(wrongToken.status).toBe(403);
      expect(wrongMode.status).toBe(403);
    });
  });

  describe('deliveries', () => {
    it('accepts a correctly signed delivery with 200', async () => {
      expect((await system.deliver('whatsapp', whatsAppText('1555', 'hi'))).status).toBe(200);
    });

    it('accepts a body with raw non-ASCII bytes when the signature covers those bytes', async () => {
      expect((await system.deliver('messenger', pageText('page', '9', 'Ünïcödé 東京 🇯🇵'))).status).toBe(200);
    });

    it('accepts a body with Meta-style \\u escapes, signed over the escaped bytes', async () => {
      const body = JSON.stringify(pageText('instagram', '9', 'äöå')).replace(/äöå/, '\\u00e4\\u00f6\\u00e5');
      expect((await system.deliver('instagram', body)).status).toBe(200);
    });

    it('answers 401 to a bad or missing signature and enqueues nothing', async () => {
      const before = (await inboundJobs()).length;
      const payload = whatsAppText('1555', 'forged', { id: 'wamid.FORGED' });
      expect((await system.deliver('whatsapp', payload, { secret: 'wrong' })).status).toBe(401);
      expect((await system.deliver('whatsapp', payload, { signature: null })).status).toBe(401);
      expect((await system.deliver('whatsapp', payload, { signature: 'sha256=' })).status).toBe(401);
      expect((await inboundJobs()).length).toBe(before);
    });

    it('answers 400 to a signed body that is not JSON', async () => {
      expect((await system.deliver('messenger', '{"object": "page", ')).status).toBe(400);
    });

    it('answers 400 when the object belongs to another platform', async () => {
      expect((await system.deliver('messenger', whatsAppText('1', 'x'))).status).toBe(400);
      expect((await system.deliver('whatsapp', pageText('page', '1', 'x'))).status).toBe(400);
      expect((await system.deliver('instagram', pageText('page', '1', 'x'))).status).toBe(400);
    });

    it('answers 413 to a body over the size cap', async () => {
      const huge = JSON.stringify({ object: 'page', entry: [], pad: 'x'.repeat(1024 * 1024 + 10) });
      expect((await system.deliver('messenger', huge)).status).toBe(413);
    });

    it('acknowledges events the bot ignores with 200 and enqueues nothing', async () => {
      const before = (await inboundJobs()).length;
      const echo = pageText('page', '9', 'our own message');
      firstOf(firstOf(echo.entry).messaging).message.is_echo = true;
      expect((await system.deliver('messenger', echo)).status).toBe(200);
      expect((await inboundJobs()).length).toBe(before);
    });

    it('answers 404 for an unknown platform', async () => {
      expect((await system.deliver('telegram', {})).status).toBe(404);
    });
  });

  describe('health', () => {
    it('GET /healthz and /readyz answer 200 while Redis answers', async () => {
      expect((await fetch(`${system.baseUrl}/healthz`)).status).toBe(200);
      expect((await fetch(`${system.baseUrl}/readyz`)).status).toBe(200);
    });
  });
});

describe('web without Redis or channels', () => {
  it('answers /readyz 503 and a delivery 503 (so Meta redelivers) when Redis does not answer', async () => {
    const config = loadConfig(testEnv({ REDIS_URL: 'redis://127.0.0.1:1' }));
    const web = await startWeb(config, createLogger({ level: 'silent', name: 'test' }), 0);
    try {
      const base = `http://127.0.0.1:${web.port}`;
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect((await fetch(`${base}/readyz`)).status).toBe(503);
      const { signBody } = await import('../src/platforms/signature');
      const body = JSON.stringify(whatsAppText('1555', 'hello'));
      const started = Date.now();
      const res = await fetch(`${base}/webhooks/whatsapp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(body, config.meta.appSecret) },
        body,
      });
      expect(res.status).toBe(503);
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await web.close();
    }
  });

  it('answers 404 on the routes of a channel that is off', async () => {
    const config = loadConfig(testEnv({ MESSENGER_PAGE_ACCESS_TOKEN: '' }));
    const web = await startWeb(config, createLogger({ level: 'silent', name: 'test' }), 0);
    try {
      const base = `http://127.0.0.1:${web.port}`;
      const handshake = await fetch(
        `${base}/webhooks/messenger?hub.mode=subscribe&hub.verify_token=${TEST_VERIFY_TOKEN}&hub.challenge=1`,
      );
      expect(handshake.status).toBe(404);
      const post = await fetch(`${base}/webhooks/messenger`, { method: 'POST', body: '{}' });
      expect(post.status).toBe(404);
    } finally {
      await web.close();
    }
  });
});
