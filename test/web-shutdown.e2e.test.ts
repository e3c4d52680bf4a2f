import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { loadConfig } from '../config';
import { signBody } from '../src/platforms/signature';
import { createPseudonyms } from '../src/crypto/pseudonyms';
import { INBOUND_QUEUE, createJobIds } from '../src/queues/jobs';
import { queuePrefix } from '../src/redis/keys';
import { ChildWorker, childEnv } from './helpers/child-worker';
import { whatsAppText } from './helpers/payloads';
import { REDIS_URL, TEST_APP_SECRET, deleteKeysWithPrefix, testEnv } from './helpers/system';

/**
 * A deploy stops the real `web` process (webhooks/main.ts) with SIGTERM while deliveries are
 * arriving: it exits 0, and every delivery it answered 200 is in the queue — nothing acknowledged
 * is lost. Deliveries it did not take get a connection error or a non-200, so Meta redelivers.
 */
describe('web process SIGTERM', () => {
  const config = loadConfig(testEnv());
  let web: ChildWorker | undefined;
  const redis = new Redis(REDIS_URL);
  afterAll(async () => {
    await web?.stop();
    await deleteKeysWithPrefix(redis, config.redis.prefix);
    redis.disconnect();
  });

  it('exits 0 and loses no delivery it acknowledged', async () => {
    const port = 20000 + Math.floor(Math.random() * 20000);
    web = new ChildWorker(childEnv(config, { PORT: String(port) }), 'webhooks/main.ts');
    await web.waitForLog(/"msg":"web listening"/);
    const post = async (i: number) => {
      const payload = whatsAppText('15550004001', `message ${i}`, { id: `wamid.SHUTDOWN${i}` });
      const body = JSON.stringify(payload);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/webhooks/whatsapp`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(body, TEST_APP_SECRET) },
          body,
        });
        return { i, status: res.status };
      } catch {
        return { i, status: 0 };
      }
    };
    const first = await Promise.all(Array.from({ length: 20 }, (_, i) => post(i)));
    expect(first.every((r) => r.status === 200)).toBe(true);
    const during = Array.from({ length: 40 }, (_, i) => post(100 + i));
    web.kill('SIGTERM');
    const results = [...first, ...(await Promise.all(during))];
    expect((await web.exited).code).toBe(0);

    const queue = new Queue(INBOUND_QUEUE, { connection: redis, prefix: queuePrefix(config.redis.prefix) });
    const jobIds = createJobIds(createPseudonyms(config.privacy.logPseudonymKey));
    for (const { i, status } of results) {
      expect([0, 200, 503]).toContain(status);
      if (status === 200) {
        expect(await queue.getJob(jobIds.inbound(`whatsapp-wamid.SHUTDOWN${i}`, '15550004001'))).toBeDefined();
      }
    }
    await queue.close();
  });
});
