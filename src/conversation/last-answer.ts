import type { RedisClient } from '../redis/connection';
import { z } from 'zod';
import { plaintextSealer, SealedValueCorruptError, type Sealer } from '../crypto/sealing';

/**
 * What the conversation's last model answer was made from, for `/why`: the mode, the model that
 * answered, the remembered facts it was given and the catalog searches it ran. One sealed value
 * per conversation (the facts are the person's words), replaced by each answer and kept as long
 * as the conversation's history.
 */
export interface AnswerMaking {
  mode: string;
  model: string;
  facts: string[];
  searches: string[];
  /** ms since the epoch */
  at: number;
}

const makingSchema = z.object({
  mode: z.string(),
  model: z.string(),
  facts: z.array(z.string()),
  searches: z.array(z.string()),
  at: z.number(),
});

export class LastAnswers {
  constructor(
    private readonly redis: RedisClient,
    private readonly keyOf: (conversation: string) => string,
    private readonly ttlSeconds: number,
    private readonly sealer: Sealer = plaintextSealer,
  ) {}

  saveIn(multi: ReturnType<RedisClient['multi']>, conversation: string, making: AnswerMaking): void {
    multi.set(this.keyOf(conversation), this.seal(conversation, making), 'EX', this.ttlSeconds);
  }

  /** The record as stored, for a caller that writes it in its own script. */
  seal(conversation: string, making: AnswerMaking): string {
    return this.sealer.seal(JSON.stringify(making), conversation);
  }

  async get(conversation: string): Promise<AnswerMaking | null> {
    const stored = await this.redis.get(this.keyOf(conversation));
    if (stored === null) return null;
    try {
      const parsed = makingSchema.safeParse(JSON.parse(this.sealer.open(stored, conversation)));
      return parsed.success ? parsed.data : null;
    } catch (error) {
      if (error instanceof SyntaxError || error instanceof SealedValueCorruptError) return null;
      throw error;
    }
  }

  async clear(conversation: string): Promise<void> {
    await this.redis.del(this.keyOf(conversation));
  }
}
