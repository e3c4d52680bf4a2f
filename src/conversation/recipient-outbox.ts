import type { RedisClient } from '../redis/connection';
import { TurnOrder, type HeadState, type HeldTurn } from './turn-order';
import { LuaScript } from '../redis/lua-script';

/**
 * Answers to one user leave in the order they were decided, even when one of them is held back
 * (WhatsApp's pair rate limit 131056, a Graph outage, Retry-After): a later answer never
 * overtakes an earlier one that is waiting for its retry.
 *
 * The turn processor appends each answer to its conversation's outbox before it enqueues the send
 * job; the sender may send an answer only while it holds the conversation's send lock and the
 * answer is the outbox head (the same lock + head rule as TurnOrder, on separate keys). Other
 * users' answers are not affected: their outboxes are their own.
 */

// Appends at the tail: score = last score + 1, so the order is the order of appends, whatever the
// clocks of the worker hosts say. NX-like: an answer already present keeps its place (a retried
// turn appends again).
const APPEND = new LuaScript(`
if redis.call('zscore', KEYS[1], ARGV[1]) then return 0 end
local last = redis.call('zrange', KEYS[1], -1, -1, 'WITHSCORES')
local score = 1
if last[2] then score = tonumber(last[2]) + 1 end
redis.call('zadd', KEYS[1], score, ARGV[1])
redis.call('expire', KEYS[1], ARGV[2])
return 1`);

export class RecipientOutbox {
  private readonly order: TurnOrder;

  constructor(
    private readonly redis: RedisClient,
    private readonly outboxKey: (conversation: string) => string,
    sendLockKey: (conversation: string) => string,
    private readonly ttlSeconds: number,
    lockTtlMs = 30_000,
  ) {
    this.order = new TurnOrder(redis, outboxKey, sendLockKey, lockTtlMs);
  }

  /** Puts the answer to `answering` at the end of the conversation's outbox (no-op if there). */
  async append(conversation: string, answering: string): Promise<void> {
    await APPEND.run(this.redis, [this.outboxKey(conversation)], [answering, this.ttlSeconds]);
  }

  /**
   * The send turn for `answering`, or null when an earlier answer to the same user is still on its
   * way (`headState` says whether the head's send job still exists; a finished or failed one is
   * dropped from the outbox). An answer that was never appended (a job from before this
   * existed) is sent at once.
   */
  async tryBegin(
    conversation: string,
    answering: string,
    headState: (head: string) => Promise<HeadState>,
  ): Promise<HeldTurn | null> {
    return (await this.order.tryBegin(conversation, answering, headState)).held;
  }

  async finish(conversation: string, answering: string): Promise<void> {
    await this.redis.zrem(this.outboxKey(conversation), answering);
  }
}
