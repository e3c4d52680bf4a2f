import { Cluster } from 'ioredis';
import type { RedisClient } from './connection';

/** Escapes Redis glob characters, so a piece of a pattern (an id) can only match itself. */
export function globLiteral(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

/** Every key matching `pattern`, all at once (for patterns that match few keys). */
export async function allKeys(redis: RedisClient, pattern: string): Promise<string[]> {
  const found: string[] = [];
  for await (const keys of scanKeys(redis, pattern)) found.push(...keys);
  return found;
}

/**
 * Every key matching a SCAN pattern, a page at a time. SCAN walks one server's keyspace, so on a
 * Redis Cluster each master is walked in turn (replicas hold copies of the same keys).
 */
export async function* scanKeys(redis: RedisClient, pattern: string, count = 1000): AsyncGenerator<string[]> {
  const servers = redis instanceof Cluster ? redis.nodes('master') : [redis];
  for (const server of servers) {
    let cursor = '0';
    do {
      const [next, keys] = await server.scan(cursor, 'MATCH', pattern, 'COUNT', count);
      cursor = next;
      if (keys.length > 0) yield keys;
    } while (cursor !== '0');
  }
}

/**
 * Deletes keys that may live in different hash slots. One DEL of many keys is refused on a
 * cluster (CROSSSLOT), so each key is its own command; a pipelining client still sends them
 * together. Returns how many existed.
 */
export async function deleteKeys(redis: RedisClient, keys: string[]): Promise<number> {
  const counts = await Promise.all(keys.map((key) => redis.del(key)));
  return counts.reduce((sum, n) => sum + n, 0);
}
