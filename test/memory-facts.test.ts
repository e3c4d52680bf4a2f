import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { categoryOf, specialCategoryIn } from '../src/memory/fact-category';
import { aboutSomeoneElse, statedIn } from '../src/memory/fact-subject';
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

  it.each([
    ['I have schizophrenia and take clozapine', 'health'],
    ['Tengo diabetes y tomo metformina', 'health'],
    ['Tomo sertralina', 'health'],
    ['Sou soropositivo', 'health'],
    ['Je suis enceinte', 'health'],
    ["J'ai une crise d'asthme de temps en temps", 'health'],
    ['Ich bin schwanger', 'health'],
    ['Ich hatte Brustkrebs', 'health'],
    ['Soffro di epilessia', 'health'],
    ['Soy musulmana', 'religion'],
    ['Sou evangélico', 'religion'],
    ['Je suis juif', 'religion'],
    ['Ich gehe jeden Sonntag in die Kirche', 'religion'],
    ['Sono cattolico', 'religion'],
    ['Voto socialista', 'politics'],
    ['Sou de esquerda', 'politics'],
    ['Je suis de droite', 'politics'],
    ['Ich bin Parteimitglied der SPD', 'politics'],
    ['Ich bin schwul', 'sexuality'],
    ['Sono lesbica', 'sexuality'],
    ['Soy bisexual', 'sexuality'],
    ['Soy gitana', 'ethnicity'],
    ['Je suis noire', 'ethnicity'],
    ['Sou afrodescendente', 'ethnicity'],
    ['Ich bin Gewerkschaftsmitglied', 'union membership'],
    ['Sou sindicalizado', 'union membership'],
    ['Je suis syndiquée', 'union membership'],
    ['Sono iscritto al sindacato', 'union membership'],
    ['I unlock my phone with my fingerprint', 'biometric'],
    ['Uso reconocimiento facial', 'biometric'],
    ['I have a criminal record', 'criminal record'],
    ['Tengo antecedentes penales', 'criminal record'],
    ['Ich bin vorbestraft', 'criminal record'],
    ['Ho precedenti penali', 'criminal record'],
  ])('reads "%s" as %s though the model said other', (text, category) => {
    expect(categoryOf(text, 'other')).toBe(category);
  });

  it('takes the stricter of the word lists and the model: a special label stands, an ordinary one does not', () => {
    expect(categoryOf('I see Dr. Lee every Tuesday', 'health')).toBe('health');
    expect(categoryOf('Je suis diabétique', 'diet')).toBe('health');
    expect(categoryOf('I like black sneakers', 'style')).toBe('style');
  });

  it.each([
    'Mi talla es la M',
    'Prefiero colores oscuros',
    'Ich trage Größe 42',
    'Porto la taglia 42',
    'Ho preso una giacca nera',
    'Meu orçamento é 100 reais',
    'Je cherche des baskets blanches',
    'I speak Portuguese',
    'I live in Rome',
  ])('finds nothing special in "%s"', (text) => {
    expect(specialCategoryIn(text)).toBeUndefined();
  });

  it('keeps a list for every special category in English, Spanish, Portuguese, French, German and Italian', () => {
    const folder = join(__dirname, '../src/memory/word-lists');
    const lists = readdirSync(folder).filter((file) => !['other-people.json', 'function-words.json'].includes(file));
    expect(lists).toHaveLength(8);
    for (const file of lists) {
      const list = JSON.parse(readFileSync(join(folder, file), 'utf8')) as Record<string, string[]>;
      expect([file, Object.keys(list).sort()]).toEqual([file, ['de', 'en', 'es', 'fr', 'it', 'pt']]);
      expect(Object.entries(list).filter(([, terms]) => terms.length === 0)).toEqual([]);
    }
  });

  it.each([
    'my neighbour Bob is HIV positive',
    'I hate my boss Carl Jones',
    'Mi hermana es celíaca',
    'Ma femme est enceinte',
    'Meine Frau ist schwanger',
    'Mio figlio ha l’asma',
    'Minha mãe tem cancro',
    'Bob is HIV positive',
    'Carl Jones tiene cáncer',
    'She takes insulin',
    'Él es diabético',
  ])('takes "%s" for a fact about someone else', (text) => {
    expect(aboutSomeoneElse(text)).toBe(true);
  });

  it.each([
    "I'm vegetarian",
    'my budget is 80 euros',
    'Nike is my favourite brand',
    'I live in Lyon',
    'Vivo a Roma',
    'Soy vegetariano',
    "That's my kind of style",
    'El vestido azul me gusta',
    'Il mio colore preferito è il blu',
  ])('takes "%s" for a fact about the person', (text) => {
    expect(aboutSomeoneElse(text)).toBe(false);
  });

  it("takes a proposal only when the person's own message states it", () => {
    expect(statedIn("I'm vegetarian", "I'm vegetarian, what should I cook?")).toBe(true);
    expect(statedIn('I wear size 42 shoes', 'my shoes are size 42')).toBe(true);
    expect(statedIn('Soy diabética', 'soy diabético, ¿qué tarta puedo comer?')).toBe(true);
    expect(statedIn("I'm diabetic", 'any cookies for me?')).toBe(false);
    expect(statedIn('I wear size 44', 'I wear size 42')).toBe(false);
    expect(statedIn('', 'anything')).toBe(false);
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
