import { z } from 'zod';
import type { RedisClient } from '../redis/connection';
import { plaintextSealer, SealedValueCorruptError, type Sealer } from '../crypto/sealing';

/**
 * What the model sees of earlier turns. Kept in a Redis list per conversation, bounded by turn
 * count and by characters (oldest dropped first), and forgotten after a quiet period. Each entry
 * is sealed (AES-256-GCM, bound to its conversation) when DATA_ENCRYPTION_KEY is set.
 */
export interface HistoryEntry {
  role: 'user' | 'assistant';
  content: string;
  /** ms since the epoch */
  at: number;
  /** an answer of the model: what it was made from (`/why` shows the last one) */
  made?: AnswerMaking;
}

/**
 * What an answer was made from: the mode, the model that answered, the remembered facts it was
 * given and the catalog searches it ran. Kept with the answer in the history (the facts are the
 * person's words: sealed alike), so it lives and is erased exactly as the conversation is.
 */
export interface AnswerMaking {
  mode: string;
  model: string;
  facts: string[];
  searches: string[];
  /** the passages and web results the answer used, as citation lines (absent on older entries) */
  passages?: string[];
  /** the tokens the model spent reasoning, where its backend reports them */
  reasoningTokens?: number;
  /** ms since the epoch */
  at: number;
  /** in auto mode: the mode auto chose (`mode` above) and why */
  route?: { reason: string };
  /** the emoji the person reacted to this answer with (feedback; absent when none or taken back) */
  reaction?: string;
}

const makingSchema = z.object({
  mode: z.string(),
  model: z.string(),
  facts: z.array(z.string()),
  searches: z.array(z.string()),
  passages: z.array(z.string()).optional(),
  reasoningTokens: z.number().int().nonnegative().optional(),
  at: z.number(),
  route: z.object({ reason: z.string() }).optional(),
  reaction: z.string().max(64).optional(),
});

/** What the last answer among `entries` was made from; null before the model has answered. */
export function lastAnswerMaking(entries: HistoryEntry[]): AnswerMaking | null {
  for (let i = entries.length - 1; i >= 0; i -= 1) {
    const made = entries[i]!.made;
    if (made) return made;
  }
  return null;
}

export interface HistoryLimits {
  maxTurns: number;
  maxChars: number;
  ttlSeconds: number;
}

export class ConversationHistory {
  constructor(
    private readonly redis: RedisClient,
    private readonly keyOf: (conversation: string) => string,
    private readonly limits: HistoryLimits,
    private readonly sealer: Sealer = plaintextSealer,
  ) {}

  async load(conversation: string): Promise<HistoryEntry[]> {
    return this.withinCharBudget(await this.everything(conversation));
  }

  /** Every entry kept, past the model's character budget too (what /export shows). */
  async everything(conversation: string): Promise<HistoryEntry[]> {
    return this.open(conversation, await this.redis.lrange(this.keyOf(conversation), 0, -1));
  }

  /** What the model sees of entries read as stored (sealed, oldest first). */
  forModel(conversation: string, stored: string[]): HistoryEntry[] {
    return this.withinCharBudget(this.open(conversation, stored));
  }

  /** Entries as stored, sealed for this conversation. */
  seal(conversation: string, entries: HistoryEntry[]): string[] {
    return entries.map((entry) => this.sealer.seal(JSON.stringify(entry), conversation));
  }

  /** The most entries kept: the rest are dropped oldest first. */
  get maxEntries(): number {
    return this.limits.maxTurns * 2;
  }

  /** Entries as stored (sealed, oldest first), opened; unreadable ones are skipped. */
  open(conversation: string, stored: string[]): HistoryEntry[] {
    const entries: HistoryEntry[] = [];
    for (const item of stored) {
      try {
        const parsed = JSON.parse(this.sealer.open(item, conversation)) as Partial<HistoryEntry>;
        if ((parsed.role === 'user' || parsed.role === 'assistant') && typeof parsed.content === 'string') {
          const made = makingSchema.safeParse(parsed.made);
          const entry = { role: parsed.role, content: parsed.content, at: Number(parsed.at) || 0 };
          entries.push(made.success ? { ...entry, made: made.data } : entry);
        }
      } catch (error) {
        // A corrupt entry is skipped rather than losing the whole conversation; a missing key is
        // a configuration error the operator must see, so it is not swallowed.
        if (!(error instanceof SyntaxError || error instanceof SealedValueCorruptError)) throw error;
      }
    }
    return entries;
  }

  /** Appends entries as part of `multi`, so the caller can commit them with other state at once. */
  appendIn(multi: ReturnType<RedisClient['multi']>, conversation: string, entries: HistoryEntry[]): void {
    const key = this.keyOf(conversation);
    multi.rpush(key, ...this.seal(conversation, entries));
    multi.ltrim(key, -this.maxEntries, -1);
    multi.expire(key, this.limits.ttlSeconds);
  }

  /**
   * Rewrites the making of the answer stamped `answerAt` (its `made.at`) with `change` (a reaction
   * kept with the answer it is about); false when the history holds no such answer (gone with
   * /reset, trimmed or expired). Callers hold the conversation's turn lock, so no other write
   * moves the entries between the read and the write.
   */
  async changeAnswer(
    conversation: string,
    answerAt: number,
    change: (made: AnswerMaking) => AnswerMaking,
  ): Promise<AnswerMaking | false> {
    const key = this.keyOf(conversation);
    const stored = await this.redis.lrange(key, 0, -1);
    for (let i = stored.length - 1; i >= 0; i -= 1) {
      const [entry] = this.open(conversation, [stored[i]!]);
      if (entry?.made?.at !== answerAt) continue;
      const made = change(entry.made);
      const [sealed] = this.seal(conversation, [{ ...entry, made }]);
      await this.redis.lset(key, i - stored.length, sealed!);
      return made;
    }
    return false;
  }

  async clear(conversation: string): Promise<void> {
    await this.redis.del(this.keyOf(conversation));
  }

  private withinCharBudget(entries: HistoryEntry[]): HistoryEntry[] {
    let total = 0;
    let start = entries.length;
    while (start > 0) {
      const size = entries[start - 1]!.content.length;
      if (total + size > this.limits.maxChars) break;
      total += size;
      start -= 1;
    }
    // Never begin with an assistant message: the model should see the question it answered.
    while (start < entries.length && entries[start]!.role === 'assistant') start += 1;
    return entries.slice(start);
  }
}
