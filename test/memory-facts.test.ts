import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { categoryOf } from '../src/memory/fact-category';
import { takeProposal } from '../src/memory/fact-proposal';
import { MAX_FACTS, MemoryStore } from '../src/memory/memory-store';
import { createAppScopedErasure } from '../src/privacy/app-scoped-erasure';
import { createJobIds } from '../src/queues/jobs';
import { createPseudonyms } from '../src/crypto/pseudonyms';
import { memoryStateKeys } from '../src/redis/memory-state-keys';
import { deleteKeysWithPrefix, REDIS_URL } from './helpers/system';

/** The pure parts of memory (categories, the proposal tag) and the store's limits against real Redis. */
describe('remembered facts', () => {
  it.each([
    ["I'm vegetarian", 'diet'],
    ['I wear size 42 shoes', 'sizes'],
    ['my budget is 80 euros', 'budget'],
    ['I live in Lyon', 'place'],
    ['I speak Portuguese', 'language'],
    ['I like black sneakers', 'style'],
    ['I have a cat', 'other'],
    ["I'm diabetic", 'health'],
    ['I only eat halal food', 'religion'],
    ["I'm gay", 'sexuality'],
    ['I am a trade union member', 'union membership'],
    ['I vote Green', 'politics'],
  ])('puts "%s" in %s', (text, category) => {
    expect(categoryOf(text)).toBe(category);
  });

  it('lets the words, not a claimed category, decide that a fact is special', () => {
    expect(categoryOf('I have a peanut allergy', 'diet')).toBe('health');
    expect(categoryOf('I wear slim fits', 'sizes')).toBe('sizes');
    expect(categoryOf('I wear slim fits', 'made-up')).toBe('style');
  });

  it('cuts every tag from an answer and takes the first as the proposal', () => {
    expect(
      takeProposal('Try the curry.\n[remember: I am vegetarian | diet]\n[remember: I like curry | other]'),
    ).toEqual({
      text: 'Try the curry.',
      proposal: { text: 'I am vegetarian', category: 'diet' },
    });
    expect(takeProposal('No tag here.')).toEqual({ text: 'No tag here.' });
    expect(takeProposal(`Sure. [remember: ${'x'.repeat(201)}]`)).toEqual({ text: 'Sure.' });
    expect(takeProposal('[Remember:  I live in Porto ]').proposal).toEqual({
      text: 'I live in Porto',
      category: 'place',
    });
  });

  describe('store', () => {
    const prefix = `t-${randomUUID().slice(0, 8)}`;
    const redis = new Redis(REDIS_URL);
    let now = Date.UTC(2026, 0, 1);
    const store = new MemoryStore(
      redis,
      (person) => `${prefix}:state:memory:${person}`,
      10 * 86_400,
      undefined,
      () => now,
    );
    afterAll(async () => {
      await deleteKeysWithPrefix(redis, prefix);
      redis.disconnect();
    });

    it('keeps at most 50 facts of at most 200 characters, once each', async () => {
      const person = 'whatsapp:1';
      expect(await store.add(person, { text: 'x'.repeat(201), category: 'other' }, 'whatsapp')).toEqual({
        refused: 'too-long',
      });
      for (let n = 0; n < MAX_FACTS; n += 1) {
        now += 1;
        await store.add(person, { text: `fact ${n}`, category: 'other' }, 'whatsapp');
      }
      expect(await store.add(person, { text: 'Fact 3!', category: 'other' }, 'whatsapp')).toMatchObject({
        duplicate: { text: 'fact 3' },
      });
      expect(await store.add(person, { text: 'one more', category: 'other' }, 'whatsapp')).toEqual({ refused: 'full' });
      expect((await store.facts(person)).map((f) => f.text).slice(0, 3)).toEqual(['fact 0', 'fact 1', 'fact 2']);
    });

    it('forgets a fact unused for MEMORY_TTL_DAYS while a used one stays', async () => {
      const person = 'messenger:2';
      await store.turnOn(person);
      await store.add(person, { text: 'used', category: 'other' }, 'messenger');
      await store.add(person, { text: 'unused', category: 'other' }, 'messenger');
      now += 6 * 86_400_000;
      const facts = await store.facts(person);
      await store.markUsed(
        person,
        facts.filter((f) => f.text === 'used'),
      );
      now += 6 * 86_400_000;
      expect((await store.facts(person)).map((f) => f.text)).toEqual(['used']);
      expect(await redis.hlen(`${prefix}:state:memory:${person}`)).toBe(2);
      expect(await store.isOn(person)).toBe(true);
    });

    it("is found by Meta's data-deletion erasure like every other key ending in the person's id", async () => {
      const keys = memoryStateKeys(prefix);
      await store.turnOn('messenger:3000900');
      await redis.set(keys.firstContactTold(`messenger:${'1'.repeat(15)}:3000900`), '1', 'EX', 60);
      const jobIds = createJobIds(createPseudonyms(Buffer.from('test pseudonyms')));
      await createAppScopedErasure(redis, prefix, jobIds).eraseAppScopedUser('3000900');
      expect(await redis.keys(`${prefix}:*3000900`)).toEqual([]);
    });
  });
});
