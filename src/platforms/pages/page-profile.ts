import type { GraphClient } from '../graph-client';
import { messengerProfileResponse } from '../graph-responses';
import type { MessageKey } from '../../i18n/catalogues';
import { LANGUAGES, type Language } from '../../i18n/languages';
import { translatorFor, type Translator } from '../../i18n/translator';

/**
 * What people see before they write: Messenger's welcome screen (Get Started button, greeting)
 * and persistent menu, and Instagram's ice breakers. Set once per deployment through Meta's
 * Messenger Profile API (`POST /{version}/me/messenger_profile`; Instagram with
 * `platform=instagram`), by `npm run meta:profile`.
 *
 * Every button's payload is a command, as with quick replies: a tap and a typed command are the
 * same thing, so the turn needs nothing new to answer them. Each text comes in every shipped
 * language, one entry per Meta locale, so people see them in the language their app is set to.
 */

/** Messenger cuts the greeting at 160 characters and button titles at 20. */
const GREETING_MAX = 160;

export interface ProfileSettings {
  businessName: string | undefined;
  /** the language of the `default` entries, for people whose app locale has none of its own */
  defaultLanguage: Language;
}

/**
 * Meta's locales each shipped language is shown in (Messenger's supported locales); the
 * `default` entry covers every other locale.
 */
const META_LOCALES: Record<Language, string[]> = {
  en: ['en_US', 'en_GB'],
  es: ['es_LA', 'es_ES'],
  pt: ['pt_BR', 'pt_PT'],
  fr: ['fr_FR'],
  de: ['de_DE'],
  it: ['it_IT'],
  id: ['id_ID'],
  hi: ['hi_IN'],
  ar: ['ar_AR'],
};

export interface MenuItem {
  title: MessageKey;
  payload: string;
}

export const MESSENGER_MENU: MenuItem[] = [
  { title: 'profile.menu.fast', payload: '/fast' },
  { title: 'profile.menu.think', payload: '/think' },
  { title: 'profile.menu.contemplate', payload: '/contemplate' },
  { title: 'profile.menu.privacy', payload: '/privacy' },
  { title: 'profile.menu.help', payload: '/help' },
];

export const INSTAGRAM_ICE_BREAKERS: Array<{ question: MessageKey; payload: string }> = [
  { question: 'profile.iceBreaker.help', payload: '/help' },
  { question: 'profile.iceBreaker.think', payload: '/think' },
  { question: 'profile.iceBreaker.privacy', payload: '/privacy' },
];

/** The welcome-screen greeting in `t`'s language; `{{user_first_name}}` is filled in by Messenger. */
export function greetingText({ businessName }: Pick<ProfileSettings, 'businessName'>, t: Translator): string {
  const first_name = '{{user_first_name}}';
  const full = businessName
    ? t('profile.greetingBusiness', { first_name, business: businessName })
    : t('profile.greeting', { first_name });
  if (full.length <= GREETING_MAX) return full;
  const plain = t('profile.greeting', { first_name });
  return plain.length <= GREETING_MAX ? plain : t('profile.greetingShort');
}

/** One entry per locale: `default` in the default language, then each other language's locales. */
function perLocale<T>(defaultLanguage: Language, entry: (t: Translator) => T): Array<{ locale: string } & T> {
  const others = LANGUAGES.filter((language) => language !== defaultLanguage);
  return [
    { locale: 'default', ...entry(translatorFor(defaultLanguage)) },
    ...others.flatMap((language) =>
      META_LOCALES[language].map((locale) => ({ locale, ...entry(translatorFor(language)) })),
    ),
  ];
}

export function messengerProfile(settings: ProfileSettings) {
  return {
    get_started: { payload: '/start' },
    greeting: perLocale(settings.defaultLanguage, (t) => ({ text: greetingText(settings, t) })),
    persistent_menu: perLocale(settings.defaultLanguage, (t) => ({
      composer_input_disabled: false,
      call_to_actions: MESSENGER_MENU.map((item) => ({
        type: 'postback',
        title: t(item.title),
        payload: item.payload,
      })),
    })),
  };
}

export function instagramIceBreakers(defaultLanguage: Language) {
  return {
    platform: 'instagram',
    ice_breakers: perLocale(defaultLanguage, (t) => ({
      call_to_actions: INSTAGRAM_ICE_BREAKERS.map((item) => ({ question: t(item.question), payload: item.payload })),
    })),
  };
}

async function post(graph: GraphClient, path: string, body: unknown, what: string): Promise<void> {
  const response = await graph.post(path, body);
  if (!messengerProfileResponse.safeParse(response).success) {
    throw new Error(`${what}: Graph answered ${JSON.stringify(response)} instead of {"result":"success"}`);
  }
}

export async function setMessengerProfile(graph: GraphClient, settings: ProfileSettings): Promise<void> {
  await post(graph, '/me/messenger_profile', messengerProfile(settings), 'Messenger profile');
}

export async function setInstagramIceBreakers(graph: GraphClient, defaultLanguage: Language): Promise<void> {
  // Meta's examples name the platform in the query and in the body; both are sent.
  const body = instagramIceBreakers(defaultLanguage);
  await post(graph, '/me/messenger_profile?platform=instagram', body, 'Instagram ice breakers');
}
