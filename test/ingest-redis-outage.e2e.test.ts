import { OwnRedis } from './helpers/own-redis';
import { whatsAppText } from './helpers/payloads';
import { startSystem, type TestSystem } from './helpers/system';

/**
 * Redis goes away under the web process (a redis-server of this test's own, never the shared one).
 * The webhook must answer 503 quickly — never hang, never 200 — so Meta redelivers; once Redis is
 * back the web and worker processes recover by themselves and the redelivery is answered once.
 */
describe('ingest while Redis is down', () => {
  let redis: OwnRedis;
  let system: TestSystem | undefined;

  beforeEach(async () => {
    redis = await OwnRedis.start({ appendonly: true });
  });
  afterEach(async () => {
    await redis.restart().catch(() => undefined);
    await system?.stop();
    system = undefined;
    await redis.destroy();
  });

  const delivered = (s: TestSystem) => s.graph.sentTexts().filter((t) => t.request.answeredWith === 200);

  /** Meta's side: POST until it gets 200; every answer on the way must be a quick 503. */
  async function deliverUntilAccepted(s: TestSystem, payload: unknown, timeoutMs = 15_000): Promise<number[]> {
    const statuses: number[] = [];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const started = Date.now();
      const res = await s.deliver('whatsapp', payload);
      expect(Date.now() - started).toBeLessThan(2500);
      statuses.push(res.status);
      if (res.status === 200 || Date.now() > deadline) return statuses;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  it('answers 503 within seconds, survives, and answers the redelivery once after Redis returns', async () => {
    system = await startSystem({ env: { REDIS_URL: redis.url } });
    const before = whatsAppText('15550003001', 'before the outage');
    expect((await system.deliver('whatsapp', before)).status).toBe(200);
    await system.graph.waitFor(() => delivered(system!).length === 1);

    await redis.stop();
    const during = whatsAppText('15550003001', 'during the outage');
    for (let i = 0; i < 3; i += 1) {
      const started = Date.now();
      const res = await system.deliver('whatsapp', during);
      expect(res.status).toBe(503);
      expect(Date.now() - started).toBeLessThan(2500);
    }
    expect((await fetch(`${system.baseUrl}/readyz`)).status).toBe(503);
    expect((await fetch(`${system.baseUrl}/healthz`)).status).toBe(200);

    await redis.restart();
    const statuses = await deliverUntilAccepted(system, during);
    expect(statuses.at(-1)).toBe(200);
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
    await system.graph.waitFor(() => delivered(system!).length === 2, 20_000);
    // Meta redelivers both again: Redis kept the ledger (AOF), so neither is answered twice.
    expect((await system.deliver('whatsapp', during)).status).toBe(200);
    expect((await system.deliver('whatsapp', before)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(delivered(system).map((t) => t.text)).toEqual([
      'echo: before the outage (history: 0)',
      'echo: during the outage (history: 2)',
    ]);
  }, 60_000);

  it('starts while Redis is down, answers 503, and recovers once Redis comes up', async () => {
    await redis.stop();
    system = await startSystem({ env: { REDIS_URL: redis.url }, workers: false });
    const message = whatsAppText('15550003002', 'early bird');
    const started = Date.now();
    expect((await system.deliver('whatsapp', message)).status).toBe(503);
    expect(Date.now() - started).toBeLessThan(2500);

    await redis.restart();
    const statuses = await deliverUntilAccepted(system, message);
    expect(statuses.at(-1)).toBe(200);
  }, 60_000);
});
