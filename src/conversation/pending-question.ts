import type { RedisClient } from '../redis/connection';
import { plaintextSealer, type Sealer } from '../crypto/sealing';

/**
 * A yes/no question the bot asked and is waiting on ("Remember that you're vegetarian?", "Erase
 * everything?"). One per conversation: asking again replaces it. It lives a few minutes; the
 * answer (a tapped Yes/No or a typed yes/no) takes it, so it can be answered once only, and any
 * other message drops it, so a later "yes" never confirms a question the person moved on from.
 * `data` may hold what the person said (a fact to remember), so it is sealed like history.
 */
export interface PendingQuestion {
  /** which handler answers it (src/turn/answer-pending.ts) */
  kind: string;
  data?: Record<string, string>;
}

export const PENDING_QUESTION_TTL_SECONDS = 5 * 60;

export class PendingQuestions {
  constructor(
    private readonly redis: RedisClient,
    private readonly keyOf: (conversation: string) => string,
    private readonly sealer: Sealer = plaintextSealer,
    private readonly ttlSeconds = PENDING_QUESTION_TTL_SECONDS,
  ) {}

  async ask(conversation: string, question: PendingQuestion): Promise<void> {
    const sealed = this.sealer.seal(JSON.stringify(question), conversation);
    await this.redis.set(this.keyOf(conversation), sealed, 'EX', this.ttlSeconds);
  }

  /**
   * The open question as a turn's claim took it (read and removed in one step, so it is answered
   * once; src/conversation/conversation-turn.ts); null when unreadable.
   */
  open(conversation: string, raw: string): PendingQuestion | null {
    try {
      const parsed = JSON.parse(this.sealer.open(raw, conversation)) as Partial<PendingQuestion>;
      return typeof parsed.kind === 'string' ? { kind: parsed.kind, data: parsed.data } : null;
    } catch {
      return null;
    }
  }

  async drop(conversation: string): Promise<void> {
    await this.redis.del(this.keyOf(conversation));
  }
}
