import { loadConfig } from '../config';
import { ChildWorker, childEnv } from './helpers/child-worker';
import { OwnRedis } from './helpers/own-redis';
import { testEnv } from './helpers/system';

/**
 * An orchestrator sends SIGTERM while Redis is down (a redeploy during an outage). BullMQ's close
 * waits for Redis, which may never come back in time: the worker must still exit within
 * SHUTDOWN_GRACE_MS plus a small margin, saying why, and ioredis's connection errors must reach the
 * logs through pino, never as bare "Unhandled error event" lines on stderr.
 */
const GRACE_MS = 2000;
/** process start-up of the exit path, the logger flush, and a loaded 2-core machine */
const MARGIN_MS = 3000;

describe('worker SIGTERM while Redis is down', () => {
  let redis: OwnRedis;
  let worker: ChildWorker | undefined;

  beforeEach(async () => {
    redis = await OwnRedis.start();
  });
  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
    await redis.destroy();
  });

  it('exits within the grace period plus a margin, with a logged reason and no bare ioredis errors', async () => {
    const config = loadConfig(testEnv({ REDIS_URL: redis.url }));
    worker = new ChildWorker(
      childEnv(config, {
        SHUTDOWN_GRACE_MS: String(GRACE_MS),
        GRAPH_API_URL: 'http://127.0.0.1:9',
        INSTAGRAM_GRAPH_API_URL: 'http://127.0.0.1:9',
        LLM_BASE_URL: 'http://127.0.0.1:9/v1',
      }),
    );
    await worker.ready();

    await redis.stop();
    // Let every connection notice the outage and start reconnecting.
    await worker.waitForLog(/ECONNREFUSED|Connection is closed|connect/i, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 1000));

    const signalled = Date.now();
    worker.kill('SIGTERM');
    let giveUp: NodeJS.Timeout | undefined;
    const exit = await Promise.race([
      worker.exited,
      new Promise<'still running'>((resolve) => {
        giveUp = setTimeout(() => resolve('still running'), GRACE_MS + 10_000);
      }),
    ]);
    clearTimeout(giveUp);
    const tookMs = Date.now() - signalled;

    expect(exit).not.toBe('still running');
    expect(tookMs).toBeLessThanOrEqual(GRACE_MS + MARGIN_MS);
    expect(worker.output.some((line) => /"msg":"shutdown deadline reached; exiting"/.test(line))).toBe(true);
    expect(worker.stderr.filter((line) => /Unhandled error event/.test(line))).toEqual([]);
    // The outage itself is logged, as JSON through pino.
    expect(worker.output.some((line) => line.startsWith('{') && /"msg":"redis connection error"/.test(line))).toBe(
      true,
    );
  }, 40_000);
});
