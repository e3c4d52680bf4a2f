import type { RedisClient } from '../redis/connection';
import { DEFAULT_MODE, isMode, type Mode } from '../core/modes';

/**
 * The mode each conversation is in, kept in Redis so it survives restarts and is the same for
 * every worker. A conversation that never chose is in the default mode; a choice is forgotten
 * after a long quiet period, like the rest of the conversation's state.
 */
export class ModeStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keyOf: (conversation: string) => string,
    private readonly ttlSeconds = 365 * 24 * 3600,
  ) {}

  async get(conversation: string): Promise<Mode> {
    const stored = await this.redis.get(this.keyOf(conversation));
    return isMode(stored) ? stored : DEFAULT_MODE;
  }

  async set(conversation: string, mode: Mode): Promise<void> {
    await this.redis.set(this.keyOf(conversation), mode, 'EX', this.ttlSeconds);
  }
}
