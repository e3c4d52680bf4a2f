import { z } from 'zod';
import { platformSchema } from '../core/inbound';
import { plaintextSealer, type Sealer } from '../crypto/sealing';
import { LANGUAGES } from '../i18n/languages';
import type { RedisClient } from '../redis/connection';
import { hashTag, stateKey } from '../redis/keys';
import { globLiteral, scanKeys } from '../redis/key-scan';
import { LuaScript } from '../redis/lua-script';

/**
 * Who has a conversation while a person answers it, in Redis: one record per conversation (tagged
 * with it, like its history), the opaque handle helpdesks know it by, and the forward log (what
 * the agent's inbox still has to receive, in order). Everything has a lifetime: the idle time
 * plus a day, renewed on every write, so a forgotten handoff cannot outlive its use.
 */

const reasonSchema = z.enum(['asked', 'frustration', 'complaint', 'refund', 'legal', 'no-answer', 'failures', 'other']);

export const pausedStateSchema = z.object({
  conversation: z.string(),
  handle: z.string(),
  platform: platformSchema,
  channelId: z.string(),
  userId: z.string(),
  /** the person's display name, when the platform gave one (for the agent's inbox) */
  userName: z.string().optional(),
  /** the targets holding it (their names) */
  targets: z.array(z.string()),
  reason: reasonSchema,
  since: z.number(),
  /** the person's last message (ms): WhatsApp's 24-hour window runs from it */
  lastPersonAt: z.number(),
  firstAgentAt: z.number().optional(),
  lastAgentAt: z.number().optional(),
  language: z.enum(LANGUAGES),
  /** the message that asked (its messageKey): a retried turn of it is not a message during the pause */
  askedBy: z.string(),
});
export type PausedState = z.infer<typeof pausedStateSchema>;

const lineSchema = z.object({ from: z.enum(['person', 'assistant']), text: z.string(), at: z.string() });
export const forwardEntrySchema = z.union([
  z.object({
    kind: z.literal('requested'),
    id: z.string(),
    detail: z.string().optional(),
    transcript: z.array(lineSchema),
  }),
  z.object({ kind: z.literal('message'), id: z.string(), line: lineSchema }),
  z.object({
    kind: z.literal('not-sent'),
    id: z.string(),
    reply: z.string(),
    reason: z.enum(['window-closed', 'refused']),
    detail: z.string(),
  }),
]);
export type ForwardEntry = z.infer<typeof forwardEntrySchema>;

export interface HandoffKeys {
  state: (conversation: string) => string;
  handle: (handle: string) => string;
  log: (conversation: string) => string;
  logged: (conversation: string) => string;
  delivered: (conversation: string) => string;
  drainLock: (conversation: string) => string;
  agentMessage: (conversation: string, agentMessageId: string) => string;
  /** the last handoff that ended, for /why */
  lastHandoff: (conversation: string) => string;
  /** answers in a row that did not help */
  failures: (conversation: string) => string;
}

export function handoffKeys(prefix: string): HandoffKeys {
  const k = (...parts: string[]) => stateKey(prefix, ...parts);
  return {
    state: (c) => k('handoff', hashTag(c)),
    handle: (handle) => k('handoff-handle', handle),
    log: (c) => k('handoff-log', hashTag(c)),
    logged: (c) => k('handoff-logged', hashTag(c)),
    delivered: (c) => k('handoff-delivered', hashTag(c)),
    drainLock: (c) => k('handoff-drain', hashTag(c)),
    agentMessage: (c, id) => k('handoff-agent', hashTag(c), id),
    lastHandoff: (c) => k('handoff-last', hashTag(c)),
    failures: (c) => k('handoff-failures', hashTag(c)),
  };
}

// Appends once per id: a retried turn forwards its message again, and the log keeps one copy.
const APPEND = new LuaScript(`
if redis.call('sadd', KEYS[2], ARGV[1]) == 0 then return 0 end
redis.call('rpush', KEYS[1], ARGV[2])
redis.call('expire', KEYS[1], ARGV[3])
redis.call('expire', KEYS[2], ARGV[3])
return 1`);

/** A handoff that ended: what /why says of it. */
export const endedHandoffSchema = z.object({
  reason: reasonSchema,
  since: z.number(),
  returnedAt: z.number(),
  why: z.enum(['resolved', 'bot', 'idle']),
});
export type EndedHandoff = z.infer<typeof endedHandoffSchema>;

export class HandoffStore {
  constructor(
    private readonly redis: RedisClient,
    readonly keys: HandoffKeys,
    /** every key's lifetime (seconds), renewed on each write */
    readonly ttlSeconds: number,
    /** how long the mark of an ended handoff is kept (the history's lifetime: /why speaks of it) */
    readonly markTtlSeconds: number = ttlSeconds,
    /** the forward log holds the person's words, sealed like the history they come from */
    private readonly sealer: Sealer = plaintextSealer,
  ) {}

  async rememberReturn(state: PausedState, why: EndedHandoff['why'], at: number): Promise<void> {
    const ended: EndedHandoff = { reason: state.reason, since: state.since, returnedAt: at, why };
    await this.redis.set(this.keys.lastHandoff(state.conversation), JSON.stringify(ended), 'EX', this.markTtlSeconds);
  }

  /** An answer that did not help adds one (for an hour); one that did clears the count. */
  async countFailure(conversation: string, failed: boolean): Promise<number> {
    const key = this.keys.failures(conversation);
    if (!failed) {
      await this.redis.del(key);
      return 0;
    }
    const [[, count] = [null, 0]] = (await this.redis.multi().incr(key).expire(key, 3600).exec()) ?? [];
    return Number(count);
  }

  async lastEnded(conversation: string): Promise<EndedHandoff | null> {
    const raw = await this.redis.get(this.keys.lastHandoff(conversation));
    const parsed = raw === null ? null : endedHandoffSchema.safeParse(JSON.parse(raw));
    return parsed?.success ? parsed.data : null;
  }

  async read(conversation: string): Promise<PausedState | null> {
    return this.parse(await this.redis.get(this.keys.state(conversation)));
  }

  /** The record as stored under `keys.state` (read here, or by the turn's claim with its other state). */
  parse(raw: string | null): PausedState | null {
    if (raw === null) return null;
    const parsed = pausedStateSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  }

  /**
   * Writes the record, and the handle's way back to it, renewing both lifetimes. Two commands,
   * not a transaction: the handle key is the handle's own (another cluster slot), and a handle
   * without a record only ever finds nothing.
   */
  async write(state: PausedState): Promise<void> {
    await this.redis.set(this.keys.handle(state.handle), state.conversation, 'EX', this.ttlSeconds);
    await this.redis.set(this.keys.state(state.conversation), JSON.stringify(state), 'EX', this.ttlSeconds);
  }

  /** Every conversation handed off now, a page at a time (on a cluster, from every master). */
  async *pausedConversations(): AsyncGenerator<string[]> {
    const prefix = this.keys.state('');
    const stem = prefix.slice(0, -'{}'.length);
    for await (const keys of scanKeys(this.redis, `${globLiteral(stem)}\\{*\\}`)) {
      yield keys.map((key) => key.slice(stem.length + 1, -1));
    }
  }

  async conversationOf(handle: string): Promise<string | null> {
    return this.redis.get(this.keys.handle(handle));
  }

  /** The conversation is the assistant's again: the record, its handle and its forward log go. */
  async clear(state: Pick<PausedState, 'conversation' | 'handle'>): Promise<boolean> {
    const c = state.conversation;
    const removed = await this.redis.del(this.keys.state(c));
    await this.redis.del(this.keys.log(c), this.keys.logged(c), this.keys.delivered(c));
    await this.redis.del(this.keys.handle(state.handle));
    return removed > 0;
  }

  /** Adds an entry to the forward log unless one with its id is there already. */
  async append(conversation: string, entry: ForwardEntry): Promise<void> {
    await APPEND.run(
      this.redis,
      [this.keys.log(conversation), this.keys.logged(conversation)],
      [entry.id, this.sealer.seal(JSON.stringify(entry), conversation), this.ttlSeconds],
    );
  }

  /** The entries `target` has not received yet, with the index of the first. */
  async undelivered(conversation: string, target: string): Promise<{ from: number; entries: ForwardEntry[] }> {
    const from = Number((await this.redis.hget(this.keys.delivered(conversation), target)) ?? 0);
    const raw = await this.redis.lrange(this.keys.log(conversation), from, -1);
    const open = (entry: string) => forwardEntrySchema.parse(JSON.parse(this.sealer.open(entry, conversation)));
    return { from, entries: raw.map(open) };
  }

  async markDelivered(conversation: string, target: string, count: number): Promise<void> {
    const key = this.keys.delivered(conversation);
    await this.redis.multi().hset(key, target, count).expire(key, this.ttlSeconds).exec();
  }

  /** One drainer per conversation at a time; false when another holds it. `renew`: the holder extends it. */
  async lockDrain(conversation: string, ms: number, renew = false): Promise<boolean> {
    const key = this.keys.drainLock(conversation);
    const set = renew ? this.redis.set(key, '1', 'PX', ms, 'XX') : this.redis.set(key, '1', 'PX', ms, 'NX');
    return (await set) === 'OK';
  }

  async unlockDrain(conversation: string): Promise<void> {
    await this.redis.del(this.keys.drainLock(conversation));
  }

  /** True the first time an agent message id is seen for this conversation. */
  async firstSight(conversation: string, agentMessageId: string): Promise<boolean> {
    const key = this.keys.agentMessage(conversation, agentMessageId);
    return (await this.redis.set(key, '1', 'EX', this.ttlSeconds, 'NX')) === 'OK';
  }

  /** Forgets an agent message id whose send did not go out, so its retry is tried again. */
  async unsee(conversation: string, agentMessageId: string): Promise<void> {
    await this.redis.del(this.keys.agentMessage(conversation, agentMessageId));
  }
}
