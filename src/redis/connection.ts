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
  return cluster ? createCluster(cluster, options, role) : new Redis(url, options);
}

/**
 * A cluster client with the same per-role behaviour, made to ride through a master's failover
 * (the master dies; after `cluster-node-timeout` the cluster marks it failed and elects its
 * replica, which then serves its slots):
 * - a command to the lost slots is retried with a fresh slot map (after MOVED, CLUSTERDOWN,
 *   TRYAGAIN or a closed connection) every 300 ms, up to `maxRedirections` times: a worker's for
 *   about 30 s, longer than a failover takes even with Redis's default 15 s node timeout; a
 *   producer's for about 10 s (ingest gives up after 2 s anyway, and Meta redelivers);
 * - it never stops reconnecting (clusterRetryStrategy always gives a delay), so a moment when no
 *   seed answers does not end it;
 * - no cluster-wide ready check. ioredis runs it on every (re)connect and, when it fails
 *   (`cluster_state:fail` during the election, or a node closing under it), reconnects without
 *   ever settling the promise connect() returned. BullMQ awaits that promise when it reconnects
 *   a worker's blocking connection, and the worker then waits on it forever and takes no job
 *   again. Without the check a command during the election gets CLUSTERDOWN and is retried.
 */
function createCluster(target: RedisClusterTarget, options: RedisOptions, role: RedisRole): Cluster {
  const { retryStrategy, enableOfflineQueue, enableAutoPipelining, ...perNode } = options;
  const clusterOptions: ClusterOptions = {
    clusterRetryStrategy: (attempt) => (typeof retryStrategy === 'function' ? retryStrategy(attempt) : 1000),
    enableOfflineQueue: enableOfflineQueue ?? true,
    enableAutoPipelining: enableAutoPipelining ?? false,
    enableReadyCheck: false,
    // Reads go to masters: a replica may lag, and a dedupe check must see the latest write.
    scaleReads: 'master',
    retryDelayOnFailover: 300,
    retryDelayOnClusterDown: 300,
    retryDelayOnTryAgain: 100,
    maxRedirections: role === 'worker' ? 100 : 32,
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
