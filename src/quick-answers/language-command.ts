import { languageTexts } from '../commands/texts';
import { englishName, LANGUAGES, languageOfLocale, type Language } from '../i18n/languages';
import { translatorFor } from '../i18n/translator';
import { notice, type TurnContext } from '../turn-state/turn-context';
import type { TurnDependencies } from '../turn-state/turn-dependencies';
import { currentMode, type CommandAnswer, type ModeDeps } from './command-answer';

export type LanguageDeps = ModeDeps & Pick<TurnDependencies, 'languages'>;

/** `es`, `es-MX`, `Spanish`, `español`: the shipped language a `/language` argument names. */
function languageNamed(argument: string): Language | undefined {
  const word = argument.trim().toLowerCase();
  return (
    languageOfLocale(word) ??
    LANGUAGES.find(
      (language) =>
        englishName(language).toLowerCase() === word || translatorFor(language)('language.self').toLowerCase() === word,
    )
  );
}

/**
 * `/language` names the language the bot writes in and the choices; `/language <code>` sets it
 * for the person (on every linked app): from then on detection no longer changes it. The answer
 * is already in the new language.
 */
export async function runLanguage(
  argument: string | undefined,
  turn: TurnContext,
  deps: LanguageDeps,
): Promise<CommandAnswer> {
  const mode = await currentMode(turn, deps);
  if (!argument) return { outcome: notice(languageTexts.current(turn.t), 'command:language'), mode };
  const language = languageNamed(argument);
  if (!language) {
    return { outcome: notice(languageTexts.unknown(turn.t, argument.trim()), 'command:language-unknown'), mode };
  }
  await deps.languages.set(turn.person, { language, source: 'chosen' });
  turn.t = translatorFor(language);
  return { outcome: notice(languageTexts.set(turn.t), 'command:language-set'), mode };
}
