import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { loadConfig } from '../config';
import { createLogger, userRef } from '../src/logging';
import { signBody } from '../src/platforms/signature';
import { createPseudonyms } from '../src/crypto/pseudonyms';
import { startWeb, type RunningWeb } from '../webhooks/web';
import { startWorkers, type RunningWorkers } from '../workers/worker';
import { FakeGraph } from './helpers/fake-graph';
import { FakeModel } from './helpers/fake-model';
import { pageText, realisticWamid, whatsAppText } from './helpers/payloads';
import { deleteKeysWithPrefix, TEST_APP_SECRET, testEnv } from './helpers/system';
import { defined, firstOf } from './helpers/present';

/** Every line the logger writes, kept as text. */
function logBuffer() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      callback();
    },
  });
  return { stream, text: () => lines.join('\n'), lines };
}

describe('pseudonymous logs', () => {
  it('writes user, conversation and job ids as keyed hashes, stable for one key', () => {
    const buffer = logBuffer();
    const key = randomBytes(32);
    const logger = createLogger({ level: 'info', name: 't', pseudonymKey: key, destination: buffer.stream });
    logger.child({ part: 'x' }).info(
      {
        userId: '5491155558888',
        conversation: 'whatsapp:106540352242922:5491155558888',
        jobId: 'reply-whatsapp-wamid.X',
      },
      'something happened',
    );
    logger.warn({ to: { channelId: 'PAGE', userId: '5491155558888' }, recipient: { id: '5491155558888' } }, 'x');
    const line = JSON.parse(firstOf(buffer.lines)) as Record<string, string>;
    const addressed = JSON.parse(defined(buffer.lines[1])) as {
      to: { channelId: string; userId: string };
      recipient: { id: string };
    };
    expect(addressed.to).toEqual({ channelId: 'PAGE', userId: line.userId });
    expect(addressed.recipient).toEqual({ id: line.userId });
    const expected = createPseudonyms(key);
    expect(line.userId).toBe(expected.user('5491155558888'));
    expect(line.userId).toBe(userRef('5491155558888'));
    expect(line.conversation).toBe(`whatsapp:106540352242922:${expected.user('5491155558888')}`);
    expect(line.jobId).toBe(`reply-whatsapp-${expected.message('wamid.X')}`);
    expect(buffer.text()).not.toContain('5491155558888');
    // another key gives other hashes: without the key the hash cannot be looked up
    expect(createPseudonyms(randomBytes(32)).user('5491155558888')).not.toBe(line.userId);
  });

  it('keys the hash with LOG_PSEUDONYM_KEY, else with a key derived from (not equal to) META_APP_SECRET', () => {
    const base = { META_APP_SECRET: 'app-secret', META_VERIFY_TOKEN: 'v' };
    const derived = loadConfig(base).privacy.logPseudonymKey;
    expect(derived.toString('utf8')).not.toContain('app-secret');
    expect(loadConfig(base).privacy.logPseudonymKey.equals(derived)).toBe(true);
    expect(loadConfig({ ...base, LOG_PSEUDONYM_KEY: 'other' }).privacy.logPseudonymKey.equals(derived)).toBe(false);
  });

  describe('a conversation on all three platforms, logged at trace level', () => {
    const graph = new FakeGraph();
    const model = new FakeModel();
    const buffer = logBuffer();
    let web: RunningWeb;
    let workers: RunningWorkers;
    let redis: Redis;
    let prefix: string;
    afterAll(async () => {
      await workers?.close();
      await web?.close();
      await Promise.all([graph.stop(), model.stop()]);
      await deleteKeysWithPrefix(redis, prefix);
      redis.disconnect();
    });

    it('never carries a raw user id, nor a WhatsApp message id (it encodes the phone number)', async () => {
      await Promise.all([graph.start(), model.start()]);
      const config = loadConfig(
        testEnv({ GRAPH_API_URL: graph.url, INSTAGRAM_GRAPH_API_URL: graph.url, LLM_BASE_URL: model.url }),
      );
      prefix = config.redis.prefix;
      redis = new Redis(config.redis.url);
      const logger = createLogger({
        level: 'trace',
        name: 'test',
        pseudonymKey: config.privacy.logPseudonymKey,
        destination: buffer.stream,
      });
      web = await startWeb(config, logger, 0);
      workers = await startWorkers(config, logger);
      const deliver = (platform: string, payload: unknown) => {
        const body = JSON.stringify(payload);
        return fetch(`http://127.0.0.1:${web.port}/webhooks/${platform}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(body, TEST_APP_SECRET) },
          body,
        });
      };

      const phone = '5491155558888';
      const psid = '7384920156378421';
      const igsid = '1784116593200777';
      const wamid = realisticWamid(phone);
      // the first send fails once, so the retry path (with its error and job id) is logged too
      graph.script(FakeGraph.graphError(2, 503), 1, (r) => (r.body as { type?: string } | undefined)?.type === 'text');
      expect((await deliver('whatsapp', whatsAppText(phone, 'hello from WhatsApp', { id: wamid }))).status).toBe(200);
      expect((await deliver('messenger', pageText('page', psid, 'hello from Messenger'))).status).toBe(200);
      expect((await deliver('instagram', pageText('instagram', igsid, 'hello from Instagram'))).status).toBe(200);
      await graph.waitFor(() => graph.sentTexts().length === 3);
      await new Promise((resolve) => setTimeout(resolve, 200));

      const logs = buffer.text();
      expect(logs).toContain('reply sent');
      expect(logs).toContain('send failed; retrying');
      for (const raw of [phone, psid, igsid, wamid, wamid.slice('wamid.'.length, 30)]) {
        expect(logs).not.toContain(raw);
      }
      // the job ids are there, hashed, and the same hash in web and worker lines
      const jobRef = createPseudonyms(config.privacy.logPseudonymKey).job(`whatsapp-${wamid}`);
      expect(logs).toContain(jobRef);
    });
  });
});
