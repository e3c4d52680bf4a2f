import type { RedisClient } from '../redis/connection';
import { isModeChoice, type ModeChoice } from '../core/modes';

/**
 * The mode each conversation is in, kept in Redis so it survives restarts and is the same for
 * every worker. A conversation that never chose is in the deployment's default (DEFAULT_MODE); a
 * choice is forgotten after a long quiet period, like the rest of the conversation's state.
 */
export class ModeStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keyOf: (conversation: string) => string,
    /** DEFAULT_MODE: what a conversation that never chose is in */
    readonly defaultChoice: ModeChoice = 'auto',
    private readonly ttlSeconds = 365 * 24 * 3600,
  ) {}

  async get(conversation: string): Promise<ModeChoice> {
    const stored = await this.redis.get(this.keyOf(conversation));
    return isModeChoice(stored) ? stored : this.defaultChoice;
  }

  async set(conversation: string, mode: ModeChoice): Promise<void> {
    await this.redis.set(this.keyOf(conversation), mode, 'EX', this.ttlSeconds);
  }
}
