import type { RedisClient } from '../redis/connection';
import type { StateKeys } from '../redis/keys';
import { LuaScript } from '../redis/lua-script';
import { ANSWERED } from './answer-ledger';
import { claimResult, type ClaimResult } from './claim-reply';
import { windowLeftMs } from './last-written';
import { SENT_IDS_KEPT, type SentAnswerPart } from './sent-answers';

export type { ClaimResult, ConversationState, InboxEntry } from './claim-reply';

/**
 * The two ends of a turn as one script each, so a plain text turn costs two round trips of
 * conversation state instead of a dozen. Both touch only keys tagged with the conversation (one
 * Redis Cluster slot), and both keep the rules of TurnOrder and AnswerLedger:
 *
 * - claim: a message already answered is dropped from the inbox; otherwise it takes the
 *   conversation's lock and, when its message is the inbox head, reads in the same step what the
 *   turn needs: the reply an earlier attempt saved, or else the open yes/no question (taken, so it
 *   is answered once), the history, whether the send queue must carry this answer (an earlier
 *   answer to this user waits in it, or a send found their window closed), the first-contact
 *   mark and whether a person from the team has the conversation (the handoff record, src/handoff),
 *   and marks when the person wrote (last-written.ts: Meta's 24-hour window);
 * - finish sent: after the turn sent its own answer, marks the message (and the ones merged into
 *   it) answered, appends the exchange to the history, keeps the id Graph gave a model's answer
 *   (sent-answers.ts: a reaction finds it by that id), marks the person told (the first-contact
 *   notice), gives the lock back and names the next message waiting.
 */

// KEYS: lock, inbox, answer (the ledger), question, history, outbox, window, told, handoff, wrote.
// ARGV: token, lock ms, message, inbox entries to read (-1 based), read told, wrote at (ms, '' to
// leave the mark), the mark's lifetime (ms).
// The handoff record is read with the ledger in one MGET, and the wrote mark is set with GET, which
// gives back the mark it replaced: a person's messages come in order, so the mark only moves
// forward and one command does it; a late redelivery of an older message puts the newer mark back
// (with the lifetime it had) before the script ends, so nobody ever reads the older one.
// The webhook registered the message in the inbox; should it be missing there (it is only ever
// missing when that registration failed), the turn runs once the inbox holds nothing before it.
// With the first-contact notice on, a question is only ever asked in a reply, and every reply
// leaves the person marked told for far longer than a question lives: no mark, no question to take.
const CLAIM = `
local found = redis.call('mget', KEYS[3], KEYS[9])
local ledger = found[1]
if ledger == '${ANSWERED}' then
  redis.call('zrem', KEYS[2], ARGV[3])
  return {'answered'}
end
if not redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') and redis.call('get', KEYS[1]) ~= ARGV[1] then
  return {'busy'}
end
local inbox = redis.call('zrange', KEYS[2], 0, ARGV[4], 'WITHSCORES')
if inbox[1] and inbox[1] ~= ARGV[3] then return {'behind', inbox[1]} end
if ledger then return {'resume', ledger} end
if ARGV[6] ~= '' then
  local before = redis.call('set', KEYS[10], ARGV[6], 'PX', ARGV[7], 'GET')
  local was = before and tonumber(before)
  if was and was > tonumber(ARGV[6]) then
    redis.call('set', KEYS[10], before, 'PX', tonumber(ARGV[7]) + was - tonumber(ARGV[6]))
  end
end
local told = -2
if ARGV[5] == '1' then told = redis.call('pttl', KEYS[8]) end
local question = {}
if ARGV[5] ~= '1' or told ~= -2 then
  -- a question kept as a plain string (an older layout) is dropped like an expired one
  if redis.call('type', KEYS[4]).ok == 'hash' then question = redis.call('hgetall', KEYS[4]) end
  redis.call('del', KEYS[4])
end
return {'begin', inbox, question, redis.call('lrange', KEYS[5], 0, -1), redis.call('exists', KEYS[6], KEYS[7]), told, found[2]}`;

// KEYS: lock, inbox, answer (the ledger), history, told, sent ids, then the ledger keys of merged messages.
// ARGV: token, message, ledger ttl, history max entries, history ttl, told ('1' mark), told ttl,
// lock surely ours ('1': no need to read it), sent id ('' none), answer stamp, history entries n,
// n entries, merged ids.
const FINISH_SENT = `
redis.call('set', KEYS[3], '${ANSWERED}', 'EX', ARGV[3])
redis.call('zrem', KEYS[2], ARGV[2])
local n = tonumber(ARGV[11])
if n > 0 then
  if redis.call('rpush', KEYS[4], unpack(ARGV, 12, 11 + n)) > tonumber(ARGV[4]) then
    redis.call('ltrim', KEYS[4], -tonumber(ARGV[4]), -1)
  end
  redis.call('expire', KEYS[4], ARGV[5])
end
if ARGV[9] ~= '' then
  redis.call('zadd', KEYS[6], ARGV[10], ARGV[9])
  redis.call('zremrangebyrank', KEYS[6], 0, -${SENT_IDS_KEPT + 1})
  redis.call('expire', KEYS[6], ARGV[5])
end
if ARGV[6] == '1' then redis.call('set', KEYS[5], '1', 'EX', ARGV[7]) end
for i = 7, #KEYS do
  redis.call('set', KEYS[i], '${ANSWERED}', 'EX', ARGV[3])
  redis.call('zrem', KEYS[2], ARGV[11 + n + i - 6])
end
if ARGV[8] == '1' or redis.call('get', KEYS[1]) == ARGV[1] then redis.call('del', KEYS[1]) end
return redis.call('zrange', KEYS[2], 0, 0)[1] or false`;

/** How many inbox entries a claim reads: the head and the messages right behind it (a photo's question). */
export const INBOX_READ = 8;

export interface SentTurn {
  token: string;
  /** the lock cannot have expired since it was taken or renewed (see HeldTurn.surelyHeld) */
  surelyHeld: boolean;
  message: string;
  /** sealed history entries to append */
  history: string[];
  /** mark the person told (or keep them marked) */
  told: boolean;
  /** messages merged into this turn */
  merged: string[];
  /** the answer's message as Graph took it, kept under its history entry's stamp (sent-answers.ts) */
  sent?: SentAnswerPart;
}

export interface ConversationTurnSettings {
  keys: StateKeys;
  toldKey: (conversation: string) => string;
  lockMs: number;
  ledgerTtlSeconds: number;
  history: { maxEntries: number; ttlSeconds: number };
  toldTtlSeconds: number;
  /** the handoff record's key (src/handoff, HandoffKeys.state), read by the claim */
  handoffKey: (conversation: string) => string;
  /** the mark of when the person last wrote (last-written.ts), set by the claim */
  wroteKey: (conversation: string) => string;
}

/**
 * What a claim asks for. `wroteAt`: the person wrote this message at that time (ms), and the
 * claim marks it for the 24-hour window; null for what is not their message (a control event, a
 * reaction).
 */
export interface ClaimRequest {
  token: string;
  readTold: boolean;
  wroteAt: number | null;
}

export class ConversationTurns {
  private readonly claimScript = new LuaScript(CLAIM);
  private readonly finishScript = new LuaScript(FINISH_SENT);

  constructor(
    private readonly redis: RedisClient,
    private readonly settings: ConversationTurnSettings,
  ) {}

  async claim(conversation: string, message: string, claim: ClaimRequest): Promise<ClaimResult> {
    const { keys, lockMs } = this.settings;
    const keyList = [
      keys.turnLock(conversation),
      keys.inbox(conversation),
      keys.answer(conversation, message),
      keys.pendingQuestion(conversation),
      keys.history(conversation),
      keys.outbox(conversation),
      keys.windowClosed(conversation),
      this.settings.toldKey(conversation),
      this.settings.handoffKey(conversation),
      this.settings.wroteKey(conversation),
    ];
    const wroteForMs = claim.wroteAt === null ? 0 : windowLeftMs(claim.wroteAt);
    const wrote = wroteForMs > 0 ? [claim.wroteAt ?? 0, wroteForMs] : ['', 0];
    const args = [claim.token, lockMs, message, INBOX_READ - 1, claim.readTold ? 1 : 0, ...wrote];
    return claimResult((await this.claimScript.run(this.redis, keyList, args)) as unknown[]);
  }

  /** Records a turn whose answer went out; resolves with the message now first in the inbox, if any. */
  async finishSent(conversation: string, sent: SentTurn): Promise<string | null> {
    const { settings } = this;
    const { keys } = settings;
    const keyList = [
      keys.turnLock(conversation),
      keys.inbox(conversation),
      keys.answer(conversation, sent.message),
      keys.history(conversation),
      settings.toldKey(conversation),
      keys.sentIds(conversation),
      ...sent.merged.map((merged) => keys.answer(conversation, merged)),
    ];
    const args = [
      sent.token,
      sent.message,
      settings.ledgerTtlSeconds,
      settings.history.maxEntries,
      settings.history.ttlSeconds,
      sent.told ? '1' : '0',
      settings.toldTtlSeconds,
      sent.surelyHeld ? '1' : '0',
      sent.sent?.messageId ?? '',
      sent.sent?.answerAt ?? 0,
      sent.history.length,
      ...sent.history,
      ...sent.merged,
    ];
    const head = await this.finishScript.run(this.redis, keyList, args);
    return typeof head === 'string' ? head : null;
  }
}
