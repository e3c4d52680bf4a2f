import { randomUUID } from 'node:crypto';
import type { RedisClient } from '../redis/connection';
import { LuaScript } from '../redis/lua-script';

/**
 * One turn at a time per conversation, in the order the user wrote, across any number of worker
 * processes, without holding up other conversations.
 *
 * Each message is registered in its conversation's inbox (a sorted set scored by the platform's
 * timestamp) when it is enqueued. A worker may answer a message only while it holds the
 * conversation's lock AND the message is the inbox's head. Otherwise the job steps aside (it is
 * delayed, freeing the worker slot) until the turn ahead of it finishes and wakes it. The lock expires on its own if its
 * holder dies; the message stays in the inbox until its turn is finished, so nothing is lost.
 */

// Gives the lock back (if still ours) and answers the inbox's head, so the turn that finishes can
// wake the message waiting behind it. KEYS: lock, inbox (one conversation: one cluster slot).
const RELEASE = new LuaScript(`if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('del', KEYS[1]) end
return redis.call('zrange', KEYS[2], 0, 0)[1] or false`);
// Adds a message to its conversation's inbox (no-op if there) and renews the inbox's lifetime.
// KEYS: inbox. ARGV: score, message key, lifetime in seconds.
const REGISTER = new LuaScript(`redis.call('zadd', KEYS[1], 'NX', ARGV[1], ARGV[2])
return redis.call('expire', KEYS[1], ARGV[3])`);
const RENEW = new LuaScript(
  `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`,
);

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
  /** the lock's value: whoever holds it may give it back */
  readonly token: string;
  /** Gives the turn back; resolves with the message now at the head of the inbox, if any. */
  release(): Promise<string | null>;
  /** The lock was given back by a script that also finished the turn: stop renewing it. */
  released(): void;
  /**
   * The lock is ours for certain: taken or renewed so recently that it cannot have expired, with
   * a wide margin. Then it can be given back without first reading whose it is (one command
   * fewer). Only Redis itself losing the key (a failover before it replicated) defeats this, as
   * it defeats the lock itself.
   */
  surelyHeld(): boolean;
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

  /**
   * Adds the message to its conversation's inbox (no-op if already there) and renews its
   * lifetime, in one script: one command per message on the web's hot path, where the two
   * commands it replaces cost the web process nearly twice the CPU (measured with auto-pipelining
   * on, as the producer runs). One key, so one cluster slot.
   */
  async register(redis: RedisClient, conversation: string, messageKey: string, score: number): Promise<void> {
    await REGISTER.run(redis, [this.inboxKey(conversation)], [score, messageKey, this.inboxTtlSeconds]);
  }

  /**
   * Tries to take the turn for `messageKey`. Returns no `held` when the job must wait: another turn
   * of this conversation is running, or an earlier message (`head`) is still pending. `headState` tells
   * whether an earlier message is still coming (its job exists) or is gone for good (failed,
   * or already answered), in which case it is dropped from the inbox.
   */
  async tryBegin(
    conversation: string,
    messageKey: string,
    headState: (headKey: string) => Promise<HeadState>,
  ): Promise<{ held: HeldTurn } | { held: null; head: string | null }> {
    const lock = this.lockKey(conversation);
    const token = randomUUID();
    const acquired = await this.redis.set(lock, token, 'PX', this.lockTtlMs, 'NX');
    if (acquired !== 'OK') return { held: null, head: null };
    const held = this.hold(conversation, token);
    try {
      for (;;) {
        const [head] = await this.redis.zrange(this.inboxKey(conversation), 0, 0);
        if (head === undefined || head === messageKey) return { held };
        if ((await headState(head)) === 'pending') break;
        await this.redis.zrem(this.inboxKey(conversation), head);
      }
    } catch (error) {
      await held.release();
      throw error;
    }
    return { held: null, head: await held.release() };
  }

  /** Removes a finished message from the inbox, as part of the caller's transaction. */
  finishIn(multi: ReturnType<RedisClient['multi']>, conversation: string, messageKey: string): void {
    multi.zrem(this.inboxKey(conversation), messageKey);
  }

  /**
   * A lock `token` already holds on the conversation (taken by a script no earlier than `takenAt`):
   * renewed until given back.
   */
  hold(conversation: string, token: string, takenAt = Date.now()): HeldTurn {
    const lock = this.lockKey(conversation);
    const inbox = this.inboxKey(conversation);
    let validUntil = takenAt + this.lockTtlMs;
    // Renew well before expiry so a long model call keeps the turn; stop on release.
    const renewal = setInterval(
      () => {
        const asked = Date.now();
        RENEW.run(this.redis, [lock], [token, this.lockTtlMs])
          .then((renewed) => {
            if (renewed === 1) validUntil = asked + this.lockTtlMs;
          })
          .catch(() => undefined);
      },
      Math.floor(this.lockTtlMs / 3),
    );
    renewal.unref();
    let released = false;
    const settle = () => {
      released = true;
      clearInterval(renewal);
    };
    const margin = Math.max(1000, this.lockTtlMs / 4);
    return {
      token,
      released: settle,
      surelyHeld: () => Date.now() < validUntil - margin,
      release: async () => {
        if (released) return null;
        settle();
        const head = await RELEASE.run(this.redis, [lock, inbox], [token]);
        return typeof head === 'string' ? head : null;
      },
    };
  }
}
