import { randomBytes } from 'node:crypto';
import type { RedisClient } from '../redis/connection';
import { plaintextSealer, type Sealer } from '../crypto/sealing';
import { LuaScript } from '../redis/lua-script';

/**
 * A yes/no question the bot asked and is waiting on ("Remember that you're vegetarian?", "Erase
 * everything?"). One per conversation: asking again replaces it. It lives a few minutes; the
 * answer takes it, so it can be answered once only, and a message written after it was sent drops
 * it, so a later "yes" never confirms a question the person moved on from.
 *
 * Consent must come after the question, so each question has an id, which its Yes/No buttons
 * carry, and records when the Send API accepted the reply that asked it: a typed yes stamped
 * earlier by the platform (sent with the message that led to the question, or while the answer
 * was being written) is not an answer to it. A hash per conversation: `id`, `q` (what is asked;
 * `data` may hold what the person said, a fact to remember, so it is sealed like history),
 * `until` and, once sent, `sent` (ms since the epoch).
 */
export interface PendingQuestion {
  /** which handler answers it (src/quick-answers/open-question-reply.ts) */
  kind: string;
  data?: Record<string, string>;
}

/** A question as a turn finds it open. */
export interface OpenQuestion extends PendingQuestion {
  id: string;
  /** ms since the epoch: when it expires */
  until: number;
  /** ms since the epoch: when the Send API accepted the reply asking it; unset until then */
  sentAt?: number;
}

export const PENDING_QUESTION_TTL_SECONDS = 5 * 60;

// KEYS: the question. ARGV: its id, when it was sent. Only the question with that id is marked:
// one answered (taken) or replaced meanwhile stays as it is.
const MARK_SENT = `
if redis.call('hget', KEYS[1], 'id') == ARGV[1] then redis.call('hset', KEYS[1], 'sent', ARGV[2]) end
return 0`;

export class PendingQuestions {
  private readonly markScript = new LuaScript(MARK_SENT);

  constructor(
    private readonly redis: RedisClient,
    private readonly keyOf: (conversation: string) => string,
    private readonly sealer: Sealer = plaintextSealer,
    private readonly ttlSeconds = PENDING_QUESTION_TTL_SECONDS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Asks `question` in `conversation`, replacing any open one; resolves with its id. */
  async ask(conversation: string, question: PendingQuestion): Promise<string> {
    const id = randomBytes(6).toString('hex');
    await this.write(conversation, { ...question, id, until: this.now() + this.ttlSeconds * 1000 });
    return id;
  }

  /** The reply asking question `id` was accepted by the Send API at `at`. */
  async markSent(conversation: string, id: string, at: number): Promise<void> {
    await this.markScript.run(this.redis, [this.keyOf(conversation)], [id, at]);
  }

  /**
   * Puts back a question a turn's claim took but did not answer, because its message was
   * written before the question reached the person; it keeps its id and its end.
   */
  async restore(conversation: string, question: OpenQuestion): Promise<void> {
    if (question.until > this.now()) await this.write(conversation, question);
  }

  /**
   * The open question as a turn's claim took it (read and removed in one step, so it is answered
   * once; src/conversation/conversation-turn.ts); null when there was none or it is unreadable.
   */
  open(conversation: string, fields: Record<string, string> | null): OpenQuestion | null {
    const { id, q, until, sent } = fields ?? {};
    if (!id || !q || !until) return null;
    try {
      const parsed = JSON.parse(this.sealer.open(q, conversation)) as Partial<PendingQuestion>;
      if (typeof parsed.kind !== 'string') return null;
      const sentAt = sent === undefined ? undefined : Number(sent);
      return { kind: parsed.kind, data: parsed.data, id, until: Number(until), ...(sentAt ? { sentAt } : {}) };
    } catch {
      return null;
    }
  }

  async drop(conversation: string): Promise<void> {
    await this.redis.del(this.keyOf(conversation));
  }

  private async write(conversation: string, question: OpenQuestion): Promise<void> {
    const key = this.keyOf(conversation);
    const sealed = this.sealer.seal(JSON.stringify({ kind: question.kind, data: question.data }), conversation);
    const fields = ['id', question.id, 'q', sealed, 'until', String(question.until)];
    if (question.sentAt !== undefined) fields.push('sent', String(question.sentAt));
    await this.redis
      .multi()
      .del(key)
      .hset(key, ...fields)
      .pexpireat(key, question.until)
      .exec();
  }
}
