/**
 * The languages Threadline speaks: a catalogue each in ./catalogues (same keys as en.json, checked
 * by test/i18n-catalogues.test.ts). Codes are ISO 639-1, the form `/language <code>` takes.
 */
export const LANGUAGES = ['en', 'es', 'pt', 'fr', 'de', 'it', 'id', 'hi', 'ar'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Written right to left: commands and other Latin runs in their texts are isolated (translator.ts). */
const RIGHT_TO_LEFT: ReadonlySet<Language> = new Set(['ar']);

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

export function isRightToLeft(language: Language): boolean {
  return RIGHT_TO_LEFT.has(language);
}

/**
 * The shipped language a locale or code names: `es`, `ES`, `es-MX`, `es_LA` (Meta's locales),
 * `pt_BR`; undefined for anything else.
 */
export function languageOfLocale(locale: string | undefined): Language | undefined {
  const code = locale?.trim().toLowerCase().split(/[-_]/)[0];
  return isLanguage(code) ? code : undefined;
}

const englishNames = new Intl.DisplayNames(['en'], { type: 'language' });

/** "Spanish": how the system prompt names a language to the model. */
export function englishName(language: Language): string {
  return englishNames.of(language) ?? language;
}
