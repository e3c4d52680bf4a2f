import { Redis, type RedisOptions } from 'ioredis';

/**
 * Two kinds of Redis connection, as BullMQ's production guide asks:
 * - `worker` connections wait out a Redis outage (maxRetriesPerRequest: null) so a blocked worker
 *   resumes on its own;
 * - `producer` connections fail fast (no offline queue, a command timeout) so the webhook can
 *   answer 503 within a second or two and Meta redelivers, instead of hanging.
 */
export type RedisRole = 'worker' | 'producer';

export function createRedis(url: string, role: RedisRole, overrides: RedisOptions = {}): Redis {
  const common: RedisOptions = {
    lazyConnect: false,
    connectionName: `threadline-${role}`,
    retryStrategy: (attempt) => Math.min(100 * attempt, 2000),
  };
  const byRole: RedisOptions =
    role === 'worker'
      ? { maxRetriesPerRequest: null, enableReadyCheck: true }
      : {
          maxRetriesPerRequest: 1,
          enableOfflineQueue: false,
          commandTimeout: 1500,
          connectTimeout: 1500,
          // Commands issued in the same tick (many concurrent webhooks) share one socket write.
          enableAutoPipelining: true,
        };
  return new Redis(url, { ...common, ...byRole, ...overrides });
}

/** Resolves once the connection is ready, or rejects after `timeoutMs`. */
export async function waitForRedis(redis: Redis, timeoutMs = 5000): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`Redis not ready after ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = () => {
      cleanup();
      resolve();
    };
    const cleanup = () => {
      clearTimeout(timer);
      redis.off('ready', onReady);
    };
    redis.on('ready', onReady);
  });
}
