import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { ANSWERED } from '../src/conversation/answer-ledger';
import { ConversationTurns } from '../src/conversation/conversation-turn';
import { SENT_IDS_KEPT, SentAnswers, type SentAnswerPart } from '../src/conversation/sent-answers';
import { TurnOrder } from '../src/conversation/turn-order';
import { MESSAGING_WINDOW_MS } from '../src/conversation/last-written';
import { handoffKeys } from '../src/handoff/handoff-state';
import { stateKeys } from '../src/redis/keys';
import { reminderStateKeys } from '../src/redis/reminder-state-keys';
import { keySlot } from './helpers/own-cluster';
import { deleteKeysWithPrefix, REDIS_URL } from './helpers/system';

/**
 * The two scripts a turn's state goes through (claim, and finish when the turn sent its own
 * answer), against real Redis: what each state of a conversation answers, and what finishing
 * writes, keeps and gives back.
 */
const CONVERSATION = 'whatsapp:106540352242922:16505551234';
const LOCK_MS = 30_000;

describe('a turn claimed and finished in one script each', () => {
  const redis = new Redis(REDIS_URL);
  const prefix = `t-${randomUUID().slice(0, 8)}`;
  const keys = stateKeys(prefix);
  const toldKey = (conversation: string) => `${prefix}:state:told-ai:{${conversation}}`;
  const handoffKey = handoffKeys(prefix).state;
  const wroteKey = reminderStateKeys(prefix).lastWrote;
  const turns = new ConversationTurns(redis, {
    keys,
    toldKey,
    lockMs: LOCK_MS,
    ledgerTtlSeconds: 3600,
    history: { maxEntries: 4, ttlSeconds: 3600 },
    toldTtlSeconds: 3600,
    handoffKey,
    wroteKey,
  });
  const order = new TurnOrder(redis, keys.inbox, keys.turnLock, LOCK_MS);
  const register = (message: string, score: number) => order.register(redis, CONVERSATION, message, score);
  const claim = (message: string, token = randomUUID(), wroteAt: number | null = null) =>
    turns.claim(CONVERSATION, message, { token, readTold: true, wroteAt });
  const finish = (
    message: string,
    token: string,
    extra: { surelyHeld?: boolean; merged?: string[]; sent?: SentAnswerPart } = {},
  ) =>
    turns.finishSent(CONVERSATION, {
      token,
      message,
      surelyHeld: extra.surelyHeld ?? true,
      history: ['q', 'a'],
      told: true,
      merged: extra.merged ?? [],
      ...(extra.sent ? { sent: extra.sent } : {}),
    });

  afterEach(async () => deleteKeysWithPrefix(redis, prefix));
  afterAll(() => redis.disconnect());

  it('begins the head with what the conversation holds, and takes the open question', async () => {
    await register('m1', 1000);
    await register('m2', 2000);
    await redis.hset(keys.pendingQuestion(CONVERSATION), 'id', 'q1', 'q', 'sealed question');
    await redis.rpush(keys.history(CONVERSATION), 'h1', 'h2');
    await redis.set(toldKey(CONVERSATION), '1', 'PX', 3_600_000);
    const claimed = await claim('m1');
    expect(claimed).toMatchObject({
      state: 'begin',
      found: {
        inbox: [
          { key: 'm1', score: 1000 },
          { key: 'm2', score: 2000 },
        ],
        question: { id: 'q1', q: 'sealed question' },
        history: ['h1', 'h2'],
        queueFirst: false,
        told: true,
      },
    });
    expect(claimed.state === 'begin' && claimed.found.toldForMs).toBeGreaterThan(3_000_000);
    expect(await redis.exists(keys.pendingQuestion(CONVERSATION))).toBe(0);
  });

  it('takes no question from a conversation whose person was never told (none can be open there)', async () => {
    await register('m1', 1000);
    await redis.hset(keys.pendingQuestion(CONVERSATION), 'id', 'q1', 'q', 'left over');
    const token = randomUUID();
    expect(await claim('m1', token)).toMatchObject({ found: { question: null, told: false } });
    await redis.set(toldKey(CONVERSATION), '1', 'EX', 3600);
    expect(await claim('m1', token)).toMatchObject({ found: { question: { q: 'left over' }, told: true } });
    // A question kept as a plain string is dropped, never an error.
    await redis.set(keys.pendingQuestion(CONVERSATION), 'sealed question');
    expect(await claim('m1', token)).toMatchObject({ found: { question: null } });
    expect(await redis.exists(keys.pendingQuestion(CONVERSATION))).toBe(0);
  });

  it('answers busy, behind, resume and answered', async () => {
    await register('m1', 1000);
    await register('m2', 2000);
    const first = randomUUID();
    expect((await claim('m1', first)).state).toBe('begin');
    expect(await claim('m2')).toEqual({ state: 'busy' });
    await redis.del(keys.turnLock(CONVERSATION));
    expect(await claim('m2')).toEqual({ state: 'behind', head: 'm1' });
    await redis.del(keys.turnLock(CONVERSATION));
    await redis.set(keys.answer(CONVERSATION, 'm1'), 'sealed reply');
    expect(await claim('m1')).toEqual({ state: 'resume', reply: 'sealed reply' });
    await redis.set(keys.answer(CONVERSATION, 'm1'), ANSWERED);
    expect(await claim('m1')).toEqual({ state: 'answered' });
    expect(await redis.zrange(keys.inbox(CONVERSATION), 0, -1)).toEqual(['m2']);
  });

  it('sends the answer through the queue when one waits there or a window was found closed', async () => {
    await register('m1', 1000);
    await redis.zadd(keys.outbox(CONVERSATION), 1, 'm0');
    const token = randomUUID();
    expect(await claim('m1', token)).toMatchObject({ found: { queueFirst: true } });
    await redis.del(keys.outbox(CONVERSATION));
    await redis.set(keys.windowClosed(CONVERSATION), '900');
    expect(await claim('m1', token)).toMatchObject({ found: { queueFirst: true } });
  });

  it('gives the handoff record and marks when the person wrote, in the same script', async () => {
    const paused = JSON.stringify({ conversation: CONVERSATION, askedBy: 'm0' });
    await redis.set(handoffKey(CONVERSATION), paused);
    await register('m1', 1000);
    const now = Date.now();
    const token = randomUUID();
    expect(await claim('m1', token, now - 1000)).toMatchObject({ state: 'begin', found: { handoff: paused } });
    expect(await redis.get(wroteKey(CONVERSATION))).toBe(String(now - 1000));
    const open = await redis.pttl(wroteKey(CONVERSATION));
    expect(open).toBeGreaterThan(MESSAGING_WINDOW_MS - 60_000);
    expect(open).toBeLessThanOrEqual(MESSAGING_WINDOW_MS - 1000);
    // A late redelivery of an older message leaves the newer mark, with the lifetime it had.
    expect(await claim('m1', token, now - 600_000)).toMatchObject({ state: 'begin' });
    expect(await redis.get(wroteKey(CONVERSATION))).toBe(String(now - 1000));
    expect(await redis.pttl(wroteKey(CONVERSATION))).toBeGreaterThan(MESSAGING_WINDOW_MS - 60_000);
    // What is not the person's message (a reaction, a control event), or came too late to open the window, marks nothing.
    await redis.del(wroteKey(CONVERSATION), handoffKey(CONVERSATION));
    expect(await claim('m1', token, null)).toMatchObject({ found: { handoff: null } });
    expect(await claim('m1', token, now - MESSAGING_WINDOW_MS - 1000)).toMatchObject({ state: 'begin' });
    expect(await redis.exists(wroteKey(CONVERSATION))).toBe(0);
  });

  it('marks nothing for a message it does not begin (busy, or answered already)', async () => {
    await register('m1', 1000);
    await claim('m1');
    expect(await claim('m1', randomUUID(), Date.now())).toEqual({ state: 'busy' });
    await redis.set(keys.answer(CONVERSATION, 'm1'), ANSWERED);
    expect(await claim('m1', randomUUID(), Date.now())).toEqual({ state: 'answered' });
    expect(await redis.exists(wroteKey(CONVERSATION))).toBe(0);
  });

  it("touches only keys in the conversation's hash slot, all passed as KEYS (Redis Cluster)", async () => {
    await register('m1', 1000);
    const lock = keys.turnLock(CONVERSATION);
    const monitor = await redis.monitor();
    const calls: string[][] = [];
    monitor.on('monitor', (_time: string, args: string[]) => {
      if (['eval', 'evalsha'].includes(args[0]?.toLowerCase() ?? '') && args[3] === lock) calls.push(args);
    });
    await claim('m1', randomUUID(), Date.now());
    for (let waited = 0; calls.length === 0 && waited < 2000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    monitor.disconnect();
    const [call] = calls;
    const claimKeys = call ? call.slice(3, 3 + Number(call[2])) : [];
    expect(claimKeys).toEqual(expect.arrayContaining([handoffKey(CONVERSATION), wroteKey(CONVERSATION)]));
    expect(new Set(claimKeys.map(keySlot))).toEqual(new Set([keySlot(CONVERSATION)]));
  });

  it('finishes: answered, merged messages too, history appended and trimmed, told, lock back, next named', async () => {
    await register('m1', 1000);
    await register('m2', 1500);
    await register('m3', 2000);
    await redis.rpush(keys.history(CONVERSATION), 'old1', 'old2', 'old3');
    const token = randomUUID();
    await claim('m1', token);
    expect(await finish('m1', token, { merged: ['m2'] })).toBe('m3');
    expect(await redis.get(keys.answer(CONVERSATION, 'm1'))).toBe(ANSWERED);
    expect(await redis.get(keys.answer(CONVERSATION, 'm2'))).toBe(ANSWERED);
    expect(await redis.zrange(keys.inbox(CONVERSATION), 0, -1)).toEqual(['m3']);
    expect(await redis.lrange(keys.history(CONVERSATION), 0, -1)).toEqual(['old2', 'old3', 'q', 'a']);
    expect(await redis.ttl(keys.history(CONVERSATION))).toBeGreaterThan(3500);
    expect(await redis.ttl(toldKey(CONVERSATION))).toBeGreaterThan(3500);
    expect(await redis.exists(keys.turnLock(CONVERSATION))).toBe(0);
  });

  it("keeps a model's answer's sent id under its stamp, for the history's lifetime, the newest SENT_IDS_KEPT only", async () => {
    const sentAnswers = new SentAnswers(redis, keys.sentIds, 3600);
    const older = Array.from({ length: SENT_IDS_KEPT }, (_, i) => [i + 1, `wamid.old${i}`]).flat();
    await redis.zadd(keys.sentIds(CONVERSATION), ...older);
    await register('m1', 1000);
    const token = randomUUID();
    await claim('m1', token);
    await finish('m1', token, { sent: { messageId: 'wamid.answer', answerAt: 1_700_000_000_123 } });
    expect(await sentAnswers.answerOf(CONVERSATION, 'wamid.answer')).toBe(1_700_000_000_123);
    expect(await redis.zcard(keys.sentIds(CONVERSATION))).toBe(SENT_IDS_KEPT);
    expect(await sentAnswers.answerOf(CONVERSATION, 'wamid.old0')).toBeNull();
    expect(await sentAnswers.answerOf(CONVERSATION, 'wamid.old1')).toBe(2);
    expect(await redis.ttl(keys.sentIds(CONVERSATION))).toBeGreaterThan(3500);

    // Any other reply keeps no id.
    await register('m2', 2000);
    await claim('m2', token);
    await finish('m2', token);
    expect(await redis.zcard(keys.sentIds(CONVERSATION))).toBe(SENT_IDS_KEPT);
  });

  it('gives back only its own lock when it is not sure the lock is still its own', async () => {
    await register('m1', 1000);
    const token = randomUUID();
    await claim('m1', token);
    await redis.set(keys.turnLock(CONVERSATION), 'someone else', 'PX', LOCK_MS);
    await finish('m1', token, { surelyHeld: false });
    expect(await redis.get(keys.turnLock(CONVERSATION))).toBe('someone else');
  });

  it('is sure of a lock only while it is well within its lifetime', () => {
    const fresh = order.hold(CONVERSATION, 'token-a');
    const old = order.hold(CONVERSATION, 'token-b', Date.now() - LOCK_MS);
    expect(fresh.surelyHeld()).toBe(true);
    expect(old.surelyHeld()).toBe(false);
    fresh.released();
    old.released();
  });
});
