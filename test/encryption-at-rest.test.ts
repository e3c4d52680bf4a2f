import { randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { ConfigError, loadConfig } from '../config';
import { AnswerLedger } from '../src/conversation/answer-ledger';
import { ConversationHistory } from '../src/conversation/history';
import {
  createSealer,
  isSealed,
  keyIdOf,
  SealedValueCorruptError,
  SealingKeyMissingError,
} from '../src/crypto/sealing';
import { HandoffStore, handoffKeys } from '../src/handoff/handoff-state';
import { stateKeys } from '../src/redis/keys';
import { pageText, whatsAppText } from './helpers/payloads';
import { dumpPrefix } from './helpers/redis-dump';
import { deleteKeysWithPrefix, REDIS_URL, startSystem, type TestSystem } from './helpers/system';
import { defined } from './helpers/present';

const key = () => randomBytes(32);
const CONVERSATION = 'whatsapp:106540352242922:16505551234';
const LIMITS = { maxTurns: 20, maxChars: 24_000, ttlSeconds: 3600 };

describe('sealing (AES-256-GCM with key ids)', () => {
  it('seals to a marked value that opens to the plaintext, with a fresh IV each time', () => {
    const sealer = createSealer({ current: key() });
    const a = sealer.seal('{"content":"I am vegetarian"}');
    const b = sealer.seal('{"content":"I am vegetarian"}');
    expect(isSealed(a)).toBe(true);
    expect(a).not.toContain('vegetarian');
    expect(a).not.toBe(b);
    expect(sealer.open(a)).toBe('{"content":"I am vegetarian"}');
  });

  it('opens values sealed with an old key listed in the old keys, and seals new ones with the current key', () => {
    const oldKey = key();
    const newKey = key();
    const sealedBefore = createSealer({ current: oldKey }).seal('{"a":1}');
    const rotated = createSealer({ current: newKey, old: [oldKey] });
    expect(rotated.open(sealedBefore)).toBe('{"a":1}');
    expect(rotated.seal('{"a":2}')).toContain(`:${keyIdOf(newKey)}:`);
    // once the old key is dropped, its values fail clearly, naming the key
    expect(() => createSealer({ current: newKey }).open(sealedBefore)).toThrow(SealingKeyMissingError);
  });

  it('without a key stores plaintext, still reads plaintext, and refuses sealed values clearly', () => {
    const sealed = createSealer({ current: key() }).seal('{"a":1}');
    const none = createSealer({ current: undefined });
    expect(none.encrypts).toBe(false);
    expect(none.seal('{"a":1}')).toBe('{"a":1}');
    expect(none.open('{"a":1}')).toBe('{"a":1}');
    expect(() => none.open(sealed)).toThrow(/DATA_ENCRYPTION_KEY/);
  });

  it('rejects a tampered value and a value moved to another context', () => {
    const sealer = createSealer({ current: key() });
    const sealed = sealer.seal('{"a":1}', 'whatsapp:1:111');
    const body = Buffer.from(defined(sealed.split(':')[2]), 'base64');
    body[body.length - 20]! ^= 1;
    const tampered = `${sealed.split(':').slice(0, 2).join(':')}:${body.toString('base64')}`;
    expect(() => sealer.open(tampered, 'whatsapp:1:111')).toThrow(SealedValueCorruptError);
    expect(() => sealer.open(sealed, 'whatsapp:1:222')).toThrow(SealedValueCorruptError);
    expect(sealer.open(sealed, 'whatsapp:1:111')).toBe('{"a":1}');
  });

  it('reads DATA_ENCRYPTION_KEY and DATA_ENCRYPTION_OLD_KEYS from the environment and names bad ones', () => {
    const current = key();
    const old = key();
    const config = loadConfig({
      META_APP_SECRET: 's',
      META_VERIFY_TOKEN: 'v',
      DATA_ENCRYPTION_KEY: current.toString('base64'),
      DATA_ENCRYPTION_OLD_KEYS: ` ${old.toString('base64url')} ,`,
    });
    expect(config.privacy.encryptionKey?.equals(current)).toBe(true);
    expect(config.privacy.oldEncryptionKeys.map((k) => k.toString('hex'))).toEqual([old.toString('hex')]);
    expect(() => loadConfig({ META_APP_SECRET: 's', META_VERIFY_TOKEN: 'v', DATA_ENCRYPTION_KEY: 'c2hvcnQ=' })).toThrow(
      ConfigError,
    );
    expect(() =>
      loadConfig({ META_APP_SECRET: 's', META_VERIFY_TOKEN: 'v', DATA_ENCRYPTION_OLD_KEYS: 'nope!' }),
    ).toThrow(/DATA_ENCRYPTION_OLD_KEYS/);
  });
});

describe('conversation history encrypted at rest (real Redis)', () => {
  const redis = new Redis(REDIS_URL);
  const prefix = `t-${randomUUID().slice(0, 8)}`;
  const keys = stateKeys(prefix);
  afterAll(async () => {
    await deleteKeysWithPrefix(redis, prefix);
    redis.disconnect();
  });

  async function write(history: ConversationHistory, conversation: string, user: string, answer: string) {
    const multi = redis.multi();
    history.appendIn(multi, conversation, [
      { role: 'user', content: user, at: 1 },
      { role: 'assistant', content: answer, at: 2 },
    ]);
    await multi.exec();
  }

  it('writes a conversation that a scan of every key under the prefix cannot read, and reads it back', async () => {
    const history = new ConversationHistory(redis, keys.history, LIMITS, createSealer({ current: key() }));
    const conversation = 'messenger:100000000000001:2000001';
    await write(history, conversation, 'my size is 38 and my budget is 120 euros', 'noted: size 38, up to 120 euros');
    const dump = await dumpPrefix(redis, prefix);
    expect(dump.length).toBeGreaterThan(0);
    const everything = JSON.stringify(dump);
    for (const secret of ['size is 38', '120 euros', 'noted', 'assistant', 'content']) {
      expect(everything).not.toContain(secret);
    }
    expect(await history.load(conversation)).toEqual([
      { role: 'user', content: 'my size is 38 and my budget is 120 euros', at: 1 },
      { role: 'assistant', content: 'noted: size 38, up to 120 euros', at: 2 },
    ]);
  });

  it('keeps reading history written with the old key after a rotation, and history written before encryption', async () => {
    const oldKey = key();
    const conversation = 'whatsapp:106540352242922:16505551234';
    await write(new ConversationHistory(redis, keys.history, LIMITS), conversation, 'before encryption', 'plain');
    await write(
      new ConversationHistory(redis, keys.history, LIMITS, createSealer({ current: oldKey })),
      conversation,
      'sealed with the old key',
      'old',
    );
    const rotated = new ConversationHistory(
      redis,
      keys.history,
      LIMITS,
      createSealer({ current: key(), old: [oldKey] }),
    );
    await write(rotated, conversation, 'sealed with the new key', 'new');
    expect((await rotated.load(conversation)).map((e) => e.content)).toEqual([
      'before encryption',
      'plain',
      'sealed with the old key',
      'old',
      'sealed with the new key',
      'new',
    ]);
    // without the old key the conversation cannot be read: a loud configuration error, not silent loss
    const forgotten = new ConversationHistory(redis, keys.history, LIMITS, createSealer({ current: key() }));
    await expect(forgotten.load(conversation)).rejects.toThrow(SealingKeyMissingError);
  });
});

describe('pending replies encrypted at rest (real Redis)', () => {
  const redis = new Redis(REDIS_URL);
  const prefix = `t-${randomUUID().slice(0, 8)}`;
  afterAll(async () => {
    await deleteKeysWithPrefix(redis, prefix);
    redis.disconnect();
  });

  it("keeps a handed-off conversation's forward log sealed to the conversation, and reads it back", async () => {
    const store = new HandoffStore(redis, handoffKeys(prefix), 3600, 3600, createSealer({ current: key() }));
    const line = { from: 'person' as const, text: 'my card ends 4417', at: new Date().toISOString() };
    await store.append(CONVERSATION, { kind: 'message', id: 'whatsapp-wamid.C', line });
    const [stored] = await redis.lrange(handoffKeys(prefix).log(CONVERSATION), 0, -1);
    expect(isSealed(defined(stored))).toBe(true);
    expect(stored).not.toContain('4417');
    expect((await store.undelivered(CONVERSATION, 'webhook')).entries).toEqual([
      { kind: 'message', id: 'whatsapp-wamid.C', line },
    ]);
  });

  it('stores the answer waiting to be handed over sealed to its message, and reads it back', async () => {
    const keys = stateKeys(prefix);
    const sealer = createSealer({ current: key() });
    const ledger = new AnswerLedger(redis, keys, 3600, sealer);
    const multi = redis.multi();
    ledger.savePendingIn(multi, CONVERSATION, 'whatsapp-wamid.A', ['Your order 5521 ships Monday.', 'Anything else?']);
    await multi.exec();
    const stored = await redis.get(keys.answer(CONVERSATION, 'whatsapp-wamid.A'));
    expect(isSealed(stored!)).toBe(true);
    expect(stored).not.toContain('5521');
    expect(await ledger.pendingReply(CONVERSATION, 'whatsapp-wamid.A')).toEqual([
      'Your order 5521 ships Monday.',
      'Anything else?',
    ]);
    // moved under another message's key it does not open: the turn decides again instead
    await redis.set(keys.answer(CONVERSATION, 'whatsapp-wamid.B'), stored!);
    expect(await ledger.pendingReply(CONVERSATION, 'whatsapp-wamid.B')).toBeNull();
  });

  it('seals product card parts with the text, and reads them back in order', async () => {
    const keys = stateKeys(prefix);
    const ledger = new AnswerLedger(redis, keys, 3600, createSealer({ current: key() }));
    const card = {
      to: '4915100000001',
      type: 'interactive',
      interactive: { type: 'cta_url', body: { text: 'Trail runner 7731' } },
    };
    const multi = redis.multi();
    ledger.savePendingIn(multi, CONVERSATION, 'whatsapp-wamid.C', ['Try the trail runner.', { card }]);
    await multi.exec();
    const stored = await redis.get(keys.answer(CONVERSATION, 'whatsapp-wamid.C'));
    expect(isSealed(stored!)).toBe(true);
    expect(stored).not.toContain('7731');
    expect(await ledger.pendingReply(CONVERSATION, 'whatsapp-wamid.C')).toEqual(['Try the trail runner.', { card }]);
  });
});

describe('encryption at rest through the running system', () => {
  let system: TestSystem;
  afterEach(async () => system?.stop());

  it('stores history sealed and still gives the model the earlier turns', async () => {
    system = await startSystem({ env: { DATA_ENCRYPTION_KEY: key().toString('base64') } });
    await system.deliver('whatsapp', whatsAppText('16505551234', 'I live in Rosario'));
    await system.graph.waitFor(() => system.graph.sentTexts().length === 1);
    await system.deliver('messenger', pageText('page', '2000001', 'my dog is called Pampa'));
    await system.graph.waitFor(() => system.graph.sentTexts().length === 2);
    await system.deliver('whatsapp', whatsAppText('16505551234', 'what city was that?'));
    await system.graph.waitFor(() => system.graph.sentTexts().length === 3);
    // the third turn saw the first one: history was read back through the seal
    expect(defined(system.graph.sentTexts()[2]).text).toBe('echo: what city was that? (history: 2)');

    const historyKeys = (await dumpPrefix(system.redis, system.config.redis.prefix)).filter((k) =>
      k.key.includes(':state:history:'),
    );
    expect(historyKeys).toHaveLength(2);
    for (const { values } of historyKeys) {
      expect(values.length).toBeGreaterThan(0);
      for (const value of values) expect(isSealed(value)).toBe(true);
    }
    const stored = JSON.stringify(historyKeys);
    for (const plain of ['Rosario', 'Pampa', 'echo:', 'what city']) expect(stored).not.toContain(plain);
  });
});
