import { parseCommand } from '../commands/commands';
import type { InboundMessage } from '../core/inbound';
import { detectLanguage } from '../i18n/detect-language';
import { languageOfLocale, type Language } from '../i18n/languages';
import { translatorFor } from '../i18n/translator';
import type { StoredLanguage } from '../people/person-languages';
import type { TurnContext } from '../turn-state/turn-context';
import type { TurnDependencies } from '../turn-state/turn-dependencies';

/** The person's stored language, and the one for people whose language is not known yet. */
export type SettleLanguageDeps = Pick<TurnDependencies, 'languages' | 'defaultLanguage'>;

/** The app's locale is a nicety: a slow answer must not hold up the reply for long. */
const LOCALE_TIMEOUT_MS = 2000;

/**
 * What this message says about the person's language: a command typed in a word only one
 * language uses (`/ayuda`), or typed text the detector is sure of. A tapped button says nothing
 * (its title is in the language the bot already used), and neither does any other command.
 */
function languageHeard(message: InboundMessage): Language | undefined {
  if (message.payload !== undefined) return undefined;
  const command = parseCommand(message);
  if (command) return command.saidIn;
  return detectLanguage(message.text);
}

async function askTheApp(turn: TurnContext, deps: SettleLanguageDeps, person: string): Promise<Language | undefined> {
  const { userLocale } = turn.adapter;
  if (!userLocale) return undefined;
  const signal = AbortSignal.any([turn.signal, AbortSignal.timeout(LOCALE_TIMEOUT_MS)]);
  const language = languageOfLocale(await userLocale(turn.message.userId, signal));
  if (turn.signal.aborted) return undefined;
  await deps.languages.set(person, language ? { language, source: 'platform' } : 'unknown');
  return language;
}

/**
 * Settles the language every fixed text of this turn is written in (`turn.t`), and keeps what it
 * learnt for the person: a language they chose with `/language` stays; otherwise a message that
 * clearly reads as another language switches to it; a person whose language is still unknown is
 * looked up in the app's locale once (Messenger), and else gets DEFAULT_LANGUAGE.
 */
export async function settleLanguage(turn: TurnContext, deps: SettleLanguageDeps, person: string): Promise<void> {
  const stored: StoredLanguage = await deps.languages.get(person);
  const known = stored === 'unknown' ? undefined : stored;
  let language = known?.language;
  if (known?.source !== 'chosen') {
    const heard = languageHeard(turn.message);
    if (heard && heard !== language) {
      await deps.languages.set(person, { language: heard, source: 'detected' });
      language = heard;
    }
  }
  if (!language && stored === undefined) language = await askTheApp(turn, deps, person);
  turn.t = translatorFor(language ?? deps.defaultLanguage);
}
