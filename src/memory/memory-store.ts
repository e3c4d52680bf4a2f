import type { RedisClient } from '../redis/connection';
import { randomBytes } from 'node:crypto';
import type { Platform } from '../core/inbound';
import type { RememberedFact } from '../core/remembered-fact';
import { plaintextSealer, SealedValueCorruptError, type Sealer } from '../crypto/sealing';
import { parseStoredFact, sameFact, type StoredFact } from './stored-fact';

/**
 * What a person asked the assistant to remember, and whether they said yes to memory at all. One
 * RedisClient hash per person (not per conversation, so accounts joined across apps share it): field
 * `on` holds when they said yes, each `fact:<id>` field one fact, sealed and bound to the person.
 * The hash lives MEMORY_TTL_DAYS after it was last written or used; a fact not used for that long
 * is dropped when the list is next read, so nothing stays because another fact keeps the key alive.
 */
export const MAX_FACTS = 50;
export const MAX_FACT_CHARS = 200;

export type AddOutcome = { added: StoredFact } | { refused: 'empty' | 'too-long' | 'full' } | { duplicate: StoredFact };

const FACT_FIELD = 'fact:';
const CONSENT_FIELD = 'on';

export class MemoryStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keyOf: (person: string) => string,
    private readonly ttlSeconds: number,
    private readonly sealer: Sealer = plaintextSealer,
    private readonly now: () => number = Date.now,
  ) {}

  /** MEMORY_TTL_DAYS, as people are told it */
  get ttlDays(): number {
    return Math.round(this.ttlSeconds / 86_400);
  }

  async isOn(person: string): Promise<boolean> {
    return (await this.redis.hexists(this.keyOf(person), CONSENT_FIELD)) === 1;
  }

  async turnOn(person: string): Promise<void> {
    const key = this.keyOf(person);
    await this.redis.multi().hset(key, CONSENT_FIELD, String(this.now())).expire(key, this.ttlSeconds).exec();
  }

  /** Stops using memory; the facts stay until deleted or expired, as the person chooses. */
  async turnOff(person: string): Promise<void> {
    await this.redis.hdel(this.keyOf(person), CONSENT_FIELD);
  }

  /** The facts in the order they were said (the numbering `/memory` shows); expired ones are dropped. */
  async facts(person: string): Promise<StoredFact[]> {
    return this.factsOf(person, await this.redis.hgetall(this.keyOf(person)));
  }

  /** The facts to give the model, read with the consent in one go; null while memory is off. */
  async factsInUse(person: string): Promise<StoredFact[] | null> {
    const fields = await this.redis.hgetall(this.keyOf(person));
    return CONSENT_FIELD in fields ? this.factsOf(person, fields) : null;
  }

  private async factsOf(person: string, fields: Record<string, string>): Promise<StoredFact[]> {
    const key = this.keyOf(person);
    const oldestUse = this.now() - this.ttlSeconds * 1000;
    const facts: StoredFact[] = [];
    const expired: string[] = [];
    for (const [field, value] of Object.entries(fields)) {
      if (!field.startsWith(FACT_FIELD)) continue;
      const fact = this.open(value, person);
      if (fact && fact.lastUsedAt >= oldestUse) facts.push(fact);
      else expired.push(field);
    }
    if (expired.length > 0) await this.redis.hdel(key, ...expired);
    return facts.sort((a, b) => a.saidAt - b.saidAt || a.id.localeCompare(b.id));
  }

  async add(person: string, fact: RememberedFact, platform: Platform): Promise<AddOutcome> {
    const text = fact.text.trim();
    if (text === '') return { refused: 'empty' };
    if ([...text].length > MAX_FACT_CHARS) return { refused: 'too-long' };
    const existing = await this.facts(person);
    const duplicate = existing.find((kept) => sameFact(kept.text, text));
    if (duplicate) return { duplicate };
    if (existing.length >= MAX_FACTS) return { refused: 'full' };
    const at = this.now();
    const added: StoredFact = {
      id: randomBytes(6).toString('hex'),
      text,
      category: fact.category,
      saidAt: at,
      platform,
      lastUsedAt: at,
    };
    await this.write(person, [added]);
    return { added };
  }

  /**
   * Notes that these facts were given to the model, so they live another MEMORY_TTL_DAYS; the
   * consent lives on with them while the person keeps using the assistant.
   */
  async markUsed(person: string, facts: StoredFact[]): Promise<void> {
    if (facts.length === 0) {
      await this.redis.expire(this.keyOf(person), this.ttlSeconds);
      return;
    }
    const at = this.now();
    await this.write(
      person,
      facts.map((fact) => ({ ...fact, lastUsedAt: at })),
    );
  }

  async remove(person: string, ids: string[]): Promise<void> {
    if (ids.length > 0) await this.redis.hdel(this.keyOf(person), ...ids.map((id) => FACT_FIELD + id));
  }

  /** Everything memory keeps about the person: consent and facts. */
  async erase(person: string): Promise<void> {
    await this.redis.del(this.keyOf(person));
  }

  private async write(person: string, facts: StoredFact[]): Promise<void> {
    const key = this.keyOf(person);
    const fields = facts.flatMap((fact) => [FACT_FIELD + fact.id, this.sealer.seal(JSON.stringify(fact), person)]);
    await this.redis
      .multi()
      .hset(key, ...fields)
      .expire(key, this.ttlSeconds)
      .exec();
  }

  private open(value: string, person: string): StoredFact | null {
    try {
      return parseStoredFact(JSON.parse(this.sealer.open(value, person)));
    } catch (error) {
      // A corrupt fact is dropped like an expired one; a missing key must reach the operator.
      if (error instanceof SyntaxError || error instanceof SealedValueCorruptError) return null;
      throw error;
    }
  }
}
