import type { RedisClient } from '../redis/connection';
import { isTimeZone } from './zoned-time';
import { zoneForPhoneNumber } from './zone-guess';

/**
 * Each person's time zone, kept in Redis like their language (one short string per person,
 * shared by their linked apps, a year after it was last set, gone with `/forget all`): `told`
 * when the person said where they are, `guessed` from a WhatsApp number's country code. A person
 * with neither is asked once, by the model, before their first reminder is set.
 */
export type ZoneSource = 'told' | 'guessed';

export interface KnownZone {
  zone: string;
  source: ZoneSource;
}

export class PersonZones {
  constructor(
    private readonly redis: RedisClient,
    private readonly keyOf: (person: string) => string,
    private readonly ttlSeconds = 365 * 24 * 3600,
  ) {}

  /** What was told or kept; otherwise the guess from a WhatsApp number (not stored until used). */
  async get(person: string, whatsAppNumber?: string): Promise<KnownZone | undefined> {
    const stored = await this.redis.get(this.keyOf(person));
    const [source, zone] = stored?.split('|') ?? [];
    if ((source === 'told' || source === 'guessed') && zone && isTimeZone(zone)) return { zone, source };
    const guess = whatsAppNumber ? zoneForPhoneNumber(whatsAppNumber) : undefined;
    return guess ? { zone: guess, source: 'guessed' } : undefined;
  }

  async set(person: string, known: KnownZone): Promise<void> {
    await this.redis.set(this.keyOf(person), `${known.source}|${known.zone}`, 'EX', this.ttlSeconds);
  }
}
