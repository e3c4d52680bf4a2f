import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { Redis } from 'ioredis';
import { loadConfig } from '../config';
import { freePort } from '../sandbox/redis';
import { signBody } from '../src/platforms/signature';
import { ChildWorker, childEnv } from './helpers/child-worker';
import { REDIS_URL, TEST_APP_SECRET, deleteKeysWithPrefix, testEnv } from './helpers/system';

/**
 * What a client that sends garbage gets back from the real `web` process started the way the
 * Procfile starts it, with `NODE_ENV` unset: a status and a few words, never a stack trace or a
 * path on the server. Each route that takes a body (or a path parameter) gets a malformed one, an
 * oversized one and one of the wrong type.
 */
const ROOT = path.resolve(__dirname, '..');
const ADMIN_TOKEN = 'admin-token-error-pages-0123456789';

interface Probe {
  name: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  status: number | 'client error';
}

function probes(signedHeaders: (body: string) => Record<string, string>): Probe[] {
  const json = { 'content-type': 'application/json' };
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const auth = { authorization: `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')}` };
  const big = 'x'.repeat(2 * 1024 * 1024);
  return [
    {
      name: 'webhook, malformed JSON',
      method: 'POST',
      path: '/webhooks/whatsapp',
      headers: signedHeaders('{"object":'),
      body: '{"object":',
      status: 400,
    },
    {
      name: 'webhook, oversized',
      method: 'POST',
      path: '/webhooks/messenger',
      headers: signedHeaders(big),
      body: big,
      status: 413,
    },
    {
      name: 'webhook, wrong type',
      method: 'POST',
      path: '/webhooks/instagram',
      headers: { ...signedHeaders('a=b'), 'content-type': 'text/plain' },
      body: 'a=b',
      status: 'client error',
    },
    { name: 'webhook handshake, malformed path', method: 'GET', path: '/webhooks/%E0%A4%A', status: 400 },
    {
      name: 'data deletion, oversized form',
      method: 'POST',
      path: '/meta/data-deletion',
      headers: form,
      body: `signed_request=${'a'.repeat(64 * 1024)}`,
      status: 413,
    },
    {
      name: 'data deletion, unknown charset',
      method: 'POST',
      path: '/meta/data-deletion',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=klingon' },
      body: 'signed_request=a.b',
      status: 415,
    },
    {
      name: 'data deletion, broken gzip',
      method: 'POST',
      path: '/meta/data-deletion',
      headers: { ...form, 'content-encoding': 'gzip' },
      body: gzipSync('signed_request=a.b').subarray(0, 12),
      status: 400,
    },
    {
      name: 'data deletion, unknown encoding',
      method: 'POST',
      path: '/meta/data-deletion',
      headers: { ...form, 'content-encoding': 'zstd-ish' },
      body: 'signed_request=a.b',
      status: 415,
    },
    {
      name: 'data deletion, wrong type',
      method: 'POST',
      path: '/meta/data-deletion',
      headers: json,
      body: '{"signed_request":',
      status: 400,
    },
    { name: 'deletion status, malformed path', method: 'GET', path: '/meta/data-deletion/%E0%A4%A', status: 400 },
    {
      name: 'dashboard sign-in, oversized',
      method: 'POST',
      path: '/admin/queues/login',
      headers: form,
      body: `token=${'a'.repeat(64 * 1024)}`,
      status: 413,
    },
    {
      name: 'dashboard sign-in, unknown charset',
      method: 'POST',
      path: '/admin/queues/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=klingon' },
      body: 'token=a',
      status: 415,
    },
    {
      name: 'dashboard API, malformed JSON',
      method: 'POST',
      path: '/admin/queues/api/queues/inbound/add',
      headers: { ...auth, ...json },
      body: '{"name":',
      status: 'client error',
    },
    {
      name: 'dashboard API, oversized JSON',
      method: 'POST',
      path: '/admin/queues/api/queues/inbound/add',
      headers: { ...auth, ...json },
      body: `{"name":"${'a'.repeat(512 * 1024)}"}`,
      status: 'client error',
    },
    {
      name: 'dashboard, malformed path',
      method: 'GET',
      path: '/admin/queues/api/queues/%E0%A4%A/jobs',
      headers: auth,
      status: 'client error',
    },
  ];
}

describe('error pages with NODE_ENV unset', () => {
  const config = loadConfig(testEnv());
  const redis = new Redis(REDIS_URL);
  let web: ChildWorker | undefined;
  let base = '';

  beforeAll(async () => {
    const port = await freePort();
    const env: Record<string, string> = childEnv(config, {
      PORT: String(port),
      ADMIN_TOKEN,
      ADMIN_READ_ONLY: 'false',
      WEBHOOK_BODY_LIMIT_BYTES: String(1024 * 1024),
    });
    delete env.NODE_ENV;
    web = new ChildWorker(env, 'webhooks/main.ts');
    await web.waitForLog(/"msg":"web listening"/);
    base = `http://127.0.0.1:${port}`;
  }, 30_000);
  afterAll(async () => {
    await web?.stop();
    await deleteKeysWithPrefix(redis, config.redis.prefix);
    redis.disconnect();
  });

  const signed = (body: string) => ({
    'content-type': 'application/json',
    'x-hub-signature-256': signBody(body, TEST_APP_SECRET),
  });

  it.each(probes(signed).map((probe) => [probe.name, probe] as const))(
    'answers %s with a status and a short reason, no stack, no path',
    async (_name, probe) => {
      const res = await fetch(`${base}${probe.path}`, {
        method: probe.method,
        headers: probe.headers,
        body: probe.body,
      });
      const text = await res.text();
      if (probe.status === 'client error') {
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
      } else {
        expect(res.status).toBe(probe.status);
      }
      expect(text.length).toBeLessThanOrEqual(200);
      expect(text).not.toMatch(/\bat .+[(:]\d+/);
      expect(text).not.toMatch(/Error:|SyntaxError|node_modules|\.ts\b|\.js\b/);
      expect(text).not.toContain(ROOT);
      expect(text).not.toMatch(/<pre>|<html/i);
    },
  );
});
