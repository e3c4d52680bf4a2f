import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../logging';

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
    // disconnect() ends the socket and keeps a timer to destroy it if it does not close; on a
    // socket that never connected (Redis down) that timer runs in full, holding the process up.
    // Nothing is waited for after disconnect(), so a short one loses nothing.
    disconnectTimeout: 100,
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

/** One line per connection per this many ms while Redis stays unreachable (ioredis retries every ≤ 2 s). */
const ERROR_LOG_INTERVAL_MS = 10_000;

/**
 * Sends a connection's errors to the log. Without an 'error' listener ioredis prints each failed
 * reconnect to stderr as a bare "[ioredis] Unhandled error event" line, outside the JSON logs.
 * Repeats during one outage are counted, not each logged.
 */
export function logConnectionErrors(redis: Redis, logger: Logger, connection: string): void {
  let lastLoggedAt = 0;
  let suppressed = 0;
  redis.on('error', (err: Error) => {
    const now = Date.now();
    if (now - lastLoggedAt < ERROR_LOG_INTERVAL_MS) {
      suppressed += 1;
      return;
    }
    lastLoggedAt = now;
    logger.warn({ connection, err: err.message, repeatsSinceLastLine: suppressed }, 'redis connection error');
    suppressed = 0;
  });
}
