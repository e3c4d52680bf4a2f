import type { RedisClient } from '../redis/connection';
import { plaintextSealer, SealedValueCorruptError, type Sealer } from '../crypto/sealing';
import type { StateKeys } from '../redis/keys';
import { isReplyPart, type ReplyPart } from '../core/reply-part';

/**
 * Remembers, per message, how far its answer got, so that a redelivered webhook, a retried job or
 * a worker killed mid-turn never produces a second answer:
 *   pending reply (model ran, history saved) → answered (reply handed to the sender) → parts sent.
 * Records expire after DEDUPE_TTL_HOURS (longer than Meta's redelivery window), which bounds memory.
 * Keyed by conversation and message: a turn writes them in one transaction with its
 * conversation's keys (see keys.ts). The first two states share one key, so one read tells a
 * turn where it stands: the pending reply (the answer's text and product cards, sealed to its
 * message when a key is set), replaced by `1` once answered.
 */

/** The ledger entry of an answered message; anything else stored there is a pending reply. */
export const ANSWERED = '1';

export class AnswerLedger {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: StateKeys,
    private readonly ttlSeconds: number,
    private readonly sealer: Sealer = plaintextSealer,
  ) {}

  async isAnswered(conversation: string, message: string): Promise<boolean> {
    return (await this.redis.get(this.keys.answer(conversation, message))) === ANSWERED;
  }

  /** The reply computed by an earlier attempt that did not get to hand it over, if any. */
  async pendingReply(conversation: string, message: string): Promise<ReplyPart[] | null> {
    const raw = await this.redis.get(this.keys.answer(conversation, message));
    return raw === null || raw === ANSWERED ? null : this.openReply(message, raw);
  }

  /** A saved reply as stored; null when unreadable (the turn then decides again). */
  openReply(message: string, raw: string): ReplyPart[] | null {
    try {
      const parts: unknown = JSON.parse(this.sealer.open(raw, message));
      return Array.isArray(parts) && parts.every(isReplyPart) ? parts : null;
    } catch (error) {
      // A missing key is the operator's to fix, so it surfaces.
      if (error instanceof SyntaxError || error instanceof SealedValueCorruptError) return null;
      throw error;
    }
  }

  savePendingIn(
    multi: ReturnType<RedisClient['multi']>,
    conversation: string,
    message: string,
    parts: ReplyPart[],
  ): void {
    multi.set(
      this.keys.answer(conversation, message),
      this.sealer.seal(JSON.stringify(parts), message),
      'EX',
      this.ttlSeconds,
    );
  }

  markAnsweredIn(multi: ReturnType<RedisClient['multi']>, conversation: string, message: string): void {
    multi.set(this.keys.answer(conversation, message), ANSWERED, 'EX', this.ttlSeconds);
  }

  async isPartSent(conversation: string, message: string, part: number): Promise<boolean> {
    return (await this.redis.exists(this.keys.sentPart(conversation, message, part))) === 1;
  }

  /** Marks a part sent; `alsoIn` adds what else records the send to the same transaction. */
  async markPartSent(
    conversation: string,
    message: string,
    part: number,
    alsoIn?: (multi: ReturnType<RedisClient['multi']>) => void,
  ): Promise<void> {
    const key = this.keys.sentPart(conversation, message, part);
    if (!alsoIn) {
      await this.redis.set(key, '1', 'EX', this.ttlSeconds);
      return;
    }
    const multi = this.redis.multi();
    multi.set(key, '1', 'EX', this.ttlSeconds);
    alsoIn(multi);
    await multi.exec();
  }
}
