import { Redis } from 'ioredis';
import { redactRedisUrl, redisUnreachableMessage } from '../../src/redis/reachability';

/**
 * Jest's global setup: the integration tests run against a real Redis (REDIS_URL, else
 * 127.0.0.1:6379). Without one every test would fail on its own timeout minutes later; this
 * stops the run at once with the same sentence `web` and `worker` log.
 */
export default async function checkRedis(): Promise<void> {
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 2000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  let failure: string | undefined;
  redis.on('error', (err: Error) => (failure = err.message));
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    const why = failure ?? (error instanceof Error ? error.message : String(error));
    const meanwhile = 'The tests need a real Redis (`redis-server` starts one on 127.0.0.1:6379).';
    throw new Error(redisUnreachableMessage(redactRedisUrl(url), why, meanwhile), { cause: error });
  } finally {
    redis.disconnect();
  }
}
