import type { Logger } from '../logging';
import type { RedisClient, RedisTarget } from './connection';

/**
 * Saying plainly that Redis does not answer, and where it was looked for. Both processes keep
 * retrying rather than exit (web answers webhooks 503 meanwhile, so Meta redelivers; the worker
 * resumes its queues by itself), so an operator with a wrong REDIS_URL needs one clear line,
 * early and repeated, naming Redis and the URL, instead of a stream of connection errors. The
 * test suite's global setup says the same before any test runs (test/helpers/redis-check.ts).
 */

/** The first line comes this soon after start when no connection is ready; then one per interval. */
export const FIRST_REPORT_MS = 2000;
export const REPORT_INTERVAL_MS = 10_000;

/** `redis://user:secret@host:6379/0` → `redis://user:***@host:6379/0`: safe for logs. */
export function redactRedisUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^@/]*)@/i, (_, scheme: string, credentials: string) => {
    const colon = credentials.indexOf(':');
    return colon < 0 ? `${scheme}${credentials}@` : `${scheme}${credentials.slice(0, colon)}:***@`;
  });
}

/** Where Redis is looked for, as an operator wrote it, with any password hidden. */
export function describeRedisTarget(target: RedisTarget | string): string {
  if (typeof target === 'string') return redactRedisUrl(target);
  if (!target.cluster) return redactRedisUrl(target.url);
  const nodes = target.cluster.nodes.map((n) => `${n.host}:${n.port}`).join(',');
  return `${target.cluster.tls ? 'rediss' : 'redis'}-cluster://${target.cluster.password ? '***@' : ''}${nodes}`;
}

/** The one sentence every place that cannot reach Redis says. */
export function redisUnreachableMessage(where: string, error?: string, meanwhile?: string): string {
  return [
    `Redis does not answer at ${where}${error ? ` (${error})` : ''}.`,
    ...(meanwhile ? [meanwhile] : []),
    'Start Redis there, or set REDIS_URL to where it runs.',
  ].join(' ');
}

export interface ReachabilityOptions {
  /** what the process does while Redis is away, e.g. "webhooks answer 503 until it does" */
  meanwhile: string;
  firstReportMs?: number;
  reportIntervalMs?: number;
}

/**
 * Watches the process's own connections: while any is not ready, one error line soon after
 * start and then one per interval (with how long Redis has been away), and one line when it
 * answers again. Also keeps each connection's last error for that line; registering the
 * listener early keeps ioredis from printing bare "Unhandled error event" lines meanwhile. It
 * ends by itself once a connection is closed on purpose, or with `stop()`.
 */
export function watchRedisReachability(
  connections: RedisClient[],
  target: RedisTarget | string,
  logger: Logger,
  options: ReachabilityOptions,
): { stop(): void } {
  const where = describeRedisTarget(target);
  let lastError: string | undefined;
  let downSince: number | undefined = Date.now();
  let reported = false;
  for (const connection of connections) connection.on('error', (err: Error) => (lastError = err.message));

  const check = () => {
    // A connection closed on purpose (the process is stopping) is not an outage: the watch ends.
    if (connections.some((c) => c.status === 'end')) return stop();
    const down = connections.some((c) => c.status !== 'ready');
    if (!down) {
      if (reported) logger.info({ redis: where }, `Redis answers again at ${where}`);
      downSince = undefined;
      reported = false;
      return;
    }
    downSince ??= Date.now();
    const downForSeconds = Math.round((Date.now() - downSince) / 1000);
    const meanwhile = `Retrying every few seconds; ${options.meanwhile}.`;
    logger.error(
      { redis: where, err: lastError, downForSeconds },
      redisUnreachableMessage(where, lastError, meanwhile),
    );
    reported = true;
  };
  const first = setTimeout(check, options.firstReportMs ?? FIRST_REPORT_MS);
  const every = setInterval(check, options.reportIntervalMs ?? REPORT_INTERVAL_MS);
  first.unref();
  every.unref();
  function stop(): void {
    clearTimeout(first);
    clearInterval(every);
  }
  return { stop };
}
