import { isLanguage, type Language } from '../i18n/languages';
import type { RedisClient } from '../redis/connection';

/**
 * The language each person is written to in, kept in Redis (one short string per person, shared
 * by their linked apps) with how it was learnt: `chosen` with `/language` (never overridden),
 * `detected` from what they wrote, `platform` from the app's locale. `unknown` records that the
 * app was asked and had no locale, so it is not asked on every message. It lives a year after it
 * was last set, like the mode, and goes with everything else on `/forget all`.
 */
export type LanguageSource = 'chosen' | 'detected' | 'platform';

export interface KnownLanguage {
  language: Language;
  source: LanguageSource;
}

/** What is stored: a known language, `unknown` (asked the app, nothing), or nothing yet. */
export type StoredLanguage = KnownLanguage | 'unknown' | undefined;

const SOURCES: readonly string[] = ['chosen', 'detected', 'platform'] satisfies LanguageSource[];
const UNKNOWN = 'unknown';

export class PersonLanguages {
  constructor(
    private readonly redis: RedisClient,
    private readonly keyOf: (person: string) => string,
    private readonly ttlSeconds = 365 * 24 * 3600,
  ) {}

  async get(person: string): Promise<StoredLanguage> {
    const stored = await this.redis.get(this.keyOf(person));
    if (stored === UNKNOWN) return UNKNOWN;
    const [source, language] = stored?.split(':') ?? [];
    return SOURCES.includes(source ?? '') && isLanguage(language)
      ? { language, source: source as LanguageSource }
      : undefined;
  }

  async set(person: string, known: KnownLanguage | 'unknown'): Promise<void> {
    const value = known === UNKNOWN ? UNKNOWN : `${known.source}:${known.language}`;
    await this.redis.set(this.keyOf(person), value, 'EX', this.ttlSeconds);
  }
}
