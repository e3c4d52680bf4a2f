import { randomUUID } from 'node:crypto';
import type { RedisClient } from '../redis/connection';

/**
 * One turn at a time per conversation, in the order the user wrote, across any number of worker
 * processes, without holding up other conversations.
 *
 * Each message is registered in its conversation's inbox (a sorted set scored by the platform's
 * timestamp) when it is enqueued. A worker may answer a message only while it holds the
 * conversation's lock AND the message is the inbox's head. Otherwise the job steps aside (it is
 * delayed, freeing the worker slot) and tries again shortly. The lock expires on its own if its
 * holder dies; the message stays in the inbox until its turn is finished, so nothing is lost.
 */

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

/**
 * WhatsApp stamps whole seconds, so two messages in one second would tie; among ties the arrival
 * time (clamped inside that second) keeps the order they reached us in.
 */
export function inboxScore(timestampMs: number, arrivedAtMs: number): number {
  if (timestampMs % 1000 !== 0) return timestampMs;
  return timestampMs + Math.min(999, Math.max(0, arrivedAtMs - timestampMs));
}

export type HeadState = 'pending' | 'gone';

export interface HeldTurn {
  release(): Promise<void>;
}

export class TurnOrder {
  constructor(
    private readonly redis: RedisClient,
    readonly inboxKey: (conversation: string) => string,
    private readonly lockKey: (conversation: string) => string,
    private readonly lockTtlMs = 30_000,
    /**
     * An inbox lives this long after its last message arrived: a message whose job vanished
     * without finishing would otherwise keep its conversation's inbox (and the person's id in
     * its name) forever. Longer than any job lives, so no waiting message is dropped.
     */
    private readonly inboxTtlSeconds = 8 * 24 * 3600,
  ) {}

  /** Adds the message to its conversation's inbox (no-op if already there). */
  async register(redis: RedisClient, conversation: string, messageKey: string, score: number): Promise<void> {
    // Two commands, not a pipeline: on a cluster the caller's batch spans slots.
    await redis.zadd(this.inboxKey(conversation), 'NX', score, messageKey);
    await redis.expire(this.inboxKey(conversation), this.inboxTtlSeconds);
  }

  /**
   * Tries to take the turn for `messageKey`. Returns null when the job must wait: another turn
   * of this conversation is running, or an earlier message is still pending. `headState` tells
   * whether an earlier message is still coming (its job exists) or is gone for good (failed,
   * or already answered), in which case it is dropped from the inbox.
   */
  async tryBegin(
    conversation: string,
    messageKey: string,
    headState: (headKey: string) => Promise<HeadState>,
  ): Promise<HeldTurn | null> {
    const lock = this.lockKey(conversation);
    const token = randomUUID();
    const acquired = await this.redis.set(lock, token, 'PX', this.lockTtlMs, 'NX');
    if (acquired !== 'OK') return null;
    const held = this.hold(lock, token);
    try {
      for (;;) {
        const [head] = await this.redis.zrange(this.inboxKey(conversation), 0, 0);
        if (head === undefined || head === messageKey) return held;
        if ((await headState(head)) === 'pending') break;
        await this.redis.zrem(this.inboxKey(conversation), head);
      }
    } catch (error) {
      await held.release();
      throw error;
    }
    await held.release();
    return null;
  }

  /** Removes a finished message from the inbox, as part of the caller's transaction. */
  finishIn(multi: ReturnType<RedisClient['multi']>, conversation: string, messageKey: string): void {
    multi.zrem(this.inboxKey(conversation), messageKey);
  }

  private hold(lock: string, token: string): HeldTurn {
    // Renew well before expiry so a long model call keeps the turn; stop on release.
    const renewal = setInterval(
      () => {
        this.redis.eval(RENEW, 1, lock, token, String(this.lockTtlMs)).catch(() => undefined);
      },
      Math.floor(this.lockTtlMs / 3),
    );
    renewal.unref();
    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        clearInterval(renewal);
        await this.redis.eval(RELEASE, 1, lock, token);
      },
    };
  }
}
