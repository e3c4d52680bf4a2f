import { createHash } from 'node:crypto';
import type { RedisClient } from './connection';

/**
 * A Lua script run by its SHA1 (EVALSHA), so the body crosses the wire once per Redis server
 * rather than with every call; a server that does not know it yet (a restart, a new cluster
 * node) answers NOSCRIPT and gets the body once (EVAL), which also caches it there.
 */
export class LuaScript {
  private readonly sha: string;

  constructor(private readonly body: string) {
    this.sha = createHash('sha1').update(body).digest('hex');
  }

  async run(redis: RedisClient, keys: string[], args: Array<string | number>): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      // A restarted server, a failed-over replica or SCRIPT FLUSH: the cache is empty.
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return redis.eval(this.body, keys.length, ...keys, ...args);
    }
  }
}
