import type { RedisClient } from './connection';
import type { Logger } from '../logging';

/**
 * BullMQ keeps jobs, locks and our dedupe records in Redis; two settings decide whether they
 * survive: `maxmemory-policy` must be `noeviction` (any other policy may silently delete a job or
 * an "answered" record under memory pressure: lost or doubled answers), and persistence (AOF or
 * RDB snapshots) decides what a Redis restart keeps. Read-only: CONFIG GET, never CONFIG SET.
 */
export interface RedisSettings {
  maxmemoryPolicy: string | undefined;
  appendonly: string | undefined;
  appendfsync: string | undefined;
  save: string | undefined;
}

export async function readRedisSettings(redis: RedisClient): Promise<RedisSettings> {
  const get = async (name: string): Promise<string | undefined> => {
    const pair: unknown = await redis.call('CONFIG', 'GET', name);
    return Array.isArray(pair) && typeof pair[1] === 'string' ? pair[1] : undefined;
  };
  return {
    maxmemoryPolicy: await get('maxmemory-policy'),
    appendonly: await get('appendonly'),
    appendfsync: await get('appendfsync'),
    save: await get('save'),
  };
}

/** Logs a warning for each setting that can lose or double answers; never fails the start. */
export async function checkRedisForProduction(redis: RedisClient, logger: Logger): Promise<RedisSettings | undefined> {
  let settings: RedisSettings;
  try {
    settings = await readRedisSettings(redis);
  } catch (err) {
    // Managed Redis often disables CONFIG; say so once and carry on.
    logger.warn(
      { err: err instanceof Error ? err.message : String(err) },
      'could not read Redis settings (CONFIG GET refused); make sure maxmemory-policy is noeviction and persistence is on',
    );
    return undefined;
  }
  if (settings.maxmemoryPolicy !== undefined && settings.maxmemoryPolicy !== 'noeviction') {
    logger.warn(
      { maxmemoryPolicy: settings.maxmemoryPolicy },
      'Redis maxmemory-policy is not noeviction: under memory pressure Redis may delete queued jobs and dedupe records (lost or doubled answers). Set maxmemory-policy noeviction.',
    );
  }
  const aof = settings.appendonly === 'yes';
  const snapshots = settings.save !== undefined && settings.save.trim() !== '';
  if (!aof) {
    logger.warn(
      { appendonly: settings.appendonly, save: settings.save },
      snapshots
        ? 'Redis AOF is off: a Redis restart loses what was written since the last snapshot (queued messages, dedupe records). Set appendonly yes.'
        : 'Redis persistence is off: a Redis restart loses every queued message and dedupe record. Set appendonly yes (appendfsync everysec).',
    );
  } else {
    logger.info(
      { appendonly: settings.appendonly, appendfsync: settings.appendfsync, save: settings.save },
      'Redis persistence',
    );
  }
  return settings;
}
