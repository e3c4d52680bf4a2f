import type { RedisClient } from '../redis/connection';
import type { StateKeys } from '../redis/keys';
import { LuaScript } from '../redis/lua-script';
import { ANSWERED } from './answer-ledger';
import { SENT_IDS_KEPT, type SentAnswerPart } from './sent-answers';

/**
 * The two ends of a turn as one script each, so a plain text turn costs two round trips of
 * conversation state instead of a dozen. Both touch only keys tagged with the conversation (one
 * Redis Cluster slot), and both keep the rules of TurnOrder and AnswerLedger:
 *
 * - claim: a message already answered is dropped from the inbox; otherwise it takes the
 *   conversation's lock and, when its message is the inbox head, reads in the same step what the
 *   turn needs: the reply an earlier attempt saved, or else the open yes/no question (taken, so it
 *   is answered once), the history, whether the send queue must carry this answer (an earlier
 *   answer to this user waits in it, or a send found their window closed) and the first-contact
 *   mark;
 * - finish sent: after the turn sent its own answer, marks the message (and the ones merged into
 *   it) answered, appends the exchange to the history, keeps the id Graph gave a model's answer
 *   (sent-answers.ts: a reaction finds it by that id), marks the person told (the first-contact
 *   notice), gives the lock back and names the next message waiting.
 */

// KEYS: lock, inbox, answer (the ledger), question, history, outbox, window, told.
// ARGV: token, lock ms, message, inbox entries to read (-1 based), read told.
// The webhook registered the message in the inbox; should it be missing there (it is only ever
// missing when that registration failed), the turn runs once the inbox holds nothing before it.
// With the first-contact notice on, a question is only ever asked in a reply, and every reply
// leaves the person marked told for far longer than a question lives: no mark, no question to take.
const CLAIM = `
local ledger = redis.call('get', KEYS[3])
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
local told = -2
if ARGV[5] == '1' then told = redis.call('pttl', KEYS[8]) end
local question = {}
if ARGV[5] ~= '1' or told ~= -2 then
  -- a question kept as a plain string (an older layout) is dropped like an expired one
  if redis.call('type', KEYS[4]).ok == 'hash' then question = redis.call('hgetall', KEYS[4]) end
  redis.call('del', KEYS[4])
end
return {'begin', inbox, question, redis.call('lrange', KEYS[5], 0, -1), redis.call('exists', KEYS[6], KEYS[7]), told}`;

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

export interface InboxEntry {
  key: string;
  score: number;
}

/** What a turn that may begin finds, read in the step that gave it the turn. */
export interface ConversationState {
  /** the head (this message) and the entries right behind it, in order */
  inbox: InboxEntry[];
  /** the open yes/no question's fields as stored (its text sealed), taken; null when none was open */
  question: Record<string, string> | null;
  /** the history as stored (sealed entries, oldest first) */
  history: string[];
  /**
   * the answer goes through the send queue: an earlier one to this user is still waiting there,
   * or a send found their window closed (the queue's path reopens it or stays silent)
   */
  queueFirst: boolean;
  /** the person was told who they are talking to (read only when asked) */
  told: boolean;
  /** how long the mark that says so has left (ms; 0 when not told) */
  toldForMs: number;
}

export type ClaimResult =
  | { state: 'answered' }
  | { state: 'busy' }
  /** the lock is ours, but `head` (an earlier message) is first in the inbox */
  | { state: 'behind'; head: string | null }
  /** an earlier attempt saved this reply (as stored, sealed) */
  | { state: 'resume'; reply: string }
  | { state: 'begin'; found: ConversationState };

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
}

export class ConversationTurns {
  private readonly claimScript = new LuaScript(CLAIM);
  private readonly finishScript = new LuaScript(FINISH_SENT);

  constructor(
    private readonly redis: RedisClient,
    private readonly settings: ConversationTurnSettings,
  ) {}

  async claim(
    conversation: string,
    message: string,
    claim: { token: string; readTold: boolean },
  ): Promise<ClaimResult> {
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
    ];
    const args = [claim.token, lockMs, message, INBOX_READ - 1, claim.readTold ? 1 : 0];
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

function claimResult(reply: unknown[]): ClaimResult {
  const [state] = reply as [string];
  if (state === 'answered' || state === 'busy') return { state };
  if (state === 'behind') return { state, head: typeof reply[1] === 'string' ? reply[1] : null };
  if (state === 'resume') return { state, reply: reply[1] as string };
  const [, inbox, question, history, queueFirst, told] = reply as [
    string,
    string[],
    string[],
    string[],
    number,
    number,
  ];
  return {
    state: 'begin',
    found: {
      inbox: inboxEntries(inbox),
      question: question.length === 0 ? null : fieldsOf(question),
      history,
      queueFirst: queueFirst > 0,
      told: told !== -2,
      toldForMs: told > 0 ? told : 0,
    },
  };
}

function fieldsOf(flat: string[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i]!] = flat[i + 1]!;
  return fields;
}

function inboxEntries(flat: string[]): InboxEntry[] {
  const entries: InboxEntry[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) entries.push({ key: flat[i]!, score: Number(flat[i + 1]) });
  return entries;
}
