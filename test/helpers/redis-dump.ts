import type { Redis } from 'ioredis';

/**
 * Every key under `prefix` with every value in it, whatever the Redis type, as text, sorted by key
 * (SCAN's order changes as the keyspace grows, so two dumps of the same data compare equal).
 */
export async function dumpPrefix(redis: Redis, prefix: string): Promise<Array<{ key: string; values: string[] }>> {
  const dump: Array<{ key: string; values: string[] }> = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) dump.push({ key, values: await valuesOf(redis, key) });
  } while (cursor !== '0');
  return dump.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

async function valuesOf(redis: Redis, key: string): Promise<string[]> {
  const type = await redis.type(key);
  if (type === 'string') return [(await redis.get(key)) ?? ''];
  if (type === 'list') return redis.lrange(key, 0, -1);
  if (type === 'hash') return Object.entries(await redis.hgetall(key)).flat();
  if (type === 'set') return redis.smembers(key);
  if (type === 'zset') return redis.zrange(key, 0, -1);
  if (type === 'stream') {
    const entries = await redis.xrange(key, '-', '+');
    return entries.flatMap(([id, fields]) => [id, ...fields]);
  }
  return [`<${type}>`];
}
