import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { RedisClusterTarget } from '../../config';
import type { Logger } from '../logging';

/**
 * A connection to one Redis server or to a Redis Cluster. Both speak the same commands; on a
 * cluster every MULTI, Lua script and multi-key command must keep its keys in one hash slot,
 * which the key builders in keys.ts and mode-state-keys.ts see to.
 */
export type RedisClient = Redis | Cluster;

/** What createRedis connects to: `Config['redis']`, or just a URL for one server. */
export interface RedisTarget {
  url: string;
  cluster?: RedisClusterTarget | null;
}

/**
 * Two kinds of Redis connection, as BullMQ's production guide asks:
 * - `worker` connections wait out a Redis outage (maxRetriesPerRequest: null) so a blocked worker
 *   resumes on its own;
 * - `producer` connections fail fast (no offline queue, a command timeout) so the webhook can
 *   answer 503 within a second or two and Meta redelivers, instead of hanging.
 */
export type RedisRole = 'worker' | 'producer';

const reconnectDelay = (attempt: number) => Math.min(100 * attempt, 2000);

function roleOptions(role: RedisRole): RedisOptions {
  return role === 'worker'
    ? { maxRetriesPerRequest: null, enableReadyCheck: true }
    : {
        maxRetriesPerRequest: 1,
        enableOfflineQueue: false,
        commandTimeout: 1500,
        connectTimeout: 1500,
        // Commands issued in the same tick (many concurrent webhooks) share one socket write.
        enableAutoPipelining: true,
      };
}

export function createRedis(target: RedisTarget | string, role: RedisRole, overrides: RedisOptions = {}): RedisClient {
  const { url, cluster } = typeof target === 'string' ? { url: target, cluster: null } : target;
  const common: RedisOptions = {
    lazyConnect: false,
    connectionName: `threadline-${role}`,
    retryStrategy: reconnectDelay,
    // disconnect() ends the socket and keeps a timer to destroy it if it does not close; on a
    // socket that never connected (Redis down) that timer runs in full, holding the process up.
    // Nothing is waited for after disconnect(), so a short one loses nothing.
    disconnectTimeout: 100,
  };
  const options = { ...common, ...roleOptions(role), ...overrides };
  return cluster ? createCluster(cluster, options) : new Redis(url, options);
}

/**
 * A cluster client with the same per-role behaviour. While a master fails over (the cluster's
 * node timeout, then a replica's election) its slots answer nothing or CLUSTERDOWN; the client
 * refreshes the slot map and retries, every `retryDelayOnFailover` ms up to `maxRedirections`
 * times: about ten seconds, longer than a failover with the recommended settings takes.
 */
function createCluster(target: RedisClusterTarget, options: RedisOptions): Cluster {
  const { retryStrategy, enableOfflineQueue, enableAutoPipelining, ...perNode } = options;
  const clusterOptions: ClusterOptions = {
    clusterRetryStrategy: (attempt) => (typeof retryStrategy === 'function' ? retryStrategy(attempt) : 1000),
    enableOfflineQueue: enableOfflineQueue ?? true,
    enableAutoPipelining: enableAutoPipelining ?? false,
    enableReadyCheck: true,
    // Reads go to masters: a replica may lag, and a dedupe check must see the latest write.
    scaleReads: 'master',
    retryDelayOnFailover: 300,
    retryDelayOnClusterDown: 300,
    retryDelayOnTryAgain: 100,
    maxRedirections: 32,
    slotsRefreshTimeout: 2000,
    redisOptions: {
      ...perNode,
      username: target.username,
      password: target.password,
      ...(target.tls ? { tls: {} } : {}),
    },
  };
  return new Cluster(target.nodes, clusterOptions);
}

/** Resolves once the connection is ready, or rejects after `timeoutMs`. */
export async function waitForRedis(redis: RedisClient, timeoutMs = 5000): Promise<void> {
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
export function logConnectionErrors(redis: RedisClient, logger: Logger, connection: string): void {
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
